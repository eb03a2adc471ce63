//! Error answers: every status the vendor document declares for an operation
//! must surface as `Error::ErrorResponse` carrying Gong's `requestId`, its
//! `errors` and the response headers (a 429's `Retry-After` above all);
//! statuses it does not declare must surface as `Error::UnexpectedResponse`
//! with the response intact, so that a caller can still read them.

mod common;

use common::{FLOW_ID, GONG_ERR, GONG_OK, OWNER, Op, assign_body, client, error_response, reply};
use gong_flows_api::Error;
use gong_flows_api::types::ErrorResponse;
use gong_flows_httpmock::MockServerExt;
use httpmock::MockServer;
use serde_json::json;

#[tokio::test]
async fn every_declared_error_status_of_every_operation_is_an_error_response() {
    let server = MockServer::start_async().await;
    let client = client(&server);
    for op in Op::ALL {
        for &status in op.declared_errors() {
            let request_id = format!("req{status}{op:?}");
            let body = json!({
                "requestId": request_id,
                "errors": [format!("status {status}"), "a second message"]
            });
            let mock = server.mock(|when, then| {
                when.method(op.method()).path(op.path());
                // Gong repeats the request ID in `x-traceid`, and adds
                // `Retry-After` (whole seconds) to its 429s.
                let then = reply(then, status, GONG_ERR, &body.to_string())
                    .header("x-traceid", request_id.as_str());
                if status == 429 {
                    then.header("retry-after", "7");
                }
            });

            let result = op.call(&client).await;

            mock.assert_async().await;
            let error = match result {
                Err(Error::ErrorResponse(value)) => value,
                other => panic!("{op:?} answering {status}: expected ErrorResponse, got {other:?}"),
            };
            assert_eq!(error.status().as_u16(), status, "{op:?}");
            assert_eq!(error.request_id.as_deref(), Some(request_id.as_str()));
            assert_eq!(
                error.errors,
                vec![format!("status {status}"), "a second message".to_owned()],
                "{op:?} answering {status}"
            );
            assert_eq!(
                error
                    .headers()
                    .get("x-traceid")
                    .and_then(|v| v.to_str().ok()),
                Some(request_id.as_str())
            );
            if status == 429 {
                let retry_after: u64 = error
                    .headers()
                    .get("retry-after")
                    .expect("a 429 keeps its Retry-After header")
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert_eq!(retry_after, 7, "{op:?}");
            }
            mock.delete_async().await;
        }
    }
}

