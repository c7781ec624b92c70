//! The whole page: one HTML document with its style, its data and its
//! script inline, so that it opens anywhere, offline, as a single file.
//!
//! The same results always give the same bytes: everything is visited in
//! sorted order, and nothing depends on the clock or on where the results
//! directory is.

use std::collections::BTreeMap;

use super::collect::{Collection, Experiment};
use super::data::comparison_data;
use super::html::{escape, script_json};
use super::hyperparameters::Hyperparameters;
use super::ids;
use super::index::{runs_table, sweep_memberships};
use super::leaderboard::leaderboard;
use super::run_section::run_details;
use super::sweep_section::sweep_section;
use crate::text::plural;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

pub fn render(collection: &Collection) -> String {
    let runs = collection.run_count();
    let sweeps = collection.sweep_count();
    let experiments = collection.experiments.len();
    let counts = format!(
        "{} · {} · {}",
        plural(experiments, "experiment", "experiments"),
        plural(runs, "run", "runs"),
        plural(sweeps, "sweep", "sweeps")
    );

    let mut out = String::with_capacity(256 * 1024);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\" class=\"no-js\">\n<head>\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"synapse {version}\">\n\
         <title>synapse report: {counts}</title>\n\
         <style>\n{STYLE}</style>\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#index\">Skip to the runs</a>\n",
        version = env!("CARGO_PKG_VERSION"),
        counts = escape(&counts),
    ));

    out.push_str("<header class=\"top\">\n<h1>synapse report</h1>\n");
    out.push_str(&format!(
        "<p class=\"subtitle\">{}{}. Read from the result files alone; this page needs no network and no other file.</p>\n",
        escape(&counts),
        if collection.skipped.is_empty() {
            String::new()
        } else {
            format!(
                " · <a href=\"#skipped\">{} skipped</a>",
                plural(collection.skipped.len(), "directory", "directories")
            )
        }
    ));
    out.push_str(&contents(collection));
    out.push_str("</header>\n<main>\n");

    // The comparison sits beside the runs it compares on a wide screen.
    out.push_str("<div class=\"workbench\">\n");
    out.push_str(&index_section(collection));
    out.push_str(COMPARE_SECTION);
    out.push_str("</div>\n");
    let members = sweep_memberships(collection);
    for (experiment, entry) in &collection.experiments {
        out.push_str(&experiment_section(collection, &members, experiment, entry));
    }
    out.push_str(&skipped_section(collection));
    out.push_str("</main>\n");
    out.push_str(&format!(
        "<footer>Written by <code>synapse report</code> (synapse {}). Regenerating it from the same results gives the same file.</footer>\n",
        env!("CARGO_PKG_VERSION")
    ));

    out.push_str("<script type=\"application/json\" id=\"report-data\">");
    out.push_str(&script_json(&comparison_data(collection)));
    out.push_str("</script>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

/// The table of contents: each experiment with its sweeps.
fn contents(collection: &Collection) -> String {
    if collection.experiments.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<nav aria-label=\"Contents\">\n<ul class=\"contents\">\n\
         <li><a href=\"#index\">All runs</a></li>\n<li class=\"needs-js\"><a href=\"#compare\">Compare</a></li>\n",
    );
    for (experiment, entry) in &collection.experiments {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a> <span class=\"count\">{}",
            ids::experiment(experiment),
            escape(experiment),
            plural(entry.runs.len(), "run", "runs")
        ));
        if !entry.sweeps.is_empty() {
            let links: Vec<String> = entry
                .sweeps
                .keys()
                .map(|sweep| {
                    format!(
                        "<a href=\"#{}\">{}</a>",
                        ids::sweep(experiment, sweep),
                        escape(sweep)
                    )
                })
                .collect();
            out.push_str(&format!(", {}", links.join(", ")));
        }
        out.push_str("</span></li>\n");
    }
    out.push_str("</ul>\n</nav>\n");
    out
}

