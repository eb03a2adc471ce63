//! Id files as a CRM exports them: the column is chosen by its header or
//! named, never guessed, and a header is never sent as an id.

mod common;

use common::*;

#[test]
fn a_crm_export_without_an_id_column_is_refused_and_nothing_is_sent() {
    let sim = sim();
    let dir = Dir::new();
    let export = dir.file(
        "export.csv",
        "First Name,Last Name,Email\nFn0,Ln0,a@x.com\nFn1,Ln1,b@x.com\n",
    );
    let out = gong(&sim)
        .args(["assign", "--flow", FLOW, "--owner", OWNER, "--ids", &export])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("export.csv:1:"), "{err}");
    assert!(err.contains("none is named like an id"), "{err}");
    assert!(err.contains("--column"), "{err}");
    assert_eq!(sim.counters().total, 0, "nothing was sent");
}

#[test]
fn the_id_column_of_an_export_is_found_by_its_header() {
    let sim = sim();
    let dir = Dir::new();
    let export = dir.file(
        "export.csv",
        "\u{feff}First Name,Contact ID,Email\nFn0,c-0,a@x.com\nFn1,c-1,b@x.com\n",
    );
    let out = gong(&sim)
        .args([
            "assign", "--json", "--flow", FLOW, "--owner", OWNER, "--ids",
        ])
        .arg(&export)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(bucket_ids(&json(&out), "assigned"), ["c-0", "c-1"]);
}

#[test]
fn a_one_column_file_with_an_id_header_does_not_send_the_header() {
    let sim = sim();
    let dir = Dir::new();
    let file = dir.file("ids.txt", "Id\nh-1\nh-2\n");
    let out = gong(&sim)
        .args([
            "assign", "--json", "--flow", FLOW, "--owner", OWNER, "--ids",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(bucket_ids(&json(&out), "assigned"), ["h-1", "h-2"]);
}
