//! `cargo xtask conformance`: a third-party check that the simulator and
//! `openapi/flows.yaml` agree.
//!
//! [schemathesis](https://schemathesis.readthedocs.io) (a Python program,
//! 4.x) reads the spec, generates valid and invalid requests for every
//! operation, sends them to the simulator and checks each answer: status
//! codes, content types, headers and bodies against the spec, invalid
//! requests refused, valid ones accepted. A disagreement means the spec or the
//! simulator is wrong, or that a documented Gong behaviour needs an exclusion
//! in `openapi/schemathesis.toml`, which explains each one.
//!
//! The run is deterministic: a fixed seed for both schemathesis and the
//! simulator, one worker (the simulator keeps state, so the order of requests
//! matters), no example database and no cache carried between runs.

use std::ffi::{OsStr, OsString};
use std::io::{ErrorKind, Write as _};
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use gong_flows_sim::types::{FlowAssignmentProspect, FlowProspectsBulkAssignmentRequest};
use gong_flows_sim::{SimConfig, Simulator, dataset};

/// Environment variable naming the schemathesis program to run instead of
/// `schemathesis` from `PATH` (a path, or another name on `PATH`).
pub const PROGRAM_ENV: &str = "GONG_FLOWS_SCHEMATHESIS";

/// The program run when [`PROGRAM_ENV`] is unset or empty.
pub const DEFAULT_PROGRAM: &str = "schemathesis";

/// The oldest supported schemathesis, as (major, minor). The settings file
/// is written for 4.x (3.x has no `--config-file`, and a later major may read
/// it differently). Within 4.x, 4.32 is the oldest release the run is known
/// to pass with: an earlier one stopped on an internal error of its coverage
/// phase (a `KeyError` on `listFlows`), a class of bug schemathesis has fixed
/// release by release.
pub const MINIMUM_VERSION: (u32, u32) = (4, 32);

/// How to install a supported schemathesis.
pub const INSTALL_COMMAND: &str = "python3 -m pip install --upgrade 'schemathesis>=4.32,<5'";

/// The spec under test, relative to the workspace root.
pub const SPEC_FILE: &str = "openapi/flows.yaml";

/// The schemathesis settings (checks and their documented exclusions),
/// relative to the workspace root.
pub const CONFIG_FILE: &str = "openapi/schemathesis.toml";

/// Environment variable through which [`CONFIG_FILE`] learns the id of the
/// bulk assignment job submitted before the run.
pub const JOB_ID_ENV: &str = "GONG_FLOWS_CONFORMANCE_JOB_ID";

/// The default seed.
pub const DEFAULT_SEED: u64 = 1;

/// The default number of test cases per operation and phase: enough to
/// reach every documented failure mode, and a run of well under a minute.
pub const DEFAULT_MAX_EXAMPLES: u32 = 100;

/// Options of `cargo xtask conformance`.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct ConformanceArgs {
    /// Test cases per operation in each generating phase (schemathesis `--max-examples`).
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_MAX_EXAMPLES,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub max_examples: u32,
    /// Seed of schemathesis's data generation and of the simulator: the same seed sends the same requests.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Further arguments for `schemathesis run`, after `--`, e.g. `-- --max-failures 1 --report junit`.
    ///
    /// A `--checks` selection here would override the per-operation exclusions of openapi/schemathesis.toml.
    #[arg(last = true, value_name = "SCHEMATHESIS ARGS")]
    pub extra: Vec<OsString>,
}

impl Default for ConformanceArgs {
    fn default() -> Self {
        Self {
            max_examples: DEFAULT_MAX_EXAMPLES,
            seed: DEFAULT_SEED,
            extra: Vec::new(),
        }
    }
}

/// The running simulator, as schemathesis reaches it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub base_url: String,
    /// The `Authorization` header value, e.g. `Basic …`.
    pub authorization: String,
}

/// The schemathesis program: [`PROGRAM_ENV`] if set and not empty, else
/// [`DEFAULT_PROGRAM`].
pub fn program() -> OsString {
    std::env::var_os(PROGRAM_ENV)
        .filter(|value| !value.is_empty())
        .unwrap_or_else(|| DEFAULT_PROGRAM.into())
}

/// The arguments of the schemathesis command line, paths relative to the
/// workspace root (the child's working directory).
pub fn arguments(args: &ConformanceArgs, target: &Target) -> Vec<OsString> {
    let mut argv: Vec<OsString> = [
        // A global option: it goes before the subcommand.
        "--config-file",
        CONFIG_FILE,
        "run",
        SPEC_FILE,
        "--url",
        &target.base_url,
        "--header",
        &format!("Authorization: {}", target.authorization),
        "--seed",
        &args.seed.to_string(),
        "--max-examples",
        &args.max_examples.to_string(),
        // The simulator keeps state: concurrent workers would make the
        // answers depend on scheduling.
        "--workers",
        "1",
        // Examples saved by earlier runs would be replayed first.
        "--generation-database",
        "none",
    ]
    .into_iter()
    .map(OsString::from)
    .collect();
    argv.extend(args.extra.iter().cloned());
    argv
}

/// The version from `schemathesis --version` output
/// (`schemathesis, version 4.32.5`): its major and minor numbers and the
/// whole version.
pub fn parse_version(output: &str) -> Option<(u32, u32, String)> {
    let version = output
        .split_whitespace()
        .find(|word| word.starts_with(|c: char| c.is_ascii_digit()))?;
    let mut numbers = version.split('.');
    let major = numbers.next()?.parse().ok()?;
    let minor = numbers.next().map_or(Some(0), |n| n.parse().ok())?;
    Some((major, minor, version.to_owned()))
}

