//! Wire tests of the write operations: the JSON bodies must carry Gong's
//! exact field names (`crmProspectsIds` plural beside `crmProspectId`
//! singular, `flowInstanceOwnerEmail`, `unassignedByUserEmail`, the
//! `overrides` object), optional fields must be left out rather than sent as
//! `null`, and the answers must decode into the typed responses.
//!
//! Bodies are matched with `json_body`, which in httpmock is an exact (strict)
//! comparison of the whole JSON document: a missing, extra or misspelt key
//! fails the match.

mod common;

use common::{
    CRM_ID, FLOW_ID, GONG_OK, INSTANCE_ID, JOB_ID, OWNER, assign_body, client, query_len, reply, s,
};
use gong_flows_api::Error;
use gong_flows_api::types::{
    AssignErrorCode, AssignFlowRequestV2, AssignOverrides, AssignedFlowFailure,
    BulkAssignmentStatus, FlowAssignmentProspect, FlowInstanceStatus,
    FlowProspectsBulkAssignmentRequest, PublicApiAssignedFlow, PublicApiStepContentOverride,
    PublicApiVariableValueOverride, UnassignFlowsRequest, UnassignProspectFlowsRequest,
};
use gong_flows_httpmock::MockServerExt;
use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::json;

/// An assignment using every optional field: overrides and a description.
fn full_assign_body() -> AssignFlowRequestV2 {
    AssignFlowRequestV2 {
        crm_prospects_ids: vec![
            CRM_ID.to_owned(),
            "00Q5g000004ABCDEA4".to_owned(),
            "not-a-crm-id".to_owned(),
        ],
        flow_id: FLOW_ID.to_owned(),
        flow_instance_owner_email: OWNER.to_owned(),
        flow_instance_description: s("<p>Webinar follow-up</p>"),
        overrides: Some(AssignOverrides {
            steps: vec![
                PublicApiStepContentOverride {
                    number: 1,
                    subject: s("Quick question"),
                    body: s("<p>Hi {{recipient.first_name}}</p>"),
                },
                PublicApiStepContentOverride {
                    number: 3,
                    subject: s("Following up"),
                    body: None,
                },
            ],
            flow_instance_variables: vec![PublicApiVariableValueOverride {
                name: "recipient.first_name".to_owned(),
                value: "Mike".to_owned(),
            }],
            cool_off_override: Some(true),
        }),
    }
}

/// `full_assign_body` as Gong spells it on the wire.
fn full_assign_json() -> serde_json::Value {
    json!({
        "crmProspectsIds": [CRM_ID, "00Q5g000004ABCDEA4", "not-a-crm-id"],
        "flowId": FLOW_ID,
        "flowInstanceOwnerEmail": OWNER,
        "flowInstanceDescription": "<p>Webinar follow-up</p>",
        "overrides": {
            "steps": [
                {"number": 1, "subject": "Quick question", "body": "<p>Hi {{recipient.first_name}}</p>"},
                {"number": 3, "subject": "Following up"}
            ],
            "flowInstanceVariables": [{"name": "recipient.first_name", "value": "Mike"}],
            "coolOffOverride": true
        }
    })
}

/// A partial success: two prospects assigned, one refused.
const ASSIGN_ANSWER: &str = r#"{
  "requestId": "4al018gzaztcr8nbukw",
  "prospectsAssigned": [
    {"flowId": "1695493301223590792", "flowName": "SDR Flow", "crmProspectId": "a5V1Q00A120DP4CVAW",
     "flowInstanceId": "1234361284629356", "flowInstanceOwnerEmail": "owner@example.com",
     "flowInstanceOwnerFullName": "Test User", "flowInstanceCreateDate": "2019-01-20T00:00:00-08:00",
     "flowInstanceStatus": "Pending", "workspaceId": "623457276584334", "exclusive": true},
    {"flowId": "1695493301223590792", "flowName": "SDR Flow", "crmProspectId": "00Q5g000004ABCDEA4",
     "flowInstanceId": "1234361284629357", "flowInstanceStatus": "Running"}
  ],
  "prospectsNotAssigned": [
    {"flowId": "1695493301223590792", "crmProspectId": "not-a-crm-id",
     "errorCode": "InvalidArgument", "errorMessage": "Invalid crmId <not-a-crm-id>"}
  ]
}"#;

