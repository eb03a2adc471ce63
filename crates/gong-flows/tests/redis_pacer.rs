//! `RedisPacer` against a real `redis-server` started on a free loopback
//! port: one limit for several clients, pauses, the adapted rate and the
//! daily budget shared through Redis, companies kept apart, and what
//! happens when Redis dies or freezes.
//!
//! These run on the real clock (Redis keeps its own), so the clients pace
//! at 8 calls/s against the simulator's strict 10: the slack absorbs a
//! loaded machine's scheduling delays, and the assertions are about the
//! simulator's 429 counts and Redis' state, never about how fast the
//! machine is.

#[path = "support/redis_server.rs"]
mod redis_server;

use gong_flows::{
    Adaptation, Client, Company, Credentials, Error, Pacer, QuotaHint, RedisPacer, Secret,
    TokenFuture, TokenProvider, WhenUnavailable,
};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, Endpoint, SimConfig, Simulator, dataset,
};
use redis_server::RedisServer;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const PACED: f64 = 8.0;
const LIMIT: u32 = 10;

fn strict_sim() -> Simulator {
    Simulator::start(
        SimConfig::default()
            .rate_limit(Some(LIMIT))
            .strict_limiter(true)
            .daily_limit(None),
    )
    .unwrap()
}

fn client(sim: &Simulator, pacer: Arc<dyn Pacer>) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .pacer(pacer)
        .concurrency(2)
        .build()
        .unwrap()
}

fn pacer(redis: &RedisServer, sim: &Simulator) -> gong_flows::RedisPacerBuilder {
    RedisPacer::builder(redis.url(), sim.base_url()).rate_limit(PACED)
}

fn ids(prefix: usize, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("00Q5g{prefix:03}{i:010}")).collect()
}

