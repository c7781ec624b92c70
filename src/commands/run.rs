//! `synapse run`: validate, train, and write one run directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::{Global, RunArgs};
use crate::commands::interrupt;
use crate::commands::progress::Progress;
use crate::commands::stdout;
use crate::config::{Config, Precision, Task};
use crate::data::PreparedData;
use crate::error::Error;
use crate::experiment;
use crate::nn::Float;
use crate::nn::fast::matmul;
use crate::results::figure_files::FigureFiles;
use crate::results::history::History;
use crate::results::metrics_file::{self, MetricsFile, Refusal};
use crate::results::summary::{self, RunSummary};
use crate::results::{
    atomic, checkpoint, config_toml, cost_figure, metrics_csv, model_file, predictions_csv,
    run_dir, run_id,
};
use crate::text::number;
use crate::train::metrics::{Summary, TaskMetrics};
use crate::train::{
    self, EpochRecord, Evaluator, Observer, Outcome, Status, TrainError, TrainingState,
};

#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome {
    /// Trained; `status` says how it ended (diverged and interrupted runs
    /// have their results written too).
    Ran { dir: PathBuf, status: Status },
    /// This exact experiment already has results there.
    Skipped { dir: PathBuf },
}

impl RunOutcome {
    pub fn dir(&self) -> &Path {
        match self {
            RunOutcome::Ran { dir, .. } | RunOutcome::Skipped { dir } => dir,
        }
    }
}

/// One run, as `run` and `sweep` ask for it.
pub struct Request<'a> {
    pub file: &'a Path,
    pub assignments: &'a [String],
    pub force: bool,
    pub results: &'a Path,
    /// Draw a progress bar (on a terminal).
    pub progress: bool,
    /// Print the closing line, or where the existing results are.
    pub announce: bool,
    /// Continue an interrupted run from its checkpoint.
    pub resume: bool,
    /// Checkpoint every this many epochs; by default about once a second.
    pub checkpoint_every: Option<usize>,
}

/// `synapse run`: a diverged or interrupted run is an error here, after its
/// results are written.
pub fn run(args: &RunArgs, global: &Global) -> Result<(), Error> {
    let request = Request {
        file: &args.file,
        assignments: &args.set,
        force: args.force,
        results: &global.results,
        progress: !global.quiet,
        announce: true,
        resume: args.resume,
        checkpoint_every: args.checkpoint_every.map(|n| n as usize),
    };
    let threads = args.threads as usize;
    let outcome = if threads > 1 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| {
                Error::Usage(format!(
                    "--threads {threads}: cannot start the threads: {e}"
                ))
            })?;
        pool.install(|| {
            matmul::set_threads(threads);
            execute(&request)
        })?
    } else {
        execute(&request)?
    };
    match outcome {
        RunOutcome::Ran {
            dir,
            status: Status::Interrupted,
        } => Err(Error::Interrupted(dir)),
        RunOutcome::Ran {
            dir,
            status: Status::Diverged,
        } => Err(Error::Diverged(diverged_message(&dir))),
        _ => Ok(()),
    }
}

/// Where the run of a request lands, and whether it is complete there;
/// trains nothing.
pub fn locate(request: &Request<'_>) -> Result<(PathBuf, bool), Error> {
    let (config, data) = experiment::load(request.file, request.assignments)?;
    let (dir, _) = run_dir::locate(request.results, &config, &data.content_hash);
    let done = run_dir::has_summary(&dir);
    Ok((dir, done))
}