/// Checks the decoded `ASSIGN_ANSWER`.
fn assert_assign_answer(answer: &gong_flows_api::types::AssignFlowResponse) {
    assert_eq!(answer.request_id.as_deref(), Some("4al018gzaztcr8nbukw"));
    assert_eq!(
        answer.prospects_assigned[0],
        PublicApiAssignedFlow {
            flow_id: s(FLOW_ID),
            flow_name: s("SDR Flow"),
            crm_prospect_id: s(CRM_ID),
            flow_instance_id: s(INSTANCE_ID),
            flow_instance_owner_email: s(OWNER),
            flow_instance_owner_full_name: s("Test User"),
            flow_instance_create_date: s("2019-01-20T00:00:00-08:00"),
            flow_instance_status: Some(FlowInstanceStatus::Pending),
            workspace_id: s("623457276584334"),
            exclusive: Some(true),
        }
    );
    assert_eq!(
        answer.prospects_assigned[1].crm_prospect_id.as_deref(),
        Some("00Q5g000004ABCDEA4")
    );
    assert_eq!(
        answer.prospects_assigned[1].flow_instance_status,
        Some(FlowInstanceStatus::Running)
    );
    assert_eq!(
        answer.prospects_not_assigned,
        vec![AssignedFlowFailure {
            flow_id: s(FLOW_ID),
            crm_prospect_id: s("not-a-crm-id"),
            error_code: Some(AssignErrorCode::InvalidArgument),
            error_message: s("Invalid crmId <not-a-crm-id>"),
        }]
    );
}

// ----------------------------------------------------------- assignProspects

#[tokio::test]
async fn assign_prospects_sends_every_field_by_gongs_name() {
    let server = MockServer::start_async().await;
    let mock = server.assign_prospects(|when, then| {
        when.into_inner()
            .method(POST)
            .path("/v2/flows/prospects/assign")
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .is_true(query_len(0))
            .json_body(full_assign_json());
        reply(then.into_inner(), 200, GONG_OK, ASSIGN_ANSWER);
    });

    let result = client(&server)
        .assign_prospects()
        .body(full_assign_body())
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("assignProspects decodes");
    assert_eq!(answer.status().as_u16(), 200);
    assert_assign_answer(&answer);
}

#[tokio::test]
async fn assign_prospects_leaves_out_unset_optional_fields() {
    let server = MockServer::start_async().await;
    let mock = server.assign_prospects(|when, then| {
        // No `overrides`, no `flowInstanceDescription`, and no nulls.
        when.into_inner()
            .method(POST)
            .path("/v2/flows/prospects/assign")
            .json_body(json!({
                "crmProspectsIds": [CRM_ID],
                "flowId": FLOW_ID,
                "flowInstanceOwnerEmail": OWNER
            }));
        reply(
            then.into_inner(),
            200,
            GONG_OK,
            r#"{"requestId":"r2","prospectsNotAssigned":[
                {"flowId":"1695493301223590792","crmProspectId":"a5V1Q00A120DP4CVAW","errorCode":"InvalidState","errorMessage":"Prospect is in cool-off"},
                {"flowId":"1695493301223590792","crmProspectId":"a5V1Q00A120DP4CVAW","errorCode":"UnexpectedError"}]}"#,
        );
    });

    let result = client(&server)
        .assign_prospects()
        .body(assign_body())
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("assignProspects decodes");
    assert!(answer.prospects_assigned.is_empty());
    let codes: Vec<_> = answer
        .prospects_not_assigned
        .iter()
        .map(|f| f.error_code.clone())
        .collect();
    assert_eq!(
        codes,
        vec![
            Some(AssignErrorCode::InvalidState),
            Some(AssignErrorCode::UnexpectedError)
        ]
    );
    assert_eq!(
        answer.prospects_not_assigned[0].error_message.as_deref(),
        Some("Prospect is in cool-off")
    );
    assert_eq!(answer.prospects_not_assigned[1].error_message, None);
}

