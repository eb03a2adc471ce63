//! Wire tests of the read operations: what the generated client puts on the
//! wire (method, path, query, body, spelled as Gong spells them) and how it
//! decodes Gong's 200 answers into the typed responses.
//!
//! Expectations are written as literal paths, parameter names and raw JSON
//! rather than through the typed mocks' own helpers, because the mocks are
//! generated from the same spec as the client: a misspelling in the spec
//! would otherwise be checked against itself.

mod common;

use common::{
    CRM_ID, CURSOR, FLOW_ID, GONG_OK, INSTANCE_ID, JOB_ID, OWNER, client, query_len, reply, s,
};
use gong_flows_api::Error;
use gong_flows_api::types::{
    BulkAssignmentStatus, FlowAssignmentProspect, FlowAssignmentResult, FlowAssignmentResultStatus,
    FlowInstanceStatus, FlowStepAction, FlowStepsRequest, FlowVisibility,
    ProspectsAssignedFlowsRequestV2, PublicApiAssignedFlow, PublicApiFlow, PublicApiFlowFolder,
    PublicApiFlowStep, Records,
};
use gong_flows_httpmock::MockServerExt;
use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use serde_json::json;

// ---------------------------------------------------------------- listFlows

#[tokio::test]
async fn list_flows_sends_every_query_parameter_by_gongs_name() {
    let server = MockServer::start_async().await;
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "records": {
            "totalRecords": 263,
            "currentPageSize": 3,
            "currentPageNumber": 0,
            "cursor": "bmV4dC1wYWdl"
        },
        "flows": [
            {
                "id": FLOW_ID,
                "name": "SDR Flow",
                "folderId": "6543219876543210",
                "folderName": "Outbound",
                "visibility": "Company",
                "creationDate": "2024-01-17T16:20:05-03:00",
                "exclusive": false
            },
            {
                "id": "1695493301223590793",
                "name": "My follow-up",
                "folderId": "6543219876543211",
                "folderName": "Mine",
                "visibility": "Personal",
                "creationDate": "2016-02-16T03:57:04.834+05:30",
                "exclusive": true
            },
            {
                "id": "1695493301223590794",
                "name": "Team sequence",
                "visibility": "Shared"
            }
        ]
    });
    let mock = server.list_flows(|when, then| {
        // `+` in the email must survive query encoding.
        when.into_inner()
            .method(GET)
            .path("/v2/flows")
            .query_param("flowOwnerEmail", "sdr+owner@example.com")
            .query_param("cursor", CURSOR)
            .query_param("workspaceId", "623457276584334")
            .query_param("folderId", "6543219876543210")
            .query_param("mostRecentlyAssigned", "true")
            .header("accept", "application/json")
            .is_true(query_len(5));
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let result = client(&server)
        .list_flows()
        .flow_owner_email("sdr+owner@example.com")
        .cursor(CURSOR)
        .workspace_id("623457276584334")
        .folder_id("6543219876543210")
        .most_recently_assigned(true)
        .send()
        .await;

    mock.assert_async().await;
    let page = result.expect("listFlows decodes");
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(page.request_id.as_deref(), Some("4al018gzaztcr8nbukw"));
    assert_eq!(
        page.records,
        Some(Records {
            total_records: Some(263),
            current_page_size: Some(3),
            current_page_number: Some(0),
            cursor: s("bmV4dC1wYWdl"),
        })
    );
    assert_eq!(
        page.flows,
        vec![
            PublicApiFlow {
                id: s(FLOW_ID),
                name: s("SDR Flow"),
                folder_id: s("6543219876543210"),
                folder_name: s("Outbound"),
                visibility: Some(FlowVisibility::Company),
                creation_date: s("2024-01-17T16:20:05-03:00"),
                exclusive: Some(false),
            },
            PublicApiFlow {
                id: s("1695493301223590793"),
                name: s("My follow-up"),
                folder_id: s("6543219876543211"),
                folder_name: s("Mine"),
                visibility: Some(FlowVisibility::Personal),
                creation_date: s("2016-02-16T03:57:04.834+05:30"),
                exclusive: Some(true),
            },
            // Fields Gong leaves out decode as absent rather than failing.
            PublicApiFlow {
                id: s("1695493301223590794"),
                name: s("Team sequence"),
                visibility: Some(FlowVisibility::Shared),
                ..Default::default()
            },
        ]
    );
}

#[tokio::test]
async fn list_flows_sends_only_the_required_owner_when_nothing_else_is_set() {
    let server = MockServer::start_async().await;
    let mock = server.list_flows(|when, then| {
        when.into_inner()
            .method(GET)
            .path("/v2/flows")
            .query_param("flowOwnerEmail", OWNER)
            .query_param_missing("cursor")
            .query_param_missing("workspaceId")
            .query_param_missing("folderId")
            .query_param_missing("mostRecentlyAssigned")
            .is_true(query_len(1));
        reply(
            then.into_inner(),
            200,
            GONG_OK,
            r#"{"requestId":"r1","flows":[{"id":"1","visibility":"Company"}]}"#,
        );
    });

    let result = client(&server)
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await;

    mock.assert_async().await;
    let page = result.expect("listFlows decodes");
    assert_eq!(page.records, None);
    assert_eq!(page.flows.len(), 1);
    assert_eq!(page.flows[0].id.as_deref(), Some("1"));
}

#[tokio::test]
async fn list_flows_sends_most_recently_assigned_false_as_the_word_false() {
    let server = MockServer::start_async().await;
    let mock = server.list_flows(|when, then| {
        when.into_inner()
            .path("/v2/flows")
            .query_param("flowOwnerEmail", OWNER)
            .query_param("mostRecentlyAssigned", "false")
            .is_true(query_len(2));
        reply(then.into_inner(), 200, GONG_OK, r#"{"flows":[]}"#);
    });

    let result = client(&server)
        .list_flows()
        .flow_owner_email(OWNER)
        .most_recently_assigned(false)
        .send()
        .await;

    mock.assert_async().await;
    assert!(result.expect("listFlows decodes").flows.is_empty());
}

#[tokio::test]
async fn list_flows_without_an_owner_fails_before_sending() {
    let server = MockServer::start_async().await;
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(200).body("{}");
    });

    let result = client(&server).list_flows().cursor(CURSOR).send().await;

    // flowOwnerEmail is required; the builder must refuse rather than send a
    // request Gong would reject.
    match result {
        Err(Error::InvalidRequest(message)) => assert!(
            message.contains("flow_owner_email"),
            "unexpected message: {message}"
        ),
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
    assert_eq!(any.calls_async().await, 0);
}

// ---------------------------------------------------------- listFlowsFolders

#[tokio::test]
async fn list_flows_folders_sends_every_query_parameter_and_decodes_the_real_shape() {
    let server = MockServer::start_async().await;
    // The answer recorded from the real service, with a second, nested folder
    // added: `flowsFolders` items whose absent values are the string "null".
    let body = r#"{"requestId":"5bkq2rf0u1zde7xgpa","records":{"totalRecords":2,"currentPageSize":2,"currentPageNumber":0},"flowsFolders":[{"id":"100","name":"Shared With You","parentFolderId":"null","createdById":"null","visibility":"Shared"},{"id":"6543219876543210","name":"Outbound","parentFolderId":"100","createdById":"8812004511234567890","visibility":"Company"}]}"#;
    let mock = server.list_flows_folders(|when, then| {
        // parentId is an int64; a value above 2^53 must not be rounded.
        when.into_inner()
            .method(GET)
            .path("/v2/flows/folders")
            .query_param("flowFolderOwnerEmail", OWNER)
            .query_param("cursor", CURSOR)
            .query_param("parentId", "9007199254740993")
            .query_param("workspaceId", "623457276584334")
            .header("accept", "application/json")
            .is_true(query_len(4));
        reply(then.into_inner(), 200, GONG_OK, body);
    });

    let result = client(&server)
        .list_flows_folders()
        .flow_folder_owner_email(OWNER)
        .cursor(CURSOR)
        .parent_id(9_007_199_254_740_993_i64)
        .workspace_id("623457276584334")
        .send()
        .await;

    mock.assert_async().await;
    let page = result.expect("listFlowsFolders decodes the real shape");
    assert_eq!(page.request_id.as_deref(), Some("5bkq2rf0u1zde7xgpa"));
    assert_eq!(
        page.records,
        Some(Records {
            total_records: Some(2),
            current_page_size: Some(2),
            current_page_number: Some(0),
            cursor: None,
        })
    );
    // The string "null" is kept verbatim at this layer; it is not an ID.
    assert_eq!(
        page.flows_folders,
        vec![
            PublicApiFlowFolder {
                id: s("100"),
                name: s("Shared With You"),
                parent_folder_id: s("null"),
                created_by_id: s("null"),
                visibility: Some(FlowVisibility::Shared),
            },
            PublicApiFlowFolder {
                id: s("6543219876543210"),
                name: s("Outbound"),
                parent_folder_id: s("100"),
                created_by_id: s("8812004511234567890"),
                visibility: Some(FlowVisibility::Company),
            },
        ]
    );
    assert!(page.flows.is_empty());
}

#[tokio::test]
async fn list_flows_folders_decodes_the_documented_flows_shape() {
    let server = MockServer::start_async().await;
    // Gong's document declares a FlowsResponse (key `flows`) for folders.
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "records": {"totalRecords": 1, "currentPageSize": 1, "currentPageNumber": 0},
        "flows": [{
            "id": "6543219876543210",
            "name": "Outbound",
            "folderId": "100",
            "folderName": "Shared With You",
            "visibility": "Personal",
            "creationDate": "2024-01-17T16:20:05-03:00",
            "exclusive": false
        }]
    });
    let mock = server.list_flows_folders(|when, then| {
        when.into_inner()
            .path("/v2/flows/folders")
            .query_param("flowFolderOwnerEmail", OWNER)
            .is_true(query_len(1));
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let result = client(&server)
        .list_flows_folders()
        .flow_folder_owner_email(OWNER)
        .send()
        .await;

    mock.assert_async().await;
    let page = result.expect("listFlowsFolders decodes the documented shape");
    assert!(page.flows_folders.is_empty());
    assert_eq!(
        page.flows,
        vec![PublicApiFlow {
            id: s("6543219876543210"),
            name: s("Outbound"),
            folder_id: s("100"),
            folder_name: s("Shared With You"),
            visibility: Some(FlowVisibility::Personal),
            creation_date: s("2024-01-17T16:20:05-03:00"),
            exclusive: Some(false),
        }]
    );
    assert_eq!(page.records.as_ref().and_then(|r| r.total_records), Some(1));
}

// ------------------------------------------------- getProspectsAssignedFlows

/// One flow instance as Gong sends it, with the given status.
fn assigned_flow_json(instance: &str, status: &str) -> serde_json::Value {
    json!({
        "flowId": FLOW_ID,
        "flowName": "SDR Flow",
        "crmProspectId": CRM_ID,
        "flowInstanceId": instance,
        "flowInstanceOwnerEmail": OWNER,
        "flowInstanceOwnerFullName": "Test User",
        "flowInstanceCreateDate": "2020-11-20T21:30:07.233692Z",
        "flowInstanceStatus": status,
        "workspaceId": "623457276584334",
        "exclusive": true
    })
}

#[tokio::test]
async fn prospects_assigned_flows_by_crm_ids_sends_crm_prospects_ids_plural() {
    let server = MockServer::start_async().await;
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "prospectsAssigned": [
            assigned_flow_json(INSTANCE_ID, "Running"),
            assigned_flow_json("1234361284629357", "Pending"),
            assigned_flow_json("1234361284629358", "Paused"),
        ]
    });
    let mock = server.get_prospects_assigned_flows(|when, then| {
        // Exactly this body: the plural key, and no `flowInstanceIds` key.
        when.into_inner()
            .method(POST)
            .path("/v2/flows/prospects")
            .header("content-type", "application/json")
            .is_true(query_len(0))
            .json_body(json!({"crmProspectsIds": [CRM_ID, "00Q5g000004ABCDEA4"]}));
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let result = client(&server)
        .get_prospects_assigned_flows()
        .body(ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: Some(vec![CRM_ID.to_owned(), "00Q5g000004ABCDEA4".to_owned()]),
            flow_instance_ids: None,
        })
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("getProspectsAssignedFlows decodes");
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
            flow_instance_create_date: s("2020-11-20T21:30:07.233692Z"),
            flow_instance_status: Some(FlowInstanceStatus::Running),
            workspace_id: s("623457276584334"),
            exclusive: Some(true),
        }
    );
    let statuses: Vec<_> = answer
        .prospects_assigned
        .iter()
        .map(|p| p.flow_instance_status.clone())
        .collect();
    assert_eq!(
        statuses,
        vec![
            Some(FlowInstanceStatus::Running),
            Some(FlowInstanceStatus::Pending),
            Some(FlowInstanceStatus::Paused),
        ]
    );
}

