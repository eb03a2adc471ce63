//! The company's daily quota: a job that may not fit what is left is
//! refused before anything is sent, or runs what fits and stops resumably,
//! or waits for calls to free up (on tokio's paused clock).

mod common;

use common::{Reply, ScriptServer, assign_answer, client};
use gong_flows::{Error, InProcessPacer, OverQuota, SavedJob, SavedReport};
use std::sync::Arc;
use std::time::Duration;

const FLOW: &str = "1695493301223590792";
const OWNER: &str = "owner@example.com";

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("q-{i:03}")).collect()
}

/// A server that assigns whatever it is asked.
async fn assigning_server() -> ScriptServer {
    let server = ScriptServer::start().await;
    server.handle(|seen| {
        let ids: Vec<String> = serde_json::from_value(seen.body["crmProspectsIds"].clone()).ok()?;
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        Some(Reply::json(200, assign_answer(FLOW, &ids, &[])))
    });
    server
}

/// A client with a daily budget of `budget` calls and `policy`.
fn budgeted(url: &str, budget: u32, policy: OverQuota) -> gong_flows::Client {
    client(url)
        .pacer(Arc::new(InProcessPacer::new(None, Some(budget))))
        .over_quota(policy)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_job_larger_than_what_is_left_is_refused_before_anything_is_sent() {
    let server = assigning_server().await;
    // Ten chunks of ten: at least ten calls, at most twenty; five are left.
    let client = budgeted(&server.url, 5, OverQuota::Refuse);
    let error = client
        .assign(FLOW, OWNER)
        .chunk_size(10)
        .prospects(ids(100))
        .send()
        .await
        .unwrap_err();
    assert!(server.seen().is_empty(), "nothing was sent");
    let partial = error.report().expect("a stop carries its report");
    assert_eq!(partial.not_attempted.len(), 100);
    let error = error.into_error();
    match &error {
        Error::OverQuota { needed, left, .. } => {
            assert_eq!(*needed, 20, "the plan's bound, never an under-count");
            assert_eq!(*left, 5);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        error
            .to_string()
            .contains("needs up to 20 calls and 5 are left"),
        "{error}"
    );
    assert!(!error.may_have_been_sent());
    // A job that fits runs.
    let report = client
        .assign(FLOW, OWNER)
        .chunk_size(10)
        .prospects(ids(20))
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 20);
}

#[tokio::test]
async fn run_what_fits_stops_resumably_and_says_when_calls_free_up() {
    let server = assigning_server().await;
    let client = budgeted(&server.url, 5, OverQuota::RunWhatFits);
    let job = SavedJob::new(
        client
            .assign(FLOW, OWNER)
            .chunk_size(10)
            .prospects(ids(100)),
    )
    .unwrap();
    let (_, report) = job.start().unwrap();
    let saved = report.await;
    assert_eq!(server.seen().len(), 5, "what fits went out");
    let left = saved.left();
    assert_eq!(left.not_attempted, 50);
    assert_eq!(left.resumable, 50);
    let stopped = saved.stopped().expect("stopped by the budget");
    assert!(
        matches!(**stopped, Error::DailyBudgetExhausted { .. }),
        "{stopped}"
    );
    // The error says when, as a time of day, not a count of seconds.
    let text = stopped.to_string();
    assert!(text.contains("UTC"), "{text}");
    assert!(text.contains("free up from"), "{text}");
    // The report resumes the rest with a client that has room again.
    let fresh = budgeted(&server.url, 1000, OverQuota::Refuse);
    let saved: SavedReport = serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();
    let (_, report) = SavedJob::resume(saved, &fresh).unwrap().start().unwrap();
    let done = report.await;
    assert_eq!(done.unfinished(), 0, "{done:?}");
    assert_eq!(server.seen().len(), 10);
}

#[tokio::test(start_paused = true)]
async fn wait_for_reset_waits_for_calls_to_free_up_and_a_cancel_ends_the_wait() {
    let server = assigning_server().await;
    let client = budgeted(&server.url, 2, OverQuota::WaitForReset);
    let (handle, report) = client
        .assign(FLOW, OWNER)
        .chunk_size(10)
        .prospects(ids(30))
        .start()
        .unwrap();
    let report = tokio::spawn(report);
    let mut progress = handle.progress();
    // Two calls go out, then the job waits for the day's first calls to
    // leave the 24-hour window; the progress shows until when.
    let waiting = tokio::time::timeout(
        Duration::from_secs(3 * 24 * 3600),
        progress.wait_for(|p| p.paused_until.is_some()),
    )
    .await
    .expect("the job waits")
    .unwrap()
    .clone();
    assert_eq!(waiting.calls, 2, "two calls went out before the wait");
    let until = waiting.paused_until.unwrap();
    let ahead = until - chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    assert!(ahead.num_hours() >= 23, "waits about a day: {ahead}");
    // Past the window, the third call goes and the job finishes.
    let report = tokio::time::timeout(Duration::from_secs(3 * 24 * 3600), report)
        .await
        .expect("the job ends")
        .unwrap()
        .unwrap();
    assert_eq!(report.assigned.len(), 30, "{report}");
    assert_eq!(server.seen().len(), 3);

    // A cancel during such a wait ends the job at once.
    let client = budgeted(&server.url, 1, OverQuota::WaitForReset);
    let (handle, report) = client
        .assign(FLOW, OWNER)
        .chunk_size(10)
        .prospects(ids(30))
        .start()
        .unwrap();
    let report = tokio::spawn(report);
    let mut progress = handle.progress();
    progress
        .wait_for(|p| p.paused_until.is_some())
        .await
        .unwrap();
    let before = tokio::time::Instant::now();
    handle.cancel();
    let report = match report.await.unwrap() {
        Err(gong_flows::JobError::Stopped { report, .. }) => report,
        other => panic!("a cancelled job is stopped: {other:?}"),
    };
    assert!(before.elapsed() < Duration::from_secs(1), "no waiting on");
    assert_eq!(report.assigned.len(), 10);
    assert_eq!(report.not_attempted.len(), 20);
    assert!(
        report
            .not_attempted
            .iter()
            .all(|n| matches!(*n.error, Error::Cancelled) && !n.may_have_been_sent)
    );
}
