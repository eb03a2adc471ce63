//! Gong's per-company rate limits: R calls in any sliding window (one
//! second by default) and D calls per UTC day.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Seconds in a day.
const DAY: u64 = 86_400;

/// Proof that a call was admitted, so a call that turns out to be a 429
/// fault can be given back ([`RateLimiter::refund`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Admission {
    at: Option<Instant>,
    day: u64,
    counted_daily: bool,
}

/// The limiter. Only admitted calls are recorded (a 429 does not count
/// toward either limit), unless it is strict: then a refused call takes its
/// place in the rate window too (never in the daily count).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_window: Option<u32>,
    window: Duration,
    daily: Option<u32>,
    /// Admission times inside the current window, oldest first; at most
    /// `per_window` long, so every check is O(1) amortised.
    recent: VecDeque<Instant>,
    day: u64,
    day_count: u32,
    strict: bool,
    foreign_calls: u64,
}

impl RateLimiter {
    pub(crate) fn new(per_window: Option<u32>, window: Duration, daily: Option<u32>) -> Self {
        Self {
            per_window,
            window,
            daily,
            recent: VecDeque::new(),
            day: 0,
            day_count: 0,
            strict: false,
            foreign_calls: 0,
        }
    }

    pub(crate) fn set_strict(&mut self, strict: bool) {
        self.strict = strict;
    }

    /// Calls of the other integration admitted so far.
    pub(crate) fn foreign_calls(&self) -> u64 {
        self.foreign_calls
    }

    /// Drops the calls that left the window.
    fn expire(&mut self, now: Instant) {
        while let Some(&oldest) = self.recent.front() {
            if now.saturating_duration_since(oldest) >= self.window {
                self.recent.pop_front();
            } else {
                break;
            }
        }
    }

    /// How long until a call would fit the rate window (zero: now).
    fn window_frees_in(&self, now: Instant) -> Duration {
        match self.per_window {
            Some(limit) if self.recent.len() >= limit as usize => {
                let limit = limit as usize;
                // The call fits once the (len - limit + 1)-th oldest call
                // leaves the window.
                let frees_at = self.recent[self.recent.len() - limit] + self.window;
                frees_at.saturating_duration_since(now)
            }
            _ => Duration::ZERO,
        }
    }

    /// A call of the other integration of the company at `now`: admitted
    /// into the rate window (not the daily count, which is Gong's per
    /// integration here) if it has room, else the time until it has. It is
    /// never refused, so it never counts as refused either.
    pub(crate) fn admit_foreign(&mut self, now: Instant) -> Result<(), Duration> {
        self.expire(now);
        let wait = self.window_frees_in(now);
        if !wait.is_zero() {
            return Err(wait);
        }
        if self.per_window.is_some() {
            self.recent.push_back(now);
        }
        self.foreign_calls += 1;
        Ok(())
    }

    pub(crate) fn set_per_window(&mut self, per_window: Option<u32>) {
        self.per_window = per_window;
    }

    pub(crate) fn set_daily(&mut self, daily: Option<u32>) {
        self.daily = daily;
    }

    /// Forgets every admitted call.
    pub(crate) fn reset(&mut self) {
        self.recent.clear();
        self.day_count = 0;
    }

    /// The daily limit when today's budget is spent (bulk jobs report that
    /// per prospect instead of answering 429).
    pub(crate) fn daily_limit_if_exhausted(&mut self, unix_secs: u64) -> Option<u32> {
        self.roll_day(unix_secs);
        self.daily.filter(|d| self.day_count >= *d)
    }

    fn roll_day(&mut self, unix_secs: u64) {
        let today = unix_secs / DAY;
        if today != self.day {
            self.day = today;
            self.day_count = 0;
        }
    }

    /// Admits a call at `now`, or answers the whole seconds until one would
    /// be admitted (at least 1, as Gong's `Retry-After` is a positive
    /// integer).
    pub(crate) fn try_admit(&mut self, now: Instant, unix_secs: u64) -> Result<Admission, u64> {
        self.roll_day(unix_secs);
        self.expire(now);
        let remaining = self.window_frees_in(now);
        let mut wait = if remaining.is_zero() {
            0
        } else {
            remaining.as_nanos().div_ceil(1_000_000_000).max(1) as u64
        };
        if wait > 0 && self.strict {
            // Strict: knocking on a full window counts as a call.
            self.recent.push_back(now);
        }
        if let Some(daily) = self.daily
            && self.day_count >= daily
        {
            wait = wait.max(DAY - unix_secs % DAY).max(1);
        }
        if wait > 0 {
            return Err(wait);
        }
        let at = if self.per_window.is_some() {
            self.recent.push_back(now);
            Some(now)
        } else {
            None
        };
        let counted_daily = self.daily.is_some();
        if counted_daily {
            self.day_count += 1;
        }
        Ok(Admission {
            at,
            day: self.day,
            counted_daily,
        })
    }

