//! Jobs: exit codes, reports, stops by faults and limits, and `resume`
//! completing what was left with every id accounted for once.

mod common;

use common::*;
use gong_flows_sim::{Endpoint, Fault, SimConfig};
use serde_json::json;
use std::time::Duration;

/// A simulator that admits `calls` calls per hour: the next call gets a 429
/// with a `Retry-After` far beyond what the client waits out, so the job
/// stops there, deterministically.
fn sim_allowing(calls: u32) -> gong_flows_sim::Simulator {
    sim_with(
        SimConfig::default()
            .rate_limit(Some(calls))
            .rate_window(Duration::from_secs(3600))
            .daily_limit(None),
    )
}

#[test]
fn assign_all_done_exit_0_with_the_report_format() {
    let sim = sim();
    let dir = Dir::new();
    let input = ids("ok", 450);
    let path = dir.path("job.json");
    let out = gong(&sim)
        .args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids"])
        .arg(dir.file("ids.txt", &lines(&input)))
        .arg("--report")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(
        summary
            .lines()
            .any(|l| l.split_whitespace().eq(["assigned", "450"])),
        "{summary}"
    );
    let report = read_report(&path);
    assert_eq!(report["operation"], "assign");
    assert_eq!(report["flowId"], FLOW);
    assert_eq!(report["ownerEmail"], OWNER);
    assert_eq!(report["requests"], 3);
    assert_eq!(report["requestIds"].as_array().unwrap().len(), 3);
    assert_eq!(report["stopped"], serde_json::Value::Null);
    assert!(report["startedAt"].as_str().unwrap().ends_with('Z'));
    assert!(report["finishedAt"].as_str().unwrap() >= report["startedAt"].as_str().unwrap());
    let first = &report["assigned"][0];
    assert_eq!(first["crmProspectId"], "ok-000");
    assert!(first["flowInstanceId"].is_string(), "{first}");
    assert_accounted(&report, "assigned", "notAssigned", &input);
    assert_eq!(bucket_ids(&report, "assigned").len(), 450);
    assert_eq!(sim.max_times_assigned(), 1);
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 3);
}

#[test]
fn assign_with_refusals_exit_1() {
    let sim = sim();
    let input = vec!["r-1".to_owned(), "unknown-2".to_owned(), "r-3".to_owned()];
    let out = gong(&sim)
        .args([
            "assign", "--json", "--flow", FLOW, "--owner", OWNER, "--ids", "-",
        ])
        .write_stdin(lines(&input))
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        report["notAssigned"],
        json!([{"crmProspectId": "unknown-2", "errorCode": "InvalidArgument", "errorMessage": "Invalid crmId unknown-2"}])
    );
    assert_accounted(&report, "assigned", "notAssigned", &input);

    // Assigning them again: the two already in the flow are done (exit 0).
    let out = gong(&sim)
        .args([
            "assign", "--json", "--flow", FLOW, "--owner", OWNER, "--ids", "-",
        ])
        .write_stdin("r-1\nr-3\n")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(bucket_ids(&report, "alreadyInFlow"), ["r-1", "r-3"]);
    assert_eq!(report["notAssigned"], json!([]));
    assert_eq!(sim.max_times_assigned(), 1);
}

