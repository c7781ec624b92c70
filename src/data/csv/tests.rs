//! The CSV reader's tests: reading, selection and typing, through
//! `read_table` as the data module calls it.

use std::io::{self, Read};

use super::read::MAX_LINE_BYTES;
use super::*;
use crate::data::error::RowPosition;
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
    assert!(error_of("x,y,x\n1,2,3\n", "y").contains("names column `x` twice (columns 1 and 3)"));
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
    let table = read_bytes(b"x,unused,y\n1,,2\n", "y", Some(&features), Missing::Error).unwrap();
    assert_eq!(table.len(), 1);
}

#[test]
fn empty_cells_are_counted_per_used_column_in_the_rows_dropped_for_them() {
    // Row 2 has two empty cells and an invalid one after them: the row is
    // dropped at its first empty cell, so the bad cell is not refused, but
    // its second empty cell still counts. The unused column counts nothing.
    let features = vec!["x".to_string(), "z".to_string()];
    let table = read_bytes(
        b"x,unused,z,y\n1,,2,a\n,5, ,\xFF\n3,,4,\n5,6,7,b\n",
        "y",
        Some(&features),
        Missing::Drop,
    )
    .unwrap();
    assert_eq!(table.rows, [1, 4]);
    assert_eq!(
        table.missing,
        MissingCells {
            cells: vec![1, 1, 1],
            dropped_rows: 2,
        }
    );
    // Nothing missing, nothing counted.
    let table = read_bytes(b"x,y\n1,2\n", "y", None, Missing::Error).unwrap();
    assert_eq!(table.missing.cells, [0, 0]);
    assert_eq!(table.missing.dropped_rows, 0);
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
