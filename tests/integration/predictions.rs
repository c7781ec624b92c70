//! predictions.csv carries each test example's input columns as they were in
//! the data, between `row` and `target`, so that a person can read the
//! example the model got wrong.

use std::collections::BTreeMap;

use crate::common::{Sandbox, labelled_csv};

type Row = BTreeMap<String, String>;

/// Runs the example `name` and reads its predictions.csv strictly.
fn predictions(sandbox: &Sandbox, name: &str) -> (Vec<String>, Vec<Row>) {
    sandbox
        .run(&["run", &format!("experiments/{name}.toml"), "--quiet"])
        .expect_code(0);
    labelled_csv(&sandbox.run_dir(name).join("predictions.csv"))
}

#[test]
fn heart_writes_the_generated_inputs_and_they_give_back_the_same_predictions() {
    let sandbox = Sandbox::new();
    let (header, rows) = predictions(&sandbox, "heart");
    assert_eq!(
        header.join(","),
        "row,height_cm,weight_kg,age_years,target,prediction,probability_0,probability_1"
    );
    assert_eq!(rows.len(), 100, "the test split is 10% of 1000 rows");
    // Raw values in the data's units, not normalized ones: an age is a
    // whole number of years, heights and weights lie in human ranges.
    for row in &rows {
        let number = |column: &str| -> f64 {
            row[column]
                .parse()
                .unwrap_or_else(|_| panic!("{column}: {row:?}"))
        };
        let age = number("age_years");
        assert!(
            age.fract() == 0.0 && !row["age_years"].contains('.'),
            "{row:?}"
        );
        assert!((16.0..=60.0).contains(&age), "{row:?}");
        assert!((120.0..=230.0).contains(&number("height_cm")), "{row:?}");
        assert!((30.0..=200.0).contains(&number("weight_kg")), "{row:?}");
    }
    // The cells are the exact values the model saw: given to predict, they
    // give predictions.csv's probabilities to the last digit.
    let inputs = ["height_cm", "weight_kg", "age_years"];
    let mut csv = inputs.join(",") + "\n";
    for row in &rows {
        let cells: Vec<&str> = inputs.iter().map(|c| row[*c].as_str()).collect();
        csv.push_str(&(cells.join(",") + "\n"));
    }
    sandbox.write("test-split.csv", csv);
    let dir = sandbox.run_dir("heart");
    let output = sandbox
        .run(&["predict", dir.to_str().expect("UTF-8"), "test-split.csv"])
        .expect_code(0);
    sandbox.write("predicted.csv", output.stdout);
    let (_, predicted) = labelled_csv::<Row>(&sandbox.path().join("predicted.csv"));
    assert_eq!(predicted.len(), rows.len());
    for (row, p) in rows.iter().zip(&predicted) {
        for column in ["prediction", "probability_0", "probability_1"] {
            assert_eq!(row[column], p[column], "{row:?}");
        }
    }
}

#[test]
fn heart_disease_rows_read_as_in_the_data_file_with_a_category_once_as_text() {
    let sandbox = Sandbox::new();
    let (header, rows) = predictions(&sandbox, "heart-disease");
    let data = sandbox.path().join("data/heart-disease-cleveland.csv");
    let (data_header, data_rows) = labelled_csv::<Row>(&data);
    // `row`, every column of the data but the target (`features` is not
    // set), in the data's order, each once: `cp` is one column of text,
    // not one-hot `cp=<category>` inputs.
    let features: Vec<&String> = data_header.iter().filter(|c| *c != "disease").collect();
    assert_eq!(header[0], "row");
    assert_eq!(
        header[1..=features.len()].iter().collect::<Vec<_>>(),
        features
    );
    assert_eq!(
        header[features.len() + 1..],
        ["target", "prediction", "probability_0", "probability_1"]
    );
    assert!(!header.iter().any(|c| c.contains('=')), "{header:?}");
    assert!(rows.len() > 50, "{}", rows.len());
    for row in &rows {
        // `row` counts data rows from 1 after the header, and no data row
        // of this file spans lines or follows a blank line.
        let number: usize = row["row"].parse().expect("a row number");
        let source = &data_rows[number - 1];
        for column in &features {
            assert_eq!(row[*column], source[*column], "row {number}, `{column}`");
        }
        assert_eq!(row["target"], source["disease"], "row {number}");
    }
    // The text column holds the categories' text.
    let kinds: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["cp"].as_str()).collect();
    assert!(kinds.contains("asymptomatic"), "{kinds:?}");
}
