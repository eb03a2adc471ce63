//! OAuth for an app that acts for Gong customers: [`OAuth`], a
//! [`TokenProvider`] that refreshes Gong's tokens itself.
//!
//! Gong's token endpoint takes the app's client id and secret (HTTP Basic)
//! and a refresh token, and answers an access token, its lifetime, the
//! customer's API host (`api_base_url_for_customer`) and a **new** refresh
//! token: refresh tokens are single-use, so the one used is dead once the
//! answer arrives. [`OAuth`] hands every new set of tokens to a
//! [`TokenStore`] before it uses the access token, so that a crash can never
//! lose the only refresh token that still works.

use crate::auth::{Secret, TokenError, TokenFuture, TokenProvider};
use crate::error::{ApiError, Error, Result};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// Gong's token endpoint.
pub const GONG_TOKEN_ENDPOINT: &str = "https://app.gong.io/oauth2/generate-customer-token";

/// The token endpoint's name in errors and logs, like an operation id.
const OPERATION: &str = "generateCustomerToken";

/// The lifetime assumed for an access token whose answer gives none.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// One token answer: what a [`TokenStore`] keeps.
///
/// `Debug` never shows a token (they are [`Secret`]s).
///
/// ```
/// use gong_flows::{Secret, Tokens};
/// use std::time::{Duration, SystemTime};
///
/// let tokens = Tokens::new(
///     Secret::new("ACCESS"),
///     Secret::new("REFRESH"),
///     SystemTime::now() + Duration::from_secs(3600),
/// );
/// assert!(!format!("{tokens:?}").contains("REFRESH"));
/// assert_eq!(tokens.refresh_token.expose(), "REFRESH");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tokens {
    /// The access token: the `Bearer` of every call until it expires.
    pub access_token: Secret,
    /// The refresh token for the next refresh (the one before it is dead).
    pub refresh_token: Secret,
    /// When the access token expires, on this machine's clock.
    pub expires_at: SystemTime,
    /// The scopes granted, space-separated, e.g. `api:flows:read api:flows:write`.
    pub scope: Option<String>,
    /// The customer's API host, from `api_base_url_for_customer`.
    pub api_base_url: Option<String>,
}

impl Tokens {
    /// Tokens without a scope or a host (set the fields to add them).
    pub fn new(access_token: Secret, refresh_token: Secret, expires_at: SystemTime) -> Self {
        Self {
            access_token,
            refresh_token,
            expires_at,
            scope: None,
            api_base_url: None,
        }
    }
}

/// The boxed future a [`TokenStore`] returns.
pub type StoreFuture<'a> =
    Pin<Box<dyn Future<Output = std::result::Result<(), TokenError>> + Send + 'a>>;

/// Where [`OAuth`] keeps each new refresh token (a database row, a secrets
/// manager, a file), so that the next process can resume with it.
///
/// [`save`](TokenStore::save) is awaited with every new set of tokens
/// **before** their access token is used, and one save at a time, in the
/// order the refreshes happened. While it fails, the new access token is
/// not used: calls fail with [`Error::Token`] and the save is tried again
/// (without another refresh) on the next call.
///
/// ```
/// use gong_flows::{StoreFuture, TokenStore, Tokens};
/// use std::sync::Mutex;
///
/// #[derive(Debug, Default)]
/// struct Db {
///     refresh_token: Mutex<Option<String>>,
/// }
///
/// impl TokenStore for Db {
///     fn save<'a>(&'a self, tokens: &'a Tokens) -> StoreFuture<'a> {
///         Box::pin(async move {
///             // An UPDATE of the customer's row, in real life.
///             *self.refresh_token.lock().unwrap() = Some(tokens.refresh_token.expose().to_owned());
///             Ok(())
///         })
///     }
/// }
/// ```
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// Keeps `tokens` (at least the refresh token) durably.
    fn save<'a>(&'a self, tokens: &'a Tokens) -> StoreFuture<'a>;
}

