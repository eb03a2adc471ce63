//! Odd answers are classified by their status first: a 429 or 5xx whose
//! body is not Gong's error shape is still a rate limit or a server error,
//! with its `Retry-After` (in seconds or as an HTTP date).

mod common;

use common::{Reply, ScriptServer, assign_answer};
use gong_flows::{BulkProspect, Error, PollPolicy};
use serde_json::json;
use std::time::{Duration, SystemTime};

const FLOW: &str = "1695493301223590792";
const OWNER: &str = "owner@example.com";

fn odd(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_owned(),
        delay: None,
    }
}

#[tokio::test(start_paused = true)]
async fn a_429_with_an_odd_body_is_a_rate_limit_with_its_retry_after() {
    for body in [
        r#"{"requestId":"odd-1","errors":null}"#,
        r#"{"requestId":"odd-1","errors":"too many"}"#,
        "<html><body>Too Many Requests</body></html>",
        "",
        "[1, 2]",
    ] {
        let server = ScriptServer::start().await;
        server.script(
            "/v2/flows/prospects/assign",
            [
                odd(429, body).header("Retry-After", "3"),
                Reply::json(200, assign_answer(FLOW, &["a"], &[])),
            ],
        );
        let client = common::client(&server.url).build().unwrap();
        let report = client
            .assign(FLOW, OWNER)
            .prospects(["a"])
            .send()
            .await
            .unwrap();
        assert_eq!(report.assigned.len(), 1, "{body}: {report:?}");
        let seen = server.seen();
        assert_eq!(seen.len(), 2, "{body}");
        assert!(
            seen[1].at - seen[0].at >= Duration::from_secs(3),
            "{body}: the Retry-After was honoured"
        );
        assert!(
            !report.assigned[0].reconciled,
            "{body}: a 429 is not ambiguous"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn an_odd_error_body_keeps_its_status_and_request_id() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [odd(401, r#"{"requestId":"odd-401","errors":null}"#)],
    );
    let client = common::client(&server.url).build().unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    assert_eq!(err.request_id(), Some("odd-401"));
    assert_eq!(err.status(), Some(401));

    let server = ScriptServer::start().await;
    server.script("/v2/flows", [odd(502, "<html>Bad Gateway</html>")]);
    let client = common::client(&server.url).build().unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert!(err.to_string().contains("Bad Gateway"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_bulk_submit_answered_429_with_an_odd_body_is_retried() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/bulk-assignments",
        [
            odd(429, r#"{"errors":null}"#).header("Retry-After", "1"),
            Reply::json(
                202,
                json!({"requestId": "sub", "id": "job-1", "status": "COMPLETED", "totalCount": 1,
                    "results": [{"prospect": {"crmId": "a"}, "status": "ASSIGNED", "crmId": "a"}]}),
            ),
        ],
    );
    let client = common::client(&server.url).build().unwrap();
    let report = client
        .bulk_assign(FLOW, OWNER)
        .poll_policy(PollPolicy::default())
        .prospects([BulkProspect::crm_id("a")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.seen_at("/v2/flows/prospects/bulk-assignments").len(),
        2,
        "a 429 surely was not processed: submitted again"
    );
    assert_eq!(report.assigned.len(), 1, "{report:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = ScriptServer::start().await;
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(5));
    server.script(
        "/v2/flows/prospects/assign",
        [
            Reply::error(429, "req-429", "limit").header("Retry-After", &at),
            Reply::json(200, assign_answer(FLOW, &["a"], &[])),
        ],
    );
    let client = common::client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["a"])
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 1);
    let seen = server.seen();
    // Whole seconds in the date, less the time taken to get here.
    assert!(
        seen[1].at - seen[0].at >= Duration::from_secs(3),
        "waited {:?} for {at}",
        seen[1].at - seen[0].at
    );

    // A date in the past means now; a date beyond the cap fails at once.
    let server = ScriptServer::start().await;
    let far = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::error(429, "req-429", "limit").header("Retry-After", &far)],
    );
    let client = common::client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["a"])
        .send()
        .await
        .unwrap_err();
    let err = report.into_error();
    match err {
        Error::RateLimited { retry_after, .. } => {
            assert!(retry_after > Duration::from_secs(3500), "{retry_after:?}")
        }
        other => panic!("{other:?}"),
    }
}
