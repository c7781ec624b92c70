//! Every example experiment runs from the command line, writes every result
//! file in its documented format, learns something, and reruns to the same
//! bytes.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;

use crate::common::Sandbox;

// Strict mirrors of the result files: an unknown or missing field fails.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Summary {
    experiment: String,
    run_id: String,
    status: String,
    task: String,
    epochs_planned: usize,
    epochs_run: usize,
    #[serde(rename = "final")]
    final_metrics: BTreeMap<String, f64>,
    best: Option<Best>,
    test: BTreeMap<String, f64>,
    restored_epoch: Option<usize>,
    divergence: Option<serde_json::Value>,
    examples: Examples,
    parameters: usize,
    seed: u64,
    config_hash: String,
    data_hash: String,
    tool_version: String,
    train_seconds: f64,
    wall_seconds: f64,
    baseline: Option<serde_json::Value>,
    findings: Vec<serde_json::Value>,
    headline: Option<Headline>,
    classification: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Headline {
    epoch: usize,
    of: usize,
    restored: bool,
    metrics: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Best {
    epoch: usize,
    metrics: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Examples {
    train: usize,
    validation: usize,
    test: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Model {
    format: String,
    task: String,
    inputs: Vec<String>,
    target: String,
    normalization: Normalization,
    categories: Vec<Categories>,
    classes: Vec<String>,
    layers: Vec<Layer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Normalization {
    kind: String,
    shift: Vec<f64>,
    scale: Vec<f64>,
    target: Option<TargetNormalization>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TargetNormalization {
    shift: f64,
    scale: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Categories {
    column: String,
    categories: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layer {
    units: usize,
    activation: String,
    weights: Vec<Vec<f64>>,
    biases: Vec<f64>,
}

/// metrics.csv parsed strictly: the expected header, epoch 0 (the initial
/// weights, with an empty learning rate), then one row per epoch numbered
/// from 1, every value a finite number. The rows of the epochs from 1.
fn read_metrics(dir: &Path, expected_header: &[&str]) -> Vec<BTreeMap<String, f64>> {
    let text = fs::read_to_string(dir.join("metrics.csv")).expect("metrics.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    assert_eq!(header, expected_header, "metrics.csv header");
    let initial = lines.next().expect("epoch 0's row");
    let cells: Vec<&str> = initial.split(',').collect();
    assert_eq!(cells.len(), header.len(), "{initial}");
    assert_eq!((cells[0], cells[cells.len() - 1]), ("0", ""), "{initial}");
    assert!(
        cells[1..cells.len() - 1]
            .iter()
            .all(|v| v.parse::<f64>().is_ok_and(f64::is_finite)),
        "{initial}"
    );
    let mut rows = Vec::new();
    for (i, line) in lines.enumerate() {
        let values: Vec<f64> = line
            .split(',')
            .map(|v| {
                v.parse::<f64>()
                    .unwrap_or_else(|_| panic!("row {}: `{v}` is not a number", i + 1))
            })
            .collect();
        assert_eq!(
            values.len(),
            header.len(),
            "row {} has {} fields",
            i + 1,
            values.len()
        );
        assert!(
            values.iter().all(|v| v.is_finite()),
            "row {}: {line}",
            i + 1
        );
        assert_eq!(
            values[0],
            (i + 1) as f64,
            "epochs are numbered from 1 in order"
        );
        rows.push(header.iter().map(|h| h.to_string()).zip(values).collect());
    }
    assert!(text.ends_with('\n'));
    rows
}

fn read_summary(dir: &Path) -> Summary {
    serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).expect("summary.json"))
        .expect("strict summary.json")
}

fn read_model(dir: &Path) -> Model {
    serde_json::from_str(&fs::read_to_string(dir.join("model.json")).expect("model.json"))
        .expect("strict model.json")
}

const CLASSIFICATION: &[&str] = &[
    "epoch",
    "train_cost",
    "train_loss",
    "train_accuracy",
    "validation_loss",
    "validation_accuracy",
    "learning_rate",
];
const REGRESSION: &[&str] = &[
    "epoch",
    "train_cost",
    "train_loss",
    "train_rmse",
    "train_mae",
    "validation_loss",
    "validation_rmse",
    "validation_mae",
    "learning_rate",
];

/// Runs an example and checks every file it must write; returns its summary.
fn run_example(name: &str, header: &[&str]) -> (Sandbox, Summary, Vec<BTreeMap<String, f64>>) {
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&["run", &format!("experiments/{name}.toml")])
        .expect_code(0);
    let dir = sandbox.run_dir(name);
    assert!(
        output
            .stdout
            .contains(&dir.file_name().expect("name").to_string_lossy().to_string()),
        "{}",
        output.stdout
    );

    for file in [
        "config.toml",
        "metrics.csv",
        "cost.png",
        "cost.svg",
        "function.png",
        "function.svg",
        "function-snapshots.png",
        "function-snapshots.svg",
        "network.png",
        "network.svg",
        "summary.json",
        "model.json",
        "predictions.csv",
    ] {
        assert!(dir.join(file).is_file(), "{name}: no {file}");
    }
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .expect("run dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    let summary = read_summary(&dir);
    let metrics = read_metrics(&dir, header);
    assert!(
        ["completed", "early_stopped"].contains(&summary.status.as_str()),
        "{}",
        summary.status
    );
    assert_eq!(summary.epochs_run, metrics.len());
    assert_eq!(summary.experiment, name);

    // The headline: the row of the epoch whose weights model.json holds,
    // with the test split's metrics.
    let headline = summary.headline.as_ref().expect("headline");
    let epoch = summary.restored_epoch.unwrap_or(summary.epochs_run);
    assert_eq!(
        (headline.epoch, headline.of, headline.restored),
        (epoch, summary.epochs_run, summary.restored_epoch.is_some())
    );
    let row = metrics
        .iter()
        .find(|r| r["epoch"] == epoch as f64)
        .expect("the headline's row");
    let mut expected: BTreeMap<String, f64> = row
        .iter()
        .filter(|(column, _)| *column != "epoch")
        .map(|(column, value)| (column.clone(), *value))
        .collect();
    expected.extend(summary.test.clone());
    assert_eq!(headline.metrics, expected, "{name}");
    assert_eq!(
        dir.file_name().expect("name").to_string_lossy(),
        summary.run_id
    );

    // The cost goes down.
    let first = metrics.first().expect("epochs")["train_cost"];
    let last = metrics.last().expect("epochs")["train_cost"];
    assert!(last < 0.8 * first, "{name}: cost {first} -> {last}");

    // model.json holds a network of the configured shape with finite numbers.
    let model = read_model(&dir);
    assert_eq!(model.format, "synapse-model/1");
    let mut inputs = model.inputs.len();
    for layer in &model.layers {
        assert_eq!(layer.weights.len(), layer.units);
        assert!(
            layer
                .weights
                .iter()
                .all(|row| row.len() == inputs && row.iter().all(|w| w.is_finite()))
        );
        assert_eq!(layer.biases.len(), layer.units);
        let known = [
            "identity",
            "sigmoid",
            "tanh",
            "relu",
            "leaky_relu",
            "softmax",
        ];
        assert!(
            known.contains(&layer.activation.as_str()),
            "{}",
            layer.activation
        );
        inputs = layer.units;
    }
    assert_eq!(model.normalization.shift.len(), model.inputs.len());

    // predictions.csv: a row per test example.
    let mut reader = csv::Reader::from_path(dir.join("predictions.csv")).expect("predictions.csv");
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    // `row`, the input columns by their data names, then `target` and `prediction`.
    assert_eq!(header[0], "row");
    let target = header.iter().position(|h| h == "target").expect("target");
    assert_eq!(header[target + 1], "prediction");
    let names: Vec<&str> = model
        .inputs
        .iter()
        .map(|i| i.split('=').next().unwrap_or(i))
        .collect();
    let mut columns = names.clone();
    columns.dedup();
    assert_eq!(header[1..target], columns[..]);
    assert_eq!(reader.records().count(), summary.examples.test);

    // The plots: a PNG and an SVG with the title.
    let png = fs::read(dir.join("cost.png")).expect("png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let svg = fs::read_to_string(dir.join("cost.svg")).expect("svg");
    assert!(
        svg.starts_with("<svg") && svg.contains(name),
        "{name}: cost.svg"
    );
    (sandbox, summary, metrics)
}

#[test]
fn heart_learns_clearly_better_than_guessing_the_majority() {
    let (sandbox, summary, metrics) = run_example("heart", CLASSIFICATION);
    assert_eq!(summary.epochs_run, 100);
    assert_eq!(summary.task, "binary");
    // The majority class of the test split, from predictions.csv's targets
    // (after `row` and the three inputs).
    let dir = sandbox.run_dir("heart");
    let mut reader = csv::Reader::from_path(dir.join("predictions.csv")).expect("predictions");
    let targets: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[4].to_string())
        .collect();
    let positives = targets.iter().filter(|t| *t == "1").count() as f64 / targets.len() as f64;
    let majority = positives.max(1.0 - positives);
    let accuracy = summary.test["test_accuracy"];
    assert!(
        accuracy >= majority + 0.05,
        "test accuracy {accuracy} vs majority {majority}"
    );
    assert!(metrics.last().expect("rows")["validation_accuracy"] > 0.8);
}

#[test]
fn iris_separates_the_three_species() {
    let (_sandbox, summary, _) = run_example("iris", CLASSIFICATION);
    assert_eq!(summary.task, "multiclass");
    assert!(summary.test["test_accuracy"] >= 0.9, "{:?}", summary.test);
}

#[test]
fn heart_disease_learns_from_real_records_with_categories_and_gaps() {
    let (sandbox, summary, _) = run_example("heart-disease", CLASSIFICATION);
    assert_eq!(summary.task, "binary");
    assert!(summary.test["test_accuracy"] >= 0.7, "{:?}", summary.test);
    // Categories were one-hot encoded, TRUE/FALSE read as numbers, and the
    // six rows with empty cells dropped.
    let model = read_model(&sandbox.run_dir("heart-disease"));
    assert!(
        model.inputs.contains(&"cp=asymptomatic".to_string()),
        "{:?}",
        model.inputs
    );
    assert!(model.inputs.contains(&"fbs".to_string()));
    let total = summary.examples.train + summary.examples.validation + summary.examples.test;
    assert_eq!(total, 297);
}

#[test]
fn sine_regression_reports_errors_in_the_targets_units() {
    let (_sandbox, summary, metrics) = run_example("sine", REGRESSION);
    assert_eq!(summary.task, "regression");
    let rmse = metrics.last().expect("rows")["validation_rmse"];
    // The noise has a standard deviation of 0.1; sin(x) alone has about 0.7.
    assert!(rmse < 0.2, "validation rmse {rmse}");
}

#[test]
fn spiral_arms_are_learned() {
    let (_sandbox, summary, _) = run_example("spiral", CLASSIFICATION);
    assert!(summary.test["test_accuracy"] >= 0.9, "{:?}", summary.test);
}

fn rerun_is_byte_identical(precision: &str) {
    let sandbox = Sandbox::new();
    let set = format!("training.precision={precision}");
    let args = [
        "run",
        "experiments/heart.toml",
        "--set",
        &set,
        "--set",
        "training.epochs=20",
    ];
    sandbox.run(&args).expect_code(0);
    let dir = sandbox.run_dir("heart");
    let metrics = fs::read(dir.join("metrics.csv")).expect("metrics");
    let model = fs::read(dir.join("model.json")).expect("model");
    let predictions = fs::read(dir.join("predictions.csv")).expect("predictions");

    let mut again = args.to_vec();
    again.push("--force");
    sandbox.run(&again).expect_code(0);
    assert_eq!(
        sandbox.run_dir("heart"),
        dir,
        "the same experiment lands in the same directory"
    );
    assert!(
        fs::read(dir.join("metrics.csv")).expect("metrics") == metrics,
        "metrics.csv differs"
    );
    assert!(
        fs::read(dir.join("model.json")).expect("model") == model,
        "model.json differs"
    );
    assert!(
        fs::read(dir.join("predictions.csv")).expect("predictions") == predictions,
        "predictions.csv differs"
    );
}

#[test]
fn a_forced_rerun_gives_byte_identical_results_in_f64() {
    rerun_is_byte_identical("f64");
}

#[test]
fn a_forced_rerun_gives_byte_identical_results_in_f32() {
    rerun_is_byte_identical("f32");
}

#[test]
fn running_the_same_experiment_again_skips_it_and_says_where_it_is() {
    let sandbox = Sandbox::new();
    let args = [
        "run",
        "experiments/heart.toml",
        "--set",
        "training.epochs=3",
    ];
    sandbox.run(&args).expect_code(0);
    let dir = sandbox.run_dir("heart");
    let before = fs::read(dir.join("summary.json")).expect("summary");
    let output = sandbox.run(&args).expect_code(0);
    assert!(output.stdout.contains("already ran"), "{}", output.stdout);
    assert!(
        output
            .stdout
            .contains(&dir.file_name().expect("id").to_string_lossy().to_string())
    );
    assert_eq!(
        fs::read(dir.join("summary.json")).expect("summary"),
        before,
        "skipped runs rewrite nothing"
    );
}

#[test]
fn a_different_config_lands_in_a_different_run_directory() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--set",
            "training.epochs=2",
        ])
        .expect_code(0);
    sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--set",
            "training.epochs=3",
        ])
        .expect_code(0);
    let runs = fs::read_dir(sandbox.path().join("results/heart"))
        .expect("runs")
        .count();
    assert_eq!(runs, 2);
}

#[test]
fn zero_epochs_writes_the_untrained_network() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--set",
            "training.epochs=0",
        ])
        .expect_code(0);
    let dir = sandbox.run_dir("heart");
    let metrics = read_metrics(&dir, CLASSIFICATION);
    assert!(metrics.is_empty());
    let summary = read_summary(&dir);
    assert_eq!(summary.epochs_run, 0);
    let model = read_model(&dir);
    assert_eq!(model.layers.len(), 3);
    // Xavier weights are non-zero, biases start at zero.
    assert!(model.layers[0].weights.iter().flatten().any(|w| *w != 0.0));
    assert!(
        model
            .layers
            .iter()
            .all(|l| l.biases.iter().all(|b| *b == 0.0))
    );
}

