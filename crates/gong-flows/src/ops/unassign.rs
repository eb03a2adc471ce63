//! Take prospects out of flows: by CRM prospect id (one per call, as Gong
//! requires, or many concurrently) and by flow instance id (chunks of 200).

use crate::batch::{Part, Stop, check_email, check_id, isolate, prepare, run_chunks};
use crate::client::{CallKind, Client};
use crate::error::{Error, Result};
use crate::report::{NotAttempted, NotUnassigned, UnassignReport, Unassigned};
use futures::StreamExt as _;
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
///     println!("{}: {}", refused.id, refused.reason);
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
    stop: Option<&Stop>,
) -> std::result::Result<crate::client::Success<wire::UnassignFlowsResponse>, crate::client::Failure>
{
    let body = wire::UnassignProspectFlowsRequest {
        crm_prospect_id,
        flow_id,
        unassigned_by_user_email: unassigned_by,
    };
    client
        .call(
            gong_flows_api::operation_ids::UNASSIGN_PROSPECT_FLOWS,
            CallKind::Idempotent,
            stop,
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

    /// Runs the job. Fails only on bad input, before anything is sent.
    ///
    /// A prospect Gong removed from no flow (it was in none, or Gong does not
    /// know it: the answers are the same) is in `not_unassigned`.
    pub async fn send(self) -> Result<UnassignReport> {
        check_optional(&self.flow_id, &self.unassigned_by)?;
        let prepared = prepare("crm_prospect_ids", self.ids)?;
        let mut report = UnassignReport::default();
        report.stats.duplicates = prepared.duplicates;
        let stop = Stop::default();
        let client = self.client;
        let (flow_id, by) = (self.flow_id, self.unassigned_by);
        let concurrency = client.inner.concurrency;
        let mut parts = std::pin::pin!(run_chunks(
            prepared.unique,
            1,
            concurrency,
            |(_, mut one)| {
                let (client, stop) = (client.clone(), stop.clone());
                let (flow_id, by) = (flow_id.clone(), by.clone());
                async move {
                    let id = one.pop().unwrap_or_default();
                    let mut part = UnassignReport::default();
                    if let Some(stopped) = stop.get() {
                        part.not_attempted.push(NotAttempted { id, error: stopped });
                        return part;
                    }
                    match unassign_one(&client, id.clone(), flow_id.clone(), by, Some(&stop)).await
                    {
                        Ok(success) => {
                            part.stats.requests += success.attempts;
                            part.stats.request_ids.extend(success.request_ids);
                            let removed = success
                                .value
                                .unassigned_flow_instance_ids
                                .unwrap_or_default();
                            if removed.is_empty() {
                                part.not_unassigned.push(NotUnassigned {
                                    id,
                                    reason: match flow_id {
                                        Some(flow) => format!("not in flow {flow}"),
                                        None => "not in any open flow".to_owned(),
                                    },
                                });
                            } else {
                                part.unassigned.push(Unassigned {
                                    id,
                                    flow_instance_ids: removed,
                                });
                            }
                        }
                        Err(failure) => {
                            part.stats.requests += failure.attempts;
                            part.stats.request_ids.extend(failure.request_ids);
                            let error = Arc::new(failure.error);
                            if error.is_fatal() {
                                stop.set(error.clone());
                                part.stats.stopped = Some(error.clone());
                            }
                            part.not_attempted.push(NotAttempted { id, error });
                        }
                    }
                    part
                }
            }
        ));
        while let Some(part) = parts.next().await {
            report.absorb(part);
        }
        Ok(report)
    }
}

impl UnassignInstances {
    /// The Gong user asking for the removal.
    pub fn unassigned_by(mut self, email: impl Into<String>) -> Self {
        self.unassigned_by = Some(email.into());
        self
    }

    /// Runs the job. Fails only on bad input, before anything is sent.
    pub async fn send(self) -> Result<UnassignReport> {
        check_optional(&None, &self.unassigned_by)?;
        let prepared = prepare("flow_instance_ids", self.ids)?;
        let mut report = UnassignReport::default();
        report.stats.duplicates = prepared.duplicates;
        let stop = Stop::default();
        let client = self.client;
        let by = self.unassigned_by;
        let size = client.inner.batch_sizes.unassign_instances();
        let concurrency = client.inner.concurrency;
        let mut parts = std::pin::pin!(run_chunks(
            prepared.unique,
            size,
            concurrency,
            |(_, chunk)| {
                let (client, stop, by) = (client.clone(), stop.clone(), by.clone());
                async move { unassign_chunk(&client, chunk, by, &stop).await }
            }
        ));
        while let Some(part) = parts.next().await {
            report.absorb(part);
        }
        Ok(report)
    }
}

/// One chunk of instance ids; an unknown id (Gong's 400 for the whole
/// request) is isolated by [`isolate`].
async fn unassign_chunk(
    client: &Client,
    chunk: Vec<String>,
    by: Option<String>,
    stop: &Stop,
) -> UnassignReport {
    let mut part = UnassignReport::default();
    let parts = isolate(chunk, stop, &mut part.stats, bad_request, |ids| {
        let body = wire::UnassignFlowsRequest {
            flow_instance_ids: ids,
            unassigned_by_user_email: by.clone(),
        };
        client.call(
            gong_flows_api::operation_ids::UNASSIGN_FLOWS,
            CallKind::Idempotent,
            Some(stop),
            move |api| {
                let body = body.clone();
                async move { api.unassign_flows().body(body).send().await }
            },
        )
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
                            flow_instance_ids: vec![id.clone()],
                            id,
                        });
                    } else {
                        part.not_unassigned.push(NotUnassigned {
                            id,
                            reason: "not removed (absent from Gong's answer)".to_owned(),
                        });
                    }
                }
            }
            Part::Refused(id, api) => part.not_unassigned.push(NotUnassigned {
                id,
                reason: api.refusal(),
            }),
            Part::NotAttempted(ids, error) => {
                part.not_attempted.extend(NotAttempted::all(ids, &error))
            }
        }
    }
    part
}

/// Gong's answer when one id fails the whole request.
fn bad_request(error: &Error) -> Option<&crate::error::ApiError> {
    match error {
        Error::BadRequest(api) => Some(api),
        _ => None,
    }
}
