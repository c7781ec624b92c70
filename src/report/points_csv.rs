//! A sweep's points.csv read back: a row per point, its swept values, and
//! each metric's mean and standard deviation over the point's seeds.

use std::path::Path;

use crate::results::read_error::ReadError;

#[derive(Debug, Clone, PartialEq)]
pub struct PointsTable {
    /// The swept keys (without the seed), from the `param_<key>` columns.
    pub keys: Vec<String>,
    /// Metric names, from the `<metric>_mean` columns that have a `_std` beside them.
    pub metrics: Vec<String>,
    pub rows: Vec<PointRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    pub point: String,
    /// One cell per key, as written.
    pub values: Vec<String>,
    pub runs: String,
    pub succeeded: String,
    /// (mean, std) per metric; None for an empty cell.
    pub stats: Vec<(Option<f64>, Option<f64>)>,
}

pub fn read(path: &Path) -> Result<PointsTable, ReadError> {
    let bytes = crate::regular_file::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            ReadError::Missing {
                path: path.to_path_buf(),
                expected: "a sweep directory's points.csv",
            }
        } else {
            ReadError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    parse(path, &bytes)
}

fn parse(path: &Path, bytes: &[u8]) -> Result<PointsTable, ReadError> {
    let invalid = |line: Option<u64>, message: String| ReadError::Invalid {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| invalid(Some(1), format!("not valid CSV: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let find = |name: &str| {
        header.iter().position(|c| c == name).ok_or_else(|| {
            invalid(
                Some(1),
                format!("no `{name}` column; a sweep's points.csv has point, param_<key>, runs, succeeded and <metric>_mean, <metric>_std"),
            )
        })
    };
    let (point, runs, succeeded) = (find("point")?, find("runs")?, find("succeeded")?);
    let params: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c.strip_prefix("param_")?.to_string())))
        .collect();
    let metrics: Vec<(String, usize, usize)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let name = c.strip_suffix("_mean")?;
            let std = header.iter().position(|h| *h == format!("{name}_std"))?;
            Some((name.to_string(), i, std))
        })
        .collect();

    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| invalid(None, format!("not valid CSV: {e}")))?;
        let line = record.position().map(|p| p.line());
        if record.len() != header.len() {
            return Err(invalid(
                line,
                format!(
                    "{} fields, but the header has {} columns",
                    record.len(),
                    header.len()
                ),
            ));
        }
        let cell = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
        let number = |i: usize, column: &str| -> Result<Option<f64>, ReadError> {
            let text = cell(i);
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<f64>().map(Some).map_err(|_| {
                invalid(
                    line,
                    format!(
                        "column `{column}`: `{}` is not a number",
                        crate::data::cell::shown(&text)
                    ),
                )
            })
        };
        let mut stats = Vec::with_capacity(metrics.len());
        for (name, mean, std) in &metrics {
            stats.push((
                number(*mean, &format!("{name}_mean"))?,
                number(*std, &format!("{name}_std"))?,
            ));
        }
        rows.push(PointRow {
            point: cell(point),
            values: params.iter().map(|(i, _)| cell(*i)).collect(),
            runs: cell(runs),
            succeeded: cell(succeeded),
            stats,
        });
    }
    Ok(PointsTable {
        keys: params.into_iter().map(|(_, key)| key).collect(),
        metrics: metrics.into_iter().map(|(name, _, _)| name).collect(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_csv_gives_keys_metrics_and_rows_in_column_order() {
        let text = "point,param_training.learning_rate,runs,succeeded,final_validation_loss_mean,final_validation_loss_std,best_epoch_mean,best_epoch_std\n\
                    1,0.1,3,3,0.085,0.0128,12.0,2.5\n\
                    2,1.0,3,0,,,,\n";
        let table = parse(Path::new("points.csv"), text.as_bytes()).expect("parses");
        assert_eq!(table.keys, ["training.learning_rate"]);
        assert_eq!(table.metrics, ["final_validation_loss", "best_epoch"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].values, ["0.1"]);
        assert_eq!(table.rows[0].stats[0], (Some(0.085), Some(0.0128)));
        assert_eq!(table.rows[1].succeeded, "0");
        assert_eq!(table.rows[1].stats[1], (None, None));
    }

    #[test]
    fn a_points_csv_with_a_bad_number_is_an_error_naming_the_line_and_column() {
        let text = "point,runs,succeeded,x_mean,x_std\n1,3,3,oops,0.1\n";
        let error = parse(Path::new("points.csv"), text.as_bytes()).expect_err("bad number");
        assert_eq!(
            error.to_string(),
            "points.csv, line 2: column `x_mean`: `oops` is not a number"
        );
    }

    #[test]
    fn a_points_csv_without_its_columns_is_an_error() {
        let error = parse(Path::new("points.csv"), b"a,b\n1,2\n").expect_err("no point column");
        assert!(error.to_string().contains("no `point` column"), "{error}");
    }
}
