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
use std::fmt;

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

    /// The smallest step the text can tell apart: a second when Gong sent
    /// whole seconds, a millisecond for three decimals, and so on.
    pub(crate) fn precision(&self) -> std::time::Duration {
        let digits = self.raw.split_once('.').map_or(0, |(_, rest)| {
            rest.bytes().take_while(u8::is_ascii_digit).count()
        });
        let nanos = 10u64.pow(9u32.saturating_sub(u32::try_from(digits.min(9)).unwrap_or(9)));
        std::time::Duration::from_nanos(nanos)
    }

    /// Whether this time is before `at` cut down to the text's own
    /// precision: a time in the same second as `at` (or the same
    /// millisecond, for three decimals) is not. `false` if it does not
    /// parse.
    pub(crate) fn before(&self, at: std::time::SystemTime) -> bool {
        use std::time::{Duration, SystemTime};
        let Some(parsed) = self.parsed() else {
            return false;
        };
        let since_epoch = at
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let step = self.precision().as_nanos().max(1);
        let kept = since_epoch.as_nanos() / step * step;
        let at =
            SystemTime::UNIX_EPOCH + Duration::from_nanos(u64::try_from(kept).unwrap_or(u64::MAX));
        SystemTime::from(parsed) < at
    }
}

fn timestamp(value: Option<String>) -> Option<Timestamp> {
    clean(value).map(Timestamp::new)
}

