//! `OAuth` against the simulator's token endpoint: refresh ahead of expiry
//! and on a 401, rotated refresh tokens stored before use, a refused
//! refresh token stopping a job without a retry storm, the customer's host,
//! one token call for many tasks, no secret in logs, transient failures of
//! the endpoint retried, and two customers on one connection pool.

use gong_flows::{Client, Error, OAuth, OAuthBuilder, Outcome, RetryPolicy, Secret, TokenError};
use gong_flows_sim::{
    DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET, SCOPE_READ, SCOPE_WRITE, SimConfig,
    Simulator, dataset,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const FLOW: &str = dataset::SDR_FLOW_ID;
const OWNER: &str = dataset::DEFAULT_USER_EMAIL;
const MINUTE: Duration = Duration::from_secs(60);

fn sim() -> Simulator {
    Simulator::start(SimConfig::default().no_rate_limits()).unwrap()
}

/// The refresh tokens a store was given, in order.
type Rotations = Arc<Mutex<Vec<String>>>;

/// An `OAuth` for the simulator's default app with a new authorisation,
/// recording every rotation. No timeouts: tokio's paused clock must not
/// fire them while a request waits on real I/O.
fn oauth(sim: &Simulator) -> (OAuthBuilder, Rotations, String) {
    let refresh = sim.issue_refresh_token(DEFAULT_OAUTH_CLIENT_ID, [SCOPE_READ, SCOPE_WRITE]);
    let rotations = Rotations::default();
    let seen = rotations.clone();
    let builder = OAuth::builder(
        DEFAULT_OAUTH_CLIENT_ID,
        Secret::new(DEFAULT_OAUTH_CLIENT_SECRET),
        Secret::new(refresh.clone()),
    )
    .token_endpoint(sim.oauth_token_url())
    .http_client(gong_flows::reqwest::Client::new())
    .on_rotate(move |tokens| {
        seen.lock()
            .unwrap()
            .push(tokens.refresh_token.expose().to_owned());
        Ok(())
    });
    (builder, rotations, refresh)
}

fn quick() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(50))
}

/// A client without a base URL: the token answer names the host.
fn client(oauth: OAuth) -> gong_flows::ClientBuilder {
    Client::builder()
        .oauth(oauth)
        .unpaced()
        .request_timeout(None)
        .connect_timeout(None)
        .retry_policy(quick())
}

async fn connected(sim: &Simulator) -> (Client, OAuth, Rotations, String) {
    let (builder, rotations, first) = oauth(sim);
    let oauth = builder.build().unwrap();
    oauth.connect().await.unwrap();
    (
        client(oauth.clone()).build().unwrap(),
        oauth,
        rotations,
        first,
    )
}

