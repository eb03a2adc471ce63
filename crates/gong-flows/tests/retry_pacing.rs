//! Retry and pacing, on tokio's paused clock: no assertion depends on how
//! fast the machine is.

mod common;

use common::{Reply, ScriptServer, assign_answer, client};
use gong_flows::{BulkProspect, Error, PollPolicy, RetryPolicy};
use serde_json::json;
use std::time::{Duration, SystemTime};

const FLOW: &str = "1695493301223590792";
const OWNER: &str = "owner@example.com";

fn flows_page() -> Reply {
    Reply::json(
        200,
        json!({"requestId": "ok", "records": {"totalRecords": 1, "currentPageSize": 1, "currentPageNumber": 0},
               "flows": [{"id": "1", "name": "A", "visibility": "Company"}]}),
    )
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_out_retry_after_then_succeeds() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [
            Reply::error(429, "req-429", "API request limit exceeded").header("Retry-After", "2"),
            Reply::json(200, assign_answer(FLOW, &["a"], &[])),
        ],
    );
    let client = client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["a"])
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].at - seen[0].at >= Duration::from_secs(2));
    assert_eq!(report.stats.requests, 2);
}

#[tokio::test(start_paused = true)]
async fn a_429_pauses_other_callers_too() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [Reply::error(429, "req-429", "API request limit exceeded").header("Retry-After", "3")],
    );
    server.script(
        "/v2/flows/steps",
        [Reply::json(
            200,
            json!({"requestId": "s", "flows": [{"id": "1", "steps": []}]}),
        )],
    );
    let client = client(&server.url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let other = client.clone();
    // One caller gets the 429 (and gives up: one attempt)...
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after, .. } if retry_after == Duration::from_secs(3))
    );
    // ...and a clone that never saw it still waits it out.
    let report = other.flow_steps(["1"]).send().await.unwrap();
    assert_eq!(report.flows.len(), 1);
    let limited = &server.seen_at("/v2/flows")[0];
    let next = &server.seen_at("/v2/flows/steps")[0];
    assert!(next.at - limited.at >= Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_cap_fails_fast_with_the_wait() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [Reply::error(429, "req-day", "Daily limit").header("Retry-After", "3600")],
    );
    let client = client(&server.url)
        .retry_policy(RetryPolicy::default().with_max_retry_after(Duration::from_secs(60)))
        .build()
        .unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    match err {
        Error::RateLimited {
            retry_after, api, ..
        } => {
            assert_eq!(retry_after, Duration::from_secs(3600));
            assert_eq!(api.request_id.as_deref(), Some("req-day"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_503_with_retry_after_is_honoured() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [
            Reply::error(503, "req-503", "Unavailable").header("Retry-After", "5"),
            flows_page(),
        ],
    );
    let client = client(&server.url).build().unwrap();
    client.list_flows(OWNER).send().await.unwrap();
    let seen = server.seen();
    assert!(seen[1].at - seen[0].at >= Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn a_500_then_200_is_retried_for_reads() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [
            Reply::error(500, "req-500", "An error has occurred"),
            flows_page(),
        ],
    );
    let client = client(&server.url).build().unwrap();
    let page = client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_persistent_500_gives_up_after_max_attempts() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [Reply::error(500, "req-500", "An error has occurred")],
    );
    let client = client(&server.url)
        .retry_policy(RetryPolicy::default().with_max_attempts(3))
        .build()
        .unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::Server(_)));
    assert!(err.is_retryable());
    assert!(err.may_have_been_sent());
    assert_eq!(err.request_id(), Some("req-500"));
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_400_is_not_retried() {
    let server = ScriptServer::start().await;
    server.script("/v2/flows", [Reply::error(400, "req-400", "Malformed")]);
    let client = client(&server.url).build().unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::BadRequest(_)));
    assert!(!err.is_retryable());
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn bulk_submit_is_not_retried_after_a_500() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/bulk-assignments",
        [Reply::error(500, "req-500", "An error has occurred")],
    );
    let client = client(&server.url).build().unwrap();
    let (_, report) = common::stopped(
        client
            .bulk_assign(FLOW, OWNER)
            .prospects([
                BulkProspect::crm_id("a"),
                BulkProspect::new("Mike", "Smith"),
            ])
            .send()
            .await,
    );
    assert_eq!(server.seen().len(), 1, "a repeat could start a second job");
    assert_eq!(report.not_attempted.len(), 2);
    assert!(report.not_attempted[0].error.may_have_been_sent());
}

#[tokio::test(start_paused = true)]
async fn bulk_submit_is_retried_after_a_429_and_polled_to_completion() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/bulk-assignments",
        [
            Reply::error(429, "req-429", "limit").header("Retry-After", "1"),
            Reply::json(
                202,
                json!({"requestId": "sub", "id": "job-1", "status": "PENDING", "totalCount": 2}),
            ),
        ],
    );
    server.script(
        "/v2/flows/prospects/bulk-assignments/job-1",
        [
            Reply::json(200, json!({"requestId": "p1", "id": "job-1", "status": "IN_PROGRESS"})),
            Reply::json(200, json!({"requestId": "p2", "id": "job-1", "status": "COMPLETED", "totalCount": 2,
                "processedCount": 2, "successCount": 1, "failedCount": 1, "results": [
                    {"prospect": {"crmId": "a"}, "status": "ASSIGNED", "crmId": "a", "flowInstanceId": "i-a"},
                    {"prospect": {"firstName": "Mike", "lastName": "Smith"}, "status": "FLOW_ASSIGNMENT_FAILED",
                     "errorCode": "REQUEST_LIMIT_EXCEEDED", "errorMessage": "Daily rate of 10K exceeded"},
                ]})),
        ],
    );
    let client = client(&server.url).build().unwrap();
    let report = client
        .bulk_assign(FLOW, OWNER)
        .prospects([
            BulkProspect::crm_id("a"),
            BulkProspect::new("Mike", "Smith"),
        ])
        .poll_policy(PollPolicy {
            first_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(1),
            limit: Duration::from_secs(60),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.seen_at("/v2/flows/prospects/bulk-assignments").len(),
        2
    );
    assert_eq!(report.assigned.len(), 1);
    assert_eq!(report.assigned[0].flow_instance_id.as_deref(), Some("i-a"));
    assert_eq!(report.not_assigned.len(), 1);
    assert_eq!(
        report.not_assigned[0].error_code.as_deref(),
        Some("REQUEST_LIMIT_EXCEEDED")
    );
    assert!(report.is_complete());
    assert_eq!(report.jobs.len(), 1);
    assert_eq!(report.stats.requests, 4);
    let body = &server.seen()[0].body;
    assert_eq!(
        body,
        &json!({"flowId": FLOW, "flowInstanceOwnerEmail": OWNER, "prospects": [
            {"crmId": "a"}, {"firstName": "Mike", "lastName": "Smith"}]})
    );
}

