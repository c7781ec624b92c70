//! `synapse trace`: one training example walked through one training step,
//! as the textbook tells it, with the real numbers of this run.
//!
//! The step is the one `run` takes: the same initial network, epoch 1's
//! shuffled order, the same batch, learning rate and optimizer. When the
//! example's batch is not the first, the batches before it are trained on
//! first, so the weights shown are the ones the example really meets.
//!
//! `build` computes everything into a `Trace`; `render` turns it into text.

use std::fmt::Write as _;

use nalgebra::{DMatrix, DVector};

use crate::cli::TraceArgs;
use crate::commands::{experiment, predict};
use crate::config::{self, Activation, Config, Loss, Precision, Task};
use crate::data::PreparedData;
use crate::error::Error;
use crate::nn::gradcheck::backpropagate;
use crate::nn::{Float, Gradients, Network, Optimizer, Workspace};
use crate::rng::{self, Stream};
use crate::schedule;
use crate::train;

pub fn trace(args: &TraceArgs) -> Result<(), Error> {
    let (config, data) = experiment::load(&args.file, &args.set)?;
    let trace = match config.training.precision {
        Precision::F64 => build::<f64>(&config, &data, args.example)?,
        Precision::F32 => build::<f32>(&config, &data, args.example)?,
    };
    predict::write_stdout(render(&trace).as_bytes())
}

/// One training step seen from one example. Numbers are kept in f64; an
/// f32 run's values are exactly representable there, and `precision` says
/// how to print them.
#[derive(Debug, Clone)]
pub struct Trace {
    pub experiment: String,
    pub seed: u64,
    pub init: config::Init,
    pub precision: Precision,
    /// 1-based position of the example in epoch 1's order.
    pub example: usize,
    pub examples: usize,
    /// The example's data row (1-based, after the header).
    pub row: usize,
    /// 1-based batch of epoch 1, and how many there are.
    pub batch: usize,
    pub batches: usize,
    /// Examples in this batch.
    pub batch_len: usize,
    pub epochs: usize,
    pub learning_rate: f64,
    pub loss: Loss,
    pub optimizer: config::Optimizer,
    pub l2: f64,
    pub task: Task,
    pub input_names: Vec<String>,
    pub normalize: config::Normalize,
    /// x: the example's (normalized) input.
    pub input: Vec<f64>,
    pub target_name: String,
    /// The target as written in the data.
    pub raw_target: String,
    /// y: the target as the network sees it (0/1, one-hot, normalized value).
    pub target: Vec<f64>,
    /// Names of the outputs: the classes (multiclass), else the target.
    pub output_names: Vec<String>,
    pub layers: Vec<LayerTrace>,
    /// The loss of this example.
    pub loss_value: f64,
}

#[derive(Debug, Clone)]
pub struct LayerTrace {
    pub activation: Activation,
    /// Before the update: units × inputs, row i holds the weights into unit i.
    pub weights: DMatrix<f64>,
    pub biases: DVector<f64>,
    /// z = W·a + b, for this example.
    pub weighted_sums: DVector<f64>,
    /// a = activation(z).
    pub activations: DVector<f64>,
    /// ∂loss/∂a: what the layer above (or the loss) sends back.
    pub output_derivatives: DVector<f64>,
    /// δ = ∂loss/∂z, for this example.
    pub deltas: DVector<f64>,
    /// ∂loss/∂w and ∂loss/∂b of this example.
    pub weight_derivatives: DMatrix<f64>,
    pub bias_derivatives: DVector<f64>,
    /// The derivatives the update used: the batch mean, plus l2 × weight.
    pub step_weight_derivatives: DMatrix<f64>,
    pub step_bias_derivatives: DVector<f64>,
    pub new_weights: DMatrix<f64>,
    pub new_biases: DVector<f64>,
}

