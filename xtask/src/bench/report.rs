//! The results of a run, the goals they are held to, and their Markdown.

use super::system::Machine;
use super::{calls, input, memory, overhead, pacing, sync, throughput};
use serde::Serialize;
use std::fmt::Write as _;

/// Throughput goal: `gong-flows` within this factor of the bound.
pub const GOAL_RATIO_TO_BOUND: f64 = 1.05;
/// Throughput goal: `gong-flows` at least this many times faster than the
/// naive sequential loop at 300 ms.
pub const GOAL_SPEEDUP_OVER_SEQUENTIAL: f64 = 3.0;
/// Overhead goal: each layer's CPU per call within this factor of the one below.
pub const GOAL_LAYER_FACTOR: f64 = 1.10;
/// Pacing goal: a job at Gong's rate within this factor of `T*`.
pub const GOAL_PACED_RATIO: f64 = 1.02;
/// Pacing goal: K processes on one `RedisPacer` within this factor of `T*`.
pub const GOAL_SHARED_RATIO: f64 = 1.05;
/// Pacing goal: share of the rate left by other traffic that we use.
pub const GOAL_SHARE_OF_LEFT: f64 = 0.90;
/// Pacing goal: 429s per minute beside other traffic, once adapted.
pub const GOAL_FOREIGN_429S_PER_MINUTE: f64 = 1.0;
/// Memory goal: peak RSS of the streaming assign, MiB.
pub const GOAL_PEAK_RSS_MIB: f64 = 32.0;
/// Calls goal: every write within this factor of its floor.
pub const GOAL_CALLS_TO_FLOOR: f64 = 1.05;
/// Sync goal: each run's wall time within this factor of its calls at the
/// rate (`calls / R`).
pub const GOAL_SYNC_TIME_TO_FLOOR: f64 = 1.10;
/// Input goal: a 1,000,000-row CSV export read within this many seconds.
pub const GOAL_INPUT_CSV_S: f64 = 5.0;
/// The rows the input goal is judged at.
pub const GOAL_INPUT_ROWS: usize = 1_000_000;

/// Everything one run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `full` or `quick`.
    pub mode: String,
    /// When the run started (UTC, ISO 8601).
    pub started_utc: String,
    /// The commit checked out (the working tree may differ from it).
    pub commit: String,
    /// The command that reproduces the run.
    pub command: String,
    /// The machine.
    pub machine: Machine,
    /// Throughput against the rate limit, if run.
    pub throughput: Option<throughput::Results>,
    /// CPU per call of each layer, if run.
    pub overhead: Option<overhead::Results>,
    /// Peak memory of the streaming assign, if run.
    pub memory: Option<memory::Results>,
    /// Speed of reading id files, if run.
    pub input: Option<input::Results>,
    /// Pacing at Gong's rate, if run.
    pub pacing: Option<pacing::Results>,
    /// Calls per prospect of each write, if run.
    pub calls: Option<calls::Results>,
    /// Calls and time of a sync's runs, if run.
    pub sync: Option<sync::Results>,
    /// The goals and whether this run met them.
    pub goals: Vec<Goal>,
}

/// One goal, with the figure it was judged on.
#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    /// What is wanted.
    pub goal: String,
    /// What was measured.
    pub measured: String,
    /// Whether the measurement meets it.
    pub met: bool,
}

