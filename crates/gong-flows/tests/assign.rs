//! Assign jobs: chunking, input checks, fatal stops, reconciliation.

mod common;

use common::{Reply, ScriptServer, assign_answer, client, ids_of, instance, instance_now};
use futures::StreamExt as _;
use gong_flows::{AssignErrorCode, AssignOverrides, Error, StepOverride};
use gong_flows_httpmock::MockServerExt as _;
use httpmock::MockServer;
use serde_json::json;
use std::collections::HashSet;

const FLOW: &str = "1695493301223590792";
const OWNER: &str = "owner@example.com";

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("p{i:04}")).collect()
}

#[tokio::test]
async fn chunks_450_ids_into_200_200_50_with_exact_bodies() {
    let server = MockServer::start_async().await;
    let all = ids(450);
    let mocks: Vec<_> = all
        .chunks(200)
        .map(|chunk| {
            let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
            let answer = assign_answer(FLOW, &refs, &[]);
            server.assign_prospects(|when, then| {
                when.into_inner()
                    .header("content-type", "application/json")
                    .json_body(json!({
                        "crmProspectsIds": chunk,
                        "flowId": FLOW,
                        "flowInstanceOwnerEmail": OWNER,
                    }));
                then.into_inner()
                    .status(200)
                    .header("content-type", "application/json;charset=UTF-8")
                    .json_body(answer);
            })
        })
        .collect();
    let client = client(&server.base_url()).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(&all)
        .send()
        .await
        .unwrap();
    for mock in &mocks {
        mock.assert_calls(1);
    }
    assert_eq!(report.assigned.len(), 450);
    assert_eq!(report.stats.requests, 3);
    assert_eq!(report.stats.request_ids.len(), 3);
    assert!(report.is_complete());
    // Input order is kept across chunks.
    let order: Vec<&str> = report.assigned.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(order, all.iter().map(String::as_str).collect::<Vec<_>>());
    let first = &report.assigned[0];
    assert_eq!(first.flow_instance_id(), Some("inst-p0000"));
    assert!(!first.reconciled);
    assert!(first.status.is_some());
}

#[tokio::test]
async fn bad_input_is_a_typed_error_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let any = server.mock(|_when, then| {
        then.status(200).json_body(json!({}));
    });
    let client = client(&server.base_url()).build().unwrap();

    let err = invalid(
        client
            .assign(FLOW, OWNER)
            .prospects(["a", "b", "a", " "])
            .send()
            .await
            .unwrap_err(),
    );
    assert!(
        matches!(&err, Error::InvalidInput { field: "crm_prospect_ids", value, .. } if value == " "),
        "{err:?}"
    );
    let too_long = "x".repeat(gong_flows::MAX_ID_LEN + 1);
    let err = invalid(
        client
            .assign(FLOW, OWNER)
            .prospects([too_long])
            .send()
            .await
            .unwrap_err(),
    );
    assert!(matches!(
        err,
        Error::InvalidInput {
            field: "crm_prospect_ids",
            ..
        }
    ));
    let err = invalid(
        client
            .assign(FLOW, "not-an-email")
            .prospects(["a"])
            .send()
            .await
            .unwrap_err(),
    );
    assert!(matches!(
        err,
        Error::InvalidInput {
            field: "owner_email",
            ..
        }
    ));
    let err = invalid(
        client
            .assign("", OWNER)
            .prospects(["a"])
            .send()
            .await
            .unwrap_err(),
    );
    assert!(matches!(
        err,
        Error::InvalidInput {
            field: "flow_id",
            ..
        }
    ));
    let err = invalid(
        client
            .assign(FLOW, OWNER)
            .prospects(["a"])
            .overrides(AssignOverrides::new().step(StepOverride::new(0)))
            .send()
            .await
            .unwrap_err(),
    );
    assert!(matches!(
        err,
        Error::InvalidInput {
            field: "step override",
            ..
        }
    ));
    let err = invalid(
        client
            .assign(FLOW, OWNER)
            .prospects(["a"])
            .chunk_size(gong_flows::ChunkSizes::MAX_ASSIGN + 1)
            .send()
            .await
            .unwrap_err(),
    );
    assert!(matches!(
        err,
        Error::InvalidInput {
            field: "chunk_size",
            ..
        }
    ));

    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn duplicates_are_reported_and_sent_once() {
    let server = ScriptServer::start().await;
    server.handle(|seen| {
        let ids = ids_of(&seen.body);
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        Some(Reply::json(200, assign_answer(FLOW, &refs, &[])))
    });
    let client = client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["a", "b", "a", "c", "b"])
        .send()
        .await
        .unwrap();
    assert_eq!(report.stats.duplicates, ["a", "b"]);
    assert_eq!(report.assigned.len(), 3);
    let sent = server.seen();
    assert_eq!(sent.len(), 1);
    assert_eq!(ids_of(&sent[0].body), ["a", "b", "c"]);
}

