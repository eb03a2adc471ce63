//! Asynchronous bulk assignments: submit in chunks of 50, then poll each job
//! until Gong finishes it.

use crate::batch::{check_email, check_id};
use crate::call::{CallKind, InJob};
use crate::client::{ChunkSizes, Client};
use crate::error::{Error, Result};
use crate::job::{ApiResult, Built, Doubted, Found, IntoJob, Job, LookUp, Next, Tracked};
use crate::model::{BulkAssignmentStatus, BulkProspect, FlowAssignmentResultStatus, clean};
use crate::report::{BulkAssignReport, BulkJob, BulkNotAttempted, BulkPending, BulkResult};
use futures::future::BoxFuture;
use gong_flows_api::operation_ids;
use gong_flows_api::types as wire;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// How a bulk job's status is polled: the first wait, growing by half each
/// time up to `max_interval`, for at most `limit` in all. Gong documents no
/// cadence; the defaults (1 s growing to 15 s, 15 minutes in all) keep a
/// large job to a few dozen status calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    /// The first wait after submitting.
    pub first_interval: Duration,
    /// The longest wait between polls.
    pub max_interval: Duration,
    /// How long to wait for a job in all before reporting it unfinished.
    pub limit: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            first_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            limit: Duration::from_secs(15 * 60),
        }
    }
}

/// Assigns prospects to a flow through Gong's asynchronous bulk assignment:
/// prospects need not exist in the CRM yet. Made by [`Client::bulk_assign`].
///
/// Prospects go in chunks of up to 50 (Gong's limit); each chunk is one bulk
/// job, polled until `COMPLETED` or `FAILED` (the polls are the job's calls:
/// counted, paced and cancelled with it). A submit is retried only when Gong
/// surely did not process it (429, connection refused): after a 5xx or a
/// lost answer a repeat could start a second bulk job, so those prospects are
/// reported not attempted with an error whose
/// [`may_have_been_sent`](Error::may_have_been_sent) is `true`. A bulk job
/// still running when polling stops (the poll policy's limit, a failed poll,
/// a cancellation) leaves its prospects `pending`: poll them later with
/// [`resume`](Self::resume).
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// use gong_flows::BulkProspect;
///
/// let report = client
///     .bulk_assign("1695493301223590792", "owner@example.com")
///     .prospects([
///         BulkProspect::crm_id("0035g00000AbCdE"),
///         BulkProspect::new("Mike", "Smith").email("mike@example.com"),
///     ])
///     .send()
///     .await?;
/// println!("{} assigned, {} failed", report.assigned.len(), report.not_assigned.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct BulkAssign {
    client: Client,
    flow_id: String,
    owner_email: String,
    prospects: Vec<BulkProspect>,
    poll: PollPolicy,
}

/// Reads (and optionally waits for) one bulk assignment job. Made by
/// [`Client::bulk_assignment`].
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let job = client.bulk_assignment("3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b4c71").wait().await?;
/// println!("{:?}: {:?} of {:?}", job.status, job.success_count, job.total_count);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct BulkAssignment {
    client: Client,
    id: String,
    poll: PollPolicy,
}

impl Client {
    /// Assigns prospects to `flow_id` through bulk assignment jobs.
    pub fn bulk_assign(
        &self,
        flow_id: impl Into<String>,
        owner_email: impl Into<String>,
    ) -> BulkAssign {
        BulkAssign {
            client: self.clone(),
            flow_id: flow_id.into(),
            owner_email: owner_email.into(),
            prospects: Vec::new(),
            poll: PollPolicy::default(),
        }
    }

    /// A bulk assignment job, by the id its submit returned.
    pub fn bulk_assignment(&self, id: impl Into<String>) -> BulkAssignment {
        BulkAssignment {
            client: self.clone(),
            id: id.into(),
            poll: PollPolicy::default(),
        }
    }
}

fn job_from(
    body: wire::FlowProspectsBulkAssignmentResponse,
    request_id: Option<String>,
) -> BulkJob {
    BulkJob {
        id: clean(body.id).unwrap_or_default(),
        status: body.status,
        total_count: body.total_count,
        processed_count: body.processed_count,
        success_count: body.success_count,
        failed_count: body.failed_count,
        results: body
            .results
            .into_iter()
            .map(|r| BulkResult {
                prospect: r.prospect.map(BulkProspect::from),
                status: r.status,
                crm_prospect_id: clean(r.crm_id),
                flow_instance_id: clean(r.flow_instance_id),
                error_code: clean(r.error_code),
                error_message: clean(r.error_message),
            })
            .collect(),
        request_id,
    }
}

