//! The checks of new rows that only predict makes: the data must not hold a
//! column predict adds to its output, and every output must be a finite
//! number. They sit beside `predict_input`, which reads the rows.

use std::path::Path;

use crate::config::Task;

use super::error::{DataError, RowPosition};
use super::predict_input::{Encoding, NewRows};

/// The data must not hold a column that predict adds to its output: two
/// columns of one name would make the output ambiguous to read back.
pub fn check_columns(data: &Path, encoding: &Encoding, header: &[String]) -> Result<(), DataError> {
    let Some(taken) = added_columns(encoding)
        .into_iter()
        .find(|name| header.contains(name))
    else {
        return Ok(());
    };
    let needed = taken == encoding.target
        || encoding.inputs.contains(&taken)
        || encoding.categories.iter().any(|c| c.column == taken);
    let message = if needed {
        format!(
            "the model was trained on a column named `{taken}`, a name predict gives \
             its own output column, so its predictions cannot be written beside the \
             data; rename that column in the training data and train again"
        )
    } else {
        format!(
            "the file already has a column `{taken}`, which predict adds to its output; \
             rename or remove it (the output of predict, given back, needs its \
             prediction columns removed)"
        )
    };
    Err(DataError::new(data.display().to_string(), message))
}

/// A row whose output is not a finite number: its inputs lie so far outside
/// what the model was trained on that the sums overflow. Written out, the
/// prediction would be NaN or inf in a file that looks fine.
pub fn not_finite(data: &Path, rows: &NewRows, example: usize) -> DataError {
    let position = RowPosition {
        row: rows.examples.rows[example],
        line: rows.records[example]
            .position()
            .and_then(|p| usize::try_from(p.line()).ok()),
    };
    DataError::new(
        data.display().to_string(),
        "the model's output for this row is not a finite number: its inputs, normalized \
         as in training, are too far outside the training data for the model's weights \
         (the sums overflow); nothing was written",
    )
    .at(position)
}

/// The columns predict adds after those of the data: `prediction`, and for
/// classification `probability_<class>` for each class.
pub fn added_columns(encoding: &Encoding) -> Vec<String> {
    let mut names = vec!["prediction".to_string()];
    if encoding.task != Task::Regression {
        names.extend(encoding.classes.iter().map(|c| format!("probability_{c}")));
    }
    names
}
