//! The simulated company's flows and folders, and the seeded defaults.

use std::collections::HashSet;

use gong_flows_api::types::{FlowStepAction, FlowVisibility};

use crate::util::is_decimal_id;

/// The user whose personal flow and folder the seeded dataset has, and to
/// whom the shared flow is shared.
pub const DEFAULT_USER_EMAIL: &str = "owner@example.com";
/// Another user: owner of the seeded shared flow.
pub const TEAMMATE_EMAIL: &str = "teammate@example.com";
/// The workspace of the seeded flows (Gong's example workspace id).
pub const DEFAULT_WORKSPACE_ID: &str = "623457276584334";
/// A second workspace, holding one seeded flow.
pub const OTHER_WORKSPACE_ID: &str = "623457276584335";

/// Company flow, not exclusive, three steps (Gong's example flow id).
pub const SDR_FLOW_ID: &str = "1695493301223590792";
/// Company flow, **exclusive**: a prospect in it cannot join another flow.
pub const EXCLUSIVE_FLOW_ID: &str = "1695493301223590793";
/// Personal flow of [`DEFAULT_USER_EMAIL`].
pub const PERSONAL_FLOW_ID: &str = "1695493301223590794";
/// Shared flow of [`TEAMMATE_EMAIL`], shared with [`DEFAULT_USER_EMAIL`].
pub const SHARED_FLOW_ID: &str = "1695493301223590795";
/// Company flow in [`OTHER_WORKSPACE_ID`].
pub const OTHER_WORKSPACE_FLOW_ID: &str = "1695493301223590796";

/// The name of [`SDR_FLOW_ID`].
pub const SDR_FLOW_NAME: &str = "SDR Flow";
/// The name of [`EXCLUSIVE_FLOW_ID`].
pub const EXCLUSIVE_FLOW_NAME: &str = "Enterprise Nurture (exclusive)";
/// The name of [`PERSONAL_FLOW_ID`].
pub const PERSONAL_FLOW_NAME: &str = "My Follow-up";
/// The name of [`SHARED_FLOW_ID`].
pub const SHARED_FLOW_NAME: &str = "Webinar Follow-up (shared)";
/// The name of [`OTHER_WORKSPACE_FLOW_ID`].
pub const OTHER_WORKSPACE_FLOW_NAME: &str = "Partner Outreach";

/// The seeded flows as `(id, name)`, in the order they are listed.
///
/// ```
/// use gong_flows_sim::dataset::{self, SEEDED_FLOWS};
///
/// let (id, name) = SEEDED_FLOWS[0];
/// assert_eq!((id, name), (dataset::SDR_FLOW_ID, dataset::SDR_FLOW_NAME));
/// ```
pub const SEEDED_FLOWS: [(&str, &str); 5] = [
    (SDR_FLOW_ID, SDR_FLOW_NAME),
    (EXCLUSIVE_FLOW_ID, EXCLUSIVE_FLOW_NAME),
    (PERSONAL_FLOW_ID, PERSONAL_FLOW_NAME),
    (SHARED_FLOW_ID, SHARED_FLOW_NAME),
    (OTHER_WORKSPACE_FLOW_ID, OTHER_WORKSPACE_FLOW_NAME),
];

/// The "Shared With You" folder, as recorded from the real service (no
/// parent, no creator).
pub const SHARED_WITH_YOU_FOLDER_ID: &str = "100";
/// Company folder at the top.
pub const OUTBOUND_FOLDER_ID: &str = "6543219876543210";
/// Company folder inside [`OUTBOUND_FOLDER_ID`].
pub const ENTERPRISE_FOLDER_ID: &str = "6543219876543211";
/// Personal folder of [`DEFAULT_USER_EMAIL`].
pub const PERSONAL_FOLDER_ID: &str = "6543219876543212";
/// Company folder in [`OTHER_WORKSPACE_ID`].
pub const PARTNERS_FOLDER_ID: &str = "6543219876543213";

