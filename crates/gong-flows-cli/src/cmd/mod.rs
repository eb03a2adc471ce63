//! The commands, one module per family: read and check the input, run the
//! SDK, print, and choose the exit code.

mod job;
mod jobs;
mod lists;
mod report;
mod resume;
mod sim;
mod sync;

use crate::cli::{Cli, Command, FlowsCommand, FoldersCommand, ProspectsCommand, ReportCommand};
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
        Command::Report {
            command: ReportCommand::Export(args),
        } => report::export(global, args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "gong-flows", &mut std::io::stdout());
            Ok(gong_flows::Outcome::Done.code())
        }
        Command::Man { out } => man(&out),
        Command::Profiles { name } => {
            let config = gong_flows::profile::Config::discover(global.config.as_deref())?;
            let lines = config.listing(name.as_deref())?;
            match global.json {
                true => crate::output::print_json(&lines)?,
                false => crate::output::print_text(&(lines.join("\n") + "\n")),
            }
            Ok(gong_flows::Outcome::Done.code())
        }
    }
}

/// Writes `gong-flows.1` and a page per command (`gong-flows-assign.1`,
/// `gong-flows-flows-list.1`, …) into `dir`.
fn man(dir: &std::path::Path) -> Result<u8, CliError> {
    let fail = |e: std::io::Error| CliError::usage(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let command = <Cli as clap::CommandFactory>::command();
    clap_mangen::generate_to(command, dir).map_err(fail)?;
    Ok(gong_flows::Outcome::Done.code())
}
