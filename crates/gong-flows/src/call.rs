//! The one call loop every operation uses: pacing, the attempt, the
//! classification of the answer, and retries.

use crate::auth::{Credentials, Secret};
use crate::client::Client;
use crate::control::ChunkCtx;
use crate::error::{ApiError, Error};
use crate::observe::Attempt;
use crate::pacing::QuotaHint;
use crate::report::{JobStats, TraceId};
use gong_flows_api::ResponseValue;
use gong_flows_api::types::ErrorResponse;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;
use tracing::Instrument as _;

type ApiResult<T> = std::result::Result<ResponseValue<T>, gong_flows_api::Error<ErrorResponse>>;

/// How a call may be retried, by what a repeat could do on Gong's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// Reads and unassigns: repeating is harmless.
    Idempotent,
    /// Assign: a repeat after a lost answer is safe because Gong refuses a
    /// second assignment (`InvalidState`), which the caller reconciles.
    Reconcilable,
    /// Bulk assignment submit: a repeat could start a second job, so only
    /// failures that surely were not processed are retried.
    NotIdempotent,
}

/// A successful call.
#[derive(Debug)]
pub(crate) struct Success<T> {
    pub value: T,
    pub request_id: Option<String>,
    /// Whether an earlier attempt may have been applied by Gong (its answer
    /// was lost: a 5xx, a timeout, a dropped connection, an unreadable
    /// answer).
    pub ambiguous: bool,
    /// When the first attempt was handed to the transport, on this
    /// machine's clock.
    pub first_sent: Option<SystemTime>,
}

/// A failed call.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: Error,
    pub ambiguous: bool,
    pub first_sent: Option<SystemTime>,
}

/// A call made for a job: the chunk it belongs to, and the report part whose
/// `stats` count it. The call loop counts every attempt there (and in the
/// job's progress).
pub(crate) struct InJob<'a> {
    pub ctx: &'a ChunkCtx,
    pub stats: &'a mut JobStats,
}

impl Client {
    /// Runs one operation under pacing and the retry policy: the one call
    /// loop of the crate. `send` makes one attempt with the client it is
    /// given. Within a job (`job`), a stopped job sends nothing more, a
    /// cancelled one stops waiting for a slot or a backoff at once, and
    /// every attempt is counted in the part's stats and the job's progress.
    pub(crate) async fn call<T, F, Fut>(
        &self,
        operation: &'static str,
        kind: CallKind,
        mut job: Option<InJob<'_>>,
        send: F,
    ) -> std::result::Result<Success<T>, Failure>
    where
        T: RequestIdOf,
        F: Fn(Arc<gong_flows_api::Client>) -> Fut,
        Fut: Future<Output = ApiResult<T>>,
    {
        self.attempts(operation, kind, job.as_mut(), send).await
    }

