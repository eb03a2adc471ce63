//! Take prospects out of flows: by CRM prospect id (one per call, as Gong
//! requires, or many concurrently) and by flow instance id (chunks of 200).

use crate::batch::{Part, check_email, check_id, isolate};
use crate::call::{CallKind, Failure, Success};
use crate::client::Client;
use crate::control::ChunkCtx;
use crate::error::{Error, Result};
use crate::job::Operation;
use crate::report::{ItemId, NotAttempted, NotUnassigned, UnassignReport, Unassigned};
use futures::future::BoxFuture;
use gong_flows_api::types as wire;
use std::borrow::Cow;
use std::collections::HashSet;
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
        .call("unassignProspectFlows", CallKind::Idempotent, job, |api| {
            let body = body.clone();
            async move { api.unassign_prospect_flows().body(body).send().await }
        })
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
        let op = UnassignOp {
            client: self.client,
            by_crm: true,
            flow_id: self.flow_id,
            unassigned_by: self.unassigned_by,
            size: 1,
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

    /// CRM ids, one call each.
    async fn crm_chunk(&self, ids: Vec<String>, ctx: ChunkCtx) -> UnassignReport {
        let mut part = self.report();
        for id in ids {
            let result = unassign_one(
                &self.client,
                id.clone(),
                self.flow_id.clone(),
                self.unassigned_by.clone(),
                Some(&ctx),
            )
            .await;
            match result {
                Ok(success) => {
                    part.stats.count(success.attempts, success.request_ids);
                    let removed = success
                        .value
                        .unassigned_flow_instance_ids
                        .unwrap_or_default();
                    if removed.is_empty() {
                        part.not_unassigned.push(NotUnassigned {
                            id: self.id(id),
                            error_message: match &self.flow_id {
                                Some(flow) => format!("not in flow {flow}"),
                                None => "not in any open flow".to_owned(),
                            },
                        });
                    } else {
                        part.unassigned.push(Unassigned {
                            id: self.id(id),
                            flow_instance_ids: removed,
                            confirmed_by_lookup: false,
                        });
                    }
                }
                Err(failure) => {
                    part.stats.count(failure.attempts, failure.request_ids);
                    let error = Arc::new(failure.error);
                    if error.is_fatal() {
                        ctx.control.set(error.clone());
                    }
                    part.absorb_part(self.not_attempted(vec![id], &error, failure.ambiguous));
                }
            }
        }
        part
    }

    /// One chunk of instance ids; an unknown id (Gong's 400 for the whole
    /// request) is isolated by [`isolate`].
    async fn instances_chunk(&self, chunk: Vec<String>, ctx: ChunkCtx) -> UnassignReport {
        let mut part = self.report();
        let by = &self.unassigned_by;
        let parts = isolate(chunk, &ctx, &mut part.stats, bad_request, |ids| {
            let body = wire::UnassignFlowsRequest {
                flow_instance_ids: ids,
                unassigned_by_user_email: by.clone(),
            };
            let ctx = ctx.clone();
            async move {
                self.client
                    .call("unassignFlows", CallKind::Idempotent, Some(&ctx), |api| {
                        let body = body.clone();
                        async move { api.unassign_flows().body(body).send().await }
                    })
                    .await
            }
        })
        .await;
        for outcome in parts {
            match outcome {
                Part::Done(ids, answer) => {
                    let removed: HashSet<String> = answer
                        .unassigned_flow_instance_ids
                        .into_iter()
                        .flatten()
                        .collect();
                    for id in ids {
                        if removed.contains(&id) {
                            part.unassigned.push(Unassigned {
                                id: self.id(id),
                                flow_instance_ids: Vec::new(),
                                confirmed_by_lookup: false,
                            });
                        } else {
                            part.not_unassigned.push(NotUnassigned {
                                id: self.id(id),
                                error_message: "not removed (absent from Gong's answer)".to_owned(),
                            });
                        }
                    }
                }
                Part::Refused(id, api) => part.not_unassigned.push(NotUnassigned {
                    id: self.id(id),
                    error_message: api.refusal(),
                }),
                Part::NotAttempted(ids, error, sent) => {
                    part.absorb_part(self.not_attempted(ids, &error, sent))
                }
            }
        }
        part
    }
}

impl UnassignReport {
    fn absorb_part(&mut self, other: UnassignReport) {
        crate::report::Report::absorb(self, other);
    }
}

/// Gong's answer when one id fails the whole request.
fn bad_request(error: &Error) -> Option<&crate::error::ApiError> {
    match error {
        Error::BadRequest(api) => Some(api),
        _ => None,
    }
}