/// Traces training example `example` (1-based, in epoch 1's order).
pub fn build<T: Float>(
    config: &Config,
    data: &PreparedData,
    example: usize,
) -> Result<Trace, Error> {
    let t = &config.training;
    let train = &data.train;
    if example == 0 || example > train.len() {
        return Err(Error::Usage(format!(
            "--example {example}: the training split has {} examples; choose one from 1 to {}",
            train.len(),
            train.len()
        )));
    }
    // Exactly as `train::train` sets up epoch 1.
    let mut network = train::initial_network::<T>(config, data);
    let batch_size = t.batch_size.min(train.len()).max(1);
    let mut order: Vec<usize> = (0..train.len()).collect();
    if t.shuffle {
        rng::stream(config.experiment.seed, Stream::Shuffle).shuffle(&mut order);
    }
    let learning_rate = schedule::learning_rate(t.schedule, t.learning_rate, 1, t.epochs);
    let mut optimizer = Optimizer::new(t.optimizer, t.l2, &network);
    let mut ws = Workspace::new(&network, batch_size);
    let mut gradients = Gradients::zeros_like(&network);

    let position = example - 1;
    let batch = position / batch_size;
    let mut batches = order.chunks(batch_size);
    for columns in batches.by_ref().take(batch) {
        ws.load_batch(&train.inputs, &train.targets, columns);
        backpropagate(&network, &mut ws, t.loss, columns.len(), &mut gradients);
        optimizer.step(&mut network, &mut gradients, learning_rate);
    }
    let columns = batches.next().unwrap_or_default();
    let column = order[position];

    // This example alone: its own loss and derivatives.
    let mut single = Workspace::new(&network, 1);
    single.load_batch(&train.inputs, &train.targets, &[column]);
    let mut own = Gradients::zeros_like(&network);
    backpropagate(&network, &mut single, t.loss, 1, &mut own);

    // The whole batch: the mean derivative the update uses.
    let n = columns.len();
    ws.load_batch(&train.inputs, &train.targets, columns);
    backpropagate(&network, &mut ws, t.loss, n, &mut gradients);
    let before = network.clone();
    optimizer.step(&mut network, &mut gradients, learning_rate);

    let vector =
        |values: &[T]| DVector::from_iterator(values.len(), values.iter().map(|v| v.as_f64()));
    let matrix = |m: &DMatrix<T>| m.map(|v| v.as_f64());
    let mut layers = Vec::with_capacity(before.layers.len());
    for (l, layer) in before.layers.iter().enumerate() {
        let units = layer.units();
        layers.push(LayerTrace {
            activation: layer.activation,
            weights: matrix(&layer.weights),
            biases: vector(layer.biases.as_slice()),
            weighted_sums: vector(&single.weighted_sums[l].as_slice()[..units]),
            activations: vector(&single.outputs[l].as_slice()[..units]),
            output_derivatives: DVector::zeros(units),
            deltas: vector(&single.derivatives[l].as_slice()[..units]),
            weight_derivatives: matrix(&own.weights[l]),
            bias_derivatives: vector(own.biases[l].as_slice()),
            step_weight_derivatives: matrix(&gradients.weights[l]),
            step_bias_derivatives: vector(gradients.biases[l].as_slice()),
            new_weights: matrix(&network.layers[l].weights),
            new_biases: vector(network.layers[l].biases.as_slice()),
        });
    }
    let input: Vec<f64> = train.inputs.column(column).iter().copied().collect();
    let target: Vec<f64> = single.target.column(0).iter().map(|v| v.as_f64()).collect();
    explain_derivatives(&mut layers, &target, t.loss);

    Ok(Trace {
        experiment: config.experiment.name.clone(),
        seed: config.experiment.seed,
        init: config.model.init,
        precision: t.precision,
        example,
        examples: train.len(),
        row: train.rows.get(column).copied().unwrap_or(column + 1),
        batch: batch + 1,
        batches: train.len().div_ceil(batch_size),
        batch_len: n,
        epochs: t.epochs,
        learning_rate,
        loss: t.loss,
        optimizer: t.optimizer,
        l2: t.l2,
        task: data.task,
        input_names: data.inputs.clone(),
        normalize: config.data.normalize,
        input,
        target_name: data.target.clone(),
        raw_target: train.raw_targets.get(column).cloned().unwrap_or_default(),
        target,
        output_names: match data.task {
            Task::Multiclass => data.classes.clone(),
            _ => vec![data.target.clone()],
        },
        layers,
        loss_value: single.losses[0].as_f64(),
    })
}

