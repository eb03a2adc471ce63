//! List every flow and folder a user can see, following Gong's cursors.
//!
//! ```sh
//! export GONG_BASE_URL=... GONG_ACCESS_KEY=... GONG_ACCESS_KEY_SECRET=...
//! cargo run -p gong-flows --example pagination -- <owner-email>
//! ```

use futures::TryStreamExt as _;
use gong_flows::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(owner) = std::env::args().nth(1) else {
        eprintln!("usage: pagination <owner-email>");
        std::process::exit(2);
    };
    let client = Client::from_env()?;

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
