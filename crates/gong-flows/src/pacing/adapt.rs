//! Adapting the pace to other traffic of the company (AIMD with a timed
//! return).

use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// How a pacer adapts its rate when 429s show that other traffic of the
/// company shares Gong's limit: a multiplicative decrease while 429s keep
/// coming, and a return to the configured rate once they stop.
///
/// A paced client never exceeds its configured rate, so a 429 means someone
/// else spends part of the company's quota (or a one-off hiccup on Gong's
/// side). The first 429 at the full configured rate only pauses: one 429 is
/// not yet a pattern. A second one within [`window`](Self::window), or any
/// 429 once the rate is lowered, multiplies the rate by
/// [`decrease`](Self::decrease) (at most once per `Retry-After` pause, since
/// calls already in flight answer 429 together), never below
/// [`floor`](Self::floor).
///
/// A lowered rate holds while 429s come. Once [`recovery`](Self::recovery)
/// has passed since the last 429, the rate returns to the configured rate
/// at once: the other traffic may have stopped, and a client must not crawl
/// back over an hour when it has. The time is counted from the clock, when
/// the next call asks, so a job that calls rarely recovers as fast as one
/// that calls often. If that return draws a 429 within `window`, the other
/// traffic is still there and the rate goes back to where it was before
/// the return. So beside steady other traffic the client probes once per
/// `recovery` and pays about one 429 for it; when the traffic stops it is
/// back at full rate within `recovery` of the last 429.
///
/// Optionally the rate also grows by [`increase`](Self::increase) of the
/// configured rate after every [`quiet`](Self::quiet) period before the
/// return. The default adds nothing: each step that crosses the share left
/// by the other traffic costs another 429, and the return after `recovery`
/// already finds out whether that traffic has gone.
///
/// The defaults (× 0.9, back after 60 s, a 60 s window, a floor of 10 %)
/// settle within 10 % below the share left by the other traffic at about
/// one 429 a minute, and are back at the full rate a minute after the
/// other traffic stops, from any lowered rate. (Against the simulator on
/// tokio's paused clock, with 1 of 3 calls/s taken by other traffic: the
/// rate settled at 1.97/s, 95 % of the 2/s left, and each return to 3/s,
/// one every 60.5 s, drew one 429.)
///
/// ```
/// use gong_flows::Adaptation;
/// use std::time::Duration;
///
/// let adaptation = Adaptation::default().with_recovery(Duration::from_secs(30));
/// assert_eq!(adaptation.recovery(), Duration::from_secs(30));
/// assert!(!Adaptation::off().is_on());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adaptation {
    on: bool,
    decrease: f64,
    increase: f64,
    quiet: Duration,
    window: Duration,
    floor: f64,
    recovery: Duration,
}

impl Default for Adaptation {
    fn default() -> Self {
        Self {
            on: true,
            decrease: 0.9,
            increase: 0.0,
            quiet: Duration::from_secs(15),
            window: Duration::from_secs(60),
            floor: 0.1,
            recovery: Duration::from_secs(60),
        }
    }
}

impl Adaptation {
    /// No adaptation: the configured rate always.
    pub fn off() -> Self {
        Self {
            on: false,
            ..Self::default()
        }
    }

    /// Whether the rate adapts at all.
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Sets the factor a 429 multiplies the rate by (clamped to 0.1..=1).
    pub fn with_decrease(mut self, factor: f64) -> Self {
        self.decrease = if factor.is_finite() {
            factor.clamp(0.1, 1.0)
        } else {
            Self::default().decrease
        };
        self
    }

