//! Syncs against the simulator: a flow's membership kept equal to a list,
//! run after run, sparing what the sync did not add, refusing truncated
//! lists, surviving faults and lost answers.

use gong_flows::{
    Client, Error, FlowInstanceStatus, JobError, LeftAloneReason, ManagedState, MaxRemovals,
    MemoryStore, SqliteStore, SyncReport, SyncStore,
};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, Endpoint, Fault, Latency, SimConfig, Simulator,
    dataset,
};
use proptest::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

const OWNER: &str = dataset::DEFAULT_USER_EMAIL;
const FLOW: &str = dataset::SDR_FLOW_ID;

fn sim() -> Simulator {
    Simulator::start(SimConfig::default().no_rate_limits()).expect("simulator starts")
}

fn client(sim: &Simulator) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .unpaced()
        .build()
        .expect("client builds")
}

fn ids(prefix: &str, range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("{prefix}{i:05}")).collect()
}

/// The CRM ids with an open instance in `FLOW`, as the simulator holds it.
fn members(sim: &Simulator) -> BTreeSet<String> {
    sim.state()
        .instances
        .into_iter()
        .filter(|i| i.flow_id == FLOW && !is_finished(&i.status))
        .map(|i| i.crm_prospect_id)
        .collect()
}

fn is_finished(status: &FlowInstanceStatus) -> bool {
    matches!(
        status,
        FlowInstanceStatus::Finished
            | FlowInstanceStatus::FinishedNoReply
            | FlowInstanceStatus::FinishedResponse
    )
}

async fn sync(
    client: &Client,
    store: &Arc<dyn SyncStore>,
    list: &[String],
    limit: Option<MaxRemovals>,
) -> Result<SyncReport, JobError<SyncReport>> {
    let mut sync = client
        .sync(FLOW, OWNER)
        .prospects(list.iter().cloned())
        .shared_store(store.clone());
    if let Some(limit) = limit {
        sync = sync.max_removals(limit);
    }
    sync.plan().await?.apply().await
}

/// The error of a sync refused before anything was written or sent.
fn invalid(result: Result<SyncReport, JobError<SyncReport>>) -> Error {
    match result {
        Err(JobError::Invalid(error)) => error,
        other => panic!("expected nothing sent, got {other:?}"),
    }
}

/// The error and the partial report of a sync that stopped; every
/// prospect of the plan is in the report.
fn stopped(result: Result<SyncReport, JobError<SyncReport>>) -> (Arc<Error>, SyncReport) {
    match result {
        Err(JobError::Stopped { error, report }) => {
            assert_eq!(
                report.stats.stopped.as_ref().map(|e| e.to_string()),
                Some(error.to_string())
            );
            (error, *report)
        }
        other => panic!("expected a stopped sync, got {other:?}"),
    }
}

fn set(ids: &[String]) -> BTreeSet<String> {
    ids.iter().cloned().collect()
}

#[tokio::test]
async fn a_first_sync_then_a_changed_list_converges_sparing_what_it_did_not_add() {
    let sim = sim();
    let client = client(&sim);
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    // A rep's own prospect, listed later and never removed by the sync.
    let by_hand = sim.assign_directly(FLOW, "hand-1").unwrap();
    let first = ids("p", 0..1000);
    let report = sync(&client, &store, &first, None).await.unwrap();
    assert_eq!(report.assigned.len(), 1000, "{report}");
    assert_eq!(report.total(), 1000);
    assert!(report.is_in_step());
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 5);
    let mut expected = set(&first);
    expected.insert("hand-1".into());
    assert_eq!(members(&sim), expected);

    // 200 dropped, 100 added, the rep's prospect listed too.
    let mut second: Vec<String> = first[200..].to_vec();
    second.extend(ids("q", 0..100));
    second.push("hand-1".into());
    let refused = invalid(sync(&client, &store, &second, None).await);
    assert!(
        matches!(
            refused,
            Error::SyncGuard {
                removals: 200,
                managed: 1000,
                limit: 100,
                ..
            }
        ),
        "{refused}"
    );
    let before = sim.counters();
    let report = sync(&client, &store, &second, Some(MaxRemovals::Percent(25.0)))
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 100, "{report}");
    assert_eq!(report.unassigned.len(), 200);
    assert_eq!(report.unchanged.len(), 800);
    assert_eq!(report.left_alone.len(), 1);
    assert_eq!(report.left_alone[0].reason, LeftAloneReason::NotManaged);
    assert_eq!(report.total(), second.len() + 200);
    let calls = sim.counters().total - before.total;
    // Look-ups of 1,101 listed and 200 dropped (7), one unassign of 200,
    // one assign of 100.
    assert_eq!(calls, 7 + 1 + 1);
    assert_eq!(u64::from(report.stats.requests), calls);
    let mut expected = set(&second);
    expected.insert("hand-1".into());
    assert_eq!(members(&sim), expected);
    assert!(
        sim.instance(&by_hand.instance_id).is_some(),
        "the rep's instance stays"
    );

    // Dropped from the list, the rep's prospect still stays: not the sync's.
    let third: Vec<String> = second
        .iter()
        .filter(|id| *id != "hand-1")
        .cloned()
        .collect();
    let report = sync(&client, &store, &third, None).await.unwrap();
    assert!(report.unassigned.is_empty(), "{report}");
    assert!(members(&sim).contains("hand-1"));
    assert_eq!(sim.max_times_assigned(), 1, "nobody assigned twice");
}

