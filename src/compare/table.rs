//! The comparison as text: the metrics table and the table of config keys
//! that differ, for a person; and the same numbers at full precision as
//! table.csv, for scripts.

use super::entries::{ABSENT, Entry};
use super::statistics::{Row, difference};
use crate::error::printable;
use crate::report::format::number;
use crate::results::metrics_csv;
use crate::statistics::Stats;

/// A signed difference, with a true minus sign as in print.
fn signed(d: f64) -> String {
    if d == 0.0 {
        return "0".to_string();
    }
    if !d.is_finite() {
        return metrics_csv::format_number(d);
    }
    let text = if d.abs() < 5e-5 || d.abs() >= 1e5 {
        format!("{d:+.1e}")
    } else {
        format!("{d:+.4}")
    };
    match text.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None => text,
    }
}

fn with_std(stat: Option<Stats>) -> String {
    match stat {
        None => ABSENT.to_string(),
        Some(Stats {
            mean,
            std: Some(std),
            ..
        }) => format!("{} ± {}", number(mean), number(std)),
        Some(Stats { mean, .. }) => number(mean),
    }
}

/// Epochs are whole, but their mean over seeds need not be.
fn count(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

pub(super) fn metrics_table(labels: &[String], rows: &[Row]) -> String {
    let with_n = rows.iter().any(|r| r.n > 1);
    let with_accuracy = rows.iter().any(|r| r.accuracy.is_some());
    let with_rmse = rows.iter().any(|r| r.rmse.is_some());
    let reference = rows.first();

    let mut header = vec!["#", "entry", "status", "epochs"];
    if with_n {
        header.push("n");
    }
    header.extend(["train_loss", "val_loss", "Δ", "best val_loss (epoch)", "Δ"]);
    if with_accuracy {
        header.extend(["accuracy", "Δ"]);
    }
    if with_rmse {
        header.extend(["rmse", "Δ"]);
    }

    let lines: Vec<Vec<String>> = rows
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (row, label))| {
            // The reference's differences to itself would only be noise.
            let delta = |pick: fn(&Row) -> Option<Stats>| {
                if i == 0 {
                    return String::new();
                }
                difference(pick(row), reference.and_then(pick)).map_or(ABSENT.to_string(), signed)
            };
            let (low, high) = row.epochs_range;
            let mut line = vec![
                format!("{}", i + 1),
                label.clone(),
                row.status.clone(),
                if low == high {
                    low.to_string()
                } else {
                    format!("{low}-{high}")
                },
            ];
            if with_n {
                line.push(row.n.to_string());
            }
            let best = match (row.best_validation_loss, row.best_epoch) {
                (Some(loss), Some(epoch)) => {
                    format!("{} ({})", with_std(Some(loss)), count(epoch.mean))
                }
                (loss, _) => with_std(loss),
            };
            line.extend([
                with_std(row.final_train_loss),
                with_std(row.final_validation_loss),
                delta(|r| r.final_validation_loss),
                best,
                delta(|r| r.best_validation_loss),
            ]);
            if with_accuracy {
                line.extend([with_std(row.accuracy), delta(|r| r.accuracy)]);
            }
            if with_rmse {
                line.extend([with_std(row.rmse), delta(|r| r.rmse)]);
            }
            line
        })
        .collect();
    // Everything after the label and the status is a number.
    let left_aligned = 3;
    aligned(&header, &lines, left_aligned)
}

