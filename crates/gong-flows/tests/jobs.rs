//! The job layer: every bulk operation runs three ways (the whole report, a
//! stream of chunks, a started job with a handle), and a started job can be
//! watched, cancelled and aborted with every input still in exactly one
//! bucket.

mod common;

use common::{Reply, ScriptServer};
use futures::StreamExt as _;
use gong_flows::{
    BulkProspect, Client, Error, ItemId, JobError, JobHandle, JobReport, PollPolicy, Progress,
    Report, RetryPolicy,
};
use gong_flows_sim::{Endpoint, Fault, Latency, SimConfig, Simulator, dataset};
use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

const FLOW: &str = dataset::SDR_FLOW_ID;
const OWNER: &str = dataset::DEFAULT_USER_EMAIL;

fn sim(latency: Duration) -> Simulator {
    Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .latency(Latency::Fixed(latency))
            .bulk_stage(Duration::from_millis(20))
            .flows(40),
    )
    .unwrap()
}

fn client(sim: &Simulator, concurrency: usize) -> Client {
    sized_client(sim, concurrency, gong_flows::ChunkSizes::default())
}

/// A client of the simulator with its own chunk sizes.
fn sized_client(sim: &Simulator, concurrency: usize, sizes: gong_flows::ChunkSizes) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .unpaced()
        .concurrency(concurrency)
        .chunk_sizes(sizes)
        .build()
        .unwrap()
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:03}")).collect()
}

/// Assigns `ids` and returns their flow instance ids.
async fn assigned_instances(client: &Client, ids: &[String]) -> Vec<String> {
    let report = client
        .assign(FLOW, OWNER)
        .prospects(ids)
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), ids.len());
    report
        .assigned
        .iter()
        .map(|a| a.flow_instance_id().unwrap().to_owned())
        .collect()
}

fn poll() -> PollPolicy {
    PollPolicy {
        first_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(50),
        limit: Duration::from_secs(30),
    }
}

/// Waits until the job's progress satisfies `until`.
async fn wait_for(handle: &JobHandle, until: impl Fn(&Progress) -> bool) {
    let mut progress = handle.progress();
    tokio::time::timeout(Duration::from_secs(30), progress.wait_for(|p| until(p)))
        .await
        .expect("the job made progress")
        .expect("the job is alive");
}

/// The keys of every entry of a report, bucket by bucket, with the
/// not-attempted entries' errors and flags.
trait Buckets: Report {
    fn done(&self) -> Vec<String>;
    fn not_attempted(&self) -> Vec<(String, Error, bool)>;
}

macro_rules! buckets {
    ($report:ty, |$r:ident| $done:expr) => {
        impl Buckets for $report {
            fn done(&self) -> Vec<String> {
                let $r = self;
                $done
            }
            fn not_attempted(&self) -> Vec<(String, Error, bool)> {
                self.not_attempted
                    .iter()
                    .map(|n| (n.id.to_string(), (*n.error).clone(), n.may_have_been_sent))
                    .collect()
            }
        }
    };
}

buckets!(gong_flows::AssignReport, |r| r
    .assigned
    .iter()
    .map(|a| a.id.to_string())
    .chain(r.already_in_flow.iter().map(|a| a.id.to_string()))
    .chain(r.not_assigned.iter().map(|n| n.id.to_string()))
    .collect());
buckets!(gong_flows::UnassignReport, |r| r
    .unassigned
    .iter()
    .map(|u| u.id.to_string())
    .chain(r.not_unassigned.iter().map(|n| n.id.to_string()))
    .collect());
buckets!(gong_flows::StepsReport, |r| r
    .flows
    .iter()
    .map(|f| f.id.clone())
    .chain(r.not_found.iter().map(|n| n.id.to_string()))
    .collect());

impl Buckets for gong_flows::BulkAssignReport {
    /// Pending prospects count as done here: Gong accepted their bulk job
    /// (a cancel while it runs stops the polling, not the bulk job).
    fn done(&self) -> Vec<String> {
        self.assigned
            .iter()
            .chain(&self.not_assigned)
            .map(|r| {
                r.prospect
                    .as_ref()
                    .map(BulkProspect::key)
                    .unwrap_or_default()
            })
            .chain(self.pending.iter().map(|p| p.prospect.key()))
            .collect()
    }
    fn not_attempted(&self) -> Vec<(String, Error, bool)> {
        self.not_attempted
            .iter()
            .map(|n| (n.prospect.key(), (*n.error).clone(), n.may_have_been_sent))
            .collect()
    }
}

/// What a started job yields: a read's report, or a write's `Result`,
/// whose `Err` must be a stop carrying the report.
trait Finished: Send + 'static {
    type Report: Buckets;
    fn into_report(self) -> Self::Report;
}

