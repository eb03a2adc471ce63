//! `sim`: the simulator in the foreground.

use crate::cli::{GlobalArgs, SimArgs};
use crate::exit::CliError;
use crate::output::print_text;
use gong_flows::Outcome;

pub async fn sim(global: &GlobalArgs, args: SimArgs) -> Result<u8, CliError> {
    let rate = global
        .rate
        .map_or(Some(gong_flows::GONG_CALLS_PER_SECOND), |r| r.0);
    let config = gong_flows_sim::SimConfig::default()
        .port(args.port)
        .calls_per_second(rate)
        .faults(args.faults.clone());
    let sim = gong_flows_sim::Simulator::start(config)
        .map_err(|e| CliError::usage(format!("simulator: {e}")))?;
    let limit = rate.map_or("off".to_owned(), |rate| format!("{rate} calls/s"));
    let mut text = format!("Simulator listening on {}\n", sim.base_url());
    text.push_str(&format!("  rate limit: {limit}; faults: {}\n", args.faults));
    for line in sim.export_lines().into_iter().chain(sim.credential_lines()) {
        text.push_str(&format!("  {line}\n"));
    }
    text.push_str("Press Ctrl-C to stop.\n");
    print_text(&text);
    gong_flows::Interrupts::listen().next().await;
    sim.shutdown().await;
    Ok(Outcome::Done.code())
}
