//! Pacing calls to Gong's rate limits.
//!
//! The model is GCRA (the generic cell rate algorithm behind `governor` and
//! redis-cell) with a burst of one: every call reserves an instant of its
//! own, `1/rate` after the previous reservation, so no two callers ever hold
//! the same instant and any one-second window holds at most `rate` calls.
//! The spacing counts from when a call is actually released: a task that
//! wakes late (a loaded machine) pushes the next call back rather than let
//! it follow at once. A 429's pause moves the schedule: a reservation that
//! falls inside a pause is given up and taken again after it, behind the
//! calls already queued there, instead of going out together with them
//! when the pause ends.
//!
//! The daily budget counts calls over a rolling 24-hour window (per minute:
//! a call counts until the end of its minute plus 24 hours), so no 24-hour
//! span holds more than the budget, whether Gong counts per calendar day
//! or per 24 hours. A reserve keeps part of the budget for the company's
//! other integrations, and [`Pacer::budget`] says what is left. Remaining-
//! quota headers ([`QuotaHint`]) can only make the pacer more careful.

mod adapt;
mod company;
mod hint;
#[cfg(feature = "redis")]
mod redis;
mod window;

#[cfg(feature = "redis")]
pub use self::redis::{RedisPacer, RedisPacerBuilder, WhenUnavailable};
pub use adapt::{Adaptation, Adapted};
pub use company::Company;
pub(crate) use company::host_of;
pub use hint::QuotaHint;

use crate::error::{ApiError, Error, Result};
use adapt::{AdaptedRate, Raised};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};
use tokio::sync::watch;
use tokio::time::Instant;
use window::{DAY, DailyWindow};

/// The boxed future [`Pacer::acquire`] returns.
pub type PacerFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// The boxed future [`Pacer::budget`] returns.
pub type BudgetFuture<'a> = Pin<Box<dyn Future<Output = Result<Option<Budget>>> + Send + 'a>>;

/// What is left of a pacer's daily budget ([`Pacer::budget`]).
///
/// ```
/// use gong_flows::{InProcessPacer, Pacer};
///
/// # async fn demo() -> gong_flows::Result<()> {
/// let pacer = InProcessPacer::new(Some(3.0), Some(10_000)).with_reserve(1_000);
/// let budget = pacer.budget().await?.unwrap();
/// assert_eq!((budget.limit, budget.used, budget.reserve, budget.left), (10_000, 0, 1_000, 9_000));
/// assert_eq!(budget.next_free_at, None);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// The calls allowed per 24 hours (the configured daily limit).
    pub limit: u32,
    /// The calls in the current 24-hour window.
    pub used: u32,
    /// The calls kept for the company's other integrations: never spent.
    pub reserve: u32,
    /// The calls the pacer still allows now: `limit - used - reserve`, never
    /// below zero, and lower when Gong's answers said less is left
    /// ([`Pacer::observe`]).
    pub left: u32,
    /// When `left` is zero: when the next call is allowed, on this
    /// machine's clock.
    pub next_free_at: Option<SystemTime>,
}

/// What a job does when the company's daily quota (less the reserve) may
/// not hold all its calls. Set on the client
/// ([`ClientBuilder::over_quota`](crate::ClientBuilder::over_quota)).
///
/// Gong's 10,000 calls a day are shared by every integration of the
/// company, and once they are gone every one of them is refused until
/// calls free up; a job stopped half-way has spent part of the day for
/// half its work. So by default a job that cannot fit is refused before
/// anything is sent.
///
/// ```
/// use gong_flows::{Client, OverQuota};
///
/// let client = Client::builder()
///     .base_url("https://us-55616.api.gong.io")
///     .bearer_token("token")
///     .over_quota(OverQuota::RunWhatFits)
///     .build()?;
/// # let _ = client;
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OverQuota {
    /// Refuse the job before anything is sent: every input is not attempted
    /// with [`Error::OverQuota`], naming the calls needed and left.
    #[default]
    Refuse,
    /// Run what fits: the job stops when the quota is spent, with the rest
    /// not attempted ([`Error::DailyBudgetExhausted`], saying when calls
    /// free up), ready to resume the next day.
    RunWhatFits,
    /// Run, and when the quota is spent wait until calls free up (the
    /// job's progress shows the wait; cancel ends it at once).
    WaitForReset,
}

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
/// adapted, calls per second), [`adapted`](Pacer::adapted) (why it is
/// lower), [`pause_remaining`](Pacer::pause_remaining) and
/// [`budget`](Pacer::budget). Everything but `acquire` and `pause` has a
/// default, so a pacer that knows less still compiles.
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

    /// What is left of the daily budget; `None` without one (the default).
    /// Cheap for [`InProcessPacer`], one round trip for `RedisPacer`.
    fn budget(&self) -> BudgetFuture<'_> {
        Box::pin(async { Ok(None) })
    }

    /// What the pacer knows of the daily budget now, without asking anyone
    /// (no round trip): the call loop passes it to
    /// [`Observer`](crate::Observer)s after every attempt, for quota gauges.
    /// `None` when there is no budget or nothing is known yet (the
    /// default). [`InProcessPacer`] has it exact; `RedisPacer` has the
    /// figures of Redis' latest answer.
    fn budget_now(&self) -> Option<Budget> {
        None
    }

    /// An answer carried remaining-quota headers. A pacer may use them to be
    /// more careful than its configured limits, never less: the default
    /// ignores them. The client's call loop passes every answer's hint.
    fn observe(&self, hint: &QuotaHint) {
        let _ = hint;
    }

    /// The adapted rate and why, while 429s keep it below the configured
    /// rate; `None` at the configured rate (the default).
    fn adapted(&self) -> Option<Adapted> {
        None
    }
}

