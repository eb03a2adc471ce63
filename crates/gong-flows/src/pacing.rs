//! Pacing calls to Gong's rate limits.
//!
//! The model is GCRA (the generic cell rate algorithm behind `governor` and
//! redis-cell) with a burst of one: every call reserves an instant of its
//! own, `1/rate` after the previous reservation, so no two callers ever hold
//! the same instant and any one-second window holds at most `rate` calls. A
//! 429's pause moves the schedule: a reservation that falls inside a pause
//! is given up and taken again after it, behind the calls already queued
//! there, instead of going out together with them when the pause ends.

mod adapt;
#[cfg(feature = "redis")]
mod redis;

#[cfg(feature = "redis")]
pub use self::redis::{RedisPacer, RedisPacerBuilder, WhenUnavailable};
pub use adapt::Adaptation;

use crate::error::{ApiError, Error, Result};
use adapt::AdaptedRate;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The boxed future [`Pacer::acquire`] returns.
pub type PacerFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// Decides when a call may be sent.
///
/// Gong limits calls per company (3 per second and 10,000 per day by
/// default), not per process. The client asks its pacer before every attempt
/// and tells it about every 429, so the pacer is the one place that knows the
/// limit. [`InProcessPacer`] (the default) shares the limit among all clones of
/// one [`Client`](crate::Client); `RedisPacer` (cargo feature `redis`) shares
/// it among every process of a company. Another shared store can implement
/// this trait and be passed to
/// [`ClientBuilder::pacer`](crate::ClientBuilder::pacer).
///
/// A progress display reads [`rate`](Pacer::rate) (the current, possibly
/// adapted, calls per second) and [`pause_remaining`](Pacer::pause_remaining).
///
/// ```
/// use gong_flows::{Pacer, PacerFuture};
/// use std::time::Duration;
///
/// /// A pacer that never waits (for a test double or an external limiter).
/// #[derive(Debug)]
/// struct Unpaced;
///
/// impl Pacer for Unpaced {
///     fn acquire(&self, _max_wait: Duration) -> PacerFuture<'_> {
///         Box::pin(async { Ok(()) })
///     }
///     fn pause(&self, _wait: Duration) {}
/// }
/// ```
pub trait Pacer: Send + Sync + fmt::Debug {
    /// Reserves a slot of the caller's own, waits for it and counts the call.
    ///
    /// Fails at once, without waiting, with [`Error::RateLimited`] when the
    /// slot (or a pause) lies more than `max_wait` away, also when a pause
    /// announced while the caller waits pushes it that far; with
    /// [`Error::DailyBudgetExhausted`] when a budget is spent.
    fn acquire(&self, max_wait: Duration) -> PacerFuture<'_>;

    /// No call may be sent before `wait` has passed, from any task (a
    /// `Retry-After` on a 503).
    fn pause(&self, wait: Duration);

    /// Gong answered 429 with this `Retry-After`: pauses like
    /// [`pause`](Pacer::pause), and lets an adaptive pacer lower its rate.
    fn rate_limited(&self, retry_after: Duration) {
        self.pause(retry_after);
    }

    /// How much of a pause is left, if any. The default knows of no pause.
    fn pause_remaining(&self) -> Option<Duration> {
        None
    }

    /// The calls per second currently allowed (lower than the configured
    /// rate while adapting to other traffic); `None` when unpaced.
    fn rate(&self) -> Option<f64> {
        None
    }
}

/// The error of a wait beyond what the caller may spend. The client names
/// the operation.
pub(crate) fn too_long(wait: Duration, why: &str) -> Error {
    Error::RateLimited {
        retry_after: wait,
        api: ApiError {
            operation: "pacer",
            status: 429,
            request_id: None,
            errors: vec![why.to_owned()],
        },
    }
}

/// Names the operation in a pacer's [`too_long`] error.
pub(crate) fn for_operation(error: Error, operation: &'static str) -> Error {
    match error {
        Error::RateLimited {
            retry_after,
            mut api,
        } if api.operation == "pacer" => {
            api.operation = operation;
            Error::RateLimited { retry_after, api }
        }
        other => other,
    }
}

/// The default [`Pacer`]: a rate limit and an optional daily budget, shared
/// by all clones of a client.
///
/// Calls are spaced at `1/rate`, widened by a small safety margin (1.5 % by
/// default: 5 ms at Gong's 3/s) so that network jitter cannot bunch `rate + 1` calls into one
/// second on Gong's side. Every call reserves its own slot (GCRA with a burst
/// of one), so concurrent callers queue fairly and a pipelined job runs at
/// the rate itself. A 429's `Retry-After` pauses every caller, not just the
/// one that got it; callers whose slot falls inside the pause reserve again
/// after it, so that the pause is never followed by a burst. Repeated 429s
/// lower the rate ([`Adaptation`]). The daily budget counts calls over a
/// rolling 24-hour window starting with the first call and fails fast with
/// [`Error::DailyBudgetExhausted`](crate::Error::DailyBudgetExhausted)
/// instead of spending the company's quota on calls that would be refused.
///
/// This is written here rather than taken from a rate-limiting crate because
/// it must follow tokio's clock (so that tests on a paused clock can drive it)
/// and accept server-imposed pauses.
///
/// ```
/// use gong_flows::InProcessPacer;
///
/// let gong_default = InProcessPacer::new(Some(3.0), Some(10_000));
/// let unlimited = InProcessPacer::new(None, None);
/// # let _ = (gong_default, unlimited);
/// ```
#[derive(Debug)]
pub struct InProcessPacer {
    margin: f64,
    daily_budget: Option<u32>,
    adaptation: Adaptation,
    state: Mutex<PacerState>,
    /// The end of the latest pause, published so that callers waiting for
    /// their slot learn of it at once.
    pauses: watch::Sender<Option<Instant>>,
}

