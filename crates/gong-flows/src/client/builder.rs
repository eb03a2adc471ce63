//! Configuring a [`Client`]: Gong's limits, chunk sizes, timeouts, pacing.

use super::url::check_base_url;
use super::{Client, Inner};
use crate::auth::{Credentials, Secret};
use crate::error::{Error, Result};
use crate::observe::Observer;
use crate::pacing::{InProcessPacer, OverQuota, Pacer};
use crate::retry::RetryPolicy;
use gong_flows_api::RequestSettings;
use reqwest::header::{AUTHORIZATION, HeaderMap};
use std::sync::Arc;
use std::time::Duration;

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
/// use gong_flows::ChunkSizes;
///
/// let sizes = ChunkSizes::default().with_assign(100);
/// assert_eq!(sizes.assign(), 100);
/// assert_eq!(sizes.steps(), 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkSizes {
    assign: usize,
    unassign_instances: usize,
    steps: usize,
    bulk: usize,
    lookup: usize,
}

impl ChunkSizes {
    /// Gong's limit on prospects per assign call (200).
    pub const MAX_ASSIGN: usize = gong_flows_api::limits::ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS;
    /// Gong's limit on flow instances per unassign call (200).
    pub const MAX_UNASSIGN_INSTANCES: usize =
        gong_flows_api::limits::UNASSIGN_FLOWS_FLOW_INSTANCE_IDS;
    /// Gong's limit on flows per steps call (20).
    pub const MAX_STEPS: usize = gong_flows_api::limits::GET_FLOW_STEPS_FLOW_IDS;
    /// Gong's limit on prospects per bulk assignment (50).
    pub const MAX_BULK: usize =
        gong_flows_api::limits::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT_PROSPECTS;
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
            ("chunk size assign", self.assign, Self::MAX_ASSIGN),
            (
                "chunk size unassign_instances",
                self.unassign_instances,
                Self::MAX_UNASSIGN_INSTANCES,
            ),
            ("chunk size steps", self.steps, Self::MAX_STEPS),
            ("chunk size bulk", self.bulk, Self::MAX_BULK),
            ("chunk size lookup", self.lookup, Self::MAX_LOOKUP),
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

impl Default for ChunkSizes {
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
        daily_reserve: u32,
    },
    Custom(Arc<dyn Pacer>),
}

