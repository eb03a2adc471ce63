//! What users build tests from: model constructors and their `Display`,
//! finding a flow by name, the typed httpmock answers and id matchers, and
//! the simulator's named dataset.

mod common;

use common::client;
use gong_flows::api::types as wire;
use gong_flows::{
    AssignErrorCode, Error, Flow, FlowInstance, FlowInstanceStatus, FlowStepAction, FlowVisibility,
    FlowWithSteps, Folder, Page, Step,
};
use gong_flows_httpmock::{MockServerExt as _, answers};
use gong_flows_sim::{Dataset, FlowSpec, SimConfig, Simulator, dataset};
use httpmock::MockServer;

const OWNER: &str = "owner@example.com";

fn sim_client(sim: &Simulator) -> gong_flows::Client {
    gong_flows::Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .unpaced()
        .build()
        .unwrap()
}

#[test]
fn models_built_bare_or_full_display_without_debug_noise() {
    let shown = [
        Flow::new("1", "SDR Flow").to_string(),
        Flow::from(wire::PublicApiFlow::default()).to_string(),
        Flow::new("1", "SDR Flow")
            .with_visibility(FlowVisibility::Unknown("Team".into()))
            .with_folder("9", "Outbound")
            .with_created("2024-01-17T16:20:05-03:00")
            .with_exclusive(true)
            .to_string(),
        Folder::new("9", "Outbound").to_string(),
        Folder::from(wire::PublicApiFlowFolder::default()).to_string(),
        FlowInstance::new("1", "p1").to_string(),
        FlowInstance::from(wire::PublicApiAssignedFlow::default()).to_string(),
        FlowInstance::new("1", "p1")
            .with_flow_name("SDR Flow")
            .with_instance_id("i1")
            .with_status(FlowInstanceStatus::FinishedNoReply)
            .with_created("2026-06-01T10:00:00.123Z")
            .to_string(),
        Step::new(3, FlowStepAction::AutoSendEmail)
            .with_subject("Re: Quick question")
            .with_reply(true)
            .to_string(),
        Step::from(wire::PublicApiFlowStep::default()).to_string(),
        FlowWithSteps::new("1", "SDR Flow").to_string(),
        Page::of(vec![Flow::new("1", "x")])
            .with_total_records(7)
            .to_string(),
        gong_flows::BulkProspect::new("Mike", "Smith")
            .email("mike@example.com")
            .to_string(),
    ];
    for line in &shown {
        for noise in ["Some(", "None", "Unknown(", "{", "\n"] {
            assert!(!line.contains(noise), "{noise:?} in {line:?}");
        }
    }
    assert_eq!(shown[1], "(unnamed) ()");
    assert_eq!(shown[2], "SDR Flow (1; Team; in Outbound; exclusive)");
    assert_eq!(
        shown[7],
        "p1 in SDR Flow (1) as instance i1, Finished (no reply), since 2026-06-01 10:00 +00:00"
    );
    assert_eq!(
        shown[8],
        "3. Automatic email — \"Re: Quick question\" (reply)"
    );
    assert_eq!(shown[11], "1 item of 7, last page");
    assert_eq!(shown[12], "Mike Smith <mike@example.com>");
}

#[test]
fn accessors_read_absent_values_as_empty() {
    let bare = Flow::from(wire::PublicApiFlow::default());
    assert_eq!(
        (bare.name(), bare.folder_name(), bare.is_exclusive()),
        ("", "", false)
    );
    let flow = Flow::new("1", "SDR Flow").with_exclusive(true);
    assert_eq!((flow.name(), flow.is_exclusive()), ("SDR Flow", true));
    // The raw optional fields are still there.
    assert_eq!(flow.name.as_deref(), Some("SDR Flow"));
    assert_eq!(flow.folder_id, None);
    let instance = FlowInstance::new("1", "p1");
    assert_eq!(
        (instance.flow_name(), instance.crm_prospect_id()),
        ("", "p1")
    );
}

