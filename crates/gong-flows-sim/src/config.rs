//! Simulator configuration: limits, latency, credentials, known prospects.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::dataset::Dataset;
use crate::endpoint::{SCOPE_READ, SCOPE_WRITE};
use crate::faults::{FaultConfig, SpecError};
use crate::util::{format_duration, parse_duration};

/// Gong's default per-company limit: 3 calls in any second.
pub const GONG_RATE_PER_SECOND: u32 = 3;
/// Gong's default per-company limit: 10,000 calls a day.
pub const GONG_DAILY_LIMIT: u32 = 10_000;
/// The length of Gong's day, for the daily limit.
pub const DEFAULT_DAY_LENGTH: Duration = Duration::from_secs(86_400);
/// Gong's page size for the two GET lists ("about 100 records").
pub const GONG_PAGE_SIZE: usize = 100;
/// Default time a bulk assignment job spends in each of PENDING and
/// IN_PROGRESS.
pub const DEFAULT_BULK_STAGE: Duration = Duration::from_millis(100);
/// The longest latency the simulator accepts, so a typo cannot hang tests.
pub const MAX_LATENCY: Duration = Duration::from_secs(60);

/// The default access key (HTTP Basic user name).
pub const DEFAULT_ACCESS_KEY: &str = "sim-access-key";
/// The default access key secret (HTTP Basic password).
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "sim-access-key-secret";
/// The default bearer token with both `api:flows:read` and `api:flows:write`.
pub const DEFAULT_FULL_TOKEN: &str = "sim-token-read-write";
/// The default bearer token with `api:flows:read` only.
pub const DEFAULT_READ_ONLY_TOKEN: &str = "sim-token-read-only";

/// How long the simulator waits before handling each admitted call.
///
/// Parses from `none`/`0`, a duration such as `100ms`, or a range such as
/// `50ms..150ms` (uniform, drawn from the simulator's seeded generator):
///
/// ```
/// use std::time::Duration;
/// use gong_flows_sim::Latency;
///
/// assert_eq!("none".parse::<Latency>().unwrap(), Latency::None);
/// assert_eq!("100ms".parse::<Latency>().unwrap(), Latency::Fixed(Duration::from_millis(100)));
/// assert_eq!(
///     "50ms..150ms".parse::<Latency>().unwrap(),
///     Latency::Uniform { min: Duration::from_millis(50), max: Duration::from_millis(150) },
/// );
/// assert!("150ms..50ms".parse::<Latency>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Latency {
    /// Answer at once.
    #[default]
    None,
    /// Always this long.
    Fixed(Duration),
    /// Uniformly between `min` and `max`, inclusive.
    Uniform {
        /// Shortest latency.
        min: Duration,
        /// Longest latency.
        max: Duration,
    },
}

impl Latency {
    pub(crate) fn validate(&self) -> Result<(), String> {
        let max = match *self {
            Latency::None => Duration::ZERO,
            Latency::Fixed(d) => d,
            Latency::Uniform { min, max } => {
                if min > max {
                    return Err(format!(
                        "latency range {}..{} is empty",
                        format_duration(min),
                        format_duration(max)
                    ));
                }
                max
            }
        };
        if max > MAX_LATENCY {
            return Err(format!(
                "latency {} exceeds the maximum of {}",
                format_duration(max),
                format_duration(MAX_LATENCY)
            ));
        }
        Ok(())
    }
}

impl FromStr for Latency {
    type Err = SpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let latency = if text.is_empty() || text.eq_ignore_ascii_case("none") {
            Latency::None
        } else if let Some((min, max)) = text.split_once("..") {
            Latency::Uniform {
                min: parse_duration(min).map_err(|e| SpecError::new(text, e))?,
                max: parse_duration(max).map_err(|e| SpecError::new(text, e))?,
            }
        } else {
            match parse_duration(text).map_err(|e| SpecError::new(text, e))? {
                Duration::ZERO => Latency::None,
                d => Latency::Fixed(d),
            }
        };
        latency.validate().map_err(|e| SpecError::new(text, e))?;
        Ok(latency)
    }
}

impl fmt::Display for Latency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Latency::None => f.write_str("none"),
            Latency::Fixed(d) => f.write_str(&format_duration(d)),
            Latency::Uniform { min, max } => {
                write!(f, "{}..{}", format_duration(min), format_duration(max))
            }
        }
    }
}

