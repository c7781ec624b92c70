//! A classification report as a few aligned lines for the terminal: the
//! confusion matrix with class names, then per class precision, recall and
//! F1, and the AUC of a binary task. `run` prints it before its closing
//! line and `predict` after its metrics line.

use super::Report;
use crate::text::{Table, number};

/// Beyond this many classes a matrix no longer fits a terminal's width; the
/// numbers are in summary.json and confusion.png instead.
pub const MAX_PRINTED_CLASSES: usize = 10;

/// The report on `what` (`the validation split`, a file's name), every
/// line ending in `\n`; empty beyond `MAX_PRINTED_CLASSES`.
pub fn render(report: &Report, what: &str) -> String {
    if report.classes.len() > MAX_PRINTED_CLASSES {
        return String::new();
    }
    // One table: the matrix, then each true class's scores on its row.
    let mut out = format!("on {what} (rows: true class; columns: predicted class, then scores):\n");
    let mut header = vec!["true".to_string()];
    header.extend(report.classes.iter().cloned());
    header.extend(["precision", "recall", "F1", "support"].map(String::from));
    let mut table = Table::new(&header).left_then_right(1).indent("  ");
    for ((class, row), s) in report
        .classes
        .iter()
        .zip(report.confusion.counts())
        .zip(&report.per_class)
    {
        let mut cells = vec![class.clone()];
        cells.extend(row.iter().map(u64::to_string));
        cells.extend([
            number(s.precision),
            number(s.recall),
            number(s.f1),
            s.support.to_string(),
        ]);
        table.row(cells);
    }
    out.push_str(&table.render());
    if let Some(roc) = &report.roc {
        out.push_str(&format!("  ROC AUC {}\n", number(roc.auc)));
    }
    out
}
