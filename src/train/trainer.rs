//! The training loop, epoch by epoch, as the textbook tells it.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::Instant;

use nalgebra::DMatrix;

use crate::config::{Config, Task, Training};
use crate::data::{Examples, PreparedData};
use crate::nn::optimizer::OptimizerState;
use crate::nn::{self, Float, Gradients, Network, Optimizer, Workspace, init, loss};
use crate::rng::Random;
use crate::rng::{self, Stream};
use crate::train::diagnostics::{self, Accumulator, LayerDiagnostics};
use crate::train::early_stopping::{EarlyStopping, Verdict};
use crate::train::metrics::{Summary, Tally};
use crate::train::schedule;

/// One row of metrics.csv.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EpochRecord {
    /// 1-based; 0 is the initial weights' evaluation (see `initial_record`),
    /// which shows where training started and is not an epoch.
    pub epoch: usize,
    /// NaN for epoch 0, where no update was made (an empty cell in metrics.csv).
    pub learning_rate: f64,
    /// Over the epoch's training examples, as computed while training on
    /// them; for epoch 0, one forward pass over them with the initial weights.
    pub train: Summary,
    /// At the end of the epoch, where there is a validation split.
    pub validation: Option<Summary>,
}

/// How training ended: the one status list, which summary.json and the
/// sweep's summary.csv write.
pub use super::status::Status;

/// Where and what went non-finite.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    pub epoch: usize,
    pub batch: usize,
    pub quantity: String,
}

#[derive(Debug, Clone)]
pub struct Outcome<T: Float> {
    /// The trained network: the last finite one, or the best one where early
    /// stopping restores it.
    pub network: Network<T>,
    /// Completed epochs, those of a resumed run's first sitting included.
    pub epochs_run: usize,
    pub status: Status,
    pub divergence: Option<Divergence>,
    /// Where training stood after its last completed epoch, to resume it:
    /// kept for interrupted runs only, the only ones that resume.
    pub final_state: Option<Checkpoint<T>>,
    /// The epoch whose weights `network` holds, where early stopping restored them.
    pub restored_epoch: Option<usize>,
    /// The training loop alone.
    pub train_seconds: f64,
}

/// Why training could not go on.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// Writing (or reading) a file failed; `path` is that file.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The checkpoint to resume from is not a state of this run's training.
    #[error("the checkpoint {0}")]
    Checkpoint(String),
}

/// Things the caller wants to hear about, or say, while training runs.
pub trait Observer<T: Float> {
    /// Before the first epoch of a run started afresh (not on a resume),
    /// with the initial weights' evaluation; an error ends training.
    fn initial(&mut self, _record: &EpochRecord) -> Result<(), TrainError> {
        Ok(())
    }
    /// After each completed epoch, with the state a checkpoint needs; an
    /// error (writing files) ends training.
    fn epoch_done(
        &mut self,
        _record: &EpochRecord,
        _state: &TrainingState<'_, T>,
    ) -> Result<(), TrainError> {
        Ok(())
    }
    /// With `training.diagnostics`, each layer's rows: epoch 0's after
    /// `initial`, then each completed epoch's before `epoch_done`.
    fn diagnostics(&mut self, _rows: &[LayerDiagnostics]) -> Result<(), TrainError> {
        Ok(())
    }
    /// Checked after every batch: true ends the run as `interrupted`.
    fn should_stop(&self) -> bool {
        false
    }
}

/// An observer that watches nothing.
pub struct Quiet;

impl<T: Float> Observer<T> for Quiet {}

/// Everything needed to carry on training after an epoch, as if it had
/// never stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint<T: Float> {
    /// The last completed epoch.
    pub epoch: usize,
    pub network: Network<T>,
    pub optimizer: OptimizerState<T>,
    pub shuffle: rng::Position,
    /// The order of the training examples after the last shuffle.
    pub order: Vec<usize>,
    pub stopping: Option<EarlyStopping>,
    /// The best epoch's weights, where early stopping keeps them.
    pub best: Option<Network<T>>,
}

/// The trainer's state at the end of the last completed epoch, kept by
/// copying (no allocation) so that an interruption in the middle of the
/// next epoch can still save where the run really stands.
struct Saved<T: Float> {
    network: Network<T>,
    optimizer: Optimizer<T>,
    shuffle: rng::Position,
    order: Vec<usize>,
}

