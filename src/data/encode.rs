//! From table columns to the network's input and target matrices.
//!
//! A number or TRUE/FALSE feature is one input; a text feature is one input
//! per category of the training split (one-hot), so that nothing about the
//! held-out splits leaks into the encoding. A held-out category the training
//! split never saw encodes as all zeros.

use nalgebra::DMatrix;

use crate::config::Task;

use super::CategoricalFeature;
use super::cell::Kind;
use super::split::Split;
use super::table::Table;
use super::task::{Labels, Target};

/// About how many bytes of a split's examples are copied between two
/// releases of the memory they came from.
const CHUNK_BYTES: usize = 1 << 20;

/// How each feature becomes inputs, fitted on the training split.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoder {
    /// Input names, in order.
    pub inputs: Vec<String>,
    pub categories: Vec<CategoricalFeature>,
    /// Per feature of the table: for a text feature, its one-hot encoding.
    one_hot: Vec<Option<OneHot>>,
}

/// A text feature's inputs: one per category of the training split.
#[derive(Debug, Clone, PartialEq)]
struct OneHot {
    /// Per text of the feature (a cell's value): its input among the
    /// feature's, or `None` for a text the training split never had.
    input_of: Vec<Option<usize>>,
    /// The number of categories, so of inputs.
    width: usize,
}

impl Encoder {
    pub fn fit(table: &Table, train: &[usize]) -> Encoder {
        let stride = table.features.len();
        let mut inputs = Vec::new();
        let mut categories = Vec::new();
        let mut one_hot = Vec::with_capacity(stride);
        for (k, feature) in table.features.iter().enumerate() {
            if feature.kind != Kind::Text {
                inputs.push(feature.name.clone());
                one_hot.push(None);
                continue;
            }
            let mut in_train = vec![false; feature.texts.len()];
            for &row in train {
                let cell = table.cells.get(row * stride + k).copied().unwrap_or(-1.0);
                if let Some(seen) = in_train.get_mut(cell as usize)
                    && cell >= 0.0
                {
                    *seen = true;
                }
            }
            let mut seen: Vec<&String> = feature
                .texts
                .iter()
                .zip(&in_train)
                .filter_map(|(text, &seen)| seen.then_some(text))
                .collect();
            seen.sort_unstable();
            let seen: Vec<String> = seen.into_iter().cloned().collect();
            inputs.extend(seen.iter().map(|c| format!("{}={c}", feature.name)));
            let input_of = feature
                .texts
                .iter()
                .map(|text| seen.binary_search(text).ok())
                .collect();
            one_hot.push(Some(OneHot {
                input_of,
                width: seen.len(),
            }));
            categories.push(CategoricalFeature {
                column: feature.name.clone(),
                categories: seen,
            });
        }
        Encoder {
            inputs,
            categories,
            one_hot,
        }
    }

    /// Whether a row's cells are already its inputs (no text feature).
    fn is_identity(&self) -> bool {
        self.one_hot.iter().all(Option::is_none)
    }

    /// The inputs of one row: `out` (one slot per input) from `cells` (one per
    /// feature). Writes every slot.
    fn encode_row(&self, cells: &[f64], out: &mut [f64]) {
        let mut input = 0;
        for (&cell, one_hot) in cells.iter().zip(&self.one_hot) {
            match one_hot {
                None => {
                    if let Some(slot) = out.get_mut(input) {
                        *slot = cell;
                    }
                    input += 1;
                }
                Some(one_hot) => {
                    let end = (input + one_hot.width).min(out.len());
                    if let Some(block) = out.get_mut(input..end) {
                        block.fill(0.0);
                        let position = one_hot.input_of.get(cell as usize).copied().flatten();
                        if let Some(slot) = position.and_then(|p| block.get_mut(p)) {
                            *slot = 1.0;
                        }
                    }
                    input += one_hot.width;
                }
            }
        }
    }

    /// The raw (not normalized) inputs × examples of the training,
    /// validation and test splits, from a table's `cells`, which this takes.
    ///
    /// The data set stays in memory once: the rows are put in split order in
    /// place, each held-out split is copied off the end a little at a time,
    /// giving back the memory it came from as it goes, and the training rows
    /// left at the front become the training inputs where they lie.
    pub fn encode(&self, mut cells: Vec<f64>, split: &Split) -> [DMatrix<f64>; 3] {
        let stride = self.one_hot.len();
        let n = split.train.len() + split.validation.len() + split.test.len();
        if stride == 0 || cells.len() != n * stride {
            // Not a table's cells; no row to encode.
            return [&split.train, &split.validation, &split.test]
                .map(|rows| DMatrix::zeros(self.inputs.len(), rows.len()));
        }
        let in_order = split.train.iter().enumerate().all(|(i, &row)| i == row);
        if !(in_order && split.validation.is_empty() && split.test.is_empty()) {
            let order: Vec<usize> = [&split.train, &split.validation, &split.test]
                .into_iter()
                .flatten()
                .copied()
                .collect();
            permute_rows(&mut cells, stride, &order);
        }
        let test = self.take_last_rows(&mut cells, stride, split.test.len());
        let validation = self.take_last_rows(&mut cells, stride, split.validation.len());
        let train = self.encode_in_place(cells, stride, split.train.len());
        [train, validation, test]
    }

