//! Helpers shared by the wire tests of the generated client.
//!
//! Each file under `tests/tests/` is its own crate and uses a different subset
//! of these helpers, hence the blanket `dead_code` allowance.
#![allow(dead_code)]

use gong_flows_api::types::{
    AssignFlowRequestV2, ErrorResponse, FlowAssignmentProspect, FlowProspectsBulkAssignmentRequest,
    FlowStepsRequest, ProspectsAssignedFlowsRequestV2, UnassignFlowsRequest,
    UnassignProspectFlowsRequest,
};
use gong_flows_api::{Client, Error, RequestSettings};
use httpmock::{HttpMockRequest, Method, MockServer, Then};

/// Content type Gong's service sends with its 200 answers.
pub const GONG_OK: &str = "application/json;charset=UTF-8";
/// Content type Gong's service sends with its error answers.
pub const GONG_ERR: &str = "application/json; charset=utf-8";

pub const OWNER: &str = "owner@example.com";
pub const FLOW_ID: &str = "1695493301223590792";
pub const CRM_ID: &str = "a5V1Q00A120DP4CVAW";
pub const INSTANCE_ID: &str = "1234361284629356";
pub const JOB_ID: &str = "3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b4c71";
pub const CURSOR: &str = "eyJhbGciOiJIUzI1NiJ9.eyJjYWxsSWQiOjcxMjk4NzY1fQ";

/// A client for the mock server, with default settings (no extra headers, no
/// body limit).
pub fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), RequestSettings::default())
}

/// A client for the mock server with the given settings.
pub fn client_with(server: &MockServer, settings: RequestSettings) -> Client {
    Client::new(&server.base_url(), settings)
}

/// `Some(value.to_owned())`, to keep expected structs readable.
pub fn s(value: &str) -> Option<String> {
    Some(value.to_owned())
}

/// Answers with `body` verbatim, so that a test controls every byte and the
/// content type instead of relying on the typed mocks' serializer.
pub fn reply(then: Then, status: u16, content_type: &str, body: &str) -> Then {
    then.status(status)
        .header("content-type", content_type)
        .body(body)
}

/// A matcher requiring exactly `n` query parameters, so that a test which
/// names every expected parameter also rules out stray ones.
pub fn query_len(n: usize) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    move |req: &HttpMockRequest| req.query_params().len() == n
}

/// Unwraps the `ErrorResponse` variant, failing the test on any other error.
pub fn error_response(
    result: Result<impl std::fmt::Debug, Error<ErrorResponse>>,
) -> gong_flows_api::ResponseValue<ErrorResponse> {
    match result {
        Err(Error::ErrorResponse(value)) => value,
        other => panic!("expected Error::ErrorResponse, got {other:?}"),
    }
}

/// The ten operations of the flows API, so that tests which must hold for
/// every operation (errors, headers, body limits) can loop over them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    ListFlows,
    ListFlowsFolders,
    GetProspectsAssignedFlows,
    AssignProspects,
    AssignProspectsCoolOffOverrides,
    UnassignProspectFlows,
    UnassignFlows,
    GetFlowSteps,
    SubmitFlowProspectsBulkAssignment,
    GetFlowProspectsBulkAssignment,
}

impl Op {
    pub const ALL: [Op; 10] = [
        Op::ListFlows,
        Op::ListFlowsFolders,
        Op::GetProspectsAssignedFlows,
        Op::AssignProspects,
        Op::AssignProspectsCoolOffOverrides,
        Op::UnassignProspectFlows,
        Op::UnassignFlows,
        Op::GetFlowSteps,
        Op::SubmitFlowProspectsBulkAssignment,
        Op::GetFlowProspectsBulkAssignment,
    ];

    /// The HTTP method, as Gong documents it.
    pub fn method(self) -> Method {
        match self {
            Op::ListFlows | Op::ListFlowsFolders | Op::GetFlowProspectsBulkAssignment => {
                Method::GET
            }
            _ => Method::POST,
        }
    }

