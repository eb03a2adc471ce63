//! Fault injection: what can go wrong with a call, how often, and the spec
//! string grammar the command line uses.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use rand::rngs::SmallRng;
use rand::{Rng as _, SeedableRng as _};

use crate::Endpoint;
use crate::util::{format_duration, parse_duration};

/// The longest delay a [`Fault::Timeout`] may hold an answer back. Long
/// enough to exceed any sensible client timeout, short enough that a
/// forgotten fault does not hang a test run.
pub const MAX_TIMEOUT_DELAY: Duration = Duration::from_secs(300);

/// Default delay of a [`Fault::Timeout`]: beyond common client timeouts.
pub const DEFAULT_TIMEOUT_DELAY: Duration = Duration::from_secs(30);

/// Default number of consecutive 429s in a [`Fault::RateLimitBurst`].
pub const DEFAULT_BURST_LENGTH: u32 = 3;

/// One injected failure, with its parameters.
///
/// Faults are decided after authentication and after the rate limiter
/// admitted the call. Which ones change state matters to a client that
/// retries writes:
///
/// | fault | answer | state changed? |
/// |---|---|---|
/// | `Status500`, `Status502`, `Status503` | that status, `ErrorResponse` | no |
/// | `RateLimitBurst` | 429 now and for the next `length - 1` calls (any endpoint) | no |
/// | `ConnectionReset` | the connection closes without an answer | no |
/// | `Timeout` | the normal answer, after `delay` | **yes** |
/// | `MalformedJson` | the normal 2xx answer with its body cut in half | **yes** |
/// | `AppliedThenFailed` | 500 | **yes** |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    /// 500 with an `ErrorResponse`; nothing is changed.
    Status500,
    /// 502 (a gateway in front of Gong failing); nothing is changed.
    Status502,
    /// 503 with a `Retry-After` of `retry_after` seconds; nothing is changed.
    Status503 {
        /// The `Retry-After` header value, in seconds.
        retry_after: u32,
    },
    /// 429 for this call and the next `length - 1` calls of any endpoint
    /// (Gong's limits are per company). These 429s do not count toward the
    /// rate limits.
    RateLimitBurst {
        /// How many consecutive calls get 429 (at least 1).
        length: u32,
    },
    /// The connection is closed without an answer, before processing.
    ConnectionReset,
    /// The call is processed, then the answer is held back for `delay` —
    /// longer than the client's timeout, so it cannot know whether a write
    /// happened.
    Timeout {
        /// How long the answer is held back (at most [`MAX_TIMEOUT_DELAY`]).
        delay: Duration,
    },
    /// The call is processed, and its 2xx answer arrives with a truncated
    /// JSON body.
    MalformedJson,
    /// The call is processed (a write really happens), then 500 is returned:
    /// the case that makes writes ambiguous.
    AppliedThenFailed,
}

impl Fault {
    /// The parameter-free kind of this fault, as counted by
    /// [`Counters::faults`](crate::Counters::faults).
    pub fn kind(&self) -> FaultKind {
        match self {
            Fault::Status500 => FaultKind::Status500,
            Fault::Status502 => FaultKind::Status502,
            Fault::Status503 { .. } => FaultKind::Status503,
            Fault::RateLimitBurst { .. } => FaultKind::RateLimitBurst,
            Fault::ConnectionReset => FaultKind::ConnectionReset,
            Fault::Timeout { .. } => FaultKind::Timeout,
            Fault::MalformedJson => FaultKind::MalformedJson,
            Fault::AppliedThenFailed => FaultKind::AppliedThenFailed,
        }
    }

    /// The fault of this kind with default parameters.
    pub fn default_of(kind: FaultKind) -> Fault {
        match kind {
            FaultKind::Status500 => Fault::Status500,
            FaultKind::Status502 => Fault::Status502,
            FaultKind::Status503 => Fault::Status503 { retry_after: 1 },
            FaultKind::RateLimitBurst => Fault::RateLimitBurst {
                length: DEFAULT_BURST_LENGTH,
            },
            FaultKind::ConnectionReset => Fault::ConnectionReset,
            FaultKind::Timeout => Fault::Timeout {
                delay: DEFAULT_TIMEOUT_DELAY,
            },
            FaultKind::MalformedJson => Fault::MalformedJson,
            FaultKind::AppliedThenFailed => Fault::AppliedThenFailed,
        }
    }

