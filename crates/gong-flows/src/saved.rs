//! Reports saved to a file, and the life of a job around one: the
//! checkpoint written before anything is sent, the report that replaces it,
//! and the resume that sends exactly what is left and merges the outcome.

use crate::client::Client;
use crate::control::JobHandle;
use crate::error::{Error, Result};
use crate::job::{IntoJob, ItemOf, Job, prepare};
use crate::ops::assign::Assign;
use crate::ops::bulk::BulkAssign;
use crate::ops::unassign::{UnassignInstances, UnassignProspects};
use crate::ops::unassign_job::Target;
use crate::outcome::Outcome;
use crate::report::{
    AssignReport, BulkAssignReport, BulkNotAttempted, ItemId, NotAttempted, Report, UnassignReport,
};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

fn one() -> u32 {
    1
}

/// Now, as RFC 3339 UTC with milliseconds (the format of `startedAt` and
/// `finishedAt`).
fn now() -> String {
    chrono::DateTime::<chrono::Utc>::from(SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A report with what its file adds: the job's chunk size, when it started
/// and last ended, and how many runs (the first, plus one per resume) it
/// holds. In JSON the report's own fields sit beside these.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved<R> {
    /// The job's report.
    #[serde(flatten)]
    pub report: R,
    /// Inputs per call, when the job chose it.
    #[serde(default, alias = "batchSize", skip_serializing_if = "Option::is_none")]
    pub chunk_size: Option<usize>,
    /// When the first run started.
    pub started_at: String,
    /// When the last run ended.
    pub finished_at: String,
    /// Runs merged into the report.
    #[serde(default = "one")]
    pub runs: u32,
    /// The company the job ran for (Gong's host and a fingerprint of the
    /// credentials, never a secret): a resume with another refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<crate::Company>,
    /// The file the job's inputs were read from, when the caller recorded
    /// it ([`SavedJob::with_input`]): a failures file is made from its rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<InputFile>,
    /// The name the caller gave the company's settings (the command line's
    /// `--profile`), when it gave one: a resume can pick the same settings,
    /// and refuse others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

/// The file a job's inputs were read from: enough to find each input's row
/// again later, and to tell that the file has changed since.
///
/// ```
/// use gong_flows::InputFile;
///
/// let file = InputFile::new("contacts.csv", Some("Contact ID"), b"Contact ID\n0035g00000AbCdE\n");
/// assert_eq!(file.bytes, 27);
/// assert!(file.matches(b"Contact ID\n0035g00000AbCdE\n").is_ok());
/// assert!(file.matches(b"Contact ID\n0035g00000FgHiJ\n").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputFile {
    /// The file's path, as given (`<stdin>` for standard input).
    pub path: String,
    /// The CSV column the ids came from, if the file is a CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The file's size in bytes.
    pub bytes: u64,
    /// The SHA-256 of the file's bytes, in hex.
    pub sha256: String,
}

impl InputFile {
    /// The record of `contents`, read from `path` (ids from `column`).
    pub fn new(path: impl Into<String>, column: Option<&str>, contents: &[u8]) -> InputFile {
        InputFile {
            path: path.into(),
            column: column.map(str::to_owned),
            bytes: contents.len() as u64,
            sha256: sha256_hex(contents),
        }
    }

    /// Whether `contents` are the bytes this record was made from; if not,
    /// why not, in words.
    pub fn matches(&self, contents: &[u8]) -> std::result::Result<(), String> {
        if contents.len() as u64 != self.bytes {
            return Err(format!(
                "{} has changed since the job read it ({} bytes then, {} now)",
                self.path,
                self.bytes,
                contents.len()
            ));
        }
        if sha256_hex(contents) != self.sha256 {
            return Err(format!(
                "{} has changed since the job read it (same size, other contents)",
                self.path
            ));
        }
        Ok(())
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest as _, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl<R: Report> Saved<R> {
    /// A report of a job starting now.
    pub fn new(report: R, chunk_size: Option<usize>) -> Self {
        Self {
            report,
            chunk_size,
            started_at: now(),
            finished_at: now(),
            runs: 1,
            company: None,
            input: None,
            profile: None,
        }
    }

    /// Records the company `client` works for.
    fn for_company(mut self, client: &Client) -> Self {
        self.company = Some(client.company());
        self
    }

    /// Notes that the job (or its latest run) ended now.
    pub fn finished(&mut self) {
        self.finished_at = now();
    }

    /// When the first run started, if `started_at` reads as a time.
    fn started(&self) -> Option<SystemTime> {
        chrono::DateTime::parse_from_rfc3339(&self.started_at)
            .ok()
            .map(SystemTime::from)
    }
}

/// A saved job report of any operation, tagged by `operation` in JSON
/// (`assign`, `unassign`, `unassign-instances`, `bulk-assign`).
///
/// Every unique input appears exactly once, in one bucket;
/// [`load`](Self::load) refuses a file that breaks that rule, since
/// resuming it could send an input twice or lose one. [`save`](Self::save)
/// writes a temporary file and renames it over the target, so an
/// interrupted write never leaves half a report. [`SavedJob`] runs a job
/// around one: checkpoint, run, resume.
///
/// ```no_run
/// use gong_flows::SavedReport;
///
/// let saved = SavedReport::load("job.json".as_ref())?;
/// println!("{}", saved.summary());
/// println!("{} inputs left to do", saved.unfinished());
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

impl From<Saved<AssignReport>> for SavedReport {
    fn from(saved: Saved<AssignReport>) -> Self {
        SavedReport::Assign(saved)
    }
}

impl From<Saved<BulkAssignReport>> for SavedReport {
    fn from(saved: Saved<BulkAssignReport>) -> Self {
        SavedReport::BulkAssign(saved)
    }
}

impl From<AssignReport> for SavedReport {
    fn from(report: AssignReport) -> Self {
        SavedReport::Assign(Saved::new(report, None))
    }
}

impl From<BulkAssignReport> for SavedReport {
    fn from(report: BulkAssignReport) -> Self {
        SavedReport::BulkAssign(Saved::new(report, None))
    }
}

/// What a report leaves to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Left {
    /// Inputs not attempted, or whose outcome is unknown.
    pub not_attempted: usize,
    /// Bulk prospects whose bulk job Gong had not finished: polled again.
    pub pending: usize,
    /// Of all these, the inputs a resume sends (or polls). A bulk prospect
    /// whose submit may have started a bulk job is not submitted again.
    pub resumable: usize,
}

impl Left {
    /// Inputs left in all: not attempted and pending.
    pub fn total(&self) -> usize {
        self.not_attempted + self.pending
    }
}

/// What a resume would do, in words: `nothing to resume`, `N left, none of
/// which can be resumed safely (…)`, or `N left, M to resume`.
///
/// ```
/// let mut left = gong_flows::Left::default();
/// assert_eq!(left.to_string(), "nothing to resume");
/// left.not_attempted = 3;
/// assert!(left.to_string().starts_with("3 left, none of which can be resumed safely"));
/// left.resumable = 2;
/// assert_eq!(left.to_string(), "3 left, 2 to resume");
/// ```
impl fmt::Display for Left {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.total(), self.resumable) {
            (0, _) => f.write_str("nothing to resume"),
            (total, 0) => write!(
                f,
                "{total} left, none of which can be resumed safely (a bulk submit whose \
                 answer was lost may have started a bulk job: check in Gong)"
            ),
            (total, resumable) => write!(f, "{total} left, {resumable} to resume"),
        }
    }
}

