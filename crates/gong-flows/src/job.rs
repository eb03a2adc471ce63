//! The one job driver every bulk operation runs on.
//!
//! A job kind supplies only what is its own ([`Job`]): how an input is
//! checked and keyed, which generated call carries a chunk of inputs, how an
//! answer sorts them into the report, and how inputs whose answer was lost
//! (or left them out) are settled once a look-up says what happened. The
//! driver owns everything else, once for every job kind:
//!
//! - checking and deduplicating the inputs, and cutting them into chunks;
//! - bounded concurrency, and parts yielded in input order;
//! - every call, through the one call loop (`call.rs`): pacing, retries,
//!   counting (in the part's `stats` and the job's [`Progress`](crate::Progress)),
//!   and the stop rule (a fatal answer stops the job);
//! - a per-call limit Gong turns out to enforce below its documented one:
//!   learned from its refusal, the chunk goes again in calls of that size;
//! - refusals of a whole call: the chunk refused with Gong's message, or
//!   halved until the one input Gong refuses is alone;
//! - look-ups, inside the job (its cancel, abort, pacer and progress), to
//!   settle inputs whose answer was lost, and the rounds of sending again
//!   what is still to do, as often as the retry policy allows attempts;
//! - cancel and abort, and progress per input settled. Each chunk reports
//!   its own inputs either way: an abort ends the call in flight in the
//!   call loop, which reports it lost, so the driver keeps no copy of a
//!   chunk's inputs.
//!
//! **The stop rule.** A chunk whose calls fail after their retries leaves
//! its inputs not attempted; the job then starts no new chunk (a fatal
//! answer such as 401 also stops the chunks waiting for a slot at once).
//! Every input after that is reported not attempted with the same error,
//! which becomes the report's `stats.stopped`.
//!
//! **From `send()` to the wire**, an assign takes six hops:
//!
//! 1. `Assign::send` (the builder; `report()` then the report's `check()`) →
//! 2. `job::run` (the driver: inputs, chunks, concurrency) →
//! 3. `job::chunk` (one chunk: calls, look-ups, settling) →
//! 4. `Client::call` (`call.rs`: pacing, attempts, retries, counting) →
//! 5. `AssignJob::request` (the generated request for the chunk) →
//! 6. the generated `AssignProspects::send` (progenitor's hooks, then reqwest).

use crate::call::{CallKind, InJob, RequestIdOf};
use crate::client::{Client, Limit, SMALLER_LIMIT};
use crate::control::{ChunkCtx, Control, JobHandle};
use crate::error::{ApiError, Error, Result};
use crate::model::FlowInstance;
use crate::observe::{JobEvent, JobStage};
use crate::report::Report;
use futures::FutureExt as _;
use futures::future::BoxFuture;
use futures::stream::{BoxStream, FuturesUnordered, Stream, StreamExt as _};
use gong_flows_api::types::{ErrorResponse, ProspectsAssignedFlowsRequestV2};
use gong_flows_api::{ResponseValue, operation_ids};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

/// The result of one attempt of a generated call.
pub(crate) type ApiResult<T> =
    std::result::Result<ResponseValue<T>, gong_flows_api::Error<ErrorResponse>>;

/// What one kind of job knows, and nothing else.
pub(crate) trait Job: Send + Sync + Sized + 'static {
    /// One input: a CRM id, a flow instance id, a flow id, a bulk prospect.
    type Item: Clone + Send + Sync + 'static;
    /// The generated answer to one call.
    type Answer: RequestIdOf + Send + 'static;
    /// The job's report.
    type Report: Report;
    /// Why an input's outcome is not yet known, until a look-up settles it.
    type Doubt: Send + 'static;

    /// The client the job's calls go through.
    fn client(&self) -> &Client;
    /// Gong's operation id for a call carrying `items`.
    fn operation(&self, items: &[Tracked<Self::Item>]) -> &'static str;
    /// What a repeat of a call could do on Gong's side.
    fn call_kind(&self) -> CallKind;
    /// Checks one input before it is sent.
    fn check(&self, item: &Self::Item) -> Result<()>;
    /// The key repeats are found by.
    fn key(item: &Self::Item) -> Cow<'_, str>;
    /// Inputs per chunk.
    fn chunk_size(&self) -> usize;
    /// The calls a chunk of these inputs takes when nothing fails: at
    /// least, and at most (`None`: not known without reading what is in
    /// Gong first). A plan adds these up.
    fn chunk_calls(&self, chunk: &[Self::Item]) -> (usize, Option<usize>);
    /// The per-call limit Gong may enforce below its documented one, if the
    /// driver may learn it from a refusal.
    fn learnable(&self) -> Option<Limit> {
        None
    }
    /// How much of a call's limit an input takes.
    fn weight(&self, _item: &Self::Item) -> usize {
        1
    }
    /// The most weight one call carries (the documented per-call limit of
    /// what is sent), when inputs weigh more than one (a prospect's
    /// instances, say); a learned limit may lower it.
    fn max_weight(&self) -> usize {
        usize::MAX
    }
    /// Whether two inputs may go in one call.
    fn same_call(&self, _a: &Self::Item, _b: &Self::Item) -> bool {
        true
    }
    /// An empty report carrying the job's settings.
    fn report(&self) -> Self::Report;
    /// Puts `item` in the part's not-attempted bucket.
    fn not_attempted(
        &self,
        part: &mut Self::Report,
        item: Self::Item,
        error: &Arc<Error>,
        may_have_been_sent: bool,
    );
    /// How a chunk starts: sent at once (the default), or looked up first.
    fn begin(&self, items: Vec<Tracked<Self::Item>>) -> Next<Self> {
        Next::send(items)
    }
    /// One attempt of the call that carries `items`.
    fn request(
        &self,
        api: Arc<gong_flows_api::Client>,
        items: &[Tracked<Self::Item>],
    ) -> BoxFuture<'static, ApiResult<Self::Answer>>;
    /// Sorts a successful answer: every input into a bucket of `part`, or
    /// back as a doubt for a look-up to settle.
    fn sort(
        &self,
        items: Vec<Tracked<Self::Item>>,
        answer: Self::Answer,
        part: &mut Self::Report,
    ) -> Vec<Doubted<Self>>;
    /// What a refusal of a whole call carrying `items` means, if it is
    /// about its inputs.
    fn refusal(&self, _items: &[Tracked<Self::Item>], _error: &Error) -> Option<Refusal> {
        None
    }
    /// Puts inputs in the refused bucket, with Gong's words.
    fn refuse(&self, part: &mut Self::Report, items: Vec<Self::Item>, message: &str);
    /// Inputs of a call whose answer was lost (or that Gong refused as
    /// unknown, [`Refusal::Unknown`]), as doubts a look-up settles; `None`
    /// when this job cannot settle them (they are not attempted).
    fn doubt(
        &self,
        _items: &[Tracked<Self::Item>],
        _error: &Arc<Error>,
    ) -> Option<Vec<Self::Doubt>> {
        None
    }
    /// The look-up that settles these doubts.
    fn look_up(&self, doubts: &[Doubted<Self>]) -> LookUp;
    /// How long to wait before that look-up (a bulk job is polled at
    /// intervals; anything else is looked up at once).
    fn wait(&self, _doubts: &[Doubted<Self>]) -> Duration {
        Duration::ZERO
    }
    /// Settles doubts by what the look-up found: into buckets, or to send
    /// again, or to look up again later.
    fn settle(
        &self,
        doubts: Vec<Doubted<Self>>,
        found: Found,
        part: &mut Self::Report,
    ) -> Next<Self>;
    /// Doubts the job could not settle (the look-up failed, or the job
    /// stopped): not attempted by default, flagged when a call carrying
    /// them may have been applied.
    fn give_up(&self, part: &mut Self::Report, doubts: Vec<Doubted<Self>>, error: &Arc<Error>) {
        for (item, _) in doubts {
            let (sent, error) = (item.maybe_applied, item.reason(error));
            self.not_attempted(part, item.item, &error, sent);
        }
    }
}