#[derive(Debug)]
struct PacerState {
    /// The next free instant (GCRA's theoretical arrival time).
    next_slot: Option<Instant>,
    paused_until: Option<Instant>,
    day_started: Option<Instant>,
    day_calls: u32,
    rate: Option<AdaptedRate>,
}

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// The default widening of the interval between calls.
pub const DEFAULT_SAFETY_MARGIN: f64 = 0.015;

impl InProcessPacer {
    /// A pacer allowing `calls_per_second` (none: unpaced) and at most
    /// `daily_budget` calls per 24 hours (none: no budget).
    pub fn new(calls_per_second: Option<f64>, daily_budget: Option<u32>) -> Self {
        Self::with_margin(calls_per_second, daily_budget, DEFAULT_SAFETY_MARGIN)
    }

    /// Like [`new`](Self::new) with an explicit safety margin (a fraction of
    /// the interval; `0.0` spaces calls at exactly `1/rate`).
    pub fn with_margin(
        calls_per_second: Option<f64>,
        daily_budget: Option<u32>,
        margin: f64,
    ) -> Self {
        let rate = calls_per_second
            .filter(|rate| rate.is_finite() && *rate > 0.0)
            .map(AdaptedRate::new);
        let margin = if margin.is_finite() {
            margin.clamp(0.0, 1.0)
        } else {
            DEFAULT_SAFETY_MARGIN
        };
        Self {
            margin,
            daily_budget,
            adaptation: Adaptation::default(),
            state: Mutex::new(PacerState {
                next_slot: None,
                paused_until: None,
                day_started: None,
                day_calls: 0,
                rate,
            }),
            pauses: watch::Sender::new(None),
        }
    }

