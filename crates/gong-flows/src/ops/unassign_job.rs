//! How removals are sent and settled: the job both unassigns run on.
use super::unassign::by_crm_id;
use crate::batch::check_id;
use crate::call::CallKind;
use crate::client::{Client, Limit};
use crate::error::{Error, Result};
use crate::job::{ApiResult, Doubted, Found, Job, LookUp, Next, Refusal, Tracked};
use crate::model::{FlowInstance, FlowInstanceStatus};
use crate::report::{ItemId, NotAttempted, NotUnassigned, UnassignReport, Unassigned};
use futures::future::BoxFuture;
use gong_flows_api::operation_ids;
use gong_flows_api::types as wire;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// An unassign job, by CRM id or by flow instance id, as the driver runs it.
#[derive(Debug)]
pub(crate) struct UnassignJob {
    pub(crate) client: Client,
    pub(crate) by_crm: bool,
    pub(crate) flow_id: Option<String>,
    pub(crate) unassigned_by: Option<String>,
    /// Inputs whose earlier outcome is unknown.
    pub(crate) unknown: HashSet<String>,
    pub(crate) size: usize,
}

/// One input of an unassign job: a CRM id with the open instances the
/// look-up found for it, or a flow instance id (itself).
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) id: String,
    /// The instances to remove: unknown (`None`) until looked up.
    open: Option<Vec<String>>,
    /// Instances removed so far.
    removed: Vec<String>,
}

impl From<String> for Target {
    fn from(id: String) -> Self {
        Self {
            id,
            open: None,
            removed: Vec::new(),
        }
    }
}

impl Target {
    pub(crate) fn instance(id: String) -> Self {
        Self {
            open: Some(vec![id.clone()]),
            id,
            removed: Vec::new(),
        }
    }

    fn open(&self) -> &[String] {
        self.open.as_deref().unwrap_or_default()
    }
}

/// Why an input's outcome needs a look-up.
pub(crate) enum Doubt {
    /// Not yet sent: what is there to remove?
    Before,
    /// Gong refused the call because instances of it do not exist (its
    /// words, for the ones that indeed do not).
    Unknown(String),
    /// The answer was lost.
    Lost,
    /// The answer left it out, after an earlier answer was lost.
    LeftOut,
}

impl Job for UnassignJob {
    type Item = Target;
    type Answer = wire::UnassignFlowsResponse;
    type Report = UnassignReport;
    type Doubt = Doubt;

    fn client(&self) -> &Client {
        &self.client
    }