#[tokio::test]
async fn prospects_assigned_flows_by_instance_ids_sends_flow_instance_ids_and_decodes_finished() {
    let server = MockServer::start_async().await;
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "prospectsAssigned": [
            assigned_flow_json(INSTANCE_ID, "FinishedNoReply"),
            assigned_flow_json("1234361284629357", "FinishedResponse"),
            assigned_flow_json("1234361284629358", "Finished"),
        ]
    });
    let mock = server.get_prospects_assigned_flows(|when, then| {
        when.into_inner()
            .method(POST)
            .path("/v2/flows/prospects")
            .header("content-type", "application/json")
            .json_body(
                json!({"flowInstanceIds": [INSTANCE_ID, "1234361284629357", "1234361284629358"]}),
            );
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let result = client(&server)
        .get_prospects_assigned_flows()
        .body(ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: None,
            flow_instance_ids: Some(vec![
                INSTANCE_ID.to_owned(),
                "1234361284629357".to_owned(),
                "1234361284629358".to_owned(),
            ]),
        })
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("getProspectsAssignedFlows decodes");
    let statuses: Vec<_> = answer
        .prospects_assigned
        .iter()
        .map(|p| p.flow_instance_status.clone())
        .collect();
    assert_eq!(
        statuses,
        vec![
            Some(FlowInstanceStatus::FinishedNoReply),
            Some(FlowInstanceStatus::FinishedResponse),
            Some(FlowInstanceStatus::Finished),
        ]
    );
    assert!(answer.prospects_assigned.iter().all(|p| {
        p.flow_instance_status
            .as_ref()
            .is_some_and(|s| !s.is_unknown())
    }));
}

