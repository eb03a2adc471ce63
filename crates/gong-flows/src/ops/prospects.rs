//! The flows prospects are in, by CRM id and/or flow instance id.

use crate::batch::check_id;
use crate::call::CallKind;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::job::{
    ApiResult, Built, Doubted, Found, IntoJob, Job, LookUp, Next, Tracked, lookup_request,
};
use crate::model::FlowInstance;
use crate::report::{ItemId, NotAttempted, ProspectsFlowsReport};
use futures::future::BoxFuture;
use gong_flows_api::operation_ids;
use gong_flows_api::types::ProspectsFlowsResponse;
use std::borrow::Cow;
use std::convert::Infallible;
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
///     .check()?; // an `Err` if the look-up stopped on an error
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
}

impl IntoJob for ProspectsFlows {
    type Job = LookupJob;

    fn into_job(self) -> Result<Built<Self>> {
        let size = self.client.inner.chunk_sizes.lookup();
        let job = LookupJob {
            client: self.client,
            size,
        };
        Ok((Arc::new(job), self.ids))
    }
}

crate::job::job_methods!(read ProspectsFlows, ItemId, ProspectsFlowsReport);
crate::plan::plan_method!(ProspectsFlows);

/// A look-up, as the job driver runs it.
#[derive(Debug)]
pub(crate) struct LookupJob {
    client: Client,
    size: usize,
}

impl Job for LookupJob {
    type Item = ItemId;
    type Answer = ProspectsFlowsResponse;
    type Report = ProspectsFlowsReport;
    type Doubt = Infallible;

    fn client(&self) -> &Client {
        &self.client
    }

    fn operation(&self, _: &[Tracked<ItemId>]) -> &'static str {
        operation_ids::GET_PROSPECTS_ASSIGNED_FLOWS
    }

    fn call_kind(&self) -> CallKind {
        CallKind::Idempotent
    }

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

    /// A call per kind of id in the chunk.
    fn chunk_calls(&self, chunk: &[ItemId]) -> (usize, Option<usize>) {
        let crm = chunk
            .iter()
            .any(|id| matches!(id, ItemId::CrmProspectId(_)));
        let other = chunk
            .iter()
            .any(|id| !matches!(id, ItemId::CrmProspectId(_)));
        let calls = usize::from(crm) + usize::from(other);
        (calls, Some(calls))
    }

    /// Gong takes one kind of id per call.
    fn same_call(&self, a: &ItemId, b: &ItemId) -> bool {
        std::mem::discriminant(a) == std::mem::discriminant(b)
    }

    fn report(&self) -> ProspectsFlowsReport {
        ProspectsFlowsReport::default()
    }

    fn not_attempted(
        &self,
        part: &mut ProspectsFlowsReport,
        id: ItemId,
        error: &Arc<Error>,
        sent: bool,
    ) {
        part.not_attempted.push(NotAttempted {
            id,
            error: error.clone(),
            may_have_been_sent: sent,
        });
    }

    fn request(
        &self,
        api: Arc<gong_flows_api::Client>,
        items: &[Tracked<ItemId>],
    ) -> BoxFuture<'static, ApiResult<ProspectsFlowsResponse>> {
        let by_crm = matches!(
            items.first().map(|t| &t.item),
            Some(ItemId::CrmProspectId(_))
        );
        let ids = items.iter().map(|t| t.item.as_str().to_owned()).collect();
        let body = lookup_request(ids, by_crm);
        Box::pin(async move { api.get_prospects_assigned_flows().body(body).send().await })
    }

    fn sort(
        &self,
        items: Vec<Tracked<ItemId>>,
        answer: ProspectsFlowsResponse,
        part: &mut ProspectsFlowsReport,
    ) -> Vec<Doubted<Self>> {
        part.looked_up += items.len();
        part.instances.extend(
            answer
                .prospects_assigned
                .into_iter()
                .map(FlowInstance::from),
        );
        Vec::new()
    }

    fn refuse(&self, part: &mut ProspectsFlowsReport, ids: Vec<ItemId>, message: &str) {
        let error = Arc::new(Error::Reported {
            message: message.to_owned(),
        });
        for id in ids {
            self.not_attempted(part, id, &error, false);
        }
    }

    fn look_up(&self, _: &[Doubted<Self>]) -> LookUp {
        LookUp::ByInstanceId(Vec::new())
    }

    fn settle(
        &self,
        doubts: Vec<Doubted<Self>>,
        _: Found,
        _: &mut ProspectsFlowsReport,
    ) -> Next<Self> {
        match doubts.into_iter().next() {
            Some((_, never)) => match never {},
            None => Next::done(),
        }
    }
}