impl<R: Buckets + JobReport> Finished for Result<R, JobError<R>> {
    type Report = R;
    fn into_report(self) -> R {
        match self {
            Ok(report) => {
                assert!(report.stopped_by().is_none(), "a stopped job is an Err");
                report
            }
            Err(JobError::Stopped { error, report }) => {
                assert_eq!(
                    report.stats().stopped.as_ref().map(|e| e.to_string()),
                    Some(error.to_string()),
                    "the stop is the report's"
                );
                *report
            }
            Err(other) => panic!("nothing was sent: {other}"),
        }
    }
}

impl Finished for gong_flows::StepsReport {
    type Report = Self;
    fn into_report(self) -> Self {
        self
    }
}

/// Every input in exactly one bucket.
fn assert_partition<R: Buckets>(report: &R, inputs: &[String]) {
    let mut all = report.done();
    all.extend(report.not_attempted().into_iter().map(|(id, ..)| id));
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(
        unique.len(),
        all.len(),
        "an input is in two buckets: {report:?}"
    );
    let expected: HashSet<&String> = inputs.iter().collect();
    assert_eq!(unique, expected, "inputs lost or invented: {report:?}");
}

/// Runs a started job to its end while recording its progress.
async fn run_watched<O: Finished>(
    (handle, report): (JobHandle, impl Future<Output = O> + Send + 'static),
) -> (O::Report, Progress) {
    let report = tokio::spawn(report).await.unwrap().into_report();
    let last = handle.progress().borrow().clone();
    (report, last)
}

#[tokio::test]
async fn assign_runs_three_ways_with_the_same_outcome() {
    let sim = sim(Duration::ZERO);
    let client = client(&sim, 3);
    let all = ids("three", 45);
    let (first, second, third) = (&all[..15], &all[15..30], &all[30..]);

    let sent = client
        .assign(FLOW, OWNER)
        .chunk_size(4)
        .prospects(first)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.assigned.len(), 15);
    assert_eq!(sent.stats.requests, 4);

    let chunks: Vec<_> = client
        .assign(FLOW, OWNER)
        .chunk_size(4)
        .parts_from_stream(futures::stream::iter(second.to_vec()))
        .unwrap()
        .collect()
        .await;
    assert_eq!(
        chunks.iter().map(|c| c.index).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    let streamed: usize = chunks.iter().map(|c| c.report.assigned.len()).sum();
    assert_eq!(streamed, 15);

    let (report, progress) = run_watched(
        client
            .assign(FLOW, OWNER)
            .chunk_size(4)
            .prospects(third)
            .start()
            .unwrap(),
    )
    .await;
    assert_eq!(report.assigned.len(), 15);
    assert_eq!(progress.total, Some(15));
    assert_eq!(progress.done, 15, "progress reaches the total");
    assert_eq!(progress.chunks_done, 4);
    assert_eq!(progress.calls, 4);
    assert!(progress.finished);
    assert!(progress.stopped.is_none());
    assert_eq!(progress.rate, None, "an unpaced client has no rate");
    for id in &all {
        assert_eq!(sim.times_assigned(FLOW, id), 1, "{id}");
    }
}

#[tokio::test]
async fn every_other_bulk_operation_streams_and_starts() {
    let sim = sim(Duration::ZERO);
    let client = client(&sim, 2);
    let crm = ids("ops", 6);
    let instances = assigned_instances(&client, &crm).await;

    // Prospects' flows: CRM ids and instance ids in one job.
    let found = client
        .prospects_flows()
        .crm_prospect_ids(["ops-004", "ops-005"])
        .flow_instance_ids([instances[0].clone()])
        .send()
        .await
        .unwrap()
        .check()
        .unwrap();
    assert_eq!(found.instances.len(), 3, "{found:?}");
    assert_eq!(found.stats.requests, 2, "one call per kind of id");

    // Unassign by CRM id: one look-up for the chunk, one call for its instances.
    let chunks: Vec<_> = client
        .unassign_prospects(Vec::<String>::new())
        .parts_from_iter(crm[..3].to_vec())
        .unwrap()
        .collect()
        .await;
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].report.unassigned.len(), 3);
    assert_eq!(chunks[0].report.stats.requests, 2);

    // Unassign by instance id, started, with its progress.
    let (report, progress) =
        run_watched(client.unassign_instances(&instances[3..]).start().unwrap()).await;
    assert_eq!(report.unassigned.len(), 3);
    assert_eq!(
        report.unassigned[0].id,
        ItemId::FlowInstanceId(instances[3].clone())
    );
    assert_eq!((progress.done, progress.total), (3, Some(3)));
    assert_eq!(sim.instance_count(), 0, "every instance was removed");

    // Steps: a stream from an iterator, and a started job.
    let flows = [dataset::SDR_FLOW_ID, dataset::EXCLUSIVE_FLOW_ID];
    let chunks: Vec<_> = client
        .flow_steps(Vec::<String>::new())
        .parts_from_iter(flows)
        .unwrap()
        .collect()
        .await;
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].report.flows.len(), 2);
    let (steps, progress) = run_watched(client.flow_steps(flows).start().unwrap()).await;
    assert_eq!(steps.flows.len(), 2);
    assert_eq!(progress.done, 2);

    // Bulk assignment: a stream of prospects, and a started job.
    let people: Vec<BulkProspect> = (0..3)
        .map(|i| BulkProspect::new(format!("First{i}"), format!("Last{i}")))
        .collect();
    let chunks: Vec<_> = client
        .bulk_assign(FLOW, OWNER)
        .poll_policy(poll())
        .parts_from_iter(people.clone())
        .unwrap()
        .collect()
        .await;
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].report.assigned.len(), 3);
    let more = vec![BulkProspect::new("Ann", "Other")];
    let (bulk, progress) = run_watched(
        client
            .bulk_assign(FLOW, OWNER)
            .poll_policy(poll())
            .prospects(more)
            .start()
            .unwrap(),
    )
    .await;
    assert_eq!(bulk.assigned.len(), 1);
    assert_eq!(bulk.jobs.len(), 1);
    assert!(progress.finished);
}