#[tokio::test]
async fn assign_prospects_sends_cool_off_override_false_and_omits_empty_override_lists() {
    let server = MockServer::start_async().await;
    let mock = server.assign_prospects(|when, then| {
        // `false` is a value Gong must see; the empty lists are left out.
        when.into_inner()
            .path("/v2/flows/prospects/assign")
            .json_body(json!({
                "crmProspectsIds": [CRM_ID],
                "flowId": FLOW_ID,
                "flowInstanceOwnerEmail": OWNER,
                "overrides": {"coolOffOverride": false}
            }));
        reply(then.into_inner(), 200, GONG_OK, r#"{"requestId":"r3"}"#);
    });

    let result = client(&server)
        .assign_prospects()
        .body(AssignFlowRequestV2 {
            overrides: Some(AssignOverrides {
                cool_off_override: Some(false),
                ..Default::default()
            }),
            ..assign_body()
        })
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("assignProspects decodes");
    assert_eq!(answer.request_id.as_deref(), Some("r3"));
    assert!(answer.prospects_assigned.is_empty() && answer.prospects_not_assigned.is_empty());
}

#[tokio::test]
async fn assign_prospects_without_a_body_fails_before_sending() {
    let server = MockServer::start_async().await;
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(200).body("{}");
    });

    // The three required fields are unset in the default body builder.
    let result = client(&server).assign_prospects().send().await;

    assert!(
        matches!(result, Err(Error::InvalidRequest(_))),
        "expected Error::InvalidRequest, got {result:?}"
    );
    assert_eq!(any.calls_async().await, 0);
}

// ------------------------------------------- assignProspectsCoolOffOverrides

#[tokio::test]
async fn assign_cool_off_override_posts_the_same_body_to_its_own_path() {
    let server = MockServer::start_async().await;
    let mock = server.assign_prospects_cool_off_overrides(|when, then| {
        when.into_inner()
            .method(POST)
            .path("/v2/flows/prospects/assign/cool-off-override")
            .header("content-type", "application/json")
            .is_true(query_len(0))
            .json_body(full_assign_json());
        reply(then.into_inner(), 200, GONG_OK, ASSIGN_ANSWER);
    });

    let result = client(&server)
        .assign_prospects_cool_off_overrides()
        .body(full_assign_body())
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("assignProspectsCoolOffOverrides decodes");
    assert_eq!(answer.status().as_u16(), 200);
    assert_assign_answer(&answer);
}

// ----------------------------------------------------- unassignProspectFlows

#[tokio::test]
async fn unassign_by_crm_id_sends_crm_prospect_id_singular_and_the_asking_user() {
    let server = MockServer::start_async().await;
    let mock = server.unassign_prospect_flows(|when, then| {
        when.into_inner()
            .method(POST)
            .path("/v2/flows/prospects/unassign-flows-by-crm-id")
            .header("content-type", "application/json")
            .is_true(query_len(0))
            .json_body(json!({
                "crmProspectId": CRM_ID,
                "flowId": FLOW_ID,
                "unassignedByUserEmail": "manager@example.com"
            }));
        reply(
            then.into_inner(),
            200,
            GONG_OK,
            r#"{"requestId":"4al018gzaztcr8nbukw","unassignedFlowInstanceIds":["1234361284629356","1234361284629357"]}"#,
        );
    });

    let result = client(&server)
        .unassign_prospect_flows()
        .body(UnassignProspectFlowsRequest {
            crm_prospect_id: CRM_ID.to_owned(),
            flow_id: s(FLOW_ID),
            unassigned_by_user_email: s("manager@example.com"),
        })
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("unassignProspectFlows decodes");
    assert_eq!(answer.request_id.as_deref(), Some("4al018gzaztcr8nbukw"));
    assert_eq!(
        answer.unassigned_flow_instance_ids,
        Some(vec![INSTANCE_ID.to_owned(), "1234361284629357".to_owned()])
    );
}

