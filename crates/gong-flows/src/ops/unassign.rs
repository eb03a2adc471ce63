//! Take prospects out of flows: by CRM prospect id and by flow instance id.
//!
//! Both go through Gong's unassign-by-instance-id endpoint, 200 instances a
//! call, after one look-up per 200 ids of what is there: by CRM id, the
//! look-up names the prospects' open instances (in the flow, or in every
//! flow), and a job of N prospects makes about 2⌈N/200⌉ calls. A chunk of a
//! single CRM id goes straight to Gong's unassign-by-CRM-id endpoint
//! instead, one call, since that is cheaper than a look-up and a call.

use super::unassign_job::{Target, UnassignJob};
use crate::batch::{check_email, check_id};
use crate::call::CallKind;
use crate::client::Client;
use crate::error::Result;
use crate::job::{Built, IntoJob};
use crate::report::UnassignReport;
use gong_flows_api::operation_ids;
use gong_flows_api::types as wire;
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
/// let removed = client.unassign_prospect("0035g1").send().await?;
/// assert_eq!(removed.flow_instance_ids.len(), 1);
/// assert!(removed.request_id.is_some());
/// // Again: in no flow now, so nothing is removed.
/// assert!(client.unassign_prospect("0035g1").send().await?.flow_instance_ids.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RemovedInstances {
    /// The removed flow instances; empty when the prospect was in none (or
    /// is unknown: Gong answers both the same way).
    pub flow_instance_ids: Vec<String>,
    /// Gong's reference for the request.
    pub request_id: Option<String>,
}

/// Removes many prospects from their flows, by CRM id. Made by
/// [`Client::unassign_prospects`].
///
/// Each chunk of 200 prospects is looked up once (who is in the flow, with
/// which instances), and their open instances are removed by instance id,
/// 200 a call: about 2⌈N/200⌉ calls for N prospects, several chunks at a
/// time under the pacer. The report is per CRM id. A prospect in no open
/// instance (of the flow, or of any flow) is refused without a call; an
/// answer lost after Gong may have applied it is settled by another
/// look-up, never repeated blindly.
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
    unknown: HashSet<String>,
}

/// Removes flow instances by id, in chunks of up to 200. Made by
/// [`Client::unassign_instances`].
///
/// Each chunk is looked up first (one call): unknown and finished
/// instances are refused without a call, since Gong fails a whole request
/// with 400 when one instance id is unknown. Should it still answer so (an
/// instance removed meanwhile), the chunk is looked up again and what is
/// still open sent again: at most three calls whatever the number of
/// unknown ids.
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
    unknown: HashSet<String>,
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
            unknown: HashSet::new(),
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
            unknown: HashSet::new(),
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

    /// Removes the prospect: one call. An answer lost after Gong may have
    /// applied it is an error whose
    /// [`may_have_been_sent`](crate::Error::may_have_been_sent) is `true`; a job
    /// ([`Client::unassign_prospects`]) settles it by a look-up instead.
    pub async fn send(self) -> Result<RemovedInstances> {
        check_id("crm_prospect_id", &self.crm_prospect_id)?;
        check_optional(&self.flow_id, &self.unassigned_by)?;
        let body = by_crm_id(self.crm_prospect_id, self.flow_id, self.unassigned_by);
        let success = self
            .client
            .call(
                operation_ids::UNASSIGN_PROSPECT_FLOWS,
                CallKind::NotIdempotent,
                None,
                |api| {
                    let body = body.clone();
                    async move { api.unassign_prospect_flows().body(body).send().await }
                },
            )
            .await
            .map_err(|f| f.error)?;
        Ok(RemovedInstances {
            flow_instance_ids: success
                .value
                .unassigned_flow_instance_ids
                .unwrap_or_default(),
            request_id: success.request_id,
        })
    }
}

pub(crate) fn by_crm_id(
    crm_prospect_id: String,
    flow_id: Option<String>,
    unassigned_by: Option<String>,
) -> wire::UnassignProspectFlowsRequest {
    wire::UnassignProspectFlowsRequest {
        crm_prospect_id,
        flow_id,
        unassigned_by_user_email: unassigned_by,
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

    /// Prospects an earlier job may have removed already (its answer was
    /// lost, e.g. `may_have_been_sent` in a saved report): found in no open
    /// instance now, they are reported unassigned, confirmed by the
    /// look-up, rather than "not in the flow".
    pub fn earlier_outcome_unknown<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.unknown.extend(ids.into_iter().map(Into::into));
        self
    }
}

impl IntoJob for UnassignProspects {
    type Job = UnassignJob;

    fn into_job(self) -> Result<Built<Self>> {
        check_optional(&self.flow_id, &self.unassigned_by)?;
        let size = self.client.inner.chunk_sizes.lookup();
        let job = UnassignJob {
            client: self.client,
            by_crm: true,
            flow_id: self.flow_id,
            unassigned_by: self.unassigned_by,
            unknown: self.unknown,
            size,
        };
        Ok((
            Arc::new(job),
            self.ids.into_iter().map(Target::from).collect(),
        ))
    }
}

crate::job::job_methods!(UnassignProspects, String, UnassignReport);
crate::plan::plan_method!(UnassignProspects);

impl UnassignInstances {
    /// The Gong user asking for the removal.
    pub fn unassigned_by(mut self, email: impl Into<String>) -> Self {
        self.unassigned_by = Some(email.into());
        self
    }

    /// Instances an earlier job may have removed already (its answer was
    /// lost): found finished or gone now, they are reported unassigned,
    /// confirmed by the look-up.
    pub fn earlier_outcome_unknown<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.unknown.extend(ids.into_iter().map(Into::into));
        self
    }
}

impl IntoJob for UnassignInstances {
    type Job = UnassignJob;

    fn into_job(self) -> Result<Built<Self>> {
        check_optional(&None, &self.unassigned_by)?;
        let size = self.client.inner.chunk_sizes.unassign_instances();
        let job = UnassignJob {
            client: self.client,
            by_crm: false,
            flow_id: None,
            unassigned_by: self.unassigned_by,
            unknown: self.unknown,
            size,
        };
        let items = self.ids.into_iter().map(Target::instance).collect();
        Ok((Arc::new(job), items))
    }
}

crate::job::job_methods!(UnassignInstances, String, UnassignReport);
crate::plan::plan_method!(UnassignInstances);
