//! Throughput against the simulator's rate limit: the SDK's paced pipeline
//! beside the two loops users write by hand over the generated client.
//!
//! Each case gets a fresh in-process simulator (its own runtime, in its own
//! thread), so its rate-limit window and counters start clean, and the
//! calls and 429s are the simulator's own counts.

use super::{Sizes, assign_body, auth_headers, crm_id, secs};
use anyhow::{Context as _, Result, bail, ensure};
use futures::{StreamExt as _, TryStreamExt as _};
use gong_flows_api::RequestSettings;
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, Endpoint, Latency, SimConfig, Simulator, dataset,
};
use serde::Serialize;
use std::time::{Duration, Instant};

/// The three clients compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Client {
    /// `gong-flows`: `assign(..).prospects(ids).send()`, paced at the rate,
    /// several calls in flight under its one pacer.
    GongFlows,
    /// Over `gong-flows-api`: one 200-id chunk at a time, no pacing; a 429
    /// sleeps its `Retry-After` and retries.
    NaiveSequential,
    /// Over `gong-flows-api`: several chunks in flight, no pacing; a 429
    /// sleeps its `Retry-After` and retries.
    NaiveConcurrent,
}

impl Client {
    /// Every client, in table order.
    pub const ALL: [Client; 3] = [
        Client::GongFlows,
        Client::NaiveSequential,
        Client::NaiveConcurrent,
    ];

    /// How the table names it.
    pub fn label(self) -> &'static str {
        match self {
            Client::GongFlows => "(a) gong-flows, paced",
            Client::NaiveSequential => "(b) naive sequential",
            Client::NaiveConcurrent => "(c) naive concurrent",
        }
    }
}

/// One measured case.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Which client.
    pub client: Client,
    /// The simulator's fixed latency per admitted call, in milliseconds.
    pub latency_ms: u64,
    /// Calls the client keeps in flight.
    pub in_flight: usize,
    /// Time to assign every id, in seconds.
    pub wall_s: f64,
    /// `wall_s` over the bound `⌈N/200⌉/R`.
    pub ratio_to_bound: f64,
    /// Assign calls the simulator received, 429s included.
    pub calls: u64,
    /// 429s the simulator served.
    pub server_429s: u64,
}

/// The throughput results.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Ids assigned per case.
    pub ids: usize,
    /// The simulator's limit, calls per second.
    pub rate: u32,
    /// `⌈ids/200⌉/rate`, in seconds: no client can be faster on average.
    pub bound_s: f64,
    /// How `gong-flows`' concurrency was chosen.
    pub concurrency_rule: String,
    /// Every case.
    pub rows: Vec<Row>,
}

/// Calls in flight a user would configure: enough to cover a call's
/// latency at the rate (`⌈latency × rate⌉`), plus one call waiting for its
/// slot in the pacer and one to absorb jitter.
pub fn in_flight_for(latency: Duration, rate: u32) -> usize {
    (latency.as_secs_f64() * f64::from(rate)).ceil() as usize + 2
}

/// Runs every client at every latency. Called outside any runtime: each
/// simulator then runs on a runtime of its own, apart from the clients'.
pub fn run(sizes: &Sizes, runtime: &tokio::runtime::Runtime) -> Result<Results> {
    let ids: Vec<String> = (0..sizes.throughput_ids).map(crm_id).collect();
    let rate = sizes.rate;
    let calls = sizes.throughput_ids.div_ceil(200);
    let bound_s = calls as f64 / f64::from(rate);
    let mut rows = Vec::new();
    for &latency_ms in &sizes.latencies_ms {
        let latency = Duration::from_millis(latency_ms);
        let in_flight = in_flight_for(latency, rate);
        for client in Client::ALL {
            let sim = Simulator::start(
                SimConfig::default()
                    .rate_limit(Some(rate))
                    .daily_limit(None)
                    .latency(Latency::Fixed(latency)),
            )
            .context("starting the simulator")?;
            let base = sim.base_url();
            let in_flight = if client == Client::NaiveSequential {
                1
            } else {
                in_flight
            };
            eprintln!(
                "  throughput: {} at {latency_ms} ms, {in_flight} in flight …",
                client.label()
            );
            let wall = runtime.block_on(async {
                let started = Instant::now();
                let assigned = match client {
                    Client::GongFlows => sdk(&base, &ids, rate, in_flight).await?,
                    Client::NaiveSequential | Client::NaiveConcurrent => {
                        naive(&base, &ids, in_flight).await?
                    }
                };
                let wall = started.elapsed();
                ensure!(
                    assigned == ids.len(),
                    "{}: {assigned} of {} ids assigned",
                    client.label(),
                    ids.len()
                );
                Ok(wall)
            })?;
            let counters = sim.counters();
            runtime.block_on(sim.shutdown());
            rows.push(Row {
                client,
                latency_ms,
                in_flight,
                wall_s: secs(wall),
                ratio_to_bound: secs(wall) / bound_s,
                calls: counters.calls(Endpoint::AssignProspects),
                server_429s: counters.too_many_requests(),
            });
        }
    }
    Ok(Results {
        ids: sizes.throughput_ids,
        rate,
        bound_s,
        concurrency_rule: "gong-flows and (c) keep ⌈latency × rate⌉ + 2 calls in flight".to_owned(),
        rows,
    })
}

/// (a): the SDK as its documentation shows it.
async fn sdk(base: &str, ids: &[String], rate: u32, in_flight: usize) -> Result<usize> {
    let client = gong_flows::Client::builder()
        .base_url(base)
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .rate_limit(f64::from(rate))
        .daily_budget(None)
        .concurrency(in_flight)
        .build()?;
    let report = client
        .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
        .prospects(ids)
        .send()
        .await?;
    if let Some(stopped) = &report.stats.stopped {
        bail!("gong-flows stopped early: {stopped}");
    }
    Ok(report.assigned.len())
}

/// (b) and (c): the loop users write over the generated client, with
/// `in_flight` chunks at a time.
async fn naive(base: &str, ids: &[String], in_flight: usize) -> Result<usize> {
    let api = gong_flows_api::Client::new_with_client(
        base,
        reqwest::Client::new(),
        RequestSettings {
            headers: auth_headers(),
            max_response_bytes: None,
        },
    );
    let counts: Vec<usize> = futures::stream::iter(ids.chunks(200))
        .map(|chunk| assign_retrying(&api, chunk))
        .buffer_unordered(in_flight)
        .try_collect()
        .await?;
    Ok(counts.into_iter().sum())
}

/// One chunk: send, and on a 429 sleep `Retry-After` and send again.
async fn assign_retrying(api: &gong_flows_api::Client, chunk: &[String]) -> Result<usize> {
    // A bound, so that a misbehaving run ends instead of retrying forever.
    const MAX_ATTEMPTS: u32 = 100;
    for _ in 0..MAX_ATTEMPTS {
        match api.assign_prospects().body(assign_body(chunk)).send().await {
            Ok(answer) => return Ok(answer.into_inner().prospects_assigned.len()),
            Err(gong_flows_api::Error::ErrorResponse(answer)) if answer.status() == 429 => {
                let wait = answer
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(1);
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
            Err(error) => bail!("assign failed: {error}"),
        }
    }
    bail!("a chunk was refused with 429 {MAX_ATTEMPTS} times")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_flight_covers_latency_at_the_rate() {
        assert_eq!(in_flight_for(Duration::from_millis(100), 30), 5);
        assert_eq!(in_flight_for(Duration::from_millis(300), 30), 11);
        assert_eq!(in_flight_for(Duration::ZERO, 30), 2);
    }
}
