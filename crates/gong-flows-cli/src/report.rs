//! The job reports this tool writes and reads back: its own format (see the
//! README), independent of the SDK's types so that a file written by one
//! version can be resumed by the next.
//!
//! The rule every report keeps: each unique input id appears exactly once,
//! in the done bucket, the refused bucket, or `notAttempted`.

use crate::exit::CliError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

/// A job's report, tagged by `operation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "kebab-case")]
pub enum JobReport {
    /// `gong-flows assign`.
    Assign(AssignReport),
    /// `gong-flows unassign` (by CRM prospect id).
    Unassign(UnassignReport),
    /// `gong-flows unassign-instances` (by flow instance id).
    UnassignInstances(UnassignReport),
    /// `gong-flows bulk-assign`.
    BulkAssign(BulkReport),
}

/// Now, as RFC 3339 UTC with milliseconds.
pub fn now() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn one() -> u32 {
    1
}

/// The outcome of an assign job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignReport {
    /// The flow.
    pub flow_id: String,
    /// The owner of the new flow instances.
    pub owner_email: String,
    /// Prospects per call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<usize>,
    /// Prospects in the flow after the job.
    pub assigned: Vec<Assigned>,
    /// Prospects Gong refused.
    pub not_assigned: Vec<NotAssigned>,
    /// Prospects not sent, or whose outcome is unknown: `resume` sends them.
    pub not_attempted: Vec<NotAttempted>,
    /// Repeats in the input, sent (at most) once.
    #[serde(default)]
    pub duplicates: Vec<String>,
    /// HTTP calls made, retries included, over every run.
    #[serde(default)]
    pub requests: u64,
    /// Gong's request id of every call that had one.
    #[serde(default)]
    pub request_ids: Vec<String>,
    /// Why the last run stopped early, if it did.
    #[serde(default)]
    pub stopped: Option<String>,
    /// When the first run started.
    pub started_at: String,
    /// When the last run ended.
    pub finished_at: String,
    /// Runs merged into this report (1, plus one per `resume`).
    #[serde(default = "one")]
    pub runs: u32,
}

/// A prospect in the flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assigned {
    /// The prospect's CRM id.
    pub crm_prospect_id: String,
    /// The new flow instance.
    pub flow_instance_id: Option<String>,
    /// The instance's status, as Gong named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Found in the flow after an answer was lost, rather than confirmed by
    /// Gong's answer: assigned by this job, not twice.
    #[serde(default)]
    pub reconciled: bool,
}

/// A prospect Gong refused to assign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotAssigned {
    /// The prospect's CRM id.
    pub crm_prospect_id: String,
    /// Gong's code: `InvalidArgument`, `InvalidState`, `UnexpectedError`…
    pub error_code: Option<String>,
    /// Gong's message.
    pub error_message: Option<String>,
}

/// An id not sent, or whose outcome is unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotAttempted {
    /// The CRM prospect id (assign, unassign).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_prospect_id: Option<String>,
    /// The flow instance id (unassign-instances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_instance_id: Option<String>,
    /// What stopped it.
    pub error: String,
    /// Whether Gong may have acted on it anyway (an answer was lost).
    #[serde(default)]
    pub may_have_been_sent: bool,
}

/// Which kind of id a report's entries carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// CRM prospect ids.
    Crm,
    /// Flow instance ids.
    Instance,
}

impl NotAttempted {
    /// An entry for `id`.
    pub fn new(kind: IdKind, id: String, error: String, may_have_been_sent: bool) -> Self {
        let (crm, instance) = split(kind, id);
        Self {
            crm_prospect_id: crm,
            flow_instance_id: instance,
            error,
            may_have_been_sent,
        }
    }

    /// The id, whichever kind it is.
    pub fn id(&self) -> Option<&str> {
        self.crm_prospect_id
            .as_deref()
            .or(self.flow_instance_id.as_deref())
    }
}

fn split(kind: IdKind, id: String) -> (Option<String>, Option<String>) {
    match kind {
        IdKind::Crm => (Some(id), None),
        IdKind::Instance => (None, Some(id)),
    }
}

