//! One rate limit for every process of a company, kept in Redis.

use super::adapt::Adaptation;
use super::window::{BUCKET, DAY};
use super::{
    Adapted, Budget, BudgetFuture, Company, DEFAULT_SAFETY_MARGIN, InProcessPacer, Pacer,
    PacerFuture, QuotaHint, TIMER_SLACK, too_long,
};
use crate::auth::Credentials;
use crate::error::{Error, Result};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime};
use tokio::sync::watch;
use tokio::time::Instant;

/// What every script starts with: Redis' clock (`TIME`, in microseconds,
/// so the clocks of the processes never matter), the two keys (`H` the
/// pacer's hash, `D` the daily window's per-minute counters) and the
/// functions the scripts share. Every script answers
/// `{now, code, a, b, rate × 1000, used, left, last 429, lowered since}`
/// (`used` -1 when it did not look at the budget).
macro_rules! prelude {
    () => {
        r"
-- Effects replication, so that a script may write after TIME (Redis < 7).
if redis.replicate_commands then redis.replicate_commands() end
local function s(x) return string.format('%.0f', x) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local H, D = KEYS[1], KEYS[2]
local DAY, G = 86400000000, 60000000
local function num(field) return tonumber(redis.call('HGET', H, field)) end
local function touch()
  redis.call('PEXPIRE', H, 172800000)
  redis.call('PEXPIRE', D, 172800000)
end
local function reply(code, a, b, rate, used, left)
  return {s(now), code, s(a), s(b), math.floor(rate * 1000), s(used), s(left),
          s(num('l429') or 0), s(num('lsince') or 0)}
end
-- A script that runs later than its sender still waits for (Redis was
-- frozen, the sender gave up and paced locally) changes nothing.
local function stale(deadline) return deadline > 0 and now > deadline end

-- The calls in the window: a minute's counter leaves it at the end of the
-- minute plus a day. `dused` keeps the sum, `dfirst` the oldest minute.
local function used_now()
  local live = math.floor((now - DAY) / G)
  local used, first = num('dused'), num('dfirst')
  if used == nil or first == nil or live - first > 1500 then
    used, first = 0, nil
    local all = redis.call('HGETALL', D)
    for i = 1, #all, 2 do
      local m, c = tonumber(all[i]), tonumber(all[i + 1]) or 0
      if m == nil or m < live then
        redis.call('HDEL', D, all[i])
      else
        used = used + c
        if first == nil or m < first then first = m end
      end
    end
    first = first or live
  elseif first < live then
    for m = first, live - 1 do
      local c = tonumber(redis.call('HGET', D, s(m)))
      if c then
        used = used - c
        redis.call('HDEL', D, s(m))
      end
    end
    first = live
  end
  if used < 0 then used = 0 end
  redis.call('HSET', H, 'dused', s(used), 'dfirst', s(first))
  return used
end

-- Counts `n` calls made at `at` (after used_now).
local function count(at, n)
  local m = math.floor(at / G)
  if m < math.floor((now - DAY) / G) then return end
  redis.call('HINCRBY', D, s(m), n)
  redis.call('HINCRBY', H, 'dused', n)
  local first = num('dfirst')
  if first == nil or m < first then redis.call('HSET', H, 'dfirst', s(m)) end
end

-- Microseconds until fewer than `allowed` calls are in the window.
local function frees_in(used, allowed)
  if allowed <= 0 then return DAY end
  local m, last = num('dfirst') or math.floor((now - DAY) / G), math.floor(now / G)
  while m <= last do
    local c = tonumber(redis.call('HGET', D, s(m)))
    if c then
      used = used - c
      if used < allowed then return (m + 1) * G + DAY - now end
    end
    m = m + 1
  end
  return DAY
end

-- {used, left, wait}: the budget less the reserve, lower if Gong said so.
local function budget_now(budget, reserve)
  local used = used_now()
  local allowed = budget - reserve
  local own = math.max(allowed - used, 0)
  local left, wait = own, 0
  local hl, hu = num('hleft'), num('huntil')
  local hinted = hl ~= nil and hu ~= nil and hu > now
  if hinted and hl < left then left = hl end
  if left <= 0 then
    left = 0
    if own <= 0 then wait = frees_in(used, allowed) end
    if hinted and hl <= 0 and hu - now > wait then wait = hu - now end
  end
  return used, left, wait
end

-- The adapted rate now: back at the configured rate once `recovery` has
-- passed since the last 429, or raised by the steps the time allows.
local function rate_now(cfg, on, increase, quiet, recovery, window)
  local rate = num('rate') or cfg
  if rate > cfg or rate <= 0 then rate = cfg end
  if on ~= 1 or cfg <= 0 then return rate end
  local rat = num('rat')
  if rat ~= nil and now - rat > window then
    redis.call('HDEL', H, 'rfrom', 'rat', 'lsince')
  end
  if rate >= cfg then return rate end
  local last = num('l429') or num('bat') or now
  if now - last >= recovery then
    redis.call('HSET', H, 'rfrom', tostring(rate), 'rat', s(now), 'rate', tostring(cfg))
    return cfg
  end
  local bat = num('bat')
  if increase > 0 and bat ~= nil then
    local base = num('base') or rate
    local target = math.min(cfg, base + math.floor((now - bat) / quiet) * increase * cfg)
    if target > rate + 1e-9 then
      rate = target
      redis.call('HSET', H, 'rate', tostring(rate))
    end
  end
  return rate
end

local function interval(rate, margin) return math.floor((1 + margin) * 1000000 / rate) end
"
    };
}

