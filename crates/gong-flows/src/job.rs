//! The one job driver every chunked operation runs on.
//!
//! An operation supplies only what is its own ([`Operation`]): how an input
//! is checked and keyed, how many go in one call, how a chunk becomes calls
//! and its answers a report part. The driver does the rest, once: checking
//! and deduplicating, chunking, bounded concurrency, the stop rule, progress,
//! cancellation and abort, and putting every input in exactly one bucket.
//!
//! **The stop rule.** A chunk whose calls fail after their retries leaves
//! its inputs not attempted; the job then starts no new chunk (a fatal
//! answer such as 401 also stops the chunks waiting for a slot at once).
//! Every input after that is reported not attempted with the same error,
//! which becomes the report's `stats.stopped`.

use crate::control::{ChunkCtx, Control, JobHandle};
use crate::error::{Error, Result};
use crate::report::Report;
use futures::future::BoxFuture;
use futures::stream::{BoxStream, FuturesUnordered, Stream, StreamExt as _};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

/// What an operation supplies to the driver.
pub(crate) trait Operation: Send + Sync + Sized + 'static {
    /// One input: an id, or a bulk prospect.
    type Item: Clone + Send + Sync + 'static;
    /// The operation's report.
    type Report: Report;

    /// Checks one input before it is sent.
    fn check(&self, item: &Self::Item) -> Result<()>;
    /// The key repeats are found by.
    fn key(item: &Self::Item) -> Cow<'_, str>;
    /// Inputs per call.
    fn chunk_size(&self) -> usize;
    /// An empty report carrying the job's settings.
    fn report(&self) -> Self::Report;
    /// A report part in which `items` were not attempted, for `error`.
    fn not_attempted(
        &self,
        items: Vec<Self::Item>,
        error: &Arc<Error>,
        may_have_been_sent: bool,
    ) -> Self::Report;
    /// Runs one chunk: its calls, with their retries, sorted into a part.
    fn run(
        self: Arc<Self>,
        items: Vec<Self::Item>,
        ctx: ChunkCtx,
    ) -> BoxFuture<'static, Self::Report>;
}

/// The inputs of a job, as the driver takes them.
pub(crate) struct Input<T> {
    items: BoxStream<'static, T>,
    /// Whether every input was checked and deduplicated before the job.
    checked: bool,
    total: Option<usize>,
    duplicates: Vec<String>,
}

impl<T: Send + 'static> Input<T> {
    /// Inputs checked and deduplicated now: the first bad one is an error
    /// and nothing is sent.
    pub fn checked<Op: Operation<Item = T>>(op: &Op, items: Vec<T>) -> Result<Self> {
        let (unique, duplicates) = prepare(op, items)?;
        Ok(Self {
            total: Some(unique.len()),
            items: futures::stream::iter(unique).boxed(),
            checked: true,
            duplicates,
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
        }
    }
}

/// Checks every input and drops repeats, in input order.
pub(crate) fn prepare<Op: Operation>(
    op: &Op,
    items: Vec<Op::Item>,
) -> Result<(Vec<Op::Item>, Vec<String>)> {
    // Repeats are found on borrowed keys; without any (the usual case), the
    // input is kept as it is.
    let mut repeats = Vec::new();
    {
        let mut seen = HashSet::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            op.check(item)?;
            if !seen.insert(Op::key(item)) {
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
            duplicates.push(Op::key(&item).into_owned());
        } else {
            unique.push(item);
        }
    }
    Ok((unique, duplicates))
}

/// Checks a chunk of a streamed input: bad inputs are reported not
/// attempted, repeats within the chunk are duplicates.
fn screen<Op: Operation>(op: &Op, chunk: Vec<Op::Item>) -> (Vec<Op::Item>, Op::Report) {
    let mut part = op.report();
    let clean = chunk.iter().all(|item| op.check(item).is_ok()) && {
        let mut keys: Vec<Cow<'_, str>> = chunk.iter().map(Op::key).collect();
        keys.sort_unstable();
        keys.windows(2).all(|pair| pair[0] != pair[1])
    };
    if clean {
        return (chunk, part);
    }
    let mut seen = HashSet::with_capacity(chunk.len());
    let mut unique = Vec::with_capacity(chunk.len());
    for item in chunk {
        if let Err(error) = op.check(&item) {
            part.absorb(op.not_attempted(vec![item], &Arc::new(error), false));
        } else if !seen.insert(Op::key(&item).into_owned()) {
            part.stats_mut()
                .duplicates
                .push(Op::key(&item).into_owned());
        } else {
            unique.push(item);
        }
    }
    (unique, part)
}

/// The outcome of one chunk, as the streaming form of a job yields it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Chunk<R> {
    /// The chunk's position in the job, from 0.
    pub index: usize,
    /// The chunk's part of the report: its inputs, each in one bucket, and
    /// its calls.
    pub report: R,
}

/// The per-chunk results of a job, in input order; made by `stream()`,
/// `send_stream()` and `send_stream_from()` of every bulk operation.
/// Memory stays bounded by the chunks in flight, however long the input.
/// [`handle`](Self::handle) watches, cancels or aborts the job; dropping
/// the stream abandons it.
#[must_use = "a stream does nothing unless polled"]
pub struct ChunkStream<R> {
    inner: BoxStream<'static, Chunk<R>>,
    handle: JobHandle,
}

impl<R> std::fmt::Debug for ChunkStream<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkStream")
            .field("handle", &self.handle)
            .finish_non_exhaustive()
    }
}

