//! `synapse data`: the data a run would use, described and written as CSV,
//! and nothing else written. The reference numbers for the Cleveland file
//! come from Python, outside the project:
//!
//! ```python
//! import csv, numpy as np, collections
//! rows = list(csv.DictReader(open('data/heart-disease-cleveland.csv')))
//! empty = {c: sum(r[c].strip() == '' for r in rows) for c in rows[0]}
//! kept = [r for r in rows if all(r[c].strip() != '' for c in rows[0])]
//! # 304 rows, 7 dropped; empty cells: slope 1, ca 5, thal 3
//! a = np.array([float(r['age']) for r in kept])
//! a.min(), a.mean(), a.max(), a.std(ddof=1)  # 29, 54.542…, 77, 9.0497…
//! # chol: 126, 247.350…, 564, 51.9976…
//! collections.Counter(r['cp'] for r in kept)  # 4 values, asymptomatic 142
//! collections.Counter(r['disease'] for r in kept)  # '0': 160, '1': 137
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Sandbox, labelled_csv};

/// The rows of the columns table: each line after the header split at runs
/// of two or more spaces (cells hold single spaces: `typical angina`), by
/// the column name. Every row must have the cells the kind says it has.
fn columns(stdout: &str) -> BTreeMap<String, Vec<String>> {
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with("column "));
    let header = lines.next().expect("the columns table");
    assert_eq!(
        cells(header),
        [
            "column",
            "kind",
            "count",
            "missing",
            "min",
            "mean",
            "max",
            "std",
            "distinct",
            "most frequent"
        ]
    );
    lines
        .take_while(|l| !l.is_empty())
        .map(|line| {
            let row = cells(line);
            let expected = if row[1].contains("class") || !row[1].contains("number") {
                10
            } else {
                8
            };
            assert_eq!(row.len(), expected, "{line}");
            (row[0].clone(), row[1..].to_vec())
        })
        .collect()
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// The per-split table after `title`: split name → its cells.
fn per_split(stdout: &str, title: &str) -> BTreeMap<String, Vec<String>> {
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with(title));
    assert!(lines.next().is_some(), "no `{title}` in\n{stdout}");
    lines
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|line| {
            let row = cells(line);
            (row[0].clone(), row[1..].to_vec())
        })
        .collect()
}

/// Everything in the sandbox but experiments/ and data/.
fn written(sandbox: &Sandbox) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(sandbox.path())
        .expect("the sandbox")
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.ends_with("experiments") && !p.ends_with("data"))
        .collect();
    found.sort();
    found
}

fn split_counts(rows: &[BTreeMap<String, String>]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for row in rows {
        *counts.entry(row["split"].clone()).or_default() += 1;
    }
    counts
}

