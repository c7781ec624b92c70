//! Text a person reads: numbers, tables, quoted names, plurals and "did you
//! mean". Every command, plot and the report format through here, so that
//! one value reads the same in the terminal, in a figure and on the page.
//!
//! A leaf: it depends on std and small crates only, never on the rest of
//! the program, so anything may use it without an import circle. Files for
//! machines (metrics.csv, summary.json) keep full precision and do not use
//! it (see `results::metrics_csv::format_number`).

mod closest;
mod escape;
mod number;
mod table;
mod words;

pub use closest::{SIMILARITY, closest};
pub use escape::printable;
pub use number::{bytes, mean_std, number, number_with, seconds, signed};
pub use table::{Align, Table};
pub use words::{cut, plural, trim_zeros, unquoted, words};

#[cfg(test)]
mod tests;
