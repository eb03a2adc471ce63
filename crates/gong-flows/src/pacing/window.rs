//! The daily budget's rolling 24-hour window, counted per minute.
//!
//! A call counts from the minute it was released in until that minute's end
//! plus 24 hours: never shorter than 24 hours from the call itself (so no
//! 24-hour span, and hence no calendar day, ever holds more calls than the
//! budget), at most a minute longer. One counter per minute keeps the
//! memory at 1,441 counters whatever the budget, where a list of instants
//! would grow with it (100,000 a day for a raised limit). `RedisPacer`
//! keeps the same counters in a Redis hash.

use std::collections::VecDeque;
use std::time::Duration;
use tokio::time::Instant;

/// The window.
pub(crate) const DAY: Duration = Duration::from_secs(24 * 60 * 60);
/// The width of one counter.
pub(crate) const BUCKET: Duration = Duration::from_secs(60);

/// Calls per minute over the last 24 hours (and the minute now running).
#[derive(Debug)]
pub(crate) struct DailyWindow {
    epoch: Instant,
    /// `(minute since epoch, calls)`, oldest first, no two for one minute.
    buckets: VecDeque<(u64, u32)>,
    used: u32,
}

impl DailyWindow {
    pub(crate) fn new(epoch: Instant) -> Self {
        Self {
            epoch,
            buckets: VecDeque::new(),
            used: 0,
        }
    }

    fn minute(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.epoch).as_secs() / BUCKET.as_secs()
    }

    /// When the calls of `minute` leave the window.
    fn leaves_at(&self, minute: u64) -> Instant {
        let end = BUCKET.saturating_mul(u32::try_from(minute + 1).unwrap_or(u32::MAX));
        self.epoch + end + DAY
    }

    /// Drops the minutes that left the window by `now`.
    fn expire(&mut self, now: Instant) {
        while let Some(&(minute, calls)) = self.buckets.front() {
            if self.leaves_at(minute) > now {
                break;
            }
            self.used = self.used.saturating_sub(calls);
            self.buckets.pop_front();
        }
    }

    /// The calls in the window at `now`.
    pub(crate) fn used(&mut self, now: Instant) -> u32 {
        self.expire(now);
        self.used
    }

    /// Counts `calls` released at `at` (never before the newest counted).
    pub(crate) fn count(&mut self, at: Instant, calls: u32) {
        let minute = self.minute(at);
        match self.buckets.back_mut() {
            Some((last, n)) if *last >= minute => *n = n.saturating_add(calls),
            _ => self.buckets.push_back((minute, calls)),
        }
        self.used = self.used.saturating_add(calls);
    }

    /// When fewer than `allowed` calls will be in the window (`None`: now,
    /// or never for `allowed == 0`). Call [`used`](Self::used) first.
    pub(crate) fn frees_at(&self, allowed: u32) -> Option<Instant> {
        if allowed == 0 || self.used < allowed {
            return None;
        }
        let mut used = self.used;
        for &(minute, calls) in &self.buckets {
            used = used.saturating_sub(calls);
            if used < allowed {
                return Some(self.leaves_at(minute));
            }
        }
        None
    }

    /// How many counters are kept (for the memory bound's test).
    #[cfg(test)]
    pub(crate) fn counters(&self) -> usize {
        self.buckets.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_call_counts_for_24_hours_from_the_end_of_its_minute() {
        let t0 = Instant::now();
        let mut window = DailyWindow::new(t0);
        window.count(t0 + Duration::from_secs(10), 1);
        window.count(t0 + Duration::from_secs(70), 2);
        assert_eq!(window.used(t0 + DAY), 3);
        assert_eq!(window.frees_at(3), Some(t0 + BUCKET + DAY));
        assert_eq!(window.frees_at(2), Some(t0 + 2 * BUCKET + DAY));
        let first_leaves = t0 + BUCKET + DAY;
        assert_eq!(window.used(first_leaves - Duration::from_millis(1)), 3);
        assert_eq!(window.used(first_leaves), 2);
        assert_eq!(window.used(first_leaves + BUCKET), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn memory_stays_at_one_counter_a_minute() {
        let t0 = Instant::now();
        let mut window = DailyWindow::new(t0);
        // 100,000 calls spread over two days: at most 1,441 counters.
        let mut most = 0;
        for i in 0..100_000u64 {
            let at = t0 + Duration::from_millis(i * 1_728);
            window.used(at);
            window.count(at, 1);
            most = most.max(window.counters());
        }
        assert!(most <= 1_441, "{most} counters");
    }
}
