//! The comparison's plot: each entry's loss and training cost per epoch, a
//! sweep point as its mean curve over seeds in a ± one standard deviation
//! band (the sweep's own rule, from `crate::statistics`).
//!
//! Up to fifty entries stay readable: each has a look of its own (ten
//! colours × five line styles) and the label the table gives it (the config
//! keys that tell the entries apart), in one legend beside the panels. Entries of
//! different tasks or losses are not drawn on one axis, whose numbers would
//! mean different things: each loss function gets a panel of its own.

use super::entries::{ABSENT, Entry};
use crate::plot::{Figure, MAX_PANELS, Panel, Series};
use crate::results::cost_figure::shared_baseline;
use crate::statistics;
use crate::text::unquoted;

/// What the legend calls the bands, where an entry has several seeds.
const BAND_LABEL: &str = "mean ± std over seeds";

/// Left, the loss per example (validation, or training where a run has no
/// validation split); right, the training cost. Where the entries' tasks or
/// losses differ, one loss panel per task and loss instead. `labels` name
/// the entries as the table does (`labels::labels`).
pub(super) fn figure(entries: &[Entry], labels: &[String]) -> Figure {
    let with_validation = |entry: &Entry| {
        entry
            .runs
            .iter()
            .all(|r| r.columns.iter().any(|c| c == "validation_loss"))
    };
    let seeded = entries.iter().any(|e| e.runs.len() > 1);
    let band_label = if seeded { BAND_LABEL } else { "" };

    // Entries by task and loss function, in order of first appearance.
    let mut groups: Vec<((String, String), Vec<usize>)> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let kind = kind_of(entry);
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, members)) => members.push(index),
            None => groups.push((kind, vec![index])),
        }
    }
    let several = groups.len() > 1;

    let mut panels = Vec::new();
    for ((task, loss), members) in groups.iter().take(MAX_PANELS) {
        let validation: Vec<bool> = members
            .iter()
            .map(|&i| with_validation(&entries[i]))
            .collect();
        let mut losses = Vec::new();
        let mut costs = Vec::new();
        for (&index, &validation) in members.iter().zip(&validation) {
            let column = if validation {
                "validation_loss"
            } else {
                "train_loss"
            };
            losses.push(mean_series(&entries[index], column, labels[index].clone()));
            costs.push(mean_series(
                &entries[index],
                "train_cost",
                labels[index].clone(),
            ));
        }
        // One baseline line where every entry draws the same split of the
        // same data; it is a loss per example, so not on the cost panel.
        let baseline = if validation.windows(2).all(|w| w[0] == w[1]) {
            let summaries = members
                .iter()
                .flat_map(|&i| &entries[i].runs)
                .map(|r| &r.summary);
            shared_baseline(summaries, validation.first() == Some(&true), "loss")
        } else {
            None
        };
        let split = match (validation.iter().all(|v| *v), validation.iter().any(|v| *v)) {
            (true, _) => "Validation loss per example",
            (false, true) => "Loss per example (train where no validation split)",
            (false, false) => "Train loss per example",
        };
        let title = if several {
            format!("{split}: {loss}, {task}")
        } else {
            split.to_string()
        };
        let panel = |title: String, y_label: &str, series: Vec<Series>| Panel {
            title,
            x_label: "epoch".to_string(),
            y_label: y_label.to_string(),
            series,
            styles: members.clone(),
            shared_legend: true,
            band_label: band_label.to_string(),
            ..Panel::default()
        };
        panels.push(Panel {
            references: baseline.into_iter().collect(),
            ..panel(title, "mean loss", losses)
        });
        // Costs, sums of losses, compare only where the losses do.
        if !several {
            panels.push(panel(
                "Training cost per epoch".to_string(),
                "cost (sum of losses)",
                costs,
            ));
        }
    }

    let title = if labels.len() <= 3 {
        labels.join(" vs ")
    } else {
        let mut experiments: Vec<&str> = entries.iter().map(Entry::experiment).collect();
        experiments.dedup();
        format!("{}: {} compared", experiments.join(", "), labels.len())
    };
    Figure { title, panels }
}

/// The task (from summary.json) and loss function (`training.loss`) that
/// make an entry's loss comparable with another's.
fn kind_of(entry: &Entry) -> (String, String) {
    let task = entry
        .runs
        .first()
        .map_or_else(String::new, |r| r.summary.task.clone());
    let loss = entry
        .config()
        .get("training.loss")
        .map_or_else(|| ABSENT.to_string(), |v| unquoted(v).to_string());
    (task, loss)
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
