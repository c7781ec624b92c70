//! Long runs stay light, and what a resume reads is checked before it is
//! trusted: a table of corrupt checkpoints (and metrics.csv files that do
//! not match their checkpoint), each refused with exit code 2, naming the
//! file, and changing nothing; and a run of many epochs whose plots stay
//! small.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::common::Sandbox;

/// An f32 run (where 3.5e38 is beyond the range of a weight) long
/// enough to be interrupted after its first checkpoints.
const RUN: [&str; 12] = [
    "run",
    "experiments/sine.toml",
    "--set",
    "data.rows=3000",
    "--set",
    "training.epochs=400",
    "--set",
    "training.batch_size=1",
    "--set",
    "training.precision=f32",
    "--quiet",
    "--checkpoint-every=1",
];

/// Which file of the interrupted run a case corrupts.
#[derive(Clone, Copy, Debug)]
enum Target {
    Checkpoint,
    Metrics,
}

impl Target {
    fn file(self) -> &'static str {
        match self {
            Target::Checkpoint => "checkpoint.json",
            Target::Metrics => "metrics.csv",
        }
    }
}

struct Case {
    name: &'static str,
    target: Target,
    /// The new content from the old; `None` deletes the file.
    corrupt: fn(&str) -> Option<String>,
    /// What stderr must say besides the file's name.
    fragment: &'static str,
}

/// The first number after `marker` replaced by `with`.
fn first_number_after(text: &str, marker: &str, with: &str) -> String {
    let start = text.find(marker).expect("marker") + marker.len();
    let end = start
        + text[start..]
            .find([',', ']', '}'])
            .expect("end of the number");
    format!("{}{with}{}", &text[..start], &text[end..])
}

/// The value of a top-level `"key":N` of the checkpoint.
fn number_of(text: &str, key: &str) -> usize {
    let marker = format!("\"{key}\":");
    let start = text.find(&marker).expect("key") + marker.len();
    text[start..]
        .split([',', '}'])
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number")
}

const CASES: &[Case] = &[
    Case {
        name: "truncated",
        target: Target::Checkpoint,
        corrupt: |text| Some(text[..text.len() / 2].to_string()),
        fragment: "is not a synapse checkpoint",
    },
    Case {
        name: "trailing data after the JSON",
        target: Target::Checkpoint,
        corrupt: |text| Some(format!("{text}{{}}")),
        fragment: "is not a synapse checkpoint",
    },
    Case {
        name: "another config",
        target: Target::Checkpoint,
        corrupt: |text| Some(text.replacen("\"config_hash\":\"", "\"config_hash\":\"0", 1)),
        fragment: "another config",
    },
    Case {
        name: "another version",
        target: Target::Checkpoint,
        corrupt: |text| Some(text.replacen("\"tool_version\":\"", "\"tool_version\":\"9", 1)),
        fragment: "was written by synapse 9",
    },
    Case {
        name: "an example order of other examples",
        target: Target::Checkpoint,
        corrupt: |text| Some(text.replacen("\"order\":[", "\"order\":[999999,", 1)),
        fragment: "example order",
    },
    Case {
        name: "an optimizer memory of another shape",
        target: Target::Checkpoint,
        corrupt: |text| Some(text.replacen("\"first\":[[[", "\"first\":[[[0.5,", 1)),
        fragment: "other shapes",
    },
    // JSON has no infinity or NaN: a number beyond the weights' range is
    // the nearest a checkpoint comes to a non-finite weight.
    Case {
        name: "a weight too large to be finite",
        target: Target::Checkpoint,
        corrupt: |text| Some(first_number_after(text, "\"weights\":[[", "3.5e38")),
        fragment: "number out of range",
    },
    Case {
        name: "an optimizer moment too large to be finite",
        target: Target::Checkpoint,
        corrupt: |text| Some(first_number_after(text, "\"first\":[[[", "-3.5e38")),
        fragment: "number out of range",
    },
    Case {
        name: "rows counted that are not its epochs",
        target: Target::Checkpoint,
        corrupt: |text| {
            let rows = number_of(text, "metrics_rows");
            Some(first_number_after(
                text,
                "\"metrics_rows\":",
                &(rows + 1).to_string(),
            ))
        },
        fragment: "metrics rows for epoch",
    },
    Case {
        name: "an epoch past the epochs planned",
        target: Target::Checkpoint,
        corrupt: |text| {
            let text = first_number_after(text, "\"epoch\":", "100000");
            Some(first_number_after(&text, "\"metrics_rows\":", "100000"))
        },
        fragment: "past the 400 epochs planned",
    },
    Case {
        name: "metrics.csv with fewer rows than counted",
        target: Target::Metrics,
        corrupt: |text| text.lines().next().map(|header| format!("{header}\n")),
        fragment: "has 0 complete rows, but the checkpoint counts",
    },
    Case {
        name: "metrics.csv missing",
        target: Target::Metrics,
        corrupt: |_| None,
        fragment: "is missing",
    },
    Case {
        name: "metrics.csv with a value changed",
        target: Target::Metrics,
        // Still a well-formed row of epoch 1 (after the header and epoch
        // 0): only the hash can tell.
        corrupt: |text| {
            let first = text.find('\n').expect("header") + 1;
            let second = first + text[first..].find('\n').expect("epoch 0") + 1;
            let end = second + text[second..].find('\n').expect("row");
            let comma = text[..end].rfind(',').expect("cell");
            Some(format!("{},0.5{}", &text[..comma], &text[end..]))
        },
        fragment: "are not the ones the checkpoint recorded",
    },
    Case {
        name: "metrics.csv with a row cut short",
        target: Target::Metrics,
        corrupt: |text| {
            let first = text.find('\n').expect("header") + 1;
            let second = first + text[first..].find('\n').expect("epoch 0") + 1;
            Some(format!("{}1,0.5\n", &text[..second]))
        },
        fragment: "is not the row of epoch 1",
    },
    Case {
        name: "metrics.csv with another header",
        target: Target::Metrics,
        corrupt: |text| Some(text.replacen("train_cost", "train_kost", 1)),
        fragment: "another header",
    },
];

