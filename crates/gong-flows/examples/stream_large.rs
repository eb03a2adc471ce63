//! A large input streamed through a job in bounded memory: the ids are
//! made (or read) one at a time and never held together, the job sends
//! them in chunks of 200 as they come, and each chunk's part of the report
//! is printed as it finishes, then dropped.
//!
//! ```sh
//! cargo run -p gong-flows --example stream_large
//! # On your tenant, streaming a file of one id per line:
//! cargo run -p gong-flows --example stream_large -- <flow-id> <owner-email> <ids-file>
//! ```
//!
//! Without `GONG_BASE_URL` it runs against the embedded simulator: 20,000
//! generated ids (100 calls, paced at 50 calls per second, so it ends in
//! a few seconds) go to the seeded SDR flow.

mod support;

use futures::StreamExt as _;
use gong_flows_sim::{SimConfig, dataset};
use std::io::BufRead as _;

/// How many ids the simulated run makes.
const GENERATED: usize = 20_000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::fast_target(SimConfig::default(), 50.0)?;
    let client = &target.client;
    let mut args = std::env::args().skip(1);
    let (flow_id, owner, ids): (String, String, Box<dyn Iterator<Item = String> + Send>) =
        match (args.next(), args.next(), args.next()) {
            (Some(flow_id), Some(owner), Some(file)) => {
                // Read line by line as the job asks for more: a file of any
                // size takes the memory of the chunks in flight.
                let lines = std::io::BufReader::new(std::fs::File::open(&file)?)
                    .lines()
                    .map_while(Result::ok)
                    .map(|line| line.trim().to_owned())
                    .filter(|line| !line.is_empty());
                (flow_id, owner, Box::new(lines))
            }
            (None, None, None) if target.is_simulated() => (
                dataset::SDR_FLOW_ID.to_owned(),
                dataset::DEFAULT_USER_EMAIL.to_owned(),
                Box::new((0..GENERATED).map(|i| format!("0035g{i:010}"))),
            ),
            _ => {
                eprintln!("usage: stream_large <flow-id> <owner-email> <ids-file>");
                std::process::exit(2);
            }
        };

    let mut parts = client.assign(&flow_id, &owner).parts_from_iter(ids)?;
    let progress = parts.handle().progress();
    let (mut assigned, mut refused, mut not_attempted, mut calls) = (0, 0, 0, 0);
    while let Some(part) = parts.next().await {
        let report = &part.report;
        assigned += report.assigned.len() + report.already_in_flow.len();
        refused += report.not_assigned.len();
        not_attempted += report.not_attempted.len();
        calls += report.stats.requests;
        let now = progress.borrow().clone();
        println!(
            "part {:>3}: {:>3} assigned, {} refused, {} not attempted · {}",
            part.index,
            report.assigned.len() + report.already_in_flow.len(),
            report.not_assigned.len(),
            report.not_attempted.len(),
            now.line(std::time::SystemTime::now().into()),
        );
        // Only the counts are kept: the part is dropped here, so memory
        // stays that of the chunks in flight however long the input.
    }
    println!(
        "done: {assigned} assigned, {refused} refused, {not_attempted} not attempted, in {calls} calls"
    );
    if let Some(sim) = &target.sim {
        assert_eq!(assigned, GENERATED, "every generated id is assigned");
        assert_eq!(u64::from(calls), sim.counters().total);
    }
    Ok(())
}
