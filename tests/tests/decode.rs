//! Decoding tests: the answers recorded from the real service (byte for byte,
//! with the content types it really sends), forward compatibility with enum
//! values and fields Gong adds later, and lossless re-serialization of values
//! this version does not know.

mod common;

use common::{
    CRM_ID, FLOW_ID, GONG_ERR, GONG_OK, INSTANCE_ID, JOB_ID, OWNER, assign_body, client,
    error_response, reply,
};
use gong_flows_api::types::{
    AssignErrorCode, BulkAssignmentStatus, FlowAssignmentResultStatus, FlowInstanceStatus,
    FlowStepAction, FlowStepsRequest, FlowVisibility, ProspectsAssignedFlowsRequestV2, Records,
    UnassignFlowsRequest, UnassignProspectFlowsRequest,
};
use gong_flows_httpmock::MockServerExt;
use httpmock::MockServer;
use serde_json::json;

// ------------------------------------------------------ recorded real answers

#[tokio::test]
async fn recorded_empty_flows_page_has_records_but_no_cursor() {
    let server = MockServer::start_async().await;
    server.list_flows(|when, then| {
        when.into_inner().path("/v2/flows");
        reply(
            then.into_inner(),
            200,
            GONG_OK,
            r#"{"requestId":"1aztwuefb9b8sktif0k","records":{"totalRecords":0,"currentPageSize":0,"currentPageNumber":0},"flows":[]}"#,
        );
    });

    let page = client(&server)
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await
        .expect("the recorded empty page decodes");

    assert_eq!(page.request_id.as_deref(), Some("1aztwuefb9b8sktif0k"));
    // No cursor is how the last page is recognised.
    assert_eq!(
        page.records,
        Some(Records {
            total_records: Some(0),
            current_page_size: Some(0),
            current_page_number: Some(0),
            cursor: None,
        })
    );
    assert!(page.flows.is_empty());
    assert_eq!(
        page.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some(GONG_OK)
    );
}

#[tokio::test]
async fn recorded_unassign_by_unknown_crm_id_is_an_empty_success() {
    let server = MockServer::start_async().await;
    server.unassign_prospect_flows(|when, then| {
        when.into_inner()
            .path("/v2/flows/prospects/unassign-flows-by-crm-id")
            .json_body(json!({"crmProspectId": "0035g00000UNKNOWN"}));
        reply(
            then.into_inner(),
            200,
            GONG_OK,
            r#"{"requestId":"4n08sfvx7d0p21d1z04","unassignedFlowInstanceIds":[]}"#,
        );
    });

    let answer = client(&server)
        .unassign_prospect_flows()
        .body(UnassignProspectFlowsRequest {
            crm_prospect_id: "0035g00000UNKNOWN".to_owned(),
            flow_id: None,
            unassigned_by_user_email: None,
        })
        .send()
        .await
        .expect("the recorded answer decodes");

    assert_eq!(answer.request_id.as_deref(), Some("4n08sfvx7d0p21d1z04"));
    assert_eq!(answer.unassigned_flow_instance_ids, Some(vec![]));
}

#[tokio::test]
async fn recorded_prospects_flows_for_unknown_crm_id_is_an_empty_success() {
    let server = MockServer::start_async().await;
    server.get_prospects_assigned_flows(|when, then| {
        when.into_inner()
            .path("/v2/flows/prospects")
            .json_body(json!({"crmProspectsIds": ["0035g00000UNKNOWN"]}));
        reply(
            then.into_inner(),
            200,
            GONG_OK,
            r#"{"requestId":"4u3dx3q6vsi4oend0lk","prospectsAssigned":[]}"#,
        );
    });

    let answer = client(&server)
        .get_prospects_assigned_flows()
        .body(ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: Some(vec!["0035g00000UNKNOWN".to_owned()]),
            flow_instance_ids: None,
        })
        .send()
        .await
        .expect("the recorded answer decodes");

    assert_eq!(answer.request_id.as_deref(), Some("4u3dx3q6vsi4oend0lk"));
    assert!(answer.prospects_assigned.is_empty());
}