    /// Sets how the rate adapts to 429s (default [`Adaptation::default`]).
    pub fn with_adaptation(mut self, adaptation: Adaptation) -> Self {
        self.adaptation = adaptation;
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PacerState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves the next free slot at or after `now`, unless it (or the
    /// budget's renewal) lies beyond `deadline`.
    fn reserve(&self, now: Instant, deadline: Instant) -> Result<Instant> {
        let mut state = self.lock();
        if let Some(limit) = self.daily_budget {
            let started = *state.day_started.get_or_insert(now);
            if now.duration_since(started) >= DAY {
                state.day_started = Some(now);
                state.day_calls = 0;
            }
            if state.day_calls >= limit {
                let started = state.day_started.unwrap_or(now);
                return Err(Error::DailyBudgetExhausted {
                    limit,
                    resets_in: DAY.saturating_sub(now.duration_since(started)),
                });
            }
        }
        if let Some(rate) = state.rate.as_mut()
            && let Some(raised) = rate.on_tick(&self.adaptation, now)
        {
            tracing::info!(
                calls_per_second = raised,
                "raising the call rate after a quiet period"
            );
        }
        let mut slot = now;
        if let Some(paused) = state.paused_until {
            slot = slot.max(paused);
        }
        let interval = state
            .rate
            .as_ref()
            .map(|rate| Duration::from_secs_f64((1.0 + self.margin) / rate.rate()));
        if interval.is_some()
            && let Some(next) = state.next_slot
        {
            slot = slot.max(next);
        }
        if slot > deadline {
            let why = if state.paused_until.is_some_and(|p| p >= slot) {
                "waiting out an earlier Retry-After"
            } else {
                "the next free slot is later than the call may wait"
            };
            return Err(too_long(slot - now, why));
        }
        if let Some(interval) = interval {
            state.next_slot = Some(slot + interval);
        }
        Ok(slot)
    }

    /// At its slot: counts the call, or says that a pause announced since
    /// the reservation covers the slot (`Ok(false)`: reserve again).
    fn release(&self, slot: Instant) -> Result<bool> {
        let mut state = self.lock();
        if state.paused_until.is_some_and(|paused| paused > slot) {
            return Ok(false);
        }
        if let Some(limit) = self.daily_budget {
            // Callers queued together may all have passed the first check.
            if state.day_calls >= limit {
                let started = state.day_started.unwrap_or(slot);
                return Err(Error::DailyBudgetExhausted {
                    limit,
                    resets_in: DAY.saturating_sub(Instant::now().duration_since(started)),
                });
            }
            state.day_calls += 1;
        }
        Ok(true)
    }

    fn paused_until(&self) -> Option<Instant> {
        self.lock().paused_until
    }

    fn set_pause(&self, wait: Duration, rate_limited: bool) {
        // A server may send any number; no pause outlasts the daily window.
        let now = Instant::now();
        let until = now.checked_add(wait.min(DAY)).unwrap_or(now);
        let mut state = self.lock();
        let until = state.paused_until.map_or(until, |p| p.max(until));
        state.paused_until = Some(until);
        if rate_limited
            && let Some(rate) = state.rate.as_mut()
            && let Some(lowered) = rate.on_429(&self.adaptation, now, until)
        {
            tracing::info!(
                calls_per_second = lowered,
                "lowering the call rate: 429s although paced (other traffic shares the company's limit)"
            );
        }
        drop(state);
        self.pauses.send_replace(Some(until));
    }
}

/// Waits for `slot`, waking early when a pause is announced that covers
/// it. Returns whether the slot still holds.
async fn wait_for_slot(slot: Instant, pauses: &mut watch::Receiver<Option<Instant>>) -> bool {
    loop {
        if Instant::now() >= slot {
            return true;
        }
        tokio::select! {
            () = tokio::time::sleep_until(slot) => return true,
            changed = pauses.changed() => {
                if changed.is_err() {
                    tokio::time::sleep_until(slot).await;
                    return true;
                }
                if pauses.borrow_and_update().is_some_and(|until| until > slot) {
                    return false;
                }
            }
        }
    }
}

impl Pacer for InProcessPacer {
    fn acquire(&self, max_wait: Duration) -> PacerFuture<'_> {
        Box::pin(async move {
            let start = Instant::now();
            let deadline = start
                .checked_add(max_wait)
                .or_else(|| start.checked_add(DAY * 365))
                .unwrap_or(start);
            let mut pauses = self.pauses.subscribe();
            loop {
                let slot = self.reserve(Instant::now(), deadline)?;
                if !wait_for_slot(slot, &mut pauses).await {
                    tracing::debug!("slot fell inside a Retry-After pause; reserving again");
                    continue;
                }
                if self.release(slot)? {
                    return Ok(());
                }
            }
        })
    }

    fn pause_remaining(&self) -> Option<Duration> {
        let now = Instant::now();
        self.paused_until()
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    fn pause(&self, wait: Duration) {
        self.set_pause(wait, false);
    }

    fn rate_limited(&self, retry_after: Duration) {
        self.set_pause(retry_after, true);
    }

    fn rate(&self) -> Option<f64> {
        self.lock().rate.as_ref().map(AdaptedRate::rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOREVER: Duration = Duration::from_secs(365 * 24 * 3600);

    #[tokio::test(start_paused = true)]
    async fn spaces_calls_at_the_rate() {
        let pacer = InProcessPacer::with_margin(Some(4.0), None, 0.0);
        let start = Instant::now();
        for _ in 0..5 {
            pacer.acquire(FOREVER).await.unwrap();
        }
        // Five calls at 4/s: the fifth goes at 1 s.
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn safety_margin_widens_the_interval() {
        let pacer = InProcessPacer::new(Some(10.0), None);
        let start = Instant::now();
        pacer.acquire(FOREVER).await.unwrap();
        pacer.acquire(FOREVER).await.unwrap();
        // 101.5 ms, on tokio's millisecond timer.
        assert_eq!(start.elapsed(), Duration::from_millis(102));
    }

    #[tokio::test(start_paused = true)]
    async fn pause_holds_every_caller() {
        let pacer = InProcessPacer::new(None, None);
        let start = Instant::now();
        pacer.pause(Duration::from_secs(2));
        pacer.acquire(FOREVER).await.unwrap();
        assert!(start.elapsed() >= Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn the_remaining_pause_is_known() {
        let pacer = InProcessPacer::new(None, None);
        assert_eq!(pacer.pause_remaining(), None);
        pacer.pause(Duration::from_secs(5));
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(pacer.pause_remaining(), Some(Duration::from_secs(3)));
        tokio::time::advance(Duration::from_secs(3)).await;
        assert_eq!(pacer.pause_remaining(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn an_absurd_retry_after_is_bounded() {
        let pacer = InProcessPacer::new(Some(3.0), None);
        pacer.pause(Duration::MAX);
        let start = Instant::now();
        pacer.acquire(FOREVER).await.unwrap();
        assert_eq!(start.elapsed(), DAY);
    }

    #[tokio::test(start_paused = true)]
    async fn daily_budget_fails_fast() {
        let pacer = InProcessPacer::new(None, Some(2));
        pacer.acquire(FOREVER).await.unwrap();
        pacer.acquire(FOREVER).await.unwrap();
        let err = pacer.acquire(FOREVER).await.unwrap_err();
        assert!(matches!(err, Error::DailyBudgetExhausted { limit: 2, .. }));
        tokio::time::advance(DAY).await;
        pacer.acquire(FOREVER).await.unwrap();
    }
}
