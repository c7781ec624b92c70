//! Whole-output snapshots of the commands a user reads: `check`, `trace`,
//! `gradcheck` and `compare`, run on the shipped examples in a sandbox.
//!
//! A fragment test passes while the rest of the output changes unseen; a
//! snapshot pins every line, so any change to what a user reads shows up as a
//! diff to review. Each invocation's transcript (see [`transcript`]) is
//! compared with a file under `tests/snapshots/`; the bad-input tables
//! (`bad_input.rs`) use the same transcript and comparison.
//!
//! To accept new output after a deliberate change, regenerate every snapshot
//! with one command and review the diff (tests/README.md):
//!
//! ```text
//! SNAPSHOTS=overwrite cargo test --release --test integration
//! ```
//!
//! In a snapshot, `[ROOT]` stands for the sandbox directory, `[..]` for any
//! text within a line and a line `...` for any lines: the only things that
//! may vary from one machine to another. Everything else must be
//! deterministic: no clocks, no absolute paths, no dependence on the number
//! of threads.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::common::{Output, Sandbox};

/// The environment variable that selects snapbox's action: unset or `verify`
/// compares, `overwrite` rewrites the snapshot files with the actual output.
const ACTION_ENV: &str = snapbox::assert::DEFAULT_ACTION_ENV;

/// What one invocation printed, in the form the snapshot files hold:
///
/// ```text
/// $ synapse ARGS
/// exit code N
/// ----- stdout -----
/// ...
/// ----- stderr -----
/// ...
/// ```
///
/// A stream that printed nothing has no section, so an empty stdout is
/// pinned as surely as a full one.
pub fn transcript(args: &[&str], output: &Output) -> String {
    let mut text = format!(
        "$ synapse {}\nexit code {}\n",
        shell_words(args),
        output.code
    );
    for (name, stream) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        if stream.is_empty() {
            continue;
        }
        let _ = writeln!(text, "----- {name} -----");
        text.push_str(stream);
        if !stream.ends_with('\n') {
            text.push_str("\n[no newline at the end]\n");
        }
    }
    text
}

/// The arguments as one would type them, quoted where a shell needs it.
pub fn shell_words(args: &[&str]) -> String {
    args.iter()
        .map(|arg| {
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c));
            if plain {
                arg.to_string()
            } else {
                format!("'{}'", arg.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with the sandbox directory `root` (as given, and canonical, which
/// may differ where the temporary directory is behind a symbolic link)
/// written as `[ROOT]`.
pub fn redact(text: &str, root: &Path) -> String {
    let mut roots = vec![root.display().to_string()];
    if let Ok(canonical) = root.canonicalize() {
        roots.push(canonical.display().to_string());
    }
    // The longer first, so that one holding the other is replaced whole.
    roots.sort_by_key(|root| std::cmp::Reverse(root.len()));
    roots
        .iter()
        .fold(text.to_string(), |text, root| text.replace(root, "[ROOT]"))
}

/// Compares `actual` (already [`redact`]ed) with the snapshot file
/// `snapshot`. `Err` holds the diff (or, with `SNAPSHOTS=overwrite`, the
/// file is rewritten and the result is `Ok`), so that a table of cases can
/// report every failure at once.
pub fn check_snapshot(snapshot: &Path, actual: &str) -> Result<(), String> {
    snapbox::Assert::new()
        .action_env(ACTION_ENV)
        // Backslashes are the program's own escapes here, not Windows
        // separators: they must be compared, not turned into `/`.
        .normalize_paths(false)
        .try_eq(
            Some(&"actual output"),
            actual.into(),
            snapbox::Data::read_from(snapshot, None),
        )
        .map_err(|e| format!("{}:\n{e}", snapshot.display()))
}

/// [`check_snapshot`], failing the test at once.
#[track_caller]
pub fn assert_snapshot(snapshot: &Path, actual: &str) {
    if let Err(failure) = check_snapshot(snapshot, actual) {
        panic!("{failure}\nRegenerate with `{ACTION_ENV}=overwrite` (tests/README.md).");
    }
}

/// The snapshot file `tests/snapshots/NAME.out`.
fn snapshot(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("snapshots")
        .join(format!("{name}.out"))
}

/// Runs each of `invocations` in `sandbox`, in order, and compares their
/// transcripts, one after another, with `tests/snapshots/NAME.out`.
#[track_caller]
fn assert_invocations(name: &str, sandbox: &Sandbox, invocations: &[&[&str]]) {
    let mut text = String::new();
    for (i, args) in invocations.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&transcript(args, &sandbox.run(args)));
    }
    assert_snapshot(&snapshot(name), &redact(&text, sandbox.path()));
}

#[test]
fn check_prints_the_resolved_config_of_every_example() {
    let sandbox = Sandbox::new();
    assert_invocations(
        "check",
        &sandbox,
        &[
            &["check", "experiments/heart.toml"],
            &["check", "experiments/iris.toml"],
            &["check", "experiments/sine.toml"],
            &["check", "experiments/spiral.toml"],
            &["check", "experiments/heart-disease.toml"],
        ],
    );
}

#[test]
fn trace_of_a_binary_example_is_pinned() {
    assert_invocations(
        "trace-heart",
        &Sandbox::new(),
        &[&["trace", "experiments/heart.toml"]],
    );
}

#[test]
fn trace_of_a_multiclass_example_is_pinned() {
    assert_invocations(
        "trace-iris",
        &Sandbox::new(),
        &[&["trace", "experiments/iris.toml"]],
    );
}

#[test]
fn trace_of_a_regression_example_is_pinned() {
    assert_invocations(
        "trace-sine",
        &Sandbox::new(),
        &[&["trace", "experiments/sine.toml"]],
    );
}

#[test]
fn gradcheck_of_the_examples_is_pinned() {
    assert_invocations(
        "gradcheck",
        &Sandbox::new(),
        &[
            &["gradcheck", "experiments/heart.toml"],
            &["gradcheck", "experiments/iris.toml"],
            &["gradcheck", "experiments/sine.toml"],
        ],
    );
}

#[test]
fn compare_of_two_runs_is_pinned() {
    let sandbox = Sandbox::new();
    for rate in ["0.1", "0.5"] {
        let assignment = format!("training.learning_rate={rate}");
        sandbox
            .run(&[
                "-q",
                "run",
                "experiments/heart.toml",
                "--set",
                "training.epochs=5",
                "--set",
                &assignment,
            ])
            .expect_code(0);
    }
    let mut runs: Vec<String> = std::fs::read_dir(sandbox.path().join("results").join("heart"))
        .expect("results/heart")
        .flatten()
        .map(|entry| format!("results/heart/{}", entry.file_name().to_string_lossy()))
        .collect();
    // Run ids are hashes of the config: sorted, the order is fixed.
    runs.sort();
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_invocations(
        "compare",
        &sandbox,
        &[
            &["compare", &runs[0], &runs[1]],
            &["compare", &runs[1], &runs[0]],
        ],
    );
}
