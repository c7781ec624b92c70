//! `synapse trace`: its numbers against a step of a 2-2-1 network computed
//! here by hand, and against what `run` trains.

use std::collections::BTreeMap;

use crate::common::Sandbox;

/// Two examples, file order kept: no split, no shuffling, no normalization.
const TINY_CSV: &str = "a,b,label\n0.5,-1.5,1\n2.0,0.25,0\n";

const TINY_TOML: &str = r#"
[experiment]
name = "tiny"
seed = 11

[data]
path = "../data/tiny.csv"
target = "label"
normalize = "none"
split = { validation = 0.0, test = 0.0 }

[model]
layers = [
  { units = 2, activation = "sigmoid" },
  { units = 1, activation = "sigmoid" },
]

[training]
epochs = 1
learning_rate = 0.5
batch_size = 1
loss = "mse"
optimizer = "sgd"
shuffle = false
"#;

fn tiny() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.write("data/tiny.csv", TINY_CSV);
    sandbox.write("experiments/tiny.toml", TINY_TOML);
    sandbox
}

/// Every `name = value` and `name = … = value` cell of the trace (cells are
/// separated by at least three spaces), plus the rows of the update tables
/// as `new <name>`, `old <name>`, `derivative <name>`.
fn numbers(text: &str) -> BTreeMap<String, f64> {
    let mut found = BTreeMap::new();
    let mut in_update = false;
    for line in text.lines() {
        if line.starts_with("UPDATE") {
            in_update = true;
        }
        if in_update {
            let cells: Vec<&str> = line.split_whitespace().collect();
            if cells.len() == 4 && (cells[0].starts_with('w') || cells[0].starts_with('b')) {
                for (kind, cell) in ["old", "derivative", "new"].iter().zip(&cells[1..]) {
                    if let Ok(value) = cell.parse() {
                        found.insert(format!("{kind} {}", cells[0]), value);
                    }
                }
            }
            continue;
        }
        for cell in line.trim().split("   ") {
            let cell = cell.trim();
            let (Some((name, _)), Some((_, value))) =
                (cell.split_once(" = "), cell.rsplit_once(" = "))
            else {
                continue;
            };
            if let Ok(value) = value.split_whitespace().next().unwrap_or("").parse::<f64>() {
                found.entry(name.to_string()).or_insert(value);
            }
        }
    }
    found
}

fn close(actual: f64, expected: f64) -> bool {
    // The trace prints 10 significant digits.
    (actual - expected).abs() <= 1e-9 * expected.abs().max(1e-3)
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + synapse::math::exp(-z))
}

#[test]
fn trace_agrees_with_a_hand_computed_step_of_a_2_2_1_network() {
    let sandbox = tiny();
    let output = sandbox
        .run(&["trace", "experiments/tiny.toml"])
        .expect_code(0);
    let n = numbers(&output.stdout);
    let get = |name: &str| -> f64 {
        *n.get(name)
            .unwrap_or_else(|| panic!("`{name}` is not in the trace:\n{}", output.stdout))
    };
    let check = |name: &str, expected: f64| {
        let actual = get(name);
        assert!(
            close(actual, expected),
            "{name}: trace says {actual}, by hand {expected}\n{}",
            output.stdout
        );
    };

    // The first row, as written, and its target.
    let x = [0.5, -1.5];
    let y = 1.0;
    check("x[1]", x[0]);
    check("x[2]", x[1]);
    check("y[1]", y);

    // The initial weights are the seed's; everything after them is computed here.
    let w1 = [
        [get("w1[1,1]"), get("w1[1,2]")],
        [get("w1[2,1]"), get("w1[2,2]")],
    ];
    let b1 = [get("b1[1]"), get("b1[2]")];
    let w2 = [get("w2[1,1]"), get("w2[1,2]")];
    let b2 = get("b2[1]");
    assert_eq!((b1, b2), ([0.0, 0.0], 0.0), "biases start at zero");

    // Forward: weighted sums and activations.
    let z1: Vec<f64> = (0..2)
        .map(|i| w1[i][0] * x[0] + w1[i][1] * x[1] + b1[i])
        .collect();
    let a1: Vec<f64> = z1.iter().map(|&z| sigmoid(z)).collect();
    let z2 = w2[0] * a1[0] + w2[1] * a1[1] + b2;
    let output_value = sigmoid(z2);
    for i in 0..2 {
        check(&format!("z1[{}]", i + 1), z1[i]);
        check(&format!("a1[{}]", i + 1), a1[i]);
    }
    check("z2[1]", z2);
    check("a2[1]", output_value);
    check("ŷ[1]", output_value);
    // mse of one output: (y − ŷ)².
    check(
        "LOSS of this example (mse): loss",
        (y - output_value) * (y - output_value),
    );

    // Backward: δ = ∂loss/∂z by the chain rule.
    let d_output = 2.0 * (output_value - y);
    let delta2 = d_output * output_value * (1.0 - output_value);
    check("∂loss/∂ŷ[1]", d_output);
    check("δ2[1]", delta2);
    let delta1: Vec<f64> = (0..2)
        .map(|i| w2[i] * delta2 * a1[i] * (1.0 - a1[i]))
        .collect();
    for i in 0..2 {
        check(&format!("∂loss/∂a1[{}]", i + 1), w2[i] * delta2);
        check(&format!("δ1[{}]", i + 1), delta1[i]);
    }

    // Derivatives and the update: new_weight = old_weight − 0.5 × derivative.
    let rate = 0.5;
    let mut expected = Vec::new();
    for i in 0..2 {
        for j in 0..2 {
            expected.push((
                format!("w1[{},{}]", i + 1, j + 1),
                w1[i][j],
                delta1[i] * x[j],
            ));
        }
        expected.push((format!("b1[{}]", i + 1), b1[i], delta1[i]));
        expected.push((format!("w2[1,{}]", i + 1), w2[i], delta2 * a1[i]));
    }
    expected.push(("b2[1]".to_string(), b2, delta2));
    for (name, old, derivative) in expected {
        check(&format!("old {name}"), old);
        check(&format!("derivative {name}"), derivative);
        check(&format!("new {name}"), old - rate * derivative);
    }
}

