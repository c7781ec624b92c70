//! config.toml: the resolved experiment a run was trained from, every
//! default explicit, its data path relative to the run directory so that
//! `synapse run <run-dir>/config.toml` reproduces the run. Written here for
//! `run`; read back here as a plain table, which compare and the report
//! flatten to diff runs, and predict asks for its precision and loss.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::read_error::ReadError;
use crate::config::{self, Config, DataSource};

/// The file's text for `config`, as it must read from inside the run
/// directory `dir`: a relative data path is rewritten relative to that
/// directory.
pub fn render(config: &Config, dir: &Path) -> String {
    config::to_toml(&relocated(config, dir))
}

fn relocated(config: &Config, dir: &Path) -> Config {
    let mut config = config.clone();
    if let DataSource::Csv {
        path,
        resolved_path,
        ..
    } = &mut config.data.source
        && Path::new(path.as_str()).is_relative()
        && let (Ok(from), Ok(to)) = (dir.canonicalize(), resolved_path.canonicalize())
    {
        *path = super::relative_path(&from, &to)
            .to_string_lossy()
            .into_owned();
    }
    config
}

/// A run's config.toml as a table; invalid TOML is an error naming its line.
pub fn parse(path: &Path, text: &str) -> Result<toml::Table, ReadError> {
    toml::from_str::<toml::Table>(text).map_err(|error| {
        let line = error
            .span()
            .map(|span| line_of(text, span.start))
            .filter(|_| !text.is_empty());
        ReadError::Invalid {
            path: path.to_path_buf(),
            line,
            message: format!("not valid TOML: {}", error.message().trim_end()),
        }
    })
}

/// The CSV file named by the config.toml `config` of run directory `dir`
/// (see `RunFiles::data_file`).
pub fn data_file(dir: &Path, config: &toml::Table) -> Option<PathBuf> {
    let path = config.get("data")?.get("path")?.as_str()?;
    Some(dir.join(path))
}

/// Whether two of `flatten`'s values are the same setting: equal as text,
/// or as numbers (`1` meets `1.0`, `0.001` meets `1e-3`), since a value
/// typed on the command line need not be written as config.toml writes it.
pub fn same_value(a: &str, b: &str) -> bool {
    a == b
        || matches!(
            (a.parse::<f64>(), b.parse::<f64>()),
            (Ok(x), Ok(y)) if x == y
        )
}

/// Dotted key → the value as TOML text ("training.learning_rate" → "0.1",
/// "model.layers.0.units" → "8"), for diffs.
///
/// Tables, and arrays holding tables, are followed down to their values;
/// other arrays are one value (`["a", "b"]`), as they read in the file.
pub fn flatten(config: &toml::Table) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    flatten_table(config, "", &mut out);
    out
}

fn flatten_table(table: &toml::Table, prefix: &str, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        flatten_value(value, &join_key(prefix, key), out);
    }
}

fn flatten_value(value: &toml::Value, key: &str, out: &mut BTreeMap<String, String>) {
    match value {
        toml::Value::Table(table) => flatten_table(table, key, out),
        toml::Value::Array(items) if items.iter().any(toml::Value::is_table) => {
            for (index, item) in items.iter().enumerate() {
                flatten_value(item, &join_key(key, &index.to_string()), out);
            }
        }
        // The toml crate writes floats without an exponent, so 1e-8 would
        // read as 0.00000001; Rust's shortest form is TOML too.
        toml::Value::Float(x) if x.is_nan() => {
            out.insert(key.to_string(), "nan".to_string());
        }
        toml::Value::Float(x) => {
            out.insert(key.to_string(), format!("{x:?}"));
        }
        other => {
            out.insert(key.to_string(), other.to_string());
        }
    }
}

fn join_key(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    let before = text.get(..end).unwrap_or(text);
    before.matches('\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_the_same_value_whatever_way_they_are_written() {
        assert!(same_value("0.1", "0.1"));
        assert!(same_value("1.0", "1"));
        assert!(same_value("0.001", "1e-3"));
        assert!(!same_value("0.1", "0.10000001"));
        assert!(!same_value("0.1", "0.101"));
        assert!(!same_value("\"minmax\"", "\"standard\""));
    }
    fn table(text: &str) -> toml::Table {
        toml::from_str(text).expect("test TOML parses")
    }

    #[test]
    fn flatten_follows_nested_tables_and_arrays_of_tables() {
        let config = table(
            r#"
            [experiment]
            name = "heart"
            seed = 42
            [data]
            features = ["a", "b"]
            split = { validation = 0.2, test = 0.1 }
            [model]
            layers = [
              { units = 8, activation = "sigmoid" },
              { units = 1, activation = "sigmoid" },
            ]
            [training]
            learning_rate = 0.1
            epsilon = 1e-8
            shuffle = true
            [training.schedule]
            kind = "constant"
            "#,
        );
        let flat = flatten(&config);
        let expected: BTreeMap<String, String> = [
            ("data.features", r#"["a", "b"]"#),
            ("data.split.test", "0.1"),
            ("data.split.validation", "0.2"),
            ("experiment.name", r#""heart""#),
            ("experiment.seed", "42"),
            ("model.layers.0.activation", r#""sigmoid""#),
            ("model.layers.0.units", "8"),
            ("model.layers.1.activation", r#""sigmoid""#),
            ("model.layers.1.units", "1"),
            ("training.epsilon", "1e-8"),
            ("training.learning_rate", "0.1"),
            ("training.schedule.kind", r#""constant""#),
            ("training.shuffle", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(flat, expected);
    }

    #[test]
    fn flatten_of_an_empty_table_is_empty() {
        assert!(flatten(&toml::Table::new()).is_empty());
    }

    #[test]
    fn a_broken_config_is_an_error_naming_the_line() {
        let error = parse(Path::new("config.toml"), "[training]\nepochs = \n").expect_err("broken");
        assert!(
            error
                .to_string()
                .starts_with("config.toml, line 2: not valid TOML"),
            "{error}"
        );
    }
}
