//! Hostile paths, as tables of cases run through the real binary: an `--out`
//! that would land on a result, a device, a FIFO, a socket or the data being
//! read; a FIFO, socket or device where synapse reads a file; a CSV line
//! longer than the limit.
//!
//! Every case runs under a deadline, so a command that blocks fails its case
//! instead of hanging the suite, and every case but the report's must leave
//! each file of the sandbox byte-identical and create none.
//!
//! `SYNAPSE_BIN` runs the cases against another build of synapse (an older
//! one, to see that they fail there).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Output, Sandbox};

/// The files compare would derive from `--out /dev/full`.
const DEVICE_STRAYS: [&str; 3] = ["/dev/full.png", "/dev/full.svg", "/dev/full.csv"];

/// Longer than any of these commands takes, far shorter than a hang.
const DEADLINE: Duration = Duration::from_secs(10);

/// One command and what must come of it. In `args`, `{run}` stands for the
/// trained run directory and `{sweep}` for a sweep directory.
struct Case {
    args: &'static [&'static str],
    code: i32,
    /// Fragments stderr must contain.
    stderr: &'static [&'static str],
    /// Files the command may create (the report's page); none otherwise.
    creates: &'static [&'static str],
}

const fn refused(args: &'static [&'static str], stderr: &'static [&'static str]) -> Case {
    Case {
        args,
        code: 2,
        stderr,
        creates: &[],
    }
}

const RESULTS: &str = "is inside the run directory";
const SWEEP: &str = "is inside the sweep directory";

/// Every `--out` that would destroy a result or write where no file goes.
const OUT_CASES: &[Case] = &[
    // compare derives .png, .svg and .csv from its --out.
    refused(
        &["compare", "{run}", "--out", "{run}/metrics.png"],
        &[RESULTS],
    ),
    refused(&["compare", "{run}", "--out", "{run}/cost.png"], &[RESULTS]),
    refused(
        &["compare", "{run}", "--out", "{run}"],
        &["would write", "cost.png", RESULTS],
    ),
    refused(
        &["compare", "{run}", "--out", "{run}/new/deeper/x.png"],
        &[RESULTS],
    ),
    refused(
        &[
            "compare",
            "{run}",
            "--out",
            "results/iris/../iris/{id}/x.svg",
        ],
        &[RESULTS],
    ),
    refused(
        &["compare", "{run}", "--out", "link-to-run/x.png"],
        &[RESULTS],
    ),
    refused(&["compare", "{run}", "--out", "{sweep}/cost.png"], &[SWEEP]),
    refused(
        &["compare", "{run}", "--out", "/dev/full"],
        &["--out /dev/full: is a device"],
    ),
    refused(
        &["compare", "{run}", "--out", "fifo"],
        &["--out fifo: is a FIFO"],
    ),
    refused(
        &["compare", "{run}", "--out", "socket"],
        &["--out socket: is a socket"],
    ),
    refused(&["report", "--out", "{run}/summary.json"], &[RESULTS]),
    refused(&["report", "--out", "{sweep}/summary.csv"], &[SWEEP]),
    refused(
        &["report", "--out", "results/iris/starting/report.html"],
        &[RESULTS],
    ),
    // The data a run trained on is no result, but replacing it leaves the
    // run impossible to reproduce: compare derives data/iris.csv here.
    refused(
        &["compare", "{run}", "--out", "data/iris.png"],
        &[
            "would write data/iris.csv",
            "is the data of a run being compared",
        ],
    ),
    refused(
        &["report", "--out", "data/iris.csv"],
        &["is the data of a reported run"],
    ),
    refused(&["report", "--out", "/dev/full"], &["is a device"]),
    refused(&["report", "--out", "fifo"], &["is a FIFO"]),
    refused(
        &[
            "predict",
            "{run}",
            "data/iris.csv",
            "--out",
            "{run}/predictions.csv",
        ],
        &[RESULTS],
    ),
    refused(
        &[
            "predict",
            "{run}",
            "data/iris.csv",
            "--out",
            "data/iris.csv",
        ],
        &["is the data being predicted"],
    ),
    refused(
        &[
            "predict",
            "{run}",
            "data/iris.csv",
            "--out",
            "link-to-iris.csv",
        ],
        &["is the data being predicted"],
    ),
    refused(
        &[
            "predict",
            "{run}",
            "new-flowers.csv",
            "--out",
            "data/iris.csv",
        ],
        &["is the data the run trained on"],
    ),
    refused(
        &["predict", "{run}", "data/iris.csv", "--out", "/dev/full"],
        &["is a device"],
    ),
];

