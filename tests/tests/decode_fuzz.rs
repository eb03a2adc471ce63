//! Decode fuzz: whatever status and body a server answers with, every
//! ergonomic operation returns a value or a typed error. It never panics.

use gong_flows::{BulkProspect, Client, RetryPolicy};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

/// One canned answer, served to every request.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    retry_after: Option<String>,
    body: Vec<u8>,
}

/// A server that reads a request (headers and body by Content-Length) and
/// writes the canned answer, then closes.
async fn serve(answer: Arc<Mutex<Answer>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let answer = answer.lock().unwrap().clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    let Ok(n) = stream.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&request);
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let mut head = format!(
                    "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                    answer.status,
                    answer.body.len()
                );
                if let Some(retry_after) = &answer.retry_after {
                    head.push_str(&format!("retry-after: {retry_after}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&answer.body).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    url
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-zA-Z0-9 _-]{0,12}".prop_map(Value::String),
        Just(json!("null")),
        Just(json!("Running")),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        let keys = prop::sample::select(vec![
            "requestId",
            "records",
            "cursor",
            "flows",
            "flowsFolders",
            "prospectsAssigned",
            "prospectsNotAssigned",
            "crmProspectId",
            "flowId",
            "flowInstanceId",
            "errorCode",
            "flowInstanceStatus",
            "unassignedFlowInstanceIds",
            "steps",
            "action",
            "stepOrder",
            "status",
            "results",
            "id",
            "errors",
            "totalRecords",
            "visibility",
            "x",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..6).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

fn answer() -> impl Strategy<Value = Answer> {
    let status = prop_oneof![
        prop::sample::select(vec![
            200u16, 202, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504
        ]),
        100u16..600,
    ];
    let body = prop_oneof![
        json_value().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..64),
        Just(b"{\"requestId\": \"trunc".to_vec()),
        Just(Vec::new()),
    ];
    let retry_after = prop::option::of(prop_oneof![
        Just("0".to_owned()),
        Just("-5".to_owned()),
        Just("18446744073709551615".to_owned()),
        Just("999999999999999999999".to_owned()),
        Just("soon".to_owned()),
    ]);
    (status, retry_after, body).prop_map(|(status, retry_after, body)| Answer {
        status,
        retry_after,
        body,
    })
}

async fn every_operation(client: &Client) {
    // Each returns Ok or Err; a panic fails the test.
    let _ = client.list_flows("o@example.com").send().await;
    let _ = client.list_flows("o@example.com").collect_all().await;
    let _ = client.list_folders("o@example.com").collect_all().await;
    let _ = client
        .prospects_flows()
        .crm_prospect_ids(["a"])
        .flow_instance_ids(["i"])
        .send()
        .await;
    let _ = client
        .assign("1", "o@example.com")
        .prospects(["a", "b"])
        .send()
        .await;
    let _ = client.unassign_prospect("a").send().await;
    let _ = client.unassign_prospects(["a", "b"]).send().await;
    let _ = client.unassign_instances(["i1", "i2", "i3"]).send().await;
    let _ = client.flow_steps(["1", "2"]).send().await;
    let _ = client
        .bulk_assign("1", "o@example.com")
        .prospects([BulkProspect::crm_id("a")])
        .poll_policy(gong_flows::PollPolicy {
            first_interval: std::time::Duration::from_millis(1),
            max_interval: std::time::Duration::from_millis(1),
            limit: std::time::Duration::from_millis(20),
        })
        .send()
        .await;
    let _ = client.bulk_assignment("job").send().await;
}

/// Runs every operation against one canned answer. A hang fails loudly
/// (after two minutes, far beyond any real need) instead of stalling CI.
fn check(answer: Answer) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let shown = format!("{answer:?}");
        let shared = Arc::new(Mutex::new(answer));
        let url = serve(shared).await;
        let client = Client::builder()
            .base_url(url)
            .basic_auth("k", "s")
            .unpaced()
            .retry_policy(RetryPolicy::none().with_max_retry_after(std::time::Duration::ZERO))
            .request_timeout(std::time::Duration::from_secs(10))
            .build()
            .unwrap();
        let guard = std::time::Duration::from_secs(120);
        if tokio::time::timeout(guard, every_operation(&client))
            .await
            .is_err()
        {
            panic!("the operations hung on {shown}");
        }
    });
}

#[test]
fn an_absurd_retry_after_neither_panics_nor_stalls_later_calls() {
    for status in [429, 503] {
        check(Answer {
            status,
            retry_after: Some("18446744073709551615".to_owned()),
            body: br#"{"requestId":"r","errors":["slow down"]}"#.to_vec(),
        });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_answer_is_a_value_or_a_typed_error(answer in answer()) {
        check(answer);
    }
}