    /// Sets the share of the configured rate added after each quiet period
    /// before the return to the configured rate (clamped to 0..=1; default
    /// 0).
    pub fn with_increase(mut self, share: f64) -> Self {
        self.increase = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            Self::default().increase
        };
        self
    }

    /// Sets the time without a 429 after which the rate grows by
    /// [`increase`](Self::increase) (at least 100 ms).
    pub fn with_quiet(mut self, quiet: Duration) -> Self {
        self.quiet = quiet.max(Duration::from_millis(100));
        self
    }

    /// Sets the window in which a second 429 at the full rate lowers it,
    /// and in which a 429 after a return to the configured rate undoes the
    /// return.
    pub fn with_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Sets the lowest rate, as a share of the configured one (clamped to
    /// 0.01..=1).
    pub fn with_floor(mut self, share: f64) -> Self {
        self.floor = if share.is_finite() {
            share.clamp(0.01, 1.0)
        } else {
            Self::default().floor
        };
        self
    }

    /// Sets the time without a 429 after which a lowered rate returns to
    /// the configured rate (at least 1 s; default 60 s).
    pub fn with_recovery(mut self, recovery: Duration) -> Self {
        self.recovery = recovery.max(Duration::from_secs(1));
        self
    }

    /// The factor a 429 multiplies the rate by.
    pub fn decrease(&self) -> f64 {
        self.decrease
    }

    /// The share of the configured rate added after each quiet period.
    pub fn increase(&self) -> f64 {
        self.increase
    }

    /// The time without a 429 after which the rate grows by
    /// [`increase`](Self::increase).
    pub fn quiet(&self) -> Duration {
        self.quiet
    }

    /// The window in which a second 429 at the full rate lowers it.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// The lowest rate, as a share of the configured one.
    pub fn floor(&self) -> f64 {
        self.floor
    }

    /// The time without a 429 after which a lowered rate returns to the
    /// configured rate.
    pub fn recovery(&self) -> Duration {
        self.recovery
    }
}

/// A pacer's rate lowered by 429s: what [`Pacer::adapted`](crate::Pacer::adapted)
/// answers, so that a progress display can say "adapted to 1.9/s after
/// 429s".
///
/// ```
/// use gong_flows::Adapted;
/// use std::time::SystemTime;
///
/// let adapted = Adapted {
///     rate: 1.97,
///     configured: 3.0,
///     since: SystemTime::now(),
///     last_429: SystemTime::now(),
/// };
/// assert!(adapted.rate < adapted.configured);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Adapted {
    /// The calls per second allowed now.
    pub rate: f64,
    /// The configured calls per second.
    pub configured: f64,
    /// When the rate was first lowered (since it was last at the
    /// configured rate for good).
    pub since: SystemTime,
    /// When the last 429 arrived.
    pub last_429: SystemTime,
}

/// The adapted rate of one in-process pacer. (`RedisPacer` keeps the same
/// state in Redis, updated by its Lua scripts with the same rules.)
#[derive(Debug)]
pub(crate) struct AdaptedRate {
    configured: f64,
    rate: f64,
    /// The rate after the last decrease, from which increase steps count,
    /// and when it was set.
    base: f64,
    base_at: Option<Instant>,
    last_429: Option<Instant>,
    hold_until: Option<Instant>,
    lowered_since: Option<Instant>,
    /// A return to the configured rate not yet confirmed: the rate before
    /// it, and when it happened.
    returned: Option<(f64, Instant)>,
}

/// What a tick changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Raised {
    /// One or more increase steps.
    Step(f64),
    /// Back at the configured rate after a quiet `recovery`.
    Returned(f64),
}

impl AdaptedRate {
    pub(crate) fn new(configured: f64) -> Self {
        Self {
            configured,
            rate: configured,
            base: configured,
            base_at: None,
            last_429: None,
            hold_until: None,
            lowered_since: None,
            returned: None,
        }
    }

    pub(crate) fn configured(&self) -> f64 {
        self.configured
    }

    /// The rate as it stands (without a tick).
    pub(crate) fn rate(&self) -> f64 {
        self.rate
    }

    /// The rate a tick at `now` would give, without changing anything (for
    /// a display between calls).
    pub(crate) fn rate_at(&self, rules: &Adaptation, now: Instant) -> f64 {
        self.next(rules, now).map_or(self.rate, |(rate, _)| rate)
    }

