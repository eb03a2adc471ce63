//! Asynchronous bulk assignments: submit in chunks of 50, then poll each job
//! until Gong finishes it.

use crate::batch::{check_email, check_id};
use crate::call::CallKind;
use crate::client::{BatchSizes, Client};
use crate::control::ChunkCtx;
use crate::error::{Error, Result};
use crate::job::Operation;
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
/// Prospects go in chunks of up to 50 (Gong's limit); each chunk is one job,
/// polled until `COMPLETED` or `FAILED`. A submit is retried only when Gong
/// surely did not process it (429, connection refused): after a 5xx or a lost
/// answer a repeat could start a second job, so those prospects are reported
/// not attempted with an error whose
/// [`may_have_been_sent`](Error::may_have_been_sent) is `true`.
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

/// Polls until the job is done; returns the last state and whether it is done.
async fn poll(
    client: &Client,
    mut job: BulkJob,
    policy: PollPolicy,
    requests: &mut u32,
    request_ids: &mut Vec<String>,
) -> std::result::Result<(BulkJob, bool), Error> {
    let started = Instant::now();
    let mut interval = policy.first_interval;
    while !is_done(&job) {
        if started.elapsed() + interval > policy.limit {
            return Ok((job, false));
        }
        tracing::debug!(job = %job.id, wait_ms = %interval.as_millis(), "waiting for bulk assignment");
        tokio::time::sleep(interval).await;
        interval = interval.mul_f64(1.5).min(policy.max_interval);
        let id = job.id.clone();
        let result = client
            .call(
                operation_ids::GET_FLOW_PROSPECTS_BULK_ASSIGNMENT,
                CallKind::Idempotent,
                None,
                |api| {
                    let id = id.clone();
                    async move { api.get_flow_prospects_bulk_assignment().id(id).send().await }
                },
            )
            .await;
        match result {
            Ok(success) => {
                *requests += success.attempts;
                request_ids.extend(success.request_ids);
                job = job_from(success.value, success.request_id);
            }
            Err(failure) => {
                *requests += failure.attempts;
                request_ids.extend(failure.request_ids);
                return Err(failure.error);
            }
        }
    }
    Ok((job, true))
}

impl BulkAssignment {
    /// How to poll in [`wait`](Self::wait).
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.poll = policy;
        self
    }

    /// The job's current state.
    pub async fn send(self) -> Result<BulkJob> {
        check_id("id", &self.id)?;
        let id = self.id.clone();
        let success = self
            .client
            .call(
                operation_ids::GET_FLOW_PROSPECTS_BULK_ASSIGNMENT,
                CallKind::Idempotent,
                None,
                |api| {
                    let id = id.clone();
                    async move { api.get_flow_prospects_bulk_assignment().id(id).send().await }
                },
            )
            .await
            .map_err(|f| f.error)?;
        Ok(job_from(success.value, success.request_id))
    }

    /// Polls until the job is `COMPLETED` or `FAILED`. A job still running
    /// at the poll policy's limit is returned as it stands.
    pub async fn wait(self) -> Result<BulkJob> {
        let (client, policy) = (self.client.clone(), self.poll);
        let job = self.send().await?;
        let (mut requests, mut ids) = (0, Vec::new());
        poll(&client, job, policy, &mut requests, &mut ids)
            .await
            .map(|(job, _)| job)
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

    /// How each job is polled.
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.poll = policy;
        self
    }

    fn into_job(self) -> Result<(Arc<BulkOp>, Vec<BulkProspect>, usize)> {
        check_id("flow_id", &self.flow_id)?;
        check_email("owner_email", &self.owner_email)?;
        let concurrency = self.client.inner.concurrency;
        let size = self
            .client
            .inner
            .batch_sizes
            .bulk()
            .min(BatchSizes::MAX_BULK);
        let op = BulkOp {
            client: self.client,
            flow_id: self.flow_id,
            owner_email: self.owner_email,
            poll: self.poll,
            size,
        };
        Ok((Arc::new(op), self.prospects, concurrency))
    }
}

job_methods!(BulkAssign, BulkProspect, BulkAssignReport);

/// A bulk assignment, as the job driver runs it: each chunk is one of
/// Gong's jobs, submitted and polled.
#[derive(Debug)]
pub(crate) struct BulkOp {
    client: Client,
    flow_id: String,
    owner_email: String,
    poll: PollPolicy,
    size: usize,
}

impl Operation for BulkOp {
    type Item = BulkProspect;
    type Report = BulkAssignReport;

    fn check(&self, p: &BulkProspect) -> Result<()> {
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

    fn key(p: &BulkProspect) -> Cow<'_, str> {
        Cow::Owned(p.key())
    }

    fn chunk_size(&self) -> usize {
        self.size
    }

    fn report(&self) -> BulkAssignReport {
        BulkAssignReport {
            flow_id: self.flow_id.clone(),
            owner_email: self.owner_email.clone(),
            ..BulkAssignReport::default()
        }
    }

