//! `cargo xtask spec-check`: the real spec passes, and small broken variants
//! of it fail with messages that name the location and the rule.

use serde_json::{Value, json};
use xtask::spec_check::{Problem, check_document, check_file, check_str};
use xtask::{document, spec_path};

fn spec() -> Value {
    document::load_file(&spec_path()).expect("the spec parses")
}

/// Sets (or, with `None`, removes) the value at a JSON pointer.
fn set(doc: &mut Value, pointer: &str, value: Option<Value>) {
    let (parent, last) = pointer.rsplit_once('/').expect("a pointer with a parent");
    let last = last.replace("~1", "/").replace("~0", "~");
    let parent = doc
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{parent} exists"));
    match (parent, value) {
        (Value::Object(map), Some(v)) => {
            map.insert(last, v);
        }
        (Value::Object(map), None) => {
            assert!(map.remove(&last).is_some(), "{pointer} exists");
        }
        (Value::Array(items), Some(v)) => items[last.parse::<usize>().unwrap()] = v,
        (Value::Array(items), None) => {
            items.remove(last.parse::<usize>().unwrap());
        }
        _ => panic!("{pointer}: parent is not a container"),
    }
}

/// Asserts that a problem at `location` mentions `needle`.
fn assert_problem(problems: &[Problem], location: &str, needle: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.location == location && p.message.contains(needle)),
        "expected a problem at {location} mentioning {needle:?}; got:\n{}",
        render(problems)
    );
}

fn render(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}\n"))
        .collect::<String>()
}

const LIST_FLOWS: &str = "/paths/~1v2~1flows/get";
const STEPS: &str = "/paths/~1v2~1flows~1steps/post";

#[test]
fn the_real_spec_passes() {
    let problems = check_file(&spec_path()).unwrap();
    assert!(problems.is_empty(), "{}", render(&problems));
}

#[test]
fn an_operation_needs_an_operation_id_a_summary_and_a_tag() {
    let mut doc = spec();
    set(&mut doc, &format!("{LIST_FLOWS}/operationId"), None);
    set(&mut doc, &format!("{STEPS}/summary"), None);
    set(&mut doc, &format!("{STEPS}/tags"), Some(json!([])));
    let problems = check_document(&doc);
    assert_problem(&problems, &format!("#{LIST_FLOWS}"), "no operationId");
    assert_problem(&problems, &format!("#{STEPS}"), "no summary");
    assert_problem(&problems, &format!("#{STEPS}"), "no tag");
    assert_eq!(problems.len(), 3, "{}", render(&problems));
}

#[test]
fn operation_ids_are_unique() {
    let mut doc = spec();
    set(
        &mut doc,
        &format!("{STEPS}/operationId"),
        Some(json!("listFlows")),
    );
    let problems = check_document(&doc);
    assert_problem(
        &problems,
        &format!("#{STEPS}"),
        "operationId \"listFlows\" is also used by #/paths/~1v2~1flows/get",
    );
}

#[test]
fn a_429_needs_an_integer_retry_after_header() {
    let mut doc = spec();
    set(
        &mut doc,
        "/components/responses/TooManyRequests/headers",
        None,
    );
    let problems = check_document(&doc);
    // The shared response is used by all ten operations.
    let missing: Vec<_> = problems
        .iter()
        .filter(|p| p.message == "429 declares no Retry-After header")
        .collect();
    assert_eq!(missing.len(), 10, "{}", render(&problems));
    assert_problem(
        &problems,
        &format!("#{LIST_FLOWS}/responses/429"),
        "no Retry-After",
    );

    let mut doc = spec();
    set(
        &mut doc,
        "/components/headers/RetryAfter/schema/type",
        Some(json!("string")),
    );
    set(
        &mut doc,
        "/components/headers/RetryAfter/example",
        Some(json!("2")),
    );
    let problems = check_document(&doc);
    assert_problem(
        &problems,
        &format!("#{STEPS}/responses/429"),
        "Retry-After header is not declared as an integer (type: string)",
    );
}