#[tokio::test]
async fn overrides_and_description_reach_the_wire() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::json(200, assign_answer(FLOW, &["a"], &[]))],
    );
    let client = client(&server.url).build().unwrap();
    client
        .assign(FLOW, OWNER)
        .prospects(["a"])
        .description("<p>Webinar</p>")
        .overrides(
            AssignOverrides::new()
                .step(StepOverride::new(1).subject("Hi").body("<p>Body</p>"))
                .variable("recipient.first_name", "Mike")
                .cool_off_override(true),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.seen()[0].body,
        json!({
            "crmProspectsIds": ["a"],
            "flowId": FLOW,
            "flowInstanceOwnerEmail": OWNER,
            "flowInstanceDescription": "<p>Webinar</p>",
            "overrides": {
                "steps": [{"number": 1, "subject": "Hi", "body": "<p>Body</p>"}],
                "flowInstanceVariables": [{"name": "recipient.first_name", "value": "Mike"}],
                "coolOffOverride": true,
            },
        })
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn deprecated_cool_off_endpoint_is_reachable() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign/cool-off-override",
        [Reply::json(200, assign_answer(FLOW, &["a"], &[]))],
    );
    let client = client(&server.url).build().unwrap();
    let report = client
        .assign_ignoring_cool_off(FLOW, OWNER)
        .prospects(["a"])
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 1);
    assert_eq!(
        server.seen()[0].path,
        "/v2/flows/prospects/assign/cool-off-override"
    );
}

#[tokio::test]
async fn refusals_keep_gongs_code_and_message() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::json(
            200,
            assign_answer(
                FLOW,
                &["a"],
                &[("b", "InvalidArgument"), ("c", "SomethingNew")],
            ),
        )],
    );
    let client = client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["a", "b", "c"])
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 1);
    assert_eq!(report.not_assigned.len(), 2);
    assert_eq!(
        report.not_assigned[0].error_code,
        Some(AssignErrorCode::InvalidArgument)
    );
    assert_eq!(
        report.not_assigned[0].error_message.as_deref(),
        Some("InvalidArgument for b")
    );
    assert_eq!(
        report.not_assigned[1].error_code,
        Some(AssignErrorCode::Unknown("SomethingNew".into()))
    );
}

#[tokio::test]
async fn fatal_401_on_chunk_2_of_5_stops_the_job_and_reports_everything() {
    let server = ScriptServer::start().await;
    server.handle(|seen| {
        let ids = ids_of(&seen.body);
        if ids.contains(&"p0002".to_string()) {
            return Some(Reply::error(401, "req-401", "Unauthorized"));
        }
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        Some(Reply::json(200, assign_answer(FLOW, &refs, &[])))
    });
    let client = client(&server.url).concurrency(1).build().unwrap();
    let all = ids(10);
    let (_, report) = common::stopped(
        client
            .assign(FLOW, OWNER)
            .prospects(&all)
            .chunk_size(2)
            .send()
            .await,
    );
    assert_eq!(server.seen().len(), 2, "chunks 3 to 5 must not be sent");
    assert_eq!(report.assigned.len(), 2);
    assert_eq!(report.not_attempted.len(), 8);
    assert_eq!(report.total(), 10);
    let stopped = report.stats.stopped.as_ref().expect("the report says why");
    assert!(matches!(**stopped, Error::Unauthorized(_)));
    assert_eq!(stopped.request_id(), Some("req-401"));
    assert!(stopped.to_string().contains("req-401"));
    let rerun: Vec<&str> = report.not_attempted_ids().collect();
    assert_eq!(
        rerun,
        all[2..].iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(report.stats.request_ids.contains(&"req-401".to_string()));
}

#[tokio::test]
async fn unknown_flow_404_stops_the_job() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::error(404, "r4qbut5wh5npgs2hlr", "Flow not found")],
    );
    let client = client(&server.url).concurrency(1).build().unwrap();
    let (_, report) = common::stopped(
        client
            .assign(FLOW, OWNER)
            .prospects(ids(5))
            .chunk_size(2)
            .send()
            .await,
    );
    assert_eq!(server.seen().len(), 1);
    assert_eq!(report.not_attempted.len(), 5);
    assert!(matches!(
        report.stats.stopped.as_deref(),
        Some(Error::NotFound(api)) if api.errors == ["Flow not found"]
    ));
}

