//! CPU time per assign call of each layer: hand-written reqwest with
//! serde_json, the generated client, and `gong-flows`.
//!
//! Each layer talks to a simulator in a separate process (one per layer,
//! with no latency and no limits), so the CPU time measured here is the
//! client's alone. The client runs on a current-thread tokio runtime: it
//! occupies one core and the simulator the other, and all of its work —
//! connection tasks included — is on the one thread. The calls are made in
//! rounds, the layers taking turns (each round starting with the next
//! layer, so that none always follows the same one), and the median round
//! counts: on a shared machine the load changes from minute to minute, and
//! a layer measured in one stretch would be judged by its minute's load.
//! Each layer is also set against the layer below round by round (the
//! median of the rounds' ratios).

use super::sim_process::SimProcess;
use super::system::{process_cpu, threads_cpu};
use super::{Sizes, assign_body, auth_headers, crm_id, secs};
use anyhow::{Context as _, Result, bail, ensure};
use futures::{StreamExt as _, TryStreamExt as _};
use gong_flows_api::RequestSettings;
use gong_flows_api::types::AssignFlowResponse;
use gong_flows_sim::{DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, dataset};
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue};
use serde::Serialize;
use std::ops::Range;
use std::path::Path;
use std::time::{Duration, Instant};

/// The layers, from the bottom up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// `reqwest` and `serde_json` by hand, over the generated wire types.
    Raw,
    /// `gong_flows_api::Client`: `assign_prospects().body(..).send()`.
    Generated,
    /// `gong_flows::Client`: `assign(..).parts_from_iter(ids)`, unpaced.
    GongFlows,
}

impl Layer {
    /// Every layer, bottom first.
    pub const ALL: [Layer; 3] = [Layer::Raw, Layer::Generated, Layer::GongFlows];

    /// How the table names it.
    pub fn label(self) -> &'static str {
        match self {
            Layer::Raw => "reqwest + serde_json",
            Layer::Generated => "gong-flows-api (generated)",
            Layer::GongFlows => "gong-flows (send_stream)",
        }
    }
}

/// One layer's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Which layer.
    pub layer: Layer,
    /// Calls measured (after the warm-up), over every round.
    pub calls: usize,
    /// Client CPU time per call in microseconds: the median of the rounds,
    /// from the scheduler's per-thread accounting (nanosecond resolution).
    pub cpu_us_per_call: f64,
    /// Each round's CPU time per call, in microseconds.
    pub rounds_us_per_call: Vec<f64>,
    /// CPU time per call over all rounds from `/proc/self/stat` (whole
    /// process, 10 ms ticks): a cross-check that no CPU time went unseen.
    pub process_cpu_us_per_call: f64,
    /// `cpu_us_per_call` over the layer below's (none for the bottom).
    pub vs_layer_below: Option<f64>,
    /// The median, over the rounds, of this layer's round over the layer
    /// below's in the same round (none for the bottom): the two measured
    /// minutes apart at most, so a change of the machine's load between
    /// rounds moves both.
    pub paired_vs_layer_below: Option<f64>,
    /// Wall time of the measured calls, in seconds.
    pub wall_s: f64,
}

/// The overhead results.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Prospect ids per call.
    pub ids_per_call: usize,
    /// Calls each layer keeps in flight.
    pub in_flight: usize,
    /// Unmeasured calls each layer makes first (connections, allocator).
    pub warmup_calls: usize,
    /// Rounds the calls are split into, the layers taking turns.
    pub rounds: usize,
    /// Every layer, bottom first.
    pub rows: Vec<Row>,
}

/// One layer under measurement: its own simulator process, runtime and
/// client, kept across rounds.
struct Bench {
    layer: Layer,
    // Fields drop in order: the client, its runtime, then the simulator.
    runner: Runner,
    runtime: tokio::runtime::Runtime,
    _sim: SimProcess,
    next_call: usize,
    rounds_us: Vec<f64>,
    process_cpu: Duration,
    wall: Duration,
}

