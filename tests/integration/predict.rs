//! `synapse predict`: a trained model applied to new rows, checked against
//! the run's own predictions.csv, and refusing rows it cannot encode.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::Sandbox;

/// Trains the example `name` in `sandbox` and gives its run directory.
fn trained(sandbox: &Sandbox, name: &str) -> PathBuf {
    sandbox
        .run(&["run", &format!("experiments/{name}.toml"), "--quiet"])
        .expect_code(0);
    sandbox.run_dir(name)
}

/// Rows of a CSV file (header first), each a list of fields.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .map(|r| {
            r.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn write_csv(sandbox: &Sandbox, name: &str, rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).expect("in-memory CSV");
    }
    sandbox.write(name, writer.into_inner().expect("in-memory CSV"));
}

/// The source file's header and the data rows numbered `rows` (1-based, as
/// predictions.csv's `row` column numbers them).
fn rows_of(source: &Path, rows: &[usize]) -> Vec<Vec<String>> {
    let all = read_csv(source);
    std::iter::once(all[0].clone())
        .chain(rows.iter().map(|&r| all[r].clone()))
        .collect()
}

/// Runs `experiment`, then predicts its test split's rows from `data`.
/// Returns the run directory, predictions.csv and predict's output, both
/// parsed.
fn predict_test_split(
    sandbox: &Sandbox,
    experiment: &str,
    data: &str,
) -> (PathBuf, Vec<Vec<String>>, Vec<Vec<String>>, String) {
    let dir = trained(sandbox, experiment);
    let expected = read_csv(&dir.join("predictions.csv"));
    let rows: Vec<usize> = expected[1..]
        .iter()
        .map(|r| r[0].parse().expect("a row number"))
        .collect();
    write_csv(
        sandbox,
        "new.csv",
        &rows_of(&sandbox.path().join(data), &rows),
    );
    let output = sandbox
        .run(&[
            "predict",
            dir.to_str().expect("UTF-8 path"),
            "new.csv",
            "--out",
            "predicted.csv",
        ])
        .expect_code(0);
    let predicted = read_csv(&sandbox.path().join("predicted.csv"));
    (dir, expected, predicted, output.stderr)
}

/// predictions.csv's columns from `prediction` on, and the same number of
/// predict's last columns: they must be the same text. predictions.csv's
/// input columns, by name, must hold predict's cells of that row: both are
/// the data file's cells as written.
fn assert_same_predictions(expected: &[Vec<String>], predicted: &[Vec<String>]) {
    assert_eq!(
        expected.len(),
        predicted.len(),
        "one output row per input row"
    );
    let header = &expected[0];
    let target = header.iter().position(|h| h == "target").expect("target");
    let inputs: Vec<usize> = header[1..target]
        .iter()
        .map(|name| {
            predicted[0]
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("predict's output has no column `{name}`"))
        })
        .collect();
    let width = header.len() - target - 1;
    for (e, p) in expected.iter().zip(predicted) {
        assert_eq!(&e[target + 1..], &p[p.len() - width..], "row {e:?}");
    }
    for (e, p) in expected.iter().zip(predicted).skip(1) {
        let cells: Vec<&String> = inputs.iter().map(|&i| &p[i]).collect();
        assert_eq!(cells, e[1..target].iter().collect::<Vec<_>>(), "row {e:?}");
    }
}

#[test]
fn predict_on_the_test_split_reproduces_predictions_csv_exactly() {
    let sandbox = Sandbox::new();
    let (dir, expected, predicted, stderr) = predict_test_split(&sandbox, "iris", "data/iris.csv");
    assert_eq!(
        predicted[0],
        [
            "sepal_length_cm",
            "sepal_width_cm",
            "petal_length_cm",
            "petal_width_cm",
            "species",
            "prediction",
            "probability_setosa",
            "probability_versicolor",
            "probability_virginica"
        ]
    );
    assert_same_predictions(&expected, &predicted);
    // The input columns come first, as written.
    let source = rows_of(
        &sandbox.path().join("data/iris.csv"),
        &[expected[1][0].parse().unwrap()],
    );
    assert_eq!(predicted[1][..5], source[1][..]);

    // With the target column present, its metrics are the run's test metrics.
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let accuracy = summary["test"]["test_accuracy"].as_f64().unwrap();
    let loss = summary["test"]["test_loss"].as_f64().unwrap();
    assert!(
        stderr.contains(&format!(
            "new.csv: {} rows with a known `species`: loss {} (cross_entropy), accuracy {}",
            expected.len() - 1,
            synapse::text::number(loss),
            synapse::text::number(accuracy)
        )),
        "{stderr}"
    );
}

