//! metrics.csv: one row per epoch, no timings, byte-identical on every rerun.
//! Written here row by row as training goes; read back here, as columns and
//! rows of numbers, by compare, sweeps and the report.
//!
//! The first row, epoch 0, is the initial weights evaluated before any
//! update (since 0.4.0): where training started, not an epoch run. Its
//! `learning_rate` cell is empty, the only empty cell the file may hold.
//! Files of older versions start at epoch 1 and still read.

use std::path::Path;

use super::csv_file;
use super::read_error::ReadError;

use crate::train::EpochRecord;
use crate::train::metrics::{Summary, TaskMetrics};

/// The column left empty on epoch 0's row.
const LEARNING_RATE: &str = "learning_rate";

/// The named values of one epoch, in column order. summary.json uses the same
/// names.
pub fn columns(record: &EpochRecord) -> Vec<(String, f64)> {
    let mut columns = vec![
        ("epoch".to_string(), record.epoch as f64),
        ("train_cost".to_string(), record.train.cost),
        ("train_loss".to_string(), record.train.loss),
    ];
    push_task("train", &record.train, &mut columns);
    if let Some(validation) = &record.validation {
        columns.push(("validation_loss".to_string(), validation.loss));
        push_task("validation", validation, &mut columns);
    }
    columns.push((LEARNING_RATE.to_string(), record.learning_rate));
    columns
}

/// `<split>_accuracy`, or `<split>_rmse` and `<split>_mae`.
pub fn push_task(split: &str, summary: &Summary, columns: &mut Vec<(String, f64)>) {
    match summary.task {
        TaskMetrics::Accuracy(accuracy) => columns.push((format!("{split}_accuracy"), accuracy)),
        TaskMetrics::Regression { rmse, mae } => {
            columns.push((format!("{split}_rmse"), rmse));
            columns.push((format!("{split}_mae"), mae));
        }
    }
}

/// The whole file. With no epochs (epochs = 0), the header alone, whose
/// columns are those `template` would have.
pub fn render(history: &[EpochRecord], template: &EpochRecord) -> String {
    let mut out = header(history.first().unwrap_or(template));
    for record in history {
        out.push_str(&row(record));
    }
    out
}

/// The header line (with its newline) of a file of records like `template`.
pub fn header(template: &EpochRecord) -> String {
    let names: Vec<String> = columns(template)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut line = names.join(",");
    line.push('\n');
    line
}

/// One row (with its newline).
pub fn row(record: &EpochRecord) -> String {
    let cells: Vec<String> = columns(record)
        .into_iter()
        .map(|(name, value)| {
            if name == "epoch" {
                format!("{}", record.epoch)
            } else if name == LEARNING_RATE && record.epoch == 0 {
                // No update was made: no rate, rather than a made-up one.
                String::new()
            } else {
                format_number(value)
            }
        })
        .collect();
    let mut line = cells.join(",");
    line.push('\n');
    line
}

/// A row read back (without its newline) as the record it was written
/// from, with the columns of `template`: the numbers are exact, so the
/// record renders to the same text, which is checked. (The validation
/// cost, which metrics.csv does not hold, reads as 0; epoch 0's empty
/// learning rate as NaN.) `None` for anything else.
pub fn parse_row(line: &str, template: &EpochRecord) -> Option<EpochRecord> {
    let mut cells = line.split(',');
    let epoch: usize = cells.next()?.parse().ok()?;
    let mut values = Vec::new();
    for cell in cells {
        // The round trip below holds that only epoch 0's rate is empty.
        values.push(if cell.is_empty() && epoch == 0 {
            f64::NAN
        } else {
            cell.parse::<f64>().ok()?
        });
    }
    let mut values = values.into_iter();
    let values = &mut values;
    // Column order as `columns` writes them.
    let cost = values.next()?;
    let train = Summary {
        cost,
        loss: values.next()?,
        task: task_read(&template.train.task, values)?,
    };
    let validation = match &template.validation {
        Some(like) => Some(Summary {
            cost: 0.0,
            loss: values.next()?,
            task: task_read(&like.task, values)?,
        }),
        None => None,
    };
    let record = EpochRecord {
        epoch,
        learning_rate: values.next()?,
        train,
        validation,
    };
    (values.next().is_none() && row(&record).strip_suffix('\n') == Some(line)).then_some(record)
}

fn task_read(like: &TaskMetrics, values: &mut impl Iterator<Item = f64>) -> Option<TaskMetrics> {
    Some(match like {
        TaskMetrics::Accuracy(_) => TaskMetrics::Accuracy(values.next()?),
        TaskMetrics::Regression { .. } => TaskMetrics::Regression {
            rmse: values.next()?,
            mae: values.next()?,
        },
    })
}

/// The shortest text that reads back as the same f64: exact and stable.
pub fn format_number(value: f64) -> String {
    if value.is_finite() {
        format!("{value:?}")
    } else {
        "NaN".to_string()
    }
}

