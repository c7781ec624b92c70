//! metrics.csv as a run writes it: the header at the start, then whole rows
//! appended as epochs complete. Rows wait in memory and go to the file in
//! one write per batch of whole rows (at each checkpoint, at the end, and
//! whenever a batch grows large), so a reader never sees part of a row and
//! a short epoch costs no system call. A checkpoint names how many epochs'
//! rows are committed (after epoch 0's, which a run writes first) and the
//! SHA-256 of all of them, so a resume can cut the file back to them and
//! refuse one that does not match.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::atomic;
use super::history::History;
use super::metrics_csv;
use crate::train::EpochRecord;

/// Rows are written once this many bytes of them wait: rarely enough to
/// cost nothing per epoch, often enough to hold little.
const BATCH_BYTES: usize = 64 * 1024;

/// No row synapse writes comes near this; a longer line is not a row.
const MAX_LINE_BYTES: u64 = 16 * 1024;

/// The rows of metrics.csv a checkpoint vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// Rows of epochs from 1: the number of epochs (epoch 0's row not counted).
    pub rows: usize,
    /// SHA-256 (hex) of the file's header, epoch 0's row and those rows.
    pub sha256: String,
}

pub struct MetricsFile {
    path: PathBuf,
    file: File,
    /// Whole rows not yet written.
    pending: Vec<u8>,
    pending_rows: usize,
    /// Epochs' rows in the file (epoch 0's not counted).
    rows: usize,
    /// Of every byte handed over, written or pending.
    digest: Sha256,
}

/// A metrics.csv read back for a resume: the committed rows' length in
/// bytes and what they hold.
pub struct Verified {
    bytes: u64,
    rows: usize,
    digest: Sha256,
    pub history: History,
}

impl MetricsFile {
    /// Starts `path` afresh with the header of records like `template`,
    /// written whole by rename; rows are then appended to that same file.
    pub fn create(path: &Path, template: &EpochRecord) -> io::Result<MetricsFile> {
        let header = metrics_csv::header(template);
        // A new file written from its start, so appends need no O_APPEND.
        let file = atomic::write_and_keep(path, |file| file.write_all(header.as_bytes()))?;
        let mut digest = Sha256::new();
        digest.update(header.as_bytes());
        Ok(MetricsFile {
            path: path.to_path_buf(),
            file,
            pending: Vec::new(),
            pending_rows: 0,
            rows: 0,
            digest,
        })
    }

    /// Continues `path` after the rows `verified` vouches for, cutting off
    /// any written after them (a kill between checkpoints leaves some).
    pub fn resume(path: &Path, verified: Verified) -> io::Result<(MetricsFile, History)> {
        let file = OpenOptions::new().append(true).open(path)?;
        file.set_len(verified.bytes)?;
        Ok((
            MetricsFile {
                path: path.to_path_buf(),
                file,
                pending: Vec::new(),
                pending_rows: 0,
                rows: verified.rows,
                digest: verified.digest,
            },
            verified.history,
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds one row (epoch 0's first); it reaches the file with its batch.
    pub fn push(&mut self, record: &EpochRecord) -> io::Result<()> {
        let row = metrics_csv::row(record);
        self.digest.update(row.as_bytes());
        self.pending.extend_from_slice(row.as_bytes());
        if record.epoch > 0 {
            self.pending_rows += 1;
        }
        if self.pending.len() >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes every waiting row, whole.
    pub fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.file.write_all(&self.pending)?;
            self.pending.clear();
        }
        self.rows += self.pending_rows;
        self.pending_rows = 0;
        Ok(())
    }

    /// Flushes, and names what the file now holds, for a checkpoint.
    pub fn commit(&mut self) -> io::Result<Committed> {
        self.flush()?;
        Ok(Committed {
            rows: self.rows,
            sha256: hex(self.digest.clone()),
        })
    }
}

/// Reads the header, epoch 0's row and the rows of the first
/// `committed.rows` epochs of `path` back, refusing (with a message for the
/// user) a file that is not a regular file, has another header, fewer rows,
/// rows that are not epoch 0 and then consecutive epochs from 1, or other
/// bytes than the checkpoint's hash says. Nothing is changed.
pub fn verify(
    path: &Path,
    template: &EpochRecord,
    committed: &Committed,
) -> Result<Verified, Refusal> {
    // Not followed: synapse writes no results through links.
    let meta = fs::symlink_metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Refusal::Refused(format!(
            "is missing, but the checkpoint counts {} rows in it; run without --resume to start over",
            committed.rows
        )),
        _ => Refusal::Io(e),
    })?;
    if !meta.is_file() {
        return Err(Refusal::Refused(
            "is not a regular file; run without --resume to start over".to_string(),
        ));
    }
    let mut reader = BufReader::new(File::open(path).map_err(Refusal::Io)?);
    let mut digest = Sha256::new();
    let mut history = History::default();
    let mut bytes = 0u64;
    let mut line = Vec::new();
    let header = metrics_csv::header(template);
    // Line `index + 1`: the header, then the row of epoch `index - 1`.
    for index in 0..=committed.rows + 1 {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut line)
            .map_err(Refusal::Io)?;
        let shorter = || {
            Refusal::Refused(format!(
                "has {} complete rows, but the checkpoint counts {}; run without --resume to start over",
                index.saturating_sub(2),
                committed.rows
            ))
        };
        if read == 0 || line.last() != Some(&b'\n') {
            return Err(if index == 0 || read as u64 >= MAX_LINE_BYTES {
                Refusal::Refused(format!(
                    "line {} is not a metrics row; run without --resume to start over",
                    index + 1
                ))
            } else {
                shorter()
            });
        }
        let text = std::str::from_utf8(&line).ok();
        if index == 0 {
            if text != Some(header.as_str()) {
                return Err(Refusal::Refused(format!(
                    "has another header than this run writes ({}); run without --resume to start over",
                    header.trim_end()
                )));
            }
        } else {
            let epoch = index - 1;
            let record = text
                .and_then(|t| t.strip_suffix('\n'))
                .and_then(|t| metrics_csv::parse_row(t, template))
                .filter(|r| r.epoch == epoch)
                .ok_or_else(|| {
                    Refusal::Refused(format!(
                        "line {} is not the row of epoch {epoch}; run without --resume to start over",
                        index + 1
                    ))
                })?;
            if epoch == 0 {
                history.initial(&record);
            } else {
                history.push(&record);
            }
        }
        digest.update(&line);
        bytes += read as u64;
    }
    if hex(digest.clone()) != committed.sha256 {
        return Err(Refusal::Refused(format!(
            "its first {} rows are not the ones the checkpoint recorded; run without --resume to start over",
            committed.rows
        )));
    }
    Ok(Verified {
        bytes,
        rows: committed.rows,
        digest,
        history,
    })
}

