//! The pacing model on tokio's paused clock: at most R calls in any
//! one-second window before, during and after 429 pauses, from any number
//! of tasks and clones; waits beyond the caller's limits fail at once; and
//! against the simulator's strict limiter, no 429 of the limiter's own.

mod common;

use common::{Reply, ScriptServer, assign_answer, client};
use gong_flows::{Error, InProcessPacer, Pacer, QuotaHint, RetryPolicy};
use gong_flows_sim::{Endpoint, FaultKind, Latency, SimConfig, Simulator, dataset};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

const FLOW: &str = "1695493301223590792";
const OWNER: &str = "owner@example.com";
const FOREVER: Duration = Duration::from_secs(365 * 24 * 3600);

/// The most instants of `times` in any half-open window `[t, t + 1 s)`.
fn most_in_one_second(times: &[Instant]) -> usize {
    let mut sorted = times.to_vec();
    sorted.sort();
    let mut most = 0;
    let mut start = 0;
    for end in 0..sorted.len() {
        while sorted[end] - sorted[start] >= Duration::from_secs(1) {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}

#[test]
fn the_window_counter_counts() {
    let t0 = Instant::now();
    let at = |ms: u64| t0 + Duration::from_millis(ms);
    assert_eq!(most_in_one_second(&[at(0), at(999), at(1000)]), 2);
    assert_eq!(
        most_in_one_second(&[at(0), at(2000), at(2000), at(2000)]),
        3
    );
}

/// `tasks` tasks, each taking `per_task` slots from its own clone of the
/// pacer; a 429 pause of `pause` arrives `pause_at` after the start.
async fn release_times(
    tasks: usize,
    per_task: usize,
    pause_at: Duration,
    pause: Duration,
) -> Vec<Instant> {
    let pacer: Arc<dyn Pacer> = Arc::new(InProcessPacer::new(Some(3.0), None));
    let times = Arc::new(Mutex::new(Vec::new()));
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (pacer, times) = (pacer.clone(), times.clone());
        handles.push(tokio::spawn(async move {
            for _ in 0..per_task {
                pacer.acquire(FOREVER).await.unwrap();
                times.lock().unwrap().push(Instant::now());
            }
        }));
    }
    let pauser = pacer.clone();
    tokio::spawn(async move {
        tokio::time::sleep(pause_at).await;
        pauser.rate_limited(pause);
    });
    for handle in handles {
        handle.await.unwrap();
    }
    times.lock().unwrap().clone()
}

#[tokio::test(start_paused = true)]
async fn no_second_holds_more_than_the_rate_around_a_pause() {
    // Before: every caller that had reserved a slot inside the pause went
    // out together when it ended (6 calls in one second).
    for (tasks, pause_at_ms) in [(1, 500), (4, 500), (5, 340), (16, 1000), (40, 2)] {
        let start = Instant::now();
        let times = release_times(
            tasks,
            6,
            Duration::from_millis(pause_at_ms),
            Duration::from_secs(2),
        )
        .await;
        assert_eq!(times.len(), tasks * 6);
        assert!(
            most_in_one_second(&times) <= 3,
            "{tasks} tasks: {:?}",
            times
                .iter()
                .map(|t| (*t - start).as_millis())
                .collect::<Vec<_>>()
        );
        // No two callers hold the same instant.
        let mut distinct = times.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), times.len());
        // Nothing went out during the pause.
        let (from, to) = (
            start + Duration::from_millis(pause_at_ms),
            start + Duration::from_millis(pause_at_ms) + Duration::from_secs(2),
        );
        assert!(times.iter().all(|t| *t <= from || *t >= to));
    }
}