/// An Engage flow.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> gong_flows::Result<()> {
/// # use gong_flows_sim::{dataset, SimConfig, Simulator, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
/// # let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
/// # let client = gong_flows::Client::builder()
/// #     .base_url(sim.base_url())
/// #     .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
/// #     .unpaced()
/// #     .build()?;
/// # let (flow, owner) = (dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL);
/// let flow = client
///     .find_flow(owner, dataset::SDR_FLOW_NAME)
///     .await?
///     .expect("the simulator has it");
/// assert_eq!(flow.id, dataset::SDR_FLOW_ID);
/// assert_eq!(flow.name(), dataset::SDR_FLOW_NAME);
/// println!("{flow}");
/// # Ok(()) }
/// ```
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> gong_flows::Result<()> {
/// # use gong_flows_sim::{dataset, SimConfig, Simulator, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
/// # let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
/// # let client = gong_flows::Client::builder()
/// #     .base_url(sim.base_url())
/// #     .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
/// #     .unpaced()
/// #     .build()?;
/// # let (flow, owner) = (dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL);
/// let folders = client.list_folders(owner).collect_all().await?;
/// assert!(folders.iter().any(|f| f.name.as_deref() == Some(dataset::OUTBOUND_FOLDER_NAME)));
/// # Ok(()) }
/// ```
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> gong_flows::Result<()> {
/// # use gong_flows_sim::{dataset, SimConfig, Simulator, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
/// # let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
/// # let client = gong_flows::Client::builder()
/// #     .base_url(sim.base_url())
/// #     .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
/// #     .unpaced()
/// #     .build()?;
/// # let (flow, owner) = (dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL);
/// client.assign(flow, owner).prospects(["0035g1"]).send().await?;
/// let report = client.prospects_flows().crm_prospect_ids(["0035g1"]).send().await?;
/// let instance = &report.instances[0];
/// assert_eq!(instance.flow_id.as_deref(), Some(flow));
/// assert_eq!(instance.crm_prospect_id.as_deref(), Some("0035g1"));
/// assert!(instance.flow_instance_id.is_some());
/// # Ok(()) }
/// ```
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> gong_flows::Result<()> {
/// # use gong_flows_sim::{dataset, SimConfig, Simulator, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
/// # let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
/// # let client = gong_flows::Client::builder()
/// #     .base_url(sim.base_url())
/// #     .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
/// #     .unpaced()
/// #     .build()?;
/// # let (flow, owner) = (dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL);
/// let report = client.flow_steps([flow]).send().await?;
/// let first = &report.flows[0].steps[0];
/// assert_eq!(first.step_order, Some(1));
/// assert!(first.action.is_some());
/// # Ok(()) }
/// ```
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> gong_flows::Result<()> {
/// # use gong_flows_sim::{dataset, SimConfig, Simulator, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
/// # let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
/// # let client = gong_flows::Client::builder()
/// #     .base_url(sim.base_url())
/// #     .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
/// #     .unpaced()
/// #     .build()?;
/// # let (flow, owner) = (dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL);
/// let report = client.flow_steps([flow]).send().await?;
/// let with_steps = &report.flows[0];
/// assert_eq!(with_steps.id, flow);
/// println!("{} has {} steps", with_steps.id, with_steps.steps.len());
/// # Ok(()) }
/// ```
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> gong_flows::Result<()> {
/// # use gong_flows_sim::{dataset, SimConfig, Simulator, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
/// # let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
/// # let client = gong_flows::Client::builder()
/// #     .base_url(sim.base_url())
/// #     .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
/// #     .unpaced()
/// #     .build()?;
/// # let (flow, owner) = (dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL);
/// // One page at a time, following the cursor.
/// let mut page = client.list_flows(owner).send().await?;
/// let mut flows = page.items.len();
/// while let Some(cursor) = page.next_cursor.clone() {
///     page = client.list_flows(owner).cursor(cursor).send().await?;
///     flows += page.items.len();
/// }
/// assert_eq!(flows, client.list_flows(owner).collect_all().await?.len());
/// # Ok(()) }
/// ```
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

// Constructors, accessors and `Display` for tests and logs. Model types are
// `#[non_exhaustive]` (Gong may add fields), so tests build them here: the
// constructor takes what identifies the value, `with_*` sets the rest.

/// `SDR Flow`, or `(unnamed)` when Gong sent no name.
fn name_or_unnamed(name: Option<&str>) -> &str {
    match name {
        Some(name) if !name.trim().is_empty() => name,
        _ => "(unnamed)",
    }
}

/// A step's action in words: `Send email`, `LinkedIn message`.
pub(crate) fn action_label(action: &FlowStepAction) -> &str {
    match action {
        FlowStepAction::SendEmail => "Send email",
        FlowStepAction::AutoSendEmail => "Automatic email",
        FlowStepAction::Call => "Call",
        FlowStepAction::LinkedinConnect => "LinkedIn connection request",
        FlowStepAction::LinkedinMessage => "LinkedIn message",
        FlowStepAction::Custom => "Custom task",
        FlowStepAction::Unknown(other) => other,
    }
}

/// An instance's state in words: `Pending`, `Finished (no reply)`.
pub(crate) fn status_label(status: &FlowInstanceStatus) -> &str {
    match status {
        FlowInstanceStatus::FinishedNoReply => "Finished (no reply)",
        FlowInstanceStatus::FinishedResponse => "Finished (replied)",
        other => other.as_str(),
    }
}

impl Flow {
    /// A flow with an id and a name, and nothing else known.
    ///
    /// ```
    /// use gong_flows::{Flow, FlowVisibility};
    ///
    /// let flow = Flow::new("1695493301223590792", "SDR Flow")
    ///     .with_visibility(FlowVisibility::Company)
    ///     .with_folder("6543219876543210", "Outbound")
    ///     .with_exclusive(true);
    /// assert_eq!(flow.name(), "SDR Flow");
    /// assert_eq!(
    ///     flow.to_string(),
    ///     "SDR Flow (1695493301223590792; Company; in Outbound; exclusive)"
    /// );
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: Some(name.into()),
            folder_id: None,
            folder_name: None,
            visibility: None,
            created: None,
            exclusive: None,
        }
    }

    /// Puts the flow in a folder.
    pub fn with_folder(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.folder_id = Some(id.into());
        self.folder_name = Some(name.into());
        self
    }

    /// Sets who can see the flow.
    pub fn with_visibility(mut self, visibility: FlowVisibility) -> Self {
        self.visibility = Some(visibility);
        self
    }

    /// Sets when the flow was created (ISO-8601, as Gong sends it).
    pub fn with_created(mut self, created: impl Into<String>) -> Self {
        self.created = Some(Timestamp::new(created));
        self
    }

    /// Sets whether the flow is exclusive.
    pub fn with_exclusive(mut self, exclusive: bool) -> Self {
        self.exclusive = Some(exclusive);
        self
    }

    /// The name, or `""` when Gong sent none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    /// The folder's name, or `""` when unknown.
    pub fn folder_name(&self) -> &str {
        self.folder_name.as_deref().unwrap_or_default()
    }

    /// Whether the flow is exclusive (`false` when Gong did not say).
    pub fn is_exclusive(&self) -> bool {
        self.exclusive.unwrap_or(false)
    }
}

/// `NAME (ID; VISIBILITY; in FOLDER; exclusive)`, leaving out what is
/// unknown; `(unnamed)` for a flow without a name.
impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}", name_or_unnamed(self.name.as_deref()), self.id)?;
        if let Some(visibility) = &self.visibility {
            write!(f, "; {visibility}")?;
        }
        match (&self.folder_name, &self.folder_id) {
            (Some(name), _) => write!(f, "; in {name}")?,
            (None, Some(id)) => write!(f, "; in folder {id}")?,
            (None, None) => {}
        }
        if self.is_exclusive() {
            f.write_str("; exclusive")?;
        }
        f.write_str(")")
    }
}