#[tokio::test]
async fn a_re_run_with_nothing_to_do_only_reads() {
    let sim = sim();
    let client = client(&sim);
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    let list = ids("p", 0..1000);
    sync(&client, &store, &list, None).await.unwrap();
    sim.reset_counters();
    let plan = client
        .sync(FLOW, OWNER)
        .prospects(list.clone())
        .shared_store(store.clone())
        .plan()
        .await
        .unwrap();
    assert!(plan.is_noop(), "{plan}");
    assert_eq!(plan.calls, 0);
    assert_eq!(plan.unchanged.len(), 1000);
    let report = plan.apply().await.unwrap();
    let counters = sim.counters();
    assert_eq!(counters.calls(Endpoint::AssignProspects), 0);
    assert_eq!(counters.calls(Endpoint::UnassignFlows), 0);
    assert!(
        counters.total <= 1000_u64.div_ceil(200) + 1,
        "{} calls",
        counters.total
    );
    assert_eq!(u64::from(report.stats.requests), counters.total);
}

#[tokio::test]
async fn a_truncated_or_empty_list_is_refused_with_nothing_sent() {
    let sim = sim();
    let client = client(&sim);
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    let list = ids("p", 0..400);
    sync(&client, &store, &list, None).await.unwrap();
    let writes = |sim: &Simulator| {
        let c = sim.counters();
        c.calls(Endpoint::AssignProspects) + c.calls(Endpoint::UnassignFlows)
    };
    let before = writes(&sim);
    // A truncated export: the first half only.
    let error = invalid(sync(&client, &store, &list[..200], None).await);
    assert!(
        matches!(
            error,
            Error::SyncGuard {
                removals: 200,
                limit: 40,
                ..
            }
        ),
        "{error}"
    );
    // An empty export, even within an explicit count limit of zero removals.
    let error = invalid(sync(&client, &store, &[], None).await);
    assert!(
        matches!(
            error,
            Error::SyncGuard {
                empty_list: true,
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(writes(&sim), before, "nothing written");
    assert_eq!(members(&sim), set(&list));
    // The plan says why, before anything is applied.
    let plan = client
        .sync(FLOW, OWNER)
        .prospects(list[..200].to_vec())
        .shared_store(store.clone())
        .plan()
        .await
        .unwrap();
    assert!(plan.refusal.is_some());
    assert!(plan.to_string().contains("cool-off"), "{plan}");
    let json = plan.to_json();
    assert_eq!(json["toUnassign"], 200);
    assert_eq!(json["toAssign"], 0);
    assert_eq!(json["unchanged"], 200);
    assert!(json["refusal"].as_str().unwrap().contains("truncated"));
    drop(plan);
    // Emptying the flow on purpose: an explicit limit that covers it.
    let report = sync(&client, &store, &[], Some(MaxRemovals::Percent(100.0)))
        .await
        .unwrap();
    assert_eq!(report.unassigned.len(), 400);
    assert!(members(&sim).is_empty());
}

#[tokio::test]
async fn finished_prospects_are_not_enrolled_again_and_removed_ones_not_put_back() {
    let sim = sim();
    let client = client(&sim);
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    let list = ids("p", 0..10);
    let report = sync(&client, &store, &list, None).await.unwrap();
    let instance = |id: &str| {
        report
            .assigned
            .iter()
            .find(|a| a.id == id)
            .and_then(|a| a.flow_instance_id.clone())
            .unwrap()
    };
    sim.set_instance_status(&instance("p00000"), FlowInstanceStatus::FinishedResponse)
        .unwrap();
    sim.unassign_directly(&instance("p00001")).unwrap();
    let report = sync(&client, &store, &list, None).await.unwrap();
    assert!(report.assigned.is_empty(), "{report}");
    let reasons: Vec<(&str, LeftAloneReason)> = report
        .left_alone
        .iter()
        .map(|l| (l.crm_prospect_id.as_str(), l.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            ("p00000", LeftAloneReason::Finished),
            ("p00001", LeftAloneReason::RemovedOutside)
        ]
    );
    let states: Vec<ManagedState> = {
        let mut records = store.load(FLOW).await.unwrap();
        records.sort_by(|a, b| a.crm_prospect_id.cmp(&b.crm_prospect_id));
        records.iter().take(2).map(|m| m.state).collect()
    };
    assert_eq!(states, [ManagedState::Finished, ManagedState::Removed]);
    // A third run needs no look-up by instance id: the state knows.
    sim.reset_counters();
    sync(&client, &store, &list, None).await.unwrap();
    assert_eq!(sim.counters().total, 1);
    assert_eq!(sim.times_assigned(FLOW, "p00000"), 1);
    // Asked to, both go back in.
    let report = client
        .sync(FLOW, OWNER)
        .prospects(list.clone())
        .shared_store(store.clone())
        .re_enroll_finished(true)
        .restore_removed(true)
        .plan()
        .await
        .unwrap()
        .apply()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 2, "{report}");
    assert_eq!(sim.times_assigned(FLOW, "p00000"), 2);
}

#[tokio::test]
async fn adopted_prospects_are_managed_and_removed_once_unlisted() {
    let sim = sim();
    let client = client(&sim);
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    sim.assign_directly(FLOW, "hand-1").unwrap();
    let report = client
        .sync(FLOW, OWNER)
        .prospects(["hand-1", "p1"])
        .shared_store(store.clone())
        .adopt(true)
        .plan()
        .await
        .unwrap()
        .apply()
        .await
        .unwrap();
    assert_eq!(report.adopted, ["hand-1"]);
    assert_eq!(report.assigned.len(), 1);
    let report = sync(&client, &store, &["p1".into()], Some(MaxRemovals::Count(1)))
        .await
        .unwrap();
    assert_eq!(report.unassigned.len(), 1, "{report}");
    assert_eq!(members(&sim), set(&["p1".into()]));
}

#[tokio::test]
async fn two_syncs_of_one_flow_at_once_the_second_refuses() {
    let sim = sim();
    let client = client(&sim);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sync.db");
    let first = SqliteStore::open(&path).unwrap();
    let second = SqliteStore::open(&path).unwrap();
    let plan = client
        .sync(FLOW, OWNER)
        .prospects(["a"])
        .store(first)
        .plan()
        .await
        .unwrap();
    let error = client
        .sync(FLOW, OWNER)
        .prospects(["a"])
        .store(second)
        .plan()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::SyncLocked { .. }), "{error}");
    plan.apply().await.unwrap();
    // Released at the end of the apply: a later sync goes on.
    let again = SqliteStore::open(&path).unwrap();
    let report = client
        .sync(FLOW, OWNER)
        .prospects(["a"])
        .store(again)
        .plan()
        .await
        .unwrap()
        .apply()
        .await
        .unwrap();
    assert_eq!(report.unchanged, ["a"]);
}

