//! The experiment file: read, overridden by `--set`, checked, resolved.
//!
//! Defaults, then the file, then `--set`, in that order; then one pass checks
//! everything and builds the `Config` that the rest of the program trusts.

pub(crate) mod overrides;
mod plots;
mod raw;
mod resolve;
mod resolved;
mod source;

use std::path::Path;

use toml::{Table, Value};

pub use plots::{MAX_SNAPSHOTS, check_slice};
pub use raw::RawConfig;
pub use resolve::{limits, to_raw};
pub use resolved::*;
pub use source::{ConfigError, Location, Source};

/// A checked config and the source its values came from (to locate errors
/// found later, once the data is known).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub source: Source,
}

/// Reads `file`, applies the `--set` assignments, and checks the result.
pub fn load(file: &Path, assignments: &[String]) -> Result<Loaded, ConfigError> {
    let file_error = |message: String| ConfigError {
        location: Location::File(file.to_path_buf()),
        key: None,
        message,
        note: None,
    };
    let bytes = crate::regular_file::read(file)
        .map_err(|e| file_error(format!("cannot read the experiment file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        file_error(format!(
            "is not UTF-8 text (an invalid byte at line {line}, column {column}); an experiment file is TOML"
        ))
    })?;
    load_text(file, &text, assignments)
}

