//! `cargo xtask spec-diff` against upstream fixtures written here: our own
//! spec rendered in the dialect of Gong's published document, then changed
//! one way at a time.

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::spec_diff::{self, Change, Difference};
use xtask::{document, spec_path, workspace_root};

fn ours() -> Value {
    document::load_file(&spec_path()).expect("the spec parses")
}

/// Renders a spec the way Gong's generator writes its document: JSON,
/// OpenAPI 3.0.1, named enums inlined where they are used, `exampleSetFlag`
/// and `types` beside every typed schema, upper-case `FORM`/`SIMPLE` styles,
/// a placeholder server, and no security schemes.
fn upstream_dialect(spec: &Value) -> Value {
    let mut doc = spec.clone();
    doc["openapi"] = json!("3.0.1");
    doc["servers"] =
        json!([{"url": "https://127.0.0.1:8443", "description": "Generated server url"}]);
    let root = doc.as_object_mut().unwrap();
    root.remove("security");
    root["components"]
        .as_object_mut()
        .unwrap()
        .remove("securitySchemes");
    let enums: Vec<(String, Value)> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, s)| s.get("enum").is_some())
        .map(|(name, s)| (format!("#/components/schemas/{name}"), s.clone()))
        .collect();
    inline_enums(&mut doc, &enums);
    for (_, schema) in doc["components"]["schemas"].as_object_mut().unwrap() {
        java_schema(schema);
    }
    walk_operations(&mut doc);
    doc
}

fn inline_enums(value: &mut Value, enums: &[(String, Value)]) {
    if let Some(target) = value.get("$ref").and_then(Value::as_str)
        && let Some((_, schema)) = enums.iter().find(|(r, _)| r == target)
    {
        *value = schema.clone();
        return;
    }
    match value {
        Value::Object(map) => map.values_mut().for_each(|v| inline_enums(v, enums)),
        Value::Array(items) => items.iter_mut().for_each(|v| inline_enums(v, enums)),
        _ => {}
    }
}

/// Adds `types` and `exampleSetFlag` to a schema and everything nested in it.
fn java_schema(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(Value::String(ty)) = map.get("type") {
        let ty = ty.clone();
        map.insert("types".into(), json!([ty]));
    }
    let has_example = map.contains_key("example");
    map.insert("exampleSetFlag".into(), json!(has_example));
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(java_schema);
    }
    if let Some(items) = map.get_mut("items") {
        java_schema(items);
    }
}

fn walk_operations(doc: &mut Value) {
    let mut parameters: Vec<&mut Value> = Vec::new();
    let (paths, components) = {
        let root = doc.as_object_mut().unwrap();
        let mut paths = None;
        let mut components = None;
        for (k, v) in root.iter_mut() {
            match k.as_str() {
                "paths" => paths = Some(v),
                "components" => components = Some(v),
                _ => {}
            }
        }
        (paths.unwrap(), components.unwrap())
    };
    for (_, item) in paths.as_object_mut().unwrap() {
        for (_, op) in item.as_object_mut().unwrap() {
            if let Some(Value::Array(list)) = op.get_mut("parameters") {
                parameters.extend(list.iter_mut());
            }
        }
    }
    if let Some(Value::Object(shared)) = components.get_mut("parameters") {
        parameters.extend(shared.values_mut());
    }
    for parameter in parameters {
        let Some(map) = parameter.as_object_mut() else {
            continue;
        };
        if map.contains_key("$ref") {
            continue;
        }
        let style = match map.get("in").and_then(Value::as_str) {
            Some("path") | Some("header") => "SIMPLE",
            _ => "FORM",
        };
        map.insert("style".into(), json!(style));
        map.insert("explode".into(), json!(true));
        map.insert("exampleSetFlag".into(), json!(map.contains_key("example")));
        if let Some(schema) = map.get_mut("schema") {
            java_schema(schema);
        }
    }
}

/// Writes `doc` as JSON into `dir` and returns the path.
fn write_json(dir: &Path, name: &str, doc: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    path
}

/// The differences between our spec and `spec` (ours, changed by the
/// caller) rendered in upstream's dialect and read back from a file.
fn diff_against(spec: &Value) -> Vec<Difference> {
    let dir = tempfile::tempdir().unwrap();
    let path = write_json(dir.path(), "upstream.json", &upstream_dialect(spec));
    spec_diff::run(&spec_path(), path.to_str().unwrap(), None)
        .expect("the comparison runs")
        .differences
}

