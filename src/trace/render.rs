//! `synapse trace`'s numbers as text for a terminal: the introduction, then
//! forward, loss, backward and the update, each number named as the
//! textbook names it (z1[2], δ2[1], w1[1,3]) so that a learner can redo the
//! arithmetic by hand. Small layers are printed in full, large ones
//! summarised.

use std::fmt::Write as _;

use nalgebra::{DMatrix, DVector};

use super::steps::{LayerTrace, Trace};
use crate::config::{self, Activation, Loss, Precision, Task};
use crate::text;

/// Layers of at most this many weights are printed in full; larger ones
/// are summarised, their vectors (biases, sums, activations, δ) included.
const SMALL: usize = 64;
/// Entries shown of a summarised matrix or vector.
const FIRST: usize = 4;
/// Significant digits of an f64 on screen: enough to redo the arithmetic by
/// hand, few enough to read.
const DIGITS: usize = 10;

/// The trace as text for a terminal.
pub fn render(trace: &Trace) -> String {
    let mut out = String::new();
    introduction(&mut out, trace);
    forward_section(&mut out, trace);
    backward_section(&mut out, trace);
    update_section(&mut out, trace);
    out
}

fn introduction(out: &mut String, trace: &Trace) {
    let f = |x: f64| number(x, trace.precision);
    let _ = writeln!(
        out,
        "trace of `{}`: one training step, with this run's real numbers",
        trace.experiment
    );
    let _ = writeln!(
        out,
        "  training example {} of {} in epoch 1's order (data row {}); batch {} of {} ({})",
        trace.example,
        trace.examples,
        trace.row,
        trace.batch,
        trace.batches,
        text::plural(trace.batch_len, "example", "examples")
    );
    let weights_are = if trace.batch == 1 {
        format!(
            "the initial weights (init = \"{}\", seed {})",
            trace.init.name(),
            trace.seed
        )
    } else {
        match trace.batch - 1 {
            1 => "the weights after the update of the batch before this one".to_string(),
            n => format!("the weights after the {n} updates of the batches before this one"),
        }
    };
    let _ = writeln!(out, "  the network has {weights_are}");
    let mut settings = format!(
        "  learning_rate {} (epoch 1), loss {}, optimizer {}",
        f(trace.learning_rate),
        trace.loss.name(),
        trace.optimizer.name()
    );
    if trace.l2 > 0.0 {
        settings.push_str(&format!(", l2 {}", f(trace.l2)));
    }
    settings.push_str(match trace.precision {
        Precision::F64 => ", precision f64 (numbers shown to 10 significant digits)",
        // The example's numbers come from the textbook path, which computes
        // in f64: shown to f32's digits, they may differ from the run's own
        // f32 arithmetic in the last digit.
        Precision::F32 => {
            ", precision f32 (this example's numbers computed in f64 and shown as f32; the update is the run's own)"
        }
    });
    let _ = writeln!(out, "{settings}");
    if trace.epochs == 0 {
        let _ = writeln!(out, "  (epochs = 0: the run itself never takes this step)");
    }

    let _ = writeln!(out);
    let how = match trace.normalize {
        config::Normalize::None => "as in the data (normalize = \"none\")",
        config::Normalize::Standard => {
            "normalized: (value − mean) / standard deviation, of the training split"
        }
        config::Normalize::MinMax => {
            "normalized: (value − min) / (max − min), of the training split"
        }
    };
    let _ = writeln!(out, "INPUT x, {how}");
    let names: Vec<String> = trace.input_names.iter().map(|n| format!("({n})")).collect();
    labelled(out, "x", &trace.input, &names, f);
    let meaning = match trace.task {
        Task::Binary => "1 for the positive class, 0 for the other",
        Task::Multiclass => "one-hot: 1 for its class",
        Task::Regression => "normalized like an input",
    };
    let _ = writeln!(
        out,
        "TARGET y: `{}` is {} ({meaning})",
        trace.target_name, trace.raw_target
    );
    let names: Vec<String> = match trace.task {
        Task::Multiclass => trace
            .output_names
            .iter()
            .map(|n| format!("({n})"))
            .collect(),
        _ => Vec::new(),
    };
    labelled(out, "y", &trace.target, &names, f);
}