    /// The inputs of the last `count` rows of `cells`, which shrinks by them.
    fn take_last_rows(&self, cells: &mut Vec<f64>, stride: usize, count: usize) -> DMatrix<f64> {
        let width = self.inputs.len();
        let n = cells.len() / stride;
        let first = n.saturating_sub(count);
        // Zeroed memory that is only touched as the rows are written.
        let mut out = vec![0.0; width * (n - first)];
        let chunk = (CHUNK_BYTES / (8 * stride)).max(1);
        let mut end = n;
        while end > first {
            let start = end.saturating_sub(chunk).max(first);
            for row in start..end {
                let example = row - first;
                self.encode_row(
                    &cells[row * stride..(row + 1) * stride],
                    &mut out[example * width..(example + 1) * width],
                );
            }
            cells.truncate(start * stride);
            cells.shrink_to_fit();
            end = start;
        }
        DMatrix::from_vec(width, n - first, out)
    }

    /// The inputs of the `count` rows of `cells`, in the same memory.
    fn encode_in_place(&self, mut cells: Vec<f64>, stride: usize, count: usize) -> DMatrix<f64> {
        let width = self.inputs.len();
        if self.is_identity() && width == stride {
            cells.shrink_to_fit();
            return DMatrix::from_vec(width, count, cells);
        }
        let mut row = vec![0.0; stride];
        if width > stride {
            // Wider rows: from the last, so that no row is overwritten
            // before it is read.
            cells.reserve_exact(count * width - cells.len());
            cells.resize(count * width, 0.0);
            for r in (0..count).rev() {
                row.copy_from_slice(&cells[r * stride..(r + 1) * stride]);
                self.encode_row(&row, &mut cells[r * width..(r + 1) * width]);
            }
        } else {
            for r in 0..count {
                row.copy_from_slice(&cells[r * stride..(r + 1) * stride]);
                self.encode_row(&row, &mut cells[r * width..(r + 1) * width]);
            }
            cells.truncate(count * width);
            cells.shrink_to_fit();
        }
        DMatrix::from_vec(width, count, cells)
    }
}

