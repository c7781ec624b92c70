//! The line predict writes to standard error when the new rows have the
//! target column: how the model does on them, numbers as compare and the
//! report show them.

use std::path::Path;

use crate::config::Loss;
use crate::data::predict_input::{Encoding, NewRows};
use crate::train::metrics::{Summary, TaskMetrics};

pub fn metrics_line(
    data: &Path,
    encoding: &Encoding,
    loss: Option<Loss>,
    rows: &NewRows,
    summary: &Summary,
) -> String {
    // As compare and the report show numbers: an error of 1e300 is not
    // written out in 300 digits.
    let number = crate::text::number;
    let mut parts = Vec::new();
    if let Some(loss) = loss {
        parts.push(format!("loss {} ({})", number(summary.loss), loss.name()));
    }
    match summary.task {
        TaskMetrics::Accuracy(accuracy) => parts.push(format!("accuracy {}", number(accuracy))),
        TaskMetrics::Regression { rmse, mae } => {
            parts.push(format!("rmse {}", number(rmse)));
            parts.push(format!("mae {}", number(mae)));
        }
    }
    let count = rows.examples.len();
    format!(
        "{}: {count} {} with a known `{}`: {}",
        data.display(),
        if count == 1 { "row" } else { "rows" },
        // Quoted from model.json.
        crate::text::printable(&encoding.target),
        parts.join(", ")
    )
}