/// The error of a wait beyond what the caller may spend: it says when the
/// wait ends, and is not retryable before then. The client names the
/// operation.
pub(crate) fn too_long(wait: Duration, why: &str) -> Error {
    Error::RateLimited {
        retry_after: wait,
        api: ApiError {
            operation: "pacer",
            status: 429,
            request_id: None,
            trace_id: None,
            errors: vec![why.to_owned()],
        },
        until: Some(wall_clock_after(wait)),
    }
}

/// Names the operation in a pacer's [`too_long`] error.
pub(crate) fn for_operation(error: Error, operation: &'static str) -> Error {
    match error {
        Error::RateLimited {
            retry_after,
            mut api,
            until,
        } if api.operation == "pacer" => {
            api.operation = operation;
            Error::RateLimited {
                retry_after,
                api,
                until,
            }
        }
        other => other,
    }
}

/// The wall-clock instant `wait` from now, for a pause (which the pacer
/// ends within a day, whatever a server sent).
pub(crate) fn wall_clock_after(wait: Duration) -> SystemTime {
    wall_clock_in(wait.min(DAY))
}

/// The wall-clock instant `wait` from now.
fn wall_clock_in(wait: Duration) -> SystemTime {
    let now = SystemTime::now();
    now.checked_add(wait).unwrap_or(now)
}

/// The wall-clock instant of a tokio instant (which may be a test's
/// paused clock).
fn wall_clock_of(at: Instant) -> SystemTime {
    let now = Instant::now();
    let wall = SystemTime::now();
    if at >= now {
        wall.checked_add(at - now).unwrap_or(wall)
    } else {
        wall.checked_sub(now - at).unwrap_or(wall)
    }
}

/// A call released within this of its slot counts as on time: tokio's
/// timer wakes on the millisecond after.
const TIMER_SLACK: Duration = Duration::from_millis(1);

/// How long `remaining: 0` without a reset holds calls (Gong's window is a
/// second).
const EMPTY_WINDOW_PAUSE: Duration = Duration::from_secs(1);

/// How long a daily hint without a reset is kept.
const DAILY_HINT_HOLD: Duration = Duration::from_secs(60 * 60);

/// The default [`Pacer`]: a rate limit and an optional daily budget, shared
/// by all clones of a client.
///
/// Calls are spaced at `1/rate`, widened by a small safety margin (1.5 % by
/// default: 5 ms at Gong's 3/s) so that network jitter cannot bunch `rate + 1` calls into one
/// second on Gong's side. Every call reserves its own slot (GCRA with a burst
/// of one), so concurrent callers queue fairly and a pipelined job runs at
/// the rate itself; the spacing counts from when a call is actually
/// released, so a caller woken late pushes the next one back. A 429's
/// `Retry-After` pauses every caller, not just the one that got it; callers
/// whose slot falls inside the pause reserve again after it, so that the
/// pause is never followed by a burst. Repeated 429s lower the rate
/// ([`Adaptation`]).
///
/// The daily budget counts calls over a rolling 24-hour window, counted per
/// minute (a call counts until the end of its minute plus 24 hours: never
/// less than 24 hours, at most a minute more), in 1,441 counters whatever
/// the budget. When the budget less the [reserve](Self::with_reserve) is in
/// the window, calls fail fast with
/// [`Error::DailyBudgetExhausted`](crate::Error::DailyBudgetExhausted),
/// which says when the oldest calls leave the window, instead of spending
/// the company's quota on calls that would be refused.
///
/// This is written here rather than taken from a rate-limiting crate because
/// it must follow tokio's clock (so that tests on a paused clock can drive it)
/// and accept server-imposed pauses.
///
/// ```
/// use gong_flows::InProcessPacer;
///
/// let gong_default = InProcessPacer::new(Some(3.0), Some(10_000));
/// let leave_some = InProcessPacer::new(Some(3.0), Some(10_000)).with_reserve(2_000);
/// let unlimited = InProcessPacer::new(None, None);
/// # let _ = (gong_default, leave_some, unlimited);
/// ```
#[derive(Debug)]
pub struct InProcessPacer {
    margin: f64,
    daily_budget: Option<u32>,
    reserve: u32,
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
    /// When the last call went: its slot if it went on time, else the
    /// moment it was released. The next call goes an interval after it.
    last_release: Option<Instant>,
    paused_until: Option<Instant>,
    day: DailyWindow,
    /// Gong said fewer calls are left today than the window allows.
    daily_hint: Option<DailyHint>,
    rate: Option<AdaptedRate>,
}

