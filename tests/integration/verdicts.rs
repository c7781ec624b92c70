//! Findings and baselines, with the real binary: runs that learned nothing
//! are told apart from good ones, and no shipped example gets a finding.

use std::fs;
use std::path::Path;

use crate::common::Sandbox;

/// The codes of the findings in a run directory's summary.json.
fn codes(dir: &Path) -> Vec<String> {
    let text = fs::read_to_string(dir.join("summary.json")).expect("summary.json");
    let summary: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    summary["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_string())
        .collect()
}

/// The run directory a closing line ends in.
fn dir_of(stdout: &str) -> String {
    let last = stdout.lines().last().expect("a closing line");
    last.rsplit_once(" -> ").expect("-> DIR").1.to_string()
}

fn heart(sandbox: &Sandbox, sets: &[&str]) -> (Vec<String>, String, String) {
    let mut args = vec!["--quiet", "run", "experiments/heart.toml"];
    for set in sets {
        args.extend(["--set", set]);
    }
    let output = sandbox.run(&args).expect_code(0);
    let dir = sandbox.path().join(dir_of(&output.stdout));
    (codes(&dir), output.stdout, output.stderr)
}

#[test]
fn heart_at_learning_rates_10_and_100_gets_constant_output_and_no_better_than_baseline() {
    let sandbox = Sandbox::new();
    for rate in ["10", "100"] {
        let set = format!("training.learning_rate={rate}");
        let (codes, stdout, stderr) = heart(&sandbox, &[&set]);
        for code in ["constant_output", "no_better_than_baseline"] {
            assert!(codes.iter().any(|c| c == code), "lr {rate}: {codes:?}");
        }
        // Each finding is a warning on stderr; stdout ends in the closing line.
        assert_eq!(
            stderr
                .lines()
                .filter(|l| l.starts_with("warning: heart: "))
                .count(),
            codes.len(),
            "{stderr}"
        );
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        assert!(stdout.contains(", always \"0\" 0.715;"), "{stdout}");
    }
}

#[test]
fn heart_at_learning_rate_0_001_for_20_epochs_is_no_better_than_baseline() {
    let sandbox = Sandbox::new();
    let (codes, _, stderr) = heart(
        &sandbox,
        &["training.learning_rate=0.001", "training.epochs=20"],
    );
    assert!(
        codes.iter().any(|c| c == "no_better_than_baseline"),
        "{codes:?}"
    );
    assert!(
        stderr.contains("validation accuracy 0.715 is no better than always \"0\" 0.715"),
        "{stderr}"
    );
}

#[test]
fn strict_fails_a_run_with_findings_and_passes_a_good_one() {
    let sandbox = Sandbox::new();
    let bad = [
        "--quiet",
        "run",
        "experiments/heart.toml",
        "--strict",
        "--set",
        "training.learning_rate=10",
    ];
    let output = sandbox.run(&bad).expect_code(1);
    assert!(
        output.stderr.contains("--strict: the run got"),
        "{}",
        output.stderr
    );
    // Already ran: its findings are read back from its summary.json.
    sandbox.run(&bad).expect_code(1);
    sandbox
        .run(&["--quiet", "run", "experiments/heart.toml", "--strict"])
        .expect_code(0);
}

#[test]
fn no_shipped_example_gets_a_finding() {
    let sandbox = Sandbox::new();
    let mut checked = 0;
    let mut files: Vec<_> = fs::read_dir(sandbox.path().join("experiments"))
        .expect("experiments")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for file in files {
        let text = fs::read_to_string(&file).expect("example");
        if text
            .lines()
            .any(|l| l.trim_start().starts_with("experiment ="))
        {
            continue;
        }
        let name = file.strip_prefix(sandbox.path()).expect("inside");
        let name = name.to_str().expect("UTF-8");
        let output = sandbox.run(&["--quiet", "run", name]).expect_code(0);
        assert!(
            !output.stderr.contains("warning:"),
            "{name}: {}",
            output.stderr
        );
        let dir = sandbox.path().join(dir_of(&output.stdout));
        assert_eq!(codes(&dir), Vec::<String>::new(), "{name}");
        checked += 1;
    }
    assert!(checked >= 5, "{checked} examples");
    // Every run of the heart sweep.
    sandbox
        .run(&["--quiet", "sweep", "experiments/heart-sweep.toml"])
        .expect_code(0);
    let mut runs = 0;
    for entry in fs::read_dir(sandbox.path().join("results/heart"))
        .expect("heart runs")
        .flatten()
    {
        let summary = entry.path().join("summary.json");
        if summary.exists() {
            assert_eq!(
                codes(&entry.path()),
                Vec::<String>::new(),
                "{}",
                entry.path().display()
            );
            runs += 1;
        }
    }
    assert!(runs > 1, "{runs} heart runs");
}