/// Applies `$body` to the report inside any variant, as `$s` (a `Saved<_>`).
macro_rules! each {
    ($saved:expr, $s:ident => $body:expr) => {
        match $saved {
            SavedReport::Assign($s) => $body,
            SavedReport::Unassign($s) | SavedReport::UnassignInstances($s) => $body,
            SavedReport::BulkAssign($s) => $body,
        }
    };
}

impl SavedReport {
    /// The operation, as the `operation` field names it.
    pub fn operation(&self) -> &'static str {
        match self {
            SavedReport::Assign(_) => "assign",
            SavedReport::Unassign(_) => "unassign",
            SavedReport::UnassignInstances(_) => "unassign-instances",
            SavedReport::BulkAssign(_) => "bulk-assign",
        }
    }

    /// Inputs left to do: not attempted and pending (the one definition of
    /// "unfinished"; a report with none is finished).
    pub fn unfinished(&self) -> usize {
        self.left().total()
    }

    /// What the report leaves to do, and how much of it a resume does.
    pub fn left(&self) -> Left {
        match self {
            SavedReport::BulkAssign(s) => {
                let r = &s.report;
                let safe = r.not_attempted.iter().filter(|n| !n.may_have_been_sent);
                Left {
                    not_attempted: r.not_attempted.len(),
                    pending: r.pending.len(),
                    resumable: r.pending.len() + safe.count(),
                }
            }
            _ => {
                let n = each!(self, s => s.report.not_attempted_count());
                Left {
                    not_attempted: n,
                    pending: 0,
                    resumable: n,
                }
            }
        }
    }

    /// What the job came to, as an exit code class.
    pub fn outcome(&self) -> Outcome {
        each!(self, s => Outcome::of_report(&s.report))
    }

    /// The company the report was made for, if it records one.
    pub fn company(&self) -> Option<&crate::Company> {
        each!(self, s => s.company.as_ref())
    }

    /// The name of the settings the report was made with (see
    /// [`SavedJob::profile`]), if it records one.
    pub fn profile(&self) -> Option<&str> {
        each!(self, s => s.profile.as_deref())
    }

    /// The file the job's inputs were read from, if the job recorded it
    /// ([`SavedJob::with_input`]).
    pub fn input(&self) -> Option<&InputFile> {
        each!(self, s => s.input.as_ref())
    }

    /// The error that stopped the job, if one did.
    pub fn stopped(&self) -> Option<&Arc<Error>> {
        each!(self, s => s.report.stats().stopped.as_ref())
    }

    /// Duplicates, calls and request ids of every run.
    pub fn stats(&self) -> &crate::report::JobStats {
        each!(self, s => s.report.stats())
    }

    /// The summary a person reads: what the job was, a line per bucket,
    /// and the first refusals.
    pub fn summary(&self) -> Summary {
        crate::summary::summary(self)
    }

    /// Checks the report's rule: every input once, in one bucket (pending
    /// included), and no entry that contradicts itself.
    pub fn check(&self) -> std::result::Result<(), String> {
        let ids: Vec<String> = match self {
            SavedReport::Assign(s) => {
                let r = &s.report;
                let ids = r.assigned.iter().map(|a| &a.id);
                let ids = ids.chain(r.already_in_flow.iter().map(|a| &a.id));
                let ids = ids.chain(r.not_assigned.iter().map(|n| &n.id));
                let ids = ids.chain(r.not_attempted.iter().map(|n| &n.id));
                ids.map(ItemId::to_string).collect()
            }
            SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
                let r = &s.report;
                let ids = r.unassigned.iter().map(|u| &u.id);
                let ids = ids.chain(r.not_unassigned.iter().map(|n| &n.id));
                let ids = ids.chain(r.not_attempted.iter().map(|n| &n.id));
                ids.map(ItemId::to_string).collect()
            }
            SavedReport::BulkAssign(s) => {
                let r = &s.report;
                let done = r.assigned.iter().chain(&r.not_assigned).filter_map(|b| {
                    b.prospect
                        .as_ref()
                        .map(|p| p.key())
                        .or_else(|| b.crm_prospect_id.as_ref().map(|id| format!("crm:{id}")))
                });
                let ids: Vec<String> = done
                    .chain(r.pending.iter().map(|p| p.prospect.key()))
                    .chain(r.not_attempted.iter().map(|n| n.prospect.key()))
                    .collect();
                ids
            }
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
        let cancelled = Error::Cancelled.to_string();
        let contradiction = match self {
            SavedReport::BulkAssign(s) => s
                .report
                .not_attempted
                .iter()
                .find(|n| n.may_have_been_sent && n.error.to_string() == cancelled)
                .map(|n| n.prospect.key()),
            _ => each!(self, s => s.report.not_attempted_entries())
                .iter()
                .find(|n| n.may_have_been_sent && n.error.to_string() == cancelled)
                .map(|n| n.id.to_string()),
        };
        if let Some(id) = contradiction {
            return Err(format!(
                "{id:?} is said to be cancelled before it was sent, and to have maybe been sent"
            ));
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
        write_json(path, self)
    }
}

