//! The sweep's plot: every point's mean curve with a ± std band over seeds.

use super::aggregate::Point;
use crate::plot::{Figure, Panel, Series};
use crate::results::cost_figure::shared_baseline;
use crate::statistics;

pub fn sweep_figure(title: &str, points: &[Point<'_>], validation: bool) -> Figure {
    let series = points
        .iter()
        .filter_map(|point| {
            let curve = point.mean_curve();
            if curve.is_empty() {
                return None;
            }
            Some(Series {
                label: point.label(),
                points: curve.iter().map(|(epoch, s)| (*epoch, s.mean)).collect(),
                band: statistics::band(&curve),
            })
        })
        .collect();
    let (panel_title, y_label) = if validation {
        (
            "Validation loss per example (mean ± std over seeds)",
            "validation loss",
        )
    } else {
        (
            "Training loss per example (mean ± std over seeds)",
            "train loss",
        )
    };
    // The runs drawn, for the baseline they share (none where they do not).
    let drawn = points
        .iter()
        .flat_map(|p| &p.runs)
        .filter(|r| r.succeeded())
        .filter_map(|r| r.files.as_ref().map(|f| &f.summary));
    let baseline = shared_baseline(drawn, validation, "loss");
    Figure {
        title: title.to_string(),
        panels: vec![Panel {
            title: panel_title.to_string(),
            x_label: "epoch".to_string(),
            y_label: y_label.to_string(),
            series,
            log_y: false,
            references: baseline.into_iter().collect(),
            ..Panel::default()
        }],
    }
}