/// Cancels a job once `after` chunks are done; every input is then in one
/// bucket, the rest not attempted with `Cancelled` and never sent.
async fn cancel_after<O: Finished>(
    (handle, report): (JobHandle, impl Future<Output = O> + Send + 'static),
    inputs: &[String],
    after: usize,
) -> O::Report {
    cancel_when((handle, report), inputs, move |p| p.chunks_done >= after).await
}

/// Cancels a job once its progress satisfies `until`; checks as
/// [`cancel_after`] does.
async fn cancel_when<O: Finished>(
    (handle, report): (JobHandle, impl Future<Output = O> + Send + 'static),
    inputs: &[String],
    until: impl Fn(&Progress) -> bool,
) -> O::Report {
    let report = tokio::spawn(report);
    wait_for(&handle, until).await;
    handle.cancel();
    assert!(handle.is_cancelled());
    let report = report.await.unwrap().into_report();
    assert_partition(&report, inputs);
    let left = report.not_attempted();
    assert!(!left.is_empty(), "the job was cancelled midway");
    assert!(!report.done().is_empty(), "some was done before the cancel");
    for (id, error, may_have_been_sent) in &left {
        assert!(matches!(error, Error::Cancelled), "{id}: {error}");
        assert!(!may_have_been_sent, "{id} was never sent");
    }
    assert!(matches!(
        report.stats().stopped.as_deref(),
        Some(Error::Cancelled)
    ));
    let progress = handle.progress().borrow().clone();
    assert_eq!(progress.done, inputs.len(), "progress accounts for all");
    assert!(progress.finished);
    report
}

#[tokio::test]
async fn cancelling_any_job_finishes_in_flight_calls_and_sends_nothing_more() {
    // Calls slow enough that a loaded machine does not finish a job before
    // the cancel lands.
    let sim = sim(Duration::from_millis(100));
    let client = client(&sim, 1);

    let crm = ids("cancel", 30);
    let report = cancel_after(
        client
            .assign(FLOW, OWNER)
            .chunk_size(2)
            .prospects(&crm)
            .start()
            .unwrap(),
        &crm,
        2,
    )
    .await;
    for a in &report.assigned {
        assert_eq!(sim.times_assigned(FLOW, a.id.as_str()), 1);
    }
    for (id, ..) in Buckets::not_attempted(&report) {
        assert_eq!(sim.times_assigned(FLOW, &id), 0, "{id} was not sent");
    }
    assert!(report.clone().check().is_err(), "a cancelled job is an Err");

    let in_flow = ids("cancel-u", 20);
    assigned_instances(&client, &in_flow).await;
    let instances = assigned_instances(&client, &ids("cancel-i", 20)).await;
    let client_small = sized_client(
        &sim,
        1,
        gong_flows::ChunkSizes::default()
            .with_unassign_instances(2)
            .with_lookup(2)
            .with_steps(1)
            .with_bulk(1),
    );
    // Chunks of two: a look-up, then one call for their instances.
    cancel_after(
        client_small.unassign_prospects(&in_flow).start().unwrap(),
        &in_flow,
        1,
    )
    .await;
    cancel_after(
        client_small.unassign_instances(&instances).start().unwrap(),
        &instances,
        1,
    )
    .await;
    // Forty flows, one per call: the cancel lands after the first.
    let flows: Vec<String> = (1..=40)
        .map(|i| (dataset::GENERATED_FLOW_ID_BASE + i).to_string())
        .collect();
    cancel_after(client_small.flow_steps(&flows).start().unwrap(), &flows, 1).await;
    let people: Vec<BulkProspect> = (0..12)
        .map(|i| BulkProspect::crm_id(format!("bulk-cancel-{i}")))
        .collect();
    let keys: Vec<String> = people.iter().map(BulkProspect::key).collect();
    cancel_after(
        client_small
            .bulk_assign(FLOW, OWNER)
            .poll_policy(poll())
            .prospects(people)
            .start()
            .unwrap(),
        &keys,
        1,
    )
    .await;
}

#[tokio::test]
async fn aborting_flags_the_inputs_of_calls_in_flight_as_possibly_sent() {
    // Calls take long enough to be caught in flight.
    let sim = sim(Duration::from_secs(3));
    let client = client(&sim, 2);
    let crm = ids("abort", 20);
    let (handle, report) = client
        .assign(FLOW, OWNER)
        .chunk_size(5)
        .prospects(&crm)
        .start()
        .unwrap();
    let report = tokio::spawn(report);
    // Two requests have left: both chunks are in flight.
    wait_for(&handle, |p| p.calls >= 2).await;
    handle.abort();
    let report = report.await.unwrap().into_report();
    assert_partition(&report, &crm);
    let left = Buckets::not_attempted(&report);
    assert_eq!(left.len(), 20, "nothing had finished: {report:?}");
    let in_flight: Vec<&(String, Error, bool)> = left.iter().filter(|(.., sent)| *sent).collect();
    assert_eq!(in_flight.len(), 10, "two chunks of 5 were in flight");
    for (id, error, _) in &in_flight {
        assert!(matches!(error, Error::Aborted), "{id}: {error}");
        assert!(crm[..10].contains(id), "{id} was in flight");
    }
    for (id, error, sent) in &left[10..] {
        assert!(!sent, "{id} never left");
        assert!(
            matches!(error, Error::Cancelled),
            "{id} was not started: {error}"
        );
    }
    assert!(handle.progress().borrow().finished);
}

/// An assign of four ids in chunks of two against a server whose first
/// answer is a 429 with a `Retry-After` of 50 s, started and waiting out
/// that pause (on tokio's paused clock).
async fn waiting_on_a_429(
    prefix: &str,
) -> (
    ScriptServer,
    Vec<String>,
    JobHandle,
    tokio::task::JoinHandle<Result<gong_flows::AssignReport, JobError<gong_flows::AssignReport>>>,
) {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::error(429, "req-429", "limit").header("Retry-After", "50")],
    );
    let client = common::client(&server.url)
        .concurrency(1)
        .retry_policy(RetryPolicy::default().with_max_retry_after(Duration::from_secs(120)))
        .build()
        .unwrap();
    let all = ids(prefix, 4);
    let (handle, report) = client
        .assign(FLOW, OWNER)
        .chunk_size(2)
        .prospects(&all)
        .start()
        .unwrap();
    let report = tokio::spawn(report);
    wait_for(&handle, |p| p.paused_until.is_some()).await;
    (server, all, handle, report)
}

