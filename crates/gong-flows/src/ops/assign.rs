//! Assign prospects to a flow, any number of them.

use super::assign_job::AssignJob;
use crate::batch::{check_email, check_id};
use crate::client::{ChunkSizes, Client};
use crate::error::{Error, Result};
use crate::job::{Built, IntoJob};
use crate::ops::overrides::AssignOverrides;
use crate::report::AssignReport;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::SystemTime;

/// Which endpoint an assignment uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Assign,
    CoolOffOverride,
}

impl Endpoint {
    pub(crate) fn operation(self) -> &'static str {
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
///     println!("{}: {:?} {:?}", failure.id, failure.error_code, failure.error_message);
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
    chunk_size: Option<usize>,
    endpoint: Endpoint,
    unknown: HashSet<String>,
    unknown_since: Option<SystemTime>,
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
            chunk_size: None,
            endpoint: Endpoint::Assign,
            unknown: HashSet::new(),
            unknown_since: None,
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
    /// one job is (or already in the flow, when Gong created its instance
    /// before [`earlier_job_started`](Self::earlier_job_started)).
    pub fn earlier_outcome_unknown<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.unknown.extend(ids.into_iter().map(Into::into));
        self
    }

    /// When the earlier job of [`earlier_outcome_unknown`](Self::earlier_outcome_unknown)
    /// started: a prospect Gong put in the flow before then (less the
    /// client's clock skew tolerance) was there before that job, too.
    pub fn earlier_job_started(mut self, at: SystemTime) -> Self {
        self.unknown_since = Some(at);
        self
    }

    /// Prospects per call for this job (at most 200; default the client's).
    pub fn chunk_size(mut self, size: usize) -> Self {
        self.chunk_size = Some(size);
        self
    }
}

impl IntoJob for Assign {
    type Job = AssignJob;

    fn into_job(self) -> Result<Built<Self>> {
        check_id("flow_id", &self.flow_id)?;
        check_email("owner_email", &self.owner_email)?;
        if let Some(overrides) = &self.overrides {
            overrides.check()?;
        }
        let size = self
            .chunk_size
            .unwrap_or(self.client.inner.chunk_sizes.assign());
        if size == 0 || size > ChunkSizes::MAX_ASSIGN {
            return Err(Error::invalid(
                "chunk_size",
                size.to_string(),
                &format!("must be between 1 and {}", ChunkSizes::MAX_ASSIGN),
            ));
        }
        let job = AssignJob {
            overrides: self.overrides.as_ref().map(AssignOverrides::to_wire),
            client: self.client,
            flow_id: self.flow_id,
            owner_email: self.owner_email,
            description: self.description,
            endpoint: self.endpoint,
            unknown: self.unknown,
            unknown_since: self.unknown_since,
            size,
        };
        Ok((Arc::new(job), self.ids))
    }
}

crate::job::job_methods!(Assign, String, AssignReport);
crate::plan::plan_method!(Assign);
