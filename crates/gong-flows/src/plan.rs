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

/// A plan as a dry run shows it: what the job is, where its inputs came
/// from, the company it would run for, what the plan's check read from
/// Gong, and the time it takes at the job's rate. Its `Display` is the
/// text the `gong-flows` command prints; it serializes to the JSON that
/// `--dry-run --json` prints (`{"operation": "assign", "dryRun": true, …}`).
///
/// ```
/// let mut plan = gong_flows::Plan::empty();
/// plan.inputs = 450;
/// plan.calls = 6;
/// plan.calls_at_least = 3;
/// let mut dry = gong_flows::DryRun::new("assign", plan);
/// dry.what = "assign to flow 1 (owner a@b.co)".into();
/// dry.rate = Some(3.0);
/// let text = dry.to_string();
/// assert!(text.starts_with("Dry run: assign to flow 1 (owner a@b.co); nothing was sent.\n"));
/// assert!(text.contains("\n  calls        3 to 6 (1 ids per chunk)\n"), "{text}");
/// assert_eq!(serde_json::to_value(&dry).unwrap()["calls"], 6);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DryRun {
    /// The operation, as reports name it (`assign`, `unassign`, …).
    pub operation: String,
    /// What the job would do, on one line.
    pub what: String,
    /// The flow, if the job names one.
    pub flow_id: Option<String>,
    /// The owner (or the user asking for a removal), if the job names one.
    pub owner_email: Option<String>,
    /// The CSV column the ids came from, and how it was chosen (`None`:
    /// one id a line).
    pub column: Option<String>,
    /// The first ids, to check the column is the right one.
    pub sample: Vec<String>,
    /// What looks wrong in the input (ids that look like emails, say).
    pub warnings: Vec<String>,
    /// The company (profile and host) the job would run for.
    pub tenant: String,
    /// What the plan's check read from Gong to prove the job can run
    /// (`None`: Gong was not asked).
    pub check: Option<crate::CheckReport>,
    /// Whether the plan was made without credentials (so Gong could not
    /// be asked).
    pub offline: bool,
    /// Calls per second the job would run at (`None`: unpaced).
    pub rate: Option<f64>,
    /// The plan.
    pub plan: Plan,
}

impl DryRun {
    /// The dry run of `operation`'s `plan`, with nothing else known yet.
    pub fn new(operation: impl Into<String>, plan: Plan) -> Self {
        let operation = operation.into();
        Self {
            what: operation.clone(),
            operation,
            flow_id: None,
            owner_email: None,
            column: None,
            sample: Vec::new(),
            warnings: Vec::new(),
            tenant: String::new(),
            check: None,
            offline: false,
            rate: None,
            plan,
        }
    }

    /// How long the calls take at [`rate`](Self::rate), in seconds, at
    /// most.
    pub fn estimated_seconds(&self) -> Option<f64> {
        self.rate
            .and_then(|r| self.plan.duration_at(r))
            .map(|d| d.as_secs_f64())
    }
}

/// The JSON of a dry run.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DryRunJson<'a> {
    operation: &'a str,
    dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner_email: Option<&'a str>,
    unique_ids: usize,
    duplicates: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<&'a str>,
    sample: &'a [String],
    warnings: &'a [String],
    chunk_size: usize,
    calls: usize,
    calls_at_least: usize,
    bounded: bool,
    reads_made: u32,
    tenant: &'a str,
    check: Option<&'a crate::CheckReport>,
    rate: Option<f64>,
    estimated_seconds: Option<f64>,
    daily_quota_percent: f64,
}

impl Serialize for DryRun {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let plan = &self.plan;
        DryRunJson {
            operation: &self.operation,
            dry_run: true,
            flow_id: self.flow_id.as_deref(),
            owner_email: self.owner_email.as_deref(),
            unique_ids: plan.inputs,
            duplicates: &plan.duplicates,
            column: self.column.as_deref(),
            sample: &self.sample,
            warnings: &self.warnings,
            chunk_size: plan.chunk_size,
            calls: plan.calls,
            calls_at_least: plan.calls_at_least,
            bounded: plan.bounded,
            reads_made: plan.reads_made,
            tenant: &self.tenant,
            check: self.check.as_ref(),
            rate: self.rate,
            estimated_seconds: self.estimated_seconds(),
            daily_quota_percent: plan.daily_share(crate::GONG_DAILY_CALLS),
        }
        .serialize(serializer)
    }
}

/// `Dry run: …; nothing was sent.`, then a line per figure and a line per
/// warning.
impl fmt::Display for DryRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (plan, daily) = (&self.plan, crate::GONG_DAILY_CALLS);
        let time = match self.rate.and_then(|r| plan.time_at(r)) {
            Some(time) => format!("~{time} at most"),
            None => "unpaced".to_owned(),
        };
        let rate = self.rate.map_or("off".to_owned(), |r| format!("{r}/s"));
        let quota = format!(
            "{:.2}% of Gong's {daily} calls per day at most",
            plan.daily_share(daily)
        );
        let calls = if !plan.bounded {
            format!("{} or more", plan.calls_at_least)
        } else if plan.calls == plan.calls_at_least {
            plan.calls.to_string()
        } else {
            format!("{} to {}", plan.calls_at_least, plan.calls)
        };
        let checked = match (&self.check, self.offline) {
            (Some(check), _) => check.to_string(),
            (None, true) => "nothing: no credentials, Gong was not asked".to_owned(),
            (None, false) => "nothing".to_owned(),
        };
        let column = self.column.as_deref().unwrap_or("one per line");
        let calls = format!("{calls} ({} ids per chunk)", plan.chunk_size);
        let mut rows = vec![
            ["tenant", &self.tenant].map(str::to_owned),
            ["checked", &checked].map(str::to_owned),
            ["ids", column].map(str::to_owned),
            ["sample".into(), self.sample.join(", ")],
            ["unique ids".into(), plan.inputs.to_string()],
            ["duplicates".into(), plan.duplicates.len().to_string()],
            ["calls".into(), calls],
            [format!("time at {rate}"), time],
            ["daily quota".into(), quota],
        ];
        if plan.reads_made > 0 {
            let reads = format!("{} look-up calls (already made)", plan.reads_made);
            rows.push(["read to plan".into(), reads]);
        }
        writeln!(f, "Dry run: {}; nothing was sent.", self.what)?;
        let rows: Vec<Vec<String>> = rows.into_iter().map(Vec::from).collect();
        crate::summary::aligned(f, &rows)?;
        for warning in &self.warnings {
            writeln!(f, "  warning: {warning}")?;
        }
        if plan.calls > daily as usize {
            writeln!(
                f,
                "  warning: more calls than Gong allows in a day; the job will stop when the \
                 budget is spent and can be resumed the next day"
            )?;
        }
        Ok(())
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
