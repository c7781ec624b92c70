//! `synapse compare`: run and sweep directories side by side, from files alone.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Output, Sandbox, labelled_csv, run_quiet};

/// Trains heart for 5 epochs with `sets` and returns its run directory,
/// relative to the sandbox, as the closing line names it.
fn run_heart(sandbox: &Sandbox, sets: &[&str]) -> String {
    run_quiet(
        sandbox,
        "experiments/heart.toml",
        &[&["training.epochs=5"], sets].concat(),
    )
}

/// The "config keys that differ" section: each key with its value per entry.
/// Cells are cut at the columns of the header, since values such as `{1, 2}`
/// hold spaces.
fn differing_keys(output: &Output, entries: usize) -> Vec<(String, Vec<String>)> {
    let mut lines = output.stdout.lines();
    lines
        .by_ref()
        .find(|l| *l == "config keys that differ:")
        .unwrap_or_else(|| panic!("no config diff in:\n{}", output.stdout));
    let header = lines.next().expect("a header");
    let mut expected = vec!["key".to_string()];
    expected.extend((1..=entries).map(|i| format!("#{i}")));
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        expected,
        "{}",
        output.stdout
    );
    let header: Vec<char> = header.chars().collect();
    let starts: Vec<usize> = (0..header.len())
        .filter(|&i| header[i] != ' ' && (i == 0 || header[i - 1] == ' '))
        .collect();
    lines
        .take_while(|l| !l.is_empty())
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let cells: Vec<String> = starts
                .iter()
                .enumerate()
                .map(|(i, &start)| {
                    let end = starts.get(i + 1).copied().unwrap_or(chars.len());
                    assert!(
                        start == 0 || chars.get(start - 1) == Some(&' '),
                        "a cell out of its column in {line:?}"
                    );
                    let cell: String = chars[start.min(chars.len())..end.min(chars.len())]
                        .iter()
                        .collect();
                    cell.trim().to_string()
                })
                .collect();
            assert!(cells.iter().all(|c| !c.is_empty()), "{line:?}");
            (cells[0].clone(), cells[1..].to_vec())
        })
        .collect()
}

/// The files the "wrote …" lines name, relative to the sandbox.
pub(crate) fn written(output: &Output) -> Vec<PathBuf> {
    output
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("wrote "))
        .map(PathBuf::from)
        .collect()
}

/// table.csv as rows of (column → cell), checking the header exactly.
pub(crate) fn table(path: &Path) -> Vec<Vec<(String, String)>> {
    let (header, rows) = labelled_csv(path);
    assert_eq!(
        header,
        [
            "entry",
            "label",
            "dir",
            "run_ids",
            "n",
            "status",
            "epochs",
            "headline_train_loss",
            "headline_train_loss_std",
            "headline_validation_loss",
            "headline_validation_loss_std",
            "best_validation_loss",
            "best_validation_loss_std",
            "best_epoch",
            "accuracy",
            "accuracy_std",
            "rmse",
            "rmse_std",
            "diff_headline_train_loss",
            "diff_headline_validation_loss",
            "diff_best_validation_loss",
            "diff_accuracy",
            "diff_rmse",
            "baseline_class",
            "baseline_mean",
            "baseline_accuracy",
            "baseline_rmse",
            "findings",
            "ci_low",
            "ci_high",
            "p_value",
            "test",
            "verdict",
        ]
    );
    rows
}

pub(crate) fn cell<'a>(row: &'a [(String, String)], column: &str) -> &'a str {
    row.iter()
        .find(|(c, _)| c == column)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no column {column}"))
}

pub(crate) fn number(row: &[(String, String)], column: &str) -> f64 {
    let text = cell(row, column);
    text.parse()
        .unwrap_or_else(|_| panic!("{column}: {text:?} is not a number"))
}

#[test]
fn two_runs_that_differ_in_one_key_report_exactly_that_key() {
    let sandbox = Sandbox::new();
    let slow = run_heart(&sandbox, &[]);
    let fast = run_heart(&sandbox, &["training.learning_rate=0.5"]);
    let output = sandbox.run(&["compare", &slow, &fast]).expect_code(0);

    assert_eq!(
        differing_keys(&output, 2),
        [(
            "training.learning_rate".to_string(),
            vec!["0.1".to_string(), "0.5".to_string()]
        )]
    );
    // The runs are labelled by the key that tells them apart.
    let rows: Vec<&str> = output
        .stdout
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), 2, "{}", output.stdout);
    assert!(rows[0].starts_with("1  heart lr=0.1 "), "{}", rows[0]);
    assert!(rows[1].starts_with("2  heart lr=0.5 "), "{}", rows[1]);
}

