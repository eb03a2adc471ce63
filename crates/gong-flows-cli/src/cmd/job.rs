//! What every job command shares: running an SDK job under Ctrl-C and
//! SIGTERM with a progress bar, the report file, the summary and the exit
//! code.

use crate::context::{Ctx, Output};
use crate::exit::{CliError, describe};
use crate::output::{print_json, print_text, table};
use gong_flows::{JobHandle, Outcome, Report, SavedReport};
use std::future::Future;
use std::path::Path;
use tokio::sync::mpsc;

/// Ctrl-C (and SIGTERM), as a stream of requests to stop. Once listened
/// to, the signals no longer kill the process: the job decides.
#[derive(Debug)]
pub struct Interrupts {
    rx: mpsc::UnboundedReceiver<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Interrupts {
    /// Starts listening. On Unix the handlers are installed before this
    /// returns, so that a signal arriving at any later moment is caught.
    pub fn listen() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        #[cfg(unix)]
        let task = {
            use tokio::signal::unix::{Signal, SignalKind, signal};
            async fn next(signal: &mut Option<Signal>) -> Option<()> {
                match signal {
                    Some(signal) => signal.recv().await,
                    None => std::future::pending().await,
                }
            }
            let mut interrupt = signal(SignalKind::interrupt()).ok();
            let mut terminate = signal(SignalKind::terminate()).ok();
            tokio::spawn(async move {
                loop {
                    let got = tokio::select! {
                        Some(()) = next(&mut interrupt) => true,
                        Some(()) = next(&mut terminate) => true,
                        else => false,
                    };
                    if !got || tx.send(()).is_err() {
                        break;
                    }
                }
            })
        };
        #[cfg(not(unix))]
        let task = tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                if tx.send(()).is_err() {
                    break;
                }
            }
        });
        Self { rx, task }
    }

    /// The next request to stop (never, if signals cannot be listened to).
    pub async fn next(&mut self) {
        if self.rx.recv().await.is_none() {
            std::future::pending::<()>().await;
        }
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Runs a started job to its end with a progress bar. The first Ctrl-C (or
/// SIGTERM) cancels it: the calls in flight finish, nothing more is sent,
/// and waits for a slot or a `Retry-After` end at once. A second one aborts
/// it: the calls in flight are abandoned and their inputs flagged as
/// possibly sent.
pub async fn run<R: Report>(
    ctx: &Ctx,
    (handle, report): (JobHandle, impl Future<Output = R>),
    chunk_size: usize,
) -> R {
    let progress = ctx.progress(handle.progress(), chunk_size);
    let mut interrupts = Interrupts::listen();
    let mut report = std::pin::pin!(report);
    let mut seen = 0;
    loop {
        tokio::select! {
            report = &mut report => {
                progress.finish();
                return report;
            }
            () = interrupts.next() => {
                seen += 1;
                if seen == 1 {
                    progress.note(
                        "Interrupted: finishing the calls in flight, then writing the report \
                         (Ctrl-C again to stop at once).",
                    );
                    handle.cancel();
                } else {
                    progress.note("Stopping at once; calls in flight are abandoned.");
                    handle.abort();
                }
            }
        }
    }
}

/// Writes the report before the job starts: this also proves the file can
/// be written before anything is sent. An existing file is not overwritten
/// unless `force`; a report of an unfinished job never is: it may be the
/// only record of what is left to do.
pub fn checkpoint(report: &SavedReport, path: Option<&Path>, force: bool) -> Result<(), CliError> {
    let Some(path) = path else {
        return Ok(());
    };
    refuse_overwrite(path, force)?;
    save(report, path)
}

/// Refuses to replace an existing file unless `force`, and a report of an
/// unfinished job even then.
pub fn refuse_overwrite(path: &Path, force: bool) -> Result<(), CliError> {
    if !path.exists() {
        return Ok(());
    }
    if let Ok(existing) = SavedReport::load(path) {
        let left = existing.not_attempted_count();
        if left > 0 {
            return Err(CliError::usage(format!(
                "{} holds an unfinished job ({left} not attempted): resume it with \
                 `gong-flows resume --report {}`, or choose another report file",
                path.display(),
                path.display()
            )));
        }
    }
    if force {
        return Ok(());
    }
    Err(CliError::usage(format!(
        "{} already exists: choose another report file, or add --force to overwrite it",
        path.display()
    )))
}

pub fn save(report: &SavedReport, path: &Path) -> Result<(), CliError> {
    report
        .save(path)
        .map_err(|e| CliError::usage(format!("{}: cannot write the report: {e}", path.display())))
}

/// The outcome of a saved report's job.
fn outcome(report: &SavedReport) -> Outcome {
    match report {
        SavedReport::Assign(s) => Outcome::of_report(&s.report),
        SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
            Outcome::of_report(&s.report)
        }
        SavedReport::BulkAssign(s) => Outcome::of_report(&s.report),
        _ => Outcome::Stopped,
    }
}

/// Writes the report, prints it or its summary, says what to do about
/// inputs left, and picks the exit code.
pub fn finish(output: &Output, report: &SavedReport, path: Option<&Path>) -> Result<u8, CliError> {
    // Printed first, so that a report file that cannot be written does not
    // also hide the outcome.
    if output.json {
        print_json(report)?;
    } else if !output.quiet {
        print_text(&summary(report));
    }
    if let Some(path) = path {
        save(report, path)?;
    }
    let left = report.not_attempted_count();
    let outcome = outcome(report);
    if left > 0 && !output.quiet {
        let why = stopped(report).map_or_else(|| "stopped early".to_owned(), |e| describe(&e));
        let remedy = match (outcome, report, path) {
            (Outcome::Auth, _, Some(path)) => format!(
                "Check the credentials and their scope (api:flows:write to assign or \
                 unassign), then resume with: gong-flows resume --report {}",
                path.display()
            ),
            (Outcome::Auth, ..) => "Check the credentials and their scope (api:flows:write \
                                    to assign or unassign)."
                .to_owned(),
            (Outcome::NotFound, ..) => {
                "Check the flow id (`gong-flows flows list --owner EMAIL`).".to_owned()
            }
            (_, SavedReport::BulkAssign(s), Some(path)) if !s.report.pending.is_empty() => {
                format!(
                    "Their jobs are still running at Gong: poll them later with \
                     gong-flows resume --report {}",
                    path.display()
                )
            }
            (_, SavedReport::BulkAssign(_), _) => {
                "The report lists them (a bulk submit whose answer was lost may have started \
                 a job: check before submitting them again)."
                    .to_owned()
            }
            (_, _, Some(path)) => {
                format!("Resume with: gong-flows resume --report {}", path.display())
            }
            (_, _, None) => "Run with --report FILE to be able to resume.".to_owned(),
        };
        eprintln!("{left} not attempted: {why}. {remedy}");
    }
    Ok(outcome.code())
}

fn stopped(report: &SavedReport) -> Option<gong_flows::Error> {
    let stopped = match report {
        SavedReport::Assign(s) => s.report.stats.stopped.as_ref(),
        SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
            s.report.stats.stopped.as_ref()
        }
        SavedReport::BulkAssign(s) => s.report.stats.stopped.as_ref(),
        _ => None,
    };
    stopped.map(|e| (**e).clone())
}

