//! `synapse compare`: runs and sweeps side by side, read from their files
//! alone, so results copied from another machine compare the same.
//!
//! Each run directory is one entry; each point of a sweep directory (its runs
//! that differ only in the seed) is one entry whose numbers are means over
//! the seeds. The first entry is the reference that differences are
//! measured against.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::{CompareArgs, Global};
use crate::commands::stdout;
use crate::error::Error;
use crate::error::printable;
use crate::plot::{Figure, Panel, Series};
use crate::report::format::number;
use crate::results::config_toml;
use crate::results::figure_files::FigureFiles;
use crate::results::output_guard::Output;
use crate::results::read::{DirKind, RunFiles, SweepFiles};
use crate::results::sweep_summary_csv::SweepRow;
use crate::results::{atomic, metrics_csv, run_id};

const SEED_KEY: &str = "experiment.seed";
/// Free text that differs between otherwise identical experiments.
const IGNORED_KEYS: [&str; 1] = ["experiment.description"];
/// More differing keys than this make labels too long to read in a legend;
/// the run id is shorter then.
const MAX_LABEL_KEYS: usize = 3;
/// Shown for a config key one entry has and another has not.
const ABSENT: &str = "—";

pub fn compare(args: &CompareArgs, global: &Global) -> Result<(), Error> {
    // Refused before anything is read: where --out would write does not
    // depend on what is compared.
    if let Some(out) = &args.out {
        Outputs::new(Some(out), &global.results, "").guard(out, &args.dirs, &[])?;
    }
    let mut entries = Vec::new();
    let mut identity = String::new();
    for dir in &args.dirs {
        let input = read_input(dir)?;
        identity.push_str(&input.identity);
        identity.push('\n');
        entries.extend(input.entries);
    }
    // Which data the runs trained on is known only once they are read.
    if let Some(out) = &args.out {
        let data: Vec<PathBuf> = entries
            .iter()
            .flat_map(|e| e.runs.iter().filter_map(RunFiles::data_file))
            .collect();
        Outputs::new(Some(out), &global.results, "").guard(out, &args.dirs, &data)?;
    }

    let configs: Vec<BTreeMap<String, String>> = entries.iter().map(Entry::config).collect();
    let diff = config_diff(&configs);
    let labels = labels(&entries, &configs, &diff);
    let rows: Vec<Row> = entries.iter().map(Row::of).collect();

    let figure = figure(&entries, &labels);
    let csv = table_csv(&entries, &labels, &rows);
    let outputs = Outputs::new(
        args.out.as_deref(),
        &global.results,
        &run_id::sha256_hex(identity.as_bytes())[..12],
    );
    outputs.write(&figure, &csv)?;

    let mut text = metrics_table(&labels, &rows);
    text.push('\n');
    text.push_str(&diff_table(&diff, entries.len()));
    text.push('\n');
    for path in [&outputs.png, &outputs.svg, &outputs.csv] {
        text.push_str(&format!("wrote {}\n", path.display()));
    }
    stdout::write(text.as_bytes())
}

/// One line of the comparison: a run, or a sweep point of one or more seeds.
struct Entry {
    /// The directory named on the command line.
    source: PathBuf,
    /// A sweep point's swept values without the seed, as (dotted key, value);
    /// None for a run directory.
    swept: Option<Vec<(String, String)>>,
    /// Never empty.
    runs: Vec<RunFiles>,
}

/// What one command-line directory contributes.
struct Input {
    entries: Vec<Entry>,
    /// The run ids it stands for, which name the default output directory.
    identity: String,
}

fn read_input(dir: &Path) -> Result<Input, Error> {
    match DirKind::of(dir)? {
        DirKind::Run => {
            let run = RunFiles::read(dir)?;
            Ok(Input {
                identity: format!("run {}", run.summary.run_id),
                entries: vec![Entry {
                    source: run.dir.clone(),
                    swept: None,
                    runs: vec![run],
                }],
            })
        }
        DirKind::Sweep => read_sweep(dir),
    }
}

