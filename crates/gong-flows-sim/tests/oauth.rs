//! The OAuth token endpoint on the wire: client authentication, single-use
//! refresh tokens, revocation, scoped access tokens that expire on the
//! simulator's clock, the customer's host, scripted 503s, and the API's
//! counters left alone.

use std::time::Duration;

use gong_flows_sim::{
    DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET, SCOPE_READ, SCOPE_WRITE, SimConfig,
    Simulator,
};
use serde_json::{Value, json};

fn start() -> Simulator {
    Simulator::start(SimConfig::default().no_rate_limits()).unwrap()
}

async fn token(sim: &Simulator, client: (&str, &str), body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(sim.oauth_token_url())
        .basic_auth(client.0, Some(client.1))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn refresh(token: &str) -> Value {
    json!({"grant_type": "refresh_token", "refresh_token": token})
}

const APP: (&str, &str) = (DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET);

async fn api_status(sim: &Simulator, access: &str, write: bool) -> u16 {
    let http = reqwest::Client::new();
    let request = if write {
        http.post(format!("{}/v2/flows/prospects/assign", sim.base_url()))
            .json(&json!({
                "crmProspectsIds": ["p1"],
                "flowId": gong_flows_sim::dataset::SDR_FLOW_ID,
                "flowInstanceOwnerEmail": gong_flows_sim::dataset::DEFAULT_USER_EMAIL,
            }))
    } else {
        http.get(format!(
            "{}/v2/flows?flowOwnerEmail=owner%40example.com",
            sim.base_url()
        ))
    };
    request
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn refresh_tokens_rotate_and_are_single_use() {
    let sim = start();
    let first = sim.issue_refresh_token(DEFAULT_OAUTH_CLIENT_ID, [SCOPE_READ, SCOPE_WRITE]);
    let (status, answer) = token(&sim, APP, refresh(&first)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["token_type"], "bearer");
    assert_eq!(answer["expires_in"], 3600);
    assert_eq!(answer["scope"], "api:flows:read api:flows:write");
    assert_eq!(answer["api_base_url_for_customer"], sim.base_url());
    let second = answer["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second, first);
    // The used one is dead; the new one works once.
    let (status, refused) = token(&sim, APP, refresh(&first)).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _) = token(&sim, APP, refresh(&second)).await;
    assert_eq!(status, 200);
    // The token endpoint is not an API call.
    assert_eq!(sim.counters().total, 0);
    assert_eq!(sim.token_calls(), 3);
}

#[tokio::test]
async fn bad_clients_grants_and_revoked_tokens_are_refused() {
    let sim = start();
    let live = sim.issue_refresh_token(DEFAULT_OAUTH_CLIENT_ID, [SCOPE_READ]);
    let (status, body) = token(&sim, (DEFAULT_OAUTH_CLIENT_ID, "wrong"), refresh(&live)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    // Another app cannot use this app's refresh token.
    sim.add_oauth_client("other-app", "other-secret");
    let (status, body) = token(&sim, ("other-app", "other-secret"), refresh(&live)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, body) = token(
        &sim,
        APP,
        json!({"grant_type": "authorization_code", "code": "x"}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, body) = token(&sim, APP, json!({"grant_type": "refresh_token"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    assert!(sim.revoke_refresh_token(&live));
    let (status, body) = token(&sim, APP, refresh(&live)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let get = reqwest::get(sim.oauth_token_url()).await.unwrap();
    assert_eq!(get.status().as_u16(), 405);
}

#[tokio::test]
async fn access_tokens_carry_their_scopes_and_expire_on_the_clock() {
    let sim = start();
    sim.set_access_token_lifetime(Duration::from_secs(600));
    let read_only = sim.issue_refresh_token(DEFAULT_OAUTH_CLIENT_ID, [SCOPE_READ]);
    let (_, answer) = token(&sim, APP, refresh(&read_only)).await;
    assert_eq!(answer["expires_in"], 600);
    let access = answer["access_token"].as_str().unwrap().to_owned();
    assert_eq!(api_status(&sim, &access, false).await, 200);
    assert_eq!(api_status(&sim, &access, true).await, 403);
    sim.advance_clock(Duration::from_secs(601));
    assert_eq!(api_status(&sim, &access, false).await, 401);

    let full = sim.issue_refresh_token(DEFAULT_OAUTH_CLIENT_ID, [SCOPE_READ, SCOPE_WRITE]);
    let (_, answer) = token(&sim, APP, refresh(&full)).await;
    let access = answer["access_token"].as_str().unwrap().to_owned();
    assert_eq!(api_status(&sim, &access, true).await, 200);
    sim.expire_access_tokens();
    assert_eq!(api_status(&sim, &access, false).await, 401);
    // The configured tokens still work.
    assert_eq!(
        api_status(&sim, gong_flows_sim::DEFAULT_FULL_TOKEN, false).await,
        200
    );
}

#[tokio::test]
async fn the_customer_host_and_scripted_failures() {
    let sim = start();
    sim.set_customer_base_url(Some("https://us-55616.api.gong.io".into()));
    sim.fail_token_calls(2);
    let first = sim.issue_refresh_token(DEFAULT_OAUTH_CLIENT_ID, [SCOPE_READ]);
    for _ in 0..2 {
        let (status, body) = token(&sim, APP, refresh(&first)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (503, Some("temporarily_unavailable"))
        );
    }
    // A 503 rotated nothing: the refresh token still works.
    let (status, answer) = token(&sim, APP, refresh(&first)).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer["api_base_url_for_customer"],
        "https://us-55616.api.gong.io"
    );
    assert_eq!(sim.token_calls(), 3);
}
