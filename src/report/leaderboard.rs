//! An experiment's leaderboard, the first thing its section shows: every
//! sweep point and every run outside a sweep, best first by the headline
//! validation loss (the loss of the weights model.json holds), with the
//! task's metric, the baseline beside it and the findings.
//!
//! A sweep point stands for its seeds (mean ± standard deviation from
//! points.csv), so a sweep of 27 runs is 9 rows, not 27 that differ only by
//! chance; its runs are one click away in the sweep's section.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::collect::{Experiment, Sweep};
use super::html::escape;
use super::ids;
use super::index::status_badge;
use super::table::{self, Column};
use super::verdict;
use crate::results::read::RunFiles;
use crate::results::summary::RunSummary;
use crate::text;

/// The column the leaderboard ranks by, as points.csv and summary.json name it.
const RANK_METRIC: &str = "validation_loss";

/// One row: a run, or a sweep point over its seeds.
struct Entry {
    /// Already-escaped markup naming the entry, with its link.
    name: String,
    /// The sort key: the headline validation loss, or its mean over seeds.
    loss: Option<f64>,
    loss_text: Option<String>,
    /// `accuracy 0.855` or `rmse 0.13`, mean over seeds for a point.
    metric: Option<(f64, String)>,
    baseline: Option<String>,
    /// Already-escaped badges.
    findings: String,
    status: String,
}

