//! `synapse trace`'s numbers as text for a terminal: the introduction, then
//! forward, loss, backward, the update and what it did to this example's
//! loss, each number named as the textbook names it (z1[2], δ2[1], w1[1,3])
//! so that a learner can redo the arithmetic by hand. Layers are numbered
//! from 1 as the textbook does, with the config's path beside (`Layer 1
//! (model.layers.0)`), since errors and `--set` count from 0. Small layers
//! are printed in full, large ones summarised.

use std::fmt::Write as _;

use nalgebra::{DMatrix, DVector};

use super::steps::{LayerTrace, RawInput, Trace};
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
    after_section(&mut out, trace);
    out
}

/// `Layer 2 (model.layers.1)`: the textbook's number and the config's path.
fn layer_name(index: usize) -> String {
    format!("Layer {} (model.layers.{index})", index + 1)
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
        "  training example {} of {} in epoch {}'s order (data row {}); batch {} of {} ({})",
        trace.example,
        trace.examples,
        trace.epoch,
        trace.row,
        trace.batch,
        trace.batches,
        text::plural(trace.batch_len, "example", "examples")
    );
    let start = if trace.epoch == 1 {
        format!(
            "the initial weights (init = \"{}\", seed {})",
            trace.init.name(),
            trace.seed
        )
    } else {
        format!(
            "the weights training reached after epoch {} (trained as `run` trains)",
            trace.epoch - 1
        )
    };
    let weights_are = match trace.batch - 1 {
        0 => start,
        1 => format!(
            "{start}, then the update of the batch before this one in epoch {}",
            trace.epoch
        ),
        n => format!(
            "{start}, then the {n} updates of the batches before this one in epoch {}",
            trace.epoch
        ),
    };
    let _ = writeln!(out, "  the network has {weights_are}");
    let mut settings = format!(
        "  learning_rate {} (epoch {}), loss {}, optimizer {}",
        f(trace.learning_rate),
        trace.epoch,
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
    let names: Vec<String> = trace
        .input_names
        .iter()
        .zip(&trace.raw_inputs)
        .map(|(name, raw)| format!("({})", raw_value(name, raw, trace.normalize)))
        .collect();
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

/// How input `name` became x, with the numbers used, each through
/// `text::number`: `height_cm 164.2 = (164.2 − 175.2) / 9.6` (standard:
/// the mean and the standard deviation), `height_cm 164.2 = (164.2 − 150) /
/// (190 − 150)` (min-max: the minimum and the maximum), `height_cm` as is
/// (none); a one-hot input `colour=red → 1`, then its normalization.
fn raw_value(name: &str, raw: &RawInput, normalize: config::Normalize) -> String {
    let n = text::number;
    let value = if raw.one_hot {
        format!("{name} → {}", n(raw.raw))
    } else {
        format!("{name} {}", n(raw.raw))
    };
    // `(2.3 + 0.0125)` rather than `(2.3 − -0.0125)`.
    let minus = |v: f64| {
        if v < 0.0 {
            format!("+ {}", n(-v))
        } else {
            format!("− {}", n(v))
        }
    };
    match normalize {
        config::Normalize::None => value,
        config::Normalize::Standard => format!(
            "{value} = ({} {}) / {}",
            n(raw.raw),
            minus(raw.shift),
            n(raw.scale)
        ),
        config::Normalize::MinMax => format!(
            "{value} = ({} {}) / ({} {})",
            n(raw.raw),
            minus(raw.shift),
            n(raw.shift + raw.scale),
            minus(raw.shift)
        ),
    }
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
            "{}, {}: {units} {f_name} unit{}, fed {fed} ({})",
            layer_name(index),
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
                "{}, then through the softmax: δ{l} = ŷ ⊙ (∂loss/∂ŷ − ∂loss/∂ŷ · ŷ)",
                mse_slope(trace, f)
            ),
            (true, Loss::Mse, _) => {
                format!("{}; δ{l} = ∂loss/∂ŷ × {f_name}′(z{l})", mse_slope(trace, f))
            }
            (true, Loss::BinaryCrossEntropy, _) => format!(
                "δ{l} = ŷ − y{}: of −[y ln ŷ + (1 − y) ln(1 − ŷ)], ∂loss/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ)), and {f_name}′(z{l}) = ŷ(1 − ŷ) cancels its denominator",
                difference(trace, f)
            ),
            (true, Loss::CrossEntropy, _) => format!(
                "δ{l} = ŷ − y, with y one-hot{}: of −Σ y ln ŷ, ∂loss/∂ŷ[i] = −y[i] / ŷ[i], and through the {f_name} (∂ŷ[i]/∂z[j] = ŷ[i](1[i = j] − ŷ[j])) it becomes ŷ − y",
                difference(trace, f)
            ),
            (false, _, _) => format!(
                "∂loss/∂a{l} = W{}ᵀ · δ{} (what each unit's output sent up is responsible for); δ{l} = ∂loss/∂a{l} × {f_name}′(z{l})",
                l + 1,
                l + 1
            ),
        };
        let _ = writeln!(out, "{}: {rule}", layer_name(index));
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
            "{}: ∂loss/∂w{l}[i,j] = δ{l}[i] × {}[j], ∂loss/∂b{l}[i] = δ{l}[i]",
            layer_name(index),
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

