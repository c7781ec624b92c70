//! Result files edited as a hostile user would, read back by `compare`,
//! `report` and `predict`.
//!
//! One good results tree (a two-run sweep, written by this binary) is made
//! once; each case copies it into a fresh sandbox, changes one thing, and
//! runs commands whose exit code and messages are given in the table. Every
//! case also checks what must hold whatever the input: no panic, no raw
//! escape character on stdout or stderr (each edit that plants text plants
//! `ESC`), and the results tree unchanged by reading it.
//!
//! The `V020` cases read results written by synapse 0.2.0
//! (tests/fixtures/v0.2.0), which must stay readable.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::{Sandbox, copy_dir, sweep_dir};

/// The escape character that starts a terminal control sequence.
const ESC: char = '\u{1b}';
/// "Clear the screen", as JSON and CSV spell it in a file.
const CLEAR_JSON: &str = "\\u001b[2J";
const CLEAR_RAW: &str = "\u{1b}[2J";

const TINY: &str = r#"
[experiment]
name = "tiny"
seed = 7

[data]
generator = "heart"
rows = 40
split = { validation = 0.2, test = 0.1 }

[model]
layers = [
  { units = 3, activation = "sigmoid" },
  { units = 1, activation = "sigmoid" },
]

[training]
epochs = 3
learning_rate = 0.1
"#;

const SWEEP: &str = r#"
experiment = "tiny.toml"

[grid]
"training.learning_rate" = [0.1, 0.2]
"#;

/// Which results tree a case starts from.
#[derive(Clone, Copy)]
enum Base {
    /// A sweep of two completed runs, by this binary.
    Fresh,
    /// tests/fixtures/v0.2.0: a run, and a sweep with pending and invalid runs.
    V020,
}

/// One command of a case and what it must give. In `args`, `{run}`,
/// `{run2}` and `{sweep}` stand for the first run's, the second run's and
/// the sweep's directory.
struct Check {
    args: &'static [&'static str],
    code: i32,
    /// Fragments stderr must hold.
    stderr: &'static [&'static str],
    /// Fragments stdout must hold.
    stdout: &'static [&'static str],
    /// Fragments report.html must hold (only for `report`).
    page: &'static [&'static str],
}

struct Case {
    name: &'static str,
    base: Base,
    edit: fn(&Tree),
    checks: &'static [Check],
}

const COMPARE_RUN: &[&str] = &["compare", "{run}", "--out", "out/c.png"];
const COMPARE_SWEEP: &[&str] = &["compare", "{sweep}", "--out", "out/c.png"];
const REPORT: &[&str] = &["report", "results", "--out", "out/report.html"];
const PREDICT: &[&str] = &["predict", "{run}", "rows.csv"];

static TRAILING_SUMMARY: [Check; 2] = refused_run_const(&[
    "summary.json, line",
    "data after the end of the JSON document",
]);
static UNKNOWN_STATUS: [Check; 2] = refused_run_const(&["unknown variant `done`", "early_stopped"]);
static ESCAPE_STATUS: [Check; 2] = refused_run_const(&["unknown variant `\\u{1b}[2J`"]);
static SWEEP_STATUS: [Check; 2] = refused_sweep_const(&[
    "summary.csv, line 2: unknown status `done`",
    "completed, early_stopped, diverged, interrupted, failed, pending, invalid",
]);
static SWEEP_ESCAPE_STATUS: [Check; 2] =
    refused_sweep_const(&["summary.csv, line 3: unknown status `\\u{1b}[2J`"]);
static SWAPPED_RUN_DIR: [Check; 2] =
    refused_sweep_const(&["summary.csv, line 2: the row is run", "holds run"]);
static DUPLICATED_ROW: [Check; 2] =
    refused_sweep_const(&["summary.csv, line 3: names the run of line 2 again"]);
static FINAL_DISAGREES: [Check; 2] = refused_run_const(&[
    "summary.json: final `train_loss` is 0.125, but the last row of",
    "metrics.csv (epoch 3) has",
]);
static FINAL_MISSING: [Check; 2] =
    refused_run_const(&["summary.json: final `validation_loss` is absent"]);
