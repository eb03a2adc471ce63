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
pub fn target(config: SimConfig) -> Result<Target, Box<dyn std::error::Error>> {
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
    let client = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .build()?;
    Ok(Target {
        client,
        sim: Some(sim),
    })
}
