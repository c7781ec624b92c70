//! What watches a run while it trains: the progress bar, each epoch's row
//! appended to metrics.csv, the history the summary and the plot need, and
//! checkpoint.json written every so often (the rows first: a checkpoint
//! vouches only for rows on disk).

use std::path::Path;
use std::time::Instant;

use super::progress::Progress;
use crate::config::Task;
use crate::data::PreparedData;
use crate::interrupt;
use crate::nn::Float;
use crate::results::history::History;
use crate::results::metrics_file::MetricsFile;
use crate::results::{atomic, checkpoint, diagnostics_csv};
use crate::train::diagnostics::LayerDiagnostics;
use crate::train::metrics::{Summary, TaskMetrics};
use crate::train::{EpochRecord, Observer, TrainError, TrainingState};

/// Seconds between checkpoints when no epoch count is asked for: often
/// enough that a killed run loses little, rarely enough to cost nothing.
const CHECKPOINT_SECONDS: f64 = 1.0;

/// Shows progress, appends each epoch's row to metrics.csv, keeps what the
/// summary and the plot need, and writes checkpoint.json while training runs.
pub(super) struct Recorder<'a> {
    pub(super) progress: Progress,
    pub(super) dir: &'a Path,
    pub(super) identity: &'a checkpoint::Identity,
    pub(super) metrics: MetricsFile,
    pub(super) history: History,
    pub(super) every: Option<usize>,
    pub(super) last_write: Instant,
    /// diagnostics.csv's rows so far (`training.diagnostics`), written
    /// with each checkpoint (so a resume finds them) and at the end.
    pub(super) diagnostics: Vec<LayerDiagnostics>,
}

impl<T: Float> Observer<T> for Recorder<'_> {
    /// Epoch 0 starts metrics.csv and the curves; the progress bar counts
    /// epochs only.
    fn initial(&mut self, record: &EpochRecord) -> Result<(), TrainError> {
        self.history.initial(record);
        let path = self.metrics.path().to_path_buf();
        self.metrics
            .push(record)
            .map_err(|source| TrainError::Io { path, source })
    }

    fn epoch_done(
        &mut self,
        record: &EpochRecord,
        state: &TrainingState<'_, T>,
    ) -> Result<(), TrainError> {
        self.progress.epoch_done(record);
        self.history.push(record);
        let metrics_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source| TrainError::Io { path, source }
        };
        self.metrics
            .push(record)
            .map_err(metrics_error(self.metrics.path()))?;
        let due = match self.every {
            Some(every) => record.epoch.is_multiple_of(every),
            None => self.last_write.elapsed().as_secs_f64() >= CHECKPOINT_SECONDS,
        };
        if due {
            // The rows first: the checkpoint vouches only for rows on disk.
            let committed = self
                .metrics
                .commit()
                .map_err(metrics_error(self.metrics.path()))?;
            if !self.diagnostics.is_empty() {
                let path = self.dir.join(diagnostics_csv::FILE);
                atomic::write(&path, diagnostics_csv::render(&self.diagnostics).as_bytes())
                    .map_err(|source| TrainError::Io { path, source })?;
            }
            let checkpoint = checkpoint::render(&state.checkpoint(), self.identity, &committed);
            let path = self.dir.join(checkpoint::FILE);
            atomic::write(&path, checkpoint.as_bytes())
                .map_err(|source| TrainError::Io { path, source })?;
            self.last_write = Instant::now();
        }
        Ok(())
    }

    fn diagnostics(&mut self, rows: &[LayerDiagnostics]) -> Result<(), TrainError> {
        self.diagnostics.extend_from_slice(rows);
        Ok(())
    }

    fn should_stop(&self) -> bool {
        interrupt::requested()
    }
}

/// An epoch record with the columns this task and split would have, for the
/// header of an empty metrics.csv (epochs = 0).
pub(super) fn empty_record(data: &PreparedData) -> EpochRecord {
    let task = match data.task {
        Task::Binary | Task::Multiclass => TaskMetrics::Accuracy(0.0),
        Task::Regression => TaskMetrics::Regression {
            rmse: 0.0,
            mae: 0.0,
        },
    };
    let summary = Summary {
        cost: 0.0,
        loss: 0.0,
        task,
    };
    EpochRecord {
        epoch: 0,
        learning_rate: 0.0,
        train: summary,
        validation: data.validation.as_ref().map(|_| summary),
    }
}
