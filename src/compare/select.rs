//! `--where KEY=VALUE`: which runs of the directories given are compared,
//! so that two points of one sweep (its best and its worst, say) can be set
//! side by side with their seeds, as one entry each, without naming every
//! run directory. The key is a dotted config key, or its last segment where
//! only one key ends so (`units`), or its name in the labels (`lr`); the
//! value is TOML, read as `--set` reads it. A key named twice takes either
//! value (`--where lr=0.01 --where lr=1`); different keys must all hold.

use std::collections::BTreeMap;

use super::entries::Entry;
use crate::config::overrides;
use crate::error::Error;
use crate::results::config_toml::{self, same_value};
use crate::text::{self, closest};

/// The entries with only the runs every `--where` holds for; an entry left
/// without runs goes. None left is an error, as is a key no run has.
pub(super) fn select(entries: Vec<Entry>, assignments: &[String]) -> Result<Vec<Entry>, Error> {
    if assignments.is_empty() {
        return Ok(entries);
    }
    let mut keys: Vec<String> = entries
        .iter()
        .flat_map(|e| &e.runs)
        .flat_map(|r| config_toml::flatten(&r.config).into_keys())
        .collect();
    keys.sort();
    keys.dedup();
    // Each key with the values it may have.
    let mut wanted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for assignment in assignments {
        let (key, value) = parse(assignment, &keys)?;
        wanted.entry(key).or_default().push(value);
    }
    let holds = |config: &BTreeMap<String, String>| {
        wanted.iter().all(|(key, values)| {
            config
                .get(key)
                .is_some_and(|have| values.iter().any(|v| same_value(have, v)))
        })
    };
    let kept: Vec<Entry> = entries
        .into_iter()
        .filter_map(|mut entry| {
            entry
                .runs
                .retain(|run| holds(&config_toml::flatten(&run.config)));
            (!entry.runs.is_empty()).then_some(entry)
        })
        .collect();
    if kept.is_empty() {
        return Err(Error::Usage(format!(
            "no run of the directories given has {}",
            assignments
                .iter()
                .map(|a| format!("--where {}", text::printable(a)))
                .collect::<Vec<_>>()
                .join(" ")
        )));
    }
    Ok(kept)
}

/// One `--where` as a full key and its value as config.toml's values are
/// flattened (`0.1`, `"minmax"`).
fn parse(assignment: &str, keys: &[String]) -> Result<(String, String), Error> {
    let usage = |message: String| {
        Error::Usage(format!(
            "--where {}: {message}",
            text::printable(assignment)
        ))
    };
    let parsed = overrides::parse(assignment).map_err(usage)?;
    // As labels name keys: the last segment, `lr` for the learning rate.
    let last = |key: &str| match key.rsplit('.').next().unwrap_or(key) {
        "learning_rate" => "lr".to_string(),
        last => last.to_string(),
    };
    let named = |key: &str| {
        let segment = key.rsplit('.').next().unwrap_or(key);
        segment == parsed.key || last(key) == parsed.key
    };
    let key = if keys.contains(&parsed.key) {
        parsed.key.clone()
    } else {
        let ending: Vec<&String> = keys.iter().filter(|k| named(k)).collect();
        match ending.as_slice() {
            [one] => (*one).clone(),
            [] => {
                let hint = closest(&parsed.key, keys)
                    .map(|key| format!(" (did you mean `{key}`?)"))
                    .unwrap_or_default();
                return Err(usage(format!(
                    "no run compared has the key `{}`{hint}; the keys are: {}",
                    text::printable(&parsed.key),
                    keys.join(", ")
                )));
            }
            many => {
                return Err(usage(format!(
                    "`{}` ends more than one key: {}; name one in full",
                    text::printable(&parsed.key),
                    many.iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
    };
    let mut table = toml::Table::new();
    table.insert("v".to_string(), parsed.value);
    let value = config_toml::flatten(&table).remove("v").unwrap_or_default();
    Ok((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Vec<String> {
        [
            "model.layers.0.units",
            "model.layers.1.units",
            "training.learning_rate",
        ]
        .iter()
        .map(|k| k.to_string())
        .collect()
    }

    #[test]
    fn a_key_is_named_in_full_or_by_the_one_key_it_ends() {
        assert_eq!(
            parse("learning_rate=1e-2", &keys()).expect("parses"),
            ("training.learning_rate".to_string(), "0.01".to_string())
        );
        assert_eq!(
            parse("lr=0.1", &keys()).expect("parses").0,
            "training.learning_rate"
        );
        assert_eq!(
            parse("model.layers.1.units=8", &keys()).expect("parses").0,
            "model.layers.1.units"
        );
        let message = parse("units=8", &keys()).expect_err("two keys").to_string();
        assert!(
            message.contains(
                "`units` ends more than one key: model.layers.0.units, model.layers.1.units"
            ),
            "{message}"
        );
        let message = parse("training.learning_rat=1", &keys())
            .expect_err("unknown")
            .to_string();
        assert!(
            message.contains("did you mean `training.learning_rate`?"),
            "{message}"
        );
    }
}