/// Which shape the folders answer (`listFlowsFolders`) has.
///
/// Gong's document declares it as a list of flows under `flows`; the real
/// service sends `flowsFolders` items with `parentFolderId` and
/// `createdById`, absent values as the string `"null"`. A client written
/// from the document sees no folders in the observed shape, so tests of
/// such a client can ask for the documented one.
///
/// ```
/// use gong_flows_sim::FoldersShape;
///
/// assert_eq!(FoldersShape::default(), FoldersShape::Observed);
/// assert_eq!("documented".parse::<FoldersShape>(), Ok(FoldersShape::Documented));
/// assert_eq!(FoldersShape::Documented.to_string(), "documented");
/// assert!("both".parse::<FoldersShape>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FoldersShape {
    /// What real traffic has: `flowsFolders` items
    /// (`{id, name, parentFolderId, createdById, visibility}`), absent values
    /// as the string `"null"`.
    #[default]
    Observed,
    /// What Gong's document declares: `flows` items in the shape of a flow
    /// (`{id, name, folderId, visibility}`, the parent folder as `folderId`,
    /// absent values left out).
    Documented,
}

impl FoldersShape {
    /// The name the command line and [`FromStr`] use.
    pub fn as_str(self) -> &'static str {
        match self {
            FoldersShape::Observed => "observed",
            FoldersShape::Documented => "documented",
        }
    }
}

impl fmt::Display for FoldersShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A folders shape other than `observed` or `documented`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown folders shape `{0}` (expected `observed` or `documented`)")]
pub struct UnknownFoldersShape(pub String);

impl FromStr for FoldersShape {
    type Err = UnknownFoldersShape;

    /// Parses `observed` or `documented`, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [FoldersShape::Observed, FoldersShape::Documented]
            .into_iter()
            .find(|shape| shape.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownFoldersShape(s.to_owned()))
    }
}

/// How the daily limit counts a "day". Gong says "10,000 calls per day"
/// without saying which; a client that paces for one must survive the
/// other.
///
/// Either way only admitted calls count: a call refused with 429 (by either
/// limit, or by a 429 fault) does not use up the day.
///
/// ```
/// use gong_flows_sim::DayWindow;
///
/// assert_eq!(DayWindow::default(), DayWindow::UtcDay);
/// assert_eq!("rolling".parse::<DayWindow>(), Ok(DayWindow::Rolling));
/// assert_eq!(DayWindow::UtcDay.to_string(), "utc");
/// assert!("weekly".parse::<DayWindow>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DayWindow {
    /// Calendar days: the count starts afresh at each multiple of
    /// [`SimConfig::day_length`] since the Unix epoch (midnight UTC for the
    /// default 24 hours), so a burst just before and one just after midnight
    /// may together hold twice the limit.
    #[default]
    UtcDay,
    /// A rolling day: a call is refused when the limit's worth of calls was
    /// admitted in the last [`SimConfig::day_length`].
    Rolling,
}

impl DayWindow {
    /// The name the command line and [`FromStr`] use.
    pub fn as_str(self) -> &'static str {
        match self {
            DayWindow::UtcDay => "utc",
            DayWindow::Rolling => "rolling",
        }
    }
}

impl fmt::Display for DayWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A day window other than `utc` or `rolling`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown day window `{0}` (expected `utc` or `rolling`)")]
pub struct UnknownDayWindow(pub String);

impl FromStr for DayWindow {
    type Err = UnknownDayWindow;

    /// Parses `utc` or `rolling`, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [DayWindow::UtcDay, DayWindow::Rolling]
            .into_iter()
            .find(|window| window.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownDayWindow(s.to_owned()))
    }
}

/// Which CRM prospect ids the simulated CRM knows. Unknown ones are refused
/// per prospect with `InvalidArgument` (`Invalid crmId <id>`), as Gong does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum KnownProspects {
    /// Every well-formed id (1 to 64 characters from ASCII letters, digits,
    /// `-`, `_` and `.`) except those starting with `unknown`, so tests can
    /// provoke `InvalidArgument` at will.
    #[default]
    AllWellFormed,
    /// Only these ids.
    Only(HashSet<String>),
}

impl KnownProspects {
    /// An explicit set of known ids.
    pub fn only<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        KnownProspects::Only(ids.into_iter().map(Into::into).collect())
    }
}

/// Whether a CRM id is well-formed for [`KnownProspects::AllWellFormed`].
pub(crate) fn is_well_formed_crm_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// An access key pair for HTTP Basic auth, which carries every scope (a
/// technical admin creates it in Gong).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessKey {
    /// The access key (Basic user name).
    pub key: String,
    /// The access key secret (Basic password).
    pub secret: String,
}

