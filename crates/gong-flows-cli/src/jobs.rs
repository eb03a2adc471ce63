//! Running jobs so that they can be stopped cleanly: by a fatal answer, by
//! a chunk that failed after the SDK's retries, or by Ctrl-C. In every case
//! no new chunk is started, the calls in flight are finished, and every id
//! is accounted for.
//!
//! Assign drives the SDK's streaming form, [`gong_flows::Assign::send_stream`],
//! over an iterator that stops yielding at the next chunk boundary once the
//! job is told to stop. The unassign jobs and bulk assignment feed the SDK
//! one chunk's worth of ids per request (one id per call for unassign by CRM
//! id, as Gong requires; 200 instance ids; 50 bulk prospects), several slices
//! in flight at once, and stop starting slices the same way. A slice is
//! exactly one chunk of the SDK's own job, so this costs no extra calls.

use crate::context::Ctx;
use crate::exit::{self, CliError, code_for, describe};
use crate::report::{self, IdKind, NotAttempted, NotUnassigned, Unassigned};
use futures::{StreamExt as _, stream};
use gong_flows::{BulkProspect, Error};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio::sync::mpsc;

/// Ctrl-C (and SIGTERM), as a stream of requests to stop. Once listened
/// to, the signals no longer kill the process: the job decides.
#[derive(Debug)]
pub struct Interrupts {
    rx: mpsc::UnboundedReceiver<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Interrupts {
    /// Starts listening. On Unix the handlers are installed before this
    /// returns, so that a signal arriving at any later moment is caught.
    pub fn listen() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        #[cfg(unix)]
        let task = {
            use tokio::signal::unix::{Signal, SignalKind, signal};
            async fn next(signal: &mut Option<Signal>) -> Option<()> {
                match signal {
                    Some(signal) => signal.recv().await,
                    None => std::future::pending().await,
                }
            }
            let mut interrupt = signal(SignalKind::interrupt()).ok();
            let mut terminate = signal(SignalKind::terminate()).ok();
            tokio::spawn(async move {
                loop {
                    let got = tokio::select! {
                        Some(()) = next(&mut interrupt) => true,
                        Some(()) = next(&mut terminate) => true,
                        else => false,
                    };
                    if !got || tx.send(()).is_err() {
                        break;
                    }
                }
            })
        };
        #[cfg(not(unix))]
        let task = tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                if tx.send(()).is_err() {
                    break;
                }
            }
        });
        Self { rx, task }
    }

    /// The next request to stop (never, if signals cannot be listened to).
    pub async fn next(&mut self) {
        if self.rx.recv().await.is_none() {
            std::future::pending::<()>().await;
        }
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Why a job stopped before the end.
#[derive(Debug, Clone)]
pub enum Stop {
    /// An answer no later call could overcome (401, 403, unknown flow,
    /// spent daily budget).
    Fatal(Arc<Error>),
    /// A chunk failed after the SDK's retries (rate limit, server, network).
    Failed(Arc<Error>),
    /// Ctrl-C or SIGTERM.
    Interrupted,
}

impl Stop {
    fn rank(&self) -> u8 {
        match self {
            Stop::Fatal(_) => 2,
            Stop::Failed(_) => 1,
            Stop::Interrupted => 0,
        }
    }

    /// Keeps the most telling reason: a fatal answer explains more than a
    /// failed chunk, which explains more than Ctrl-C.
    fn raise(slot: &mut Option<Stop>, stop: Stop) {
        if slot.as_ref().is_none_or(|s| stop.rank() > s.rank()) {
            *slot = Some(stop);
        }
    }

    /// One line.
    pub fn describe(&self) -> String {
        match self {
            Stop::Fatal(e) | Stop::Failed(e) => describe(e),
            Stop::Interrupted => "interrupted (Ctrl-C)".to_owned(),
        }
    }

    /// The exit code of a job it stopped.
    pub fn code(&self) -> u8 {
        match self {
            Stop::Fatal(e) | Stop::Failed(e) => match code_for(e) {
                code @ (exit::AUTH | exit::NOT_FOUND) => code,
                _ => exit::STOPPED,
            },
            Stop::Interrupted => exit::STOPPED,
        }
    }
}

/// The exit code of a finished or stopped job.
pub fn job_code(stop: Option<&Stop>, not_attempted: usize, refused: usize) -> u8 {
    if not_attempted > 0 {
        stop.map_or(exit::STOPPED, Stop::code)
    } else if refused > 0 {
        exit::PARTIAL
    } else {
        exit::OK
    }
}

/// Hands out a job's items in order until told to stop, then ends at the
/// next chunk boundary; counts what it handed out.
struct Feed<T> {
    items: Arc<[T]>,
    pulled: Arc<AtomicUsize>,
    halt: Arc<AtomicBool>,
    size: usize,
}

impl<T: Clone> Iterator for Feed<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let at = self.pulled.load(Ordering::SeqCst);
        if at.is_multiple_of(self.size) && self.halt.load(Ordering::SeqCst) {
            return None;
        }
        let item = self.items.get(at)?.clone();
        self.pulled.store(at + 1, Ordering::SeqCst);
        Some(item)
    }
}