/// `clients` clients, each assigning `calls` one-id calls at once.
async fn run_clients(clients: &[Client], calls: usize) -> Vec<gong_flows::AssignReport> {
    futures::future::join_all(clients.iter().enumerate().map(|(c, client)| {
        let ids = ids(c, calls);
        async move {
            client
                .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
                .prospects(&ids)
                .chunk_size(1)
                .send()
                .await
                .unwrap()
        }
    }))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_clients_share_one_limit() {
    let Some(redis) = RedisServer::start("several_clients_share_one_limit") else {
        return;
    };
    let sim = strict_sim();
    let clients: Vec<Client> = (0..4)
        .map(|_| client(&sim, Arc::new(pacer(&redis, &sim).build().unwrap())))
        .collect();
    let reports = run_clients(&clients, 8).await;
    for report in &reports {
        assert!(report.is_complete(), "{:?}", report.stats.stopped);
        assert_eq!(report.assigned.len(), 8);
    }
    let counters = sim.counters();
    assert_eq!(counters.calls(Endpoint::AssignProspects), 32);
    assert_eq!(counters.too_many_requests(), 0, "four clients, one limit");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn separate_in_process_pacers_overrun_the_company_limit() {
    // The contrast: the same four clients, each with its own limit.
    let sim = strict_sim();
    let clients: Vec<Client> = (0..4)
        .map(|_| {
            client(
                &sim,
                Arc::new(gong_flows::InProcessPacer::new(Some(PACED), None)),
            )
        })
        .collect();
    run_clients(&clients, 8).await;
    assert!(sim.counters().rate_limited > 0);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_reaches_every_process_and_queued_callers_fail_fast() {
    let Some(redis) = RedisServer::start("a_pause_reaches_every_process") else {
        return;
    };
    let base = "https://us-1.api.gong.io";
    let a = RedisPacer::builder(redis.url(), base).build().unwrap();
    let b = RedisPacer::builder(redis.url(), base).build().unwrap();
    b.acquire(Duration::from_secs(1)).await.unwrap();
    a.rate_limited(Duration::from_secs(30));
    // `a` records the pause in Redis in the background; `b` knows nothing
    // locally, and learns it from Redis.
    let mut told = None;
    for _ in 0..200 {
        match b.acquire(Duration::from_secs(5)).await {
            Err(error) => {
                told = Some(error);
                break;
            }
            Ok(()) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
    match told {
        Some(Error::RateLimited { retry_after, .. }) => {
            assert!(retry_after > Duration::from_secs(5), "{retry_after:?}")
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(a.pause_remaining().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapted_rate_and_the_daily_budget_are_shared() {
    let Some(redis) = RedisServer::start("the_adapted_rate_and_the_daily_budget_are_shared") else {
        return;
    };
    let base = "https://us-2.api.gong.io";
    let a = RedisPacer::builder(redis.url(), base)
        .daily_budget(3)
        .build()
        .unwrap();
    let b = RedisPacer::builder(redis.url(), base)
        .daily_budget(3)
        .build()
        .unwrap();
    assert_eq!(a.rate(), Some(3.0));
    // Two 429s although paced: the second lowers the company's rate.
    a.rate_limited(Duration::from_millis(1));
    tokio::time::sleep(Duration::from_millis(200)).await;
    a.rate_limited(Duration::from_millis(1));
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..3 {
        b.acquire(Duration::from_secs(5)).await.unwrap();
    }
    let rate = b.rate().unwrap();
    assert!((rate - 2.7).abs() < 0.01, "b sees the lowered rate: {rate}");
    // Three calls spent the shared budget of three.
    let err = a.acquire(Duration::from_secs(5)).await.unwrap_err();
    assert!(
        matches!(err, Error::DailyBudgetExhausted { limit: 3, .. }),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_namespaced_per_company() {
    let Some(redis) = RedisServer::start("keys_are_namespaced_per_company") else {
        return;
    };
    let one = RedisPacer::builder(redis.url(), "https://us-1.api.gong.io:8443/x")
        .build()
        .unwrap();
    assert_eq!(one.namespace(), "us-1.api.gong.io:8443");
    let two = RedisPacer::builder(redis.url(), "https://us-1.api.gong.io")
        .namespace("tenant-two")
        .daily_budget(1)
        .build()
        .unwrap();
    one.acquire(Duration::from_secs(1)).await.unwrap();
    two.acquire(Duration::from_secs(1)).await.unwrap();
    // The other company's calls did not spend this one's budget of 1...
    assert!(matches!(
        two.acquire(Duration::from_secs(1)).await,
        Err(Error::DailyBudgetExhausted { .. })
    ));
    // ...and each has its own key.
    let client = redis::Client::open(redis.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let mut keys: Vec<String> = redis::cmd("KEYS")
        .arg("gong-flows:*")
        .query_async(&mut connection)
        .await
        .unwrap();
    keys.sort();
    assert_eq!(
        keys,
        [
            "gong-flows:{tenant-two}:day",
            "gong-flows:{tenant-two}:pacer",
            "gong-flows:{us-1.api.gong.io:8443}:day",
            "gong-flows:{us-1.api.gong.io:8443}:pacer"
        ]
    );
}

#[test]
fn bad_settings_are_refused_and_the_password_is_never_shown() {
    let err = RedisPacer::builder("http://nope", "https://x.api.gong.io")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let err = RedisPacer::builder("redis://127.0.0.1/0", "https://x.api.gong.io")
        .namespace("has space")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    let err = RedisPacer::builder("redis://127.0.0.1/0", "https://x.api.gong.io")
        .when_unavailable(WhenUnavailable::PaceLocally { share: 0.0 })
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    let builder = RedisPacer::builder(
        "redis://:hunter2secret@127.0.0.1/0",
        "https://x.api.gong.io",
    );
    assert!(!format!("{builder:?}").contains("hunter2secret"));
    let pacer = builder.build().unwrap();
    assert!(!format!("{pacer:?}").contains("hunter2secret"));
    let err = RedisPacer::builder(
        "redis://:hunter2secret@127.0.0.1:notaport/0",
        "https://x.api.gong.io",
    )
    .build()
    .unwrap_err();
    assert!(!err.to_string().contains("hunter2secret"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_redis_fails_calls_with_a_typed_error_by_default() {
    let Some(mut redis) = RedisServer::start("unreachable_redis_fails_calls") else {
        return;
    };
    let sim = strict_sim();
    let pacer = Arc::new(pacer(&redis, &sim).build().unwrap());
    let client = client(&sim, pacer.clone());
    // Redis dies once the job is under way.
    let ids = ids(0, 40);
    let job = client
        .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
        .prospects(&ids)
        .chunk_size(1)
        .send();
    let killer = async {
        while sim.counters().calls(Endpoint::AssignProspects) < 5 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        redis.kill();
    };
    let (report, ()) = tokio::join!(job, killer);
    // The job stopped on the pacer: an Err that carries the report.
    let failure = report.expect_err("a job stopped by a dead Redis is an Err");
    assert_eq!(failure.kind(), "pacer-unavailable");
    let report = failure
        .into_report()
        .expect("a stopped job carries its report");
    // Nothing lost: every id is assigned or reported not attempted, with
    // the pacer's error; nothing went out unpaced.
    let calls = sim.counters().calls(Endpoint::AssignProspects) as usize;
    assert_eq!(report.assigned.len() + report.not_attempted.len(), 40);
    assert_eq!(report.assigned.len(), calls);
    assert!(calls < 40);
    assert!(
        report
            .not_attempted
            .iter()
            .all(|item| matches!(&*item.error, Error::PacerUnavailable { .. })),
        "{:?}",
        report.not_attempted.first()
    );
    assert_eq!(sim.counters().too_many_requests(), 0);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_redis_falls_back_to_local_pacing_when_configured() {
    let Some(mut redis) = RedisServer::start("killed_redis_falls_back") else {
        return;
    };
    let sim = strict_sim();
    let pacer = Arc::new(
        pacer(&redis, &sim)
            .when_unavailable(WhenUnavailable::PaceLocally { share: 0.5 })
            .build()
            .unwrap(),
    );
    let client = client(&sim, pacer.clone());
    let ids = ids(0, 30);
    let job = client
        .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
        .prospects(&ids)
        .chunk_size(1)
        .send();
    let killer = async {
        while sim.counters().calls(Endpoint::AssignProspects) < 5 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        redis.kill();
    };
    let (report, ()) = tokio::join!(job, killer);
    let report = report.unwrap();
    assert!(report.is_complete(), "{:?}", report.stats.stopped);
    assert_eq!(report.assigned.len(), 30);
    assert!(pacer.is_pacing_locally());
    assert_eq!(sim.counters().too_many_requests(), 0);
    sim.shutdown().await;
}

const DAY: Duration = Duration::from_secs(24 * 3600);
const MINUTE_US: i64 = 60_000_000;
const DAY_US: i64 = 86_400_000_000;

async fn connection(redis: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

/// Redis' clock, in µs.
async fn redis_now(connection: &mut redis::aio::MultiplexedConnection) -> i64 {
    let (secs, micros): (i64, i64) = redis::cmd("TIME").query_async(connection).await.unwrap();
    secs * 1_000_000 + micros
}

async fn field(
    connection: &mut redis::aio::MultiplexedConnection,
    key: &str,
    field: &str,
) -> Option<i64> {
    redis::cmd("HGET")
        .arg(key)
        .arg(field)
        .query_async(connection)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_window_in_redis_rolls_per_minute() {
    let Some(redis) = RedisServer::start("the_daily_window_in_redis_rolls_per_minute") else {
        return;
    };
    let base = "https://us-3.api.gong.io";
    let pacer = RedisPacer::builder(redis.url(), base)
        .daily_budget(5)
        .build()
        .unwrap();
    let day_key = "gong-flows:{us-3.api.gong.io}:day";
    let mut c = connection(&redis).await;
    let now = redis_now(&mut c).await;
    let live = (now - DAY_US).div_euclid(MINUTE_US);
    let this_minute = now.div_euclid(MINUTE_US);
    // Calls of yesterday: a minute that has just left the window, one that
    // leaves in one to two minutes, and this minute's.
    let _: () = redis::cmd("HSET")
        .arg(day_key)
        .arg(&[
            ((live - 1).to_string(), "100"),
            ((live + 1).to_string(), "3"),
            (this_minute.to_string(), "2"),
        ])
        .query_async(&mut c)
        .await
        .unwrap();
    let budget = pacer.budget().await.unwrap().unwrap();
    assert_eq!(
        (budget.limit, budget.used, budget.left),
        (5, 5, 0),
        "{budget:?}"
    );
    let frees = budget.next_free_at.unwrap();
    let in_ = frees.duration_since(SystemTime::now()).unwrap();
    assert!(in_ <= Duration::from_secs(125), "{in_:?}");
    match pacer.acquire(Duration::from_secs(1)).await.unwrap_err() {
        Error::DailyBudgetExhausted {
            limit, resets_in, ..
        } => {
            assert_eq!(limit, 5);
            assert!(resets_in <= Duration::from_secs(125) && !resets_in.is_zero());
        }
        other => panic!("expected DailyBudgetExhausted, got {other:?}"),
    }
    let gone: bool = redis::cmd("HEXISTS")
        .arg(day_key)
        .arg((live - 1).to_string())
        .query_async(&mut c)
        .await
        .unwrap();
    assert!(!gone, "the minute that left the window is dropped");
    // The running sum drops minutes as they leave too.
    let pacer_key = "gong-flows:{us-3.api.gong.io}:pacer";
    let _: () = redis::cmd("HSET")
        .arg(day_key)
        .arg((live - 3).to_string())
        .arg(100)
        .query_async(&mut c)
        .await
        .unwrap();
    let _: () = redis::cmd("HSET")
        .arg(pacer_key)
        .arg(&[("dused", 105), ("dfirst", live - 5)])
        .query_async(&mut c)
        .await
        .unwrap();
    let budget = pacer.budget().await.unwrap().unwrap();
    assert_eq!(budget.used, 5, "{budget:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reserve_is_kept_for_every_process() {
    let Some(redis) = RedisServer::start("the_reserve_is_kept_for_every_process") else {
        return;
    };
    let base = "https://us-4.api.gong.io";
    let build = || {
        RedisPacer::builder(redis.url(), base)
            .rate_limit(None)
            .daily_budget(5)
            .reserve(2)
            .build()
            .unwrap()
    };
    let (a, b) = (build(), build());
    a.acquire(Duration::from_secs(1)).await.unwrap();
    b.acquire(Duration::from_secs(1)).await.unwrap();
    a.acquire(Duration::from_secs(1)).await.unwrap();
    let err = b.acquire(Duration::from_secs(1)).await.unwrap_err();
    assert!(
        matches!(err, Error::DailyBudgetExhausted { limit: 3, .. }),
        "{err:?}"
    );
    let budget = a.budget().await.unwrap().unwrap();
    assert_eq!(
        (budget.limit, budget.used, budget.reserve, budget.left),
        (5, 3, 2, 0)
    );
    let frees = budget.next_free_at.unwrap();
    assert!(frees > SystemTime::now() + DAY - Duration::from_secs(5));
    assert!(frees <= SystemTime::now() + DAY + Duration::from_secs(61));
    for bad in [
        RedisPacer::builder(redis.url(), base)
            .daily_budget(5)
            .reserve(5),
        RedisPacer::builder(redis.url(), base)
            .daily_budget(None)
            .reserve(1),
    ] {
        assert!(matches!(bad.build(), Err(Error::Config { .. })));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_pause_lasts_at_most_a_day() {
    let Some(redis) = RedisServer::start("a_stored_pause_lasts_at_most_a_day") else {
        return;
    };
    let base = "https://us-5.api.gong.io";
    let a = RedisPacer::builder(redis.url(), base).build().unwrap();
    let b = RedisPacer::builder(redis.url(), base).build().unwrap();
    b.acquire(Duration::from_secs(1)).await.unwrap();
    // Before: Redis kept the absurd number as it came, for ever.
    a.rate_limited(Duration::MAX);
    let mut told = None;
    for _ in 0..200 {
        match b.acquire(Duration::from_secs(60)).await {
            Err(error) => {
                told = Some(error);
                break;
            }
            Ok(()) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
    let err = told.expect("b learns of the pause");
    match &err {
        Error::RateLimited {
            retry_after,
            until: Some(until),
            ..
        } => {
            assert!(*retry_after <= DAY && *retry_after > DAY - Duration::from_secs(60));
            assert!(*until <= SystemTime::now() + DAY);
        }
        other => panic!("expected RateLimited with an end, got {other:?}"),
    }
    assert!(!err.is_retryable());
    let mut c = connection(&redis).await;
    let paused = field(&mut c, "gong-flows:{us-5.api.gong.io}:pacer", "paused")
        .await
        .unwrap();
    assert!(paused - redis_now(&mut c).await <= DAY_US);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_paced_locally_while_redis_is_frozen_are_counted_when_it_thaws() {
    let Some(redis) = RedisServer::start("calls_paced_locally_while_redis_is_frozen") else {
        return;
    };
    const BUDGET: u32 = 40;
    let pacer = RedisPacer::builder(redis.url(), "https://us-6.api.gong.io")
        .rate_limit(None)
        .daily_budget(BUDGET)
        .timeout(Duration::from_millis(200))
        .when_unavailable(WhenUnavailable::PaceLocally { share: 0.5 })
        .build()
        .unwrap();
    let mut made = 0;
    for _ in 0..10 {
        pacer.acquire(Duration::from_secs(1)).await.unwrap();
        made += 1;
    }
    assert_eq!(pacer.budget().await.unwrap().unwrap().left, 30);
    // Redis stalls mid-job. Before: the process spent its own share of the
    // whole day on top of what the company had spent, uncounted.
    redis.freeze();
    let mut local = 0;
    let refusal = loop {
        match pacer.acquire(Duration::from_secs(1)).await {
            Ok(()) => local += 1,
            Err(error) => break error,
        }
    };
    assert!(pacer.is_pacing_locally());
    // Half of the 30 left, then no more without Redis.
    assert_eq!(local, 15);
    assert!(
        matches!(refusal, Error::PacerUnavailable { .. }),
        "{refusal:?}"
    );
    made += local;
    // Redis is tried again (with the tally) while still frozen: that
    // script, and the reservation that first timed out, run when Redis
    // thaws, and must change nothing then.
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert!(matches!(
        pacer.acquire(Duration::from_secs(1)).await,
        Err(Error::PacerUnavailable { .. })
    ));
    redis.thaw();
    // The first answer counts the calls made meanwhile, at their minute.
    let budget = pacer.budget().await.unwrap().unwrap();
    assert_eq!(budget.used, made, "{budget:?}");
    assert!(!pacer.is_pacing_locally());
    // The rest of the day, shared again: the sum is the budget, no more.
    let spent = loop {
        match pacer.acquire(Duration::from_secs(1)).await {
            Ok(()) => made += 1,
            Err(error) => break error,
        }
    };
    assert!(
        matches!(spent, Error::DailyBudgetExhausted { .. }),
        "{spent:?}"
    );
    assert_eq!(made, BUDGET);
    let mut c = connection(&redis).await;
    assert_eq!(
        field(&mut c, "gong-flows:{us-6.api.gong.io}:pacer", "dused").await,
        Some(i64::from(BUDGET))
    );
    let counters: Vec<i64> = redis::cmd("HVALS")
        .arg("gong-flows:{us-6.api.gong.io}:day")
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(counters.iter().sum::<i64>(), i64::from(BUDGET));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_that_never_reached_redis_paces_nothing_against_the_day() {
    let Some(mut redis) = RedisServer::start("a_process_that_never_reached_redis") else {
        return;
    };
    let url = redis.url();
    redis.kill();
    let pacer = RedisPacer::builder(url.as_str(), "https://us-7.api.gong.io")
        .timeout(Duration::from_millis(200))
        .when_unavailable(WhenUnavailable::PaceLocally { share: 0.5 })
        .build()
        .unwrap();
    let err = pacer.acquire(Duration::from_secs(1)).await.unwrap_err();
    assert!(matches!(err, Error::PacerUnavailable { .. }), "{err:?}");
    assert!(err.to_string().contains("never read"), "{err}");
    // Without a budget there is no day to overspend: paced locally.
    let unbudgeted = RedisPacer::builder(url.as_str(), "https://us-7.api.gong.io")
        .daily_budget(None)
        .timeout(Duration::from_millis(200))
        .when_unavailable(WhenUnavailable::PaceLocally { share: 0.5 })
        .build()
        .unwrap();
    unbudgeted.acquire(Duration::from_secs(1)).await.unwrap();
}

#[tokio::test]
async fn a_late_release_pushes_the_next_call_back_in_redis_too() {
    let Some(redis) = RedisServer::start("a_late_release_pushes_the_next_call_back") else {
        return;
    };
    let pacer = Arc::new(
        RedisPacer::builder(redis.url(), "https://us-8.api.gong.io")
            .rate_limit(5.0)
            .daily_budget(None)
            .build()
            .unwrap(),
    );
    let interval = Duration::from_secs_f64(1.015 / 5.0);
    pacer.acquire(Duration::from_secs(5)).await.unwrap();
    let tasks: Vec<_> = (0..2)
        .map(|_| {
            let pacer = pacer.clone();
            tokio::spawn(async move {
                pacer.acquire(Duration::from_secs(5)).await.unwrap();
                std::time::Instant::now()
            })
        })
        .collect();
    // Both reserve their slots (203 and 406 ms on)...
    tokio::time::sleep(Duration::from_millis(50)).await;
    // ...and this runtime's only thread is busy past both: a loaded
    // machine. Before, both then went out together.
    std::thread::sleep(Duration::from_millis(600));
    let mut times = Vec::new();
    for task in tasks {
        times.push(task.await.unwrap());
    }
    times.sort();
    // Spaced by an interval, give or take the scheduling of a loaded
    // machine (each time is taken after its task is polled again); going
    // out together would be a gap of about zero.
    let gap = times[1] - times[0];
    assert!(gap >= interval / 2, "{gap:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_companies_on_one_host_keep_their_limits_apart() {
    let Some(redis) = RedisServer::start("two_companies_on_one_host") else {
        return;
    };
    let base = "https://api.gong.io";
    let acme = Credentials::basic("ACME-KEY", "acme-s3cr3t");
    let globex = Credentials::bearer("globex-t0ken-value");
    let pacer = |credentials: &Credentials| {
        RedisPacer::builder(redis.url(), base)
            .credentials(credentials)
            .rate_limit(None)
            .daily_budget(1)
            .build()
            .unwrap()
    };
    let (a, a2, g) = (pacer(&acme), pacer(&acme), pacer(&globex));
    assert_ne!(a.namespace(), g.namespace());
    assert_eq!(a.namespace(), a2.namespace());
    // Before: the host alone named the namespace, so the second company
    // found its budget spent by the first.
    a.acquire(Duration::from_secs(1)).await.unwrap();
    g.acquire(Duration::from_secs(1)).await.unwrap();
    assert!(matches!(
        a2.acquire(Duration::from_secs(1)).await,
        Err(Error::DailyBudgetExhausted { .. })
    ));
    // The client names the same company as its pacer.
    let client = Client::builder()
        .base_url(base)
        .credentials(acme.clone())
        .pacer(Arc::new(pacer(&acme)))
        .build()
        .unwrap();
    assert_eq!(client.company().to_string(), a.namespace());
    assert_eq!(client.company(), Company::new(base, &acme).unwrap());
    // No secret anywhere: namespaces, keys, Debug.
    let mut c = connection(&redis).await;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut c)
        .await
        .unwrap();
    let shown = format!("{keys:?} {a:?} {g:?} {client:?} {}", client.company());
    for secret in ["acme-s3cr3t", "globex-t0ken-value", "t0ken"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    // A token provider names no company: a key must.
    #[derive(Debug)]
    struct Tokens;
    impl TokenProvider for Tokens {
        fn token(&self) -> TokenFuture<'_> {
            Box::pin(async { Ok(Secret::new("rotating")) })
        }
        fn refresh(&self) -> TokenFuture<'_> {
            Box::pin(async { Ok(Secret::new("rotating")) })
        }
    }
    let provider = Credentials::Provider(Arc::new(Tokens));
    let err = RedisPacer::builder(redis.url(), base)
        .credentials(&provider)
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config { ref setting, .. } if setting == "pacer company"),
        "{err:?}"
    );
    let keyed = RedisPacer::builder(redis.url(), base)
        .company("initech")
        .build()
        .unwrap();
    assert_eq!(keyed.namespace(), "api.gong.io#initech");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gongs_daily_count_reaches_every_process() {
    let Some(redis) = RedisServer::start("gongs_daily_count_reaches_every_process") else {
        return;
    };
    let base = "https://us-9.api.gong.io";
    let build = || {
        RedisPacer::builder(redis.url(), base)
            .rate_limit(None)
            .build()
            .unwrap()
    };
    let (a, b) = (build(), build());
    a.observe(&QuotaHint {
        daily_remaining: Some(1),
        daily_reset: Some(Duration::from_secs(3600)),
        ..QuotaHint::default()
    });
    // Recorded in the background: b learns it from Redis.
    let mut left = None;
    for _ in 0..200 {
        left = b.budget().await.unwrap().map(|budget| budget.left);
        if left == Some(1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(left, Some(1));
    b.acquire(Duration::from_secs(1)).await.unwrap();
    match a.acquire(Duration::from_secs(1)).await.unwrap_err() {
        Error::DailyBudgetExhausted { resets_in, .. } => {
            assert!(resets_in > Duration::from_secs(3500) && resets_in <= Duration::from_secs(3600))
        }
        other => panic!("expected DailyBudgetExhausted, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_rate_returns_once_429s_stop() {
    let Some(redis) = RedisServer::start("the_shared_rate_returns_once_429s_stop") else {
        return;
    };
    let base = "https://us-10.api.gong.io";
    let recovery = Duration::from_secs(3);
    let build = || {
        RedisPacer::builder(redis.url(), base)
            .daily_budget(None)
            .adaptation(Adaptation::default().with_recovery(recovery))
            .build()
            .unwrap()
    };
    let (a, b) = (build(), build());
    a.rate_limited(Duration::from_millis(1));
    tokio::time::sleep(Duration::from_millis(200)).await;
    a.rate_limited(Duration::from_millis(1));
    tokio::time::sleep(Duration::from_millis(200)).await;
    b.acquire(Duration::from_secs(5)).await.unwrap();
    let adapted = b.adapted().expect("b sees the lowered rate");
    assert!((adapted.rate - 2.7).abs() < 0.01, "{adapted:?}");
    assert_eq!(adapted.configured, 3.0);
    assert!(adapted.last_429 <= SystemTime::now() + Duration::from_secs(1));
    // No 429 for the recovery time: back at the configured rate, for
    // every process, without calls in between.
    tokio::time::sleep(recovery + Duration::from_millis(100)).await;
    b.acquire(Duration::from_secs(5)).await.unwrap();
    assert_eq!(b.rate(), Some(3.0));
    assert_eq!(b.adapted(), None);
    // A 429 right after: back where it was, not down from 3 by steps.
    a.rate_limited(Duration::from_millis(1));
    tokio::time::sleep(Duration::from_millis(200)).await;
    a.acquire(Duration::from_secs(5)).await.unwrap();
    let rate = a.rate().unwrap();
    assert!((rate - 2.7).abs() < 0.01, "{rate}");
}
