//! Take prospects out of flows: by CRM prospect id (one per call, as Gong
//! requires, or many concurrently) and by flow instance id (chunks of 200).

use crate::batch::{check_email, check_id};
use crate::call::{CallKind, Failure, Success};
use crate::client::{Client, Limit, SMALLER_LIMIT};
use crate::control::ChunkCtx;
use crate::error::{Error, Result};
use crate::job::Operation;
use crate::model::FlowInstanceStatus;
use crate::ops::prospects::lookup;
use crate::report::{ItemId, NotAttempted, NotUnassigned, UnassignReport, Unassigned};
use futures::future::BoxFuture;
use gong_flows_api::operation_ids;
use gong_flows_api::types as wire;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Removes one prospect from its flows. Made by [`Client::unassign_prospect`].
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let removed = client
///     .unassign_prospect("0035g00000AbCdE")
///     .flow_id("1695493301223590792")
///     .unassigned_by("admin@example.com")
///     .send()
///     .await?;
/// println!("removed instances {:?}", removed.flow_instance_ids);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UnassignProspect {
    client: Client,
    crm_prospect_id: String,
    flow_id: Option<String>,
    unassigned_by: Option<String>,
}

/// The flow instances one prospect was removed from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnassignOutcome {
    /// The removed flow instances; empty when the prospect was in none (or
    /// is unknown: Gong answers both the same way).
    pub flow_instance_ids: Vec<String>,
    /// Gong's reference for the request.
    pub request_id: Option<String>,
}

/// Removes many prospects from their flows, one call per prospect (Gong's
/// endpoint takes one id), several at a time under the pacer. Made by
/// [`Client::unassign_prospects`].
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let report = client
///     .unassign_prospects(["0035g00000AbCdE", "0035g00000FgHiJ"])
///     .flow_id("1695493301223590792")
///     .send()
///     .await?;
/// println!("{} removed, {} were in no flow", report.unassigned.len(), report.not_unassigned.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UnassignProspects {
    client: Client,
    ids: Vec<String>,
    flow_id: Option<String>,
    unassigned_by: Option<String>,
}

/// Removes flow instances by id, in chunks of up to 200. Made by
/// [`Client::unassign_instances`].
///
/// Gong fails a whole request with 400 when one instance id is unknown. The
/// chunk is then split in halves and each half retried, so that every known
/// instance is still removed and only the unknown ids are reported, with
/// Gong's message.
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let report = client
///     .unassign_instances(["1234361284629356", "1234361284629357"])
///     .send()
///     .await?;
/// for refused in &report.not_unassigned {
///     println!("{}: {}", refused.id, refused.error_message);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UnassignInstances {
    client: Client,
    ids: Vec<String>,
    unassigned_by: Option<String>,
}

impl Client {
    /// Removes one prospect from all its flows (or one, with `flow_id`).
    pub fn unassign_prospect(&self, crm_prospect_id: impl Into<String>) -> UnassignProspect {
        UnassignProspect {
            client: self.clone(),
            crm_prospect_id: crm_prospect_id.into(),
            flow_id: None,
            unassigned_by: None,
        }
    }

    /// Removes many prospects from their flows, by CRM prospect id.
    pub fn unassign_prospects<I, S>(&self, crm_prospect_ids: I) -> UnassignProspects
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        UnassignProspects {
            client: self.clone(),
            ids: crm_prospect_ids
                .into_iter()
                .map(|s| s.as_ref().to_owned())
                .collect(),
            flow_id: None,
            unassigned_by: None,
        }
    }

    /// Removes flow instances, by flow instance id.
    pub fn unassign_instances<I, S>(&self, flow_instance_ids: I) -> UnassignInstances
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        UnassignInstances {
            client: self.clone(),
            ids: flow_instance_ids
                .into_iter()
                .map(|s| s.as_ref().to_owned())
                .collect(),
            unassigned_by: None,
        }
    }
}

fn check_optional(flow_id: &Option<String>, by: &Option<String>) -> Result<()> {
    if let Some(flow_id) = flow_id {
        check_id("flow_id", flow_id)?;
    }
    if let Some(by) = by {
        check_email("unassigned_by", by)?;
    }
    Ok(())
}