/// ∂loss/∂a of each layer, for the chain rule δ = ∂loss/∂a × f′(z): from
/// the loss at the output, then Wᵀ·δ of the layer above.
fn explain_derivatives(layers: &mut [LayerTrace], target: &[f64], loss: Loss) {
    let Some(last) = layers.len().checked_sub(1) else {
        return;
    };
    let output = &layers[last].activations;
    let units = output.len() as f64;
    layers[last].output_derivatives = match loss {
        Loss::Mse => DVector::from_iterator(
            output.len(),
            output
                .iter()
                .zip(target)
                .map(|(a, y)| 2.0 / units * (a - y)),
        ),
        // Cross-entropies skip the activation: δ = ŷ − y directly.
        Loss::BinaryCrossEntropy | Loss::CrossEntropy => layers[last].deltas.clone(),
    };
    for l in (0..last).rev() {
        let sent = layers[l + 1].weights.transpose() * &layers[l + 1].deltas;
        layers[l].output_derivatives = sent;
    }
}

/// f′(z) of an elementwise activation, from z and a = f(z).
fn slope(activation: Activation, z: f64, a: f64) -> Option<f64> {
    Some(match activation {
        Activation::Identity => 1.0,
        Activation::Sigmoid => a * (1.0 - a),
        Activation::Tanh => 1.0 - a * a,
        Activation::Relu => f64::from(z > 0.0),
        Activation::LeakyRelu => {
            if z > 0.0 {
                1.0
            } else {
                crate::nn::activation::LEAKY_SLOPE
            }
        }
        Activation::Softmax => return None,
    })
}

/// Layers of at most this many weights are printed in full.
const SMALL: usize = 64;
/// Entries shown of a summarised matrix or vector.
const FIRST: usize = 4;

