//! Data errors that say where: the file (or generator), the row and line, the column.

use std::fmt;

use crate::text::printable;

/// Where a data row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowPosition {
    /// 1-based data row: the first row after the header is row 1.
    pub row: usize,
    /// 1-based line of the file where the row starts; `None` for generated rows.
    /// Differs from `row + 1` after blank lines or quoted fields spanning lines.
    pub line: Option<usize>,
}

/// A problem with the data, naming the file, the row and the column.
///
/// Displays as `data/iris.csv: row 7 (line 8), column `petal_width_cm`: `abc`
/// is not a number`, leaving out the parts that do not apply.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct DataError {
    /// The CSV file's path, or `generator `heart`` for built-in data.
    pub origin: String,
    pub position: Option<RowPosition>,
    pub column: Option<String>,
    /// What is wrong and, where it helps, what to do about it.
    pub message: String,
    /// The experiment file's key that the problem is really about (a task
    /// that contradicts the data, a data file that cannot be read), so the
    /// error can point into the experiment file as well.
    pub config_key: Option<&'static str>,
}

impl DataError {
    pub fn new(origin: impl Into<String>, message: impl Into<String>) -> Self {
        DataError {
            origin: origin.into(),
            position: None,
            column: None,
            message: message.into(),
            config_key: None,
        }
    }

    pub fn about(mut self, config_key: &'static str) -> Self {
        self.config_key = Some(config_key);
        self
    }

    pub fn at(mut self, position: RowPosition) -> Self {
        self.position = Some(position);
        self
    }

    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

/// Names and cells in a message may come from a file (a CSV header, a
/// model.json's classes), so every part is shown with its control
/// characters escaped: a name cannot clear the terminal or forge a line.
impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", printable(&self.origin))?;
        match self.position {
            Some(RowPosition {
                row,
                line: Some(line),
            }) => write!(f, "row {row} (line {line})")?,
            Some(RowPosition { row, line: None }) => write!(f, "row {row}")?,
            None => {}
        }
        match (&self.position, &self.column) {
            (Some(_), Some(column)) => write!(f, ", column `{}`: ", printable(column))?,
            (None, Some(column)) => write!(f, "column `{}`: ", printable(column))?,
            (Some(_), None) => write!(f, ": ")?,
            (None, None) => {}
        }
        f.write_str(&printable(&self.message))
    }
}

/// Names for a message, in backquotes, cut short when there are very many.
pub fn quoted_list(names: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut list: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    if names.len() > SHOWN {
        list.push(format!("… and {} more", names.len() - SHOWN));
    }
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_the_file_row_line_and_column() {
        let error = DataError::new("data/iris.csv", "`abc` is not a number")
            .at(RowPosition {
                row: 7,
                line: Some(8),
            })
            .in_column("petal_width_cm");
        assert_eq!(
            error.to_string(),
            "data/iris.csv: row 7 (line 8), column `petal_width_cm`: `abc` is not a number"
        );
    }

    #[test]
    fn message_leaves_out_the_parts_that_do_not_apply() {
        let plain = DataError::new("a.csv", "the file is empty");
        assert_eq!(plain.to_string(), "a.csv: the file is empty");
        let column = DataError::new("a.csv", "too large").in_column("x");
        assert_eq!(column.to_string(), "a.csv: column `x`: too large");
        let row = DataError::new("generator `xor`", "bad").at(RowPosition { row: 3, line: None });
        assert_eq!(row.to_string(), "generator `xor`: row 3: bad");
    }

    #[test]
    fn control_characters_from_files_are_escaped() {
        let error = DataError::new("a\u{1b}.csv", "class `\u{1b}[2J` unknown").in_column("c\n");
        assert_eq!(
            error.to_string(),
            "a\\u{1b}.csv: column `c\\n`: class `\\u{1b}[2J` unknown"
        );
    }
}