pub fn leaderboard(experiment: &str, entry: &Experiment) -> String {
    let mut entries = Vec::new();
    let mut in_sweeps = BTreeSet::new();
    for (name, sweep) in &entry.sweeps {
        for (owner, run) in sweep.members.iter().flatten() {
            if owner == experiment {
                in_sweeps.insert(run.clone());
            }
        }
        entries.extend(sweep_points(experiment, name, sweep, entry));
    }
    for (name, run) in &entry.runs {
        if !in_sweeps.contains(name) {
            entries.push(run_entry(experiment, name, run));
        }
    }
    if entries.is_empty() {
        return String::new();
    }
    // Best first; an entry without the metric (no validation split, a
    // diverged run) last, then in the order found (stable sort).
    entries.sort_by(|a, b| match (a.loss, b.loss) {
        (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    let metric_heading = entries
        .iter()
        .find_map(|e| e.metric.as_ref())
        .map_or("Val. metric".to_string(), |(_, name)| {
            format!("Val. {name}")
        });

    let id = ids::experiment(experiment);
    let columns = [
        Column::number("rank", "#"),
        Column::text("entry", "Run or sweep point"),
        Column::number("headline_validation_loss", "Val. loss").titled(
            "Headline validation loss: the loss per example of the weights model.json holds (the restored epoch where early stopping restored, else the last); mean ± standard deviation over a sweep point's seeds",
        ),
        Column::number("headline_validation_metric", &metric_heading)
            .titled("The task's metric on the validation split, of the same weights"),
        Column::text("baseline", "Baseline").titled(
            "What a constant prediction from the training split scores on the validation split",
        ),
        Column::text("status", "Status"),
        Column::text("findings", "Findings").titled(
            "What summary.json says a person should know about the result; hover a badge for its sentence",
        ),
    ];
    let mut out = format!(
        "<div class=\"scroll leaderboard\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}.leaderboard\">\n\
         <table class=\"sortable leaderboard cards\">\n\
         <caption id=\"{id}.leaderboard\"><span>Leaderboard of {}: best first by the headline validation loss (of the weights model.json holds); a sweep point is the mean ± standard deviation over its seeds.</span></caption>\n",
        escape(experiment)
    );
    out.push_str(&table::head(&columns));
    out.push_str("<tbody>\n");
    for (rank, e) in entries.iter().enumerate() {
        out.push_str("<tr>");
        out.push_str(&labelled(
            &table::cell(&(rank + 1).to_string(), None, true),
            "#",
        ));
        out.push_str(&format!("<th scope=\"row\">{}</th>", e.name));
        let loss = match (e.loss, &e.loss_text) {
            (Some(x), Some(shown)) => table::number_cell(Some(x), |_| shown.clone()),
            _ => table::number_cell(None, text::number),
        };
        out.push_str(&labelled(&loss, "Val. loss"));
        let metric = match &e.metric {
            Some((x, _)) => table::number_cell(Some(*x), text::number),
            None => table::number_cell(None, text::number),
        };
        out.push_str(&labelled(&metric, &metric_heading));
        out.push_str(&labelled(
            &table::cell(
                &e.baseline
                    .as_deref()
                    .map_or("<span class=\"none\">—</span>".to_string(), escape),
                None,
                false,
            ),
            "Baseline",
        ));
        out.push_str(&labelled(&table::cell(&e.status, None, false), "Status"));
        out.push_str(&labelled(
            &table::cell(&e.findings, None, false).replacen("<td", "<td class=\"findings\"", 1),
            "Findings",
        ));
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}

/// A cell with the words a phone shows beside its value once the table's
/// rows have become cards (`td::before { content: attr(data-label) }`).
pub fn labelled(cell: &str, label: &str) -> String {
    cell.replacen("<td", &format!("<td data-label=\"{}\"", escape(label)), 1)
}

/// `always "no" 0.7` or `mean 0.7247`: the baseline's score on the
/// validation split of the task's metric `m` (`accuracy`, `rmse`).
fn baseline_words(summary: &RunSummary, m: &str) -> Option<String> {
    let value = verdict::baseline_value(summary, &format!("validation_{m}"))?;
    let words = if m == "rmse" {
        "mean".to_string()
    } else {
        verdict::baseline_rule(summary)?
    };
    Some(format!("{words} {}", text::number(value)))
}

fn run_entry(experiment: &str, name: &str, run: &RunFiles) -> Entry {
    let summary = &run.summary;
    let headline = verdict::headline(summary);
    let loss = headline.metrics.get(RANK_METRIC).copied();
    let metric = ["accuracy", "rmse"].iter().find_map(|m| {
        let x = headline.metrics.get(&format!("validation_{m}"))?;
        Some((*x, m.to_string()))
    });
    let baseline = metric
        .as_ref()
        .and_then(|(_, m)| baseline_words(summary, m));
    Entry {
        name: format!(
            "<a class=\"mono\" href=\"#{}\">{}</a> <span class=\"count\">{}</span>",
            ids::run(experiment, name),
            escape(name),
            escape(&headline.label)
        ),
        loss,
        loss_text: loss.map(text::number),
        metric,
        baseline,
        findings: verdict::finding_badges(summary),
        status: status_badge(summary.status),
    }
}

/// Each point of a sweep's points.csv, with the findings of its runs.
fn sweep_points(experiment: &str, name: &str, sweep: &Sweep, entry: &Experiment) -> Vec<Entry> {
    let Some(points) = &sweep.points else {
        return Vec::new();
    };
    let stat = |row: &super::points_csv::PointRow, metric: &str| {
        let i = points.metrics.iter().position(|m| m == metric)?;
        let (mean, std) = row.stats.get(i).copied()?;
        Some((mean?, std))
    };
    let short = name.strip_prefix("sweep-").unwrap_or(name);
    points
        .rows
        .iter()
        .map(|row| {
            let succeeded: usize = row.succeeded.parse().unwrap_or(0);
            let loss = stat(row, &format!("headline_{RANK_METRIC}"))
                .or_else(|| stat(row, &format!("final_{RANK_METRIC}")));
            let metric = ["accuracy", "rmse"].iter().find_map(|m| {
                let (mean, _) = stat(row, &format!("headline_validation_{m}"))
                    .or_else(|| stat(row, &format!("final_validation_{m}")))?;
                Some((mean, m.to_string()))
            });
            let values: Vec<String> = points
                .keys
                .iter()
                .zip(&row.values)
                .map(|(key, value)| format!("{} {}", key.rsplit('.').next().unwrap_or(key), value))
                .collect();
            // The point's runs: summary.csv rows whose swept values, seed
            // aside, are the point's.
            let runs: Vec<&RunFiles> =
                sweep
                    .files
                    .rows
                    .iter()
                    .zip(&sweep.members)
                    .filter(|(run, _)| {
                        points.keys.iter().zip(&row.values).all(|(key, value)| {
                            run.params.iter().any(|(k, v)| k == key && v == value)
                        })
                    })
                    .filter_map(|(_, member)| {
                        let (owner, run) = member.as_ref()?;
                        (owner == experiment).then(|| entry.runs.get(run))?
                    })
                    .collect();
            let mut seen = BTreeSet::new();
            let findings: Vec<String> = runs
                .iter()
                .flat_map(|run| &run.summary.findings)
                .filter(|f| seen.insert(f.code.clone()))
                .map(verdict::finding_badge)
                .collect();
            // A sweep's runs share their data, so any run's baseline is the point's.
            let baseline = metric
                .as_ref()
                .and_then(|(_, m)| baseline_words(&runs.first()?.summary, m));
            Entry {
                name: format!(
                    "<a href=\"#{}\">sweep {} point {}</a> <span class=\"count\">{}</span>",
                    ids::sweep(experiment, name),
                    escape(short),
                    escape(&row.point),
                    escape(&values.join(" · "))
                ),
                loss: loss.map(|(mean, _)| mean),
                loss_text: loss.map(|(mean, std)| text::mean_std(mean, std, succeeded)),
                metric,
                baseline,
                findings: findings.join(" "),
                status: format!(
                    "<span class=\"count\">{} of {} runs</span>",
                    escape(&row.succeeded),
                    escape(&row.runs)
                ),
            }
        })
        .collect()
}
