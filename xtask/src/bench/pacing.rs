//! Pacing at Gong's real rate against the simulator's strict limiter: the
//! physical limit, recovery from a 429, several processes sharing one
//! company limit (each alone vs one `RedisPacer`), and other traffic of the
//! company taking part of the limit.
//!
//! The physical limit of C calls at R calls/s with latency L is
//! `T* = (C − 1)/R + L`: the first call goes at once, each next one `1/R`
//! later, and the last answer comes `L` after the last call.

use super::{Sizes, crm_id, secs};
use anyhow::{Context as _, Result, bail};
use gong_flows::{Client, InProcessPacer, Pacer, RedisPacer};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, Endpoint, FaultKind, Latency, SimConfig,
    Simulator, dataset,
};
use serde::{Deserialize, Serialize};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "../../../crates/gong-flows/tests/support/redis_server.rs"]
mod redis_server;

/// One job at the rate, against the strict limiter.
#[derive(Debug, Clone, Serialize)]
pub struct RateRow {
    /// The simulator's latency, ms.
    pub latency_ms: u64,
    /// Calls in flight.
    pub in_flight: usize,
    /// Time to assign every id, s.
    pub wall_s: f64,
    /// `T*`, s.
    pub bound_s: f64,
    /// `wall_s / bound_s`.
    pub ratio: f64,
    /// 429s of the limiter.
    pub limiter_429s: u64,
}

/// The same job with one injected 429 mid-way.
#[derive(Debug, Clone, Serialize)]
pub struct Recovery {
    /// The latency of the run it is compared with, ms.
    pub latency_ms: u64,
    /// The injected `Retry-After`, s.
    pub retry_after_s: u32,
    /// Wall time with the 429, s.
    pub wall_s: f64,
    /// Wall time lost against the run without it, s.
    pub lost_s: f64,
    /// 429s of the limiter after the injected one.
    pub further_429s: u64,
    /// The time lost in each run, s (the worst is `lost_s`; `further_429s`
    /// is the most of any run).
    pub lost_s_runs: Vec<f64>,
}

/// K processes on one company limit.
#[derive(Debug, Clone, Serialize)]
pub struct SharedRow {
    /// How the processes paced.
    pub pacing: String,
    /// Processes.
    pub processes: usize,
    /// Calls in all.
    pub calls: usize,
    /// From the first start to the last exit, s.
    pub wall_s: f64,
    /// `T*` of all the calls at the one limit, s.
    pub bound_s: f64,
    /// `wall_s / bound_s`.
    pub ratio: f64,
    /// 429s of the limiter.
    pub limiter_429s: u64,
    /// Ids assigned / ids given.
    pub assigned: usize,
    /// Ids given.
    pub ids: usize,
}

/// Another integration taking part of the limit.
#[derive(Debug, Clone, Serialize)]
pub struct Foreign {
    /// Calls/s of the other integration.
    pub foreign_rate: f64,
    /// Calls/s left to us.
    pub left: f64,
    /// Seconds excluded at the start (adaptation).
    pub settle_s: f64,
    /// Our admitted calls/s after the settling time.
    pub throughput: f64,
    /// `throughput / left`.
    pub share_of_left: f64,
    /// Limiter 429s per minute after the settling time.
    pub per_minute_429s: f64,
    /// The adapted rate at the end.
    pub final_rate: f64,
    /// Wall time of the whole job, s.
    pub wall_s: f64,
}

/// Everything this benchmark measured.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The limit, calls/s.
    pub rate: u32,
    /// Calls per job (200 ids each).
    pub calls: usize,
    /// Jobs at the rate.
    pub rows: Vec<RateRow>,
    /// One 429 mid-job.
    pub recovery: Option<Recovery>,
    /// K processes.
    pub shared: Vec<SharedRow>,
    /// Why the Redis row is missing, if it is.
    pub shared_note: Option<String>,
    /// Other traffic.
    pub foreign: Option<Foreign>,
}

