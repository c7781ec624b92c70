//! An experiment file from arbitrary bytes: parsed, overridden, resolved.
//!
//! The input is the file. Its lines starting with `#set ` (TOML comments, so
//! the file stays valid) are also given as `--set` arguments, with `\n`
//! standing for a newline. A config that loads must survive the round trip the
//! results directory promises: its resolved `config.toml` loads again to the
//! same config.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use synapse::config;

/// The experiment file's folder: data paths resolve against it (nothing is
/// read from it; invalid UTF-8 is the one case written to disk).
fn folder() -> &'static Path {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let folder =
            std::env::temp_dir().join(format!("synapse-fuzz-config-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("a temporary folder");
        folder
    })
}

fuzz_target!(|bytes: &[u8]| {
    let file = folder().join("experiment.toml");
    let Ok(text) = std::str::from_utf8(bytes) else {
        // `load` reads the bytes and locates the first invalid one.
        std::fs::write(&file, bytes).expect("write the experiment file");
        let error = config::load(&file, &[]).expect_err("invalid UTF-8 is refused");
        assert!(error.message.contains("not UTF-8"), "{error}");
        return;
    };
    let assignments: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("#set "))
        .map(|assignment| assignment.replace("\\n", "\n"))
        .collect();
    let Ok(loaded) = config::load_text(&file, text, &assignments) else {
        return;
    };
    let resolved = config::to_toml(&loaded.config);
    match config::load_text(&file, &resolved, &[]) {
        Ok(again) => assert_eq!(
            again.config, loaded.config,
            "the resolved config loads to another config:\n{resolved}"
        ),
        Err(error) => panic!("the resolved config does not load: {error}\n{resolved}"),
    }
});