/// One unassign-by-CRM-id call.
async fn unassign_one(
    client: &Client,
    crm_prospect_id: String,
    flow_id: Option<String>,
    unassigned_by: Option<String>,
    job: Option<&ChunkCtx>,
) -> std::result::Result<Success<wire::UnassignFlowsResponse>, Failure> {
    let body = wire::UnassignProspectFlowsRequest {
        crm_prospect_id,
        flow_id,
        unassigned_by_user_email: unassigned_by,
    };
    client
        .call(
            operation_ids::UNASSIGN_PROSPECT_FLOWS,
            CallKind::NotIdempotent,
            job,
            |api| {
                let body = body.clone();
                async move { api.unassign_prospect_flows().body(body).send().await }
            },
        )
        .await
}

impl UnassignProspect {
    /// Only this flow.
    pub fn flow_id(mut self, flow_id: impl Into<String>) -> Self {
        self.flow_id = Some(flow_id.into());
        self
    }

    /// The Gong user asking for the removal (not the prospect).
    pub fn unassigned_by(mut self, email: impl Into<String>) -> Self {
        self.unassigned_by = Some(email.into());
        self
    }

    /// Removes the prospect.
    pub async fn send(self) -> Result<UnassignOutcome> {
        check_id("crm_prospect_id", &self.crm_prospect_id)?;
        check_optional(&self.flow_id, &self.unassigned_by)?;
        let success = unassign_one(
            &self.client,
            self.crm_prospect_id,
            self.flow_id,
            self.unassigned_by,
            None,
        )
        .await
        .map_err(|f| f.error)?;
        Ok(UnassignOutcome {
            flow_instance_ids: success
                .value
                .unassigned_flow_instance_ids
                .unwrap_or_default(),
            request_id: success.request_id,
        })
    }
}

impl UnassignProspects {
    /// Only this flow.
    pub fn flow_id(mut self, flow_id: impl Into<String>) -> Self {
        self.flow_id = Some(flow_id.into());
        self
    }

    /// The Gong user asking for the removal (not the prospects).
    pub fn unassigned_by(mut self, email: impl Into<String>) -> Self {
        self.unassigned_by = Some(email.into());
        self
    }

    fn into_job(self) -> Result<(Arc<UnassignOp>, Vec<String>, usize)> {
        check_optional(&self.flow_id, &self.unassigned_by)?;
        let concurrency = self.client.inner.concurrency;
        // One look-up serves this many ids; each is still one call.
        let size = self.client.inner.batch_sizes.lookup();
        let op = UnassignOp {
            client: self.client,
            by_crm: true,
            flow_id: self.flow_id,
            unassigned_by: self.unassigned_by,
            size,
        };
        Ok((Arc::new(op), self.ids, concurrency))
    }
}

job_methods!(UnassignProspects, String, UnassignReport);

impl UnassignInstances {
    /// The Gong user asking for the removal.
    pub fn unassigned_by(mut self, email: impl Into<String>) -> Self {
        self.unassigned_by = Some(email.into());
        self
    }

    fn into_job(self) -> Result<(Arc<UnassignOp>, Vec<String>, usize)> {
        check_optional(&None, &self.unassigned_by)?;
        let concurrency = self.client.inner.concurrency;
        let size = self.client.inner.batch_sizes.unassign_instances();
        let op = UnassignOp {
            client: self.client,
            by_crm: false,
            flow_id: None,
            unassigned_by: self.unassigned_by,
            size,
        };
        Ok((Arc::new(op), self.ids, concurrency))
    }
}

job_methods!(UnassignInstances, String, UnassignReport);

/// An unassign job, by CRM id (one per call, as Gong requires) or by flow
/// instance id (chunks of 200), as the job driver runs it.
#[derive(Debug)]
pub(crate) struct UnassignOp {
    client: Client,
    by_crm: bool,
    flow_id: Option<String>,
    unassigned_by: Option<String>,
    size: usize,
}

impl Operation for UnassignOp {
    type Item = String;
    type Report = UnassignReport;

