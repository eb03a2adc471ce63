//! Gong's per-company rate limits: R calls in any sliding window (one
//! second by default) and D calls a day, per calendar day (UTC) or per
//! rolling day (see [`DayWindow`]).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::clock::Now;
use crate::config::DayWindow;

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// Whole seconds, rounded up: `Retry-After` and the reset headers are
/// integers, and rounding down would invite a call that is refused again.
fn ceil_secs(nanos: u64) -> u64 {
    nanos.div_ceil(NANOS_PER_SEC)
}

/// Proof that a call was admitted, so a call that turns out to be a 429
/// fault can be given back ([`RateLimiter::refund`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Admission {
    at: Option<Instant>,
    /// When it was counted toward the daily limit (Unix nanoseconds).
    counted_daily: Option<u64>,
}

/// Why the limiter refused a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OverLimit {
    /// Whole seconds until a call would be admitted (at least 1, as Gong's
    /// `Retry-After` is a positive integer).
    pub(crate) retry_after: u64,
    /// The daily limit, when it is what refused the call.
    pub(crate) daily_limit: Option<u32>,
}

/// What the limits leave, for the rate-limit headers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Quota {
    /// Calls per rate window, if limited.
    pub(crate) limit: Option<u32>,
    /// Calls left in the current rate window.
    pub(crate) remaining: u32,
    /// Whole seconds until the window frees a call (0 when nothing is in it).
    pub(crate) reset: u64,
    /// Calls per day, if limited.
    pub(crate) daily_limit: Option<u32>,
    /// Calls left today.
    pub(crate) daily_remaining: u32,
    /// Whole seconds until the day turns ([`DayWindow::UtcDay`]) or until
    /// the oldest call of the last day stops counting
    /// ([`DayWindow::Rolling`]; 0 when none counts).
    pub(crate) daily_reset: u64,
}

/// The limiter. Only admitted calls are recorded (a 429 counts toward
/// neither limit), unless it is strict: then a refused call takes its place
/// in the rate window too (never in the daily count).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_window: Option<u32>,
    window: Duration,
    daily: Option<u32>,
    day_window: DayWindow,
    /// The length of a day in nanoseconds (at least 1).
    day_length: u64,
    /// Admission times inside the current window, oldest first; at most
    /// `per_window` long, so every check is O(1) amortised.
    recent: VecDeque<Instant>,
    /// Unix times (nanoseconds) of the calls counted toward the daily limit
    /// in the last `day_length`, oldest first. Both day windows read it: the
    /// calls of the current UTC day are always among them.
    day_calls: VecDeque<u64>,
    strict: bool,
    foreign_calls: u64,
}

impl RateLimiter {
    pub(crate) fn new(per_window: Option<u32>, window: Duration, daily: Option<u32>) -> Self {
        Self {
            per_window,
            window,
            daily,
            day_window: DayWindow::UtcDay,
            day_length: 86_400 * NANOS_PER_SEC,
            recent: VecDeque::new(),
            day_calls: VecDeque::new(),
            strict: false,
            foreign_calls: 0,
        }
    }

    pub(crate) fn set_strict(&mut self, strict: bool) {
        self.strict = strict;
    }

    pub(crate) fn set_day_window(&mut self, day_window: DayWindow) {
        self.day_window = day_window;
    }

    pub(crate) fn set_day_length(&mut self, day_length: Duration) {
        self.day_length = u64::try_from(day_length.as_nanos())
            .unwrap_or(u64::MAX)
            .max(1);
    }

    /// Calls of the other integration admitted so far.
    pub(crate) fn foreign_calls(&self) -> u64 {
        self.foreign_calls
    }

