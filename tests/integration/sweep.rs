//! Sweeps: parallel runs that give the same bytes, resumption, shards, and
//! failures that do not stop the others.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::common::{Sandbox, labelled_csv, sweep_dir};

/// A quick sweep of the heart example: 2 learning rates × 2 seeds, 4 epochs.
const QUICK: &str = r#"
experiment = "experiments/heart.toml"
[grid]
"training.learning_rate" = [0.1, 0.5]
"experiment.seed" = [1, 2]
"training.epochs" = [4]
"#;

/// summary.csv parsed strictly: the exact header, a row per run.
fn read_summary(path: &Path) -> Vec<BTreeMap<String, String>> {
    let (header, rows) = labelled_csv(path);
    let expected_start = [
        "run",
        "status",
        "param_experiment.seed",
        "param_training.epochs",
        "param_training.learning_rate",
        "epochs_run",
    ];
    assert_eq!(
        header[..expected_start.len()],
        expected_start,
        "summary.csv header: {header:?}"
    );
    let expected_end = ["run_id", "run_dir", "error"];
    assert_eq!(header[header.len() - 3..], expected_end);
    for metric in &header[expected_start.len()..header.len() - 3] {
        assert!(
            metric.starts_with("final_")
                || metric.starts_with("best_")
                || metric.starts_with("headline_")
                || metric.starts_with("test_"),
            "unexpected column {metric}"
        );
        // `sweep --metric` checks names by their form before training:
        // every metric a sweep writes must pass that check.
        assert!(
            synapse::sweep::aggregate::is_metric_name(metric),
            "{metric} would be refused by --metric"
        );
    }
    rows
}

/// Hash of every file of every run directory (not the sweep's own files).
fn run_hashes(sandbox: &Sandbox) -> BTreeMap<String, String> {
    let mut hashes = BTreeMap::new();
    for run in fs::read_dir(sandbox.path().join("results/heart"))
        .expect("results")
        .flatten()
    {
        let name = run.file_name().to_string_lossy().into_owned();
        if name.starts_with("sweep-") {
            continue;
        }
        for file in [
            "metrics.csv",
            "model.json",
            "predictions.csv",
            "config.toml",
        ] {
            let bytes = fs::read(run.path().join(file)).expect("run file");
            hashes.insert(
                format!("{name}/{file}"),
                Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>(),
            );
        }
    }
    hashes
}

#[test]
fn jobs_1_and_jobs_2_give_identical_run_files() {
    let one = Sandbox::new();
    one.write("quick.toml", QUICK);
    one.run(&["sweep", "quick.toml", "--jobs", "1"])
        .expect_code(0);
    let two = Sandbox::new();
    two.write("quick.toml", QUICK);
    two.run(&["sweep", "quick.toml", "--jobs", "2"])
        .expect_code(0);
    let a = run_hashes(&one);
    assert_eq!(a.len(), 16, "4 runs × 4 files");
    assert_eq!(a, run_hashes(&two));
    assert_eq!(
        fs::read(sweep_dir(&one.path().join("results/heart")).join("summary.csv"))
            .expect("summary"),
        fs::read(sweep_dir(&two.path().join("results/heart")).join("summary.csv"))
            .expect("summary")
    );
}

#[test]
fn the_summary_has_a_row_per_run_and_points_merge_seeds() {
    let sandbox = Sandbox::new();
    sandbox.write("quick.toml", QUICK);
    let output = sandbox.run(&["sweep", "quick.toml"]).expect_code(0);
    let dir = sweep_dir(&sandbox.path().join("results/heart"));
    let rows = read_summary(&dir.join("summary.csv"));
    assert_eq!(rows.len(), 4);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["run"], (i + 1).to_string());
        assert_eq!(row["status"], "completed");
        assert_eq!(row["epochs_run"], "4");
        let loss: f64 = row["final_validation_loss"].parse().expect("a number");
        assert!(loss.is_finite());
        // run_dir leads from the sweep directory to the run.
        assert!(
            dir.join(&row["run_dir"]).join("summary.json").is_file(),
            "{}",
            row["run_dir"]
        );
    }
    let mut points = csv::Reader::from_path(dir.join("points.csv")).expect("points.csv");
    let header: Vec<String> = points
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header[..5],
        [
            "point",
            "param_training.epochs",
            "param_training.learning_rate",
            "runs",
            "succeeded"
        ]
    );
    let records: Vec<csv::StringRecord> = points.records().map(|r| r.expect("row")).collect();
    assert_eq!(records.len(), 2, "two learning rates, seeds merged");
    assert!(records.iter().all(|r| &r[3] == "2" && &r[4] == "2"));
    assert!(dir.join("cost.png").is_file() && dir.join("cost.svg").is_file());
    // The printed table ranks the points.
    assert!(
        output
            .stdout
            .contains("points ranked by headline_validation_loss"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("learning_rate=0.1") && output.stdout.contains("learning_rate=0.5")
    );
}