/// A [`TokenStore`] made of a synchronous closure.
struct FnStore<F>(F);

impl<F> fmt::Debug for FnStore<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnStore")
    }
}

impl<F> TokenStore for FnStore<F>
where
    F: Fn(&Tokens) -> std::result::Result<(), TokenError> + Send + Sync,
{
    fn save<'a>(&'a self, tokens: &'a Tokens) -> StoreFuture<'a> {
        let result = (self.0)(tokens);
        Box::pin(async move { result })
    }
}

/// A [`TokenProvider`] for Gong's OAuth: refreshes the access token ahead
/// of its expiry and when Gong refuses it, one refresh at a time for every
/// clone and task, and stores every rotated refresh token before use.
///
/// - **Ahead of expiry**: a token within the
///   [`refresh_margin`](OAuthBuilder::refresh_margin) of its expiry (default
///   5 minutes, at most half its lifetime) is refreshed before the next
///   call, so calls do not meet a 401.
/// - **On a 401**: the client asks for a fresh token once and repeats the
///   call once ([`TokenProvider::refresh`]).
/// - **Single-flight**: tasks that need a token while a refresh is under
///   way wait for it and share its answer, and a 401 for a token already
///   replaced takes the new one: one token call, however many tasks.
/// - **Rotation**: see [`TokenStore`]; the store sees each new refresh token
///   before the new access token goes out.
/// - **Refused**: a refresh token the endpoint refuses (revoked, already
///   used: `invalid_grant`, or the app's credentials refused) is
///   [`Error::TokenRefused`]: it stops a job at once, and every later call
///   fails with it without asking the endpoint again. Build a new `OAuth`
///   with a new refresh token (the customer authorises the app again).
/// - **Transient failures** of the endpoint (5xx, 429, connection,
///   timeout) are retried under the client's [`RetryPolicy`](crate::RetryPolicy)
///   before the call is sent.
/// - **The customer's host**: the token answer names it
///   (`api_base_url_for_customer`); a client built with
///   [`ClientBuilder::oauth`](crate::ClientBuilder::oauth) calls it, see there.
///
/// Cheap to clone; clones share the tokens. `Debug` never shows the client
/// secret or a token.
///
/// ```no_run
/// # async fn demo() -> gong_flows::Result<()> {
/// use gong_flows::{Client, OAuth, Secret};
///
/// let oauth = OAuth::builder("CLIENT_ID", Secret::new("CLIENT_SECRET"), Secret::new("REFRESH_TOKEN"))
///     .on_rotate(|tokens| {
///         // Store tokens.refresh_token for this customer, durably.
///         let _ = tokens.refresh_token.expose();
///         Ok(())
///     })
///     .build()?;
/// oauth.connect().await?; // the first token, and the customer's host
/// let client = Client::builder().oauth(oauth).build()?;
/// let flows = client.list_flows("owner@example.com").send().await?;
/// # let _ = flows; Ok(()) }
/// ```
#[derive(Clone)]
pub struct OAuth {
    inner: Arc<Inner>,
}

struct Inner {
    client_id: String,
    client_secret: Secret,
    endpoint: url::Url,
    margin: Duration,
    store: Option<Arc<dyn TokenStore>>,
    http: reqwest::Client,
    company_key: Option<String>,
    state: Mutex<State>,
    /// Held by the one refresh under way (and its save).
    refreshing: tokio::sync::Mutex<()>,
}

struct State {
    refresh_token: Secret,
    access: Option<Access>,
    api_base_url: Option<String>,
    /// Counts the access tokens put in use, so that a task which waited
    /// for a refresh knows one happened.
    generation: u64,
    /// Why the endpoint refused the refresh token: every later call fails
    /// with it.
    refused: Option<String>,
    /// Tokens received but not stored yet: their access token is not used
    /// until they are.
    unsaved: Option<Tokens>,
}

struct Access {
    token: Secret,
    expires_at: Instant,
    refresh_at: Instant,
}