/// The file as its header's columns and rows of numbers: epoch 0 (read
/// with a NaN learning rate), then every epoch from 1 in order (or from 1
/// alone, as versions before 0.4.0 wrote it); anything else is an error
/// naming the line.
pub fn parse(path: &Path, text: &str) -> Result<(Vec<String>, Vec<Vec<f64>>), ReadError> {
    let mut reader = csv_file::reader(text);
    let columns = csv_file::header(path, &mut reader)?;
    let epoch_column = columns.iter().position(|c| c == "epoch");
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_file::error(path, e))?;
        let line = record.position().map(|p| p.line());
        if record.len() != columns.len() {
            return Err(ReadError::Invalid {
                path: path.to_path_buf(),
                line,
                message: csv_file::fields_message(record.len(), columns.len()),
            });
        }
        let initial = epoch_column.and_then(|c| record.get(c)) == Some("0");
        let row = record
            .iter()
            .zip(&columns)
            .map(|(cell, column)| {
                if initial && column == LEARNING_RATE && cell.is_empty() {
                    return Ok(f64::NAN);
                }
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
        // synapse writes epoch 0 and then every epoch, in order: a gap or a
        // repeat is a file that was edited or cut, whose curves would
        // mislead. Before 0.4.0 there was no epoch 0.
        if let Some(c) = epoch_column {
            let epoch = row[c];
            let expected = rows.last().map_or(0.0, |last: &Vec<f64>| last[c] + 1.0);
            if epoch != expected && !(rows.is_empty() && epoch == 1.0) {
                return Err(ReadError::Invalid {
                    path: path.to_path_buf(),
                    line,
                    message: format!(
                        "epoch {epoch} where epoch {expected} was expected: the rows run from epoch 0 (the initial weights), one per epoch"
                    ),
                });
            }
        }
        rows.push(row);
    }
    Ok((columns, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn metrics_parse_including_nan() {
        let text = "epoch,train_cost,train_loss\n1,10.5,0.5\n2,NaN,NaN\n";
        let (columns, rows) = parse(Path::new("m.csv"), text).expect("parses");
        assert_eq!(columns, ["epoch", "train_cost", "train_loss"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], [1.0, 10.5, 0.5]);
        assert!(rows[1][1].is_nan());
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
            ("epoch,train_loss\n2,0.5\n", 2, "epoch 2 where epoch 0"),
            (
                "epoch,train_loss\n0,0.5\n2,0.4\n",
                3,
                "epoch 2 where epoch 1",
            ),
        ] {
            let error = parse(Path::new("m.csv"), text).expect_err(text);
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("m.csv, line {line}: {found}")),
                "{message}"
            );
        }
    }

    fn record(epoch: usize, learning_rate: f64) -> EpochRecord {
        let summary = Summary {
            cost: 2.5,
            loss: 0.25,
            task: TaskMetrics::Accuracy(0.75),
        };
        EpochRecord {
            epoch,
            learning_rate,
            train: summary,
            validation: Some(Summary {
                cost: 0.0,
                ..summary
            }),
        }
    }

    #[test]
    fn epoch_0_has_an_empty_learning_rate_and_reads_back() {
        let initial = record(0, f64::NAN);
        let text = render(&[initial.clone(), record(1, 0.1)], &initial);
        assert_eq!(
            text,
            "epoch,train_cost,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate\n\
             0,2.5,0.25,0.75,0.25,0.75,\n\
             1,2.5,0.25,0.75,0.25,0.75,0.1\n"
        );
        let lines: Vec<&str> = text.lines().collect();
        let read = parse_row(lines[1], &initial).expect("epoch 0");
        assert_eq!(read.epoch, 0);
        assert!(read.learning_rate.is_nan());
        assert_eq!(read.train, initial.train);
        assert_eq!(parse_row(lines[2], &initial), Some(record(1, 0.1)));
        // Only epoch 0 may leave the rate out, and epoch 0 must.
        assert_eq!(parse_row("1,2.5,0.25,0.75,0.25,0.75,", &initial), None);
        assert_eq!(parse_row("0,2.5,0.25,0.75,0.25,0.75,0.1", &initial), None);
        assert_eq!(parse_row("0,2.5,0.25,0.75,0.25,0.75,NaN", &initial), None);

        let (columns, rows) = parse(Path::new("m.csv"), &text).expect("parses");
        assert_eq!(columns.last().map(String::as_str), Some("learning_rate"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][..6], [0.0, 2.5, 0.25, 0.75, 0.25, 0.75]);
        assert!(rows[0][6].is_nan());
        assert_eq!(rows[1][6], 0.1);
    }

    #[test]
    fn an_empty_cell_is_refused_outside_epoch_0s_learning_rate() {
        for (text, fragment) in [
            (
                "epoch,train_loss,learning_rate\n0,0.5,\n1,0.4,\n",
                "line 3: column `learning_rate`: `` is not a number",
            ),
            (
                "epoch,train_loss,learning_rate\n0,,\n",
                "line 2: column `train_loss`: `` is not a number",
            ),
        ] {
            let message = parse(Path::new("m.csv"), text).expect_err(text).to_string();
            assert!(message.contains(fragment), "{message}");
        }
    }

    #[test]
    fn files_of_older_versions_start_at_epoch_1_and_still_read() {
        let text = "epoch,train_loss,learning_rate\n1,0.5,0.1\n2,0.4,0.1\n";
        let (_, rows) = parse(Path::new("m.csv"), text).expect("parses");
        assert_eq!(rows, [[1.0, 0.5, 0.1], [2.0, 0.4, 0.1]]);
    }

    #[test]
    fn a_ragged_metrics_row_is_an_error_naming_the_line() {
        let error =
            parse(Path::new("metrics.csv"), "epoch,train_loss\n1,0.5\n2\n").expect_err("ragged");
        assert_eq!(
            error.to_string(),
            "metrics.csv, line 3: 1 field, but the header has 2 columns"
        );
    }

    #[test]
    fn an_empty_metrics_csv_is_an_error() {
        let error = parse(Path::new("metrics.csv"), "").expect_err("empty");
        assert!(error.to_string().contains("header"), "{error}");
    }
}
