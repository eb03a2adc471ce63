//! `MetricsObserver` counts what the report and the server count: every
//! attempt (a 429 and a 500 retried in the middle of a job), each input's
//! outcome, the job's start and end, and the pacer's rate and quota.
//!
//! Each test installs its own recorder on its thread only, and runs on a
//! current-thread runtime, so every task of the job (and the simulator)
//! records there.

#![cfg(feature = "metrics")]

use gong_flows::metrics::MetricsObserver;
use gong_flows::{Client, Error, RetryPolicy};
use gong_flows_sim::{Endpoint, Fault, FaultKind, SimConfig, Simulator, dataset};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use metrics_util::{CompositeKey, MetricKind};
use std::time::Duration;

const FLOW: &str = dataset::SDR_FLOW_ID;
const OWNER: &str = dataset::DEFAULT_USER_EMAIL;

/// One snapshot of the recorder, read by name and labels.
struct Metrics(Vec<(CompositeKey, DebugValue)>);

impl Metrics {
    fn take(snapshotter: &Snapshotter) -> Self {
        Self(
            snapshotter
                .snapshot()
                .into_vec()
                .into_iter()
                .map(|(key, _, _, value)| (key, value))
                .collect(),
        )
    }

    /// The metrics of `kind` named `name` whose labels include `labels`.
    fn matching<'a>(
        &'a self,
        kind: MetricKind,
        name: &'a str,
        labels: &'a [(&'a str, &'a str)],
    ) -> impl Iterator<Item = &'a DebugValue> + 'a {
        self.0
            .iter()
            .filter(move |(key, _)| {
                key.kind() == kind
                    && key.key().name() == name
                    && labels.iter().all(|(k, v)| {
                        key.key()
                            .labels()
                            .any(|label| label.key() == *k && label.value() == *v)
                    })
            })
            .map(|(_, value)| value)
    }

    /// The sum of the counters named `name` with `labels`.
    fn counter(&self, name: &str, labels: &[(&str, &str)]) -> u64 {
        self.matching(MetricKind::Counter, name, labels)
            .map(|value| match value {
                DebugValue::Counter(n) => *n,
                other => panic!("{name} is a counter: {other:?}"),
            })
            .sum()
    }

    /// The value of the one gauge named `name` with `labels`.
    fn gauge(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let mut found = self.matching(MetricKind::Gauge, name, labels);
        let value = found.next().map(|value| match value {
            DebugValue::Gauge(g) => g.into_inner(),
            other => panic!("{name} is a gauge: {other:?}"),
        });
        assert!(found.next().is_none(), "one {name} gauge");
        value
    }

    /// Every value recorded in the histograms named `name` with `labels`.
    fn histogram(&self, name: &str, labels: &[(&str, &str)]) -> Vec<f64> {
        self.matching(MetricKind::Histogram, name, labels)
            .flat_map(|value| match value {
                DebugValue::Histogram(values) => {
                    values.iter().map(|v| v.into_inner()).collect::<Vec<f64>>()
                }
                other => panic!("{name} is a histogram: {other:?}"),
            })
            .collect::<Vec<_>>()
    }

    /// The distinct values of label `label` among the metrics named `name`.
    fn label_values(&self, name: &str, label: &str) -> Vec<String> {
        let mut values: Vec<String> = self
            .0
            .iter()
            .filter(|(key, _)| key.key().name() == name)
            .flat_map(|(key, _)| {
                key.key()
                    .labels()
                    .filter(|l| l.key() == label)
                    .map(|l| l.value().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        values.sort();
        values.dedup();
        values
    }
}

fn sim_client(sim: &Simulator, observer: MetricsObserver) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        // Paced (so that the rate and the quota are known), fast enough for
        // a test; on the paused clock, no timeout fires while waiting.
        .rate_limit(50.0)
        .daily_budget(1_000)
        .daily_reserve(100)
        .request_timeout(None)
        .connect_timeout(None)
        .retry_policy(
            RetryPolicy::default()
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(20)),
        )
        .observe(observer)
        .build()
        .unwrap()
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:04}")).collect()
}