/// The name of [`SHARED_WITH_YOU_FOLDER_ID`].
pub const SHARED_WITH_YOU_FOLDER_NAME: &str = "Shared With You";
/// The name of [`OUTBOUND_FOLDER_ID`].
pub const OUTBOUND_FOLDER_NAME: &str = "Outbound";
/// The name of [`ENTERPRISE_FOLDER_ID`].
pub const ENTERPRISE_FOLDER_NAME: &str = "Enterprise";
/// The name of [`PERSONAL_FOLDER_ID`].
pub const PERSONAL_FOLDER_NAME: &str = "My Flows";
/// The name of [`PARTNERS_FOLDER_ID`].
pub const PARTNERS_FOLDER_NAME: &str = "Partners";

/// Generated flows (see [`SimConfig::flows`](crate::SimConfig::flows)) have
/// the ids `GENERATED_FLOW_ID_BASE + 1`, `+ 2`, … as decimal strings.
pub const GENERATED_FLOW_ID_BASE: u64 = 3_000_000_000_000_000_000;

/// One step of a flow.
#[derive(Clone, Debug, PartialEq)]
pub struct StepSpec {
    /// The step id (a decimal string).
    pub id: String,
    /// What the step does.
    pub action: FlowStepAction,
    /// Email subject, for email steps.
    pub subject: Option<String>,
    /// Step content (may hold HTML).
    pub body: Option<String>,
    /// Whether the email replies in the previous step's thread.
    pub is_reply: bool,
}

impl StepSpec {
    /// A step with the given id and action, without subject or body.
    pub fn new(id: impl Into<String>, action: FlowStepAction) -> Self {
        Self {
            id: id.into(),
            action,
            subject: None,
            body: None,
            is_reply: false,
        }
    }

    /// Sets the subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Marks the email as a reply in the previous thread.
    pub fn reply(mut self) -> Self {
        self.is_reply = true;
        self
    }
}

/// A flow of the simulated company.
///
/// ```
/// use gong_flows_api::types::{FlowStepAction, FlowVisibility};
/// use gong_flows_sim::{FlowSpec, StepSpec};
///
/// let flow = FlowSpec::new("4000000000000000001", "Renewals")
///     .visibility(FlowVisibility::Personal)
///     .owner("rep@example.com")
///     .exclusive(true)
///     .steps(vec![StepSpec::new("4000000000000000101", FlowStepAction::Call)]);
/// assert!(flow.exclusive);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FlowSpec {
    /// The flow id (a decimal string).
    pub id: String,
    /// The flow name.
    pub name: String,
    /// The folder holding it, if any.
    pub folder_id: Option<String>,
    /// Company, Personal or Shared.
    pub visibility: FlowVisibility,
    /// Whether a prospect in it is kept out of every other flow.
    pub exclusive: bool,
    /// The owner (for Personal and Shared visibility).
    pub owner_email: String,
    /// Users a Shared flow is shared with.
    pub shared_with: Vec<String>,
    /// The workspace.
    pub workspace_id: String,
    /// ISO-8601 creation date.
    pub creation_date: String,
    /// The description.
    pub description: String,
    /// The steps, in order (their `stepOrder` is the 1-based position).
    pub steps: Vec<StepSpec>,
}

