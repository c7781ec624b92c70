//! Training behaviours seen from the command line: early stopping restores
//! the best weights, schedules reach metrics.csv, divergence is caught.

use std::fs;

use crate::common::{Sandbox, summary_json};

fn summary(sandbox: &Sandbox, experiment: &str) -> serde_json::Value {
    summary_json(&sandbox.run_dir(experiment))
}

fn layers(sandbox: &Sandbox, experiment: &str) -> serde_json::Value {
    let dir = sandbox.run_dir(experiment);
    let model: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("model.json")).expect("model.json"))
            .expect("JSON");
    model["layers"].clone()
}

/// Every weight and bias is a JSON number (serde_json writes a NaN as null).
fn assert_all_weights_are_numbers(layers: &serde_json::Value) {
    let layers = layers.as_array().expect("layers");
    assert!(!layers.is_empty());
    for layer in layers {
        let weights = layer["weights"].as_array().expect("weights");
        let biases = layer["biases"].as_array().expect("biases");
        let values = weights
            .iter()
            .flat_map(|row| row.as_array().expect("a row").iter())
            .chain(biases);
        for value in values {
            assert!(
                value.as_f64().is_some_and(f64::is_finite),
                "not a finite number: {value}"
            );
        }
    }
}

#[test]
fn early_stopping_stops_after_patience_and_restores_the_best_weights() {
    let stopped = Sandbox::new();
    stopped
        .run(&[
            "run",
            "experiments/heart.toml",
            "--set",
            "training.learning_rate=1.0",
            "--set",
            "training.early_stopping={ patience = 3 }",
        ])
        .expect_code(0);
    let s = summary(&stopped, "heart");
    assert_eq!(s["status"], "early_stopped");
    let best = s["restored_epoch"].as_u64().expect("a restored epoch") as usize;
    let run = s["epochs_run"].as_u64().expect("epochs") as usize;
    assert_eq!(run, best + 3, "stops `patience` epochs after the best");
    assert_eq!(s["best"]["epoch"].as_u64(), Some(best as u64));

    // The best validation loss in metrics.csv is at the restored epoch.
    let metrics =
        fs::read_to_string(stopped.run_dir("heart").join("metrics.csv")).expect("metrics");
    // After the header and epoch 0 (the initial weights, never the best).
    let losses: Vec<f64> = metrics
        .lines()
        .skip(2)
        .map(|l| {
            l.split(',')
                .nth(4)
                .expect("validation_loss")
                .parse()
                .expect("number")
        })
        .collect();
    let argmin = losses
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i + 1);
    assert_eq!(argmin, Some(best));

    // A run that simply stops at the best epoch has exactly those weights.
    let plain = Sandbox::new();
    let epochs = format!("training.epochs={best}");
    plain
        .run(&[
            "run",
            "experiments/heart.toml",
            "--set",
            "training.learning_rate=1.0",
            "--set",
            &epochs,
        ])
        .expect_code(0);
    assert_eq!(layers(&stopped, "heart"), layers(&plain, "heart"));
}

#[test]
fn epoch_0_is_never_the_best_or_restored_epoch_even_when_every_epoch_is_worse() {
    // At learning rate 100 heart's first update sends every example to one
    // class: the initial weights have a lower validation loss than any epoch.
    let sandbox = Sandbox::new();
    sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--set",
            "training.learning_rate=100",
            "--set",
            "training.early_stopping={ patience = 3 }",
        ])
        .expect_code(0);
    let dir = sandbox.run_dir("heart");
    let (header, rows): (_, Vec<std::collections::BTreeMap<String, String>>) =
        crate::common::labelled_csv(&dir.join("metrics.csv"));
    assert_eq!(header.last().map(String::as_str), Some("learning_rate"));
    let epochs: Vec<&str> = rows.iter().map(|r| r["epoch"].as_str()).collect();
    assert_eq!(epochs, ["0", "1", "2", "3", "4"]);
    assert_eq!(rows[0]["learning_rate"], "");
    assert!(rows[1..].iter().all(|r| r["learning_rate"] == "100.0"));
    let loss = |r: &std::collections::BTreeMap<String, String>| -> f64 {
        r["validation_loss"].parse().expect("a number")
    };
    assert!(
        rows[1..].iter().all(|r| loss(r) > loss(&rows[0])),
        "every epoch worse than the initial weights: {rows:?}"
    );

    let s = summary(&sandbox, "heart");
    assert_eq!(s["status"], "early_stopped");
    assert_eq!(s["epochs_run"].as_u64(), Some(4), "epoch 0 is no epoch run");
    assert_eq!(s["best"]["epoch"].as_u64(), Some(1));
    assert_eq!(s["restored_epoch"].as_u64(), Some(1));
    // The row reads back strictly where results are read.
    sandbox
        .run(&["compare", &dir.display().to_string()])
        .expect_code(0);
}

