//! Failures files: the input rows a job left undone, with the input's own
//! columns and `code`, `message`, `remedy` (the SDK's
//! `gong_flows::input::write_failures`), after a job or from a saved report.

use super::job::refuse_overwrite;
use crate::cli::ReportExportArgs;
use crate::context::Output;
use crate::exit::CliError;
use crate::output::print_json;
use gong_flows::{Outcome, SavedReport};
use std::path::PathBuf;

/// Where a job's failures go, and the text of its input (`None`: the file
/// the report records is read again, and refused if it changed).
#[derive(Debug)]
pub struct Failures {
    pub path: PathBuf,
    pub text: Option<String>,
}

impl Failures {
    /// Writes the rows of `report`'s failures
    /// ([`SavedReport::write_failures`]); `force`: over an existing file
    /// (checked before the job, so a job's own file goes).
    pub fn write(
        &self,
        output: &Output,
        report: &SavedReport,
        force: bool,
    ) -> Result<usize, CliError> {
        let path = self.path.display();
        let rows = report
            .write_failures(&self.path, self.text.as_deref(), force)
            .map_err(|e| {
                let hint = match e.kind() {
                    std::io::ErrorKind::AlreadyExists => " (add --force to overwrite it)",
                    _ => "",
                };
                CliError::usage(format!("{path}: no failures written: {e}{hint}"))
            })?;
        let input = report.input().map_or("", |i| i.path.as_str());
        output.note(&format!(
            "failures: {rows} rows of {input} written to {path}"
        ));
        Ok(rows)
    }
}

/// `report export REPORT --failures FILE.csv`.
pub fn export(global: &crate::cli::GlobalArgs, args: ReportExportArgs) -> Result<u8, CliError> {
    let output = Output::from_args(global);
    let report = SavedReport::load(&args.report)
        .map_err(|e| CliError::usage(format!("{}: {e}", args.report.display())))?;
    refuse_overwrite(&args.failures, args.force)?;
    let failures = Failures {
        path: args.failures,
        text: None,
    };
    let rows = failures.write(&output, &report, args.force)?;
    if output.json {
        let counts = report.error_counts();
        let path = failures.path.display().to_string();
        print_json(&serde_json::json!({"failures": path, "rows": rows, "errorCounts": counts}))?;
    } else if !output.quiet {
        for count in report.error_counts() {
            crate::output::print_text(&format!("{count}\n"));
        }
    }
    Ok(Outcome::Done.code())
}
