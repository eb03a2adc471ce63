//! The HTTP side: a hyper HTTP/1.1 server whose service runs every request
//! through auth, the rate limiter, fault injection and latency before the
//! operation itself.
//!
//! hyper is used directly (not a router framework) because a connection
//! reset must close the connection without any answer: a `service_fn`
//! returning `Err` makes hyper drop the connection.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use gong_flows_api::types::ErrorResponse;
use http::header::{
    AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER,
};
use http::{Request, Response, StatusCode};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rand::rngs::SmallRng;
use rand::{Rng as _, SeedableRng as _};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::clock::SimClock;
use crate::config::{Latency, SimCredentials};
use crate::counters::{CounterState, Outcome};
use crate::endpoint::{Endpoint, Route, route};
use crate::faults::{Fault, FaultState};
use crate::limiter::{Quota, RateLimiter};
use crate::state::World;
use crate::util::{RequestIds, lock, splitmix64};

/// Gong's content type on 200 answers (recorded).
const CONTENT_TYPE_OK: &str = "application/json;charset=UTF-8";
/// Gong's content type on error answers (recorded).
const CONTENT_TYPE_ERROR: &str = "application/json; charset=utf-8";
/// Gong echoes the request id in this header (mostly: recorded traffic has
/// one answer where the two differ).
const TRACE_HEADER: &str = "x-traceid";
/// The rate-limit headers (with [`SimConfig::rate_limit_headers`](crate::SimConfig::rate_limit_headers)):
/// calls per rate window, calls left in it, and whole seconds until it frees
/// a call; then the same for the day.
const LIMIT_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-reset");
const DAILY_LIMIT_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-daily-limit");
const DAILY_REMAINING_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-daily-remaining");
const DAILY_RESET_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-daily-reset");
/// How long shutdown waits for in-flight requests before cutting them off.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// A complete, in-memory response body.
#[derive(Debug, Default)]
pub(crate) struct SimBody(Option<Bytes>);

impl SimBody {
    fn new(bytes: Bytes) -> Self {
        if bytes.is_empty() {
            SimBody(None)
        } else {
            SimBody(Some(bytes))
        }
    }
}

impl Body for SimBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.take().map(|bytes| Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.as_ref().map_or(0, |b| b.len() as u64))
    }
}

/// Returned by the service to make hyper close the connection unanswered.
#[derive(Debug, thiserror::Error)]
#[error("connection closed without an answer")]
pub(crate) struct CloseConnection;

/// An answer before headers are added.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
    pub(crate) retry_after: Option<u64>,
    pub(crate) allow: Option<&'static str>,
}

impl Reply {
    pub(crate) fn json(status: StatusCode, body: Vec<u8>) -> Self {
        Self {
            status,
            body: Bytes::from(body),
            retry_after: None,
            allow: None,
        }
    }

    /// Gong's `ErrorResponse {requestId, errors: [message]}`.
    pub(crate) fn error(status: StatusCode, request_id: &str, message: impl Into<String>) -> Self {
        let body = ErrorResponse {
            request_id: Some(request_id.to_owned()),
            errors: vec![message.into()],
        };
        Self::json(status, serde_json::to_vec(&body).unwrap_or_default())
    }

    fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The response, with `trace_id` in `x-traceid` and, if given, what the
    /// limits leave in the rate-limit headers.
    fn into_response(self, trace_id: &str, quota: Option<Quota>) -> Response<SimBody> {
        let content_type = if self.status.is_success() {
            CONTENT_TYPE_OK
        } else {
            CONTENT_TYPE_ERROR
        };
        let mut response = Response::new(SimBody::new(self.body));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Ok(value) = HeaderValue::from_str(trace_id) {
            headers.insert(TRACE_HEADER, value);
        }
        if let Some(quota) = quota {
            // A limit that is off has no headers.
            if let Some(limit) = quota.limit {
                headers.insert(LIMIT_HEADER, HeaderValue::from(limit));
                headers.insert(REMAINING_HEADER, HeaderValue::from(quota.remaining));
                headers.insert(RESET_HEADER, HeaderValue::from(quota.reset));
            }
            if let Some(limit) = quota.daily_limit {
                headers.insert(DAILY_LIMIT_HEADER, HeaderValue::from(limit));
                headers.insert(
                    DAILY_REMAINING_HEADER,
                    HeaderValue::from(quota.daily_remaining),
                );
                headers.insert(DAILY_RESET_HEADER, HeaderValue::from(quota.daily_reset));
            }
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(allow) = self.allow {
            headers.insert(http::header::ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}

/// Latency and its generator.
#[derive(Debug)]
pub(crate) struct LatencyState {
    pub(crate) latency: Latency,
    rng: SmallRng,
}

impl LatencyState {
    pub(crate) fn new(latency: Latency, seed: u64) -> Self {
        Self {
            latency,
            rng: SmallRng::seed_from_u64(splitmix64(seed ^ 0x006c_6174_656e_6379)),
        }
    }

    fn draw(&mut self) -> Duration {
        match self.latency {
            Latency::None => Duration::ZERO,
            Latency::Fixed(d) => d,
            Latency::Uniform { min, max } => {
                let (lo, hi) = (min.as_nanos() as u64, max.as_nanos() as u64);
                Duration::from_nanos(self.rng.random_range(lo..=hi))
            }
        }
    }
}

/// Another integration of the same company: a call every `1/rate`
/// seconds, each as soon as the rate window has room for it and then the
/// next `1/rate` after it, until the simulator shuts down.
pub(crate) async fn foreign_traffic(shared: &Shared, rate: f64) {
    let interval = Duration::from_secs_f64(1.0 / rate);
    let calls = async {
        let mut next = tokio::time::Instant::now();
        loop {
            tokio::time::sleep_until(next).await;
            loop {
                let now = shared.clock.now();
                let admitted = lock(&shared.limiter).admit_foreign(now);
                match admitted {
                    Ok(()) => break,
                    Err(wait) => tokio::time::sleep(wait).await,
                }
            }
            // Paced like a careful client (a burst of one): the next call
            // comes an interval after this one went, never catching up.
            next = tokio::time::Instant::now() + interval;
        }
    };
    tokio::select! {
        () = calls => {}
        () = shared.shutting_down() => {}
    }
}

/// Everything the request handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) page_size: usize,
    pub(crate) folders_shape: crate::FoldersShape,
    pub(crate) assign_limit: usize,
    pub(crate) bulk_stage: Duration,
    pub(crate) max_body_bytes: usize,
    pub(crate) credentials: SimCredentials,
    pub(crate) world: Mutex<World>,
    pub(crate) limiter: Mutex<RateLimiter>,
    /// `Retry-After` of 429s to answer the next calls with.
    pub(crate) scripted_429s: Mutex<std::collections::VecDeque<u32>>,
    pub(crate) faults: Mutex<FaultState>,
    pub(crate) latency: Mutex<LatencyState>,
    pub(crate) counters: Mutex<CounterState>,
    pub(crate) clock: SimClock,
    /// Whether answers carry the rate-limit headers.
    pub(crate) rate_limit_headers: AtomicBool,
    pub(crate) request_ids: RequestIds,
    /// Whether `x-traceid` differs from `requestId`, and where it then
    /// comes from.
    pub(crate) distinct_trace_ids: AtomicBool,
    pub(crate) trace_ids: RequestIds,
    pub(crate) shutdown: watch::Receiver<bool>,
    /// The OAuth token endpoint and the access tokens it issued.
    pub(crate) oauth: Mutex<crate::oauth::OAuthState>,
}

impl Shared {
    /// Resolves when the simulator is shutting down.
    pub(crate) async fn shutting_down(&self) {
        let mut receiver = self.shutdown.clone();
        // An error means the handle is gone: shut down as well.
        let _ = receiver.wait_for(|stop| *stop).await;
    }

    /// Sleeps, or returns `false` early if the simulator shuts down.
    async fn sleep(&self, duration: Duration) -> bool {
        if duration.is_zero() {
            return true;
        }
        tokio::select! {
            () = tokio::time::sleep(duration) => true,
            () = self.shutting_down() => false,
        }
    }

    fn count(&self, op: Endpoint, outcome: Outcome) {
        lock(&self.counters).outcome(op, outcome);
    }

    /// The response to send: `x-traceid` (the request id, or another one
    /// when they are to differ) and, when they are on, the
    /// rate-limit headers (`quota`, or what the limits leave now for a call
    /// the limiter never saw).
    fn respond(&self, reply: Reply, request_id: &str, quota: Option<Quota>) -> Response<SimBody> {
        let quota = if self.rate_limit_headers.load(Ordering::Relaxed) {
            Some(quota.unwrap_or_else(|| lock(&self.limiter).quota(self.clock.now())))
        } else {
            None
        };
        if self.distinct_trace_ids.load(Ordering::Relaxed) {
            let trace_id = loop {
                let id = self.trace_ids.next_id();
                if id != request_id {
                    break id;
                }
            };
            reply.into_response(&trace_id, quota)
        } else {
            reply.into_response(request_id, quota)
        }
    }

    /// The daily limit if today's budget is spent.
    pub(crate) fn daily_limit_exceeded(&self) -> Option<u32> {
        lock(&self.limiter).daily_limit_if_exhausted(self.clock.now())
    }
}

/// Checks credentials against the operation's scope.
pub(crate) enum Auth {
    Granted,
    Unauthorized(&'static str),
    Forbidden(String),
}

fn authorize(headers: &http::HeaderMap, credentials: &SimCredentials, op: Endpoint) -> Auth {
    let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return Auth::Unauthorized("Missing Authorization header");
    };
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value, ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = STANDARD
            .decode(rest)
            .ok()
            .and_then(|raw| String::from_utf8(raw).ok());
        let valid = decoded
            .as_deref()
            .and_then(|pair| pair.split_once(':'))
            .is_some_and(|(key, secret)| {
                credentials
                    .access_keys
                    .iter()
                    .any(|k| k.key == key && k.secret == secret)
            });
        // Access keys are created by a technical admin and carry every scope.
        if valid {
            Auth::Granted
        } else {
            Auth::Unauthorized("Invalid access key or secret")
        }
    } else if scheme.eq_ignore_ascii_case("bearer") {
        match credentials.tokens.iter().find(|t| t.token == rest) {
            None => Auth::Unauthorized("Invalid or expired access token"),
            Some(token) if token.scopes.iter().any(|s| s == op.scope()) => Auth::Granted,
            Some(_) => Auth::Forbidden(format!(
                "The access token lacks the scope '{}' required by {}",
                op.scope(),
                op.operation_id()
            )),
        }
    } else {
        Auth::Unauthorized("Unsupported authorization scheme (use Basic or Bearer)")
    }
}

enum BodyError {
    TooLarge,
    Broken,
}

/// Reads the whole request body, at most `limit` bytes.
async fn read_body(
    mut body: Incoming,
    headers: &http::HeaderMap,
    limit: usize,
) -> Result<Bytes, BodyError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    let mut collected: Vec<u8> = Vec::with_capacity(declared.map_or(0, |len| len as usize));
    loop {
        match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            None => break,
            Some(Err(_)) => return Err(BodyError::Broken),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    if collected.len() + data.len() > limit {
                        return Err(BodyError::TooLarge);
                    }
                    collected.extend_from_slice(&data);
                }
            }
        }
    }
    Ok(Bytes::from(collected))
}

