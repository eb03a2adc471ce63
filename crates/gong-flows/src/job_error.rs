//! How a bulk job that did not finish says so: [`JobError`].
//!
//! A job is `Ok` only when it attempted every input. Bad input or settings
//! are [`JobError::Invalid`] (nothing was sent); a job that stopped on an
//! error (bad credentials, unknown flow, rate limit past the retry policy,
//! spent budget, cancel) is [`JobError::Stopped`], and carries the report of
//! what it did, so that nothing is lost: every input is in it, done or not
//! attempted. Refusals of single inputs by Gong are not errors: they are in
//! the `Ok` report's refused bucket.

use crate::error::Error;
use crate::report::sealed::Sealed;
use futures::FutureExt as _;
use futures::future::BoxFuture;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// What a job's report says of how the job ended: implemented by the report
/// of every job that may stop ([`AssignReport`](crate::AssignReport),
/// [`UnassignReport`](crate::UnassignReport),
/// [`BulkAssignReport`](crate::BulkAssignReport),
/// [`StepsReport`](crate::StepsReport),
/// [`ProspectsFlowsReport`](crate::ProspectsFlowsReport),
/// [`SyncReport`](crate::SyncReport)); sealed.
///
/// ```
/// use gong_flows::{AssignReport, JobReport};
///
/// let report = AssignReport::default();
/// assert!(report.stopped_by().is_none());
/// assert_eq!((report.done_count(), report.left_count()), (0, 0));
/// ```
pub trait JobReport: Sealed + Send + 'static {
    /// The error that stopped the job before it did everything, if it did:
    /// what makes it a [`JobError::Stopped`].
    fn stopped_by(&self) -> Option<&Arc<Error>>;
    /// Inputs settled: done, or refused by Gong.
    fn done_count(&self) -> usize;
    /// Inputs left to do: not attempted, or whose outcome is unknown.
    fn left_count(&self) -> usize;
}

/// Why a bulk job is not `Ok`: its input or settings were refused before
/// anything was sent, or it stopped on an error, and then its report of
/// what it did comes with the error.
///
/// Keep the partial report to save it, or to resume exactly what was left:
///
/// ```
/// use gong_flows::{AssignReport, JobError};
///
/// async fn assign(client: &gong_flows::Client, ids: Vec<String>) -> gong_flows::Result<()> {
///     match client.assign("flow-1", "rep@example.com").prospects(ids).send().await {
///         Ok(report) => println!("{report}"),
///         Err(JobError::Stopped { error, report }) => {
///             // Every input is in the report: done, or not attempted.
///             eprintln!("stopped on {error}: {} left", report.not_attempted.len());
///             let again: Vec<String> = report.not_attempted_ids().map(String::from).collect();
///             // ... later, after fixing the cause:
///             # let _ = again;
///             # return Err((*error).clone());
///         }
///         Err(JobError::Invalid(error)) => return Err(error),
///     }
///     Ok(())
/// }
/// # let _ = assign;
/// # let _: Option<AssignReport> = None;
/// ```
///
/// Or let `?` turn it into a plain [`Error`](crate::Error), when the
/// partial report is not needed:
///
/// ```
/// async fn assign(client: &gong_flows::Client) -> gong_flows::Result<usize> {
///     let report = client.assign("flow-1", "rep@example.com").prospects(["003A"]).send().await?;
///     Ok(report.assigned.len())
/// }
/// # let _ = assign;
/// ```
pub enum JobError<R> {
    /// The input or the settings were refused before anything was sent.
    Invalid(Error),
    /// The job stopped on `error` and left inputs not attempted; `report`
    /// has every input, done or not attempted (the error is also its
    /// `stats.stopped`).
    Stopped {
        /// The error that stopped the job.
        error: Arc<Error>,
        /// What the job did: every input, in one bucket.
        report: Box<R>,
    },
}

impl<R> JobError<R> {
    /// The error: why nothing was sent, or why the job stopped.
    ///
    /// ```
    /// use gong_flows::{AssignReport, Error, JobError};
    ///
    /// let error: JobError<AssignReport> = Error::Cancelled.into();
    /// assert!(matches!(error.error(), Error::Cancelled));
    /// ```
    pub fn error(&self) -> &Error {
        match self {
            JobError::Invalid(error) => error,
            JobError::Stopped { error, .. } => error,
        }
    }