fn is_done(job: &BulkJob) -> bool {
    matches!(
        job.status,
        Some(BulkAssignmentStatus::Completed | BulkAssignmentStatus::Failed)
    )
}

/// One status call for a bulk job (within a job, counted in its part).
pub(crate) async fn poll_once(
    client: &Client,
    id: &str,
    job: Option<InJob<'_>>,
) -> Result<BulkJob> {
    let success = client
        .call(
            operation_ids::GET_FLOW_PROSPECTS_BULK_ASSIGNMENT,
            CallKind::Idempotent,
            job,
            |api| {
                let id = id.to_owned();
                async move { api.get_flow_prospects_bulk_assignment().id(id).send().await }
            },
        )
        .await
        .map_err(|f| f.error)?;
    Ok(job_from(success.value, success.request_id))
}

impl BulkAssignment {
    /// How to poll in [`wait`](Self::wait).
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.poll = policy;
        self
    }

    /// The job's current state: one call.
    pub async fn send(self) -> Result<BulkJob> {
        check_id("id", &self.id)?;
        poll_once(&self.client, &self.id, None).await
    }

    /// Polls until the job is `COMPLETED` or `FAILED`. A job still running
    /// at the poll policy's limit is returned as it stands.
    pub async fn wait(self) -> Result<BulkJob> {
        check_id("id", &self.id)?;
        let started = Instant::now();
        let mut interval = self.poll.first_interval;
        let mut job = poll_once(&self.client, &self.id, None).await?;
        while !is_done(&job) && started.elapsed() + interval <= self.poll.limit {
            tokio::time::sleep(interval).await;
            interval = self.poll.next(interval);
            job = poll_once(&self.client, &self.id, None).await?;
        }
        Ok(job)
    }
}

impl PollPolicy {
    /// The wait after `interval`: half as long again, up to the longest.
    fn next(&self, interval: Duration) -> Duration {
        interval.mul_f64(1.5).min(self.max_interval)
    }

    /// The most polls of one bulk job under this policy.
    ///
    /// ```
    /// # use gong_flows::PollPolicy;
    /// assert!(PollPolicy::default().max_polls() < 70);
    /// ```
    pub fn max_polls(&self) -> usize {
        if self.first_interval > self.limit {
            return 0;
        }
        let (mut at, mut interval, mut polls) = (self.first_interval, self.first_interval, 1);
        loop {
            interval = self.next(interval);
            if interval.is_zero() || at + interval > self.limit || polls >= 100_000 {
                return polls;
            }
            at += interval;
            polls += 1;
        }
    }
}

impl BulkAssign {
    /// Adds prospects.
    pub fn prospects<I>(mut self, prospects: I) -> Self
    where
        I: IntoIterator<Item = BulkProspect>,
    {
        self.prospects.extend(prospects);
        self
    }

    /// How each bulk job is polled.
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.poll = policy;
        self
    }

    /// Polls the bulk jobs of prospects a report left pending (see
    /// [`BulkPending`]) and sorts their prospects into buckets; nothing is
    /// submitted again. Runs like any job (`send`, `start`, …); merge its
    /// report into the earlier one with
    /// [`merge_run`](BulkAssignReport::merge_run).
    ///
    /// ```no_run
    /// # async fn demo(client: gong_flows::Client, mut report: gong_flows::BulkAssignReport) -> gong_flows::Result<()> {
    /// let pending = report.pending.clone();
    /// let run = client
    ///     .bulk_assign(&report.flow_id, &report.owner_email)
    ///     .resume(pending)
    ///     .send()
    ///     .await?;
    /// report.merge_run(run);
    /// println!("{report}");
    /// # Ok(()) }
    /// ```
    pub fn resume(self, pending: impl IntoIterator<Item = BulkPending>) -> BulkResume {
        BulkResume {
            assign: self,
            pending: pending.into_iter().collect(),
        }
    }
}

