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
    let mut new = BTreeMap::new();
    for (name, old, derivative) in expected {
        check(&format!("old {name}"), old);
        check(&format!("derivative {name}"), derivative);
        check(&format!("new {name}"), old - rate * derivative);
        new.insert(name, old - rate * derivative);
    }

    // After the update: the same example forward with the new weights.
    let a1: Vec<f64> = (0..2)
        .map(|i| {
            let (i1, j) = (i + 1, format!("w1[{}", i + 1));
            sigmoid(
                new[&format!("{j},1]")] * x[0]
                    + new[&format!("{j},2]")] * x[1]
                    + new[&format!("b1[{i1}]")],
            )
        })
        .collect();
    let after = sigmoid(new["w2[1,1]"] * a1[0] + new["w2[1,2]"] * a1[1] + new["b2[1]"]);
    let loss_after = (y - after) * (y - after);
    let line = output
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("loss "))
        .unwrap_or_else(|| panic!("no `loss … → …` line:\n{}", output.stdout));
    let (before_text, rest) = line
        .trim_start()
        .trim_start_matches("loss ")
        .split_once(" → ")
        .expect("loss before → after");
    let (after_text, verdict) = rest.split_once(": ").expect("a verdict");
    assert!(close(
        before_text.parse().expect("a number"),
        (y - output_value) * (y - output_value)
    ));
    assert!(
        close(after_text.parse().expect("a number"), loss_after),
        "trace says {after_text}, by hand {loss_after}"
    );
    assert!(loss_after < (y - output_value) * (y - output_value));
    assert_eq!(verdict, "this step lowered this example's loss");
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
            .contains("then the update of the batch before this one in epoch 1"),
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
        "Layer 2 (model.layers.1), hidden: 8 sigmoid units, fed a1 (8 values)",
        "Layer 3 (model.layers.2): ∂loss/∂ŷ = 2 × (ŷ − y) = 2 × (0.6998716939 − 1) = -0.6002566123 (in general, with k outputs: 2/k × (ŷ − y))",
        "(height_cm 164 = (164 − 171.5) / 9.112)",
        "AFTER THE UPDATE",
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
        "then the update of the batch before this one in epoch 1",
        "the batch's mean loss over its 16 examples: ",
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

#[test]
fn trace_names_the_allowed_epochs_when_asked_for_one_out_of_range() {
    let sandbox = tiny();
    for epoch in ["0", "2"] {
        let output = sandbox
            .run(&["trace", "experiments/tiny.toml", "--epoch", epoch])
            .expect_code(2);
        assert!(
            output.stderr.contains(&format!(
                "--epoch {epoch}: training.epochs is 1; choose an epoch from 1 to 1"
            )),
            "{}",
            output.stderr
        );
    }
}

#[test]
fn trace_shows_each_input_as_the_csv_row_holds_it() {
    // heart-disease reads a real CSV: the trace names the data row, and
    // each raw value it prints must be that row's cell (to the 4 significant
    // digits text::number shows), a one-hot input 1 exactly for the row's
    // category.
    let sandbox = Sandbox::new();
    let output = sandbox
        .run(&["trace", "experiments/heart-disease.toml", "--example", "9"])
        .expect_code(0);
    let text = &output.stdout;
    let row: usize = text
        .split_once("(data row ")
        .and_then(|(_, rest)| rest.split_once(')'))
        .and_then(|(row, _)| row.parse().ok())
        .unwrap_or_else(|| panic!("no data row:\n{text}"));
    let csv = sandbox.read("data/heart-disease-cleveland.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let cells: Vec<&str> = lines.nth(row - 1).expect("the row").split(',').collect();
    let cell = |name: &str| cells[header.iter().position(|h| *h == name).expect(name)];
    let mut compared = 0;
    for line in text.lines().filter(|l| l.trim_start().starts_with("x[")) {
        let note = line
            .split_once("   (")
            .map(|(_, note)| note)
            .unwrap_or_else(|| panic!("no raw value: {line}"));
        if let Some((input, rest)) = note.split_once(" → ") {
            let (column, category) = input.split_once('=').expect("column=category");
            let shown: f64 = rest
                .split(' ')
                .next()
                .expect("0 or 1")
                .parse()
                .expect("0 or 1");
            assert_eq!(shown, f64::from(cell(column) == category), "{line}");
        } else {
            let (column, rest) = note.split_once(' ').expect("column value");
            let shown: f64 = rest
                .split(' ')
                .next()
                .expect("a value")
                .parse()
                .expect("a number");
            let raw = match cell(column) {
                "TRUE" => 1.0,
                "FALSE" => 0.0,
                number => number.parse::<f64>().expect("a number"),
            };
            assert!(
                (shown - raw).abs() <= 5e-4 * raw.abs().max(1.0),
                "{line}: the CSV says {raw}"
            );
        }
        compared += 1;
    }
    assert_eq!(compared, 23, "{text}");
}
