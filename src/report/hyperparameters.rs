//! The few config keys that tell runs apart at a glance, taken from a run's
//! flattened config.toml.

use std::collections::BTreeMap;

use crate::results::config_toml;
use crate::results::read::RunFiles;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hyperparameters {
    /// As TOML text; empty where the config lacks the key.
    pub learning_rate: String,
    /// Units per layer, "8-8-1".
    pub layers: String,
    /// Activations per layer, "sigmoid-sigmoid-sigmoid".
    pub activations: String,
    pub optimizer: String,
    pub batch_size: String,
    pub seed: String,
    pub description: String,
}

impl Hyperparameters {
    pub fn of(run: &RunFiles) -> Hyperparameters {
        Self::from_flat(&config_toml::flatten(&run.config))
    }

    pub fn from_flat(flat: &BTreeMap<String, String>) -> Hyperparameters {
        let get = |key: &str| flat.get(key).map_or(String::new(), |v| unquoted(v));
        let layer_values = |field: &str| {
            (0..)
                .map_while(|i| flat.get(&format!("model.layers.{i}.{field}")))
                .map(|v| unquoted(v))
                .collect::<Vec<_>>()
                .join("-")
        };
        Hyperparameters {
            learning_rate: get("training.learning_rate"),
            layers: layer_values("units"),
            activations: layer_values("activation"),
            optimizer: get("training.optimizer"),
            batch_size: get("training.batch_size"),
            seed: get("experiment.seed"),
            description: get("experiment.description"),
        }
    }
}

/// A TOML string's content (`"sgd"` as `sgd`, with its escapes undone);
/// any other value as written.
pub fn unquoted(value: &str) -> String {
    if (value.starts_with('"') || value.starts_with('\''))
        && let Ok(toml::Value::String(text)) = value.parse::<toml::Value>()
    {
        return text;
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperparameters_come_from_the_flattened_config() {
        let flat: BTreeMap<String, String> = [
            ("training.learning_rate", "0.1"),
            ("model.layers.0.units", "8"),
            ("model.layers.0.activation", "\"relu\""),
            ("model.layers.1.units", "1"),
            ("model.layers.1.activation", "\"sigmoid\""),
            ("training.optimizer", "\"adam\""),
            ("training.batch_size", "16"),
            ("experiment.seed", "3"),
            ("experiment.description", "\"say \\\"hi\\\"\""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let h = Hyperparameters::from_flat(&flat);
        assert_eq!(h.learning_rate, "0.1");
        assert_eq!(h.layers, "8-1");
        assert_eq!(h.activations, "relu-sigmoid");
        assert_eq!(h.optimizer, "adam");
        assert_eq!(h.batch_size, "16");
        assert_eq!(h.seed, "3");
        assert_eq!(h.description, "say \"hi\"");
    }

    #[test]
    fn missing_keys_are_empty() {
        assert_eq!(
            Hyperparameters::from_flat(&BTreeMap::new()),
            Hyperparameters::default()
        );
    }
}
