//! Ctrl-C and SIGTERM end every command promptly with exit code 130, and
//! leave nothing half-written: not only the training loop, but reading and
//! generating data, checking a sweep, reading results and writing a report.
//!
//! The cases are data: each names a command that is busy for many seconds
//! (ten million generated rows) when the signal comes.

use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::common::Sandbox;

/// Enough rows that generating them takes several seconds.
const MANY_ROWS: &str = "data.rows=10000000";

struct Case {
    name: &'static str,
    args: &'static [&'static str],
    signal: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "check generating data, Ctrl-C",
        args: &["check", "experiments/heart.toml", "--set", MANY_ROWS],
        signal: "INT",
    },
    Case {
        name: "check generating data, SIGTERM",
        args: &["check", "experiments/heart.toml", "--set", MANY_ROWS],
        signal: "TERM",
    },
    Case {
        name: "run before its training loop",
        args: &["run", "experiments/heart.toml", "--set", MANY_ROWS],
        signal: "INT",
    },
    Case {
        name: "trace preparing its data",
        args: &["trace", "experiments/heart.toml", "--set", MANY_ROWS],
        signal: "INT",
    },
    Case {
        name: "gradcheck preparing its data",
        args: &["gradcheck", "experiments/heart.toml", "--set", MANY_ROWS],
        signal: "TERM",
    },
    Case {
        name: "a sweep of a large base experiment",
        args: &["sweep", "big-sweep.toml"],
        signal: "INT",
    },
];

/// Long enough for the command to be deep in its work, far shorter than it.
const BUSY_AFTER: Duration = Duration::from_millis(400);
/// A command that ignores the signal runs on for many seconds; one that
/// honours it ends in well under one. The margin is for a loaded machine.
const DEADLINE: Duration = Duration::from_secs(5);

#[test]
fn every_command_ends_promptly_on_a_signal_with_exit_130_and_writes_nothing() {
    let mut failures = Vec::new();
    for case in CASES {
        let sandbox = Sandbox::new();
        sandbox.write(
            "big-sweep.toml",
            "experiment = \"big.toml\"\n[grid]\n\"training.learning_rate\" = [0.1, 0.2]\n",
        );
        let heart = sandbox.read("experiments/heart.toml");
        sandbox.write("big.toml", heart.replace("rows = 1000", "rows = 10000000"));
        assert!(sandbox.read("big.toml").contains("rows = 10000000"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_synapse"))
            .args(case.args)
            .current_dir(sandbox.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start synapse");
        sleep(BUSY_AFTER);
        let sent = Instant::now();
        let killed = Command::new("kill")
            .args([&format!("-{}", case.signal), &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(
            killed.success(),
            "{}: the command ended too early",
            case.name
        );
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break Some(status);
            }
            if sent.elapsed() > DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            sleep(Duration::from_millis(10));
        };
        let stderr =
            std::io::read_to_string(child.stderr.take().expect("stderr")).unwrap_or_default();
        match status.map(|s| s.code()) {
            None => failures.push(format!(
                "{}: still running {DEADLINE:?} after SIG{}",
                case.name, case.signal
            )),
            Some(Some(130)) => {}
            Some(code) => failures.push(format!("{}: exit {code:?}, not 130\n{stderr}", case.name)),
        }
        if !stderr.contains("interrupted") {
            failures.push(format!(
                "{}: stderr does not say it was interrupted:\n{stderr}",
                case.name
            ));
        }
        let written = sandbox.result_files();
        if !written.is_empty() {
            failures.push(format!("{}: wrote {written:?}", case.name));
        }
        let strays = temporaries(sandbox.path());
        if !strays.is_empty() {
            failures.push(format!("{}: left temporary files {strays:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Temporary files (`.tmp-…`) anywhere under `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(temporaries(&path));
        } else if entry.file_name().to_string_lossy().starts_with(".tmp-") {
            found.push(path.display().to_string());
        }
    }
    found
}
