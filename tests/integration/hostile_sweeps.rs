//! Sweeps written to break things: each is refused whole (exit 2) before
//! anything trains, with a message that names what is wrong, and results/
//! exactly as it was. Then what can only fail once a run has started (a
//! planted link) fails that run alone, and two identical sweeps started at
//! once agree with one sweep run alone; finally the OS lock under both.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::common::{Sandbox, labelled_csv, sweep_dir};

/// One hostile sweep: its file, what to do to the sandbox first, and how it
/// must be refused.
struct Case {
    name: &'static str,
    /// The sweep file, written as `<name>.toml` in the sandbox root.
    sweep: &'static str,
    /// Prepares the sandbox before the sweep runs (may run synapse itself).
    setup: fn(&Sandbox, &Path),
    code: i32,
    /// Fragments stderr must contain.
    stderr: &'static [&'static str],
}

fn nothing(_: &Sandbox, _: &Path) {}

/// A base experiment that does not validate, whatever the sweep sets.
fn bad_base(sandbox: &Sandbox, _: &Path) {
    let heart = sandbox.read("experiments/heart.toml");
    sandbox.write(
        "experiments/bad-base.toml",
        heart.replace("[training]", "[training]\nbatch_size = 0"),
    );
}

/// The sweep ran once; then its runs are removed and its directory is
/// replaced by a link to a folder outside results/.
fn linked_sweep_dir(sandbox: &Sandbox, file: &Path) {
    let file = file.to_string_lossy().into_owned();
    sandbox.run(&["sweep", &file, "--quiet"]).expect_code(0);
    let results = sandbox.path().join("results");
    let name = sweep_dir(&results.join("heart"))
        .file_name()
        .expect("a name")
        .to_owned();
    let heart = results.join("heart");
    fs::remove_dir_all(&heart).expect("remove the runs");
    fs::create_dir_all(&heart).expect("experiment folder");
    fs::create_dir_all(sandbox.path().join("elsewhere")).expect("outside");
    std::os::unix::fs::symlink(sandbox.path().join("elsewhere"), heart.join(name))
        .expect("plant the link");
}

