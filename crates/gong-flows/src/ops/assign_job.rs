//! How assignments are sent and settled: the job `Assign` runs on.
use super::assign::Endpoint;
use crate::batch::check_id;
use crate::call::CallKind;
use crate::client::{Client, Limit};
use crate::error::{Error, Result};
use crate::job::{
    ApiResult, Doubted, Found, Job, LookUp, Next, Refusal, Tracked, earlier_lost, names_any,
};
use crate::model::{AssignErrorCode, FlowInstance};
use crate::report::{AlreadyInFlow, AssignReport, Assigned, ItemId, NotAssigned, NotAttempted};
use futures::future::BoxFuture;
use gong_flows_api::types as wire;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::SystemTime;

/// One assign job, as the job driver runs it.
#[derive(Debug)]
pub(crate) struct AssignJob {
    pub(crate) client: Client,
    pub(crate) flow_id: String,
    pub(crate) owner_email: String,
    pub(crate) overrides: Option<wire::AssignOverrides>,
    pub(crate) description: Option<String>,
    pub(crate) endpoint: Endpoint,
    /// Prospects whose earlier outcome is unknown, and when that job started.
    pub(crate) unknown: HashSet<String>,
    pub(crate) unknown_since: Option<SystemTime>,
    pub(crate) size: usize,
}

/// Why a prospect's fate needs a look-up.
pub(crate) enum Doubt {
    /// Refused as `InvalidState` by a clean answer: in this flow already,
    /// or in another (exclusive) one.
    Refused(wire::AssignedFlowFailure),
    /// Refused as `InvalidState` after an attempt (of this job or an
    /// earlier one) may have been applied, or left out of the answer.
    Unknown(Option<wire::AssignedFlowFailure>),
    /// Every attempt failed, and one may have been applied.
    Lost(Arc<Error>),
}

impl Job for AssignJob {
    type Item = String;
    type Answer = wire::AssignFlowResponse;
    type Report = AssignReport;
    type Doubt = Doubt;

    fn client(&self) -> &Client {
        &self.client
    }

