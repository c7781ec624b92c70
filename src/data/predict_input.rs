//! New rows for a trained model: a CSV file read cell by cell exactly as
//! training read its data (the same CSV rules, the same `cell::parse`),
//! encoded with the categories and normalized with the statistics that the
//! model stored, never with statistics of the new rows.
//!
//! Unlike training, nothing is inferred or dropped: a column the model needs
//! must be there, every used cell must be filled, and a category must be one
//! the training split had, or the error names the row and the column.

use nalgebra::DMatrix;

use crate::config::Task;

use super::cell::{self, Cell};
use super::csv::{self as csv_file, CsvFile};
use super::error::{DataError, quoted_list};
use super::normalization::{self, TooLarge};
use super::table::{boolean_text, number_text};
use super::{CategoricalFeature, Examples};

/// What a model needs to turn CSV rows into its inputs: model.json without
/// the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoding {
    /// The network's inputs in order: a column name, or `column=category`.
    pub inputs: Vec<String>,
    pub categories: Vec<CategoricalFeature>,
    /// Per input: input = (raw − shift) / scale.
    pub shift: Vec<f64>,
    pub scale: Vec<f64>,
    pub target: String,
    pub task: Task,
    /// Class labels in output order; empty for regression.
    pub classes: Vec<String>,
    /// Regression: the target's (shift, scale).
    pub target_normalization: Option<(f64, f64)>,
}

/// One feature column and the inputs it becomes.
#[derive(Debug, Clone, PartialEq)]
enum Feature {
    /// A number or TRUE/FALSE column: one input.
    Number(String),
    /// A text column: one input per training category.
    OneHot(CategoricalFeature),
}

impl Feature {
    fn column(&self) -> &str {
        match self {
            Feature::Number(column) => column,
            Feature::OneHot(feature) => &feature.column,
        }
    }
}

impl Encoding {
    /// The feature columns behind the inputs, in input order. A run names a
    /// one-hot group's inputs `column=category` consecutively, in the order
    /// of its `categories`, so a group is recognised by that exact run of
    /// names rather than by splitting at `=` (a number column's own name may
    /// hold one).
    fn features(&self) -> Result<Vec<Feature>, String> {
        let mut features = Vec::new();
        let mut groups = self.categories.iter().peekable();
        let mut i = 0;
        while i < self.inputs.len() {
            let group = groups.peek().filter(|group| {
                !group.categories.is_empty()
                    && group.categories.iter().enumerate().all(|(k, category)| {
                        self.inputs.get(i + k) == Some(&format!("{}={category}", group.column))
                    })
            });
            if let Some(&group) = group {
                i += group.categories.len();
                features.push(Feature::OneHot(group.clone()));
                groups.next();
            } else {
                features.push(Feature::Number(self.inputs[i].clone()));
                i += 1;
            }
        }
        if let Some(unused) = groups.next() {
            return Err(format!(
                "`categories` lists column `{}`, but `inputs` has no run of `{}=<category>` inputs for it",
                unused.column, unused.column
            ));
        }
        Ok(features)
    }
}

/// New rows, read and encoded.
#[derive(Debug, Clone)]
pub struct NewRows {
    /// The file's header, as named there.
    pub header: Vec<String>,
    /// Every field of every row, as written (unquoted, not trimmed).
    pub records: Vec<csv::ByteRecord>,
    /// Inputs normalized as in training; targets where the file has the
    /// target column (zeros otherwise).
    pub examples: Examples,
    /// Whether the file has the target column.
    pub has_target: bool,
}

/// Reads the CSV file at `path` for a model with `encoding`.
pub fn read(path: &std::path::Path, encoding: &Encoding) -> Result<NewRows, DataError> {
    read_file(CsvFile::open(path)?, encoding)
}

