//! Take prospects out of a flow by CRM id, or flow instances out by id.
//!
//! ```sh
//! export GONG_BASE_URL=... GONG_BEARER_TOKEN=...
//! cargo run -p gong-flows --example unassign -- crm <flow-id> <crm-id>...
//! cargo run -p gong-flows --example unassign -- instances <instance-id>...
//! ```

use gong_flows::{Client, UnassignReport};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let client = Client::from_env()?;
    let report: UnassignReport = match args.split_first() {
        Some((kind, rest)) if kind == "crm" && rest.len() >= 2 => {
            // One call per prospect (Gong's endpoint takes one id), paced.
            client
                .unassign_prospects(&rest[1..])
                .flow_id(&rest[0])
                .send()
                .await?
        }
        Some((kind, rest)) if kind == "instances" && !rest.is_empty() => {
            // Chunks of 200; unknown instance ids are isolated and reported.
            client.unassign_instances(rest).send().await?
        }
        _ => {
            eprintln!(
                "usage: unassign crm <flow-id> <crm-id>... | unassign instances <instance-id>..."
            );
            std::process::exit(2);
        }
    };
    for done in &report.unassigned {
        println!("removed {} ({:?})", done.id, done.flow_instance_ids);
    }
    for kept in &report.not_unassigned {
        println!("not removed {}: {}", kept.id, kept.error_message);
    }
    for skipped in &report.not_attempted {
        println!("not attempted {}: {}", skipped.id, skipped.error);
    }
    Ok(())
}
