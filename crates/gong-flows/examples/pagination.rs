//! List every flow and folder a user can see, following Gong's cursors.
//!
//! ```sh
//! export GONG_BASE_URL=... GONG_ACCESS_KEY=... GONG_ACCESS_KEY_SECRET=...
//! cargo run -p gong-flows --example pagination -- <owner-email>
//! ```
//!
//! Without `GONG_BASE_URL` it runs against the embedded simulator, with 250
//! extra company flows (three pages) and the seeded user as the default owner.

mod support;

use futures::TryStreamExt as _;
use gong_flows_sim::{SimConfig, dataset};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::target(SimConfig::default().flows(250))?;
    let client = &target.client;
    let owner = match std::env::args().nth(1) {
        Some(owner) => owner,
        None if target.is_simulated() => dataset::DEFAULT_USER_EMAIL.to_owned(),
        None => {
            eprintln!("usage: pagination <owner-email>");
            std::process::exit(2);
        }
    };

    // A stream fetches the next page only when the previous one is used up.
    let mut flows = client.list_flows(&owner).stream();
    while let Some(flow) = flows.try_next().await? {
        println!(
            "flow {} {:?} {:?} exclusive={:?}",
            flow.id, flow.name, flow.visibility, flow.exclusive
        );
    }

    // Or collect everything at once.
    for folder in client.list_folders(&owner).collect_all().await? {
        println!(
            "folder {} {:?} parent={:?}",
            folder.id, folder.name, folder.parent_folder_id
        );
    }

    // Or page by hand.
    let first = client.list_flows(&owner).send().await?;
    println!(
        "first page: {} flows, next cursor {:?}",
        first.items.len(),
        first.next_cursor
    );
    Ok(())
}