#[test]
fn the_cleveland_file_is_described_as_python_reads_it_and_written_with_its_splits() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .run(&[
            "data",
            "experiments/heart-disease.toml",
            "--out",
            "cleveland.csv",
        ])
        .expect_code(0);
    assert_eq!(written(&sandbox), [sandbox.path().join("cleveland.csv")]);
    assert_eq!(out.stderr, "wrote 297 rows to cleveland.csv\n");
    let first = out.stdout.lines().next().expect("a first line");
    assert_eq!(
        first,
        "experiments/../data/heart-disease-cleveland.csv: 304 rows, 7 dropped for an empty cell \
         (missing = \"drop\"); 297 used: 179 train, 59 validation, 59 test"
    );

    let table = columns(&out.stdout);
    assert_eq!(table.len(), 14, "13 features and the target");
    assert_eq!(
        table["age"],
        ["number", "297", "0", "29", "54.54", "77", "9.05"]
    );
    assert_eq!(
        table["chol"],
        ["number", "297", "0", "126", "247.4", "564", "52"]
    );
    assert_eq!(table["ca"][..3], ["number", "297", "5"]);
    assert_eq!(table["thal"][..3], ["category", "297", "3"]);
    assert_eq!(table["slope"][..3], ["category", "297", "1"]);
    assert_eq!(
        table["cp"],
        [
            "category",
            "297",
            "0",
            "—",
            "—",
            "—",
            "—",
            "4",
            "asymptomatic (142)"
        ]
    );
    assert_eq!(table["fbs"][0], "TRUE/FALSE");
    assert_eq!(
        table["disease"],
        [
            "target: class",
            "297",
            "0",
            "—",
            "—",
            "—",
            "—",
            "2",
            "0 (160)"
        ]
    );

    let balance = per_split(&out.stdout, "Classes of `disease` per split");
    assert_eq!(balance["all"], ["297", "160 (53.87%)", "137 (46.13%)"]);

    // The file: the data's columns between `row` and `split`, the kept rows
    // in the data's order, each cell as the data file has it.
    let (header, rows): (_, Vec<BTreeMap<String, String>>) =
        labelled_csv(&sandbox.path().join("cleveland.csv"));
    let (source_header, source): (_, Vec<BTreeMap<String, String>>) =
        labelled_csv(&sandbox.path().join("data/heart-disease-cleveland.csv"));
    assert_eq!(header.first().map(String::as_str), Some("row"));
    assert_eq!(header.last().map(String::as_str), Some("split"));
    assert_eq!(header[1..header.len() - 1], source_header[..]);
    assert_eq!(rows.len(), 297);
    let numbers: Vec<usize> = rows
        .iter()
        .map(|r| r["row"].parse().expect("a row number"))
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "the data's order");
    for row in &rows {
        let original = &source[row["row"].parse::<usize>().expect("a row number") - 1];
        for column in &source_header {
            let (ours, theirs) = (&row[column], original[column].trim());
            let same = ours == theirs
                || ours
                    .parse::<f64>()
                    .ok()
                    .is_some_and(|a| Ok(a) == theirs.parse::<f64>());
            assert!(same, "row {}, {column}: {ours} ≠ {theirs}", row["row"]);
        }
    }
    // The splits as the description counts them, class by class.
    let counts = split_counts(&rows);
    for (split, expected) in [("train", 179), ("validation", 59), ("test", 59)] {
        assert_eq!(counts[split], expected);
        let sick = rows
            .iter()
            .filter(|r| r["split"] == split && r["disease"] == "1")
            .count();
        let cells = &balance[split];
        assert_eq!(cells[0], expected.to_string());
        assert!(
            cells[2].starts_with(&format!("{sick} (")),
            "{split}: {cells:?}"
        );
    }
}

#[test]
fn without_out_nothing_is_written_and_a_regression_target_is_described_per_split() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .run(&["data", "experiments/sine.toml"])
        .expect_code(0);
    assert!(written(&sandbox).is_empty(), "{:?}", written(&sandbox));
    assert_eq!(out.stderr, "");
    let table = columns(&out.stdout);
    assert_eq!(table["y"][..3], ["target: number", "500", "0"]);
    assert_eq!(table["x"][0], "number");
    let per_split = per_split(&out.stdout, "Target `y` per split");
    let examples: Vec<&str> = ["train", "validation", "test", "all"]
        .iter()
        .map(|s| per_split[*s][0].as_str())
        .collect();
    assert_eq!(examples, ["350", "100", "50", "500"]);
    // The whole data's mean is the one of the columns table.
    assert_eq!(per_split["all"][1], table["y"][4]);
    // --set is applied as `run` applies it, and checked as it checks it.
    let fewer = sandbox
        .run(&["data", "experiments/sine.toml", "--set", "data.rows=100"])
        .expect_code(0);
    assert!(
        fewer
            .stdout
            .starts_with("generator `sine`: 100 rows: 70 train, 20 validation, 10 test\n"),
        "{}",
        fewer.stdout
    );
    let bad = sandbox
        .run(&["data", "experiments/sine.toml", "--set", "data.rows=0"])
        .expect_code(2);
    assert!(bad.stderr.contains("rows"), "{}", bad.stderr);
    assert!(written(&sandbox).is_empty());
}