/// Polls bulk jobs left pending by an earlier report (and submits the
/// builder's own prospects, if it has any). Made by [`BulkAssign::resume`].
#[derive(Debug, Clone)]
#[must_use]
pub struct BulkResume {
    assign: BulkAssign,
    pending: Vec<BulkPending>,
}

impl IntoJob for BulkAssign {
    type Job = BulkAssignJob;

    fn into_job(self) -> Result<Built<Self>> {
        check_id("flow_id", &self.flow_id)?;
        check_email("owner_email", &self.owner_email)?;
        let size = self
            .client
            .inner
            .chunk_sizes
            .bulk()
            .min(ChunkSizes::MAX_BULK);
        let job = BulkAssignJob {
            client: self.client,
            flow_id: self.flow_id,
            owner_email: self.owner_email,
            poll: self.poll,
            size,
        };
        let items = self.prospects.into_iter().map(BulkItem::New).collect();
        Ok((Arc::new(job), items))
    }
}

impl IntoJob for BulkResume {
    type Job = BulkAssignJob;

    fn into_job(self) -> Result<Built<Self>> {
        let (job, mut items) = self.assign.into_job()?;
        items.extend(self.pending.into_iter().map(BulkItem::Pending));
        Ok((job, items))
    }
}

crate::job::job_methods!(BulkAssign, BulkProspect, BulkAssignReport);
crate::plan::plan_method!(BulkAssign);
crate::job::job_methods!(BulkResume, BulkPending, BulkAssignReport);
crate::plan::plan_method!(BulkResume);

/// A bulk assignment, as the job driver runs it: each chunk is one of
/// Gong's bulk jobs, submitted and polled (or, resumed, only polled).
#[derive(Debug)]
pub(crate) struct BulkAssignJob {
    client: Client,
    flow_id: String,
    owner_email: String,
    poll: PollPolicy,
    size: usize,
}

/// One input of a bulk assignment: a prospect to submit, or one whose bulk
/// job an earlier run left pending.
#[derive(Debug, Clone)]
pub(crate) enum BulkItem {
    New(BulkProspect),
    Pending(BulkPending),
}

impl From<BulkProspect> for BulkItem {
    fn from(prospect: BulkProspect) -> Self {
        BulkItem::New(prospect)
    }
}

impl From<BulkPending> for BulkItem {
    fn from(pending: BulkPending) -> Self {
        BulkItem::Pending(pending)
    }
}

impl BulkItem {
    fn prospect(&self) -> &BulkProspect {
        match self {
            BulkItem::New(prospect) | BulkItem::Pending(BulkPending { prospect, .. }) => prospect,
        }
    }

    pub(crate) fn into_prospect(self) -> BulkProspect {
        match self {
            BulkItem::New(prospect) | BulkItem::Pending(BulkPending { prospect, .. }) => prospect,
        }
    }
}

/// A bulk job Gong accepted and has not finished: polled until it does, or
/// until the poll policy's limit.
pub(crate) struct Polling {
    job: Arc<BulkJob>,
    since: Instant,
    interval: Duration,
}

impl Job for BulkAssignJob {
    type Item = BulkItem;
    type Answer = wire::FlowProspectsBulkAssignmentResponse;
    type Report = BulkAssignReport;
    type Doubt = Polling;

    fn client(&self) -> &Client {
        &self.client
    }

