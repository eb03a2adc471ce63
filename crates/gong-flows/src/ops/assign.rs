//! Assign prospects to a flow, any number of them.

use crate::batch::{check_email, check_id};
use crate::call::CallKind;
use crate::client::{BatchSizes, Client, Limit, SMALLER_LIMIT};
use crate::control::ChunkCtx;
use crate::error::{Error, Result};
use crate::job::Operation;
use crate::model::{AssignErrorCode, FlowInstance};
use crate::ops::prospects::lookup;
use crate::report::{AlreadyInFlow, AssignReport, Assigned, ItemId, NotAssigned, NotAttempted};
use futures::future::BoxFuture;
use gong_flows_api::types as wire;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Per-assignment changes to the flow (Gong marks them beta): step content,
/// flow variables, and assigning despite a cool-off period.
///
/// ```
/// use gong_flows::{AssignOverrides, StepOverride};
///
/// let overrides = AssignOverrides::new()
///     .step(StepOverride::new(1).subject("Quick question"))
///     .variable("recipient.first_name", "Mike")
///     .cool_off_override(true);
/// # let _ = overrides;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct AssignOverrides {
    steps: Vec<StepOverride>,
    variables: Vec<(String, String)>,
    cool_off_override: Option<bool>,
}

/// New content for one step of the flow.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct StepOverride {
    number: i32,
    subject: Option<String>,
    body: Option<String>,
}

impl StepOverride {
    /// Overrides step `number` (1-based: a step's `step_order`).
    pub fn new(number: i32) -> Self {
        Self {
            number,
            subject: None,
            body: None,
        }
    }

    /// The subject to use.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The body to use (may hold HTML).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }
}

impl AssignOverrides {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides one step's content.
    pub fn step(mut self, step: StepOverride) -> Self {
        self.steps.push(step);
        self
    }

    /// Sets a flow variable, e.g. `recipient.first_name`.
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.push((name.into(), value.into()));
        self
    }

    /// Assigns prospects even while they are in their cool-off period.
    pub fn cool_off_override(mut self, yes: bool) -> Self {
        self.cool_off_override = Some(yes);
        self
    }

    fn check(&self) -> Result<()> {
        for step in &self.steps {
            if step.number < 1 {
                return Err(Error::invalid(
                    "step override",
                    step.number.to_string(),
                    "step numbers start at 1",
                ));
            }
        }
        for (name, _) in &self.variables {
            if name.trim().is_empty() {
                return Err(Error::invalid("variable", name, "has an empty name"));
            }
        }
        Ok(())
    }

    fn to_wire(&self) -> wire::AssignOverrides {
        wire::AssignOverrides {
            cool_off_override: self.cool_off_override,
            flow_instance_variables: self
                .variables
                .iter()
                .map(|(name, value)| wire::PublicApiVariableValueOverride {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            steps: self
                .steps
                .iter()
                .map(|s| wire::PublicApiStepContentOverride {
                    number: s.number,
                    subject: s.subject.clone(),
                    body: s.body.clone(),
                })
                .collect(),
        }
    }
}

/// Which endpoint an assignment uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Assign,
    CoolOffOverride,
}

impl Endpoint {
    fn operation(self) -> &'static str {
        match self {
            Endpoint::Assign => gong_flows_api::operation_ids::ASSIGN_PROSPECTS,
            Endpoint::CoolOffOverride => {
                gong_flows_api::operation_ids::ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES
            }
        }
    }
}