impl AccessKey {
    /// The `Authorization` header value: `Basic base64(key:secret)`.
    pub fn authorization(&self) -> String {
        format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{}", self.key, self.secret))
        )
    }
}

/// An OAuth bearer token and its scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BearerToken {
    /// The token.
    pub token: String,
    /// Its scopes, e.g. [`SCOPE_READ`](crate::SCOPE_READ).
    pub scopes: Vec<String>,
}

impl BearerToken {
    /// A token with the given scopes.
    pub fn new<I, S>(token: impl Into<String>, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            token: token.into(),
            scopes: scopes.into_iter().map(Into::into).collect(),
        }
    }

    /// The `Authorization` header value: `Bearer <token>`.
    pub fn authorization(&self) -> String {
        format!("Bearer {}", self.token)
    }
}

/// The credentials the simulator accepts.
///
/// The default has one access key pair ([`DEFAULT_ACCESS_KEY`] /
/// [`DEFAULT_ACCESS_KEY_SECRET`]), a read-write token
/// ([`DEFAULT_FULL_TOKEN`]) and a read-only token
/// ([`DEFAULT_READ_ONLY_TOKEN`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimCredentials {
    /// Access key pairs for HTTP Basic.
    pub access_keys: Vec<AccessKey>,
    /// Bearer tokens.
    pub tokens: Vec<BearerToken>,
}

impl Default for SimCredentials {
    fn default() -> Self {
        Self {
            access_keys: vec![AccessKey {
                key: DEFAULT_ACCESS_KEY.to_owned(),
                secret: DEFAULT_ACCESS_KEY_SECRET.to_owned(),
            }],
            tokens: vec![
                BearerToken::new(DEFAULT_FULL_TOKEN, [SCOPE_READ, SCOPE_WRITE]),
                BearerToken::new(DEFAULT_READ_ONLY_TOKEN, [SCOPE_READ]),
            ],
        }
    }
}

impl SimCredentials {
    fn validate(&self) -> Result<(), String> {
        if self.access_keys.is_empty() && self.tokens.is_empty() {
            return Err("no credentials: give at least one access key or token".to_owned());
        }
        for key in &self.access_keys {
            if key.key.is_empty() || key.key.contains(':') || key.secret.is_empty() {
                return Err(format!(
                    "access key `{}` must be non-empty without `:`, with a non-empty secret",
                    key.key
                ));
            }
        }
        for token in &self.tokens {
            if token.token.is_empty() || token.token.contains(char::is_whitespace) {
                return Err("bearer tokens must be non-empty without whitespace".to_owned());
            }
        }
        Ok(())
    }
}

