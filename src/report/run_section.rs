//! One run in detail: its verdict (headline, baseline, findings), its cost
//! curves, its summary, a classifier's confusion matrix and ROC curve, and
//! its resolved config, folded into a `<details>` so that a page of many
//! runs stays navigable.

use super::classification::classification;
use super::figures::run_figure;
use super::html::escape;
use super::hyperparameters::Hyperparameters;
use super::ids;
use super::index::status_badge;
use super::network_image::network_image;
use super::plot_markup::inline_curves;
use super::verdict::{self, Headline};
use crate::results::config_toml;
use crate::results::metrics_csv::format_number;
use crate::results::read::RunFiles;
use crate::text;

/// `shared_description` is the experiment's, shown above its runs; a run
/// repeats its own only where it differs. `roc_svg` is the run's roc.svg.
/// `pictures`: embed the function and network figures (a sweep's runs
/// only name them).
pub fn run_details(
    experiment: &str,
    name: &str,
    run: &RunFiles,
    shared_description: Option<&str>,
    roc_svg: Option<&str>,
    pictures: bool,
) -> String {
    let summary = &run.summary;
    let h = Hyperparameters::of(run);
    let label = format!("{experiment} {name}");
    let headline = verdict::headline(summary);

    // The headline's numbers: those of the weights model.json holds.
    let mut glance = vec![format!(
        "{} of {} epochs",
        summary.epochs_run, summary.epochs_planned
    )];
    if headline.restored {
        glance.push(headline.label.clone());
    }
    if let Some(loss) = headline.metrics.get("validation_loss") {
        glance.push(format!("val. loss {}", text::number(*loss)));
    } else if let Some(loss) = headline.metrics.get("train_loss") {
        glance.push(format!("train loss {}", text::number(*loss)));
    }
    if let Some(metric) = verdict::metric_with_baseline(summary, &headline) {
        glance.push(metric);
    }
    if !h.learning_rate.is_empty() {
        glance.push(format!("lr {}", h.learning_rate));
    }
    if !h.layers.is_empty() {
        glance.push(format!("layers {}", h.layers));
    }

    let badges = verdict::finding_badges(summary);
    let mut out = format!(
        "<details class=\"run\" id=\"{}\">\n<summary><span class=\"run-name\">{}</span> {}{} <span class=\"glance\">{}</span></summary>\n<div class=\"details-body\">\n",
        ids::run(experiment, name),
        escape(name),
        status_badge(summary.status),
        if badges.is_empty() {
            String::new()
        } else {
            format!(" {badges}")
        },
        escape(&glance.join(" · "))
    );
    out.push_str(&verdict::findings_list(summary));
    if !h.description.is_empty() && shared_description != Some(h.description.as_str()) {
        out.push_str(&format!(
            "<p class=\"description\">{}</p>\n",
            escape(&h.description)
        ));
    }
    out.push_str(&inline_curves(
        &run_figure(run),
        &format!("Cost per epoch and mean loss per example of {label}"),
        "The training cost per epoch (left) and the mean loss per example of training and validation (right), from metrics.csv.",
    ));
    if pictures {
        out.push_str(&super::function_image::function_image(&run.dir, &label));
        out.push_str(&network_image(run, &label));
    } else {
        out.push_str(
            "<p class=\"note\">What this run learned is drawn in its directory (function.png, network.png); a sweep's runs do not embed them, to keep the page small.</p>\n",
        );
    }
    out.push_str("<div class=\"columns\">\n<div>\n");
    out.push_str(&metrics_table(run, &headline, &label));
    out.push_str(&classification(summary, &label, roc_svg));
    out.push_str(&facts(experiment, name, run));
    out.push_str("</div>\n<div>\n");
    out.push_str(&config_table(run, &label));
    out.push_str("</div>\n</div>\n</div>\n</details>\n");
    out
}

