//! What the simulator has served, for tests and benchmarks to assert on.

use std::collections::BTreeMap;

use crate::{Endpoint, FaultKind};

/// Calls of one endpoint, by outcome. Every call routed to the endpoint
/// counts in `calls` and in exactly one of the other fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndpointCounters {
    /// Calls routed to this endpoint (any outcome).
    pub calls: u64,
    /// Answered 2xx by normal processing, without a fault.
    pub succeeded: u64,
    /// Answered 4xx by normal processing (400, 401, 403, 404, 413), not 429.
    pub rejected: u64,
    /// Answered 429 by the rate limiter.
    pub rate_limited: u64,
    /// Served an injected fault (including a 429 burst).
    pub faulted: u64,
}

/// A snapshot of the simulator's counters
/// ([`Simulator::counters`](crate::Simulator::counters)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Every request received, including unknown paths.
    pub total: u64,
    /// Per endpoint (every endpoint is present).
    pub endpoints: BTreeMap<Endpoint, EndpointCounters>,
    /// Faults served, per kind (every kind is present).
    pub faults: BTreeMap<FaultKind, u64>,
    /// 429s served by the rate limiter (not counting 429-burst faults).
    pub rate_limited: u64,
    /// 401s served.
    pub unauthorized: u64,
    /// 403s served.
    pub forbidden: u64,
    /// Requests for unknown paths or with the wrong method.
    pub unrouted: u64,
}

impl Counters {
    /// The counters of one endpoint.
    pub fn endpoint(&self, op: Endpoint) -> EndpointCounters {
        self.endpoints.get(&op).copied().unwrap_or_default()
    }

    /// Calls routed to `op`.
    pub fn calls(&self, op: Endpoint) -> u64 {
        self.endpoint(op).calls
    }

    /// Successful (2xx, unfaulted) calls of `op`.
    pub fn succeeded(&self, op: Endpoint) -> u64 {
        self.endpoint(op).succeeded
    }

    /// Faults of `kind` served.
    pub fn faults_of(&self, kind: FaultKind) -> u64 {
        self.faults.get(&kind).copied().unwrap_or_default()
    }

    /// Faults served, all kinds.
    pub fn total_faults(&self) -> u64 {
        self.faults.values().sum()
    }

    /// Every 429 served: by the limiter and by 429-burst faults.
    pub fn too_many_requests(&self) -> u64 {
        self.rate_limited + self.faults_of(FaultKind::RateLimitBurst)
    }
}

/// How a routed call ended, for counting.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Outcome {
    Succeeded,
    Rejected,
    Unauthorized,
    Forbidden,
    RateLimited,
    Faulted(FaultKind),
}

/// The live counters, array-indexed to keep each update O(1).
#[derive(Debug, Default)]
pub(crate) struct CounterState {
    total: u64,
    unrouted: u64,
    unauthorized: u64,
    forbidden: u64,
    rate_limited: u64,
    endpoints: [EndpointCounters; 10],
    faults: [u64; 8],
}

impl CounterState {
    pub(crate) fn request(&mut self) {
        self.total += 1;
    }

    pub(crate) fn unrouted(&mut self) {
        self.unrouted += 1;
    }

    pub(crate) fn call(&mut self, op: Endpoint) {
        self.endpoints[op.index()].calls += 1;
    }

    pub(crate) fn outcome(&mut self, op: Endpoint, outcome: Outcome) {
        let counters = &mut self.endpoints[op.index()];
        match outcome {
            Outcome::Succeeded => counters.succeeded += 1,
            Outcome::Rejected => counters.rejected += 1,
            Outcome::Unauthorized => {
                counters.rejected += 1;
                self.unauthorized += 1;
            }
            Outcome::Forbidden => {
                counters.rejected += 1;
                self.forbidden += 1;
            }
            Outcome::RateLimited => {
                counters.rate_limited += 1;
                self.rate_limited += 1;
            }
            Outcome::Faulted(kind) => {
                counters.faulted += 1;
                self.faults[kind as usize] += 1;
            }
        }
    }

    pub(crate) fn snapshot(&self) -> Counters {
        Counters {
            total: self.total,
            endpoints: Endpoint::ALL
                .into_iter()
                .map(|op| (op, self.endpoints[op.index()]))
                .collect(),
            faults: FaultKind::ALL
                .into_iter()
                .map(|kind| (kind, self.faults[kind as usize]))
                .collect(),
            rate_limited: self.rate_limited,
            unauthorized: self.unauthorized,
            forbidden: self.forbidden,
            unrouted: self.unrouted,
        }
    }
}
