//! The SDK's default batch sizes mirror the spec's machine-readable limits
//! (`x-max-items`), so a limit changed in `openapi/flows.yaml` cannot drift
//! away from what the client sends.

use gong_flows::BatchSizes;
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
fn batch_sizes_mirror_the_spec() {
    let spec = spec();
    assert_eq!(
        limit(&spec, "AssignFlowRequestV2", "crmProspectsIds"),
        BatchSizes::MAX_ASSIGN
    );
    assert_eq!(
        limit(&spec, "UnassignFlowsRequest", "flowInstanceIds"),
        BatchSizes::MAX_UNASSIGN_INSTANCES
    );
    assert_eq!(
        limit(&spec, "FlowStepsRequest", "flowIds"),
        BatchSizes::MAX_STEPS
    );
    assert_eq!(
        limit(&spec, "FlowProspectsBulkAssignmentRequest", "prospects"),
        BatchSizes::MAX_BULK
    );
    let defaults = BatchSizes::default();
    assert_eq!(defaults.assign(), BatchSizes::MAX_ASSIGN);
    assert_eq!(
        defaults.unassign_instances(),
        BatchSizes::MAX_UNASSIGN_INSTANCES
    );
    assert_eq!(defaults.steps(), BatchSizes::MAX_STEPS);
    assert_eq!(defaults.bulk(), BatchSizes::MAX_BULK);
}
