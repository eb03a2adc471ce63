//! Reports of bulk jobs: every input in exactly one place.
//!
//! Every report type serialises to camelCase JSON with a `version` field and
//! reads back what it wrote, so that a report can be saved and a job resumed
//! by any program. Errors are saved as their text and read back as
//! [`Error::Reported`].

use crate::error::{Error, Result};
use crate::model::{
    AssignErrorCode, BulkAssignmentStatus, BulkProspect, FlowAssignmentResultStatus, FlowInstance,
    FlowInstanceStatus, FlowWithSteps,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// The version of the report format this crate writes (the `version` field).
pub const REPORT_VERSION: u32 = 1;

fn report_version() -> u32 {
    REPORT_VERSION
}

/// A report always says it is of this crate's format, whatever the field
/// holds (a report made with `Default` holds 0).
fn write_version<S: Serializer>(_: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(REPORT_VERSION)
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Errors in reports: saved as their text, read back as [`Error::Reported`].
mod error_text {
    use super::*;

    pub fn serialize<S: Serializer>(error: &Arc<Error>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&error.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<Error>, D::Error> {
        let message = String::deserialize(d)?;
        Ok(Arc::new(Error::Reported { message }))
    }
}

pub(crate) mod optional_error_text {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        error: &Option<Arc<Error>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match error {
            Some(error) => s.serialize_some(&error.to_string()),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Arc<Error>>, D::Error> {
        let message = Option::<String>::deserialize(d)?;
        Ok(message.map(|message| Arc::new(Error::Reported { message })))
    }
}

/// The id a report entry is about, with its kind: in JSON, one field named
/// after the kind (`"crmProspectId": "…"`, `"flowInstanceId": "…"` or
/// `"flowId": "…"`).
///
/// ```
/// use gong_flows::ItemId;
///
/// let id = ItemId::CrmProspectId("0035g00000AbCdE".into());
/// assert_eq!(id.as_str(), "0035g00000AbCdE");
/// assert_eq!(id.to_string(), "0035g00000AbCdE");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemId {
    /// A CRM prospect id (contact or lead).
    CrmProspectId(String),
    /// A flow instance id.
    FlowInstanceId(String),
    /// A flow id.
    FlowId(String),
}

impl ItemId {
    /// The id itself.
    pub fn as_str(&self) -> &str {
        match self {
            ItemId::CrmProspectId(id) | ItemId::FlowInstanceId(id) | ItemId::FlowId(id) => id,
        }
    }

    /// The id itself, owned.
    pub fn into_string(self) -> String {
        match self {
            ItemId::CrmProspectId(id) | ItemId::FlowInstanceId(id) | ItemId::FlowId(id) => id,
        }
    }
}

/// An id reads as the string it is (`id.starts_with("003")`, `&id` where a
/// `&str` is wanted); its kind is in the variant.
impl std::ops::Deref for ItemId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ItemId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for ItemId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ItemId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An input that was not sent to Gong, or whose outcome is unknown, and the
/// error that stopped it. Re-running these is safe when
/// `may_have_been_sent` is `false`; when it is `true`, Gong may have acted
/// on the request, so a write should be checked (or reconciled) first.
///
/// ```
/// use gong_flows::{Error, ItemId, NotAttempted};
/// use std::sync::Arc;
///
/// let entry = NotAttempted::new(ItemId::CrmProspectId("0035g1".into()), Arc::new(Error::Cancelled));
/// // A cancelled input was never sent: safe to run again as it is.
/// assert!(!entry.may_have_been_sent);
/// assert_eq!(entry.id, "0035g1");
/// let entry = NotAttempted::new(ItemId::CrmProspectId("0035g2".into()), Arc::new(Error::Aborted));
/// // Abandoned in flight: Gong may have acted on it.
/// assert!(entry.may_have_been_sent);
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotAttempted {
    /// The input id.
    #[serde(flatten)]
    pub id: ItemId,
    /// Why it was not attempted.
    #[serde(with = "error_text")]
    pub error: Arc<Error>,
    /// Whether a request carrying it may have reached Gong (its answer was
    /// lost, or the job was aborted while it was in flight).
    #[serde(default)]
    pub may_have_been_sent: bool,
}

impl NotAttempted {
    /// An entry for `id`, flagged by what `error` says of the request.
    pub fn new(id: ItemId, error: Arc<Error>) -> Self {
        let may_have_been_sent = error.may_have_been_sent();
        Self {
            id,
            error,
            may_have_been_sent,
        }
    }
}

/// The two ids of one answer, where its `x-traceid` header differs from its
/// body's `requestId`.
///
/// ```
/// let ids = gong_flows::TraceId {
///     request_id: "5b4kxmaf9ar".into(),
///     trace_id: "b2c8e3a94c1d".into(),
/// };
/// assert_eq!(
///     serde_json::to_string(&ids).unwrap(),
///     r#"{"requestId":"5b4kxmaf9ar","traceId":"b2c8e3a94c1d"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceId {
    /// The body's `requestId`.
    pub request_id: String,
    /// The `x-traceid` header.
    pub trace_id: String,
}

/// Bookkeeping every bulk job reports beside its outcomes.
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
/// let ids = ["0035g1", "0035g2", "0035g1"];
/// let report = client.assign(flow, owner).prospects(ids).send().await?;
/// let stats = &report.stats;
/// assert_eq!(stats.duplicates, ["0035g1"]);
/// assert_eq!(stats.requests, 1);
/// assert_eq!(stats.request_ids.len(), 1, "Gong's reference for each call");
/// assert!(stats.stopped.is_none());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobStats {
    /// Inputs given more than once; each was sent (at most) once.
    #[serde(default)]
    pub duplicates: Vec<String>,
    /// HTTP calls made, retries included.
    #[serde(default)]
    pub requests: u32,
    /// Gong's `requestId` of every call that had one, in order.
    #[serde(default)]
    pub request_ids: Vec<String>,
    /// The `x-traceid` header of the calls where it differed from the
    /// body's `requestId` (Gong's support may ask for either).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace_ids: Vec<TraceId>,
    /// Why the job stopped before attempting every input: a fatal answer
    /// (401, 403, unknown flow, spent budget), a chunk that failed after its
    /// retries (rate limit, server, network), or a cancellation. The inputs
    /// it left are in `not_attempted`.
    #[serde(default, with = "optional_error_text")]
    pub stopped: Option<Arc<Error>>,
    /// A per-call limit Gong enforced below its documented one, learned
    /// during the job (e.g. 100 prospects per assign): the calls after it
    /// carried at most this many.
    #[serde(
        default,
        alias = "learnedBatchSize",
        skip_serializing_if = "Option::is_none"
    )]
    pub learned_chunk_size: Option<usize>,
}