/// What the token endpoint answers to `refresh_token` now.
async fn token_answer(sim: &Simulator, refresh_token: &str) -> (u16, serde_json::Value) {
    let response = gong_flows::reqwest::Client::new()
        .post(sim.oauth_token_url())
        .basic_auth(DEFAULT_OAUTH_CLIENT_ID, Some(DEFAULT_OAUTH_CLIENT_SECRET))
        .json(&serde_json::json!({"grant_type": "refresh_token", "refresh_token": refresh_token}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:04}")).collect()
}

#[tokio::test(start_paused = true)]
async fn the_token_is_refreshed_ahead_of_its_expiry_without_a_401() {
    let sim = sim();
    sim.set_access_token_lifetime(Duration::from_secs(3600));
    let (client, _oauth, rotations, _) = connected(&sim).await;
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(sim.token_calls(), 1);
    // 50 minutes on: still outside the 5-minute margin.
    tokio::time::advance(50 * MINUTE).await;
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(sim.token_calls(), 1, "no refresh before the margin");
    // 56 minutes on: within it, so the next call refreshes first.
    tokio::time::advance(6 * MINUTE).await;
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(sim.token_calls(), 2, "refreshed within the margin");
    // Past the first token's expiry: the new one works.
    tokio::time::advance(10 * MINUTE).await;
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(sim.token_calls(), 2);
    assert_eq!(sim.counters().unauthorized, 0, "no call met a 401");
    assert_eq!(rotations.lock().unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_token_expired_early_is_refreshed_once_on_the_401() {
    let sim = sim();
    let (client, _oauth, _, _) = connected(&sim).await;
    client.list_flows(OWNER).send().await.unwrap();
    sim.expire_access_tokens();
    let flows = client.list_flows(OWNER).send().await.unwrap();
    assert!(!flows.items.is_empty());
    assert_eq!(sim.counters().unauthorized, 1);
    assert_eq!(sim.token_calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn every_rotated_refresh_token_is_stored_in_order_before_its_access_token_is_used() {
    let sim = sim();
    let (builder, _, first) = oauth(&sim);
    // A store that fails once, then records.
    let stored = Rotations::default();
    let fails = Arc::new(AtomicUsize::new(1));
    let (record, left) = (stored.clone(), fails.clone());
    let oauth = builder
        .on_rotate(move |tokens| {
            if left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
            {
                return Err(TokenError::from("database down"));
            }
            record
                .lock()
                .unwrap()
                .push(tokens.refresh_token.expose().to_owned());
            Ok(())
        })
        .api_base_url(sim.base_url())
        .build()
        .unwrap();
    let client = client(oauth).build().unwrap();
    // The first refresh's tokens could not be stored: their access token
    // is not used, so Gong sees nothing.
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::Token { .. }), "{err:?}");
    assert!(err.to_string().contains("database down"), "{err}");
    assert_eq!(sim.counters().total, 0, "no call with an unstored token");
    assert_eq!(sim.token_calls(), 1);
    // The next call stores them (no second refresh: the old token is dead)
    // and goes on.
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(sim.token_calls(), 1);
    for _ in 0..3 {
        sim.expire_access_tokens();
        client.list_flows(OWNER).send().await.unwrap();
    }
    assert_eq!(sim.token_calls(), 4);
    let stored = stored.lock().unwrap().clone();
    assert_eq!(stored.len(), 4, "{stored:?}");
    let distinct: std::collections::HashSet<_> = stored.iter().collect();
    assert_eq!(distinct.len(), 4);
    assert!(!stored.contains(&first));
    // Every refresh token but the newest is dead at the endpoint.
    for dead in std::iter::once(&first).chain(&stored[..3]) {
        let (status, body) = token_answer(&sim, dead).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_grant"))
        );
    }
    let (status, body) = token_answer(&sim, &stored[3]).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(start_paused = true)]
async fn a_revoked_refresh_token_stops_the_job_with_token_refused_and_no_retry_storm() {
    let sim = sim();
    let (_, oauth, rotations, _) = connected(&sim).await;
    let client = client(oauth)
        .concurrency(4)
        .chunk_sizes(gong_flows::ChunkSizes::default().with_assign(50))
        .build()
        .unwrap();
    let latest = rotations.lock().unwrap().last().unwrap().clone();
    assert!(sim.revoke_refresh_token(&latest));
    sim.expire_access_tokens();
    let inputs = ids("p", 430);
    let failure = client
        .assign(FLOW, OWNER)
        .prospects(&inputs)
        .send()
        .await
        .expect_err("a job stopped by a refused token is an Err");
    assert_eq!(failure.kind(), "token-refused");
    let report = failure
        .into_report()
        .expect("a stopped job carries its report");
    let stopped = report.stats.stopped.clone().expect("the job stopped");
    assert!(
        matches!(*stopped, Error::TokenRefused { .. }),
        "{stopped:?}"
    );
    assert_eq!(stopped.kind(), "token-refused");
    assert!(stopped.to_string().contains("invalid_grant"), "{stopped}");
    assert!(!stopped.is_retryable());
    // Every input accounted for: nothing was assigned, all not attempted.
    assert!(report.assigned.is_empty());
    assert_eq!(
        report.assigned.len()
            + report.already_in_flow.len()
            + report.not_assigned.len()
            + report.not_attempted.len(),
        inputs.len()
    );
    assert!(report.not_attempted.iter().all(|n| !n.may_have_been_sent));
    assert_eq!(Outcome::of_report(&report), Outcome::Auth);
    assert_eq!(sim.instance_count(), 0);
    // One refused refresh (after the first, good one), however many chunks
    // met the 401; later calls fail at once.
    assert_eq!(sim.token_calls(), 2);
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::TokenRefused { .. }), "{err:?}");
    assert_eq!(sim.token_calls(), 2);
    assert!(sim.counters().unauthorized <= 4, "{:?}", sim.counters());
}

