//! `resume`: send exactly what an earlier job did not attempt, and merge the
//! outcome into its report.

use super::job::{dry_run, report_path, run};
use super::report::Failures;
use crate::cli::{GlobalArgs, ResumeArgs};
use crate::context::{Output, connect};
use crate::exit::CliError;
use gong_flows::{SavedJob, SavedReport};
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
    let output = Output::from_args(global);
    let left = saved.left();
    if left.resumable == 0 {
        output.note(&format!("{}: {left}.", input.display()));
        if args.dry_run {
            return Ok(saved.outcome().code());
        }
    }
    if let (Some(theirs), Some(ours)) = (saved.profile(), global.profile.as_deref())
        && theirs != ours
        && !args.other_company
    {
        return Err(CliError::usage(format!(
            "{}: the job ran with profile {theirs}, not {ours}: resume it with --profile \
             {theirs} (or without --profile), or add --other-company to send its ids to {ours}",
            input.display()
        )));
    }
    let ctx = connect(global, saved.profile().filter(|_| !args.other_company))?;
    let job = if args.other_company {
        SavedJob::resume_anywhere(saved, &ctx.client)?
    } else {
        SavedJob::resume(saved, &ctx.client).map_err(|e| match e {
            gong_flows::Error::OtherCompany { .. } => CliError::usage(format!(
                "{}: {e}; resume it with that company's host and credentials, or add \
                 --other-company to send its ids to this one",
                input.display()
            )),
            other => CliError::from(other),
        })?
    };
    if args.dry_run {
        let mut dry = job.dry_run().await?;
        (dry.operation, dry.what) = ("resume".into(), format!("resume {}", input.display()));
        return dry_run(&ctx, dry);
    }
    let output_path = report_path(Some(&output_path), "resume")?;
    let failures = args.failures.map(|path| Failures { path, text: None });
    let how = (args.force, failures);
    run(&ctx, job, &output_path, Some(&input), how).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_paths_in_every_spelling() {
        let args = |input: Option<&str>, report: &[&str]| ResumeArgs {
            input: input.map(PathBuf::from),
            report: report.iter().map(PathBuf::from).collect(),
            failures: None,
            force: false,
            dry_run: false,
            other_company: false,
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
