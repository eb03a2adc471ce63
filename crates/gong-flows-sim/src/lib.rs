//! A stateful local simulator of Gong's Engage Flows API.
//!
//! Gong has no sandbox. This crate is a faithful stand-in: a real HTTP
//! server on 127.0.0.1 that speaks the wire format of `openapi/flows.yaml`
//! (bodies are the generated [`gong_flows_api::types`]) and keeps state —
//! flows, folders, prospects, flow instances, bulk jobs — with Gong's rules
//! and quirks:
//!
//! - assigning a prospect already in the flow, or in an exclusive flow, is
//!   refused per prospect with `InvalidState`; an unknown CRM id with
//!   `InvalidArgument` (`Invalid crmId <id>`); an unknown flow is 404;
//! - unassigning by instance ids is all-or-nothing: one unknown id fails the
//!   call with 400 and changes nothing;
//! - the two GET lists page with opaque cursors; folders come in the shape
//!   real traffic has (`flowsFolders`, absent values as the string `"null"`),
//!   or in the one Gong's document declares (`flows`), see [`FoldersShape`];
//! - every body carries a `requestId`, echoed in `x-traceid` (or, as on one
//!   recorded answer, not: [`SimConfig::distinct_trace_ids`]); content types
//!   are Gong's recorded ones;
//! - request bodies are held to the spec: a JSON `null` in a declared field
//!   (none is nullable; unknown fields are ignored, whatever they hold), an
//!   array where an object belongs, and a repeated id in a list the spec
//!   declares unique are 400s, like every other validation error, so a
//!   client cannot come to rely on a leniency Gong does not document;
//! - HTTP Basic access keys and scoped bearer tokens (401, 403), and
//!   Gong's OAuth token endpoint ([`OAUTH_TOKEN_PATH`]): rotating refresh
//!   tokens, access tokens that expire on the simulator's clock, revocation
//!   ([`Simulator::issue_refresh_token`]);
//! - per-company rate limits (3 calls in any second, 10,000 a day, the day
//!   a UTC calendar day or a rolling one, see [`DayWindow`]) with an integer
//!   `Retry-After`, and a clock tests can move on
//!   ([`Simulator::advance_clock`]) to cross a day without waiting for it;
//! - seeded latency and fault injection ([`Fault`], [`FaultConfig`]),
//!   including writes that are applied and then answered with 500.
//!
//! Tests can inspect [`Counters`] and a [`StateDump`] (to assert, say, that
//! no prospect was ever assigned twice) and steer the simulator at run time,
//! including acting as someone else in Gong's app: putting a prospect in a
//! flow ([`Simulator::assign_directly`], months ago if need be), removing an
//! instance ([`Simulator::unassign_directly`]) and moving an instance to
//! any status, finished or one Gong does not document
//! ([`Simulator::set_instance_status`]).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use gong_flows_api::types::AssignFlowRequestV2;
//! use gong_flows_sim::{dataset, SimConfig, Simulator};
//!
//! let sim = Simulator::start(SimConfig::default().no_rate_limits())?;
//! let client = sim.client(); // a gong_flows_api::Client with Basic auth
//! let answer = client
//!     .assign_prospects()
//!     .body(AssignFlowRequestV2 {
//!         crm_prospects_ids: vec!["a5V1Q00A120DP4CVAW".into(), "unknown-1".into()],
//!         flow_id: dataset::SDR_FLOW_ID.into(),
//!         flow_instance_owner_email: dataset::DEFAULT_USER_EMAIL.into(),
//!         overrides: None,
//!         flow_instance_description: None,
//!     })
//!     .send()
//!     .await?
//!     .into_inner();
//! assert_eq!(answer.prospects_assigned.len(), 1);
//! assert_eq!(answer.prospects_not_assigned.len(), 1);
//! assert_eq!(sim.times_assigned(dataset::SDR_FLOW_ID, "a5V1Q00A120DP4CVAW"), 1);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The binary (`cargo run -p gong-flows-sim -- --help`) runs the same
//! server standalone.

