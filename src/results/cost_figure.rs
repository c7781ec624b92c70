//! The run's plot (cost.png/svg): a view of the rows of metrics.csv, thinned
//! as they came so that the plot stays small however many epochs ran, drawn
//! so that a person can judge the run at a glance: beside the cost, the loss
//! and the task's metric per example with the baseline's (what always
//! answering the same scores) as a dashed line, and the best and the
//! restored epochs marked.

use super::history::History;
use super::summary::RunSummary;
use crate::plot::{Figure, Marker, Panel, Reference, Series};
use crate::text::number;
use crate::train::Divergence;
use crate::train::baseline::{Baseline, Rule, Scored};
use crate::train::metrics::TaskMetrics;

/// What the plot shows besides the curves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The baseline of summary.json.
    pub baseline: Option<&'a Baseline>,
    /// The epoch whose weights model.json holds, where early stopping
    /// restored them.
    pub restored_epoch: Option<usize>,
    pub divergence: Option<&'a Divergence>,
}

/// Left, the cost (sum of losses) per epoch; middle, the mean loss per
/// example of training and validation, which are comparable in scale;
/// right, the accuracy (or the RMSE, in the target's units). The baseline
/// is drawn on the two panels per example only: the cost is a sum over the
/// training examples, and the baseline's would be a different sum. A run
/// that completed no epoch gets one panel saying why.
pub fn cost_figure(title: &str, history: &History, context: Context<'_>) -> Figure {
    let title = title.to_string();
    if history.is_empty() {
        return Figure {
            title,
            panels: vec![nothing_to_draw(context.divergence)],
        };
    }
    let line = |label: &str, points: Vec<(f64, f64)>| Series {
        label: label.to_string(),
        points,
        band: None,
    };
    let mut losses = vec![line("train", history.train_loss.points())];
    let mut metrics = vec![line("train", history.train_metric.points())];
    if !history.validation_loss.is_empty() {
        losses.push(line("validation", history.validation_loss.points()));
        metrics.push(line("validation", history.validation_metric.points()));
    }
    // The split the curves are judged on: validation, else training.
    let scored = context
        .baseline
        .map(|b| (b, b.validation.as_ref().unwrap_or(&b.train)));
    let reference = |value: fn(&Scored) -> f64| -> Vec<Reference> {
        scored
            .map(|(baseline, scored)| Reference {
                label: format!("{} {}", rule_words(&baseline.rule), number(value(scored))),
                y: value(scored),
            })
            .into_iter()
            .collect()
    };
    let markers = epoch_markers(history.best().map(|r| r.epoch), context.restored_epoch);
    let regression = history.metric_name() == Some("rmse");
    Figure {
        title,
        panels: run_panels(RunCurves {
            cost: vec![line("train cost", history.train_cost.points())],
            losses,
            metrics,
            regression,
            loss_baseline: reference(|s| s.summary.loss),
            metric_baseline: reference(|s| task_metric(&s.summary.task)),
            markers,
        }),
    }
}

/// What the three panels of a run's plot draw: `run` fills it from the
/// epochs as they come, the report from the result files.
pub struct RunCurves {
    pub cost: Vec<Series>,
    pub losses: Vec<Series>,
    pub metrics: Vec<Series>,
    /// The metric is the RMSE (in the target's units), not the accuracy.
    pub regression: bool,
    pub loss_baseline: Vec<Reference>,
    pub metric_baseline: Vec<Reference>,
    pub markers: Vec<Marker>,
}

/// Cost, loss per example and metric per epoch, side by side.
pub fn run_panels(curves: RunCurves) -> Vec<Panel> {
    let regression = curves.regression;
    vec![
        Panel {
            title: "Cost per epoch (sum of the training losses)".to_string(),
            x_label: "epoch".to_string(),
            y_label: "cost".to_string(),
            series: curves.cost,
            ..Panel::default()
        },
        Panel {
            title: "Mean loss per example".to_string(),
            x_label: "epoch".to_string(),
            y_label: "loss".to_string(),
            series: curves.losses,
            references: curves.loss_baseline,
            markers: curves.markers.clone(),
            ..Panel::default()
        },
        Panel {
            title: if regression {
                "RMSE per epoch (in the target's units)"
            } else {
                "Accuracy per epoch"
            }
            .to_string(),
            x_label: "epoch".to_string(),
            y_label: if regression { "rmse" } else { "accuracy" }.to_string(),
            series: curves.metrics,
            references: curves.metric_baseline,
            markers: curves.markers,
            ..Panel::default()
        },
    ]
}

/// `always "no"`, `always the mean`: the baseline's rule in a legend.
fn rule_words(rule: &Rule) -> String {
    match rule {
        Rule::Majority { class } => class_words(class),
        Rule::Mean { .. } => "always the mean".to_string(),
    }
}

pub fn class_words(class: &str) -> String {
    format!("always \"{}\"", crate::text::printable(class))
}

