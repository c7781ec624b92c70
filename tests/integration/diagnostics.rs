//! `training.diagnostics` with the real binary: diagnostics.csv parsed
//! strictly (one row per epoch from 0 and layer, numbers where they apply,
//! empty cells where they do not), the run's other files byte-identical to
//! the same run's without diagnostics, `--diagnostics` the same run as
//! `--set training.diagnostics=true`, saturated units at heart's learning
//! rate 10 and dead relu units at spiral's learning rate 1, and the figure.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{Sandbox, labelled_csv, run_quiet, summary_json, texts};

type Row = BTreeMap<String, String>;

const HEADER: [&str; 10] = [
    "epoch",
    "layer",
    "name",
    "activation",
    "units",
    "weight_norm",
    "gradient_norm",
    "update_ratio",
    "saturated",
    "dead",
];

/// A cell that must hold a finite number.
fn number(row: &Row, column: &str) -> f64 {
    let cell = &row[column];
    let value: f64 = cell
        .parse()
        .unwrap_or_else(|e| panic!("{column} `{cell}` is not a number: {e}: {row:?}"));
    assert!(value.is_finite(), "{column} is {value}: {row:?}");
    value
}

/// diagnostics.csv of `dir`, checked whole against the run's layers
/// (`(activation, units)` from the first): its exact header, one row per
/// epoch from 0 to `epochs` and layer in order, every cell that applies a
/// finite number and every other empty. The rows, in order.
fn diagnostics(dir: &Path, layers: &[(&str, usize)], epochs: usize) -> Vec<Row> {
    let (header, rows): (Vec<String>, Vec<Row>) = labelled_csv(&dir.join("diagnostics.csv"));
    assert_eq!(header, HEADER);
    assert_eq!(rows.len(), (epochs + 1) * layers.len());
    for (i, row) in rows.iter().enumerate() {
        let (epoch, layer) = (i / layers.len(), i % layers.len());
        let (activation, units) = layers[layer];
        assert_eq!(row["epoch"], epoch.to_string(), "{row:?}");
        assert_eq!(row["layer"], (layer + 1).to_string(), "{row:?}");
        assert_eq!(row["name"], format!("model.layers.{layer}"), "{row:?}");
        assert_eq!(row["activation"], activation, "{row:?}");
        assert_eq!(row["units"], units.to_string(), "{row:?}");
        assert!(number(row, "weight_norm") > 0.0, "{row:?}");
        for column in ["gradient_norm", "update_ratio"] {
            if epoch == 0 {
                assert_eq!(row[column], "", "{column}: {row:?}");
            } else {
                assert!(number(row, column) >= 0.0, "{column}: {row:?}");
            }
        }
        let hidden = layer + 1 < layers.len();
        let saturates = hidden && matches!(activation, "sigmoid" | "tanh");
        let dies = hidden && activation == "relu";
        for (column, applies) in [("saturated", saturates), ("dead", dies)] {
            if applies {
                let share = number(row, column);
                assert!((0.0..=1.0).contains(&share), "{column}: {row:?}");
                // A share of whole units.
                let count = share * units as f64;
                assert!((count - count.round()).abs() < 1e-9, "{column}: {row:?}");
            } else {
                assert_eq!(row[column], "", "{column}: {row:?}");
            }
        }
    }
    rows
}

fn the(rows: &[Row], epoch: usize, layer: usize) -> &Row {
    rows.iter()
        .find(|r| r["epoch"] == epoch.to_string() && r["layer"] == layer.to_string())
        .unwrap_or_else(|| panic!("no row of epoch {epoch}, layer {layer}"))
}

const HEART_LAYERS: [(&str, usize); 3] = [("sigmoid", 8), ("sigmoid", 8), ("sigmoid", 1)];