#[test]
fn trace_of_the_last_example_of_an_epoch_ends_where_run_ends() {
    let sandbox = tiny();
    let first = numbers(
        &sandbox
            .run(&["trace", "experiments/tiny.toml", "--example", "1"])
            .expect_code(0)
            .stdout,
    );
    let output = sandbox
        .run(&["trace", "experiments/tiny.toml", "--example", "2"])
        .expect_code(0);
    assert!(
        output
            .stdout
            .contains("the network has the weights after the update of the batch before this one"),
        "{}",
        output.stdout
    );
    let second = numbers(&output.stdout);
    // The second example meets the weights the first one's update made.
    for name in ["w1[1,1]", "w1[2,2]", "b1[1]", "w2[1,2]", "b2[1]"] {
        assert!(close(second[name], first[&format!("new {name}")]), "{name}");
    }
    check_against_model(&sandbox, &second);
}

/// One epoch of `run` over the two examples ends with the weights of the
/// second example's update.
fn check_against_model(sandbox: &Sandbox, trace: &BTreeMap<String, f64>) {
    sandbox
        .run(&["run", "experiments/tiny.toml", "--quiet"])
        .expect_code(0);
    let model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(sandbox.run_dir("tiny").join("model.json")).expect("model.json"),
    )
    .expect("model.json is JSON");
    for (l, layer) in model["layers"]
        .as_array()
        .expect("an array")
        .iter()
        .enumerate()
    {
        for (i, row) in layer["weights"]
            .as_array()
            .expect("an array")
            .iter()
            .enumerate()
        {
            for (j, w) in row.as_array().expect("an array").iter().enumerate() {
                let name = format!("new w{}[{},{}]", l + 1, i + 1, j + 1);
                assert!(close(trace[&name], w.as_f64().expect("a number")), "{name}");
            }
        }
        for (i, b) in layer["biases"]
            .as_array()
            .expect("an array")
            .iter()
            .enumerate()
        {
            let name = format!("new b{}[{}]", l + 1, i + 1);
            assert!(close(trace[&name], b.as_f64().expect("a number")), "{name}");
        }
    }
}

#[test]
fn trace_of_the_founding_example_prints_every_number_of_its_small_network() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&["trace", "experiments/heart.toml"])
        .expect_code(0);
    let text = &output.stdout;
    for part in [
        "training example 1 of 700 in epoch 1's order",
        "INPUT x",
        "FORWARD",
        "Layer 2 (hidden): 8 sigmoid units, fed a1 (8 values)",
        "w2[8,8] = ",
        "OUTPUT ŷ = a3",
        "LOSS of this example (mse)",
        "BACKWARD",
        "δ1[8] = ",
        "UPDATE: each weight moves against its derivative",
        "    w3[1,8] ",
        "    b1[8] ",
    ] {
        assert!(text.contains(part), "missing `{part}`:\n{text}");
    }
    assert!(!text.contains("Frobenius"), "{text}");
}

#[test]
fn trace_with_mini_batches_says_the_update_uses_the_batch_mean() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&["trace", "experiments/spiral.toml", "--example", "20"])
        .expect_code(0);
    let text = &output.stdout;
    for part in [
        "batch 2 of 27 (16 examples)",
        "after the update of the batch before this one",
        "the update uses the mean of the derivatives over the 16 examples of this batch",
        "UPDATE by adam",
        "batch mean",
        "weights W2: 32 × 32, Frobenius norm",
    ] {
        assert!(text.contains(part), "missing `{part}`:\n{text}");
    }
    assert!(text.lines().count() < 300, "{} lines", text.lines().count());
}

#[test]
fn trace_rejects_an_example_beyond_the_training_split() {
    let sandbox = tiny();
    let output = sandbox
        .run(&["trace", "experiments/tiny.toml", "--example", "3"])
        .expect_code(2);
    assert!(
        output
            .stderr
            .contains("--example 3: the training split has 2 examples; choose one from 1 to 2"),
        "{}",
        output.stderr
    );
    sandbox
        .run(&["trace", "experiments/missing.toml"])
        .expect_code(2);
}
