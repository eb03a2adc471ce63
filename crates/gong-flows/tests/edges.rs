//! Promises that hold at the edges: a job fed by an open or endless input
//! still ends on cancel and abort; a status Gong adds later is open; the
//! timing of reconciliation after a lost answer; resumed unassigns after an
//! abort; counts and report files; a long pause; two ids on one answer.

mod common;

use common::{Reply, ScriptServer};
use futures::StreamExt as _;
use gong_flows::{BulkProspect, Client, Error, Outcome, PollPolicy, SavedJob, SavedReport};
use gong_flows_sim::types::FlowInstanceStatus;
use gong_flows_sim::{
    Endpoint, Fault, FaultConfig, FaultRule, Latency, SimConfig, Simulator, dataset,
};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

const FLOW: &str = dataset::SDR_FLOW_ID;
const OWNER: &str = dataset::DEFAULT_USER_EMAIL;
/// A hang guard, never a timing assertion.
const GUARD: Duration = Duration::from_secs(60);

fn sim_with(config: SimConfig) -> Simulator {
    Simulator::start(config.no_rate_limits()).unwrap()
}

fn sim(latency: Duration) -> Simulator {
    sim_with(
        SimConfig::default()
            .latency(Latency::Fixed(latency))
            .bulk_stage(Duration::from_millis(20)),
    )
}

fn builder(sim: &Simulator) -> gong_flows::ClientBuilder {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .unpaced()
        .request_timeout(None)
        .retry_policy(
            gong_flows::RetryPolicy::default()
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(20)),
        )
}

fn client(sim: &Simulator) -> Client {
    builder(sim).build().unwrap()
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:03}")).collect()
}

fn in_flow(sim: &Simulator, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| sim.assign_directly(FLOW, id).unwrap().instance_id)
        .collect()
}