impl JobStats {
    pub(crate) fn absorb(&mut self, other: JobStats) {
        self.duplicates.extend(other.duplicates);
        self.requests += other.requests;
        self.request_ids.extend(other.request_ids);
        self.trace_ids.extend(other.trace_ids);
        if self.stopped.is_none() {
            self.stopped = other.stopped;
        }
        if other.learned_chunk_size.is_some() {
            self.learned_chunk_size = other.learned_chunk_size;
        }
    }
}

/// What every report can say about its job. Implemented by the report of
/// each bulk operation; sealed.
pub trait Report:
    Default + Clone + fmt::Debug + fmt::Display + Send + Sync + 'static + sealed::Sealed
{
    /// Adds another part's outcome (a chunk's, or a later run's).
    fn absorb(&mut self, other: Self);
    /// Calls, request ids, duplicates, and why the job stopped.
    fn stats(&self) -> &JobStats;
    /// Calls, request ids, duplicates, and why the job stopped.
    fn stats_mut(&mut self) -> &mut JobStats;
    /// Unique inputs accounted for, in every bucket.
    fn total(&self) -> usize;
    /// Inputs left to do: not attempted (or whose outcome is unknown), and
    /// bulk prospects whose job is still pending.
    fn not_attempted_count(&self) -> usize;
    /// Inputs Gong refused (or, for steps, does not know).
    fn refused_count(&self) -> usize;
    /// Forgets the inputs not attempted, before a resumed run accounts for
    /// them again.
    fn clear_not_attempted(&mut self);
    /// The errors that left inputs not attempted, in order.
    fn not_attempted_errors(&self) -> Vec<Arc<Error>>;
    /// Merges a resumed run (each report's `merge_run`).
    fn merge_resumed(&mut self, run: Self);
}

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// The methods every report has, written once.
macro_rules! report_methods {
    ($report:ty) => {
        impl $report {
            /// Adds another part's outcome: a chunk's (from the streaming
            /// form), or a later run's.
            pub fn absorb(&mut self, other: Self) {
                Report::absorb(self, other)
            }

            /// Whether every input was attempted (some may have been refused).
            pub fn is_complete(&self) -> bool {
                Report::not_attempted_count(self) == 0
            }

            /// Unique inputs accounted for, in every bucket.
            pub fn total(&self) -> usize {
                Report::total(self)
            }

            /// The error that stopped the job, or that left inputs not
            /// attempted, if any.
            pub fn error(&self) -> Option<&Arc<Error>> {
                self.stats.stopped.as_ref()
            }

            /// The report, or the job's stop: [`JobError::Stopped`](crate::JobError::Stopped),
            /// with this report in it, when the job stopped on an error (bad
            /// credentials, unknown flow, rate limit past the retry policy,
            /// spent budget, cancellation) and left inputs not attempted.
            /// Refusals of single inputs by Gong are not errors: they are in
            /// the report. The same rule as a job's `send()`, for a report
            /// gathered from its parts or got with `report()`.
            ///
            /// ```
            #[doc = concat!("let report = gong_flows::", stringify!($report), "::default();")]
            /// assert!(report.check().is_ok());
            /// ```
            pub fn check(self) -> std::result::Result<Self, crate::JobError<Self>> {
                crate::JobError::check(self)
            }
        }

        impl crate::JobReport for $report {
            fn stopped_by(&self) -> Option<&Arc<Error>> {
                self.stats.stopped.as_ref().filter(|_| !self.is_complete())
            }
            fn done_count(&self) -> usize {
                Report::total(self) - Report::not_attempted_count(self)
            }
            fn left_count(&self) -> usize {
                Report::not_attempted_count(self)
            }
        }
    };
}

