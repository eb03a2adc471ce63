//! Every path of `Client::from_env`, through `Client::builder_from_vars`:
//! the same reading of the `GONG_*` variables, without touching the
//! process's environment (so no `unsafe` `set_var`, and tests in parallel
//! cannot see each other's settings).

mod common;

use common::{Reply, ScriptServer};
use gong_flows::{Client, ClientBuilder, Error};
use serde_json::json;
use std::collections::HashMap;

const OWNER: &str = "owner@example.com";
const BASE: (&str, &str) = ("GONG_BASE_URL", "https://us-55616.api.gong.io");
const TOKEN: (&str, &str) = ("GONG_BEARER_TOKEN", "TOKEN-value");

/// The setting a configuration error names, and its reason.
fn refused(result: gong_flows::Result<ClientBuilder>) -> (String, String) {
    match result {
        Err(Error::Config { setting, reason }) => (setting, reason),
        Err(other) => panic!("expected a configuration error, got {other:?}"),
        Ok(builder) => panic!("expected a configuration error, got {builder:?}"),
    }
}

#[test]
fn a_missing_variable_is_named() {
    let (setting, reason) = refused(Client::builder_from_vars([TOKEN]));
    assert_eq!(
        (setting.as_str(), reason.as_str()),
        ("GONG_BASE_URL", "is not set")
    );

    let (setting, reason) = refused(Client::builder_from_vars([BASE]));
    assert_eq!(setting, "GONG_ACCESS_KEY");
    assert!(reason.contains("GONG_BEARER_TOKEN"), "{reason}");

    let (setting, _) = refused(Client::builder_from_vars([BASE, ("GONG_ACCESS_KEY", "k")]));
    assert_eq!(setting, "GONG_ACCESS_KEY_SECRET");
    let (setting, _) = refused(Client::builder_from_vars([
        BASE,
        ("GONG_ACCESS_KEY_SECRET", "s"),
    ]));
    assert_eq!(setting, "GONG_ACCESS_KEY");

    // Set but empty is not the same as missing: it is named too.
    let (setting, reason) = refused(Client::builder_from_vars([
        BASE,
        ("GONG_BEARER_TOKEN", " "),
    ]));
    assert_eq!(
        (setting.as_str(), reason.as_str()),
        ("GONG_BEARER_TOKEN", "is set but empty")
    );
}

#[test]
fn both_kinds_of_credentials_at_once_are_refused() {
    let (setting, _) = refused(Client::builder_from_vars([
        BASE,
        ("GONG_ACCESS_KEY", "k"),
        ("GONG_ACCESS_KEY_SECRET", "s"),
        TOKEN,
    ]));
    assert_eq!(setting, "GONG_BEARER_TOKEN");
}

#[test]
fn a_malformed_base_url_or_rate_is_named_with_what_was_expected() {
    let (setting, reason) = refused(Client::builder_from_vars([
        ("GONG_BASE_URL", "http://api.gong.io"),
        TOKEN,
    ]));
    assert_eq!(setting, "GONG_BASE_URL");
    assert!(reason.contains("https://"), "{reason}");

    for rate in ["fast", "0", "-1", "NaN"] {
        let (setting, reason) = refused(Client::builder_from_vars([
            BASE,
            TOKEN,
            ("GONG_RATE_LIMIT", rate),
        ]));
        assert_eq!(setting, "GONG_RATE_LIMIT", "{rate}");
        assert!(reason.contains(&format!("{rate:?}")), "{reason}");
    }
    let (setting, _) = refused(Client::builder_from_vars([
        BASE,
        TOKEN,
        ("GONG_DAILY_LIMIT", "lots"),
    ]));
    assert_eq!(setting, "GONG_DAILY_LIMIT");
}

#[tokio::test]
async fn the_rate_the_daily_limit_and_the_reserve_are_read() {
    let client = Client::builder_from_vars([
        BASE,
        TOKEN,
        ("GONG_RATE_LIMIT", "1.5"),
        ("GONG_DAILY_LIMIT", "2_000"),
        ("GONG_DAILY_RESERVE", "500"),
    ])
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(client.pacer().rate(), Some(1.5));
    let budget = client.pacer().budget().await.unwrap().unwrap();
    assert_eq!(
        (budget.limit, budget.reserve, budget.left),
        (2_000, 500, 1_500)
    );

    // A reserve alone is kept from Gong's 10,000 a day.
    let client = Client::builder_from_vars([BASE, TOKEN, ("GONG_DAILY_RESERVE", "1000")])
        .unwrap()
        .build()
        .unwrap();
    let budget = client.pacer().budget().await.unwrap().unwrap();
    assert_eq!((budget.limit, budget.left), (10_000, 9_000));
    assert_eq!(
        client.pacer().rate(),
        Some(gong_flows::GONG_CALLS_PER_SECOND)
    );

    // A reserve of the whole day, or beside no daily limit, is refused.
    let (setting, _) = refused(Client::builder_from_vars([
        BASE,
        TOKEN,
        ("GONG_DAILY_RESERVE", "10000"),
    ]));
    assert_eq!(setting, "GONG_DAILY_RESERVE");
    let (setting, _) = refused(Client::builder_from_vars([
        BASE,
        TOKEN,
        ("GONG_DAILY_LIMIT", "none"),
        ("GONG_DAILY_RESERVE", "10"),
    ]));
    assert_eq!(setting, "GONG_DAILY_RESERVE");

    // `none` turns pacing off.
    let client = Client::builder_from_vars([
        BASE,
        TOKEN,
        ("GONG_RATE_LIMIT", "none"),
        ("GONG_DAILY_LIMIT", "NONE"),
    ])
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(client.pacer().rate(), None);
    assert_eq!(client.pacer().budget().await.unwrap(), None);
}

/// The `Authorization` header of one call made by a client configured
/// from `vars` (plus the server's URL).
async fn authorization_sent(vars: &[(&str, &str)]) -> String {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows",
        [Reply::json(
            200,
            json!({"requestId": "req-1",
                   "records": {"totalRecords": 0, "currentPageSize": 0, "currentPageNumber": 0},
                   "flows": []}),
        )],
    );
    // A HashMap works as well as an array.
    let mut all: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    all.insert("GONG_BASE_URL".into(), server.url.clone());
    all.insert("GONG_RATE_LIMIT".into(), "none".into());
    let client = Client::builder_from_vars(all).unwrap().build().unwrap();
    client.list_flows(OWNER).send().await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    seen[0].headers["authorization"].clone()
}

#[tokio::test]
async fn basic_or_bearer_credentials_are_sent_as_set() {
    let basic = authorization_sent(&[
        ("GONG_ACCESS_KEY", "KEY"),
        ("GONG_ACCESS_KEY_SECRET", "SECRET"),
    ])
    .await;
    // base64("KEY:SECRET")
    assert_eq!(basic, "Basic S0VZOlNFQ1JFVA==");
    let bearer = authorization_sent(&[TOKEN]).await;
    assert_eq!(bearer, "Bearer TOKEN-value");
}

#[test]
fn the_last_value_of_a_name_given_twice_wins() {
    let client = Client::builder_from_vars([
        BASE,
        TOKEN,
        ("GONG_RATE_LIMIT", "fast"),
        ("GONG_RATE_LIMIT", "2"),
    ])
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(client.pacer().rate(), Some(2.0));
}