impl From<Flow> for wire::PublicApiFlow {
    /// The wire form, as Gong would send it (for mocked answers).
    fn from(f: Flow) -> Self {
        Self {
            id: Some(f.id),
            name: f.name,
            folder_id: f.folder_id,
            folder_name: f.folder_name,
            visibility: f.visibility,
            creation_date: f.created.map(|t| t.raw),
            exclusive: f.exclusive,
        }
    }
}

impl Folder {
    /// A folder with an id and a name, at the top (no parent).
    ///
    /// ```
    /// use gong_flows::Folder;
    ///
    /// let folder = Folder::new("6543219876543211", "Enterprise").with_parent("6543219876543210");
    /// assert_eq!(folder.to_string(), "Enterprise (6543219876543211; in 6543219876543210)");
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: Some(name.into()),
            parent_folder_id: None,
            created_by_id: None,
            visibility: None,
        }
    }

    /// Puts the folder inside another.
    pub fn with_parent(mut self, parent_id: impl Into<String>) -> Self {
        self.parent_folder_id = Some(parent_id.into());
        self
    }

    /// Sets who can see the folder.
    pub fn with_visibility(mut self, visibility: FlowVisibility) -> Self {
        self.visibility = Some(visibility);
        self
    }

    /// Sets the Gong user who created the folder.
    pub fn with_created_by(mut self, user_id: impl Into<String>) -> Self {
        self.created_by_id = Some(user_id.into());
        self
    }

    /// The name, or `""` when Gong sent none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }
}

/// `NAME (ID; VISIBILITY; in PARENT_ID)`, leaving out what is unknown.
impl fmt::Display for Folder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}", name_or_unnamed(self.name.as_deref()), self.id)?;
        if let Some(visibility) = &self.visibility {
            write!(f, "; {visibility}")?;
        }
        if let Some(parent) = &self.parent_folder_id {
            write!(f, "; in {parent}")?;
        }
        f.write_str(")")
    }
}

impl From<Folder> for wire::PublicApiFlowFolder {
    /// The wire form, as Gong would send it (for mocked answers).
    fn from(f: Folder) -> Self {
        Self {
            id: Some(f.id),
            name: f.name,
            parent_folder_id: Some(f.parent_folder_id.unwrap_or_else(|| "null".to_owned())),
            created_by_id: Some(f.created_by_id.unwrap_or_else(|| "null".to_owned())),
            visibility: f.visibility,
        }
    }
}

impl FlowInstance {
    /// A prospect's instance of a flow, with nothing else known.
    ///
    /// ```
    /// use gong_flows::{FlowInstance, FlowInstanceStatus};
    ///
    /// let instance = FlowInstance::new("1695493301223590792", "0035g00000AbCdE")
    ///     .with_flow_name("SDR Flow")
    ///     .with_instance_id("3697469986975249")
    ///     .with_status(FlowInstanceStatus::Pending);
    /// assert_eq!(
    ///     instance.to_string(),
    ///     "0035g00000AbCdE in SDR Flow (1695493301223590792) as instance 3697469986975249, Pending"
    /// );
    /// ```
    pub fn new(flow_id: impl Into<String>, crm_prospect_id: impl Into<String>) -> Self {
        Self {
            flow_id: Some(flow_id.into()),
            flow_name: None,
            crm_prospect_id: Some(crm_prospect_id.into()),
            flow_instance_id: None,
            owner_email: None,
            owner_full_name: None,
            created: None,
            status: None,
            workspace_id: None,
            exclusive: None,
        }
    }

