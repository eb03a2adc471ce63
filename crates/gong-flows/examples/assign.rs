//! Assign the CRM ids in a file (one per line) to a flow and print the report.
//!
//! ```sh
//! export GONG_BASE_URL=https://us-55616.api.gong.io
//! export GONG_ACCESS_KEY=... GONG_ACCESS_KEY_SECRET=...
//! cargo run -p gong-flows --example assign -- <flow-id> <owner-email> <ids-file>
//! ```
//!
//! Without `GONG_BASE_URL` it runs against the embedded simulator: the
//! arguments are optional there, and without them 250 made-up ids (one
//! unknown to the CRM, one repeated) go to the seeded SDR flow.

mod support;

use gong_flows_sim::{SimConfig, dataset};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::target(SimConfig::default())?;
    let client = &target.client;
    let mut args = std::env::args().skip(1);
    let (flow_id, owner, file) = match (args.next(), args.next(), args.next()) {
        (Some(flow_id), Some(owner), file) if file.is_some() || target.is_simulated() => {
            (flow_id, owner, file)
        }
        (None, None, None) if target.is_simulated() => (
            dataset::SDR_FLOW_ID.to_owned(),
            dataset::DEFAULT_USER_EMAIL.to_owned(),
            None,
        ),
        _ => {
            eprintln!("usage: assign <flow-id> <owner-email> <ids-file>");
            std::process::exit(2);
        }
    };
    let ids: Vec<String> = match file {
        Some(file) => std::fs::read_to_string(file)?
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect(),
        None => (0..248)
            .map(|i| format!("0035g{i:010}"))
            .chain(["unknown-1".to_owned(), "0035g0000000000".to_owned()])
            .collect(),
    };

    let report = client
        .assign(&flow_id, &owner)
        .prospects(&ids)
        .send()
        .await?;

    println!(
        "{} assigned ({} reconciled), {} refused, {} not attempted, {} duplicates, {} calls",
        report.assigned.len(),
        report.assigned.iter().filter(|a| a.reconciled).count(),
        report.not_assigned.len(),
        report.not_attempted.len(),
        report.stats.duplicates.len(),
        report.stats.requests,
    );
    for refused in &report.not_assigned {
        println!(
            "refused {}: {:?} {}",
            refused.id,
            refused.error_code,
            refused.error_message.as_deref().unwrap_or("")
        );
    }
    if let Some(why) = &report.stats.stopped {
        eprintln!("stopped early: {why}");
        eprintln!(
            "re-run these: {:?}",
            report.not_attempted_ids().collect::<Vec<_>>()
        );
    }
    Ok(())
}
