//! The standalone binary: prints its URL and credentials, serves, and
//! refuses bad flags.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_gong-flows-sim");

/// Kills the child when the test ends, however it ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serves_and_prints_credentials() {
    let mut child = Child(
        Command::new(BIN)
            .args(["--port", "0", "--rate", "off", "--latency", "1ms..2ms"])
            .args(["--faults", "500=0.1@assignProspects;seed=3", "--flows", "3"])
            .args(["--folders-shape", "documented"])
            .args(["--day-window", "rolling", "--day-length", "10s"])
            .args(["--rate-limit-headers", "--distinct-trace-ids"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("line");
        let done = line.starts_with("Press Ctrl-C");
        printed.push(line);
        if done {
            break;
        }
    }
    let url = printed[0]
        .strip_prefix("gong-flows-sim listening on ")
        .unwrap_or_else(|| panic!("first line: {printed:?}"));
    let text = printed.join("\n");
    assert!(text.contains("Authorization: Basic "), "{text}");
    assert!(
        text.contains("sim-token-read-only (api:flows:read)"),
        "{text}"
    );
    assert!(text.contains("500=0.1@assignProspects;seed=3"), "{text}");
    assert!(
        text.contains("10000/day (rolling, a day of 10s), in headers"),
        "{text}"
    );

    let authorization = printed
        .iter()
        .find_map(|l| {
            l.split("Authorization: ")
                .nth(1)
                .filter(|v| v.starts_with("Basic"))
        })
        .expect("basic header printed");
    let addr = url.strip_prefix("http://").expect("http url");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET /v2/flows?flowOwnerEmail=owner%40example.com HTTP/1.1\r\nHost: x\r\nAuthorization: {authorization}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"totalRecords\":8"), "{answer}");
    assert!(
        answer.contains("x-ratelimit-daily-remaining: 9999"),
        "{answer}"
    );
    let trace = answer
        .lines()
        .find_map(|l| l.strip_prefix("x-traceid: "))
        .expect("x-traceid");
    assert!(
        !answer.contains(&format!("\"requestId\":\"{trace}\"")),
        "{answer}"
    );
    assert!(text.contains("x-traceid differs from requestId"), "{text}");
    assert!(text.contains("folders documented"), "{text}");

    // The folders come in the documented shape.
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET /v2/flows/folders?flowFolderOwnerEmail=owner%40example.com HTTP/1.1\r\nHost: x\r\nAuthorization: {authorization}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"flows\":[{"), "{answer}");
    assert!(!answer.contains("flowsFolders"), "{answer}");
}

#[test]
fn refuses_bad_flags() {
    // Flag syntax errors exit with clap's 2, configuration errors with 1.
    for (args, code) in [
        (&["--faults", "500=2"][..], 2),
        (&["--latency", "fast"], 2),
        (&["--rate", "0"], 2),
        (&["--bulk-stage", "1ms..2ms"], 2),
        (&["--folders-shape", "both"], 2),
        (&["--day-window", "weekly"], 2),
        (&["--day-length", "0"], 2),
        (&["--day-length", "25h"], 2),
        (&["--page-size", "0", "--port", "0"], 1),
    ] {
        let output = Command::new(BIN)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(
            !stderr.is_empty() && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
}
