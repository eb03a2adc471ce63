//! A scripted HTTP server for tests that need answers in sequence (429 then
//! 200, 500 then 200) and a record of every request with its arrival time on
//! tokio's clock.

#![allow(dead_code)]

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::time::Instant;

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// How long the server holds the answer back.
    pub delay: Option<std::time::Duration>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
            delay: None,
        }
    }

    pub fn error(status: u16, request_id: &str, message: &str) -> Self {
        Self::json(
            status,
            serde_json::json!({"requestId": request_id, "errors": [message]}),
        )
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The same answer, held back for `delay`.
    pub fn delayed(mut self, delay: std::time::Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HashMap<String, String>,
    pub body: Value,
    pub at: Instant,
}

type Handler = Arc<dyn Fn(&Seen) -> Option<Reply> + Send + Sync>;

#[derive(Default)]
struct State {
    /// Answers per path, used in order; the last one repeats.
    queues: HashMap<String, VecDeque<Reply>>,
    handlers: Vec<Handler>,
    seen: Vec<Seen>,
}

/// The scripted server.
#[derive(Clone)]
pub struct ScriptServer {
    state: Arc<Mutex<State>>,
    pub url: String,
}

impl ScriptServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let server = Self { state, url };
        let handle = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let handle = handle.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let handle = handle.clone();
                        async move { Ok::<_, Infallible>(handle.answer(req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        server
    }

    /// Queues answers for a path (without query).
    pub fn script(&self, path: &str, replies: impl IntoIterator<Item = Reply>) {
        self.state
            .lock()
            .unwrap()
            .queues
            .entry(path.to_owned())
            .or_default()
            .extend(replies);
    }

    /// Adds a handler consulted before the queues.
    pub fn handle(&self, handler: impl Fn(&Seen) -> Option<Reply> + Send + Sync + 'static) {
        self.state.lock().unwrap().handlers.push(Arc::new(handler));
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Requests to one path.
    pub fn seen_at(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path == path).collect()
    }

    async fn answer(&self, req: Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
        let method = req.method().to_string();
        let path = req.uri().path().to_owned();
        let query = req.uri().query().map(str::to_owned);
        let headers = req
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect();
        let bytes = req.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let seen = Seen {
            method,
            path: path.clone(),
            query,
            headers,
            body,
            at: Instant::now(),
        };
        let reply = {
            let mut state = self.state.lock().unwrap();
            state.seen.push(seen.clone());
            let handled = state.handlers.iter().find_map(|h| h(&seen));
            handled.or_else(|| {
                let queue = state.queues.get_mut(&path)?;
                if queue.len() > 1 {
                    queue.pop_front()
                } else {
                    queue.front().cloned()
                }
            })
        };
        let reply = reply.unwrap_or_else(|| Reply::error(599, "unscripted", "no scripted answer"));
        if let Some(delay) = reply.delay {
            tokio::time::sleep(delay).await;
        }
        let mut response = Response::builder().status(reply.status);
        for (name, value) in &reply.headers {
            response = response.header(name, value);
        }
        response.body(Full::new(Bytes::from(reply.body))).unwrap()
    }
}

/// A client for a test server: Basic auth, unpaced, quick retries, no
/// timeouts (so that tokio's paused clock cannot fire them while a request
/// waits on real I/O).
pub fn client(url: &str) -> gong_flows::ClientBuilder {
    gong_flows::Client::builder()
        .base_url(url)
        .basic_auth("test-key", "test-secret")
        .unpaced()
        .request_timeout(None)
        .connect_timeout(None)
        .retry_policy(
            gong_flows::RetryPolicy::default()
                .with_base_delay(std::time::Duration::from_millis(10))
                .with_max_delay(std::time::Duration::from_millis(50)),
        )
}

/// Gong's answer to an assign: everything in `assigned` gets an instance in
/// `flow`, everything in `refused` is refused with `code`.
pub fn assign_answer(flow: &str, assigned: &[&str], refused: &[(&str, &str)]) -> Value {
    serde_json::json!({
        "requestId": format!("req-{}", assigned.len() + refused.len()),
        "prospectsAssigned": assigned.iter().map(|id| instance(flow, id)).collect::<Vec<_>>(),
        "prospectsNotAssigned": refused.iter().map(|(id, code)| serde_json::json!({
            "flowId": flow, "crmProspectId": id, "errorCode": code,
            "errorMessage": format!("{code} for {id}"),
        })).collect::<Vec<_>>(),
    })
}

/// A flow instance of `id` in `flow`.
/// An instance Gong created just now (as by the job under test).
pub fn instance_now(flow: &str, id: &str) -> Value {
    let mut instance = instance(flow, id);
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    instance["flowInstanceCreateDate"] = Value::String(now.to_rfc3339());
    instance
}

/// An instance Gong created long before the job under test.
pub fn instance(flow: &str, id: &str) -> Value {
    serde_json::json!({
        "flowId": flow, "flowName": "SDR Flow", "crmProspectId": id,
        "flowInstanceId": format!("inst-{id}"), "flowInstanceOwnerEmail": "owner@example.com",
        "flowInstanceOwnerFullName": "Owner", "flowInstanceCreateDate": "2026-06-01T10:00:00.123Z",
        "flowInstanceStatus": "Pending", "workspaceId": "1", "exclusive": false,
    })
}

/// The ids in an assign request body.
pub fn ids_of(body: &Value) -> Vec<String> {
    body["crmProspectsIds"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Answers look-ups (`getProspectsAssignedFlows`) before any other handler:
/// every CRM id and instance id for which `known` holds has an open
/// instance in `flow` (instance id `inst-<crm id>`, or the instance id
/// itself). Register it before the test's own handlers.
pub fn answer_lookups(
    server: &ScriptServer,
    flow: &'static str,
    known: impl Fn(&str) -> bool + Send + Sync + 'static,
) {
    server.handle(move |seen| {
        if seen.path != "/v2/flows/prospects" {
            return None;
        }
        let list = |key: &str| -> Vec<String> {
            serde_json::from_value(seen.body[key].clone()).unwrap_or_default()
        };
        let mut found: Vec<Value> = list("crmProspectsIds")
            .iter()
            .filter(|id| known(id))
            .map(|id| instance(flow, id))
            .collect();
        found.extend(
            list("flowInstanceIds")
                .iter()
                .filter(|id| known(id))
                .map(|id| {
                    let mut one = instance(flow, "p");
                    one["flowInstanceId"] = Value::String(id.clone());
                    one
                }),
        );
        Some(Reply::json(
            200,
            serde_json::json!({"requestId": "look", "prospectsAssigned": found}),
        ))
    });
}

/// The error and the partial report of a job that stopped: it must be a
/// [`JobError::Stopped`](gong_flows::JobError::Stopped), whose error is the
/// report's `stats.stopped`.
pub fn stopped<R: gong_flows::JobReport + gong_flows::Report>(
    result: Result<R, gong_flows::JobError<R>>,
) -> (Arc<gong_flows::Error>, R) {
    match result {
        Err(gong_flows::JobError::Stopped { error, report }) => {
            assert_eq!(
                report.stats().stopped.as_ref().map(|e| e.to_string()),
                Some(error.to_string()),
                "the stop is the report's"
            );
            (error, *report)
        }
        other => panic!("expected a stopped job, got {other:?}"),
    }
}