    /// Sets the flow's name.
    pub fn with_flow_name(mut self, name: impl Into<String>) -> Self {
        self.flow_name = Some(name.into());
        self
    }

    /// Sets the flow instance id.
    pub fn with_instance_id(mut self, id: impl Into<String>) -> Self {
        self.flow_instance_id = Some(id.into());
        self
    }

    /// Sets the owner of the instance's to-dos.
    pub fn with_owner(mut self, email: impl Into<String>, full_name: impl Into<String>) -> Self {
        self.owner_email = Some(email.into());
        self.owner_full_name = Some(full_name.into());
        self
    }

    /// Sets the instance's state.
    pub fn with_status(mut self, status: FlowInstanceStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets when the instance was created (ISO-8601, as Gong sends it).
    pub fn with_created(mut self, created: impl Into<String>) -> Self {
        self.created = Some(Timestamp::new(created));
        self
    }

    /// Sets the flow's workspace.
    pub fn with_workspace(mut self, workspace_id: impl Into<String>) -> Self {
        self.workspace_id = Some(workspace_id.into());
        self
    }

    /// Sets whether the flow is exclusive.
    pub fn with_exclusive(mut self, exclusive: bool) -> Self {
        self.exclusive = Some(exclusive);
        self
    }

    /// The flow's name, or `""` when Gong sent none.
    pub fn flow_name(&self) -> &str {
        self.flow_name.as_deref().unwrap_or_default()
    }

    /// The prospect's CRM id, or `""` when Gong sent none.
    pub fn crm_prospect_id(&self) -> &str {
        self.crm_prospect_id.as_deref().unwrap_or_default()
    }
}

/// `PROSPECT in FLOW_NAME (FLOW_ID) as instance ID, STATUS, since DATE`,
/// leaving out what is unknown.
impl fmt::Display for FlowInstance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prospect = self
            .crm_prospect_id
            .as_deref()
            .unwrap_or("(unknown prospect)");
        write!(f, "{prospect} in")?;
        match (&self.flow_name, &self.flow_id) {
            (Some(name), Some(id)) => write!(f, " {name} ({id})")?,
            (Some(name), None) => write!(f, " {name}")?,
            (None, Some(id)) => write!(f, " flow {id}")?,
            (None, None) => f.write_str(" an unknown flow")?,
        }
        if let Some(id) = &self.flow_instance_id {
            write!(f, " as instance {id}")?;
        }
        if let Some(status) = &self.status {
            write!(f, ", {}", status_label(status))?;
        }
        if let Some(created) = &self.created {
            match created.parsed() {
                Some(at) => write!(f, ", since {}", at.format("%Y-%m-%d %H:%M %:z"))?,
                None => write!(f, ", since {}", created.raw())?,
            }
        }
        Ok(())
    }
}

impl From<FlowInstance> for wire::PublicApiAssignedFlow {
    /// The wire form, as Gong would send it (for mocked answers).
    fn from(i: FlowInstance) -> Self {
        Self {
            flow_id: i.flow_id,
            flow_name: i.flow_name,
            crm_prospect_id: i.crm_prospect_id,
            flow_instance_id: i.flow_instance_id,
            flow_instance_owner_email: i.owner_email,
            flow_instance_owner_full_name: i.owner_full_name,
            flow_instance_create_date: i.created.map(|t| t.raw),
            flow_instance_status: i.status,
            workspace_id: i.workspace_id,
            exclusive: i.exclusive,
        }
    }
}

