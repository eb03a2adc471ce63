//! What a running job shares with its chunks, the call loop and its
//! [`JobHandle`]: why it stopped, whether it was cancelled or aborted, and
//! its live [`Progress`].

use crate::error::Error;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::watch;
use tokio::time::Instant;

/// A job's progress, as its [`JobHandle`] shows it.
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
///     println!("{} of {:?} done, {} calls", now.done, now.total, now.calls);
///     if now.finished {
///         break;
///     }
/// }
/// let report = report.await.expect("the job ran");
/// println!("{report}");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Progress {
    /// Unique inputs in the job, when known (not for a stream of unknown
    /// length).
    pub total: Option<usize>,
    /// Inputs with an outcome so far (in any bucket).
    pub done: usize,
    /// Chunks finished so far.
    pub chunks_done: usize,
    /// HTTP calls sent so far, retries included.
    pub calls: u32,
    /// Calls are held until this instant by a 429's `Retry-After`.
    pub paused_until: Option<Instant>,
    /// The pace, in calls per second, as the pacer has it now (adapted to
    /// the company's other traffic; `None`: unpaced).
    pub rate: Option<f64>,
    /// Why the job stopped, or is stopping, early.
    pub stopped: Option<Arc<Error>>,
    /// Whether the job is over: every input has its outcome.
    pub finished: bool,
}

/// A running job's controls: watch its progress, cancel it, or abort it.
/// Cheap to clone; made by `start()` (and `handle()` of a chunk stream) of
/// every bulk operation.
///
/// - [`cancel`](Self::cancel) finishes the calls in flight and attempts
///   nothing more: every input not sent is reported not attempted, with
///   [`Error::Cancelled`]. Calls waiting for a pacer slot or a `Retry-After`
///   stop waiting at once; they were never sent.
/// - [`abort`](Self::abort) also abandons the calls in flight: their inputs
///   are reported not attempted with [`Error::Aborted`], flagged
///   `may_have_been_sent` when a request carrying them had left.
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
}

/// The state one job shares with its chunks and calls.
#[derive(Debug, Clone)]
pub(crate) struct Control(Arc<Shared>);

impl Default for Control {
    fn default() -> Self {
        Self::new(None)
    }
}

impl Control {
    pub fn new(total: Option<usize>) -> Self {
        Self(Arc::new(Shared {
            reason: OnceLock::new(),
            signal: watch::Sender::new(Signal::default()),
            progress: watch::Sender::new(Progress {
                total,
                ..Progress::default()
            }),
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

    pub fn is_aborted(&self) -> bool {
        self.0.signal.borrow().aborted
    }

    /// Counts a call about to be sent.
    pub fn count_call(&self) {
        self.0.progress.send_modify(|p| p.calls += 1);
    }

    /// Notes the pacer's current rate.
    pub fn rate(&self, rate: Option<f64>) {
        self.0.progress.send_if_modified(|p| {
            let changed = p.rate != rate;
            p.rate = rate;
            changed
        });
    }

    /// Notes that calls are (or are no longer) held by a pause.
    pub fn paused_until(&self, until: Option<Instant>) {
        self.0.progress.send_if_modified(|p| {
            let changed = p.paused_until != until;
            p.paused_until = until;
            changed
        });
    }

    /// Notes a finished chunk of `inputs` inputs.
    pub fn chunk_done(&self, inputs: usize) {
        self.0.progress.send_modify(|p| {
            p.done += inputs;
            p.chunks_done += 1;
        });
    }

    /// Notes the end of the job.
    pub fn finish(&self) {
        self.0.progress.send_modify(|p| {
            p.finished = true;
            p.paused_until = None;
        });
    }
}

/// What one chunk's calls share: the job's control, and whether a request
/// of the chunk has left (so that an abort can say whether its inputs may
/// have been sent).
#[derive(Debug, Clone, Default)]
pub(crate) struct ChunkCtx {
    pub control: Control,
    pub sent: Arc<AtomicBool>,
}

impl ChunkCtx {
    pub fn mark_sent(&self) {
        self.sent.store(true, Ordering::SeqCst);
        self.control.count_call();
    }
}
