//! What a sync did: every listed or managed prospect in one bucket.

use super::plan::{Forgotten, LeftAlone, Removal};
use crate::error::Error;
use crate::report::{Assigned, JobStats, NotAssigned, NotAttempted};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A managed prospect whose removal Gong refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotRemoved {
    /// The prospect.
    pub crm_prospect_id: String,
    /// Its instance.
    pub flow_instance_id: String,
    /// Gong's message.
    pub error_message: String,
}

/// The report of a sync's apply: every prospect of the plan in exactly one
/// bucket (`total()`), the calls of the plan's look-ups and of the writes
/// in `stats`.
///
/// The flow matches the list when [`is_in_step`](Self::is_in_step): nothing
/// refused, nothing left undone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SyncReport {
    /// The flow.
    pub flow_id: String,
    /// The owner of the instances the sync created.
    pub owner_email: String,
    /// Listed prospects the sync put in the flow.
    #[serde(default)]
    pub assigned: Vec<Assigned>,
    /// Prospects listed no more, taken out of the flow.
    #[serde(default)]
    pub unassigned: Vec<Removal>,
    /// Listed, managed and in the flow: nothing sent.
    #[serde(default)]
    pub unchanged: Vec<String>,
    /// Listed and in the flow by someone else's doing, now managed.
    #[serde(default)]
    pub adopted: Vec<String>,
    /// Listed prospects left as they are, and why.
    #[serde(default)]
    pub left_alone: Vec<LeftAlone>,
    /// Managed prospects listed no more and already out of the flow: the
    /// sync no longer remembers them.
    #[serde(default)]
    pub forgotten: Vec<Forgotten>,
    /// Listed prospects Gong refused to assign, with its code and message;
    /// the next sync tries them again.
    #[serde(default)]
    pub not_assigned: Vec<NotAssigned>,
    /// Removals Gong refused; the next sync tries them again.
    #[serde(default)]
    pub not_unassigned: Vec<NotRemoved>,
    /// Prospects whose write was not sent, or whose outcome is unknown
    /// (`may_have_been_sent`): the next sync looks them up and settles
    /// them.
    #[serde(default)]
    pub not_attempted: Vec<NotAttempted>,
    /// Calls (look-ups included), request ids, and why the sync stopped.
    #[serde(flatten)]
    pub stats: JobStats,
}

impl SyncReport {
    /// Prospects accounted for, in every bucket.
    pub fn total(&self) -> usize {
        self.assigned.len()
            + self.unassigned.len()
            + self.unchanged.len()
            + self.adopted.len()
            + self.left_alone.len()
            + self.forgotten.len()
            + self.not_assigned.len()
            + self.not_unassigned.len()
            + self.not_attempted.len()
    }

    /// Whether every write was attempted (some may have been refused).
    pub fn is_complete(&self) -> bool {
        self.not_attempted.is_empty()
    }

    /// Whether the flow now matches the list: every write made, none
    /// refused. (Prospects left alone are as the sync's options want.)
    pub fn is_in_step(&self) -> bool {
        self.is_complete() && self.not_assigned.is_empty() && self.not_unassigned.is_empty()
    }

    /// The error that stopped the sync, if any.
    pub fn error(&self) -> Option<&Arc<Error>> {
        self.stats.stopped.as_ref()
    }

    /// The report, or the sync's stop: [`JobError::Stopped`](crate::JobError::Stopped),
    /// with this report in it, when the sync stopped on an error and left
    /// writes undone, or its state behind Gong's (its store failed, or its
    /// lock was lost). Refusals by Gong are in the report, not errors. The
    /// same rule as [`SyncPlan::apply`](crate::SyncPlan::apply), for a
    /// report got with [`apply_report`](crate::SyncPlan::apply_report).
    ///
    /// ```
    /// let report = gong_flows::SyncReport::default();
    /// assert!(report.check().is_ok());
    /// ```
    pub fn check(self) -> std::result::Result<Self, crate::JobError<Self>> {
        crate::JobError::check(self)
    }

    /// A stop that leaves the sync's state behind Gong's: its store failed,
    /// or its lock was lost.
    fn lost_state(error: &Error) -> bool {
        matches!(error, Error::Store { .. } | Error::SyncLocked { .. })
    }

    /// What to do when the flow does not match the list yet, as a person
    /// reads it (`None` when it does): check the credentials or the flow,
    /// or run the same sync again, which settles what was in flight.
    ///
    /// ```
    /// let report = gong_flows::SyncReport::default();
    /// assert_eq!(report.next_step(), None);
    /// ```
    pub fn next_step(&self) -> Option<String> {
        use crate::Outcome;
        Some(match self.outcome() {
            Outcome::Done => return None,
            Outcome::Auth | Outcome::Scope => {
                "Check the credentials and their scope (api:flows:write), then run the sync again."
                    .to_owned()
            }
            Outcome::NotFound => {
                "Check the flow id (`gong-flows flows list --owner EMAIL`).".to_owned()
            }
            Outcome::Partial => format!(
                "Gong refused {} prospects (see the report); the next sync tries them again.",
                self.not_assigned.len() + self.not_unassigned.len()
            ),
            _ => format!(
                "{} prospects left: {}. Run the same sync again to finish: it settles what was in \
                 flight and does the rest.",
                self.not_attempted.len(),
                self.error().map_or_else(
                    || "stopped early".to_owned(),
                    |e| e.to_string().replace(['\n', '\r'], " ")
                )
            ),
        })
    }

    /// The outcome for an exit code: done, partial (refusals), or stopped.
    pub fn outcome(&self) -> crate::Outcome {
        use crate::Outcome;
        let lost_state = self.stats.stopped.as_deref().is_some_and(Self::lost_state);
        if !self.is_complete() || lost_state {
            match self.stats.stopped.as_deref().map(Outcome::of_error) {
                Some(outcome @ (Outcome::Auth | Outcome::Scope | Outcome::NotFound)) => outcome,
                _ => Outcome::Stopped,
            }
        } else if !self.is_in_step() {
            Outcome::Partial
        } else {
            Outcome::Done
        }
    }
}

impl crate::report::sealed::Sealed for SyncReport {}

impl crate::JobReport for SyncReport {
    fn stopped_by(&self) -> Option<&Arc<Error>> {
        self.stats
            .stopped
            .as_ref()
            .filter(|error| !self.is_complete() || Self::lost_state(error))
    }
    fn done_count(&self) -> usize {
        self.total() - self.not_attempted.len()
    }
    fn left_count(&self) -> usize {
        self.not_attempted.len()
    }
}

/// `100 assigned, 200 removed, 800 unchanged, 0 adopted, 3 left alone,
/// 0 forgotten, 0 refused, 0 not attempted (7 calls)`.
impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} assigned, {} removed, {} unchanged, {} adopted, {} left alone, {} forgotten, \
             {} refused, {} not attempted ({} calls)",
            self.assigned.len(),
            self.unassigned.len(),
            self.unchanged.len(),
            self.adopted.len(),
            self.left_alone.len(),
            self.forgotten.len(),
            self.not_assigned.len() + self.not_unassigned.len(),
            self.not_attempted.len(),
            self.stats.requests
        )?;
        if let Some(error) = &self.stats.stopped {
            write!(f, "; stopped: {error}")?;
        }
        Ok(())
    }
}