impl<T: Float> Saved<T> {
    fn of(trainer: &Trainer<'_, T>) -> Self {
        Saved {
            network: trainer.network.clone(),
            optimizer: trainer.optimizer.clone(),
            shuffle: trainer.shuffle.position(),
            order: trainer.order.clone(),
        }
    }

    fn copy_from(&mut self, trainer: &Trainer<'_, T>) {
        self.network.copy_from(&trainer.network);
        self.optimizer.copy_from(&trainer.optimizer);
        self.shuffle = trainer.shuffle.position();
        self.order.copy_from_slice(&trainer.order);
    }
}

/// A view of training at the end of its last completed epoch.
pub struct TrainingState<'s, T: Float> {
    saved: &'s Saved<T>,
    stopping: Option<&'s EarlyStopping>,
    best: Option<&'s Network<T>>,
    /// The last completed epoch.
    epoch: usize,
}

impl<T: Float> TrainingState<'_, T> {
    /// The weights at the end of the last completed epoch.
    pub fn network(&self) -> &Network<T> {
        &self.saved.network
    }

    pub fn checkpoint(&self) -> Checkpoint<T> {
        Checkpoint {
            epoch: self.epoch,
            network: self.saved.network.clone(),
            optimizer: self.saved.optimizer.state(),
            shuffle: self.saved.shuffle,
            order: self.saved.order.clone(),
            stopping: self.stopping.cloned(),
            best: self.best.cloned(),
        }
    }
}

/// Builds the initial network of `config` for `data`.
pub fn initial_network<T: Float>(config: &Config, data: &PreparedData) -> Network<T> {
    let mut random = rng::stream(config.experiment.seed, Stream::Init);
    init::initialize(
        &config.model.layers,
        data.inputs.len(),
        config.model.init,
        &mut random,
    )
}

/// How one epoch of training ended.
#[derive(Debug, Clone, PartialEq)]
pub enum EpochEnd {
    /// The training examples' cost and metrics, as computed while training.
    Completed(Summary),
    /// A loss or a weight went non-finite; the network is no longer usable.
    Diverged(Divergence),
    /// Asked to stop; the epoch is incomplete.
    Interrupted,
}

/// The state of training between epochs: the network, the optimizer's
/// memory, the shuffling stream, and buffers allocated once.
pub struct Trainer<'a, T: Float> {
    config: &'a Config,
    data: &'a PreparedData,
    pub network: Network<T>,
    ws: Workspace<T>,
    gradients: Gradients<T>,
    optimizer: Optimizer<T>,
    shuffle: Random,
    /// The order of the training examples, reshuffled each epoch.
    order: Vec<usize>,
    batch_size: usize,
    /// With `training.diagnostics` only: what each epoch gathers.
    diagnostics: Option<Accumulator<T>>,
}

impl<'a, T: Float> Trainer<'a, T> {
    pub fn new(config: &'a Config, data: &'a PreparedData) -> Self {
        let network = initial_network::<T>(config, data);
        let batch_size = config.training.batch_size.min(data.train.len()).max(1);
        Trainer {
            config,
            data,
            ws: Workspace::new(&network, batch_size),
            gradients: Gradients::zeros_like(&network),
            optimizer: Optimizer::new(config.training.optimizer, config.training.l2, &network),
            shuffle: rng::stream(config.experiment.seed, Stream::Shuffle),
            order: (0..data.train.len()).collect(),
            batch_size,
            diagnostics: config
                .training
                .diagnostics
                .then(|| Accumulator::new(&network)),
            network,
        }
    }

    /// A trainer in the state `checkpoint` saved.
    pub fn resume(
        config: &'a Config,
        data: &'a PreparedData,
        checkpoint: &Checkpoint<T>,
    ) -> Result<Self, String> {
        let mut trainer = Trainer::new(config, data);
        let shapes = |n: &Network<T>| {
            n.layers
                .iter()
                .map(|l| (l.units(), l.inputs(), l.activation))
                .collect::<Vec<_>>()
        };
        if shapes(&checkpoint.network) != shapes(&trainer.network) {
            return Err("its network has other layers than the config".to_string());
        }
        let mut sorted = checkpoint.order.clone();
        sorted.sort_unstable();
        if !sorted.iter().copied().eq(0..data.train.len()) {
            return Err(format!(
                "its example order is not an order of the {} training examples",
                data.train.len()
            ));
        }
        trainer.optimizer.restore(&checkpoint.optimizer)?;
        trainer.network.copy_from(&checkpoint.network);
        trainer.shuffle.seek(checkpoint.shuffle);
        trainer.order.copy_from_slice(&checkpoint.order);
        Ok(trainer)
    }