/// Writes `value` as pretty JSON to `path` atomically: to a temporary file
/// beside it, then renamed over it, so that a reader (or a crash) never
/// sees half a file. What [`SavedReport::save`] writes with; for other
/// reports, such as a [`SyncReport`](crate::SyncReport), too.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("report.json");
/// gong_flows::write_json(&path, &serde_json::json!({"done": 3}))?;
/// assert_eq!(std::fs::read_to_string(&path)?, "{\n  \"done\": 3\n}\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> io::Result<()> {
    let mut json = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
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

/// The entries not attempted, for reports of id inputs.
trait Entries {
    fn not_attempted_entries(&self) -> &[NotAttempted];
    fn not_attempted_mut(&mut self) -> &mut [NotAttempted];
}

impl Entries for AssignReport {
    fn not_attempted_entries(&self) -> &[NotAttempted] {
        &self.not_attempted
    }
    fn not_attempted_mut(&mut self) -> &mut [NotAttempted] {
        &mut self.not_attempted
    }
}

impl Entries for UnassignReport {
    fn not_attempted_entries(&self) -> &[NotAttempted] {
        &self.not_attempted
    }
    fn not_attempted_mut(&mut self) -> &mut [NotAttempted] {
        &mut self.not_attempted
    }
}

impl Entries for BulkAssignReport {
    fn not_attempted_entries(&self) -> &[NotAttempted] {
        &[]
    }
    fn not_attempted_mut(&mut self) -> &mut [NotAttempted] {
        &mut []
    }
}

