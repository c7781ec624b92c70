//! The rows given to predict, as written, followed by `prediction` and, for
//! classification, `probability_<class>`, formatted as predictions.csv
//! formats them, so the test split's rows read back the same numbers.

use nalgebra::DMatrix;

use crate::config::Task;
use crate::data::predict_checks::added_columns;
use crate::data::predict_input::{Encoding, NewRows};
use crate::train::metrics::argmax;

/// The input rows as written, then `prediction` and, for classification,
/// `probability_<class>`, formatted as predictions.csv formats them.
pub fn render(rows: &NewRows, encoding: &Encoding, outputs: &DMatrix<f64>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = csv::ByteRecord::new();
    for name in &rows.header {
        header.push_field(name.as_bytes());
    }
    for name in added_columns(encoding) {
        header.push_field(name.as_bytes());
    }
    let mut lines = vec![header];
    for (record, output) in rows.records.iter().zip(outputs.column_iter()) {
        let mut line = record.clone();
        let class = |index: usize| encoding.classes.get(index).map_or("", String::as_str);
        match encoding.task {
            Task::Binary => {
                let p = output[0];
                line.push_field(class(usize::from(p >= 0.5)).as_bytes());
                line.push_field(format!("{:?}", 1.0 - p).as_bytes());
                line.push_field(format!("{p:?}").as_bytes());
            }
            Task::Multiclass => {
                line.push_field(class(argmax(output.as_slice())).as_bytes());
                for p in output.iter() {
                    line.push_field(format!("{p:?}").as_bytes());
                }
            }
            Task::Regression => {
                let (shift, scale) = encoding.target_normalization.unwrap_or((0.0, 1.0));
                line.push_field(format!("{:?}", output[0] * scale + shift).as_bytes());
            }
        }
        lines.push(line);
    }
    for line in &lines {
        // Every line has the header's length, and memory does not fail.
        writer
            .write_byte_record(line)
            .expect("an in-memory CSV of equal-length records");
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;

    use super::*;
    use crate::data::predict_input::NewRows;
    use crate::predict::encoding;
    use crate::results::model_file;

    #[test]
    fn binary_predictions_are_formatted_as_in_predictions_csv() {
        let model = model_file::example();
        let encoding = encoding(&model);
        let mut record = csv::ByteRecord::new();
        record.push_field(b"1");
        record.push_field(b" 2");
        let rows = NewRows {
            header: vec!["x".into(), "y".into()],
            records: vec![record],
            examples: crate::data::Examples {
                inputs: DMatrix::zeros(2, 1),
                targets: DMatrix::zeros(1, 1),
                rows: vec![1],
                raw_targets: vec![String::new()],
                raw_inputs: None,
            },
            has_target: false,
        };
        let csv = render(&rows, &encoding, &DMatrix::from_column_slice(1, 1, &[0.75]));
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "x,y,prediction,probability_no,probability_yes\n1, 2,yes,0.25,0.75\n"
        );
    }
}
