//! The index: one row per run, every experiment, sortable and filterable by
//! the page's script, and complete without it.

use std::collections::BTreeMap;

use super::collect::Collection;
use super::html::escape;
use super::hyperparameters::Hyperparameters;
use super::ids;
use super::leaderboard::labelled;
use super::table::{self, Column};
use super::verdict;
use crate::results::metrics_csv::format_number;
use crate::results::read::RunFiles;
use crate::results::summary::RunSummary;
use crate::text;
use crate::train::status::Status;

pub fn runs_table(collection: &Collection) -> String {
    let memberships = sweep_memberships(collection);
    let runs: Vec<(&String, &String, &RunFiles)> = collection
        .experiments
        .iter()
        .flat_map(|(experiment, entry)| {
            entry
                .runs
                .iter()
                .map(move |(name, run)| (experiment, name, run))
        })
        .collect();
    let has = |column: &str| {
        runs.iter()
            .any(|(_, _, run)| run.summary.final_metrics.contains_key(column))
    };
    let (accuracy, rmse) = (has("validation_accuracy"), has("validation_rmse"));
    let any_sweeps = collection.sweep_count() > 0;

    // The metrics come right after the run's name, and the long columns
    // (findings, hyperparameters) after them: at any width, each run's
    // validation loss is in view without scrolling the table sideways.
    let mut columns = vec![
        Column {
            sortable: false,
            heading_hidden: true,
            class: Some("pick"),
            ..Column::text("pick", "Compare")
        },
        Column::text("run", "Run"),
        Column::text("experiment", "Experiment"),
        Column::number("final_validation_loss", "Val. loss")
            .titled("Validation loss per example at the last epoch"),
    ];
    if accuracy {
        columns.push(
            Column::number("validation_accuracy", "Val. accuracy").titled(
                "Validation accuracy of the weights model.json holds (the restored epoch where early stopping restored, else the last)",
            ),
        );
    }
    if rmse {
        columns.push(
            Column::number("validation_rmse", "Val. RMSE")
                .titled("Validation RMSE of the weights model.json holds, in the target's units"),
        );
    }
    let any_baseline = runs
        .iter()
        .any(|(_, _, run)| run.summary.baseline.is_some());
    if any_baseline && (accuracy || rmse) {
        columns.push(Column::number("baseline", "Baseline").titled(
            "What a constant prediction from the training split scores on the validation split: the majority class's accuracy, or the training mean's RMSE",
        ));
    }
    columns.extend([
        Column::number("best_validation_loss", "Best val. loss (epoch)")
            .titled("The lowest validation loss per example, and its epoch"),
        Column::text("status", "Status"),
        Column::text("findings", "Findings")
            .titled("What summary.json says a person should know about the result; hover a badge for its sentence"),
        Column::number("learning_rate", "Learning rate").titled("training.learning_rate"),
        Column::number("layers", "Layers").titled(
            "Units per layer, from model.layers; sorts by the number of weights and biases",
        ),
        Column::text("optimizer", "Optimizer").titled("training.optimizer"),
        Column::number("batch_size", "Batch").titled("training.batch_size"),
        Column::number("seed", "Seed").titled("experiment.seed"),
    ]);
    if any_sweeps {
        columns.push(Column::text("sweep", "Sweep"));
    }
    columns.extend([
        Column::number("epochs", "Epochs").titled("Epochs run (of those planned)"),
        Column::number("wall_seconds", "Wall time").titled("wall_seconds from summary.json"),
    ]);

    let mut out = String::from(
        "<table id=\"runs-table\" class=\"sortable index\">\n\
         <caption><span>Every run, by experiment and run id. Run ids link to the run's curves, config and summary.</span></caption>\n",
    );
    out.push_str(&table::head(&columns));
    out.push_str("<tbody>\n");
    for (index, (experiment, name, run)) in runs.iter().enumerate() {
        let h = Hyperparameters::of(run);
        let summary = &run.summary;
        let label = format!("{experiment} {name}");
        let mut row = format!(
            "<tr data-experiment=\"{}\" data-run=\"{}\">",
            escape(experiment),
            escape(&format!("{experiment}/{name}"))
        );
        row.push_str(&format!(
            "<td class=\"pick\"><input type=\"checkbox\" class=\"pick\" id=\"pick-{index}\" value=\"{index}\">\
             <label for=\"pick-{index}\" class=\"visually-hidden\">Compare {}</label></td>",
            escape(&label)
        ));
        row.push_str(&format!(
            "<th scope=\"row\"><a href=\"#{}\">{}</a></th>",
            ids::run(experiment, name),
            escape(name)
        ));
        row.push_str(&labelled(
            &table::cell(&escape(experiment), None, false),
            "Experiment",
        ));
        let last = |column: &str| summary.final_metrics.get(column).copied();
        row.push_str(&labelled(
            &table::number_cell(last("validation_loss"), text::number),
            "Val. loss",
        ));
        let headline = verdict::headline(summary);
        let judged = |column: &str| headline.metrics.get(column).copied();
        if accuracy {
            row.push_str(&labelled(
                &table::number_cell(judged("validation_accuracy"), text::number),
                "Val. accuracy",
            ));
        }
        if rmse {
            row.push_str(&labelled(
                &table::number_cell(judged("validation_rmse"), text::number),
                "Val. RMSE",
            ));
        }
        if any_baseline && (accuracy || rmse) {
            row.push_str(&labelled(&baseline_cell(summary), "Baseline"));
        }
        let best = summary
            .best
            .as_ref()
            .and_then(|b| Some((b.metrics.get("validation_loss").copied()?, b.epoch)));
        row.push_str(&labelled(
            &match best {
                Some((loss, epoch)) => {
                    table::number_cell(Some(loss), |x| format!("{} ({epoch})", text::number(x)))
                }
                None => table::number_cell(None, text::number),
            },
            "Best val. loss",
        ));
        row.push_str(&labelled(
            &table::cell(&status_badge(summary.status), None, false),
            "Status",
        ));
        let codes: Vec<&str> = summary.findings.iter().map(|f| f.code.as_str()).collect();
        row.push_str(
            &labelled(
                &table::cell(
                    &verdict::finding_badges(summary),
                    Some(&codes.join(" ")),
                    false,
                ),
                "Findings",
            )
            .replacen("<td", "<td class=\"findings\"", 1),
        );
        row.push_str(&labelled(&hyper_number(&h.learning_rate), "Learning rate"));
        let parameters = summary.parameters.to_string();
        row.push_str(&labelled(
            &table::cell(
                &format!(
                    "<span title=\"{} · {} parameters\">{}</span>",
                    escape(&h.activations),
                    summary.parameters,
                    escape(&h.layers)
                ),
                Some(&parameters),
                true,
            ),
            "Layers",
        ));
        row.push_str(&labelled(
            &table::cell(&escape(&h.optimizer), None, false),
            "Optimizer",
        ));
        row.push_str(&labelled(&hyper_number(&h.batch_size), "Batch"));
        row.push_str(&labelled(&hyper_number(&h.seed), "Seed"));
        if any_sweeps {
            let sweeps = memberships
                .get(&(experiment.to_string(), name.to_string()))
                .cloned()
                .unwrap_or_default();
            let names: Vec<&str> = sweeps
                .iter()
                .map(|(_, sweep)| sweep.strip_prefix("sweep-").unwrap_or(sweep))
                .collect();
            let links: Vec<String> = sweeps
                .iter()
                .zip(&names)
                .map(|((owner, sweep), short)| {
                    format!(
                        "<a class=\"mono\" href=\"#{}\">{}</a>",
                        ids::sweep(owner, sweep),
                        escape(short)
                    )
                })
                .collect();
            row.push_str(&labelled(
                &table::cell(&links.join(" "), Some(&names.join(" ")), false),
                "Sweep",
            ));
        }
        let epochs = if summary.epochs_run == summary.epochs_planned {
            summary.epochs_run.to_string()
        } else {
            format!("{} of {}", summary.epochs_run, summary.epochs_planned)
        };
        row.push_str(&labelled(
            &table::cell(
                &escape(&epochs),
                Some(&summary.epochs_run.to_string()),
                true,
            ),
            "Epochs",
        ));
        row.push_str(&labelled(
            &table::number_cell(Some(summary.wall_seconds), text::seconds),
            "Wall time",
        ));
        row.push_str("</tr>\n");
        out.push_str(&row);
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// The baseline's score of the task's metric on the validation split.
fn baseline_cell(summary: &RunSummary) -> String {
    let column = if summary.baseline.as_ref().is_some_and(|b| b.class.is_some()) {
        "validation_accuracy"
    } else {
        "validation_rmse"
    };
    match (
        verdict::baseline_value(summary, column),
        verdict::baseline_rule(summary),
    ) {
        (Some(value), Some(rule)) => table::number_cell(Some(value), |x| {
            // The rule's words for a regression are `mean <value>`: the
            // cell shows the RMSE, so only `mean`.
            let words = if column == "validation_rmse" {
                "mean"
            } else {
                &rule
            };
            format!("{words} {}", text::number(x))
        }),
        _ => table::number_cell(None, text::number),
    }
}

/// A status as a coloured badge; the word itself carries the meaning.
pub fn status_badge(status: Status) -> String {
    let kind = match status.is_training_end() {
        true => status.as_str(),
        false => "other",
    };
    format!(
        "<span class=\"badge {kind}\">{}</span>",
        escape(&status.as_str().replace('_', " "))
    )
}

/// A hyperparameter that is a number sorts as one; anything else as text.
fn hyper_number(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => table::cell(&escape(text), Some(&format_number(x)), true),
        _ if text.is_empty() => table::number_cell(None, text::number),
        _ => table::cell(&escape(text), Some(""), true),
    }
}

/// (experiment, run directory) → the sweeps whose summary.csv lists it, as
/// (experiment, sweep directory).
pub fn sweep_memberships(
    collection: &Collection,
) -> BTreeMap<(String, String), Vec<(String, String)>> {
    let mut out: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for (experiment, entry) in &collection.experiments {
        for (name, sweep) in &entry.sweeps {
            let id = (experiment.clone(), name.clone());
            for member in sweep.members.iter().flatten() {
                let sweeps = out.entry(member.clone()).or_default();
                if !sweeps.contains(&id) {
                    sweeps.push(id.clone());
                }
            }
        }
    }
    out
}