impl<R> ChunkStream<R> {
    /// The job's controls.
    pub fn handle(&self) -> JobHandle {
        self.handle.clone()
    }
}

impl<R> Stream for ChunkStream<R> {
    type Item = Chunk<R>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk<R>>> {
        self.inner.poll_next_unpin(cx)
    }
}

/// A chunk under way, as the driver keeps it: its inputs, to report them
/// if it is abandoned, and whether a request of it has left.
struct InFlight<T, R> {
    items: Vec<T>,
    sent: Arc<AtomicBool>,
    /// Inputs of the chunk refused before it was sent.
    part: R,
}

struct Driver<Op: Operation> {
    op: Arc<Op>,
    chunks: futures::stream::Fuse<futures::stream::Chunks<BoxStream<'static, Op::Item>>>,
    input_done: bool,
    checked: bool,
    concurrency: usize,
    control: Control,
    running: FuturesUnordered<BoxFuture<'static, (usize, Op::Report)>>,
    in_flight: HashMap<usize, InFlight<Op::Item, Op::Report>>,
    ready: BTreeMap<usize, Op::Report>,
    next_index: usize,
    next_out: usize,
    duplicates: Vec<String>,
    abandoned: bool,
}

/// Runs a job as a stream of chunk results.
pub(crate) fn drive<Op: Operation>(
    op: Arc<Op>,
    input: Input<Op::Item>,
    concurrency: usize,
) -> ChunkStream<Op::Report> {
    let control = Control::new(input.total);
    let handle = JobHandle::new(control.clone());
    let size = op.chunk_size().max(1);
    let driver = Driver {
        op,
        chunks: input.items.chunks(size).fuse(),
        input_done: false,
        checked: input.checked,
        concurrency: concurrency.max(1),
        control,
        running: FuturesUnordered::new(),
        in_flight: HashMap::new(),
        ready: BTreeMap::new(),
        next_index: 0,
        next_out: 0,
        duplicates: input.duplicates,
        abandoned: false,
    };
    let inner = futures::stream::unfold(driver, |mut driver| async move {
        let chunk = driver.next().await?;
        Some((chunk, driver))
    })
    .boxed();
    ChunkStream { inner, handle }
}

/// Runs a job to its end and gathers the whole report.
pub(crate) async fn collect<R: Report>(mut report: R, mut chunks: ChunkStream<R>) -> R {
    while let Some(chunk) = chunks.next().await {
        report.absorb(chunk.report);
    }
    // Every stop, of any chunk, is the job's.
    if let Some(reason) = chunks.handle.control().get() {
        report.stats_mut().stopped = Some(reason);
    }
    report
}

impl<Op: Operation> Driver<Op> {
    async fn next(&mut self) -> Option<Chunk<Op::Report>> {
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
                self.control.chunk_done(report.total());
                return Some(Chunk { index, report });
            }
            if self.input_done && self.running.is_empty() {
                debug_assert!(self.ready.is_empty(), "every chunk is yielded in order");
                self.control.finish();
                return None;
            }
            if self.control.is_aborted() && !self.abandoned {
                self.abandon();
                continue;
            }
            let can_start = !self.input_done && self.running.len() < self.concurrency;
            let control = self.control.clone();
            tokio::select! {
                biased;
                () = control.aborted(), if !self.abandoned && !self.running.is_empty() => {}
                Some((index, report)) = self.running.next(), if !self.running.is_empty() => {
                    let mut part = match self.in_flight.remove(&index) {
                        Some(chunk) => chunk.part,
                        None => self.op.report(),
                    };
                    part.absorb(report);
                    self.judge(&part);
                    self.ready.insert(index, part);
                }
                chunk = self.chunks.next(), if can_start => match chunk {
                    Some(items) => self.start(items),
                    None => self.input_done = true,
                },
            }
        }
    }

    /// Starts one chunk, or reports it not attempted if the job stopped.
    fn start(&mut self, items: Vec<Op::Item>) {
        let index = self.next_index;
        self.next_index += 1;
        let (items, mut part) = if self.checked {
            (items, self.op.report())
        } else {
            screen(&*self.op, items)
        };
        if let Some(reason) = self.control.get() {
            part.absorb(self.op.not_attempted(items, &reason, false));
            self.ready.insert(index, part);
            return;
        }
        if items.is_empty() {
            self.ready.insert(index, part);
            return;
        }
        let ctx = ChunkCtx {
            control: self.control.clone(),
            sent: Arc::new(AtomicBool::new(false)),
        };
        self.in_flight.insert(
            index,
            InFlight {
                items: items.clone(),
                sent: ctx.sent.clone(),
                part,
            },
        );
        let run = self.op.clone().run(items, ctx);
        self.running
            .push(Box::pin(async move { (index, run.await) }));
    }

    /// The stop rule: inputs left not attempted by a failure stop the job.
    fn judge(&self, report: &Op::Report) {
        let failure = report
            .not_attempted_errors()
            .into_iter()
            .find(|e| !matches!(**e, Error::InvalidInput { .. }));
        if let Some(error) = failure {
            self.control.set(error);
        }
    }

    /// Abort: every chunk in flight is abandoned and reported.
    fn abandon(&mut self) {
        self.abandoned = true;
        self.running = FuturesUnordered::new();
        let aborted = Arc::new(Error::Aborted);
        for (index, chunk) in std::mem::take(&mut self.in_flight) {
            let sent = chunk.sent.load(Ordering::SeqCst);
            let mut part = chunk.part;
            part.absorb(self.op.not_attempted(chunk.items, &aborted, sent));
            self.ready.insert(index, part);
        }
    }
}