impl Pacing {
    /// The default pacer's settings (Gong's limits after a custom pacer).
    fn limits(&self) -> (Option<f64>, Option<u32>, u32) {
        match self {
            Pacing::Limits {
                calls_per_second,
                daily_budget,
                daily_reserve,
            } => (*calls_per_second, *daily_budget, *daily_reserve),
            Pacing::Custom(_) => (Some(GONG_CALLS_PER_SECOND), Some(GONG_DAILY_CALLS), 0),
        }
    }
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
    chunk_sizes: ChunkSizes,
    concurrency: usize,
    allow_insecure_http: bool,
    max_response_bytes: u64,
    user_agent: Option<String>,
    clock_skew: Duration,
    over_quota: OverQuota,
    observers: crate::observe::Observers,
    /// The caller's own HTTP client, if any.
    http_client: Option<reqwest::Client>,
    /// The transport settings set explicitly, which a caller's own HTTP
    /// client would silently ignore.
    transport_set: Vec<&'static str>,
    /// Redis, where the limits are kept for every process of the company.
    #[cfg(feature = "redis")]
    shared_pacer: Option<String>,
    /// The OAuth provider of [`oauth`](Self::oauth), for the customer's host.
    oauth: Option<crate::OAuth>,
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
                daily_reserve: 0,
            },
            chunk_sizes: ChunkSizes::default(),
            concurrency: 4,
            allow_insecure_http: false,
            max_response_bytes: 16 * 1024 * 1024,
            user_agent: None,
            clock_skew: Duration::from_secs(5),
            over_quota: OverQuota::default(),
            observers: crate::observe::Observers::default(),
            http_client: None,
            transport_set: Vec::new(),
            #[cfg(feature = "redis")]
            shared_pacer: None,
            oauth: None,
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
        self.oauth = None;
        self
    }

    /// Gong's OAuth, for one customer: tokens from `oauth`, refreshed and
    /// rotated by it, and calls to the customer's host as the token answer
    /// names it (`api_base_url_for_customer`), so no
    /// [`base_url`](Self::base_url) is needed. The host must be known when
    /// the client is built: after [`OAuth::connect`](crate::OAuth::connect),
    /// or when resuming with [`OAuthBuilder::api_base_url`](crate::OAuthBuilder::api_base_url);
    /// otherwise [`build`](Self::build) fails with [`Error::Config`].
    ///
    /// A [`base_url`](Self::base_url) given as well **wins** (a proxy, a
    /// test server): calls go there, whatever the token answer names.
    ///
    /// The client's [`company`](Client::company) is the customer's host
    /// (with the [`company_key`](crate::OAuthBuilder::company_key), if
    /// any): it stays the same across refreshes, since it names the
    /// customer, not a token.
    ///
    /// ```
    /// use gong_flows::{Client, OAuth, Secret};
    ///
    /// let oauth = OAuth::builder("CLIENT_ID", Secret::new("CLIENT_SECRET"), Secret::new("REFRESH_TOKEN"))
    ///     .api_base_url("https://us-55616.api.gong.io") // stored at the last rotation
    ///     .build()?;
    /// let client = Client::builder().oauth(oauth).build()?;
    /// assert_eq!(client.base_url(), "https://us-55616.api.gong.io");
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn oauth(self, oauth: crate::OAuth) -> Self {
        let mut builder = self.credentials(Credentials::Provider(Arc::new(oauth.clone())));
        builder.oauth = Some(oauth);
        builder
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
    ///
    /// A setting of the SDK's own HTTP client: with
    /// [`http_client`](Self::http_client), set it on that client instead.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self.transport_set.push("connect_timeout");
        self
    }

    /// Time allowed for one attempt, from sending to the end of the answer
    /// (default 60 s; `None`: no limit).
    ///
    /// A setting of the SDK's own HTTP client: with
    /// [`http_client`](Self::http_client), set it on that client instead.
    pub fn request_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.request_timeout = timeout.into();
        self.transport_set.push("request_timeout");
        self
    }

    /// Sends every call through this `reqwest` client instead of one the
    /// SDK builds: for an explicit proxy, client certificates (mTLS), your
    /// own root certificates, or one connection pool shared by many
    /// [`Client`]s (one per customer, say). `reqwest` is re-exported as
    /// [`gong_flows::reqwest`](crate::reqwest), so the versions match.
    ///
    /// What is then yours and what stays the SDK's:
    ///
    /// - **Timeouts, pool, proxy, TLS, redirects** are your client's. The
    ///   builder's [`connect_timeout`](Self::connect_timeout) and
    ///   [`request_timeout`](Self::request_timeout) cannot reach a client
    ///   built elsewhere, so setting either as well is a configuration
    ///   error rather than a setting silently dropped. Give your client a
    ///   timeout: without one a call can wait forever.
    /// - **Redirects**: the SDK's own client follows none to another
    ///   origin. Yours follows its own policy, and `reqwest` removes
    ///   `Authorization` (and cookies) from any redirect to another host,
    ///   port or scheme, so credentials still never follow one; the request
    ///   body (the prospects' ids) would. Gong's API does not redirect:
    ///   `reqwest::redirect::Policy::none()` is the safe choice.
    /// - **Kept by the SDK**: the `User-Agent` (`gong-flows/<version>`,
    ///   with [`user_agent_suffix`](Self::user_agent_suffix)) replaces
    ///   your client's on these calls, so that Gong can tell the SDK's
    ///   traffic; [`max_response_bytes`](Self::max_response_bytes) caps
    ///   every body; a base URL of `http://` to a non-loopback host is
    ///   refused unless [`allow_insecure_http`](Self::allow_insecure_http);
    ///   your client's default headers are sent, but the SDK's credentials
    ///   replace any `Authorization` among them.
    ///
    /// ```
    /// use gong_flows::reqwest;
    /// use std::time::Duration;
    ///
    /// let http = reqwest::Client::builder()
    ///     .timeout(Duration::from_secs(30))
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .expect("a client");
    /// // One pool for every customer's client.
    /// let acme = gong_flows::Client::builder()
    ///     .base_url("https://us-55616.api.gong.io")
    ///     .bearer_token("ACME_TOKEN")
    ///     .http_client(http.clone())
    ///     .build()?;
    /// let globex = gong_flows::Client::builder()
    ///     .base_url("https://company-17.api.gong.io")
    ///     .bearer_token("GLOBEX_TOKEN")
    ///     .http_client(http)
    ///     .build()?;
    /// # let _ = (acme, globex);
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
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
        let (_, daily_budget, daily_reserve) = self.pacing.limits();
        self.pacing = Pacing::Limits {
            calls_per_second: calls_per_second.into(),
            daily_budget,
            daily_reserve,
        };
        self
    }

    /// Calls per 24 hours allowed by the default pacer before calls fail
    /// fast with [`Error::DailyBudgetExhausted`] (default Gong's 10,000;
    /// `None`: no budget). The budget counts calls over a rolling 24-hour
    /// window, so no 24-hour span (and no calendar day) holds more.
    pub fn daily_budget(mut self, calls: impl Into<Option<u32>>) -> Self {
        let (calls_per_second, _, daily_reserve) = self.pacing.limits();
        self.pacing = Pacing::Limits {
            calls_per_second,
            daily_budget: calls.into(),
            daily_reserve,
        };
        self
    }

    /// Calls of the daily budget the default pacer never spends, kept for
    /// the company's other integrations (default 0): calls fail with
    /// [`Error::DailyBudgetExhausted`] once the budget less the reserve is
    /// in the window. Must be below the daily budget.
    ///
    /// ```
    /// let client = gong_flows::Client::builder()
    ///     .base_url("https://us-55616.api.gong.io")
    ///     .bearer_token("TOKEN")
    ///     .daily_budget(10_000)
    ///     .daily_reserve(2_000)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn daily_reserve(mut self, calls: u32) -> Self {
        let (calls_per_second, daily_budget, _) = self.pacing.limits();
        self.pacing = Pacing::Limits {
            calls_per_second,
            daily_budget,
            daily_reserve: calls,
        };
        self
    }

    /// Turns pacing off: no rate limit, no daily budget and no reserve
    /// (for a local simulator, or when an outer system paces).
    pub fn unpaced(self) -> Self {
        self.rate_limit(None).daily_budget(None).daily_reserve(0)
    }

    /// A custom [`Pacer`], e.g. one shared by several processes.
    pub fn pacer(mut self, pacer: Arc<dyn Pacer>) -> Self {
        self.pacing = Pacing::Custom(pacer);
        self
    }

    /// Items per call for each chunked operation.
    pub fn chunk_sizes(mut self, sizes: ChunkSizes) -> Self {
        self.chunk_sizes = sizes;
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

    /// How far Gong's clock may be from this machine's (default 5 s). After
    /// an assign's answer was lost, a prospect found in the flow counts as
    /// assigned by the job when Gong created its flow instance after the
    /// chunk's first attempt started, less this tolerance, and as already
    /// in the flow when it was created earlier.
    pub fn clock_skew_tolerance(mut self, tolerance: Duration) -> Self {
        self.clock_skew = tolerance;
        self
    }

    /// Keeps the client's limits (rate, daily budget, reserve) in Redis, for
    /// every process of the company together: a [`RedisPacer`](crate::RedisPacer)
    /// for this client's host and credentials (namespaced by both, so that
    /// two companies never share a limit), failing calls with
    /// [`Error::PacerUnavailable`] while Redis is down. For other settings,
    /// build the pacer yourself and pass it to [`pacer`](Self::pacer).
    ///
    /// ```
    /// let client = gong_flows::Client::builder()
    ///     .base_url("https://us-55616.api.gong.io")
    ///     .bearer_token("token")
    ///     .daily_budget(50_000)
    ///     .shared_pacer("redis://127.0.0.1:6379/0")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    #[cfg(feature = "redis")]
    pub fn shared_pacer(mut self, redis_url: impl Into<String>) -> Self {
        self.shared_pacer = Some(redis_url.into());
        self
    }

    /// What a job does when today's quota may not hold its calls (default
    /// [`OverQuota::Refuse`]: refused whole before anything is sent).
    pub fn over_quota(mut self, policy: OverQuota) -> Self {
        self.over_quota = policy;
        self
    }

    /// Tells `observer` of every HTTP attempt (retries and the look-ups of
    /// jobs included: operation, status or error, duration, Gong's request
    /// id, retry number, whether it will be retried) and of every job's
    /// start, parts and end, e.g. for metrics or an audit log. May be called
    /// more than once: each observer is told, in this order. See
    /// [`Observer`] for what it must not do (block) and what it never sees
    /// (a secret).
    ///
    /// ```
    /// use gong_flows::{Attempt, Observer};
    ///
    /// #[derive(Debug)]
    /// struct AuditLog;
    ///
    /// impl Observer for AuditLog {
    ///     fn on_attempt(&self, attempt: &Attempt<'_>) {
    ///         eprintln!(
    ///             "{} {:?} {:?} in {:?} (retry {}, again: {})",
    ///             attempt.operation,
    ///             attempt.status,
    ///             attempt.request_id,
    ///             attempt.duration,
    ///             attempt.retry,
    ///             attempt.will_retry,
    ///         );
    ///     }
    /// }
    ///
    /// let client = gong_flows::Client::builder()
    ///     .base_url("https://us-55616.api.gong.io")
    ///     .bearer_token("TOKEN")
    ///     .observe(AuditLog)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn observe(mut self, observer: impl Observer) -> Self {
        self.observers = self.observers.with(Arc::new(observer));
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
        // An explicit base URL wins over the customer host of OAuth.
        let base_url = match (self.base_url, &self.oauth) {
            (Some(url), _) => url,
            (None, Some(oauth)) => oauth.api_base_url().ok_or_else(|| Error::Config {
                setting: "base_url".to_owned(),
                reason: "is not known yet: the OAuth token answer names it; call OAuth::connect \
                         before building, resume with OAuthBuilder::api_base_url, or give base_url"
                    .to_owned(),
            })?,
            (None, None) => {
                return Err(Error::Config {
                    setting: "base_url".to_owned(),
                    reason: "is required (Gong's hosts are per company)".to_owned(),
                });
            }
        };
        let base_url = check_base_url(&base_url, self.allow_insecure_http)?;
        let credentials = self.credentials.ok_or_else(|| Error::Config {
            setting: "credentials".to_owned(),
            reason: "are required (access key and secret, or a bearer token)".to_owned(),
        })?;
        self.chunk_sizes.validate()?;
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
        // Headers the SDK adds to every call itself: the `User-Agent`, on a
        // caller's client (the SDK's own client sends it by default).
        let mut headers = HeaderMap::new();
        let http = if let Some(http) = self.http_client {
            if let Some(setting) = self.transport_set.first() {
                return Err(Error::Config {
                    setting: (*setting).to_owned(),
                    reason: "cannot apply to an HTTP client given with http_client; set it \
                             on that reqwest::Client"
                        .to_owned(),
                });
            }
            let value =
                reqwest::header::HeaderValue::from_str(&user_agent).map_err(|_| Error::Config {
                    setting: "user_agent_suffix".to_owned(),
                    reason: "is not a valid header value".to_owned(),
                })?;
            headers.insert(reqwest::header::USER_AGENT, value);
            http
        } else {
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
            http.build().map_err(|e| Error::Config {
                setting: "http client".to_owned(),
                reason: e.to_string(),
            })?
        };
        let pacer: Arc<dyn Pacer> = match self.pacing {
            Pacing::Limits {
                calls_per_second,
                daily_budget,
                daily_reserve,
            } => {
                check_reserve(daily_reserve, daily_budget, "daily_reserve")?;
                #[cfg(feature = "redis")]
                if let Some(url) = &self.shared_pacer {
                    let shared = crate::RedisPacer::builder(url, base_url.as_str())
                        .credentials(&credentials)
                        .rate_limit(calls_per_second)
                        .daily_budget(daily_budget)
                        .reserve(daily_reserve)
                        .build()?;
                    Arc::new(shared) as Arc<dyn Pacer>
                } else {
                    Arc::new(
                        InProcessPacer::new(calls_per_second, daily_budget)
                            .with_reserve(daily_reserve),
                    )
                }
                #[cfg(not(feature = "redis"))]
                Arc::new(
                    InProcessPacer::new(calls_per_second, daily_budget).with_reserve(daily_reserve),
                )
            }
            Pacing::Custom(pacer) => pacer,
        };
        let base = base_url.as_str().trim_end_matches('/').to_owned();
        let static_auth = credentials.static_header()?;
        let static_api = static_auth.as_ref().map(|header| {
            let mut headers = headers.clone();
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
                chunk_sizes: self.chunk_sizes,
                concurrency: self.concurrency,
                max_response_bytes: self.max_response_bytes,
                clock_skew: self.clock_skew,
                over_quota: self.over_quota,
                learned: super::Learned::default(),
                server: crate::observe::Server::of(&base_url),
                headers,
                observers: self.observers,
            }),
        })
    }
}

