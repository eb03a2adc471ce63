//! Calls per prospect against the simulator: the day's quota is the scarce
//! resource, so the counts of calls are promises too. Every plan bounds
//! its job; unassign by CRM id costs a look-up and an unassign per 200;
//! the simulator's rate-limit headers make the pacer more careful.

use gong_flows::{BulkProspect, Client, InProcessPacer, PollPolicy};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, SimConfig, Simulator, dataset,
};
use std::sync::Arc;
use std::time::Duration;

const OWNER: &str = dataset::DEFAULT_USER_EMAIL;
const FLOW: &str = dataset::SDR_FLOW_ID;
const OTHER_FLOW: &str = dataset::SHARED_FLOW_ID;

fn sim() -> Simulator {
    Simulator::start(SimConfig::default().no_rate_limits()).expect("simulator starts")
}

fn client(sim: &Simulator) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .unpaced()
        .build()
        .expect("client builds")
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:05}")).collect()
}

/// Puts `ids` in `flow` without counting the calls.
async fn put_in(sim: &Simulator, client: &Client, flow: &str, ids: &[String]) {
    let report = client
        .assign(flow, OWNER)
        .prospects(ids.iter().cloned())
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), ids.len(), "{report}");
    sim.reset_counters();
}

#[tokio::test]
async fn unassigning_two_thousand_from_one_flow_takes_at_most_22_calls() {
    let sim = sim();
    let client = client(&sim);
    let prospects = ids("u", 2000);
    put_in(&sim, &client, FLOW, &prospects).await;
    let job = client.unassign_prospects(&prospects).flow_id(FLOW);
    let plan = job.plan().unwrap();
    let report = job.send().await.unwrap();
    assert_eq!(report.unassigned.len(), 2000);
    let calls = sim.counters().total;
    assert!(calls <= 22, "{calls} calls");
    assert!(calls <= plan.calls as u64, "{calls} > plan {plan}");
    assert_eq!(u64::from(report.stats.requests), calls);
}

#[tokio::test]
async fn unassigning_from_every_flow_takes_two_calls_per_200_instances() {
    let sim = sim();
    let client = client(&sim);
    let prospects = ids("e", 1000);
    put_in(&sim, &client, FLOW, &prospects).await;
    put_in(&sim, &client, OTHER_FLOW, &prospects).await;
    let instances = 2 * prospects.len();
    let job = client.unassign_prospects(&prospects);
    let plan = job.clone().plan_with_reads().await.unwrap();
    sim.reset_counters();
    let report = job.send().await.unwrap();
    assert_eq!(report.unassigned.len(), 1000);
    let removed: usize = report
        .unassigned
        .iter()
        .map(|u| u.flow_instance_ids.len())
        .sum();
    assert_eq!(removed, instances);
    let calls = sim.counters().total as usize;
    let bound = 2 * instances.div_ceil(200) + 2;
    assert!(
        calls <= bound,
        "{calls} calls > {bound}: {:?}",
        sim.counters()
    );
    assert!(calls <= plan.calls, "{calls} > plan {plan}");
    assert!(sim.state().instances.is_empty());
}

#[tokio::test]
async fn every_plan_bounds_its_job() {
    let sim = sim();
    let client = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .unpaced()
        .chunk_sizes(
            gong_flows::ChunkSizes::default()
                .with_assign(30)
                .with_unassign_instances(25)
                .with_lookup(40),
        )
        .build()
        .unwrap();
    let prospects = ids("b", 230);
    // Some refused: unknown to the CRM.
    let mut input = prospects.clone();
    input.extend(ids("unknown-", 7));

    let check = |what: &str, plan: &gong_flows::Plan, sim: &Simulator, requests: u32| {
        let calls = sim.counters().total;
        assert!(plan.bounded, "{what}: {plan}");
        assert!(
            calls >= plan.calls_at_least as u64 && calls <= plan.calls as u64,
            "{what}: {calls} calls outside {plan}"
        );
        assert_eq!(u64::from(requests), calls, "{what}");
        sim.reset_counters();
    };

    let assign = client.assign(FLOW, OWNER).prospects(input.clone());
    let plan = assign.plan().unwrap();
    let report = assign.send().await.unwrap();
    check("assign", &plan, &sim, report.stats.requests);

    let instances: Vec<String> = report
        .assigned
        .iter()
        .filter_map(|a| a.flow_instance_id.clone())
        .take(100)
        .collect();
    let by_instance = client.unassign_instances(&instances);
    let plan = by_instance.plan().unwrap();
    let report = by_instance.send().await.unwrap();
    check("unassign by instance", &plan, &sim, report.stats.requests);

    let by_crm = client.unassign_prospects(&prospects[100..]).flow_id(FLOW);
    let plan = by_crm.plan().unwrap();
    let report = by_crm.send().await.unwrap();
    check("unassign by CRM id", &plan, &sim, report.stats.requests);

    let lookup = client.prospects_flows().crm_prospect_ids(&prospects);
    let plan = lookup.plan().unwrap();
    let report = lookup.send().await.unwrap();
    check("prospects' flows", &plan, &sim, report.stats.requests);

    let steps = client.flow_steps([FLOW, OTHER_FLOW, "1"]);
    let plan = steps.plan().unwrap();
    let report = steps.send().await.unwrap();
    check("steps", &plan, &sim, report.stats.requests);

    let bulk = client
        .bulk_assign(FLOW, OWNER)
        .prospects(ids("k", 50).into_iter().map(BulkProspect::crm_id))
        .poll_policy(PollPolicy {
            first_interval: Duration::from_millis(20),
            max_interval: Duration::from_millis(50),
            limit: Duration::from_secs(30),
        });
    let plan = bulk.plan().unwrap();
    let report = bulk.send().await.unwrap();
    let calls = sim.counters().total;
    // The submit is planned; polls depend on how long Gong takes, up to
    // the poll policy's bound.
    assert!(
        calls >= plan.calls_at_least as u64,
        "bulk: {calls} < {plan}"
    );
    assert_eq!(u64::from(report.stats.requests), calls);
}

#[tokio::test]
async fn the_simulators_quota_headers_make_the_pacer_more_careful() {
    let sim = Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .daily_limit(Some(500))
            .rate_limit_headers(true),
    )
    .unwrap();
    // The pacer thinks the day has 10,000 calls; Gong's headers say 500.
    let pacer = Arc::new(InProcessPacer::new(None, Some(10_000)));
    let client = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .pacer(pacer.clone())
        .build()
        .unwrap();
    let report = client
        .assign(FLOW, OWNER)
        .prospects(ids("h", 600))
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 600);
    let used = sim.counters().total as u32;
    let budget = client.pacer().budget().await.unwrap().unwrap();
    assert!(
        budget.left <= 500 - used,
        "the pacer believes {} left; Gong said {}",
        budget.left,
        500 - used
    );
}
