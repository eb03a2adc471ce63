//! `client.sync(flow, owner)`: plan a flow's membership against a list,
//! then apply the plan on the job driver, recording each step in the store.

use super::plan::{Forgotten, LeftAlone, LeftAloneReason, MaxRemovals, PlanRun, Removal, SyncPlan};
use super::report::{NotRemoved, SyncReport};
use super::store::{Change, Managed, ManagedState, SyncStore};
use crate::batch::{check_email, check_id};
use crate::client::Client;
use crate::control::{Control, JobHandle};
use crate::error::{Error, Result};
use crate::model::FlowInstance;
use crate::ops::unassign_job::{is_open, names_unknown_instance};
use crate::report::{ItemId, JobStats, NotAttempted, ProspectsFlowsReport};
use futures::StreamExt as _;
use futures::stream::BoxStream;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Not as _;
use std::sync::Arc;

/// Keeps a flow's membership equal to a list of CRM ids, run after run.
/// Made by [`Client::sync`].
///
/// Gong cannot list a flow's members, so the sync remembers in a
/// [`SyncStore`] what it put in the flow; it removes only that (and what
/// it [adopted](Self::adopt)), never a prospect a rep added by hand.
/// [`plan`](Self::plan) takes the flow's sync lock, reads the store, looks
/// the prospects up in Gong (≈ 1 call per 200) and says what it will do;
/// [`SyncPlan::apply`] does it. See the [module docs](crate::sync) for
/// the rules.
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client, segment: Vec<String>) -> gong_flows::Result<()> {
/// use gong_flows::SqliteStore;
///
/// let plan = client
///     .sync("1695493301223590792", "owner@example.com")
///     .prospects(segment)
///     .store(SqliteStore::open("flows-sync.db")?)
///     .plan()
///     .await?;
/// println!("{plan}");
/// let report = plan.apply().await?;
/// println!("{report}");
/// # Ok(()) }
/// ```
#[must_use]
pub struct SyncFlow {
    client: Client,
    flow_id: String,
    owner_email: String,
    ids: Vec<String>,
    stream: Option<BoxStream<'static, String>>,
    store: Option<Arc<dyn SyncStore>>,
    adopt: bool,
    re_enroll_finished: bool,
    restore_removed: bool,
    max_removals: Option<MaxRemovals>,
}

impl fmt::Debug for SyncFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncFlow")
            .field("flow_id", &self.flow_id)
            .field("owner_email", &self.owner_email)
            .field("ids", &self.ids.len())
            .field("streamed", &self.stream.is_some())
            .field("store", &self.store.as_ref().map(|s| s.describe()))
            .field("adopt", &self.adopt)
            .field("re_enroll_finished", &self.re_enroll_finished)
            .field("restore_removed", &self.restore_removed)
            .field("max_removals", &self.max_removals)
            .finish()
    }
}

impl Client {
    /// A sync of `flow_id`'s membership to a list; new instances are owned
    /// by `owner_email`.
    pub fn sync(&self, flow_id: impl Into<String>, owner_email: impl Into<String>) -> SyncFlow {
        SyncFlow {
            client: self.clone(),
            flow_id: flow_id.into(),
            owner_email: owner_email.into(),
            ids: Vec::new(),
            stream: None,
            store: None,
            adopt: false,
            re_enroll_finished: false,
            restore_removed: false,
            max_removals: None,
        }
    }
}

