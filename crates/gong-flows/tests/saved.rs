//! Saved reports: the file format the README documents reads back, every
//! report round-trips, and damaged files are refused.

use gong_flows::{Error, ItemId, Saved, SavedReport, UnassignReport};
use serde_json::{Value, json};

/// The report example of the README.
fn readme_example() -> Value {
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("```json\n{\n  \"operation\": \"assign\"")
        .expect("the README shows an assign report");
    let body = &readme[start + "```json\n".len()..];
    let end = body.find("```").expect("the block ends");
    serde_json::from_str(&body[..end]).expect("the README's example is JSON")
}

#[test]
fn the_readme_example_parses_and_round_trips() {
    let example = readme_example();
    let saved: SavedReport = serde_json::from_value(example.clone()).unwrap();
    saved.check().unwrap();
    let SavedReport::Assign(assign) = &saved else {
        panic!("an assign report: {saved:?}")
    };
    let r = &assign.report;
    assert_eq!(r.flow_id, "1695493301223590792");
    assert_eq!(assign.chunk_size, Some(2));
    assert_eq!(r.assigned[0].flow_instance_id(), Some("3697469986975249"));
    assert_eq!(
        r.not_assigned[0].error_code.as_ref().map(|c| c.as_str()),
        Some("InvalidArgument")
    );
    assert_eq!(r.not_attempted.len(), 2);
    assert!(matches!(*r.not_attempted[0].error, Error::Reported { .. }));
    assert!(
        r.not_attempted[0]
            .error
            .to_string()
            .contains("retry after 1000s")
    );
    assert!(r.stats.stopped.is_some());
    assert_eq!(r.stats.requests, 2);
    assert_eq!(assign.runs, 1);
    // Written back, it says the same (plus the format's version).
    let mut written = serde_json::to_value(&saved).unwrap();
    assert_eq!(written["version"], 1);
    written.as_object_mut().unwrap().remove("version");
    assert_eq!(written, example);
}

#[test]
fn unassign_reports_of_either_id_kind_round_trip_and_read_older_fields() {
    let old = json!({
        "operation": "unassign-instances",
        "flowId": null,
        "unassignedBy": "admin@example.com",
        "unassigned": [{"flowInstanceId": "9"}],
        "notUnassigned": [{"flowInstanceId": "7", "reason": "does not exist"}],
        "notAttempted": [{"flowInstanceId": "8", "error": "x", "mayHaveBeenSent": true}],
        "duplicates": [],
        "requests": 1,
        "requestIds": [],
        "stopped": null,
        "startedAt": "t0",
        "finishedAt": "t1",
        "runs": 1
    });
    let saved: SavedReport = serde_json::from_value(old).unwrap();
    let SavedReport::UnassignInstances(s) = &saved else {
        panic!("{saved:?}")
    };
    assert_eq!(
        s.report.unassigned[0].id,
        ItemId::FlowInstanceId("9".into())
    );
    assert_eq!(s.report.not_unassigned[0].error_message, "does not exist");
    assert!(s.report.not_attempted[0].may_have_been_sent);
    let value = serde_json::to_value(&saved).unwrap();
    assert_eq!(
        value["notUnassigned"],
        json!([{"flowInstanceId": "7", "errorMessage": "does not exist"}])
    );
    let back: SavedReport = serde_json::from_value(value).unwrap();
    assert_eq!(back.unfinished(), 1);
}

#[test]
fn save_and_load_refuse_damage_and_leave_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.json");
    let mut report = UnassignReport::default();
    report.not_attempted.push(gong_flows::NotAttempted::new(
        ItemId::CrmProspectId("a".into()),
        std::sync::Arc::new(Error::Cancelled),
    ));
    let saved = SavedReport::Unassign(Saved::new(report.clone(), None));
    saved.save(&path).unwrap();
    assert_eq!(SavedReport::load(&path).unwrap().unfinished(), 1);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    // The same id twice: resuming could send it twice.
    report.not_unassigned.push(gong_flows::NotUnassigned {
        id: ItemId::CrmProspectId("a".into()),
        error_message: "x".into(),
    });
    SavedReport::Unassign(Saved::new(report, None))
        .save(&path)
        .unwrap();
    let err = SavedReport::load(&path).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("more than once"), "{err}");

    std::fs::write(&path, r#"{"operation": "paint"}"#).unwrap();
    let err = SavedReport::load(&path).unwrap_err();
    assert!(err.to_string().contains("not a gong-flows report"), "{err}");
}