#[tokio::test]
async fn a_sqlite_state_survives_the_process_and_bad_input_sends_nothing() {
    let sim = sim();
    let client = client(&sim);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sync.db");
    let list = ids("p", 0..300);
    let store: Arc<dyn SyncStore> = Arc::new(SqliteStore::open(&path).unwrap());
    sync(&client, &store, &list, None).await.unwrap();
    drop(store);
    let store: Arc<dyn SyncStore> = Arc::new(SqliteStore::open(&path).unwrap());
    let report = sync(&client, &store, &list[..290], None).await.unwrap();
    assert_eq!(report.unassigned.len(), 10, "{report}");
    sim.reset_counters();
    let bad = vec!["ok".to_owned(), "bad id".to_owned()];
    let error = invalid(sync(&client, &store, &bad, None).await);
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    let error = client
        .sync(FLOW, OWNER)
        .prospects(["a"])
        .plan()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::InvalidInput { field: "store", .. }),
        "{error}"
    );
    assert_eq!(sim.counters().total, 0);
}

#[tokio::test]
async fn a_cancelled_apply_loses_nothing_and_the_next_run_converges() {
    let sim = Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .latency(Latency::Fixed(Duration::from_millis(20))),
    )
    .unwrap();
    let client = client(&sim);
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    let list = ids("p", 0..2000);
    let plan = client
        .sync(FLOW, OWNER)
        .prospects(list.clone())
        .shared_store(store.clone())
        .plan()
        .await
        .unwrap();
    let (handle, report) = plan.start().unwrap();
    let report = tokio::spawn(report);
    let mut progress = handle.progress();
    progress.wait_for(|p| p.done >= 400).await.unwrap();
    handle.cancel();
    let (error, report) = stopped(report.await.unwrap());
    assert_eq!(report.total(), 2000, "{report}");
    assert!(!report.not_attempted.is_empty());
    assert!(matches!(*error, Error::Cancelled));
    let report = sync(&client, &store, &list, None).await.unwrap();
    assert!(report.is_in_step(), "{report}");
    assert_eq!(members(&sim), set(&list));
    assert_eq!(sim.max_times_assigned(), 1);
}