/// An input as the driver carries it through its chunk's calls.
#[derive(Debug, Clone)]
pub(crate) struct Tracked<T> {
    pub item: T,
    /// When a call carrying it was first handed to the transport in this
    /// job, on this machine's clock.
    pub first_sent: Option<SystemTime>,
    /// Whether a call carrying it may have been applied by Gong although
    /// its answer was lost (in this job, or in an earlier one).
    pub maybe_applied: bool,
    /// The failure that lost the answer, when one did.
    pub lost: Option<Arc<Error>>,
}

impl<T> Tracked<T> {
    pub fn new(item: T) -> Self {
        Self {
            item,
            first_sent: None,
            maybe_applied: false,
            lost: None,
        }
    }

    /// The error to report it not attempted with, when the job stops on
    /// `error`. A stop that found it unsent (a cancel, or an abort that
    /// abandoned a look-up made before any call carrying it) leaves it
    /// cancelled, unless a call carrying it may have been applied (in this
    /// job or an earlier one): "cancelled before it was sent" would then be
    /// untrue, and the lost answer is the reason. A cancel that came after a
    /// call carrying it was answered without settling it (during the wait
    /// after a 429, or before a look-up) says that: it was sent, and Gong's
    /// answer left it open.
    pub fn reason(&self, error: &Arc<Error>) -> Arc<Error> {
        // Cancel, and an abort that found nothing carrying it in flight.
        let stopped_unsent = match **error {
            Error::Cancelled => true,
            Error::Aborted => self.first_sent.is_none(),
            _ => false,
        };
        if !stopped_unsent {
            return error.clone();
        }
        if self.maybe_applied {
            return self.lost.clone().unwrap_or_else(|| {
                Arc::new(Error::Reported {
                    message: "an answer was lost, then the job was cancelled before a look-up \
                              could settle it"
                        .to_owned(),
                })
            });
        }
        if self.first_sent.is_some() {
            return Arc::new(Error::Reported {
                message: "cancelled after it was sent: Gong's answer did not settle it, and \
                          the job stopped before trying again"
                    .to_owned(),
            });
        }
        Arc::new(Error::Cancelled)
    }
}

/// Why an input from an earlier job is in doubt: that job's answer was lost.
pub(crate) fn earlier_lost() -> Arc<Error> {
    Arc::new(Error::Reported {
        message: "an earlier run's answer was lost".to_owned(),
    })
}

/// An input and why its outcome is not yet known.
pub(crate) type Doubted<J> = (Tracked<<J as Job>::Item>, <J as Job>::Doubt);

/// What a chunk does next: send inputs (again), and look up doubts.
pub(crate) struct Next<J: Job> {
    pub send: Vec<Tracked<J::Item>>,
    pub doubts: Vec<Doubted<J>>,
}

impl<J: Job> Next<J> {
    pub fn send(items: Vec<Tracked<J::Item>>) -> Self {
        Self {
            send: items,
            doubts: Vec::new(),
        }
    }

    pub fn look_up(doubts: Vec<Doubted<J>>) -> Self {
        Self {
            send: Vec::new(),
            doubts,
        }
    }

    pub fn done() -> Self {
        Self::send(Vec::new())
    }
}

/// What a refusal of a whole call means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// About the call, naming none of its inputs: its size, if it is over
    /// Gong's smaller limit and the job may learn one; otherwise every
    /// input is refused with Gong's message, and the job stops (every
    /// other call would be refused the same way).
    Whole,
    /// Some of its inputs are unknown, unnamed: they are looked up
    /// ([`Job::doubt`]).
    Unknown,
    /// One unnamed input fails the whole call: the inputs are halved until
    /// it is alone.
    Halve,
}

