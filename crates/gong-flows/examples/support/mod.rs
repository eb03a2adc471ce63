//! Where the examples run: on your tenant when `GONG_BASE_URL` is set, else
//! on a simulator started in this process (no Gong account needed).

use gong_flows::Client;
use gong_flows_sim::{SimConfig, Simulator};

/// The client, and the simulator it talks to when there is no tenant (keep
/// it alive as long as the client).
pub struct Target {
    /// A client for the tenant or the simulator.
    pub client: Client,
    /// The embedded simulator, when `GONG_BASE_URL` is not set.
    pub sim: Option<Simulator>,
}

impl Target {
    /// Whether the example runs against the embedded simulator.
    pub fn is_simulated(&self) -> bool {
        self.sim.is_some()
    }
}

/// The client from the `GONG_*` variables, or one for a simulator started
/// with `config` (which keeps Gong's rate limit of 3 calls per second unless
/// told otherwise).
#[allow(dead_code)] // The examples of many calls use `fast_target`.
pub fn target(config: SimConfig) -> Result<Target, Box<dyn std::error::Error>> {
    simulated_at(config, None)
}

/// Like [`target`], but the simulator has no rate limits and the client
/// paces itself at `rate` calls per second, so that an example of many
/// calls ends in seconds. A tenant keeps its `GONG_RATE_LIMIT` (Gong's 3/s
/// by default).
#[allow(dead_code)] // Not every example makes that many calls.
pub fn fast_target(config: SimConfig, rate: f64) -> Result<Target, Box<dyn std::error::Error>> {
    simulated_at(config.no_rate_limits(), Some(rate))
}

fn simulated_at(
    config: SimConfig,
    rate: Option<f64>,
) -> Result<Target, Box<dyn std::error::Error>> {
    if std::env::var_os("GONG_BASE_URL").is_some() {
        return Ok(Target {
            client: Client::from_env()?,
            sim: None,
        });
    }
    let sim = Simulator::start(config)?;
    eprintln!(
        "GONG_BASE_URL is not set: running against the embedded simulator at {}",
        sim.base_url()
    );
    let mut client = Client::builder().base_url(sim.base_url()).basic_auth(
        gong_flows_sim::DEFAULT_ACCESS_KEY,
        gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
    );
    if let Some(rate) = rate {
        client = client.rate_limit(rate);
    }
    let client = client.build()?;
    Ok(Target {
        client,
        sim: Some(sim),
    })
}
