//! `resume`: send exactly what an earlier job did not attempt, and merge the
//! outcome into its report.

use super::job::{finish, refuse_overwrite, run, save};
use crate::cli::{GlobalArgs, ResumeArgs};
use crate::context::{Output, connect};
use crate::exit::CliError;
use gong_flows::{BatchSizes, ItemId, SavedReport, UnassignReport};
use std::path::PathBuf;

/// Where `resume` reads and writes.
fn resume_paths(args: &ResumeArgs) -> Result<(PathBuf, PathBuf), CliError> {
    match (&args.input, args.report.as_slice()) {
        (Some(input), []) => Ok((input.clone(), input.clone())),
        (Some(input), [output]) => Ok((input.clone(), output.clone())),
        (None, [input]) => Ok((input.clone(), input.clone())),
        (None, [input, output]) => Ok((input.clone(), output.clone())),
        (None, []) => Err(CliError::usage(
            "name the report to resume: gong-flows resume --report FILE",
        )),
        _ => Err(CliError::usage(
            "resume takes one report to read and at most one to write",
        )),
    }
}

pub async fn resume(global: &GlobalArgs, args: ResumeArgs) -> Result<u8, CliError> {
    let (input, output_path) = resume_paths(&args)?;
    let saved = SavedReport::load(&input)
        .map_err(|e| CliError::usage(format!("{}: {e}", input.display())))?;
    if let SavedReport::BulkAssign(s) = &saved
        && s.report.pending.is_empty()
    {
        return Err(CliError::usage(format!(
            "{}: no bulk job of this report is pending; prospects not submitted are not \
             submitted again (a bulk submit whose answer was lost may have started a job, \
             so submitting again could assign twice)",
            input.display()
        )));
    }
    let output = Output::from_args(global);
    if saved.not_attempted_count() == 0 {
        output.note(&format!("{}: nothing to resume.", input.display()));
        let path = (output_path != input).then_some(output_path.as_path());
        return finish(&output, &saved, path);
    }
    let ctx = connect(global)?;
    // The merged report is the input until the run ends: written first to a
    // new output file, it already accounts for every id.
    if output_path != input {
        refuse_overwrite(&output_path, args.force)?;
        save(&saved, &output_path)?;
    }
    let merged = match saved {
        SavedReport::Assign(mut s) => {
            let pending = ids(s
                .report
                .not_attempted
                .iter()
                .map(|n| (&n.id, n.may_have_been_sent)));
            let size = s.batch_size.unwrap_or(BatchSizes::MAX_ASSIGN);
            let job = ctx
                .client
                .assign(&s.report.flow_id, &s.report.owner_email)
                .batch_size(size)
                .earlier_outcome_unknown(pending.unknown)
                .prospects(pending.all)
                .start()?;
            let run = run(&ctx, job, size).await;
            s.report.merge_run(run);
            s.runs += 1;
            s.finished();
            SavedReport::Assign(s)
        }
        SavedReport::Unassign(mut s) => {
            let run = resume_unassign(&ctx, &s.report, true).await?;
            s.report.merge_run(run);
            s.runs += 1;
            s.finished();
            SavedReport::Unassign(s)
        }
        SavedReport::UnassignInstances(mut s) => {
            let run = resume_unassign(&ctx, &s.report, false).await?;
            s.report.merge_run(run);
            s.runs += 1;
            s.finished();
            SavedReport::UnassignInstances(s)
        }
        SavedReport::BulkAssign(mut s) => {
            // Only the pending jobs are polled; nothing is submitted again.
            let report = std::mem::take(&mut s.report);
            let job = ctx.client.bulk_assign(&report.flow_id, &report.owner_email);
            s.report = job.resume(report).await;
            s.runs += 1;
            s.finished();
            SavedReport::BulkAssign(s)
        }
        _ => return Err(CliError::usage("this report cannot be resumed")),
    };
    if let Err(problem) = merged.check() {
        // Keeps the input intact rather than writing a report that breaks
        // its own rule.
        return Err(CliError::new(
            gong_flows::Outcome::Stopped.code(),
            format!(
                "the merged report is inconsistent ({problem}); {} was left as it was",
                input.display()
            ),
        ));
    }
    finish(&ctx.output, &merged, Some(&output_path))
}

/// The ids to send again, and those whose earlier outcome is unknown.
struct Pending {
    all: Vec<String>,
    unknown: Vec<String>,
}

fn ids<'a>(entries: impl Iterator<Item = (&'a ItemId, bool)>) -> Pending {
    let mut pending = Pending {
        all: Vec::new(),
        unknown: Vec::new(),
    };
    for (id, may_have_been_sent) in entries {
        if may_have_been_sent {
            pending.unknown.push(id.as_str().to_owned());
        }
        pending.all.push(id.as_str().to_owned());
    }
    pending
}

async fn resume_unassign(
    ctx: &crate::context::Ctx,
    report: &UnassignReport,
    by_crm: bool,
) -> Result<UnassignReport, CliError> {
    let pending = ids(report.not_attempted.iter().map(|n| (&n.id, false))).all;
    let run = if by_crm {
        let mut job = ctx.client.unassign_prospects(pending);
        if let Some(flow) = &report.flow_id {
            job = job.flow_id(flow);
        }
        if let Some(by) = &report.unassigned_by {
            job = job.unassigned_by(by);
        }
        run(ctx, job.start()?, 1).await
    } else {
        let mut job = ctx.client.unassign_instances(pending);
        if let Some(by) = &report.unassigned_by {
            job = job.unassigned_by(by);
        }
        let size = ctx.client.batch_sizes().unassign_instances();
        run(ctx, job.start()?, size).await
    };
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_paths_in_every_spelling() {
        let args = |input: Option<&str>, report: &[&str]| ResumeArgs {
            input: input.map(PathBuf::from),
            report: report.iter().map(PathBuf::from).collect(),
            force: false,
        };
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(resume_paths(&args(None, &["a"])), Ok((p("a"), p("a"))));
        assert_eq!(resume_paths(&args(None, &["a", "b"])), Ok((p("a"), p("b"))));
        assert_eq!(resume_paths(&args(Some("a"), &[])), Ok((p("a"), p("a"))));
        assert_eq!(resume_paths(&args(Some("a"), &["b"])), Ok((p("a"), p("b"))));
        assert!(resume_paths(&args(None, &[])).is_err());
        assert!(resume_paths(&args(Some("a"), &["b", "c"])).is_err());
    }
}
