//! diagnostics.png/svg: the cost curve on top and, under it on the same
//! epoch axis, what each layer went through (diagnostics.csv): the size of
//! its weights, of its gradients, of each epoch's step relative to the
//! weights, and the share of its units that stopped learning. A spike in
//! the cost is read straight down: which layer's gradient jumped, whose
//! units saturated. One colour per layer in every panel, one legend.

use super::history::History;
use super::thin::MAX_PLOT_POINTS;
use crate::nn::saturation;
use crate::plot::{Panel, Reference, Series, Stacked};
use crate::train::diagnostics::LayerDiagnostics;

/// The style (colour) of the cost; layer `l` (from 0) takes `l + 1`.
const COST_STYLE: usize = 0;

/// The figure of `rows` (diagnostics.csv's, epoch by epoch) under the cost
/// curve of `history`; `title` names the experiment.
pub fn diagnostics_figure(title: &str, history: &History, rows: &[LayerDiagnostics]) -> Stacked {
    let layers = rows.iter().map(|r| r.layer + 1).max().unwrap_or(0);
    let epochs = rows.iter().map(|r| r.epoch).max().unwrap_or(0);
    // Every epoch up to the plot's budget, then every k-th and the last.
    let stride = epochs.div_ceil(MAX_PLOT_POINTS).max(1);
    let kept = |r: &&LayerDiagnostics| r.epoch.is_multiple_of(stride) || r.epoch == epochs;
    let label = |layer: usize| format!("layer {} (model.layers.{layer})", layer + 1);
    let per_layer = |value: &dyn Fn(&LayerDiagnostics) -> Option<f64>| -> Vec<Series> {
        (0..layers)
            .map(|layer| Series {
                label: label(layer),
                points: rows
                    .iter()
                    .filter(kept)
                    .filter(|r| r.layer == layer)
                    .filter_map(|r| value(r).map(|v| (r.epoch as f64, v)))
                    .collect(),
                band: None,
            })
            .collect()
    };
    let styles: Vec<usize> = (0..layers).map(|l| l + 1).collect();
    let panel = |title: &str, y_label: &str, series: Vec<Series>| Panel {
        title: title.to_string(),
        x_label: "epoch".to_string(),
        y_label: y_label.to_string(),
        series,
        styles: styles.clone(),
        shared_legend: true,
        ..Panel::default()
    };
    let cost = Panel {
        title: "Cost per epoch (sum of the training losses)".to_string(),
        x_label: "epoch".to_string(),
        y_label: "cost".to_string(),
        series: vec![Series {
            label: "training cost".to_string(),
            points: history.train_cost.points(),
            band: None,
        }],
        styles: vec![COST_STYLE],
        shared_legend: true,
        ..Panel::default()
    };
    // A layer that can neither saturate nor die (identity, leaky relu,
    // softmax, and the output layer) has no share to draw.
    let stuck = |r: &LayerDiagnostics| {
        let (saturates, dies) = saturation::applies(r.activation);
        if saturates {
            r.saturated
        } else if dies {
            r.dead
        } else {
            None
        }
    };
    let mut shares = panel(
        "Stuck units: saturated (sigmoid, tanh; |z| > 5) or dead (relu)",
        "share of units",
        per_layer(&stuck),
    );
    shares.series.retain(|s| !s.points.is_empty());
    // The whole layer, so that a share reads against it.
    shares.references = vec![Reference {
        label: String::new(),
        y: 1.0,
    }];
    let mut update = panel(
        "Update ratio ‖W after − W before‖ / ‖W before‖ per epoch",
        "update ratio",
        per_layer(&|r| r.update_ratio),
    );
    update.log_y = true;
    Stacked {
        title: format!("{title}: diagnostics per layer"),
        panels: epoch_axis_once(vec![
            cost,
            panel(
                "Weight norm ‖W‖ at the end of each epoch",
                "‖W‖",
                per_layer(&|r| Some(r.weight_norm)),
            ),
            panel(
                "Gradient norm ‖∂loss/∂W‖, mean over the epoch's batches",
                "‖∂loss/∂W‖",
                per_layer(&|r| r.gradient_norm),
            ),
            update,
            shares,
        ]),
    }
}

/// The panels share their x axis: named once, under the last.
fn epoch_axis_once(mut panels: Vec<Panel>) -> Vec<Panel> {
    let last = panels.len().saturating_sub(1);
    for panel in &mut panels[..last] {
        panel.x_label.clear();
    }
    panels
}
