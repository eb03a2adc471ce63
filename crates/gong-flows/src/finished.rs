//! A job's report at its end, as a tool shows and keeps it: one way for
//! every kind of job.

use crate::saved::{SavedReport, write_json};
use crate::sync::SyncReport;
use crate::{Error, Outcome};
use std::io;
use std::path::Path;

/// A finished job's report as a command-line tool (or a service) shows
/// and keeps it, the same way for every kind of job: a [`SavedReport`]
/// (assign, unassign, bulk assignment, resumed or not) and a
/// [`SyncReport`]. `gong-flows` prints [`json`](Self::json) or
/// [`text`](Self::text), writes the report with [`save`](Self::save), then
/// prints [`advice`](Self::advice) and exits with [`outcome`](Self::outcome)'s
/// code.
///
/// ```
/// use gong_flows::{AssignReport, Finished, Outcome, SavedReport, SyncReport};
///
/// fn close(report: &impl Finished) -> (Outcome, Option<String>) {
///     (report.outcome(), report.advice("job.json".as_ref()))
/// }
/// let saved = SavedReport::from(AssignReport::default());
/// assert_eq!(close(&saved), (Outcome::Done, None));
/// assert!(Finished::text(&saved).starts_with("assign to flow"));
/// assert_eq!(close(&SyncReport::default()), (Outcome::Done, None));
/// ```
pub trait Finished {
    /// The report as `--json` prints it (its fields in the report's own
    /// order).
    fn json(&self) -> impl serde::Serialize + '_;
    /// What the job did, in a few lines for a person (each ending in a
    /// line break).
    fn text(&self) -> String;
    /// Writes the report (pretty JSON) to `path`.
    fn save(&self, path: &Path) -> io::Result<()>;
    /// What the job left, why, and what to do about it, once the report
    /// is kept at `path`: one line, or `None` when it left nothing.
    fn advice(&self, path: &Path) -> Option<String>;
    /// How the job ended, as the tool's exit code says it.
    fn outcome(&self) -> Outcome;
}

/// Why a job stopped, on one line, with when calls free up if it says.
fn why(stopped: Option<&Error>) -> String {
    stopped.map_or_else(
        || "stopped early".to_owned(),
        |e| match e.retry_at_local() {
            Some(when) => format!("{}; {when}", e.one_line()),
            None => e.one_line(),
        },
    )
}

impl Finished for SavedReport {
    /// [`SavedReport::to_json`].
    fn json(&self) -> impl serde::Serialize + '_ {
        self.to_json()
    }

    fn text(&self) -> String {
        self.summary().to_string()
    }

    fn save(&self, path: &Path) -> io::Result<()> {
        SavedReport::save(self, path)
    }

    /// `N left: WHY. WHAT TO DO` ([`SavedReport::next_step`]).
    fn advice(&self, path: &Path) -> Option<String> {
        let remedy = self.next_step(path)?;
        let why = why(self.stopped().map(|e| &**e));
        Some(format!("{} left: {why}. {remedy}", self.unfinished()))
    }

    fn outcome(&self) -> Outcome {
        SavedReport::outcome(self)
    }
}

impl Finished for SyncReport {
    /// The report itself.
    fn json(&self) -> impl serde::Serialize + '_ {
        self
    }

    fn text(&self) -> String {
        format!("{self}\n")
    }

    fn save(&self, path: &Path) -> io::Result<()> {
        write_json(path, self)
    }

    /// `The flow does not match the list yet (report: PATH). WHAT TO DO`
    /// ([`SyncReport::next_step`]).
    fn advice(&self, path: &Path) -> Option<String> {
        let remedy = self.next_step()?;
        Some(format!(
            "The flow does not match the list yet (report: {}). {remedy}",
            path.display()
        ))
    }

    fn outcome(&self) -> Outcome {
        SyncReport::outcome(self)
    }
}
