//! `sync`: a flow kept equal to a list through a state file, its plan and
//! guard, and stops of every kind (Ctrl-C, kill -9, a second sync) that the
//! next run finishes without assigning anyone twice.

mod common;

use common::*;
use gong_flows::FlowInstanceStatus;
use gong_flows_sim::{Endpoint, Latency, SimConfig, Simulator};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

/// `sync` of the ids in `ids` with the state in `state`.
fn sync(sim: &Simulator, ids: &str, state: &Path) -> assert_cmd::Command {
    let mut cmd = gong(sim);
    cmd.args(["sync", "--flow", FLOW, "--owner", OWNER, "--ids", ids])
        .arg("--state")
        .arg(state);
    cmd
}

/// The same sync as a child process, one call at a time, unpaced, writing
/// its report to `report`; stderr is captured.
fn spawn_sync(sim: &Simulator, ids: &str, state: &Path, report: &Path) -> std::process::Child {
    use std::process::Stdio;
    let key = sim.credentials().access_keys[0].clone();
    std::process::Command::new(env!("CARGO_BIN_EXE_gong-flows"))
        .args(["--base-url", &sim.base_url(), "--access-key", &key.key])
        .args(["--access-key-secret", &key.secret, "--rate", "off"])
        .args([
            "--concurrency",
            "1",
            "sync",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
        ])
        .args(["--ids", ids, "--state"])
        .arg(state)
        .arg("--report")
        .arg(report)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A simulator whose every answer takes `ms` milliseconds.
fn slow_sim(ms: u64) -> Simulator {
    sim_with(
        SimConfig::default()
            .no_rate_limits()
            .latency(Latency::Fixed(Duration::from_millis(ms))),
    )
}

/// The calls that change a flow's membership.
fn writes(sim: &Simulator) -> u64 {
    let c = sim.counters();
    c.calls(Endpoint::AssignProspects)
        + c.calls(Endpoint::UnassignFlows)
        + c.calls(Endpoint::UnassignProspectFlows)
        + c.calls(Endpoint::SubmitFlowProspectsBulkAssignment)
}

/// The CRM ids with an open instance in `FLOW`.
fn members(sim: &Simulator) -> BTreeSet<String> {
    sim.state()
        .instances
        .into_iter()
        .filter(|i| i.flow_id == FLOW)
        .filter(|i| {
            !matches!(
                i.status,
                FlowInstanceStatus::Finished
                    | FlowInstanceStatus::FinishedNoReply
                    | FlowInstanceStatus::FinishedResponse
            )
        })
        .map(|i| i.crm_prospect_id)
        .collect()
}

fn set(ids: &[String]) -> BTreeSet<String> {
    ids.iter().cloned().collect()
}

/// Every id of a sync report, once each across its buckets.
fn accounted(report: &serde_json::Value) -> BTreeSet<String> {
    let mut all = Vec::new();
    for bucket in ["assigned", "notAssigned", "notAttempted", "leftAlone"] {
        all.extend(bucket_ids(report, bucket));
    }
    for bucket in ["unchanged", "adopted"] {
        let ids = report[bucket].as_array().expect("a list");
        all.extend(ids.iter().map(|id| id.as_str().unwrap().to_owned()));
    }
    let unique: BTreeSet<String> = all.iter().cloned().collect();
    assert_eq!(unique.len(), all.len(), "an id appears twice: {report}");
    unique
}

#[test]
fn a_dry_run_only_looks_up_the_apply_assigns_and_a_re_run_writes_nothing() {
    let sim = sim();
    let dir = Dir::new();
    let input = ids("s", 450);
    let file = dir.file("ids.txt", &lines(&input));
    let state = dir.path("state.db");

    let out = sync(&sim, &file, &state)
        .args(["--dry-run", "--json"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let plan = json(&out);
    assert!(plan.is_object(), "{plan}");
    assert_eq!(plan["toAssign"].as_u64(), Some(450), "{plan}");
    assert_eq!(plan["toUnassign"].as_u64(), Some(0));
    assert_eq!(plan["unchanged"].as_u64(), Some(0));
    assert!(plan["calls"].as_u64().unwrap() >= 3, "{plan}");
    assert_eq!(writes(&sim), 0, "a dry run writes nothing");
    let counters = sim.counters();
    assert!(counters.total > 0);
    assert_eq!(
        counters.total,
        counters.calls(Endpoint::GetProspectsAssignedFlows),
        "only look-ups"
    );

    let report = dir.path("first.json");
    let out = sync(&sim, &file, &state)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("450 assigned, 0 removed"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("assign 450, remove 0"),
        "the plan first"
    );
    assert_eq!(members(&sim), set(&input));
    let saved = read_report(&report);
    assert_eq!(bucket_ids(&saved, "assigned").len(), 450);
    assert_eq!(accounted(&saved), set(&input));

    // The same list again: nothing to write, and the report goes to a
    // file of its own.
    sim.reset_counters();
    let out = sync(&sim, &file, &state).arg("--json").output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(writes(&sim), 0);
    let shown = json(&out);
    assert_eq!(shown["unchanged"].as_array().unwrap().len(), 450, "{shown}");
    assert!(
        stderr(&out).contains("report: gong-flows-sync-"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sim.max_times_assigned(), 1);
}

#[test]
fn a_truncated_list_is_refused_with_nothing_written_unless_the_limit_allows_it() {
    let sim = sim();
    let dir = Dir::new();
    let input = ids("t", 400);
    let state = dir.path("state.db");
    let all = dir.file("all.txt", &lines(&input));
    let out = sync(&sim, &all, &state).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let half = dir.file("half.txt", &lines(&input[..200]));
    let before = writes(&sim);
    let out = sync(&sim, &half, &state).output().unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("truncated") && err.contains("--max-removals"),
        "{err}"
    );
    // Its dry run says so too, with the same exit code.
    let out = sync(&sim, &half, &state)
        .args(["--dry-run", "--json"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let plan = json(&out);
    assert_eq!(plan["toUnassign"].as_u64(), Some(200), "{plan}");
    assert!(plan["refusal"].as_str().unwrap().contains("truncated"));
    assert_eq!(writes(&sim), before, "nothing written");
    assert_eq!(members(&sim), set(&input));

    let out = sync(&sim, &half, &state)
        .args(["--max-removals", "60%"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(members(&sim), set(&input[..200]));
}

#[cfg(unix)]
#[test]
fn a_sync_killed_mid_apply_is_finished_by_the_next_run_without_assigning_twice() {
    let sim = slow_sim(100);
    let dir = Dir::new();
    let input = ids("k", 6000);
    let file = dir.file("ids.txt", &lines(&input));
    let state = dir.path("state.db");
    // 30 look-ups, then 30 assigns of 200, 100 ms each.
    let child = spawn_sync(&sim, &file, &state, &dir.path("killed.json"));
    wait_for_assign_calls(&sim, 3);
    signal(&child, "KILL");
    let _ = child.wait_with_output().unwrap();
    let assigned = members(&sim).len();
    assert!(assigned < 6000, "killed before the end: {assigned}");

    sim.set_latency(Latency::None).unwrap();
    let out = sync(&sim, &file, &state).arg("--json").output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(members(&sim), set(&input));
    assert_eq!(sim.max_times_assigned(), 1, "nobody assigned twice");
    let report = json(&out);
    assert_eq!(accounted(&report), set(&input));
}

#[cfg(unix)]
#[test]
fn a_second_sync_of_the_flow_on_the_state_file_fails_fast_while_the_first_runs() {
    // One call per 50 s: the first sync's look-up goes through, its assign
    // waits out a Retry-After of about 50 s, holding the flow's lock.
    let sim = sim_with(
        SimConfig::default()
            .rate_limit(Some(1))
            .rate_window(Duration::from_secs(50)),
    );
    let dir = Dir::new();
    let file = dir.file("ids.txt", &lines(&ids("l", 2)));
    let state = dir.path("state.db");
    let mut first = spawn_sync(&sim, &file, &state, &dir.path("first.json"));
    wait_for_assign_calls(&sim, 1);
    let calls = sim.counters().total;
    let out = sync(&sim, &file, &state).output().unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("is being synced by another process (pid"),
        "{err}"
    );
    assert_eq!(sim.counters().total, calls, "the second sent nothing");
    assert!(first.try_wait().unwrap().is_none(), "the first still runs");
    signal(&first, "TERM");
    let out = first.wait_with_output().unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_apply_with_a_report_of_every_id_and_the_next_run_converges() {
    let sim = slow_sim(100);
    let dir = Dir::new();
    let input = ids("c", 2000);
    let file = dir.file("ids.txt", &lines(&input));
    let state = dir.path("state.db");
    let report = dir.path("stopped.json");
    let child = spawn_sync(&sim, &file, &state, &report);
    wait_for_assign_calls(&sim, 2);
    signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Interrupted") && err.contains("sync again"),
        "{err}"
    );
    let saved = read_report(&report);
    assert_eq!(accounted(&saved), set(&input));
    let done = bucket_ids(&saved, "assigned").len();
    assert!((1..2000).contains(&done), "{saved}");
    assert!(
        saved["notAttempted"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["mayHaveBeenSent"] == false),
        "the calls in flight were finished: {saved}"
    );
    assert_eq!(members(&sim).len(), done);

    sim.set_latency(Latency::None).unwrap();
    let out = sync(&sim, &file, &state).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(members(&sim), set(&input));
    assert_eq!(sim.max_times_assigned(), 1);
}

#[test]
fn bad_input_sends_nothing() {
    let sim = sim();
    let dir = Dir::new();
    let state = dir.path("state.db");
    let bad = dir.file("ids.txt", "ok-1\nbad id\n");
    let out = sync(&sim, &bad, &state).output().unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("ids.txt:2"), "{}", stderr(&out));
    assert!(!state.exists(), "no state made for a bad list");

    let good = dir.file("good.txt", "ok-1\n");
    let out = sync(&sim, &good, &dir.path("missing/state.db"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));

    let out = gong(&sim)
        .args(["sync", "--flow", FLOW, "--owner", OWNER, "--ids", &good])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--state <FILE>"), "{}", stderr(&out));
    assert_eq!(sim.counters().total, 0, "no call at all");

    let out = bare().args(["sync", "--help"]).output().unwrap();
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("Exit codes"), "{}", stdout(&out));
}
