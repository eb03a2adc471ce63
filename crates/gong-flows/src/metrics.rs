//! Metrics of every call and job, for a platform team's dashboards:
//! [`MetricsObserver`] (the `metrics` feature).
//!
//! It is an [`Observer`] like any other, set with
//! [`ClientBuilder::observe`](crate::ClientBuilder::observe), and records
//! through the [`metrics`](https://docs.rs/metrics) facade: whatever
//! recorder the program installed (`metrics-exporter-prometheus`,
//! `metrics-exporter-statsd`, an OpenTelemetry bridge, …) receives them.
//! Without a recorder, recording does nothing.
//!
//! Why the `metrics` facade rather than OpenTelemetry's metrics API: it is
//! what the Rust ecosystem's exporters plug into, a library that records
//! through it ties its users to no SDK and no exporter (they choose, or
//! choose none), and it costs one small crate. Traces already speak
//! OpenTelemetry: the `gong_flows.call` span has its HTTP client field
//! names, and the `outcome` label below is its `error.type`.
//!
//! | name | type | labels | meaning |
//! | --- | --- | --- | --- |
//! | `gong_flows_calls_total` | counter | `operation`, `outcome` | HTTP attempts, retries and look-ups included; `outcome` is `ok` or the attempt's `error.type` (`429`, `500`, `timeout`, `connection`, `decode`, …) |
//! | `gong_flows_rate_limited_total` | counter | `operation` | attempts answered 429 |
//! | `gong_flows_retries_total` | counter | `operation`, `outcome` | failed attempts the SDK tries again, by what failed |
//! | `gong_flows_attempt_duration_seconds` | histogram | `operation` | from sending an attempt to the end of its answer |
//! | `gong_flows_pacer_wait_seconds` | histogram | `operation` | how long an attempt waited for the pacer (its slot, a 429's pause, a spent daily quota) |
//! | `gong_flows_pacer_rate` | gauge | | the pace in calls per second; below the configured one while adapting to 429s |
//! | `gong_flows_quota_limit` | gauge | | calls allowed per 24 hours |
//! | `gong_flows_quota_used` | gauge | | calls of the current 24-hour window |
//! | `gong_flows_quota_left` | gauge | | calls still allowed now, less the reserve |
//! | `gong_flows_jobs_started_total` | counter | `operation` | jobs started |
//! | `gong_flows_jobs_finished_total` | counter | `operation`, `stopped_by` | jobs over; `stopped_by` is `none` or the kind of error that stopped it early (`rate-limited`, `cancelled`, …) |
//! | `gong_flows_job_inputs_total` | counter | `operation`, `outcome` | inputs of jobs as their parts are ready: `outcome` is `done`, `refused` (by Gong) or `not_attempted` |
//!
//! Every label has a bounded set of values: Gong's ten operations, HTTP
//! statuses and the SDK's error kinds. No id, email or flow is a label: a
//! flow id is a value without bound (a sync may go through thousands), and
//! each job's report says what happened to each flow and input. The
//! gauges carry no label and follow the last attempt: a program with
//! several clients (several companies) tells them apart with labels of its
//! own, added to every metric with [`MetricsObserver::with_label`].
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> gong_flows::Result<()> {
//! use gong_flows::metrics::MetricsObserver;
//! # let sim = gong_flows_sim::Simulator::start(Default::default()).unwrap();
//! # let base_url = sim.base_url();
//!
//! // Install an exporter's recorder first (e.g. with
//! // `metrics_exporter_prometheus::PrometheusBuilder::new().install()`).
//! let client = gong_flows::Client::builder()
//!     .base_url(base_url)
//!     .basic_auth(gong_flows_sim::DEFAULT_ACCESS_KEY, gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET)
//!     .observe(MetricsObserver::new().with_label("company", "acme"))
//!     .build()?;
//! let flows = client.list_flows(gong_flows_sim::dataset::DEFAULT_USER_EMAIL).send().await?;
//! # let _ = flows;
//! # Ok(()) }
//! ```

use crate::observe::{Attempt, JobEvent, JobStage, Observer};
use ::metrics::{Label, Unit};

/// Records every attempt and job of a client as metrics (see the
/// [module](self) for the names, labels and their meaning). Set it with
/// [`ClientBuilder::observe`](crate::ClientBuilder::observe).
///
/// ```
/// use gong_flows::metrics::MetricsObserver;
///
/// let client = gong_flows::Client::builder()
///     .base_url("https://us-55616.api.gong.io")
///     .bearer_token("TOKEN")
///     .observe(MetricsObserver::new())
///     .build()?;
/// # let _ = client;
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MetricsObserver {
    /// Labels of the caller's, on every metric.
    labels: Vec<Label>,
}

impl MetricsObserver {
    /// An observer recording through the `metrics` recorder installed when
    /// each metric is recorded. Describes the metrics (their units and
    /// meaning) to the recorder installed now, so make it after installing
    /// the exporter.
    ///
    /// ```
    /// let observer = gong_flows::metrics::MetricsObserver::new();
    /// # let _ = observer;
    /// ```
    pub fn new() -> Self {
        describe();
        Self::default()
    }

    /// Adds the label `key` = `value` to every metric this observer
    /// records: to tell the clients of several companies (or
    /// environments) apart. Keep its values few; `operation`, `outcome`
    /// and `stopped_by` are this crate's own.
    ///
    /// ```
    /// use gong_flows::metrics::MetricsObserver;
    ///
    /// let eu = MetricsObserver::new().with_label("company", "acme-eu");
    /// # let _ = eu;
    /// ```
    pub fn with_label(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.labels.push(Label::new(key, value.into()));
        self
    }

    /// The caller's labels and then `more`.
    fn labels(&self, more: impl IntoIterator<Item = Label>) -> Vec<Label> {
        self.labels.iter().cloned().chain(more).collect()
    }
}

impl Observer for MetricsObserver {
    fn on_attempt(&self, attempt: &Attempt<'_>) {
        let operation = || Label::new("operation", attempt.operation);
        let outcome = attempt
            .error_type()
            .unwrap_or(std::borrow::Cow::Borrowed("ok"));
        let by_outcome = self.labels([operation(), Label::new("outcome", outcome)]);
        ::metrics::counter!("gong_flows_calls_total", by_outcome.iter()).increment(1);
        if attempt.will_retry {
            ::metrics::counter!("gong_flows_retries_total", by_outcome.iter()).increment(1);
        }
        let by_operation = self.labels([operation()]);
        if attempt.is_rate_limited() {
            ::metrics::counter!("gong_flows_rate_limited_total", by_operation.iter()).increment(1);
        }
        ::metrics::histogram!("gong_flows_attempt_duration_seconds", by_operation.iter())
            .record(attempt.duration);
        ::metrics::histogram!("gong_flows_pacer_wait_seconds", by_operation.iter())
            .record(attempt.pacer_wait);
        let plain = self.labels([]);
        if let Some(rate) = attempt.rate {
            ::metrics::gauge!("gong_flows_pacer_rate", plain.iter()).set(rate);
        }
        if let Some(budget) = &attempt.budget {
            ::metrics::gauge!("gong_flows_quota_limit", plain.iter()).set(budget.limit);
            ::metrics::gauge!("gong_flows_quota_used", plain.iter()).set(budget.used);
            ::metrics::gauge!("gong_flows_quota_left", plain.iter()).set(budget.left);
        }
    }

    fn on_job(&self, event: &JobEvent<'_>) {
        let operation = || Label::new("operation", event.operation);
        match event.stage {
            JobStage::Started => {
                let labels = self.labels([operation()]);
                ::metrics::counter!("gong_flows_jobs_started_total", labels.iter()).increment(1);
            }
            JobStage::Part => {
                let done = event
                    .part_inputs
                    .saturating_sub(event.part_refused)
                    .saturating_sub(event.part_not_attempted);
                for (outcome, count) in [
                    ("done", done),
                    ("refused", event.part_refused),
                    ("not_attempted", event.part_not_attempted),
                ] {
                    let labels = self.labels([operation(), Label::new("outcome", outcome)]);
                    ::metrics::counter!("gong_flows_job_inputs_total", labels.iter())
                        .increment(count as u64);
                }
            }
            JobStage::Finished => {
                let stopped_by = event.progress.stopped.as_ref().map_or("none", |e| e.kind());
                let labels = self.labels([operation(), Label::new("stopped_by", stopped_by)]);
                ::metrics::counter!("gong_flows_jobs_finished_total", labels.iter()).increment(1);
            }
        }
    }
}

/// Tells the recorder installed now what each metric is.
fn describe() {
    use ::metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "gong_flows_calls_total",
        "HTTP attempts to Gong, retries and look-ups included, by operation and outcome"
    );
    describe_counter!(
        "gong_flows_rate_limited_total",
        "Attempts Gong answered 429 (Too Many Requests)"
    );
    describe_counter!(
        "gong_flows_retries_total",
        "Failed attempts tried again, by operation and what failed"
    );
    describe_histogram!(
        "gong_flows_attempt_duration_seconds",
        Unit::Seconds,
        "From sending an attempt to the end of its answer"
    );
    describe_histogram!(
        "gong_flows_pacer_wait_seconds",
        Unit::Seconds,
        "How long an attempt waited for the pacer before it went"
    );
    describe_gauge!(
        "gong_flows_pacer_rate",
        "The pace in calls per second, lowered while adapting to 429s"
    );
    describe_gauge!(
        "gong_flows_quota_limit",
        Unit::Count,
        "Calls allowed per 24 hours"
    );
    describe_gauge!(
        "gong_flows_quota_used",
        Unit::Count,
        "Calls of the current 24-hour window"
    );
    describe_gauge!(
        "gong_flows_quota_left",
        Unit::Count,
        "Calls still allowed now, less the reserve"
    );
    describe_counter!("gong_flows_jobs_started_total", "Jobs started");
    describe_counter!(
        "gong_flows_jobs_finished_total",
        "Jobs over, by what stopped them early (none: complete)"
    );
    describe_counter!(
        "gong_flows_job_inputs_total",
        "Inputs of jobs by outcome: done, refused (by Gong), not_attempted"
    );
}
