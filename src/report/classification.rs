//! A classifier's numbers in its run's details: per split the confusion
//! matrix as a table with the class names, the per-class precision, recall
//! and F1, the ROC AUC, and the run's own roc.svg.
//!
//! All from summary.json's `classification`, which regression runs and
//! summaries older than 0.4.0 do not have: then nothing is shown.

use super::html::escape;
use crate::results::summary::{ClassReport, RunSummary};
use crate::text;

/// The splits' tables and the ROC curve; empty without a classification.
/// `roc_svg` is the run directory's roc.svg, when it has one.
pub fn classification(summary: &RunSummary, label: &str, roc_svg: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(classification) = &summary.classification {
        for (split, report) in [
            ("validation", &classification.validation),
            ("test", &classification.test),
        ] {
            if let Some(report) = report {
                out.push_str(&split_tables(report, split, label));
            }
        }
    }
    if let Some(svg) = roc_svg {
        // As an image, not inline markup: an image's SVG runs no script and
        // loads nothing, whatever a copied results directory holds, and a
        // data: URL keeps the page one file.
        out.push_str(&format!(
            "<figure class=\"roc\">\n<img src=\"{}\" alt=\"ROC curve of {}\">\n\
             <figcaption>The ROC curve (roc.svg of the run directory): the true positive rate against the false positive rate as the threshold falls.</figcaption>\n</figure>\n",
            svg_data_url(svg),
            escape(label)
        ));
    }
    if out.is_empty() {
        return out;
    }
    format!("<div class=\"classification\">\n{out}</div>\n")
}

fn split_tables(report: &ClassReport, split: &str, label: &str) -> String {
    let classes = &report.classes;
    let mut out = format!(
        "<div class=\"scroll\"><table class=\"confusion\">\n\
         <caption>Confusion matrix of {}, {split} split: rows are the true class, columns the predicted one</caption>\n\
         <thead><tr><th scope=\"col\">true \\ predicted</th>",
        escape(label)
    );
    for class in classes {
        out.push_str(&format!(
            "<th scope=\"col\" class=\"num\">{}</th>",
            escape(class)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (row, class) in classes.iter().enumerate() {
        out.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(class)));
        for column in 0..classes.len() {
            // The diagonal is what the classifier got right.
            let hit = if row == column { " hit" } else { "" };
            // Counts are whole numbers and shown whole, however large.
            match report.confusion.get(row).and_then(|r| r.get(column)) {
                Some(count) => out.push_str(&format!("<td class=\"num{hit}\">{count}</td>")),
                None => out.push_str("<td class=\"num\"><span class=\"none\">—</span></td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");

    out.push_str(&format!(
        "<div class=\"scroll\"><table class=\"per-class\">\n\
         <caption>Per class, {split} split</caption>\n\
         <thead><tr><th scope=\"col\">class</th><th scope=\"col\" class=\"num\">precision</th><th scope=\"col\" class=\"num\">recall</th><th scope=\"col\" class=\"num\">F1</th><th scope=\"col\" class=\"num\">support</th></tr></thead>\n<tbody>\n"
    ));
    for class in &report.per_class {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            escape(&class.class),
            text::number(class.precision),
            text::number(class.recall),
            text::number(class.f1),
            class.support
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    if let Some(auc) = report.roc_auc {
        out.push_str(&format!(
            "<p class=\"auc\">ROC AUC on the {split} split: <strong>{}</strong></p>\n",
            text::number(auc)
        ));
    }
    out
}

/// `data:image/svg+xml,…` with every byte but letters, digits and a few
/// marks percent-encoded, so that the URL is safe in a quoted attribute and
/// means the same to every browser.
pub(super) fn svg_data_url(svg: &str) -> String {
    let mut out = String::with_capacity(19 + svg.len() * 2);
    out.push_str("data:image/svg+xml,");
    for byte in svg.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'/' | b':' | b'=' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::results::summary::{EXAMPLE, parse};

    #[test]
    fn the_confusion_matrix_is_a_table_with_the_class_names_and_the_counts() {
        let summary = parse(Path::new("summary.json"), EXAMPLE).expect("example");
        let html = classification(&summary, "heart abc", None);
        assert!(
            html.contains("Confusion matrix of heart abc, test split"),
            "{html}"
        );
        assert!(!html.contains("validation split"), "{html}");
        assert!(html.contains(
            "<thead><tr><th scope=\"col\">true \\ predicted</th><th scope=\"col\" class=\"num\">no</th><th scope=\"col\" class=\"num\">yes</th></tr></thead>"
        ), "{html}");
        assert!(html.contains(
            "<tr><th scope=\"row\">no</th><td class=\"num hit\">6</td><td class=\"num\">1</td></tr>"
        ), "{html}");
        assert!(html.contains(
            "<tr><th scope=\"row\">yes</th><td class=\"num\">2</td><td class=\"num hit\">3</td></tr>"
        ), "{html}");
        assert!(html.contains(
            "<tr><th scope=\"row\">no</th><td class=\"num\">0.75</td><td class=\"num\">0.8571</td><td class=\"num\">0.8</td><td class=\"num\">7</td></tr>"
        ), "{html}");
        assert!(
            html.contains("ROC AUC on the test split: <strong>0.8</strong>"),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn a_run_without_classification_shows_only_its_roc_svg_as_an_inert_image() {
        let mut summary = parse(Path::new("summary.json"), EXAMPLE).expect("example");
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        let html = classification(&summary, "heart abc", Some(svg));
        let start = html.find("<img src=\"").expect("an image") + 10;
        let url = &html[start..start + html[start..].find('"').expect("the end")];
        assert!(
            url.starts_with(
                "data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%3E%3Cscript%3E"
            ),
            "{url}"
        );
        assert!(!url.contains(['<', '>', '"', '&', ' ']), "{url}");
        summary.classification = None;
        assert_eq!(classification(&summary, "heart abc", None), "");
        // The curve is the run's own file, shown whatever the summary says.
        let html = classification(&summary, "heart abc", Some(svg));
        assert!(html.contains("<img src=\"data:image/svg+xml,"), "{html}");
        assert!(!html.contains("<table"), "{html}");
    }
}
