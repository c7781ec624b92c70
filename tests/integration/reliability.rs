//! A run that a person started never ends in a half-written file or a lost
//! result: interruptions, kills, resumption, links and concurrent runs.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::common::Sandbox;

/// A run long enough (over a second) to be interrupted part-way.
const LONG: [&str; 8] = [
    "--set",
    "data.rows=3000",
    "--set",
    "training.epochs=400",
    "--set",
    "training.batch_size=1",
    "--set",
    "experiment.seed=5",
];

fn spawn(sandbox: &Sandbox, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_synapse"))
        .args(["run", "experiments/sine.toml"])
        .args(LONG)
        .args(extra)
        .current_dir(sandbox.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start synapse")
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

/// Waits until the run has written at least one epoch (or a deadline).
fn wait_for_progress(sandbox: &Sandbox) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let dir = sandbox.path().join("results/sine");
        if fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
        {
            return;
        }
        sleep(Duration::from_millis(5));
    }
}

/// A reference run, never interrupted.
fn reference() -> (Vec<u8>, Vec<u8>) {
    let sandbox = Sandbox::new();
    let mut args = vec!["run", "experiments/sine.toml"];
    args.extend(LONG);
    sandbox.run(&args).expect_code(0);
    let dir = sandbox.run_dir("sine");
    (
        fs::read(dir.join("metrics.csv")).expect("metrics"),
        fs::read(dir.join("model.json")).expect("model"),
    )
}

/// Every file under a final name parses; no temporary file is left.
fn assert_valid_files(dir: &Path) {
    for entry in fs::read_dir(dir).expect("run dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".tmp-"), "temporary file left: {name}");
        let bytes = fs::read(entry.path()).expect("read");
        match name.as_str() {
            "metrics.csv" => {
                let text = String::from_utf8(bytes).expect("utf-8");
                assert!(text.ends_with('\n'), "a partial row");
                let width = text.lines().next().expect("header").split(',').count();
                for line in text.lines().skip(1) {
                    assert_eq!(line.split(',').count(), width, "a partial row: {line}");
                    // Epoch 0 (the initial weights) has no learning rate.
                    let initial = line.starts_with("0,");
                    assert!(
                        line.split(',')
                            .enumerate()
                            .all(|(i, v)| v.parse::<f64>().is_ok()
                                || (initial && i == width - 1 && v.is_empty())),
                        "{line}"
                    );
                }
            }
            "model.json" | "summary.json" | "checkpoint.json" => {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            "config.toml" => {
                toml::from_str::<toml::Table>(&String::from_utf8(bytes).expect("utf-8"))
                    .expect("config.toml");
            }
            _ => {}
        }
    }
}

#[test]
fn an_interrupted_run_keeps_its_epochs_and_resumes_to_the_same_bytes() {
    let (metrics, model) = reference();
    let reference_epochs = String::from_utf8(metrics.clone())
        .expect("utf-8")
        .lines()
        .count()
        - 1;
    let mut interrupted = 0;
    for (trial, delay_ms) in [60u64, 300, 700].into_iter().enumerate() {
        let sandbox = Sandbox::new();
        let child = spawn(&sandbox, &[]);
        wait_for_progress(&sandbox);
        sleep(Duration::from_millis(delay_ms));
        signal(&child, "INT");
        let output = child.wait_with_output().expect("wait");
        let code = output.status.code();
        let dir = sandbox.run_dir("sine");
        assert_valid_files(&dir);
        if code == Some(0) {
            continue; // finished before the signal: nothing to resume
        }
        assert_eq!(
            code,
            Some(130),
            "trial {trial}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        interrupted += 1;
        let summary: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).expect("summary"))
                .expect("json");
        assert_eq!(summary["status"], "interrupted");
        // Neither the header nor epoch 0 (the initial weights) is an epoch.
        let rows = fs::read_to_string(dir.join("metrics.csv"))
            .expect("metrics")
            .lines()
            .count()
            - 2;
        assert_eq!(
            rows as u64,
            summary["epochs_run"].as_u64().expect("epochs_run")
        );
        assert!(rows < reference_epochs);
        // The rows written are the reference's first rows, byte for byte.
        let partial = fs::read(dir.join("metrics.csv")).expect("metrics");
        assert!(
            metrics.starts_with(&partial),
            "trial {trial}: the completed epochs differ"
        );
        assert!(dir.join("checkpoint.json").is_file());

        let mut args = vec!["run", "experiments/sine.toml"];
        args.extend(LONG);
        args.push("--resume");
        sandbox.run(&args).expect_code(0);
        assert_eq!(
            fs::read(dir.join("metrics.csv")).expect("metrics"),
            metrics,
            "trial {trial}"
        );
        assert_eq!(
            fs::read(dir.join("model.json")).expect("model"),
            model,
            "trial {trial}"
        );
        assert!(
            !dir.join("checkpoint.json").exists(),
            "a finished run keeps no checkpoint"
        );
    }
    assert!(
        interrupted >= 2,
        "only {interrupted} trials were interrupted part-way"
    );
}

