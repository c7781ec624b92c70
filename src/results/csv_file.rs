//! What the CSV result files (metrics.csv, a sweep's summary.csv and
//! points.csv) share: one way to write rows as text, and one way to read
//! them back with errors naming the file and line.

use std::path::Path;

use super::read_error::ReadError;

/// `rows` (the header first) as CSV text, quoted where a cell needs it.
pub fn to_text(rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail.
        writer.write_record(&row).expect("in-memory CSV");
    }
    String::from_utf8(writer.into_inner().expect("in-memory CSV"))
        .expect("CSV of UTF-8 fields is UTF-8")
}

/// A reader of `text` with a header line.
pub fn reader(text: &str) -> csv::Reader<&[u8]> {
    // Ragged rows are checked by hand, to say which line and how.
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes())
}

pub fn error(path: &Path, error: csv::Error) -> ReadError {
    let line = error.position().map(|p| p.line());
    ReadError::Invalid {
        path: path.to_path_buf(),
        line,
        message: format!("not valid CSV: {error}"),
    }
}

pub fn header(path: &Path, reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, ReadError> {
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| error(path, e))?
        .iter()
        .map(str::to_string)
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(ReadError::Invalid {
            path: path.to_path_buf(),
            line: Some(1),
            message: "empty; expected a header line naming the columns".to_string(),
        });
    }
    Ok(header)
}

/// Why a row is ragged.
pub fn fields_message(found: usize, expected: usize) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "{found} field{}, but the header has {expected} column{}",
        plural(found),
        plural(expected)
    )
}
