//! Lists and pagination, look-ups, unassigns and steps.

mod common;

use common::{Reply, ScriptServer, client, instance};
use futures::TryStreamExt as _;
use gong_flows::{Error, FlowInstanceStatus, FlowStepAction, FlowVisibility};
use gong_flows_httpmock::MockServerExt as _;
use httpmock::MockServer;
use serde_json::{Value, json};

const OWNER: &str = "owner@example.com";
const FLOW: &str = "1695493301223590792";

fn page(ids: &[&str], cursor: Option<&str>, number: i32) -> Value {
    let mut records =
        json!({"totalRecords": 5, "currentPageSize": ids.len(), "currentPageNumber": number});
    if let Some(cursor) = cursor {
        records["cursor"] = json!(cursor);
    }
    json!({"requestId": format!("page-{number}"), "records": records,
           "flows": ids.iter().map(|id| json!({"id": id, "name": format!("Flow {id}"),
               "visibility": "Personal", "creationDate": "2024-01-17T16:20:05-03:00", "exclusive": false}))
               .collect::<Vec<_>>()})
}

#[tokio::test]
async fn stream_follows_the_cursor_over_three_pages() {
    let server = MockServer::start_async().await;
    let first = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER).cursor(None).workspace_id("42");
        then.into_inner()
            .status(200)
            .json_body(page(&["1", "2"], Some("c1"), 0));
    });
    let second = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER).cursor("c1").workspace_id("42");
        then.into_inner()
            .status(200)
            .json_body(page(&["3", "4"], Some("c2"), 1));
    });
    let third = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER).cursor("c2").workspace_id("42");
        then.into_inner()
            .status(200)
            .json_body(page(&["5"], None, 2));
    });
    let client = client(&server.base_url()).build().unwrap();
    let flows = client
        .list_flows(OWNER)
        .workspace_id("42")
        .collect_all()
        .await
        .unwrap();
    for mock in [&first, &second, &third] {
        mock.assert_calls(1);
    }
    let ids: Vec<&str> = flows.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(flows[0].visibility, Some(FlowVisibility::Personal));
    assert!(flows[0].created.as_ref().unwrap().parsed().is_some());

    // One page at a time, too.
    let one = client
        .list_flows(OWNER)
        .workspace_id("42")
        .send()
        .await
        .unwrap();
    assert_eq!(one.next_cursor.as_deref(), Some("c1"));
    assert_eq!(one.total_records, Some(5));
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [Reply::json(200, page(&["1"], Some("again"), 0))],
    );
    let client = client(&server.url).build().unwrap();
    let mut stream = client.list_flows(OWNER).stream();
    let mut items = 0;
    let err = loop {
        match stream.try_next().await {
            Ok(Some(_)) => items += 1,
            Ok(None) => panic!("the stream must not end quietly"),
            Err(e) => break e,
        }
    };
    // The first page's items; the repeated page is not yielded again.
    assert_eq!(items, 1);
    assert!(matches!(err, Error::Decode { .. }));
}

#[tokio::test]
async fn folders_decode_the_real_shape_and_the_documented_one() {
    let server = MockServer::start_async().await;
    server.list_flows_folders(|when, then| {
        when.flow_folder_owner_email(OWNER).parent_id(100);
        then.into_inner()
            .status(200)
            .header("content-type", "application/json;charset=UTF-8")
            .json_body(json!({"requestId": "f", "records": {"totalRecords": 2, "currentPageSize": 2, "currentPageNumber": 0},
                "flowsFolders": [{"id": "100", "name": "Shared With You", "parentFolderId": "null",
                                  "createdById": "null", "visibility": "Shared"}],
                "flows": [{"id": "200", "name": "Documented", "folderId": "100", "visibility": "Everyone"}]}));
    });
    let client = client(&server.base_url()).build().unwrap();
    let folders = client
        .list_folders(OWNER)
        .parent_id(100)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(folders.len(), 2);
    assert_eq!(folders[0].id, "100");
    assert_eq!(folders[0].parent_folder_id, None);
    assert_eq!(folders[0].created_by_id, None);
    assert_eq!(folders[0].visibility, Some(FlowVisibility::Shared));
    assert_eq!(folders[1].parent_folder_id.as_deref(), Some("100"));
    assert_eq!(
        folders[1].visibility,
        Some(FlowVisibility::Unknown("Everyone".into()))
    );
}

