//! The one error type that crosses the public boundary.

use std::fmt;
use std::time::{Duration, SystemTime};

/// What Gong said when it refused a call: the HTTP status, its `requestId`
/// and its `errors[]` messages.
///
/// Gong has no machine-readable error code; the messages are all there is.
/// The `requestId` is what Gong's support asks for.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> gong_flows::Result<()> {
/// # use gong_flows_sim::{dataset, SimConfig, Simulator, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
/// # let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
/// # let client = gong_flows::Client::builder()
/// #     .base_url(sim.base_url())
/// #     .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
/// #     .unpaced()
/// #     .build()?;
/// # let (flow, owner) = (dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL);
/// # let _ = (client, flow);
/// // A whole call refused: its ApiError says what Gong said.
/// let bad = gong_flows::Client::builder()
///     .base_url(sim.base_url())
///     .basic_auth("wrong-key", "wrong-secret")
///     .build()?;
/// let err = bad.list_flows(owner).send().await.unwrap_err();
/// let api = err.api().expect("Gong answered");
/// assert_eq!(api.status, 401);
/// assert_eq!(api.operation, "listFlows");
/// assert!(api.request_id.is_some(), "what Gong's support asks for");
/// println!("{:?}", api.errors);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The operation (Gong's operationId) that failed, e.g. `assignProspects`.
    pub operation: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// Gong's reference for the request (the body's `requestId`; the
    /// `x-traceid` header when the body has none).
    pub request_id: Option<String>,
    /// The `x-traceid` header, when it differs from `request_id` (seen in
    /// Gong's traffic): Gong's support may ask for either. (Boxed, to keep
    /// [`Error`] small.)
    pub trace_id: Option<Box<str>>,
    /// Gong's error messages, as sent.
    pub errors: Vec<String>,
}

impl ApiError {
    /// Gong's messages with the request id, for a per-item refusal.
    pub(crate) fn refusal(&self) -> String {
        let mut text = if self.errors.is_empty() {
            "refused by Gong".to_owned()
        } else {
            self.errors.join("; ")
        };
        if let Some(id) = &self.request_id {
            text.push_str(&format!(" (request id {id}"));
            if let Some(trace) = &self.trace_id {
                text.push_str(&format!(", trace id {trace}"));
            }
            text.push(')');
        }
        text
    }

    /// The same answer, with the `x-traceid` that came with it (kept only
    /// when it differs from the request id).
    ///
    /// ```
    /// let api = gong_flows::ApiError::new("listFlows", 500, Some("r1"), ["oops"]).with_trace_id("t9");
    /// assert_eq!(api.to_string(), "listFlows answered 500: oops (request id r1, trace id t9)");
    /// ```
    pub fn with_trace_id(mut self, trace_id: impl Into<String>) -> Self {
        let trace_id: String = trace_id.into();
        self.trace_id = (self.request_id.as_deref() != Some(trace_id.as_str()))
            .then(|| trace_id.into_boxed_str());
        self
    }
}

impl ApiError {
    /// What Gong said, without the request id:
    /// `OPERATION answered STATUS[: MESSAGE; MESSAGE…]`, on one line (line
    /// breaks in Gong's messages become spaces).
    ///
    /// ```
    /// let api = gong_flows::ApiError::new("assignProspects", 403, Some("r1"), ["Missing scope"]);
    /// assert_eq!(api.message().to_string(), "assignProspects answered 403: Missing scope");
    /// assert_eq!(api.to_string(), "assignProspects answered 403: Missing scope (request id r1)");
    /// ```
    pub fn message(&self) -> impl fmt::Display + '_ {
        Shown {
            what: What::Api(self),
            request_id: false,
        }
    }

    /// An answer of Gong's: for tests and [`Pacer`](crate::Pacer) or
    /// [`TokenProvider`](crate::TokenProvider) implementations that report one.
    pub fn new(
        operation: &'static str,
        status: u16,
        request_id: Option<&str>,
        errors: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            operation,
            status,
            request_id: request_id.map(str::to_owned),
            trace_id: None,
            errors: errors.into_iter().map(Into::into).collect(),
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, request_id: bool) -> fmt::Result {
        write!(f, "{} answered {}", self.operation, self.status)?;
        if !self.errors.is_empty() {
            f.write_str(": ")?;
            for (i, message) in self.errors.iter().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write_one_line(f, message)?;
            }
        }
        if request_id {
            write_request_id(f, self.request_id.as_deref(), self.trace_id.as_deref())?;
        }
        Ok(())
    }
}

/// `OPERATION answered STATUS[: MESSAGES][ (request id ID)]`: see
/// [`Error`]'s table. The request id is there exactly when Gong sent one;
/// [`ApiError::message`] leaves it out.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, true)
    }
}

