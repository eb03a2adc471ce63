//! `cargo xtask`: maintainer tasks for the gong-flows workspace.

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::process::ExitCode;
use xtask::{codegen, spec_path, workspace_root};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Maintainer tasks for the gong-flows workspace")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate the client and typed mocks from openapi/flows.yaml.
    Codegen {
        /// Regenerate in memory only; print a diff and fail if the committed files differ.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = workspace_root();
    match cli.command {
        Command::Codegen { check } => {
            let files = codegen::generate(&spec_path())?;
            if check {
                let diffs = codegen::check(&root, &files);
                if diffs.is_empty() {
                    println!("generated code is up to date with openapi/flows.yaml");
                    return Ok(ExitCode::SUCCESS);
                }
                for diff in &diffs {
                    print!("{diff}");
                }
                eprintln!(
                    "error: generated code is stale; run `{}` and commit the result",
                    codegen::REGENERATE
                );
                Ok(ExitCode::FAILURE)
            } else {
                let changed = codegen::write(&root, &files)?;
                if changed.is_empty() {
                    println!("generated code already up to date");
                }
                for path in changed {
                    println!("wrote {}", path.display());
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}
