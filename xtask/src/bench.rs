//! `cargo xtask bench`: throughput against Gong's rate limit, CPU per call
//! of each layer, memory of the streaming assign, calls per prospect, and
//! the calls and time of a sync, all against the simulator; and the speed
//! of reading id files.
//!
//! Benchmarks only mean something in a release build, and `cargo xtask` is
//! a dev build. So when this code finds itself in a debug build it builds
//! the release binaries (`cargo build --release -p xtask -p gong-flows-sim`)
//! and runs `target/release/xtask` with the same arguments; the release
//! process does the measuring. It starts the simulator binary (from the same
//! directory) where a measurement must not include the simulator's CPU time
//! or memory, and itself again, with a hidden flag, as the child whose
//! memory is measured.
//!
//! Results go to stdout (Markdown) and to `target/bench/`: `latest.json` and
//! `latest.md` for the last run, plus `full.*` or `quick.*` by mode, so a
//! `--quick` smoke run never overwrites the last full figures.
//!
//! Nothing here asserts on time: the goals are judged and reported, and the
//! command fails only if a benchmark could not run (or lost an id).

pub mod calls;
pub mod input;
pub mod memory;
pub mod overhead;
pub mod pacing;
pub mod report;
pub mod sim_process;
pub mod sync;
pub mod system;
pub mod throughput;