    /// The path `call` requests, as Gong documents it.
    pub fn path(self) -> String {
        match self {
            Op::ListFlows => "/v2/flows".to_owned(),
            Op::ListFlowsFolders => "/v2/flows/folders".to_owned(),
            Op::GetProspectsAssignedFlows => "/v2/flows/prospects".to_owned(),
            Op::AssignProspects => "/v2/flows/prospects/assign".to_owned(),
            Op::AssignProspectsCoolOffOverrides => {
                "/v2/flows/prospects/assign/cool-off-override".to_owned()
            }
            Op::UnassignProspectFlows => "/v2/flows/prospects/unassign-flows-by-crm-id".to_owned(),
            Op::UnassignFlows => "/v2/flows/prospects/unassign-flows-by-instance-id".to_owned(),
            Op::GetFlowSteps => "/v2/flows/steps".to_owned(),
            Op::SubmitFlowProspectsBulkAssignment => {
                "/v2/flows/prospects/bulk-assignments".to_owned()
            }
            Op::GetFlowProspectsBulkAssignment => {
                format!("/v2/flows/prospects/bulk-assignments/{JOB_ID}")
            }
        }
    }

    /// The success status Gong answers with.
    pub fn success(self) -> u16 {
        match self {
            Op::SubmitFlowProspectsBulkAssignment => 202,
            _ => 200,
        }
    }

    /// The error statuses `openapi/flows.yaml` declares for the operation
    /// (Gong's document leaves 403 out on the two unassign operations; ours
    /// declares it, see openapi/known-differences.yaml).
    pub fn declared_errors(self) -> &'static [u16] {
        match self {
            Op::ListFlows
            | Op::ListFlowsFolders
            | Op::GetProspectsAssignedFlows
            | Op::UnassignProspectFlows
            | Op::UnassignFlows => &[400, 401, 403, 429, 500],
            Op::AssignProspects
            | Op::AssignProspectsCoolOffOverrides
            | Op::GetFlowSteps
            | Op::SubmitFlowProspectsBulkAssignment
            | Op::GetFlowProspectsBulkAssignment => &[400, 401, 403, 404, 429, 500],
        }
    }

    /// Calls the operation with small valid inputs and returns the status of
    /// a successful answer; the decoded value is dropped, since tests using
    /// this helper check the transport, not the payload.
    pub async fn call(self, client: &Client) -> Result<u16, Error<ErrorResponse>> {
        match self {
            Op::ListFlows => client
                .list_flows()
                .flow_owner_email(OWNER)
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Op::ListFlowsFolders => client
                .list_flows_folders()
                .flow_folder_owner_email(OWNER)
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Op::GetProspectsAssignedFlows => client
                .get_prospects_assigned_flows()
                .body(ProspectsAssignedFlowsRequestV2 {
                    crm_prospects_ids: Some(vec![CRM_ID.to_owned()]),
                    flow_instance_ids: None,
                })
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Op::AssignProspects => client
                .assign_prospects()
                .body(assign_body())
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Op::AssignProspectsCoolOffOverrides => client
                .assign_prospects_cool_off_overrides()
                .body(assign_body())
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Op::UnassignProspectFlows => client
                .unassign_prospect_flows()
                .body(UnassignProspectFlowsRequest {
                    crm_prospect_id: CRM_ID.to_owned(),
                    flow_id: None,
                    unassigned_by_user_email: None,
                })
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Op::UnassignFlows => client
                .unassign_flows()
                .body(UnassignFlowsRequest {
                    flow_instance_ids: vec![INSTANCE_ID.to_owned()],
                    unassigned_by_user_email: None,
                })
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Op::GetFlowSteps => client
                .get_flow_steps()
                .body(FlowStepsRequest {
                    flow_ids: vec![FLOW_ID.to_owned()],
                })
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Op::SubmitFlowProspectsBulkAssignment => client
                .submit_flow_prospects_bulk_assignment()
                .body(FlowProspectsBulkAssignmentRequest {
                    flow_id: FLOW_ID.to_owned(),
                    flow_instance_owner_email: OWNER.to_owned(),
                    prospects: vec![FlowAssignmentProspect {
                        crm_id: s(CRM_ID),
                        ..Default::default()
                    }],
                })
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Op::GetFlowProspectsBulkAssignment => client
                .get_flow_prospects_bulk_assignment()
                .id(JOB_ID)
                .send()
                .await
                .map(|r| r.status().as_u16()),
        }
    }
}

/// The smallest valid assignment: the three required fields only.
pub fn assign_body() -> AssignFlowRequestV2 {
    AssignFlowRequestV2 {
        crm_prospects_ids: vec![CRM_ID.to_owned()],
        flow_id: FLOW_ID.to_owned(),
        flow_instance_owner_email: OWNER.to_owned(),
        flow_instance_description: None,
        overrides: None,
    }
}