impl SyncFlow {
    /// Adds CRM ids to the list (repeats count once).
    pub fn prospects<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Adds the CRM ids of a stream to the list (read in full by
    /// [`plan`](Self::plan): a sync compares the whole list).
    pub fn prospects_from_stream<S>(mut self, ids: S) -> Self
    where
        S: futures::Stream + Send + 'static,
        S::Item: Into<String>,
    {
        let ids = ids.map(Into::into).boxed();
        self.stream = Some(match self.stream.take() {
            Some(earlier) => earlier.chain(ids).boxed(),
            None => ids,
        });
        self
    }

    /// Where the sync keeps what it manages (required).
    pub fn store(self, store: impl SyncStore + 'static) -> Self {
        self.shared_store(Arc::new(store))
    }

    /// [`store`](Self::store), shared with other syncs.
    pub fn shared_store(mut self, store: Arc<dyn SyncStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Takes over listed prospects found in the flow by someone else's
    /// doing: recorded as managed (no call), and removed like the sync's
    /// own once listed no more. Default: left alone, never removed.
    pub fn adopt(mut self, adopt: bool) -> Self {
        self.adopt = adopt;
        self
    }

    /// Enrols again a listed prospect whose managed instance finished the
    /// flow (a second round of outreach). Default: left alone.
    pub fn re_enroll_finished(mut self, yes: bool) -> Self {
        self.re_enroll_finished = yes;
        self
    }

    /// Puts back a listed prospect that was removed from the flow outside
    /// the sync (by a rep, say). Default: left alone, and reported.
    pub fn restore_removed(mut self, yes: bool) -> Self {
        self.restore_removed = yes;
        self
    }

    /// The most managed prospects one run may remove. Default: 10 % of the
    /// managed set, and an empty list is refused; setting a limit allows
    /// an empty list within it.
    pub fn max_removals(mut self, limit: MaxRemovals) -> Self {
        self.max_removals = Some(limit);
        self
    }

    /// Checks the list, takes the flow's sync lock, reads the store and
    /// looks the listed and managed prospects up in Gong; writes nothing.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id, email or missing store (before
    /// any request), [`Error::SyncLocked`] when another sync of the flow
    /// runs, [`Error::Store`], or the error that stopped a look-up.
    pub async fn plan(mut self) -> Result<SyncPlan> {
        check_id("flow_id", &self.flow_id)?;
        check_email("owner_email", &self.owner_email)?;
        let store = self.store.clone().ok_or_else(|| {
            Error::invalid(
                "store",
                "",
                "is not set: a sync needs a store for its state",
            )
        })?;
        let mut listed = Vec::new();
        let mut seen = HashSet::new();
        let mut duplicates = Vec::new();
        let mut add = |id: String| -> Result<()> {
            check_id("prospects", &id)?;
            if seen.contains(&id) {
                duplicates.push(id);
            } else {
                seen.insert(id.clone());
                listed.push(id);
            }
            Ok(())
        };
        for id in std::mem::take(&mut self.ids) {
            add(id)?;
        }
        if let Some(mut stream) = self.stream.take() {
            while let Some(id) = stream.next().await {
                add(id)?;
            }
        }
        let lock = store.lock(&self.flow_id).await?;
        let records: HashMap<String, Managed> = store
            .load(&self.flow_id)
            .await?
            .into_iter()
            .map(|m| (m.crm_prospect_id.clone(), m))
            .collect();
        // Finished and removed prospects stay remembered while unlisted
        // (so that one who comes back to the list is not enrolled again),
        // and need no look-up: the sync has nothing in the flow for them.
        let mut unlisted: Vec<&String> = records
            .iter()
            .filter(|(id, m)| !seen.contains(*id) && in_flow(m.state))
            .map(|(id, _)| id)
            .collect();
        unlisted.sort();
        let everyone: Vec<String> = listed.iter().chain(unlisted).cloned().collect();

        let client = &self.client;
        let mut stats = JobStats::default();
        let found = look_up(
            client.prospects_flows().crm_prospect_ids(everyone),
            &mut stats,
        )
        .await?;
        let open: HashMap<String, FlowInstance> = found
            .into_iter()
            .filter(|i| i.flow_id.as_deref() == Some(&self.flow_id) && is_open(i.status.as_ref()))
            .filter_map(|i| Some((i.crm_prospect_id.clone()?, i)))
            .collect();
        // Listed members of the sync no longer open in the flow: finished,
        // or removed outside it? Only a look-up by instance id tells.
        let gone: Vec<String> = listed
            .iter()
            .filter_map(|id| records.get(id))
            .filter(|m| matches!(m.state, ManagedState::Member | ManagedState::Unassigning))
            .filter_map(|m| m.flow_instance_id.clone().map(|own| (m, own)))
            .filter(|(m, own)| {
                open.get(&m.crm_prospect_id)
                    .and_then(|i| i.flow_instance_id.as_deref())
                    != Some(own.as_str())
            })
            .map(|(_, own)| own)
            .collect();
        let finished: HashSet<String> = if gone.is_empty() {
            HashSet::new()
        } else {
            look_up(client.prospects_flows().flow_instance_ids(gone), &mut stats)
                .await?
                .into_iter()
                .filter(|i| !is_open(i.status.as_ref()))
                .filter_map(|i| i.flow_instance_id)
                .collect()
        };

        let mut plan = Sorting {
            options: &self,
            records: &records,
            open: &open,
            finished: &finished,
            settled: Vec::new(),
            to_assign: Vec::new(),
            to_unassign: Vec::new(),
            unchanged: Vec::new(),
            adopt: Vec::new(),
            left_alone: Vec::new(),
            forget: Vec::new(),
        };
        for id in &listed {
            plan.listed(id);
        }
        for (id, record) in &records {
            if !seen.contains(id) && in_flow(record.state) {
                plan.unlisted(record);
            }
        }
        plan.forget
            .sort_by(|a, b| a.crm_prospect_id.cmp(&b.crm_prospect_id));
        plan.to_unassign
            .sort_by(|a, b| a.crm_prospect_id.cmp(&b.crm_prospect_id));

        let (mut calls_at_least, mut calls) = (0, 0);
        if !plan.to_assign.is_empty() {
            let p = client
                .assign(&self.flow_id, &self.owner_email)
                .prospects(plan.to_assign.clone())
                .plan()?;
            calls_at_least += p.calls_at_least;
            calls += p.calls;
        }
        if !plan.to_unassign.is_empty() {
            let p = client
                .unassign_instances(plan.to_unassign.iter().map(|r| &r.flow_instance_id))
                .plan()?;
            calls_at_least += p.calls_at_least;
            calls += p.calls;
        }
        let managed = records.values().filter(|m| in_flow(m.state)).count();
        let limit = self.max_removals.unwrap_or_default().of(managed);
        let removals = plan.to_unassign.len();
        let empty_list = listed.is_empty() && managed > 0;
        let refusal =
            (removals > limit || (empty_list && self.max_removals.is_none())).then(|| {
                Error::SyncGuard {
                    flow_id: self.flow_id.clone(),
                    removals,
                    managed,
                    limit,
                    empty_list,
                }
            });
        let budget = client.pacer().budget().await.ok().flatten();
        let settled = std::mem::take(&mut plan.settled);
        let refused = refusal.is_some();
        Ok(SyncPlan {
            flow_id: self.flow_id.clone(),
            owner_email: self.owner_email.clone(),
            managed,
            listed: listed.len(),
            duplicates,
            to_assign: plan.to_assign,
            to_unassign: plan.to_unassign,
            unchanged: plan.unchanged,
            adopt: plan.adopt,
            left_alone: plan.left_alone,
            forget: plan.forget,
            reads_made: stats.requests,
            calls_at_least,
            calls,
            max_removals: limit,
            refusal,
            quota_left: budget.as_ref().map(|b| b.left),
            daily_limit: budget.as_ref().map(|b| b.limit),
            run: Some(PlanRun {
                client: self.client.clone(),
                store,
                lock,
                settled,
                records,
                stats,
                limit: refused.not().then_some(limit),
                adopt: self.adopt,
            }),
        })
    }
}

/// Whether the sync has (or may have) an instance in the flow for a
/// prospect in this state.
fn in_flow(state: ManagedState) -> bool {
    matches!(
        state,
        ManagedState::Member | ManagedState::Assigning | ManagedState::Unassigning
    )
}

/// Whether `instance` was created since `record` was written (less the
/// clocks' skew): only then can an `assigning` record's call have made it.
/// An unknown time counts as since.
fn created_since(instance: &FlowInstance, record: &Managed, skew: std::time::Duration) -> bool {
    let created = instance.created.as_ref().and_then(|t| t.parsed());
    let written = chrono::DateTime::parse_from_rfc3339(&record.updated_at).ok();
    match (created, written) {
        (Some(created), Some(written)) => {
            let skew = chrono::Duration::from_std(skew).unwrap_or_default();
            created >= written - skew
        }
        _ => true,
    }
}

/// Runs a look-up to its end: its instances, or the error that left ids
/// not looked up.
async fn look_up(lookup: crate::ProspectsFlows, stats: &mut JobStats) -> Result<Vec<FlowInstance>> {
    let report: ProspectsFlowsReport = lookup.send().await?;
    stats.absorb(report.stats.clone());
    if let Some(missed) = report.not_attempted.first() {
        return Err((*missed.error).clone());
    }
    Ok(report.instances)
}

/// The plan being made: each prospect into its bucket.
struct Sorting<'a> {
    options: &'a SyncFlow,
    records: &'a HashMap<String, Managed>,
    open: &'a HashMap<String, FlowInstance>,
    finished: &'a HashSet<String>,
    settled: Vec<Change>,
    to_assign: Vec<String>,
    to_unassign: Vec<Removal>,
    unchanged: Vec<String>,
    adopt: Vec<String>,
    left_alone: Vec<LeftAlone>,
    forget: Vec<Forgotten>,
}

impl Sorting<'_> {
    fn put(&mut self, id: &str, state: ManagedState, instance: Option<&str>, adopted: bool) {
        let mut record = Managed::new(id, state);
        record.flow_instance_id = instance.map(str::to_owned);
        record.adopted = adopted;
        self.settled.push(Change::Put(record));
    }

