//! One headline per run, with the real binary: the metrics of the weights
//! model.json holds (the restored epoch's where early stopping restored)
//! in summary.json, the closing line, the sweep's summary.csv and ranking;
//! a diverged run's short closing line; and `sweep --strict`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{Sandbox, labelled_csv, summary_json as summary, sweep_dir};

type Row = BTreeMap<String, String>;

/// metrics.csv's row of `epoch`, parsed strictly; exactly one.
fn metrics_row(dir: &Path, epoch: usize) -> Row {
    let (_, rows): (_, Vec<Row>) = labelled_csv(&dir.join("metrics.csv"));
    let mut found = rows.into_iter().filter(|r| r["epoch"] == epoch.to_string());
    let row = found
        .next()
        .unwrap_or_else(|| panic!("no row of epoch {epoch}"));
    assert!(found.next().is_none(), "two rows of epoch {epoch}");
    row
}

fn number(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|e| panic!("`{cell}` is not a number: {e}"))
}

/// The run directory a closing line ends in.
fn dir_of(sandbox: &Sandbox, stdout: &str) -> std::path::PathBuf {
    let last = stdout.lines().last().expect("a closing line");
    sandbox
        .path()
        .join(last.rsplit_once(" -> ").expect("-> DIR").1)
}

/// Checks that summary.json's headline is the row of `epoch` in
/// metrics.csv, with the test split's metrics; returns the headline.
fn check_headline(dir: &Path, epoch: usize) -> serde_json::Value {
    let summary = summary(dir);
    let headline = summary["headline"].clone();
    assert_eq!(headline["epoch"], epoch, "{headline}");
    assert_eq!(headline["of"], summary["epochs_run"], "{headline}");
    assert_eq!(
        headline["restored"],
        summary["restored_epoch"] == epoch,
        "{headline}"
    );
    let metrics = headline["metrics"].as_object().expect("metrics");
    let row = metrics_row(dir, epoch);
    for (column, cell) in &row {
        if column == "epoch" {
            continue;
        }
        // Machine files keep full precision: the very same number.
        assert_eq!(
            metrics[column].as_f64(),
            Some(number(cell)),
            "{column} of epoch {epoch}"
        );
    }
    let test = summary["test"].as_object().expect("test");
    assert!(!test.is_empty(), "the examples here have a test split");
    for (name, value) in test {
        assert_eq!(&metrics[name], value, "{name}");
    }
    assert_eq!(metrics.len(), row.len() - 1 + test.len(), "{headline}");
    headline
}

#[test]
fn an_early_stopped_run_s_headline_is_its_restored_epoch_everywhere() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&["--quiet", "run", "experiments/heart-disease.toml"])
        .expect_code(0);
    let dir = dir_of(&sandbox, &output.stdout);
    let restored = summary(&dir)["restored_epoch"]
        .as_u64()
        .expect("early stopping restored") as usize;
    let epochs = summary(&dir)["epochs_run"].as_u64().expect("epochs") as usize;
    assert!(restored < epochs, "{restored} of {epochs}");
    let headline = check_headline(&dir, restored);
    let metrics = &headline["metrics"];

    // The closing line: the restored epoch's numbers, labelled, with the
    // baseline beside the validation accuracy and the test split's metrics.
    let line = output.stdout.lines().last().expect("closing line");
    let shown = |name: &str| {
        let value = metrics[name].as_f64().expect(name);
        synapse::text::number(value)
    };
    let baseline = summary(&dir)["baseline"]["validation"]["accuracy"]
        .as_f64()
        .expect("baseline");
    let expected = format!(
        "heart-disease: early_stopped after {epochs} of 100 epochs; restored epoch {restored} \
         of {epochs}: train cost {} (loss {}, accuracy {}), validation loss {}, accuracy {}, \
         always \"0\" {}; test loss {}, accuracy {} -> ",
        shown("train_cost"),
        shown("train_loss"),
        shown("train_accuracy"),
        shown("validation_loss"),
        shown("validation_accuracy"),
        synapse::text::number(baseline),
        shown("test_loss"),
        shown("test_accuracy"),
    );
    assert!(line.starts_with(&expected), "{line}\n{expected}");

    // The sweep of that one run: summary.csv's headline columns hold the
    // same numbers; the ranking is by the headline's validation loss.
    sandbox.write(
        "one.toml",
        "experiment = \"experiments/heart-disease.toml\"\n[grid]\n\"experiment.seed\" = [2]\n",
    );
    let output = sandbox
        .run(&["--quiet", "sweep", "one.toml"])
        .expect_code(0);
    assert!(
        output
            .stdout
            .starts_with("points ranked by headline_validation_loss (--metric validation_loss):"),
        "{}",
        output.stdout
    );
    let sweep = sweep_dir(&sandbox.path().join("results/heart-disease"));
    let (header, rows): (_, Vec<Row>) = labelled_csv(&sweep.join("summary.csv"));
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(number(&row["headline_epoch"]), restored as f64);
    let csv_row = metrics_row(&dir, restored);
    for column in [
        "train_cost",
        "train_loss",
        "train_accuracy",
        "validation_loss",
        "validation_accuracy",
    ] {
        assert_eq!(
            number(&row[&format!("headline_{column}")]),
            number(&csv_row[column]),
            "{column}"
        );
    }
    // The last epoch's stay beside them, under their own names.
    let last = metrics_row(&dir, epochs);
    assert_eq!(
        number(&row["final_validation_loss"]),
        number(&last["validation_loss"])
    );
    assert!(!header.iter().any(|c| c.starts_with("headline_test_")));
}

