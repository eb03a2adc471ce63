//! Fault invariance, and chaos for every write: the same jobs against the
//! same starting state give every input the same bucket whether or not
//! transient faults (lost answers included) happen on the way, and every
//! report agrees with the simulator's state afterwards: nothing lost,
//! nothing doubled, every "done" really done, every "not done" really not.

use gong_flows::{
    AssignReport, BulkAssignReport, BulkProspect, Client, PollPolicy, RetryPolicy, UnassignReport,
};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET, FaultConfig, SimConfig, Simulator, dataset,
};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

const FLOW: &str = dataset::SDR_FLOW_ID;
const ELSEWHERE: &str = dataset::EXCLUSIVE_FLOW_ID;
const OWNER: &str = dataset::DEFAULT_USER_EMAIL;

fn client(sim: &Simulator, concurrency: usize, rate: Option<f64>) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
        .rate_limit(rate)
        .daily_budget(None)
        .concurrency(concurrency)
        // The simulator shares this machine's clock.
        .clock_skew_tolerance(Duration::ZERO)
        .request_timeout(Duration::from_millis(1500))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(12)
                .with_base_delay(Duration::from_millis(2))
                .with_max_delay(Duration::from_millis(20))
                .with_time_limit(Duration::from_secs(120)),
        )
        .build()
        .unwrap()
}

/// The inputs of one round, by role.
struct Inputs {
    fresh: Vec<String>,
    already: Vec<String>,
    elsewhere: Vec<String>,
    unknown: Vec<String>,
    /// Prospects whose instances are removed by instance id.
    by_instance: Vec<String>,
    /// Prospects removed by CRM id, and ones in no flow.
    by_crm: Vec<String>,
    nowhere: Vec<String>,
}

impl Inputs {
    fn new(tag: &str, n: usize) -> Self {
        let ids = |role: &str, k: usize| -> Vec<String> {
            (0..k).map(|i| format!("{tag}-{role}-{i:03}")).collect()
        };
        Self {
            fresh: ids("new", n),
            already: ids("pre", n / 4 + 1),
            elsewhere: ids("exc", n / 6 + 1),
            unknown: (0..n / 8 + 1)
                .map(|i| format!("unknown-{tag}-{i}"))
                .collect(),
            by_instance: ids("ui", n / 2 + 1),
            by_crm: ids("uc", n / 5 + 1),
            nowhere: ids("none", n / 8 + 1),
        }
    }

    fn assign_input(&self) -> Vec<String> {
        let mut all = Vec::new();
        // Interleaved, so that every chunk holds every kind.
        let lists = [&self.fresh, &self.already, &self.elsewhere, &self.unknown];
        let longest = lists.iter().map(|l| l.len()).max().unwrap_or(0);
        for i in 0..longest {
            for list in lists {
                if let Some(id) = list.get(i) {
                    all.push(id.clone());
                }
            }
        }
        all
    }
}

/// The same starting state in a simulator, made without faults: returns
/// the instance id of each `by_instance` prospect.
async fn set_up(sim: &Simulator, inputs: &Inputs) -> Vec<String> {
    let setup = client(sim, 4, None);
    let place = |flow: &'static str, ids: Vec<String>| {
        let setup = setup.clone();
        async move {
            let report = setup
                .assign(flow, OWNER)
                .prospects(ids)
                .send()
                .await
                .unwrap();
            assert!(report.not_assigned.is_empty() && report.is_complete());
            report
        }
    };
    place(FLOW, inputs.already.clone()).await;
    place(ELSEWHERE, inputs.elsewhere.clone()).await;
    place(FLOW, inputs.by_crm.clone()).await;
    let placed = place(FLOW, inputs.by_instance.clone()).await;
    // Members made before the jobs start, by this machine's clock.
    tokio::time::sleep(Duration::from_millis(30)).await;
    let mut by_prospect: BTreeMap<&str, String> = BTreeMap::new();
    for a in &placed.assigned {
        by_prospect.insert(&a.id, a.flow_instance_id().unwrap().to_owned());
    }
    inputs
        .by_instance
        .iter()
        .map(|p| by_prospect[p.as_str()].clone())
        .collect()
}

/// Each input's bucket, by input.
fn assign_buckets(report: &AssignReport) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for a in &report.assigned {
        out.insert(a.id.to_string(), "assigned".to_owned());
    }
    for a in &report.already_in_flow {
        out.insert(a.id.to_string(), "already in flow".to_owned());
    }
    for n in &report.not_assigned {
        let code = n.error_code.as_ref().map_or("?", |c| c.as_str());
        out.insert(n.id.to_string(), format!("refused {code}"));
    }
    for n in &report.not_attempted {
        out.insert(n.id.to_string(), "not attempted".to_owned());
    }
    out
}

