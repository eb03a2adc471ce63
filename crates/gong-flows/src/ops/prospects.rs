//! The flows prospects are in, by CRM id and/or flow instance id.

use crate::batch::check_id;
use crate::call::CallKind;
use crate::client::Client;
use crate::control::ChunkCtx;
use crate::error::{Error, Result};
use crate::job::Operation;
use crate::model::FlowInstance;
use crate::report::{ItemId, NotAttempted, ProspectsFlowsReport};
use futures::future::BoxFuture;
use gong_flows_api::operation_ids;
use gong_flows_api::types::ProspectsAssignedFlowsRequestV2;
use std::borrow::Cow;
use std::sync::Arc;

/// Looks up prospects' flow instances. Made by [`Client::prospects_flows`].
///
/// By CRM ids Gong returns only open instances (Pending, Running, Paused);
/// by flow instance ids also finished ones. Unknown ids are simply absent.
/// Any number of ids may be given: they are sent in chunks, CRM ids and
/// instance ids in separate calls (Gong takes one list per call).
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let found = client
///     .prospects_flows()
///     .crm_prospect_ids(["0035g00000AbCdE"])
///     .send()
///     .await?
///     .into_result()?;
/// for instance in &found.instances {
///     println!("{instance:?}");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ProspectsFlows {
    client: Client,
    ids: Vec<ItemId>,
}

impl Client {
    /// Looks up the flows of prospects.
    pub fn prospects_flows(&self) -> ProspectsFlows {
        ProspectsFlows {
            client: self.clone(),
            ids: Vec::new(),
        }
    }
}

impl ProspectsFlows {
    /// Adds CRM prospect ids.
    pub fn crm_prospect_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ids
            .extend(ids.into_iter().map(|id| ItemId::CrmProspectId(id.into())));
        self
    }

    /// Adds flow instance ids.
    pub fn flow_instance_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ids
            .extend(ids.into_iter().map(|id| ItemId::FlowInstanceId(id.into())));
        self
    }

    fn into_job(self) -> Result<(Arc<LookupOp>, Vec<ItemId>, usize)> {
        let concurrency = self.client.inner.concurrency;
        let size = self.client.inner.batch_sizes.lookup();
        let op = LookupOp {
            client: self.client,
            size,
        };
        Ok((Arc::new(op), self.ids, concurrency))
    }
}

job_methods!(ProspectsFlows, ItemId, ProspectsFlowsReport);

/// A look-up, as the job driver runs it.
#[derive(Debug)]
pub(crate) struct LookupOp {
    client: Client,
    size: usize,
}

impl Operation for LookupOp {
    type Item = ItemId;
    type Report = ProspectsFlowsReport;

    fn check(&self, id: &ItemId) -> Result<()> {
        match id {
            ItemId::CrmProspectId(id) => check_id("crm_prospect_ids", id),
            ItemId::FlowInstanceId(id) => check_id("flow_instance_ids", id),
            ItemId::FlowId(id) => Err(Error::invalid(
                "prospects_flows",
                id,
                "is a flow id; look up CRM prospect ids or flow instance ids",
            )),
        }
    }

    fn key(id: &ItemId) -> Cow<'_, str> {
        match id {
            ItemId::CrmProspectId(id) => Cow::Owned(format!("crm:{id}")),
            other => Cow::Owned(format!("instance:{}", other.as_str())),
        }
    }

    fn chunk_size(&self) -> usize {
        self.size
    }

    fn report(&self) -> ProspectsFlowsReport {
        ProspectsFlowsReport::default()
    }

    fn not_attempted(
        &self,
        ids: Vec<ItemId>,
        error: &Arc<Error>,
        may_have_been_sent: bool,
    ) -> ProspectsFlowsReport {
        let mut out = self.report();
        out.not_attempted
            .extend(ids.into_iter().map(|id| NotAttempted {
                id,
                error: error.clone(),
                may_have_been_sent,
            }));
        out
    }

    fn run(
        self: Arc<Self>,
        ids: Vec<ItemId>,
        ctx: ChunkCtx,
    ) -> BoxFuture<'static, ProspectsFlowsReport> {
        Box::pin(async move {
            let mut out = self.report();
            let (crm, instances): (Vec<ItemId>, Vec<ItemId>) = ids
                .into_iter()
                .partition(|id| matches!(id, ItemId::CrmProspectId(_)));
            for (ids, by_crm) in [(crm, true), (instances, false)] {
                if ids.is_empty() {
                    continue;
                }
                let raw: Vec<String> = ids.iter().map(|id| id.as_str().to_owned()).collect();
                let body = if by_crm {
                    ProspectsAssignedFlowsRequestV2 {
                        crm_prospects_ids: Some(raw),
                        flow_instance_ids: None,
                    }
                } else {
                    ProspectsAssignedFlowsRequestV2 {
                        crm_prospects_ids: None,
                        flow_instance_ids: Some(raw),
                    }
                };
                let result = self
                    .client
                    .call(
                        operation_ids::GET_PROSPECTS_ASSIGNED_FLOWS,
                        CallKind::Idempotent,
                        Some(&ctx),
                        |api| {
                            let body = body.clone();
                            async move { api.get_prospects_assigned_flows().body(body).send().await }
                        },
                    )
                    .await;
                match result {
                    Ok(success) => {
                        out.stats.count(success.attempts, success.request_ids);
                        out.instances.extend(
                            success
                                .value
                                .prospects_assigned
                                .into_iter()
                                .map(FlowInstance::from),
                        );
                    }
                    Err(failure) => {
                        out.stats.count(failure.attempts, failure.request_ids);
                        let error = Arc::new(failure.error);
                        if error.is_fatal() {
                            ctx.control.set(error.clone());
                        }
                        let lost = self.not_attempted(ids, &error, failure.ambiguous);
                        crate::report::Report::absorb(&mut out, lost);
                    }
                }
            }
            out
        })
    }
}

/// Looks up `ids` (CRM ids when `by_crm`, else instance ids) as part of
/// another job, e.g. to reconcile a write whose answer was lost: any id that
/// could not be looked up fails the whole look-up.
pub(crate) async fn lookup(
    client: &Client,
    ids: Vec<String>,
    by_crm: bool,
) -> Result<ProspectsFlowsReport> {
    let kind = if by_crm {
        ItemId::CrmProspectId
    } else {
        ItemId::FlowInstanceId
    };
    let report = client
        .prospects_flows()
        .send_stream(ids.into_iter().map(kind))?;
    let report = crate::job::collect(ProspectsFlowsReport::default(), report).await;
    match report.not_attempted.first() {
        Some(failed) => Err((*failed.error).clone()),
        None => Ok(report),
    }
}
