//! What a membership sync meets: finished instances, instances made and
//! removed by someone else (a rep in Gong's app), and statuses Gong does
//! not document.

mod common;

use std::time::{Duration, UNIX_EPOCH};

use common::{assign, error_messages, post, start};
use gong_flows_api::types::{
    AssignErrorCode, FlowInstanceStatus, ProspectsAssignedFlowsRequestV2, PublicApiAssignedFlow,
};
use gong_flows_sim::{SimConfig, SimError, Simulator, dataset};
use serde_json::{Value, json};

use dataset::{PERSONAL_FLOW_ID, SDR_FLOW_ID, TEAMMATE_EMAIL};

async fn by_crm(sim: &Simulator, crm: &[&str]) -> Vec<PublicApiAssignedFlow> {
    sim.client()
        .get_prospects_assigned_flows()
        .body(ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: Some(crm.iter().map(|s| (*s).to_owned()).collect()),
            flow_instance_ids: None,
        })
        .send()
        .await
        .expect("200")
        .into_inner()
        .prospects_assigned
}

async fn by_instance(sim: &Simulator, ids: &[&str]) -> Vec<PublicApiAssignedFlow> {
    sim.client()
        .get_prospects_assigned_flows()
        .body(ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: None,
            flow_instance_ids: Some(ids.iter().map(|s| (*s).to_owned()).collect()),
        })
        .send()
        .await
        .expect("200")
        .into_inner()
        .prospects_assigned
}

fn instance_ids(flows: &[PublicApiAssignedFlow]) -> Vec<String> {
    flows
        .iter()
        .map(|f| f.flow_instance_id.clone().unwrap())
        .collect()
}