#[test]
fn runs_with_the_same_config_report_that_no_key_differs() {
    let sandbox = Sandbox::new();
    let run = run_heart(&sandbox, &[]);
    let output = sandbox.run(&["compare", &run, &run]).expect_code(0);
    assert!(
        output.stdout.contains("\nno config keys differ\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn compare_writes_a_png_an_svg_and_a_table_with_a_row_per_run() {
    let sandbox = Sandbox::new();
    let slow = run_heart(&sandbox, &[]);
    let fast = run_heart(&sandbox, &["training.learning_rate=0.5"]);
    let output = sandbox.run(&["compare", &slow, &fast]).expect_code(0);

    let files = written(&output);
    assert_eq!(files.len(), 3, "{}", output.stdout);
    let dir = files[0].parent().expect("a directory").to_path_buf();
    assert!(dir.starts_with("results"), "{}", dir.display());
    assert!(
        dir.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("compare-")),
        "{}",
        dir.display()
    );
    assert_eq!(
        files,
        [
            dir.join("cost.png"),
            dir.join("cost.svg"),
            dir.join("table.csv")
        ]
    );

    let png = fs::read(sandbox.path().join(&files[0])).expect("cost.png");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let svg = sandbox.read(&files[1].to_string_lossy());
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(100)]);
    for text in [
        "Validation loss per example",
        "Training cost per epoch",
        "heart lr=0.1",
        "heart lr=0.5",
    ] {
        assert!(svg.contains(text), "the SVG lacks {text:?}");
    }

    let rows = table(&sandbox.path().join(&files[2]));
    assert_eq!(rows.len(), 2);
    assert_eq!(cell(&rows[0], "entry"), "1");
    assert_eq!(cell(&rows[0], "label"), "heart lr=0.1");
    assert_eq!(cell(&rows[1], "label"), "heart lr=0.5");
    assert_eq!(cell(&rows[0], "dir"), slow);
    for row in &rows {
        assert_eq!(cell(row, "n"), "1");
        assert_eq!(cell(row, "status"), "completed");
        assert_eq!(cell(row, "epochs"), "5");
        assert_eq!(cell(row, "headline_validation_loss_std"), "");
        assert_eq!(cell(row, "rmse"), "");
        assert!((0.0..=1.0).contains(&number(row, "accuracy")));
    }
    // Differences are to the first run, the reference.
    assert_eq!(number(&rows[0], "diff_headline_validation_loss"), 0.0);
    let expected =
        number(&rows[1], "headline_validation_loss") - number(&rows[0], "headline_validation_loss");
    assert_eq!(number(&rows[1], "diff_headline_validation_loss"), expected);
}

