//! The simulator's clock: tokio's clock (so tests on a paused clock drive
//! it), anchored to the wall clock when the simulator started, plus however
//! far a test moved it on ([`Simulator::advance_clock`](crate::Simulator::advance_clock)).
//!
//! Every time the simulator reasons about (rate windows, the day of the
//! daily limit, bulk job stages, creation dates) comes from here, so moving
//! the clock on moves all of them together.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Now, in the two forms the simulator uses.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Now {
    /// For windows and stages.
    pub(crate) instant: Instant,
    /// Nanoseconds since the Unix epoch, for the day and creation dates.
    pub(crate) unix_nanos: u64,
}

impl Now {
    /// Milliseconds since the Unix epoch.
    pub(crate) fn unix_millis(self) -> u64 {
        self.unix_nanos / 1_000_000
    }
}

#[derive(Debug)]
pub(crate) struct SimClock {
    unix_at_start: Duration,
    started: tokio::time::Instant,
    /// Nanoseconds the clock was moved on.
    offset: AtomicU64,
}

impl SimClock {
    pub(crate) fn new() -> Self {
        Self {
            unix_at_start: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
            started: tokio::time::Instant::now(),
            offset: AtomicU64::new(0),
        }
    }

    fn offset(&self) -> Duration {
        Duration::from_nanos(self.offset.load(Ordering::Relaxed))
    }

    pub(crate) fn now(&self) -> Now {
        let tokio_now = tokio::time::Instant::now();
        let offset = self.offset();
        let unix = self.unix_at_start + tokio_now.saturating_duration_since(self.started) + offset;
        Now {
            instant: (tokio_now + offset).into_std(),
            unix_nanos: u64::try_from(unix.as_nanos()).unwrap_or(u64::MAX),
        }
    }

    /// Now as a wall-clock time.
    pub(crate) fn system_time(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_nanos(self.now().unix_nanos)
    }

    /// Moves the clock on by `by`, saturating (at some 500 years).
    pub(crate) fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        let _ = self
            .offset
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                Some(offset.saturating_add(by))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_both_forms() {
        let clock = SimClock::new();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        let after = clock.now();
        assert!(after.instant.duration_since(before.instant) >= Duration::from_secs(3600));
        assert!(after.unix_nanos - before.unix_nanos >= 3_600_000_000_000);
        let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        assert!(Duration::from_nanos(after.unix_nanos) >= wall + Duration::from_secs(3599));
    }
}
