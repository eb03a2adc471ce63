//! The prompts of destructive commands, through a pseudo-terminal: each
//! names the tenant (profile and host), the flow's name and the counts; `n`
//! exits 0 with nothing sent, `y` sends. Without a terminal nothing asks.

#![cfg(target_os = "linux")]

mod common;

use common::*;
use gong_flows_sim::{Endpoint, Simulator};
use rexpect::process::wait::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

/// A config file with profile `p` for `sim`.
fn config(dir: &Dir, sim: &Simulator) -> String {
    let key = &sim.credentials().access_keys[0];
    dir.file(
        "config.toml",
        &format!(
            "[profiles.p]\nbase_url = \"{}\"\naccess_key = \"{}\"\nsecret_env = \"P_SECRET\"\n\
             rate = \"off\"\n",
            sim.base_url(),
            key.key
        ),
    )
}

/// The tool on a pseudo-terminal with profile `p`.
fn on_terminal(sim: &Simulator, dir: &Dir, args: &[&str]) -> PtySession {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gong-flows"));
    cmd.current_dir(dir.0.path())
        .args(["--config", &config(dir, sim), "--profile", "p"])
        .args(args)
        .env("P_SECRET", &sim.credentials().access_keys[0].secret);
    for var in ["GONG_BASE_URL", "GONG_ACCESS_KEY", "GONG_ACCESS_KEY_SECRET"] {
        cmd.env_remove(var);
    }
    for var in ["GONG_BEARER_TOKEN", "GONG_PACER_URL", "GONG_PROFILE"] {
        cmd.env_remove(var);
    }
    spawn_command(cmd, Some(60_000)).expect("the tool starts on a pseudo-terminal")
}

/// Answers the prompt that must be on screen, and the exit code.
fn answer(mut session: PtySession, prompt: &str, reply: &str) -> i32 {
    session
        .exp_string(prompt)
        .unwrap_or_else(|e| panic!("no prompt {prompt:?}: {e}"));
    session.send_line(reply).unwrap();
    if reply == "n" {
        session.exp_string("Nothing sent.").unwrap();
    }
    session.exp_eof().unwrap();
    match session.process.wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("not exited: {other:?}"),
    }
}

/// Every write call the simulator took.
fn writes(sim: &Simulator) -> u64 {
    let c = sim.counters();
    [
        Endpoint::AssignProspects,
        Endpoint::UnassignProspectFlows,
        Endpoint::UnassignFlows,
    ]
    .into_iter()
    .map(|e| c.calls(e))
    .sum()
}

/// The tenant as prompts name it.
fn tenant(sim: &Simulator) -> String {
    let host = sim.base_url();
    let host = host.trim_start_matches("http://").trim_end_matches('/');
    format!("on profile p ({host})? [y/N] ")
}

fn assign(sim: &Simulator, dir: &Dir, ids: &[String]) -> serde_json::Value {
    let report = dir.path("assign.json");
    let out = gong(sim)
        .args([
            "assign", "--flow", FLOW, "--owner", OWNER, "--force", "--ids",
        ])
        .arg(dir.file("assign.txt", &lines(ids)))
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    read_report(&report)
}

#[test]
fn unassign_asks_naming_profile_flow_and_count() {
    let sim = sim();
    let dir = Dir::new();
    let input = ids("ask", 3);
    assign(&sim, &dir, &input);
    let before = writes(&sim);
    let file = dir.file("ids.txt", &lines(&input));
    let args = [
        "unassign", "--flow", FLOW, "--ids", &file, "--force", "--report", "u.json",
    ];
    let prompt = format!(
        "Remove 3 prospects (by CRM id) from flow {FLOW} \"SDR Flow\" {}",
        tenant(&sim)
    );
    assert_eq!(answer(on_terminal(&sim, &dir, &args), &prompt, "n"), 0);
    assert_eq!(writes(&sim), before, "nothing sent after n");
    assert!(!dir.path("u.json").exists(), "no report after n");
    assert_eq!(answer(on_terminal(&sim, &dir, &args), &prompt, "y"), 0);
    assert!(writes(&sim) > before, "sent after y");
    assert_eq!(
        bucket_ids(&read_report(&dir.path("u.json")), "unassigned").len(),
        3
    );

    // From every flow it asks too, on a terminal.
    let sent = writes(&sim);
    let prompt = format!(
        "Remove 3 prospects from every flow they are in {}",
        tenant(&sim)
    );
    let session = on_terminal(
        &sim,
        &dir,
        &["unassign", "--ids", &file, "--report", "v.json"],
    );
    assert_eq!(answer(session, &prompt, "n"), 0);
    assert_eq!(writes(&sim), sent, "nothing sent after n");
}

#[test]
fn unassign_instances_asks_and_without_a_terminal_does_not() {
    let sim = sim();
    let dir = Dir::new();
    let report = assign(&sim, &dir, &ids("inst", 2));
    let instances: Vec<String> = report["assigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["flowInstanceId"].as_str().unwrap().to_owned())
        .collect();
    let file = dir.file("instances.txt", &lines(&instances));
    let args = [
        "unassign-instances",
        "--ids",
        &file,
        "--force",
        "--report",
        "i.json",
    ];
    let prompt = format!("Remove 2 flow instances {}", tenant(&sim));
    assert_eq!(answer(on_terminal(&sim, &dir, &args), &prompt, "n"), 0);
    assert_eq!(sim.counters().calls(Endpoint::UnassignFlows), 0);
    assert_eq!(answer(on_terminal(&sim, &dir, &args), &prompt, "yes"), 0);
    assert_eq!(sim.counters().calls(Endpoint::UnassignFlows), 1);

    // No terminal (cron, CI): nothing asks, the guardrails decide.
    let report = assign(&sim, &dir, &ids("cron", 1));
    let instance = report["assigned"][0]["flowInstanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = gong(&sim)
        .args(["unassign-instances", "--ids", "-"])
        .write_stdin(format!("{instance}\n"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stderr(&out).contains("[y/N]"), "{}", stderr(&out));
    assert_eq!(sim.counters().calls(Endpoint::UnassignFlows), 2);
}

#[test]
fn a_sync_with_removals_asks_and_one_without_does_not() {
    let sim = sim();
    let dir = Dir::new();
    let state = dir.path("state.db").to_string_lossy().into_owned();
    let all = ids("sync", 3);
    // Only assignments: no question, even on a terminal.
    let list = dir.file("all.txt", &lines(&all));
    let mut session = on_terminal(
        &sim,
        &dir,
        &[
            "sync", "--flow", FLOW, "--owner", OWNER, "--ids", &list, "--state", &state,
        ],
    );
    let screen = session.exp_eof().unwrap();
    assert!(!screen.contains("[y/N]"), "{screen}");
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 1);

    let one = dir.file("one.txt", &lines(&all[..1]));
    let args = [
        "sync",
        "--flow",
        FLOW,
        "--owner",
        OWNER,
        "--ids",
        &one,
        "--state",
        &state,
        "--max-removals",
        "100%",
        "--force",
        "--report",
        "s.json",
    ];
    let prompt = format!(
        "Sync: assign 0 and remove 2 prospects of flow {FLOW} \"SDR Flow\" {}",
        tenant(&sim)
    );
    let before = writes(&sim);
    assert_eq!(answer(on_terminal(&sim, &dir, &args), &prompt, "n"), 0);
    assert_eq!(writes(&sim), before, "nothing sent after n");
    assert_eq!(answer(on_terminal(&sim, &dir, &args), &prompt, "y"), 0);
    assert!(writes(&sim) > before, "the removals were sent");
}
