//! The comparison as text: the metrics table and the table of config keys
//! that differ, for a person; and the same numbers at full precision as
//! table.csv, for scripts.

use super::entries::{ABSENT, Entry};
use super::statistics::{Row, difference};
use super::verdict::{Outcome, csv_cells};
use crate::results::metrics_csv;
use crate::statistics::Stats;
use crate::text::{Align, Table, mean_std, number, signed};

fn with_std(stat: Option<Stats>) -> String {
    match stat {
        None => ABSENT.to_string(),
        Some(Stats {
            mean,
            std: Some(std),
            n,
        }) => mean_std(mean, Some(std), n),
        Some(Stats { mean, .. }) => number(mean),
    }
}

/// The baseline beside the metric, as the closing line of a run words it:
/// `always "no" 0.7167` (its accuracy), `mean 0.71` (its RMSE); empty
/// where the runs' summaries have none.
pub(super) fn baseline_text(row: &Row) -> String {
    let baseline = &row.baseline;
    let score = |stat: Stats| {
        if row.n > 1 {
            with_std(Some(stat))
        } else {
            number(stat.mean)
        }
    };
    match (baseline.accuracy, baseline.rmse) {
        (Some(accuracy), _) if !baseline.classes.is_empty() => {
            let classes: Vec<String> = baseline
                .classes
                .iter()
                .map(|class| format!("\"{class}\""))
                .collect();
            format!("always {} {}", classes.join("/"), score(accuracy))
        }
        (_, Some(rmse)) => format!("always the mean: rmse {}", score(rmse)),
        _ => String::new(),
    }
}

/// The findings' codes; in an entry of several runs, a code that not all
/// of them have says how many do: `stalled (2/3)`.
pub(super) fn findings_text(row: &Row) -> String {
    let codes: Vec<String> = row
        .findings
        .iter()
        .map(|(code, count)| {
            if *count < row.n {
                format!("{code} ({count}/{})", row.n)
            } else {
                code.clone()
            }
        })
        .collect();
    codes.join(", ")
}

/// ANSI yellow, the terminal's amber: a finding is a warning about a
/// result, not an error.
const AMBER: &str = "\u{1b}[33m";
const RESET: &str = "\u{1b}[0m";

