//! The numbers of `synapse trace`: one training example walked through one
//! training step, with the real numbers of this run.
//!
//! The step is the one `run` takes in epoch N (`--epoch`, 1 by default):
//! epochs 1 to N − 1 are trained first by training itself (`train::train`,
//! the same Trainer, shuffle stream, learning-rate schedule and early
//! stopping as `run`), then epoch N's shuffled order, batch, learning rate
//! and optimizer state are those `run` uses. When the example's batch is
//! not the epoch's first, the batches before it are trained on first, so
//! the weights shown are the ones the example really meets. The update (the
//! batch's mean derivative and the new weights) is training's own step, so
//! the weights shown after it are the ones training reaches.
//!
//! After the update, the example (and its batch) goes forward again on the
//! textbook path with the new weights, so that trace can say whether the
//! step lowered this example's loss: the loop a learner wants closed.
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
use crate::train::schedule;
use crate::train::{self, Checkpoint, EpochRecord, Observer, Status, TrainError, TrainingState};

/// One training step seen from one example. Numbers are kept in f64; an
/// f32 run's values are exactly representable there, and `precision` says
/// how to print them.
#[derive(Debug, Clone)]
pub struct Trace {
    pub experiment: String,
    pub seed: u64,
    pub init: config::Init,
    pub precision: Precision,
    /// The epoch whose step this is (1-based).
    pub epoch: usize,
    /// 1-based position of the example in the epoch's order.
    pub example: usize,
    pub examples: usize,
    /// The example's data row (1-based, after the header).
    pub row: usize,
    /// 1-based batch of the epoch, and how many there are.
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
    /// Each input as in the data, and how it became x.
    pub raw_inputs: Vec<RawInput>,
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
    /// ŷ and the loss of this example with the updated weights.
    pub output_after: Vec<f64>,
    pub loss_after: f64,
    /// The mean loss of the batch's examples before and after the update,
    /// where the batch has more than this example.
    pub batch_loss: Option<(f64, f64)>,
}

/// One input as in the data: x = (raw − shift) / scale (shift 0 and scale
/// 1 without normalization). A one-hot input (`colour=red`) is 1 when the
/// example's category is the one it names, else 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawInput {
    pub raw: f64,
    pub shift: f64,
    pub scale: f64,
    pub one_hot: bool,
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

/// Traces training example `example` (1-based, in epoch `epoch`'s order).
pub fn build<T: Float>(
    config: &Config,
    data: &PreparedData,
    example: usize,
    epoch: usize,
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
    // Epoch 1 can be traced even with epochs = 0 (the render says the run
    // never takes it): it needs nothing trained before it.
    let last_epoch = t.epochs.max(1);
    if epoch == 0 || epoch > last_epoch {
        return Err(Error::Usage(format!(
            "--epoch {epoch}: training.epochs is {}; choose an epoch from 1 to {last_epoch}",
            t.epochs
        )));
    }
    // Where training stands when epoch N starts: as `Trainer::new` sets it
    // up for epoch 1, else as training itself left it after epoch N − 1.
    let start = before_epoch::<T>(config, data, epoch)?;
    let mut network = match &start {
        Some(checkpoint) => checkpoint.network.clone(),
        None => train::initial_network::<T>(config, data),
    };
    let mut optimizer = Optimizer::new(t.optimizer, t.l2, &network);
    let mut shuffle = rng::stream(config.experiment.seed, Stream::Shuffle);
    let mut order: Vec<usize> = (0..train.len()).collect();
    if let Some(checkpoint) = &start {
        optimizer
            .restore(&checkpoint.optimizer)
            .map_err(|e| Error::Usage(format!("--epoch {epoch}: {e}")))?;
        shuffle.seek(checkpoint.shuffle);
        order.copy_from_slice(&checkpoint.order);
    }
    // As `Trainer::train_epoch` starts each epoch.
    if t.shuffle {
        shuffle.shuffle(&mut order);
    }
    let batch_size = t.batch_size.min(train.len()).max(1);
    let learning_rate = schedule::learning_rate(t.schedule, t.learning_rate, epoch, t.epochs);
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
    if !network.is_finite() {
        return Err(Error::Diverged(format!(
            "--example {example}: training diverged in epoch {epoch} before this example's batch {} (a weight is not finite); trace an earlier example of epoch {epoch}",
            batch + 1
        )));
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

    // The loop closed: the example, and its batch, with the new weights.
    let updated = in_f64(&network);
    let after = reference::forward(&updated, &x);
    let output_after: Vec<f64> = after.outputs[last].iter().copied().collect();
    let loss_after = reference::loss(t.loss, &after.weighted_sums[last], &after.outputs[last], &y);
    let batch_loss = (n > 1).then(|| {
        let mean = |network: &Network<f64>| {
            let losses: Vec<f64> = columns
                .iter()
                .map(|&c| {
                    let x = train.inputs.column(c).map(in_precision);
                    let y = train.targets.column(c).map(in_precision);
                    let pass = reference::forward(network, &x);
                    reference::loss(t.loss, &pass.weighted_sums[last], &pass.outputs[last], &y)
                })
                .collect();
            losses.iter().sum::<f64>() / losses.len() as f64
        };
        (mean(&textbook), mean(&updated))
    });

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
        epoch,
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
        raw_inputs: raw_inputs(data, column),
        target_name: data.target.clone(),
        raw_target: train.raw_targets.get(column).cloned().unwrap_or_default(),
        target: y.iter().copied().collect(),
        output_names: match data.task {
            Task::Multiclass => data.classes.clone(),
            _ => vec![data.target.clone()],
        },
        layers,
        loss_value,
        output_after,
        loss_after,
        batch_loss,
    })
}