/// A prospect that is in the flow after the job.
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
/// # sim.assign_directly(dataset::EXCLUSIVE_FLOW_ID, "0035g-elsewhere").unwrap();
/// # sim.assign_directly(flow, "0035g-already").unwrap();
/// let report = client
///     .assign(flow, owner)
///     .prospects(["0035g-new", "0035g-already", "0035g-elsewhere"])
///     .send()
///     .await?;
/// let assigned = &report.assigned[0];
/// assert_eq!(assigned.id, "0035g-new");
/// assert!(assigned.flow_instance_id().is_some());
/// assert!(!assigned.reconciled, "Gong's answer arrived");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assigned {
    /// The prospect (`crmProspectId` in JSON).
    #[serde(flatten)]
    pub id: ItemId,
    /// The prospect's flow instance, when Gong named it.
    #[serde(default)]
    pub flow_instance_id: Option<String>,
    /// The instance's state, when Gong gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<FlowInstanceStatus>,
    /// `true` when Gong's answer was lost and a later look-up found the
    /// prospect in the flow: the assignment is confirmed, not repeated.
    #[serde(default)]
    pub reconciled: bool,
}

impl Assigned {
    pub(crate) fn new(crm_prospect_id: String, instance: FlowInstance, reconciled: bool) -> Self {
        Self {
            id: ItemId::CrmProspectId(crm_prospect_id),
            flow_instance_id: instance.flow_instance_id,
            status: instance.status,
            reconciled,
        }
    }

    /// The new flow instance's id, when Gong gave one.
    pub fn flow_instance_id(&self) -> Option<&str> {
        self.flow_instance_id.as_deref()
    }
}

/// A prospect that was in the flow before the job: nothing to do, and done.
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
/// # sim.assign_directly(dataset::EXCLUSIVE_FLOW_ID, "0035g-elsewhere").unwrap();
/// # sim.assign_directly(flow, "0035g-already").unwrap();
/// let report = client
///     .assign(flow, owner)
///     .prospects(["0035g-new", "0035g-already", "0035g-elsewhere"])
///     .send()
///     .await?;
/// // In the flow before the job: done, nothing sent twice.
/// assert_eq!(report.already_in_flow.len(), 1);
/// assert_eq!(report.already_in_flow[0].id, "0035g-already");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlreadyInFlow {
    /// The prospect (`crmProspectId` in JSON).
    #[serde(flatten)]
    pub id: ItemId,
    /// The prospect's flow instance in the flow.
    #[serde(default)]
    pub flow_instance_id: Option<String>,
    /// The instance's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<FlowInstanceStatus>,
}

impl AlreadyInFlow {
    pub(crate) fn new(crm_prospect_id: String, instance: FlowInstance) -> Self {
        Self {
            id: ItemId::CrmProspectId(crm_prospect_id),
            flow_instance_id: instance.flow_instance_id,
            status: instance.status,
        }
    }
}

/// A prospect Gong refused to assign.
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
/// # sim.assign_directly(dataset::EXCLUSIVE_FLOW_ID, "0035g-elsewhere").unwrap();
/// # sim.assign_directly(flow, "0035g-already").unwrap();
/// let report = client
///     .assign(flow, owner)
///     .prospects(["0035g-new", "0035g-already", "0035g-elsewhere"])
///     .send()
///     .await?;
/// // In an exclusive flow: Gong refuses, with its code and message.
/// let refused = &report.not_assigned[0];
/// assert_eq!(refused.id, "0035g-elsewhere");
/// assert!(refused.error_code.is_some());
/// println!("{}: {:?}", refused.id, refused.error_message);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotAssigned {
    /// The prospect (`crmProspectId` in JSON).
    #[serde(flatten)]
    pub id: ItemId,
    /// Gong's error code (`None` when Gong's answer left the prospect out).
    #[serde(default)]
    pub error_code: Option<AssignErrorCode>,
    /// Gong's error message.
    #[serde(default)]
    pub error_message: Option<String>,
}

