//! `synapse sweep`: the arguments of a sweep and the order of its steps:
//! expand the sweep file, check everything before anything trains, run the
//! selected runs (`sweep::execute`), write what they add up to
//! (`sweep::outputs`), and print the ranking (`sweep::ranking`); with
//! `--strict`, a run with findings fails the sweep as it fails `run`.

use std::time::{Duration, Instant};

use crate::cli::{Global, SweepArgs};
use crate::config;
use crate::error::Error;
use crate::interrupt;
use crate::results::run_dir;
use crate::run::timings::Timings;
use crate::stdout;
use crate::sweep::aggregate;
use crate::sweep::execute::{Options, RunTimes, execute_all, look_up};
use crate::sweep::figure::{MAX_FACET_VALUES, resolve_facet};
use crate::sweep::listing::command_line;
use crate::sweep::outputs::{Asked, sweep_id, write_outputs};
use crate::sweep::ranking::{resolve_metric, table};
use crate::sweep::shard::Shard;
use crate::sweep::spec::{self, RunSpec};
use crate::sweep::{check, tables};
use crate::text::{number, plural};
use crate::train::status::Status;

pub fn sweep(args: &SweepArgs, global: &Global) -> Result<(), Error> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let mut sweep = spec::load(&args.file)?;
    if args.diagnostics {
        with_diagnostics(&mut sweep);
    }
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
             [headline_|final_|best_]<split>_<measure> with split train, validation or \
             test and measure cost, loss, accuracy, rmse or mae (headline_ may be left out)",
            args.metric
        )));
    }
    let facet = args
        .facet
        .as_deref()
        .map(|facet| facet_key(facet, &args.file, &runs))
        .transpose()?;
    timings.add(EXPAND, started.elapsed());
    let checking = Instant::now();
    let base = config::load(&sweep.experiment, &[])?;
    let name = base.config.experiment.name.clone();
    let dir = global
        .results
        .join(&name)
        .join(format!("sweep-{}", sweep_id(&sweep, &base.config)));
    // Everything that can be known wrong is told before anything trains,
    // and nothing is written until it is.
    run_dir::refuse_links(&dir)?;
    let kept = check::check_all(&sweep, &runs)?;
    timings.add(CHECK, checking.elapsed());

    let jobs = args
        .jobs
        .map(|j| j as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let selected: Vec<&RunSpec> = runs.iter().filter(|r| in_shard(r)).collect();
    let running = Instant::now();
    let options = Options {
        jobs,
        force: args.force,
        fail_fast: args.fail_fast,
        quiet: global.quiet,
        results: &global.results,
        kept: &kept,
    };
    let (executed, run_times) = execute_all(&sweep, &selected, &options)?;
    drop(kept);
    let runs_wall = running.elapsed();
    timings.add(RUNS, runs_wall);

    // Runs of other shards count if they are done; otherwise they are pending.
    let looking = Instant::now();
    let mut results = Vec::with_capacity(runs.len());
    let mut executed = executed.into_iter().peekable();
    for run in &runs {
        match executed.peek() {
            Some(result) if result.spec.position == run.position => {
                results.extend(executed.next());
            }
            _ => results.push(look_up(&sweep, run, &global.results)),
        }
    }

    timings.add(LOOK_UP, looking.elapsed());
    let points = aggregate::points(&results);
    let metrics = tables::metric_names(&results);
    // The summary first: a metric these runs lack must not cost their results.
    write_outputs(
        &sweep,
        &dir,
        &name,
        &results,
        &points,
        &metrics,
        Asked {
            metric: &args.metric,
            facet: facet.as_deref(),
        },
        &mut timings,
    )?;
    let ranking = Instant::now();
    let metric = resolve_metric(&args.metric, &metrics)?;
    stdout::write(table(&points, metric.as_deref(), &args.metric).as_bytes())?;
    timings.add(RANKING, ranking.elapsed());
    // Runs of the sweep that got findings: told on the last line, since
    // the runs' own warnings are not printed in a sweep.
    let with_findings = results
        .iter()
        .filter(|r| {
            r.files
                .as_ref()
                .is_some_and(|f| !f.summary.findings.is_empty())
        })
        .count();
    stdout::line(&format!(
        "sweep: {}{} -> {}",
        plural(results.len(), "run", "runs"),
        if with_findings > 0 {
            format!(", {with_findings} with findings")
        } else {
            String::new()
        },
        dir.display()
    ))?;
    if args.timings {
        eprint!(
            "{}",
            timings_text(&timings, started.elapsed(), &run_times, runs_wall, jobs)
        );
    }

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
    if args.strict && with_findings > 0 {
        return Err(Error::Findings(format!(
            "--strict: {} of {} got findings (the `findings` column above; each run's \
             summary.json lists its own)",
            with_findings,
            plural(results.len(), "run", "runs")
        )));
    }
    Ok(())
}

/// The sweep's own steps, in order.
const EXPAND: &str = "expand";
const CHECK: &str = "check";
const RUNS: &str = "runs";
const LOOK_UP: &str = "look-up";
const RANKING: &str = "ranking";

/// What `--timings` prints for a sweep: its own steps (the runs one of
/// them, as wall time), how much the jobs overlapped, and the runs' phases
/// summed over the runs.
fn timings_text(
    sweep: &Timings,
    wall: Duration,
    runs: &RunTimes,
    runs_wall: Duration,
    jobs: usize,
) -> String {
    let sum = runs.sum.as_secs_f64();
    let overlap = if runs_wall > Duration::ZERO {
        sum / runs_wall.as_secs_f64()
    } else {
        0.0
    };
    format!(
        "{}\n{} took {} s together in {} s of wall time on {}: {} at once on average\n\n\
         the runs' phases, summed over the runs:\n{}",
        sweep.table(wall),
        plural(runs.runs, "run", "runs"),
        number(sum),
        number(runs_wall.as_secs_f64()),
        plural(jobs, "job", "jobs"),
        number(overlap),
        runs.phases.table(runs.sum),
    )
}

/// `--facet`'s key in full, refused before anything trains when it is not
/// swept or has more values than a figure has panels.
fn facet_key(facet: &str, file: &std::path::Path, runs: &[RunSpec]) -> Result<String, Error> {
    let mut swept: Vec<String> = Vec::new();
    for (key, _) in runs.iter().flat_map(|r| &r.values) {
        if !swept.contains(key) {
            swept.push(key.clone());
        }
    }
    let key = resolve_facet(facet, &swept)
        .map_err(|message| Error::Usage(format!("{}: {message}", file.display())))?;
    let mut values: Vec<String> = runs
        .iter()
        .flat_map(|r| &r.values)
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
        .collect();
    values.sort();
    values.dedup();
    if values.len() > MAX_FACET_VALUES {
        return Err(Error::Usage(format!(
            "{}: --facet {facet}: {key} has {} values, and a figure holds at most {MAX_FACET_VALUES} \
             panels; facet by a key with fewer values",
            file.display(),
            values.len()
        )));
    }
    Ok(key)
}

/// `--diagnostics`: every run gets `training.diagnostics = true`, as a grid
/// key of one value (a constant, not a dimension), so that `--list` prints
/// it and each run id follows it; the sweep's id too, as its own sweep.
fn with_diagnostics(sweep: &mut spec::Sweep) {
    let key = "training.diagnostics";
    let on = vec![toml::Value::Boolean(true)];
    match sweep.grid.iter_mut().find(|(k, _)| k == key) {
        Some((_, values)) => *values = on,
        None => sweep.grid.push((key.to_string(), on)),
    }
    sweep.canonical.push_str("\n# --diagnostics\n");
}