    async fn attempts<T, F, Fut>(
        &self,
        operation: &'static str,
        kind: CallKind,
        mut job: Option<&mut InJob<'_>>,
        send: F,
    ) -> std::result::Result<Success<T>, Failure>
    where
        T: RequestIdOf,
        F: Fn(Arc<gong_flows_api::Client>) -> Fut,
        Fut: Future<Output = ApiResult<T>>,
    {
        let policy = self.inner.retry;
        let started = Instant::now();
        let mut attempts = 0u32;
        let mut ambiguous = false;
        let mut refreshed = false;
        let mut want_fresh_token = false;
        // A token provider's token of the last attempt.
        let mut token = None;
        let mut first_sent = None;
        let fail = |error, ambiguous, first_sent| Failure {
            error,
            ambiguous,
            first_sent,
        };
        let pacer = &self.inner.pacer;
        let observers = &self.inner.observers;
        let (method, path) = crate::observe::route(operation);
        // Time spent waiting for the pacer before the next attempt.
        let mut pacer_wait = Duration::ZERO;
        loop {
            // A job stopped (or cancelled) before or while this call waited
            // for its slot: do not send.
            let stopped =
                |job: &Option<&mut InJob<'_>>| job.as_ref().and_then(|j| j.ctx.control.get());
            if let Some(stopped) = stopped(&job) {
                return Err(fail((*stopped).clone(), ambiguous, first_sent));
            }
            // A slot or pause further away than this call may still wait
            // fails it at once rather than sleep through it.
            let max_wait = policy
                .max_retry_after()
                .min(policy.time_limit().saturating_sub(started.elapsed()));
            let wait_started = Instant::now();
            let acquired = match &job {
                Some(job) => {
                    let paused = pacer.pause_remaining();
                    job.ctx.control.paused_for(paused);
                    let acquired = tokio::select! {
                        acquired = pacer.acquire(max_wait) => acquired,
                        () = job.ctx.control.cancelled() => Err(Error::Cancelled),
                    };
                    if paused.is_some() {
                        job.ctx.control.paused_for(pacer.pause_remaining());
                    }
                    acquired
                }
                None => pacer.acquire(max_wait).await,
            };
            pacer_wait += wait_started.elapsed();
            if let (
                Err(Error::DailyBudgetExhausted { resets_in, .. }),
                Some(job),
                crate::pacing::OverQuota::WaitForReset,
            ) = (&acquired, &job, self.inner.over_quota)
            {
                // Wait until calls free up, as the job's progress shows;
                // a cancel ends the wait at once.
                let wait = (*resets_in).max(Duration::from_millis(100));
                tracing::info!(
                    wait_s = wait.as_secs(),
                    "daily quota spent: waiting for calls to free up"
                );
                job.ctx.control.paused_for(Some(wait));
                let slept = Instant::now();
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = job.ctx.control.cancelled() => {}
                }
                job.ctx.control.paused_for(None);
                pacer_wait += slept.elapsed();
                continue;
            }
            if let Err(error) = acquired {
                let error = crate::pacing::for_operation(error, operation);
                return Err(fail(error, ambiguous, first_sent));
            }
            if let Some(stopped) = stopped(&job) {
                return Err(fail((*stopped).clone(), ambiguous, first_sent));
            }
            let control = job.as_ref().map(|job| &job.ctx.control);
            let refused = std::mem::take(&mut want_fresh_token)
                .then(|| token.take())
                .flatten();
            // A token fetch ends at a cancel (or abort): nothing was sent.
            let credentials = self.api_for_attempt(refused, started, control);
            let credentials = match control {
                Some(control) => tokio::select! {
                    got = credentials => got,
                    () = control.cancelled() => Err(Error::Cancelled),
                },
                None => credentials.await,
            };
            let api = match credentials {
                Ok((api, used)) => {
                    token = used;
                    api
                }
                Err(error) => return Err(fail(error, ambiguous, first_sent)),
            };
            // A stop that came while the credentials were fetched: do not send.
            if let Some(stopped) = stopped(&job) {
                return Err(fail((*stopped).clone(), ambiguous, first_sent));
            }
            attempts += 1;
            if let Some(job) = &mut job {
                job.ctx.count_call();
                job.stats.requests += 1;
                job.ctx.control.rate(pacer.rate(), None);
            }
            let span = self.attempt_span(operation, method, path, attempts);
            let attempt_started = Instant::now();
            first_sent.get_or_insert_with(SystemTime::now);
            let exchange = async {
                let result = send(api).instrument(span.clone()).await;
                // Whatever Gong says of its quota, the pacer hears (to be
                // more careful, never less).
                let hint = headers_of(&result).and_then(QuotaHint::from_headers);
                if let Some(hint) = &hint {
                    pacer.observe(hint);
                }
                (hint, classify(operation, result).await)
            };
            // An abort abandons the call in flight: it may have been applied.
            let (hint, outcome) = match &job {
                Some(job) => tokio::select! {
                    biased;
                    done = exchange => done,
                    () = job.ctx.control.aborted() => {
                        return Err(fail(Error::Aborted, true, first_sent));
                    }
                },
                None => exchange.await,
            };
            let duration = attempt_started.elapsed();
            // What observers are told of this attempt, but for the answer;
            // nothing is gathered without one.
            let mut seen = (!observers.is_empty()).then(|| Attempt {
                operation,
                method,
                path,
                server_address: &self.inner.server.address,
                server_port: self.inner.server.port,
                retry: attempts - 1,
                status: None,
                error: None,
                duration,
                pacer_wait: std::mem::take(&mut pacer_wait),
                request_id: None,
                trace_id: None,
                will_retry: false,
                in_job: job.is_some(),
                quota_hint: hint.as_ref(),
                rate: pacer.rate(),
                budget: pacer.budget_now(),
            });
            pacer_wait = Duration::ZERO;
            let attempt = match outcome {
                Ok((value, header_id, status)) => {
                    let body_id = value.request_id().map(str::to_owned);
                    // Kept beside the request id only where the two differ.
                    let trace = header_id
                        .clone()
                        .filter(|t| body_id.as_deref().is_some_and(|b| b != t));
                    let request_id = body_id.or(header_id);
                    span.record("http.response.status_code", status);
                    if let Some(id) = &request_id {
                        span.record("gong.request_id", id.as_str());
                    }
                    if let Some(trace) = &trace {
                        span.record("gong.trace_id", trace.as_str());
                    }
                    span.in_scope(|| tracing::debug!("call succeeded"));
                    if let Some(mut seen) = seen.take() {
                        seen.status = Some(status);
                        seen.request_id = request_id.as_deref();
                        seen.trace_id = trace.as_deref();
                        observers.attempt(&seen);
                    }
                    if let (Some(job), Some(id)) = (&mut job, &request_id) {
                        job.stats.request_ids.push(id.clone());
                        if let Some(trace) = trace {
                            job.stats.trace_ids.push(TraceId {
                                request_id: id.clone(),
                                trace_id: trace,
                            });
                        }
                    }
                    return Ok(Success {
                        value,
                        request_id,
                        ambiguous,
                        first_sent,
                    });
                }
                Err(attempt) => attempt,
            };
            let status = attempt.error.status().filter(|status| *status != 0);
            if let Some(status) = status {
                span.record("http.response.status_code", status);
            }
            let trace = attempt
                .error
                .api()
                .and_then(|a| a.trace_id.as_deref().map(str::to_owned));
            if let Some(id) = attempt.error.request_id() {
                span.record("gong.request_id", id);
                if let Some(trace) = &trace {
                    span.record("gong.trace_id", trace.as_str());
                }
                if let Some(job) = &mut job {
                    job.stats.request_ids.push(id.to_owned());
                    if let Some(trace) = &trace {
                        job.stats.trace_ids.push(TraceId {
                            request_id: id.to_owned(),
                            trace_id: trace.clone(),
                        });
                    }
                }
            }
            span.record("error.type", error_type(status, &attempt.error).as_ref());
            span.record("otel.status_code", "ERROR");
            span.in_scope(|| tracing::debug!(error = %attempt.error, "call failed"));

            let retry_after = attempt.retry_after;
            let next = 'decide: {
                // 401 with a token provider: one fresh token, one more try.
                if matches!(attempt.error, Error::Unauthorized(_))
                    && matches!(self.inner.credentials, Credentials::Provider(_))
                    && !refreshed
                {
                    refreshed = true;
                    want_fresh_token = true;
                    break 'decide Next::Again(attempt.error, None);
                }
                if let Some(wait) = retry_after {
                    // Everyone waits, not just this call.
                    if matches!(attempt.error, Error::RateLimited { .. }) {
                        pacer.rate_limited(wait);
                    } else {
                        pacer.pause(wait);
                    }
                    if wait > policy.max_retry_after() {
                        let error = match attempt.error {
                            Error::RateLimited { api, .. } => Error::RateLimited {
                                retry_after: wait,
                                api,
                                until: Some(crate::pacing::wall_clock_after(wait)),
                            },
                            other => other,
                        };
                        break 'decide Next::Stop(error);
                    }
                }
                let may_have_applied = attempt.error.may_have_been_sent();
                let retry = match kind {
                    CallKind::Idempotent | CallKind::Reconcilable => attempt.error.is_retryable(),
                    CallKind::NotIdempotent => attempt.error.is_retryable() && !may_have_applied,
                };
                if may_have_applied {
                    ambiguous = true;
                }
                if !retry || attempts >= policy.max_attempts() {
                    break 'decide Next::Stop(attempt.error);
                }
                let delay = retry_after.unwrap_or_else(|| policy.backoff(attempts));
                if started.elapsed() + delay > policy.time_limit() {
                    break 'decide Next::Stop(attempt.error);
                }
                // With a Retry-After, the pacer holds the next attempt.
                Next::Again(attempt.error, retry_after.is_none().then_some(delay))
            };
            if let Some(mut seen) = seen.take() {
                let (error, will_retry) = match &next {
                    Next::Stop(error) => (error, false),
                    Next::Again(error, _) => (error, true),
                };
                seen.status = status;
                seen.error = Some(error);
                seen.request_id = error.request_id();
                seen.trace_id = trace.as_deref();
                seen.will_retry = will_retry;
                observers.attempt(&seen);
            }
            let delay = match next {
                Next::Stop(error) => return Err(fail(error, ambiguous, first_sent)),
                Next::Again(_, delay) => delay,
            };
            if let Some(delay) = delay {
                tracing::debug!(operation, delay_ms = %delay.as_millis(), "backing off before retry");
                match &job {
                    Some(job) => {
                        tokio::select! {
                            () = tokio::time::sleep(delay) => {}
                            () = job.ctx.control.cancelled() => {
                                return Err(fail(Error::Cancelled, ambiguous, first_sent));
                            }
                        }
                    }
                    None => tokio::time::sleep(delay).await,
                }
            }
        }
    }
}

