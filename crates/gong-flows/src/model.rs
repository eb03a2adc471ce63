//! Ergonomic model types, converted from the generated wire types.
//!
//! Conversions do three things the wire types cannot: absent values that
//! Gong sends as the *string* `"null"` (seen on the folders endpoint) become
//! `None`; timestamps are parsed where they parse, keeping the text as sent;
//! and the folders endpoint's real shape (`flowsFolders`) and its documented
//! shape (`flows`) both become [`Folder`]s. Enums are the generated open
//! enums: a value Gong adds later is `Unknown(String)`, never an error.

use chrono::{DateTime, FixedOffset};
use gong_flows_api::types as wire;
use serde::{Deserialize, Serialize};

pub use gong_flows_api::types::{
    AssignErrorCode, BulkAssignmentStatus, FlowAssignmentResultStatus, FlowInstanceStatus,
    FlowStepAction, FlowVisibility,
};

/// Maps Gong's `"null"` strings (and absent values) to `None`.
pub(crate) fn clean(value: Option<String>) -> Option<String> {
    value.filter(|v| v != "null")
}

/// A timestamp as Gong sent it, parsed when it parses.
///
/// Gong sends ISO-8601 with any offset and any fractional-second precision
/// (`2024-01-17T16:20:05-03:00`, `2020-11-20T21:30:07.233692Z`). The text is
/// always kept, so a form this version cannot parse loses nothing. It is
/// parsed when asked for: a bulk job's report holds one per prospect, and
/// most are never read.
///
/// ```
/// use gong_flows::Timestamp;
///
/// let ts = Timestamp::new("2020-11-20T21:30:07.233692Z");
/// assert_eq!(ts.parsed().unwrap().timestamp(), 1605907807);
/// assert!(Timestamp::new("yesterday").parsed().is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    raw: String,
}

impl Serialize for Timestamp {
    /// As the text Gong sent.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    /// From the text as Gong sent it.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Timestamp::new)
    }
}

impl Timestamp {
    /// A timestamp of `raw` (RFC 3339 / ISO-8601 with offset, or any text).
    pub fn new(raw: impl Into<String>) -> Self {
        Self { raw: raw.into() }
    }

    /// The text as Gong sent it.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The parsed time, with the offset Gong sent (`None` if the text does
    /// not parse).
    pub fn parsed(&self) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(self.raw.trim()).ok()
    }
}

fn timestamp(value: Option<String>) -> Option<Timestamp> {
    clean(value).map(Timestamp::new)
}

/// An Engage flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Flow {
    /// The flow id (empty if Gong left it out).
    pub id: String,
    /// The flow name.
    pub name: Option<String>,
    /// The folder holding the flow.
    pub folder_id: Option<String>,
    /// The name of that folder.
    pub folder_name: Option<String>,
    /// Who can see the flow.
    pub visibility: Option<FlowVisibility>,
    /// When the flow was created.
    pub created: Option<Timestamp>,
    /// Whether a prospect in this flow is kept out of every other flow.
    pub exclusive: Option<bool>,
}

impl From<wire::PublicApiFlow> for Flow {
    fn from(f: wire::PublicApiFlow) -> Self {
        Self {
            id: clean(f.id).unwrap_or_default(),
            name: clean(f.name),
            folder_id: clean(f.folder_id),
            folder_name: clean(f.folder_name),
            visibility: f.visibility,
            created: timestamp(f.creation_date),
            exclusive: f.exclusive,
        }
    }
}

/// A flow folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Folder {
    /// The folder id (empty if Gong left it out).
    pub id: String,
    /// The folder name.
    pub name: Option<String>,
    /// The parent folder; `None` at the top (Gong sends the string `"null"`).
    pub parent_folder_id: Option<String>,
    /// The Gong user who created the folder, when known.
    pub created_by_id: Option<String>,
    /// Who can see the folder.
    pub visibility: Option<FlowVisibility>,
}

impl From<wire::PublicApiFlowFolder> for Folder {
    fn from(f: wire::PublicApiFlowFolder) -> Self {
        Self {
            id: clean(f.id).unwrap_or_default(),
            name: clean(f.name),
            parent_folder_id: clean(f.parent_folder_id),
            created_by_id: clean(f.created_by_id),
            visibility: f.visibility,
        }
    }
}

impl From<wire::PublicApiFlow> for Folder {
    /// The documented shape of the folders answer (`flows` items).
    fn from(f: wire::PublicApiFlow) -> Self {
        Self {
            id: clean(f.id).unwrap_or_default(),
            name: clean(f.name),
            parent_folder_id: clean(f.folder_id),
            created_by_id: None,
            visibility: f.visibility,
        }
    }
}