/// `T*` of `calls` calls.
pub fn bound(calls: usize, rate: f64, latency: Duration) -> f64 {
    calls.saturating_sub(1) as f64 / rate + latency.as_secs_f64()
}

fn sdk_client(base: &str, pacer: Arc<dyn Pacer>, in_flight: usize) -> Result<Client> {
    Ok(Client::builder()
        .base_url(base)
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .pacer(pacer)
        .concurrency(in_flight)
        .build()?)
}

fn strict_sim(rate: u32, latency: Duration, foreign: Option<f64>) -> Result<Simulator> {
    Simulator::start(
        SimConfig::default()
            .rate_limit(Some(rate))
            .strict_limiter(true)
            .foreign_rate(foreign)
            .daily_limit(None)
            .latency(Latency::Fixed(latency)),
    )
    .context("starting the simulator")
}

fn ids(prefix: usize, calls: usize) -> Vec<String> {
    (0..calls * 200)
        .map(|i| crm_id(prefix * 10_000_000 + i))
        .collect()
}

/// One paced job; with `inject_after`, a 429 of `retry_after` seconds is
/// answered once that many calls were made.
fn job(
    runtime: &tokio::runtime::Runtime,
    rate: u32,
    calls: usize,
    latency: Duration,
    inject: Option<(u64, u32)>,
) -> Result<(f64, u64, u64, usize)> {
    let sim = strict_sim(rate, latency, None)?;
    let in_flight = super::throughput::in_flight_for(latency, rate);
    let client = sdk_client(
        &sim.base_url(),
        Arc::new(InProcessPacer::new(Some(f64::from(rate)), None)),
        in_flight,
    )?;
    let ids = ids(0, calls);
    let wall = runtime.block_on(async {
        let started = Instant::now();
        let injector = async {
            if let Some((after, retry_after)) = inject {
                while sim.counters().calls(Endpoint::AssignProspects) < after {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                sim.script_429(retry_after);
            }
        };
        let job = client
            .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
            .prospects(&ids)
            .send();
        let (report, ()) = tokio::join!(job, injector);
        let report = report?;
        if let Some(stopped) = &report.stats.stopped {
            bail!("gong-flows stopped early: {stopped}");
        }
        anyhow::ensure!(report.assigned.len() == ids.len(), "ids were lost");
        Ok(started.elapsed())
    })?;
    let counters = sim.counters();
    runtime.block_on(sim.shutdown());
    Ok((
        secs(wall),
        counters.rate_limited,
        counters.faults_of(FaultKind::RateLimitBurst),
        in_flight,
    ))
}

/// Runs every part.
pub fn run(sizes: &Sizes, runtime: &tokio::runtime::Runtime) -> Result<Results> {
    let rate = sizes.pacing_rate;
    let calls = sizes.pacing_calls;
    let mut rows = Vec::new();
    for &latency_ms in &sizes.pacing_latencies_ms {
        let latency = Duration::from_millis(latency_ms);
        eprintln!("  pacing: {calls} calls at {rate}/s, {latency_ms} ms …");
        let (wall_s, limiter_429s, _, in_flight) = job(runtime, rate, calls, latency, None)?;
        let bound_s = bound(calls, f64::from(rate), latency);
        rows.push(RateRow {
            latency_ms,
            in_flight,
            wall_s,
            bound_s,
            ratio: wall_s / bound_s,
            limiter_429s,
        });
    }

    let recovery = match rows.iter().find(|r| r.latency_ms == 300).or(rows.first()) {
        Some(base) => {
            let latency = Duration::from_millis(base.latency_ms);
            let retry_after_s = 2;
            let runs = sizes.recovery_runs.max(1);
            let mut worst: Option<Recovery> = None;
            let mut lost_s_runs = Vec::with_capacity(runs);
            for run in 1..=runs {
                eprintln!(
                    "  pacing: one 429 (Retry-After: {retry_after_s}) mid-job, run {run} of {runs} …"
                );
                let (wall_s, limiter_429s, _, _) = job(
                    runtime,
                    rate,
                    calls,
                    latency,
                    Some(((calls / 2) as u64, retry_after_s)),
                )?;
                let lost_s = wall_s - base.wall_s;
                lost_s_runs.push(lost_s);
                let further = worst
                    .as_ref()
                    .map_or(0, |w| w.further_429s)
                    .max(limiter_429s);
                if worst.as_ref().is_none_or(|w| lost_s > w.lost_s) {
                    worst = Some(Recovery {
                        latency_ms: base.latency_ms,
                        retry_after_s,
                        wall_s,
                        lost_s,
                        further_429s: further,
                        lost_s_runs: Vec::new(),
                    });
                } else if let Some(w) = worst.as_mut() {
                    w.further_429s = further;
                }
            }
            worst.map(|mut w| {
                w.lost_s_runs = lost_s_runs;
                w
            })
        }
        None => None,
    };

    let (shared, shared_note) = shared_limit(sizes)?;
    let foreign = Some(foreign(sizes, runtime)?);
    Ok(Results {
        rate,
        calls,
        rows,
        recovery,
        shared,
        shared_note,
        foreign,
    })
}

/// What a process of the K-process run is told.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildSpec {
    /// The simulator.
    pub sim_url: String,
    /// Redis, for a shared pacer; none for the process's own.
    pub redis_url: Option<String>,
    /// This process's number (for distinct ids).
    pub index: usize,
    /// Calls to make.
    pub calls: usize,
    /// The company limit, calls/s.
    pub rate: f64,
    /// Calls in flight.
    pub in_flight: usize,
}

