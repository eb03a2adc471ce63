//! `sim`: the simulator in the foreground.

use crate::cli::{GlobalArgs, SimArgs};
use crate::exit::CliError;
use crate::output::print_text;
use gong_flows::Outcome;

pub async fn sim(global: &GlobalArgs, args: SimArgs) -> Result<u8, CliError> {
    let rate = global
        .rate
        .map_or(Some(gong_flows::GONG_CALLS_PER_SECOND), |r| r.0);
    let (limit, window) = match rate {
        None => (None, std::time::Duration::from_secs(1)),
        // A fractional rate becomes whole calls over a longer window.
        Some(rate) => {
            let calls = rate.floor().max(1.0);
            (
                Some(calls.min(f64::from(u32::MAX)) as u32),
                std::time::Duration::from_secs_f64(calls / rate),
            )
        }
    };
    let config = gong_flows_sim::SimConfig::default()
        .port(args.port)
        .rate_limit(limit)
        .rate_window(window)
        .faults(args.faults.clone());
    let sim = gong_flows_sim::Simulator::start(config)
        .map_err(|e| CliError::usage(format!("simulator: {e}")))?;
    let mut text = format!("Simulator listening on {}\n", sim.base_url());
    text.push_str(&format!(
        "  rate limit: {}; faults: {}\n",
        limit.map_or("off".to_owned(), |_| format!(
            "{} calls/s",
            rate.unwrap_or_default()
        )),
        args.faults
    ));
    for line in sim.export_lines() {
        text.push_str(&format!("  {line}\n"));
    }
    for token in &sim.credentials().tokens {
        text.push_str(&format!(
            "  bearer token {} ({})\n",
            token.token,
            token.scopes.join(" ")
        ));
    }
    text.push_str("Press Ctrl-C to stop.\n");
    print_text(&text);
    let mut interrupts = gong_flows::Interrupts::listen();
    interrupts.next().await;
    sim.shutdown().await;
    Ok(Outcome::Done.code())
}
