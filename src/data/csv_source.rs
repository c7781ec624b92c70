//! Reading a CSV file into a `Table`.
//!
//! The rules users rely on: a header row names the columns; a UTF-8 byte-order
//! mark is ignored; CRLF or LF line ends; RFC 4180 quoting; blank lines are
//! skipped and not counted as rows. Each used cell is a number, TRUE/FALSE, a
//! text category or empty (see `cell`), and a column keeps one kind.
//!
//! The file is streamed, never held whole: its bytes pass once through the
//! content hash and the line counter on their way to the CSV parser, so
//! reading takes memory for the table only.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::config::Missing;

use super::cell::{self, Cell, Kind};
use super::error::{DataError, RowPosition, quoted_list};
use super::table::{Column, Feature, Table, Values, hex};

const BYTE_ORDER_MARK: &[u8; 3] = b"\xEF\xBB\xBF";

/// The longest line a CSV file may have, in bytes (the README's CSV section
/// states it). Without a limit, a file with no line end (zeros, a binary
/// file) grows one record until memory runs out. 16 MiB leaves room for a
/// header of a million columns.
pub const MAX_LINE_BYTES: u64 = 16 << 20;

/// A line longer than `MAX_LINE_BYTES`, carried inside an `io::Error` from
/// the reader to `Records`, which names the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "line {line} is longer than 16 MiB ({MAX_LINE_BYTES} bytes), the most one line of a CSV file may hold; is this a CSV file?"
)]
pub struct LineTooLong {
    pub line: u64,
}

/// A CSV file, opened to be read once from start to end.
pub struct CsvFile {
    /// The path as shown in messages.
    pub origin: String,
    source: Box<dyn Read>,
    /// The file's length in bytes, to estimate its number of rows.
    len: u64,
}

impl CsvFile {
    pub fn open(path: &Path) -> Result<CsvFile, DataError> {
        let origin = path.display().to_string();
        let file = crate::regular_file::open(path).map_err(|error| unreadable(&origin, &error))?;
        let len = file.metadata().map_or(0, |m| m.len());
        Ok(CsvFile {
            origin,
            source: Box::new(file),
            len,
        })
    }

    #[cfg(test)]
    pub fn from_bytes(origin: &str, bytes: &[u8]) -> CsvFile {
        CsvFile {
            origin: origin.to_string(),
            len: bytes.len() as u64,
            source: Box::new(io::Cursor::new(bytes.to_vec())),
        }
    }

    /// The header, then the data rows, one at a time.
    pub fn records(self) -> Result<Records, DataError> {
        let body = Body::new(self.source).map_err(|error| unreadable(&self.origin, &error))?;
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            // Ragged rows are reported by `Records::next`, with the row number.
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(body);
        let mut records = Records {
            origin: self.origin,
            len: self.len,
            reader,
            scanned: 0,
            newlines: 0,
            rows: 0,
            header: Vec::new(),
            estimated_rows: None,
        };
        records.header = records.read_header()?;
        Ok(records)
    }
}

/// The error for a file that cannot be opened or read.
fn unreadable(origin: &str, error: &io::Error) -> DataError {
    DataError::new(origin, format!("cannot read the file: {error}")).about("data.path")
}

/// The file's bytes on their way to the CSV parser: each is fed to the
/// content hash, a leading byte-order mark is held back, and the positions
/// of line-end bytes are noted so that lines can be counted exactly.
struct Body {
    source: Box<dyn Read>,
    hasher: Sha256,
    /// The first bytes of the file, read to look for a byte-order mark, that
    /// are still to be passed on: `head[head_start..head_end]`.
    head: [u8; 3],
    head_start: usize,
    head_end: usize,
    /// Bytes passed on so far; positions count from the end of the
    /// byte-order mark, as the CSV parser's do.
    offset: u64,
    /// Where the current line began (just after the last `\r` or `\n`), and
    /// how many `\n` came before it: the line's number less one.
    line_start: u64,
    newlines: u64,
    /// Each `\r` and `\n` passed on and not yet counted by `Records::line_at`:
    /// its position × 2, plus 1 for `\n`. Holds little more than the parser's
    /// read-ahead.
    line_ends: VecDeque<u64>,
}