/// How to build a simulator. Every field has a sensible default
/// ([`SimConfig::default`]): Gong's limits (3/s, 10,000 per UTC day), pages of 100,
/// folders in the observed shape, no latency, no faults, seed 0, the seeded [`Dataset`], every well-formed
/// CRM id known except `unknown…`, and the default [`SimCredentials`].
///
/// ```
/// use std::time::Duration;
/// use gong_flows_sim::{Latency, SimConfig};
///
/// let config = SimConfig::default()
///     .rate_limit(None)
///     .page_size(20)
///     .flows(250)
///     .latency(Latency::Fixed(Duration::from_millis(5)))
///     .seed(42);
/// assert_eq!(config.generated_flows, 250);
/// ```
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// At most this many calls in any [`rate_window`](Self::rate_window)
    /// (Gong: 3 a second); `None` for no limit.
    pub rate_limit: Option<u32>,
    /// The sliding window of [`rate_limit`](Self::rate_limit); Gong's is one
    /// second. A longer one makes 429s certain in tests on a slow machine.
    pub rate_window: Duration,
    /// At most this many calls a day (Gong: 10,000); `None` for no limit.
    /// Refused calls do not count.
    pub daily_limit: Option<u32>,
    /// Whether the day of [`daily_limit`](Self::daily_limit) is a calendar
    /// day or a rolling one (default [`DayWindow::UtcDay`]).
    pub day_window: DayWindow,
    /// The length of that day: 24 hours, or a few seconds for a test of what
    /// happens when the day's calls are spent (at most a day).
    pub day_length: Duration,
    /// Whether every answer (429s and other errors included) carries what
    /// the limits leave: `X-RateLimit-Limit` (calls per rate window),
    /// `X-RateLimit-Remaining` (calls left in the current window) and
    /// `X-RateLimit-Reset` (whole seconds until the window frees a call, 0
    /// when it is empty), and `X-RateLimit-Daily-Limit`,
    /// `X-RateLimit-Daily-Remaining` and `X-RateLimit-Daily-Reset` (whole
    /// seconds until the day turns, or for a rolling day until its oldest
    /// call stops counting, 0 when none does). Gong publishes no such
    /// headers, but real answers have carried `X-Ratelimit-Remaining`; a
    /// client should use them when they come and pace without them
    /// otherwise. A limit that is off has no headers. Off by default.
    pub rate_limit_headers: bool,
    /// Whether every answer's `x-traceid` header differs from its body's
    /// `requestId` (off: the two are equal, as Gong's usually are; recorded
    /// traffic has one answer where they differ, so a client should keep
    /// both).
    pub distinct_trace_ids: bool,
    /// Records per page of the two GET lists.
    pub page_size: usize,
    /// The shape of the folders answer.
    pub folders_shape: FoldersShape,
    /// Prospects one assign call may carry (default Gong's documented 200;
    /// Gong's newest document says 100).
    pub assign_limit: usize,
    /// Latency of each admitted call.
    pub latency: Latency,
    /// Probabilistic faults.
    pub faults: FaultConfig,
    /// Seed of every random choice (ids, statuses, latency, faults).
    pub seed: u64,
    /// Time a bulk assignment job spends in each of PENDING and IN_PROGRESS;
    /// zero completes a job at its first poll.
    pub bulk_stage: Duration,
    /// Flows and folders.
    pub dataset: Dataset,
    /// Number of generated company flows added to the dataset (for paging).
    pub generated_flows: usize,
    /// Which CRM ids exist.
    pub known_prospects: KnownProspects,
    /// Accepted credentials.
    pub credentials: SimCredentials,
    /// Largest request body accepted, in bytes (larger → 413).
    pub max_body_bytes: usize,
    /// Whether refused calls count toward the rate window too, so that a
    /// client that keeps calling into a full window stays refused (off:
    /// only admitted calls count). Either way at most
    /// [`rate_limit`](Self::rate_limit) calls are admitted in any window.
    pub strict_limiter: bool,
    /// Calls per second that another integration of the same company makes
    /// (`None`: none). They take their share of the rate window as soon as
    /// it has room, like a polite client would, and never answer anything.
    pub foreign_rate: Option<f64>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            rate_limit: Some(GONG_RATE_PER_SECOND),
            rate_window: Duration::from_secs(1),
            daily_limit: Some(GONG_DAILY_LIMIT),
            day_window: DayWindow::UtcDay,
            day_length: DEFAULT_DAY_LENGTH,
            rate_limit_headers: false,
            distinct_trace_ids: false,
            page_size: GONG_PAGE_SIZE,
            folders_shape: FoldersShape::Observed,
            assign_limit: gong_flows_api::limits::ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS,
            latency: Latency::None,
            faults: FaultConfig::none(),
            seed: 0,
            bulk_stage: DEFAULT_BULK_STAGE,
            dataset: Dataset::seeded(),
            generated_flows: 0,
            known_prospects: KnownProspects::AllWellFormed,
            credentials: SimCredentials::default(),
            max_body_bytes: 16 * 1024 * 1024,
            strict_limiter: false,
            foreign_rate: None,
        }
    }
}

impl SimConfig {
    /// Sets the port (0 for any free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets the calls allowed per rate window (`None` for no limit).
    pub fn rate_limit(mut self, per_window: Option<u32>) -> Self {
        self.rate_limit = per_window;
        self
    }

    /// Sets the rate limit as calls per second (`None` for no limit): a
    /// fractional rate becomes whole calls over a longer window (0.5/s is
    /// one call in two seconds; 2.5/s, two calls in 0.8 s).
    ///
    /// ```
    /// use gong_flows_sim::SimConfig;
    /// use std::time::Duration;
    ///
    /// let half = SimConfig::default().calls_per_second(Some(0.5));
    /// let one_in_two = SimConfig::default().rate_limit(Some(1)).rate_window(Duration::from_secs(2));
    /// assert_eq!(format!("{half:?}"), format!("{one_in_two:?}"));
    /// ```
    pub fn calls_per_second(self, rate: Option<f64>) -> Self {
        match rate.filter(|r| r.is_finite() && *r > 0.0) {
            None => self.rate_limit(None).rate_window(Duration::from_secs(1)),
            Some(rate) => {
                let calls = rate.floor().clamp(1.0, f64::from(u32::MAX));
                self.rate_limit(Some(calls as u32))
                    .rate_window(Duration::from_secs_f64(calls / rate))
            }
        }
    }

