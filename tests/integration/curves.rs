//! Curves that stay readable: the sweep's small multiples and compare's
//! legend of up to fifty entries, read back from the SVG's texts.

use std::fs;

use crate::common::{Sandbox, run_quiet, sweep_dir, texts};

/// Trains `experiment` with `sets`; its run directory.
fn run(sandbox: &Sandbox, experiment: &str, sets: &[String]) -> String {
    let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
    run_quiet(sandbox, experiment, &sets)
}

#[test]
fn forty_compared_runs_get_forty_distinct_labels_made_of_their_keys() {
    let sandbox = Sandbox::new();
    let rates = ["0.01", "0.02", "0.05", "0.1", "0.2", "0.3", "0.5", "1"];
    let units = ["2", "4", "8", "12", "16"];
    // 39 settings of the grid, and the 40th a second seed of one of them:
    // two configs the same but for the seed.
    let mut settings: Vec<(&str, &str, &str)> = Vec::new();
    for lr in rates {
        for u in units {
            if (lr, u) != ("1", "16") {
                settings.push((lr, u, "42"));
            }
        }
    }
    settings.push(("0.1", "8", "7"));
    let mut dirs = Vec::new();
    for (lr, u, seed) in &settings {
        dirs.push(run(
            &sandbox,
            "experiments/heart.toml",
            &[
                "training.epochs=2".to_string(),
                format!("training.learning_rate={lr}"),
                format!("model.layers.0.units={u}"),
                format!("experiment.seed={seed}"),
            ],
        ));
    }
    let mut args = vec!["compare", "--out", "many"];
    args.extend(dirs.iter().map(String::as_str));
    let output = sandbox.run(&args).expect_code(0);
    let texts = texts(&sandbox.read("many.svg"));
    let legend: Vec<&String> = texts
        .iter()
        .filter(|t| t.starts_with("heart units="))
        .collect();
    // Once, in the one legend beside both panels.
    assert_eq!(legend.len(), 40, "{texts:?}");
    let mut distinct = legend.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 40, "{legend:?}");
    for (lr, u, seed) in &settings {
        let label = format!("heart units={u} lr={lr} seed={seed}");
        assert!(legend.contains(&&label), "no {label:?} in {legend:?}");
    }
    // table.csv and the terminal's table name the entries as the legend does.
    let rows = crate::compare::table(&sandbox.path().join("many.csv"));
    let csv_labels: Vec<&str> = rows
        .iter()
        .map(|row| crate::compare::cell(row, "label"))
        .collect();
    assert_eq!(csv_labels, legend, "table.csv and the legend differ");
    for (i, label) in csv_labels.iter().enumerate() {
        let number = (i + 1).to_string();
        let row = output.stdout.lines().find(|l| {
            l.split_whitespace().next() == Some(number.as_str()) && !l.starts_with("config")
        });
        let rest = row.map(|l| l.trim_start()[number.len()..].trim_start());
        assert!(
            rest.is_some_and(|r| r.starts_with(&format!("{label}  "))),
            "row {number} is not {label:?} in\n{}",
            output.stdout
        );
    }
    // No run id anywhere in the figure or the labels: the keys tell the
    // runs apart.
    for dir in &dirs {
        let id = dir.rsplit('/').next().expect("a run id");
        assert!(texts.iter().all(|t| !t.contains(id)), "{id} in {texts:?}");
        assert!(csv_labels.iter().all(|l| !l.contains(id)), "{id}");
    }
    assert!(
        texts.contains(&"heart: 40 compared".to_string()),
        "{texts:?}"
    );
}

#[test]
fn identical_configs_are_told_apart_by_their_run_ids_in_table_and_figure() {
    let sandbox = Sandbox::new();
    let run_dir = run(
        &sandbox,
        "experiments/heart.toml",
        &["training.epochs=2".to_string()],
    );
    let copy = format!("{run_dir}-copy");
    crate::compare::copy_dir(&sandbox.path().join(&run_dir), &sandbox.path().join(&copy));
    let other = run(
        &sandbox,
        "experiments/heart.toml",
        &[
            "training.epochs=2".to_string(),
            "experiment.seed=7".to_string(),
        ],
    );
    let output = sandbox
        .run(&["compare", &run_dir, &copy, &other, "--out", "same"])
        .expect_code(0);
    let id = run_dir.rsplit('/').next().expect("a run id");
    let rows = crate::compare::table(&sandbox.path().join("same.csv"));
    let labels: Vec<&str> = rows
        .iter()
        .map(|row| crate::compare::cell(row, "label"))
        .collect();
    // The seed tells the third apart; the first two share a config and a
    // run id, so their positions tell them apart.
    assert_eq!(
        labels,
        [
            format!("heart seed=42 {id} #1"),
            format!("heart seed=42 {id} #2"),
            "heart seed=7".to_string()
        ],
        "{}",
        output.stdout
    );
    let texts = texts(&sandbox.read("same.svg"));
    for label in &labels {
        assert!(
            texts.iter().any(|t| t == label),
            "no {label:?} in {texts:?}"
        );
    }
}

