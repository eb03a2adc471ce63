//! The progress bar of jobs, and the pacer that lets it show waits for
//! Gong's rate limit for what they are.

use gong_flows::{InProcessPacer, Pacer, PacerFuture};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The client's pacer (the SDK's own, or one shared through Redis), whose
/// pauses (429s with `Retry-After`) and adapted rate the progress bar shows.
#[derive(Debug)]
pub struct WatchingPacer {
    inner: Arc<dyn Pacer>,
}

impl WatchingPacer {
    /// Paces at `rate` calls per second (none: unpaced), within Gong's daily
    /// budget.
    pub fn new(rate: Option<f64>) -> Self {
        Self::watching(Arc::new(InProcessPacer::new(
            rate,
            Some(gong_flows::GONG_DAILY_CALLS),
        )))
    }

    /// Watches another pacer.
    pub fn watching(inner: Arc<dyn Pacer>) -> Self {
        Self { inner }
    }

    /// How long calls are still held back by Gong's last `Retry-After`.
    pub fn rate_limit_wait(&self) -> Option<Duration> {
        self.inner.pause_remaining()
    }
}

impl Pacer for WatchingPacer {
    fn acquire(&self, max_wait: Duration) -> PacerFuture<'_> {
        self.inner.acquire(max_wait)
    }

    fn pause(&self, wait: Duration) {
        self.inner.pause(wait);
    }

    fn rate_limited(&self, retry_after: Duration) {
        self.inner.rate_limited(retry_after);
    }

    fn pause_remaining(&self) -> Option<Duration> {
        self.inner.pause_remaining()
    }

    fn rate(&self) -> Option<f64> {
        self.inner.rate()
    }
}

/// The progress of one job: chunks and ids done. Drawn on stderr only when
/// asked for and stderr is a terminal.
#[derive(Debug)]
pub struct JobProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
    chunks: u64,
    chunks_done: Arc<AtomicU64>,
    ticker: Option<tokio::task::JoinHandle<()>>,
}

impl JobProgress {
    /// A bar for `ids` ids in `chunks` chunks; hidden unless `show`. Notes
    /// go to stderr unless `quiet`.
    pub fn new(show: bool, quiet: bool, ids: u64, chunks: u64, pacer: Arc<WatchingPacer>) -> Self {
        let chunks_done = Arc::new(AtomicU64::new(0));
        if !show {
            return Self {
                bar: None,
                quiet,
                chunks,
                chunks_done,
                ticker: None,
            };
        }
        let bar = ProgressBar::with_draw_target(Some(ids), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} ids · {speed} · ETA {eta} · {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "speed",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} ids/s", state.per_sec());
            },
        );
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        // The message changes without any chunk finishing (a 429 pause), so
        // it is refreshed on a timer rather than only on progress.
        let ticker = {
            let (bar, done) = (bar.clone(), chunks_done.clone());
            tokio::spawn(async move {
                loop {
                    let done = done.load(Ordering::Relaxed);
                    let mut message = match pacer.rate_limit_wait() {
                        Some(wait) => format!(
                            "chunk {done}/{chunks} · waiting {}s for Gong's rate limit (429)",
                            wait.as_secs() + 1
                        ),
                        None => format!("chunk {done}/{chunks}"),
                    };
                    if let Some(rate) = pacer.rate() {
                        message.push_str(&format!(" · {rate:.2} calls/s"));
                    }
                    bar.set_message(message);
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            })
        };
        Self {
            bar: Some(bar),
            quiet,
            chunks,
            chunks_done,
            ticker: Some(ticker),
        }
    }

    /// One chunk finished, accounting for `ids` ids.
    pub fn chunk_done(&self, ids: u64) {
        let done = self.chunks_done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(ids);
            bar.set_message(format!("chunk {done}/{}", self.chunks));
        }
    }

    /// A line for the user on stderr (above the bar, if there is one).
    pub fn note(&self, message: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.println(message),
            None => eprintln!("{message}"),
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        if let Some(ticker) = &self.ticker {
            ticker.abort();
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for JobProgress {
    fn drop(&mut self) {
        if let Some(ticker) = self.ticker.take() {
            ticker.abort();
        }
    }
}