pub use crate::summary::Summary;

/// Why the inputs of a checkpoint are "not attempted": should the process
/// die before the job's report replaces it, the file still accounts for
/// every input, as outcome unknown (a resume settles them by look-up).
fn unfinished_error() -> Arc<Error> {
    Arc::new(Error::Reported {
        message: "the job did not finish (the process ended before its final report)".into(),
    })
}

/// A job run around a saved report: the checkpoint written before anything
/// is sent (every input accounted for, as outcome unknown), and the report
/// that replaces it when the job ends. Made from a job's builder (a new
/// job) or from a saved report (a resume: exactly what is left, merged into
/// it).
///
/// ```no_run
/// use gong_flows::{Client, SavedJob, SavedReport};
/// use std::path::Path;
///
/// # async fn demo(client: Client, ids: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
/// let path = Path::new("job.json");
/// let job = SavedJob::new(client.assign("1695493301223590792", "owner@example.com").prospects(ids))?;
/// job.checkpoint().save(path)?;          // before anything is sent
/// let (handle, report) = job.start()?;
/// # let _ = handle;
/// let saved = report.await;              // the checkpoint, replaced
/// saved.save(path)?;
///
/// // Later, or after a crash: exactly what is left.
/// let job = SavedJob::resume(SavedReport::load(path)?, &client)?;
/// let (_, report) = job.start()?;
/// report.await.save(path)?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use]
pub struct SavedJob {
    /// The report before this run: the checkpoint of a new job, or the
    /// earlier report of a resume.
    base: SavedReport,
    run: Run,
    resume: bool,
    /// Repeats left out before the job, for its report.
    duplicates: Vec<String>,
}

#[derive(Debug)]
enum Run {
    Assign(Assign),
    Unassign(UnassignProspects),
    UnassignInstances(UnassignInstances),
    Bulk(crate::ops::bulk::BulkResume),
    /// Nothing to send: the report is finished, or what is left cannot be
    /// resumed safely.
    Nothing,
}

/// A job builder [`SavedJob::new`] takes: assign, unassign (by CRM id or
/// instance id), bulk assign. Sealed.
pub trait SaveableJob: sealed::Sealed {
    #[doc(hidden)]
    fn checkpoint(self) -> Result<(SavedReport, SavedRun)>;
}

/// The run a [`SaveableJob`] makes (opaque).
#[derive(Debug)]
pub struct SavedRun(Run);

mod sealed {
    pub trait Sealed {}
}

/// The unique inputs of a job, checked: the first bad one is an error.
fn unique<B: IntoJob + Clone>(builder: &B) -> Result<(Vec<ItemOf<B>>, Vec<String>)> {
    let (job, items) = builder.clone().into_job()?;
    prepare(&*job, items)
}

fn not_finished(ids: impl Iterator<Item = ItemId>) -> Vec<NotAttempted> {
    let error = unfinished_error();
    ids.map(|id| NotAttempted {
        id,
        error: error.clone(),
        may_have_been_sent: true,
    })
    .collect()
}