/// The outcome of assigning prospects to a flow: every unique input id is
/// in exactly one of `assigned`, `already_in_flow`, `not_assigned` and
/// `not_attempted`.
///
/// A prospect Gong refuses as `InvalidState` is looked up: found in the
/// flow, it was there before the job and is `already_in_flow` (done: a
/// re-run of a job changes nothing); elsewhere (e.g. in an exclusive flow)
/// it stays refused. After a lost answer, a prospect found in the flow is
/// `assigned` with `reconciled: true` when Gong created its instance after
/// the chunk's first attempt started (less the client's
/// [`clock_skew_tolerance`](crate::ClientBuilder::clock_skew_tolerance)),
/// and `already_in_flow` when it was created earlier: the same bucket as a
/// run without the fault.
///
/// ```
/// # fn demo(report: gong_flows::AssignReport) {
/// println!("{report}"); // 448 assigned, 2 refused, 0 not attempted (3 calls)
/// if !report.is_complete() {
///     // Re-run exactly what was not attempted, e.g. after a 429 storm.
///     let retry: Vec<&str> = report.not_attempted_ids().collect();
///     # let _ = retry;
/// }
/// # }
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignReport {
    /// The report format's version ([`REPORT_VERSION`]).
    #[serde(default = "report_version", serialize_with = "write_version")]
    pub version: u32,
    /// The flow.
    pub flow_id: String,
    /// The owner of the new flow instances.
    pub owner_email: String,
    /// Prospects this job put in the flow.
    #[serde(default)]
    pub assigned: Vec<Assigned>,
    /// Prospects that were in the flow before the job.
    #[serde(default)]
    pub already_in_flow: Vec<AlreadyInFlow>,
    /// Prospects Gong refused, with its code and message.
    #[serde(default)]
    pub not_assigned: Vec<NotAssigned>,
    /// Prospects not sent, or whose outcome is unknown.
    #[serde(default)]
    pub not_attempted: Vec<NotAttempted>,
    /// Duplicates, calls, request ids, and why the job stopped early.
    #[serde(flatten)]
    pub stats: JobStats,
}

impl AssignReport {
    /// The ids to send again: those not attempted.
    pub fn not_attempted_ids(&self) -> impl Iterator<Item = &str> {
        self.not_attempted.iter().map(|n| n.id.as_str())
    }
}

/// An input that was removed.
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
/// let report = client.unassign_prospects(["0035g1"]).send().await?;
/// let removed = &report.unassigned[0];
/// assert_eq!(removed.id, "0035g1");
/// assert_eq!(removed.flow_instance_ids.len(), 1);
/// assert!(!removed.confirmed_by_lookup);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unassigned {
    /// The input id (a CRM prospect id, or a flow instance id).
    #[serde(flatten)]
    pub id: ItemId,
    /// The flow instances removed for a CRM prospect id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow_instance_ids: Vec<String>,
    /// `true` when the answer was lost and a look-up found the input gone.
    #[serde(default, skip_serializing_if = "is_false")]
    pub confirmed_by_lookup: bool,
}

/// An input Gong did not remove, and why.
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
/// // In no flow: nothing to remove, and no call made for it.
/// let report = client.unassign_prospects(["0035g-in-no-flow"]).send().await?;
/// let refused = &report.not_unassigned[0];
/// assert_eq!(refused.id, "0035g-in-no-flow");
/// println!("{}: {}", refused.id, refused.error_message);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotUnassigned {
    /// The input id.
    #[serde(flatten)]
    pub id: ItemId,
    /// Why, in Gong's words where it gave any.
    #[serde(alias = "reason")]
    pub error_message: String,
}

