//! Credentials: HTTP Basic with an access key, a Bearer token, or a
//! [`TokenProvider`] for OAuth tokens that expire.

use crate::error::{Error, Result};
use base64::Engine as _;
use reqwest::header::HeaderValue;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A secret string (an access key secret or a token) that never prints.
///
/// `Debug` shows `Secret(***)` and there is no `Display`, so a secret cannot
/// end up in a log line or an error message by accident.
///
/// ```
/// use gong_flows::Secret;
///
/// let secret = Secret::new("s3cr3t");
/// assert_eq!(format!("{secret:?}"), "Secret(***)");
/// assert_eq!(secret.expose(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself. Take care where it goes.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// The boxed future a [`TokenProvider`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = std::result::Result<Secret, TokenError>> + Send + 'a>>;

/// The error a [`TokenProvider`] returns.
pub type TokenError = Box<dyn std::error::Error + Send + Sync>;

/// Supplies OAuth access tokens, for credentials that expire.
///
/// Gong's OAuth access tokens expire and its refresh tokens are single-use
/// (each refresh rotates them), so only the application knows how to get a
/// current token. The client asks [`token`](TokenProvider::token) before every
/// request; when Gong answers 401 it asks [`refresh`](TokenProvider::refresh)
/// once for a fresh token and repeats the request once.
///
/// ```
/// use gong_flows::{Secret, TokenError, TokenFuture, TokenProvider};
/// use std::sync::Mutex;
///
/// #[derive(Debug)]
/// struct MyTokens {
///     current: Mutex<String>,
/// }
///
/// impl TokenProvider for MyTokens {
///     fn token(&self) -> TokenFuture<'_> {
///         let token = self.current.lock().unwrap().clone();
///         Box::pin(async move { Ok(Secret::new(token)) })
///     }
///     fn refresh(&self) -> TokenFuture<'_> {
///         Box::pin(async move {
///             // Exchange the refresh token here, store the rotated one.
///             let fresh = "fresh-token".to_string();
///             *self.current.lock().unwrap() = fresh.clone();
///             Ok(Secret::new(fresh))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// The token to use now (a cached one is fine).
    fn token(&self) -> TokenFuture<'_>;

    /// A fresh token: Gong refused the current one with 401.
    fn refresh(&self) -> TokenFuture<'_>;

    /// A fresh token because Gong refused `refused` with 401: what the
    /// client asks. The default is [`refresh`](TokenProvider::refresh); a
    /// provider shared by many tasks can answer its current token instead
    /// when that is no longer `refused` (another task refreshed already),
    /// so that many 401s at once make one refresh.
    ///
    /// ```
    /// # use gong_flows::{Secret, TokenFuture, TokenProvider};
    /// # use std::sync::Mutex;
    /// #[derive(Debug)]
    /// struct Shared { current: Mutex<String> }
    /// impl TokenProvider for Shared {
    ///     fn token(&self) -> TokenFuture<'_> {
    ///         let token = self.current.lock().unwrap().clone();
    ///         Box::pin(async move { Ok(Secret::new(token)) })
    ///     }
    ///     fn refresh(&self) -> TokenFuture<'_> {
    ///         *self.current.lock().unwrap() = "fresh".into();
    ///         self.token()
    ///     }
    ///     fn refresh_refused<'a>(&'a self, refused: &'a Secret) -> TokenFuture<'a> {
    ///         if self.current.lock().unwrap().as_str() != refused.expose() {
    ///             return self.token(); // already replaced
    ///         }
    ///         self.refresh()
    ///     }
    /// }
    /// ```
    fn refresh_refused<'a>(&'a self, refused: &'a Secret) -> TokenFuture<'a> {
        let _ = refused;
        self.refresh()
    }

    /// A name for the company these tokens are for, of the caller's own
    /// (tokens change, so none of them can name it): the fingerprint of
    /// [`Credentials::fingerprint`], for reports and a shared pacer's
    /// namespace. `None` by default.
    ///
    /// ```
    /// # use gong_flows::{Secret, TokenFuture, TokenProvider};
    /// #[derive(Debug)]
    /// struct Acme;
    /// impl TokenProvider for Acme {
    ///     fn token(&self) -> TokenFuture<'_> { Box::pin(async { Ok(Secret::new("t")) }) }
    ///     fn refresh(&self) -> TokenFuture<'_> { self.token() }
    ///     fn company_key(&self) -> Option<String> { Some("acme".into()) }
    /// }
    /// let credentials = gong_flows::Credentials::Provider(std::sync::Arc::new(Acme));
    /// assert_eq!(credentials.fingerprint().as_deref(), Some("acme"));
    /// ```
    fn company_key(&self) -> Option<String> {
        None
    }
}

