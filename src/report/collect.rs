//! Walking a results directory: every run and sweep under it, read from
//! their files alone, in a fixed order.
//!
//! `results/<experiment>/<run-id>/` is a run (summary.json) and
//! `results/<experiment>/sweep-<id>/` a sweep (summary.csv). One unreadable
//! directory is skipped with its reason, never the whole report: a report
//! is most wanted exactly when something went wrong.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::points_csv::{self, PointsTable};
use crate::results::lexical;
use crate::results::read::{self, DirKind, RunFiles, SweepFiles};
use crate::results::read_error::ReadError;

/// Everything the report shows, in the order it shows it.
#[derive(Debug, Default)]
pub struct Collection {
    /// By experiment directory name.
    pub experiments: BTreeMap<String, Experiment>,
    /// In path order.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Default)]
pub struct Experiment {
    /// By run directory name (the run id).
    pub runs: BTreeMap<String, RunFiles>,
    /// By sweep directory name (`sweep-<id>`).
    pub sweeps: BTreeMap<String, Sweep>,
    /// By run directory name: the run's roc.svg, where it has one (binary
    /// classifiers from 0.4.0 on).
    pub roc: BTreeMap<String, String>,
}

#[derive(Debug)]
pub struct Sweep {
    pub files: SweepFiles,
    /// points.csv; None (with a note in `Collection::skipped`) when it cannot be read.
    pub points: Option<PointsTable>,
    /// Where each row of summary.csv points, when that run is in the
    /// collection: (experiment, run directory name).
    pub members: Vec<Option<(String, String)>>,
}

/// A directory left out of the report, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// Relative to the results directory, with `/` between parts.
    pub path: String,
    pub reason: String,
}

impl Collection {
    pub fn run_count(&self) -> usize {
        self.experiments.values().map(|e| e.runs.len()).sum()
    }

    pub fn sweep_count(&self) -> usize {
        self.experiments.values().map(|e| e.sweeps.len()).sum()
    }

    pub fn run(&self, experiment: &str, run: &str) -> Option<&RunFiles> {
        self.experiments.get(experiment)?.runs.get(run)
    }
}

const A_RESULTS_DIR: &str = "a results directory, as `synapse run` and `synapse sweep` write (results/<experiment>/<run-id>/)";

/// Reads every run and sweep under `results`. Only a missing or unreadable
/// `results` itself is an error.
pub fn collect(results: &Path) -> Result<Collection, ReadError> {
    let mut collection = Collection::default();
    for (name, path) in subdirectories(results, A_RESULTS_DIR)? {
        let mut experiment = Experiment::default();
        let entries = match subdirectories(&path, "an experiment's results directory") {
            Ok(entries) => entries,
            Err(error) => {
                collection.skip(results, &path, &error);
                continue;
            }
        };
        let mut sweep_dirs = Vec::new();
        for (entry, dir) in entries {
            match DirKind::of(&dir) {
                Ok(DirKind::Run) => match RunFiles::read(&dir) {
                    Ok(run) => {
                        match read_roc(&dir) {
                            Ok(Some(svg)) => {
                                experiment.roc.insert(entry.clone(), svg);
                            }
                            Ok(None) => {}
                            // The run is shown without its curve.
                            Err(error) => collection.skip(results, &dir.join(ROC_SVG), &error),
                        }
                        experiment.runs.insert(entry, run);
                    }
                    Err(error) => collection.skip(results, &dir, &error),
                },
                Ok(DirKind::Sweep) => sweep_dirs.push((entry, dir)),
                // Runs are one level down, not two: not what a report shows.
                Ok(DirKind::Experiment) => {
                    collection.skip(results, &dir, &ReadError::NotResults { path: dir.clone() })
                }
                Err(error) => collection.skip(results, &dir, &error),
            }
        }
        // Sweeps after runs: a sweep points at runs, which must be known first.
        for (entry, dir) in sweep_dirs {
            match SweepFiles::read(&dir) {
                Ok(files) => {
                    let points = match points_csv::read(&dir.join("points.csv")) {
                        Ok(points) => Some(points),
                        Err(error) => {
                            collection.skip(results, &dir.join("points.csv"), &error);
                            None
                        }
                    };
                    experiment.sweeps.insert(
                        entry,
                        Sweep {
                            files,
                            points,
                            members: Vec::new(),
                        },
                    );
                }
                Err(error) => collection.skip(results, &dir, &error),
            }
        }
        if !experiment.runs.is_empty() || !experiment.sweeps.is_empty() {
            collection.experiments.insert(name, experiment);
        }
    }
    link_sweep_members(&mut collection, results);
    Ok(collection)
}

impl Collection {
    fn skip(&mut self, results: &Path, path: &Path, error: &ReadError) {
        self.skipped.push(Skipped {
            path: relative_text(results, path),
            reason: reason(results, error),
        });
    }
}