#![deny(missing_docs)]

mod clock;
mod config;
mod counters;
pub mod dataset;
mod endpoint;
mod faults;
mod handlers;
mod limiter;
mod oauth;
mod server;
mod state;
mod util;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

pub use config::{
    AccessKey, BearerToken, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_BULK_STAGE,
    DEFAULT_DAY_LENGTH, DEFAULT_FULL_TOKEN, DEFAULT_READ_ONLY_TOKEN, DayWindow, FoldersShape,
    GONG_DAILY_LIMIT, GONG_PAGE_SIZE, GONG_RATE_PER_SECOND, KnownProspects, Latency, MAX_LATENCY,
    SimConfig, SimCredentials, SimError, UnknownDayWindow, UnknownFoldersShape,
};
pub use counters::{Counters, EndpointCounters};
pub use dataset::{Dataset, FlowSpec, FolderSpec, StepSpec};
pub use endpoint::{Endpoint, SCOPE_READ, SCOPE_WRITE, UnknownEndpoint};
pub use faults::{
    DEFAULT_BURST_LENGTH, DEFAULT_TIMEOUT_DELAY, Fault, FaultConfig, FaultKind, FaultRule,
    MAX_TIMEOUT_DELAY, SpecError,
};
pub use gong_flows_api::types;
pub use oauth::{
    DEFAULT_ACCESS_TOKEN_LIFETIME, DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET,
    OAUTH_TOKEN_PATH,
};
pub use state::{InstanceRecord, StateDump};

use crate::clock::SimClock;
use crate::counters::CounterState;
use crate::faults::FaultState;
use crate::limiter::RateLimiter;
use crate::server::{LatencyState, Shared};
use crate::state::World;
use crate::util::{RequestIds, lock, splitmix64};

/// A running simulator. Dropping the handle stops the server (in-flight
/// requests get a short grace period); [`shutdown`](Self::shutdown) also
/// waits until it has stopped.
///
/// The server runs on the tokio runtime current when
/// [`start`](Self::start) is called, or on a runtime of its own (in a
/// background thread) when there is none, so synchronous tests can use it
/// too.
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    stopped: watch::Receiver<bool>,
    seed: u64,
}