impl Body {
    fn new(mut source: Box<dyn Read>) -> io::Result<Body> {
        let mut head = [0; 3];
        let mut len = 0;
        while len < head.len() {
            match source.read(&mut head[len..]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        let mut hasher = Sha256::new();
        hasher.update(&head[..len]);
        let head_start = if head[..len] == BYTE_ORDER_MARK[..] {
            len
        } else {
            0
        };
        Ok(Body {
            source,
            hasher,
            head,
            head_start,
            head_end: len,
            offset: 0,
            line_start: 0,
            newlines: 0,
            line_ends: VecDeque::new(),
        })
    }

    /// Reads what is left of the file and returns the hex SHA-256 of all of
    /// it, byte-order mark included.
    fn finish(mut self) -> io::Result<String> {
        let mut buffer = vec![0; 1 << 16];
        loop {
            match self.source.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => self.hasher.update(&buffer[..n]),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        Ok(hex(&self.hasher.finalize()))
    }
}

impl Body {
    /// The current line, up to byte `at` (a line end, or the end of what
    /// was read), must be within `MAX_LINE_BYTES`.
    fn check_line(&self, at: u64) -> io::Result<()> {
        if at.saturating_sub(self.line_start) > MAX_LINE_BYTES {
            let line = self.newlines + 1;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                LineTooLong { line },
            ));
        }
        Ok(())
    }
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = if self.head_start < self.head_end {
            let head = &self.head[self.head_start..self.head_end];
            let n = head.len().min(buf.len());
            buf[..n].copy_from_slice(&head[..n]);
            self.head_start += n;
            n
        } else {
            let n = self.source.read(buf)?;
            self.hasher.update(&buf[..n]);
            n
        };
        // Most 32-byte blocks hold no line end; those are checked at once.
        const BLOCK: usize = 32;
        let mut position = self.offset;
        for block in buf[..n].chunks(BLOCK) {
            let line_end = match <&[u8; BLOCK]>::try_from(block) {
                Ok(block) => {
                    block.iter().fold(0u8, |any, &b| {
                        any | u8::from(b == b'\n') | u8::from(b == b'\r')
                    }) != 0
                }
                Err(_) => true,
            };
            if line_end {
                for (i, &byte) in block.iter().enumerate() {
                    if byte == b'\n' || byte == b'\r' {
                        let at = position + i as u64;
                        self.line_ends.push_back(at << 1 | u64::from(byte == b'\n'));
                        self.check_line(at)?;
                        self.line_start = at + 1;
                        self.newlines += u64::from(byte == b'\n');
                    }
                }
            }
            position += block.len() as u64;
        }
        self.offset += n as u64;
        self.check_line(self.offset)?;
        Ok(n)
    }
}

/// The rows of a CSV file after its header.
pub struct Records {
    origin: String,
    /// The file's length in bytes.
    len: u64,
    reader: csv::Reader<Body>,
    /// Position (in the body) up to which newlines are counted in `newlines`.
    scanned: u64,
    newlines: usize,
    /// Data rows returned so far.
    rows: usize,
    header: Vec<String>,
    /// Set after the first data row: about how many data rows the file has.
    estimated_rows: Option<usize>,
}

