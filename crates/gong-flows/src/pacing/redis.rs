//! One rate limit for every process of a company, kept in Redis.

use super::{Adaptation, DEFAULT_SAFETY_MARGIN, InProcessPacer, Pacer, PacerFuture, too_long};
use crate::error::{Error, Result};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

const DAY_US: u64 = 86_400_000_000;

/// Reserves the next free slot (GCRA with a burst of one), after any pause,
/// raising an adapted rate after a quiet period and checking the daily
/// budget. Times are Redis' own (`TIME`), in microseconds, so the clocks of
/// the processes never matter. Returns `{code, a, b, rate × 1000}`: code 0
/// reserved (`a` the wait, `b` the slot); 1 too far (`a` the wait, `b` 1 if
/// a pause is the reason); 2 budget spent (`a` until it renews).
const RESERVE: &str = r"
local function s(x) return string.format('%.0f', x) end
-- Effects replication, so that a script may write after TIME (Redis < 7).
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local h = KEYS[1]
local max_wait = tonumber(ARGV[1])
local cfg = tonumber(ARGV[2])
local margin = tonumber(ARGV[3])
local budget = tonumber(ARGV[4])
local day = 86400000000
local v = redis.call('HMGET', h, 'tat', 'paused', 'rate', 'l429', 'lchg', 'dstart', 'dcount')
local tat = tonumber(v[1]) or 0
local paused = tonumber(v[2]) or 0
local rate = tonumber(v[3]) or cfg
if rate > cfg or rate <= 0 then rate = cfg end
if budget > 0 then
  local dstart = tonumber(v[6])
  local dcount = tonumber(v[7]) or 0
  if dstart == nil or now - dstart >= day then
    dstart = now
    dcount = 0
    redis.call('HSET', h, 'dstart', s(now), 'dcount', 0)
  end
  if dcount >= budget then
    return {2, s(day - (now - dstart)), 0, math.floor(rate * 1000)}
  end
end
if cfg > 0 and ARGV[5] == '1' and rate < cfg then
  local since = math.max(tonumber(v[4]) or 0, tonumber(v[5]) or 0)
  if now - since >= tonumber(ARGV[7]) then
    rate = math.min(cfg, rate + cfg * tonumber(ARGV[6]))
    redis.call('HSET', h, 'rate', tostring(rate), 'lchg', s(now))
  end
end
local slot = math.max(now, paused)
if cfg > 0 then slot = math.max(slot, tat) end
if slot - now > max_wait then
  local why = 0
  if paused >= slot then why = 1 end
  return {1, slot - now, why, math.floor(rate * 1000)}
end
if cfg > 0 then
  redis.call('HSET', h, 'tat', s(slot + math.floor((1 + margin) * 1000000 / rate)))
end
redis.call('PEXPIRE', h, 172800000)
return {0, slot - now, slot, math.floor(rate * 1000)}
";

/// At the reserved slot: `{1, 0}` if a pause set since covers it (reserve
/// again), `{2, renews_in}` if the budget is spent, else counts the call
/// and answers `{0, 0}`.
const RELEASE: &str = r"
local h = KEYS[1]
local v = redis.call('HMGET', h, 'paused', 'dstart', 'dcount')
local paused = tonumber(v[1]) or 0
if paused > tonumber(ARGV[1]) then return {1, 0} end
local budget = tonumber(ARGV[2])
if budget > 0 then
  -- Effects replication, so that a script may write after TIME (Redis < 7).
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local day = 86400000000
  local dstart = tonumber(v[2])
  local dcount = tonumber(v[3]) or 0
  if dstart == nil or now - dstart >= day then
    dstart = now
    dcount = 0
    redis.call('HSET', h, 'dstart', string.format('%.0f', now), 'dcount', 0)
  end
  if dcount >= budget then
    return {2, string.format('%.0f', day - (now - dstart))}
  end
  redis.call('HINCRBY', h, 'dcount', 1)