/// Assigns prospects to a flow. Made by [`Client::assign`].
///
/// Any number of CRM ids: they are checked and deduplicated before anything
/// is sent, then sent in chunks of up to 200 (Gong's limit), several at a
/// time under the client's pacer. The [`AssignReport`] puts every unique id
/// in exactly one place. A fatal answer (401, 403, 404 for the flow) stops the
/// job: the remaining ids are reported not attempted, with the reason.
///
/// When an answer is lost after Gong may have applied the call (a 5xx, a
/// timeout, a dropped connection, an unreadable answer), the retry may find
/// some prospects already in the flow (`InvalidState`). Those are looked up
/// and reported as assigned with `reconciled: true`, never as failures, and
/// never assigned twice.
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let ids: Vec<String> = (0..450).map(|i| format!("0035g{i:010}")).collect();
/// let report = client
///     .assign("1695493301223590792", "owner@example.com")
///     .prospects(&ids)
///     .send()
///     .await?;
/// for failure in &report.not_assigned {
///     println!("{}: {:?} {:?}", failure.crm_prospect_id, failure.error_code, failure.error_message);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Assign {
    client: Client,
    flow_id: String,
    owner_email: String,
    ids: Vec<String>,
    overrides: Option<AssignOverrides>,
    description: Option<String>,
    batch_size: Option<usize>,
    endpoint: Endpoint,
    unknown: HashSet<String>,
}

impl Client {
    /// Assigns prospects to `flow_id`; `owner_email` is the Gong user who
    /// will own the flow to-dos.
    pub fn assign(&self, flow_id: impl Into<String>, owner_email: impl Into<String>) -> Assign {
        Assign {
            client: self.clone(),
            flow_id: flow_id.into(),
            owner_email: owner_email.into(),
            ids: Vec::new(),
            overrides: None,
            description: None,
            batch_size: None,
            endpoint: Endpoint::Assign,
            unknown: HashSet::new(),
        }
    }

    /// Assigns prospects through Gong's deprecated cool-off override
    /// endpoint. Prefer [`Client::assign`] with
    /// [`AssignOverrides::cool_off_override`].
    #[deprecated(
        note = "Gong deprecated this endpoint; use `assign` with `AssignOverrides::cool_off_override(true)`"
    )]
    pub fn assign_ignoring_cool_off(
        &self,
        flow_id: impl Into<String>,
        owner_email: impl Into<String>,
    ) -> Assign {
        let mut assign = self.assign(flow_id, owner_email);
        assign.endpoint = Endpoint::CoolOffOverride;
        assign
    }
}

impl Assign {
    /// Adds CRM prospect ids (contacts or leads).
    pub fn prospects<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.ids
            .extend(ids.into_iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Sets per-assignment overrides.
    pub fn overrides(mut self, overrides: AssignOverrides) -> Self {
        self.overrides = Some(overrides);
        self
    }

    /// Sets a description for the new flow instances (may hold HTML).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Prospects whose earlier assignment's outcome is unknown (an answer
    /// lost in an earlier job, e.g. `may_have_been_sent` in a saved
    /// report). If Gong now refuses one as already in the flow
    /// (`InvalidState`), it is looked up: found in the flow, it is
    /// reported assigned with `reconciled: true`, as a lost answer within
    /// one job is.
    pub fn earlier_outcome_unknown<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.unknown.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Prospects per call for this job (at most 200; default the client's).
    pub fn batch_size(mut self, size: usize) -> Self {
        self.batch_size = Some(size);
        self
    }

    fn into_job(self) -> Result<(Arc<AssignOp>, Vec<String>, usize)> {
        check_id("flow_id", &self.flow_id)?;
        check_email("owner_email", &self.owner_email)?;
        if let Some(overrides) = &self.overrides {
            overrides.check()?;
        }
        let size = self
            .batch_size
            .unwrap_or(self.client.inner.batch_sizes.assign());
        if size == 0 || size > BatchSizes::MAX_ASSIGN {
            return Err(Error::invalid(
                "batch_size",
                size.to_string(),
                &format!("must be between 1 and {}", BatchSizes::MAX_ASSIGN),
            ));
        }
        let concurrency = self.client.inner.concurrency;
        let op = AssignOp {
            overrides: self.overrides.as_ref().map(AssignOverrides::to_wire),
            client: self.client,
            flow_id: self.flow_id,
            owner_email: self.owner_email,
            description: self.description,
            endpoint: self.endpoint,
            unknown: self.unknown,
            size,
        };
        Ok((Arc::new(op), self.ids, concurrency))
    }
}

job_methods!(Assign, String, AssignReport);

/// One assign job, as the job driver runs it.
#[derive(Debug)]
pub(crate) struct AssignOp {
    client: Client,
    flow_id: String,
    owner_email: String,
    overrides: Option<wire::AssignOverrides>,
    description: Option<String>,
    endpoint: Endpoint,
    /// Prospects whose earlier outcome is unknown.
    unknown: HashSet<String>,
    size: usize,
}

impl Operation for AssignOp {
    type Item = String;
    type Report = AssignReport;

    fn check(&self, id: &String) -> Result<()> {
        check_id("crm_prospect_ids", id)
    }

    fn key(id: &String) -> Cow<'_, str> {
        Cow::Borrowed(id)
    }

    fn chunk_size(&self) -> usize {
        self.size
    }

    fn report(&self) -> AssignReport {
        AssignReport {
            flow_id: self.flow_id.clone(),
            owner_email: self.owner_email.clone(),
            ..AssignReport::default()
        }
    }

    fn not_attempted(
        &self,
        ids: Vec<String>,
        error: &Arc<Error>,
        may_have_been_sent: bool,
    ) -> AssignReport {
        let mut out = self.report();
        not_attempted(&mut out, ids, error, may_have_been_sent);
        out
    }

    fn run(self: Arc<Self>, ids: Vec<String>, ctx: ChunkCtx) -> BoxFuture<'static, AssignReport> {
        Box::pin(async move { self.chunk(ids, ctx).await })
    }
}

