//! A classifier's figures in its run directory: `confusion.png/svg` (the
//! confusion matrix of one split, counts in the cells) and, for binary
//! tasks, `roc.png/svg` (the ROC curve against the chance diagonal, the AUC
//! in the legend). Both files of a figure are drawn before either is
//! written, as `FigureFiles` does for the cost plot.

use std::path::Path;

use super::write_error::WriteError;
use crate::plot::{self, Figure, Heatmap, Panel, Series};
use crate::text::number;
use crate::train::classification::Report;
use crate::train::classification::roc::Roc;

/// The confusion matrix of `report` on `split`: rows true classes, columns
/// predicted ones, each cell shaded by its share of its row.
pub fn confusion_figure(title: &str, split: &str, report: &Report) -> Heatmap {
    let examples: u64 = report.confusion.counts().iter().flatten().sum();
    Heatmap {
        title: format!(
            "{title}: confusion matrix, {split} split ({examples} {})",
            if examples == 1 { "example" } else { "examples" }
        ),
        subtitle: "shade: share of the true class's examples (its recall on the diagonal)"
            .to_string(),
        x_label: "predicted class".to_string(),
        y_label: "true class".to_string(),
        row_labels: report.classes.clone(),
        column_labels: report.classes.clone(),
        counts: report.confusion.counts().to_vec(),
    }
}

/// Dashes of the chance line: a series broken by non-finite points, which
/// the plot leaves out, so that it reads as a reference and not as data.
const DASHES: usize = 25;

/// The ROC curve of a binary task on `split`, with the chance diagonal.
pub fn roc_figure(title: &str, split: &str, positive: &str, roc: &Roc) -> Figure {
    let step = 1.0 / DASHES as f64;
    let chance = (0..DASHES)
        .flat_map(|i| {
            let start = i as f64 * step;
            [
                (start, start),
                (start + step * 0.6, start + step * 0.6),
                (f64::NAN, f64::NAN),
            ]
        })
        .collect();
    Figure {
        title: title.to_string(),
        panels: vec![Panel {
            title: format!("ROC curve, {split} split (positive class: {positive})"),
            x_label: "false positive rate".to_string(),
            y_label: "true positive rate".to_string(),
            series: vec![
                Series {
                    label: format!("model, AUC {}", number(roc.auc)),
                    points: roc.points.clone(),
                    ..Series::default()
                },
                Series {
                    label: "chance, AUC 0.5".to_string(),
                    points: chance,
                    ..Series::default()
                },
            ],
            ..Panel::default()
        }],
    }
}

/// Writes confusion.png/svg into `dir`.
pub fn write_confusion(
    dir: &Path,
    title: &str,
    split: &str,
    report: &Report,
) -> Result<(), WriteError> {
    let heatmap = confusion_figure(title, split, report);
    let (svg, png) = (dir.join("confusion.svg"), dir.join("confusion.png"));
    super::figure_files::FigureFiles::render_with(
        &heatmap,
        (plot::render_heatmap_svg, plot::render_heatmap_png),
        &svg,
        &png,
    )?
    .write()
}

/// Writes roc.png/svg into `dir` where the report has a ROC curve.
pub fn write_roc(dir: &Path, title: &str, split: &str, report: &Report) -> Result<(), WriteError> {
    if let Some(roc) = &report.roc {
        let positive = report.classes.last().map_or("", String::as_str);
        let figure = roc_figure(title, split, positive, roc);
        super::figure_files::FigureFiles::render(
            &figure,
            &dir.join("roc.svg"),
            &dir.join("roc.png"),
        )?
        .write()?;
    }
    Ok(())
}