/// The row of `epoch` in the metrics.csv at `path`, read line by line so
/// that no more than one row is held; None where there is no such row.
pub fn read_row(
    path: &Path,
    template: &EpochRecord,
    epoch: usize,
) -> io::Result<Option<EpochRecord>> {
    let reader = BufReader::new(File::open(path)?);
    for line in reader.lines().skip(1) {
        if let Some(record) = metrics_csv::parse_row(&line?, template)
            && record.epoch == epoch
        {
            return Ok(Some(record));
        }
    }
    Ok(None)
}

/// Why a metrics.csv cannot be resumed.
#[derive(Debug)]
pub enum Refusal {
    /// Reading it failed.
    Io(io::Error),
    /// It does not hold what the checkpoint says.
    Refused(String),
}

fn hex(digest: Sha256) -> String {
    digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::metrics::{Summary, TaskMetrics};

    fn record(epoch: usize) -> EpochRecord {
        let summary = Summary {
            cost: 1.0 / (epoch + 1) as f64,
            loss: 0.25 / (epoch + 1) as f64,
            task: TaskMetrics::Regression {
                rmse: epoch as f64,
                mae: -0.0,
            },
        };
        EpochRecord {
            epoch,
            learning_rate: if epoch == 0 { f64::NAN } else { 0.1 },
            train: summary,
            validation: Some(summary),
        }
    }

    #[test]
    fn a_resume_cuts_back_to_the_committed_rows_and_carries_on_to_the_same_bytes() {
        let dir = tempfile::tempdir().expect("dir");
        let whole = dir.path().join("whole.csv");
        let mut file = MetricsFile::create(&whole, &record(0)).expect("create");
        for epoch in 0..=50 {
            file.push(&record(epoch)).expect("push");
        }
        file.commit().expect("commit");

        let cut = dir.path().join("cut.csv");
        let mut file = MetricsFile::create(&cut, &record(0)).expect("create");
        for epoch in 0..=20 {
            file.push(&record(epoch)).expect("push");
        }
        let committed = file.commit().expect("commit");
        // The epochs' rows, as the checkpoint counts them.
        assert_eq!(committed.rows, 20);
        for epoch in 21..=23 {
            file.push(&record(epoch)).expect("push");
        }
        file.flush().expect("flush");
        drop(file);
        let verified = verify(&cut, &record(0), &committed).unwrap_or_else(|_| panic!("verify"));
        assert_eq!(verified.history.len(), 20);
        assert_eq!(verified.history.train_loss.points()[0], (0.0, 0.25));
        // As metrics.csv holds it (without a validation cost).
        assert_eq!(
            verified.history.last().map(metrics_csv::row),
            Some(metrics_csv::row(&record(20)))
        );
        let (mut file, _) = MetricsFile::resume(&cut, verified).expect("resume");
        for epoch in 21..=50 {
            file.push(&record(epoch)).expect("push");
        }
        file.commit().expect("commit");
        assert_eq!(
            fs::read(&cut).expect("cut"),
            fs::read(&whole).expect("whole")
        );
    }

    #[test]
    fn a_file_that_does_not_match_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("metrics.csv");
        let mut file = MetricsFile::create(&path, &record(0)).expect("create");
        for epoch in 0..=5 {
            file.push(&record(epoch)).expect("push");
        }
        let committed = file.commit().expect("commit");
        drop(file);
        let text = fs::read_to_string(&path).expect("read");
        let refused = |text: &str, committed: &Committed| {
            fs::write(&path, text).expect("write");
            matches!(
                verify(&path, &record(0), committed),
                Err(Refusal::Refused(_))
            )
        };
        let more = Committed {
            rows: 6,
            ..committed.clone()
        };
        assert!(refused(&text, &more), "fewer rows than counted");
        assert!(
            refused(&text.replacen(",0.1\n", ",0.2\n", 1), &committed),
            "an edited value"
        );
        assert!(refused(&text[..text.len() - 3], &committed), "a cut row");
        assert!(
            refused(&text.replacen("epoch", "Epoch", 1), &committed),
            "the header"
        );
        let without_epoch_0: String = text
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .map(|(_, line)| format!("{line}\n"))
            .collect();
        assert!(refused(&without_epoch_0, &committed), "no epoch 0");
        assert!(!refused(&text, &committed));
    }
}
