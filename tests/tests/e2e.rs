//! Every ergonomic operation against the simulator, end to end over HTTP.

use futures::TryStreamExt as _;
use gong_flows::{
    AssignErrorCode, BulkProspect, Client, Error, FlowInstanceStatus, FlowVisibility, PollPolicy,
};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_FULL_TOKEN, DEFAULT_READ_ONLY_TOKEN,
    Endpoint, FoldersShape, SimConfig, Simulator, dataset,
};
use std::time::Duration;

const OWNER: &str = dataset::DEFAULT_USER_EMAIL;
const FLOW: &str = dataset::SDR_FLOW_ID;

fn sim(config: SimConfig) -> Simulator {
    Simulator::start(config.no_rate_limits()).expect("simulator starts")
}

fn client(sim: &Simulator) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .unpaced()
        .build()
        .expect("client builds")
}

fn quick_polls() -> PollPolicy {
    PollPolicy {
        first_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(100),
        limit: Duration::from_secs(30),
    }
}

#[tokio::test]
async fn lists_flows_across_many_pages() {
    let sim = sim(SimConfig::default().flows(250).page_size(20));
    let client = client(&sim);
    let flows = client.list_flows(OWNER).collect_all().await.unwrap();
    // 250 generated flows plus the dataset's own that this user can see.
    assert!(flows.len() >= 250, "{}", flows.len());
    let unique: std::collections::HashSet<&str> = flows.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(unique.len(), flows.len(), "no flow twice across pages");
    let pages = sim.counters().calls(Endpoint::ListFlows);
    assert_eq!(pages as usize, flows.len().div_ceil(20));

    let first = client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(first.items.len(), 20);
    assert!(first.next_cursor.is_some());
    assert_eq!(first.total_records, Some(flows.len() as i32));
    let second = client
        .list_flows(OWNER)
        .cursor(first.next_cursor.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(second.items[0].id, flows[20].id);
}

#[tokio::test]
async fn lists_folders_in_the_real_shape() {
    let sim = sim(SimConfig::default());
    let client = client(&sim);
    let folders = client.list_folders(OWNER).collect_all().await.unwrap();
    let shared = folders
        .iter()
        .find(|f| f.id == dataset::SHARED_WITH_YOU_FOLDER_ID)
        .expect("the shared folder");
    assert_eq!(shared.parent_folder_id, None, "\"null\" becomes None");
    assert_eq!(shared.visibility, Some(FlowVisibility::Shared));
    assert!(
        folders
            .iter()
            .any(|f| f.parent_folder_id.as_deref() == Some(dataset::OUTBOUND_FOLDER_ID))
    );
}

#[tokio::test]
async fn assign_look_up_and_unassign_round_trip() {
    let sim = sim(SimConfig::default());
    let client = client(&sim);
    let mut ids: Vec<String> = (0..450).map(|i| format!("0035g{i:010}")).collect();
    ids.push("unknown-7".into());
    ids.push(ids[0].clone());
    let report = client
        .assign(FLOW, OWNER)
        .prospects(&ids)
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 450);
    assert_eq!(report.not_assigned.len(), 1);
    assert_eq!(
        report.not_assigned[0].error_code,
        Some(AssignErrorCode::InvalidArgument)
    );
    assert_eq!(report.stats.duplicates, [ids[0].clone()]);
    assert_eq!(report.stats.requests, 3);
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 3);
    for id in &ids[..450] {
        assert_eq!(sim.times_assigned(FLOW, id), 1);
    }

    // Assigning again: Gong refuses with InvalidState, a look-up finds them in
    // the flow, and they are done, not failed; nothing is doubled.
    let again = client
        .assign(FLOW, OWNER)
        .prospects(&ids[..10])
        .send()
        .await
        .unwrap();
    assert_eq!(again.already_in_flow.len(), 10);
    assert!(again.not_assigned.is_empty());
    assert_eq!(again.stats.requests, 2, "one assign, one look-up");
    assert_eq!(gong_flows::Outcome::of_report(&again).code(), 0);

    let found = client
        .prospects_flows()
        .crm_prospect_ids(&ids[..3])
        .send()
        .await
        .unwrap();
    assert_eq!(found.instances.len(), 3);
    assert!(
        found
            .instances
            .iter()
            .all(|i| i.flow_id.as_deref() == Some(FLOW))
    );
    assert!(matches!(
        found.instances[0].status,
        Some(FlowInstanceStatus::Pending | FlowInstanceStatus::Running)
    ));
    let by_instance = client
        .prospects_flows()
        .flow_instance_ids(
            report.assigned[..2]
                .iter()
                .filter_map(|a| a.flow_instance_id().map(str::to_owned)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(by_instance.instances.len(), 2);

    // Unassign one by CRM id, many by CRM id, and some by instance id.
    let one = client
        .unassign_prospect(&ids[0])
        .flow_id(FLOW)
        .send()
        .await
        .unwrap();
    assert_eq!(one.flow_instance_ids.len(), 1);
    let many = client
        .unassign_prospects(&ids[1..5])
        .unassigned_by(OWNER)
        .send()
        .await
        .unwrap();
    assert_eq!(many.unassigned.len(), 4);
    let instances: Vec<String> = report.assigned[5..210]
        .iter()
        .filter_map(|a| a.flow_instance_id().map(str::to_owned))
        .chain(["404040404040".to_owned()])
        .collect();
    let by_id = client.unassign_instances(&instances).send().await.unwrap();
    assert_eq!(by_id.unassigned.len(), 205);
    assert_eq!(by_id.not_unassigned.len(), 1);
    assert_eq!(by_id.not_unassigned[0].id, "404040404040");
    assert!(sim.instances_of(&ids[0]).iter().all(|i| i.flow_id != FLOW));
    assert_eq!(sim.state().prospects_in_flow(FLOW).len(), 450 - 210);
}

#[tokio::test]
async fn exclusive_flows_refuse_a_second_flow() {
    let sim = sim(SimConfig::default());
    let client = client(&sim);
    let exclusive = client
        .assign(dataset::EXCLUSIVE_FLOW_ID, OWNER)
        .prospects(["0035gEXCL0001"])
        .send()
        .await
        .unwrap();
    assert_eq!(exclusive.assigned.len(), 1);
    let other = client
        .assign(FLOW, OWNER)
        .prospects(["0035gEXCL0001"])
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.not_assigned[0].error_code,
        Some(AssignErrorCode::InvalidState)
    );
}

