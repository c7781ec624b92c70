//! Golden tables of bad input, run through the real binary.
//!
//! Every case must be refused the same way: exit code 2, a message on stderr
//! that starts with `error: ` and says where the problem is, no panic, and
//! nothing at all under `results/`. Those rules are checked on their own, so
//! that regenerating the snapshots can never accept a panic or a wrong exit
//! code; then the whole output is compared with the case's snapshot, so that
//! every word of the message is pinned, not a few fragments.
//!
//! The cases are data, in the style of crate-ci/typos' tests/cmd
//! (tests/cases/README.md):
//!
//! - `tests/cases/config/NAME.toml`: a complete, bad experiment file;
//! - `tests/cases/csv/NAME.csv` and `NAME.toml`: a bad CSV file and an
//!   experiment that reads it with `path = "NAME.csv"` (a case without its CSV
//!   is about a file that does not exist);
//! - `NAME.out` beside them: the transcript of `synapse run NAME.toml` and
//!   `synapse check NAME.toml` (see [`transcript`]);
//! - `tests/cases/set/assignments.txt`: bad `--set` arguments, one a line,
//!   applied to experiments/heart.toml; `assignments.out` their transcripts;
//! - `tests/cases/file/names.txt`: experiment files that cannot be read, one
//!   a line; `names.out` their transcripts.
//!
//! Each case's files are copied into the root of a fresh [`Sandbox`] and run
//! there, once per command, so positions read `NAME.toml:LINE:COLUMN`.
//! Failures are collected and reported together. Regenerate the snapshots
//! with `SNAPSHOTS=overwrite` (tests/README.md).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Output, Sandbox};
use crate::snapshots::{check_snapshot, redact, shell_words, transcript};

/// Text that only a panic or a crash report prints.
const PANIC_MARKERS: [&str; 2] = ["panicked", "RUST_BACKTRACE"];

/// Every case is tried with both: `check` must refuse what `run` refuses.
const COMMANDS: [&str; 2] = ["run", "check"];

/// One case of a table: its files and its snapshot.
struct Case {
    name: String,
    /// Every file of the case but its snapshot, copied into the sandbox.
    files: Vec<PathBuf>,
    snapshot: PathBuf,
}

fn cases_folder(table: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("cases")
        .join(table)
}

/// The cases of `tests/cases/<table>/`, by name. Panics on a case missing its
/// `.toml`, so that no case is silently skipped; a missing `.out` fails the
/// comparison (and `SNAPSHOTS=overwrite` writes it).
fn cases(table: &str) -> Vec<Case> {
    let folder = cases_folder(table);
    let mut files: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| entry.expect("read a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    let stem = |path: &Path| {
        path.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_else(|| panic!("{}: not a UTF-8 file name", path.display()))
            .to_string()
    };
    let names: BTreeSet<String> = files.iter().map(|path| stem(path)).collect();
    names
        .into_iter()
        .map(|name| {
            let toml = folder.join(format!("{name}.toml"));
            assert!(toml.is_file(), "case `{name}` has no {}", toml.display());
            Case {
                files: files
                    .iter()
                    .filter(|path| stem(path) == name)
                    .filter(|path| path.extension().is_none_or(|e| e != "out"))
                    .cloned()
                    .collect(),
                snapshot: folder.join(format!("{name}.out")),
                name,
            }
        })
        .collect()
}

/// Runs `args` in a fresh sandbox holding `files` at its root. Returns the
/// transcript, and the rules of a refusal that the run broke, if any.
fn refuse(files: &[PathBuf], args: &[&str]) -> (String, Option<String>) {
    let sandbox = Sandbox::new();
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a file name");
        let contents = fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        sandbox.write(name, contents);
    }
    let output = sandbox.run(args);
    let mut problems = Vec::new();
    if output.code != 2 {
        problems.push(format!("exit code {}, expected 2", output.code));
    }
    if !output.stderr.starts_with("error: ") {
        problems.push("stderr does not start with `error: `".to_string());
    }
    for marker in PANIC_MARKERS {
        if output.stderr.contains(marker) {
            problems.push(format!("stderr contains `{marker}`: it panicked"));
        }
    }
    let written = sandbox.result_files();
    if !written.is_empty() {
        problems.push(format!("wrote under results/: {written:?}"));
    }
    // The transcript is redacted here, where the sandbox is known: the
    // snapshot is compared after the sandbox is gone.
    let text = redact(&transcript(args, &output), sandbox.path());
    let broken = (!problems.is_empty()).then(|| report(args, &problems, &output));
    (text, broken)
}

