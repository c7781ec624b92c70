//! The golden table of bad sweep files, run through the real binary.
//!
//! Cases are data, one per file name, in the manner of `bad_input.rs`:
//! `tests/cases/sweep/NAME.toml` is a sweep file whose base experiment
//! (`experiments/heart.toml`) is valid, so only the sweep file is at fault;
//! `NAME.expect` holds the fragments stderr must contain, one per line, the
//! first naming `NAME.toml:LINE:COLUMN` and the key (a line starting with `!`
//! must NOT be in stderr). Each case is copied into the root of a fresh
//! sandbox and run as `synapse sweep NAME.toml` and as `synapse sweep
//! NAME.toml --list`: both must exit 2 with a message starting `error: `,
//! without a panic, and with nothing under `results/`.

use std::fs;
use std::path::Path;

use crate::common::Sandbox;

/// The cases of `tests/cases/sweep/`: (name, sweep file, expected lines).
fn cases() -> Vec<(String, String, String)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/sweep");
    let mut names: Vec<String> = fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|entry| {
            let path = entry.expect("a directory entry").path();
            (path.extension()? == "toml").then(|| path.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let read = |extension: &str| {
                let path = folder.join(format!("{name}.{extension}"));
                fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("case `{name}` needs {}: {e}", path.display()))
            };
            let (sweep, expect) = (read("toml"), read("expect"));
            (name, sweep, expect)
        })
        .collect()
}

/// What went wrong when `args` ran on the case, if anything.
fn problems(sandbox: &Sandbox, args: &[&str], expect: &str) -> Vec<String> {
    let output = sandbox.run(args);
    let mut problems = Vec::new();
    if output.code != 2 {
        problems.push(format!("exit code {}, expected 2", output.code));
    }
    if !output.stderr.starts_with("error: ") {
        problems.push("stderr does not start with `error: `".to_string());
    }
    if output.stderr.contains("panicked") {
        problems.push("it panicked".to_string());
    }
    for line in expect.lines().filter(|line| !line.trim().is_empty()) {
        match line.strip_prefix('!') {
            Some(absent) if output.stderr.contains(absent) => {
                problems.push(format!("stderr contains `{absent}`, which it must not"))
            }
            None if !output.stderr.contains(line) => {
                problems.push(format!("stderr lacks `{line}`"))
            }
            _ => {}
        }
    }
    let written = sandbox.result_files();
    if !written.is_empty() {
        problems.push(format!("wrote under results/: {written:?}"));
    }
    if !problems.is_empty() {
        problems.push(format!("stderr:\n{}", output.stderr));
    }
    problems
}

#[test]
fn every_bad_sweep_file_exits_2_naming_the_line_column_and_key_and_writes_nothing() {
    let cases = cases();
    assert!(
        cases.len() >= 25,
        "expected the sweep cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (name, sweep, expect) in &cases {
        let sandbox = Sandbox::new();
        let file = format!("{name}.toml");
        sandbox.write(&file, sweep);
        let first = expect.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("{name}.toml:")),
            "case `{name}`: the first expected line names the file, its line and column"
        );
        for args in [
            vec!["sweep", &file, "--quiet"],
            vec!["sweep", &file, "--list"],
        ] {
            let found = problems(&sandbox, &args, expect);
            if !found.is_empty() {
                failures.push(format!(
                    "[{name}] synapse {}\n  * {}",
                    args.join(" "),
                    found.join("\n  * ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} sweeps of bad sweep files went wrong:\n\n{}\n",
        failures.len(),
        2 * cases.len(),
        failures.join("\n\n")
    );
}
