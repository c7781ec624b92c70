//! Run and sweep directories read back from their files alone, so that
//! results copied from another machine read the same as the ones made here.
//!
//! Every problem is a [`ReadError`] naming the file (and line, where there is
//! one) and what was expected there; nothing here panics on odd input.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::results::status::Status;
use crate::results::summary::RunSummary;
use crate::text::printable;

/// One run directory read back from disk (only files; works on copied results).
#[derive(Debug, Clone)]
pub struct RunFiles {
    pub dir: PathBuf,
    /// summary.json, parsed strictly: an unknown or missing field is an error.
    pub summary: RunSummary,
    /// The metrics.csv header, in order.
    pub columns: Vec<String>,
    /// The metrics.csv rows, one value per column.
    pub rows: Vec<Vec<f64>>,
    pub config: toml::Table,
}

/// A sweep directory's summary.csv: one row per run of the sweep.
#[derive(Debug, Clone)]
pub struct SweepFiles {
    pub dir: PathBuf,
    pub rows: Vec<SweepRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// The line of summary.csv, for messages.
    pub line: u64,
    /// The run's directory: summary.csv's `run_dir` joined to the sweep
    /// directory. None for a run that has none (pending, failed, invalid).
    pub run_dir: Option<PathBuf>,
    /// The run id the row names, which its directory must hold; None where
    /// the cell is empty.
    pub run_id: Option<String>,
    pub status: Status,
    /// `param_<dotted key>` columns as (dotted key, cell text), in column order.
    pub params: Vec<(String, String)>,
}

/// What a results directory holds, by the file that marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirKind {
    /// Has summary.json.
    Run,
    /// Has summary.csv.
    Sweep,
}

/// Every message names the file; paths and text that come from result
/// files (a `run_dir` cell, a serde message quoting a value) are shown with
/// control characters escaped, so that an edited file cannot write to the
/// terminal through an error.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: not found; expected {expected}", shown(path))]
    Missing {
        path: PathBuf,
        expected: &'static str,
    },
    #[error("{}: not a directory; expected {expected}", shown(path))]
    NotADirectory {
        path: PathBuf,
        expected: &'static str,
    },
    #[error(
        "{}: neither a run directory (with summary.json) nor a sweep directory (with summary.csv)",
        shown(path)
    )]
    NotResults { path: PathBuf },
    #[error("{}: cannot read: {source}", shown(path))]
    Io { path: PathBuf, source: io::Error },
    /// The file is there but its content is not what synapse writes.
    #[error("{}{}: {}", shown(path), at_line(*line), printable(message))]
    Invalid {
        path: PathBuf,
        line: Option<u64>,
        message: String,
    },
}

fn shown(path: &Path) -> String {
    printable(&path.display().to_string())
}

fn at_line(line: Option<u64>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}

const A_RESULTS_DIR: &str =
    "a run directory (with summary.json) or a sweep directory (with summary.csv)";

impl DirKind {
    /// A sweep's summary.csv takes precedence, should a directory hold both.
    pub fn of(dir: &Path) -> Result<DirKind, ReadError> {
        match fs::metadata(dir) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(ReadError::Missing {
                    path: dir.to_path_buf(),
                    expected: A_RESULTS_DIR,
                });
            }
            Err(source) => {
                return Err(ReadError::Io {
                    path: dir.to_path_buf(),
                    source,
                });
            }
            Ok(metadata) if !metadata.is_dir() => {
                return Err(ReadError::NotADirectory {
                    path: dir.to_path_buf(),
                    expected: A_RESULTS_DIR,
                });
            }
            Ok(_) => {}
        }
        // `exists`, not `is_file`: a FIFO or a folder in a result file's
        // place is read, and refused naming it, rather than passed over.
        if dir.join("summary.csv").exists() {
            Ok(DirKind::Sweep)
        } else if dir.join("summary.json").exists() {
            Ok(DirKind::Run)
        } else {
            Err(ReadError::NotResults {
                path: dir.to_path_buf(),
            })
        }
    }
}