/// A cancel, or an abort, while the job waits out a 429 ends the wait at
/// once. Neither finds a call in flight: the inputs the 429 refused were
/// sent and left open (Gong applied nothing), not "cancelled before it was
/// sent" nor "abandoned in flight"; the ones never sent are cancelled.
#[tokio::test(start_paused = true)]
async fn a_cancel_or_abort_ends_a_retry_after_wait_at_once() {
    for abort in [false, true] {
        let (server, all, handle, report) = waiting_on_a_429(&format!("wait-{abort}")).await;
        let started = tokio::time::Instant::now();
        match abort {
            true => handle.abort(),
            false => handle.cancel(),
        }
        let report = report.await.unwrap().into_report();
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the wait was cut short"
        );
        assert_eq!(server.seen().len(), 1, "nothing was sent after the 429");
        assert_partition(&report, &all);
        let not_attempted = Buckets::not_attempted(&report);
        assert_eq!(not_attempted.len(), all.len());
        // The first chunk's call reached Gong and was refused (429). The
        // second chunk's never left.
        for (id, error, sent) in not_attempted {
            assert!(!sent, "{id}: Gong refused the only call that carried it");
            if all[..2].contains(&id) {
                assert_eq!(
                    error.to_string(),
                    "cancelled after it was sent: Gong's answer did not settle it, and the \
                     job stopped before trying again",
                    "{id} (abort: {abort})"
                );
            } else {
                assert!(matches!(error, Error::Cancelled), "{id}: {error}");
            }
        }
        assert!(matches!(
            report.stats.stopped.as_deref(),
            Some(Error::Cancelled)
        ));
    }
}

