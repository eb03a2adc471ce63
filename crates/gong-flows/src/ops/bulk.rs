//! Asynchronous bulk assignments: submit in chunks of 50, then poll each job
//! until Gong finishes it.

use super::bulk_job::{BulkAssignJob, BulkItem};
use crate::batch::{check_email, check_id};
use crate::call::{CallKind, InJob};
use crate::client::{ChunkSizes, Client};
use crate::error::Result;
use crate::job::{Built, IntoJob};
use crate::model::{BulkAssignmentStatus, BulkProspect, clean};
use crate::report::{BulkAssignReport, BulkJob, BulkPending, BulkResult};
use gong_flows_api::operation_ids;
use gong_flows_api::types as wire;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// How a bulk job's status is polled: the first wait, growing by half each
/// time up to `max_interval`, for at most `limit` in all. Gong documents no
/// cadence; the defaults (1 s growing to 15 s, 15 minutes in all) keep a
/// large job to a few dozen status calls.
///
/// ```
/// use gong_flows::PollPolicy;
/// use std::time::Duration;
///
/// // Poll a little more often, and give up sooner, than the default.
/// let poll = PollPolicy {
///     first_interval: Duration::from_millis(500),
///     max_interval: Duration::from_secs(5),
///     limit: Duration::from_secs(120),
/// };
/// assert!(poll.limit < PollPolicy::default().limit);
/// ```
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
/// [`may_have_been_sent`](crate::Error::may_have_been_sent) is `true`. A bulk job
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

pub(crate) fn job_from(
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

pub(crate) fn is_done(job: &BulkJob) -> bool {
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
    pub(crate) fn next(&self, interval: Duration) -> Duration {
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
