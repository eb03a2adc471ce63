//! What the benchmarks read from Linux's `/proc`: CPU time, peak memory and
//! a description of the machine.
//!
//! Everything is parsed from text files so that no `unsafe` FFI (such as
//! `getrusage`) is needed.

use anyhow::{Context as _, Result, bail};
use serde::Serialize;
use std::path::Path;
use std::time::Duration;

/// Clock ticks per second of `/proc/<pid>/stat` (`USER_HZ`), fixed at 100
/// by the kernel ABI on every architecture Linux supports today.
const USER_HZ: u64 = 100;

/// CPU time of this process: every thread, the exited ones included, user
/// plus system time (`/proc/self/stat` fields 14 and 15, 10 ms resolution).
pub fn process_cpu() -> Result<Duration> {
    let text = std::fs::read_to_string("/proc/self/stat").context("reading /proc/self/stat")?;
    let ticks = stat_cpu_ticks(&text)?;
    Ok(Duration::from_millis(ticks * 1000 / USER_HZ))
}

/// User plus system ticks from the text of a `/proc/<pid>/stat` file.
pub fn stat_cpu_ticks(text: &str) -> Result<u64> {
    // The command name (field 2) is in parentheses and may hold spaces or
    // parentheses itself: count fields after the last `)`.
    let rest = text
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .context("no command name in /proc/self/stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state); utime is field 14, stime field 15.
    let field = |n: usize| -> Result<u64> {
        fields
            .get(n - 3)
            .context("/proc/self/stat is too short")?
            .parse::<u64>()
            .with_context(|| format!("field {n} of /proc/self/stat is not a number"))
    };
    Ok(field(14)? + field(15)?)
}

/// CPU time of this process's live threads in nanoseconds, summed from
/// `/proc/self/task/*/schedstat` (the scheduler's own accounting, far finer
/// than [`process_cpu`], but blind to threads that have exited).
pub fn threads_cpu() -> Result<Duration> {
    let mut total = 0u64;
    for entry in std::fs::read_dir("/proc/self/task").context("reading /proc/self/task")? {
        let path = entry?.path().join("schedstat");
        // A thread may exit between the listing and the read.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        total += schedstat_ns(&text)?;
    }
    Ok(Duration::from_nanos(total))
}

/// Time on CPU (the first field) from the text of a `schedstat` file.
pub fn schedstat_ns(text: &str) -> Result<u64> {
    text.split_whitespace()
        .next()
        .context("empty schedstat")?
        .parse::<u64>()
        .context("schedstat's first field is not a number")
}

/// Peak resident set size of this process in KiB (`VmHWM` of
/// `/proc/self/status`).
pub fn peak_rss_kib() -> Result<u64> {
    let text = std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    status_kib(&text, "VmHWM")
}

/// A `kB` field of a `/proc/<pid>/status` or `/proc/meminfo` text.
pub fn status_kib(text: &str, name: &str) -> Result<u64> {
    for line in text.lines() {
        if let Some(value) = line
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(':'))
        {
            let number = value.trim().trim_end_matches("kB").trim();
            return number
                .parse::<u64>()
                .with_context(|| format!("{name} is not a number: {value:?}"));
        }
    }
    bail!("no {name} line")
}

/// The machine a run was made on.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// CPUs available to this process (what `nproc` prints).
    pub nproc: usize,
    /// `model name` of the first CPU in `/proc/cpuinfo`.
    pub cpu_model: String,
    /// Total memory in GiB (`MemTotal` of `/proc/meminfo`).
    pub memory_gib: f64,
    /// The 1-, 5- and 15-minute load averages when the run started.
    pub load_average: String,
    /// The kernel release (`/proc/sys/kernel/osrelease`).
    pub kernel: String,
}

impl Machine {
    /// Describes this machine; unreadable facts are reported as unknown.
    pub fn describe() -> Machine {
        let read = |path: &str| std::fs::read_to_string(Path::new(path)).unwrap_or_default();
        let cpu_model = read("/proc/cpuinfo")
            .lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                (key.trim() == "model name").then(|| value.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let memory_gib = status_kib(&read("/proc/meminfo"), "MemTotal")
            .map(|kib| kib as f64 / (1024.0 * 1024.0))
            .unwrap_or(0.0);
        let load_average = read("/proc/loadavg")
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        Machine {
            nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu_model,
            memory_gib,
            load_average,
            kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
        }
    }

    /// The 1-minute load average as a number.
    pub fn load_1min(&self) -> f64 {
        self.load_average
            .split_whitespace()
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_after_the_command_name() {
        // A command name with spaces and parentheses must not shift fields.
        let text = "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 500 0 0 0 \
                    250 75 0 0 20 0 3 0 100 1000000 500 18446744073709551615";
        assert_eq!(stat_cpu_ticks(text).unwrap(), 325);
    }

    #[test]
    fn status_and_schedstat_parse() {
        let status = "Name:\txtask\nVmPeak:\t  20000 kB\nVmHWM:\t   12345 kB\n";
        assert_eq!(status_kib(status, "VmHWM").unwrap(), 12345);
        assert!(status_kib(status, "VmRSS").is_err());
        assert_eq!(schedstat_ns("987654321 12345 67\n").unwrap(), 987_654_321);
    }

    #[test]
    fn this_process_can_be_measured() {
        assert!(peak_rss_kib().unwrap() > 0);
        process_cpu().unwrap();
        assert!(threads_cpu().unwrap() > Duration::ZERO);
        assert!(Machine::describe().nproc > 0);
    }
}