/// The outcome of an unassign job (by CRM id or by flow instance id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnassignReport {
    /// Only this flow (by CRM id only; `null`: every flow).
    #[serde(default)]
    pub flow_id: Option<String>,
    /// The Gong user who asked for the removal.
    #[serde(default)]
    pub unassigned_by: Option<String>,
    /// Ids removed.
    pub unassigned: Vec<Unassigned>,
    /// Ids Gong did not remove, and why.
    pub not_unassigned: Vec<NotUnassigned>,
    /// Ids not sent, or whose outcome is unknown: `resume` sends them.
    pub not_attempted: Vec<NotAttempted>,
    /// Repeats in the input.
    #[serde(default)]
    pub duplicates: Vec<String>,
    /// HTTP calls made, retries included, over every run.
    #[serde(default)]
    pub requests: u64,
    /// Gong's request id of every call that had one.
    #[serde(default)]
    pub request_ids: Vec<String>,
    /// Why the last run stopped early, if it did.
    #[serde(default)]
    pub stopped: Option<String>,
    /// When the first run started.
    pub started_at: String,
    /// When the last run ended.
    pub finished_at: String,
    /// Runs merged into this report.
    #[serde(default = "one")]
    pub runs: u32,
}

/// An id that was removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unassigned {
    /// The CRM prospect id (unassign).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_prospect_id: Option<String>,
    /// The flow instance id (unassign-instances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_instance_id: Option<String>,
    /// The flow instances removed for a CRM id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow_instance_ids: Vec<String>,
}

impl Unassigned {
    /// The id, whichever kind it is.
    pub fn id(&self) -> Option<&str> {
        self.crm_prospect_id
            .as_deref()
            .or(self.flow_instance_id.as_deref())
    }
}

/// An id Gong did not remove.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotUnassigned {
    /// The CRM prospect id (unassign).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_prospect_id: Option<String>,
    /// The flow instance id (unassign-instances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_instance_id: Option<String>,
    /// Why, in Gong's words where it gave any.
    pub reason: String,
}

impl NotUnassigned {
    /// An entry for `id`.
    pub fn new(kind: IdKind, id: String, reason: String) -> Self {
        let (crm, instance) = split(kind, id);
        Self {
            crm_prospect_id: crm,
            flow_instance_id: instance,
            reason,
        }
    }

    /// The id, whichever kind it is.
    pub fn id(&self) -> Option<&str> {
        self.crm_prospect_id
            .as_deref()
            .or(self.flow_instance_id.as_deref())
    }
}

impl Unassigned {
    /// An entry for `id`.
    pub fn new(kind: IdKind, id: String, flow_instance_ids: Vec<String>) -> Self {
        let (crm, instance) = split(kind, id);
        Self {
            crm_prospect_id: crm,
            flow_instance_id: instance,
            flow_instance_ids: match kind {
                IdKind::Crm => flow_instance_ids,
                // The id is the instance; repeating it says nothing.
                IdKind::Instance => Vec::new(),
            },
        }
    }
}

/// The outcome of a bulk assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkReport {
    /// The flow.
    pub flow_id: String,
    /// The owner of the new flow instances.
    pub owner_email: String,
    /// Gong's bulk jobs, in their last known state.
    pub jobs: Vec<BulkJob>,
    /// Prospects assigned.
    pub assigned: Vec<BulkOutcome>,
    /// Prospects Gong could not assign.
    pub not_assigned: Vec<BulkOutcome>,
    /// Prospects not submitted, or whose job's outcome is unknown.
    pub not_attempted: Vec<BulkNotAttempted>,
    /// Keys of repeated prospects (`crm:…`, `email:…`, `name:…`).
    #[serde(default)]
    pub duplicates: Vec<String>,
    /// HTTP calls made, retries and polls included.
    #[serde(default)]
    pub requests: u64,
    /// Gong's request id of every call that had one.
    #[serde(default)]
    pub request_ids: Vec<String>,
    /// Why the job stopped early, if it did.
    #[serde(default)]
    pub stopped: Option<String>,
    /// When the job started.
    pub started_at: String,
    /// When it ended.
    pub finished_at: String,
}

/// One of Gong's bulk assignment jobs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkJob {
    /// The job id.
    pub id: String,
    /// `PENDING`, `IN_PROGRESS`, `COMPLETED` or `FAILED`.
    pub status: Option<String>,
    /// Prospects in the job.
    pub total_count: Option<i32>,
    /// Prospects assigned.
    pub success_count: Option<i32>,
    /// Prospects that failed.
    pub failed_count: Option<i32>,
}

