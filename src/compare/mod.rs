//! Comparing runs and sweeps side by side, read from their files alone, so
//! results copied from another machine compare the same.
//!
//! Each run directory is one entry; each point of a sweep directory (its runs
//! that differ only in the seed) is one entry whose numbers are means over
//! the seeds. The first entry is the reference that differences are
//! measured against. It is a module of its own, beside `sweep`, because it
//! is a pipeline of its own: read the entries (`entries`) and keep the runs
//! `--where` asks for (`select`), reduce them to
//! numbers (`statistics`, by the mean and standard deviation the sweep uses
//! too), judge each against the reference by a t-test over their seeds
//! (`verdict`), and show them as text and CSV (`table`) and as a plot
//! (`figure`), written where `outputs` says; every one of these names an
//! entry by the one label `labels` gives it.

mod entries;
mod figure;
mod labels;
mod outputs;
mod select;
mod statistics;
mod table;
mod verdict;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::results::read::RunFiles;
use crate::results::run_id;
use entries::Entry;
use outputs::Outputs;
use statistics::Row;

/// Compares the run and sweep directories `dirs`, writes the plot and
/// table.csv (to `out`, or to a directory of their own under `results`),
/// and gives the text for the terminal, with the verdict on `metric` (a
/// `--metric` name), of the runs every `--where` in `filters` holds for.
pub fn compare(
    dirs: &[PathBuf],
    out: Option<&Path>,
    results: &Path,
    metric: &str,
    filters: &[String],
) -> Result<String, Error> {
    // Refused before anything is read: where --out would write does not
    // depend on what is compared.
    if let Some(out) = out {
        Outputs::new(Some(out), results, "").guard(out, dirs, &[])?;
    }
    let mut entries = Vec::new();
    let mut identity = String::new();
    for dir in dirs {
        let input = entries::read_input(dir)?;
        identity.push_str(&input.identity);
        identity.push('\n');
        entries.extend(input.entries);
    }
    let entries = select::select(entries::counted_once(entries), filters)?;
    // Another selection of the same directories is another comparison.
    if !filters.is_empty() {
        let ids: Vec<&str> = entries
            .iter()
            .flat_map(|e| &e.runs)
            .map(|r| r.summary.run_id.as_str())
            .collect();
        identity.push_str(&format!("where {}\n", ids.join(" ")));
    }
    // Which data the runs trained on is known only once they are read.
    if let Some(out) = out {
        let data: Vec<PathBuf> = entries
            .iter()
            .flat_map(|e| e.runs.iter().filter_map(RunFiles::data_file))
            .collect();
        Outputs::new(Some(out), results, "").guard(out, dirs, &data)?;
    }

    let configs: Vec<BTreeMap<String, String>> = entries.iter().map(Entry::config).collect();
    let diff = entries::config_diff(&configs);
    let labels = labels::labels(&entries);
    let mut rows: Vec<Row> = entries.iter().map(Row::of).collect();
    // Another task or loss is on another scale: no difference to show.
    if let Some(reference) = entries.first() {
        for (entry, row) in entries.iter().zip(&mut rows).skip(1) {
            row.comparable = verdict::incomparable(entry, reference).is_none();
        }
    }
    let verdicts = verdict::verdicts(&entries, metric)?;

    let figure = figure::figure(&entries, &labels);
    let csv = table::table_csv(&entries, &labels, &rows, &verdicts.outcomes);
    let outputs = Outputs::new(out, results, &run_id::sha256_hex(identity.as_bytes())[..12]);
    outputs.write(&figure, &csv)?;

    let color = amber(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR"),
    );
    let mut text = table::metrics_table(&labels, &rows, color);
    text.push('\n');
    text.push_str(&table::diff_table(&diff, entries.len()));
    text.push('\n');
    let verdict = verdict::text(&verdicts, &entries, &labels);
    if !verdict.is_empty() {
        text.push_str(&verdict);
        text.push('\n');
    }
    for path in [&outputs.png, &outputs.svg, &outputs.csv] {
        text.push_str(&format!("wrote {}\n", path.display()));
    }
    Ok(text)
}

/// Findings are painted amber only for a person at a terminal, and never
/// when NO_COLOR is set to anything but the empty string (no-color.org):
/// a pipe, a file or a script gets the codes plainly.
fn amber(stdout_is_terminal: bool, no_color: Option<OsString>) -> bool {
    stdout_is_terminal && no_color.is_none_or(|value| value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_amber_only_at_a_terminal_without_no_color() {
        assert!(amber(true, None));
        assert!(amber(true, Some(OsString::new())));
        assert!(!amber(true, Some(OsString::from("1"))));
        assert!(!amber(false, None));
    }
}
