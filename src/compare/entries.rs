//! What is compared: each run directory named on the command line is one
//! entry; each point of a sweep directory, and each group of an experiment
//! directory's runs (runs that differ only in the seed), is one entry of one
//! or more runs. A run is counted once, however many of the directories
//! hold it. Entries carry their runs and their config; the keys that differ
//! among them are found here too (`config_diff`), for the diff table and
//! the labels (`labels`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::results::config_toml;
use crate::results::read::{self, DirKind, RunFiles, SweepFiles};
use crate::results::sweep_summary_csv::SweepRow;
use crate::text::printable;

const SEED_KEY: &str = "experiment.seed";
/// Free text that differs between otherwise identical experiments.
const IGNORED_KEYS: [&str; 1] = ["experiment.description"];
/// Shown for a config key one entry has and another has not.
pub(super) const ABSENT: &str = "—";

/// One line of the comparison: a run, or a sweep point of one or more seeds.
pub(super) struct Entry {
    /// The directory named on the command line.
    pub source: PathBuf,
    /// A sweep point's swept values without the seed, as (dotted key, value),
    /// or an experiment group's values of the keys that differ among the
    /// experiment's groups; None for a run directory.
    pub swept: Option<Vec<(String, String)>>,
    /// Never empty.
    pub runs: Vec<RunFiles>,
}

/// What one command-line directory contributes.
pub(super) struct Input {
    pub entries: Vec<Entry>,
    /// The run ids it stands for, which name the default output directory.
    pub identity: String,
}

pub(super) fn read_input(dir: &Path) -> Result<Input, Error> {
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
        DirKind::Experiment => read_experiment(dir),
    }
}

/// An experiment directory's runs (its sweeps' runs are among them), one
/// entry per group of runs whose configs differ only in the seed.
fn read_experiment(dir: &Path) -> Result<Input, Error> {
    let mut runs: Vec<RunFiles> = Vec::new();
    for (_, sub) in read::subdirectories(dir)? {
        match DirKind::of(&sub) {
            Ok(DirKind::Run) => {}
            // A sweep's runs are the experiment's runs too; a directory
            // without summary.json is a run still going, or not a run.
            Ok(_) | Err(_) => continue,
        }
        let run = RunFiles::read(&sub)?;
        if !run.summary.status.succeeded() {
            eprintln!(
                "note: leaving out {} (status {})",
                printable(&run.dir.display().to_string()),
                run.summary.status
            );
            continue;
        }
        runs.push(run);
    }
    if runs.is_empty() {
        return Err(Error::Results {
            path: dir.to_path_buf(),
            message: "has no completed or early-stopped runs to compare".to_string(),
        });
    }
    // Grouped by everything but the seed (and the free-text description).
    let without_seed = |run: &RunFiles| {
        let mut config = config_toml::flatten(&run.config);
        config.remove(SEED_KEY);
        for key in IGNORED_KEYS {
            config.remove(key);
        }
        config
    };
    let mut groups: Vec<(BTreeMap<String, String>, Vec<RunFiles>)> = Vec::new();
    for run in runs {
        let config = without_seed(&run);
        match groups.iter_mut().find(|(c, _)| *c == config) {
            Some((_, members)) => members.push(run),
            None => groups.push((config, vec![run])),
        }
    }
    // Seeds in order within a group, so that groups show them alike.
    for (_, members) in &mut groups {
        members.sort_by_key(|r| r.summary.seed);
    }
    let configs: Vec<BTreeMap<String, String>> = groups.iter().map(|(c, _)| c.clone()).collect();
    let diff = config_diff(&configs);
    let ids: Vec<String> = groups
        .iter()
        .flat_map(|(_, runs)| runs)
        .map(|r| r.summary.run_id.clone())
        .collect();
    let entries = groups
        .into_iter()
        .enumerate()
        .map(|(i, (_, runs))| Entry {
            source: dir.to_path_buf(),
            swept: Some(
                diff.iter()
                    .map(|(key, values)| (key.clone(), values[i].clone()))
                    .collect(),
            ),
            runs,
        })
        .collect();
    Ok(Input {
        identity: format!("experiment {}", ids.join(" ")),
        entries,
    })
}

/// `entries` with each run once: a run directory given on its own is left
/// out where a sweep or experiment directory given too holds its run (the
/// group has its seeds), and a run two such directories hold stays in the
/// first. An entry left without runs goes; each leaving is said in a note.
pub(super) fn counted_once(entries: Vec<Entry>) -> Vec<Entry> {
    let key = |run: &RunFiles| {
        std::fs::canonicalize(&run.dir).unwrap_or_else(|_| crate::results::lexical(&run.dir))
    };
    let grouped: Vec<PathBuf> = entries
        .iter()
        .filter(|e| e.swept.is_some())
        .flat_map(|e| e.runs.iter().map(key))
        .collect();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut kept = Vec::new();
    for mut entry in entries {
        let single = entry.swept.is_none();
        entry.runs.retain(|run| {
            let dir = key(run);
            // The same run directory named twice on its own stays twice,
            // as it always has (its labels are told apart by number).
            let twice = if single {
                grouped.contains(&dir)
            } else {
                seen.contains(&dir)
            };
            if twice {
                eprintln!(
                    "note: {} is counted once, in the sweep or experiment that holds it",
                    printable(&run.dir.display().to_string())
                );
            } else if !single {
                seen.push(dir);
            }
            !twice
        });
        if !entry.runs.is_empty() {
            kept.push(entry);
        }
    }
    kept
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
    pub(super) fn experiment(&self) -> &str {
        self.runs
            .first()
            .map_or("", |r| r.summary.experiment.as_str())
    }

    /// The flattened config; a key whose value differs between the seeds of
    /// a sweep point (the seed itself) shows every value, as `{1, 2}`.
    pub(super) fn config(&self) -> BTreeMap<String, String> {
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
pub(super) fn config_diff(configs: &[BTreeMap<String, String>]) -> Vec<(String, Vec<String>)> {
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
