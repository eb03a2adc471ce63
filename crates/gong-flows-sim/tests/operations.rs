//! The ten operations against the simulator: happy paths, documented
//! failure modes, and the state they leave.

mod common;

use std::time::{Duration, Instant};

use common::{assign, assign_request, error_response, get, post, start, start_with};
use gong_flows_api::types::{
    AssignErrorCode, BulkAssignmentStatus, FlowAssignmentProspect, FlowAssignmentResultStatus,
    FlowInstanceStatus, FlowProspectsBulkAssignmentRequest, FlowStepAction, FlowStepsRequest,
    ProspectsAssignedFlowsRequestV2, UnassignFlowsRequest, UnassignProspectFlowsRequest,
};
use gong_flows_sim::{SimConfig, dataset};
use serde_json::{Value, json};

use dataset::{
    DEFAULT_USER_EMAIL, EXCLUSIVE_FLOW_ID, PERSONAL_FLOW_ID, SDR_FLOW_ID, SHARED_FLOW_ID,
};

#[tokio::test]
async fn assign_fills_every_field() {
    let sim = start();
    let answer = assign(&sim, SDR_FLOW_ID, &["a5V1Q00A120DP4CVAW"]).await;
    assert!(
        answer
            .request_id
            .as_deref()
            .is_some_and(|id| id.len() == 19)
    );
    assert!(answer.prospects_not_assigned.is_empty());
    let [assigned] = answer.prospects_assigned.as_slice() else {
        panic!("one assignment expected: {answer:?}");
    };
    assert_eq!(assigned.flow_id.as_deref(), Some(SDR_FLOW_ID));
    assert_eq!(assigned.flow_name.as_deref(), Some("SDR Flow"));
    assert_eq!(
        assigned.crm_prospect_id.as_deref(),
        Some("a5V1Q00A120DP4CVAW")
    );
    let instance = assigned.flow_instance_id.clone().expect("instance id");
    assert!(instance.bytes().all(|b| b.is_ascii_digit()), "{instance}");
    assert_eq!(
        assigned.flow_instance_owner_email.as_deref(),
        Some(DEFAULT_USER_EMAIL)
    );
    assert_eq!(
        assigned.flow_instance_owner_full_name.as_deref(),
        Some("Owner")
    );
    let created = assigned.flow_instance_create_date.as_deref().expect("date");
    assert!(created.ends_with('Z') && created.contains('T'), "{created}");
    assert!(matches!(
        assigned.flow_instance_status,
        Some(FlowInstanceStatus::Pending | FlowInstanceStatus::Running)
    ));
    assert_eq!(
        assigned.workspace_id.as_deref(),
        Some(dataset::DEFAULT_WORKSPACE_ID)
    );
    assert_eq!(assigned.exclusive, Some(false));

    let record = sim.instance(&instance).expect("instance in state");
    assert_eq!(record.crm_prospect_id, "a5V1Q00A120DP4CVAW");
    assert_eq!(sim.times_assigned(SDR_FLOW_ID, "a5V1Q00A120DP4CVAW"), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn assign_refuses_per_prospect() {
    let sim = start();
    assign(&sim, EXCLUSIVE_FLOW_ID, &["in-exclusive"]).await;
    assign(&sim, SDR_FLOW_ID, &["in-sdr"]).await;

    let answer = assign(
        &sim,
        SDR_FLOW_ID,
        &["in-sdr", "unknown-1", "in-exclusive", "fresh", "has space"],
    )
    .await;
    let assigned: Vec<_> = answer
        .prospects_assigned
        .iter()
        .map(|a| a.crm_prospect_id.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(assigned, ["fresh"]);
    let failures: Vec<_> = answer
        .prospects_not_assigned
        .iter()
        .map(|f| {
            assert_eq!(f.flow_id.as_deref(), Some(SDR_FLOW_ID));
            (
                f.crm_prospect_id.clone().unwrap_or_default(),
                f.error_code.clone().expect("code"),
                f.error_message.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(failures.len(), 4);
    assert_eq!(
        failures[0].1,
        AssignErrorCode::InvalidState,
        "already in the flow"
    );
    assert_eq!(failures[1].1, AssignErrorCode::InvalidArgument);
    assert_eq!(failures[1].2, "Invalid crmId unknown-1");
    assert_eq!(
        failures[2].1,
        AssignErrorCode::InvalidState,
        "in an exclusive flow"
    );
    assert_eq!(
        failures[3].1,
        AssignErrorCode::InvalidArgument,
        "malformed id"
    );

    // A prospect in a non-exclusive flow may join another one.
    let answer = assign(&sim, PERSONAL_FLOW_ID, &["in-sdr"]).await;
    assert_eq!(answer.prospects_assigned.len(), 1);
    // The spec declares the ids unique: a repeat fails the whole request.
    let raw = post(
        &sim,
        "/v2/flows/prospects/assign",
        &serde_json::to_value(assign_request(SDR_FLOW_ID, &["dup", "dup"])).unwrap(),
    )
    .await;
    assert_eq!(
        common::error_messages(raw, 400).await,
        ["crmProspectsIds: must only contain unique elements"]
    );
    assert!(sim.instances_of("dup").is_empty());
    assert_eq!(sim.max_times_assigned(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn explicit_prospects_and_runtime_additions() {
    let sim = start_with(
        SimConfig::default().known_prospects(gong_flows_sim::KnownProspects::only(["p1"])),
    );
    let answer = assign(&sim, SDR_FLOW_ID, &["p1", "p2"]).await;
    assert_eq!(answer.prospects_assigned.len(), 1);
    assert_eq!(
        answer.prospects_not_assigned[0].error_message.as_deref(),
        Some("Invalid crmId p2")
    );
    sim.add_prospects(["p2"]);
    let answer = assign(&sim, SDR_FLOW_ID, &["p2"]).await;
    assert_eq!(answer.prospects_assigned.len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn assign_to_an_unknown_flow_is_404() {
    let sim = start();
    let error = sim
        .client()
        .assign_prospects()
        .body(assign_request("1234567890123456789", &["p1"]))
        .send()
        .await
        .expect_err("404");
    assert_eq!(
        error_response(error),
        (404, vec!["Flow not found".to_owned()])
    );

    let error = sim
        .client()
        .assign_prospects_cool_off_overrides()
        .body(assign_request("42", &["p1"]))
        .send()
        .await
        .expect_err("404");
    assert_eq!(
        error_response(error),
        (404, vec!["Flow not found".to_owned()])
    );
    assert_eq!(sim.instance_count(), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn cool_off_override_assigns_like_assign() {
    let sim = start();
    let answer = sim
        .client()
        .assign_prospects_cool_off_overrides()
        .body(assign_request(SDR_FLOW_ID, &["c1", "unknown-c2"]))
        .send()
        .await
        .expect("200")
        .into_inner();
    assert_eq!(answer.prospects_assigned.len(), 1);
    assert_eq!(answer.prospects_not_assigned.len(), 1);
    let again = sim
        .client()
        .assign_prospects_cool_off_overrides()
        .body(assign_request(SDR_FLOW_ID, &["c1"]))
        .send()
        .await
        .expect("200")
        .into_inner();
    assert_eq!(
        again.prospects_not_assigned[0].error_code,
        Some(AssignErrorCode::InvalidState)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn prospects_flows_by_crm_and_by_instance() {
    let sim = start();
    let sdr = assign(&sim, SDR_FLOW_ID, &["p1", "p2"]).await;
    let personal = assign(&sim, PERSONAL_FLOW_ID, &["p1"]).await;
    let finished = sdr.prospects_assigned[1].flow_instance_id.clone().unwrap();
    sim.set_instance_status(&finished, FlowInstanceStatus::FinishedNoReply)
        .unwrap();

    let by_crm = sim
        .client()
        .get_prospects_assigned_flows()
        .body(ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: Some(vec!["p1".into(), "p2".into(), "never-seen".into()]),
            flow_instance_ids: None,
        })
        .send()
        .await
        .expect("200")
        .into_inner();
    let flows: Vec<_> = by_crm
        .prospects_assigned
        .iter()
        .map(|a| {
            (
                a.crm_prospect_id.clone().unwrap(),
                a.flow_id.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        flows,
        [
            ("p1".to_owned(), SDR_FLOW_ID.to_owned()),
            ("p1".to_owned(), PERSONAL_FLOW_ID.to_owned())
        ],
        "open instances only"
    );
    assert!(
        by_crm
            .prospects_assigned
            .iter()
            .all(|a| a.flow_instance_status.is_some()
                && a.flow_instance_owner_full_name.is_some()
                && a.exclusive.is_some())
    );

    let by_instance = sim
        .client()
        .get_prospects_assigned_flows()
        .body(ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: None,
            flow_instance_ids: Some(vec![
                finished.clone(),
                personal.prospects_assigned[0]
                    .flow_instance_id
                    .clone()
                    .unwrap(),
                "999".into(),
                "not-a-number".into(),
            ]),
        })
        .send()
        .await
        .expect("200")
        .into_inner();
    assert_eq!(by_instance.prospects_assigned.len(), 2);
    assert_eq!(
        by_instance.prospects_assigned[0].flow_instance_status,
        Some(FlowInstanceStatus::FinishedNoReply),
        "finished ones too"
    );

    // Unknown ids: 200 with an empty list, present in the JSON.
    let raw = post(
        &sim,
        "/v2/flows/prospects",
        &json!({"crmProspectsIds": ["nobody"]}),
    )
    .await;
    assert_eq!(raw.status(), 200);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["prospectsAssigned"], json!([]));
    assert!(body["requestId"].is_string());

    // Neither list: 400.
    let raw = post(&sim, "/v2/flows/prospects", &json!({})).await;
    assert_eq!(
        common::error_messages(raw, 400).await,
        ["Either crmProspectsIds or flowInstanceIds must be given"]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn unassign_by_crm_id() {
    let sim = start();
    let sdr = assign(&sim, SDR_FLOW_ID, &["p1"]).await;
    let personal = assign(&sim, PERSONAL_FLOW_ID, &["p1"]).await;
    assign(&sim, SHARED_FLOW_ID, &["p1"]).await;
    let client = sim.client();
    let unassign = |flow_id: Option<&str>, crm: &str| {
        client
            .unassign_prospect_flows()
            .body(UnassignProspectFlowsRequest {
                crm_prospect_id: crm.to_owned(),
                flow_id: flow_id.map(str::to_owned),
                unassigned_by_user_email: Some(DEFAULT_USER_EMAIL.to_owned()),
            })
            .send()
    };

    let only_sdr = unassign(Some(SDR_FLOW_ID), "p1")
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        only_sdr.unassigned_flow_instance_ids,
        Some(vec![
            sdr.prospects_assigned[0].flow_instance_id.clone().unwrap()
        ])
    );
    assert_eq!(sim.instances_of("p1").len(), 2);

    let rest = unassign(None, "p1").await.unwrap().into_inner();
    let removed = rest.unassigned_flow_instance_ids.unwrap();
    assert_eq!(removed.len(), 2);
    assert!(
        removed.contains(
            &personal.prospects_assigned[0]
                .flow_instance_id
                .clone()
                .unwrap()
        )
    );
    assert!(sim.instances_of("p1").is_empty());

    // Unknown prospect: 200 with an empty list (recorded).
    let raw = post(
        &sim,
        "/v2/flows/prospects/unassign-flows-by-crm-id",
        &json!({"crmProspectId": "nobody"}),
    )
    .await;
    assert_eq!(raw.status(), 200);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["unassignedFlowInstanceIds"], json!([]));

    // Unassigned prospects can be assigned again; the history remembers.
    assign(&sim, SDR_FLOW_ID, &["p1"]).await;
    let dump = sim.state();
    assert_eq!(dump.times_assigned(SDR_FLOW_ID, "p1"), 2);
    assert_eq!(
        dump.assigned_more_than_once(),
        [(SDR_FLOW_ID.to_owned(), "p1".to_owned(), 2)]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn unassign_by_instance_id_is_all_or_nothing() {
    let sim = start();
    let answer = assign(&sim, SDR_FLOW_ID, &["p1", "p2", "p3"]).await;
    let ids: Vec<String> = answer
        .prospects_assigned
        .iter()
        .map(|a| a.flow_instance_id.clone().unwrap())
        .collect();
    let client = sim.client();

    let error = client
        .unassign_flows()
        .body(UnassignFlowsRequest {
            flow_instance_ids: vec![ids[0].clone(), "1".into()],
            unassigned_by_user_email: None,
        })
        .send()
        .await
        .expect_err("400");
    assert_eq!(
        error_response(error),
        (
            400,
            vec!["One or more of the given flowInstanceIds does not exist".to_owned()]
        )
    );
    assert_eq!(sim.instance_count(), 3, "nothing changed");

    // A finished instance exists but cannot be removed: absent from the answer.
    sim.set_instance_status(&ids[2], FlowInstanceStatus::Finished)
        .unwrap();
    let removed = client
        .unassign_flows()
        .body(UnassignFlowsRequest {
            flow_instance_ids: ids.clone(),
            unassigned_by_user_email: Some(DEFAULT_USER_EMAIL.into()),
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        removed.unassigned_flow_instance_ids,
        Some(ids[..2].to_vec())
    );
    assert_eq!(sim.instance_count(), 1);
    assert!(sim.instance(&ids[0]).is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn flow_steps() {
    let sim = start();
    let answer = sim
        .client()
        .get_flow_steps()
        .body(FlowStepsRequest {
            flow_ids: vec![SDR_FLOW_ID.into(), EXCLUSIVE_FLOW_ID.into()],
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.flows.len(), 2);
    let sdr = &answer.flows[0];
    assert_eq!(sdr.id.as_deref(), Some(SDR_FLOW_ID));
    assert_eq!(sdr.exclusive, Some(false));
    assert_eq!(answer.flows[1].exclusive, Some(true));
    let orders: Vec<_> = sdr.steps.iter().map(|s| s.step_order.unwrap()).collect();
    assert_eq!(orders, [1, 2, 3]);
    let actions: Vec<_> = sdr
        .steps
        .iter()
        .map(|s| s.action.clone().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            FlowStepAction::SendEmail,
            FlowStepAction::Call,
            FlowStepAction::AutoSendEmail
        ]
    );
    assert_eq!(sdr.steps[2].is_reply, Some(true));

    let error = sim
        .client()
        .get_flow_steps()
        .body(FlowStepsRequest {
            flow_ids: vec![SDR_FLOW_ID.into(), "1234567890123456789".into()],
        })
        .send()
        .await
        .expect_err("404");
    assert_eq!(
        error_response(error),
        (
            404,
            vec!["Flow not found: flowId=1234567890123456789".to_owned()]
        )
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn bulk_assignment_reaches_completed_and_assigns() {
    let sim = Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .bulk_stage(Duration::from_millis(20)),
    )
    .unwrap();
    assign(&sim, SDR_FLOW_ID, &["already"]).await;
    let prospect =
        |crm: Option<&str>, first: Option<&str>, last: Option<&str>| FlowAssignmentProspect {
            crm_id: crm.map(str::to_owned),
            first_name: first.map(str::to_owned),
            last_name: last.map(str::to_owned),
            ..Default::default()
        };
    let submitted = sim
        .client()
        .submit_flow_prospects_bulk_assignment()
        .body(FlowProspectsBulkAssignmentRequest {
            flow_id: SDR_FLOW_ID.into(),
            flow_instance_owner_email: DEFAULT_USER_EMAIL.into(),
            prospects: vec![
                prospect(Some("b1"), None, None),
                prospect(None, Some("Mike"), Some("Smith")),
                prospect(Some("unknown-b"), None, None),
                prospect(None, Some("Nameless"), None),
                prospect(Some("already"), None, None),
            ],
        })
        .send()
        .await
        .expect("202");
    assert_eq!(submitted.status().as_u16(), 202);
    let job = submitted.into_inner();
    assert_eq!(job.status, Some(BulkAssignmentStatus::Pending));
    assert_eq!(job.total_count, Some(5));
    let id = job.id.expect("job id");
    assert!(uuid_like(&id), "{id}");

    let deadline = Instant::now() + Duration::from_secs(60);
    let done = loop {
        let polled = sim
            .client()
            .get_flow_prospects_bulk_assignment()
            .id(&id)
            .send()
            .await
            .expect("200")
            .into_inner();
        if polled.status == Some(BulkAssignmentStatus::Completed) {
            break polled;
        }
        assert!(Instant::now() < deadline, "job never completed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(done.processed_count, Some(5));
    assert_eq!(done.success_count, Some(2));
    assert_eq!(done.failed_count, Some(3));
    let statuses: Vec<_> = done
        .results
        .iter()
        .map(|r| r.status.clone().unwrap())
        .collect();
    use FlowAssignmentResultStatus as S;
    assert_eq!(
        statuses,
        [
            S::Assigned,
            S::Assigned,
            S::FlowAssignmentFailed,
            S::CrmOperationFailed,
            S::FlowAssignmentFailed
        ]
    );
    assert_eq!(
        done.results[2].error_code.as_deref(),
        Some("InvalidArgument")
    );
    assert_eq!(done.results[4].error_code.as_deref(), Some("InvalidState"));
    let created = done.results[1]
        .crm_id
        .clone()
        .expect("a CRM id was created");
    assert!(created.starts_with("00Q") && created.len() == 18);
    let instance = done.results[1].flow_instance_id.clone().unwrap();
    assert_eq!(sim.instance(&instance).unwrap().crm_prospect_id, created);
    assert_eq!(sim.times_assigned(SDR_FLOW_ID, "b1"), 1);
    sim.shutdown().await;
}

use gong_flows_sim::Simulator;

fn uuid_like(id: &str) -> bool {
    id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4
}

#[tokio::test]
async fn bulk_job_stages_and_errors() {
    // A stage of an hour: the job is certainly still PENDING when polled.
    let slow = Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .bulk_stage(Duration::from_secs(3600)),
    )
    .unwrap();
    let body = json!({
        "flowId": SDR_FLOW_ID,
        "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
        "prospects": [{"crmId": "s1"}],
    });
    let job: Value = post(&slow, "/v2/flows/prospects/bulk-assignments", &body)
        .await
        .json()
        .await
        .unwrap();
    let id = job["id"].as_str().unwrap();
    assert_eq!(job["results"], json!([]));
    let polled: Value = get(&slow, &format!("/v2/flows/prospects/bulk-assignments/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(polled["status"], "PENDING");
    assert_eq!(slow.instance_count(), 0);
    slow.shutdown().await;

    // A zero stage completes the job at its first poll.
    let sim = start();
    let job: Value = post(&sim, "/v2/flows/prospects/bulk-assignments", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(job["status"], "PENDING");
    let id = job["id"].as_str().unwrap();
    let polled: Value = get(&sim, &format!("/v2/flows/prospects/bulk-assignments/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(polled["status"], "COMPLETED");
    assert_eq!(polled["results"][0]["status"], "ASSIGNED");

    let missing = get(&sim, "/v2/flows/prospects/bulk-assignments/no-such-job").await;
    assert_eq!(
        common::error_messages(missing, 404).await,
        ["Flow prospects bulk assignment no-such-job not found"]
    );
    let unknown_flow = post(
        &sim,
        "/v2/flows/prospects/bulk-assignments",
        &json!({"flowId": "5", "flowInstanceOwnerEmail": "a@b.c", "prospects": []}),
    )
    .await;
    assert_eq!(
        common::error_messages(unknown_flow, 404).await,
        ["Flow not found"]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn list_flows_by_visibility_and_most_recent() {
    let sim = start();
    let client = sim.client();
    let ids = |flows: &[gong_flows_api::types::PublicApiFlow]| -> Vec<String> {
        flows.iter().map(|f| f.id.clone().unwrap()).collect()
    };
    let owner = client
        .list_flows()
        .flow_owner_email(DEFAULT_USER_EMAIL)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(owner.flows.len(), 5, "company + personal + shared");
    let first = &owner.flows[0];
    assert_eq!(first.folder_name.as_deref(), Some("Outbound"));
    assert!(first.creation_date.is_some() && first.visibility.is_some());
    let records = owner.records.unwrap();
    assert_eq!(
        (records.total_records, records.current_page_size),
        (Some(5), Some(5))
    );
    assert_eq!(records.cursor, None);

    let teammate = client
        .list_flows()
        .flow_owner_email(dataset::TEAMMATE_EMAIL)
        .send()
        .await
        .unwrap()
        .into_inner();
    let teammate_ids = ids(&teammate.flows);
    assert!(!teammate_ids.contains(&PERSONAL_FLOW_ID.to_owned()));
    assert!(teammate_ids.contains(&SHARED_FLOW_ID.to_owned()));

    let in_workspace = client
        .list_flows()
        .flow_owner_email(DEFAULT_USER_EMAIL)
        .workspace_id(dataset::OTHER_WORKSPACE_ID)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ids(&in_workspace.flows), [dataset::OTHER_WORKSPACE_FLOW_ID]);

    let in_folder = client
        .list_flows()
        .flow_owner_email(DEFAULT_USER_EMAIL)
        .folder_id(dataset::ENTERPRISE_FOLDER_ID)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ids(&in_folder.flows), [EXCLUSIVE_FLOW_ID]);

    assign(&sim, SDR_FLOW_ID, &["r1"]).await;
    assign(&sim, PERSONAL_FLOW_ID, &["r1"]).await;
    let recent = client
        .list_flows()
        .flow_owner_email(DEFAULT_USER_EMAIL)
        .most_recently_assigned(true)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ids(&recent.flows), [PERSONAL_FLOW_ID, SDR_FLOW_ID]);

    let missing = get(&sim, "/v2/flows").await;
    assert_eq!(
        common::error_messages(missing, 400).await,
        [
            "Required request parameter 'flowOwnerEmail' for method parameter type String is not present"
        ]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn runtime_flows_and_folders() {
    let sim = start_with(SimConfig::default().dataset(gong_flows_sim::Dataset::empty()));
    let empty: Value = get(&sim, "/v2/flows?flowOwnerEmail=a%40b.c")
        .await
        .json()
        .await
        .unwrap();
    // The recorded empty answer's shape.
    assert_eq!(
        empty["records"],
        json!({"totalRecords": 0, "currentPageSize": 0, "currentPageNumber": 0})
    );
    assert_eq!(empty["flows"], json!([]));

    sim.add_folder(gong_flows_sim::FolderSpec::new("77", "Runtime"))
        .unwrap();
    sim.add_flow(
        gong_flows_sim::FlowSpec::new("78", "Added")
            .folder("77")
            .exclusive(true),
    )
    .unwrap();
    assert!(
        sim.add_flow(gong_flows_sim::FlowSpec::new("78", "dup"))
            .is_err()
    );
    assert!(
        sim.add_flow(gong_flows_sim::FlowSpec::new("79", "x").folder("1"))
            .is_err()
    );
    let answer = assign(&sim, "78", &["p"]).await;
    assert_eq!(answer.prospects_assigned[0].exclusive, Some(true));
    let page: Value = get(&sim, "/v2/flows?flowOwnerEmail=a%40b.c")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["flows"][0]["folderName"], "Runtime");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_assignments_never_double_assign() {
    let sim = start();
    let mut calls = tokio::task::JoinSet::new();
    for batch in 0..20 {
        let client = sim.client();
        calls.spawn(async move {
            let ids: Vec<String> = (0..200).map(|i| format!("c{batch}-{i}")).collect();
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            client
                .assign_prospects()
                .body(assign_request(SDR_FLOW_ID, &refs))
                .send()
                .await
                .map(|r| r.into_inner().prospects_assigned.len())
        });
    }
    while let Some(joined) = calls.join_next().await {
        assert_eq!(joined.expect("task").expect("200"), 200);
    }
    let again = assign(&sim, SDR_FLOW_ID, &["c0-0", "c19-199"]).await;
    assert_eq!(again.prospects_not_assigned.len(), 2);
    assert_eq!(sim.instance_count(), 4000);
    assert_eq!(sim.max_times_assigned(), 1);
    sim.shutdown().await;
}
