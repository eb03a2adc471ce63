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
use std::io::Write;
use std::time::Duration;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    let mut out = std::io::stdout().lock();
    if std::env::var_os("GONG_BASE_URL").is_some() {
        let owner = std::env::var("GONG_FLOW_OWNER_EMAIL")
            .map_err(|_| "set GONG_FLOW_OWNER_EMAIL to the Gong user whose flows to list")?;
        let client = Client::from_env()?;
        writeln!(out, "Read-only tour of {}", client.base_url())?;
        return read_only(&client, &owner, &mut out).await;
    }
    tour(&mut out).await
}

/// The whole tour on an embedded simulator, written to `out`.
async fn tour(out: &mut dyn Write) -> Result<()> {
    // Gong has no sandbox: start the simulator in this process, with Gong's
    // own rate limit of 3 calls per second.
    let sim = Simulator::start(SimConfig::default())?;
    writeln!(out, "Simulator listening on {}", sim.base_url())?;
    let client = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .build()?;
    let owner = dataset::DEFAULT_USER_EMAIL;

    read_only(&client, owner, out).await?;

    section(out, "Pick a flow by name")?;
    let flow = client
        .find_flow(owner, dataset::SDR_FLOW_NAME)
        .await?
        .ok_or("the simulator has no SDR Flow")?;
    writeln!(out, "  {flow}")?;

    section(
        out,
        "Assign 450 prospects (3 calls of at most 200, paced at 3/s)",
    )?;
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
    let report = client
        .assign(&flow.id, owner)
        .prospects(&ids)
        .send()
        .await?;
    writeln!(
        out,
        "  {} assigned, {} refused by Gong, {} not attempted, in {} calls",
        report.assigned.len(),
        report.not_assigned.len(),
        report.not_attempted.len(),
        report.stats.requests,
    )?;
    if !report.stats.duplicates.is_empty() {
        writeln!(
            out,
            "  sent once, given twice: {}",
            report.stats.duplicates.join(", ")
        )?;
    }
    for refused in &report.not_assigned {
        let code = refused
            .error_code
            .as_ref()
            .map_or_else(|| "refused".to_owned(), ToString::to_string);
        let why = refused.error_message.as_deref().unwrap_or("no message");
        writeln!(out, "  refused {}: {code}, {why}", refused.id)?;
    }
    if let Some(why) = &report.stats.stopped {
        writeln!(out, "  stopped early: {why}")?;
    }

    section(out, "A prospect's flows")?;
    let found = client
        .prospects_flows()
        .crm_prospect_ids(["0035g0000000000"])
        .send()
        .await?;
    for instance in &found.instances {
        writeln!(out, "  {instance}")?;
    }

    section(out, "Unassign by CRM id")?;
    let removed = client
        .unassign_prospect("0035g0000000000")
        .flow_id(&flow.id)
        .unassigned_by(owner)
        .send()
        .await?;
    writeln!(
        out,
        "  removed instance {}",
        removed.flow_instance_ids.join(", ")
    )?;

    section(
        out,
        "Unassign by flow instance id (an unknown id is isolated)",
    )?;
    let mut instances: Vec<String> = report
        .assigned
        .iter()
        .skip(1)
        .take(5)
        .filter_map(|a| a.flow_instance_id().map(str::to_owned))
        .collect();
    instances.push("999999999999".into());
    let unassigned = client.unassign_instances(&instances).send().await?;
    writeln!(
        out,
        "  {} removed, {} not removed, in {} calls",
        unassigned.unassigned.len(),
        unassigned.not_unassigned.len(),
        unassigned.stats.requests,
    )?;
    for kept in &unassigned.not_unassigned {
        writeln!(out, "  not removed {}: {}", kept.id, kept.error_message)?;
    }

    section(out, "Bulk assignment, polled to completion")?;
    let prospects = [
        BulkProspect::crm_id("0035g0000000100"),
        BulkProspect::new("Mike", "Smith").email("mike.smith@example.com"),
    ];
    for prospect in &prospects {
        writeln!(out, "  sending {prospect}")?;
    }
    let bulk = client
        .bulk_assign(dataset::SHARED_FLOW_ID, owner)
        .prospects(prospects)
        .poll_policy(PollPolicy {
            first_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(1),
            limit: Duration::from_secs(60),
        })
        .send()
        .await?;
    for job in &bulk.jobs {
        let status = job.status.as_ref().map_or_else(
            || "in an unknown state".to_owned(),
            |s| s.to_string().to_lowercase(),
        );
        writeln!(out, "  job {} ended {status}", job.id)?;
    }
    writeln!(
        out,
        "  {} assigned, {} failed",
        bulk.assigned.len(),
        bulk.not_assigned.len()
    )?;

    section(out, "What the simulator saw")?;
    let counters = sim.counters();
    writeln!(
        out,
        "  {} calls, {} answered 429",
        counters.total, counters.rate_limited
    )?;
    sim.shutdown().await;
    Ok(())
}

async fn read_only(client: &Client, owner: &str, out: &mut dyn Write) -> Result<()> {
    section(out, "Flows")?;
    let flows = client.list_flows(owner).collect_all().await?;
    for flow in &flows {
        writeln!(out, "  {flow}")?;
    }

    section(out, "Folders")?;
    for folder in client.list_folders(owner).collect_all().await? {
        writeln!(out, "  {folder}")?;
    }

    section(out, "Steps of the first flows")?;
    let ids: Vec<&str> = flows.iter().take(3).map(|f| f.id.as_str()).collect();
    let steps = client.flow_steps(&ids).send().await?;
    for flow in &steps.flows {
        writeln!(out, "  {}", flow.name())?;
        for step in &flow.steps {
            writeln!(out, "    {step}")?;
        }
    }
    Ok(())
}

fn section(out: &mut dyn Write, title: &str) -> std::io::Result<()> {
    writeln!(out, "\n== {title}")
}

#[cfg(test)]
mod tests {
    /// The tour reads like prose: no `Some(`, `None` or other `Debug` form
    /// anywhere in what it prints.
    #[tokio::test]
    async fn the_tour_prints_no_debug_noise() {
        let mut printed = Vec::new();
        super::tour(&mut printed).await.unwrap();
        let text = String::from_utf8(printed).unwrap();
        // `Debug` of a struct reads `Name { field: … }`; of a list, `["…"]`.
        for noise in [
            "Some(",
            "None",
            "Unknown(",
            "\"\"",
            " { ",
            "[\"",
            "Timestamp",
        ] {
            assert!(!text.contains(noise), "{noise:?} in:\n{text}");
        }
        for expected in [
            "SDR Flow (1695493301223590792; Company; in Outbound)",
            "1. Send email — \"Quick question\"",
            "446 assigned",
            "0035g0000000000 in SDR Flow (1695493301223590792) as instance",
            "sending Mike Smith <mike.smith@example.com>",
        ] {
            assert!(text.contains(expected), "{expected:?} not in:\n{text}");
        }
    }
}