impl Access {
    fn new(token: Secret, lifetime: Duration, margin: Duration) -> Self {
        let now = Instant::now();
        // A margin of at most half the lifetime, so that a short-lived token
        // is used at all.
        let margin = margin.min(lifetime / 2);
        Self {
            token,
            expires_at: now + lifetime,
            refresh_at: now + (lifetime - margin),
        }
    }
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("OAuth")
            .field("token_endpoint", &self.inner.endpoint.as_str())
            .field("client_id", &self.inner.client_id)
            .field("client_secret", &self.inner.client_secret)
            .field("refresh_margin", &self.inner.margin)
            .field("store", &self.inner.store.is_some())
            .field("company_key", &self.inner.company_key)
            .field("api_base_url", &state.api_base_url)
            .field("has_access_token", &state.access.is_some())
            .field("refused", &state.refused.is_some())
            .finish_non_exhaustive()
    }
}

/// Configures an [`OAuth`]; from [`OAuth::builder`].
///
/// ```
/// use gong_flows::{OAuth, Secret};
/// use std::time::{Duration, SystemTime};
///
/// // Resuming: the tokens and host stored at the last rotation.
/// let oauth = OAuth::builder("CLIENT_ID", Secret::new("CLIENT_SECRET"), Secret::new("REFRESH_TOKEN"))
///     .access_token(Secret::new("ACCESS_TOKEN"), SystemTime::now() + Duration::from_secs(1800))
///     .api_base_url("https://us-55616.api.gong.io")
///     .refresh_margin(Duration::from_secs(120))
///     .build()?;
/// assert_eq!(oauth.api_base_url().as_deref(), Some("https://us-55616.api.gong.io"));
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[must_use]
pub struct OAuthBuilder {
    client_id: String,
    client_secret: Secret,
    refresh_token: Secret,
    endpoint: String,
    margin: Duration,
    store: Option<Arc<dyn TokenStore>>,
    http: Option<reqwest::Client>,
    access: Option<(Secret, SystemTime)>,
    api_base_url: Option<String>,
    company_key: Option<String>,
}

impl fmt::Debug for OAuthBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthBuilder")
            .field("client_id", &self.client_id)
            .field("token_endpoint", &self.endpoint)
            .field("refresh_margin", &self.margin)
            .field("store", &self.store.is_some())
            .field("api_base_url", &self.api_base_url)
            .finish_non_exhaustive()
    }
}

