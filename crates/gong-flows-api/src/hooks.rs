//! The request hooks the generated client calls (hand-written).
//!
//! The generated [`Client`](crate::Client) carries a [`RequestSettings`]
//! and runs these hooks around every call. They exist so that a higher layer
//! can add per-call headers (credentials that change when a token is
//! refreshed) and bound how much of a response body is ever held in memory,
//! without touching generated code.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// Marks a response whose body was dropped for exceeding the size limit.
const OVERSIZE: HeaderName = HeaderName::from_static("x-gong-flows-body-over-limit");

/// Per-client settings applied to every request of a [`Client`](crate::Client).
#[derive(Clone, Debug, Default)]
pub struct RequestSettings {
    /// Headers added to every request (replacing any of the same name).
    pub headers: HeaderMap,
    /// Largest response body accepted, in bytes; `None` for no limit. A
    /// larger body fails the call with [`Error::Custom`] before it is decoded.
    pub max_response_bytes: Option<u64>,
}

impl ClientHooks<RequestSettings> for crate::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        for (name, value) in &self.inner().headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let mut response = self.client().execute(request).await?;
        // The marker is ours alone: a server cannot fail a call by sending it.
        response.headers_mut().remove(&OVERSIZE);
        let limit = self.inner().max_response_bytes;
        if response.status().is_success() {
            // A declared length is enforced by the HTTP framing, so a body
            // within the limit need not be read here (and copied) at all.
            let within = match (limit, response.content_length()) {
                (None, _) => true,
                (Some(limit), Some(length)) => length <= limit,
                (Some(_), None) => false,
            };
            if within {
                return Ok(response);
            }
        }
        read_capped(response, limit.unwrap_or(u64::MAX)).await
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        match result {
            Ok(response) if response.headers().contains_key(&OVERSIZE) => {
                Err(Error::Custom(format!(
                    "response body exceeds the limit of {} bytes",
                    self.inner().max_response_bytes.unwrap_or_default()
                )))
            }
            _ => Ok(()),
        }
    }
}

/// Reads the body, stopping at `limit` bytes; an oversize body is replaced by
/// an empty one and the response is marked for [`ClientHooks::post`].
///
/// An error answer (4xx/5xx) whose body is not an `ErrorResponse` (a proxy's
/// HTML page, an empty 429, JSON of another shape such as
/// `{"errors": null}`) is given one, so that the caller is told by the
/// status and headers (`Retry-After`) instead of by a decoding failure that
/// has neither.
async fn read_capped(
    mut response: reqwest::Response,
    limit: u64,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let mut builder = http::Response::builder()
        .status(status)
        .version(response.version());
    if let Some(headers) = builder.headers_mut() {
        *headers = std::mem::take(response.headers_mut());
    }
    let declared_over = response.content_length().is_some_and(|len| len > limit);
    let mut body = Vec::with_capacity(
        response
            .content_length()
            .unwrap_or(0)
            .min(limit)
            .min(1 << 20) as usize,
    );
    let mut over = declared_over;
    while !over {
        match response.chunk().await? {
            Some(chunk) if (body.len() + chunk.len()) as u64 > limit => over = true,
            Some(chunk) => body.extend_from_slice(&chunk),
            None => break,
        }
    }
    if over {
        body.clear();
        builder = builder.header(OVERSIZE, HeaderValue::from_static("1"));
    } else if (status.is_client_error() || status.is_server_error())
        && let Some(replacement) = error_body(&body)
    {
        body = replacement;
        if let Some(headers) = builder.headers_mut() {
            headers.remove(reqwest::header::CONTENT_LENGTH);
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
    }
    let rebuilt = builder
        .body(body)
        .expect("status, version and headers come from a valid response");
    Ok(reqwest::Response::from(rebuilt))
}

/// The `ErrorResponse` body to put in place of an error answer's `body`, or
/// `None` if it already is one: the `requestId` and string messages it has
/// are kept, and a body that is not JSON becomes the message.
fn error_body(body: &[u8]) -> Option<Vec<u8>> {
    if serde_json::from_slice::<crate::types::ErrorResponse>(body).is_ok() {
        return None;
    }
    let (request_id, errors) = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(object)) => {
            let request_id = object
                .get("requestId")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned);
            let errors: Vec<String> = match object.get("errors") {
                Some(serde_json::Value::Array(items)) => items
                    .iter()
                    .map(|item| match item {
                        serde_json::Value::String(text) => text.clone(),
                        other => other.to_string(),
                    })
                    .collect(),
                Some(serde_json::Value::String(text)) => vec![text.clone()],
                _ => Vec::new(),
            };
            (request_id, errors)
        }
        _ => {
            let text = String::from_utf8_lossy(body);
            let text: String = text.trim().chars().take(500).collect();
            (None, if text.is_empty() { vec![] } else { vec![text] })
        }
    };
    serde_json::to_vec(&serde_json::json!({ "requestId": request_id, "errors": errors })).ok()
}
