//! The inputs a saved job left undone, each with a code, Gong's message
//! and what to do about it: for a failures file the CRM team works through,
//! and for the per-error counts a job ends with.

use crate::report::NotAttempted;
use crate::saved::SavedReport;
use serde::Serialize;

/// The code of an input that was not sent, or whose outcome is unknown.
pub const NOT_ATTEMPTED: &str = "NotAttempted";
/// The code of an input a removal left in its flow (Gong gives no code).
pub const NOT_UNASSIGNED: &str = "NotUnassigned";

/// One input a job did not do: refused by Gong (with Gong's code, or
/// [`NOT_UNASSIGNED`]) or not attempted ([`NOT_ATTEMPTED`]).
///
/// ```
/// use gong_flows::{AssignErrorCode, AssignReport, ItemId, NotAssigned, SavedReport};
///
/// let mut report = AssignReport::default();
/// report.not_assigned.push(NotAssigned {
///     id: ItemId::CrmProspectId("0035g-bad".into()),
///     error_code: Some(AssignErrorCode::InvalidArgument),
///     error_message: Some("Invalid crmId 0035g-bad".into()),
/// });
/// let failures = SavedReport::from(report).failures();
/// assert_eq!(failures[0].id, "0035g-bad");
/// println!("{}: {} ({})", failures[0].code, failures[0].message, failures[0].remedy);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Failure {
    /// The input: a CRM prospect id, a flow instance id, or a bulk
    /// prospect's key.
    pub id: String,
    /// Gong's error code (`InvalidArgument`…), or this SDK's.
    pub code: String,
    /// Gong's message, or why the input was not sent.
    pub message: String,
    /// What an operator can do about it, in a few words ([`remedy`]).
    pub remedy: &'static str,
}

/// Failures of one code and message, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorCount {
    /// How many inputs.
    pub count: usize,
    /// The code they share.
    pub code: String,
    /// The message they share, with the input's own id left out (`Invalid
    /// crmId`, for `Invalid crmId 003…`) and without request ids.
    pub message: String,
    /// What to do about them.
    pub remedy: &'static str,
}

impl std::fmt::Display for ErrorCount {
    /// `312 InvalidArgument: Invalid crmId — check the column…`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {} — {}",
            self.count, self.code, self.message, self.remedy
        )
    }
}

/// What an operator can do about a failure of `code` (`may_have_been_sent`:
/// an input not attempted whose request may have reached Gong).
///
/// ```
/// use gong_flows::remedy;
///
/// assert!(remedy("InvalidArgument", false).contains("column"));
/// assert!(remedy("NotAttempted", true).contains("resume"));
/// ```
pub fn remedy(code: &str, may_have_been_sent: bool) -> &'static str {
    match code {
        "InvalidArgument" => {
            "check the id: Gong knows no contact or lead by it (the wrong column, or not synced to Gong)"
        }
        "InvalidState" => {
            "the prospect cannot enter the flow now (in an exclusive flow, or in its cool-off): check it in Gong"
        }
        "UnexpectedError" => "Gong failed on this prospect: try it again later",
        NOT_UNASSIGNED => "not removed: check which flows the prospect is in, then try again",
        NOT_ATTEMPTED if may_have_been_sent => {
            "outcome unknown: resume the job, which looks it up before sending anything again"
        }
        NOT_ATTEMPTED => "not sent: resume the job from its report",
        "CRM_OPERATION_FAILED" => "the CRM refused the prospect: check its record in the CRM",
        "FLOW_ASSIGNMENT_FAILED" => "Gong could not assign the prospect: check it in Gong",
        _ => "see the message; check the prospect in Gong",
    }
}

fn not_attempted(entry: &NotAttempted) -> Failure {
    let message = entry.error.to_string();
    Failure {
        id: entry.id.as_str().to_owned(),
        code: NOT_ATTEMPTED.to_owned(),
        message,
        remedy: remedy(NOT_ATTEMPTED, entry.may_have_been_sent),
    }
}

fn failure(id: String, code: &str, message: String) -> Failure {
    Failure {
        id,
        remedy: remedy(code, false),
        code: code.to_owned(),
        message,
    }
}

