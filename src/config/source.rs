//! Where each value of a config came from, so that an error can point at it.
//!
//! A value comes either from the experiment file (a line and column) or from a
//! `--set KEY=VALUE` on the command line. Keys are dotted paths with array
//! positions as numbers: `model.layers.0.units`.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

/// The experiment file's text and the position of every key and value in it.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub file: PathBuf,
    text: String,
    key_spans: BTreeMap<String, Range<usize>>,
    value_spans: BTreeMap<String, Range<usize>>,
    /// `--set` assignments as typed, by key path.
    overrides: BTreeMap<String, String>,
}

impl Source {
    /// Parses `text` for positions; a syntax error comes back located.
    pub fn parse(file: &Path, text: String) -> Result<Source, ConfigError> {
        let mut source = Source {
            file: file.to_path_buf(),
            text,
            ..Source::default()
        };
        let parsed = DeTable::parse(&source.text);
        let (key_spans, value_spans) = match parsed {
            Ok(table) => {
                let mut keys = BTreeMap::new();
                let mut values = BTreeMap::new();
                collect_table(table.get_ref(), "", &mut keys, &mut values);
                (keys, values)
            }
            Err(error) => {
                let span = error.span().unwrap_or(0..0);
                let message = format!("invalid TOML: {}", error.message().trim_end());
                return Err(source.error_at_span(span, None, message));
            }
        };
        source.key_spans = key_spans;
        source.value_spans = value_spans;
        Ok(source)
    }

    /// The most specific key whose value spans `offset`.
    pub fn key_at(&self, offset: usize) -> Option<String> {
        self.value_spans
            .iter()
            .filter(|(_, span)| span.contains(&offset))
            .min_by_key(|(_, span)| span.len())
            .map(|(key, _)| key.clone())
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn record_override(&mut self, key: &str, assignment: &str) {
        self.overrides
            .insert(key.to_string(), assignment.to_string());
    }

    /// An error about the value at `key`, located where that value came from.
    pub fn error(&self, key: &str, message: impl Into<String>) -> ConfigError {
        self.error_with(key, false, message.into())
    }

    /// An error about the key itself (an unknown key), located at the key.
    pub fn key_error(&self, key: &str, message: impl Into<String>) -> ConfigError {
        self.error_with(key, true, message.into())
    }

    fn error_with(&self, key: &str, at_key: bool, message: String) -> ConfigError {
        // A `--set` of the key, of a table above it, or of a key below it
        // (which created it) decides the value.
        let below = format!("{key}.");
        let overriding = prefixes(key)
            .find_map(|prefix| self.overrides.get(prefix))
            .or_else(|| {
                self.overrides
                    .iter()
                    .find(|(k, _)| k.starts_with(&below))
                    .map(|(_, a)| a)
            });
        if let Some(assignment) = overriding {
            return ConfigError {
                location: Location::Override(assignment.clone()),
                key: non_empty(key),
                message,
                note: None,
            };
        }
        // Otherwise the closest enclosing thing the file wrote.
        for prefix in prefixes(key) {
            let span = if at_key && prefix == key {
                self.key_spans.get(prefix)
            } else {
                self.value_spans
                    .get(prefix)
                    .or_else(|| self.key_spans.get(prefix))
            };
            if let Some(span) = span {
                return self.error_at_span(span.clone(), non_empty(key), message);
            }
        }
        ConfigError {
            location: Location::File(self.file.clone()),
            key: non_empty(key),
            message,
            note: self.overrides_note(),
        }
    }

    /// Other `--set` arguments may have caused an error located in the file.
    fn overrides_note(&self) -> Option<String> {
        (!self.overrides.is_empty()).then(|| {
            let all: Vec<String> = self
                .overrides
                .values()
                .map(|a| format!("--set {a}"))
                .collect();
            format!("the file's values as changed by {}", all.join(", "))
        })
    }

    /// An error at a byte range of the file.
    pub fn error_at_span(
        &self,
        span: Range<usize>,
        key: Option<String>,
        message: String,
    ) -> ConfigError {
        let start = span.start.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, start)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        let line_text = self.text[line_start..]
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        let width = self.text[floor_char_boundary(&self.text, start)
            ..floor_char_boundary(&self.text, span.end.max(start))]
            .lines()
            .next()
            .map_or(1, |s| s.chars().count().max(1));
        ConfigError {
            location: Location::Line {
                file: self.file.clone(),
                line,
                column,
                line_text,
                width,
            },
            key,
            message,
            note: self.overrides_note(),
        }
    }
}

fn non_empty(key: &str) -> Option<String> {
    (!key.is_empty()).then(|| key.to_string())
}

