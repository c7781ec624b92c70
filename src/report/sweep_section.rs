//! One sweep: the overlay of its points with seed bands, the aggregated
//! table of points.csv, and the runs of summary.csv.

use std::collections::BTreeMap;

use super::collect::{Collection, Sweep};
use super::figures::{sweep_description, sweep_overlay};
use super::html::escape;
use super::ids;
use super::index::status_badge;
use super::plot_markup::inline_curves;
use super::points_csv::PointsTable;
use super::table::{self, Column};
use crate::results::metrics_csv::format_number;
use crate::text;

/// These metrics answer "which point is best" and come first; the others
/// follow in the file's order.
const LEADING_METRICS: [&str; 6] = [
    "final_validation_loss",
    "best_validation_loss",
    "final_validation_accuracy",
    "final_validation_rmse",
    "test_accuracy",
    "test_rmse",
];

pub fn sweep_section(
    collection: &Collection,
    experiment: &str,
    name: &str,
    sweep: &Sweep,
) -> String {
    let id = ids::sweep(experiment, name);
    let short = name.strip_prefix("sweep-").unwrap_or(name);
    let rows = &sweep.files.rows;
    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        *statuses.entry(row.status.as_str()).or_default() += 1;
    }
    let statuses: Vec<String> = statuses
        .iter()
        .map(|(status, n)| format!("{n} {}", status.replace('_', " ")))
        .collect();
    let points = sweep.points.as_ref().map_or(0, |p| p.rows.len());

    let mut out = format!(
        "<section class=\"sweep\" id=\"{id}\" aria-labelledby=\"{id}.title\">\n\
         <h3 id=\"{id}.title\">Sweep {} <span class=\"subtitle\">{}</span></h3>\n\
         <p>{} runs ({}) in {} points; from {}/{}/summary.csv and points.csv.</p>\n",
        escape(short),
        escape(&sweep_description(sweep)),
        rows.len(),
        escape(&statuses.join(", ")),
        points,
        escape(experiment),
        escape(name),
    );
    out.push_str(&inline_curves(
        &sweep_overlay(collection, sweep),
        &format!("Loss per example of every point of sweep {short}, mean and standard deviation over seeds"),
        "Each line is a point's mean over its seeds; the shaded band is one standard deviation either side (validation loss per example, or training loss without a validation split).",
    ));
    out.push_str(&super::sweep_effects::sweep_effects(
        collection, experiment, sweep,
    ));
    match &sweep.points {
        Some(table) => out.push_str(&points_table(table, &id, short)),
        None => out.push_str("<p class=\"note\">points.csv could not be read; see the skipped files at the end of the page.</p>\n"),
    }
    out.push_str(&runs_table(experiment, name, sweep));
    out.push_str("</section>\n");
    out
}

fn points_table(table: &PointsTable, id: &str, short: &str) -> String {
    let mut order: Vec<usize> = (0..table.metrics.len()).collect();
    order.sort_by_key(|&i| {
        let rank = LEADING_METRICS
            .iter()
            .position(|m| *m == table.metrics[i])
            .unwrap_or(LEADING_METRICS.len());
        (rank, i)
    });

    let mut columns = vec![Column::number("point", "Point")];
    for key in &table.keys {
        let last = key.rsplit('.').next().unwrap_or(key);
        columns.push(Column::number(&format!("param_{key}"), last).titled(key));
    }
    columns.push(
        Column::number("runs", "Runs")
            .titled("Runs that completed or stopped early, of the point's runs"),
    );
    for &i in &order {
        let metric = &table.metrics[i];
        columns.push(
            Column::number(metric, &text::words(metric))
                .titled("mean ± sample standard deviation over the point's seeds"),
        );
    }

    let mut out = format!(
        "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}.points\">\n\
         <table class=\"sortable points\">\n\
         <caption id=\"{id}.points\"><span>Points of sweep {}: mean ± standard deviation over seeds (points.csv)</span></caption>\n",
        escape(short)
    );
    out.push_str(&table::head(&columns));
    out.push_str("<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        out.push_str(&text_or_number(&row.point));
        for value in &row.values {
            out.push_str(&text_or_number(value));
        }
        out.push_str(&table::cell(
            &escape(&format!("{} of {}", row.succeeded, row.runs)),
            Some(&row.succeeded),
            true,
        ));
        // The mean of one run has no spread: shown as `n = 1`, not `± 0`.
        let succeeded: usize = row.succeeded.parse().unwrap_or(0);
        for &i in &order {
            let (mean, std) = row.stats.get(i).copied().unwrap_or((None, None));
            out.push_str(&table::number_cell(mean, |m| {
                text::mean_std(m, std, succeeded)
            }));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}

/// The runs of summary.csv, each linked to its details where it was read.
fn runs_table(experiment: &str, name: &str, sweep: &Sweep) -> String {
    let keys: Vec<&str> = sweep
        .files
        .rows
        .first()
        .map(|row| row.params.iter().map(|(k, _)| k.as_str()).collect())
        .unwrap_or_default();
    let mut columns = vec![
        Column::number("position", "#"),
        Column::text("status", "Status"),
    ];
    for key in &keys {
        let last = key.rsplit('.').next().unwrap_or(key);
        columns.push(Column::number(&format!("param_{key}"), last).titled(key));
    }
    columns.push(Column::text("run", "Run"));

    let mut out = format!(
        "<details class=\"sweep-runs\">\n<summary>The {} runs of this sweep (summary.csv)</summary>\n\
         <div class=\"scroll\"><table class=\"sortable\">\n<caption><span>Runs of {}/{}, in the sweep's order</span></caption>\n",
        sweep.files.rows.len(),
        escape(experiment),
        escape(name)
    );
    out.push_str(&table::head(&columns));
    out.push_str("<tbody>\n");
    for (position, (row, member)) in sweep.files.rows.iter().zip(&sweep.members).enumerate() {
        out.push_str("<tr>");
        out.push_str(&table::cell(&(position + 1).to_string(), None, true));
        out.push_str(&table::cell(&status_badge(row.status), None, false));
        for key in &keys {
            let value = row
                .params
                .iter()
                .find(|(k, _)| k == key)
                .map_or("", |(_, v)| v.as_str());
            out.push_str(&text_or_number(value));
        }
        let run = match member {
            Some((owner, run)) => {
                format!("<a href=\"#{}\">{}</a>", ids::run(owner, run), escape(run))
            }
            // A run that never trained (pending, failed, invalid) has no
            // directory: the row is shown, and left out of the plot and points.
            None => match row.run_dir.as_ref().and_then(|d| d.file_name()) {
                Some(dir) => format!(
                    "{} <span class=\"none\">(not in the results)</span>",
                    escape(&dir.to_string_lossy())
                ),
                None => format!(
                    "<span class=\"none\">({}: left out, no run directory)</span>",
                    escape(&row.status.as_str().replace('_', " "))
                ),
            },
        };
        out.push_str(&table::cell(&run, None, false));
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n</details>\n");
    out
}

/// A swept value: numbers sort as numbers, anything else (`"adam"`) as text.
fn text_or_number(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => table::cell(&escape(text), Some(&format_number(x)), true),
        _ => table::cell(&escape(text), None, false),
    }
}
