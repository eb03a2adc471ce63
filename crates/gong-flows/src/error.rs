//! The one error type that crosses the public boundary.

use std::fmt;
use std::time::Duration;

/// What Gong said when it refused a call: the HTTP status, its `requestId`
/// and its `errors[]` messages.
///
/// Gong has no machine-readable error code; the messages are all there is.
/// The `requestId` is what Gong's support asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The operation (Gong's operationId) that failed, e.g. `assignProspects`.
    pub operation: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// Gong's reference for the request (`requestId`, also the `x-traceid` header).
    pub request_id: Option<String>,
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
            text.push_str(&format!(" (request id {id})"));
        }
        text
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.operation, self.status)?;
        if !self.errors.is_empty() {
            write!(f, ": {}", self.errors.join("; "))?;
        }
        match &self.request_id {
            Some(id) => write!(f, " (request id {id})"),
            None => write!(f, " (no request id)"),
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
/// ```
/// use gong_flows::Error;
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
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input was rejected before anything was sent.
    #[error("invalid {field} {value:?}: {reason}")]
    InvalidInput {
        /// The input that was rejected (a builder method's name).
        field: &'static str,
        /// The offending value.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The client configuration is missing or malformed.
    #[error("configuration: {setting} {reason}")]
    Config {
        /// The setting or environment variable at fault.
        setting: String,
        /// What is wrong with it.
        reason: String,
    },
    /// 401: the credentials are missing, wrong or expired.
    #[error("unauthorized: {0}")]
    Unauthorized(ApiError),
    /// 403: the credentials lack a scope, or the company lacks a Gong Engage licence.
    #[error("forbidden: {0}")]
    Forbidden(ApiError),
    /// 404: the flow (or bulk assignment job) does not exist.
    #[error("not found: {0}")]
    NotFound(ApiError),
    /// 400 or another 4xx: Gong rejected the request as malformed.
    #[error("bad request: {0}")]
    BadRequest(ApiError),
    /// 429: over Gong's rate limit, and waiting was not possible: the
    /// `Retry-After` exceeded the retry policy's cap, or the attempts ran out.
    #[error("rate limited, retry after {}s: {api}", retry_after.as_secs())]
    RateLimited {
        /// How long Gong asked to wait.
        retry_after: Duration,
        /// The 429 answer.
        api: ApiError,
    },
    /// 5xx: Gong failed (after any retries the policy allowed).
    #[error("server error: {0}")]
    Server(ApiError),
    /// No answer within the per-request timeout.
    #[error("{operation} timed out")]
    Timeout {
        /// The operation that timed out.
        operation: &'static str,
    },
    /// The connection failed.
    #[error("{operation}: connection failed: {message}")]
    Connection {
        /// The operation whose connection failed.
        operation: &'static str,
        /// Whether the request may have reached Gong before the failure.
        may_have_been_sent: bool,
        /// What the transport reported.
        message: String,
    },
    /// An answer could not be read: malformed JSON, an unexpected shape, or
    /// a body over the size limit.
    #[error("{operation}: could not decode the answer (status {status}): {message}{}", request_id_suffix(.request_id))]
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
    #[error("daily budget of {limit} calls is spent; it renews in {}s", resets_in.as_secs())]
    DailyBudgetExhausted {
        /// The configured budget.
        limit: u32,
        /// Time until the budget renews.
        resets_in: Duration,
    },
    /// The shared pacer's store (e.g. Redis) could not be reached, and its
    /// policy is to fail rather than pace locally; no call was made.
    #[error("pacer unavailable: {message}")]
    PacerUnavailable {
        /// What the store's client reported.
        message: String,
    },
    /// The [`TokenProvider`](crate::TokenProvider) failed to supply a token.
    #[error("token provider failed: {message}")]
    Token {
        /// What the provider reported.
        message: String,
    },
}

fn request_id_suffix(id: &Option<String>) -> String {
    id.as_ref()
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

impl Error {
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

    /// Whether the same call, made again later, could succeed: rate limits,
    /// server errors, timeouts, connection failures and unreadable answers.
    /// Input, configuration and permission errors are not retryable.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. }
                | Error::Server(_)
                | Error::Timeout { .. }
                | Error::Connection { .. }
                | Error::Decode { .. }
                | Error::PacerUnavailable { .. }
        )
    }

    /// Whether Gong may have acted on the request. `false` only when it
    /// surely did not: the input was refused locally, the connection was
    /// never made, or Gong answered with an error that means "not processed"
    /// (4xx, including 429). A 5xx, a timeout, a dropped connection or an
    /// unreadable answer may follow a request Gong applied.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Server(_) | Error::Timeout { .. } | Error::Decode { .. } => true,
            Error::Connection {
                may_have_been_sent, ..
            } => *may_have_been_sent,
            _ => false,
        }
    }

    /// Whether this error ends a bulk job: no later call could succeed
    /// (bad credentials, missing permission, unknown flow, spent budget).
    pub(crate) fn is_fatal(&self) -> bool {
        matches!(
            self,
            Error::Unauthorized(_)
                | Error::Forbidden(_)
                | Error::NotFound(_)
                | Error::DailyBudgetExhausted { .. }
                | Error::Token { .. }
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
