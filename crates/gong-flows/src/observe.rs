//! Watching every HTTP attempt and every job: the [`Observer`] hook, for
//! metrics and audit logs.
//!
//! The hook lives in the SDK's one call loop because only there are the
//! operation, the retry number, the pacer's wait and the retry decision all
//! known: a `reqwest` or `tower` middleware sees a request but not which of
//! Gong's operations it is, whether it is a retry, or whether the loop will
//! try again; progenitor 0.15's own hooks (`pre`/`exec`/`post` of
//! `ClientHooks`) see one request and its answer, also without either. The
//! style is that of aws-sdk-rust's interceptors, cut down to reading:
//! an observer is told, never asked, and cannot change a call.
//!
//! ```
//! use gong_flows::{Attempt, Observer};
//! use std::sync::atomic::{AtomicU32, Ordering};
//! use std::sync::Arc;
//!
//! #[derive(Debug, Default)]
//! struct CountRetries(AtomicU32);
//!
//! impl Observer for CountRetries {
//!     fn on_attempt(&self, attempt: &Attempt<'_>) {
//!         if attempt.will_retry {
//!             self.0.fetch_add(1, Ordering::Relaxed);
//!         }
//!     }
//! }
//!
//! let retries = Arc::new(CountRetries::default());
//! let client = gong_flows::Client::builder()
//!     .base_url("https://us-55616.api.gong.io")
//!     .bearer_token("TOKEN")
//!     .observe(retries.clone())
//!     .build()?;
//! # let _ = client;
//! # Ok::<(), gong_flows::Error>(())
//! ```

use crate::control::Progress;
use crate::error::Error;
use crate::pacing::{Budget, QuotaHint};
use gong_flows_api::operation_ids as ops;
use std::borrow::Cow;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

/// Told of every HTTP attempt a [`Client`](crate::Client) makes (retries,
/// look-ups and the calls of every job included) and of every job's start,
/// parts and end. Set with
/// [`ClientBuilder::observe`](crate::ClientBuilder::observe); several may
/// be set, and each is told in the order they were set.
///
/// What an observer is given never holds a secret: no header is passed on
/// (the `Authorization` header least of all), and the URL is the base URL
/// and the operation's path, without its query.
///
/// The methods run on the call's own task, after the answer is read and
/// before the call loop goes on, so they must be quick and must not block:
/// count, or hand the event to a channel for anything slow (a database
/// write, a network call). A panic in an observer is caught and logged at
/// warn level; the call and the job go on (unless the program is built with
/// `panic = "abort"`).
pub trait Observer: Send + Sync + 'static {
    /// One HTTP attempt, once its answer (or transport error) is in and the
    /// call loop has decided whether to try again.
    fn on_attempt(&self, attempt: &Attempt<'_>);

    /// A job started, yielded a part, or finished. The default does nothing.
    fn on_job(&self, event: &JobEvent<'_>) {
        let _ = event;
    }
}

impl<T: Observer + ?Sized> Observer for Arc<T> {
    fn on_attempt(&self, attempt: &Attempt<'_>) {
        (**self).on_attempt(attempt);
    }

    fn on_job(&self, event: &JobEvent<'_>) {
        (**self).on_job(event);
    }
}