#[test]
fn the_written_config_reproduces_the_run_as_is() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&["run", "experiments/iris.toml", "--set", "training.epochs=5"])
        .expect_code(0);
    let dir = sandbox.run_dir("iris");
    let metrics = fs::read(dir.join("metrics.csv")).expect("metrics");
    // The CSV path in config.toml is relative to the run directory.
    let config = dir.join("config.toml");
    let output = sandbox
        .run(&["run", config.to_str().expect("utf-8"), "--force"])
        .expect_code(0);
    assert!(
        output
            .stdout
            .contains(&dir.file_name().expect("id").to_string_lossy().to_string()),
        "{}",
        output.stdout
    );
    assert_eq!(fs::read(dir.join("metrics.csv")).expect("metrics"), metrics);
}

#[test]
fn check_prints_the_resolved_config_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&["check", "experiments/heart.toml"])
        .expect_code(0);
    let resolved: toml::Table = toml::from_str(&output.stdout).expect("check prints TOML");
    assert_eq!(resolved["training"]["batch_size"].as_integer(), Some(1));
    assert_eq!(resolved["data"]["task"].as_str(), Some("binary"));
    assert_eq!(
        resolved["training"]["schedule"]["kind"].as_str(),
        Some("constant")
    );
    assert!(sandbox.result_files().is_empty());
    assert!(!sandbox.path().join("results").exists());
}

#[test]
fn set_overrides_reach_the_run() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--set",
            "training.epochs=2",
            "--set",
            "model.layers.0.units=5",
        ])
        .expect_code(0);
    let model = read_model(&sandbox.run_dir("heart"));
    assert_eq!(model.layers[0].units, 5);
}