fn keys(differences: &[Difference]) -> Vec<&str> {
    differences.iter().map(|d| d.key.as_str()).collect()
}

fn find<'a>(differences: &'a [Difference], key: &str) -> &'a Difference {
    differences
        .iter()
        .find(|d| d.key == key)
        .unwrap_or_else(|| panic!("no difference {key:?} in {:#?}", keys(differences)))
}

fn schema_mut<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

#[test]
fn our_spec_in_upstream_dialect_is_identical() {
    let differences = diff_against(&ours());
    assert!(differences.is_empty(), "{:#?}", keys(&differences));
}

#[test]
fn a_types_list_without_type_is_understood() {
    let mut spec = upstream_dialect(&ours());
    let step_order =
        &mut spec["components"]["schemas"]["PublicApiFlowStep"]["properties"]["stepOrder"];
    step_order.as_object_mut().unwrap().remove("type");
    assert_eq!(step_order["types"], json!(["integer"]));
    let differences = spec_diff::compare(&ours(), &spec).unwrap();
    assert!(differences.is_empty(), "{:#?}", keys(&differences));
}

#[test]
fn a_renamed_field_is_reported_on_both_sides() {
    let mut spec = ours();
    let properties = schema_mut(&mut spec, "UnassignProspectFlowsRequest")["properties"]
        .as_object_mut()
        .unwrap();
    let flow_id = properties.remove("flowId").unwrap();
    properties.insert("flowIdentifier".into(), flow_id);
    let differences = diff_against(&spec);
    assert_eq!(differences.len(), 2, "{:#?}", keys(&differences));
    let gone = find(&differences, "unassignProspectFlows request flowId field");
    assert_eq!(gone.change, Change::OnlyOurs);
    assert_eq!(gone.ours.as_deref(), Some("string"));
    assert_eq!(
        gone.operation,
        "POST /v2/flows/prospects/unassign-flows-by-crm-id"
    );
    let new = find(
        &differences,
        "unassignProspectFlows request flowIdentifier field",
    );
    assert_eq!(new.change, Change::OnlyUpstream);
}

#[test]
fn a_changed_type_is_reported_with_the_dotted_path() {
    let mut spec = ours();
    schema_mut(&mut spec, "PublicApiFlowStep")["properties"]["stepOrder"] =
        json!({"type": "string", "description": "d", "example": "1"});
    let differences = diff_against(&spec);
    assert_eq!(differences.len(), 1, "{:#?}", keys(&differences));
    let d = find(
        &differences,
        "getFlowSteps response 200 flows[].steps[].stepOrder type",
    );
    assert_eq!(d.change, Change::Changed);
    assert_eq!(d.ours.as_deref(), Some("integer"));
    assert_eq!(d.upstream.as_deref(), Some("string"));
    assert_eq!(
        d.describe(),
        "getFlowSteps response 200 flows[].steps[].stepOrder type: ours integer, upstream string"
    );
}

#[test]
fn a_changed_format_is_reported() {
    let mut spec = ours();
    spec["paths"]["/v2/flows/folders"]["get"]["parameters"][2]["schema"]["format"] = json!("int32");
    let differences = diff_against(&spec);
    assert_eq!(
        keys(&differences),
        ["listFlowsFolders parameter query parentId format"]
    );
    assert_eq!(differences[0].ours.as_deref(), Some("int64"));
    assert_eq!(differences[0].upstream.as_deref(), Some("int32"));
}

#[test]
fn a_new_enum_value_is_reported_where_the_inlined_enum_is_used() {
    let mut spec = ours();
    schema_mut(&mut spec, "FlowInstanceStatus")["enum"]
        .as_array_mut()
        .unwrap()
        .push(json!("Archived"));
    let differences = diff_against(&spec);
    let d = find(
        &differences,
        "getProspectsAssignedFlows response 200 prospectsAssigned[].flowInstanceStatus enum Archived",
    );
    assert_eq!(d.change, Change::OnlyUpstream);
    find(
        &differences,
        "assignProspects response 200 prospectsAssigned[].flowInstanceStatus enum Archived",
    );
    // One use site per operation that answers with assigned flows.
    assert_eq!(differences.len(), 3, "{:#?}", keys(&differences));
    assert!(differences.iter().all(|d| d.change == Change::OnlyUpstream));
}

