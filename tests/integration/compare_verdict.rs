//! compare's verdict: a t-test against entry 1 over the seeds, in words
//! under the table and as table.csv's last columns; the sweep's `≈ best`;
//! and entries that cannot be compared said to be so.

use crate::common::{Sandbox, run_quiet, sweep_dir};
use crate::compare::{cell, number, table, written};

/// heart at two learning rates × three seeds, 10 epochs: the sweep's
/// directory, relative to the sandbox.
fn heart_sweep(sandbox: &Sandbox) -> (String, String) {
    sandbox.write(
        "experiments/two-rates.toml",
        "experiment = \"heart.toml\"\n\
         [grid]\n\
         \"training.learning_rate\" = [0.01, 0.3]\n\
         \"experiment.seed\" = [1, 2, 3]\n\
         \"training.epochs\" = [10]\n",
    );
    let output = sandbox
        .run(&["sweep", "experiments/two-rates.toml"])
        .expect_code(0);
    let dir = sweep_dir(&sandbox.path().join("results/heart"));
    let name = dir
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    (format!("results/heart/{name}"), output.stdout)
}

#[test]
fn two_sweep_points_get_a_paired_verdict_and_the_ranking_marks_the_best() {
    let sandbox = Sandbox::new();
    let (sweep, ranking) = heart_sweep(&sandbox);
    // lr 0.3 is far ahead of 0.01 after 10 epochs: the test tells them apart.
    let header = ranking
        .lines()
        .find(|l| l.trim_start().starts_with("rank"))
        .expect("the ranking's header");
    assert!(header.contains("vs best"), "{ranking}");
    let marks: Vec<&str> = ranking
        .lines()
        .filter(|l| l.contains("learning_rate="))
        .map(|l| {
            if l.contains(" best ") && !l.contains("≈ best") {
                "best"
            } else if l.contains("≈ best") {
                "≈ best"
            } else if l.contains(" worse ") {
                "worse"
            } else {
                "?"
            }
        })
        .collect();
    assert_eq!(marks, ["best", "worse"], "{ranking}");

    let output = sandbox.run(&["compare", &sweep]).expect_code(0);
    let line = output
        .stdout
        .lines()
        .find(|l| l.starts_with("#2 "))
        .unwrap_or_else(|| panic!("no verdict in:\n{}", output.stdout));
    assert!(
        line.starts_with("#2 heart lr=0.3 is better than #1 heart lr=0.01: validation loss "),
        "{line}"
    );
    assert!(line.ends_with(", paired over 3 seeds)"), "{line}");

    let rows = table(&sandbox.path().join(&written(&output)[2]));
    assert_eq!(rows.len(), 2);
    assert_eq!(
        [cell(&rows[0], "test"), cell(&rows[0], "verdict")],
        ["none", "none"]
    );
    assert_eq!(cell(&rows[0], "p_value"), "");
    assert_eq!(
        [cell(&rows[1], "test"), cell(&rows[1], "verdict")],
        ["paired", "better"]
    );
    let (low, high) = (number(&rows[1], "ci_low"), number(&rows[1], "ci_high"));
    let difference = number(&rows[1], "diff_headline_validation_loss");
    assert!(
        low < difference && difference < high && high < 0.0,
        "{low} {difference} {high}"
    );
    let p = number(&rows[1], "p_value");
    assert!(p > 0.0 && p < 0.05, "{p}");

    // On accuracy, higher is better: the same point is better there too.
    let output = sandbox
        .run(&["compare", &sweep, "--metric", "validation_accuracy"])
        .expect_code(0);
    assert!(
        output
            .stdout
            .contains("#2 heart lr=0.3 is better than #1 heart lr=0.01: validation accuracy "),
        "{}",
        output.stdout
    );
    let output = sandbox
        .run(&["compare", &sweep, "--metric", "validation_lossy"])
        .expect_code(2);
    assert!(
        output
            .stderr
            .contains("--metric validation_lossy: no run has this metric; available: "),
        "{}",
        output.stderr
    );
}

/// Trains `experiment` for 3 epochs with `sets`; its run directory.
fn run(sandbox: &Sandbox, experiment: &str, sets: &[&str]) -> String {
    run_quiet(
        sandbox,
        experiment,
        &[&["training.epochs=3"], sets].concat(),
    )
}

#[test]
fn one_run_per_side_gets_no_verdict_and_says_why() {
    let sandbox = Sandbox::new();
    let a = run(&sandbox, "experiments/heart.toml", &[]);
    let b = run(
        &sandbox,
        "experiments/heart.toml",
        &["training.learning_rate=0.3"],
    );
    let output = sandbox.run(&["compare", &a, &b]).expect_code(0);
    assert!(
        output.stdout.contains(
            "\nno verdict on validation loss: one run per entry says nothing about the noise between seeds; sweep experiment.seed to compare\n"
        ),
        "{}",
        output.stdout
    );
    let rows = table(&sandbox.path().join(&written(&output)[2]));
    assert_eq!(cell(&rows[1], "verdict"), "none");
    assert_ne!(cell(&rows[1], "diff_headline_validation_loss"), "");
}

