//! Credentials on the wire, token refresh, and secrets kept out of sight.

mod common;

use common::{Reply, ScriptServer};
use gong_flows::{Client, Credentials, Error, Secret, TokenFuture, TokenProvider};
use gong_flows_httpmock::MockServerExt as _;
use httpmock::MockServer;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const OWNER: &str = "owner@example.com";

fn empty_page() -> serde_json::Value {
    json!({"requestId": "1aztwuefb9b8sktif0k",
           "records": {"totalRecords": 0, "currentPageSize": 0, "currentPageNumber": 0},
           "flows": []})
}

#[tokio::test]
async fn basic_header_is_byte_exact() {
    let server = MockServer::start_async().await;
    let mock = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER)
            .into_inner()
            .header("authorization", "Basic dGVzdC1rZXk6dGVzdC1zZWNyZXQ=")
            .header_matches("user-agent", "^gong-flows/[0-9]+\\.[0-9]+\\.[0-9]+");
        then.into_inner().status(200).json_body(empty_page());
    });
    let client = common::client(&server.base_url()).build().unwrap();
    let page = client.list_flows(OWNER).send().await.unwrap();
    mock.assert();
    assert!(page.items.is_empty());
    assert_eq!(page.next_cursor, None);
    assert_eq!(page.request_id.as_deref(), Some("1aztwuefb9b8sktif0k"));
}

#[tokio::test]
async fn bearer_token_is_sent() {
    let server = MockServer::start_async().await;
    let mock = server.list_flows(|when, then| {
        when.into_inner().header("authorization", "Bearer tok-123");
        then.into_inner().status(200).json_body(empty_page());
    });
    let client = common::client(&server.base_url())
        .bearer_token("tok-123")
        .build()
        .unwrap();
    client.list_flows(OWNER).send().await.unwrap();
    mock.assert();
}

#[derive(Debug, Default)]
struct Rotating {
    refreshes: AtomicUsize,
    tokens: AtomicUsize,
}

impl TokenProvider for Rotating {
    fn token(&self) -> TokenFuture<'_> {
        self.tokens.fetch_add(1, Ordering::SeqCst);
        let n = self.refreshes.load(Ordering::SeqCst);
        Box::pin(async move { Ok(Secret::new(format!("token-{n}"))) })
    }

    fn refresh(&self) -> TokenFuture<'_> {
        let n = self.refreshes.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move { Ok(Secret::new(format!("token-{n}"))) })
    }
}

#[tokio::test]
async fn token_provider_is_asked_per_request_and_refreshed_once_on_401() {
    let server = ScriptServer::start().await;
    server.handle(|seen| {
        Some(
            match seen.headers.get("authorization").map(String::as_str) {
                Some("Bearer token-1") => Reply::json(200, empty_page()),
                _ => Reply::error(401, "req-401", "Unauthorized"),
            },
        )
    });
    let provider = Arc::new(Rotating::default());
    let client = common::client(&server.url)
        .token_provider(provider.clone())
        .build()
        .unwrap();
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(provider.refreshes.load(Ordering::SeqCst), 1);
    let auths: Vec<String> = server
        .seen()
        .iter()
        .map(|s| s.headers["authorization"].clone())
        .collect();
    assert_eq!(auths, ["Bearer token-0", "Bearer token-1"]);
    // The next call asks for the current token again.
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(provider.tokens.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_401_after_refresh_is_final() {
    let server = ScriptServer::start().await;
    server.script("/v2/flows", [Reply::error(401, "req-401", "Unauthorized")]);
    let provider = Arc::new(Rotating::default());
    let client = common::client(&server.url)
        .token_provider(provider.clone())
        .build()
        .unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));
    assert_eq!(server.seen().len(), 2);
    assert_eq!(provider.refreshes.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn cleartext_http_to_a_remote_host_is_refused() {
    let err = Client::builder()
        .base_url("http://us-55616.api.gong.io")
        .basic_auth("k", "s")
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config { ref setting, .. } if setting == "base_url"),
        "{err:?}"
    );
    assert!(
        Client::builder()
            .base_url("http://us-55616.api.gong.io")
            .basic_auth("k", "s")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    let err = Client::builder().basic_auth("k", "s").build().unwrap_err();
    assert!(matches!(err, Error::Config { ref setting, .. } if setting == "base_url"));
    let err = Client::builder()
        .base_url("https://x.api.gong.io")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { ref setting, .. } if setting == "credentials"));
}

#[tokio::test]
async fn redirects_to_another_host_are_not_followed() {
    let other = ScriptServer::start().await;
    other.script("/v2/flows", [Reply::json(200, empty_page())]);
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [Reply::json(302, json!({})).header("location", &format!("{}/v2/flows", other.url))],
    );
    let client = common::client(&server.url).build().unwrap();
    let result = client.list_flows(OWNER).send().await;
    assert!(result.is_err());
    assert!(
        other.seen().is_empty(),
        "credentials must not reach another host"
    );
}

#[tracing_test::traced_test]
#[tokio::test]
async fn secrets_never_appear_in_debug_errors_or_logs() {
    let server = ScriptServer::start().await;
    server.script("/v2/flows", [Reply::error(401, "req-401", "Unauthorized")]);
    let client = Client::builder()
        .base_url(&server.url)
        .basic_auth("KEY-visible", "SECRET-hidden")
        .unpaced()
        .build()
        .unwrap();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    let encoded = "S0VZLXZpc2libGU6U0VDUkVULWhpZGRlbg=="; // base64 of key:secret
    for text in [
        format!("{client:?}"),
        format!("{err:?}"),
        err.to_string(),
        format!("{:?}", Credentials::basic("KEY-visible", "SECRET-hidden")),
        format!("{:?}", Credentials::bearer("TOKEN-hidden")),
    ] {
        assert!(!text.contains("SECRET-hidden"), "{text}");
        assert!(!text.contains("TOKEN-hidden"), "{text}");
        assert!(!text.contains(encoded), "{text}");
    }
    assert!(logs_contain("gong_flows.call"), "calls are traced");
    assert!(!logs_contain("SECRET-hidden"));
    assert!(!logs_contain(encoded));
}