static PENDING: [Check; 2] = left_out_const(
    &["summary.csv, line 3: leaving out the run with training.learning_rate=0.2 (status pending)"],
    &["pending: left out, no run directory"],
);
static FAILED: [Check; 2] = left_out_const(
    &["line 3: leaving out the run with training.learning_rate=0.2 (status failed)"],
    &["failed: left out, no run directory"],
);
static INVALID: [Check; 2] = left_out_const(
    &["line 3: leaving out the run with training.learning_rate=0.2 (status invalid)"],
    &["invalid: left out, no run directory"],
);
static DIVERGED: [Check; 2] = left_out_const(&["line 3: leaving out", "(status diverged)"], &[]);

// The shapes that most cases share: a run refused by compare and skipped by
// the report (which still shows the sweep holding it); a sweep refused by
// compare and skipped by the report; a row left out with a note.
const fn refused_run_const(fragment: &'static [&'static str]) -> [Check; 2] {
    [
        Check {
            args: COMPARE_RUN,
            code: 2,
            stderr: fragment,
            stdout: &[],
            page: &[],
        },
        Check {
            args: REPORT,
            code: 0,
            stderr: &["note: skipped"],
            stdout: &["1 sweep"],
            page: &["Skipped"],
        },
    ]
}

const fn refused_sweep_const(fragment: &'static [&'static str]) -> [Check; 2] {
    [
        Check {
            args: COMPARE_SWEEP,
            code: 2,
            stderr: fragment,
            stdout: &[],
            page: &[],
        },
        Check {
            args: REPORT,
            code: 0,
            stderr: &["note: skipped", "summary.csv, line"],
            stdout: &["2 runs, 0 sweeps"],
            page: &["Skipped"],
        },
    ]
}

const fn left_out_const(
    note: &'static [&'static str],
    page: &'static [&'static str],
) -> [Check; 2] {
    [
        Check {
            args: COMPARE_SWEEP,
            code: 0,
            stderr: note,
            stdout: &["completed"],
            page: &[],
        },
        Check {
            args: REPORT,
            code: 0,
            stderr: &[],
            stdout: &["1 sweep"],
            page,
        },
    ]
}