    fn operation(&self, items: &[Tracked<Target>]) -> &'static str {
        if self.direct(items) {
            operation_ids::UNASSIGN_PROSPECT_FLOWS
        } else {
            operation_ids::UNASSIGN_FLOWS
        }
    }

    fn call_kind(&self) -> CallKind {
        // A lost answer is settled by a look-up, not by a blind repeat.
        CallKind::NotIdempotent
    }

    fn check(&self, target: &Target) -> Result<()> {
        let field = if self.by_crm {
            "crm_prospect_ids"
        } else {
            "flow_instance_ids"
        };
        check_id(field, &target.id)
    }

    fn key(target: &Target) -> Cow<'_, str> {
        Cow::Borrowed(&target.id)
    }

    fn chunk_size(&self) -> usize {
        self.size
    }

    /// By CRM id: one look-up, then a call per 200 instances it found open
    /// (in one flow, at most one per prospect; from every flow, not known
    /// before the look-up); a single CRM id, one call. By instance id, a
    /// call per 200, and a look-up if an answer is lost.
    fn chunk_calls(&self, chunk: &[Target]) -> (usize, Option<usize>) {
        let direct = self.by_crm && chunk.len() == 1 && !self.unknown.contains(&chunk[0].id);
        let writes = chunk.len().div_ceil(self.max_weight().max(1));
        match (direct, self.by_crm, &self.flow_id) {
            (true, ..) => (1, Some(1)),
            (false, true, None) => (1, None),
            (false, true, Some(_)) => (1, Some(1 + writes)),
            (false, false, _) => (writes, Some(writes + 1)),
        }
    }

    fn learnable(&self) -> Option<Limit> {
        Some(Limit::UnassignInstances)
    }

    fn weight(&self, target: &Target) -> usize {
        target.open().len()
    }

    /// Instance ids per unassign call.
    fn max_weight(&self) -> usize {
        self.client.inner.chunk_sizes.unassign_instances()
    }

    fn report(&self) -> UnassignReport {
        UnassignReport {
            flow_id: self.flow_id.clone(),
            unassigned_by: self.unassigned_by.clone(),
            ..UnassignReport::default()
        }
    }

    fn not_attempted(
        &self,
        part: &mut UnassignReport,
        target: Target,
        error: &Arc<Error>,
        sent: bool,
    ) {
        part.not_attempted.push(NotAttempted {
            id: self.id(target.id),
            error: error.clone(),
            may_have_been_sent: sent,
        });
    }

    /// What is there before anything is sent: unknown and finished
    /// instances, and prospects in no flow, are refused without a call, and
    /// a lost answer can later be told from "never there". A chunk of one
    /// CRM id goes straight to Gong's endpoint for it instead.
    fn begin(&self, mut items: Vec<Tracked<Target>>) -> Next<Self> {
        for item in &mut items {
            item.maybe_applied = self.unknown.contains(&item.item.id);
            if item.maybe_applied {
                item.lost = Some(crate::job::earlier_lost());
            }
        }
        if self.by_crm && items.len() == 1 && !items[0].maybe_applied {
            return Next::send(items);
        }
        Next::look_up(items.into_iter().map(|t| (t, Doubt::Before)).collect())
    }

    fn request(
        &self,
        api: Arc<gong_flows_api::Client>,
        items: &[Tracked<Target>],
    ) -> BoxFuture<'static, ApiResult<wire::UnassignFlowsResponse>> {
        if self.direct(items) {
            let body = by_crm_id(
                items[0].item.id.clone(),
                self.flow_id.clone(),
                self.unassigned_by.clone(),
            );
            return Box::pin(async move { api.unassign_prospect_flows().body(body).send().await });
        }
        let body = wire::UnassignFlowsRequest {
            flow_instance_ids: items.iter().flat_map(|t| t.item.open()).cloned().collect(),
            unassigned_by_user_email: self.unassigned_by.clone(),
        };
        Box::pin(async move { api.unassign_flows().body(body).send().await })
    }

    fn sort(
        &self,
        items: Vec<Tracked<Target>>,
        answer: wire::UnassignFlowsResponse,
        part: &mut UnassignReport,
    ) -> Vec<Doubted<Self>> {
        let removed: HashSet<String> = answer
            .unassigned_flow_instance_ids
            .into_iter()
            .flatten()
            .collect();
        let mut doubts = Vec::new();
        for mut item in items {
            if item.item.open.is_none() {
                // Straight by CRM id: whatever Gong removed.
                item.item.removed.extend(removed.iter().cloned());
                if !item.item.removed.is_empty() {
                    self.unassigned(part, item.item, false);
                } else if item.maybe_applied {
                    doubts.push((item, Doubt::LeftOut));
                } else {
                    self.not_in_flow(part, item.item);
                }
                continue;
            }
            let (gone, left): (Vec<String>, Vec<String>) = item
                .item
                .open()
                .iter()
                .cloned()
                .partition(|id| removed.contains(id));
            item.item.removed.extend(gone);
            item.item.open = Some(left);
            if item.item.open().is_empty() {
                self.unassigned(part, item.item, false);
            } else if item.maybe_applied {
                // The lost attempt may have removed what this answer left out.
                doubts.push((item, Doubt::LeftOut));
            } else if !item.item.removed.is_empty() {
                // The rest could not be removed (finished meanwhile).
                self.unassigned(part, item.item, false);
            } else {
                part.not_unassigned.push(NotUnassigned {
                    id: self.id(item.item.id),
                    error_message: "not removed (finished, or already removed)".to_owned(),
                });
            }
        }
        doubts
    }

    fn refusal(&self, _: &[Tracked<Target>], error: &Error) -> Option<Refusal> {
        match error {
            Error::BadRequest(api) if names_unknown_instances(api) => Some(Refusal::Unknown),
            // Not about the ids: its size, or the call itself.
            Error::BadRequest(_) => Some(Refusal::Whole),
            _ => None,
        }
    }

    fn refuse(&self, part: &mut UnassignReport, items: Vec<Target>, message: &str) {
        part.not_unassigned
            .extend(items.into_iter().map(|t| NotUnassigned {
                id: self.id(t.id),
                error_message: message.to_owned(),
            }));
    }

    fn doubt(&self, items: &[Tracked<Target>], error: &Arc<Error>) -> Option<Vec<Doubt>> {
        let why = match &**error {
            Error::BadRequest(api) if names_unknown_instances(api) => Doubt::Unknown(api.refusal()),
            _ => Doubt::Lost,
        };
        Some(
            items
                .iter()
                .map(|_| match &why {
                    Doubt::Unknown(message) => Doubt::Unknown(message.clone()),
                    _ => Doubt::Lost,
                })
                .collect(),
        )
    }

    fn look_up(&self, doubts: &[Doubted<Self>]) -> LookUp {
        let ids = doubts.iter().map(|(t, _)| t.item.id.clone()).collect();
        if self.by_crm {
            LookUp::ByCrmId(ids)
        } else {
            LookUp::ByInstanceId(ids)
        }
    }

    fn settle(
        &self,
        doubts: Vec<Doubted<Self>>,
        found: Found,
        part: &mut UnassignReport,
    ) -> Next<Self> {
        let found = self.open_instances(found.into_instances());
        let mut again = Vec::new();
        for (mut item, why) in doubts {
            let key = &item.item.id;
            let open: Option<&Vec<String>> = found.get(key.as_str());
            let still = open.map(|v| v.as_slice()).unwrap_or_default();
            match why {
                Doubt::Before if still.is_empty() => {
                    if item.maybe_applied {
                        self.unassigned(part, item.item, true);
                    } else if self.by_crm {
                        self.not_in_flow(part, item.item);
                    } else {
                        let message = if found.contains_key(key) {
                            "not removed: the flow instance is finished"
                        } else {
                            "the flow instance does not exist"
                        };
                        self.refuse(part, vec![item.item], message);
                    }
                }
                Doubt::LeftOut if !still.is_empty() => part.not_unassigned.push(NotUnassigned {
                    id: self.id(item.item.id),
                    error_message: "not removed (absent from Gong's answer)".to_owned(),
                }),
                Doubt::Before | Doubt::Lost | Doubt::Unknown(_) if !still.is_empty() => {
                    item.item.open = Some(still.to_vec());
                    again.push(item);
                }
                // Gone, or finished: removed by an attempt whose answer was
                // lost, or else not removable.
                Doubt::Unknown(message) if !item.maybe_applied && item.item.removed.is_empty() => {
                    self.refuse(part, vec![item.item], &message)
                }
                _ => {
                    let sent = std::mem::take(&mut item.item.open).unwrap_or_default();
                    let confirmed = item.maybe_applied;
                    if confirmed {
                        item.item.removed.extend(sent);
                    }
                    if item.item.removed.is_empty() && !confirmed {
                        self.not_in_flow(part, item.item);
                    } else {
                        self.unassigned(part, item.item, confirmed);
                    }
                }
            }
        }
        Next::send(again)
    }
}