    fn operation(&self, _: &[Tracked<BulkItem>]) -> &'static str {
        operation_ids::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT
    }

    fn call_kind(&self) -> CallKind {
        CallKind::NotIdempotent
    }

    fn check(&self, item: &BulkItem) -> Result<()> {
        let p = item.prospect();
        if let BulkItem::Pending(pending) = item {
            check_id("job_id", &pending.job_id)?;
        }
        match &p.crm_id {
            Some(id) => check_id("crm_id", id)?,
            None => {
                let named = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
                if !named(&p.first_name) || !named(&p.last_name) {
                    return Err(Error::invalid(
                        "prospects",
                        p.key(),
                        "needs a CRM id, or a first and a last name",
                    ));
                }
            }
        }
        if let Some(email) = &p.email {
            check_email("email", email)?;
        }
        if let Some(id) = &p.account_crm_id {
            check_id("account_crm_id", id)?;
        }
        Ok(())
    }

    fn key(item: &BulkItem) -> Cow<'_, str> {
        Cow::Owned(item.prospect().key())
    }

    fn chunk_size(&self) -> usize {
        self.size
    }

    /// A submit, unless every prospect's bulk job was already submitted,
    /// then polls of each bulk job until it finishes, at most as many as
    /// the poll policy allows.
    fn chunk_calls(&self, chunk: &[BulkItem]) -> (usize, Option<usize>) {
        let submit = usize::from(chunk.iter().any(|i| matches!(i, BulkItem::New(_))));
        let mut jobs: Vec<&str> = chunk
            .iter()
            .filter_map(|i| match i {
                BulkItem::Pending(p) => Some(p.job_id.as_str()),
                BulkItem::New(_) => None,
            })
            .collect();
        jobs.sort_unstable();
        jobs.dedup();
        let polled = jobs.len() + submit;
        (
            submit + jobs.len(),
            Some(submit + polled * self.poll.max_polls()),
        )
    }

    fn report(&self) -> BulkAssignReport {
        BulkAssignReport {
            flow_id: self.flow_id.clone(),
            owner_email: self.owner_email.clone(),
            ..BulkAssignReport::default()
        }
    }

    /// A prospect whose bulk job was pending stays pending: it was
    /// submitted, and must not be submitted again.
    fn not_attempted(
        &self,
        part: &mut BulkAssignReport,
        item: BulkItem,
        error: &Arc<Error>,
        sent: bool,
    ) {
        match item {
            BulkItem::New(prospect) => part.not_attempted.push(BulkNotAttempted {
                prospect,
                error: error.clone(),
                may_have_been_sent: sent,
            }),
            BulkItem::Pending(pending) => part.pending.push(pending),
        }
    }

    fn begin(&self, items: Vec<Tracked<BulkItem>>) -> Next<Self> {
        let (pending, new): (Vec<_>, Vec<_>) = items
            .into_iter()
            .partition(|t| matches!(t.item, BulkItem::Pending(_)));
        let mut jobs: HashMap<String, Arc<BulkJob>> = HashMap::new();
        let doubts = pending
            .into_iter()
            .map(|t| {
                let id = match &t.item {
                    BulkItem::Pending(p) => p.job_id.clone(),
                    BulkItem::New(_) => String::new(),
                };
                let job = jobs
                    .entry(id.clone())
                    .or_insert_with(|| Arc::new(BulkJob::with_id(id)))
                    .clone();
                let polling = Polling {
                    job,
                    since: Instant::now(),
                    interval: self.poll.first_interval,
                };
                (t, polling)
            })
            .collect();
        Next { send: new, doubts }
    }

    fn request(
        &self,
        api: Arc<gong_flows_api::Client>,
        items: &[Tracked<BulkItem>],
    ) -> BoxFuture<'static, ApiResult<wire::FlowProspectsBulkAssignmentResponse>> {
        let body = wire::FlowProspectsBulkAssignmentRequest {
            flow_id: self.flow_id.clone(),
            flow_instance_owner_email: self.owner_email.clone(),
            prospects: items
                .iter()
                .map(|t| t.item.prospect().clone().into())
                .collect(),
        };
        Box::pin(async move {
            api.submit_flow_prospects_bulk_assignment()
                .body(body)
                .send()
                .await
        })
    }

    fn sort(
        &self,
        items: Vec<Tracked<BulkItem>>,
        answer: wire::FlowProspectsBulkAssignmentResponse,
        part: &mut BulkAssignReport,
    ) -> Vec<Doubted<Self>> {
        let request_id = answer.request_id.clone();
        let job = job_from(answer, request_id);
        let items: Vec<_> = items
            .into_iter()
            .map(|t| {
                let item = BulkItem::Pending(BulkPending {
                    job_id: job.id.clone(),
                    prospect: t.item.into_prospect(),
                });
                Tracked { item, ..t }
            })
            .collect();
        if is_done(&job) || self.poll.first_interval > self.poll.limit {
            let done = is_done(&job);
            sort_results(part, items.into_iter().map(|t| t.item), job, done);
            return Vec::new();
        }
        let job = Arc::new(job);
        items
            .into_iter()
            .map(|t| {
                let polling = Polling {
                    job: job.clone(),
                    since: Instant::now(),
                    interval: self.poll.first_interval,
                };
                (t, polling)
            })
            .collect()
    }

    fn refuse(&self, part: &mut BulkAssignReport, items: Vec<BulkItem>, message: &str) {
        let error = Arc::new(Error::Reported {
            message: message.to_owned(),
        });
        for item in items {
            self.not_attempted(part, item, &error, false);
        }
    }

    fn wait(&self, doubts: &[Doubted<Self>]) -> Duration {
        doubts.first().map_or(Duration::ZERO, |(_, p)| p.interval)
    }

    fn look_up(&self, doubts: &[Doubted<Self>]) -> LookUp {
        let id = doubts.first().map(|(_, p)| p.job.id.clone());
        tracing::debug!(job = ?id, "polling a bulk assignment");
        LookUp::BulkJob(id.unwrap_or_default())
    }

    fn settle(
        &self,
        doubts: Vec<Doubted<Self>>,
        found: Found,
        part: &mut BulkAssignReport,
    ) -> Next<Self> {
        let asked = doubts
            .first()
            .map(|(_, p)| p.job.id.clone())
            .unwrap_or_default();
        let Found::BulkJob(mut job) = found else {
            return Next::look_up(doubts);
        };
        if job.id.is_empty() {
            job.id = asked.clone();
        }
        // The polled job's prospects; the others' jobs are polled next.
        let (this, others): (Vec<_>, Vec<_>) =
            doubts.into_iter().partition(|(_, p)| p.job.id == asked);
        let mut again = others;
        if let Some((_, polling)) = this.first() {
            let interval = self.poll.next(polling.interval);
            let over = polling.since.elapsed() + interval > self.poll.limit;
            if is_done(&job) || over {
                let done = is_done(&job);
                sort_results(part, this.into_iter().map(|(t, _)| t.item), job, done);
            } else {
                let job = Arc::new(job);
                let since = polling.since;
                again.extend(this.into_iter().map(|(t, _)| {
                    let polling = Polling {
                        job: job.clone(),
                        since,
                        interval,
                    };
                    (t, polling)
                }));
            }
        }
        Next::look_up(again)
    }

    /// Polling stopped (a failed poll, a cancellation): the bulk jobs were
    /// accepted and may yet assign their prospects: poll them later.
    fn give_up(&self, part: &mut BulkAssignReport, doubts: Vec<Doubted<Self>>, _: &Arc<Error>) {
        let mut seen = std::collections::HashSet::new();
        for (item, polling) in doubts {
            if seen.insert(polling.job.id.clone()) {
                part.jobs.push((*polling.job).clone());
            }
            let prospect = item.item.into_prospect();
            part.pending.push(BulkPending {
                job_id: polling.job.id.clone(),
                prospect,
            });
        }
    }
}

