//! From table columns to the network's input and target matrices.
//!
//! A number or TRUE/FALSE feature is one input; a text feature is one input
//! per category of the training split (one-hot), so that nothing about the
//! held-out splits leaks into the encoding. A held-out category the training
//! split never saw encodes as all zeros.

use std::collections::BTreeSet;

use nalgebra::DMatrix;

use crate::config::Task;

use super::CategoricalFeature;
use super::table::{Table, Values};
use super::task::{Labels, Target};

/// How each feature becomes inputs, fitted on the training split.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoder {
    /// Input names, in order.
    pub inputs: Vec<String>,
    pub categories: Vec<CategoricalFeature>,
    /// Per feature of the table: its categories when one-hot encoded.
    one_hot: Vec<Option<Vec<String>>>,
}

impl Encoder {
    pub fn fit(table: &Table, train: &[usize]) -> Encoder {
        let mut inputs = Vec::new();
        let mut categories = Vec::new();
        let mut one_hot = Vec::with_capacity(table.features.len());
        for column in &table.features {
            match &column.values {
                Values::Number(_) | Values::Boolean(_) => {
                    inputs.push(column.name.clone());
                    one_hot.push(None);
                }
                Values::Text(values) => {
                    let seen: BTreeSet<&String> =
                        train.iter().filter_map(|&row| values.get(row)).collect();
                    let seen: Vec<String> = seen.into_iter().cloned().collect();
                    inputs.extend(seen.iter().map(|c| format!("{}={c}", column.name)));
                    categories.push(CategoricalFeature {
                        column: column.name.clone(),
                        categories: seen.clone(),
                    });
                    one_hot.push(Some(seen));
                }
            }
        }
        Encoder {
            inputs,
            categories,
            one_hot,
        }
    }

    /// inputs × examples, raw (not normalized), for the table rows `rows`.
    pub fn encode(&self, table: &Table, rows: &[usize]) -> DMatrix<f64> {
        let mut matrix = DMatrix::zeros(self.inputs.len(), rows.len());
        let mut input = 0;
        for (column, one_hot) in table.features.iter().zip(&self.one_hot) {
            match (&column.values, one_hot) {
                (Values::Number(values), _) => {
                    for (example, &row) in rows.iter().enumerate() {
                        matrix[(input, example)] = values.get(row).copied().unwrap_or(0.0);
                    }
                    input += 1;
                }
                (Values::Boolean(values), _) => {
                    for (example, &row) in rows.iter().enumerate() {
                        let flag = values.get(row).copied().unwrap_or(false);
                        matrix[(input, example)] = if flag { 1.0 } else { 0.0 };
                    }
                    input += 1;
                }
                (Values::Text(values), Some(categories)) => {
                    for (example, &row) in rows.iter().enumerate() {
                        let position = values
                            .get(row)
                            .and_then(|value| categories.binary_search(value).ok());
                        if let Some(position) = position {
                            matrix[(input + position, example)] = 1.0;
                        }
                    }
                    input += categories.len();
                }
                // Unreachable: `fit` gives every text column its categories.
                (Values::Text(_), None) => {}
            }
        }
        matrix
    }
}

/// outputs × examples for the table rows `rows`: binary 1 × n of 0/1 (1 for
/// the second class), multiclass one-hot classes × n, regression 1 × n of
/// the raw values.
pub fn targets(target: &Target, rows: &[usize]) -> DMatrix<f64> {
    match (&target.labels, target.task) {
        (Labels::Class(classes), Task::Multiclass) => {
            let mut matrix = DMatrix::zeros(target.classes.len(), rows.len());
            for (example, &row) in rows.iter().enumerate() {
                if let Some(&class) = classes.get(row)
                    && class < target.classes.len()
                {
                    matrix[(class, example)] = 1.0;
                }
            }
            matrix
        }
        (Labels::Class(classes), _) => DMatrix::from_iterator(
            1,
            rows.len(),
            rows.iter().map(|&row| {
                if classes.get(row) == Some(&1) {
                    1.0
                } else {
                    0.0
                }
            }),
        ),
        (Labels::Value(values), _) => DMatrix::from_iterator(
            1,
            rows.len(),
            rows.iter()
                .map(|&row| values.get(row).copied().unwrap_or(0.0)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Loss;
    use crate::data::error::RowPosition;
    use crate::data::table::Column;
    use crate::data::task;

    fn table() -> Table {
        let text = |v: &[&str]| Values::Text(v.iter().map(|s| s.to_string()).collect());
        Table {
            origin: "t.csv".into(),
            rows: (1..=4).map(|row| RowPosition { row, line: None }).collect(),
            features: vec![
                Column {
                    name: "x".into(),
                    values: Values::Number(vec![1.0, 2.0, 3.0, 4.0]),
                },
                Column {
                    name: "cp".into(),
                    values: text(&["red", "blue", "red", "green"]),
                },
                Column {
                    name: "flag".into(),
                    values: Values::Boolean(vec![true, false, false, true]),
                },
            ],
            target: Column {
                name: "y".into(),
                values: text(&["b", "a", "c", "a"]),
            },
            target_raw: vec!["b".into(), "a".into(), "c".into(), "a".into()],
        }
    }

    #[test]
    fn categories_come_from_the_training_split_only() {
        let table = table();
        let encoder = Encoder::fit(&table, &[0, 1, 2]);
        assert_eq!(encoder.inputs, ["x", "cp=blue", "cp=red", "flag"]);
        assert_eq!(
            encoder.categories,
            [CategoricalFeature {
                column: "cp".into(),
                categories: vec!["blue".into(), "red".into()],
            }]
        );
        // Row 3 is `green`, unseen in training: all zeros.
        let held_out = encoder.encode(&table, &[3, 0]);
        assert_eq!(held_out.column(0).as_slice(), [4.0, 0.0, 0.0, 1.0]);
        assert_eq!(held_out.column(1).as_slice(), [1.0, 0.0, 1.0, 1.0]);
    }

    #[test]
    fn targets_are_one_hot_for_multiclass_and_zero_one_for_binary() {
        let table = table();
        let target = task::infer(&table, None, Loss::CrossEntropy).unwrap();
        let matrix = targets(&target, &[0, 1, 2]);
        assert_eq!(matrix.shape(), (3, 3));
        assert_eq!(matrix.column(0).as_slice(), [0.0, 1.0, 0.0]);
        assert_eq!(matrix.column(2).as_slice(), [0.0, 0.0, 1.0]);

        let binary = Target {
            task: Task::Binary,
            classes: vec!["no".into(), "yes".into()],
            labels: Labels::Class(vec![1, 0, 1]),
        };
        assert_eq!(targets(&binary, &[2, 1]).as_slice(), [1.0, 0.0]);
    }
}
