//! Files are written whole: to a temporary name beside the final one, then
//! renamed over it, so no reader (and no crash) ever sees half a file.
//!
//! Every temporary file of this process is on one list while it exists, so
//! that an interruption (`interrupt`) can remove them all before
//! the process ends, wherever it was.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The temporary files this process has created and not yet renamed or
/// removed.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    // The list stays meaningful whatever a panicking holder did to it.
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes every temporary file of this process and keeps any other from
/// being created: the list stays locked until the process ends. For an
/// interruption that ends the process now.
pub fn abandon_all() {
    let list = live();
    for path in list.iter() {
        let _ = fs::remove_file(path);
    }
    // Never unlocked: a writer that would create a temporary now waits for
    // the end of the process instead.
    std::mem::forget(list);
}

/// The prefix of temporary files, so a later run can recognise and remove
/// strays left by a killed process.
pub const TEMPORARY_PREFIX: &str = ".tmp-";

/// A temporary path beside `path`, unique to this process.
pub fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{TEMPORARY_PREFIX}{}-{name}", std::process::id()))
}

/// Writes `bytes` to `path` atomically. Refuses to write through a symbolic
/// link planted at the temporary name.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |file| file.write_all(bytes))
}

/// Like `write`, with the content produced by `fill` into the open file.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    write_and_keep(path, fill).map(drop)
}

/// Like `write_with`, and gives the file back, open after its content and
/// now under its final name: metrics.csv is written whole with its header,
/// then takes its rows by appending.
pub fn write_and_keep(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<File> {
    replaceable(path)?;
    let temporary = temporary_path(path);
    let _ = fs::remove_file(&temporary);
    let result = (|| {
        let mut file = create_listed(&temporary)?;
        fill(&mut file)?;
        file.flush()?;
        fs::rename(&temporary, path)?;
        Ok(file)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    unlist(&temporary);
    result
}

/// Creates the temporary file `path`, on the list of live temporaries. The
/// list is held while the file is created, so an interruption either sees
/// it listed or keeps it from being created at all.
fn create_listed(path: &Path) -> io::Result<File> {
    let mut list = live();
    // create_new never follows a link and never reuses an existing file.
    let file = OpenOptions::new().write(true).create_new(true).open(path)?;
    list.push(path.to_path_buf());
    Ok(file)
}

fn unlist(path: &Path) {
    let mut list = live();
    if let Some(at) = list.iter().position(|p| p == path) {
        list.swap_remove(at);
    }
}

/// Whether a finished file may be renamed onto `path`: not where a device,
/// a pipe or a socket is, which the rename would replace with a plain file
/// (`--out /dev/null`), nor where a folder is. Refused as `InvalidInput`, a
/// path the user can fix.
fn replaceable(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a folder; a file is written here, so name the file",
        )),
        Ok(meta) if !(meta.is_file() || meta.is_dir() || meta.is_symlink()) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file; synapse writes a new file and renames it into place, \
             which would replace this device, pipe or socket",
        )),
        _ => Ok(()),
    }
}

/// Removes temporary files that an interrupted process left in `dir`.
pub fn remove_strays(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(TEMPORARY_PREFIX)
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        write(&path, b"first").expect("write");
        write(&path, b"second").expect("overwrite");
        assert_eq!(fs::read(&path).expect("read"), b"second");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    /// A socket stands in for a device or a pipe: a rename would replace it
    /// with a plain file, so the write is refused and the socket stays.
    #[cfg(unix)]
    #[test]
    fn what_is_not_a_file_is_never_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("socket");
        let _listener = std::os::unix::net::UnixListener::bind(&path).expect("bind");
        let error = write(&path, b"x").expect_err("a socket must not be replaced");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(!fs::symlink_metadata(&path).expect("still there").is_file());
        let names: Vec<_> = fs::read_dir(dir.path()).expect("list").flatten().collect();
        assert_eq!(names.len(), 1, "no temporary is left");

        let folder = dir.path().join("folder");
        fs::create_dir(&folder).expect("folder");
        let error = write(&folder, b"x").expect_err("a folder is not a file");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("is a folder"), "{error}");
        assert!(folder.is_dir());
    }

    #[test]
    fn temporaries_are_listed_only_while_they_exist() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        let temporary = temporary_path(&path);
        write_with(&path, |file| {
            assert!(live().contains(&temporary), "listed while written");
            file.write_all(b"x")
        })
        .expect("write");
        assert!(!live().contains(&temporary), "unlisted once renamed");
        let failed = write_with(&path, |_| Err(io::Error::other("fill failed")));
        assert!(failed.is_err());
        assert!(!live().contains(&temporary), "unlisted once removed");
        assert!(!temporary.exists());
    }

    #[test]
    fn a_file_kept_open_is_listed_until_renamed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("metrics.csv");
        let temporary = temporary_path(&path);
        let mut file = write_and_keep(&path, |_| {
            assert!(live().contains(&temporary), "listed once created");
            Ok(())
        })
        .expect("write");
        assert!(!live().contains(&temporary), "unlisted once renamed");
        file.write_all(b"still open")
            .expect("write after the rename");
        assert_eq!(fs::read(&path).expect("read"), b"still open");
    }

    #[test]
    fn strays_are_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join(".tmp-123-metrics.csv"), "half").expect("write");
        fs::write(dir.path().join("metrics.csv"), "whole").expect("write");
        remove_strays(dir.path());
        assert!(!dir.path().join(".tmp-123-metrics.csv").exists());
        assert!(dir.path().join("metrics.csv").exists());
    }
}
