//! The run's cost plot: a view of the rows of metrics.csv, thinned as they
//! came so that the plot stays small however many epochs ran.

use super::history::History;
use crate::plot::{Figure, Panel, Series};

/// Left, the cost (sum of losses) per epoch; right, the mean loss per
/// example of training and validation, which are comparable in scale.
pub fn cost_figure(title: &str, history: &History) -> Figure {
    let mut losses = vec![Series {
        label: "train".to_string(),
        points: history.train_loss.points(),
        band: None,
    }];
    if !history.validation_loss.is_empty() {
        losses.push(Series {
            label: "validation".to_string(),
            points: history.validation_loss.points(),
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
                    points: history.train_cost.points(),
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
