//! Rate-limit headers on any answer: [`RateLimitHeaders`].

use crate::operations::{
    AssignProspectsCoolOffOverridesThen, AssignProspectsThen, GetFlowProspectsBulkAssignmentThen,
    GetFlowStepsThen, GetProspectsAssignedFlowsThen, ListFlowsFoldersThen, ListFlowsThen,
    SubmitFlowProspectsBulkAssignmentThen, UnassignFlowsThen, UnassignProspectFlowsThen,
};
use std::time::SystemTime;

/// The headers Gong (or a gateway in front of it) puts on an answer about
/// its rate limits, on the `Then` of every operation: `Retry-After` (in
/// seconds, as Gong sends it, or as an HTTP date, as RFC 9110 also allows)
/// and the remaining-quota headers real answers have carried
/// (`X-Ratelimit-Remaining`, …). Each adds one header and keeps the typed
/// `Then`, so the answer's status and body are still set by its typed
/// method.
///
/// ```
/// use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
///
/// let server = httpmock::MockServer::start();
/// server.list_flows(|when, then| {
///     when.flow_owner_email("owner@example.com");
///     then.retry_after(7)
///         .rate_limit_remaining(0)
///         .too_many_requests(&answers::error(&["API rate limit exceeded"]));
/// });
/// ```
pub trait RateLimitHeaders: Sized {
    /// Adds the header `name: value` to the answer.
    ///
    /// ```
    /// use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
    ///
    /// let server = httpmock::MockServer::start();
    /// server.list_flows(|_, then| {
    ///     then.header("x-traceid", "trace-1").ok(&answers::flows([answers::flow("42", "Renewals")]));
    /// });
    /// ```
    fn header(self, name: &str, value: &str) -> Self;

    /// `Retry-After: SECONDS`, Gong's form.
    ///
    /// ```
    /// use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
    ///
    /// let server = httpmock::MockServer::start();
    /// server.list_flows(|_, then| {
    ///     then.retry_after(2).too_many_requests(&answers::error(&["slow down"]));
    /// });
    /// ```
    fn retry_after(self, seconds: u64) -> Self {
        self.header("Retry-After", &seconds.to_string())
    }

    /// `Retry-After: HTTP-DATE` (`Sun, 06 Nov 1994 08:49:37 GMT`), the
    /// other form RFC 9110 allows; whole seconds.
    ///
    /// ```
    /// use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
    /// use std::time::{Duration, SystemTime};
    ///
    /// let server = httpmock::MockServer::start();
    /// let at = SystemTime::now() + Duration::from_secs(30);
    /// server.list_flows(|_, then| {
    ///     then.retry_after_date(at).too_many_requests(&answers::error(&["slow down"]));
    /// });
    /// ```
    fn retry_after_date(self, at: SystemTime) -> Self {
        self.header("Retry-After", &httpdate::fmt_http_date(at))
    }

    /// `X-Ratelimit-Remaining: CALLS`: calls left in the short window.
    ///
    /// ```
    /// use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
    ///
    /// let server = httpmock::MockServer::start();
    /// server.list_flows(|_, then| {
    ///     then.rate_limit_remaining(0).rate_limit_reset(5).ok(&answers::flows([answers::flow("42", "Renewals")]));
    /// });
    /// ```
    fn rate_limit_remaining(self, calls: u32) -> Self {
        self.header("X-Ratelimit-Remaining", &calls.to_string())
    }

    /// `X-Ratelimit-Reset: SECONDS`: when the short window resets.
    ///
    /// ```
    /// use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
    ///
    /// let server = httpmock::MockServer::start();
    /// server.list_flows(|_, then| {
    ///     then.rate_limit_reset(1).ok(&answers::flows([answers::flow("42", "Renewals")]));
    /// });
    /// ```
    fn rate_limit_reset(self, seconds: u64) -> Self {
        self.header("X-Ratelimit-Reset", &seconds.to_string())
    }

    /// `X-Ratelimit-Limit: CALLS`: the short window's limit.
    ///
    /// ```
    /// use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
    ///
    /// let server = httpmock::MockServer::start();
    /// server.list_flows(|_, then| {
    ///     then.rate_limit_limit(3).ok(&answers::flows([answers::flow("42", "Renewals")]));
    /// });
    /// ```
    fn rate_limit_limit(self, calls: u32) -> Self {
        self.header("X-Ratelimit-Limit", &calls.to_string())
    }

    /// `X-Ratelimit-Daily-Remaining: CALLS`: calls left today.
    ///
    /// ```
    /// use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
    ///
    /// let server = httpmock::MockServer::start();
    /// server.list_flows(|_, then| {
    ///     then.daily_rate_limit_remaining(40).ok(&answers::flows([answers::flow("42", "Renewals")]));
    /// });
    /// ```
    fn daily_rate_limit_remaining(self, calls: u32) -> Self {
        self.header("X-Ratelimit-Daily-Remaining", &calls.to_string())
    }

    /// `X-Ratelimit-Daily-Reset: SECONDS`: when the daily count resets.
    ///
    /// ```
    /// use gong_flows_httpmock::{MockServerExt as _, RateLimitHeaders as _, answers};
    ///
    /// let server = httpmock::MockServer::start();
    /// server.list_flows(|_, then| {
    ///     then.daily_rate_limit_reset(3_600).ok(&answers::flows([answers::flow("42", "Renewals")]));
    /// });
    /// ```
    fn daily_rate_limit_reset(self, seconds: u64) -> Self {
        self.header("X-Ratelimit-Daily-Reset", &seconds.to_string())
    }
}

macro_rules! rate_limit_headers {
    ($($then:ty),* $(,)?) => {
        $(
            impl RateLimitHeaders for $then {
                fn header(self, name: &str, value: &str) -> Self {
                    Self::new(self.into_inner().header(name, value))
                }
            }
        )*
    };
}

rate_limit_headers!(
    ListFlowsThen,
    ListFlowsFoldersThen,
    GetProspectsAssignedFlowsThen,
    AssignProspectsThen,
    AssignProspectsCoolOffOverridesThen,
    UnassignProspectFlowsThen,
    UnassignFlowsThen,
    GetFlowStepsThen,
    SubmitFlowProspectsBulkAssignmentThen,
    GetFlowProspectsBulkAssignmentThen,
);