impl Step {
    /// Step `order` (1-based) of a flow, doing `action`.
    ///
    /// ```
    /// use gong_flows::{FlowStepAction, Step};
    ///
    /// let step = Step::new(1, FlowStepAction::SendEmail).with_subject("Quick question");
    /// assert_eq!(step.to_string(), "1. Send email — \"Quick question\"");
    /// assert_eq!(Step::new(2, FlowStepAction::Call).to_string(), "2. Call");
    /// ```
    pub fn new(order: i32, action: FlowStepAction) -> Self {
        Self {
            id: None,
            step_order: Some(order),
            action: Some(action),
            subject: None,
            body: None,
            is_reply: None,
        }
    }

    /// Sets the step id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the email subject.
    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Sets the content.
    pub fn with_body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets whether the email replies in the previous step's thread.
    pub fn with_reply(mut self, reply: bool) -> Self {
        self.is_reply = Some(reply);
        self
    }

    /// The email subject, or `""` when the step has none.
    pub fn subject(&self) -> &str {
        self.subject.as_deref().unwrap_or_default()
    }

    /// Whether the email replies in the previous thread (`false` when Gong
    /// did not say).
    pub fn is_reply(&self) -> bool {
        self.is_reply.unwrap_or(false)
    }
}

/// `1. Send email — "Quick question"`; a reply adds ` (reply)`; a step
/// without a subject is `2. Call`.
impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(order) = self.step_order {
            write!(f, "{order}. ")?;
        }
        f.write_str(self.action.as_ref().map_or("Step", action_label))?;
        if let Some(subject) = self.subject.as_deref().filter(|s| !s.is_empty()) {
            write!(f, " — {subject:?}")?;
        }
        if self.is_reply() {
            f.write_str(" (reply)")?;
        }
        Ok(())
    }
}

impl From<Step> for wire::PublicApiFlowStep {
    /// The wire form, as Gong would send it (for mocked answers).
    fn from(s: Step) -> Self {
        Self {
            id: s.id,
            step_order: s.step_order,
            action: s.action,
            subject: s.subject,
            body: s.body,
            is_reply: s.is_reply,
        }
    }
}

impl FlowWithSteps {
    /// A flow with an id and a name, and no steps yet.
    ///
    /// ```
    /// use gong_flows::{FlowStepAction, FlowWithSteps, Step};
    ///
    /// let flow = FlowWithSteps::new("1695493301223590792", "SDR Flow").with_steps([
    ///     Step::new(1, FlowStepAction::SendEmail).with_subject("Quick question"),
    ///     Step::new(2, FlowStepAction::Call),
    /// ]);
    /// assert_eq!(flow.to_string(), "SDR Flow (1695493301223590792; 2 steps)");
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: Some(name.into()),
            folder_id: None,
            visibility: None,
            created: None,
            exclusive: None,
            description: None,
            steps: Vec::new(),
        }
    }

    /// Sets the steps.
    pub fn with_steps(mut self, steps: impl IntoIterator<Item = Step>) -> Self {
        self.steps = steps.into_iter().collect();
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Puts the flow in a folder.
    pub fn with_folder(mut self, folder_id: impl Into<String>) -> Self {
        self.folder_id = Some(folder_id.into());
        self
    }

    /// Sets who can see the flow.
    pub fn with_visibility(mut self, visibility: FlowVisibility) -> Self {
        self.visibility = Some(visibility);
        self
    }

    /// Sets whether the flow is exclusive.
    pub fn with_exclusive(mut self, exclusive: bool) -> Self {
        self.exclusive = Some(exclusive);
        self
    }

    /// The name, or `""` when Gong sent none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    /// The description, or `""` when Gong sent none.
    pub fn description(&self) -> &str {
        self.description.as_deref().unwrap_or_default()
    }
}

/// `NAME (ID; N steps; exclusive)`. The steps have their own `Display`.
impl fmt::Display for FlowWithSteps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.steps.len();
        write!(
            f,
            "{} ({}; {n} step{}",
            name_or_unnamed(self.name.as_deref()),
            self.id,
            if n == 1 { "" } else { "s" }
        )?;
        if self.exclusive.unwrap_or(false) {
            f.write_str("; exclusive")?;
        }
        f.write_str(")")
    }
}

