//! What the tool hands back besides the report: the failures file, the
//! per-error counts, the id shape check, completions, man pages and help.

mod common;

use common::*;
use gong_flows_sim::Endpoint;

/// A Salesforce export: a BOM, CRLF, quoted commas, extra columns.
const EXPORT: &str = "\u{feff}Name,Contact ID,Account,Notes\r\n\
\"Smith, Ann\",0035g00000AbCdE,Acme,\"said \"\"hi\"\", twice\"\r\n\
Bob Jones,unknown-17,\"Globex, Inc.\",\r\n\
Cy,unknown-18,Initech,x\r\n";

#[test]
fn refused_rows_come_back_with_their_own_columns_and_a_remedy() {
    let sim = sim();
    let dir = Dir::new();
    let input = dir.file("export.csv", EXPORT);
    let (report, failures) = (dir.path("job.json"), dir.path("failures.csv"));
    let out = gong(&sim)
        .args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids", &input])
        .arg("--report")
        .arg(&report)
        .arg("--failures")
        .arg(&failures)
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    // One line per error, largest first, the ids left out of the message.
    let text = stdout(&out);
    assert!(
        text.contains("  2 InvalidArgument: Invalid crmId — check the id"),
        "{text}"
    );
    let written = std::fs::read_to_string(&failures).unwrap();
    assert!(written.starts_with("Name,Contact ID,Account,Notes,code,message,remedy\r\n"));
    assert!(!written.starts_with('\u{feff}'));
    let rows: Vec<&str> = written.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 3, "{written}");
    assert!(
        rows[1].starts_with(
            "Bob Jones,unknown-17,\"Globex, Inc.\",,InvalidArgument,Invalid crmId unknown-17,"
        ),
        "{written}"
    );
    assert!(rows[2].starts_with("Cy,unknown-18,Initech,x,InvalidArgument,"));

    // Again from the saved report; never over an existing file.
    let again = dir.path("again.csv");
    let export = |path: &std::path::Path, force: bool| {
        let mut cmd = bare();
        cmd.arg("report")
            .arg("export")
            .arg(&report)
            .arg("--failures")
            .arg(path);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let out = export(&again, false);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), written);
    let out = export(&again, false);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(code(&export(&again, true)), 0);

    // A changed input is refused: its rows may no longer be the job's.
    std::fs::write(&input, EXPORT.replace("Cy", "Di")).unwrap();
    let out = export(&dir.path("changed.csv"), false);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("has changed since the job read it"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path("changed.csv").exists());
}

#[test]
fn an_existing_failures_file_refuses_the_job_before_its_report_is_written() {
    let sim = sim();
    let dir = Dir::new();
    let input = dir.file("export.csv", EXPORT);
    let report = dir.path("job.json");
    let failures = dir.file("failures.csv", "kept\n");
    let out = gong(&sim)
        .args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids", &input])
        .arg("--report")
        .arg(&report)
        .args(["--failures", &failures])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    // No checkpoint left behind to block the same command with --force.
    assert!(!report.exists(), "a report was written for a job never run");
    assert_eq!(std::fs::read_to_string(&failures).unwrap(), "kept\n");
    assert_eq!(sim.counters().total, 0);
}

#[test]
fn a_column_of_emails_or_account_ids_is_refused_before_anything_is_sent() {
    let sim = sim();
    let dir = Dir::new();
    for (column, rows) in [
        ("Email", "ann@example.com\nbob@example.com"),
        ("AccountId", "0015g00000XyZaB\n0015g00000XyZaC"),
        ("Name", "Ann\nBob"),
    ] {
        let input = dir.file(
            "x.csv",
            &format!("{column},Other\n{}\n", rows.replace('\n', ",o\n") + ",o"),
        );
        let out = gong(&sim)
            .args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids", &input])
            .args(["--column", column])
            .output()
            .unwrap();
        assert_eq!(code(&out), 2, "{column}: {}", stderr(&out));
        assert!(stderr(&out).contains("right column"), "{}", stderr(&out));
    }
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 0);

    // Some wrong: a warning, in the plan too; the override sends them all.
    let input = dir.file("mixed.txt", "0035g00000AbCdE\nann@example.com\n");
    let out = gong(&sim)
        .args([
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
            "--ids",
            &input,
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("warning: "), "{}", stdout(&out));
    let input = dir.file("emails.txt", "ann@example.com\n");
    let out = gong(&sim)
        .args([
            "assign",
            "--flow",
            FLOW,
            "--owner",
            OWNER,
            "--ids",
            &input,
            "--any-id-shape",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 1);
}

#[test]
fn completions_and_man_pages_hold_every_command() {
    let commands = [
        "flows",
        "folders",
        "prospects",
        "assign",
        "unassign",
        "unassign-instances",
        "steps",
        "bulk-assign",
        "resume",
        "sync",
        "sim",
        "report",
        "completions",
    ];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = bare().args(["completions", shell]).output().unwrap();
        assert_eq!(code(&out), 0);
        let script = stdout(&out);
        for command in commands {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let dir = Dir::new();
    let out = bare()
        .arg("man")
        .arg("--out")
        .arg(dir.path("man"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = std::fs::read_to_string(dir.path("man").join("gong-flows.1")).unwrap();
    for command in commands {
        let roff = command.replace('-', "\\-");
        assert!(page.contains(&roff), "the man page lacks {command}");
        assert!(
            dir.path("man")
                .join(format!("gong-flows-{command}.1"))
                .exists()
        );
    }
}

#[test]
fn help_shows_no_environment_values() {
    let out = bare()
        .env("GONG_BASE_URL", "https://company-17.api.gong.io")
        .env("GONG_DAILY_LIMIT", "20000")
        .env("GONG_ACCESS_KEY_SECRET", "s3cret")
        .args(["assign", "--help"])
        .output()
        .unwrap();
    let help = stdout(&out);
    assert!(help.contains("[env: GONG_BASE_URL]"), "{help}");
    for value in ["company-17", "20000", "s3cret"] {
        assert!(!help.contains(value), "{value} shown: {help}");
    }
    assert!(!help.contains("default: the first"), "{help}");
}
