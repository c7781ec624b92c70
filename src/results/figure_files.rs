//! A figure's two files (an SVG and a PNG), the one way every command writes
//! them: both drawn before either is written, so that a figure that cannot
//! be drawn leaves no file behind, then written through `atomic` like every
//! other result file (so an interruption clears their temporaries too).

use std::path::{Path, PathBuf};

use super::write_error::WriteError;
use crate::plot::{self, Figure, PlotError, Rendered, Stacked};

/// One half of a plot renderer: a figure drawn as SVG text or PNG bytes.
pub type Renderer<F, C> = fn(&F) -> Result<Rendered<C>, PlotError>;

/// A figure drawn in both formats, waiting to be written.
pub struct FigureFiles {
    svg: (PathBuf, String),
    png: (PathBuf, Vec<u8>),
}

impl FigureFiles {
    /// Draws `figure` for the files at `svg` and `png`; an error names the
    /// file whose drawing failed.
    pub fn render(figure: &Figure, svg: &Path, png: &Path) -> Result<Self, WriteError> {
        Self::render_with(figure, (plot::render_svg, plot::render_png), svg, png)
    }

    /// Draws `figure` with one of the plot module's renderers, its SVG half
    /// and its PNG half, for the files at `svg` and `png`, as `render` does.
    pub fn render_with<F: ?Sized>(
        figure: &F,
        (draw_svg, draw_png): (Renderer<F, String>, Renderer<F, Vec<u8>>),
        svg: &Path,
        png: &Path,
    ) -> Result<Self, WriteError> {
        let svg_text = draw_svg(figure).map_err(WriteError::plot(svg))?.content;
        let png_bytes = draw_png(figure).map_err(WriteError::plot(png))?.content;
        Ok(FigureFiles {
            svg: (svg.to_path_buf(), svg_text),
            png: (png.to_path_buf(), png_bytes),
        })
    }

    /// Draws `stacked` for the files at `svg` and `png`, as `render` does.
    pub fn render_stacked(stacked: &Stacked, svg: &Path, png: &Path) -> Result<Self, WriteError> {
        Self::render_with(
            stacked,
            (plot::render_stacked_svg, plot::render_stacked_png),
            svg,
            png,
        )
    }

    /// Draws `figure` and writes it as `cost.svg` and `cost.png` in `dir`.
    pub fn write_cost(figure: &Figure, dir: &Path) -> Result<(), WriteError> {
        Self::render(figure, &dir.join("cost.svg"), &dir.join("cost.png"))?.write()
    }

    /// Draws a function figure and writes it as `<stem>.svg` and
    /// `<stem>.png` in `dir`.
    pub fn write_function(
        figure: &plot::FunctionFigure,
        dir: &Path,
        stem: &str,
    ) -> Result<(), WriteError> {
        let (svg, png) = (
            dir.join(format!("{stem}.svg")),
            dir.join(format!("{stem}.png")),
        );
        Self::render_with(
            figure,
            (plot::render_function_svg, plot::render_function_png),
            &svg,
            &png,
        )?
        .write()
    }

    pub fn write(self) -> Result<(), WriteError> {
        let (svg, text) = self.svg;
        super::atomic::write(&svg, text.as_bytes()).map_err(WriteError::io(&svg))?;
        let (png, bytes) = self.png;
        super::atomic::write(&png, &bytes).map_err(WriteError::io(&png))
    }
}