#[test]
fn predict_reproduces_predictions_with_categories_booleans_and_a_binary_target() {
    let sandbox = Sandbox::new();
    let (_, expected, predicted, stderr) = predict_test_split(
        &sandbox,
        "heart-disease",
        "data/heart-disease-cleveland.csv",
    );
    assert_eq!(
        &predicted[0][predicted[0].len() - 3..],
        ["prediction", "probability_0", "probability_1"]
    );
    assert_same_predictions(&expected, &predicted);
    assert!(
        stderr.contains("rows with a known `disease`: loss "),
        "{stderr}"
    );
}

#[test]
fn predict_in_f32_reproduces_an_f32_runs_predictions() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "experiments/iris32.toml",
        sandbox
            .read("experiments/iris.toml")
            .replace("name = \"iris\"", "name = \"iris32\"")
            .replace("[training]", "[training]\nprecision = \"f32\""),
    );
    let (_, expected, predicted, _) = predict_test_split(&sandbox, "iris32", "data/iris.csv");
    assert_same_predictions(&expected, &predicted);
}

#[test]
fn predict_writes_to_standard_output_without_out() {
    let sandbox = Sandbox::new();
    let (dir, _, _, _) = predict_test_split(&sandbox, "iris", "data/iris.csv");
    let output = sandbox
        .run(&["predict", dir.to_str().unwrap(), "new.csv"])
        .expect_code(0);
    assert_eq!(output.stdout, sandbox.read("predicted.csv"));
}