/// How many refusals a summary lists before pointing at the report.
const SHOWN: usize = 20;

/// The summary of a job: what it was, a line per bucket, and the first
/// refusals.
fn summary(report: &SavedReport) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut refusals: Vec<Vec<String>> = Vec::new();
    let (title, refused, stats) = match report {
        SavedReport::Assign(s) => {
            let r = &s.report;
            let reconciled = r.assigned.iter().filter(|a| a.reconciled).count();
            let mut assigned = r.assigned.len().to_string();
            if reconciled > 0 {
                assigned.push_str(&format!(" ({reconciled} reconciled)"));
            }
            rows.push(("assigned".into(), assigned));
            let already = r.already_in_flow.len().to_string();
            rows.push(("already in flow".into(), already));
            rows.push(("not assigned".into(), r.not_assigned.len().to_string()));
            rows.push(("not attempted".into(), r.not_attempted.len().to_string()));
            refusals.extend(r.not_assigned.iter().map(|n| {
                vec![
                    n.crm_prospect_id.clone(),
                    n.error_code.as_ref().map_or("-", |c| c.as_str()).to_owned(),
                    n.error_message.clone().unwrap_or_else(|| "-".into()),
                ]
            }));
            let title = format!("assign to flow {} (owner {})", r.flow_id, r.owner_email);
            (title, r.not_assigned.len(), &r.stats)
        }
        SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
            let r = &s.report;
            rows.push(("unassigned".into(), r.unassigned.len().to_string()));
            rows.push(("not unassigned".into(), r.not_unassigned.len().to_string()));
            rows.push(("not attempted".into(), r.not_attempted.len().to_string()));
            refusals.extend(
                r.not_unassigned
                    .iter()
                    .map(|n| vec![n.id.to_string(), n.error_message.clone()]),
            );
            let mut title = match report {
                SavedReport::Unassign(_) => "unassign by CRM id".to_owned(),
                _ => "unassign flow instances".to_owned(),
            };
            if let Some(flow) = &r.flow_id {
                title.push_str(&format!(" from flow {flow}"));
            }
            (title, r.not_unassigned.len(), &r.stats)
        }
        SavedReport::BulkAssign(s) => {
            let r = &s.report;
            rows.push(("bulk jobs".into(), r.jobs.len().to_string()));
            rows.push(("assigned".into(), r.assigned.len().to_string()));
            rows.push(("not assigned".into(), r.not_assigned.len().to_string()));
            rows.push(("pending".into(), r.pending.len().to_string()));
            rows.push(("not attempted".into(), r.not_attempted.len().to_string()));
            refusals.extend(r.not_assigned.iter().map(|n| {
                let who = n.prospect.as_ref().map(|p| p.key());
                let who = who.or_else(|| n.crm_prospect_id.clone());
                let why = n.error_message.as_deref().or(n.error_code.as_deref());
                vec![
                    who.unwrap_or_else(|| "-".into()),
                    n.status.as_ref().map_or("-", |s| s.as_str()).to_owned(),
                    why.unwrap_or("-").to_owned(),
                ]
            }));
            let title = format!(
                "bulk assign to flow {} (owner {})",
                r.flow_id, r.owner_email
            );
            (title, r.not_assigned.len(), &r.stats)
        }
        _ => return String::new(),
    };
    rows.push(("duplicates".into(), stats.duplicates.len().to_string()));
    rows.push(("calls".into(), stats.requests.to_string()));
    let mut text = format!("{title}\n");
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(k, v)| vec![k, v]).collect();
    for line in table(&["", ""], &rows).lines().skip(1) {
        text.push_str(&format!("  {line}\n"));
    }
    if !refusals.is_empty() {
        text.push_str(match report {
            SavedReport::Unassign(_) | SavedReport::UnassignInstances(_) => "not unassigned:\n",
            _ => "not assigned:\n",
        });
        let columns = refusals[0].len();
        refusals.truncate(SHOWN);
        for line in table(&vec![""; columns], &refusals).lines().skip(1) {
            text.push_str(&format!("  {line}\n"));
        }
        if refused > SHOWN {
            text.push_str(&format!("  ... and {} more", refused - SHOWN));
            text.push_str(" (the report, or --json, lists them all)\n");
        }
    }
    text
}
