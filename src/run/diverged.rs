//! The error message of a diverged run, from its summary.json: where it
//! diverged, and what to try.

use std::path::Path;

use crate::results::summary::RunSummary;

/// What went wrong in a diverged run, from its summary.json.
pub fn diverged_message(dir: &Path) -> String {
    let summary: Option<RunSummary> =
        crate::regular_file::read_to_string(&dir.join("summary.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok());
    let where_ = summary
        .as_ref()
        .and_then(|s| s.divergence.as_ref())
        .map(|d| {
            // Quoted from a file that may have been edited.
            let quantity = crate::text::printable(&d.quantity);
            format!(" at epoch {}, batch {} ({quantity})", d.epoch, d.batch)
        })
        .unwrap_or_default();
    format!(
        "training diverged{where_}; try a smaller learning_rate, or look for extreme values in the data. \
         metrics.csv keeps the completed epochs and model.json the last finite weights, in {}",
        dir.display()
    )
}