/// Measures every layer, in interleaved rounds.
pub fn run(sizes: &Sizes, sim_binary: &Path) -> Result<Results> {
    let rounds = sizes.overhead_rounds.max(1);
    let per_round = sizes.overhead_calls.div_ceil(rounds);
    let mut benches = Vec::new();
    for layer in Layer::ALL {
        let sim = SimProcess::start_unlimited(sim_binary)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("building the client runtime")?;
        let runner = Runner::new(layer, sim.base_url(), sizes.overhead_in_flight)?;
        runtime.block_on(runner.run(0..sizes.overhead_warmup))?;
        benches.push(Bench {
            layer,
            runner,
            runtime,
            _sim: sim,
            next_call: sizes.overhead_warmup,
            rounds_us: Vec::new(),
            process_cpu: Duration::ZERO,
            wall: Duration::ZERO,
        });
    }
    for round in 0..rounds {
        eprintln!(
            "  overhead: round {} of {rounds}, {per_round} calls per layer …",
            round + 1
        );
        let count = benches.len();
        for turn in 0..count {
            let bench = &mut benches[(round + turn) % count];
            let calls = bench.next_call..bench.next_call + per_round;
            bench.next_call = calls.end;
            // Per-thread accounting needs schedstats in the kernel; without
            // it, the coarser whole-process figure stands in.
            let (threads_before, process_before) = (threads_cpu().ok(), process_cpu()?);
            let started = Instant::now();
            bench.runtime.block_on(bench.runner.run(calls))?;
            let wall = started.elapsed();
            let process = process_cpu()?.saturating_sub(process_before);
            let cpu = match (threads_before, threads_cpu().ok()) {
                (Some(before), Some(after)) => after.saturating_sub(before),
                _ => process,
            };
            bench.process_cpu += process;
            bench.wall += wall;
            bench
                .rounds_us
                .push(cpu.as_secs_f64() * 1e6 / per_round as f64);
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    for bench in benches {
        let calls = per_round * rounds;
        let mut row = Row {
            layer: bench.layer,
            calls,
            cpu_us_per_call: median(&bench.rounds_us),
            rounds_us_per_call: bench.rounds_us,
            process_cpu_us_per_call: bench.process_cpu.as_secs_f64() * 1e6 / calls as f64,
            vs_layer_below: None,
            paired_vs_layer_below: None,
            wall_s: secs(bench.wall),
        };
        if let Some(below) = rows.last() {
            row.vs_layer_below = Some(row.cpu_us_per_call / below.cpu_us_per_call);
            row.paired_vs_layer_below =
                Some(paired(&row.rounds_us_per_call, &below.rounds_us_per_call));
        }
        rows.push(row);
    }
    Ok(Results {
        ids_per_call: 200,
        in_flight: sizes.overhead_in_flight,
        warmup_calls: sizes.overhead_warmup,
        rounds,
        rows,
    })
}

/// The median of some figures (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The median of round-by-round ratios of one layer's figures to another's.
pub fn paired(this: &[f64], below: &[f64]) -> f64 {
    let ratios: Vec<f64> = this.iter().zip(below).map(|(a, b)| a / b).collect();
    median(&ratios)
}

/// One layer's client, ready to make numbered calls.
enum Runner {
    Raw {
        http: reqwest::Client,
        url: String,
        headers: HeaderMap,
        in_flight: usize,
    },
    Generated {
        api: gong_flows_api::Client,
        in_flight: usize,
    },
    GongFlows {
        client: gong_flows::Client,
    },
}

/// The ids of call `call`: 200 of them, unique across calls.
fn call_ids(call: usize) -> Vec<String> {
    (call * 200..(call + 1) * 200).map(crm_id).collect()
}

impl Runner {
    fn new(layer: Layer, base: &str, in_flight: usize) -> Result<Runner> {
        Ok(match layer {
            Layer::Raw => {
                let mut headers = auth_headers();
                headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
                Runner::Raw {
                    http: reqwest::Client::new(),
                    url: format!("{base}/v2/flows/prospects/assign"),
                    headers,
                    in_flight,
                }
            }
            Layer::Generated => Runner::Generated {
                api: gong_flows_api::Client::new_with_client(
                    base,
                    reqwest::Client::new(),
                    RequestSettings {
                        headers: auth_headers(),
                        max_response_bytes: None,
                    },
                ),
                in_flight,
            },
            Layer::GongFlows => Runner::GongFlows {
                client: gong_flows::Client::builder()
                    .base_url(base)
                    .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
                    .unpaced()
                    .concurrency(in_flight)
                    .build()?,
            },
        })
    }

    /// Makes calls `calls` (each assigning its own 200 new ids) and checks
    /// that every id was assigned.
    async fn run(&self, calls: Range<usize>) -> Result<()> {
        let expected = calls.len() * 200;
        let assigned = match self {
            Runner::Raw {
                http,
                url,
                headers,
                in_flight,
            } => {
                futures::stream::iter(calls)
                    .map(|call| async move {
                        let body = assign_body(&call_ids(call));
                        let response = http
                            .post(url)
                            .headers(headers.clone())
                            .json(&body)
                            .send()
                            .await?;
                        let status = response.status();
                        let bytes = response.bytes().await?;
                        if !status.is_success() {
                            bail!("assign answered {status}");
                        }
                        let answer: AssignFlowResponse = serde_json::from_slice(&bytes)?;
                        Ok(answer.prospects_assigned.len())
                    })
                    .buffer_unordered(*in_flight)
                    .try_fold(0, |sum, n| async move { Ok(sum + n) })
                    .await?
            }
            Runner::Generated { api, in_flight } => {
                futures::stream::iter(calls)
                    .map(|call| async move {
                        let answer = api
                            .assign_prospects()
                            .body(assign_body(&call_ids(call)))
                            .send()
                            .await
                            .map_err(|e| anyhow::anyhow!("assign failed: {e}"))?;
                        Ok::<_, anyhow::Error>(answer.into_inner().prospects_assigned.len())
                    })
                    .buffer_unordered(*in_flight)
                    .try_fold(0, |sum, n| async move { Ok(sum + n) })
                    .await?
            }
            Runner::GongFlows { client } => {
                let ids = (calls.start * 200..calls.end * 200).map(crm_id);
                let mut chunks = client
                    .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
                    .parts_from_iter(ids)?;
                let mut assigned = 0;
                while let Some(chunk) = chunks.next().await {
                    if let Some(stopped) = &chunk.report.stats.stopped {
                        bail!("gong-flows stopped early: {stopped}");
                    }
                    assigned += chunk.report.assigned.len();
                }
                assigned
            }
        };
        ensure!(
            assigned == expected,
            "{assigned} of {expected} ids assigned"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn pairs_are_judged_round_by_round() {
        // The load moved between rounds: the layer below's median round
        // (100) came in a quiet minute, this layer's (300) in a loaded one,
        // so the medians' ratio says 3×; round by round it is 1.1×.
        let below = [100.0, 100.0, 300.0];
        let this = [110.0, 330.0, 330.0];
        assert!((median(&this) / median(&below) - 3.3).abs() < 1e-9);
        assert!((paired(&this, &below) - 1.1).abs() < 1e-9);
        // An even count: the mean of the middle two ratios.
        assert!((paired(&[300.0, 100.0], &[100.0, 100.0]) - 2.0).abs() < 1e-9);
    }
}