pub(super) fn read_file(file: CsvFile, encoding: &Encoding) -> Result<NewRows, DataError> {
    let features = encoding
        .features()
        .map_err(|message| DataError::new(file.origin.as_str(), message))?;
    let mut records = file.records()?;
    let origin = records.origin().to_string();
    let header = records.header().to_vec();

    let missing: Vec<String> = features
        .iter()
        .map(|f| f.column().to_string())
        .filter(|column| !header.contains(column))
        .collect();
    if let Some(first) = missing.first() {
        let suggestion = crate::text::closest(first, &header)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        let needed: Vec<String> = features.iter().map(|f| f.column().to_string()).collect();
        let what = if missing.len() == 1 {
            "there is no column"
        } else {
            "there are no columns"
        };
        return Err(DataError::new(
            origin,
            format!(
                "{what} {}{suggestion}, which the model needs; it was trained on the columns {}, and the file has {}",
                quoted_list(&missing),
                quoted_list(&needed),
                quoted_list(&header)
            ),
        ));
    }
    let feature_index: Vec<usize> = features
        .iter()
        .filter_map(|f| header.iter().position(|h| h == f.column()))
        .collect();
    let target_index = header.iter().position(|h| *h == encoding.target);

    let outputs = match encoding.task {
        Task::Multiclass => encoding.classes.len(),
        Task::Binary | Task::Regression => 1,
    };
    let mut inputs: Vec<f64> = Vec::new();
    let mut targets: Vec<f64> = Vec::new();
    let mut kept = Vec::new();
    let mut rows = Vec::new();
    let mut positions = Vec::new();
    let mut raw_targets = Vec::new();
    let mut record = csv::ByteRecord::new();
    while let Some(position) = records.next_row(&mut record)? {
        let at = |column: &str, message: String| {
            DataError::new(origin.as_str(), message)
                .at(position)
                .in_column(column)
        };
        for (feature, &index) in features.iter().zip(&feature_index) {
            let column = feature.column();
            let text = csv_file::field(&origin, &record, index, column, position)?;
            let parsed = cell::parse(text).map_err(|message| at(column, message))?;
            match (feature, parsed) {
                (_, Cell::Empty) => {
                    return Err(at(
                        column,
                        "the cell is empty; the model needs a value in every row".to_string(),
                    ));
                }
                (Feature::Number(_), Cell::Number(x)) => inputs.push(x),
                (Feature::Number(_), Cell::Boolean(b)) => inputs.push(if b { 1.0 } else { 0.0 }),
                (Feature::Number(_), Cell::Text(t)) => {
                    return Err(at(
                        column,
                        format!(
                            "`{}` is not a number, but the model was trained on numbers (or TRUE/FALSE) in this column",
                            cell::shown(t)
                        ),
                    ));
                }
                (Feature::OneHot(group), cell) => {
                    let position = match cell {
                        Cell::Text(t) => group.categories.iter().position(|c| c == t),
                        _ => None,
                    };
                    let Some(position) = position else {
                        return Err(at(
                            column,
                            format!(
                                "`{}` is a category the model never saw in training; it knows {}",
                                cell::shown(text.trim()),
                                quoted_list(&group.categories)
                            ),
                        ));
                    };
                    inputs.extend((0..group.categories.len()).map(|k| f64::from(k == position)));
                }
            }
        }
        match target_index {
            Some(index) => {
                let text = csv_file::field(&origin, &record, index, &encoding.target, position)?;
                let value = target_value(text, encoding)
                    .map_err(|message| at(&encoding.target, message))?;
                targets.extend(value);
                raw_targets.push(text.trim().to_string());
            }
            None => {
                targets.extend(std::iter::repeat_n(0.0, outputs));
                raw_targets.push(String::new());
            }
        }
        kept.push(record.clone());
        rows.push(position.row);
        positions.push(position);
    }
    if records.rows_read() == 0 {
        return Err(DataError::new(
            origin,
            "the file has a header but no data rows",
        ));
    }

    let n = rows.len();
    let mut inputs = DMatrix::from_vec(encoding.inputs.len(), n, inputs);
    let mut targets = DMatrix::from_vec(outputs, n, targets);
    // The same operation as training's, so the inputs are the same bits.
    // The error names the first row whose value (row `index` of the
    // normalized `matrix`) came out as no finite number.
    let too_large = |column: &str, matrix: &DMatrix<f64>, index: usize| {
        let error = DataError::new(
            origin.as_str(),
            "the value is too large to normalize with the model's statistics",
        )
        .in_column(column);
        match (0..matrix.ncols()).find(|&j| !matrix[(index, j)].is_finite()) {
            Some(example) => error.at(positions[example]),
            None => error,
        }
    };
    normalization::apply(&mut inputs, &encoding.shift, &encoding.scale).map_err(
        |TooLarge(input)| {
            let column = encoding.inputs.get(input).map_or("", String::as_str);
            too_large(column, &inputs, input)
        },
    )?;
    if let (Some((shift, scale)), Some(_)) = (encoding.target_normalization, target_index) {
        normalization::apply(&mut targets, &[shift], &[scale])
            .map_err(|_| too_large(&encoding.target, &targets, 0))?;
    }
    Ok(NewRows {
        header,
        records: kept,
        examples: Examples {
            inputs,
            targets,
            rows,
            raw_targets,
            raw_inputs: None,
        },
        has_target: target_index.is_some(),
    })
}