#[tokio::test]
async fn unassign_by_crm_id_sends_only_the_prospect_when_nothing_else_is_set() {
    let server = MockServer::start_async().await;
    let mock = server.unassign_prospect_flows(|when, then| {
        when.into_inner()
            .path("/v2/flows/prospects/unassign-flows-by-crm-id")
            .json_body(json!({"crmProspectId": CRM_ID}));
        reply(
            then.into_inner(),
            200,
            GONG_OK,
            r#"{"requestId":"r4","unassignedFlowInstanceIds":["1234361284629356"]}"#,
        );
    });

    let result = client(&server)
        .unassign_prospect_flows()
        .body(UnassignProspectFlowsRequest {
            crm_prospect_id: CRM_ID.to_owned(),
            flow_id: None,
            unassigned_by_user_email: None,
        })
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("unassignProspectFlows decodes");
    assert_eq!(
        answer.unassigned_flow_instance_ids,
        Some(vec![INSTANCE_ID.to_owned()])
    );
}

// ------------------------------------------------------------- unassignFlows

#[tokio::test]
async fn unassign_by_instance_id_sends_flow_instance_ids_and_the_asking_user() {
    let server = MockServer::start_async().await;
    let mock = server.unassign_flows(|when, then| {
        when.into_inner()
            .method(POST)
            .path("/v2/flows/prospects/unassign-flows-by-instance-id")
            .header("content-type", "application/json")
            .is_true(query_len(0))
            .json_body(json!({
                "flowInstanceIds": [INSTANCE_ID, "1234361284629357"],
                "unassignedByUserEmail": "manager@example.com"
            }));
        // An instance that could not be removed is simply absent.
        reply(
            then.into_inner(),
            200,
            GONG_OK,
            r#"{"requestId":"4al018gzaztcr8nbukw","unassignedFlowInstanceIds":["1234361284629356"]}"#,
        );
    });

    let result = client(&server)
        .unassign_flows()
        .body(UnassignFlowsRequest {
            flow_instance_ids: vec![INSTANCE_ID.to_owned(), "1234361284629357".to_owned()],
            unassigned_by_user_email: s("manager@example.com"),
        })
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("unassignFlows decodes");
    assert_eq!(answer.request_id.as_deref(), Some("4al018gzaztcr8nbukw"));
    assert_eq!(
        answer.unassigned_flow_instance_ids,
        Some(vec![INSTANCE_ID.to_owned()])
    );
}

