//! Every write whose answer was lost is settled by a look-up, never by a
//! blind repeat, and never reported as a failure when it was applied; a
//! 400 that is not about unknown ids refuses the chunk at once; unknown
//! instance ids cost a look-up, not a bisection.

mod common;

use common::{Reply, ScriptServer};
use gong_flows::{Client, Outcome};
use gong_flows_sim::{Endpoint, Fault, SimConfig, Simulator, dataset};

const FLOW: &str = dataset::SDR_FLOW_ID;
const OWNER: &str = dataset::DEFAULT_USER_EMAIL;

fn sim() -> Simulator {
    Simulator::start(SimConfig::default().no_rate_limits()).unwrap()
}

fn client(sim: &Simulator) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .basic_auth(
            gong_flows_sim::DEFAULT_ACCESS_KEY,
            gong_flows_sim::DEFAULT_ACCESS_KEY_SECRET,
        )
        .unpaced()
        .build()
        .unwrap()
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:03}")).collect()
}

async fn instances_of(client: &Client, crm: &[String]) -> Vec<String> {
    let report = client
        .assign(FLOW, OWNER)
        .prospects(crm)
        .send()
        .await
        .unwrap();
    report
        .assigned
        .iter()
        .map(|a| a.flow_instance_id().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_lost_unassign_by_instance_answer_is_reported_unassigned() {
    let sim = sim();
    let client = client(&sim);
    let instances = instances_of(&client, &ids("lost-i", 16)).await;
    sim.reset_counters();
    sim.script_faults(Some(Endpoint::UnassignFlows), Fault::AppliedThenFailed, 1);
    let report = client.unassign_instances(&instances).send().await.unwrap();
    assert_eq!(report.unassigned.len(), 16, "{report:?}");
    assert!(report.unassigned.iter().all(|u| u.confirmed_by_lookup));
    assert!(report.not_unassigned.is_empty() && report.not_attempted.is_empty());
    assert_eq!(sim.instance_count(), 0, "every one is gone");
    // A look-up before, the lost call, one look-up after: no repeat, no
    // bisection.
    assert_eq!(report.stats.requests, 3);
    assert_eq!(sim.counters().calls(Endpoint::UnassignFlows), 1);
    assert_eq!(Outcome::of_report(&report), Outcome::Done);
}

#[tokio::test]
async fn a_lost_unassign_by_crm_id_answer_is_reported_unassigned() {
    let sim = sim();
    let client = client(&sim);
    let crm = ids("lost-c", 3);
    instances_of(&client, &crm).await;
    sim.script_faults(Some(Endpoint::UnassignFlows), Fault::AppliedThenFailed, 1);
    let report = client
        .unassign_prospects(&crm)
        .flow_id(FLOW)
        .send()
        .await
        .unwrap();
    assert_eq!(report.unassigned.len(), 3, "{report:?}");
    assert!(
        report.unassigned.iter().all(|u| u.confirmed_by_lookup),
        "the one call carried all three: {report:?}"
    );
    assert!(report.not_unassigned.is_empty());
    assert_eq!(sim.instance_count(), 0);
    // A look-up, the lost call, a look-up: never repeated blindly.
    assert_eq!(report.stats.requests, 3);
    assert_eq!(sim.counters().calls(Endpoint::UnassignFlows), 1);
}

#[tokio::test]
async fn a_lost_answer_that_removed_nothing_is_sent_again_after_the_look_up() {
    let sim = sim();
    let client = client(&sim);
    let instances = instances_of(&client, &ids("lost-n", 4)).await;
    sim.reset_counters();
    // A 500 before anything is applied: the look-up finds them all still
    // there, and they are sent once more.
    sim.script_faults(Some(Endpoint::UnassignFlows), Fault::Status500, 1);
    let report = client.unassign_instances(&instances).send().await.unwrap();
    assert_eq!(report.unassigned.len(), 4);
    assert!(report.unassigned.iter().all(|u| !u.confirmed_by_lookup));
    assert_eq!(sim.counters().calls(Endpoint::UnassignFlows), 2);
    assert_eq!(
        sim.counters().calls(Endpoint::GetProspectsAssignedFlows),
        2,
        "one look-up before, one after the lost answer"
    );
}

#[tokio::test]
async fn unknown_instance_ids_cost_at_most_three_calls_per_chunk() {
    for unknown in [1usize, 5, 50, 200] {
        let sim = sim();
        let client = client(&sim);
        let known = instances_of(&client, &ids(&format!("k{unknown}"), 200 - unknown)).await;
        let mut chunk: Vec<String> = known.clone();
        for i in 0..unknown {
            // Decimal ids the simulator never issued.
            chunk.insert(i * 3 % (chunk.len() + 1), format!("99999999{i:08}"));
        }
        sim.reset_counters();
        let report = client.unassign_instances(&chunk).send().await.unwrap();
        assert_eq!(report.unassigned.len(), 200 - unknown, "k = {unknown}");
        assert_eq!(report.not_unassigned.len(), unknown, "k = {unknown}");
        assert!(
            report.not_unassigned[0]
                .error_message
                .contains("does not exist"),
            "{:?}",
            report.not_unassigned[0]
        );
        assert!(
            report.stats.requests <= 3,
            "k = {unknown}: {} calls",
            report.stats.requests
        );
    }
}

#[tokio::test]
async fn a_400_that_names_no_id_refuses_the_whole_chunk_at_once() {
    let server = ScriptServer::start().await;
    common::answer_lookups(&server, "77", |_| true);
    server.script(
        "/v2/flows/prospects/unassign-flows-by-instance-id",
        [Reply::error(
            400,
            "req-user",
            "User nobody@example.com was not found",
        )],
    );
    let client = common::client(&server.url).build().unwrap();
    let ids: Vec<String> = (0..200).map(|i| format!("{}", 1_000_000 + i)).collect();
    let report = client
        .unassign_instances(&ids)
        .unassigned_by("nobody@example.com")
        .send()
        .await
        .unwrap();
    // One more call, of Gong's smaller limit, tells that the size was not
    // the problem: no bisection (each call has its look-up before).
    let calls = server.seen_at("/v2/flows/prospects/unassign-flows-by-instance-id");
    assert_eq!(calls.len(), 2);
    assert_eq!(report.not_unassigned.len(), 200);
    assert!(
        report.not_unassigned[0]
            .error_message
            .contains("User nobody@example.com was not found")
    );
}

#[tokio::test]
async fn a_bulk_job_still_running_at_the_poll_limit_is_pending_and_resumed_later() {
    use gong_flows::{BulkProspect, PollPolicy};
    use std::time::Duration;

    // Each stage of a bulk job takes 1.5 s; polling gives up after 150 ms.
    let sim = Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .bulk_stage(Duration::from_millis(1500)),
    )
    .unwrap();
    let client = client(&sim);
    let people = vec![
        BulkProspect::crm_id("bulk-p-1"),
        BulkProspect::new("Ann", "Pending").email("ann@example.com"),
    ];
    let short = PollPolicy {
        first_interval: Duration::from_millis(50),
        max_interval: Duration::from_millis(50),
        limit: Duration::from_millis(150),
    };
    let report = client
        .bulk_assign(FLOW, OWNER)
        .poll_policy(short)
        .prospects(people.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(report.pending.len(), 2, "{report:?}");
    assert!(
        report.not_attempted.is_empty(),
        "accepted, not 'not attempted'"
    );
    assert_eq!(report.jobs.len(), 1);
    assert_eq!(report.pending[0].job_id, report.jobs[0].id);
    assert_eq!(Outcome::of_report(&report), Outcome::Stopped);
    assert!(report.to_string().contains("2 pending"), "{report}");
    // Saved and read back, it can still be resumed.
    let mut done: gong_flows::BulkAssignReport =
        serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();

    let patient = PollPolicy {
        first_interval: Duration::from_millis(100),
        max_interval: Duration::from_millis(200),
        limit: Duration::from_secs(30),
    };
    sim.reset_counters();
    let run = client
        .bulk_assign(FLOW, OWNER)
        .poll_policy(patient)
        .resume(done.pending.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        u64::from(run.stats.requests),
        sim.counters().total,
        "every poll is counted"
    );
    done.merge_run(run);
    assert!(done.pending.is_empty(), "{done:?}");
    assert_eq!(done.assigned.len(), 2, "{done:?}");
    assert_eq!(done.jobs.len(), 1, "the job's state is replaced, not added");
    assert_eq!(
        sim.counters()
            .calls(Endpoint::SubmitFlowProspectsBulkAssignment),
        0,
        "nothing was submitted again"
    );
    assert_eq!(sim.times_assigned(FLOW, "bulk-p-1"), 1);
    assert_eq!(Outcome::of_report(&done), Outcome::Done);
}

#[tokio::test]
async fn a_lower_assign_limit_at_gong_is_learned_once_and_nothing_is_lost() {
    let sim = Simulator::start(SimConfig::default().no_rate_limits().assign_limit(100)).unwrap();
    let client = client(&sim);
    let first = ids("limit-a", 450);
    let report = client
        .assign(FLOW, OWNER)
        .prospects(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 450, "{report}");
    assert_eq!(report.stats.learned_chunk_size, Some(100));
    // At most one refused call per chunk in flight, then calls of 100.
    let calls = report.stats.requests;
    assert!((5..=8).contains(&calls), "{calls} calls");
    for id in &first {
        assert_eq!(sim.times_assigned(FLOW, id), 1, "{id}");
    }
    // The same client keeps the size: no refused call any more.
    sim.reset_counters();
    let second = ids("limit-b", 400);
    let report = client
        .assign(FLOW, OWNER)
        .prospects(&second)
        .send()
        .await
        .unwrap();
    assert_eq!(report.assigned.len(), 400);
    assert_eq!(report.stats.requests, 4, "four calls of 100");
    assert_eq!(sim.counters().calls(Endpoint::AssignProspects), 4);
}

#[tokio::test]
async fn a_whole_call_refusal_that_is_not_the_size_is_reported_with_gongs_message() {
    let server = ScriptServer::start().await;
    server.script(
        "/v2/flows/prospects/assign",
        [Reply::error(
            400,
            "req-owner",
            "Invalid flowInstanceOwnerEmail",
        )],
    );
    let client = common::client(&server.url).concurrency(1).build().unwrap();
    let all = ids("nosize", 450);
    let (_, report) = common::stopped(client.assign(FLOW, OWNER).prospects(&all).send().await);
    // 200 refused, then 100 refused the same way: not a size problem. The
    // chunk is refused with Gong's message, and the job stops there.
    assert_eq!(server.seen().len(), 2, "{report}");
    assert_eq!(report.not_assigned.len(), 200);
    assert!(
        report.not_assigned[0]
            .error_message
            .as_deref()
            .unwrap()
            .contains("Invalid flowInstanceOwnerEmail")
    );
    assert_eq!(report.not_attempted.len(), 250);
    assert_eq!(report.total(), 450);
    assert!(report.stats.stopped.is_some());
}

#[tokio::test]
async fn a_saved_bulk_report_whose_only_open_work_is_pending_resumes_and_polls() {
    use gong_flows::{BulkProspect, PollPolicy, SavedJob, SavedReport};
    use std::time::Duration;

    // Each stage of a bulk job takes 1 s; the first run stops polling
    // after 60 ms, so its prospects are left pending, and nothing else.
    let sim = Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .bulk_stage(Duration::from_millis(1000)),
    )
    .unwrap();
    let client = client(&sim);
    let short = PollPolicy {
        first_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(20),
        limit: Duration::from_millis(60),
    };
    let job = client
        .bulk_assign(FLOW, OWNER)
        .poll_policy(short)
        .prospects([
            BulkProspect::crm_id("saved-p-1"),
            BulkProspect::crm_id("saved-p-2"),
        ]);
    let (_, report) = SavedJob::new(job).unwrap().start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulk.json");
    report.await.save(&path).unwrap();

    let saved = SavedReport::load(&path).unwrap();
    let left = saved.left();
    assert_eq!(
        (left.not_attempted, left.pending, left.resumable),
        (0, 2, 2)
    );
    assert_eq!(saved.unfinished(), 2, "pending jobs are unfinished work");
    assert_eq!(saved.outcome(), Outcome::Stopped);
    let error = SavedReport::refuse_overwrite(&path, true).unwrap_err();
    assert!(error.to_string().contains("unfinished"), "{error}");
    let step = saved.next_step(&path).unwrap();
    assert!(
        step.contains("still running") && step.contains("resume"),
        "{step}"
    );

    sim.reset_counters();
    let (_, resumed) = SavedJob::resume(saved, &client).unwrap().start().unwrap();
    let resumed = resumed.await;
    let counters = sim.counters();
    assert!(
        counters.calls(Endpoint::GetFlowProspectsBulkAssignment) >= 1,
        "the pending job is polled"
    );
    assert_eq!(
        counters.calls(Endpoint::SubmitFlowProspectsBulkAssignment),
        0,
        "nothing is submitted again"
    );
    let SavedReport::BulkAssign(done) = &resumed else {
        panic!("{resumed:?}")
    };
    assert_eq!(done.report.assigned.len(), 2, "{resumed:?}");
    assert!(done.report.pending.is_empty(), "{resumed:?}");
    assert_eq!(resumed.unfinished(), 0);
    assert_eq!(resumed.next_step(&path), None);
    assert_eq!(resumed.outcome(), Outcome::Done);
    assert_eq!(sim.times_assigned(FLOW, "saved-p-1"), 1);
}
