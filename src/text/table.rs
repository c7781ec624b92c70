//! Aligned text tables for the terminal: columns padded to their widest
//! cell, counted in characters (`Δ`, `±`, `—` and `é` are one each).

/// Where a column's cells sit in its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Names and labels.
    Left,
    /// Numbers, so that their last digits line up.
    Right,
}

/// A header and rows of cells, rendered as lines of padded columns.
///
/// Cells may quote result files and user input (experiment names, config
/// values), so control characters are escaped here, the one place the
/// tables are put together.
#[derive(Debug, Clone)]
pub struct Table {
    header: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
    indent: String,
}

/// Between two columns.
const GAP: &str = "  ";

impl Table {
    /// A table with these headings, every column left-aligned.
    pub fn new<S: AsRef<str>>(header: &[S]) -> Table {
        Table {
            header: header.iter().map(|h| h.as_ref().to_string()).collect(),
            align: vec![Align::Left; header.len()],
            rows: Vec::new(),
            indent: String::new(),
        }
    }

    /// Aligns column `column` (from 0); a column past the header is ignored.
    pub fn align(mut self, column: usize, align: Align) -> Table {
        if let Some(a) = self.align.get_mut(column) {
            *a = align;
        }
        self
    }

    /// The first `left` columns left-aligned, the rest right-aligned: a
    /// table of names, then numbers.
    pub fn left_then_right(mut self, left: usize) -> Table {
        for (i, a) in self.align.iter_mut().enumerate() {
            *a = if i < left { Align::Left } else { Align::Right };
        }
        self
    }

    /// Text put before every line (`"  "` to set the table under a title).
    pub fn indent(mut self, indent: &str) -> Table {
        self.indent = indent.to_string();
        self
    }

    /// Adds a row; missing cells are empty, extra cells are dropped.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut cells: Vec<String> = cells
            .into_iter()
            .map(|c| super::printable(&c.into()))
            .collect();
        cells.resize(self.header.len(), String::new());
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The header and the rows, a line each, every line ending in `\n`;
    /// trailing spaces are trimmed.
    pub fn render(&self) -> String {
        let header: Vec<String> = self.header.iter().map(|h| super::printable(h)).collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|i| {
                std::iter::once(&header)
                    .chain(&self.rows)
                    .map(|row| row[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in std::iter::once(&header).chain(&self.rows) {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .zip(&self.align)
                .map(|((cell, &w), align)| match align {
                    Align::Left => format!("{cell:<w$}"),
                    Align::Right => format!("{cell:>w$}"),
                })
                .collect();
            out.push_str(&self.indent);
            out.push_str(cells.join(GAP).trim_end());
            out.push('\n');
        }
        out
    }
}
