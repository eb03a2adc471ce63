//! Gong's OAuth token endpoint, `POST /oauth2/generate-customer-token`:
//! HTTP Basic with an app's client id and secret, a JSON body with
//! `grant_type=refresh_token` and the refresh token; the answer carries a
//! new access token (with its lifetime and scopes), a **new** refresh token
//! (the one used is refused from then on, as Gong's are single-use) and the
//! customer's API host. Access tokens it issues are accepted as `Bearer` on
//! the API, with their scopes, until they expire on the simulator's clock.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http::StatusCode;
use http::header::AUTHORIZATION;

use crate::endpoint::Endpoint;
use crate::server::{Auth, Reply};

/// The token endpoint's path.
pub const OAUTH_TOKEN_PATH: &str = "/oauth2/generate-customer-token";
/// The client id of the OAuth app every simulator knows.
pub const DEFAULT_OAUTH_CLIENT_ID: &str = "sim-oauth-client";
/// The client secret of [`DEFAULT_OAUTH_CLIENT_ID`].
pub const DEFAULT_OAUTH_CLIENT_SECRET: &str = "sim-oauth-client-secret";
/// How long issued access tokens live unless set otherwise (one hour).
pub const DEFAULT_ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// A customer's authorisation of an app: what its refresh tokens grant.
#[derive(Debug, Clone)]
struct Grant {
    client_id: String,
    scopes: Vec<String>,
}

#[derive(Debug)]
struct Issued {
    scopes: Vec<String>,
    expires_at: Instant,
}

/// The token endpoint's state.
#[derive(Debug)]
pub(crate) struct OAuthState {
    clients: Vec<(String, String)>,
    refresh_tokens: HashMap<String, Grant>,
    access_tokens: HashMap<String, Issued>,
    lifetime: Duration,
    own_base_url: String,
    customer_base_url: Option<String>,
    failures: u32,
    calls: u64,
    issued: u64,
    seed: u64,
}

impl OAuthState {
    pub(crate) fn new(own_base_url: String, seed: u64) -> Self {
        Self {
            clients: vec![(
                DEFAULT_OAUTH_CLIENT_ID.to_owned(),
                DEFAULT_OAUTH_CLIENT_SECRET.to_owned(),
            )],
            refresh_tokens: HashMap::new(),
            access_tokens: HashMap::new(),
            lifetime: DEFAULT_ACCESS_TOKEN_LIFETIME,
            own_base_url,
            customer_base_url: None,
            failures: 0,
            calls: 0,
            issued: 0,
            seed,
        }
    }

    pub(crate) fn add_client(&mut self, id: String, secret: String) {
        self.clients.retain(|(known, _)| *known != id);
        self.clients.push((id, secret));
    }

    /// A token no one can guess from another: a counter and a seeded hash.
    fn mint(&mut self, kind: &str) -> String {
        self.issued += 1;
        let hash = crate::util::splitmix64(self.seed ^ self.issued.wrapping_mul(0x9e37_79b9));
        format!("sim-{kind}-{}-{hash:016x}", self.issued)
    }

    pub(crate) fn issue_refresh_token(&mut self, client_id: &str, scopes: Vec<String>) -> String {
        let token = self.mint("refresh");
        self.refresh_tokens.insert(
            token.clone(),
            Grant {
                client_id: client_id.to_owned(),
                scopes,
            },
        );
        token
    }

    pub(crate) fn revoke_refresh_token(&mut self, token: &str) -> bool {
        self.refresh_tokens.remove(token).is_some()
    }

    pub(crate) fn set_lifetime(&mut self, lifetime: Duration) {
        self.lifetime = lifetime;
    }

    pub(crate) fn expire_access_tokens(&mut self, now: Instant) {
        for issued in self.access_tokens.values_mut() {
            issued.expires_at = issued.expires_at.min(now);
        }
    }

