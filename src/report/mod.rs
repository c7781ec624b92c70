//! `synapse report`: every run and sweep under a results directory in one
//! self-contained HTML page.
//!
//! `collect` reads the result files; the other modules turn what was read
//! into text, purely, so the same results always give the same page.

mod classification;
pub mod collect;
mod data;
mod figures;
mod function_image;
mod hover;
mod html;
mod hyperparameters;
mod ids;
mod index;
mod leaderboard;
mod network_image;
pub mod page;
mod plot_markup;
mod points_csv;
mod run_section;
mod sweep_effects;
mod sweep_section;
mod table;
mod verdict;

pub use crate::text::bytes as format_bytes;
