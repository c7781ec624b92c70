//! `--set KEY=VALUE`: a dotted key path and a TOML value, applied to the
//! parsed file before anything is checked.

use toml::{Table, Value};

/// One `--set` argument, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The key path, as dotted text (`model.layers.0.units`).
    pub key: String,
    pub value: Value,
    /// The argument as typed, for error messages.
    pub assignment: String,
}

/// The most parts a key path may have. Tables are created for each part, and
/// nesting tens of thousands deep overflows the stack when the table is
/// deserialized or dropped; TOML files have a similar limit (80).
const MAX_KEY_PARTS: usize = 32;

/// Parses `KEY=VALUE`. The value is TOML; a bare word that is not valid TOML
/// (`--set data.normalize=minmax`) is taken as a string, as users expect from
/// a command line.
pub fn parse(assignment: &str) -> Result<Override, String> {
    let Some((key, value_text)) = assignment.split_once('=') else {
        return Err(format!(
            "`{assignment}` is not KEY=VALUE (for example training.learning_rate=0.05)"
        ));
    };
    let key = key.trim();
    let segments: Vec<&str> = key.split('.').collect();
    if key.is_empty()
        || segments.iter().any(|s| {
            s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    {
        return Err(format!(
            "`{key}` is not a dotted key path (letters, digits, '_' and '-', separated by '.', \
             for example model.layers.0.units)"
        ));
    }
    if segments.len() > MAX_KEY_PARTS {
        return Err(format!(
            "the key path has {} parts; an experiment's keys have at most 4 (model.layers.0.units), \
             and more than {MAX_KEY_PARTS} are refused",
            segments.len()
        ));
    }
    let value_text = value_text.trim();
    let value = match toml::from_str::<Table>(&format!("v = {value_text}")) {
        Ok(mut table) => table.remove("v"),
        Err(_) => None,
    };
    let value = match value {
        Some(value) => value,
        None if looks_like_a_word(value_text) => Value::String(value_text.to_string()),
        None if value_text
            .chars()
            .all(|c| c.is_ascii_digit() || "+-_".contains(c)) =>
        {
            return Err(format!(
                "`{value_text}` is too large: whole numbers must fit in 64 bits (up to 9223372036854775807)"
            ));
        }
        None if starts_like_a_number(value_text) => {
            return Err(format!(
                "`{value_text}` is not a valid number (write floats as 0.5 or 1e-3)"
            ));
        }
        None => {
            return Err(format!(
                "`{value_text}` is not a TOML value (quote a string: '\"text\"', write arrays as [1, 2])"
            ));
        }
    };
    Ok(Override {
        key: key.to_string(),
        value,
        assignment: assignment.to_string(),
    })
}

fn looks_like_a_word(text: &str) -> bool {
    !text.is_empty()
        && !starts_like_a_number(text)
        && !text.starts_with(['[', '{', '"', '\''])
        && !text.contains(['\n', '\r', '"', '\'', '=', '#'])
}

/// Something that starts like a number but does not parse (too large, two
/// dots) is a mistyped number, not a word.
fn starts_like_a_number(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
}

/// Puts `over.value` at its key path in `root`, creating tables on the way.
/// A number in the path indexes an existing array.
pub fn apply(root: &mut Table, over: &Override) -> Result<(), String> {
    let segments: Vec<&str> = over.key.split('.').collect();
    let (last, parents) = segments.split_last().ok_or("empty key")?;
    let mut wrapped = Value::Table(std::mem::take(root));
    let result = set_in(&mut wrapped, parents, last, over.value.clone(), &over.key);
    if let Value::Table(table) = wrapped {
        *root = table;
    }
    result
}

fn set_in(
    node: &mut Value,
    parents: &[&str],
    last: &str,
    value: Value,
    key: &str,
) -> Result<(), String> {
    let mut node = node;
    let mut walked = Vec::new();
    for segment in parents {
        walked.push(*segment);
        node = child(node, segment, &walked, key)?;
    }
    match node {
        Value::Table(table) => {
            table.insert(last.to_string(), value);
            Ok(())
        }
        Value::Array(array) => {
            let index = array_index(last, array.len(), &walked)?;
            array[index] = value;
            Ok(())
        }
        _ => Err(format!(
            "`{}` is not a table, so `{key}` cannot be set",
            walked.join(".")
        )),
    }
}

fn child<'a>(
    node: &'a mut Value,
    segment: &str,
    walked: &[&str],
    key: &str,
) -> Result<&'a mut Value, String> {
    let parent = walked[..walked.len() - 1].join(".");
    match node {
        Value::Table(table) => {
            if !table.contains_key(segment) {
                table.insert(segment.to_string(), Value::Table(Table::new()));
            }
            table
                .get_mut(segment)
                .ok_or_else(|| format!("no key `{}`", walked.join(".")))
        }
        Value::Array(array) => {
            let index = array_index(segment, array.len(), &walked[..walked.len() - 1])?;
            Ok(&mut array[index])
        }
        _ => Err(format!(
            "`{parent}` is not a table, so `{key}` cannot be set"
        )),
    }
}

fn array_index(segment: &str, len: usize, array_path: &[&str]) -> Result<usize, String> {
    let name = array_path.join(".");
    let index: usize = segment.parse().map_err(|_| {
        format!(
            "`{name}` is an array: index it with a number from 0 to {}",
            len.saturating_sub(1)
        )
    })?;
    if index >= len {
        return Err(format!(
            "`{name}` has {len} entries, so index {index} does not exist (0 to {})",
            len.saturating_sub(1)
        ));
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        toml::from_str(text).expect("valid TOML")
    }

    #[test]
    fn numbers_booleans_and_strings_parse_as_toml() {
        assert_eq!(parse("a.b=0.05").map(|o| o.value), Ok(Value::Float(0.05)));
        assert_eq!(parse("a.b=16").map(|o| o.value), Ok(Value::Integer(16)));
        assert_eq!(
            parse("a.b=false").map(|o| o.value),
            Ok(Value::Boolean(false))
        );
        assert_eq!(
            parse("a.b=\"minmax\"").map(|o| o.value),
            Ok(Value::String("minmax".into()))
        );
    }

    #[test]
    fn a_bare_word_is_a_string() {
        assert_eq!(
            parse("data.normalize=minmax").map(|o| o.value),
            Ok(Value::String("minmax".into()))
        );
    }

    #[test]
    fn malformed_assignments_are_refused() {
        assert!(parse("no_equals_sign").is_err());
        assert!(parse("=3").is_err());
        assert!(parse("a..b=3").is_err());
        assert!(parse("a.b=[1, 2").is_err());
    }

    #[test]
    fn sets_a_nested_key_creating_tables() {
        let mut t = table("[training]\nepochs = 3\n");
        apply(
            &mut t,
            &parse("training.schedule.kind=step").expect("valid"),
        )
        .expect("applies");
        assert_eq!(t["training"]["schedule"]["kind"].as_str(), Some("step"));
        assert_eq!(t["training"]["epochs"].as_integer(), Some(3));
    }

    #[test]
    fn indexes_into_arrays() {
        let mut t = table("[model]\nlayers = [{ units = 8 }, { units = 1 }]\n");
        apply(&mut t, &parse("model.layers.0.units=16").expect("valid")).expect("applies");
        assert_eq!(t["model"]["layers"][0]["units"].as_integer(), Some(16));
        let err = apply(&mut t, &parse("model.layers.5.units=16").expect("valid"))
            .expect_err("out of range");
        assert!(err.contains("has 2 entries"), "{err}");
    }
}
