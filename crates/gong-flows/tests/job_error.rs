//! A job stopped by an error is an `Err(JobError::Stopped)` that carries its
//! partial report, for every bulk operation and for a sync's apply; bad
//! input is `Err(JobError::Invalid)` with nothing sent; Gong's refusals of
//! single prospects stay in an `Ok` report.

mod common;

use common::{Reply, ScriptServer, assign_answer};
use gong_flows::{
    BulkProspect, Client, Credentials, Error, JobError, JobReport, MemoryStore, PollPolicy, Report,
    RetryPolicy, SyncReport,
};
use gong_flows_sim::{Endpoint, Fault, Latency, SimConfig, Simulator, dataset};
use std::time::Duration;

const FLOW: &str = dataset::SDR_FLOW_ID;
const OWNER: &str = dataset::DEFAULT_USER_EMAIL;
/// A secret recognisable anywhere it might leak.
const SECRET: &str = "S3CR3T-job-error-7f3a9c";

fn sim() -> Simulator {
    Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .latency(Latency::Fixed(Duration::ZERO))
            .bulk_stage(Duration::from_millis(20)),
    )
    .unwrap()
}

/// A client of the simulator, with its credentials (or `secret` for the
/// access key's, which the simulator refuses with 401).
fn client_with(sim: &Simulator, secret: Option<&str>, retry: RetryPolicy) -> Client {
    let credentials = match secret {
        Some(secret) => Credentials::basic(gong_flows_sim::DEFAULT_ACCESS_KEY, secret),
        None => Credentials::basic(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        ),
    };
    Client::builder()
        .base_url(sim.base_url())
        .credentials(credentials)
        .unpaced()
        .concurrency(1)
        .retry_policy(retry)
        .chunk_sizes(
            gong_flows::ChunkSizes::default()
                .with_assign(2)
                .with_unassign_instances(2)
                .with_lookup(2)
                .with_bulk(2),
        )
        .build()
        .unwrap()
}

fn client(sim: &Simulator) -> Client {
    client_with(sim, None, RetryPolicy::none())
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:03}")).collect()
}

fn poll() -> PollPolicy {
    PollPolicy {
        first_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(20),
        limit: Duration::from_secs(30),
    }
}

/// The partial report of a stopped job, checked to account for every
/// input: done + not attempted = the inputs, and `Display` gives the counts.
fn stopped<R: Report + JobReport>(result: Result<R, JobError<R>>, inputs: usize) -> (Error, R) {
    let text = match &result {
        Err(error) => error.to_string(),
        Ok(_) => String::new(),
    };
    let (error, report) = common::stopped(result);
    assert_eq!(report.total(), inputs, "every input is in the report");
    assert_eq!(
        report.done_count() + report.left_count(),
        inputs,
        "done + not attempted = the inputs"
    );
    assert!(report.left_count() > 0, "a stop leaves inputs");
    assert!(text.starts_with("the job stopped: "), "{text}");
    assert!(
        text.ends_with(&format!(
            "({} done, {} not attempted)",
            report.done_count(),
            report.left_count()
        )),
        "{text}"
    );
    ((*error).clone(), report)
}

/// The error of a job refused before anything was sent.
fn invalid<R: JobReport>(result: Result<R, JobError<R>>) -> Error {
    match result {
        Err(JobError::Invalid(error)) => {
            assert!(error.to_string().len() > 1);
            error
        }
        Err(other) => panic!("expected nothing sent, got {other}"),
        Ok(_) => panic!("expected nothing sent, got a report"),
    }
}

/// Assigns `ids` and returns their flow instance ids.
async fn assigned(client: &Client, ids: &[String]) -> Vec<String> {
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
        .filter_map(|a| a.flow_instance_id.clone())
        .collect()
}

#[tokio::test]
async fn every_bulk_operation_stopped_by_a_401_is_an_err_with_every_input() {
    let sim = sim();
    let good = client(&sim);
    let crm = ids("auth", 5);
    let instances = assigned(&good, &crm).await;
    let bad = client_with(&sim, Some(SECRET), RetryPolicy::none());

    let (error, report) = stopped(
        bad.assign(FLOW, OWNER)
            .prospects(ids("a401", 5))
            .send()
            .await,
        5,
    );
    assert!(matches!(error, Error::Unauthorized(_)), "{error}");
    assert_eq!(report.not_attempted.len(), 5);

    let (error, report) = stopped(bad.unassign_prospects(&crm).send().await, 5);
    assert!(matches!(error, Error::Unauthorized(_)), "{error}");
    assert_eq!(report.not_attempted.len(), 5);

    let (error, report) = stopped(bad.unassign_instances(&instances).send().await, 5);
    assert!(matches!(error, Error::Unauthorized(_)), "{error}");
    assert_eq!(report.not_attempted.len(), 5);

    let people: Vec<BulkProspect> = ids("b401", 5)
        .into_iter()
        .map(BulkProspect::crm_id)
        .collect();
    let (error, report) = stopped(
        bad.bulk_assign(FLOW, OWNER)
            .poll_policy(poll())
            .prospects(people)
            .send()
            .await,
        5,
    );
    assert!(matches!(error, Error::Unauthorized(_)), "{error}");
    assert_eq!(report.not_attempted.len(), 5);
    assert_eq!(sim.instance_count(), 5, "nothing changed");
}

