//! Failures files: the input rows a job left undone, with the input's own
//! columns and `code`, `message`, `remedy` (the SDK's
//! `gong_flows::input::write_failures`), after a job or from a saved report.

use super::job::refuse_overwrite;
use crate::cli::ReportExportArgs;
use crate::context::Output;
use crate::exit::CliError;
use crate::output::print_json;
use gong_flows::{Outcome, SavedReport, input};
use std::path::PathBuf;

/// Where a job's failures go, and the text of its input (`None`: the file
/// the report records is read again, and refused if it changed).
#[derive(Debug)]
pub struct Failures {
    pub path: PathBuf,
    pub text: Option<String>,
}

impl Failures {
    /// Writes the rows of `report`'s failures; `force`: over an existing
    /// file (checked before the job, so a job's own file goes).
    pub fn write(
        &self,
        output: &Output,
        report: &SavedReport,
        force: bool,
    ) -> Result<usize, CliError> {
        let path = self.path.display();
        let refuse = |why: String| CliError::usage(format!("{path}: no failures written: {why}"));
        let record = report.input().ok_or_else(|| {
            refuse(
                "the report does not record its input file (a bulk job's, or an older report)"
                    .into(),
            )
        })?;
        let read;
        let text = match &self.text {
            Some(text) => text.as_str(),
            None if record.path == "<stdin>" => {
                return Err(refuse(
                    "the job read its ids from stdin, which cannot be read again".into(),
                ));
            }
            None => {
                let bytes = std::fs::read(&record.path).map_err(|e| {
                    refuse(format!("cannot read the job's input {}: {e}", record.path))
                })?;
                record.matches(&bytes).map_err(refuse)?;
                read = input::decode(&record.path, bytes).map_err(|e| refuse(e.to_string()))?;
                read.as_str()
            }
        };
        let mut file = std::fs::OpenOptions::new();
        if force {
            file.write(true).create(true).truncate(true);
        } else {
            file.write(true).create_new(true);
        }
        let file = file.open(&self.path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AlreadyExists {
                " (add --force to overwrite it)"
            } else {
                ""
            };
            refuse(format!("{e}{hint}"))
        })?;
        let failures = report.failures();
        let column = record.column.as_deref();
        let out = std::io::BufWriter::new(file);
        let rows = input::write_failures(&record.path, text, column, &failures, out)
            .map_err(|e| refuse(e.to_string()))?;
        output.note(&format!(
            "failures: {rows} rows of {} written to {path}",
            record.path
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