#[test]
fn a_removed_enum_value_is_reported() {
    let mut spec = ours();
    schema_mut(&mut spec, "FlowStepAction")["enum"] = json!([
        "SEND_EMAIL",
        "AUTO_SEND_EMAIL",
        "CALL",
        "LINKEDIN_CONNECT",
        "LINKEDIN_MESSAGE"
    ]);
    schema_mut(&mut spec, "FlowStepAction")["example"] = json!("CALL");
    let differences = diff_against(&spec);
    let d = find(
        &differences,
        "getFlowSteps response 200 flows[].steps[].action enum CUSTOM",
    );
    assert_eq!(d.change, Change::OnlyOurs);
    assert_eq!(differences.len(), 1, "{:#?}", keys(&differences));
}

#[test]
fn a_new_operation_is_reported_and_other_apis_are_ignored() {
    let mut spec = ours();
    let paths = spec["paths"].as_object_mut().unwrap();
    paths.insert(
        "/v2/flows/{flowId}/archive".into(),
        json!({"post": {
            "operationId": "archiveFlow",
            "summary": "Archive a flow",
            "responses": {"200": {"description": "Archived."}}
        }}),
    );
    paths.insert(
        "/v2/calls".into(),
        json!({"get": {"operationId": "listCalls", "responses": {"200": {"description": "ok"}}}}),
    );
    let differences = diff_against(&spec);
    assert_eq!(keys(&differences), ["archiveFlow operation"]);
    assert_eq!(differences[0].change, Change::OnlyUpstream);
    assert_eq!(differences[0].operation, "POST /v2/flows/{flowId}/archive");
}

#[test]
fn a_missing_operation_and_a_renamed_operation_id_are_reported() {
    let mut spec = ours();
    spec["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/v2/flows/prospects/assign/cool-off-override");
    spec["paths"]["/v2/flows/steps"]["post"]["operationId"] = json!("getFlowsSteps");
    let differences = diff_against(&spec);
    let missing = find(&differences, "assignProspectsCoolOffOverrides operation");
    assert_eq!(missing.change, Change::OnlyOurs);
    let renamed = find(&differences, "getFlowSteps operationId");
    assert_eq!(renamed.ours.as_deref(), Some("getFlowSteps"));
    assert_eq!(renamed.upstream.as_deref(), Some("getFlowsSteps"));
    assert_eq!(differences.len(), 2, "{:#?}", keys(&differences));
}

#[test]
fn a_renamed_path_parameter_still_matches_the_operation() {
    let mut spec = ours();
    let paths = spec["paths"].as_object_mut().unwrap();
    let mut item = paths
        .remove("/v2/flows/prospects/bulk-assignments/{id}")
        .unwrap();
    item["get"]["parameters"][0]["name"] = json!("jobId");
    paths.insert("/v2/flows/prospects/bulk-assignments/{jobId}".into(), item);
    let differences = diff_against(&spec);
    let mut found = keys(&differences);
    found.sort();
    assert_eq!(
        found,
        [
            "getFlowProspectsBulkAssignment parameter path id",
            "getFlowProspectsBulkAssignment parameter path jobId",
        ]
    );
}

#[test]
fn changed_required_flags_are_reported() {
    let mut spec = ours();
    schema_mut(&mut spec, "AssignFlowRequestV2")["required"] = json!(["crmProspectsIds", "flowId"]);
    spec["paths"]["/v2/flows"]["get"]["parameters"][0]["required"] = json!(false);
    spec["paths"]["/v2/flows/steps"]["post"]["requestBody"]["required"] = json!(false);
    let differences = diff_against(&spec);
    let field = find(
        &differences,
        "assignProspects request flowInstanceOwnerEmail required",
    );
    assert_eq!(field.ours.as_deref(), Some("true"));
    assert_eq!(field.upstream.as_deref(), Some("false"));
    // The same body serves the cool-off variant.
    find(
        &differences,
        "assignProspectsCoolOffOverrides request flowInstanceOwnerEmail required",
    );
    find(
        &differences,
        "listFlows parameter query flowOwnerEmail required",
    );
    find(&differences, "getFlowSteps request required");
    assert_eq!(differences.len(), 4, "{:#?}", keys(&differences));
}

