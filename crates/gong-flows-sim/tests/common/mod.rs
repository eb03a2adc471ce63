//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::time::Duration;

use gong_flows_api::types::{AssignFlowRequestV2, AssignFlowResponse};
use gong_flows_sim::{SimConfig, Simulator, dataset};
use serde_json::Value;

/// A simulator without rate limits, bulk jobs completing at the first poll.
pub fn start() -> Simulator {
    start_with(SimConfig::default())
}

/// A simulator from `config` with the rate limits off and instant bulk jobs
/// unless the config says otherwise afterwards.
pub fn start_with(config: SimConfig) -> Simulator {
    Simulator::start(config.no_rate_limits().bulk_stage(Duration::ZERO)).expect("simulator starts")
}

/// A raw HTTP client.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// The assign request body.
pub fn assign_request(flow_id: &str, ids: &[&str]) -> AssignFlowRequestV2 {
    AssignFlowRequestV2 {
        crm_prospects_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
        flow_id: flow_id.to_owned(),
        flow_instance_owner_email: dataset::DEFAULT_USER_EMAIL.to_owned(),
        overrides: None,
        flow_instance_description: None,
    }
}

/// Assigns through the generated client and unwraps the 200.
pub async fn assign(sim: &Simulator, flow_id: &str, ids: &[&str]) -> AssignFlowResponse {
    sim.client()
        .assign_prospects()
        .body(assign_request(flow_id, ids))
        .send()
        .await
        .expect("assign answers 200")
        .into_inner()
}

/// A raw POST with the simulator's Basic credentials.
pub async fn post(sim: &Simulator, path: &str, body: &Value) -> reqwest::Response {
    http()
        .post(format!("{}{path}", sim.base_url()))
        .header("authorization", sim.basic_authorization().expect("basic"))
        .json(body)
        .send()
        .await
        .expect("answer")
}

/// A raw GET with the simulator's Basic credentials.
pub async fn get(sim: &Simulator, path_and_query: &str) -> reqwest::Response {
    http()
        .get(format!("{}{path_and_query}", sim.base_url()))
        .header("authorization", sim.basic_authorization().expect("basic"))
        .send()
        .await
        .expect("answer")
}

/// Asserts an error answer's shape: Gong's error content type, an
/// `ErrorResponse` whose `requestId` equals `x-traceid`, and returns its
/// messages.
pub async fn error_messages(response: reqwest::Response, status: u16) -> Vec<String> {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let trace = response.headers()["x-traceid"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: Value = response.json().await.expect("json error body");
    assert_eq!(body["requestId"], Value::String(trace));
    body["errors"]
        .as_array()
        .expect("errors array")
        .iter()
        .map(|e| e.as_str().expect("string").to_owned())
        .collect()
}

/// Unwraps the `ErrorResponse` of a generated-client error.
pub fn error_response(
    error: gong_flows_api::Error<gong_flows_api::types::ErrorResponse>,
) -> (u16, Vec<String>) {
    match error {
        gong_flows_api::Error::ErrorResponse(response) => {
            let status = response.status().as_u16();
            (status, response.into_inner().errors)
        }
        other => panic!("expected an ErrorResponse, got {other:?}"),
    }
}
