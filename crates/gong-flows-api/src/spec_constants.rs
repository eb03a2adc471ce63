// This file is generated from openapi/flows.yaml by `cargo xtask codegen`.
// Do not edit it by hand: change the spec (or the generator settings in
// xtask/src/codegen.rs) and run `cargo xtask codegen` again.

/// The `operationId` of every operation in `openapi/flows.yaml`: the
/// names operations go by in errors, logs, reports and fault specs.
pub mod operation_ids {
    ///`GET /v2/flows`: List the flows a user can see.
    pub const LIST_FLOWS: &str = "listFlows";
    ///`GET /v2/flows/folders`: List the flow folders a user can see.
    pub const LIST_FLOWS_FOLDERS: &str = "listFlowsFolders";
    ///`POST /v2/flows/prospects`: List the flows prospects are in.
    pub const GET_PROSPECTS_ASSIGNED_FLOWS: &str = "getProspectsAssignedFlows";
    ///`POST /v2/flows/prospects/assign`: Assign prospects to a flow.
    pub const ASSIGN_PROSPECTS: &str = "assignProspects";
    ///`POST /v2/flows/prospects/assign/cool-off-override`: Assign prospects to a flow, ignoring their cool-off period.
    pub const ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES: &str = "assignProspectsCoolOffOverrides";
    ///`POST /v2/flows/prospects/unassign-flows-by-crm-id`: Remove one prospect from its flows, by CRM prospect ID.
    pub const UNASSIGN_PROSPECT_FLOWS: &str = "unassignProspectFlows";
    ///`POST /v2/flows/prospects/unassign-flows-by-instance-id`: Remove flow instances, by flow instance ID.
    pub const UNASSIGN_FLOWS: &str = "unassignFlows";
    ///`POST /v2/flows/steps`: Get the steps of flows.
    pub const GET_FLOW_STEPS: &str = "getFlowSteps";
    ///`POST /v2/flows/prospects/bulk-assignments`: Submit an asynchronous bulk assignment.
    pub const SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT: &str = "submitFlowProspectsBulkAssignment";
    ///`GET /v2/flows/prospects/bulk-assignments/{id}`: Get the status of a bulk assignment.
    pub const GET_FLOW_PROSPECTS_BULK_ASSIGNMENT: &str = "getFlowProspectsBulkAssignment";
    /// Every `operationId`, in the spec's order.
    pub const ALL: [&str; 10] = [
        LIST_FLOWS,
        LIST_FLOWS_FOLDERS,
        GET_PROSPECTS_ASSIGNED_FLOWS,
        ASSIGN_PROSPECTS,
        ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES,
        UNASSIGN_PROSPECT_FLOWS,
        UNASSIGN_FLOWS,
        GET_FLOW_STEPS,
        SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT,
        GET_FLOW_PROSPECTS_BULK_ASSIGNMENT,
    ];
}
/// Per-request item limits of the request bodies, from the spec's
/// `x-max-items` (which mirrors `maxItems`), named
/// `<OPERATION>_<FIELD>`: larger lists must be split across calls.
pub mod limits {
    ///At most 200 items in `crmProspectsIds` per `assignProspects` request.
    pub const ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS: usize = 200;
    ///At most 200 items in `crmProspectsIds` per `assignProspectsCoolOffOverrides` request.
    pub const ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES_CRM_PROSPECTS_IDS: usize = 200;
    ///At most 200 items in `flowInstanceIds` per `unassignFlows` request.
    pub const UNASSIGN_FLOWS_FLOW_INSTANCE_IDS: usize = 200;
    ///At most 20 items in `flowIds` per `getFlowSteps` request.
    pub const GET_FLOW_STEPS_FLOW_IDS: usize = 20;
    ///At most 50 items in `prospects` per `submitFlowProspectsBulkAssignment` request.
    pub const SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT_PROSPECTS: usize = 50;
}