    fn leave(&mut self, id: &str, reason: LeftAloneReason, instance: Option<&str>) {
        self.left_alone.push(LeftAlone {
            crm_prospect_id: id.to_owned(),
            reason,
            flow_instance_id: instance.map(str::to_owned),
        });
    }

    fn listed(&mut self, id: &str) {
        let record = self.records.get(id);
        let open = self
            .open
            .get(id)
            .and_then(|i| i.flow_instance_id.as_deref());
        let skew = self.options.client.inner.clock_skew;
        let ours = |record: &Managed, instance: &str| {
            record.flow_instance_id.as_deref() == Some(instance)
                || (record.state == ManagedState::Assigning
                    && self
                        .open
                        .get(id)
                        .is_some_and(|i| created_since(i, record, skew)))
        };
        match (record, open) {
            (Some(record), Some(instance)) if ours(record, instance) => {
                if record.state != ManagedState::Member {
                    self.put(id, ManagedState::Member, Some(instance), record.adopted);
                }
                self.unchanged.push(id.to_owned());
            }
            // In the flow, but not by the sync's doing (or a new instance
            // after the sync's one ended).
            (record, Some(instance)) => {
                if self.options.adopt {
                    self.put(id, ManagedState::Member, Some(instance), true);
                    self.adopt.push(id.to_owned());
                } else {
                    if record.is_some_and(|r| r.state == ManagedState::Member) {
                        // Its own instance has gone: a finished one stays
                        // known as finished, else the record goes.
                        match record.and_then(|r| r.flow_instance_id.as_deref()) {
                            Some(own) if self.finished.contains(own) => {
                                self.put(id, ManagedState::Finished, Some(own), false);
                            }
                            _ => self.settled.push(Change::Remove(id.to_owned())),
                        }
                    }
                    self.leave(id, LeftAloneReason::NotManaged, Some(instance));
                }
            }
            (Some(record), None) => {
                let own = record.flow_instance_id.as_deref();
                let finished = own.is_some_and(|i| self.finished.contains(i));
                let state = match record.state {
                    ManagedState::Member | ManagedState::Unassigning if finished => {
                        ManagedState::Finished
                    }
                    ManagedState::Member => ManagedState::Removed,
                    other => other,
                };
                let (again, reason) = match state {
                    ManagedState::Finished => {
                        (self.options.re_enroll_finished, LeftAloneReason::Finished)
                    }
                    ManagedState::Removed => (
                        self.options.restore_removed,
                        LeftAloneReason::RemovedOutside,
                    ),
                    // An earlier write that never took effect, or a removal
                    // of a prospect listed again: assign.
                    _ => (true, LeftAloneReason::NotManaged),
                };
                if again {
                    self.to_assign.push(id.to_owned());
                } else {
                    if state != record.state {
                        self.put(id, state, own, record.adopted);
                    }
                    self.leave(id, reason, None);
                }
            }
            (None, None) => self.to_assign.push(id.to_owned()),
        }
    }

