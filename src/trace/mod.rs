//! One training example walked through one training step, as the textbook
//! tells it, with the real numbers of a run: `synapse trace`.
//!
//! Two jobs, two files: `steps` computes the numbers (on the textbook path,
//! `nn::reference`, with the update training really takes) into a `Trace`;
//! `render` turns a `Trace` into text. Nothing in `render` computes a
//! derivative, and nothing in `steps` formats one.

mod render;
mod steps;
#[cfg(test)]
mod tests;

pub use render::render;
pub use steps::{LayerTrace, RawInput, Trace, build};