/// A look-up the driver makes to settle doubts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LookUp {
    /// The flow instances of these CRM ids (Gong returns only open ones).
    ByCrmId(Vec<String>),
    /// These flow instances (open or finished).
    ByInstanceId(Vec<String>),
    /// A bulk assignment job's state.
    BulkJob(String),
}

/// What a look-up found.
#[derive(Debug)]
pub(crate) enum Found {
    Instances(Vec<FlowInstance>),
    BulkJob(crate::report::BulkJob),
}

impl Found {
    /// The flow instances found (none for a bulk job).
    pub fn into_instances(self) -> Vec<FlowInstance> {
        match self {
            Found::Instances(instances) => instances,
            Found::BulkJob(_) => Vec::new(),
        }
    }
}

/// The inputs of a job, as the driver takes them.
pub(crate) struct Input<T> {
    items: BoxStream<'static, T>,
    /// Whether every input was checked and deduplicated before the job.
    checked: bool,
    total: Option<usize>,
    duplicates: Vec<String>,
    /// The calls the job takes at most, when known before it starts.
    calls: Option<usize>,
}

impl<T: Send + 'static> Input<T> {
    /// Inputs checked and deduplicated now: the first bad one is an error
    /// and nothing is sent.
    pub fn checked<J: Job<Item = T>>(job: &J, items: Vec<T>) -> Result<Self> {
        let (unique, duplicates) = prepare(job, items)?;
        let size = job.chunk_size().max(1);
        let calls = unique
            .chunks(size)
            .map(|chunk| match job.chunk_calls(chunk) {
                (_, Some(most)) => most,
                (least, None) => least,
            })
            .sum();
        Ok(Self {
            total: Some(unique.len()),
            items: futures::stream::iter(unique).boxed(),
            checked: true,
            duplicates,
            calls: Some(calls),
        })
    }

    /// Inputs checked chunk by chunk as they come: a bad one is reported
    /// not attempted in its chunk, repeats within a chunk are duplicates.
    pub fn streamed<S: Stream<Item = T> + Send + 'static>(items: S, total: Option<usize>) -> Self {
        Self {
            items: items.boxed(),
            checked: false,
            total,
            duplicates: Vec::new(),
            calls: None,
        }
    }
}

/// Checks every input and drops repeats, in input order.
pub(crate) fn prepare<J: Job>(job: &J, items: Vec<J::Item>) -> Result<(Vec<J::Item>, Vec<String>)> {
    // Repeats are found on borrowed keys; without any (the usual case), the
    // input is kept as it is.
    let mut repeats = Vec::new();
    {
        let mut seen = HashSet::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            job.check(item)?;
            if !seen.insert(J::key(item)) {
                repeats.push(i);
            }
        }
    }
    if repeats.is_empty() {
        return Ok((items, Vec::new()));
    }
    let mut unique = Vec::with_capacity(items.len() - repeats.len());
    let mut duplicates = Vec::with_capacity(repeats.len());
    let mut repeats = repeats.into_iter().peekable();
    for (i, item) in items.into_iter().enumerate() {
        if repeats.next_if_eq(&i).is_some() {
            duplicates.push(J::key(&item).into_owned());
        } else {
            unique.push(item);
        }
    }
    Ok((unique, duplicates))
}

/// Checks a chunk of a streamed input: bad inputs are reported not
/// attempted, repeats within the chunk are duplicates.
fn screen<J: Job>(
    job: &J,
    chunk: Vec<Tracked<J::Item>>,
    part: &mut J::Report,
) -> Vec<Tracked<J::Item>> {
    let clean = chunk.iter().all(|t| job.check(&t.item).is_ok()) && {
        let mut keys: Vec<Cow<'_, str>> = chunk.iter().map(|t| J::key(&t.item)).collect();
        keys.sort_unstable();
        keys.windows(2).all(|pair| pair[0] != pair[1])
    };
    if clean {
        return chunk;
    }
    let mut seen = HashSet::with_capacity(chunk.len());
    let mut unique = Vec::with_capacity(chunk.len());
    for tracked in chunk {
        let item = &tracked.item;
        if let Err(error) = job.check(item) {
            job.not_attempted(part, tracked.item, &Arc::new(error), false);
        } else if !seen.insert(J::key(item).into_owned()) {
            part.stats_mut().duplicates.push(J::key(item).into_owned());
        } else {
            unique.push(tracked);
        }
    }
    unique
}

/// The report of one chunk, as the streaming form of a job yields it.
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
/// use futures::StreamExt as _;
///
/// let mut parts = client.assign(flow, owner).prospects(["0035g1", "0035g2"]).parts()?;
/// let part = parts.next().await.expect("one chunk");
/// assert_eq!(part.index, 0);
/// assert_eq!(part.report.assigned.len(), 2);
/// assert!(parts.next().await.is_none());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Part<R> {
    /// The chunk's position in the job, from 0.
    pub index: usize,
    /// The chunk's part of the report: its inputs, each in one bucket, and
    /// its calls.
    pub report: R,
}

/// The parts of a job's report, in input order; made by `parts()`,
/// `parts_from_iter()` and `parts_from_stream()` of every bulk operation.
/// Memory stays bounded by the chunks in flight, however long the input.
/// [`handle`](Self::handle) watches, cancels or aborts the job; dropping
/// the stream abandons it.
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
/// use futures::StreamExt as _;
///
/// // 450 ids made as they are read: never held together.
/// let ids = (0..450).map(|i| format!("0035g{i:010}"));
/// let mut parts = client.assign(flow, owner).parts_from_iter(ids)?;
/// let handle = parts.handle();
/// let mut assigned = 0;
/// while let Some(part) = parts.next().await {
///     // One chunk of at most 200, in input order.
///     assert!(part.report.assigned.len() <= 200);
///     assigned += part.report.assigned.len();
/// }
/// assert_eq!(assigned, 450);
/// assert!(handle.progress().borrow().finished);
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing unless polled"]
pub struct Parts<R> {
    inner: BoxStream<'static, Part<R>>,
    handle: JobHandle,
}