#[tokio::test]
async fn unassign_by_instance_id_leaves_out_the_asking_user_when_unset() {
    let server = MockServer::start_async().await;
    let mock = server.unassign_flows(|when, then| {
        when.into_inner()
            .path("/v2/flows/prospects/unassign-flows-by-instance-id")
            .json_body(json!({"flowInstanceIds": [INSTANCE_ID]}));
        reply(then.into_inner(), 200, GONG_OK, r#"{"requestId":"r5"}"#);
    });

    let result = client(&server)
        .unassign_flows()
        .body(UnassignFlowsRequest {
            flow_instance_ids: vec![INSTANCE_ID.to_owned()],
            unassigned_by_user_email: None,
        })
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("unassignFlows decodes");
    // Without the key at all, the list is absent rather than empty.
    assert_eq!(answer.unassigned_flow_instance_ids, None);
}

// ----------------------------------------- submitFlowProspectsBulkAssignment

#[tokio::test]
async fn bulk_assignment_submit_sends_the_prospects_and_decodes_the_202() {
    let server = MockServer::start_async().await;
    let mock = server.submit_flow_prospects_bulk_assignment(|when, then| {
        when.into_inner()
            .method(POST)
            .path("/v2/flows/prospects/bulk-assignments")
            .header("content-type", "application/json")
            .is_true(query_len(0))
            .json_body(json!({
                "flowInstanceOwnerEmail": OWNER,
                "flowId": FLOW_ID,
                "prospects": [
                    {"crmId": CRM_ID},
                    {
                        "firstName": "Mike",
                        "lastName": "Smith",
                        "email": "mike.smith@example.com",
                        "jobTitle": "VP Sales",
                        "linkedInUrl": "https://www.linkedin.com/in/mikesmith",
                        "accountCrmId": "0015g00000XyZabAAB",
                        "companyName": "Example Inc."
                    }
                ]
            }));
        reply(
            then.into_inner(),
            202,
            GONG_OK,
            &json!({
                "requestId": "4al018gzaztcr8nbukw",
                "id": JOB_ID,
                "status": "IN_PROGRESS",
                "totalCount": 2,
                "processedCount": 1,
                "successCount": 1,
                "failedCount": 0,
                "results": [{"prospect": {"crmId": CRM_ID}, "status": "ASSIGNED", "crmId": CRM_ID, "flowInstanceId": INSTANCE_ID}]
            })
            .to_string(),
        );
    });

    let result = client(&server)
        .submit_flow_prospects_bulk_assignment()
        .body(FlowProspectsBulkAssignmentRequest {
            flow_instance_owner_email: OWNER.to_owned(),
            flow_id: FLOW_ID.to_owned(),
            prospects: vec![
                FlowAssignmentProspect {
                    crm_id: s(CRM_ID),
                    ..Default::default()
                },
                FlowAssignmentProspect {
                    first_name: s("Mike"),
                    last_name: s("Smith"),
                    email: s("mike.smith@example.com"),
                    job_title: s("VP Sales"),
                    linked_in_url: s("https://www.linkedin.com/in/mikesmith"),
                    crm_id: None,
                    account_crm_id: s("0015g00000XyZabAAB"),
                    company_name: s("Example Inc."),
                },
            ],
        })
        .send()
        .await;

    mock.assert_async().await;
    let job = result.expect("submitFlowProspectsBulkAssignment decodes its 202");
    assert_eq!(job.status().as_u16(), 202);
    assert_eq!(job.request_id.as_deref(), Some("4al018gzaztcr8nbukw"));
    assert_eq!(job.id.as_deref(), Some(JOB_ID));
    assert_eq!(job.status, Some(BulkAssignmentStatus::InProgress));
    assert_eq!(
        (
            job.total_count,
            job.processed_count,
            job.success_count,
            job.failed_count
        ),
        (Some(2), Some(1), Some(1), Some(0))
    );
    assert_eq!(job.results.len(), 1);
    assert_eq!(
        job.results[0].flow_instance_id.as_deref(),
        Some(INSTANCE_ID)
    );
}

#[tokio::test]
async fn bulk_assignment_submit_decodes_a_fresh_pending_job_without_results() {
    let server = MockServer::start_async().await;
    let mock = server.submit_flow_prospects_bulk_assignment(|when, then| {
        when.into_inner()
            .path("/v2/flows/prospects/bulk-assignments")
            .json_body(json!({
                "flowInstanceOwnerEmail": OWNER,
                "flowId": FLOW_ID,
                "prospects": [{"crmId": CRM_ID}]
            }));
        reply(
            then.into_inner(),
            202,
            GONG_OK,
            &json!({"requestId": "r6", "id": JOB_ID, "status": "PENDING", "totalCount": 1,
                    "processedCount": 0, "successCount": 0, "failedCount": 0, "results": []})
            .to_string(),
        );
    });

    let result = client(&server)
        .submit_flow_prospects_bulk_assignment()
        .body(FlowProspectsBulkAssignmentRequest {
            flow_instance_owner_email: OWNER.to_owned(),
            flow_id: FLOW_ID.to_owned(),
            prospects: vec![FlowAssignmentProspect {
                crm_id: s(CRM_ID),
                ..Default::default()
            }],
        })
        .send()
        .await;

    mock.assert_async().await;
    let job = result.expect("a 202 is a success");
    assert_eq!(job.status().as_u16(), 202);
    assert_eq!(job.status, Some(BulkAssignmentStatus::Pending));
    assert_eq!(job.total_count, Some(1));
    assert_eq!(job.processed_count, Some(0));
    assert!(job.results.is_empty());
}
