//! Run and sweep directories read back from their files alone, so that
//! results copied from another machine read the same as the ones made here.
//!
//! Each file is parsed by the module that writes it (summary, metrics_csv,
//! config_toml, sweep_summary_csv); here they are found, read as text and
//! checked against each other. Every problem is a [`ReadError`] naming the
//! file; nothing here panics on odd input.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::read_error::{ReadError, read_text};
use super::summary::RunSummary;
use super::sweep_summary_csv::SweepRow;
use super::{config_toml, metrics_csv, summary, sweep_summary_csv};

/// One run directory read back from disk (only files; works on copied results).
#[derive(Debug, Clone)]
pub struct RunFiles {
    pub dir: PathBuf,
    /// summary.json, parsed strictly: an unknown or missing field is an error.
    pub summary: RunSummary,
    /// The metrics.csv header, in order.
    pub columns: Vec<String>,
    /// The metrics.csv rows, one value per column: epoch 0's first (the
    /// initial weights, NaN for its learning rate), except in files of
    /// versions before 0.4.0; `epoch_rows` leaves it out.
    pub rows: Vec<Vec<f64>>,
    pub config: toml::Table,
}

/// A sweep directory's summary.csv: one row per run of the sweep.
#[derive(Debug, Clone)]
pub struct SweepFiles {
    pub dir: PathBuf,
    pub rows: Vec<SweepRow>,
}

/// What a results directory holds, by the file that marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirKind {
    /// Has summary.json.
    Run,
    /// Has summary.csv.
    Sweep,
    /// Has neither, but holds run or sweep directories: an experiment's
    /// directory (`results/heart`), as `run` and `sweep` fill it.
    Experiment,
}

const A_RESULTS_DIR: &str = "a run directory (with summary.json), a sweep directory (with \
     summary.csv) or an experiment directory (holding runs)";

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
        if dir.join(sweep_summary_csv::FILE).exists() {
            Ok(DirKind::Sweep)
        } else if dir.join("summary.json").exists() {
            Ok(DirKind::Run)
        } else if holds_results(dir) {
            Ok(DirKind::Experiment)
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
        let summary = summary::parse(&summary_path, &text)?;

        let metrics_path = dir.join("metrics.csv");
        let text = read_text(&metrics_path, "a run directory's metrics.csv")?;
        let (columns, rows) = metrics_csv::parse(&metrics_path, &text)?;
        let epochs = epoch_rows(&columns, &rows);
        // A run that is interrupted or being resumed (it has a checkpoint)
        // may have written epochs since its summary; a finished one may not.
        if epochs.len() != summary.epochs_run && !dir.join("checkpoint.json").exists() {
            return Err(ReadError::Invalid {
                path: metrics_path,
                line: None,
                message: format!(
                    "{} epochs, but summary.json says {} were run",
                    epochs.len(),
                    summary.epochs_run
                ),
            });
        }

        check_final_metrics(&summary_path, &metrics_path, &summary, &columns, epochs)?;

        let config_path = dir.join("config.toml");
        let text = read_text(&config_path, "a run directory's config.toml")?;
        let config = config_toml::parse(&config_path, &text)?;

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
        config_toml::data_file(&self.dir, &self.config)
    }

    /// The rows of the epochs run, from epoch 1: `rows` without epoch 0's.
    pub fn epoch_rows(&self) -> &[Vec<f64>] {
        epoch_rows(&self.columns, &self.rows)
    }

    /// (epoch, value) of one metrics.csv column, e.g. "validation_loss",
    /// from epoch 0 where the file has it; None if absent.
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
        let path = dir.join(sweep_summary_csv::FILE);
        let text = read_text(&path, "a sweep directory's summary.csv")?;
        let rows = sweep_summary_csv::parse(&path, dir, &text)?;
        Ok(SweepFiles {
            dir: dir.to_path_buf(),
            rows,
        })
    }
}

/// Whether any directory directly in `dir` is a run or a sweep directory.
fn holds_results(dir: &Path) -> bool {
    subdirectories(dir).is_ok_and(|subdirectories| {
        subdirectories.iter().any(|(_, sub)| {
            sub.join("summary.json").exists() || sub.join(sweep_summary_csv::FILE).exists()
        })
    })
}