/// Reserves the next free slot (GCRA with a burst of one), after any pause,
/// checking the daily budget first; counts the calls paced locally during
/// an outage (`ARGV[12..]`: pairs of age and calls). Codes: 0 reserved (`a`
/// the wait, `b` the slot); 1 too far (`a` the wait, `b` 1 if a pause is
/// the reason); 2 budget spent (`a` until a call is allowed); 3 stale.
static RESERVE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(concat!(
        prelude!(),
        r"
local cfg, margin = tonumber(ARGV[2]), tonumber(ARGV[3])
if stale(tonumber(ARGV[11])) then return reply(3, 0, 0, cfg, -1, 0) end
local rate = rate_now(cfg, tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]),
                      tonumber(ARGV[9]), tonumber(ARGV[10]))
local budget, reserve = tonumber(ARGV[4]), tonumber(ARGV[5])
local used, left = -1, 0
if budget > 0 then
  if #ARGV >= 13 then
    used_now()
    for i = 12, #ARGV - 1, 2 do count(now - tonumber(ARGV[i]), tonumber(ARGV[i + 1])) end
  end
  local wait
  used, left, wait = budget_now(budget, reserve)
  if left <= 0 then
    touch()
    return reply(2, wait, 0, rate, used, 0)
  end
end
local tat, paused = num('tat') or 0, num('paused') or 0
local slot = math.max(now, paused)
if cfg > 0 then slot = math.max(slot, tat) end
if slot - now > tonumber(ARGV[1]) then
  local why = 0
  if paused >= slot then why = 1 end
  return reply(1, slot - now, why, rate, used, left)
end
if cfg > 0 then redis.call('HSET', H, 'tat', s(slot + interval(rate, margin))) end
touch()
return reply(0, slot - now, slot, rate, used, left)
"
    ))
});

/// At the reserved slot, released `ARGV[2]` µs after it: codes 0 counted
/// (the next slot is at least an interval after this release), 1 a pause
/// set since covers the slot (reserve again), 2 budget spent (`a` until a
/// call is allowed), 3 stale, 4 the call before went late (`a` the wait
/// before trying again).
static RELEASE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(concat!(
        prelude!(),
        r"
local cfg, margin = tonumber(ARGV[5]), tonumber(ARGV[6])
local rate = num('rate') or cfg
if rate > cfg or rate <= 0 then rate = cfg end
if stale(tonumber(ARGV[7])) then return reply(3, 0, 0, rate, -1, 0) end
local slot = tonumber(ARGV[1])
if (num('paused') or 0) > slot then return reply(1, 0, 0, rate, -1, 0) end
local released = slot + tonumber(ARGV[2])
local iv = 0
if cfg > 0 then
  iv = interval(rate, margin)
  local lrel = num('lrel')
  if lrel ~= nil and released < lrel + iv then
    return reply(4, lrel + iv - released, 0, rate, -1, 0)
  end
end
local budget = tonumber(ARGV[3])
local used, left = -1, 0
if budget > 0 then
  local wait
  used, left, wait = budget_now(budget, tonumber(ARGV[4]))
  if left <= 0 then return reply(2, wait, 0, rate, used, 0) end
  count(now, 1)
  used, left = used + 1, left - 1
  local hl, hu = num('hleft'), num('huntil')
  if hl ~= nil and hu ~= nil and hu > now and hl > 0 then
    redis.call('HSET', H, 'hleft', s(hl - 1))
  end
end
if cfg > 0 then
  redis.call('HSET', H, 'lrel', s(released))
  if released + iv > (num('tat') or 0) then redis.call('HSET', H, 'tat', s(released + iv)) end
end
touch()
return reply(0, 0, 0, rate, used, left)
"
    ))
});

/// A pause (`Retry-After`, at most a day) for every process; on a 429, the
/// decrease half of the adaptation. A stale pause still counts, from when
/// it was sent (`ARGV[9]`), but lowers nothing. `a` is the pause left, `b`
/// 1 if the rate was lowered.
static PAUSE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(concat!(
        prelude!(),
        r"
local cfg = tonumber(ARGV[3])
local late = stale(tonumber(ARGV[8]))
local from = now
if late and tonumber(ARGV[9]) > 0 then from = tonumber(ARGV[9]) end
local paused = num('paused') or 0
if from + tonumber(ARGV[1]) > paused then
  paused = from + tonumber(ARGV[1])
  redis.call('HSET', H, 'paused', s(paused))
end
local rate = num('rate') or cfg
if rate > cfg or rate <= 0 then rate = cfg end
local lowered = 0
local window = tonumber(ARGV[7])
if ARGV[2] == '1' and not late then
  local rat = num('rat')
  local returned = rat ~= nil and now - rat <= window
  if rat ~= nil and not returned then redis.call('HDEL', H, 'rfrom', 'rat', 'lsince') end
  local l429 = num('l429')
  local hold = num('hold') or 0
  local isolated = (not returned) and rate >= cfg and (l429 == nil or now - l429 > window)
  redis.call('HSET', H, 'l429', s(now))
  if ARGV[4] == '1' and cfg > 0 and not isolated and now >= hold then
    if returned then
      rate = num('rfrom') or math.max(rate * tonumber(ARGV[5]), cfg * tonumber(ARGV[6]))
      redis.call('HDEL', H, 'rfrom', 'rat')
    else
      rate = math.max(rate * tonumber(ARGV[5]), cfg * tonumber(ARGV[6]))
    end
    redis.call('HSET', H, 'rate', tostring(rate), 'base', tostring(rate), 'bat', s(now),
               'hold', s(paused))
    if num('lsince') == nil then redis.call('HSET', H, 'lsince', s(now)) end
    lowered = 1
  end
end
touch()
return reply(0, math.max(paused - now, 0), lowered, rate, -1, 0)
"
    ))
});