const CASES: &[Case] = &[
    Case {
        name: "untouched",
        base: Base::Fresh,
        edit: |_| {},
        checks: &[
            Check {
                args: COMPARE_SWEEP,
                code: 0,
                stderr: &[],
                stdout: &["lr=0.1", "lr=0.2"],
                page: &[],
            },
            Check {
                args: REPORT,
                code: 0,
                stderr: &[],
                stdout: &["2 runs, 1 sweep"],
                page: &[],
            },
            Check {
                args: PREDICT,
                code: 0,
                stderr: &[],
                stdout: &["prediction"],
                page: &[],
            },
        ],
    },
    Case {
        name: "data after summary.json",
        base: Base::Fresh,
        edit: |t| t.append(&t.run.join("summary.json"), "{\"status\": \"completed\"}\n"),
        checks: &TRAILING_SUMMARY,
    },
    Case {
        name: "data after model.json",
        base: Base::Fresh,
        edit: |t| t.append(&t.run.join("model.json"), "]"),
        checks: &[Check {
            args: PREDICT,
            code: 2,
            stderr: &[
                "model.json: not valid JSON at line",
                "data after the end of the JSON document",
            ],
            stdout: &[],
            page: &[],
        }],
    },
    Case {
        name: "unknown status in summary.json",
        base: Base::Fresh,
        edit: |t| t.replace(&t.run.join("summary.json"), "\"completed\"", "\"done\""),
        checks: &UNKNOWN_STATUS,
    },
    Case {
        name: "escape sequence as the status in summary.json",
        base: Base::Fresh,
        edit: |t| {
            let status = format!("\"{CLEAR_JSON}\"");
            t.replace(&t.run.join("summary.json"), "\"completed\"", &status)
        },
        checks: &ESCAPE_STATUS,
    },
    Case {
        name: "a sweep row's status in summary.json",
        base: Base::Fresh,
        edit: |t| t.replace(&t.run.join("summary.json"), "\"completed\"", "\"pending\""),
        checks: &[Check {
            args: COMPARE_RUN,
            code: 2,
            stderr: &["status `pending` is a sweep row's, not a run's"],
            stdout: &[],
            page: &[],
        }],
    },
    Case {
        name: "escape sequence in the experiment name",
        base: Base::Fresh,
        edit: |t| {
            let name = format!("\"experiment\": \"tiny{CLEAR_JSON}\"");
            t.replace(
                &t.run.join("summary.json"),
                "\"experiment\": \"tiny\"",
                &name,
            );
        },
        checks: &[Check {
            args: COMPARE_RUN,
            code: 0,
            stderr: &[],
            stdout: &["tiny\\u{1b}[2J"],
            page: &[],
        }],
    },
    Case {
        name: "escape sequence in a class of model.json",
        base: Base::Fresh,
        edit: |t| {
            let classes = format!("\"classes\": [\"{CLEAR_JSON}\", \"{CLEAR_JSON}\"]");
            t.replace_between(&t.run.join("model.json"), "\"classes\": [", "]", &classes);
        },
        checks: &[Check {
            args: PREDICT,
            code: 2,
            stderr: &["the class `\\u{1b}[2J` is listed twice"],
            stdout: &[],
            page: &[],
        }],
    },
    Case {
        name: "escape sequence in an input of model.json",
        base: Base::Fresh,
        edit: |t| {
            let input = format!("\"height{CLEAR_JSON}\"");
            t.replace(&t.run.join("model.json"), "\"height_cm\"", &input);
        },
        checks: &[Check {
            args: PREDICT,
            code: 2,
            stderr: &["height\\u{1b}[2J"],
            stdout: &[],
            page: &[],
        }],
    },
    Case {
        name: "unknown status in summary.csv",
        base: Base::Fresh,
        edit: |t| t.csv_cell(1, "status", "done"),
        checks: &SWEEP_STATUS,
    },
    Case {
        name: "escape sequence as a status in summary.csv",
        base: Base::Fresh,
        edit: |t| t.csv_cell(2, "status", CLEAR_RAW),
        checks: &SWEEP_ESCAPE_STATUS,
    },
    Case {
        name: "completed rows whose run_dirs are swapped",
        base: Base::Fresh,
        edit: |t| {
            let (first, second) = (t.csv_get(1, "run_dir"), t.csv_get(2, "run_dir"));
            t.csv_cell(1, "run_dir", &second);
            t.csv_cell(2, "run_dir", &first);
        },
        checks: &SWAPPED_RUN_DIR,
    },
    Case {
        name: "a row duplicated",
        base: Base::Fresh,
        edit: |t| {
            for column in ["run_dir", "run_id", "param_training.learning_rate"] {
                let first = t.csv_get(1, column);
                t.csv_cell(2, column, &first);
            }
        },
        checks: &DUPLICATED_ROW,
    },
    Case {
        name: "final metrics that disagree with metrics.csv",
        base: Base::Fresh,
        edit: |t| t.json_final(Some(0.125)),
        checks: &FINAL_DISAGREES,
    },
    Case {
        name: "a final metric missing from summary.json",
        base: Base::Fresh,
        edit: |t| t.json_final(None),
        checks: &FINAL_MISSING,
    },
    Case {
        name: "a pending row (a shard not run yet)",
        base: Base::Fresh,
        edit: |t| t.unrun(2, "pending"),
        checks: &PENDING,
    },
    Case {
        name: "a failed row",
        base: Base::Fresh,
        edit: |t| t.unrun(2, "failed"),
        checks: &FAILED,
    },
    Case {
        name: "an invalid row (as 0.2.0 wrote)",
        base: Base::Fresh,
        edit: |t| t.unrun(2, "invalid"),
        checks: &INVALID,
    },
    Case {
        name: "a diverged row keeps its run_dir and is left out",
        base: Base::Fresh,
        edit: |t| t.csv_cell(2, "status", "diverged"),
        checks: &DIVERGED,
    },
    Case {
        name: "results of synapse 0.2.0",
        base: Base::V020,
        edit: |_| {},
        checks: &[
            Check {
                args: COMPARE_SWEEP,
                code: 0,
                stderr: &[
                    "line 3: leaving out the run with training.learning_rate=0.2 (status pending)",
                    "line 4: leaving out the run with training.learning_rate=-1.0 (status invalid)",
                ],
                stdout: &["1  tiny   completed"],
                page: &[],
            },
            Check {
                args: &["compare", "{run}", "{sweep}", "--out", "out/c.png"],
                code: 0,
                // The run is the sweep's: counted in its point only.
                stderr: &["is counted once, in the sweep or experiment that holds it"],
                stdout: &["1  tiny   completed"],
                page: &[],
            },
            Check {
                args: REPORT,
                code: 0,
                stderr: &[],
                stdout: &["1 run, 1 sweep"],
                page: &[
                    "pending: left out, no run directory",
                    "invalid: left out, no run directory",
                ],
            },
            Check {
                args: PREDICT,
                code: 0,
                stderr: &[],
                stdout: &["170,70,30,0,0.5701308341749831,0.42986916582501694"],
                page: &[],
            },
        ],
    },
];