/// The spiral's CSV, its training rows read back as a data file with no
/// split, trains to the same model.json as the spiral itself.
#[test]
fn the_training_rows_train_the_same_model_as_the_run() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .run(&["data", "experiments/spiral.toml", "--out", "spiral.csv"])
        .expect_code(0);
    assert!(
        out.stdout
            .starts_with("generator `spiral`: 600 rows: 420 train, 120 validation, 60 test\n")
    );
    let balance = per_split(&out.stdout, "Classes of `arm` per split");
    assert_eq!(
        balance["train"],
        ["420", "140 (33.33%)", "140 (33.33%)", "140 (33.33%)"]
    );
    let text = sandbox.read("spiral.csv");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("row,x,y,arm,split"));
    let train: Vec<&str> = lines.filter(|l| l.ends_with(",train")).collect();
    assert_eq!(train.len(), 420);
    sandbox.write(
        "train.csv",
        format!("row,x,y,arm,split\n{}\n", train.join("\n")),
    );
    let spiral = sandbox.read("experiments/spiral.toml");
    let back = spiral
        .replace("name = \"spiral\"", "name = \"spiral-back\"")
        .replace(
            "generator = \"spiral\"\nrows = 600",
            "path = \"../train.csv\"\ntarget = \"arm\"\nfeatures = [\"x\", \"y\"]\n\
             split = { validation = 0.0, test = 0.0 }",
        );
    assert_ne!(back, spiral);
    sandbox.write("experiments/spiral-back.toml", back);
    for experiment in ["spiral", "spiral-back"] {
        sandbox
            .run(&[
                "run",
                "-q",
                &format!("experiments/{experiment}.toml"),
                "--set",
                "training.epochs=3",
            ])
            .expect_code(0);
    }
    let model = |experiment: &str| {
        fs::read(sandbox.run_dir(experiment).join("model.json")).expect("model.json")
    };
    assert_eq!(model("spiral-back"), model("spiral"));
}

#[test]
fn out_may_not_replace_the_experiments_files_nor_go_where_there_is_no_folder() {
    let sandbox = Sandbox::new();
    let data = sandbox.read("data/heart-disease-cleveland.csv");
    for (out, message) in [
        (
            "data/heart-disease-cleveland.csv",
            "is the experiment's data file",
        ),
        ("experiments/heart-disease.toml", "is the experiment file"),
        ("nowhere/x.csv", "the folder nowhere does not exist"),
    ] {
        let result = sandbox
            .run(&["data", "experiments/heart-disease.toml", "--out", out])
            .expect_code(2);
        assert!(
            result.stderr.starts_with(&format!("error: --out {out}: "))
                && result.stderr.contains(message),
            "{}",
            result.stderr
        );
        assert_eq!(result.stdout, "");
    }
    assert_eq!(sandbox.read("data/heart-disease-cleveland.csv"), data);
    assert!(written(&sandbox).is_empty());
    assert!(!Path::new(&sandbox.path().join("results")).exists());
}

/// The lines README.md quotes under `$ COMMAND`: the indented lines (blank
/// ones included) up to the next paragraph, without the trailing blanks.
fn quoted(readme: &str, command: &str) -> Vec<String> {
    let mut lines = readme
        .lines()
        .skip_while(|l| *l != format!("    $ {command}"))
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with("    "))
        .map(|l| l.strip_prefix("    ").unwrap_or(l).to_string())
        .collect::<Vec<_>>();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    assert!(!lines.is_empty(), "README.md quotes no `{command}`");
    lines
}

#[test]
fn the_readme_quotes_what_data_prints_and_writes() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let sandbox = Sandbox::new();
    let out = sandbox
        .run(&[
            "data",
            "experiments/heart-disease.toml",
            "--out",
            "heart-disease-rows.csv",
        ])
        .expect_code(0);
    let printed: Vec<&str> = out.stderr.lines().chain(out.stdout.lines()).collect();
    assert_eq!(
        printed,
        quoted(
            &readme,
            "synapse data experiments/heart-disease.toml --out heart-disease-rows.csv"
        )
    );
    let csv = sandbox.read("heart-disease-rows.csv");
    let head: Vec<&str> = csv.lines().take(3).collect();
    assert_eq!(head, quoted(&readme, "head -3 heart-disease-rows.csv"));
}