#[tokio::test]
async fn a_cancel_before_the_look_up_that_follows_a_refusal_says_the_inputs_were_sent() {
    let server = ScriptServer::start().await;
    let instances = ["1000001", "1000002"];
    let open: Vec<serde_json::Value> = (instances.iter())
        .map(|id| {
            let mut one = common::instance(FLOW, "p");
            one["flowInstanceId"] = serde_json::Value::from(*id);
            one
        })
        .collect();
    // Every look-up finds both open (the one after the refusal slowly, so
    // that the cancel lands while it is out); Gong refuses the removal as
    // naming an unknown instance.
    let found = serde_json::json!({"requestId": "l", "prospectsAssigned": open});
    let slow = Reply::json(200, found.clone()).delayed(Duration::from_millis(500));
    server.script("/v2/flows/prospects", [Reply::json(200, found), slow]);
    server.script(
        "/v2/flows/prospects/unassign-flows-by-instance-id",
        [Reply::error(
            400,
            "req-unknown",
            "flowInstanceIds [1000003] do not exist",
        )],
    );
    let client = common::client(&server.url).build().unwrap();
    let (handle, report) = client.unassign_instances(instances).start().unwrap();
    let report = tokio::spawn(report);
    let removal = "/v2/flows/prospects/unassign-flows-by-instance-id";
    wait_for(&handle, |p| p.calls >= 3).await;
    assert_eq!(
        server.seen_at(removal).len(),
        1,
        "the removal was sent and refused"
    );
    handle.cancel();
    let report = tokio::time::timeout(Duration::from_secs(60), report)
        .await
        .expect("the look-up in flight finishes")
        .unwrap()
        .into_report();
    assert_eq!(report.not_attempted.len(), 2, "{report:?}");
    for (id, error, sent) in Buckets::not_attempted(&report) {
        assert!(!sent, "{id}: the answer was not lost");
        assert_eq!(
            error.to_string(),
            "cancelled after it was sent: Gong's answer did not settle it, and the job stopped \
             before trying again",
            "{id}"
        );
    }
    assert_eq!(server.seen_at(removal).len(), 1, "nothing more was sent");
}

#[tokio::test(start_paused = true)]
async fn a_live_progress_round_trips_through_json() {
    let (_server, _, handle, report) = waiting_on_a_429("json").await;
    let paused = handle.progress().borrow().clone();
    handle.cancel();
    let _ = report.await.unwrap();
    let ended = handle.progress().borrow().clone();
    assert!(paused.paused_until.is_some() && paused.started_at.is_some());
    assert!(ended.stopped.is_some() && ended.finished, "{ended:?}");
    for progress in [paused, ended] {
        let json = serde_json::to_value(&progress).unwrap();
        for (field, value) in [
            ("startedAt", progress.started_at.map(|t| t.to_rfc3339())),
            ("pausedUntil", progress.paused_until.map(|t| t.to_rfc3339())),
        ] {
            let shown = json[field]
                .as_str()
                .map(|t| t.parse::<chrono::DateTime<chrono::Utc>>().unwrap());
            assert_eq!(shown.map(|t| t.to_rfc3339()), value, "{field} in {json}");
        }
        let back: Progress = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            json,
            "read back the same"
        );
        assert_eq!((back.total, back.done), (progress.total, progress.done));
        assert_eq!(
            (back.calls, back.chunks_done),
            (progress.calls, progress.chunks_done)
        );
        assert_eq!(
            (back.rate, back.adapted_from),
            (progress.rate, progress.adapted_from)
        );
        assert_eq!(back.paused_until, progress.paused_until);
        assert_eq!(
            (back.started_at, back.eta),
            (progress.started_at, progress.eta)
        );
        assert_eq!(back.finished, progress.finished);
        assert_eq!(
            back.stopped.map(|e| e.to_string()),
            progress.stopped.map(|e| e.to_string()),
            "the stop is kept as text"
        );
    }
}

#[tokio::test]
async fn progress_shows_the_pacers_rate() {
    let sim = sim(Duration::ZERO);
    let client = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .rate_limit(500.0)
        .build()
        .unwrap();
    let (_, progress) = run_watched(
        client
            .assign(FLOW, OWNER)
            .prospects(ids("rate", 3))
            .start()
            .unwrap(),
    )
    .await;
    let rate = progress.rate.expect("a paced client has a rate");
    assert!((rate - 500.0).abs() < 1.0, "{rate}");
}