/// One prospect's outcome in a bulk assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkOutcome {
    /// The prospect's CRM id (created by the job when needed).
    pub crm_prospect_id: Option<String>,
    /// The new flow instance, when assigned.
    pub flow_instance_id: Option<String>,
    /// Gong's status: `ASSIGNED`, `CRM_OPERATION_FAILED`, `FLOW_ASSIGNMENT_FAILED`.
    pub status: Option<String>,
    /// Gong's error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Gong's error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The prospect as given (or as Gong echoed it).
    pub prospect: Option<Prospect>,
}

/// A prospect of a bulk assignment: the SDK's own type, whose camelCase
/// field names are the CSV's column names.
pub type Prospect = gong_flows::BulkProspect;

/// A bulk prospect not submitted, or whose job's outcome is unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkNotAttempted {
    /// The prospect.
    pub prospect: Prospect,
    /// What stopped it.
    pub error: String,
    /// Whether Gong may have started a job for it anyway.
    #[serde(default)]
    pub may_have_been_sent: bool,
}

impl JobReport {
    /// The ids of every entry, bucket by bucket; `None` for an entry that
    /// names no id (a damaged report).
    fn ids(&self) -> Vec<Option<&str>> {
        match self {
            JobReport::Assign(r) => r
                .assigned
                .iter()
                .map(|a| Some(a.crm_prospect_id.as_str()))
                .chain(
                    r.not_assigned
                        .iter()
                        .map(|n| Some(n.crm_prospect_id.as_str())),
                )
                .chain(r.not_attempted.iter().map(NotAttempted::id))
                .collect(),
            JobReport::Unassign(r) | JobReport::UnassignInstances(r) => r
                .unassigned
                .iter()
                .map(Unassigned::id)
                .chain(r.not_unassigned.iter().map(NotUnassigned::id))
                .chain(r.not_attempted.iter().map(NotAttempted::id))
                .collect(),
            JobReport::BulkAssign(_) => Vec::new(),
        }
    }

