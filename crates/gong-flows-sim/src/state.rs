//! The simulated company: flows, folders, prospects, flow instances and
//! bulk jobs, and the rules that change them.
//!
//! Everything here runs under one mutex, so every method is O(its inputs)
//! with hash-map lookups and never scans all instances or prospects (the
//! state dump, on request only, is the exception).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gong_flows_api::types::{
    AssignErrorCode, BulkAssignmentStatus, FlowAssignmentProspect, FlowAssignmentResult,
    FlowAssignmentResultStatus, FlowInstanceStatus, FlowProspectsBulkAssignmentResponse,
    FlowVisibility, PublicApiFlow, PublicApiFlowFolder, PublicApiFlowStep, PublicApiFlowWithSteps,
};
use rand::rngs::SmallRng;
use rand::{Rng as _, SeedableRng as _};

use crate::SimError;
use crate::config::{KnownProspects, is_well_formed_crm_id};
use crate::dataset::{Dataset, FlowSpec, FolderSpec, validate_flow};
use crate::util::{FastMap, FastSet, full_name_from_email, parse_decimal_id, splitmix64};

/// Gong answers at most 20 flows for `mostRecentlyAssigned`.
const MOST_RECENT_LIMIT: usize = 20;

/// The string Gong sends for an absent folder value.
const NULL_STRING: &str = "null";

/// An error answer: status and message.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub(crate) status: http::StatusCode,
    pub(crate) message: String,
}

impl Refusal {
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: http::StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: http::StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
}

/// A flow instance status, compactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Running,
    Pending,
    Paused,
    FinishedNoReply,
    FinishedResponse,
    Finished,
    /// A status Gong does not document (yet), by its index in
    /// [`World::other_statuses`].
    Other(u16),
}

impl Status {
    /// Open instances (Pending, Running, Paused) are the ones a prospect is
    /// "in"; Gong answers only those when asked by CRM id. A status Gong
    /// does not document counts as open too: it is none of the known
    /// finished ones, so the prospect may still be in the flow, and a
    /// client must be able to remove it.
    pub(crate) fn is_open(self) -> bool {
        !matches!(
            self,
            Status::FinishedNoReply | Status::FinishedResponse | Status::Finished
        )
    }
}

/// Whether a status counts as open, as [`Status::is_open`] has it.
fn is_open_status(status: &FlowInstanceStatus) -> bool {
    !matches!(
        status,
        FlowInstanceStatus::FinishedNoReply
            | FlowInstanceStatus::FinishedResponse
            | FlowInstanceStatus::Finished
    )
}

/// What every answer about an instance needs from its flow.
#[derive(Debug)]
pub(crate) struct FlowInfo {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) workspace_id: String,
    pub(crate) exclusive: bool,
}

/// A flow instance owner.
#[derive(Debug)]
pub(crate) struct Owner {
    pub(crate) email: String,
    pub(crate) full_name: String,
}

/// An instance with everything needed to answer about it, built under the
/// lock from shared pieces (no string copies) and turned into wire types
/// after the lock is released.
#[derive(Debug)]
pub(crate) struct InstanceView {
    pub(crate) id: u64,
    pub(crate) flow: Arc<FlowInfo>,
    pub(crate) owner: Arc<Owner>,
    pub(crate) crm: Arc<str>,
    pub(crate) status: FlowInstanceStatus,
    pub(crate) created_ms: u64,
}

/// The outcome of assigning one prospect.
#[derive(Debug)]
pub(crate) enum AssignItem {
    Assigned(InstanceView),
    Failed {
        crm: String,
        code: AssignErrorCode,
        message: String,
    },
}

#[derive(Debug)]
struct Flow {
    info: Arc<FlowInfo>,
    spec: FlowSpec,
}

#[derive(Clone, Copy, Debug)]
struct Instance {
    flow: u32,
    prospect: u32,
    owner: u32,
    created_ms: u64,
    status: Status,
}

#[derive(Debug)]
struct Prospect {
    crm: Arc<str>,
    /// Existing instances (open or finished), oldest first.
    instances: Vec<u64>,
}

#[derive(Debug)]
struct BulkAssignmentJob {
    flow: u32,
    owner_email: String,
    prospects: Vec<FlowAssignmentProspect>,
    submitted: Instant,
    outcome: Option<JobOutcome>,
}

#[derive(Debug)]
struct JobOutcome {
    results: Vec<FlowAssignmentResult>,
    succeeded: i32,
    failed: i32,
}

/// One flow instance in a [`StateDump`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceRecord {
    /// The instance id (decimal string).
    pub instance_id: String,
    /// The flow.
    pub flow_id: String,
    /// The prospect.
    pub crm_prospect_id: String,
    /// Its status (possibly one Gong does not document, see
    /// [`Simulator::set_instance_status`](crate::Simulator::set_instance_status)).
    pub status: FlowInstanceStatus,
    /// The owner of its to-dos.
    pub owner_email: String,
    /// When it was created (`flowInstanceCreateDate`, to the millisecond).
    pub created: SystemTime,
}