impl<R> std::fmt::Debug for Parts<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parts")
            .field("handle", &self.handle)
            .finish_non_exhaustive()
    }
}

impl<R> Parts<R> {
    /// The job's controls.
    pub fn handle(&self) -> JobHandle {
        self.handle.clone()
    }
}

impl<R> Stream for Parts<R> {
    type Item = Part<R>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Part<R>>> {
        self.inner.poll_next_unpin(cx)
    }
}

struct Driver<J: Job> {
    job: Arc<J>,
    input: BoxStream<'static, J::Item>,
    /// Inputs read but not yet in a chunk, as the chunk will carry them.
    buffer: Vec<Tracked<J::Item>>,
    input_done: bool,
    checked: bool,
    concurrency: usize,
    control: Control,
    running: FuturesUnordered<BoxFuture<'static, (usize, J::Report)>>,
    ready: BTreeMap<usize, J::Report>,
    next_index: usize,
    next_out: usize,
    duplicates: Vec<String>,
    /// The calls to hold against today's quota before the first chunk,
    /// when the client refuses jobs that may not fit.
    quota_check: Option<usize>,
    /// Whether the job is its control's only one (it then marks it
    /// finished at its end); a job of a larger one (a sync's) shares it.
    owns_control: bool,
    /// Inputs settled as of the last event observers were told.
    told_settled: usize,
}

/// The most inputs the driver makes room for at once when it reads a chunk
/// (a chunk size may be far larger than any chunk a stream ever fills).
const MAX_RESERVED: usize = 1024;

/// Runs a job as a stream of parts.
pub(crate) fn parts<J: Job>(job: Arc<J>, input: Input<J::Item>) -> Parts<J::Report> {
    let control = Control::new(input.total);
    drive(job, input, control, true)
}

/// Runs a job as a step of a larger one that owns `control`: its cancel,
/// abort, stop and progress are the larger job's, and the larger job
/// checks the quota for all its steps.
pub(crate) fn parts_under<B: IntoJob>(
    builder: B,
    control: &Control,
) -> Result<Parts<<B::Job as Job>::Report>> {
    let (job, items) = builder.into_job()?;
    let input = Input::checked(&*job, items)?;
    Ok(drive(job, input, control.clone(), false))
}

fn drive<J: Job>(
    job: Arc<J>,
    input: Input<J::Item>,
    control: Control,
    owns_control: bool,
) -> Parts<J::Report> {
    let handle = JobHandle::new(control.clone());
    let concurrency = job.client().inner.concurrency.max(1);
    let quota_check = match job.client().inner.over_quota {
        crate::pacing::OverQuota::Refuse if owns_control => input.calls.filter(|calls| *calls > 0),
        _ => None,
    };
    let mut driver = Driver {
        job,
        input: input.items,
        buffer: Vec::new(),
        input_done: false,
        checked: input.checked,
        concurrency,
        control,
        running: FuturesUnordered::new(),
        ready: BTreeMap::new(),
        next_index: 0,
        next_out: 0,
        duplicates: input.duplicates,
        quota_check,
        owns_control,
        told_settled: 0,
    };
    driver.tell(JobStage::Started, None);
    let inner = futures::stream::unfold(driver, |mut driver| async move {
        let part = driver.next().await?;
        Some((part, driver))
    })
    .boxed();
    Parts { inner, handle }
}

/// The handle of a job with nothing to do: finished from the start.
pub(crate) fn finished() -> JobHandle {
    let control = Control::new(Some(0));
    control.finish();
    JobHandle::new(control)
}

/// Runs a job to its end and gathers the whole report.
pub(crate) async fn run<J: Job>(job: Arc<J>, input: Input<J::Item>) -> J::Report {
    let report = job.report();
    collect(report, parts(job, input)).await
}

/// Gathers the parts of a job into its report.
pub(crate) async fn collect<R: Report>(mut report: R, mut parts: Parts<R>) -> R {
    while let Some(part) = parts.next().await {
        report.absorb(part.report);
    }
    // Every stop, of any chunk, is the job's.
    if let Some(reason) = parts.handle.control().get() {
        report.stats_mut().stopped = Some(reason);
    }
    report
}

impl<J: Job> Driver<J> {
    /// Tells the client's observers where the job is (a job of a larger one
    /// is the larger one's to tell).
    fn tell(&mut self, stage: JobStage, part: Option<&J::Report>) {
        let observers = &self.job.client().inner.observers;
        if observers.is_empty() || !self.owns_control {
            return;
        }
        let operation = self.job.operation(&[]);
        // A copy: an observer runs with no lock of the job's held.
        let progress = self.control.progress_now();
        let newly_settled = progress.done.saturating_sub(self.told_settled);
        self.told_settled = progress.done;
        observers.job(&JobEvent {
            operation,
            stage,
            newly_settled,
            progress: &progress,
            part_inputs: part.map_or(0, |p| p.total()),
            part_refused: part.map_or(0, |p| p.refused_count()),
            part_not_attempted: part.map_or(0, |p| p.not_attempted_count()),
        });
    }