/// The directories of a results tree being edited, absolute.
struct Tree {
    run: PathBuf,
    run2: PathBuf,
    sweep: PathBuf,
}

impl Tree {
    fn append(&self, path: &Path, text: &str) {
        let mut contents = read(path);
        contents.push_str(text);
        write(path, &contents);
    }

    fn replace(&self, path: &Path, from: &str, to: &str) {
        let contents = read(path);
        assert!(contents.contains(from), "{}: no {from:?}", path.display());
        write(path, &contents.replacen(from, to, 1));
    }

    /// Replaces the text from `start` to the next `end`, both included.
    fn replace_between(&self, path: &Path, start: &str, end: &str, with: &str) {
        let contents = read(path);
        let from = contents.find(start).expect("start");
        let to = from + contents[from..].find(end).expect("end") + end.len();
        write(
            path,
            &format!("{}{with}{}", &contents[..from], &contents[to..]),
        );
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let path = self.sweep.join("summary.csv");
        let mut reader = csv::Reader::from_path(&path).expect("summary.csv");
        let header = reader
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.expect("record").iter().map(String::from).collect())
            .collect();
        (header, rows)
    }

    /// The cell of 1-based data row `row` in `column` of summary.csv.
    fn csv_get(&self, row: usize, column: &str) -> String {
        let (header, rows) = self.csv();
        let c = header.iter().position(|h| h == column).expect(column);
        rows[row - 1][c].clone()
    }

    fn csv_cell(&self, row: usize, column: &str, value: &str) {
        let (header, mut rows) = self.csv();
        let c = header.iter().position(|h| h == column).expect(column);
        rows[row - 1][c] = value.to_string();
        let mut writer = csv::Writer::from_path(self.sweep.join("summary.csv")).expect("write");
        writer.write_record(&header).expect("header");
        for row in rows {
            writer.write_record(&row).expect("row");
        }
        writer.flush().expect("flush");
    }

    /// Row `row` as a sweep writes a run that never trained.
    fn unrun(&self, row: usize, status: &str) {
        self.csv_cell(row, "status", status);
        self.csv_cell(row, "run_dir", "");
        self.csv_cell(row, "run_id", "");
    }

    /// Sets the first run's final `train_loss`, or removes its final
    /// `validation_loss`.
    fn json_final(&self, train_loss: Option<f64>) {
        let path = self.run.join("summary.json");
        let mut json: serde_json::Value = serde_json::from_str(&read(&path)).expect("JSON");
        let last = json["final"].as_object_mut().expect("final");
        match train_loss {
            Some(value) => {
                last.insert("train_loss".into(), value.into());
            }
            None => {
                last.remove("validation_loss");
            }
        }
        write(&path, &serde_json::to_string_pretty(&json).expect("JSON"));
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The good tree, made once: results/ with the sweep of [`SWEEP`].
fn fresh_template() -> &'static Path {
    static TEMPLATE: OnceLock<Sandbox> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let sandbox = Sandbox::new();
            sandbox.write("tiny.toml", TINY);
            sandbox.write("tiny-sweep.toml", SWEEP);
            sandbox
                .run(&["sweep", "tiny-sweep.toml", "--quiet", "--jobs", "1"])
                .expect_code(0);
            sandbox
        })
        .path()
}

