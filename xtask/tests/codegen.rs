//! The codegen drift check as an ordinary test: a generated file that no
//! longer matches openapi/flows.yaml fails `cargo test`.

use xtask::{codegen, spec_path, workspace_root};

#[test]
fn committed_generated_code_matches_the_spec() {
    let files = codegen::generate(&spec_path()).expect("the spec generates");
    let diffs = codegen::check(&workspace_root(), &files);
    assert!(
        diffs.is_empty(),
        "generated code is stale; run `{}` and commit the result:\n{}",
        codegen::REGENERATE,
        diffs.join("\n")
    );
}

#[test]
fn a_changed_spec_shows_as_a_readable_diff() {
    let spec = std::fs::read_to_string(spec_path()).unwrap();
    // Rename one response field; the name occurs once, as a property key.
    let old = "flowInstanceOwnerFullName:";
    assert_eq!(spec.matches(old).count(), 1, "fixture assumption");
    let changed = spec.replace(old, "flowInstanceOwnerDisplayName:");
    let dir = tempfile::tempdir().unwrap();
    let changed_path = dir.path().join("flows.yaml");
    std::fs::write(&changed_path, changed).unwrap();

    let files = codegen::generate(&changed_path).expect("the changed spec generates");
    let diffs = codegen::check(&workspace_root(), &files);
    assert!(
        !diffs.is_empty(),
        "a renamed field must be reported as drift"
    );
    let client = diffs
        .iter()
        .find(|d| d.contains("crates/gong-flows-api/src/generated.rs"))
        .expect("the client is stale");
    assert!(
        client.contains("--- a/crates/gong-flows-api/src/generated.rs (committed)"),
        "{client}"
    );
    assert!(
        client.contains("+++ b/crates/gong-flows-api/src/generated.rs (from spec)"),
        "{client}"
    );
    assert!(client.contains("@@"), "a unified diff has hunks: {client}");
    assert!(
        client
            .lines()
            .any(|l| l.starts_with('-') && l.contains("flow_instance_owner_full_name")),
        "the old field is a removed line: {client}"
    );
    assert!(
        client
            .lines()
            .any(|l| l.starts_with('+') && l.contains("flow_instance_owner_display_name")),
        "the new field is an added line: {client}"
    );
}