#[tokio::test]
async fn steps_isolate_an_unknown_flow() {
    let sim = sim(SimConfig::default().flows(30));
    let client = client(&sim);
    let mut ids: Vec<String> = client
        .list_flows(OWNER)
        .stream()
        .map_ok(|f| f.id)
        .try_collect()
        .await
        .unwrap();
    ids.push("1234567890123456789".into());
    let report = client.flow_steps(&ids).send().await.unwrap();
    assert_eq!(report.flows.len(), ids.len() - 1);
    assert_eq!(report.not_found.len(), 1);
    assert!(
        report.not_found[0]
            .error_message
            .contains("Flow not found: flowId=1234567890123456789")
    );
    let sdr = report.flows.iter().find(|f| f.id == FLOW).unwrap();
    assert!(!sdr.steps.is_empty());
}

#[tokio::test]
async fn bulk_assignment_runs_to_completion() {
    let sim = sim(SimConfig::default().bulk_stage(Duration::from_millis(10)));
    let client = client(&sim);
    let mut prospects: Vec<BulkProspect> = (0..60)
        .map(|i| BulkProspect::crm_id(format!("0035gBULK{i:04}")))
        .collect();
    prospects.push(BulkProspect::new("Mike", "Smith").email("mike@example.com"));
    let report = client
        .bulk_assign(FLOW, OWNER)
        .prospects(prospects)
        .poll_policy(quick_polls())
        .send()
        .await
        .unwrap();
    assert_eq!(report.jobs.len(), 2, "61 prospects: jobs of 50 and 11");
    assert!(report.is_complete());
    assert_eq!(report.assigned.len() + report.not_assigned.len(), 61);
    assert_eq!(report.assigned.len(), 61);
    assert_eq!(sim.times_assigned(FLOW, "0035gBULK0000"), 1);

    let job = client
        .bulk_assignment(report.jobs[0].id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(job.total_count, Some(50));
    let err = client
        .bulk_assignment("00000000-0000-0000-0000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)));
}

#[tokio::test]
async fn wrong_credentials_and_missing_scopes() {
    let sim = sim(SimConfig::default());
    let wrong = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, "wrong")
        .unpaced()
        .build()
        .unwrap();
    let err = wrong.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    assert!(err.request_id().is_some());

    let report = wrong
        .assign(FLOW, OWNER)
        .prospects(["a1", "a2"])
        .send()
        .await
        .unwrap_err()
        .into_report()
        .expect("a stopped job carries its report");
    assert_eq!(report.not_attempted.len(), 2);
    assert!(matches!(
        report.stats.stopped.as_deref(),
        Some(Error::Unauthorized(_))
    ));

    let read_only = Client::builder()
        .base_url(sim.base_url())
        .bearer_token(DEFAULT_READ_ONLY_TOKEN)
        .unpaced()
        .build()
        .unwrap();
    read_only.list_flows(OWNER).send().await.unwrap();
    let report = read_only
        .assign(FLOW, OWNER)
        .prospects(["a1"])
        .send()
        .await
        .unwrap_err()
        .into_report()
        .expect("a stopped job carries its report");
    assert!(matches!(
        report.stats.stopped.as_deref(),
        Some(Error::Forbidden(_))
    ));
    // Both unassign operations need the write scope too: 403, which the
    // spec declares there (Gong's document does not), decoded as Gong's
    // error with its request id, not as an unexpected answer. (Their
    // look-ups are reads, which the token may make: the prospect is in the
    // flow, so the write is tried.)
    let placed = client(&sim)
        .assign(FLOW, OWNER)
        .prospects(["scoped-1"])
        .send()
        .await
        .unwrap();
    let instance = placed.assigned[0].flow_instance_id().unwrap().to_owned();
    let by_crm = read_only
        .unassign_prospects(["scoped-1"])
        .send()
        .await
        .unwrap_err()
        .into_report()
        .expect("a stopped job carries its report");
    let by_instance = read_only
        .unassign_instances([instance])
        .send()
        .await
        .unwrap_err()
        .into_report()
        .expect("a stopped job carries its report");
    for report in [by_crm, by_instance] {
        assert_eq!(report.not_attempted.len(), 1);
        let stopped = report.stats.stopped.as_deref();
        assert!(matches!(stopped, Some(Error::Forbidden(_))), "{stopped:?}");
        let stopped = stopped.unwrap();
        assert!(stopped.request_id().is_some(), "{stopped:?}");
        assert!(stopped.to_string().contains("api:flows:write"), "{stopped}");
    }

    let full = Client::builder()
        .base_url(sim.base_url())
        .bearer_token(DEFAULT_FULL_TOKEN)
        .unpaced()
        .build()
        .unwrap();
    let report = full
        .assign(FLOW, OWNER)
        .prospects(["a1"])
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 1);
}