impl Client {
    /// The generated client with credentials for the next attempt. A
    /// token endpoint's failure that may pass (a 5xx, a connection or a
    /// timeout, as an [`OAuth`](crate::OAuth) reports it) is retried here
    /// under the retry policy's attempts, backoff and time limit; nothing
    /// goes to Gong meanwhile. One that persists becomes [`Error::Token`]:
    /// the call was not sent, and the job stops.
    async fn api_for_attempt(
        &self,
        refused: Option<Secret>,
        started: Instant,
        control: Option<&crate::control::Control>,
    ) -> Result<(Arc<gong_flows_api::Client>, Option<Secret>), Error> {
        let policy = self.inner.retry;
        let mut tries = 0u32;
        loop {
            let error = match self.api(refused.as_ref()).await {
                Ok(api) => return Ok(api),
                Err(error) if error.is_retryable() => error,
                Err(error) => return Err(error),
            };
            tries += 1;
            let delay = policy.backoff(tries);
            if tries >= policy.max_attempts() || started.elapsed() + delay > policy.time_limit() {
                return Err(Error::Token {
                    message: format!("the token endpoint failed: {error}"),
                });
            }
            tracing::debug!(%error, delay_ms = %delay.as_millis(), "token endpoint failed; retrying");
            match control {
                Some(control) => {
                    tokio::select! {
                        () = tokio::time::sleep(delay) => {}
                        () = control.cancelled() => return Err(Error::Cancelled),
                    }
                }
                None => tokio::time::sleep(delay).await,
            }
        }
    }
}

