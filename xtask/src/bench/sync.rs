//! A sync of N ids at Gong's rate against the simulator: the calls each
//! run makes against its floor, and its wall time against the time those
//! calls take at the rate.
//!
//! Three runs of one flow, its state in a `SqliteStore` file (as the CLI's
//! `--state` keeps it): a first sync of N ids (N assigns), a second with
//! 2 % of them dropped and 1 % added, and a re-run of the second list
//! (nothing to write). The simulator limits calls to the rate (Gong's 3 a
//! second in the full run) and the client paces with the SDK's defaults at
//! that rate.
//!
//! The floor of a run over P prospects (those listed, and those the sync
//! has in the flow and no longer finds listed) is ⌈P/200⌉ look-ups, plus the
//! writes the diff needs: ⌈adds/200⌉ assign calls and ⌈removals/200⌉
//! unassign calls. A run in which listed members the sync put in the flow
//! have left it (finished, or removed by someone else) needs ⌈gone/200⌉
//! more look-ups, by instance id, to tell which; none of these runs does.
//! Its time floor is calls/R: the rate, not the client, sets the pace.
//!
//! Removals go through the unassign-by-instance job, which looks its
//! instances up before it removes them (one look-up per 200 removals)
//! although the plan has just found them open: a run that removes is over
//! its floor by that much, and the goal says so.

use super::{crm_id, secs};
use anyhow::{Context as _, Result, ensure};
use gong_flows::{Client, SqliteStore, SyncPlan, SyncReport};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, Endpoint, Latency, SimConfig, Simulator, dataset,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Ids per look-up and per write call.
pub const PER_CALL: usize = 200;

/// Per 10,000 ids of the first list, dropped from it for the second.
pub const DROPPED_PER_10K: usize = 200;

/// Per 10,000 ids of the first list, added to it for the second.
pub const ADDED_PER_10K: usize = 100;

/// One run's floor, in calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Floor {
    /// ⌈P/200⌉ look-ups, plus ⌈gone/200⌉ by instance id.
    pub look_ups: u64,
    /// ⌈adds/200⌉ assign calls.
    pub assigns: u64,
    /// ⌈removals/200⌉ unassign calls.
    pub unassigns: u64,
}

impl Floor {
    /// The floor of a run over `prospects` (listed, or in the flow by the
    /// sync and no longer listed) that adds `adds` and removes `removals`, in which
    /// `gone` listed members left the flow (a look-up by their instance ids
    /// tells how).
    pub fn of(prospects: usize, adds: usize, removals: usize, gone: usize) -> Floor {
        let calls = |n: usize| n.div_ceil(PER_CALL) as u64;
        Floor {
            look_ups: calls(prospects) + calls(gone),
            assigns: calls(adds),
            unassigns: calls(removals),
        }
    }

    /// Every call of the floor.
    pub fn calls(self) -> u64 {
        self.look_ups + self.assigns + self.unassigns
    }
}

/// The lists of the three runs for `n` ids: the first, and the second
/// (every 50th id dropped, and 1 % new ids added).
pub fn lists(n: usize) -> (Vec<String>, Vec<String>) {
    let first: Vec<String> = (0..n).map(crm_id).collect();
    let dropped = n * DROPPED_PER_10K / 10_000;
    let added = n * ADDED_PER_10K / 10_000;
    let every = n.checked_div(dropped).unwrap_or(usize::MAX);
    let mut second: Vec<String> = (0..n)
        .filter(|i| dropped == 0 || i % every != 0 || i / every >= dropped)
        .map(crm_id)
        .collect();
    second.extend((n..n + added).map(crm_id));
    (first, second)
}