/// What a process of the K-process run reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildResult {
    /// Ids assigned.
    pub assigned: usize,
}

/// The child's side of the K-process run: one assign job, its result as
/// one JSON line on stdout.
pub fn child(spec_json: &str) -> Result<()> {
    let spec: ChildSpec = serde_json::from_str(spec_json).context("reading the child's spec")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("building the runtime")?;
    let pacer: Arc<dyn Pacer> = match &spec.redis_url {
        Some(url) => Arc::new(
            RedisPacer::builder(url.as_str(), spec.sim_url.as_str())
                .rate_limit(spec.rate)
                .daily_budget(None)
                .build()?,
        ),
        None => Arc::new(InProcessPacer::new(Some(spec.rate), None)),
    };
    let client = sdk_client(&spec.sim_url, pacer, spec.in_flight)?;
    let ids = ids(spec.index + 1, spec.calls);
    let report = runtime.block_on(
        client
            .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
            .prospects(&ids)
            .send(),
    )?;
    let result = ChildResult {
        assigned: report.assigned.len(),
    };
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}

fn shared_limit(sizes: &Sizes) -> Result<(Vec<SharedRow>, Option<String>)> {
    let rate = sizes.pacing_rate;
    let k = sizes.pacing_processes;
    let per = sizes.pacing_calls / k;
    let latency = Duration::from_millis(300);
    let in_flight = super::throughput::in_flight_for(latency, rate);
    let exe = std::env::current_exe().context("locating the running binary")?;
    let redis = redis_server::RedisServer::start("bench");
    let mut modes: Vec<(&str, Option<String>)> = vec![("each its own InProcessPacer", None)];
    let note = match &redis {
        Some(redis) => {
            modes.push(("one RedisPacer", Some(redis.url())));
            None
        }
        None => Some("redis-server is not installed: the RedisPacer row was skipped".to_owned()),
    };
    let mut rows = Vec::new();
    for (label, redis_url) in modes {
        eprintln!("  pacing: {k} processes, {label} …");
        let sim = strict_sim(rate, latency, None)?;
        let started = Instant::now();
        let children = (0..k)
            .map(|index| {
                let spec = ChildSpec {
                    sim_url: sim.base_url(),
                    redis_url: redis_url.clone(),
                    index,
                    calls: per,
                    rate: f64::from(rate),
                    in_flight,
                };
                Command::new(&exe)
                    .args(["bench", "--pacing-child"])
                    .arg(serde_json::to_string(&spec).unwrap_or_default())
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::inherit())
                    .spawn()
                    .context("starting a pacing child")
            })
            .collect::<Result<Vec<_>>>()?;
        let mut assigned = 0;
        for child in children {
            let output = child.wait_with_output().context("waiting for a child")?;
            if !output.status.success() {
                bail!("a pacing child failed: {}", output.status);
            }
            let stdout = String::from_utf8_lossy(&output.stdout);
            let line = stdout
                .lines()
                .rev()
                .find(|line| line.trim_start().starts_with('{'))
                .context("a pacing child printed no result")?;
            let result: ChildResult = serde_json::from_str(line)?;
            assigned += result.assigned;
        }
        let wall_s = secs(started.elapsed());
        let counters = sim.counters();
        drop(sim);
        let bound_s = bound(k * per, f64::from(rate), latency);
        rows.push(SharedRow {
            pacing: label.to_owned(),
            processes: k,
            calls: k * per,
            wall_s,
            bound_s,
            ratio: wall_s / bound_s,
            limiter_429s: counters.rate_limited,
            assigned,
            ids: k * per * 200,
        });
    }
    Ok((rows, note))
}