    /// Checks the report's rule: every id once. Resuming a report that
    /// breaks it could send an id twice or lose one.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = HashSet::new();
        for id in self.ids() {
            let Some(id) = id else {
                return Err("an entry has no id".to_owned());
            };
            if !seen.insert(id) {
                return Err(format!("id {id:?} appears more than once"));
            }
        }
        Ok(())
    }

    /// Ids not attempted, in report order.
    pub fn not_attempted(&self) -> Vec<&NotAttempted> {
        match self {
            JobReport::Assign(r) => r.not_attempted.iter().collect(),
            JobReport::Unassign(r) | JobReport::UnassignInstances(r) => {
                r.not_attempted.iter().collect()
            }
            JobReport::BulkAssign(_) => Vec::new(),
        }
    }

    /// Reads a report file.
    pub fn load(path: &Path) -> Result<JobReport, CliError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("{}: cannot read: {e}", path.display())))?;
        let report: JobReport = serde_json::from_str(&text).map_err(|e| {
            CliError::usage(format!("{}: not a gong-flows report: {e}", path.display()))
        })?;
        report
            .check()
            .map_err(|e| CliError::usage(format!("{}: damaged report: {e}", path.display())))?;
        Ok(report)
    }

    /// Writes the report: to a temporary file beside it, then renamed over
    /// it, so that an interrupted write never leaves half a report where
    /// `resume` will look.
    pub fn save(&self, path: &Path) -> Result<(), CliError> {
        let fail = |e: std::io::Error| {
            CliError::usage(format!("{}: cannot write the report: {e}", path.display()))
        };
        let mut json = serde_json::to_string_pretty(self)
            .map_err(|e| CliError::usage(format!("cannot encode the report: {e}")))?;
        json.push('\n');
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report".to_owned());
        let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        std::fs::write(&temp, json).map_err(fail)?;
        std::fs::rename(&temp, path).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            fail(e)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> JobReport {
        JobReport::Assign(AssignReport {
            flow_id: "1695493301223590792".into(),
            owner_email: "owner@example.com".into(),
            batch_size: Some(200),
            assigned: vec![Assigned {
                crm_prospect_id: "a1".into(),
                flow_instance_id: Some("77".into()),
                status: Some("Pending".into()),
                reconciled: false,
            }],
            not_assigned: vec![NotAssigned {
                crm_prospect_id: "unknown-1".into(),
                error_code: Some("InvalidArgument".into()),
                error_message: Some("Invalid crmId unknown-1".into()),
            }],
            not_attempted: vec![NotAttempted::new(
                IdKind::Crm,
                "b2".into(),
                "server error: boom".into(),
                false,
            )],
            duplicates: vec!["a1".into()],
            requests: 2,
            request_ids: vec!["r1".into(), "r2".into()],
            stopped: Some("server error: boom".into()),
            started_at: "2026-01-01T00:00:00.000Z".into(),
            finished_at: "2026-01-01T00:00:01.000Z".into(),
            runs: 1,
        })
    }

    #[test]
    fn assign_report_format() {
        let value = serde_json::to_value(sample()).unwrap();
        assert_eq!(
            value,
            json!({
                "operation": "assign",
                "flowId": "1695493301223590792",
                "ownerEmail": "owner@example.com",
                "batchSize": 200,
                "assigned": [{"crmProspectId": "a1", "flowInstanceId": "77", "status": "Pending", "reconciled": false}],
                "notAssigned": [{"crmProspectId": "unknown-1", "errorCode": "InvalidArgument", "errorMessage": "Invalid crmId unknown-1"}],
                "notAttempted": [{"crmProspectId": "b2", "error": "server error: boom", "mayHaveBeenSent": false}],
                "duplicates": ["a1"],
                "requests": 2,
                "requestIds": ["r1", "r2"],
                "stopped": "server error: boom",
                "startedAt": "2026-01-01T00:00:00.000Z",
                "finishedAt": "2026-01-01T00:00:01.000Z",
                "runs": 1
            })
        );
        let back: JobReport = serde_json::from_value(value).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn unassign_report_formats() {
        let report = UnassignReport {
            flow_id: None,
            unassigned_by: Some("admin@example.com".into()),
            unassigned: vec![Unassigned::new(IdKind::Crm, "c1".into(), vec!["9".into()])],
            not_unassigned: vec![NotUnassigned::new(
                IdKind::Crm,
                "c2".into(),
                "not in any open flow".into(),
            )],
            not_attempted: vec![],
            duplicates: vec![],
            requests: 2,
            request_ids: vec![],
            stopped: None,
            started_at: "t0".into(),
            finished_at: "t1".into(),
            runs: 1,
        };
        let value = serde_json::to_value(JobReport::Unassign(report)).unwrap();
        assert_eq!(value["operation"], "unassign");
        assert_eq!(value["flowId"], serde_json::Value::Null);
        assert_eq!(
            value["unassigned"],
            json!([{"crmProspectId": "c1", "flowInstanceIds": ["9"]}])
        );
        assert_eq!(
            value["notUnassigned"],
            json!([{"crmProspectId": "c2", "reason": "not in any open flow"}])
        );

        let instances = UnassignReport {
            flow_id: None,
            unassigned_by: None,
            unassigned: vec![Unassigned::new(
                IdKind::Instance,
                "9".into(),
                vec!["9".into()],
            )],
            not_unassigned: vec![],
            not_attempted: vec![NotAttempted::new(
                IdKind::Instance,
                "8".into(),
                "x".into(),
                true,
            )],
            duplicates: vec![],
            requests: 1,
            request_ids: vec![],
            stopped: None,
            started_at: "t0".into(),
            finished_at: "t1".into(),
            runs: 1,
        };
        let value = serde_json::to_value(JobReport::UnassignInstances(instances)).unwrap();
        assert_eq!(value["operation"], "unassign-instances");
        assert_eq!(value["unassigned"], json!([{"flowInstanceId": "9"}]));
        assert_eq!(
            value["notAttempted"],
            json!([{"flowInstanceId": "8", "error": "x", "mayHaveBeenSent": true}])
        );
    }

    #[test]
    fn damaged_reports_are_refused() {
        let JobReport::Assign(mut report) = sample() else {
            panic!("the sample is an assign report")
        };
        report.not_attempted.push(NotAttempted::new(
            IdKind::Crm,
            "a1".into(),
            "again".into(),
            false,
        ));
        let err = JobReport::Assign(report.clone()).check().unwrap_err();
        assert!(err.contains("a1"), "{err}");
        report.not_attempted = vec![NotAttempted {
            crm_prospect_id: None,
            flow_instance_id: None,
            error: "x".into(),
            may_have_been_sent: false,
        }];
        assert!(JobReport::Assign(report).check().is_err());
    }

    #[test]
    fn save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.json");
        sample().save(&path).unwrap();
        assert_eq!(JobReport::load(&path).unwrap(), sample());
        // Only the report is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        std::fs::write(&path, "{\"operation\": \"paint\"}").unwrap();
        assert_eq!(JobReport::load(&path).unwrap_err().code, 2);
    }
}