    fn unlisted(&mut self, record: &Managed) {
        let id = record.crm_prospect_id.as_str();
        let found = self.open.get(id);
        let open = found.and_then(|i| i.flow_instance_id.as_deref());
        let skew = self.options.client.inner.clock_skew;
        match open {
            Some(instance)
                if record.flow_instance_id.as_deref() == Some(instance)
                    || (record.state == ManagedState::Assigning
                        && found.is_some_and(|i| created_since(i, record, skew))) =>
            {
                self.to_unassign.push(Removal {
                    crm_prospect_id: id.to_owned(),
                    flow_instance_id: instance.to_owned(),
                });
            }
            _ => {
                self.settled.push(Change::Remove(id.to_owned()));
                self.forget.push(Forgotten {
                    crm_prospect_id: id.to_owned(),
                    was: record.state,
                });
            }
        }
    }
}

impl SyncPlan {
    /// Applies the plan and reports on every prospect.
    ///
    /// # Errors
    ///
    /// - [`JobError::Invalid`](crate::JobError::Invalid): the plan's
    ///   [`refusal`](SyncPlan::refusal) ([`Error::SyncGuard`]), before
    ///   anything is written or sent.
    /// - [`JobError::Stopped`](crate::JobError::Stopped): the sync stopped
    ///   on an error and left writes undone (or its store failed, or its
    ///   lock was lost); the error carries the partial report. The next
    ///   sync settles what it left.
    ///
    /// Refusals by Gong are in the `Ok` report. To get the report either
    /// way, use [`apply_report`](Self::apply_report).
    pub async fn apply(self) -> std::result::Result<SyncReport, crate::JobError<SyncReport>> {
        self.apply_report().await?.check()
    }

