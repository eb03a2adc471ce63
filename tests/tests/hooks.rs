//! The request hooks of `gong_flows_api::RequestSettings`: per-client headers
//! reach the wire on every operation, and `max_response_bytes` bounds how
//! much of a response body is read, whether the server announces the length
//! (`Content-Length`) or not (chunked transfer encoding).

mod common;

use common::{GONG_ERR, GONG_OK, OWNER, Op, client, client_with, error_response, reply};
use gong_flows_api::{Error, RequestSettings};
use gong_flows_httpmock::MockServerExt;
use http::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use httpmock::{HttpMockRequest, MockServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// HTTP Basic credentials as Gong expects them: base64("accessKey:secret").
const BASIC: &str = "Basic YWNjZXNzS2V5OmFjY2Vzc0tleVNlY3JldA==";

fn settings_with_headers(pairs: &[(HeaderName, &'static str)]) -> RequestSettings {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        headers.insert(name.clone(), HeaderValue::from_static(value));
    }
    RequestSettings {
        headers,
        max_response_bytes: None,
    }
}

fn limited(limit: u64) -> RequestSettings {
    RequestSettings {
        headers: HeaderMap::new(),
        max_response_bytes: Some(limit),
    }
}

/// How many times the request carries header `name`.
fn header_count(req: &HttpMockRequest, name: &str) -> usize {
    req.headers().get_all(name).iter().count()
}

/// A valid `FlowsResponse` of exactly `len` bytes, padded through an
/// unknown field, so that only the size limit can make it fail.
fn flows_body_of_len(len: usize) -> String {
    let frame = r#"{"requestId":"sized","flows":[{"id":"1"}],"padding":""}"#;
    assert!(len >= frame.len(), "{len} is too small for a valid body");
    let body = format!(
        r#"{{"requestId":"sized","flows":[{{"id":"1"}}],"padding":"{}"}}"#,
        "x".repeat(len - frame.len())
    );
    assert_eq!(body.len(), len);
    body
}

/// Sends a bare GET over a fresh connection and returns the response head,
/// lower-cased, to check how the mock server frames its body.
async fn raw_response_head(server: &MockServer, path_and_query: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(server.address())
        .await
        .expect("loopback connect");
    let request =
        format!("GET {path_and_query} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response).to_lowercase();
    response
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Unwraps `Error::Custom`, failing the test on anything else.
fn custom_message<T: std::fmt::Debug>(
    result: Result<T, Error<gong_flows_api::types::ErrorResponse>>,
) -> String {
    match result {
        Err(Error::Custom(message)) => message,
        other => panic!("expected Error::Custom, got {other:?}"),
    }
}

// ------------------------------------------------------------------ headers

#[tokio::test]
async fn settings_headers_are_sent_on_every_operation() {
    let server = MockServer::start_async().await;
    let client = client_with(
        &server,
        settings_with_headers(&[
            (AUTHORIZATION, BASIC),
            (HeaderName::from_static("x-gong-test"), "wire"),
        ]),
    );
    for op in Op::ALL {
        let mock = server.mock(|when, then| {
            when.method(op.method())
                .path(op.path())
                .header("authorization", BASIC)
                .header("x-gong-test", "wire")
                .is_true(|req: &HttpMockRequest| header_count(req, "authorization") == 1);
            reply(then, op.success(), GONG_OK, "{}");
        });

        let result = op.call(&client).await;

        mock.assert_async().await;
        assert_eq!(result.expect("the call succeeds"), op.success(), "{op:?}");
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn bearer_token_reaches_the_typed_mock() {
    let server = MockServer::start_async().await;
    let mock = server.list_flows(|when, then| {
        when.flow_owner_email(OWNER)
            .into_inner()
            .header("authorization", "Bearer eyJ0eXAiOiJKV1QifQ.token");
        then.ok(&gong_flows_api::types::FlowsResponse::default());
    });

    let result = client_with(
        &server,
        settings_with_headers(&[(AUTHORIZATION, "Bearer eyJ0eXAiOiJKV1QifQ.token")]),
    )
    .list_flows()
    .flow_owner_email(OWNER)
    .send()
    .await;

    mock.assert_async().await;
    assert!(result.expect("the call succeeds").flows.is_empty());
}

#[tokio::test]
async fn default_settings_send_no_credentials() {
    let server = MockServer::start_async().await;
    let mock = server.list_flows(|when, then| {
        when.into_inner().header_missing("authorization");
        then.ok(&gong_flows_api::types::FlowsResponse::default());
    });

    let result = client(&server)
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await;

    mock.assert_async().await;
    result.expect("the call succeeds");
}

#[tokio::test]
async fn a_settings_header_replaces_one_the_client_sets_itself() {
    let server = MockServer::start_async().await;
    // The generated client sends `api-version`; a settings header of the
    // same name must replace it rather than add a second value.
    let mock = server.list_flows(|when, then| {
        when.into_inner()
            .header("api-version", "override")
            .is_true(|req: &HttpMockRequest| header_count(req, "api-version") == 1);
        then.ok(&gong_flows_api::types::FlowsResponse::default());
    });

    let result = client_with(
        &server,
        settings_with_headers(&[(HeaderName::from_static("api-version"), "override")]),
    )
    .list_flows()
    .flow_owner_email(OWNER)
    .send()
    .await;

    mock.assert_async().await;
    result.expect("the call succeeds");
}

// -------------------------------------------------------- response size limit

#[tokio::test]
async fn a_body_over_the_limit_with_content_length_fails_every_operation() {
    let server = MockServer::start_async().await;
    let client = client_with(&server, limited(100));
    let body = flows_body_of_len(101);
    for op in Op::ALL {
        let mock = server.mock(|when, then| {
            when.method(op.method()).path(op.path());
            reply(then, op.success(), GONG_OK, &body);
        });

        let message = custom_message(op.call(&client).await);

        mock.assert_async().await;
        assert!(message.contains("100"), "{op:?}: {message}");
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn the_mock_server_announces_content_length_for_plain_bodies() {
    // Precondition of the test above: httpmock frames a plain body with
    // Content-Length, so the hook's declared-length check is what fails it.
    let server = MockServer::start_async().await;
    server.list_flows(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &flows_body_of_len(101));
    });

    let head = raw_response_head(&server, "/v2/flows?flowOwnerEmail=o").await;

    assert!(head.contains("content-length: 101"), "{head}");
    assert!(!head.contains("transfer-encoding"), "{head}");
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_fails_the_call() {
    let server = MockServer::start_async().await;
    // With Transfer-Encoding set, the server streams the body in chunks and
    // sends no Content-Length: the hook must count the bytes as they come.
    server.list_flows(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &flows_body_of_len(101))
            .header("transfer-encoding", "chunked");
    });
    let head = raw_response_head(&server, "/v2/flows?flowOwnerEmail=o").await;
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length"), "{head}");

    let result = client_with(&server, limited(100))
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await;

    let message = custom_message(result);
    assert!(message.contains("100"), "{message}");
}

#[tokio::test]
async fn a_chunked_body_under_the_limit_decodes() {
    let server = MockServer::start_async().await;
    server.list_flows(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &flows_body_of_len(99))
            .header("transfer-encoding", "chunked");
    });

    let page = client_with(&server, limited(100))
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await
        .expect("a body under the limit decodes");

    assert_eq!(page.request_id.as_deref(), Some("sized"));
    assert_eq!(page.flows[0].id.as_deref(), Some("1"));
}

#[tokio::test]
async fn a_body_exactly_at_the_limit_decodes_and_one_byte_more_fails() {
    let server = MockServer::start_async().await;
    let mock = server.list_flows(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &flows_body_of_len(100));
    });
    let client = client_with(&server, limited(100));

    let page = client
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await
        .expect("a body of exactly the limit decodes");
    assert_eq!(page.request_id.as_deref(), Some("sized"));

    mock.delete_async().await;
    server.list_flows(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &flows_body_of_len(100))
            .header("transfer-encoding", "chunked");
    });
    let page = client
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await
        .expect("a chunked body of exactly the limit decodes");
    assert_eq!(page.request_id.as_deref(), Some("sized"));

    let tighter = client_with(&server, limited(99))
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await;
    custom_message(tighter);
}

