//! The one check every file a user names for writing goes through (`--out`
//! of compare, report, predict, and anything added later), made before
//! anything is written.
//!
//! Refused, naming the path and what to do:
//! - a path, or any file the command derives from it (compare's `.svg` and
//!   `.csv` beside its `.png`), inside a run or sweep directory, whose files
//!   are results: a run whose summary.json is replaced is trained again;
//! - a device, FIFO or socket (`--out /dev/full`), which the write would
//!   replace with a plain file, or beside which it would put new files;
//! - a folder where a file is to be written;
//! - the file being read (predict's data), or a file inside a folder being
//!   read (compare's run directories).
//!
//! Where a file will land is worked out as the operating system will: the
//! part of its folder that exists is resolved (symbolic links, `..`), and the
//! rest, which the command creates, is taken as written. The file's own name
//! is not followed: it is replaced by a rename, which replaces a link itself.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::write_error::WriteError;
use crate::regular_file;
use crate::text::printable;

/// Files whose presence marks a run directory, including one that a run is
/// creating right now (it takes `.lock` first).
const RUN_MARKERS: [&str; 4] = ["summary.json", "checkpoint.json", ".lock", "model.json"];
/// Together they mark a run directory whose summary is not written yet.
const RUN_PAIR: [&str; 2] = ["config.toml", "metrics.csv"];
/// A sweep directory holds this (see `read::DirKind`).
const SWEEP_MARKER: &str = "summary.csv";

/// A request to write files under a name the user gave.
pub struct Output<'a> {
    /// The option as typed, for messages: `--out`.
    pub option: &'a str,
    /// The path as the user typed it.
    pub named: &'a Path,
    /// Every file the command will write for it (just `named` when the
    /// command writes that one file).
    pub files: Vec<PathBuf>,
    /// Files and folders the command reads, which no written file may be or
    /// lie inside, each with what it is in words ("the data being predicted").
    pub reads: Vec<(&'a Path, &'a str)>,
    /// Whether the command creates missing folders on the way to its files;
    /// if not, the folder must exist.
    pub creates_folders: bool,
}

