//! The client: one connection pool, one pacer and one retry policy shared by
//! every clone.

mod builder;
mod env;
mod url;

pub use builder::{ChunkSizes, ClientBuilder, GONG_CALLS_PER_SECOND, GONG_DAILY_CALLS};
pub(crate) use url::check_url;
#[cfg(feature = "redis")]
pub(crate) use url::{redact_password, redact_userinfo};

use crate::auth::{Credentials, Secret, bearer_header};
use crate::error::{Error, Result};
use crate::pacing::Pacer;
use crate::retry::RetryPolicy;
use gong_flows_api::RequestSettings;
use reqwest::header::{AUTHORIZATION, HeaderMap};
use std::fmt;
use std::sync::Arc;

/// A client for Gong's Engage Flows API.
///
/// Cheap to clone (`Arc` inside), `Send + Sync`; clones share one connection
/// pool and one [`Pacer`], so every task of a process stays within Gong's
/// rate limit together.
///
/// ```no_run
/// # async fn demo() -> gong_flows::Result<()> {
/// let client = gong_flows::Client::from_env()?;
/// let report = client
///     .assign("1695493301223590792", "owner@example.com")
///     .prospects(["0035g00000AbCdE", "0035g00000FgHiJ"])
///     .send()
///     .await?;
/// println!("{} assigned, {} not", report.assigned.len(), report.not_assigned.len());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) base: String,
    pub(crate) http: reqwest::Client,
    pub(crate) credentials: Credentials,
    /// The generated client for credentials that never change, shared by
    /// every call (a token provider's change per call).
    pub(crate) static_api: Option<Arc<gong_flows_api::Client>>,
    pub(crate) pacer: Arc<dyn Pacer>,
    pub(crate) retry: RetryPolicy,
    pub(crate) chunk_sizes: ChunkSizes,
    pub(crate) concurrency: usize,
    pub(crate) max_response_bytes: u64,
    /// How far Gong's clock may be from ours.
    pub(crate) clock_skew: std::time::Duration,
    /// Per-call limits Gong turned out to enforce below the documented ones.
    pub(crate) learned: Learned,
    /// What a job does when today's quota may not hold it.
    pub(crate) over_quota: crate::pacing::OverQuota,
    /// Where calls go, for spans and observers.
    pub(crate) server: crate::observe::Server,
    /// Told of every attempt and every job.
    pub(crate) observers: crate::observe::Observers,
    /// Headers of every call besides the credentials (the `User-Agent`
    /// on a caller's HTTP client).
    pub(crate) headers: HeaderMap,
}

impl fmt::Debug for Client {
    /// Short: where calls go, the kind of credentials and the retry policy.
    /// Never a secret, nor the access key, nor the pacer's state.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.inner.credentials {
            Credentials::Basic { .. } => "basic",
            Credentials::Bearer(_) => "bearer",
            Credentials::Provider(_) => "token provider",
        };
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("auth", &auth)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// A smaller per-call limit than the documented one, learned from Gong's
/// refusals, for assign and for unassign by instance id: kept for the rest
/// of the client's life.
#[derive(Debug, Default)]
pub(crate) struct Learned {
    assign: std::sync::atomic::AtomicUsize,
    unassign_instances: std::sync::atomic::AtomicUsize,
}

/// Which per-call limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    Assign,
    UnassignInstances,
}

/// The limit Gong's newest document states for assign, tried when a full
/// call is refused in a way that can be its size.
pub(crate) const SMALLER_LIMIT: usize = 100;

impl Learned {
    fn slot(&self, limit: Limit) -> &std::sync::atomic::AtomicUsize {
        match limit {
            Limit::Assign => &self.assign,
            Limit::UnassignInstances => &self.unassign_instances,
        }
    }

    /// The learned limit, if any.
    pub(crate) fn get(&self, limit: Limit) -> Option<usize> {
        match self.slot(limit).load(std::sync::atomic::Ordering::Relaxed) {
            0 => None,
            n => Some(n),
        }
    }

    /// Keeps `size` as the limit; says so once, at warn level.
    pub(crate) fn learn(&self, limit: Limit, size: usize) {
        let before = self
            .slot(limit)
            .swap(size, std::sync::atomic::Ordering::Relaxed);
        if before != size {
            tracing::warn!(
                ?limit,
                size,
                "Gong refused a full call in a way that can be its size: sending at most \
                 {size} per call from now on"
            );
        }
    }