fn not_attempted(
    out: &mut AssignReport,
    ids: Vec<String>,
    error: &Arc<Error>,
    may_have_been_sent: bool,
) {
    out.not_attempted
        .extend(ids.into_iter().map(|id| NotAttempted {
            id: ItemId::CrmProspectId(id),
            error: error.clone(),
            may_have_been_sent,
        }));
}

impl AssignOp {
    fn body(&self, ids: Vec<String>) -> wire::AssignFlowRequestV2 {
        wire::AssignFlowRequestV2 {
            crm_prospects_ids: ids,
            flow_id: self.flow_id.clone(),
            flow_instance_owner_email: self.owner_email.clone(),
            flow_instance_description: self.description.clone(),
            overrides: self.overrides.clone(),
        }
    }

    /// One chunk: one call with its retries, then the per-prospect outcome.
    /// When Gong turned out to enforce a smaller limit per call, the chunk
    /// goes in calls of that size.
    async fn chunk(&self, ids: Vec<String>, ctx: ChunkCtx) -> AssignReport {
        match self.client.inner.learned.get(Limit::Assign) {
            Some(limit) if ids.len() > limit => self.in_pieces(ids, limit, &ctx).await,
            _ => self.call_chunk(ids, &ctx, true).await,
        }
    }

    async fn in_pieces(&self, ids: Vec<String>, limit: usize, ctx: &ChunkCtx) -> AssignReport {
        let mut out = self.report();
        out.stats.learned_batch_size = Some(limit);
        for (i, piece) in ids.chunks(limit).enumerate() {
            if let Some(stopped) = ctx.control.get() {
                not_attempted(&mut out, ids[i * limit..].to_vec(), &stopped, false);
                break;
            }
            let part = self.call_chunk(piece.to_vec(), ctx, false).await;
            out.absorb(part);
        }
        out
    }

