//! The progress bar of a run: on a terminal only, and never with --quiet.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::text::number;
use crate::train::EpochRecord;

pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(epochs: usize, quiet: bool) -> Self {
        // indicatif draws nothing when stderr is not a terminal.
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(epochs as u64), target);
        if let Ok(style) = ProgressStyle::with_template(
            "epoch {pos}/{len} {bar:30} {msg} [{elapsed_precise}<{eta_precise}]",
        ) {
            bar.set_style(style);
        }
        Progress { bar }
    }

    /// Starts the bar after the epochs a resumed run has done.
    pub fn resume_at(&self, epoch: usize) {
        self.bar.set_position(epoch as u64);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress {
    pub fn epoch_done(&self, record: &EpochRecord) {
        self.bar.set_position(record.epoch as u64);
        let mut message = format!("cost {}", number(record.train.cost));
        if let Some(validation) = &record.validation {
            message.push_str(&format!(", validation loss {}", number(validation.loss)));
        }
        self.bar.set_message(message);
    }
}