#[tokio::test]
async fn the_customer_host_comes_from_the_token_answer() {
    let sim = sim();
    let (builder, _, _) = oauth(&sim);
    let oauth = builder.build().unwrap();
    // Not known before the first token answer.
    let err = client(oauth.clone()).build().unwrap_err();
    assert!(
        matches!(&err, Error::Config { setting, .. } if setting == "base_url"),
        "{err:?}"
    );
    oauth.connect().await.unwrap();
    assert_eq!(oauth.api_base_url(), Some(sim.base_url()));
    let client = client(oauth.clone()).build().unwrap();
    assert_eq!(client.base_url(), sim.base_url());
    assert!(
        !client
            .list_flows(OWNER)
            .send()
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(client.company().host, sim.addr().to_string());

    // The next answer names another host: a client built after calls it,
    // unless a base URL is given, which wins.
    sim.set_customer_base_url(Some("http://127.0.0.1:9".into()));
    sim.expire_access_tokens();
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(oauth.api_base_url().as_deref(), Some("http://127.0.0.1:9"));
    assert_eq!(
        client.base_url(),
        sim.base_url(),
        "built clients keep theirs"
    );
    let later = self::client(oauth.clone()).build().unwrap();
    assert_eq!(later.base_url(), "http://127.0.0.1:9");
    let explicit = self::client(oauth)
        .base_url(sim.base_url())
        .build()
        .unwrap();
    assert_eq!(explicit.base_url(), sim.base_url());
    explicit.list_flows(OWNER).send().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn twenty_tasks_at_once_make_one_token_call() {
    let sim = sim();
    let (builder, rotations, _) = oauth(&sim);
    // Resumed with the host only: the first calls need a token.
    let oauth = builder.api_base_url(sim.base_url()).build().unwrap();
    let client = client(oauth).build().unwrap();
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_flows(OWNER).send().await })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(sim.token_calls(), 1);
    assert_eq!(rotations.lock().unwrap().len(), 1);
    assert_eq!(sim.counters().unauthorized, 0);

    // Twenty 401s for one expired token, answered at different times: one
    // refresh, the others take its token.
    sim.expire_access_tokens();
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_flows(OWNER).send().await })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(sim.counters().unauthorized, 20);
    assert_eq!(sim.token_calls(), 2);
    assert_eq!(rotations.lock().unwrap().len(), 2);
}

#[tracing_test::traced_test]
#[tokio::test]
async fn no_token_or_secret_appears_in_logs_debug_or_errors() {
    let sim = sim();
    let (client, oauth, rotations, first) = connected(&sim).await;
    client.list_flows(OWNER).send().await.unwrap();
    sim.expire_access_tokens();
    client.list_flows(OWNER).send().await.unwrap();
    // The access tokens the simulator issued, from the refresh tokens'
    // neighbours: ask the endpoint for one more to know its shape.
    let latest = rotations.lock().unwrap().last().unwrap().clone();
    let (_, answer) = token_answer(&sim, &latest).await;
    let access = answer["access_token"].as_str().unwrap().to_owned();
    let refresh = answer["refresh_token"].as_str().unwrap().to_owned();
    // The last refresh token is now dead: the next refresh is refused.
    sim.expire_access_tokens();
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::TokenRefused { .. }), "{err:?}");

    let mut secrets = rotations.lock().unwrap().clone();
    secrets.extend([
        first,
        access,
        refresh,
        DEFAULT_OAUTH_CLIENT_SECRET.to_owned(),
    ]);
    // Every access token the client used: "sim-access-<n>-…" for the
    // numbers the simulator minted; the prefixes are enough to find one.
    let texts = [
        format!("{client:?}"),
        format!("{oauth:?}"),
        format!("{err:?}"),
        err.to_string(),
    ];
    for text in &texts {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{secret} in {text}");
        }
        assert!(!text.contains("sim-access-"), "{text}");
        assert!(!text.contains("sim-refresh-"), "{text}");
    }
    assert!(
        logs_contain("refreshed the OAuth access token"),
        "logs are captured"
    );
    assert!(logs_contain("gong_flows.call"));
    for secret in &secrets {
        assert!(!logs_contain(secret), "{secret} in the logs");
    }
    assert!(!logs_contain("sim-access-"), "an access token in the logs");
    assert!(!logs_contain("sim-refresh-"), "a refresh token in the logs");
    let encoded = base64_of(&format!(
        "{DEFAULT_OAUTH_CLIENT_ID}:{DEFAULT_OAUTH_CLIENT_SECRET}"
    ));
    assert!(!logs_contain(&encoded));
}