#[test]
fn an_error_status_must_use_error_response() {
    let mut doc = spec();
    // An inline body that looks like ErrorResponse is still not the shared schema.
    set(
        &mut doc,
        &format!("{STEPS}/responses/404"),
        Some(json!({
            "description": "Not found.",
            "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"message": {"type": "string", "description": "d", "example": "x"}}
            }}}
        })),
    );
    // A shared response without a body.
    set(&mut doc, "/components/responses/Unauthorized/content", None);
    let problems = check_document(&doc);
    assert_problem(
        &problems,
        &format!("#{STEPS}/responses/404"),
        "error status body (application/json) does not use #/components/schemas/ErrorResponse",
    );
    assert_problem(
        &problems,
        &format!("#{LIST_FLOWS}/responses/401"),
        "error status declares no body (via #/components/responses/Unauthorized)",
    );
}

#[test]
fn examples_must_match_their_schemas() {
    let mut doc = spec();
    let steps = "/components/schemas/PublicApiFlowStep/properties";
    set(
        &mut doc,
        &format!("{steps}/stepOrder/example"),
        Some(json!("first")),
    );
    set(
        &mut doc,
        "/components/schemas/Records/properties/totalRecords/example",
        Some(json!(3_000_000_000_u64)),
    );
    set(
        &mut doc,
        "/components/schemas/FlowVisibility/example",
        Some(json!("Public")),
    );
    let assign = "/components/schemas/AssignFlowRequestV2/properties/crmProspectsIds";
    let too_many: Vec<String> = (0..201).map(|i| format!("id{i}")).collect();
    set(
        &mut doc,
        &format!("{assign}/example"),
        Some(json!(too_many)),
    );
    let unassign = "/components/schemas/UnassignFlowsRequest/properties/flowInstanceIds";
    set(
        &mut doc,
        &format!("{unassign}/example"),
        Some(json!(["1", "1"])),
    );
    let overrides = "/components/schemas/AssignOverrides/properties/steps";
    set(
        &mut doc,
        &format!("{overrides}/example"),
        Some(json!([{"subject": "Hi", "colour": "red"}])),
    );
    // Parameter and header examples are checked too.
    let folders = "/paths/~1v2~1flows~1folders/get/parameters/2";
    set(&mut doc, &format!("{folders}/example"), Some(json!("abc")));
    set(
        &mut doc,
        "/components/headers/RetryAfter/example",
        Some(json!(2.5)),
    );

    let problems = check_document(&doc);
    assert_problem(
        &problems,
        &format!("#{steps}/stepOrder/example"),
        "\"first\" is not of type integer",
    );
    assert_problem(
        &problems,
        "#/components/schemas/Records/properties/totalRecords/example",
        "3000000000 does not fit format int32",
    );
    assert_problem(
        &problems,
        "#/components/schemas/FlowVisibility/example",
        "\"Public\" is not one of [\"Company\",\"Personal\",\"Shared\"]",
    );
    assert_problem(
        &problems,
        &format!("#{assign}/example"),
        "201 items are more than maxItems 200",
    );
    assert_problem(
        &problems,
        &format!("#{unassign}/example"),
        "item 1 (\"1\") repeats an earlier item",
    );
    assert_problem(
        &problems,
        &format!("#{overrides}/example"),
        "/0: required field \"number\" is missing",
    );
    assert_problem(
        &problems,
        &format!("#{overrides}/example"),
        "/0: field \"colour\" is not declared by the schema",
    );
    assert_problem(
        &problems,
        &format!("#{folders}/example"),
        "\"abc\" is not of type integer",
    );
    assert_problem(
        &problems,
        "#/components/headers/RetryAfter/example",
        "2.5 is not of type integer",
    );
    assert_eq!(problems.len(), 9, "{}", render(&problems));
}

#[test]
fn examples_nested_in_arrays_of_references_are_checked() {
    let mut doc = spec();
    let results = "/components/schemas/FlowProspectsBulkAssignmentResponse/properties/results";
    set(
        &mut doc,
        &format!("{results}/example"),
        Some(json!([{"status": "DONE", "prospect": {"crmId": 7}}])),
    );
    let problems = check_document(&doc);
    assert_problem(
        &problems,
        &format!("#{results}/example"),
        "/0/status: \"DONE\" is not one of",
    );
    assert_problem(
        &problems,
        &format!("#{results}/example"),
        "/0/prospect/crmId: 7 is not of type string",
    );
}