    /// When the rate was lowered and the last 429, while it is lowered.
    pub(crate) fn lowered(
        &self,
        rules: &Adaptation,
        now: Instant,
    ) -> Option<(f64, Instant, Instant)> {
        let rate = self.rate_at(rules, now);
        if rate >= self.configured {
            return None;
        }
        Some((rate, self.lowered_since?, self.last_429?))
    }

    /// The rate after a tick at `now`, if it changes.
    fn next(&self, rules: &Adaptation, now: Instant) -> Option<(f64, Raised)> {
        if !rules.on || self.rate >= self.configured {
            return None;
        }
        let last = self.last_429.or(self.base_at)?;
        if now.saturating_duration_since(last) >= rules.recovery {
            return Some((self.configured, Raised::Returned(self.configured)));
        }
        let base_at = self.base_at?;
        if rules.increase <= 0.0 {
            return None;
        }
        let steps = (now.saturating_duration_since(base_at).as_secs_f64()
            / rules.quiet.as_secs_f64())
        .floor();
        let target = (self.base + steps * rules.increase * self.configured).min(self.configured);
        (target > self.rate + 1e-9).then_some((target, Raised::Step(target)))
    }

    /// A 429 arrived at `now`; no call goes before `pause_until`. Returns
    /// the new rate if it was lowered.
    pub(crate) fn on_429(
        &mut self,
        rules: &Adaptation,
        now: Instant,
        pause_until: Instant,
    ) -> Option<f64> {
        self.forget_confirmed(rules, now);
        let returned = self.returned;
        let isolated = returned.is_none()
            && self.rate >= self.configured
            && self
                .last_429
                .is_none_or(|last| now.saturating_duration_since(last) > rules.window);
        let held = self.hold_until.is_some_and(|until| now < until);
        self.last_429 = Some(now);
        if !rules.on || isolated || held {
            return None;
        }
        let lowered = match returned {
            // The other traffic is still there: back to where the rate was.
            Some((before, _)) => before,
            None => (self.rate * rules.decrease).max(self.configured * rules.floor),
        };
        self.returned = None;
        self.rate = lowered;
        self.base = lowered;
        self.base_at = Some(now);
        self.hold_until = Some(pause_until.max(now));
        self.lowered_since.get_or_insert(now);
        Some(lowered)
    }

    /// A return that saw no 429 within the window is for good.
    fn forget_confirmed(&mut self, rules: &Adaptation, now: Instant) {
        if let Some((_, at)) = self.returned
            && now.saturating_duration_since(at) > rules.window
        {
            self.returned = None;
            self.lowered_since = None;
        }
    }