impl RunFiles {
    pub fn read(dir: &Path) -> Result<RunFiles, ReadError> {
        require_directory(dir, "a run directory")?;
        let summary_path = dir.join("summary.json");
        let text = read_text(
            &summary_path,
            "a run directory's summary.json (written last, when the run has ended)",
        )?;
        let summary = parse_summary(&summary_path, &text)?;

        let metrics_path = dir.join("metrics.csv");
        let text = read_text(&metrics_path, "a run directory's metrics.csv")?;
        let (columns, rows) = parse_metrics(&metrics_path, &text)?;
        // A run that is interrupted or being resumed (it has a checkpoint)
        // may have written epochs since its summary; a finished one may not.
        if rows.len() != summary.epochs_run && !dir.join("checkpoint.json").exists() {
            return Err(ReadError::Invalid {
                path: metrics_path,
                line: None,
                message: format!(
                    "{} epochs, but summary.json says {} were run",
                    rows.len(),
                    summary.epochs_run
                ),
            });
        }

        check_final_metrics(&summary_path, &metrics_path, &summary, &columns, &rows)?;

        let config_path = dir.join("config.toml");
        let text = read_text(&config_path, "a run directory's config.toml")?;
        let config = parse_config(&config_path, &text)?;

        Ok(RunFiles {
            dir: dir.to_path_buf(),
            summary,
            columns,
            rows,
            config,
        })
    }

    /// The CSV file the run trained on, as its config.toml names it
    /// (relative to the run directory, as `run` writes it); None for
    /// generated data. An `--out` must not replace it: the run could then
    /// never be reproduced.
    pub fn data_file(&self) -> Option<PathBuf> {
        data_file(&self.dir, &self.config)
    }

    /// (epoch, value) of one metrics.csv column, e.g. "validation_loss"; None if absent.
    pub fn series(&self, column: &str) -> Option<Vec<(f64, f64)>> {
        let index = self.columns.iter().position(|c| c == column)?;
        let epoch = self.columns.iter().position(|c| c == "epoch");
        Some(
            self.rows
                .iter()
                .enumerate()
                .filter_map(|(i, row)| {
                    // Without an epoch column the rows are the epochs, from 1.
                    let x = epoch.map_or(Some((i + 1) as f64), |e| row.get(e).copied())?;
                    Some((x, *row.get(index)?))
                })
                .collect(),
        )
    }
}

impl SweepFiles {
    pub fn read(dir: &Path) -> Result<SweepFiles, ReadError> {
        require_directory(dir, "a sweep directory")?;
        let path = dir.join("summary.csv");
        let text = read_text(&path, "a sweep directory's summary.csv")?;
        let rows = parse_sweep_summary(&path, dir, &text)?;
        Ok(SweepFiles {
            dir: dir.to_path_buf(),
            rows,
        })
    }
}

/// Dotted key → the value as TOML text ("training.learning_rate" → "0.1",
/// "model.layers.0.units" → "8"), for diffs.
///
/// Tables, and arrays holding tables, are followed down to their values;
/// other arrays are one value (`["a", "b"]`), as they read in the file.
pub fn flatten(config: &toml::Table) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    flatten_table(config, "", &mut out);
    out
}

fn flatten_table(table: &toml::Table, prefix: &str, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        flatten_value(value, &join_key(prefix, key), out);
    }
}

fn flatten_value(value: &toml::Value, key: &str, out: &mut BTreeMap<String, String>) {
    match value {
        toml::Value::Table(table) => flatten_table(table, key, out),
        toml::Value::Array(items) if items.iter().any(toml::Value::is_table) => {
            for (index, item) in items.iter().enumerate() {
                flatten_value(item, &join_key(key, &index.to_string()), out);
            }
        }
        // The toml crate writes floats without an exponent, so 1e-8 would
        // read as 0.00000001; Rust's shortest form is TOML too.
        toml::Value::Float(x) if x.is_nan() => {
            out.insert(key.to_string(), "nan".to_string());
        }
        toml::Value::Float(x) => {
            out.insert(key.to_string(), format!("{x:?}"));
        }
        other => {
            out.insert(key.to_string(), other.to_string());
        }
    }
}