/// One step of a property run: a list, and the faults of its apply.
#[derive(Debug, Clone)]
struct Step {
    list: Vec<usize>,
    lost_answers: u32,
    errors: u32,
}

fn step() -> impl Strategy<Value = Step> {
    (
        proptest::collection::btree_set(0usize..60, 0..40),
        0u32..3,
        0u32..3,
    )
        .prop_map(|(list, lost_answers, errors)| Step {
            list: list.into_iter().collect(),
            lost_answers,
            errors,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// After each apply the flow holds exactly the list (nothing added by
    /// hand here), whatever faults the writes met, and nobody is ever
    /// assigned twice.
    #[test]
    fn after_every_apply_the_flow_holds_exactly_the_list(steps in proptest::collection::vec(step(), 1..5)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let sim = sim();
            let client = Client::builder()
                .base_url(sim.base_url())
                .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
                .unpaced()
                .chunk_sizes(
                    gong_flows::ChunkSizes::default()
                        .with_assign(7)
                        .with_unassign_instances(5)
                        .with_lookup(9),
                )
                .retry_policy(
                    gong_flows::RetryPolicy::default()
                        .with_base_delay(Duration::from_millis(1))
                        .with_max_delay(Duration::from_millis(5)),
                )
                .build()
                .unwrap();
            let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
            // How many times each prospect entered the list: as many
            // assignments as the simulator may have seen, never more.
            let mut entries: HashMap<String, u32> = HashMap::new();
            let mut previous: BTreeSet<String> = BTreeSet::new();
            for step in steps {
                let list: Vec<String> = step.list.iter().map(|i| format!("s{i:03}")).collect();
                for endpoint in [Endpoint::AssignProspects, Endpoint::UnassignFlows] {
                    sim.script_faults(Some(endpoint), Fault::AppliedThenFailed, step.lost_answers);
                    sim.script_faults(Some(endpoint), Fault::Status500, step.errors);
                }
                let report = sync(&client, &store, &list, Some(MaxRemovals::Percent(100.0))).await;
                sim.clear_fault_scripts();
                let report = report.unwrap_or_else(|e| panic!("{e}"));
                assert!(report.is_in_step(), "{report}");
                let now = set(&list);
                for id in now.difference(&previous) {
                    *entries.entry(id.clone()).or_default() += 1;
                }
                assert_eq!(members(&sim), now, "{report}");
                for (id, entered) in &entries {
                    assert_eq!(sim.times_assigned(FLOW, id), *entered, "{id}: {report}");
                }
                let state = store.load(FLOW).await.unwrap();
                assert_eq!(state.len(), list.len());
                assert!(state.iter().all(|m| m.state == ManagedState::Member));
                previous = now;
            }
        });
    }
}

