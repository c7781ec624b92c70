//! The data set, before any split or encoding.
//!
//! Both sources (a CSV file, a generator) produce a `Table`; everything after
//! (task inference, split, encoding, normalization) reads only this, so the
//! two sources behave the same.
//!
//! The feature cells are held row-major, one `f64` per cell, which is already
//! the layout of the network's input matrix (one example per column of a
//! column-major matrix): a table of numbers becomes the inputs without a copy,
//! so the data set is in memory once.

use sha2::{Digest, Sha256};

use super::cell::Kind;

/// The used columns of a data set: no missing cells (they were dropped or
/// rejected while reading), every column of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file path, or `generator `heart``, for messages.
    pub origin: String,
    /// The 1-based data row each row came from (see `RowPosition::row`), in
    /// the source's order.
    pub rows: Vec<usize>,
    /// The feature columns, in order.
    pub features: Vec<Feature>,
    /// The feature cells, row-major: row `r` holds `cells[r * features.len()..]`
    /// in the order of `features`. A number is itself, TRUE/FALSE is 1/0, and
    /// a text cell is the index of its text in its feature's `texts`.
    pub cells: Vec<f64>,
    pub target: Column,
    /// The target cells as written (trimmed), for predictions.csv. Left empty
    /// when the target is text: its values are then that text already.
    pub target_raw: Vec<String>,
    /// The empty cells the source had, which `missing = "drop"` dropped the
    /// rows of: none for generated data.
    pub missing: MissingCells,
}

/// The empty cells of a data file's used columns, before their rows were
/// dropped, for `synapse data` to report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MissingCells {
    /// Per used column, the features in order and then the target; empty
    /// when there were none.
    pub cells: Vec<usize>,
    /// Rows left out for an empty cell.
    pub dropped_rows: usize,
}

/// A feature column's name and kind; its cells are in `Table::cells`.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub name: String,
    pub kind: Kind,
    /// A text column's distinct values; its cells are indices into these.
    /// Empty for the other kinds.
    pub texts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub values: Values,
}

/// One column's cells, all of one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Number(Vec<f64>),
    Boolean(Vec<bool>),
    Text(Vec<String>),
}

impl Values {
    #[cfg(test)]
    pub fn len(&self) -> usize {
        match self {
            Values::Number(values) => values.len(),
            Values::Boolean(values) => values.len(),
            Values::Text(values) => values.len(),
        }
    }

    /// The cell of `row` as canonical text: numbers in Rust's shortest
    /// round-trip form, booleans as `true`/`false`.
    pub fn text(&self, row: usize) -> Option<String> {
        match self {
            Values::Number(values) => values.get(row).map(|&v| number_text(v)),
            Values::Boolean(values) => values.get(row).map(|&b| boolean_text(b).to_string()),
            Values::Text(values) => values.get(row).cloned(),
        }
    }
}

/// A number's canonical text; `-0` and `0` are the same value, so the same text.
pub fn number_text(value: f64) -> String {
    if value == 0.0 {
        "0".to_string()
    } else {
        value.to_string()
    }
}

pub fn boolean_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

impl Feature {
    /// The canonical text of one of this feature's cells.
    fn cell_text(&self, cell: f64) -> String {
        match self.kind {
            Kind::Number => number_text(cell),
            Kind::Boolean => boolean_text(cell != 0.0).to_string(),
            Kind::Text => self.texts.get(cell as usize).cloned().unwrap_or_default(),
        }
    }
}