/// The outcome of an unassign job (by CRM prospect id, or by flow instance
/// id): every unique input id is in exactly one of `unassigned`,
/// `not_unassigned` and `not_attempted`.
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
/// client.assign(flow, owner).prospects(["0035g1", "0035g2"]).send().await?;
/// let report = client
///     .unassign_prospects(["0035g1", "0035g2", "0035g-never-assigned"])
///     .flow_id(flow)
///     .send()
///     .await?;
/// // Every input in one place: removed, refused by Gong, or not attempted.
/// assert_eq!(report.unassigned.len(), 2);
/// assert_eq!(
///     report.unassigned.len() + report.not_unassigned.len() + report.not_attempted.len(),
///     3
/// );
/// assert_eq!(report.not_attempted_ids().count(), 0);
/// println!("{report}");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnassignReport {
    /// The report format's version ([`REPORT_VERSION`]).
    #[serde(default = "report_version", serialize_with = "write_version")]
    pub version: u32,
    /// Only this flow (unassign by CRM id; `None`: every flow).
    #[serde(default)]
    pub flow_id: Option<String>,
    /// The Gong user who asked for the removal.
    #[serde(default)]
    pub unassigned_by: Option<String>,
    /// Inputs removed from their flows.
    #[serde(default)]
    pub unassigned: Vec<Unassigned>,
    /// Inputs Gong did not remove.
    #[serde(default)]
    pub not_unassigned: Vec<NotUnassigned>,
    /// Inputs not sent, or whose outcome is unknown.
    #[serde(default)]
    pub not_attempted: Vec<NotAttempted>,
    /// Duplicates, calls, request ids, and why the job stopped early.
    #[serde(flatten)]
    pub stats: JobStats,
}

impl UnassignReport {
    /// The ids to send again: those not attempted.
    pub fn not_attempted_ids(&self) -> impl Iterator<Item = &str> {
        self.not_attempted.iter().map(|n| n.id.as_str())
    }
}

/// A flow Gong does not know.
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
/// let report = client.flow_steps(["1111111111111111111"]).send().await?;
/// let missing = &report.not_found[0];
/// assert_eq!(missing.id, "1111111111111111111");
/// println!("{}: {}", missing.id, missing.error_message);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowNotFound {
    /// The flow asked for (`flowId` in JSON).
    #[serde(flatten)]
    pub id: ItemId,
    /// Gong's message.
    #[serde(alias = "message")]
    pub error_message: String,
}

/// The outcome of fetching steps: every unique flow id is in exactly one of
/// `flows`, `not_found` and `not_attempted`.
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
/// let report = client.flow_steps([flow, "1111111111111111111"]).send().await?;
/// assert_eq!(report.flows.len(), 1);
/// assert!(!report.flows[0].steps.is_empty());
/// assert_eq!(report.not_found[0].id, "1111111111111111111");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepsReport {
    /// The report format's version ([`REPORT_VERSION`]).
    #[serde(default = "report_version", serialize_with = "write_version")]
    pub version: u32,
    /// The flows found, with their steps.
    #[serde(default)]
    pub flows: Vec<FlowWithSteps>,
    /// Flow ids Gong does not know.
    #[serde(default)]
    pub not_found: Vec<FlowNotFound>,
    /// Flow ids not asked, or whose answer was lost.
    #[serde(default)]
    pub not_attempted: Vec<NotAttempted>,
    /// Duplicates, calls, request ids, and why the job stopped early.
    #[serde(flatten)]
    pub stats: JobStats,
}

impl StepsReport {
    /// The flows found, each as `ID  NAME` over a table of its steps
    /// (`#`, `ACTION`, `SUBJECT`, `REPLY`, indented), a blank line after
    /// each. Flows not found or not fetched are not shown (see `not_found`
    /// and `not_attempted`); the report's `Display` is its one-line summary.
    ///
    /// ```
    /// use gong_flows::{FlowWithSteps, StepsReport};
    /// let flow: FlowWithSteps = serde_json::from_value(serde_json::json!({
    ///     "id": "7", "name": "SDR",
    ///     "steps": [{"stepOrder": 1, "action": "SEND_EMAIL", "subject": "Hi"}],
    /// }))?;
    /// let report = StepsReport { flows: vec![flow], ..StepsReport::default() };
    /// let text = report.steps_table();
    /// assert!(text.starts_with("7  SDR\n  #  ACTION"), "{text}");
    /// assert!(text.contains("\n  1  SEND_EMAIL  Hi       no\n\n"), "{text}");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn steps_table(&self) -> String {
        use crate::summary::{or_dash, yes_no};
        let mut text = String::new();
        for flow in &self.flows {
            let name = flow.name.as_deref().unwrap_or("(no name)");
            text.push_str(&format!("{}  {name}\n", flow.id));
            let mut rows = vec![
                ["#", "ACTION", "SUBJECT", "REPLY"]
                    .map(String::from)
                    .to_vec(),
            ];
            rows.extend(flow.steps.iter().map(|s| {
                vec![
                    s.step_order.map_or("-".to_owned(), |n| n.to_string()),
                    or_dash(s.action.as_ref().map(|a| a.as_str())),
                    or_dash(s.subject.as_deref()),
                    yes_no(Some(s.is_reply())),
                ]
            }));
            for line in crate::table(&rows).lines() {
                text.push_str(&format!("  {line}\n"));
            }
            text.push('\n');
        }
        text
    }
}