async fn eventually(what: &str, until: impl Fn() -> bool) {
    let started = std::time::Instant::now();
    while !until() {
        assert!(started.elapsed() < GUARD, "never: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn guarded<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(GUARD, future)
        .await
        .expect("ends before the hang guard")
}

/// An input stream that stays open as long as its sender lives.
fn open_stream(
    rx: tokio::sync::mpsc::UnboundedReceiver<String>,
) -> impl futures::Stream<Item = String> + Send + 'static {
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|v| (v, rx)) })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_and_abort_end_a_job_fed_by_an_open_or_endless_input() {
    let sim = sim(Duration::from_millis(300));
    // Room for a third chunk, so that the partial one is read and waits in
    // the driver's buffer for inputs that never come.
    let client = builder(&sim).concurrency(3).build().unwrap();

    // An open stream: two chunks' worth and a partial one, then nothing more
    // (the sender is kept, so the stream never ends).
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    for id in ids("open", 25) {
        tx.send(id).unwrap();
    }
    let parts = client
        .assign(FLOW, OWNER)
        .chunk_size(10)
        .parts_from_stream(open_stream(rx))
        .unwrap();
    let handle = parts.handle();
    let collected = tokio::spawn(parts.collect::<Vec<_>>());
    eventually("both chunks are sent", || {
        sim.counters().calls(Endpoint::AssignProspects) == 2
    })
    .await;
    handle.cancel();
    let parts = guarded(collected).await.unwrap();
    let mut report = gong_flows::AssignReport::default();
    for part in parts {
        report.absorb(part.report);
    }
    assert_eq!(
        report.total(),
        25,
        "every input read is reported: {report:?}"
    );
    assert_eq!(report.assigned.len(), 20, "the calls in flight finished");
    assert_eq!(report.not_attempted.len(), 5);
    assert!(
        report
            .not_attempted
            .iter()
            .all(|n| matches!(*n.error, Error::Cancelled) && !n.may_have_been_sent)
    );
    assert!(handle.progress().borrow().finished);
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 2);
    drop(tx);

    // An endless iterator, cancelled and then aborted.
    for abort in [false, true] {
        sim.reset_counters();
        let yielded = Arc::new(AtomicUsize::new(0));
        let counter = yielded.clone();
        let tag = if abort { "abort" } else { "cancel" };
        let endless = (0u64..).map(move |i| {
            counter.fetch_add(1, Ordering::SeqCst);
            format!("endless-{tag}-{i}")
        });
        let parts = client
            .assign(FLOW, OWNER)
            .chunk_size(10)
            .parts_from_iter(endless)
            .unwrap();
        let handle = parts.handle();
        let collected = tokio::spawn(parts.collect::<Vec<_>>());
        eventually("two chunks are sent", || {
            sim.counters().calls(Endpoint::AssignProspects) >= 2
        })
        .await;
        if abort {
            handle.abort();
        } else {
            handle.cancel();
        }
        let parts = guarded(collected).await.unwrap();
        let mut report = gong_flows::AssignReport::default();
        for part in parts {
            report.absorb(part.report);
        }
        let read = yielded.load(Ordering::SeqCst);
        assert_eq!(report.total(), read, "{tag}: every input read is reported");
        let calls = sim.counters().calls(Endpoint::AssignProspects) as usize;
        assert!(
            read <= (calls + 1) * 10,
            "{tag}: {read} read for {calls} calls of 10"
        );
        let progress = handle.progress().borrow().clone();
        assert!(progress.finished, "{tag}: {progress:?}");
        if abort {
            assert_eq!(report.not_attempted.len(), read, "{report:?}");
            assert!(
                report
                    .not_attempted
                    .iter()
                    .all(|n| matches!(*n.error, Error::Aborted) && n.may_have_been_sent),
                "{report:?}"
            );
        }
        // Nothing more is read after the job ended.
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(yielded.load(Ordering::SeqCst), read);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_gong_adds_later_is_open_and_removed() {
    let sim = sim(Duration::ZERO);
    let client = client(&sim);
    let scheduled = |ids: &[String]| {
        let instances = in_flow(&sim, ids);
        for instance in &instances[..ids.len() / 2 + 1] {
            sim.set_instance_status(instance, FlowInstanceStatus::from("Scheduled"))
                .unwrap();
        }
        instances
    };

    // By CRM id, a chunk looked up first, and a chunk of one id.
    let by_crm = ids("scheduled-crm", 4);
    let instances = scheduled(&by_crm);
    let report = client
        .unassign_prospects(&by_crm)
        .flow_id(FLOW)
        .send()
        .await
        .unwrap();
    assert_eq!(report.unassigned.len(), 4, "{report:?}");
    assert!(report.not_unassigned.is_empty(), "{report:?}");
    for instance in &instances {
        assert!(sim.instance(instance).is_none(), "{instance} removed");
    }
    let one = ids("scheduled-one", 1);
    let instances = scheduled(&one);
    let report = client
        .unassign_prospects(&one)
        .flow_id(FLOW)
        .send()
        .await
        .unwrap();
    assert_eq!(report.unassigned.len(), 1, "{report:?}");
    assert!(sim.instance(&instances[0]).is_none());
    // From every flow.
    let every = ids("scheduled-every", 3);
    let instances = scheduled(&every);
    let report = client.unassign_prospects(&every).send().await.unwrap();
    assert_eq!(report.unassigned.len(), 3, "{report:?}");
    assert!(instances.iter().all(|i| sim.instance(i).is_none()));

    // By instance id.
    let instances = scheduled(&ids("scheduled-inst", 4));
    let report = client.unassign_instances(&instances).send().await.unwrap();
    assert_eq!(report.unassigned.len(), 4, "{report:?}");
    assert!(report.not_unassigned.is_empty(), "{report:?}");
    assert!(instances.iter().all(|i| sim.instance(i).is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_made_while_the_chunk_waited_for_its_slot_is_already_in_flow() {
    let sim = sim(Duration::ZERO);
    let client = builder(&sim)
        .rate_limit(1.0)
        .clock_skew_tolerance(Duration::from_millis(100))
        .build()
        .unwrap();
    // The pacer's slot is taken: the job's first attempt waits a second.
    client.list_flows(OWNER).send().await.unwrap();
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::AppliedThenFailed, 1);
    let input = ["slot-teammate".to_owned(), "slot-ours".to_owned()];
    let (_, report) = client
        .assign(FLOW, OWNER)
        .prospects(&input)
        .start()
        .unwrap();
    let report = tokio::spawn(report);
    // The chunk is formed and waits for its slot: someone else assigns.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        sim.counters().calls(Endpoint::AssignProspects),
        0,
        "still waiting"
    );
    let teammate = sim.assign_directly(FLOW, &input[0]).unwrap();
    let report = guarded(report).await.unwrap().unwrap();
    let first = sim.counters().calls(Endpoint::AssignProspects);
    assert!(first >= 2, "the lost attempt and its retry");
    assert!(teammate.created < SystemTime::now());
    assert_eq!(
        report
            .already_in_flow
            .iter()
            .map(|a| a.id.to_string())
            .collect::<Vec<_>>(),
        ["slot-teammate"],
        "created before the first attempt left: {report:?}"
    );
    assert_eq!(report.assigned.len(), 1, "{report:?}");
    assert_eq!(report.assigned[0].id.to_string(), "slot-ours");
    assert!(report.assigned[0].reconciled, "{report:?}");
    assert_eq!(sim.max_times_assigned(), 1);
}

/// An instance created `days` ago.
fn instance_days_ago(flow: &str, id: &str, days: u64) -> Value {
    let mut instance = common::instance(flow, id);
    let at = SystemTime::now() - Duration::from_secs(days * 86_400);
    let at = chrono::DateTime::<chrono::Utc>::from(at).to_rfc3339();
    instance["flowInstanceCreateDate"] = Value::String(at);
    instance
}

#[tokio::test]
async fn a_prospect_left_out_of_a_clean_answer_but_in_the_flow_for_months_is_already_in_flow() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::json(
            200,
            json!({
                "requestId": "r-assign",
                "prospectsAssigned": [common::instance_now(FLOW, "months-new")],
                "prospectsNotAssigned": [],
            }),
        )],
    );
    server.script(
        "/v2/flows/prospects",
        [Reply::json(
            200,
            json!({
                "requestId": "r-look",
                "prospectsAssigned": [instance_days_ago(FLOW, "months-old", 120)],
            }),
        )],
    );
    let client = common::client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["months-new", "months-old"])
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 1, "{report:?}");
    assert_eq!(
        report
            .already_in_flow
            .iter()
            .map(|a| a.id.to_string())
            .collect::<Vec<_>>(),
        ["months-old"],
        "{report:?}"
    );
    assert_eq!(report.stats.requests, 2, "the call and one look-up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_unassign_after_an_abort_reports_what_the_job_removed_as_unassigned() {
    for by_crm in [true, false] {
        let sim = sim(Duration::ZERO);
        let client = client(&sim);
        let prospects = ids(if by_crm { "abort-crm" } else { "abort-inst" }, 5);
        let instances = in_flow(&sim, &prospects);
        // Applied, and its answer held back until after the abort.
        sim.script_faults(
            Some(Endpoint::UnassignFlows),
            Fault::Timeout {
                delay: Duration::from_secs(30),
            },
            1,
        );
        let job = if by_crm {
            SavedJob::new(client.unassign_prospects(&prospects).flow_id(FLOW))
        } else {
            SavedJob::new(client.unassign_instances(&instances))
        }
        .unwrap();
        let (handle, saved) = job.start().unwrap();
        let saved = tokio::spawn(saved);
        eventually("the removal is applied", || {
            instances.iter().all(|i| sim.instance(i).is_none())
        })
        .await;
        handle.abort();
        let saved = guarded(saved).await.unwrap();
        assert_eq!(saved.unfinished(), 5, "{saved:?}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aborted.json");
        saved.save(&path).unwrap();
        let saved = SavedReport::load(&path).unwrap();
        let (SavedReport::Unassign(s) | SavedReport::UnassignInstances(s)) = &saved else {
            panic!("{saved:?}")
        };
        assert!(
            s.report.not_attempted.iter().all(|n| n.may_have_been_sent),
            "{saved:?}"
        );

        let (_, resumed) = SavedJob::resume(saved, &client).unwrap().start().unwrap();
        let resumed = guarded(resumed).await;
        let (SavedReport::Unassign(r) | SavedReport::UnassignInstances(r)) = &resumed else {
            panic!("{resumed:?}")
        };
        let r = &r.report;
        assert_eq!(r.unassigned.len(), 5, "by_crm={by_crm}: {resumed:?}");
        assert!(
            r.not_unassigned.is_empty(),
            "not 'not in flow': {resumed:?}"
        );
        assert!(
            r.unassigned.iter().all(|u| u.confirmed_by_lookup),
            "{resumed:?}"
        );
        assert_eq!(resumed.outcome(), Outcome::Done);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_input_with_a_repeat_ends_as_done_of_total_unique() {
    let sim = sim(Duration::ZERO);
    let client = client(&sim);
    let parts = client
        .assign(FLOW, OWNER)
        .parts_from_iter(["a-1", "b-1", "a-1", "c-1"])
        .unwrap();
    let handle = parts.handle();
    assert_eq!(handle.progress().borrow().total, Some(4), "before reading");
    let parts: Vec<_> = guarded(parts.collect()).await;
    let progress = handle.progress().borrow().clone();
    assert!(progress.finished);
    assert_eq!(
        (progress.done, progress.total),
        (3, Some(3)),
        "{progress:?} {parts:?}"
    );
    assert_eq!(progress.fraction(), Some(1.0));
}

/// A saved assign report with `already` in alreadyInFlow and `left` not
/// attempted.
fn assign_file(already: &str, left: &str, sent: bool, error: &str) -> Value {
    json!({
        "operation": "assign",
        "flowId": FLOW,
        "ownerEmail": OWNER,
        "assigned": [],
        "alreadyInFlow": [{"crmProspectId": already, "flowInstanceId": "77", "status": "Running"}],
        "notAssigned": [],
        "notAttempted": [{"crmProspectId": left, "error": error, "mayHaveBeenSent": sent}],
        "duplicates": [],
        "requests": 1,
        "requestIds": [],
        "stopped": null,
        "startedAt": "2026-11-23T13:57:42.886Z",
        "finishedAt": "2026-11-23T13:57:43.232Z",
        "runs": 1
    })
}

fn bulk_file(pending: &str, left: &str) -> Value {
    json!({
        "operation": "bulk-assign",
        "flowId": FLOW,
        "ownerEmail": OWNER,
        "jobs": [],
        "assigned": [],
        "notAssigned": [],
        "pending": [{"jobId": "3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b4c71", "prospect": {"crmId": pending}}],
        "notAttempted": [{"prospect": {"crmId": left}, "error": "x", "mayHaveBeenSent": false}],
        "duplicates": [],
        "requests": 1,
        "requestIds": [],
        "stopped": null,
        "startedAt": "2026-11-23T13:57:42.886Z",
        "finishedAt": "2026-11-23T13:57:43.232Z",
        "runs": 1
    })
}

fn load(value: &Value) -> std::io::Result<SavedReport> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    std::fs::write(&path, value.to_string()).unwrap();
    SavedReport::load(&path)
}

fn refused(value: &Value, why: &str) {
    let err = load(value).expect_err(why);
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{why}: {err}");
}

#[test]
fn damaged_report_files_are_refused() {
    // The shapes are right: the same files without the contradiction load.
    load(&assign_file(
        "x",
        "y",
        false,
        "cancelled before it was sent",
    ))
    .unwrap();
    load(&assign_file("x", "y", true, "rate limited")).unwrap();
    load(&bulk_file("x", "y")).unwrap();

    refused(
        &assign_file("x", "x", false, "rate limited"),
        "an id both already in the flow and not attempted",
    );
    refused(
        &bulk_file("x", "x"),
        "a prospect both pending and not attempted",
    );
    refused(
        &assign_file("x", "y", true, "cancelled before it was sent"),
        "cancelled before it was sent, and maybe sent",
    );
}

/// Every not-attempted entry of a saved report, as (text, maybe sent).
fn entries(saved: &SavedReport) -> Vec<(String, bool)> {
    let value = serde_json::to_value(saved).unwrap();
    value["notAttempted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["error"].as_str().unwrap().to_owned(),
                n["mayHaveBeenSent"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_job_writes_cancelled_before_it_was_sent_for_an_input_that_may_have_been_sent() {
    let lost = FaultConfig::none()
        .with(
            FaultRule::new(Fault::AppliedThenFailed, 0.35)
                .on(Endpoint::AssignProspects)
                .on(Endpoint::UnassignFlows)
                .on(Endpoint::UnassignProspectFlows)
                .on(Endpoint::GetProspectsAssignedFlows),
        )
        .seeded(7);
    let sim = sim_with(
        SimConfig::default()
            .faults(lost)
            .latency(Latency::Uniform {
                min: Duration::from_millis(2),
                max: Duration::from_millis(25),
            })
            .bulk_stage(Duration::from_millis(20)),
    );
    let client = builder(&sim)
        .concurrency(3)
        .chunk_sizes(
            gong_flows::ChunkSizes::default()
                .with_assign(3)
                .with_lookup(3)
                .with_unassign_instances(3),
        )
        .build()
        .unwrap();
    let cancelled = Error::Cancelled.to_string();
    let mut checked = 0;
    for round in 0..24u64 {
        let delay = Duration::from_millis(round * 7 % 90);
        let tag = format!("cut-{round}");
        let prospects = ids(&tag, 12);
        let job = match round % 4 {
            0 => SavedJob::new(client.assign(FLOW, OWNER).prospects(&prospects)),
            1 => {
                in_flow(&sim, &prospects);
                SavedJob::new(client.unassign_prospects(&prospects).flow_id(FLOW))
            }
            2 => {
                let instances = in_flow(&sim, &prospects);
                SavedJob::new(client.unassign_instances(&instances))
            }
            _ => SavedJob::new(
                client
                    .bulk_assign(FLOW, OWNER)
                    .prospects(prospects.iter().map(BulkProspect::crm_id))
                    .poll_policy(PollPolicy {
                        first_interval: Duration::from_millis(10),
                        max_interval: Duration::from_millis(20),
                        limit: Duration::from_secs(5),
                    }),
            ),
        }
        .unwrap();
        let (handle, saved) = job.start().unwrap();
        let saved = tokio::spawn(saved);
        tokio::time::sleep(delay).await;
        if round % 3 == 2 {
            handle.abort();
        } else {
            handle.cancel();
        }
        let saved = guarded(saved).await.unwrap();
        saved
            .check()
            .unwrap_or_else(|e| panic!("round {round}: {e}: {saved:?}"));
        for (error, sent) in entries(&saved) {
            checked += 1;
            assert!(
                !(sent && error == cancelled),
                "round {round}: '{error}' and maybe sent: {saved:?}"
            );
        }
    }
    assert!(checked > 0, "some inputs were left not attempted");
}

#[tokio::test]
async fn a_20_hour_retry_after_says_when_it_ends_and_a_second_job_fails_at_once() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::error(429, "r-day", "Daily limit exceeded").header("retry-after", "72000")],
    );
    let client = common::client(&server.url).build().unwrap();
    let (_, report) = common::stopped(
        guarded(
            client
                .assign(FLOW, OWNER)
                .prospects(["day-1", "day-2"])
                .send(),
        )
        .await,
    );
    let error = report.stats.stopped.clone().expect("stopped");
    let Error::RateLimited { until, .. } = &*error else {
        panic!("{error:?}")
    };
    let until = until.expect("says when it ends");
    let ahead = until.duration_since(SystemTime::now()).unwrap();
    assert!(
        ahead > Duration::from_secs(19 * 3600) && ahead <= Duration::from_secs(20 * 3600),
        "{ahead:?}"
    );
    assert!(!error.is_retryable(), "{error}");
    assert_eq!(error.retry_at(), Some(until));
    assert_eq!(report.not_attempted.len(), 2);

    // The same client: a second job fails at once, with the same kind of
    // error, and sends nothing.
    let (_, second) =
        common::stopped(guarded(client.assign(FLOW, OWNER).prospects(["day-3"]).send()).await);
    let again = second.stats.stopped.clone().expect("stopped at once");
    let Error::RateLimited {
        until: Some(again_until),
        ..
    } = &*again
    else {
        panic!("{again:?}")
    };
    assert!(!again.is_retryable(), "{again}");
    let apart = again_until
        .duration_since(until)
        .unwrap_or_else(|e| e.duration());
    assert!(apart < Duration::from_secs(60), "the same pause: {apart:?}");
    assert_eq!(second.not_attempted.len(), 1);
    assert_eq!(second.stats.requests, 0);
    // And a single call too.
    let err = guarded(client.list_flows(OWNER).send()).await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { until: Some(_), .. }),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 1, "only the first call was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_with_two_ids_keeps_both() {
    let sim = sim_with(SimConfig::default().distinct_trace_ids(true));
    let client = client(&sim);

    // An error: both ids in the ApiError, and in its text.
    let err = client
        .bulk_assignment("3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b4c71")
        .send()
        .await
        .unwrap_err();
    let api = err.api().expect("Gong's answer");
    let request_id = api.request_id.clone().expect("a request id");
    let trace_id = api.trace_id.clone().expect("a trace id");
    assert_ne!(&*trace_id, request_id.as_str());
    let text = err.to_string();
    assert!(
        text.contains(&request_id) && text.contains(&*trace_id),
        "{text}"
    );

    // A job: every answer's pair in the report, errors included.
    let report = client
        .assign(FLOW, OWNER)
        .chunk_size(2)
        .prospects(ids("trace", 5))
        .send()
        .await
        .unwrap();
    assert_eq!(report.stats.requests, 3);
    assert_eq!(report.stats.trace_ids.len(), 3, "{:?}", report.stats);
    for pair in &report.stats.trace_ids {
        assert_ne!(pair.request_id, pair.trace_id);
        assert!(report.stats.request_ids.contains(&pair.request_id));
    }
    let (_, stopped) = common::stopped(
        client
            .assign("1111111111111111111", OWNER)
            .prospects(["trace-x"])
            .send()
            .await,
    );
    let error = stopped.stats.stopped.clone().expect("unknown flow");
    let api = error.api().expect("the 404");
    let pair = &stopped.stats.trace_ids[0];
    assert_eq!(api.request_id.as_deref(), Some(pair.request_id.as_str()));
    assert_eq!(api.trace_id.as_deref(), Some(pair.trace_id.as_str()));
    let text = error.to_string();
    assert!(text.contains(&pair.trace_id), "{text}");
    // In the saved report too.
    let value = serde_json::to_value(&stopped).unwrap();
    assert!(value.to_string().contains(&pair.trace_id), "{value}");
}
