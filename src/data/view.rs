//! The data a run uses, as it is: the rows read or generated (after
//! `missing = "drop"`), in the data's own order, each with its raw cells and
//! the split the run puts it in. What `synapse data` shows and writes, so a
//! learner can look at the examples before the network does.
//!
//! It is `prepare`'s own first half (`super::source`: reading, task
//! inference, the seeded split), stopped before encoding, so the rows and
//! their splits cannot differ from the run's.

use crate::config::{Config, Task};

use super::error::DataError;
use super::raw_inputs::cell_text;
use super::table::Feature;
use super::task::Labels;
use super::{Source, source};

/// The split a row is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitName {
    Train,
    Validation,
    Test,
}

impl SplitName {
    pub const ALL: [SplitName; 3] = [SplitName::Train, SplitName::Validation, SplitName::Test];

    /// As the `split` column of the CSV writes it.
    pub fn name(self) -> &'static str {
        match self {
            SplitName::Train => "train",
            SplitName::Validation => "validation",
            SplitName::Test => "test",
        }
    }
}

/// The data of one config, unencoded, with each row's split.
pub struct DataView {
    pub(super) source: Source,
    /// Each table row's split, in table order.
    pub(super) splits: Vec<SplitName>,
}

/// The rows a run with `config` would use, and their splits.
pub fn view(config: &Config) -> Result<DataView, DataError> {
    let source = source(config)?;
    let mut splits = vec![SplitName::Train; source.table.len()];
    for (name, indices) in [
        (SplitName::Validation, &source.split.validation),
        (SplitName::Test, &source.split.test),
    ] {
        for &i in indices {
            if let Some(split) = splits.get_mut(i) {
                *split = name;
            }
        }
    }
    Ok(DataView { source, splits })
}

/// One feature column's cells, as numbers (a category's index into its
/// texts, TRUE/FALSE as 1/0) and as the data had them.
pub(super) struct FeatureCells<'a> {
    pub feature: &'a Feature,
    pub cells: Vec<f64>,
}

impl FeatureCells<'_> {
    pub fn text(&self, row: usize) -> String {
        self.cells
            .get(row)
            .map(|&cell| cell_text(self.feature, cell))
            .unwrap_or_default()
    }
}

impl DataView {
    /// The file path, or `generator `xor``.
    pub fn origin(&self) -> &str {
        &self.source.table.origin
    }

    /// Rows used (after dropping).
    pub fn len(&self) -> usize {
        self.source.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The feature columns' names, in the data's order of use.
    pub fn inputs(&self) -> impl Iterator<Item = &str> {
        self.source.table.features.iter().map(|f| f.name.as_str())
    }

    /// The target column's name.
    pub fn target(&self) -> &str {
        &self.source.table.target.name
    }

    pub fn task(&self) -> Task {
        self.source.target.task
    }

    /// Each row's split, in the data's order.
    pub fn splits(&self) -> &[SplitName] {
        &self.splits
    }

    /// The 1-based data row of each row (CSV: the row after the header).
    pub(super) fn rows(&self) -> &[usize] {
        &self.source.table.rows
    }

    /// Feature `k`'s cells, one per row.
    pub(super) fn feature(&self, k: usize) -> Option<FeatureCells<'_>> {
        let table = &self.source.table;
        let feature = table.features.get(k)?;
        let stride = table.features.len();
        let cells = table
            .cells
            .iter()
            .skip(k)
            .step_by(stride)
            .copied()
            .collect();
        Some(FeatureCells { feature, cells })
    }

    pub(super) fn feature_count(&self) -> usize {
        self.source.table.features.len()
    }

    /// Row `row`'s target as the data had it: the label, or the number as written.
    pub(super) fn target_text(&self, row: usize) -> String {
        let table = &self.source.table;
        match table.target_raw.get(row) {
            Some(raw) if table.target_raw.len() == table.len() => raw.clone(),
            _ => table.target.values.text(row).unwrap_or_default(),
        }
    }

    /// Class labels in output order; empty for regression.
    pub(super) fn classes(&self) -> &[String] {
        &self.source.target.classes
    }

    /// Each row's target: its class index, or its number.
    pub(super) fn labels(&self) -> &Labels {
        &self.source.target.labels
    }

    /// Empty cells of used column `k` (the features, then the target) in
    /// the source, dropped rows included.
    pub(super) fn missing_cells(&self, k: usize) -> usize {
        self.source.table.missing.cells.get(k).copied().unwrap_or(0)
    }

    pub(super) fn dropped_rows(&self) -> usize {
        self.source.table.missing.dropped_rows
    }
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