/// Every file synapse reads, replaced by what is not a regular file, and CSV
/// data without a line end in sight.
const READ_CASES: &[Case] = &[
    refused(&["check", "fifo"], &["fifo", "is a FIFO (named pipe)"]),
    refused(&["run", "fifo"], &["fifo", "is a FIFO (named pipe)"]),
    refused(&["sweep", "fifo"], &["fifo", "is a FIFO (named pipe)"]),
    refused(&["check", "socket"], &["socket", "is a socket"]),
    refused(&["check", "data"], &["data", "is a folder"]),
    refused(
        &["check", "fifo-data.toml"],
        &["fifo", "is a FIFO (named pipe)"],
    ),
    refused(
        &["run", "fifo-data.toml"],
        &["fifo", "is a FIFO (named pipe)"],
    ),
    refused(&["check", "socket-data.toml"], &["socket", "is a socket"]),
    refused(&["check", "zero-data.toml"], &["/dev/zero", "is a device"]),
    refused(
        &["check", "long-line.toml"],
        &["long-line.csv: line 2 is longer than 16 MiB"],
    ),
    refused(
        &["check", "zeros.toml"],
        &["zeros.csv: line 1 is longer than 16 MiB"],
    ),
    refused(
        &["compare", "results/iris/fifo-summary"],
        &["summary.json", "is a FIFO (named pipe)"],
    ),
    refused(
        &["compare", "results/iris/fifo-metrics"],
        &["metrics.csv", "is a FIFO (named pipe)"],
    ),
    refused(
        &["predict", "{run}", "fifo"],
        &["fifo", "is a FIFO (named pipe)"],
    ),
    refused(
        &["predict", "results/iris/fifo-model", "data/iris.csv"],
        &["model.json", "is a FIFO (named pipe)"],
    ),
    // The report leaves out what it cannot read, with a note.
    Case {
        args: &["report"],
        code: 0,
        stderr: &[
            "note: skipped results/iris/fifo-summary",
            "note: skipped results/iris/fifo-metrics",
            "is a FIFO (named pipe)",
        ],
        creates: &["results/report.html"],
    },
];

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A copy of run directory `from` at `to`, with `file` replaced by a FIFO.
fn copy_with_fifo(from: &Path, to: &Path, file: &str) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read run dir").flatten() {
        if entry.file_type().expect("type").is_file() {
            fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
    fs::remove_file(to.join(file)).expect("remove");
    mkfifo(&to.join(file));
}

/// A sandbox with a trained iris run and every hostile thing the cases name;
/// with `fifo_results`, also copies of the run with a FIFO in place of one
/// of its files (left out for the --out cases, so that a report reading the
/// results is refused for where it writes, not stuck on what it reads).
/// Gives the sandbox, the run directory (relative) and the socket's listener,
/// which must live as long as the socket is used.
fn hostile_sandbox(fifo_results: bool) -> (Sandbox, String, UnixListener) {
    let sandbox = Sandbox::new();
    sandbox
        .run(&[
            "run",
            "experiments/iris.toml",
            "--quiet",
            "--set",
            "training.epochs=3",
        ])
        .expect_code(0);
    let dir = sandbox.run_dir("iris");
    let root = sandbox.path();
    let run = dir
        .strip_prefix(root)
        .expect("inside the sandbox")
        .to_string_lossy()
        .into_owned();

    sandbox.write("results/iris/sweep-0123/summary.csv", "run_dir,status\n");
    sandbox.write("results/iris/starting/.lock", "");
    std::os::unix::fs::symlink(&dir, root.join("link-to-run")).expect("link");
    std::os::unix::fs::symlink("data/iris.csv", root.join("link-to-iris.csv")).expect("link");
    // New rows to predict, other than the data the run trained on.
    sandbox.write("new-flowers.csv", sandbox.read("data/iris.csv"));
    mkfifo(&root.join("fifo"));
    let listener = UnixListener::bind(root.join("socket")).expect("socket");
    let fifo_files: &[&str] = if fifo_results {
        &["summary.json", "metrics.csv", "model.json"]
    } else {
        &[]
    };
    for file in fifo_files {
        let name = file.trim_end_matches(".json").trim_end_matches(".csv");
        copy_with_fifo(&dir, &root.join(format!("results/iris/fifo-{name}")), file);
    }

    let iris = sandbox.read("experiments/iris.toml");
    for (name, data) in [
        ("fifo-data", "fifo"),
        ("socket-data", "socket"),
        ("zero-data", "/dev/zero"),
        ("long-line", "long-line.csv"),
        ("zeros", "zeros.csv"),
    ] {
        let text = iris.replace("../data/iris.csv", data);
        assert_ne!(text, iris);
        sandbox.write(&format!("{name}.toml"), text);
    }
    let limit = 16 << 20;
    let long = format!("a,species\n{},x\n", "1".repeat(limit));
    sandbox.write("long-line.csv", long);
    sandbox.write("zeros.csv", vec![0u8; limit + 1]);
    (sandbox, run, listener)
}

