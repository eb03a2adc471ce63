//! `Client::check`: the reads that prove a job can run, against the
//! simulator: every refusal is the typed error of its call, and the calls it
//! reports are the calls Gong saw.

use gong_flows::{Client, Error, WriteScope};
use gong_flows_sim::{
    DEFAULT_ACCESS_KEY, DEFAULT_FULL_TOKEN, DEFAULT_READ_ONLY_TOKEN, Endpoint, SimConfig,
    Simulator, dataset,
};

fn sim() -> Simulator {
    Simulator::start(SimConfig::default().no_rate_limits()).unwrap()
}

fn basic(sim: &Simulator, secret: &str) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(DEFAULT_ACCESS_KEY, secret)
        .unpaced()
        .build()
        .unwrap()
}

fn bearer(sim: &Simulator, token: &str) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .bearer_token(token)
        .unpaced()
        .build()
        .unwrap()
}

fn good(sim: &Simulator) -> Client {
    basic(sim, gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET)
}

#[tokio::test]
async fn a_flow_of_the_owner_is_named_in_one_call() {
    let sim = sim();
    let check = good(&sim)
        .check()
        .flow(dataset::SDR_FLOW_ID)
        .owner(dataset::DEFAULT_USER_EMAIL)
        .write(true)
        .send()
        .await
        .unwrap();
    let flow = check.flow.as_ref().unwrap();
    assert_eq!(flow.name.as_deref(), Some(dataset::SDR_FLOW_NAME));
    assert_eq!(flow.listed_for_owner, Some(true));
    assert_eq!(check.write_scope, WriteScope::AccessKey);
    assert_eq!(check.calls(), 1);
    assert_eq!(
        sim.counters().total,
        1,
        "the calls reported are the calls made"
    );
    let text = check.to_string();
    assert!(
        text.contains("\"SDR Flow\"") && text.ends_with("; 1 call"),
        "{text}"
    );
}

#[tokio::test]
async fn an_unknown_flow_is_not_found_and_bad_credentials_are_unauthorized() {
    let sim = sim();
    let err = good(&sim)
        .check()
        .flow("999")
        .owner(dataset::DEFAULT_USER_EMAIL)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    // Every page of the owner's flows, then the flow by id.
    assert_eq!(sim.counters().calls(Endpoint::ListFlows), 1);
    assert_eq!(sim.counters().calls(Endpoint::GetFlowSteps), 1);

    for check in [
        basic(&sim, "wrong-secret").check(),
        basic(&sim, "wrong-secret")
            .check()
            .flow(dataset::SDR_FLOW_ID),
        basic(&sim, "wrong-secret")
            .check()
            .owner(dataset::DEFAULT_USER_EMAIL),
    ] {
        let err = check.send().await.unwrap_err();
        assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
        assert!(!format!("{err} {err:?}").contains("wrong-secret"));
    }
}

#[tokio::test]
async fn a_token_without_the_write_scope_is_forbidden_for_writes_only() {
    let sim = sim();
    let read_only = bearer(&sim, DEFAULT_READ_ONLY_TOKEN);
    let check = read_only
        .check()
        .flow(dataset::SDR_FLOW_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(check.write_scope, WriteScope::NotChecked);
    let err = read_only
        .check()
        .flow(dataset::SDR_FLOW_ID)
        .write(true)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");

    // A full token passes the probe, which removes nothing.
    let before = sim.instance_count();
    let full = bearer(&sim, DEFAULT_FULL_TOKEN);
    let assigned = full
        .assign(dataset::SDR_FLOW_ID, dataset::DEFAULT_USER_EMAIL)
        .prospects(["c-1"])
        .send()
        .await
        .unwrap();
    assert_eq!(assigned.assigned.len(), 1);
    let check = full
        .check()
        .flow(dataset::SDR_FLOW_ID)
        .write(true)
        .send()
        .await
        .unwrap();
    assert_eq!(check.write_scope, WriteScope::Probed);
    assert_eq!(check.calls(), 2);
    assert_eq!(
        sim.instance_count(),
        before + 1,
        "the probe removed nothing"
    );
    assert_eq!(sim.times_assigned(dataset::SDR_FLOW_ID, "c-1"), 1);
}

#[tokio::test]
async fn a_flow_the_owner_does_not_see_is_found_by_id_and_flagged() {
    let sim = sim();
    let check = good(&sim)
        .check()
        .flow(dataset::PERSONAL_FLOW_ID)
        .owner(dataset::TEAMMATE_EMAIL)
        .send()
        .await
        .unwrap();
    let flow = check.flow.unwrap();
    assert_eq!(flow.name.as_deref(), Some(dataset::PERSONAL_FLOW_NAME));
    assert_eq!(flow.listed_for_owner, Some(false));
    assert_eq!(check.reads.len(), 2);
    assert_eq!(
        sim.counters().total,
        2,
        "one page of the owner's flows, one by id"
    );

    // Without flow or owner: one harmless look-up proves the credentials.
    let check = good(&sim).check().send().await.unwrap();
    assert_eq!(check.calls(), 1);
    assert!(check.flow.is_none());
    // Bad input is refused before anything is sent.
    let err = good(&sim)
        .check()
        .flow("no spaces")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(sim.counters().total, 3);
}
