//! Wire-level behaviour: auth, rate limits, validation, headers, pagination
//! and the real folder shape.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{error_messages, get, http, post, start, start_with};
use gong_flows_sim::{Endpoint, FoldersShape, SimConfig, Simulator, dataset};
use serde_json::{Value, json};

use dataset::{DEFAULT_USER_EMAIL, SDR_FLOW_ID};

fn assign_body(n: usize) -> Value {
    let ids: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    json!({
        "crmProspectsIds": ids,
        "flowId": SDR_FLOW_ID,
        "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
    })
}

async fn send_with(
    sim: &Simulator,
    authorization: Option<&str>,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = http().request(method, format!("{}{path}", sim.base_url()));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("answer")
}

#[tokio::test]
async fn authentication_and_scopes() {
    let sim = start();
    let list = "/v2/flows?flowOwnerEmail=owner%40example.com";
    let assign = "/v2/flows/prospects/assign";
    let get_m = reqwest::Method::GET;
    let post_m = reqwest::Method::POST;

    for bad in [
        None,
        Some("Basic bm9wZTpub3Bl"),
        Some("Basic %%%"),
        Some("Bearer nope"),
        Some("Token sim-token-read-write"),
    ] {
        let response = send_with(&sim, bad, get_m.clone(), list, None).await;
        assert_eq!(error_messages(response, 401).await.len(), 1, "{bad:?}");
    }

    let basic = sim.basic_authorization().unwrap();
    let full = sim.read_write_authorization().unwrap();
    let read = sim.read_only_authorization().unwrap();
    assert_eq!(
        full,
        format!("Bearer {}", gong_flows_sim::DEFAULT_FULL_TOKEN)
    );
    for auth in [&basic, &full, &read] {
        let response = send_with(&sim, Some(auth), get_m.clone(), list, None).await;
        assert_eq!(response.status(), 200, "{auth}");
    }
    for auth in [&basic, &full] {
        let response = send_with(
            &sim,
            Some(auth),
            post_m.clone(),
            assign,
            Some(assign_body(1)),
        )
        .await;
        assert_eq!(response.status(), 200, "{auth}");
    }
    let response = send_with(
        &sim,
        Some(&read),
        post_m.clone(),
        assign,
        Some(assign_body(1)),
    )
    .await;
    let messages = error_messages(response, 403).await;
    assert!(messages[0].contains("api:flows:write"), "{messages:?}");
    assert_eq!(
        sim.times_assigned(SDR_FLOW_ID, "p0"),
        1,
        "the 403 changed nothing"
    );

    // Through the generated client.
    let read_client = sim.client_with_authorization(&read);
    let error = read_client
        .assign_prospects()
        .body(common::assign_request(SDR_FLOW_ID, &["x"]))
        .send()
        .await
        .expect_err("403");
    assert_eq!(common::error_response(error).0, 403);

    let counters = sim.counters();
    assert_eq!(counters.unauthorized, 5);
    assert_eq!(counters.forbidden, 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    // One call per hour-long window: the second immediate call is over the
    // limit however slow the machine is.
    let sim = Simulator::start(
        SimConfig::default()
            .rate_limit(Some(1))
            .rate_window(Duration::from_secs(3600)),
    )
    .unwrap();
    let list = "/v2/flows?flowOwnerEmail=owner%40example.com";
    assert_eq!(get(&sim, list).await.status(), 200);
    let limited = get(&sim, list).await;
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("integer Retry-After");
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    assert_eq!(
        error_messages(limited, 429).await,
        ["API request limit exceeded"]
    );

    // The 429 did not count: raising the limit to 2 admits exactly one more.
    sim.set_rate_limit(Some(2)).unwrap();
    assert_eq!(get(&sim, list).await.status(), 200);
    assert_eq!(get(&sim, list).await.status(), 429);
    let counters = sim.counters();
    assert_eq!(counters.rate_limited, 2);
    assert_eq!(counters.endpoint(Endpoint::ListFlows).rate_limited, 2);
    assert_eq!(counters.succeeded(Endpoint::ListFlows), 2);

    sim.reset_rate_limits();
    assert_eq!(get(&sim, list).await.status(), 200);
    sim.set_rate_limit(None).unwrap();
    for _ in 0..5 {
        assert_eq!(get(&sim, list).await.status(), 200);
    }
    assert!(sim.set_rate_limit(Some(0)).is_err());
    sim.shutdown().await;
}

#[tokio::test]
async fn daily_limit() {
    let sim = Simulator::start(SimConfig::default().rate_limit(None).daily_limit(Some(2))).unwrap();
    let list = "/v2/flows?flowOwnerEmail=owner%40example.com";
    assert_eq!(get(&sim, list).await.status(), 200);
    assert_eq!(get(&sim, list).await.status(), 200);
    let limited = get(&sim, list).await;
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=86_400).contains(&retry_after));
    assert_eq!(
        error_messages(limited, 429).await,
        ["Daily rate limit of 2 calls exceeded"]
    );
    // Unauthenticated calls are not charged to the company.
    let anonymous = http()
        .get(format!("{}{list}", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    sim.set_daily_limit(None).unwrap();
    assert_eq!(get(&sim, list).await.status(), 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn over_limit_arrays_are_400() {
    use gong_flows_api::limits;
    let sim = start_with(SimConfig::default().flows(limits::GET_FLOW_STEPS_FLOW_IDS));
    let too_many = |field: &str, max: usize| format!("{field}: size must be between 0 and {max}");
    let cases = [
        (
            "/v2/flows/prospects/assign",
            assign_body(limits::ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS + 1),
            too_many(
                "crmProspectsIds",
                limits::ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS,
            ),
        ),
        (
            "/v2/flows/prospects/assign/cool-off-override",
            assign_body(limits::ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES_CRM_PROSPECTS_IDS + 1),
            too_many(
                "crmProspectsIds",
                limits::ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES_CRM_PROSPECTS_IDS,
            ),
        ),
        (
            "/v2/flows/steps",
            json!({"flowIds": vec![SDR_FLOW_ID; limits::GET_FLOW_STEPS_FLOW_IDS + 1]}),
            too_many("flowIds", limits::GET_FLOW_STEPS_FLOW_IDS),
        ),
        (
            "/v2/flows/prospects/bulk-assignments",
            json!({
                "flowId": SDR_FLOW_ID,
                "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
                "prospects": vec![
                    json!({"crmId": "x"});
                    limits::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT_PROSPECTS + 1
                ],
            }),
            too_many(
                "prospects",
                limits::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT_PROSPECTS,
            ),
        ),
        (
            "/v2/flows/prospects/unassign-flows-by-instance-id",
            json!({"flowInstanceIds": (0..=limits::UNASSIGN_FLOWS_FLOW_INSTANCE_IDS)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()}),
            too_many("flowInstanceIds", limits::UNASSIGN_FLOWS_FLOW_INSTANCE_IDS),
        ),
    ];
    for (path, body, message) in cases {
        let response = post(&sim, path, &body).await;
        assert_eq!(error_messages(response, 400).await, [message], "{path}");
    }
    assert_eq!(sim.instance_count(), 0);

    // At the limits: accepted.
    let max = limits::ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS;
    assert_eq!(
        post(&sim, "/v2/flows/prospects/assign", &assign_body(max))
            .await
            .status(),
        200
    );
    assert_eq!(sim.instance_count(), max);
    let most: Vec<String> = (1..=limits::GET_FLOW_STEPS_FLOW_IDS as u64)
        .map(|i| (dataset::GENERATED_FLOW_ID_BASE + i).to_string())
        .collect();
    assert_eq!(
        post(&sim, "/v2/flows/steps", &json!({"flowIds": most}))
            .await
            .status(),
        200
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_are_400() {
    let sim = start();
    let url = format!("{}/v2/flows/prospects/assign", sim.base_url());
    let auth = sim.basic_authorization().unwrap();
    for body in [
        "{\"crmProspectsIds\": [\"a\"], \"flowId\": ",
        "not json",
        "{\"flowId\": \"1\", \"flowInstanceOwnerEmail\": \"a@b.c\"}",
        "{\"crmProspectsIds\": \"a\", \"flowId\": \"1\", \"flowInstanceOwnerEmail\": \"a@b.c\"}",
        "",
        "[]",
    ] {
        let response = http()
            .post(&url)
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let messages = error_messages(response, 400).await;
        assert_eq!(messages.len(), 1, "{body}");
    }
    // Unknown fields are fine (Gong adds fields; clients may too).
    let mut body = assign_body(1);
    body["somethingNew"] = json!(true);
    assert_eq!(
        post(&sim, "/v2/flows/prospects/assign", &body)
            .await
            .status(),
        200
    );
    // Bad query values.
    let response = get(
        &sim,
        "/v2/flows?flowOwnerEmail=a&mostRecentlyAssigned=maybe",
    )
    .await;
    assert_eq!(error_messages(response, 400).await.len(), 1);
    let response = get(&sim, "/v2/flows/folders?flowFolderOwnerEmail=a&parentId=x").await;
    assert_eq!(error_messages(response, 400).await.len(), 1);
    assert_eq!(
        sim.counters().endpoint(Endpoint::AssignProspects).rejected,
        6
    );
    sim.shutdown().await;
}

/// What the spec forbids but a lenient JSON binding would let through: no
/// declared request field is nullable, an object is not an array, and the id
/// lists the spec declares `uniqueItems` must not repeat an id. Each is a 400
/// that changes nothing.
#[tokio::test]
async fn nulls_arrays_for_objects_and_repeated_ids_are_400() {
    let sim = start();
    let mut with_null = assign_body(1);
    with_null["flowInstanceDescription"] = Value::Null;
    let cases = [
        (
            "/v2/flows/prospects/assign",
            with_null.clone(),
            "flowInstanceDescription: must not be null",
        ),
        (
            "/v2/flows/prospects/assign/cool-off-override",
            with_null,
            "flowInstanceDescription: must not be null",
        ),
        (
            "/v2/flows/prospects/assign",
            json!({
                "crmProspectsIds": ["p0"],
                "flowId": SDR_FLOW_ID,
                "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
                "overrides": {"steps": [{"number": 1, "subject": null}]},
            }),
            "overrides.steps[0].subject: must not be null",
        ),
        (
            "/v2/flows/prospects/assign",
            json!({
                "crmProspectsIds": ["p0", null],
                "flowId": SDR_FLOW_ID,
                "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
            }),
            "crmProspectsIds[1]: must not be null",
        ),
        (
            "/v2/flows/prospects/bulk-assignments",
            json!({
                "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
                "flowId": SDR_FLOW_ID,
                "prospects": [{"crmId": "p0"}, {"crmId": "p1", "companyName": null}],
            }),
            "prospects[1].companyName: must not be null",
        ),
        (
            "/v2/flows/prospects/unassign-flows-by-crm-id",
            json!({"crmProspectId": "p0", "unassignedByUserEmail": null}),
            "unassignedByUserEmail: must not be null",
        ),
        (
            "/v2/flows/prospects",
            json!({"crmProspectsIds": null, "flowInstanceIds": ["1"]}),
            "crmProspectsIds: must not be null",
        ),
        (
            "/v2/flows/prospects/assign",
            json!({
                "crmProspectsIds": ["p0", "p1", "p0"],
                "flowId": SDR_FLOW_ID,
                "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
            }),
            "crmProspectsIds: must only contain unique elements",
        ),
        (
            "/v2/flows/prospects",
            json!({"crmProspectsIds": ["p0", "p0"]}),
            "crmProspectsIds: must only contain unique elements",
        ),
        (
            "/v2/flows/prospects",
            json!({"flowInstanceIds": ["1", "1"]}),
            "flowInstanceIds: must only contain unique elements",
        ),
        (
            "/v2/flows/prospects/unassign-flows-by-instance-id",
            json!({"flowInstanceIds": ["1", "1"]}),
            "flowInstanceIds: must only contain unique elements",
        ),
        (
            "/v2/flows/prospects/assign",
            Value::Null,
            "Required request body is missing",
        ),
        // serde would fill a struct from an array, by position.
        (
            "/v2/flows/steps",
            json!([]),
            "request body: must be an object",
        ),
        (
            "/v2/flows/prospects/assign",
            json!({
                "crmProspectsIds": ["p0"],
                "flowId": SDR_FLOW_ID,
                "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
                "overrides": [],
            }),
            "overrides: must be an object",
        ),
        (
            "/v2/flows/prospects/bulk-assignments",
            json!({
                "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
                "flowId": SDR_FLOW_ID,
                "prospects": [[]],
            }),
            "prospects[0]: must be an object",
        ),
    ];
    for (path, body, message) in cases {
        let response = post(&sim, path, &body).await;
        assert_eq!(
            error_messages(response, 400).await,
            [message],
            "{path} {body}"
        );
    }
    assert_eq!(sim.instance_count(), 0, "a refused request changes nothing");

    // Repeats are fine where the spec does not forbid them, and so are
    // nulls in fields the spec does not declare: unknown fields are ignored
    // whatever they hold.
    let steps = json!({"flowIds": [SDR_FLOW_ID, SDR_FLOW_ID], "extra": null});
    assert_eq!(post(&sim, "/v2/flows/steps", &steps).await.status(), 200);
    let mut body = assign_body(3);
    body["somethingNew"] = json!({"nested": [null], "flowId": null});
    body["overrides"] = json!({"steps": [{"number": 1, "later": null}]});
    assert_eq!(
        post(&sim, "/v2/flows/prospects/assign", &body)
            .await
            .status(),
        200
    );
    let bulk = json!({
        "flowInstanceOwnerEmail": DEFAULT_USER_EMAIL,
        "flowId": SDR_FLOW_ID,
        "prospects": [{"crmId": "p9", "middleName": null}],
    });
    assert_eq!(
        post(&sim, "/v2/flows/prospects/bulk-assignments", &bulk)
            .await
            .status(),
        202
    );
    sim.shutdown().await;
}

/// The spec's `allowEmptyValue`: an empty optional query value is the same
/// as leaving the parameter out; an empty required one is no value at all.
#[tokio::test]
async fn empty_query_values() {
    let sim = start();
    for (path, name) in [
        ("/v2/flows?flowOwnerEmail=", "flowOwnerEmail"),
        (
            "/v2/flows/folders?flowFolderOwnerEmail=",
            "flowFolderOwnerEmail",
        ),
    ] {
        let response = get(&sim, path).await;
        assert_eq!(
            error_messages(response, 400).await,
            [format!(
                "Required request parameter '{name}' for method parameter type String is not present"
            )]
        );
    }
    for (with_empty, without) in [
        (
            "/v2/flows?flowOwnerEmail=a&cursor=&workspaceId=&folderId=&mostRecentlyAssigned=",
            "/v2/flows?flowOwnerEmail=a",
        ),
        (
            "/v2/flows/folders?flowFolderOwnerEmail=a&cursor=&parentId=&workspaceId=",
            "/v2/flows/folders?flowFolderOwnerEmail=a",
        ),
    ] {
        let mut answers = Vec::new();
        for path in [with_empty, without] {
            let response = get(&sim, path).await;
            assert_eq!(response.status(), 200, "{path}");
            let mut body: Value = response.json().await.unwrap();
            body.as_object_mut().unwrap().remove("requestId");
            answers.push(body);
        }
        assert_eq!(answers[0], answers[1], "{with_empty}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn oversized_body_is_413() {
    let sim = start_with(SimConfig {
        max_body_bytes: 1024,
        ..SimConfig::default()
    });
    let response = post(&sim, "/v2/flows/prospects/assign", &assign_body(200)).await;
    assert_eq!(error_messages(response, 413).await.len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn headers_request_ids_and_routes() {
    let sim = start();
    let ok = get(&sim, "/v2/flows?flowOwnerEmail=owner%40example.com").await;
    assert_eq!(
        ok.headers()["content-type"],
        "application/json;charset=UTF-8"
    );
    let trace = ok.headers()["x-traceid"].to_str().unwrap().to_owned();
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["requestId"], trace.as_str());
    assert_eq!(trace.len(), 19);
    assert!(
        trace
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );

    let accepted = post(
        &sim,
        "/v2/flows/prospects/bulk-assignments",
        &json!({"flowId": SDR_FLOW_ID, "flowInstanceOwnerEmail": "a@b.c", "prospects": []}),
    )
    .await;
    assert_eq!(accepted.status(), 202);
    assert_eq!(
        accepted.headers()["content-type"],
        "application/json;charset=UTF-8"
    );

    let mut seen = HashSet::new();
    for _ in 0..20 {
        let response = get(&sim, "/v2/flows?flowOwnerEmail=a").await;
        assert!(seen.insert(response.headers()["x-traceid"].to_str().unwrap().to_owned()));
    }

    assert_eq!(
        error_messages(get(&sim, "/v2/nothing").await, 404)
            .await
            .len(),
        1
    );
    let wrong_method = get(&sim, "/v2/flows/prospects/assign").await;
    assert_eq!(wrong_method.headers()["allow"], "POST");
    assert_eq!(error_messages(wrong_method, 405).await.len(), 1);
    assert_eq!(sim.counters().unrouted, 2);
    sim.shutdown().await;
}

/// With distinct trace ids, no answer's `x-traceid` is its `requestId`:
/// successes, refusals, faults and 429s alike.
#[tokio::test]
async fn trace_ids_differ_from_request_ids_when_asked() {
    let sim = start_with(SimConfig::default().distinct_trace_ids(true));
    sim.script_faults(
        Some(Endpoint::GetFlowSteps),
        gong_flows_sim::Fault::Status500,
        1,
    );
    sim.script_429(3);
    let anonymous = http()
        .get(format!("{}/v2/flows?flowOwnerEmail=a", sim.base_url()))
        .send()
        .await
        .unwrap();
    let answers = [
        // The scripted 429 goes to the first admitted call.
        (get(&sim, "/v2/flows?flowOwnerEmail=a").await, 429),
        (get(&sim, "/v2/flows?flowOwnerEmail=a").await, 200),
        (
            post(&sim, "/v2/flows/steps", &json!({"flowIds": []})).await,
            500,
        ),
        (
            post(
                &sim,
                "/v2/flows/prospects/bulk-assignments",
                &json!({"flowId": SDR_FLOW_ID, "flowInstanceOwnerEmail": "a@b.c", "prospects": []}),
            )
            .await,
            202,
        ),
        (
            post(&sim, "/v2/flows/prospects/assign", &json!({})).await,
            400,
        ),
        (anonymous, 401),
        (get(&sim, "/v2/nothing").await, 404),
    ];
    let mut traces = HashSet::new();
    for (response, status) in answers {
        assert_eq!(response.status().as_u16(), status);
        let trace = response.headers()["x-traceid"].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();
        let request_id = body["requestId"].as_str().expect("requestId").to_owned();
        assert_eq!((trace.len(), request_id.len()), (19, 19), "{status}");
        assert_ne!(trace, request_id, "{status}");
        assert!(traces.insert(trace), "a trace id repeated");
    }

    // Back to Gong's usual answers: the two are equal again.
    sim.set_distinct_trace_ids(false);
    let ok = get(&sim, "/v2/flows?flowOwnerEmail=a").await;
    let trace = ok.headers()["x-traceid"].to_str().unwrap().to_owned();
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["requestId"], trace.as_str());
    sim.shutdown().await;
}

#[tokio::test]
async fn flows_paginate_with_cursors() {
    let sim = start_with(SimConfig::default().flows(250));
    let client = sim.client();
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let mut request = client.list_flows().flow_owner_email(DEFAULT_USER_EMAIL);
        if let Some(cursor) = &cursor {
            request = request.cursor(cursor);
        }
        let page = request.send().await.expect("page").into_inner();
        let records = page.records.expect("records");
        assert_eq!(records.total_records, Some(255));
        pages.push((records.current_page_number, records.current_page_size));
        ids.extend(page.flows.into_iter().map(|f| f.id.unwrap()));
        match records.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(
        pages,
        [
            (Some(0), Some(100)),
            (Some(1), Some(100)),
            (Some(2), Some(55))
        ]
    );
    assert_eq!(ids.len(), 255);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 255);

    // A cursor replayed with other inputs, or garbage, is refused.
    let first = client
        .list_flows()
        .flow_owner_email(DEFAULT_USER_EMAIL)
        .send()
        .await
        .unwrap()
        .into_inner();
    let cursor = first.records.unwrap().cursor.unwrap();
    let other_inputs = get(
        &sim,
        &format!("/v2/flows?flowOwnerEmail=teammate%40example.com&cursor={cursor}"),
    )
    .await;
    assert_eq!(error_messages(other_inputs, 400).await.len(), 1);
    let garbage = get(
        &sim,
        "/v2/flows?flowOwnerEmail=owner%40example.com&cursor=zzz",
    )
    .await;
    assert_eq!(error_messages(garbage, 400).await, ["Invalid cursor"]);
    let same = get(
        &sim,
        &format!("/v2/flows?flowOwnerEmail=owner%40example.com&cursor={cursor}"),
    )
    .await;
    assert_eq!(same.status(), 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn folders_in_the_documented_shape_are_flows_items() {
    let observed = start_with(SimConfig::default().page_size(2));
    let sim = start_with(
        SimConfig::default()
            .page_size(2)
            .folders_shape(FoldersShape::Documented),
    );
    let mut pages = Vec::new();
    let mut query = "/v2/flows/folders?flowFolderOwnerEmail=owner%40example.com".to_owned();
    loop {
        let response = get(&sim, &query).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert!(
            body.get("flowsFolders").is_none(),
            "the documented shape has no flowsFolders: {body}"
        );
        let same_page: Value = get(&observed, &query).await.json().await.unwrap();
        assert_eq!(body["records"], same_page["records"]);
        let cursor = body["records"]["cursor"].as_str().map(str::to_owned);
        pages.push(body);
        match cursor {
            Some(cursor) => {
                query = format!(
                    "/v2/flows/folders?flowFolderOwnerEmail=owner%40example.com&cursor={cursor}"
                )
            }
            None => break,
        }
    }
    let folders: Vec<&Value> = pages
        .iter()
        .flat_map(|page| page["flows"].as_array().unwrap())
        .collect();
    assert_eq!(folders.len(), 5);
    // Top-level folders have no folderId (never the string "null"), and
    // nothing the documented shape lacks is sent.
    assert_eq!(
        *folders[0],
        json!({"id": "100", "name": "Shared With You", "visibility": "Shared"})
    );
    let children: Vec<&Value> = folders
        .iter()
        .copied()
        .filter(|f| f.get("folderId").is_some())
        .collect();
    assert!(!children.is_empty());
    for folder in &folders {
        assert_ne!(folder.get("folderId"), Some(&json!("null")), "{folder}");
        assert!(folder.get("parentFolderId").is_none(), "{folder}");
        assert!(folder.get("createdById").is_none(), "{folder}");
    }

    // An empty page still carries the key.
    let empty: Value = get(
        &sim,
        "/v2/flows/folders?flowFolderOwnerEmail=owner%40example.com&workspaceId=none&parentId=1",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(empty["flows"], json!([]), "{empty}");
    sim.shutdown().await;
    observed.shutdown().await;
}

#[tokio::test]
async fn folders_have_the_real_shape_and_paginate() {
    let sim = start_with(SimConfig::default().page_size(2));
    let first = get(
        &sim,
        "/v2/flows/folders?flowFolderOwnerEmail=owner%40example.com",
    )
    .await;
    assert_eq!(first.status(), 200);
    let body: Value = first.json().await.unwrap();
    assert!(
        body.get("flows").is_none(),
        "real traffic uses flowsFolders: {body}"
    );
    let folders = body["flowsFolders"].as_array().unwrap();
    assert_eq!(folders.len(), 2);
    assert_eq!(
        folders[0],
        json!({
            "id": "100",
            "name": "Shared With You",
            "parentFolderId": "null",
            "createdById": "null",
            "visibility": "Shared",
        })
    );
    assert_eq!(body["records"]["totalRecords"], 5);
    assert_eq!(body["records"]["currentPageNumber"], 0);

    // The generated client reads the same pages.
    let client = sim.client();
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut request = client
            .list_flows_folders()
            .flow_folder_owner_email(DEFAULT_USER_EMAIL);
        if let Some(cursor) = &cursor {
            request = request.cursor(cursor);
        }
        let page = request.send().await.unwrap().into_inner();
        names.extend(page.flows_folders.into_iter().map(|f| f.name.unwrap()));
        match page.records.and_then(|r| r.cursor) {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(
        names,
        [
            "Shared With You",
            "Outbound",
            "Enterprise",
            "My Flows",
            "Partners"
        ]
    );

    let subtree: Value = get(
        &sim,
        &format!(
            "/v2/flows/folders?flowFolderOwnerEmail=a%40b.c&parentId={}",
            dataset::OUTBOUND_FOLDER_ID
        ),
    )
    .await
    .json()
    .await
    .unwrap();
    let names: Vec<_> = subtree["flowsFolders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Outbound", "Enterprise"]);
    assert_eq!(
        subtree["flowsFolders"][1]["parentFolderId"],
        dataset::OUTBOUND_FOLDER_ID
    );

    let teammate: Value = get(
        &sim,
        "/v2/flows/folders?flowFolderOwnerEmail=teammate%40example.com&parentId=1",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        teammate,
        json!({
            "requestId": teammate["requestId"],
            "records": {"totalRecords": 0, "currentPageSize": 0, "currentPageNumber": 0},
            "flowsFolders": [],
        })
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sim = start();
    let url = sim.base_url();
    sim.shutdown().await;
    let refused = http().get(format!("{url}/v2/flows")).send().await;
    assert!(refused.is_err());
}

#[test]
fn runs_without_a_runtime() {
    use std::io::{Read, Write};

    let sim = Simulator::start(SimConfig::default().no_rate_limits()).unwrap();
    let mut stream = std::net::TcpStream::connect(sim.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET /v2/flows?flowOwnerEmail=a HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
        sim.basic_authorization().unwrap()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.contains("\"flows\":["));
    drop(sim);
}

#[test]
fn bad_configuration_is_a_typed_error() {
    let error = Simulator::start(SimConfig::default().page_size(0)).unwrap_err();
    assert!(
        matches!(error, gong_flows_sim::SimError::InvalidConfig(_)),
        "{error}"
    );
    let error = Simulator::start(SimConfig::default().daily_limit(Some(0))).unwrap_err();
    assert!(error.to_string().contains("daily_limit"), "{error}");
}