#[test]
fn without_the_target_column_predict_prints_predictions_and_no_metrics() {
    let sandbox = Sandbox::new();
    let dir = trained(&sandbox, "iris");
    sandbox.write(
        "new.csv",
        "petal_width_cm,petal_length_cm,sepal_width_cm,sepal_length_cm\n0.2,1.4,3.5,5.1\n2.3,5.9,3.0,6.8\n",
    );
    let output = sandbox
        .run(&["predict", dir.to_str().unwrap(), "new.csv"])
        .expect_code(0);
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", output.stdout);
    assert!(
        lines[1].starts_with("0.2,1.4,3.5,5.1,setosa,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("2.3,5.9,3.0,6.8,virginica,"),
        "{}",
        lines[2]
    );
    assert!(!output.stderr.contains("known"), "{}", output.stderr);
}

#[test]
fn predict_rejects_a_file_with_a_missing_column() {
    let sandbox = Sandbox::new();
    let dir = trained(&sandbox, "iris");
    sandbox.write(
        "new.csv",
        "sepal_length_cm,sepal_width_cm,petal_length_cm\n5.1,3.5,1.4\n",
    );
    let output = sandbox
        .run(&[
            "predict",
            dir.to_str().unwrap(),
            "new.csv",
            "--out",
            "p.csv",
        ])
        .expect_code(2);
    assert!(
        output
            .stderr
            .starts_with("error: new.csv: there is no column `petal_width_cm`"),
        "{}",
        output.stderr
    );
    assert!(!sandbox.path().join("p.csv").exists(), "nothing is written");
}

#[test]
fn predict_rejects_a_category_never_seen_in_training() {
    let sandbox = Sandbox::new();
    let dir = trained(&sandbox, "heart-disease");
    let mut rows = rows_of(
        &sandbox.path().join("data/heart-disease-cleveland.csv"),
        &[1, 2, 3],
    );
    let cp = rows[0].iter().position(|c| c == "cp").unwrap();
    rows[3][cp] = "crushing".to_string();
    write_csv(&sandbox, "new.csv", &rows);
    let output = sandbox
        .run(&["predict", dir.to_str().unwrap(), "new.csv"])
        .expect_code(2);
    assert!(
        output.stderr.starts_with(
            "error: new.csv: row 3 (line 4), column `cp`: `crushing` is a category the model never saw in training; it knows `asymptomatic`, `atypical angina`, `non-anginal`, `typical angina`"
        ),
        "{}",
        output.stderr
    );
    assert!(output.stdout.is_empty(), "{}", output.stdout);
}

#[test]
fn predict_rejects_an_empty_cell_naming_row_and_column() {
    let sandbox = Sandbox::new();
    let dir = trained(&sandbox, "iris");
    sandbox.write(
        "new.csv",
        "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4,0.2\n4.9,,1.4,0.2\n",
    );
    let output = sandbox
        .run(&["predict", dir.to_str().unwrap(), "new.csv"])
        .expect_code(2);
    assert!(
        output.stderr.starts_with(
            "error: new.csv: row 2 (line 3), column `sepal_width_cm`: the cell is empty"
        ),
        "{}",
        output.stderr
    );
}

#[test]
fn a_config_toml_that_is_not_utf8_is_refused_with_exit_2_naming_it() {
    let sandbox = Sandbox::new();
    let dir = trained(&sandbox, "iris");
    fs::write(dir.join("config.toml"), b"[training]\nloss = \"\xff\"\n").expect("corrupt");
    sandbox.write(
        "new.csv",
        "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4,0.2\n",
    );
    // Until 0.3.0 this exited 1, as if the disk had failed.
    let output = sandbox
        .run(&["predict", dir.to_str().unwrap(), "new.csv"])
        .expect_code(2);
    assert!(
        output
            .stderr
            .contains("config.toml: not UTF-8 text (invalid byte at offset 19)"),
        "{}",
        output.stderr
    );
    assert_eq!(output.stdout, "", "nothing is predicted");
}

#[test]
fn a_row_whose_prediction_is_not_a_number_is_named_and_nothing_is_written() {
    let sandbox = Sandbox::new();
    // An absurd learning rate leaves finite weights near 1e306: a row far
    // outside the training data then overflows the sums to inf − inf.
    sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--quiet",
            "--set",
            "training.learning_rate=1e308",
            "--set",
            "training.epochs=3",
        ])
        .expect_code(0);
    let dir = sandbox.run_dir("heart");
    sandbox.write(
        "new.csv",
        "height_cm,weight_kg,age_years\n170,70,30\n1e300,-1e300,20\n",
    );
    let out = sandbox.path().join("predictions-new.csv");
    let output = sandbox
        .run(&[
            "predict",
            dir.to_str().unwrap(),
            "new.csv",
            "--out",
            out.to_str().unwrap(),
        ])
        .expect_code(2);
    assert!(
        output.stderr.starts_with(
            "error: new.csv: row 2 (line 3): the model's output for this row is not a finite number"
        ),
        "{}",
        output.stderr
    );
    assert!(!out.exists(), "nothing is written");
    // The ordinary row alone predicts.
    sandbox.write("ok.csv", "height_cm,weight_kg,age_years\n170,70,30\n");
    sandbox
        .run(&["predict", dir.to_str().unwrap(), "ok.csv"])
        .expect_code(0);
}

