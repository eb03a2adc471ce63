//! Take prospects out of a flow by CRM id, or flow instances out by id.
//!
//! ```sh
//! export GONG_BASE_URL=... GONG_BEARER_TOKEN=...
//! cargo run -p gong-flows --example unassign -- crm <flow-id> <crm-id>...
//! cargo run -p gong-flows --example unassign -- instances <instance-id>...
//! ```
//!
//! Without `GONG_BASE_URL` it runs against the embedded simulator; without
//! arguments there, it first assigns four prospects to the seeded SDR flow,
//! then takes two out by CRM id and the flow instances of the other two
//! (and one unknown instance id) out by instance id.

mod support;

use gong_flows::{Client, UnassignReport};
use gong_flows_sim::{SimConfig, dataset};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::target(SimConfig::default())?;
    let client = &target.client;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() && target.is_simulated() {
        return demo(client).await;
    }
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
    print(&report);
    Ok(())
}

/// The simulator tour: assign four prospects, then remove them both ways.
async fn demo(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let flow = dataset::SDR_FLOW_ID;
    let ids = [
        "0035g0000000001",
        "0035g0000000002",
        "0035g0000000003",
        "0035g0000000004",
    ];
    let assigned = client
        .assign(flow, dataset::DEFAULT_USER_EMAIL)
        .prospects(ids)
        .send()
        .await?;
    println!(
        "assigned {} prospects to flow {flow}",
        assigned.assigned.len()
    );

    println!("-- by CRM id");
    let by_crm = client
        .unassign_prospects(&ids[..2])
        .flow_id(flow)
        .send()
        .await?;
    print(&by_crm);

    println!("-- by flow instance id (one of them unknown)");
    let mut instances: Vec<String> = assigned
        .assigned
        .iter()
        .filter(|a| ids[2..].contains(&a.id.as_str()))
        .filter_map(|a| a.flow_instance_id().map(str::to_owned))
        .collect();
    instances.push("9999999999999999".to_owned());
    let by_instance = client.unassign_instances(&instances).send().await?;
    print(&by_instance);
    Ok(())
}

fn print(report: &UnassignReport) {
    for done in &report.unassigned {
        println!("removed {} ({:?})", done.id, done.flow_instance_ids);
    }
    for kept in &report.not_unassigned {
        println!("not removed {}: {}", kept.id, kept.error_message);
    }
    for skipped in &report.not_attempted {
        println!("not attempted {}: {}", skipped.id, skipped.error);
    }
}