    /// One pass over the training examples: for each batch, forward, loss,
    /// backward, update. `should_stop` is asked after every batch.
    pub fn train_epoch(
        &mut self,
        epoch: usize,
        learning_rate: f64,
        should_stop: &dyn Fn() -> bool,
    ) -> EpochEnd {
        let t = &self.config.training;
        let train = &self.data.train;
        if t.shuffle {
            self.shuffle.shuffle(&mut self.order);
        }
        let mut tally = Tally::new(self.data.task, self.data.normalization.target);
        let units = self.network.outputs();
        if let Some(diagnostics) = &mut self.diagnostics {
            diagnostics.begin(&self.network);
        }
        let ws = &mut self.ws;
        for (batch, columns) in self.order.chunks(self.batch_size).enumerate() {
            let n = columns.len();
            // Forward through every layer, the loss of each example,
            // backward to the derivative of the loss with respect to every
            // weight (the batch mean), and the update that moves each weight
            // against its derivative, unless the batch diverged.
            ws.load_batch(&train.inputs, &train.targets, columns);
            let inspect = |ws: &Workspace<T>| {
                for slot in 0..n {
                    let target = &ws.target.as_slice()[slot * units..(slot + 1) * units];
                    tally.add(ws.losses[slot].as_f64(), ws.output(slot), target);
                }
                match ws.losses[..n].iter().position(|l| !l.is_finite()) {
                    None => ControlFlow::Continue(()),
                    Some(bad) => {
                        let row = train
                            .rows
                            .get(columns[bad])
                            .copied()
                            .unwrap_or(columns[bad] + 1);
                        ControlFlow::Break(Divergence {
                            epoch,
                            batch: batch + 1,
                            quantity: format!(
                                "the loss of the example from data row {row} is {}",
                                ws.losses[bad]
                            ),
                        })
                    }
                }
            };
            let stepped = match &mut self.diagnostics {
                None => nn::step(
                    &mut self.network,
                    &mut self.optimizer,
                    ws,
                    &mut self.gradients,
                    t.loss,
                    n,
                    learning_rate,
                    inspect,
                ),
                Some(diagnostics) => diagnostics::step(
                    &mut self.network,
                    &mut self.optimizer,
                    ws,
                    &mut self.gradients,
                    t.loss,
                    n,
                    learning_rate,
                    diagnostics,
                    inspect,
                ),
            };
            if let ControlFlow::Break(divergence) = stepped {
                return EpochEnd::Diverged(divergence);
            }
            if should_stop() {
                return EpochEnd::Interrupted;
            }
        }
        if !self.network.is_finite() {
            return EpochEnd::Diverged(Divergence {
                epoch,
                batch: self.order.len().div_ceil(self.batch_size),
                quantity: "a weight".to_string(),
            });
        }
        EpochEnd::Completed(tally.summary())
    }
}

impl<T: Float> Trainer<'_, T> {
    /// With `training.diagnostics`, the rows of the epoch just trained.
    pub fn diagnostics(&self, epoch: usize) -> Option<Vec<LayerDiagnostics>> {
        self.diagnostics
            .as_ref()
            .map(|d| d.finish(epoch, &self.network))
    }
}

/// Whether training can carry on from `checkpoint`, without training: so
/// that a caller can refuse it before touching any file.
pub fn check_resume<T: Float>(
    config: &Config,
    data: &PreparedData,
    checkpoint: &Checkpoint<T>,
) -> Result<(), String> {
    resumed_trainer(config, data, checkpoint).map(|_| ())
}

fn resumed_trainer<'a, T: Float>(
    config: &'a Config,
    data: &'a PreparedData,
    checkpoint: &Checkpoint<T>,
) -> Result<Trainer<'a, T>, String> {
    if checkpoint.epoch > config.training.epochs {
        return Err(format!(
            "is at epoch {}, past the {} epochs planned",
            checkpoint.epoch, config.training.epochs
        ));
    }
    Trainer::<T>::resume(config, data, checkpoint)
}

