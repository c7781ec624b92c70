//! The network's input names must be unique: model.json lists them, and
//! `predict` finds each input by its name. A text column `c` encodes as
//! inputs `c=<category>`, so a column literally named `c=x` beside it (or
//! two text columns whose names and categories join to the same text)
//! would give two inputs one name, and a model that `predict` refuses.

use std::collections::HashMap;

use super::cell::Kind;
use super::error::DataError;
use super::table::Table;

/// Refuses a table in which two columns would give inputs of one name.
///
/// Every text of a text column counts, not only those of the training
/// split: whether a clash exists must not depend on the seed's split.
pub fn check_unique(table: &Table) -> Result<(), DataError> {
    // Each input name, with the column it comes from.
    let mut owner: HashMap<String, &str> = HashMap::new();
    for feature in &table.features {
        let names: Vec<String> = match feature.kind {
            Kind::Text => feature
                .texts
                .iter()
                .map(|text| format!("{}={text}", feature.name))
                .collect(),
            _ => vec![feature.name.clone()],
        };
        for name in names {
            if let Some(first) = owner.get(name.as_str()) {
                return Err(clash(table, first, &feature.name, &name));
            }
            owner.insert(name, &feature.name);
        }
    }
    Ok(())
}

fn clash(table: &Table, first: &str, second: &str, input: &str) -> DataError {
    let how = |column: &str| match column == input {
        true => format!("column `{column}`"),
        false => format!("a category of text column `{column}`"),
    };
    DataError::new(
        table.origin.as_str(),
        format!(
            "columns `{first}` and `{second}` would both give the network an input named `{input}` \
             ({} and {}; a text column `c` becomes one input `c=<value>` per value), so a trained \
             model could not tell them apart. Rename one of them in the data, or leave one out by \
             listing the other columns in `features`",
            how(first),
            how(second),
        ),
    )
    .in_column(second)
    .about("data.features")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::{Column, Feature, Values};

    fn table(features: Vec<Feature>) -> Table {
        Table {
            origin: "data.csv".to_string(),
            rows: Vec::new(),
            features,
            cells: Vec::new(),
            target: Column {
                name: "y".to_string(),
                values: Values::Number(Vec::new()),
            },
            missing: Default::default(),
            target_raw: Vec::new(),
        }
    }

    fn feature(name: &str, texts: &[&str]) -> Feature {
        Feature {
            name: name.to_string(),
            kind: if texts.is_empty() {
                Kind::Number
            } else {
                Kind::Text
            },
            texts: texts.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn a_column_named_like_a_category_input_is_refused_naming_both() {
        let table = table(vec![feature("c", &["x", "z"]), feature("c=x", &[])]);
        let message = check_unique(&table).expect_err("clash").to_string();
        assert!(message.contains("`c` and `c=x`"), "{message}");
        assert!(message.contains("input named `c=x`"), "{message}");
    }

    #[test]
    fn two_text_columns_joining_to_one_name_are_refused() {
        let table = table(vec![feature("a", &["b=c"]), feature("a=b", &["c"])]);
        let message = check_unique(&table).expect_err("clash").to_string();
        assert!(message.contains("`a=b=c`"), "{message}");
    }

    #[test]
    fn distinct_names_pass() {
        let table = table(vec![
            feature("c", &["x", "z"]),
            feature("c=y", &[]),
            feature("d", &[]),
        ]);
        check_unique(&table).expect("no clash");
    }
}