// -------------------------------------------------------------- getFlowSteps

#[tokio::test]
async fn flow_steps_sends_flow_ids_and_decodes_every_step_action() {
    let server = MockServer::start_async().await;
    let step = |order: i32, action: &str| {
        json!({
            "id": format!("77889900112233{order:02}"),
            "stepOrder": order,
            "action": action,
            "subject": "Quick question",
            "body": "<p>Hi {{recipient.first_name}}</p>",
            "isReply": order > 1
        })
    };
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "flows": [
            {
                "id": FLOW_ID,
                "name": "SDR Flow",
                "folderId": "6543219876543210",
                "visibility": "Company",
                "creationDate": "2024-01-17T16:20:05-03:00",
                "exclusive": false,
                "description": "First touch for inbound leads",
                "steps": [
                    step(1, "SEND_EMAIL"),
                    step(2, "AUTO_SEND_EMAIL"),
                    step(3, "CALL"),
                    step(4, "LINKEDIN_CONNECT"),
                    step(5, "LINKEDIN_MESSAGE"),
                    step(6, "CUSTOM"),
                ]
            },
            {"id": "1695493301223590793", "name": "Empty flow", "visibility": "Personal"}
        ]
    });
    let mock = server.get_flow_steps(|when, then| {
        when.into_inner()
            .method(POST)
            .path("/v2/flows/steps")
            .header("content-type", "application/json")
            .is_true(query_len(0))
            .json_body(json!({"flowIds": [FLOW_ID, "1695493301223590793"]}));
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let result = client(&server)
        .get_flow_steps()
        .body(FlowStepsRequest {
            flow_ids: vec![FLOW_ID.to_owned(), "1695493301223590793".to_owned()],
        })
        .send()
        .await;

    mock.assert_async().await;
    let answer = result.expect("getFlowSteps decodes");
    assert_eq!(answer.flows.len(), 2);
    let flow = &answer.flows[0];
    assert_eq!(flow.id.as_deref(), Some(FLOW_ID));
    assert_eq!(flow.folder_id.as_deref(), Some("6543219876543210"));
    assert_eq!(flow.visibility, Some(FlowVisibility::Company));
    assert_eq!(flow.exclusive, Some(false));
    assert_eq!(
        flow.creation_date.as_deref(),
        Some("2024-01-17T16:20:05-03:00")
    );
    assert_eq!(
        flow.description.as_deref(),
        Some("First touch for inbound leads")
    );
    assert_eq!(
        flow.steps[0],
        PublicApiFlowStep {
            id: s("7788990011223301"),
            step_order: Some(1),
            action: Some(FlowStepAction::SendEmail),
            subject: s("Quick question"),
            body: s("<p>Hi {{recipient.first_name}}</p>"),
            is_reply: Some(false),
        }
    );
    let actions: Vec<_> = flow.steps.iter().map(|st| st.action.clone()).collect();
    assert_eq!(
        actions,
        vec![
            Some(FlowStepAction::SendEmail),
            Some(FlowStepAction::AutoSendEmail),
            Some(FlowStepAction::Call),
            Some(FlowStepAction::LinkedinConnect),
            Some(FlowStepAction::LinkedinMessage),
            Some(FlowStepAction::Custom),
        ]
    );
    assert_eq!(
        flow.steps
            .iter()
            .map(|st| st.step_order)
            .collect::<Vec<_>>(),
        (1..=6).map(Some).collect::<Vec<_>>()
    );
    assert_eq!(flow.steps[5].is_reply, Some(true));
    // A flow without steps decodes with an empty list.
    assert!(answer.flows[1].steps.is_empty());
    assert_eq!(answer.flows[1].visibility, Some(FlowVisibility::Personal));
}

// -------------------------------------------- getFlowProspectsBulkAssignment

#[tokio::test]
async fn bulk_assignment_status_puts_the_job_id_in_the_path_and_decodes_results() {
    let server = MockServer::start_async().await;
    let body = json!({
        "requestId": "4al018gzaztcr8nbukw",
        "id": JOB_ID,
        "status": "COMPLETED",
        "totalCount": 3,
        "processedCount": 3,
        "successCount": 1,
        "failedCount": 2,
        "results": [
            {
                "prospect": {"crmId": CRM_ID},
                "status": "ASSIGNED",
                "crmId": CRM_ID,
                "flowInstanceId": INSTANCE_ID
            },
            {
                "prospect": {"firstName": "Mike", "lastName": "Smith", "email": "mike.smith@example.com"},
                "status": "CRM_OPERATION_FAILED",
                "errorCode": "REQUEST_LIMIT_EXCEEDED",
                "errorMessage": "Daily rate of 10K exceeded"
            },
            {
                "prospect": {"crmId": "00Q5g000004ABCDEA4"},
                "status": "FLOW_ASSIGNMENT_FAILED",
                "crmId": "00Q5g000004ABCDEA4",
                "errorCode": "PROSPECT_IN_EXCLUSIVE_FLOW",
                "errorMessage": "Prospect is in an exclusive flow"
            }
        ]
    });
    let mock = server.get_flow_prospects_bulk_assignment(|when, then| {
        when.id(JOB_ID)
            .into_inner()
            .method(GET)
            .path(format!("/v2/flows/prospects/bulk-assignments/{JOB_ID}"))
            .header("accept", "application/json")
            .is_true(query_len(0));
        reply(then.into_inner(), 200, GONG_OK, &body.to_string());
    });

    let result = client(&server)
        .get_flow_prospects_bulk_assignment()
        .id(JOB_ID)
        .send()
        .await;

    mock.assert_async().await;
    let job = result.expect("getFlowProspectsBulkAssignment decodes");
    assert_eq!(job.status().as_u16(), 200);
    assert_eq!(job.request_id.as_deref(), Some("4al018gzaztcr8nbukw"));
    assert_eq!(job.id.as_deref(), Some(JOB_ID));
    assert_eq!(job.status, Some(BulkAssignmentStatus::Completed));
    assert_eq!(
        (
            job.total_count,
            job.processed_count,
            job.success_count,
            job.failed_count
        ),
        (Some(3), Some(3), Some(1), Some(2))
    );
    assert_eq!(
        job.results[0],
        FlowAssignmentResult {
            prospect: Some(FlowAssignmentProspect {
                crm_id: s(CRM_ID),
                ..Default::default()
            }),
            status: Some(FlowAssignmentResultStatus::Assigned),
            crm_id: s(CRM_ID),
            flow_instance_id: s(INSTANCE_ID),
            error_code: None,
            error_message: None,
        }
    );
    // errorCode is free text, not an enum: any code decodes as a string.
    assert_eq!(
        job.results[1],
        FlowAssignmentResult {
            prospect: Some(FlowAssignmentProspect {
                first_name: s("Mike"),
                last_name: s("Smith"),
                email: s("mike.smith@example.com"),
                ..Default::default()
            }),
            status: Some(FlowAssignmentResultStatus::CrmOperationFailed),
            crm_id: None,
            flow_instance_id: None,
            error_code: s("REQUEST_LIMIT_EXCEEDED"),
            error_message: s("Daily rate of 10K exceeded"),
        }
    );
    assert_eq!(
        job.results[2].status,
        Some(FlowAssignmentResultStatus::FlowAssignmentFailed)
    );
    assert_eq!(
        job.results[2].error_code.as_deref(),
        Some("PROSPECT_IN_EXCLUSIVE_FLOW")
    );
}

#[tokio::test]
async fn bulk_assignment_status_percent_encodes_the_job_id_as_one_segment() {
    let server = MockServer::start_async().await;
    // A hostile ID must stay inside its own path segment.
    let mock = server.get_flow_prospects_bulk_assignment(|when, then| {
        when.into_inner()
            .method(GET)
            .path("/v2/flows/prospects/bulk-assignments/job%2F..%2Fx%20y%3Fz");
        reply(
            then.into_inner(),
            200,
            GONG_OK,
            r#"{"id":"job/../x y?z","status":"PENDING"}"#,
        );
    });

    let result = client(&server)
        .get_flow_prospects_bulk_assignment()
        .id("job/../x y?z")
        .send()
        .await;

    mock.assert_async().await;
    let job = result.expect("getFlowProspectsBulkAssignment decodes");
    assert_eq!(job.status, Some(BulkAssignmentStatus::Pending));
}

#[tokio::test]
async fn bulk_assignment_status_without_an_id_fails_before_sending() {
    let server = MockServer::start_async().await;
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(200).body("{}");
    });

    let result = client(&server)
        .get_flow_prospects_bulk_assignment()
        .send()
        .await;

    assert!(
        matches!(result, Err(Error::InvalidRequest(_))),
        "expected Error::InvalidRequest, got {result:?}"
    );
    assert_eq!(any.calls_async().await, 0);
}
