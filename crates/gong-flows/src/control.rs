//! What a running job shares with its chunks, the call loop and its
//! [`JobHandle`]: why it stopped, whether it was cancelled or aborted, and
//! its live [`Progress`].

use crate::error::Error;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};
use tokio::sync::watch;
use tokio::time::Instant;

/// A job's progress, as its [`JobHandle`] shows it. It serialises to
/// camelCase JSON (a service can return it as it is) and reads back.
///
/// `done` moves as inputs are settled, not per chunk; `calls` counts every
/// call the job makes, its look-ups included, and equals the report's
/// `stats.requests` once the job is over.
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client, ids: Vec<String>) -> gong_flows::Result<()> {
/// let (handle, report) = client.assign("1695493301223590792", "owner@example.com")
///     .prospects(ids)
///     .start()?;
/// let report = tokio::spawn(report);
/// let mut progress = handle.progress();
/// while progress.changed().await.is_ok() {
///     let now = progress.borrow().clone();
///     println!("{}", serde_json::to_string(&now).unwrap());
///     if now.finished {
///         break;
///     }
/// }
/// // An `Err` when the job stopped on an error: its report is in it.
/// let report = report.await.expect("the job ran")?;
/// println!("{report}");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Progress {
    /// Unique inputs in the job, when known (not for a stream of unknown
    /// length).
    pub total: Option<usize>,
    /// Inputs settled so far (in any bucket).
    pub done: usize,
    /// Chunks finished so far.
    pub chunks_done: usize,
    /// HTTP calls sent so far, retries and look-ups included.
    pub calls: u32,
    /// When the job started, on this machine's clock.
    pub started_at: Option<DateTime<Utc>>,
    /// Calls are held until then by a 429's `Retry-After` (or another
    /// pause), on this machine's clock.
    pub paused_until: Option<DateTime<Utc>>,
    /// When the job should be over, at the pace so far (`None` until some
    /// inputs are settled, or when the total is unknown).
    pub eta: Option<DateTime<Utc>>,
    /// The pace, in calls per second, as the pacer has it now (adapted to
    /// the company's other traffic; `None`: unpaced).
    pub rate: Option<f64>,
    /// The configured pace, when the pacer lowered `rate` below it after
    /// 429s caused by other traffic of the company.
    pub adapted_from: Option<f64>,
    /// Why the job stopped, or is stopping, early (as text).
    #[serde(default, with = "crate::report::optional_error_text")]
    pub stopped: Option<Arc<Error>>,
    /// Whether the job is over: every input has its outcome.
    pub finished: bool,
}

impl Progress {
    /// The share of the inputs settled, from 0 to 1, when the total is known.
    ///
    /// ```
    /// let progress = gong_flows::Progress::default();
    /// assert_eq!(progress.fraction(), None);
    /// ```
    pub fn fraction(&self) -> Option<f64> {
        match self.total {
            Some(0) => Some(1.0),
            Some(total) => Some((self.done as f64 / total as f64).min(1.0)),
            None => None,
        }
    }

    /// Whether the pace is below the configured one because of 429s.
    pub fn is_adapted(&self) -> bool {
        self.adapted_from.is_some()
    }

    /// The progress on one line, as of `now` (this machine's clock):
    /// inputs, calls, time left, a pause for a 429 and the pace, saying when
    /// Gong's 429s slowed it.
    ///
    /// ```
    /// use chrono::{DateTime, TimeDelta, Utc};
    ///
    /// let now: DateTime<Utc> = std::time::SystemTime::now().into();
    /// let mut progress = gong_flows::Progress::default();
    /// progress.total = Some(500);
    /// progress.done = 145;
    /// progress.calls = 2;
    /// progress.eta = Some(now + TimeDelta::seconds(80));
    /// progress.rate = Some(2.1);
    /// progress.adapted_from = Some(3.0);
    /// assert_eq!(
    ///     progress.line(now),
    ///     "145/500 ids · 2 calls · ETA 1m 20s · rate 2.1/s (slowed by Gong's 429s)"
    /// );
    /// progress.paused_until = Some(now + TimeDelta::seconds(12));
    /// assert!(progress.line(now).contains("· waiting 12s for Gong's rate limit (429)"));
    /// ```
    pub fn line(&self, now: DateTime<Utc>) -> String {
        let left = |at: DateTime<Utc>| (at - now).to_std().ok().filter(|d| !d.is_zero());
        let mut line = match self.total {
            Some(total) => format!("{}/{total} ids", self.done),
            None => format!("{} ids", self.done),
        };
        line.push_str(&format!(" · {} calls", self.calls));
        if let Some(eta) = self.eta.and_then(left) {
            line.push_str(&format!(" · ETA {}", crate::error::span(eta)));
        }
        if let Some(wait) = self.paused_until.and_then(left) {
            let wait = crate::error::span(wait + std::time::Duration::from_millis(999));
            line.push_str(&format!(" · waiting {wait} for Gong's rate limit (429)"));
        }
        if let Some(rate) = self.rate {
            line.push_str(&format!(" · rate {}/s", (rate * 100.0).round() / 100.0));
            if self.is_adapted() {
                line.push_str(" (slowed by Gong's 429s)");
            }
        }
        line
    }
}

