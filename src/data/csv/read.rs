//! Reading: a CSV file's bytes into records of cells, each with its row and
//! line. The byte-order mark, line ends, the longest line, blank lines,
//! ragged rows, UTF-8 and the content hash are settled here; what the cells
//! mean is not (see `typing` and `selection`).

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::data::error::{DataError, RowPosition};
use crate::data::table::hex;

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
    pub(super) source: Box<dyn Read>,
    /// The file's length in bytes, to estimate its number of rows.
    pub(super) len: u64,
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
pub(super) struct Body {
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
    pub(super) line_ends: VecDeque<u64>,
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
    pub(super) reader: csv::Reader<Body>,
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

pub(super) fn not_utf8(origin: &str, column: &str, position: RowPosition) -> DataError {
    DataError::new(
        origin,
        "the cell is not valid UTF-8 text; save the file as UTF-8",
    )
    .at(position)
    .in_column(column)
}