impl From<FlowWithSteps> for wire::PublicApiFlowWithSteps {
    /// The wire form, as Gong would send it (for mocked answers).
    fn from(f: FlowWithSteps) -> Self {
        Self {
            id: Some(f.id),
            name: f.name,
            folder_id: f.folder_id,
            visibility: f.visibility,
            creation_date: f.created.map(|t| t.raw),
            exclusive: f.exclusive,
            description: f.description,
            steps: f.steps.into_iter().map(Into::into).collect(),
        }
    }
}

impl<T> Page<T> {
    /// A last page holding `items` (for tests).
    ///
    /// ```
    /// use gong_flows::{Flow, Page};
    ///
    /// let page = Page::of(vec![Flow::new("1", "SDR Flow")]).with_next_cursor("c2");
    /// assert!(page.has_more());
    /// assert_eq!(page.to_string(), "1 item, more after cursor c2");
    /// ```
    pub fn of(items: Vec<T>) -> Self {
        Self {
            items,
            total_records: None,
            page_number: None,
            next_cursor: None,
            request_id: None,
        }
    }

    /// Sets the cursor of the next page.
    pub fn with_next_cursor(mut self, cursor: impl Into<String>) -> Self {
        self.next_cursor = Some(cursor.into());
        self
    }

    /// Sets the record count across all pages.
    pub fn with_total_records(mut self, total: i32) -> Self {
        self.total_records = Some(total);
        self
    }

    /// Sets the zero-based page number.
    pub fn with_page_number(mut self, number: i32) -> Self {
        self.page_number = Some(number);
        self
    }

    /// Sets Gong's request id.
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Whether another page follows.
    pub fn has_more(&self) -> bool {
        self.next_cursor.is_some()
    }
}

/// `N items[ of TOTAL][, page P][, more after cursor C | , last page]`.
impl<T> fmt::Display for Page<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.items.len();
        write!(f, "{n} item{}", if n == 1 { "" } else { "s" })?;
        if let Some(total) = self.total_records {
            write!(f, " of {total}")?;
        }
        if let Some(number) = self.page_number {
            write!(f, ", page {number}")?;
        }
        match &self.next_cursor {
            Some(cursor) => write!(f, ", more after cursor {cursor}"),
            None => f.write_str(", last page"),
        }
    }
}

/// `Mike Smith <mike@example.com> (crm 0035…)`, from what is known.
impl fmt::Display for BulkProspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name: Vec<&str> = [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let mut parts = Vec::new();
        if !name.is_empty() {
            parts.push(name.join(" "));
        }
        if let Some(email) = &self.email {
            parts.push(format!("<{email}>"));
        }
        if let Some(id) = &self.crm_id {
            parts.push(if parts.is_empty() {
                format!("crm {id}")
            } else {
                format!("(crm {id})")
            });
        }
        if parts.is_empty() {
            return f.write_str("(empty prospect)");
        }
        f.write_str(&parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_knows_its_precision() {
        let step = |raw: &str| Timestamp::new(raw).precision();
        assert_eq!(
            step("2024-01-17T16:20:05-03:00"),
            std::time::Duration::from_secs(1)
        );
        assert_eq!(
            step("2016-02-16T03:57:04.834+05:30"),
            std::time::Duration::from_millis(1)
        );
        assert_eq!(
            step("2020-11-20T21:30:07.233692Z"),
            std::time::Duration::from_micros(1)
        );
        assert_eq!(
            step("2020-11-20T21:30:07.233692123456Z"),
            std::time::Duration::from_nanos(1)
        );
    }

    #[test]
    fn a_timestamp_is_before_a_time_at_its_own_precision() {
        use std::time::{Duration, SystemTime};
        // 2024-01-17T19:20:05Z, and half a second later.
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_705_519_205);
        let later = at + Duration::from_millis(500);
        // Whole seconds: the same second is not before, the one before is.
        assert!(!Timestamp::new("2024-01-17T16:20:05-03:00").before(later));
        assert!(Timestamp::new("2024-01-17T16:20:04-03:00").before(later));
        // Milliseconds tell the half second apart.
        assert!(Timestamp::new("2024-01-17T19:20:05.499Z").before(later));
        assert!(!Timestamp::new("2024-01-17T19:20:05.500Z").before(later));
        // Text that does not parse is never before.
        assert!(!Timestamp::new("yesterday").before(later));
        assert!(!Timestamp::new("").before(at));
    }

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
