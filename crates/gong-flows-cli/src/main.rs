//! `gong-flows`: bulk jobs on Gong's Engage Flows API from the command line.
//!
//! Assign and unassign prospects by the thousand with a progress bar,
//! pacing to Gong's rate limit, and a JSON report that accounts for every
//! id and that `gong-flows resume` completes after a stop. See the README
//! for the commands, the report format and the exit codes.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod cli;
mod cmd;
mod context;
mod exit;
mod input;
mod output;
mod progress;

use clap::Parser as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(cli.global.verbose, cli.global.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("gong-flows: error: cannot start the async runtime: {e}");
            return ExitCode::from(gong_flows::Outcome::Stopped.code());
        }
    };
    let json = cli.global.json;
    let code = match runtime.block_on(cmd::run(cli)) {
        Ok(code) => code,
        Err(error) => {
            if json {
                eprintln!("{}", error.to_json());
            } else {
                eprintln!("gong-flows: error: {error}");
            }
            error.code
        }
    };
    // In-flight work was finished or abandoned on purpose; do not wait for
    // background tasks (a simulator, a signal listener) to wind down.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    ExitCode::from(code)
}

/// Logs on stderr. Only this project's crates log (never the HTTP stack,
/// whose traces could show headers); the SDK never logs credentials.
fn init_logging(verbose: u8, quiet: bool) {
    let filter = match (quiet, verbose) {
        (true, _) => "off",
        (false, 0) => "gong_flows=warn",
        (false, 1) => "gong_flows=debug,gong_flows_sim=info",
        (false, _) => "gong_flows=trace,gong_flows_sim=debug",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}
