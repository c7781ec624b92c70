//! `--timings` with the real binary: the table on stderr parsed strictly
//! (every phase of a run in order, each figure of the run under `figures`,
//! seconds that add up to the total and shares to 100%), the run's files
//! byte-identical to the same run's without it (summary.json but for its
//! clocks), and a sweep's three parts: its own steps, how much its jobs
//! overlapped, and its runs' phases summed, the data prepared by the
//! sweep's check and by no run again.

use std::fs;
use std::path::Path;

use crate::common::Sandbox;

/// One row of a timings table: its name (indented two spaces for a part
/// of the phase above), seconds and share of the total in percent.
#[derive(Debug)]
struct Row {
    name: String,
    seconds: f64,
    share: f64,
}

/// The table starting at the line `phase seconds share` in `text`, to its
/// `total` row; every row must parse, and the table must end.
fn table(text: &str, from: usize) -> Vec<Row> {
    let lines: Vec<&str> = text.lines().collect();
    let start = (from..lines.len())
        .find(|&i| lines[i].split_whitespace().collect::<Vec<_>>() == ["phase", "seconds", "share"])
        .unwrap_or_else(|| panic!("no table header from line {from}:\n{text}"));
    let mut rows = Vec::new();
    for line in &lines[start + 1..] {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells.len(), 3, "a row of three cells: `{line}`\n{text}");
        let indent = line.len() - line.trim_start().len();
        assert!(indent == 0 || indent == 2, "`{line}`");
        let seconds: f64 = cells[1]
            .parse()
            .unwrap_or_else(|e| panic!("seconds `{}`: {e}\n{text}", cells[1]));
        let share: f64 = cells[2]
            .strip_suffix('%')
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("share `{}`\n{text}", cells[2]));
        assert!(seconds >= 0.0 && seconds.is_finite(), "`{line}`");
        rows.push(Row {
            name: format!("{}{}", " ".repeat(indent), cells[0]),
            seconds,
            share,
        });
        if cells[0] == "total" {
            return rows;
        }
    }
    panic!("the table has no total row:\n{text}");
}

/// The rows' names, in order.
fn names(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| r.name.as_str()).collect()
}

/// The top-level rows (all but the parts and the total) add up to the
/// total, in seconds and in shares, within the rounding to four digits; a
/// part is never more than the total.
fn adds_up(rows: &[Row]) {
    let total = rows.last().expect("a total row");
    assert_eq!(total.name, "total");
    assert!(total.seconds > 0.0);
    assert_eq!(total.share, 100.0);
    let phases: Vec<&Row> = rows[..rows.len() - 1]
        .iter()
        .filter(|r| !r.name.starts_with(' '))
        .collect();
    let seconds: f64 = phases.iter().map(|r| r.seconds).sum();
    let shares: f64 = phases.iter().map(|r| r.share).sum();
    assert!(
        (seconds - total.seconds).abs() <= 1e-3 * total.seconds,
        "{seconds} s against {rows:?}"
    );
    assert!((shares - 100.0).abs() < 0.1, "{shares}% in {rows:?}");
    for row in rows {
        assert!(row.seconds <= total.seconds * 1.001, "{row:?}");
        let share = 100.0 * row.seconds / total.seconds;
        assert!(
            (share - row.share).abs() <= 1e-3 * share.max(1e-3) + 1e-3,
            "{row:?}: {share}%"
        );
    }
}

/// A run's phases and, under figures, the files heart draws.
const RUN_ROWS: [&str; 14] = [
    "config",
    "data",
    "training",
    "evaluation",
    "figures",
    // Where the plane goes is found before the jobs, as the function's.
    "  function",
    "  function-snapshots",
    "  network",
    "  cost",
    "  confusion",
    "  roc",
    "files",
    "other",
    "total",
];

#[test]
fn a_run_prints_where_its_time_went_and_writes_the_same_files() {
    let sandbox = Sandbox::new();
    let run = |results: &str, timings: bool| {
        let mut args = vec!["run", "experiments/heart.toml", "--results", results];
        if timings {
            args.push("--timings");
        }
        sandbox.run(&args).expect_code(0)
    };
    let with = run("with", true);
    let without = run("without", false);

    // After the run's own output: the classification table, then this.
    let rows = table(&with.stderr, 0);
    assert_eq!(names(&rows), RUN_ROWS);
    adds_up(&rows);
    let training = &rows[2];
    assert!(training.seconds > 0.0, "{rows:?}");
    assert!(
        with.stderr.find("ROC AUC") < with.stderr.find("phase"),
        "{}",
        with.stderr
    );
    assert!(!without.stderr.contains("phase"), "{}", without.stderr);
    // stdout is the same closing line, to the results directory.
    assert_eq!(with.stdout.replace("with/", "without/"), without.stdout);

    let dir = |results: &str| {
        let experiment = sandbox.path().join(results).join("heart");
        let runs: Vec<_> = fs::read_dir(&experiment)
            .expect("heart's runs")
            .flatten()
            .map(|e| e.path())
            .collect();
        assert_eq!(runs.len(), 1, "{runs:?}");
        runs.into_iter().next().expect("one run")
    };
    same_files(&dir("with"), &dir("without"));
}

