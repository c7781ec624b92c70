//! Table markup shared by the page's tables: a header whose columns sort
//! (a button per heading, `aria-sort` set by the script) and cells that
//! carry the value they sort by.

use super::html::escape;
use crate::results::metrics_csv;

#[derive(Debug, Clone)]
pub struct Column {
    /// Text, escaped when written.
    pub heading: String,
    /// Heard by screen readers but not shown (the column of checkboxes
    /// explains itself by its labels).
    pub heading_hidden: bool,
    /// `data-key`, by which the script and the tests find the column.
    pub key: String,
    pub numeric: bool,
    pub sortable: bool,
    /// A longer explanation, shown on hover.
    pub title: Option<String>,
    /// Extra class, e.g. for the column of checkboxes.
    pub class: Option<&'static str>,
}

impl Column {
    pub fn text(key: &str, heading: &str) -> Column {
        Column {
            heading: heading.to_string(),
            heading_hidden: false,
            key: key.to_string(),
            numeric: false,
            sortable: true,
            title: None,
            class: None,
        }
    }

    pub fn number(key: &str, heading: &str) -> Column {
        Column {
            numeric: true,
            ..Column::text(key, heading)
        }
    }

    pub fn titled(mut self, title: &str) -> Column {
        self.title = Some(title.to_string());
        self
    }
}

/// `<thead>` with one `<th scope="col">` per column.
pub fn head(columns: &[Column]) -> String {
    let mut out = String::from("<thead><tr>");
    for column in columns {
        let mut classes = Vec::new();
        if column.numeric {
            classes.push("num");
        }
        classes.extend(column.class);
        let class = if classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", classes.join(" "))
        };
        let title = column
            .title
            .as_ref()
            .map_or(String::new(), |t| format!(" title=\"{}\"", escape(t)));
        let text = escape(&column.heading);
        let heading = if column.heading_hidden {
            format!("<span class=\"visually-hidden\">{text}</span>")
        } else if column.sortable {
            format!("<button type=\"button\">{text}</button>")
        } else {
            text
        };
        out.push_str(&format!(
            "<th scope=\"col\" data-key=\"{}\"{class}{title}>{heading}</th>",
            escape(&column.key)
        ));
    }
    out.push_str("</tr></thead>\n");
    out
}

/// A cell of already-escaped `html`, sorted by `sort` where given (the text
/// otherwise).
pub fn cell(html: &str, sort: Option<&str>, numeric: bool) -> String {
    let sort = sort.map_or(String::new(), |s| format!(" data-sort=\"{}\"", escape(s)));
    let class = if numeric { " class=\"num\"" } else { "" };
    format!("<td{class}{sort}>{html}</td>")
}

/// A number cell: shown short, sorted exactly; an absent or non-finite
/// value shows a dash and sorts last.
pub fn number_cell(value: Option<f64>, shown: impl Fn(f64) -> String) -> String {
    match value {
        Some(x) if x.is_finite() => cell(
            &escape(&shown(x)),
            Some(&metrics_csv::format_number(x)),
            true,
        ),
        Some(x) => cell(&escape(&shown(x)), Some(""), true),
        None => cell("<span class=\"none\">—</span>", Some(""), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sortable_headings_are_buttons_in_scoped_header_cells() {
        let html = head(&[
            Column::text("run", "Run"),
            Column::number("loss", "Loss <final>").titled("the \"last\" epoch"),
        ]);
        assert_eq!(
            html,
            "<thead><tr><th scope=\"col\" data-key=\"run\"><button type=\"button\">Run</button></th>\
             <th scope=\"col\" data-key=\"loss\" class=\"num\" title=\"the &quot;last&quot; epoch\">\
             <button type=\"button\">Loss &lt;final&gt;</button></th></tr></thead>\n"
        );
    }

    #[test]
    fn a_hidden_heading_is_still_there_for_screen_readers() {
        let column = Column {
            sortable: false,
            heading_hidden: true,
            ..Column::text("pick", "Compare <runs>")
        };
        assert_eq!(
            head(&[column]),
            "<thead><tr><th scope=\"col\" data-key=\"pick\">\
             <span class=\"visually-hidden\">Compare &lt;runs&gt;</span></th></tr></thead>\n"
        );
    }

    #[test]
    fn number_cells_sort_by_the_exact_value_and_missing_ones_last() {
        assert_eq!(
            number_cell(Some(0.123456), |x| format!("{x:.2}")),
            "<td class=\"num\" data-sort=\"0.123456\">0.12</td>"
        );
        assert_eq!(
            number_cell(None, |x| x.to_string()),
            "<td class=\"num\" data-sort=\"\"><span class=\"none\">—</span></td>"
        );
        assert_eq!(
            number_cell(Some(f64::NAN), |_| "NaN".to_string()),
            "<td class=\"num\" data-sort=\"\">NaN</td>"
        );
    }
}