fn index_section(collection: &Collection) -> String {
    let mut out = String::from(
        "<section id=\"index\" aria-labelledby=\"index-title\">\n<h2 id=\"index-title\">All runs</h2>\n",
    );
    if collection.run_count() == 0 {
        out.push_str("<p>No runs yet: <code>synapse run</code> and <code>synapse sweep</code> write them.</p>\n</section>\n");
        return out;
    }
    out.push_str("<div class=\"controls needs-js\">\n<label for=\"filter-experiment\">Experiment</label>\n<select id=\"filter-experiment\">\n<option value=\"\">All experiments</option>\n");
    for experiment in collection.experiments.keys() {
        out.push_str(&format!(
            "<option value=\"{0}\">{0}</option>\n",
            escape(experiment)
        ));
    }
    out.push_str(&format!(
        "</select>\n<span id=\"runs-shown\" class=\"count\" aria-live=\"polite\">{}</span>\n\
         <span class=\"hint\">Select a column heading to sort; tick runs to compare them.</span>\n</div>\n\
         <noscript><p class=\"note\">Sorting, filtering and comparing need JavaScript; the tables and plots are all here without it.</p></noscript>\n",
        plural(collection.run_count(), "run", "runs") + " shown"
    ));
    out.push_str(
        "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"index-title\">\n",
    );
    out.push_str(&runs_table(collection));
    out.push_str("</div>\n</section>\n");
    out
}

/// Drawn by the script from the embedded data; without it, only a note.
const COMPARE_SECTION: &str = "<section id=\"compare\" class=\"needs-js\" aria-labelledby=\"compare-title\">
<h2 id=\"compare-title\">Compare</h2>
<p id=\"compare-empty\">Tick two or more runs in the table above to overlay their curves and list the config keys that differ.</p>
<div id=\"compare-view\" hidden>
<div class=\"controls\">
<label for=\"compare-metric\">Curve</label>
<select id=\"compare-metric\"></select>
<button type=\"button\" id=\"compare-clear\" class=\"action\">Clear the selection</button>
</div>
<figure>
<svg id=\"compare-plot\" class=\"plot\" viewBox=\"0 0 800 400\" role=\"img\" aria-label=\"The selected runs' curves\"></svg>
<figcaption id=\"compare-caption\"></figcaption>
</figure>
<ol id=\"compare-legend\" class=\"legend\"></ol>
<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"compare-diff-caption\">
<table id=\"compare-diff\" class=\"config\"><caption id=\"compare-diff-caption\">Config keys that differ</caption><thead></thead><tbody></tbody></table>
</div>
</div>
</section>
";

/// `members`: which sweeps each run belongs to (`sweep_memberships`).
fn experiment_section(
    collection: &Collection,
    members: &BTreeMap<(String, String), Vec<(String, String)>>,
    experiment: &str,
    entry: &Experiment,
) -> String {
    let id = ids::experiment(experiment);
    let mut out = format!(
        "<section class=\"experiment\" id=\"{id}\" aria-labelledby=\"{id}.title\">\n<h2 id=\"{id}.title\">{}</h2>\n",
        escape(experiment)
    );
    // Runs of one experiment share its description unless overridden; the
    // first run's stands for the experiment, and each run shows its own.
    let description = entry
        .runs
        .values()
        .map(|run| Hyperparameters::of(run).description)
        .find(|d| !d.is_empty());
    if let Some(description) = &description {
        out.push_str(&format!(
            "<p class=\"description\">{}</p>\n",
            escape(description)
        ));
    }
    out.push_str(&leaderboard(experiment, entry));
    for (name, sweep) in &entry.sweeps {
        out.push_str(&sweep_section(collection, experiment, name, sweep));
    }
    if !entry.runs.is_empty() {
        out.push_str(&format!(
            "<h3 id=\"{id}.runs\">Runs <span class=\"subtitle\">{}; open one for its curves, summary and config</span></h3>\n",
            plural(entry.runs.len(), "run", "runs")
        ));
        // A sweep's runs are many and alike: their pictures of what was
        // learned stay in their directories, so that the page stays small.
        for (name, run) in &entry.runs {
            let in_sweep = members.contains_key(&(experiment.to_string(), name.clone()));
            out.push_str(&run_details(
                experiment,
                name,
                run,
                description.as_deref(),
                entry.roc.get(name).map(String::as_str),
                !in_sweep,
            ));
        }
    }
    out.push_str("</section>\n");
    out
}