/// One HTTP attempt, as the call loop saw it: what an [`Observer`] is told.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// Gong's `operationId` (`assignProspects`, …; see
    /// [`api::operation_ids`](crate::api::operation_ids)).
    pub operation: &'static str,
    /// The HTTP method (`GET`, `POST`).
    pub method: &'static str,
    /// The operation's path, as the spec writes it
    /// (`/v2/flows/prospects/bulk-assignments/{id}`).
    pub path: &'static str,
    /// The host calls go to.
    pub server_address: &'a str,
    /// The port calls go to.
    pub server_port: u16,
    /// How many attempts of this call came before this one: 0 for the
    /// first, 1 for the first retry (OpenTelemetry's
    /// `http.request.resend_count`).
    pub retry: u32,
    /// The answer's HTTP status; `None` when there was no answer (a
    /// transport error: see [`error`](Self::error)).
    pub status: Option<u16>,
    /// What failed, for an attempt that did (an error status, a transport
    /// error, an answer that did not decode). Like every [`Error`], it
    /// never shows a secret.
    pub error: Option<&'a Error>,
    /// From handing the request to the transport to the end of its answer.
    pub duration: Duration,
    /// How long the attempt waited for the pacer (its slot, a pause after a
    /// 429, a spent daily quota it was told to wait for) before it went.
    pub pacer_wait: Duration,
    /// Gong's `requestId`, from the answer's body (or its `x-traceid`
    /// header when the body has none).
    pub request_id: Option<&'a str>,
    /// The `x-traceid` header, where it differs from `request_id`.
    pub trace_id: Option<&'a str>,
    /// Whether the call loop will try again (after a backoff or the
    /// `Retry-After`).
    pub will_retry: bool,
    /// Whether the attempt was made for a job (a bulk operation's call or
    /// look-up), rather than a single call such as a page of a list.
    pub in_job: bool,
    /// Remaining-quota headers of the answer, when it had any.
    pub quota_hint: Option<&'a QuotaHint>,
    /// The pacer's rate after the attempt, in calls per second (`None`:
    /// unpaced); lower than the configured rate while it adapts to other
    /// traffic after 429s.
    pub rate: Option<f64>,
    /// The pacer's daily budget after the attempt, when it knows it without
    /// asking anyone ([`Pacer::budget_now`](crate::Pacer::budget_now)).
    pub budget: Option<Budget>,
}

impl Attempt<'_> {
    /// OpenTelemetry's `error.type` of a failed attempt: the status code
    /// for an error status (`"429"`), else the error's
    /// [`kind`](Error::kind) (`"timeout"`, `"connection"`, `"decode"`).
    /// `None` for an attempt that succeeded.
    ///
    /// ```
    /// # fn show(attempt: &gong_flows::Attempt<'_>) {
    /// if let Some(kind) = attempt.error_type() {
    ///     eprintln!("{} failed: {kind}", attempt.operation);
    /// }
    /// # }
    /// ```
    pub fn error_type(&self) -> Option<Cow<'static, str>> {
        Some(crate::call::error_type(self.status, self.error?))
    }

    /// Whether the attempt was answered 429 (Too Many Requests).
    pub fn is_rate_limited(&self) -> bool {
        self.status == Some(429)
    }
}

/// Where a job is: what [`Observer::on_job`] is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobStage {
    /// The job was made (its inputs checked); nothing is sent yet.
    Started,
    /// A part (the report of one chunk) is ready.
    Part,
    /// Every input has its outcome.
    Finished,
}

/// A job's start, part or end, with its progress.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct JobEvent<'a> {
    /// The operation of the job's calls (`assignProspects`, …).
    pub operation: &'static str,
    /// Where the job is.
    pub stage: JobStage,
    /// Inputs settled since the previous event of this job.
    pub newly_settled: usize,
    /// The job's progress (`total`, `done`, `calls`, `stopped`, …).
    pub progress: &'a Progress,
    /// The inputs of this part, in every bucket ([`JobStage::Part`]; 0
    /// for the other stages).
    pub part_inputs: usize,
    /// The inputs of this part Gong refused (`not_assigned`,
    /// `not_unassigned`, …); 0 but for [`JobStage::Part`].
    pub part_refused: usize,
    /// The inputs of this part not attempted, or whose outcome is unknown;
    /// 0 but for [`JobStage::Part`].
    pub part_not_attempted: usize,
}

/// The observers of a client, called in the order they were set; a panic
/// in one is caught so that the call goes on.
#[derive(Clone, Default)]
pub(crate) struct Observers(Arc<[Arc<dyn Observer>]>);