impl Output<'_> {
    /// Exit 2, nothing written, when any file would land where it must not.
    pub fn check(&self) -> Result<(), WriteError> {
        let refuse = |why: String| {
            Err(WriteError::Usage(format!(
                "{} {}: {why}",
                self.option,
                printable(&self.named.display().to_string())
            )))
        };
        // `--out /dev/full`: the named path itself, even when the files
        // derived from it (/dev/full.png) are new.
        if let Some(what) = special(self.named) {
            return refuse(format!(
                "is {what}; name a regular file to write (a new one, or one to replace)"
            ));
        }
        let reads: Vec<(PathBuf, &str)> = self
            .reads
            .iter()
            .filter_map(|(p, what)| Some((fs::canonicalize(p).ok()?, *what)))
            .collect();
        for file in &self.files {
            let shown = printable(&file.display().to_string());
            // "would write X" only when X is not the path typed.
            let would = if file == self.named {
                String::new()
            } else {
                format!("would write {shown}, which ")
            };
            if let Some(what) = special(file) {
                return refuse(format!("{would}is {what}; name a regular file to write"));
            }
            let trailing_separator = file
                .as_os_str()
                .to_string_lossy()
                .ends_with(std::path::is_separator);
            if file.is_dir() || trailing_separator || file.file_name().is_none() {
                return refuse(format!(
                    "{would}names a folder; {} names the file to write",
                    self.option
                ));
            }
            let Some(target) = landing(file) else {
                return refuse(format!("{would}cannot be located"));
            };
            let folder = target.parent().unwrap_or(Path::new("/"));
            if !self.creates_folders && !folder.is_dir() {
                let parent = match file.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                return refuse(format!(
                    "the folder {} does not exist",
                    printable(&parent.display().to_string())
                ));
            }
            // Creating `a/b/` where `a` is a file fails with the system's
            // "File exists": the argument is at fault, not the disk.
            if self.creates_folders
                && let Some(blocking) = file
                    .ancestors()
                    .skip(1)
                    .find(|a| !a.as_os_str().is_empty() && a.exists())
                    .filter(|a| !a.is_dir())
            {
                return refuse(format!(
                    "{would}cannot be written: {} is a file, not a folder",
                    printable(&blocking.display().to_string())
                ));
            }
            if let Some((dir, kind)) = results_folder(folder) {
                return refuse(format!(
                    "{would}is inside the {kind} {}, whose files are results that \
                     it would replace; write it outside any run or sweep directory",
                    printable(&dir.display().to_string())
                ));
            }
            for (read, what) in &reads {
                let read_shown = printable(&read.display().to_string());
                if *read == target || same_file(file, read) {
                    return refuse(format!(
                        "{would}is {what} ({read_shown}), which the write would replace; \
                         name another file"
                    ));
                }
                if read.is_dir() && target.starts_with(read) {
                    return refuse(format!(
                        "{would}is inside {what} {read_shown}; write it elsewhere"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What stands at `path` when it is a device, FIFO or socket (after
/// following a link): nothing synapse may write to or replace.
fn special(path: &Path) -> Option<&'static str> {
    let file_type = fs::metadata(path).ok()?.file_type();
    if file_type.is_dir() {
        return None;
    }
    regular_file::kind_of(file_type)
}

/// Whether `a` and `b` are one file under two names (a hard link).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Where a file written at `path` lands, absolute: its folder's existing
/// part resolved, the rest taken as written, then its own name.
fn landing(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let absolute = if folder.is_absolute() {
        folder
    } else {
        std::env::current_dir().ok()?.join(folder)
    };
    let components: Vec<Component> = absolute.components().collect();
    // The longest leading part that exists, resolved by the system.
    let (mut resolved, rest) = (0..=components.len()).rev().find_map(|k| {
        let prefix: PathBuf = components[..k].iter().collect();
        fs::canonicalize(&prefix)
            .ok()
            .map(|real| (real, &components[k..]))
    })?;
    for component in rest {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(part) => resolved.push(part),
            _ => {}
        }
    }
    Some(resolved.join(name))
}

/// The nearest of `folder` and its ancestors that is a run or sweep
/// directory, with which it is.
fn results_folder(folder: &Path) -> Option<(PathBuf, &'static str)> {
    folder.ancestors().find_map(|dir| {
        let has = |name: &str| fs::symlink_metadata(dir.join(name)).is_ok();
        if has(SWEEP_MARKER) {
            Some((dir.to_path_buf(), "sweep directory"))
        } else if RUN_MARKERS.iter().any(|m| has(m)) || RUN_PAIR.iter().all(|m| has(m)) {
            Some((dir.to_path_buf(), "run directory"))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out<'a>(named: &'a Path, files: &[PathBuf], reads: Vec<(&'a Path, &'a str)>) -> Output<'a> {
        Output {
            option: "--out",
            named,
            files: files.to_vec(),
            reads,
            creates_folders: true,
        }
    }

    fn refusal(output: &Output) -> String {
        output.check().expect_err("refused").to_string()
    }

    #[test]
    fn a_file_where_a_folder_must_be_created_is_refused_naming_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("afile");
        fs::write(&file, "x").expect("file");
        let named = file.join("deeper/report.html");
        let message = refusal(&out(&named, std::slice::from_ref(&named), vec![]));
        assert!(
            message.ends_with(&format!("{} is a file, not a folder", file.display())),
            "{message}"
        );
        let fine = dir.path().join("new/deeper/report.html");
        out(&fine, std::slice::from_ref(&fine), vec![])
            .check()
            .expect("missing folders are created");
    }

    #[test]
    fn files_inside_a_run_or_sweep_directory_are_refused_however_reached() {
        let dir = tempfile::tempdir().expect("temp dir");
        let run = dir.path().join("results/exp/run1");
        fs::create_dir_all(&run).expect("run dir");
        fs::write(run.join("summary.json"), "{}").expect("summary");
        let sweep = dir.path().join("results/exp/sweep-1");
        fs::create_dir_all(&sweep).expect("sweep dir");
        fs::write(sweep.join("summary.csv"), "").expect("summary.csv");
        let starting = dir.path().join("results/exp/run2");
        fs::create_dir_all(&starting).expect("run being created");
        fs::write(starting.join(".lock"), "").expect("lock");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&run, dir.path().join("link")).expect("link");

        let mut cases = vec![
            (run.join("summary.json"), "run directory"),
            (run.join("new/deeper/x.png"), "run directory"),
            (
                dir.path().join("results/exp/../exp/run1/x.csv"),
                "run directory",
            ),
            (run.join("nope/../x.csv"), "run directory"),
            (sweep.join("cost.png"), "sweep directory"),
            (starting.join("report.html"), "run directory"),
        ];
        #[cfg(unix)]
        cases.push((dir.path().join("link/x.png"), "run directory"));
        for (path, expected) in cases {
            let message = refusal(&out(&path, std::slice::from_ref(&path), vec![]));
            assert!(message.contains(expected), "{path:?}: {message}");
        }
        // Beside the runs is fine.
        let beside = dir.path().join("results/exp/report.html");
        assert!(
            out(&beside, std::slice::from_ref(&beside), vec![])
                .check()
                .is_ok()
        );
    }

    #[test]
    fn a_derived_file_is_named_when_it_is_the_one_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data.csv");
        fs::write(&data, "a\n1\n").expect("data");
        let named = dir.path().join("data.png");
        let files = [named.clone(), dir.path().join("data.svg"), data.clone()];
        let message = refusal(&out(&named, &files, vec![(&data, "the data being read")]));
        assert!(message.contains("would write"), "{message}");
        assert!(
            message.contains("data.csv, which is the data being read"),
            "{message}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_sockets_and_folders_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let socket = dir.path().join("socket");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
        let full = Path::new("/dev/full");
        let derived = [PathBuf::from("/dev/full.png")];
        assert!(refusal(&out(full, &derived, vec![])).contains("is a device"));
        assert!(
            refusal(&out(&socket, std::slice::from_ref(&socket), vec![])).contains("is a socket")
        );
        let folder = dir.path().to_path_buf();
        assert!(
            refusal(&out(&folder, std::slice::from_ref(&folder), vec![]))
                .contains("names a folder")
        );
        let mut missing = out(Path::new("x"), &[dir.path().join("no/x.csv")], vec![]);
        missing.creates_folders = false;
        assert!(refusal(&missing).contains("does not exist"));
    }
}
