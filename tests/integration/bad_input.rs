//! Golden tables of bad input, run through the real binary.
//!
//! Every case must be refused the same way: exit code 2, a message on stderr
//! that starts with `error: ` and says where the problem is, no panic, and
//! nothing at all under `results/`.
//!
//! The config and CSV cases are data, one case per file name (in the style of
//! crate-ci/typos' tests/cmd):
//!
//! - `tests/cases/config/NAME.toml`: a complete, bad experiment file;
//! - `tests/cases/csv/NAME.csv` and `NAME.toml`: a bad CSV file and an
//!   experiment that reads it with `path = "NAME.csv"` (a case without its CSV
//!   is about a file that does not exist);
//! - `NAME.expect` beside them: the fragments that stderr must contain, one
//!   per line (the position, the key path or row and column, the words saying
//!   what is allowed). A line starting with `!` is a fragment that stderr must
//!   NOT contain; blank lines are ignored.
//!
//! Each case's files are copied into the root of a fresh [`Sandbox`] and run
//! there as `synapse run NAME.toml`, then (in another fresh sandbox) as
//! `synapse check NAME.toml`, so positions read `NAME.toml:LINE:COLUMN`.
//! Failures are collected and reported together, each with its stderr.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Output, Sandbox};

/// Text that only a panic or a crash report prints.
const PANIC_MARKERS: [&str; 2] = ["panicked", "RUST_BACKTRACE"];

/// What stderr must and must not contain.
#[derive(Debug, Default)]
struct Expect {
    present: Vec<String>,
    absent: Vec<String>,
}

impl Expect {
    fn parse(text: &str) -> Expect {
        Expect::from_lines(text.lines())
    }

    fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Expect {
        let mut expect = Expect::default();
        for line in lines {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            match line.strip_prefix('!') {
                Some(absent) => expect.absent.push(absent.to_string()),
                None => expect.present.push(line.to_string()),
            }
        }
        expect
    }
}

/// One case of a table: its files and what its message must say.
struct Case {
    name: String,
    /// Every file of the case but the `.expect`, copied into the sandbox.
    files: Vec<PathBuf>,
    expect: Expect,
}

fn cases_folder(table: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("cases")
        .join(table)
}

/// The cases of `tests/cases/<table>/`, by name. Panics on a case missing its
/// `.toml` or its `.expect`, so that no case is silently skipped.
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
            let expect = folder.join(format!("{name}.expect"));
            assert!(toml.is_file(), "case `{name}` has no {}", toml.display());
            let expect = fs::read_to_string(&expect)
                .unwrap_or_else(|e| panic!("case `{name}` needs {}: {e}", expect.display()));
            let expect = Expect::parse(&expect);
            assert!(
                !expect.present.is_empty(),
                "case `{name}` expects nothing of stderr"
            );
            Case {
                files: files
                    .iter()
                    .filter(|path| stem(path) == name)
                    .filter(|path| path.extension().is_none_or(|e| e != "expect"))
                    .cloned()
                    .collect(),
                name,
                expect,
            }
        })
        .collect()
}

