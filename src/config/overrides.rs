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
    if value_text.is_empty() {
        return Err("no value after `=` (an empty string is written '\"\"')".to_string());
    }
    if value_text.contains(['\n', '\r']) {
        return Err("the value spans several lines; a value is one line of TOML".to_string());
    }
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
        None if value_text
            .parse::<f64>()
            .is_ok_and(|v| v.is_infinite() && !value_text.contains(['i', 'I'])) =>
        {
            return Err(format!(
                "`{value_text}` is too large for a 64-bit float (up to about 1.8e308)"
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
    fn each_malformed_value_is_told_what_is_wrong_with_it() {
        let message = |assignment: &str| parse(assignment).expect_err(assignment);
        assert!(message("a.b=").contains("no value after `=`"));
        assert!(message("a.b=  ").contains("no value after `=`"));
        assert!(message("a.b=5\nbogus").contains("several lines"));
        assert!(message("a.b=1e400").contains("too large for a 64-bit float"));
        assert!(message("a.b=-1e400").contains("too large for a 64-bit float"));
        assert!(message("a.b=99999999999999999999").contains("64 bits"));
        assert!(message("a.b=1.2.3").contains("not a valid number"));
        // TOML's own infinities stay values, for the checks to judge.
        assert_eq!(
            parse("a.b=inf").map(|o| o.value),
            Ok(Value::Float(f64::INFINITY))
        );
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

    #[test]
    fn a_key_path_thousands_of_parts_deep_is_refused_without_overflowing_the_stack() {
        // Found by probing for the fuzzing issue: each part became a nested
        // table, and 50,000 of them overflowed the stack when the table was
        // deserialized and dropped.
        let key = vec!["a"; 100_000].join(".");
        let error = parse(&format!("{key}=1")).expect_err("too deep");
        assert!(error.contains("100000 parts"), "{error}");
        let experiment = "[experiment]\nname = \"deep\"\n[data]\ngenerator = \"xor\"\n\
                          [model]\nlayers = [{ units = 1, activation = \"sigmoid\" }]\n\
                          [training]\nepochs = 1\nlearning_rate = 0.1\n";
        let assignment = format!("training.{key}=1");
        let error = crate::config::load_text(
            std::path::Path::new("deep.toml"),
            experiment,
            std::slice::from_ref(&assignment),
        )
        .expect_err("too deep");
        assert!(
            matches!(&error.location, crate::config::Location::Override(a) if *a == assignment)
        );
        assert!(error.message.contains("parts"), "{error}");
        // A key as deep as the limit is still a key (an unknown one, later).
        let limit = vec!["a"; MAX_KEY_PARTS].join(".");
        assert!(parse(&format!("{limit}=1")).is_ok());
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        /// 1 to 5 parts of letters, digits, '_' and '-'.
        fn key_path() -> impl Strategy<Value = String> {
            prop::collection::vec("[A-Za-z0-9_-]{1,12}", 1..=5).prop_map(|parts| parts.join("."))
        }

        /// TOML scalars: whole numbers, finite floats, booleans, strings
        /// without control characters.
        fn scalar() -> impl Strategy<Value = Value> {
            prop_oneof![
                any::<i64>().prop_map(Value::Integer),
                any::<f64>()
                    .prop_filter("finite", |f| f.is_finite())
                    .prop_map(Value::Float),
                any::<bool>().prop_map(Value::Boolean),
                "[^\\p{Cc}]{0,24}".prop_map(Value::String),
            ]
        }

        /// The value as TOML text, as a user would type it after `=`.
        fn toml_text(value: &Value) -> String {
            match value {
                // Debug keeps a float's fraction or exponent (`1.0`, `1e300`),
                // so it reads back as a float, bit for bit.
                Value::Float(f) => format!("{f:?}"),
                other => other.to_string(),
            }
        }

        /// The value at a dotted key path, through tables and arrays.
        fn lookup<'a>(table: &'a Table, key: &str) -> Option<&'a Value> {
            let mut parts = key.split('.');
            let mut node = table.get(parts.next()?)?;
            for part in parts {
                node = match node {
                    Value::Table(table) => table.get(part)?,
                    Value::Array(array) => array.get(part.parse::<usize>().ok()?)?,
                    _ => return None,
                };
            }
            Some(node)
        }

        /// Why `apply` may refuse a key: on the way down, a part meets a
        /// value that is not a table, or an array it does not index.
        fn blocked(table: &Table, key: &str) -> bool {
            let parts: Vec<&str> = key.split('.').collect();
            let mut node = match table.get(parts[0]) {
                Some(node) => node,
                None => return false,
            };
            for part in &parts[1..] {
                node = match node {
                    Value::Table(table) => match table.get(*part) {
                        Some(child) => child,
                        None => return false,
                    },
                    Value::Array(array) => {
                        match part.parse::<usize>().ok().and_then(|i| array.get(i)) {
                            Some(child) => child,
                            None => return true,
                        }
                    }
                    _ => return true,
                };
            }
            false
        }

        /// A base like an experiment file: tables, an array of tables, scalars.
        const BASE: &str = "[training]\nepochs = 3\nschedule = { kind = \"step\", every = 2 }\n\
                            [model]\nlayers = [{ units = 8 }, { units = 1 }]\ninit = \"he\"\n";

        /// Keys that often walk into the base's tables, arrays and scalars.
        fn key_into_base() -> impl Strategy<Value = String> {
            let part = prop_oneof![
                Just("training".to_string()),
                Just("epochs".to_string()),
                Just("schedule".to_string()),
                Just("kind".to_string()),
                Just("model".to_string()),
                Just("layers".to_string()),
                Just("units".to_string()),
                Just("init".to_string()),
                (0..4usize).prop_map(|i| i.to_string()),
                "[a-z_-]{1,6}",
            ];
            prop::collection::vec(part, 1..=5).prop_map(|parts| parts.join("."))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn parse_round_trips_any_key_and_scalar_value(key in key_path(), value in scalar()) {
                let assignment = format!("{key}={}", toml_text(&value));
                let parsed = parse(&assignment);
                prop_assert_eq!(
                    parsed,
                    Ok(Override { key: key.clone(), value: value.clone(), assignment: assignment.clone() })
                );
            }

            #[test]
            fn parse_never_panics_on_any_string(
                text in prop_oneof![any::<String>(), "[a-z0-9_.= \"'\\[\\]{},#eE+-]{0,40}"]
            ) {
                if let Ok(over) = parse(&text) {
                    prop_assert!(over.key.split('.').all(|part| !part.is_empty()));
                    prop_assert!(text.contains('='));
                }
            }

            #[test]
            fn apply_then_lookup_gives_the_value(key in key_into_base(), value in scalar()) {
                let mut table: Table = toml::from_str(BASE).expect("valid TOML");
                let before = table.clone();
                let over = parse(&format!("{key}={}", toml_text(&value))).expect("a valid assignment");
                match apply(&mut table, &over) {
                    Ok(()) => prop_assert_eq!(lookup(&table, &key), Some(&value)),
                    Err(message) => {
                        prop_assert!(blocked(&before, &key), "refused `{}`: {}", key, message);
                        prop_assert_eq!(table, before);
                    }
                }
            }
        }
    }
}