/// A sandbox holding one interrupted run with a checkpoint.
fn interrupted_run() -> Sandbox {
    let sandbox = Sandbox::new();
    let child = Command::new(env!("CARGO_BIN_EXE_synapse"))
        .args(RUN)
        .current_dir(sandbox.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start synapse");
    let deadline = Instant::now() + Duration::from_secs(60);
    let checkpoint = || {
        fs::read_dir(sandbox.path().join("results/sine"))
            .ok()
            .and_then(|mut runs| runs.next())
            .and_then(|run| run.ok())
            .is_some_and(|run| run.path().join("checkpoint.json").is_file())
    };
    while !checkpoint() && Instant::now() < deadline {
        sleep(Duration::from_millis(5));
    }
    // A few epochs more, so that the checkpoint counts several rows.
    sleep(Duration::from_millis(100));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let output = child.wait_with_output().expect("wait");
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    sandbox
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create");
    for entry in fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Every file of a run directory, by name, with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("run dir")
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_corrupt_checkpoint_is_refused_with_exit_2_and_changes_nothing() {
    let source = interrupted_run();
    let mut failures = Vec::new();
    for case in CASES {
        let sandbox = Sandbox::new();
        copy_tree(
            &source.path().join("results"),
            &sandbox.path().join("results"),
        );
        let dir = sandbox.run_dir("sine");
        let path = dir.join(case.target.file());
        let text = fs::read_to_string(&path).expect("the file to corrupt");
        match (case.corrupt)(&text) {
            Some(corrupt) => {
                assert_ne!(corrupt, text, "{}: the case changes nothing", case.name);
                fs::write(&path, corrupt).expect("corrupt");
            }
            None => fs::remove_file(&path).expect("remove"),
        }
        let before = snapshot(&dir);
        let mut args = RUN.to_vec();
        args.push("--resume");
        let output = sandbox.run(&args);
        let after = snapshot(&dir);
        let said = |fragment: &str| output.stderr.contains(fragment);
        if output.code != 2
            || !said(case.target.file())
            || !said(case.fragment)
            || said("panicked")
            || before != after
        {
            failures.push(format!(
                "{}: exit {} (expected 2), files {}\n{}",
                case.name,
                output.code,
                if before == after {
                    "unchanged"
                } else {
                    "CHANGED"
                },
                output.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_checkpoint_that_is_not_utf8_is_refused_with_exit_2_and_changes_nothing() {
    let source = interrupted_run();
    let sandbox = Sandbox::new();
    copy_tree(
        &source.path().join("results"),
        &sandbox.path().join("results"),
    );
    let dir = sandbox.run_dir("sine");
    fs::write(dir.join("checkpoint.json"), b"{\"format\": \"\xff\"}").expect("corrupt");
    let before = snapshot(&dir);
    let mut args = RUN.to_vec();
    args.push("--resume");
    // Until 0.3.0 this exited 1, as if the disk had failed.
    let output = sandbox.run(&args).expect_code(2);
    assert!(
        output
            .stderr
            .contains("checkpoint.json: is not a synapse checkpoint (invalid utf-8"),
        "{}",
        output.stderr
    );
    assert_eq!(snapshot(&dir), before, "a refused resume changes nothing");
}

#[test]
fn a_run_of_many_epochs_writes_small_plots() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "tiny.toml",
        r#"
[experiment]
name = "tiny"
seed = 1

[data]
generator = "xor"
rows = 8

[model]
layers = [
  { units = 4, activation = "tanh" },
  { units = 1, activation = "sigmoid" },
]

[training]
epochs = 200000
learning_rate = 0.1
batch_size = 8
loss = "binary_cross_entropy"
"#,
    );
    sandbox.run(&["run", "tiny.toml", "--quiet"]).expect_code(0);
    let dir = sandbox.run_dir("tiny");
    for plot in ["cost.svg", "cost.png"] {
        let size = fs::metadata(dir.join(plot)).expect("plot").len();
        assert!(size < 1_000_000, "{plot} is {size} bytes");
    }
    let metrics = fs::read_to_string(dir.join("metrics.csv")).expect("metrics");
    assert_eq!(
        metrics.lines().count(),
        200_002,
        "the header, epoch 0 and every epoch have their row"
    );
    let last = metrics.lines().last().expect("a row");
    assert!(last.starts_with("200000,"), "{last}");
}
