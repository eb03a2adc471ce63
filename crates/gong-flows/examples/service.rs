//! The shape of a service that runs jobs: a job started in the background
//! with `start()`, its progress read as JSON (printed here; a status
//! endpoint would return the same), cancelled on Ctrl-C or at a deadline,
//! and the partial report, which says what was done and exactly which ids
//! to run again.
//!
//! ```sh
//! cargo run -p gong-flows --example service            # cancels after 2 s
//! cargo run -p gong-flows --example service -- 10      # after 10 s
//! # On your tenant:
//! cargo run -p gong-flows --example service -- 60 <flow-id> <owner-email> <ids-file>
//! ```
//!
//! Without `GONG_BASE_URL` it runs against the embedded simulator: 20,000
//! made-up ids (100 calls at 20 calls per second, 5 s in all) go to the
//! seeded SDR flow, and the deadline stops the job part of the way.

mod support;

use gong_flows_sim::{SimConfig, dataset};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::fast_target(SimConfig::default(), 20.0)?;
    let client = &target.client;
    let mut args = std::env::args().skip(1);
    let seconds: f64 = match args.next() {
        Some(seconds) => seconds.parse()?,
        None => 2.0,
    };
    let (flow_id, owner, ids) = match (args.next(), args.next(), args.next()) {
        (Some(flow_id), Some(owner), Some(file)) => {
            let ids = gong_flows::input::read_ids(&file, None)?;
            (flow_id, owner, ids.unique)
        }
        (None, None, None) if target.is_simulated() => (
            dataset::SDR_FLOW_ID.to_owned(),
            dataset::DEFAULT_USER_EMAIL.to_owned(),
            (0..20_000).map(|i| format!("0035g{i:010}")).collect(),
        ),
        _ => {
            eprintln!("usage: service [<seconds> <flow-id> <owner-email> <ids-file>]");
            std::process::exit(2);
        }
    };

    // The job runs on its own task; the handle watches and stops it.
    let (handle, report) = client.assign(&flow_id, &owner).prospects(ids).start()?;
    let report = tokio::spawn(report);
    let progress = handle.progress();

    let deadline = tokio::time::sleep(Duration::from_secs_f64(seconds));
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(deadline, ctrl_c);
    let mut poll = tokio::time::interval(Duration::from_millis(250));
    loop {
        tokio::select! {
            _ = poll.tick() => {
                // What a `GET /jobs/{id}` handler would answer.
                let now = progress.borrow().clone();
                println!("{}", serde_json::to_string(&now)?);
                if now.finished {
                    break;
                }
            }
            () = &mut deadline => {
                eprintln!("deadline of {seconds} s: cancelling (the calls in flight finish)");
                handle.cancel();
                break;
            }
            _ = &mut ctrl_c => {
                eprintln!("Ctrl-C: cancelling (the calls in flight finish)");
                handle.cancel();
                break;
            }
        }
    }

    // A cancelled (or otherwise stopped) job is an `Err` that still carries
    // its report: nothing is lost, and what is left can run again.
    let report = match report.await? {
        Ok(report) => report,
        Err(gong_flows::JobError::Stopped { error, report }) => {
            eprintln!("the job stopped: {error}");
            *report
        }
        Err(invalid) => return Err(invalid.into()),
    };
    println!("{}", serde_json::to_string(&*progress.borrow())?);
    println!("{report}");
    let left: Vec<&str> = report.not_attempted_ids().collect();
    if let Some(first) = report.not_attempted.first() {
        println!(
            "{} ids to run again (first: {}), because: {}",
            left.len(),
            first.id,
            first.error
        );
    }
    // Every id is in one place: done, refused, or left to run again.
    assert_eq!(
        report.assigned.len()
            + report.already_in_flow.len()
            + report.not_assigned.len()
            + left.len(),
        report.total()
    );
    Ok(())
}
