//! Tenant profiles (a config file in a temporary directory, against two
//! simulators), and the plan's check of Gong: the flow's name, bad
//! credentials, a missing scope, an unknown flow.

mod common;

use common::*;
use gong_flows_sim::{Endpoint, Simulator};
use std::path::PathBuf;

/// A config file with a profile per simulator: `a` takes its secret from
/// the variable `A_SECRET`, `b` from a command (`cat` of a file).
fn config(dir: &Dir, a: &Simulator, b: &Simulator) -> PathBuf {
    let (key_a, key_b) = (
        &a.credentials().access_keys[0],
        &b.credentials().access_keys[0],
    );
    let secret_b = dir.file("b.secret", &format!("{}\n", key_b.secret));
    let text = format!(
        "[profiles.a]\nbase_url = \"{}\"\naccess_key = \"{}\"\nsecret_env = \"A_SECRET\"\n\
         rate = \"off\"\n\n\
         [profiles.b]\nbase_url = \"{}\"\naccess_key = \"{}\"\nsecret_command = [\"cat\", {:?}]\n",
        a.base_url(),
        key_a.key,
        b.base_url(),
        key_b.key,
        secret_b
    );
    PathBuf::from(dir.file("config.toml", &text))
}

/// The binary with `--config FILE` and the secret of profile `a` in the
/// environment, as a user's shell would have it.
fn with_config(config: &PathBuf, a: &Simulator) -> assert_cmd::Command {
    let mut cmd = bare();
    cmd.arg("--config")
        .arg(config)
        .env("A_SECRET", &a.credentials().access_keys[0].secret);
    cmd
}

/// A CRM export: extra columns, a BOM, CRLF, quoted commas; two ids Gong
/// refuses.
const EXPORT: &str = "\u{feff}Name,Contact ID,Account\r\n\
\"Smith, Ann\",0035g00000AbCdE,Acme\r\n\
Bob Jones,unknown-17,\"Globex, Inc.\"\r\n\
Cy,0035g00000FgHiJ,Initech\r\n\
Di,unknown-18,Hooli\r\n";