impl FlowSpec {
    /// A company flow in the default workspace, not exclusive, owned by
    /// [`DEFAULT_USER_EMAIL`], in no folder, with one email step.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        let id = id.into();
        let step_id = format!("{}1", id.get(..id.len().min(17)).unwrap_or("1"));
        Self {
            name: name.into(),
            folder_id: None,
            visibility: FlowVisibility::Company,
            exclusive: false,
            owner_email: DEFAULT_USER_EMAIL.to_owned(),
            shared_with: Vec::new(),
            workspace_id: DEFAULT_WORKSPACE_ID.to_owned(),
            creation_date: "2024-01-17T16:20:05-03:00".to_owned(),
            description: String::new(),
            steps: vec![
                StepSpec::new(step_id, FlowStepAction::SendEmail)
                    .subject("Quick question")
                    .body("<p>Hi {{recipient.first_name}}</p>"),
            ],
            id,
        }
    }

    /// Sets the visibility.
    pub fn visibility(mut self, visibility: FlowVisibility) -> Self {
        self.visibility = visibility;
        self
    }

    /// Sets whether the flow is exclusive.
    pub fn exclusive(mut self, exclusive: bool) -> Self {
        self.exclusive = exclusive;
        self
    }

    /// Sets the owner.
    pub fn owner(mut self, email: impl Into<String>) -> Self {
        self.owner_email = email.into();
        self
    }

    /// Shares the flow with a user (for Shared visibility).
    pub fn shared_with(mut self, email: impl Into<String>) -> Self {
        self.shared_with.push(email.into());
        self
    }

    /// Puts the flow in a folder.
    pub fn folder(mut self, folder_id: impl Into<String>) -> Self {
        self.folder_id = Some(folder_id.into());
        self
    }

    /// Sets the workspace.
    pub fn workspace(mut self, workspace_id: impl Into<String>) -> Self {
        self.workspace_id = workspace_id.into();
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Sets the creation date (ISO-8601).
    pub fn created(mut self, date: impl Into<String>) -> Self {
        self.creation_date = date.into();
        self
    }

    /// Replaces the steps.
    pub fn steps(mut self, steps: Vec<StepSpec>) -> Self {
        self.steps = steps;
        self
    }
}

/// A flow folder of the simulated company.
#[derive(Clone, Debug, PartialEq)]
pub struct FolderSpec {
    /// The folder id (a decimal string).
    pub id: String,
    /// The folder name.
    pub name: String,
    /// The parent folder, if any (answered as the string `"null"` if not).
    pub parent_id: Option<String>,
    /// The creator's Gong user id, if any (answered as `"null"` if not).
    pub created_by_id: Option<String>,
    /// Company, Personal or Shared.
    pub visibility: FlowVisibility,
    /// The owner (Personal and Shared folders); a Shared folder without an
    /// owner is visible to everyone, like Gong's "Shared With You".
    pub owner_email: Option<String>,
    /// Users a Shared folder is shared with.
    pub shared_with: Vec<String>,
    /// The workspace, if the folder belongs to one.
    pub workspace_id: Option<String>,
}

impl FolderSpec {
    /// A top-level company folder in the default workspace.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            parent_id: None,
            created_by_id: Some("234599484848423".to_owned()),
            visibility: FlowVisibility::Company,
            owner_email: None,
            shared_with: Vec::new(),
            workspace_id: Some(DEFAULT_WORKSPACE_ID.to_owned()),
        }
    }

    /// Sets the parent folder.
    pub fn parent(mut self, parent_id: impl Into<String>) -> Self {
        self.parent_id = Some(parent_id.into());
        self
    }

    /// Sets the visibility.
    pub fn visibility(mut self, visibility: FlowVisibility) -> Self {
        self.visibility = visibility;
        self
    }

    /// Sets the owner.
    pub fn owner(mut self, email: impl Into<String>) -> Self {
        self.owner_email = Some(email.into());
        self
    }

    /// Sets the workspace.
    pub fn workspace(mut self, workspace_id: impl Into<String>) -> Self {
        self.workspace_id = Some(workspace_id.into());
        self
    }
}

/// The flows and folders a simulator starts with.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Folders.
    pub folders: Vec<FolderSpec>,
    /// Flows, listed in this order.
    pub flows: Vec<FlowSpec>,
}

impl Default for Dataset {
    fn default() -> Self {
        Self::seeded()
    }
}

impl Dataset {
    /// No flows, no folders.
    pub fn empty() -> Self {
        Self {
            folders: Vec::new(),
            flows: Vec::new(),
        }
    }