    /// Takes an admission back, as if the call had never been admitted.
    pub(crate) fn refund(&mut self, admission: Admission) {
        if let Some(at) = admission.at
            && let Some(pos) = self.recent.iter().rposition(|t| *t == at)
        {
            self.recent.remove(pos);
        }
        if admission.counted_daily && admission.day == self.day {
            self.day_count = self.day_count.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOON: u64 = 20_000 * DAY + DAY / 2;

    #[test]
    fn sliding_window() {
        let mut limiter = RateLimiter::new(Some(3), Duration::from_secs(1), None);
        let t0 = Instant::now();
        for i in 0..3 {
            limiter
                .try_admit(t0 + Duration::from_millis(i * 100), NOON)
                .unwrap();
        }
        assert_eq!(
            limiter
                .try_admit(t0 + Duration::from_millis(500), NOON)
                .unwrap_err(),
            1
        );
        // 429s are not recorded: the first call leaves the window at t0+1s.
        assert!(
            limiter
                .try_admit(t0 + Duration::from_millis(1000), NOON)
                .is_ok()
        );
        assert!(
            limiter
                .try_admit(t0 + Duration::from_millis(1050), NOON)
                .is_err()
        );
        assert!(
            limiter
                .try_admit(t0 + Duration::from_millis(1100), NOON)
                .is_ok()
        );
    }

    #[test]
    fn strict_counts_refused_calls_in_the_window() {
        let mut limiter = RateLimiter::new(Some(2), Duration::from_secs(1), None);
        limiter.set_strict(true);
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        limiter.try_admit(ms(0), NOON).unwrap();
        limiter.try_admit(ms(100), NOON).unwrap();
        // Refused at 900 ms, and counted: at 1050 ms the window (50 ms,
        // 1050 ms] still holds the calls of 100 and 900 ms.
        assert!(limiter.try_admit(ms(900), NOON).is_err());
        assert!(limiter.try_admit(ms(1050), NOON).is_err());
        // Without strictness the same sequence is admitted at 1050 ms.
        let mut lenient = RateLimiter::new(Some(2), Duration::from_secs(1), None);
        lenient.try_admit(ms(0), NOON).unwrap();
        lenient.try_admit(ms(100), NOON).unwrap();
        assert!(lenient.try_admit(ms(900), NOON).is_err());
        assert!(lenient.try_admit(ms(1050), NOON).is_ok());
    }

    #[test]
    fn foreign_calls_take_their_share_of_the_window() {
        let mut limiter = RateLimiter::new(Some(3), Duration::from_secs(1), Some(10));
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        limiter.admit_foreign(ms(0)).unwrap();
        limiter.try_admit(ms(10), NOON).unwrap();
        limiter.try_admit(ms(20), NOON).unwrap();
        assert!(limiter.try_admit(ms(30), NOON).is_err());
        assert_eq!(
            limiter.admit_foreign(ms(500)).unwrap_err(),
            Duration::from_millis(500)
        );
        limiter.admit_foreign(ms(1000)).unwrap();
        assert_eq!(limiter.foreign_calls(), 2);
        // Foreign calls are not this integration's daily calls.
        assert_eq!(limiter.daily_limit_if_exhausted(NOON), None);
    }

    #[test]
    fn retry_after_rounds_up() {
        let mut limiter = RateLimiter::new(Some(1), Duration::from_secs(10), None);
        let t0 = Instant::now();
        limiter.try_admit(t0, NOON).unwrap();
        assert_eq!(
            limiter
                .try_admit(t0 + Duration::from_millis(2500), NOON)
                .unwrap_err(),
            8
        );
    }

    #[test]
    fn daily_limit_and_refund() {
        let mut limiter = RateLimiter::new(None, Duration::from_secs(1), Some(2));
        let t0 = Instant::now();
        let first = limiter.try_admit(t0, NOON).unwrap();
        limiter.try_admit(t0, NOON).unwrap();
        assert_eq!(limiter.try_admit(t0, NOON).unwrap_err(), DAY / 2);
        assert_eq!(limiter.daily_limit_if_exhausted(NOON), Some(2));
        limiter.refund(first);
        assert!(limiter.try_admit(t0, NOON).is_ok());
        // A new day starts afresh.
        assert!(limiter.try_admit(t0, NOON + DAY).is_ok());
    }
}