#[tokio::test]
async fn an_unknown_flow_stops_an_assign_and_a_bulk_assign() {
    let sim = sim();
    let client = client(&sim);
    let unknown = "1111111111111111111";
    let (error, _) = stopped(
        client
            .assign(unknown, OWNER)
            .prospects(ids("nf", 3))
            .send()
            .await,
        3,
    );
    assert!(matches!(error, Error::NotFound(_)), "{error}");
    let people: Vec<BulkProspect> = ids("nfb", 3)
        .into_iter()
        .map(BulkProspect::crm_id)
        .collect();
    let (error, _) = stopped(
        client
            .bulk_assign(unknown, OWNER)
            .poll_policy(poll())
            .prospects(people)
            .send()
            .await,
        3,
    );
    assert!(matches!(error, Error::NotFound(_)), "{error}");
}

#[tokio::test]
async fn a_429_past_the_retry_policy_stops_the_job_midway() {
    let server = ScriptServer::start().await;
    // The first chunk goes through; then Gong asks for an hour.
    server.handle(|seen| {
        let ids = common::ids_of(&seen.body);
        if ids.iter().any(|id| id == "r429-000") {
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            return Some(Reply::json(200, assign_answer(FLOW, &refs, &[])));
        }
        Some(Reply::error(429, "req-429", "Too many requests").header("Retry-After", "3600"))
    });
    let client = common::client(&server.url)
        .concurrency(1)
        .retry_policy(RetryPolicy::default().with_max_retry_after(Duration::from_secs(1)))
        .build()
        .unwrap();
    let all = ids("r429", 6);
    let (error, report) = stopped(
        client
            .assign(FLOW, OWNER)
            .chunk_size(2)
            .prospects(&all)
            .send()
            .await,
        6,
    );
    assert!(matches!(error, Error::RateLimited { .. }), "{error}");
    assert_eq!(
        report.assigned.len(),
        2,
        "the chunk before the stop is done"
    );
    assert_eq!(report.not_attempted.len(), 4);
    assert_eq!(server.seen().len(), 2, "nothing is sent after the stop");
}

#[tokio::test]
async fn a_server_failing_past_the_retry_policy_stops_both_unassigns() {
    let sim = sim();
    let client = client(&sim);
    let crm = ids("s500", 6);
    let instances = assigned(&client, &crm).await;
    sim.script_faults(Some(Endpoint::UnassignFlows), Fault::Status500, 100);
    let (error, report) = stopped(client.unassign_instances(&instances).send().await, 6);
    assert!(matches!(error, Error::Server(_)), "{error}");
    assert!(report.unassigned.is_empty());
    let (error, report) = stopped(client.unassign_prospects(&crm).send().await, 6);
    assert!(matches!(error, Error::Server(_)), "{error}");
    assert!(report.unassigned.is_empty());
    sim.clear_fault_scripts();
}

#[tokio::test]
async fn a_cancelled_job_is_an_err_and_its_future_can_give_the_report_either_way() {
    let sim = sim();
    let client = client(&sim);
    let all = ids("cancel", 4);

    let (handle, job) = client.assign(FLOW, OWNER).prospects(&all).start().unwrap();
    handle.cancel();
    let (error, report) = stopped(job.await, 4);
    assert!(matches!(error, Error::Cancelled), "{error}");
    assert_eq!(report.not_attempted.len(), 4);

    let (handle, job) = client.assign(FLOW, OWNER).prospects(&all).start().unwrap();
    handle.cancel();
    let report = job.report().await;
    assert_eq!(report.not_attempted.len(), 4);
    assert!(report.clone().check().is_err(), "the same rule as send()");
    assert_eq!(sim.counters().total, 0, "nothing was sent");
}