    /// The error's [kind](Error::kind): one stable word for logs and
    /// machine-readable output.
    ///
    /// ```
    /// use gong_flows::{AssignReport, Error, JobError};
    ///
    /// let error: JobError<AssignReport> = Error::Cancelled.into();
    /// assert_eq!(error.kind(), "cancelled");
    /// ```
    pub fn kind(&self) -> &'static str {
        self.error().kind()
    }

    /// The partial report of a job that stopped (`None` when nothing was
    /// sent).
    ///
    /// ```
    /// use gong_flows::{AssignReport, Error, JobError};
    ///
    /// let error: JobError<AssignReport> = Error::Cancelled.into();
    /// assert!(error.report().is_none());
    /// ```
    pub fn report(&self) -> Option<&R> {
        match self {
            JobError::Invalid(_) => None,
            JobError::Stopped { report, .. } => Some(report),
        }
    }

    /// The partial report, owned: to save it, or to resume what it left
    /// not attempted.
    ///
    /// ```
    /// use gong_flows::{AssignReport, JobError};
    ///
    /// fn keep(result: Result<AssignReport, JobError<AssignReport>>) -> Option<AssignReport> {
    ///     match result {
    ///         Ok(report) => Some(report),
    ///         Err(error) => error.into_report(),
    ///     }
    /// }
    /// # let _ = keep;
    /// ```
    pub fn into_report(self) -> Option<R> {
        match self {
            JobError::Invalid(_) => None,
            JobError::Stopped { report, .. } => Some(*report),
        }
    }

    /// The plain error, dropping the partial report (what `?` does in a
    /// function returning [`gong_flows::Result`](crate::Result)).
    ///
    /// ```
    /// use gong_flows::{AssignReport, Error, JobError};
    ///
    /// let error: JobError<AssignReport> = Error::Cancelled.into();
    /// assert!(matches!(error.into_error(), Error::Cancelled));
    /// ```
    pub fn into_error(self) -> Error {
        match self {
            JobError::Invalid(error) => error,
            JobError::Stopped { error, .. } => Arc::unwrap_or_clone(error),
        }
    }
}

impl<R: JobReport> JobError<R> {
    /// The report, or the job's stop with the report: the one rule every
    /// job's `send()` (and a report's `check()`) follows.
    pub(crate) fn check(report: R) -> Result<R, JobError<R>> {
        match report.stopped_by() {
            Some(error) => Err(JobError::Stopped {
                error: error.clone(),
                report: Box::new(report),
            }),
            None => Ok(report),
        }
    }
}

/// `nothing sent: …`, or `the job stopped: … (N done, M not attempted)`:
/// the error's text (never a secret), and the report's counts.
impl<R: JobReport> fmt::Display for JobError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Invalid(error) => write!(f, "nothing sent: {error}"),
            JobError::Stopped { error, report } => write!(
                f,
                "the job stopped: {error} ({} done, {} not attempted)",
                report.done_count(),
                report.left_count()
            ),
        }
    }
}

/// The error, and of the report only its counts (a report may hold
/// thousands of entries).
impl<R: JobReport> fmt::Debug for JobError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Invalid(error) => f.debug_tuple("Invalid").field(error).finish(),
            JobError::Stopped { error, report } => f
                .debug_struct("Stopped")
                .field("error", error)
                .field("done", &report.done_count())
                .field("not_attempted", &report.left_count())
                .finish_non_exhaustive(),
        }
    }
}

impl<R: JobReport> std::error::Error for JobError<R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.error())
    }
}

/// Bad input or settings: nothing was sent.
impl<R> From<Error> for JobError<R> {
    fn from(error: Error) -> Self {
        JobError::Invalid(error)
    }
}

/// The plain error ([`JobError::into_error`]): `?` in a function returning
/// [`gong_flows::Result`](crate::Result).
impl<R> From<JobError<R>> for Error {
    fn from(error: JobError<R>) -> Self {
        error.into_error()
    }
}

/// The future of a started job: it runs the job when polled (await it, or
/// spawn it), and yields `Ok(report)`, or [`JobError::Stopped`] with the
/// partial report, like the job's `send()`. [`report`](Self::report) yields
/// the report either way.
///
/// ```
/// use gong_flows::JobError;
///
/// async fn run(client: &gong_flows::Client) -> gong_flows::Result<()> {
///     let (handle, job) = client.assign("flow-1", "rep@example.com").prospects(["003A"]).start()?;
///     let task = tokio::spawn(job);
///     // ... handle.cancel() from elsewhere stops it: the report says where.
///     # handle.cancel();
///     match task.await.expect("the job does not panic") {
///         Ok(report) => println!("{report}"),
///         Err(JobError::Stopped { report, .. }) => println!("stopped: {report}"),
///         Err(error) => return Err(error.into()),
///     }
///     Ok(())
/// }
/// # let _ = run;
/// ```
#[must_use = "a job runs only when its future is polled"]
pub struct JobFuture<R> {
    inner: BoxFuture<'static, R>,
}

impl<R> JobFuture<R> {
    pub(crate) fn new(inner: impl Future<Output = R> + Send + 'static) -> Self {
        Self {
            inner: Box::pin(inner),
        }
    }

    /// The future of the report either way: whether the job did everything
    /// or stopped, for callers that read the report themselves (its
    /// `stats.stopped` says why a job stopped).
    ///
    /// ```
    /// async fn run(client: &gong_flows::Client) -> gong_flows::Result<()> {
    ///     let (_handle, job) = client.assign("flow-1", "rep@example.com").prospects(["003A"]).start()?;
    ///     let report = job.report().await;
    ///     println!("{report}");
    ///     Ok(())
    /// }
    /// # let _ = run;
    /// ```
    pub fn report(self) -> BoxFuture<'static, R> {
        self.inner
    }
}

impl<R> fmt::Debug for JobFuture<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobFuture").finish_non_exhaustive()
    }
}

impl<R: JobReport> Future for JobFuture<R> {
    type Output = Result<R, JobError<R>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.poll_unpin(cx).map(JobError::check)
    }
}