pub(super) fn diff_table(diff: &[(String, Vec<String>)], entries: usize) -> String {
    if diff.is_empty() {
        return "no config keys differ\n".to_string();
    }
    let mut header = vec!["key".to_string()];
    header.extend((1..=entries).map(|i| format!("#{i}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let lines: Vec<Vec<String>> = diff
        .iter()
        .map(|(key, values)| {
            let mut line = vec![key.clone()];
            line.extend(values.iter().cloned());
            line
        })
        .collect();
    format!(
        "config keys that differ:\n{}",
        aligned(&header, &lines, header.len())
    )
}

/// Columns padded to their widest cell (in characters: `Δ`, `±` and `—` are
/// one each), the first `left` of them left-aligned and the rest right-aligned.
///
/// Cells quote result files (experiment names, config values), so control
/// characters are escaped here, the one place the tables are put together.
fn aligned(header: &[&str], lines: &[Vec<String>], left: usize) -> String {
    let lines: Vec<Vec<String>> = lines
        .iter()
        .map(|line| line.iter().map(|cell| printable(cell)).collect())
        .collect();
    let width = |i: usize| {
        lines
            .iter()
            .filter_map(|l| l.get(i))
            .map(|c| c.chars().count())
            .chain([header.get(i).map_or(0, |h| h.chars().count())])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let render = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, &w))| {
                if i < left {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        let mut line = padded.join("  ").trim_end().to_string();
        line.push('\n');
        line
    };
    let mut out = render(header.to_vec());
    for line in lines {
        out.push_str(&render(line.iter().map(String::as_str).collect()));
    }
    out
}

const CSV_HEADER: [&str; 23] = [
    "entry",
    "label",
    "dir",
    "run_ids",
    "n",
    "status",
    "epochs",
    "final_train_loss",
    "final_train_loss_std",
    "final_validation_loss",
    "final_validation_loss_std",
    "best_validation_loss",
    "best_validation_loss_std",
    "best_epoch",
    "accuracy",
    "accuracy_std",
    "rmse",
    "rmse_std",
    "diff_final_train_loss",
    "diff_final_validation_loss",
    "diff_best_validation_loss",
    "diff_accuracy",
    "diff_rmse",
];

/// The table at full precision, with the same columns whatever the task, for
/// scripts.
pub(super) fn table_csv(entries: &[Entry], labels: &[String], rows: &[Row]) -> Vec<u8> {
    let optional = |x: Option<f64>| x.map(metrics_csv::format_number).unwrap_or_default();
    let mean = |s: Option<Stats>| optional(s.map(|s| s.mean));
    let std = |s: Option<Stats>| optional(s.and_then(|s| s.std));
    let reference = rows.first();
    let diff = |row: &Row, pick: fn(&Row) -> Option<Stats>| {
        optional(difference(pick(row), reference.and_then(pick)))
    };

    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut records: Vec<Vec<String>> = vec![CSV_HEADER.iter().map(|h| h.to_string()).collect()];
    for (i, ((entry, label), row)) in entries.iter().zip(labels).zip(rows).enumerate() {
        let ids: Vec<&str> = entry
            .runs
            .iter()
            .map(|r| r.summary.run_id.as_str())
            .collect();
        records.push(vec![
            (i + 1).to_string(),
            label.clone(),
            entry.source.display().to_string(),
            ids.join(" "),
            row.n.to_string(),
            row.status.clone(),
            count(row.epochs.mean),
            mean(row.final_train_loss),
            std(row.final_train_loss),
            mean(row.final_validation_loss),
            std(row.final_validation_loss),
            mean(row.best_validation_loss),
            std(row.best_validation_loss),
            row.best_epoch.map(|s| count(s.mean)).unwrap_or_default(),
            mean(row.accuracy),
            std(row.accuracy),
            mean(row.rmse),
            std(row.rmse),
            diff(row, |r| r.final_train_loss),
            diff(row, |r| r.final_validation_loss),
            diff(row, |r| r.best_validation_loss),
            diff(row, |r| r.accuracy),
            diff(row, |r| r.rmse),
        ]);
    }
    for record in &records {
        // Writing CSV into memory cannot fail; an error would only drop the row.
        let _ = writer.write_record(record);
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_carry_a_true_minus_sign() {
        assert_eq!(signed(0.0123), "+0.0123");
        assert_eq!(signed(-0.004), "−0.0040");
        assert_eq!(signed(0.0), "0");
        assert_eq!(signed(-0.000_001), "−1.0e-6");
    }

    #[test]
    fn aligned_columns_count_characters_not_bytes() {
        let text = aligned(&["a", "Δ"], &[vec!["x".to_string(), "−1".to_string()]], 1);
        assert_eq!(text, "a   Δ\nx  −1\n");
    }
}
