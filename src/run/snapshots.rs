//! The weights at the epochs the function snapshots draw, taken as training
//! passes them: an observer wrapped around the run's own, copying the
//! network at each wanted epoch and changing nothing else, so the run trains
//! (and writes) exactly as it would without it. Every hook is passed on to
//! the run's observer, so none may be left to the trait's default.

use crate::config::Config;
use crate::data::PreparedData;
use crate::nn::{Float, Network};
use crate::results::function_figure::default_snapshots;
use crate::train::diagnostics::LayerDiagnostics;
use crate::train::{self, EpochRecord, Observer, TrainError, TrainingState};

pub(super) struct Snapshots<'o, T: Float> {
    inner: &'o mut dyn Observer<T>,
    wanted: Vec<usize>,
    /// By epoch, ascending.
    pub(super) taken: Vec<(usize, Network<T>)>,
}

impl<'o, T: Float> Snapshots<'o, T> {
    /// Watches for `[plots] snapshots` (or the default epochs); epoch 0 is
    /// the initial network, taken here unless the run resumes (its first
    /// sitting had it, this one never sees it).
    pub(super) fn new(
        inner: &'o mut dyn Observer<T>,
        config: &Config,
        data: &PreparedData,
        resuming: bool,
    ) -> Self {
        let wanted = config
            .plots
            .snapshots
            .clone()
            .unwrap_or_else(|| default_snapshots(config.training.epochs));
        let mut taken = Vec::new();
        if wanted.first() == Some(&0) && !resuming {
            taken.push((0, train::initial_network::<T>(config, data)));
        }
        Snapshots {
            inner,
            wanted,
            taken,
        }
    }
}

impl<T: Float> Observer<T> for Snapshots<'_, T> {
    fn initial(&mut self, record: &EpochRecord) -> Result<(), TrainError> {
        self.inner.initial(record)
    }

    fn epoch_done(
        &mut self,
        record: &EpochRecord,
        state: &TrainingState<'_, T>,
    ) -> Result<(), TrainError> {
        if record.epoch > 0 && self.wanted.contains(&record.epoch) {
            self.taken.push((record.epoch, state.network().clone()));
        }
        self.inner.epoch_done(record, state)
    }

    fn diagnostics(&mut self, rows: &[LayerDiagnostics]) -> Result<(), TrainError> {
        self.inner.diagnostics(rows)
    }

    fn should_stop(&self) -> bool {
        self.inner.should_stop()
    }
}