/// A prospect's flow instance: a prospect in a flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FlowInstance {
    /// The flow.
    pub flow_id: Option<String>,
    /// The flow's name.
    pub flow_name: Option<String>,
    /// The prospect's CRM id.
    pub crm_prospect_id: Option<String>,
    /// The flow instance id.
    pub flow_instance_id: Option<String>,
    /// Email of the Gong user who owns the instance's to-dos.
    pub owner_email: Option<String>,
    /// Full name of that user.
    pub owner_full_name: Option<String>,
    /// When the instance was created.
    pub created: Option<Timestamp>,
    /// The instance's state.
    pub status: Option<FlowInstanceStatus>,
    /// The workspace of the flow.
    pub workspace_id: Option<String>,
    /// Whether the flow is exclusive.
    pub exclusive: Option<bool>,
}

impl From<wire::PublicApiAssignedFlow> for FlowInstance {
    fn from(f: wire::PublicApiAssignedFlow) -> Self {
        Self {
            flow_id: clean(f.flow_id),
            flow_name: clean(f.flow_name),
            crm_prospect_id: clean(f.crm_prospect_id),
            flow_instance_id: clean(f.flow_instance_id),
            owner_email: clean(f.flow_instance_owner_email),
            owner_full_name: clean(f.flow_instance_owner_full_name),
            created: timestamp(f.flow_instance_create_date),
            status: f.flow_instance_status,
            workspace_id: clean(f.workspace_id),
            exclusive: f.exclusive,
        }
    }
}

/// One step of a flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Step {
    /// The step id.
    pub id: Option<String>,
    /// The 1-based position; the `number` step overrides refer to.
    pub step_order: Option<i32>,
    /// What the step does.
    pub action: Option<FlowStepAction>,
    /// The email subject.
    pub subject: Option<String>,
    /// The content (may hold HTML).
    pub body: Option<String>,
    /// Whether the email replies in the previous step's thread.
    pub is_reply: Option<bool>,
}

impl From<wire::PublicApiFlowStep> for Step {
    fn from(s: wire::PublicApiFlowStep) -> Self {
        Self {
            id: clean(s.id),
            step_order: s.step_order,
            action: s.action,
            subject: clean(s.subject),
            body: clean(s.body),
            is_reply: s.is_reply,
        }
    }
}

/// A flow with its steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FlowWithSteps {
    /// The flow id (empty if Gong left it out).
    pub id: String,
    /// The flow name.
    pub name: Option<String>,
    /// The folder holding the flow.
    pub folder_id: Option<String>,
    /// Who can see the flow.
    pub visibility: Option<FlowVisibility>,
    /// When the flow was created.
    pub created: Option<Timestamp>,
    /// Whether the flow is exclusive.
    pub exclusive: Option<bool>,
    /// The flow's description.
    pub description: Option<String>,
    /// The steps, in Gong's order.
    pub steps: Vec<Step>,
}

impl From<wire::PublicApiFlowWithSteps> for FlowWithSteps {
    fn from(f: wire::PublicApiFlowWithSteps) -> Self {
        Self {
            id: clean(f.id).unwrap_or_default(),
            name: clean(f.name),
            folder_id: clean(f.folder_id),
            visibility: f.visibility,
            created: timestamp(f.creation_date),
            exclusive: f.exclusive,
            description: clean(f.description),
            steps: f.steps.into_iter().map(Step::from).collect(),
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Records across all pages, as Gong counts them.
    pub total_records: Option<i32>,
    /// This page's zero-based number.
    pub page_number: Option<i32>,
    /// The cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Gong's reference for the request.
    pub request_id: Option<String>,
}

impl<T> Page<T> {
    pub(crate) fn new(
        items: Vec<T>,
        records: Option<wire::Records>,
        request_id: Option<String>,
    ) -> Self {
        let records = records.unwrap_or(wire::Records {
            current_page_number: None,
            current_page_size: None,
            cursor: None,
            total_records: None,
        });
        Self {
            items,
            total_records: records.total_records,
            page_number: records.current_page_number,
            next_cursor: clean(records.cursor).filter(|c| !c.is_empty()),
            request_id,
        }
    }
}

/// A prospect for a bulk assignment: a CRM id, or enough details for Gong
/// to create the prospect (first and last name at least).
///
/// ```
/// use gong_flows::BulkProspect;
///
/// let known = BulkProspect::crm_id("0035g00000AbCdE");
/// let new = BulkProspect::new("Mike", "Smith").email("mike@example.com").company_name("Example Inc.");
/// # let _ = (known, new);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkProspect {
    /// First name; needed when there is no CRM id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name; needed when there is no CRM id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Job title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    /// LinkedIn profile URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_in_url: Option<String>,
    /// CRM id, when the prospect exists in the CRM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_id: Option<String>,
    /// CRM id of the prospect's account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_crm_id: Option<String>,
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
}

impl BulkProspect {
    /// A prospect Gong may create, by name.
    pub fn new(first_name: impl Into<String>, last_name: impl Into<String>) -> Self {
        Self {
            first_name: Some(first_name.into()),
            last_name: Some(last_name.into()),
            ..Self::default()
        }
    }