#[tokio::test(start_paused = true)]
async fn a_pause_moves_queued_reservations_behind_it() {
    let pacer = Arc::new(InProcessPacer::with_margin(Some(3.0), None, 0.0));
    let start = Instant::now();
    let times = Arc::new(Mutex::new(Vec::new()));
    let mut handles = Vec::new();
    for _ in 0..5 {
        let (pacer, times) = (pacer.clone(), times.clone());
        handles.push(tokio::spawn(async move {
            pacer.acquire(FOREVER).await.unwrap();
            times
                .lock()
                .unwrap()
                .push((Instant::now() - start).as_millis());
        }));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    pacer.rate_limited(Duration::from_secs(2));
    for handle in handles {
        handle.await.unwrap();
    }
    let mut times = times.lock().unwrap().clone();
    times.sort();
    // The first went at once; the four queued behind it are spaced from
    // the end of the pause instead of all going at 2,100 ms.
    assert_eq!(times, [0, 2100, 2434, 2767, 3100]);
}

#[tokio::test(start_paused = true)]
async fn a_queued_call_fails_at_once_when_a_pause_exceeds_its_limit() {
    let pacer = Arc::new(InProcessPacer::new(Some(3.0), None));
    pacer.acquire(FOREVER).await.unwrap();
    let queued = {
        let pacer = pacer.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            let result = pacer.acquire(Duration::from_secs(60)).await;
            (result, start.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    pacer.rate_limited(Duration::from_secs(3600));
    let (result, waited) = queued.await.unwrap();
    assert_eq!(waited, Duration::from_millis(10));
    match result {
        Err(Error::RateLimited { retry_after, .. }) => {
            assert!(retry_after > Duration::from_secs(3500), "{retry_after:?}")
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    // A caller arriving later fails at once too, and takes no slot.
    let err = pacer.acquire(Duration::from_secs(60)).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }));
}

#[tokio::test(start_paused = true)]
async fn a_slot_beyond_the_wait_allowed_fails_without_reserving() {
    let pacer = InProcessPacer::with_margin(Some(1.0), None, 0.0);
    for _ in 0..3 {
        pacer.acquire(FOREVER).await.unwrap();
    }
    // Next free slot is 1 s away: a caller that may wait 0.5 s is told so.
    let start = Instant::now();
    let err = pacer.acquire(Duration::from_millis(500)).await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after, .. } if retry_after == Duration::from_secs(1))
    );
    assert_eq!(start.elapsed(), Duration::ZERO);
    // It took nothing: the next caller still gets that slot.
    pacer.acquire(FOREVER).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn queued_chunks_fail_fast_on_a_long_retry_after_and_are_reported_not_attempted() {
    let server = ScriptServer::start().await;
    let first = Arc::new(Mutex::new(true));
    server.handle(move |seen| {
        let ids = common::ids_of(&seen.body);
        if std::mem::take(&mut *first.lock().unwrap()) {
            return Some(Reply::error(429, "req-day", "Daily limit").header("Retry-After", "3600"));
        }
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        Some(Reply::json(200, assign_answer(FLOW, &refs, &[])))
    });
    let client = client(&server.url)
        .rate_limit(3.0)
        .concurrency(4)
        .build()
        .unwrap();
    let ids: Vec<String> = (0..10).map(|i| format!("p{i}")).collect();
    let started = Instant::now();
    let (_, report) = common::stopped(
        client
            .assign(FLOW, OWNER)
            .prospects(&ids)
            .chunk_size(1)
            .send()
            .await,
    );
    // Before: the calls already queued in the pacer slept the whole hour.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.seen().len(), 1, "nothing more was sent");
    assert_eq!(report.assigned.len(), 0);
    assert_eq!(report.not_attempted.len(), 10);
    for item in &report.not_attempted {
        assert!(
            matches!(&*item.error, Error::RateLimited { .. }),
            "{:?}",
            item.error
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_policy_time_limit_bounds_pacer_waits() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [Reply::error(429, "req-429", "limit").header("Retry-After", "50")],
    );
    let client = client(&server.url)
        .retry_policy(RetryPolicy::none().with_time_limit(Duration::from_secs(30)))
        .build()
        .unwrap();
    let other = client.clone();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }));
    // 50 s is within max_retry_after (60 s) but beyond the 30 s time
    // limit: the next call fails at once instead of waiting.
    let started = Instant::now();
    let err = other.list_flows(OWNER).send().await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO);
    match err {
        Error::RateLimited {
            retry_after, api, ..
        } => {
            assert!(retry_after > Duration::from_secs(30));
            assert_eq!(api.operation, "listFlows");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 1);
}