use anyhow::{Context as _, Result, bail};
use gong_flows_api::types::AssignFlowRequestV2;
use gong_flows_sim::dataset;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Arguments of `cargo xtask bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// A much smaller run that takes seconds, for smoke tests and CI. Its
    /// figures are too small to judge the goals by.
    #[arg(long)]
    pub quick: bool,
    /// Run only these benchmarks (comma-separated) [default: all].
    #[arg(long, value_enum, value_delimiter = ',', value_name = "BENCH")]
    pub only: Vec<Which>,
    /// Directory for the JSON and Markdown results [default: target/bench].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Internal: be the memory-measurement child, streaming this many ids.
    #[arg(long, hide = true, value_name = "IDS", requires = "sim_url")]
    pub memory_child: Option<usize>,
    /// Internal: be a process of the shared-limit benchmark (its spec, JSON).
    #[arg(long, hide = true, value_name = "SPEC")]
    pub pacing_child: Option<String>,
    /// Internal: the simulator the memory child talks to.
    #[arg(long, hide = true, value_name = "URL")]
    pub sim_url: Option<String>,
}

/// One of the benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// Wall time to assign N ids against the simulator's rate limit.
    Throughput,
    /// Client CPU time per assign call of each layer.
    Overhead,
    /// Peak RSS of `send_stream` over N ids.
    Memory,
    /// Rows per second of reading an id file (a CSV export, a plain list).
    Input,
    /// Gong's real rate against the strict limiter: the physical limit, a
    /// 429's cost, K processes on one limit, other traffic.
    Pacing,
    /// Calls per 1,000 prospects of each write, against its floor.
    Calls,
    /// A sync of a large list at Gong's rate (a first, a changed list, a
    /// re-run): calls against the floor, time against calls/rate.
    Sync,
}

/// How big each benchmark is.
#[derive(Debug, Clone)]
pub struct Sizes {
    /// Ids assigned per throughput case.
    pub throughput_ids: usize,
    /// The simulator's limit in the throughput cases (calls per second).
    pub rate: u32,
    /// The simulator's latencies in the throughput cases.
    pub latencies_ms: Vec<u64>,
    /// Calls measured per layer.
    pub overhead_calls: usize,
    /// Rounds the measured calls are split into, the layers taking turns, so
    /// that a change in the machine's load weighs on every layer alike.
    pub overhead_rounds: usize,
    /// Calls made before measuring, per layer.
    pub overhead_warmup: usize,
    /// Calls in flight per layer.
    pub overhead_in_flight: usize,
    /// Ids streamed per memory run.
    pub memory_ids: Vec<usize>,
    /// Rows of the id files read.
    pub input_rows: usize,
    /// The limit in the pacing cases (Gong's 3 in the full run).
    pub pacing_rate: u32,
    /// Calls per pacing job (200 ids each).
    pub pacing_calls: usize,
    /// The latencies of the pacing jobs.
    pub pacing_latencies_ms: Vec<u64>,
    /// Processes sharing one limit.
    pub pacing_processes: usize,
    /// Calls of the job beside other traffic.
    pub foreign_calls: usize,
    /// Seconds of that job left out of its figures (adaptation).
    pub foreign_settle_s: u64,
    /// Prospects per write in the calls-per-prospect table.
    pub calls_prospects: usize,
    /// Runs of the one-429 case (the worst is judged).
    pub recovery_runs: usize,
    /// Ids of the sync's first list.
    pub sync_ids: usize,
    /// The limit in the sync runs (Gong's 3 in the full run).
    pub sync_rate: u32,
    /// The simulator's latency in the sync runs.
    pub sync_latency_ms: u64,
}

impl Sizes {
    /// The full run. The rate is Gong's 3 calls/s scaled ×10 to keep the
    /// run short; the figures that matter (ratios) do not depend on it.
    pub fn full() -> Sizes {
        Sizes {
            throughput_ids: 40_000,
            rate: 30,
            latencies_ms: vec![100, 300],
            overhead_calls: 20_000,
            overhead_rounds: 5,
            overhead_warmup: 200,
            overhead_in_flight: 4,
            memory_ids: vec![100_000, 1_000_000],
            input_rows: 1_000_000,
            pacing_rate: 3,
            pacing_calls: 60,
            pacing_latencies_ms: vec![100, 300, 1000],
            pacing_processes: 4,
            foreign_calls: 420,
            foreign_settle_s: 60,
            calls_prospects: 10_000,
            recovery_runs: 5,
            sync_ids: 100_000,
            sync_rate: 3,
            sync_latency_ms: 100,
        }
    }

    /// The smoke run: every code path, in seconds.
    pub fn quick() -> Sizes {
        Sizes {
            throughput_ids: 2_000,
            rate: 30,
            latencies_ms: vec![100, 300],
            overhead_calls: 300,
            overhead_rounds: 2,
            overhead_warmup: 20,
            overhead_in_flight: 4,
            memory_ids: vec![10_000, 50_000],
            input_rows: 20_000,
            pacing_rate: 30,
            pacing_calls: 60,
            pacing_latencies_ms: vec![100],
            pacing_processes: 4,
            foreign_calls: 200,
            foreign_settle_s: 3,
            calls_prospects: 1_000,
            recovery_runs: 1,
            sync_ids: 2_000,
            sync_rate: 30,
            sync_latency_ms: 10,
        }
    }
}

/// Runs `cargo xtask bench`.
pub fn command(root: &Path, args: &BenchArgs) -> Result<ExitCode> {
    if let Some(ids) = args.memory_child {
        let url = args
            .sim_url
            .as_deref()
            .context("--memory-child needs --sim-url")?;
        memory::child(ids, url)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(spec) = &args.pacing_child {
        pacing::child(spec)?;
        return Ok(ExitCode::SUCCESS);
    }
    if cfg!(debug_assertions) {
        return relaunch_in_release(root);
    }
    run(root, args)
}

/// Builds the release binaries and runs this command again in release.
fn relaunch_in_release(root: &Path) -> Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("bench: building release binaries (xtask, gong-flows-sim) …");
    let status = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--release", "-p", "xtask", "-p", "gong-flows-sim"])
        .status()
        .context("running cargo build --release")?;
    if !status.success() {
        bail!("cargo build --release failed: {status}");
    }
    // This debug binary is <target>/debug/xtask; its release twin is
    // <target>/release/xtask, wherever the target directory is.
    let exe = std::env::current_exe().context("locating the running binary")?;
    let target = exe
        .parent()
        .and_then(Path::parent)
        .context("the running binary is not in a target directory")?;
    let release = target
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    // Same arguments, same working directory (a relative --out stays put).
    let status = Command::new(&release)
        .args(std::env::args_os().skip(1))
        .status()
        .with_context(|| format!("running {}", release.display()))?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

/// Runs the chosen benchmarks (in a release build) and writes the results.
fn run(root: &Path, args: &BenchArgs) -> Result<ExitCode> {
    let sizes = if args.quick {
        Sizes::quick()
    } else {
        Sizes::full()
    };
    let which = |bench| args.only.is_empty() || args.only.contains(&bench);
    let mode = if args.quick { "quick" } else { "full" };
    let mut command = "cargo xtask bench".to_owned();
    if args.quick {
        command.push_str(" --quick");
    }
    if !args.only.is_empty() {
        let names: Vec<&str> = args
            .only
            .iter()
            .map(|w| match w {
                Which::Throughput => "throughput",
                Which::Overhead => "overhead",
                Which::Memory => "memory",
                Which::Input => "input",
                Which::Pacing => "pacing",
                Which::Calls => "calls",
                Which::Sync => "sync",
            })
            .collect();
        command.push_str(&format!(" --only {}", names.join(",")));
    }
    let machine = system::Machine::describe();
    eprintln!(
        "bench ({mode}): {} CPUs, load average {}",
        machine.nproc, machine.load_average
    );
    if machine.load_1min() > 0.5 * machine.nproc as f64 {
        eprintln!(
            "bench: warning: the machine is busy (load {}); CPU and timing figures will be noisy",
            machine.load_average
        );
    }
    let mut report = report::Report {
        mode: mode.to_owned(),
        started_utc: utc_now(),
        commit: git_commit(root),
        command,
        machine,
        throughput: None,
        overhead: None,
        memory: None,
        input: None,
        pacing: None,
        calls: None,
        sync: None,
        goals: Vec::new(),
    };
    // CPU first, while this process has started no runtime of its own yet.
    if which(Which::Overhead) {
        report.overhead = Some(overhead::run(&sizes, &sim_process::sim_binary()?)?);
    }
    if which(Which::Memory) {
        report.memory = Some(memory::run(&sizes.memory_ids, &sim_process::sim_binary()?)?);
    }
    if which(Which::Input) {
        report.input = Some(input::run(sizes.input_rows)?);
    }
    if which(Which::Throughput) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("building the client runtime")?;
        report.throughput = Some(throughput::run(&sizes, &runtime)?);
    }
    if which(Which::Pacing) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("building the client runtime")?;
        report.pacing = Some(pacing::run(&sizes, &runtime)?);
    }
    if which(Which::Calls) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("building the client runtime")?;
        report.calls = Some(calls::run(sizes.calls_prospects, &runtime)?);
    }
    if which(Which::Sync) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("building the client runtime")?;
        report.sync = Some(sync::run(
            sizes.sync_ids,
            sizes.sync_rate,
            Duration::from_millis(sizes.sync_latency_ms),
            &runtime,
        )?);
    }
    report.judge();
    let markdown = report.to_markdown();
    print!("{markdown}");
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("target").join("bench"));
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let json = serde_json::to_string_pretty(&report)? + "\n";
    for name in ["latest", mode] {
        let write = |ext: &str, text: &str| {
            let path = out.join(format!("{name}.{ext}"));
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
        };
        write("json", &json)?;
        write("md", &markdown)?;
    }
    eprintln!(
        "bench: wrote {} and {}",
        out.join("latest.json").display(),
        out.join("latest.md").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The CRM id of prospect `i`: 18 characters, like a Salesforce lead id.
pub fn crm_id(i: usize) -> String {
    format!("00Q5g{i:013}")
}

/// The body of one assign call to the simulator's seeded flow.
pub fn assign_body(ids: &[String]) -> AssignFlowRequestV2 {
    AssignFlowRequestV2 {
        crm_prospects_ids: ids.to_vec(),
        flow_id: dataset::SDR_FLOW_ID.to_owned(),
        flow_instance_owner_email: dataset::DEFAULT_USER_EMAIL.to_owned(),
        flow_instance_description: None,
        overrides: None,
    }
}

/// The simulator's default access key as an `Authorization` header.
pub fn auth_headers() -> HeaderMap {
    let credentials = gong_flows_sim::SimCredentials::default();
    let mut headers = HeaderMap::new();
    if let Some(value) = credentials
        .access_keys
        .first()
        .and_then(|key| HeaderValue::from_str(&key.authorization()).ok())
    {
        headers.insert(AUTHORIZATION, value);
    }
    headers
}

/// A duration in seconds, as the results record it.
pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn git_commit(root: &Path) -> String {
    Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_utc(secs)
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_735_689_599), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn ids_look_like_crm_ids_and_are_unique() {
        assert_eq!(crm_id(7), "00Q5g0000000000007");
        assert_eq!(crm_id(7).len(), 18);
        assert_ne!(crm_id(1), crm_id(10));
    }

    #[test]
    fn the_quick_run_is_smaller_in_every_dimension() {
        let (full, quick) = (Sizes::full(), Sizes::quick());
        assert!(quick.throughput_ids < full.throughput_ids);
        assert!(quick.overhead_calls < full.overhead_calls);
        assert!(quick.memory_ids.iter().max() < full.memory_ids.iter().max());
        assert_eq!(full.throughput_ids, 40_000);
        assert_eq!(full.overhead_calls, 20_000);
        assert_eq!(full.memory_ids, [100_000, 1_000_000]);
        assert!(quick.input_rows < full.input_rows);
        assert_eq!(full.input_rows, 1_000_000);
        assert!(quick.sync_ids < full.sync_ids);
        assert_eq!((full.sync_ids, full.sync_rate), (100_000, 3));
    }
}