/// The trace as text for a terminal.
pub fn render(trace: &Trace) -> String {
    let mut out = String::new();
    let f = |x: f64| number(x, trace.precision);
    let last = trace.layers.len();
    let w = |l: usize| format!("w{l}");
    let _ = writeln!(
        out,
        "trace of `{}`: one training step, with this run's real numbers",
        trace.experiment
    );
    let _ = writeln!(
        out,
        "  training example {} of {} in epoch 1's order (data row {}); batch {} of {} ({} example{})",
        trace.example,
        trace.examples,
        trace.row,
        trace.batch,
        trace.batches,
        trace.batch_len,
        if trace.batch_len == 1 { "" } else { "s" }
    );
    let weights_are = if trace.batch == 1 {
        format!(
            "the initial weights (init = \"{}\", seed {})",
            init_name(trace.init),
            trace.seed
        )
    } else {
        format!(
            "the weights after the {} updates of the batches before this one",
            trace.batch - 1
        )
    };
    let _ = writeln!(out, "  the network has {weights_are}");
    let _ = writeln!(
        out,
        "  learning_rate {} (epoch 1), loss {}, optimizer {}{}, precision {}",
        trace.learning_rate,
        loss_name(trace.loss),
        optimizer_name(trace.optimizer),
        if trace.l2 > 0.0 {
            format!(", l2 {}", trace.l2)
        } else {
            String::new()
        },
        match trace.precision {
            Precision::F64 => "f64",
            Precision::F32 => "f32",
        }
    );
    if trace.epochs == 0 {
        let _ = writeln!(out, "  (epochs = 0: the run itself never takes this step)");
    }

    // Input and target.
    let _ = writeln!(out);
    let how = match trace.normalize {
        config::Normalize::None => "as in the data (normalize = \"none\")",
        config::Normalize::Standard => {
            "normalized: (value − mean) / standard deviation of the training split"
        }
        config::Normalize::MinMax => {
            "normalized: (value − min) / (max − min) of the training split"
        }
    };
    let _ = writeln!(out, "INPUT x, {how}");
    let labels: Vec<String> = (1..=trace.input.len()).map(|i| format!("x[{i}]")).collect();
    let names: Vec<String> = trace.input_names.iter().map(|n| format!("({n})")).collect();
    vector_lines(&mut out, &labels, &trace.input, Some(&names), f);
    let _ = writeln!(
        out,
        "TARGET y for `{}` = {}{}",
        trace.target_name,
        trace.raw_target,
        match trace.task {
            Task::Binary => " (1 for the positive class, 0 for the other)",
            Task::Multiclass => " (one-hot: 1 for its class)",
            Task::Regression => " (normalized like an input)",
        }
    );
    let labels: Vec<String> = (1..=trace.target.len())
        .map(|i| format!("y[{i}]"))
        .collect();
    let names: Vec<String> = if trace.task == Task::Multiclass {
        trace
            .output_names
            .iter()
            .map(|n| format!("({n})"))
            .collect()
    } else {
        Vec::new()
    };
    vector_lines(
        &mut out,
        &labels,
        &trace.target,
        Some(&names).filter(|n| !n.is_empty()),
        f,
    );

    // Forward.
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "FORWARD: each layer's weighted sums z = W·a + b of the values a it is fed, then its activations f(z)"
    );
    for (index, layer) in trace.layers.iter().enumerate() {
        let l = index + 1;
        let fed = if l == 1 {
            "x".to_string()
        } else {
            format!("a{}", l - 1)
        };
        let (units, inputs) = layer.weights.shape();
        let _ = writeln!(
            out,
            "Layer {l} ({}): {units} {} units, fed {fed} ({inputs} values)",
            if l == last { "output" } else { "hidden" },
            activation_name(layer.activation)
        );
        let small = layer.weights.len() <= SMALL;
        if small {
            for i in 0..units {
                let mut cells: Vec<String> = (0..inputs)
                    .map(|j| {
                        format!(
                            "{}[{},{}] = {}",
                            w(l),
                            i + 1,
                            j + 1,
                            f(layer.weights[(i, j)])
                        )
                    })
                    .collect();
                cells.push(format!("b{l}[{}] = {}", i + 1, f(layer.biases[i])));
                wrapped(&mut out, "    ", &cells, 4);
            }
        } else {
            matrix_summary(&mut out, &format!("W{l}"), &w(l), &layer.weights, f);
            vector_summary(&mut out, &format!("b{l}"), &layer.biases, f);
        }
        let f_name = activation_name(layer.activation);
        if small && units <= SMALL {
            for i in 0..units {
                let _ = writeln!(
                    out,
                    "    z{l}[{u}] = {}[{u},·]·{fed} + b{l}[{u}] = {}   a{l}[{u}] = {f_name}(z{l}[{u}]) = {}",
                    w(l),
                    f(layer.weighted_sums[i]),
                    f(layer.activations[i]),
                    u = i + 1,
                );
            }
        } else {
            vector_summary(
                &mut out,
                &format!("z{l} = W{l}·{fed} + b{l}"),
                &layer.weighted_sums,
                f,
            );
            vector_summary(
                &mut out,
                &format!("a{l} = {f_name}(z{l})"),
                &layer.activations,
                f,
            );
        }
    }
    let output = &trace.layers[last - 1].activations;
    let labels: Vec<String> = (1..=output.len()).map(|i| format!("ŷ[{i}]")).collect();
    let _ = writeln!(out, "OUTPUT ŷ = a{last}");
    let names: Vec<String> = if trace.task == Task::Multiclass {
        trace
            .output_names
            .iter()
            .map(|n| format!("(probability of {n})"))
            .collect()
    } else if trace.task == Task::Binary {
        vec!["(probability of the positive class)".to_string()]
    } else {
        Vec::new()
    };
    vector_lines(
        &mut out,
        &labels,
        output.as_slice(),
        Some(&names).filter(|n| !n.is_empty()),
        f,
    );
    let formula = match trace.loss {
        Loss::Mse => "the mean over the outputs of (y − ŷ)²",
        Loss::BinaryCrossEntropy => "−[y ln ŷ + (1 − y) ln(1 − ŷ)]",
        Loss::CrossEntropy => "−ln ŷ of the true class",
    };
    let _ = writeln!(
        out,
        "LOSS of this example ({}): loss = {formula} = {}",
        loss_name(trace.loss),
        f(trace.loss_value)
    );

    // Backward.
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "BACKWARD: the derivative of the loss with respect to each weighted sum, δ = ∂loss/∂z, from the output back; then ∂loss/∂w = δ × the value the weight multiplies, and ∂loss/∂b = δ"
    );
    for index in (0..last).rev() {
        let layer = &trace.layers[index];
        let l = index + 1;
        let fed = if l == 1 {
            "x".to_string()
        } else {
            format!("a{}", l - 1)
        };
        let fed_values: &[f64] = if l == 1 {
            &trace.input
        } else {
            trace.layers[index - 1].activations.as_slice()
        };
        let f_name = activation_name(layer.activation);
        let rule = if l == last {
            match (trace.loss, layer.activation) {
                (Loss::Mse, Activation::Softmax) => format!(
                    "∂loss/∂ŷ = 2/{} × (ŷ − y), then through the softmax: δ{l} = ŷ ⊙ (∂loss/∂ŷ − (∂loss/∂ŷ · ŷ))",
                    layer.activations.len()
                ),
                (Loss::Mse, _) => format!(
                    "∂loss/∂ŷ = 2/{} × (ŷ − y); δ{l} = ∂loss/∂ŷ × {f_name}′(z{l})",
                    layer.activations.len()
                ),
                _ => format!("δ{l} = ŷ − y (the {f_name}'s derivative cancels against the loss's)"),
            }
        } else {
            format!(
                "∂loss/∂a{l} = W{}ᵀ · δ{}; δ{l} = ∂loss/∂a{l} × {f_name}′(z{l})",
                l + 1,
                l + 1
            )
        };
        let _ = writeln!(out, "Layer {l}: {rule}");
        let units = layer.deltas.len();
        let elementwise = slope(layer.activation, 0.0, 0.0).is_some();
        let cross_entropy_output = l == last && trace.loss != Loss::Mse;
        if units <= SMALL && layer.weights.len() <= SMALL {
            for i in 0..units {
                let u = i + 1;
                let mut cells = Vec::new();
                if !cross_entropy_output {
                    let d = if l == last {
                        "∂loss/∂ŷ"
                    } else {
                        "∂loss/∂a"
                    };
                    let label = if l == last {
                        format!("{d}[{u}]")
                    } else {
                        format!("{d}{l}[{u}]")
                    };
                    cells.push(format!("{label} = {}", f(layer.output_derivatives[i])));
                    if elementwise {
                        let s = slope(
                            layer.activation,
                            layer.weighted_sums[i],
                            layer.activations[i],
                        )
                        .unwrap_or(f64::NAN);
                        cells.push(format!("{f_name}′(z{l}[{u}]) = {}", f(s)));
                    }
                }
                cells.push(format!("δ{l}[{u}] = {}", f(layer.deltas[i])));
                wrapped(&mut out, "    ", &cells, 4);
            }
            for i in 0..units {
                let mut cells: Vec<String> = (0..fed_values.len())
                    .map(|j| {
                        format!(
                            "∂loss/∂{}[{},{}] = δ{l}[{}] × {fed}[{}] = {}",
                            w(l),
                            i + 1,
                            j + 1,
                            i + 1,
                            j + 1,
                            f(layer.weight_derivatives[(i, j)])
                        )
                    })
                    .collect();
                cells.push(format!(
                    "∂loss/∂b{l}[{}] = {}",
                    i + 1,
                    f(layer.bias_derivatives[i])
                ));
                wrapped(&mut out, "    ", &cells, 2);
            }
        } else {
            if !cross_entropy_output {
                vector_summary(
                    &mut out,
                    &format!("∂loss/∂a{l}"),
                    &layer.output_derivatives,
                    f,
                );
            }
            vector_summary(&mut out, &format!("δ{l}"), &layer.deltas, f);
            matrix_summary(
                &mut out,
                &format!("∂loss/∂W{l} = δ{l} · {fed}ᵀ"),
                &format!("∂loss/∂{}", w(l)),
                &layer.weight_derivatives,
                f,
            );
            vector_summary(
                &mut out,
                &format!("∂loss/∂b{l} = δ{l}"),
                &layer.bias_derivatives,
                f,
            );
        }
    }

    // Update.
    let _ = writeln!(out);
    let sgd = matches!(trace.optimizer, config::Optimizer::Sgd);
    if sgd {
        let _ = writeln!(
            out,
            "UPDATE: each weight moves against its derivative, new_weight = old_weight − learning_rate × derivative, with learning_rate = {}",
            trace.learning_rate
        );
    } else {
        let _ = writeln!(
            out,
            "UPDATE: {}; shown as new_weight = old_weight − step, with the optimizer's actual step",
            match trace.optimizer {
                config::Optimizer::Momentum { momentum } => format!(
                    "momentum keeps a velocity v ← {momentum}·v + derivative and moves each weight by −learning_rate × v (learning_rate = {})",
                    trace.learning_rate
                ),
                config::Optimizer::Adam {
                    beta1,
                    beta2,
                    epsilon,
                } => format!(
                    "adam moves each weight by −learning_rate × m̂ / (√v̂ + {epsilon}), m and v running means of the derivative (β1 = {beta1}) and of its square (β2 = {beta2}), learning_rate = {}",
                    trace.learning_rate
                ),
                config::Optimizer::Sgd => String::new(),
            }
        );
    }
    if trace.batch_len > 1 {
        let _ = writeln!(
            out,
            "  the derivative is the mean over the {} examples of this batch, not this example's own",
            trace.batch_len
        );
    }
    if trace.l2 > 0.0 {
        let _ = writeln!(
            out,
            "  weight decay: the derivative of each weight (not bias) includes l2 × old_weight = {} × old_weight",
            trace.l2
        );
    }
    for (index, layer) in trace.layers.iter().enumerate() {
        let l = index + 1;
        let _ = writeln!(out, "Layer {l}");
        let line = |name: String, old: f64, derivative: f64, new: f64| {
            if sgd {
                format!(
                    "    {name} = {} − {} × {} = {}",
                    f(old),
                    trace.learning_rate,
                    f(derivative),
                    f(new)
                )
            } else {
                format!(
                    "    {name} = {} − {} = {}   (derivative {})",
                    f(old),
                    f(old - new),
                    f(new),
                    f(derivative)
                )
            }
        };
        let (units, inputs) = layer.weights.shape();
        // Row by row, as a reader scans the matrix; only as many as shown.
        let shown = if layer.weights.len() <= SMALL {
            layer.weights.len()
        } else {
            FIRST
        };
        let weight_lines = (0..units)
            .flat_map(|i| (0..inputs).map(move |j| (i, j)))
            .take(shown)
            .map(|(i, j)| {
                line(
                    format!("{}[{},{}]", w(l), i + 1, j + 1),
                    layer.weights[(i, j)],
                    layer.step_weight_derivatives[(i, j)],
                    layer.new_weights[(i, j)],
                )
            });
        let bias_line = |i: usize| {
            line(
                format!("b{l}[{}]", i + 1),
                layer.biases[i],
                layer.step_bias_derivatives[i],
                layer.new_biases[i],
            )
        };
        if layer.weights.len() <= SMALL {
            for text in weight_lines.chain((0..units).map(bias_line)) {
                let _ = writeln!(out, "{text}");
            }
        } else {
            matrix_summary(&mut out, &format!("old W{l}"), &w(l), &layer.weights, f);
            matrix_summary(
                &mut out,
                &format!("derivative ∂loss/∂W{l}"),
                &format!("∂loss/∂{}", w(l)),
                &layer.step_weight_derivatives,
                f,
            );
            matrix_summary(&mut out, &format!("new W{l}"), &w(l), &layer.new_weights, f);
            let _ = writeln!(out, "    the first weights:");
            for text in weight_lines {
                let _ = writeln!(out, "{text}");
            }
            if units <= SMALL {
                for text in (0..units).map(bias_line) {
                    let _ = writeln!(out, "{text}");
                }
            } else {
                vector_summary(&mut out, &format!("new b{l}"), &layer.new_biases, f);
            }
        }
    }
    out
}