/// The whole life of one request.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<SimBody>, CloseConnection> {
    let request_id = shared.request_ids.next_id();
    let mut quota = None;
    let reply = answer(&shared, request, &request_id, &mut quota).await?;
    Ok(shared.respond(reply, &request_id, quota))
}

/// Everything up to the answer's headers. `quota` receives what the limits
/// leave as the limiter saw it when it admitted or refused the call.
async fn answer(
    shared: &Arc<Shared>,
    request: Request<Incoming>,
    request_id: &str,
    quota: &mut Option<Quota>,
) -> Result<Reply, CloseConnection> {
    // The token endpoint (app.gong.io's in Gong): outside the API's
    // counters and limits.
    if request.uri().path() == crate::oauth::OAUTH_TOKEN_PATH {
        let (parts, body) = request.into_parts();
        if parts.method != http::Method::POST {
            let mut reply = Reply::error(
                StatusCode::METHOD_NOT_ALLOWED,
                request_id,
                format!("Request method '{}' is not supported", parts.method),
            );
            reply.allow = Some("POST");
            return Ok(reply);
        }
        let body = read_body(body, &parts.headers, shared.max_body_bytes)
            .await
            .map_err(|_| CloseConnection)?;
        let now = shared.clock.now().instant;
        return Ok(lock(&shared.oauth).answer(&parts.headers, &body, now));
    }
    lock(&shared.counters).request();
    let (parts, body) = request.into_parts();
    let (op, path_id) = match route(&parts.method, parts.uri.path()) {
        Route::Endpoint(op, id) => (op, id),
        Route::NotFound => {
            lock(&shared.counters).unrouted();
            let message = format!("No endpoint {} {}", parts.method, parts.uri.path());
            return Ok(Reply::error(StatusCode::NOT_FOUND, request_id, message));
        }
        Route::MethodNotAllowed(allow) => {
            lock(&shared.counters).unrouted();
            let message = format!("Request method '{}' is not supported", parts.method);
            let mut reply = Reply::error(StatusCode::METHOD_NOT_ALLOWED, request_id, message);
            reply.allow = Some(allow);
            return Ok(reply);
        }
    };
    lock(&shared.counters).call(op);
    tracing::debug!(%request_id, operation = op.operation_id(), "request");

    // Read the body before anything can answer, so the connection stays
    // usable for keep-alive whatever the answer is.
    let body = match read_body(body, &parts.headers, shared.max_body_bytes).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            shared.count(op, Outcome::Rejected);
            let message = format!("Request body exceeds {} bytes", shared.max_body_bytes);
            return Ok(Reply::error(
                StatusCode::PAYLOAD_TOO_LARGE,
                request_id,
                message,
            ));
        }
        Err(BodyError::Broken) => {
            shared.count(op, Outcome::Rejected);
            return Err(CloseConnection);
        }
    };

    // Unauthenticated calls cannot be charged to a company, so auth comes
    // before the rate limiter.
    let auth = match authorize(&parts.headers, &shared.credentials, op) {
        // Not a configured token: perhaps one the token endpoint issued.
        Auth::Unauthorized(message) => lock(&shared.oauth)
            .authorize(&parts.headers, op, shared.clock.now().instant)
            .unwrap_or(Auth::Unauthorized(message)),
        auth => auth,
    };
    match auth {
        Auth::Granted => {}
        Auth::Unauthorized(message) => {
            shared.count(op, Outcome::Unauthorized);
            return Ok(Reply::error(StatusCode::UNAUTHORIZED, request_id, message));
        }
        Auth::Forbidden(message) => {
            shared.count(op, Outcome::Forbidden);
            return Ok(Reply::error(StatusCode::FORBIDDEN, request_id, message));
        }
    }

    // The simulator's clock (tokio's), so that tests on a paused clock, or
    // moving it on, drive the window and the day.
    let admitted = {
        let mut limiter = lock(&shared.limiter);
        let now = shared.clock.now();
        let admitted = limiter.try_admit(now);
        if shared.rate_limit_headers.load(Ordering::Relaxed) {
            *quota = Some(limiter.quota(now));
        }
        admitted
    };
    let admission = match admitted {
        Ok(admission) => admission,
        Err(over) => {
            shared.count(op, Outcome::RateLimited);
            let retry_after = over.retry_after;
            tracing::debug!(
                %request_id,
                retry_after,
                daily = over.daily_limit.is_some(),
                "rate limited"
            );
            let message = match over.daily_limit {
                Some(limit) => format!("Daily rate limit of {limit} calls exceeded"),
                None => "API request limit exceeded".to_owned(),
            };
            return Ok(
                Reply::error(StatusCode::TOO_MANY_REQUESTS, request_id, message)
                    .with_retry_after(retry_after),
            );
        }
    };

    let fault = lock(&shared.faults).draw(op);
    if let Some(fault) = fault {
        tracing::debug!(%request_id, ?fault, "fault");
    }
    // A 429 scripted with its own Retry-After comes before other faults.
    let scripted_429 = lock(&shared.scripted_429s).pop_front();
    let burst = match (scripted_429, fault) {
        (Some(retry_after), _) => Some(retry_after),
        (None, Some(Fault::RateLimitBurst { .. })) => Some(1),
        _ => None,
    };
    if let Some(retry_after) = burst {
        // A 429 does not count toward the limits.
        {
            let mut limiter = lock(&shared.limiter);
            limiter.refund(admission);
            if quota.is_some() {
                *quota = Some(limiter.quota(shared.clock.now()));
            }
        }
        shared.count(op, Outcome::Faulted(crate::FaultKind::RateLimitBurst));
        return Ok(Reply::error(
            StatusCode::TOO_MANY_REQUESTS,
            request_id,
            "API request limit exceeded",
        )
        .with_retry_after(u64::from(retry_after)));
    }
    if let Some(Fault::ConnectionReset) = fault {
        shared.count(op, Outcome::Faulted(crate::FaultKind::ConnectionReset));
        return Err(CloseConnection);
    }

    let delay = lock(&shared.latency).draw();
    if !shared.sleep(delay).await {
        return Err(CloseConnection);
    }

    let early = match fault {
        Some(Fault::Status500) => Some(Reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            request_id,
            "Failed to complete the operation due to an unexpected error",
        )),
        Some(Fault::Status502) => Some(Reply::error(
            StatusCode::BAD_GATEWAY,
            request_id,
            "Bad Gateway",
        )),
        Some(Fault::Status503 { retry_after }) => Some(
            Reply::error(
                StatusCode::SERVICE_UNAVAILABLE,
                request_id,
                "Service Unavailable",
            )
            .with_retry_after(u64::from(retry_after)),
        ),
        _ => None,
    };
    if let (Some(reply), Some(fault)) = (early, fault) {
        shared.count(op, Outcome::Faulted(fault.kind()));
        return Ok(reply);
    }

    let reply = crate::handlers::dispatch(shared, op, &parts, &body, path_id, request_id);

    let reply = match fault {
        Some(Fault::AppliedThenFailed) => {
            shared.count(op, Outcome::Faulted(crate::FaultKind::AppliedThenFailed));
            Reply::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                request_id,
                "Failed to complete the operation due to an unexpected error",
            )
        }
        Some(Fault::MalformedJson) if reply.status.is_success() => {
            shared.count(op, Outcome::Faulted(crate::FaultKind::MalformedJson));
            let mut reply = reply;
            let cut = reply.body.len() / 2;
            reply.body.truncate(cut);
            reply
        }
        Some(Fault::Timeout { delay }) => {
            shared.count(op, Outcome::Faulted(crate::FaultKind::Timeout));
            if !shared.sleep(delay).await {
                return Err(CloseConnection);
            }
            reply
        }
        _ => {
            let outcome = if reply.status.is_success() {
                Outcome::Succeeded
            } else {
                Outcome::Rejected
            };
            shared.count(op, outcome);
            reply
        }
    };
    Ok(reply)
}

/// Accepts connections until shutdown, then drains in-flight requests for a
/// bounded time and cuts off the rest.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        // Out of file descriptors and the like: back off
                        // instead of spinning.
                        tracing::warn!(%error, "accept failed");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                connections.spawn(async move {
                    let service_state = Arc::clone(&shared);
                    let service = service_fn(move |request| handle(Arc::clone(&service_state), request));
                    let connection = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service);
                    let mut connection = std::pin::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        () = shared.shutting_down() => {
                            connection.as_mut().graceful_shutdown();
                            let _ = connection.await;
                        }
                    }
                });
            }
            () = shared.shutting_down() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(DRAIN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.abort_all();
    }
}