/// Unassigns 15 flow instances in chunks of 5, one chunk at a time, with
/// calls slow enough to be caught in flight, and aborts once `calls` calls
/// have left (each chunk looks its instances up, then removes them).
async fn abort_an_unassign_after(
    prefix: &str,
    calls: u32,
) -> (Vec<String>, gong_flows::UnassignReport) {
    let sim = sim(Duration::ZERO);
    let client = sized_client(
        &sim,
        1,
        gong_flows::ChunkSizes::default().with_unassign_instances(5),
    );
    let instances = assigned_instances(&client, &ids(prefix, 15)).await;
    sim.set_latency(Latency::Fixed(Duration::from_secs(3)))
        .unwrap();
    let (handle, report) = client.unassign_instances(&instances).start().unwrap();
    let report = tokio::spawn(report);
    wait_for(&handle, |p| p.chunks_done >= 1 && p.calls >= calls).await;
    handle.abort();
    let report = report.await.unwrap().into_report();
    assert_partition(&report, &instances);
    assert_eq!(report.unassigned.len(), 5, "the first chunk: {report:?}");
    assert_eq!(Buckets::not_attempted(&report).len(), 10, "{report:?}");
    assert_eq!(report.stats.requests, calls, "{report:?}");
    (instances, report)
}

#[tokio::test]
async fn aborting_an_unassign_flags_only_the_chunk_whose_call_had_left() {
    // The second chunk's removal has left: its look-up (call 3) is done.
    let (instances, report) = abort_an_unassign_after("abort-u", 4).await;
    for (id, error, sent) in &Buckets::not_attempted(&report) {
        let in_flight = instances[5..10].contains(id);
        assert_eq!(*sent, in_flight, "{id}: {error}");
        match in_flight {
            true => assert!(matches!(error, Error::Aborted), "{id}: {error}"),
            false => assert!(matches!(error, Error::Cancelled), "{id}: {error}"),
        }
    }
}

#[tokio::test]
async fn an_abort_during_a_look_up_leaves_its_inputs_unsent_and_cancelled() {
    // Only the second chunk's look-up has left: nothing of it was removed.
    let (_, report) = abort_an_unassign_after("abort-l", 3).await;
    for (id, error, sent) in &Buckets::not_attempted(&report) {
        assert!(!sent, "{id} was never in a removal: {error}");
        assert!(matches!(error, Error::Cancelled), "{id}: {error}");
    }
}

#[tokio::test]
async fn an_abort_during_a_look_up_keeps_what_the_answer_settled() {
    let server = ScriptServer::start().await;
    // The answer accounts for `a` only; the look-up of `b` does not end.
    let answer = common::assign_answer(FLOW, &["a"], &[]);
    server.script("/v2/flows/prospects/assign", [Reply::json(200, answer)]);
    let found = serde_json::json!({"requestId": "l", "prospectsAssigned": []});
    let hang = Reply::json(200, found).delayed(Duration::from_secs(600));
    server.script("/v2/flows/prospects", [hang]);
    let client = common::client(&server.url).build().unwrap();
    let (handle, report) = client
        .assign(FLOW, OWNER)
        .prospects(["a", "b"])
        .start()
        .unwrap();
    let report = tokio::spawn(report);
    wait_for(&handle, |p| p.calls >= 2).await;
    handle.abort();
    let report = tokio::time::timeout(Duration::from_secs(60), report)
        .await
        .expect("an abort ends the job at once")
        .unwrap()
        .into_report();
    assert_eq!(report.assigned.len(), 1, "{report:?}");
    assert_eq!(report.assigned[0].id, "a");
    // `b` was sent, and Gong's answer left it out: it may be in the flow.
    assert_eq!(report.not_attempted.len(), 1, "{report:?}");
    let b = &report.not_attempted[0];
    assert_eq!(b.id, "b");
    assert!(matches!(*b.error, Error::Aborted), "{}", b.error);
    assert!(b.may_have_been_sent);
    assert_eq!(report.stats.requests, 2);
    assert_eq!(handle.progress().borrow().calls, 2);
}

/// A token provider whose token never comes.
#[derive(Debug)]
struct NeverAnswers;

impl gong_flows::TokenProvider for NeverAnswers {
    fn token(&self) -> gong_flows::TokenFuture<'_> {
        Box::pin(std::future::pending())
    }
    fn refresh(&self) -> gong_flows::TokenFuture<'_> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn cancel_and_abort_end_a_token_fetch_and_send_nothing() {
    for abort in [false, true] {
        let server = ScriptServer::start().await;
        let client = common::client(&server.url)
            .token_provider(std::sync::Arc::new(NeverAnswers))
            .build()
            .unwrap();
        let crm = ids("token", 3);
        let (handle, report) = client.assign(FLOW, OWNER).prospects(&crm).start().unwrap();
        let report = tokio::spawn(report);
        tokio::time::sleep(Duration::from_millis(50)).await;
        match abort {
            true => handle.abort(),
            false => handle.cancel(),
        }
        let report = tokio::time::timeout(Duration::from_secs(60), report)
            .await
            .expect("the job ends at once")
            .unwrap()
            .into_report();
        assert_partition(&report, &crm);
        for entry in &report.not_attempted {
            assert!(matches!(*entry.error, Error::Cancelled), "{}", entry.error);
            assert!(!entry.may_have_been_sent, "{entry:?}");
        }
        assert_eq!(report.stats.requests, 0, "abort {abort}");
        assert_eq!(handle.progress().borrow().calls, 0);
        assert!(server.seen().is_empty());
    }
}