/// Slices of one chunk each, from a [`Feed`].
struct Slices<T>(Feed<T>);

impl<T: Clone> Iterator for Slices<T> {
    type Item = Vec<T>;

    fn next(&mut self) -> Option<Vec<T>> {
        let size = self.0.size;
        let slice: Vec<T> = self.0.by_ref().take(size).collect();
        (!slice.is_empty()).then_some(slice)
    }
}

/// The shared state of one run: what was handed out, and the stop flag.
struct Run<T> {
    items: Arc<[T]>,
    pulled: Arc<AtomicUsize>,
    halt: Arc<AtomicBool>,
    size: usize,
    stop: Option<Stop>,
    interrupts_seen: u32,
}

impl<T: Clone> Run<T> {
    fn new(items: Vec<T>, size: usize) -> Self {
        Self {
            items: items.into(),
            pulled: Arc::new(AtomicUsize::new(0)),
            halt: Arc::new(AtomicBool::new(false)),
            size: size.max(1),
            stop: None,
            interrupts_seen: 0,
        }
    }

    fn feed(&self) -> Feed<T> {
        Feed {
            items: self.items.clone(),
            pulled: self.pulled.clone(),
            halt: self.halt.clone(),
            size: self.size,
        }
    }

    fn chunks(&self) -> usize {
        self.items.len().div_ceil(self.size)
    }

    fn stop(&mut self, stop: Stop) {
        self.halt.store(true, Ordering::SeqCst);
        Stop::raise(&mut self.stop, stop);
    }

    /// Records a chunk's outcome: a fatal error or any id left unattempted
    /// stops the job.
    fn judge(&mut self, fatal: Option<&Arc<Error>>, unattempted: Option<&Arc<Error>>) {
        if let Some(error) = fatal {
            self.stop(Stop::Fatal(error.clone()));
        } else if let Some(error) = unattempted {
            self.stop(Stop::Failed(error.clone()));
        }
    }

    /// Ctrl-C: the first stops starting chunks; the second stops at once.
    /// Returns whether to abandon the calls in flight.
    fn interrupted(&mut self, progress: &crate::progress::JobProgress) -> bool {
        self.interrupts_seen += 1;
        self.stop(Stop::Interrupted);
        if self.interrupts_seen == 1 {
            progress.note(
                "Interrupted: finishing the calls in flight, then writing the report \
                 (Ctrl-C again to stop at once).",
            );
            false
        } else {
            progress.note("Stopping at once; calls in flight are abandoned.");
            true
        }
    }

    /// The items without an outcome, each with why: handed out but
    /// abandoned in flight (its outcome unknown), or never started.
    fn leftovers<'a>(
        &'a self,
        accounted: &HashSet<String>,
        key: impl Fn(&T) -> String + 'a,
    ) -> Vec<(T, String, bool)> {
        let pulled = self.pulled.load(Ordering::SeqCst);
        let reason = self
            .stop
            .as_ref()
            .map_or_else(|| "the job ended early".to_owned(), Stop::describe);
        self.items
            .iter()
            .enumerate()
            .filter(|(_, item)| !accounted.contains(&key(item)))
            .map(|(at, item)| {
                if at < pulled {
                    (
                        item.clone(),
                        format!("abandoned in flight, outcome unknown: {reason}"),
                        true,
                    )
                } else {
                    (item.clone(), format!("not started: {reason}"), false)
                }
            })
            .collect()
    }
}

/// What an assign run did.
#[derive(Debug, Default)]
pub struct AssignRun {
    /// Prospects in the flow.
    pub assigned: Vec<report::Assigned>,
    /// Prospects Gong refused.
    pub not_assigned: Vec<report::NotAssigned>,
    /// Prospects not attempted.
    pub not_attempted: Vec<NotAttempted>,
    /// Calls made.
    pub requests: u64,
    /// Gong's request ids.
    pub request_ids: Vec<String>,
    /// Why it stopped early.
    pub stop: Option<Stop>,
}

