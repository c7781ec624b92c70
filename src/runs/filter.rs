//! `--where KEY=VALUE`: a config key as a dotted path and a value read as
//! TOML, exactly as `--set` reads them (`config::overrides`), so that what
//! was set can be found again; or `status=…`.

use super::collect::Listed;
use crate::config::overrides;
use crate::error::Error;
use crate::results::config_toml::{self, same_value};
use crate::text::{self, closest};
use crate::train::status::Status;

const STATUS: &str = "status";

/// The statuses a run directory's summary.json can hold.
const STATUSES: [Status; 4] = [
    Status::Completed,
    Status::EarlyStopped,
    Status::Diverged,
    Status::Interrupted,
];

/// One `--where`, checked against the keys the runs have.
#[derive(Debug)]
pub enum Filter {
    Status(Status),
    /// A flattened config key and its value as `config_toml::flatten` writes it.
    Config {
        key: String,
        value: String,
    },
}

/// Parses every `--where`; a key no listed run has, or a status no run can
/// have, is an error listing what is allowed.
pub fn parse(assignments: &[String], runs: &[Listed]) -> Result<Vec<Filter>, Error> {
    let mut keys: Vec<&str> = runs
        .iter()
        .flat_map(|r| r.config.keys().map(String::as_str))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.insert(0, STATUS);
    assignments
        .iter()
        .map(|assignment| parse_one(assignment, &keys))
        .collect()
}

fn parse_one(assignment: &str, keys: &[&str]) -> Result<Filter, Error> {
    let usage = |message: String| {
        Error::Usage(format!(
            "--where {}: {message}",
            text::printable(assignment)
        ))
    };
    let parsed = overrides::parse(assignment).map_err(usage)?;
    if parsed.key == STATUS {
        let value = parsed.value.as_str().unwrap_or_default();
        let names: Vec<&str> = STATUSES.iter().map(|s| s.as_str()).collect();
        return STATUSES
            .iter()
            .find(|s| s.as_str() == value)
            .map(|s| Filter::Status(*s))
            .ok_or_else(|| usage(format!("a run's status is one of {}", names.join(", "))));
    }
    if !keys.contains(&parsed.key.as_str()) {
        let hint = closest(&parsed.key, keys)
            .map(|key| format!(" (did you mean `{key}`?)"))
            .unwrap_or_default();
        return Err(usage(format!(
            "no listed run has the key `{}`{hint}; the keys are: {}",
            text::printable(&parsed.key),
            keys.join(", ")
        )));
    }
    // The value written as the runs' config.toml values are flattened, so
    // that `0.1` meets `0.1` and `minmax` meets `"minmax"`.
    let mut table = toml::Table::new();
    table.insert("v".to_string(), parsed.value);
    let value = config_toml::flatten(&table).remove("v").unwrap_or_default();
    Ok(Filter::Config {
        key: parsed.key,
        value,
    })
}

impl Filter {
    pub fn holds(&self, run: &Listed) -> bool {
        match self {
            Filter::Status(status) => run.run.summary.status == *status,
            Filter::Config { key, value } => run
                .config
                .get(key)
                .is_some_and(|have| same_value(have, value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_word_is_a_string_as_with_set() {
        let filter = parse_one("data.normalize=minmax", &["data.normalize"]).expect("parses");
        assert!(matches!(
            filter,
            Filter::Config { ref key, ref value } if key == "data.normalize" && value == "\"minmax\""
        ));
    }

    #[test]
    fn an_unknown_key_or_status_names_what_is_allowed() {
        let keys = ["status", "training.learning_rate"];
        let message = parse_one("training.learnin_rate=0.1", &keys)
            .expect_err("unknown key")
            .to_string();
        assert!(
            message.contains("did you mean `training.learning_rate`?"),
            "{message}"
        );
        assert!(
            message.contains("the keys are: status, training.learning_rate"),
            "{message}"
        );
        let message = parse_one("status=done", &keys)
            .expect_err("status")
            .to_string();
        assert!(
            message.contains("one of completed, early_stopped, diverged, interrupted"),
            "{message}"
        );
    }
}
