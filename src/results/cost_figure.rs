//! The run's cost plot: a view of the rows of metrics.csv.

use super::plot::{Figure, Panel, Series};
use crate::train::EpochRecord;

/// Left, the cost (sum of losses) per epoch; right, the mean loss per
/// example of training and validation, which are comparable in scale.
pub fn cost_figure(title: &str, history: &[EpochRecord]) -> Figure {
    let epoch = |r: &EpochRecord| r.epoch as f64;
    let mut losses = vec![Series {
        label: "train".to_string(),
        points: history.iter().map(|r| (epoch(r), r.train.loss)).collect(),
        band: None,
    }];
    if history.iter().any(|r| r.validation.is_some()) {
        losses.push(Series {
            label: "validation".to_string(),
            points: history
                .iter()
                .filter_map(|r| r.validation.map(|v| (epoch(r), v.loss)))
                .collect(),
            band: None,
        });
    }
    Figure {
        title: title.to_string(),
        panels: vec![
            Panel {
                title: "Cost per epoch (sum of the training losses)".to_string(),
                x_label: "epoch".to_string(),
                y_label: "cost".to_string(),
                series: vec![Series {
                    label: "train cost".to_string(),
                    points: history.iter().map(|r| (epoch(r), r.train.cost)).collect(),
                    band: None,
                }],
                log_y: false,
            },
            Panel {
                title: "Mean loss per example".to_string(),
                x_label: "epoch".to_string(),
                y_label: "loss".to_string(),
                series: losses,
                log_y: false,
            },
        ],
    }
}