#[test]
fn max_items_needs_a_matching_x_max_items() {
    let mut doc = spec();
    let flow_ids = "/components/schemas/FlowStepsRequest/properties/flowIds";
    set(&mut doc, &format!("{flow_ids}/x-max-items"), None);
    let prospects = "/components/schemas/FlowProspectsBulkAssignmentRequest/properties/prospects";
    set(
        &mut doc,
        &format!("{prospects}/x-max-items"),
        Some(json!(40)),
    );
    let problems = check_document(&doc);
    assert_problem(
        &problems,
        &format!("#{flow_ids}"),
        "maxItems 20 has no matching x-max-items extension",
    );
    assert_problem(
        &problems,
        &format!("#{prospects}"),
        "x-max-items 40 differs from maxItems 50",
    );
    assert_eq!(problems.len(), 2, "{}", render(&problems));
}

#[test]
fn fields_and_parameters_need_a_description_and_an_example() {
    let mut doc = spec();
    let flow = "/components/schemas/PublicApiFlow/properties";
    set(&mut doc, &format!("{flow}/name/description"), None);
    set(&mut doc, &format!("{flow}/folderName/example"), None);
    set(&mut doc, "/components/parameters/Cursor/description", None);
    set(&mut doc, "/components/parameters/WorkspaceId/example", None);
    let problems = check_document(&doc);
    assert_problem(
        &problems,
        &format!("#{flow}/name"),
        "field \"name\" has no description",
    );
    assert_problem(
        &problems,
        &format!("#{flow}/folderName"),
        "field \"folderName\" has no example",
    );
    assert_problem(
        &problems,
        "#/components/parameters/Cursor",
        "parameter \"cursor\" has no description",
    );
    assert_problem(
        &problems,
        "#/components/parameters/WorkspaceId",
        "parameter \"workspaceId\" has no example",
    );
    assert_eq!(problems.len(), 4, "{}", render(&problems));
}

#[test]
fn references_must_resolve_and_the_version_must_be_3_0() {
    let mut doc = spec();
    set(&mut doc, "/openapi", Some(json!("3.1.0")));
    set(
        &mut doc,
        "/components/schemas/PublicApiFlow/properties/visibility/$ref",
        Some(json!("#/components/schemas/Nope")),
    );
    let problems = check_document(&doc);
    assert_problem(&problems, "#/openapi", "version \"3.1.0\" is not 3.0.x");
    assert_problem(
        &problems,
        "#/components/schemas/PublicApiFlow/properties/visibility",
        "$ref \"#/components/schemas/Nope\" does not resolve",
    );
}

#[test]
fn a_document_that_is_not_openapi_is_reported() {
    let mut doc = spec();
    set(&mut doc, "/info", None);
    let problems = check_document(&doc);
    assert_problem(&problems, "#", "does not parse as an OpenAPI 3.0 document");

    let problems = check_str("[1, 2]").unwrap();
    assert_problem(&problems, "#", "not an object");
    let problems = check_str("openapi: 3.0.3\n").unwrap();
    assert_problem(&problems, "#/paths", "missing");
    assert!(check_str("{not json").is_err());
    assert!(check_str("a: [unclosed").is_err());
}

#[test]
fn all_problems_are_reported_sorted_by_location() {
    let mut doc = spec();
    set(&mut doc, &format!("{LIST_FLOWS}/summary"), None);
    set(&mut doc, &format!("{STEPS}/summary"), None);
    set(
        &mut doc,
        "/components/schemas/FlowStepsRequest/properties/flowIds/x-max-items",
        None,
    );
    let problems = check_document(&doc);
    assert_eq!(problems.len(), 3, "{}", render(&problems));
    let locations: Vec<&str> = problems.iter().map(|p| p.location.as_str()).collect();
    let mut sorted = locations.clone();
    sorted.sort();
    assert_eq!(locations, sorted);
    assert_eq!(
        problems[0].to_string(),
        "#/components/schemas/FlowStepsRequest/properties/flowIds: \
         maxItems 20 has no matching x-max-items extension"
    );
}
