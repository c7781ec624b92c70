//! One module per subcommand, plus what they share.

pub mod check;
pub mod compare;
pub mod completions;
pub mod data;
pub mod export;
pub mod gradcheck;
pub mod predict;
pub mod report;
pub mod run;
pub mod runs;
pub mod sweep;
pub mod trace;