#[test]
fn a_job_on_one_profile_is_resumed_on_it_and_never_on_the_other() {
    let (a, b) = (sim(), sim());
    let dir = Dir::new();
    let config = config(&dir, &a, &b);
    let input = dir.file("export.csv", EXPORT);
    let (report, failures) = (dir.path("job.json"), dir.path("failures.csv"));

    // One call of the day's budget: the job stops after its first chunk.
    let out = with_config(&config, &a)
        .args([
            "--profile",
            "a",
            "--daily-limit",
            "1",
            "--over-quota",
            "run-what-fits",
        ])
        .args([
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
            "--chunk-size",
            "2",
        ])
        .args(["--ids", &input, "--report"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    // The quota stop says when calls free up, in local time and UTC.
    let err = stderr(&out);
    assert!(
        err.contains("local time (") && err.contains(" UTC)"),
        "{err}"
    );
    let saved = read_report(&report);
    assert_eq!(saved["profile"], "a");
    let host_a = a.base_url().trim_start_matches("http://").to_owned();
    assert_eq!(saved["company"]["host"], host_a.trim_end_matches('/'));
    assert_eq!(a.counters().calls(Endpoint::AssignProspects), 1);

    // Another profile (another host) is refused, naming the job's.
    let out = with_config(&config, &a)
        .args(["--profile", "b", "resume", "--report"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("profile a, not b"),
        "{}",
        stderr(&out)
    );
    // So are b's host and credentials given as options: they override the
    // report's profile, which names the company that is then refused.
    let key_b = &b.credentials().access_keys[0];
    let out = with_config(&config, &a)
        .args(["--base-url", &b.base_url(), "--access-key", &key_b.key])
        .args(["--access-key-secret", &key_b.secret, "resume", "--report"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--other-company"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("override the profile's"),
        "{}",
        stderr(&out)
    );
    assert_eq!(b.counters().total, 0, "nothing reached the other company");

    // Without --profile, the resume takes the report's.
    let out = with_config(&config, &a)
        .args(["resume", "--report"])
        .arg(&report)
        .arg("--failures")
        .arg(&failures)
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let saved = read_report(&report);
    assert_eq!(saved["runs"], 2);
    assert_eq!(saved["profile"], "a");
    let input_ids: Vec<String> = [
        "0035g00000AbCdE",
        "unknown-17",
        "0035g00000FgHiJ",
        "unknown-18",
    ]
    .map(str::to_owned)
    .to_vec();
    assert_accounted(&saved, "assigned", "notAssigned", &input_ids);
    assert!(
        stdout(&out).contains("  2 InvalidArgument: Invalid crmId"),
        "{}",
        stdout(&out)
    );
    let written = std::fs::read_to_string(&failures).unwrap();
    let rows: Vec<&str> = written.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows[0], "Name,Contact ID,Account,code,message,remedy");
    assert_eq!(rows.len(), 3, "{written}");
    assert!(rows[1].starts_with("Bob Jones,unknown-17,\"Globex, Inc.\",InvalidArgument,"));
    assert!(rows[2].starts_with("Di,unknown-18,Hooli,InvalidArgument,"));
    assert_eq!(b.counters().total, 0);

    // Profile b reaches the other simulator, its secret from the command.
    let out = with_config(&config, &a)
        .args(["--profile", "b", "flows", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(b.counters().calls(Endpoint::ListFlows), 1);
}

#[test]
fn a_bad_profile_is_refused_before_any_request() {
    let (a, b) = (sim(), sim());
    let dir = Dir::new();
    let good = config(&dir, &a, &b);
    let run = |config: &PathBuf, profile: &str| {
        with_config(config, &a)
            .args(["--profile", profile, "flows", "list", "--owner", OWNER])
            .output()
            .unwrap()
    };
    let out = run(&good, "c");
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("no profile `c`") && stderr(&out).contains("a, b"));

    let typo = PathBuf::from(
        dir.file(
            "typo.toml",
            &std::fs::read_to_string(&good)
                .unwrap()
                .replace("secret_env", "secret_var"),
        ),
    );
    let out = run(&typo, "a");
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown field `secret_var`"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("typo.toml line 4"),
        "{}",
        stderr(&out)
    );

    let failing = PathBuf::from(dir.file(
        "failing.toml",
        "[profiles.a]\nbase_url = \"http://127.0.0.1:9\"\nbearer_token_command = [\"false\"]\n",
    ));
    let out = run(&failing, "a");
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("bearer_token_command `false` failed"));

    let out = with_config(&good, &a)
        .env_remove("A_SECRET")
        .args(["--profile", "a", "flows", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("$A_SECRET is not set"),
        "{}",
        stderr(&out)
    );
    // GONG_PROFILE selects one too; a secret is never printed.
    let out = with_config(&good, &a)
        .env("GONG_PROFILE", "a")
        .args(["-v", "flows", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let secret = &a.credentials().access_keys[0].secret;
    assert!(!stderr(&out).contains(secret.as_str()) && !stdout(&out).contains(secret.as_str()));
    assert_eq!(a.counters().total, 1);
    assert_eq!(b.counters().total, 0);
}

#[test]
fn a_profile_whose_host_cannot_be_reached_is_named_in_the_error() {
    // Nothing listens on this port.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let dir = Dir::new();
    let config = PathBuf::from(dir.file(
        "down.toml",
        &format!("[profiles.down]\nbase_url = \"http://127.0.0.1:{port}\"\nbearer_token_env = \"DOWN_TOKEN\"\n"),
    ));
    let out = bare()
        .env("DOWN_TOKEN", "t")
        .args(["--config"])
        .arg(&config)
        .args("--profile down --json flows list --owner".split(' '))
        .arg(OWNER)
        .output()
        .unwrap();
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    let last = stderr(&out)
        .trim()
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    let error: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(error["error"]["kind"], "connection");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.ends_with(&format!("(host 127.0.0.1:{port})")),
        "{message}"
    );
    assert!(!message.contains("/v2/"), "{message}");
}

#[test]
fn the_plan_checks_gong_and_names_the_flow() {
    let sim = sim();
    let dir = Dir::new();
    let ids = dir.file("ids.txt", "0035g00000AbCdE\n");
    let plan = |cmd: &mut assert_cmd::Command, flow: &str| {
        cmd.args([
            "assign",
            "--dry-run",
            "--flow",
            flow,
            "--owner",
            OWNER,
            "--ids",
            &ids,
        ])
        .output()
        .unwrap()
    };
    let out = plan(&mut gong(&sim), FLOW);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("flow {FLOW} \"SDR Flow\"")),
        "{text}"
    );
    assert!(text.contains("owner owner@example.com"), "{text}");

    // An unknown flow: exit 4, and what to do.
    let out = plan(&mut gong(&sim), "999");
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("check the flow id"),
        "{}",
        stderr(&out)
    );

    // Bad credentials: exit 3, with the hint.
    let out = plan(gong(&sim).env("GONG_ACCESS_KEY_SECRET", "wrong"), FLOW);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("check the credentials: GONG_ACCESS_KEY"),
        "{}",
        stderr(&out)
    );

    // A token without the write scope: exit 6, nothing written.
    let out = bare()
        .args(["--base-url", &sim.base_url()])
        .args(["--bearer-token", gong_flows_sim::DEFAULT_READ_ONLY_TOKEN])
        .args(["unassign", "--dry-run", "--flow", FLOW, "--ids", &ids])
        .output()
        .unwrap();
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    assert!(stderr(&out).contains("lack a scope"), "{}", stderr(&out));
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 0);
    assert_eq!(sim.counters().calls(Endpoint::UnassignProspectFlows), 0);
}