#[test]
fn a_killed_run_leaves_no_truncated_file_and_resumes_from_its_checkpoint() {
    let (metrics, model) = reference();
    for delay_ms in [100u64, 400] {
        let sandbox = Sandbox::new();
        let mut child = spawn(&sandbox, &["--checkpoint-every", "3"]);
        wait_for_progress(&sandbox);
        sleep(Duration::from_millis(delay_ms));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let dir = sandbox.run_dir("sine");
        // A temporary file may remain from the kill; nothing else is broken.
        for entry in fs::read_dir(&dir).expect("dir").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // A temporary (".tmp-<pid>-model.json") may be cut short by
            // the kill; it is never read, and the next run removes it.
            if name.ends_with(".json") && !name.starts_with(".tmp-") {
                let bytes = fs::read(entry.path()).expect("read");
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
        let mut args = vec!["run", "experiments/sine.toml"];
        args.extend(LONG);
        args.push("--resume");
        sandbox.run(&args).expect_code(0);
        assert_valid_files(&dir);
        assert!(!dir.join(".lock").exists());
        assert_eq!(fs::read(dir.join("metrics.csv")).expect("metrics"), metrics);
        assert_eq!(fs::read(dir.join("model.json")).expect("model"), model);
    }
}

#[test]
fn a_checkpoint_of_another_config_is_refused() {
    let sandbox = Sandbox::new();
    let child = spawn(&sandbox, &["--checkpoint-every", "1"]);
    wait_for_progress(&sandbox);
    sleep(Duration::from_millis(150));
    signal(&child, "INT");
    let _ = child.wait_with_output();
    let dir = sandbox.run_dir("sine");
    let path = dir.join("checkpoint.json");
    let text = fs::read_to_string(&path).expect("checkpoint");
    fs::write(
        &path,
        text.replacen("\"config_hash\":\"", "\"config_hash\":\"0", 1),
    )
    .expect("tamper");
    let mut args = vec!["run", "experiments/sine.toml"];
    args.extend(LONG);
    args.push("--resume");
    let output = sandbox.run(&args).expect_code(2);
    assert!(
        output.stderr.contains("checkpoint.json") && output.stderr.contains("another config"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_planted_symbolic_link_is_not_followed() {
    let sandbox = Sandbox::new();
    let outside = tempfile::tempdir().expect("outside");
    fs::create_dir_all(sandbox.path().join("results")).expect("results");
    std::os::unix::fs::symlink(outside.path(), sandbox.path().join("results/heart"))
        .expect("symlink");
    let output = sandbox.run(&[
        "run",
        "experiments/heart.toml",
        "--set",
        "training.epochs=2",
    ]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(output.stderr.contains("symbolic link"), "{}", output.stderr);
    assert_eq!(
        fs::read_dir(outside.path()).expect("outside").count(),
        0,
        "wrote through the link"
    );
}

#[test]
fn concurrent_identical_runs_leave_one_valid_run_directory() {
    let sandbox = Sandbox::new();
    let children: Vec<Child> = (0..3).map(|_| spawn(&sandbox, &["--quiet"])).collect();
    let codes: Vec<Option<i32>> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait").status.code())
        .collect();
    // Each either ran it, or waited for the one running it and found it done.
    assert!(codes.iter().all(|c| *c == Some(0)), "{codes:?}");
    let dir = sandbox.run_dir("sine");
    assert_valid_files(&dir);
    let (metrics, model) = reference();
    assert_eq!(fs::read(dir.join("metrics.csv")).expect("metrics"), metrics);
    assert_eq!(fs::read(dir.join("model.json")).expect("model"), model);
}

#[test]
fn a_results_directory_that_cannot_be_written_is_a_usage_error() {
    let sandbox = Sandbox::new();
    // A file where the results directory should be: even root cannot write there.
    sandbox.write("not-a-directory", "x");
    let output = sandbox.run(&[
        "run",
        "experiments/heart.toml",
        "--results",
        "not-a-directory",
        "--set",
        "training.epochs=2",
    ]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(
        output.stderr.contains("not-a-directory")
            && output
                .stderr
                .contains("cannot create the results directory"),
        "{}",
        output.stderr
    );
    assert_eq!(
        fs::read_to_string(sandbox.path().join("not-a-directory")).expect("file"),
        "x"
    );
}

#[test]
fn a_lock_whose_process_number_now_belongs_to_another_program_is_taken_over() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&["run", "experiments/heart.toml", "--quiet"])
        .expect_code(0);
    let dir = sandbox.run_dir("heart");
    let metrics = fs::read(dir.join("metrics.csv")).expect("metrics");
    // Process 1 lives, but it is not synapse: a lock left by a synapse
    // killed before a reboot can name it.
    fs::write(dir.join(".lock"), "1").expect("lock");
    sandbox
        .run(&["run", "experiments/heart.toml", "--quiet", "--force"])
        .expect_code(0);
    assert_eq!(fs::read(dir.join("metrics.csv")).expect("metrics"), metrics);
    assert!(!dir.join(".lock").exists());
}
