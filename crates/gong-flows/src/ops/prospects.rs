//! The flows prospects are in, by CRM id and/or flow instance id.

use crate::batch::{prepare, run_chunks};
use crate::client::{CallKind, Client};
use crate::error::Result;
use crate::model::FlowInstance;
use futures::StreamExt as _;
use gong_flows_api::types::ProspectsAssignedFlowsRequestV2;
use serde::Serialize;

/// Looks up prospects' flow instances. Made by [`Client::prospects_flows`].
///
/// By CRM ids Gong returns only open instances (Pending, Running, Paused);
/// by flow instance ids also finished ones. Unknown ids are simply absent.
/// Any number of ids may be given: they are sent in chunks.
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let found = client
///     .prospects_flows()
///     .crm_prospect_ids(["0035g00000AbCdE"])
///     .send()
///     .await?;
/// for instance in &found.instances {
///     println!("{:?} is in {:?} ({:?})", instance.crm_prospect_id, instance.flow_name, instance.status);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ProspectsFlows {
    client: Client,
    crm_prospect_ids: Vec<String>,
    flow_instance_ids: Vec<String>,
}

/// What [`ProspectsFlows::send`] found.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProspectsFlowsResult {
    /// Every flow instance found.
    pub instances: Vec<FlowInstance>,
    /// Calls made, retries included.
    pub requests: u32,
    /// Gong's `requestId` of each call.
    pub request_ids: Vec<String>,
}

impl Client {
    /// Looks up the flows of prospects.
    pub fn prospects_flows(&self) -> ProspectsFlows {
        ProspectsFlows {
            client: self.clone(),
            crm_prospect_ids: Vec::new(),
            flow_instance_ids: Vec::new(),
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
        self.crm_prospect_ids
            .extend(ids.into_iter().map(Into::into));
        self
    }

    /// Adds flow instance ids.
    pub fn flow_instance_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.flow_instance_ids
            .extend(ids.into_iter().map(Into::into));
        self
    }

    /// Looks them all up. Any failed call fails the whole look-up (it is a
    /// read: run it again).
    pub async fn send(self) -> Result<ProspectsFlowsResult> {
        let crm = prepare("crm_prospect_ids", self.crm_prospect_ids)?.unique;
        let instances = prepare("flow_instance_ids", self.flow_instance_ids)?.unique;
        let mut result = ProspectsFlowsResult::default();
        for (ids, by_crm) in [(crm, true), (instances, false)] {
            let part = lookup(&self.client, ids, by_crm).await?;
            result.instances.extend(part.instances);
            result.requests += part.requests;
            result.request_ids.extend(part.request_ids);
        }
        Ok(result)
    }
}

/// One kind of look-up, chunked.
pub(crate) async fn lookup(
    client: &Client,
    ids: Vec<String>,
    by_crm: bool,
) -> Result<ProspectsFlowsResult> {
    let size = client.inner.batch_sizes.lookup();
    let concurrency = client.inner.concurrency;
    let mut chunks = std::pin::pin!(run_chunks(ids, size, concurrency, |(_, chunk)| {
        let client = client.clone();
        async move {
            let body = if by_crm {
                ProspectsAssignedFlowsRequestV2 {
                    crm_prospects_ids: Some(chunk),
                    flow_instance_ids: None,
                }
            } else {
                ProspectsAssignedFlowsRequestV2 {
                    crm_prospects_ids: None,
                    flow_instance_ids: Some(chunk),
                }
            };
            client
                .call(
                    gong_flows_api::operation_ids::GET_PROSPECTS_ASSIGNED_FLOWS,
                    CallKind::Idempotent,
                    None,
                    |api| {
                        let body = body.clone();
                        async move { api.get_prospects_assigned_flows().body(body).send().await }
                    },
                )
                .await
        }
    }));
    let mut result = ProspectsFlowsResult::default();
    while let Some(outcome) = chunks.next().await {
        let success = outcome.map_err(|f| f.error)?;
        result.requests += success.attempts;
        result.request_ids.extend(success.request_ids);
        result.instances.extend(
            success
                .value
                .prospects_assigned
                .into_iter()
                .map(FlowInstance::from),
        );
    }
    Ok(result)
}
