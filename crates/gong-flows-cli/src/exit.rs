//! The one error type commands return. Exit codes are the SDK's
//! [`Outcome`](gong_flows::Outcome)s.

use gong_flows::{Error, Outcome};
use std::fmt;

/// A failure that ends a command: its exit code and one line for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The exit code.
    pub code: u8,
    /// What kind of failure, in one word (`usage`, `unauthorized`,
    /// `connection`, …), for `--json` output.
    pub kind: &'static str,
    /// What went wrong, on one line.
    pub message: String,
    /// Gong's reference for the request, when an answer had one.
    pub request_id: Option<String>,
}

impl CliError {
    /// A usage or input error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Outcome::Usage.code(), message)
    }

    /// An error with an explicit code.
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            kind: if code == Outcome::Usage.code() {
                "usage"
            } else {
                "stopped"
            },
            message: message.into(),
            request_id: None,
        }
    }

    /// The error as `--json` prints it on stderr.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"error": {
            "kind": self.kind,
            "message": self.message,
            "requestId": self.request_id,
            "exitCode": self.code,
        }})
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        let hint = match &error {
            Error::Unauthorized(_) => {
                " — check the credentials: GONG_ACCESS_KEY and \
                GONG_ACCESS_KEY_SECRET, or GONG_BEARER_TOKEN (or the profile's); they may be \
                wrong, expired, or of another company's host"
            }
            Error::Forbidden(_) => {
                " — the credentials lack a scope the job needs \
                (api:flows:read, api:flows:write), or the company lacks Gong Engage"
            }
            Error::NotFound(_) => " — check the flow id (`gong-flows flows list --owner EMAIL`)",
            _ => "",
        };
        Self {
            code: Outcome::of_error(&error).code(),
            kind: error.kind(),
            message: format!("{}{hint}{}", error.one_line(), local_time(&error)),
            request_id: error.request_id().map(str::to_owned),
        }
    }
}

/// When a spent quota frees calls, for errors that say
/// ([`Error::retry_at_local`]): `; calls free up at …`.
pub fn local_time(error: &Error) -> String {
    error
        .retry_at_local()
        .map(|when| format!("; {when}"))
        .unwrap_or_default()
}