/// A number as the run holds it, in the shortest form that reads back as
/// the same value.
fn number(x: f64, precision: Precision) -> String {
    match precision {
        Precision::F64 => format!("{x:?}"),
        Precision::F32 => format!("{:?}", x as f32),
    }
}

/// `label = value` lines, with an optional note after each.
fn vector_lines(
    out: &mut String,
    labels: &[String],
    values: &[f64],
    notes: Option<&Vec<String>>,
    f: impl Fn(f64) -> String,
) {
    if values.len() > SMALL {
        let vector = DVector::from_column_slice(values);
        let name = labels
            .first()
            .and_then(|l| l.split('[').next())
            .unwrap_or("");
        vector_summary(out, name, &vector, f);
        return;
    }
    let cells: Vec<String> = labels
        .iter()
        .zip(values)
        .map(|(label, &v)| format!("{label} = {}", f(v)))
        .collect();
    let width = cells.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    for (k, cell) in cells.iter().enumerate() {
        match notes.and_then(|n| n.get(k)) {
            Some(note) => {
                let _ = writeln!(out, "    {cell:width$}   {note}");
            }
            None => {
                let _ = writeln!(out, "    {cell}");
            }
        }
    }
}

/// Cells separated by three spaces, `per_line` to a line.
fn wrapped(out: &mut String, indent: &str, cells: &[String], per_line: usize) {
    for (k, chunk) in cells.chunks(per_line).enumerate() {
        let lead = if k == 0 {
            indent.to_string()
        } else {
            format!("{indent}  ")
        };
        let _ = writeln!(out, "{lead}{}", chunk.join("   "));
    }
}