impl OAuth {
    /// Starts configuring OAuth for one customer: the app's client id and
    /// secret, and the customer's current refresh token.
    ///
    /// ```
    /// use gong_flows::{OAuth, Secret};
    ///
    /// let oauth = OAuth::builder("CLIENT_ID", Secret::new("CLIENT_SECRET"), Secret::new("REFRESH_TOKEN"))
    ///     .build()?;
    /// assert!(!format!("{oauth:?}").contains("CLIENT_SECRET"));
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn builder(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> OAuthBuilder {
        OAuthBuilder {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            refresh_token: refresh_token.into(),
            endpoint: GONG_TOKEN_ENDPOINT.to_owned(),
            margin: Duration::from_secs(300),
            store: None,
            http: None,
            access: None,
            api_base_url: None,
            company_key: None,
        }
    }

    /// Makes sure there is a usable access token (refreshing if there is
    /// none or it is about to expire), so that the customer's host is known
    /// ([`api_base_url`](Self::api_base_url)) before a client is built.
    ///
    /// # Errors
    ///
    /// [`Error::TokenRefused`] for a refused refresh token; [`Error::Token`]
    /// when the store failed; the transport's error (not retried here) when
    /// the endpoint could not be reached or failed.
    ///
    /// ```no_run
    /// # async fn demo(oauth: gong_flows::OAuth) -> gong_flows::Result<()> {
    /// oauth.connect().await?;
    /// println!("customer host: {:?}", oauth.api_base_url());
    /// # Ok(()) }
    /// ```
    pub async fn connect(&self) -> Result<()> {
        self.current(false, None).await.map(drop)
    }

    /// The customer's API host, once a token answer named it (or as given
    /// to [`OAuthBuilder::api_base_url`]).
    ///
    /// ```
    /// # use gong_flows::{OAuth, Secret};
    /// let oauth = OAuth::builder("ID", Secret::new("S"), Secret::new("R")).build()?;
    /// assert_eq!(oauth.api_base_url(), None); // no token answer yet
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn api_base_url(&self) -> Option<String> {
        self.state().api_base_url.clone()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves usable data.
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The access token to use: the current one, or a new one (`force`:
    /// Gong refused the current one; `rejected`: this one).
    async fn current(&self, force: bool, rejected: Option<&Secret>) -> Result<Secret> {
        // Gong refused a token that is no longer the current one: another
        // task has refreshed already.
        let replaced = |state: &State| match (rejected, &state.unsaved, &state.access) {
            (Some(rejected), None, Some(access)) => {
                access.token != *rejected && Instant::now() < access.expires_at
            }
            _ => false,
        };
        let seen = {
            let state = self.state();
            if let Some(reason) = &state.refused {
                return Err(refused(reason));
            }
            if let (false, None, Some(access)) = (force, &state.unsaved, &state.access)
                && Instant::now() < access.refresh_at
            {
                return Ok(access.token.clone());
            }
            if replaced(&state)
                && let Some(access) = &state.access
            {
                return Ok(access.token.clone());
            }
            state.generation
        };
        let _one = self.inner.refreshing.lock().await;
        let unsaved = {
            let state = self.state();
            if let Some(reason) = &state.refused {
                return Err(refused(reason));
            }
            if let (None, Some(access)) = (&state.unsaved, &state.access) {
                let now = Instant::now();
                // Another task refreshed while this one waited: its token
                // is the fresh one.
                let refreshed = state.generation != seen && now < access.expires_at;
                if refreshed || replaced(&state) || (!force && now < access.refresh_at) {
                    return Ok(access.token.clone());
                }
            }
            state.unsaved.clone()
        };
        if let Some(tokens) = unsaved {
            // A save failed after the last refresh: the tokens it got are
            // the only valid ones, so store them rather than refresh again.
            self.save(&tokens).await?;
            let mut state = self.state();
            state.unsaved = None;
            state.generation += 1;
            if let Some(access) = &state.access
                && Instant::now() < access.expires_at
            {
                return Ok(access.token.clone());
            }
        }
        let refresh_token = self.state().refresh_token.clone();
        let answer = match self.exchange(&refresh_token).await {
            Ok(answer) => answer,
            Err(Error::TokenRefused { message }) => {
                tracing::warn!(
                    client_id = %self.inner.client_id,
                    "the token endpoint refused the refresh token: {message}"
                );
                self.state().refused = Some(message.clone());
                return Err(Error::TokenRefused { message });
            }
            Err(error) => return Err(error),
        };
        let lifetime = answer
            .expires_in
            .map_or(DEFAULT_LIFETIME, Duration::from_secs);
        let tokens = Tokens {
            access_token: Secret::new(answer.access_token),
            // A server that does not rotate keeps the old one valid.
            refresh_token: answer.refresh_token.map_or(refresh_token, Secret::new),
            expires_at: SystemTime::now() + lifetime,
            scope: answer.scope,
            api_base_url: answer.api_base_url_for_customer,
        };
        {
            let mut state = self.state();
            // The old refresh token is dead now: keep the new one at once,
            // whatever happens to the save.
            state.refresh_token = tokens.refresh_token.clone();
            state.access = Some(Access::new(
                tokens.access_token.clone(),
                lifetime,
                self.inner.margin,
            ));
            if let Some(url) = &tokens.api_base_url {
                if state
                    .api_base_url
                    .as_ref()
                    .is_some_and(|known| known != url)
                {
                    tracing::warn!(
                        new = %url,
                        "the token answer names another customer host; clients built before keep theirs"
                    );
                }
                state.api_base_url = Some(url.clone());
            }
            state.unsaved = Some(tokens.clone());
        }
        tracing::debug!(
            client_id = %self.inner.client_id,
            expires_in_s = lifetime.as_secs(),
            "refreshed the OAuth access token"
        );
        self.save(&tokens).await?;
        let mut state = self.state();
        state.unsaved = None;
        state.generation += 1;
        Ok(tokens.access_token)
    }

    /// Hands `tokens` to the store, if there is one.
    async fn save(&self, tokens: &Tokens) -> Result<()> {
        let Some(store) = &self.inner.store else {
            return Ok(());
        };
        store.save(tokens).await.map_err(|e| Error::Token {
            message: format!(
                "storing the rotated refresh token failed (the new access token is not used until it is stored): {}",
                self.scrub(&e.to_string())
            ),
        })
    }

    /// `text` without any of the secrets this provider holds.
    fn scrub(&self, text: &str) -> String {
        let state = self.state();
        let mut secrets = vec![
            self.inner.client_secret.expose().to_owned(),
            state.refresh_token.expose().to_owned(),
        ];
        if let Some(access) = &state.access {
            secrets.push(access.token.expose().to_owned());
        }
        if let Some(unsaved) = &state.unsaved {
            secrets.push(unsaved.refresh_token.expose().to_owned());
            secrets.push(unsaved.access_token.expose().to_owned());
        }
        let mut text = text.to_owned();
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            text = text.replace(secret.as_str(), "***");
        }
        text
    }

    /// One call of the token endpoint.
    async fn exchange(&self, refresh_token: &Secret) -> Result<Answer> {
        let body = serde_json::json!({
            "grant_type": "refresh_token",
            "refresh_token": refresh_token.expose(),
        });
        let response = self
            .inner
            .http
            .post(self.inner.endpoint.clone())
            .basic_auth(
                &self.inner.client_id,
                Some(self.inner.client_secret.expose()),
            )
            .json(&body)
            .send()
            .await
            .map_err(|e| crate::call::transport_error(OPERATION, &e))?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(|e| Error::Connection {
            operation: OPERATION,
            may_have_been_sent: true,
            message: format!(
                "reading the answer failed: {}",
                crate::call::without_url(&e)
            ),
            host: crate::call::host_of(&e),
        })?;
        if (200..300).contains(&status) {
            let answer: Answer = serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
                operation: OPERATION,
                status,
                request_id: None,
                // serde's message may quote a value: only the position.
                message: format!(
                    "not a token answer ({:?} error at line {} column {})",
                    e.classify(),
                    e.line(),
                    e.column()
                ),
            })?;
            if answer
                .token_type
                .as_deref()
                .is_some_and(|t| !t.eq_ignore_ascii_case("bearer"))
            {
                return Err(Error::Decode {
                    operation: OPERATION,
                    status,
                    request_id: None,
                    message: "the token type is not bearer".to_owned(),
                });
            }
            return Ok(answer);
        }
        let refusal: Refusal = serde_json::from_slice(&bytes).unwrap_or_default();
        let code = refusal.error.unwrap_or_else(|| "no error code".to_owned());
        let said = match refusal.error_description {
            Some(description) => format!("{code}: {}", self.scrub(&description)),
            None => code,
        };
        match status {
            400 | 401 | 403 => Err(Error::TokenRefused {
                message: format!("{OPERATION} answered {status}: {said}"),
            }),
            429 | 500..=599 => Err(Error::Server(ApiError::new(
                OPERATION,
                status,
                None,
                [said],
            ))),
            _ => Err(Error::Token {
                message: format!("{OPERATION} answered {status}: {said}"),
            }),
        }
    }
}