fn report(args: &[&str], problems: &[String], output: &Output) -> String {
    let mut text = format!("synapse {}", shell_words(args));
    for problem in problems {
        let _ = write!(text, "\n  * {problem}");
    }
    let _ = write!(text, "\n  stderr:");
    for line in output.stderr.lines() {
        let _ = write!(text, "\n  | {line}");
    }
    if !output.stdout.is_empty() {
        let _ = write!(text, "\n  stdout:");
        for line in output.stdout.lines().take(20) {
            let _ = write!(text, "\n  | {line}");
        }
    }
    text
}

/// Refuses every argument list of `invocations` (each in a fresh sandbox
/// holding `files`), records broken rules in `failures`, and compares the
/// transcripts, one after another, with `snapshot`.
fn refuse_all(
    label: &str,
    files: &[PathBuf],
    invocations: &[Vec<&str>],
    snapshot: &Path,
    failures: &mut Vec<String>,
) {
    let mut text = String::new();
    for (i, args) in invocations.iter().enumerate() {
        let (transcript, broken) = refuse(files, args);
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&transcript);
        if let Some(broken) = broken {
            failures.push(format!("[{label}] {broken}"));
        }
    }
    if let Err(diff) = check_snapshot(snapshot, &text) {
        failures.push(format!("[{label}] output differs from {diff}"));
    }
}

/// Panics once with every failure, if there are any.
fn assert_no_failures(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "failures in {what} ({}):\n\n{}\n\nIf the new output is right, regenerate the \
         snapshots with `SNAPSHOTS=overwrite` (tests/README.md); broken rules of a \
         refusal (exit code, `error: `, panic, results written) must be fixed instead.\n",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Runs every case of a table with `run` and with `check`; panics once,
/// listing every failing case.
fn assert_every_case_is_refused(table: &str, at_least: usize) {
    let cases = cases(table);
    assert!(
        cases.len() >= at_least,
        "expected at least {at_least} cases in {}, found {}",
        cases_folder(table).display(),
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let file = format!("{}.toml", case.name);
        let invocations: Vec<Vec<&str>> = COMMANDS
            .iter()
            .map(|&command| vec![command, file.as_str()])
            .collect();
        let label = format!("{table}/{}", case.name);
        refuse_all(
            &label,
            &case.files,
            &invocations,
            &case.snapshot,
            &mut failures,
        );
    }
    assert_no_failures(&format!("the {} {table} cases", cases.len()), &failures);
}

/// The lines of `tests/cases/<table>/<file>`, blank lines left out: one
/// argument a line, so that no quoting is needed.
fn argument_lines(table: &str, file: &str) -> Vec<String> {
    let path = cases_folder(table).join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_bad_config_exits_2_with_a_located_message_and_writes_nothing() {
    assert_every_case_is_refused("config", 30);
}

#[test]
fn every_bad_csv_exits_2_naming_the_file_row_and_column_and_writes_nothing() {
    assert_every_case_is_refused("csv", 12);
}

#[test]
fn every_bad_set_argument_exits_2_naming_the_argument_and_writes_nothing() {
    let assignments = argument_lines("set", "assignments.txt");
    assert!(assignments.len() >= 19, "{assignments:?}");
    let invocations: Vec<Vec<&str>> = assignments
        .iter()
        .flat_map(|assignment| {
            COMMANDS.map(|command| vec![command, "experiments/heart.toml", "--set", assignment])
        })
        .collect();
    let mut failures = Vec::new();
    let snapshot = cases_folder("set").join("assignments.out");
    refuse_all("set", &[], &invocations, &snapshot, &mut failures);
    assert_no_failures("the bad --set arguments", &failures);
}

#[test]
fn a_missing_or_unreadable_experiment_file_exits_2_naming_it() {
    let names = argument_lines("file", "names.txt");
    assert!(names.len() >= 2, "{names:?}");
    let invocations: Vec<Vec<&str>> = names
        .iter()
        .flat_map(|name| COMMANDS.map(|command| vec![command, name.as_str()]))
        .collect();
    let mut failures = Vec::new();
    let snapshot = cases_folder("file").join("names.out");
    refuse_all("file", &[], &invocations, &snapshot, &mut failures);
    assert_no_failures("the unreadable experiment files", &failures);
}