/// The table for the terminal; `color` paints the findings amber (the
/// caller decides: a terminal, and no NO_COLOR).
pub(super) fn metrics_table(labels: &[String], rows: &[Row], color: bool) -> String {
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
    let with_baseline = rows.iter().any(|r| !baseline_text(r).is_empty());
    if with_baseline {
        header.push("baseline");
    }
    let with_findings = rows.iter().any(|r| !r.findings.is_empty());
    if with_findings {
        header.push("findings");
    }

    let lines: Vec<Vec<String>> = rows
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (row, label))| {
            // The reference's differences to itself would only be noise.
            let delta = |pick: fn(&Row) -> Option<Stats>| {
                if i == 0 || !row.comparable {
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
                    format!("{} ({})", with_std(Some(loss)), number(epoch.mean))
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
            if with_baseline {
                line.push(baseline_text(row));
            }
            if with_findings {
                line.push(findings_text(row));
            }
            line
        })
        .collect();
    // Everything after the label and the status is a number, but for the
    // baseline's words and the findings.
    let mut table = Table::new(&header).left_then_right(3);
    if with_findings {
        table = table.align(header.len() - 1, Align::Left);
    }
    for line in lines {
        table.row(line);
    }
    let text = table.render();
    if !(color && with_findings) {
        return text;
    }
    // The findings are the last column, left-aligned and trimmed, so each
    // row's line ends in them: painting that end keeps the columns aligned
    // (a table counts escape codes as characters).
    let mut out = String::with_capacity(text.len() + rows.len() * 9);
    for (i, line) in text.lines().enumerate() {
        let findings = i
            .checked_sub(1)
            .and_then(|row| rows.get(row))
            .map(findings_text)
            .filter(|f| !f.is_empty() && line.ends_with(f.as_str()));
        match findings {
            Some(f) => {
                let head = &line[..line.len() - f.len()];
                out.push_str(&format!("{head}{AMBER}{f}{RESET}\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

pub(super) fn diff_table(diff: &[(String, Vec<String>)], entries: usize) -> String {
    if diff.is_empty() {
        return "no config keys differ\n".to_string();
    }
    let mut header = vec!["key".to_string()];
    header.extend((1..=entries).map(|i| format!("#{i}")));
    let mut table = Table::new(&header);
    for (key, values) in diff {
        table.row(std::iter::once(key.clone()).chain(values.iter().cloned()));
    }
    format!("config keys that differ:\n{}", table.render())
}

const CSV_HEADER: [&str; 33] = [
    "entry",
    "label",
    "dir",
    "run_ids",
    "n",
    "status",
    "epochs",
    "headline_train_loss",
    "headline_train_loss_std",
    "headline_validation_loss",
    "headline_validation_loss_std",
    "best_validation_loss",
    "best_validation_loss_std",
    "best_epoch",
    "accuracy",
    "accuracy_std",
    "rmse",
    "rmse_std",
    "diff_headline_train_loss",
    "diff_headline_validation_loss",
    "diff_best_validation_loss",
    "diff_accuracy",
    "diff_rmse",
    // Added after the others, so that scripts reading by position still work.
    "baseline_class",
    "baseline_mean",
    "baseline_accuracy",
    "baseline_rmse",
    "findings",
    // The verdict against entry 1 on compare's --metric.
    "ci_low",
    "ci_high",
    "p_value",
    "test",
    "verdict",
];

/// The table at full precision, with the same columns whatever the task, for
/// scripts.
pub(super) fn table_csv(
    entries: &[Entry],
    labels: &[String],
    rows: &[Row],
    outcomes: &[Outcome],
) -> Vec<u8> {
    let optional = |x: Option<f64>| x.map(metrics_csv::format_number).unwrap_or_default();
    let mean = |s: Option<Stats>| optional(s.map(|s| s.mean));
    let std = |s: Option<Stats>| optional(s.and_then(|s| s.std));
    let reference = rows.first();
    let diff = |row: &Row, pick: fn(&Row) -> Option<Stats>| {
        if !row.comparable {
            return String::new();
        }
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
        let mut record = vec![
            (i + 1).to_string(),
            label.clone(),
            entry.source.display().to_string(),
            ids.join(" "),
            row.n.to_string(),
            row.status.clone(),
            number(row.epochs.mean),
            mean(row.final_train_loss),
            std(row.final_train_loss),
            mean(row.final_validation_loss),
            std(row.final_validation_loss),
            mean(row.best_validation_loss),
            std(row.best_validation_loss),
            row.best_epoch.map(|s| number(s.mean)).unwrap_or_default(),
            mean(row.accuracy),
            std(row.accuracy),
            mean(row.rmse),
            std(row.rmse),
            diff(row, |r| r.final_train_loss),
            diff(row, |r| r.final_validation_loss),
            diff(row, |r| r.best_validation_loss),
            diff(row, |r| r.accuracy),
            diff(row, |r| r.rmse),
            row.baseline.classes.join("/"),
            mean(row.baseline.mean),
            mean(row.baseline.accuracy),
            mean(row.baseline.rmse),
            // Codes have no spaces: one space between them splits them back.
            row.findings
                .iter()
                .map(|(code, _)| code.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ];
        record.extend(csv_cells(outcomes.get(i)));
        records.push(record);
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
    use crate::compare::statistics::Baseline;

    fn stat(mean: f64) -> Option<Stats> {
        Some(Stats {
            mean,
            std: None,
            n: 1,
        })
    }

    fn row(findings: &[(&str, usize)], baseline: Baseline) -> Row {
        Row {
            n: 1,
            status: "completed".to_string(),
            epochs: Stats {
                mean: 5.0,
                std: None,
                n: 1,
            },
            epochs_range: (5, 5),
            final_train_loss: stat(0.4),
            final_validation_loss: stat(0.5),
            best_validation_loss: stat(0.45),
            best_epoch: stat(4.0),
            accuracy: stat(0.85534),
            rmse: None,
            baseline,
            findings: findings
                .iter()
                .map(|(code, count)| (code.to_string(), *count))
                .collect(),
            comparable: true,
        }
    }

    fn majority(accuracy: f64) -> Baseline {
        Baseline {
            classes: vec!["no".to_string()],
            mean: None,
            accuracy: stat(accuracy),
            rmse: None,
        }
    }

    #[test]
    fn the_baseline_stands_beside_the_metric_and_findings_close_the_line() {
        let rows = [
            row(&[], majority(0.716_666)),
            row(
                &[("constant_output", 1), ("no_better_than_baseline", 1)],
                majority(0.716_666),
            ),
        ];
        let labels = ["a".to_string(), "b".to_string()];
        let text = metrics_table(&labels, &rows, false);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].ends_with("accuracy  Δ            baseline  findings"),
            "{text}"
        );
        assert!(
            lines[1].ends_with("0.8553     always \"no\" 0.7167"),
            "{text}"
        );
        assert!(
            lines[2].ends_with("always \"no\" 0.7167  constant_output, no_better_than_baseline"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn in_color_only_the_findings_are_painted_and_the_columns_stay_aligned() {
        let rows = [
            row(&[("stalled", 1)], majority(0.7)),
            row(&[], majority(0.7)),
        ];
        let labels = ["a".to_string(), "b".to_string()];
        let plain = metrics_table(&labels, &rows, false);
        let painted = metrics_table(&labels, &rows, true);
        assert_eq!(painted.replace(AMBER, "").replace(RESET, ""), plain);
        assert_eq!(painted.matches(AMBER).count(), 1, "{painted}");
        let line = painted.lines().nth(1).expect("first row");
        assert!(line.ends_with("\u{1b}[33mstalled\u{1b}[0m"), "{painted}");
    }

    #[test]
    fn a_regression_baseline_is_the_mean_s_rmse_and_a_partial_finding_counts_its_runs() {
        let mut regression = row(
            &[("overfitting", 2)],
            Baseline {
                classes: Vec::new(),
                mean: stat(3.2),
                accuracy: None,
                rmse: Some(Stats {
                    mean: 0.714,
                    std: Some(0.0123),
                    n: 3,
                }),
            },
        );
        regression.n = 3;
        assert_eq!(
            baseline_text(&regression),
            "always the mean: rmse 0.714 ± 0.012"
        );
        assert_eq!(findings_text(&regression), "overfitting (2/3)");
        let older = row(&[], Baseline::default());
        assert_eq!(baseline_text(&older), "");
        assert_eq!(findings_text(&older), "");
    }
}
