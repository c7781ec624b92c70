//! The runs README.md shows on its first screen (a good run and one that
//! learned nothing) are real: every `$ synapse run …` block in the README
//! is run here, and its output must be exactly the lines quoted under it
//! (a quoted `…` standing for lines left out). So is every command of the
//! learner's path, "Watch a network learn", in one sandbox in order.

use std::fs;
use std::path::Path;

use crate::common::{Output, Sandbox};

/// The indented lines under a command, up to the next command or the end of
/// the block.
fn quoted_under<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Vec<String> {
    let mut output = Vec::new();
    while let Some(next) = lines.peek() {
        match next.strip_prefix("    ") {
            Some(quoted) if !quoted.starts_with("$ ") => {
                output.push(quoted.trim_end().to_string());
                lines.next();
            }
            _ => break,
        }
    }
    output
}

/// The `$ synapse run …` blocks of the README: the arguments after
/// `synapse`, and the lines quoted under the command.
fn run_blocks(readme: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(command) = line.strip_prefix("    $ synapse run ") else {
            continue;
        };
        let mut args = vec!["run".to_string()];
        args.extend(command.split_whitespace().map(str::to_string));
        let output = quoted_under(&mut lines);
        blocks.push((args, output));
    }
    blocks
}

#[test]
fn the_readme_runs_print_what_the_readme_quotes() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let blocks = run_blocks(&readme);
    assert!(
        blocks.len() >= 2,
        "README.md shows a good and a failed run: {blocks:?}"
    );
    for (args, quoted) in blocks {
        let sandbox = Sandbox::new();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = sandbox.run(&args).expect_code(0);
        assert_quoted(&args, &output, &quoted);
    }
}

/// The README's learner's path, "Watch a network learn": its `$ …` lines
/// (every one a `synapse` command) with the lines quoted under each; a
/// quoted `…` stands for lines left out.
fn learner_path(readme: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Watch a network learn"))
        .expect("README.md has a section \"Watch a network learn\"");
    let mut blocks = Vec::new();
    let mut lines = section.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(command) = line.strip_prefix("    $ ") else {
            continue;
        };
        let args: Vec<String> = command.split_whitespace().map(str::to_string).collect();
        assert_eq!(
            args.first().map(String::as_str),
            Some("synapse"),
            "every command of the learner's path is a synapse command the test runs: {line}"
        );
        assert!(
            !command.contains(['"', '\'', '|', '>', '<']),
            "the test splits commands on spaces only: {line}"
        );
        let output = quoted_under(&mut lines);
        blocks.push((args[1..].to_vec(), output));
    }
    blocks
}

/// Whether `printed` is `quoted` where each `…` of `quoted` stands for any
/// run of lines (none included).
fn matches_with_gaps(printed: &[&str], quoted: &[String]) -> bool {
    let mut parts = quoted.split(|line| line == "…");
    let Some(first) = parts.next() else {
        return printed.is_empty();
    };
    if printed.len() < first.len() || !printed.iter().zip(first).all(|(p, q)| p == q) {
        return false;
    }
    let mut at = first.len();
    let rest: Vec<&[String]> = parts.collect();
    if rest.is_empty() {
        return at == printed.len();
    }
    for (i, part) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        if last {
            // The part after the last gap ends the output.
            return printed.len() >= at + part.len()
                && printed[printed.len() - part.len()..]
                    .iter()
                    .zip(part.iter())
                    .all(|(p, q)| p == q);
        }
        match (at..=printed.len().saturating_sub(part.len())).find(|&start| {
            printed[start..start + part.len()]
                .iter()
                .zip(part.iter())
                .all(|(p, q)| p == q)
        }) {
            Some(start) => at = start + part.len(),
            None => return false,
        }
    }
    true
}

/// Fails unless `output` is what the README quotes under `synapse ARGS`.
/// Not a terminal: no progress bar; warnings and tables are on stderr, the
/// closing line on stdout, printed in that order.
fn assert_quoted(args: &[&str], output: &Output, quoted: &[String]) {
    let printed: Vec<&str> = output
        .stderr
        .lines()
        .chain(output.stdout.lines())
        .map(str::trim_end)
        .collect();
    assert!(
        matches_with_gaps(&printed, quoted),
        "`synapse {}` no longer prints what README.md quotes:\n{}\nquoted:\n{}",
        args.join(" "),
        printed.join("\n"),
        quoted.join("\n")
    );
}

#[test]
fn the_gap_matcher_finds_lines_in_order_and_nothing_else() {
    let quoted = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    let printed = ["a", "b", "c", "d"];
    assert!(matches_with_gaps(&printed, &quoted(&["a", "b", "c", "d"])));
    assert!(matches_with_gaps(&printed, &quoted(&["a", "…", "d"])));
    assert!(matches_with_gaps(&printed, &quoted(&["…", "b", "…"])));
    assert!(matches_with_gaps(&printed, &quoted(&["a", "…", "c", "d"])));
    assert!(!matches_with_gaps(&printed, &quoted(&["a", "…", "c"])));
    assert!(!matches_with_gaps(&printed, &quoted(&["b", "…"])));
    assert!(!matches_with_gaps(
        &printed,
        &quoted(&["…", "c", "…", "b", "…"])
    ));
    assert!(!matches_with_gaps(&printed, &quoted(&["a", "b"])));
}

#[test]
fn every_command_of_the_learners_path_prints_what_the_readme_quotes() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let blocks = learner_path(&readme);
    assert!(blocks.len() >= 5, "the learner's path: {blocks:?}");
    // One sandbox, as a learner would go: later commands read what earlier
    // ones wrote.
    let sandbox = Sandbox::new();
    for (args, quoted) in blocks {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = sandbox.run(&args).expect_code(0);
        assert_quoted(&args, &output, &quoted);
    }
}
