//! The tool is safe by default: it keeps report files, shows a plan before
//! removing anyone, asks before removing prospects from every flow, says
//! when a setting only buys 429s, and stops at once on SIGTERM, even while
//! it waits out a `Retry-After`.

mod common;

use common::*;
use gong_flows_sim::Endpoint;
use std::time::{Duration, Instant};

#[test]
fn a_report_file_is_overwritten_only_with_force() {
    let sim = sim();
    let dir = Dir::new();
    let path = dir.path("job.json");
    let run = |ids: &str, force: bool| {
        let mut cmd = gong(&sim);
        cmd.args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids", "-"])
            .arg("--report")
            .arg(&path)
            .write_stdin(ids.to_owned());
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    assert_eq!(code(&run("f-1\nf-2\n", false)), 0);
    let first = std::fs::read_to_string(&path).unwrap();

    let out = run("f-3\n", false);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first, "kept");
    assert_eq!(sim.times_assigned(FLOW, "f-3"), 0, "nothing was sent");

    assert_eq!(code(&run("f-3\n", true)), 0);
    assert_eq!(bucket_ids(&read_report(&path), "assigned"), ["f-3"]);
}

#[test]
fn unassign_shows_its_plan_and_asks_before_emptying_every_flow() {
    let sim = sim();
    let input = ids("plan", 7);
    let out = gong(&sim)
        .args(["--json", "unassign", "--dry-run", "--ids", "-"])
        .write_stdin(lines(&input))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let plan = json(&out);
    assert_eq!(plan["operation"], "unassign");
    assert_eq!(plan["uniqueIds"], 7);
    // From every flow, the dry run looks up who is where (none of them is
    // anywhere): one look-up, and no call to remove anything.
    assert_eq!(plan["readsMade"], 1);
    assert_eq!(plan["bounded"], true);
    assert_eq!(plan["calls"], 1);
    let out = gong(&sim)
        .args(["unassign-instances", "--dry-run", "--ids", "-"])
        .write_stdin(lines(&ids("9000000", 450)))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // A look-up and a call per chunk of 200.
    assert!(
        stdout(&out).contains("3 to 6 (200 ids per chunk)"),
        "{}",
        stdout(&out)
    );

    // Without --flow and without a terminal to ask on: refused, unless --yes.
    let out = gong(&sim)
        .args(["unassign", "--ids", "-"])
        .write_stdin(lines(&input))
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    let out = gong(&sim)
        .args(["unassign", "--flow", FLOW, "--ids", "-"])
        .write_stdin(lines(&input))
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "a flow named needs no confirmation");
    // The dry run from every flow looked them up, and so did that run
    // (none is in the flow, so none needed a call); each dry run's check
    // made one look-up; the refusal sent nothing.
    assert_eq!(sim.counters().calls(Endpoint::GetProspectsAssignedFlows), 4);
    assert_eq!(sim.counters().calls(Endpoint::UnassignProspectFlows), 0);
    assert_eq!(sim.counters().calls(Endpoint::UnassignFlows), 0);
}

