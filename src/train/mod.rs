//! Training: the loop that runs the epochs (`trainer`), the learning rate of
//! each epoch (`schedule`), when to stop early (`early_stopping`) and what
//! each epoch measured (`metrics`), what each layer went through
//! (`diagnostics`), with how a classifier did per class
//! (`classification`). The numeric step itself is `nn::step`;
//! this module decides which examples it sees, when, and with what rate.

pub mod baseline;
pub mod classification;
pub mod diagnostics;
pub mod early_stopping;
pub mod metrics;
pub mod schedule;
pub mod status;
mod trainer;

pub use trainer::*;