end
return {0, 0}
";

/// A pause (`Retry-After`) for every process; on a 429, the decrease half
/// of the adaptation. Returns `{pause left, rate × 1000, lowered}`.
const PAUSE: &str = r"
local function s(x) return string.format('%.0f', x) end
-- Effects replication, so that a script may write after TIME (Redis < 7).
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local h = KEYS[1]
local cfg = tonumber(ARGV[3])
local v = redis.call('HMGET', h, 'paused', 'rate', 'l429', 'hold')
local paused = tonumber(v[1]) or 0
local untill = now + tonumber(ARGV[1])
if untill > paused then
  paused = untill
  redis.call('HSET', h, 'paused', s(paused))
end
local rate = tonumber(v[2]) or cfg
if rate > cfg or rate <= 0 then rate = cfg end
local lowered = 0
if ARGV[2] == '1' then
  local l429 = tonumber(v[3])
  local hold = tonumber(v[4]) or 0
  local isolated = rate >= cfg and (l429 == nil or now - l429 > tonumber(ARGV[7]))
  redis.call('HSET', h, 'l429', s(now))
  if ARGV[4] == '1' and cfg > 0 and not isolated and now >= hold then
    rate = math.max(rate * tonumber(ARGV[5]), cfg * tonumber(ARGV[6]))
    redis.call('HSET', h, 'rate', tostring(rate), 'lchg', s(now), 'hold', s(paused))
    lowered = 1
  end
end
redis.call('PEXPIRE', h, 172800000)
return {s(paused - now), math.floor(rate * 1000), lowered}
";

/// What a [`RedisPacer`] does when Redis cannot be reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WhenUnavailable {
    /// Fail the call with [`Error::PacerUnavailable`] (the default): no
    /// call goes out unpaced, and a job stops instead of risking the
    /// company's limit.
    Fail,
    /// Pace locally at `share` of the rate (and of the daily budget) until
    /// Redis answers again, e.g. `1/K` for K processes. Redis is tried
    /// again every few seconds.
    PaceLocally {
        /// The share of the rate this process takes alone (0..=1).
        share: f64,
    },
}

/// Configures a [`RedisPacer`].
#[derive(Clone)]
#[must_use]
pub struct RedisPacerBuilder {
    redis_url: String,
    namespace: Option<String>,
    base_url: String,
    rate: Option<f64>,
    daily_budget: Option<u32>,
    margin: f64,
    adaptation: Adaptation,
    when_unavailable: WhenUnavailable,
    timeout: Duration,
}

impl fmt::Debug for RedisPacerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry Redis' password.
        f.debug_struct("RedisPacerBuilder")
            .field("url", &crate::client::redact_userinfo(&self.redis_url))
            .field("namespace", &self.namespace)
            .field("base_url", &self.base_url)
            .field("rate", &self.rate)
            .field("daily_budget", &self.daily_budget)
            .field("when_unavailable", &self.when_unavailable)
            .finish_non_exhaustive()
    }
}

impl RedisPacerBuilder {
    /// The key namespace: one per company (default: the host, and port if
    /// any, of the base URL). Processes with the same namespace share one
    /// limit; other tenants of the same Redis are apart.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Calls per second for the whole company (default Gong's 3; `None`:
    /// no rate limit).
    pub fn rate_limit(mut self, calls_per_second: impl Into<Option<f64>>) -> Self {
        self.rate = calls_per_second.into();
        self
    }

    /// Calls per 24 hours for the whole company (default Gong's 10,000;
    /// `None`: no budget).
    pub fn daily_budget(mut self, calls: impl Into<Option<u32>>) -> Self {
        self.daily_budget = calls.into();
        self
    }

    /// The widening of the interval between calls (default 1.5 %).
    pub fn safety_margin(mut self, margin: f64) -> Self {
        self.margin = margin;
        self
    }