#[tokio::test]
async fn an_error_body_over_the_limit_fails_with_custom_too() {
    let server = MockServer::start_async().await;
    // The limit guards memory, so it applies before the status is looked at.
    let body = format!(r#"{{"requestId":"big","errors":["{}"]}}"#, "e".repeat(500));
    server.list_flows(|_when, then| {
        reply(then.into_inner(), 500, GONG_ERR, &body);
    });

    let result = client_with(&server, limited(100))
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await;

    custom_message(result);
}

#[tokio::test]
async fn an_error_body_under_the_limit_is_still_an_error_response() {
    let server = MockServer::start_async().await;
    // Reading the body through the hook must keep status and headers.
    server.list_flows(|_when, then| {
        reply(
            then.into_inner(),
            429,
            GONG_ERR,
            r#"{"requestId":"small","errors":["slow down"]}"#,
        )
        .header("retry-after", "3");
    });

    let result = client_with(&server, limited(1024))
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await;

    let error = error_response(result);
    assert_eq!(error.status().as_u16(), 429);
    assert_eq!(
        error
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("3")
    );
    assert_eq!(error.request_id.as_deref(), Some("small"));
}

#[tokio::test]
async fn a_body_under_the_limit_decodes_on_every_operation() {
    let server = MockServer::start_async().await;
    let client = client_with(&server, limited(4096));
    for op in Op::ALL {
        let mock = server.mock(|when, then| {
            when.method(op.method()).path(op.path());
            reply(
                then,
                op.success(),
                GONG_OK,
                r#"{"requestId":"under-limit","unknownPadding":"xxxxxxxxxxxxxxxxxxxxxxxx"}"#,
            );
        });

        let result = op.call(&client).await;

        mock.assert_async().await;
        assert_eq!(result.expect("under the limit"), op.success(), "{op:?}");
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn without_a_limit_a_large_body_decodes() {
    let server = MockServer::start_async().await;
    let body = flows_body_of_len(256 * 1024);
    server.list_flows(|_when, then| {
        reply(then.into_inner(), 200, GONG_OK, &body);
    });

    let page = client(&server)
        .list_flows()
        .flow_owner_email(OWNER)
        .send()
        .await
        .expect("no limit, no failure");

    assert_eq!(page.request_id.as_deref(), Some("sized"));
}
