//! A caller's own `reqwest::Client` (`ClientBuilder::http_client`): its
//! settings apply (default headers, timeout), the SDK's promises hold on it
//! (its `User-Agent`, credentials never following a redirect to another
//! port), and builder settings it would silently drop are refused.

mod common;

use common::{Reply, ScriptServer};
use gong_flows::{Client, Error, RetryPolicy, reqwest};
use gong_flows_httpmock::MockServerExt as _;
use httpmock::MockServer;
use serde_json::json;
use std::time::Duration;

const OWNER: &str = "owner@example.com";

fn empty_page() -> serde_json::Value {
    json!({"requestId": "req-1",
           "records": {"totalRecords": 0, "currentPageSize": 0, "currentPageNumber": 0},
           "flows": []})
}

fn builder(url: &str, http: reqwest::Client) -> gong_flows::ClientBuilder {
    Client::builder()
        .base_url(url)
        .basic_auth("test-key", "test-secret")
        .unpaced()
        .retry_policy(RetryPolicy::default().with_max_attempts(1))
        .http_client(http)
}

#[tokio::test]
async fn the_callers_default_headers_reach_the_server_beside_the_sdks_credentials_and_agent() {
    let server = MockServer::start_async().await;
    let mock = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER)
            .into_inner()
            .header("x-tenant", "acme")
            .header("authorization", "Basic dGVzdC1rZXk6dGVzdC1zZWNyZXQ=")
            .header_matches("user-agent", "^gong-flows/[0-9.]+ acme-sync/2$");
        then.into_inner().status(200).json_body(empty_page());
    });
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-tenant", "acme".parse().unwrap());
    // The caller's own agent and credentials give way to the SDK's.
    defaults.insert("user-agent", "someone-else/1".parse().unwrap());
    defaults.insert("authorization", "Bearer not-these".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let client = builder(&server.base_url(), http)
        .user_agent_suffix("acme-sync/2")
        .build()
        .unwrap();
    client.list_flows(OWNER).send().await.unwrap();
    mock.assert();
}

#[tokio::test(start_paused = true)]
async fn the_callers_timeout_applies() {
    // A server that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let _held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(7))
        .build()
        .unwrap();
    let client = builder(&url, http).build().unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

#[test]
fn builder_timeouts_that_cannot_reach_the_callers_client_are_refused() {
    for (builder, setting) in [
        (
            builder("https://x.api.gong.io", reqwest::Client::new())
                .request_timeout(Duration::from_secs(5)),
            "request_timeout",
        ),
        (
            builder("https://x.api.gong.io", reqwest::Client::new()).connect_timeout(None),
            "connect_timeout",
        ),
    ] {
        let err = builder.build().unwrap_err();
        assert!(
            matches!(&err, Error::Config { setting: s, .. } if s == setting),
            "{err:?}"
        );
    }
    // The cleartext check holds on the caller's client too.
    let err = builder("http://api.gong.io", reqwest::Client::new())
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
}

/// Server A redirects every call to server B, on another port.
async fn redirecting_pair() -> (ScriptServer, ScriptServer) {
    let b = ScriptServer::start().await;
    b.script("/v2/flows", [Reply::json(200, empty_page())]);
    let a = ScriptServer::start().await;
    a.script(
        "/v2/flows",
        [Reply::json(307, json!({})).header("location", &format!("{}/v2/flows", b.url))],
    );
    (a, b)
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_port() {
    // The SDK's own client follows no redirect to another origin at all.
    let (a, b) = redirecting_pair().await;
    let client = common::client(&a.url).build().unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert_eq!(err.status(), Some(307), "{err:?}");
    assert_eq!(a.seen().len(), 1);
    assert!(b.seen().is_empty(), "nothing reached the other port");

    // A caller's client with reqwest's default policy follows it, and
    // reqwest drops the credentials on the way.
    let (a, b) = redirecting_pair().await;
    let client = builder(&a.url, reqwest::Client::new()).build().unwrap();
    client.list_flows(OWNER).send().await.unwrap();
    let at_a = a.seen();
    assert_eq!(at_a.len(), 1);
    assert!(
        at_a[0].headers.contains_key("authorization"),
        "A was meant to have them"
    );
    let at_b = b.seen();
    assert_eq!(at_b.len(), 1, "the redirect was followed");
    assert!(
        !at_b[0].headers.contains_key("authorization"),
        "{:?}",
        at_b[0].headers
    );
}
