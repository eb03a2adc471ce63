//! Several `gong-flows` processes, one company limit: with `--pacer-url`
//! they share it through a real `redis-server`, and the simulator's strict
//! limiter answers none of them 429.
//!
//! Real processes run on the real clock, so they pace at 8 calls/s against
//! the simulator's 10: the slack absorbs a loaded machine's scheduling
//! delays. Nothing here asserts on time.

mod common;

#[path = "../../gong-flows/tests/support/redis_server.rs"]
mod redis_server;

use common::*;
use gong_flows_sim::{Endpoint, SimConfig};
use redis_server::RedisServer;
use std::process::{Command, Stdio};

/// Starts `processes` assigns of `per_process` ids each, all at once, with
/// `extra` arguments; waits for all; returns their exit codes.
fn run_processes(
    sim: &gong_flows_sim::Simulator,
    dir: &Dir,
    processes: usize,
    per_process: usize,
    extra: &[String],
) -> Vec<i32> {
    let key = sim.credentials().access_keys[0].clone();
    let children: Vec<_> = (0..processes)
        .map(|p| {
            let input = ids(&format!("proc{p}-"), per_process);
            let file = dir.file(&format!("ids-{p}.txt"), &lines(&input));
            Command::new(env!("CARGO_BIN_EXE_gong-flows"))
                .current_dir(dir.0.path())
                .env_remove("GONG_BEARER_TOKEN")
                .env_remove("GONG_PACER_URL")
                .env("GONG_BASE_URL", sim.base_url())
                .env("GONG_ACCESS_KEY", &key.key)
                .env("GONG_ACCESS_KEY_SECRET", &key.secret)
                .args(["--quiet", "--rate", "8", "--concurrency", "2"])
                .args([
                    "assign",
                    "--flow",
                    FLOW,
                    "--owner",
                    OWNER,
                    "--batch-size",
                    "1",
                ])
                .args(["--ids", &file])
                .args(extra)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("the binary starts")
        })
        .collect();
    children
        .into_iter()
        .map(|mut child| child.wait().expect("the process ends").code().unwrap_or(-1))
        .collect()
}

fn strict_sim() -> gong_flows_sim::Simulator {
    sim_with(
        SimConfig::default()
            .rate_limit(Some(10))
            .strict_limiter(true)
            .daily_limit(None),
    )
}

#[test]
fn processes_sharing_a_redis_pacer_draw_no_429() {
    let Some(redis) = RedisServer::start("processes_sharing_a_redis_pacer_draw_no_429") else {
        return;
    };
    let sim = strict_sim();
    let dir = Dir::new();
    let codes = run_processes(&sim, &dir, 3, 10, &["--pacer-url".into(), redis.url()]);
    assert_eq!(codes, [0, 0, 0]);
    let counters = sim.counters();
    assert_eq!(counters.calls(Endpoint::AssignProspects), 30);
    assert_eq!(counters.too_many_requests(), 0);
}

#[test]
fn the_pacer_url_comes_from_the_environment_too_and_bad_ones_are_refused() {
    let sim = sim();
    let out = gong(&sim)
        .env("GONG_PACER_URL", "http://not-redis")
        .args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids", "-"])
        .write_stdin("a\n")
        .output()
        .unwrap();
    assert_ne!(code(&out), 0);
    assert!(stderr(&out).contains("pacer URL"), "{}", stderr(&out));
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 0);
}

#[test]
fn processes_each_with_its_own_limit_overrun_the_company_limit() {
    // The contrast: without a shared pacer, three processes at 8/s meet
    // the company limit of 10/s.
    let sim = strict_sim();
    let dir = Dir::new();
    run_processes(&sim, &dir, 3, 10, &[]);
    assert!(sim.counters().rate_limited > 0);
}
