//! Observers see every HTTP attempt (retries and look-ups included) exactly
//! as the report and the server count them, are told of every job's start,
//! parts and end, never see a secret, and cannot break a job.

mod common;

use common::{Reply, ScriptServer};
use gong_flows::{Attempt, Client, JobEvent, JobStage, Observer, RetryPolicy};
use gong_flows_sim::{Endpoint, Fault, SimConfig, Simulator, dataset};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const FLOW: &str = dataset::SDR_FLOW_ID;
const OWNER: &str = dataset::DEFAULT_USER_EMAIL;

/// An attempt as an observer saw it, kept.
#[derive(Debug, Clone)]
struct Seen {
    operation: &'static str,
    method: &'static str,
    path: &'static str,
    retry: u32,
    status: Option<u16>,
    error_type: Option<String>,
    request_id: Option<String>,
    will_retry: bool,
    in_job: bool,
    shown: String,
}

/// A job event, kept: operation, stage, newly settled, total, done, calls.
type SeenJob = (&'static str, JobStage, usize, Option<usize>, usize, u32);

#[derive(Debug, Default)]
struct Recorder {
    attempts: Mutex<Vec<Seen>>,
    jobs: Mutex<Vec<SeenJob>>,
}

impl Recorder {
    fn attempts(&self) -> Vec<Seen> {
        self.attempts.lock().unwrap().clone()
    }
}

impl Observer for Recorder {
    fn on_attempt(&self, attempt: &Attempt<'_>) {
        self.attempts.lock().unwrap().push(Seen {
            operation: attempt.operation,
            method: attempt.method,
            path: attempt.path,
            retry: attempt.retry,
            status: attempt.status,
            error_type: attempt.error_type().map(|e| e.into_owned()),
            request_id: attempt.request_id.map(str::to_owned),
            will_retry: attempt.will_retry,
            in_job: attempt.in_job,
            shown: format!("{attempt:?}"),
        });
    }

    fn on_job(&self, event: &JobEvent<'_>) {
        self.jobs.lock().unwrap().push((
            event.operation,
            event.stage,
            event.newly_settled,
            event.progress.total,
            event.progress.done,
            event.progress.calls,
        ));
    }
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(20))
}

fn sim_client(sim: &Simulator, observer: impl Observer) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .unpaced()
        .retry_policy(quick_retries())
        .observe(observer)
        .build()
        .unwrap()
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:04}")).collect()
}

fn empty_page(request_id: &str) -> serde_json::Value {
    json!({"requestId": request_id,
           "records": {"totalRecords": 0, "currentPageSize": 0, "currentPageNumber": 0},
           "flows": []})
}

#[tokio::test]
async fn every_attempt_of_jobs_with_retries_and_look_ups_is_seen_as_the_report_and_server_count_it()
{
    let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
    let recorder = Arc::new(Recorder::default());
    let client = sim_client(&sim, recorder.clone());
    let crm = ids("obs", 450);

    // An assign of 3 calls, two of them failing once (500, then a dropped
    // connection) before they go through.
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::Status500, 1);
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::ConnectionReset, 1);
    let assign = client
        .assign(FLOW, OWNER)
        .prospects(&crm)
        .send()
        .await
        .unwrap();
    assert_eq!(assign.assigned.len(), 450, "{assign}");
    let seen = recorder.attempts();
    assert_eq!(seen.len() as u32, assign.stats.requests);
    assert_eq!(seen.len(), 5, "3 calls, 2 retries: {seen:#?}");
    assert_eq!(sim.counters().total, 5);
    assert!(seen.iter().all(|a| a.operation == "assignProspects"
        && a.method == "POST"
        && a.path == "/v2/flows/prospects/assign"
        && a.in_job));
    let retried: Vec<_> = seen.iter().filter(|a| a.will_retry).collect();
    assert_eq!(retried.len(), 2, "{seen:#?}");
    assert!(retried.iter().all(|a| a.retry == 0));
    assert_eq!(
        seen.iter().filter(|a| a.retry == 1).count(),
        2,
        "each failed call is retried once"
    );
    let mut kinds: Vec<_> = retried
        .iter()
        .map(|a| (a.status, a.error_type.clone().unwrap()))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            (None, "connection".to_owned()),
            (Some(500), "500".to_owned())
        ]
    );
    // Every request id the report has, the observer saw on its attempt.
    let observed: Vec<_> = seen.iter().filter_map(|a| a.request_id.clone()).collect();
    for id in &assign.stats.request_ids {
        assert!(observed.contains(id), "{id} in {observed:?}");
    }
    assert!(
        seen.iter()
            .filter(|a| !a.will_retry)
            .all(|a| a.status == Some(200) && a.error_type.is_none())
    );

    // Unassign by CRM id: look-ups and removals, one look-up failing once.
    let before = recorder.attempts().len();
    sim.reset_counters();
    sim.script_faults(
        Some(Endpoint::GetProspectsAssignedFlows),
        Fault::Status500,
        1,
    );
    let unassign = client
        .unassign_prospects(&crm[..300])
        .flow_id(FLOW)
        .send()
        .await
        .unwrap();
    assert_eq!(unassign.unassigned.len(), 300, "{unassign}");
    let seen = &recorder.attempts()[before..];
    assert_eq!(seen.len() as u32, unassign.stats.requests);
    assert_eq!(seen.len() as u64, sim.counters().total);
    let look_ups = seen
        .iter()
        .filter(|a| a.operation == "getProspectsAssignedFlows")
        .count();
    assert_eq!(
        look_ups as u64,
        sim.counters().calls(Endpoint::GetProspectsAssignedFlows)
    );
    assert!(look_ups >= 3, "2 look-ups and a retry: {seen:#?}");
    assert_eq!(seen.iter().filter(|a| a.will_retry).count(), 1);

    // Nothing an observer is given shows a credential.
    let basic = "Basic ";
    for attempt in recorder.attempts() {
        assert!(
            !attempt
                .shown
                .contains(gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET)
        );
        assert!(!attempt.shown.contains(basic), "{}", attempt.shown);
        assert!(!attempt.shown.to_lowercase().contains("authorization"));
    }

    // Jobs are told as they start, yield parts and finish, and what they
    // settled adds up to their inputs.
    let jobs = recorder.jobs.lock().unwrap().clone();
    let assign_events: Vec<_> = jobs.iter().filter(|j| j.0 == "assignProspects").collect();
    assert_eq!(assign_events.first().unwrap().1, JobStage::Started);
    assert_eq!(assign_events.last().unwrap().1, JobStage::Finished);
    assert_eq!(
        assign_events
            .iter()
            .filter(|j| j.1 == JobStage::Part)
            .count(),
        3
    );
    let settled: usize = assign_events.iter().map(|j| j.2).sum();
    assert_eq!(settled, 450);
    let finished = assign_events.last().unwrap();
    assert_eq!((finished.3, finished.4, finished.5), (Some(450), 450, 5));
}