/// Puts a bulk job's prospects in their buckets: by Gong's per-prospect
/// results (matched by key) when the job is done, else pending.
fn sort_results(
    part: &mut BulkAssignReport,
    items: impl Iterator<Item = BulkItem>,
    job: BulkJob,
    done: bool,
) {
    if !done {
        part.pending.extend(items.map(|item| BulkPending {
            job_id: job.id.clone(),
            prospect: item.into_prospect(),
        }));
        part.jobs.push(job);
        return;
    }
    let mut results: HashMap<String, BulkResult> = HashMap::new();
    for result in &job.results {
        let key = match (&result.prospect, &result.crm_prospect_id) {
            (Some(p), _) => p.key(),
            (None, Some(id)) => BulkProspect::crm_id(id.clone()).key(),
            (None, None) => continue,
        };
        results.entry(key).or_insert_with(|| result.clone());
    }
    for item in items {
        let prospect = item.into_prospect();
        match results.remove(&prospect.key()) {
            Some(result) if result.status == Some(FlowAssignmentResultStatus::Assigned) => {
                part.assigned.push(result)
            }
            Some(result) => part.not_assigned.push(result),
            None => part.not_assigned.push(BulkResult {
                prospect: Some(prospect),
                status: None,
                crm_prospect_id: None,
                flow_instance_id: None,
                error_code: None,
                error_message: Some(format!(
                    "bulk job {} ended {} without a result for this prospect",
                    job.id,
                    job.status.as_ref().map(|s| s.as_str()).unwrap_or("?")
                )),
            }),
        }
    }
    part.jobs.push(job);
}
