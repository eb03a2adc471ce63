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
        let response = self.client().execute(request).await?;
        match self.inner().max_response_bytes {
            Some(limit) => read_capped(response, limit).await,
            None => Ok(response),
        }
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
async fn read_capped(
    mut response: reqwest::Response,
    limit: u64,
) -> reqwest::Result<reqwest::Response> {
    let mut builder = http::Response::builder()
        .status(response.status())
        .version(response.version());
    if let Some(headers) = builder.headers_mut() {
        *headers = std::mem::take(response.headers_mut());
    }
    let declared_over = response.content_length().is_some_and(|len| len > limit);
    let mut body = Vec::new();
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
    }
    let rebuilt = builder
        .body(body)
        .expect("status, version and headers come from a valid response");
    Ok(reqwest::Response::from(rebuilt))
}