    /// How the shared rate adapts to 429s (default [`Adaptation::default`]).
    pub fn adaptation(mut self, adaptation: Adaptation) -> Self {
        self.adaptation = adaptation;
        self
    }

    /// What to do when Redis cannot be reached (default
    /// [`WhenUnavailable::Fail`]).
    pub fn when_unavailable(mut self, policy: WhenUnavailable) -> Self {
        self.when_unavailable = policy;
        self
    }

    /// The longest a Redis connection or command may take before Redis
    /// counts as unreachable (default 1 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Checks the settings. The connection is opened on first use (and
    /// reopened after a failure), so this needs no runtime and no Redis.
    pub fn build(self) -> Result<RedisPacer> {
        let config = |setting: &str, reason: String| Error::Config {
            setting: setting.to_owned(),
            reason,
        };
        let shown = crate::client::redact_userinfo(&self.redis_url);
        let client = redis::Client::open(self.redis_url.as_str())
            .map_err(|e| config("pacer URL", format!("{shown:?} is not a Redis URL: {e}")))?;
        let namespace = match self.namespace {
            Some(namespace) => namespace,
            None => {
                let url = url::Url::parse(&self.base_url).map_err(|e| {
                    config(
                        "base_url",
                        format!("cannot name the pacer's namespace: {e}"),
                    )
                })?;
                let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
                match url.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host,
                }
            }
        };
        if namespace.is_empty()
            || namespace.len() > 200
            || namespace
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(config(
                "pacer namespace",
                format!("{namespace:?} must be 1 to 200 characters without spaces"),
            ));
        }
        let rate = self.rate.filter(|r| r.is_finite() && *r > 0.0);
        if let WhenUnavailable::PaceLocally { share } = self.when_unavailable
            && !(share.is_finite() && share > 0.0 && share <= 1.0)
        {
            return Err(config(
                "pacer fallback share",
                format!("must be in (0, 1], got {share}"),
            ));
        }
        let margin = if self.margin.is_finite() {
            self.margin.clamp(0.0, 1.0)
        } else {
            DEFAULT_SAFETY_MARGIN
        };
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1)
            .set_max_delay(self.timeout);
        let fallback = match self.when_unavailable {
            WhenUnavailable::Fail => None,
            WhenUnavailable::PaceLocally { share } => Some(
                InProcessPacer::with_margin(
                    rate.map(|r| r * share),
                    self.daily_budget
                        .map(|d| ((f64::from(d) * share).floor() as u32).max(1)),
                    margin,
                )
                .with_adaptation(self.adaptation),
            ),
        };
        Ok(RedisPacer {
            inner: Arc::new(Shared {
                shown_url: shown,
                key: format!("gong-flows:{{{namespace}}}:pacer"),
                namespace,
                rate,
                margin,
                daily_budget: self.daily_budget,
                adaptation: self.adaptation,
                timeout: self.timeout,
                client,
                manager_config,
                manager: Mutex::new(None),
                fallback,
                local: Mutex::new(Local {
                    paused_until: None,
                    rate,
                    down_until: None,
                }),
                pauses: watch::Sender::new(None),
            }),
        })
    }
}

/// A [`Pacer`] that keeps one limit for every process of a company in
/// Redis: the standard shared store for distributed rate limits.
///
/// The schedule (GCRA with a burst of one, as [`InProcessPacer`]), the
/// pauses after 429s, the adapted rate and the daily budget live in one
/// Redis hash per company, changed only by Lua scripts (atomic, on Redis'
/// own clock), so any number of processes, on machines whose clocks
/// disagree, send at most `rate` calls in any second together. Keys are
/// `gong-flows:{<namespace>}:pacer`, the namespace being the company's API
/// host by default; they expire two days after the last call.
///
/// When Redis cannot be reached, the call fails with
/// [`Error::PacerUnavailable`] or, if configured, is paced locally at a
/// share of the rate ([`WhenUnavailable`]); a call never goes out unpaced.
///
/// ```no_run
/// use gong_flows::{Client, RedisPacer, WhenUnavailable};
/// use std::sync::Arc;
///
/// let base = "https://us-55616.api.gong.io";
/// let pacer = RedisPacer::builder("redis://127.0.0.1:6379/0", base)
///     .when_unavailable(WhenUnavailable::PaceLocally { share: 0.25 })
///     .build()?;
/// let client = Client::builder()
///     .base_url(base)
///     .basic_auth("ACCESS_KEY", "ACCESS_KEY_SECRET")
///     .pacer(Arc::new(pacer))
///     .build()?;
/// # let _ = client;
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[derive(Clone)]
pub struct RedisPacer {
    inner: Arc<Shared>,
}