impl Report {
    /// Judges the measured figures against the goals.
    pub fn judge(&mut self) {
        let mut goals = Vec::new();
        if let Some(c) = &self.calls {
            let worst = c.rows.iter().max_by(|a, b| a.ratio.total_cmp(&b.ratio));
            if let Some(worst) = worst {
                goals.push(Goal {
                    goal: format!("every write ≤ {GOAL_CALLS_TO_FLOOR:.2}× its floor in calls"),
                    measured: format!("worst {:.3}× ({})", worst.ratio, worst.write),
                    met: worst.ratio <= GOAL_CALLS_TO_FLOOR,
                });
            }
            let over = c
                .rows
                .iter()
                .filter(|r| r.calls as usize > r.planned)
                .count();
            goals.push(Goal {
                goal: "every write's plan bounds its calls".to_owned(),
                measured: format!("{over} of {} over their plan", c.rows.len()),
                met: over == 0,
            });
        }
        if let Some(s) = &self.sync {
            sync_goals(s, &mut goals);
        }
        if let Some(t) = &self.throughput {
            for row in t
                .rows
                .iter()
                .filter(|r| r.client == throughput::Client::GongFlows)
            {
                goals.push(Goal {
                    goal: format!(
                        "(a) at {} ms: ≤ {GOAL_RATIO_TO_BOUND:.2}× the bound, 0 server 429s",
                        row.latency_ms
                    ),
                    measured: format!("{:.3}×, {} 429s", row.ratio_to_bound, row.server_429s),
                    met: row.ratio_to_bound <= GOAL_RATIO_TO_BOUND && row.server_429s == 0,
                });
            }
            let at = |client, latency| {
                t.rows
                    .iter()
                    .find(|r| r.client == client && r.latency_ms == latency)
            };
            if let (Some(a), Some(b)) = (
                at(throughput::Client::GongFlows, 300),
                at(throughput::Client::NaiveSequential, 300),
            ) {
                let speedup = b.wall_s / a.wall_s;
                goals.push(Goal {
                    goal: format!(
                        "(a) ≥ {GOAL_SPEEDUP_OVER_SEQUENTIAL:.0}× faster than (b) at 300 ms"
                    ),
                    measured: format!("{speedup:.1}×"),
                    met: speedup >= GOAL_SPEEDUP_OVER_SEQUENTIAL,
                });
            }
        }
        if let Some(o) = &self.overhead {
            for pair in o.rows.windows(2) {
                let factor = pair[1].cpu_us_per_call / pair[0].cpu_us_per_call;
                let paired = pair[1]
                    .paired_vs_layer_below
                    .map_or_else(String::new, |p| format!("; round by round {p:.3}×"));
                goals.push(Goal {
                    goal: format!(
                        "{} ≤ {GOAL_LAYER_FACTOR:.2}× {} (CPU per call)",
                        pair[1].layer.label(),
                        pair[0].layer.label()
                    ),
                    measured: format!(
                        "{factor:.3}× ({:.1} vs {:.1} µs{paired})",
                        pair[1].cpu_us_per_call, pair[0].cpu_us_per_call
                    ),
                    met: factor <= GOAL_LAYER_FACTOR,
                });
            }
        }
        if let Some(m) = &self.memory
            && let Some(largest) = m.rows.iter().max_by_key(|r| r.ids)
        {
            let smallest = m.rows.iter().min_by_key(|r| r.ids).unwrap_or(largest);
            goals.push(Goal {
                goal: format!("send_stream peak RSS ≤ {GOAL_PEAK_RSS_MIB:.0} MiB"),
                measured: format!(
                    "{:.1} MiB at {} ids ({:.1} MiB at {} ids)",
                    largest.peak_rss_mib,
                    thousands(largest.ids as u64),
                    smallest.peak_rss_mib,
                    thousands(smallest.ids as u64)
                ),
                met: largest.peak_rss_mib <= GOAL_PEAK_RSS_MIB,
            });
        }
        if let Some(i) = &self.input
            && let Some(csv) = i.rows.first().filter(|r| r.rows >= GOAL_INPUT_ROWS)
        {
            goals.push(Goal {
                goal: format!(
                    "a {}-row CSV read in ≤ {GOAL_INPUT_CSV_S:.0} s",
                    thousands(GOAL_INPUT_ROWS as u64)
                ),
                measured: format!(
                    "{:.2} s ({} rows/s)",
                    csv.wall_s,
                    thousands(csv.rows_per_s as u64)
                ),
                met: csv.wall_s <= GOAL_INPUT_CSV_S,
            });
        }
        if let Some(p) = &self.pacing {
            pacing_goals(p, &mut goals);
        }
        self.goals = goals;
    }