impl sealed::Sealed for Assign {}
impl SaveableJob for Assign {
    fn checkpoint(self) -> Result<(SavedReport, SavedRun)> {
        let (job, _) = self.clone().into_job()?;
        let (ids, duplicates) = unique(&self)?;
        let mut report = job.report();
        report.not_attempted = not_finished(ids.into_iter().map(ItemId::CrmProspectId));
        report.stats.duplicates = duplicates;
        let saved = Saved::new(report, Some(job.chunk_size())).for_company(job.client());
        Ok((SavedReport::Assign(saved), SavedRun(Run::Assign(self))))
    }
}

impl sealed::Sealed for UnassignProspects {}
impl SaveableJob for UnassignProspects {
    fn checkpoint(self) -> Result<(SavedReport, SavedRun)> {
        let (job, _) = self.clone().into_job()?;
        let (ids, duplicates) = unique(&self)?;
        let mut report = job.report();
        report.not_attempted = not_finished(ids.into_iter().map(|t| t.into_id(true)));
        report.stats.duplicates = duplicates;
        let saved = Saved::new(report, None).for_company(job.client());
        Ok((SavedReport::Unassign(saved), SavedRun(Run::Unassign(self))))
    }
}

impl sealed::Sealed for UnassignInstances {}
impl SaveableJob for UnassignInstances {
    fn checkpoint(self) -> Result<(SavedReport, SavedRun)> {
        let (job, _) = self.clone().into_job()?;
        let (ids, duplicates) = unique(&self)?;
        let mut report = job.report();
        report.not_attempted = not_finished(ids.into_iter().map(|t| t.into_id(false)));
        report.stats.duplicates = duplicates;
        let saved = Saved::new(report, None).for_company(job.client());
        let run = SavedRun(Run::UnassignInstances(self));
        Ok((SavedReport::UnassignInstances(saved), run))
    }
}

impl sealed::Sealed for BulkAssign {}
impl SaveableJob for BulkAssign {
    fn checkpoint(self) -> Result<(SavedReport, SavedRun)> {
        let (job, _) = self.clone().into_job()?;
        let (items, duplicates) = unique(&self)?;
        let mut report = job.report();
        let error = unfinished_error();
        report.not_attempted = items
            .into_iter()
            .map(|item| BulkNotAttempted {
                prospect: item.into_prospect(),
                error: error.clone(),
                may_have_been_sent: true,
            })
            .collect();
        report.stats.duplicates = duplicates;
        let saved = Saved::new(report, None).for_company(job.client());
        let run = SavedRun(Run::Bulk(self.resume(Vec::new())));
        Ok((SavedReport::BulkAssign(saved), run))
    }
}

impl SavedJob {
    /// A new job: its checkpoint accounts for every unique input as not
    /// finished. Checks the inputs and settings like the job's `send()`:
    /// the first bad one is an error, before anything is sent.
    pub fn new(job: impl SaveableJob) -> Result<SavedJob> {
        let (base, SavedRun(run)) = job.checkpoint()?;
        Ok(SavedJob {
            base,
            run,
            resume: false,
            duplicates: Vec::new(),
        })
    }

    /// A resume of a saved report: sends exactly what it left to do and
    /// merges the outcome into it.
    ///
    /// - inputs not attempted are sent again; those whose outcome was
    ///   unknown (`mayHaveBeenSent`) are settled by a look-up first, so
    ///   nothing is applied twice and what the earlier run did is reported
    ///   done (assigned, or unassigned `confirmedByLookup`);
    /// - bulk prospects whose bulk job was pending are polled; bulk
    ///   prospects never submitted are submitted, but not those whose submit
    ///   may have started a bulk job (they stay not attempted: check in Gong).
    ///
    /// A report made for another company (another Gong host, or other
    /// credentials) is refused with [`Error::OtherCompany`]: its inputs
    /// belong to that company's flows. [`resume_anywhere`](Self::resume_anywhere)
    /// resumes it all the same.
    pub fn resume(saved: SavedReport, client: &Client) -> Result<SavedJob> {
        let theirs = each!(&saved, s => s.company.clone());
        let ours = client.company();
        match theirs {
            Some(theirs) if theirs != ours => Err(Error::OtherCompany {
                report: theirs.to_string(),
                client: ours.to_string(),
            }),
            _ => Self::resume_anywhere(saved, client),
        }
    }

