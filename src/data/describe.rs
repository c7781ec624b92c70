//! The data a run uses, described in text (`synapse data`): how many rows
//! were read, dropped and put in each split; per column its kind, count,
//! empty cells, and its range, mean and standard deviation (numbers) or its
//! distinct and most frequent values (categories, TRUE/FALSE, classes); and
//! the target per split (each class's count and share, or the mean and
//! standard deviation of a number), which shows whether the splits are
//! alike.
//!
//! The standard deviation is the sample one of `statistics`, the one every
//! table of the program prints (normalization divides by the population
//! one of the training split: `trace` shows that one).

use std::collections::BTreeMap;

use crate::statistics::{Stats, stats};
use crate::text::{self, Table, number, plural};

use super::cell::Kind;
use super::task::Labels;
use super::view::{DataView, SplitName};

/// Printed where a statistic does not apply (a category's mean) or does not
/// exist (the standard deviation of one value).
const NONE: &str = "—";

impl DataView {
    /// The whole description: the summary line, the columns' table, the
    /// target per split.
    pub fn describe(&self) -> String {
        let mut out = self.summary_line();
        out.push_str("\n\n");
        out.push_str(&self.columns_table().render());
        out.push('\n');
        out.push_str(&self.per_split());
        out
    }

    /// `data/x.csv: 303 rows, 6 dropped for empty cells; 297 used: 207 train, …`
    fn summary_line(&self) -> String {
        let dropped = self.dropped_rows();
        let read = if dropped > 0 {
            format!(
                "{}, {dropped} dropped for an empty cell (missing = \"drop\"); {} used",
                plural(self.len() + dropped, "row", "rows"),
                self.len()
            )
        } else {
            plural(self.len(), "row", "rows")
        };
        let counts: Vec<String> = SplitName::ALL
            .iter()
            .map(|&s| format!("{} {}", self.count_in(s), s.name()))
            .collect();
        format!("{}: {read}: {}", self.origin(), counts.join(", "))
    }

    fn count_in(&self, split: SplitName) -> usize {
        self.splits().iter().filter(|&&s| s == split).count()
    }

    fn columns_table(&self) -> Table {
        let mut table = Table::new(&[
            "column",
            "kind",
            "count",
            "missing",
            "min",
            "mean",
            "max",
            "std",
            "distinct",
            "most frequent",
        ])
        .left_then_right(2)
        .align(9, text::Align::Left);
        for k in 0..self.feature_count() {
            let Some(feature) = self.feature(k) else {
                continue;
            };
            let missing = self.missing_cells(k);
            let cells = match feature.feature.kind {
                Kind::Number => numbers("number", &feature.cells, missing),
                Kind::Boolean | Kind::Text => {
                    let kind = if feature.feature.kind == Kind::Boolean {
                        "TRUE/FALSE"
                    } else {
                        "category"
                    };
                    let texts = (0..feature.cells.len()).map(|i| feature.text(i));
                    categories(kind, texts, feature.cells.len(), missing)
                }
            };
            table.row(std::iter::once(feature.feature.name.clone()).chain(cells));
        }
        let missing = self.missing_cells(self.feature_count());
        let target = match self.labels() {
            Labels::Value(values) => numbers("target: number", values, missing),
            Labels::Class(classes) => {
                let texts = classes
                    .iter()
                    .map(|&c| self.classes().get(c).cloned().unwrap_or_default());
                categories("target: class", texts, classes.len(), missing)
            }
        };
        table.row(std::iter::once(self.target().to_string()).chain(target));
        table
    }

    /// The target in each split: the classes' counts and shares, or the
    /// number's mean and standard deviation.
    fn per_split(&self) -> String {
        let groups: Vec<(&str, Vec<usize>)> = SplitName::ALL
            .iter()
            .map(|&s| {
                let rows = (0..self.len())
                    .filter(|&i| self.splits().get(i) == Some(&s))
                    .collect();
                (s.name(), rows)
            })
            .chain([("all", (0..self.len()).collect())])
            .collect();
        match self.labels() {
            Labels::Class(labels) => {
                let header: Vec<String> = ["split".to_string(), "examples".to_string()]
                    .into_iter()
                    .chain(self.classes().iter().cloned())
                    .collect();
                let mut table = Table::new(&header).left_then_right(1).indent("  ");
                for (name, rows) in &groups {
                    let mut counts = vec![0usize; self.classes().len()];
                    for &i in rows {
                        if let Some(count) = labels.get(i).and_then(|&c| counts.get_mut(c)) {
                            *count += 1;
                        }
                    }
                    let shares = counts.iter().map(|&c| share(c, rows.len()));
                    table.row(
                        [name.to_string(), rows.len().to_string()]
                            .into_iter()
                            .chain(shares),
                    );
                }
                format!(
                    "Classes of `{}` per split (count and share):\n{}",
                    self.target(),
                    table.render()
                )
            }
            Labels::Value(values) => {
                let mut table = Table::new(&["split", "examples", "mean", "std"])
                    .left_then_right(1)
                    .indent("  ");
                for (name, rows) in &groups {
                    let picked: Vec<f64> = rows
                        .iter()
                        .filter_map(|&i| values.get(i).copied())
                        .collect();
                    let (mean, std) = mean_and_std(stats(&picked));
                    table.row([name.to_string(), rows.len().to_string(), mean, std]);
                }
                format!(
                    "Target `{}` per split (mean and standard deviation):\n{}",
                    self.target(),
                    table.render()
                )
            }
        }
    }
}

/// `count (share %)`; an empty split has no share.
fn share(count: usize, of: usize) -> String {
    if of == 0 {
        return "0".to_string();
    }
    format!("{count} ({}%)", number(100.0 * count as f64 / of as f64))
}

fn mean_and_std(stats: Option<Stats>) -> (String, String) {
    match stats {
        Some(s) => (number(s.mean), s.std.map_or(NONE.to_string(), number)),
        None => (NONE.to_string(), NONE.to_string()),
    }
}

/// A number column's cells from `kind` on: count, missing, min, mean, max,
/// std; no distinct values.
fn numbers(kind: &str, values: &[f64], missing: usize) -> Vec<String> {
    let min = values.iter().copied().reduce(f64::min);
    let max = values.iter().copied().reduce(f64::max);
    let shown = |v: Option<f64>| v.map_or(NONE.to_string(), number);
    let (mean, std) = mean_and_std(stats(values));
    vec![
        kind.to_string(),
        values.len().to_string(),
        missing.to_string(),
        shown(min),
        mean,
        shown(max),
        std,
        String::new(),
        String::new(),
    ]
}

/// A column of labels' cells from `kind` on: count, missing, the number of
/// distinct values and the most frequent one with its count (of a tie, the
/// first in alphabetical order).
fn categories(
    kind: &str,
    texts: impl Iterator<Item = String>,
    count: usize,
    missing: usize,
) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for text in texts {
        *counts.entry(text).or_default() += 1;
    }
    let most = counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| **n)
        .map_or(String::new(), |(text, n)| format!("{text} ({n})"));
    let blank = || NONE.to_string();
    vec![
        kind.to_string(),
        count.to_string(),
        missing.to_string(),
        blank(),
        blank(),
        blank(),
        blank(),
        counts.len().to_string(),
        most,
    ]
}