    async fn next(&mut self) -> Option<Part<J::Report>> {
        if let Some(needed) = self.quota_check.take() {
            let pacer = self.job.client().pacer().clone();
            hold_quota(pacer, self.control.clone(), needed).await;
        }
        loop {
            if let Some(mut report) = self.ready.remove(&self.next_out) {
                let index = self.next_out;
                self.next_out += 1;
                if index == 0 {
                    report
                        .stats_mut()
                        .duplicates
                        .splice(0..0, std::mem::take(&mut self.duplicates));
                }
                if let Some(reason) = self.control.get()
                    && report.not_attempted_count() > 0
                    && report.stats().stopped.is_none()
                {
                    report.stats_mut().stopped = Some(reason);
                }
                self.control.chunk_done();
                self.tell(JobStage::Part, Some(&report));
                return Some(Part { index, report });
            }
            if self.input_done && self.running.is_empty() {
                debug_assert!(self.ready.is_empty(), "every part is yielded in order");
                if self.owns_control {
                    self.control.finish();
                    self.tell(JobStage::Finished, None);
                }
                return None;
            }
            // A stopped job reads a finite, checked input to its end (every
            // input is reported), but not a stream: it may never end.
            if !self.checked && !self.input_done && self.control.get().is_some() {
                self.stop_reading();
                continue;
            }
            let can_start = !self.input_done && self.running.len() < self.concurrency;
            let control = self.control.clone();
            let size = self.job.chunk_size().max(1);
            tokio::select! {
                biased;
                Some((index, report)) = self.running.next(), if !self.running.is_empty() => {
                    self.judge(&report);
                    self.ready.insert(index, report);
                }
                () = control.cancelled(), if !self.checked && can_start => {}
                item = self.input.next(), if can_start => match item {
                    Some(item) => {
                        if self.buffer.is_empty() {
                            // Room for a whole chunk, not grown input by input.
                            self.buffer.reserve(size.min(MAX_RESERVED));
                        }
                        self.buffer.push(Tracked::new(item));
                        // Whatever more is ready joins it at once: an input
                        // in memory is cut into chunks without a turn of
                        // this loop per input.
                        while self.buffer.len() < size {
                            match self.input.next().now_or_never() {
                                Some(Some(item)) => self.buffer.push(Tracked::new(item)),
                                Some(None) => {
                                    self.input_done = true;
                                    break;
                                }
                                None => break,
                            }
                        }
                        if self.buffer.len() >= size || self.input_done {
                            let chunk = std::mem::take(&mut self.buffer);
                            if !chunk.is_empty() {
                                self.start(chunk);
                            }
                        }
                    }
                    None => {
                        self.input_done = true;
                        let chunk = std::mem::take(&mut self.buffer);
                        if !chunk.is_empty() {
                            self.start(chunk);
                        }
                    }
                },
            }
        }
    }

    /// A stopped job fed by a stream: what was read is reported, the rest
    /// is not read.
    fn stop_reading(&mut self) {
        self.input_done = true;
        let chunk = std::mem::take(&mut self.buffer);
        if !chunk.is_empty() {
            self.start(chunk);
        }
    }

    /// Starts one chunk, or reports it not attempted if the job stopped.
    fn start(&mut self, items: Vec<Tracked<J::Item>>) {
        let index = self.next_index;
        self.next_index += 1;
        let mut part = self.job.report();
        let items = if self.checked {
            items
        } else {
            let items = screen(&*self.job, items, &mut part);
            self.control.repeats(part.stats().duplicates.len());
            items
        };
        if let Some(reason) = self.control.get() {
            let count = items.len() + part.total();
            for tracked in items {
                self.job
                    .not_attempted(&mut part, tracked.item, &reason, false);
            }
            self.control.settled(count as isize);
            self.ready.insert(index, part);
            return;
        }
        if items.is_empty() {
            self.control.settled(part.total() as isize);
            self.ready.insert(index, part);
            return;
        }
        let ctx = ChunkCtx::new(self.control.clone());
        let run = chunk(self.job.clone(), items, ctx, part);
        self.running
            .push(Box::pin(async move { (index, run.await) }));
    }

    /// The stop rule: inputs left not attempted by a failure stop the job.
    fn judge(&self, report: &J::Report) {
        let failure = report
            .not_attempted_errors()
            .into_iter()
            .find(|e| !matches!(**e, Error::InvalidInput { .. }));
        if let Some(error) = failure {
            self.control.set(error);
        }
    }
}

/// Holds a job's calls against what is left of today's quota: a job that
/// may not fit is refused whole, before anything is sent. A pacer that
/// knows no budget (or cannot be asked now) lets the job start; its calls
/// then meet the budget one by one.
pub(crate) async fn hold_quota(pacer: Arc<dyn crate::Pacer>, control: Control, needed: usize) {
    if let Ok(Some(budget)) = pacer.budget().await
        && needed > budget.left as usize
    {
        tracing::warn!(
            needed,
            left = budget.left,
            "the job does not fit in today's quota"
        );
        control.set(Arc::new(Error::OverQuota {
            needed,
            left: budget.left,
            resets_at: budget.next_free_at,
        }));
    }
}

/// One chunk: its calls, the look-ups that settle what their answers left
/// open, and the rounds of sending again, until every input is in a bucket
/// of the part. `part` may already hold inputs refused before the chunk.
fn chunk<J: Job>(
    job: Arc<J>,
    items: Vec<Tracked<J::Item>>,
    ctx: ChunkCtx,
    mut part: J::Report,
) -> BoxFuture<'static, J::Report> {
    Box::pin(async move {
        let before = part.total();
        let count = |part: &J::Report| ctx.settled(part.total());
        ctx.settled(before);
        let mut next = job.begin(items);
        let rounds = job.client().inner.retry.max_attempts().max(1);
        let mut sends = 0u32;
        let mut last_error: Option<Arc<Error>> = None;
        loop {
            if !next.send.is_empty() {
                sends += 1;
                let send = std::mem::take(&mut next.send);
                if sends > rounds {
                    // Still to do after every round the policy allows.
                    let error = last_error
                        .clone()
                        .unwrap_or_else(|| Arc::new(Error::Cancelled));
                    for item in send {
                        job.not_attempted(&mut part, item.item, &error, false);
                    }
                } else {
                    let doubts = send_all(&*job, &ctx, &mut part, send, &mut last_error).await;
                    next.doubts.extend(doubts);
                }
                count(&part);
            }
            if next.doubts.is_empty() {
                break;
            }
            let doubts = std::mem::take(&mut next.doubts);
            let wait = job.wait(&doubts);
            if !wait.is_zero() {
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = ctx.control.cancelled() => {}
                }
            }
            if let Some(stopped) = ctx.control.get() {
                job.give_up(&mut part, doubts, &stopped);
                break;
            }
            let what = job.look_up(&doubts);
            match look_up(job.client(), &ctx, &mut part, what).await {
                Ok(found) => next = job.settle(doubts, found, &mut part),
                Err(error) => {
                    job.give_up(&mut part, doubts, &error);
                    break;
                }
            }
            count(&part);
        }
        count(&part);
        part
    })
}