/// The directories directly in `dir` (links followed, as the readers
/// follow them; hidden ones left out), as (name, path) in name order.
pub fn subdirectories(dir: &Path) -> Result<Vec<(String, PathBuf)>, ReadError> {
    let io_error = |source: io::Error| ReadError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if !name.starts_with('.') && path.is_dir() {
            out.push((name, path));
        }
    }
    out.sort();
    Ok(out)
}

/// `rows` without epoch 0's, the initial weights' evaluation: it is where
/// training started, not an epoch run.
fn epoch_rows<'r>(columns: &[String], rows: &'r [Vec<f64>]) -> &'r [Vec<f64>] {
    let epoch = columns.iter().position(|c| c == "epoch");
    match (epoch, rows.split_first()) {
        (Some(e), Some((first, rest))) if first.get(e) == Some(&0.0) => rest,
        _ => rows,
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

/// summary.json's `final` is the last epoch's row of metrics.csv, column by
/// column: where they disagree one of the files was edited or belongs to
/// another run, and which one to believe cannot be told.
fn check_final_metrics(
    summary_path: &Path,
    metrics_path: &Path,
    summary: &RunSummary,
    columns: &[String],
    // From epoch 1.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::summary::EXAMPLE as SUMMARY;
    use crate::train::status::Status;
    fn run_files(columns: &[&str], rows: Vec<Vec<f64>>) -> RunFiles {
        let summary = summary::parse(Path::new("summary.json"), SUMMARY).expect("test summary");
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
    fn a_whole_run_directory_reads_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_run(dir.path());
        let run = RunFiles::read(dir.path()).expect("reads");
        assert_eq!(run.summary.run_id, "0123456789ab");
        assert_eq!(run.columns, ["epoch", "train_cost", "train_loss"]);
        assert_eq!(run.rows, [vec![1.0, 10.0, 0.5]]);
        assert_eq!(
            config_toml::flatten(&run.config)["training.learning_rate"],
            "0.1"
        );
        assert_eq!(DirKind::of(dir.path()).expect("kind"), DirKind::Run);
    }

    #[test]
    fn epoch_0_is_read_and_drawn_but_not_counted_as_an_epoch() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_run(dir.path());
        let metrics = dir.path().join("metrics.csv");
        fs::write(
            &metrics,
            "epoch,train_cost,train_loss\n0,20.0,0.9\n1,10.0,0.5\n",
        )
        .expect("write");
        let run = RunFiles::read(dir.path()).expect("reads");
        assert_eq!(run.rows, [vec![0.0, 20.0, 0.9], vec![1.0, 10.0, 0.5]]);
        assert_eq!(run.epoch_rows(), [vec![1.0, 10.0, 0.5]]);
        assert_eq!(run.series("train_loss"), Some(vec![(0.0, 0.9), (1.0, 0.5)]));

        // summary.json says one epoch was run: epoch 0 alone is not one.
        fs::write(&metrics, "epoch,train_cost,train_loss\n0,10.0,0.5\n").expect("write");
        let message = RunFiles::read(dir.path())
            .expect_err("no epoch")
            .to_string();
        assert!(
            message.contains("0 epochs, but summary.json says 1 were run"),
            "{message}"
        );
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
    fn a_directory_of_run_directories_is_an_experiment_directory() {
        let dir = tempfile::tempdir().expect("temp dir");
        let run = dir.path().join("0123456789ab");
        fs::create_dir(&run).expect("mkdir");
        fs::create_dir(dir.path().join("empty")).expect("mkdir");
        // Neither a run (no summary.json) nor an experiment yet.
        assert!(matches!(
            DirKind::of(dir.path()),
            Err(ReadError::NotResults { .. })
        ));
        write_run(&run);
        assert_eq!(DirKind::of(dir.path()).expect("kind"), DirKind::Experiment);
        let names: Vec<String> = subdirectories(dir.path())
            .expect("lists")
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["0123456789ab", "empty"]);
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

    fn write_run(dir: &Path) {
        fs::write(dir.join("summary.json"), SUMMARY).expect("write");
        fs::write(
            dir.join("metrics.csv"),
            "epoch,train_cost,train_loss\n1,10.0,0.5\n",
        )
        .expect("write");
        fs::write(dir.join("config.toml"), "[training]\nlearning_rate = 0.1\n").expect("write");
    }
}