    fn operation(&self, _: &[Tracked<String>]) -> &'static str {
        self.endpoint.operation()
    }

    fn call_kind(&self) -> CallKind {
        CallKind::Reconcilable
    }

    fn check(&self, id: &String) -> Result<()> {
        check_id("crm_prospect_ids", id)
    }

    fn key(id: &String) -> Cow<'_, str> {
        Cow::Borrowed(id)
    }

    fn chunk_size(&self) -> usize {
        self.size
    }

    /// One call, and one look-up when Gong refuses some as already in a
    /// flow (a re-run of a finished list) or leaves some out.
    fn chunk_calls(&self, _: &[String]) -> (usize, Option<usize>) {
        (1, Some(2))
    }

    fn learnable(&self) -> Option<Limit> {
        Some(Limit::Assign)
    }

    fn report(&self) -> AssignReport {
        AssignReport {
            flow_id: self.flow_id.clone(),
            owner_email: self.owner_email.clone(),
            ..AssignReport::default()
        }
    }

    fn not_attempted(&self, part: &mut AssignReport, id: String, error: &Arc<Error>, sent: bool) {
        part.not_attempted.push(NotAttempted {
            id: ItemId::CrmProspectId(id),
            error: error.clone(),
            may_have_been_sent: sent,
        });
    }

    fn begin(&self, mut items: Vec<Tracked<String>>) -> Next<Self> {
        if !self.unknown.is_empty() {
            for item in &mut items {
                item.maybe_applied = self.unknown.contains(&item.item);
                if item.maybe_applied {
                    item.lost = Some(earlier_lost());
                }
            }
        }
        Next::send(items)
    }

    fn request(
        &self,
        api: Arc<gong_flows_api::Client>,
        items: &[Tracked<String>],
    ) -> BoxFuture<'static, ApiResult<wire::AssignFlowResponse>> {
        let body = wire::AssignFlowRequestV2 {
            crm_prospects_ids: items.iter().map(|t| t.item.clone()).collect(),
            flow_id: self.flow_id.clone(),
            flow_instance_owner_email: self.owner_email.clone(),
            flow_instance_description: self.description.clone(),
            overrides: self.overrides.clone(),
        };
        match self.endpoint {
            Endpoint::Assign => {
                Box::pin(async move { api.assign_prospects().body(body).send().await })
            }
            Endpoint::CoolOffOverride => Box::pin(async move {
                api.assign_prospects_cool_off_overrides()
                    .body(body)
                    .send()
                    .await
            }),
        }
    }

    /// Each answer entry goes to the slot of the input it names (the first
    /// mention wins); matching on borrowed ids copies none.
    fn sort(
        &self,
        items: Vec<Tracked<String>>,
        answer: wire::AssignFlowResponse,
        part: &mut AssignReport,
    ) -> Vec<Doubted<Self>> {
        let entry = |item: Tracked<String>, entry: wire::PublicApiAssignedFlow| Assigned {
            id: ItemId::CrmProspectId(item.item),
            flow_instance_id: crate::model::clean(entry.flow_instance_id),
            status: entry.flow_instance_status,
            reconciled: false,
        };
        // Usually Gong assigns every prospect, each in its turn: each entry
        // is matched and kept in one pass, while it is still in the cache,
        // and the list grows once. The inputs so settled are the first
        // mention of each (the inputs of a call are unique).
        part.assigned.reserve(items.len());
        let base = part.assigned.len();
        let mut inputs = items.into_iter();
        let mut entries = answer.prospects_assigned.into_iter();
        while let (Some(t), Some(e)) = (inputs.as_slice().first(), entries.as_slice().first()) {
            if e.crm_prospect_id.as_deref() != Some(t.item.as_str()) || t.item == "null" {
                break;
            }
            if let (Some(t), Some(e)) = (inputs.next(), entries.next()) {
                part.assigned.push(entry(t, e));
            }
        }
        if inputs.len() == 0 && entries.len() == 0 && answer.prospects_not_assigned.is_empty() {
            return Vec::new();
        }
        // The rest, matched by id. An entry naming an input settled above
        // is a repeat, ignored like one.
        let items: Vec<Tracked<String>> = inputs.collect();
        let settled = |id: &str| part.assigned[base..].iter().any(|a| a.id.as_str() == id);
        // Each input's answer entry, by its index in the answer: the entries
        // stay where they were decoded, and only the kept fields move.
        let mut entries: Vec<Option<wire::PublicApiAssignedFlow>> = entries.map(Some).collect();
        let mut assigned: Vec<Option<usize>> = vec![None; items.len()];
        let mut refused: Vec<Option<wire::AssignedFlowFailure>> =
            std::iter::repeat_with(|| None).take(items.len()).collect();
        let mut extra = 0usize;
        let mut positions = Positions::new(&items);
        for (at, entry) in entries.iter().enumerate() {
            let id = entry.as_ref().and_then(|e| e.crm_prospect_id.as_deref());
            if let Some(id) = id.filter(|id| *id != "null") {
                match positions.find(id) {
                    Some(i) if assigned[i].is_none() => assigned[i] = Some(at),
                    Some(_) => {}
                    None if settled(id) => {}
                    None => extra += 1,
                }
            }
        }
        let mut positions = Positions::new(&items);
        for entry in answer.prospects_not_assigned {
            if let Some(id) = entry.crm_prospect_id.as_deref() {
                match positions.find(id) {
                    Some(i) if refused[i].is_none() => refused[i] = Some(entry),
                    Some(_) => {}
                    None => extra += 1,
                }
            }
        }
        let mut doubts = Vec::new();
        for ((item, instance), failure) in items.into_iter().zip(assigned).zip(refused) {
            match (instance.and_then(|at| entries[at].take()), failure) {
                (Some(found), failure) => {
                    // Also refused: that entry is ignored, like an unasked one.
                    extra += usize::from(failure.is_some());
                    part.assigned.push(entry(item, found));
                }
                (None, Some(failure))
                    if failure.error_code != Some(AssignErrorCode::InvalidState) =>
                {
                    part.not_assigned.push(not_assigned(item.item, failure));
                }
                // In this flow, or in another? Put there by an attempt whose
                // answer was lost?
                (None, Some(failure)) if item.maybe_applied => {
                    doubts.push((item, Doubt::Unknown(Some(failure))))
                }
                (None, Some(failure)) => doubts.push((item, Doubt::Refused(failure))),
                (None, None) => doubts.push((item, Doubt::Unknown(None))),
            }
        }
        if extra > 0 {
            tracing::warn!(
                extra,
                "Gong's answer named prospects that were not asked for; ignored"
            );
        }
        doubts
    }

    fn refusal(&self, items: &[Tracked<String>], error: &Error) -> Option<Refusal> {
        match error {
            // Refused whole, naming no prospect: its size, or the call itself.
            Error::BadRequest(api) if !names_any(api, items.iter().map(|t| t.item.as_str())) => {
                Some(Refusal::Whole)
            }
            _ => None,
        }
    }

    fn refuse(&self, part: &mut AssignReport, ids: Vec<String>, message: &str) {
        part.not_assigned
            .extend(ids.into_iter().map(|id| NotAssigned {
                id: ItemId::CrmProspectId(id),
                error_code: None,
                error_message: Some(message.to_owned()),
            }));
    }

    /// Gong may have applied an attempt whose answer was lost: whoever is in
    /// the flow now was put there by this job, or was there before it (by
    /// the instance's creation time).
    fn doubt(&self, items: &[Tracked<String>], error: &Arc<Error>) -> Option<Vec<Doubt>> {
        Some(items.iter().map(|_| Doubt::Lost(error.clone())).collect())
    }

    fn look_up(&self, doubts: &[Doubted<Self>]) -> LookUp {
        tracing::debug!(flow_id = %self.flow_id, count = doubts.len(), "looking up prospects whose assignment is in doubt");
        LookUp::ByCrmId(doubts.iter().map(|(t, _)| t.item.clone()).collect())
    }

    fn settle(
        &self,
        doubts: Vec<Doubted<Self>>,
        found: Found,
        part: &mut AssignReport,
    ) -> Next<Self> {
        let mut found: HashMap<String, FlowInstance> = found
            .into_instances()
            .into_iter()
            .filter(|instance| instance.flow_id.as_deref() == Some(self.flow_id.as_str()))
            .filter_map(|instance| Some((instance.crm_prospect_id.clone()?, instance)))
            .collect();
        for (item, why) in doubts {
            match (found.remove(&item.item), why) {
                // Gong refused it, and it is in this flow: it was there
                // before (Gong's answer to this very call says it did not
                // put it there).
                (Some(instance), Doubt::Refused(_)) => part
                    .already_in_flow
                    .push(AlreadyInFlow::new(item.item, instance)),
                (Some(instance), _) => self.found(part, item, instance),
                (None, Doubt::Refused(failure) | Doubt::Unknown(Some(failure))) => {
                    part.not_assigned.push(not_assigned(item.item, failure))
                }
                (None, Doubt::Unknown(None)) => part.not_assigned.push(NotAssigned {
                    id: ItemId::CrmProspectId(item.item),
                    error_code: None,
                    error_message: Some(
                        "left out of Gong's answer, and not in the flow".to_owned(),
                    ),
                }),
                (None, Doubt::Lost(error)) => {
                    let error = item.reason(&error);
                    self.not_attempted(part, item.item, &error, true)
                }
            }
        }
        Next::done()
    }

    fn give_up(&self, part: &mut AssignReport, doubts: Vec<Doubted<Self>>, error: &Arc<Error>) {
        for (item, why) in doubts {
            match why {
                // Gong's own refusal stands.
                Doubt::Refused(failure) => part.not_assigned.push(not_assigned(item.item, failure)),
                // The call's error may be the stop that came after the
                // lost answer: never "cancelled before it was sent".
                Doubt::Lost(lost) => {
                    let error = item.reason(&lost);
                    self.not_attempted(part, item.item, &error, true)
                }
                Doubt::Unknown(_) => {
                    // Sent, and either refused after a lost answer or left
                    // out of the answer: its outcome is unknown.
                    let error = match (item.maybe_applied, &**error) {
                        (false, Error::Cancelled) => Arc::new(Error::Reported {
                            message: "left out of Gong's answer, then the job was cancelled \
                                      before a look-up could settle it"
                                .to_owned(),
                        }),
                        _ => item.reason(error),
                    };
                    self.not_attempted(part, item.item, &error, true)
                }
            }
        }
    }
}