#[tokio::test]
async fn bad_input_is_invalid_with_nothing_sent_for_every_operation() {
    let sim = sim();
    let client = client(&sim);
    let bad = ["ok-1", "bad id"];
    let error = invalid(client.assign(FLOW, OWNER).prospects(bad).send().await);
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    let error = invalid(
        client
            .assign(FLOW, "not-an-email")
            .prospects(["a"])
            .send()
            .await,
    );
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    let error = invalid(client.unassign_prospects(bad).send().await);
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    let error = invalid(client.unassign_instances(bad).send().await);
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    let error = invalid(
        client
            .bulk_assign(FLOW, OWNER)
            .prospects([BulkProspect::crm_id("bad id")])
            .send()
            .await,
    );
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    // `start` refuses the same way, before anything runs.
    assert!(matches!(
        client.assign(FLOW, OWNER).prospects(bad).start(),
        Err(Error::InvalidInput { .. })
    ));
    // And `report` too: only bad input is an `Err` there.
    assert!(matches!(
        client.assign(FLOW, OWNER).prospects(bad).report().await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(sim.counters().total, 0, "nothing was sent");
}

#[tokio::test]
async fn refusals_of_single_prospects_stay_in_an_ok_report() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::json(
            200,
            assign_answer(FLOW, &["p1"], &[("p2", "InvalidArgument")]),
        )],
    );
    let client = common::client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["p1", "p2"])
        .send()
        .await
        .expect("a refusal is not an error");
    assert_eq!(report.assigned.len(), 1);
    assert_eq!(report.not_assigned.len(), 1);
    assert_eq!(report.not_assigned[0].id, "p2");
    assert!(report.is_complete());
}

#[tokio::test]
async fn a_sync_stopped_by_an_error_is_an_err_with_every_prospect() {
    let sim = sim();
    let client = client(&sim);
    let list = ids("sync", 6);
    let plan = client
        .sync(FLOW, OWNER)
        .prospects(list.clone())
        .store(MemoryStore::new())
        .plan()
        .await
        .unwrap();
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::Status500, 100);
    let result: Result<SyncReport, JobError<SyncReport>> = plan.apply().await;
    let (error, report) = match result {
        Err(JobError::Stopped { error, report }) => (error, *report),
        other => panic!("expected a stopped sync, got {other:?}"),
    };
    assert!(matches!(*error, Error::Server(_)), "{error}");
    assert_eq!(report.total(), 6, "every prospect is in the report");
    assert!(!report.not_attempted.is_empty());
    assert_eq!(
        report.done_count() + report.left_count(),
        6,
        "done + not attempted = the list"
    );
    sim.clear_fault_scripts();

    // The same sync with Gong answering is `Ok`; `apply_report` gives the
    // report either way.
    let store = std::sync::Arc::new(MemoryStore::new());
    let report = client
        .sync(FLOW, OWNER)
        .prospects(list.clone())
        .shared_store(store.clone())
        .plan()
        .await
        .unwrap()
        .apply()
        .await
        .unwrap();
    assert!(report.is_in_step(), "{report}");

    // A plan the guard refuses is `Invalid`, with nothing sent.
    let plan = client
        .sync(FLOW, OWNER)
        .prospects(Vec::<String>::new())
        .shared_store(store.clone())
        .plan()
        .await
        .unwrap();
    assert!(plan.refusal.is_some(), "{plan}");
    sim.reset_counters();
    let error = invalid(plan.apply().await);
    assert!(matches!(error, Error::SyncGuard { .. }), "{error}");
    assert_eq!(sim.counters().total, 0, "nothing was sent");
}

#[tokio::test]
async fn display_and_debug_of_a_job_error_hold_no_secret() {
    let sim = sim();
    let bad = client_with(&sim, Some(SECRET), RetryPolicy::none());
    let result = bad
        .assign(FLOW, OWNER)
        .prospects(ids("sec", 3))
        .send()
        .await;
    let error = result.unwrap_err();
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
        std::error::Error::source(&error).unwrap().to_string(),
    ] {
        assert!(!text.contains(SECRET), "a secret leaked: {text}");
        assert!(
            !text.contains("assigned:"),
            "Debug lists no entries: {text}"
        );
    }
    assert_eq!(error.kind(), "unauthorized");
    assert!(
        error.to_string().contains("(0 done, 3 not attempted)"),
        "{error}"
    );
    assert!(
        format!("{error:?}").contains("not_attempted: 3"),
        "{error:?}"
    );
    let report = error.into_report().expect("a stop carries its report");
    assert_eq!(report.not_attempted.len(), 3);

    let invalid: JobError<gong_flows::AssignReport> = Error::InvalidInput {
        field: "crm_prospect_ids",
        value: " ".to_owned(),
        reason: "test".to_owned(),
    }
    .into();
    assert!(
        invalid.to_string().starts_with("nothing sent: "),
        "{invalid}"
    );
    assert!(invalid.report().is_none());
}

/// `?` turns a job's error into a plain `gong_flows::Error`.
async fn assigned_count(client: &Client, ids: &[String]) -> gong_flows::Result<usize> {
    let report = client.assign(FLOW, OWNER).prospects(ids).send().await?;
    Ok(report.assigned.len())
}

#[tokio::test]
async fn question_mark_gives_a_plain_error() {
    let sim = sim();
    assert_eq!(
        assigned_count(&client(&sim), &ids("q", 3)).await.unwrap(),
        3
    );
    let bad = client_with(&sim, Some(SECRET), RetryPolicy::none());
    let error = assigned_count(&bad, &ids("q2", 3)).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error}");
    let error = assigned_count(&bad, &["bad id".to_owned()])
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
}