/// Gong's count of the calls left today (`ARGV[1]`), kept until its reset
/// (`ARGV[2]` µs from now) when lower than the one already kept.
static HINT: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(concat!(
        prelude!(),
        r"
local hl, hu = num('hleft'), num('huntil')
local left = tonumber(ARGV[1])
if hl == nil or hu == nil or hu <= now or left < hl then
  redis.call('HSET', H, 'hleft', s(left), 'huntil', s(now + tonumber(ARGV[2])))
end
touch()
return reply(0, 0, 0, 0, -1, 0)
"
    ))
});

/// The daily budget as it stands, after counting the calls paced locally
/// during an outage (`ARGV[4..]`). `a` is the time until a call is allowed
/// when `left` is 0.
static BUDGET: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(concat!(
        prelude!(),
        r"
if stale(tonumber(ARGV[3])) then return reply(3, 0, 0, 0, -1, 0) end
local rate = num('rate') or 0
if #ARGV >= 5 then
  used_now()
  for i = 4, #ARGV - 1, 2 do count(now - tonumber(ARGV[i]), tonumber(ARGV[i + 1])) end
end
local used, left, wait = budget_now(tonumber(ARGV[1]), tonumber(ARGV[2]))
touch()
return reply(0, wait, 0, rate, used, left)
"
    ))
});

/// What a [`RedisPacer`] does when Redis cannot be reached.
///
/// ```
/// use gong_flows::{Credentials, RedisPacer, WhenUnavailable};
///
/// let credentials = Credentials::basic("ACCESS_KEY", "ACCESS_KEY_SECRET");
/// // Four processes share the limit: each paces at a quarter of it while Redis is down.
/// let pacer = RedisPacer::builder("redis://127.0.0.1:6379/0", "https://us-55616.api.gong.io")
///     .credentials(&credentials)
///     .when_unavailable(WhenUnavailable::PaceLocally { share: 0.25 })
///     .build()?;
/// assert!(!pacer.is_pacing_locally(), "nothing has failed yet");
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WhenUnavailable {
    /// Fail the call with [`Error::PacerUnavailable`] (the default): no
    /// call goes out unpaced, and a job stops instead of risking the
    /// company's limit.
    Fail,
    /// Pace locally at `share` of the rate until Redis answers again, e.g.
    /// `1/K` for K processes; Redis is tried again every few seconds.
    ///
    /// With a daily budget, the process spends at most `share` of what was
    /// left of the company's day at Redis' last answer (so K processes at
    /// `1/K` cannot overspend it together), then fails calls with
    /// [`Error::PacerUnavailable`] until Redis answers; a process that never
    /// reached Redis has no such figure and fails at once. The calls made
    /// meanwhile are added to the shared count, at the minute they were
    /// made, as soon as Redis answers again.
    PaceLocally {
        /// The share of the rate and of the day's rest this process takes
        /// alone (0..=1).
        share: f64,
    },
}

/// Who the limit belongs to, if not just the host.
#[derive(Debug, Clone)]
enum CompanyName {
    Host,
    Key(String),
    Fingerprint(Option<String>),
}

/// Configures a [`RedisPacer`].
#[derive(Clone)]
#[must_use]
pub struct RedisPacerBuilder {
    redis_url: String,
    namespace: Option<String>,
    company: CompanyName,
    base_url: String,
    rate: Option<f64>,
    daily_budget: Option<u32>,
    reserve: u32,
    margin: f64,
    adaptation: Adaptation,
    when_unavailable: WhenUnavailable,
    timeout: Duration,
}

impl fmt::Debug for RedisPacerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry Redis' password.
        f.debug_struct("RedisPacerBuilder")
            .field("url", &crate::client::redact_password(&self.redis_url))
            .field("namespace", &self.namespace)
            .field("company", &self.company)
            .field("base_url", &self.base_url)
            .field("rate", &self.rate)
            .field("daily_budget", &self.daily_budget)
            .field("reserve", &self.reserve)
            .field("when_unavailable", &self.when_unavailable)
            .finish_non_exhaustive()
    }
}

impl RedisPacerBuilder {
    /// The key namespace, in full: processes with the same namespace share
    /// one limit, other tenants of the same Redis are apart. By default it
    /// names the company ([`Company`]'s `Display`): the base URL's host (and
    /// port), with the credentials' fingerprint
    /// ([`credentials`](Self::credentials)) or a company key
    /// ([`company`](Self::company)) when given.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Names the company by a key of your own: the namespace is
    /// `HOST#KEY`. For a token provider (its tokens name no company), or to
    /// share one limit between credentials of one company.
    pub fn company(mut self, key: impl Into<String>) -> Self {
        self.company = CompanyName::Key(key.into());
        self
    }

    /// Names the company by the credentials' fingerprint
    /// ([`Credentials::fingerprint`], never a secret): the namespace is
    /// `HOST#FINGERPRINT`, so that two companies behind one host (a generic
    /// `api.gong.io`, a proxy) keep separate limits. A token provider has
    /// no fingerprint: [`build`](Self::build) then asks for a
    /// [`company`](Self::company) key.
    ///
    /// Without this or a company key, the namespace is the host alone, and
    /// every company on that host shares one limit.
    ///
    /// ```
    /// use gong_flows::{Credentials, RedisPacer};
    ///
    /// let credentials = Credentials::basic("ACCESS_KEY", "ACCESS_KEY_SECRET");
    /// let pacer = RedisPacer::builder("redis://127.0.0.1:6379/0", "https://api.gong.io")
    ///     .credentials(&credentials)
    ///     .build()?;
    /// assert!(pacer.namespace().starts_with("api.gong.io#"));
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn credentials(mut self, credentials: &Credentials) -> Self {
        self.company = CompanyName::Fingerprint(credentials.fingerprint());
        self
    }