fn join_key(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn require_directory(dir: &Path, expected: &'static str) -> Result<(), ReadError> {
    match fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => Ok(()),
        Ok(_) => Err(ReadError::NotADirectory {
            path: dir.to_path_buf(),
            expected,
        }),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Err(ReadError::Missing {
            path: dir.to_path_buf(),
            expected,
        }),
        Err(source) => Err(ReadError::Io {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

fn read_text(path: &Path, expected: &'static str) -> Result<String, ReadError> {
    let bytes = crate::regular_file::read(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            ReadError::Missing {
                path: path.to_path_buf(),
                expected,
            }
        } else {
            ReadError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    String::from_utf8(bytes).map_err(|error| ReadError::Invalid {
        path: path.to_path_buf(),
        line: None,
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        ),
    })
}

fn parse_summary(path: &Path, text: &str) -> Result<RunSummary, ReadError> {
    let summary: RunSummary = strict_json(text).map_err(|error| {
        let at = if error.field.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", error.field)
        };
        ReadError::Invalid {
            path: path.to_path_buf(),
            line: error.line,
            message: format!("not a synapse summary.json{at}: {}", error.message),
        }
    })?;
    // Failed, pending and invalid are a sweep's words for runs that never
    // trained to an end, so never wrote a summary.json.
    if !summary.status.is_training_end() {
        return Err(ReadError::Invalid {
            path: path.to_path_buf(),
            line: None,
            message: format!(
                "status `{}` is a sweep row's, not a run's; a run ends completed, early_stopped, \
                 diverged or interrupted",
                summary.status
            ),
        });
    }
    Ok(summary)
}

/// Why a JSON result file is not what synapse writes.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    /// Where in the document, as `final.train_loss`; empty for the whole.
    pub field: String,
    pub line: Option<u64>,
    /// Without serde_json's "at line L column C"; control characters escaped.
    pub message: String,
    /// Not JSON at all (as opposed to JSON of another shape).
    pub syntax: bool,
}

/// `text` as one JSON document of type `T`, strictly: anything but
/// whitespace after the document is an error, so that a file with data
/// appended (two runs' summaries concatenated, an editor's leftovers) is not
/// read as if the rest were not there. Every JSON result file (summary.json,
/// model.json, checkpoint.json) is read through this.
pub fn strict_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let located = |error: &serde_json::Error| (error.line() > 0).then_some(error.line() as u64);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        JsonError {
            field: if field == "." { String::new() } else { field },
            line: located(&inner),
            message: without_position(&inner),
            syntax: inner.is_syntax() || inner.is_eof(),
        }
    })?;
    // Unlike serde_json::from_str, a Deserializer stops at the end of the
    // value unless asked to check that nothing follows.
    deserializer.end().map_err(|error| JsonError {
        field: String::new(),
        line: located(&error),
        message: "data after the end of the JSON document".to_string(),
        syntax: true,
    })?;
    Ok(value)
}

/// serde_json's message without its "at line L column C", which the caller
/// gives as a line of the file; with any text quoted from the file escaped.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head);
    crate::text::printable(message)
}

/// summary.json's `final` is the last epoch's row of metrics.csv, column by
/// column: where they disagree one of the files was edited or belongs to
/// another run, and which one to believe cannot be told.
fn check_final_metrics(
    summary_path: &Path,
    metrics_path: &Path,
    summary: &RunSummary,
    columns: &[String],
    rows: &[Vec<f64>],
) -> Result<(), ReadError> {
    // Rows written after the summary (a run resumed since) are not its.
    let last = summary
        .epochs_run
        .checked_sub(1)
        .and_then(|index| rows.get(index));
    let expected: BTreeMap<&str, f64> = match last {
        Some(row) => columns
            .iter()
            .zip(row)
            .filter(|(name, _)| *name != "epoch")
            .map(|(name, value)| (name.as_str(), *value))
            .collect(),
        None => BTreeMap::new(),
    };
    let stated: BTreeMap<&str, f64> = summary
        .final_metrics
        .iter()
        .map(|(name, value)| (name.as_str(), *value))
        .collect();
    let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
    let disagreement = expected.keys().chain(stated.keys()).find(|name| {
        match (expected.get(*name), stated.get(*name)) {
            (Some(&a), Some(&b)) => !same(a, b),
            _ => true,
        }
    });
    let Some(name) = disagreement else {
        return Ok(());
    };
    let shown = |value: Option<&f64>| {
        value.map_or("absent".to_string(), |v| {
            crate::results::metrics_csv::format_number(*v)
        })
    };
    Err(ReadError::Invalid {
        path: summary_path.to_path_buf(),
        line: None,
        message: format!(
            "final `{}` is {}, but the last row of {} (epoch {}) has {}; the two files must agree",
            crate::text::printable(name),
            shown(stated.get(name)),
            metrics_path.display(),
            summary.epochs_run,
            shown(expected.get(name)),
        ),
    })
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    // Ragged rows are checked by hand, to say which line and how.
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes())
}

