//! Pacing calls to Gong's rate limits.

use crate::error::{Error, Result};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// The boxed future [`Pacer::acquire`] returns.
pub type PacerFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// Decides when a call may be sent.
///
/// Gong limits calls per company (3 per second and 10,000 per day by
/// default), not per process. The client asks its pacer before every attempt
/// and tells it about every 429, so the pacer is the one place that knows the
/// limit. [`InProcessPacer`] (the default) shares the limit among all clones of
/// one [`Client`](crate::Client). To share it among several processes of one
/// company, implement this trait over a shared store and pass it to
/// [`ClientBuilder::pacer`](crate::ClientBuilder::pacer): `acquire` reserves
/// the next free slot (for example with a Redis script that advances a
/// "next free time" key by `1/rate` and returns the slot to sleep until), and
/// `pause` pushes that key to at least `now + wait`.
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
///     fn acquire(&self) -> PacerFuture<'_> {
///         Box::pin(async { Ok(()) })
///     }
///     fn pause(&self, _wait: Duration) {}
/// }
/// ```
pub trait Pacer: Send + Sync + fmt::Debug {
    /// Waits until a call may be sent and counts it. Fails (without waiting)
    /// when a budget is spent.
    fn acquire(&self) -> PacerFuture<'_>;

    /// Gong answered 429 with this `Retry-After`: no call may be sent before
    /// it has passed, from any task.
    fn pause(&self, wait: Duration);

    /// How much of a [`pause`](Pacer::pause) is left, if any. The client
    /// fails a call at once with [`Error::RateLimited`] instead of waiting
    /// when this exceeds its retry policy's `max_retry_after`. The default
    /// knows of no pause.
    fn pause_remaining(&self) -> Option<Duration> {
        None
    }
}

/// The default [`Pacer`]: a rate limit and an optional daily budget, shared
/// by all clones of a client.
///
/// Calls are spaced evenly at `1/rate`, widened by a small safety margin
/// (2 % by default) so that network jitter cannot bunch `rate + 1` calls into
/// one second on Gong's side. Slots are reserved in order, so concurrent
/// callers queue fairly and a pipelined job runs at the rate itself. A 429's
/// `Retry-After` pauses every caller, not just the one that got it. The
/// daily budget counts calls over a rolling 24-hour window starting with the
/// first call and fails fast with
/// [`Error::DailyBudgetExhausted`](crate::Error::DailyBudgetExhausted) instead
/// of spending the company's quota on calls that would be refused.
///
/// This is written here rather than taken from a rate-limiting crate because
/// it must follow tokio's clock (so that tests on a paused clock can drive it)
/// and accept server-imposed pauses; the whole mechanism is one reservation.
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
    interval: Option<Duration>,
    daily_budget: Option<u32>,
    state: Mutex<PacerState>,
}

#[derive(Debug)]
struct PacerState {
    next_slot: Option<Instant>,
    paused_until: Option<Instant>,
    day_started: Option<Instant>,
    day_calls: u32,
}

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// The default widening of the interval between calls.
pub const DEFAULT_SAFETY_MARGIN: f64 = 0.02;

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
        let interval = calls_per_second
            .filter(|rate| rate.is_finite() && *rate > 0.0)
            .map(|rate| Duration::from_secs_f64((1.0 + margin.clamp(0.0, 1.0)) / rate));
        Self {
            interval,
            daily_budget,
            state: Mutex::new(PacerState {
                next_slot: None,
                paused_until: None,
                day_started: None,
                day_calls: 0,
            }),
        }
    }

    /// Reserves a slot: the instant to wait for, or a spent budget.
    fn reserve(&self, now: Instant) -> Result<Instant> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
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
            state.day_calls += 1;
        }
        let mut slot = now;
        if let Some(paused) = state.paused_until {
            slot = slot.max(paused);
        }
        if let Some(interval) = self.interval {
            if let Some(next) = state.next_slot {
                slot = slot.max(next);
            }
            state.next_slot = Some(slot + interval);
        }
        Ok(slot)
    }

    fn paused_until(&self) -> Option<Instant> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .paused_until
    }
}

impl Pacer for InProcessPacer {
    fn acquire(&self) -> PacerFuture<'_> {
        Box::pin(async move {
            let now = Instant::now();
            let slot = self.reserve(now)?;
            // An unpaced call need not visit the timer at all.
            if slot > now {
                tokio::time::sleep_until(slot).await;
            }
            // A 429 may have arrived while this caller waited for its slot:
            // wait out that pause too, then take the first slot after it.
            while let Some(paused) = self.paused_until() {
                if paused <= Instant::now() {
                    break;
                }
                tracing::debug!(wait_ms = %(paused - Instant::now()).as_millis(), "waiting out Retry-After");
                tokio::time::sleep_until(paused).await;
            }
            Ok(())
        })
    }

    fn pause_remaining(&self) -> Option<Duration> {
        let now = Instant::now();
        self.paused_until()
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    fn pause(&self, wait: Duration) {
        // A server may send any number; no pause outlasts the daily window.
        let now = Instant::now();
        let until = now.checked_add(wait.min(DAY)).unwrap_or(now);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.paused_until = Some(state.paused_until.map_or(until, |p| p.max(until)));
        // Calls queued behind the pause are spaced from its end.
        if let Some(next) = state.next_slot {
            state.next_slot = Some(next.max(until));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_calls_at_the_rate() {
        let pacer = InProcessPacer::with_margin(Some(4.0), None, 0.0);
        let start = Instant::now();
        for _ in 0..5 {
            pacer.acquire().await.unwrap();
        }
        // Five calls at 4/s: the fifth goes at 1 s.
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn safety_margin_widens_the_interval() {
        let pacer = InProcessPacer::new(Some(10.0), None);
        let start = Instant::now();
        pacer.acquire().await.unwrap();
        pacer.acquire().await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(102));
    }

    #[tokio::test(start_paused = true)]
    async fn pause_holds_every_caller() {
        let pacer = InProcessPacer::new(None, None);
        let start = Instant::now();
        pacer.pause(Duration::from_secs(2));
        pacer.acquire().await.unwrap();
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
        pacer.acquire().await.unwrap();
        assert_eq!(start.elapsed(), DAY);
    }

    #[tokio::test(start_paused = true)]
    async fn daily_budget_fails_fast() {
        let pacer = InProcessPacer::new(None, Some(2));
        pacer.acquire().await.unwrap();
        pacer.acquire().await.unwrap();
        let err = pacer.acquire().await.unwrap_err();
        assert!(matches!(err, Error::DailyBudgetExhausted { limit: 2, .. }));
        tokio::time::advance(DAY).await;
        pacer.acquire().await.unwrap();
    }
}