    /// One call with its retries, then the per-prospect outcome. `may_shrink`:
    /// a refusal of the whole call that can be its size is tried again in
    /// calls of Gong's smaller documented limit.
    async fn call_chunk(&self, ids: Vec<String>, ctx: &ChunkCtx, may_shrink: bool) -> AssignReport {
        let mut out = self.report();
        tracing::trace!(ids = ?ids, "assigning");
        // The body owns the ids; each attempt sends a copy of it, and the
        // ids are taken back for the report once the call is over.
        let body = self.body(ids);
        let endpoint = self.endpoint;
        let started = Started::from(std::time::SystemTime::now());
        let result = self
            .client
            .call(
                endpoint.operation(),
                CallKind::Reconcilable,
                Some(ctx),
                |api| {
                    let body = body.clone();
                    async move {
                        match endpoint {
                            Endpoint::Assign => api.assign_prospects().body(body).send().await,
                            Endpoint::CoolOffOverride => {
                                api.assign_prospects_cool_off_overrides()
                                    .body(body)
                                    .send()
                                    .await
                            }
                        }
                    }
                },
            )
            .await;
        let ids = body.crm_prospects_ids;
        match result {
            Ok(success) => {
                out.stats.count(success.attempts, success.request_ids);
                let ambiguous = success.ambiguous.then_some(started);
                self.sort_answer(&mut out, ids, success.value, ambiguous)
                    .await;
            }
            Err(failure) => {
                out.stats.count(failure.attempts, failure.request_ids);
                let error = Arc::new(failure.error);
                if error.is_fatal() {
                    ctx.control.set(error.clone());
                }
                if let Error::BadRequest(api) = &*error
                    && !names_any(api, &ids)
                {
                    // Refused whole, naming no prospect: its size, if it is
                    // over Gong's smaller limit; else the call itself.
                    if may_shrink && ids.len() > SMALLER_LIMIT {
                        let learned = &self.client.inner.learned;
                        learned.learn(Limit::Assign, SMALLER_LIMIT);
                        let mut ids = ids;
                        let rest = ids.split_off(SMALLER_LIMIT);
                        // The first piece tells whether the size was the problem.
                        let mut again = Box::pin(self.call_chunk(ids, ctx, false)).await;
                        again.stats.absorb(out.stats);
                        if learned.get(Limit::Assign).is_some() {
                            again.stats.learned_batch_size = Some(SMALLER_LIMIT);
                            let more = Box::pin(self.in_pieces(rest, SMALLER_LIMIT, ctx)).await;
                            again.absorb(more);
                        } else {
                            // It was not: the rest is refused the same way.
                            let message = api.refusal();
                            again
                                .not_assigned
                                .extend(rest.into_iter().map(|id| NotAssigned {
                                    crm_prospect_id: id,
                                    error_code: None,
                                    error_message: Some(message.clone()),
                                }));
                        }
                        return again;
                    }
                    if !may_shrink {
                        // The smaller call was refused the same way: not a
                        // size problem after all.
                        self.client
                            .inner
                            .learned
                            .forget(Limit::Assign, SMALLER_LIMIT);
                    }
                    let message = api.refusal();
                    for id in ids {
                        out.not_assigned.push(NotAssigned {
                            crm_prospect_id: id,
                            error_code: None,
                            error_message: Some(message.clone()),
                        });
                    }
                    // Every other call would be refused the same way.
                    ctx.control.set(error.clone());
                    return out;
                }
                if failure.ambiguous {
                    // Gong may have applied an attempt whose answer was lost:
                    // whoever is in the flow now was put there by this job,
                    // or was there before it (by the instance's creation).
                    match self.reconcile(&mut out, &ids).await {
                        Ok(mut found) => {
                            for id in ids {
                                match found.remove(&id) {
                                    Some(instance) => {
                                        self.found(&mut out, id, instance, Some(started))
                                    }
                                    None => not_attempted(&mut out, vec![id], &error, true),
                                }
                            }
                        }
                        Err(_) => not_attempted(&mut out, ids, &error, true),
                    }
                } else {
                    // No attempt may have been applied.
                    not_attempted(&mut out, ids, &error, false);
                }
            }
        }
        out
    }
}