fn csv_error(path: &Path, error: csv::Error) -> ReadError {
    let line = error.position().map(|p| p.line());
    ReadError::Invalid {
        path: path.to_path_buf(),
        line,
        message: format!("not valid CSV: {error}"),
    }
}

fn header(path: &Path, reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, ReadError> {
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(path, e))?
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

fn parse_metrics(path: &Path, text: &str) -> Result<(Vec<String>, Vec<Vec<f64>>), ReadError> {
    let mut reader = csv_reader(text);
    let columns = header(path, &mut reader)?;
    let epoch_column = columns.iter().position(|c| c == "epoch");
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let line = record.position().map(|p| p.line());
        if record.len() != columns.len() {
            return Err(ReadError::Invalid {
                path: path.to_path_buf(),
                line,
                message: fields_message(record.len(), columns.len()),
            });
        }
        let row = record
            .iter()
            .zip(&columns)
            .map(|(cell, column)| {
                // metrics.csv writes "NaN" for a non-finite value, which parses.
                cell.trim().parse::<f64>().map_err(|_| ReadError::Invalid {
                    path: path.to_path_buf(),
                    line,
                    message: format!(
                        "column `{column}`: `{}` is not a number",
                        crate::data::cell::shown(cell)
                    ),
                })
            })
            .collect::<Result<Vec<f64>, ReadError>>()?;
        // synapse writes every epoch from 1, in order: a gap or a repeat is
        // a file that was edited or cut, whose curves would mislead.
        let expected = rows.len() + 1;
        if let Some(epoch) = epoch_column.map(|c| row[c])
            && epoch != expected as f64
        {
            return Err(ReadError::Invalid {
                path: path.to_path_buf(),
                line,
                message: format!(
                    "epoch {epoch} where epoch {expected} was expected: the rows run from epoch 1, one per epoch"
                ),
            });
        }
        rows.push(row);
    }
    Ok((columns, rows))
}

/// A run's config.toml as a table; invalid TOML is an error naming its line.
/// The CSV file named by the config.toml `config` of run directory `dir`
/// (see `RunFiles::data_file`).
pub fn data_file(dir: &Path, config: &toml::Table) -> Option<PathBuf> {
    let path = config.get("data")?.get("path")?.as_str()?;
    Some(dir.join(path))
}

pub fn parse_config(path: &Path, text: &str) -> Result<toml::Table, ReadError> {
    toml::from_str::<toml::Table>(text).map_err(|error| {
        let line = error
            .span()
            .map(|span| line_of(text, span.start))
            .filter(|_| !text.is_empty());
        ReadError::Invalid {
            path: path.to_path_buf(),
            line,
            message: format!("not valid TOML: {}", error.message().trim_end()),
        }
    })
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    let before = text.get(..end).unwrap_or(text);
    before.matches('\n').count() as u64 + 1
}

fn fields_message(found: usize, expected: usize) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "{found} field{}, but the header has {expected} column{}",
        plural(found),
        plural(expected)
    )
}

const PARAM_PREFIX: &str = "param_";