#[tokio::test(start_paused = true)]
async fn lost_answer_then_invalid_state_is_reconciled_not_reported_as_failure() {
    let server = ScriptServer::start().await;
    // First attempt: Gong applied it but the answer was a 500. The retry then
    // finds a and b already there; c really is in an exclusive flow; e was in
    // the flow long before the job.
    server.script(
        "/v2/flows/prospects/assign",
        [
            Reply::error(500, "req-500", "An error has occurred"),
            Reply::json(
                200,
                assign_answer(
                    FLOW,
                    &["d"],
                    &[
                        ("a", "InvalidState"),
                        ("b", "InvalidState"),
                        ("c", "InvalidState"),
                        ("e", "InvalidState"),
                    ],
                ),
            ),
        ],
    );
    server.script(
        "/v2/flows/prospects",
        [Reply::json(
            200,
            json!({"requestId": "req-lookup", "prospectsAssigned": [
                instance_now(FLOW, "a"), instance_now(FLOW, "b"), instance("999", "c"),
                instance(FLOW, "e"),
            ]}),
        )],
    );
    let client = client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["a", "b", "c", "d", "e"])
        .send()
        .await
        .unwrap();
    assert_eq!(server.seen_at("/v2/flows/prospects/assign").len(), 2);
    let lookups = server.seen_at("/v2/flows/prospects");
    assert_eq!(lookups.len(), 1);
    assert_eq!(
        lookups[0].body,
        json!({"crmProspectsIds": ["a", "b", "c", "e"]})
    );
    assert_eq!(report.already_in_flow.len(), 1);
    assert_eq!(report.already_in_flow[0].id, "e");
    let assigned: Vec<(&str, bool)> = report
        .assigned
        .iter()
        .map(|a| (a.id.as_str(), a.reconciled))
        .collect();
    assert_eq!(assigned, [("d", false), ("a", true), ("b", true)]);
    assert_eq!(report.not_assigned.len(), 1);
    assert_eq!(report.not_assigned[0].id, "c");
    assert_eq!(
        report.not_assigned[0].error_code,
        Some(AssignErrorCode::InvalidState)
    );
    assert_eq!(report.stats.requests, 3);
    assert_eq!(report.stats.request_ids, ["req-500", "req-5", "req-lookup"]);
}

#[tokio::test]
async fn invalid_state_is_already_in_flow_when_in_this_flow_else_a_refusal() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::json(
            200,
            assign_answer(
                FLOW,
                &["n"],
                &[
                    ("a", "InvalidState"),
                    ("x", "InvalidState"),
                    ("bad", "InvalidArgument"),
                ],
            ),
        )],
    );
    // a is in this flow (even one made just now: this call's answer says it
    // did not put it there); x is in an exclusive flow elsewhere.
    server.script(
        "/v2/flows/prospects",
        [Reply::json(
            200,
            json!({"requestId": "req-lookup", "prospectsAssigned": [
                instance_now(FLOW, "a"), instance("999", "x"),
            ]}),
        )],
    );
    let client = client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["n", "a", "x", "bad"])
        .send()
        .await
        .unwrap();
    let lookups = server.seen_at("/v2/flows/prospects");
    assert_eq!(lookups.len(), 1, "one look-up for the chunk");
    assert_eq!(lookups[0].body, json!({"crmProspectsIds": ["a", "x"]}));
    assert_eq!(report.assigned.len(), 1);
    assert_eq!(report.already_in_flow.len(), 1);
    assert_eq!(report.already_in_flow[0].id, "a");
    let refused: Vec<&str> = report.not_assigned.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(refused, ["bad", "x"]);
    assert_eq!(gong_flows::Outcome::of_report(&report).code(), 1);
    assert!(report.to_string().contains("1 already in flow"), "{report}");
}