/// Sends inputs in as many calls as Gong's per-call limit needs; returns
/// the doubts their answers leave.
async fn send_all<J: Job>(
    job: &J,
    ctx: &ChunkCtx,
    part: &mut J::Report,
    items: Vec<Tracked<J::Item>>,
    last_error: &mut Option<Arc<Error>>,
) -> Vec<Doubted<J>> {
    let mut doubts = Vec::new();
    let mut queue: VecDeque<Vec<Tracked<J::Item>>> = VecDeque::new();
    let limit = |job: &J| {
        job.learnable()
            .and_then(|l| job.client().inner.learned.get(l))
            .unwrap_or(usize::MAX)
            .min(job.max_weight())
    };
    queue.extend(split(job, items, limit(job)));
    // Whether this chunk is trying Gong's smaller limit, and on which call.
    let mut trying_smaller = false;
    while let Some(mut call) = queue.pop_front() {
        if let Some(stopped) = ctx.control.get() {
            for item in queue.drain(..).flatten().chain(call) {
                let (sent, error) = (item.maybe_applied, item.reason(&stopped));
                job.not_attempted(part, item.item, &error, sent);
            }
            break;
        }
        let operation = job.operation(&call);
        let result = {
            let call_ref = &call;
            job.client()
                .call(
                    operation,
                    job.call_kind(),
                    Some(InJob {
                        ctx,
                        stats: part.stats_mut(),
                    }),
                    |api| job.request(api, call_ref),
                )
                .await
        };
        let (first_sent, ambiguous) = match &result {
            Ok(s) => (s.first_sent, s.ambiguous),
            Err(f) => (f.first_sent, f.ambiguous),
        };
        // The failure that lost an answer (an abort abandoning the call
        // included); a stop that came after it (a cancel during the retry's
        // wait) is not one.
        let lost = match &result {
            Err(f) if f.ambiguous && !matches!(f.error, Error::Cancelled) => {
                Some(Arc::new(f.error.clone()))
            }
            _ => None,
        };
        for item in &mut call {
            if item.first_sent.is_none() {
                item.first_sent = first_sent;
            }
            item.maybe_applied |= ambiguous;
            if lost.is_some() {
                item.lost.clone_from(&lost);
            }
        }
        let failure = match result {
            Ok(success) => {
                if trying_smaller {
                    // The smaller call went through: the size was the problem.
                    trying_smaller = false;
                    part.stats_mut().learned_chunk_size = Some(SMALLER_LIMIT);
                    let rest: Vec<_> = queue.drain(..).flatten().collect();
                    queue.extend(split(job, rest, SMALLER_LIMIT));
                }
                doubts.extend(job.sort(call, success.value, part));
                continue;
            }
            Err(failure) => failure,
        };
        let error = Arc::new(failure.error);
        *last_error = Some(error.clone());
        match (job.refusal(&call, &error), error.api()) {
            (Some(Refusal::Whole), Some(api)) => {
                let weight: usize = call.iter().map(|t| job.weight(&t.item)).sum();
                if let Some(learnable) = job.learnable()
                    && !trying_smaller
                    && weight > SMALLER_LIMIT
                {
                    // Maybe its size: the first call of Gong's smaller
                    // limit tells.
                    job.client().inner.learned.learn(learnable, SMALLER_LIMIT);
                    trying_smaller = true;
                    let rest: Vec<_> = queue.drain(..).flatten().collect();
                    let mut again = split(job, call, SMALLER_LIMIT);
                    again.extend(split(job, rest, usize::MAX));
                    queue.extend(again);
                    continue;
                }
                if trying_smaller {
                    // Refused the same way at the smaller size: not a
                    // size problem after all.
                    if let Some(learnable) = job.learnable() {
                        job.client().inner.learned.forget(learnable, SMALLER_LIMIT);
                    }
                }
                let message = api.refusal();
                let rest = queue.drain(..).flatten().chain(call);
                job.refuse(part, rest.map(|t| t.item).collect(), &message);
                // Every other call would be refused the same way.
                ctx.control.set(error.clone());
                break;
            }
            (Some(Refusal::Halve), Some(api)) => {
                if call.len() == 1 {
                    job.refuse(
                        part,
                        call.into_iter().map(|t| t.item).collect(),
                        &api.refusal(),
                    );
                } else {
                    tracing::debug!(count = call.len(), errors = ?api.errors, "halving a refused call");
                    let second = call.split_off(call.len() / 2);
                    queue.push_front(second);
                    queue.push_front(call);
                }
            }
            (refusal, _) => {
                if refusal.is_none() {
                    stop_if_fatal(ctx, &error);
                }
                let unknown = refusal == Some(Refusal::Unknown);
                let settle = if unknown || failure.ambiguous {
                    job.doubt(&call, &error)
                } else {
                    None
                };
                match settle {
                    Some(why) => doubts.extend(call.into_iter().zip(why)),
                    None => {
                        for item in call {
                            let (sent, error) = (item.maybe_applied, item.reason(&error));
                            job.not_attempted(part, item.item, &error, sent);
                        }
                    }
                }
            }
        }
    }
    doubts
}

