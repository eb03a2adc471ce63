//! Shared helpers: a simulator per test, the binary pointed at it, and
//! report checks.

#![allow(dead_code)] // Each test file uses its own subset.

use assert_cmd::Command;
use gong_flows_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The flow most tests assign to.
pub const FLOW: &str = gong_flows_sim::dataset::SDR_FLOW_ID;
/// A user of the seeded dataset.
pub const OWNER: &str = gong_flows_sim::dataset::DEFAULT_USER_EMAIL;

/// A simulator without rate limits, so tests run at full speed.
pub fn sim() -> Simulator {
    sim_with(SimConfig::default().no_rate_limits())
}

/// A simulator with this configuration.
pub fn sim_with(config: SimConfig) -> Simulator {
    Simulator::start(config).expect("simulator starts")
}

/// The binary with no Gong settings from the environment, run in a fresh
/// directory of its own under cargo's target directory, so that reports it
/// writes by default land there and not in the source tree.
pub fn bare() -> Command {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let cwd = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&cwd).expect("a directory to run in");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gong-flows"));
    cmd.current_dir(cwd);
    for var in [
        "GONG_BASE_URL",
        "GONG_ACCESS_KEY",
        "GONG_ACCESS_KEY_SECRET",
        "GONG_BEARER_TOKEN",
        "GONG_PACER_URL",
    ] {
        cmd.env_remove(var);
    }
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

/// The binary pointed at `sim` with its access key (in the environment, as
/// a user would set it), unpaced.
pub fn gong(sim: &Simulator) -> Command {
    let key = sim.credentials().access_keys[0].clone();
    let mut cmd = bare();
    cmd.env("GONG_BASE_URL", sim.base_url())
        .env("GONG_ACCESS_KEY", key.key)
        .env("GONG_ACCESS_KEY_SECRET", key.secret)
        .args(["--rate", "1000"]);
    cmd
}

/// A temporary directory for input files and reports.
pub struct Dir(pub tempfile::TempDir);

impl Dir {
    /// A new empty directory.
    pub fn new() -> Self {
        Dir(tempfile::tempdir().expect("temp dir"))
    }

    /// Writes `name` with `text`; returns its path as a string.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.path().join(name);
        std::fs::write(&path, text).expect("write input");
        path.to_string_lossy().into_owned()
    }

    /// A path in the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

/// `n` CRM ids `<prefix>-000`, …
pub fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:03}")).collect()
}

/// The lines of an id file.
pub fn lines(ids: &[String]) -> String {
    let mut text = ids.join("\n");
    text.push('\n');
    text
}

/// Parses a command's stdout as JSON.
pub fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Reads a report file.
pub fn read_report(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("report written");
    serde_json::from_str(&text).expect("report is JSON")
}

/// The ids of the entries of `bucket`, whichever id field they carry.
pub fn bucket_ids(report: &Value, bucket: &str) -> Vec<String> {
    report[bucket]
        .as_array()
        .unwrap_or_else(|| panic!("{bucket} is an array in {report}"))
        .iter()
        .map(|entry| {
            entry["crmProspectId"]
                .as_str()
                .or_else(|| entry["flowInstanceId"].as_str())
                .unwrap_or_else(|| panic!("entry without an id: {entry}"))
                .to_owned()
        })
        .collect()
}

/// Asserts the report's rule: every input id exactly once across the
/// buckets (with `alreadyInFlow` for assign reports).
pub fn assert_accounted(report: &Value, done: &str, refused: &str, input: &[String]) {
    let mut all = bucket_ids(report, done);
    if report.get("alreadyInFlow").is_some() {
        all.extend(bucket_ids(report, "alreadyInFlow"));
    }
    all.extend(bucket_ids(report, refused));
    all.extend(bucket_ids(report, "notAttempted"));
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "an id appears twice: {report}");
    let expected: HashSet<&String> = input.iter().collect();
    assert_eq!(unique, expected, "the report does not cover the input");
}

/// The exit code, or a panic naming the output.
pub fn code(output: &std::process::Output) -> i32 {
    output.status.code().unwrap_or_else(|| {
        panic!(
            "killed by a signal; stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// stderr as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// stdout as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Starts an assign job of `input` in `batch`es, one call at a time,
/// unpaced, writing its report to `report`; stderr is captured.
pub fn spawn_assign(
    sim: &Simulator,
    dir: &Dir,
    input: &[String],
    batch: usize,
    report: &Path,
) -> std::process::Child {
    use std::process::Stdio;
    let key = sim.credentials().access_keys[0].clone();
    std::process::Command::new(env!("CARGO_BIN_EXE_gong-flows"))
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
        .args(["--batch-size", &batch.to_string(), "--ids"])
        .arg(dir.file("ids.txt", &lines(input)))
        .arg("--report")
        .arg(report)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until the simulator has seen `calls` assign calls.
pub fn wait_for_assign_calls(sim: &Simulator, calls: u64) {
    let started = std::time::Instant::now();
    while sim
        .counters()
        .calls(gong_flows_sim::Endpoint::AssignProspects)
        < calls
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the job never got that far"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Sends `signal` (`INT`, `TERM`) to a child process.
pub fn signal(child: &std::process::Child, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}