/// Checks an experiment file's text as `load` does once it has read it:
/// `file` names it in errors, and relative data paths are resolved against its
/// folder. The fuzz targets call this without touching the disk.
pub fn load_text(file: &Path, text: &str, assignments: &[String]) -> Result<Loaded, ConfigError> {
    let file_error = |message: String| ConfigError {
        location: Location::File(file.to_path_buf()),
        key: None,
        message,
        note: None,
    };
    if text.trim().is_empty() {
        return Err(file_error(
            "the file is empty; an experiment needs at least [experiment], [data], [model] and [training]".to_string(),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut source = Source::parse(file, text.to_string())?;
    // The positions parse accepts numbers that do not fit; this one does not.
    let mut table: Table = toml::from_str(source.text()).map_err(|e| {
        let message = toml_value_message(e.message());
        let span = e.span().unwrap_or(0..0);
        source.error_at_span(span.clone(), source.key_at(span.start), message)
    })?;

    for assignment in assignments {
        let over = overrides::parse(assignment).map_err(|message| ConfigError {
            location: Location::Override(assignment.clone()),
            key: assignment
                .split_once('=')
                .map(|(k, _)| k.trim().to_string())
                .filter(|k| !k.is_empty()),
            message,
            note: None,
        })?;
        overrides::apply(&mut table, &over).map_err(|message| ConfigError {
            location: Location::Override(assignment.clone()),
            key: Some(over.key.clone()),
            message,
            note: None,
        })?;
        source.record_override(&over.key, assignment);
    }

    let raw: RawConfig = serde_path_to_error::deserialize(Value::Table(table))
        .map_err(|error| serde_error(&source, &error))?;
    let base_dir = file.parent().unwrap_or(Path::new("."));
    let config = resolve::resolve(raw, base_dir, &source)?;
    Ok(Loaded { config, source })
}

/// A TOML value error in plain words.
pub(crate) fn toml_value_message(message: &str) -> String {
    let message = message.trim();
    if message.contains("as i128")
        || message.contains("integer") && message.contains("overflow")
        || message.contains("value was too large")
    {
        "invalid TOML: this whole number is too large (TOML integers must fit in 64 bits)"
            .to_string()
    } else if message.contains("overflowed") {
        "invalid TOML: this number is too large for a 64-bit float".to_string()
    } else {
        format!("invalid TOML: {message}")
    }
}

/// Turns serde's message into one that names the key and what is allowed.
pub(crate) fn serde_error(
    source: &Source,
    error: &serde_path_to_error::Error<toml::de::Error>,
) -> ConfigError {
    let mut key = error
        .path()
        .iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect::<Vec<_>>()
        .join(".");
    let message = error.inner().message().trim().to_string();

    for (prefix, noun) in [("unknown field", "key"), ("unknown variant", "value")] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (word, allowed) = split_unknown(rest);
            let mut text = format!("unknown {noun} `{word}`");
            match crate::text::closest(&word, &allowed) {
                Some(best) => text.push_str(&format!("; did you mean `{best}`?")),
                None => text.push('.'),
            }
            if !allowed.is_empty() {
                text.push_str(&format!(" Allowed: {}.", allowed.join(", ")));
            }
            if noun == "key" {
                // serde_path_to_error may or may not have pushed the key yet.
                if key.rsplit('.').next() != Some(word.as_str()) {
                    key = if key.is_empty() {
                        word
                    } else {
                        format!("{key}.{word}")
                    };
                }
                return source.key_error(&key, text);
            }
            return source.error(&key, text);
        }
    }
    if let Some(rest) = message.strip_prefix("missing field") {
        let (word, _) = split_unknown(rest);
        let full = if key.is_empty() {
            word
        } else {
            format!("{key}.{word}")
        };
        return source.error(&full, "is required");
    }
    let mut message = message
        .replace("expected u64", "expected a whole number, 0 or more")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
        .replace("expected a sequence", "expected an array")
        .replace("invalid type: map", "invalid type: table")
        .replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: ", "wrong type: ");
    // serde names the Rust type it wanted; the user knows tables.
    if let Some(at) = message.find("expected struct ") {
        let name_end = message[at + 16..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(message.len(), |e| at + 16 + e);
        message.replace_range(at..name_end, "expected a table");
    }
    source.error(&key, message)
}

/// Splits serde's "`word`, expected one of `a`, `b`" into the word and the
/// allowed names.
fn split_unknown(rest: &str) -> (String, Vec<String>) {
    let mut quoted = rest.split('`').skip(1).step_by(2).map(str::to_string);
    let word = quoted.next().unwrap_or_default();
    (word, quoted.collect())
}

/// The resolved config as TOML, every default explicit.
pub fn to_toml(config: &Config) -> String {
    // Serializing plain data structs cannot fail; an error here is a bug.
    toml::to_string(&to_raw(config)).expect("the resolved config serializes to TOML")
}

/// Checks that need the data: the network's output must fit the task.
pub fn check_against_data(
    config: &Config,
    source: &Source,
    task: Task,
    classes: usize,
    inputs: usize,
) -> Result<(), ConfigError> {
    let last = config.model.layers.len() - 1;
    let output = config.model.layers[last];
    let units_key = format!("model.layers.{last}.units");
    let activation_key = format!("model.layers.{last}.activation");
    let expected = match task {
        Task::Binary => 1,
        Task::Multiclass => classes,
        Task::Regression => 1,
    };
    if output.units != expected {
        let why = match task {
            Task::Binary => {
                "a binary task needs 1 output unit (the probability of the positive class)"
                    .to_string()
            }
            Task::Multiclass => format!(
                "a multiclass task with {classes} classes needs {classes} output units, one per class"
            ),
            Task::Regression => "a regression on one target column needs 1 output unit".to_string(),
        };
        return Err(source.error(&units_key, format!("is {}, but {why}", output.units)));
    }
    match (task, output.activation, config.training.loss) {
        (Task::Multiclass, Activation::Softmax, Loss::CrossEntropy) => {}
        (Task::Multiclass, _, _) => {
            return Err(source.error(
                &activation_key,
                "a multiclass task needs a softmax output with loss = \"cross_entropy\"",
            ));
        }
        (Task::Regression, _, loss) if loss != Loss::Mse => {
            return Err(source.error("training.loss", "a regression task needs loss = \"mse\""));
        }
        _ => {}
    }
    // The whole network gets the limit of one layer (`resolve` checked the
    // others alone): layers each within it can still add up to more memory
    // than a machine has. Its first step is the first layer, whose inputs
    // are known only now.
    let mut total = 0;
    let mut fed = inputs as u64;
    for (i, layer) in config.model.layers.iter().enumerate() {
        total += layer.units as u64 * fed;
        fed = layer.units as u64;
        if total > limits::LAYER_WEIGHTS {
            let what = if i == 0 {
                format!("with {inputs} inputs this layer would have {total} weights")
            } else {
                format!("with this layer the network would have {total} weights in all")
            };
            return Err(source.error(
                &format!("model.layers.{i}.units"),
                format!(
                    "{what}, about {} MB; at most {} are allowed",
                    total * 8 / 1_000_000,
                    limits::LAYER_WEIGHTS
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
