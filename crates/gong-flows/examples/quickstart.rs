//! A tour of the SDK on the embedded simulator (or, read-only, on your tenant).
//!
//! ```sh
//! cargo run -p gong-flows --example quickstart
//! ```
//!
//! With `GONG_BASE_URL` and credentials (`GONG_ACCESS_KEY` +
//! `GONG_ACCESS_KEY_SECRET`, or `GONG_BEARER_TOKEN`) set, and
//! `GONG_FLOW_OWNER_EMAIL` naming a Gong user, it runs only the read-only
//! part against that tenant instead: nothing is assigned or removed.

use gong_flows::{BulkProspect, Client, PollPolicy};
use gong_flows_sim::{SimConfig, Simulator, dataset};
use std::time::Duration;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    if std::env::var_os("GONG_BASE_URL").is_some() {
        let owner = std::env::var("GONG_FLOW_OWNER_EMAIL")
            .map_err(|_| "set GONG_FLOW_OWNER_EMAIL to the Gong user whose flows to list")?;
        let client = Client::from_env()?;
        println!("Read-only tour of {}", client.base_url());
        return read_only(&client, &owner).await;
    }

    // Gong has no sandbox: start the simulator in this process, with Gong's
    // own rate limit of 3 calls per second.
    let sim = Simulator::start(SimConfig::default())?;
    println!("Simulator listening on {}", sim.base_url());
    let client = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .build()?;
    let owner = dataset::DEFAULT_USER_EMAIL;

    read_only(&client, owner).await?;
    let flow = dataset::SDR_FLOW_ID;

    section("Assign 450 prospects (3 calls of at most 200, paced at 3/s)");
    let mut ids: Vec<String> = (0..446).map(|i| format!("0035g{i:010}")).collect();
    ids.extend(
        [
            "unknown-1",
            "unknown-2",
            "0035g0000000000",
            "0035g0000000001",
        ]
        .map(String::from),
    );
    let report = client.assign(flow, owner).prospects(&ids).send().await?;
    println!(
        "assigned {}, refused {}, not attempted {}, duplicates {:?}, calls {}",
        report.assigned.len(),
        report.not_assigned.len(),
        report.not_attempted.len(),
        report.stats.duplicates,
        report.stats.requests,
    );
    for refused in &report.not_assigned {
        println!(
            "  refused {}: {:?} {}",
            refused.crm_prospect_id,
            refused.error_code,
            refused.error_message.as_deref().unwrap_or("")
        );
    }

    section("A prospect's flows");
    let found = client
        .prospects_flows()
        .crm_prospect_ids(["0035g0000000000"])
        .send()
        .await?;
    for instance in &found.instances {
        println!(
            "  {:?} is in {:?} as instance {:?} ({:?}, since {:?})",
            instance.crm_prospect_id,
            instance.flow_name,
            instance.flow_instance_id,
            instance.status,
            instance.created.as_ref().and_then(|t| t.parsed()),
        );
    }

    section("Unassign by CRM id");
    let removed = client
        .unassign_prospect("0035g0000000000")
        .flow_id(flow)
        .unassigned_by(owner)
        .send()
        .await?;
    println!("  removed instances {:?}", removed.flow_instance_ids);

    section("Unassign by flow instance id (an unknown id is isolated)");
    let mut instances: Vec<String> = report
        .assigned
        .iter()
        .skip(1)
        .take(5)
        .filter_map(|a| a.flow_instance_id().map(str::to_owned))
        .collect();
    instances.push("999999999999".into());
    let unassigned = client.unassign_instances(&instances).send().await?;
    println!(
        "  removed {}, not removed {:?}, calls {}",
        unassigned.unassigned.len(),
        unassigned
            .not_unassigned
            .iter()
            .map(|n| format!("{}: {}", n.id, n.error_message))
            .collect::<Vec<_>>(),
        unassigned.stats.requests,
    );

    section("Bulk assignment, polled to completion");
    let bulk = client
        .bulk_assign(dataset::SHARED_FLOW_ID, owner)
        .prospects([
            BulkProspect::crm_id("0035g0000000100"),
            BulkProspect::new("Mike", "Smith").email("mike.smith@example.com"),
        ])
        .poll_policy(PollPolicy {
            first_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(1),
            limit: Duration::from_secs(60),
        })
        .send()
        .await?;
    for job in &bulk.jobs {
        println!("  job {} ended {:?}", job.id, job.status);
    }
    println!(
        "  assigned {}, failed {}",
        bulk.assigned.len(),
        bulk.not_assigned.len()
    );

    section("What the simulator saw");
    let counters = sim.counters();
    println!("  calls {}, 429s {}", counters.total, counters.rate_limited);
    sim.shutdown().await;
    Ok(())
}

async fn read_only(client: &Client, owner: &str) -> Result<()> {
    section("Flows");
    let flows = client.list_flows(owner).collect_all().await?;
    for flow in &flows {
        println!(
            "  {} {:?} ({:?}, exclusive: {:?})",
            flow.id, flow.name, flow.visibility, flow.exclusive
        );
    }

    section("Folders");
    for folder in client.list_folders(owner).collect_all().await? {
        println!(
            "  {} {:?} parent {:?}",
            folder.id, folder.name, folder.parent_folder_id
        );
    }

    section("Steps of the first flows");
    let ids: Vec<&str> = flows.iter().take(3).map(|f| f.id.as_str()).collect();
    let steps = client.flow_steps(&ids).send().await?;
    for flow in &steps.flows {
        println!("  {} {:?}", flow.id, flow.name);
        for step in &flow.steps {
            println!(
                "    {:?}. {:?} {:?}",
                step.step_order, step.action, step.subject
            );
        }
    }
    Ok(())
}

fn section(title: &str) {
    println!("\n== {title}");
}
