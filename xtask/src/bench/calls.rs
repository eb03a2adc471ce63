//! Calls per prospect: the company's daily quota is the scarce resource, so
//! each write is measured in calls per 1,000 prospects against its floor,
//! against the simulator (unpaced: only the counts matter here).
//!
//! The floor for N prospects is ⌈N/limit⌉ writes plus the look-ups the
//! design needs (200 ids per look-up):
//!
//! - assign: ⌈N/200⌉;
//! - a re-run of a finished list (every prospect refused as already in the
//!   flow, so each chunk is looked up): 2⌈N/200⌉;
//! - unassign by CRM id from one flow: ⌈N/200⌉ look-ups and ⌈N/200⌉ writes;
//! - unassign by CRM id from every flow, each prospect in two flows:
//!   ⌈N/200⌉ look-ups and ⌈2N/200⌉ writes;
//! - unassign by instance id: ⌈N/200⌉ look-ups and ⌈N/200⌉ writes;
//! - bulk assignment: ⌈N/50⌉ submits and one poll of each bulk job.

use super::crm_id;
use anyhow::{Context as _, Result, ensure};
use gong_flows::{Client, PollPolicy};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, SimConfig, Simulator, dataset,
};
use serde::Serialize;
use std::time::Duration;

/// One write.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// What was written.
    pub write: String,
    /// Prospects (or instances) in the job.
    pub prospects: usize,
    /// Calls the job made (the simulator's count, the report's agreeing).
    pub calls: u64,
    /// The floor, as above.
    pub floor: u64,
    /// `calls / floor`.
    pub ratio: f64,
    /// Calls per 1,000 prospects.
    pub per_thousand: f64,
    /// The plan's bound before the job (`plan()`), which it must not exceed.
    pub planned: usize,
}

/// The rows, one per write.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Prospects per job.
    pub prospects: usize,
    /// One row per write.
    pub rows: Vec<Row>,
}

fn client(sim: &Simulator) -> Result<Client> {
    Ok(Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .unpaced()
        .build()?)
}

fn row(write: &str, prospects: usize, calls: u64, floor: u64, planned: usize) -> Row {
    Row {
        write: write.to_owned(),
        prospects,
        calls,
        floor,
        ratio: calls as f64 / floor.max(1) as f64,
        per_thousand: calls as f64 * 1000.0 / prospects.max(1) as f64,
        planned,
    }
}

/// Runs every write of `n` prospects and counts its calls.
pub fn run(n: usize, runtime: &tokio::runtime::Runtime) -> Result<Results> {
    let sim = Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .bulk_stage(Duration::from_millis(20)),
    )
    .context("starting the simulator")?;
    let second = dataset::SHARED_FLOW_ID;
    let client = client(&sim)?;
    let flow = dataset::SDR_FLOW_ID;
    let owner = dataset::DEFAULT_USER_EMAIL;
    let chunks = |per: usize| n.div_ceil(per) as u64;
    let ids = |offset: usize| -> Vec<String> { (offset..offset + n).map(crm_id).collect() };
    let mut rows = Vec::new();
    runtime.block_on(async {
        // Assign, then the same list again.
        let list = ids(0);
        let job = client.assign(flow, owner).prospects(&list);
        let planned = job.plan()?.calls;
        sim.reset_counters();
        let report = job.send().await?;
        ensure!(report.assigned.len() == n, "assign lost ids");
        let calls = sim.counters().total;
        ensure!(
            u64::from(report.stats.requests) == calls,
            "the report miscounts"
        );
        rows.push(row("assign", n, calls, chunks(200), planned));
        let job = client.assign(flow, owner).prospects(&list);
        let planned = job.plan()?.calls;
        sim.reset_counters();
        let report = job.send().await?;
        ensure!(report.already_in_flow.len() == n, "the re-run lost ids");
        rows.push(row(
            "assign, a re-run of a finished list",
            n,
            sim.counters().total,
            2 * chunks(200),
            planned,
        ));
        // Unassign by instance id, of the list just assigned.
        let found = client
            .prospects_flows()
            .crm_prospect_ids(list.clone())
            .send()
            .await?
            .check()?;
        let instances: Vec<String> = found
            .instances
            .iter()
            .filter_map(|i| i.flow_instance_id.clone())
            .collect();
        ensure!(instances.len() == n, "look-up lost instances");
        let job = client.unassign_instances(&instances);
        let planned = job.plan()?.calls;
        sim.reset_counters();
        let report = job.send().await?;
        ensure!(
            report.unassigned.len() == n,
            "unassign by instance lost ids"
        );
        rows.push(row(
            "unassign by instance id",
            n,
            sim.counters().total,
            2 * chunks(200),
            planned,
        ));
        // Unassign by CRM id from one flow.
        let list = ids(n);
        client.assign(flow, owner).prospects(&list).send().await?;
        let job = client.unassign_prospects(&list).flow_id(flow);
        let planned = job.plan()?.calls;
        sim.reset_counters();
        let report = job.send().await?;
        ensure!(report.unassigned.len() == n, "unassign by CRM id lost ids");
        rows.push(row(
            "unassign by CRM id, one flow",
            n,
            sim.counters().total,
            2 * chunks(200),
            planned,
        ));
        // Unassign by CRM id from every flow, each prospect in two.
        let list = ids(2 * n);
        for flow in [flow, second] {
            client.assign(flow, owner).prospects(&list).send().await?;
        }
        let job = client.unassign_prospects(&list);
        let planned = job.plan_with_reads().await?.calls;
        sim.reset_counters();
        let report = job.send().await?;
        ensure!(
            report.unassigned.len() == n,
            "unassign from every flow lost ids"
        );
        rows.push(row(
            "unassign by CRM id, every flow (2 each)",
            n,
            sim.counters().total,
            chunks(200) + (2 * n).div_ceil(200) as u64,
            planned,
        ));
        // Bulk assignment: one poll per bulk job once Gong has finished it.
        let people: Vec<gong_flows::BulkProspect> = ids(3 * n)
            .into_iter()
            .map(gong_flows::BulkProspect::crm_id)
            .collect();
        let job = client
            .bulk_assign(flow, owner)
            .poll_policy(PollPolicy {
                first_interval: Duration::from_millis(200),
                max_interval: Duration::from_millis(200),
                limit: Duration::from_secs(60),
            })
            .prospects(people);
        let planned = job.plan()?.calls;
        sim.reset_counters();
        let report = job.send().await?;
        ensure!(report.assigned.len() == n, "bulk lost prospects");
        rows.push(row(
            "bulk assignment",
            n,
            sim.counters().total,
            2 * chunks(50),
            planned,
        ));
        Ok::<_, anyhow::Error>(())
    })?;
    runtime.block_on(sim.shutdown());
    Ok(Results { prospects: n, rows })
}
