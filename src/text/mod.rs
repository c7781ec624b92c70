//! Text a person reads: numbers, tables, quoted names, plurals and "did you
//! mean". Every command, plot and the report format through here, so that
//! one value reads the same in the terminal, in a figure and on the page.
//!
//! A leaf: it depends on std and small crates only, never on the rest of
//! the program, so anything may use it without an import circle. Files for
//! machines (metrics.csv, summary.json) keep full precision and do not use
//! it (see `results::metrics_csv::format_number`).
//!
//! The rules for numbers, each with the function that applies it:
//! - about four significant digits, trailing zeros dropped, so that a
//!   whole number reads as one: `0.8553`, `63.84`, `25` (`number`);
//! - scientific notation outside 1e-3 to 1e5, so that a diverged loss is
//!   `1.2e270`, never 270 digits, and a small rate `2.3e-5` (`number`);
//! - NaN, inf and -inf in those words; −0 as `0` (every function);
//! - a value known to be whole (an epoch, units, a count, a batch size)
//!   written in full: `120000`, not `1.2e5` (`integer`);
//! - a mean with its standard deviation: the deviation to two significant
//!   digits, the mean to the same decimal place (`0.0957 ± 0.0021`); over
//!   one run `0.8553 (n = 1)`, never `± 0`; equal whole numbers as one
//!   (`25`, not `25.0000 ± 0.0000`) (`mean_std`);
//! - a difference always signed, with a true minus (`signed`);
//! - a value someone wrote, quoted in a message, in the fewest digits that
//!   read back as it, so that rounding never changes what a rule says of it
//!   (`exact`: `0.99999`, `1e300`; `exact_f32` for a number an f32 run
//!   holds, as `trace` shows it);
//! - the values of one sweep setting as labels: as few significant digits
//!   as tell them apart, at least three (`labels`);
//! - TOML strings without their quotes: `optimizer=sgd` (`unquoted`).

mod closest;
mod escape;
mod number;
mod table;
mod words;

pub use closest::{SIMILARITY, closest};
pub use escape::printable;
pub use number::{
    bytes, exact, exact_f32, integer, labels, mean_std, number, number_with, seconds, signed,
};
pub use table::{Align, Table};
pub use words::{cut, plural, trim_zeros, unquoted, words};

#[cfg(test)]
mod tests;