/// What the call loop does after a failed attempt.
enum Next {
    /// Fails the call with this error.
    Stop(Error),
    /// Tries again, after this backoff (none: at once, or when the pacer
    /// lets the call go after a `Retry-After`).
    Again(Error, Option<Duration>),
}

/// OpenTelemetry's `error.type`: the status of an error answer, else the
/// kind of error.
pub(crate) fn error_type(status: Option<u16>, error: &Error) -> std::borrow::Cow<'static, str> {
    match status {
        Some(status) if status >= 400 => std::borrow::Cow::Owned(status.to_string()),
        _ => std::borrow::Cow::Borrowed(error.kind()),
    }
}

impl Client {
    /// The span of one attempt, with OpenTelemetry's HTTP client field
    /// names (an OpenTelemetry layer shows it as a client span); the URL is
    /// the base URL and the path, never a query or a credential.
    fn attempt_span(
        &self,
        operation: &'static str,
        method: &'static str,
        path: &'static str,
        attempt: u32,
    ) -> tracing::Span {
        let span = tracing::debug_span!(
            "gong_flows.call",
            otel.name = tracing::field::Empty,
            otel.kind = "client",
            otel.status_code = tracing::field::Empty,
            gong.operation = operation,
            gong.request_id = tracing::field::Empty,
            gong.trace_id = tracing::field::Empty,
            http.request.method = method,
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
            server.address = self.inner.server.address.as_str(),
            server.port = self.inner.server.port,
            url.full = tracing::field::Empty,
            url.template = path,
            error.type = tracing::field::Empty,
        );
        if !span.is_disabled() {
            span.record("otel.name", format!("{method} {path}"));
            if attempt > 1 {
                span.record("http.request.resend_count", attempt - 1);
            }
            // A path with a parameter is only known to the generated call.
            if !path.contains('{') {
                span.record("url.full", format!("{}{path}", self.inner.base));
            }
        }
        span
    }
}