#[tokio::test]
async fn recorded_steps_404_for_unknown_flow_carries_request_id_and_errors() {
    let server = MockServer::start_async().await;
    server.get_flow_steps(|when, then| {
        when.into_inner()
            .path("/v2/flows/steps")
            .json_body(json!({"flowIds": ["1234567890123456789"]}));
        reply(
            then.into_inner(),
            404,
            GONG_ERR,
            r#"{"requestId":"3xym5da31oao6dvenwb","errors":["Flow not found: flowId=1234567890123456789"]}"#,
        );
    });

    let result = client(&server)
        .get_flow_steps()
        .body(FlowStepsRequest {
            flow_ids: vec!["1234567890123456789".to_owned()],
        })
        .send()
        .await;

    let error = error_response(result);
    assert_eq!(error.status().as_u16(), 404);
    assert_eq!(error.request_id.as_deref(), Some("3xym5da31oao6dvenwb"));
    assert_eq!(
        error.errors,
        vec!["Flow not found: flowId=1234567890123456789".to_owned()]
    );
}

#[tokio::test]
async fn recorded_cool_off_404_for_bad_flow_carries_request_id_and_errors() {
    let server = MockServer::start_async().await;
    server.assign_prospects_cool_off_overrides(|when, then| {
        when.into_inner()
            .path("/v2/flows/prospects/assign/cool-off-override");
        reply(
            then.into_inner(),
            404,
            GONG_ERR,
            r#"{"requestId":"r4qbut5wh5npgs2hlr","errors":["Flow not found"]}"#,
        );
    });

    let result = client(&server)
        .assign_prospects_cool_off_overrides()
        .body(assign_body())
        .send()
        .await;

    let error = error_response(result);
    assert_eq!(error.status().as_u16(), 404);
    assert_eq!(error.request_id.as_deref(), Some("r4qbut5wh5npgs2hlr"));
    assert_eq!(error.errors, vec!["Flow not found".to_owned()]);
    assert_eq!(
        error
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some(GONG_ERR)
    );
}

#[tokio::test]
async fn recorded_unassign_by_unknown_instance_id_fails_the_whole_request_with_400() {
    let server = MockServer::start_async().await;
    server.unassign_flows(|when, then| {
        when.into_inner()
            .path("/v2/flows/prospects/unassign-flows-by-instance-id");
        reply(
            then.into_inner(),
            400,
            GONG_ERR,
            r#"{"requestId":"2c9vq7wz1mso0tq3hbe","errors":["One or more of the given flowInstanceIds does not exist"]}"#,
        );
    });

    let result = client(&server)
        .unassign_flows()
        .body(UnassignFlowsRequest {
            flow_instance_ids: vec![INSTANCE_ID.to_owned(), "999".to_owned()],
            unassigned_by_user_email: None,
        })
        .send()
        .await;

    let error = error_response(result);
    assert_eq!(error.status().as_u16(), 400);
    assert_eq!(
        error.errors,
        vec!["One or more of the given flowInstanceIds does not exist".to_owned()]
    );
}

#[tokio::test]
async fn unknown_bulk_job_id_is_a_404_error_response() {
    let server = MockServer::start_async().await;
    server.get_flow_prospects_bulk_assignment(|when, then| {
        when.id("00000000-0000-0000-0000-000000000000");
        reply(
            then.into_inner(),
            404,
            GONG_ERR,
            r#"{"requestId":"6h2kd9s0x1mfq3ab7c","errors":["Flow prospects bulk assignment 00000000-0000-0000-0000-000000000000 not found"]}"#,
        );
    });

    let result = client(&server)
        .get_flow_prospects_bulk_assignment()
        .id("00000000-0000-0000-0000-000000000000")
        .send()
        .await;

    let error = error_response(result);
    assert_eq!(error.status().as_u16(), 404);
    assert_eq!(error.request_id.as_deref(), Some("6h2kd9s0x1mfq3ab7c"));
    assert_eq!(
        error.errors,
        vec![
            "Flow prospects bulk assignment 00000000-0000-0000-0000-000000000000 not found"
                .to_owned()
        ]
    );
}

// ------------------------------------------------------- unknown enum values

