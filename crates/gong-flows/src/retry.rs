//! How failed calls are retried.

use rand::Rng as _;
use std::time::Duration;

/// When and how often a failed call is tried again.
///
/// A small value, set on the client and changeable with `with_*` methods.
/// Delays grow exponentially from `base_delay` up to `max_delay` with *full
/// jitter* (a random delay between zero and the exponential bound), so that
/// many clients that failed together do not retry together. A `Retry-After`
/// from Gong (on 429, and on 503 when present) is honoured exactly instead,
/// unless it is longer than `max_retry_after`: then the call fails at once
/// with [`Error::RateLimited`](crate::Error::RateLimited) carrying the wait, so
/// the caller can schedule the work rather than hold a task for hours.
///
/// Which failures are retried depends on the operation: reads and unassigns
/// retry on 429, 5xx and transport errors; assign retries too and then
/// reconciles prospects that the lost attempt may already have assigned; a
/// bulk assignment submit is retried only when Gong surely did not process
/// it (429, connection refused).
///
/// The defaults (4 attempts, 200 ms base, 10 s cap, 2 minutes in all, at most
/// 60 s of `Retry-After`) ride out a burst of 429s at Gong's 3 calls/second
/// and a brief outage without stalling a bulk job for long.
///
/// ```
/// use gong_flows::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(6)
///     .with_time_limit(Duration::from_secs(300));
/// assert_eq!(policy.max_attempts(), 6);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    time_limit: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            time_limit: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (one attempt per call).
    pub fn none() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets the number of attempts per call, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first backoff bound; each retry doubles it.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the largest backoff bound.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the total time a call may spend on attempts and waits. A pacer
    /// slot or pause further away than what is left fails the call at once
    /// with [`Error::RateLimited`](crate::Error::RateLimited).
    pub fn with_time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = limit;
        self
    }

    /// Sets the longest `Retry-After` the client waits out by itself.
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Attempts per call, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The first backoff bound.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The largest backoff bound.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The total time a call may take.
    pub fn time_limit(&self) -> Duration {
        self.time_limit
    }

    /// The longest `Retry-After` waited out.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The backoff before attempt `attempt + 1`, `attempt` counting from 1:
    /// uniform in `[0, min(max_delay, base_delay * 2^(attempt-1))]`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let bound = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(rand::rng().random_range(0..=nanos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_the_exponential_bound() {
        let policy = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(3) <= Duration::from_millis(350));
            assert!(policy.backoff(30) <= Duration::from_millis(350));
        }
    }

    #[test]
    fn backoff_is_jittered() {
        let policy = RetryPolicy::default().with_base_delay(Duration::from_secs(1));
        let distinct: std::collections::HashSet<_> = (0..50).map(|_| policy.backoff(3)).collect();
        assert!(distinct.len() > 1);
    }

    #[test]
    fn attempts_are_at_least_one() {
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }
}
