//! Finding the runs: `results/<experiment>/<run-id>/` holds a run and
//! `results/<experiment>/sweep-<id>/` a sweep, whose summary.csv names the
//! runs it made; a run is listed once, with the sweep it belongs to.
//!
//! An unreadable run directory is left out with a note rather than ending
//! the list: a list of runs is most wanted when something went wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::results::config_toml;
use crate::results::lexical;
use crate::results::read::{self, DirKind, RunFiles, SweepFiles};
use crate::text::{self, closest};

/// One run as the list shows it.
#[derive(Debug)]
pub struct Listed {
    /// The experiment directory's name.
    pub experiment: String,
    pub run: RunFiles,
    /// The flattened config (`training.learning_rate` → `0.1`).
    pub config: BTreeMap<String, String>,
    /// The id of the sweep that made the run (its directory is `sweep-<id>`).
    pub sweep: Option<String>,
}

/// The runs under `results`, of `experiments` only where any are named,
/// in experiment then run-id order.
pub fn collect(results: &Path, experiments: &[String]) -> Result<Vec<Listed>, Error> {
    let all = read::subdirectories(results)?;
    let names: Vec<&str> = all.iter().map(|(name, _)| name.as_str()).collect();
    for wanted in experiments {
        if !names.contains(&wanted.as_str()) {
            return Err(unknown_experiment(results, wanted, &names));
        }
    }
    let mut listed = Vec::new();
    for (name, dir) in all {
        if !experiments.is_empty() && !experiments.contains(&name) {
            continue;
        }
        listed.extend(experiment_runs(&name, &dir)?);
    }
    Ok(listed)
}

fn experiment_runs(experiment: &str, dir: &Path) -> Result<Vec<Listed>, Error> {
    let mut runs = Vec::new();
    let mut sweep_of: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (name, sub) in read::subdirectories(dir)? {
        let read = match DirKind::of(&sub) {
            Ok(DirKind::Run) => RunFiles::read(&sub).map(Some),
            Ok(DirKind::Sweep) => SweepFiles::read(&sub).map(|sweep| {
                let id = name.strip_prefix("sweep-").unwrap_or(&name).to_string();
                for row in sweep.rows {
                    if let Some(run_dir) = row.run_dir {
                        sweep_of.insert(lexical(&run_dir), id.clone());
                    }
                }
                None
            }),
            Ok(DirKind::Experiment) => Ok(None),
            Err(error) => Err(error),
        };
        match read {
            Ok(Some(run)) => runs.push(run),
            Ok(None) => {}
            // A run still going has no summary.json yet; the others are listed.
            Err(error) => eprintln!("note: leaving out {error}"),
        }
    }
    Ok(runs
        .into_iter()
        .map(|run| Listed {
            experiment: experiment.to_string(),
            config: config_toml::flatten(&run.config),
            sweep: sweep_of.get(&lexical(&run.dir)).cloned(),
            run,
        })
        .collect())
}

fn unknown_experiment(results: &Path, wanted: &str, names: &[&str]) -> Error {
    let hint = closest(wanted, names)
        .map(|name| format!(" (did you mean `{name}`?)"))
        .unwrap_or_default();
    let allowed = if names.is_empty() {
        "none: nothing has been run yet".to_string()
    } else {
        names.join(", ")
    };
    Error::Usage(format!(
        "no experiment `{}` under {}{hint}; there are: {allowed}",
        text::printable(wanted),
        text::printable(&results.display().to_string()),
    ))
}