fn forward_section(out: &mut String, trace: &Trace) {
    let f = |x: f64| number(x, trace.precision);
    let last = trace.layers.len();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "FORWARD: each layer multiplies what it is fed by its weights and adds its biases, the weighted sums z = W·a + b, then applies its activation, a = f(z)"
    );
    for (index, layer) in trace.layers.iter().enumerate() {
        let l = index + 1;
        let fed = fed_name(l);
        let (units, inputs) = layer.weights.shape();
        let f_name = layer.activation.name();
        let _ = writeln!(
            out,
            "Layer {l} ({}): {units} {f_name} unit{}, fed {fed} ({})",
            if l == last { "output" } else { "hidden" },
            if units == 1 { "" } else { "s" },
            text::plural(inputs, "value", "values"),
        );
        let small = in_full(layer);
        if small {
            let _ = writeln!(
                out,
                "  weights w{l}[i,j] into unit i from {fed}[j], and biases b{l}[i]:"
            );
            let rows: Vec<Vec<String>> = (0..units)
                .map(|i| {
                    (0..inputs)
                        .map(|j| {
                            format!("w{l}[{},{}] = {}", i + 1, j + 1, f(layer.weights[(i, j)]))
                        })
                        .chain([format!("b{l}[{}] = {}", i + 1, f(layer.biases[i]))])
                        .collect()
                })
                .collect();
            grid(out, &rows, 4);
        } else {
            matrix_summary(
                out,
                &format!("weights W{l}"),
                &format!("w{l}"),
                &layer.weights,
                f,
            );
            vector_summary(
                out,
                &format!("biases b{l}"),
                &format!("b{l}"),
                &layer.biases,
                f,
            );
        }
        if small {
            let rows: Vec<Vec<String>> = (0..units)
                .map(|i| {
                    let u = i + 1;
                    vec![
                        format!(
                            "z{l}[{u}] = w{l}[{u},·]·{fed} + b{l}[{u}] = {}",
                            f(layer.weighted_sums[i])
                        ),
                        format!(
                            "a{l}[{u}] = {f_name}(z{l}[{u}]) = {}",
                            f(layer.activations[i])
                        ),
                    ]
                })
                .collect();
            grid(out, &rows, 2);
        } else {
            vector_summary(
                out,
                &format!("weighted sums z{l} = W{l}·{fed} + b{l}"),
                &format!("z{l}"),
                &layer.weighted_sums,
                f,
            );
            vector_summary(
                out,
                &format!("activations a{l} = {f_name}(z{l})"),
                &format!("a{l}"),
                &layer.activations,
                f,
            );
        }
    }
    let output = &trace.layers[last - 1].activations;
    let _ = writeln!(out, "OUTPUT ŷ = a{last}");
    let names: Vec<String> = match trace.task {
        Task::Multiclass => trace
            .output_names
            .iter()
            .map(|n| format!("(probability of {n})"))
            .collect(),
        Task::Binary => vec!["(probability of the positive class)".to_string()],
        Task::Regression => Vec::new(),
    };
    labelled(out, "ŷ", output.as_slice(), &names, f);
    let formula = match trace.loss {
        Loss::Mse => "the mean over the outputs of (y − ŷ)²",
        Loss::BinaryCrossEntropy => "−[y ln ŷ + (1 − y) ln(1 − ŷ)]",
        Loss::CrossEntropy => "−ln ŷ of the true class",
    };
    let _ = writeln!(
        out,
        "LOSS of this example ({}): loss = {formula} = {}",
        trace.loss.name(),
        f(trace.loss_value)
    );
}