#[tokio::test]
async fn a_failed_look_up_leaves_gongs_refusal_standing() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::json(
            200,
            assign_answer(FLOW, &[], &[("a", "InvalidState")]),
        )],
    );
    server.script(
        "/v2/flows/prospects",
        [Reply::error(400, "req-400", "nope")],
    );
    let client = client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["a"])
        .send()
        .await
        .unwrap();
    assert_eq!(report.not_assigned.len(), 1);
    assert!(report.not_attempted.is_empty());
}

#[tokio::test(start_paused = true)]
async fn retries_exhausted_after_applied_answers_are_reconciled() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::error(502, "req-502", "Bad gateway")],
    );
    server.script(
        "/v2/flows/prospects",
        [Reply::json(
            200,
            json!({"requestId": "req-lookup", "prospectsAssigned": [instance_now(FLOW, "a")]}),
        )],
    );
    let client = client(&server.url).build().unwrap();
    let (_, report) = common::stopped(
        client
            .assign(FLOW, OWNER)
            .prospects(["a", "b"])
            .send()
            .await,
    );
    assert_eq!(server.seen_at("/v2/flows/prospects/assign").len(), 4);
    assert_eq!(report.assigned.len(), 1);
    assert!(report.assigned[0].reconciled);
    assert_eq!(report.not_attempted.len(), 1);
    assert_eq!(report.not_attempted[0].id, "b");
    assert!(matches!(*report.not_attempted[0].error, Error::Server(_)));
    assert!(report.not_attempted[0].error.may_have_been_sent());
}

#[tokio::test]
async fn each_id_gets_its_own_instance_whatever_the_order_of_the_answer() {
    let ids = ["a", "b", "c", "d"];
    for order in [
        ["a", "b", "c", "d"],
        ["d", "b", "a", "c"],
        ["a", "b", "d", "c"],
    ] {
        let server = ScriptServer::start().await;
        server.script(
            "/v2/flows/prospects/assign",
            [Reply::json(200, assign_answer(FLOW, &order, &[]))],
        );
        let client = client(&server.url).build().unwrap();
        let report = client.assign(FLOW, OWNER).prospects(ids).send().await;
        let report = report.unwrap();
        // In the order of the input, each with the instance Gong named for it.
        let got: Vec<(&str, Option<&str>)> = (report.assigned.iter())
            .map(|a| (a.id.as_str(), a.flow_instance_id()))
            .collect();
        let want: Vec<(&str, Option<String>)> = ids
            .iter()
            .map(|id| (*id, Some(format!("inst-{id}"))))
            .collect();
        let want: Vec<(&str, Option<&str>)> =
            want.iter().map(|(id, i)| (*id, i.as_deref())).collect();
        assert_eq!(got, want, "answer in the order {order:?}");
        assert!(report.assigned.iter().all(|a| !a.reconciled));
        assert_eq!(server.seen_at("/v2/flows/prospects").len(), 0, "no look-up");
    }
}

