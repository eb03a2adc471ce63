//! What a job came to, as a process exit code: the one mapping the
//! `gong-flows` command line uses, for programs that want the same.

use crate::error::Error;
use crate::report::Report;

/// What a job (or a command) came to. [`code`](Self::code) is the exit
/// code of the `gong-flows` command line:
///
/// | code | outcome |
/// |---|---|
/// | 0 | [`Done`](Self::Done): every input done |
/// | 1 | [`Partial`](Self::Partial): finished, but Gong refused some inputs |
/// | 2 | [`Usage`](Self::Usage): bad input or settings; nothing was sent |
/// | 3 | [`Auth`](Self::Auth): credentials refused (401, a refused OAuth token) |
/// | 4 | [`NotFound`](Self::NotFound): the flow (or job) does not exist |
/// | 5 | [`Stopped`](Self::Stopped): stopped early (rate limit, server, network, cancellation); the rest can be resumed |
/// | 6 | [`Scope`](Self::Scope): the credentials lack a scope the job needs, or the company lacks Gong Engage (403) |
///
/// ```
/// use gong_flows::{AssignReport, Outcome};
///
/// let report = AssignReport::default();
/// assert_eq!(Outcome::of_report(&report), Outcome::Done);
/// assert_eq!(Outcome::of_report(&report).code(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Every input done.
    Done,
    /// Finished, but Gong refused some inputs.
    Partial,
    /// Bad input or settings; nothing was sent.
    Usage,
    /// Gong refused the credentials (401, or a refused OAuth token).
    Auth,
    /// Gong refused the credentials' permissions (403): a scope the job
    /// needs is missing, or the company lacks Gong Engage. A new token
    /// fixes it; a retry does not.
    Scope,
    /// The flow (or another named object) does not exist.
    NotFound,
    /// Stopped early: inputs are left that a later run can attempt.
    Stopped,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Done => 0,
            Outcome::Partial => 1,
            Outcome::Usage => 2,
            Outcome::Auth => 3,
            Outcome::NotFound => 4,
            Outcome::Stopped => 5,
            Outcome::Scope => 6,
        }
    }

    /// The outcome of a command that failed with `error`.
    pub fn of_error(error: &Error) -> Outcome {
        match error {
            Error::Forbidden(_) => Outcome::Scope,
            Error::Unauthorized(_) | Error::Token { .. } | Error::TokenRefused { .. } => {
                Outcome::Auth
            }
            Error::NotFound(_) => Outcome::NotFound,
            Error::InvalidInput { .. }
            | Error::Config { .. }
            | Error::BadRequest(_)
            | Error::OtherCompany { .. }
            | Error::SyncGuard { .. } => Outcome::Usage,
            // Rate limits, server and network failures, a spent budget, a
            // cancellation: worth trying again later.
            _ => Outcome::Stopped,
        }
    }

    /// The outcome of a job, from its report: inputs left not attempted
    /// make it [`Stopped`](Self::Stopped) (or [`Auth`](Self::Auth),
    /// [`Scope`](Self::Scope) or [`NotFound`](Self::NotFound) when that is
    /// what stopped it); refusals
    /// make it [`Partial`](Self::Partial).
    pub fn of_report<R: Report>(report: &R) -> Outcome {
        if report.not_attempted_count() > 0 {
            match report.stats().stopped.as_deref().map(Outcome::of_error) {
                Some(outcome @ (Outcome::Auth | Outcome::Scope | Outcome::NotFound)) => outcome,
                _ => Outcome::Stopped,
            }
        } else if report.refused_count() > 0 {
            Outcome::Partial
        } else {
            Outcome::Done
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use crate::report::{AssignReport, ItemId, NotAssigned, NotAttempted};
    use std::sync::Arc;

    fn api(status: u16) -> ApiError {
        ApiError {
            operation: "assignProspects",
            status,
            request_id: None,
            trace_id: None,
            errors: vec![],
        }
    }

    #[test]
    fn errors_map_to_codes() {
        assert_eq!(Outcome::of_error(&Error::Unauthorized(api(401))).code(), 3);
        assert_eq!(Outcome::of_error(&Error::Forbidden(api(403))).code(), 6);
        assert_eq!(Outcome::of_error(&Error::NotFound(api(404))).code(), 4);
        assert_eq!(Outcome::of_error(&Error::BadRequest(api(400))).code(), 2);
        assert_eq!(Outcome::of_error(&Error::Server(api(500))).code(), 5);
        assert_eq!(Outcome::of_error(&Error::Cancelled).code(), 5);
    }

    #[test]
    fn reports_map_to_codes() {
        let mut report = AssignReport::default();
        report.not_assigned.push(NotAssigned {
            id: ItemId::CrmProspectId("a".into()),
            error_code: None,
            error_message: None,
        });
        assert_eq!(Outcome::of_report(&report), Outcome::Partial);
        let stop = Arc::new(Error::NotFound(api(404)));
        report.stats.stopped = Some(stop.clone());
        report
            .not_attempted
            .push(NotAttempted::new(ItemId::CrmProspectId("b".into()), stop));
        assert_eq!(Outcome::of_report(&report), Outcome::NotFound);
        report.stats.stopped = Some(Arc::new(Error::Server(api(500))));
        assert_eq!(Outcome::of_report(&report), Outcome::Stopped);
    }
}
