//! `synapse runs`: the runs under the results directory, filtered, sorted
//! and printed; and `compare` of an experiment directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::common::{Sandbox, labelled_csv, sweep_dir};

/// The heart example at 2 learning rates × 2 seeds, 3 epochs: four runs.
const GRID: &str = r#"
experiment = "experiments/heart.toml"
[grid]
"training.learning_rate" = [0.1, 0.5]
"experiment.seed" = [1, 2]
"training.epochs" = [3]
"#;

fn four_runs() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.write("grid.toml", GRID);
    sandbox
        .run(&["sweep", "grid.toml", "--quiet"])
        .expect_code(0);
    sandbox
}

/// The metrics every heart run has, in the order `runs` puts them: by
/// split (validation, train, test, the rest), then by name.
const METRICS: [&str; 8] = [
    "validation_accuracy",
    "validation_loss",
    "train_accuracy",
    "train_cost",
    "train_loss",
    "test_accuracy",
    "test_loss",
    "learning_rate",
];

/// `runs --format csv` written to a file and read strictly: the exact
/// header (fixed columns, the differing keys, the metrics), a row per run.
fn runs_csv(sandbox: &Sandbox, args: &[&str], keys: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut all = vec!["runs", "--format", "csv"];
    all.extend(args);
    let output = sandbox.run(&all).expect_code(0);
    let path = sandbox.write("runs.csv", &output.stdout);
    let (header, rows) = labelled_csv::<BTreeMap<String, String>>(&path);
    let mut expected: Vec<&str> =
        vec!["run_id", "experiment", "sweep", "status", "findings", "dir"];
    expected.extend(keys);
    expected.extend(METRICS);
    assert_eq!(header, expected, "{}", output.stdout);
    rows
}

/// The headline metrics summary.json holds for the run in `dir`.
fn headline(dir: &Path) -> BTreeMap<String, f64> {
    let text = fs::read_to_string(dir.join("summary.json")).expect("summary.json");
    let summary: serde_json::Value = serde_json::from_str(&text).expect("json");
    summary["headline"]["metrics"]
        .as_object()
        .expect("headline metrics")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_f64().expect("a number")))
        .collect()
}

#[test]
fn runs_lists_every_run_with_the_keys_that_differ_and_their_headline() {
    let sandbox = four_runs();
    let sweep = sweep_dir(&sandbox.path().join("results/heart"));
    let sweep_id = sweep
        .file_name()
        .expect("name")
        .to_string_lossy()
        .trim_start_matches("sweep-")
        .to_string();
    let rows = runs_csv(
        &sandbox,
        &[],
        &["experiment.seed", "training.learning_rate"],
    );
    assert_eq!(rows.len(), 4);
    let mut points: Vec<(String, String)> = Vec::new();
    for row in &rows {
        assert_eq!(row["experiment"], "heart");
        assert_eq!(row["sweep"], sweep_id);
        assert_eq!(row["status"], "completed");
        let dir = sandbox.path().join(&row["dir"]);
        assert_eq!(
            dir,
            sandbox.path().join("results/heart").join(&row["run_id"])
        );
        // Full precision: the very numbers of summary.json's headline.
        for (name, value) in headline(&dir) {
            assert_eq!(row[&name].parse::<f64>().expect("number"), value, "{name}");
        }
        points.push((
            row["training.learning_rate"].clone(),
            row["experiment.seed"].clone(),
        ));
    }
    points.sort();
    assert_eq!(
        points,
        [("0.1", "1"), ("0.1", "2"), ("0.5", "1"), ("0.5", "2")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );

    // The table: the same columns, numbers as people read them.
    let output = sandbox.run(&["runs"]).expect_code(0);
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", output.stdout);
    let mut header = vec![
        "run",
        "experiment",
        "sweep",
        "status",
        "findings",
        "experiment.seed",
        "training.learning_rate",
    ];
    header.extend(METRICS[..7].iter().filter(|m| **m != "train_cost"));
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), header);
    // Named, the one experiment lists the same.
    let named = sandbox.run(&["runs", "heart"]).expect_code(0);
    assert_eq!(named.stdout, output.stdout);
}

#[test]
fn where_filters_on_config_keys_and_status() {
    let sandbox = four_runs();
    // Among the listed runs only the seed differs now.
    let rows = runs_csv(
        &sandbox,
        &["--where", "training.learning_rate=0.1"],
        &["experiment.seed"],
    );
    assert_eq!(rows.len(), 2);
    for row in &rows {
        let config = fs::read_to_string(sandbox.path().join(&row["dir"]).join("config.toml"))
            .expect("config.toml");
        assert!(config.contains("learning_rate = 0.1\n"), "{config}");
    }
    // Repeated: all must hold; `1e-1` is the same number as 0.1.
    let rows = runs_csv(
        &sandbox,
        &[
            "--where",
            "training.learning_rate=1e-1",
            "--where",
            "experiment.seed=2",
            "--where",
            "status=completed",
        ],
        &[],
    );
    assert_eq!(rows.len(), 1);
    // None: the header of the fixed columns alone (no run, no metric).
    let output = sandbox
        .run(&["runs", "--where", "status=diverged", "--format", "csv"])
        .expect_code(0);
    assert_eq!(
        output.stdout,
        "run_id,experiment,sweep,status,findings,dir\n"
    );
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    run_id: String,
    experiment: String,
    sweep: Option<String>,
    status: String,
    findings: Vec<String>,
    dir: PathBuf,
    config: BTreeMap<String, String>,
    metrics: BTreeMap<String, f64>,
}

