//! The daily limit counted per UTC day and per rolling day, across the
//! day's boundary. The simulator's clock is moved on rather than waited
//! for, so the margins below (a minute and more) are far wider than the
//! real time the calls take.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{error_messages, get};
use gong_flows_sim::{DayWindow, SimConfig, Simulator};

const LIST: &str = "/v2/flows?flowOwnerEmail=owner%40example.com";
const MINUTE: Duration = Duration::from_secs(60);
/// A short day: an hour.
const DAY: Duration = Duration::from_secs(3600);

fn sim(window: DayWindow, daily: u32) -> Simulator {
    Simulator::start(
        SimConfig::default()
            .rate_limit(None)
            .daily_limit(Some(daily))
            .day_window(window)
            .day_length(DAY),
    )
    .expect("simulator starts")
}

fn since_epoch(time: SystemTime) -> Duration {
    time.duration_since(UNIX_EPOCH).expect("after the epoch")
}

/// Time until the simulator's clock reaches the next multiple of `DAY`.
fn to_next_boundary(sim: &Simulator) -> Duration {
    let into_day = since_epoch(sim.now()).as_nanos() % DAY.as_nanos();
    DAY - Duration::from_nanos(u64::try_from(into_day).unwrap())
}

/// Calls until one is refused; the number admitted and the refusal's
/// `Retry-After` and message.
async fn burst(sim: &Simulator) -> (u32, u64, Vec<String>) {
    let mut admitted = 0;
    loop {
        let response = get(sim, LIST).await;
        if response.status() == 200 {
            admitted += 1;
            assert!(admitted < 100, "never refused");
            continue;
        }
        let retry_after = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .expect("integer Retry-After");
        return (admitted, retry_after, error_messages(response, 429).await);
    }
}

#[tokio::test]
async fn a_utc_day_admits_a_burst_on_each_side_of_its_boundary() {
    let sim = sim(DayWindow::UtcDay, 3);
    // A minute before a boundary (the next one, unless it is too close).
    let mut to_boundary = to_next_boundary(&sim);
    if to_boundary < 2 * MINUTE {
        sim.advance_clock(to_boundary);
        to_boundary = DAY;
    }
    sim.advance_clock(to_boundary - MINUTE);
    let start = sim.now();

    let (before, retry_after, messages) = burst(&sim).await;
    assert_eq!(before, 3);
    assert_eq!(messages, ["Daily rate limit of 3 calls exceeded"]);
    // The seconds until the day turns, rounded up.
    assert!((50..=60).contains(&retry_after), "{retry_after}");

    // Just after the boundary: a new day, a full budget.
    sim.advance_clock(MINUTE + Duration::from_secs(1));
    let (after, retry_after, _) = burst(&sim).await;
    assert_eq!(after, 3, "the day turned");
    assert!((3500..=3600).contains(&retry_after), "{retry_after}");

    // Twice the limit within about a minute.
    let span = sim.now().duration_since(start).unwrap();
    assert!(span < 2 * MINUTE, "{span:?}");
    assert_eq!(sim.counters().rate_limited, 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_rolling_day_frees_a_call_only_when_one_is_a_day_old() {
    let sim = sim(DayWindow::Rolling, 3);
    // Three calls 20 minutes apart: whatever the UTC boundary in between,
    // the three count for an hour each.
    for i in 0..3 {
        if i > 0 {
            sim.advance_clock(20 * MINUTE);
        }
        assert_eq!(get(&sim, LIST).await.status(), 200);
    }
    sim.advance_clock(MINUTE);
    let (admitted, retry_after, messages) = burst(&sim).await;
    assert_eq!(admitted, 0, "three calls within the last hour");
    assert_eq!(messages, ["Daily rate limit of 3 calls exceeded"]);
    // The first call is an hour old 19 minutes from now.
    assert!((1130..=1140).contains(&retry_after), "{retry_after}");

    // An hour after the first call: that one call is free again, no more.
    sim.advance_clock(Duration::from_secs(retry_after));
    let (admitted, retry_after, _) = burst(&sim).await;
    assert_eq!(admitted, 1);
    // Next, the second call's hour ends, 20 minutes after the first's.
    assert!((1190..=1200).contains(&retry_after), "{retry_after}");
    sim.shutdown().await;
}

/// However the calls fall, no hour of the simulator's clock holds more
/// than the limit, boundaries included; a UTC day would let some hour hold
/// up to twice as many.
#[tokio::test]
async fn no_rolling_day_holds_more_than_the_limit() {
    let limit = 4;
    for (window, most) in [(DayWindow::Rolling, limit), (DayWindow::UtcDay, 2 * limit)] {
        let sim = sim(window, limit as u32);
        let mut admitted: Vec<Duration> = Vec::new();
        // Four hours of 7-minute steps: no two steps are a whole hour
        // apart, so no call sits on the edge of another's hour.
        for _ in 0..(4 * 60 / 7) {
            sim.advance_clock(7 * MINUTE);
            let at = since_epoch(sim.now());
            let (n, _, _) = burst(&sim).await;
            admitted.extend(std::iter::repeat_n(at, n as usize));
        }
        let busiest = admitted
            .iter()
            .map(|start| {
                admitted
                    .iter()
                    .filter(|t| **t >= *start && **t < *start + DAY)
                    .count()
            })
            .max()
            .unwrap();
        assert!(busiest <= most, "{window}: {busiest} calls in an hour");
        assert!(admitted.len() >= 4 * limit, "{window}: {}", admitted.len());
        if window == DayWindow::UtcDay {
            assert!(busiest > limit, "a burst on each side of a boundary");
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn switching_the_day_window_at_run_time() {
    let sim = sim(DayWindow::UtcDay, 2);
    let mut to_boundary = to_next_boundary(&sim);
    if to_boundary < 2 * MINUTE {
        sim.advance_clock(to_boundary);
        to_boundary = DAY;
    }
    sim.advance_clock(to_boundary - MINUTE);
    assert_eq!(burst(&sim).await.0, 2);
    sim.advance_clock(2 * MINUTE);
    // Past the boundary the UTC day is fresh, but the rolling day still
    // holds both calls.
    sim.set_day_window(DayWindow::Rolling);
    assert_eq!(burst(&sim).await.0, 0);
    sim.set_day_window(DayWindow::UtcDay);
    assert_eq!(burst(&sim).await.0, 2);
    sim.shutdown().await;
}
