//! The SDK waits as the typed mocks' rate-limit headers say: `Retry-After`
//! in seconds and as an HTTP date, `X-Ratelimit-Remaining: 0` with its
//! reset, and a daily remaining count lower than the budget's. On tokio's
//! paused clock, so the waits are measured exactly, whatever the machine's
//! load: each attempt's wait for the pacer, as an observer is told it (the
//! paused clock may jump ahead while a test waits for the mock server's
//! answer, so the time around a whole call proves nothing).

use gong_flows::{Attempt, Client, Error, Observer, RetryPolicy};
use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
use httpmock::MockServer;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

const OWNER: &str = "owner@example.com";

/// Each attempt's status and wait for the pacer.
#[derive(Debug, Default)]
struct Waits(Mutex<Vec<(Option<u16>, Duration)>>);

impl Observer for Waits {
    fn on_attempt(&self, attempt: &Attempt<'_>) {
        self.0
            .lock()
            .unwrap()
            .push((attempt.status, attempt.pacer_wait));
    }
}

impl Waits {
    fn all(&self) -> Vec<(Option<u16>, Duration)> {
        self.0.lock().unwrap().clone()
    }
}

fn client(server: &MockServer, policy: RetryPolicy, waits: &Arc<Waits>) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .basic_auth("test-key", "test-secret")
        // Fast enough that the pace adds nothing a test would see.
        .rate_limit(1_000.0)
        .daily_budget(10_000)
        .request_timeout(None)
        .connect_timeout(None)
        .retry_policy(policy)
        .observe(waits.clone())
        .build()
        .unwrap()
}

fn flows() -> gong_flows_api::types::FlowsResponse {
    answers::flows([answers::flow("42", "Renewals")])
}

/// A 429 with `then_429`'s headers, then (once the caller read it) a
/// success: how long the successful call waited, and the error.
async fn wait_after_429(
    then_429: impl FnOnce(
        gong_flows_httpmock::operations::ListFlowsThen,
    ) -> gong_flows_httpmock::operations::ListFlowsThen,
) -> (Error, Duration, usize) {
    let server = MockServer::start_async().await;
    let mut limited = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER);
        then_429(then).too_many_requests(&answers::error(&["API rate limit exceeded"]));
    });
    // No retries: the first call comes back with the 429, and the pacer
    // holds the next one as the header said.
    let waits = Arc::new(Waits::default());
    let client = client(&server, RetryPolicy::none(), &waits);
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert_eq!(limited.calls(), 1);
    limited.delete();
    let ok = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER);
        then.ok(&flows());
    });
    let page = client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    let waits = waits.all();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert_eq!(waits[0].0, Some(429));
    assert_eq!(waits[1].0, Some(200));
    (err, waits[1].1, ok.calls())
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_in_seconds_holds_the_next_call_that_long() {
    let (err, waited, hits) = wait_after_429(|then| then.retry_after(7)).await;
    match &err {
        Error::RateLimited { retry_after, .. } => {
            assert_eq!(*retry_after, Duration::from_secs(7));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(hits, 1);
    assert!(
        waited >= Duration::from_millis(6_900) && waited <= Duration::from_millis(7_100),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_as_an_http_date_holds_the_next_call_until_then() {
    // Whole seconds on the wall clock: between 19 and 20 s from now.
    let at = SystemTime::now() + Duration::from_secs(20);
    let (err, waited, hits) = wait_after_429(|then| then.retry_after_date(at)).await;
    let Error::RateLimited { retry_after, .. } = &err else {
        panic!("expected RateLimited, got {err:?}");
    };
    assert!(
        *retry_after > Duration::from_secs(17) && *retry_after <= Duration::from_secs(20),
        "{retry_after:?}"
    );
    assert_eq!(hits, 1);
    assert!(
        waited + Duration::from_millis(100) >= *retry_after
            && waited <= *retry_after + Duration::from_millis(10),
        "waited {waited:?} for {retry_after:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn one_call_retries_after_each_retry_after() {
    // Always 429: the call is tried as often as the policy allows, each
    // time after the header's two seconds.
    let server = MockServer::start_async().await;
    let limited = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER);
        then.retry_after(2)
            .too_many_requests(&answers::error(&["API rate limit exceeded"]));
    });
    let waits = Arc::new(Waits::default());
    let client = client(&server, RetryPolicy::default().with_max_attempts(3), &waits);
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(limited.calls(), 3);
    // Each retry waited the header's 2 s (not a backoff of its own).
    let waits = waits.all();
    assert_eq!(waits.len(), 3, "{waits:?}");
    for (status, waited) in &waits[1..] {
        assert_eq!(*status, Some(429));
        assert!(
            *waited >= Duration::from_secs(2) && *waited <= Duration::from_millis(2_050),
            "{waits:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn no_calls_remaining_holds_the_next_call_until_the_reset() {
    let server = MockServer::start_async().await;
    let mut spent = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER);
        then.rate_limit_limit(3)
            .rate_limit_remaining(0)
            .rate_limit_reset(5)
            .daily_rate_limit_remaining(40)
            .ok(&flows());
    });
    let waits = Arc::new(Waits::default());
    let client = client(&server, RetryPolicy::none(), &waits);
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(spent.calls(), 1);
    // What is left of the day is what the header said (less the call
    // counted since), not the budget's 10,000.
    let budget = client.pacer().budget_now().unwrap();
    assert!(budget.left <= 40, "{budget:?}");
    spent.delete();
    let ok = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER);
        then.ok(&flows());
    });
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(ok.calls(), 1);
    let waited = waits.all()[1].1;
    assert!(
        waited >= Duration::from_millis(4_900) && waited <= Duration::from_millis(5_100),
        "{waited:?}"
    );
}