#[tokio::test]
async fn prospects_flows_by_both_kinds_of_id_with_unknown_status() {
    let server = ScriptServer::start().await;
    server.handle(|seen| {
        let mut item = instance(FLOW, "a");
        item["flowInstanceStatus"] = json!("Archived");
        Some(Reply::json(
            200,
            match seen.body.get("crmProspectsIds") {
                Some(_) => json!({"requestId": "by-crm", "prospectsAssigned": [item]}),
                None => json!({"requestId": "by-instance", "prospectsAssigned": []}),
            },
        ))
    });
    let client = client(&server.url).build().unwrap();
    let found = client
        .prospects_flows()
        .crm_prospect_ids(["a", "b"])
        .flow_instance_ids(["i-1"])
        .send()
        .await
        .unwrap();
    assert_eq!(found.instances.len(), 1);
    assert_eq!(
        found.instances[0].status,
        Some(FlowInstanceStatus::Unknown("Archived".into()))
    );
    assert_eq!(found.stats.request_ids, ["by-crm", "by-instance"]);
    let bodies: Vec<Value> = server.seen().into_iter().map(|s| s.body).collect();
    assert_eq!(
        bodies,
        [
            json!({"crmProspectsIds": ["a", "b"]}),
            json!({"flowInstanceIds": ["i-1"]})
        ]
    );
}

#[tokio::test]
async fn unassign_one_prospect_by_crm_id() {
    let server = MockServer::start_async().await;
    let mock = server.unassign_prospect_flows(|when, then| {
        when.into_inner()
            .json_body(json!({"crmProspectId": "a", "flowId": FLOW,
            "unassignedByUserEmail": "admin@example.com"}));
        then.into_inner()
            .status(200)
            .json_body(json!({"requestId": "u", "unassignedFlowInstanceIds": ["i-a"]}));
    });
    let client = client(&server.base_url()).build().unwrap();
    let outcome = client
        .unassign_prospect("a")
        .flow_id(FLOW)
        .unassigned_by("admin@example.com")
        .send()
        .await
        .unwrap();
    mock.assert();
    assert_eq!(outcome.flow_instance_ids, ["i-a"]);
    assert_eq!(outcome.request_id.as_deref(), Some("u"));
}

#[tokio::test]
async fn unassign_many_by_crm_id_removes_their_instances_in_one_call() {
    let server = ScriptServer::start().await;
    // Everyone but gone-1 is in the flow, by the look-up before the calls.
    common::answer_lookups(&server, "77", |id| !id.starts_with("gone"));
    server.handle(|seen| {
        let ids = seen.body["flowInstanceIds"].clone();
        Some(Reply::json(
            200,
            json!({"requestId": "u", "unassignedFlowInstanceIds": ids}),
        ))
    });
    let client = client(&server.url).build().unwrap();
    let report = client
        .unassign_prospects(["a", "b", "gone-1", "a"])
        .flow_id("77")
        .send()
        .await
        .unwrap();
    // One look-up, and one call for the instances it found.
    assert_eq!(server.seen().len(), 2);
    let calls = server.seen_at("/v2/flows/prospects/unassign-flows-by-instance-id");
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].body["flowInstanceIds"],
        json!(["inst-a", "inst-b"])
    );
    assert!(
        server
            .seen_at("/v2/flows/prospects/unassign-flows-by-crm-id")
            .is_empty()
    );
    assert_eq!(report.unassigned.len(), 2);
    assert_eq!(report.unassigned[0].flow_instance_ids, ["inst-a"]);
    assert_eq!(report.not_unassigned.len(), 1);
    assert_eq!(report.not_unassigned[0].id, "gone-1");
    assert_eq!(report.not_unassigned[0].error_message, "not in flow 77");
    assert_eq!(report.stats.duplicates, ["a"]);
    assert_eq!(report.total(), 3);
    assert_eq!(report.stats.requests, 2);
}

#[tokio::test]
async fn unassign_of_one_crm_id_is_one_call_to_its_endpoint() {
    let server = ScriptServer::start().await;
    server.handle(|seen| {
        let id = seen.body["crmProspectId"].as_str()?.to_owned();
        Some(Reply::json(
            200,
            json!({"requestId": "u", "unassignedFlowInstanceIds": [format!("i-{id}")]}),
        ))
    });
    let client = client(&server.url).build().unwrap();
    let report = client.unassign_prospects(["a"]).send().await.unwrap();
    assert_eq!(server.seen().len(), 1, "cheaper than a look-up and a call");
    assert_eq!(report.unassigned[0].flow_instance_ids, ["i-a"]);
    assert_eq!(report.stats.requests, 1);
}

#[tokio::test]
async fn unassign_many_by_crm_id_stops_on_403() {
    let server = ScriptServer::start().await;
    common::answer_lookups(&server, "77", |_| true);
    server.script(
        "/v2/flows/prospects/unassign-flows-by-instance-id",
        [Reply::error(
            403,
            "req-403",
            "Missing scope api:flows:write",
        )],
    );
    let client = client(&server.url).concurrency(1).build().unwrap();
    let (_, report) = common::stopped(client.unassign_prospects(["a", "b", "c"]).send().await);
    assert_eq!(
        server
            .seen_at("/v2/flows/prospects/unassign-flows-by-instance-id")
            .len(),
        1
    );
    assert_eq!(report.not_attempted.len(), 3);
    assert!(matches!(
        report.stats.stopped.as_deref(),
        Some(Error::Forbidden(_))
    ));
}

