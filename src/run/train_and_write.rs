//! Training one run and writing what it produced: metrics.csv and
//! model.json first (its substance), then predictions.csv, the cost figure,
//! the checkpoint, and summary.json last, whose presence says the run
//! directory is complete. A resume is checked whole before any file changes.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Instant;

use super::classification::{self, Reports};
use super::closing_line::closing_line;
use super::diagnostics_file;
use super::figures::{self, Job};
use super::findings::{findings, middle_epoch};
use super::progress::Progress;
use super::record::{Recorder, empty_record};
use super::snapshots::Snapshots;
use super::summary::{headline_record, named, run_summary};
use super::timings::{EVALUATION, FIGURES, FILES, TRAINING, Timings};
use crate::config::Config;
use crate::data::PreparedData;
use crate::error::Error;
use crate::interrupt;
use crate::nn::{Float, Network};
use crate::results::figure_files::FigureFiles;
use crate::results::history::History;
use crate::results::metrics_file::{self, MetricsFile, Refusal};
use crate::results::{
    atomic, checkpoint, cost_figure, function_figure, model_file, network_figure, predictions_csv,
};
use crate::stdout;
use crate::train::baseline::Baseline;
use crate::train::diagnostics::LayerDiagnostics;
use crate::train::{self, Evaluator, Outcome, Status, TrainError};

pub(super) struct Context<'a> {
    pub(super) config: &'a Config,
    pub(super) data: &'a PreparedData,
    pub(super) dir: &'a Path,
    pub(super) identity: &'a checkpoint::Identity,
    /// The text of the checkpoint to carry on from.
    pub(super) resume_from: Option<&'a str>,
    pub(super) started: Instant,
    pub(super) progress: bool,
    pub(super) announce: bool,
    pub(super) checkpoint_every: Option<usize>,
    /// Draw the figures at once, on rayon's threads (see `figures`).
    pub(super) parallel_figures: bool,
}

/// Trains and writes the run; its status and how many findings it got.
/// What the phases took is added to `timings`.
pub(super) fn train_and_write<T: Float>(
    cx: &Context<'_>,
    timings: &mut Timings,
) -> Result<(Status, usize), Error> {
    let (config, data) = (cx.config, cx.data);
    let started = Instant::now();
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
        diagnostics: match &resume {
            Some(checkpoint) if config.training.diagnostics => {
                diagnostics_file::resumed(cx.dir, checkpoint.epoch)?
            }
            _ => Vec::new(),
        },
    };
    if let Some(checkpoint) = &resume {
        recorder.progress.resume_at(checkpoint.epoch);
    }
    timings.add(FILES, started.elapsed());
    let polling = interrupt::polling();
    let mut watched = Snapshots::new(&mut recorder, config, data, resume.is_some());
    let outcome: Outcome<T> = timings
        .time(TRAINING, || {
            train::train(config, data, &mut watched, resume.as_ref())
        })
        .map_err(|error| match error {
            TrainError::Io { path, source } => Error::Io { path, source },
            TrainError::Checkpoint(message) => refused(&checkpoint_path)(message),
        })?;
    let snapshots = watched.taken;
    drop(polling);
    recorder.progress.finish();
    let history = &recorder.history;

    // metrics.csv and model.json first: they are the run's substance.
    let started = Instant::now();
    let committed = recorder
        .metrics
        .commit()
        .map_err(Error::io(&metrics_path))?;
    write(
        &cx.dir.join("model.json"),
        model_file::render(&outcome.network, data).as_bytes(),
    )?;
    timings.add(FILES, started.elapsed());

    let mut test_metrics = BTreeMap::new();
    let mut test_summary = None;
    if let Some(test) = &data.test {
        let mut evaluator = Evaluator::new(&outcome.network);
        let (summary, outputs) = timings.time(EVALUATION, || {
            evaluator.outputs(
                &outcome.network,
                test,
                config.training.loss,
                data.task,
                data.normalization.target,
            )
        });
        test_metrics = named("test", &summary);
        test_summary = Some(summary);
        timings.time(FILES, || {
            write(
                &cx.dir.join("predictions.csv"),
                predictions_csv::render(data, test, &outputs).as_bytes(),
            )
        })?;
    }

    let (baseline, reports) = timings.time(EVALUATION, || {
        (
            train::baseline::baseline(data, config.training.loss),
            Reports::of(config, data, &outcome.network),
        )
    });
    if config.training.diagnostics {
        timings.time(FILES, || {
            diagnostics_file::write_csv(cx.dir, &recorder.diagnostics)
        })?;
    }
    let jobs = figure_jobs(
        cx,
        &outcome,
        history,
        &baseline,
        &snapshots,
        &recorder.diagnostics,
        reports.as_ref(),
        timings,
    );
    figures::draw_all(jobs, cx.parallel_figures, timings)?;

    // An interrupted run keeps where it stood, for --resume; any other
    // ending makes the checkpoint useless.
    let started = Instant::now();
    if let Some(state) = &outcome.final_state {
        write(
            &checkpoint_path,
            checkpoint::render(state, cx.identity, &committed).as_bytes(),
        )?;
    } else if checkpoint_path.exists() {
        fs::remove_file(&checkpoint_path).map_err(Error::io(&checkpoint_path))?;
    }
    let middle = metrics_file::read_row(&metrics_path, &template, middle_epoch(history.len()))
        .map_err(Error::io(&metrics_path))?;
    timings.add(FILES, started.elapsed());
    let found = timings.time(EVALUATION, || {
        findings(config, data, &outcome, history, middle.as_ref(), &baseline)
    });
    let count = found.len();
    let started = Instant::now();
    let headline = headline_record(&outcome, history, |epoch| {
        metrics_file::read_row(&metrics_path, &template, epoch)
    })
    .map_err(Error::io(&metrics_path))?;
    // summary.json last: its presence says the run directory is complete.
    let summary = run_summary(
        cx,
        &outcome,
        history,
        headline.as_ref(),
        test_metrics,
        &baseline,
        found,
    );
    let summary = crate::results::summary::RunSummary {
        classification: reports.as_ref().map(Reports::summary),
        ..summary
    };
    let mut json = serde_json::to_string_pretty(&summary).expect("summary serializes to JSON");
    json.push('\n');
    write(&cx.dir.join("summary.json"), json.as_bytes())?;
    timings.add(FILES, started.elapsed());

    if cx.announce {
        // On stderr and before the closing line: stdout's last line stays
        // the closing line that scripts read.
        for finding in &summary.findings {
            eprintln!("warning: {}: {}", config.experiment.name, finding.message);
        }
        // The per-class detail is for a person reading: --quiet (which
        // turns the progress bar off) leaves only the closing line.
        if let (Some(reports), true) = (&reports, cx.progress) {
            eprint!("{}", classification::text(reports));
        }
        stdout::line(&closing_line(
            config,
            &outcome,
            headline.as_ref(),
            test_summary.as_ref(),
            &baseline,
            cx.dir,
        ))?;
    }
    Ok((outcome.status, count))
}

