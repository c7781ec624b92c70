//! What is compared: each run directory named on the command line is one
//! entry; each point of a sweep directory (its runs that differ only in the
//! seed) is one entry of one or more runs. Entries carry their config, the
//! keys that tell them apart and the labels that name them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::results::config_toml;
use crate::results::read::{DirKind, RunFiles, SweepFiles};
use crate::results::sweep_summary_csv::SweepRow;
use crate::text::printable;

const SEED_KEY: &str = "experiment.seed";
/// Free text that differs between otherwise identical experiments.
const IGNORED_KEYS: [&str; 1] = ["experiment.description"];
/// More differing keys than this make labels too long to read in a legend;
/// the run id is shorter then.
const MAX_LABEL_KEYS: usize = 3;
/// Shown for a config key one entry has and another has not.
pub(super) const ABSENT: &str = "—";

/// One line of the comparison: a run, or a sweep point of one or more seeds.
pub(super) struct Entry {
    /// The directory named on the command line.
    pub source: PathBuf,
    /// A sweep point's swept values without the seed, as (dotted key, value);
    /// None for a run directory.
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

/// Readable names: a sweep point by its swept values, a run by the few keys
/// that tell the runs apart (or else its run id), each after its experiment.
pub(super) fn labels(
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
pub(super) fn short_names(keys: &[&str]) -> Vec<String> {
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

pub(super) fn unquoted(value: &str) -> &str {
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
}