    fn not_attempted(
        &self,
        prospects: Vec<BulkProspect>,
        error: &Arc<Error>,
        may_have_been_sent: bool,
    ) -> BulkAssignReport {
        let mut out = self.report();
        not_attempted(&mut out, prospects, error, may_have_been_sent);
        out
    }

    fn run(
        self: Arc<Self>,
        chunk: Vec<BulkProspect>,
        ctx: ChunkCtx,
    ) -> BoxFuture<'static, BulkAssignReport> {
        Box::pin(async move { self.chunk(chunk, ctx).await })
    }
}

impl BulkOp {
    async fn chunk(&self, chunk: Vec<BulkProspect>, ctx: ChunkCtx) -> BulkAssignReport {
        let mut part = self.report();
        let body = wire::FlowProspectsBulkAssignmentRequest {
            flow_id: self.flow_id.clone(),
            flow_instance_owner_email: self.owner_email.clone(),
            prospects: chunk.iter().cloned().map(Into::into).collect(),
        };
        let submitted = self
            .client
            .call(
                operation_ids::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT,
                CallKind::NotIdempotent,
                Some(&ctx),
                |api| {
                    let body = body.clone();
                    async move {
                        api.submit_flow_prospects_bulk_assignment()
                            .body(body)
                            .send()
                            .await
                    }
                },
            )
            .await;
        let job = match submitted {
            Ok(success) => {
                part.stats.count(success.attempts, success.request_ids);
                job_from(success.value, success.request_id)
            }
            Err(failure) => {
                part.stats.count(failure.attempts, failure.request_ids);
                let error = Arc::new(failure.error);
                if error.is_fatal() {
                    ctx.control.set(error.clone());
                }
                not_attempted(&mut part, chunk, &error, failure.ambiguous);
                return part;
            }
        };
        let (mut requests, mut request_ids) = (0, Vec::new());
        let polled = poll(
            &self.client,
            job.clone(),
            self.poll,
            &mut requests,
            &mut request_ids,
        )
        .await;
        part.stats.count(requests, request_ids);
        let (job, done) = match polled {
            Ok(state) => state,
            // The job was accepted and may yet assign them: poll it later.
            Err(_) => (job, false),
        };
        sort_results(&mut part, chunk, job, done);
        part
    }
}

/// Puts a job's prospects in their buckets: by Gong's per-prospect results
/// (matched by key) when the job is done, else pending.
fn sort_results(part: &mut BulkAssignReport, chunk: Vec<BulkProspect>, job: BulkJob, done: bool) {
    if !done {
        part.pending
            .extend(chunk.into_iter().map(|prospect| BulkPending {
                job_id: job.id.clone(),
                prospect,
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
    for prospect in chunk {
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
                    "job {} ended {} without a result for this prospect",
                    job.id,
                    job.status.as_ref().map(|s| s.as_str()).unwrap_or("?")
                )),
            }),
        }
    }
    part.jobs.push(job);
}

impl BulkAssign {
    /// Polls the jobs a report left pending (see [`BulkPending`]) and puts
    /// their prospects in their buckets: the report comes back with every
    /// job that finished sorted, and the others still pending. Nothing is
    /// submitted again.
    ///
    /// ```no_run
    /// # async fn demo(client: gong_flows::Client, report: gong_flows::BulkAssignReport) {
    /// let report = client
    ///     .bulk_assign(&report.flow_id, &report.owner_email)
    ///     .resume(report)
    ///     .await;
    /// println!("{report}");
    /// # }
    /// ```
    pub async fn resume(self, mut report: BulkAssignReport) -> BulkAssignReport {
        let pending = std::mem::take(&mut report.pending);
        let mut by_job: Vec<(String, Vec<BulkProspect>)> = Vec::new();
        for entry in pending {
            match by_job.iter_mut().find(|(id, _)| *id == entry.job_id) {
                Some((_, prospects)) => prospects.push(entry.prospect),
                None => by_job.push((entry.job_id, vec![entry.prospect])),
            }
        }
        for (id, prospects) in by_job {
            let (mut requests, mut request_ids) = (0, Vec::new());
            let start = BulkJob {
                id: id.clone(),
                status: None,
                total_count: None,
                processed_count: None,
                success_count: None,
                failed_count: None,
                results: Vec::new(),
                request_id: None,
            };
            let polled = poll(
                &self.client,
                start.clone(),
                self.poll,
                &mut requests,
                &mut request_ids,
            )
            .await;
            report.stats.count(requests, request_ids);
            let (job, done) = polled.unwrap_or((start, false));
            report.jobs.retain(|known| known.id != id);
            sort_results(&mut report, prospects, job, done);
        }
        report
    }
}
fn not_attempted(
    part: &mut BulkAssignReport,
    prospects: Vec<BulkProspect>,
    error: &Arc<Error>,
    may_have_been_sent: bool,
) {
    part.not_attempted
        .extend(prospects.into_iter().map(|prospect| BulkNotAttempted {
            prospect,
            error: error.clone(),
            may_have_been_sent,
        }));
}
