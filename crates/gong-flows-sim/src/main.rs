//! `gong-flows-sim`: runs the Engage Flows simulator standalone.
//!
//! ```text
//! cargo run -p gong-flows-sim -- --port 8080 --rate 3 --daily 10000 \
//!     --latency 50ms..150ms --faults "500=0.05,reset=0.02;seed=7" --seed 1
//! ```

#![deny(missing_docs)]

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use gong_flows_sim::{DayWindow, FaultConfig, FoldersShape, Latency, SimConfig, Simulator};

/// A stateful local simulator of Gong's Engage Flows API.
#[derive(Debug, Parser)]
#[command(name = "gong-flows-sim", version, about, long_about = None)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,

    /// Calls allowed in any one-second window, or `off` (Gong: 3).
    #[arg(long, default_value = "3")]
    rate: Limit,

    /// Count refused calls toward the one-second window too, so a client
    /// that keeps calling into a full window stays refused.
    #[arg(long)]
    strict_limiter: bool,

    /// Calls per second another integration of the same company makes,
    /// taking part of the rate limit (e.g. `1`).
    #[arg(long, value_name = "CALLS_PER_SECOND")]
    foreign_rate: Option<f64>,

    /// Calls allowed per day, or `off` (Gong: 10000). Refused calls do not
    /// count.
    #[arg(long, default_value = "10000")]
    daily: Limit,

    /// How the day of `--daily` is counted: `utc` (calendar days, starting
    /// at each multiple of `--day-length` since the Unix epoch) or `rolling`
    /// (the last `--day-length`).
    #[arg(long, default_value = "utc", value_name = "utc|rolling")]
    day_window: DayWindow,

    /// The length of that day (e.g. `10s` to see the daily limit in a test;
    /// at most `24h`).
    #[arg(long, default_value = "24h", value_parser = parse_day_length)]
    day_length: Duration,

    /// Add `X-RateLimit-Limit`, `-Remaining`, `-Reset` and their `-Daily-`
    /// counterparts to every answer.
    #[arg(long)]
    rate_limit_headers: bool,

    /// Make every answer's `x-traceid` differ from its body's `requestId`.
    #[arg(long)]
    distinct_trace_ids: bool,

    /// Records per page of the two GET lists.
    #[arg(long, default_value_t = 100)]
    page_size: usize,

    /// Shape of the folders answer: `observed` (`flowsFolders`, as real
    /// traffic has it) or `documented` (`flows`, as Gong's document declares).
    #[arg(long, default_value = "observed", value_name = "observed|documented")]
    folders_shape: FoldersShape,

    /// Prospects one assign call may carry (1 to 200; Gong's newest document
    /// says 100): a longer list is refused with 400.
    #[arg(long, default_value_t = 200, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=200))]
    assign_limit: u16,

    /// Latency: `none`, a duration (`100ms`) or a uniform range (`50ms..150ms`).
    #[arg(long, default_value = "none")]
    latency: Latency,

    /// Fault spec, e.g. `500=0.05,429-burst=0.01:3,applied-then-failed=0.05@assignProspects;seed=7`.
    /// Kinds: 500, 502, 503[:retry-after], 429-burst[:length], reset,
    /// timeout[:delay], malformed, applied-then-failed; `@op|op` limits an
    /// item to operationIds.
    #[arg(long, default_value = "none")]
    faults: FaultConfig,

    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    seed: u64,

    /// Time a bulk job spends in each of PENDING and IN_PROGRESS (e.g. `100ms`, `0`).
    #[arg(long, default_value = "100ms", value_parser = parse_stage)]
    bulk_stage: Duration,

    /// Generated company flows to add to the seeded dataset.
    #[arg(long, default_value_t = 0)]
    flows: usize,
}

/// A limit or `off` (a newtype: clap gives `Option` fields another meaning).
#[derive(Clone, Copy, Debug)]
struct Limit(Option<u32>);

impl std::str::FromStr for Limit {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        if value.eq_ignore_ascii_case("off") || value.eq_ignore_ascii_case("none") {
            return Ok(Limit(None));
        }
        match value.parse::<u32>() {
            Ok(0) => Err("use `off` for no limit".to_owned()),
            Ok(n) => Ok(Limit(Some(n))),
            Err(_) => Err(format!("`{value}` is neither a number nor `off`")),
        }
    }
}

fn parse_stage(value: &str) -> Result<Duration, String> {
    match value.parse::<Latency>() {
        Ok(Latency::None) => Ok(Duration::ZERO),
        Ok(Latency::Fixed(d)) => Ok(d),
        Ok(Latency::Uniform { .. }) => Err("a single duration, not a range".to_owned()),
        Err(error) => Err(error.to_string()),
    }
}

/// A duration such as `10s`, `1.5m`, `500ms` or `24h`, more than zero and
/// at most a day.
fn parse_day_length(value: &str) -> Result<Duration, String> {
    let text = value.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("`{text}` has no unit (use ms, s, m or h)"))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` does not start with a number"))?;
    let seconds = match unit {
        "ms" => number / 1e3,
        "s" => number,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        other => return Err(format!("unknown unit `{other}` (use ms, s, m or h)")),
    };
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!("`{text}` is not within (0, 24h]"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = SimConfig::default()
        .port(args.port)
        .rate_limit(args.rate.0)
        .strict_limiter(args.strict_limiter)
        .foreign_rate(args.foreign_rate)
        .daily_limit(args.daily.0)
        .day_window(args.day_window)
        .day_length(args.day_length)
        .rate_limit_headers(args.rate_limit_headers)
        .distinct_trace_ids(args.distinct_trace_ids)
        .page_size(args.page_size)
        .folders_shape(args.folders_shape)
        .assign_limit(usize::from(args.assign_limit))
        .latency(args.latency)
        .faults(args.faults.clone())
        .seed(args.seed)
        .bulk_stage(args.bulk_stage)
        .flows(args.flows);
    let sim = match Simulator::start(config) {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!("gong-flows-sim: {error}");
            return ExitCode::FAILURE;
        }
    };
    let off = |limit: Option<u32>| limit.map_or_else(|| "off".to_owned(), |n| n.to_string());
    println!("gong-flows-sim listening on {}", sim.base_url());
    println!(
        "  limits: {}/s{}{}, {}/day ({}{}){}; page size {}; folders {}; latency {}; faults {}; seed {}{}",
        off(args.rate.0),
        if args.strict_limiter { " (strict)" } else { "" },
        args.foreign_rate
            .map(|rate| format!(" ({rate}/s taken by other traffic)"))
            .unwrap_or_default(),
        off(args.daily.0),
        args.day_window,
        if args.day_length == gong_flows_sim::DEFAULT_DAY_LENGTH {
            String::new()
        } else {
            format!(", a day of {}", Latency::Fixed(args.day_length))
        },
        if args.rate_limit_headers {
            ", in headers"
        } else {
            ""
        },
        args.page_size,
        args.folders_shape,
        args.latency,
        args.faults,
        args.seed,
        if args.distinct_trace_ids {
            "; x-traceid differs from requestId"
        } else {
            ""
        }
    );
    println!("  credentials:");
    for line in sim.credential_lines() {
        println!("    {line}");
    }
    println!("  to point gong-flows (or Client::from_env) at it:");
    for line in sim.export_lines() {
        println!("    {line}");
    }
    println!("Press Ctrl-C to stop.");
    stop_signal().await;
    sim.shutdown().await;
    ExitCode::SUCCESS
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one (what process
/// supervisors and test harnesses send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("gong-flows-sim: cannot wait for Ctrl-C: {error}");
    }
}
