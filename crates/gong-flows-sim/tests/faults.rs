//! Every fault kind, observed from a client, and the counters.

mod common;

use std::time::Duration;

use common::{assign, assign_request, error_messages, get, post, start, start_with};
use gong_flows_sim::{
    Endpoint, Fault, FaultConfig, FaultKind, FaultRule, SimConfig, Simulator, dataset,
};
use serde_json::{Value, json};

use dataset::SDR_FLOW_ID;

const LIST: &str = "/v2/flows?flowOwnerEmail=owner%40example.com";

fn assign_json(ids: &[&str]) -> Value {
    serde_json::to_value(assign_request(SDR_FLOW_ID, ids)).unwrap()
}

#[tokio::test]
async fn status_faults_change_nothing() {
    let sim = start();
    let op = Some(Endpoint::AssignProspects);
    sim.script_faults(op, Fault::Status500, 1);
    sim.script_faults(op, Fault::Status502, 1);
    sim.script_faults(op, Fault::Status503 { retry_after: 7 }, 1);

    let body = assign_json(&["f1"]);
    let r500 = post(&sim, "/v2/flows/prospects/assign", &body).await;
    assert_eq!(error_messages(r500, 500).await.len(), 1);
    let r502 = post(&sim, "/v2/flows/prospects/assign", &body).await;
    assert_eq!(error_messages(r502, 502).await.len(), 1);
    let r503 = post(&sim, "/v2/flows/prospects/assign", &body).await;
    assert_eq!(r503.headers()["retry-after"], "7");
    assert_eq!(error_messages(r503, 503).await.len(), 1);
    assert_eq!(sim.instance_count(), 0);

    let ok = post(&sim, "/v2/flows/prospects/assign", &body).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(sim.times_assigned(SDR_FLOW_ID, "f1"), 1);

    let counters = sim.counters();
    let assign = counters.endpoint(Endpoint::AssignProspects);
    assert_eq!((assign.calls, assign.faulted, assign.succeeded), (4, 3, 1));
    assert_eq!(counters.faults_of(FaultKind::Status500), 1);
    assert_eq!(counters.faults_of(FaultKind::Status502), 1);
    assert_eq!(counters.faults_of(FaultKind::Status503), 1);
    assert_eq!(counters.total_faults(), 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn scripts_target_their_endpoint() {
    let sim = start();
    sim.script_faults(Some(Endpoint::UnassignFlows), Fault::Status500, 1);
    assert_eq!(get(&sim, LIST).await.status(), 200);
    assign(&sim, SDR_FLOW_ID, &["s1"]).await;
    let response = post(
        &sim,
        "/v2/flows/prospects/unassign-flows-by-instance-id",
        &json!({"flowInstanceIds": []}),
    )
    .await;
    assert_eq!(response.status(), 500);
    sim.script_faults(None, Fault::Status502, 2);
    sim.clear_fault_scripts();
    assert_eq!(get(&sim, LIST).await.status(), 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn applied_then_failed_changes_state_and_answers_500() {
    let sim = start();
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::AppliedThenFailed, 1);
    let error = sim
        .client()
        .assign_prospects()
        .body(assign_request(SDR_FLOW_ID, &["ambiguous"]))
        .send()
        .await
        .expect_err("500");
    assert_eq!(common::error_response(error).0, 500);
    assert_eq!(
        sim.times_assigned(SDR_FLOW_ID, "ambiguous"),
        1,
        "the write happened"
    );
    // The retry a naive client would make is refused per prospect.
    let retry = assign(&sim, SDR_FLOW_ID, &["ambiguous"]).await;
    assert_eq!(retry.prospects_not_assigned.len(), 1);
    let counters = sim.counters();
    assert_eq!(counters.faults_of(FaultKind::AppliedThenFailed), 1);
    assert_eq!(
        counters.succeeded(Endpoint::AssignProspects),
        1,
        "the fault is no success"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_json_is_a_truncated_200() {
    let sim = start();
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::MalformedJson, 1);
    let response = post(&sim, "/v2/flows/prospects/assign", &assign_json(&["cut"])).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(!text.is_empty());
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    assert_eq!(sim.times_assigned(SDR_FLOW_ID, "cut"), 1);

    sim.script_faults(Some(Endpoint::ListFlows), Fault::MalformedJson, 1);
    let error = sim
        .client()
        .list_flows()
        .flow_owner_email("owner@example.com")
        .send()
        .await
        .expect_err("undecodable");
    assert!(
        matches!(error, gong_flows_api::Error::InvalidResponsePayload(..)),
        "{error:?}"
    );
    assert_eq!(sim.counters().faults_of(FaultKind::MalformedJson), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn connection_reset_closes_without_an_answer() {
    let sim = start();
    sim.script_faults(Some(Endpoint::AssignProspects), Fault::ConnectionReset, 1);
    let result = common::http()
        .post(format!("{}/v2/flows/prospects/assign", sim.base_url()))
        .header("authorization", sim.basic_authorization().unwrap())
        .json(&assign_json(&["reset"]))
        .send()
        .await;
    let error = result.expect_err("no answer");
    assert!(!error.is_timeout() && !error.is_status(), "{error:?}");
    assert_eq!(sim.instance_count(), 0, "nothing was processed");
    assert_eq!(sim.counters().faults_of(FaultKind::ConnectionReset), 1);
    // The server keeps serving.
    assert_eq!(get(&sim, LIST).await.status(), 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn timeout_holds_the_answer_after_applying() {
    let sim = start();
    sim.script_faults(
        Some(Endpoint::AssignProspects),
        Fault::Timeout {
            delay: Duration::from_secs(120),
        },
        1,
    );
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = client
        .post(format!("{}/v2/flows/prospects/assign", sim.base_url()))
        .header("authorization", sim.basic_authorization().unwrap())
        .json(&assign_json(&["slow"]))
        .send()
        .await
        .expect_err("client timeout");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(sim.times_assigned(SDR_FLOW_ID, "slow"), 1);
    assert_eq!(sim.counters().faults_of(FaultKind::Timeout), 1);
    // Shutdown cuts the held answer off instead of waiting two minutes.
    tokio::time::timeout(Duration::from_secs(60), sim.shutdown())
        .await
        .expect("prompt shutdown");
}

#[tokio::test]
async fn rate_limit_burst_does_not_charge_the_limits() {
    let sim = Simulator::start(
        SimConfig::default()
            .rate_limit(Some(2))
            .rate_window(Duration::from_secs(3600)),
    )
    .unwrap();
    sim.script_faults(None, Fault::RateLimitBurst { length: 3 }, 1);
    for _ in 0..3 {
        let response = get(&sim, LIST).await;
        assert_eq!(response.headers()["retry-after"], "1");
        assert_eq!(
            error_messages(response, 429).await,
            ["API request limit exceeded"]
        );
    }
    assert_eq!(get(&sim, LIST).await.status(), 200);
    assert_eq!(get(&sim, LIST).await.status(), 200);
    assert_eq!(get(&sim, LIST).await.status(), 429, "now the real limit");
    let counters = sim.counters();
    assert_eq!(counters.faults_of(FaultKind::RateLimitBurst), 3);
    assert_eq!(counters.rate_limited, 1);
    assert_eq!(counters.too_many_requests(), 4);
    sim.shutdown().await;
}

#[tokio::test]
async fn probabilistic_rules_per_endpoint() {
    let config: FaultConfig = "500=1@listFlows".parse().unwrap();
    let sim = start_with(SimConfig::default().faults(config));
    for _ in 0..5 {
        assert_eq!(get(&sim, LIST).await.status(), 500);
    }
    assert_eq!(
        assign(&sim, SDR_FLOW_ID, &["p"])
            .await
            .prospects_assigned
            .len(),
        1
    );
    sim.set_faults(FaultConfig::none()).unwrap();
    assert_eq!(get(&sim, LIST).await.status(), 200);
    assert!(
        sim.set_faults(FaultConfig::none().with(FaultRule::new(Fault::Status500, 2.0)))
            .is_err()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn seeded_faults_repeat() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let config: FaultConfig = format!("500=0.3,502=0.2;seed={seed}").parse().unwrap();
        let sim = start_with(SimConfig::default().faults(config));
        let mut out = Vec::new();
        for _ in 0..30 {
            out.push(get(&sim, LIST).await.status().as_u16());
        }
        sim.shutdown().await;
        out
    }
    let first = statuses(7).await;
    assert_eq!(first, statuses(7).await);
    assert!(
        first.contains(&200) && first.iter().any(|s| *s >= 500),
        "{first:?}"
    );
}

#[tokio::test]
async fn counters_reset() {
    let sim = start();
    get(&sim, LIST).await;
    get(&sim, "/v2/flows").await;
    let counters = sim.counters();
    assert_eq!(counters.total, 2);
    assert_eq!(counters.calls(Endpoint::ListFlows), 2);
    assert_eq!(counters.succeeded(Endpoint::ListFlows), 1);
    assert_eq!(counters.endpoint(Endpoint::ListFlows).rejected, 1);
    sim.reset_counters();
    assert_eq!(sim.counters().total, 0);
    assert_eq!(sim.counters().calls(Endpoint::ListFlows), 0);
    sim.shutdown().await;
}

#[test]
fn fault_spec_grammar() {
    let config: FaultConfig =
        "500=0.05, 502=0.02,503=0.02:5,429-burst=0.01:4,reset=0.02,timeout=0.01:2s,\
         malformed=0.02,applied-then-failed=0.05@assignProspects|unassignFlows;seed=7"
            .parse()
            .unwrap();
    assert_eq!(config.seed, Some(7));
    let faults: Vec<Fault> = config.rules.iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        [
            Fault::Status500,
            Fault::Status502,
            Fault::Status503 { retry_after: 5 },
            Fault::RateLimitBurst { length: 4 },
            Fault::ConnectionReset,
            Fault::Timeout {
                delay: Duration::from_secs(2)
            },
            Fault::MalformedJson,
            Fault::AppliedThenFailed,
        ]
    );
    assert_eq!(
        config.rules[7].endpoints,
        [Endpoint::AssignProspects, Endpoint::UnassignFlows]
    );
    assert_eq!(config.to_string().parse::<FaultConfig>().unwrap(), config);

    for (bad, needle) in [
        ("404=0.1", "unknown fault kind"),
        ("500=often", "not a probability"),
        ("500=0.7,502=0.7", "add up to"),
        ("reset=0.1:2", "takes no"),
        ("timeout=0.1:1h", "maximum"),
        ("500=0.1@getEverything", "unknown endpoint"),
        ("seed=-1", "seed"),
    ] {
        let error = bad.parse::<FaultConfig>().unwrap_err();
        assert!(error.to_string().contains(needle), "{bad}: {error}");
    }
    // Invalid fault rules given programmatically fail at start.
    let bad = FaultConfig::none().with(FaultRule::new(Fault::RateLimitBurst { length: 0 }, 0.1));
    assert!(Simulator::start(SimConfig::default().faults(bad)).is_err());
}