fn read_sweep(dir: &Path) -> Result<Input, Error> {
    let sweep = SweepFiles::read(dir)?;
    let summary = sweep.dir.join("summary.csv");
    let mut entries: Vec<Entry> = Vec::new();
    for row in sweep.rows {
        // Diverged or interrupted runs would drag a point's mean; pending,
        // failed and invalid ones have nothing to compare.
        let run_dir = match &row.run_dir {
            Some(dir) if row.status.succeeded() => dir,
            _ => {
                eprintln!(
                    "note: {}, line {}: leaving out {} (status {})",
                    printable(&summary.display().to_string()),
                    row.line,
                    row_name(&row),
                    row.status
                );
                continue;
            }
        };
        let run = RunFiles::read(run_dir)?;
        row.check_holds(&summary, &run.dir, &run.summary.run_id)?;
        let swept: Vec<(String, String)> = row
            .params
            .into_iter()
            .filter(|(key, _)| key != SEED_KEY)
            .collect();
        match entries
            .iter_mut()
            .find(|e| e.swept.as_ref() == Some(&swept))
        {
            Some(point) => point.runs.push(run),
            None => entries.push(Entry {
                source: sweep.dir.clone(),
                swept: Some(swept),
                runs: vec![run],
            }),
        }
    }
    if entries.is_empty() {
        return Err(Error::Results {
            path: summary,
            message: "has no completed or early-stopped runs to compare".to_string(),
        });
    }
    let ids: Vec<&str> = entries
        .iter()
        .flat_map(|e| &e.runs)
        .map(|r| r.summary.run_id.as_str())
        .collect();
    Ok(Input {
        identity: format!("sweep {}", ids.join(" ")),
        entries,
    })
}

/// A sweep row as a note names it: its directory, or else its values.
fn row_name(row: &SweepRow) -> String {
    match &row.run_dir {
        Some(dir) => printable(&dir.display().to_string()),
        None => {
            let values: Vec<String> = row
                .params
                .iter()
                .map(|(key, value)| format!("{key}={value}"))
                .collect();
            format!("the run with {}", printable(&values.join(" ")))
        }
    }
}

impl Entry {
    fn experiment(&self) -> &str {
        self.runs
            .first()
            .map_or("", |r| r.summary.experiment.as_str())
    }

    /// The flattened config; a key whose value differs between the seeds of
    /// a sweep point (the seed itself) shows every value, as `{1, 2}`.
    fn config(&self) -> BTreeMap<String, String> {
        let flat: Vec<BTreeMap<String, String>> = self
            .runs
            .iter()
            .map(|r| config_toml::flatten(&r.config))
            .collect();
        let mut keys: Vec<&String> = flat.iter().flat_map(|f| f.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|key| {
                let mut values: Vec<&str> = Vec::new();
                for run in &flat {
                    let value = run.get(key).map_or(ABSENT, String::as_str);
                    if !values.contains(&value) {
                        values.push(value);
                    }
                }
                let shown = match values.as_slice() {
                    [one] => one.to_string(),
                    many => format!("{{{}}}", many.join(", ")),
                };
                (key.clone(), shown)
            })
            .collect()
    }
}

/// The keys whose values are not the same in every entry, with each entry's
/// value, in key order.
fn config_diff(configs: &[BTreeMap<String, String>]) -> Vec<(String, Vec<String>)> {
    let mut keys: Vec<&String> = configs.iter().flat_map(|c| c.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| !IGNORED_KEYS.contains(&key.as_str()))
        .filter_map(|key| {
            let values: Vec<String> = configs
                .iter()
                .map(|c| c.get(key).cloned().unwrap_or_else(|| ABSENT.to_string()))
                .collect();
            let differs = values.iter().any(|v| Some(v) != values.first());
            differs.then(|| (key.clone(), values))
        })
        .collect()
}

/// Readable names: a sweep point by its swept values, a run by the few keys
/// that tell the runs apart (or else its run id), each after its experiment.
fn labels(
    entries: &[Entry],
    configs: &[BTreeMap<String, String>],
    diff: &[(String, Vec<String>)],
) -> Vec<String> {
    let telling: Vec<&str> = diff
        .iter()
        .map(|(key, _)| key.as_str())
        .filter(|key| *key != "experiment.name")
        .collect();
    let by_keys = (1..=MAX_LABEL_KEYS).contains(&telling.len());
    let names = short_names(&telling);

    let mut labels: Vec<String> = entries
        .iter()
        .zip(configs)
        .map(|(entry, config)| {
            let experiment = entry.experiment();
            match &entry.swept {
                Some(swept) if !swept.is_empty() => {
                    let keys: Vec<&str> = swept.iter().map(|(k, _)| k.as_str()).collect();
                    let pairs: Vec<String> = short_names(&keys)
                        .iter()
                        .zip(swept)
                        .map(|(name, (_, value))| format!("{name}={}", unquoted(value)))
                        .collect();
                    format!("{experiment} {}", pairs.join(" "))
                }
                Some(_) => format!("{experiment} {}", file_name(&entry.source)),
                None if by_keys => {
                    let pairs: Vec<String> = names
                        .iter()
                        .zip(&telling)
                        .map(|(name, key)| {
                            let value = config.get(*key).map_or(ABSENT, String::as_str);
                            format!("{name}={}", unquoted(value))
                        })
                        .collect();
                    format!("{experiment} {}", pairs.join(" "))
                }
                None => {
                    let id = entry.runs.first().map_or("", |r| r.summary.run_id.as_str());
                    format!("{experiment} {id}")
                }
            }
        })
        .collect();

    // The same run named twice (say, a run and its copy) still needs two
    // legend entries that can be told apart.
    let duplicated: Vec<bool> = labels
        .iter()
        .map(|l| labels.iter().filter(|m| *m == l).count() > 1)
        .collect();
    for (i, label) in labels.iter_mut().enumerate() {
        if duplicated[i] {
            label.push_str(&format!(" #{}", i + 1));
        }
    }
    labels
}