/// A target cell as the network's target column: 0/1 for binary, one-hot
/// for multiclass, the raw number for regression. Class labels are matched
/// in the canonical text training gave them (`1.0` is class `1`, `True` is
/// class `true`).
fn target_value(text: &str, encoding: &Encoding) -> Result<Vec<f64>, String> {
    let parsed = cell::parse(text)?;
    let label = match parsed {
        Cell::Empty => {
            return Err(format!(
                "the cell is empty; to predict rows whose `{}` is unknown, leave the column out",
                encoding.target
            ));
        }
        Cell::Number(x) if encoding.task == Task::Regression => return Ok(vec![x]),
        _ if encoding.task == Task::Regression => {
            return Err(format!(
                "`{}` is not a number, but the model predicts numbers",
                cell::shown(text.trim())
            ));
        }
        Cell::Number(x) => number_text(x),
        Cell::Boolean(b) => boolean_text(b).to_string(),
        Cell::Text(t) => t.to_string(),
    };
    let Some(class) = encoding.classes.iter().position(|c| *c == label) else {
        return Err(format!(
            "`{}` is not one of the classes the model was trained on: {}",
            cell::shown(text.trim()),
            quoted_list(&encoding.classes)
        ));
    };
    Ok(match encoding.task {
        Task::Multiclass => (0..encoding.classes.len())
            .map(|k| f64::from(k == class))
            .collect(),
        _ => vec![f64::from(class == 1)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoding() -> Encoding {
        Encoding {
            inputs: vec![
                "x".into(),
                "colour=blue".into(),
                "colour=red".into(),
                "flag".into(),
            ],
            categories: vec![CategoricalFeature {
                column: "colour".into(),
                categories: vec!["blue".into(), "red".into()],
            }],
            shift: vec![1.0, 0.5, 0.5, 0.0],
            scale: vec![2.0, 0.5, 0.5, 1.0],
            target: "y".into(),
            task: Task::Multiclass,
            classes: vec!["a".into(), "b".into(), "c".into()],
            target_normalization: None,
        }
    }

    fn read_text(text: &str) -> Result<NewRows, DataError> {
        read_file(CsvFile::from_bytes("new.csv", text.as_bytes()), &encoding())
    }

    fn error_of(text: &str) -> String {
        match read_text(text) {
            Ok(rows) => panic!("expected an error, read {rows:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn a_value_too_large_to_normalize_is_named_by_row_line_and_column() {
        let mut tiny_scale = encoding();
        tiny_scale.scale[0] = 1e-300;
        let text = "x,colour,flag\n1,red,true\n\n2,red,true\n1e300,blue,false\n";
        let error = read_file(CsvFile::from_bytes("new.csv", text.as_bytes()), &tiny_scale)
            .expect_err("overflows")
            .to_string();
        assert_eq!(
            error,
            "new.csv: row 3 (line 5), column `x`: the value is too large to normalize \
             with the model's statistics"
        );
    }

    #[test]
    fn columns_are_found_by_name_in_any_order_and_encoded_with_the_models_statistics() {
        let rows = read_text("flag,extra,colour,x\nTRUE,?,red,3\nfalse,, blue ,1.5\n").unwrap();
        assert_eq!(rows.header, ["flag", "extra", "colour", "x"]);
        assert!(!rows.has_target);
        assert_eq!(rows.examples.rows, [1, 2]);
        assert_eq!(
            rows.examples.inputs.column(0).as_slice(),
            [1.0, -1.0, 1.0, 1.0]
        );
        assert_eq!(
            rows.examples.inputs.column(1).as_slice(),
            [0.25, 1.0, -1.0, 0.0]
        );
        // Fields stay as written, spaces and all.
        assert_eq!(&rows.records[1][2], b" blue ");
    }

    #[test]
    fn the_target_column_when_present_gives_one_hot_targets() {
        let rows = read_text("x,colour,flag,y\n1,red,true,c\n2,blue,false,a\n").unwrap();
        assert!(rows.has_target);
        assert_eq!(rows.examples.targets.column(0).as_slice(), [0.0, 0.0, 1.0]);
        assert_eq!(rows.examples.targets.column(1).as_slice(), [1.0, 0.0, 0.0]);
        assert_eq!(rows.examples.raw_targets, ["c", "a"]);
        let message = error_of("x,colour,flag,y\n1,red,true,d\n");
        assert!(
            message
                .starts_with("new.csv: row 1 (line 2), column `y`: `d` is not one of the classes"),
            "{message}"
        );
    }

    #[test]
    fn a_missing_column_is_named_with_the_closest_one() {
        let message = error_of("x,colur,flag\n1,red,true\n");
        assert!(
            message.starts_with(
                "new.csv: there is no column `colour` (did you mean `colur`?), which the model needs"
            ),
            "{message}"
        );
    }

    #[test]
    fn an_unseen_category_names_row_column_and_the_known_categories() {
        let message = error_of("x,colour,flag\n1,red,true\n2,green,false\n");
        assert_eq!(
            message,
            "new.csv: row 2 (line 3), column `colour`: `green` is a category the model never saw in training; it knows `blue`, `red`"
        );
    }

    #[test]
    fn empty_cells_and_text_in_number_columns_are_errors() {
        let message = error_of("x,colour,flag\n,red,true\n");
        assert!(
            message.starts_with("new.csv: row 1 (line 2), column `x`: the cell is empty"),
            "{message}"
        );
        let message = error_of("x,colour,flag\n1,red,maybe\n");
        assert!(
            message.starts_with("new.csv: row 1 (line 2), column `flag`: `maybe` is not a number"),
            "{message}"
        );
        assert!(error_of("x,colour,flag\n").contains("no data rows"));
    }

    #[test]
    fn a_number_column_whose_name_holds_an_equals_sign_is_not_a_category() {
        let mut encoding = encoding();
        encoding.inputs.insert(0, "a=b".into());
        encoding.shift.insert(0, 0.0);
        encoding.scale.insert(0, 1.0);
        let file = CsvFile::from_bytes("n.csv", b"a=b,x,colour,flag\n7,1,red,true\n");
        let rows = read_file(file, &encoding).unwrap();
        assert_eq!(rows.examples.inputs[(0, 0)], 7.0);
    }
}
