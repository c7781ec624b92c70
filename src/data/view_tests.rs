//! `synapse data`'s CSV read back as a run's data: its training rows are
//! the run's training set, to the bit, and the whole file with the run's
//! split settings gives the run's three splits again.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::data::{Examples, PreparedData, prepare, view};

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn load(file: &Path, text: &str, sets: &[&str]) -> Config {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match config::load_text(file, text, &sets) {
        Ok(loaded) => loaded.config,
        Err(error) => panic!("{error}"),
    }
}

fn prepared(config: &Config) -> PreparedData {
    prepare(config).unwrap_or_else(|error| panic!("{error}"))
}

/// The resolved config of `config` with its `[data]` table replaced: the
/// CSV at `path`, the same target, features and normalization, and the
/// split given.
fn reading_back(config: &Config, path: &Path, features: &[&str], split: (f64, f64)) -> String {
    let mut table: toml::Table = toml::from_str(&config::to_toml(config)).unwrap();
    let old = table["data"].as_table().unwrap().clone();
    let mut data = toml::Table::new();
    data.insert("path".into(), path.display().to_string().into());
    let target = old.get("target").and_then(|t| t.as_str()).unwrap_or("");
    let target = if target.is_empty() {
        // A generator's target is named by the table it makes.
        prepared(config).target
    } else {
        target.to_string()
    };
    data.insert("target".into(), target.into());
    let features: Vec<toml::Value> = features.iter().map(|&f| f.into()).collect();
    data.insert("features".into(), features.into());
    data.insert("normalize".into(), old["normalize"].clone());
    let mut fractions = toml::Table::new();
    fractions.insert("validation".into(), split.0.into());
    fractions.insert("test".into(), split.1.into());
    data.insert("split".into(), fractions.into());
    table.insert("data".into(), data.into());
    // Early stopping needs a validation split; it changes nothing of the data.
    if let Some(training) = table.get_mut("training").and_then(|t| t.as_table_mut()) {
        training.remove("early_stopping");
    }
    toml::to_string(&table).unwrap()
}

/// The CSV of `config`'s data, with the header's input columns.
fn exported(config: &Config) -> (String, Vec<String>) {
    let view = view(config).unwrap_or_else(|error| panic!("{error}"));
    let inputs = view.inputs().map(str::to_string).collect();
    (view.csv().unwrap(), inputs)
}

fn same_split(a: &Examples, b: &Examples) {
    assert_eq!(a.inputs, b.inputs);
    assert_eq!(a.targets, b.targets);
    assert_eq!(a.raw_targets, b.raw_targets);
}

/// Writes the CSV (whole, and its training rows only) and reads both back.
fn round_trip(config: &Config) {
    let run = prepared(config);
    let (csv, inputs) = exported(config);
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().unwrap();
    let experiment = dir.path().join("back.toml");

    // The training rows, `split` = train, read with no split at all.
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let train: Vec<&str> = lines.filter(|l| l.ends_with(",train")).collect();
    assert_eq!(train.len(), run.train.len());
    let train_csv = dir.path().join("train.csv");
    std::fs::write(&train_csv, format!("{header}\n{}\n", train.join("\n"))).unwrap();
    let text = reading_back(config, &train_csv, &inputs, (0.0, 0.0));
    let back = prepared(&load(&experiment, &text, &[]));
    assert!(back.validation.is_none() && back.test.is_none());
    assert_eq!(back.inputs, run.inputs);
    assert_eq!(back.classes, run.classes);
    assert_eq!(back.categories, run.categories);
    assert_eq!(back.normalization, run.normalization);
    same_split(&back.train, &run.train);
    // The `row` column is the data row each came from.
    let rows: Vec<usize> = train
        .iter()
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(rows, run.train.rows);

    // The whole file with the run's split settings: the same three splits.
    let whole = dir.path().join("whole.csv");
    std::fs::write(&whole, &csv).unwrap();
    let fractions = (config.data.split.validation, config.data.split.test);
    let text = reading_back(config, &whole, &inputs, fractions);
    let again = prepared(&load(&experiment, &text, &[]));
    assert_eq!(again.normalization, run.normalization);
    same_split(&again.train, &run.train);
    same_split(
        again.validation.as_ref().unwrap(),
        run.validation.as_ref().unwrap(),
    );
    same_split(again.test.as_ref().unwrap(), run.test.as_ref().unwrap());
}

fn experiment(name: &str, sets: &[&str]) -> Config {
    let file = project("experiments").join(name);
    let text = std::fs::read_to_string(&file).unwrap();
    load(&file, &text, sets)
}

#[test]
fn a_generated_binary_data_set_round_trips() {
    let spiral = experiment(
        "spiral.toml",
        &[
            "data.generator=\"xor\"",
            "data.rows=200",
            "model.layers.2.units=1",
            "model.layers.2.activation=\"sigmoid\"",
            "training.loss=\"binary_cross_entropy\"",
        ],
    );
    round_trip(&spiral);
}

#[test]
fn a_generated_multiclass_data_set_round_trips() {
    round_trip(&experiment("spiral.toml", &[]));
}

#[test]
fn a_regression_data_set_round_trips() {
    round_trip(&experiment("sine.toml", &[]));
}

#[test]
fn a_file_with_dropped_rows_categories_and_booleans_round_trips() {
    let config = experiment("heart-disease.toml", &[]);
    round_trip(&config);
    // Not trivially: the dropped rows are gone, the categories are text.
    let (csv, _) = exported(&config);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 304 - 7);
    assert!(
        rows[0].starts_with("1,63,Male,typical angina,145,233,TRUE,"),
        "{}",
        rows[0]
    );
}

#[test]
fn a_column_named_like_the_files_own_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.csv");
    let mut text = "x,split\n".to_string();
    for i in 0..20 {
        text.push_str(&format!("{i},{}\n", ["a", "b"][i % 2]));
    }
    std::fs::write(&data, text).unwrap();
    let mut config = experiment("heart-disease.toml", &[]);
    let toml = reading_back(&config, &data, &["x"], (0.2, 0.0))
        .replace("target = \"disease\"", "target = \"split\"");
    config = load(&dir.path().join("e.toml"), &toml, &[]);
    let error = view(&config).unwrap().csv().unwrap_err().to_string();
    assert!(
        error.contains("column `split`: the data has a column named `split`"),
        "{error}"
    );
}
