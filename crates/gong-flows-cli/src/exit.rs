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
            message: format!("{}{hint}{}", describe(&error), local_time(&error)),
            request_id: error.request_id().map(str::to_owned),
        }
    }
}

/// When a spent quota frees calls, in local time and UTC (`; at 14:05
/// local time (13:05 UTC)`), for errors that say.
pub fn local_time(error: &Error) -> String {
    let at = match error {
        Error::OverQuota { resets_at, .. } => *resets_at,
        other => other.retry_at(),
    };
    let Some(at) = at else {
        return String::new();
    };
    let local = chrono::DateTime::<chrono::Local>::from(at);
    let utc = chrono::DateTime::<chrono::Utc>::from(at);
    format!(
        "; calls free up at {} local time ({} UTC)",
        local.format("%Y-%m-%d %H:%M %Z"),
        utc.format("%H:%M")
    )
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
            trace_id: None,
            errors: vec!["nope".to_owned()],
        }
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
