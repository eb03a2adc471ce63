//! For random inputs and random answers to every call, every unique input id
//! lands in exactly one bucket of the report.

mod common;

use common::{Reply, ScriptServer, client, ids_of, instance};
use proptest::prelude::*;
use rand::rngs::SmallRng;
use rand::{Rng as _, SeedableRng as _};
use serde_json::json;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

const FLOW: &str = "77";
const OWNER: &str = "owner@example.com";

/// What the server does with one assign call.
#[derive(Debug, Clone)]
enum Answer {
    /// 200; each id assigned, refused or left out at random.
    Mixed,
    /// An error status (with `Retry-After: 0` for 429 and 503).
    Status(u16),
    /// 200 with a body that is not JSON.
    Malformed,
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        4 => Just(Answer::Mixed),
        1 => prop::sample::select(vec![400u16, 401, 403, 404, 429, 500, 502, 503]).prop_map(Answer::Status),
        1 => Just(Answer::Malformed),
    ]
}

fn run(ids: Vec<String>, answers: Vec<Answer>, seed: u64, batch: usize, concurrency: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async move {
        let server = ScriptServer::start().await;
        let state = Arc::new(Mutex::new((0usize, SmallRng::seed_from_u64(seed))));
        server.handle(move |seen| {
            let mut state = state.lock().unwrap();
            let (next, rng) = &mut *state;
            if seen.path == "/v2/flows/prospects" {
                // A look-up finds a random subset in the flow.
                let asked = ids_of(&json!({"crmProspectsIds": seen.body["crmProspectsIds"]}));
                let mut found = Vec::new();
                for id in &asked {
                    if rng.random_bool(0.5) {
                        if rng.random_bool(0.8) {
                            found.push(instance(FLOW, id));
                        } else {
                            // In another flow, under an instance id of its own.
                            let mut other = instance("other", id);
                            other["flowInstanceId"] = json!(format!("other-{id}"));
                            found.push(other);
                        }
                    }
                }
                return Some(Reply::json(200, json!({"requestId": "look", "prospectsAssigned": found})));
            }
            let answer = answers[*next % answers.len()].clone();
            *next += 1;
            Some(match answer {
                Answer::Mixed => {
                    let mut assigned = Vec::new();
                    let mut refused = Vec::new();
                    for id in ids_of(&seen.body) {
                        match rng.random_range(0..4) {
                            0 | 1 => assigned.push(instance(FLOW, &id)),
                            2 => refused.push(json!({"crmProspectId": id, "flowId": FLOW,
                                "errorCode": if rng.random_bool(0.5) { "InvalidState" } else { "InvalidArgument" },
                                "errorMessage": "no"})),
                            _ => {}
                        }
                    }
                    Reply::json(200, json!({"requestId": format!("r{next}"),
                        "prospectsAssigned": assigned, "prospectsNotAssigned": refused}))
                }
                Answer::Status(status) => {
                    Reply::error(status, &format!("e{next}"), "scripted").header("Retry-After", "0")
                }
                Answer::Malformed => Reply {
                    status: 200,
                    headers: vec![("content-type".into(), "application/json".into())],
                    body: "{\"requestId\": \"trunc".into(),
                    delay: None,
                },
            })
        });
        let client = client(&server.url).concurrency(concurrency).build().unwrap();
        // A job that stopped is an `Err` whose report still has every
        // input; a job that did everything is `Ok`.
        let report = match client
            .assign(FLOW, OWNER)
            .prospects(&ids)
            .chunk_size(batch)
            .send()
            .await
        {
            Ok(report) => {
                assert!(report.is_complete(), "{report:?}");
                report
            }
            Err(gong_flows::JobError::Stopped { report, .. }) => {
                assert!(!report.is_complete(), "{report:?}");
                *report
            }
            Err(other) => panic!("nothing sent: {other}"),
        };

        let unique: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let mut placed: Vec<&str> = Vec::new();
        placed.extend(report.assigned.iter().map(|a| a.id.as_str()));
        placed.extend(report.already_in_flow.iter().map(|a| a.id.as_str()));
        placed.extend(report.not_assigned.iter().map(|n| n.id.as_str()));
        placed.extend(report.not_attempted.iter().map(|n| n.id.as_str()));
        let placed_set: HashSet<&str> = placed.iter().copied().collect();
        assert_eq!(placed.len(), placed_set.len(), "an id is in two places: {report:#?}");
        assert_eq!(placed_set, unique, "ids lost or invented: {report:#?}");
        assert_eq!(report.stats.duplicates.len(), ids.len() - unique.len());
        assert_eq!(report.total(), unique.len());
        // Every reconciled assignment really was found in the flow.
        for assigned in &report.assigned {
            let instance = assigned.flow_instance_id().unwrap_or_default();
            assert!(instance.starts_with("inst-"), "{assigned:?} is not in the flow");
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_unique_id_lands_in_exactly_one_bucket(
        ids in prop::collection::vec("[a-f][0-9]{0,2}", 0..60),
        answers in prop::collection::vec(answer(), 1..30),
        seed in any::<u64>(),
        batch in 1usize..9,
        concurrency in 1usize..4,
    ) {
        run(ids, answers, seed, batch, concurrency);
    }
}