    /// Raises the rate as the time since the last 429 allows. Returns what
    /// changed, if anything.
    pub(crate) fn on_tick(&mut self, rules: &Adaptation, now: Instant) -> Option<Raised> {
        self.forget_confirmed(rules, now);
        let (rate, raised) = self.next(rules, now)?;
        if let Raised::Returned(_) = raised {
            self.returned = Some((self.rate, now));
        }
        self.rate = rate;
        Some(raised)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn one_isolated_429_does_not_lower_the_rate() {
        let rules = Adaptation::default();
        let mut rate = AdaptedRate::new(3.0);
        let t0 = Instant::now();
        assert_eq!(rate.on_429(&rules, t0, t0 + S(2)), None);
        // Another one long after is isolated too.
        let t1 = t0 + S(120);
        assert_eq!(rate.on_429(&rules, t1, t1 + S(1)), None);
        assert_eq!(rate.rate(), 3.0);
    }

    #[test]
    fn repeated_429s_lower_the_rate_once_per_pause() {
        let rules = Adaptation::default();
        let mut rate = AdaptedRate::new(3.0);
        let t0 = Instant::now();
        assert_eq!(rate.on_429(&rules, t0, t0 + S(1)), None);
        let lowered = rate.on_429(&rules, t0 + S(5), t0 + S(6)).unwrap();
        assert!((lowered - 2.7).abs() < 1e-9);
        // A 429 inside the pause of the last decrease does not count again.
        assert_eq!(
            rate.on_429(&rules, t0 + S(5) + Duration::from_millis(500), t0 + S(7)),
            None
        );
        let lowered = rate.on_429(&rules, t0 + S(8), t0 + S(9)).unwrap();
        assert!((lowered - 2.43).abs() < 1e-9);
        // Without an increase, nothing changes before the recovery time.
        assert_eq!(rate.on_tick(&rules, t0 + S(60)), None);
        assert!((rate.rate() - 2.43).abs() < 1e-9);
    }

    #[test]
    fn the_rate_returns_once_the_recovery_time_passes_from_any_rate() {
        let rules = Adaptation::default();
        let mut rate = AdaptedRate::new(3.0);
        let mut now = Instant::now();
        for _ in 0..100 {
            now += S(2);
            rate.on_429(&rules, now, now + S(1));
        }
        assert!((rate.rate() - 0.3).abs() < 1e-9, "at the floor");
        let last = now;
        assert_eq!(rate.on_tick(&rules, last + S(59)), None);
        assert_eq!(
            rate.on_tick(&rules, last + S(60)),
            Some(Raised::Returned(3.0))
        );
        assert_eq!(rate.rate(), 3.0);
        // No 429 within the window: the return holds, and the next 429 at
        // the full rate is isolated again.
        assert_eq!(rate.on_tick(&rules, last + S(130)), None);
        let at = last + S(200);
        assert_eq!(rate.on_429(&rules, at, at + S(1)), None);
        assert_eq!(rate.rate(), 3.0);
    }

    #[test]
    fn a_429_after_the_return_goes_back_to_the_rate_before_it() {
        let rules = Adaptation::default();
        let mut rate = AdaptedRate::new(3.0);
        let t0 = Instant::now();
        rate.on_429(&rules, t0, t0 + S(1));
        rate.on_429(&rules, t0 + S(2), t0 + S(3));
        rate.on_429(&rules, t0 + S(4), t0 + S(5));
        let before = rate.rate();
        assert!((before - 2.43).abs() < 1e-9);
        assert_eq!(
            rate.on_tick(&rules, t0 + S(64)),
            Some(Raised::Returned(3.0))
        );
        // The other traffic is still there: one 429, and back to 2.43
        // rather than down from 3 in steps of × 0.9.
        let back = rate.on_429(&rules, t0 + S(65), t0 + S(66)).unwrap();
        assert!((back - before).abs() < 1e-9);
        // The next return comes a recovery time after that 429.
        assert_eq!(rate.on_tick(&rules, t0 + S(124)), None);
        assert_eq!(
            rate.on_tick(&rules, t0 + S(125)),
            Some(Raised::Returned(3.0))
        );
    }

    #[test]
    fn an_increase_steps_up_by_elapsed_time() {
        let rules = Adaptation::default().with_increase(0.02);
        let mut rate = AdaptedRate::new(3.0);
        let t0 = Instant::now();
        rate.on_429(&rules, t0, t0 + S(1));
        let lowered = rate.on_429(&rules, t0 + S(1), t0 + S(2)).unwrap();
        assert!((lowered - 2.7).abs() < 1e-9);
        // One tick after 31 s of silence takes both steps at once.
        match rate.on_tick(&rules, t0 + S(32)) {
            Some(Raised::Step(raised)) => assert!((raised - 2.82).abs() < 1e-9, "{raised}"),
            other => panic!("expected two steps, got {other:?}"),
        }
        // And the return still comes 60 s after the last 429.
        assert!((rate.rate_at(&rules, t0 + S(59)) - 2.88).abs() < 1e-9);
        assert_eq!(rate.rate_at(&rules, t0 + S(61)), 3.0);
    }

    #[test]
    fn off_never_changes_the_rate() {
        let rules = Adaptation::off();
        let mut rate = AdaptedRate::new(3.0);
        let now = Instant::now();
        for i in 0..10 {
            let at = now + S(i * 2);
            rate.on_429(&rules, at, at + S(1));
        }
        assert_eq!(rate.rate(), 3.0);
    }
}
