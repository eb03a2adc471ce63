//! What every command that talks to Gong needs: a client built from the
//! options and environment (or from the embedded simulator), and the output
//! settings.

use crate::cli::GlobalArgs;
use crate::exit::CliError;
use crate::progress::JobProgress;
use gong_flows::{Client, Credentials, Progress};
use gong_flows_sim::{SimConfig, Simulator};
use std::io::IsTerminal as _;
use std::sync::Arc;
use tokio::sync::watch;

/// How output is shaped.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// JSON on stdout.
    pub json: bool,
    /// Only errors on stderr, no job summary.
    pub quiet: bool,
    /// Draw progress bars (stderr is a terminal and nobody asked for quiet).
    pub progress: bool,
}

impl Output {
    /// From the global options.
    pub fn from_args(global: &GlobalArgs) -> Self {
        Self {
            json: global.json,
            quiet: global.quiet,
            progress: !global.json && !global.quiet && std::io::stderr().is_terminal(),
        }
    }

    /// A line for the user on stderr, unless quiet.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }
}

/// A connected client and its settings.
#[derive(Debug)]
pub struct Ctx {
    /// The SDK client.
    pub client: Client,
    /// Output settings.
    pub output: Output,
    /// The embedded simulator of `--sandbox`, kept alive as long as the client.
    _sandbox: Option<Simulator>,
    /// A dry run's client without credentials: it must not be used to call.
    pub offline: bool,
}

impl Ctx {
    /// A progress bar following a job's `progress`, in chunks of
    /// `chunk_size` inputs.
    pub fn progress(&self, progress: watch::Receiver<Progress>, chunk_size: usize) -> JobProgress {
        JobProgress::new(
            self.output.progress,
            self.output.quiet,
            progress,
            self.client.pacer().clone(),
            chunk_size,
        )
    }
}

/// A client for a dry run: connected when the options and environment
/// allow (a plan may need to read from Gong), else one that is never used
/// to call anyone, since most plans need no call at all.
pub fn planner(global: &GlobalArgs) -> Result<Ctx, CliError> {
    match connect(global) {
        Ok(ctx) => Ok(ctx),
        Err(error) if error.kind == "usage" => {
            let client = Client::builder()
                .base_url("http://127.0.0.1:9")
                .bearer_token("dry-run")
                .unpaced()
                .build()
                .map_err(CliError::from)?;
            Ok(Ctx {
                client,
                output: Output::from_args(global),
                _sandbox: None,
                offline: true,
            })
        }
        Err(error) => Err(error),
    }
}