#[tokio::test]
async fn rate_limited_assignment_exposes_retry_after_through_the_error() {
    let server = MockServer::start_async().await;
    server.assign_prospects(|when, then| {
        when.into_inner().path("/v2/flows/prospects/assign");
        reply(
            then.into_inner(),
            429,
            GONG_ERR,
            r#"{"requestId":"7tq0c2v8lk1mzx9e3d","errors":["API request limit exceeded"]}"#,
        )
        .header("Retry-After", "2");
    });

    let result = client(&server)
        .assign_prospects()
        .body(assign_body())
        .send()
        .await;

    // The whole path a retrying caller takes: the typed error, its status,
    // and the header read from the error's ResponseValue.
    let error = match result {
        Err(error) => error,
        Ok(value) => panic!("a 429 must fail the call, got {value:?}"),
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    let Error::ErrorResponse(value) = error else {
        panic!("expected Error::ErrorResponse, got {error:?}");
    };
    let seconds: u64 = value
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("integer Retry-After");
    assert_eq!(seconds, 2);
    assert_eq!(value.request_id.as_deref(), Some("7tq0c2v8lk1mzx9e3d"));
    assert_eq!(value.errors, vec!["API request limit exceeded".to_owned()]);
}

#[tokio::test]
async fn typed_mock_error_helpers_answer_with_their_status() {
    // The typed `then` helpers other tests in the workspace rely on must
    // send the status their name promises, with a decodable ErrorResponse.
    let server = MockServer::start_async().await;
    let client = client(&server);
    type Helper = fn(
        gong_flows_httpmock::operations::GetFlowStepsThen,
        &ErrorResponse,
    ) -> gong_flows_httpmock::operations::GetFlowStepsThen;
    let helpers: [(u16, Helper); 6] = [
        (400, |t, e| t.bad_request(e)),
        (401, |t, e| t.unauthorized(e)),
        (403, |t, e| t.forbidden(e)),
        (404, |t, e| t.not_found(e)),
        (429, |t, e| t.too_many_requests(e)),
        (500, |t, e| t.internal_server_error(e)),
    ];
    for (status, helper) in helpers {
        let expected = ErrorResponse {
            request_id: Some(format!("typed{status}")),
            errors: vec![format!("typed {status}")],
        };
        let mock = server.get_flow_steps(|when, then| {
            when.body(&gong_flows_api::types::FlowStepsRequest {
                flow_ids: vec![FLOW_ID.to_owned()],
            });
            helper(then, &expected);
        });

        let error = error_response(Op::GetFlowSteps.call(&client).await);

        mock.assert_async().await;
        assert_eq!(error.status().as_u16(), status);
        assert_eq!(error.into_inner(), expected);
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn undeclared_statuses_are_unexpected_responses_with_the_body_intact() {
    let server = MockServer::start_async().await;
    let client = client(&server);
    for op in Op::ALL {
        // Every error status Gong uses anywhere that this operation does not
        // declare, plus gateway statuses and a success code that is not the
        // operation's own.
        let wrong_success = if op.success() == 200 { 202 } else { 200 };
        let undeclared: Vec<u16> = [400, 401, 403, 404, 429, 500, 502, 503, wrong_success]
            .into_iter()
            .filter(|s| !op.declared_errors().contains(s))
            .collect();
        for status in undeclared {
            let body = format!(r#"{{"requestId":"u{status}","errors":["undeclared"]}}"#);
            let mock = server.mock(|when, then| {
                when.method(op.method()).path(op.path());
                reply(then, status, GONG_ERR, &body);
            });

            let result = op.call(&client).await;

            mock.assert_async().await;
            match result {
                Err(Error::UnexpectedResponse(response)) => {
                    assert_eq!(response.status().as_u16(), status, "{op:?}");
                    let text = response.text().await.expect("body readable");
                    assert_eq!(text, body, "{op:?} answering {status}");
                }
                other => {
                    panic!("{op:?} answering {status}: expected UnexpectedResponse, got {other:?}")
                }
            }
            mock.delete_async().await;
        }
    }
}

#[tokio::test]
async fn a_declared_error_status_with_a_non_json_body_keeps_status_and_text() {
    let server = MockServer::start_async().await;
    // A proxy in front of Gong may answer a 500 with HTML.
    server.list_flows(|_when, then| {
        reply(
            then.into_inner(),
            500,
            "text/html",
            "<html><body>Internal Server Error</body></html>",
        );
    });

    let result = client(&server)
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await;

    // The hooks turn the unreadable body into an ErrorResponse carrying its
    // text, so the status and headers survive.
    match result {
        Err(Error::ErrorResponse(value)) => {
            assert_eq!(value.status().as_u16(), 500);
            assert_eq!(
                value.errors,
                ["<html><body>Internal Server Error</body></html>"]
            );
            assert_eq!(value.request_id, None);
        }
        other => panic!("expected ErrorResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn a_success_status_with_a_malformed_body_is_an_invalid_payload() {
    let server = MockServer::start_async().await;
    // A known field of the wrong type must fail loudly, not decode as absent.
    let body = r#"{"requestId":"r","records":{"totalRecords":"many"},"flows":[]}"#;
    server.list_flows(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, body);
    });

    let result = client(&server)
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await;

    match result {
        Err(Error::InvalidResponsePayload(bytes, error)) => {
            assert_eq!(&bytes[..], body.as_bytes());
            assert!(error.to_string().contains("invalid type"), "{error}");
        }
        other => panic!("expected InvalidResponsePayload, got {other:?}"),
    }
}

#[tokio::test]
async fn an_empty_429_keeps_its_status_and_retry_after() {
    let server = MockServer::start_async().await;
    server.assign_prospects(|_when, then| {
        then.into_inner().status(429).header("Retry-After", "7");
    });
    let body = gong_flows_api::types::AssignFlowRequestV2 {
        crm_prospects_ids: vec!["a".into()],
        flow_id: "1".into(),
        flow_instance_owner_email: OWNER.into(),
        flow_instance_description: None,
        overrides: None,
    };
    match client(&server).assign_prospects().body(body).send().await {
        Err(Error::ErrorResponse(value)) => {
            assert_eq!(value.status().as_u16(), 429);
            assert_eq!(value.headers()["retry-after"], "7");
            assert!(value.errors.is_empty());
        }
        other => panic!("expected ErrorResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_cannot_spoof_the_size_limit_marker() {
    let server = MockServer::start_async().await;
    server.list_flows(|_when, then| {
        then.into_inner()
            .status(200)
            .header("content-type", "application/json")
            .header("x-gong-flows-body-over-limit", "1")
            .body(r#"{"flows":[]}"#);
    });
    let page = client(&server)
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await
        .expect("the marker from the server is ignored");
    assert!(page.flows.is_empty());
}