/// What a look-up of prospects' flows found: the flow instances, and the
/// ids that could not be looked up.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProspectsFlowsReport {
    /// The report format's version ([`REPORT_VERSION`]).
    #[serde(default = "report_version", serialize_with = "write_version")]
    pub version: u32,
    /// Every flow instance found.
    #[serde(default)]
    pub instances: Vec<FlowInstance>,
    /// Ids looked up (whatever was found for them).
    #[serde(default)]
    pub looked_up: usize,
    /// Ids whose look-up failed.
    #[serde(default)]
    pub not_attempted: Vec<NotAttempted>,
    /// Calls, request ids, and why the look-up stopped early.
    #[serde(flatten)]
    pub stats: JobStats,
}

/// A bulk job (Gong's asynchronous bulk assignment) as Gong reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkJob {
    /// The job id (a UUID).
    pub id: String,
    /// The job's state.
    #[serde(default)]
    pub status: Option<BulkAssignmentStatus>,
    /// Prospects in the job.
    #[serde(default)]
    pub total_count: Option<i32>,
    /// Prospects processed so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processed_count: Option<i32>,
    /// Prospects assigned.
    #[serde(default)]
    pub success_count: Option<i32>,
    /// Prospects that failed.
    #[serde(default)]
    pub failed_count: Option<i32>,
    /// Per-prospect outcomes so far.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<BulkResult>,
    /// Gong's reference for the last request about this job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl BulkJob {
    /// A bulk job known only by its id (before its first poll).
    pub fn with_id(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            status: None,
            total_count: None,
            processed_count: None,
            success_count: None,
            failed_count: None,
            results: Vec::new(),
            request_id: None,
        }
    }
}

/// One prospect's outcome in a bulk assignment job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    /// The prospect's CRM id (created by the job when needed).
    #[serde(default, alias = "crmId")]
    pub crm_prospect_id: Option<String>,
    /// The new flow instance, when assigned.
    #[serde(default)]
    pub flow_instance_id: Option<String>,
    /// The outcome.
    #[serde(default)]
    pub status: Option<FlowAssignmentResultStatus>,
    /// Gong's error code (free text, e.g. `REQUEST_LIMIT_EXCEEDED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Gong's error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The prospect as Gong echoed it.
    #[serde(default)]
    pub prospect: Option<BulkProspect>,
}

/// A bulk prospect that was not submitted, or whose job's outcome is unknown.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkNotAttempted {
    /// The prospect.
    pub prospect: BulkProspect,
    /// Why.
    #[serde(with = "error_text")]
    pub error: Arc<Error>,
    /// Whether Gong may have started a job for it anyway.
    #[serde(default)]
    pub may_have_been_sent: bool,
}

/// A prospect of a bulk assignment job Gong accepted but had not finished
/// when polling stopped (at the poll policy's limit, or when polls failed):
/// it may yet be assigned, so it must not be submitted again. Poll its job
/// later: [`BulkAssign::resume`](crate::BulkAssign::resume).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkPending {
    /// The bulk assignment job (a UUID).
    pub job_id: String,
    /// The prospect.
    pub prospect: BulkProspect,
}

/// The outcome of a bulk assignment: every unique input prospect is in
/// exactly one of `assigned`, `not_assigned`, `pending` and
/// `not_attempted`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkAssignReport {
    /// The report format's version ([`REPORT_VERSION`]).
    #[serde(default = "report_version", serialize_with = "write_version")]
    pub version: u32,
    /// The flow.
    #[serde(default)]
    pub flow_id: String,
    /// The owner of the new flow instances.
    #[serde(default)]
    pub owner_email: String,
    /// The jobs submitted, in their last known state.
    #[serde(default)]
    pub jobs: Vec<BulkJob>,
    /// Prospects assigned.
    #[serde(default)]
    pub assigned: Vec<BulkResult>,
    /// Prospects Gong could not assign (CRM or flow failures), with its codes.
    #[serde(default, alias = "failed")]
    pub not_assigned: Vec<BulkResult>,
    /// Prospects whose job Gong accepted but had not finished: poll again.
    #[serde(default)]
    pub pending: Vec<BulkPending>,
    /// Prospects not submitted, or whose submit's answer was lost.
    #[serde(default)]
    pub not_attempted: Vec<BulkNotAttempted>,
    /// Duplicate prospects (same CRM id, or email, or name) as keys.
    #[serde(flatten)]
    pub stats: JobStats,
}