#[tokio::test(start_paused = true)]
async fn pacing_spaces_calls_at_the_configured_rate() {
    let server = ScriptServer::start().await;
    server.handle(|seen| {
        let ids = common::ids_of(&seen.body);
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        Some(Reply::json(200, assign_answer(FLOW, &refs, &[])))
    });
    let client = client(&server.url)
        .rate_limit(2.0)
        .concurrency(4)
        .build()
        .unwrap();
    let ids: Vec<String> = (0..10).map(|i| format!("p{i}")).collect();
    client
        .assign(FLOW, OWNER)
        .prospects(&ids)
        .chunk_size(2)
        .send()
        .await
        .unwrap();
    let mut times: Vec<_> = server.seen().iter().map(|s| s.at).collect();
    times.sort();
    assert_eq!(times.len(), 5);
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(500),
            "{:?}",
            pair[1] - pair[0]
        );
    }
}

#[tokio::test(start_paused = true)]
async fn daily_budget_fails_fast_without_calling() {
    let server = ScriptServer::start().await;
    server.script("/v2/flows", [flows_page()]);
    let client = client(&server.url).daily_budget(2).build().unwrap();
    client.list_flows(OWNER).send().await.unwrap();
    client.list_flows(OWNER).send().await.unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::DailyBudgetExhausted { limit: 2, .. }));
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn connection_refused_is_a_connection_error_that_was_not_sent() {
    // Bind then drop a listener: nothing answers on that port.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = client(&format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Connection {
                may_have_been_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    // It names the host it tried, never the URL's path.
    let text = err.to_string();
    assert!(
        text.ends_with(&format!(" (host 127.0.0.1:{port})")),
        "{text}"
    );
    assert!(!text.contains("/v2/"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn a_pause_beyond_the_cap_fails_other_calls_at_once() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [
            Reply::error(429, "req-day", "Daily limit")
                .header("Retry-After", "18446744073709551615"),
        ],
    );
    let client = client(&server.url).build().unwrap();
    let other = client.clone();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }));
    // The clone does not sleep through the pause: it is told how long it is.
    let started = tokio::time::Instant::now();
    let report = other.flow_steps(["1"]).send().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(report.not_attempted.len(), 1);
    match &*report.not_attempted[0].error {
        Error::RateLimited { retry_after, .. } => {
            assert!(*retry_after > Duration::from_secs(3600));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 1, "nothing more was sent");
}

#[tokio::test(start_paused = true)]
async fn a_long_retry_after_says_when_it_ends_and_is_not_retried_at_once() {
    // Before: every later job failed at once with is_retryable() true, so
    // a retry loop spun for the whole 20 hours.
    let server = ScriptServer::start().await;
    let twenty_hours = Duration::from_secs(20 * 3600);
    server.script(
        "/v2/flows",
        [
            Reply::error(429, "req-day", "Daily limit").header("Retry-After", "72000"),
            flows_page(),
        ],
    );
    let client = client(&server.url).build().unwrap();
    let before = SystemTime::now();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    let Error::RateLimited {
        retry_after,
        until: Some(until),
        ..
    } = err
    else {
        panic!("expected RateLimited with an end, got {err:?}");
    };
    assert_eq!(retry_after, twenty_hours);
    assert!(until >= before + twenty_hours && until <= SystemTime::now() + twenty_hours);
    assert!(!err.is_retryable());
    assert_eq!(err.retry_at(), Some(until));
    // A naive retry loop stops at once; every later call of the client
    // says when the pause ends.
    let mut tries = 0;
    let err = loop {
        tries += 1;
        match client.clone().list_flows(OWNER).send().await {
            Err(err) if err.is_retryable() && tries < 100 => continue,
            Err(err) => break err,
            Ok(_) => panic!("nothing may be sent before the pause ends"),
        }
    };
    assert_eq!(tries, 1);
    match &err {
        Error::RateLimited {
            until: Some(later),
            api,
            ..
        } => {
            let off = later.duration_since(until).unwrap_or_else(|e| e.duration());
            assert!(off < Duration::from_secs(5), "{off:?}");
            assert_eq!(api.operation, "listFlows");
            assert_eq!(api.errors, ["waiting out an earlier Retry-After"]);
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 1, "nothing more was sent");
    // Sleeping until then is enough.
    tokio::time::sleep(retry_after).await;
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_429_within_the_policy_stays_retryable() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [Reply::error(429, "req-429", "limit").header("Retry-After", "1")],
    );
    let client = client(&server.url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { until: None, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(err.retry_at(), None);
}
