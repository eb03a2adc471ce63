//! Exit codes, and the one error type commands return.

use gong_flows::Error;
use std::fmt;

/// Everything done.
pub const OK: u8 = 0;
/// Finished, but some prospects were not assigned, or not unassigned.
pub const PARTIAL: u8 = 1;
/// Usage error or bad input: nothing was sent.
pub const USAGE: u8 = 2;
/// Gong refused the credentials (401) or their permissions (403).
pub const AUTH: u8 = 3;
/// The flow (or another named object) does not exist.
pub const NOT_FOUND: u8 = 4;
/// Stopped early (rate limit, server, network, Ctrl-C); the report can be
/// resumed.
pub const STOPPED: u8 = 5;

/// A failure that ends a command: its exit code and one line for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The exit code.
    pub code: u8,
    /// What went wrong, on one line.
    pub message: String,
}

impl CliError {
    /// A usage or input error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: USAGE,
            message: message.into(),
        }
    }

    /// An error with an explicit code.
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        Self {
            code: code_for(&error),
            message: describe(&error),
        }
    }
}

/// The exit code for an SDK error.
pub fn code_for(error: &Error) -> u8 {
    match error {
        Error::Unauthorized(_) | Error::Forbidden(_) | Error::Token { .. } => AUTH,
        Error::NotFound(_) => NOT_FOUND,
        Error::InvalidInput { .. } | Error::Config { .. } | Error::BadRequest(_) => USAGE,
        // Rate limits, server and network failures, a spent daily budget,
        // and whatever variant a later SDK adds: worth trying again later.
        _ => STOPPED,
    }
}

/// One line describing an SDK error, with Gong's request id when it has one.
///
/// The SDK's messages never carry credentials (its `Secret` type has no
/// `Display`), so they are shown as they are.
pub fn describe(error: &Error) -> String {
    let text = error.to_string();
    let text = text.replace(['\n', '\r'], " ");
    match error.request_id() {
        Some(id) if !text.contains(id) => format!("{text} (request id {id})"),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gong_flows::ApiError;

    fn api(status: u16, request_id: Option<&str>) -> ApiError {
        ApiError {
            operation: "assignProspects",
            status,
            request_id: request_id.map(str::to_owned),
            errors: vec!["nope".to_owned()],
        }
    }

    #[test]
    fn codes_by_kind() {
        assert_eq!(code_for(&Error::Unauthorized(api(401, None))), AUTH);
        assert_eq!(code_for(&Error::Forbidden(api(403, None))), AUTH);
        assert_eq!(code_for(&Error::NotFound(api(404, None))), NOT_FOUND);
        assert_eq!(code_for(&Error::BadRequest(api(400, None))), USAGE);
        assert_eq!(code_for(&Error::Server(api(500, None))), STOPPED);
        assert_eq!(
            code_for(&Error::Timeout {
                operation: "listFlows"
            }),
            STOPPED
        );
    }

    #[test]
    fn request_ids_are_shown_once() {
        let line = describe(&Error::Server(api(500, Some("abc123"))));
        assert_eq!(line.matches("abc123").count(), 1, "{line}");
        let line = describe(&Error::Decode {
            operation: "listFlows",
            status: 200,
            request_id: Some("r-9".to_owned()),
            message: "bad\njson".to_owned(),
        });
        assert!(line.contains("r-9") && !line.contains('\n'), "{line}");
    }
}
