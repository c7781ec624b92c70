//! The comparison's plot: each entry's loss and training cost per epoch, a
//! sweep point as its mean curve over seeds in a ± one standard deviation
//! band (the sweep's own rule, from `crate::statistics`).

use super::entries::Entry;
use crate::plot::{Figure, Panel, Series};
use crate::results::cost_figure::shared_baseline;
use crate::statistics;

/// Left, the loss per example (validation, or training where a run has no
/// validation split); right, the training cost. A sweep point is drawn as
/// its mean over seeds in a ± one standard deviation band.
pub(super) fn figure(entries: &[Entry], labels: &[String]) -> Figure {
    let mut losses = Vec::new();
    let mut costs = Vec::new();
    let with_validation = |entry: &Entry| {
        entry
            .runs
            .iter()
            .all(|r| r.columns.iter().any(|c| c == "validation_loss"))
    };
    for (entry, label) in entries.iter().zip(labels) {
        let validation = with_validation(entry);
        losses.push(if validation {
            mean_series(entry, "validation_loss", label.clone())
        } else {
            mean_series(entry, "train_loss", format!("{label} (train loss)"))
        });
        costs.push(mean_series(entry, "train_cost", label.clone()));
    }
    let title = if labels.len() <= 3 {
        labels.join(" vs ")
    } else {
        let mut experiments: Vec<&str> = entries.iter().map(Entry::experiment).collect();
        experiments.dedup();
        format!("{}: {} compared", experiments.join(", "), labels.len())
    };
    // One baseline line where every entry draws the same split of the same
    // data; it is a loss per example, so not on the cost panel.
    let validation: Vec<bool> = entries.iter().map(with_validation).collect();
    let baseline = if validation.windows(2).all(|w| w[0] == w[1]) {
        let summaries = entries.iter().flat_map(|e| &e.runs).map(|r| &r.summary);
        shared_baseline(summaries, validation.first() == Some(&true), "loss")
    } else {
        None
    };
    Figure {
        title,
        panels: vec![
            Panel {
                title: "Validation loss per example".to_string(),
                x_label: "epoch".to_string(),
                y_label: "mean loss".to_string(),
                series: losses,
                log_y: false,
                references: baseline.into_iter().collect(),
                ..Panel::default()
            },
            Panel {
                title: "Training cost per epoch".to_string(),
                x_label: "epoch".to_string(),
                y_label: "cost (sum of losses)".to_string(),
                series: costs,
                log_y: false,
                ..Panel::default()
            },
        ],
    }
}

/// The mean over the entry's runs at each epoch any of them reached, and a
/// band where at least two did.
fn mean_series(entry: &Entry, column: &str, label: String) -> Series {
    let curves: Vec<Vec<(f64, f64)>> = entry
        .runs
        .iter()
        .map(|run| run.series(column).unwrap_or_default())
        .collect();
    let curve = statistics::mean_curve(curves.iter().map(Vec::as_slice));
    Series {
        label,
        points: curve.iter().map(|(x, s)| (*x, s.mean)).collect(),
        band: statistics::band(&curve),
    }
}
