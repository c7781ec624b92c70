//! A classifier's numbers per class: summary.json's confusion matrices
//! against predictions.csv, the table on stderr, the figures, and predict's
//! table when its rows have the target.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{Sandbox, labelled_csv, summary_json as summary};

fn counts(matrix: &Value) -> Vec<Vec<u64>> {
    matrix
        .as_array()
        .expect("the shape synapse writes")
        .iter()
        .map(|row| {
            row.as_array()
                .expect("the shape synapse writes")
                .iter()
                .map(|c| c.as_u64().expect("the shape synapse writes"))
                .collect()
        })
        .collect()
}

/// The confusion matrix recomputed from predictions.csv's `target` and
/// `prediction` columns, classes in `classes` order.
fn recounted(predictions: &Path, classes: &[String]) -> Vec<Vec<u64>> {
    let (header, rows) = labelled_csv::<BTreeMap<String, String>>(predictions);
    assert!(header.contains(&"target".to_string()), "{header:?}");
    let index = |label: &str| {
        classes
            .iter()
            .position(|c| c == label)
            .unwrap_or_else(|| panic!("{label:?} is not one of {classes:?}"))
    };
    let mut matrix = vec![vec![0; classes.len()]; classes.len()];
    for row in &rows {
        matrix[index(&row["target"])][index(&row["prediction"])] += 1;
    }
    assert!(!rows.is_empty());
    matrix
}

/// The table's rows on stderr under its heading, as (class, counts).
fn printed(stderr: &str, heading: &str, classes: usize) -> Vec<(String, Vec<u64>)> {
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(heading))
        .unwrap_or_else(|| panic!("no {heading:?} in\n{stderr}"));
    lines[at + 2..at + 2 + classes]
        .iter()
        .map(|line| {
            let cells: Vec<&str> = line.split_whitespace().collect();
            let counts = cells[1..=classes]
                .iter()
                .map(|c| c.parse().expect("the shape synapse writes"))
                .collect();
            (cells[0].to_string(), counts)
        })
        .collect()
}

fn check_run(name: &str, binary: bool) {
    let sandbox = Sandbox::new();
    let run = sandbox
        .run(&["run", &format!("experiments/{name}.toml")])
        .expect_code(0);
    let dir = sandbox.run_dir(name);
    let summary = summary(&dir);
    let test = &summary["classification"]["test"];
    let classes: Vec<String> = test["classes"]
        .as_array()
        .expect("the shape synapse writes")
        .iter()
        .map(|c| c.as_str().expect("the shape synapse writes").to_string())
        .collect();
    let confusion = counts(&test["confusion"]);
    assert_eq!(confusion, recounted(&dir.join("predictions.csv"), &classes));
    // Support is each true class's row; the test split's size in all.
    let total: u64 = confusion.iter().flatten().sum();
    assert_eq!(
        total,
        summary["examples"]["test"]
            .as_u64()
            .expect("the shape synapse writes")
    );
    for (class, row) in test["per_class"]
        .as_array()
        .expect("the shape synapse writes")
        .iter()
        .zip(&confusion)
    {
        assert_eq!(
            class["support"].as_u64().expect("the shape synapse writes"),
            row.iter().sum::<u64>()
        );
    }
    // Accuracy is the diagonal's share.
    let diagonal: u64 = (0..classes.len()).map(|i| confusion[i][i]).sum();
    let accuracy = summary["test"]["test_accuracy"]
        .as_f64()
        .expect("the shape synapse writes");
    assert!((diagonal as f64 / total as f64 - accuracy).abs() < 1e-12);
    assert_eq!(test["roc_auc"].is_f64(), binary, "{test}");

    // The validation matrix is printed before the closing line.
    let validation = counts(&summary["classification"]["validation"]["confusion"]);
    let table = printed(&run.stderr, "on the validation split", classes.len());
    let expected: Vec<(String, Vec<u64>)> = classes.iter().cloned().zip(validation).collect();
    assert_eq!(table, expected, "{}", run.stderr);
    assert_eq!(run.stderr.contains("ROC AUC"), binary, "{}", run.stderr);
    for file in ["confusion.png", "confusion.svg", "roc.png", "roc.svg"] {
        let roc = file.starts_with("roc");
        assert_eq!(dir.join(file).is_file(), !roc || binary, "{file}");
    }
    let svg = fs::read_to_string(dir.join("confusion.svg")).expect("the shape synapse writes");
    assert!(svg.contains("validation split"), "the split is named");
    for class in &classes {
        assert!(
            svg.contains(&format!(">\n{class}\n</text>")),
            "{class} labelled"
        );
    }
}