struct Shared {
    shown_url: String,
    namespace: String,
    key: String,
    rate: Option<f64>,
    margin: f64,
    daily_budget: Option<u32>,
    adaptation: Adaptation,
    timeout: Duration,
    client: redis::Client,
    manager_config: ConnectionManagerConfig,
    /// Made on first use, inside the runtime it needs.
    manager: Mutex<Option<ConnectionManager>>,
    fallback: Option<InProcessPacer>,
    local: Mutex<Local>,
    pauses: watch::Sender<Option<Instant>>,
}

/// What this process knows without asking Redis.
#[derive(Debug)]
struct Local {
    /// The end of the latest pause this process set or learned of.
    paused_until: Option<Instant>,
    /// The shared rate as last seen.
    rate: Option<f64>,
    /// Redis failed: pace locally until then before trying it again.
    down_until: Option<Instant>,
}

impl fmt::Debug for RedisPacer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisPacer")
            .field("url", &self.inner.shown_url)
            .field("namespace", &self.inner.namespace)
            .field("rate", &self.inner.rate)
            .field("daily_budget", &self.inner.daily_budget)
            .finish_non_exhaustive()
    }
}

/// A reservation's outcome, as the script answers it.
enum Reserved {
    At { wait: Duration, slot_us: i64 },
    TooFar { wait: Duration, paused: bool },
    BudgetSpent { renews_in: Duration },
}

/// How long Redis is left alone after a failure.
const RETRY_REDIS_AFTER: Duration = Duration::from_secs(2);

fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX / 2)
}

fn from_micros(us: i64) -> Duration {
    Duration::from_micros(u64::try_from(us).unwrap_or(0))
}

impl RedisPacer {
    /// Starts configuring a pacer on the Redis at `redis_url`
    /// (`redis://[:PASSWORD@]HOST:PORT/DB`) for the company whose API host
    /// is `base_url`.
    pub fn builder(redis_url: impl Into<String>, base_url: impl Into<String>) -> RedisPacerBuilder {
        RedisPacerBuilder {
            redis_url: redis_url.into(),
            namespace: None,
            base_url: base_url.into(),
            rate: Some(crate::GONG_CALLS_PER_SECOND),
            daily_budget: Some(crate::GONG_DAILY_CALLS),
            margin: DEFAULT_SAFETY_MARGIN,
            adaptation: Adaptation::default(),
            when_unavailable: WhenUnavailable::Fail,
            timeout: Duration::from_secs(1),
        }
    }

    /// The key namespace (the company).
    pub fn namespace(&self) -> &str {
        &self.inner.namespace
    }