impl UnassignJob {
    fn id(&self, id: String) -> ItemId {
        if self.by_crm {
            ItemId::CrmProspectId(id)
        } else {
            ItemId::FlowInstanceId(id)
        }
    }

    /// Whether a call of `items` goes straight to unassign-by-CRM-id: one
    /// prospect, not looked up.
    fn direct(&self, items: &[Tracked<Target>]) -> bool {
        self.by_crm && items.len() == 1 && items[0].item.open.is_none()
    }

    fn unassigned(&self, part: &mut UnassignReport, target: Target, confirmed_by_lookup: bool) {
        part.unassigned.push(Unassigned {
            id: self.id(target.id),
            flow_instance_ids: if self.by_crm {
                target.removed
            } else {
                Vec::new()
            },
            confirmed_by_lookup,
        });
    }

    fn not_in_flow(&self, part: &mut UnassignReport, target: Target) {
        let error_message = match (&self.flow_id, self.by_crm) {
            (Some(flow), true) => format!("not in flow {flow}"),
            (None, true) => "not in any open flow".to_owned(),
            (_, false) => "not removed: the flow instance is finished or gone".to_owned(),
        };
        part.not_unassigned.push(NotUnassigned {
            id: self.id(target.id),
            error_message,
        });
    }

    /// The open instances a look-up found, by input id (CRM id: those in
    /// the job's flow, or in any; instance id: itself, if open). Finished
    /// instances are kept under the key `""`-less form via
    /// [`exists`](Self::exists).
    fn open_instances(&self, instances: Vec<FlowInstance>) -> HashMap<String, Vec<String>> {
        let mut found: HashMap<String, Vec<String>> = HashMap::new();
        for instance in instances {
            let Some(instance_id) = instance.flow_instance_id.clone() else {
                continue;
            };
            let key = if self.by_crm {
                if self.flow_id.is_some() && instance.flow_id != self.flow_id {
                    continue;
                }
                match instance.crm_prospect_id.clone() {
                    Some(crm) => crm,
                    None => continue,
                }
            } else {
                instance_id.clone()
            };
            let entry = found.entry(key).or_default();
            if is_open(instance.status.as_ref()) {
                entry.push(instance_id);
            }
        }
        found
    }
}

/// Whether an instance can still be removed. Only the statuses known to be
/// finished are not: a status Gong adds later is treated as open (sent, and
/// Gong's answer decides), so that a prospect is never left in a sequence
/// because its status is new.
pub(crate) fn is_open(status: Option<&FlowInstanceStatus>) -> bool {
    !matches!(
        status,
        Some(
            FlowInstanceStatus::Finished
                | FlowInstanceStatus::FinishedNoReply
                | FlowInstanceStatus::FinishedResponse
        )
    )
}

/// Gong's answer when instance ids of the call do not exist (recorded:
/// `One or more of the given flowInstanceIds does not exist`).
fn names_unknown_instances(api: &crate::error::ApiError) -> bool {
    api.errors.iter().any(|e| names_unknown_instance(e))
}

/// Whether one of Gong's messages says instance ids do not exist.
pub(crate) fn names_unknown_instance(message: &str) -> bool {
    message.contains("flowInstanceIds") && message.contains("not exist")
}