/// Assigns `ids` (checked and unique) to the flow.
pub async fn run_assign(
    ctx: &Ctx,
    flow_id: &str,
    owner_email: &str,
    batch_size: usize,
    ids: Vec<String>,
    interrupts: &mut Interrupts,
) -> Result<AssignRun, CliError> {
    let mut run = Run::new(ids, batch_size);
    let mut chunks = ctx
        .client
        .assign(flow_id, owner_email)
        .batch_size(run.size)
        .send_stream(run.feed())
        .map_err(CliError::from)?;
    let progress = ctx.progress(run.items.len(), run.chunks());
    let mut out = AssignRun::default();
    let mut accounted = HashSet::new();
    loop {
        tokio::select! {
            chunk = chunks.next() => {
                let Some(chunk) = chunk else { break };
                let count = chunk.assigned.len() + chunk.not_assigned.len() + chunk.not_attempted.len();
                progress.chunk_done(count as u64);
                run.judge(chunk.stats.stopped.as_ref(), chunk.not_attempted.first().map(|n| &n.error));
                out.requests += u64::from(chunk.stats.requests);
                out.request_ids.extend(chunk.stats.request_ids);
                for a in chunk.assigned {
                    accounted.insert(a.crm_prospect_id.clone());
                    out.assigned.push(report::Assigned {
                        status: a.instance.status.as_ref().map(|s| s.as_str().to_owned()),
                        flow_instance_id: a.instance.flow_instance_id,
                        crm_prospect_id: a.crm_prospect_id,
                        reconciled: a.reconciled,
                    });
                }
                for n in chunk.not_assigned {
                    accounted.insert(n.crm_prospect_id.clone());
                    out.not_assigned.push(report::NotAssigned {
                        error_code: n.error_code.as_ref().map(|c| c.as_str().to_owned()),
                        crm_prospect_id: n.crm_prospect_id,
                        error_message: n.error_message,
                    });
                }
                for n in chunk.not_attempted {
                    accounted.insert(n.id.clone());
                    out.not_attempted.push(NotAttempted::new(
                        IdKind::Crm,
                        n.id,
                        describe(&n.error),
                        n.error.may_have_been_sent(),
                    ));
                }
            }
            () = interrupts.next() => {
                if run.interrupted(&progress) {
                    break;
                }
            }
        }
    }
    // Abandons whatever is still in flight after a second Ctrl-C.
    drop(chunks);
    progress.finish();
    for (id, error, maybe) in run.leftovers(&accounted, Clone::clone) {
        out.not_attempted
            .push(NotAttempted::new(IdKind::Crm, id, error, maybe));
    }
    out.stop = run.stop;
    Ok(out)
}

/// What an unassign run did.
#[derive(Debug, Default)]
pub struct UnassignRun {
    /// Ids removed.
    pub unassigned: Vec<Unassigned>,
    /// Ids Gong did not remove.
    pub not_unassigned: Vec<NotUnassigned>,
    /// Ids not attempted.
    pub not_attempted: Vec<NotAttempted>,
    /// Calls made.
    pub requests: u64,
    /// Gong's request ids.
    pub request_ids: Vec<String>,
    /// Why it stopped early.
    pub stop: Option<Stop>,
}