    fn validate(&self) -> Result<(), String> {
        match *self {
            Fault::RateLimitBurst { length: 0 } => {
                Err("a 429 burst needs a length of at least 1".to_owned())
            }
            Fault::Timeout { delay } if delay > MAX_TIMEOUT_DELAY => Err(format!(
                "a timeout delay of {} exceeds the maximum of {}",
                format_duration(delay),
                format_duration(MAX_TIMEOUT_DELAY)
            )),
            _ => Ok(()),
        }
    }

    /// Writes the `kind[:param]` part of the spec grammar.
    fn write_spec(&self, f: &mut fmt::Formatter<'_>, probability: f64) -> fmt::Result {
        write!(f, "{}={probability}", self.kind().spec_name())?;
        match *self {
            Fault::Status503 { retry_after } => write!(f, ":{retry_after}"),
            Fault::RateLimitBurst { length } => write!(f, ":{length}"),
            Fault::Timeout { delay } => write!(f, ":{}", format_duration(delay)),
            _ => Ok(()),
        }
    }
}

/// The kind of a [`Fault`], without parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// [`Fault::Status500`].
    Status500,
    /// [`Fault::Status502`].
    Status502,
    /// [`Fault::Status503`].
    Status503,
    /// [`Fault::RateLimitBurst`].
    RateLimitBurst,
    /// [`Fault::ConnectionReset`].
    ConnectionReset,
    /// [`Fault::Timeout`].
    Timeout,
    /// [`Fault::MalformedJson`].
    MalformedJson,
    /// [`Fault::AppliedThenFailed`].
    AppliedThenFailed,
}

impl FaultKind {
    /// Every kind.
    pub const ALL: [FaultKind; 8] = [
        FaultKind::Status500,
        FaultKind::Status502,
        FaultKind::Status503,
        FaultKind::RateLimitBurst,
        FaultKind::ConnectionReset,
        FaultKind::Timeout,
        FaultKind::MalformedJson,
        FaultKind::AppliedThenFailed,
    ];

    /// The name used in fault specs (`500`, `429-burst`, `reset`, …).
    pub fn spec_name(self) -> &'static str {
        match self {
            FaultKind::Status500 => "500",
            FaultKind::Status502 => "502",
            FaultKind::Status503 => "503",
            FaultKind::RateLimitBurst => "429-burst",
            FaultKind::ConnectionReset => "reset",
            FaultKind::Timeout => "timeout",
            FaultKind::MalformedJson => "malformed",
            FaultKind::AppliedThenFailed => "applied-then-failed",
        }
    }

    fn from_spec_name(name: &str) -> Option<FaultKind> {
        Some(match name.to_ascii_lowercase().as_str() {
            "500" => FaultKind::Status500,
            "502" => FaultKind::Status502,
            "503" => FaultKind::Status503,
            "429-burst" | "429" | "burst" => FaultKind::RateLimitBurst,
            "reset" | "connection-reset" => FaultKind::ConnectionReset,
            "timeout" => FaultKind::Timeout,
            "malformed" | "malformed-json" => FaultKind::MalformedJson,
            "applied-then-failed" => FaultKind::AppliedThenFailed,
            _ => return None,
        })
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spec_name())
    }
}

/// A fault served with some probability on every call of some endpoints.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultRule {
    /// The fault to serve.
    pub fault: Fault,
    /// Probability per call, in `[0, 1]`.
    pub probability: f64,
    /// The endpoints it applies to; empty means every endpoint.
    pub endpoints: Vec<Endpoint>,
}

impl FaultRule {
    /// A rule for every endpoint.
    pub fn new(fault: Fault, probability: f64) -> Self {
        Self {
            fault,
            probability,
            endpoints: Vec::new(),
        }
    }

    /// Restricts the rule to `endpoint` (may be called more than once).
    pub fn on(mut self, endpoint: Endpoint) -> Self {
        self.endpoints.push(endpoint);
        self
    }

    fn applies_to(&self, endpoint: Endpoint) -> bool {
        self.endpoints.is_empty() || self.endpoints.contains(&endpoint)
    }
}