    /// Drops the calls that left the rate window and the day.
    fn expire(&mut self, now: Now) {
        while let Some(&oldest) = self.recent.front() {
            if now.instant.saturating_duration_since(oldest) >= self.window {
                self.recent.pop_front();
            } else {
                break;
            }
        }
        while let Some(&oldest) = self.day_calls.front() {
            if now.unix_nanos.saturating_sub(oldest) >= self.day_length {
                self.day_calls.pop_front();
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

    /// Where the current UTC day started (Unix nanoseconds): days are
    /// multiples of the day length since the epoch.
    fn day_start(&self, unix_nanos: u64) -> u64 {
        unix_nanos - unix_nanos % self.day_length
    }

    /// The calls counted toward the daily limit that still count now.
    fn counted_today(&self, unix_nanos: u64) -> usize {
        match self.day_window {
            DayWindow::Rolling => self.day_calls.len(),
            DayWindow::UtcDay => {
                let start = self.day_start(unix_nanos);
                self.day_calls.len() - self.day_calls.partition_point(|t| *t < start)
            }
        }
    }

    /// Nanoseconds until the day's count lets one more call in, given that
    /// it is full: the day turns, or enough of the oldest calls stop
    /// counting.
    fn day_frees_in(&self, unix_nanos: u64, limit: u32) -> u64 {
        match self.day_window {
            DayWindow::UtcDay => self.day_start(unix_nanos) + self.day_length - unix_nanos,
            DayWindow::Rolling => {
                let len = self.day_calls.len();
                let limit = (limit as usize).min(len);
                if limit == 0 {
                    return 0;
                }
                // The call fits once the (len - limit + 1)-th oldest call
                // is a day old.
                (self.day_calls[len - limit] + self.day_length).saturating_sub(unix_nanos)
            }
        }
    }

    /// A call of the other integration of the company at `now`: admitted
    /// into the rate window (not the daily count, which is Gong's per
    /// integration here) if it has room, else the time until it has. It is
    /// never refused, so it never counts as refused either.
    pub(crate) fn admit_foreign(&mut self, now: Now) -> Result<(), Duration> {
        self.expire(now);
        let wait = self.window_frees_in(now.instant);
        if !wait.is_zero() {
            return Err(wait);
        }
        if self.per_window.is_some() {
            self.recent.push_back(now.instant);
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
        self.day_calls.clear();
    }

    /// The daily limit when today's budget is spent (bulk jobs report that
    /// per prospect instead of answering 429).
    pub(crate) fn daily_limit_if_exhausted(&mut self, now: Now) -> Option<u32> {
        self.expire(now);
        self.daily
            .filter(|d| self.counted_today(now.unix_nanos) >= *d as usize)
    }

    /// Admits a call at `now`, or says why not and for how long.
    pub(crate) fn try_admit(&mut self, now: Now) -> Result<Admission, OverLimit> {
        self.expire(now);
        let remaining = self.window_frees_in(now.instant);
        let mut wait = if remaining.is_zero() {
            0
        } else {
            remaining
                .as_nanos()
                .div_ceil(u128::from(NANOS_PER_SEC))
                .max(1) as u64
        };
        if wait > 0 && self.strict {
            // Strict: knocking on a full window counts as a call.
            self.recent.push_back(now.instant);
        }
        let mut daily_limit = None;
        if let Some(daily) = self.daily
            && self.counted_today(now.unix_nanos) >= daily as usize
        {
            wait = wait.max(ceil_secs(self.day_frees_in(now.unix_nanos, daily)).max(1));
            daily_limit = Some(daily);
        }
        if wait > 0 {
            return Err(OverLimit {
                retry_after: wait,
                daily_limit,
            });
        }
        let at = if self.per_window.is_some() {
            self.recent.push_back(now.instant);
            Some(now.instant)
        } else {
            None
        };
        let counted_daily = self.daily.map(|_| {
            self.day_calls.push_back(now.unix_nanos);
            now.unix_nanos
        });
        Ok(Admission { at, counted_daily })
    }

    /// Takes an admission back, as if the call had never been admitted.
    pub(crate) fn refund(&mut self, admission: Admission) {
        if let Some(at) = admission.at
            && let Some(pos) = self.recent.iter().rposition(|t| *t == at)
        {
            self.recent.remove(pos);
        }
        if let Some(at) = admission.counted_daily
            && let Some(pos) = self.day_calls.iter().rposition(|t| *t == at)
        {
            self.day_calls.remove(pos);
        }
    }

    /// What the limits leave at `now`.
    pub(crate) fn quota(&mut self, now: Now) -> Quota {
        self.expire(now);
        let in_window = u32::try_from(self.recent.len()).unwrap_or(u32::MAX);
        let reset = self
            .recent
            .front()
            .filter(|_| self.per_window.is_some())
            .map_or(0, |oldest| {
                let left = (*oldest + self.window).saturating_duration_since(now.instant);
                ceil_secs(u64::try_from(left.as_nanos()).unwrap_or(u64::MAX))
            });
        let today = u32::try_from(self.counted_today(now.unix_nanos)).unwrap_or(u32::MAX);
        let daily_reset = match self.day_window {
            DayWindow::UtcDay => self.day_frees_in(now.unix_nanos, 0),
            DayWindow::Rolling => self.day_calls.front().map_or(0, |oldest| {
                (oldest + self.day_length).saturating_sub(now.unix_nanos)
            }),
        };
        Quota {
            limit: self.per_window,
            remaining: self.per_window.map_or(0, |l| l.saturating_sub(in_window)),
            reset,
            daily_limit: self.daily,
            daily_remaining: self.daily.map_or(0, |d| d.saturating_sub(today)),
            daily_reset: ceil_secs(daily_reset),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: u64 = NANOS_PER_SEC;
    const DAY: u64 = 86_400 * SEC;
    const NOON: u64 = 20_000 * DAY + DAY / 2;

    /// A clock for one test: `ms` milliseconds after its start, which is
    /// `unix_start` nanoseconds after the epoch.
    struct Clock {
        t0: Instant,
        unix_start: u64,
    }

    impl Clock {
        fn at(unix_start: u64) -> Self {
            Self {
                t0: Instant::now(),
                unix_start,
            }
        }

        fn ms(&self, ms: u64) -> Now {
            Now {
                instant: self.t0 + Duration::from_millis(ms),
                unix_nanos: self.unix_start + ms * 1_000_000,
            }
        }
    }

    fn retry_after(result: Result<Admission, OverLimit>) -> u64 {
        result.expect_err("refused").retry_after
    }

    #[test]
    fn sliding_window() {
        let mut limiter = RateLimiter::new(Some(3), Duration::from_secs(1), None);
        let clock = Clock::at(NOON);
        for i in 0..3 {
            limiter.try_admit(clock.ms(i * 100)).unwrap();
        }
        let refused = limiter.try_admit(clock.ms(500)).unwrap_err();
        assert_eq!(
            refused,
            OverLimit {
                retry_after: 1,
                daily_limit: None
            }
        );
        // 429s are not recorded: the first call leaves the window at t0+1s.
        assert!(limiter.try_admit(clock.ms(1000)).is_ok());
        assert!(limiter.try_admit(clock.ms(1050)).is_err());
        assert!(limiter.try_admit(clock.ms(1100)).is_ok());
    }

    #[test]
    fn strict_counts_refused_calls_in_the_window() {
        let mut limiter = RateLimiter::new(Some(2), Duration::from_secs(1), None);
        limiter.set_strict(true);
        let clock = Clock::at(NOON);
        limiter.try_admit(clock.ms(0)).unwrap();
        limiter.try_admit(clock.ms(100)).unwrap();
        // Refused at 900 ms, and counted: at 1050 ms the window (50 ms,
        // 1050 ms] still holds the calls of 100 and 900 ms.
        assert!(limiter.try_admit(clock.ms(900)).is_err());
        assert!(limiter.try_admit(clock.ms(1050)).is_err());
        // Without strictness the same sequence is admitted at 1050 ms.
        let mut lenient = RateLimiter::new(Some(2), Duration::from_secs(1), None);
        lenient.try_admit(clock.ms(0)).unwrap();
        lenient.try_admit(clock.ms(100)).unwrap();
        assert!(lenient.try_admit(clock.ms(900)).is_err());
        assert!(lenient.try_admit(clock.ms(1050)).is_ok());
    }

    #[test]
    fn foreign_calls_take_their_share_of_the_window() {
        let mut limiter = RateLimiter::new(Some(3), Duration::from_secs(1), Some(10));
        let clock = Clock::at(NOON);
        limiter.admit_foreign(clock.ms(0)).unwrap();
        limiter.try_admit(clock.ms(10)).unwrap();
        limiter.try_admit(clock.ms(20)).unwrap();
        assert!(limiter.try_admit(clock.ms(30)).is_err());
        assert_eq!(
            limiter.admit_foreign(clock.ms(500)).unwrap_err(),
            Duration::from_millis(500)
        );
        limiter.admit_foreign(clock.ms(1000)).unwrap();
        assert_eq!(limiter.foreign_calls(), 2);
        // Foreign calls are not this integration's daily calls.
        assert_eq!(limiter.daily_limit_if_exhausted(clock.ms(1000)), None);
    }

    #[test]
    fn retry_after_rounds_up() {
        let mut limiter = RateLimiter::new(Some(1), Duration::from_secs(10), None);
        let clock = Clock::at(NOON);
        limiter.try_admit(clock.ms(0)).unwrap();
        assert_eq!(retry_after(limiter.try_admit(clock.ms(2500))), 8);
    }

    #[test]
    fn daily_limit_and_refund() {
        let mut limiter = RateLimiter::new(None, Duration::from_secs(1), Some(2));
        let clock = Clock::at(NOON);
        let first = limiter.try_admit(clock.ms(0)).unwrap();
        limiter.try_admit(clock.ms(0)).unwrap();
        assert_eq!(
            limiter.try_admit(clock.ms(0)).unwrap_err(),
            OverLimit {
                retry_after: DAY / 2 / SEC,
                daily_limit: Some(2)
            }
        );
        assert_eq!(limiter.daily_limit_if_exhausted(clock.ms(0)), Some(2));
        limiter.refund(first);
        assert!(limiter.try_admit(clock.ms(0)).is_ok());
        // A new day starts afresh.
        assert!(limiter.try_admit(clock.ms(DAY / 1_000_000)).is_ok());
    }

    #[test]
    fn a_utc_day_starts_afresh_at_each_multiple_of_its_length() {
        let mut limiter = RateLimiter::new(None, Duration::from_secs(1), Some(3));
        limiter.set_day_length(Duration::from_secs(10));
        // 9.8 s into a 10 s day: three calls, then the fourth waits for
        // the day to turn (0.2 s, so 1 whole second).
        let clock = Clock::at(1_000 * 10 * SEC + 9_800_000_000);
        for ms in [0, 50, 100] {
            limiter.try_admit(clock.ms(ms)).unwrap();
        }
        assert_eq!(
            limiter.try_admit(clock.ms(150)).unwrap_err(),
            OverLimit {
                retry_after: 1,
                daily_limit: Some(3)
            }
        );
        // Just after the boundary, three more: six within 0.35 s.
        for ms in [200, 250, 300] {
            limiter.try_admit(clock.ms(ms)).unwrap();
        }
        assert_eq!(retry_after(limiter.try_admit(clock.ms(350))), 10);
        assert_eq!(limiter.daily_limit_if_exhausted(clock.ms(350)), Some(3));
    }

    #[test]
    fn a_rolling_day_never_holds_more_than_the_limit() {
        let mut limiter = RateLimiter::new(None, Duration::from_secs(1), Some(3));
        limiter.set_day_window(DayWindow::Rolling);
        limiter.set_day_length(Duration::from_secs(10));
        // The same moment as in the UTC test: the boundary changes nothing.
        let clock = Clock::at(1_000 * 10 * SEC + 9_800_000_000);
        for ms in [0, 50, 100] {
            limiter.try_admit(clock.ms(ms)).unwrap();
        }
        // Refused until the first call is 10 s old: 9.85 s from 150 ms, so
        // 10 whole seconds.
        assert_eq!(
            limiter.try_admit(clock.ms(150)).unwrap_err(),
            OverLimit {
                retry_after: 10,
                daily_limit: Some(3)
            }
        );
        assert!(limiter.try_admit(clock.ms(300)).is_err());
        assert_eq!(retry_after(limiter.try_admit(clock.ms(9_999))), 1);
        // At 10 s the first call stops counting, and only it.
        limiter.try_admit(clock.ms(10_000)).unwrap();
        assert!(limiter.try_admit(clock.ms(10_010)).is_err());
        limiter.try_admit(clock.ms(10_050)).unwrap();

        // Calls spread over time: at no moment do more than three count.
        let mut limiter = RateLimiter::new(None, Duration::from_secs(1), Some(3));
        limiter.set_day_window(DayWindow::Rolling);
        limiter.set_day_length(Duration::from_secs(10));
        let mut admitted = Vec::new();
        for step in 0..400u64 {
            // An irregular rhythm, several calls a second.
            let ms = step * 137 % 50 + step * 250;
            if limiter.try_admit(clock.ms(ms)).is_ok() {
                admitted.push(ms);
            }
        }
        assert!(admitted.len() >= 3 * 9, "{admitted:?}");
        for (i, start) in admitted.iter().enumerate() {
            let within = admitted[i..]
                .iter()
                .take_while(|t| **t < start + 10_000)
                .count();
            assert!(within <= 3, "{within} calls from {start} ms: {admitted:?}");
        }
    }

    #[test]
    fn quota_after_admissions_and_refusals() {
        let mut limiter = RateLimiter::new(Some(2), Duration::from_secs(1), Some(5));
        limiter.set_strict(true);
        limiter.set_day_length(Duration::from_secs(10));
        let clock = Clock::at(1_000 * 10 * SEC + 2_500_000_000);
        assert_eq!(
            limiter.quota(clock.ms(0)),
            Quota {
                limit: Some(2),
                remaining: 2,
                reset: 0,
                daily_limit: Some(5),
                daily_remaining: 5,
                daily_reset: 8,
            }
        );
        limiter.try_admit(clock.ms(0)).unwrap();
        limiter.try_admit(clock.ms(100)).unwrap();
        // Strict: the refused call fills the window beyond its limit, and
        // the remaining calls stay at zero rather than wrapping.
        assert!(limiter.try_admit(clock.ms(200)).is_err());
        let quota = limiter.quota(clock.ms(200));
        assert_eq!((quota.remaining, quota.reset), (0, 1));
        assert_eq!((quota.daily_remaining, quota.daily_reset), (3, 8));
        // Half a second on, the window is empty but for the refused call.
        let quota = limiter.quota(clock.ms(1150));
        assert_eq!((quota.remaining, quota.reset), (1, 1));
    }

    #[test]
    fn switching_the_day_window_keeps_the_calls() {
        let mut limiter = RateLimiter::new(None, Duration::from_secs(1), Some(2));
        limiter.set_day_length(Duration::from_secs(10));
        let clock = Clock::at(1_000 * 10 * SEC + 9_000_000_000);
        limiter.try_admit(clock.ms(0)).unwrap();
        limiter.try_admit(clock.ms(100)).unwrap();
        // 2 s later the UTC day has turned, but both calls are within the
        // last 10 s.
        limiter.set_day_window(DayWindow::Rolling);
        assert!(limiter.try_admit(clock.ms(2_000)).is_err());
        limiter.set_day_window(DayWindow::UtcDay);
        assert!(limiter.try_admit(clock.ms(2_000)).is_ok());
    }
}