/// Asserts that a job's progress counted every call it made, as its report
/// and the server did.
fn assert_counted(sim: &Simulator, what: &str, progress: &Progress, requests: u32) {
    assert_eq!(progress.calls, requests, "{what}: progress and stats");
    assert_eq!(
        u64::from(progress.calls),
        sim.counters().total,
        "{what}: progress and the server"
    );
    assert!(progress.finished, "{what}");
    sim.reset_counters();
}

#[tokio::test]
async fn progress_counts_every_call_as_the_report_and_the_server_do() {
    let sim = sim(Duration::ZERO);
    let client = client(&sim, 2);
    let crm = ids("count", 450);

    // Assign: a 500 retried, and an answer lost after Gong applied the
    // call (settled by a look-up).
    sim.reset_counters();
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::Status500, 1);
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::AppliedThenFailed, 1);
    let job = client.assign(FLOW, OWNER).prospects(&crm).start().unwrap();
    let (report, progress) = run_watched(job).await;
    assert_eq!(report.assigned.len(), 450, "{report}");
    assert!(sim.counters().calls(Endpoint::GetProspectsAssignedFlows) >= 1);
    assert_counted(&sim, "assign", &progress, report.stats.requests);

    // Unassign by CRM id: look-ups, and a lost answer.
    sim.script_faults(
        Some(Endpoint::UnassignProspectFlows),
        Fault::AppliedThenFailed,
        1,
    );
    let job = client
        .unassign_prospects(&crm[..300])
        .flow_id(FLOW)
        .start()
        .unwrap();
    let (report, progress) = run_watched(job).await;
    assert_eq!(report.unassigned.len(), 300, "{report}");
    assert!(sim.counters().calls(Endpoint::GetProspectsAssignedFlows) >= 2);
    assert_counted(&sim, "unassign by CRM id", &progress, report.stats.requests);

    // Unassign by instance id, with a lost answer.
    let instances: Vec<String> = client
        .prospects_flows()
        .crm_prospect_ids(&crm[300..])
        .send()
        .await
        .unwrap()
        .check()
        .unwrap()
        .instances
        .iter()
        .filter_map(|i| i.flow_instance_id.clone())
        .collect();
    assert_eq!(instances.len(), 150);
    sim.reset_counters();
    sim.script_faults(Some(Endpoint::UnassignFlows), Fault::AppliedThenFailed, 1);
    let job = client.unassign_instances(&instances).start().unwrap();
    let (report, progress) = run_watched(job).await;
    assert_eq!(report.unassigned.len(), 150, "{report}");
    assert_counted(
        &sim,
        "unassign by instance id",
        &progress,
        report.stats.requests,
    );

    // Bulk assign: a submit and its polls.
    let people: Vec<BulkProspect> = (0..3)
        .map(|i| BulkProspect::new(format!("Count{i}"), "Bulk"))
        .collect();
    let job = client.bulk_assign(FLOW, OWNER).poll_policy(poll());
    let (report, progress) = run_watched(job.prospects(people).start().unwrap()).await;
    assert_eq!(report.assigned.len(), 3, "{report:?}");
    assert!(
        sim.counters()
            .calls(Endpoint::GetFlowProspectsBulkAssignment)
            >= 1
    );
    assert_counted(&sim, "bulk assign", &progress, report.stats.requests);

    // Steps, with a 500 retried.
    sim.script_faults(Some(Endpoint::GetFlowSteps), Fault::Status500, 1);
    let flows = [dataset::SDR_FLOW_ID, dataset::EXCLUSIVE_FLOW_ID];
    let (report, progress) = run_watched(client.flow_steps(flows).start().unwrap()).await;
    assert_eq!(report.flows.len(), 2);
    assert_counted(&sim, "steps", &progress, report.stats.requests);

    // Prospects' flows, with a 500 retried.
    sim.script_faults(
        Some(Endpoint::GetProspectsAssignedFlows),
        Fault::Status500,
        1,
    );
    let (handle, found) = client
        .prospects_flows()
        .crm_prospect_ids(&crm[..5])
        .start()
        .unwrap();
    let found = found.await;
    let progress = handle.progress().borrow().clone();
    assert_counted(&sim, "prospects' flows", &progress, found.stats.requests);
}