#[tokio::test]
async fn the_client_keeps_to_the_simulators_rate_limit() {
    // The simulator enforces 3 calls in any second; the client paces at 3/s.
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let client = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .build()
        .unwrap();
    let ids: Vec<String> = (0..8).map(|i| format!("0035gRATE{i}")).collect();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(&ids)
        .chunk_size(1)
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 8);
    assert_eq!(sim.counters().too_many_requests(), 0);
}

mod faults {
    use super::*;
    use gong_flows::RetryPolicy;
    use gong_flows_sim::Fault;

    fn quick_client(sim: &Simulator) -> Client {
        Client::builder()
            .base_url(sim.base_url())
            .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
            .unpaced()
            .request_timeout(Duration::from_millis(500))
            .retry_policy(
                RetryPolicy::default()
                    .with_base_delay(Duration::from_millis(5))
                    .with_max_delay(Duration::from_millis(20)),
            )
            .build()
            .unwrap()
    }

    /// Each way an assign's answer can be lost after Gong applied it ends
    /// with the prospects assigned once and reported assigned (reconciled).
    #[tokio::test]
    async fn lost_assign_answers_are_reconciled() {
        for fault in [
            Fault::AppliedThenFailed,
            Fault::MalformedJson,
            Fault::Timeout {
                delay: Duration::from_secs(2),
            },
        ] {
            let sim = sim(SimConfig::default());
            sim.script_faults(Some(Endpoint::AssignProspects), fault, 1);
            let ids = ["0035gLOST1", "0035gLOST2", "unknown-lost"];
            let report = quick_client(&sim)
                .assign(FLOW, OWNER)
                .prospects(ids)
                .send()
                .await
                .unwrap();
            assert_eq!(report.assigned.len(), 2, "{fault:?}");
            assert!(report.assigned.iter().all(|a| a.reconciled), "{fault:?}");
            assert_eq!(report.not_assigned.len(), 1, "{fault:?}");
            assert_eq!(sim.max_times_assigned(), 1, "{fault:?}");
            assert_eq!(
                sim.counters().calls(Endpoint::AssignProspects),
                2,
                "{fault:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_dropped_connection_is_retried_for_reads() {
        let sim = sim(SimConfig::default());
        sim.script_faults(Some(Endpoint::ListFlows), Fault::ConnectionReset, 2);
        let flows = quick_client(&sim)
            .list_flows(OWNER)
            .collect_all()
            .await
            .unwrap();
        assert!(!flows.is_empty());
        assert_eq!(sim.counters().calls(Endpoint::ListFlows), 3);
    }

    #[tokio::test]
    async fn a_timed_out_read_is_a_timeout_error() {
        let sim = sim(SimConfig::default());
        sim.script_faults(
            Some(Endpoint::ListFlows),
            Fault::Timeout {
                delay: Duration::from_secs(2),
            },
            1,
        );
        let client = Client::builder()
            .base_url(sim.base_url())
            .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
            .unpaced()
            .request_timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let err = client.list_flows(OWNER).send().await.unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert!(err.may_have_been_sent());
    }

    #[tokio::test]
    async fn a_bulk_submit_whose_answer_was_lost_is_not_repeated() {
        let sim = sim(SimConfig::default());
        sim.script_faults(
            Some(Endpoint::SubmitFlowProspectsBulkAssignment),
            Fault::AppliedThenFailed,
            1,
        );
        let report = quick_client(&sim)
            .bulk_assign(FLOW, OWNER)
            .prospects([BulkProspect::crm_id("0035gBULKLOST")])
            .poll_policy(quick_polls())
            .send()
            .await
            .unwrap_err()
            .into_report()
            .expect("a stopped job carries its report");
        assert_eq!(
            sim.counters()
                .calls(Endpoint::SubmitFlowProspectsBulkAssignment),
            1
        );
        assert_eq!(report.not_attempted.len(), 1);
        assert!(report.not_attempted[0].error.may_have_been_sent());
    }

    #[tokio::test]
    async fn a_rate_limit_burst_is_waited_out() {
        let sim = sim(SimConfig::default());
        sim.script_faults(None, Fault::RateLimitBurst { length: 2 }, 1);
        let report = quick_client(&sim)
            .assign(FLOW, OWNER)
            .prospects(["0035gBURST"])
            .send()
            .await
            .unwrap();
        assert_eq!(report.assigned.len(), 1);
        assert_eq!(sim.counters().too_many_requests(), 2);
        assert_eq!(report.stats.requests, 3);
    }
}

#[tokio::test]
async fn folders_are_the_same_in_both_shapes() {
    let mut listings = Vec::new();
    for shape in [FoldersShape::Observed, FoldersShape::Documented] {
        let sim = sim(SimConfig::default().page_size(2).folders_shape(shape));
        let client = client(&sim);
        let folders = client.list_folders(OWNER).collect_all().await.unwrap();
        let streamed: Vec<_> = client
            .list_folders(OWNER)
            .stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(streamed.len(), folders.len(), "{shape}");
        // Pages of 2: three calls for five folders.
        assert_eq!(sim.counters().succeeded(Endpoint::ListFlowsFolders), 6);
        let below = client
            .list_folders(OWNER)
            .parent_id(dataset::OUTBOUND_FOLDER_ID.parse().unwrap())
            .collect_all()
            .await
            .unwrap();
        assert!(!below.is_empty(), "{shape}");
        listings.push((shape, folders, below));
        sim.shutdown().await;
    }
    let [
        (_, observed, observed_below),
        (_, documented, documented_below),
    ] = &listings[..]
    else {
        unreachable!("two shapes");
    };
    assert_eq!(observed.len(), 5);
    let view = |folders: &[gong_flows::Folder]| {
        folders
            .iter()
            .map(|f| {
                (
                    f.id.clone(),
                    f.name.clone(),
                    f.parent_folder_id.clone(),
                    f.visibility.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(view(observed), view(documented));
    assert_eq!(view(observed_below), view(documented_below));
    assert!(observed.iter().any(|f| f.parent_folder_id.is_some()));
    assert!(observed.iter().any(|f| f.parent_folder_id.is_none()));
    assert_eq!(observed[0].visibility, Some(FlowVisibility::Shared));
    // Only the observed shape names the creator.
    assert!(documented.iter().all(|f| f.created_by_id.is_none()));
}