impl Table {
    /// A table of whole columns (the generators'): the feature cells are laid
    /// out row by row, text interned in order of first appearance.
    pub fn from_columns(
        origin: String,
        rows: Vec<usize>,
        features: Vec<Column>,
        target: Column,
        target_raw: Vec<String>,
    ) -> Table {
        let n = rows.len();
        let stride = features.len();
        let mut cells = vec![0.0; n * stride];
        let mut names = Vec::with_capacity(stride);
        for (k, column) in features.into_iter().enumerate() {
            let mut texts = Vec::new();
            let (kind, values): (Kind, Vec<f64>) = match column.values {
                Values::Number(values) => (Kind::Number, values),
                Values::Boolean(values) => {
                    (Kind::Boolean, values.into_iter().map(f64::from).collect())
                }
                Values::Text(values) => {
                    let mut ids = std::collections::HashMap::new();
                    let values = values
                        .into_iter()
                        .map(|text| {
                            let next = ids.len();
                            let id = *ids.entry(text.clone()).or_insert(next);
                            if id == next {
                                texts.push(text);
                            }
                            id as f64
                        })
                        .collect();
                    (Kind::Text, values)
                }
            };
            for (cell, value) in cells.iter_mut().skip(k).step_by(stride).zip(values) {
                *cell = value;
            }
            names.push(Feature {
                name: column.name,
                kind,
                texts,
            });
        }
        Table {
            origin,
            rows,
            features: names,
            cells,
            target,
            target_raw,
            missing: MissingCells::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Feature `k` as a whole column, as it was read.
    #[cfg(test)]
    pub fn feature_column(&self, k: usize) -> Column {
        let stride = self.features.len();
        let feature = &self.features[k];
        let cells = self.cells.iter().skip(k).step_by(stride.max(1)).copied();
        let values = match feature.kind {
            Kind::Number => Values::Number(cells.collect()),
            Kind::Boolean => Values::Boolean(cells.map(|c| c != 0.0).collect()),
            Kind::Text => Values::Text(cells.map(|c| feature.cell_text(c)).collect()),
        };
        Column {
            name: feature.name.clone(),
            values,
        }
    }

    /// Takes each row's raw target text out of the table (see `target_raw`).
    pub fn take_raw_targets(&mut self) -> Vec<String> {
        if self.target_raw.len() == self.len() {
            return std::mem::take(&mut self.target_raw);
        }
        match &mut self.target.values {
            Values::Text(values) => std::mem::take(values),
            values => (0..self.rows.len())
                .map(|row| values.text(row).unwrap_or_default())
                .collect(),
        }
    }

    /// The table as CSV text (features, then the target), each cell in its
    /// canonical form: what the content hash of generated data is taken over.
    pub fn canonical_csv(&self) -> String {
        let stride = self.features.len();
        let mut out = String::new();
        let header: Vec<String> = self
            .features
            .iter()
            .map(|f| quote(&f.name))
            .chain([quote(&self.target.name)])
            .collect();
        out.push_str(&header.join(","));
        out.push('\n');
        for row in 0..self.len() {
            let features = self.features.iter().enumerate().map(|(k, feature)| {
                let cell = self.cells.get(row * stride + k).copied().unwrap_or(0.0);
                feature.cell_text(cell)
            });
            let cells: Vec<String> = features
                .chain([self.target.values.text(row).unwrap_or_default()])
                .map(|text| quote(&text))
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

/// RFC 4180 quoting, only where needed.
pub(super) fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_hex_sha256() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn canonical_csv_writes_features_then_target_with_quoting() {
        let table = Table::from_columns(
            "test".into(),
            vec![1, 2],
            vec![
                Column {
                    name: "x".into(),
                    values: Values::Number(vec![0.5, -0.0]),
                },
                Column {
                    name: "b".into(),
                    values: Values::Boolean(vec![true, false]),
                },
                Column {
                    name: "c".into(),
                    values: Values::Text(vec!["p,q".into(), "r".into()]),
                },
            ],
            Column {
                name: "label".into(),
                values: Values::Text(vec!["a,b".into(), "say \"hi\"".into()]),
            },
            vec!["a,b".into(), "say \"hi\"".into()],
        );
        assert_eq!(
            table.canonical_csv(),
            "x,b,c,label\n0.5,true,\"p,q\",\"a,b\"\n0,false,r,\"say \"\"hi\"\"\"\n"
        );
    }

    #[test]
    fn whole_columns_are_laid_out_row_by_row_with_text_interned() {
        let features = vec![
            Column {
                name: "x".into(),
                values: Values::Number(vec![1.5, 2.5, 3.5]),
            },
            Column {
                name: "colour".into(),
                values: Values::Text(vec!["red".into(), "blue".into(), "red".into()]),
            },
            Column {
                name: "flag".into(),
                values: Values::Boolean(vec![false, true, true]),
            },
        ];
        let target = Column {
            name: "y".into(),
            values: Values::Text(vec!["a".into(), "b".into(), "a".into()]),
        };
        let mut table = Table::from_columns(
            "t".into(),
            vec![1, 2, 3],
            features.clone(),
            target,
            Vec::new(),
        );
        assert_eq!(table.cells, [1.5, 0.0, 0.0, 2.5, 1.0, 1.0, 3.5, 0.0, 1.0]);
        assert_eq!(table.features[1].texts, ["red", "blue"]);
        assert_eq!(table.features[2].kind, Kind::Boolean);
        for (k, column) in features.iter().enumerate() {
            assert_eq!(&table.feature_column(k), column);
        }
        // A text target with no raw text of its own gives its values.
        assert_eq!(table.take_raw_targets(), ["a", "b", "a"]);
    }
}
