//! What one CSV cell holds: a number, TRUE/FALSE, a text category, or nothing.

use crate::text::printable;

/// A cell's meaning; its text is trimmed of surrounding whitespace first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// An empty (or all-whitespace) cell: a missing value.
    Empty,
    Number(f64),
    /// `TRUE` / `FALSE` in any case.
    Boolean(bool),
    Text(&'a str),
}

/// A cell's text as an error message shows it: control characters escaped
/// (a NUL or a line break would be invisible or break the line), and a long
/// cell cut to its first 60 characters, so that a 2 MB cell does not make a
/// 2 MB message.
pub fn shown(text: &str) -> String {
    const LIMIT: usize = 60;
    let count = text.chars().count();
    if count <= LIMIT {
        printable(text)
    } else {
        let head: String = text.chars().take(LIMIT).collect();
        format!("{}… ({count} characters)", printable(&head))
    }
}

/// The kinds a column can have; every non-empty cell of a column has the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Boolean,
    Text,
}

impl Cell<'_> {
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Cell::Empty => None,
            Cell::Number(_) => Some(Kind::Number),
            Cell::Boolean(_) => Some(Kind::Boolean),
            Cell::Text(_) => Some(Kind::Text),
        }
    }
}

/// Reads one cell. Non-finite numbers (`NaN`, `inf`, `1e400`) are errors
/// rather than text: they are almost always a broken export, and a category
/// named `NaN` would hide it.
pub fn parse(text: &str) -> Result<Cell<'_>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Cell::Empty);
    }
    if text.eq_ignore_ascii_case("true") {
        return Ok(Cell::Boolean(true));
    }
    if text.eq_ignore_ascii_case("false") {
        return Ok(Cell::Boolean(false));
    }
    match text.parse::<f64>() {
        Ok(number) if number.is_finite() => Ok(Cell::Number(number)),
        Ok(number) if number.is_nan() => Err(format!(
            "`{}` is not a number; leave the cell empty for a missing value",
            shown(text)
        )),
        Ok(_) if text.to_ascii_lowercase().contains("inf") => Err(format!(
            "`{}` is infinite; only finite numbers are allowed",
            shown(text)
        )),
        Ok(_) => Err(format!(
            "`{}` is too large for a number (the limit is about ±1.8e308)",
            shown(text)
        )),
        Err(_) => Ok(Cell::Text(text)),
    }
}

/// Text that people use to mean "no value", worth a hint in an error.
pub fn looks_like_missing_marker(text: &str) -> bool {
    ["na", "n/a", "null", "none", "?", "-", "--", "missing"]
        .iter()
        .any(|marker| text.eq_ignore_ascii_case(marker))
}

/// How a kind is named in messages, as "earlier rows of this column are …".
pub fn plural(kind: Kind) -> &'static str {
    match kind {
        Kind::Number => "numbers",
        Kind::Boolean => "TRUE/FALSE",
        Kind::Text => "text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cells_are_cut_and_control_characters_escaped_in_messages() {
        assert_eq!(shown("abc"), "abc");
        assert_eq!(shown("a\0b\nc"), "a\\0b\\nc");
        let long = "x".repeat(2_000_000);
        let message = shown(&long);
        assert!(message.len() < 100, "{}", message.len());
        assert!(message.ends_with("… (2000000 characters)"), "{message}");
        // Cut at a character, never inside one.
        assert!(shown(&"é".repeat(100)).starts_with(&"é".repeat(60)));
    }

    #[test]
    fn numbers_booleans_text_and_empty_cells_are_told_apart() {
        assert_eq!(parse("5.1"), Ok(Cell::Number(5.1)));
        assert_eq!(parse(" -2e3 "), Ok(Cell::Number(-2000.0)));
        assert_eq!(parse("TRUE"), Ok(Cell::Boolean(true)));
        assert_eq!(parse("fAlSe"), Ok(Cell::Boolean(false)));
        assert_eq!(parse("setosa"), Ok(Cell::Text("setosa")));
        assert_eq!(parse(""), Ok(Cell::Empty));
        assert_eq!(parse("   "), Ok(Cell::Empty));
    }

    #[test]
    fn non_finite_numbers_are_rejected() {
        for text in ["NaN", "nan", "inf", "-Infinity", "1e400", "-1e999"] {
            assert!(parse(text).is_err(), "{text} should be rejected");
        }
        assert!(parse("1e400").is_err_and(|m| m.contains("too large")));
        assert!(parse("NaN").is_err_and(|m| m.contains("empty")));
    }
}