#[test]
fn a_sweep_started_again_skips_the_runs_already_done() {
    let sandbox = Sandbox::new();
    sandbox.write("quick.toml", QUICK);
    // Stop part-way: only half the runs are done.
    sandbox
        .run(&["sweep", "quick.toml", "--shard", "1/2"])
        .expect_code(0);
    let half = run_hashes(&sandbox);
    assert_eq!(half.len(), 8);
    let rows = read_summary(&sweep_dir(&sandbox.path().join("results/heart")).join("summary.csv"));
    assert_eq!(rows.iter().filter(|r| r["status"] == "pending").count(), 2);
    let times: Vec<_> = fs::read_dir(sandbox.path().join("results/heart"))
        .expect("results")
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with("sweep-"))
        .map(|e| {
            (
                e.path(),
                fs::metadata(e.path().join("summary.json"))
                    .and_then(|m| m.modified())
                    .expect("mtime"),
            )
        })
        .collect();

    sandbox.run(&["sweep", "quick.toml"]).expect_code(0);
    for (dir, before) in times {
        let after = fs::metadata(dir.join("summary.json"))
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(before, after, "{} was run again", dir.display());
    }
    let all = run_hashes(&sandbox);
    assert_eq!(all.len(), 16);
    assert!(half.iter().all(|(k, v)| all.get(k) == Some(v)));
    let rows = read_summary(&sweep_dir(&sandbox.path().join("results/heart")).join("summary.csv"));
    assert!(rows.iter().all(|r| r["status"] == "completed"));
}

#[test]
fn list_and_shards_cover_every_run_exactly_once() {
    let sandbox = Sandbox::new();
    sandbox.write("quick.toml", QUICK);
    let all: Vec<String> = sandbox
        .run(&["sweep", "quick.toml", "--list"])
        .expect_code(0)
        .stdout
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(all.len(), 4);
    assert!(
        all.iter()
            .all(|l| l.starts_with("synapse run experiments/heart.toml --set ")),
        "{all:?}"
    );
    let mut seen = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let lines = sandbox
            .run(&["sweep", "quick.toml", "--list", "--shard", &shard])
            .expect_code(0)
            .stdout;
        seen.extend(lines.lines().map(String::from));
    }
    assert_eq!(seen.len(), all.len(), "no run twice");
    assert_eq!(
        seen.iter().collect::<BTreeSet<_>>(),
        all.iter().collect::<BTreeSet<_>>()
    );
    assert!(sandbox.result_files().is_empty(), "--list runs nothing");

    // The listed commands, run by hand, land where the sweep expects them.
    for line in &all {
        let words = shell_words(line);
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        sandbox.run(&args).expect_code(0);
    }
    let output = sandbox.run(&["sweep", "quick.toml"]).expect_code(0);
    assert!(output.stdout.contains("4 runs"), "{}", output.stdout);
    let rows = read_summary(&sweep_dir(&sandbox.path().join("results/heart")).join("summary.csv"));
    assert!(rows.iter().all(|r| r["status"] == "completed"));
}

/// Splits a line printed by --list the way a POSIX shell would (words are
/// either plain or in single quotes).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match (c, quoted) {
            ('\'', _) => quoted = !quoted,
            (' ', false) => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            (c, _) => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[test]
fn a_point_with_a_value_out_of_range_refuses_the_whole_sweep() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "failing.toml",
        r#"
experiment = "experiments/heart.toml"
[grid]
"model.layers.0.units" = [4, 0, 8]
"training.epochs" = [3]
"#,
    );
    let output = sandbox.run(&["sweep", "failing.toml"]).expect_code(2);
    assert!(
        output.stderr.contains("1 of 3 runs would be refused")
            && output.stderr.contains("model.layers.0.units"),
        "{}",
        output.stderr
    );
    assert!(sandbox.result_files().is_empty(), "nothing trains");
}

#[test]
fn a_bad_sweep_file_is_located_and_writes_nothing() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "bad.toml",
        "experiment = \"experiments/heart.toml\"\n[grid]\n\"training.learning_rate\" = 0.1\n",
    );
    let output = sandbox.run(&["sweep", "bad.toml"]).expect_code(2);
    assert!(output.stderr.contains("bad.toml:3:"), "{}", output.stderr);
    assert!(sandbox.result_files().is_empty());
    sandbox.write("quick.toml", QUICK);
    let output = sandbox.run(&["sweep", "quick.toml", "--shard", "3/2"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    // A misspelt metric is told before anything trains.
    let output = sandbox
        .run(&["sweep", "quick.toml", "--metric", "validaton_loss"])
        .expect_code(2);
    assert!(
        output.stderr.contains("--metric validaton_loss") && output.stderr.contains("accuracy"),
        "{}",
        output.stderr
    );
    assert!(sandbox.result_files().is_empty());
    // The same run twice, from a grid value or from coinciding random
    // samples, is refused before anything trains.
    for (file, says) in [
        (
            "experiment = \"experiments/heart.toml\"\n[grid]\n\"training.learning_rate\" = [0.1, 0.1]\n",
            "lists 0.1 twice",
        ),
        (
            "experiment = \"experiments/heart.toml\"\n[random]\nsamples = 5\n\"training.optimizer\" = { choice = [\"sgd\", \"adam\"] }\n",
            "would be the same run",
        ),
    ] {
        sandbox.write("twice.toml", file);
        let output = sandbox.run(&["sweep", "twice.toml"]).expect_code(2);
        assert!(output.stderr.contains(says), "{}", output.stderr);
        assert!(sandbox.result_files().is_empty());
    }
}