/// Everything the simulated company holds about prospects, for tests:
/// which prospect is in which flow, and how often each (flow, prospect)
/// pair was ever assigned.
///
/// ```
/// # use gong_flows_sim::StateDump;
/// fn assert_no_double_assignment(dump: &StateDump) {
///     assert!(dump.max_times_assigned() <= 1, "{:?}", dump.assigned_more_than_once());
/// }
/// # assert_no_double_assignment(&StateDump::default());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateDump {
    /// Every existing flow instance (open or finished), by instance id.
    pub instances: Vec<InstanceRecord>,
    /// How many times each `(flow id, CRM id)` pair was ever assigned,
    /// including instances since removed.
    pub assignment_counts: HashMap<(String, String), u32>,
}

impl StateDump {
    /// How many times the prospect was ever assigned to the flow.
    pub fn times_assigned(&self, flow_id: &str, crm_id: &str) -> u32 {
        self.assignment_counts
            .get(&(flow_id.to_owned(), crm_id.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// The largest assignment count of any pair (0 when nothing was ever
    /// assigned).
    pub fn max_times_assigned(&self) -> u32 {
        self.assignment_counts.values().copied().max().unwrap_or(0)
    }

    /// The pairs assigned more than once, with their counts, sorted.
    pub fn assigned_more_than_once(&self) -> Vec<(String, String, u32)> {
        let mut pairs: Vec<_> = self
            .assignment_counts
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|((flow, crm), n)| (flow.clone(), crm.clone(), *n))
            .collect();
        pairs.sort();
        pairs
    }

    /// The prospect's open instances (Pending, Running, Paused, or a status
    /// Gong does not document).
    pub fn open_instances_of(&self, crm_id: &str) -> Vec<&InstanceRecord> {
        self.instances
            .iter()
            .filter(|i| i.crm_prospect_id == crm_id && is_open_status(&i.status))
            .collect()
    }

    /// The CRM ids with an open instance in the flow.
    pub fn prospects_in_flow(&self, flow_id: &str) -> Vec<&str> {
        self.instances
            .iter()
            .filter(|i| i.flow_id == flow_id && is_open_status(&i.status))
            .map(|i| i.crm_prospect_id.as_str())
            .collect()
    }
}

/// The mutable world.
#[derive(Debug)]
pub(crate) struct World {
    flows: Vec<Flow>,
    flow_index: FastMap<String, u32>,
    folders: Vec<FolderSpec>,
    folder_index: FastMap<String, usize>,
    known: KnownProspects,
    extra_known: FastSet<String>,
    prospects: Vec<Prospect>,
    prospect_index: FastMap<Arc<str>, u32>,
    owners: Vec<Arc<Owner>>,
    /// Keyed by lowercased email: Gong treats emails case-insensitively.
    owner_index: FastMap<String, u32>,
    instances: FastMap<u64, Instance>,
    ever_assigned: FastMap<(u32, u32), u32>,
    /// Per owner, the flows they assigned prospects to, most recent first.
    recent: FastMap<u32, VecDeque<u32>>,
    jobs: FastMap<String, BulkAssignmentJob>,
    /// The statuses set that Gong does not document, for [`Status::Other`].
    other_statuses: Vec<FlowInstanceStatus>,
    next_instance: u64,
    rng: SmallRng,
}

/// Whether a user sees an item of this visibility.
fn visible_to(
    visibility: &FlowVisibility,
    owner: Option<&str>,
    shared_with: &[String],
    email: &str,
) -> bool {
    let is = |other: &str| other.eq_ignore_ascii_case(email);
    match visibility {
        FlowVisibility::Company => true,
        FlowVisibility::Personal => owner.is_some_and(is),
        // A shared item without an owner (Gong's "Shared With You" folder)
        // is everyone's.
        FlowVisibility::Shared => owner.is_none_or(is) || shared_with.iter().any(|s| is(s)),
        FlowVisibility::Unknown(_) => false,
    }
}

impl World {
    pub(crate) fn new(
        dataset: &Dataset,
        generated_flows: usize,
        known: KnownProspects,
        seed: u64,
    ) -> Result<Self, SimError> {
        let dataset = dataset.with_generated(generated_flows);
        dataset.validate().map_err(SimError::InvalidConfig)?;
        let mut rng = SmallRng::seed_from_u64(splitmix64(seed ^ 0x0077_6f72_6c64));
        // Gong's instance ids are 16-digit decimals, e.g. 1234361284629356.
        let next_instance = 1_000_000_000_000_000 + rng.random_range(0..8_000_000_000_000_000);
        let mut world = Self {
            flows: Vec::new(),
            flow_index: FastMap::default(),
            folders: Vec::new(),
            folder_index: FastMap::default(),
            known,
            extra_known: FastSet::default(),
            prospects: Vec::new(),
            prospect_index: FastMap::default(),
            owners: Vec::new(),
            owner_index: FastMap::default(),
            instances: FastMap::default(),
            ever_assigned: FastMap::default(),
            recent: FastMap::default(),
            jobs: FastMap::default(),
            other_statuses: Vec::new(),
            next_instance,
            rng,
        };
        for folder in dataset.folders {
            world.insert_folder(folder);
        }
        for flow in dataset.flows {
            world.insert_flow(flow);
        }
        Ok(world)
    }

    fn insert_folder(&mut self, folder: FolderSpec) {
        self.folder_index
            .insert(folder.id.clone(), self.folders.len());
        self.folders.push(folder);
    }

    fn insert_flow(&mut self, spec: FlowSpec) {
        let info = Arc::new(FlowInfo {
            id: spec.id.clone(),
            name: spec.name.clone(),
            workspace_id: spec.workspace_id.clone(),
            exclusive: spec.exclusive,
        });
        let index = u32::try_from(self.flows.len()).unwrap_or(u32::MAX);
        self.flow_index.insert(spec.id.clone(), index);
        self.flows.push(Flow { info, spec });
    }

    /// Adds a flow at run time.
    pub(crate) fn add_flow(&mut self, spec: FlowSpec) -> Result<(), SimError> {
        let folders: HashSet<&str> = self.folder_index.keys().map(String::as_str).collect();
        validate_flow(&spec, &folders).map_err(SimError::InvalidConfig)?;
        if self.flow_index.contains_key(&spec.id) {
            return Err(SimError::InvalidConfig(format!(
                "duplicate flow id {}",
                spec.id
            )));
        }
        self.insert_flow(spec);
        Ok(())
    }

    /// Adds a folder at run time.
    pub(crate) fn add_folder(&mut self, spec: FolderSpec) -> Result<(), SimError> {
        if !crate::util::is_decimal_id(&spec.id) {
            return Err(SimError::InvalidConfig(format!(
                "folder id `{}` is not a decimal id",
                spec.id
            )));
        }
        if self.folder_index.contains_key(&spec.id) {
            return Err(SimError::InvalidConfig(format!(
                "duplicate folder id {}",
                spec.id
            )));
        }
        if let Some(parent) = &spec.parent_id
            && !self.folder_index.contains_key(parent)
        {
            return Err(SimError::InvalidConfig(format!(
                "folder {} has an unknown parent {parent}",
                spec.id
            )));
        }
        if spec.visibility.is_unknown() {
            return Err(SimError::InvalidConfig(format!(
                "folder {} has an unknown visibility",
                spec.id
            )));
        }
        self.insert_folder(spec);
        Ok(())
    }

    /// Makes CRM ids known (also ones starting with `unknown`).
    pub(crate) fn add_prospects(&mut self, ids: impl IntoIterator<Item = String>) {
        self.extra_known.extend(ids);
    }

    fn is_known(&self, crm: &str) -> bool {
        if !self.extra_known.is_empty() && self.extra_known.contains(crm) {
            return true;
        }
        match &self.known {
            KnownProspects::AllWellFormed => {
                is_well_formed_crm_id(crm) && !crm.starts_with("unknown")
            }
            KnownProspects::Only(ids) => ids.contains(crm),
        }
    }

    fn intern_prospect(&mut self, crm: &str) -> u32 {
        if let Some(&index) = self.prospect_index.get(crm) {
            return index;
        }
        let crm: Arc<str> = Arc::from(crm);
        let index = u32::try_from(self.prospects.len()).unwrap_or(u32::MAX);
        self.prospects.push(Prospect {
            crm: Arc::clone(&crm),
            instances: Vec::new(),
        });
        self.prospect_index.insert(crm, index);
        index
    }

    fn intern_owner(&mut self, email: &str) -> u32 {
        let key = email.to_ascii_lowercase();
        if let Some(&index) = self.owner_index.get(&key) {
            return index;
        }
        let index = u32::try_from(self.owners.len()).unwrap_or(u32::MAX);
        self.owners.push(Arc::new(Owner {
            email: email.to_owned(),
            full_name: full_name_from_email(email),
        }));
        self.owner_index.insert(key, index);
        index
    }

    fn view(&self, id: u64, instance: &Instance) -> InstanceView {
        InstanceView {
            id,
            flow: Arc::clone(&self.flows[instance.flow as usize].info),
            owner: Arc::clone(&self.owners[instance.owner as usize]),
            crm: Arc::clone(&self.prospects[instance.prospect as usize].crm),
            status: self.status_api(instance.status),
            created_ms: instance.created_ms,
        }
    }

    /// A status as the answers carry it.
    fn status_api(&self, status: Status) -> FlowInstanceStatus {
        match status {
            Status::Running => FlowInstanceStatus::Running,
            Status::Pending => FlowInstanceStatus::Pending,
            Status::Paused => FlowInstanceStatus::Paused,
            Status::FinishedNoReply => FlowInstanceStatus::FinishedNoReply,
            Status::FinishedResponse => FlowInstanceStatus::FinishedResponse,
            Status::Finished => FlowInstanceStatus::Finished,
            Status::Other(index) => self.other_statuses[usize::from(index)].clone(),
        }
    }

    /// A status to store: a documented one as itself, any other by its
    /// place among the undocumented ones set so far.
    fn status_of(&mut self, status: &FlowInstanceStatus) -> Result<Status, SimError> {
        // `Unknown("Running")` is just Running.
        let status = FlowInstanceStatus::from(status.as_str());
        Ok(match status {
            FlowInstanceStatus::Running => Status::Running,
            FlowInstanceStatus::Pending => Status::Pending,
            FlowInstanceStatus::Paused => Status::Paused,
            FlowInstanceStatus::FinishedNoReply => Status::FinishedNoReply,
            FlowInstanceStatus::FinishedResponse => Status::FinishedResponse,
            FlowInstanceStatus::Finished => Status::Finished,
            FlowInstanceStatus::Unknown(name) => {
                if name.trim().is_empty() || name.trim() != name {
                    return Err(SimError::InvalidConfig(format!(
                        "status `{name}` is empty or has surrounding whitespace"
                    )));
                }
                let index = match self.other_statuses.iter().position(|s| s.as_str() == name) {
                    Some(index) => index,
                    None => {
                        self.other_statuses
                            .push(FlowInstanceStatus::Unknown(name.clone()));
                        self.other_statuses.len() - 1
                    }
                };
                Status::Other(u16::try_from(index).map_err(|_| {
                    SimError::InvalidConfig("too many undocumented statuses".to_owned())
                })?)
            }
        })
    }

    fn flow_by_id(&self, flow_id: &str) -> Option<u32> {
        self.flow_index.get(flow_id).copied()
    }

    /// Assigns one prospect; the rules Gong applies per prospect.
    fn assign_one(
        &mut self,
        flow: u32,
        crm: &str,
        owner: u32,
        now_ms: u64,
    ) -> Result<(u64, Instance), (AssignErrorCode, String)> {
        if !self.is_known(crm) {
            // Gong's documented example message.
            return Err((
                AssignErrorCode::InvalidArgument,
                format!("Invalid crmId {crm}"),
            ));
        }
        let prospect = self.intern_prospect(crm);
        for id in &self.prospects[prospect as usize].instances {
            let Some(existing) = self.instances.get(id) else {
                continue;
            };
            if !existing.status.is_open() {
                continue;
            }
            let other = &self.flows[existing.flow as usize].info;
            if existing.flow == flow {
                return Err((
                    AssignErrorCode::InvalidState,
                    format!("Prospect {crm} is already assigned to flow {}", other.id),
                ));
            }
            if other.exclusive {
                return Err((
                    AssignErrorCode::InvalidState,
                    format!("Prospect {crm} is assigned to exclusive flow {}", other.id),
                ));
            }
        }
        let id = self.next_instance;
        self.next_instance += self.rng.random_range(1..=64);
        let status = if self.rng.random_bool(0.5) {
            Status::Pending
        } else {
            Status::Running
        };
        let instance = Instance {
            flow,
            prospect,
            owner,
            created_ms: now_ms,
            status,
        };
        self.instances.insert(id, instance);
        self.prospects[prospect as usize].instances.push(id);
        *self.ever_assigned.entry((flow, prospect)).or_insert(0) += 1;
        Ok((id, instance))
    }

    fn remember_recent(&mut self, owner: u32, flow: u32) {
        let recent = self.recent.entry(owner).or_default();
        recent.retain(|f| *f != flow);
        recent.push_front(flow);
        recent.truncate(MOST_RECENT_LIMIT);
    }

    /// `assignProspects` (and the cool-off variant).
    pub(crate) fn assign(
        &mut self,
        flow_id: &str,
        crm_ids: &[String],
        owner_email: &str,
        now_ms: u64,
    ) -> Result<Vec<AssignItem>, Refusal> {
        // Gong's recorded message for an unknown flow on assign.
        let flow = self
            .flow_by_id(flow_id)
            .ok_or_else(|| Refusal::not_found("Flow not found"))?;
        let owner = self.intern_owner(owner_email);
        let mut items = Vec::with_capacity(crm_ids.len());
        let mut any = false;
        for crm in crm_ids {
            match self.assign_one(flow, crm, owner, now_ms) {
                Ok((id, instance)) => {
                    any = true;
                    items.push(AssignItem::Assigned(self.view(id, &instance)));
                }
                Err((code, message)) => items.push(AssignItem::Failed {
                    crm: crm.clone(),
                    code,
                    message,
                }),
            }
        }
        if any {
            self.remember_recent(owner, flow);
        }
        Ok(items)
    }

    /// `getProspectsAssignedFlows` by CRM ids: open instances only; unknown
    /// ids contribute nothing.
    pub(crate) fn open_instances_of(
        &self,
        crm_ids: &[String],
        out: &mut Vec<InstanceView>,
        seen: &mut HashSet<u64>,
    ) {
        for crm in crm_ids {
            let Some(&prospect) = self.prospect_index.get(crm.as_str()) else {
                continue;
            };
            for id in &self.prospects[prospect as usize].instances {
                if let Some(instance) = self.instances.get(id)
                    && instance.status.is_open()
                    && seen.insert(*id)
                {
                    out.push(self.view(*id, instance));
                }
            }
        }
    }

    /// `getProspectsAssignedFlows` by instance ids: finished ones too.
    pub(crate) fn instances_by_id(
        &self,
        ids: &[String],
        out: &mut Vec<InstanceView>,
        seen: &mut HashSet<u64>,
    ) {
        for raw in ids {
            if let Some(id) = parse_decimal_id(raw)
                && let Some(instance) = self.instances.get(&id)
                && seen.insert(id)
            {
                out.push(self.view(id, instance));
            }
        }
    }

    fn remove_instance(&mut self, id: u64) {
        if let Some(instance) = self.instances.remove(&id) {
            self.prospects[instance.prospect as usize]
                .instances
                .retain(|i| *i != id);
        }
    }

    /// `unassignProspectFlows`: removes the prospect's open instances (of
    /// one flow, if given). Unknown ids and flows remove nothing.
    pub(crate) fn unassign_crm(&mut self, crm: &str, flow_id: Option<&str>) -> Vec<String> {
        let Some(&prospect) = self.prospect_index.get(crm) else {
            return Vec::new();
        };
        let flow = match flow_id {
            Some(id) => match self.flow_by_id(id) {
                Some(flow) => Some(flow),
                None => return Vec::new(),
            },
            None => None,
        };
        let doomed: Vec<u64> = self.prospects[prospect as usize]
            .instances
            .iter()
            .copied()
            .filter(|id| {
                self.instances
                    .get(id)
                    .is_some_and(|i| i.status.is_open() && flow.is_none_or(|f| f == i.flow))
            })
            .collect();
        for id in &doomed {
            self.remove_instance(*id);
        }
        doomed.iter().map(u64::to_string).collect()
    }

    /// `unassignFlows`: all-or-nothing on unknown ids (recorded Gong
    /// behaviour); finished instances cannot be removed and are left out.
    pub(crate) fn unassign_instances(&mut self, ids: &[String]) -> Result<Vec<String>, Refusal> {
        let mut parsed = Vec::with_capacity(ids.len());
        for raw in ids {
            match parse_decimal_id(raw) {
                Some(id) if self.instances.contains_key(&id) => parsed.push(id),
                _ => {
                    return Err(Refusal::bad_request(
                        "One or more of the given flowInstanceIds does not exist",
                    ));
                }
            }
        }
        let mut removed = Vec::new();
        let mut seen = HashSet::with_capacity(parsed.len());
        for id in parsed {
            if seen.insert(id) && self.instances.get(&id).is_some_and(|i| i.status.is_open()) {
                self.remove_instance(id);
                removed.push(id.to_string());
            }
        }
        Ok(removed)
    }

    /// `getFlowSteps`: a single unknown flow fails the whole request.
    pub(crate) fn flow_steps(
        &self,
        flow_ids: &[String],
    ) -> Result<Vec<PublicApiFlowWithSteps>, Refusal> {
        let mut indices = Vec::with_capacity(flow_ids.len());
        for id in flow_ids {
            match self.flow_by_id(id) {
                Some(index) => indices.push(index),
                // Recorded: `Flow not found: flowId=1234567890123456789`.
                None => return Err(Refusal::not_found(format!("Flow not found: flowId={id}"))),
            }
        }
        Ok(indices
            .into_iter()
            .map(|index| {
                let spec = &self.flows[index as usize].spec;
                PublicApiFlowWithSteps {
                    id: Some(spec.id.clone()),
                    name: Some(spec.name.clone()),
                    folder_id: spec.folder_id.clone(),
                    visibility: Some(spec.visibility.clone()),
                    creation_date: Some(spec.creation_date.clone()),
                    exclusive: Some(spec.exclusive),
                    description: Some(spec.description.clone()),
                    steps: spec
                        .steps
                        .iter()
                        .enumerate()
                        .map(|(i, step)| PublicApiFlowStep {
                            id: Some(step.id.clone()),
                            step_order: Some(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                            action: Some(step.action.clone()),
                            subject: step.subject.clone(),
                            body: step.body.clone(),
                            is_reply: Some(step.is_reply),
                        })
                        .collect(),
                }
            })
            .collect())
    }

    /// `listFlows`: the matching flows' total and one page of them.
    pub(crate) fn list_flows(
        &self,
        email: &str,
        workspace: Option<&str>,
        folder: Option<&str>,
        most_recently_assigned: bool,
        offset: usize,
        page_size: usize,
    ) -> (usize, Vec<PublicApiFlow>) {
        let matches = |flow: &Flow| {
            let spec = &flow.spec;
            visible_to(
                &spec.visibility,
                Some(&spec.owner_email),
                &spec.shared_with,
                email,
            ) && workspace.is_none_or(|w| w == spec.workspace_id)
                && folder.is_none_or(|f| spec.folder_id.as_deref() == Some(f))
        };
        let selected: Vec<u32> = if most_recently_assigned {
            let owner = self.owner_index.get(&email.to_ascii_lowercase());
            owner
                .and_then(|o| self.recent.get(o))
                .map(|recent| {
                    recent
                        .iter()
                        .copied()
                        .filter(|f| matches(&self.flows[*f as usize]))
                        .collect()
                })
                .unwrap_or_default()
        } else {
            (0..self.flows.len())
                .filter(|i| matches(&self.flows[*i]))
                .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
                .collect()
        };
        let page = selected
            .iter()
            .skip(offset)
            .take(page_size)
            .map(|index| {
                let spec = &self.flows[*index as usize].spec;
                PublicApiFlow {
                    id: Some(spec.id.clone()),
                    name: Some(spec.name.clone()),
                    folder_id: spec.folder_id.clone(),
                    folder_name: spec
                        .folder_id
                        .as_ref()
                        .and_then(|f| self.folder_index.get(f))
                        .map(|i| self.folders[*i].name.clone()),
                    visibility: Some(spec.visibility.clone()),
                    creation_date: Some(spec.creation_date.clone()),
                    exclusive: Some(spec.exclusive),
                }
            })
            .collect();
        (selected.len(), page)
    }

    fn is_within(&self, folder: &FolderSpec, root: &str) -> bool {
        // Walk up the parents; bounded by the folder count in case a cycle
        // was configured.
        let mut current = Some(folder);
        for _ in 0..=self.folders.len() {
            match current {
                Some(f) if f.id == root => return true,
                Some(f) => {
                    current = f
                        .parent_id
                        .as_ref()
                        .and_then(|p| self.folder_index.get(p))
                        .map(|i| &self.folders[*i]);
                }
                None => return false,
            }
        }
        false
    }

    /// `listFlowsFolders`, in the shape real traffic has: absent values are
    /// the string `"null"`.
    pub(crate) fn list_folders(
        &self,
        email: &str,
        parent: Option<i64>,
        workspace: Option<&str>,
        offset: usize,
        page_size: usize,
    ) -> (usize, Vec<PublicApiFlowFolder>) {
        let root = parent.map(|p| p.to_string());
        let selected: Vec<&FolderSpec> = self
            .folders
            .iter()
            .filter(|f| {
                visible_to(
                    &f.visibility,
                    f.owner_email.as_deref(),
                    &f.shared_with,
                    email,
                ) && workspace.is_none_or(|w| f.workspace_id.as_deref().is_none_or(|fw| fw == w))
                    && root.as_deref().is_none_or(|r| self.is_within(f, r))
            })
            .collect();
        let page = selected
            .iter()
            .skip(offset)
            .take(page_size)
            .map(|f| PublicApiFlowFolder {
                id: Some(f.id.clone()),
                name: Some(f.name.clone()),
                parent_folder_id: Some(
                    f.parent_id
                        .clone()
                        .unwrap_or_else(|| NULL_STRING.to_owned()),
                ),
                created_by_id: Some(
                    f.created_by_id
                        .clone()
                        .unwrap_or_else(|| NULL_STRING.to_owned()),
                ),
                visibility: Some(f.visibility.clone()),
            })
            .collect();
        (selected.len(), page)
    }

    /// `submitFlowProspectsBulkAssignment`: records a PENDING job.
    pub(crate) fn submit_job(
        &mut self,
        flow_id: &str,
        owner_email: &str,
        prospects: Vec<FlowAssignmentProspect>,
        now: Instant,
    ) -> Result<FlowProspectsBulkAssignmentResponse, Refusal> {
        let flow = self
            .flow_by_id(flow_id)
            .ok_or_else(|| Refusal::not_found("Flow not found"))?;
        let id = uuid::Builder::from_random_bytes(self.rng.random())
            .into_uuid()
            .to_string();
        let job = BulkAssignmentJob {
            flow,
            owner_email: owner_email.to_owned(),
            prospects,
            submitted: now,
            outcome: None,
        };
        let answer = job_answer(&id, &job, BulkAssignmentStatus::Pending);
        self.jobs.insert(id, job);
        Ok(answer)
    }

    /// `getFlowProspectsBulkAssignment`: PENDING for one stage, IN_PROGRESS
    /// for another, then COMPLETED with the assignments really made.
    pub(crate) fn job_status(
        &mut self,
        id: &str,
        now: Instant,
        stage: Duration,
        daily_limit_exceeded: Option<u32>,
        now_ms: u64,
    ) -> Result<FlowProspectsBulkAssignmentResponse, Refusal> {
        let Some(job) = self.jobs.get(id) else {
            return Err(Refusal::not_found(format!(
                "Flow prospects bulk assignment {id} not found"
            )));
        };
        let elapsed = now.saturating_duration_since(job.submitted);
        let status = if job.outcome.is_some() || elapsed >= stage * 2 {
            self.complete_job(id, daily_limit_exceeded, now_ms);
            BulkAssignmentStatus::Completed
        } else if elapsed >= stage {
            BulkAssignmentStatus::InProgress
        } else {
            BulkAssignmentStatus::Pending
        };
        match self.jobs.get(id) {
            Some(job) => Ok(job_answer(id, job, status)),
            None => Err(Refusal::not_found(format!(
                "Flow prospects bulk assignment {id} not found"
            ))),
        }
    }

    /// Performs a job's assignments, once. `daily_limit_exceeded` holds the
    /// daily limit when it is spent: inside a job Gong reports that per
    /// prospect rather than as a 429.
    pub(crate) fn complete_job(
        &mut self,
        id: &str,
        daily_limit_exceeded: Option<u32>,
        now_ms: u64,
    ) {
        let Some(job) = self.jobs.get_mut(id) else {
            return;
        };
        if job.outcome.is_some() {
            return;
        }
        let flow = job.flow;
        let owner_email = job.owner_email.clone();
        let prospects = std::mem::take(&mut job.prospects);
        let owner = self.intern_owner(&owner_email);
        let mut results = Vec::with_capacity(prospects.len());
        let (mut succeeded, mut failed) = (0, 0);
        let mut any = false;
        for prospect in &prospects {
            let result = self.bulk_one(flow, owner, prospect, daily_limit_exceeded, now_ms);
            if result.status == Some(FlowAssignmentResultStatus::Assigned) {
                succeeded += 1;
                any = true;
            } else {
                failed += 1;
            }
            results.push(result);
        }
        if any {
            self.remember_recent(owner, flow);
        }
        if let Some(job) = self.jobs.get_mut(id) {
            job.prospects = prospects;
            job.outcome = Some(JobOutcome {
                results,
                succeeded,
                failed,
            });
        }
    }

    fn bulk_one(
        &mut self,
        flow: u32,
        owner: u32,
        prospect: &FlowAssignmentProspect,
        daily_limit_exceeded: Option<u32>,
        now_ms: u64,
    ) -> FlowAssignmentResult {
        let failure =
            |status, crm_id: Option<String>, code: &str, message: String| FlowAssignmentResult {
                prospect: Some(prospect.clone()),
                status: Some(status),
                crm_id,
                flow_instance_id: None,
                error_code: Some(code.to_owned()),
                error_message: Some(message),
            };
        if let Some(limit) = daily_limit_exceeded {
            let limit = if limit.is_multiple_of(1000) {
                format!("{}K", limit / 1000)
            } else {
                limit.to_string()
            };
            return failure(
                FlowAssignmentResultStatus::FlowAssignmentFailed,
                prospect.crm_id.clone(),
                "REQUEST_LIMIT_EXCEEDED",
                format!("Daily rate of {limit} exceeded"),
            );
        }
        let crm = match &prospect.crm_id {
            Some(crm) => crm.clone(),
            None => {
                let named = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
                if !(named(&prospect.first_name) && named(&prospect.last_name)) {
                    return failure(
                        FlowAssignmentResultStatus::CrmOperationFailed,
                        None,
                        "MISSING_REQUIRED_FIELDS",
                        "firstName and lastName are required when crmId is absent".to_owned(),
                    );
                }
                // The job creates the prospect in the CRM: a lead id in
                // Salesforce's shape (prefix 00Q, 18 characters).
                let crm = self.new_lead_id();
                self.extra_known.insert(crm.clone());
                crm
            }
        };
        match self.assign_one(flow, &crm, owner, now_ms) {
            Ok((id, _)) => FlowAssignmentResult {
                prospect: Some(prospect.clone()),
                status: Some(FlowAssignmentResultStatus::Assigned),
                crm_id: Some(crm),
                flow_instance_id: Some(id.to_string()),
                error_code: None,
                error_message: None,
            },
            Err((code, message)) => failure(
                FlowAssignmentResultStatus::FlowAssignmentFailed,
                Some(crm),
                code.as_str(),
                message,
            ),
        }
    }

    fn new_lead_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        loop {
            let mut id = String::from("00Q");
            for _ in 0..15 {
                id.push(char::from(
                    ALPHABET[self.rng.random_range(0..ALPHABET.len())],
                ));
            }
            if !self.prospect_index.contains_key(id.as_str()) && !self.extra_known.contains(&id) {
                return id;
            }
        }
    }

    /// Changes an instance's status (to finish it, say, or to one Gong
    /// does not document).
    pub(crate) fn set_instance_status(
        &mut self,
        id: &str,
        status: &FlowInstanceStatus,
    ) -> Result<(), SimError> {
        let key = parse_decimal_id(id)
            .filter(|n| self.instances.contains_key(n))
            .ok_or_else(|| SimError::UnknownInstance(id.to_owned()))?;
        let status = self.status_of(status)?;
        if let Some(instance) = self.instances.get_mut(&key) {
            instance.status = status;
        }
        Ok(())
    }

    /// Puts a prospect in a flow without a call, as a rep in Gong's app
    /// would: the rules of an assign call apply.
    pub(crate) fn assign_directly(
        &mut self,
        flow_id: &str,
        crm: &str,
        owner_email: &str,
        created_ms: u64,
    ) -> Result<InstanceRecord, SimError> {
        let flow = self
            .flow_by_id(flow_id)
            .ok_or_else(|| SimError::UnknownFlow(flow_id.to_owned()))?;
        let owner = self.intern_owner(owner_email);
        let (id, instance) = self
            .assign_one(flow, crm, owner, created_ms)
            .map_err(|(_, message)| SimError::AssignmentRefused(message))?;
        self.remember_recent(owner, flow);
        Ok(self.record(id, &instance))
    }

    /// Removes an instance without a call, whatever its status, as a rep in
    /// Gong's app (or a deletion) would.
    pub(crate) fn unassign_directly(&mut self, id: &str) -> Result<InstanceRecord, SimError> {
        let record = self
            .instance(id)
            .ok_or_else(|| SimError::UnknownInstance(id.to_owned()))?;
        if let Some(key) = parse_decimal_id(id) {
            self.remove_instance(key);
        }
        Ok(record)
    }

    fn record(&self, id: u64, instance: &Instance) -> InstanceRecord {
        InstanceRecord {
            instance_id: id.to_string(),
            flow_id: self.flows[instance.flow as usize].info.id.clone(),
            crm_prospect_id: self.prospects[instance.prospect as usize].crm.to_string(),
            status: self.status_api(instance.status),
            owner_email: self.owners[instance.owner as usize].email.clone(),
            created: UNIX_EPOCH + Duration::from_millis(instance.created_ms),
        }
    }

    /// One instance, if it exists.
    pub(crate) fn instance(&self, id: &str) -> Option<InstanceRecord> {
        let id = parse_decimal_id(id)?;
        self.instances.get(&id).map(|i| self.record(id, i))
    }

    /// The prospect's existing instances (open or finished).
    pub(crate) fn instances_of(&self, crm: &str) -> Vec<InstanceRecord> {
        self.prospect_index
            .get(crm)
            .map(|p| {
                self.prospects[*p as usize]
                    .instances
                    .iter()
                    .filter_map(|id| self.instances.get(id).map(|i| self.record(*id, i)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many times the pair was ever assigned.
    pub(crate) fn times_assigned(&self, flow_id: &str, crm: &str) -> u32 {
        match (self.flow_by_id(flow_id), self.prospect_index.get(crm)) {
            (Some(flow), Some(prospect)) => self
                .ever_assigned
                .get(&(flow, *prospect))
                .copied()
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// The largest number of times any pair was assigned.
    pub(crate) fn max_times_assigned(&self) -> u32 {
        self.ever_assigned.values().copied().max().unwrap_or(0)
    }

    /// Number of existing instances.
    pub(crate) fn instance_count(&self) -> usize {
        self.instances.len()
    }

    /// Everything, for tests.
    pub(crate) fn dump(&self) -> StateDump {
        let mut ids: Vec<u64> = self.instances.keys().copied().collect();
        ids.sort_unstable();
        StateDump {
            instances: ids
                .into_iter()
                .filter_map(|id| self.instances.get(&id).map(|i| self.record(id, i)))
                .collect(),
            assignment_counts: self
                .ever_assigned
                .iter()
                .map(|((flow, prospect), n)| {
                    (
                        (
                            self.flows[*flow as usize].info.id.clone(),
                            self.prospects[*prospect as usize].crm.to_string(),
                        ),
                        *n,
                    )
                })
                .collect(),
        }
    }
}

fn job_answer(
    id: &str,
    job: &BulkAssignmentJob,
    status: BulkAssignmentStatus,
) -> FlowProspectsBulkAssignmentResponse {
    let total = i32::try_from(job.prospects.len()).unwrap_or(i32::MAX);
    let (processed, succeeded, failed, results) = match (&status, &job.outcome) {
        (BulkAssignmentStatus::Completed, Some(outcome)) => (
            total,
            outcome.succeeded,
            outcome.failed,
            outcome.results.clone(),
        ),
        _ => (0, 0, 0, Vec::new()),
    };
    FlowProspectsBulkAssignmentResponse {
        request_id: None,
        id: Some(id.to_owned()),
        status: Some(status),
        total_count: Some(total),
        processed_count: Some(processed),
        success_count: Some(succeeded),
        failed_count: Some(failed),
        results,
    }
}
