//! A figure's files (cost.svg, cost.png) are written like every other
//! result file, through the one atomic writer: a path that cannot take the
//! file is the user's to fix (exit 2), named once, and left as it was.
//!
//! Each case first runs a command once, then turns one of its figure files
//! into a folder and runs the command again.

use std::fs;
use std::path::PathBuf;

use crate::common::{Sandbox, sweep_dir};

struct Case {
    name: &'static str,
    /// The command, run once to make the results and again to be refused.
    args: &'static [&'static str],
    /// Where the command writes its figures, found after the first run.
    dir: fn(&Sandbox) -> PathBuf,
    /// The figure file turned into a folder before the second run.
    file: &'static str,
    expected_code: i32,
    /// What stderr must say after the path.
    expected_stderr: &'static str,
}

const SWEEP: &str = "experiment = \"experiments/heart.toml\"\n[grid]\n\"training.learning_rate\" = [0.1, 0.2]\n\"training.epochs\" = [2]\n";

fn heart_sweep(sandbox: &Sandbox) -> PathBuf {
    sweep_dir(&sandbox.path().join("results/heart"))
}

fn run_dir(sandbox: &Sandbox) -> PathBuf {
    sandbox.run_dir("heart")
}

const RUN: &[&str] = &[
    "run",
    "experiments/heart.toml",
    "--set",
    "training.epochs=2",
    "--force",
    "--quiet",
];
const SWEEP_ARGS: &[&str] = &["sweep", "two.toml", "--quiet"];

const CASES: &[Case] = &[
    Case {
        name: "run_png_is_a_folder",
        args: RUN,
        dir: run_dir,
        file: "cost.png",
        expected_code: 2,
        expected_stderr: "is a folder; a file is written here",
    },
    Case {
        name: "run_svg_is_a_folder",
        args: RUN,
        dir: run_dir,
        file: "cost.svg",
        expected_code: 2,
        expected_stderr: "is a folder; a file is written here",
    },
    Case {
        name: "run_confusion_png_is_a_folder",
        args: RUN,
        dir: run_dir,
        file: "confusion.png",
        expected_code: 2,
        expected_stderr: "is a folder; a file is written here",
    },
    Case {
        name: "run_roc_svg_is_a_folder",
        args: RUN,
        dir: run_dir,
        file: "roc.svg",
        expected_code: 2,
        expected_stderr: "is a folder; a file is written here",
    },
    Case {
        name: "sweep_png_is_a_folder",
        args: SWEEP_ARGS,
        dir: heart_sweep,
        file: "cost.png",
        expected_code: 2,
        expected_stderr: "is a folder; a file is written here",
    },
    Case {
        name: "sweep_svg_is_a_folder",
        args: SWEEP_ARGS,
        dir: heart_sweep,
        file: "cost.svg",
        expected_code: 2,
        expected_stderr: "is a folder; a file is written here",
    },
];

#[test]
fn a_figure_file_that_cannot_be_written_is_refused_as_the_users_path_naming_it_once() {
    let mut wrong = Vec::new();
    for case in CASES {
        let sandbox = Sandbox::new();
        sandbox.write("two.toml", SWEEP);
        sandbox.run(case.args).expect_code(0);
        let dir = (case.dir)(&sandbox);
        let target = dir.join(case.file);
        fs::remove_file(&target).expect("remove the figure file");
        fs::create_dir(&target).expect("make a folder in its place");

        let output = sandbox.run(case.args);
        // Shown relative to where synapse ran, as the user gave it.
        let path = target
            .strip_prefix(sandbox.path())
            .expect("inside the sandbox")
            .display()
            .to_string();
        let expected = format!("{path}: {}", case.expected_stderr);
        let mut problems = Vec::new();
        if output.code != case.expected_code {
            problems.push(format!(
                "{}: exit {} instead of {}",
                case.name, output.code, case.expected_code
            ));
        }
        if !output.stderr.contains(&expected) {
            problems.push(format!("{}: stderr lacks {expected:?}", case.name));
        }
        if output.stderr.matches(&path).count() != 1 {
            problems.push(format!("{}: the path is not named exactly once", case.name));
        }
        if output.stderr.contains("panicked") {
            problems.push(format!("{}: panicked", case.name));
        }
        if !target.is_dir() {
            problems.push(format!("{}: the folder was replaced", case.name));
        }
        if !problems.is_empty() {
            problems.push(format!("stderr was:\n{}", output.stderr));
            wrong.extend(problems);
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