/// Each input's bucket, by position (instance ids differ between
/// simulators; positions do not).
fn unassign_buckets(report: &UnassignReport, input: &[String]) -> Vec<String> {
    input
        .iter()
        .map(|id| {
            if report.unassigned.iter().any(|u| u.id == id.as_str()) {
                "unassigned".to_owned()
            } else if report.not_unassigned.iter().any(|n| n.id == id.as_str()) {
                "not unassigned".to_owned()
            } else if report.not_attempted.iter().any(|n| n.id == id.as_str()) {
                "not attempted".to_owned()
            } else {
                panic!("{id} is in no bucket: {report:?}")
            }
        })
        .collect()
}

/// Everything one round of jobs reported.
struct Round {
    assign: BTreeMap<String, String>,
    by_instance: Vec<String>,
    by_crm: Vec<String>,
}

/// Runs the three writes, checks each report against the simulator's
/// state, and returns each input's bucket.
async fn round(sim: &Simulator, inputs: &Inputs, instances: &[String], client: &Client) -> Round {
    let input = inputs.assign_input();
    let assign = client
        .assign(FLOW, OWNER)
        .prospects(&input)
        .send()
        .await
        .unwrap();
    assert_eq!(assign.total(), input.len(), "every input once: {assign}");
    for a in &assign.assigned {
        assert_eq!(sim.times_assigned(FLOW, &a.id), 1, "{a:?}");
    }
    for a in &assign.already_in_flow {
        assert_eq!(sim.times_assigned(FLOW, &a.id), 1, "{a:?}");
        assert!(inputs.already.iter().any(|id| a.id == id.as_str()), "{a:?}");
    }
    for n in &assign.not_assigned {
        assert_eq!(sim.times_assigned(FLOW, &n.id), 0, "{n:?}");
    }
    assert_eq!(sim.max_times_assigned(), 1, "nothing assigned twice");

    let mut to_remove = instances.to_vec();
    to_remove.push("9999999900000001".to_owned());
    to_remove.push("9999999900000002".to_owned());
    let by_instance = client.unassign_instances(&to_remove).send().await.unwrap();
    assert_eq!(by_instance.total(), to_remove.len());
    for u in &by_instance.unassigned {
        let open = sim.instance(u.id.as_str()).is_some_and(|i| {
            use gong_flows::FlowInstanceStatus as S;
            matches!(i.status, S::Pending | S::Running | S::Paused)
        });
        assert!(!open, "{u:?} reported removed but still open");
    }
    for n in &by_instance.not_unassigned {
        assert!(n.id.as_str().starts_with("99999999"), "{n:?} was removable");
    }

    let mut crm = inputs.by_crm.clone();
    crm.extend(inputs.nowhere.iter().cloned());
    let by_crm = client
        .unassign_prospects(&crm)
        .flow_id(FLOW)
        .send()
        .await
        .unwrap();
    assert_eq!(by_crm.total(), crm.len());
    for u in &by_crm.unassigned {
        let id = u.id.as_str();
        assert!(
            sim.state().open_instances_of(id).is_empty(),
            "{id} is still in a flow"
        );
    }
    Round {
        assign: assign_buckets(&assign),
        by_instance: unassign_buckets(&by_instance, &to_remove),
        by_crm: unassign_buckets(&by_crm, &crm),
    }
}

fn run_case(seed: u64, faults: String, n: usize, concurrency: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let inputs = Inputs::new(&format!("v{seed}"), n);
        let clean = Simulator::start(SimConfig::default().no_rate_limits().seed(seed)).unwrap();
        let faulted = Simulator::start(SimConfig::default().no_rate_limits().seed(seed)).unwrap();
        let clean_instances = set_up(&clean, &inputs).await;
        let faulted_instances = set_up(&faulted, &inputs).await;
        faulted
            .set_faults(faults.parse::<FaultConfig>().unwrap())
            .unwrap();

        let expected = round(
            &clean,
            &inputs,
            &clean_instances,
            &client(&clean, concurrency, None),
        )
        .await;
        let got = round(
            &faulted,
            &inputs,
            &faulted_instances,
            &client(&faulted, concurrency, None),
        )
        .await;
        let faults_served = faulted.counters().total_faults();
        assert_eq!(
            got.assign, expected.assign,
            "assign buckets ({faults}, {faults_served} faults)"
        );
        assert_eq!(
            got.by_instance, expected.by_instance,
            "unassign by instance ({faults})"
        );
        assert_eq!(got.by_crm, expected.by_crm, "unassign by CRM id ({faults})");
        // The clean run says what every bucket should be.
        for id in &inputs.fresh {
            assert_eq!(expected.assign[id], "assigned");
        }
        for id in &inputs.already {
            assert_eq!(expected.assign[id], "already in flow");
        }
        for id in &inputs.elsewhere {
            assert_eq!(expected.assign[id], "refused InvalidState");
        }
    });
}