#[tokio::test]
async fn an_answer_in_order_then_astray_keeps_each_ids_first_mention() {
    // The first two entries are in the input's order; then the answer
    // names `a` again (another instance), a prospect not asked for, and `c`,
    // and refuses `b`, which it also assigned.
    let mut again = instance(FLOW, "a");
    again["flowInstanceId"] = json!("inst-other");
    let answer = json!({
        "requestId": "r",
        "prospectsAssigned": [
            instance(FLOW, "a"), instance(FLOW, "b"), again,
            instance(FLOW, "zz"), instance(FLOW, "c"),
        ],
        "prospectsNotAssigned": [
            {"flowId": FLOW, "crmProspectId": "b", "errorCode": "InvalidState", "errorMessage": "no"},
            {"flowId": FLOW, "crmProspectId": "d", "errorCode": "InvalidProspect", "errorMessage": "bad"},
        ],
    });
    let server = ScriptServer::start().await;
    server.script("/v2/flows/prospects/assign", [Reply::json(200, answer)]);
    let client = client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["a", "b", "c", "d"])
        .send()
        .await
        .unwrap();
    let got: Vec<(&str, Option<&str>)> = (report.assigned.iter())
        .map(|a| (a.id.as_str(), a.flow_instance_id()))
        .collect();
    assert_eq!(
        got,
        [
            ("a", Some("inst-a")),
            ("b", Some("inst-b")),
            ("c", Some("inst-c"))
        ]
    );
    assert_eq!(report.not_assigned.len(), 1, "{report:?}");
    assert_eq!(report.not_assigned[0].id, "d");
    assert!(report.already_in_flow.is_empty() && report.not_attempted.is_empty());
    assert_eq!(server.seen_at("/v2/flows/prospects").len(), 0, "no look-up");
}

#[tokio::test]
async fn ids_left_out_of_the_answer_are_looked_up() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::json(200, assign_answer(FLOW, &["a"], &[]))],
    );
    server.script(
        "/v2/flows/prospects",
        [Reply::json(
            200,
            json!({"requestId": "l", "prospectsAssigned": [instance_now(FLOW, "b"), instance(FLOW, "d")]}),
        )],
    );
    let client = client(&server.url).build().unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(["a", "b", "c", "d"])
        .send()
        .await
        .unwrap();
    // Gong's answer accounts only for `a`. `b` is in the flow since the
    // call: this job put it there. `d` has been in the flow for months: it
    // was there before the job, whatever the answer left out.
    assert_eq!(report.assigned.len(), 2);
    assert!(report.assigned[1].reconciled);
    assert_eq!(report.assigned[1].id, "b");
    assert_eq!(report.already_in_flow.len(), 1, "{report:?}");
    assert_eq!(report.already_in_flow[0].id, "d");
    assert_eq!(report.not_assigned.len(), 1);
    assert_eq!(report.not_assigned[0].id, "c");
    assert_eq!(report.not_assigned[0].error_code, None);
}

#[tokio::test]
async fn streaming_form_yields_each_chunk_and_checks_ids_per_chunk() {
    let server = ScriptServer::start().await;
    server.handle(|seen| {
        let ids = ids_of(&seen.body);
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        Some(Reply::json(200, assign_answer(FLOW, &refs, &[])))
    });
    let client = client(&server.url).build().unwrap();
    let mut input = ids(449);
    input.push("bad id".to_owned());
    input.push("p0000".to_owned()); // a repeat far away reaches Gong
    let chunks: Vec<_> = client
        .assign(FLOW, OWNER)
        .parts_from_iter(input)
        .unwrap()
        .collect()
        .await;
    assert_eq!(chunks.len(), 3);
    assert_eq!(
        chunks.iter().map(|c| c.index).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    let assigned: usize = chunks.iter().map(|c| c.report.assigned.len()).sum();
    assert_eq!(assigned, 450);
    let rejected: Vec<&str> = chunks
        .iter()
        .flat_map(|c| c.report.not_attempted.iter().map(|n| n.id.as_str()))
        .collect();
    assert_eq!(rejected, ["bad id"]);
    let sizes: Vec<usize> = server
        .seen()
        .iter()
        .map(|s| ids_of(&s.body).len())
        .collect();
    let mut sorted = sizes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [50, 200, 200]);
    let mut report = gong_flows::AssignReport::default();
    for chunk in chunks {
        report.absorb(chunk.report);
    }
    let unique: HashSet<&str> = report.assigned.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(unique.len(), 449);
}

/// The error of a job refused before anything was sent.
fn invalid<R: gong_flows::JobReport>(error: gong_flows::JobError<R>) -> Error {
    match error {
        gong_flows::JobError::Invalid(error) => error,
        other => panic!("expected nothing sent, got {other:?}"),
    }
}