/// Probabilistic fault injection: rules and an optional seed of their own.
///
/// # Spec grammar
///
/// The command line's `--faults` takes a spec string, parsed by
/// [`FromStr`]:
///
/// ```text
/// spec     = "" | "none" | part *( ";" part )
/// part     = item *( "," item )
/// item     = "seed=" u64
///          | kind "=" probability [ ":" param ] [ "@" operationId *( "|" operationId ) ]
/// kind     = "500" | "502" | "503" | "429-burst" | "reset" | "timeout"
///          | "malformed" | "applied-then-failed"
/// ```
///
/// - `probability` is a decimal in `[0, 1]`, the chance per call.
/// - `param` is, for `429-burst`, the number of consecutive 429s (default
///   3); for `503`, the `Retry-After` seconds (default 1); for `timeout`, the
///   delay as a duration like `45s` or `500ms` (default 30s, at most 300s).
///   Other kinds take none.
/// - `@operationId` limits the item to those endpoints (case-insensitive
///   `operationId`s joined by `|`); without it the item applies to every
///   endpoint.
/// - For every endpoint, the probabilities of the items applying to it may
///   add up to at most 1: each call draws one number and serves at most one
///   fault.
/// - `seed=N` seeds the fault draws; without it they are seeded from the
///   simulator's seed.
/// - Whitespace around items is ignored.
///
/// ```
/// use gong_flows_sim::{Fault, FaultConfig, Endpoint};
///
/// let config: FaultConfig =
///     "500=0.05,429-burst=0.01:3,timeout=0.01:45s,applied-then-failed=0.05@assignProspects;seed=7"
///         .parse()
///         .unwrap();
/// assert_eq!(config.seed, Some(7));
/// assert_eq!(config.rules.len(), 4);
/// assert_eq!(config.rules[1].fault, Fault::RateLimitBurst { length: 3 });
/// assert_eq!(config.rules[3].endpoints, vec![Endpoint::AssignProspects]);
/// assert!("500=1.5".parse::<FaultConfig>().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultConfig {
    /// The rules, tried in order with one draw per call.
    pub rules: Vec<FaultRule>,
    /// Seed of the fault draws; `None` derives it from the simulator's seed.
    pub seed: Option<u64>,
}

impl FaultConfig {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds a rule.
    pub fn with(mut self, rule: FaultRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Sets the seed of the fault draws.
    pub fn seeded(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Checks probabilities and parameters.
    pub fn validate(&self) -> Result<(), SpecError> {
        for rule in &self.rules {
            if !(0.0..=1.0).contains(&rule.probability) {
                return Err(SpecError::new(
                    rule.fault.kind().spec_name(),
                    format!("probability {} is not within [0, 1]", rule.probability),
                ));
            }
            rule.fault
                .validate()
                .map_err(|reason| SpecError::new(rule.fault.kind().spec_name(), reason))?;
        }
        for op in Endpoint::ALL {
            let sum: f64 = self
                .rules
                .iter()
                .filter(|r| r.applies_to(op))
                .map(|r| r.probability)
                .sum();
            if sum > 1.0 + 1e-9 {
                return Err(SpecError::new(
                    op.operation_id(),
                    format!("fault probabilities for {op} add up to {sum}, more than 1"),
                ));
            }
        }
        Ok(())
    }
}

impl fmt::Display for FaultConfig {
    /// Writes the config back in the spec grammar.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rules.is_empty() && self.seed.is_none() {
            return f.write_str("none");
        }
        for (i, rule) in self.rules.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            rule.fault.write_spec(f, rule.probability)?;
            for (j, op) in rule.endpoints.iter().enumerate() {
                f.write_str(if j == 0 { "@" } else { "|" })?;
                f.write_str(op.operation_id())?;
            }
        }
        if let Some(seed) = self.seed {
            if !self.rules.is_empty() {
                f.write_str(";")?;
            }
            write!(f, "seed={seed}")?;
        }
        Ok(())
    }
}

/// A spec string (faults or latency) that could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("in `{item}`: {reason}")]
pub struct SpecError {
    /// The offending part of the spec.
    pub item: String,
    /// What is wrong with it.
    pub reason: String,
}

impl SpecError {
    pub(crate) fn new(item: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            item: item.into(),
            reason: reason.into(),
        }
    }
}