/// A wall-clock time as people read it: `2026-12-03 04:12 UTC`.
fn clock_time(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(at)
        .format("%Y-%m-%d %H:%M UTC")
        .to_string()
}

/// A span as people read it: `45s`, `12m 5s`, `20h 58m`.
pub(crate) fn span(wait: Duration) -> String {
    let total = wait.as_secs();
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s}s"),
        _ => format!("{h}h {m}m"),
    }
}

/// ` (host HOST)`, when the host is known.
fn at_host(f: &mut fmt::Formatter<'_>, host: Option<&str>) -> fmt::Result {
    match host {
        Some(host) => write!(f, " (host {host})"),
        None => Ok(()),
    }
}

/// Text from outside (Gong's messages, a transport's report) on one line.
fn write_one_line(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    if !text.contains(['\n', '\r']) {
        return f.write_str(text);
    }
    for (i, part) in text
        .split(['\n', '\r'])
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        if i > 0 {
            f.write_str(" ")?;
        }
        f.write_str(part)?;
    }
    Ok(())
}

fn write_request_id(
    f: &mut fmt::Formatter<'_>,
    id: Option<&str>,
    trace: Option<&str>,
) -> fmt::Result {
    match (id, trace) {
        (Some(id), Some(trace)) => write!(f, " (request id {id}, trace id {trace})"),
        (Some(id), None) => write!(f, " (request id {id})"),
        (None, _) => Ok(()),
    }
}

enum What<'a> {
    Api(&'a ApiError),
    Error(&'a Error),
}

/// A `Display` with or without the request id.
struct Shown<'a> {
    what: What<'a>,
    request_id: bool,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.what {
            What::Api(api) => api.write(f, self.request_id),
            What::Error(error) => error.write(f, self.request_id),
        }
    }
}