fn backward_section(out: &mut String, trace: &Trace) {
    let f = |x: f64| number(x, trace.precision);
    let last = trace.layers.len();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "BACKWARD: the derivative of the loss with respect to each weighted sum, δ = ∂loss/∂z, from the output back (the chain rule)"
    );
    for index in (0..last).rev() {
        let layer = &trace.layers[index];
        let l = index + 1;
        let f_name = layer.activation.name();
        let units = layer.deltas.len();
        let rule = match (l == last, trace.loss, layer.activation) {
            (true, Loss::Mse, Activation::Softmax) => format!(
                "∂loss/∂ŷ = 2/{units} × (ŷ − y), then through the softmax: δ{l} = ŷ ⊙ (∂loss/∂ŷ − ∂loss/∂ŷ · ŷ)"
            ),
            (true, Loss::Mse, _) => {
                format!("∂loss/∂ŷ = 2/{units} × (ŷ − y); δ{l} = ∂loss/∂ŷ × {f_name}′(z{l})")
            }
            (true, _, _) => {
                format!("δ{l} = ŷ − y (the {f_name}'s derivative cancels against the loss's)")
            }
            (false, _, _) => format!(
                "∂loss/∂a{l} = W{}ᵀ · δ{} (what each unit's output sent up is responsible for); δ{l} = ∂loss/∂a{l} × {f_name}′(z{l})",
                l + 1,
                l + 1
            ),
        };
        let _ = writeln!(out, "Layer {l}: {rule}");
        let show_chain = !(l == last && trace.loss != Loss::Mse);
        let elementwise = layer.activation != Activation::Softmax;
        let sent = if l == last {
            "∂loss/∂ŷ".to_string()
        } else {
            format!("∂loss/∂a{l}")
        };
        if in_full(layer) {
            let rows: Vec<Vec<String>> = (0..units)
                .map(|i| {
                    let u = i + 1;
                    let mut cells = Vec::new();
                    if show_chain {
                        cells.push(format!("{sent}[{u}] = {}", f(layer.output_derivatives[i])));
                        if elementwise {
                            let s = layer.slopes[i];
                            cells.push(format!("{f_name}′(z{l}[{u}]) = {}", f(s)));
                        }
                    }
                    cells.push(format!("δ{l}[{u}] = {}", f(layer.deltas[i])));
                    cells
                })
                .collect();
            grid(out, &rows, 3);
        } else {
            if show_chain {
                vector_summary(out, &sent, &sent, &layer.output_derivatives, f);
            }
            vector_summary(out, &format!("δ{l}"), &format!("δ{l}"), &layer.deltas, f);
        }
    }
}

