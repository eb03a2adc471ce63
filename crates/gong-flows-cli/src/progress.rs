//! The progress bar of jobs, drawn from the job's own progress (the SDK's
//! `Progress::line`: ids settled, calls, time left, waits for Gong's rate
//! limit, and a pace slowed by 429s).

use crate::context::Output;
use gong_flows::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;
use tokio::sync::watch;

/// The progress of one job. Drawn on stderr only when `output` asks for a
/// bar (stderr is a terminal, neither `--json` nor `--quiet`).
#[derive(Debug)]
pub struct JobProgress {
    /// The bar, and the task that refreshes it, when one is drawn.
    bar: Option<(ProgressBar, tokio::task::JoinHandle<()>)>,
    output: Output,
}

impl JobProgress {
    /// A bar following `progress`.
    pub fn new(output: Output, mut progress: watch::Receiver<Progress>) -> Self {
        if !output.progress {
            return Self { bar: None, output };
        }
        let total = progress.borrow().total.map(|n| n as u64);
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        // A wait (a 429 pause) changes nothing else, so the line is
        // refreshed on a timer as well as on progress.
        let shown = bar.clone();
        let ticker = tokio::spawn(async move {
            loop {
                let now = progress.borrow_and_update().clone();
                shown.set_position(now.done as u64);
                shown.set_message(now.line(chrono::Utc::now()));
                let _ = tokio::time::timeout(Duration::from_millis(250), progress.changed()).await;
            }
        });
        let bar = Some((bar, ticker));
        Self { bar, output }
    }

    /// A line for the user on stderr (above the bar, if there is one).
    pub fn note(&self, message: &str) {
        match &self.bar {
            Some((bar, _)) => bar.println(message),
            None => self.output.note(message),
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        if let Some((bar, _)) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for JobProgress {
    fn drop(&mut self) {
        if let Some((_, ticker)) = &self.bar {
            ticker.abort();
        }
    }
}