/// One job of 30 calls at Gong's rate against the strict limiter, with a
/// 429 (`Retry-After: 2`) injected after `inject_after` calls.
async fn strict_run(latency_ms: u64, inject_after: u64, clones: usize) -> (u64, u64, usize) {
    let sim = Simulator::start(
        SimConfig::default()
            .strict_limiter(true)
            .daily_limit(None)
            .latency(Latency::Fixed(Duration::from_millis(latency_ms))),
    )
    .unwrap();
    let client = gong_flows::Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .request_timeout(None)
        .connect_timeout(None)
        .concurrency(4)
        .build()
        .unwrap();
    let injector = {
        async {
            loop {
                if sim.counters().calls(Endpoint::AssignProspects) >= inject_after {
                    sim.script_429(2);
                    break;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    };
    let jobs = async {
        let mut assigned = 0;
        let results = futures::future::join_all((0..clones).map(|c| {
            let client = client.clone();
            async move {
                let ids: Vec<String> = (0..30 * 200 / clones)
                    .map(|i| format!("00Q5g{c:03}{i:010}"))
                    .collect();
                client
                    .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
                    .prospects(&ids)
                    .send()
                    .await
                    .unwrap()
            }
        }))
        .await;
        for report in results {
            assert!(report.is_complete(), "{:?}", report.stats.stopped);
            assigned += report.assigned.len();
        }
        assigned
    };
    let (assigned, ()) = tokio::join!(jobs, injector);
    let counters = sim.counters();
    sim.shutdown().await;
    (
        counters.rate_limited,
        counters.faults_of(FaultKind::RateLimitBurst),
        assigned,
    )
}

#[tokio::test(start_paused = true)]
async fn against_the_strict_limiter_an_injected_429_draws_no_further_429s() {
    // Before: 6 of 13 such runs drew further 429s from the limiter.
    for latency_ms in [0, 100, 300, 1000] {
        for inject_after in [1, 5, 13, 22] {
            for clones in [1, 3] {
                let (limiter_429s, injected, assigned) =
                    strict_run(latency_ms, inject_after, clones).await;
                assert_eq!(injected, 1);
                assert_eq!(
                    limiter_429s, 0,
                    "latency {latency_ms} ms, 429 after {inject_after} calls, {clones} clones"
                );
                assert_eq!(assigned, 6000);
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_rate_adapts_to_other_traffic_of_the_company() {
    // Another integration takes 1 call/s of the 3: a client pacing at 3/s
    // would meet 429s again and again.
    let sim = Simulator::start(
        SimConfig::default()
            .strict_limiter(true)
            .daily_limit(None)
            .foreign_rate(Some(1.0))
            .latency(Latency::Fixed(Duration::from_millis(100))),
    )
    .unwrap();
    let client = gong_flows::Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .request_timeout(None)
        .connect_timeout(None)
        .concurrency(4)
        .build()
        .unwrap();
    let ids: Vec<String> = (0..400 * 200).map(|i| format!("00Q5g{i:013}")).collect();
    let started = Instant::now();
    let sampler = async {
        tokio::time::sleep(Duration::from_secs(60)).await;
        (
            sim.counters().rate_limited,
            sim.counters().calls(Endpoint::AssignProspects),
        )
    };
    let job = client
        .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
        .prospects(&ids)
        .send();
    let (report, (early_429s, early_calls)) = tokio::join!(job, sampler);
    let report = report.unwrap();
    let elapsed = started.elapsed();
    let counters = sim.counters();
    sim.shutdown().await;
    assert!(report.is_complete(), "{:?}", report.stats.stopped);
    let rate = client.pacer().rate().unwrap();
    let late_minutes = (elapsed.as_secs_f64() - 60.0) / 60.0;
    let late_429s = counters.rate_limited - early_429s;
    let late_calls = counters.calls(Endpoint::AssignProspects) - early_calls - late_429s;
    let throughput = late_calls as f64 / (elapsed.as_secs_f64() - 60.0);
    eprintln!(
        "adapted rate {rate:.2}/s; after the first minute: {late_429s} 429s in {late_minutes:.1} min, \
         {throughput:.2} calls/s of the 2 left"
    );
    assert!(rate < 3.0, "the rate adapted: {rate}");
    assert!(
        late_429s as f64 <= 1.5 * late_minutes.ceil(),
        "{late_429s} 429s in {late_minutes:.1} minutes"
    );
    assert!(throughput >= 1.6, "{throughput:.2} calls/s");
}

#[tokio::test(start_paused = true)]
async fn a_call_released_late_pushes_the_next_one_back() {
    // A loaded machine: the task holding the second slot is woken late.
    // Before, the calls queued behind it went at their planned slots, so
    // the late call and three on time fell within one second (4 at 3/s).
    let pacer = Arc::new(InProcessPacer::with_margin(Some(3.0), None, 0.0));
    let interval = Duration::from_secs(1) / 3;
    let start = Instant::now();
    pacer.acquire(FOREVER).await.unwrap();
    let mut late = std::pin::pin!(pacer.acquire(FOREVER));
    assert!(
        futures::poll!(&mut late).is_pending(),
        "holds the 333 ms slot"
    );
    let times = Arc::new(Mutex::new(vec![start]));
    let mut queued = Vec::new();
    for _ in 0..3 {
        let (pacer, times) = (pacer.clone(), times.clone());
        queued.push(tokio::spawn(async move {
            pacer.acquire(FOREVER).await.unwrap();
            times.lock().unwrap().push(Instant::now());
        }));
        tokio::task::yield_now().await;
    }
    // Not polled until 660 ms: the slot went by unseen.
    tokio::time::advance(Duration::from_millis(660)).await;
    assert!(futures::poll!(&mut late).is_ready());
    let released_late = Instant::now();
    times.lock().unwrap().push(released_late);
    for task in queued {
        task.await.unwrap();
    }
    let mut times = times.lock().unwrap().clone();
    times.sort();
    let shown: Vec<u128> = times.iter().map(|t| (*t - start).as_millis()).collect();
    assert!(most_in_one_second(&times) <= 3, "{shown:?}");
    // The next call goes an interval after the late one, not after its
    // planned slot.
    let next = times.iter().find(|t| **t > released_late).unwrap();
    assert!(*next - released_late >= interval, "{shown:?}");
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= interval - Duration::from_millis(1),
            "{shown:?}"
        );
    }
}

/// Lowers the rate to the floor with 429s every 2 s.
async fn lowered_to_the_floor(pacer: &InProcessPacer) {
    for _ in 0..40 {
        pacer.rate_limited(Duration::from_secs(1));
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let rate = pacer.rate().unwrap();
    assert!((rate - 0.3).abs() < 1e-9, "{rate}");
}

#[tokio::test(start_paused = true)]
async fn a_lowered_rate_is_back_within_a_minute_of_the_last_429() {
    // Before: back up one small step per call after each quiet 15 s: an
    // hour after the other traffic stopped, 0.35/s.
    let pacer = InProcessPacer::new(Some(3.0), None);
    lowered_to_the_floor(&pacer).await;
    let last_429 = Instant::now() - Duration::from_secs(2);
    let adapted = pacer.adapted().expect("adapted");
    assert!((adapted.rate - 0.3).abs() < 1e-9);
    assert_eq!(adapted.configured, 3.0);
    assert!(adapted.since < adapted.last_429);
    // No call for the whole quiet minute: the time counts all the same.
    tokio::time::sleep_until(last_429 + Duration::from_secs(59)).await;
    assert!(pacer.rate().unwrap() < 1.0);
    tokio::time::sleep_until(last_429 + Duration::from_secs(60)).await;
    assert_eq!(pacer.rate(), Some(3.0));
    // 30 calls at 3/s: 29 intervals of 338 ms.
    let start = Instant::now();
    for _ in 0..30 {
        pacer.acquire(FOREVER).await.unwrap();
    }
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(9_800) && took <= Duration::from_millis(10_000),
        "{took:?}"
    );
    assert_eq!(pacer.adapted(), None);
}

#[tokio::test(start_paused = true)]
async fn a_429_right_after_the_return_goes_back_to_the_rate_before_it() {
    let pacer = InProcessPacer::new(Some(3.0), None);
    lowered_to_the_floor(&pacer).await;
    tokio::time::sleep(Duration::from_secs(60)).await;
    pacer.acquire(FOREVER).await.unwrap();
    assert_eq!(pacer.rate(), Some(3.0));
    // The other traffic is still there: one 429 undoes the return.
    pacer.rate_limited(Duration::from_secs(1));
    let rate = pacer.rate().unwrap();
    assert!((rate - 0.3).abs() < 1e-9, "{rate}");
    assert!(pacer.adapted().is_some());
}

#[tokio::test(start_paused = true)]
async fn no_remaining_calls_hold_every_caller_until_the_reset() {
    let pacer = InProcessPacer::new(Some(3.0), None);
    pacer.acquire(FOREVER).await.unwrap();
    let hint = QuotaHint {
        remaining: Some(0),
        reset: Some(Duration::from_secs(5)),
        ..QuotaHint::default()
    };
    pacer.observe(&hint);
    assert_eq!(pacer.pause_remaining(), Some(Duration::from_secs(5)));
    let start = Instant::now();
    pacer.acquire(FOREVER).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    // Like a pause, not like a 429: the rate stays.
    assert_eq!(pacer.rate(), Some(3.0));
    // Calls left, or an empty hint: nothing changes.
    pacer.observe(&QuotaHint {
        remaining: Some(2),
        reset: Some(Duration::from_secs(60)),
        ..QuotaHint::default()
    });
    pacer.observe(&QuotaHint::default());
    assert_eq!(pacer.pause_remaining(), None);
    // None left and no reset: a second (Gong's window).
    pacer.observe(&QuotaHint {
        remaining: Some(0),
        ..QuotaHint::default()
    });
    assert_eq!(pacer.pause_remaining(), Some(Duration::from_secs(1)));
}

#[tokio::test(start_paused = true)]
async fn custom_pacers_know_nothing_by_default() {
    #[derive(Debug)]
    struct Unpaced;
    impl Pacer for Unpaced {
        fn acquire(&self, _max_wait: Duration) -> gong_flows::PacerFuture<'_> {
            Box::pin(async { Ok(()) })
        }
        fn pause(&self, _wait: Duration) {}
    }
    let pacer = Unpaced;
    assert_eq!(pacer.budget().await.unwrap(), None);
    assert_eq!(pacer.adapted(), None);
    pacer.observe(&QuotaHint::default());
}