/// Whether a (major, minor) version is supported: 4.x from
/// [`MINIMUM_VERSION`] on.
pub fn is_supported(major: u32, minor: u32) -> bool {
    major == MINIMUM_VERSION.0 && minor >= MINIMUM_VERSION.1
}

/// Checks that `program` is a supported schemathesis and returns its
/// version.
///
/// # Errors
///
/// When it cannot be run (not installed), fails, or is not a supported
/// version; each message
/// names [`INSTALL_COMMAND`].
pub fn installed_version(program: &OsStr) -> Result<String> {
    let shown = program.to_string_lossy();
    let output = match Command::new(program).arg("--version").output() {
        Ok(output) => output,
        Err(error) if error.kind() == ErrorKind::NotFound => bail!(
            "schemathesis is not installed (`{shown}` not found); install it with \
             `{INSTALL_COMMAND}`, or point {PROGRAM_ENV} at it"
        ),
        Err(error) => {
            return Err(error).with_context(|| {
                format!(
                    "cannot run `{shown} --version`; install schemathesis with `{INSTALL_COMMAND}`"
                )
            });
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "`{shown} --version` failed ({}): {}; install schemathesis with `{INSTALL_COMMAND}`",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    match parse_version(&stdout) {
        Some((major, minor, version)) if is_supported(major, minor) => Ok(version),
        Some((_, _, version)) => bail!(
            "schemathesis {version} is installed, but {}.{} or a later {0}.x is needed; \
             install it with `{INSTALL_COMMAND}`",
            MINIMUM_VERSION.0,
            MINIMUM_VERSION.1
        ),
        None => bail!(
            "`{shown} --version` printed no version ({:?}); install schemathesis with \
             `{INSTALL_COMMAND}`",
            stdout.trim()
        ),
    }
}

/// Runs `cargo xtask conformance`: checks the schemathesis install, starts
/// the simulator (rate limits off, seeded), submits a bulk assignment job for
/// the status operation to find, and runs schemathesis with its output
/// streamed. Exits non-zero when schemathesis does.
///
/// # Errors
///
/// When schemathesis is missing or unsupported, or the simulator cannot
/// start.
pub fn command(root: &Path, args: &ConformanceArgs) -> Result<ExitCode> {
    let program = program();
    let version = installed_version(&program)?;

    let simulator = Simulator::start(
        SimConfig::default()
            .no_rate_limits()
            .seed(args.seed)
            // Jobs complete at their first poll, so the status operation
            // answers with per-prospect results.
            .bulk_stage(Duration::ZERO),
    )
    .context("cannot start the simulator")?;
    let target = Target {
        base_url: simulator.base_url(),
        authorization: simulator
            .basic_authorization()
            .context("the simulator has no access key")?,
    };
    let job_id = submit_job(&simulator)?;

    println!(
        "conformance: schemathesis {version} against the simulator at {} \
         (seed {}, {} examples per operation)",
        target.base_url, args.seed, args.max_examples
    );
    // Our line first, then the child's output on the same streams.
    std::io::stdout().flush().ok();
    let status = Command::new(&program)
        .args(arguments(args, &target))
        .current_dir(root)
        .env(JOB_ID_ENV, &job_id)
        .status()
        .with_context(|| format!("cannot run `{}`", program.to_string_lossy()))?;
    drop(simulator);

    if status.success() {
        println!("conformance: the simulator and {SPEC_FILE} agree");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "error: schemathesis failed ({status}); its report is above. A disagreement \
             between the simulator and {SPEC_FILE} is fixed in the spec or the simulator, \
             or, for a documented Gong behaviour, excluded in {CONFIG_FILE}"
        );
        Ok(ExitCode::FAILURE)
    }
}

/// Submits a bulk assignment job whose results cover every result status
/// (assigned, CRM operation failed, flow assignment failed) and returns its
/// id.
fn submit_job(simulator: &Simulator) -> Result<String> {
    let prospect =
        |crm_id: Option<&str>, first: Option<&str>, last: Option<&str>| FlowAssignmentProspect {
            crm_id: crm_id.map(str::to_owned),
            first_name: first.map(str::to_owned),
            last_name: last.map(str::to_owned),
            email: Some("mike.smith@example.com".to_owned()),
            ..FlowAssignmentProspect::default()
        };
    let request = FlowProspectsBulkAssignmentRequest {
        flow_id: dataset::SDR_FLOW_ID.to_owned(),
        flow_instance_owner_email: dataset::DEFAULT_USER_EMAIL.to_owned(),
        prospects: vec![
            prospect(Some("conformance-1"), None, None),
            prospect(None, Some("Mike"), Some("Smith")),
            prospect(None, None, None),
            prospect(Some("unknown-conformance"), None, None),
        ],
    };
    // The simulator serves on a runtime of its own; this one only drives
    // the client.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start a runtime for the simulator's client")?;
    let job = runtime
        .block_on(
            simulator
                .client()
                .submit_flow_prospects_bulk_assignment()
                .body(request)
                .send(),
        )
        .map_err(|error| anyhow!("cannot submit a bulk assignment job: {error}"))?
        .into_inner();
    job.id
        .context("the simulator answered a bulk assignment without a job id")
}