fn parse_sweep_summary(path: &Path, dir: &Path, text: &str) -> Result<Vec<SweepRow>, ReadError> {
    let mut reader = csv_reader(text);
    let columns = header(path, &mut reader)?;
    let find = |name: &str| {
        columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| ReadError::Invalid {
                path: path.to_path_buf(),
                line: Some(1),
                message: format!(
                    "no `{name}` column; a sweep's summary.csv has the columns run_dir, status \
                     and param_<key> for each swept key"
                ),
            })
    };
    let run_dir = find("run_dir")?;
    let status = find("status")?;
    // 0.2.0 wrote it; a summary.csv without the column only goes unchecked.
    let run_id = columns.iter().position(|c| c == "run_id");
    let params: Vec<(usize, String)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c.strip_prefix(PARAM_PREFIX)?.to_string())))
        .collect();

    let mut rows: Vec<SweepRow> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let invalid = |message: String| ReadError::Invalid {
            path: path.to_path_buf(),
            line: Some(line),
            message,
        };
        if record.len() != columns.len() {
            return Err(invalid(fields_message(record.len(), columns.len())));
        }
        let cell = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
        let status = Status::parse(&cell(status)).map_err(&invalid)?;
        let relative = cell(run_dir);
        // Only a run that trained has a directory: a pending, failed or
        // invalid one is a row of the sweep all the same, read as such.
        if relative.is_empty() && status.is_training_end() {
            return Err(invalid(format!(
                "empty `run_dir` for a {status} run; expected the run's directory, relative to \
                 the sweep directory"
            )));
        }
        let row = SweepRow {
            line,
            run_dir: (!relative.is_empty()).then(|| dir.join(&relative)),
            run_id: run_id.map(cell).filter(|id| !id.is_empty()),
            status,
            params: params
                .iter()
                .map(|(i, key)| (key.clone(), cell(*i)))
                .collect(),
        };
        // Two rows for one run would count it twice in its point's mean.
        if row.status.succeeded()
            && let Some(earlier) = rows.iter().find(|earlier| same_run(earlier, &row))
        {
            return Err(invalid(format!(
                "names the run of line {} again (`run_dir` {}, `run_id` {}); each run of a sweep \
                 has one row",
                earlier.line,
                crate::text::printable(&relative),
                row.run_id.as_deref().unwrap_or("empty"),
            )));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Whether two successful rows of one summary.csv stand for the same run.
fn same_run(a: &SweepRow, b: &SweepRow) -> bool {
    if !a.status.succeeded() {
        return false;
    }
    let same_dir = match (&a.run_dir, &b.run_dir) {
        (Some(a), Some(b)) => lexical(a) == lexical(b),
        _ => false,
    };
    let same_id = a.run_id.is_some() && a.run_id == b.run_id;
    same_dir || same_id
}

/// `a/b/../c` as `a/c`, without touching the disk: result directories are
/// plain directories, and their paths are compared as written.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let popped =
                    matches!(out.components().next_back(), Some(Component::Normal(_))) && out.pop();
                if !popped {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

impl SweepRow {
    /// Checks that `run`, read from this row's `run_dir`, is the run the row
    /// names: a summary.csv edited, or copied beside other runs, would
    /// otherwise put one run's numbers under another's values.
    ///
    /// `run_id` is the one in `run_dir`'s summary.json.
    pub fn check_holds(
        &self,
        summary_csv: &Path,
        run_dir: &Path,
        run_id: &str,
    ) -> Result<(), ReadError> {
        match &self.run_id {
            Some(id) if id != run_id => Err(ReadError::Invalid {
                path: summary_csv.to_path_buf(),
                line: Some(self.line),
                message: format!(
                    "the row is run `{id}`, but its `run_dir` {} holds run `{run_id}`",
                    run_dir.display(),
                ),
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        toml::from_str(text).expect("test TOML parses")
    }

    #[test]
    fn flatten_follows_nested_tables_and_arrays_of_tables() {
        let config = table(
            r#"
            [experiment]
            name = "heart"
            seed = 42
            [data]
            features = ["a", "b"]
            split = { validation = 0.2, test = 0.1 }
            [model]
            layers = [
              { units = 8, activation = "sigmoid" },
              { units = 1, activation = "sigmoid" },
            ]
            [training]
            learning_rate = 0.1
            epsilon = 1e-8
            shuffle = true
            [training.schedule]
            kind = "constant"
            "#,
        );
        let flat = flatten(&config);
        let expected: BTreeMap<String, String> = [
            ("data.features", r#"["a", "b"]"#),
            ("data.split.test", "0.1"),
            ("data.split.validation", "0.2"),
            ("experiment.name", r#""heart""#),
            ("experiment.seed", "42"),
            ("model.layers.0.activation", r#""sigmoid""#),
            ("model.layers.0.units", "8"),
            ("model.layers.1.activation", r#""sigmoid""#),
            ("model.layers.1.units", "1"),
            ("training.epsilon", "1e-8"),
            ("training.learning_rate", "0.1"),
            ("training.schedule.kind", r#""constant""#),
            ("training.shuffle", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(flat, expected);
    }

    #[test]
    fn flatten_of_an_empty_table_is_empty() {
        assert!(flatten(&toml::Table::new()).is_empty());
    }

    fn run_files(columns: &[&str], rows: Vec<Vec<f64>>) -> RunFiles {
        let summary = parse_summary(Path::new("summary.json"), SUMMARY).expect("test summary");
        RunFiles {
            dir: PathBuf::from("run"),
            summary,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
            config: toml::Table::new(),
        }
    }

    #[test]
    fn series_pairs_each_epoch_with_the_column_value() {
        let run = run_files(
            &["epoch", "train_loss", "validation_loss"],
            vec![vec![1.0, 0.5, 0.6], vec![2.0, 0.4, 0.55]],
        );
        assert_eq!(
            run.series("validation_loss"),
            Some(vec![(1.0, 0.6), (2.0, 0.55)])
        );
        assert_eq!(run.series("train_loss"), Some(vec![(1.0, 0.5), (2.0, 0.4)]));
        assert_eq!(run.series("validation_accuracy"), None);
    }

    #[test]
    fn series_of_a_run_without_epochs_is_empty() {
        let run = run_files(&["epoch", "train_loss"], vec![]);
        assert_eq!(run.series("train_loss"), Some(vec![]));
    }

    #[test]
    fn metrics_parse_including_nan() {
        let text = "epoch,train_cost,train_loss\n1,10.5,0.5\n2,NaN,NaN\n";
        let (columns, rows) = parse_metrics(Path::new("m.csv"), text).expect("parses");
        assert_eq!(columns, ["epoch", "train_cost", "train_loss"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], [1.0, 10.5, 0.5]);
        assert!(rows[1][1].is_nan());
    }

    #[test]
    fn a_corrupt_metrics_csv_is_an_error_naming_the_file_line_and_column() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_run(dir.path());
        fs::write(
            dir.path().join("metrics.csv"),
            "epoch,train_cost,train_loss\n1,10.5,0.5\n2,9.0,oops\n",
        )
        .expect("write");
        let error = RunFiles::read(dir.path()).expect_err("corrupt metrics");
        let message = error.to_string();
        assert!(message.contains("metrics.csv, line 3"), "{message}");
        assert!(message.contains("`train_loss`"), "{message}");
        assert!(message.contains("`oops` is not a number"), "{message}");
    }

    #[test]
    fn a_missing_or_repeated_epoch_is_an_error_naming_the_line() {
        for (text, line, found) in [
            (
                "epoch,train_loss\n1,0.5\n3,0.4\n",
                3,
                "epoch 3 where epoch 2",
            ),
            (
                "epoch,train_loss\n1,0.5\n1,0.4\n",
                3,
                "epoch 1 where epoch 2",
            ),
            ("epoch,train_loss\n2,0.5\n", 2, "epoch 2 where epoch 1"),
        ] {
            let error = parse_metrics(Path::new("m.csv"), text).expect_err(text);
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("m.csv, line {line}: {found}")),
                "{message}"
            );
        }
    }

    #[test]
    fn a_ragged_metrics_row_is_an_error_naming_the_line() {
        let error = parse_metrics(Path::new("metrics.csv"), "epoch,train_loss\n1,0.5\n2\n")
            .expect_err("ragged");
        assert_eq!(
            error.to_string(),
            "metrics.csv, line 3: 1 field, but the header has 2 columns"
        );
    }

    #[test]
    fn an_empty_metrics_csv_is_an_error() {
        let error = parse_metrics(Path::new("metrics.csv"), "").expect_err("empty");
        assert!(error.to_string().contains("header"), "{error}");
    }

    #[test]
    fn a_summary_with_an_unknown_field_is_an_error_naming_it() {
        let text = SUMMARY.replacen('{', "{\n  \"surprise\": 1,", 1);
        let error = parse_summary(Path::new("summary.json"), &text).expect_err("unknown field");
        let message = error.to_string();
        assert!(message.starts_with("summary.json, line 2: "), "{message}");
        assert!(message.contains("surprise"), "{message}");
    }

    #[test]
    fn a_broken_config_is_an_error_naming_the_line() {
        let error =
            parse_config(Path::new("config.toml"), "[training]\nepochs = \n").expect_err("broken");
        assert!(
            error
                .to_string()
                .starts_with("config.toml, line 2: not valid TOML"),
            "{error}"
        );
    }

    #[test]
    fn a_whole_run_directory_reads_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_run(dir.path());
        let run = RunFiles::read(dir.path()).expect("reads");
        assert_eq!(run.summary.run_id, "0123456789ab");
        assert_eq!(run.columns, ["epoch", "train_cost", "train_loss"]);
        assert_eq!(run.rows, [vec![1.0, 10.0, 0.5]]);
        assert_eq!(flatten(&run.config)["training.learning_rate"], "0.1");
        assert_eq!(DirKind::of(dir.path()).expect("kind"), DirKind::Run);
    }

    #[test]
    fn a_missing_summary_is_an_error_saying_what_was_expected() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_run(dir.path());
        fs::remove_file(dir.path().join("summary.json")).expect("remove");
        let message = RunFiles::read(dir.path()).expect_err("missing").to_string();
        assert!(message.contains("summary.json: not found"), "{message}");
        let message = DirKind::of(dir.path()).expect_err("neither").to_string();
        assert!(message.contains("neither a run directory"), "{message}");
    }

    #[test]
    fn a_file_or_a_missing_path_is_not_a_results_directory() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("file.txt");
        fs::write(&file, "x").expect("write");
        assert!(matches!(
            DirKind::of(&file),
            Err(ReadError::NotADirectory { .. })
        ));
        assert!(matches!(
            DirKind::of(&dir.path().join("nope")),
            Err(ReadError::Missing { .. })
        ));
    }

    #[test]
    fn a_sweep_summary_gives_run_dirs_statuses_and_params_in_column_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(
            dir.path().join("summary.csv"),
            "run_dir,status,param_training.learning_rate,param_experiment.seed,final_train_loss\n\
             ../aaa,completed,0.1,1,0.5\n\
             ../bbb,diverged,0.5,2,NaN\n",
        )
        .expect("write");
        assert_eq!(DirKind::of(dir.path()).expect("kind"), DirKind::Sweep);
        let sweep = SweepFiles::read(dir.path()).expect("reads");
        assert_eq!(sweep.rows.len(), 2);
        assert_eq!(sweep.rows[0].run_dir, Some(dir.path().join("../aaa")));
        assert_eq!(sweep.rows[1].status, Status::Diverged);
        assert_eq!(sweep.rows[1].line, 3);
        assert_eq!(
            sweep.rows[0].params,
            [
                ("training.learning_rate".to_string(), "0.1".to_string()),
                ("experiment.seed".to_string(), "1".to_string()),
            ]
        );
    }

    #[test]
    fn a_sweep_summary_without_run_dir_is_an_error_naming_the_column() {
        let error = parse_sweep_summary(Path::new("summary.csv"), Path::new("."), "status\nok\n")
            .expect_err("no run_dir");
        assert!(
            error
                .to_string()
                .starts_with("summary.csv, line 1: no `run_dir` column"),
            "{error}"
        );
    }

    #[test]
    fn strict_json_refuses_anything_after_the_document_but_whitespace() {
        assert_eq!(strict_json::<Vec<u8>>("[1, 2]\n \t\n"), Ok(vec![1, 2]));
        for text in ["[1] [2]", "[1]]", "[1] x", "[1]\n{}", "[1]\u{0}"] {
            let error = strict_json::<Vec<u8>>(text).expect_err(text);
            assert_eq!(
                error.message, "data after the end of the JSON document",
                "{text}"
            );
            assert!(error.syntax, "{text}");
            assert_eq!(
                error.line,
                Some(1 + text.matches('\n').count() as u64),
                "{text}"
            );
        }
    }

    #[test]
    fn strict_json_escapes_text_quoted_from_the_file() {
        let error = strict_json::<Status>("\"\\u001b[2J\"").expect_err("unknown");
        assert!(error.message.contains("`\\u{1b}[2J`"), "{}", error.message);
        assert!(!error.message.contains('\u{1b}'), "{}", error.message);
    }

    #[test]
    fn a_summary_is_refused_for_trailing_data_an_unknown_status_or_a_sweep_status() {
        for (text, fragment) in [
            (
                format!("{SUMMARY}{{}}"),
                "data after the end of the JSON document",
            ),
            (
                SUMMARY.replace("\"completed\"", "\"done\""),
                "unknown variant `done`",
            ),
            (
                SUMMARY.replace("\"completed\"", "\"pending\""),
                "status `pending` is a sweep row's",
            ),
        ] {
            let error = parse_summary(Path::new("summary.json"), &text).expect_err(fragment);
            assert!(error.to_string().contains(fragment), "{error}");
        }
    }

    #[test]
    fn final_metrics_must_be_the_last_row_of_metrics_csv() {
        for (metrics, fragment) in [
            (
                "epoch,train_cost,train_loss\n1,10.0,0.25\n",
                "final `train_loss` is 0.5, but the last row of",
            ),
            (
                "epoch,train_cost,train_loss,train_accuracy\n1,10.0,0.5,1.0\n",
                "final `train_accuracy` is absent",
            ),
            ("epoch,train_cost\n1,10.0\n", "final `train_loss` is 0.5"),
        ] {
            let dir = tempfile::tempdir().expect("temp dir");
            write_run(dir.path());
            fs::write(dir.path().join("metrics.csv"), metrics).expect("write");
            let message = RunFiles::read(dir.path()).expect_err(metrics).to_string();
            assert!(message.contains("summary.json: "), "{message}");
            assert!(message.contains(fragment), "{message}");
            assert!(message.contains("metrics.csv (epoch 1)"), "{message}");
        }
    }

    #[test]
    fn sweep_rows_without_a_run_are_read_and_rows_that_need_one_are_checked() {
        let header = "run,status,param_training.learning_rate,run_id,run_dir,error\n";
        let read = |rows: &str| {
            parse_sweep_summary(
                Path::new("summary.csv"),
                Path::new("s"),
                &format!("{header}{rows}"),
            )
        };
        let rows = read(
            "1,completed,0.1,aaa,../aaa,\n2,pending,0.2,,,not run yet\n3,invalid,-1,,,bad\n\
             4,failed,0.3,,,io\n5,diverged,9,bbb,../bbb,\n",
        )
        .expect("reads");
        let statuses: Vec<Status> = rows.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Completed,
                Status::Pending,
                Status::Invalid,
                Status::Failed,
                Status::Diverged
            ]
        );
        assert_eq!(rows[1].run_dir, None);
        assert_eq!(rows[0].run_id.as_deref(), Some("aaa"));
        for (bad, fragment) in [
            ("1,done,0.1,aaa,../aaa,\n", "line 2: unknown status `done`"),
            (
                "1,completed,0.1,aaa,,\n",
                "line 2: empty `run_dir` for a completed run",
            ),
            (
                "1,completed,0.1,aaa,../aaa,\n2,completed,0.2,bbb,./../aaa,\n",
                "line 3: names the run of line 2 again",
            ),
            (
                "1,completed,0.1,aaa,../aaa,\n2,early_stopped,0.2,aaa,../bbb,\n",
                "line 3: names the run of line 2 again",
            ),
        ] {
            let error = read(bad).expect_err(bad).to_string();
            assert!(error.contains(fragment), "{error}");
        }
        // A diverged run named twice is listed, not counted in a mean.
        read("1,diverged,0.1,aaa,../aaa,\n2,diverged,0.1,aaa,../aaa,\n").expect("reads");
    }

    #[test]
    fn a_row_holds_only_the_run_it_names() {
        let row = SweepRow {
            line: 4,
            run_dir: Some(PathBuf::from("s/../aaa")),
            run_id: Some("aaa".to_string()),
            status: Status::Completed,
            params: Vec::new(),
        };
        let summary = Path::new("summary.csv");
        row.check_holds(summary, Path::new("aaa"), "aaa")
            .expect("its run");
        let error = row
            .check_holds(summary, Path::new("aaa"), "bbb")
            .expect_err("another run")
            .to_string();
        assert_eq!(
            error,
            "summary.csv, line 4: the row is run `aaa`, but its `run_dir` aaa holds run `bbb`"
        );
    }

    #[test]
    fn messages_escape_control_characters_from_paths_and_files() {
        let error = ReadError::Invalid {
            path: PathBuf::from("a\u{1b}[2J/summary.csv"),
            line: Some(2),
            message: "bad `\u{7}`".to_string(),
        };
        assert_eq!(
            error.to_string(),
            "a\\u{1b}[2J/summary.csv, line 2: bad `\\u{7}`"
        );
    }

    fn write_run(dir: &Path) {
        fs::write(dir.join("summary.json"), SUMMARY).expect("write");
        fs::write(
            dir.join("metrics.csv"),
            "epoch,train_cost,train_loss\n1,10.0,0.5\n",
        )
        .expect("write");
        fs::write(dir.join("config.toml"), "[training]\nlearning_rate = 0.1\n").expect("write");
    }

    const SUMMARY: &str = r#"{
  "experiment": "heart",
  "run_id": "0123456789ab",
  "status": "completed",
  "task": "binary",
  "epochs_planned": 1,
  "epochs_run": 1,
  "final": { "train_cost": 10.0, "train_loss": 0.5 },
  "best": { "epoch": 1, "metrics": { "train_cost": 10.0, "train_loss": 0.5 } },
  "test": {},
  "restored_epoch": null,
  "divergence": null,
  "examples": { "train": 20, "validation": 0, "test": 0 },
  "parameters": 9,
  "seed": 1,
  "config_hash": "x",
  "data_hash": "y",
  "tool_version": "0.1.0",
  "train_seconds": 0.1,
  "wall_seconds": 0.2
}
"#;
}
