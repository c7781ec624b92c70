//! How an entry is named, once for everything that names it: the table's
//! `entry` column, table.csv's `label`, the verdict sentences and the
//! figure's legend. A person who reads `heart units=8 lr=0.1` under the
//! table finds the same words in the plot.
//!
//! An entry is named by its experiment and the config keys whose values
//! differ among the entries of that experiment (`heart units=8 lr=0.1`), the
//! values as numbers people read (`text::labels`: as few digits as tell them
//! apart). Entries of another experiment are told apart by its name, so
//! their other keys (data, task, …) do not make every label long. Only where
//! no key tells two entries apart (the same config) does the run id come in,
//! and only where even that is shared (a run and its copy) their positions.

use std::collections::BTreeMap;

use super::entries::{self, Entry};
use crate::text::unquoted;

const SEED_KEY: &str = "experiment.seed";

/// One name per entry, in order; all distinct.
pub(super) fn labels(entries: &[Entry]) -> Vec<String> {
    let configs: Vec<BTreeMap<String, String>> = entries.iter().map(Entry::config).collect();
    let experiments: Vec<&str> = entries.iter().map(Entry::experiment).collect();
    let mut labels: Vec<String> = experiments.iter().map(|e| e.to_string()).collect();

    // Each experiment's entries, in order of first appearance.
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, experiment) in experiments.iter().enumerate() {
        match groups.iter_mut().find(|(e, _)| e == experiment) {
            Some((_, members)) => members.push(i),
            None => groups.push((experiment, vec![i])),
        }
    }
    for (_, members) in &groups {
        let group: Vec<BTreeMap<String, String>> =
            members.iter().map(|&i| configs[i].clone()).collect();
        let mut diff: Vec<(String, Vec<String>)> = entries::config_diff(&group)
            .into_iter()
            .filter(|(key, _)| key != "experiment.name")
            .collect();
        // The seed repeats a setting rather than making one: it comes last.
        diff.sort_by_key(|(key, _)| key == SEED_KEY);
        let keys: Vec<&str> = diff.iter().map(|(key, _)| key.as_str()).collect();
        let names = short_names(&keys);
        let shown: Vec<Vec<String>> = diff.iter().map(|(_, values)| shown(values)).collect();
        for (at, &i) in members.iter().enumerate() {
            for (name, values) in names.iter().zip(&shown) {
                labels[i].push_str(&format!(" {name}={}", values[at]));
            }
        }
    }

    // The same config twice: its run id tells which run each is.
    let shared = duplicated(&labels);
    for (i, label) in labels.iter_mut().enumerate() {
        if shared[i] {
            let id = entries[i]
                .runs
                .first()
                .map_or("", |r| r.summary.run_id.as_str());
            label.push_str(&format!(" {id}"));
        }
    }
    number_duplicates(&mut labels);
    labels
}

/// One key's values as a label shows them: numbers through `text::labels`
/// where every entry has a number, else each value without its quotes.
fn shown(values: &[String]) -> Vec<String> {
    let numbers: Option<Vec<f64>> = values
        .iter()
        .map(|v| unquoted(v).parse::<f64>().ok().filter(|n| n.is_finite()))
        .collect();
    match numbers {
        Some(numbers) => crate::text::labels(&numbers),
        None => values.iter().map(|v| unquoted(v).to_string()).collect(),
    }
}

/// Whether another label is the same as each.
fn duplicated(labels: &[String]) -> Vec<bool> {
    labels
        .iter()
        .map(|l| labels.iter().filter(|m| *m == l).count() > 1)
        .collect()
}

/// Appends ` #n` (n counted from 1) to every label that another shares: the
/// same run named twice (say, a run and its copy) still needs two legend
/// entries that can be told apart.
fn number_duplicates(labels: &mut [String]) {
    let shared = duplicated(labels);
    for (i, label) in labels.iter_mut().enumerate() {
        if shared[i] {
            label.push_str(&format!(" #{}", i + 1));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::entries::ABSENT;

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
    fn values_show_as_few_digits_as_tell_them_apart_and_words_unquoted() {
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(shown(&values(&["0.1", "0.101"])), ["0.1", "0.101"]);
        assert_eq!(shown(&values(&["1.0", "0.05"])), ["1", "0.05"]);
        assert_eq!(
            shown(&values(&["\"mse\"", "\"cross_entropy\""])),
            ["mse", "cross_entropy"]
        );
        assert_eq!(shown(&values(&["4", ABSENT])), ["4", ABSENT]);
    }

    #[test]
    fn labels_still_shared_are_numbered_by_position() {
        let mut labels = vec!["a".to_string(), "b".to_string(), "a".to_string()];
        number_duplicates(&mut labels);
        assert_eq!(labels, ["a #1", "b", "a #3"]);
    }
}