/// Implements [`Report`] for a report type from its buckets, each section
/// named: `done` (the inputs done; the first is the summary's first count),
/// `refused` (refused by Gong), `not_attempted` (to attempt again),
/// `pending` (accepted by Gong, not yet finished: unfinished like
/// `not_attempted`), and `kept` (merged, but not inputs). The summary line
/// shows the first done, the refused and the not-attempted counts, then any
/// other non-empty bucket by name.
macro_rules! report {
    (
        $report:ty {
            summary: $summary:literal,
            done: [$done:ident $(, $also:ident)*],
            refused: $refused:ident,
            not_attempted: $not_attempted:ident,
            pending: [$($pending:ident)?],
            kept: [$($kept:ident)?] $(,)?
        }
    ) => {
        impl sealed::Sealed for $report {}

        impl Report for $report {
            fn absorb(&mut self, other: Self) {
                self.$done.extend(other.$done);
                $(self.$also.extend(other.$also);)*
                self.$refused.extend(other.$refused);
                self.$not_attempted.extend(other.$not_attempted);
                $(self.$pending.extend(other.$pending);)?
                $(self.$kept.extend(other.$kept);)?
                self.stats.absorb(other.stats);
            }
            fn stats(&self) -> &JobStats {
                &self.stats
            }
            fn stats_mut(&mut self) -> &mut JobStats {
                &mut self.stats
            }
            fn total(&self) -> usize {
                self.$done.len() $(+ self.$also.len())* + self.$refused.len()
                    + self.$not_attempted.len() $(+ self.$pending.len())?
            }
            fn refused_count(&self) -> usize {
                self.$refused.len()
            }
            fn clear_not_attempted(&mut self) {
                self.$not_attempted.clear();
                $(self.$pending.clear();)?
            }
            fn not_attempted_count(&self) -> usize {
                self.$not_attempted.len() $(+ self.$pending.len())?
            }
            fn not_attempted_errors(&self) -> Vec<Arc<Error>> {
                self.$not_attempted.iter().map(|n| n.error.clone()).collect()
            }
            fn merge_resumed(&mut self, run: Self) {
                self.merge_run(run)
            }
        }

        report_methods!($report);

        /// One line: the count in each bucket, and calls made.
        impl fmt::Display for $report {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    $summary,
                    self.$done.len(),
                    self.$refused.len(),
                    self.$not_attempted.len()
                )?;
                let more: &[(&str, usize)] = &[
                    $((stringify!($also), self.$also.len()),)*
                    $((stringify!($pending), self.$pending.len()),)?
                ];
                for (name, count) in more {
                    if *count > 0 {
                        write!(f, ", {count} {}", name.replace('_', " "))?;
                    }
                }
                let calls = self.stats.requests;
                write!(f, " ({calls} call{})", if calls == 1 { "" } else { "s" })?;
                if let Some(stopped) = &self.stats.stopped {
                    write!(f, "; stopped: {stopped}")?;
                }
                Ok(())
            }
        }
    };
}

report!(AssignReport {
    summary: "{} assigned, {} refused, {} not attempted",
    done: [assigned, already_in_flow],
    refused: not_assigned,
    not_attempted: not_attempted,
    pending: [],
    kept: [],
});
report!(UnassignReport {
    summary: "{} unassigned, {} not unassigned, {} not attempted",
    done: [unassigned],
    refused: not_unassigned,
    not_attempted: not_attempted,
    pending: [],
    kept: [],
});
report!(StepsReport {
    summary: "{} flows, {} not found, {} not attempted",
    done: [flows],
    refused: not_found,
    not_attempted: not_attempted,
    pending: [],
    kept: [],
});
report!(BulkAssignReport {
    summary: "{} assigned, {} not assigned, {} not attempted",
    done: [assigned],
    refused: not_assigned,
    not_attempted: not_attempted,
    pending: [pending],
    kept: [jobs],
});

impl sealed::Sealed for ProspectsFlowsReport {}

impl Report for ProspectsFlowsReport {
    fn absorb(&mut self, other: Self) {
        self.instances.extend(other.instances);
        self.looked_up += other.looked_up;
        self.not_attempted.extend(other.not_attempted);
        self.stats.absorb(other.stats);
    }
    fn stats(&self) -> &JobStats {
        &self.stats
    }
    fn stats_mut(&mut self) -> &mut JobStats {
        &mut self.stats
    }
    /// Instances are not inputs: the ids looked up and those that failed.
    fn total(&self) -> usize {
        self.looked_up + self.not_attempted.len()
    }
    fn refused_count(&self) -> usize {
        0
    }
    fn clear_not_attempted(&mut self) {
        self.not_attempted.clear();
    }
    fn not_attempted_count(&self) -> usize {
        self.not_attempted.len()
    }
    fn not_attempted_errors(&self) -> Vec<Arc<Error>> {
        self.not_attempted.iter().map(|n| n.error.clone()).collect()
    }
    fn merge_resumed(&mut self, run: Self) {
        self.merge_run(run)
    }
}