    /// Whether calls are paced locally because Redis was unreachable.
    pub fn is_pacing_locally(&self) -> bool {
        self.inner.lock().down_until.is_some()
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Local> {
        self.local.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn script<T: redis::FromRedisValue>(
        &self,
        script: &str,
        args: &[String],
    ) -> std::result::Result<T, String> {
        let script = redis::Script::new(script);
        let mut invocation = script.key(&self.key);
        for arg in args {
            invocation.arg(arg);
        }
        let mut connection = self.connection()?;
        match tokio::time::timeout(self.timeout, invocation.invoke_async(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {:?}", self.timeout)),
        }
    }

    /// The connection manager (it reconnects by itself after a failure).
    fn connection(&self) -> std::result::Result<ConnectionManager, String> {
        let mut manager = self.manager.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(manager) = &*manager {
            return Ok(manager.clone());
        }
        let made = ConnectionManager::new_lazy_with_config(
            self.client.clone(),
            self.manager_config.clone(),
        )
        .map_err(|e| e.to_string())?;
        *manager = Some(made.clone());
        Ok(made)
    }

    fn rate_arg(&self) -> String {
        self.rate.unwrap_or(0.0).to_string()
    }

    fn budget_arg(&self) -> String {
        self.daily_budget.unwrap_or(0).to_string()
    }

    fn note_rate(&self, rate_milli: i64) {
        if self.rate.is_none() {
            return;
        }
        let rate = rate_milli as f64 / 1000.0;
        let mut local = self.lock();
        let changed = local.rate.is_none_or(|old| (old - rate).abs() >= 0.001);
        local.rate = Some(rate);
        drop(local);
        if changed {
            tracing::info!(
                calls_per_second = rate,
                namespace = %self.namespace,
                "shared call rate changed"
            );
        }
    }

    async fn reserve(&self, max_wait: Duration) -> std::result::Result<Reserved, String> {
        let a = &self.adaptation;
        let (code, first, second, rate): (i64, i64, i64, i64) = self
            .script(
                RESERVE,
                &[
                    micros(max_wait).to_string(),
                    self.rate_arg(),
                    self.margin.to_string(),
                    self.budget_arg(),
                    if a.is_on() { "1" } else { "0" }.to_owned(),
                    a.increase().to_string(),
                    micros(a.quiet()).to_string(),
                ],
            )
            .await?;
        self.note_rate(rate);
        Ok(match code {
            0 => Reserved::At {
                wait: from_micros(first),
                slot_us: second,
            },
            1 => Reserved::TooFar {
                wait: from_micros(first),
                paused: second == 1,
            },
            _ => Reserved::BudgetSpent {
                renews_in: from_micros(first),
            },
        })
    }

    async fn release(&self, slot_us: i64) -> std::result::Result<(i64, i64), String> {
        self.script(RELEASE, &[slot_us.to_string(), self.budget_arg()])
            .await
    }

    async fn pause(&self, wait: Duration, rate_limited: bool) -> std::result::Result<(), String> {
        let a = &self.adaptation;
        let (left, rate, lowered): (i64, i64, i64) = self
            .script(
                PAUSE,
                &[
                    micros(wait).to_string(),
                    if rate_limited { "1" } else { "0" }.to_owned(),
                    self.rate_arg(),
                    if a.is_on() { "1" } else { "0" }.to_owned(),
                    a.decrease().to_string(),
                    a.floor().to_string(),
                    micros(a.window()).to_string(),
                ],
            )
            .await?;
        // Another process may have set a longer pause.
        self.set_local_pause(from_micros(left));
        if lowered == 1 {
            tracing::info!(
                calls_per_second = rate as f64 / 1000.0,
                "lowering the shared call rate: 429s although paced (other traffic shares the company's limit)"
            );
        }
        self.note_rate(rate);
        Ok(())
    }

    fn set_local_pause(&self, wait: Duration) {
        let now = Instant::now();
        let until = now
            .checked_add(wait.min(Duration::from_micros(DAY_US)))
            .unwrap_or(now);
        let mut local = self.lock();
        let until = local.paused_until.map_or(until, |p| p.max(until));
        local.paused_until = Some(until);
        drop(local);
        self.pauses.send_replace(Some(until));
    }

    fn local_pause(&self) -> Option<Instant> {
        let now = Instant::now();
        self.lock().paused_until.filter(|until| *until > now)
    }

    /// Redis failed: the configured policy.
    async fn unavailable(&self, message: String, max_wait: Duration) -> Result<()> {
        match &self.fallback {
            None => Err(Error::PacerUnavailable { message }),
            Some(fallback) => {
                let was_up = {
                    let mut local = self.lock();
                    let was_up = local.down_until.is_none();
                    local.down_until = Some(Instant::now() + RETRY_REDIS_AFTER);
                    was_up
                };
                if was_up {
                    tracing::warn!(error = %message, "Redis unreachable; pacing locally at a share of the rate");
                }
                fallback.acquire(max_wait).await
            }
        }
    }

    async fn acquire(&self, max_wait: Duration) -> Result<()> {
        let start = Instant::now();
        let deadline = start
            .checked_add(max_wait)
            .or_else(|| start.checked_add(Duration::from_micros(DAY_US) * 365))
            .unwrap_or(start);
        let mut pauses = self.pauses.subscribe();
        loop {
            let now = Instant::now();
            let left = deadline.saturating_duration_since(now);
            // Redis failed a moment ago: stay local for a while.
            let down = self.lock().down_until;
            if let (Some(until), Some(fallback)) = (down, &self.fallback)
                && now < until
            {
                return fallback.acquire(left).await;
            }
            // This process's own 429 is known before Redis has it.
            if let Some(paused) = self.local_pause() {
                if paused > deadline {
                    return Err(too_long(paused - now, "waiting out an earlier Retry-After"));
                }
                tokio::time::sleep_until(paused).await;
                continue;
            }
            let reserved = match self.reserve(left).await {
                Ok(reserved) => reserved,
                Err(message) => return self.unavailable(message, left).await,
            };
            if down.is_some() {
                self.lock().down_until = None;
                tracing::info!("Redis reachable again; pacing shared");
            }
            let (wait, slot_us) = match reserved {
                Reserved::At { wait, slot_us } => (wait, slot_us),
                Reserved::TooFar { wait, paused } => {
                    let why = if paused {
                        "waiting out an earlier Retry-After"
                    } else {
                        "the next free slot is later than the call may wait"
                    };
                    return Err(too_long(wait, why));
                }
                Reserved::BudgetSpent { renews_in } => {
                    return Err(Error::DailyBudgetExhausted {
                        limit: self.daily_budget.unwrap_or(0),
                        resets_in: renews_in,
                    });
                }
            };
            let slot = Instant::now() + wait;
            if !super::wait_for_slot(slot, &mut pauses).await {
                continue;
            }
            match self.release(slot_us).await {
                Ok((0, _)) => return Ok(()),
                Ok((1, _)) => continue,
                Ok((_, renews_in)) => {
                    return Err(Error::DailyBudgetExhausted {
                        limit: self.daily_budget.unwrap_or(0),
                        resets_in: from_micros(renews_in),
                    });
                }
                Err(message) => return self.unavailable(message, left).await,
            }
        }
    }
}

impl Pacer for RedisPacer {
    fn acquire(&self, max_wait: Duration) -> PacerFuture<'_> {
        Box::pin(self.inner.acquire(max_wait))
    }

    fn pause(&self, wait: Duration) {
        self.report(wait, false);
    }

    fn rate_limited(&self, retry_after: Duration) {
        self.report(retry_after, true);
    }

    fn pause_remaining(&self) -> Option<Duration> {
        self.inner
            .local_pause()
            .map(|until| until.saturating_duration_since(Instant::now()))
    }

    fn rate(&self) -> Option<f64> {
        self.inner.lock().rate
    }
}

impl RedisPacer {
    /// Records a pause here at once and in Redis in the background.
    fn report(&self, wait: Duration, rate_limited: bool) {
        self.inner.set_local_pause(wait);
        if let Some(fallback) = &self.inner.fallback {
            if rate_limited {
                fallback.rate_limited(wait);
            } else {
                fallback.pause(wait);
            }
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let inner = Arc::clone(&self.inner);
        runtime.spawn(async move {
            if let Err(message) = inner.pause(wait, rate_limited).await {
                tracing::warn!(error = %message, "could not record a pause in Redis");
            }
        });
    }
}