/// The headers of an attempt's answer, if there was one.
fn headers_of<T>(result: &ApiResult<T>) -> Option<&HeaderMap> {
    use gong_flows_api::Error as E;
    match result {
        Ok(value) => Some(value.headers()),
        Err(E::ErrorResponse(value)) => Some(value.headers()),
        Err(E::UnexpectedResponse(response)) => Some(response.headers()),
        Err(_) => None,
    }
}

/// A failed attempt, classified.
struct AttemptError {
    error: Error,
    retry_after: Option<Duration>,
}

/// Turns one attempt's result into a value or a classified error.
async fn classify<T>(
    operation: &'static str,
    result: ApiResult<T>,
) -> std::result::Result<(T, Option<String>, u16), AttemptError> {
    use gong_flows_api::Error as E;
    let plain = |error| AttemptError {
        error,
        retry_after: None,
    };
    match result {
        Ok(value) => {
            let status = value.status().as_u16();
            let header_id = trace_id(value.headers());
            Ok((value.into_inner(), header_id, status))
        }
        Err(E::ErrorResponse(value)) => {
            let status = value.status().as_u16();
            let headers = value.headers().clone();
            let body = value.into_inner();
            Err(api_error(operation, status, &headers, Some(body)))
        }
        Err(E::UnexpectedResponse(response)) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response
                .bytes()
                .await
                .ok()
                .and_then(|bytes| serde_json::from_slice::<ErrorResponse>(&bytes).ok());
            Err(api_error(operation, status, &headers, body))
        }
        Err(E::CommunicationError(e)) => Err(plain(transport_error(operation, &e))),
        Err(E::ResponseBodyError(e)) => Err(plain(Error::Connection {
            operation,
            may_have_been_sent: true,
            message: format!("reading the answer failed: {}", without_url(&e)),
            host: host_of(&e),
        })),
        Err(E::InvalidResponsePayload(bytes, e)) => Err(plain(Error::Decode {
            operation,
            status: 200,
            request_id: None,
            message: format!("{e} (body of {} bytes)", bytes.len()),
        })),
        Err(E::Custom(message)) => Err(plain(Error::Decode {
            operation,
            status: 0,
            request_id: None,
            message,
        })),
        Err(E::InvalidRequest(message)) => Err(plain(Error::InvalidInput {
            field: "request",
            value: String::new(),
            reason: message,
        })),
        Err(E::InvalidUpgrade(e)) => Err(plain(Error::Decode {
            operation,
            status: 0,
            request_id: None,
            message: without_url(&e),
        })),
    }
}