/// The last segment of each dotted key (`learning_rate` as `lr`), or the
/// whole key where two keys would share a name.
fn short_names(keys: &[&str]) -> Vec<String> {
    let short = |key: &str| {
        let last = key.rsplit('.').next().unwrap_or(key);
        if last == "learning_rate" {
            "lr".to_string()
        } else {
            last.to_string()
        }
    };
    keys.iter()
        .map(|key| {
            let name = short(key);
            let shared = keys.iter().filter(|k| short(k) == name).count() > 1;
            if shared { key.to_string() } else { name }
        })
        .collect()
}

fn unquoted(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A mean over an entry's runs, with the sample standard deviation where
/// there are two or more.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stat {
    mean: f64,
    std: Option<f64>,
    n: usize,
}

fn stat(values: &[f64]) -> Option<Stat> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let std = (n > 1).then(|| {
        let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        (squares / (n - 1) as f64).sqrt()
    });
    Some(Stat { mean, std, n })
}

/// An entry's numbers, as the table shows them.
struct Row {
    n: usize,
    status: String,
    epochs: Stat,
    epochs_range: (usize, usize),
    final_train_loss: Option<Stat>,
    final_validation_loss: Option<Stat>,
    best_validation_loss: Option<Stat>,
    best_epoch: Option<Stat>,
    /// Final validation accuracy, or training accuracy without a validation split.
    accuracy: Option<Stat>,
    /// Final validation RMSE, or training RMSE without a validation split.
    rmse: Option<Stat>,
}

impl Row {
    fn of(entry: &Entry) -> Row {
        let runs = &entry.runs;
        let each = |value: &dyn Fn(&RunFiles) -> Option<f64>| {
            stat(&runs.iter().filter_map(value).collect::<Vec<_>>())
        };
        let last =
            |name: &'static str| move |r: &RunFiles| r.summary.final_metrics.get(name).copied();
        let either = |first: &'static str, second: &'static str| {
            move |r: &RunFiles| last(first)(r).or_else(|| last(second)(r))
        };
        let best_validation = |r: &RunFiles| {
            r.summary
                .best
                .as_ref()
                .and_then(|b| b.metrics.get("validation_loss").copied())
        };
        let best_epoch = |r: &RunFiles| {
            let best = r.summary.best.as_ref()?;
            best.metrics
                .contains_key("validation_loss")
                .then_some(best.epoch as f64)
        };

        let mut statuses: Vec<&str> = Vec::new();
        for run in runs {
            if !statuses.contains(&run.summary.status.as_str()) {
                statuses.push(run.summary.status.as_str());
            }
        }
        let epochs: Vec<usize> = runs.iter().map(|r| r.summary.epochs_run).collect();
        let as_float: Vec<f64> = epochs.iter().map(|&e| e as f64).collect();
        Row {
            n: runs.len(),
            status: statuses.join("/"),
            epochs: stat(&as_float).unwrap_or(Stat {
                mean: 0.0,
                std: None,
                n: 0,
            }),
            epochs_range: (
                epochs.iter().copied().min().unwrap_or(0),
                epochs.iter().copied().max().unwrap_or(0),
            ),
            final_train_loss: each(&last("train_loss")),
            final_validation_loss: each(&last("validation_loss")),
            best_validation_loss: each(&best_validation),
            best_epoch: each(&best_epoch),
            accuracy: each(&either("validation_accuracy", "train_accuracy")),
            rmse: each(&either("validation_rmse", "train_rmse")),
        }
    }
}

fn difference(value: Option<Stat>, reference: Option<Stat>) -> Option<f64> {
    Some(value?.mean - reference?.mean)
}

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

