//! The committed golden runs: heart for 5 epochs, and sine (tanh, Adam, a
//! cosine schedule: every libm function on the way) for 5 epochs, must
//! write the very bytes under tests/golden/, on every machine and build.
//! They change only with a version bump (tests/golden/README.md says how to
//! write them again).

use std::fs;
use std::path::Path;

use crate::common::Sandbox;

/// (the experiment, its --set overrides, the folder of its golden files,
/// the files of the run compared byte for byte).
const GOLDEN: &[(&str, &[&str], &str, &[&str])] = &[
    (
        "experiments/heart.toml",
        &["training.epochs=5"],
        "heart-5-epochs",
        &["metrics.csv", "model.json"],
    ),
    (
        "experiments/sine.toml",
        &[
            "training.epochs=5",
            "training.schedule={ kind = \"cosine\", min_rate = 0.001 }",
        ],
        "sine-5-epochs-cosine",
        &["metrics.csv", "model.json", "predictions.csv"],
    ),
];

#[test]
fn golden_runs_write_the_committed_bytes() {
    for &(experiment, overrides, folder, files) in GOLDEN {
        let sandbox = Sandbox::new();
        let mut args = vec!["run", experiment, "--quiet"];
        for set in overrides {
            args.extend(["--set", set]);
        }
        sandbox.run(&args).expect_code(0);
        let name = Path::new(experiment)
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("experiment name");
        let run = sandbox.run_dir(name);
        let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(folder);
        for file in files {
            let expected =
                fs::read(golden.join(file)).unwrap_or_else(|e| panic!("{folder}/{file}: {e}"));
            let written = fs::read(run.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(
                written == expected,
                "{experiment} with {overrides:?} wrote a {file} that is not \
                 tests/golden/{folder}/{file}: either a change of results \
                 (then bump the version and write the golden files again, \
                 tests/golden/README.md) or a regression"
            );
        }
    }
}
