//! The client, its configuration, and the one call loop every operation uses.

use crate::auth::{Credentials, Secret, bearer_header};
use crate::batch::Stop;
use crate::error::{ApiError, Error, Result};
use crate::pacing::{InProcessPacer, Pacer};
use crate::retry::RetryPolicy;
use gong_flows_api::types::ErrorResponse;
use gong_flows_api::{RequestSettings, ResponseValue};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, RETRY_AFTER};
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument as _;

type ApiResult<T> = std::result::Result<ResponseValue<T>, gong_flows_api::Error<ErrorResponse>>;

/// Gong's default rate limit, per company.
pub const GONG_CALLS_PER_SECOND: f64 = 3.0;
/// Gong's default daily call limit, per company.
pub const GONG_DAILY_CALLS: u32 = 10_000;

/// How many items each chunked operation sends per call.
///
/// The defaults are Gong's documented per-request limits, read from the
/// spec's `x-max-items`: 200 prospects per assign, 200 flow instances per
/// unassign, 20 flows per steps call, 50 prospects per bulk assignment.
/// They can be lowered (Gong's newest document says 100 for assign), never
/// raised: a larger value is a configuration error.
///
/// ```
/// use gong_flows::BatchSizes;
///
/// let sizes = BatchSizes::default().with_assign(100);
/// assert_eq!(sizes.assign(), 100);
/// assert_eq!(sizes.steps(), 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchSizes {
    assign: usize,
    unassign_instances: usize,
    steps: usize,
    bulk: usize,
    lookup: usize,
}

impl BatchSizes {
    /// Gong's limit on prospects per assign call.
    pub const MAX_ASSIGN: usize = 200;
    /// Gong's limit on flow instances per unassign call.
    pub const MAX_UNASSIGN_INSTANCES: usize = 200;
    /// Gong's limit on flows per steps call.
    pub const MAX_STEPS: usize = 20;
    /// Gong's limit on prospects per bulk assignment.
    pub const MAX_BULK: usize = 50;
    /// Ids per prospects'-flows lookup. Gong documents no limit; this keeps
    /// request bodies the size of an assign call.
    pub const MAX_LOOKUP: usize = 200;

    /// Prospects per assign call.
    pub fn with_assign(mut self, size: usize) -> Self {
        self.assign = size;
        self
    }
    /// Flow instances per unassign call.
    pub fn with_unassign_instances(mut self, size: usize) -> Self {
        self.unassign_instances = size;
        self
    }
    /// Flows per steps call.
    pub fn with_steps(mut self, size: usize) -> Self {
        self.steps = size;
        self
    }
    /// Prospects per bulk assignment.
    pub fn with_bulk(mut self, size: usize) -> Self {
        self.bulk = size;
        self
    }
    /// Ids per prospects'-flows lookup.
    pub fn with_lookup(mut self, size: usize) -> Self {
        self.lookup = size;
        self
    }
    /// Prospects per assign call.
    pub fn assign(&self) -> usize {
        self.assign
    }
    /// Flow instances per unassign call.
    pub fn unassign_instances(&self) -> usize {
        self.unassign_instances
    }
    /// Flows per steps call.
    pub fn steps(&self) -> usize {
        self.steps
    }
    /// Prospects per bulk assignment.
    pub fn bulk(&self) -> usize {
        self.bulk
    }
    /// Ids per prospects'-flows lookup.
    pub fn lookup(&self) -> usize {
        self.lookup
    }

    fn validate(&self) -> Result<()> {
        let checks = [
            ("batch size assign", self.assign, Self::MAX_ASSIGN),
            (
                "batch size unassign_instances",
                self.unassign_instances,
                Self::MAX_UNASSIGN_INSTANCES,
            ),
            ("batch size steps", self.steps, Self::MAX_STEPS),
            ("batch size bulk", self.bulk, Self::MAX_BULK),
            ("batch size lookup", self.lookup, Self::MAX_LOOKUP),
        ];
        for (name, value, max) in checks {
            if value == 0 || value > max {
                return Err(Error::Config {
                    setting: name.to_owned(),
                    reason: format!("must be between 1 and {max}, got {value}"),
                });
            }
        }
        Ok(())
    }
}