#[test]
fn the_table_carries_each_run_s_baseline_and_findings_and_a_pipe_gets_no_color() {
    let sandbox = Sandbox::new();
    let good = run_heart(&sandbox, &[]);
    // Learning rate 100 sends every example to one class (issue 15).
    let bad = run_heart(&sandbox, &["training.learning_rate=100"]);
    let summary = |dir: &str| -> serde_json::Value {
        serde_json::from_str(&sandbox.read(&format!("{dir}/summary.json"))).expect("summary.json")
    };
    let (good_summary, bad_summary) = (summary(&good), summary(&bad));
    let codes = |summary: &serde_json::Value| -> Vec<String> {
        summary["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["code"].as_str().expect("a code").to_string())
            .collect()
    };
    assert!(codes(&good_summary).is_empty(), "{good_summary}");
    let bad_codes = codes(&bad_summary);
    assert!(
        bad_codes.contains(&"constant_output".to_string()),
        "{bad_summary}"
    );

    // stdout is a pipe here: the findings are there, and no escape code.
    let output = sandbox.run(&["compare", &good, &bad]).expect_code(0);
    assert!(!output.stdout.contains('\u{1b}'), "{:?}", output.stdout);
    let mut lines = output.stdout.lines();
    let header = lines.next().expect("a header");
    assert!(header.ends_with("  baseline  findings"), "{header}");
    let class = bad_summary["baseline"]["class"].as_str().expect("a class");
    let accuracy = bad_summary["baseline"]["validation"]["accuracy"]
        .as_f64()
        .expect("the baseline's validation accuracy");
    let first = lines.next().expect("row 1");
    // The good run has no findings: its line ends in the baseline, shown to
    // four significant digits.
    let (_, shown) = first
        .rsplit_once(&format!("always \"{class}\" "))
        .unwrap_or_else(|| panic!("no baseline in {first:?}"));
    let shown: f64 = shown.parse().expect("the baseline's accuracy");
    assert!((shown - accuracy).abs() <= 5e-4 * accuracy, "{first}");
    let second = lines.next().expect("row 2");
    assert!(second.ends_with(&bad_codes.join(", ")), "{second}");

    let dir = written(&output)[2].clone();
    let rows = table(&sandbox.path().join(dir));
    assert_eq!(rows.len(), 2);
    for (row, summary) in rows.iter().zip([&good_summary, &bad_summary]) {
        assert_eq!(cell(row, "baseline_class"), class);
        assert_eq!(cell(row, "baseline_mean"), "");
        assert_eq!(cell(row, "baseline_rmse"), "");
        assert_eq!(
            number(row, "baseline_accuracy"),
            summary["baseline"]["validation"]["accuracy"]
                .as_f64()
                .expect("accuracy")
        );
    }
    assert_eq!(number(&rows[1], "baseline_accuracy"), accuracy);
    assert_eq!(cell(&rows[0], "findings"), "");
    assert_eq!(
        cell(&rows[1], "findings").split(' ').collect::<Vec<_>>(),
        bad_codes
    );
}

#[test]
fn out_names_the_plot_and_the_table_beside_it() {
    let sandbox = Sandbox::new();
    let run = run_heart(&sandbox, &[]);
    let output = sandbox
        .run(&["compare", &run, "--out", "plots/heart.png"])
        .expect_code(0);
    assert_eq!(
        written(&output),
        [
            PathBuf::from("plots/heart.png"),
            PathBuf::from("plots/heart.svg"),
            PathBuf::from("plots/heart.csv"),
        ]
    );
    for file in written(&output) {
        assert!(sandbox.path().join(&file).is_file(), "{}", file.display());
    }
    let leftover: Vec<PathBuf> = sandbox
        .result_files()
        .into_iter()
        .filter(|f| f.to_string_lossy().contains("compare-"))
        .collect();
    assert!(leftover.is_empty(), "{leftover:?}");
}

#[test]
fn compare_of_a_missing_directory_fails_with_exit_2_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let run = run_heart(&sandbox, &[]);
    let before = sandbox.result_files();
    let output = sandbox
        .run(&["compare", &run, "results/heart/nope"])
        .expect_code(2);
    assert_eq!(
        output.stderr.trim_end(),
        "error: results/heart/nope: not found; expected a run directory (with summary.json), \
         a sweep directory (with summary.csv) or an experiment directory (holding runs)"
    );
    assert_eq!(output.stdout, "");
    assert_eq!(sandbox.result_files(), before);
}

#[test]
fn compare_of_a_file_or_an_unrelated_directory_fails_with_exit_2_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let run = run_heart(&sandbox, &[]);
    let before = sandbox.result_files();

    let file = format!("{run}/metrics.csv");
    let output = sandbox.run(&["compare", &file]).expect_code(2);
    assert!(
        output.stderr.contains(&format!(
            "{file}: not a directory; expected a run directory"
        )),
        "{}",
        output.stderr
    );

    let output = sandbox
        .run(&["compare", &run, "experiments"])
        .expect_code(2);
    assert!(
        output.stderr.contains(
            "experiments: neither a run directory (with summary.json) nor a sweep directory"
        ),
        "{}",
        output.stderr
    );
    assert_eq!(sandbox.result_files(), before);
}

#[test]
fn a_corrupt_metrics_csv_fails_with_exit_2_naming_the_file_and_line() {
    let sandbox = Sandbox::new();
    let run = run_heart(&sandbox, &[]);
    let metrics = sandbox.read(&format!("{run}/metrics.csv"));
    let broken = metrics.replacen("\n2,", "\n2,not-a-number", 1);
    sandbox.write(&format!("{run}/metrics.csv"), broken);
    let before = sandbox.result_files();

    let output = sandbox.run(&["compare", &run]).expect_code(2);
    assert!(
        output.stderr.starts_with(&format!(
            "error: {run}/metrics.csv, line 4: column `train_cost`"
        )),
        "{}",
        output.stderr
    );
    assert_eq!(sandbox.result_files(), before);

    // Cut short by a line, or missing an epoch in the middle: the curves
    // would mislead, so these are refused too. (The header and epoch 0, the
    // initial weights, are not epochs run.)
    let lines: Vec<&str> = metrics.lines().collect();
    for (broken, expected) in [
        (
            lines[..lines.len() - 1].join("\n") + "\n",
            format!(
                "error: {run}/metrics.csv: {} epochs, but summary.json says {} were run",
                lines.len() - 3,
                lines.len() - 2
            ),
        ),
        (
            [&lines[..4], &lines[5..]].concat().join("\n") + "\n",
            format!("error: {run}/metrics.csv, line 5: epoch 4 where epoch 3 was expected"),
        ),
    ] {
        sandbox.write(&format!("{run}/metrics.csv"), broken);
        let output = sandbox.run(&["compare", &run]).expect_code(2);
        assert!(output.stderr.starts_with(&expected), "{}", output.stderr);
    }
    assert_eq!(sandbox.result_files(), before);
}

