//! The numbers of `synapse trace`: one training example walked through one
//! training step, with the real numbers of this run.
//!
//! The step is the one `run` takes: the same initial network, epoch 1's
//! shuffled order, the same batch, learning rate and optimizer. When the
//! example's batch is not the first, the batches before it are trained on
//! first, so the weights shown are the ones the example really meets. The
//! update (the batch's mean derivative and the new weights) is training's
//! own step, so the weights shown after it are the ones training reaches.
//!
//! The example's own numbers (z and a of every layer, its loss, what each
//! layer sends back, f′(z), δ and its derivatives) are the textbook's, from
//! `nn::reference`, in f64: trace shows what that file computes, and keeps
//! no derivative of its own. They agree with the fast path's to rounding
//! (see `nn/reference_tests.rs`); an f32 run's weights are exact in f64.

use nalgebra::{DMatrix, DVector};

use crate::config::{self, Activation, Config, Loss, Precision, Task};
use crate::data::PreparedData;
use crate::error::Error;
use crate::nn::reference;
use crate::nn::{Dense, Float, Gradients, Network, Optimizer, Workspace, backpropagate};
use crate::rng::{self, Stream};
use crate::train;
use crate::train::schedule;

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
    /// ∂loss/∂a: what the layer above (or the loss) sends back; at the
    /// output of a cross-entropy, which has none, δ.
    pub output_derivatives: DVector<f64>,
    /// f′(z), of an elementwise activation (NaN for softmax, never shown).
    pub slopes: DVector<f64>,
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

    // This example alone, the textbook's way, with x and y as the network
    // sees them (in the run's precision).
    let in_precision = |v: f64| T::of(v).as_f64();
    let x = train.inputs.column(column).map(in_precision);
    let y = train.targets.column(column).map(in_precision);
    let textbook = in_f64(&network);
    let pass = reference::forward(&textbook, &x);
    let last = textbook.layers.len() - 1;
    let (z, a) = (&pass.weighted_sums[last], &pass.outputs[last]);
    let loss_value = reference::loss(t.loss, z, a, &y);
    let back = reference::backward(&textbook, t.loss, &pass, &y);

    // The whole batch, as training steps: the mean derivative the update uses.
    let n = columns.len();
    ws.load_batch(&train.inputs, &train.targets, columns);
    backpropagate(&network, &mut ws, t.loss, n, &mut gradients);
    optimizer.step(&mut network, &mut gradients, learning_rate);

    let vector =
        |values: &[T]| DVector::from_iterator(values.len(), values.iter().map(|v| v.as_f64()));
    let matrix = |m: &DMatrix<T>| m.map(|v| v.as_f64());
    let mut layers = Vec::with_capacity(textbook.layers.len());
    for (l, layer) in textbook.layers.iter().enumerate() {
        let (z, a) = (&pass.weighted_sums[l], &pass.outputs[l]);
        let delta = &back.deltas[l];
        // What the loss sends back to the output: ∂loss/∂ŷ, or for a
        // cross-entropy (taken together with its activation) δ itself.
        let sent = match back.upstream.get(l) {
            Some(sent) => sent.clone(),
            None => reference::loss_slope(t.loss, a, &y).unwrap_or_else(|| delta.clone()),
        };
        // f′(z): the activation's Jacobian times ones, for an elementwise one.
        let slopes = match layer.activation {
            Activation::Softmax => DVector::from_element(a.len(), f64::NAN),
            f => reference::backward_through(f, z, a, &DVector::from_element(a.len(), 1.0)),
        };
        layers.push(LayerTrace {
            activation: layer.activation,
            weights: layer.weights.clone(),
            biases: layer.biases.clone(),
            weighted_sums: z.clone(),
            activations: a.clone(),
            output_derivatives: sent,
            slopes,
            deltas: delta.clone(),
            weight_derivatives: back.gradients.weights[l].clone(),
            bias_derivatives: back.gradients.biases[l].clone(),
            step_weight_derivatives: matrix(&gradients.weights[l]),
            step_bias_derivatives: vector(gradients.biases[l].as_slice()),
            new_weights: matrix(&network.layers[l].weights),
            new_biases: vector(network.layers[l].biases.as_slice()),
        });
    }

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
        input: x.iter().copied().collect(),
        target_name: data.target.clone(),
        raw_target: train.raw_targets.get(column).cloned().unwrap_or_default(),
        target: y.iter().copied().collect(),
        output_names: match data.task {
            Task::Multiclass => data.classes.clone(),
            _ => vec![data.target.clone()],
        },
        layers,
        loss_value,
    })
}

/// The network in f64, where the textbook path computes; an f32 weight is
/// exact there.
fn in_f64<T: Float>(network: &Network<T>) -> Network<f64> {
    Network {
        layers: network
            .layers
            .iter()
            .map(|layer| Dense {
                weights: layer.weights.map(|w| w.as_f64()),
                biases: layer.biases.map(|b| b.as_f64()),
                activation: layer.activation,
            })
            .collect(),
    }
}