/// The run's figures as independent jobs (see `figures`), the setting of
/// the function figures found first (its time is the function figure's).
#[allow(clippy::too_many_arguments)]
fn figure_jobs<'a, T: Float>(
    cx: &'a Context<'a>,
    outcome: &'a Outcome<T>,
    history: &'a History,
    baseline: &'a Baseline,
    snapshots: &'a [(usize, Network<T>)],
    diagnostics: &'a [LayerDiagnostics],
    reports: Option<&'a Reports>,
    timings: &mut Timings,
) -> Vec<Job<'a>> {
    let (config, data, dir) = (cx.config, cx.data, cx.dir);
    let name = &config.experiment.name;
    let started = Instant::now();
    let setting = function_figure::setting(config, data, &outcome.network);
    timings.add_serial_part(FIGURES, "function", started.elapsed());
    // The largest first, so that two threads finish together.
    let mut jobs = Vec::new();
    if let Some(setting) = setting {
        let setting = std::sync::Arc::new(setting);
        let shared = std::sync::Arc::clone(&setting);
        jobs.push(Job::new("function-snapshots", move || {
            Ok(function_figure::write_snapshots(
                dir, config, data, snapshots, &shared,
            )?)
        }));
        jobs.push(Job::new("function", move || {
            Ok(function_figure::write_learned(
                dir,
                config,
                data,
                &outcome.network,
                &setting,
            )?)
        }));
    }
    jobs.push(Job::new("network", move || {
        let trained_epoch = outcome.restored_epoch.unwrap_or(outcome.epochs_run);
        let initial = train::initial_network::<T>(config, data);
        let diagram =
            network_figure::network_diagram(name, data, &initial, &outcome.network, trained_epoch);
        Ok(network_figure::write(&diagram, dir)?)
    }));
    jobs.push(Job::new("cost", move || {
        let title = if config.experiment.description.is_empty() {
            name.clone()
        } else {
            format!("{name}: {}", config.experiment.description)
        };
        let plotted = cost_figure::Context {
            baseline: Some(baseline),
            restored_epoch: outcome.restored_epoch,
            divergence: outcome.divergence.as_ref(),
        };
        let figure = cost_figure::cost_figure(&title, history, plotted);
        Ok(FigureFiles::write_cost(&figure, dir)?)
    }));
    if config.training.diagnostics {
        jobs.push(Job::new("diagnostics", move || {
            diagnostics_file::write_figure(dir, name, history, diagnostics)
        }));
    }
    if let Some(reports) = reports {
        jobs.extend(reports.figure_jobs(dir, name));
    }
    jobs
}

pub(super) fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    atomic::write(path, bytes).map_err(Error::io(path))
}
