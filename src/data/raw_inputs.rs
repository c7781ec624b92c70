//! The feature cells of some examples as they were in the data, before
//! encoding and normalization, so that predictions.csv can show a person
//! the example the model got wrong (the 35-year-old, 95 kg one) rather
//! than its normalized, one-hot inputs.
//!
//! Kept for the test split only, the one predictions.csv writes: the cells
//! are copied out of the table before it is encoded, a fraction of the data
//! set, which is otherwise in memory once.

use super::cell::Kind;
use super::table::{Feature, Table};

/// The feature columns by their names in the data, and the cells of each
/// example, row-major, as the table holds them (a number is itself,
/// TRUE/FALSE is 1/0, a text cell the index of its text).
#[derive(Debug, Clone, PartialEq)]
pub struct RawInputs {
    columns: Vec<Feature>,
    cells: Vec<f64>,
}

impl RawInputs {
    /// The cells of the table's rows `indices` (0-based positions in the
    /// table), in that order.
    pub(super) fn of(table: &Table, indices: &[usize]) -> RawInputs {
        let stride = table.features.len();
        let mut cells = Vec::with_capacity(indices.len() * stride);
        for &i in indices {
            let start = i * stride;
            match table.cells.get(start..start + stride) {
                Some(row) => cells.extend_from_slice(row),
                // Cannot happen: the split's indices are rows of the table.
                None => cells.extend(std::iter::repeat_n(f64::NAN, stride)),
            }
        }
        RawInputs {
            columns: table.features.clone(),
            cells,
        }
    }

    /// The feature columns' names, in the data's order of use.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// Example `example`'s cells as text: a number in its shortest form that
    /// reads back as the same number (`35`, `2.3`), TRUE/FALSE as `TRUE` or
    /// `FALSE`, a category as its text (trimmed, as read).
    pub fn row(&self, example: usize) -> impl Iterator<Item = String> + '_ {
        let stride = self.columns.len();
        let start = example * stride;
        let cells = self.cells.get(start..start + stride).unwrap_or_default();
        self.columns
            .iter()
            .zip(cells)
            .map(|(column, &cell)| cell_text(column, cell))
    }
}

/// One cell of `column` as the data had it: a number in its shortest form
/// that reads back as the same number (`35`, `2.3`), TRUE/FALSE as `TRUE`
/// or `FALSE`, a category as its text; what `synapse data` writes too.
pub(super) fn cell_text(column: &Feature, cell: f64) -> String {
    match column.kind {
        Kind::Number => number(cell),
        Kind::Boolean => if cell != 0.0 { "TRUE" } else { "FALSE" }.to_string(),
        Kind::Text => column.texts.get(cell as usize).cloned().unwrap_or_default(),
    }
}

/// A number in the shortest text that reads back as it: `35` (not `35.0`),
/// `2.3`, and `1e300` rather than Display's 301 digits; `-0` is `0`.
fn number(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let text = format!("{value:?}");
    match text.strip_suffix(".0") {
        Some(integer) => integer.to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::{Column, Values};

    #[test]
    fn cells_read_back_as_written_for_the_chosen_rows() {
        let table = Table::from_columns(
            "t".into(),
            vec![1, 2, 3],
            vec![
                Column {
                    name: "age".into(),
                    values: Values::Number(vec![35.0, 2.5, -0.0]),
                },
                Column {
                    name: "colour".into(),
                    values: Values::Text(vec!["red".into(), "dark blue".into(), "red".into()]),
                },
                Column {
                    name: "smoker".into(),
                    values: Values::Boolean(vec![true, false, true]),
                },
            ],
            Column {
                name: "y".into(),
                values: Values::Number(vec![0.0, 1.0, 0.0]),
            },
            Vec::new(),
        );
        let raw = RawInputs::of(&table, &[2, 0, 1]);
        assert_eq!(raw.names().collect::<Vec<_>>(), ["age", "colour", "smoker"]);
        let rows: Vec<Vec<String>> = (0..3).map(|e| raw.row(e).collect()).collect();
        assert_eq!(
            rows,
            [
                ["0", "red", "TRUE"],
                ["35", "red", "TRUE"],
                ["2.5", "dark blue", "FALSE"],
            ]
        );
        assert_eq!(raw.row(3).count(), 0, "no such example");
    }

    #[test]
    fn numbers_are_short_and_read_back_exactly() {
        for (value, text) in [
            (35.0, "35"),
            (-2.0, "-2"),
            (2.3, "2.3"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e300, "1e300"),
            (1.5e-7, "1.5e-7"),
            (-0.0, "0"),
        ] {
            assert_eq!(number(value), text);
            assert_eq!(text.parse::<f64>().unwrap(), value);
        }
    }
}
