//! Command-line tests: the real binary, run in a temporary directory.

mod bad_input;
mod bad_sweep_files;
mod classification;
mod common;
mod compare;
mod compare_verdict;
mod completions;
mod curves;
mod data_command;
mod diagnostics;
mod effects;
#[cfg(unix)]
mod engines;
mod examples;
mod export;
mod figure_files;
mod function_plot;
mod golden;
mod gradcheck;
mod headline;
#[cfg(unix)]
mod hostile_paths;
mod hostile_results;
mod hostile_sweeps;
mod interruption;
mod long_runs;
mod network_plot;
mod predict;
mod predictions;
mod readme;
mod reliability;
mod report;
mod run_plots;
mod runs;
mod snapshots;
mod sweep;
mod timings;
mod trace;
mod training;
mod verdicts;