#[test]
fn changed_status_codes_are_reported() {
    let mut spec = ours();
    let responses = spec["paths"]["/v2/flows/steps"]["post"]["responses"]
        .as_object_mut()
        .unwrap();
    let not_found = responses.remove("404").unwrap();
    responses.insert("409".into(), not_found);
    let differences = diff_against(&spec);
    let mut found = keys(&differences);
    found.sort();
    assert_eq!(
        found,
        ["getFlowSteps status 404", "getFlowSteps status 409"]
    );
    assert_eq!(
        find(&differences, "getFlowSteps status 404").change,
        Change::OnlyOurs
    );
    assert_eq!(
        find(&differences, "getFlowSteps status 409").change,
        Change::OnlyUpstream
    );
}

#[test]
fn a_quirky_upper_case_style_is_compared_by_meaning() {
    // FORM is form: the identical fixture already uses it. A different
    // style, in upstream's upper-case spelling, is a difference.
    let spec = upstream_dialect(&ours());
    let mut changed = spec.clone();
    changed["paths"]["/v2/flows"]["get"]["parameters"][0]["style"] = json!("SPACEDELIMITED");
    let differences = spec_diff::compare(&ours(), &changed).unwrap();
    assert_eq!(
        keys(&differences),
        ["listFlows parameter query flowOwnerEmail style"]
    );
    assert_eq!(differences[0].ours.as_deref(), Some("form"));
    assert_eq!(differences[0].upstream.as_deref(), Some("spaceDelimited"));

    let mut lower = spec;
    lower["paths"]["/v2/flows"]["get"]["parameters"][0]["style"] = json!("form");
    assert!(spec_diff::compare(&ours(), &lower).unwrap().is_empty());
}

#[test]
fn item_limits_are_compared_when_either_side_states_one() {
    let mut spec = ours();
    let ids = &mut schema_mut(&mut spec, "AssignFlowRequestV2")["properties"]["crmProspectsIds"];
    ids["maxItems"] = json!(100);
    ids.as_object_mut().unwrap().remove("x-max-items");
    let flow_ids = &mut schema_mut(&mut spec, "FlowStepsRequest")["properties"]["flowIds"];
    flow_ids.as_object_mut().unwrap().remove("maxItems");
    flow_ids.as_object_mut().unwrap().remove("x-max-items");
    let differences = diff_against(&spec);
    let d = find(
        &differences,
        "assignProspects request crmProspectsIds maxItems",
    );
    assert_eq!(d.ours.as_deref(), Some("200"));
    assert_eq!(d.upstream.as_deref(), Some("100"));
    find(
        &differences,
        "assignProspectsCoolOffOverrides request crmProspectsIds maxItems",
    );
    let steps = find(&differences, "getFlowSteps request flowIds maxItems");
    assert_eq!(steps.upstream, None);
    assert_eq!(
        steps.describe(),
        "getFlowSteps request flowIds maxItems: ours 20, upstream none"
    );
    assert_eq!(differences.len(), 3, "{:#?}", keys(&differences));
}

/// Gong's published document as far as it differs from ours, 2026-07
/// edition: our spec rewritten with each of that document's known facts,
/// stated here rather than taken from our spec.
///
/// - Every 429 declares `Retry-After` as `integer`, `format: int32` (ten
///   operations).
/// - No `maxItems` on `submitFlowProspectsBulkAssignment` `prospects`,
///   `unassignFlows` `flowInstanceIds` or `getFlowSteps` `flowIds`.
/// - `crmProspectsIds` of the assign body is limited to 100.
/// - The folders answer is declared as `FlowsResponse` (key `flows`).
/// - The two unassign operations declare no 403.
fn gong_2026_07() -> Value {
    upstream_dialect(&with_gong_2026_07_facts())
}