impl fmt::Debug for Observers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} observer(s)", self.0.len())
    }
}

impl Observers {
    /// These observers and then `observer`.
    pub(crate) fn with(&self, observer: Arc<dyn Observer>) -> Self {
        let mut all = self.0.to_vec();
        all.push(observer);
        Self(all.into())
    }

    /// Whether there is anyone to tell: nothing is gathered otherwise.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn attempt(&self, attempt: &Attempt<'_>) {
        for observer in self.0.iter() {
            let told = std::panic::catch_unwind(AssertUnwindSafe(|| observer.on_attempt(attempt)));
            if told.is_err() {
                tracing::warn!(
                    operation = attempt.operation,
                    "an observer panicked on an attempt; the call goes on"
                );
            }
        }
    }

    pub(crate) fn job(&self, event: &JobEvent<'_>) {
        for observer in self.0.iter() {
            let told = std::panic::catch_unwind(AssertUnwindSafe(|| observer.on_job(event)));
            if told.is_err() {
                tracing::warn!(
                    operation = event.operation,
                    "an observer panicked on a job event; the job goes on"
                );
            }
        }
    }
}

/// The method and path of each of Gong's operations, as the spec has them.
pub(crate) fn route(operation: &str) -> (&'static str, &'static str) {
    match operation {
        ops::LIST_FLOWS => ("GET", "/v2/flows"),
        ops::LIST_FLOWS_FOLDERS => ("GET", "/v2/flows/folders"),
        ops::GET_PROSPECTS_ASSIGNED_FLOWS => ("POST", "/v2/flows/prospects"),
        ops::ASSIGN_PROSPECTS => ("POST", "/v2/flows/prospects/assign"),
        ops::ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES => {
            ("POST", "/v2/flows/prospects/assign/cool-off-override")
        }
        ops::UNASSIGN_PROSPECT_FLOWS => ("POST", "/v2/flows/prospects/unassign-flows-by-crm-id"),
        ops::UNASSIGN_FLOWS => ("POST", "/v2/flows/prospects/unassign-flows-by-instance-id"),
        ops::GET_FLOW_STEPS => ("POST", "/v2/flows/steps"),
        ops::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT => {
            ("POST", "/v2/flows/prospects/bulk-assignments")
        }
        ops::GET_FLOW_PROSPECTS_BULK_ASSIGNMENT => {
            ("GET", "/v2/flows/prospects/bulk-assignments/{id}")
        }
        _ => ("POST", ""),
    }
}

/// Where a client's calls go, for spans and observers.
#[derive(Debug, Clone)]
pub(crate) struct Server {
    pub address: String,
    pub port: u16,
}

impl Server {
    pub(crate) fn of(base: &url::Url) -> Self {
        Self {
            address: base.host_str().unwrap_or_default().to_owned(),
            port: base.port_or_known_default().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_its_route() {
        for operation in ops::ALL {
            let (method, path) = route(operation);
            assert!(path.starts_with("/v2/flows"), "{operation}");
            assert!(method == "GET" || method == "POST", "{operation}");
        }
        // As the spec has them, where the spec is at hand.
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/flows.yaml");
        let Ok(spec) = std::fs::read_to_string(spec) else {
            return;
        };
        for operation in ops::ALL {
            let (method, path) = route(operation);
            let at = spec
                .find(&format!("\n  {path}:\n"))
                .unwrap_or_else(|| panic!("{path} is in the spec"));
            let rest = &spec[at..];
            let declared = rest
                .find(&format!("operationId: {operation}\n"))
                .unwrap_or_else(|| panic!("{operation} is in the spec"));
            let method_at = rest
                .find(&format!("\n    {}:\n", method.to_lowercase()))
                .unwrap_or(usize::MAX);
            assert!(method_at < declared, "{operation} is {method} {path}");
        }
    }
}