    /// Calls per second for the whole company (default Gong's 3; `None`:
    /// no rate limit).
    pub fn rate_limit(mut self, calls_per_second: impl Into<Option<f64>>) -> Self {
        self.rate = calls_per_second.into();
        self
    }

    /// Calls per 24 hours for the whole company (default Gong's 10,000;
    /// `None`: no budget), counted over a rolling 24-hour window.
    pub fn daily_budget(mut self, calls: impl Into<Option<u32>>) -> Self {
        self.daily_budget = calls.into();
        self
    }

    /// Calls of the daily budget kept for the company's other integrations
    /// (default 0): calls fail with
    /// [`Error::DailyBudgetExhausted`] once the budget less the reserve is
    /// in the window. Must be below the budget.
    pub fn reserve(mut self, calls: u32) -> Self {
        self.reserve = calls;
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
    /// counts as unreachable (default 1 s). A script Redis runs later than
    /// half of this after it was sent changes nothing, so that a call the
    /// process gave up on and paced locally is never counted twice.
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
        let shown = crate::client::redact_password(&self.redis_url);
        let client = redis::Client::open(self.redis_url.as_str())
            .map_err(|e| config("pacer URL", format!("{shown:?} is not a Redis URL: {e}")))?;
        let namespace = match self.namespace {
            Some(namespace) => namespace,
            None => {
                let host = super::host_of(&self.base_url).map_err(|e| match e {
                    Error::Config { reason, .. } => config("base_url", reason),
                    other => other,
                })?;
                let fingerprint = match self.company {
                    CompanyName::Host => None,
                    CompanyName::Key(key) => Some(key),
                    CompanyName::Fingerprint(Some(fingerprint)) => Some(fingerprint),
                    CompanyName::Fingerprint(None) => {
                        return Err(config(
                            "pacer company",
                            "cannot come from a token provider's tokens: name it with \
                             RedisPacerBuilder::company(key)"
                                .to_owned(),
                        ));
                    }
                };
                Company { host, fingerprint }.to_string()
            }
        };
        if namespace.is_empty()
            || namespace.len() > 200
            || namespace
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '{' || c == '}')
        {
            return Err(config(
                "pacer namespace",
                format!("{namespace:?} must be 1 to 200 characters without spaces or braces"),
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
        match self.daily_budget {
            Some(budget) if self.reserve >= budget => {
                return Err(config(
                    "pacer reserve",
                    format!(
                        "must be below the daily budget of {budget} calls, got {}",
                        self.reserve
                    ),
                ));
            }
            None if self.reserve > 0 => {
                return Err(config(
                    "pacer reserve",
                    "needs a daily budget to be kept from".to_owned(),
                ));
            }
            _ => {}
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
            WhenUnavailable::PaceLocally { share } => Some(Fallback {
                // The day's rest is counted here, not by the local pacer.
                pacer: InProcessPacer::with_margin(rate.map(|r| r * share), None, margin)
                    .with_adaptation(self.adaptation),
                share,
            }),
        };
        Ok(RedisPacer {
            inner: Arc::new(Shared {
                shown_url: shown,
                key: format!("gong-flows:{{{namespace}}}:pacer"),
                day_key: format!("gong-flows:{{{namespace}}}:day"),
                namespace,
                rate,
                margin,
                daily_budget: self.daily_budget,
                reserve: self.reserve,
                adaptation: self.adaptation,
                timeout: self.timeout,
                client,
                manager_config,
                manager: Mutex::new(None),
                fallback,
                local: Mutex::new(Local {
                    rate,
                    ..Local::default()
                }),
                pauses: watch::Sender::new(None),
                epoch: Instant::now(),
            }),
        })
    }
}

/// A [`Pacer`] that keeps one limit for every process of a company in
/// Redis: the standard shared store for distributed rate limits.
///
/// The schedule (GCRA with a burst of one, as [`InProcessPacer`], spaced
/// from when each call is actually released), the pauses after 429s, the
/// adapted rate and the daily budget live in Redis, changed only by Lua
/// scripts (atomic, on Redis' own clock), so any number of processes, on
/// machines whose clocks disagree, send at most `rate` calls in any second
/// together. The daily budget is a rolling 24-hour window of per-minute
/// counters, as in [`InProcessPacer`], with an optional reserve. Keys are
/// `gong-flows:{<namespace>}:pacer` and `gong-flows:{<namespace>}:day`, the
/// namespace naming the company ([`RedisPacerBuilder::credentials`]); they
/// expire two days after the last call. A stored pause lasts at most a
/// day, whatever `Retry-After` said.
///
/// When Redis cannot be reached, the call fails with
/// [`Error::PacerUnavailable`] or, if configured, is paced locally at a
/// share of the rate and of the day's rest ([`WhenUnavailable`]); a call
/// never goes out unpaced, and calls paced locally are counted in Redis
/// once it answers.
///
/// ```no_run
/// use gong_flows::{Client, Credentials, RedisPacer, WhenUnavailable};
/// use std::sync::Arc;
///
/// let base = "https://us-55616.api.gong.io";
/// let credentials = Credentials::basic("ACCESS_KEY", "ACCESS_KEY_SECRET");
/// let pacer = RedisPacer::builder("redis://127.0.0.1:6379/0", base)
///     .credentials(&credentials)
///     .reserve(1_000)
///     .when_unavailable(WhenUnavailable::PaceLocally { share: 0.25 })
///     .build()?;
/// let client = Client::builder()
///     .base_url(base)
///     .credentials(credentials)
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
    day_key: String,
    rate: Option<f64>,
    margin: f64,
    daily_budget: Option<u32>,
    reserve: u32,
    adaptation: Adaptation,
    timeout: Duration,
    client: redis::Client,
    manager_config: ConnectionManagerConfig,
    /// Made on first use, inside the runtime it needs.
    manager: Mutex<Option<ConnectionManager>>,
    fallback: Option<Fallback>,
    local: Mutex<Local>,
    pauses: watch::Sender<Option<Instant>>,
    /// The origin of this process's microseconds, for Redis' clock offset.
    epoch: Instant,
}

/// Local pacing while Redis is unreachable.
#[derive(Debug)]
struct Fallback {
    pacer: InProcessPacer,
    share: f64,
}

/// What this process knows without asking Redis.
#[derive(Debug, Default)]
struct Local {
    /// The end of the latest pause this process set or learned of.
    paused_until: Option<Instant>,
    /// The shared rate as last seen.
    rate: Option<f64>,
    /// Redis failed: pace locally until then before trying it again.
    down_until: Option<Instant>,
    /// Redis' clock less this process's, in µs, at the last answer (a
    /// little behind Redis by the answer's way back).
    offset_us: Option<i64>,
    /// The shared state at Redis' latest answer.
    seen: Option<Seen>,
    /// During an outage: the calls this process may still pace locally.
    allowance: Option<u32>,
    /// Calls paced locally that Redis has not counted yet:
    /// `(first, last, calls)`, one entry per minute at most.
    unsynced: Vec<(Instant, Instant, u32)>,
}

/// The shared state as an answer told it.
#[derive(Debug, Clone, Copy)]
struct Seen {
    /// Redis' clock at the answer.
    at_us: i64,
    /// The calls in the window and left, from the latest answer that
    /// looked at the budget.
    count: Option<(u32, u32)>,
    last_429_us: i64,
    lowered_since_us: i64,
}

impl fmt::Debug for RedisPacer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisPacer")
            .field("url", &self.inner.shown_url)
            .field("namespace", &self.inner.namespace)
            .field("rate", &self.inner.rate)
            .field("daily_budget", &self.inner.daily_budget)
            .field("reserve", &self.inner.reserve)
            .finish_non_exhaustive()
    }
}