fn base64_of(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test(start_paused = true)]
async fn a_failing_token_endpoint_is_retried_by_the_retry_policy() {
    let sim = sim();
    let (builder, _, _) = oauth(&sim);
    let oauth = builder.api_base_url(sim.base_url()).build().unwrap();
    let client = client(oauth).build().unwrap();
    sim.fail_token_calls(2);
    client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(sim.token_calls(), 3, "two 503s, then a token");

    // Failing for good: as many tries as the policy's attempts, then a
    // token error; the call itself was never sent.
    sim.expire_access_tokens();
    sim.fail_token_calls(100);
    let before = sim.counters().total;
    let err = client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::Token { .. }), "{err:?}");
    assert!(err.to_string().contains("503"), "{err}");
    assert!(!err.may_have_been_sent());
    // The first attempt met the 401; the refresh then failed 4 times.
    assert_eq!(sim.token_calls(), 3 + u64::from(quick().max_attempts()));
    assert_eq!(sim.counters().total, before + 1);
}

#[tokio::test(start_paused = true)]
async fn two_customers_share_one_pool_and_keep_their_own_budgets() {
    let (acme, globex) = (sim(), sim());
    let http = gong_flows::reqwest::Client::new();
    let customer = |sim: &Simulator| {
        let (builder, _, _) = oauth(sim);
        let oauth = builder.http_client(http.clone()).build().unwrap();
        let client = Client::builder()
            .oauth(oauth.clone())
            .http_client(http.clone())
            .rate_limit(None)
            .daily_budget(5)
            .retry_policy(quick());
        (oauth, client)
    };
    let (acme_oauth, acme_client) = customer(&acme);
    let (globex_oauth, globex_client) = customer(&globex);
    acme_oauth.connect().await.unwrap();
    globex_oauth.connect().await.unwrap();
    let acme_client = acme_client.build().unwrap();
    let globex_client = globex_client.build().unwrap();
    let acme_company = acme_client.company();
    assert_ne!(acme_company, globex_client.company());

    for _ in 0..5 {
        acme_client.list_flows(OWNER).send().await.unwrap();
    }
    let err = acme_client.list_flows(OWNER).send().await.unwrap_err();
    assert!(matches!(err, Error::DailyBudgetExhausted { .. }), "{err:?}");
    // Acme's spent budget is not Globex's.
    let globex_company = globex_client.company();
    for _ in 0..2 {
        globex_client.list_flows(OWNER).send().await.unwrap();
    }
    // A refresh (a 401, then the repeat) changes the tokens, not the
    // company.
    globex.expire_access_tokens();
    globex_client.list_flows(OWNER).send().await.unwrap();
    assert_eq!(globex_client.company(), globex_company);
    assert_eq!(acme_client.company(), acme_company);
    assert_eq!(acme.counters().total, 5);
    assert_eq!(globex.counters().total, 4);
    assert_eq!((acme.token_calls(), globex.token_calls()), (1, 2));
}

#[tokio::test]
async fn a_401_for_a_token_already_replaced_takes_the_new_one() {
    use gong_flows::TokenProvider as _;
    let sim = sim();
    let (builder, rotations, _) = oauth(&sim);
    let oauth = builder.build().unwrap();
    let first = oauth.token().await.unwrap();
    assert_eq!(oauth.token().await.unwrap(), first, "cached");
    // A task's 401 for `first`: a refresh.
    let second = oauth.refresh_refused(&first).await.unwrap();
    assert_ne!(second, first);
    assert_eq!(sim.token_calls(), 2);
    // Another task's 401 for `first`, arriving after that refresh: no
    // second one.
    assert_eq!(oauth.refresh_refused(&first).await.unwrap(), second);
    assert_eq!(sim.token_calls(), 2);
    // A 401 for the current token refreshes; a bare refresh always does.
    let third = oauth.refresh_refused(&second).await.unwrap();
    assert_ne!(third, second);
    let fourth = oauth.refresh().await.unwrap();
    assert_ne!(fourth, third);
    assert_eq!(sim.token_calls(), 4);
    assert_eq!(rotations.lock().unwrap().len(), 4);
}
