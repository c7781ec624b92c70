//! A sweep's summary.csv: one row per run (its position, status, swept
//! values, metrics, run id, directory and error), written by `sweep` and
//! read back by compare and the report, both here so that the columns one
//! writes are the columns the other expects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::csv_file;
use super::metrics_csv::format_number;
use super::read_error::ReadError;
use crate::train::status::Status;

/// The file's name in a sweep directory.
pub const FILE: &str = "summary.csv";

/// Before each swept key, in a column's name.
const PARAM_PREFIX: &str = "param_";

/// One run as a row of summary.csv writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunLine {
    /// The run's position in the sweep, from 1.
    pub run: usize,
    pub status: Status,
    /// The text of each swept key's value, in the order of the keys.
    pub params: Vec<String>,
    /// None for a run without a directory (failed, pending).
    pub epochs_run: Option<usize>,
    pub metrics: BTreeMap<String, f64>,
    pub run_id: Option<String>,
    /// Relative to the sweep directory.
    pub run_dir: Option<PathBuf>,
    pub error: Option<String>,
}

/// Columns: `run` (its position), `status`, `param_<key>` for each swept
/// key, `epochs_run`, every metric of `metrics`, `run_id`, `run_dir` and
/// `error`. A run without a metric has an empty cell.
pub fn render(keys: &[String], metrics: &[String], runs: &[RunLine]) -> String {
    let mut header = vec!["run".to_string(), "status".to_string()];
    header.extend(keys.iter().map(|k| format!("{PARAM_PREFIX}{k}")));
    header.push("epochs_run".to_string());
    header.extend(metrics.iter().cloned());
    header.extend(["run_id", "run_dir", "error"].map(String::from));
    let mut rows = vec![header];
    for run in runs {
        let mut row = vec![run.run.to_string(), run.status.to_string()];
        row.extend(run.params.iter().cloned());
        row.push(run.epochs_run.map(|n| n.to_string()).unwrap_or_default());
        row.extend(metrics.iter().map(|m| {
            run.metrics
                .get(m)
                .map(|v| format_number(*v))
                .unwrap_or_default()
        }));
        row.push(run.run_id.clone().unwrap_or_default());
        row.push(
            run.run_dir
                .as_ref()
                .map(|d| d.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        row.push(run.error.clone().unwrap_or_default());
        rows.push(row);
    }
    csv_file::to_text(rows)
}

/// A row read back.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// The line of summary.csv, for messages.
    pub line: u64,
    /// The run's directory: summary.csv's `run_dir` joined to the sweep
    /// directory. None for a run that has none (pending, failed, invalid).
    pub run_dir: Option<PathBuf>,
    /// The run id the row names, which its directory must hold; None where
    /// the cell is empty.
    pub run_id: Option<String>,
    pub status: Status,
    /// `param_<dotted key>` columns as (dotted key, cell text), in column order.
    pub params: Vec<(String, String)>,
}

/// summary.csv read back: a row per run with its status, directory and
/// swept values; a row that could not come from synapse is an error naming
/// its line.
pub fn parse(path: &Path, dir: &Path, text: &str) -> Result<Vec<SweepRow>, ReadError> {
    let mut reader = csv_file::reader(text);
    let columns = csv_file::header(path, &mut reader)?;
    let find = |name: &str| {
        columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| ReadError::Invalid {
                path: path.to_path_buf(),
                line: Some(1),
                message: format!(
                    "no `{name}` column; a sweep's summary.csv has the columns run_dir, status \
                     and param_<key> for each swept key"
                ),
            })
    };
    let run_dir = find("run_dir")?;
    let status = find("status")?;
    // 0.2.0 wrote it; a summary.csv without the column only goes unchecked.
    let run_id = columns.iter().position(|c| c == "run_id");
    let params: Vec<(usize, String)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c.strip_prefix(PARAM_PREFIX)?.to_string())))
        .collect();

    let mut rows: Vec<SweepRow> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_file::error(path, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let invalid = |message: String| ReadError::Invalid {
            path: path.to_path_buf(),
            line: Some(line),
            message,
        };
        if record.len() != columns.len() {
            return Err(invalid(csv_file::fields_message(
                record.len(),
                columns.len(),
            )));
        }
        let cell = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
        let status = Status::parse(&cell(status)).map_err(&invalid)?;
        let relative = cell(run_dir);
        // Only a run that trained has a directory: a pending, failed or
        // invalid one is a row of the sweep all the same, read as such.
        if relative.is_empty() && status.is_training_end() {
            return Err(invalid(format!(
                "empty `run_dir` for a {status} run; expected the run's directory, relative to \
                 the sweep directory"
            )));
        }
        let row = SweepRow {
            line,
            run_dir: (!relative.is_empty()).then(|| dir.join(&relative)),
            run_id: run_id.map(cell).filter(|id| !id.is_empty()),
            status,
            params: params
                .iter()
                .map(|(i, key)| (key.clone(), cell(*i)))
                .collect(),
        };
        // Two rows for one run would count it twice in its point's mean.
        if row.status.succeeded()
            && let Some(earlier) = rows.iter().find(|earlier| same_run(earlier, &row))
        {
            return Err(invalid(format!(
                "names the run of line {} again (`run_dir` {}, `run_id` {}); each run of a sweep \
                 has one row",
                earlier.line,
                crate::text::printable(&relative),
                row.run_id.as_deref().unwrap_or("empty"),
            )));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Whether two successful rows of one summary.csv stand for the same run.
fn same_run(a: &SweepRow, b: &SweepRow) -> bool {
    if !a.status.succeeded() {
        return false;
    }
    let same_dir = match (&a.run_dir, &b.run_dir) {
        (Some(a), Some(b)) => super::lexical(a) == super::lexical(b),
        _ => false,
    };
    let same_id = a.run_id.is_some() && a.run_id == b.run_id;
    same_dir || same_id
}

impl SweepRow {
    /// Checks that `run`, read from this row's `run_dir`, is the run the row
    /// names: a summary.csv edited, or copied beside other runs, would
    /// otherwise put one run's numbers under another's values.
    ///
    /// `run_id` is the one in `run_dir`'s summary.json.
    pub fn check_holds(
        &self,
        summary_csv: &Path,
        run_dir: &Path,
        run_id: &str,
    ) -> Result<(), ReadError> {
        match &self.run_id {
            Some(id) if id != run_id => Err(ReadError::Invalid {
                path: summary_csv.to_path_buf(),
                line: Some(self.line),
                message: format!(
                    "the row is run `{id}`, but its `run_dir` {} holds run `{run_id}`",
                    run_dir.display(),
                ),
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_render_writes_parse_reads_back_row_for_row() {
        let line = |run: usize, status: Status, dir: Option<&str>| RunLine {
            run,
            status,
            params: vec![format!("0.{run}"), "\"a,b\"".to_string()],
            epochs_run: dir.map(|_| 3),
            metrics: dir
                .map(|_| BTreeMap::from([("final_train_loss".to_string(), 0.25)]))
                .unwrap_or_default(),
            run_id: dir.map(|d| d.trim_start_matches("../").to_string()),
            run_dir: dir.map(PathBuf::from),
            error: dir
                .is_none()
                .then(|| "not run yet, \"pending\"".to_string()),
        };
        let keys = [
            "training.learning_rate".to_string(),
            "data.path".to_string(),
        ];
        let metrics = ["final_train_loss".to_string()];
        let text = render(
            &keys,
            &metrics,
            &[
                line(1, Status::EarlyStopped, Some("../aaa")),
                line(2, Status::Pending, None),
            ],
        );
        assert_eq!(
            text.lines().next(),
            Some(
                "run,status,param_training.learning_rate,param_data.path,epochs_run,\
                 final_train_loss,run_id,run_dir,error"
            )
        );
        let rows = parse(Path::new("summary.csv"), Path::new("s"), &text).expect("reads");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].status, Status::EarlyStopped);
        assert_eq!(rows[0].run_dir, Some(PathBuf::from("s/../aaa")));
        assert_eq!(rows[0].run_id.as_deref(), Some("aaa"));
        assert_eq!(
            rows[0].params,
            [
                ("training.learning_rate".to_string(), "0.1".to_string()),
                ("data.path".to_string(), "\"a,b\"".to_string()),
            ]
        );
        assert_eq!(
            (rows[1].status, rows[1].run_dir.as_ref()),
            (Status::Pending, None)
        );
        assert_eq!(rows[1].line, 3);
    }
    #[test]
    fn a_sweep_summary_without_run_dir_is_an_error_naming_the_column() {
        let error = parse(Path::new("summary.csv"), Path::new("."), "status\nok\n")
            .expect_err("no run_dir");
        assert!(
            error
                .to_string()
                .starts_with("summary.csv, line 1: no `run_dir` column"),
            "{error}"
        );
    }

    #[test]
    fn sweep_rows_without_a_run_are_read_and_rows_that_need_one_are_checked() {
        let header = "run,status,param_training.learning_rate,run_id,run_dir,error\n";
        let read = |rows: &str| {
            parse(
                Path::new("summary.csv"),
                Path::new("s"),
                &format!("{header}{rows}"),
            )
        };
        let rows = read(
            "1,completed,0.1,aaa,../aaa,\n2,pending,0.2,,,not run yet\n3,invalid,-1,,,bad\n\
             4,failed,0.3,,,io\n5,diverged,9,bbb,../bbb,\n",
        )
        .expect("reads");
        let statuses: Vec<Status> = rows.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Completed,
                Status::Pending,
                Status::Invalid,
                Status::Failed,
                Status::Diverged
            ]
        );
        assert_eq!(rows[1].run_dir, None);
        assert_eq!(rows[0].run_id.as_deref(), Some("aaa"));
        for (bad, fragment) in [
            ("1,done,0.1,aaa,../aaa,\n", "line 2: unknown status `done`"),
            (
                "1,completed,0.1,aaa,,\n",
                "line 2: empty `run_dir` for a completed run",
            ),
            (
                "1,completed,0.1,aaa,../aaa,\n2,completed,0.2,bbb,./../aaa,\n",
                "line 3: names the run of line 2 again",
            ),
            (
                "1,completed,0.1,aaa,../aaa,\n2,early_stopped,0.2,aaa,../bbb,\n",
                "line 3: names the run of line 2 again",
            ),
        ] {
            let error = read(bad).expect_err(bad).to_string();
            assert!(error.contains(fragment), "{error}");
        }
        // A diverged run named twice is listed, not counted in a mean.
        read("1,diverged,0.1,aaa,../aaa,\n2,diverged,0.1,aaa,../aaa,\n").expect("reads");
    }

    #[test]
    fn a_row_holds_only_the_run_it_names() {
        let row = SweepRow {
            line: 4,
            run_dir: Some(PathBuf::from("s/../aaa")),
            run_id: Some("aaa".to_string()),
            status: Status::Completed,
            params: Vec::new(),
        };
        let summary = Path::new("summary.csv");
        row.check_holds(summary, Path::new("aaa"), "aaa")
            .expect("its run");
        let error = row
            .check_holds(summary, Path::new("aaa"), "bbb")
            .expect_err("another run")
            .to_string();
        assert_eq!(
            error,
            "summary.csv, line 4: the row is run `aaa`, but its `run_dir` aaa holds run `bbb`"
        );
    }
}
