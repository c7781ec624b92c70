//! The runs README.md shows on its first screen (a good run and one that
//! learned nothing) are real: every `$ synapse run …` block in the README
//! is run here, and its output must be exactly the lines quoted under it.

use std::fs;
use std::path::Path;

use crate::common::Sandbox;

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
        let mut output = Vec::new();
        while let Some(next) = lines.peek() {
            match next.strip_prefix("    ") {
                Some(quoted) if !quoted.starts_with("$ ") => {
                    output.push(quoted.to_string());
                    lines.next();
                }
                _ => break,
            }
        }
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
        // Not a terminal: no progress bar. The warnings and the table are
        // on stderr, the closing line on stdout, printed in that order.
        let printed: Vec<&str> = output.stderr.lines().chain(output.stdout.lines()).collect();
        assert_eq!(
            printed,
            quoted,
            "`synapse {}` no longer prints what README.md quotes",
            args.join(" ")
        );
    }
}