    /// Applies the plan like [`apply`](Self::apply), and returns its report
    /// whether or not the sync stopped (its `stats.stopped` says why; its
    /// [`check`](SyncReport::check) makes the same `Err` as `apply`).
    ///
    /// # Errors
    ///
    /// Only the plan's [`refusal`](SyncPlan::refusal), before anything is
    /// written or sent.
    pub async fn apply_report(self) -> Result<SyncReport> {
        let (_, report) = self.start()?;
        Ok(report.report().await)
    }

    /// Starts the apply: its [`JobHandle`] (progress over the writes,
    /// cancel, abort) and its [`JobFuture`](crate::JobFuture), which yields
    /// what [`apply`](Self::apply) does (its
    /// [`report()`](crate::JobFuture::report): the report either way).
    /// Refuses like [`apply`](Self::apply).
    pub fn start(mut self) -> Result<(JobHandle, crate::JobFuture<SyncReport>)> {
        if let Some(refusal) = self.refusal.take() {
            return Err(refusal);
        }
        let run = self.run.take().ok_or_else(|| Error::Config {
            setting: "sync plan".into(),
            reason: "was already applied".into(),
        })?;
        // The plan's fields are the caller's to read: what is sent is
        // checked again against what the plan itself decided.
        let removals_ok = run
            .limit
            .is_some_and(|limit| self.to_unassign.len() <= limit)
            && self.to_unassign.iter().all(|r| {
                run.records
                    .get(&r.crm_prospect_id)
                    .is_some_and(|m| in_flow(m.state))
            });
        if !removals_ok {
            return Err(Error::Config {
                setting: "sync plan".into(),
                reason: "its removals were changed after it was made".into(),
            });
        }
        let control = Control::new(Some(self.to_assign.len() + self.to_unassign.len()));
        let handle = JobHandle::new(control.clone());
        Ok((handle, crate::JobFuture::new(apply(self, run, control))))
    }
}

/// The prospect of a not-attempted entry, by CRM id.
fn not_attempted(id: &str, entry: &NotAttempted) -> NotAttempted {
    NotAttempted {
        id: ItemId::CrmProspectId(id.to_owned()),
        error: entry.error.clone(),
        may_have_been_sent: entry.may_have_been_sent,
    }
}

