//! Names a feature column cannot have: predictions.csv writes the feature
//! columns by their names in the data beside its own columns `row`,
//! `target`, `prediction` and `probability_<class>`, so a feature named like
//! one of those would give the file two columns of one name, and a reader
//! (a person, pandas, `predict` given the file back) could take one for the
//! other. Refused when the data is prepared, so at `check` already.

use super::error::DataError;
use super::table::Table;

/// The columns predictions.csv adds, in the words of the error message.
const OWN_COLUMNS: &str = "`row`, `target`, `prediction` and `probability_<class>`";

/// Whether predictions.csv names one of its own columns `name`.
fn is_reserved(name: &str) -> bool {
    matches!(name, "row" | "target" | "prediction") || name.starts_with("probability_")
}

/// Refuses a table with a feature named like a column of predictions.csv.
pub fn check(table: &Table) -> Result<(), DataError> {
    let Some(feature) = table.features.iter().find(|f| is_reserved(&f.name)) else {
        return Ok(());
    };
    Err(DataError::new(
        table.origin.as_str(),
        format!(
            "a feature cannot be named `{}`: predictions.csv writes the feature columns by their \
             names beside its own columns {OWN_COLUMNS}, and two columns of one name could not \
             be told apart. Rename the column in the data, or leave it out by listing the other \
             columns in `features`",
            feature.name
        ),
    )
    .in_column(feature.name.as_str())
    .about("data.features"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_predictions_csv_adds_are_reserved_and_others_are_not() {
        for name in [
            "row",
            "target",
            "prediction",
            "probability_",
            "probability_yes",
        ] {
            assert!(is_reserved(name), "{name}");
        }
        for name in [
            "rows",
            "Target",
            "predictions",
            "probability",
            "my_prediction",
        ] {
            assert!(!is_reserved(name), "{name}");
        }
    }
}
