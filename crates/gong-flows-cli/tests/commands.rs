//! Every command against the simulator, input checks, usage errors, and
//! secrets kept out of the output.

mod common;

use common::*;
use gong_flows_sim::dataset::{ENTERPRISE_FOLDER_ID, OUTBOUND_FOLDER_ID};
use gong_flows_sim::{AccessKey, Endpoint, FoldersShape, SimConfig, SimCredentials};

#[test]
fn flows_list_follows_every_page() {
    // Pages of 2 over 5 seeded and 7 generated flows: 6 pages.
    let sim = sim_with(SimConfig::default().no_rate_limits().page_size(2).flows(7));
    let out = gong(&sim)
        .args(["flows", "list", "--owner", OWNER, "--json"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let flows = json(&out);
    let flows = flows.as_array().expect("an array");
    assert_eq!(flows.len(), 12);
    assert!(
        flows
            .iter()
            .any(|f| f["id"] == FLOW && f["name"] == "SDR Flow")
    );
    assert_eq!(sim.counters().calls(Endpoint::ListFlows), 6);

    let out = gong(&sim)
        .args([
            "flows",
            "list",
            "--owner",
            OWNER,
            "--folder",
            OUTBOUND_FOLDER_ID,
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.starts_with("ID "), "{text}");
    assert!(text.contains("SDR Flow"), "{text}");
    assert!(!text.contains("My Follow-up"), "{text}");

    let out = gong(&sim)
        .args(["flows", "list", "--owner", OWNER, "--recent", "--json"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(json(&out).is_array());
}

#[test]
fn folders_list_by_parent() {
    let sim = sim();
    let out = gong(&sim)
        .args(["folders", "list", "--owner", OWNER, "--json"])
        .args(["--parent", OUTBOUND_FOLDER_ID])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let folders = json(&out);
    let ids: Vec<&str> = folders
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&ENTERPRISE_FOLDER_ID), "{folders}");

    let out = gong(&sim)
        .args(["folders", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("Shared With You"));

    // --parent is Gong's int64.
    let out = gong(&sim)
        .args(["folders", "list", "--owner", OWNER, "--parent", "abc"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
}

#[test]
fn folders_list_reads_both_shapes_of_the_answer() {
    let mut outputs = Vec::new();
    for shape in [FoldersShape::Observed, FoldersShape::Documented] {
        let sim = sim_with(
            SimConfig::default()
                .no_rate_limits()
                .page_size(2)
                .folders_shape(shape),
        );
        let out = gong(&sim)
            .args(["folders", "list", "--owner", OWNER, "--json"])
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{shape}: {}", stderr(&out));
        let folders = json(&out);
        let folders = folders.as_array().expect("an array").clone();
        assert_eq!(folders.len(), 5, "{shape}: {folders:?}");
        assert_eq!(sim.counters().calls(Endpoint::ListFlowsFolders), 3);
        let enterprise = folders
            .iter()
            .find(|f| f["id"] == ENTERPRISE_FOLDER_ID)
            .unwrap_or_else(|| panic!("{shape}: {folders:?}"));
        assert_eq!(enterprise["name"], "Enterprise");
        assert_eq!(
            enterprise["parentFolderId"], OUTBOUND_FOLDER_ID,
            "{enterprise}"
        );

        let table = gong(&sim)
            .args(["folders", "list", "--owner", OWNER])
            .output()
            .unwrap();
        assert_eq!(code(&table), 0);
        assert!(stdout(&table).contains("Shared With You"), "{shape}");
        outputs.push(
            folders
                .iter()
                .map(|f| {
                    (
                        f["id"].clone(),
                        f["name"].clone(),
                        f["parentFolderId"].clone(),
                    )
                })
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn prospects_flows_by_crm_id_and_instance_id() {
    let sim = sim();
    let dir = Dir::new();
    let input = ids("pf", 3);
    let report = dir.path("assign.json");
    let out = gong(&sim)
        .args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids"])
        .arg(dir.file("ids.txt", &lines(&input)))
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let instance = read_report(&report)["assigned"][0]["flowInstanceId"]
        .as_str()
        .unwrap()
        .to_owned();

    // CRM ids from stdin, instance ids from a file.
    let out = gong(&sim)
        .args([
            "prospects",
            "flows",
            "--json",
            "--crm-ids",
            "-",
            "--instance-ids",
        ])
        .arg(dir.file("instances.txt", &format!("{instance}\n")))
        .write_stdin(format!("{}\nnobody-1\n", input[1]))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let found = json(&out);
    let instances = found["instances"].as_array().unwrap();
    assert_eq!(instances.len(), 2, "{found}");
    assert!(instances.iter().all(|i| i["flowId"] == FLOW));
    assert!(found["requests"].as_u64().unwrap() >= 2);

    let out = gong(&sim)
        .args(["prospects", "flows", "--crm-ids", "-"])
        .write_stdin(input.join("\n"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("SDR Flow"));

    // stdin can be read once only; one input is needed.
    let out = gong(&sim)
        .args([
            "prospects",
            "flows",
            "--crm-ids",
            "-",
            "--instance-ids",
            "-",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    let out = gong(&sim).args(["prospects", "flows"]).output().unwrap();
    assert_eq!(code(&out), 2);
}

#[test]
fn steps_of_known_and_unknown_flows() {
    let sim = sim();
    let exclusive = gong_flows_sim::dataset::EXCLUSIVE_FLOW_ID;
    let out = gong(&sim)
        .args(["steps", "--json", "--flow", FLOW, "--flow", exclusive])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let steps = json(&out);
    assert_eq!(steps["flows"].as_array().unwrap().len(), 2);
    assert_eq!(steps["flows"][0]["steps"][0]["action"], "SEND_EMAIL");
    assert_eq!(steps["flows"][0]["steps"][2]["isReply"], true);

    let out = gong(&sim)
        .args(["steps", "--flow", FLOW, "1234567890123456789"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 4);
    assert!(stdout(&out).contains("Quick question"));
    let err = stderr(&out);
    assert!(err.contains("1234567890123456789"), "{err}");
    assert!(err.contains("request id"), "{err}");
}

#[test]
fn bulk_assign_from_csv() {
    let sim = sim_with(
        SimConfig::default()
            .no_rate_limits()
            .bulk_stage(std::time::Duration::ZERO),
    );
    let dir = Dir::new();
    let csv = dir.file(
        "prospects.csv",
        "first_name,lastName,email,crmId,company_name\n\
         Ann,Smith,ann@example.com,,Example Inc.\n\
         ,,,bulk-crm-1,\n\
         \n\
         Bob,Jones,bob@example.com,,\n\
         ann,smith,ANN@example.com,,\n",
    );
    let report = dir.path("bulk.json");
    let out = gong(&sim)
        .args(["bulk-assign", "--flow", FLOW, "--owner", OWNER, "--json"])
        .args(["--prospects", &csv, "--report"])
        .arg(&report)
        .output()
        .unwrap();
    let printed = json(&out);
    assert_eq!(code(&out), 0, "{printed}\n{}", stderr(&out));
    assert_eq!(printed["operation"], "bulk-assign");
    assert_eq!(
        printed["assigned"].as_array().unwrap().len(),
        3,
        "{printed}"
    );
    assert_eq!(
        printed["duplicates"],
        serde_json::json!(["email:ann@example.com"])
    );
    assert_eq!(printed["jobs"][0]["status"], "COMPLETED");
    // The printed report adds the per-error counts to the file's.
    let mut printed = printed;
    assert_eq!(printed["errorCounts"], serde_json::json!([]));
    printed.as_object_mut().unwrap().remove("errorCounts");
    assert_eq!(read_report(&report), printed);
    assert_eq!(sim.times_assigned(FLOW, "bulk-crm-1"), 1);

    // Bad rows name their line, and nothing is sent.
    sim.reset_counters();
    let bad = dir.file("bad.csv", "firstName,lastName\nAnn,Smith\n\nBob,\n");
    let out = gong(&sim)
        .args([
            "bulk-assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
            "--prospects",
            &bad,
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("bad.csv:4:"), "{}", stderr(&out));
    assert_eq!(sim.counters().total, 0);

    // A finished bulk report has nothing to resume: nothing is sent.
    sim.reset_counters();
    let out = gong(&sim)
        .args(["resume", "--report"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing to resume"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sim.counters().total, 0);
}

#[test]
fn sim_command_serves_until_interrupted() {
    use std::io::{BufRead as _, BufReader};
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_gong-flows"))
        .args(["sim", "--port", "0", "--rate", "off", "--faults", "none"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut printed = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let done = line.starts_with("Press Ctrl-C");
        printed.push(line);
        if done {
            break;
        }
    }
    let text = printed.join("\n");
    let url = printed[0]
        .strip_prefix("Simulator listening on ")
        .unwrap_or_else(|| panic!("{text}"))
        .to_owned();
    assert!(text.contains("GONG_ACCESS_KEY_SECRET="), "{text}");

    let out = bare()
        .args(["--base-url", &url, "--access-key", "sim-access-key"])
        .args([
            "--access-key-secret",
            "sim-access-key-secret",
            "--rate",
            "off",
        ])
        .args(["flows", "list", "--owner", OWNER, "--json"])
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out).as_array().unwrap().len(), 5);
}

#[test]
fn sandbox_needs_no_settings() {
    let out = bare()
        .args([
            "--sandbox",
            "--rate",
            "1000",
            "--json",
            "assign",
            "--flow",
            FLOW,
        ])
        .args(["--owner", OWNER, "--ids", "-"])
        .write_stdin("sb-1\nsb-2\nunknown-3\n")
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(bucket_ids(&report, "assigned"), ["sb-1", "sb-2"]);
    assert_eq!(report["notAssigned"][0]["errorCode"], "InvalidArgument");
}

#[test]
fn id_files_blank_lines_spaces_and_csv_columns() {
    let sim = sim();
    let dir = Dir::new();
    let plain = dir.file("ids.txt", "\n  a-1  \n\n\ta-2\r\na-1\n   \n");
    let out = gong(&sim)
        .args([
            "assign", "--json", "--flow", FLOW, "--owner", OWNER, "--ids", &plain,
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(bucket_ids(&report, "assigned"), ["a-1", "a-2"]);
    assert_eq!(report["duplicates"], serde_json::json!(["a-1"]));

    let csv = dir.file(
        "ids.csv",
        "name,crm id,owner\n\"Smith, Ann\",c-1,x\n\nBob, c-2 ,y\n",
    );
    let out = gong(&sim)
        .args([
            "unassign", "--yes", "--json", "--ids", &csv, "--column", "crm id",
        ])
        .output()
        .unwrap();
    let report = json(&out);
    // Neither was ever assigned: both are reported not unassigned.
    assert_eq!(code(&out), 1, "{report}");
    assert_eq!(bucket_ids(&report, "notUnassigned"), ["c-1", "c-2"]);

    // The first column when none is named.
    let out = gong(&sim)
        .args([
            "assign", "--json", "--flow", FLOW, "--owner", OWNER, "--ids",
        ])
        .arg(dir.file("first.csv", "crmId,name\nf-1,Ann\nf-2,Bob\n"))
        .output()
        .unwrap();
    assert_eq!(bucket_ids(&json(&out), "assigned"), ["f-1", "f-2"]);
}

#[test]
fn malformed_id_files_exit_2_with_file_and_line_and_send_nothing() {
    let sim = sim();
    let dir = Dir::new();
    let cases = [
        (
            "space.txt",
            "ok-1\n\nbad id\n",
            None,
            "space.txt:3:",
            "whitespace",
        ),
        (
            "long.txt",
            &format!("ok-1\n{}\n", "x".repeat(129)),
            None,
            "long.txt:2:",
            "longer than",
        ),
        (
            "col.csv",
            "a,b\n1,2\n",
            Some("crmId"),
            "col.csv:1:",
            "no column",
        ),
        (
            "ragged.csv",
            "id,b\n1,2\n3\n",
            None,
            "ragged.csv:3:",
            "fields",
        ),
        (
            "comma.txt",
            "ok-1\nok-2,ok-3\n",
            None,
            "comma.txt:2:",
            "comma",
        ),
    ];
    for (name, text, column, place, what) in cases {
        let path = dir.file(name, text);
        let mut cmd = gong(&sim);
        cmd.args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids", &path]);
        if let Some(column) = column {
            cmd.args(["--column", column]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(code(&out), 2, "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(place) && err.contains(what), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    let out = gong(&sim)
        .args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids"])
        .arg(dir.path("missing.txt"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing.txt"));
    assert_eq!(sim.counters().total, 0, "nothing was sent");
}

#[test]
fn dry_run_sends_nothing_and_prints_the_plan() {
    let sim = sim();
    let dir = Dir::new();
    let mut input = ids("dry", 450);
    input.push("dry-000".to_owned());
    let path = dir.file("ids.txt", &lines(&input));
    let report = dir.path("never.json");
    let out = gong(&sim)
        .args([
            "assign",
            "--dry-run",
            "--json",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
        ])
        .args(["--ids", &path, "--rate", "3", "--report"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let plan = json(&out);
    assert_eq!(plan["dryRun"], true);
    assert_eq!(plan["uniqueIds"], 450);
    assert_eq!(plan["duplicates"], serde_json::json!(["dry-000"]));
    // Three calls, and at most a look-up each (a re-run of a finished
    // list): the plan never under-counts.
    assert_eq!(plan["callsAtLeast"], 3);
    assert_eq!(plan["calls"], 6);
    assert_eq!(plan["bounded"], true);
    assert_eq!(plan["estimatedSeconds"], 2.0);
    assert_eq!(plan["dailyQuotaPercent"], 0.06);
    // The plan checked Gong: the owner's flows name the flow.
    assert_eq!(plan["check"]["flow"]["name"], "SDR Flow", "{plan}");
    assert_eq!(plan["check"]["reads"][0]["operation"], "listFlows");
    assert_eq!(sim.counters().total, 1, "the check's one read");

    // No credentials needed, and a human plan.
    let out = bare()
        .args(["assign", "--dry-run", "--flow", FLOW, "--owner", OWNER])
        .args(["--ids", &path, "--batch-size", "100"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("nothing was sent"), "{text}");
    assert!(
        text.contains("calls        5 to 10 (100 ids per chunk)"),
        "{text}"
    );
    assert!(text.contains("% of Gong's 10000 calls per day"), "{text}");

    assert!(text.contains("nothing: no credentials"), "{text}");
    assert_eq!(
        sim.counters().total,
        1,
        "a dry run sends nothing but its check"
    );
    assert!(!report.exists(), "a dry run writes no report");
}

#[test]
fn usage_errors_exit_2() {
    let sim = sim();
    let cases: Vec<Vec<&str>> = vec![
        vec!["assign", "--owner", OWNER, "--ids", "-"],
        vec![
            "assign",
            "--flow",
            FLOW,
            "--owner",
            "not-an-email",
            "--ids",
            "-",
        ],
        vec![
            "assign",
            "--flow",
            "has space",
            "--owner",
            OWNER,
            "--ids",
            "-",
        ],
        vec![
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
            "--ids",
            "-",
            "--batch-size",
            "201",
        ],
        vec!["--rate", "0", "flows", "list", "--owner", OWNER],
        vec!["unassign", "--ids", "-", "--by", "nobody"],
        vec!["resume"],
        vec!["no-such-command"],
    ];
    for args in cases {
        let out = gong(&sim).args(&args).write_stdin("x\n").output().unwrap();
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
    // No base URL, no credentials, both kinds of credentials.
    let out = bare()
        .args(["flows", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("GONG_BASE_URL"));
    let out = bare()
        .args([
            "--base-url",
            &sim.base_url(),
            "flows",
            "list",
            "--owner",
            OWNER,
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no credentials"));
    let out = gong(&sim)
        .args(["--bearer-token", "t", "flows", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert_eq!(sim.counters().total, 0);
}

#[test]
fn secrets_never_printed() {
    const SECRET: &str = "TOPSECRET-4b1d";
    const WRONG: &str = "WRONGSECRET-77aa";
    const TOKEN: &str = "TOKENVALUE-9c0e";
    let sim = sim_with(
        SimConfig::default()
            .no_rate_limits()
            .credentials(SimCredentials {
                access_keys: vec![AccessKey {
                    key: "key-1".into(),
                    secret: SECRET.into(),
                }],
                tokens: vec![],
            }),
    );
    let basic = |secret: &str| {
        use base64_free::encode;
        encode(&format!("key-1:{secret}"))
    };
    let runs = [
        vec![
            "-vv",
            "--access-key-secret",
            SECRET,
            "flows",
            "list",
            "--owner",
            OWNER,
        ],
        vec![
            "-v",
            "--access-key-secret",
            WRONG,
            "flows",
            "list",
            "--owner",
            OWNER,
        ],
        vec![
            "-vv",
            "--access-key-secret",
            WRONG,
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
            "--ids",
            "-",
        ],
    ];
    for args in runs {
        let out = bare()
            .args([
                "--base-url",
                &sim.base_url(),
                "--access-key",
                "key-1",
                "--rate",
                "off",
            ])
            .args(&args)
            .write_stdin("s-1\n")
            .output()
            .unwrap();
        let all = format!("{}{}", stdout(&out), stderr(&out));
        for secret in [SECRET, WRONG] {
            assert!(!all.contains(secret), "{args:?} printed a secret:\n{all}");
            assert!(
                !all.contains(&basic(secret)),
                "{args:?} printed a header:\n{all}"
            );
        }
    }
    // A bearer token, refused.
    let out = bare()
        .args([
            "--base-url",
            &sim.base_url(),
            "--bearer-token",
            TOKEN,
            "-vv",
        ])
        .args(["flows", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains(TOKEN), "{all}");
    // Credentials in the URL are refused without being echoed.
    let url = sim
        .base_url()
        .replace("http://", &format!("http://key-1:{SECRET}@"));
    let out = bare()
        .args(["--base-url", &url, "--bearer-token", TOKEN])
        .args(["flows", "list", "--owner", OWNER])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(!stderr(&out).contains(SECRET), "{}", stderr(&out));
}

/// Base64 without a dependency, to look for `Authorization` values.
mod base64_free {
    pub fn encode(text: &str) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let bytes = text.as_bytes();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn known_value() {
        assert_eq!(encode("k:s"), "azpz");
    }
}