fn api_error(
    operation: &'static str,
    status: u16,
    headers: &HeaderMap,
    body: Option<ErrorResponse>,
) -> AttemptError {
    let (request_id, errors) = match body {
        Some(body) => (body.request_id, body.errors),
        None => (None, Vec::new()),
    };
    let trace = trace_id(headers);
    let request_id = request_id.or_else(|| trace.clone());
    let trace_id = trace
        .filter(|t| request_id.as_deref() != Some(t.as_str()))
        .map(String::into_boxed_str);
    let api = ApiError {
        operation,
        status,
        request_id,
        trace_id,
        errors,
    };
    let retry_after = retry_after(headers);
    let error = match status {
        401 => Error::Unauthorized(api),
        403 => Error::Forbidden(api),
        404 => Error::NotFound(api),
        429 => Error::RateLimited {
            retry_after: retry_after.unwrap_or_default(),
            api,
            until: None,
        },
        500..=599 => Error::Server(api),
        _ => Error::BadRequest(api),
    };
    // Retry-After is honoured on 429 and, when present, on 503.
    let retry_after = match status {
        429 | 503 => retry_after,
        _ => None,
    };
    AttemptError { error, retry_after }
}

/// A transport failure as the crate's error: a failed connect never carried
/// the request; anything later may have.
pub(crate) fn transport_error(operation: &'static str, e: &reqwest::Error) -> Error {
    if e.is_connect() {
        // A refused, failed or timed-out connect never carried the request.
        Error::Connection {
            operation,
            may_have_been_sent: false,
            message: without_url(e),
            host: host_of(e),
        }
    } else if e.is_timeout() {
        Error::Timeout {
            operation,
            host: host_of(e),
        }
    } else {
        Error::Connection {
            operation,
            may_have_been_sent: true,
            message: without_url(e),
            host: host_of(e),
        }
    }
}

/// The host (and port) of the URL a transport error names, as the pacer
/// names a company's ([`crate::pacing::host_of`]): never its path or query.
pub(crate) fn host_of(e: &reqwest::Error) -> Option<String> {
    crate::pacing::host_of(e.url()?.as_str())
        .ok()
        .filter(|host| !host.is_empty())
}

/// The transport error's text, with its source chain, without the URL.
pub(crate) fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(&format!(" ({url})"), "");
    }
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

fn trace_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-traceid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `Retry-After` in either form RFC 9110 allows: whole seconds (as Gong
/// sends it), or an HTTP date (as gateways may), counted from now; a date in
/// the past means now. Anything else is ignored (the policy's backoff
/// applies).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(RETRY_AFTER)
        .and_then(|v: &HeaderValue| v.to_str().ok())?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Response bodies that carry Gong's `requestId`.
pub(crate) trait RequestIdOf {
    fn request_id(&self) -> Option<&str>;
}

macro_rules! request_id_of {
    ($($ty:ident),* $(,)?) => {
        $(impl RequestIdOf for gong_flows_api::types::$ty {
            fn request_id(&self) -> Option<&str> {
                self.request_id.as_deref()
            }
        })*
    };
}

request_id_of!(
    FlowsResponse,
    FlowsFoldersResponse,
    ProspectsFlowsResponse,
    AssignFlowResponse,
    UnassignFlowsResponse,
    FlowStepsResponse,
    FlowProspectsBulkAssignmentResponse,
);