#[path = "../../crates/gong-flows/tests/support/redis_server.rs"]
mod redis_server;

#[tokio::test]
async fn workers_sharing_a_redis_store_take_turns_and_converge() {
    let Some(redis) =
        redis_server::RedisServer::start("workers_sharing_a_redis_store_take_turns_and_converge")
    else {
        return;
    };
    let sim = sim();
    let client = client(&sim);
    let worker = || -> Arc<dyn SyncStore> {
        Arc::new(gong_flows::RedisSyncStore::open(redis.url(), "acme").unwrap())
    };
    let (a, b) = (worker(), worker());
    let list = ids("r", 0..500);
    // While worker A holds its plan, worker B is refused.
    let plan = client
        .sync(FLOW, OWNER)
        .prospects(list.clone())
        .shared_store(a.clone())
        .plan()
        .await
        .unwrap();
    let error = client
        .sync(FLOW, OWNER)
        .prospects(list.clone())
        .shared_store(b.clone())
        .plan()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::SyncLocked { .. }), "{error}");
    assert_eq!(plan.apply().await.unwrap().assigned.len(), 500);
    // Then B carries on from A's state: 40 dropped (within 10 %), 10 added.
    let mut next = list[40..].to_vec();
    next.extend(ids("s", 0..10));
    let report = sync(&client, &b, &next, None).await.unwrap();
    assert_eq!(
        (
            report.assigned.len(),
            report.unassigned.len(),
            report.unchanged.len()
        ),
        (10, 40, 460),
        "{report}"
    );
    assert_eq!(members(&sim), set(&next));
    assert_eq!(b.load(FLOW).await.unwrap().len(), next.len());
    assert_eq!(sim.max_times_assigned(), 1);
}

/// A client whose pacer allows `budget` calls today.
fn budgeted(sim: &Simulator, budget: u32, policy: gong_flows::OverQuota) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .pacer(Arc::new(gong_flows::InProcessPacer::new(
            None,
            Some(budget),
        )))
        .over_quota(policy)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_sync_larger_than_the_day_runs_what_fits_and_carries_on_the_next_day() {
    let sim = sim();
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    let list = ids("d", 0..1000);
    // Refused whole when it may not fit: 5 look-ups leave 2 of 7 calls,
    // and the writes need 5 to 10.
    let strict = budgeted(&sim, 7, gong_flows::OverQuota::Refuse);
    let (error, report) = stopped(sync(&strict, &store, &list, None).await);
    assert!(report.assigned.is_empty(), "{report}");
    assert_eq!(report.not_attempted.len(), 1000);
    match *error {
        // At most two calls per chunk of 200 (a refusal may split one).
        Error::OverQuota { needed, left, .. } => assert_eq!((needed, left), (10, 2)),
        ref other => panic!("{other:?}"),
    }
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 0);
    assert!(
        store.load(FLOW).await.unwrap().is_empty(),
        "nothing left in flight"
    );

    // Today's room: 5 look-ups and 2 assigns of 200.
    let today = budgeted(&sim, 7, gong_flows::OverQuota::RunWhatFits);
    let (_, report) = stopped(sync(&today, &store, &list, None).await);
    assert_eq!(report.assigned.len(), 400, "{report}");
    assert_eq!(report.not_attempted.len(), 600);
    assert!(report.not_attempted.iter().all(|n| !n.may_have_been_sent));
    // Tomorrow: a fresh day's budget carries on from the state.
    let tomorrow = budgeted(&sim, 100, gong_flows::OverQuota::RunWhatFits);
    let report = sync(&tomorrow, &store, &list, None).await.unwrap();
    assert_eq!(
        (report.assigned.len(), report.unchanged.len()),
        (600, 400),
        "{report}"
    );
    assert_eq!(members(&sim), set(&list));
    assert_eq!(sim.max_times_assigned(), 1);
}

