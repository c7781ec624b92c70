//! Reading a CSV file into a `Table`, in three steps, one file each:
//! `read` turns the file's bytes into records of cells, each with its row
//! and line; `selection` decides which columns are the inputs and which the
//! target; `typing` holds each used column to one kind of cell (numbers,
//! TRUE/FALSE or text categories). `read_table`, here, runs the three.
//!
//! The rules users rely on: a header row names the columns; a UTF-8 byte-order
//! mark is ignored; CRLF or LF line ends; RFC 4180 quoting; blank lines are
//! skipped and not counted as rows. Each used cell is a number, TRUE/FALSE, a
//! text category or empty (see `cell`), and a column keeps one kind.
//!
//! The file is streamed, never held whole: its bytes pass once through the
//! content hash and the line counter on their way to the CSV parser, so
//! reading takes memory for the table only.

mod read;
mod selection;
mod typing;

use std::path::Path;

use crate::config::Missing;

use super::cell::{self, Cell};
use super::error::DataError;
use super::table::{MissingCells, Table, Values};
use read::not_utf8;
pub use read::{CsvFile, field};
use selection::{find_column, select_features};
use typing::{ColumnBuilder, FeatureCells};

/// Reads the target and feature columns of the CSV at `path`.
///
/// `features: None` means every column but the target. Returns the table and
/// the hash of the file's bytes.
pub fn read(
    path: &Path,
    target: &str,
    features: Option<&[String]>,
    missing: Missing,
) -> Result<(Table, String), DataError> {
    read_table(CsvFile::open(path)?, target, features, missing)
}

/// Reads `file` to its end: its table, and the hash of its bytes.
pub fn read_table(
    file: CsvFile,
    target: &str,
    features: Option<&[String]>,
    missing: Missing,
) -> Result<(Table, String), DataError> {
    let mut records = file.records()?;
    let origin = records.origin().to_string();
    let header = records.header().to_vec();
    let target_index = find_column(&origin, &header, target, "the target")?;
    let feature_indices = select_features(&origin, &header, target_index, features)?;

    // Features first, then the target.
    let used: Vec<usize> = feature_indices
        .iter()
        .copied()
        .chain([target_index])
        .collect();
    let names: Vec<String> = used
        .iter()
        .map(|&i| header.get(i).cloned().unwrap_or_default())
        .collect();
    let stride = feature_indices.len();
    let mut features = FeatureCells::new(&names[..stride]);
    let mut target_column = ColumnBuilder::new(names[stride].clone());
    let mut target_raw = Vec::new();
    let mut rows = Vec::new();
    let mut dropped = 0usize;
    // Empty cells per used column, in rows kept or dropped: what `synapse
    // data` reports as missing.
    let mut empty = vec![0usize; used.len()];
    let mut record = csv::ByteRecord::new();

    while let Some(position) = records.next_row(&mut record)? {
        if records.rows_read() == 1
            && let Some(estimate) = records.estimated_rows()
        {
            // Room for the whole file at once, rather than doubling up to it.
            features.reserve(estimate);
            target_column.capacity = estimate;
            let _ = rows.try_reserve_exact(estimate);
            let _ = target_raw.try_reserve_exact(estimate);
        }
        let mut cells: Vec<Cell> = Vec::with_capacity(used.len());
        let mut has_empty = false;
        for (k, (name, &index)) in names.iter().zip(&used).enumerate() {
            if has_empty {
                // The row is dropped already: its other cells are only
                // counted if empty, not read (nor refused), as before.
                if record.get(index).is_some_and(is_blank) {
                    empty[k] += 1;
                }
                continue;
            }
            // Matched rather than `?`: the error is large, and this is the
            // innermost loop of reading.
            let text = match std::str::from_utf8(record.get(index).unwrap_or_default()) {
                Ok(text) => text,
                Err(_) => return Err(not_utf8(&origin, name, position)),
            };
            let cell = match cell::parse(text) {
                Ok(cell) => cell,
                Err(message) => {
                    return Err(DataError::new(origin.as_str(), message)
                        .at(position)
                        .in_column(name.as_str()));
                }
            };
            if cell == Cell::Empty {
                match missing {
                    Missing::Error => {
                        return Err(DataError::new(
                            origin.as_str(),
                            "the cell is empty (a missing value); fill it in, or set `missing = \"drop\"` in [data] to leave out rows with empty cells",
                        )
                        .at(position)
                        .in_column(name.as_str()));
                    }
                    Missing::Drop => {
                        has_empty = true;
                        empty[k] += 1;
                        continue;
                    }
                }
            }
            cells.push(cell);
        }
        if has_empty {
            dropped += 1;
            continue;
        }
        let at = |k: usize, message: String| {
            DataError::new(origin.as_str(), message)
                .at(position)
                .in_column(names.get(k).map_or("", String::as_str))
        };
        features
            .push(&cells[..stride], position.row)
            .map_err(|(k, message)| at(k, message))?;
        if let Some(&cell) = cells.get(stride) {
            target_column
                .push(cell, position.row)
                .map_err(|message| at(stride, message))?;
        }
        // A text target's values are its trimmed text already.
        if !matches!(target_column.values, Some(Values::Text(_))) {
            let raw = field(&origin, &record, target_index, target, position)?;
            target_raw.push(raw.trim().to_string());
        }
        rows.push(position.row);
    }

    if records.rows_read() == 0 {
        return Err(DataError::new(
            origin,
            "the file has a header but no data rows",
        ));
    }
    if rows.is_empty() {
        return Err(DataError::new(
            origin,
            format!(
                "every one of the {dropped} data rows has an empty cell in a used column, so `missing = \"drop\"` left none; fill in the cells or choose other `features`"
            ),
        ));
    }
    let hash = records.content_hash()?;
    rows.shrink_to_fit();
    target_raw.shrink_to_fit();
    let (features, cells) = features.finish();
    let table = Table {
        origin,
        rows,
        features,
        cells,
        target: target_column.finish(),
        target_raw,
        missing: MissingCells {
            cells: empty,
            dropped_rows: dropped,
        },
    };
    Ok((table, hash))
}

/// Whether a cell's bytes are what `cell::parse` reads as empty: nothing
/// but whitespace.
fn is_blank(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| text.trim().is_empty())
}

#[cfg(test)]
mod tests;