/// A running job's controls: watch its progress, cancel it, or abort it.
/// Cheap to clone; made by `start()` (and `handle()` of a part stream) of
/// every bulk operation.
///
/// - [`cancel`](Self::cancel) finishes the calls in flight and attempts
///   nothing more: every input not sent is reported not attempted, with
///   [`Error::Cancelled`]. Calls waiting for a pacer slot or a `Retry-After`
///   stop waiting at once. An input whose call had already been answered
///   without settling it (refused with a 429 before a retry, or left out of
///   Gong's answer before a look-up) is reported as sent and left open,
///   not as cancelled before it was sent. A job fed by a stream stops
///   reading it.
/// - [`abort`](Self::abort) also abandons the calls in flight: their inputs
///   are reported not attempted with [`Error::Aborted`], flagged
///   `may_have_been_sent` (a request carrying them had left). Inputs whose
///   answer had come back keep the outcome it gave; those it had left open
///   (a 429 before a retry) are reported as after a cancel, sent and left
///   open; those never sent are reported [`Error::Cancelled`].
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
/// use gong_flows::Error;
///
/// let ids: Vec<String> = (0..1_000).map(|i| format!("0035g{i:010}")).collect();
/// let (handle, report) = client.assign(flow, owner).prospects(&ids).start()?;
/// // Cancelled before the job ran: nothing is sent, and every id is reported.
/// handle.cancel();
/// assert!(handle.is_cancelled());
/// // A cancelled job is an `Err` that carries its report.
/// let report = report.await.unwrap_err().into_report().expect("a stopped job's report");
/// assert_eq!(report.not_attempted.len(), 1_000);
/// assert!(report.not_attempted.iter().all(|n| matches!(*n.error, Error::Cancelled)));
/// let progress = handle.progress().borrow().clone();
/// assert!(progress.finished);
/// assert_eq!(progress.calls, 0);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct JobHandle {
    control: Control,
}

impl JobHandle {
    pub(crate) fn new(control: Control) -> Self {
        Self { control }
    }

    pub(crate) fn control(&self) -> &Control {
        &self.control
    }

    /// The job's progress, updated as it goes.
    pub fn progress(&self) -> watch::Receiver<Progress> {
        self.control.0.progress.subscribe()
    }

    /// Attempts nothing more; the calls in flight finish.
    pub fn cancel(&self) {
        self.control.cancel();
    }

    /// Attempts nothing more and abandons the calls in flight.
    pub fn abort(&self) {
        self.control.cancel();
        self.control.0.signal.send_if_modified(|signal| {
            let changed = !signal.aborted;
            signal.aborted = true;
            changed
        });
    }

