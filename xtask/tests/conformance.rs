//! `cargo xtask conformance` without schemathesis: the command line it
//! builds, its options, and what it says when schemathesis is missing. A
//! stand-in script plays schemathesis to follow the whole run.

use std::ffi::OsString;
use std::process::{Command, Output};

use clap::Parser;
use xtask::conformance::{
    self, CONFIG_FILE, ConformanceArgs, DEFAULT_MAX_EXAMPLES, DEFAULT_SEED, JOB_ID_ENV,
    PROGRAM_ENV, SPEC_FILE, Target,
};

/// The options as the subcommand parses them.
#[derive(Debug, Parser)]
struct Options {
    #[command(flatten)]
    args: ConformanceArgs,
}

fn parse(argv: &[&str]) -> ConformanceArgs {
    Options::try_parse_from(std::iter::once("conformance").chain(argv.iter().copied()))
        .expect("valid options")
        .args
}

fn strings(argv: &[OsString]) -> Vec<String> {
    argv.iter()
        .map(|arg| arg.to_str().expect("utf-8").to_owned())
        .collect()
}

fn target() -> Target {
    Target {
        base_url: "http://127.0.0.1:41234".to_owned(),
        authorization: "Basic azpz".to_owned(),
    }
}

fn xtask(args: &[&str], program: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env(PROGRAM_ENV, program)
        .output()
        .expect("the xtask binary runs")
}

#[test]
fn the_command_line_is_deterministic_and_complete() {
    let argv = strings(&conformance::arguments(
        &parse(&["--seed", "42", "--max-examples", "7"]),
        &target(),
    ));
    assert_eq!(
        argv,
        [
            "--config-file",
            CONFIG_FILE,
            "run",
            SPEC_FILE,
            "--url",
            "http://127.0.0.1:41234",
            "--header",
            "Authorization: Basic azpz",
            "--seed",
            "42",
            "--max-examples",
            "7",
            "--workers",
            "1",
            "--generation-database",
            "none",
        ]
    );
    // No check selection on the command line: it would override the
    // per-operation exclusions of the settings file.
    assert!(!argv.iter().any(|arg| arg.starts_with("--checks")));
}

#[test]
fn defaults_and_passthrough() {
    let defaults = parse(&[]);
    assert_eq!(defaults, ConformanceArgs::default());
    assert_eq!(defaults.seed, DEFAULT_SEED);
    assert_eq!(defaults.max_examples, DEFAULT_MAX_EXAMPLES);

    let args = parse(&["--", "--max-failures", "1", "--report", "junit"]);
    let argv = strings(&conformance::arguments(&args, &target()));
    assert_eq!(
        argv[argv.len() - 4..],
        ["--max-failures", "1", "--report", "junit"]
    );
    assert!(
        argv.windows(2)
            .any(|pair| pair == ["--seed", &DEFAULT_SEED.to_string()])
    );

    assert!(
        Options::try_parse_from(["conformance", "--max-examples", "0"]).is_err(),
        "at least one example"
    );
    assert!(Options::try_parse_from(["conformance", "--max-failures", "1"]).is_err());
}

#[test]
fn the_settings_file_and_spec_exist() {
    let root = xtask::workspace_root();
    assert!(root.join(SPEC_FILE).is_file());
    let settings = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap();
    assert!(settings.contains(&format!("${{{JOB_ID_ENV}}}")));
}

#[test]
fn versions() {
    assert_eq!(
        conformance::parse_version("schemathesis, version 4.32.5\n"),
        Some((4, 32, "4.32.5".to_owned()))
    );
    assert_eq!(
        conformance::parse_version("schemathesis, version 4.0.0a1"),
        Some((4, 0, "4.0.0a1".to_owned()))
    );
    assert_eq!(conformance::parse_version("no version here"), None);
    assert!(conformance::is_supported(4, 32));
    assert!(conformance::is_supported(4, 40));
    assert!(!conformance::is_supported(4, 31));
    assert!(!conformance::is_supported(3, 39));
    assert!(!conformance::is_supported(5, 0));
}

#[test]
fn a_missing_schemathesis_names_the_install_command() {
    let output = xtask(
        &["conformance"],
        std::path::Path::new("/nonexistent/schemathesis"),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("schemathesis is not installed"), "{stderr}");
    assert!(stderr.contains("/nonexistent/schemathesis"), "{stderr}");
    assert!(stderr.contains(conformance::INSTALL_COMMAND), "{stderr}");
    assert!(stderr.contains(PROGRAM_ENV), "{stderr}");
}

#[test]
fn help_names_the_install_command_and_the_options() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["conformance", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "--max-examples <N>",
        "--seed <N>",
        "[SCHEMATHESIS ARGS]...",
        "pip install",
        PROGRAM_ENV,
    ] {
        assert!(help.contains(needle), "{needle} in {help}");
    }
    let top = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&top.stdout).contains("conformance"));
}

/// A shell script standing in for schemathesis: answers `--version` with
/// `version`, otherwise records its working directory, the job id and its
/// arguments, and exits with `code`.
#[cfg(unix)]
fn stand_in(dir: &std::path::Path, version: &str, code: i32) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let record = dir.join("record");
    let script = dir.join("schemathesis");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             if [ \"$1\" = --version ]; then echo 'schemathesis, version {version}'; exit 0; fi\n\
             {{ pwd; echo \"job=${JOB_ID_ENV}\"; for arg in \"$@\"; do echo \"$arg\"; done; }} > '{}'\n\
             exit {code}\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[cfg(unix)]
#[test]
fn a_stand_in_schemathesis_is_run_against_the_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let script = stand_in(dir.path(), "4.32.5", 0);
    let output = xtask(
        &["conformance", "--seed", "3", "--", "--max-failures", "1"],
        &script,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("schemathesis 4.32.5"), "{stdout}");

    let record = std::fs::read_to_string(dir.path().join("record")).unwrap();
    let lines: Vec<&str> = record.lines().collect();
    assert_eq!(
        std::path::Path::new(lines[0]).canonicalize().unwrap(),
        xtask::workspace_root().canonicalize().unwrap(),
        "runs from the workspace root"
    );
    let job = lines[1].strip_prefix("job=").unwrap();
    assert_eq!(job.len(), 36, "a UUID: {job}");
    let argv = &lines[2..];
    let url = argv[argv.iter().position(|a| *a == "--url").unwrap() + 1];
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(argv.windows(2).any(|pair| pair == ["--seed", "3"]));
    assert_eq!(argv[argv.len() - 2..], ["--max-failures", "1"]);
    assert!(
        argv.iter()
            .any(|arg| arg.starts_with("Authorization: Basic "))
    );
}

#[cfg(unix)]
#[test]
fn a_failing_or_unsupported_schemathesis_fails_the_task() {
    let dir = tempfile::tempdir().unwrap();
    let failing = stand_in(dir.path(), "4.32.5", 1);
    let output = xtask(&["conformance"], &failing);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("schemathesis failed (exit status: 1)")
    );

    let dir = tempfile::tempdir().unwrap();
    let old = stand_in(dir.path(), "3.39.16", 0);
    let output = xtask(&["conformance"], &old);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("schemathesis 3.39.16 is installed"),
        "{stderr}"
    );
    assert!(stderr.contains(conformance::INSTALL_COMMAND), "{stderr}");
    assert!(
        !dir.path().join("record").exists(),
        "an unsupported version is not run"
    );
}