impl Simulator {
    /// Validates `config`, binds `127.0.0.1:<port>` and starts serving.
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidConfig`] for a bad setting, [`SimError::Bind`] if
    /// the port is taken, [`SimError::Runtime`] if no runtime was running
    /// and none could be started.
    pub fn start(config: SimConfig) -> Result<Simulator, SimError> {
        config.validate()?;
        let world = World::new(
            &config.dataset,
            config.generated_flows,
            config.known_prospects.clone(),
            config.seed,
        )?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
        let std_listener =
            std::net::TcpListener::bind(addr).map_err(|source| SimError::Bind { addr, source })?;
        std_listener
            .set_nonblocking(true)
            .map_err(|source| SimError::Bind { addr, source })?;
        let local = std_listener
            .local_addr()
            .map_err(|source| SimError::Bind { addr, source })?;

        let (stop, stop_rx) = watch::channel(false);
        let (stopped_tx, stopped) = watch::channel(false);
        let shared = Arc::new(Shared {
            page_size: config.page_size,
            folders_shape: config.folders_shape,
            assign_limit: config.assign_limit,
            bulk_stage: config.bulk_stage,
            max_body_bytes: config.max_body_bytes,
            credentials: config.credentials.clone(),
            world: Mutex::new(world),
            limiter: Mutex::new({
                let mut limiter =
                    RateLimiter::new(config.rate_limit, config.rate_window, config.daily_limit);
                limiter.set_strict(config.strict_limiter);
                limiter.set_day_window(config.day_window);
                limiter.set_day_length(config.day_length);
                limiter
            }),
            clock: SimClock::new(),
            rate_limit_headers: AtomicBool::new(config.rate_limit_headers),
            scripted_429s: Mutex::new(std::collections::VecDeque::new()),
            faults: Mutex::new(FaultState::new(config.faults.clone(), config.seed)),
            latency: Mutex::new(LatencyState::new(config.latency, config.seed)),
            counters: Mutex::new(CounterState::default()),
            request_ids: RequestIds::new(config.seed),
            distinct_trace_ids: AtomicBool::new(config.distinct_trace_ids),
            // Seeded apart from the request ids, so the two sequences differ.
            trace_ids: RequestIds::new(splitmix64(config.seed ^ 0x7472_6163_6569_6473)),
            shutdown: stop_rx,
            oauth: Mutex::new(oauth::OAuthState::new(
                format!("http://{local}"),
                config.seed,
            )),
        });

        let serve_shared = Arc::clone(&shared);
        let foreign_rate = config.foreign_rate;
        let run = async move {
            let serve = async {
                match tokio::net::TcpListener::from_std(std_listener) {
                    Ok(listener) => server::serve(listener, Arc::clone(&serve_shared)).await,
                    Err(error) => tracing::error!(%error, "cannot register the listener"),
                }
            };
            match foreign_rate {
                Some(rate) => {
                    let foreign = server::foreign_traffic(&serve_shared, rate);
                    tokio::join!(serve, foreign);
                }
                None => serve.await,
            }
            let _ = stopped_tx.send(true);
        };
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(run);
            }
            Err(_) => {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("gong-flows-sim")
                    .enable_all()
                    .build()
                    .map_err(SimError::Runtime)?;
                std::thread::Builder::new()
                    .name("gong-flows-sim".to_owned())
                    .spawn(move || runtime.block_on(run))
                    .map_err(SimError::Runtime)?;
            }
        }
        tracing::info!(%local, "simulator listening");
        Ok(Simulator {
            shared,
            addr: local,
            stop,
            stopped,
            seed: config.seed,
        })
    }

    /// Stops accepting connections, lets in-flight requests finish (up to
    /// two seconds; held-back `Timeout` answers are cut off at once) and
    /// waits until the server has stopped.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let mut stopped = self.stopped.clone();
        let _ = stopped.wait_for(|done| *done).await;
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The shell lines that point a client at this simulator: `export
    /// GONG_BASE_URL=…` and the first access key and secret, the variables
    /// `gong_flows::Client::from_env` and the `gong-flows` tool read.
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// let lines = sim.export_lines();
    /// assert_eq!(lines[0], format!("export GONG_BASE_URL={}", sim.base_url()));
    /// assert!(lines[1].starts_with("export GONG_ACCESS_KEY="));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn export_lines(&self) -> Vec<String> {
        let mut lines = vec![format!("export GONG_BASE_URL={}", self.base_url())];
        if let Some(key) = self.credentials().access_keys.first() {
            lines.push(format!("export GONG_ACCESS_KEY={}", key.key));
            lines.push(format!("export GONG_ACCESS_KEY_SECRET={}", key.secret));
        }
        lines
    }

    /// A line per accepted credential, with the `Authorization` header it
    /// makes: `access key K / secret S  ->  Authorization: Basic …`, then
    /// `bearer token T (scopes)  ->  Authorization: Bearer …`.
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// let lines = sim.credential_lines();
    /// assert!(lines[0].starts_with("access key ") && lines[0].contains("Authorization: Basic "));
    /// assert!(lines.iter().any(|l| l.starts_with("bearer token ")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn credential_lines(&self) -> Vec<String> {
        let credentials = self.credentials();
        let keys = credentials.access_keys.iter().map(|key| {
            let (k, secret, header) = (&key.key, &key.secret, key.authorization());
            format!("access key {k} / secret {secret}  ->  Authorization: {header}")
        });
        let tokens = credentials.tokens.iter().map(|token| {
            let (t, scopes) = (&token.token, token.scopes.join(" "));
            format!(
                "bearer token {t} ({scopes})  ->  Authorization: {}",
                token.authorization()
            )
        });
        keys.chain(tokens).collect()
    }

    /// The accepted credentials.
    pub fn credentials(&self) -> &SimCredentials {
        &self.shared.credentials
    }

    /// `Authorization` value for the first access key (`Basic …`), if any.
    pub fn basic_authorization(&self) -> Option<String> {
        self.credentials()
            .access_keys
            .first()
            .map(AccessKey::authorization)
    }

    /// `Authorization` value for the first token with both scopes
    /// (`Bearer …`), if any.
    pub fn read_write_authorization(&self) -> Option<String> {
        self.token_with(|scopes| {
            scopes.iter().any(|s| s == SCOPE_READ) && scopes.iter().any(|s| s == SCOPE_WRITE)
        })
    }

    /// `Authorization` value for the first token with `api:flows:read` but
    /// not `api:flows:write`, if any.
    pub fn read_only_authorization(&self) -> Option<String> {
        self.token_with(|scopes| {
            scopes.iter().any(|s| s == SCOPE_READ) && !scopes.iter().any(|s| s == SCOPE_WRITE)
        })
    }

    fn token_with(&self, accept: impl Fn(&[String]) -> bool) -> Option<String> {
        self.credentials()
            .tokens
            .iter()
            .find(|t| accept(&t.scopes))
            .map(BearerToken::authorization)
    }

    /// Headers carrying working credentials (the first access key, or else
    /// the read-write token), for [`gong_flows_api::RequestSettings`].
    pub fn auth_headers(&self) -> http::HeaderMap {
        let value = self
            .basic_authorization()
            .or_else(|| self.read_write_authorization())
            .or_else(|| self.read_only_authorization());
        Self::headers_for(value.as_deref().unwrap_or(""))
    }

    fn headers_for(authorization: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        if let Ok(value) = http::HeaderValue::from_str(authorization) {
            headers.insert(http::header::AUTHORIZATION, value);
        }
        headers
    }

    /// A generated client for this simulator, authenticated with
    /// [`auth_headers`](Self::auth_headers).
    pub fn client(&self) -> gong_flows_api::Client {
        self.client_with_authorization(
            self.auth_headers()
                .get(http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or(""),
        )
    }

    /// A generated client sending this `Authorization` header value.
    pub fn client_with_authorization(&self, authorization: &str) -> gong_flows_api::Client {
        gong_flows_api::Client::new(
            &self.base_url(),
            gong_flows_api::RequestSettings {
                headers: Self::headers_for(authorization),
                ..Default::default()
            },
        )
    }

    /// A snapshot of the counters.
    pub fn counters(&self) -> Counters {
        lock(&self.shared.counters).snapshot()
    }

    /// Zeroes the counters.
    pub fn reset_counters(&self) {
        *lock(&self.shared.counters) = CounterState::default();
    }

    /// A dump of every flow instance and every assignment count.
    pub fn state(&self) -> StateDump {
        lock(&self.shared.world).dump()
    }

    /// How many times the prospect was ever assigned to the flow (removed
    /// instances included). O(1).
    pub fn times_assigned(&self, flow_id: &str, crm_id: &str) -> u32 {
        lock(&self.shared.world).times_assigned(flow_id, crm_id)
    }

    /// The largest number of times any (flow, prospect) pair was assigned:
    /// 1 means no prospect was ever assigned to the same flow twice.
    pub fn max_times_assigned(&self) -> u32 {
        lock(&self.shared.world).max_times_assigned()
    }

    /// Number of existing flow instances (open or finished).
    pub fn instance_count(&self) -> usize {
        lock(&self.shared.world).instance_count()
    }

    /// The prospect's existing flow instances (open or finished).
    pub fn instances_of(&self, crm_id: &str) -> Vec<InstanceRecord> {
        lock(&self.shared.world).instances_of(crm_id)
    }

    /// One flow instance, if it exists.
    pub fn instance(&self, instance_id: &str) -> Option<InstanceRecord> {
        lock(&self.shared.world).instance(instance_id)
    }

    /// Sets a flow instance's status, as the flow's progress would.
    ///
    /// A finished one (`FinishedNoReply`, `FinishedResponse`, `Finished`)
    /// is answered only when looked up by instance id, no longer by CRM id
    /// (as Gong answers only open instances by CRM id); neither unassign
    /// removes it (by instance id it is left out of
    /// `unassignedFlowInstanceIds`); and it no longer blocks assigning the
    /// prospect to the flow again: that creates a new instance, as the
    /// prospect has left the flow (the assignment counts in
    /// [`times_assigned`](Self::times_assigned)).
    ///
    /// Any other status, one Gong does not document such as
    /// `FlowInstanceStatus::Unknown("Scheduled".into())`, is sent as it is
    /// in every answer about the instance, so a client's handling of new
    /// statuses can be tested; it counts as open: looked up by CRM id,
    /// removable, and blocking a second assignment to the flow.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use gong_flows_sim::types::FlowInstanceStatus;
    /// use gong_flows_sim::{SimConfig, Simulator, dataset};
    ///
    /// let sim = Simulator::start(SimConfig::default()).unwrap();
    /// let instance = sim.assign_directly(dataset::SDR_FLOW_ID, "lead-1").unwrap();
    /// sim.set_instance_status(&instance.instance_id, FlowInstanceStatus::from("Scheduled"))
    ///     .unwrap();
    /// let now = sim.instance(&instance.instance_id).unwrap();
    /// assert_eq!(now.status.as_str(), "Scheduled");
    /// # sim.shutdown().await; }
    /// ```
    ///
    /// # Errors
    ///
    /// [`SimError::UnknownInstance`], or [`SimError::InvalidConfig`] for an
    /// empty status or one with surrounding whitespace.
    pub fn set_instance_status(
        &self,
        instance_id: &str,
        status: types::FlowInstanceStatus,
    ) -> Result<(), SimError> {
        lock(&self.shared.world).set_instance_status(instance_id, &status)
    }

    /// Puts a prospect in a flow as a rep would in Gong's app, with no call
    /// (nothing is counted or rate limited): the instance of "someone
    /// else", owned by [`dataset::TEAMMATE_EMAIL`] and created now. The
    /// rules of an assign call apply, and the assignment counts in
    /// [`times_assigned`](Self::times_assigned).
    ///
    /// # Errors
    ///
    /// [`SimError::UnknownFlow`], or [`SimError::AssignmentRefused`] with
    /// the message an assign call would give (the prospect is already in
    /// the flow or in an exclusive one, or the CRM does not know it).
    pub fn assign_directly(&self, flow_id: &str, crm_id: &str) -> Result<InstanceRecord, SimError> {
        self.assign_directly_at(flow_id, crm_id, self.now())
    }

    /// [`assign_directly`](Self::assign_directly), with the instance created
    /// at `created` (months ago, say; to the millisecond).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    /// use gong_flows_sim::{SimConfig, Simulator, dataset};
    ///
    /// let sim = Simulator::start(SimConfig::default()).unwrap();
    /// let months_ago = sim.now() - Duration::from_secs(90 * 86_400);
    /// let instance = sim
    ///     .assign_directly_at(dataset::SDR_FLOW_ID, "lead-1", months_ago)
    ///     .unwrap();
    /// assert_eq!(instance.owner_email, dataset::TEAMMATE_EMAIL);
    /// assert!(instance.created <= months_ago);
    /// # sim.shutdown().await; }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`assign_directly`](Self::assign_directly), and
    /// [`SimError::InvalidConfig`] for a time before 1970.
    pub fn assign_directly_at(
        &self,
        flow_id: &str,
        crm_id: &str,
        created: std::time::SystemTime,
    ) -> Result<InstanceRecord, SimError> {
        let created_ms = created
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| u64::try_from(d.as_millis()).ok())
            .ok_or_else(|| SimError::InvalidConfig("a creation time before 1970".into()))?;
        lock(&self.shared.world).assign_directly(
            flow_id,
            crm_id,
            dataset::TEAMMATE_EMAIL,
            created_ms,
        )
    }

    /// Removes a flow instance as a rep would in Gong's app, with no call:
    /// whatever its status, it is gone, and an unassign call naming it is
    /// then refused as naming an instance that does not exist.
    ///
    /// # Errors
    ///
    /// [`SimError::UnknownInstance`].
    pub fn unassign_directly(&self, instance_id: &str) -> Result<InstanceRecord, SimError> {
        lock(&self.shared.world).unassign_directly(instance_id)
    }

    /// Adds a flow.
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidConfig`] for a duplicate id, a non-decimal id or
    /// an unknown folder.
    pub fn add_flow(&self, flow: FlowSpec) -> Result<(), SimError> {
        lock(&self.shared.world).add_flow(flow)
    }

    /// Adds a folder.
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidConfig`] for a duplicate id, a non-decimal id or
    /// an unknown parent.
    pub fn add_folder(&self, folder: FolderSpec) -> Result<(), SimError> {
        lock(&self.shared.world).add_folder(folder)
    }

    /// Makes CRM ids known, whatever [`KnownProspects`] says (even ones
    /// starting with `unknown`).
    pub fn add_prospects<I, S>(&self, crm_ids: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        lock(&self.shared.world).add_prospects(crm_ids.into_iter().map(Into::into));
    }

    /// Scripts a fault: the next `count` admitted calls of `endpoint` (of
    /// any endpoint for `None`) get `fault`, before any probabilistic
    /// rule. Scripts are used in the order they were added. A `Timeout`
    /// delay is capped at [`MAX_TIMEOUT_DELAY`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use gong_flows_sim::{Fault, Endpoint, SimConfig, Simulator};
    ///
    /// let sim = Simulator::start(SimConfig::default()).unwrap();
    /// sim.script_faults(Some(Endpoint::AssignProspects), Fault::AppliedThenFailed, 2);
    /// # sim.shutdown().await; }
    /// ```
    pub fn script_faults(&self, endpoint: Option<Endpoint>, fault: Fault, count: u32) {
        lock(&self.shared.faults).script(endpoint, fault, count);
    }

    /// Answers the next admitted call (of any endpoint) with a 429 and
    /// `Retry-After: retry_after` seconds, counted as a
    /// [`FaultKind::RateLimitBurst`] fault (not by the limiter), as if the
    /// company's other traffic had just taken the quota.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use gong_flows_sim::{SimConfig, Simulator};
    ///
    /// let sim = Simulator::start(SimConfig::default()).unwrap();
    /// sim.script_429(2);
    /// # sim.shutdown().await; }
    /// ```
    pub fn script_429(&self, retry_after: u32) {
        lock(&self.shared.scripted_429s).push_back(retry_after.max(1));
    }

    /// Drops every scripted fault and any running 429 burst.
    pub fn clear_fault_scripts(&self) {
        lock(&self.shared.faults).clear_scripts();
        lock(&self.shared.scripted_429s).clear();
    }

    /// Replaces the probabilistic fault rules (scripts are kept).
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidConfig`] if the rules are invalid.
    pub fn set_faults(&self, faults: FaultConfig) -> Result<(), SimError> {
        faults
            .validate()
            .map_err(|e| SimError::InvalidConfig(format!("faults: {e}")))?;
        lock(&self.shared.faults).set_config(faults, self.seed);
        Ok(())
    }

    /// Changes the calls allowed per rate window (`None` for no limit).
    /// Calls already admitted in the window still count.
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidConfig`] for `Some(0)`.
    pub fn set_rate_limit(&self, per_window: Option<u32>) -> Result<(), SimError> {
        if per_window == Some(0) {
            return Err(SimError::InvalidConfig(
                "rate_limit must be at least 1 (use None for no limit)".into(),
            ));
        }
        lock(&self.shared.limiter).set_per_window(per_window);
        Ok(())
    }

    /// Changes the calls allowed per day (`None` for no limit). Calls
    /// already counted today still count.
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidConfig`] for `Some(0)`.
    pub fn set_daily_limit(&self, per_day: Option<u32>) -> Result<(), SimError> {
        if per_day == Some(0) {
            return Err(SimError::InvalidConfig(
                "daily_limit must be at least 1 (use None for no limit)".into(),
            ));
        }
        lock(&self.shared.limiter).set_daily(per_day);
        Ok(())
    }

    /// Turns the rate-limit headers on or off (see
    /// [`SimConfig::rate_limit_headers`]).
    pub fn set_rate_limit_headers(&self, on: bool) {
        self.shared.rate_limit_headers.store(on, Ordering::Relaxed);
    }

    /// Makes every answer's `x-traceid` differ from its body's `requestId`,
    /// or equal it again (see [`SimConfig::distinct_trace_ids`]).
    pub fn set_distinct_trace_ids(&self, distinct: bool) {
        self.shared
            .distinct_trace_ids
            .store(distinct, Ordering::Relaxed);
    }

    /// Changes how the day of the daily limit is counted. The calls of the
    /// last day are kept, so the new window counts them at once.
    pub fn set_day_window(&self, window: DayWindow) {
        lock(&self.shared.limiter).set_day_window(window);
    }

    /// The simulator's clock: the wall clock when it started, moved on by
    /// tokio's clock (so a paused test clock stops it too) and by
    /// [`advance_clock`](Self::advance_clock).
    pub fn now(&self) -> std::time::SystemTime {
        self.shared.clock.system_time()
    }

    /// Moves the simulator's clock on by `by`, as if that much time had
    /// passed at once: rate windows, the day of the daily limit, bulk job
    /// stages and the creation dates of new instances all see the later
    /// time, so a test can cross a day boundary without waiting for it.
    /// Nothing runs in the skipped time (a bulk job due meanwhile completes
    /// at its next poll).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    /// use gong_flows_sim::{SimConfig, Simulator};
    ///
    /// let sim = Simulator::start(SimConfig::default()).unwrap();
    /// let before = sim.now();
    /// sim.advance_clock(Duration::from_secs(86_400));
    /// assert!(sim.now().duration_since(before).unwrap() >= Duration::from_secs(86_400));
    /// # sim.shutdown().await; }
    /// ```
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// The URL of the OAuth token endpoint, for
    /// `gong_flows::OAuthBuilder::token_endpoint`.
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// assert_eq!(sim.oauth_token_url(), format!("{}/oauth2/generate-customer-token", sim.base_url()));
    /// # Ok::<(), gong_flows_sim::SimError>(())
    /// ```
    pub fn oauth_token_url(&self) -> String {
        format!("{}{}", self.base_url(), OAUTH_TOKEN_PATH)
    }

    /// Registers an OAuth app (besides [`DEFAULT_OAUTH_CLIENT_ID`]); a
    /// known id gets the new secret.
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// sim.add_oauth_client("my-app", "my-app-secret");
    /// let refresh = sim.issue_refresh_token("my-app", [gong_flows_sim::SCOPE_READ]);
    /// assert!(refresh.starts_with("sim-refresh-"));
    /// # Ok::<(), gong_flows_sim::SimError>(())
    /// ```
    pub fn add_oauth_client(&self, client_id: impl Into<String>, client_secret: impl Into<String>) {
        lock(&self.shared.oauth).add_client(client_id.into(), client_secret.into());
    }

    /// A refresh token for `client_id` with these scopes, as if a customer
    /// had just authorised the app. Each use of it rotates it: the token
    /// endpoint answers a new one and refuses this one (`invalid_grant`).
    ///
    /// ```
    /// use gong_flows_sim::{DEFAULT_OAUTH_CLIENT_ID, SCOPE_READ, SCOPE_WRITE, SimConfig, Simulator};
    ///
    /// let sim = Simulator::start(SimConfig::default())?;
    /// let refresh = sim.issue_refresh_token(DEFAULT_OAUTH_CLIENT_ID, [SCOPE_READ, SCOPE_WRITE]);
    /// assert!(sim.revoke_refresh_token(&refresh));
    /// # Ok::<(), gong_flows_sim::SimError>(())
    /// ```
    pub fn issue_refresh_token<I, S>(&self, client_id: &str, scopes: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let scopes = scopes.into_iter().map(Into::into).collect();
        lock(&self.shared.oauth).issue_refresh_token(client_id, scopes)
    }

    /// Revokes a refresh token (the customer removed the app): the token
    /// endpoint refuses it with `invalid_grant`. `false` if it was not live.
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// assert!(!sim.revoke_refresh_token("never-issued"));
    /// # Ok::<(), gong_flows_sim::SimError>(())
    /// ```
    pub fn revoke_refresh_token(&self, refresh_token: &str) -> bool {
        lock(&self.shared.oauth).revoke_refresh_token(refresh_token)
    }

    /// How long access tokens issued from now on live (default
    /// [`DEFAULT_ACCESS_TOKEN_LIFETIME`]), on the simulator's clock.
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// sim.set_access_token_lifetime(std::time::Duration::from_secs(600));
    /// # Ok::<(), gong_flows_sim::SimError>(())
    /// ```
    pub fn set_access_token_lifetime(&self, lifetime: Duration) {
        lock(&self.shared.oauth).set_lifetime(lifetime);
    }

    /// Expires every access token issued so far, ahead of its time: the
    /// API answers 401 to them.
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// sim.expire_access_tokens();
    /// # Ok::<(), gong_flows_sim::SimError>(())
    /// ```
    pub fn expire_access_tokens(&self) {
        let now = self.shared.clock.now().instant;
        lock(&self.shared.oauth).expire_access_tokens(now);
    }

    /// The `api_base_url_for_customer` of token answers (default `None`:
    /// the simulator's own [`base_url`](Self::base_url)).
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// sim.set_customer_base_url(Some("http://127.0.0.1:9".into()));
    /// # Ok::<(), gong_flows_sim::SimError>(())
    /// ```
    pub fn set_customer_base_url(&self, url: Option<String>) {
        lock(&self.shared.oauth).set_customer_base_url(url);
    }

    /// Answers the next `calls` token endpoint calls with 503
    /// (`temporarily_unavailable`), rotating nothing.
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// sim.fail_token_calls(2);
    /// # Ok::<(), gong_flows_sim::SimError>(())
    /// ```
    pub fn fail_token_calls(&self, calls: u32) {
        lock(&self.shared.oauth).fail_next(calls);
    }

    /// Calls of the token endpoint so far, refused ones included (they are
    /// not among the API's [`Counters`]).
    ///
    /// ```
    /// let sim = gong_flows_sim::Simulator::start(gong_flows_sim::SimConfig::default())?;
    /// assert_eq!(sim.token_calls(), 0);
    /// # Ok::<(), gong_flows_sim::SimError>(())
    /// ```
    pub fn token_calls(&self) -> u64 {
        lock(&self.shared.oauth).calls()
    }

    /// Calls made so far by the other integration of
    /// [`SimConfig::foreign_rate`].
    pub fn foreign_calls(&self) -> u64 {
        lock(&self.shared.limiter).foreign_calls()
    }

    /// Forgets every call the rate limits have counted.
    pub fn reset_rate_limits(&self) {
        lock(&self.shared.limiter).reset();
    }

    /// Changes the latency.
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidConfig`] for an empty range or more than
    /// [`MAX_LATENCY`].
    pub fn set_latency(&self, latency: Latency) -> Result<(), SimError> {
        latency.validate().map_err(SimError::InvalidConfig)?;
        lock(&self.shared.latency).latency = latency;
        Ok(())
    }

    /// The time a bulk job spends in each of PENDING and IN_PROGRESS.
    pub fn bulk_stage(&self) -> Duration {
        self.shared.bulk_stage
    }

    /// The page size of the two GET lists.
    pub fn page_size(&self) -> usize {
        self.shared.page_size
    }
}

impl std::fmt::Debug for Simulator {
    /// Only the address: the state may hold millions of instances.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