    /// The report as Markdown: one table per benchmark, then the goals.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let m = &self.machine;
        let _ = writeln!(
            md,
            "Run {} (`{}`) on commit {}: {} CPUs ({}), {:.1} GiB, Linux {}; \
             load average at start {}.\n",
            self.started_utc,
            self.command,
            self.commit,
            m.nproc,
            m.cpu_model,
            m.memory_gib,
            m.kernel,
            m.load_average
        );
        if let Some(c) = &self.calls {
            let _ = writeln!(
                md,
                "**Calls per prospect** — each write of {} prospects against the simulator, \
                 unpaced; the floor is ⌈N/limit⌉ writes plus the look-ups the design needs \
                 (200 ids each); the plan is `plan()`'s bound before the job.\n",
                thousands(c.prospects as u64)
            );
            md.push_str("| write | calls | floor | × floor | calls per 1,000 | plan |\n");
            md.push_str("|---|---:|---:|---:|---:|---:|\n");
            for r in &c.rows {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {:.3} | {:.1} | {} |",
                    r.write, r.calls, r.floor, r.ratio, r.per_thousand, r.planned
                );
            }
            md.push('\n');
        }
        if let Some(s) = &self.sync {
            sync_markdown(s, &mut md);
        }
        if let Some(t) = &self.throughput {
            let _ = writeln!(
                md,
                "**Throughput** — {} ids, simulator limited to {} calls/s, bound \
                 ⌈N/200⌉/R = {:.2} s; {}.\n",
                thousands(t.ids as u64),
                t.rate,
                t.bound_s,
                t.concurrency_rule
            );
            md.push_str("| client | latency | in flight | wall (s) | × bound | calls | 429s |\n");
            md.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
            for r in &t.rows {
                let _ = writeln!(
                    md,
                    "| {} | {} ms | {} | {:.2} | {:.3} | {} | {} |",
                    r.client.label(),
                    r.latency_ms,
                    r.in_flight,
                    r.wall_s,
                    r.ratio_to_bound,
                    r.calls,
                    r.server_429s
                );
            }
            md.push('\n');
        }
        if let Some(o) = &self.overhead {
            let calls = o.rows.first().map_or(0, |r| r.calls);
            let _ = writeln!(
                md,
                "**Per-call CPU** — {} assign calls of {} ids per layer after {} warm-up \
                 calls, {} in flight, no latency, no limit, in {} rounds with the layers taking \
                 turns; the median round is shown, and the median of the rounds' ratios to the \
                 layer below (“paired”). Each layer's simulator runs in a separate \
                 process and the client on one current-thread runtime, so CPU is the \
                 client's alone.\n",
                thousands(calls as u64),
                o.ids_per_call,
                o.warmup_calls,
                o.in_flight,
                o.rounds
            );
            md.push_str(
                "| layer | CPU µs/call | × layer below | × below, paired | rounds (µs/call) | process CPU µs/call (10 ms ticks) | wall (s) |\n",
            );
            md.push_str("|---|---:|---:|---:|---|---:|---:|\n");
            for r in &o.rows {
                let factor =
                    |f: Option<f64>| f.map_or_else(|| "—".to_owned(), |f| format!("{f:.3}"));
                let (below, paired) = (factor(r.vs_layer_below), factor(r.paired_vs_layer_below));
                let rounds: Vec<String> = r
                    .rounds_us_per_call
                    .iter()
                    .map(|us| format!("{us:.0}"))
                    .collect();
                let _ = writeln!(
                    md,
                    "| {} | {:.1} | {} | {} | {} | {:.1} | {:.2} |",
                    r.layer.label(),
                    r.cpu_us_per_call,
                    below,
                    paired,
                    rounds.join(" "),
                    r.process_cpu_us_per_call,
                    r.wall_s
                );
            }
            md.push('\n');
        }
        if let Some(mem) = &self.memory {
            let _ = writeln!(
                md,
                "**Memory** — `send_stream` in a child process, {} calls in flight, no latency, \
                 no limit; the simulator in another process. Peak RSS is the child's `VmHWM`.\n",
                mem.in_flight
            );
            md.push_str("| ids | peak RSS (MiB) | before streaming (MiB) | wall (s) |\n");
            md.push_str("|---:|---:|---:|---:|\n");
            for r in &mem.rows {
                let _ = writeln!(
                    md,
                    "| {} | {:.1} | {:.1} | {:.2} |",
                    thousands(r.ids as u64),
                    r.peak_rss_mib,
                    r.baseline_rss_mib,
                    r.wall_s
                );
            }
            md.push('\n');
        }
        if let Some(input) = &self.input {
            md.push_str(
                "**Reading id files** — `gong_flows::input::parse_ids` on text in memory: every \
                 id checked, deduplicated and line-numbered; median of 3 runs.\n\n",
            );
            md.push_str("| input | rows | MiB | wall (s) | rows/s | CPU (s) | rows/s of CPU |\n");
            md.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
            for r in &input.rows {
                let _ = writeln!(
                    md,
                    "| {} | {} | {:.1} | {:.3} | {} | {:.3} | {} |",
                    r.shape,
                    thousands(r.rows as u64),
                    r.mib,
                    r.wall_s,
                    thousands(r.rows_per_s as u64),
                    r.cpu_s,
                    thousands(r.rows_per_cpu_s as u64)
                );
            }
            md.push('\n');
        }
        if let Some(p) = &self.pacing {
            pacing_markdown(p, &mut md);
        }
        if !self.goals.is_empty() {
            md.push_str("| goal | measured | met |\n|---|---|---|\n");
            for g in &self.goals {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} |",
                    g.goal,
                    g.measured,
                    if g.met { "yes" } else { "**no**" }
                );
            }
        }
        md
    }
}

