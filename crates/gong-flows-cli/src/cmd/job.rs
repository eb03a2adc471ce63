//! What every job command shares: the report file (locked while the job
//! runs), the plan of a dry run, running an SDK job under Ctrl-C and
//! SIGTERM with a progress bar, the summary and the exit code.

use super::report::Failures;
use crate::context::{Ctx, Output};
use crate::exit::CliError;
use crate::output::{print_json, print_text};
use gong_flows::{
    CheckReport, DryRun, Finished, Interrupts, JobHandle, Outcome, ReportFile, SavedJob,
    SavedReport,
};
use std::path::Path;

/// Where a job's report goes: the given path, or a new file in the current
/// directory named after the command and the time.
pub fn report_path(given: Option<&Path>, command: &str) -> Result<ReportFile, CliError> {
    match given {
        Some(path) => Ok(ReportFile::at(path)),
        None => ReportFile::create_named(Path::new(""), &format!("gong-flows-{command}"))
            .map_err(|e| CliError::usage(format!("{e}; name one with --report FILE"))),
    }
}

/// Runs a job around its report file:
///
/// 1. the report is locked, and written before anything is sent (the
///    checkpoint: every input accounted for, as outcome unknown), which
///    also proves the file can be written;
/// 2. the job runs with a progress bar. The first Ctrl-C (or SIGTERM)
///    cancels it: the calls in flight finish, nothing more is sent, and
///    waits for a slot or a `Retry-After` end at once. A second one aborts
///    it: the calls in flight are abandoned and their inputs flagged as
///    possibly sent;
/// 3. the report replaces the checkpoint (or goes to a fallback file, if
///    it cannot be written), its summary is printed, and the exit code
///    says how the job ended;
/// 4. with `failures`, the input rows left undone are written there.
///
/// `input` is the report a resume reads, when it is not `output`.
pub async fn run(
    ctx: &Ctx,
    job: SavedJob,
    output: &ReportFile,
    input: Option<&Path>,
    (force, failures): (bool, Option<Failures>),
) -> Result<u8, CliError> {
    if let Some(failures) = &failures {
        refuse_overwrite(&failures.path, force)?;
    }
    let checkpoint = job.checkpoint();
    let _locks = open_report(ctx, output, input, force, |path| checkpoint.save(path))?;
    let (handle, report) = job.start().map_err(CliError::from)?;
    let report = drive(ctx, &handle, report).await;
    let code = finish(&ctx.output, &report, output)?;
    if let Some(failures) = failures
        && let Err(error) = failures.write(&ctx.output, &report, true)
    {
        // The report has it all: `report export` writes the file later.
        ctx.output.warn(&error.message);
    }
    Ok(code)
}

/// Starts a job's report file ([`ReportFile::begin`]: locked, with the
/// report a resume reads, and its checkpoint written), naming a file made
/// for the job. The locks are held until dropped.
pub fn open_report(
    ctx: &Ctx,
    output: &ReportFile,
    input: Option<&Path>,
    force: bool,
    checkpoint: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<Vec<gong_flows::ReportLock>, CliError> {
    let locks =
        (output.begin(input, force, checkpoint)).map_err(|e| CliError::usage(e.to_string()))?;
    if output.fresh {
        ctx.output
            .note(&format!("report: {}", output.path.display()));
    }
    Ok(locks)
}

/// Follows a started job to its report with a progress bar. The first
/// Ctrl-C (or SIGTERM) cancels it, a second one aborts it (see [`run`]).
pub async fn drive<R>(ctx: &Ctx, handle: &JobHandle, report: impl Future<Output = R>) -> R {
    let progress = ctx.progress(handle.progress());
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

/// [`SavedReport::refuse_overwrite`], as a usage error.
pub fn refuse_overwrite(path: &Path, force: bool) -> Result<(), CliError> {
    SavedReport::refuse_overwrite(path, force).map_err(|e| CliError::usage(e.to_string()))
}

/// Prints a finished report or its summary, writes it, says what to do
/// about inputs left, and picks the exit code. Calls were made: a report
/// that cannot be written goes to a fallback file in the temporary
/// directory, and the exit code still says how the job ended.
pub fn finish(output: &Output, report: &impl Finished, file: &ReportFile) -> Result<u8, CliError> {
    // Printed first, so that a report file that cannot be written does not
    // also hide the outcome.
    if output.json {
        print_json(&report.json())?;
    } else if !output.quiet {
        print_text(&report.text());
    }
    let kept = file.keep(|path| report.save(path));
    if let Some(warning) = &kept.warning {
        output.warn(warning);
    }
    let Some(path) = kept.path else {
        // The calls were made and their record is lost: never "usage".
        return Ok(Outcome::Stopped.code());
    };
    if let Some(advice) = report.advice(&path) {
        output.note(&advice);
    }
    Ok(report.outcome().code())
}

/// Prints the plan of a job, for the company and at the rate of `ctx`;
/// sends nothing (but the reads the plan makes).
pub fn dry_run(ctx: &Ctx, mut dry: DryRun) -> Result<u8, CliError> {
    (dry.tenant, dry.rate, dry.offline) = (ctx.tenant(), ctx.rate, ctx.offline);
    match ctx.output.json {
        true => print_json(&dry)?,
        false => print_text(&dry.to_string()),
    }
    Ok(Outcome::Done.code())
}

/// The plan's check that Gong takes the job (credentials, scope, the flow
/// and its name, the owner), unless the client has no credentials.
pub async fn check(
    ctx: &Ctx,
    flow: Option<&str>,
    owner: Option<&str>,
) -> Result<Option<CheckReport>, CliError> {
    if ctx.offline {
        return Ok(None);
    }
    let mut check = ctx.client.check().write(true);
    if let Some(flow) = flow {
        check = check.flow(flow);
    }
    if let Some(owner) = owner {
        check = check.owner(owner);
    }
    Ok(Some(check.send().await?))
}

/// Before a destructive job, on a terminal and unless `yes`: the plan's
/// check, then a question naming the tenant, the flow and `what` (the
/// counts). `Ok(false)` when answered no ("nothing sent"). Without a
/// terminal nothing asks: `Ok(true)`, unless `needs_yes` says why `--yes`
/// is needed.
pub async fn confirm(
    ctx: &Ctx,
    (yes, needs_yes): (bool, Option<&str>),
    what: &str,
    (flow, owner): (Option<&str>, Option<&str>),
) -> Result<bool, CliError> {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return match needs_yes {
            Some(why) => Err(CliError::usage(why)),
            None => Ok(true),
        };
    }
    let checked = check(ctx, flow, owner).await?;
    let flow = match checked.as_ref().and_then(|c| c.flow.as_ref()) {
        Some(flow) => format!(" flow {flow}"),
        None => flow.map(|f| format!(" flow {f}")).unwrap_or_default(),
    };
    eprint!("{what}{flow} on {}? [y/N] ", ctx.tenant());
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
    if !yes {
        ctx.output.note("Nothing sent.");
    }
    Ok(yes)
}