    /// Forgets a limit that turned out not to be the problem.
    pub(crate) fn forget(&self, limit: Limit, size: usize) {
        let _ = self.slot(limit).compare_exchange(
            size,
            0,
            std::sync::atomic::Ordering::Relaxed,
            std::sync::atomic::Ordering::Relaxed,
        );
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for plans alone, for a dry run without credentials (most
    /// plans need no call): it has no real credentials, no pacing, and a
    /// host that takes no connection (this machine's discard port), so
    /// that a call made with it by mistake fails at once and reaches no one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> gong_flows::Result<()> {
    /// let client = gong_flows::Client::offline()?;
    /// let assign = client.assign("1", "owner@example.com").prospects(["0035g1"]);
    /// let dry = gong_flows::SavedJob::new(assign)?.dry_run().await?;
    /// assert!(dry.to_string().contains("assign to flow 1"), "{dry}");
    /// let error = client.list_flows("owner@example.com").collect_all().await.unwrap_err();
    /// assert_eq!(error.kind(), "connection");
    /// # Ok(())
    /// # }
    /// ```
    pub fn offline() -> Result<Client> {
        Self::builder()
            .base_url("http://127.0.0.1:9")
            .bearer_token("offline")
            .unpaced()
            .retry_policy(crate::RetryPolicy::none())
            .build()
    }

    /// A client configured from the environment: `GONG_BASE_URL`, and either
    /// `GONG_ACCESS_KEY` with `GONG_ACCESS_KEY_SECRET`, or `GONG_BEARER_TOKEN`;
    /// optionally the pacing: `GONG_RATE_LIMIT` (calls per second, or
    /// `none`), `GONG_DAILY_LIMIT` (calls per 24 hours, or `none`) and
    /// `GONG_DAILY_RESERVE` (calls of it never spent).
    /// Everything else takes its default (Gong's rate limits, 4 attempts).
    /// A missing or malformed variable is an [`Error::Config`] naming it.
    pub fn from_env() -> Result<Client> {
        Self::builder_from_env()?.build()
    }

    /// Like [`from_env`](Self::from_env), but returns the builder so that
    /// other settings can be changed before building.
    pub fn builder_from_env() -> Result<ClientBuilder> {
        Self::builder_from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`builder_from_env`](Self::builder_from_env), with the `GONG_*`
    /// settings read from `lookup` (a configuration file, command-line
    /// options, a secrets store) rather than the environment. The errors
    /// name the setting as its variable.
    ///
    /// ```
    /// let settings = [
    ///     ("GONG_BASE_URL", "https://us-55616.api.gong.io"),
    ///     ("GONG_BEARER_TOKEN", "token"),
    /// ];
    /// let lookup = |name: &str| {
    ///     settings.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    /// };
    /// let client = gong_flows::Client::builder_from_lookup(lookup)?.build()?;
    /// assert_eq!(client.base_url(), "https://us-55616.api.gong.io");
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn builder_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder> {
        env::builder_from_lookup(lookup)
    }

    /// Like [`builder_from_env`](Self::builder_from_env), with the `GONG_*`
    /// variables given as name–value pairs (an array of tuples, a
    /// `HashMap`, a parsed `.env` file): a test can try every setting
    /// without touching the process's environment. A name given twice
    /// takes its last value.
    ///
    /// ```
    /// use gong_flows::{Client, Error};
    ///
    /// let client = Client::builder_from_vars([
    ///     ("GONG_BASE_URL", "https://us-55616.api.gong.io"),
    ///     ("GONG_ACCESS_KEY", "ACCESS_KEY"),
    ///     ("GONG_ACCESS_KEY_SECRET", "ACCESS_KEY_SECRET"),
    ///     ("GONG_RATE_LIMIT", "2.5"),
    /// ])?
    /// .build()?;
    /// assert_eq!(client.pacer().rate(), Some(2.5));
    ///
    /// // A missing variable is named.
    /// let err = Client::builder_from_vars([("GONG_BEARER_TOKEN", "TOKEN")]).unwrap_err();
    /// assert!(matches!(err, Error::Config { ref setting, .. } if setting == "GONG_BASE_URL"));
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn builder_from_vars<I, K, V>(vars: I) -> Result<ClientBuilder>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars: std::collections::HashMap<String, String> = vars
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        env::builder_from_lookup(|name| vars.get(name).cloned())
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// The chunk sizes: items per call of each bulk operation.
    pub fn chunk_sizes(&self) -> ChunkSizes {
        self.inner.chunk_sizes
    }

    /// The company this client calls for: its API host and the
    /// fingerprint of its credentials ([`Credentials::fingerprint`]), e.g.
    /// to record in a report file or to name a shared pacer's namespace.
    /// Never holds a secret.
    ///
    /// ```
    /// let client = gong_flows::Client::builder()
    ///     .base_url("https://us-55616.api.gong.io")
    ///     .basic_auth("ACCESS_KEY", "ACCESS_KEY_SECRET")
    ///     .build()?;
    /// let company = client.company();
    /// assert_eq!(company.host, "us-55616.api.gong.io");
    /// assert!(company.to_string().starts_with("us-55616.api.gong.io#"));
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn company(&self) -> crate::pacing::Company {
        crate::pacing::Company {
            host: crate::pacing::host_of(&self.inner.base).unwrap_or_default(),
            fingerprint: self.inner.credentials.fingerprint(),
        }
    }

    /// The pacer every clone shares: its current rate and pause, e.g. for
    /// a progress display.
    pub fn pacer(&self) -> &Arc<dyn Pacer> {
        &self.inner.pacer
    }

    /// The generated low-level client for one attempt, with credentials,
    /// and a provider's token it carries. `refused`: Gong refused this
    /// token of the provider's with 401, so a fresh one is wanted.
    pub(crate) async fn api(
        &self,
        refused: Option<&Secret>,
    ) -> Result<(Arc<gong_flows_api::Client>, Option<Secret>)> {
        if let Some(api) = &self.inner.static_api {
            return Ok((api.clone(), None));
        }
        let Credentials::Provider(provider) = &self.inner.credentials else {
            return Err(Error::Config {
                setting: "credentials".to_owned(),
                reason: "have no header".to_owned(),
            });
        };
        let token = match refused {
            Some(refused) => provider.refresh_refused(refused).await,
            None => provider.token().await,
        }
        // A provider of this crate's (`OAuth`) reports this crate's errors,
        // typed: a refused refresh token, or a failure worth retrying.
        .map_err(|e| match e.downcast::<Error>() {
            Ok(error) => *error,
            Err(e) => Error::Token {
                message: e.to_string(),
            },
        })?;
        let mut headers = self.inner.headers.clone();
        headers.insert(AUTHORIZATION, bearer_header(&token)?);
        let api = Arc::new(gong_flows_api::Client::new_with_client(
            &self.inner.base,
            self.inner.http.clone(),
            RequestSettings {
                headers,
                max_response_bytes: Some(self.inner.max_response_bytes),
            },
        ));
        Ok((api, Some(token)))
    }
}