/// The state of one step: the store, the lock, and the control to stop on
/// a store failure.
struct Steps {
    store: Arc<dyn SyncStore>,
    lock: super::store::SyncLock,
    control: Control,
    flow_id: String,
}

impl Steps {
    /// Records `changes`, in one transaction; a failure (or a lost lock)
    /// stops the sync: nothing more is sent, and what is in flight is
    /// settled by the next run's look-ups.
    async fn record(&self, changes: Vec<Change>) -> bool {
        if changes.is_empty() {
            return self.control.get().is_none();
        }
        if self.lock.is_lost() {
            self.control.set(Arc::new(Error::SyncLocked {
                flow_id: self.flow_id.clone(),
                holder: None,
            }));
            return false;
        }
        match self.store.apply(&self.flow_id, changes).await {
            Ok(()) => self.control.get().is_none(),
            Err(error) => {
                self.control.set(Arc::new(error));
                false
            }
        }
    }
}

/// A step's parts, or none when it could not start (its error stops the
/// sync).
fn started<R>(parts: Result<crate::Parts<R>>, control: &Control) -> Option<crate::Parts<R>> {
    parts.map_err(|error| control.set(Arc::new(error))).ok()
}

async fn next<R>(parts: &mut Option<crate::Parts<R>>) -> Option<crate::Part<R>> {
    match parts {
        Some(parts) => parts.next().await,
        None => None,
    }
}

