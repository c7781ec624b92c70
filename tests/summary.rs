//! The last test target `cargo test` runs before the doc-tests, so its lines
//! are among the last of the output: which tests that need software from
//! outside the project were skipped, and why.
//!
//! Where Chromium, a Slurm cluster, GNU parallel or onnxruntime is missing,
//! build.rs leaves its cfg unset and the tests that need it are ignored.
//! libtest prints each reason beside its test, hundreds of lines up, and
//! closes its target with a bare "N ignored": a local green run could hide
//! that they never ran. CI sets `CI`, so there they all run, and fail
//! without what they need.

/// One outside dependency: the tests that need it (read at build time, so
/// that the count follows the files), what marks their ignore attribute,
/// whether build.rs found it, and how to get it.
struct Needs {
    what: &'static str,
    files: &'static [(&'static str, &'static str)],
    mark: &'static str,
    found: bool,
    how: &'static str,
}

const NEEDS: [Needs; 4] = [
    Needs {
        what: "Chromium",
        files: &[(
            "tests/integration/report.rs",
            include_str!("integration/report.rs"),
        )],
        mark: "ignore = \"needs Chromium",
        found: cfg!(chromium),
        how: "apt-get install chromium",
    },
    Needs {
        what: "a Slurm cluster",
        files: &[(
            "tests/integration/engines.rs",
            include_str!("integration/engines.rs"),
        )],
        mark: "ignore = \"needs a Slurm cluster",
        found: cfg!(slurm),
        how: "sudo tests/engines/slurm-up.sh",
    },
    Needs {
        what: "GNU parallel",
        files: &[(
            "tests/integration/engines.rs",
            include_str!("integration/engines.rs"),
        )],
        mark: "ignore = \"needs GNU parallel",
        found: cfg!(gnu_parallel),
        how: "apt-get install parallel",
    },
    Needs {
        what: "onnxruntime",
        files: &[(
            "tests/integration/export.rs",
            include_str!("integration/export.rs"),
        )],
        mark: "ignore = \"needs a Python with onnxruntime",
        found: cfg!(onnxruntime),
        how: "a Python with onnxruntime and numpy in SYNAPSE_ONNX_PYTHON",
    },
];

fn main() {
    for needs in &NEEDS {
        let count: usize = needs
            .files
            .iter()
            .map(|(_, text)| text.matches(needs.mark).count())
            .sum();
        let files: Vec<&str> = needs.files.iter().map(|(name, _)| *name).collect();
        if needs.found {
            println!(
                "tests that need {}: all {count} ran (found at build time)",
                needs.what
            );
        } else {
            println!(
                "SKIPPED: {count} tests of {} did not run: {} is not available ({}; \
                 .ci/run sets it up, and CI fails them without it)",
                files.join(", "),
                needs.what,
                needs.how
            );
        }
    }
}