fn v020_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v0.2.0")
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.insert(path.clone(), fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, &mut out);
    out
}

/// One case in a fresh sandbox; the failures it finds, as text.
fn run_case(case: &Case) -> Vec<String> {
    let sandbox = Sandbox::new();
    let root = sandbox.path();
    match case.base {
        Base::Fresh => {
            let template = fresh_template();
            copy_dir(&template.join("results"), &root.join("results"));
            fs::copy(template.join("tiny.toml"), root.join("tiny.toml")).expect("copy");
        }
        Base::V020 => copy_dir(&v020_fixture(), root),
    }
    if !root.join("rows.csv").exists() {
        sandbox.write("rows.csv", "height_cm,weight_kg,age_years\n170,70,30\n");
    }
    let experiment = root.join("results/tiny");
    let sweep = sweep_dir(&experiment);
    // The runs in summary.csv's order.
    let tree_runs: Vec<PathBuf> = {
        let mut reader = csv::Reader::from_path(sweep.join("summary.csv")).expect("summary.csv");
        let header = reader.headers().expect("header").clone();
        let c = header.iter().position(|h| h == "run_dir").expect("run_dir");
        reader
            .records()
            .map(|r| r.expect("record")[c].to_string())
            .filter(|dir| !dir.is_empty())
            .map(|dir| sweep.join(dir))
            .collect()
    };
    let tree = Tree {
        run: tree_runs[0].clone(),
        run2: tree_runs
            .get(1)
            .cloned()
            .unwrap_or_else(|| tree_runs[0].clone()),
        sweep: sweep.clone(),
    };
    (case.edit)(&tree);
    let before = snapshot(&root.join("results"));

    let mut failures = Vec::new();
    for check in case.checks {
        let args: Vec<String> = check
            .args
            .iter()
            .map(|a| {
                a.replace("{run}", &tree.run.display().to_string())
                    .replace("{run2}", &tree.run2.display().to_string())
                    .replace("{sweep}", &tree.sweep.display().to_string())
            })
            .collect();
        let output = Command::new(env!("CARGO_BIN_EXE_synapse"))
            .args(&args)
            .current_dir(root)
            .output()
            .expect("run synapse");
        let code = output.status.code().unwrap_or(-1);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let mut problems = Vec::new();
        if code != check.code {
            problems.push(format!("exit code {code}, expected {}", check.code));
        }
        for fragment in check.stderr {
            if !stderr.contains(fragment) {
                problems.push(format!("stderr lacks {fragment:?}"));
            }
        }
        for fragment in check.stdout {
            if !stdout.contains(fragment) {
                problems.push(format!("stdout lacks {fragment:?}"));
            }
        }
        if stdout.contains(ESC) || stderr.contains(ESC) {
            problems.push("a raw escape character reached the terminal".to_string());
        }
        if stderr.contains("panicked") {
            problems.push("panicked".to_string());
        }
        if !check.page.is_empty() {
            let page = fs::read_to_string(root.join("out/report.html")).unwrap_or_default();
            for fragment in check.page {
                if !page.contains(fragment) {
                    problems.push(format!("report.html lacks {fragment:?}"));
                }
            }
        }
        if snapshot(&root.join("results")) != before {
            problems.push("the results tree changed".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: synapse {}\n  {}\n  stdout: {stdout}\n  stderr: {stderr}",
                case.name,
                check.args.join(" "),
                problems.join("\n  ")
            ));
        }
    }
    failures
}

#[test]
fn hostile_result_files_are_refused_or_left_out_as_the_table_says() {
    let failures: Vec<String> = CASES.iter().flat_map(run_case).collect();
    assert!(
        failures.is_empty(),
        "{} of the checks failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