#[test]
fn heart_test_confusion_equals_the_counts_of_predictions_csv() {
    check_run("heart", true);
}

#[test]
fn iris_test_confusion_equals_the_counts_of_predictions_csv() {
    check_run("iris", false);
}

#[test]
fn quiet_leaves_the_table_out_and_regression_has_none() {
    let sandbox = Sandbox::new();
    let run = sandbox
        .run(&["run", "experiments/iris.toml", "--quiet"])
        .expect_code(0);
    assert!(
        !run.stderr.contains("on the validation split"),
        "{}",
        run.stderr
    );
    let run = sandbox
        .run(&["run", "experiments/sine.toml"])
        .expect_code(0);
    assert!(!run.stderr.contains("rows: true class"), "{}", run.stderr);
    let dir = sandbox.run_dir("sine");
    assert!(summary(&dir)["classification"].is_null());
    assert!(!dir.join("confusion.png").exists());
}

#[test]
fn predict_with_the_target_column_prints_the_confusion_matrix() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&["run", "experiments/heart-disease.toml", "--quiet"])
        .expect_code(0);
    let dir = sandbox.run_dir("heart-disease");
    // The test split's rows, from the data file, by predictions.csv's `row`.
    let (_, predictions) = labelled_csv::<BTreeMap<String, String>>(&dir.join("predictions.csv"));
    let data = fs::read_to_string(sandbox.path().join("data/heart-disease-cleveland.csv"))
        .expect("the shape synapse writes");
    let lines: Vec<&str> = data.lines().collect();
    let mut new = vec![lines[0]];
    new.extend(
        predictions
            .iter()
            .map(|p| lines[p["row"].parse::<usize>().expect("the shape synapse writes")]),
    );
    sandbox.write("new.csv", new.join("\n") + "\n");
    let output = sandbox
        .run(&[
            "predict",
            dir.to_str().expect("the shape synapse writes"),
            "new.csv",
            "--out",
            "out.csv",
        ])
        .expect_code(0);
    // The same rows and the same model: the test split's matrix.
    let test = counts(&summary(&dir)["classification"]["test"]["confusion"]);
    let table = printed(&output.stderr, "on new.csv", 2);
    let expected: Vec<(String, Vec<u64>)> =
        ["0", "1"].map(String::from).into_iter().zip(test).collect();
    assert_eq!(table, expected, "{}", output.stderr);
    let auc = summary(&dir)["classification"]["test"]["roc_auc"]
        .as_f64()
        .expect("the shape synapse writes");
    assert!(
        output
            .stderr
            .contains(&format!("ROC AUC {}", synapse::text::number(auc))),
        "{}",
        output.stderr
    );

    // Without the target column, no table.
    let without: Vec<String> = new
        .iter()
        .map(|l| {
            l.rsplit_once(',')
                .expect("the shape synapse writes")
                .0
                .to_string()
        })
        .collect();
    sandbox.write("blind.csv", without.join("\n") + "\n");
    let output = sandbox
        .run(&[
            "predict",
            dir.to_str().expect("the shape synapse writes"),
            "blind.csv",
            "--out",
            "out2.csv",
        ])
        .expect_code(0);
    assert!(
        !output.stderr.contains("rows: true class"),
        "{}",
        output.stderr
    );
}