/// `a.b.c`, then `a.b`, then `a`.
fn prefixes(key: &str) -> impl Iterator<Item = &str> {
    let cuts = key.match_indices('.').map(|(i, _)| i).collect::<Vec<_>>();
    std::iter::once(key).chain(cuts.into_iter().rev().map(move |i| &key[..i]))
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

type Spans = BTreeMap<String, Range<usize>>;

fn collect_table(table: &DeTable<'_>, prefix: &str, keys: &mut Spans, values: &mut Spans) {
    for (key, value) in table {
        let path = join(prefix, key.get_ref());
        keys.insert(path.clone(), key.span());
        collect_value(value.get_ref(), &path, keys, values);
        values.insert(path, value.span());
    }
}

fn collect_value(value: &DeValue<'_>, path: &str, keys: &mut Spans, values: &mut Spans) {
    match value {
        DeValue::Table(table) => collect_table(table, path, keys, values),
        DeValue::Array(array) => {
            for (index, item) in array.iter().enumerate() {
                let item_path = join(path, &index.to_string());
                collect_value(item.get_ref(), &item_path, keys, values);
                values.insert(item_path, item.span());
            }
        }
        _ => {}
    }
}

/// Where a config value came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    Line {
        file: PathBuf,
        line: usize,
        column: usize,
        line_text: String,
        width: usize,
    },
    /// The file as a whole (a required key that is missing).
    File(PathBuf),
    /// A `--set KEY=VALUE` argument, as typed.
    Override(String),
}

/// A config that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub location: Location,
    pub key: Option<String>,
    pub message: String,
    /// A line of context after the message.
    pub note: Option<String>,
}

fn shown(file: &Path) -> String {
    crate::text::printable(&file.display().to_string())
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            // A path may come from a file's text (a sweep's `experiment`),
            // so its control characters are shown escaped, not sent to the
            // terminal.
            Location::Line {
                file, line, column, ..
            } => write!(f, "{}:{line}:{column}: ", shown(file))?,
            Location::File(file) => write!(f, "{}: ", shown(file))?,
            Location::Override(assignment) => {
                write!(f, "--set {}: ", crate::text::printable(assignment))?
            }
        }
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Location::Line {
            line,
            column,
            line_text,
            width,
            ..
        } = &self.location
        {
            // A rustc-style excerpt with a caret under the offending text.
            let gutter = line.to_string().len();
            // Tabs become single spaces so that the caret lines up.
            let shown: String = line_text
                .chars()
                .take(200)
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let pad = " ".repeat(column.saturating_sub(1).min(200));
            let carets = "^".repeat((*width).clamp(1, 200usize.saturating_sub(column - 1).max(1)));
            write!(
                f,
                "\n{:gutter$} |\n{line} | {shown}\n{:gutter$} | {pad}{carets}",
                "", ""
            )?;
        }
        if let Some(note) = &self.note {
            write!(f, "\n  = note: {note}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source::parse(Path::new("exp.toml"), text.to_string()).expect("valid TOML")
    }

    #[test]
    fn a_value_error_points_at_the_value() {
        let s = source("[training]\nepochs = 5\nlearning_rate = -1.0\n");
        let e = s.error("training.learning_rate", "must be positive");
        let Location::Line { line, column, .. } = e.location else {
            panic!("expected a line location, got {:?}", e.location)
        };
        assert_eq!((line, column), (3, 17));
        let text = e.to_string();
        assert!(
            text.starts_with("exp.toml:3:17: `training.learning_rate`: must be positive"),
            "{text}"
        );
        assert!(text.contains("^^^^"), "{text}");
    }

    #[test]
    fn an_array_element_is_located() {
        let s = source("[model]\nlayers = [\n  { units = 8 },\n  { units = 0 },\n]\n");
        let e = s.error("model.layers.1.units", "must be at least 1");
        assert!(e.to_string().starts_with("exp.toml:4:13:"), "{e}");
    }

    #[test]
    fn a_missing_key_falls_back_to_its_table() {
        let s = source("[training]\nepochs = 5\n");
        let e = s.error("training.learning_rate", "is required");
        assert!(e.to_string().starts_with("exp.toml:1:"), "{e}");
    }

    #[test]
    fn an_override_wins_over_the_file() {
        let mut s = source("[training]\nlearning_rate = 0.1\n");
        s.record_override("training.learning_rate", "training.learning_rate=-2");
        let e = s.error("training.learning_rate", "must be positive");
        assert!(
            e.to_string()
                .starts_with("--set training.learning_rate=-2:"),
            "{e}"
        );
    }

    #[test]
    fn a_syntax_error_is_located() {
        let e = Source::parse(Path::new("exp.toml"), "[training]\nepochs = = 3\n".into())
            .expect_err("invalid TOML");
        assert!(e.to_string().starts_with("exp.toml:2:"), "{e}");
    }
}
