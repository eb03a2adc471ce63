//! `cargo xtask`: maintainer tasks for the gong-flows workspace.

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{codegen, spec_check, spec_path, workspace_root};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer tasks for the gong-flows workspace"
)]
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
    /// Check openapi/flows.yaml against the house rules and report every problem.
    ///
    /// The spec must be valid OpenAPI 3.0 with resolving `$ref`s; every
    /// operation needs an operationId, a summary and a tag; every 4xx/5xx
    /// answer uses the shared ErrorResponse schema; every 429 declares an
    /// integer Retry-After header; every field and parameter has a description
    /// and an example, and every example validates against its schema; every
    /// maxItems is mirrored by an equal x-max-items. Exits non-zero on any
    /// problem, each printed with its JSON-pointer location.
    SpecCheck {
        /// The spec to check, instead of openapi/flows.yaml.
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
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
        Command::SpecCheck { spec } => spec_check_command(&spec.unwrap_or_else(spec_path)),
    }
}

fn spec_check_command(spec: &std::path::Path) -> Result<ExitCode> {
    let problems = spec_check::check_file(spec)?;
    for problem in &problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        println!("{} passes the spec checks", spec.display());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "error: {} problem{} in {}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            spec.display()
        );
        Ok(ExitCode::FAILURE)
    }
}