/// Builds the client: against the embedded simulator with `--sandbox`,
/// else from `--base-url` and the credentials (options or environment).
pub fn connect(global: &GlobalArgs) -> Result<Ctx, CliError> {
    let output = Output::from_args(global);
    let (base_url, credentials, sandbox) = if global.sandbox {
        // The sandbox keeps Gong's limit of 3 calls/s, so that the default
        // rate behaves as it would against Gong; a higher --rate lifts it,
        // so local experiments can run fast.
        let limit = match global.rate.0 {
            Some(rate) if rate <= gong_flows::GONG_CALLS_PER_SECOND => {
                Some(gong_flows_sim::GONG_RATE_PER_SECOND)
            }
            _ => None,
        };
        let sim = Simulator::start(SimConfig::default().rate_limit(limit)).map_err(|e| {
            CliError::new(gong_flows::Outcome::Stopped.code(), format!("sandbox: {e}"))
        })?;
        let key = sim
            .credentials()
            .access_keys
            .first()
            .cloned()
            .ok_or_else(|| CliError::usage("sandbox: the simulator has no access key"))?;
        output.note(&format!(
            "sandbox: simulator at {} (nothing reaches Gong)",
            sim.base_url()
        ));
        (
            sim.base_url(),
            Credentials::basic(key.key, key.secret),
            Some(sim),
        )
    } else {
        if let Some(rate) = global.rate.0
            && rate > gong_flows::GONG_CALLS_PER_SECOND
        {
            output.note(&format!(
                "warning: --rate {rate} is above Gong's limit of {} calls per second per \
                 company; the calls beyond it only earn 429s and pauses",
                gong_flows::GONG_CALLS_PER_SECOND
            ));
        }
        (base_url(global)?, credentials(global)?, None)
    };
    let mut builder = Client::builder().over_quota(global.over_quota.0);
    builder = match global.pacer_url.as_deref().map(str::trim) {
        // One limit for every process of the company, kept in Redis.
        Some(url) if !url.is_empty() => {
            // Namespaced by company: host and a fingerprint of the
            // credentials, so two companies on one host never share a limit.
            let shared = gong_flows::RedisPacer::builder(url, base_url.as_str())
                .credentials(&credentials)
                .rate_limit(global.rate.0)
                .daily_budget(global.daily_limit.0)
                .reserve(global.reserve)
                .build()
                .map_err(CliError::from)?;
            builder.pacer(Arc::new(shared))
        }
        Some(_) => return Err(CliError::usage("--pacer-url (GONG_PACER_URL) is empty")),
        None => {
            let builder = builder
                .rate_limit(global.rate.0)
                .daily_budget(global.daily_limit.0);
            if global.reserve > 0 {
                builder.daily_reserve(global.reserve)
            } else {
                builder
            }
        }
    };
    let client = builder
        .base_url(base_url)
        .credentials(credentials)
        .concurrency(usize::from(global.concurrency))
        .user_agent_suffix(concat!("gong-flows-cli/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(CliError::from)?;
    Ok(Ctx {
        client,
        output,
        _sandbox: sandbox,
        offline: false,
    })
}

fn base_url(global: &GlobalArgs) -> Result<String, CliError> {
    let raw = match global.base_url.as_deref().map(str::trim) {
        Some(url) if !url.is_empty() => url,
        Some(_) => return Err(CliError::usage("--base-url (GONG_BASE_URL) is empty")),
        None => {
            return Err(CliError::usage(
                "no base URL: set GONG_BASE_URL or --base-url (or try --sandbox)",
            ));
        }
    };
    // Checked here because a URL with user:password@ would otherwise be
    // echoed, secret included, by the error that refuses it.
    if let Ok(url) = url::Url::parse(raw)
        && (!url.username().is_empty() || url.password().is_some())
    {
        return Err(CliError::usage(
            "--base-url (GONG_BASE_URL) must not carry credentials; \
             use --access-key and --access-key-secret, or --bearer-token",
        ));
    }
    Ok(raw.to_owned())
}

fn credentials(global: &GlobalArgs) -> Result<Credentials, CliError> {
    let given = |value: &Option<String>, name: &str| -> Result<Option<String>, CliError> {
        match value.as_deref().map(str::trim) {
            None => Ok(None),
            Some("") => Err(CliError::usage(format!("{name} is set but empty"))),
            Some(value) => Ok(Some(value.to_owned())),
        }
    };
    let key = given(&global.access_key, "--access-key (GONG_ACCESS_KEY)")?;
    let secret = given(
        &global.access_key_secret,
        "--access-key-secret (GONG_ACCESS_KEY_SECRET)",
    )?;
    let token = given(&global.bearer_token, "--bearer-token (GONG_BEARER_TOKEN)")?;
    match (key, secret, token) {
        (Some(key), Some(secret), None) => Ok(Credentials::basic(key, secret)),
        (None, None, Some(token)) => Ok(Credentials::bearer(token)),
        (Some(_), None, None) => Err(CliError::usage(
            "--access-key-secret (GONG_ACCESS_KEY_SECRET) is missing",
        )),
        (None, Some(_), None) => Err(CliError::usage("--access-key (GONG_ACCESS_KEY) is missing")),
        (None, None, None) => Err(CliError::usage(
            "no credentials: set GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET, or \
             GONG_BEARER_TOKEN (or try --sandbox)",
        )),
        _ => Err(CliError::usage(
            "give an access key or a bearer token, not both",
        )),
    }
}