#[tokio::test(start_paused = true)]
async fn counters_equal_the_reports_stats_and_the_servers_calls_through_a_429_and_a_500() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _local = metrics::set_default_local_recorder(&recorder);

    let sim = Simulator::start(SimConfig::default().no_rate_limits().daily_limit(None)).unwrap();
    let client = sim_client(&sim, MetricsObserver::new().with_label("company", "acme"));
    let crm = ids("met", 450);
    // Refused by Gong: already in an exclusive flow. Done without a new
    // instance: already in this flow.
    for id in &crm[..3] {
        sim.assign_directly(dataset::EXCLUSIVE_FLOW_ID, id).unwrap();
    }
    for id in &crm[3..5] {
        sim.assign_directly(FLOW, id).unwrap();
    }
    sim.reset_counters();
    // Three assign calls (and the look-ups of the prospects already in the
    // flow): the first answered 429 (Retry-After 1 s), the next 500, each
    // tried again.
    sim.script_faults(
        Some(Endpoint::AssignProspects),
        Fault::RateLimitBurst { length: 1 },
        1,
    );
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::Status500, 1);

    let report = client
        .assign(FLOW, OWNER)
        .prospects(&crm)
        .send()
        .await
        .unwrap();
    let metrics = Metrics::take(&snapshotter);
    let server_calls = sim.counters().total;

    assert!(report.is_complete(), "{report}");
    assert_eq!(report.not_assigned.len(), 3, "{report}");
    assert_eq!(
        report.assigned.len() + report.already_in_flow.len(),
        447,
        "{report}"
    );
    assert_eq!(u64::from(report.stats.requests), server_calls);

    let op = ("operation", "assignProspects");
    let calls = metrics.counter("gong_flows_calls_total", &[]);
    assert_eq!(calls, u64::from(report.stats.requests));
    assert_eq!(calls, server_calls);
    let assigns = sim.counters().calls(Endpoint::AssignProspects);
    assert_eq!(metrics.counter("gong_flows_calls_total", &[op]), assigns);
    assert_eq!(assigns, 5, "3 calls and 2 retries");
    assert_eq!(
        metrics.counter("gong_flows_calls_total", &[op, ("outcome", "ok")]),
        3
    );
    assert_eq!(
        metrics.counter("gong_flows_calls_total", &[op, ("outcome", "429")]),
        1
    );
    assert_eq!(
        metrics.counter("gong_flows_calls_total", &[op, ("outcome", "500")]),
        1
    );
    assert_eq!(metrics.counter("gong_flows_rate_limited_total", &[op]), 1);
    assert_eq!(metrics.counter("gong_flows_retries_total", &[op]), 2);
    assert_eq!(
        metrics.counter("gong_flows_retries_total", &[op, ("outcome", "429")]),
        1
    );

    // One duration and one pacer wait per attempt; the retry after the
    // 429 waited out its Retry-After in the pacer.
    let durations = metrics.histogram("gong_flows_attempt_duration_seconds", &[]);
    assert_eq!(durations.len() as u64, calls);
    let waits = metrics.histogram("gong_flows_pacer_wait_seconds", &[]);
    assert_eq!(waits.len() as u64, calls);
    assert!(
        waits.iter().any(|w| *w >= 1.0),
        "a wait of the 429's second: {waits:?}"
    );

    // The inputs, as the report sorts them.
    let inputs =
        |outcome| metrics.counter("gong_flows_job_inputs_total", &[op, ("outcome", outcome)]);
    let done = report.assigned.len() + report.already_in_flow.len();
    assert_eq!(inputs("done"), done as u64);
    assert_eq!(inputs("refused"), report.not_assigned.len() as u64);
    assert_eq!(inputs("not_attempted"), report.not_attempted.len() as u64);
    assert_eq!(inputs("done") + inputs("refused"), 450);
    assert_eq!(metrics.counter("gong_flows_jobs_started_total", &[op]), 1);
    assert_eq!(
        metrics.counter(
            "gong_flows_jobs_finished_total",
            &[op, ("stopped_by", "none")]
        ),
        1
    );

    // The pacer's rate and its budget after the last attempt.
    assert_eq!(metrics.gauge("gong_flows_pacer_rate", &[]), Some(50.0));
    assert_eq!(metrics.gauge("gong_flows_quota_limit", &[]), Some(1_000.0));
    let used = metrics.gauge("gong_flows_quota_used", &[]).unwrap();
    assert_eq!(used, calls as f64, "every attempt counts against the day");
    assert_eq!(
        metrics.gauge("gong_flows_quota_left", &[]),
        Some(1_000.0 - 100.0 - used)
    );

    // The caller's label is on every metric; no label carries an id.
    for (key, _) in &metrics.0 {
        let labels: Vec<_> = key.key().labels().collect();
        assert!(
            labels
                .iter()
                .any(|l| l.key() == "company" && l.value() == "acme"),
            "{key:?}"
        );
        for label in labels {
            assert!(
                !label.value().contains("met-") && !label.value().contains(FLOW),
                "{key:?}"
            );
        }
    }
    sim.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_job_stopped_early_counts_its_inputs_not_attempted_and_why_it_stopped() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _local = metrics::set_default_local_recorder(&recorder);

    let sim = Simulator::start(SimConfig::default().no_rate_limits().daily_limit(None)).unwrap();
    let client = sim_client(&sim, MetricsObserver::new());
    // Every assign fails with 500: once its retries are spent, the job stops.
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::Status500, 100);
    let report = client
        .assign(FLOW, OWNER)
        .prospects(ids("stop", 450))
        .send()
        .await
        .expect_err("a job stopped by 500s is an Err")
        .into_report()
        .expect("with its report");
    let metrics = Metrics::take(&snapshotter);
    let stopped = report.stats.stopped.clone().expect("the job stopped");
    assert!(matches!(*stopped, Error::Server(_)), "{stopped:?}");

    let op = ("operation", "assignProspects");
    let counters = sim.counters();
    assert_eq!(
        metrics.counter("gong_flows_calls_total", &[]),
        u64::from(report.stats.requests)
    );
    assert_eq!(
        metrics.counter("gong_flows_calls_total", &[]),
        counters.total
    );
    assert_eq!(
        metrics.counter("gong_flows_calls_total", &[op, ("outcome", "500")]),
        counters.faults_of(FaultKind::Status500)
    );
    assert!(counters.faults_of(FaultKind::Status500) >= 4, "retried");
    assert_eq!(
        metrics.counter(
            "gong_flows_job_inputs_total",
            &[op, ("outcome", "not_attempted")]
        ),
        report.not_attempted.len() as u64
    );
    assert_eq!(report.not_attempted.len(), 450);
    assert_eq!(
        metrics.counter(
            "gong_flows_jobs_finished_total",
            &[op, ("stopped_by", stopped.kind())]
        ),
        1
    );
    assert_eq!(
        metrics.label_values("gong_flows_jobs_finished_total", "stopped_by"),
        [stopped.kind()]
    );
    sim.shutdown().await;
}