/// Removes `ids` (checked and unique): CRM prospect ids from their flows
/// (or from `flow_id`), or flow instances.
pub async fn run_unassign(
    ctx: &Ctx,
    kind: IdKind,
    flow_id: Option<&str>,
    by: Option<&str>,
    ids: Vec<String>,
    interrupts: &mut Interrupts,
) -> Result<UnassignRun, CliError> {
    let size = match kind {
        // Gong's endpoint takes one CRM id per call.
        IdKind::Crm => 1,
        IdKind::Instance => ctx.client.batch_sizes().unassign_instances(),
    };
    let mut run = Run::new(ids, size);
    let (flow_id, by) = (flow_id.map(str::to_owned), by.map(str::to_owned));
    let client = ctx.client.clone();
    let mut parts = stream::iter(Slices(run.feed()))
        .map(move |slice| {
            let (client, flow_id, by) = (client.clone(), flow_id.clone(), by.clone());
            async move {
                let result = match kind {
                    IdKind::Crm => {
                        let mut job = client.unassign_prospects(&slice);
                        if let Some(flow) = flow_id {
                            job = job.flow_id(flow);
                        }
                        if let Some(by) = by {
                            job = job.unassigned_by(by);
                        }
                        job.send().await
                    }
                    IdKind::Instance => {
                        let mut job = client.unassign_instances(&slice);
                        if let Some(by) = by {
                            job = job.unassigned_by(by);
                        }
                        job.send().await
                    }
                };
                (slice, result)
            }
        })
        .buffered(ctx.concurrency);
    let progress = ctx.progress(run.items.len(), run.chunks());
    let mut out = UnassignRun::default();
    let mut accounted = HashSet::new();
    loop {
        tokio::select! {
            part = parts.next() => {
                let Some((slice, result)) = part else { break };
                progress.chunk_done(slice.len() as u64);
                let part = match result {
                    Ok(part) => part,
                    Err(error) => {
                        // Input is checked before the job; should the SDK
                        // still refuse a slice, its ids are reported.
                        let error = Arc::new(error);
                        run.judge(None, Some(&error));
                        for id in slice {
                            accounted.insert(id.clone());
                            out.not_attempted.push(NotAttempted::new(kind, id, describe(&error), false));
                        }
                        continue;
                    }
                };
                run.judge(part.stats.stopped.as_ref(), part.not_attempted.first().map(|n| &n.error));
                out.requests += u64::from(part.stats.requests);
                out.request_ids.extend(part.stats.request_ids);
                for u in part.unassigned {
                    accounted.insert(u.id.clone());
                    out.unassigned.push(Unassigned::new(kind, u.id, u.flow_instance_ids));
                }
                for n in part.not_unassigned {
                    accounted.insert(n.id.clone());
                    out.not_unassigned.push(NotUnassigned::new(kind, n.id, n.reason));
                }
                for n in part.not_attempted {
                    accounted.insert(n.id.clone());
                    out.not_attempted.push(NotAttempted::new(
                        kind,
                        n.id,
                        describe(&n.error),
                        n.error.may_have_been_sent(),
                    ));
                }
            }
            () = interrupts.next() => {
                if run.interrupted(&progress) {
                    break;
                }
            }
        }
    }
    drop(parts);
    progress.finish();
    for (id, error, maybe) in run.leftovers(&accounted, Clone::clone) {
        out.not_attempted
            .push(NotAttempted::new(kind, id, error, maybe));
    }
    out.stop = run.stop;
    Ok(out)
}

/// What a bulk assignment run did.
#[derive(Debug, Default)]
pub struct BulkRun {
    /// Gong's jobs.
    pub jobs: Vec<report::BulkJob>,
    /// Prospects assigned.
    pub assigned: Vec<report::BulkOutcome>,
    /// Prospects Gong could not assign.
    pub not_assigned: Vec<report::BulkOutcome>,
    /// Prospects not submitted, or whose job's outcome is unknown.
    pub not_attempted: Vec<report::BulkNotAttempted>,
    /// Calls made.
    pub requests: u64,
    /// Gong's request ids.
    pub request_ids: Vec<String>,
    /// Why it stopped early.
    pub stop: Option<Stop>,
}

fn outcome(result: gong_flows::BulkResult) -> report::BulkOutcome {
    report::BulkOutcome {
        crm_prospect_id: result.crm_id,
        flow_instance_id: result.flow_instance_id,
        status: result.status.as_ref().map(|s| s.as_str().to_owned()),
        error_code: result.error_code,
        error_message: result.error_message,
        prospect: result.prospect,
    }
}