/// Runs `args` in a fresh sandbox holding `files` at its root; `None` when
/// the input is refused as it should be, else a report of what went wrong.
fn refusal_failure(files: &[PathBuf], args: &[&str], expect: &Expect) -> Option<String> {
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
    for fragment in &expect.present {
        if !output.stderr.contains(fragment.as_str()) {
            problems.push(format!("stderr lacks `{fragment}`"));
        }
    }
    for fragment in &expect.absent {
        if output.stderr.contains(fragment.as_str()) {
            problems.push(format!("stderr contains `{fragment}`, which it must not"));
        }
    }
    let written = sandbox.result_files();
    if !written.is_empty() {
        problems.push(format!("wrote under results/: {written:?}"));
    }
    (!problems.is_empty()).then(|| report(args, &problems, &output))
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

/// The arguments as one would type them, quoted where a shell needs it.
fn shell_words(args: &[&str]) -> String {
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
        for command in ["run", "check"] {
            if let Some(failure) = refusal_failure(&case.files, &[command, &file], &case.expect) {
                failures.push(format!("[{table}/{}] {failure}", case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} runs of the {} {table} cases went wrong:\n\n{}\n",
        failures.len(),
        2 * cases.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_bad_config_exits_2_with_a_located_message_and_writes_nothing() {
    assert_every_case_is_refused("config", 30);
}

#[test]
fn every_bad_csv_exits_2_naming_the_file_row_and_column_and_writes_nothing() {
    assert_every_case_is_refused("csv", 12);
}

/// `--set` arguments applied to experiments/heart.toml, a valid experiment,
/// and what the message must say besides naming the argument.
const BAD_SETS: &[(&str, &[&str])] = &[
    (
        "training.learning_rate=-1",
        &[
            "`training.learning_rate`",
            "must be a positive number",
            "got -1",
        ],
    ),
    (
        "training.learning_rate=nan",
        &[
            "`training.learning_rate`",
            "must be a positive number",
            "got NaN",
        ],
    ),
    ("nonsense", &["`nonsense` is not KEY=VALUE"]),
    ("=3", &["is not a dotted key path"]),
    ("training..epochs=1", &["is not a dotted key path"]),
    ("training.learning_rate=[1,", &["`[1,` is not a TOML value"]),
    (
        "model.layers.9.units=3",
        &["`model.layers` has 3 entries", "index 9 does not exist"],
    ),
    (
        "model.layers.x.units=3",
        &["`model.layers` is an array", "index it with a number"],
    ),
    (
        "training.epochs=\"x\"",
        &["`training.epochs`", "wrong type", "expected a whole number"],
    ),
    ("training.epochs.x=1", &["`training.epochs` is not a table"]),
    (
        "training.epochs=99999999999999999999",
        &["`training.epochs`", "too large", "!wrong type: string"],
    ),
    (
        "training.learnin_rate=0.1",
        &[
            "`training.learnin_rate`",
            "unknown key `learnin_rate`",
            "did you mean `learning_rate`?",
        ],
    ),
    (
        "trainig.epochs=3",
        &[
            "`trainig`",
            "unknown key `trainig`",
            "did you mean `training`?",
        ],
    ),
    (
        "data.normalize=zscore",
        &[
            "`data.normalize`",
            "unknown value `zscore`",
            "Allowed: none, standard, minmax.",
        ],
    ),
    (
        "data.path=data/iris.csv",
        &["`generator` and `path` are both given"],
    ),
    ("model.layers=[]", &["`model.layers`", "is empty"]),
    (
        "model.layers.0.units=1000000000",
        &["`model.layers.0.units`", "must be from 1 to 100000"],
    ),
    (
        "model.layers.2.activation=softmax",
        &["`model.layers.2.", "softmax", "at least 2 units"],
    ),
    (
        "experiment.name=../evil",
        &["`experiment.name`", "`../evil` is not allowed"],
    ),
];

#[test]
fn every_bad_set_argument_exits_2_naming_the_argument_and_writes_nothing() {
    let mut failures = Vec::new();
    for (assignment, fragments) in BAD_SETS {
        let named = format!("--set {assignment}");
        let expect =
            Expect::from_lines(std::iter::once(named.as_str()).chain(fragments.iter().copied()));
        for command in ["run", "check"] {
            let args = [command, "experiments/heart.toml", "--set", assignment];
            failures.extend(refusal_failure(&[], &args, &expect));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} runs with a bad --set went wrong:\n\n{}\n",
        failures.len(),
        2 * BAD_SETS.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_missing_or_unreadable_experiment_file_exits_2_naming_it() {
    let table: &[(&str, &[&str])] = &[
        (
            "does_not_exist.toml",
            &["does_not_exist.toml", "cannot read the experiment file"],
        ),
        ("data", &["data", "cannot read the experiment file"]),
    ];
    let mut failures = Vec::new();
    for (file, fragments) in table {
        let expect = Expect::from_lines(fragments.iter().copied());
        for command in ["run", "check"] {
            failures.extend(refusal_failure(&[], &[command, file], &expect));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