impl Records {
    pub fn header(&self) -> &[String] {
        &self.header
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The next non-blank record and its 1-based line, or `None` at the end.
    fn next_record(&mut self, record: &mut csv::ByteRecord) -> Result<Option<usize>, DataError> {
        loop {
            match self.reader.read_byte_record(record) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(error) => {
                    if let csv::ErrorKind::Io(error) = error.kind() {
                        if let Some(long) = error.get_ref().and_then(|e| e.downcast_ref()) {
                            let long: &LineTooLong = long;
                            return Err(DataError::new(self.origin.as_str(), long.to_string()));
                        }
                        return Err(unreadable(&self.origin, error));
                    }
                    return Err(DataError::new(
                        self.origin.as_str(),
                        format!("cannot read the CSV data: {error}"),
                    ));
                }
            }
            // A line holding only spaces reads as one blank field: skip it, as
            // the CSV reader itself skips empty lines.
            let blank = record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace);
            if blank {
                continue;
            }
            let start = record.position().map_or(self.scanned, |p| p.byte());
            return Ok(Some(self.line_at(start)));
        }
    }

    /// The line where a record starting at byte `start` really begins. The CSV
    /// reader's own position sits before the line ends it skipped (blank lines,
    /// the `\n` of a CRLF), so skip those here and count newlines ourselves.
    fn line_at(&mut self, start: u64) -> usize {
        let mut start = start.max(self.scanned);
        let line_ends = &mut self.reader.get_mut().line_ends;
        while let Some(&end) = line_ends.front() {
            let position = end >> 1;
            if position > start {
                break;
            }
            if position == start {
                start += 1;
            }
            if end & 1 == 1 {
                self.newlines += 1;
            }
            line_ends.pop_front();
        }
        self.scanned = start;
        self.newlines + 1
    }

    fn read_header(&mut self) -> Result<Vec<String>, DataError> {
        let mut record = csv::ByteRecord::new();
        let line = self.next_record(&mut record)?;
        let origin = self.origin.as_str();
        let Some(line) = line else {
            return Err(DataError::new(
                origin,
                "the file is empty; it needs a header row naming the columns, then data rows",
            ));
        };
        let mut header: Vec<String> = Vec::with_capacity(record.len());
        // Column positions by name: a repeated name is found without comparing
        // every pair, which took minutes for a header of a million columns.
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(record.len());
        for (index, field) in record.iter().enumerate() {
            let Ok(name) = std::str::from_utf8(field) else {
                return Err(DataError::new(
                    origin,
                    format!(
                        "line {line}: the name of column {} is not valid UTF-8; save the file as UTF-8",
                        index + 1
                    ),
                ));
            };
            // A byte-order mark can survive inside a name when files were
            // concatenated or re-encoded; it is never part of the name.
            let name = name.trim().trim_start_matches('\u{FEFF}').trim();
            if name.is_empty() {
                return Err(DataError::new(
                    origin,
                    format!(
                        "line {line}: column {} of the header has no name; every column needs one",
                        index + 1
                    ),
                ));
            }
            if let Some(earlier) = seen.insert(name, index) {
                return Err(DataError::new(
                    origin,
                    format!(
                        "line {line}: the header names column `{name}` twice (columns {} and {}); column names must be unique",
                        earlier + 1,
                        index + 1
                    ),
                ));
            }
            header.push(name.to_string());
        }
        Ok(header)
    }

    /// The next data row, checked to have one field per column.
    pub fn next_row(
        &mut self,
        record: &mut csv::ByteRecord,
    ) -> Result<Option<RowPosition>, DataError> {
        let Some(line) = self.next_record(record)? else {
            return Ok(None);
        };
        self.rows += 1;
        if self.rows == 1 {
            self.estimate_rows();
        }
        let position = RowPosition {
            row: self.rows,
            line: Some(line),
        };
        if record.len() != self.header.len() {
            // An unclosed quote swallows every following line into one
            // field, which is the likelier story than a short row.
            if record.iter().any(|field| field.contains(&b'\n')) {
                return Err(DataError::new(
                    self.origin.as_str(),
                    "a field opens a double quote that is never closed, so it runs on over the following lines; \
                     close the quote, or double it (\"\") to write a quote inside a quoted field",
                )
                .at(position));
            }
            let hint = if record.len() > self.header.len() {
                "; a field containing a comma must be in double quotes"
            } else {
                ""
            };
            let plural = if record.len() == 1 { "" } else { "s" };
            return Err(DataError::new(
                self.origin.as_str(),
                format!(
                    "has {} field{plural}, but the header has {} columns{hint}",
                    record.len(),
                    self.header.len()
                ),
            )
            .at(position));
        }
        Ok(Some(position))
    }

    /// Called after the first data row: the file's length over that row's.
    fn estimate_rows(&mut self) {
        let end = self.reader.position().byte();
        let row_bytes = end.saturating_sub(self.scanned).max(1);
        let rest = self.len.saturating_sub(end) / row_bytes;
        // A little over, so that rows a bit longer than the first do not
        // make a vector grow at its very end.
        let estimate = 1 + rest + rest / 32;
        self.estimated_rows = usize::try_from(estimate).ok();
    }

    /// About how many data rows the file has, once the first has been read.
    pub fn estimated_rows(&self) -> Option<usize> {
        self.estimated_rows
    }

    /// Data rows returned so far.
    pub fn rows_read(&self) -> usize {
        self.rows
    }

    /// Reads what is left of the file and returns the hex SHA-256 of all of
    /// its bytes as stored, byte-order mark included.
    pub fn content_hash(self) -> Result<String, DataError> {
        let origin = self.origin;
        self.reader
            .into_inner()
            .finish()
            .map_err(|error| unreadable(&origin, &error))
    }
}

/// The text of field `index` of a row, as UTF-8.
pub fn field<'r>(
    origin: &str,
    record: &'r csv::ByteRecord,
    index: usize,
    column: &str,
    position: RowPosition,
) -> Result<&'r str, DataError> {
    let bytes = record.get(index).unwrap_or_default();
    std::str::from_utf8(bytes).map_err(|_| not_utf8(origin, column, position))
}

fn not_utf8(origin: &str, column: &str, position: RowPosition) -> DataError {
    DataError::new(
        origin,
        "the cell is not valid UTF-8 text; save the file as UTF-8",
    )
    .at(position)
    .in_column(column)
}

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
        for (name, &index) in names.iter().zip(&used) {
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
                        break;
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
    };
    Ok((table, hash))
}

/// The index of column `name`, or an error listing the columns and the
/// closest name.
fn find_column(
    origin: &str,
    header: &[String],
    name: &str,
    role: &str,
) -> Result<usize, DataError> {
    if let Some(index) = header.iter().position(|h| h == name) {
        return Ok(index);
    }
    let suggestion = closest(name, header)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_else(|| ".".to_string());
    let key = if role == "the target" {
        "data.target"
    } else {
        "data.features"
    };
    Err(DataError::new(
        origin,
        format!(
            "there is no column `{name}` ({role}){suggestion} The columns are: {}",
            quoted_list(header)
        ),
    )
    .about(key))
}

fn select_features(
    origin: &str,
    header: &[String],
    target_index: usize,
    features: Option<&[String]>,
) -> Result<Vec<usize>, DataError> {
    let target = header.get(target_index).map_or("", String::as_str);
    let indices: Vec<usize> = match features {
        None => (0..header.len()).filter(|&i| i != target_index).collect(),
        Some(names) => {
            let mut indices = Vec::with_capacity(names.len());
            for (position, name) in names.iter().enumerate() {
                if name == target {
                    return Err(DataError::new(
                        origin,
                        format!(
                            "`{name}` is the target, so it cannot also be a feature; remove it from `features`"
                        ),
                    ));
                }
                if names[..position].contains(name) {
                    return Err(DataError::new(
                        origin,
                        format!("`features` lists `{name}` twice"),
                    ));
                }
                indices.push(find_column(origin, header, name, "a feature")?);
            }
            indices
        }
    };
    if indices.is_empty() {
        return Err(DataError::new(
            origin,
            format!(
                "there are no feature columns: the network needs at least one input besides the target `{target}`"
            ),
        ));
    }
    Ok(indices)
}