    /// Like [`resume`](Self::resume), for whatever company `client` works
    /// for (a report moved to a new host of the same company, say); the
    /// report then records that company.
    pub fn resume_anywhere(mut saved: SavedReport, client: &Client) -> Result<SavedJob> {
        each!(&mut saved, s => s.company = Some(client.company()));
        let run = match &saved {
            _ if saved.left().resumable == 0 => Run::Nothing,
            SavedReport::Assign(s) => {
                let r = &s.report;
                let unknown = r.not_attempted.iter().filter(|n| n.may_have_been_sent);
                let mut job = client
                    .assign(&r.flow_id, &r.owner_email)
                    .earlier_outcome_unknown(unknown.map(|n| n.id.as_str().to_owned()))
                    .prospects(r.not_attempted.iter().map(|n| n.id.as_str()));
                if let Some(size) = s.chunk_size {
                    job = job.chunk_size(size);
                }
                if let Some(started) = s.started() {
                    job = job.earlier_job_started(started);
                }
                Run::Assign(job)
            }
            SavedReport::Unassign(s) => {
                let r = &s.report;
                let unknown = r.not_attempted.iter().filter(|n| n.may_have_been_sent);
                let mut job = client
                    .unassign_prospects(r.not_attempted.iter().map(|n| n.id.as_str()))
                    .earlier_outcome_unknown(unknown.map(|n| n.id.as_str().to_owned()));
                if let Some(flow) = &r.flow_id {
                    job = job.flow_id(flow);
                }
                if let Some(by) = &r.unassigned_by {
                    job = job.unassigned_by(by);
                }
                Run::Unassign(job)
            }
            SavedReport::UnassignInstances(s) => {
                let r = &s.report;
                let unknown = r.not_attempted.iter().filter(|n| n.may_have_been_sent);
                let mut job = client
                    .unassign_instances(r.not_attempted.iter().map(|n| n.id.as_str()))
                    .earlier_outcome_unknown(unknown.map(|n| n.id.as_str().to_owned()));
                if let Some(by) = &r.unassigned_by {
                    job = job.unassigned_by(by);
                }
                Run::UnassignInstances(job)
            }
            SavedReport::BulkAssign(s) => {
                let r = &s.report;
                let safe = r.not_attempted.iter().filter(|n| !n.may_have_been_sent);
                let job = client
                    .bulk_assign(&r.flow_id, &r.owner_email)
                    .prospects(safe.map(|n| n.prospect.clone()))
                    .resume(r.pending.clone());
                Run::Bulk(job)
            }
        };
        let mut base = saved;
        if !matches!(run, Run::Nothing) {
            flag_rerun(&mut base);
        }
        Ok(SavedJob {
            base,
            run,
            resume: true,
            duplicates: Vec::new(),
        })
    }

    /// Inputs the caller left out as repeats before building the job (e.g.
    /// while reading a file): the report lists them among its duplicates.
    pub fn with_duplicates(mut self, duplicates: Vec<String>) -> Self {
        if !duplicates.is_empty() {
            each!(&mut self.base, s => s.report.stats_mut().duplicates.extend(duplicates.iter().cloned()));
            self.duplicates.extend(duplicates);
        }
        self
    }

    /// Records the file the inputs were read from in the report, so that
    /// the rows of the inputs left undone can be found again
    /// ([`SavedReport::failures`], `gong_flows::input::write_failures`).
    /// A resume keeps the record of the report it resumes.
    pub fn with_input(mut self, input: InputFile) -> Self {
        each!(&mut self.base, s => s.input = Some(input));
        self
    }

