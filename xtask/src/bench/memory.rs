//! Peak memory of the streaming assign, `send_stream`, over N ids.
//!
//! Each size runs in a child process (this binary again, with the hidden
//! `--memory-child` flag), against a simulator in a third process, so that
//! the peak resident set size (`VmHWM`) is the client's alone: neither the
//! harness nor the simulator's state counts.

use super::sim_process::SimProcess;
use super::system::peak_rss_kib;
use super::{crm_id, secs};
use anyhow::{Context as _, Result, bail, ensure};
use futures::StreamExt as _;
use gong_flows_sim::{DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, dataset};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// One size's figures, as the child reports them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    /// Ids streamed.
    pub ids: usize,
    /// Ids assigned (must equal `ids`).
    pub assigned: usize,
    /// Peak RSS once the runtime and client were built, before streaming, MiB.
    pub baseline_rss_mib: f64,
    /// Peak RSS of the whole child process, MiB.
    pub peak_rss_mib: f64,
    /// Time to stream every id, in seconds.
    pub wall_s: f64,
}

/// The memory results.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Calls the client keeps in flight (its default).
    pub in_flight: usize,
    /// Every size, smallest first.
    pub rows: Vec<Row>,
}

/// The client's default concurrency, which the memory runs keep.
const IN_FLIGHT: usize = 4;

/// Measures every size, each in a fresh child against a fresh simulator.
pub fn run(sizes: &[usize], sim_binary: &Path) -> Result<Results> {
    let exe = std::env::current_exe().context("locating the running binary")?;
    let mut rows = Vec::new();
    for &ids in sizes {
        eprintln!("  memory: send_stream of {ids} ids …");
        let sim = SimProcess::start_unlimited(sim_binary)?;
        let output = Command::new(&exe)
            .args(["bench", "--memory-child"])
            .arg(ids.to_string())
            .args(["--sim-url", sim.base_url()])
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .context("running the memory child")?;
        drop(sim);
        if !output.status.success() {
            bail!("the memory child for {ids} ids failed: {}", output.status);
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .rev()
            .find(|line| line.trim_start().starts_with('{'))
            .context("the memory child printed no result")?;
        rows.push(serde_json::from_str(line).context("reading the memory child's result")?);
    }
    Ok(Results {
        in_flight: IN_FLIGHT,
        rows,
    })
}

/// The child's side: streams `ids` ids to the simulator at `sim_url` on a
/// default multi-threaded runtime (what `#[tokio::main]` builds) and prints
/// its [`Row`] as one JSON line.
pub fn child(ids: usize, sim_url: &str) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("building the runtime")?;
    let client = gong_flows::Client::builder()
        .base_url(sim_url)
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .unpaced()
        .concurrency(IN_FLIGHT)
        .build()?;
    let baseline = peak_rss_kib()?;
    let started = Instant::now();
    let assigned = runtime.block_on(async {
        let mut chunks = client
            .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
            .parts_from_iter((0..ids).map(crm_id))?;
        let mut assigned = 0;
        while let Some(chunk) = chunks.next().await {
            if let Some(stopped) = &chunk.report.stats.stopped {
                bail!("gong-flows stopped early: {stopped}");
            }
            assigned += chunk.report.assigned.len();
        }
        Ok(assigned)
    })?;
    let wall = started.elapsed();
    ensure!(assigned == ids, "{assigned} of {ids} ids assigned");
    let mib = |kib: u64| kib as f64 / 1024.0;
    let row = Row {
        ids,
        assigned,
        baseline_rss_mib: mib(baseline),
        peak_rss_mib: mib(peak_rss_kib()?),
        wall_s: secs(wall),
    };
    println!("{}", serde_json::to_string(&row)?);
    Ok(())
}