#[test]
fn compared_runs_of_different_tasks_get_a_panel_each() {
    let sandbox = Sandbox::new();
    let heart = run(
        &sandbox,
        "experiments/heart.toml",
        &["training.epochs=2".to_string()],
    );
    let sine = run(
        &sandbox,
        "experiments/sine.toml",
        &["training.epochs=2".to_string()],
    );
    sandbox
        .run(&["compare", &heart, &sine, "--out", "two"])
        .expect_code(0);
    let texts = texts(&sandbox.read("two.svg"));
    let panels: Vec<&String> = texts
        .iter()
        .filter(|t| t.starts_with("Validation loss per example") || t.contains("cost per epoch"))
        .collect();
    assert_eq!(
        panels,
        [
            "Validation loss per example: mse, binary",
            "Validation loss per example: mse, regression"
        ],
        "{texts:?}"
    );
    // Named by their experiments, which tell them apart.
    assert!(texts.contains(&"heart".to_string()), "{texts:?}");
    assert!(texts.contains(&"sine".to_string()), "{texts:?}");
    assert!(texts.contains(&"heart vs sine".to_string()), "{texts:?}");
}

const GRID: &str = "experiment = \"experiments/heart.toml\"\n[grid]\n\
    \"training.learning_rate\" = [0.01, 0.1, 1.0]\n\
    \"model.layers.0.units\" = [4, 8, 16]\n\
    \"training.epochs\" = [3]\n\
    \"experiment.seed\" = [1, 2]\n";

#[test]
fn a_sweep_figure_has_a_panel_per_value_of_its_facet() {
    let sandbox = Sandbox::new();
    let file = sandbox.write("grid.toml", GRID);
    let file = file.to_str().expect("a UTF-8 path");
    sandbox
        .run(&["sweep", file, "--facet", "units", "--quiet"])
        .expect_code(0);
    let dir = sweep_dir(&sandbox.path().join("results/heart"));
    let svg = fs::read_to_string(dir.join("cost.svg")).expect("cost.svg");
    let texts = texts(&svg);
    let panels: Vec<&String> = texts.iter().filter(|t| t.starts_with("units=")).collect();
    assert_eq!(panels, ["units=4", "units=8", "units=16"], "{texts:?}");
    // The constant key in the title, not in every label.
    let title = &texts[0];
    assert!(title.contains("epochs=3"), "{title}");
    assert!(title.contains("2 seeds each"), "{title}");
    let legend: Vec<&String> = texts
        .iter()
        .filter(|t| t.starts_with("learning_rate="))
        .collect();
    assert_eq!(
        legend,
        ["learning_rate=0.01", "learning_rate=0.1", "learning_rate=1"],
        "{texts:?}"
    );
    assert!(texts.iter().all(|t| !t.contains("epochs=3") || t == title));
    // One y range in every panel: each panel's axis labels and ticks (the
    // texts from its title to the next, the last panel's to the end, after
    // the legend) are the same.
    let at = |text: &str| texts.iter().position(|t| t == text).expect(text);
    let ends = [at("units=4"), at("units=8"), at("units=16"), texts.len()];
    let axes: Vec<&[String]> = ends.windows(2).map(|w| &texts[w[0] + 1..w[1]]).collect();
    assert!(axes[0].len() > 4, "{texts:?}");
    assert!(axes.iter().all(|a| *a == axes[0]), "{axes:?}");
    assert_eq!(
        texts
            .iter()
            .filter(|t| *t == "mean ± std over seeds")
            .count(),
        1,
        "{texts:?}"
    );
}

#[test]
fn an_unknown_facet_is_refused_before_anything_trains_naming_the_swept_keys() {
    let sandbox = Sandbox::new();
    let file = sandbox.write("grid.toml", GRID);
    let file = file.to_str().expect("a UTF-8 path");
    let output = sandbox
        .run(&["sweep", file, "--facet", "layers"])
        .expect_code(2);
    assert!(
        output
            .stderr
            .contains("grid.toml: --facet layers: not a swept key")
            && output.stderr.contains(
                "the swept keys are model.layers.0.units, training.epochs, training.learning_rate"
            ),
        "{}",
        output.stderr
    );
    assert!(!sandbox.path().join("results/heart").exists());
}
