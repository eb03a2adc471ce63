//! Chaos: large jobs through the ergonomic client against a simulator that
//! faults a fifth of all calls, in every way it knows, including writes it
//! applies and then answers with 500. Nothing may be lost or doubled.

use gong_flows::{AssignErrorCode, AssignReport, Client, RetryPolicy};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, FaultConfig, FaultKind, SimConfig, Simulator,
    dataset,
};
use proptest::prelude::*;
use std::collections::HashSet;
use std::time::Duration;

const FLOW: &str = dataset::SDR_FLOW_ID;
const OWNER: &str = dataset::DEFAULT_USER_EMAIL;

/// Every fault kind at once, about 22 % of all calls. 429 bursts and 503s
/// are kept rare or short because each one pauses every caller.
const ALL_FAULTS: &str = "500=0.04,502=0.03,503=0.02:0,429-burst=0.003:2,reset=0.03,\
                          timeout=0.005:3s,malformed=0.03,applied-then-failed=0.06";

fn client(sim: &Simulator, concurrency: usize) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .unpaced()
        .concurrency(concurrency)
        // Short enough that a held-back answer times out quickly.
        .request_timeout(Duration::from_millis(1500))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(10)
                .with_base_delay(Duration::from_millis(2))
                .with_max_delay(Duration::from_millis(20))
                .with_time_limit(Duration::from_secs(120)),
        )
        .build()
        .unwrap()
}