#[tokio::test]
async fn unassign_progress_moves_as_ids_are_settled_not_per_look_up_chunk() {
    // Calls slow enough for every step of the progress to be seen.
    let sim = sim(Duration::from_millis(100));
    let client = client(&sim, 1);
    let crm = ids("moves", 450);
    assigned_instances(&client, &crm[..300]).await;
    // 450 ids in chunks of 200: the second chunk's last 100 and the third
    // chunk are in no flow, settled by their look-up alone.
    let (handle, report) = client
        .unassign_prospects(&crm)
        .flow_id(FLOW)
        .start()
        .unwrap();
    let mut progress = handle.progress();
    let watcher = tokio::spawn(async move {
        let mut seen = vec![progress.borrow_and_update().done];
        while progress.changed().await.is_ok() {
            let now = progress.borrow_and_update().clone();
            seen.push(now.done);
            if now.finished {
                break;
            }
        }
        seen
    });
    let report = report.await.unwrap();
    let seen = tokio::time::timeout(Duration::from_secs(30), watcher)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(report.unassigned.len(), 300, "{report}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "monotone: {seen:?}");
    assert_eq!(seen.last(), Some(&450), "{seen:?}");
    assert!(
        seen.iter().any(|done| ![0, 200, 400, 450].contains(done)),
        "progress moved only per look-up chunk: {seen:?}"
    );
}

/// Cancels a started job once its progress has counted `calls` calls (the
/// last of them a look-up still in flight: every call takes a second),
/// then checks that the look-up was the last call the server saw, and
/// that every input is in one bucket, the ones not done `Cancelled`.
async fn cancel_during_look_up<O: Finished>(
    sim: &Simulator,
    (handle, report): (JobHandle, impl Future<Output = O> + Send + 'static),
    inputs: &[String],
    calls: u32,
) -> O::Report {
    let report = tokio::spawn(report);
    wait_for(&handle, |p| p.calls >= calls).await;
    handle.cancel();
    let report = report.await.unwrap().into_report();
    let seen = sim.counters();
    assert_eq!(seen.total, u64::from(calls), "{seen:?}");
    // Nothing is sent later either.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sim.counters().total, seen.total);
    assert_partition(&report, inputs);
    for (id, error, sent) in report.not_attempted() {
        assert!(matches!(error, Error::Cancelled), "{id}: {error}");
        assert!(!sent, "{id} was not sent");
    }
    assert!(matches!(
        report.stats().stopped.as_deref(),
        Some(Error::Cancelled)
    ));
    let progress = handle.progress().borrow().clone();
    assert_eq!(progress.calls, calls);
    assert_eq!(progress.calls, report.stats().requests);
    assert_eq!(progress.done, inputs.len(), "progress accounts for all");
    report
}

#[tokio::test]
async fn a_cancel_during_a_look_up_sends_nothing_more() {
    let sim = sim(Duration::ZERO);
    let client = sized_client(&sim, 1, gong_flows::ChunkSizes::default().with_lookup(5));
    let crm = ids("look-up-cancel", 10);
    // Three of the first look-up's five are in the flow.
    assigned_instances(&client, &crm[..3]).await;
    sim.set_latency(Latency::Fixed(Duration::from_secs(1)))
        .unwrap();
    sim.reset_counters();

    // Unassign by CRM id: the cancel lands while the first look-up is out.
    let job = client.unassign_prospects(&crm).flow_id(FLOW).start();
    let report = cancel_during_look_up(&sim, job.unwrap(), &crm, 1).await;
    assert_eq!(sim.counters().calls(Endpoint::GetProspectsAssignedFlows), 1);
    assert!(report.unassigned.is_empty(), "{report}");
    // The look-up settled the two in no flow; the rest wait for a resume.
    assert_eq!(report.not_unassigned.len(), 2, "{report}");
    assert_eq!(report.not_attempted.len(), 8, "{report}");
    for id in &crm[..3] {
        assert_eq!(sim.times_assigned(FLOW, id), 1, "{id} is still in the flow");
    }

    // Assign whose answer is lost: the call is sent again (Gong says the
    // prospects are in the flow, not whether that call put them there),
    // and the cancel lands while the look-up that settles it is out.
    let fresh = ids("look-up-cancel-a", 10);
    sim.reset_counters();
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::AppliedThenFailed, 1);
    let job = client
        .assign(FLOW, OWNER)
        .chunk_size(5)
        .prospects(&fresh)
        .start();
    let report = cancel_during_look_up(&sim, job.unwrap(), &fresh, 3).await;
    let counters = sim.counters();
    assert_eq!(counters.calls(Endpoint::AssignProspects), 2, "{counters:?}");
    assert_eq!(counters.calls(Endpoint::GetProspectsAssignedFlows), 1);
    // The look-up found the first chunk applied; the second was never sent.
    let assigned: Vec<&str> = report.assigned.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        assigned,
        fresh[..5].iter().map(String::as_str).collect::<Vec<_>>()
    );
    for id in &fresh {
        let expected = u32::from(fresh[..5].contains(id));
        assert_eq!(sim.times_assigned(FLOW, id), expected, "{id}");
    }
}
