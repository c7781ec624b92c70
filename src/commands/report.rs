//! `synapse report`: one self-contained HTML page of every run and sweep
//! under a results directory, read from their files alone.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::{Global, ReportArgs};
use crate::error::Error;
use crate::report::{collect, format_bytes, page};
use crate::results::atomic;
use crate::results::output_guard::Output;
use crate::results::read::RunFiles;
use crate::stdout;

pub fn report(args: &ReportArgs, global: &Global) -> Result<(), Error> {
    let results = args.results_dir.as_ref().unwrap_or(&global.results);
    // Refused before the results are read: the page must not land on one.
    if let Some(out) = &args.out {
        guard(out, &[])?;
    }
    let collection = collect::collect(results)?;
    // Nor on the data a reported run trained on, known once the runs are read.
    if let Some(out) = &args.out {
        let data: Vec<PathBuf> = collection
            .experiments
            .values()
            .flat_map(|e| e.runs.values().filter_map(RunFiles::data_file))
            .collect();
        guard(out, &data)?;
    }
    for skipped in &collection.skipped {
        // The reason starts with the path inside the results directory.
        eprintln!(
            "note: skipped {}{}{}",
            results.display(),
            std::path::MAIN_SEPARATOR,
            skipped.reason
        );
    }

    let html = page::render(&collection);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| results.join("report.html"));
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(Error::io(parent))?;
    }
    atomic::write(&out, html.as_bytes()).map_err(Error::io(&out))?;

    let line = format!(
        "wrote {} ({}; {}, {})\n",
        out.display(),
        format_bytes(html.len() as u64),
        count(collection.run_count(), "run"),
        count(collection.sweep_count(), "sweep")
    );
    stdout::write(line.as_bytes())
}

/// The page's `--out` through the shared guard: not on a result, a device,
/// nor any of `data`, the files the reported runs trained on.
fn guard(out: &Path, data: &[PathBuf]) -> Result<(), Error> {
    Output {
        option: "--out",
        named: out,
        files: vec![out.to_path_buf()],
        reads: data
            .iter()
            .map(|d| (d.as_path(), "the data of a reported run"))
            .collect(),
        creates_folders: true,
    }
    .check()
    .map_err(Error::from)
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