/// Validates, trains and writes one run directory (or finds it done).
pub fn execute(request: &Request<'_>) -> Result<RunOutcome, Error> {
    let started = Instant::now();
    let (config, data) = experiment::load(request.file, request.assignments)?;
    let (dir, id) = run_dir::locate(request.results, &config, &data.content_hash);
    // A finished run (diverged included: rerunning gives the same) is not
    // run again; an interrupted one is continued or started over.
    if run_dir::finished(run_dir::previous_status(&dir)) && !request.force {
        return skipped(request, &config, dir, "--force runs it again");
    }
    run_dir::prepare(&dir)?;
    let lock = run_dir::take(
        &dir,
        || {
            eprintln!(
                "note: another synapse is running this same experiment in {}; \
                 waiting for it (its results will be the same)",
                dir.display()
            )
        },
        interrupt::requested,
    )?;
    // The run may have been finished while this process waited for it (or
    // since it looked): taken as done, not run twice.
    let previous = run_dir::previous_status(&dir);
    if run_dir::finished(previous) && (!request.force || lock.waited()) {
        return skipped(request, &config, dir, "by another synapse, just now");
    }

    let config_text = config_toml::render(&config, &dir);
    let identity = checkpoint::Identity {
        run_id: id.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        config_hash: run_id::sha256_hex(config_text.as_bytes()),
    };
    let resume_from = if request.resume && !request.force {
        let path = dir.join(checkpoint::FILE);
        match crate::regular_file::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if request.announce && previous.is_some() {
                    eprintln!("note: {} has no checkpoint; starting over", dir.display());
                }
                None
            }
            // Not UTF-8: not a checkpoint synapse wrote, refused as one
            // that is not JSON is.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(Error::Results {
                    path,
                    message: format!(
                        "is not a synapse checkpoint ({e}); run without --resume to start over"
                    ),
                });
            }
            Err(e) => return Err(Error::io(path)(e)),
        }
    } else {
        if previous.is_some() && !request.force && request.announce {
            eprintln!(
                "note: starting over the interrupted run in {} (--resume continues it)",
                dir.display()
            );
        }
        None
    };
    write(&dir.join("config.toml"), config_text.as_bytes())?;
    let context = Context {
        config: &config,
        data: &data,
        dir: &dir,
        identity: &identity,
        resume_from: resume_from.as_deref(),
        started,
        progress: request.progress,
        announce: request.announce,
        checkpoint_every: request.checkpoint_every,
    };
    let status = match config.training.precision {
        Precision::F64 => train_and_write::<f64>(&context)?,
        Precision::F32 => train_and_write::<f32>(&context)?,
    };
    Ok(RunOutcome::Ran { dir, status })
}

/// A run found done: says where its results are (`why` in brackets).
fn skipped(
    request: &Request<'_>,
    config: &Config,
    dir: PathBuf,
    why: &str,
) -> Result<RunOutcome, Error> {
    if request.announce {
        stdout::line(&format!(
            "{}: already ran ({why}) -> {}",
            config.experiment.name,
            dir.display()
        ))?;
    }
    Ok(RunOutcome::Skipped { dir })
}

/// What went wrong in a diverged run, from its summary.json.
fn diverged_message(dir: &Path) -> String {
    let summary: Option<RunSummary> =
        crate::regular_file::read_to_string(&dir.join("summary.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok());
    let where_ = summary
        .as_ref()
        .and_then(|s| s.divergence.as_ref())
        .map(|d| {
            // Quoted from a file that may have been edited.
            let quantity = crate::text::printable(&d.quantity);
            format!(" at epoch {}, batch {} ({quantity})", d.epoch, d.batch)
        })
        .unwrap_or_default();
    format!(
        "training diverged{where_}; try a smaller learning_rate, or look for extreme values in the data. \
         metrics.csv keeps the completed epochs and model.json the last finite weights, in {}",
        dir.display()
    )
}

struct Context<'a> {
    config: &'a Config,
    data: &'a PreparedData,
    dir: &'a Path,
    identity: &'a checkpoint::Identity,
    /// The text of the checkpoint to carry on from.
    resume_from: Option<&'a str>,
    started: Instant,
    progress: bool,
    announce: bool,
    checkpoint_every: Option<usize>,
}

/// Seconds between checkpoints when no epoch count is asked for: often
/// enough that a killed run loses little, rarely enough to cost nothing.
const CHECKPOINT_SECONDS: f64 = 1.0;

/// Shows progress, appends each epoch's row to metrics.csv, keeps what the
/// summary and the plot need, and writes checkpoint.json while training runs.
struct Recorder<'a> {
    progress: Progress,
    dir: &'a Path,
    identity: &'a checkpoint::Identity,
    metrics: MetricsFile,
    history: History,
    every: Option<usize>,
    last_write: Instant,
}

impl<T: Float> Observer<T> for Recorder<'_> {
    fn epoch_done(
        &mut self,
        record: &EpochRecord,
        state: &TrainingState<'_, T>,
    ) -> Result<(), TrainError> {
        self.progress.epoch_done(record);
        self.history.push(record);
        let metrics_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source| TrainError::Io { path, source }
        };
        self.metrics
            .push(record)
            .map_err(metrics_error(self.metrics.path()))?;
        let due = match self.every {
            Some(every) => record.epoch.is_multiple_of(every),
            None => self.last_write.elapsed().as_secs_f64() >= CHECKPOINT_SECONDS,
        };
        if due {
            // The rows first: the checkpoint vouches only for rows on disk.
            let committed = self
                .metrics
                .commit()
                .map_err(metrics_error(self.metrics.path()))?;
            let checkpoint = checkpoint::render(&state.checkpoint(), self.identity, &committed);
            let path = self.dir.join(checkpoint::FILE);
            atomic::write(&path, checkpoint.as_bytes())
                .map_err(|source| TrainError::Io { path, source })?;
            self.last_write = Instant::now();
        }
        Ok(())
    }

    fn should_stop(&self) -> bool {
        interrupt::requested()
    }
}