    /// Records in the report the name of the settings the job runs with
    /// (the command line's profile), next to its company; a resume reads it
    /// back with [`SavedReport::profile`].
    ///
    /// ```
    /// # let client = gong_flows::Client::builder().base_url("https://api.gong.io").basic_auth("K", "S").build()?;
    /// use gong_flows::SavedJob;
    ///
    /// let job = SavedJob::new(client.assign("1695493301223590792", "owner@example.com").prospects(["a1"]))?
    ///     .profile("acme-prod");
    /// assert_eq!(job.checkpoint().profile(), Some("acme-prod"));
    /// assert_eq!(job.checkpoint().company().map(|c| c.host.as_str()), Some("api.gong.io"));
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        each!(&mut self.base, s => s.profile = Some(name));
        self
    }

    /// What this run will send, and the calls it takes when nothing fails
    /// (see [`Plan`](crate::Plan)); unassign from every flow first looks
    /// up which flows the prospects are in.
    pub async fn plan_with_reads(&self) -> Result<crate::Plan> {
        match &self.run {
            Run::Assign(job) => job.plan(),
            Run::Unassign(job) => job.plan_with_reads().await,
            Run::UnassignInstances(job) => job.plan(),
            Run::Bulk(job) => job.plan(),
            Run::Nothing => Ok(crate::Plan::empty()),
        }
    }

    /// The dry run of this run: its plan ([`plan_with_reads`](Self::plan_with_reads))
    /// with the repeats left out before the job was built
    /// ([`with_duplicates`](Self::with_duplicates)), named as its report
    /// names the job, with its flow and its owner (or the user asking for
    /// a removal). Sends nothing but the plan's reads.
    ///
    /// ```
    /// # async fn demo() -> gong_flows::Result<()> {
    /// # let client = gong_flows::Client::builder().base_url("https://api.gong.io").basic_auth("K", "S").build()?;
    /// use gong_flows::SavedJob;
    ///
    /// let job = client.assign("1695493301223590792", "owner@example.com").prospects(["a1", "b2"]);
    /// let dry = SavedJob::new(job)?.with_duplicates(vec!["a1".into()]).dry_run().await?;
    /// assert_eq!(dry.operation, "assign");
    /// assert_eq!(dry.what, "assign to flow 1695493301223590792 (owner owner@example.com)");
    /// assert_eq!((dry.plan.inputs, dry.plan.duplicates.len()), (2, 1));
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub async fn dry_run(&self) -> Result<crate::DryRun> {
        let mut plan = self.plan_with_reads().await?;
        plan.duplicates.extend(self.duplicates.iter().cloned());
        let mut dry = crate::DryRun::new(self.base.operation(), plan);
        dry.what = crate::summary::title(&self.base);
        let (flow, owner) = match &self.base {
            SavedReport::Assign(s) => (Some(&s.report.flow_id), Some(&s.report.owner_email)),
            SavedReport::BulkAssign(s) => (Some(&s.report.flow_id), Some(&s.report.owner_email)),
            SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
                (s.report.flow_id.as_ref(), s.report.unassigned_by.as_ref())
            }
        };
        (dry.flow_id, dry.owner_email) = (flow.cloned(), owner.cloned());
        Ok(dry)
    }

    /// The report to write before the job starts: for a new job, every
    /// input not finished; for a resume, the report as it was.
    pub fn checkpoint(&self) -> &SavedReport {
        &self.base
    }

    /// Inputs this run sends (or polls).
    pub fn inputs(&self) -> usize {
        match (&self.run, self.resume) {
            (Run::Nothing, _) => 0,
            (_, true) => self.base.left().resumable,
            (_, false) => self.base.left().total(),
        }
    }

    /// Whether this is a resume of an earlier report (rather than a new job).
    pub fn is_resume(&self) -> bool {
        self.resume
    }

    /// The chunk size of the job's calls.
    pub fn chunk_size(&self) -> usize {
        let saved = each!(&self.base, s => s.chunk_size);
        saved.unwrap_or(match &self.base {
            SavedReport::Assign(_) => crate::ChunkSizes::MAX_ASSIGN,
            SavedReport::Unassign(_) => crate::ChunkSizes::MAX_LOOKUP,
            SavedReport::UnassignInstances(_) => crate::ChunkSizes::MAX_UNASSIGN_INSTANCES,
            SavedReport::BulkAssign(_) => crate::ChunkSizes::MAX_BULK,
        })
    }

    /// Starts the run: its handle, and the future of the report that
    /// replaces the checkpoint (for a resume, the earlier report with this
    /// run merged in; `runs` counts it).
    pub fn start(self) -> Result<(JobHandle, BoxFuture<'static, SavedReport>)> {
        let SavedJob {
            base,
            run,
            resume,
            duplicates,
        } = self;
        fn go<R, F>(
            (handle, report): (JobHandle, F),
            saved: Saved<R>,
            wrap: fn(Saved<R>) -> SavedReport,
            (resume, duplicates): (bool, Vec<String>),
        ) -> (JobHandle, BoxFuture<'static, SavedReport>)
        where
            R: Report,
            F: std::future::Future<Output = R> + Send + 'static,
        {
            let done = async move {
                let mut run = report.await;
                run.stats_mut().duplicates.splice(0..0, duplicates);
                wrap(merge(saved, run, resume))
            };
            (handle, Box::pin(done))
        }
        fn started<R>(
            (handle, job): (JobHandle, crate::JobFuture<R>),
        ) -> (JobHandle, BoxFuture<'static, R>) {
            (handle, job.report())
        }
        let how = (resume, duplicates);
        Ok(match (run, base) {
            (Run::Assign(job), SavedReport::Assign(s)) => {
                go(started(job.start()?), s, SavedReport::Assign, how)
            }
            (Run::Unassign(job), SavedReport::Unassign(s)) => {
                go(started(job.start()?), s, SavedReport::Unassign, how)
            }
            (Run::UnassignInstances(job), SavedReport::UnassignInstances(s)) => go(
                started(job.start()?),
                s,
                SavedReport::UnassignInstances,
                how,
            ),
            (Run::Bulk(job), SavedReport::BulkAssign(s)) => {
                go(started(job.start()?), s, SavedReport::BulkAssign, how)
            }
            (_, base) => {
                // Nothing to send.
                let handle = crate::job::finished();
                (handle, Box::pin(async move { base }))
            }
        })
    }
}

