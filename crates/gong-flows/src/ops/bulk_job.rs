//! How bulk assignments are submitted and polled: the job `BulkAssign` runs on.
use super::bulk::{PollPolicy, is_done, job_from};
use crate::batch::{check_email, check_id};
use crate::call::CallKind;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::job::{ApiResult, Doubted, Found, Job, LookUp, Next, Tracked};
use crate::model::{BulkProspect, FlowAssignmentResultStatus};
use crate::report::{BulkAssignReport, BulkJob, BulkNotAttempted, BulkPending, BulkResult};
use futures::future::BoxFuture;
use gong_flows_api::operation_ids;
use gong_flows_api::types as wire;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// A bulk assignment, as the job driver runs it: each chunk is one of
/// Gong's bulk jobs, submitted and polled (or, resumed, only polled).
#[derive(Debug)]
pub(crate) struct BulkAssignJob {
    pub(crate) client: Client,
    pub(crate) flow_id: String,
    pub(crate) owner_email: String,
    pub(crate) poll: PollPolicy,
    pub(crate) size: usize,
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