fn matrix_summary(
    out: &mut String,
    title: &str,
    entry: &str,
    m: &DMatrix<f64>,
    f: impl Fn(f64) -> String,
) {
    let (rows, columns) = m.shape();
    let (min, max) = min_max(m.iter());
    // Row by row, as a reader scans a matrix.
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

fn vector_summary(out: &mut String, title: &str, v: &DVector<f64>, f: impl Fn(f64) -> String) {
    let (min, max) = min_max(v.iter());
    let name = title.split([' ', '=']).next().unwrap_or(title);
    let first: Vec<String> = v
        .iter()
        .take(FIRST)
        .enumerate()
        .map(|(i, &x)| format!("{name}[{}] = {}", i + 1, f(x)))
        .collect();
    let more = if v.len() > FIRST { ", …" } else { "" };
    let _ = writeln!(
        out,
        "    {title}: {} values, norm {}, min {}, max {}; {}{more}",
        v.len(),
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

fn activation_name(activation: Activation) -> &'static str {
    match activation {
        Activation::Identity => "identity",
        Activation::Sigmoid => "sigmoid",
        Activation::Tanh => "tanh",
        Activation::Relu => "relu",
        Activation::LeakyRelu => "leaky_relu",
        Activation::Softmax => "softmax",
    }
}

fn loss_name(loss: Loss) -> &'static str {
    match loss {
        Loss::Mse => "mse",
        Loss::BinaryCrossEntropy => "binary_cross_entropy",
        Loss::CrossEntropy => "cross_entropy",
    }
}

fn optimizer_name(optimizer: config::Optimizer) -> &'static str {
    match optimizer {
        config::Optimizer::Sgd => "sgd",
        config::Optimizer::Momentum { .. } => "momentum",
        config::Optimizer::Adam { .. } => "adam",
    }
}

fn init_name(init: config::Init) -> &'static str {
    match init {
        config::Init::Xavier => "xavier",
        config::Init::He => "he",
        config::Init::Uniform => "uniform",
    }
}
