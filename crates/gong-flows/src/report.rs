//! Reports of bulk jobs: every input in exactly one place.

use crate::error::Error;
use crate::model::{AssignErrorCode, BulkProspect, FlowInstance, FlowWithSteps};
use serde::{Serialize, Serializer};
use std::sync::Arc;

fn error_text<S: Serializer>(error: &Arc<Error>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&error.to_string())
}

fn optional_error_text<S: Serializer>(error: &Option<Arc<Error>>, s: S) -> Result<S::Ok, S::Error> {
    match error {
        Some(error) => s.serialize_some(&error.to_string()),
        None => s.serialize_none(),
    }
}

/// An input that was not sent to Gong, or whose outcome is unknown, and the
/// error that stopped it. Re-running exactly these is always safe.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotAttempted {
    /// The input id.
    pub id: String,
    /// Why it was not attempted.
    #[serde(serialize_with = "error_text")]
    pub error: Arc<Error>,
}

impl NotAttempted {
    /// Each of `ids`, not attempted for the same reason.
    pub(crate) fn all(ids: Vec<String>, error: &Arc<Error>) -> impl Iterator<Item = Self> + '_ {
        ids.into_iter().map(move |id| NotAttempted {
            id,
            error: error.clone(),
        })
    }
}

/// Bookkeeping every bulk job reports beside its outcomes.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobStats {
    /// Inputs given more than once; each was sent (at most) once.
    pub duplicates: Vec<String>,
    /// HTTP calls made, retries included.
    pub requests: u32,
    /// Gong's `requestId` of every call that had one, in order.
    pub request_ids: Vec<String>,
    /// The fatal error that stopped the job early (401, 403, a missing flow,
    /// a spent budget); the inputs after it are in `not_attempted`.
    #[serde(serialize_with = "optional_error_text")]
    pub stopped: Option<Arc<Error>>,
}

impl JobStats {
    pub(crate) fn absorb(&mut self, other: JobStats) {
        self.duplicates.extend(other.duplicates);
        self.requests += other.requests;
        self.request_ids.extend(other.request_ids);
        if self.stopped.is_none() {
            self.stopped = other.stopped;
        }
    }
}

/// A prospect that is in the flow after the job.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assigned {
    /// The prospect's CRM id.
    pub crm_prospect_id: String,
    /// Everything Gong returned about the new flow instance.
    pub instance: FlowInstance,
    /// `true` when Gong's answer was lost and a later look-up found the
    /// prospect in the flow: the assignment is confirmed, not repeated.
    pub reconciled: bool,
}

impl Assigned {
    /// The new flow instance's id, when Gong gave one.
    pub fn flow_instance_id(&self) -> Option<&str> {
        self.instance.flow_instance_id.as_deref()
    }
}

/// A prospect Gong refused to assign.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotAssigned {
    /// The prospect's CRM id.
    pub crm_prospect_id: String,
    /// Gong's error code (`None` when Gong's answer left the prospect out).
    pub error_code: Option<AssignErrorCode>,
    /// Gong's error message.
    pub error_message: Option<String>,
}

/// The outcome of assigning prospects to a flow: every unique input id is
/// in exactly one of `assigned`, `not_assigned` and `not_attempted`.
///
/// ```
/// # fn demo(report: gong_flows::AssignReport) {
/// if !report.is_complete() {
///     // Re-run exactly what was not attempted, e.g. after a 429 storm.
///     let retry: Vec<&str> = report.not_attempted_ids().collect();
///     # let _ = retry;
/// }
/// # }
/// ```
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignReport {
    /// The flow.
    pub flow_id: String,
    /// The owner of the new flow instances.
    pub owner_email: String,
    /// Prospects in the flow after the job.
    pub assigned: Vec<Assigned>,
    /// Prospects Gong refused, with its code and message.
    pub not_assigned: Vec<NotAssigned>,
    /// Prospects not sent, or whose outcome is unknown.
    pub not_attempted: Vec<NotAttempted>,
    /// Duplicates, calls, request ids, and why the job stopped early.
    #[serde(flatten)]
    pub stats: JobStats,
}

impl AssignReport {
    /// Adds one chunk's outcome.
    pub fn absorb(&mut self, chunk: AssignChunk) {
        self.assigned.extend(chunk.assigned);
        self.not_assigned.extend(chunk.not_assigned);
        self.not_attempted.extend(chunk.not_attempted);
        self.stats.absorb(chunk.stats);
    }

    /// Whether every input was attempted (some may have been refused).
    pub fn is_complete(&self) -> bool {
        self.not_attempted.is_empty()
    }

    /// The ids to send again: those not attempted.
    pub fn not_attempted_ids(&self) -> impl Iterator<Item = &str> {
        self.not_attempted.iter().map(|n| n.id.as_str())
    }

    /// Unique inputs accounted for.
    pub fn total(&self) -> usize {
        self.assigned.len() + self.not_assigned.len() + self.not_attempted.len()
    }
}

/// The outcome of one assign chunk (one call, with its retries), as the
/// streaming form yields it.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignChunk {
    /// The chunk's position in the job, from 0.
    pub index: usize,
    /// Prospects in the flow.
    pub assigned: Vec<Assigned>,
    /// Prospects Gong refused.
    pub not_assigned: Vec<NotAssigned>,
    /// Prospects not sent, or whose outcome is unknown.
    pub not_attempted: Vec<NotAttempted>,
    /// Calls, request ids, duplicates within the chunk, the stopping error.
    #[serde(flatten)]
    pub stats: JobStats,
}

