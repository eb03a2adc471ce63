//! The CLI at the edges: a report bound to its company, one process per
//! report, a report kept without `--report`, and a report that cannot be
//! written where asked.

mod common;

use common::*;
use gong_flows_sim::SimConfig;
use std::time::Duration;

fn slow_sim(ms: u64) -> gong_flows_sim::Simulator {
    sim_with(
        SimConfig::default()
            .no_rate_limits()
            .latency(gong_flows_sim::Latency::Fixed(Duration::from_millis(ms))),
    )
}

#[test]
fn a_report_is_resumed_only_against_its_own_company() {
    // Two calls an hour: the job stops part-way, with something to resume.
    let first = sim_with(
        SimConfig::default()
            .rate_limit(Some(2))
            .rate_window(Duration::from_secs(3600))
            .daily_limit(None),
    );
    let dir = Dir::new();
    let input = ids("co", 6);
    let path = dir.path("job.json");
    let out = gong(&first)
        .args([
            "--concurrency",
            "1",
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
        ])
        .args(["--chunk-size", "2", "--ids"])
        .arg(dir.file("ids.txt", &lines(&input)))
        .arg("--report")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let left = bucket_ids(&read_report(&path), "notAttempted").len();
    assert!(left > 0, "{}", stderr(&out));
    // Another company (another simulator, other credentials).
    let second = sim();
    let out = gong(&second)
        .args(["resume", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--other-company"), "{}", stderr(&out));
    assert_eq!(
        second.counters().total,
        0,
        "nothing sent to the other company"
    );
    let out = gong(&second)
        .args(["resume", "--other-company", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(second.instance_count(), left);
}

#[test]
fn a_second_process_on_a_running_report_refuses() {
    let sim = slow_sim(150);
    let dir = Dir::new();
    let input = ids("lk", 30);
    let path = dir.path("job.json");
    let child = spawn_assign(&sim, &dir, &input, 1, &path);
    wait_for_assign_calls(&sim, 1);
    let out = gong(&sim)
        .args(["resume", "--report"])
        .arg(&path)
        .output()
        .unwrap();
    let message = stderr(&out);
    assert_ne!(code(&out), 0, "{message}");
    assert!(message.contains("pid"), "names the holder: {message}");
    signal(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    // Nothing went out twice.
    assert_eq!(sim.max_times_assigned(), 1);
    let report = read_report(&path);
    assert_accounted(&report, "assigned", "notAssigned", &input);
}

#[test]
fn without_report_an_interrupted_job_keeps_a_default_report_to_resume() {
    let sim = slow_sim(100);
    let dir = Dir::new();
    let input = ids("df", 40);
    let key = sim.credentials().access_keys[0].clone();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gong-flows"))
        .current_dir(dir.0.path())
        .env_remove("GONG_BEARER_TOKEN")
        .args(["--base-url", &sim.base_url(), "--access-key", &key.key])
        .args(["--access-key-secret", &key.secret, "--rate", "off"])
        .args([
            "--concurrency",
            "1",
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
        ])
        .args(["--chunk-size", "1", "--ids"])
        .arg(dir.file("ids.txt", &lines(&input)))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_assign_calls(&sim, 2);
    signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let reports: Vec<_> = std::fs::read_dir(dir.0.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("gong-flows-assign-") && name.ends_with(".json")
        })
        .collect();
    assert_eq!(reports.len(), 1, "one default report: {reports:?}");
    let name = reports[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        stderr(&out).contains(&name),
        "its path is printed: {}",
        stderr(&out)
    );
    assert_accounted(&read_report(&reports[0]), "assigned", "notAssigned", &input);
    let out = gong(&sim)
        .args(["resume", "--report"])
        .arg(&reports[0])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(sim.instance_count(), 40);
    assert_eq!(sim.max_times_assigned(), 1);
    // No lock file is left beside it.
    let left: Vec<_> = std::fs::read_dir(dir.0.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lock"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_report_that_cannot_be_written_goes_to_a_fallback_and_the_exit_code_says_calls_were_made() {
    let sim = slow_sim(100);
    let dir = Dir::new();
    let tmp = Dir::new();
    let input = ids("fb", 20);
    let reports = dir.path("reports");
    std::fs::create_dir(&reports).unwrap();
    let path = reports.join("job.json");
    let key = sim.credentials().access_keys[0].clone();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gong-flows"))
        .env("TMPDIR", tmp.0.path())
        .env_remove("GONG_BEARER_TOKEN")
        .args(["--base-url", &sim.base_url(), "--access-key", &key.key])
        .args(["--access-key-secret", &key.secret, "--rate", "off"])
        .args([
            "--concurrency",
            "1",
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
        ])
        .args(["--chunk-size", "1", "--ids"])
        .arg(dir.file("ids.txt", &lines(&input)))
        .arg("--report")
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_assign_calls(&sim, 2);
    // The directory goes away under the running job.
    std::fs::remove_dir_all(&reports).unwrap();
    let out = child.wait_with_output().unwrap();
    let message = stderr(&out);
    assert_ne!(code(&out), 2, "calls were made: never 'usage': {message}");
    assert!(message.contains("written to"), "{message}");
    let fallback: Vec<_> = std::fs::read_dir(tmp.0.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("job.json"))
        .collect();
    assert_eq!(fallback.len(), 1, "{message}");
    assert!(
        message.contains(&*fallback[0].to_string_lossy()),
        "{message}"
    );
    let report = read_report(&fallback[0]);
    assert_accounted(&report, "assigned", "notAssigned", &input);
    assert_eq!(sim.instance_count(), 20);
}