impl Default for BatchSizes {
    fn default() -> Self {
        Self {
            assign: Self::MAX_ASSIGN,
            unassign_instances: Self::MAX_UNASSIGN_INSTANCES,
            steps: Self::MAX_STEPS,
            bulk: Self::MAX_BULK,
            lookup: Self::MAX_LOOKUP,
        }
    }
}

/// How calls are paced: Gong's limits by default.
#[derive(Debug, Clone)]
enum Pacing {
    Limits {
        calls_per_second: Option<f64>,
        daily_budget: Option<u32>,
    },
    Custom(Arc<dyn Pacer>),
}

/// Configures and builds a [`Client`].
///
/// ```
/// use gong_flows::{Client, Credentials, RetryPolicy};
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .base_url("https://us-55616.api.gong.io")
///     .credentials(Credentials::basic("ACCESS_KEY", "ACCESS_KEY_SECRET"))
///     .request_timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::default().with_max_attempts(5))
///     .concurrency(4)
///     .build()?;
/// # let _ = client;
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    retry: RetryPolicy,
    pacing: Pacing,
    batch_sizes: BatchSizes,
    concurrency: usize,
    allow_insecure_http: bool,
    max_response_bytes: u64,
    user_agent: Option<String>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            credentials: None,
            connect_timeout: Some(Duration::from_secs(10)),
            request_timeout: Some(Duration::from_secs(60)),
            retry: RetryPolicy::default(),
            pacing: Pacing::Limits {
                calls_per_second: Some(GONG_CALLS_PER_SECOND),
                daily_budget: Some(GONG_DAILY_CALLS),
            },
            batch_sizes: BatchSizes::default(),
            concurrency: 4,
            allow_insecure_http: false,
            max_response_bytes: 16 * 1024 * 1024,
            user_agent: None,
        }
    }
}

impl ClientBuilder {
    /// Gong's API host for your company (required), e.g.
    /// `https://us-55616.api.gong.io`. OAuth token responses name it in
    /// `api_base_url_for_customer`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How to authenticate (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// HTTP Basic with an access key and its secret.
    pub fn basic_auth(self, access_key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        self.credentials(Credentials::basic(access_key, secret))
    }

    /// A fixed Bearer token.
    pub fn bearer_token(self, token: impl Into<Secret>) -> Self {
        self.credentials(Credentials::bearer(token))
    }

    /// Tokens from a [`TokenProvider`](crate::TokenProvider).
    pub fn token_provider(self, provider: Arc<dyn crate::TokenProvider>) -> Self {
        self.credentials(Credentials::Provider(provider))
    }