#[tokio::test]
async fn a_prospect_a_rep_adds_between_plan_and_apply_is_never_the_syncs() {
    let sim = sim();
    let client = client(&sim);
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    let list = ids("w", 0..5);
    let plan = client
        .sync(FLOW, OWNER)
        .prospects(list.clone())
        .shared_store(store.clone())
        .plan()
        .await
        .unwrap();
    assert_eq!(plan.to_assign.len(), 5);
    // A rep puts one of them in the flow before the apply's call.
    let by_hand = sim.assign_directly(FLOW, "w00002").unwrap();
    let report = plan.apply().await.unwrap();
    assert_eq!(report.assigned.len(), 4, "{report}");
    assert_eq!(report.left_alone.len(), 1);
    assert_eq!(report.left_alone[0].reason, LeftAloneReason::NotManaged);
    assert_eq!(report.total(), 5);
    // Unlisted later, the rep's prospect stays in the flow.
    let report = sync(
        &client,
        &store,
        &list[..2],
        Some(MaxRemovals::Percent(100.0)),
    )
    .await
    .unwrap();
    assert_eq!(report.unassigned.len(), 2, "{report}");
    assert!(sim.instance(&by_hand.instance_id).is_some());
}

#[tokio::test]
async fn finished_prospects_are_remembered_while_unlisted_and_not_counted_by_the_guard() {
    let sim = sim();
    let client = client(&sim);
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    let list = ids("f", 0..20);
    let report = sync(&client, &store, &list, None).await.unwrap();
    // Eighteen finish the flow; two are still in it.
    for done in report.assigned.iter().take(18) {
        let instance = done.flow_instance_id.as_deref().unwrap();
        sim.set_instance_status(instance, FlowInstanceStatus::Finished)
            .unwrap();
    }
    sync(&client, &store, &list, None).await.unwrap();
    // A truncated export keeps the first ten (all finished): the two still
    // in the flow are all the sync has in it, past the 10 % guard.
    let error = invalid(sync(&client, &store, &list[..10], None).await);
    assert!(
        matches!(
            error,
            Error::SyncGuard {
                removals: 2,
                managed: 2,
                limit: 1,
                ..
            }
        ),
        "{error}"
    );
    let report = sync(
        &client,
        &store,
        &list[..10],
        Some(MaxRemovals::Percent(100.0)),
    )
    .await
    .unwrap();
    assert_eq!(report.unassigned.len(), 2, "{report}");
    assert!(
        report.forgotten.is_empty(),
        "finished ones are remembered: {report}"
    );
    // The whole list again: the finished ones are not enrolled a second
    // time, unlisted meanwhile or not; the two removed go back in.
    let report = sync(&client, &store, &list, None).await.unwrap();
    assert_eq!(report.assigned.len(), 2, "{report}");
    assert_eq!(report.left_alone.len(), 18);
    assert!(
        report
            .left_alone
            .iter()
            .all(|l| l.reason == LeftAloneReason::Finished)
    );
    for id in &list[..18] {
        assert_eq!(sim.times_assigned(FLOW, id), 1, "{id}");
    }
}

#[tokio::test]
async fn a_plan_whose_removals_were_changed_is_not_applied() {
    let sim = sim();
    let client = client(&sim);
    let store: Arc<dyn SyncStore> = Arc::new(MemoryStore::new());
    let by_hand = sim.assign_directly(FLOW, "hand-9").unwrap();
    sync(&client, &store, &ids("t", 0..3), None).await.unwrap();
    let mut plan = client
        .sync(FLOW, OWNER)
        .prospects(ids("t", 0..3))
        .shared_store(store.clone())
        .plan()
        .await
        .unwrap();
    plan.to_unassign.push(gong_flows::Removal {
        crm_prospect_id: "hand-9".into(),
        flow_instance_id: by_hand.instance_id.clone(),
    });
    let error = plan.apply().await.unwrap_err();
    assert!(
        matches!(error, JobError::Invalid(Error::Config { .. })),
        "{error}"
    );
    assert!(sim.instance(&by_hand.instance_id).is_some());
}