#[test]
fn bad_credentials_exit_3_and_resume_with_good_ones_completes() {
    let sim = sim();
    let dir = Dir::new();
    let input = ids("auth", 5);
    let path = dir.path("job.json");
    let out = gong(&sim)
        .args(["--access-key-secret", "wrong", "assign", "--flow", FLOW])
        .args(["--owner", OWNER, "--batch-size", "2", "--ids"])
        .arg(dir.file("ids.txt", &lines(&input)))
        .arg("--report")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("unauthorized") && err.contains("request id"),
        "{err}"
    );
    assert!(err.contains("gong-flows resume --report"), "{err}");
    let report = read_report(&path);
    assert_eq!(bucket_ids(&report, "notAttempted").len(), 5);
    assert!(
        report["stopped"].as_str().unwrap().contains("401"),
        "{report}"
    );
    assert_eq!(sim.instance_count(), 0);

    let out = gong(&sim)
        .args(["resume", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = read_report(&path);
    assert_accounted(&report, "assigned", "notAssigned", &input);
    assert_eq!(bucket_ids(&report, "assigned").len(), 5);
    assert_eq!(report["runs"], 2);
    assert_eq!(sim.max_times_assigned(), 1);

    // A read-only token is refused with 403: a missing scope, exit 6.
    let out = bare()
        .args(["--base-url", &sim.base_url()])
        .args(["--bearer-token", gong_flows_sim::DEFAULT_READ_ONLY_TOKEN])
        .args(["unassign", "--yes", "--ids", "-"])
        .write_stdin("auth-000\n")
        .output()
        .unwrap();
    assert_eq!(code(&out), 6, "{}", stderr(&out));
}

#[test]
fn unknown_flow_exit_4() {
    let sim = sim();
    let dir = Dir::new();
    let path = dir.path("job.json");
    let out = gong(&sim)
        .args(["assign", "--flow", "1234567890123456789", "--owner", OWNER])
        .args(["--ids", "-", "--report"])
        .arg(&path)
        .write_stdin("nf-1\nnf-2\n")
        .output()
        .unwrap();
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let report = read_report(&path);
    assert_eq!(bucket_ids(&report, "notAttempted"), ["nf-1", "nf-2"]);
    assert!(
        report["notAttempted"][0]["error"]
            .as_str()
            .unwrap()
            .contains("not found")
    );
}

#[test]
fn a_run_of_500s_stops_the_job_exit_5_and_resume_completes_it() {
    let sim = sim();
    let dir = Dir::new();
    let input = ids("s5", 6);
    let path = dir.path("job.json");
    // More 500s than the SDK's four attempts of the first chunk.
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::Status500, 4);
    let out = gong(&sim)
        .args([
            "--concurrency",
            "1",
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
        ])
        .args(["--batch-size", "2", "--ids"])
        .arg(dir.file("ids.txt", &lines(&input)))
        .arg("--report")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let report = read_report(&path);
    assert_accounted(&report, "assigned", "notAssigned", &input);
    let left = bucket_ids(&report, "notAttempted");
    assert_eq!(left.len(), 6, "{report}");
    assert!(report["stopped"].as_str().unwrap().contains("server error"));
    let errors: Vec<&str> = report["notAttempted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["error"].as_str().unwrap())
        .collect();
    assert!(errors[0].contains("500"), "{errors:?}");
    // The failed chunk's outcome is unknown (a 500 may follow an applied
    // write); the chunks after it were never sent.
    assert_eq!(report["notAttempted"][0]["mayHaveBeenSent"], true);
    assert_eq!(report["notAttempted"][5]["mayHaveBeenSent"], false);
    // Four attempts, then a look-up of whether a lost answer had assigned
    // anyone (a 500 may follow a write Gong applied).
    assert_eq!(report["requests"], 5);
    assert_eq!(sim.counters().calls(Endpoint::GetProspectsAssignedFlows), 1);
    // Only the failed chunk was tried: the rest waited for the resume.
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 4);

    let merged = dir.path("merged.json");
    let out = gong(&sim)
        .args(["resume", "--json", "--report"])
        .arg(&path)
        .arg("--report")
        .arg(&merged)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = read_report(&merged);
    let mut printed = json(&out);
    assert_eq!(printed["errorCounts"], serde_json::json!([]));
    printed.as_object_mut().unwrap().remove("errorCounts");
    assert_eq!(printed, report);
    assert_accounted(&report, "assigned", "notAssigned", &input);
    assert_eq!(bucket_ids(&report, "assigned").len(), 6);
    assert_eq!(report["requests"], 5 + 3);
    assert_eq!(report["stopped"], serde_json::Value::Null);
    // The original is left as it was...
    assert_eq!(bucket_ids(&read_report(&path), "notAttempted").len(), 6);
    // ...and a new job will not overwrite it by mistake.
    let out = gong(&sim)
        .args([
            "assign", "--flow", FLOW, "--owner", OWNER, "--ids", "-", "--report",
        ])
        .arg(&path)
        .write_stdin("other-1\n")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unfinished job"), "{}", stderr(&out));
    assert_eq!(bucket_ids(&read_report(&path), "notAttempted").len(), 6);
    assert_eq!(sim.max_times_assigned(), 1);
}

