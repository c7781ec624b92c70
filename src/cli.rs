//! The command line, exactly as the user types it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "synapse",
    version,
    about = "Turn a TOML file into a reproducible neural-network experiment",
    after_help = "Exit codes: 0 success, 1 a run failed (diverged, I/O error), 2 bad usage, config or data, 130 interrupted."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Where results are written and read.
    #[arg(long, global = true, value_name = "DIR", default_value = "results")]
    pub results: PathBuf,
    /// No progress bar.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate, train, and write one run directory.
    Run(RunArgs),
    /// Validate the config and the data and print the resolved config; train
    /// nothing, write nothing.
    Check(CheckArgs),
    /// Expand a grid or random search into runs, run them in parallel, and
    /// write a sweep summary.
    Sweep(SweepArgs),
    /// Overlay the cost curves of runs or sweeps, and tabulate their final
    /// metrics and the config keys that differ.
    Compare(CompareArgs),
    /// List the runs under the results directory: status, findings, the
    /// config keys that differ among them, and their headline metrics.
    Runs(RunsArgs),
    /// Apply a trained model to new rows.
    Predict(PredictArgs),
    /// Write a run's trained network as one ONNX file, for onnxruntime and
    /// other serving stacks.
    Export(ExportArgs),
    /// Walk one example through one training step, with the run's real numbers.
    Trace(TraceArgs),
    /// Show the data a run would use: each column's kind, range and missing
    /// cells, the classes per split; with --out, the rows as CSV with their split.
    Data(DataArgs),
    /// Compare backpropagation with finite differences on the configured network.
    Gradcheck(GradcheckArgs),
    /// Write one self-contained HTML page of every run and sweep.
    Report(ReportArgs),
    /// Print shell completions: `synapse completions bash > ~/.local/share/bash-completion/completions/synapse`.
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The experiment file.
    pub file: PathBuf,
    /// Override a config key before validation: KEY=VALUE, with KEY a dotted
    /// path (training.learning_rate, model.layers.0.units) and VALUE TOML.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run again even if this exact experiment already has results.
    #[arg(long)]
    pub force: bool,
    /// Continue an interrupted run from its last checkpoint, to the same
    /// bytes as a run that was never interrupted.
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    /// Checkpoint every N epochs (default: about once a second).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub checkpoint_every: Option<u32>,
    /// Threads for the large matrix products of this run. Results are the
    /// same bytes whatever this is.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub threads: u32,
    /// Exit 1 if the run got any finding (no better than the baseline, a
    /// constant output, …), for scripts; without it findings are warnings.
    #[arg(long)]
    pub strict: bool,
    /// Write diagnostics.csv and diagnostics.png/svg (per epoch and layer:
    /// weight and gradient norms, update ratio, saturated and dead units):
    /// the same as --set training.diagnostics=true, so its own run directory.
    #[arg(long)]
    pub diagnostics: bool,
    /// After the run, print on stderr where its time went: config, data,
    /// training, evaluation, each figure, files (writes no result file).
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The experiment file.
    pub file: PathBuf,
    /// Override a config key, as with `run`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep file.
    pub file: PathBuf,
    /// Runs at once (default: the number of cores). Each run is single-threaded,
    /// so results are the same whatever this is.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Print one `synapse run` command per run, in a stable order, and run nothing.
    #[arg(long)]
    pub list: bool,
    /// Run only shard K of N: the runs at positions K, K+N, K+2N, … (from 1).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Run again the runs that already have results.
    #[arg(long)]
    pub force: bool,
    /// Stop starting runs after the first failure.
    #[arg(long)]
    pub fail_fast: bool,
    /// The metric that ranks the points in the printed table.
    #[arg(long, value_name = "NAME", default_value = "validation_loss")]
    pub metric: String,
    /// Exit 1 if any run got a finding (no better than the baseline, a
    /// constant output, …), for scripts; without it findings are warnings.
    #[arg(long)]
    pub strict: bool,
    /// The swept key whose values get a panel each in the sweep's figure
    /// (full or last segment: units); default, the key with the fewest values.
    #[arg(long, value_name = "KEY")]
    pub facet: Option<String>,
    /// Every run with diagnostics, as `run --diagnostics`.
    #[arg(long)]
    pub diagnostics: bool,
    /// After the sweep, print on stderr where its time went: its own steps,
    /// its runs' phases summed, and how well the jobs overlapped.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Run directories or sweep directories, in any mix; the first is the reference.
    #[arg(required = true, num_args = 1..)]
    pub dirs: Vec<PathBuf>,
    /// Where the plot goes (FILE.png and FILE.svg); default under the results directory.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The metric the verdict is on, named as `sweep --metric` names it.
    #[arg(long, value_name = "NAME", default_value = "validation_loss")]
    pub metric: String,
    /// Only runs whose config has KEY=VALUE (a dotted key or its last
    /// segment, a TOML value); a key repeated takes either value, different
    /// keys must all hold.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Only the runs of these experiments (their directory names under --results).
    pub experiments: Vec<String>,
    /// Only runs whose config has KEY=VALUE (a dotted key and a TOML value,
    /// as --set takes them), or `status=completed`; repeated, all must hold.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
    /// Sort by this metric (names as sweep --metric), best first.
    #[arg(long, value_name = "METRIC")]
    pub sort: Option<String>,
    /// How the list is printed: an aligned table, or CSV or JSON at full precision.
    #[arg(long, value_enum, default_value_t = RunsFormat::Table)]
    pub format: RunsFormat,
}

/// `runs --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunsFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct PredictArgs {
    /// A run directory (with model.json).
    pub run_dir: PathBuf,
    /// The rows to predict, with the columns the model was trained on.
    pub data: PathBuf,
    /// Write the predictions here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A run directory (with model.json).
    pub run_dir: PathBuf,
    /// The ONNX file to write (default: <experiment>-<run-id>.onnx in the
    /// current directory).
    #[arg(long, value_name = "FILE.onnx")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The experiment file.
    pub file: PathBuf,
    /// Which training example to follow (from 1, in training order).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub example: usize,
    /// Which epoch's step to trace (from 1): the epochs before it are
    /// trained first, exactly as `run` trains them.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub epoch: usize,
    /// Override a config key, as with `run`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DataArgs {
    /// The experiment file.
    pub file: PathBuf,
    /// Write the rows here as CSV: `row`, the columns as the data has them,
    /// and `split` (train, validation or test), in the data's order.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Override a config key, as with `run`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct GradcheckArgs {
    /// The experiment file.
    pub file: PathBuf,
    /// Override a config key, as with `run`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The results directory to report on (default: the --results directory).
    pub results_dir: Option<PathBuf>,
    /// Where the page goes (default: RESULTS_DIR/report.html).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
