//! The simulator in a process of its own, so that neither its CPU time nor
//! its memory (it keeps every flow instance it creates) is counted against
//! the client being measured.

use anyhow::{Context as _, Result, bail};
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running `gong-flows-sim` binary; dropping it stops the process.
#[derive(Debug)]
pub struct SimProcess {
    child: Child,
    base_url: String,
}

impl SimProcess {
    /// Starts `binary` on a free loopback port with no rate limits and no
    /// latency, and waits until it listens.
    pub fn start_unlimited(binary: &Path) -> Result<SimProcess> {
        let mut child = Command::new(binary)
            .args([
                "--port",
                "0",
                "--rate",
                "off",
                "--daily",
                "off",
                "--latency",
                "none",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("simulator stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut base_url = None;
        for line in lines.by_ref() {
            let line = line.context("reading the simulator's output")?;
            if let Some(url) = line.trim().strip_prefix("gong-flows-sim listening on ") {
                base_url = Some(url.trim().to_owned());
                break;
            }
        }
        let Some(base_url) = base_url else {
            let _ = child.kill();
            let _ = child.wait();
            bail!("{} exited without printing its URL", binary.display());
        };
        // Keep draining its output so that it can never block on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(SimProcess { child, base_url })
    }

    /// The simulator's base URL, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        // Our own child, by its handle: no state of it is needed afterwards.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the release build of the simulator binary sits: beside this
/// (release) binary.
pub fn sim_binary() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("locating the running binary")?;
    let dir = exe
        .parent()
        .context("the running binary has no directory")?;
    let binary = dir.join(format!("gong-flows-sim{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        bail!(
            "{} is missing; build it with `cargo build --release -p gong-flows-sim` \
             (`cargo xtask bench` does)",
            binary.display()
        );
    }
    Ok(binary)
}