impl SavedReport {
    /// Every input the job left undone, refused ones first, in the order of
    /// the report.
    ///
    /// ```
    /// use gong_flows::{AssignReport, ItemId, NotAssigned, SavedReport};
    ///
    /// let mut report = AssignReport::default();
    /// report.not_assigned.push(NotAssigned {
    ///     id: ItemId::CrmProspectId("0015g00000XyZaB".into()),
    ///     error_code: Some(gong_flows::AssignErrorCode::InvalidArgument),
    ///     error_message: Some("Invalid crmId 0015g00000XyZaB".into()),
    /// });
    /// let failures = SavedReport::from(report).failures();
    /// assert_eq!(failures[0].code, "InvalidArgument");
    /// assert!(failures[0].remedy.contains("column"));
    /// ```
    pub fn failures(&self) -> Vec<Failure> {
        match self {
            SavedReport::Assign(s) => {
                let r = &s.report;
                let refused = r.not_assigned.iter().map(|n| {
                    let code = n.error_code.as_ref().map_or("Refused", |c| c.as_str());
                    let message = n.error_message.clone().unwrap_or_default();
                    failure(n.id.as_str().to_owned(), code, message)
                });
                refused
                    .chain(r.not_attempted.iter().map(not_attempted))
                    .collect()
            }
            SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
                let r = &s.report;
                let refused = r.not_unassigned.iter().map(|n| {
                    failure(
                        n.id.as_str().to_owned(),
                        NOT_UNASSIGNED,
                        n.error_message.clone(),
                    )
                });
                refused
                    .chain(r.not_attempted.iter().map(not_attempted))
                    .collect()
            }
            SavedReport::BulkAssign(s) => {
                let r = &s.report;
                let refused = r.not_assigned.iter().map(|n| {
                    let who = n.prospect.as_ref().map(|p| p.key());
                    let who = who.or_else(|| n.crm_prospect_id.clone());
                    let status = n.status.as_ref().map(|s| s.as_str());
                    let code = n.error_code.as_deref().or(status).unwrap_or("Refused");
                    let message = n.error_message.clone().unwrap_or_default();
                    let mut failure = failure(who.unwrap_or_default(), code, message);
                    failure.remedy = remedy(status.unwrap_or(code), false);
                    failure
                });
                let left = r.not_attempted.iter().map(|n| Failure {
                    id: n.prospect.key(),
                    code: NOT_ATTEMPTED.to_owned(),
                    message: n.error.to_string(),
                    remedy: remedy(NOT_ATTEMPTED, n.may_have_been_sent),
                });
                refused.chain(left).collect()
            }
        }
    }

    /// The failures counted by code and message, the most frequent first
    /// (then by code and message): one line each in a job's summary.
    ///
    /// ```
    /// use gong_flows::{AssignErrorCode, AssignReport, ItemId, NotAssigned, SavedReport};
    ///
    /// let mut report = AssignReport::default();
    /// for id in ["0015g00000XyZaB", "0015g00000XyZaC"] {
    ///     report.not_assigned.push(NotAssigned {
    ///         id: ItemId::CrmProspectId(id.into()),
    ///         error_code: Some(AssignErrorCode::InvalidArgument),
    ///         error_message: Some(format!("Invalid crmId {id}")),
    ///     });
    /// }
    /// let counts = SavedReport::from(report).error_counts();
    /// assert_eq!(counts.len(), 1);
    /// assert!(counts[0].to_string().starts_with("2 InvalidArgument: Invalid crmId — "));
    /// ```
    pub fn error_counts(&self) -> Vec<ErrorCount> {
        let mut counts: Vec<ErrorCount> = Vec::new();
        let mut index: std::collections::HashMap<(String, String), usize> =
            std::collections::HashMap::new();
        for failure in self.failures() {
            let message = general(&failure.message, &failure.id);
            let key = (failure.code.clone(), message.clone());
            match index.get(&key) {
                Some(&at) => counts[at].count += 1,
                None => {
                    index.insert(key, counts.len());
                    counts.push(ErrorCount {
                        count: 1,
                        code: failure.code,
                        message,
                        remedy: failure.remedy,
                    });
                }
            }
        }
        counts.sort_by(|a, b| (b.count, &a.code, &a.message).cmp(&(a.count, &b.code, &b.message)));
        counts
    }

    /// Writes the failures file of the job: the rows of its input file
    /// whose ids it left undone, with the file's own columns, then `code`,
    /// `message` and `remedy` ([`input::write_failures`](crate::input::write_failures)).
    /// Returns the rows written.
    ///
    /// `text` is the input's text, if the caller has it; else the file the
    /// report records is read again, and refused if it changed since the
    /// job. The file at `path` is created, and an existing one refused
    /// (an [`AlreadyExists`](std::io::ErrorKind::AlreadyExists) error) unless
    /// `overwrite`. Refused too: a report that records no input file (a
    /// bulk job's), and a job that read its ids from stdin.
    ///
    /// ```
    /// use gong_flows::{AssignErrorCode, AssignReport, InputFile, ItemId, NotAssigned, Saved, SavedReport};
    ///
    /// let text = "Name,Contact ID\nAnn,0035g00000AbCdE\nBob,0035g00000FgHiJ\n";
    /// let mut report = AssignReport::default();
    /// report.not_assigned.push(NotAssigned {
    ///     id: ItemId::CrmProspectId("0035g00000FgHiJ".into()),
    ///     error_code: Some(AssignErrorCode::InvalidState),
    ///     error_message: Some("In an exclusive flow".into()),
    /// });
    /// let mut saved = Saved::new(report, None);
    /// saved.input = Some(InputFile::new("contacts.csv", Some("Contact ID"), text.as_bytes()));
    /// let dir = std::env::temp_dir().join(format!("failures-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("failures.csv");
    /// let saved = SavedReport::from(saved);
    /// assert_eq!(saved.write_failures(&path, Some(text), true)?, 1);
    /// assert!(std::fs::read_to_string(&path)?.contains("Bob,0035g00000FgHiJ,InvalidState"));
    /// let again = saved.write_failures(&path, Some(text), false).unwrap_err();
    /// assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "input")]
    pub fn write_failures(
        &self,
        path: &std::path::Path,
        text: Option<&str>,
        overwrite: bool,
    ) -> std::io::Result<usize> {
        use std::io;
        let other = |why: String| io::Error::other(why);
        let record = self.input().ok_or_else(|| {
            other(
                "the report does not record its input file (a bulk job's, or an older report)"
                    .into(),
            )
        })?;
        let read;
        let text = match text {
            Some(text) => text,
            None if record.path == "<stdin>" => {
                return Err(other(
                    "the job read its ids from stdin, which cannot be read again".into(),
                ));
            }
            None => {
                let bytes = std::fs::read(&record.path).map_err(|e| {
                    io::Error::new(
                        e.kind(),
                        format!("cannot read the job's input {}: {e}", record.path),
                    )
                })?;
                record.matches(&bytes).map_err(other)?;
                read =
                    crate::input::decode(&record.path, bytes).map_err(|e| other(e.to_string()))?;
                read.as_str()
            }
        };
        let mut file = std::fs::OpenOptions::new();
        match overwrite {
            true => file.write(true).create(true).truncate(true),
            false => file.write(true).create_new(true),
        };
        let out = io::BufWriter::new(file.open(path)?);
        let column = record.column.as_deref();
        crate::input::write_failures(&record.path, text, column, &self.failures(), out)
            .map_err(|e| other(e.to_string()))
    }
}

/// A message without what is particular to one input or one call: the
/// input's id, and a request id.
fn general(message: &str, id: &str) -> String {
    let mut text = message.to_owned();
    if let Some(at) = text.find(" (request id ") {
        text.truncate(at);
    }
    if !id.is_empty() {
        text = text.replace(id, "");
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let text = words.join(" ");
    let text = text.trim_end_matches([':', ',', ' ']).to_owned();
    if text.is_empty() {
        "-".to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_lose_their_ids_and_request_ids() {
        assert_eq!(general("Invalid crmId a1", "a1"), "Invalid crmId");
        assert_eq!(
            general("rate limited: x answered 429 (request id r1)", "b"),
            "rate limited: x answered 429"
        );
        assert_eq!(general("", "a"), "-");
    }
}