fn fault_schedule() -> impl Strategy<Value = String> {
    (
        0.0..0.08f64,
        0.0..0.08f64,
        0.0..0.08f64,
        0.0..0.08f64,
        0.02..0.15f64,
        0.0..0.01f64,
        any::<u64>(),
    )
        .prop_map(|(p500, reset, malformed, p503, applied, timeout, seed)| {
            format!(
                "500={p500:.3},503={p503:.3}:0,reset={reset:.3},malformed={malformed:.3},\
                 applied-then-failed={applied:.3},timeout={timeout:.3}:2s,429-burst=0.005:1;\
                 seed={seed}"
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn every_write_reports_the_same_buckets_with_and_without_faults(
        seed in any::<u64>(),
        faults in fault_schedule(),
        n in 8usize..120,
        concurrency in 1usize..5,
    ) {
        run_case(seed, faults, n, concurrency);
    }
}

/// Lost answers of every kind, on every write, at a high rate, and the
/// pacer on against the simulator's own rate limiter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_survives_chaos_with_pacing_on_against_the_real_limiter() {
    let inputs = Inputs::new("paced", 150);
    let sim = Simulator::start(
        SimConfig::default()
            .rate_limit(Some(40))
            .strict_limiter(true)
            .daily_limit(None)
            .seed(7)
            .bulk_stage(Duration::from_millis(30)),
    )
    .unwrap();
    let instances = set_up(&sim, &inputs).await;
    sim.reset_rate_limits();
    sim.reset_counters();
    sim.set_faults(
        "500=0.05,502=0.03,503=0.02:0,429-burst=0.005:1,reset=0.04,malformed=0.04,\
         applied-then-failed=0.12,timeout=0.005:2s;seed=11"
            .parse::<FaultConfig>()
            .unwrap(),
    )
    .unwrap();
    let paced = client(&sim, 4, Some(30.0));
    let result = round(&sim, &inputs, &instances, &paced).await;
    assert!(result.assign.values().all(|b| b != "not attempted"));
    assert!(sim.counters().total_faults() > 0);

    // Bulk assignment under the same faults: nothing is submitted twice,
    // and whatever is reported assigned is in the flow.
    let people: Vec<BulkProspect> = (0..120)
        .map(|i| BulkProspect::crm_id(format!("paced-bulk-{i:03}")))
        .collect();
    let bulk: BulkAssignReport = paced
        .bulk_assign(FLOW, OWNER)
        .poll_policy(PollPolicy {
            first_interval: Duration::from_millis(50),
            max_interval: Duration::from_millis(200),
            limit: Duration::from_secs(60),
        })
        .prospects(people.clone())
        .send()
        .await
        // Whether chaos stopped it or not, every prospect is in the report.
        .unwrap_or_else(|e| e.into_report().expect("a stopped job carries its report"));
    assert_eq!(bulk.total(), people.len(), "{bulk}");
    assert_eq!(sim.max_times_assigned(), 1, "nothing assigned twice");
    for r in &bulk.assigned {
        let id = r.crm_prospect_id.as_deref().unwrap();
        assert_eq!(sim.times_assigned(FLOW, id), 1, "{r:?}");
    }
    let submitted_or_lost: HashSet<String> = bulk
        .not_attempted
        .iter()
        .filter(|n| !n.may_have_been_sent)
        .map(|n| n.prospect.key())
        .collect();
    for p in &people {
        if submitted_or_lost.contains(&p.key()) {
            let id = p.crm_id.as_deref().unwrap();
            assert_eq!(sim.times_assigned(FLOW, id), 0, "{id} was said not sent");
        }
    }
    let limited = sim.counters().rate_limited;
    assert_eq!(limited, 0, "the pacer kept under the simulator's limit");
}