impl AssignOp {
    /// Sorts Gong's answer into the chunk's buckets, in input order.
    async fn sort_answer(
        &self,
        out: &mut AssignReport,
        ids: Vec<String>,
        answer: wire::AssignFlowResponse,
        ambiguous: Option<Started>,
    ) {
        // Each answer entry goes to the slot of the input it names (the
        // first mention wins); matching on borrowed ids copies none.
        let mut assigned: Vec<Option<FlowInstance>> = empty_slots(ids.len());
        let mut refused: Vec<Option<wire::AssignedFlowFailure>> = empty_slots(ids.len());
        let mut extra = 0usize;
        let mut positions = Positions::new(&ids);
        for item in answer.prospects_assigned {
            let instance = FlowInstance::from(item);
            if let Some(id) = instance.crm_prospect_id.as_deref() {
                match positions.find(id) {
                    Some(i) => {
                        if assigned[i].is_none() {
                            assigned[i] = Some(instance);
                        }
                    }
                    None => extra += 1,
                }
            }
        }
        let mut positions = Positions::new(&ids);
        for item in answer.prospects_not_assigned {
            if let Some(id) = item.crm_prospect_id.as_deref() {
                match positions.find(id) {
                    Some(i) => {
                        if refused[i].is_none() {
                            refused[i] = Some(item);
                        }
                    }
                    None => extra += 1,
                }
            }
        }
        // Ids whose fate needs a look-up: refused as `InvalidState` (in
        // this flow, or elsewhere?), or left out of the answer altogether.
        let mut check: Vec<(String, Check)> = Vec::new();
        // Usually every prospect is assigned: grow the list once, not ~8 times.
        out.assigned.reserve(ids.len());
        for ((id, instance), failure) in ids.into_iter().zip(assigned).zip(refused) {
            match (instance, failure) {
                (Some(instance), failure) => {
                    // Also refused: that entry is ignored, like an unasked one.
                    extra += usize::from(failure.is_some());
                    out.assigned.push(Assigned::new(id, &instance, false));
                }
                (None, Some(failure)) => {
                    if failure.error_code != Some(AssignErrorCode::InvalidState) {
                        out.not_assigned.push(not_assigned(id, failure));
                    } else if self.unknown.contains(&id) {
                        // An earlier job may have put it there.
                        check.push((id, Check::Unknown(Some(failure), None)));
                    } else if ambiguous.is_some() {
                        check.push((id, Check::Unknown(Some(failure), ambiguous)));
                    } else {
                        check.push((id, Check::Refused(failure)));
                    }
                }
                (None, None) => check.push((id, Check::Unknown(None, ambiguous))),
            }
        }
        if extra > 0 {
            tracing::warn!(
                extra,
                "Gong's answer named prospects that were not asked for; ignored"
            );
        }
        if check.is_empty() {
            return;
        }
        let check_ids: Vec<String> = check.iter().map(|(id, _)| id.clone()).collect();
        match self.reconcile(out, &check_ids).await {
            Ok(mut found) => {
                for (id, why) in check {
                    match (found.remove(&id), why) {
                        // Gong refused it, and it is in this flow: it was
                        // there before (Gong's answer to this very call says
                        // it did not put it there).
                        (Some(instance), Check::Refused(_)) => {
                            out.already_in_flow.push(AlreadyInFlow::new(id, &instance))
                        }
                        (Some(instance), Check::Unknown(_, started)) => {
                            self.found(out, id, instance, started)
                        }
                        (None, Check::Refused(failure) | Check::Unknown(Some(failure), _)) => {
                            out.not_assigned.push(not_assigned(id, failure))
                        }
                        (None, Check::Unknown(None, _)) => out.not_assigned.push(NotAssigned {
                            crm_prospect_id: id,
                            error_code: None,
                            error_message: Some(
                                "left out of Gong's answer, and not in the flow".to_owned(),
                            ),
                        }),
                    }
                }
            }
            Err(error) => {
                for (id, why) in check {
                    match why {
                        // Gong's own refusal stands.
                        Check::Refused(failure) => out.not_assigned.push(not_assigned(id, failure)),
                        Check::Unknown(..) => not_attempted(out, vec![id], &error, true),
                    }
                }
            }
        }
    }