/// Our spec (in our dialect) changed by the facts of [`gong_2026_07`].
fn with_gong_2026_07_facts() -> Value {
    let mut spec = ours();
    let no_limit = |schema: &mut Value| {
        let schema = schema.as_object_mut().unwrap();
        assert!(schema.remove("maxItems").is_some(), "fixture assumption");
        schema.remove("x-max-items");
    };
    no_limit(
        &mut schema_mut(&mut spec, "FlowProspectsBulkAssignmentRequest")["properties"]["prospects"],
    );
    no_limit(&mut schema_mut(&mut spec, "UnassignFlowsRequest")["properties"]["flowInstanceIds"]);
    no_limit(&mut schema_mut(&mut spec, "FlowStepsRequest")["properties"]["flowIds"]);
    let assign_ids =
        &mut schema_mut(&mut spec, "AssignFlowRequestV2")["properties"]["crmProspectsIds"];
    assign_ids["maxItems"] = json!(100);
    assign_ids.as_object_mut().unwrap().remove("x-max-items");
    spec["paths"]["/v2/flows/folders"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"]["$ref"] = json!("#/components/schemas/FlowsResponse");
    for path in [
        "/v2/flows/prospects/unassign-flows-by-crm-id",
        "/v2/flows/prospects/unassign-flows-by-instance-id",
    ] {
        let responses = spec["paths"][path]["post"]["responses"]
            .as_object_mut()
            .unwrap();
        assert!(responses.remove("403").is_some(), "fixture assumption");
    }
    let too_many = json!({
        "description": "Too Many Requests",
        "headers": {"Retry-After": {
            "description": "Number of seconds to wait",
            "schema": {"type": "integer", "format": "int32"}
        }},
        "content": {"*/*": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    });
    let mut limited = 0;
    for (_, item) in spec["paths"].as_object_mut().unwrap() {
        for (_, op) in item.as_object_mut().unwrap() {
            op["responses"]["429"] = too_many.clone();
            limited += 1;
        }
    }
    assert_eq!(limited, 10);
    spec
}

/// The keys of the deliberate differences from [`gong_2026_07`], sorted.
const GONG_2026_07_KNOWN: [&str; 8] = [
    "assignProspects request crmProspectsIds maxItems",
    "assignProspectsCoolOffOverrides request crmProspectsIds maxItems",
    "getFlowSteps request flowIds maxItems",
    "listFlowsFolders response 200 flowsFolders field",
    "submitFlowProspectsBulkAssignment request prospects maxItems",
    "unassignFlows request flowInstanceIds maxItems",
    "unassignFlows status 403",
    "unassignProspectFlows status 403",
];

#[test]
fn gongs_current_document_leaves_nothing_unlisted_and_nothing_stale() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = write_json(dir.path(), "upstream.json", &gong_2026_07());
    let known = workspace_root().join(spec_diff::KNOWN_DIFFERENCES);
    let report = spec_diff::run(&spec_path(), upstream.to_str().unwrap(), Some(&known)).unwrap();
    assert!(report.passed(), "{}", report.to_text());
    assert!(report.stale.is_empty(), "{:#?}", report.stale);
    let mut suppressed: Vec<&str> = report
        .known
        .iter()
        .map(|k| k.difference.key.as_str())
        .collect();
    suppressed.sort();
    assert_eq!(suppressed, GONG_2026_07_KNOWN);
    assert!(report.known.iter().all(|k| !k.reason.trim().is_empty()));
    let text = report.to_text();
    assert!(
        text.contains("0 unlisted differences, 8 known, 0 stale known entries"),
        "{text}"
    );

    // Without the file, the same comparison fails on exactly those.
    let report = spec_diff::run(&spec_path(), upstream.to_str().unwrap(), None).unwrap();
    assert!(!report.passed());
    let mut unlisted: Vec<&str> = report.differences.iter().map(|d| d.key.as_str()).collect();
    unlisted.sort();
    assert_eq!(unlisted, GONG_2026_07_KNOWN);

    // And so does the command line, with the default file.
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["spec-diff", "--upstream"])
        .arg(&upstream)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

#[test]
fn the_retry_after_format_of_gongs_document_is_ours() {
    // Our spec without `format: int32` on Retry-After differs from Gong's
    // document on every 429: the fixture carries the fact, and our spec
    // adopts it rather than listing it.
    let mut spec = ours();
    let header = &mut spec["components"]["headers"]["RetryAfter"]["schema"];
    assert_eq!(header["format"], json!("int32"));
    header.as_object_mut().unwrap().remove("format");
    let dir = tempfile::tempdir().unwrap();
    let without = write_json(dir.path(), "ours.json", &spec);
    let upstream = write_json(dir.path(), "upstream.json", &gong_2026_07());
    let known = workspace_root().join(spec_diff::KNOWN_DIFFERENCES);
    let report = spec_diff::run(&without, upstream.to_str().unwrap(), Some(&known)).unwrap();
    let keys = keys(&report.differences);
    assert_eq!(keys.len(), 10, "{keys:#?}");
    assert!(
        keys.iter()
            .all(|k| k.ends_with(" response 429 header Retry-After format")),
        "{keys:#?}"
    );
    assert!(
        report
            .differences
            .iter()
            .all(|d| d.ours.is_none() && d.upstream.as_deref() == Some("int32"))
    );
}

#[test]
fn listed_entries_that_match_nothing_are_stale_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let known = dir.path().join("known.yaml");
    std::fs::write(
        &known,
        "differences:\n\
         \x20 - key: getFlowSteps status 409\n\
         \x20   reason: Gong documents a conflict we never saw.\n\
         \x20 - key: listFlows operationId\n\
         \x20   reason: Renamed long ago.\n",
    )
    .unwrap();
    let mut spec = ours();
    let responses = spec["paths"]["/v2/flows/steps"]["post"]["responses"]
        .as_object_mut()
        .unwrap();
    let not_found = responses["404"].clone();
    responses.insert("409".into(), not_found);
    let upstream = write_json(dir.path(), "upstream.json", &upstream_dialect(&spec));

    let report = spec_diff::run(&spec_path(), upstream.to_str().unwrap(), Some(&known)).unwrap();
    assert!(
        report.passed(),
        "a stale entry only warns: {}",
        report.to_text()
    );
    assert_eq!(report.known.len(), 1);
    assert_eq!(report.known[0].difference.key, "getFlowSteps status 409");
    assert_eq!(report.stale.len(), 1);
    assert_eq!(report.stale[0].key, "listFlows operationId");
    let text = report.to_text();
    assert!(
        text.contains("warning: known difference \"listFlows operationId\" matches nothing"),
        "{text}"
    );
    assert!(
        text.contains("0 unlisted differences, 1 known, 1 stale known entry"),
        "{text}"
    );
}

