//! Reading inputs: files and stdin, read by the SDK's `gong_flows::input`
//! (id files, prospect CSVs, every bad line named by file and line), and the
//! checks of option values.

use crate::exit::CliError;
pub use gong_flows::input::IdList;
use gong_flows::input::{self, InputError, InputErrorKind, ProspectList, Source};

/// Where inputs come from; remembers whether stdin was taken, since it can
/// be read only once.
#[derive(Debug, Default)]
pub struct Inputs {
    stdin_taken: bool,
}

impl Inputs {
    /// The input at `path` (`-` for stdin: [`gong_flows::input::read`]).
    pub fn read(&mut self, path: &str) -> Result<Source, CliError> {
        if path == "-" && std::mem::replace(&mut self.stdin_taken, true) {
            return Err(CliError::usage(
                "stdin (`-`) can be given for one input only",
            ));
        }
        input::read(path).map_err(refused)
    }
}

/// Checks an option's email value, if given (the SDK's own check).
pub fn check_email_option<'a>(
    option: &str,
    email: impl Into<Option<&'a str>>,
) -> Result<(), CliError> {
    let Some(email) = email.into() else {
        return Ok(());
    };
    match gong_flows::check_email("email", email) {
        Ok(()) => Ok(()),
        Err(gong_flows::Error::InvalidInput { reason, .. }) => {
            Err(CliError::usage(format!("{option} {email:?} {reason}")))
        }
        Err(other) => Err(CliError::usage(format!("{option} {email:?} {other}"))),
    }
}

/// Checks an option's id value, if given (the SDK's own check, so that a
/// value that passes here is never refused by it halfway through a job).
pub fn check_id_option<'a>(option: &str, id: impl Into<Option<&'a str>>) -> Result<(), CliError> {
    match id.into().and_then(input::id_problem) {
        Some(problem) => Err(CliError::usage(format!("{option}: {problem}"))),
        None => Ok(()),
    }
}

/// A refused input as a usage error (exit 2), with this tool's advice
/// where a column must be named.
fn refused(error: InputError) -> CliError {
    let mut message = error.to_string();
    if error.kind == InputErrorKind::Column && error.message.contains("name the column") {
        message.push_str(" (--column NAME)");
    }
    CliError::usage(message)
}

/// Parses an id file (the SDK's rules: [`gong_flows::input::parse_ids`]).
pub fn parse_ids(source: &Source, column: Option<&str>) -> Result<IdList, CliError> {
    input::parse_ids(&source.name, &source.text, column).map_err(refused)
}

/// Parses a prospects CSV for bulk assignment (the SDK's rules:
/// [`gong_flows::input::parse_prospects`]).
pub fn parse_prospects(source: &Source) -> Result<ProspectList, CliError> {
    input::parse_prospects(&source.name, &source.text).map_err(refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_usage_errors_with_file_and_line() {
        let err = refused(input::parse_ids("ids.txt", "a1\n\nb 2\n", None).unwrap_err());
        assert_eq!(err.code, 2);
        assert!(err.message.starts_with("ids.txt:3: "), "{}", err.message);
        let csv = "First Name,Email\nAnn,a@x.com\n";
        let err = refused(input::parse_ids("x.csv", csv, None).unwrap_err());
        assert!(err.message.ends_with("(--column NAME)"), "{}", err.message);
        let err = check_email_option("--owner", "a@b").unwrap_err();
        assert!(
            err.message.starts_with("--owner \"a@b\" "),
            "{}",
            err.message
        );
    }
}
