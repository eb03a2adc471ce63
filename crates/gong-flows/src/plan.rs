//! Plans: what a job will cost in calls before it is started.

use crate::error::Result;
use crate::job::{IntoJob, ItemOf, Job, prepare};
use serde::Serialize;
use std::fmt;
use std::time::Duration;

/// What a job will send, before anything is: its unique inputs, and the
/// calls it takes when nothing fails, as a range. `calls` is an upper bound
/// the job does not exceed without faults (a fault costs retries and
/// look-ups on top); where the bound needs to know what is in Gong first
/// (unassign from every flow), the plan made those reads and says how many.
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client, ids: Vec<String>) -> gong_flows::Result<()> {
/// let plan = client.assign("1695493301223590792", "owner@example.com").prospects(ids).plan()?;
/// println!("{plan}"); // 4500 prospects in 23 calls (at most 46), 0.46% of Gong's day
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Plan {
    /// Unique inputs.
    pub inputs: usize,
    /// Inputs given more than once (sent once).
    pub duplicates: Vec<String>,
    /// Inputs per chunk.
    pub chunk_size: usize,
    /// Calls the job makes at least, when nothing fails.
    pub calls_at_least: usize,
    /// Calls the job makes at most, when nothing fails (when `bounded`).
    pub calls: usize,
    /// Whether `calls` bounds the job. Unassign from every flow is bounded
    /// only after looking up the prospects' instances
    /// ([`plan_with_reads`](crate::UnassignProspects::plan_with_reads)).
    pub bounded: bool,
    /// Read calls the plan itself made to bound `calls` (they count
    /// against the day's quota too).
    pub reads_made: u32,
}

impl Plan {
    /// The plan of a job with nothing to do.
    pub fn empty() -> Self {
        Self {
            inputs: 0,
            duplicates: Vec::new(),
            chunk_size: 1,
            calls_at_least: 0,
            calls: 0,
            bounded: true,
            reads_made: 0,
        }
    }

    /// The share of a day's quota of `daily_limit` calls the job takes at
    /// most, in percent.
    pub fn daily_share(&self, daily_limit: u32) -> f64 {
        (self.calls + self.reads_made as usize) as f64 * 100.0 / f64::from(daily_limit.max(1))
    }

    /// How long the calls take at `rate` calls per second, at most.
    pub fn duration_at(&self, rate: f64) -> Option<Duration> {
        (rate.is_finite() && rate > 0.0).then(|| Duration::from_secs_f64(self.calls as f64 / rate))
    }

    /// [`duration_at`](Self::duration_at) as people read it, rounded up to
    /// the second.
    ///
    /// ```
    /// let mut plan = gong_flows::Plan::empty();
    /// plan.calls = 270;
    /// assert_eq!(plan.time_at(3.0).as_deref(), Some("1m 30s"));
    /// plan.calls = 1;
    /// assert_eq!(plan.time_at(3.0).as_deref(), Some("1s"));
    /// ```
    pub fn time_at(&self, rate: f64) -> Option<String> {
        let seconds = self.duration_at(rate)?.as_secs_f64().ceil();
        Some(crate::error::span(Duration::from_secs(seconds as u64)))
    }
}

/// `N inputs in A calls (at most B)`.
impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} inputs in {} calls", self.inputs, self.calls_at_least)?;
        if !self.bounded {
            write!(f, " or more (not bounded without look-ups)")?;
        } else if self.calls != self.calls_at_least {
            write!(f, " (at most {})", self.calls)?;
        }
        if self.reads_made > 0 {
            write!(f, ", after {} look-ups to bound it", self.reads_made)?;
        }
        write!(
            f,
            ", {:.2}% of Gong's day",
            self.daily_share(crate::GONG_DAILY_CALLS)
        )
    }
}

/// A plan, with the chunks it does not know the calls of without reading
/// what is in Gong first, and the job.
pub(crate) struct Planned<B: IntoJob> {
    pub plan: Plan,
    pub unknown: Vec<Vec<ItemOf<B>>>,
    pub job: std::sync::Arc<B::Job>,
}

/// The plan of a job's inputs: the calls of each chunk added up.
pub(crate) fn plan<B: IntoJob>(builder: B) -> Result<Planned<B>> {
    let (job, items) = builder.into_job()?;
    let (items, duplicates) = prepare(&*job, items)?;
    let size = job.chunk_size().max(1);
    let mut plan = Plan {
        inputs: items.len(),
        duplicates,
        chunk_size: size,
        calls_at_least: 0,
        calls: 0,
        bounded: true,
        reads_made: 0,
    };
    let mut unknown = Vec::new();
    for chunk in items.chunks(size) {
        let (least, most) = job.chunk_calls(chunk);
        plan.calls_at_least += least;
        match most {
            Some(most) => plan.calls += most,
            None => {
                plan.bounded = false;
                plan.calls += least;
                unknown.push(chunk.to_vec());
            }
        }
    }
    Ok(Planned { plan, unknown, job })
}

/// The plan of a job, for builders: `plan()` on each bulk operation.
macro_rules! plan_method {
    ($builder:ident) => {
        impl $builder {
            /// What the job will send: its unique inputs and the calls it
            /// takes when nothing fails (see [`Plan`](crate::Plan)). Checks
            /// the inputs like `send()`; sends nothing.
            pub fn plan(&self) -> $crate::Result<$crate::Plan> {
                Ok($crate::plan::plan(self.clone())?.plan)
            }
        }
    };
}

pub(crate) use plan_method;

impl crate::UnassignProspects {
    /// Like `plan()`, and from every flow (without `flow_id`) it first
    /// looks up the prospects' open instances, so that `calls` bounds the
    /// job (one call of 200 instances each); `reads_made` counts those
    /// look-ups. With a flow, it reads nothing.
    pub async fn plan_with_reads(&self) -> Result<Plan> {
        let Planned {
            mut plan,
            unknown,
            job,
        } = plan(self.clone())?;
        if unknown.is_empty() {
            return Ok(plan);
        }
        let ids: Vec<String> = unknown.iter().flatten().map(|t| t.id.clone()).collect();
        let client = job.client();
        let found = client
            .prospects_flows()
            .crm_prospect_ids(ids)
            .send()
            .await?;
        let found = found.check()?;
        plan.reads_made += found.stats.requests;
        let mut open: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for instance in &found.instances {
            if crate::ops::unassign_job::is_open(instance.status.as_ref())
                && let Some(id) = instance.crm_prospect_id.as_deref()
            {
                *open.entry(id).or_default() += 1;
            }
        }
        let limit = client.inner.chunk_sizes.unassign_instances().max(1);
        for chunk in &unknown {
            let instances: usize = chunk
                .iter()
                .map(|t| open.get(t.id.as_str()).copied().unwrap_or(0))
                .sum();
            // `plan` counted each such chunk's look-up already.
            plan.calls += instances.div_ceil(limit);
        }
        plan.bounded = true;
        Ok(plan)
    }
}
