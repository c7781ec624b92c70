//! The data a run uses as one CSV file (`synapse data --out`): `row` (the
//! data row it came from), the feature cells as the data had them, the
//! target as its label or number, and `split`.
//!
//! Rows are in the data's own order, not grouped by split: the file then
//! lists the same rows in the same order as the source (less the dropped
//! ones), so read back with the experiment's split settings it gets the
//! same split again (the split depends only on the rows' count, order and
//! classes), and its training rows, filtered by `split`, are the run's
//! training set in the run's order (each split keeps the data's order).

use super::error::DataError;
use super::table::quote;
use super::view::DataView;

/// The columns the file adds to the data's.
const OWN_COLUMNS: [&str; 2] = ["row", "split"];

impl DataView {
    /// The CSV text; an error if a column of the data is named like one the
    /// file adds (a feature cannot be named `row` already, see
    /// `reserved_names`).
    pub fn csv(&self) -> Result<String, DataError> {
        let names: Vec<&str> = self.inputs().chain([self.target()]).collect();
        if let Some(name) = names.iter().find(|n| OWN_COLUMNS.contains(n)) {
            return Err(DataError::new(
                self.origin(),
                format!(
                    "the data has a column named `{name}`, and the CSV `synapse data` writes adds \
                     its own columns `row` and `split`, so the file would have two columns of one \
                     name; rename the column in the data to write it"
                ),
            )
            .in_column(*name));
        }
        let features: Vec<_> = (0..self.feature_count())
            .filter_map(|k| self.feature(k))
            .collect();
        let mut out = String::new();
        let header: Vec<String> = std::iter::once("row")
            .chain(names.iter().copied())
            .chain(["split"])
            .map(quote)
            .collect();
        out.push_str(&header.join(","));
        out.push('\n');
        for (i, (&row, split)) in self.rows().iter().zip(self.splits()).enumerate() {
            let cells: Vec<String> = std::iter::once(row.to_string())
                .chain(features.iter().map(|f| f.text(i)))
                .chain([self.target_text(i), split.name().to_string()])
                .map(|cell| quote(&cell))
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        Ok(out)
    }
}