#[test]
fn a_rate_above_gongs_limit_is_flagged_and_errors_are_json_with_json() {
    let sim = sim();
    // `gong` runs unpaced at --rate 1000.
    let out = gong(&sim)
        .args(["flows", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("above Gong's limit"),
        "{}",
        stderr(&out)
    );

    let out = gong(&sim)
        .args([
            "--json",
            "assign",
            "--flow",
            "not a flow id",
            "--owner",
            OWNER,
        ])
        .args(["--ids", "-"])
        .write_stdin("a\n")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    let error: serde_json::Value = serde_json::from_str(stderr(&out).trim()).unwrap();
    assert_eq!(error["error"]["kind"], "usage");
    assert_eq!(error["error"]["exitCode"], 2);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--flow")
    );

    // Nothing listens on this port: the error names where it tried to go.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let out = bare()
        .args(["--base-url", &format!("http://127.0.0.1:{port}")])
        .args(["--bearer-token", "t", "--json"])
        .args(["flows", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let error: serde_json::Value = serde_json::from_str(stderr(&out).trim()).unwrap();
    assert_eq!(error["error"]["kind"], "connection");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
}

#[test]
fn an_unknown_flow_points_at_the_flow_id_not_at_resume() {
    let sim = sim();
    let dir = Dir::new();
    let out = gong(&sim)
        .args(["assign", "--flow", "1234567890123456789", "--owner", OWNER])
        .args(["--ids", "-", "--report"])
        .arg(dir.path("job.json"))
        .write_stdin("x-1\n")
        .output()
        .unwrap();
    assert_eq!(code(&out), 4);
    let err = stderr(&out);
    assert!(err.contains("flows list"), "{err}");
    assert!(!err.contains("resume"), "{err}");
}

#[test]
fn sigterm_during_a_retry_after_wait_stops_at_once_and_marks_nothing_sent() {
    // One call per 50 s: the second assign answers 429 with a Retry-After
    // of about 50 s, which the client waits out (within its cap of 60 s).
    let sim = sim_with(
        gong_flows_sim::SimConfig::default()
            .rate_limit(Some(1))
            .rate_window(Duration::from_secs(50)),
    );
    let dir = Dir::new();
    let input = ids("term", 6);
    let path = dir.path("job.json");
    let mut child = spawn_assign(&sim, &dir, &input, 2, &path);
    wait_for_assign_calls(&sim, 2);
    // Give the client a moment to read the 429 and start waiting.
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "TERM");
    // The wait is cut short: the process ends long before the 50 s.
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("SIGTERM did not end the Retry-After wait");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert_eq!(
        sim.counters().calls(Endpoint::AssignProspects),
        2,
        "nothing was sent after the 429"
    );
    let report = read_report(&path);
    assert_accounted(&report, "assigned", "notAssigned", &input);
    assert_eq!(bucket_ids(&report, "assigned"), ["term-000", "term-001"]);
    assert_eq!(bucket_ids(&report, "notAttempted").len(), 4);
    assert!(
        report["notAttempted"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["mayHaveBeenSent"] == false),
        "a 429 was not applied, and the rest never left: {report}"
    );
    assert_eq!(sim.instance_count(), 2);
}

#[test]
fn the_dry_run_shows_the_column_it_took_and_sample_ids() {
    let sim = sim();
    let dir = Dir::new();
    let csv = dir.file(
        "export.csv",
        "First Name,Contact ID,Email\nAnn,003A1,ann@example.com\nBob,003B2,bob@example.com\n\
         Cy,003C3,cy@example.com\nDee,003D4,dee@example.com\n",
    );
    let out = gong(&sim)
        .args(["assign", "--dry-run", "--flow", FLOW, "--owner", OWNER])
        .args(["--ids", &csv])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(r#"column "Contact ID" (named like an id)"#),
        "{text}"
    );
    assert!(text.contains("003A1, 003B2, 003C3"), "{text}");
    assert!(!text.contains("003D4"), "three samples: {text}");
    assert!(stderr(&out).contains("Contact ID"), "{}", stderr(&out));

    let out = gong(&sim)
        .args([
            "--json",
            "assign",
            "--dry-run",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
        ])
        .args(["--ids", &csv])
        .output()
        .unwrap();
    let plan = json(&out);
    assert_eq!(
        plan["sample"],
        serde_json::json!(["003A1", "003B2", "003C3"])
    );
    assert_eq!(plan["uniqueIds"], 4);
    // Nothing but the checks' reads of the owner's flows.
    assert_eq!(sim.counters().calls(Endpoint::ListFlows), 2);
    assert_eq!(sim.counters().total, 2, "a dry run sends nothing");
}

#[test]
fn global_options_have_their_own_help_section_and_every_error_its_prefix() {
    let out = bare().args(["assign", "--help"]).output().unwrap();
    let help = stdout(&out);
    let (own, global) = help
        .split_once("Global options:")
        .unwrap_or_else(|| panic!("no global section: {help}"));
    assert!(
        own.contains("--flow") && !own.contains("--base-url"),
        "{help}"
    );
    assert!(
        global.contains("--base-url") && global.contains("--rate"),
        "{help}"
    );

    let sim = sim();
    let out = gong(&sim)
        .args(["steps", "--flow", FLOW, "--flow", "1234567890123456789"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 4);
    for line in stderr(&out).lines().filter(|l| !l.starts_with("warning")) {
        assert!(line.starts_with("gong-flows: error: "), "{line}");
    }
}