#[tokio::test]
async fn an_unknown_instance_id_is_isolated_and_the_rest_are_unassigned() {
    let server = ScriptServer::start().await;
    common::answer_lookups(&server, "77", |id| !id.starts_with("unknown"));
    server.handle(|seen| {
        let ids: Vec<String> = serde_json::from_value(seen.body["flowInstanceIds"].clone()).ok()?;
        if ids.iter().any(|id| id.starts_with("unknown")) {
            return Some(Reply::error(
                400,
                "req-400",
                "One or more of the given flowInstanceIds does not exist",
            ));
        }
        Some(Reply::json(
            200,
            json!({"requestId": "ok", "unassignedFlowInstanceIds": ids}),
        ))
    });
    let client = client(&server.url).build().unwrap();
    let mut ids: Vec<String> = (0..12).map(|i| format!("i-{i}")).collect();
    ids.insert(5, "unknown-1".into());
    ids.push("unknown-2".into());
    let report = client
        .unassign_instances(&ids)
        .unassigned_by("admin@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(report.unassigned.len(), 12);
    let refused: Vec<&str> = report
        .not_unassigned
        .iter()
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(refused, ["unknown-1", "unknown-2"]);
    assert!(
        report.not_unassigned[0]
            .error_message
            .contains("does not exist")
    );
    assert!(report.is_complete());
    assert_eq!(report.total(), 14);
    // One look-up before anything is sent, and one call without the
    // unknown ids.
    assert_eq!(report.stats.requests, 2);
    let calls = server.seen_at("/v2/flows/prospects/unassign-flows-by-instance-id");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].body["unassignedByUserEmail"], "admin@example.com");
}

#[tokio::test]
async fn instance_ids_go_in_chunks_of_200() {
    let server = ScriptServer::start().await;
    common::answer_lookups(&server, "77", |_| true);
    server.handle(|seen| {
        let ids = seen.body["flowInstanceIds"].clone();
        Some(Reply::json(
            200,
            json!({"requestId": "ok", "unassignedFlowInstanceIds": ids}),
        ))
    });
    let client = client(&server.url).build().unwrap();
    let ids: Vec<String> = (0..450).map(|i| format!("i-{i}")).collect();
    let report = client.unassign_instances(&ids).send().await.unwrap();
    assert_eq!(report.unassigned.len(), 450);
    let mut sizes: Vec<usize> = server
        .seen_at("/v2/flows/prospects/unassign-flows-by-instance-id")
        .iter()
        .map(|s| s.body["flowInstanceIds"].as_array().map_or(0, Vec::len))
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [50, 200, 200]);
}

#[tokio::test]
async fn an_unknown_flow_in_steps_is_isolated() {
    let server = ScriptServer::start().await;
    server.handle(|seen| {
        let ids: Vec<String> = serde_json::from_value(seen.body["flowIds"].clone()).ok()?;
        if let Some(bad) = ids.iter().find(|id| id.starts_with("404")) {
            return Some(Reply::error(404, "3xym5da31oao6dvenwb", &format!("Flow not found: flowId={bad}")));
        }
        let flows: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "name": "F", "steps": [
                {"id": "s1", "stepOrder": 1, "action": "SEND_EMAIL", "subject": "Hi", "isReply": false},
                {"id": "s2", "stepOrder": 2, "action": "SEND_SMS"},
            ]}))
            .collect();
        Some(Reply::json(200, json!({"requestId": "ok", "flows": flows})))
    });
    let client = client(&server.url).build().unwrap();
    let mut ids: Vec<String> = (1..=25).map(|i| format!("{i}")).collect();
    ids.push("4049000".into());
    let report = client.flow_steps(&ids).send().await.unwrap();
    assert_eq!(report.flows.len(), 25);
    assert_eq!(report.not_found.len(), 1);
    assert_eq!(report.not_found[0].id, "4049000");
    assert!(
        report.not_found[0]
            .error_message
            .contains("Flow not found: flowId=4049000")
    );
    let steps = &report.flows[0].steps;
    assert_eq!(steps[0].action, Some(FlowStepAction::SendEmail));
    assert_eq!(
        steps[1].action,
        Some(FlowStepAction::Unknown("SEND_SMS".into()))
    );
    assert!(
        server
            .seen()
            .iter()
            .all(|s| s.body["flowIds"].as_array().map_or(0, Vec::len) <= 20)
    );
}
