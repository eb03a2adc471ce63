//! The progress bar of jobs, drawn from the job's own progress: inputs
//! done, chunks, and waits for Gong's rate limit.

use gong_flows::{Pacer, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The progress of one job. Drawn on stderr only when asked for and stderr
/// is a terminal.
#[derive(Debug)]
pub struct JobProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
    ticker: Option<tokio::task::JoinHandle<()>>,
}

impl JobProgress {
    /// A bar following `progress` (and the current rate of `pacer`), for
    /// chunks of `chunk_size` inputs; hidden unless `show`. Notes go to
    /// stderr unless `quiet`.
    pub fn new(
        show: bool,
        quiet: bool,
        mut progress: watch::Receiver<Progress>,
        pacer: Arc<dyn Pacer>,
        chunk_size: usize,
    ) -> Self {
        if !show {
            return Self {
                bar: None,
                quiet,
                ticker: None,
            };
        }
        let total = progress.borrow().total.map(|n| n as u64);
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
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
        let chunks = total.map(|n| n.div_ceil(chunk_size.max(1) as u64));
        // A wait (a 429 pause) changes nothing else, so the message is
        // refreshed on a timer as well as on progress.
        let ticker = {
            let bar = bar.clone();
            tokio::spawn(async move {
                loop {
                    let now = progress.borrow_and_update().clone();
                    bar.set_position(now.done as u64);
                    let mut message = match chunks {
                        Some(chunks) => format!("chunk {}/{chunks}", now.chunks_done),
                        None => format!("chunk {}", now.chunks_done),
                    };
                    if let Some(until) = now.paused_until {
                        let wall =
                            chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
                        let wait = (until - wall).to_std().unwrap_or_default();
                        if !wait.is_zero() {
                            message.push_str(&format!(
                                " · waiting {}s for Gong's rate limit (429)",
                                wait.as_secs() + 1
                            ));
                        }
                    }
                    // The pace, as adapted to the company's other traffic.
                    if let Some(rate) = now.rate.or_else(|| pacer.rate()) {
                        message.push_str(&format!(" · {rate:.2} calls/s"));
                        if let Some(configured) = now.adapted_from {
                            message.push_str(&format!(
                                " (adapted from {configured:.2}/s after 429s: other traffic of the company)"
                            ));
                        }
                    }
                    bar.set_message(message);
                    let _ =
                        tokio::time::timeout(Duration::from_millis(250), progress.changed()).await;
                }
            })
        };
        Self {
            bar: Some(bar),
            quiet,
            ticker: Some(ticker),
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