    /// Sets the sliding window of the rate limit (default one second).
    pub fn rate_window(mut self, window: Duration) -> Self {
        self.rate_window = window;
        self
    }

    /// Sets the calls allowed per day (`None` for no limit).
    pub fn daily_limit(mut self, per_day: Option<u32>) -> Self {
        self.daily_limit = per_day;
        self
    }

    /// Sets how the day of the daily limit is counted.
    pub fn day_window(mut self, window: DayWindow) -> Self {
        self.day_window = window;
        self
    }

    /// Adds the rate-limit headers to every answer (see
    /// [`rate_limit_headers`](Self::rate_limit_headers)).
    pub fn rate_limit_headers(mut self, on: bool) -> Self {
        self.rate_limit_headers = on;
        self
    }

    /// Makes `x-traceid` differ from `requestId` on every answer (see
    /// [`distinct_trace_ids`](Self::distinct_trace_ids)).
    pub fn distinct_trace_ids(mut self, distinct: bool) -> Self {
        self.distinct_trace_ids = distinct;
        self
    }

    /// Sets the length of the day of the daily limit (default 24 hours).
    pub fn day_length(mut self, length: Duration) -> Self {
        self.day_length = length;
        self
    }

    /// Counts refused calls toward the rate window too (see
    /// [`strict_limiter`](Self::strict_limiter)).
    pub fn strict_limiter(mut self, strict: bool) -> Self {
        self.strict_limiter = strict;
        self
    }

    /// Burns `calls_per_second` of the rate limit as another integration of
    /// the same company would (`None`: no other traffic).
    pub fn foreign_rate(mut self, calls_per_second: Option<f64>) -> Self {
        self.foreign_rate = calls_per_second;
        self
    }

    /// Turns both rate limits off.
    pub fn no_rate_limits(self) -> Self {
        self.rate_limit(None).daily_limit(None)
    }

    /// Sets the page size of the two GET lists.
    pub fn page_size(mut self, page_size: usize) -> Self {
        self.page_size = page_size;
        self
    }

    /// Sets the shape of the folders answer (default
    /// [`FoldersShape::Observed`]).
    pub fn folders_shape(mut self, shape: FoldersShape) -> Self {
        self.folders_shape = shape;
        self
    }

    /// Sets how many prospects one assign call may carry (1 to 200): a
    /// longer list is refused with 400, as a Gong that enforces a lower
    /// limit than its reference pages would.
    pub fn assign_limit(mut self, limit: usize) -> Self {
        self.assign_limit = limit;
        self
    }

    /// Sets the latency.
    pub fn latency(mut self, latency: Latency) -> Self {
        self.latency = latency;
        self
    }

    /// Sets the probabilistic faults.
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the time a bulk job spends in each of PENDING and IN_PROGRESS.
    pub fn bulk_stage(mut self, stage: Duration) -> Self {
        self.bulk_stage = stage;
        self
    }

    /// Replaces the flows and folders.
    pub fn dataset(mut self, dataset: Dataset) -> Self {
        self.dataset = dataset;
        self
    }

    /// Adds `n` generated company flows (ids from
    /// [`GENERATED_FLOW_ID_BASE`](crate::dataset::GENERATED_FLOW_ID_BASE)
    /// + 1), e.g. 250 for pagination tests.
    pub fn flows(mut self, n: usize) -> Self {
        self.generated_flows = n;
        self
    }

    /// Sets which CRM ids exist.
    pub fn known_prospects(mut self, known: KnownProspects) -> Self {
        self.known_prospects = known;
        self
    }

