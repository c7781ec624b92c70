//! `synapse sweep`: expand a sweep file into runs, run them in parallel,
//! and write what they add up to.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::cli::{Global, SweepArgs};
use crate::config;
use crate::error::Error;
use crate::interrupt;
use crate::results::figure_files::FigureFiles;
use crate::results::read::RunFiles;
use crate::results::run_lock::RunLock;
use crate::results::{atomic, run_dir, run_id};
use crate::run::{self, Request};
use crate::statistics::Stats;
use crate::stdout;
use crate::sweep::aggregate::{self, Point, RunResult};
use crate::sweep::shard::Shard;
use crate::sweep::spec::{self, RunSpec, Sweep};
use crate::sweep::{check, figure, tables};
use crate::text::{self, Table};
use crate::train::status::Status;

pub fn sweep(args: &SweepArgs, global: &Global) -> Result<(), Error> {
    let sweep = spec::load(&args.file)?;
    let runs = sweep.runs();
    // Random samples can coincide (a `choice` of few values): the same run
    // twice would count twice, or, in parallel, race for one directory.
    let mut seen = std::collections::HashMap::new();
    for run in &runs {
        let assignments = run.assignments();
        if let Some(first) = seen.insert(assignments.clone(), run.position) {
            return Err(Error::Usage(format!(
                "{}: runs {first} and {} would be the same run ({}); \
                 give the random keys wider ranges or more choices, or draw fewer samples",
                args.file.display(),
                run.position,
                assignments.join(" ")
            )));
        }
    }
    let shard = args
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(Error::Usage)?;
    let in_shard = |run: &RunSpec| shard.is_none_or(|shard| shard.owns(run.position));
    if args.list {
        let mut lines = String::new();
        for run in runs.iter().filter(|r| in_shard(r)) {
            lines.push_str(&command_line(&sweep, run, &global.results));
            lines.push('\n');
        }
        return stdout::write(lines.as_bytes());
    }
    // A misspelt metric is told now, not after every run has trained.
    if !aggregate::is_metric_name(&args.metric) {
        return Err(Error::Usage(format!(
            "--metric {}: not a metric of synapse; metrics are best_epoch, and \
             [final_|best_]<split>_<measure> with split train, validation or test \
             and measure cost, loss, accuracy, rmse or mae (final_ may be left out)",
            args.metric
        )));
    }
    let base = config::load(&sweep.experiment, &[])?;
    let name = base.config.experiment.name.clone();
    let dir = global
        .results
        .join(&name)
        .join(format!("sweep-{}", sweep_id(&sweep, &base.config)));
    // Everything that can be known wrong is told before anything trains,
    // and nothing is written until it is.
    run_dir::refuse_links(&dir)?;
    check::check_all(&sweep, &runs)?;

    let jobs = args
        .jobs
        .map(|j| j as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let selected: Vec<&RunSpec> = runs.iter().filter(|r| in_shard(r)).collect();
    let executed = execute_all(&sweep, &selected, jobs, args, global)?;

    // Runs of other shards count if they are done; otherwise they are pending.
    let mut results = Vec::with_capacity(runs.len());
    let mut executed = executed.into_iter().peekable();
    for run in &runs {
        match executed.peek() {
            Some(result) if result.spec.position == run.position => {
                results.extend(executed.next());
            }
            _ => results.push(look_up(&sweep, run, global)),
        }
    }

    let points = aggregate::points(&results);
    let metrics = tables::metric_names(&results);
    // The summary first: a metric these runs lack must not cost their results.
    write_outputs(&sweep, &dir, &name, &results, &points, &metrics)?;
    let metric = resolve_metric(&args.metric, &metrics)?;
    stdout::write(table(&points, metric.as_deref(), &args.metric).as_bytes())?;
    stdout::line(&format!(
        "sweep: {} runs -> {}",
        results.len(),
        dir.display()
    ))?;

    if interrupt::requested() {
        return Err(Error::Interrupted(dir));
    }
    let failed = results
        .iter()
        .filter(|r| r.status == Status::Failed)
        .count();
    if failed > 0 {
        return Err(Error::RunsFailed(format!(
            "{failed} of {} runs failed; their errors are in {}",
            results.len(),
            dir.join("summary.csv").display()
        )));
    }
    Ok(())
}

/// Runs `selected` on `jobs` threads; results come back in sweep order.
fn execute_all(
    sweep: &Sweep,
    selected: &[&RunSpec],
    jobs: usize,
    args: &SweepArgs,
    global: &Global,
) -> Result<Vec<RunResult>, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {jobs} worker threads: {e}")))?;
    let target = if global.quiet {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(Some(selected.len() as u64), target);
    if let Ok(style) =
        ProgressStyle::with_template("runs {pos}/{len} {bar:30} {msg} [{elapsed_precise}]")
    {
        bar.set_style(style);
    }
    let running = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let show = |bar: &ProgressBar| {
        bar.set_message(format!(
            "{} running, {} failed",
            running.load(Ordering::Relaxed),
            failed.load(Ordering::Relaxed)
        ));
    };
    let results = pool.install(|| {
        selected
            .par_iter()
            // One run per task, so a slow run never holds others back.
            .with_max_len(1)
            .map(|spec| {
                if stop.load(Ordering::Relaxed) || interrupt::requested() {
                    return pending(spec, "not started: the sweep was stopped");
                }
                running.fetch_add(1, Ordering::Relaxed);
                show(&bar);
                let result = execute_one(sweep, spec, args.force, &global.results);
                running.fetch_sub(1, Ordering::Relaxed);
                // Failed, or pending after it waited and was stopped: a
                // run that never trained to an end.
                if !result.status.is_training_end() {
                    failed.fetch_add(1, Ordering::Relaxed);
                    if args.fail_fast {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                bar.inc(1);
                show(&bar);
                result
            })
            .collect()
    });
    bar.finish_and_clear();
    Ok(results)
}

fn pending(spec: &RunSpec, why: &str) -> RunResult {
    RunResult {
        spec: spec.clone(),
        status: Status::Pending,
        dir: None,
        files: None,
        error: Some(why.to_string()),
    }
}

fn execute_one(sweep: &Sweep, spec: &RunSpec, force: bool, results: &Path) -> RunResult {
    let assignments = spec.assignments();
    let request = Request {
        file: &sweep.experiment,
        assignments: &assignments,
        force,
        results,
        progress: false,
        announce: false,
        resume: true,
        checkpoint_every: None,
    };
    match run::execute(&request) {
        Ok(outcome) => finished(spec, outcome.dir()),
        // Stopped while waiting for another process's run of it.
        Err(Error::Interrupted(_)) => pending(spec, "not started: the sweep was stopped"),
        // The values were checked before the sweep began: what fails now is
        // the file system under this run (a planted link, a full disk).
        Err(error) => failed(spec, &error),
    }
}

/// A run of another shard: done if its results are there, else pending.
fn look_up(sweep: &Sweep, spec: &RunSpec, global: &Global) -> RunResult {
    let assignments = spec.assignments();
    let request = Request {
        file: &sweep.experiment,
        assignments: &assignments,
        force: false,
        results: &global.results,
        progress: false,
        announce: false,
        resume: true,
        checkpoint_every: None,
    };
    match run::locate(&request) {
        Ok((dir, true)) => finished(spec, &dir),
        Ok((_, false)) => pending(spec, "not run yet (another shard)"),
        Err(error) => failed(spec, &error),
    }
}

fn failed(spec: &RunSpec, error: &Error) -> RunResult {
    RunResult {
        spec: spec.clone(),
        status: Status::Failed,
        dir: None,
        files: None,
        error: Some(error.to_string()),
    }
}

/// A run whose directory has been written: its status from its own files.
fn finished(spec: &RunSpec, dir: &Path) -> RunResult {
    match RunFiles::read(dir) {
        Ok(files) => RunResult {
            spec: spec.clone(),
            status: files.summary.status,
            dir: Some(dir.to_path_buf()),
            files: Some(files),
            error: None,
        },
        Err(error) => RunResult {
            spec: spec.clone(),
            status: Status::Failed,
            dir: Some(dir.to_path_buf()),
            files: None,
            error: Some(error.to_string()),
        },
    }
}

/// The sweep's identity: its content, the base experiment's, and the version.
fn sweep_id(sweep: &Sweep, base: &config::Config) -> String {
    let text = format!(
        "synapse {}\n{}\n{}\n",
        env!("CARGO_PKG_VERSION"),
        sweep.canonical,
        config::to_toml(base)
    );
    run_id::sha256_hex(text.as_bytes())[..12].to_string()
}

/// `synapse run <experiment> --set …` for one run, quoted for a POSIX shell.
fn command_line(sweep: &Sweep, run: &RunSpec, results: &Path) -> String {
    let mut words = vec![
        "synapse".to_string(),
        "run".to_string(),
        quote(&sweep.experiment.to_string_lossy()),
    ];
    if results != Path::new("results") {
        words.push("--results".to_string());
        words.push(quote(&results.to_string_lossy()));
    }
    for assignment in run.assignments() {
        words.push("--set".to_string());
        words.push(quote(&assignment));
    }
    words.join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=+:,@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// `--metric NAME`: an exact metric name, or a metrics.csv column taken at
/// the final epoch (`validation_loss` means `final_validation_loss`).
fn resolve_metric(name: &str, available: &[String]) -> Result<Option<String>, Error> {
    if available.is_empty() {
        return Ok(None);
    }
    for candidate in [name.to_string(), format!("final_{name}")] {
        if available.contains(&candidate) {
            return Ok(Some(candidate));
        }
    }
    // Without a validation split, rank by the training loss instead.
    if name == "validation_loss" && available.iter().any(|m| m == "final_train_loss") {
        return Ok(Some("final_train_loss".to_string()));
    }
    Err(Error::Usage(format!(
        "--metric {name}: no run has this metric; available: {}",
        available.join(", ")
    )))
}

fn write_outputs(
    sweep: &Sweep,
    dir: &Path,
    name: &str,
    results: &[RunResult],
    points: &[Point<'_>],
    metrics: &[String],
) -> Result<(), Error> {
    run_dir::prepare(dir)?;
    // Two sweeps of one file write the same files: one at a time, each
    // clearing only what no one is writing any more.
    let _lock = RunLock::acquire(
        dir,
        || {
            eprintln!(
                "note: another synapse is writing {}; waiting for it",
                dir.display()
            )
        },
        interrupt::requested,
    )?;
    atomic::remove_strays(dir);
    let keys = sweep.keys();
    let write = |file: &str, bytes: &[u8]| {
        let path = dir.join(file);
        atomic::write(&path, bytes).map_err(Error::io(path))
    };
    write(
        "summary.csv",
        tables::summary_csv(&keys, results, dir).as_bytes(),
    )?;
    write(
        "points.csv",
        tables::points_csv(&keys, points, metrics).as_bytes(),
    )?;
    let validation = metrics.iter().any(|m| m == "final_validation_loss");
    let title = sweep_title(name, &keys, results);
    let figure = figure::sweep_figure(&title, points, validation);
    FigureFiles::write_cost(&figure, dir).map_err(Error::from)
}

/// "heart: learning_rate × units, 3 seeds each".
fn sweep_title(name: &str, keys: &[String], results: &[RunResult]) -> String {
    let swept: Vec<&str> = keys
        .iter()
        .filter(|k| *k != aggregate::SEED_KEY)
        .map(|k| k.rsplit('.').next().unwrap_or(k))
        .collect();
    let seeds = results
        .iter()
        .filter_map(|r| r.spec.values.iter().find(|(k, _)| k == aggregate::SEED_KEY))
        .map(|(_, v)| v.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let mut title = format!(
        "{name}: {}",
        if swept.is_empty() {
            "seeds".to_string()
        } else {
            swept.join(" × ")
        }
    );
    if seeds > 1 {
        title.push_str(&format!(", {seeds} seeds each"));
    }
    title
}

/// The points, best first by `metric`, as an aligned table, line by line.
fn table(points: &[Point<'_>], metric: Option<&str>, asked: &str) -> String {
    let Some(metric) = metric else {
        return "no run finished, so there is nothing to rank\n".to_string();
    };
    let higher = aggregate::higher_is_better(metric);
    let mut ranked: Vec<(&Point<'_>, Option<Stats>)> = points
        .iter()
        .map(|p| (p, p.metrics().get(metric).copied()))
        .collect();
    ranked.sort_by(|(a_point, a), (b_point, b)| {
        let key = |s: &Option<Stats>| s.map(|s| if higher { -s.mean } else { s.mean });
        match (key(a), key(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a_point.index.cmp(&b_point.index),
        }
    });
    // Beside the ranking metric, the other numbers that answer "is B better than A?".
    let extra: Vec<&str> = [
        "final_validation_accuracy",
        "final_validation_rmse",
        "final_train_loss",
    ]
    .into_iter()
    .filter(|m| *m != metric && points.iter().any(|p| p.metrics().contains_key(*m)))
    .collect();
    let mut header = vec![
        "rank".to_string(),
        "point".to_string(),
        "runs".to_string(),
        format!("{metric} (mean ± std)"),
    ];
    header.extend(extra.iter().map(|m| m.to_string()));
    let mut table = Table::new(&header).indent("  ");
    let cell =
        |s: Option<&Stats>| s.map_or("-".to_string(), |s| text::mean_std(s.mean, s.std, s.n));
    for (rank, (point, stats)) in ranked.iter().enumerate() {
        let all = point.metrics();
        let mut row = vec![
            (rank + 1).to_string(),
            point.label(),
            format!("{}/{}", point.succeeded().len(), point.runs.len()),
            cell(stats.as_ref()),
        ];
        row.extend(extra.iter().map(|m| cell(all.get(*m))));
        table.row(row);
    }
    let mut text = format!(
        "points ranked by {metric}{}:\n",
        if asked != metric {
            format!(" (--metric {asked})")
        } else {
            String::new()
        }
    );
    text.push_str(&table.render());
    text
}