#[tokio::test]
async fn unknown_flow_instance_status_decodes_as_unknown_and_round_trips() {
    let server = MockServer::start_async().await;
    // A seventh status, and a known one in the wrong case: both are values
    // this version does not know, kept verbatim.
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "prospectsAssigned": [
            {"flowId": FLOW_ID, "crmProspectId": CRM_ID, "flowInstanceId": INSTANCE_ID, "flowInstanceStatus": "Archived"},
            {"flowId": FLOW_ID, "crmProspectId": CRM_ID, "flowInstanceId": "1234361284629357", "flowInstanceStatus": "running"},
            {"flowId": FLOW_ID, "crmProspectId": CRM_ID, "flowInstanceId": "1234361284629358", "flowInstanceStatus": "Running"}
        ]
    });
    server.get_prospects_assigned_flows(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let answer = client(&server)
        .get_prospects_assigned_flows()
        .body(ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: Some(vec![CRM_ID.to_owned()]),
            flow_instance_ids: None,
        })
        .send()
        .await
        .expect("an unknown status must not fail decoding")
        .into_inner();

    let statuses: Vec<_> = answer
        .prospects_assigned
        .iter()
        .map(|p| p.flow_instance_status.clone().expect("status present"))
        .collect();
    assert_eq!(
        statuses,
        vec![
            FlowInstanceStatus::Unknown("Archived".to_owned()),
            FlowInstanceStatus::Unknown("running".to_owned()),
            FlowInstanceStatus::Running,
        ]
    );
    assert!(statuses[0].is_unknown());
    assert_eq!(statuses[0].as_str(), "Archived");
    assert_eq!(statuses[0].to_string(), "Archived");
    assert!(!statuses[2].is_unknown());
    // Written back exactly as it came.
    assert_eq!(serde_json::to_value(&answer).unwrap(), body);
}

#[tokio::test]
async fn unknown_step_action_decodes_as_unknown_and_round_trips() {
    let server = MockServer::start_async().await;
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "flows": [{
            "id": FLOW_ID,
            "visibility": "Team",
            "steps": [
                {"id": "1", "stepOrder": 1, "action": "SEND_SMS", "isReply": false},
                {"id": "2", "stepOrder": 2, "action": "CALL"}
            ]
        }]
    });
    server.get_flow_steps(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let answer = client(&server)
        .get_flow_steps()
        .body(FlowStepsRequest {
            flow_ids: vec![FLOW_ID.to_owned()],
        })
        .send()
        .await
        .expect("an unknown action must not fail decoding")
        .into_inner();

    let flow = &answer.flows[0];
    assert_eq!(
        flow.steps[0].action,
        Some(FlowStepAction::Unknown("SEND_SMS".to_owned()))
    );
    assert_eq!(flow.steps[1].action, Some(FlowStepAction::Call));
    // Visibility grew from two values to three once; a fourth must not break.
    assert_eq!(
        flow.visibility,
        Some(FlowVisibility::Unknown("Team".to_owned()))
    );
    assert_eq!(serde_json::to_value(&answer).unwrap(), body);
}

#[tokio::test]
async fn unknown_bulk_statuses_decode_as_unknown_and_round_trip() {
    let server = MockServer::start_async().await;
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "id": JOB_ID,
        "status": "CANCELLED",
        "totalCount": 1,
        "results": [
            {"prospect": {"crmId": CRM_ID}, "status": "SKIPPED_DUPLICATE", "errorCode": "DUPLICATE"}
        ]
    });
    server.get_flow_prospects_bulk_assignment(|when, then| {
        when.id(JOB_ID);
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let job = client(&server)
        .get_flow_prospects_bulk_assignment()
        .id(JOB_ID)
        .send()
        .await
        .expect("unknown job and result statuses must not fail decoding")
        .into_inner();

    assert_eq!(
        job.status,
        Some(BulkAssignmentStatus::Unknown("CANCELLED".to_owned()))
    );
    assert_eq!(
        job.results[0].status,
        Some(FlowAssignmentResultStatus::Unknown(
            "SKIPPED_DUPLICATE".to_owned()
        ))
    );
    assert_eq!(serde_json::to_value(&job).unwrap(), body);
}

#[tokio::test]
async fn unknown_assign_error_code_decodes_as_unknown_and_round_trips() {
    let server = MockServer::start_async().await;
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "prospectsNotAssigned": [
            {"flowId": FLOW_ID, "crmProspectId": CRM_ID, "errorCode": "AlreadyInFlow", "errorMessage": "Prospect already in flow"}
        ]
    });
    server.assign_prospects(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let answer = client(&server)
        .assign_prospects()
        .body(assign_body())
        .send()
        .await
        .expect("an unknown error code must not fail decoding")
        .into_inner();

    assert_eq!(
        answer.prospects_not_assigned[0].error_code,
        Some(AssignErrorCode::Unknown("AlreadyInFlow".to_owned()))
    );
    assert_eq!(serde_json::to_value(&answer).unwrap(), body);
}