fn foreign(sizes: &Sizes, runtime: &tokio::runtime::Runtime) -> Result<Foreign> {
    let rate = sizes.pacing_rate;
    let foreign_rate = f64::from(rate) / 3.0;
    let left = f64::from(rate) - foreign_rate;
    let latency = Duration::from_millis(100);
    let settle = Duration::from_secs(sizes.foreign_settle_s);
    let calls = sizes.foreign_calls;
    eprintln!("  pacing: {calls} calls beside {foreign_rate}/s of other traffic …");
    let sim = strict_sim(rate, latency, Some(foreign_rate))?;
    let in_flight = super::throughput::in_flight_for(latency, rate);
    let pacer = Arc::new(InProcessPacer::new(Some(f64::from(rate)), None));
    let client = sdk_client(&sim.base_url(), pacer.clone(), in_flight)?;
    let ids = ids(0, calls);
    let (wall, early) = runtime.block_on(async {
        let started = Instant::now();
        let sampler = async {
            tokio::time::sleep(settle).await;
            let c = sim.counters();
            (c.calls(Endpoint::AssignProspects), c.rate_limited)
        };
        let job = client
            .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
            .prospects(&ids)
            .send();
        let (report, early) = tokio::join!(job, sampler);
        let report = report?;
        if let Some(stopped) = &report.stats.stopped {
            bail!("gong-flows stopped early beside other traffic: {stopped}");
        }
        Ok((started.elapsed(), early))
    })?;
    let counters = sim.counters();
    runtime.block_on(sim.shutdown());
    let after = (wall.saturating_sub(settle)).as_secs_f64().max(1e-9);
    let late_429s = counters.rate_limited - early.1;
    let late_admitted = counters.calls(Endpoint::AssignProspects) - early.0 - late_429s;
    let throughput = late_admitted as f64 / after;
    Ok(Foreign {
        foreign_rate,
        left,
        settle_s: settle.as_secs_f64(),
        throughput,
        share_of_left: throughput / left,
        per_minute_429s: late_429s as f64 / (after / 60.0),
        final_rate: pacer.rate().unwrap_or_default(),
        wall_s: secs(wall),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_physical_limit() {
        assert!((bound(60, 3.0, Duration::from_millis(300)) - (59.0 / 3.0 + 0.3)).abs() < 1e-9);
        assert_eq!(bound(1, 3.0, Duration::ZERO), 0.0);
    }
}
