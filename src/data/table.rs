//! The data set as columns of typed values, before any split or encoding.
//!
//! Both sources (a CSV file, a generator) produce a `Table`; everything after
//! (task inference, split, encoding, normalization) reads only this, so the
//! two sources behave the same.

use sha2::{Digest, Sha256};

use super::error::RowPosition;

/// The used columns of a data set: no missing cells (they were dropped or
/// rejected while reading), every column of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file path, or `generator `heart``, for messages.
    pub origin: String,
    /// Where each row came from, in the source's order.
    pub rows: Vec<RowPosition>,
    pub features: Vec<Column>,
    pub target: Column,
    /// The target cells as written, for predictions.csv.
    pub target_raw: Vec<String>,
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

impl Table {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The table as CSV text (features, then the target), each cell in its
    /// canonical form: what the content hash of generated data is taken over.
    pub fn canonical_csv(&self) -> String {
        let columns: Vec<&Column> = self.features.iter().chain([&self.target]).collect();
        let mut out = String::new();
        let header: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
        out.push_str(&header.join(","));
        out.push('\n');
        for row in 0..self.len() {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| quote(&c.values.text(row).unwrap_or_default()))
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

/// RFC 4180 quoting, only where needed.
fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
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
        let table = Table {
            origin: "test".into(),
            rows: vec![
                RowPosition { row: 1, line: None },
                RowPosition { row: 2, line: None },
            ],
            features: vec![
                Column {
                    name: "x".into(),
                    values: Values::Number(vec![0.5, -0.0]),
                },
                Column {
                    name: "b".into(),
                    values: Values::Boolean(vec![true, false]),
                },
            ],
            target: Column {
                name: "label".into(),
                values: Values::Text(vec!["a,b".into(), "say \"hi\"".into()]),
            },
            target_raw: vec!["a,b".into(), "say \"hi\"".into()],
        };
        assert_eq!(
            table.canonical_csv(),
            "x,b,label\n0.5,true,\"a,b\"\n0,false,\"say \"\"hi\"\"\"\n"
        );
    }
}