fn sync_goals(s: &sync::Results, goals: &mut Vec<Goal>) {
    for row in &s.rows {
        let floor = row.floor.calls();
        goals.push(Goal {
            goal: format!(
                "sync of {} ids, {}: calls = floor ({floor})",
                thousands(s.ids as u64),
                row.run
            ),
            measured: format!(
                "{} ({} look-ups, {} assign and {} unassign calls)",
                row.calls, row.look_ups, row.assigns, row.unassigns
            ),
            met: row.calls <= floor,
        });
        goals.push(Goal {
            goal: format!(
                "sync of {} ids, {}: ≤ {GOAL_SYNC_TIME_TO_FLOOR:.2}× calls/R, 0 429s",
                thousands(s.ids as u64),
                row.run
            ),
            measured: format!(
                "{:.3}× ({:.2} s for {} calls at {}/s), {} 429s",
                row.ratio_to_time_floor, row.wall_s, row.calls, s.rate, row.server_429s
            ),
            met: row.ratio_to_time_floor <= GOAL_SYNC_TIME_TO_FLOOR && row.server_429s == 0,
        });
    }
}

fn sync_markdown(s: &sync::Results, md: &mut String) {
    let _ = writeln!(
        md,
        "**Sync** — one flow kept in step with a list of {} ids, against the simulator limited \
         to {} calls/s ({} ms per call), the client paced at that rate with the SDK's defaults, \
         the state in a `{}` file. Floor: ⌈P/200⌉ look-ups (P: listed, or in the flow by the sync \
         and listed no more) + ⌈adds/200⌉ assigns + ⌈removals/200⌉ unassigns; time floor: calls/R; the plan is \
         the plan's look-ups and the most writes it allows for.\n",
        thousands(s.ids as u64),
        s.rate,
        s.latency_ms,
        s.store
    );
    md.push_str(
        "| run | listed | managed before | assigned | removed | look-ups | assigns | unassigns | calls | floor | plan | wall (s) | calls/R (s) | × calls/R | 429s |\n",
    );
    md.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in &s.rows {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {:.3} | {} |",
            r.run,
            thousands(r.listed as u64),
            thousands(r.managed_before as u64),
            thousands(r.assigned as u64),
            thousands(r.removed as u64),
            r.look_ups,
            r.assigns,
            r.unassigns,
            r.calls,
            r.floor.calls(),
            r.planned,
            r.wall_s,
            r.time_floor_s,
            r.ratio_to_time_floor,
            r.server_429s
        );
    }
    md.push('\n');
}