/// The token endpoint's answer.
#[derive(serde::Deserialize)]
struct Answer {
    access_token: String,
    refresh_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<u64>,
    scope: Option<String>,
    api_base_url_for_customer: Option<String>,
}

/// An OAuth error answer (RFC 6749 §5.2).
#[derive(serde::Deserialize, Default)]
struct Refusal {
    error: Option<String>,
    error_description: Option<String>,
}

fn refused(reason: &str) -> Error {
    Error::TokenRefused {
        message: reason.to_owned(),
    }
}

impl TokenProvider for OAuth {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move { self.current(false, None).await.map_err(TokenError::from) })
    }

    fn refresh(&self) -> TokenFuture<'_> {
        Box::pin(async move { self.current(true, None).await.map_err(TokenError::from) })
    }

    fn refresh_refused<'a>(&'a self, refused: &'a Secret) -> TokenFuture<'a> {
        Box::pin(async move {
            self.current(true, Some(refused))
                .await
                .map_err(TokenError::from)
        })
    }

    fn company_key(&self) -> Option<String> {
        self.inner.company_key.clone()
    }
}

impl OAuthBuilder {
    /// The token endpoint (default [`GONG_TOKEN_ENDPOINT`]). `https://`
    /// unless the host is loopback (a local simulator), like the client's
    /// base URL.
    ///
    /// ```
    /// # use gong_flows::{OAuth, Secret};
    /// let sim = OAuth::builder("ID", Secret::new("S"), Secret::new("R"))
    ///     .token_endpoint("http://127.0.0.1:8080/oauth2/generate-customer-token")
    ///     .build();
    /// assert!(sim.is_ok());
    /// let cleartext = OAuth::builder("ID", Secret::new("S"), Secret::new("R"))
    ///     .token_endpoint("http://app.gong.io/oauth2/generate-customer-token")
    ///     .build();
    /// assert!(cleartext.is_err());
    /// ```
    pub fn token_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// How long before its expiry an access token is refreshed (default 5
    /// minutes; at most half the token's lifetime is used), so that calls
    /// in flight do not meet a 401.
    ///
    /// ```
    /// # use gong_flows::{OAuth, Secret};
    /// let oauth = OAuth::builder("ID", Secret::new("S"), Secret::new("R"))
    ///     .refresh_margin(std::time::Duration::from_secs(60))
    ///     .build()?;
    /// # let _ = oauth; Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Where each new refresh token is kept, before its access token is
    /// used: see [`TokenStore`].
    ///
    /// ```
    /// # use gong_flows::{OAuth, Secret, StoreFuture, TokenStore, Tokens};
    /// #[derive(Debug)]
    /// struct Vault;
    /// impl TokenStore for Vault {
    ///     fn save<'a>(&'a self, _tokens: &'a Tokens) -> StoreFuture<'a> {
    ///         Box::pin(async { Ok(()) })
    ///     }
    /// }
    /// let oauth = OAuth::builder("ID", Secret::new("S"), Secret::new("R")).store(Vault).build()?;
    /// # let _ = oauth; Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// A [`store`](Self::store) made of a closure, called with every new
    /// set of tokens before its access token is used; an `Err` keeps the
    /// access token unused (see [`TokenStore`]). Keep it quick: it runs on
    /// the task that refreshes.
    ///
    /// ```
    /// # use gong_flows::{OAuth, Secret};
    /// let oauth = OAuth::builder("ID", Secret::new("S"), Secret::new("R"))
    ///     .on_rotate(|tokens| {
    ///         std::fs::write("/var/lib/app/acme.refresh", tokens.refresh_token.expose())?;
    ///         Ok(())
    ///     })
    ///     .build()?;
    /// # let _ = oauth; Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn on_rotate(
        self,
        save: impl Fn(&Tokens) -> std::result::Result<(), TokenError> + Send + Sync + 'static,
    ) -> Self {
        self.store(FnStore(save))
    }

    /// An access token still valid and when it expires, to resume without
    /// a refresh (what the store kept at the last rotation).
    ///
    /// ```
    /// # use gong_flows::{OAuth, Secret};
    /// # use std::time::{Duration, SystemTime};
    /// let oauth = OAuth::builder("ID", Secret::new("S"), Secret::new("R"))
    ///     .access_token(Secret::new("A"), SystemTime::now() + Duration::from_secs(600))
    ///     .build()?;
    /// # let _ = oauth; Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn access_token(mut self, token: impl Into<Secret>, expires_at: SystemTime) -> Self {
        self.access = Some((token.into(), expires_at));
        self
    }

    /// The customer's API host as a token answer named it, to resume
    /// without a refresh (a client then needs no [`OAuth::connect`]).
    ///
    /// ```
    /// # use gong_flows::{OAuth, Secret};
    /// let oauth = OAuth::builder("ID", Secret::new("S"), Secret::new("R"))
    ///     .api_base_url("https://us-55616.api.gong.io")
    ///     .build()?;
    /// assert_eq!(oauth.api_base_url().as_deref(), Some("https://us-55616.api.gong.io"));
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = Some(url.into());
        self
    }

    /// A name for the customer of your own (its id in your database, say),
    /// for its [`Company`](crate::Company): reports and a shared pacer's
    /// namespace (`HOST#KEY`) then name it whatever its tokens are. Without
    /// one, the company is its API host alone, which Gong gives each
    /// customer.
    ///
    /// ```
    /// # use gong_flows::{Client, OAuth, Secret};
    /// let oauth = OAuth::builder("ID", Secret::new("S"), Secret::new("R"))
    ///     .api_base_url("https://us-55616.api.gong.io")
    ///     .company_key("acme")
    ///     .build()?;
    /// let client = Client::builder().oauth(oauth).build()?;
    /// assert_eq!(client.company().to_string(), "us-55616.api.gong.io#acme");
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn company_key(mut self, key: impl Into<String>) -> Self {
        self.company_key = Some(key.into());
        self
    }

    /// The HTTP client for the token endpoint (default: one of its own,
    /// with a 10 s connect and 30 s request timeout, following no
    /// redirects), e.g. the pool the API clients share.
    ///
    /// ```
    /// # use gong_flows::{OAuth, Secret};
    /// let http = gong_flows::reqwest::Client::new();
    /// let oauth = OAuth::builder("ID", Secret::new("S"), Secret::new("R"))
    ///     .http_client(http)
    ///     .build()?;
    /// # let _ = oauth; Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the provider, checking the endpoint URL.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an endpoint that is not `https://` (or
    /// loopback `http://`), an empty client id or refresh token, or an
    /// HTTP client that cannot be built.
    ///
    /// ```
    /// # use gong_flows::{OAuth, Secret};
    /// assert!(OAuth::builder("", Secret::new("S"), Secret::new("R")).build().is_err());
    /// ```
    pub fn build(self) -> Result<OAuth> {
        let config = |setting: &str, reason: &str| Error::Config {
            setting: setting.to_owned(),
            reason: reason.to_owned(),
        };
        if self.client_id.trim().is_empty() {
            return Err(config("oauth client_id", "is empty"));
        }
        if self.refresh_token.expose().trim().is_empty() {
            return Err(config("oauth refresh_token", "is empty"));
        }
        let endpoint = crate::client::check_url(&self.endpoint, false, "token_endpoint")?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(30))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("gong-flows/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| config("oauth http client", &e.to_string()))?,
        };
        let access = self.access.map(|(token, expires_at)| {
            let lifetime = expires_at
                .duration_since(SystemTime::now())
                .unwrap_or_default();
            Access::new(token, lifetime, self.margin)
        });
        Ok(OAuth {
            inner: Arc::new(Inner {
                client_id: self.client_id,
                client_secret: self.client_secret,
                endpoint,
                margin: self.margin,
                store: self.store,
                http,
                company_key: self.company_key,
                state: Mutex::new(State {
                    refresh_token: self.refresh_token,
                    access,
                    api_base_url: self.api_base_url,
                    generation: 0,
                    refused: None,
                    unsaved: None,
                }),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        })
    }
}