    /// A prospect found in the flow after its outcome was unknown: put
    /// there by this job's chunk that started at `started`, unless Gong
    /// created its instance before that (less the clock skew tolerance).
    /// Without a start (an earlier job's unknown outcome) or a creation
    /// time, it counts as assigned by the job.
    fn found(
        &self,
        out: &mut AssignReport,
        id: String,
        instance: FlowInstance,
        started: Option<Started>,
    ) {
        let created = instance.created.as_ref().and_then(|t| t.parsed());
        let skew = chrono::Duration::from_std(self.client.inner.clock_skew)
            .unwrap_or(chrono::Duration::MAX);
        let before = match (started, created) {
            (Some(started), Some(created)) => started
                .checked_sub_signed(skew)
                .is_some_and(|earliest| created < earliest),
            _ => false,
        };
        if before {
            out.already_in_flow.push(AlreadyInFlow::new(id, &instance));
        } else {
            out.assigned.push(reconciled(id, instance));
        }
    }

    /// Looks up which of `ids` are in the job's flow now.
    async fn reconcile(
        &self,
        out: &mut AssignReport,
        ids: &[String],
    ) -> std::result::Result<HashMap<String, FlowInstance>, Arc<Error>> {
        tracing::debug!(flow_id = %self.flow_id, count = ids.len(), "reconciling after an ambiguous assign");
        let found = lookup(&self.client, ids.to_vec(), true)
            .await
            .map_err(Arc::new)?;
        out.stats.absorb(found.stats);
        Ok(found
            .instances
            .into_iter()
            .filter(|instance| instance.flow_id.as_deref() == Some(self.flow_id.as_str()))
            .filter_map(|instance| Some((instance.crm_prospect_id.clone()?, instance)))
            .collect())
    }
}

/// Whether Gong's refusal of a whole call names one of its prospects.
fn names_any(api: &crate::error::ApiError, ids: &[String]) -> bool {
    api.errors
        .iter()
        .any(|message| ids.iter().any(|id| message.contains(id.as_str())))
}

/// When a chunk's first attempt started, on this machine's clock.
type Started = chrono::DateTime<chrono::Utc>;

/// Why an id's fate needs a look-up.
enum Check {
    /// Refused as `InvalidState` by an answer to this job's only attempt:
    /// in this flow already, or in another (exclusive) one.
    Refused(wire::AssignedFlowFailure),
    /// Refused as `InvalidState`, or left out of the answer, when an
    /// attempt may have been applied (started then), or an earlier job's
    /// may have (`None`).
    Unknown(Option<wire::AssignedFlowFailure>, Option<Started>),
}

fn empty_slots<T>(n: usize) -> Vec<Option<T>> {
    std::iter::repeat_with(|| None).take(n).collect()
}

/// Finds the ids an answer names among the ids of its call.
///
/// Gong lists prospects in the order they were asked for, so the next one
/// is normally a few places after the last one found: a forward scan finds
/// each in constant time on average, without hashing. Only if an answer
/// strays from that order (or names an id that was not asked for) is an
/// index by id built, once, and used from then on.
struct Positions<'a> {
    ids: &'a [String],
    next: usize,
    index: Option<HashMap<&'a str, usize>>,
}

impl<'a> Positions<'a> {
    fn new(ids: &'a [String]) -> Self {
        Self {
            ids,
            next: 0,
            index: None,
        }
    }

    /// The position of the first `id` among the ids.
    fn find(&mut self, id: &str) -> Option<usize> {
        if self.index.is_none() {
            if let Some(offset) = self.ids[self.next..].iter().position(|c| c == id) {
                let found = self.next + offset;
                self.next = found + 1;
                return Some(found);
            }
            let mut index = HashMap::with_capacity(self.ids.len());
            for (i, known) in self.ids.iter().enumerate() {
                index.entry(known.as_str()).or_insert(i);
            }
            self.index = Some(index);
        }
        self.index.as_ref().and_then(|index| index.get(id).copied())
    }
}

fn not_assigned(id: String, failure: wire::AssignedFlowFailure) -> NotAssigned {
    NotAssigned {
        crm_prospect_id: id,
        error_code: failure.error_code,
        error_message: crate::model::clean(failure.error_message),
    }
}

fn reconciled(id: String, instance: FlowInstance) -> Assigned {
    Assigned::new(id, &instance, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
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