/// Submits `prospects` (checked and unique) in bulk jobs of Gong's size,
/// and waits for each.
pub async fn run_bulk(
    ctx: &Ctx,
    flow_id: &str,
    owner_email: &str,
    prospects: Vec<BulkProspect>,
    interrupts: &mut Interrupts,
) -> Result<BulkRun, CliError> {
    let mut run = Run::new(prospects, ctx.client.batch_sizes().bulk());
    let client = ctx.client.clone();
    let (flow, owner) = (flow_id.to_owned(), owner_email.to_owned());
    let mut parts = stream::iter(Slices(run.feed()))
        .map(move |slice| {
            let job = client.bulk_assign(flow.clone(), owner.clone());
            async move {
                let keys: Vec<String> = slice.iter().map(BulkProspect::key).collect();
                (keys, slice.clone(), job.prospects(slice).send().await)
            }
        })
        .buffered(ctx.concurrency);
    let progress = ctx.progress(run.items.len(), run.chunks());
    let mut out = BulkRun::default();
    let mut accounted = HashSet::new();
    loop {
        tokio::select! {
            part = parts.next() => {
                let Some((keys, slice, result)) = part else { break };
                progress.chunk_done(keys.len() as u64);
                accounted.extend(keys);
                let part = match result {
                    Ok(part) => part,
                    Err(error) => {
                        let error = Arc::new(error);
                        run.judge(None, Some(&error));
                        out.not_attempted.extend(slice.into_iter().map(|prospect| report::BulkNotAttempted {
                            prospect,
                            error: describe(&error),
                            may_have_been_sent: false,
                        }));
                        continue;
                    }
                };
                run.judge(part.stats.stopped.as_ref(), part.not_attempted.first().map(|n| &n.error));
                out.requests += u64::from(part.stats.requests);
                out.request_ids.extend(part.stats.request_ids);
                out.jobs.extend(part.jobs.into_iter().map(|job| report::BulkJob {
                    id: job.id,
                    status: job.status.as_ref().map(|s| s.as_str().to_owned()),
                    total_count: job.total_count,
                    success_count: job.success_count,
                    failed_count: job.failed_count,
                }));
                out.assigned.extend(part.assigned.into_iter().map(outcome));
                out.not_assigned.extend(part.failed.into_iter().map(outcome));
                out.not_attempted.extend(part.not_attempted.into_iter().map(|n| report::BulkNotAttempted {
                    error: describe(&n.error),
                    may_have_been_sent: n.error.may_have_been_sent(),
                    prospect: n.prospect,
                }));
            }
            () = interrupts.next() => {
                if run.interrupted(&progress) {
                    break;
                }
            }
        }
    }
    drop(parts);
    progress.finish();
    for (prospect, error, maybe) in run.leftovers(&accounted, BulkProspect::key) {
        out.not_attempted.push(report::BulkNotAttempted {
            prospect,
            error,
            may_have_been_sent: maybe,
        });
    }
    out.stop = run.stop;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gong_flows::ApiError;

    fn feed(n: usize, size: usize) -> (Feed<usize>, Arc<AtomicBool>, Arc<AtomicUsize>) {
        let run = Run::new((0..n).collect(), size);
        let (halt, pulled) = (run.halt.clone(), run.pulled.clone());
        (run.feed(), halt, pulled)
    }

    #[test]
    fn feed_stops_only_at_chunk_boundaries() {
        let (mut feed, halt, pulled) = feed(10, 4);
        assert_eq!(feed.next(), Some(0));
        halt.store(true, Ordering::SeqCst);
        // The chunk under way is completed...
        assert_eq!(feed.by_ref().collect::<Vec<_>>(), [1, 2, 3]);
        // ...and nothing more is handed out.
        assert_eq!(feed.next(), None);
        assert_eq!(pulled.load(Ordering::SeqCst), 4);
    }

    #[test]
    fn slices_are_chunks() {
        let (feed, halt, _) = feed(5, 2);
        let mut slices = Slices(feed);
        assert_eq!(slices.next(), Some(vec![0, 1]));
        halt.store(true, Ordering::SeqCst);
        assert_eq!(slices.next(), None);
    }

    #[test]
    fn leftovers_say_whether_they_were_in_flight() {
        let mut run = Run::new(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()], 1);
        let mut feed = run.feed();
        feed.next();
        feed.next();
        run.stop(Stop::Interrupted);
        let accounted: HashSet<String> = ["a".to_owned()].into();
        let left = run.leftovers(&accounted, Clone::clone);
        assert_eq!(left.len(), 2);
        assert_eq!(left[0].0, "b");
        assert!(left[0].2, "b was handed out: its outcome is unknown");
        assert_eq!(left[1].0, "c");
        assert!(!left[1].2);
        assert!(left[1].1.starts_with("not started: interrupted"));
    }

    #[test]
    fn stop_reasons_and_codes() {
        let api = |status| ApiError {
            operation: "assignProspects",
            status,
            request_id: Some("rid".into()),
            errors: vec![],
        };
        let mut slot = None;
        Stop::raise(&mut slot, Stop::Interrupted);
        Stop::raise(&mut slot, Stop::Failed(Arc::new(Error::Server(api(500)))));
        Stop::raise(&mut slot, Stop::Interrupted);
        assert!(matches!(slot, Some(Stop::Failed(_))));
        assert_eq!(slot.as_ref().map(Stop::code), Some(exit::STOPPED));
        Stop::raise(
            &mut slot,
            Stop::Fatal(Arc::new(Error::Unauthorized(api(401)))),
        );
        assert_eq!(slot.as_ref().map(Stop::code), Some(exit::AUTH));
        let not_found = Stop::Fatal(Arc::new(Error::NotFound(api(404))));
        assert_eq!(not_found.code(), exit::NOT_FOUND);
        assert_eq!(job_code(Some(&not_found), 3, 0), exit::NOT_FOUND);
        assert_eq!(job_code(Some(&not_found), 0, 1), exit::PARTIAL);
        assert_eq!(job_code(None, 0, 0), exit::OK);
        assert_eq!(job_code(None, 1, 0), exit::STOPPED);
    }
}