/// Checks the report against the simulator's own state.
fn check(
    report: &AssignReport,
    input: &[String],
    sim: &Simulator,
    refused_by_sim: &HashSet<String>,
) {
    let unique: HashSet<&str> = input.iter().map(String::as_str).collect();
    let mut placed = Vec::with_capacity(unique.len());
    placed.extend(report.assigned.iter().map(|a| a.id.as_str()));
    placed.extend(report.already_in_flow.iter().map(|a| a.id.as_str()));
    placed.extend(report.not_assigned.iter().map(|n| n.id.as_str()));
    placed.extend(report.not_attempted.iter().map(|n| n.id.as_str()));
    let placed_set: HashSet<&str> = placed.iter().copied().collect();
    assert_eq!(placed.len(), placed_set.len(), "an id is reported twice");
    assert_eq!(
        placed_set, unique,
        "the report does not partition the input"
    );

    let state = sim.state();
    assert_eq!(
        state.assigned_more_than_once(),
        Vec::<(String, String, u32)>::new(),
        "a prospect was assigned twice"
    );
    let in_flow: HashSet<&str> = state.prospects_in_flow(FLOW).into_iter().collect();
    for assigned in &report.assigned {
        let id = assigned.id.as_str();
        assert!(
            in_flow.contains(id),
            "{id} reported assigned but not in the flow"
        );
        assert_eq!(state.times_assigned(FLOW, id), 1, "{id}");
    }
    for refused in &report.not_assigned {
        let id = refused.id.as_str();
        assert!(
            !in_flow.contains(id),
            "{id} reported refused but is in the flow"
        );
        assert!(
            refused_by_sim.contains(id),
            "{id} refused though the simulator accepts it"
        );
    }
    // Every id the simulator refuses is reported refused (none got lost in
    // retries), and with the right code.
    let reported_refused: HashSet<&str> =
        report.not_assigned.iter().map(|n| n.id.as_str()).collect();
    let attempted_refusals: HashSet<&str> = refused_by_sim
        .iter()
        .map(String::as_str)
        .filter(|id| !report.not_attempted.iter().any(|n| n.id == *id))
        .collect();
    assert_eq!(reported_refused, attempted_refusals);
    for refused in &report.not_assigned {
        let expected = if refused.id.starts_with("unknown") {
            AssignErrorCode::InvalidArgument
        } else {
            AssignErrorCode::InvalidState
        };
        assert_eq!(refused.error_code.as_ref(), Some(&expected));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_prospects_through_a_fifth_of_calls_faulted() {
    let sim = Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .seed(20_261_123)
            .faults(ALL_FAULTS.parse::<FaultConfig>().unwrap()),
    )
    .unwrap();
    // Some prospects are already in an exclusive flow: Gong refuses them.
    let exclusive: Vec<String> = (0..300).map(|i| format!("c{:06}", i * 331)).collect();
    {
        let setup = sim.client();
        for chunk in exclusive.chunks(gong_flows_api::limits::ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS) {
            let body = gong_flows_api::types::AssignFlowRequestV2 {
                crm_prospects_ids: chunk.to_vec(),
                flow_id: dataset::EXCLUSIVE_FLOW_ID.into(),
                flow_instance_owner_email: OWNER.into(),
                flow_instance_description: None,
                overrides: None,
            };
            // Setup goes around faults: retry until the simulator answers.
            while setup
                .assign_prospects()
                .body(body.clone())
                .send()
                .await
                .is_err()
            {}
        }
    }
    let mut input: Vec<String> = (0..100_000).map(|i| format!("c{i:06}")).collect();
    input.extend((0..200).map(|i| format!("unknown-{i}")));
    let refused_by_sim: HashSet<String> = exclusive
        .iter()
        .cloned()
        .chain((0..200).map(|i| format!("unknown-{i}")))
        .collect();
    sim.reset_counters();

    let report = client(&sim, 8)
        .assign(FLOW, OWNER)
        .prospects(&input)
        .send()
        .await
        .unwrap();

    let counters = sim.counters();
    let faulted = counters.total_faults() as f64 / counters.total as f64;
    assert!(
        faulted >= 0.2,
        "only {:.1} % of calls faulted",
        faulted * 100.0
    );
    for kind in [
        FaultKind::Status500,
        FaultKind::Status502,
        FaultKind::Status503,
        FaultKind::RateLimitBurst,
        FaultKind::ConnectionReset,
        FaultKind::Timeout,
        FaultKind::MalformedJson,
        FaultKind::AppliedThenFailed,
    ] {
        assert!(counters.faults_of(kind) > 0, "no {kind:?} was served");
    }
    check(&report, &input, &sim, &refused_by_sim);
    assert!(
        report.is_complete(),
        "retries should have carried every chunk: {:?}",
        report.not_attempted.first()
    );
    assert!(
        report.assigned.iter().any(|a| a.reconciled),
        "ambiguity was exercised"
    );
    assert_eq!(report.assigned.len(), 100_000 - exclusive.len());
}

fn run_small(seed: u64, faults: String, n: usize, batch: usize, concurrency: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let sim = Simulator::start(
            SimConfig::default()
                .no_rate_limits()
                .seed(seed)
                .faults(faults.parse::<FaultConfig>().unwrap()),
        )
        .unwrap();
        let mut input: Vec<String> = (0..n).map(|i| format!("s{seed}-{i}")).collect();
        input.extend((0..n / 10).map(|i| format!("unknown-{i}")));
        // A few repeats: reported as duplicates, sent once.
        input.extend(input.iter().take(3).cloned().collect::<Vec<_>>());
        let refused: HashSet<String> = (0..n / 10).map(|i| format!("unknown-{i}")).collect();
        let report = client(&sim, concurrency)
            .assign(FLOW, OWNER)
            .prospects(&input)
            .chunk_size(batch)
            .send()
            .await
            .unwrap();
        check(&report, &input, &sim, &refused);
    });
}

fn fault_schedule() -> impl Strategy<Value = String> {
    // Probabilities for each kind; they add up to at most 0.7.
    (
        0.0..0.1f64,
        0.0..0.1f64,
        0.0..0.1f64,
        0.0..0.1f64,
        0.0..0.15f64,
        0.0..0.15f64,
        any::<u64>(),
    )
        .prop_map(|(p500, p502, reset, malformed, applied, p503, seed)| {
            format!(
                "500={p500:.3},502={p502:.3},503={p503:.3}:0,reset={reset:.3},\
                 malformed={malformed:.3},applied-then-failed={applied:.3};seed={seed}"
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn random_fault_schedules_lose_and_double_nothing(
        seed in any::<u64>(),
        faults in fault_schedule(),
        n in 1usize..400,
        batch in 1usize..=gong_flows::ChunkSizes::MAX_ASSIGN,
        concurrency in 1usize..6,
    ) {
        run_small(seed, faults, n, batch, concurrency);
    }
}
