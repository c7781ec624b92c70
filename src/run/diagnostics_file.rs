//! A run's diagnostics (`training.diagnostics`) on disk: diagnostics.csv
//! and its figure written at the end, and on a resume the rows of the
//! epochs already trained read back, so that the resumed run's file is the
//! one a run never interrupted would have written.

use std::path::Path;

use crate::error::Error;
use crate::regular_file;
use crate::results::diagnostics_csv::{self, FILE};
use crate::results::diagnostics_figure::diagnostics_figure;
use crate::results::figure_files::FigureFiles;
use crate::results::history::History;
use crate::train::diagnostics::LayerDiagnostics;

/// Writes diagnostics.csv.
pub(super) fn write_csv(dir: &Path, rows: &[LayerDiagnostics]) -> Result<(), Error> {
    let path = dir.join(FILE);
    super::train_and_write::write(&path, diagnostics_csv::render(rows).as_bytes())
}

/// Writes diagnostics.svg and diagnostics.png.
pub(super) fn write_figure(
    dir: &Path,
    title: &str,
    history: &History,
    rows: &[LayerDiagnostics],
) -> Result<(), Error> {
    let figure = diagnostics_figure(title, history, rows);
    FigureFiles::render_stacked(
        &figure,
        &dir.join("diagnostics.svg"),
        &dir.join("diagnostics.png"),
    )?
    .write()?;
    Ok(())
}

/// The rows of epochs 0 to `epoch` of the interrupted run in `dir`, as its
/// last checkpoint wrote them (rows past it, from a later end of the run,
/// are dropped). Refused when they are missing or not every epoch is there.
pub(super) fn resumed(dir: &Path, epoch: usize) -> Result<Vec<LayerDiagnostics>, Error> {
    let path = dir.join(FILE);
    let refused = |message: String| Error::Results {
        path: path.clone(),
        message: format!("{message}; the run cannot resume with diagnostics (run it with --force)"),
    };
    let text = regular_file::read_to_string(&path).map_err(|e| refused(e.to_string()))?;
    let mut rows = diagnostics_csv::parse(&text).map_err(refused)?;
    rows.retain(|r| r.epoch <= epoch);
    let mut epochs: Vec<usize> = rows.iter().map(|r| r.epoch).collect();
    epochs.dedup();
    if !epochs.iter().copied().eq(0..=epoch) {
        return Err(refused(format!(
            "it does not hold every epoch from 0 to {epoch}, where the checkpoint stands"
        )));
    }
    Ok(rows)
}
