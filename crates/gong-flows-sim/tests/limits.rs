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

/// The rate-limit headers of an answer, by their name's tail
/// (`x-ratelimit-<tail>`); `None` for each one that is absent.
fn quota_headers(response: &reqwest::Response) -> [Option<u64>; 6] {
    [
        "limit",
        "remaining",
        "reset",
        "daily-limit",
        "daily-remaining",
        "daily-reset",
    ]
    .map(|tail| {
        response
            .headers()
            .get(format!("x-ratelimit-{tail}"))
            .map(|v| v.to_str().unwrap().parse().expect("integer header"))
    })
}

/// Whole seconds from the simulator's clock to the next UTC day.
fn secs_to_midnight(sim: &Simulator) -> u64 {
    let day = 86_400;
    day - since_epoch(sim.now()).as_secs() % day
}

#[tokio::test]
async fn rate_limit_headers_follow_the_admitted_calls() {
    // An hour-long window: nothing leaves it during the test.
    let sim = Simulator::start(
        SimConfig::default()
            .rate_limit(Some(5))
            .rate_window(Duration::from_secs(3600))
            .daily_limit(Some(20))
            .rate_limit_headers(true),
    )
    .unwrap();
    // Clear of midnight, so the day's count cannot start afresh midway.
    if secs_to_midnight(&sim) < 60 {
        sim.advance_clock(2 * MINUTE);
    }
    let anonymous = || {
        common::http()
            .get(format!("{}{LIST}", sim.base_url()))
            .send()
    };

    // Not charged, and nothing in the window yet.
    let response = anonymous().await.unwrap();
    assert_eq!(response.status(), 401);
    let [
        limit,
        remaining,
        reset,
        daily_limit,
        daily_remaining,
        daily_reset,
    ] = quota_headers(&response);
    assert_eq!((limit, remaining, reset), (Some(5), Some(5), Some(0)));
    assert_eq!((daily_limit, daily_remaining), (Some(20), Some(20)));
    let midnight = secs_to_midnight(&sim);
    assert!(
        daily_reset.unwrap().abs_diff(midnight) <= 1,
        "{daily_reset:?}"
    );

    for k in 1..=5 {
        // The third call is refused as malformed, but it was admitted and
        // counts like the others.
        let response = if k == 3 {
            common::post(&sim, "/v2/flows/prospects/assign", &serde_json::json!({})).await
        } else {
            get(&sim, LIST).await
        };
        assert_eq!(response.status(), if k == 3 { 400 } else { 200 });
        let [limit, remaining, reset, daily_limit, daily_remaining, _] = quota_headers(&response);
        assert_eq!(limit, Some(5));
        assert_eq!(remaining, Some(5 - k), "after {k} calls");
        // The first call leaves the window an hour after it came.
        assert!((3590..=3600).contains(&reset.unwrap()), "{reset:?}");
        assert_eq!((daily_limit, daily_remaining), (Some(20), Some(20 - k)));
    }

    // The 429 says the same as its Retry-After, and does not count.
    let refused = get(&sim, LIST).await;
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let [limit, remaining, reset, _, daily_remaining, _] = quota_headers(&refused);
    assert_eq!((limit, remaining), (Some(5), Some(0)));
    assert_eq!(reset, Some(retry_after));
    assert_eq!(daily_remaining, Some(15));

    // Raised limits: the headers report them, and the calls made so far
    // still count.
    sim.set_rate_limit(Some(1000)).unwrap();
    sim.set_daily_limit(Some(50_000)).unwrap();
    let response = get(&sim, LIST).await;
    assert_eq!(response.status(), 200);
    let [limit, remaining, _, daily_limit, daily_remaining, _] = quota_headers(&response);
    assert_eq!((limit, remaining), (Some(1000), Some(994)));
    assert_eq!((daily_limit, daily_remaining), (Some(50_000), Some(49_994)));

    // A 429 fault is given back: it leaves the counts as they were.
    sim.script_429(2);
    let burst = get(&sim, LIST).await;
    assert_eq!(burst.status(), 429);
    assert_eq!(burst.headers()["retry-after"], "2");
    let [_, remaining, _, _, daily_remaining, _] = quota_headers(&burst);
    assert_eq!((remaining, daily_remaining), (Some(994), Some(49_994)));

    // Unknown paths carry them too.
    let unrouted = get(&sim, "/v2/nothing").await;
    assert_eq!(unrouted.status(), 404);
    assert_eq!(quota_headers(&unrouted)[1], Some(994));

    // A limit that is off has no headers.
    sim.set_rate_limit(None).unwrap();
    let [limit, remaining, reset, daily_limit, ..] = quota_headers(&get(&sim, LIST).await);
    assert_eq!((limit, remaining, reset), (None, None, None));
    assert_eq!(daily_limit, Some(50_000));

    // And none at all once they are turned off.
    sim.set_rate_limit_headers(false);
    assert_eq!(quota_headers(&get(&sim, LIST).await), [None; 6]);
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limit_headers_are_off_by_default() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let response = get(&sim, LIST).await;
    assert_eq!(response.status(), 200);
    assert_eq!(quota_headers(&response), [None; 6]);
    sim.shutdown().await;
}

#[tokio::test]
async fn daily_headers_of_a_rolling_day() {
    let sim = Simulator::start(
        SimConfig::default()
            .rate_limit(None)
            .daily_limit(Some(3))
            .day_window(DayWindow::Rolling)
            .day_length(DAY)
            .rate_limit_headers(true),
    )
    .unwrap();
    let [limit, _, _, daily_limit, daily_remaining, daily_reset] =
        quota_headers(&get(&sim, LIST).await);
    assert_eq!(limit, None, "no per-second limit");
    assert_eq!((daily_limit, daily_remaining), (Some(3), Some(2)));
    // The call just made counts for an hour.
    assert_eq!(daily_reset, Some(3600));

    sim.advance_clock(10 * MINUTE);
    let [_, _, _, _, daily_remaining, daily_reset] = quota_headers(&get(&sim, LIST).await);
    assert_eq!(daily_remaining, Some(1));
    // Until the first call is an hour old.
    assert!(
        (2990..=3000).contains(&daily_reset.unwrap()),
        "{daily_reset:?}"
    );

    get(&sim, LIST).await;
    let refused = get(&sim, LIST).await;
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let [_, _, _, _, daily_remaining, daily_reset] = quota_headers(&refused);
    assert_eq!(daily_remaining, Some(0));
    assert_eq!(daily_reset, Some(retry_after));
    sim.shutdown().await;
}
