//! Reading id files: `gong_flows::input::parse_ids` over a CRM-export CSV
//! (five columns, the ids in the one named `Contact ID`, some fields quoted
//! with commas and line breaks inside) and over a plain file of one id per
//! line, in rows per second.
//!
//! The text is built in memory first, so only parsing is timed: checking,
//! deduplicating and line-numbering every id. Each case runs a few times
//! and the median counts.

use super::system::threads_cpu;
use super::{crm_id, secs};
use anyhow::{Result, ensure};
use serde::Serialize;
use std::fmt::Write as _;
use std::time::Instant;

/// Runs per case; the median counts.
const RUNS: usize = 3;

/// One input shape's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// What the file looks like.
    pub shape: String,
    /// Data rows (ids) in the file.
    pub rows: usize,
    /// Size of the file, MiB.
    pub mib: f64,
    /// Median time to parse it, seconds.
    pub wall_s: f64,
    /// Median CPU time of the parse, seconds (this process's threads; on a
    /// busy machine, wall time also counts waiting for a core).
    pub cpu_s: f64,
    /// Rows per second of wall time, at the median.
    pub rows_per_s: f64,
    /// Rows per second of CPU time, at the median.
    pub rows_per_cpu_s: f64,
}

/// The input-reading results.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// One row per input shape.
    pub rows: Vec<Row>,
}

/// A CRM export of `rows` contacts: the id column is fourth, every 10th
/// company name is quoted with a comma, every 100th note spans two lines.
pub fn crm_export(rows: usize) -> String {
    let mut text = String::with_capacity(rows * 80);
    text.push_str("First Name,Last Name,Email,Contact ID,Company\n");
    for i in 0..rows {
        let company = if i % 10 == 0 {
            format!("\"Example {i}, Inc.\"")
        } else if i % 100 == 1 {
            format!("\"Example {i}\nLondon\"")
        } else {
            format!("Example {i}")
        };
        let _ = writeln!(
            text,
            "First{i},Last{i},person{i}@example.com,{},{company}",
            crm_id(i)
        );
    }
    text
}

/// One id per line.
pub fn plain_ids(rows: usize) -> String {
    let mut text = String::with_capacity(rows * 19);
    for i in 0..rows {
        text.push_str(&crm_id(i));
        text.push('\n');
    }
    text
}

/// Parses each shape of `rows` rows.
pub fn run(rows: usize) -> Result<Results> {
    let mut out = Vec::new();
    for (shape, text) in [
        (
            "CSV export, 5 columns, id column found by its header",
            crm_export(rows),
        ),
        ("one id per line", plain_ids(rows)),
    ] {
        eprintln!("  input: {shape}, {rows} rows …");
        let mut times = Vec::with_capacity(RUNS);
        let mut cpu = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let cpu_before = threads_cpu()?;
            let started = Instant::now();
            let ids = gong_flows::input::parse_ids("bench.csv", &text, None)?;
            times.push(started.elapsed());
            cpu.push(threads_cpu()?.saturating_sub(cpu_before));
            ensure!(
                ids.unique.len() == rows,
                "{shape}: read {} ids of {rows}",
                ids.unique.len()
            );
        }
        times.sort();
        cpu.sort();
        let wall_s = secs(times[RUNS / 2]);
        let cpu_s = secs(cpu[RUNS / 2]);
        out.push(Row {
            shape: shape.to_owned(),
            rows,
            mib: text.len() as f64 / (1024.0 * 1024.0),
            wall_s,
            cpu_s,
            rows_per_s: rows as f64 / wall_s.max(1e-9),
            rows_per_cpu_s: rows as f64 / cpu_s.max(1e-9),
        });
    }
    Ok(Results { rows: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_reads_back_every_id_from_its_id_column() {
        let ids = gong_flows::input::parse_ids("x.csv", &crm_export(250), None).unwrap();
        assert_eq!(ids.unique.len(), 250);
        assert_eq!(ids.unique[7], crm_id(7));
        assert_eq!(ids.column.unwrap().name, "Contact ID");
        let ids = gong_flows::input::parse_ids("x.txt", &plain_ids(25), None).unwrap();
        assert_eq!(ids.unique.len(), 25);
    }

    #[test]
    fn a_small_run_counts_every_row() {
        let results = run(500).unwrap();
        assert_eq!(results.rows.len(), 2);
        assert!(
            results
                .rows
                .iter()
                .all(|r| r.rows == 500 && r.rows_per_s > 0.0)
        );
    }
}
