//! The commands, one module per family: read and check the input, run the
//! SDK, print, and choose the exit code.

mod job;
mod jobs;
mod lists;
mod resume;
mod sim;
mod sync;

use crate::cli::{Cli, Command, FlowsCommand, FoldersCommand, ProspectsCommand};
use crate::exit::CliError;

/// Runs the command; returns the exit code.
pub async fn run(cli: Cli) -> Result<u8, CliError> {
    let global = &cli.global;
    match cli.command {
        Command::Flows {
            command: FlowsCommand::List(args),
        } => lists::flows(global, args).await,
        Command::Folders {
            command: FoldersCommand::List(args),
        } => lists::folders(global, args).await,
        Command::Prospects {
            command: ProspectsCommand::Flows(args),
        } => lists::prospects_flows(global, args).await,
        Command::Steps(args) => lists::steps(global, args).await,
        Command::Assign(args) => jobs::assign(global, args).await,
        Command::Unassign(args) => jobs::unassign(global, args).await,
        Command::UnassignInstances(args) => jobs::unassign_instances(global, args).await,
        Command::BulkAssign(args) => jobs::bulk_assign(global, args).await,
        Command::Resume(args) => resume::resume(global, args).await,
        Command::Sync(args) => sync::sync(global, args).await,
        Command::Sim(args) => sim::sim(global, args).await,
    }
}
