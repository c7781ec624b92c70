//! predictions.csv: the test split's predictions, one row per example.

use nalgebra::DMatrix;

use crate::config::Task;
use crate::data::{Examples, PreparedData};
use crate::train::metrics::argmax;

/// Columns: `row` (the data row), the feature columns by their names in
/// the data with their cells as they were there (not encoded or
/// normalized: a person reads the example, not the network's inputs),
/// `target` (as written), `prediction` (a class label or a value in the
/// target's units), then for classification the probability of each class,
/// `probability_<class>`. Data preparation refuses a feature named like one
/// of these columns.
pub fn render(data: &PreparedData, examples: &Examples, outputs: &DMatrix<f64>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let raw = examples.raw_inputs.as_ref();
    let mut header = vec!["row".to_string()];
    header.extend(raw.into_iter().flat_map(|r| r.names().map(str::to_string)));
    header.extend(["target".to_string(), "prediction".to_string()]);
    if data.task != Task::Regression {
        header.extend(data.classes.iter().map(|c| format!("probability_{c}")));
    }
    let mut rows = vec![header];
    for (column, output) in outputs.column_iter().enumerate() {
        let mut row = vec![
            examples
                .rows
                .get(column)
                .map_or(String::new(), |r| r.to_string()),
        ];
        row.extend(raw.into_iter().flat_map(|r| r.row(column)));
        row.push(
            examples
                .raw_targets
                .get(column)
                .cloned()
                .unwrap_or_default(),
        );
        match data.task {
            Task::Binary => {
                let p = output[0];
                let class = usize::from(p >= 0.5);
                row.push(data.classes.get(class).cloned().unwrap_or_default());
                row.push(format!("{:?}", 1.0 - p));
                row.push(format!("{p:?}"));
            }
            Task::Multiclass => {
                let class = argmax(output.as_slice());
                row.push(data.classes.get(class).cloned().unwrap_or_default());
                row.extend(output.iter().map(|p| format!("{p:?}")));
            }
            Task::Regression => {
                let (shift, scale) = data.normalization.target.unwrap_or((0.0, 1.0));
                row.push(format!("{:?}", output[0] * scale + shift));
            }
        }
        rows.push(row);
    }
    for row in rows {
        // Writing to memory cannot fail.
        writer.write_record(&row).expect("in-memory CSV");
    }
    String::from_utf8(writer.into_inner().expect("in-memory CSV"))
        .expect("CSV of UTF-8 fields is UTF-8")
}