const CASES: &[Case] = &[
    Case {
        name: "a_key_spelt_two_ways",
        sweep: "experiment = \"experiments/heart.toml\"\n[grid]\n\"model.layers.0.units\" = [4, 8]\n\"model.layers.00.units\" = [16]\n\"training.epochs\" = [2]\n",
        setup: nothing,
        code: 2,
        stderr: &[
            "a_key_spelt_two_ways.toml:4:1",
            "`model.layers.00.units` is `model.layers.0.units` spelt another way",
            "first at a_key_spelt_two_ways.toml:3:1",
        ],
    },
    Case {
        name: "a_key_in_grid_and_random",
        sweep: "experiment = \"experiments/heart.toml\"\n[grid]\n\"training.learning_rate\" = [0.1]\n[random]\nsamples = 2\n\"training.learning_rate\" = { uniform = [0.01, 0.1] }\n",
        setup: nothing,
        code: 2,
        stderr: &[
            "a_key_in_grid_and_random.toml:6:1",
            "`training.learning_rate` is swept in both [grid] and [random]",
            "first at a_key_in_grid_and_random.toml:3:1",
        ],
    },
    Case {
        name: "a_misspelt_key",
        sweep: "experiment = \"experiments/heart.toml\"\n[grid]\n\"training.learning_rat\" = [0.1, 0.2]\n\"training.epochs\" = [2]\n",
        setup: nothing,
        code: 2,
        stderr: &[
            "2 of 2 runs would be refused",
            "run 1 (training.epochs=2 training.learning_rat=0.1)",
            "did you mean `learning_rate`?",
        ],
    },
    Case {
        name: "a_value_out_of_range",
        sweep: "experiment = \"experiments/heart.toml\"\n[grid]\n\"model.layers.0.units\" = [4, 0, 8]\n\"training.epochs\" = [2]\n",
        setup: nothing,
        code: 2,
        stderr: &[
            "1 of 3 runs would be refused",
            "run 2 (model.layers.0.units=0 training.epochs=2)",
            "must be from 1 to 100000, got 0",
        ],
    },
    Case {
        name: "many_refused_runs_are_counted",
        sweep: "experiment = \"experiments/heart.toml\"\n[grid]\n\"model.layers.0.units\" = [0, -1, -2, -3, -4, 8]\n\"training.epochs\" = [2]\n",
        setup: nothing,
        code: 2,
        stderr: &[
            "5 of 6 runs would be refused",
            "run 3 (model.layers.0.units=-2",
            "... and 2 more runs refused (runs 4, 5)",
        ],
    },
    Case {
        name: "a_value_the_data_refuses",
        sweep: "experiment = \"experiments/iris.toml\"\n[grid]\n\"data.target\" = [\"species\", \"colour\"]\n\"training.epochs\" = [2]\n",
        setup: nothing,
        code: 2,
        stderr: &[
            "1 of 2 runs would be refused",
            "run 2 (data.target=\"colour\"",
            "iris.csv: there is no column `colour`",
        ],
    },
    Case {
        name: "one_run_written_two_ways",
        sweep: "experiment = \"experiments/heart.toml\"\n[grid]\n\"training.learning_rate\" = [1, 1.0]\n\"training.epochs\" = [2]\n",
        setup: nothing,
        code: 2,
        stderr: &[
            "run 2 (training.epochs=2 training.learning_rate=1.0)",
            "is the same run as run 1",
        ],
    },
    Case {
        name: "a_base_that_does_not_validate",
        sweep: "experiment = \"experiments/bad-base.toml\"\n[grid]\n\"training.learning_rate\" = [0.1, 0.2]\n",
        setup: bad_base,
        code: 2,
        stderr: &["bad-base.toml", "batch_size"],
    },
    Case {
        name: "too_many_values",
        sweep: "",
        setup: nothing,
        code: 2,
        stderr: &[
            "150000 runs",
            "at most 100000 are allowed",
            "too_many_values.toml:2:1",
        ],
    },
    // Random samples alone: the size is told at `samples`, not at a
    // `[grid]` the file does not have.
    Case {
        name: "too_many_samples",
        sweep: "experiment = \"experiments/heart.toml\"\n[random]\nsamples = 1000000000000\n\"training.learning_rate\" = { uniform = [0.1, 0.2] }\n",
        setup: nothing,
        code: 2,
        stderr: &[
            "`random.samples`: this sweep would make 1000000000000 runs",
            "at most 100000 are allowed",
        ],
    },
    // The base's path is the sweep file's text: its escape sequence is
    // shown escaped, not sent to the terminal.
    Case {
        name: "an_experiment_path_with_an_escape",
        sweep: "experiment = \"experiments/\\u001b[2J.toml\"\n[grid]\n\"training.learning_rate\" = [0.1]\n",
        setup: nothing,
        code: 2,
        stderr: &["experiments/\\u{1b}[2J.toml: cannot read the experiment file"],
    },
    Case {
        name: "a_linked_sweep_directory",
        sweep: "experiment = \"experiments/heart.toml\"\n[grid]\n\"training.learning_rate\" = [0.1, 0.2]\n\"training.epochs\" = [2]\n",
        setup: linked_sweep_dir,
        code: 2,
        stderr: &["is a symbolic link"],
    },
];

/// The sweep file of a case; `too_many_values` is generated: 150,000 values,
/// the first given twice, so that a check of the values before the size
/// would tell the repeat instead.
fn sweep_text(case: &Case) -> String {
    if case.name == "too_many_values" {
        let values: Vec<String> = std::iter::once(0)
            .chain(0..149_999)
            .map(|i| i.to_string())
            .collect();
        return format!(
            "experiment = \"experiments/heart.toml\"\n[grid]\n\"training.learning_rate\" = [{}]\n",
            values.join(", ")
        );
    }
    case.sweep.to_string()
}

