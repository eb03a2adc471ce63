//! Keep a flow's membership equal to a list of CRM ids, run after run.
//!
//! ```sh
//! export GONG_BASE_URL=https://us-55616.api.gong.io
//! export GONG_ACCESS_KEY=... GONG_ACCESS_KEY_SECRET=...
//! cargo run -p gong-flows --example sync -- <flow-id> <owner-email> <ids-file> <state-file>
//! ```
//!
//! On a tenant it syncs the flow once to the ids in the file (one per line):
//! it prints the plan, applies it unless the plan is refused, and prints
//! the report. The state file (SQLite) is what the sync remembers between
//! runs: keep it, and pass the same one every time.
//!
//! Without `GONG_BASE_URL` it runs against the embedded simulator (at Gong's
//! 3 calls per second), with a state file in a temporary directory: a first
//! sync of 600 ids (one of them already put in the flow by a rep), a second
//! with 100 of them dropped and 50 added (refused by the default limit of
//! 10 % removals, then allowed with 25 %), and a third with nothing to do.

mod support;

use gong_flows::{Client, MaxRemovals, SqliteStore, SyncPlan, SyncReport};
use gong_flows_sim::{SimConfig, dataset};
use std::path::Path;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::target(SimConfig::default())?;
    let client = &target.client;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flow_id, owner, ids, state] => once(client, flow_id, owner, ids, state).await,
        [] if target.is_simulated() => demo(client).await,
        _ => {
            eprintln!("usage: sync <flow-id> <owner-email> <ids-file> <state-file>");
            std::process::exit(2);
        }
    }
}

/// One sync of `flow_id` to the ids in a file.
async fn once(
    client: &Client,
    flow_id: &str,
    owner: &str,
    ids: &str,
    state: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let ids: Vec<String> = std::fs::read_to_string(ids)?
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    let plan = client
        .sync(flow_id, owner)
        .prospects(ids)
        .store(SqliteStore::open(state)?)
        .plan()
        .await?;
    println!("{plan}");
    // A refused plan (too many removals: a truncated export?) fails here,
    // with nothing sent; raise the limit if the removals are meant
    // (`.max_removals(MaxRemovals::Percent(25.0))`).
    // A sync stopped by an error is an `Err` carrying its partial report.
    let report = match plan.apply().await {
        Ok(report) => report,
        Err(error) => {
            if let Some(partial) = error.report() {
                println!("{partial}");
            }
            return Err(error.into());
        }
    };
    println!("{report}");
    Ok(())
}

/// The simulator tour: three syncs of one flow, the state kept in between.
async fn demo(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let flow = dataset::SDR_FLOW_ID;
    let owner = dataset::DEFAULT_USER_EMAIL;
    let dir = tempfile::tempdir()?;
    let state = dir.path().join("segment.db");
    let id = |i: usize| format!("0035g{i:010}");

    // Someone else (a rep, another tool) put one of the prospects in the
    // flow: the sync leaves it alone, and will never remove it.
    client
        .assign(flow, owner)
        .prospects([id(300)])
        .send()
        .await?;

    println!("-- first sync: 600 ids");
    let first: Vec<String> = (0..600).map(id).collect();
    let plan = sync_plan(client, &state, &first, None).await?;
    apply(plan).await?;

    println!("-- second sync: 100 ids dropped, 50 added");
    let second: Vec<String> = (100..650).map(id).collect();
    // 100 removals of the 599 prospects the sync manages is more than the
    // default limit (10 %, as a truncated export would be): refused before
    // anything is written.
    let refused = sync_plan(client, &state, &second, None).await?;
    println!("with the default limit:\n{refused}");
    assert!(refused.refusal.is_some());
    // The plan holds the flow's sync lock until it is applied or dropped.
    drop(refused);
    let plan = sync_plan(client, &state, &second, Some(MaxRemovals::Percent(25.0))).await?;
    println!("with max_removals(25%):");
    let report = apply(plan).await?;
    for removal in report.unassigned.iter().take(3) {
        println!(
            "  removed {} (instance {})",
            removal.crm_prospect_id, removal.flow_instance_id
        );
    }

    println!("-- third sync: the same list, nothing to do");
    let plan = sync_plan(client, &state, &second, None).await?;
    assert!(plan.is_noop());
    apply(plan).await?;
    Ok(())
}

/// The plan of a sync of `flow` to `ids`, with the state in `state`.
async fn sync_plan(
    client: &Client,
    state: &Path,
    ids: &[String],
    max_removals: Option<MaxRemovals>,
) -> gong_flows::Result<SyncPlan> {
    let mut sync = client
        .sync(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
        .prospects(ids)
        .store(SqliteStore::open(state)?);
    if let Some(limit) = max_removals {
        sync = sync.max_removals(limit);
    }
    sync.plan().await
}

/// Prints the plan, applies it and prints the report.
async fn apply(plan: SyncPlan) -> gong_flows::Result<SyncReport> {
    println!("{plan}");
    let report = plan.apply().await?;
    println!("{report}");
    for left in &report.left_alone {
        println!(
            "  left alone {}: {}",
            left.crm_prospect_id,
            left.reason.describe()
        );
    }
    Ok(report)
}