#[test]
fn results_copied_to_another_folder_compare_the_same() {
    let sandbox = Sandbox::new();
    let slow = run_heart(&sandbox, &[]);
    let fast = run_heart(&sandbox, &["training.learning_rate=0.5"]);
    let here = sandbox.run(&["compare", &slow, &fast]).expect_code(0);
    let here_table = table(&sandbox.path().join(&written(&here)[2]));

    // Only the files travel: the experiments, data and original results go.
    let elsewhere = sandbox.path().join("elsewhere");
    for (run, name) in [(&slow, "a"), (&fast, "b")] {
        copy_dir(&sandbox.path().join(run), &elsewhere.join(name));
    }
    for gone in ["results", "experiments", "data"] {
        fs::remove_dir_all(sandbox.path().join(gone)).expect("remove");
    }
    let there = sandbox
        .run(&["compare", "elsewhere/a", "elsewhere/b"])
        .expect_code(0);

    assert_eq!(differing_keys(&there, 2), differing_keys(&here, 2));
    let there_table = table(&sandbox.path().join(&written(&there)[2]));
    let without_dir = |rows: &[Vec<(String, String)>]| -> Vec<Vec<(String, String)>> {
        rows.iter()
            .map(|r| r.iter().filter(|(c, _)| c != "dir").cloned().collect())
            .collect()
    };
    assert_eq!(without_dir(&there_table), without_dir(&here_table));
    // Named by the run ids, not the paths, so the same comparison lands in
    // the same place.
    assert_eq!(written(&there), written(&here));
}

#[test]
fn a_sweep_point_merges_its_seeds_into_one_entry_with_mean_and_std() {
    let sandbox = Sandbox::new();
    let seed_1 = run_heart(&sandbox, &["experiment.seed=1"]);
    let seed_2 = run_heart(&sandbox, &["experiment.seed=2"]);
    // Not in the sweep: a run the sweep holds would be counted there only.
    let seed_3 = run_heart(&sandbox, &["experiment.seed=3"]);
    let id = |run: &str| run.rsplit('/').next().expect("an id").to_string();
    sandbox.write(
        "results/heart/sweep-test/summary.csv",
        format!(
            "run_dir,status,param_training.learning_rate,param_experiment.seed\n\
             ../{},completed,0.1,1\n\
             ../{},completed,0.1,2\n\
             ../000000000000,diverged,0.1,3\n",
            id(&seed_1),
            id(&seed_2)
        ),
    );

    let output = sandbox
        .run(&["compare", "results/heart/sweep-test", &seed_3])
        .expect_code(0);
    assert!(
        output
            .stderr
            .contains("summary.csv, line 4: leaving out results/heart/sweep-test/../000000000000 (status diverged)"),
        "{}",
        output.stderr
    );
    let rows = table(&sandbox.path().join(&written(&output)[2]));
    assert_eq!(rows.len(), 2);
    let point = &rows[0];
    // Named, as in the figure, by the key that tells the entries apart: the
    // point's seeds together, the run's own.
    assert_eq!(cell(point, "label"), "heart seed={1, 2}");
    assert_eq!(cell(&rows[1], "label"), "heart seed=3");
    assert_eq!(cell(point, "n"), "2");
    assert_eq!(
        cell(point, "run_ids"),
        format!("{} {}", id(&seed_1), id(&seed_2))
    );
    assert!(number(point, "headline_validation_loss_std") > 0.0);

    // The mean of the two seeds' own headline losses.
    let single = |run: &str| {
        let output = sandbox.run(&["compare", run]).expect_code(0);
        number(
            &table(&sandbox.path().join(&written(&output)[2]))[0],
            "headline_validation_loss",
        )
    };
    let mean = (single(&seed_1) + single(&seed_2)) / 2.0;
    assert!((number(point, "headline_validation_loss") - mean).abs() < 1e-12);

    assert_eq!(cell(&rows[1], "n"), "1");
    // Seeds differ between the point and the run; within the point they are
    // shown together.
    assert_eq!(
        differing_keys(&output, 2),
        [(
            "experiment.seed".to_string(),
            vec!["{1, 2}".to_string(), "3".to_string()]
        )]
    );
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read dir").flatten() {
        fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}