fn update_section(out: &mut String, trace: &Trace) {
    let f = |x: f64| number(x, trace.precision);
    let sgd = matches!(trace.optimizer, config::Optimizer::Sgd);
    let lr = f(trace.learning_rate);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "DERIVATIVES: ∂loss/∂w[i,j] = δ[i] × the value w[i,j] multiplies (x[j] or a[j] of the layer below); ∂loss/∂b[i] = δ[i]"
    );
    match trace.optimizer {
        config::Optimizer::Sgd => {
            let _ = writeln!(
                out,
                "UPDATE: each weight moves against its derivative, new_weight = old_weight − learning_rate × derivative = old_weight − {lr} × derivative"
            );
        }
        config::Optimizer::Momentum { momentum } => {
            let _ = writeln!(
                out,
                "UPDATE by momentum: a velocity v ← {} × v + derivative, and new_weight = old_weight − learning_rate × v; the step column is the actual learning_rate × v",
                f(momentum)
            );
        }
        config::Optimizer::Adam {
            beta1,
            beta2,
            epsilon,
        } => {
            let _ = writeln!(
                out,
                "UPDATE by adam: m and v are running means of the derivative (β1 = {}) and of its square (β2 = {}), and new_weight = old_weight − learning_rate × m̂ / (√v̂ + {}); the step column is that actual change",
                f(beta1),
                f(beta2),
                f(epsilon)
            );
        }
    }
    let batch = trace.batch_len > 1;
    let decay = trace.l2 > 0.0;
    let used = match (batch, decay) {
        (true, true) => Some("batch mean + l2·w"),
        (true, false) => Some("batch mean"),
        (false, true) => Some("∂loss/∂w + l2·w"),
        (false, false) => None,
    };
    if batch {
        let _ = writeln!(
            out,
            "  the update uses the mean of the derivatives over the {} examples of this batch, not this example's own",
            trace.batch_len
        );
    }
    if decay {
        let _ = writeln!(
            out,
            "  weight decay adds l2 × old_weight = {} × old_weight to each weight's derivative (not to biases)",
            f(trace.l2)
        );
    }
    let mut header = vec![
        "weight".to_string(),
        "old_weight".to_string(),
        "∂loss/∂w".to_string(),
    ];
    header.extend(used.map(str::to_string));
    if !sgd {
        header.push("step".to_string());
    }
    header.push("new_weight".to_string());

    for (index, layer) in trace.layers.iter().enumerate() {
        let l = index + 1;
        let (units, inputs) = layer.weights.shape();
        let row = |name: String, old: f64, own: f64, step_derivative: f64, new: f64| {
            let mut cells = vec![name, f(old), f(own)];
            if used.is_some() {
                cells.push(f(step_derivative));
            }
            if !sgd {
                cells.push(f(old - new));
            }
            cells.push(f(new));
            cells
        };
        let small = in_full(layer);
        // Row by row, as a reader scans the matrix; only as many as shown.
        let weight_rows = (0..units)
            .flat_map(|i| (0..inputs).map(move |j| (i, j)))
            .take(if small { layer.weights.len() } else { FIRST })
            .map(|(i, j)| {
                row(
                    format!("w{l}[{},{}]", i + 1, j + 1),
                    layer.weights[(i, j)],
                    layer.weight_derivatives[(i, j)],
                    layer.step_weight_derivatives[(i, j)],
                    layer.new_weights[(i, j)],
                )
            });
        let bias_rows = (0..units).take(if small { units } else { FIRST }).map(|i| {
            row(
                format!("b{l}[{}]", i + 1),
                layer.biases[i],
                layer.bias_derivatives[i],
                layer.step_bias_derivatives[i],
                layer.new_biases[i],
            )
        });
        let _ = writeln!(
            out,
            "Layer {l}: ∂loss/∂w{l}[i,j] = δ{l}[i] × {}[j], ∂loss/∂b{l}[i] = δ{l}[i]",
            fed_name(l)
        );
        if !small {
            matrix_summary(
                out,
                &format!("old weights W{l}"),
                &format!("w{l}"),
                &layer.weights,
                f,
            );
            matrix_summary(
                out,
                &format!("∂loss/∂W{l} = δ{l} · {}ᵀ", fed_name(l)),
                &format!("∂loss/∂w{l}"),
                &layer.weight_derivatives,
                f,
            );
            if let Some(used) = used {
                let title = match used {
                    "batch mean" => format!("batch mean of ∂loss/∂W{l}"),
                    "batch mean + l2·w" => format!("batch mean of ∂loss/∂W{l}, + l2·W{l}"),
                    _ => format!("∂loss/∂W{l} + l2·W{l}"),
                };
                matrix_summary(
                    out,
                    &title,
                    &format!("∂loss/∂w{l}"),
                    &layer.step_weight_derivatives,
                    f,
                );
            }
            matrix_summary(
                out,
                &format!("new weights W{l}"),
                &format!("w{l}"),
                &layer.new_weights,
                f,
            );
            let _ = writeln!(out, "  the first weights and biases:");
        }
        let rows: Vec<Vec<String>> = std::iter::once(header.clone())
            .chain(weight_rows)
            .chain(bias_rows)
            .collect();
        table(out, &rows);
    }
}

/// Whether every number of a layer is shown, or its matrices and vectors
/// are summarised.
fn in_full(layer: &LayerTrace) -> bool {
    layer.weights.len() <= SMALL && layer.weights.nrows() <= SMALL
}

fn fed_name(layer: usize) -> String {
    if layer == 1 {
        "x".to_string()
    } else {
        format!("a{}", layer - 1)
    }
}