/// Trains the network of `config` on `data`, from the start or from a
/// checkpoint. Fails when the observer does (writing files) or when the
/// checkpoint does not fit (see `check_resume`). Holds nothing that grows
/// with the number of epochs: each epoch's record goes to the observer.
pub fn train<T: Float>(
    config: &Config,
    data: &PreparedData,
    observer: &mut dyn Observer<T>,
    resume: Option<&Checkpoint<T>>,
) -> Result<Outcome<T>, TrainError> {
    let t = &config.training;
    let mut trainer = match resume {
        Some(checkpoint) => {
            resumed_trainer(config, data, checkpoint).map_err(TrainError::Checkpoint)?
        }
        None => Trainer::<T>::new(config, data),
    };
    let mut last_good = Saved::of(&trainer);
    // Early stopping keeps the best epoch's weights here.
    let mut stopping = t.early_stopping.map(EarlyStopping::new);
    let mut best: Option<Network<T>> = None;
    let mut epochs_run = 0;
    if let Some(checkpoint) = resume {
        stopping = checkpoint.stopping.clone();
        best = checkpoint.best.clone();
        epochs_run = checkpoint.epoch;
    }
    let mut evaluation = Evaluator::new(&trainer.network);
    if resume.is_none() {
        // Before any update, and from no random stream, so that the epochs
        // train exactly as they would without it.
        observer.initial(&initial_record(&trainer.network, data, t, &mut evaluation))?;
        if t.diagnostics {
            observer.diagnostics(&diagnostics::initial(&trainer.network, &data.train.inputs))?;
        }
    }

    let mut status = Status::Completed;
    let mut divergence = None;
    let started = Instant::now();

    for epoch in epochs_run + 1..=t.epochs {
        let learning_rate = schedule::learning_rate(t.schedule, t.learning_rate, epoch, t.epochs);
        let train = match trainer.train_epoch(epoch, learning_rate, &|| observer.should_stop()) {
            EpochEnd::Completed(summary) => summary,
            EpochEnd::Diverged(d) => {
                divergence = Some(d);
                break;
            }
            EpochEnd::Interrupted => {
                status = Status::Interrupted;
                break;
            }
        };
        let network = &trainer.network;
        let validation = data
            .validation
            .as_ref()
            .map(|v| evaluation.summary(network, v, t.loss, data.task, data.normalization.target));
        let record = EpochRecord {
            epoch,
            learning_rate,
            train,
            validation,
        };
        epochs_run = epoch;
        last_good.copy_from(&trainer);
        let network = &trainer.network;

        let mut stop = false;
        if let (Some(stopper), Some(validation)) = (&mut stopping, validation) {
            match stopper.observe(epoch, validation.loss) {
                Verdict::Improved => match &mut best {
                    Some(weights) => weights.copy_from(network),
                    None => best = Some(network.clone()),
                },
                Verdict::Wait => {}
                Verdict::Stop => stop = true,
            }
        }
        let state = TrainingState {
            saved: &last_good,
            stopping: stopping.as_ref(),
            best: best.as_ref(),
            epoch: epochs_run,
        };
        if let Some(rows) = trainer.diagnostics(epoch) {
            observer.diagnostics(&rows)?;
        }
        observer.epoch_done(&record, &state)?;
        if stop {
            status = Status::EarlyStopped;
            break;
        }
    }
    let train_seconds = started.elapsed().as_secs_f64();

    let final_state = (status == Status::Interrupted).then(|| {
        TrainingState {
            saved: &last_good,
            stopping: stopping.as_ref(),
            best: best.as_ref(),
            epoch: epochs_run,
        }
        .checkpoint()
    });
    let mut network = trainer.network;
    let mut restored_epoch = None;
    if divergence.is_some() {
        status = Status::Diverged;
        network = last_good.network;
    } else if status == Status::Interrupted {
        // The last completed epoch's weights, to match metrics.csv.
        network = last_good.network;
    } else if let (Some(config), Some(stopper), Some(weights)) = (t.early_stopping, &stopping, best)
    {
        // Restore the best epoch's weights whether or not patience ran out:
        // that is what asking for the best weights means.
        let best_epoch = stopper.best_epoch();
        if config.restore_best && best_epoch != Some(epochs_run) {
            network = weights;
            restored_epoch = best_epoch;
        }
    }
    Ok(Outcome {
        network,
        final_state,
        epochs_run,
        status,
        divergence,
        restored_epoch,
        train_seconds,
    })
}