fn pacing_goals(p: &pacing::Results, goals: &mut Vec<Goal>) {
    for row in &p.rows {
        goals.push(Goal {
            goal: format!(
                "paced at {}/s, {} ms: ≤ {GOAL_PACED_RATIO:.2}× T*, 0 429s",
                p.rate, row.latency_ms
            ),
            measured: format!("{:.4}×, {} 429s", row.ratio, row.limiter_429s),
            met: row.ratio <= GOAL_PACED_RATIO && row.limiter_429s == 0,
        });
    }
    if let Some(r) = &p.recovery {
        let allowed = f64::from(r.retry_after_s) + 1.0 / f64::from(p.rate);
        goals.push(Goal {
            goal: format!(
                "one 429 (Retry-After: {}) costs ≤ {allowed:.2} s, 0 further 429s (worst of {} runs)",
                r.retry_after_s,
                r.lost_s_runs.len().max(1)
            ),
            measured: format!("{:.2} s, {} 429s", r.lost_s, r.further_429s),
            met: r.lost_s <= allowed && r.further_429s == 0,
        });
    }
    if let Some(row) = p.shared.iter().find(|r| r.pacing.contains("Redis")) {
        goals.push(Goal {
            goal: format!(
                "{} processes on one RedisPacer: ≤ {GOAL_SHARED_RATIO:.2}× T*, 0 429s",
                row.processes
            ),
            measured: format!("{:.4}×, {} 429s", row.ratio, row.limiter_429s),
            met: row.ratio <= GOAL_SHARED_RATIO && row.limiter_429s == 0 && row.assigned == row.ids,
        });
    }
    if let Some(f) = &p.foreign {
        goals.push(Goal {
            goal: format!(
                "beside {}/s of other traffic: ≥ {:.0} % of the {}/s left, ≤ {GOAL_FOREIGN_429S_PER_MINUTE:.0} 429/min after {} s",
                f.foreign_rate,
                GOAL_SHARE_OF_LEFT * 100.0,
                f.left,
                f.settle_s
            ),
            measured: format!(
                "{:.1} % ({:.2} calls/s), {:.2} 429/min",
                f.share_of_left * 100.0,
                f.throughput,
                f.per_minute_429s
            ),
            met: f.share_of_left >= GOAL_SHARE_OF_LEFT
                && f.per_minute_429s <= GOAL_FOREIGN_429S_PER_MINUTE,
        });
    }
}