async fn apply(plan: SyncPlan, run: PlanRun, control: Control) -> SyncReport {
    let PlanRun {
        client,
        store,
        lock,
        settled,
        records,
        stats,
        adopt,
        ..
    } = run;
    let flow_id = plan.flow_id.clone();
    let mut report = SyncReport {
        flow_id: plan.flow_id.clone(),
        owner_email: plan.owner_email.clone(),
        unchanged: plan.unchanged,
        adopted: plan.adopt,
        left_alone: plan.left_alone,
        forgotten: plan.forget,
        stats,
        ..SyncReport::default()
    };
    report.stats.duplicates = plan.duplicates;
    let steps = Steps {
        store,
        lock,
        control: control.clone(),
        flow_id: flow_id.clone(),
    };
    let record = |id: &str, state: ManagedState, instance: Option<&str>, result: Option<String>| {
        let earlier = records.get(id);
        let mut managed = Managed::new(id, state);
        managed.flow_instance_id = instance
            .map(str::to_owned)
            .or_else(|| earlier.and_then(|m| m.flow_instance_id.clone()));
        managed.adopted = earlier.is_some_and(|m| m.adopted);
        managed.last_result = result;
        Change::Put(managed)
    };
    // What the record was before the write-ahead, for a write that did not
    // happen: gone if there was none.
    let restore = |id: &str| match records.get(id) {
        Some(earlier) => Change::Put(earlier.clone()),
        None => Change::Remove(id.to_owned()),
    };
    steps.record(settled).await;
    if control.get().is_none()
        && plan.calls > 0
        && client.inner.over_quota == crate::pacing::OverQuota::Refuse
    {
        let needed = plan.calls;
        crate::job::hold_quota(client.pacer().clone(), control.clone(), needed).await;
    }

    // Removals first: a prospect who left the segment should stop
    // hearing from the flow even if the day's quota runs out.
    if !plan.to_unassign.is_empty() {
        let crm: HashMap<&str, &str> = plan
            .to_unassign
            .iter()
            .map(|r| (r.flow_instance_id.as_str(), r.crm_prospect_id.as_str()))
            .collect();
        let ahead = plan
            .to_unassign
            .iter()
            .map(|r| {
                record(
                    &r.crm_prospect_id,
                    ManagedState::Unassigning,
                    Some(&r.flow_instance_id),
                    None,
                )
            })
            .collect();
        if control.get().is_none() {
            steps.record(ahead).await;
        }
        let builder = client.unassign_instances(crm.keys());
        let mut parts = started(crate::job::parts_under(builder, &control), &control);
        if parts.is_none() {
            let error = control.get().unwrap_or_else(|| Arc::new(Error::Cancelled));
            for removal in &plan.to_unassign {
                report.not_attempted.push(NotAttempted {
                    id: ItemId::CrmProspectId(removal.crm_prospect_id.clone()),
                    error: error.clone(),
                    may_have_been_sent: false,
                });
            }
        }
        while let Some(part) = next(&mut parts).await {
            let part = part.report;
            let mut changes = Vec::new();
            for done in part.unassigned {
                let id = crm.get(done.id.as_str()).copied().unwrap_or_default();
                changes.push(Change::Remove(id.to_owned()));
                report.unassigned.push(Removal {
                    crm_prospect_id: id.to_owned(),
                    flow_instance_id: done.id.into_string(),
                });
            }
            for refused in part.not_unassigned {
                let id = crm.get(refused.id.as_str()).copied().unwrap_or_default();
                if names_unknown_instance(&refused.error_message) {
                    // Gone already, by someone else's doing.
                    changes.push(Change::Remove(id.to_owned()));
                    report.forgotten.push(Forgotten {
                        crm_prospect_id: id.to_owned(),
                        was: ManagedState::Member,
                    });
                } else {
                    let message = refused.error_message.clone();
                    let own = Some(refused.id.as_str());
                    changes.push(record(id, ManagedState::Member, own, Some(message)));
                    report.not_unassigned.push(NotRemoved {
                        crm_prospect_id: id.to_owned(),
                        flow_instance_id: refused.id.into_string(),
                        error_message: refused.error_message,
                    });
                }
            }
            for left in &part.not_attempted {
                let id = crm.get(left.id.as_str()).copied().unwrap_or_default();
                if !left.may_have_been_sent {
                    let own = Some(left.id.as_str());
                    changes.push(record(id, ManagedState::Member, own, None));
                }
                report.not_attempted.push(not_attempted(id, left));
            }
            report.stats.absorb(part.stats);
            steps.record(changes).await;
        }
    }

    if !plan.to_assign.is_empty() {
        let ahead = plan
            .to_assign
            .iter()
            .map(|id| record(id, ManagedState::Assigning, None, None))
            .collect();
        if control.get().is_none() {
            steps.record(ahead).await;
        }
        let builder = client
            .assign(&flow_id, &plan.owner_email)
            .prospects(plan.to_assign.iter().cloned());
        let mut parts = started(crate::job::parts_under(builder, &control), &control);
        if parts.is_none() {
            let error = control.get().unwrap_or_else(|| Arc::new(Error::Cancelled));
            for id in &plan.to_assign {
                report.not_attempted.push(NotAttempted {
                    id: ItemId::CrmProspectId(id.clone()),
                    error: error.clone(),
                    may_have_been_sent: false,
                });
            }
        }
        while let Some(part) = next(&mut parts).await {
            let part = part.report;
            let mut changes = Vec::new();
            for done in part.assigned {
                changes.push(record(
                    &done.id,
                    ManagedState::Member,
                    done.flow_instance_id.as_deref(),
                    None,
                ));
                report.assigned.push(done);
            }
            for there in part.already_in_flow {
                // In the flow before this sync's call: someone else's doing
                // (a rep's, between the plan's look-up and the call).
                let id = there.id.into_string();
                if adopt {
                    let mut managed = Managed::new(&id, ManagedState::Member);
                    managed.flow_instance_id = there.flow_instance_id;
                    managed.adopted = true;
                    changes.push(Change::Put(managed));
                    report.adopted.push(id);
                } else {
                    changes.push(restore(&id));
                    report.left_alone.push(LeftAlone {
                        crm_prospect_id: id,
                        reason: LeftAloneReason::NotManaged,
                        flow_instance_id: there.flow_instance_id,
                    });
                }
            }
            for refused in part.not_assigned {
                changes.push(restore(&refused.id));
                report.not_assigned.push(refused);
            }
            for left in part.not_attempted {
                if !left.may_have_been_sent {
                    changes.push(restore(&left.id));
                }
                report.not_attempted.push(left);
            }
            report.stats.absorb(part.stats);
            steps.record(changes).await;
        }
    }
    control.finish();
    // A stop is the sync's even when every write was attempted: a state
    // that could not be recorded, or a lost lock, must not look like
    // success.
    if let Some(reason) = control.get() {
        report.stats.stopped = Some(reason);
    }
    let _ = steps.lock.release().await;
    report
}