/// Every failure of this crate.
///
/// Errors that come from an answer of Gong's carry an [`ApiError`] with the
/// status, Gong's `requestId` and its messages; [`Error::request_id`] reads it
/// whatever the variant. Two questions matter to a caller deciding what to do
/// next, and each has a method: [`Error::is_retryable`] (would the same call
/// later likely succeed?) and [`Error::may_have_been_sent`] (might Gong have
/// acted on the request, so that repeating a write could apply it twice?).
///
/// # What `Display` shows
///
/// One line, lower-case, no trailing period; Gong's messages and the
/// transport's report are kept as sent, their line breaks made spaces.
/// `API` is the [`ApiError`]: `OPERATION answered STATUS[: MESSAGE; …]`.
/// **Gong's request id** ends the line, as ` (request id ID)`, exactly when
/// Gong sent one (every variant built from an answer); it appears once, and
/// [`Error::without_request_id`] shows the same line without it, for logs
/// that record [`Error::request_id`] in a field of its own.
///
/// | variant | `Display` |
/// |---|---|
/// | `InvalidInput` | `invalid FIELD "VALUE": REASON` |
/// | `Config` | `configuration: SETTING REASON` |
/// | `Unauthorized` | `unauthorized: API (request id ID)` |
/// | `Forbidden` | `forbidden: API (request id ID)` |
/// | `NotFound` | `not found: API (request id ID)` |
/// | `BadRequest` | `bad request: API (request id ID)` |
/// | `RateLimited` | `rate limited, retry after SECONDSs: API (request id ID)` |
/// | `Server` | `server error: API (request id ID)` |
/// | `Timeout` | `OPERATION timed out[ (host HOST)]` |
/// | `Connection` | `OPERATION: connection failed: MESSAGE[ (host HOST)]` |
/// | `Decode` | `OPERATION: could not decode the answer (status STATUS): MESSAGE (request id ID)` |
/// | `DailyBudgetExhausted` | `daily budget of LIMIT calls is spent; calls free up from TIME (in DURATION)` |
/// | `PacerUnavailable` | `pacer unavailable: MESSAGE` |
/// | `Token` | `token provider failed: MESSAGE` |
/// | `TokenRefused` | `the OAuth refresh token was refused: MESSAGE` |
/// | `Cancelled` | `cancelled before it was sent` |
/// | `Aborted` | `abandoned in flight when the job was aborted; the outcome is unknown` |
/// | `Reported` | `MESSAGE` (the text a saved report recorded) |
/// | `OtherCompany` | `the report was made for REPORT, and this client works for CLIENT` |
/// | `OverQuota` | `the job needs up to NEEDED calls and LEFT are left of today's quota[; more free up from TIME]` |
/// | `SyncLocked` | `flow FLOW is being synced by another process[ (HOLDER)]` |
/// | `Store` | `sync state: MESSAGE` |
/// | `SyncGuard` | `the sync would remove REMOVALS of the MANAGED prospects it manages in flow FLOW, more than its limit of LIMIT: a truncated list? (raise the limit to go on)`, or for an empty list `the list is empty and the sync manages MANAGED prospects in flow FLOW: an empty export? (nothing removed; allow it with a removal limit)` |
///
/// Secrets never appear: no variant holds a credential or a token.
///
/// ```
/// use gong_flows::{ApiError, Error};
///
/// let err = Error::Forbidden(ApiError::new("assignProspects", 403, Some("7xq2"), ["Missing scope"]));
/// assert_eq!(err.to_string(), "forbidden: assignProspects answered 403: Missing scope (request id 7xq2)");
/// assert_eq!(err.without_request_id().to_string(), "forbidden: assignProspects answered 403: Missing scope");
/// assert_eq!(err.request_id(), Some("7xq2"));
///
/// let err = Error::InvalidInput {
///     field: "crm_prospect_ids",
///     value: " ".into(),
///     reason: "is empty or blank".into(),
/// };
/// assert!(!err.is_retryable());
/// assert!(!err.may_have_been_sent());
/// assert_eq!(err.request_id(), None);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// An input was rejected before anything was sent.
    InvalidInput {
        /// The input that was rejected (a builder method's name).
        field: &'static str,
        /// The offending value.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The client configuration is missing or malformed.
    Config {
        /// The setting or environment variable at fault.
        setting: String,
        /// What is wrong with it.
        reason: String,
    },
    /// 401: the credentials are missing, wrong or expired.
    Unauthorized(ApiError),
    /// 403: the credentials lack a scope, or the company lacks a Gong Engage licence.
    Forbidden(ApiError),
    /// 404: the flow (or bulk assignment job) does not exist.
    NotFound(ApiError),
    /// 400 or another 4xx: Gong rejected the request as malformed.
    BadRequest(ApiError),
    /// 429: over Gong's rate limit, and waiting was not possible: the
    /// `Retry-After` exceeded the retry policy's cap, the pacer's next slot
    /// or pause lay beyond what the call may wait, or the attempts ran out.
    ///
    /// When the wait is longer than the retry policy waits by itself,
    /// `until` says when it ends and [`Error::is_retryable`] is `false`:
    /// every call of the same client fails at once until then, so a retry
    /// loop must sleep until `until` (or [`Error::retry_at`]) rather than
    /// try again at once.
    ///
    /// ```no_run
    /// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
    /// use gong_flows::Error;
    ///
    /// loop {
    ///     match client.list_flows("owner@example.com").send().await {
    ///         Err(Error::RateLimited { until: Some(until), .. }) => {
    ///             // A long Retry-After: wait it out, then go on.
    ///             let wait = until.duration_since(std::time::SystemTime::now()).unwrap_or_default();
    ///             tokio::time::sleep(wait).await;
    ///         }
    ///         other => break other.map(drop),
    ///     }
    /// }
    /// # }
    /// ```
    RateLimited {
        /// How long Gong asked to wait (or the pacer must wait).
        retry_after: Duration,
        /// The 429 answer.
        api: ApiError,
        /// When the wait ends, on this machine's clock: set when the wait
        /// is longer than the retry policy waits by itself (the error is
        /// then not retryable at once), `None` for a 429 whose attempts ran
        /// out within the policy.
        until: Option<SystemTime>,
    },
    /// 5xx: Gong failed (after any retries the policy allowed).
    Server(ApiError),
    /// No answer within the per-request timeout.
    Timeout {
        /// The operation that timed out.
        operation: &'static str,
        /// The host (and port) it was sent to, when known: never the URL's
        /// path or query.
        host: Option<String>,
    },
    /// The connection failed.
    Connection {
        /// The operation whose connection failed.
        operation: &'static str,
        /// Whether the request may have reached Gong before the failure.
        may_have_been_sent: bool,
        /// What the transport reported.
        message: String,
        /// The host (and port) it tried to reach, when known: never the
        /// URL's path or query.
        host: Option<String>,
    },
    /// An answer could not be read: malformed JSON, an unexpected shape, or
    /// a body over the size limit.
    Decode {
        /// The operation whose answer failed to decode.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: u16,
        /// Gong's request id, when the headers carried one.
        request_id: Option<String>,
        /// What went wrong.
        message: String,
    },
    /// The client's daily call budget is spent; no call was made.
    ///
    /// The budget counts calls over a rolling 24-hour window, so it does not
    /// renew all at once: `resets_in` and `resets_at` say when the next call
    /// is allowed (when the oldest calls leave the window, or when the daily
    /// reset Gong announced arrives).
    DailyBudgetExhausted {
        /// The calls the pacer may spend in 24 hours: the daily limit less
        /// the reserve kept for the company's other integrations.
        limit: u32,
        /// Time until the next call is allowed.
        resets_in: Duration,
        /// When the next call is allowed, on this machine's clock.
        resets_at: SystemTime,
    },
    /// The shared pacer's store (e.g. Redis) could not be reached, and its
    /// policy is to fail rather than pace locally; no call was made.
    PacerUnavailable {
        /// What the store's client reported.
        message: String,
    },
    /// The [`TokenProvider`](crate::TokenProvider) failed to supply a token.
    Token {
        /// What the provider reported.
        message: String,
    },
    /// The OAuth token endpoint refused the refresh token (revoked, already
    /// used: `invalid_grant`) or the app's credentials: no token can be had
    /// until the customer authorises the app again. It stops a job at once
    /// and is never retried ([`OAuth`](crate::OAuth)).
    ///
    /// ```
    /// let err = gong_flows::Error::TokenRefused { message: "invalid_grant".into() };
    /// assert_eq!(err.kind(), "token-refused");
    /// assert!(!err.is_retryable());
    /// ```
    TokenRefused {
        /// What the endpoint said: its status and OAuth error code (never a
        /// secret).
        message: String,
    },
    /// The job was cancelled ([`JobHandle::cancel`](crate::JobHandle::cancel))
    /// before this was sent: Gong never saw it.
    Cancelled,
    /// The job was aborted ([`JobHandle::abort`](crate::JobHandle::abort))
    /// while this was in flight; whether Gong acted on it is unknown.
    Aborted,
    /// An error read back from a saved report: only its text survives.
    Reported {
        /// The error's text, as the report recorded it.
        message: String,
    },
    /// A job needs more calls than are left of today's quota (less the
    /// reserve), and the client's [`OverQuota`](crate::OverQuota) policy
    /// is to refuse it whole: nothing was sent.
    OverQuota {
        /// The calls the job takes at most when nothing fails (its plan).
        needed: usize,
        /// The calls left now.
        left: u32,
        /// When calls free up again (the oldest of the last 24 hours leave
        /// the window), on this machine's clock.
        resets_at: Option<SystemTime>,
    },
    /// A saved report of one company was to be resumed with a client of
    /// another (another Gong host, or other credentials); nothing was sent.
    /// Both are named by host and a fingerprint, never a secret.
    OtherCompany {
        /// The report's company ([`Company`](crate::Company) as text).
        report: String,
        /// The client's company.
        client: String,
    },
    /// Another process (or another task of this one) holds the flow's sync
    /// lock ([`SyncStore::lock`](crate::SyncStore::lock)); nothing was done.
    SyncLocked {
        /// The flow whose lock is held.
        flow_id: String,
        /// Who holds it, when the store knows (e.g. `pid 4242 on host-a`):
        /// never a secret.
        holder: Option<String>,
    },
    /// A sync's state store ([`SyncStore`](crate::SyncStore)) failed: its
    /// file or server could not be read or written, or holds data this
    /// version cannot read.
    Store {
        /// What went wrong, naming the store (never with a password).
        message: String,
    },
    /// A sync's plan removes more of the prospects it manages than its
    /// limit allows (default 10 %), or its list is empty while it manages
    /// some: a truncated or empty export must not empty a flow. Nothing
    /// was sent. Raise the limit with
    /// [`SyncFlow::max_removals`](crate::SyncFlow::max_removals).
    SyncGuard {
        /// The flow.
        flow_id: String,
        /// Prospects the plan would remove.
        removals: usize,
        /// Prospects the sync managed before the run.
        managed: usize,
        /// The most removals allowed.
        limit: usize,
        /// Whether the list was empty.
        empty_list: bool,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, true)
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The `Display` line without Gong's request id (see the table above),
    /// for logs that record [`Error::request_id`] in a field of its own.
    ///
    /// ```
    /// # use gong_flows::{ApiError, Error};
    /// # let err = Error::Server(ApiError::new("listFlows", 500, Some("r9"), ["oops"]));
    /// tracing::warn!(request_id = err.request_id(), "{}", err.without_request_id());
    /// ```
    pub fn without_request_id(&self) -> impl fmt::Display + '_ {
        Shown {
            what: What::Error(self),
            request_id: false,
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, request_id: bool) -> fmt::Result {
        let api = |f: &mut fmt::Formatter<'_>, label: &str, api: &ApiError| {
            f.write_str(label)?;
            api.write(f, request_id)
        };
        match self {
            Error::InvalidInput {
                field,
                value,
                reason,
            } => write!(f, "invalid {field} {value:?}: {reason}"),
            Error::Config { setting, reason } => write!(f, "configuration: {setting} {reason}"),
            Error::Unauthorized(a) => api(f, "unauthorized: ", a),
            Error::Forbidden(a) => api(f, "forbidden: ", a),
            Error::NotFound(a) => api(f, "not found: ", a),
            Error::BadRequest(a) => api(f, "bad request: ", a),
            Error::RateLimited {
                retry_after,
                api: a,
                ..
            } => {
                let label = format!("rate limited, retry after {}s: ", retry_after.as_secs());
                api(f, &label, a)
            }
            Error::Server(a) => api(f, "server error: ", a),
            Error::Timeout { operation, host } => {
                write!(f, "{operation} timed out")?;
                at_host(f, host.as_deref())
            }
            Error::Connection {
                operation,
                message,
                host,
                ..
            } => {
                write!(f, "{operation}: connection failed: ")?;
                write_one_line(f, message)?;
                at_host(f, host.as_deref())
            }
            Error::Decode {
                operation,
                status,
                request_id: id,
                message,
            } => {
                write!(
                    f,
                    "{operation}: could not decode the answer (status {status}): "
                )?;
                write_one_line(f, message)?;
                if request_id {
                    write_request_id(f, id.as_deref(), None)?;
                }
                Ok(())
            }
            Error::DailyBudgetExhausted {
                limit,
                resets_in,
                resets_at,
            } => write!(
                f,
                "daily budget of {limit} calls is spent; calls free up from {} (in {})",
                clock_time(*resets_at),
                span(*resets_in)
            ),
            Error::OverQuota {
                needed,
                left,
                resets_at,
            } => {
                write!(
                    f,
                    "the job needs up to {needed} calls and {left} are left of today's quota"
                )?;
                match resets_at {
                    Some(at) => write!(f, "; more free up from {}", clock_time(*at)),
                    None => Ok(()),
                }
            }
            Error::Token { message } => {
                f.write_str("token provider failed: ")?;
                write_one_line(f, message)
            }
            Error::TokenRefused { message } => {
                f.write_str("the OAuth refresh token was refused: ")?;
                write_one_line(f, message)
            }
            Error::PacerUnavailable { message } => {
                f.write_str("pacer unavailable: ")?;
                write_one_line(f, message)
            }
            Error::Cancelled => f.write_str("cancelled before it was sent"),
            Error::Aborted => {
                f.write_str("abandoned in flight when the job was aborted; the outcome is unknown")
            }
            Error::Reported { message } => write_one_line(f, message),
            Error::OtherCompany { report, client } => write!(
                f,
                "the report was made for {report}, and this client works for {client}"
            ),
            Error::SyncLocked { flow_id, holder } => {
                write!(f, "flow {flow_id} is being synced by another process")?;
                match holder {
                    Some(holder) => {
                        f.write_str(" (")?;
                        write_one_line(f, holder)?;
                        f.write_str(")")
                    }
                    None => Ok(()),
                }
            }
            Error::Store { message } => {
                f.write_str("sync state: ")?;
                write_one_line(f, message)
            }
            Error::SyncGuard {
                flow_id,
                managed,
                empty_list: true,
                ..
            } => write!(
                f,
                "the list is empty and the sync manages {managed} prospects in flow {flow_id}: \
                 an empty export? (nothing removed; allow it with a removal limit)"
            ),
            Error::SyncGuard {
                flow_id,
                removals,
                managed,
                limit,
                ..
            } => write!(
                f,
                "the sync would remove {removals} of the {managed} prospects it manages in flow \
                 {flow_id}, more than its limit of {limit}: a truncated list? (raise the limit to go on)"
            ),
        }
    }

    /// One word for the kind of error, for logs and machine-readable output
    /// (`invalid-input`, `config`, `unauthorized`, `forbidden`, `not-found`,
    /// `bad-request`, `rate-limited`, `server`, `timeout`, `connection`,
    /// `decode`, `daily-budget`, `over-quota`, `pacer-unavailable`, `token`,
    /// `token-refused`, `cancelled`, `aborted`, `reported`, `other-company`, `sync-locked`,
    /// `store`, `sync-guard`). Stable across releases; a new variant brings a new word.
    ///
    /// ```
    /// assert_eq!(gong_flows::Error::Cancelled.kind(), "cancelled");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid-input",
            Error::Config { .. } => "config",
            Error::Unauthorized(_) => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not-found",
            Error::BadRequest(_) => "bad-request",
            Error::RateLimited { .. } => "rate-limited",
            Error::Server(_) => "server",
            Error::Timeout { .. } => "timeout",
            Error::Connection { .. } => "connection",
            Error::Decode { .. } => "decode",
            Error::DailyBudgetExhausted { .. } => "daily-budget",
            Error::OverQuota { .. } => "over-quota",
            Error::PacerUnavailable { .. } => "pacer-unavailable",
            Error::Token { .. } => "token",
            Error::TokenRefused { .. } => "token-refused",
            Error::Cancelled => "cancelled",
            Error::Aborted => "aborted",
            Error::Reported { .. } => "reported",
            Error::OtherCompany { .. } => "other-company",
            Error::SyncLocked { .. } => "sync-locked",
            Error::Store { .. } => "store",
            Error::SyncGuard { .. } => "sync-guard",
        }
    }

    /// Gong's `requestId` of the answer behind this error, if there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => self.api().and_then(|api| api.request_id.as_deref()),
        }
    }

    /// The HTTP status of the answer behind this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            _ => self.api().map(|api| api.status),
        }
    }

    /// Gong's answer behind this error, if the error came from one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Unauthorized(api)
            | Error::Forbidden(api)
            | Error::NotFound(api)
            | Error::BadRequest(api)
            | Error::Server(api)
            | Error::RateLimited { api, .. } => Some(api),
            _ => None,
        }
    }

    /// Whether the same call, made again soon, could succeed: rate limits
    /// within what the retry policy waits, server errors, timeouts,
    /// connection failures and unreadable answers. Input, configuration and
    /// permission errors are not retryable, nor is a spent daily budget or
    /// a rate limit whose wait is longer than the retry policy waits (a
    /// [`RateLimited`](Error::RateLimited) with `until`): calls fail at once
    /// until [`retry_at`](Error::retry_at), so retrying sooner only spins.
    ///
    /// ```
    /// use gong_flows::{ApiError, Error};
    /// use std::time::{Duration, SystemTime};
    ///
    /// let api = ApiError::new("listFlows", 429, None, ["limit"]);
    /// let soon = Error::RateLimited { retry_after: Duration::from_secs(2), api: api.clone(), until: None };
    /// assert!(soon.is_retryable());
    /// let wait = Duration::from_secs(20 * 3600);
    /// let long = Error::RateLimited { retry_after: wait, api, until: Some(SystemTime::now() + wait) };
    /// assert!(!long.is_retryable());
    /// assert!(long.retry_at().is_some());
    /// ```
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { until: None, .. }
                | Error::Server(_)
                | Error::Timeout { .. }
                | Error::Connection { .. }
                | Error::Decode { .. }
                | Error::PacerUnavailable { .. }
        )
    }

    /// When a call may be tried again, on this machine's clock, for a wait
    /// longer than the retry policy waits: the end of a long pause
    /// ([`RateLimited`](Error::RateLimited)'s `until`) or when a spent daily
    /// budget frees a call ([`DailyBudgetExhausted`](Error::DailyBudgetExhausted)'s
    /// `resets_at`, and [`OverQuota`](Error::OverQuota)'s, when it knows).
    /// `None` for every other error.
    pub fn retry_at(&self) -> Option<SystemTime> {
        match self {
            Error::RateLimited { until, .. } => *until,
            Error::DailyBudgetExhausted { resets_at, .. } => Some(*resets_at),
            Error::OverQuota { resets_at, .. } => *resets_at,
            _ => None,
        }
    }

    /// When calls free up ([`retry_at`](Self::retry_at)), for a person: in
    /// this machine's local time and in UTC, e.g. `calls free up at
    /// 2026-12-03 14:05 CET local time (13:05 UTC)`. `None` for errors
    /// that do not say.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    ///
    /// let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    /// let spent = gong_flows::Error::OverQuota { needed: 9, left: 0, resets_at: Some(at) };
    /// let text = spent.retry_at_local().unwrap();
    /// assert!(text.starts_with("calls free up at 20"), "{text}");
    /// assert!(text.ends_with(" local time (08:00 UTC)"), "{text}");
    /// assert_eq!(gong_flows::Error::Cancelled.retry_at_local(), None);
    /// ```
    pub fn retry_at_local(&self) -> Option<String> {
        let at = self.retry_at()?;
        let local = chrono::DateTime::<chrono::Local>::from(at);
        let utc = chrono::DateTime::<chrono::Utc>::from(at);
        Some(format!(
            "calls free up at {} local time ({} UTC)",
            local.format("%Y-%m-%d %H:%M %Z"),
            utc.format("%H:%M")
        ))
    }

    /// The error on one line, for a person: its `Display` without line
    /// breaks, and Gong's request id when the message does not already
    /// carry it (the id Gong's support asks for).
    ///
    /// ```
    /// use gong_flows::{ApiError, Error};
    ///
    /// let api = ApiError::new("assignProspects", 500, Some("abc123"), ["nope"]);
    /// let line = Error::Server(api).one_line();
    /// assert_eq!(line.matches("abc123").count(), 1, "{line}");
    /// let decode = Error::Decode {
    ///     operation: "listFlows",
    ///     status: 200,
    ///     request_id: Some("r-9".into()),
    ///     message: "bad\njson".into(),
    /// };
    /// let line = decode.one_line();
    /// assert!(line.contains("r-9") && !line.contains('\n'), "{line}");
    /// ```
    pub fn one_line(&self) -> String {
        let text = self.to_string().replace(['\n', '\r'], " ");
        match self.request_id() {
            Some(id) if !text.contains(id) => format!("{text} (request id {id})"),
            _ => text,
        }
    }

    /// Whether Gong may have acted on the request. `false` only when it
    /// surely did not: the input was refused locally, the connection was
    /// never made, or Gong answered with an error that means "not processed"
    /// (4xx, including 429). A 5xx, a timeout, a dropped connection or an
    /// unreadable answer may follow a request Gong applied.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Server(_) | Error::Timeout { .. } | Error::Decode { .. } | Error::Aborted => {
                true
            }
            Error::Connection {
                may_have_been_sent, ..
            } => *may_have_been_sent,
            _ => false,
        }
    }

    /// Whether this error ends a bulk job at once: no later call could
    /// succeed (bad credentials, missing permission, unknown flow, spent
    /// budget). Any other failure that leaves inputs not attempted also
    /// stops the job, once the chunk it hit is over.
    pub(crate) fn is_fatal(&self) -> bool {
        matches!(
            self,
            Error::Unauthorized(_)
                | Error::Forbidden(_)
                | Error::NotFound(_)
                | Error::DailyBudgetExhausted { .. }
                | Error::Token { .. }
                | Error::TokenRefused { .. }
                | Error::Config { .. }
                | Error::PacerUnavailable { .. }
        )
    }

    pub(crate) fn invalid(field: &'static str, value: impl Into<String>, reason: &str) -> Self {
        Error::InvalidInput {
            field,
            value: value.into(),
            reason: reason.to_owned(),
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, id: Option<&str>) -> ApiError {
        ApiError::new("assignProspects", status, id, ["first", "second\nline"])
    }

    /// Every variant, with the line `Display` promises (see [`Error`]).
    fn every_variant() -> Vec<(Error, &'static str)> {
        let id = Some("req-1");
        vec![
            (
                Error::InvalidInput {
                    field: "owner_email",
                    value: "x y".into(),
                    reason: "is not an email address".into(),
                },
                "invalid owner_email \"x y\": is not an email address",
            ),
            (
                Error::Config {
                    setting: "GONG_BASE_URL".into(),
                    reason: "is not set".into(),
                },
                "configuration: GONG_BASE_URL is not set",
            ),
            (
                Error::Unauthorized(api(401, id)),
                "unauthorized: assignProspects answered 401: first; second line (request id req-1)",
            ),
            (
                Error::Forbidden(api(403, id)),
                "forbidden: assignProspects answered 403: first; second line (request id req-1)",
            ),
            (
                Error::NotFound(api(404, id)),
                "not found: assignProspects answered 404: first; second line (request id req-1)",
            ),
            (
                Error::BadRequest(api(400, id)),
                "bad request: assignProspects answered 400: first; second line (request id req-1)",
            ),
            (
                Error::RateLimited {
                    retry_after: Duration::from_secs(30),
                    api: api(429, id),
                    until: None,
                },
                "rate limited, retry after 30s: assignProspects answered 429: first; second line (request id req-1)",
            ),
            (
                Error::Server(api(500, id)),
                "server error: assignProspects answered 500: first; second line (request id req-1)",
            ),
            (
                Error::Timeout {
                    operation: "listFlows",
                    host: None,
                },
                "listFlows timed out",
            ),
            (
                Error::Timeout {
                    operation: "listFlows",
                    host: Some("us-55616.api.gong.io".into()),
                },
                "listFlows timed out (host us-55616.api.gong.io)",
            ),
            (
                Error::Connection {
                    operation: "listFlows",
                    may_have_been_sent: false,
                    message: "connection refused\r\n(os error 111)".into(),
                    host: Some("127.0.0.1:9".into()),
                },
                "listFlows: connection failed: connection refused (os error 111) (host 127.0.0.1:9)",
            ),
            (
                Error::Decode {
                    operation: "listFlows",
                    status: 200,
                    request_id: Some("req-1".into()),
                    message: "expected value".into(),
                },
                "listFlows: could not decode the answer (status 200): expected value (request id req-1)",
            ),
            (
                Error::DailyBudgetExhausted {
                    limit: 10_000,
                    resets_in: Duration::from_secs(3600),
                    resets_at: SystemTime::UNIX_EPOCH,
                },
                "daily budget of 10000 calls is spent; calls free up from 1970-01-01 00:00 UTC (in 1h 0m)",
            ),
            (
                Error::OverQuota {
                    needed: 120,
                    left: 40,
                    resets_at: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(90_000)),
                },
                "the job needs up to 120 calls and 40 are left of today's quota; more free up from 1970-01-02 01:00 UTC",
            ),
            (
                Error::OtherCompany {
                    report: "a.api.gong.io#0123456789abcdef".into(),
                    client: "b.api.gong.io#fedcba9876543210".into(),
                },
                "the report was made for a.api.gong.io#0123456789abcdef, and this client works for b.api.gong.io#fedcba9876543210",
            ),
            (
                Error::Token {
                    message: "vault unreachable".into(),
                },
                "token provider failed: vault unreachable",
            ),
            (
                Error::TokenRefused {
                    message: "generateCustomerToken answered 400: invalid_grant".into(),
                },
                "the OAuth refresh token was refused: generateCustomerToken answered 400: invalid_grant",
            ),
            (
                Error::SyncLocked {
                    flow_id: "1695493301223590792".into(),
                    holder: Some("pid 4242 on host-a".into()),
                },
                "flow 1695493301223590792 is being synced by another process (pid 4242 on host-a)",
            ),
            (
                Error::SyncLocked {
                    flow_id: "17".into(),
                    holder: None,
                },
                "flow 17 is being synced by another process",
            ),
            (
                Error::Store {
                    message: "sqlite:/var/lib/sync.db: disk I/O error".into(),
                },
                "sync state: sqlite:/var/lib/sync.db: disk I/O error",
            ),
            (
                Error::SyncGuard {
                    flow_id: "17".into(),
                    removals: 200,
                    managed: 1000,
                    limit: 100,
                    empty_list: false,
                },
                "the sync would remove 200 of the 1000 prospects it manages in flow 17, more than \
                 its limit of 100: a truncated list? (raise the limit to go on)",
            ),
            (
                Error::SyncGuard {
                    flow_id: "17".into(),
                    removals: 1000,
                    managed: 1000,
                    limit: 100,
                    empty_list: true,
                },
                "the list is empty and the sync manages 1000 prospects in flow 17: an empty \
                 export? (nothing removed; allow it with a removal limit)",
            ),
        ]
    }

    #[test]
    fn display_of_every_variant_is_as_documented() {
        for (error, expected) in every_variant() {
            assert_eq!(error.to_string(), expected, "{error:?}");
            assert!(!error.to_string().contains('\n'), "one line: {error}");
        }
    }

    #[test]
    fn sync_errors_are_neither_retryable_nor_sent() {
        for error in [
            Error::SyncLocked {
                flow_id: "17".into(),
                holder: None,
            },
            Error::Store {
                message: "x".into(),
            },
        ] {
            assert!(!error.is_retryable(), "{error}");
            assert!(!error.may_have_been_sent(), "{error}");
            assert_eq!(error.request_id(), None);
            assert_eq!(error.status(), None);
        }
    }

    #[test]
    fn the_request_id_appears_once_and_only_when_gong_sent_one() {
        for (error, _) in every_variant() {
            let shown = error.to_string();
            let bare = error.without_request_id().to_string();
            match error.request_id() {
                Some(id) => {
                    assert_eq!(shown.matches(id).count(), 1, "{shown}");
                    assert_eq!(shown, format!("{bare} (request id {id})"));
                    assert!(!bare.contains(id), "{bare}");
                }
                None => assert_eq!(shown, bare),
            }
        }
        // No request id: no suffix at all, rather than a placeholder.
        let error = Error::Server(api(503, None));
        assert_eq!(
            error.to_string(),
            "server error: assignProspects answered 503: first; second line"
        );
        let error = Error::Decode {
            operation: "listFlows",
            status: 502,
            request_id: None,
            message: "not JSON".into(),
        };
        assert_eq!(
            error.to_string(),
            "listFlows: could not decode the answer (status 502): not JSON"
        );
    }

    #[test]
    fn api_errors_without_messages() {
        let api = ApiError::new("listFlows", 401, Some("r"), Vec::<String>::new());
        assert_eq!(api.to_string(), "listFlows answered 401 (request id r)");
        assert_eq!(api.message().to_string(), "listFlows answered 401");
    }
}
