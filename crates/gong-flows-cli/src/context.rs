//! What every command that talks to Gong needs: a client built from the
//! options and environment (or from the embedded simulator), and the output
//! settings.

use crate::cli::GlobalArgs;
use crate::exit::CliError;
use crate::progress::JobProgress;
use gong_flows::{Client, Progress};
use gong_flows_sim::{SimConfig, Simulator};
use std::io::IsTerminal as _;
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

    /// A line for the user on stderr, unless quiet (`{"note": …}` with
    /// `--json`).
    pub fn note(&self, message: &str) {
        self.say("note", message);
    }

    /// A warning on stderr, unless quiet (`{"warning": …}` with `--json`).
    pub fn warn(&self, message: &str) {
        self.say("warning", message);
    }

    fn say(&self, kind: &str, message: &str) {
        if self.quiet {
        } else if self.json {
            eprintln!("{}", serde_json::json!({ kind: message }));
        } else if kind == "note" {
            eprintln!("{message}");
        } else {
            eprintln!("{kind}: {message}");
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
    /// A progress bar following a job's `progress`.
    pub fn progress(&self, progress: watch::Receiver<Progress>) -> JobProgress {
        JobProgress::new(self.output, progress)
    }
}

/// A client for a dry run: connected when the options and environment
/// allow (a plan may need to read from Gong), else one that is never used
/// to call anyone, since most plans need no call at all.
pub fn planner(global: &GlobalArgs) -> Result<Ctx, CliError> {
    match connect(global) {
        Ok(ctx) => Ok(ctx),
        Err(error) if error.code == gong_flows::Outcome::Usage.code() => {
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
    // The host and credentials, as the SDK reads them: from the options or
    // their `GONG_*` variables, or the sandbox's own.
    let mut settings = vec![
        ("GONG_BASE_URL", global.base_url.clone()),
        ("GONG_ACCESS_KEY", global.access_key.clone()),
        ("GONG_ACCESS_KEY_SECRET", global.access_key_secret.clone()),
        ("GONG_BEARER_TOKEN", global.bearer_token.clone()),
    ];
    let sandbox = if global.sandbox {
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
        settings = vec![
            ("GONG_BASE_URL", Some(sim.base_url())),
            ("GONG_ACCESS_KEY", Some(key.key)),
            ("GONG_ACCESS_KEY_SECRET", Some(key.secret)),
        ];
        Some(sim)
    } else {
        if let Some(rate) = global.rate.0
            && rate > gong_flows::GONG_CALLS_PER_SECOND
        {
            output.warn(&format!(
                "--rate {rate} is above Gong's limit of {} calls per second per \
                 company; the calls beyond it only earn 429s and pauses",
                gong_flows::GONG_CALLS_PER_SECOND
            ));
        }
        None
    };
    let lookup = |name: &str| {
        let value = settings.iter().find(|(n, _)| *n == name);
        value.and_then(|(_, v)| v.clone())
    };
    let mut builder = Client::builder_from_lookup(lookup)
        .map_err(CliError::from)?
        .rate_limit(global.rate.0)
        .daily_budget(global.daily_limit.0)
        .over_quota(global.over_quota.0)
        .concurrency(usize::from(global.concurrency))
        .user_agent_suffix(concat!("gong-flows-cli/", env!("CARGO_PKG_VERSION")));
    if global.reserve > 0 {
        builder = builder.daily_reserve(global.reserve);
    }
    match global.pacer_url.as_deref().map(str::trim) {
        // One limit for every process of the company, kept in Redis.
        Some(url) if !url.is_empty() => builder = builder.shared_pacer(url),
        Some(_) => return Err(CliError::usage("--pacer-url (GONG_PACER_URL) is empty")),
        None => {}
    }
    let client = builder.build().map_err(CliError::from)?;
    Ok(Ctx {
        client,
        output,
        _sandbox: sandbox,
        offline: false,
    })
}