#[test]
fn the_learning_rate_of_each_epoch_follows_the_schedule() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--set",
            "training.epochs=7",
            "--set",
            "training.schedule={ kind = \"step\", every = 3, factor = 0.5 }",
        ])
        .expect_code(0);
    let metrics =
        fs::read_to_string(sandbox.run_dir("heart").join("metrics.csv")).expect("metrics");
    let header: Vec<&str> = metrics.lines().next().expect("header").split(',').collect();
    let column = header
        .iter()
        .position(|h| *h == "learning_rate")
        .expect("learning_rate column");
    // Epoch 0 (the initial weights) has no rate: no update was made.
    assert!(
        metrics
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("0,") && l.ends_with(','))
    );
    let rates: Vec<f64> = metrics
        .lines()
        .skip(2)
        .map(|l| {
            l.split(',')
                .nth(column)
                .expect("rate")
                .parse()
                .expect("number")
        })
        .collect();
    assert_eq!(rates, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
}

#[test]
fn a_huge_learning_rate_diverges_with_finite_weights_on_disk() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&[
        "run",
        "experiments/sine.toml",
        "--set",
        "training.learning_rate=1e6",
        "--set",
        "training.optimizer=\"sgd\"",
    ]);
    assert_eq!(output.code, 1, "{}\n{}", output.stdout, output.stderr);
    assert!(
        output.stderr.contains("diverged") && output.stderr.contains("smaller learning_rate"),
        "{}",
        output.stderr
    );
    let s = summary(&sandbox, "sine");
    assert_eq!(s["status"], "diverged");
    let divergence = &s["divergence"];
    assert!(
        divergence["epoch"].as_u64().is_some() && divergence["batch"].as_u64().is_some(),
        "{s}"
    );
    assert_all_weights_are_numbers(&layers(&sandbox, "sine"));
    // metrics.csv keeps exactly the completed epochs, after the header and
    // epoch 0 (the initial weights, finite).
    let metrics = fs::read_to_string(sandbox.run_dir("sine").join("metrics.csv")).expect("metrics");
    assert!(metrics.lines().nth(1).is_some_and(|l| l.starts_with("0,")));
    assert_eq!(
        metrics.lines().count() - 2,
        s["epochs_run"].as_u64().expect("epochs") as usize
    );
    assert!(!metrics.contains("NaN") && !metrics.contains("inf"));
}

#[test]
fn values_too_large_for_the_network_diverge_instead_of_writing_nan() {
    let sandbox = Sandbox::new();
    let mut csv = String::from("x,y\n");
    for i in 0..40 {
        // One target so large that its squared error overflows to infinity.
        let y = if i == 17 {
            "1e300".to_string()
        } else {
            format!("{}", synapse::math::sin(i as f64 / 10.0))
        };
        csv.push_str(&format!("{},{y}\n", i as f64 / 10.0));
    }
    sandbox.write("huge.csv", csv);
    sandbox.write(
        "huge.toml",
        r#"
[experiment]
name = "huge"
[data]
path = "huge.csv"
target = "y"
normalize = "none"
split = { validation = 0.0, test = 0.0 }
[model]
layers = [{ units = 4, activation = "tanh" }, { units = 1, activation = "identity" }]
[training]
epochs = 3
learning_rate = 0.01
"#,
    );
    let output = sandbox.run(&["run", "huge.toml"]);
    assert_eq!(output.code, 1, "{}\n{}", output.stdout, output.stderr);
    let s = summary(&sandbox, "huge");
    assert_eq!(s["status"], "diverged");
    assert!(
        s["divergence"]["quantity"]
            .as_str()
            .is_some_and(|q| q.contains("data row 18")),
        "{s}"
    );
    assert_all_weights_are_numbers(&layers(&sandbox, "huge"));
    // Diverged in epoch 1: metrics.csv holds epoch 0 alone, the initial
    // weights, whose loss over the huge target is not finite either.
    let metrics = fs::read_to_string(sandbox.run_dir("huge").join("metrics.csv")).expect("metrics");
    let rows: Vec<&str> = metrics.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{metrics}");
    assert!(rows[0].starts_with("0,NaN,NaN,"), "{metrics}");
    assert_eq!(s["epochs_run"].as_u64(), Some(0));
}

#[test]
fn the_thread_count_does_not_change_a_byte() {
    // Wide enough that the products are cut into blocks and shared out: the
    // hidden layers' by units, the 1-unit output layer's by examples at a
    // batch of 256; at a batch of 16 the output layer's are left whole.
    for batch in ["256", "16"] {
        let batch_size = format!("training.batch_size={batch}");
        let args = [
            "--set",
            "data.rows=2000",
            "--set",
            &batch_size,
            "--set",
            "model.layers.0.units=300",
            "--set",
            "model.layers.1.units=300",
            "--set",
            "training.epochs=2",
        ];
        let files = |threads: &str| {
            let sandbox = Sandbox::new();
            let mut all = vec!["run", "experiments/heart.toml", "--threads", threads];
            all.extend(args);
            sandbox.run(&all).expect_code(0);
            let dir = sandbox.run_dir("heart");
            ["metrics.csv", "model.json", "predictions.csv"]
                .map(|f| fs::read(dir.join(f)).expect("result file"))
        };
        let one = files("1");
        for threads in ["2", "3"] {
            assert!(
                one == files(threads),
                "--threads {threads} changed the results at batch {batch}"
            );
        }
    }
}
