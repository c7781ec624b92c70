//! One module per subcommand, plus what they share.

pub mod check;
pub mod compare;
pub mod completions;
pub mod export;
pub mod gradcheck;
pub mod interrupt;
pub mod predict;
pub mod progress;
pub mod report;
pub mod run;
pub mod stdout;
pub mod sweep;
pub mod trace;