    pub(crate) fn set_customer_base_url(&mut self, url: Option<String>) {
        self.customer_base_url = url;
    }

    pub(crate) fn fail_next(&mut self, calls: u32) {
        self.failures = calls;
    }

    pub(crate) fn calls(&self) -> u64 {
        self.calls
    }

    /// `Some` for a bearer token this endpoint issued: granted, expired,
    /// or lacking the operation's scope.
    pub(crate) fn authorize(
        &self,
        headers: &http::HeaderMap,
        op: Endpoint,
        now: Instant,
    ) -> Option<Auth> {
        let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let issued = self.access_tokens.get(token.trim())?;
        Some(if now >= issued.expires_at {
            Auth::Unauthorized("Expired access token")
        } else if issued.scopes.iter().any(|s| s == op.scope()) {
            Auth::Granted
        } else {
            Auth::Forbidden(format!(
                "The access token lacks the scope '{}' required by {}",
                op.scope(),
                op.operation_id()
            ))
        })
    }

    /// One call of the token endpoint.
    pub(crate) fn answer(
        &mut self,
        headers: &http::HeaderMap,
        body: &Bytes,
        now: Instant,
    ) -> Reply {
        self.calls += 1;
        if self.failures > 0 {
            self.failures -= 1;
            return refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "The server is temporarily unavailable",
            );
        }
        let client = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .and_then(|(_, encoded)| STANDARD.decode(encoded.trim()).ok())
            .and_then(|raw| String::from_utf8(raw).ok())
            .and_then(|pair| {
                let (id, secret) = pair.split_once(':')?;
                self.clients
                    .iter()
                    .any(|(i, s)| i == id && s == secret)
                    .then(|| id.to_owned())
            });
        let Some(client_id) = client else {
            return refusal(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Unknown client or wrong client secret",
            );
        };
        let Ok(request) = serde_json::from_slice::<serde_json::Value>(body) else {
            return refusal(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The body is not JSON",
            );
        };
        match request.get("grant_type").and_then(|g| g.as_str()) {
            Some("refresh_token") => {}
            Some(_) => {
                return refusal(
                    StatusCode::BAD_REQUEST,
                    "unsupported_grant_type",
                    "Only refresh_token is simulated",
                );
            }
            None => {
                return refusal(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "grant_type is missing",
                );
            }
        }
        let Some(refresh_token) = request.get("refresh_token").and_then(|t| t.as_str()) else {
            return refusal(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "refresh_token is missing",
            );
        };
        let grant = match self.refresh_tokens.get(refresh_token) {
            Some(grant) if grant.client_id == client_id => grant.clone(),
            _ => {
                return refusal(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The refresh token is invalid, expired, revoked or already used",
                );
            }
        };
        // Single-use: the one presented is dead from now on.
        self.refresh_tokens.remove(refresh_token);
        let new_refresh = self.issue_refresh_token(&client_id, grant.scopes.clone());
        let access = self.mint("access");
        self.access_tokens.insert(
            access.clone(),
            Issued {
                scopes: grant.scopes.clone(),
                expires_at: now + self.lifetime,
            },
        );
        let answer = serde_json::json!({
            "access_token": access,
            "refresh_token": new_refresh,
            "token_type": "bearer",
            "expires_in": self.lifetime.as_secs(),
            "scope": grant.scopes.join(" "),
            "api_base_url_for_customer": self
                .customer_base_url
                .clone()
                .unwrap_or_else(|| self.own_base_url.clone()),
        });
        Reply::json(
            StatusCode::OK,
            serde_json::to_vec(&answer).unwrap_or_default(),
        )
    }
}

/// An OAuth error answer (RFC 6749 §5.2).
fn refusal(status: StatusCode, error: &str, description: &str) -> Reply {
    let body = serde_json::json!({"error": error, "error_description": description});
    Reply::json(status, serde_json::to_vec(&body).unwrap_or_default())
}