    /// Time allowed to open a connection (default 10 s; `None`: no limit).
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// Time allowed for one attempt, from sending to the end of the answer
    /// (default 60 s; `None`: no limit).
    pub fn request_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.request_timeout = timeout.into();
        self
    }

    /// How failed calls are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Calls per second allowed by the default pacer (default Gong's 3;
    /// `None`: no pacing).
    pub fn rate_limit(mut self, calls_per_second: impl Into<Option<f64>>) -> Self {
        let daily = match &self.pacing {
            Pacing::Limits { daily_budget, .. } => *daily_budget,
            Pacing::Custom(_) => Some(GONG_DAILY_CALLS),
        };
        self.pacing = Pacing::Limits {
            calls_per_second: calls_per_second.into(),
            daily_budget: daily,
        };
        self
    }

    /// Calls per 24 hours allowed by the default pacer before calls fail
    /// fast with [`Error::DailyBudgetExhausted`] (default Gong's 10,000;
    /// `None`: no budget).
    pub fn daily_budget(mut self, calls: impl Into<Option<u32>>) -> Self {
        let rate = match &self.pacing {
            Pacing::Limits {
                calls_per_second, ..
            } => *calls_per_second,
            Pacing::Custom(_) => Some(GONG_CALLS_PER_SECOND),
        };
        self.pacing = Pacing::Limits {
            calls_per_second: rate,
            daily_budget: calls.into(),
        };
        self
    }

    /// Turns pacing off: no rate limit, no daily budget (for a local
    /// simulator, or when an outer system paces).
    pub fn unpaced(self) -> Self {
        self.rate_limit(None).daily_budget(None)
    }

    /// A custom [`Pacer`], e.g. one shared by several processes.
    pub fn pacer(mut self, pacer: Arc<dyn Pacer>) -> Self {
        self.pacing = Pacing::Custom(pacer);
        self
    }

    /// Items per call for each chunked operation.
    pub fn batch_sizes(mut self, sizes: BatchSizes) -> Self {
        self.batch_sizes = sizes;
        self
    }

    /// How many calls one bulk job keeps in flight (default 4). The pacer
    /// still decides when each is sent; concurrency hides each call's
    /// latency so that a job can run at the rate limit itself.
    pub fn concurrency(mut self, calls: usize) -> Self {
        self.concurrency = calls;
        self
    }

    /// Allows `http://` base URLs for hosts other than loopback. Credentials
    /// would cross the network in clear text: only for trusted networks.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Largest response body accepted, in bytes (default 16 MiB).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Appends a product token to the `User-Agent` (which always starts
    /// with `gong-flows/<version>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent = Some(suffix.into());
        self
    }

    /// Builds the client, checking the configuration.
    pub fn build(self) -> Result<Client> {
        let base_url = self.base_url.ok_or_else(|| Error::Config {
            setting: "base_url".to_owned(),
            reason: "is required (Gong's hosts are per company)".to_owned(),
        })?;
        let base_url = check_base_url(&base_url, self.allow_insecure_http)?;
        let credentials = self.credentials.ok_or_else(|| Error::Config {
            setting: "credentials".to_owned(),
            reason: "are required (access key and secret, or a bearer token)".to_owned(),
        })?;
        self.batch_sizes.validate()?;
        if self.concurrency == 0 {
            return Err(Error::Config {
                setting: "concurrency".to_owned(),
                reason: "must be at least 1".to_owned(),
            });
        }
        let mut user_agent = format!("gong-flows/{}", env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = &self.user_agent {
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        let origin = base_url.clone();
        let mut http = reqwest::Client::builder()
            .user_agent(user_agent)
            // Never carry credentials to another host: follow a redirect only
            // within the configured origin (reqwest also strips
            // `Authorization` on cross-host redirects; this refuses them).
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                let same_origin = attempt.url().scheme() == origin.scheme()
                    && attempt.url().host_str() == origin.host_str()
                    && attempt.url().port_or_known_default() == origin.port_or_known_default();
                if attempt.previous().len() >= 5 || !same_origin {
                    attempt.stop()
                } else {
                    attempt.follow()
                }
            }))
            .pool_idle_timeout(Duration::from_secs(60));
        if let Some(timeout) = self.connect_timeout {
            http = http.connect_timeout(timeout);
        }
        if let Some(timeout) = self.request_timeout {
            http = http.timeout(timeout);
        }
        let http = http.build().map_err(|e| Error::Config {
            setting: "http client".to_owned(),
            reason: e.to_string(),
        })?;
        let pacer: Arc<dyn Pacer> = match self.pacing {
            Pacing::Limits {
                calls_per_second,
                daily_budget,
            } => Arc::new(InProcessPacer::new(calls_per_second, daily_budget)),
            Pacing::Custom(pacer) => pacer,
        };
        let base = base_url.as_str().trim_end_matches('/').to_owned();
        let static_auth = credentials.static_header()?;
        let static_api = static_auth.as_ref().map(|header| {
            let mut headers = HeaderMap::new();
            headers.insert(AUTHORIZATION, header.clone());
            Arc::new(gong_flows_api::Client::new_with_client(
                &base,
                http.clone(),
                RequestSettings {
                    headers,
                    max_response_bytes: Some(self.max_response_bytes),
                },
            ))
        });
        Ok(Client {
            inner: Arc::new(Inner {
                base,
                http,
                credentials,
                static_api,
                pacer,
                retry: self.retry,
                batch_sizes: self.batch_sizes,
                concurrency: self.concurrency,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

/// Refuses cleartext HTTP to anything but loopback unless allowed.
fn check_base_url(raw: &str, allow_insecure_http: bool) -> Result<url::Url> {
    let invalid = |reason: String| Error::Config {
        setting: "base_url".to_owned(),
        reason,
    };
    // Error messages quote the URL; never with credentials in it.
    let shown = redact_userinfo(raw);
    let raw_for_errors = shown.as_str();
    let url = url::Url::parse(raw)
        .map_err(|e| invalid(format!("{raw_for_errors:?} is not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if !loopback && !allow_insecure_http {
                return Err(invalid(format!(
                    "{raw_for_errors:?} uses cleartext http:// to a non-loopback host; use https:// \
                     (or opt in with allow_insecure_http)"
                )));
            }
        }
        other => return Err(invalid(format!("scheme {other:?} is not http or https"))),
    }
    if url.host().is_none() {
        return Err(invalid(format!("{raw_for_errors:?} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not carry credentials; use the credentials setting".to_owned(),
        ));
    }
    Ok(url)
}

/// `raw` with anything between `://` and `@` replaced, so that a URL with
/// credentials in it can be quoted.
pub(crate) fn redact_userinfo(raw: &str) -> String {
    let Some(scheme_end) = raw.find("://").map(|i| i + 3) else {
        return raw.to_owned();
    };
    let rest = &raw[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &raw[..scheme_end], &rest[at..]),
        None => raw.to_owned(),
    }
}

/// A client for Gong's Engage Flows API.
///
/// Cheap to clone (`Arc` inside), `Send + Sync`; clones share one connection
/// pool and one [`Pacer`], so every task of a process stays within Gong's
/// rate limit together.
///
/// ```no_run
/// # async fn demo() -> gong_flows::Result<()> {
/// let client = gong_flows::Client::from_env()?;
/// let report = client
///     .assign("1695493301223590792", "owner@example.com")
///     .prospects(["0035g00000AbCdE", "0035g00000FgHiJ"])
///     .send()
///     .await?;
/// println!("{} assigned, {} not", report.assigned.len(), report.not_assigned.len());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    base: String,
    http: reqwest::Client,
    credentials: Credentials,
    /// The generated client for credentials that never change, shared by
    /// every call (a token provider's change per call).
    static_api: Option<Arc<gong_flows_api::Client>>,
    pacer: Arc<dyn Pacer>,
    pub(crate) retry: RetryPolicy,
    pub(crate) batch_sizes: BatchSizes,
    pub(crate) concurrency: usize,
    max_response_bytes: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.inner.credentials {
            Credentials::Basic { access_key, .. } => format!("Basic({access_key}, ***)"),
            Credentials::Bearer(_) => "Bearer(***)".to_owned(),
            Credentials::Provider(p) => format!("Provider({p:?})"),
        };
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("auth", &auth)
            .field("pacer", &self.inner.pacer)
            .field("retry", &self.inner.retry)
            .field("batch_sizes", &self.inner.batch_sizes)
            .field("concurrency", &self.inner.concurrency)
            .finish()
    }
}

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
    /// Gong request ids of every attempt that had one, the last included.
    pub request_ids: Vec<String>,
    /// Attempts made, the successful one included.
    pub attempts: u32,
    /// Whether an earlier attempt may have been applied by Gong.
    pub ambiguous: bool,
}

/// A failed call.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: Error,
    pub attempts: u32,
    pub ambiguous: bool,
    /// Gong request ids of the failed attempts that had one.
    pub request_ids: Vec<String>,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `GONG_BASE_URL`, and either
    /// `GONG_ACCESS_KEY` with `GONG_ACCESS_KEY_SECRET`, or `GONG_BEARER_TOKEN`.
    /// Everything else takes its default (Gong's rate limits, 4 attempts).
    /// A missing or malformed variable is an [`Error::Config`] naming it.
    pub fn from_env() -> Result<Client> {
        Self::builder_from_env()?.build()
    }

    /// Like [`from_env`](Self::from_env), but returns the builder so that
    /// other settings can be changed before building.
    pub fn builder_from_env() -> Result<ClientBuilder> {
        builder_from_lookup(|name| std::env::var(name).ok())
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// The batch sizes.
    pub fn batch_sizes(&self) -> BatchSizes {
        self.inner.batch_sizes
    }

    /// The pacer every clone shares: its current rate and pause, e.g. for
    /// a progress display.
    pub fn pacer(&self) -> &Arc<dyn Pacer> {
        &self.inner.pacer
    }

    /// The generated low-level client for one attempt, with credentials.
    async fn api(&self, refresh: bool) -> Result<Arc<gong_flows_api::Client>> {
        if let Some(api) = &self.inner.static_api {
            return Ok(api.clone());
        }
        let Credentials::Provider(provider) = &self.inner.credentials else {
            return Err(Error::Config {
                setting: "credentials".to_owned(),
                reason: "have no header".to_owned(),
            });
        };
        let token = if refresh {
            provider.refresh().await
        } else {
            provider.token().await
        }
        .map_err(|e| Error::Token {
            message: e.to_string(),
        })?;
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, bearer_header(&token)?);
        Ok(Arc::new(gong_flows_api::Client::new_with_client(
            &self.inner.base,
            self.inner.http.clone(),
            RequestSettings {
                headers,
                max_response_bytes: Some(self.inner.max_response_bytes),
            },
        )))
    }

    /// Runs one operation under pacing and the retry policy: the one call
    /// loop of the crate. `send` makes one attempt with the client it is
    /// given.
    pub(crate) async fn call<T, F, Fut>(
        &self,
        operation: &'static str,
        kind: CallKind,
        stop: Option<&Stop>,
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
        let mut request_ids = Vec::new();
        let fail = |error, attempts, ambiguous, request_ids| Failure {
            error,
            attempts,
            ambiguous,
            request_ids,
        };
        loop {
            // A slot or pause further away than this call may still wait
            // fails it at once rather than sleep through it.
            let max_wait = policy
                .max_retry_after()
                .min(policy.time_limit().saturating_sub(started.elapsed()));
            if let Err(error) = self.inner.pacer.acquire(max_wait).await {
                let error = crate::pacing::for_operation(error, operation);
                return Err(fail(error, attempts, ambiguous, request_ids));
            }
            // A job stopped while this call waited for its slot: do not send.
            if let Some(stopped) = stop.and_then(Stop::get) {
                return Err(fail((*stopped).clone(), attempts, ambiguous, request_ids));
            }
            let api = match self.api(std::mem::take(&mut want_fresh_token)).await {
                Ok(api) => api,
                Err(error) => return Err(fail(error, attempts, ambiguous, request_ids)),
            };
            attempts += 1;
            let span = tracing::debug_span!(
                "gong_flows.call",
                operation,
                attempt = attempts,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let attempt_started = Instant::now();
            let result = send(api).instrument(span.clone()).await;
            let outcome = classify(operation, result).await;
            span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
            let attempt = match outcome {
                Ok((value, header_id, status)) => {
                    let request_id = value.request_id().map(str::to_owned).or(header_id);
                    span.record("status", status);
                    if let Some(id) = &request_id {
                        span.record("request_id", id.as_str());
                    }
                    span.in_scope(|| tracing::debug!("call succeeded"));
                    request_ids.extend(request_id.clone());
                    return Ok(Success {
                        value,
                        request_id,
                        request_ids,
                        attempts,
                        ambiguous,
                    });
                }
                Err(attempt) => attempt,
            };
            if let Some(status) = attempt.error.status() {
                span.record("status", status);
            }
            if let Some(id) = attempt.error.request_id() {
                span.record("request_id", id);
                request_ids.push(id.to_owned());
            }
            span.in_scope(|| tracing::debug!(error = %attempt.error, "call failed"));

            // 401 with a token provider: one fresh token, one more try.
            if matches!(attempt.error, Error::Unauthorized(_))
                && matches!(self.inner.credentials, Credentials::Provider(_))
                && !refreshed
            {
                refreshed = true;
                want_fresh_token = true;
                continue;
            }
            if let Some(wait) = attempt.retry_after {
                // Everyone waits, not just this call.
                if matches!(attempt.error, Error::RateLimited { .. }) {
                    self.inner.pacer.rate_limited(wait);
                } else {
                    self.inner.pacer.pause(wait);
                }
                if wait > policy.max_retry_after() {
                    let error = match attempt.error {
                        Error::RateLimited { api, .. } => Error::RateLimited {
                            retry_after: wait,
                            api,
                        },
                        other => other,
                    };
                    return Err(fail(error, attempts, ambiguous, request_ids));
                }
            }
            let may_have_applied = attempt.error.may_have_been_sent();
            let retry = match kind {
                CallKind::Idempotent | CallKind::Reconcilable => attempt.error.is_retryable(),
                CallKind::NotIdempotent => attempt.error.is_retryable() && !may_have_applied,
            };
            if kind != CallKind::Idempotent && may_have_applied {
                ambiguous = true;
            }
            if !retry || attempts >= policy.max_attempts() {
                return Err(fail(attempt.error, attempts, ambiguous, request_ids));
            }
            let delay = attempt
                .retry_after
                .unwrap_or_else(|| policy.backoff(attempts));
            if started.elapsed() + delay > policy.time_limit() {
                return Err(fail(attempt.error, attempts, ambiguous, request_ids));
            }
            if attempt.retry_after.is_none() {
                tracing::debug!(operation, delay_ms = %delay.as_millis(), "backing off before retry");
                tokio::time::sleep(delay).await;
            }
            // With a Retry-After, the pacer holds the next attempt.
        }
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
    let api = ApiError {
        operation,
        status,
        request_id: request_id.or_else(|| trace_id(headers)),
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

fn transport_error(operation: &'static str, e: &reqwest::Error) -> Error {
    if e.is_connect() {
        // A refused, failed or timed-out connect never carried the request.
        Error::Connection {
            operation,
            may_have_been_sent: false,
            message: without_url(e),
        }
    } else if e.is_timeout() {
        Error::Timeout { operation }
    } else {
        Error::Connection {
            operation,
            may_have_been_sent: true,
            message: without_url(e),
        }
    }
}

/// The transport error's text, with its source chain, without the URL.
fn without_url(e: &reqwest::Error) -> String {
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

/// `Retry-After` as Gong sends it: whole seconds.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
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

fn builder_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder> {
    let get = |name: &str| -> Result<Option<String>> {
        match lookup(name) {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Err(Error::Config {
                setting: name.to_owned(),
                reason: "is set but empty".to_owned(),
            }),
            Some(v) => Ok(Some(v.trim().to_owned())),
        }
    };
    let base = get("GONG_BASE_URL")?.ok_or_else(|| Error::Config {
        setting: "GONG_BASE_URL".to_owned(),
        reason: "is not set".to_owned(),
    })?;
    // Check the URL here so the error names the variable.
    check_base_url(&base, false).map_err(|e| match e {
        Error::Config { reason, .. } => Error::Config {
            setting: "GONG_BASE_URL".to_owned(),
            reason,
        },
        other => other,
    })?;
    let key = get("GONG_ACCESS_KEY")?;
    let secret = get("GONG_ACCESS_KEY_SECRET")?;
    let token = get("GONG_BEARER_TOKEN")?;
    let credentials = match (key, secret, token) {
        (Some(key), Some(secret), None) => Credentials::basic(key, secret),
        (None, None, Some(token)) => Credentials::bearer(token),
        (Some(_), None, _) => {
            return Err(Error::Config {
                setting: "GONG_ACCESS_KEY_SECRET".to_owned(),
                reason: "is not set (GONG_ACCESS_KEY is)".to_owned(),
            });
        }
        (None, Some(_), _) => {
            return Err(Error::Config {
                setting: "GONG_ACCESS_KEY".to_owned(),
                reason: "is not set (GONG_ACCESS_KEY_SECRET is)".to_owned(),
            });
        }
        (Some(_), Some(_), Some(_)) => {
            return Err(Error::Config {
                setting: "GONG_BEARER_TOKEN".to_owned(),
                reason: "is set together with GONG_ACCESS_KEY; set one kind of credentials"
                    .to_owned(),
            });
        }
        (None, None, None) => {
            return Err(Error::Config {
                setting: "GONG_ACCESS_KEY".to_owned(),
                reason: "is not set (set GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET, or \
                         GONG_BEARER_TOKEN)"
                    .to_owned(),
            });
        }
    };
    Ok(Client::builder().base_url(base).credentials(credentials))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn config_setting(result: Result<ClientBuilder>) -> String {
        match result {
            Err(Error::Config { setting, .. }) => setting,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn env_errors_name_the_variable() {
        assert_eq!(
            config_setting(builder_from_lookup(env(&[]))),
            "GONG_BASE_URL"
        );
        assert_eq!(
            config_setting(builder_from_lookup(env(&[(
                "GONG_BASE_URL",
                "https://x.api.gong.io"
            )]))),
            "GONG_ACCESS_KEY"
        );
        assert_eq!(
            config_setting(builder_from_lookup(env(&[
                ("GONG_BASE_URL", "https://x.api.gong.io"),
                ("GONG_ACCESS_KEY", "k"),
            ]))),
            "GONG_ACCESS_KEY_SECRET"
        );
        assert_eq!(
            config_setting(builder_from_lookup(env(&[
                ("GONG_BASE_URL", "not a url"),
                ("GONG_BEARER_TOKEN", "t"),
            ]))),
            "GONG_BASE_URL"
        );
        assert_eq!(
            config_setting(builder_from_lookup(env(&[
                ("GONG_BASE_URL", "https://x.api.gong.io"),
                ("GONG_BEARER_TOKEN", " "),
            ]))),
            "GONG_BEARER_TOKEN"
        );
    }

    #[test]
    fn env_with_bearer_or_basic_builds() {
        for pairs in [
            vec![
                ("GONG_BASE_URL", "https://x.api.gong.io"),
                ("GONG_BEARER_TOKEN", "t"),
            ],
            vec![
                ("GONG_BASE_URL", "https://x.api.gong.io"),
                ("GONG_ACCESS_KEY", "k"),
                ("GONG_ACCESS_KEY_SECRET", "s"),
            ],
        ] {
            let client = builder_from_lookup(env(&pairs)).unwrap().build().unwrap();
            assert_eq!(client.base_url(), "https://x.api.gong.io");
        }
    }

    #[test]
    fn cleartext_http_only_to_loopback() {
        assert!(check_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(check_base_url("http://localhost:8080", false).is_ok());
        assert!(check_base_url("http://[::1]:8080", false).is_ok());
        assert!(check_base_url("http://api.gong.io", false).is_err());
        assert!(check_base_url("http://10.0.0.1", false).is_err());
        assert!(check_base_url("http://api.gong.io", true).is_ok());
        assert!(check_base_url("ftp://api.gong.io", true).is_err());
        assert!(check_base_url("https://user:pw@api.gong.io", false).is_err());
    }

    #[test]
    fn url_errors_never_quote_credentials() {
        for raw in [
            "http://user:pw-secret@api.gong.io",
            "https://user:pw-secret@api.gong.io/x",
        ] {
            let err = check_base_url(raw, false).unwrap_err();
            assert!(!err.to_string().contains("pw-secret"), "{err}");
            assert!(!format!("{err:?}").contains("pw-secret"), "{err:?}");
        }
        assert_eq!(redact_userinfo("https://a:b@h/p@q"), "https://***@h/p@q");
        assert_eq!(redact_userinfo("not a url"), "not a url");
    }

    #[test]
    fn batch_sizes_cannot_exceed_gong_limits() {
        let err = Client::builder()
            .base_url("https://x.api.gong.io")
            .bearer_token("t")
            .batch_sizes(BatchSizes::default().with_assign(201))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { ref setting, .. } if setting == "batch size assign"));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let client = Client::builder()
            .base_url("https://x.api.gong.io")
            .basic_auth("KEY123", "TOPSECRET")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(shown.contains("KEY123"));
        assert!(!shown.contains("TOPSECRET"));
        let bearer = Client::builder()
            .base_url("https://x.api.gong.io")
            .bearer_token("TOKENVALUE")
            .build()
            .unwrap();
        assert!(!format!("{bearer:?}").contains("TOKENVALUE"));
    }
}