impl FromStr for FaultConfig {
    type Err = SpecError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut config = FaultConfig::default();
        let trimmed = spec.trim();
        if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("none") {
            return Ok(config);
        }
        for item in trimmed.split([';', ',']).map(str::trim) {
            if item.is_empty() {
                return Err(SpecError::new(spec, "empty item (stray `,` or `;`)"));
            }
            if let Some(seed) = item.strip_prefix("seed=") {
                let seed = seed
                    .trim()
                    .parse()
                    .map_err(|_| SpecError::new(item, "the seed must be an unsigned integer"))?;
                config.seed = Some(seed);
                continue;
            }
            config.rules.push(parse_rule(item)?);
        }
        config.validate()?;
        Ok(config)
    }
}

fn parse_rule(item: &str) -> Result<FaultRule, SpecError> {
    let err = |reason: String| SpecError::new(item, reason);
    let (head, endpoints) = match item.split_once('@') {
        Some((head, ops)) => {
            let ops = ops
                .split('|')
                .map(|op| {
                    op.trim()
                        .parse::<Endpoint>()
                        .map_err(|e| err(e.to_string()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            (head, ops)
        }
        None => (item, Vec::new()),
    };
    let (kind, value) = head
        .split_once('=')
        .ok_or_else(|| err("expected `kind=probability`".to_owned()))?;
    let kind = FaultKind::from_spec_name(kind.trim()).ok_or_else(|| {
        err(format!(
            "unknown fault kind `{}` (expected one of {})",
            kind.trim(),
            FaultKind::ALL.map(FaultKind::spec_name).join(", ")
        ))
    })?;
    let (probability, param) = match value.split_once(':') {
        Some((p, param)) => (p, Some(param.trim())),
        None => (value, None),
    };
    let probability: f64 = probability
        .trim()
        .parse()
        .map_err(|_| err(format!("`{}` is not a probability", probability.trim())))?;
    if !(0.0..=1.0).contains(&probability) {
        return Err(err(format!(
            "probability {probability} is not within [0, 1]"
        )));
    }
    let fault = match (kind, param) {
        (_, None) => Fault::default_of(kind),
        (FaultKind::RateLimitBurst, Some(p)) => Fault::RateLimitBurst {
            length: p
                .parse()
                .map_err(|_| err(format!("burst length `{p}` is not a positive integer")))?,
        },
        (FaultKind::Status503, Some(p)) => Fault::Status503 {
            retry_after: p
                .parse()
                .map_err(|_| err(format!("Retry-After `{p}` is not a number of seconds")))?,
        },
        (FaultKind::Timeout, Some(p)) => Fault::Timeout {
            delay: parse_duration(p).map_err(err)?,
        },
        (kind, Some(_)) => {
            return Err(err(format!(
                "`{}` takes no `:` parameter",
                kind.spec_name()
            )));
        }
    };
    fault.validate().map_err(err)?;
    Ok(FaultRule {
        fault,
        probability,
        endpoints,
    })
}

/// A scripted fault: the next `remaining` calls of `endpoint` (or of any
/// endpoint) get `fault`.
#[derive(Clone, Debug)]
struct Script {
    endpoint: Option<Endpoint>,
    fault: Fault,
    remaining: u32,
}

/// The live fault machinery: rules, scripts, an active 429 burst, and the
/// seeded generator.
#[derive(Debug)]
pub(crate) struct FaultState {
    config: FaultConfig,
    scripts: VecDeque<Script>,
    burst_remaining: u32,
    rng: SmallRng,
}

impl FaultState {
    pub(crate) fn new(config: FaultConfig, sim_seed: u64) -> Self {
        let seed = config
            .seed
            .unwrap_or_else(|| crate::util::splitmix64(sim_seed ^ 0x6661_756c_7473_0000));
        Self {
            config,
            scripts: VecDeque::new(),
            burst_remaining: 0,
            rng: SmallRng::seed_from_u64(seed),
        }
    }

    pub(crate) fn set_config(&mut self, config: FaultConfig, sim_seed: u64) {
        let scripts = std::mem::take(&mut self.scripts);
        *self = Self::new(config, sim_seed);
        self.scripts = scripts;
    }

    pub(crate) fn script(&mut self, endpoint: Option<Endpoint>, fault: Fault, count: u32) {
        let fault = match fault {
            Fault::Timeout { delay } => Fault::Timeout {
                delay: delay.min(MAX_TIMEOUT_DELAY),
            },
            other => other,
        };
        if count > 0 {
            self.scripts.push_back(Script {
                endpoint,
                fault,
                remaining: count,
            });
        }
    }

    pub(crate) fn clear_scripts(&mut self) {
        self.scripts.clear();
        self.burst_remaining = 0;
    }

    /// Decides the fault for one admitted call of `endpoint`: a running
    /// burst first, then scripts in the order they were added, then one
    /// probabilistic draw.
    pub(crate) fn draw(&mut self, endpoint: Endpoint) -> Option<Fault> {
        if self.burst_remaining > 0 {
            self.burst_remaining -= 1;
            return Some(Fault::RateLimitBurst { length: 1 });
        }
        let scripted = self
            .scripts
            .iter()
            .position(|s| s.endpoint.is_none_or(|op| op == endpoint));
        let fault = if let Some(index) = scripted {
            let script = &mut self.scripts[index];
            script.remaining -= 1;
            let fault = script.fault;
            if script.remaining == 0 {
                self.scripts.remove(index);
            }
            Some(fault)
        } else if self.config.rules.iter().any(|r| r.applies_to(endpoint)) {
            let roll: f64 = self.rng.random();
            let mut cumulative = 0.0;
            self.config
                .rules
                .iter()
                .filter(|r| r.applies_to(endpoint))
                .find(|r| {
                    cumulative += r.probability;
                    roll < cumulative
                })
                .map(|r| r.fault)
        } else {
            None
        };
        if let Some(Fault::RateLimitBurst { length }) = fault {
            self.burst_remaining = length.saturating_sub(1);
        }
        fault
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_full_example() {
        let config: FaultConfig = "500=0.05,502=0.02,503=0.02,429-burst=0.01:3,reset=0.02,\
             timeout=0.01,malformed=0.02,applied-then-failed=0.05@assignProspects;seed=7"
            .parse()
            .unwrap();
        assert_eq!(config.seed, Some(7));
        assert_eq!(config.rules.len(), 8);
        assert_eq!(config.rules[2].fault, Fault::Status503 { retry_after: 1 });
        assert_eq!(
            config.rules[5].fault,
            Fault::Timeout {
                delay: DEFAULT_TIMEOUT_DELAY
            }
        );
        assert_eq!(config.rules[7].endpoints, vec![Endpoint::AssignProspects]);
        let again: FaultConfig = config.to_string().parse().unwrap();
        assert_eq!(again, config);
    }

    #[test]
    fn rejects_bad_specs() {
        for bad in [
            "501=0.1",
            "500",
            "500=x",
            "500=-0.1",
            "500=1.1",
            "500=0.6,502=0.6",
            "reset=0.1:3",
            "429-burst=0.1:0",
            "timeout=0.1:10h",
            "500=0.1@nope",
            "seed=x",
            "500=0.1,,502=0.1",
        ] {
            assert!(bad.parse::<FaultConfig>().is_err(), "{bad} should fail");
        }
        assert!(
            "500=0.6@assignProspects,502=0.6@listFlows"
                .parse::<FaultConfig>()
                .is_ok()
        );
        assert_eq!("none".parse::<FaultConfig>(), Ok(FaultConfig::none()));
        assert_eq!("".parse::<FaultConfig>(), Ok(FaultConfig::none()));
    }

    #[test]
    fn scripts_and_bursts() {
        let mut state = FaultState::new(FaultConfig::none(), 1);
        state.script(Some(Endpoint::AssignProspects), Fault::Status500, 2);
        state.script(None, Fault::RateLimitBurst { length: 2 }, 1);
        assert_eq!(
            state.draw(Endpoint::ListFlows),
            Some(Fault::RateLimitBurst { length: 2 })
        );
        assert_eq!(
            state.draw(Endpoint::ListFlows),
            Some(Fault::RateLimitBurst { length: 1 })
        );
        assert_eq!(
            state.draw(Endpoint::AssignProspects),
            Some(Fault::Status500)
        );
        assert_eq!(state.draw(Endpoint::ListFlows), None);
        assert_eq!(
            state.draw(Endpoint::AssignProspects),
            Some(Fault::Status500)
        );
        assert_eq!(state.draw(Endpoint::AssignProspects), None);
    }

    #[test]
    fn certain_and_impossible_rules() {
        let config =
            FaultConfig::none().with(FaultRule::new(Fault::Status502, 1.0).on(Endpoint::ListFlows));
        let mut state = FaultState::new(config, 1);
        for _ in 0..20 {
            assert_eq!(state.draw(Endpoint::ListFlows), Some(Fault::Status502));
            assert_eq!(state.draw(Endpoint::AssignProspects), None);
        }
    }
}
