//! The spec's facts reach every crate through the constants generated into
//! `gong-flows-api` (`limits`, `operation_ids`): the SDK's batch sizes and
//! the simulator's operations are those constants, and the constants are
//! what `openapi/flows.yaml` says, so a limit or an operation id changed in
//! the spec cannot drift away from what the client sends or the simulator
//! enforces.

use gong_flows::ChunkSizes;
use gong_flows_api::{limits, operation_ids};
use gong_flows_sim::Endpoint;
use serde_yaml::Value;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/flows.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn limit(spec: &Value, schema: &str, field: &str) -> usize {
    let property = &spec["components"]["schemas"][schema]["properties"][field];
    let x_max = property["x-max-items"].as_u64();
    let max = property["maxItems"].as_u64();
    assert_eq!(
        x_max, max,
        "{schema}.{field}: x-max-items and maxItems differ"
    );
    x_max.unwrap_or_else(|| panic!("{schema}.{field} has no x-max-items")) as usize
}

#[test]
fn generated_limits_are_the_specs() {
    let spec = spec();
    let assign = limit(&spec, "AssignFlowRequestV2", "crmProspectsIds");
    assert_eq!(limits::ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS, assign);
    assert_eq!(
        limits::ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES_CRM_PROSPECTS_IDS,
        assign
    );
    assert_eq!(
        limits::UNASSIGN_FLOWS_FLOW_INSTANCE_IDS,
        limit(&spec, "UnassignFlowsRequest", "flowInstanceIds")
    );
    assert_eq!(
        limits::GET_FLOW_STEPS_FLOW_IDS,
        limit(&spec, "FlowStepsRequest", "flowIds")
    );
    assert_eq!(
        limits::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT_PROSPECTS,
        limit(&spec, "FlowProspectsBulkAssignmentRequest", "prospects")
    );
}

#[test]
fn chunk_sizes_are_the_generated_limits() {
    assert_eq!(
        ChunkSizes::MAX_ASSIGN,
        limits::ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS
    );
    assert_eq!(
        ChunkSizes::MAX_UNASSIGN_INSTANCES,
        limits::UNASSIGN_FLOWS_FLOW_INSTANCE_IDS
    );
    assert_eq!(ChunkSizes::MAX_STEPS, limits::GET_FLOW_STEPS_FLOW_IDS);
    assert_eq!(
        ChunkSizes::MAX_BULK,
        limits::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT_PROSPECTS
    );
    let defaults = ChunkSizes::default();
    assert_eq!(defaults.assign(), ChunkSizes::MAX_ASSIGN);
    assert_eq!(
        defaults.unassign_instances(),
        ChunkSizes::MAX_UNASSIGN_INSTANCES
    );
    assert_eq!(defaults.steps(), ChunkSizes::MAX_STEPS);
    assert_eq!(defaults.bulk(), ChunkSizes::MAX_BULK);
}

#[test]
fn operation_ids_are_the_specs_in_order() {
    let spec = spec();
    let mut in_spec = Vec::new();
    for (_, item) in spec["paths"].as_mapping().unwrap() {
        for (_, operation) in item.as_mapping().unwrap() {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                in_spec.push(id.to_owned());
            }
        }
    }
    assert_eq!(in_spec, operation_ids::ALL);
    // The simulator knows each by that name, in the same order.
    let simulated: Vec<&str> = Endpoint::ALL.iter().map(|op| op.operation_id()).collect();
    assert_eq!(simulated, operation_ids::ALL);
}

#[test]
fn every_operation_declares_the_auth_refusals_the_simulator_sends() {
    // The simulator refuses a missing scope with 403 and bad credentials
    // with 401 on every operation, as Gong does; the spec declares both
    // everywhere (for the unassign operations, as a listed difference from
    // Gong's document).
    let spec = spec();
    let mut checked = 0;
    for (_, item) in spec["paths"].as_mapping().unwrap() {
        for (_, operation) in item.as_mapping().unwrap() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            for status in ["401", "403"] {
                assert!(
                    operation["responses"].get(status).is_some(),
                    "{id} does not declare {status}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, operation_ids::ALL.len());
}