/// The `unassignedFlowInstanceIds` of an unassign by instance ids.
async fn unassign_instances(sim: &Simulator, ids: &[&str]) -> Vec<String> {
    let response = post(
        sim,
        "/v2/flows/prospects/unassign-flows-by-instance-id",
        &json!({"flowInstanceIds": ids}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    serde_json::from_value(body["unassignedFlowInstanceIds"].clone()).unwrap()
}

/// The `unassignedFlowInstanceIds` of an unassign by CRM id.
async fn unassign_crm(sim: &Simulator, crm: &str, flow_id: Option<&str>) -> Vec<String> {
    let mut body = json!({"crmProspectId": crm});
    if let Some(flow_id) = flow_id {
        body["flowId"] = json!(flow_id);
    }
    let response = post(sim, "/v2/flows/prospects/unassign-flows-by-crm-id", &body).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    serde_json::from_value(body["unassignedFlowInstanceIds"].clone()).unwrap()
}

#[tokio::test]
async fn finished_instances_are_answered_by_instance_id_only_and_stay() {
    let sim = start();
    for status in [
        FlowInstanceStatus::FinishedNoReply,
        FlowInstanceStatus::FinishedResponse,
        FlowInstanceStatus::Finished,
    ] {
        let crm = format!("done-{status}");
        let first = assign(&sim, SDR_FLOW_ID, &[&crm]).await.prospects_assigned[0]
            .flow_instance_id
            .clone()
            .unwrap();
        let other = assign(&sim, PERSONAL_FLOW_ID, &[&crm])
            .await
            .prospects_assigned[0]
            .flow_instance_id
            .clone()
            .unwrap();
        sim.set_instance_status(&first, status.clone()).unwrap();

        // By CRM id only the open instance; by instance id the finished one
        // too, with its status.
        assert_eq!(instance_ids(&by_crm(&sim, &[&crm]).await), [other.as_str()]);
        let found = by_instance(&sim, &[&first]).await;
        assert_eq!(instance_ids(&found), [first.as_str()], "{status}");
        assert_eq!(found[0].flow_instance_status, Some(status.clone()));

        // Neither unassign removes it: it is left out of the answer.
        assert!(unassign_instances(&sim, &[&first]).await.is_empty());
        assert!(unassign_crm(&sim, &crm, Some(SDR_FLOW_ID)).await.is_empty());
        assert_eq!(sim.instance(&first).unwrap().status, status);

        // The prospect has left the flow: assigning it again makes a new
        // instance, and the finished one stays.
        let again = assign(&sim, SDR_FLOW_ID, &[&crm]).await;
        assert!(again.prospects_not_assigned.is_empty(), "{status}");
        let second = again.prospects_assigned[0]
            .flow_instance_id
            .clone()
            .unwrap();
        assert_ne!(second, first);
        assert!(sim.instance(&first).is_some());
        assert_eq!(sim.times_assigned(SDR_FLOW_ID, &crm), 2);
        let mut open = instance_ids(&by_crm(&sim, &[&crm]).await);
        open.sort();
        let mut expected = vec![other, second];
        expected.sort();
        assert_eq!(open, expected);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn direct_assignments_are_someone_elses_and_cost_no_call() {
    // One call an hour: a direct assignment that took a call would leave
    // none for the look-up.
    let sim = Simulator::start(
        SimConfig::default()
            .rate_limit(Some(1))
            .rate_window(Duration::from_secs(3600))
            .daily_limit(Some(1)),
    )
    .unwrap();
    let record = sim.assign_directly(SDR_FLOW_ID, "rep-added").unwrap();
    assert_eq!(record.flow_id, SDR_FLOW_ID);
    assert_eq!(record.crm_prospect_id, "rep-added");
    assert_eq!(record.owner_email, TEAMMATE_EMAIL);
    assert!(matches!(
        record.status,
        FlowInstanceStatus::Pending | FlowInstanceStatus::Running
    ));
    let since = sim.now().duration_since(record.created).unwrap();
    assert!(since < Duration::from_secs(60), "{since:?}");
    assert_eq!(sim.counters().total, 0);
    assert_eq!(sim.times_assigned(SDR_FLOW_ID, "rep-added"), 1);

    let found = by_crm(&sim, &["rep-added"]).await;
    assert_eq!(instance_ids(&found), [record.instance_id.as_str()]);
    assert_eq!(
        found[0].flow_instance_owner_email.as_deref(),
        Some(TEAMMATE_EMAIL)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn direct_assignments_follow_gongs_rules_and_keep_their_date() {
    let sim = start();
    let record = sim.assign_directly(SDR_FLOW_ID, "rep-1").unwrap();
    // Gong's rules hold for a rep too.
    let refused = sim.assign_directly(SDR_FLOW_ID, "rep-1").unwrap_err();
    assert!(
        matches!(&refused, SimError::AssignmentRefused(m) if m.contains("already assigned")),
        "{refused}"
    );
    let refused = sim.assign_directly(SDR_FLOW_ID, "unknown-1").unwrap_err();
    assert!(
        matches!(&refused, SimError::AssignmentRefused(m) if m == "Invalid crmId unknown-1"),
        "{refused}"
    );
    assert!(matches!(
        sim.assign_directly("42", "rep-2"),
        Err(SimError::UnknownFlow(id)) if id == "42"
    ));
    // And an assign call sees the rep's instance.
    let answer = assign(&sim, SDR_FLOW_ID, &["rep-1"]).await;
    assert_eq!(
        answer.prospects_not_assigned[0].error_code,
        Some(AssignErrorCode::InvalidState)
    );
    assert_eq!(sim.instances_of("rep-1"), [record]);

    // An instance made long ago carries its date on the wire.
    let long_ago = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
    let old = sim
        .assign_directly_at(PERSONAL_FLOW_ID, "rep-1", long_ago)
        .unwrap();
    assert_eq!(old.created, long_ago);
    let found = by_instance(&sim, &[&old.instance_id]).await;
    assert_eq!(
        found[0].flow_instance_create_date.as_deref(),
        Some("2023-11-14T22:13:20.123Z")
    );
    assert!(
        sim.assign_directly_at(SDR_FLOW_ID, "rep-3", UNIX_EPOCH - Duration::from_secs(1))
            .is_err()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn direct_removals_make_an_unassign_by_instance_id_fail_whole() {
    let sim = start();
    let answer = assign(&sim, SDR_FLOW_ID, &["gone-1", "gone-2"]).await;
    let ids = instance_ids(&answer.prospects_assigned);

    let removed = sim.unassign_directly(&ids[0]).unwrap();
    assert_eq!(removed.crm_prospect_id, "gone-1");
    assert!(sim.instance(&ids[0]).is_none());
    assert!(by_crm(&sim, &["gone-1"]).await.is_empty());
    assert!(by_instance(&sim, &[&ids[0]]).await.is_empty());
    assert_eq!(
        sim.counters().total,
        3,
        "one assign and two look-ups: the removal was no call"
    );

    // The removed instance no longer exists: one unknown id fails the call.
    let response = post(
        &sim,
        "/v2/flows/prospects/unassign-flows-by-instance-id",
        &json!({"flowInstanceIds": [ids[0], ids[1]]}),
    )
    .await;
    assert_eq!(
        error_messages(response, 400).await,
        ["One or more of the given flowInstanceIds does not exist"]
    );
    assert!(sim.instance(&ids[1]).is_some());

    assert!(matches!(
        sim.unassign_directly(&ids[0]),
        Err(SimError::UnknownInstance(_))
    ));
    // A rep can remove a finished instance too.
    sim.set_instance_status(&ids[1], FlowInstanceStatus::Finished)
        .unwrap();
    sim.unassign_directly(&ids[1]).unwrap();
    assert_eq!(sim.instance_count(), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn undocumented_statuses_are_sent_as_they_are_and_count_as_open() {
    let sim = start();
    let answer = assign(&sim, SDR_FLOW_ID, &["new-1", "new-2"]).await;
    let ids = instance_ids(&answer.prospects_assigned);
    sim.set_instance_status(&ids[0], FlowInstanceStatus::from("Scheduled"))
        .unwrap();
    sim.set_instance_status(&ids[1], FlowInstanceStatus::Unknown("Active".into()))
        .unwrap();

    // On the wire, as the strings they are, by CRM id and by instance id.
    for body in [
        json!({"crmProspectsIds": ["new-1", "new-2"]}),
        json!({"flowInstanceIds": ids}),
    ] {
        let answer: Value = post(&sim, "/v2/flows/prospects", &body)
            .await
            .json()
            .await
            .unwrap();
        let statuses: Vec<&str> = answer["prospectsAssigned"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["flowInstanceStatus"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["Scheduled", "Active"], "{body}");
    }
    assert_eq!(
        by_crm(&sim, &["new-1"]).await[0].flow_instance_status,
        Some(FlowInstanceStatus::Unknown("Scheduled".into()))
    );
    assert_eq!(sim.state().open_instances_of("new-1").len(), 1);
    assert_eq!(sim.state().prospects_in_flow(SDR_FLOW_ID).len(), 2);

    // Still in the flow: a second assignment is refused.
    let again = assign(&sim, SDR_FLOW_ID, &["new-1"]).await;
    assert_eq!(
        again.prospects_not_assigned[0].error_code,
        Some(AssignErrorCode::InvalidState)
    );

    // Removable, by instance id and by CRM id.
    assert_eq!(unassign_instances(&sim, &[&ids[0]]).await, [ids[0].clone()]);
    assert_eq!(unassign_crm(&sim, "new-2", None).await, [ids[1].clone()]);
    assert_eq!(sim.instance_count(), 0);

    // A documented name is the documented status; an empty one is refused.
    let id = sim
        .assign_directly(SDR_FLOW_ID, "new-3")
        .unwrap()
        .instance_id;
    sim.set_instance_status(&id, FlowInstanceStatus::Unknown("Paused".into()))
        .unwrap();
    assert_eq!(
        sim.instance(&id).unwrap().status,
        FlowInstanceStatus::Paused
    );
    for bad in ["", " Active"] {
        assert!(matches!(
            sim.set_instance_status(&id, FlowInstanceStatus::Unknown(bad.into())),
            Err(SimError::InvalidConfig(_))
        ));
    }
    assert!(matches!(
        sim.set_instance_status("1", FlowInstanceStatus::Finished),
        Err(SimError::UnknownInstance(_))
    ));
    sim.shutdown().await;
}