/// One run.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Which run.
    pub run: String,
    /// Unique ids listed.
    pub listed: usize,
    /// Prospects the sync managed before the run.
    pub managed_before: usize,
    /// Prospects the run assigned.
    pub assigned: usize,
    /// Prospects the run removed.
    pub removed: usize,
    /// Look-ups the simulator answered (`POST /v2/flows/prospects`).
    pub look_ups: u64,
    /// Assign calls the simulator answered.
    pub assigns: u64,
    /// Unassign-by-instance calls the simulator answered.
    pub unassigns: u64,
    /// Every call the simulator received in the run, 429s included.
    pub calls: u64,
    /// The floor.
    pub floor: Floor,
    /// `calls − floor` (negative: under the floor, which would be a bug).
    pub over_floor: i64,
    /// The plan's bound: its look-ups and the most writes it said the
    /// apply makes.
    pub planned: usize,
    /// From opening the store to the report, s.
    pub wall_s: f64,
    /// `calls / rate`, s.
    pub time_floor_s: f64,
    /// `wall_s / time_floor_s`.
    pub ratio_to_time_floor: f64,
    /// 429s the simulator served.
    pub server_429s: u64,
}

/// The sync benchmark's results.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Ids of the first list.
    pub ids: usize,
    /// The simulator's limit and the client's rate, calls/s.
    pub rate: u32,
    /// The simulator's latency per call, ms.
    pub latency_ms: u64,
    /// Where the state was kept.
    pub store: String,
    /// The three runs.
    pub rows: Vec<Row>,
}

/// The SDK's defaults, at `rate`, with no daily budget (the simulator
/// keeps none either: the run is about pace, not the day's quota).
fn client(sim: &Simulator, rate: u32) -> Result<Client> {
    Ok(Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .rate_limit(f64::from(rate))
        .daily_budget(None)
        .build()?)
}

/// What a run's plan said, kept past the apply that consumes it.
#[derive(Debug, Clone, Copy)]
struct Planned {
    listed: usize,
    managed: usize,
    to_assign: usize,
    to_unassign: usize,
    forget: usize,
    reads_made: u32,
    calls: usize,
}

impl Planned {
    fn of(plan: &SyncPlan) -> Planned {
        Planned {
            listed: plan.listed,
            managed: plan.managed,
            to_assign: plan.to_assign.len(),
            to_unassign: plan.to_unassign.len(),
            forget: plan.forget.len(),
            reads_made: plan.reads_made,
            calls: plan.calls,
        }
    }
}