/// Every file of the two run directories is the same bytes, but
/// summary.json's clocks (its wall and training time).
fn same_files(a: &Path, b: &Path) {
    let listing = |dir: &Path| {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("run dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files = listing(a);
    assert_eq!(files, listing(b));
    for name in ["metrics.csv", "model.json", "predictions.csv", "cost.png"] {
        assert!(files.iter().any(|f| f == name), "{name} in {files:?}");
    }
    for name in &files {
        let (x, y) = (
            fs::read(a.join(name)).expect("file"),
            fs::read(b.join(name)).expect("file"),
        );
        if name == "summary.json" {
            let json = |bytes: &[u8]| {
                let mut value: serde_json::Value =
                    serde_json::from_slice(bytes).expect("summary.json");
                for clock in ["wall_seconds", "train_seconds"] {
                    let seconds = value[clock].take();
                    assert!(
                        seconds.as_f64().is_some_and(|s| s > 0.0),
                        "{clock} {seconds}"
                    );
                }
                value
            };
            assert_eq!(json(&x), json(&y));
        } else {
            assert!(x == y, "{name} differs with --timings");
        }
    }
}

#[test]
fn a_sweep_prints_its_steps_its_overlap_and_its_runs_summed() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "small.toml",
        "experiment = \"experiments/heart.toml\"\n\
         [grid]\n\"training.epochs\" = [3]\n\
         \"experiment.seed\" = [1, 2]\n\"model.layers.0.units\" = [2, 4]\n",
    );
    let out = sandbox
        .run(&["sweep", "small.toml", "--jobs", "2", "--timings", "--quiet"])
        .expect_code(0);
    let steps = table(&out.stderr, 0);
    assert_eq!(
        names(&steps),
        [
            "expand",
            "check",
            "runs",
            "look-up",
            "files",
            "figures",
            "  cost",
            "  effects",
            "ranking",
            "other",
            "total"
        ]
    );
    adds_up(&steps);

    // "4 runs took X s together in Y s of wall time on 2 jobs: Z at once
    // on average", Z being X / Y.
    let line = out
        .stderr
        .lines()
        .find(|l| l.starts_with("4 runs took "))
        .unwrap_or_else(|| panic!("no overlap line:\n{}", out.stderr));
    let words: Vec<&str> = line.split_whitespace().collect();
    let number = |i: usize| -> f64 {
        words[i]
            .parse()
            .unwrap_or_else(|e| panic!("`{}` in `{line}`: {e}", words[i]))
    };
    assert_eq!(
        words[4..],
        [
            "s", "together", "in", words[7], "s", "of", "wall", "time", "on", "2", "jobs:",
            words[15], "at", "once", "on", "average"
        ],
        "{line}"
    );
    let (sum, wall, overlap) = (number(3), number(7), number(15));
    let runs_row = &steps[2];
    assert!(
        (wall - runs_row.seconds).abs() <= 1e-3 * wall,
        "{line} {runs_row:?}"
    );
    assert!((overlap - sum / wall).abs() <= 2e-3 * overlap, "{line}");
    assert!(overlap > 0.0 && overlap <= 2.01, "{line}");

    let at = out
        .stderr
        .lines()
        .position(|l| l == "the runs' phases, summed over the runs:")
        .unwrap_or_else(|| panic!("no runs' table:\n{}", out.stderr));
    let runs = table(&out.stderr, at);
    let mut expected: Vec<&str> = RUN_ROWS[..12].to_vec();
    expected.extend(["read-back", "other", "total"]);
    assert_eq!(names(&runs), expected);
    adds_up(&runs);
    let total = runs.last().expect("total");
    assert!(
        (total.seconds - sum).abs() <= 1e-3 * sum,
        "{total:?} {line}"
    );
    // The check prepared both seeds' data; no run prepared its own.
    let data = &runs[1];
    assert_eq!(
        (data.name.as_str(), data.seconds),
        ("data", 0.0),
        "{runs:?}"
    );
}