/// One line: instances found, ids not looked up, calls made.
impl fmt::Display for ProspectsFlowsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} flow instances, {} ids not looked up ({} calls)",
            self.instances.len(),
            self.not_attempted.len(),
            self.stats.requests
        )
    }
}

report_methods!(ProspectsFlowsReport);

/// Merging a resumed run: the run re-attempted exactly what the report left
/// to do, so those entries are replaced by the run's outcomes; calls and
/// request ids add up, and the run says whether the job stopped.
macro_rules! merge_run {
    ($report:ty, $what:literal, |$this:ident, $run:ident| $clear:block) => {
        impl $report {
            #[doc = concat!("Merges a resumed run into this report: the run re-attempted ", $what, ", so those are replaced by the run's outcomes; calls and request ids add up, and the run says whether the job stopped.")]
            pub fn merge_run(&mut self, run: Self) {
                {
                    let ($this, $run) = (&mut *self, &run);
                    $clear
                }
                let stopped = run.stats.stopped.clone();
                let duplicates = std::mem::take(&mut self.stats.duplicates);
                Report::absorb(self, run);
                self.stats.duplicates = duplicates;
                self.stats.stopped = stopped;
            }
        }
    };
}

merge_run!(
    AssignReport,
    "exactly this report's `not_attempted`",
    |r, _run| {
        r.not_attempted.clear();
    }
);
merge_run!(
    UnassignReport,
    "exactly this report's `not_attempted`",
    |r, _run| {
        r.not_attempted.clear();
    }
);
merge_run!(
    StepsReport,
    "exactly this report's `not_attempted`",
    |r, _run| {
        r.not_attempted.clear();
    }
);
merge_run!(
    ProspectsFlowsReport,
    "exactly this report's `not_attempted`",
    |r, _run| {
        r.not_attempted.clear();
    }
);
merge_run!(
    BulkAssignReport,
    "this report's `pending` prospects (polled) and its `not_attempted` ones that were never sent (submitted; those whose submit may have started a bulk job are kept as they are), and a bulk job's latest state replaces its earlier one",
    |r, run| {
        r.pending.clear();
        r.not_attempted.retain(|n| n.may_have_been_sent);
        let polled: std::collections::HashSet<&str> =
            run.jobs.iter().map(|j| j.id.as_str()).collect();
        r.jobs.retain(|j| !polled.contains(j.id.as_str()));
    }
);

impl BulkAssignReport {
    /// Keys of the prospects to submit again: those not attempted.
    pub fn not_attempted_keys(&self) -> impl Iterator<Item = String> + '_ {
        self.not_attempted.iter().map(|n| n.prospect.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_name_their_id_by_kind() {
        let entry = NotAttempted {
            id: ItemId::FlowInstanceId("8".into()),
            error: Arc::new(Error::Cancelled),
            may_have_been_sent: false,
        };
        let value = serde_json::to_value(&entry).unwrap();
        assert_eq!(
            value,
            json!({"flowInstanceId": "8", "error": "cancelled before it was sent", "mayHaveBeenSent": false})
        );
        let back: NotAttempted = serde_json::from_value(value).unwrap();
        assert_eq!(back.id, entry.id);
        assert_eq!(back.error.to_string(), entry.error.to_string());
        let old: NotUnassigned = serde_json::from_value(
            json!({"crmProspectId": "c2", "reason": "not in any open flow"}),
        )
        .unwrap();
        assert_eq!(old.id, ItemId::CrmProspectId("c2".into()));
        assert_eq!(old.error_message, "not in any open flow");
    }

    #[test]
    fn check_is_err_only_when_the_job_stopped_short() {
        let mut report = AssignReport::default();
        assert!(report.clone().check().is_ok());
        report.not_assigned.push(NotAssigned {
            id: ItemId::CrmProspectId("x".into()),
            error_code: Some(AssignErrorCode::InvalidArgument),
            error_message: None,
        });
        assert!(report.clone().check().is_ok(), "a refusal is not an error");
        report.stats.stopped = Some(Arc::new(Error::Cancelled));
        report.not_attempted.push(NotAttempted::new(
            ItemId::CrmProspectId("y".into()),
            Arc::new(Error::Cancelled),
        ));
        match report.clone().check() {
            Err(crate::JobError::Stopped { error, report }) => {
                assert!(matches!(*error, Error::Cancelled));
                assert_eq!((report.total(), report.not_attempted.len()), (2, 1));
            }
            other => panic!("expected a stop, got {other:?}"),
        }
        assert_eq!(
            report.to_string(),
            "0 assigned, 1 refused, 1 not attempted (0 calls); stopped: cancelled before it was sent"
        );
    }
}