impl AssignJob {
    /// A prospect found in the flow after its answer was lost or left it
    /// out: put there by this job, unless Gong created its instance before
    /// the job first sent it (or before the earlier job whose outcome was
    /// unknown started), less the clock skew tolerance. Without a creation
    /// time it counts as assigned by the job.
    fn found(&self, part: &mut AssignReport, item: Tracked<String>, instance: FlowInstance) {
        let since = if self.unknown.contains(&item.item) {
            self.unknown_since
        } else {
            item.first_sent
        };
        let before = match (since, &instance.created) {
            (Some(since), Some(created)) => {
                let earliest = since
                    .checked_sub(self.client.inner.clock_skew)
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                // At the timestamp's own precision: an instance created in
                // the same second (or millisecond) as the first send may be
                // this job's own, and counts as such.
                created.before(earliest)
            }
            _ => false,
        };
        if before {
            part.already_in_flow
                .push(AlreadyInFlow::new(item.item, instance));
        } else {
            part.assigned.push(Assigned::new(item.item, instance, true));
        }
    }
}

/// Finds the ids an answer names among the ids of its call.
///
/// Gong lists prospects in the order they were asked for, so the next one
/// is normally a few places after the last one found: a forward scan finds
/// each in constant time on average, without hashing. Only if an answer
/// strays from that order (or names an id that was not asked for) is an
/// index by id built, once, and used from then on.
struct Positions<'a> {
    ids: &'a [Tracked<String>],
    next: usize,
    index: Option<HashMap<&'a str, usize>>,
}