/// Training's state after epoch `epoch − 1`, trained by training itself;
/// `None` for epoch 1, which starts from the initial network. Fails when
/// `run` never reaches epoch `epoch`: training diverges (exit 1, as `run`
/// does) or stops early (exit 2: the epoch asked for is out of its reach).
fn before_epoch<T: Float>(
    config: &Config,
    data: &PreparedData,
    epoch: usize,
) -> Result<Option<Checkpoint<T>>, Error> {
    if epoch == 1 {
        return Ok(None);
    }
    let mut observer = StopAfter {
        epoch: epoch - 1,
        saved: None,
    };
    let outcome = train::train::<T>(config, data, &mut observer, None).map_err(|e| match e {
        TrainError::Io { path, source } => Error::Io { path, source },
        TrainError::Checkpoint(message) => Error::Usage(message),
    })?;
    if let Some(divergence) = outcome.divergence {
        return Err(Error::Diverged(format!(
            "--epoch {epoch}: training diverged in epoch {} (batch {}: {}), so `run` never reaches epoch {epoch}; trace an epoch from 1 to {} (the step that diverged is in epoch {})",
            divergence.epoch,
            divergence.batch,
            divergence.quantity,
            divergence.epoch,
            divergence.epoch
        )));
    }
    if outcome.status == Status::EarlyStopped {
        return Err(Error::Usage(format!(
            "--epoch {epoch}: early stopping ends training after epoch {}, so `run` never reaches epoch {epoch}; choose an epoch from 1 to {}",
            outcome.epochs_run, outcome.epochs_run
        )));
    }
    observer.saved.map(Some).ok_or_else(|| {
        Error::Usage(format!(
            "--epoch {epoch}: training ended after epoch {} without reaching epoch {epoch}",
            outcome.epochs_run
        ))
    })
}

/// Keeps training's state at the end of epoch `epoch` and then stops it
/// (the first batch of the next epoch is trained and thrown away).
struct StopAfter<T: Float> {
    epoch: usize,
    saved: Option<Checkpoint<T>>,
}

impl<T: Float> Observer<T> for StopAfter<T> {
    fn epoch_done(
        &mut self,
        record: &EpochRecord,
        state: &TrainingState<'_, T>,
    ) -> Result<(), TrainError> {
        if record.epoch == self.epoch {
            self.saved = Some(state.checkpoint());
        }
        Ok(())
    }

    fn should_stop(&self) -> bool {
        self.saved.is_some()
    }
}

/// Example `column`'s inputs as in the data: the normalization undone
/// (raw = x × scale + shift, exact to rounding), with the statistics used.
fn raw_inputs(data: &PreparedData, column: usize) -> Vec<RawInput> {
    let one_hot: Vec<String> = data
        .categories
        .iter()
        .flat_map(|f| {
            f.categories
                .iter()
                .map(move |c| format!("{}={c}", f.column))
        })
        .collect();
    let n = &data.normalization;
    data.inputs
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let shift = n.shift.get(i).copied().unwrap_or(0.0);
            let scale = n.scale.get(i).copied().unwrap_or(1.0);
            let x = data.train.inputs[(i, column)];
            let one_hot = one_hot.contains(name);
            let raw = x * scale + shift;
            RawInput {
                // A one-hot input is 0 or 1 in the data; undoing the
                // normalization only rounds towards it.
                raw: if one_hot { raw.round() } else { raw },
                shift,
                scale,
                one_hot,
            }
        })
        .collect()
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
