//! Adapting the pace to other traffic of the company (AIMD).

use std::time::Duration;
use tokio::time::Instant;

/// How a pacer adapts its rate when 429s show that other traffic of the
/// company shares Gong's limit: additive increase, multiplicative decrease
/// (AIMD, as TCP does with a shared link).
///
/// A paced client never exceeds its configured rate, so a 429 means someone
/// else spends part of the company's quota (or a one-off hiccup on Gong's
/// side). The first 429 at the full configured rate only pauses: one 429 is
/// not yet a pattern. A second one within [`window`](Self::window), or any
/// 429 once the rate is lowered, multiplies the rate by
/// [`decrease`](Self::decrease) (at most once per `Retry-After` pause, since
/// calls already in flight answer 429 together). After every
/// [`quiet`](Self::quiet) period without a 429 the rate grows by
/// [`increase`](Self::increase) of the configured rate, never above it.
///
/// The defaults (× 0.9, + 1/60 of the rate every 15 s, a 60 s window, a
/// floor of 10 %) settle a little below the share left by the other traffic
/// and probe upwards about once a minute, so a probe costs at most about
/// one 429 a minute. (Against the simulator with 1 of 3 calls/s taken by
/// other traffic, × 0.85 every 10 s used 90 % of the rest; × 0.9 every 15 s
/// 94 %, both with under one 429 a minute.)
///
/// ```
/// use gong_flows::Adaptation;
/// use std::time::Duration;
///
/// let adaptation = Adaptation::default().with_quiet(Duration::from_secs(20));
/// assert_eq!(adaptation.quiet(), Duration::from_secs(20));
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
}

impl Default for Adaptation {
    fn default() -> Self {
        Self {
            on: true,
            decrease: 0.9,
            increase: 1.0 / 60.0,
            quiet: Duration::from_secs(15),
            window: Duration::from_secs(60),
            floor: 0.1,
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
    /// (clamped to 0.001..=1).
    pub fn with_increase(mut self, share: f64) -> Self {
        self.increase = if share.is_finite() {
            share.clamp(0.001, 1.0)
        } else {
            Self::default().increase
        };
        self
    }

    /// Sets the time without a 429 after which the rate grows (at least
    /// 100 ms).
    pub fn with_quiet(mut self, quiet: Duration) -> Self {
        self.quiet = quiet.max(Duration::from_millis(100));
        self
    }

    /// Sets the window in which a second 429 at the full rate lowers it.
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

    /// The factor a 429 multiplies the rate by.
    pub fn decrease(&self) -> f64 {
        self.decrease
    }

    /// The share of the configured rate added after each quiet period.
    pub fn increase(&self) -> f64 {
        self.increase
    }

    /// The time without a 429 after which the rate grows.
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
}

/// The adapted rate of one in-process pacer. (`RedisPacer` keeps the same
/// state in Redis, updated by its Lua scripts with the same rules.)
#[derive(Debug)]
pub(crate) struct AdaptedRate {
    configured: f64,
    rate: f64,
    last_429: Option<Instant>,
    last_change: Option<Instant>,
    hold_until: Option<Instant>,
}

impl AdaptedRate {
    pub(crate) fn new(configured: f64) -> Self {
        Self {
            configured,
            rate: configured,
            last_429: None,
            last_change: None,
            hold_until: None,
        }
    }

    pub(crate) fn rate(&self) -> f64 {
        self.rate
    }

    /// A 429 arrived at `now`; no call goes before `pause_until`. Returns
    /// the new rate if it was lowered.
    pub(crate) fn on_429(
        &mut self,
        rules: &Adaptation,
        now: Instant,
        pause_until: Instant,
    ) -> Option<f64> {
        let isolated = self.rate >= self.configured
            && self
                .last_429
                .is_none_or(|last| now.saturating_duration_since(last) > rules.window);
        let held = self.hold_until.is_some_and(|until| now < until);
        self.last_429 = Some(now);
        if !rules.on || isolated || held {
            return None;
        }
        self.rate = (self.rate * rules.decrease).max(self.configured * rules.floor);
        self.last_change = Some(now);
        self.hold_until = Some(pause_until.max(now));
        Some(self.rate)
    }

    /// Raises the rate one step if a quiet period has passed. Returns the
    /// new rate if it was raised.
    pub(crate) fn on_tick(&mut self, rules: &Adaptation, now: Instant) -> Option<f64> {
        if !rules.on || self.rate >= self.configured {
            return None;
        }
        let since = self.last_429.max(self.last_change)?;
        if now.saturating_duration_since(since) < rules.quiet {
            return None;
        }
        self.rate = (self.rate + self.configured * rules.increase).min(self.configured);
        self.last_change = Some(now);
        Some(self.rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_isolated_429_does_not_lower_the_rate() {
        let rules = Adaptation::default();
        let mut rate = AdaptedRate::new(3.0);
        let t0 = Instant::now();
        assert_eq!(rate.on_429(&rules, t0, t0 + Duration::from_secs(2)), None);
        // Another one long after is isolated too.
        let t1 = t0 + Duration::from_secs(120);
        assert_eq!(rate.on_429(&rules, t1, t1 + Duration::from_secs(1)), None);
        assert_eq!(rate.rate(), 3.0);
    }

    #[test]
    fn repeated_429s_lower_then_quiet_raises_up_to_the_configured_rate() {
        let rules = Adaptation::default();
        let mut rate = AdaptedRate::new(3.0);
        let t0 = Instant::now();
        let s = Duration::from_secs;
        assert_eq!(rate.on_429(&rules, t0, t0 + s(1)), None);
        let lowered = rate.on_429(&rules, t0 + s(5), t0 + s(6)).unwrap();
        assert!((lowered - 2.7).abs() < 1e-9);
        // A 429 inside the pause of the last decrease does not count again.
        assert_eq!(
            rate.on_429(&rules, t0 + s(5) + Duration::from_millis(500), t0 + s(7)),
            None
        );
        assert_eq!(rate.on_tick(&rules, t0 + s(15)), None);
        let raised = rate.on_tick(&rules, t0 + s(21)).unwrap();
        assert!((raised - 2.75).abs() < 1e-9);
        let mut now = t0 + s(21);
        for _ in 0..100 {
            now += s(15);
            rate.on_tick(&rules, now);
        }
        assert_eq!(rate.rate(), 3.0);
    }

    #[test]
    fn the_rate_never_falls_below_the_floor() {
        let rules = Adaptation::default();
        let mut rate = AdaptedRate::new(3.0);
        let mut now = Instant::now();
        for _ in 0..100 {
            now += Duration::from_secs(2);
            rate.on_429(&rules, now, now + Duration::from_secs(1));
        }
        assert!((rate.rate() - 0.3).abs() < 1e-9);
    }

    #[test]
    fn off_never_changes_the_rate() {
        let rules = Adaptation::off();
        let mut rate = AdaptedRate::new(3.0);
        let now = Instant::now();
        for i in 0..10 {
            let at = now + Duration::from_secs(i * 2);
            rate.on_429(&rules, at, at + Duration::from_secs(1));
        }
        assert_eq!(rate.rate(), 3.0);
    }
}