#[test]
fn a_regression_run_beside_a_classifier_gets_no_difference_and_a_note() {
    let sandbox = Sandbox::new();
    let heart = run(&sandbox, "experiments/heart.toml", &[]);
    let sine = run(&sandbox, "experiments/sine.toml", &[]);
    let output = sandbox.run(&["compare", &heart, &sine]).expect_code(0);
    assert!(
        output
            .stdout
            .lines()
            .any(|l| l
                == "#2 sine is regression, #1 heart binary: their losses are on different scales, so no Δ and no verdict"),
        "{}",
        output.stdout
    );
    let rows = table(&sandbox.path().join(&written(&output)[2]));
    for column in [
        "diff_headline_train_loss",
        "diff_headline_validation_loss",
        "diff_best_validation_loss",
        "diff_rmse",
        "p_value",
    ] {
        assert_eq!(cell(&rows[1], column), "", "{column}");
    }
    assert_eq!(cell(&rows[1], "verdict"), "none");
}

#[test]
fn two_losses_of_one_task_get_no_difference_a_note_and_a_panel_each() {
    let sandbox = Sandbox::new();
    let mse = run(&sandbox, "experiments/heart.toml", &[]);
    let bce = run(
        &sandbox,
        "experiments/heart.toml",
        &["training.loss=binary_cross_entropy"],
    );
    let output = sandbox
        .run(&["compare", &mse, &bce, "--out", "losses"])
        .expect_code(0);
    assert!(
        output.stdout.lines().any(|l| l
            == "#2 heart loss=binary_cross_entropy trains on loss binary_cross_entropy, #1 heart loss=mse on mse: their losses are on different scales, so no Δ and no verdict"),
        "{}",
        output.stdout
    );
    // The table's Δ cells of entry 2 are empty: its row ends in numbers
    // and the baseline, with no signed difference among them.
    let row = output
        .stdout
        .lines()
        .find(|l| l.starts_with("2 "))
        .unwrap_or_else(|| panic!("no row 2 in:\n{}", output.stdout));
    assert!(!row.contains('+') && !row.contains('−'), "{row}");
    assert!(
        !output.stdout.contains("no verdict on"),
        "{}",
        output.stdout
    );
    let rows = table(&sandbox.path().join("losses.csv"));
    for column in ["diff_headline_validation_loss", "p_value"] {
        assert_eq!(cell(&rows[1], column), "", "{column}");
    }
    assert_eq!(cell(&rows[1], "verdict"), "none");
    let texts = crate::common::texts(&sandbox.read("losses.svg"));
    let panels: Vec<&String> = texts
        .iter()
        .filter(|t| t.starts_with("Validation loss per example") || t.contains("cost per epoch"))
        .collect();
    assert_eq!(
        panels,
        [
            "Validation loss per example: mse, binary",
            "Validation loss per example: binary_cross_entropy, binary"
        ],
        "{texts:?}"
    );
}

#[test]
fn where_picks_two_points_of_a_sweep_each_with_its_seeds() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "experiments/grid.toml",
        "experiment = \"heart.toml\"\n\
         [grid]\n\
         \"training.learning_rate\" = [0.01, 0.1, 0.3]\n\
         \"model.layers.0.units\" = [4, 8]\n\
         \"experiment.seed\" = [1, 2]\n\
         \"training.epochs\" = [3]\n",
    );
    sandbox
        .run(&["sweep", "experiments/grid.toml", "--quiet"])
        .expect_code(0);
    let dir = sweep_dir(&sandbox.path().join("results/heart"));
    let sweep = dir.to_str().expect("a UTF-8 path");
    let output = sandbox
        .run(&[
            "compare",
            sweep,
            "--where",
            "model.layers.0.units=8",
            "--where",
            "rate=0.01",
        ])
        .expect_code(2);
    // `rate` names no key: said with the keys there are.
    assert!(
        output
            .stderr
            .contains("--where rate=0.01: no run compared has the key `rate`")
            && output.stderr.contains("training.learning_rate"),
        "{}",
        output.stderr
    );
    let output = sandbox
        .run(&[
            "compare",
            sweep,
            "--where",
            "model.layers.0.units=8",
            "--where",
            "lr=0.01",
            "--where",
            "training.learning_rate=0.3",
            "--out",
            "two",
        ])
        .expect_code(0);
    let rows = table(&sandbox.path().join("two.csv"));
    let labels: Vec<&str> = rows.iter().map(|r| cell(r, "label")).collect();
    assert_eq!(
        labels,
        ["heart lr=0.01", "heart lr=0.3"],
        "{}",
        output.stdout
    );
    for row in &rows {
        assert_eq!(cell(row, "n"), "2");
    }
    assert_eq!(cell(&rows[1], "test"), "paired", "{}", output.stdout);
    assert!(
        output
            .stdout
            .lines()
            .any(|l| l.starts_with("#2 heart lr=0.3 ") && l.contains(" #1 heart lr=0.01")),
        "{}",
        output.stdout
    );

    let output = sandbox
        .run(&["compare", sweep, "--where", "model.layers.0.units=32"])
        .expect_code(2);
    assert!(
        output
            .stderr
            .contains("no run of the directories given has --where model.layers.0.units=32"),
        "{}",
        output.stderr
    );
}