/// The dashed baseline of a figure that sets several runs side by side
/// (compare's, the sweep's): the baseline's `key` ("loss") on the split
/// whose curves are drawn (validation, else training), where every run
/// shares it: the same data and the same value. Where they differ (other
/// data, another split or loss function), or a run has none (a summary
/// older than baselines), no single line would be honest, so there is none.
pub fn shared_baseline<'a>(
    runs: impl IntoIterator<Item = &'a RunSummary>,
    validation: bool,
    key: &str,
) -> Option<Reference> {
    let mut shared: Option<(&str, Option<&str>, f64)> = None;
    for run in runs {
        let baseline = run.baseline.as_ref()?;
        let split = if validation {
            baseline.validation.as_ref()?
        } else {
            &baseline.train
        };
        let this = (
            run.data_hash.as_str(),
            baseline.class.as_deref(),
            *split.get(key)?,
        );
        match shared {
            Some(first) if first != this => return None,
            _ => shared = Some(this),
        }
    }
    let (_, class, y) = shared?;
    let rule = class.map_or_else(|| "always the mean".to_string(), class_words);
    Some(Reference {
        label: format!("{rule} {}", number(y)),
        y,
    })
}

fn task_metric(task: &TaskMetrics) -> f64 {
    match *task {
        TaskMetrics::Accuracy(accuracy) => accuracy,
        TaskMetrics::Regression { rmse, .. } => rmse,
    }
}

/// The best epoch (lowest validation loss, else training loss) and the one
/// early stopping restored, one marker where they are the same.
pub fn epoch_markers(best: Option<usize>, restored: Option<usize>) -> Vec<Marker> {
    let marker = |label: String, epoch: usize| Marker {
        label,
        x: epoch as f64,
    };
    match (best, restored) {
        (Some(best), Some(restored)) if best == restored => {
            vec![marker(format!("best and restored epoch {best}"), best)]
        }
        (best, restored) => best
            .map(|e| marker(format!("best epoch {e}"), e))
            .into_iter()
            .chain(restored.map(|e| marker(format!("restored epoch {e}"), e)))
            .collect(),
    }
}

/// The one panel of a run without a completed epoch: where and why it
/// stopped, instead of empty frames.
fn nothing_to_draw(divergence: Option<&Divergence>) -> Panel {
    let note = match divergence {
        Some(d) => format!(
            "Training diverged at epoch {}, batch {}:\n{}.\nNo epoch completed, so there is no curve to draw.",
            d.epoch, d.batch, d.quantity
        ),
        None => "No epoch completed, so there is no curve to draw.".to_string(),
    };
    Panel {
        title: if divergence.is_some() {
            "Training diverged before its first epoch ended"
        } else {
            "No epoch completed"
        }
        .to_string(),
        note,
        ..Panel::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::EpochRecord;
    use crate::train::metrics::Summary;

    fn record(epoch: usize, loss: f64, accuracy: f64) -> EpochRecord {
        let summary = Summary {
            cost: loss * 100.0,
            loss,
            task: TaskMetrics::Accuracy(accuracy),
        };
        EpochRecord {
            epoch,
            learning_rate: 0.1,
            train: summary,
            validation: Some(summary),
        }
    }

    fn scored(loss: f64, accuracy: f64) -> Scored {
        Scored {
            summary: Summary {
                cost: loss * 100.0,
                loss,
                task: TaskMetrics::Accuracy(accuracy),
            },
            loss_standard_error: 0.01,
            examples: 100,
        }
    }

    fn baseline() -> Baseline {
        Baseline {
            rule: Rule::Majority {
                class: "no".to_string(),
            },
            train: scored(0.6, 0.7),
            validation: Some(scored(0.59, 0.717)),
            test: None,
        }
    }

    #[test]
    fn the_baseline_is_drawn_on_the_panels_per_example_only() {
        let mut history = History::default();
        for epoch in 1..=26 {
            let loss = if epoch <= 16 { 1.0 / epoch as f64 } else { 0.1 };
            history.push(&record(epoch, loss, 0.8));
        }
        let baseline = baseline();
        let figure = cost_figure(
            "heart",
            &history,
            Context {
                baseline: Some(&baseline),
                restored_epoch: Some(16),
                divergence: None,
            },
        );
        assert_eq!(figure.panels.len(), 3);
        let [cost, loss, accuracy] = &figure.panels[..] else {
            panic!("three panels");
        };
        assert!(cost.references.is_empty());
        // The validation split's baseline, the split the curves are judged on.
        assert_eq!(
            loss.references,
            [Reference {
                label: "always \"no\" 0.59".to_string(),
                y: 0.59
            }]
        );
        assert_eq!(
            accuracy.references,
            [Reference {
                label: "always \"no\" 0.717".to_string(),
                y: 0.717
            }]
        );
        assert_eq!(accuracy.y_label, "accuracy");
        assert_eq!(accuracy.series.len(), 2);
        // Epoch 16 is the first of the lowest loss, and the restored one.
        assert_eq!(
            loss.markers,
            [Marker {
                label: "best and restored epoch 16".to_string(),
                x: 16.0
            }]
        );
        assert_eq!(accuracy.markers, loss.markers);
    }

    #[test]
    fn a_run_diverged_in_its_first_epoch_gets_one_panel_saying_so() {
        let divergence = Divergence {
            epoch: 1,
            batch: 3,
            quantity: "the loss of the example from data row 395 is inf".to_string(),
        };
        let figure = cost_figure(
            "sine",
            &History::default(),
            Context {
                baseline: None,
                restored_epoch: None,
                divergence: Some(&divergence),
            },
        );
        assert_eq!(figure.panels.len(), 1);
        let panel = &figure.panels[0];
        assert!(panel.series.is_empty());
        assert!(panel.note.contains("epoch 1, batch 3"), "{}", panel.note);
        assert!(panel.note.contains("data row 395 is inf"), "{}", panel.note);
    }
}
