//! What every command that talks to Gong needs: a client built from the
//! options and environment (or from the embedded simulator), and the output
//! settings.

use crate::cli::GlobalArgs;
use crate::exit::CliError;
use crate::progress::JobProgress;
use gong_flows::profile::{Config, Rate, Settings};
use gong_flows::{Client, Progress};
use gong_flows_sim::{SimConfig, Simulator};
use std::collections::BTreeMap;
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
    /// The profile the settings came from.
    pub profile: Option<String>,
    /// Calls per second (`None`: unpaced).
    pub rate: Option<f64>,
}

impl Ctx {
    /// A progress bar following a job's `progress`.
    pub fn progress(&self, progress: watch::Receiver<Progress>) -> JobProgress {
        JobProgress::new(self.output, progress)
    }

    /// The company the client calls, as prompts and plans name it:
    /// `profile acme (us-55616.api.gong.io)`, or the host.
    pub fn tenant(&self) -> String {
        let host = self.client.company().host;
        match &self.profile {
            Some(name) => format!("profile {name} ({host})"),
            None => host,
        }
    }
}

/// A client for a dry run: connected when the options and environment
/// allow (a plan may need to read from Gong), else one that is never used
/// to call anyone, since most plans need no call at all.
pub fn planner(global: &GlobalArgs) -> Result<Ctx, CliError> {
    match connect(global, None) {
        Ok(ctx) => Ok(ctx),
        // Without credentials, unless a profile was named: its errors stand.
        Err(error)
            if error.code == gong_flows::Outcome::Usage.code() && global.profile.is_none() =>
        {
            Ok(Ctx {
                client: Client::offline()?,
                output: Output::from_args(global),
                _sandbox: None,
                offline: true,
                profile: None,
                rate: rate(global.rate, None),
            })
        }
        Err(error) => Err(error),
    }
}

/// The rate given, else the settings', else Gong's.
fn rate(given: Option<Rate>, settings: Option<&str>) -> Option<f64> {
    let from_settings = settings.and_then(|s| s.parse::<Rate>().ok());
    given
        .or(from_settings)
        .map_or(Some(gong_flows::GONG_CALLS_PER_SECOND), |r| r.0)
}

/// Builds the client: against the embedded simulator with `--sandbox`,
/// else from the options and `GONG_*` variables over the profile's values
/// (`--profile`, or `fallback`: the profile a resumed report names).
pub fn connect(global: &GlobalArgs, fallback: Option<&str>) -> Result<Ctx, CliError> {
    let output = Output::from_args(global);
    let mut explicit = BTreeMap::from([
        ("GONG_BASE_URL", global.base_url.clone()),
        ("GONG_ACCESS_KEY", global.access_key.clone()),
        ("GONG_ACCESS_KEY_SECRET", global.access_key_secret.clone()),
        ("GONG_BEARER_TOKEN", global.bearer_token.clone()),
        ("GONG_RATE_LIMIT", global.rate.map(|r| r.to_string())),
        (
            "GONG_DAILY_LIMIT",
            global.daily_limit.map(|d| d.to_string()),
        ),
        ("GONG_DAILY_RESERVE", global.reserve.map(|r| r.to_string())),
        ("GONG_PACER_URL", global.pacer_url.clone()),
    ]);
    let name = global.profile.as_deref().or(fallback);
    let profile = match name {
        Some(name) if !global.sandbox => Some(
            Config::discover(global.config.as_deref())?
                .profile(name)?
                .clone(),
        ),
        _ => None,
    };
    let sandbox = if global.sandbox {
        // The sandbox keeps Gong's limit of 3 calls/s, so that the default
        // rate behaves as it would against Gong; a higher --rate lifts it,
        // so local experiments can run fast.
        let gong = f64::from(gong_flows_sim::GONG_RATE_PER_SECOND);
        let limit = rate(global.rate, None).filter(|r| *r <= gong).map(|_| gong);
        let config = SimConfig::default().calls_per_second(limit);
        let sim = Simulator::start(config).map_err(|e| {
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
        explicit.insert("GONG_BASE_URL", Some(sim.base_url()));
        explicit.insert("GONG_ACCESS_KEY", Some(key.key));
        explicit.insert("GONG_ACCESS_KEY_SECRET", Some(key.secret));
        explicit.insert("GONG_BEARER_TOKEN", None);
        Some(sim)
    } else {
        None
    };
    let settings = Settings::resolve(profile.as_ref(), |n| explicit.get(n).cloned().flatten())?;
    for warning in settings.warnings() {
        output.warn(warning);
    }
    if let (Some(name), [_, ..]) = (settings.profile(), settings.overridden()) {
        output.note(&format!(
            "profile {name}: {} from the options or environment override the profile's",
            settings.overridden().join(", ")
        ));
    }
    let rate = rate(global.rate, settings.get("GONG_RATE_LIMIT"));
    if let Some(rate) = rate.filter(|r| *r > gong_flows::GONG_CALLS_PER_SECOND && !global.sandbox) {
        output.warn(&format!(
            "--rate {rate} is above Gong's limit of {} calls per second per \
             company; the calls beyond it only earn 429s and pauses",
            gong_flows::GONG_CALLS_PER_SECOND
        ));
    }
    let client = settings
        .client_builder()?
        .over_quota(global.over_quota)
        .concurrency(usize::from(global.concurrency))
        .user_agent_suffix(concat!("gong-flows-cli/", env!("CARGO_PKG_VERSION")))
        .build()?;
    Ok(Ctx {
        client,
        output,
        _sandbox: sandbox,
        offline: false,
        profile: settings.profile().map(str::to_owned),
        rate,
    })
}