/// The stop rule's first half: a fatal answer (401, 403, 404 not about an
/// input) stops the job at once, the chunks waiting for a slot included.
fn stop_if_fatal(ctx: &ChunkCtx, error: &Arc<Error>) {
    if error.is_fatal() {
        ctx.control.set(error.clone());
    }
}

/// Cuts inputs into calls of at most `limit` (by weight), never putting
/// together inputs that may not share a call: the one splitting routine.
fn split<J: Job>(
    job: &J,
    items: Vec<Tracked<J::Item>>,
    limit: usize,
) -> Vec<Vec<Tracked<J::Item>>> {
    // Most often the whole chunk is one call: kept as it is, not copied.
    let weight: usize = items.iter().map(|t| job.weight(&t.item).max(1)).sum();
    let together = (items.windows(2)).all(|pair| job.same_call(&pair[0].item, &pair[1].item));
    if weight <= limit && together && !items.is_empty() {
        return vec![items];
    }
    let mut calls: Vec<Vec<Tracked<J::Item>>> = Vec::new();
    let mut weight = 0;
    for item in items {
        let w = job.weight(&item.item).max(1);
        let fits = calls.last().is_some_and(|call| {
            weight + w <= limit
                && call
                    .last()
                    .is_none_or(|last| job.same_call(&last.item, &item.item))
        });
        if fits {
            weight += w;
            if let Some(call) = calls.last_mut() {
                call.push(item);
            }
        } else {
            weight = w;
            calls.push(vec![item]);
        }
    }
    calls
}

/// Makes a look-up inside the job: through the call loop, counted in the
/// part, cancelled with the job. Prospects are looked up 200 ids a call;
/// any call that fails fails the look-up.
async fn look_up<R: Report>(
    client: &Client,
    ctx: &ChunkCtx,
    part: &mut R,
    what: LookUp,
) -> std::result::Result<Found, Arc<Error>> {
    let (ids, by_crm) = match what {
        LookUp::ByCrmId(ids) => (ids, true),
        LookUp::ByInstanceId(ids) => (ids, false),
        LookUp::BulkJob(id) => {
            let job = crate::ops::bulk::poll_once(
                client,
                &id,
                Some(InJob {
                    ctx,
                    stats: part.stats_mut(),
                }),
            )
            .await
            .map_err(|error| {
                let error = Arc::new(error);
                stop_if_fatal(ctx, &error);
                error
            })?;
            return Ok(Found::BulkJob(job));
        }
    };
    let size = client.inner.chunk_sizes.lookup().max(1);
    let mut found = Vec::new();
    for ids in ids.chunks(size) {
        let body = lookup_request(ids.to_vec(), by_crm);
        let answer = client
            .call(
                operation_ids::GET_PROSPECTS_ASSIGNED_FLOWS,
                CallKind::Idempotent,
                Some(InJob {
                    ctx,
                    stats: part.stats_mut(),
                }),
                |api| {
                    let body = body.clone();
                    async move { api.get_prospects_assigned_flows().body(body).send().await }
                },
            )
            .await
            .map_err(|failure| {
                let error = Arc::new(failure.error);
                stop_if_fatal(ctx, &error);
                error
            })?;
        found.extend(
            answer
                .value
                .prospects_assigned
                .into_iter()
                .map(FlowInstance::from),
        );
    }
    Ok(Found::Instances(found))
}

/// The body of a look-up of `ids`: CRM ids, or flow instance ids.
pub(crate) fn lookup_request(ids: Vec<String>, by_crm: bool) -> ProspectsAssignedFlowsRequestV2 {
    if by_crm {
        ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: Some(ids),
            flow_instance_ids: None,
        }
    } else {
        ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: None,
            flow_instance_ids: Some(ids),
        }
    }
}

/// Whether Gong's refusal of a whole call names one of `ids`.
pub(crate) fn names_any<'a>(api: &ApiError, mut ids: impl Iterator<Item = &'a str>) -> bool {
    ids.any(|id| api.errors.iter().any(|message| message.contains(id)))
}

/// A builder of a bulk operation: its settings checked, as a job, with its
/// own inputs.
pub(crate) trait IntoJob {
    type Job: Job;
    fn into_job(self) -> Result<Built<Self>>;
}

/// A builder's job, with its inputs.
pub(crate) type Built<B> = (Arc<<B as IntoJob>::Job>, Vec<ItemOf<B>>);

/// The input of a builder's job.
pub(crate) type ItemOf<B> = <<B as IntoJob>::Job as Job>::Item;