fn skipped_section(collection: &Collection) -> String {
    if collection.skipped.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<section id=\"skipped\" aria-labelledby=\"skipped-title\">\n<h2 id=\"skipped-title\">Skipped</h2>\n\
         <p>These could not be read and are left out of the page above.</p>\n<ul class=\"skipped\">\n",
    );
    for skipped in &collection.skipped {
        out.push_str(&format!(
            "<li><code>{}</code>: {}</li>\n",
            escape(&skipped.path),
            escape(&skipped.reason)
        ));
    }
    out.push_str("</ul>\n</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;
    use crate::report::collect::collect;

    const SUMMARY: &str = r#"{
  "experiment": "heart",
  "run_id": "RUN",
  "status": "completed",
  "task": "binary",
  "epochs_planned": 2,
  "epochs_run": 2,
  "final": { "train_cost": 9.0, "train_loss": 0.45, "validation_loss": 0.5 },
  "best": { "epoch": 2, "metrics": { "train_cost": 9.0, "train_loss": 0.45, "validation_loss": 0.5 } },
  "test": {},
  "restored_epoch": null,
  "divergence": null,
  "examples": { "train": 20, "validation": 5, "test": 0 },
  "parameters": 9,
  "seed": 1,
  "config_hash": "x",
  "data_hash": "y",
  "tool_version": "0.1.0",
  "train_seconds": 0.1,
  "wall_seconds": 0.2
}
"#;

    fn write_run(results: &Path, id: &str, description: &str, rate: f64) {
        let dir = results.join("heart").join(id);
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(dir.join("summary.json"), SUMMARY.replace("RUN", id)).expect("write");
        fs::write(
            dir.join("metrics.csv"),
            "epoch,train_cost,train_loss,validation_loss\n1,10.0,0.5,0.6\n2,9.0,0.45,0.5\n",
        )
        .expect("write");
        let config = format!(
            "[experiment]\nname = \"heart\"\ndescription = {}\n[training]\nlearning_rate = {rate:?}\n",
            toml::Value::String(description.to_string())
        );
        fs::write(dir.join("config.toml"), config).expect("write");
    }

    #[test]
    fn the_same_results_render_the_same_page_with_markup_from_configs_as_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_run(dir.path(), "bbb", "<script>alert(1)</script>", 0.5);
        write_run(dir.path(), "aaa", "plain", 0.1);
        let page = render(&collect(dir.path()).expect("collects"));
        assert_eq!(page, render(&collect(dir.path()).expect("collects")));

        assert!(!page.contains("<script>alert"), "unescaped description");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let aaa = page.find("data-run=\"heart/aaa\"").expect("run aaa listed");
        let bbb = page.find("data-run=\"heart/bbb\"").expect("run bbb listed");
        assert!(aaa < bbb, "runs in id order");
        assert!(page.contains("<th scope=\"col\" data-key=\"final_validation_loss\""));
        assert!(page.contains("<meta name=\"viewport\""));
        assert!(!page.contains(&dir.path().display().to_string()));

        let data = page
            .split("<script type=\"application/json\" id=\"report-data\">")
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .expect("embedded data");
        let data: serde_json::Value = serde_json::from_str(data).expect("JSON");
        assert_eq!(data["runs"][0]["key"], "heart/aaa");
        assert_eq!(
            data["runs"][1]["series"]["validation_loss"],
            serde_json::json!([0.6, 0.5])
        );
        assert_eq!(data["runs"][1]["config"]["training.learning_rate"], "0.5");
    }

    /// summary::EXAMPLE (a finding, a baseline, a headline and a test
    /// split's confusion matrix) with a training accuracy.
    fn judged_run(results: &Path, roc: Option<&str>) {
        let dir = results.join("heart").join("0123456789ab");
        fs::create_dir_all(&dir).expect("mkdir");
        let summary = crate::results::summary::EXAMPLE.replace(
            "\"train_loss\": 0.5 }",
            "\"train_loss\": 0.5, \"train_accuracy\": 0.85 }",
        );
        fs::write(dir.join("summary.json"), summary).expect("write");
        fs::write(
            dir.join("metrics.csv"),
            "epoch,train_cost,train_loss,train_accuracy\n1,10.0,0.5,0.85\n",
        )
        .expect("write");
        fs::write(
            dir.join("config.toml"),
            "[experiment]\nname = \"heart\"\n[training]\nlearning_rate = 0.1\n",
        )
        .expect("write");
        if let Some(svg) = roc {
            fs::write(dir.join("roc.svg"), svg).expect("write");
        }
    }

    #[test]
    fn a_judged_run_shows_its_findings_baseline_headline_and_confusion_matrix() {
        let dir = tempfile::tempdir().expect("temp dir");
        judged_run(
            dir.path(),
            Some("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n"),
        );
        let collection = collect(dir.path()).expect("collects");
        assert!(collection.skipped.is_empty(), "{:?}", collection.skipped);
        let page = render(&collection);

        // The finding: a badge in the run's summary line with its sentence
        // as tooltip, in the index, and written out in the details.
        let badge = "<span class=\"badge finding\" title=\"training accuracy 0.7 is no better than always &quot;no&quot; 0.7\">no_better_than_baseline</span>";
        assert_eq!(
            page.matches(badge).count(),
            3,
            "index, leaderboard and details"
        );
        assert!(page.contains(
            "<li><span class=\"badge finding\">no_better_than_baseline</span> training accuracy 0.7 is no better than always &quot;no&quot; 0.7</li>"
        ));
        // The baseline beside the metric, at a glance and per row.
        assert!(page.contains("accuracy 0.85 (always &quot;no&quot; 0.7)"));
        assert!(page.contains("<th scope=\"col\" class=\"num\">headline (epoch 1)</th>"));
        assert!(page.contains(
            "<th scope=\"col\" class=\"num baseline\">baseline (always &quot;no&quot;)</th>"
        ));
        let row = page
            .split("<tr><th scope=\"row\">train accuracy</th>")
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .expect("a train accuracy row");
        assert_eq!(
            row,
            "<td class=\"num\" title=\"0.85\">0.85</td><td class=\"num\" title=\"0.85\">0.85</td><td class=\"num\" title=\"0.7\">0.7</td>"
        );
        // The confusion matrix with the fixture's counts and class names.
        assert!(page.contains("Confusion matrix of heart 0123456789ab, test split"));
        assert!(page.contains(
            "<tr><th scope=\"row\">no</th><td class=\"num hit\">6</td><td class=\"num\">1</td></tr>\n<tr><th scope=\"row\">yes</th><td class=\"num\">2</td><td class=\"num hit\">3</td></tr>"
        ));
        assert!(page.contains("ROC AUC on the test split: <strong>0.8</strong>"));
        assert!(page.contains("<img src=\"data:image/svg+xml,%3Csvg%20"));
    }

    #[test]
    fn a_run_without_verdict_keys_shows_no_badge_baseline_or_confusion_matrix() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_run(dir.path(), "aaa", "plain", 0.1);
        let page = render(&collect(dir.path()).expect("collects"));
        for absent in [
            "badge finding\"",
            "always",
            "Confusion matrix",
            "ROC AUC",
            "<img",
            "baseline (",
        ] {
            assert!(!page.contains(absent), "{absent}");
        }
        assert!(page.contains("headline (epoch 2)"));
    }

    #[test]
    fn an_empty_results_directory_renders_a_page_that_says_so() {
        let dir = tempfile::tempdir().expect("temp dir");
        let page = render(&collect(dir.path()).expect("collects"));
        assert!(page.contains("No runs yet"));
        assert!(page.ends_with("</html>\n"));
    }
}