fn train_and_write<T: Float>(cx: &Context<'_>) -> Result<Status, Error> {
    let (config, data) = (cx.config, cx.data);
    let template = empty_record(data);
    let checkpoint_path = cx.dir.join(checkpoint::FILE);
    let metrics_path = cx.dir.join("metrics.csv");
    let refused = |path: &Path| {
        let path = path.to_path_buf();
        move |message| Error::Results { path, message }
    };
    // Everything a resume needs is checked before any file changes, so a
    // refused resume leaves the interrupted run as it was.
    let (resume, verified) = match cx.resume_from {
        Some(text) => {
            let (checkpoint, committed) =
                checkpoint::parse::<T>(text, cx.identity, data.inputs.len())
                    .map_err(refused(&checkpoint_path))?;
            train::check_resume(config, data, &checkpoint).map_err(refused(&checkpoint_path))?;
            let verified =
                metrics_file::verify(&metrics_path, &template, &committed).map_err(|refusal| {
                    match refusal {
                        Refusal::Io(source) => Error::io(&metrics_path)(source),
                        Refusal::Refused(message) => refused(&metrics_path)(message),
                    }
                })?;
            (Some(checkpoint), Some(verified))
        }
        None => (None, None),
    };
    // From here on metrics.csv changes: the old summary.json goes first, so
    // that no kill can leave a summary that disagrees with the rows.
    let summary_path = cx.dir.join("summary.json");
    match fs::remove_file(&summary_path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::io(summary_path)(e));
        }
        _ => {}
    }
    let (metrics, history) = match verified {
        Some(verified) => MetricsFile::resume(&metrics_path, verified),
        None => MetricsFile::create(&metrics_path, &template).map(|m| (m, History::default())),
    }
    .map_err(Error::io(&metrics_path))?;
    let mut recorder = Recorder {
        progress: Progress::new(config.training.epochs, !cx.progress),
        dir: cx.dir,
        identity: cx.identity,
        metrics,
        history,
        every: cx.checkpoint_every,
        last_write: Instant::now(),
    };
    if let Some(checkpoint) = &resume {
        recorder.progress.resume_at(checkpoint.epoch);
    }
    let polling = interrupt::polling();
    let outcome: Outcome<T> = train::train(config, data, &mut recorder, resume.as_ref()).map_err(
        |error| match error {
            TrainError::Io { path, source } => Error::Io { path, source },
            TrainError::Checkpoint(message) => refused(&checkpoint_path)(message),
        },
    )?;
    drop(polling);
    recorder.progress.finish();
    let history = &recorder.history;

    // metrics.csv and model.json first: they are the run's substance.
    let committed = recorder
        .metrics
        .commit()
        .map_err(Error::io(&metrics_path))?;
    write(
        &cx.dir.join("model.json"),
        model_file::render(&outcome.network, data).as_bytes(),
    )?;

    let mut test_metrics = BTreeMap::new();
    if let Some(test) = &data.test {
        let mut evaluator = Evaluator::new(&outcome.network);
        let (summary, outputs) = evaluator.outputs(
            &outcome.network,
            test,
            config.training.loss,
            data.task,
            data.normalization.target,
        );
        test_metrics = named("test", &summary);
        write(
            &cx.dir.join("predictions.csv"),
            predictions_csv::render(data, test, &outputs).as_bytes(),
        )?;
    }

    let title = if config.experiment.description.is_empty() {
        config.experiment.name.clone()
    } else {
        format!(
            "{}: {}",
            config.experiment.name, config.experiment.description
        )
    };
    let figure = cost_figure::cost_figure(&title, history);
    FigureFiles::write_cost(&figure, cx.dir)?;

    // An interrupted run keeps where it stood, for --resume; any other
    // ending makes the checkpoint useless.
    if let Some(state) = &outcome.final_state {
        write(
            &checkpoint_path,
            checkpoint::render(state, cx.identity, &committed).as_bytes(),
        )?;
    } else if checkpoint_path.exists() {
        fs::remove_file(&checkpoint_path).map_err(Error::io(&checkpoint_path))?;
    }

    // summary.json last: its presence says the run directory is complete.
    let summary = run_summary(cx, &outcome, history, test_metrics);
    let mut json = serde_json::to_string_pretty(&summary).expect("summary serializes to JSON");
    json.push('\n');
    write(&cx.dir.join("summary.json"), json.as_bytes())?;

    if cx.announce {
        stdout::line(&closing_line(config, &outcome, history, cx.dir))?;
    }
    Ok(outcome.status)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    atomic::write(path, bytes).map_err(Error::io(path))
}

