//! One module per subcommand, plus what they share.

pub mod check;
pub mod experiment;
pub mod interrupt;
pub mod progress;
pub mod run;