/// A reserve must leave part of a budget to spend.
pub(super) fn check_reserve(reserve: u32, budget: Option<u32>, setting: &str) -> Result<()> {
    let reason = match budget {
        _ if reserve == 0 => return Ok(()),
        Some(budget) if reserve < budget => return Ok(()),
        Some(budget) => format!("must be below the daily budget of {budget} calls, got {reserve}"),
        None => "needs a daily budget to be kept from".to_owned(),
    };
    Err(Error::Config {
        setting: setting.to_owned(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reserve_must_leave_part_of_the_budget() {
        let builder = || {
            Client::builder()
                .base_url("https://x.api.gong.io")
                .bearer_token("t")
        };
        for bad in [
            builder().daily_budget(100).daily_reserve(100),
            builder().daily_budget(None).daily_reserve(1),
        ] {
            let err = bad.build().unwrap_err();
            assert!(
                matches!(err, Error::Config { ref setting, .. } if setting == "daily_reserve"),
                "{err:?}"
            );
        }
        builder()
            .daily_budget(100)
            .daily_reserve(99)
            .build()
            .unwrap();
        // Turning pacing off drops the reserve too.
        builder().daily_reserve(5).unpaced().build().unwrap();
        // The reserve survives a later change of the rate.
        let err = builder()
            .daily_budget(10)
            .daily_reserve(10)
            .rate_limit(1.0)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
    }

    #[test]
    fn chunk_sizes_cannot_exceed_gong_limits() {
        let err = Client::builder()
            .base_url("https://x.api.gong.io")
            .bearer_token("t")
            .chunk_sizes(ChunkSizes::default().with_assign(201))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { ref setting, .. } if setting == "chunk size assign"));
    }

    #[test]
    fn debug_is_short_and_never_shows_secrets() {
        let client = Client::builder()
            .base_url("https://x.api.gong.io")
            .basic_auth("KEY123", "TOPSECRET")
            .daily_reserve(1_234)
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(
            shown.starts_with(
                "Client { base_url: \"https://x.api.gong.io\", auth: \"basic\", retry: RetryPolicy {"
            ),
            "{shown}"
        );
        assert!(shown.ends_with(", .. }"), "{shown}");
        // Neither the secret nor the access key; no pacer state.
        for hidden in ["TOPSECRET", "KEY123", "1234", "Pacer", "budget"] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
        assert!(shown.len() < 400, "{shown}");
        let bearer = Client::builder()
            .base_url("https://x.api.gong.io")
            .bearer_token("TOKENVALUE")
            .build()
            .unwrap();
        let shown = format!("{bearer:?}");
        assert!(shown.contains("auth: \"bearer\""), "{shown}");
        assert!(!shown.contains("TOKENVALUE"), "{shown}");
    }
}