/// An epoch record with the columns this task and split would have, for the
/// header of an empty metrics.csv (epochs = 0).
fn empty_record(data: &PreparedData) -> EpochRecord {
    let task = match data.task {
        Task::Binary | Task::Multiclass => TaskMetrics::Accuracy(0.0),
        Task::Regression => TaskMetrics::Regression {
            rmse: 0.0,
            mae: 0.0,
        },
    };
    let summary = Summary {
        cost: 0.0,
        loss: 0.0,
        task,
    };
    EpochRecord {
        epoch: 0,
        learning_rate: 0.0,
        train: summary,
        validation: data.validation.as_ref().map(|_| summary),
    }
}

fn named(split: &str, summary: &Summary) -> BTreeMap<String, f64> {
    let mut columns = vec![(format!("{split}_loss"), summary.loss)];
    metrics_csv::push_task(split, summary, &mut columns);
    columns.into_iter().collect()
}

fn run_summary<T: Float>(
    cx: &Context<'_>,
    outcome: &Outcome<T>,
    history: &History,
    test: BTreeMap<String, f64>,
) -> RunSummary {
    let row = |r: &EpochRecord| {
        metrics_csv::columns(r)
            .into_iter()
            .filter(|(name, _)| name != "epoch")
            .collect::<BTreeMap<_, _>>()
    };
    let best = history.best().map(|r| summary::Best {
        epoch: r.epoch,
        metrics: row(r),
    });
    let count = |e: &Option<crate::data::Examples>| e.as_ref().map_or(0, |e| e.len());
    RunSummary {
        experiment: cx.config.experiment.name.clone(),
        run_id: cx.identity.run_id.clone(),
        status: outcome.status,
        task: experiment::task_name(cx.data.task).to_string(),
        epochs_planned: cx.config.training.epochs,
        epochs_run: outcome.epochs_run,
        final_metrics: history.last().map(row).unwrap_or_default(),
        best,
        test,
        restored_epoch: outcome.restored_epoch,
        divergence: outcome
            .divergence
            .as_ref()
            .map(|d| summary::DivergenceReport {
                epoch: d.epoch,
                batch: d.batch,
                quantity: d.quantity.clone(),
            }),
        examples: summary::Examples {
            train: cx.data.train.len(),
            validation: count(&cx.data.validation),
            test: count(&cx.data.test),
        },
        parameters: outcome
            .network
            .layers
            .iter()
            .map(|l| l.weights.len() + l.biases.len())
            .sum(),
        seed: cx.config.experiment.seed,
        config_hash: cx.identity.config_hash.clone(),
        data_hash: cx.data.content_hash.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        train_seconds: outcome.train_seconds,
        wall_seconds: cx.started.elapsed().as_secs_f64(),
    }
}

fn closing_line<T: Float>(
    config: &Config,
    outcome: &Outcome<T>,
    history: &History,
    dir: &Path,
) -> String {
    let mut line = format!(
        "{}: {} after {} of {} epochs",
        config.experiment.name,
        outcome.status.as_str(),
        outcome.epochs_run,
        config.training.epochs
    );
    if let Some(last) = history.last() {
        line.push_str(&format!(
            "; train cost {} (loss {}{})",
            number(last.train.cost),
            number(last.train.loss),
            task_text(&last.train)
        ));
        if let Some(v) = &last.validation {
            line.push_str(&format!(
                ", validation loss {}{}",
                number(v.loss),
                task_text(v)
            ));
        }
    }
    line.push_str(&format!(" -> {}", dir.display()));
    line
}

fn task_text(summary: &Summary) -> String {
    match summary.task {
        TaskMetrics::Accuracy(a) => format!(", accuracy {}", number(a)),
        TaskMetrics::Regression { rmse, mae } => {
            format!(", rmse {}, mae {}", number(rmse), number(mae))
        }
    }
}