#[test]
fn the_text_report_groups_by_operation() {
    let mut spec = ours();
    spec["paths"]["/v2/flows/steps"]["post"]["operationId"] = json!("getFlowsSteps");
    schema_mut(&mut spec, "FlowStepsRequest")["properties"]["flowIds"]["maxItems"] = json!(10);
    spec["paths"]["/v2/flows"]["get"]["parameters"][0]["required"] = json!(false);
    let dir = tempfile::tempdir().unwrap();
    let upstream = write_json(dir.path(), "upstream.json", &upstream_dialect(&spec));
    let report = spec_diff::run(&spec_path(), upstream.to_str().unwrap(), None).unwrap();
    let text = report.to_text();
    let expected = "\nGET /v2/flows\n  listFlows parameter query flowOwnerEmail required: ours true, upstream false\n\
                    \nPOST /v2/flows/steps\n  getFlowSteps operationId: ours getFlowSteps, upstream getFlowsSteps\n  \
                    getFlowSteps request flowIds maxItems: ours 20, upstream 10\n\
                    \n3 unlisted differences, 0 known, 0 stale known entries\n";
    assert!(text.ends_with(expected), "{text}");
}

#[test]
fn json_output_parses_and_is_structured() {
    let mut spec = with_gong_2026_07_facts();
    schema_mut(&mut spec, "FlowInstanceStatus")["enum"]
        .as_array_mut()
        .unwrap()
        .push(json!("Archived"));
    let dir = tempfile::tempdir().unwrap();
    let upstream = write_json(dir.path(), "upstream.json", &upstream_dialect(&spec));
    let known = workspace_root().join(spec_diff::KNOWN_DIFFERENCES);
    let report = spec_diff::run(&spec_path(), upstream.to_str().unwrap(), Some(&known)).unwrap();
    let json: Value = serde_json::from_str(&report.to_json()).expect("valid JSON");
    assert_eq!(json["passed"], json!(false));
    assert_eq!(json["counts"]["differences"], json!(3));
    assert_eq!(json["counts"]["known"], json!(GONG_2026_07_KNOWN.len()));
    assert!(json["counts"]["stale"].is_u64());
    let first = &json["differences"][0];
    assert_eq!(
        first["key"],
        json!(
            "getProspectsAssignedFlows response 200 prospectsAssigned[].flowInstanceStatus enum Archived"
        )
    );
    assert_eq!(first["operation"], json!("POST /v2/flows/prospects"));
    assert_eq!(first["change"], json!("only_upstream"));
    assert_eq!(first["ours"], Value::Null);
    let known = json["known"].as_array().unwrap();
    assert!(
        known
            .iter()
            .all(|k| k["reason"].is_string() && k["key"].is_string())
    );
    assert!(json["stale"].is_array());
}