/// Every entry under `root`: a regular file's bytes, or what else it is
/// (a FIFO is never opened, which would block).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(root).expect("under root").to_path_buf();
            let kind = fs::symlink_metadata(&path).expect("metadata").file_type();
            if kind.is_dir() {
                walk(&path, root, out);
            } else if kind.is_file() {
                out.insert(relative, fs::read(&path).expect("read"));
            } else {
                out.insert(relative, format!("{kind:?}").into_bytes());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Runs synapse in `dir`, killed at the deadline: `None` if it was.
fn run_with_deadline(dir: &Path, args: &[String]) -> Option<Output> {
    let binary =
        std::env::var("SYNAPSE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_synapse").to_string());
    let mut child = Command::new(binary)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start synapse");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            let output = child.wait_with_output().expect("output");
            return Some(Output {
                code: output.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs every case; failures are collected and reported together.
fn run_table(cases: &[Case], fifo_results: bool) {
    let (sandbox, run, _listener) = hostile_sandbox(fifo_results);
    let id = Path::new(&run)
        .file_name()
        .expect("a run id")
        .to_string_lossy()
        .into_owned();
    let devices_before: Vec<&str> = DEVICE_STRAYS
        .into_iter()
        .filter(|p| Path::new(p).exists())
        .collect();
    let mut failures = String::new();
    for case in cases {
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| {
                a.replace("{run}", &run)
                    .replace("{sweep}", "results/iris/sweep-0123")
                    .replace("{id}", &id)
            })
            .collect();
        let before = snapshot(sandbox.path());
        let Some(output) = run_with_deadline(sandbox.path(), &args) else {
            let _ = writeln!(failures, "{args:?}: still running after {DEADLINE:?}");
            continue;
        };
        let mut after = snapshot(sandbox.path());
        let mut problems = Vec::new();
        // What an unguarded `--out /dev/full` derives, outside the sandbox:
        // reported, and removed so that no run of the suite leaves it.
        for stray in &DEVICE_STRAYS {
            if !devices_before.contains(stray) && Path::new(stray).exists() {
                problems.push(format!("{stray} was created"));
                let _ = fs::remove_file(stray);
            }
        }
        if output.code != case.code {
            problems.push(format!(
                "exit code {} instead of {}",
                output.code, case.code
            ));
        }
        for fragment in case.stderr {
            if !output.stderr.contains(fragment) {
                problems.push(format!("stderr lacks `{fragment}`"));
            }
        }
        if output.stderr.contains("panicked") {
            problems.push("panicked".to_string());
        }
        for created in case.creates {
            if after.remove(Path::new(created)).is_none() {
                problems.push(format!("{created} was not written"));
            }
        }
        if before != after {
            let changed: Vec<&PathBuf> = before
                .keys()
                .chain(after.keys())
                .filter(|k| before.get(*k) != after.get(*k))
                .collect();
            problems.push(format!("files changed or created: {changed:?}"));
        }
        for created in case.creates {
            let _ = fs::remove_file(sandbox.path().join(created));
        }
        if !problems.is_empty() {
            let _ = writeln!(
                failures,
                "{args:?}: {}\nstderr:\n{}",
                problems.join("; "),
                output.stderr
            );
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn no_out_lands_on_a_result_a_device_or_the_data_being_read() {
    run_table(OUT_CASES, false);
}

#[test]
fn reading_never_blocks_on_what_is_not_a_regular_file_nor_takes_an_endless_line() {
    run_table(READ_CASES, true);
}
