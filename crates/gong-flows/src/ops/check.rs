//! A check, before a job, that Gong will take it: the credentials, their
//! scope, the flow and its owner, in a few reads.

use crate::auth::Credentials;
use crate::batch::{check_email, check_id};
use crate::call::CallKind;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::Flow;
use crate::pacing::Company;
use gong_flows_api::operation_ids;
use gong_flows_api::types as wire;
use serde::Serialize;

/// An instance id no flow instance has: the write-scope probe removes it,
/// which changes nothing.
const NO_INSTANCE: &str = "0";
/// A CRM id no prospect has: the credentials probe looks it up.
const NO_PROSPECT: &str = "gong-flows-check";

/// Checks, with a few reads, that a job can run: Gong takes the
/// credentials, they carry the scope the job needs, the flow exists (and
/// its name), and the owner sees it. Made by [`Client::check`]; nothing is
/// written.
///
/// - With an owner, the flows the owner can see are listed, page by page,
///   until the flow turns up: this proves the credentials and the read
///   scope, and names the flow.
/// - A flow not found that way (or without an owner) is fetched by id (one
///   call to the steps endpoint, which answers 404 for an unknown flow).
/// - With neither, one look-up of a CRM id no prospect has proves the
///   credentials and the read scope.
/// - [`write`](Self::write) asks for the write scope too. An access key
///   carries every scope; a bearer token is tried with a removal of a flow
///   instance that does not exist (`flowInstanceIds: ["0"]`), which changes
///   nothing: Gong answers 403 when the scope is missing, and 400 (the id
///   does not exist) or 200 when it is there.
///
/// A refusal is the call's error: [`Error::Unauthorized`] (401),
/// [`Error::Forbidden`] (403: a scope or the Engage licence is missing),
/// [`Error::NotFound`] (no such flow). A flow that exists but is not among
/// the owner's is not an error (Gong may still take it), and
/// [`CheckedFlow::listed_for_owner`] says so.
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let check = client
///     .check()
///     .flow("1695493301223590792")
///     .owner("owner@example.com")
///     .write(true)
///     .send()
///     .await?; // an Err for bad credentials, a missing scope, an unknown flow
/// println!("{check}"); // flow 1695493301223590792 "SDR Flow", owner owner@example.com; 1 call
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Check {
    client: Client,
    flow_id: Option<String>,
    owner_email: Option<String>,
    write: bool,
}

impl Client {
    /// A check that a job can run (see [`Check`]).
    pub fn check(&self) -> Check {
        Check {
            client: self.clone(),
            flow_id: None,
            owner_email: None,
            write: false,
        }
    }
}

/// What a [`Check`] found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CheckReport {
    /// The company the client calls for (host and credentials'
    /// fingerprint).
    pub company: Company,
    /// The flow, when one was checked.
    pub flow: Option<CheckedFlow>,
    /// The owner, when one was checked.
    pub owner_email: Option<String>,
    /// How the write scope was checked.
    pub write_scope: WriteScope,
    /// Every call the check made, in order.
    pub reads: Vec<CheckCall>,
}

impl CheckReport {
    /// Calls the check made (each counts against Gong's limits).
    pub fn calls(&self) -> usize {
        self.reads.len()
    }
}

/// The flow a [`Check`] found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CheckedFlow {
    /// The flow id.
    pub id: String,
    /// Its name, as Gong has it.
    pub name: Option<String>,
    /// Whether the owner's flows (company flows, and the owner's personal
    /// and shared ones) include it; `None` without an owner.
    pub listed_for_owner: Option<bool>,
}

/// `ID "NAME"`, as a prompt names the flow.
impl std::fmt::Display for CheckedFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} \"{}\"", self.id, self.name.as_deref().unwrap_or(""))
    }
}

/// How a [`Check`] settled the write scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum WriteScope {
    /// Not asked for.
    NotChecked,
    /// An access key: it carries every scope.
    AccessKey,
    /// A bearer token, tried with a removal of no instance: granted.
    Probed,
}

/// One call a [`Check`] made.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CheckCall {
    /// The operation (`listFlows`, `getFlowSteps`, …).
    pub operation: &'static str,
    /// What it was for.
    pub purpose: &'static str,
    /// Gong's reference for the answer.
    pub request_id: Option<String>,
}

impl Check {
    /// The flow the job goes to.
    pub fn flow(mut self, id: impl Into<String>) -> Self {
        self.flow_id = Some(id.into());
        self
    }

    /// The Gong user the job names (a flow's owner, or who unassigns).
    pub fn owner(mut self, email: impl Into<String>) -> Self {
        self.owner_email = Some(email.into());
        self
    }

    /// Whether the job writes (assigns or unassigns): the write scope is
    /// checked too.
    pub fn write(mut self, write: bool) -> Self {
        self.write = write;
        self
    }

