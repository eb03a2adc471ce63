//! Reports saved to a file: a job's report with its settings and times, as
//! JSON that any program can read back and resume.

use crate::report::{AssignReport, BulkAssignReport, ItemId, Report, UnassignReport};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io;
use std::path::Path;

fn one() -> u32 {
    1
}

/// Now, as RFC 3339 UTC with milliseconds (the format of `startedAt` and
/// `finishedAt`).
fn now() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A report with what its file adds: the job's batch size, when it started
/// and last ended, and how many runs (the first, plus one per resume) it
/// holds. In JSON the report's own fields sit beside these.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved<R> {
    /// The job's report.
    #[serde(flatten)]
    pub report: R,
    /// Inputs per call, when the job chose it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<usize>,
    /// When the first run started.
    pub started_at: String,
    /// When the last run ended.
    pub finished_at: String,
    /// Runs merged into the report.
    #[serde(default = "one")]
    pub runs: u32,
}

impl<R: Report> Saved<R> {
    /// A report of a job starting now.
    pub fn new(report: R, batch_size: Option<usize>) -> Self {
        Self {
            report,
            batch_size,
            started_at: now(),
            finished_at: now(),
            runs: 1,
        }
    }

    /// Notes that the job (or its latest run) ended now.
    pub fn finished(&mut self) {
        self.finished_at = now();
    }
}

/// A saved job report of any operation, tagged by `operation` in JSON
/// (`assign`, `unassign`, `unassign-instances`, `bulk-assign`).
///
/// Every unique input appears exactly once, in the done bucket, the refused
/// bucket, or `notAttempted`; [`load`](Self::load) refuses a file that
/// breaks that rule, since resuming it could send an input twice or lose
/// one. [`save`](Self::save) writes a temporary file and renames it over
/// the target, so an interrupted write never leaves half a report.
///
/// ```no_run
/// use gong_flows::SavedReport;
///
/// let saved = SavedReport::load("job.json".as_ref())?;
/// println!("{} inputs left to do", saved.not_attempted_count());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SavedReport {
    /// Assign prospects by CRM id.
    Assign(Saved<AssignReport>),
    /// Unassign prospects by CRM id.
    Unassign(Saved<UnassignReport>),
    /// Unassign flow instances.
    UnassignInstances(Saved<UnassignReport>),
    /// Bulk assignment.
    BulkAssign(Saved<BulkAssignReport>),
}

impl SavedReport {
    /// Inputs not attempted: what a resume would send.
    pub fn not_attempted_count(&self) -> usize {
        match self {
            SavedReport::Assign(s) => s.report.not_attempted.len(),
            SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
                s.report.not_attempted.len()
            }
            SavedReport::BulkAssign(s) => s.report.not_attempted.len(),
        }
    }

    /// Checks the report's rule: every input once.
    pub fn check(&self) -> Result<(), String> {
        let ids: Vec<String> = match self {
            SavedReport::Assign(s) => {
                let r = &s.report;
                r.assigned
                    .iter()
                    .map(|a| a.crm_prospect_id.clone())
                    .chain(r.not_assigned.iter().map(|n| n.crm_prospect_id.clone()))
                    .chain(r.not_attempted.iter().map(|n| n.id.as_str().to_owned()))
                    .collect()
            }
            SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
                let r = &s.report;
                r.unassigned
                    .iter()
                    .map(|u| &u.id)
                    .chain(r.not_unassigned.iter().map(|n| &n.id))
                    .chain(r.not_attempted.iter().map(|n| &n.id))
                    .map(ItemId::to_string)
                    .collect()
            }
            SavedReport::BulkAssign(s) => s
                .report
                .not_attempted
                .iter()
                .map(|n| n.prospect.key())
                .collect(),
        };
        let mut seen = HashSet::with_capacity(ids.len());
        for id in &ids {
            if id.is_empty() {
                return Err("an entry has no id".to_owned());
            }
            if !seen.insert(id.as_str()) {
                return Err(format!("id {id:?} appears more than once"));
            }
        }
        Ok(())
    }

    /// Reads a report file, refusing one that is not a report or breaks
    /// the report's rule (as [`io::ErrorKind::InvalidData`]).
    pub fn load(path: &Path) -> io::Result<SavedReport> {
        let text = std::fs::read_to_string(path)?;
        let report: SavedReport = serde_json::from_str(&text).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not a gong-flows report: {e}"),
            )
        })?;
        report.check().map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidData, format!("damaged report: {e}"))
        })?;
        Ok(report)
    }

    /// Writes the report: to a temporary file beside it, then renamed over
    /// it.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let mut json = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        json.push('\n');
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report".to_owned());
        let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        std::fs::write(&temp, json)?;
        std::fs::rename(&temp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
    }
}