/// ∂loss/∂ŷ of the mean squared error, as a learner first meets it: for one
/// output `2 × (ŷ − y)` with the numbers in, and the general form for k
/// outputs beside it (the loss is the mean over the outputs, hence 2/k).
fn mse_slope(trace: &Trace, f: impl Fn(f64) -> String) -> String {
    let (yhat, y) = output_and_target(trace);
    match (yhat, y) {
        ([yhat], [y]) => format!(
            "∂loss/∂ŷ = 2 × (ŷ − y) = 2 × ({} − {}) = {} (in general, with k outputs: 2/k × (ŷ − y))",
            f(*yhat),
            f(*y),
            f(2.0 * (yhat - y))
        ),
        _ => format!(
            "∂loss/∂ŷ = 2/k × (ŷ − y) with k = {} outputs (the loss is their mean; with one output, 2 × (ŷ − y))",
            yhat.len()
        ),
    }
}

/// ` = 0.73 − 1 = -0.27` for one output; nothing for several, whose values
/// follow one per line.
fn difference(trace: &Trace, f: impl Fn(f64) -> String) -> String {
    match output_and_target(trace) {
        ([yhat], [y]) => format!(" = {} − {} = {}", f(*yhat), f(*y), f(yhat - y)),
        _ => String::new(),
    }
}

fn output_and_target(trace: &Trace) -> (&[f64], &[f64]) {
    let output = trace
        .layers
        .last()
        .map_or(&[][..], |layer| layer.activations.as_slice());
    (output, &trace.target)
}

/// After the update, the example forward again with the new weights: did
/// the step do what it was for? With a batch, its mean loss too, since the
/// step followed the batch's mean derivative, not this example's.
fn after_section(out: &mut String, trace: &Trace) {
    let f = |x: f64| number(x, trace.precision);
    let last = trace.layers.len();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "AFTER THE UPDATE: this example forward again, with the new weights"
    );
    let before = &trace.layers[last - 1].activations;
    let rows: Vec<Vec<String>> = trace
        .output_after
        .iter()
        .enumerate()
        .map(|(k, &v)| {
            vec![
                format!("ŷ[{}] = {}", k + 1, f(v)),
                format!("(was {})", f(before[k])),
            ]
        })
        .collect();
    if rows.len() > SMALL {
        let vector = DVector::from_column_slice(&trace.output_after);
        vector_summary(out, "ŷ", "ŷ", &vector, f);
    } else {
        grid(out, &rows, 2);
    }
    let (old, new) = (trace.loss_value, trace.loss_after);
    let batch_lowered = trace.batch_loss.map(|(b, a)| a < b);
    let verdict = if new < old {
        "this step lowered this example's loss".to_string()
    } else if new == old {
        "this step left this example's loss as it was".to_string()
    } else if batch_lowered == Some(true) {
        "this step raised this example's loss: the batch's other examples pulled the weights another way".to_string()
    } else if batch_lowered == Some(false) {
        "this step raised this example's loss, and the batch's mean loss too: the step overshot, the learning rate is too large for this batch".to_string()
    } else if matches!(trace.optimizer, config::Optimizer::Sgd) && trace.l2 == 0.0 {
        "this step raised this example's loss: the step overshot, the learning rate is too large for this example".to_string()
    } else {
        format!(
            "this step raised this example's loss: it overshot, or {} moved the weights another way than this example's derivative",
            match trace.optimizer {
                config::Optimizer::Sgd => "weight decay (l2)",
                config::Optimizer::Momentum { .. } => "the velocity of earlier steps (momentum)",
                config::Optimizer::Adam { .. } => "adam's running means of earlier steps",
            }
        )
    };
    let _ = writeln!(out, "    loss {} → {}: {verdict}", f(old), f(new));
    if let Some((before, after)) = trace.batch_loss {
        let _ = writeln!(
            out,
            "    the batch's mean loss over its {} examples: {} → {}, {}",
            trace.batch_len,
            f(before),
            f(after),
            if after < before {
                "lowered"
            } else if after == before {
                "unchanged"
            } else {
                "raised"
            }
        );
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