impl<'a> Positions<'a> {
    fn new(ids: &'a [Tracked<String>]) -> Self {
        Self {
            ids,
            next: 0,
            index: None,
        }
    }

    /// The position of the first `id` among the ids.
    fn find(&mut self, id: &str) -> Option<usize> {
        if self.index.is_none() {
            if let Some(offset) = self.ids[self.next..].iter().position(|c| c.item == id) {
                let found = self.next + offset;
                self.next = found + 1;
                return Some(found);
            }
            let mut index = HashMap::with_capacity(self.ids.len());
            for (i, known) in self.ids.iter().enumerate() {
                index.entry(known.item.as_str()).or_insert(i);
            }
            self.index = Some(index);
        }
        self.index.as_ref().and_then(|index| index.get(id).copied())
    }
}

fn not_assigned(id: String, failure: wire::AssignedFlowFailure) -> NotAssigned {
    NotAssigned {
        id: ItemId::CrmProspectId(id),
        error_code: failure.error_code,
        error_message: crate::model::clean(failure.error_message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<Tracked<String>> {
        list.iter().map(|s| Tracked::new(s.to_string())).collect()
    }

    #[test]
    fn positions_follow_the_input_order_and_fall_back_to_an_index() {
        let asked = ids(&["a", "b", "c", "d"]);
        // In order, with gaps (the refused ones are in the other list).
        let mut positions = Positions::new(&asked);
        assert_eq!(positions.find("a"), Some(0));
        assert_eq!(positions.find("c"), Some(2));
        assert!(positions.index.is_none());
        // Out of order, repeated, and not asked for.
        assert_eq!(positions.find("b"), Some(1));
        assert_eq!(positions.find("c"), Some(2));
        assert_eq!(positions.find("zz"), None);
        assert_eq!(positions.find("d"), Some(3));
    }
}