#[test]
fn hostile_sweeps_are_refused_whole_before_anything_trains() {
    let mut failures = Vec::new();
    for case in CASES {
        let sandbox = Sandbox::new();
        let file = sandbox.write(&format!("{}.toml", case.name), sweep_text(case));
        let file = file.strip_prefix(sandbox.path()).expect("in the sandbox");
        (case.setup)(&sandbox, file);
        let before = sandbox.result_files();
        let output = sandbox.run(&["sweep", &file.to_string_lossy(), "--quiet"]);
        let mut wrong = Vec::new();
        if output.code != case.code {
            wrong.push(format!(
                "exit code {} (expected {})",
                output.code, case.code
            ));
        }
        for fragment in case.stderr {
            if !output.stderr.contains(fragment) {
                wrong.push(format!("stderr lacks {fragment:?}"));
            }
        }
        if output.stderr.contains("panicked") {
            wrong.push("panicked".to_string());
        }
        let after = sandbox.result_files();
        if after != before {
            wrong.push(format!("results/ changed: {before:?} -> {after:?}"));
        }
        let outside = sandbox.path().join("elsewhere");
        if fs::read_dir(&outside).is_ok_and(|mut d| d.next().is_some()) {
            wrong.push("wrote through the linked sweep directory".to_string());
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{}: {}\nstderr:\n{}",
                case.name,
                wrong.join("; "),
                output.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// summary.csv rows as (column, cell) maps.
fn summary_rows(dir: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    labelled_csv(&dir.join("summary.csv")).1
}

#[test]
fn a_run_that_fails_once_started_is_failed_and_the_others_go_on() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "three.toml",
        "experiment = \"experiments/heart.toml\"\n[grid]\n\"model.layers.0.units\" = [4, 6, 8]\n\"training.epochs\" = [3]\n",
    );
    sandbox
        .run(&["sweep", "three.toml", "--quiet"])
        .expect_code(0);
    let dir = sweep_dir(&sandbox.path().join("results/heart"));
    let rows = summary_rows(&dir);
    // A link planted where the second run's directory is.
    let second = dir.join(&rows[1]["run_dir"]);
    fs::remove_dir_all(&second).expect("remove");
    let outside = tempfile::tempdir().expect("outside");
    std::os::unix::fs::symlink(outside.path(), &second).expect("link");

    let output = sandbox.run(&["sweep", "three.toml", "--quiet", "--force"]);
    assert_eq!(output.code, 1, "{}\n{}", output.stdout, output.stderr);
    assert!(
        output.stderr.contains("1 of 3 runs failed"),
        "{}",
        output.stderr
    );
    let rows = summary_rows(&dir);
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(statuses, ["completed", "failed", "completed"]);
    assert!(rows[1]["error"].contains("symbolic link"), "{:?}", rows[1]);
    assert_eq!(fs::read_dir(outside.path()).expect("outside").count(), 0);
}

/// Four heart runs long enough that two sweeps started together contend
/// for every one of them.
const CONTENDED: &str = "experiment = \"experiments/heart.toml\"\n[grid]\n\"training.learning_rate\" = [0.1, 0.5]\n\"experiment.seed\" = [1, 2]\n\"training.epochs\" = [150]\n";

#[test]
fn two_identical_sweeps_started_at_once_agree_with_one_alone() {
    let alone = Sandbox::new();
    alone.write("contended.toml", CONTENDED);
    alone
        .run(&["sweep", "contended.toml", "--quiet", "--jobs", "2"])
        .expect_code(0);
    let expected = fs::read(sweep_dir(&alone.path().join("results/heart")).join("summary.csv"))
        .expect("summary");

    let sandbox = Sandbox::new();
    sandbox.write("contended.toml", CONTENDED);
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_synapse"))
                .args(["sweep", "contended.toml", "--quiet", "--jobs", "2"])
                .current_dir(sandbox.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a sweep")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // What each printed is what one sweep alone prints: every run done.
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains(" 2/2 "), "{stdout}");
    }
    let dir = sweep_dir(&sandbox.path().join("results/heart"));
    let written = fs::read(dir.join("summary.csv")).expect("summary");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&expected)
    );
    assert!(
        summary_rows(&dir)
            .iter()
            .all(|r| r["status"] == "completed"),
        "{}",
        String::from_utf8_lossy(&written)
    );
}

#[test]
fn the_lock_of_a_killed_run_is_free_again() {
    use synapse::results::run_lock::RunLock;
    let sandbox = Sandbox::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_synapse"))
        .args([
            "run",
            "experiments/sine.toml",
            "--quiet",
            "--set",
            "training.epochs=100000",
        ])
        .current_dir(sandbox.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start synapse");
    // Wait until the child holds its run directory's lock.
    let deadline = Instant::now() + Duration::from_secs(30);
    let dir = loop {
        assert!(Instant::now() < deadline, "the run never took its lock");
        let held = fs::read_dir(sandbox.path().join("results/sine"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.join(".lock").exists() && RunLock::try_acquire(p).is_ok_and(|lock| lock.is_none())
            });
        if let Some(dir) = held {
            break dir;
        }
        sleep(Duration::from_millis(20));
    };
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    // The kernel let go of it with the process: no pid, no /proc.
    let lock = RunLock::try_acquire(&dir).expect("lockable");
    assert!(lock.is_some(), "a killed holder still holds the lock");
}