    /// Whether [`cancel`](Self::cancel) or [`abort`](Self::abort) was called.
    pub fn is_cancelled(&self) -> bool {
        self.control.0.signal.borrow().cancelled
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Signal {
    cancelled: bool,
    aborted: bool,
}

#[derive(Debug)]
struct Shared {
    /// The first reason to stop: a failure, or the cancellation.
    reason: OnceLock<Arc<Error>>,
    signal: watch::Sender<Signal>,
    progress: watch::Sender<Progress>,
    started: Instant,
}

/// The state one job shares with its chunks and calls.
#[derive(Debug, Clone)]
pub(crate) struct Control(Arc<Shared>);

impl Default for Control {
    fn default() -> Self {
        Self::new(None)
    }
}

/// Now on the wall clock, for progress.
fn wall(at: SystemTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(at)
}

impl Control {
    pub fn new(total: Option<usize>) -> Self {
        Self(Arc::new(Shared {
            reason: OnceLock::new(),
            signal: watch::Sender::new(Signal::default()),
            progress: watch::Sender::new(Progress {
                total,
                started_at: Some(wall(SystemTime::now())),
                ..Progress::default()
            }),
            started: Instant::now(),
        }))
    }

    /// Records why the job stops (the first reason wins).
    pub fn set(&self, error: Arc<Error>) {
        if self.0.reason.set(error).is_ok() {
            let reason = self.get();
            self.0.progress.send_modify(|p| p.stopped = reason);
        }
    }

    /// Why the job stopped, if it did: nothing more is to be sent.
    pub fn get(&self) -> Option<Arc<Error>> {
        self.0.reason.get().cloned()
    }

    fn cancel(&self) {
        self.set(Arc::new(Error::Cancelled));
        self.0.signal.send_if_modified(|signal| {
            let changed = !signal.cancelled;
            signal.cancelled = true;
            changed
        });
    }

    /// Resolves once the job is cancelled (or aborted).
    pub async fn cancelled(&self) {
        let mut signal = self.0.signal.subscribe();
        let _ = signal.wait_for(|s| s.cancelled).await;
    }

    /// Resolves once the job is aborted.
    pub async fn aborted(&self) {
        let mut signal = self.0.signal.subscribe();
        let _ = signal.wait_for(|s| s.aborted).await;
    }

    /// The progress now, for an observer.
    pub fn progress_now(&self) -> Progress {
        self.0.progress.borrow().clone()
    }

    /// Counts a call about to be sent.
    pub fn count_call(&self) {
        self.0.progress.send_modify(|p| p.calls += 1);
    }

    /// Notes the pacer's current rate, and the configured one when the
    /// current one is lower.
    pub fn rate(&self, rate: Option<f64>, adapted_from: Option<f64>) {
        self.0.progress.send_if_modified(|p| {
            let changed = p.rate != rate || p.adapted_from != adapted_from;
            p.rate = rate;
            p.adapted_from = adapted_from;
            changed
        });
    }

    /// Notes that calls are (or are no longer) held by a pause of `wait`.
    pub fn paused_for(&self, wait: Option<Duration>) {
        let until = wait.map(|wait| wall(SystemTime::now() + wait));
        self.0.progress.send_if_modified(|p| {
            // A second's precision: a display has no use for more, and
            // watchers are not woken for every call.
            let same = match (&p.paused_until, &until) {
                (Some(a), Some(b)) => (*a - *b).num_seconds() == 0,
                (None, None) => true,
                _ => false,
            };
            if !same {
                p.paused_until = until;
            }
            !same
        });
    }

    /// Notes `inputs` more inputs settled (negative: taken back).
    pub fn settled(&self, inputs: isize) {
        let elapsed = self.0.started.elapsed();
        self.0.progress.send_modify(|p| {
            p.done = p.done.saturating_add_signed(inputs);
            p.eta = match p.total {
                Some(total) if p.done > 0 && p.done <= total => {
                    let left = elapsed.mul_f64((total - p.done) as f64 / p.done as f64);
                    Some(wall(SystemTime::now() + left))
                }
                _ => None,
            };
        });
    }

    /// Corrects the total, when inputs of a stream turn out to be repeats.
    pub fn repeats(&self, repeats: usize) {
        if repeats == 0 {
            return;
        }
        self.0.progress.send_modify(|p| {
            if let Some(total) = p.total.as_mut() {
                *total = total.saturating_sub(repeats);
            }
        });
    }

    /// Notes a finished chunk.
    pub fn chunk_done(&self) {
        self.0.progress.send_modify(|p| p.chunks_done += 1);
    }

    /// Notes the end of the job.
    pub fn finish(&self) {
        self.0.progress.send_modify(|p| {
            p.finished = true;
            p.paused_until = None;
            p.eta = None;
        });
    }
}

/// What one chunk's calls share: the job's control, and how many of the
/// chunk's inputs progress already counts.
#[derive(Debug, Default)]
pub(crate) struct ChunkCtx {
    pub control: Control,
    settled: AtomicUsize,
}

impl ChunkCtx {
    pub fn new(control: Control) -> Self {
        Self {
            control,
            settled: AtomicUsize::new(0),
        }
    }

    /// Notes a request of the chunk leaving.
    pub fn count_call(&self) {
        self.control.count_call();
    }

    /// Notes the chunk's settled inputs, now `total` in all.
    pub fn settled(&self, total: usize) {
        let before = self.settled.swap(total, Ordering::SeqCst);
        if total != before {
            self.control.settled(total as isize - before as isize);
        }
    }
}