/// An answer of the scripts (see [`prelude!`]).
#[derive(Debug, Clone, Copy)]
struct Reply {
    now_us: i64,
    code: i64,
    a: i64,
    b: i64,
    rate_milli: i64,
    used: i64,
    left: i64,
    last_429_us: i64,
    lowered_since_us: i64,
}

const STALE: i64 = 3;

/// A reservation's outcome, as the script answers it.
enum Reserved {
    At { wait: Duration, slot_us: i64 },
    TooFar { wait: Duration, paused: bool },
    Spent(Error),
}

/// A release's outcome.
enum Released {
    Go,
    Again,
    After(Duration),
    Spent(Error),
}

/// How long Redis is left alone after a failure.
const RETRY_REDIS_AFTER: Duration = Duration::from_secs(2);

fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX / 2)
}

fn from_micros(us: i64) -> Duration {
    Duration::from_micros(u64::try_from(us).unwrap_or(0))
}

fn count_of(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

impl RedisPacer {
    /// Starts configuring a pacer on the Redis at `redis_url`
    /// (`redis://[:PASSWORD@]HOST:PORT/DB`) for the company whose API host
    /// is `base_url`.
    pub fn builder(redis_url: impl Into<String>, base_url: impl Into<String>) -> RedisPacerBuilder {
        RedisPacerBuilder {
            redis_url: redis_url.into(),
            namespace: None,
            company: CompanyName::Host,
            base_url: base_url.into(),
            rate: Some(crate::GONG_CALLS_PER_SECOND),
            daily_budget: Some(crate::GONG_DAILY_CALLS),
            reserve: 0,
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

    /// This process's clock in µs since the pacer was made.
    fn local_us(&self, at: Instant) -> i64 {
        micros(at.saturating_duration_since(self.epoch))
    }

    /// Redis' clock now, as far as this process can tell.
    fn redis_now_us(&self) -> Option<i64> {
        let offset = self.lock().offset_us?;
        Some(self.local_us(Instant::now()) + offset)
    }

    /// The latest Redis time at which a script sent now may still act.
    fn deadline_arg(&self) -> String {
        self.redis_now_us()
            .map_or(0, |now| now + micros(self.timeout / 2))
            .to_string()
    }

    /// Runs `script`; a failure says which Redis failed (its URL without
    /// its password), for the `Error::PacerUnavailable` it may become.
    async fn eval(
        &self,
        script: &redis::Script,
        args: &[String],
    ) -> std::result::Result<Reply, String> {
        self.eval_once(script, args)
            .await
            .map_err(|e| format!("Redis at {}: {e}", self.shown_url))
    }

    async fn eval_once(
        &self,
        script: &redis::Script,
        args: &[String],
    ) -> std::result::Result<Reply, String> {
        let mut invocation = script.key(&self.key);
        invocation.key(&self.day_key);
        for arg in args {
            invocation.arg(arg);
        }
        let mut connection = self.connection()?;
        let values: Vec<i64> = match tokio::time::timeout(
            self.timeout,
            invocation.invoke_async(&mut connection),
        )
        .await
        {
            Ok(Ok(values)) => values,
            Ok(Err(e)) => return Err(e.to_string()),
            Err(_) => return Err(format!("no answer within {:?}", self.timeout)),
        };
        let [
            now_us,
            code,
            a,
            b,
            rate_milli,
            used,
            left,
            last_429_us,
            lowered_since_us,
        ] = values[..]
        else {
            return Err(format!("unexpected answer from Redis: {values:?}"));
        };
        let reply = Reply {
            now_us,
            code,
            a,
            b,
            rate_milli,
            used,
            left,
            last_429_us,
            lowered_since_us,
        };
        self.note(&reply);
        if reply.code == STALE {
            return Err(format!(
                "Redis ran the script later than {:?} after it was sent",
                self.timeout / 2
            ));
        }
        Ok(reply)
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

    /// Learns Redis' clock, the shared rate and the shared count from an
    /// answer.
    fn note(&self, reply: &Reply) {
        let offset = reply.now_us - self.local_us(Instant::now());
        let mut local = self.lock();
        local.offset_us = Some(offset);
        if local.seen.is_none_or(|seen| seen.at_us <= reply.now_us) {
            let count = if reply.used >= 0 {
                Some((count_of(reply.used), count_of(reply.left)))
            } else {
                local.seen.and_then(|seen| seen.count)
            };
            local.seen = Some(Seen {
                at_us: reply.now_us,
                count,
                last_429_us: reply.last_429_us,
                lowered_since_us: reply.lowered_since_us,
            });
        }
        drop(local);
        if self.rate.is_some() && reply.rate_milli > 0 {
            self.note_rate(reply.rate_milli);
        }
    }

    fn rate_arg(&self) -> String {
        self.rate.unwrap_or(0.0).to_string()
    }

    fn budget_arg(&self) -> String {
        self.daily_budget.unwrap_or(0).to_string()
    }

    fn note_rate(&self, rate_milli: i64) {
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

    fn exhausted(&self, wait_us: i64) -> Error {
        let resets_in = from_micros(wait_us);
        Error::DailyBudgetExhausted {
            limit: self.daily_budget.unwrap_or(0).saturating_sub(self.reserve),
            resets_in,
            resets_at: super::wall_clock_in(resets_in),
        }
    }

    /// The calls paced locally and not yet counted, as script arguments
    /// (age in µs, calls), taken out until the script has answered.
    fn take_unsynced(&self) -> (Vec<(Instant, Instant, u32)>, Vec<String>) {
        if self.daily_budget.is_none() {
            return (Vec::new(), Vec::new());
        }
        let taken = std::mem::take(&mut self.lock().unsynced);
        let now = Instant::now();
        let args = taken
            .iter()
            .flat_map(|(_, last, calls)| {
                // The latest call of the minute: counted no earlier than made.
                [
                    micros(now.saturating_duration_since(*last)).to_string(),
                    calls.to_string(),
                ]
            })
            .collect();
        (taken, args)
    }

    /// The script failed: the calls are still to be counted.
    fn restore_unsynced(&self, mut taken: Vec<(Instant, Instant, u32)>) {
        if taken.is_empty() {
            return;
        }
        let mut local = self.lock();
        taken.append(&mut local.unsynced);
        local.unsynced = taken;
    }

    async fn reserve(&self, max_wait: Duration) -> std::result::Result<Reserved, String> {
        let a = &self.adaptation;
        let (taken, merge) = self.take_unsynced();
        let mut args = vec![
            micros(max_wait).to_string(),
            self.rate_arg(),
            self.margin.to_string(),
            self.budget_arg(),
            self.reserve.to_string(),
            if a.is_on() { "1" } else { "0" }.to_owned(),
            a.increase().to_string(),
            micros(a.quiet()).to_string(),
            micros(a.recovery()).to_string(),
            micros(a.window()).to_string(),
            self.deadline_arg(),
        ];
        args.extend(merge);
        let reply = match self.eval(&RESERVE, &args).await {
            Ok(reply) => reply,
            Err(message) => {
                self.restore_unsynced(taken);
                return Err(message);
            }
        };
        if !taken.is_empty() {
            let calls: u32 = taken.iter().map(|(_, _, calls)| calls).sum();
            tracing::info!(
                calls,
                "counted in Redis the calls paced locally while it was unreachable"
            );
        }
        Ok(match reply.code {
            0 => Reserved::At {
                wait: from_micros(reply.a),
                slot_us: reply.b,
            },
            1 => Reserved::TooFar {
                wait: from_micros(reply.a),
                paused: reply.b == 1,
            },
            _ => Reserved::Spent(self.exhausted(reply.a)),
        })
    }

    async fn release(&self, slot_us: i64, late: Duration) -> std::result::Result<Released, String> {
        let reply = self
            .eval(
                &RELEASE,
                &[
                    slot_us.to_string(),
                    micros(late).to_string(),
                    self.budget_arg(),
                    self.reserve.to_string(),
                    self.rate_arg(),
                    self.margin.to_string(),
                    self.deadline_arg(),
                ],
            )
            .await?;
        Ok(match reply.code {
            0 => Released::Go,
            1 => Released::Again,
            4 => Released::After(from_micros(reply.a)),
            _ => Released::Spent(self.exhausted(reply.a)),
        })
    }

    async fn pause(&self, wait: Duration, rate_limited: bool) -> std::result::Result<(), String> {
        let a = &self.adaptation;
        let sent_at = self.redis_now_us().unwrap_or(0);
        let reply = self
            .eval(
                &PAUSE,
                &[
                    // Whatever a server sent, a stored pause ends within a day.
                    micros(wait.min(DAY)).to_string(),
                    if rate_limited { "1" } else { "0" }.to_owned(),
                    self.rate_arg(),
                    if a.is_on() { "1" } else { "0" }.to_owned(),
                    a.decrease().to_string(),
                    a.floor().to_string(),
                    micros(a.window()).to_string(),
                    self.deadline_arg(),
                    sent_at.to_string(),
                ],
            )
            .await?;
        // Another process may have set a longer pause.
        self.set_local_pause(from_micros(reply.a));
        if reply.b == 1 {
            tracing::info!(
                calls_per_second = reply.rate_milli as f64 / 1000.0,
                "lowering the shared call rate: 429s although paced (other traffic shares the company's limit)"
            );
        }
        Ok(())
    }

    async fn hint(&self, left: u32, reset: Duration) -> std::result::Result<(), String> {
        self.eval(&HINT, &[left.to_string(), micros(reset).to_string()])
            .await
            .map(drop)
    }

    fn set_local_pause(&self, wait: Duration) {
        let now = Instant::now();
        let until = now.checked_add(wait.min(DAY)).unwrap_or(now);
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

    /// Redis answered: shared pacing again.
    fn reachable(&self) {
        let mut local = self.lock();
        if local.down_until.take().is_some() {
            local.allowance = None;
            drop(local);
            tracing::info!("Redis reachable again; pacing shared");
        }
    }

    /// Redis failed: the configured policy.
    async fn unavailable(&self, message: String, max_wait: Duration) -> Result<()> {
        let Some(fallback) = &self.fallback else {
            return Err(Error::PacerUnavailable { message });
        };
        let was_up = {
            let mut local = self.lock();
            let was_up = local.down_until.is_none();
            local.down_until = Some(Instant::now() + RETRY_REDIS_AFTER);
            was_up
        };
        if was_up {
            tracing::warn!(error = %message, "Redis unreachable; pacing locally at a share of the rate");
        }
        self.paced_locally(fallback, max_wait, &message).await
    }

    /// A call paced by the fallback, within this process's share of the
    /// day's rest, tallied for Redis.
    async fn paced_locally(
        &self,
        fallback: &Fallback,
        max_wait: Duration,
        why: &str,
    ) -> Result<()> {
        let budgeted = self.daily_budget.is_some();
        if budgeted {
            let mut local = self.lock();
            let allowance = match local.allowance {
                Some(allowance) => Some(allowance),
                None => {
                    let allowance = local
                        .seen
                        .and_then(|seen| seen.count)
                        .map(|(_, left)| (f64::from(left) * fallback.share).floor() as u32);
                    local.allowance = allowance;
                    allowance
                }
            };
            match allowance {
                None => {
                    return Err(Error::PacerUnavailable {
                        message: format!(
                            "{why}; the company's daily count was never read, so a call paced \
                             locally could overspend it"
                        ),
                    });
                }
                Some(0) => {
                    return Err(Error::PacerUnavailable {
                        message: format!(
                            "{why}; this process's share of what was left of the day is spent"
                        ),
                    });
                }
                Some(n) => local.allowance = Some(n - 1),
            }
        }
        match fallback.pacer.acquire(max_wait).await {
            Ok(()) => {
                if budgeted {
                    self.tally(Instant::now());
                }
                Ok(())
            }
            Err(error) => {
                if budgeted && let Some(allowance) = self.lock().allowance.as_mut() {
                    *allowance += 1;
                }
                Err(error)
            }
        }
    }

    /// Notes a call paced locally, grouped by minute.
    fn tally(&self, at: Instant) {
        let mut local = self.lock();
        match local.unsynced.last_mut() {
            Some((first, last, calls)) if at.saturating_duration_since(*first) < BUCKET => {
                *last = at;
                *calls += 1;
            }
            _ => local.unsynced.push((at, at, 1)),
        }
    }

    async fn acquire(&self, max_wait: Duration) -> Result<()> {
        let start = Instant::now();
        let deadline = start
            .checked_add(max_wait)
            .or_else(|| start.checked_add(DAY * 365))
            .unwrap_or(start);
        let mut pauses = self.pauses.subscribe();
        'reserve: loop {
            let now = Instant::now();
            let left = deadline.saturating_duration_since(now);
            // Redis failed a moment ago: stay local for a while.
            let down = self.lock().down_until;
            if let (Some(until), Some(fallback)) = (down, &self.fallback)
                && now < until
            {
                return self
                    .paced_locally(
                        fallback,
                        left,
                        &format!("Redis at {} was unreachable a moment ago", self.shown_url),
                    )
                    .await;
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
            self.reachable();
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
                Reserved::Spent(error) => return Err(error),
            };
            let slot = Instant::now() + wait;
            let mut at = slot;
            loop {
                if !super::wait_for_slot(at, &mut pauses).await {
                    continue 'reserve;
                }
                // Late (the task woke after its slot): the spacing counts
                // from now.
                let now = Instant::now();
                let released = if now.saturating_duration_since(at) <= TIMER_SLACK {
                    at
                } else {
                    now
                };
                match self
                    .release(slot_us, released.saturating_duration_since(slot))
                    .await
                {
                    Ok(Released::Go) => return Ok(()),
                    Ok(Released::Again) => continue 'reserve,
                    Ok(Released::After(wait)) => at = released + wait,
                    Ok(Released::Spent(error)) => return Err(error),
                    Err(message) => return self.unavailable(message, left).await,
                }
            }
        }
    }

    async fn budget(&self) -> Result<Option<Budget>> {
        let Some(limit) = self.daily_budget else {
            return Ok(None);
        };
        let (taken, merge) = self.take_unsynced();
        let mut args = vec![
            limit.to_string(),
            self.reserve.to_string(),
            self.deadline_arg(),
        ];
        args.extend(merge);
        match self.eval(&BUDGET, &args).await {
            Ok(reply) => {
                self.reachable();
                let left = count_of(reply.left);
                Ok(Some(Budget {
                    limit,
                    used: count_of(reply.used),
                    reserve: self.reserve,
                    left,
                    next_free_at: (left == 0).then(|| super::wall_clock_in(from_micros(reply.a))),
                }))
            }
            Err(message) => {
                self.restore_unsynced(taken);
                self.budget_while_down(limit, message)
            }
        }
    }

    /// The budget from the last answer and the calls paced locally since,
    /// while Redis cannot be asked.
    fn budget_while_down(&self, limit: u32, message: String) -> Result<Option<Budget>> {
        let local = self.lock();
        let (Some(fallback), Some((used, left))) =
            (&self.fallback, local.seen.and_then(|seen| seen.count))
        else {
            return Err(Error::PacerUnavailable { message });
        };
        let unsynced: u32 = local.unsynced.iter().map(|(_, _, calls)| calls).sum();
        let share = local
            .allowance
            .unwrap_or((f64::from(left) * fallback.share).floor() as u32);
        Ok(Some(Budget {
            limit,
            used: used.saturating_add(unsynced),
            reserve: self.reserve,
            left: left.saturating_sub(unsynced).min(share),
            next_free_at: None,
        }))
    }

    /// A time on Redis' clock as one on this machine's.
    fn wall_clock_of_redis(&self, redis_us: i64) -> Option<SystemTime> {
        let now = self.redis_now_us()?;
        let wall = SystemTime::now();
        let ago = now - redis_us;
        Some(if ago >= 0 {
            wall.checked_sub(from_micros(ago)).unwrap_or(wall)
        } else {
            wall.checked_add(from_micros(-ago)).unwrap_or(wall)
        })
    }

    fn adapted(&self) -> Option<Adapted> {
        let configured = self.rate?;
        let (rate, seen) = {
            let local = self.lock();
            (local.rate?, local.seen?)
        };
        if rate >= configured || seen.last_429_us <= 0 {
            return None;
        }
        let last_429 = self.wall_clock_of_redis(seen.last_429_us)?;
        let since = if seen.lowered_since_us > 0 {
            self.wall_clock_of_redis(seen.lowered_since_us)?
        } else {
            last_429
        };
        Some(Adapted {
            rate,
            configured,
            since,
            last_429,
        })
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

    /// One round trip to Redis (which also counts calls paced locally
    /// during an outage); while Redis cannot be reached and calls are paced
    /// locally, the last answer's figures less the calls made since.
    fn budget(&self) -> BudgetFuture<'_> {
        Box::pin(self.inner.budget())
    }

    /// The shared count of Redis' latest answer (no round trip).
    fn budget_now(&self) -> Option<Budget> {
        let limit = self.inner.daily_budget?;
        let (used, left) = self.inner.lock().seen?.count?;
        Some(Budget {
            limit,
            used,
            reserve: self.inner.reserve,
            left,
            next_free_at: None,
        })
    }

    /// As [`InProcessPacer`] does, for every process: `remaining: 0` is a
    /// shared pause until the reset, and a lower `daily_remaining` is kept
    /// in Redis until the daily reset (an hour without one).
    fn observe(&self, hint: &QuotaHint) {
        if let Some(fallback) = &self.inner.fallback {
            fallback.pacer.observe(hint);
        }
        if hint.remaining == Some(0) {
            self.report(hint.reset.unwrap_or(super::EMPTY_WINDOW_PAUSE), false);
        }
        let (Some(left), Some(_)) = (hint.daily_remaining, self.inner.daily_budget) else {
            return;
        };
        let reset = hint.daily_reset.unwrap_or(super::DAILY_HINT_HOLD).min(DAY);
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let inner = Arc::clone(&self.inner);
        runtime.spawn(async move {
            if let Err(message) = inner.hint(left, reset).await {
                tracing::warn!(error = %message, "could not record Gong's daily count in Redis");
            }
        });
    }

    fn adapted(&self) -> Option<Adapted> {
        self.inner.adapted()
    }
}

impl RedisPacer {
    /// Records a pause here at once and in Redis in the background.
    fn report(&self, wait: Duration, rate_limited: bool) {
        self.inner.set_local_pause(wait);
        if let Some(fallback) = &self.inner.fallback {
            if rate_limited {
                fallback.pacer.rate_limited(wait);
            } else {
                fallback.pacer.pause(wait);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unreachable_redis_is_named_without_its_password() {
        // Nothing listens on port 1 of the loopback address.
        let url = "redis://pacer-user:hunter2@127.0.0.1:1/0";
        for policy in [
            WhenUnavailable::Fail,
            WhenUnavailable::PaceLocally { share: 0.5 },
        ] {
            let pacer = RedisPacer::builder(url, "https://us-7.api.gong.io")
                .timeout(Duration::from_millis(200))
                .when_unavailable(policy)
                .build()
                .unwrap();
            let err = pacer.acquire(Duration::from_secs(1)).await.unwrap_err();
            assert!(matches!(err, Error::PacerUnavailable { .. }), "{err:?}");
            for shown in [err.to_string(), format!("{err:?}"), format!("{pacer:?}")] {
                assert!(
                    shown.contains("redis://pacer-user:***@127.0.0.1:1/0"),
                    "{shown}"
                );
                assert!(!shown.contains("hunter2"), "{shown}");
            }
        }
    }
}
