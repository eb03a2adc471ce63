//! Assign the CRM ids in a file (one per line) to a flow and print the report.
//!
//! ```sh
//! export GONG_BASE_URL=https://us-55616.api.gong.io
//! export GONG_ACCESS_KEY=... GONG_ACCESS_KEY_SECRET=...
//! cargo run -p gong-flows --example assign -- <flow-id> <owner-email> <ids-file>
//! ```

use gong_flows::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(flow_id), Some(owner), Some(file)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: assign <flow-id> <owner-email> <ids-file>");
        std::process::exit(2);
    };
    let ids: Vec<String> = std::fs::read_to_string(file)?
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();

    let client = Client::from_env()?;
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
            refused.crm_prospect_id,
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
