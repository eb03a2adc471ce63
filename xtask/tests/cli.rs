//! The command-line front: help texts and exit codes.

use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("the xtask binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_subcommand_has_help() {
    let top = xtask(&["--help"]);
    assert!(top.status.success());
    for (subcommand, needle) in [
        ("codegen", "--check"),
        ("spec-check", "Retry-After"),
        ("spec-diff", "--upstream <FILE or URL>"),
    ] {
        assert!(stdout(&top).contains(subcommand), "{}", stdout(&top));
        let help = xtask(&[subcommand, "--help"]);
        assert!(help.status.success(), "{subcommand} --help");
        assert!(stdout(&help).contains(needle), "{}", stdout(&help));
    }
}

#[test]
fn spec_check_passes_on_the_spec_and_fails_on_a_broken_one() {
    let ok = xtask(&["spec-check"]);
    assert!(ok.status.success(), "{}", stdout(&ok));

    let spec = std::fs::read_to_string(xtask::spec_path()).unwrap();
    let broken = spec.replacen("      operationId: listFlows\n", "", 1);
    assert_ne!(broken, spec, "fixture assumption");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flows.yaml");
    std::fs::write(&path, broken).unwrap();
    let failed = xtask(&["spec-check", "--spec", path.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        stdout(&failed),
        "#/paths/~1v2~1flows/get: operation has no operationId\n"
    );
    assert!(String::from_utf8_lossy(&failed.stderr).contains("1 problem in"));

    let missing = xtask(&["spec-check", "--spec", "/nonexistent/flows.yaml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/flows.yaml"));
}