fn pacing_markdown(p: &pacing::Results, md: &mut String) {
    let _ = writeln!(
        md,
        "**Pacing** — the simulator's strict limiter at {} calls/s (at most {} calls in any \
         sliding second, refused calls counted too); {} calls of 200 ids per job; \
         T* = (C − 1)/R + L.\n",
        p.rate, p.rate, p.calls
    );
    md.push_str("| case | latency | in flight | wall (s) | T* (s) | × T* | limiter 429s |\n");
    md.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for r in &p.rows {
        let _ = writeln!(
            md,
            "| gong-flows, paced | {} ms | {} | {:.2} | {:.2} | {:.4} | {} |",
            r.latency_ms, r.in_flight, r.wall_s, r.bound_s, r.ratio, r.limiter_429s
        );
    }
    if let Some(r) = &p.recovery {
        let _ = writeln!(
            md,
            "| one 429 (Retry-After: {}) mid-job, worst of {} runs | {} ms | | {:.2} | | lost {:.2} s | {} further |",
            r.retry_after_s,
            r.lost_s_runs.len().max(1),
            r.latency_ms,
            r.wall_s,
            r.lost_s,
            r.further_429s
        );
    }
    md.push('\n');
    if !p.shared.is_empty() {
        md.push_str(
            "| K processes, one company limit (300 ms) | calls | wall (s) | T* (s) | × T* | limiter 429s | ids assigned |\n",
        );
        md.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
        for r in &p.shared {
            let _ = writeln!(
                md,
                "| {} × {} | {} | {:.2} | {:.2} | {:.3} | {} | {} of {} |",
                r.processes,
                r.pacing,
                r.calls,
                r.wall_s,
                r.bound_s,
                r.ratio,
                r.limiter_429s,
                thousands(r.assigned as u64),
                thousands(r.ids as u64)
            );
        }
        md.push('\n');
    }
    if let Some(note) = &p.shared_note {
        let _ = writeln!(md, "{note}\n");
    }
    if let Some(f) = &p.foreign {
        let _ = writeln!(
            md,
            "Beside {}/s of other traffic (100 ms): {:.2} calls/s of the {}/s left ({:.1} %), \
             {:.2} limiter 429s a minute after the first {} s; adapted rate at the end {:.2}/s; \
             job {:.0} s.\n",
            f.foreign_rate,
            f.throughput,
            f.left,
            f.share_of_left * 100.0,
            f.per_minute_429s,
            f.settle_s,
            f.final_rate,
            f.wall_s
        );
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> Machine {
        Machine {
            nproc: 2,
            cpu_model: "Test CPU".to_owned(),
            memory_gib: 24.0,
            load_average: "0.10 0.20 0.30".to_owned(),
            kernel: "6.1".to_owned(),
        }
    }

    fn report() -> Report {
        let row = |client, latency_ms, wall_s: f64, server_429s| throughput::Row {
            client,
            latency_ms,
            in_flight: 11,
            wall_s,
            ratio_to_bound: wall_s / 6.667,
            calls: 200,
            server_429s,
        };
        let layer = |layer, cpu_us_per_call, below: Option<f64>| overhead::Row {
            layer,
            calls: 20_000,
            cpu_us_per_call,
            rounds_us_per_call: vec![cpu_us_per_call],
            process_cpu_us_per_call: cpu_us_per_call,
            vs_layer_below: below.map(|below| cpu_us_per_call / below),
            paired_vs_layer_below: below.map(|below| cpu_us_per_call / below),
            wall_s: 3.0,
        };
        let mut report = Report {
            mode: "full".to_owned(),
            started_utc: "2025-01-01T00:00:00Z".to_owned(),
            commit: "abc1234".to_owned(),
            command: "cargo xtask bench".to_owned(),
            machine: machine(),
            throughput: Some(throughput::Results {
                ids: 40_000,
                rate: 30,
                bound_s: 6.667,
                concurrency_rule: "rule".to_owned(),
                rows: vec![
                    row(throughput::Client::GongFlows, 300, 6.9, 0),
                    row(throughput::Client::NaiveSequential, 300, 61.0, 0),
                    row(throughput::Client::NaiveConcurrent, 300, 9.0, 40),
                ],
            }),
            overhead: Some(overhead::Results {
                ids_per_call: 200,
                in_flight: 4,
                warmup_calls: 200,
                rounds: 1,
                rows: vec![
                    layer(overhead::Layer::Raw, 100.0, None),
                    layer(overhead::Layer::Generated, 105.0, Some(100.0)),
                    layer(overhead::Layer::GongFlows, 130.0, Some(105.0)),
                ],
            }),
            memory: Some(memory::Results {
                in_flight: 4,
                rows: vec![memory::Row {
                    ids: 1_000_000,
                    assigned: 1_000_000,
                    baseline_rss_mib: 8.0,
                    peak_rss_mib: 14.0,
                    wall_s: 9.0,
                }],
            }),
            input: Some(input::Results {
                rows: vec![input::Row {
                    shape: "CSV export".to_owned(),
                    rows: 1_000_000,
                    mib: 80.0,
                    wall_s: 0.8,
                    cpu_s: 0.5,
                    rows_per_s: 1_250_000.0,
                    rows_per_cpu_s: 2_000_000.0,
                }],
            }),
            pacing: None,
            calls: None,
            sync: None,
            goals: Vec::new(),
        };
        report.judge();
        report
    }

    #[test]
    fn calls_are_judged_against_their_floor_and_their_plan() {
        let mut report = report();
        let row = |write: &str, calls, floor, planned| calls::Row {
            write: write.to_owned(),
            prospects: 1000,
            calls,
            floor,
            ratio: calls as f64 / floor as f64,
            per_thousand: calls as f64,
            planned,
        };
        report.calls = Some(calls::Results {
            prospects: 1000,
            rows: vec![row("assign", 5, 5, 10), row("unassign", 11, 10, 10)],
        });
        report.judge();
        let goal = |name: &str| report.goals.iter().find(|g| g.goal.contains(name)).unwrap();
        assert!(!goal("its floor").met, "11 / 10 is over 1.05");
        assert!(goal("its floor").measured.contains("unassign"));
        assert!(!goal("plan bounds").met, "11 calls against a plan of 10");
        let md = report.to_markdown();
        assert!(md.contains("| assign | 5 | 5 | 1.000 | 5.0 | 10 |"), "{md}");
    }

    #[test]
    fn sync_runs_are_judged_against_their_floor_and_calls_over_the_rate() {
        let mut report = report();
        let row = |run: &str, calls: u64, floor: sync::Floor, wall_s: f64| sync::Row {
            run: run.to_owned(),
            listed: 2_000,
            managed_before: 0,
            assigned: 2_000,
            removed: 0,
            look_ups: floor.look_ups,
            assigns: floor.assigns,
            unassigns: calls - floor.look_ups - floor.assigns,
            calls,
            floor,
            over_floor: calls as i64 - floor.calls() as i64,
            planned: 30,
            wall_s,
            time_floor_s: calls as f64 / 30.0,
            ratio_to_time_floor: wall_s * 30.0 / calls as f64,
            server_429s: 0,
        };
        report.sync = Some(sync::Results {
            ids: 2_000,
            rate: 30,
            latency_ms: 10,
            store: "SqliteStore".to_owned(),
            rows: vec![
                row("first sync", 20, sync::Floor::of(2_000, 2_000, 0, 0), 0.70),
                row("changed", 15, sync::Floor::of(2_020, 20, 40, 0), 0.60),
            ],
        });
        report.judge();
        let goals: Vec<(&str, bool)> = report
            .goals
            .iter()
            .filter(|g| g.goal.starts_with("sync"))
            .map(|g| (g.goal.as_str(), g.met))
            .collect();
        assert_eq!(goals.len(), 4, "{goals:?}");
        assert!(goals[0].1, "20 calls, floor 20");
        assert!(goals[1].1, "0.70 s is 1.05× 20 calls at 30/s");
        assert!(!goals[2].1, "15 calls over a floor of 13");
        assert!(!goals[3].1, "0.60 s is 1.2× 15 calls at 30/s");
        let md = report.to_markdown();
        assert!(
            md.contains("| first sync | 2,000 | 0 | 2,000 | 0 | 10 | 10 | 0 | 20 | 20 | 30 | 0.70 | 0.67 | 1.050 | 0 |"),
            "{md}"
        );
    }

    #[test]
    fn goals_are_judged_on_the_figures() {
        let report = report();
        let met: Vec<(&str, bool)> = report
            .goals
            .iter()
            .map(|g| (g.goal.as_str(), g.met))
            .collect();
        assert_eq!(met.len(), 6, "{met:?}");
        assert!(met[0].1, "6.9 s is 1.035× the bound");
        assert!(met[1].1, "61 / 6.9 is 8.8×");
        assert!(met[2].1, "105 / 100");
        assert!(!met[3].1, "130 / 105 is over 1.10");
        assert!(met[4].1, "14 MiB");
        assert!(met[5].1, "0.8 s for a million rows");
    }

    #[test]
    fn markdown_has_every_table() {
        let md = report().to_markdown();
        assert!(md.contains("| (a) gong-flows, paced | 300 ms | 11 | 6.90 |"));
        assert!(md.contains("| gong-flows (send_stream) | 130.0 | 1.238 | 1.238 | 130 |"));
        assert!(md.contains("| 1,000,000 | 14.0 | 8.0 |"));
        assert!(
            md.contains(
                "| CSV export | 1,000,000 | 80.0 | 0.800 | 1,250,000 | 0.500 | 2,000,000 |"
            )
        );
        assert!(md.contains("| **no** |"));
        assert!(md.contains("2 CPUs (Test CPU), 24.0 GiB"));
    }

    #[test]
    fn thousands_separates_groups() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(40_000), "40,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