#[test]
fn the_headline_is_the_epoch_early_stopping_kept_even_past_a_lower_loss() {
    // With a min_delta, early stopping keeps an epoch that a later one,
    // lower by less than min_delta, does not replace: that later one is
    // the lowest validation loss (`best`), but model.json holds the former.
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&[
            "--quiet",
            "run",
            "experiments/heart.toml",
            "--set",
            "training.epochs=40",
            "--set",
            "training.early_stopping={patience=5,min_delta=0.01,restore_best=true}",
        ])
        .expect_code(0);
    let dir = dir_of(&sandbox, &output.stdout);
    let summary = summary(&dir);
    let restored = summary["restored_epoch"].as_u64().expect("restored") as usize;
    let best = summary["best"]["epoch"].as_u64().expect("best") as usize;
    assert_ne!(restored, best, "the case this test is about");
    check_headline(&dir, restored);
    let epochs = summary["epochs_run"].as_u64().expect("epochs");
    assert!(
        output
            .stdout
            .contains(&format!("; restored epoch {restored} of {epochs}: ")),
        "{}",
        output.stdout
    );
}

#[test]
fn a_completed_run_s_headline_is_its_last_epoch() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&[
            "--quiet",
            "run",
            "experiments/heart.toml",
            "--set",
            "training.epochs=5",
        ])
        .expect_code(0);
    let dir = dir_of(&sandbox, &output.stdout);
    let headline = check_headline(&dir, 5);
    assert_eq!(headline["restored"], false);
    let line = output.stdout.lines().last().expect("closing line");
    assert!(!line.contains("restored"), "{line}");
    assert!(line.contains(", always \"0\" 0.715; test loss "), "{line}");
}

#[test]
fn a_diverged_run_s_closing_line_is_short() {
    // Plain SGD at this rate overflows within three epochs, through numbers
    // of hundreds of digits.
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&[
            "--quiet",
            "run",
            "experiments/sine.toml",
            "--set",
            "training.optimizer=sgd",
            "--set",
            "training.learning_rate=10",
        ])
        .expect_code(1);
    let line = output.stdout.lines().last().expect("closing line");
    assert!(line.starts_with("sine: diverged after "), "{line}");
    assert!(line.contains(" -> results/sine/"), "{line}");
    assert!(line.chars().count() < 200, "{} chars: {line}", line.len());
    assert!(
        output.stderr.contains("error: training diverged"),
        "{}",
        output.stderr
    );
}

#[test]
fn sweep_strict_fails_a_sweep_with_a_finding_and_passes_one_without() {
    let sandbox = Sandbox::new();
    let sweep = |name: &str, rates: &str| {
        sandbox.write(
            name,
            format!(
                "experiment = \"experiments/heart.toml\"\n[grid]\n\
                 \"training.learning_rate\" = [{rates}]\n\"training.epochs\" = [20]\n"
            ),
        );
        sandbox.run(&["--quiet", "sweep", name, "--strict"])
    };
    let bad = sweep("bad.toml", "0.1, 10.0").expect_code(1);
    let last = bad.stdout.lines().last().expect("last line");
    assert!(
        last.starts_with("sweep: 2 runs, 1 with findings -> "),
        "{last}"
    );
    assert!(
        bad.stderr
            .contains("error: --strict: 1 of 2 runs got findings"),
        "{}",
        bad.stderr
    );
    // The ranking shows which point got which finding.
    let point = bad
        .stdout
        .lines()
        .find(|l| l.contains("learning_rate=10"))
        .expect("the lr=10 point");
    assert!(point.ends_with("1/1 no_better_than_baseline"), "{point}");
    let good = bad
        .stdout
        .lines()
        .find(|l| l.contains("learning_rate=0.1"))
        .expect("the lr=0.1 point");
    assert!(good.ends_with(" -"), "{good}");

    let fine = sweep("good.toml", "0.1").expect_code(0);
    let last = fine.stdout.lines().last().expect("last line");
    assert!(last.starts_with("sweep: 1 run -> "), "{last}");
}
