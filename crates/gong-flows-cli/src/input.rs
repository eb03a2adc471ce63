//! Reading inputs: files and stdin, read by the SDK's `gong_flows::input`
//! (id files, prospect CSVs, every bad line named by file and line), and the
//! checks of option values.

use crate::exit::CliError;
use gong_flows::InputFile;
use gong_flows::input::{self, InputError, InputErrorKind};
pub use gong_flows::input::{IdList, ProspectList};
use std::io::Read as _;

/// Where inputs come from; remembers whether stdin was taken, since it can
/// be read only once.
#[derive(Debug, Default)]
pub struct Inputs {
    stdin_taken: bool,
}

impl Inputs {
    /// The text of `path` (`-` for stdin), the name to show in messages,
    /// and the record of the file a report keeps (its absolute path).
    pub fn read(&mut self, path: &str) -> Result<(String, String, InputFile), CliError> {
        let (name, bytes) = if path == "-" {
            if self.stdin_taken {
                return Err(CliError::usage(
                    "stdin (`-`) can be given for one input only",
                ));
            }
            self.stdin_taken = true;
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| CliError::usage(format!("<stdin>: cannot read: {e}")))?;
            ("<stdin>".to_owned(), bytes)
        } else {
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::usage(format!("{path}: cannot read: {e}")))?;
            (path.to_owned(), bytes)
        };
        let absolute = match path {
            "-" => name.clone(),
            _ => std::path::absolute(path).map_or(name.clone(), |p| p.display().to_string()),
        };
        let record = InputFile::new(absolute, None, &bytes);
        let text = input::decode(&name, bytes).map_err(refused)?;
        Ok((text, name, record))
    }
}

/// Why one id is unusable, if it is: the SDK's own check, so that a file
/// that passes here is never refused by it halfway through a job.
pub use gong_flows::input::id_problem;

/// Why an email address is unusable, if it is: the SDK's own check.
pub fn email_problem(email: &str) -> Option<String> {
    match gong_flows::check_email("email", email) {
        Ok(()) => None,
        Err(gong_flows::Error::InvalidInput { reason, .. }) => Some(reason),
        Err(other) => Some(other.to_string()),
    }
}

/// Checks an option's email value.
pub fn check_email_option(option: &str, email: &str) -> Result<(), CliError> {
    match email_problem(email) {
        Some(problem) => Err(CliError::usage(format!("{option} {email:?} {problem}"))),
        None => Ok(()),
    }
}

/// Checks an option's id value.
pub fn check_id_option(option: &str, id: &str) -> Result<(), CliError> {
    match id_problem(id) {
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
pub fn parse_ids(name: &str, text: &str, column: Option<&str>) -> Result<IdList, CliError> {
    input::parse_ids(name, text, column).map_err(refused)
}

/// Parses a prospects CSV for bulk assignment (the SDK's rules:
/// [`gong_flows::input::parse_prospects`]).
pub fn parse_prospects(name: &str, text: &str) -> Result<ProspectList, CliError> {
    input::parse_prospects(name, text).map_err(refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_usage_errors_with_file_and_line() {
        let err = parse_ids("ids.txt", "a1\n\nb 2\n", None).unwrap_err();
        assert_eq!(err.code, 2);
        assert!(err.message.starts_with("ids.txt:3: "), "{}", err.message);
        let err = parse_ids("x.csv", "First Name,Email\nAnn,a@x.com\n", None).unwrap_err();
        assert!(err.message.ends_with("(--column NAME)"), "{}", err.message);
        let err = parse_prospects("p.csv", "firstName,lastName\nA,B\nC,\n").unwrap_err();
        assert!(err.message.starts_with("p.csv:3: needs"), "{}", err.message);
    }

    #[test]
    fn emails() {
        assert_eq!(email_problem("owner@example.com"), None);
        for bad in [
            "",
            "owner",
            "@x.com",
            "a@b",
            "a b@c.com",
            "a@b@c.com",
            "a@.com",
        ] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
    }
}