    /// Five flows and five folders (see the constants of this module):
    /// company, exclusive, personal, shared and other-workspace flows with
    /// steps of every action.
    pub fn seeded() -> Self {
        use FlowStepAction as A;
        let folders = vec![
            FolderSpec {
                id: SHARED_WITH_YOU_FOLDER_ID.to_owned(),
                name: SHARED_WITH_YOU_FOLDER_NAME.to_owned(),
                parent_id: None,
                created_by_id: None,
                visibility: FlowVisibility::Shared,
                owner_email: None,
                shared_with: Vec::new(),
                workspace_id: None,
            },
            FolderSpec::new(OUTBOUND_FOLDER_ID, OUTBOUND_FOLDER_NAME),
            FolderSpec::new(ENTERPRISE_FOLDER_ID, ENTERPRISE_FOLDER_NAME)
                .parent(OUTBOUND_FOLDER_ID),
            FolderSpec::new(PERSONAL_FOLDER_ID, PERSONAL_FOLDER_NAME)
                .visibility(FlowVisibility::Personal)
                .owner(DEFAULT_USER_EMAIL),
            FolderSpec::new(PARTNERS_FOLDER_ID, PARTNERS_FOLDER_NAME).workspace(OTHER_WORKSPACE_ID),
        ];
        let flows = vec![
            FlowSpec::new(SDR_FLOW_ID, SDR_FLOW_NAME)
                .folder(OUTBOUND_FOLDER_ID)
                .description("First touch for inbound leads")
                .steps(vec![
                    StepSpec::new("7788990011223344", A::SendEmail)
                        .subject("Quick question")
                        .body("<p>Hi {{recipient.first_name}}</p>"),
                    StepSpec::new("7788990011223345", A::Call).body("Call and mention the email"),
                    StepSpec::new("7788990011223346", A::AutoSendEmail)
                        .subject("Re: Quick question")
                        .body("<p>Following up</p>")
                        .reply(),
                ]),
            FlowSpec::new(EXCLUSIVE_FLOW_ID, EXCLUSIVE_FLOW_NAME)
                .folder(ENTERPRISE_FOLDER_ID)
                .exclusive(true)
                .created("2024-03-02T09:15:00.000Z")
                .description("Strategic accounts only; no other flow may touch them")
                .steps(vec![
                    StepSpec::new("7788990011223350", A::LinkedinConnect),
                    StepSpec::new("7788990011223351", A::SendEmail)
                        .subject("An idea for {{account.name}}")
                        .body("<p>Hello</p>"),
                    StepSpec::new("7788990011223352", A::LinkedinMessage)
                        .body("Thanks for connecting"),
                ]),
            FlowSpec::new(PERSONAL_FLOW_ID, PERSONAL_FLOW_NAME)
                .visibility(FlowVisibility::Personal)
                .folder(PERSONAL_FOLDER_ID)
                .created("2025-05-20T21:30:07.233692Z")
                .steps(vec![
                    StepSpec::new("7788990011223360", A::Custom).body("Research the prospect"),
                    StepSpec::new("7788990011223361", A::SendEmail)
                        .subject("Following up")
                        .body("<p>Hi again</p>"),
                ]),
            FlowSpec::new(SHARED_FLOW_ID, SHARED_FLOW_NAME)
                .visibility(FlowVisibility::Shared)
                .owner(TEAMMATE_EMAIL)
                .shared_with(DEFAULT_USER_EMAIL)
                .folder(SHARED_WITH_YOU_FOLDER_ID)
                .created("2025-11-17T08:10:53+02:00")
                .steps(vec![
                    StepSpec::new("7788990011223370", A::SendEmail)
                        .subject("Thanks for attending")
                        .body("<p>The recording</p>"),
                    StepSpec::new("7788990011223371", A::Call),
                ]),
            FlowSpec::new(OTHER_WORKSPACE_FLOW_ID, OTHER_WORKSPACE_FLOW_NAME)
                .workspace(OTHER_WORKSPACE_ID)
                .folder(PARTNERS_FOLDER_ID),
        ];
        Self { folders, flows }
    }

    /// The flow of this name, if the dataset has one.
    ///
    /// ```
    /// use gong_flows_sim::dataset::{self, Dataset};
    ///
    /// let seeded = Dataset::seeded();
    /// let flow = seeded.flow_named(dataset::SDR_FLOW_NAME).unwrap();
    /// assert_eq!(flow.id, dataset::SDR_FLOW_ID);
    /// ```
    pub fn flow_named(&self, name: &str) -> Option<&FlowSpec> {
        self.flows.iter().find(|f| f.name == name)
    }