/// Calls left today by Gong's account, until its reset.
#[derive(Debug, Clone, Copy)]
struct DailyHint {
    left: u32,
    until: Instant,
}

/// The budget as the pacer sees it at one instant.
#[derive(Debug, Clone, Copy)]
struct BudgetView {
    limit: u32,
    used: u32,
    reserve: u32,
    left: u32,
    frees_at: Option<Instant>,
}

impl BudgetView {
    fn public(&self) -> Budget {
        Budget {
            limit: self.limit,
            used: self.used,
            reserve: self.reserve,
            left: self.left,
            next_free_at: self.frees_at.map(wall_clock_of),
        }
    }

    fn exhausted(&self, now: Instant) -> Error {
        let resets_in = self
            .frees_at
            .unwrap_or(now + DAY)
            .saturating_duration_since(now);
        Error::DailyBudgetExhausted {
            limit: self.limit.saturating_sub(self.reserve),
            resets_in,
            resets_at: wall_clock_in(resets_in),
        }
    }
}

/// What a caller does at its slot.
enum Released {
    /// The call may go.
    Go,
    /// A pause covers the slot: reserve again.
    Again,
    /// The call before went late: wait until then.
    At(Instant),
}

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
            reserve: 0,
            adaptation: Adaptation::default(),
            state: Mutex::new(PacerState {
                next_slot: None,
                last_release: None,
                paused_until: None,
                day: DailyWindow::new(Instant::now()),
                daily_hint: None,
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

    /// Keeps `calls` of the daily budget for the company's other
    /// integrations: calls fail with
    /// [`Error::DailyBudgetExhausted`](crate::Error::DailyBudgetExhausted)
    /// once the budget less the reserve is in the window. At most the
    /// budget (which then refuses every call); no effect without a budget.
    ///
    /// ```
    /// # async fn demo() {
    /// use gong_flows::{InProcessPacer, Pacer};
    /// use std::time::Duration;
    ///
    /// let pacer = InProcessPacer::new(None, Some(3)).with_reserve(1);
    /// pacer.acquire(Duration::ZERO).await.unwrap();
    /// pacer.acquire(Duration::ZERO).await.unwrap();
    /// // The third call would spend the reserve.
    /// assert!(pacer.acquire(Duration::ZERO).await.is_err());
    /// # }
    /// ```
    pub fn with_reserve(mut self, calls: u32) -> Self {
        self.reserve = calls.min(self.daily_budget.unwrap_or(0));
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PacerState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The interval between calls at the current rate.
    fn interval(&self, state: &PacerState) -> Option<Duration> {
        state
            .rate
            .as_ref()
            .map(|rate| Duration::from_secs_f64((1.0 + self.margin) / rate.rate()))
    }

    /// The budget at `now`, or `None` without one.
    fn budget_view(&self, state: &mut PacerState, now: Instant) -> Option<BudgetView> {
        let limit = self.daily_budget?;
        let used = state.day.used(now);
        let allowed = limit.saturating_sub(self.reserve);
        let own = allowed.saturating_sub(used);
        if state.daily_hint.is_some_and(|hint| hint.until <= now) {
            state.daily_hint = None;
        }
        let hint = state.daily_hint;
        let left = hint.map_or(own, |hint| own.min(hint.left));
        let frees_at = if left > 0 {
            None
        } else {
            let own_frees = (own == 0).then(|| state.day.frees_at(allowed).unwrap_or(now + DAY));
            let hint_frees = hint.filter(|hint| hint.left == 0).map(|hint| hint.until);
            own_frees.max(hint_frees)
        };
        Some(BudgetView {
            limit,
            used,
            reserve: self.reserve,
            left,
            frees_at,
        })
    }

    /// Reserves the next free slot at or after `now`, unless it (or the
    /// budget's renewal) lies beyond `deadline`.
    fn reserve(&self, now: Instant, deadline: Instant) -> Result<Instant> {
        let mut state = self.lock();
        if let Some(view) = self.budget_view(&mut state, now)
            && view.left == 0
        {
            return Err(view.exhausted(now));
        }
        if let Some(rate) = state.rate.as_mut() {
            match rate.on_tick(&self.adaptation, now) {
                Some(Raised::Step(raised)) => tracing::info!(
                    calls_per_second = raised,
                    "raising the call rate after a quiet period"
                ),
                Some(Raised::Returned(rate)) => tracing::info!(
                    calls_per_second = rate,
                    "back at the configured call rate: no 429 for a while"
                ),
                None => {}
            }
        }
        let mut slot = now;
        if let Some(paused) = state.paused_until {
            slot = slot.max(paused);
        }
        let interval = self.interval(&state);
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

    /// At `at` (its slot, or later if the call before went late): counts
    /// the call, or says to reserve again (a pause announced since covers
    /// it) or to wait for the spacing after a late call.
    fn release(&self, at: Instant) -> Result<Released> {
        let now = Instant::now();
        let mut state = self.lock();
        if state.paused_until.is_some_and(|paused| paused > at) {
            return Ok(Released::Again);
        }
        let interval = self.interval(&state);
        if let (Some(interval), Some(last)) = (interval, state.last_release)
            && now < last + interval
        {
            return Ok(Released::At(last + interval));
        }
        // Callers queued together may all have passed the first check.
        if let Some(view) = self.budget_view(&mut state, now) {
            if view.left == 0 {
                return Err(view.exhausted(now));
            }
            state.day.count(now, 1);
            if let Some(hint) = state.daily_hint.as_mut() {
                hint.left = hint.left.saturating_sub(1);
            }
        }
        // Late (the task woke after its slot): the spacing counts from now.
        let released = if now.saturating_duration_since(at) <= TIMER_SLACK {
            at
        } else {
            now
        };
        state.last_release = Some(released);
        if let Some(interval) = interval {
            let next = released + interval;
            state.next_slot = Some(state.next_slot.map_or(next, |slot| slot.max(next)));
        }
        Ok(Released::Go)
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

    /// Adopts Gong's count of the calls left today when it is lower.
    fn adopt_daily_hint(&self, left: u32, reset: Option<Duration>) {
        if self.daily_budget.is_none() {
            return;
        }
        let now = Instant::now();
        let until = now + reset.unwrap_or(DAILY_HINT_HOLD).min(DAY);
        let mut state = self.lock();
        let active = state.daily_hint.filter(|hint| hint.until > now);
        if active.is_none_or(|hint| left < hint.left) {
            state.daily_hint = Some(DailyHint { left, until });
        }
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
            'reserve: loop {
                let mut at = self.reserve(Instant::now(), deadline)?;
                loop {
                    if !wait_for_slot(at, &mut pauses).await {
                        tracing::debug!("slot fell inside a Retry-After pause; reserving again");
                        continue 'reserve;
                    }
                    match self.release(at)? {
                        Released::Go => return Ok(()),
                        Released::Again => continue 'reserve,
                        Released::At(later) => at = later,
                    }
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
        let now = Instant::now();
        self.lock()
            .rate
            .as_ref()
            .map(|rate| rate.rate_at(&self.adaptation, now))
    }

    fn budget(&self) -> BudgetFuture<'_> {
        let view = {
            let mut state = self.lock();
            self.budget_view(&mut state, Instant::now())
        };
        Box::pin(async move { Ok(view.map(|view| view.public())) })
    }

    fn budget_now(&self) -> Option<Budget> {
        let mut state = self.lock();
        self.budget_view(&mut state, Instant::now())
            .map(|view| view.public())
    }

    /// `remaining: 0` holds every call until the reset (a second without
    /// one), like a pause but without lowering the rate; a
    /// `daily_remaining` lower than the budget's own `left` is adopted
    /// until the daily reset (an hour without one), counting down with
    /// every call. Other fields are not acted on: the window `remaining`
    /// counts over is not known, and the pacer's own spacing holds the
    /// rate.
    fn observe(&self, hint: &QuotaHint) {
        if hint.remaining == Some(0) {
            self.set_pause(hint.reset.unwrap_or(EMPTY_WINDOW_PAUSE), false);
        }
        if let Some(left) = hint.daily_remaining {
            self.adopt_daily_hint(left, hint.daily_reset);
        }
    }

    fn adapted(&self) -> Option<Adapted> {
        let now = Instant::now();
        let state = self.lock();
        let rate = state.rate.as_ref()?;
        let (current, since, last_429) = rate.lowered(&self.adaptation, now)?;
        Some(Adapted {
            rate: current,
            configured: rate.configured(),
            since: wall_clock_of(since),
            last_429: wall_clock_of(last_429),
        })
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
        // Both calls leave the window at the end of their minute plus 24 h.
        tokio::time::advance(DAY + window::BUCKET).await;
        pacer.acquire(FOREVER).await.unwrap();
    }
}