/// A sweep's summary.csv names its runs by a path relative to the sweep
/// directory (`../<run-id>`); this finds them among the runs read. A sweep
/// whose completed row points at a directory holding another run is left
/// out with the reason: its numbers would be another run's.
fn link_sweep_members(collection: &mut Collection, results: &Path) {
    let mut by_dir: BTreeMap<PathBuf, (String, String, String)> = BTreeMap::new();
    for (experiment, entry) in &collection.experiments {
        for (name, run) in &entry.runs {
            by_dir.insert(
                lexical(&run.dir),
                (experiment.clone(), name.clone(), run.summary.run_id.clone()),
            );
        }
    }
    let mut refused = Vec::new();
    for entry in collection.experiments.values_mut() {
        entry.sweeps.retain(|_, sweep| {
            let summary = sweep.files.dir.join("summary.csv");
            let mut members = Vec::new();
            for row in &sweep.files.rows {
                let found = row
                    .run_dir
                    .as_ref()
                    .and_then(|dir| Some((dir, by_dir.get(&lexical(dir))?)));
                let member = match found {
                    Some((dir, (experiment, name, id))) => {
                        match row.check_holds(&summary, dir, id) {
                            Ok(()) => Some((experiment.clone(), name.clone())),
                            Err(error) if row.status.succeeded() => {
                                refused.push((sweep.files.dir.clone(), error));
                                return false;
                            }
                            // A diverged or interrupted row is only listed;
                            // it is not linked to a run that is not its own.
                            Err(_) => None,
                        }
                    }
                    None => None,
                };
                members.push(member);
            }
            sweep.members = members;
            true
        });
    }
    for (dir, error) in refused {
        collection.skip(results, &dir, &error);
    }
}

const ROC_SVG: &str = "roc.svg";
/// Far more than a ROC curve drawn by synapse takes (tens of KB); a larger
/// file is not one, and would swell the page.
const MAX_ROC_BYTES: u64 = 2_000_000;

/// The run's roc.svg as text; None where the run has none.
fn read_roc(dir: &Path) -> Result<Option<String>, ReadError> {
    let path = dir.join(ROC_SVG);
    let invalid = |message: String| ReadError::Invalid {
        path: path.clone(),
        line: None,
        message,
    };
    match fs::metadata(&path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Ok(metadata) if metadata.len() > MAX_ROC_BYTES => {
            return Err(invalid(format!(
                "is {} bytes; a ROC curve synapse draws is far smaller (at most {MAX_ROC_BYTES} are read)",
                metadata.len()
            )));
        }
        _ => {}
    }
    let text = crate::regular_file::read_to_string(&path).map_err(|source| ReadError::Io {
        path: path.clone(),
        source,
    })?;
    if !text.trim_start().starts_with("<svg") && !text.trim_start().starts_with("<?xml") {
        return Err(invalid("is not an SVG image".to_string()));
    }
    Ok(Some(text))
}

/// The directories in `dir`, by name. Files (a previous report.html) and
/// hidden entries (temporary files) are not results and are passed over.
/// The listing is results::read's; what is checked here first is what the
/// report says when the directory asked for is missing or is a file.
fn subdirectories(dir: &Path, expected: &'static str) -> Result<Vec<(String, PathBuf)>, ReadError> {
    let metadata = fs::metadata(dir).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            ReadError::Missing {
                path: dir.to_path_buf(),
                expected,
            }
        } else {
            ReadError::Io {
                path: dir.to_path_buf(),
                source,
            }
        }
    })?;
    if !metadata.is_dir() {
        return Err(ReadError::NotADirectory {
            path: dir.to_path_buf(),
            expected,
        });
    }
    read::subdirectories(dir)
}

/// `path` relative to the results directory, so that the page never holds
/// where the results happened to be on this machine.
fn relative_text(results: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(results).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The error's message with the results directory's own path taken out.
fn reason(results: &Path, error: &ReadError) -> String {
    // Every ReadError message starts with its path.
    let message = error.to_string();
    let prefix = format!("{}{}", results.display(), std::path::MAIN_SEPARATOR);
    match message.strip_prefix(&prefix) {
        Some(rest) if !results.as_os_str().is_empty() => rest.to_string(),
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_removes_parent_components() {
        assert_eq!(
            lexical(Path::new("results/heart/sweep-1/../abc")),
            Path::new("results/heart/abc")
        );
        assert_eq!(lexical(Path::new("./a/./b")), Path::new("a/b"));
        assert_eq!(lexical(Path::new("../a")), Path::new("../a"));
    }

    #[test]
    fn a_missing_results_directory_is_an_error_saying_what_was_expected() {
        let dir = tempfile::tempdir().expect("temp dir");
        let error = collect(&dir.path().join("nope")).expect_err("missing");
        assert!(matches!(error, ReadError::Missing { .. }), "{error}");
        assert!(error.to_string().contains("not found"), "{error}");
    }

    #[test]
    fn files_hidden_entries_and_empty_experiments_are_passed_over() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("report.html"), "old").expect("write");
        fs::create_dir_all(dir.path().join(".tmp-x/run")).expect("mkdir");
        fs::create_dir_all(dir.path().join("compare-abc")).expect("mkdir");
        fs::write(dir.path().join("compare-abc/cost.svg"), "<svg/>").expect("write");
        let collection = collect(dir.path()).expect("collects");
        assert!(collection.experiments.is_empty());
        assert!(collection.skipped.is_empty(), "{:?}", collection.skipped);
    }

    #[test]
    fn an_incomplete_run_is_skipped_with_its_relative_path_and_reason() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("heart/abc")).expect("mkdir");
        fs::write(dir.path().join("heart/abc/metrics.csv"), "epoch\n").expect("write");
        let collection = collect(dir.path()).expect("collects");
        assert_eq!(collection.skipped.len(), 1);
        assert_eq!(collection.skipped[0].path, "heart/abc");
        let reason = &collection.skipped[0].reason;
        assert!(reason.starts_with("heart/abc: neither a run"), "{reason}");
        assert!(
            !reason.contains(&dir.path().display().to_string()),
            "{reason}"
        );
    }
}
