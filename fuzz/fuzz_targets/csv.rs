//! A CSV file from arbitrary bytes, read into a data set by `data::prepare`.
//!
//! The first two bytes choose the experiment reading it; the rest is the file.
//! Byte 0: bits 0-2 pick the target (header column 0 to 5, the last one, or
//! one that is absent), bit 3 `missing = "drop"`, bits 4-5 the task (inferred, binary,
//! multiclass, regression), bits 6-7 `normalize`. Byte 1: bits 0-1 the
//! features (all, the first other column, an absent one, the target), bits
//! 2-3 the split, bits 4-5 the loss, bits 6-7 the seed.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use synapse::{config, data};

fn folder() -> &'static Path {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let folder = std::env::temp_dir().join(format!("synapse-fuzz-csv-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("a temporary folder");
        folder
    })
}

/// The header's names, roughly as the reader sees them (enough to pick a
/// real column most of the time).
fn header(csv: &[u8]) -> Vec<String> {
    let csv = csv.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv);
    let line = csv.split(|&b| b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(line)
        .split(',')
        .map(|name| name.trim().trim_matches('"').trim().to_string())
        .collect()
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fuzz_target!(|bytes: &[u8]| {
    let [choice, more, csv @ ..] = bytes else {
        return;
    };
    let columns = header(csv);
    let target = match choice & 0b111 {
        7 => "no_such_column".to_string(),
        6 => columns.last().cloned().unwrap_or_default(),
        pick => columns.get(usize::from(pick)).cloned().unwrap_or_default(),
    };
    let missing = if choice & 0b1000 != 0 {
        "drop"
    } else {
        "error"
    };
    let task = match (choice >> 4) & 0b11 {
        0 => String::new(),
        1 => "task = \"binary\"\n".to_string(),
        2 => "task = \"multiclass\"\n".to_string(),
        _ => "task = \"regression\"\n".to_string(),
    };
    let normalize = ["standard", "none", "minmax", "standard"][usize::from(choice >> 6)];
    let features = match more & 0b11 {
        0 => String::new(),
        1 => match columns.iter().find(|c| **c != target) {
            Some(other) => format!("features = [{}]\n", quoted(other)),
            None => String::new(),
        },
        2 => "features = [\"no_such_column\"]\n".to_string(),
        _ => format!("features = [{}]\n", quoted(&target)),
    };
    let split = [
        "{ validation = 0.2, test = 0.1 }",
        "{ validation = 0.0, test = 0.0 }",
        "{ validation = 0.5, test = 0.0 }",
        "{ validation = 0.3, test = 0.3 }",
    ][usize::from((more >> 2) & 0b11)];
    let loss =
        ["mse", "binary_cross_entropy", "cross_entropy", "mse"][usize::from((more >> 4) & 0b11)];
    let (units, activation) = if loss == "cross_entropy" {
        (3, "softmax")
    } else {
        (1, "sigmoid")
    };
    let experiment = format!(
        "[experiment]\nname = \"fuzz\"\nseed = {seed}\n\n\
         [data]\npath = \"data.csv\"\ntarget = {target}\nmissing = \"{missing}\"\n{task}{features}\
         normalize = \"{normalize}\"\nsplit = {split}\n\n\
         [model]\nlayers = [{{ units = {units}, activation = \"{activation}\" }}]\n\n\
         [training]\nepochs = 1\nlearning_rate = 0.1\nloss = \"{loss}\"\n",
        seed = more >> 6,
        target = quoted(&target),
    );
    let folder = folder();
    std::fs::write(folder.join("data.csv"), csv).expect("write the CSV file");
    let Ok(loaded) = config::load_text(&folder.join("experiment.toml"), &experiment, &[]) else {
        return;
    };
    let Ok(prepared) = data::prepare(&loaded.config) else {
        return;
    };
    // What a run checks next, with the data known.
    let _ = config::check_against_data(
        &loaded.config,
        &loaded.source,
        prepared.task,
        prepared.classes.len(),
        prepared.inputs.len(),
    );
    for examples in [
        Some(&prepared.train),
        prepared.validation.as_ref(),
        prepared.test.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        assert_eq!(examples.inputs.nrows(), prepared.inputs.len());
        assert_eq!(examples.inputs.ncols(), examples.rows.len());
        assert_eq!(examples.targets.ncols(), examples.rows.len());
        assert!(
            examples.inputs.iter().all(|x| x.is_finite()),
            "a non-finite input"
        );
        assert!(
            examples.targets.iter().all(|x| x.is_finite()),
            "a non-finite target"
        );
    }
});