    /// A prospect that exists in the CRM.
    pub fn crm_id(crm_id: impl Into<String>) -> Self {
        Self {
            crm_id: Some(crm_id.into()),
            ..Self::default()
        }
    }

    /// Sets the email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Sets the job title.
    pub fn job_title(mut self, title: impl Into<String>) -> Self {
        self.job_title = Some(title.into());
        self
    }

    /// Sets the LinkedIn profile URL.
    pub fn linked_in_url(mut self, url: impl Into<String>) -> Self {
        self.linked_in_url = Some(url.into());
        self
    }

    /// Sets the account's CRM id.
    pub fn account_crm_id(mut self, id: impl Into<String>) -> Self {
        self.account_crm_id = Some(id.into());
        self
    }

    /// Sets the company name.
    pub fn company_name(mut self, name: impl Into<String>) -> Self {
        self.company_name = Some(name.into());
        self
    }

    /// A key that identifies this prospect within one job: the CRM id, else
    /// the email, else the name.
    pub fn key(&self) -> String {
        if let Some(id) = &self.crm_id {
            return format!("crm:{id}");
        }
        if let Some(email) = &self.email {
            return format!("email:{}", email.to_ascii_lowercase());
        }
        format!(
            "name:{} {}",
            self.first_name.as_deref().unwrap_or_default(),
            self.last_name.as_deref().unwrap_or_default()
        )
    }
}

impl From<BulkProspect> for wire::FlowAssignmentProspect {
    fn from(p: BulkProspect) -> Self {
        Self {
            first_name: p.first_name,
            last_name: p.last_name,
            email: p.email,
            job_title: p.job_title,
            linked_in_url: p.linked_in_url,
            crm_id: p.crm_id,
            account_crm_id: p.account_crm_id,
            company_name: p.company_name,
        }
    }
}

impl From<wire::FlowAssignmentProspect> for BulkProspect {
    fn from(p: wire::FlowAssignmentProspect) -> Self {
        Self {
            first_name: clean(p.first_name),
            last_name: clean(p.last_name),
            email: clean(p.email),
            job_title: clean(p.job_title),
            linked_in_url: clean(p.linked_in_url),
            crm_id: clean(p.crm_id),
            account_crm_id: clean(p.account_crm_id),
            company_name: clean(p.company_name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_strings_become_none() {
        let folder: wire::PublicApiFlowFolder = serde_json::from_value(serde_json::json!({
            "id": "100", "name": "Shared With You", "parentFolderId": "null",
            "createdById": "null", "visibility": "Shared"
        }))
        .unwrap();
        let folder = Folder::from(folder);
        assert_eq!(folder.parent_folder_id, None);
        assert_eq!(folder.created_by_id, None);
        assert_eq!(folder.visibility, Some(FlowVisibility::Shared));
    }

    #[test]
    fn timestamps_of_any_precision_and_offset_parse() {
        for raw in [
            "2024-01-17T16:20:05-03:00",
            "2016-02-16T03:57:04.834+05:30",
            "2020-11-20T21:30:07.233692Z",
            "2020-11-20T21:30:07.233692123Z",
        ] {
            assert!(Timestamp::new(raw).parsed().is_some(), "{raw}");
        }
        let odd = Timestamp::new("2020-11-20");
        assert_eq!(odd.parsed(), None);
        assert_eq!(odd.raw(), "2020-11-20");
    }

    #[test]
    fn timestamps_serialize_as_sent() {
        let ts = Timestamp::new("2024-01-17T16:20:05-03:00");
        assert_eq!(
            serde_json::to_value(&ts).unwrap(),
            "2024-01-17T16:20:05-03:00"
        );
    }

    #[test]
    fn bulk_prospects_round_trip_in_camel_case() {
        let prospect = BulkProspect::new("Mike", "Smith").linked_in_url("https://x");
        let value = serde_json::to_value(&prospect).unwrap();
        assert_eq!(value["linkedInUrl"], "https://x");
        let back: BulkProspect = serde_json::from_value(value).unwrap();
        assert_eq!(back, prospect);
    }

    #[test]
    fn unknown_status_is_kept() {
        let instance: wire::PublicApiAssignedFlow =
            serde_json::from_value(serde_json::json!({"flowInstanceStatus": "Archived"})).unwrap();
        let instance = FlowInstance::from(instance);
        assert_eq!(
            instance.status,
            Some(FlowInstanceStatus::Unknown("Archived".into()))
        );
    }
}