#[test]
fn assign_stopped_by_the_rate_limit_midway_resumes_exactly_the_rest() {
    let sim = sim_allowing(2);
    let dir = Dir::new();
    let input = ids("rl", 6);
    let path = dir.path("job.json");
    let out = gong(&sim)
        .args([
            "--concurrency",
            "1",
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
        ])
        .args(["--batch-size", "2", "--ids"])
        .arg(dir.file("ids.txt", &lines(&input)))
        .arg("--report")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let report = read_report(&path);
    assert_accounted(&report, "assigned", "notAssigned", &input);
    assert_eq!(bucket_ids(&report, "assigned"), input[..4]);
    assert_eq!(bucket_ids(&report, "notAttempted"), input[4..]);
    assert!(report["stopped"].as_str().unwrap().contains("rate limited"));

    sim.set_rate_limit(None).unwrap();
    let out = gong(&sim)
        .args(["resume", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = read_report(&path);
    assert_accounted(&report, "assigned", "notAssigned", &input);
    assert_eq!(bucket_ids(&report, "assigned"), input);
    // Exactly the rest was sent: one more call.
    assert_eq!(sim.counters().succeeded(Endpoint::AssignProspects), 3);
    assert_eq!(sim.max_times_assigned(), 1);

    // Nothing left: resume says so and changes nothing.
    let before = read_report(&path);
    let out = gong(&sim)
        .args(["resume", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("nothing to resume"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read_report(&path), before);
}

/// Assigns `input` to the flow; returns the flow instance ids.
fn assign_all(sim: &gong_flows_sim::Simulator, input: &[String]) -> Vec<String> {
    let out = gong(sim)
        .args([
            "assign", "--json", "--flow", FLOW, "--owner", OWNER, "--ids", "-",
        ])
        .write_stdin(lines(input))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    json(&out)["assigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["flowInstanceId"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn unassign_by_crm_id_stopped_midway_then_resumed() {
    let sim = sim_allowing(1000);
    let dir = Dir::new();
    let input = ids("un", 250);
    assign_all(&sim, &input);
    // Two calls an hour: the first chunk's look-up of who is in the flow
    // and its one call for their 200 instances, then a long 429.
    sim.reset_rate_limits();
    sim.set_rate_limit(Some(2)).unwrap();
    let path = dir.path("unassign.json");
    let mut ids_with_one_more = input.clone();
    ids_with_one_more.push("never-assigned".to_owned());
    let out = gong(&sim)
        .args([
            "--concurrency",
            "1",
            "unassign",
            "--flow",
            FLOW,
            "--by",
            OWNER,
        ])
        .arg("--ids")
        .arg(dir.file("ids.txt", &lines(&ids_with_one_more)))
        .arg("--report")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let report = read_report(&path);
    assert_eq!(report["operation"], "unassign");
    assert_eq!(report["flowId"], FLOW);
    assert_eq!(report["unassignedBy"], OWNER);
    assert_accounted(&report, "unassigned", "notUnassigned", &ids_with_one_more);
    assert_eq!(bucket_ids(&report, "unassigned"), input[..200]);
    assert_eq!(bucket_ids(&report, "notAttempted").len(), 51);
    assert_eq!(report["requests"], 3, "two calls, and the refused one");
    assert!(report["unassigned"][0]["flowInstanceIds"][0].is_string());

    sim.set_rate_limit(None).unwrap();
    let out = gong(&sim)
        .args(["resume", "--json", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    // The prospect that was never in the flow is not unassigned: exit 1.
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = read_report(&path);
    assert_accounted(&report, "unassigned", "notUnassigned", &ids_with_one_more);
    assert_eq!(bucket_ids(&report, "unassigned"), input);
    assert_eq!(bucket_ids(&report, "notUnassigned"), ["never-assigned"]);
    for id in &input {
        assert!(
            sim.state().open_instances_of(id).is_empty(),
            "{id} still in a flow"
        );
    }
}

#[test]
fn unassign_instances_stopped_midway_then_resumed() {
    let sim = sim_allowing(1000);
    let dir = Dir::new();
    let prospects = ids("ui", 250);
    let mut instances = assign_all(&sim, &prospects);
    instances.push("9999999999999999".to_owned()); // unknown: refused by Gong
    sim.reset_rate_limits();
    // Two calls an hour: the look-up and the call of the first chunk of
    // 200, then a long 429.
    sim.set_rate_limit(Some(2)).unwrap();
    let path = dir.path("instances.json");
    let out = gong(&sim)
        .args([
            "--concurrency",
            "1",
            "unassign-instances",
            "--by",
            OWNER,
            "--ids",
        ])
        .arg(dir.file(
            "instances.csv",
            &format!("flowInstanceId\n{}", lines(&instances)),
        ))
        .args(["--column", "flowInstanceId", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let report = read_report(&path);
    assert_eq!(report["operation"], "unassign-instances");
    assert_accounted(&report, "unassigned", "notUnassigned", &instances);
    assert_eq!(bucket_ids(&report, "unassigned").len(), 200);
    assert_eq!(
        report["unassigned"][0],
        json!({"flowInstanceId": instances[0]})
    );
    assert_eq!(bucket_ids(&report, "notAttempted").len(), 51);

    sim.set_rate_limit(None).unwrap();
    let out = gong(&sim)
        .args(["resume", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = read_report(&path);
    assert_accounted(&report, "unassigned", "notUnassigned", &instances);
    assert_eq!(bucket_ids(&report, "unassigned").len(), 250);
    assert_eq!(bucket_ids(&report, "notUnassigned"), ["9999999999999999"]);
}

#[test]
fn resume_sends_exactly_the_not_attempted_ids_and_reconciles_unknown_outcomes() {
    let sim = sim();
    let dir = Dir::new();
    // "k-1" is in the flow already: an earlier run's lost answer.
    assign_all(&sim, &["k-1".to_owned()]);
    let report = json!({
        "operation": "assign",
        "flowId": FLOW,
        "ownerEmail": OWNER,
        "assigned": [{"crmProspectId": "done-1", "flowInstanceId": "1", "reconciled": false}],
        "notAssigned": [{"crmProspectId": "unknown-9", "errorCode": "InvalidArgument", "errorMessage": "Invalid crmId unknown-9"}],
        "notAttempted": [
            {"crmProspectId": "k-1", "error": "server error", "mayHaveBeenSent": true},
            {"crmProspectId": "k-2", "error": "not started", "mayHaveBeenSent": false}
        ],
        "duplicates": ["done-1"],
        "requests": 5,
        "requestIds": ["x"],
        "stopped": "server error",
        "startedAt": "2026-01-01T00:00:00.000Z",
        "finishedAt": "2026-01-01T00:00:01.000Z"
    });
    let path = dir.file("old.json", &report.to_string());
    sim.reset_counters();
    let out = gong(&sim)
        .args(["resume", &path, "--json"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let merged = json(&out);
    let all = ["done-1", "unknown-9", "k-1", "k-2"].map(String::from);
    assert_accounted(&merged, "assigned", "notAssigned", &all);
    assert_eq!(bucket_ids(&merged, "assigned"), ["done-1", "k-2", "k-1"]);
    assert_eq!(merged["assigned"][1]["reconciled"], false);
    assert_eq!(merged["assigned"][2]["reconciled"], true);
    assert_eq!(merged["duplicates"], json!(["done-1"]));
    assert_eq!(merged["startedAt"], "2026-01-01T00:00:00.000Z");
    assert_eq!(merged["runs"], 2);
    // One assign call with exactly the two ids; one look-up for k-1.
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 1);
    assert_eq!(sim.times_assigned(FLOW, "done-1"), 0);
    assert_eq!(sim.times_assigned(FLOW, "k-1"), 1);
    assert_eq!(sim.max_times_assigned(), 1);

    // A damaged report is refused before anything is sent.
    let mut damaged = report.clone();
    damaged["notAttempted"][1]["crmProspectId"] = json!("done-1");
    let path = dir.file("damaged.json", &damaged.to_string());
    sim.reset_counters();
    let out = gong(&sim).args(["resume", &path]).output().unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("more than once"), "{}", stderr(&out));
    assert_eq!(sim.counters().total, 0);
}

#[cfg(unix)]
#[test]
fn ctrl_c_finishes_the_calls_in_flight_and_writes_a_resumable_report() {
    let sim = sim_with(
        SimConfig::default()
            .no_rate_limits()
            .latency(gong_flows_sim::Latency::Fixed(Duration::from_millis(100))),
    );
    let dir = Dir::new();
    let input = ids("cc", 40);
    let path = dir.path("job.json");
    let child = spawn_assign(&sim, &dir, &input, 1, &path);
    // Interrupt once the job is under way (40 calls of 100 ms each).
    wait_for_assign_calls(&sim, 1);
    signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("Interrupted"), "{}", stderr(&out));
    let report = read_report(&path);
    assert_accounted(&report, "assigned", "notAssigned", &input);
    let done = bucket_ids(&report, "assigned").len();
    assert!((1..40).contains(&done), "{report}");
    // The call in flight was finished, not abandoned: no unknown outcomes,
    // and what the report says assigned is what Gong has.
    assert!(
        report["notAttempted"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["mayHaveBeenSent"] == false),
        "{report}"
    );
    assert_eq!(sim.instance_count(), done);

    let out = gong(&sim)
        .args(["resume", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = read_report(&path);
    assert_accounted(&report, "assigned", "notAssigned", &input);
    assert_eq!(bucket_ids(&report, "assigned").len(), 40);
    assert_eq!(sim.max_times_assigned(), 1);
}