/// The headline (the weights model.json holds), the last epoch where
/// early stopping restored an earlier one, the best epoch and the baseline
/// side by side, one metric per row.
fn metrics_table(run: &RunFiles, headline: &Headline, label: &str) -> String {
    let summary = &run.summary;
    let best = summary.best.as_ref();
    // The last epoch is the headline unless early stopping restored another.
    let last = headline.restored.then_some(&summary.final_metrics);
    let mut names: Vec<&String> = headline.metrics.keys().collect();
    for more in [last, best.map(|b| &b.metrics)].into_iter().flatten() {
        for name in more.keys() {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    // The loop's order: cost and losses, then task metrics, then the rate.
    names.sort_by_key(|name| (metric_rank(name), (*name).clone()));
    let rule = verdict::baseline_rule(summary);

    let mut out = format!(
        "<div class=\"scroll\"><table class=\"metrics\">\n<caption>Metrics of {} (summary.json)</caption>\n<thead><tr><th scope=\"col\">metric</th><th scope=\"col\" class=\"num\">headline ({})</th>",
        escape(label),
        escape(&headline.label)
    );
    if last.is_some() {
        out.push_str(&format!(
            "<th scope=\"col\" class=\"num\">final (epoch {})</th>",
            summary.epochs_run
        ));
    }
    if let Some(best) = best {
        out.push_str(&format!(
            "<th scope=\"col\" class=\"num\">best (epoch {})</th>",
            best.epoch
        ));
    }
    if let Some(rule) = &rule {
        out.push_str(&format!(
            "<th scope=\"col\" class=\"num baseline\">baseline ({})</th>",
            escape(rule)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for name in names {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>{}",
            escape(&text::words(name)),
            value_cell(headline.metrics.get(name).copied())
        ));
        if let Some(last) = last {
            out.push_str(&value_cell(last.get(name).copied()));
        }
        if let Some(best) = best {
            out.push_str(&value_cell(best.metrics.get(name).copied()));
        }
        if rule.is_some() {
            out.push_str(&value_cell(verdict::baseline_value(summary, name)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

fn metric_rank(name: &str) -> u8 {
    match name {
        "train_cost" => 0,
        "train_loss" => 1,
        n if n.starts_with("train_") => 2,
        "validation_loss" => 3,
        n if n.starts_with("validation_") => 4,
        _ => 5,
    }
}

fn value_cell(value: Option<f64>) -> String {
    match value {
        Some(x) => format!(
            "<td class=\"num\" title=\"{}\">{}</td>",
            escape(&format_number(x)),
            escape(&text::number(x))
        ),
        None => "<td class=\"num\"><span class=\"none\">—</span></td>".to_string(),
    }
}

/// How the run ended and what identifies it.
fn facts(experiment: &str, name: &str, run: &RunFiles) -> String {
    let summary = &run.summary;
    let mut facts: Vec<(&str, String)> =
        vec![("status", summary.status.as_str().replace('_', " "))];
    if let Some(epoch) = summary.restored_epoch {
        facts.push((
            "restored",
            format!("epoch {epoch} of {}", summary.epochs_run),
        ));
    }
    if let Some(divergence) = &summary.divergence {
        facts.push((
            "diverged",
            format!(
                "epoch {}, batch {}: {}",
                divergence.epoch, divergence.batch, divergence.quantity
            ),
        ));
    }
    let examples = &summary.examples;
    facts.extend([
        ("task", summary.task.clone()),
        (
            "examples",
            format!(
                "{} train, {} validation, {} test",
                examples.train, examples.validation, examples.test
            ),
        ),
        ("parameters", summary.parameters.to_string()),
        ("seed", summary.seed.to_string()),
        ("training time", text::seconds(summary.train_seconds)),
        ("wall time", text::seconds(summary.wall_seconds)),
        ("directory", format!("{experiment}/{name}")),
        ("run id", summary.run_id.clone()),
        ("config hash", short_hash(&summary.config_hash)),
        ("data hash", short_hash(&summary.data_hash)),
        ("synapse", summary.tool_version.clone()),
    ]);
    let mut out = String::from("<dl class=\"facts\">\n");
    for (term, value) in facts {
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>\n",
            escape(term),
            escape(&value)
        ));
    }
    out.push_str("</dl>\n");
    out
}

/// Sixteen hex digits identify a hash for the eye; the file has all of it.
fn short_hash(hash: &str) -> String {
    match hash.char_indices().nth(16) {
        Some((at, _)) => format!("{}…", &hash[..at]),
        None => hash.to_string(),
    }
}

/// config.toml flattened to one key per row, as `compare` lists differences.
fn config_table(run: &RunFiles, label: &str) -> String {
    let mut out = format!(
        "<div class=\"scroll\"><table class=\"config\">\n<caption>Resolved config of {} (config.toml)</caption>\n<thead><tr><th scope=\"col\">key</th><th scope=\"col\">value</th></tr></thead>\n<tbody>\n",
        escape(label)
    );
    // Values as TOML text, exactly as they would be written in the file.
    for (key, value) in config_toml::flatten(&run.config) {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td><code>{}</code></td></tr>\n",
            escape(&key),
            escape(&value)
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}