/// How the client authenticates.
///
/// ```
/// use gong_flows::{Client, Credentials};
///
/// let basic = Credentials::basic("ACCESS_KEY", "THE-SECRET");
/// // Secrets never show, in Debug or anywhere else.
/// assert!(!format!("{basic:?}").contains("THE-SECRET"));
/// let client = Client::builder()
///     .base_url("https://us-55616.api.gong.io")
///     .credentials(basic)
///     .build()?;
/// // The company's fingerprint names it (e.g. in report files) without the secret.
/// assert!(client.company().fingerprint.is_some());
/// let bearer = Credentials::bearer("TOKEN");
/// assert!(matches!(bearer, Credentials::Bearer(_)));
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[derive(Clone, Debug)]
pub enum Credentials {
    /// HTTP Basic with an access key and its secret (created by a Gong
    /// technical administrator).
    Basic {
        /// The access key.
        access_key: String,
        /// The access key secret.
        secret: Secret,
    },
    /// A Bearer token that does not change for the client's lifetime.
    Bearer(Secret),
    /// Tokens from a [`TokenProvider`], asked before every request.
    Provider(Arc<dyn TokenProvider>),
}

impl Credentials {
    /// HTTP Basic credentials from an access key and its secret.
    pub fn basic(access_key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Credentials::Basic {
            access_key: access_key.into(),
            secret: secret.into(),
        }
    }

    /// A fixed Bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Credentials::Bearer(token.into())
    }

    /// A short name for the company these credentials belong to that gives
    /// nothing away: the first 16 hex digits of a SHA-256 over a
    /// domain-separated string of the access key (for Basic, not its secret)
    /// or of the token (for Bearer). Two processes with the same credentials
    /// get the same fingerprint, two companies on one host different ones,
    /// so it can name the company in a shared pacer's namespace
    /// (`RedisPacerBuilder::credentials`, cargo feature `redis`)
    /// and in report files.
    ///
    /// For a [`TokenProvider`], its [`company_key`](TokenProvider::company_key)
    /// as it is (`None` without one): its tokens change, so no fingerprint
    /// of them names the company for long.
    ///
    /// ```
    /// use gong_flows::Credentials;
    ///
    /// let one = Credentials::basic("ACCESS_KEY", "SECRET");
    /// let rotated = Credentials::basic("ACCESS_KEY", "ANOTHER_SECRET");
    /// let fingerprint = one.fingerprint().unwrap();
    /// assert_eq!(fingerprint.len(), 16);
    /// assert_eq!(rotated.fingerprint(), Some(fingerprint.clone()));
    /// assert_ne!(Credentials::basic("OTHER_KEY", "SECRET").fingerprint(), Some(fingerprint));
    /// ```
    pub fn fingerprint(&self) -> Option<String> {
        use sha2::{Digest as _, Sha256};
        let (kind, value) = match self {
            Credentials::Basic { access_key, .. } => ("basic", access_key.as_str()),
            Credentials::Bearer(token) => ("bearer", token.expose()),
            Credentials::Provider(provider) => return provider.company_key(),
        };
        let mut hash = Sha256::new();
        hash.update(b"gong-flows company fingerprint v1\0");
        hash.update(kind.as_bytes());
        hash.update(b"\0");
        hash.update(value.as_bytes());
        Some(
            hash.finalize()[..8]
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect(),
        )
    }

    /// The `Authorization` header for credentials that never change; `None`
    /// for a provider.
    pub(crate) fn static_header(&self) -> Result<Option<HeaderValue>> {
        match self {
            Credentials::Basic { access_key, secret } => {
                let raw = format!("{access_key}:{}", secret.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                sensitive(&format!("Basic {encoded}"), "access key").map(Some)
            }
            Credentials::Bearer(token) => bearer_header(token).map(Some),
            Credentials::Provider(_) => Ok(None),
        }
    }
}

pub(crate) fn bearer_header(token: &Secret) -> Result<HeaderValue> {
    sensitive(&format!("Bearer {}", token.expose()), "bearer token")
}

/// A header value marked sensitive, so the HTTP stack never logs it.
fn sensitive(value: &str, what: &str) -> Result<HeaderValue> {
    let mut header = HeaderValue::from_str(value).map_err(|_| Error::Config {
        setting: what.to_owned(),
        reason: "contains characters not allowed in an HTTP header".to_owned(),
    })?;
    header.set_sensitive(true);
    Ok(header)
}