/// An input that was removed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unassigned {
    /// The input id (a CRM prospect id, or a flow instance id).
    pub id: String,
    /// The flow instances removed for it.
    pub flow_instance_ids: Vec<String>,
}

/// An input Gong did not remove, and why.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotUnassigned {
    /// The input id.
    pub id: String,
    /// Why, in Gong's words where it gave any.
    pub reason: String,
}

/// The outcome of an unassign job: every unique input id is in exactly one
/// of `unassigned`, `not_unassigned` and `not_attempted`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnassignReport {
    /// Inputs removed from their flows.
    pub unassigned: Vec<Unassigned>,
    /// Inputs Gong did not remove.
    pub not_unassigned: Vec<NotUnassigned>,
    /// Inputs not sent, or whose outcome is unknown.
    pub not_attempted: Vec<NotAttempted>,
    /// Duplicates, calls, request ids, and why the job stopped early.
    #[serde(flatten)]
    pub stats: JobStats,
}

impl UnassignReport {
    /// Adds another part's outcome.
    pub fn absorb(&mut self, other: UnassignReport) {
        self.unassigned.extend(other.unassigned);
        self.not_unassigned.extend(other.not_unassigned);
        self.not_attempted.extend(other.not_attempted);
        self.stats.absorb(other.stats);
    }

    /// Whether every input was attempted.
    pub fn is_complete(&self) -> bool {
        self.not_attempted.is_empty()
    }

    /// The ids to send again: those not attempted.
    pub fn not_attempted_ids(&self) -> impl Iterator<Item = &str> {
        self.not_attempted.iter().map(|n| n.id.as_str())
    }

    /// Unique inputs accounted for.
    pub fn total(&self) -> usize {
        self.unassigned.len() + self.not_unassigned.len() + self.not_attempted.len()
    }
}

/// A flow Gong does not know.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowNotFound {
    /// The flow id asked for.
    pub flow_id: String,
    /// Gong's message.
    pub message: String,
}

/// The outcome of fetching steps: every unique flow id is in exactly one of
/// `flows`, `not_found` and `not_attempted`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepsReport {
    /// The flows found, with their steps.
    pub flows: Vec<FlowWithSteps>,
    /// Flow ids Gong does not know.
    pub not_found: Vec<FlowNotFound>,
    /// Flow ids not asked, or whose answer was lost.
    pub not_attempted: Vec<NotAttempted>,
    /// Duplicates, calls, request ids, and why the job stopped early.
    #[serde(flatten)]
    pub stats: JobStats,
}

impl StepsReport {
    pub(crate) fn absorb(&mut self, other: StepsReport) {
        self.flows.extend(other.flows);
        self.not_found.extend(other.not_found);
        self.not_attempted.extend(other.not_attempted);
        self.stats.absorb(other.stats);
    }
}

/// A bulk assignment job as Gong reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkJob {
    /// The job id (a UUID).
    pub id: String,
    /// The job's state.
    pub status: Option<crate::model::BulkAssignmentStatus>,
    /// Prospects in the job.
    pub total_count: Option<i32>,
    /// Prospects processed so far.
    pub processed_count: Option<i32>,
    /// Prospects assigned.
    pub success_count: Option<i32>,
    /// Prospects that failed.
    pub failed_count: Option<i32>,
    /// Per-prospect outcomes so far.
    pub results: Vec<BulkResult>,
    /// Gong's reference for the last request about this job.
    pub request_id: Option<String>,
}

/// One prospect's outcome in a bulk assignment job.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    /// The prospect as Gong echoed it.
    pub prospect: Option<BulkProspect>,
    /// The outcome.
    pub status: Option<crate::model::FlowAssignmentResultStatus>,
    /// The prospect's CRM id (created by the job when needed).
    pub crm_id: Option<String>,
    /// The new flow instance, when assigned.
    pub flow_instance_id: Option<String>,
    /// Gong's error code (free text, e.g. `REQUEST_LIMIT_EXCEEDED`).
    pub error_code: Option<String>,
    /// Gong's error message.
    pub error_message: Option<String>,
}

/// A bulk prospect that was not submitted, or whose job's outcome is unknown.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkNotAttempted {
    /// The prospect.
    pub prospect: BulkProspect,
    /// Why.
    #[serde(serialize_with = "error_text")]
    pub error: Arc<Error>,
}

/// The outcome of a bulk assignment: every unique input prospect is in
/// exactly one of `assigned`, `failed` and `not_attempted`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkAssignReport {
    /// The jobs submitted, in their final state.
    pub jobs: Vec<BulkJob>,
    /// Prospects assigned.
    pub assigned: Vec<BulkResult>,
    /// Prospects Gong could not assign (CRM or flow failures), with its codes.
    pub failed: Vec<BulkResult>,
    /// Prospects not submitted, or whose job never finished.
    pub not_attempted: Vec<BulkNotAttempted>,
    /// Duplicate prospects (same CRM id, or email, or name) as keys.
    #[serde(flatten)]
    pub stats: JobStats,
}

impl BulkAssignReport {
    pub(crate) fn absorb(&mut self, other: BulkAssignReport) {
        self.jobs.extend(other.jobs);
        self.assigned.extend(other.assigned);
        self.failed.extend(other.failed);
        self.not_attempted.extend(other.not_attempted);
        self.stats.absorb(other.stats);
    }

    /// Whether every prospect was submitted and its job finished.
    pub fn is_complete(&self) -> bool {
        self.not_attempted.is_empty()
    }
}