#[tokio::test]
async fn a_429_then_200_is_two_attempts_with_their_request_ids() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [
            Reply::error(429, "req-429", "Too many requests").header("retry-after", "0"),
            Reply::json(200, empty_page("req-200")),
        ],
    );
    let recorder = Arc::new(Recorder::default());
    let client = common::client(&server.url)
        .observe(recorder.clone())
        .build()
        .unwrap();
    client.list_flows(OWNER).send().await.unwrap();
    let seen = recorder.attempts();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert_eq!(seen.len(), server.seen().len());
    let first = &seen[0];
    assert_eq!(
        (first.retry, first.status, first.will_retry, first.in_job),
        (0, Some(429), true, false)
    );
    assert_eq!(first.error_type.as_deref(), Some("429"));
    assert_eq!(first.request_id.as_deref(), Some("req-429"));
    let second = &seen[1];
    assert_eq!(
        (second.retry, second.status, second.will_retry),
        (1, Some(200), false)
    );
    assert_eq!(second.request_id.as_deref(), Some("req-200"));
    assert_eq!((second.method, second.path), ("GET", "/v2/flows"));
}

#[tokio::test]
async fn the_last_attempt_of_a_call_that_fails_is_not_to_be_retried() {
    let server = ScriptServer::start().await;
    server.script("/v2/flows", [Reply::error(500, "req-500", "down")]);
    let recorder = Arc::new(Recorder::default());
    let client = common::client(&server.url)
        .retry_policy(quick_retries().with_max_attempts(3))
        .observe(recorder.clone())
        .build()
        .unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    let seen = recorder.attempts();
    let again: Vec<_> = seen.iter().map(|a| (a.retry, a.will_retry)).collect();
    assert_eq!(again, [(0, true), (1, true), (2, false)]);
    // A 400 is not retried at all.
    server.script("/v2/flows/folders", [Reply::error(400, "req-400", "bad")]);
    client.list_folders(OWNER).send().await.unwrap_err();
    let last = recorder.attempts().pop().unwrap();
    assert_eq!((last.status, last.will_retry), (Some(400), false));
    assert_eq!(last.operation, "listFlowsFolders");
}

#[derive(Debug)]
struct Panics;

impl Observer for Panics {
    fn on_attempt(&self, _: &Attempt<'_>) {
        panic!("an observer's bug");
    }

    fn on_job(&self, _: &JobEvent<'_>) {
        panic!("an observer's bug");
    }
}

#[tokio::test]
async fn a_panicking_observer_breaks_neither_the_job_nor_the_observers_after_it() {
    let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
    let recorder = Arc::new(Recorder::default());
    let client = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .unpaced()
        .observe(Panics)
        .observe(recorder.clone())
        .build()
        .unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(ids("panic", 250))
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 250);
    assert_eq!(recorder.attempts().len(), 2);
    assert_eq!(
        recorder.jobs.lock().unwrap().len(),
        4,
        "started, 2 parts, finished"
    );
}