fn with_std(stat: Option<Stat>) -> String {
    match stat {
        None => ABSENT.to_string(),
        Some(Stat {
            mean,
            std: Some(std),
            ..
        }) => format!("{} ± {}", number(mean), number(std)),
        Some(Stat { mean, .. }) => number(mean),
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

fn metrics_table(labels: &[String], rows: &[Row]) -> String {
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
            let delta = |pick: fn(&Row) -> Option<Stat>| {
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

fn diff_table(diff: &[(String, Vec<String>)], entries: usize) -> String {
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
fn table_csv(entries: &[Entry], labels: &[String], rows: &[Row]) -> Vec<u8> {
    let optional = |x: Option<f64>| x.map(metrics_csv::format_number).unwrap_or_default();
    let mean = |s: Option<Stat>| optional(s.map(|s| s.mean));
    let std = |s: Option<Stat>| optional(s.and_then(|s| s.std));
    let reference = rows.first();
    let diff = |row: &Row, pick: fn(&Row) -> Option<Stat>| {
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

/// Left, the loss per example (validation, or training where a run has no
/// validation split); right, the training cost. A sweep point is drawn as
/// its mean over seeds in a ± one standard deviation band.
fn figure(entries: &[Entry], labels: &[String]) -> Figure {
    let mut losses = Vec::new();
    let mut costs = Vec::new();
    for (entry, label) in entries.iter().zip(labels) {
        let validation = entry
            .runs
            .iter()
            .all(|r| r.columns.iter().any(|c| c == "validation_loss"));
        losses.push(if validation {
            mean_series(entry, "validation_loss", label.clone())
        } else {
            mean_series(entry, "train_loss", format!("{label} (train loss)"))
        });
        costs.push(mean_series(entry, "train_cost", label.clone()));
    }
    let title = if labels.len() <= 3 {
        labels.join(" vs ")
    } else {
        let mut experiments: Vec<&str> = entries.iter().map(Entry::experiment).collect();
        experiments.dedup();
        format!("{}: {} compared", experiments.join(", "), labels.len())
    };
    Figure {
        title,
        panels: vec![
            Panel {
                title: "Validation loss per example".to_string(),
                x_label: "epoch".to_string(),
                y_label: "mean loss".to_string(),
                series: losses,
                log_y: false,
            },
            Panel {
                title: "Training cost per epoch".to_string(),
                x_label: "epoch".to_string(),
                y_label: "cost (sum of losses)".to_string(),
                series: costs,
                log_y: false,
            },
        ],
    }
}

/// The mean over the entry's runs at each epoch any of them reached, and a
/// band where at least two did.
fn mean_series(entry: &Entry, column: &str, label: String) -> Series {
    let mut by_epoch: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for run in &entry.runs {
        for (epoch, value) in run.series(column).unwrap_or_default() {
            if epoch.is_finite() {
                by_epoch
                    .entry(epoch.round() as i64)
                    .or_default()
                    .push(value);
            }
        }
    }
    let stats: Vec<(f64, Stat)> = by_epoch
        .iter()
        .filter_map(|(&epoch, values)| Some((epoch as f64, stat(values)?)))
        .collect();
    let band = (entry.runs.len() > 1).then(|| {
        stats
            .iter()
            .filter_map(|(x, s)| s.std.map(|std| (*x, s.mean - std, s.mean + std)))
            .collect()
    });
    Series {
        label,
        points: stats.iter().map(|(x, s)| (*x, s.mean)).collect(),
        band,
    }
}

/// Where the plot and the table go.
struct Outputs {
    /// Created when missing; cleared of stray temporary files when it is
    /// synapse's own.
    dir: PathBuf,
    own_dir: bool,
    png: PathBuf,
    svg: PathBuf,
    csv: PathBuf,
}

impl Outputs {
    fn new(out: Option<&Path>, results: &Path, id: &str) -> Outputs {
        let in_dir = |dir: PathBuf, own_dir: bool| Outputs {
            png: dir.join("cost.png"),
            svg: dir.join("cost.svg"),
            csv: dir.join("table.csv"),
            dir,
            own_dir,
        };
        let Some(out) = out else {
            return in_dir(results.join(format!("compare-{id}")), true);
        };
        let trailing_separator = out
            .as_os_str()
            .to_string_lossy()
            .ends_with(std::path::is_separator);
        if out.is_dir() || trailing_separator {
            return in_dir(out.to_path_buf(), false);
        }
        let is_plot = out
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("png") || e.eq_ignore_ascii_case("svg"));
        let stem = if is_plot {
            out.with_extension("")
        } else {
            out.to_path_buf()
        };
        // Appended rather than `with_extension`, which would eat a dot in
        // a name such as `lr-0.1`.
        let with = |extension: &str| {
            let mut name = stem.clone().into_os_string();
            name.push(extension);
            PathBuf::from(name)
        };
        Outputs {
            dir: stem.parent().map(Path::to_path_buf).unwrap_or_default(),
            own_dir: false,
            png: with(".png"),
            svg: with(".svg"),
            csv: with(".csv"),
        }
    }

    /// The three files of a user's `--out` through the shared guard: none
    /// may land on a result, a device, a directory being compared or the
    /// data a compared run trained on (`--out data/iris.png` derives
    /// data/iris.csv).
    fn guard(&self, named: &Path, dirs: &[PathBuf], data: &[PathBuf]) -> Result<(), Error> {
        let mut reads: Vec<(&Path, &str)> = dirs
            .iter()
            .map(|d| (d.as_path(), "a directory being compared"))
            .collect();
        reads.extend(
            data.iter()
                .map(|d| (d.as_path(), "the data of a run being compared")),
        );
        Output {
            option: "--out",
            named,
            files: vec![self.png.clone(), self.svg.clone(), self.csv.clone()],
            reads,
            creates_folders: true,
        }
        .check()
        .map_err(Error::from)
    }

    fn write(&self, figure: &Figure, csv: &[u8]) -> Result<(), Error> {
        // Drawn before any folder is made: a figure that cannot be drawn
        // leaves nothing behind.
        let figure = FigureFiles::render(figure, &self.svg, &self.png)?;
        if self.own_dir && fs::symlink_metadata(&self.dir).is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(Error::Results {
                path: self.dir.clone(),
                message: "is a symbolic link; synapse does not write results through links"
                    .to_string(),
            });
        }
        if !self.dir.as_os_str().is_empty() {
            fs::create_dir_all(&self.dir).map_err(Error::io(&self.dir))?;
        }
        if self.own_dir {
            atomic::remove_strays(&self.dir);
        }
        figure.write()?;
        atomic::write(&self.csv, csv).map_err(Error::io(&self.csv))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_keep_the_last_segment_unless_two_would_clash() {
        assert_eq!(
            short_names(&["training.learning_rate", "model.layers.0.units"]),
            ["lr", "units"]
        );
        assert_eq!(
            short_names(&[
                "model.layers.0.units",
                "model.layers.1.units",
                "experiment.seed"
            ]),
            ["model.layers.0.units", "model.layers.1.units", "seed"]
        );
    }

    #[test]
    fn differences_carry_a_true_minus_sign() {
        assert_eq!(signed(0.0123), "+0.0123");
        assert_eq!(signed(-0.004), "−0.0040");
        assert_eq!(signed(0.0), "0");
        assert_eq!(signed(-0.000_001), "−1.0e-6");
    }

    #[test]
    fn statistics_use_the_sample_standard_deviation() {
        let s = stat(&[1.0, 3.0]).expect("two values");
        assert_eq!(s.mean, 2.0);
        assert_eq!(s.std, Some(2f64.sqrt()));
        assert_eq!(stat(&[5.0]).map(|s| s.std), Some(None));
        assert_eq!(stat(&[]), None);
    }

    #[test]
    fn out_with_a_plot_extension_names_all_three_files_by_its_stem() {
        let outputs = Outputs::new(
            Some(Path::new("plots/lr-0.1.png")),
            Path::new("results"),
            "x",
        );
        assert_eq!(outputs.png, Path::new("plots/lr-0.1.png"));
        assert_eq!(outputs.svg, Path::new("plots/lr-0.1.svg"));
        assert_eq!(outputs.csv, Path::new("plots/lr-0.1.csv"));
        let outputs = Outputs::new(Some(Path::new("lr-0.1")), Path::new("results"), "x");
        assert_eq!(outputs.svg, Path::new("lr-0.1.svg"));
        let outputs = Outputs::new(None, Path::new("results"), "abc");
        assert_eq!(outputs.png, Path::new("results/compare-abc/cost.png"));
        assert_eq!(outputs.csv, Path::new("results/compare-abc/table.csv"));
    }

    #[test]
    fn aligned_columns_count_characters_not_bytes() {
        let text = aligned(&["a", "Δ"], &[vec!["x".to_string(), "−1".to_string()]], 1);
        assert_eq!(text, "a   Δ\nx  −1\n");
    }
}