/// The name most like `name`, if any is close enough to be a likely typo.
pub fn closest<'h>(name: &str, candidates: &'h [String]) -> Option<&'h str> {
    let wanted = name.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let similarity = strsim::jaro_winkler(&wanted, &candidate.to_lowercase());
        // Strictly greater: among equals, the first column wins.
        if similarity >= 0.75 && best.is_none_or(|(b, _)| similarity > b) {
            best = Some((similarity, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Lays out the feature cells of the kept rows row by row (see
/// `Table::cells`), holding each column to the kind of its first cell.
struct FeatureCells {
    names: Vec<String>,
    /// Each column's kind, set by the first kept row.
    kinds: Vec<Kind>,
    first_row: usize,
    /// Per column, the index of each distinct text (text columns only).
    texts: Vec<HashMap<String, usize>>,
    cells: Vec<f64>,
}

impl FeatureCells {
    fn new(names: &[String]) -> Self {
        FeatureCells {
            names: names.to_vec(),
            kinds: Vec::new(),
            first_row: 0,
            texts: vec![HashMap::new(); names.len()],
            cells: Vec::new(),
        }
    }

    fn reserve(&mut self, rows: usize) {
        let _ = self
            .cells
            .try_reserve_exact(rows.saturating_mul(self.names.len()));
    }

    /// Appends one row, or says which column's cell does not fit and why.
    fn push(&mut self, row_cells: &[Cell], row: usize) -> Result<(), (usize, String)> {
        if self.kinds.is_empty() {
            self.first_row = row;
            self.kinds = row_cells
                .iter()
                .map(|cell| cell.kind().unwrap_or(Kind::Number))
                .collect();
        }
        for (k, (&cell, &kind)) in row_cells.iter().zip(&self.kinds).enumerate() {
            let value = match (kind, cell) {
                (Kind::Number, Cell::Number(x)) => x,
                (Kind::Boolean, Cell::Boolean(b)) => f64::from(b),
                (Kind::Text, Cell::Text(t)) => {
                    let texts = &mut self.texts[k];
                    let next = texts.len();
                    let id = match texts.get(t) {
                        Some(&id) => id,
                        None => {
                            texts.insert(t.to_string(), next);
                            next
                        }
                    };
                    id as f64
                }
                (kind, cell) => return Err((k, mismatch(kind, cell, self.first_row))),
            };
            self.cells.push(value);
        }
        Ok(())
    }

    fn finish(mut self) -> (Vec<Feature>, Vec<f64>) {
        self.cells.shrink_to_fit();
        let features = self
            .names
            .into_iter()
            .zip(self.kinds)
            .zip(self.texts)
            .map(|((name, kind), interned)| {
                let mut texts = vec![String::new(); interned.len()];
                for (text, id) in interned {
                    if let Some(slot) = texts.get_mut(id) {
                        *slot = text;
                    }
                }
                Feature { name, kind, texts }
            })
            .collect();
        (features, self.cells)
    }
}

/// Collects the target column's cells, holding it to the kind of its first cell.
struct ColumnBuilder {
    name: String,
    values: Option<Values>,
    first_row: usize,
    /// The rows to make room for at the first cell.
    capacity: usize,
}

impl ColumnBuilder {
    fn new(name: String) -> Self {
        ColumnBuilder {
            name,
            values: None,
            first_row: 0,
            capacity: 0,
        }
    }

    fn push(&mut self, cell: Cell, row: usize) -> Result<(), String> {
        let Some(values) = &mut self.values else {
            self.first_row = row;
            let mut values = match cell {
                Cell::Number(_) => Values::Number(Vec::new()),
                Cell::Boolean(_) => Values::Boolean(Vec::new()),
                Cell::Text(_) => Values::Text(Vec::new()),
                Cell::Empty => return Ok(()),
            };
            let capacity = self.capacity.max(1);
            match &mut values {
                Values::Number(v) => {
                    let _ = v.try_reserve_exact(capacity);
                }
                Values::Boolean(v) => {
                    let _ = v.try_reserve_exact(capacity);
                }
                Values::Text(v) => {
                    let _ = v.try_reserve_exact(capacity);
                }
            }
            self.values = Some(values);
            return self.push(cell, row);
        };
        match (values, cell) {
            (_, Cell::Empty) => {}
            (Values::Number(values), Cell::Number(x)) => values.push(x),
            (Values::Boolean(values), Cell::Boolean(b)) => values.push(b),
            (Values::Text(values), Cell::Text(t)) => values.push(t.to_string()),
            (values, cell) => return Err(mismatch(kind_of(values), cell, self.first_row)),
        }
        Ok(())
    }

    fn finish(self) -> Column {
        let mut values = self.values.unwrap_or(Values::Number(Vec::new()));
        match &mut values {
            Values::Number(v) => v.shrink_to_fit(),
            Values::Boolean(v) => v.shrink_to_fit(),
            Values::Text(v) => v.shrink_to_fit(),
        }
        Column {
            name: self.name,
            // Only reached with at least one kept row, whose cells are all set.
            values,
        }
    }
}

fn kind_of(values: &Values) -> Kind {
    match values {
        Values::Number(_) => Kind::Number,
        Values::Boolean(_) => Kind::Boolean,
        Values::Text(_) => Kind::Text,
    }
}

/// Why `cell` does not fit a column of `column_kind`, whose first cell is in `first_row`.
fn mismatch(column_kind: Kind, cell: Cell, first_row: usize) -> String {
    let shown = match cell {
        Cell::Number(x) => x.to_string(),
        Cell::Boolean(b) => if b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::Text(t) => super::cell::shown(t),
        Cell::Empty => String::new(),
    };
    let what = match (column_kind, cell.kind()) {
        (Kind::Number, _) => format!("`{shown}` is not a number"),
        (Kind::Boolean, _) => format!("`{shown}` is not TRUE or FALSE"),
        (Kind::Text, Some(Kind::Number)) => format!("`{shown}` is a number"),
        (Kind::Text, _) => format!("`{shown}` is TRUE/FALSE"),
    };
    let hint = match cell {
        Cell::Text(t) if cell::looks_like_missing_marker(t) => {
            "; leave the cell empty for a missing value"
        }
        _ => "; a column holds numbers, TRUE/FALSE or text categories, not a mix",
    };
    format!(
        "{what}, but earlier rows of this column are {} (from row {first_row}){hint}",
        cell::plural(column_kind),
    )
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::content_hash;

    fn read_text(text: &str, target: &str, missing: Missing) -> Result<Table, DataError> {
        let file = CsvFile::from_bytes("t.csv", text.as_bytes());
        read_table(file, target, None, missing).map(|(table, _)| table)
    }

    fn read_bytes(
        bytes: &[u8],
        target: &str,
        features: Option<&[String]>,
        missing: Missing,
    ) -> Result<Table, DataError> {
        let file = CsvFile::from_bytes("t.csv", bytes);
        read_table(file, target, features, missing).map(|(table, _)| table)
    }

    /// The position of every data row.
    fn positions(bytes: &[u8]) -> Vec<RowPosition> {
        let mut records = CsvFile::from_bytes("t.csv", bytes).records().unwrap();
        let mut record = csv::ByteRecord::new();
        let mut positions = Vec::new();
        while let Some(position) = records.next_row(&mut record).unwrap() {
            positions.push(position);
        }
        positions
    }

    #[test]
    fn a_line_longer_than_the_limit_is_an_error_naming_the_line() {
        let limit = MAX_LINE_BYTES as usize;
        // The longest allowed line reads; one byte more does not, wherever
        // it is (a header of zeros, a CRLF file, a data row).
        let longest = format!("x,y\r\n1,{}\r\n", "2".repeat(limit - 2));
        assert_eq!(positions(longest.as_bytes()).len(), 1);
        let cases: [(Vec<u8>, &str); 3] = [
            (vec![0; limit + 1], "t.csv: line 1 is longer than 16 MiB"),
            (
                format!("x,y\r\n1,{}\r\n", "2".repeat(limit - 1)).into_bytes(),
                "t.csv: line 2 is longer than 16 MiB",
            ),
            (
                format!("x,y\n\n1,2\n{}", "3".repeat(limit + 1)).into_bytes(),
                "t.csv: line 4 is longer than 16 MiB",
            ),
        ];
        for (bytes, expected) in cases {
            let error = read_bytes(&bytes, "y", None, Missing::Error)
                .expect_err("too long")
                .to_string();
            assert!(error.starts_with(expected), "{error}");
        }
    }

    fn error_of(text: &str, target: &str) -> String {
        match read_text(text, target, Missing::Error) {
            Ok(table) => panic!("expected an error, read {table:?}"),
            Err(error) => error.to_string(),
        }
    }

    fn numbers(values: &Values) -> Vec<f64> {
        match values {
            Values::Number(v) => v.clone(),
            other => panic!("expected numbers, found {other:?}"),
        }
    }

    #[test]
    fn reads_numbers_booleans_and_text_with_features_before_target() {
        let table = read_text(
            "a,flag,colour,y\n1,TRUE,red,0\n2.5,false,blue,1\n",
            "y",
            Missing::Error,
        )
        .unwrap();
        assert_eq!(table.features.len(), 3);
        assert_eq!(numbers(&table.feature_column(0).values), &[1.0, 2.5]);
        assert_eq!(
            table.feature_column(1).values,
            Values::Boolean(vec![true, false])
        );
        assert_eq!(
            table.feature_column(2).values,
            Values::Text(vec!["red".into(), "blue".into()])
        );
        assert_eq!(table.target.name, "y");
        assert_eq!(table.target_raw, vec!["0", "1"]);
    }

    #[test]
    fn byte_order_mark_and_crlf_are_ignored() {
        let table = read_bytes(
            b"\xEF\xBB\xBFx,y\r\n1,2\r\n3,4\r\n",
            "x",
            None,
            Missing::Error,
        )
        .unwrap();
        assert_eq!(table.target.name, "x");
        assert_eq!(numbers(&table.target.values), &[1.0, 3.0]);
        assert_eq!(numbers(&table.feature_column(0).values), &[2.0, 4.0]);
    }

    #[test]
    fn a_byte_order_mark_inside_a_column_name_is_dropped() {
        let table = read_text("\u{FEFF}x,\u{FEFF}y\n1,2\n", "y", Missing::Error).unwrap();
        assert_eq!(table.features[0].name, "x");
    }

    #[test]
    fn quoted_fields_may_hold_commas_quotes_and_newlines() {
        let text = "name,y\n\"Smith, John\",1\n\"say \"\"hi\"\"\nthere\",2\nplain,3\n";
        let table = read_text(text, "y", Missing::Error).unwrap();
        assert_eq!(
            table.feature_column(0).values,
            Values::Text(vec![
                "Smith, John".into(),
                "say \"hi\"\nthere".into(),
                "plain".into()
            ])
        );
        // The third row starts on line 5: the second spans lines 3 and 4.
        assert_eq!(
            positions(text.as_bytes())[2],
            RowPosition {
                row: 3,
                line: Some(5)
            }
        );
        assert_eq!(table.rows, [1, 2, 3]);
    }

    #[test]
    fn blank_lines_are_skipped_and_lines_stay_exact() {
        let text = "x,y\r\n\r\n1,2\r\n   \r\n\n3,4\n";
        let table = read_text(text, "y", Missing::Error).unwrap();
        assert_eq!(table.rows, [1, 2]);
        assert_eq!(
            positions(text.as_bytes()),
            vec![
                RowPosition {
                    row: 1,
                    line: Some(3)
                },
                RowPosition {
                    row: 2,
                    line: Some(6)
                },
            ]
        );
    }

    #[test]
    fn an_empty_file_is_an_error() {
        assert_eq!(
            error_of("", "y"),
            "t.csv: the file is empty; it needs a header row naming the columns, then data rows"
        );
        assert!(error_of("\u{FEFF}\n\n", "y").contains("the file is empty"));
    }

    #[test]
    fn a_header_without_rows_is_an_error() {
        assert_eq!(
            error_of("x,y\n", "y"),
            "t.csv: the file has a header but no data rows"
        );
    }

    #[test]
    fn duplicate_and_empty_column_names_are_errors() {
        assert!(
            error_of("x,y,x\n1,2,3\n", "y").contains("names column `x` twice (columns 1 and 3)")
        );
        assert!(error_of("x,,y\n1,2,3\n", "y").contains("column 2 of the header has no name"));
    }

    #[test]
    fn a_header_of_300_000_columns_is_checked_for_repeats_in_linear_time() {
        // Comparing every pair of names took 45 s here; a map takes a blink.
        let names: Vec<String> = (0..300_000).map(|i| format!("c{i}")).collect();
        let header = names.join(",");
        let started = std::time::Instant::now();
        let message = error_of(&format!("{header},c7\n"), "y");
        assert!(
            message.ends_with(
                "names column `c7` twice (columns 8 and 300001); column names must be unique"
            ),
            "{message}"
        );
        let ones = vec!["1"; names.len()].join(",");
        let table = read_text(&format!("{header},y\n{ones},0\n"), "y", Missing::Error).unwrap();
        assert_eq!(table.features.len(), 300_000);
        let seconds = started.elapsed().as_secs_f64();
        assert!(seconds < 20.0, "{seconds} s");
    }

    #[test]
    fn a_ragged_row_is_an_error_with_its_row_and_line() {
        assert_eq!(
            error_of("x,y\n1,2\n3,4,5\n", "y"),
            "t.csv: row 2 (line 3): has 3 fields, but the header has 2 columns; a field containing a comma must be in double quotes"
        );
        assert!(error_of("x,y\n1\n", "y").contains("row 1 (line 2): has 1 field, but"));
    }

    #[test]
    fn a_missing_target_names_the_columns_and_suggests_the_closest() {
        let message = error_of("sepal_length,species\n1,a\n", "specie");
        assert_eq!(
            message,
            "t.csv: there is no column `specie` (the target); did you mean `species`? The columns are: `sepal_length`, `species`"
        );
        let message = error_of("a,b\n1,2\n", "zzz");
        assert!(
            message.ends_with("(the target). The columns are: `a`, `b`"),
            "{message}"
        );
    }

    #[test]
    fn feature_lists_are_checked() {
        let read = |features: &[&str]| {
            let features: Vec<String> = features.iter().map(|s| s.to_string()).collect();
            read_bytes(b"a,b,y\n1,2,3\n", "y", Some(&features), Missing::Error)
        };
        let unknown = read(&["a", "bb"]).unwrap_err().to_string();
        assert!(
            unknown.contains("no column `bb` (a feature); did you mean `b`?"),
            "{unknown}"
        );
        let target = read(&["a", "y"]).unwrap_err().to_string();
        assert!(target.contains("`y` is the target"), "{target}");
        assert!(read(&["a", "a"]).unwrap_err().to_string().contains("twice"));
        assert!(
            read(&[])
                .unwrap_err()
                .to_string()
                .contains("no feature columns")
        );
        let table = read(&["b"]).unwrap();
        assert_eq!(table.features.len(), 1);
        assert_eq!(table.features[0].name, "b");
    }

    #[test]
    fn non_finite_numbers_are_errors_naming_row_and_column() {
        for bad in ["NaN", "inf", "1e400"] {
            let message = error_of(&format!("x,y\n1,2\n{bad},3\n"), "y");
            assert!(
                message.starts_with(&format!("t.csv: row 2 (line 3), column `x`: `{bad}`")),
                "{message}"
            );
        }
    }

    #[test]
    fn text_among_numbers_is_an_error() {
        let message = error_of("x,y\n1,2\n2,3\nabc,4\n", "y");
        assert_eq!(
            message,
            "t.csv: row 3 (line 4), column `x`: `abc` is not a number, but earlier rows of this column are numbers (from row 1); a column holds numbers, TRUE/FALSE or text categories, not a mix"
        );
        assert!(
            error_of("x,y\nred,2\n3,3\n", "y")
                .contains("`3` is a number, but earlier rows of this column are text")
        );
        assert!(error_of("x,y\nTRUE,2\n3,3\n", "y").contains("`3` is not TRUE or FALSE"));
        assert!(error_of("x,y\n1,2\nNA,3\n", "y").contains("leave the cell empty"));
    }

    #[test]
    fn empty_cells_are_errors_when_missing_is_error() {
        let message = error_of("x,y\n1,2\n,3\n", "y");
        assert!(
            message.starts_with("t.csv: row 2 (line 3), column `x`: the cell is empty"),
            "{message}"
        );
    }

    #[test]
    fn empty_cells_drop_their_row_only_in_used_columns() {
        let features = vec!["x".to_string()];
        let table = read_bytes(
            b"x,unused,y\n1,,2\n,5,3\n4,6,\n7,8,9\n",
            "y",
            Some(&features),
            Missing::Drop,
        )
        .unwrap();
        assert_eq!(table.rows, [1, 4]);
        assert_eq!(table.target_raw, ["2", "9"]);
        assert_eq!(numbers(&table.feature_column(0).values), &[1.0, 7.0]);
        // With `error`, the empty cell of an unused column is no problem either.
        let table =
            read_bytes(b"x,unused,y\n1,,2\n", "y", Some(&features), Missing::Error).unwrap();
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn dropping_every_row_is_an_error() {
        let message = read_bytes(b"x,y\n,1\n2,\n", "y", None, Missing::Drop)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("every one of the 2 data rows"),
            "{message}"
        );
    }

    #[test]
    fn invalid_utf8_is_an_error_naming_the_cell() {
        let message = read_bytes(b"x,y\n\xFF\xFE,1\n", "y", None, Missing::Error)
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("t.csv: row 1 (line 2), column `x`: the cell is not valid UTF-8"),
            "{message}"
        );
    }

    #[test]
    fn an_enormous_field_is_fine_as_text() {
        let big = "x".repeat(1 << 20);
        let table = read_text(&format!("t,y\n{big},1\nsmall,0\n"), "y", Missing::Error).unwrap();
        assert_eq!(
            table.feature_column(0).values.text(0).map(|t| t.len()),
            Some(1 << 20)
        );
    }

    #[test]
    fn an_unreadable_file_names_the_path_and_the_os_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.csv");
        let error = read(&path, "y", None, Missing::Error)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("{}: cannot read the file: ", path.display())),
            "{error}"
        );
        assert!(error.contains("No such file"), "{error}");
    }

    #[test]
    fn the_content_hash_is_of_the_file_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        std::fs::write(&path, "x,y\n1,2\n").unwrap();
        let (_, hash) = read(&path, "y", None, Missing::Error).unwrap();
        assert_eq!(hash, content_hash(b"x,y\n1,2\n"));
    }

    /// Fixed digests (as `sha256sum` gives them) of whole files, the
    /// byte-order mark and CRLF line ends included, and of a file longer
    /// than the reader's buffer: they are part of run ids, so they must
    /// never change.
    #[test]
    fn the_content_hash_of_fixtures_never_changes() {
        let dir = tempfile::tempdir().unwrap();
        let long: String = std::iter::once("a,b,y\r\n".to_string())
            .chain((0..20_000).map(|i| format!("{i},{}.25,{}\r\n", i * 3, i % 2)))
            .collect();
        let fixtures: [(&[u8], &str); 3] = [
            (
                b"x,y\n1,2\n",
                "81bf9fa83c6f7f151bd491a98cd7d933de3965289e3ebd77c6c425f7eaa16392",
            ),
            (
                b"\xEF\xBB\xBFx,y\r\n1,2\r\n3,4\r\n",
                "bfa2451a64d3948d35c75db5c3c322bd8dba6b854956d39183ad10e7660d9145",
            ),
            (
                long.as_bytes(),
                "f018313838302454b428373d569f5b585626c8a081be9ec98883faf257b2ac50",
            ),
        ];
        for (k, (bytes, digest)) in fixtures.iter().enumerate() {
            let path = dir.path().join(format!("f{k}.csv"));
            std::fs::write(&path, bytes).unwrap();
            let target = if k == 1 { "x" } else { "y" };
            let (_, hash) = read(&path, target, None, Missing::Error).unwrap();
            assert_eq!(hash, content_hash(bytes), "fixture {k}");
            assert_eq!(hash, *digest, "fixture {k}");
        }
    }

    /// The hash covers the whole file even when reading stops early, and
    /// does not depend on how the reads are cut.
    #[test]
    fn the_content_hash_is_the_same_however_the_file_arrives() {
        struct Trickle(io::Cursor<Vec<u8>>, usize);
        impl Read for Trickle {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.1 = self.1 % 7 + 1;
                let n = self.1.min(buf.len());
                self.0.read(&mut buf[..n])
            }
        }
        let bytes = b"\xEF\xBB\xBFx,y\r\n1,2\r\n\r\n\"3\r\n\",4\r\n5,6".to_vec();
        let file = CsvFile {
            origin: "t.csv".into(),
            source: Box::new(Trickle(io::Cursor::new(bytes.clone()), 0)),
            len: bytes.len() as u64,
        };
        let mut records = file.records().unwrap();
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while let Some(position) = records.next_row(&mut record).unwrap() {
            lines.push(position.line);
        }
        assert_eq!(lines, [Some(2), Some(4), Some(6)]);
        assert_eq!(records.content_hash().unwrap(), content_hash(&bytes));
        // Stopping after the header still hashes every byte.
        let records = CsvFile::from_bytes("t.csv", &bytes).records().unwrap();
        assert_eq!(records.content_hash().unwrap(), content_hash(&bytes));
    }

    /// Lines stay exact across the reader's buffer boundaries, with CRLF,
    /// blank lines, and quoted fields spanning lines.
    #[test]
    fn lines_stay_exact_in_long_files() {
        for line_end in ["\n", "\r\n"] {
            let mut text = format!("x,y{line_end}");
            let mut expected = Vec::new();
            let mut line = 2;
            for i in 0..30_000 {
                if i % 1000 == 7 {
                    text.push_str(line_end);
                    line += 1;
                }
                expected.push(Some(line));
                if i % 2500 == 3 {
                    text.push_str(&format!("\"multi{line_end}line{line_end}\",{i}{line_end}"));
                    line += 3;
                } else {
                    text.push_str(&format!("{i},{}{line_end}", "z".repeat(i % 50)));
                    line += 1;
                }
            }
            let mut records = CsvFile::from_bytes("t.csv", text.as_bytes())
                .records()
                .unwrap();
            let mut record = csv::ByteRecord::new();
            let mut lines = Vec::new();
            let mut most_held = 0;
            while let Some(position) = records.next_row(&mut record).unwrap() {
                lines.push(position.line);
                most_held = most_held.max(records.reader.get_ref().line_ends.len());
            }
            assert_eq!(lines, expected, "{line_end:?}");
            // Only the line ends of the read-ahead are held, never the file's.
            assert!(most_held < expected.len() / 4, "{most_held}");
        }
    }

    #[test]
    fn a_text_target_keeps_its_text_once() {
        let mut table = read_text("x,y\n1, yes \n2,no\n", "y", Missing::Error).unwrap();
        assert!(table.target_raw.is_empty());
        assert_eq!(table.take_raw_targets(), ["yes", "no"]);
        let mut table = read_text("x,y\n1, TRUE\n2,false \n", "y", Missing::Error).unwrap();
        assert_eq!(table.take_raw_targets(), ["TRUE", "false"]);
    }

    #[test]
    fn a_folder_is_an_unreadable_file() {
        let dir = tempfile::tempdir().unwrap();
        let error = read(dir.path(), "y", None, Missing::Error).unwrap_err();
        assert_eq!(error.config_key, Some("data.path"));
        assert!(
            error
                .to_string()
                .starts_with(&format!("{}: cannot read the file: ", dir.path().display())),
            "{error}"
        );
    }

    #[test]
    fn room_for_the_rows_is_made_once_from_the_first() {
        let text: String = std::iter::once("a,b,y\n".to_string())
            .chain((0..5000).map(|i| format!("{},{},{}\n", i % 10, i % 7, i % 2)))
            .collect();
        let table = read_text(&text, "y", Missing::Error).unwrap();
        assert_eq!(table.len(), 5000);
        assert_eq!(table.cells.len(), 10_000);
        assert_eq!(table.cells.capacity(), table.cells.len());
        assert_eq!(table.target_raw.capacity(), 5000);
    }
}