#[test]
fn models_survive_the_wire_both_ways() {
    let flow = Flow::new("1", "SDR Flow")
        .with_folder("9", "Outbound")
        .with_visibility(FlowVisibility::Company)
        .with_created("2024-01-17T16:20:05-03:00")
        .with_exclusive(false);
    assert_eq!(Flow::from(wire::PublicApiFlow::from(flow.clone())), flow);
    let folder = Folder::new("9", "Outbound");
    assert_eq!(
        Folder::from(wire::PublicApiFlowFolder::from(folder.clone())),
        folder
    );
    let instance = FlowInstance::new("1", "p1")
        .with_instance_id("i1")
        .with_owner(OWNER, "Owner")
        .with_workspace("w")
        .with_exclusive(true);
    assert_eq!(
        FlowInstance::from(wire::PublicApiAssignedFlow::from(instance.clone())),
        instance
    );
    let steps = FlowWithSteps::new("1", "SDR Flow")
        .with_description("d")
        .with_steps([Step::new(1, FlowStepAction::Call)
            .with_id("s1")
            .with_body("b")]);
    assert_eq!(
        FlowWithSteps::from(wire::PublicApiFlowWithSteps::from(steps.clone())),
        steps
    );
}

// Finding a flow by name, against the simulator.

#[tokio::test]
async fn find_flow_by_name_on_the_simulator() {
    let sim =
        Simulator::start(SimConfig::default().no_rate_limits().page_size(2).flows(5)).unwrap();
    let client = sim_client(&sim);
    // The last seeded flow is on page 3 of 5: every page is followed.
    let flow = client
        .find_flow(dataset::DEFAULT_USER_EMAIL, dataset::SHARED_FLOW_NAME)
        .await
        .unwrap()
        .expect("the shared flow");
    assert_eq!(flow.id, dataset::SHARED_FLOW_ID);
    assert_eq!(flow.name(), dataset::SHARED_FLOW_NAME);
    // Spaces around the name do not matter; case does.
    let flow = client
        .find_flow(OWNER, &format!("  {}  ", dataset::SDR_FLOW_NAME))
        .await
        .unwrap();
    assert_eq!(flow.map(|f| f.id), Some(dataset::SDR_FLOW_ID.to_owned()));
    assert!(client.find_flow(OWNER, "sdr flow").await.unwrap().is_none());
    assert!(
        client
            .find_flow(OWNER, "No such flow")
            .await
            .unwrap()
            .is_none()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn two_flows_of_one_name_are_refused_naming_both() {
    let mut data = Dataset::seeded();
    data.flows
        .push(FlowSpec::new("4000000000000000001", dataset::SDR_FLOW_NAME));
    let sim = Simulator::start(SimConfig::default().no_rate_limits().dataset(data)).unwrap();
    let client = sim_client(&sim);
    let err = client
        .find_flow(OWNER, dataset::SDR_FLOW_NAME)
        .await
        .unwrap_err();
    let Error::InvalidInput { field, reason, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*field, "name");
    assert!(reason.contains(dataset::SDR_FLOW_ID), "{err}");
    assert!(reason.contains("4000000000000000001"), "{err}");
    let both = client
        .list_flows(OWNER)
        .named(dataset::SDR_FLOW_NAME)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(both.len(), 2);
    sim.shutdown().await;
}

// The same with typed mocks.

#[tokio::test]
async fn find_flow_by_name_with_typed_mocks_follows_the_cursor() {
    let server = MockServer::start_async().await;
    let first = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER).cursor(None);
        then.ok(&answers::flows_page(
            [Flow::new("1", "Renewals"), Flow::new("2", "Onboarding")],
            "page-2",
        ));
    });
    let second = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER).cursor("page-2");
        then.ok(&answers::flows([answers::flow("3", "SDR Flow")]));
    });
    let client = client(&server.base_url()).build().unwrap();
    let flow = client.find_flow(OWNER, "SDR Flow").await.unwrap().unwrap();
    assert_eq!(flow.id, "3");
    first.assert_calls(1);
    second.assert_calls(1);
}

#[tokio::test]
async fn the_assign_matcher_matches_the_ids_sent_in_any_order() {
    let server = MockServer::start_async().await;
    let flow = "1695493301223590792";
    // A mock for other ids must not answer.
    let other = server.assign_prospects(|when, then| {
        when.prospect_ids(["zz"]);
        then.ok(&answers::assign(flow, &["zz"], &[]));
    });
    let mock = server.assign_prospects(|when, then| {
        when.prospect_ids(["bad", "a2", "a1"])
            .flow_id(flow)
            .owner_email(OWNER);
        then.ok(&answers::assign(
            flow,
            &["a1", "a2"],
            &[("bad", AssignErrorCode::InvalidArgument)],
        ));
    });
    let client = client(&server.base_url()).build().unwrap();
    let report = client
        .assign(flow, OWNER)
        .prospects(["a1", "a2", "bad", "a1"])
        .description("any description: the matcher ignores it")
        .send()
        .await
        .unwrap();
    mock.assert_calls(1);
    other.assert_calls(0);
    let assigned: Vec<&str> = report.assigned.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(assigned, ["a1", "a2"]);
    assert_eq!(
        report.assigned[0].flow_instance_id(),
        Some(answers::instance_id("a1").as_str())
    );
    assert_eq!(report.not_assigned.len(), 1);
    assert_eq!(
        report.not_assigned[0].error_code,
        Some(AssignErrorCode::InvalidArgument)
    );
    assert_eq!(report.stats.duplicates, ["a1"]);
}