/// The ways every bulk operation runs, written once: `send`, `report`,
/// `start`, `parts`, `parts_from_iter` and `parts_from_stream`, for a
/// builder that implements [`IntoJob`]. `$item` is what the streaming forms
/// take. A write job (`job_methods!(Builder, Item, Report)`) is an `Err`
/// when it stops ([`JobError`](crate::JobError)); a read
/// (`job_methods!(read Builder, Item, Report)`) gives its report, and the
/// report's `check()` says whether it stopped.
macro_rules! job_methods {
    ($builder:ident, $item:ty, $report:ty) => {
        impl $builder {
            /// Runs the job and reports on every input: each unique input is
            /// in exactly one bucket of the report.
            ///
            /// # Errors
            ///
            /// - [`JobError::Invalid`](crate::JobError::Invalid): bad input
            ///   or settings, before anything is sent.
            /// - [`JobError::Stopped`](crate::JobError::Stopped): the job
            ///   stopped on an error (bad credentials, unknown flow, rate
            ///   limit past the retry policy, spent budget, cancel) and left
            ///   inputs not attempted; the error carries the partial report,
            ///   with every input in it, to save or resume.
            ///
            /// Gong's refusals of single inputs are not errors: they are in
            /// the `Ok` report's refused bucket. To get the report either
            /// way, use [`report`](Self::report).
            pub async fn send(self) -> std::result::Result<$report, $crate::JobError<$report>> {
                self.report().await?.check()
            }

            /// Runs the job like [`send`](Self::send), and returns its
            /// report whether or not the job stopped (its `stats.stopped`
            /// says why it did; its `check()` makes the same `Err` as
            /// `send`): for callers that read every report themselves.
            ///
            /// # Errors
            ///
            /// Only bad input or settings, before anything is sent.
            pub async fn report(self) -> $crate::Result<$report> {
                let (job, items) = $crate::job::IntoJob::into_job(self)?;
                let input = $crate::job::Input::checked(&*job, items)?;
                Ok($crate::job::run(job, input).await)
            }

            /// Starts the job: its [`JobHandle`](crate::JobHandle) (progress,
            /// cancel, abort) and its [`JobFuture`](crate::JobFuture), which
            /// runs the job when polled (await it, or spawn it) and yields
            /// what [`send`](Self::send) does (its
            /// [`report()`](crate::JobFuture::report): the report either
            /// way). Checks like [`send`](Self::send), before anything is
            /// sent.
            pub fn start(
                self,
            ) -> $crate::Result<($crate::JobHandle, $crate::JobFuture<$report>)> {
                let (job, items) = $crate::job::IntoJob::into_job(self)?;
                let report = $crate::job::Job::report(&*job);
                let input = $crate::job::Input::checked(&*job, items)?;
                let parts = $crate::job::parts(job, input);
                Ok((
                    parts.handle(),
                    $crate::JobFuture::new($crate::job::collect(report, parts)),
                ))
            }
        }
        $crate::job::job_methods!(@parts $builder, $item, $report);
    };
    (read $builder:ident, $item:ty, $report:ty) => {
        impl $builder {
            /// Runs the job and reports on every input: each unique input is
            /// in exactly one bucket of the report.
            ///
            /// Fails only on bad input or settings, before anything is sent.
            /// Everything that happens after that is in the report; its
            /// `check()` turns a job that stopped on an error (bad
            /// credentials, rate limit past the retry policy) into a
            /// [`JobError`](crate::JobError).
            pub async fn send(self) -> $crate::Result<$report> {
                let (job, items) = $crate::job::IntoJob::into_job(self)?;
                let input = $crate::job::Input::checked(&*job, items)?;
                Ok($crate::job::run(job, input).await)
            }

            /// Starts the job: its [`JobHandle`](crate::JobHandle) (progress,
            /// cancel, abort) and the future of its report, which runs the
            /// job when polled (await it, or spawn it). Checks like
            /// [`send`](Self::send).
            pub fn start(
                self,
            ) -> $crate::Result<(
                $crate::JobHandle,
                impl std::future::Future<Output = $report> + Send + 'static,
            )> {
                let (job, items) = $crate::job::IntoJob::into_job(self)?;
                let report = $crate::job::Job::report(&*job);
                let input = $crate::job::Input::checked(&*job, items)?;
                let parts = $crate::job::parts(job, input);
                Ok((parts.handle(), $crate::job::collect(report, parts)))
            }
        }
        $crate::job::job_methods!(@parts $builder, $item, $report);
    };
    (@parts $builder:ident, $item:ty, $report:ty) => {
        impl $builder {
            /// The job's report in parts, one per chunk, in input order, as
            /// they finish. The inputs are checked like [`send`](Self::send);
            /// the job's duplicates are in the first part.
            pub fn parts(self) -> $crate::Result<$crate::Parts<$report>> {
                let (job, items) = $crate::job::IntoJob::into_job(self)?;
                let input = $crate::job::Input::checked(&*job, items)?;
                Ok($crate::job::parts(job, input))
            }

            /// Runs the job over an iterator of inputs of any length (after
            /// this builder's own), yielding each chunk's part in input
            /// order, in memory bounded by the chunks in flight.
            ///
            /// Each chunk is checked before it is sent: a bad input is
            /// reported in that chunk's `not_attempted` with an
            /// [`Error::InvalidInput`](crate::Error::InvalidInput), and
            /// repeats within a chunk in its `duplicates` (a repeat in a
            /// later chunk is sent again, and Gong's answer settles it). To
            /// refuse a whole input before anything is sent, use
            /// [`send`](Self::send). Cancel and abort stop reading the
            /// input. Fails only if the job's own settings are invalid.
            pub fn parts_from_iter<I>(self, items: I) -> $crate::Result<$crate::Parts<$report>>
            where
                I: IntoIterator + Send + 'static,
                I::IntoIter: Send + 'static,
                I::Item: Into<$item>,
            {
                let items = items.into_iter();
                let total = match items.size_hint() {
                    (low, Some(high)) if low == high => Some(low),
                    _ => None,
                };
                let items = items.map(|item| From::from(Into::<$item>::into(item)));
                self.parts_with(futures::stream::iter(items), total)
            }

            /// Like [`parts_from_iter`](Self::parts_from_iter), over a stream
            /// of inputs (e.g. read from a file or a queue as the job goes).
            pub fn parts_from_stream<S>(self, items: S) -> $crate::Result<$crate::Parts<$report>>
            where
                S: futures::Stream + Send + 'static,
                S::Item: Into<$item>,
            {
                use futures::StreamExt as _;
                let items = items.map(|item| From::from(Into::<$item>::into(item)));
                self.parts_with(items, None)
            }

            fn parts_with<S>(
                self,
                items: S,
                total: Option<usize>,
            ) -> $crate::Result<$crate::Parts<$report>>
            where
                S: futures::Stream<
                        Item = <<Self as $crate::job::IntoJob>::Job as $crate::job::Job>::Item,
                    > + Send
                    + 'static,
            {
                use futures::StreamExt as _;
                let (job, own) = $crate::job::IntoJob::into_job(self)?;
                let total = total.map(|n| n + own.len());
                let items = futures::stream::iter(own).chain(items);
                let input = $crate::job::Input::streamed(items, total);
                Ok($crate::job::parts(job, input))
            }
        }
    };
}

pub(crate) use job_methods;