    /// `n` generated company flows in [`OUTBOUND_FOLDER_ID`] of the default
    /// workspace, two steps each (no folder if the dataset lacks it).
    pub fn generated_flows(&self, n: usize) -> Vec<FlowSpec> {
        let folder = self
            .folders
            .iter()
            .any(|f| f.id == OUTBOUND_FOLDER_ID)
            .then_some(OUTBOUND_FOLDER_ID);
        (1..=n as u64)
            .map(|i| {
                let id = GENERATED_FLOW_ID_BASE + i;
                let mut flow = FlowSpec::new(id.to_string(), format!("Generated flow {i:06}"))
                    .created("2025-01-01T00:00:00.000Z")
                    .steps(vec![
                        StepSpec::new((id * 2).to_string(), FlowStepAction::SendEmail)
                            .subject(format!("Hello from flow {i}")),
                        StepSpec::new((id * 2 + 1).to_string(), FlowStepAction::Call),
                    ]);
                flow.folder_id = folder.map(str::to_owned);
                flow
            })
            .collect()
    }

    /// This dataset plus `n` generated flows.
    pub(crate) fn with_generated(&self, n: usize) -> Dataset {
        let mut all = self.clone();
        let generated = self.generated_flows(n);
        all.flows.extend(generated);
        all
    }

    /// Checks ids are unique decimal strings and references resolve.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let mut folder_ids = HashSet::new();
        for folder in &self.folders {
            if !is_decimal_id(&folder.id) {
                return Err(format!("folder id `{}` is not a decimal id", folder.id));
            }
            if !folder_ids.insert(folder.id.as_str()) {
                return Err(format!("duplicate folder id {}", folder.id));
            }
            if folder.visibility.is_unknown() {
                return Err(format!("folder {} has an unknown visibility", folder.id));
            }
        }
        for folder in &self.folders {
            if let Some(parent) = &folder.parent_id
                && !folder_ids.contains(parent.as_str())
            {
                return Err(format!(
                    "folder {} has an unknown parent {parent}",
                    folder.id
                ));
            }
        }
        let mut flow_ids = HashSet::new();
        for flow in &self.flows {
            validate_flow(flow, &folder_ids)?;
            if !flow_ids.insert(flow.id.as_str()) {
                return Err(format!("duplicate flow id {}", flow.id));
            }
        }
        Ok(())
    }
}

pub(crate) fn validate_flow(flow: &FlowSpec, folder_ids: &HashSet<&str>) -> Result<(), String> {
    if !is_decimal_id(&flow.id) {
        return Err(format!("flow id `{}` is not a decimal id", flow.id));
    }
    if flow.visibility.is_unknown() {
        return Err(format!("flow {} has an unknown visibility", flow.id));
    }
    if let Some(folder) = &flow.folder_id
        && !folder_ids.contains(folder.as_str())
    {
        return Err(format!("flow {} is in an unknown folder {folder}", flow.id));
    }
    if flow.steps.iter().any(|s| s.action.is_unknown()) {
        return Err(format!(
            "flow {} has a step with an unknown action",
            flow.id
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_dataset_is_valid() {
        let data = Dataset::seeded();
        data.validate().unwrap();
        assert!(data.flows.iter().any(|f| f.exclusive));
        let with = data.with_generated(250);
        with.validate().unwrap();
        assert_eq!(with.flows.len(), 255);
        // The exported names are the seeded ones, id for id.
        assert_eq!(data.flows.len(), SEEDED_FLOWS.len());
        for (flow, (id, name)) in data.flows.iter().zip(SEEDED_FLOWS) {
            assert_eq!((flow.id.as_str(), flow.name.as_str()), (id, name));
            assert_eq!(data.flow_named(name).map(|f| f.id.as_str()), Some(id));
        }
        assert!(data.flow_named("No such flow").is_none());
    }

    #[test]
    fn bad_datasets() {
        let mut data = Dataset::seeded();
        data.flows.push(FlowSpec::new(SDR_FLOW_ID, "dup"));
        assert!(data.validate().is_err());
        let mut data = Dataset::seeded();
        data.flows.push(FlowSpec::new("12", "x").folder("999"));
        assert!(data.validate().is_err());
        let mut data = Dataset::empty();
        data.flows.push(FlowSpec::new("abc", "x"));
        assert!(data.validate().is_err());
    }
}