#[test]
fn a_file_with_a_column_predict_would_add_is_refused() {
    let sandbox = Sandbox::new();
    let dir = trained(&sandbox, "heart");
    sandbox.write("new.csv", "height_cm,weight_kg,age_years\n170,70,30\n");
    let first = sandbox.path().join("first.csv");
    sandbox
        .run(&[
            "predict",
            dir.to_str().unwrap(),
            "new.csv",
            "--out",
            first.to_str().unwrap(),
        ])
        .expect_code(0);
    // Predict's own output, given back, holds `prediction` already.
    let output = sandbox
        .run(&["predict", dir.to_str().unwrap(), "first.csv"])
        .expect_code(2);
    assert!(
        output
            .stderr
            .starts_with("error: first.csv: the file already has a column `prediction`"),
        "{}",
        output.stderr
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn out_never_replaces_the_run_or_the_data_and_names_a_file_in_an_existing_folder() {
    let sandbox = Sandbox::new();
    let dir = trained(&sandbox, "heart");
    sandbox.write("new.csv", "height_cm,weight_kg,age_years\n170,70,30\n");
    std::fs::create_dir(sandbox.path().join("folder")).expect("folder");
    let model = std::fs::read(dir.join("model.json")).expect("model");
    let run = dir.to_str().unwrap();
    let model_path = dir.join("model.json");
    for (out, says) in [
        (model_path.to_str().unwrap(), "is inside the run directory"),
        ("new.csv", "is the data being predicted"),
        ("folder", "names a folder"),
        ("missing/p.csv", "the folder missing does not exist"),
    ] {
        let output = sandbox
            .run(&["predict", run, "new.csv", "--out", out])
            .expect_code(2);
        assert!(
            output
                .stderr
                .starts_with(&format!("error: --out {out}: {says}")),
            "{}",
            output.stderr
        );
    }
    assert_eq!(std::fs::read(dir.join("model.json")).expect("model"), model);
    assert_eq!(
        sandbox.read("new.csv"),
        "height_cm,weight_kg,age_years\n170,70,30\n"
    );
}

#[test]
fn a_model_trained_on_a_column_named_prediction_says_it_cannot_predict_beside_it() {
    let sandbox = Sandbox::new();
    let mut csv = String::from("x,prediction,label\n");
    for i in 0..60 {
        let (a, b) = ((i * 7 % 10) as f64 / 10.0, (i * 3 % 10) as f64 / 10.0);
        csv.push_str(&format!("{a},{b},{}\n", i % 2));
    }
    sandbox.write("pr.csv", &csv);
    let experiment = |path: &str| {
        format!(
            "[experiment]\nname = \"pr\"\n[data]\npath = \"{path}\"\ntarget = \"label\"\n\
             [model]\nlayers = [{{ units = 1, activation = \"sigmoid\" }}]\n\
             [training]\nepochs = 2\nlearning_rate = 0.1\n"
        )
    };
    // Since predictions.csv carries the input columns, training refuses it.
    sandbox.write("pr.toml", experiment("pr.csv"));
    let output = sandbox.run(&["run", "pr.toml", "--quiet"]).expect_code(2);
    assert!(
        output
            .stderr
            .contains("pr.csv: column `prediction`: a feature cannot be named `prediction`"),
        "{}",
        output.stderr
    );
    // A model trained before that (here: one whose input is renamed in its
    // model.json) is still refused by predict, with the reason.
    sandbox.write("renamed.csv", csv.replacen("prediction", "p", 1));
    sandbox.write("pr.toml", experiment("renamed.csv"));
    sandbox.run(&["run", "pr.toml", "--quiet"]).expect_code(0);
    let dir = sandbox.run_dir("pr");
    let model = fs::read_to_string(dir.join("model.json")).expect("model.json");
    assert_eq!(model.matches("\"p\"").count(), 1, "{model}");
    fs::write(
        dir.join("model.json"),
        model.replace("\"p\"", "\"prediction\""),
    )
    .expect("write");
    let output = sandbox
        .run(&["predict", dir.to_str().unwrap(), "pr.csv"])
        .expect_code(2);
    assert!(
        output
            .stderr
            .contains("the model was trained on a column named `prediction`"),
        "{}",
        output.stderr
    );
}

#[test]
fn predict_refuses_a_missing_or_corrupt_model_with_exit_code_2() {
    let sandbox = Sandbox::new();
    sandbox.write("new.csv", "x\n1\n");
    let output = sandbox
        .run(&["predict", "results/nowhere", "new.csv"])
        .expect_code(2);
    assert!(
        output
            .stderr
            .contains("results/nowhere/model.json: not found"),
        "{}",
        output.stderr
    );

    let dir = trained(&sandbox, "iris");
    let model = fs::read_to_string(dir.join("model.json")).unwrap();
    fs::write(dir.join("model.json"), &model[..model.len() / 2]).unwrap();
    let output = sandbox
        .run(&["predict", dir.to_str().unwrap(), "new.csv"])
        .expect_code(2);
    assert!(
        output.stderr.contains("model.json: not valid JSON"),
        "{}",
        output.stderr
    );

    fs::write(
        dir.join("model.json"),
        model.replace("\"inputs\"", "\"features\""),
    )
    .unwrap();
    let output = sandbox
        .run(&["predict", dir.to_str().unwrap(), "new.csv"])
        .expect_code(2);
    assert!(
        output.stderr.contains("not a synapse model"),
        "{}",
        output.stderr
    );
}
