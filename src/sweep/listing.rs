//! `synapse sweep --list`: each run of the sweep as the `synapse run`
//! command that runs it alone, quoted for a POSIX shell, for a scheduler
//! (Slurm, GNU parallel) to run instead of the sweep.

use std::path::Path;

use super::spec::{RunSpec, Sweep};

/// `synapse run <experiment> --set …` for one run, quoted for a POSIX shell.
pub fn command_line(sweep: &Sweep, run: &RunSpec, results: &Path) -> String {
    let mut words = vec![
        "synapse".to_string(),
        "run".to_string(),
        quote(&sweep.experiment.to_string_lossy()),
    ];
    if results != Path::new("results") {
        words.push("--results".to_string());
        words.push(quote(&results.to_string_lossy()));
    }
    for assignment in run.assignments() {
        words.push("--set".to_string());
        words.push(quote(&assignment));
    }
    words.join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=+:,@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