/// Epoch 0: the untrained network's losses, cost and metrics on the
/// training split (one forward pass over all of it) and the validation
/// split, by the same functions the epochs' rows use, so a plot can show
/// where training started. No update, so no learning rate (NaN).
fn initial_record<T: Float>(
    network: &Network<T>,
    data: &PreparedData,
    t: &Training,
    evaluation: &mut Evaluator<T>,
) -> EpochRecord {
    let target = data.normalization.target;
    let mut summary =
        |examples: &Examples| evaluation.summary(network, examples, t.loss, data.task, target);
    EpochRecord {
        epoch: 0,
        learning_rate: f64::NAN,
        train: summary(&data.train),
        validation: data.validation.as_ref().map(&mut summary),
    }
}

/// Evaluates a network on a split in chunks, reusing its buffers.
pub struct Evaluator<T: Float> {
    ws: Workspace<T>,
    /// The columns of the chunk being evaluated.
    columns: Vec<usize>,
}

/// Examples evaluated per forward pass.
const EVALUATION_CHUNK: usize = 256;

impl<T: Float> Evaluator<T> {
    pub fn new(network: &Network<T>) -> Self {
        Evaluator {
            ws: Workspace::new(network, EVALUATION_CHUNK),
            columns: Vec::with_capacity(EVALUATION_CHUNK),
        }
    }

    /// Loss and metrics of `network` on `examples`; `each` sees every
    /// example's output (as the network gives it) in order.
    pub fn run(
        &mut self,
        network: &Network<T>,
        examples: &Examples,
        loss: crate::config::Loss,
        task: Task,
        target_normalization: Option<(f64, f64)>,
        mut each: impl FnMut(usize, &[T]),
    ) -> Summary {
        let mut tally = Tally::new(task, target_normalization);
        let units = network.outputs();
        let last = network.layers.len() - 1;
        for start in (0..examples.len()).step_by(EVALUATION_CHUNK) {
            let n = (examples.len() - start).min(EVALUATION_CHUNK);
            self.columns.clear();
            self.columns.extend(start..start + n);
            let columns = &self.columns;
            self.ws
                .load_batch(&examples.inputs, &examples.targets, columns);
            nn::forward(network, &mut self.ws, n);
            loss::losses(
                loss,
                units,
                &self.ws.weighted_sums[last].as_slice()[..units * n],
                &self.ws.outputs[last].as_slice()[..units * n],
                &self.ws.target.as_slice()[..units * n],
                &mut self.ws.losses[..n],
            );
            for (slot, &column) in columns.iter().enumerate() {
                let output = self.ws.output(slot);
                tally.add(
                    self.ws.losses[slot].as_f64(),
                    output,
                    &examples.targets.as_slice()[column * units..(column + 1) * units],
                );
                each(column, output);
            }
        }
        tally.summary()
    }

    pub fn summary(
        &mut self,
        network: &Network<T>,
        examples: &Examples,
        loss: crate::config::Loss,
        task: Task,
        target_normalization: Option<(f64, f64)>,
    ) -> Summary {
        self.run(
            network,
            examples,
            loss,
            task,
            target_normalization,
            |_, _| {},
        )
    }

    /// The network's outputs for every example (outputs × examples).
    pub fn outputs(
        &mut self,
        network: &Network<T>,
        examples: &Examples,
        loss: crate::config::Loss,
        task: Task,
        target_normalization: Option<(f64, f64)>,
    ) -> (Summary, DMatrix<f64>) {
        let mut outputs = DMatrix::zeros(network.outputs(), examples.len());
        let summary = self.run(
            network,
            examples,
            loss,
            task,
            target_normalization,
            |column, output| {
                for (dst, &v) in outputs.column_mut(column).iter_mut().zip(output) {
                    *dst = v.as_f64();
                }
            },
        );
        (summary, outputs)
    }
}