    fn check(&self, id: &String) -> Result<()> {
        check_id(self.field(), id)
    }

    fn key(id: &String) -> Cow<'_, str> {
        Cow::Borrowed(id)
    }

    fn chunk_size(&self) -> usize {
        self.size
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
        ids: Vec<String>,
        error: &Arc<Error>,
        may_have_been_sent: bool,
    ) -> UnassignReport {
        let mut out = self.report();
        out.not_attempted
            .extend(ids.into_iter().map(|id| NotAttempted {
                id: self.id(id),
                error: error.clone(),
                may_have_been_sent,
            }));
        out
    }

    fn run(self: Arc<Self>, ids: Vec<String>, ctx: ChunkCtx) -> BoxFuture<'static, UnassignReport> {
        Box::pin(async move {
            if self.by_crm {
                self.crm_chunk(ids, ctx).await
            } else {
                self.instances_chunk(ids, ctx).await
            }
        })
    }
}

impl UnassignOp {
    /// Calls of one chunk (or id) before what is left is reported not
    /// attempted: a lost answer is settled by a look-up, and what is still
    /// there is sent again, as often as the retry policy allows attempts.
    fn rounds(&self) -> usize {
        self.client.inner.retry.max_attempts().max(1) as usize
    }

    fn field(&self) -> &'static str {
        if self.by_crm {
            "crm_prospect_ids"
        } else {
            "flow_instance_ids"
        }
    }

    fn id(&self, id: String) -> ItemId {
        if self.by_crm {
            ItemId::CrmProspectId(id)
        } else {
            ItemId::FlowInstanceId(id)
        }
    }

    /// CRM ids, one call each. An attempt whose answer was lost is not
    /// repeated blindly: the prospect is looked up, sent again only if it
    /// is still in the flow, and reported unassigned (confirmed by the
    /// look-up) if it is not.
    async fn crm_chunk(&self, ids: Vec<String>, ctx: ChunkCtx) -> UnassignReport {
        let mut part = self.report();
        // Who is in the flow before anything is sent: only they need a
        // call, and a lost answer can later be told from "never there".
        let in_flow = match self.in_flow(&mut part, &ids).await {
            Ok(in_flow) => in_flow,
            Err(error) => {
                part.absorb_part(self.not_attempted(ids, &error, false));
                return part;
            }
        };
        for id in ids {
            if let Some(stopped) = ctx.control.get() {
                part.absorb_part(self.not_attempted(vec![id], &stopped, false));
                continue;
            }
            let outcome = if in_flow.contains(&id) {
                self.unassign_crm(&mut part, &id, &ctx).await
            } else {
                CrmOutcome::NotInFlow
            };
            match outcome {
                CrmOutcome::Removed(removed, confirmed_by_lookup) => {
                    part.unassigned.push(Unassigned {
                        id: self.id(id),
                        flow_instance_ids: removed,
                        confirmed_by_lookup,
                    })
                }
                CrmOutcome::NotInFlow => part.not_unassigned.push(NotUnassigned {
                    id: self.id(id),
                    error_message: match &self.flow_id {
                        Some(flow) => format!("not in flow {flow}"),
                        None => "not in any open flow".to_owned(),
                    },
                }),
                CrmOutcome::Failed(error, may_have_been_sent) => {
                    part.absorb_part(self.not_attempted(vec![id], &error, may_have_been_sent))
                }
            }
        }
        part
    }

    /// One CRM id: its call, and after a lost answer a look-up and (if it
    /// is still in the flow) another call, as many calls as the retry
    /// policy allows attempts.
    async fn unassign_crm(
        &self,
        part: &mut UnassignReport,
        id: &str,
        ctx: &ChunkCtx,
    ) -> CrmOutcome {
        let mut last = None;
        for _ in 0..self.rounds() {
            let result = unassign_one(
                &self.client,
                id.to_owned(),
                self.flow_id.clone(),
                self.unassigned_by.clone(),
                Some(ctx),
            )
            .await;
            let failure = match result {
                Ok(success) => {
                    part.stats.count(success.attempts, success.request_ids);
                    let removed = success
                        .value
                        .unassigned_flow_instance_ids
                        .unwrap_or_default();
                    return if removed.is_empty() {
                        CrmOutcome::NotInFlow
                    } else {
                        CrmOutcome::Removed(removed, false)
                    };
                }
                Err(failure) => failure,
            };
            part.stats.count(failure.attempts, failure.request_ids);
            let error = Arc::new(failure.error);
            if !failure.ambiguous {
                if error.is_fatal() {
                    ctx.control.set(error.clone());
                }
                return CrmOutcome::Failed(error, false);
            }
            // The answer was lost: is the prospect still in the flow?
            match self.in_flow(part, &[id.to_owned()]).await {
                // Out of the flow: the lost attempt removed it.
                Ok(open) if open.is_empty() => return CrmOutcome::Removed(Vec::new(), true),
                // Still there: the lost attempt did not remove it.
                Ok(_) => {}
                Err(_) => return CrmOutcome::Failed(error, true),
            }
            if let Some(stopped) = ctx.control.get() {
                return CrmOutcome::Failed(stopped, false);
            }
            last = Some(error);
        }
        let error = last.unwrap_or_else(|| Arc::new(Error::Cancelled));
        CrmOutcome::Failed(error, false)
    }

    /// One chunk of instance ids. Gong fails the whole call when one id does
    /// not exist; the chunk's ids are then looked up once, and the ones
    /// still open sent again: at most three calls whatever the number of
    /// unknown ids. Any other 400 refuses the whole chunk with Gong's
    /// message. An attempt whose answer was lost is settled the same way,
    /// by a look-up before anything is sent again.
    async fn instances_chunk(&self, chunk: Vec<String>, ctx: ChunkCtx) -> UnassignReport {
        match self.client.inner.learned.get(Limit::UnassignInstances) {
            Some(limit) if chunk.len() > limit => self.in_pieces(chunk, limit, &ctx).await,
            _ => self.instances_call(chunk, &ctx, true).await,
        }
    }

    /// A chunk in calls of at most `limit` instance ids.
    async fn in_pieces(&self, ids: Vec<String>, limit: usize, ctx: &ChunkCtx) -> UnassignReport {
        let mut part = self.report();
        part.stats.learned_batch_size = Some(limit);
        for (i, piece) in ids.chunks(limit).enumerate() {
            if let Some(stopped) = ctx.control.get() {
                part.absorb_part(self.not_attempted(ids[i * limit..].to_vec(), &stopped, false));
                break;
            }
            let done = self.instances_call(piece.to_vec(), ctx, false).await;
            part.absorb_part(done);
        }
        part
    }

    /// One chunk's calls (see [`instances_chunk`](Self::instances_chunk));
    /// `may_shrink`: a refusal of the whole call that can be its size is
    /// tried again in calls of Gong's smaller limit.
    async fn instances_call(
        &self,
        chunk: Vec<String>,
        ctx: &ChunkCtx,
        may_shrink: bool,
    ) -> UnassignReport {
        let mut part = self.report();
        // What is there before anything is sent: unknown and finished
        // instances are refused without a call, and a lost answer can later
        // be told from "never there".
        let found = match self.instances(&mut part, &chunk).await {
            Ok(found) => found,
            Err(error) => {
                part.absorb_part(self.not_attempted(chunk, &error, false));
                return part;
            }
        };
        let mut ids = Vec::with_capacity(chunk.len());
        for id in chunk {
            match found.get(&id) {
                Some(true) => ids.push(id),
                Some(false) => self.gone_or_finished(&mut part, id, false, None),
                None => self.gone_or_finished(
                    &mut part,
                    id,
                    false,
                    Some("the flow instance does not exist".to_owned()),
                ),
            }
        }
        // Whether an earlier call of this chunk may have removed some ids.
        let mut lost = false;
        let rounds = self.rounds();
        for round in 0..rounds {
            if ids.is_empty() {
                break;
            }
            let body = wire::UnassignFlowsRequest {
                flow_instance_ids: ids.clone(),
                unassigned_by_user_email: self.unassigned_by.clone(),
            };
            let result = self
                .client
                .call(
                    operation_ids::UNASSIGN_FLOWS,
                    CallKind::NotIdempotent,
                    Some(ctx),
                    |api| {
                        let body = body.clone();
                        async move { api.unassign_flows().body(body).send().await }
                    },
                )
                .await;
            let failure = match result {
                Ok(success) => {
                    part.stats.count(success.attempts, success.request_ids);
                    let removed: HashSet<String> = success
                        .value
                        .unassigned_flow_instance_ids
                        .into_iter()
                        .flatten()
                        .collect();
                    let (done, left): (Vec<String>, Vec<String>) =
                        ids.into_iter().partition(|id| removed.contains(id));
                    for id in done {
                        part.unassigned.push(Unassigned {
                            id: self.id(id),
                            flow_instance_ids: Vec::new(),
                            confirmed_by_lookup: false,
                        });
                    }
                    self.settle_absent(&mut part, left, lost).await;
                    return part;
                }
                Err(failure) => failure,
            };
            part.stats.count(failure.attempts, failure.request_ids);
            let error = Arc::new(failure.error);
            let unknown_ids =
                matches!(&*error, Error::BadRequest(api) if names_unknown_instances(api));
            if let Error::BadRequest(api) = &*error
                && !unknown_ids
            {
                // Its size, if the call was over Gong's smaller limit.
                if may_shrink && round == 0 && ids.len() > SMALLER_LIMIT {
                    let learned = &self.client.inner.learned;
                    learned.learn(Limit::UnassignInstances, SMALLER_LIMIT);
                    let rest = ids.split_off(SMALLER_LIMIT);
                    // The first piece tells whether the size was the problem.
                    let mut again = Box::pin(self.instances_call(ids, ctx, false)).await;
                    again.stats.absorb(part.stats);
                    if learned.get(Limit::UnassignInstances).is_some() {
                        again.stats.learned_batch_size = Some(SMALLER_LIMIT);
                        let more = Box::pin(self.in_pieces(rest, SMALLER_LIMIT, ctx)).await;
                        again.absorb_part(more);
                    } else {
                        // It was not: the rest is refused the same way.
                        let message = api.refusal();
                        again
                            .not_unassigned
                            .extend(rest.into_iter().map(|id| NotUnassigned {
                                id: self.id(id),
                                error_message: message.clone(),
                            }));
                    }
                    return again;
                }
                if !may_shrink {
                    self.client
                        .inner
                        .learned
                        .forget(Limit::UnassignInstances, SMALLER_LIMIT);
                }
                // Not about the ids: the whole chunk is refused, as Gong said,
                // and every other call would be too.
                let message = api.refusal();
                for id in ids {
                    part.not_unassigned.push(NotUnassigned {
                        id: self.id(id),
                        error_message: message.clone(),
                    });
                }
                ctx.control.set(error.clone());
                return part;
            }
            if !unknown_ids && !failure.ambiguous {
                if error.is_fatal() {
                    ctx.control.set(error.clone());
                }
                part.absorb_part(self.not_attempted(ids, &error, lost));
                return part;
            }
            lost |= failure.ambiguous;
            // Which ids are still there to remove?
            let found = match self.instances(&mut part, &ids).await {
                Ok(found) => found,
                Err(_) => {
                    part.absorb_part(self.not_attempted(ids, &error, lost));
                    return part;
                }
            };
            // Gong's own words for the ids it does not know.
            let refusal = match &*error {
                Error::BadRequest(api) if unknown_ids => Some(api.refusal()),
                _ => None,
            };
            let mut again = Vec::new();
            for id in ids {
                match found.get(&id) {
                    Some(true) => again.push(id),
                    Some(false) => self.gone_or_finished(&mut part, id, lost, None),
                    None => self.gone_or_finished(&mut part, id, lost, refusal.clone()),
                }
            }
            ids = again;
            if round + 1 == rounds || ctx.control.get().is_some() {
                let stop = ctx.control.get().unwrap_or(error);
                part.absorb_part(self.not_attempted(ids, &stop, false));
                return part;
            }
        }
        part
    }

    /// Ids a successful call did not remove: after a lost answer, they are
    /// looked up (the lost attempt may have removed them); otherwise Gong
    /// left them (finished instances cannot be removed).
    async fn settle_absent(&self, part: &mut UnassignReport, left: Vec<String>, lost: bool) {
        if left.is_empty() {
            return;
        }
        if !lost {
            for id in left {
                part.not_unassigned.push(NotUnassigned {
                    id: self.id(id),
                    error_message: "not removed (finished, or already removed)".to_owned(),
                });
            }
            return;
        }
        match self.instances(part, &left).await {
            Ok(found) => {
                for id in left {
                    let open = found.get(&id).copied();
                    match open {
                        Some(true) => part.not_unassigned.push(NotUnassigned {
                            id: self.id(id),
                            error_message: "not removed (absent from Gong's answer)".to_owned(),
                        }),
                        Some(false) | None => self.gone_or_finished(part, id, true, None),
                    }
                }
            }
            Err(error) => part.absorb_part(self.not_attempted(left, &error, true)),
        }
    }

    /// An id the look-up found finished or did not find (`unknown`: Gong's
    /// refusal of ids it does not know): removed by this job's lost attempt
    /// when there was one, else refused.
    fn gone_or_finished(
        &self,
        part: &mut UnassignReport,
        id: String,
        lost: bool,
        unknown: Option<String>,
    ) {
        if lost {
            part.unassigned.push(Unassigned {
                id: self.id(id),
                flow_instance_ids: Vec::new(),
                confirmed_by_lookup: true,
            });
        } else {
            part.not_unassigned.push(NotUnassigned {
                id: self.id(id),
                error_message: unknown
                    .unwrap_or_else(|| "not removed: the flow instance is finished".to_owned()),
            });
        }
    }

    /// Looks up flow instances by id: for each one found, whether it is
    /// still open (and so can be removed).
    async fn instances(
        &self,
        part: &mut UnassignReport,
        ids: &[String],
    ) -> std::result::Result<HashMap<String, bool>, Arc<Error>> {
        let found = lookup(&self.client, ids.to_vec(), false)
            .await
            .map_err(Arc::new)?;
        part.stats.absorb(found.stats);
        Ok(found
            .instances
            .into_iter()
            .filter_map(|i| {
                let open = i.status.as_ref().is_none_or(is_open);
                Some((i.flow_instance_id?, open))
            })
            .collect())
    }

    /// Which of `crm_ids` have an open instance in the job's flow (or any).
    async fn in_flow(
        &self,
        part: &mut UnassignReport,
        crm_ids: &[String],
    ) -> std::result::Result<HashSet<String>, Arc<Error>> {
        let found = lookup(&self.client, crm_ids.to_vec(), true)
            .await
            .map_err(Arc::new)?;
        part.stats.absorb(found.stats);
        Ok(found
            .instances
            .into_iter()
            .filter(|i| self.flow_id.is_none() || i.flow_id == self.flow_id)
            .filter(|i| i.status.as_ref().is_none_or(is_open))
            .filter_map(|i| i.crm_prospect_id)
            .collect())
    }
}

/// What became of one CRM id.
enum CrmOutcome {
    /// Removed from these instances (`true`: confirmed by a look-up after
    /// a lost answer).
    Removed(Vec<String>, bool),
    /// In no (open) instance of the flow.
    NotInFlow,
    /// Not removed, for this error (`true`: may have been sent).
    Failed(Arc<Error>, bool),
}

fn is_open(status: &FlowInstanceStatus) -> bool {
    matches!(
        status,
        FlowInstanceStatus::Pending | FlowInstanceStatus::Running | FlowInstanceStatus::Paused
    )
}

/// Gong's answer when instance ids of the call do not exist (recorded:
/// `One or more of the given flowInstanceIds does not exist`).
fn names_unknown_instances(api: &crate::error::ApiError) -> bool {
    api.errors
        .iter()
        .any(|e| e.contains("flowInstanceIds") && e.contains("not exist"))
}

impl UnassignReport {
    fn absorb_part(&mut self, other: UnassignReport) {
        crate::report::Report::absorb(self, other);
    }
}
