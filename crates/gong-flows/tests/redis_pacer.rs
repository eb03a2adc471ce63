//! `RedisPacer` against a real `redis-server` started on a free loopback
//! port: one limit for several clients, pauses, the adapted rate and the
//! daily budget shared through Redis, and what happens when Redis dies.
//!
//! These run on the real clock (Redis keeps its own), so the clients pace
//! at 8 calls/s against the simulator's strict 10: the slack absorbs a
//! loaded machine's scheduling delays, and the assertions are about the
//! simulator's 429 counts, never about time.

#[path = "support/redis_server.rs"]
mod redis_server;

use gong_flows::{Client, Error, Pacer, RedisPacer, WhenUnavailable};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, Operation, SimConfig, Simulator, dataset,
};
use redis_server::RedisServer;
use std::sync::Arc;
use std::time::Duration;

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
                .batch_size(1)
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
    assert_eq!(counters.calls(Operation::AssignProspects), 32);
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
        .batch_size(1)
        .send();
    let killer = async {
        while sim.counters().calls(Operation::AssignProspects) < 5 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        redis.kill();
    };
    let (report, ()) = tokio::join!(job, killer);
    let report = report.unwrap();
    // Nothing lost: every id is assigned or reported not attempted, with
    // the pacer's error; nothing went out unpaced.
    let calls = sim.counters().calls(Operation::AssignProspects) as usize;
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
        .batch_size(1)
        .send();
    let killer = async {
        while sim.counters().calls(Operation::AssignProspects) < 5 {
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
