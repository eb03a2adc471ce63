//! Testing code built on `gong-flows`, two ways:
//!
//! - **the simulator** (`gong-flows-sim`): a stateful stand-in for Gong on
//!   127.0.0.1. Assign, then ask who is in the flow, then unassign: the
//!   state follows. Best for behaviour across calls.
//! - **typed mocks** (`gong-flows-httpmock`): one answer per request, built
//!   from what the test cares about (`answers::assign(flow, assigned,
//!   refused)`), matched on the ids sent. Best for one exact answer, or an
//!   error Gong rarely gives.
//!
//! ```sh
//! cargo run -p gong-flows --example testing   # runs both
//! cargo test -p gong-flows --example testing  # the same, as tests
//! ```
//!
//! The code under test is `enrol`: it finds a flow by name and assigns a
//! list of prospects to it, returning a one-line summary.

use gong_flows::{AssignErrorCode, Client, Flow};
use gong_flows_httpmock::{MockServerExt as _, answers};
use gong_flows_sim::{SimConfig, Simulator, dataset};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The code under test: puts `ids` into the flow named `flow_name`.
async fn enrol(client: &Client, owner: &str, flow_name: &str, ids: &[&str]) -> Result<String> {
    let flow = client
        .find_flow(owner, flow_name)
        .await?
        .ok_or_else(|| format!("no flow named {flow_name:?}"))?;
    // A job stopped by an error (bad credentials, a rate limit past the
    // retry policy) is an `Err`; refusals of single prospects are not.
    let report = client.assign(&flow.id, owner).prospects(ids).send().await?;
    Ok(format!("{}: {report}", flow.name()))
}

/// Style 1: against the simulator, which keeps state between calls.
async fn with_the_simulator() -> Result<String> {
    let sim = Simulator::start(SimConfig::default().no_rate_limits())?;
    let client = Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .unpaced()
        .build()?;
    let owner = dataset::DEFAULT_USER_EMAIL;
    let summary = enrol(&client, owner, dataset::SDR_FLOW_NAME, &["a1", "a2"]).await?;
    assert_eq!(
        summary,
        "SDR Flow: 2 assigned, 0 refused, 0 not attempted (1 call)"
    );
    // The simulator remembers: each prospect is in the flow once.
    assert_eq!(sim.times_assigned(dataset::SDR_FLOW_ID, "a1"), 1);
    // Running the job again changes nothing: the prospect is already in the
    // flow (Gong's refusal, confirmed by a look-up), which counts as done.
    let again = enrol(&client, owner, dataset::SDR_FLOW_NAME, &["a1"]).await?;
    assert_eq!(
        again,
        "SDR Flow: 0 assigned, 0 refused, 0 not attempted, 1 already in flow (2 calls)"
    );
    sim.shutdown().await;
    Ok(summary)
}

/// Style 2: typed mocks, one exact answer per request.
async fn with_typed_mocks() -> Result<String> {
    let server = httpmock::MockServer::start_async().await;
    let owner = "owner@example.com";
    let flows = server.list_flows(|when, then| {
        when.flow_owner_email(owner);
        then.ok(&answers::flows([
            Flow::new("42", "Renewals"),
            Flow::new("43", "SDR Flow"),
        ]));
    });
    let assign = server.assign_prospects(|when, then| {
        // Matches these ids in any order, whatever else the body holds.
        when.prospect_ids(["a1", "bad-id"]).flow_id("43");
        then.ok(&answers::assign(
            "43",
            &["a1"],
            &[("bad-id", AssignErrorCode::InvalidArgument)],
        ));
    });
    let client = Client::builder()
        .base_url(server.base_url())
        .basic_auth("key", "secret")
        .unpaced()
        .build()?;
    let summary = enrol(&client, owner, "SDR Flow", &["a1", "bad-id"]).await?;
    assert_eq!(
        summary,
        "SDR Flow: 1 assigned, 1 refused, 0 not attempted (1 call)"
    );
    flows.assert_calls(1);
    assign.assert_calls(1);

    // An error answer, with Gong's request id.
    server.list_flows(|when, then| {
        when.flow_owner_email("intern@example.com");
        then.forbidden(&answers::error(&["Missing scope api:flows:read"]));
    });
    let err = enrol(&client, "intern@example.com", "SDR Flow", &["a1"])
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("forbidden: listFlows answered 403")
    );
    Ok(summary)
}

#[tokio::main]
async fn main() -> Result<()> {
    println!("simulator:   {}", with_the_simulator().await?);
    println!("typed mocks: {}", with_typed_mocks().await?);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn enrol_against_the_simulator() {
        super::with_the_simulator().await.unwrap();
    }

    #[tokio::test]
    async fn enrol_against_typed_mocks() {
        super::with_typed_mocks().await.unwrap();
    }
}