/// A number as the run holds it: an f32 in full (its shortest form that
/// reads back as the same f32), an f64 to `DIGITS` significant digits.
fn number(x: f64, precision: Precision) -> String {
    match precision {
        Precision::F32 => text::exact_f32(x as f32),
        Precision::F64 => text::number_with(x, DIGITS),
    }
}

/// `name[k] = value` lines, with a note after each where there is one.
fn labelled(
    out: &mut String,
    name: &str,
    values: &[f64],
    notes: &[String],
    f: impl Fn(f64) -> String,
) {
    if values.len() > SMALL {
        let vector = DVector::from_column_slice(values);
        vector_summary(out, name, name, &vector, f);
        return;
    }
    let rows: Vec<Vec<String>> = values
        .iter()
        .enumerate()
        .map(|(k, &v)| {
            let mut cells = vec![format!("{name}[{}] = {}", k + 1, f(v))];
            cells.extend(notes.get(k).cloned());
            cells
        })
        .collect();
    grid(out, &rows, 2);
}

/// Rows of cells, each wrapped to `per_line` cells a line, in aligned columns.
fn grid(out: &mut String, rows: &[Vec<String>], per_line: usize) {
    let mut widths = vec![0; per_line];
    for row in rows {
        for (k, cell) in row.iter().enumerate() {
            widths[k % per_line] = widths[k % per_line].max(cell.chars().count());
        }
    }
    for row in rows {
        for (line, chunk) in row.chunks(per_line).enumerate() {
            let mut text = String::from(if line == 0 { "    " } else { "      " });
            for (k, cell) in chunk.iter().enumerate() {
                if k + 1 == chunk.len() {
                    text.push_str(cell);
                } else {
                    let pad = widths[k].saturating_sub(cell.chars().count());
                    text.push_str(cell);
                    text.push_str(&" ".repeat(pad + 3));
                }
            }
            let _ = writeln!(out, "{}", text.trim_end());
        }
    }
}

/// A table: the first column left-aligned, the others (numbers) right-aligned.
fn table(out: &mut String, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (k, cell) in row.iter().enumerate() {
            widths[k] = widths[k].max(cell.chars().count());
        }
    }
    for row in rows {
        let mut text = String::from("    ");
        for (k, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[k].saturating_sub(cell.chars().count()));
            if k == 0 {
                text.push_str(cell);
                text.push_str(&pad);
            } else {
                text.push_str("   ");
                text.push_str(&pad);
                text.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    }
}

/// Shape, Frobenius norm, extremes and the first entries, row by row.
fn matrix_summary(
    out: &mut String,
    title: &str,
    entry: &str,
    m: &DMatrix<f64>,
    f: impl Fn(f64) -> String,
) {
    let (rows, columns) = m.shape();
    let (min, max) = min_max(m.iter());
    let first: Vec<String> = (0..rows)
        .flat_map(|i| (0..columns).map(move |j| (i, j)))
        .take(FIRST)
        .map(|(i, j)| format!("{entry}[{},{}] = {}", i + 1, j + 1, f(m[(i, j)])))
        .collect();
    let _ = writeln!(
        out,
        "    {title}: {rows} × {columns}, Frobenius norm {}, min {}, max {}; {}, …",
        f(m.norm()),
        f(min),
        f(max),
        first.join(", ")
    );
}

fn vector_summary(
    out: &mut String,
    title: &str,
    entry: &str,
    v: &DVector<f64>,
    f: impl Fn(f64) -> String,
) {
    let (min, max) = min_max(v.iter());
    let first: Vec<String> = v
        .iter()
        .take(FIRST)
        .enumerate()
        .map(|(i, &x)| format!("{entry}[{}] = {}", i + 1, f(x)))
        .collect();
    let more = if v.len() > FIRST { ", …" } else { "" };
    let _ = writeln!(
        out,
        "    {title}: {}, norm {}, min {}, max {}; {}{more}",
        text::plural(v.len(), "value", "values"),
        f(v.norm()),
        f(min),
        f(max),
        first.join(", ")
    );
}

fn min_max<'a>(values: impl Iterator<Item = &'a f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
        (lo.min(x), hi.max(x))
    })
}