/// Serializes each known value and decodes it back, returning the wire
/// spellings; fails if a known value does not decode to itself (it would
/// otherwise silently become `Unknown`, or be sent misspelt).
fn spellings<T>(known: &[T]) -> Vec<String>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    known
        .iter()
        .map(|value| {
            let wire = serde_json::to_value(value).unwrap();
            let back: T = serde_json::from_value(wire.clone()).unwrap();
            assert_eq!(&back, value, "{wire} does not decode to {value:?}");
            match wire {
                serde_json::Value::String(spelling) => spelling,
                other => panic!("an enum must serialize as a string, got {other}"),
            }
        })
        .collect()
}

#[test]
fn every_known_enum_value_round_trips_through_gongs_spelling() {
    assert_eq!(
        spellings(FlowVisibility::KNOWN),
        ["Company", "Personal", "Shared"]
    );
    assert_eq!(
        spellings(FlowInstanceStatus::KNOWN),
        [
            "Running",
            "Pending",
            "Paused",
            "FinishedNoReply",
            "FinishedResponse",
            "Finished"
        ]
    );
    assert_eq!(
        spellings(AssignErrorCode::KNOWN),
        ["InvalidArgument", "InvalidState", "UnexpectedError"]
    );
    assert_eq!(
        spellings(FlowStepAction::KNOWN),
        [
            "SEND_EMAIL",
            "AUTO_SEND_EMAIL",
            "CALL",
            "LINKEDIN_CONNECT",
            "LINKEDIN_MESSAGE",
            "CUSTOM"
        ]
    );
    assert_eq!(
        spellings(BulkAssignmentStatus::KNOWN),
        ["PENDING", "IN_PROGRESS", "COMPLETED", "FAILED"]
    );
    assert_eq!(
        spellings(FlowAssignmentResultStatus::KNOWN),
        ["CRM_OPERATION_FAILED", "FLOW_ASSIGNMENT_FAILED", "ASSIGNED"]
    );
}

// ----------------------------------------------------- unknown extra fields

#[tokio::test]
async fn unknown_fields_are_ignored_at_every_level() {
    let server = MockServer::start_async().await;
    // New fields at the top, inside `records` and inside each flow, of
    // every JSON type; the known fields must still decode.
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "pageToken": {"nested": [1, 2, 3]},
        "records": {"totalRecords": 1, "currentPageSize": 1, "currentPageNumber": 0, "hasMore": false},
        "flows": [{
            "id": FLOW_ID,
            "name": "SDR Flow",
            "visibility": "Company",
            "exclusive": true,
            "color": "blue",
            "stepCount": 6,
            "tags": ["a", "b"],
            "archivedAt": null
        }],
        "warnings": null
    });
    server.list_flows(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let page = client(&server)
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await
        .expect("unknown fields must not fail decoding")
        .into_inner();

    assert_eq!(page.request_id.as_deref(), Some("4al018gzaztcr8nbukw"));
    assert_eq!(page.records.as_ref().and_then(|r| r.total_records), Some(1));
    assert_eq!(page.flows.len(), 1);
    assert_eq!(page.flows[0].id.as_deref(), Some(FLOW_ID));
    assert_eq!(page.flows[0].name.as_deref(), Some("SDR Flow"));
    assert_eq!(page.flows[0].exclusive, Some(true));
    assert_eq!(page.flows[0].visibility, Some(FlowVisibility::Company));
}

#[tokio::test]
async fn unknown_fields_in_an_error_body_are_ignored() {
    let server = MockServer::start_async().await;
    server.list_flows(|_when, then| {
        reply(
            then.into_inner(),
            400,
            GONG_ERR,
            r#"{"requestId":"9q8w7e6r5t4y3u2i1o","errors":["flowOwnerEmail is invalid"],"code":"BAD_EMAIL","timestamp":1718000000}"#,
        );
    });

    let result = client(&server)
        .list_flows()
        .flow_owner_email("not-an-email")
        .send()
        .await;

    let error = error_response(result);
    assert_eq!(error.request_id.as_deref(), Some("9q8w7e6r5t4y3u2i1o"));
    assert_eq!(error.errors, vec!["flowOwnerEmail is invalid".to_owned()]);
}