/// Reorders the rows of `cells` (`stride` values each) in place so that
/// row `order[i]` comes `i`-th. `order` must be a permutation.
fn permute_rows(cells: &mut [f64], stride: usize, order: &[usize]) {
    const DONE: usize = usize::MAX;
    // Where each row goes.
    let mut destination = vec![DONE; order.len()];
    for (i, &row) in order.iter().enumerate() {
        if let Some(d) = destination.get_mut(row) {
            *d = i;
        }
    }
    let mut carried = vec![0.0; stride];
    for start in 0..destination.len() {
        let to = destination[start];
        if to == start || to == DONE {
            continue;
        }
        // Follow the cycle through `start`: carry each row to where it
        // goes, picking up the row that was there.
        carried.copy_from_slice(&cells[start * stride..(start + 1) * stride]);
        destination[start] = DONE;
        let mut at = to;
        while at != start && at != DONE {
            cells[at * stride..(at + 1) * stride].swap_with_slice(&mut carried);
            at = std::mem::replace(&mut destination[at], DONE);
        }
        cells[start * stride..(start + 1) * stride].copy_from_slice(&carried);
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
    use crate::config::{self, Loss};
    use crate::data::split;
    use crate::data::table::{Column, Values};
    use crate::data::task;

    fn text(values: &[&str]) -> Values {
        Values::Text(values.iter().map(|s| s.to_string()).collect())
    }

    fn table() -> Table {
        Table::from_columns(
            "t.csv".into(),
            (1..=4).collect(),
            vec![
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
            Column {
                name: "y".into(),
                values: text(&["b", "a", "c", "a"]),
            },
            Vec::new(),
        )
    }

    fn split_of(train: &[usize], validation: &[usize], test: &[usize]) -> Split {
        Split {
            train: train.to_vec(),
            validation: validation.to_vec(),
            test: test.to_vec(),
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
        let [train, validation, test] =
            encoder.encode(table.cells.clone(), &split_of(&[0, 1, 2], &[], &[3]));
        // Row 3 is `green`, unseen in training: all zeros.
        assert_eq!(test.shape(), (4, 1));
        assert_eq!(test.column(0).as_slice(), [4.0, 0.0, 0.0, 1.0]);
        assert_eq!(validation.shape(), (4, 0));
        assert_eq!(
            train.as_slice(),
            [1.0, 0.0, 1.0, 1.0, 2.0, 1.0, 0.0, 0.0, 3.0, 0.0, 1.0, 0.0]
        );
    }

    #[test]
    fn numbers_alone_are_their_own_inputs() {
        let table = Table::from_columns(
            "t.csv".into(),
            vec![1, 2, 3],
            vec![
                Column {
                    name: "a".into(),
                    values: Values::Number(vec![1.0, 2.0, -0.0]),
                },
                Column {
                    name: "b".into(),
                    values: Values::Boolean(vec![true, false, true]),
                },
            ],
            Column {
                name: "y".into(),
                values: Values::Number(vec![0.0, 1.0, 0.0]),
            },
            Vec::new(),
        );
        let encoder = Encoder::fit(&table, &[0, 1, 2]);
        let [train, validation, test] =
            encoder.encode(table.cells.clone(), &split_of(&[0, 1, 2], &[], &[]));
        assert_eq!(train.as_slice(), table.cells.as_slice());
        assert!(train[(0, 2)].is_sign_negative(), "the bits are kept");
        assert!(validation.is_empty() && test.is_empty());
    }

    /// Every split's inputs match encoding its rows one by one, whatever
    /// the split, the categories and the number of rows.
    #[test]
    fn splits_encode_as_their_rows_one_by_one() {
        let colours = ["red", "green", "blue", "grey", "teal"];
        for n in [1usize, 2, 3, 7, 40, 1000, 3001] {
            let number: Vec<f64> = (0..n).map(|i| i as f64 * 0.5 - 3.0).collect();
            let colour: Vec<String> = (0..n)
                .map(|i| colours[(i * 7 + i / 3) % colours.len()].to_string())
                .collect();
            let shade: Vec<String> = (0..n).map(|i| format!("s{}", i % 3)).collect();
            let flag: Vec<bool> = (0..n).map(|i| i % 4 == 1).collect();
            let target: Vec<f64> = (0..n).map(|i| (i % 2) as f64).collect();
            let table = Table::from_columns(
                "t.csv".into(),
                (1..=n).collect(),
                vec![
                    Column {
                        name: "colour".into(),
                        values: Values::Text(colour),
                    },
                    Column {
                        name: "x".into(),
                        values: Values::Number(number),
                    },
                    Column {
                        name: "flag".into(),
                        values: Values::Boolean(flag),
                    },
                    Column {
                        name: "shade".into(),
                        values: Values::Text(shade),
                    },
                ],
                Column {
                    name: "y".into(),
                    values: Values::Number(target.clone()),
                },
                Vec::new(),
            );
            let classes: Vec<usize> = target.iter().map(|&t| t as usize).collect();
            for (fractions, seed) in [((0.0, 0.0), 1), ((0.2, 0.1), 2), ((0.5, 0.3), 3)] {
                let fractions = config::Split {
                    validation: fractions.0,
                    test: fractions.1,
                };
                let Ok(split) = split::split(n, Some((&classes, 2)), fractions, seed) else {
                    continue;
                };
                let encoder = Encoder::fit(&table, &split.train);
                let width = encoder.inputs.len();
                let matrices = encoder.encode(table.cells.clone(), &split);
                for (matrix, rows) in
                    matrices
                        .iter()
                        .zip([&split.train, &split.validation, &split.test])
                {
                    assert_eq!(matrix.shape(), (width, rows.len()));
                    for (example, &row) in rows.iter().enumerate() {
                        let mut expected = vec![f64::NAN; width];
                        encoder.encode_row(&table.cells[row * 4..(row + 1) * 4], &mut expected);
                        assert_eq!(
                            matrix.column(example).as_slice(),
                            expected,
                            "n {n} row {row}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn rows_are_permuted_in_place() {
        let mut cells: Vec<f64> = (0..12).map(f64::from).collect();
        permute_rows(&mut cells, 2, &[4, 0, 5, 2, 1, 3]);
        assert_eq!(
            cells,
            [8.0, 9.0, 0.0, 1.0, 10.0, 11.0, 4.0, 5.0, 2.0, 3.0, 6.0, 7.0]
        );
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