    /// Sets the accepted credentials.
    pub fn credentials(mut self, credentials: SimCredentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Checks every setting; [`Simulator::start`](crate::Simulator::start)
    /// calls this.
    pub fn validate(&self) -> Result<(), SimError> {
        let invalid = |reason: String| Err(SimError::InvalidConfig(reason));
        if self.rate_limit == Some(0) {
            return invalid("rate_limit must be at least 1 (use None for no limit)".into());
        }
        if self.rate_window.is_zero() || self.rate_window > Duration::from_secs(86_400) {
            return invalid("rate_window must be between 1ns and one day".into());
        }
        if let Some(rate) = self.foreign_rate
            && !(rate.is_finite() && rate > 0.0 && rate <= 1000.0)
        {
            return invalid(format!(
                "foreign_rate {rate} is not within (0, 1000] calls per second"
            ));
        }
        if self.daily_limit == Some(0) {
            return invalid("daily_limit must be at least 1 (use None for no limit)".into());
        }
        if self.day_length < Duration::from_millis(1) || self.day_length > DEFAULT_DAY_LENGTH {
            return invalid("day_length must be between 1ms and one day".into());
        }
        let most = gong_flows_api::limits::ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS;
        if !(1..=most).contains(&self.assign_limit) {
            return invalid(format!("assign_limit must be between 1 and {most}"));
        }
        if !(1..=10_000).contains(&self.page_size) {
            return invalid(format!(
                "page_size {} is not within 1..=10000",
                self.page_size
            ));
        }
        if self.bulk_stage > Duration::from_secs(3600) {
            return invalid("bulk_stage must be at most an hour".into());
        }
        if self.max_body_bytes < 1024 {
            return invalid("max_body_bytes must be at least 1024".into());
        }
        if self.generated_flows > 1_000_000 {
            return invalid("at most 1,000,000 generated flows".into());
        }
        self.latency.validate().map_err(SimError::InvalidConfig)?;
        self.faults
            .validate()
            .map_err(|e| SimError::InvalidConfig(format!("faults: {e}")))?;
        self.credentials
            .validate()
            .map_err(SimError::InvalidConfig)?;
        if let KnownProspects::Only(ids) = &self.known_prospects
            && let Some(bad) = ids.iter().find(|id| id.is_empty())
        {
            return invalid(format!("known prospect id `{bad}` is empty"));
        }
        self.dataset
            .with_generated(self.generated_flows)
            .validate()
            .map_err(SimError::InvalidConfig)
    }
}

/// Why a simulator could not start or a control call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A setting is out of range or inconsistent.
    #[error("invalid simulator configuration: {0}")]
    InvalidConfig(String),
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// No tokio runtime was running and none could be started.
    #[error("cannot start a runtime for the simulator: {0}")]
    Runtime(#[source] std::io::Error),
    /// A control call named a flow instance that does not exist.
    #[error("no flow instance {0}")]
    UnknownInstance(String),
    /// A control call named a flow that does not exist.
    #[error("no flow {0}")]
    UnknownFlow(String),
    /// A direct assignment was refused for the reason an assign call would
    /// give (the prospect is already in the flow, or in an exclusive one,
    /// or the CRM does not know it).
    #[error("assignment refused: {0}")]
    AssignmentRefused(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crm_id_shapes() {
        assert!(is_well_formed_crm_id("a5V1Q00A120DP4CVAW"));
        assert!(is_well_formed_crm_id("lead-001_x.y"));
        assert!(!is_well_formed_crm_id(""));
        assert!(!is_well_formed_crm_id("has space"));
        assert!(!is_well_formed_crm_id(&"x".repeat(65)));
    }

    #[test]
    fn default_config_is_valid_and_bad_ones_are_not() {
        SimConfig::default().validate().unwrap();
        assert!(SimConfig::default().rate_limit(Some(0)).validate().is_err());
        assert!(SimConfig::default().page_size(0).validate().is_err());
        assert!(
            SimConfig::default()
                .day_length(Duration::ZERO)
                .validate()
                .is_err()
        );
        assert!(
            SimConfig::default()
                .day_length(Duration::from_secs(86_401))
                .validate()
                .is_err()
        );
        SimConfig::default()
            .day_length(Duration::from_secs(10))
            .validate()
            .unwrap();
        assert!(
            SimConfig::default()
                .foreign_rate(Some(0.0))
                .validate()
                .is_err()
        );
        assert!(
            SimConfig::default()
                .foreign_rate(Some(f64::NAN))
                .validate()
                .is_err()
        );
        SimConfig::default()
            .foreign_rate(Some(1.0))
            .validate()
            .unwrap();
        assert!(
            SimConfig::default()
                .credentials(SimCredentials {
                    access_keys: vec![],
                    tokens: vec![]
                })
                .validate()
                .is_err()
        );
    }

    #[test]
    fn basic_header() {
        let key = AccessKey {
            key: "k".into(),
            secret: "s".into(),
        };
        assert_eq!(key.authorization(), "Basic azpz");
    }
}