    /// Runs the check: `Ok` when the job can run, else the refusal.
    pub async fn send(self) -> Result<CheckReport> {
        if let Some(id) = &self.flow_id {
            check_id("flow_id", id)?;
        }
        if let Some(email) = &self.owner_email {
            check_email("owner_email", email)?;
        }
        let mut reads = Vec::new();
        let mut flow = None;
        if let Some(owner) = &self.owner_email {
            let mut pages = self.client.list_flows(owner.clone());
            loop {
                let page = pages.clone().send().await?;
                reads.push(CheckCall {
                    operation: operation_ids::LIST_FLOWS,
                    purpose: "credentials, read scope, the owner's flows",
                    request_id: page.request_id.clone(),
                });
                let wanted = self.flow_id.as_deref();
                if let Some(found) = page
                    .items
                    .into_iter()
                    .find(|f| Some(f.id.as_str()) == wanted)
                {
                    flow = Some(checked(found, Some(true)));
                    break;
                }
                match (wanted, page.next_cursor) {
                    (Some(_), Some(cursor)) => pages = pages.cursor(cursor),
                    _ => break,
                }
            }
        }
        if let (Some(id), None) = (&self.flow_id, &flow) {
            flow = Some(self.fetch_flow(id, &mut reads).await?);
        }
        if reads.is_empty() {
            let body = wire::ProspectsAssignedFlowsRequestV2 {
                crm_prospects_ids: Some(vec![NO_PROSPECT.to_owned()]),
                flow_instance_ids: None,
            };
            let read = self
                .call(operation_ids::GET_PROSPECTS_ASSIGNED_FLOWS, move |api| {
                    let body = body.clone();
                    async move { api.get_prospects_assigned_flows().body(body).send().await }
                })
                .await?;
            reads.push(CheckCall {
                operation: operation_ids::GET_PROSPECTS_ASSIGNED_FLOWS,
                purpose: "credentials, read scope",
                request_id: read,
            });
        }
        let write_scope = match (&self.client.inner.credentials, self.write) {
            (_, false) => WriteScope::NotChecked,
            (Credentials::Basic { .. }, true) => WriteScope::AccessKey,
            (_, true) => {
                reads.push(self.probe_write().await?);
                WriteScope::Probed
            }
        };
        Ok(CheckReport {
            company: self.client.company(),
            flow,
            owner_email: self.owner_email,
            write_scope,
            reads,
        })
    }

    /// The flow by id, from the steps endpoint (404 when unknown).
    async fn fetch_flow(&self, id: &str, reads: &mut Vec<CheckCall>) -> Result<CheckedFlow> {
        let body = wire::FlowStepsRequest {
            flow_ids: vec![id.to_owned()],
        };
        let success = self
            .client
            .call(
                operation_ids::GET_FLOW_STEPS,
                CallKind::Idempotent,
                None,
                |api| {
                    let body = body.clone();
                    async move { api.get_flow_steps().body(body).send().await }
                },
            )
            .await
            .map_err(|f| f.error)?;
        reads.push(CheckCall {
            operation: operation_ids::GET_FLOW_STEPS,
            purpose: "the flow, by id",
            request_id: success.request_id,
        });
        let found = success
            .value
            .flows
            .into_iter()
            .find(|f| f.id.as_deref() == Some(id));
        Ok(CheckedFlow {
            id: id.to_owned(),
            name: found.and_then(|f| f.name).filter(|n| !n.trim().is_empty()),
            listed_for_owner: self.owner_email.as_ref().map(|_| false),
        })
    }

    /// A removal of an instance that does not exist: 403 without the
    /// write scope, 400 ("does not exist") or 200 with it.
    async fn probe_write(&self) -> Result<CheckCall> {
        let body = wire::UnassignFlowsRequest {
            flow_instance_ids: vec![NO_INSTANCE.to_owned()],
            unassigned_by_user_email: self.owner_email.clone(),
        };
        let request_id = match self
            .call(operation_ids::UNASSIGN_FLOWS, move |api| {
                let body = body.clone();
                async move { api.unassign_flows().body(body).send().await }
            })
            .await
        {
            Ok(id) => id,
            Err(Error::BadRequest(api)) => api.request_id,
            Err(other) => return Err(other),
        };
        Ok(CheckCall {
            operation: operation_ids::UNASSIGN_FLOWS,
            purpose: "write scope (removes no instance)",
            request_id,
        })
    }

    /// One call through the client's call loop; its request id.
    async fn call<T, F, Fut>(&self, operation: &'static str, send: F) -> Result<Option<String>>
    where
        T: crate::call::RequestIdOf,
        F: Fn(std::sync::Arc<gong_flows_api::Client>) -> Fut,
        Fut: Future<Output = crate::job::ApiResult<T>>,
    {
        let success = self
            .client
            .call(operation, CallKind::Idempotent, None, send)
            .await
            .map_err(|f| f.error)?;
        Ok(success.request_id)
    }
}

fn checked(flow: Flow, listed_for_owner: Option<bool>) -> CheckedFlow {
    CheckedFlow {
        id: flow.id,
        name: flow.name,
        listed_for_owner,
    }
}

impl std::fmt::Display for CheckReport {
    /// `flow ID "NAME", owner EMAIL, write scope; N calls`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = vec![format!("credentials for {}", self.company)];
        if let Some(flow) = &self.flow {
            let name = flow.name.as_deref().unwrap_or("(no name)");
            parts.push(format!("flow {} \"{name}\"", flow.id));
        }
        if let Some(owner) = &self.owner_email {
            parts.push(format!("owner {owner}"));
        }
        match self.write_scope {
            WriteScope::NotChecked => {}
            WriteScope::AccessKey => parts.push("write scope (access key)".to_owned()),
            WriteScope::Probed => parts.push("write scope (token)".to_owned()),
        }
        let n = self.calls();
        write!(
            f,
            "{}; {n} call{}",
            parts.join(", "),
            if n == 1 { "" } else { "s" }
        )
    }
}