#[test]
fn sort_orders_by_the_headline_metric_best_first() {
    let sandbox = four_runs();
    for (metric, higher) in [("validation_accuracy", true), ("validation_loss", false)] {
        let output = sandbox
            .run(&["runs", "--sort", metric, "--format", "json"])
            .expect_code(0);
        let listed: Vec<Listed> = serde_json::from_str(&output.stdout).expect("strict JSON");
        assert_eq!(listed.len(), 4);
        let values: Vec<f64> = listed
            .iter()
            .map(|run| {
                assert_eq!(run.experiment, "heart");
                assert!(run.sweep.is_some());
                assert_eq!(run.status, "completed");
                assert!(run.dir.ends_with(&run.run_id));
                assert_eq!(
                    run.config.keys().collect::<Vec<_>>(),
                    ["experiment.seed", "training.learning_rate"]
                );
                let truth = headline(&sandbox.path().join(&run.dir));
                assert_eq!(run.metrics, truth);
                assert!(run.findings.iter().all(|f| !f.is_empty()));
                truth[metric]
            })
            .collect();
        for pair in values.windows(2) {
            if higher {
                assert!(pair[0] >= pair[1], "{metric}: {values:?}");
            } else {
                assert!(pair[0] <= pair[1], "{metric}: {values:?}");
            }
        }
        // Not all equal, or the order would test nothing.
        assert!(values.first() != values.last(), "{values:?}");
    }
}

/// The table compare writes beside its plot: `n` and `run_ids` per entry,
/// by column name (other columns may come and go).
fn compared(sandbox: &Sandbox, dirs: &[&str]) -> (Vec<(usize, Vec<String>)>, String) {
    let mut args = vec!["compare"];
    args.extend(dirs);
    args.extend(["--out", "cmp/cost"]);
    let output = sandbox.run(&args).expect_code(0);
    let (_, rows) = labelled_csv::<BTreeMap<String, String>>(&sandbox.path().join("cmp/cost.csv"));
    let entries = rows
        .iter()
        .map(|row| {
            let ids: Vec<String> = row["run_ids"].split(' ').map(str::to_string).collect();
            (row["n"].parse().expect("n"), ids)
        })
        .collect();
    (entries, output.stderr)
}

#[test]
fn compare_of_an_experiment_directory_groups_runs_that_differ_only_in_the_seed() {
    let sandbox = four_runs();
    let (entries, _) = compared(&sandbox, &["results/heart"]);
    assert_eq!(entries.len(), 2, "{entries:?}");
    let mut all: Vec<String> = Vec::new();
    for (n, ids) in &entries {
        assert_eq!(*n, 2);
        assert_eq!(ids.len(), 2);
        // The two runs of an entry share their learning rate.
        let rates: Vec<String> = ids
            .iter()
            .map(|id| {
                let config = sandbox.read(&format!("results/heart/{id}/config.toml"));
                let table: toml::Table = config.parse().expect("toml");
                table["training"]["learning_rate"].to_string()
            })
            .collect();
        assert_eq!(rates[0], rates[1]);
        all.extend(ids.iter().cloned());
    }
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4);
}

#[test]
fn a_run_given_with_its_sweep_is_counted_once() {
    let sandbox = four_runs();
    let sweep = sweep_dir(&sandbox.path().join("results/heart"));
    let sweep = format!(
        "results/heart/{}",
        sweep.file_name().expect("name").to_string_lossy()
    );
    let rows = runs_csv(
        &sandbox,
        &[
            "--where",
            "experiment.seed=1",
            "--where",
            "training.learning_rate=0.5",
        ],
        &[],
    );
    let run = rows[0]["dir"].clone();
    for dirs in [
        [sweep.as_str(), run.as_str()],
        [run.as_str(), sweep.as_str()],
    ] {
        let (entries, stderr) = compared(&sandbox, &dirs);
        assert_eq!(entries.len(), 2, "{dirs:?}: {entries:?}");
        let counted: Vec<&String> = entries.iter().flat_map(|(_, ids)| ids).collect();
        assert_eq!(counted.len(), 4, "{dirs:?}: {entries:?}");
        assert!(stderr.contains("is counted once"), "{stderr}");
    }
}

#[test]
fn bad_input_exits_2_saying_what_is_allowed() {
    let sandbox = four_runs();
    for (args, fragments) in [
        (
            vec!["runs", "--where", "training.learnin_rate=0.1"],
            vec![
                "--where training.learnin_rate=0.1: no listed run has the key",
                "did you mean `training.learning_rate`?",
                "the keys are: status, data.generator,",
            ],
        ),
        (
            vec!["runs", "--where", "status=finished"],
            vec!["a run's status is one of completed, early_stopped, diverged, interrupted"],
        ),
        (
            vec!["runs", "--where", "learning_rate"],
            vec!["is not KEY=VALUE"],
        ),
        (
            vec!["runs", "--sort", "validation_acuracy"],
            vec![
                "--sort validation_acuracy: no listed run has this metric",
                "did you mean `validation_accuracy`?",
                "available: validation_accuracy, validation_loss,",
            ],
        ),
        (
            vec!["runs", "hart"],
            vec!["no experiment `hart` under results (did you mean `heart`?); there are: heart"],
        ),
        (
            vec!["runs", "--format", "yaml"],
            vec![
                "invalid value 'yaml'",
                "[possible values: table, csv, json]",
            ],
        ),
    ] {
        let output = sandbox.run(&args).expect_code(2);
        assert!(output.stdout.is_empty(), "{args:?}: {}", output.stdout);
        for fragment in fragments {
            assert!(
                output.stderr.contains(fragment),
                "{args:?}: {}",
                output.stderr
            );
        }
        assert!(!output.stderr.contains("panicked"), "{}", output.stderr);
    }
}