#[tokio::test]
async fn the_matchers_refuse_a_subset_or_a_superset_of_the_ids() {
    let server = MockServer::start_async().await;
    let mock = server.assign_prospects(|when, then| {
        when.prospect_ids(["a1", "a2"]);
        then.ok(&answers::assign("42", &["a1", "a2"], &[]));
    });
    let client = client(&server.base_url()).build().unwrap();
    for ids in [vec!["a1"], vec!["a1", "a2", "a3"]] {
        let (_, report) = common::stopped(client.assign("42", OWNER).prospects(ids).send().await);
        assert!(report.assigned.is_empty(), "{:?}", report.assigned);
    }
    mock.assert_calls(0);
}

#[tokio::test]
async fn unassign_and_prospect_questions_with_typed_answers() {
    let server = MockServer::start_async().await;
    // The look-up before removing instances: both are there.
    let before = server.get_prospects_assigned_flows(|when, then| {
        when.instance_ids(["i1", "i2"]);
        then.ok(&answers::prospects_flows([
            FlowInstance::new("42", "p1").with_instance_id("i1"),
            FlowInstance::new("42", "p2").with_instance_id("i2"),
        ]));
    });
    let unassign = server.unassign_flows(|when, then| {
        when.instance_ids(["i2", "i1"]);
        then.ok(&answers::unassign(&["i1", "i2"]));
    });
    let by_crm = server.unassign_prospect_flows(|when, then| {
        when.prospect_id("p1").flow_id("42");
        then.ok(&answers::unassign(&["i9"]));
    });
    let question = server.get_prospects_assigned_flows(|when, then| {
        when.prospect_ids(["p1"]);
        then.ok(&answers::prospects_flows([FlowInstance::new("42", "p1")
            .with_flow_name("SDR Flow")
            .with_instance_id("i9")]));
    });
    let steps = server.get_flow_steps(|when, then| {
        when.flow_ids(["42"]);
        then.ok(&answers::flow_steps([FlowWithSteps::new("42", "SDR Flow")
            .with_steps([
                Step::new(1, FlowStepAction::SendEmail).with_subject("Hi")
            ])]));
    });
    let client = client(&server.base_url()).build().unwrap();
    let report = client
        .unassign_instances(["i1", "i2"])
        .send()
        .await
        .unwrap();
    assert_eq!(report.unassigned.len(), 2);
    let removed = client
        .unassign_prospect("p1")
        .flow_id("42")
        .send()
        .await
        .unwrap();
    assert_eq!(removed.flow_instance_ids, ["i9"]);
    let found = client
        .prospects_flows()
        .crm_prospect_ids(["p1"])
        .send()
        .await
        .unwrap();
    assert_eq!(
        found.instances[0].to_string(),
        "p1 in SDR Flow (42) as instance i9"
    );
    let flows = client.flow_steps(["42"]).send().await.unwrap();
    assert_eq!(
        flows.flows[0].steps[0].to_string(),
        "1. Send email — \"Hi\""
    );
    for mock in [before, unassign, by_crm, question, steps] {
        mock.assert_calls(1);
    }
}

#[tokio::test]
async fn typed_error_answers_carry_the_request_id_once() {
    let server = MockServer::start_async().await;
    server.list_flows(|when, then| {
        when.flow_owner_email(OWNER);
        then.forbidden(&answers::error(&["Missing scope api:flows:read"]));
    });
    let client = client(&server.base_url()).build().unwrap();
    let err = client.find_flow(OWNER, "SDR Flow").await.unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    assert_eq!(err.request_id(), Some(answers::REQUEST_ID));
    assert_eq!(err.to_string().matches(answers::REQUEST_ID).count(), 1);
}
