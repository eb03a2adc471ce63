//! The span of every attempt carries OpenTelemetry's HTTP client fields (so
//! that an OpenTelemetry layer shows a proper client span), and never a
//! secret or the query. In a test binary of its own: tracing caches which
//! call sites are enabled, and a test without a subscriber running beside
//! it on another thread could have this one's call site cached as disabled.

mod common;

use common::{Reply, ScriptServer};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

const OWNER: &str = "owner@example.com";

fn empty_page(request_id: &str) -> serde_json::Value {
    json!({"requestId": request_id,
           "records": {"totalRecords": 0, "currentPageSize": 0, "currentPageNumber": 0},
           "flows": []})
}

/// Span fields as a subscriber sees them, by span id.
#[derive(Default, Clone)]
struct Spans(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S> tracing_subscriber::Layer<S> for Spans
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if attrs.metadata().name() != "gong_flows.call" {
            return;
        }
        let mut spans = self.0.lock().unwrap();
        let mut fields = BTreeMap::new();
        fields.insert("#id".to_owned(), id.into_u64().to_string());
        attrs.record(&mut Fields(&mut fields));
        spans.push(fields);
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut spans = self.0.lock().unwrap();
        let key = id.into_u64().to_string();
        if let Some(fields) = spans.iter_mut().rev().find(|f| f["#id"] == key) {
            values.record(&mut Fields(fields));
        }
    }
}

#[tokio::test]
async fn the_attempt_span_has_opentelemetry_http_client_fields_and_no_secret() {
    use tracing_subscriber::layer::SubscriberExt as _;

    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [
            Reply::error(429, "req-429", "Too many requests").header("retry-after", "0"),
            Reply::json(200, empty_page("req-200")),
        ],
    );
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let client = common::client(&server.url).build().unwrap();
    client
        .list_flows(OWNER)
        .workspace_id("ws-1")
        .send()
        .await
        .unwrap();
    let spans = spans.0.lock().unwrap().clone();
    assert_eq!(spans.len(), 2, "{spans:#?}");
    let port = server.url.rsplit(':').next().unwrap().to_owned();
    for span in &spans {
        assert_eq!(span["otel.kind"], "client");
        assert_eq!(span["otel.name"], "GET /v2/flows");
        assert_eq!(span["http.request.method"], "GET");
        assert_eq!(span["server.address"], "127.0.0.1");
        assert_eq!(span["server.port"], port);
        assert_eq!(span["url.full"], format!("{}/v2/flows", server.url));
        assert_eq!(span["gong.operation"], "listFlows");
        let all = format!("{span:?}");
        assert!(
            !all.contains("test-secret") && !all.contains("Basic "),
            "{all}"
        );
        assert!(
            !all.contains(OWNER),
            "no query (the owner's email) in {all}"
        );
    }
    let (first, second) = (&spans[0], &spans[1]);
    assert_eq!(first["http.response.status_code"], "429");
    assert_eq!(first["error.type"], "429");
    assert_eq!(first["otel.status_code"], "ERROR");
    assert_eq!(first["gong.request_id"], "req-429");
    assert!(!first.contains_key("http.request.resend_count"));
    assert_eq!(second["http.response.status_code"], "200");
    assert_eq!(second["http.request.resend_count"], "1");
    assert_eq!(second["gong.request_id"], "req-200");
    assert!(!second.contains_key("error.type"));
}
