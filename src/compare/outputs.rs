//! Where the comparison's plot and table go: the default directory under
//! the results, or the files a user's `--out` names, checked by the shared
//! output guard before anything is read or written.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::plot::Figure;
use crate::results::atomic;
use crate::results::figure_files::FigureFiles;
use crate::results::output_guard::Output;

/// Where the plot and the table go.
pub(super) struct Outputs {
    /// Created when missing; cleared of stray temporary files when it is
    /// synapse's own.
    pub dir: PathBuf,
    pub own_dir: bool,
    pub png: PathBuf,
    pub svg: PathBuf,
    pub csv: PathBuf,
}

impl Outputs {
    pub(super) fn new(out: Option<&Path>, results: &Path, id: &str) -> Outputs {
        let in_dir = |dir: PathBuf, own_dir: bool| Outputs {
            png: dir.join("cost.png"),
            svg: dir.join("cost.svg"),
            csv: dir.join("table.csv"),
            dir,
            own_dir,
        };
        let Some(out) = out else {
            return in_dir(results.join(format!("compare-{id}")), true);
        };
        let trailing_separator = out
            .as_os_str()
            .to_string_lossy()
            .ends_with(std::path::is_separator);
        if out.is_dir() || trailing_separator {
            return in_dir(out.to_path_buf(), false);
        }
        let is_plot = out
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("png") || e.eq_ignore_ascii_case("svg"));
        let stem = if is_plot {
            out.with_extension("")
        } else {
            out.to_path_buf()
        };
        // Appended rather than `with_extension`, which would eat a dot in
        // a name such as `lr-0.1`.
        let with = |extension: &str| {
            let mut name = stem.clone().into_os_string();
            name.push(extension);
            PathBuf::from(name)
        };
        Outputs {
            dir: stem.parent().map(Path::to_path_buf).unwrap_or_default(),
            own_dir: false,
            png: with(".png"),
            svg: with(".svg"),
            csv: with(".csv"),
        }
    }

    /// The three files of a user's `--out` through the shared guard: none
    /// may land on a result, a device, a directory being compared or the
    /// data a compared run trained on (`--out data/iris.png` derives
    /// data/iris.csv).
    pub(super) fn guard(
        &self,
        named: &Path,
        dirs: &[PathBuf],
        data: &[PathBuf],
    ) -> Result<(), Error> {
        let mut reads: Vec<(&Path, &str)> = dirs
            .iter()
            .map(|d| (d.as_path(), "a directory being compared"))
            .collect();
        reads.extend(
            data.iter()
                .map(|d| (d.as_path(), "the data of a run being compared")),
        );
        Output {
            option: "--out",
            named,
            files: vec![self.png.clone(), self.svg.clone(), self.csv.clone()],
            reads,
            creates_folders: true,
        }
        .check()
        .map_err(Error::from)
    }

    pub(super) fn write(&self, figure: &Figure, csv: &[u8]) -> Result<(), Error> {
        // Drawn before any folder is made: a figure that cannot be drawn
        // leaves nothing behind.
        let figure = FigureFiles::render(figure, &self.svg, &self.png)?;
        if self.own_dir && fs::symlink_metadata(&self.dir).is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(Error::Results {
                path: self.dir.clone(),
                message: "is a symbolic link; synapse does not write results through links"
                    .to_string(),
            });
        }
        if !self.dir.as_os_str().is_empty() {
            fs::create_dir_all(&self.dir).map_err(Error::io(&self.dir))?;
        }
        if self.own_dir {
            atomic::remove_strays(&self.dir);
        }
        figure.write()?;
        atomic::write(&self.csv, csv).map_err(Error::io(&self.csv))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_with_a_plot_extension_names_all_three_files_by_its_stem() {
        let outputs = Outputs::new(
            Some(Path::new("plots/lr-0.1.png")),
            Path::new("results"),
            "x",
        );
        assert_eq!(outputs.png, Path::new("plots/lr-0.1.png"));
        assert_eq!(outputs.svg, Path::new("plots/lr-0.1.svg"));
        assert_eq!(outputs.csv, Path::new("plots/lr-0.1.csv"));
        let outputs = Outputs::new(Some(Path::new("lr-0.1")), Path::new("results"), "x");
        assert_eq!(outputs.svg, Path::new("lr-0.1.svg"));
        let outputs = Outputs::new(None, Path::new("results"), "abc");
        assert_eq!(outputs.png, Path::new("results/compare-abc/cost.png"));
        assert_eq!(outputs.csv, Path::new("results/compare-abc/table.csv"));
    }
}