#[test]
fn heart_at_learning_rate_10_saturates_its_second_layer_and_trains_the_same_bits() {
    let sandbox = Sandbox::new();
    let plain = run_quiet(
        &sandbox,
        "experiments/heart.toml",
        &["training.learning_rate=10"],
    );
    let output = sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--quiet",
            "--set",
            "training.learning_rate=10",
            "--diagnostics",
        ])
        .expect_code(0);
    let with = output.stdout.trim_end().rsplit(" -> ").next().expect("dir");
    // Its own run directory: the run id follows the resolved config.
    assert_ne!(plain, with);
    let (plain, with) = (sandbox.path().join(plain), sandbox.path().join(with));
    for file in ["metrics.csv", "model.json", "predictions.csv"] {
        assert_eq!(
            fs::read(plain.join(file)).expect("plain"),
            fs::read(with.join(file)).expect("with diagnostics"),
            "{file} differs with diagnostics on"
        );
    }
    for file in ["diagnostics.csv", "diagnostics.png", "diagnostics.svg"] {
        assert!(!plain.join(file).exists(), "{file} without diagnostics");
    }
    let config = fs::read_to_string(with.join("config.toml")).expect("config.toml");
    assert!(config.contains("diagnostics = true"), "{config}");

    let rows = diagnostics(&with, &HEART_LAYERS, 100);
    // The initial weights saturate nothing; by the end, five of layer 2's
    // eight units are (and layer 1's first one): the run flattened out.
    assert_eq!(number(the(&rows, 0, 2), "saturated"), 0.0);
    assert_eq!(number(the(&rows, 100, 2), "saturated"), 0.625);
    assert_eq!(number(the(&rows, 100, 1), "saturated"), 0.125);
    // After the saturation, the gradients vanish: at epoch 100 layer 1's
    // is below a millionth of its epoch 1's.
    let vanished = number(the(&rows, 100, 1), "gradient_norm");
    assert!(
        vanished < number(the(&rows, 1, 1), "gradient_norm") * 1e-6,
        "{vanished}"
    );
    // The finding counts over the validation split with the final weights,
    // the diagnostics over the training split as the epoch trained: the
    // same rule, other examples (6 of 8 units there, 5 of 8 here).
    let summary = summary_json(&with);
    let finding = summary["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "saturated")
        .expect("a saturated finding");
    assert!(
        finding["message"]
            .as_str()
            .is_some_and(|m| m.contains("hidden layer 2 (model.layers.1): 75% of its 8")),
        "{finding}"
    );

    let svg = fs::read_to_string(with.join("diagnostics.svg")).expect("diagnostics.svg");
    let texts = texts(&svg);
    for expected in [
        "heart: diagnostics per layer",
        "training cost",
        "layer 1 (model.layers.0)",
        "layer 3 (model.layers.2)",
    ] {
        assert!(texts.iter().any(|t| t == expected), "{expected}: {texts:?}");
    }
    // The legend names each layer once, for all five panels.
    assert_eq!(
        texts
            .iter()
            .filter(|t| *t == "layer 2 (model.layers.1)")
            .count(),
        1
    );
    let png = fs::read(with.join("diagnostics.png")).expect("diagnostics.png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn the_flag_is_the_config_key() {
    let sandbox = Sandbox::new();
    let set = run_quiet(
        &sandbox,
        "experiments/heart.toml",
        &["training.epochs=2", "training.diagnostics=true"],
    );
    let output = sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--quiet",
            "--set",
            "training.epochs=2",
            "--diagnostics",
        ])
        .expect_code(0);
    assert!(
        output.stdout.trim_end().ends_with(&format!(" -> {set}")),
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("already"), "{}", output.stdout);
    diagnostics(&sandbox.path().join(&set), &HEART_LAYERS, 2);

    // A sweep's runs get it too, as `--list` shows.
    sandbox.write(
        "experiments/lr.toml",
        "experiment = \"heart.toml\"\n[grid]\n\"training.learning_rate\" = [0.1, 1.0]\n",
    );
    let listed = sandbox
        .run(&["sweep", "experiments/lr.toml", "--list", "--diagnostics"])
        .expect_code(0)
        .stdout;
    assert_eq!(listed.lines().count(), 2, "{listed}");
    for line in listed.lines() {
        assert!(line.contains("training.diagnostics=true"), "{line}");
    }
}

#[test]
fn spiral_at_learning_rate_1_kills_relu_units() {
    let sandbox = Sandbox::new();
    let dir = run_quiet(
        &sandbox,
        "experiments/spiral.toml",
        &[
            "training.learning_rate=1",
            "training.epochs=5",
            "training.diagnostics=true",
        ],
    );
    let layers = [("relu", 32), ("relu", 32), ("softmax", 3)];
    let rows = diagnostics(&sandbox.path().join(dir), &layers, 5);
    assert_eq!(number(the(&rows, 0, 1), "dead"), 0.0);
    let dead = number(the(&rows, 5, 1), "dead") + number(the(&rows, 5, 2), "dead");
    assert!(dead > 0.0, "{rows:?}");
}