#[test]
fn the_command_line_reports_and_exits_non_zero() {
    let mut spec = ours();
    spec["paths"]["/v2/flows"]["get"]["parameters"][0]["required"] = json!(false);
    let dir = tempfile::tempdir().unwrap();
    let upstream = write_json(dir.path(), "upstream.json", &upstream_dialect(&spec));
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["spec-diff", "--upstream"])
            .arg(&upstream)
            .args(extra)
            .output()
            .unwrap()
    };
    let json_run = run(&["--json"]);
    assert_eq!(json_run.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&json_run.stdout).expect("--json prints JSON");
    assert_eq!(
        json["differences"][0]["key"],
        json!("listFlows parameter query flowOwnerEmail required")
    );
    // The default known-differences file is in use, and matches nothing here.
    let listed = spec_diff::load_known(&workspace_root().join(spec_diff::KNOWN_DIFFERENCES))
        .unwrap()
        .len();
    assert_eq!(json["counts"]["stale"], json!(listed));

    let text_run = run(&[]);
    assert_eq!(text_run.status.code(), Some(1));
    let text = String::from_utf8(text_run.stdout).unwrap();
    assert!(
        text.contains("GET /v2/flows\n  listFlows parameter query flowOwnerEmail required"),
        "{text}"
    );

    let identical = write_json(dir.path(), "identical.json", &upstream_dialect(&ours()));
    let clean = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["spec-diff", "--known", "/dev/null", "--upstream"])
        .arg(&identical)
        .output()
        .unwrap();
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
}

#[test]
fn a_url_is_fetched_with_curl() {
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("curl is not installed; the URL path cannot be exercised here");
        return;
    }
    let body = serde_json::to_vec(&upstream_dialect(&ours())).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0_u8; 4096];
        let _ = stream.read(&mut request).unwrap();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body).unwrap();
    });
    let url = format!("http://{address}/openapi.json");
    let report = spec_diff::run(&spec_path(), &url, None).unwrap();
    server.join().unwrap();
    assert!(report.passed(), "{}", report.to_text());
    assert_eq!(report.upstream, url);

    // A failing fetch is an error naming the URL, not a panic.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = listener.local_addr().unwrap();
    drop(listener);
    let err = spec_diff::run(&spec_path(), &format!("http://{closed}/x"), None).unwrap_err();
    assert!(format!("{err:#}").contains(&closed.to_string()), "{err:#}");
}

#[test]
fn unusable_documents_are_errors() {
    let spec = ours();
    assert!(spec_diff::compare(&spec, &json!([1, 2])).is_err());
    assert!(spec_diff::compare(&spec, &json!({"paths": 3})).is_err());
    assert!(spec_diff::compare(&spec, &json!({"paths": {"/v2/flows": {"get": 1}}})).is_err());
    let broken_ref = json!({"paths": {"/v2/flows": {"get": {
        "operationId": "listFlows",
        "responses": {"200": {"$ref": "#/components/responses/Nope"}}
    }}}});
    let err = spec_diff::compare(&spec, &broken_ref).unwrap_err();
    assert!(
        format!("{err:#}").contains("#/components/responses/Nope"),
        "{err:#}"
    );
    let circular = json!({
        "paths": {"/v2/flows": {"$ref": "#/paths/~1v2~1flows"}}
    });
    assert!(spec_diff::compare(&spec, &circular).is_err());
    // No paths at all: every operation is missing upstream.
    let empty = spec_diff::compare(&spec, &json!({"openapi": "3.0.1"})).unwrap();
    assert_eq!(empty.len(), 10);
    assert!(empty.iter().all(|d| d.change == Change::OnlyOurs));

    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{ not json").unwrap();
    assert!(spec_diff::run(&spec_path(), garbage.to_str().unwrap(), None).is_err());
    assert!(spec_diff::run(&spec_path(), "/nonexistent/upstream.json", None).is_err());
}

#[test]
fn yaml_upstream_and_json_ours_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = dir.path().join("upstream.yaml");
    std::fs::write(
        &upstream,
        serde_yaml::to_string(&upstream_dialect(&ours())).unwrap(),
    )
    .unwrap();
    let ours_json = write_json(dir.path(), "ours.json", &ours());
    let report = spec_diff::run(&ours_json, upstream.to_str().unwrap(), None).unwrap();
    assert!(report.passed(), "{}", report.to_text());
}