/// One sync, as a scheduled job runs it: the store opened, the plan made
/// and applied.
async fn sync(client: &Client, state: &Path, ids: &[String]) -> Result<(Planned, SyncReport)> {
    let plan = client
        .sync(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
        .prospects(ids)
        .store(SqliteStore::open(state)?)
        .plan()
        .await?;
    ensure!(plan.refusal.is_none(), "refused: {plan}");
    let planned = Planned::of(&plan);
    let report = plan.apply().await?;
    ensure!(report.is_in_step(), "not in step: {report}");
    Ok((planned, report))
}

/// Runs the three syncs of `n` ids at `rate` calls/s.
pub fn run(
    n: usize,
    rate: u32,
    latency: Duration,
    runtime: &tokio::runtime::Runtime,
) -> Result<Results> {
    let sim = Simulator::start(
        SimConfig::default()
            .rate_limit(Some(rate))
            .daily_limit(None)
            .latency(Latency::Fixed(latency)),
    )
    .context("starting the simulator")?;
    let client = client(&sim, rate)?;
    let dir = scratch_dir()?;
    let state = dir.join("sync.db");
    let (first, second) = lists(n);
    let runs: [(&str, &[String]); 3] = [
        ("first sync", &first),
        ("2 % dropped, 1 % added", &second),
        ("re-run, nothing to do", &second),
    ];
    let mut rows = Vec::new();
    let outcome = runtime.block_on(async {
        for (run, list) in runs {
            eprintln!(
                "  sync: {run}, {} ids at {rate}/s …",
                super::report::thousands(list.len() as u64)
            );
            sim.reset_counters();
            let started = Instant::now();
            let (plan, report) = sync(&client, &state, list).await?;
            let wall = started.elapsed();
            let counters = sim.counters();
            ensure!(
                u64::from(report.stats.requests) == counters.total,
                "{run}: the report counts {} calls, the simulator {}",
                report.stats.requests,
                counters.total
            );
            let floor = Floor::of(
                plan.listed + plan.forget + plan.to_unassign,
                plan.to_assign,
                plan.to_unassign,
                0,
            );
            rows.push(Row {
                run: run.to_owned(),
                listed: plan.listed,
                managed_before: plan.managed,
                assigned: report.assigned.len(),
                removed: report.unassigned.len(),
                look_ups: counters.calls(Endpoint::GetProspectsAssignedFlows),
                assigns: counters.calls(Endpoint::AssignProspects),
                unassigns: counters.calls(Endpoint::UnassignFlows),
                calls: counters.total,
                floor,
                over_floor: counters.total as i64 - floor.calls() as i64,
                planned: plan.reads_made as usize + plan.calls,
                wall_s: secs(wall),
                time_floor_s: counters.total as f64 / f64::from(rate),
                ratio_to_time_floor: secs(wall) * f64::from(rate) / counters.total.max(1) as f64,
                server_429s: counters.too_many_requests(),
            });
        }
        Ok::<_, anyhow::Error>(())
    });
    runtime.block_on(sim.shutdown());
    let _ = std::fs::remove_dir_all(&dir);
    outcome?;
    let (first, second, rerun) = (&rows[0], &rows[1], &rows[2]);
    ensure!(
        first.assigned == n,
        "the first sync assigned {}",
        first.assigned
    );
    ensure!(
        second.assigned == n * ADDED_PER_10K / 10_000
            && second.removed == n * DROPPED_PER_10K / 10_000,
        "the second sync assigned {} and removed {}",
        second.assigned,
        second.removed
    );
    ensure!(
        rerun.assigned == 0 && rerun.removed == 0,
        "the re-run wrote"
    );
    Ok(Results {
        ids: n,
        rate,
        latency_ms: latency.as_millis() as u64,
        store: "SqliteStore".to_owned(),
        rows,
    })
}

/// A directory of this process's own for the state file.
fn scratch_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("gong-flows-bench-sync-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_floor_of_each_run_of_100000_ids() {
        let n = 100_000;
        // First: every id looked up, then assigned.
        let first = Floor::of(n, n, 0, 0);
        assert_eq!(
            (first.look_ups, first.assigns, first.unassigns),
            (500, 500, 0)
        );
        assert_eq!(first.calls(), 1_000);
        // Second: 99,000 listed and the 2,000 dropped looked up; 1,000
        // assigned, 2,000 removed.
        let second = Floor::of(99_000 + 2_000, 1_000, 2_000, 0);
        assert_eq!(
            (second.look_ups, second.assigns, second.unassigns),
            (505, 5, 10)
        );
        assert_eq!(second.calls(), 520);
        // Re-run: the 99,000 listed looked up, nothing written.
        assert_eq!(Floor::of(99_000, 0, 0, 0).calls(), 495);
        // Listed members gone from the flow: a look-up by instance id per
        // 200 of them.
        assert_eq!(Floor::of(99_000, 0, 0, 1).calls(), 496);
        assert_eq!(Floor::of(99_000, 0, 0, 201).calls(), 497);
        // Partial calls count whole.
        assert_eq!(Floor::of(201, 1, 199, 0).calls(), 2 + 1 + 1);
        assert_eq!(Floor::of(0, 0, 0, 0).calls(), 0);
    }

    #[test]
    fn the_second_list_drops_2_and_adds_1_percent() {
        for n in [2_000, 100_000] {
            let (first, second) = lists(n);
            assert_eq!(first.len(), n);
            let first: HashSet<&String> = first.iter().collect();
            let second: HashSet<&String> = second.iter().collect();
            assert_eq!(first.difference(&second).count(), n / 50, "dropped");
            assert_eq!(second.difference(&first).count(), n / 100, "added");
        }
        let (_, second) = lists(2_000);
        assert!(!second.contains(&crm_id(0)));
        assert!(second.contains(&crm_id(1)));
        assert!(second.contains(&crm_id(2_019)));
    }
}
