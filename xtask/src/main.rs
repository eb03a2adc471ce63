//! `cargo xtask`: maintainer tasks for the gong-flows workspace.

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{codegen, spec_check, spec_diff, spec_path, workspace_root};

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
    /// Regenerate the client, its spec constants (operation ids, item limits) and typed mocks from openapi/flows.yaml.
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
    /// Compare openapi/flows.yaml with Gong's published OpenAPI document.
    ///
    /// Operations under /v2/flows are compared field by field: operations and
    /// operationIds, parameters, request and response bodies per status,
    /// types, formats, required flags, enum values, status codes and item
    /// limits. Deliberate differences listed in the known-differences file
    /// are suppressed; listed entries that match nothing are warned about.
    /// Exits non-zero on any unlisted difference.
    SpecDiff {
        /// Gong's document: a JSON or YAML file, or an http(s) URL (fetched with `curl -fsSL`).
        #[arg(long, value_name = "FILE or URL")]
        upstream: String,
        /// Deliberate differences to suppress [default: openapi/known-differences.yaml].
        #[arg(long, value_name = "FILE")]
        known: Option<PathBuf>,
        /// Our spec, instead of openapi/flows.yaml.
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
        /// Print the report as JSON (a stable structure) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Benchmark the SDK against the simulator: throughput, CPU per call, memory.
    ///
    /// Throughput: assign 40,000 ids with the simulator limited to 30 calls/s
    /// at 100 ms and 300 ms of latency, with gong-flows (paced, pipelined)
    /// and two hand-written loops over gong-flows-api (sequential; concurrent
    /// and unpaced), reporting wall time against the bound ⌈N/200⌉/R, calls
    /// and 429s. Overhead: client CPU time per assign call of raw
    /// reqwest + serde_json, the generated client and gong-flows (simulator
    /// in another process). Memory: peak RSS of `send_stream` over 100,000
    /// and 1,000,000 ids, in a child process.
    ///
    /// Always measures a release build: from `cargo xtask` (a dev build) it
    /// builds `-p xtask -p gong-flows-sim` with `--release` and re-runs
    /// itself from target/release. Prints Markdown tables and the goals, and
    /// writes target/bench/latest.{json,md} (and full.* or quick.*). Fails
    /// only if a benchmark cannot run, never on a figure.
    Bench(xtask::bench::BenchArgs),
    /// Fuzz the simulator with schemathesis against openapi/flows.yaml.
    ///
    /// Starts the simulator in-process (rate limits off, seeded), then runs
    /// `schemathesis run openapi/flows.yaml` against it with the settings of
    /// openapi/schemathesis.toml: every check, except where a documented Gong
    /// behaviour makes one wrong for one operation (each exclusion explains
    /// why). Deterministic: one worker, a fixed seed, no state carried over
    /// from earlier runs. Streams schemathesis's output and exits non-zero
    /// when it finds a disagreement.
    ///
    /// Needs schemathesis 4.32 or a later 4.x: `python3 -m pip install
    /// --upgrade 'schemathesis>=4.32,<5'`. GONG_FLOWS_SCHEMATHESIS names
    /// another program to run instead of `schemathesis` from PATH.
    Conformance(xtask::conformance::ConformanceArgs),
    /// Write the command line's man pages: `gong-flows.1` and one page per
    /// command (`gong-flows-assign.1`, `gong-flows-flows-list.1`, …).
    ///
    /// The pages come from the command line's own definition, through its
    /// hidden `gong-flows man` command (run with `cargo run`), so they always
    /// match the `--help` of the same tree.
    Man {
        /// The directory, created if absent [default: target/man].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
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
        Command::SpecDiff {
            upstream,
            known,
            spec,
            json,
        } => {
            let known = known.unwrap_or_else(|| root.join(spec_diff::KNOWN_DIFFERENCES));
            spec_diff_command(&spec.unwrap_or_else(spec_path), &upstream, &known, json)
        }
        Command::Bench(args) => xtask::bench::command(&root, &args),
        Command::Conformance(args) => xtask::conformance::command(&root, &args),
        Command::Man { out } => man_command(&root, out),
    }
}

fn man_command(root: &std::path::Path, out: Option<PathBuf>) -> Result<ExitCode> {
    let out = out.unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| root.join("target"), PathBuf::from)
            .join("man")
    });
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "-p",
            "gong-flows-cli",
            "--",
            "man",
            "--out",
        ])
        .arg(&out)
        .status()
        .context("running `gong-flows man`")?;
    if !status.success() {
        anyhow::bail!("`gong-flows man` failed: {status}");
    }
    let pages = std::fs::read_dir(&out)
        .with_context(|| format!("reading {}", out.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "1"))
        .count();
    println!("wrote {pages} man pages to {}", out.display());
    Ok(ExitCode::SUCCESS)
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

fn spec_diff_command(
    spec: &std::path::Path,
    upstream: &str,
    known: &std::path::Path,
    json: bool,
) -> Result<ExitCode> {
    let report = spec_diff::run(spec, upstream, Some(known))?;
    if json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_text());
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