/// A resume's checkpoint: the inputs it re-runs are flagged as possibly
/// sent, so that should the process die before its report replaces the
/// file, the next resume settles them by look-up rather than reporting what
/// this run did as never done.
fn flag_rerun(saved: &mut SavedReport) {
    let error = unfinished_error();
    match saved {
        SavedReport::BulkAssign(s) => {
            // Those never sent are submitted now; the others are not re-run.
            for entry in s
                .report
                .not_attempted
                .iter_mut()
                .filter(|e| !e.may_have_been_sent)
            {
                entry.may_have_been_sent = true;
                entry.error = error.clone();
            }
        }
        other => {
            let entries = each!(other, s => s.report.not_attempted_mut());
            for entry in entries {
                entry.may_have_been_sent = true;
                entry.error = error.clone();
            }
        }
    }
}

/// The report after a run: a new job's report replaces its checkpoint; a
/// resumed run replaces exactly the inputs it re-ran.
fn merge<R: Report>(mut saved: Saved<R>, run: R, resume: bool) -> Saved<R> {
    if resume {
        saved.report.merge_resumed(run);
        saved.runs += 1;
    } else {
        saved.report = run;
    }
    saved.finished();
    saved
}

impl Target {
    pub(crate) fn into_id(self, by_crm: bool) -> ItemId {
        let id = self.id;
        if by_crm {
            ItemId::CrmProspectId(id)
        } else {
            ItemId::FlowInstanceId(id)
        }
    }
}

impl fmt::Display for SavedReport {
    /// The summary (see [`SavedReport::summary`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.summary(), f)
    }
}

/// The hold a job keeps on its report file while it runs, so that a second
/// job (a `resume` started while the first still runs) cannot work on the
/// same report: it would send every input again, and the last writer would
/// win. Released when dropped, and by the operating system when the
/// process dies, however it dies.
#[derive(Debug)]
#[must_use = "the report is locked only while this is held"]
pub struct ReportLock {
    _lock: crate::lock::FileLock,
}

impl SavedReport {
    /// Locks the report at `path` (through a lock file beside it, since a
    /// save replaces the report's file) without waiting. Held elsewhere, it
    /// fails with [`io::ErrorKind::WouldBlock`], naming the holder.
    pub fn lock(path: &Path) -> io::Result<ReportLock> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report".to_owned());
        let lock_path = path.with_file_name(format!(".{name}.lock"));
        match crate::lock::try_lock(&lock_path)? {
            Some(lock) => Ok(ReportLock { _lock: lock }),
            None => {
                let holder = crate::lock::holder(&lock_path)
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!("another job is working on this report{holder}"),
                ))
            }
        }
    }
}
