//! `synapse gradcheck` on every example experiment. That it fails on a
//! wrong derivative is tested where a derivative can be broken on purpose:
//! the unit tests of `nn::gradcheck` and `gradcheck`.

use std::fs;

use crate::common::Sandbox;

/// The experiment files of experiments/ (sweep files, which name a base
/// experiment with a top-level `experiment = "…"`, are left out).
fn example_experiments(sandbox: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(sandbox.path().join("experiments"))
        .expect("experiments/")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .filter(|name| {
            let text = sandbox.read(&format!("experiments/{name}"));
            let table: toml::Table = toml::from_str(&text).expect("valid TOML");
            table.get("experiment").is_some_and(toml::Value::is_table)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn gradcheck_passes_on_every_example_experiment() {
    let sandbox = Sandbox::new();
    let names = example_experiments(&sandbox);
    assert!(names.len() >= 5, "{names:?}");
    for name in names {
        let output = sandbox
            .run(&["gradcheck", &format!("experiments/{name}")])
            .expect_code(0);
        assert!(
            output
                .stdout
                .contains("ok: every derivative agrees within the tolerance 1e-4"),
            "{name}:\n{}",
            output.stdout
        );
    }
}

#[test]
fn gradcheck_prints_the_largest_relative_error_of_each_layer() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&["gradcheck", "experiments/heart.toml"])
        .expect_code(0);
    let rows: Vec<Vec<&str>> = output
        .stdout
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .filter(|cells| cells.first().is_some_and(|c| c.parse::<usize>().is_ok()))
        .collect();
    assert_eq!(rows.len(), 3, "{}", output.stdout);
    for (l, cells) in rows.iter().enumerate() {
        // layer, weights checked, error "at" w…, biases checked, error "at" b…
        assert_eq!(cells[0], (l + 1).to_string());
        let weight_error: f64 = cells[2].parse().expect("a relative error");
        let bias_error: f64 = cells[6].parse().expect("a relative error");
        assert!(weight_error < 1e-4 && bias_error < 1e-4, "{cells:?}");
        assert!(cells[4].starts_with(&format!("w{}[", l + 1)), "{cells:?}");
    }
    assert_eq!(
        rows[1][1], "64",
        "every weight of the 8 × 8 layer is checked"
    );
}

#[test]
fn gradcheck_checks_networks_with_relu_and_leaky_relu_layers() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&[
            "gradcheck",
            "experiments/spiral.toml",
            "--set",
            "model.layers.0.activation=leaky_relu",
        ])
        .expect_code(0);
    assert!(
        output
            .stdout
            .contains("2 → 32 leaky_relu → 32 relu → 3 softmax"),
        "{}",
        output.stdout
    );
}

#[test]
fn gradcheck_of_a_bad_config_exits_2() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&[
            "gradcheck",
            "experiments/heart.toml",
            "--set",
            "training.loss=hinge",
        ])
        .expect_code(2);
    assert!(output.stderr.contains("training.loss"), "{}", output.stderr);
}
