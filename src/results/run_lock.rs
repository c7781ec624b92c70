//! Exclusive use of a results directory (a run's, or a sweep's) while one
//! process writes it, through a lock the operating system keeps.
//!
//! The lock is an OS file lock on `<dir>/.lock` (`flock` on Unix,
//! `LockFileEx` on Windows): the kernel releases it when its holder exits,
//! however it dies, so there is no stale lock to judge and no way for two
//! processes to hold it at once. The file holds nothing.
//!
//! On Unix the holder deletes the file before letting go, so that a run
//! directory keeps no trace of it. That opens the classic race (a waiter
//! that opened the old file gets a lock on a name nobody else can see any
//! more), closed by checking, once locked, that the path still names the
//! locked file, and starting over when it does not.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::write_error::WriteError;

/// The lock file's name inside the directory it guards.
pub const FILE: &str = ".lock";

/// How often a waiter tries again: short next to any run, long enough to
/// cost nothing. Polling rather than a blocking `lock()` keeps Ctrl-C
/// answered while waiting.
const POLL: Duration = Duration::from_millis(25);

/// Held while a process writes a results directory; released on drop (and
/// by the kernel, should the process die first).
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
    waited: bool,
}

impl RunLock {
    /// Takes the lock of `dir`, waiting for its holder when another process
    /// has it; `on_wait` is called once, before the first wait. The wait
    /// ends with `WriteError::Interrupted` once `stop` says so (the caller passes
    /// the Ctrl-C flag: results know nothing of commands).
    pub fn acquire(
        dir: &Path,
        on_wait: impl FnOnce(),
        stop: impl Fn() -> bool,
    ) -> Result<RunLock, WriteError> {
        let mut on_wait = Some(on_wait);
        let mut waited = false;
        loop {
            if let Some(mut lock) = RunLock::try_acquire(dir)? {
                lock.waited = waited;
                return Ok(lock);
            }
            if let Some(note) = on_wait.take() {
                note();
            }
            waited = true;
            if stop() {
                return Err(WriteError::Interrupted(dir.to_path_buf()));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Takes the lock of `dir` if nobody holds it; `None` when another
    /// process (or another handle in this one) does.
    pub fn try_acquire(dir: &Path) -> Result<Option<RunLock>, WriteError> {
        let path = dir.join(FILE);
        loop {
            if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(WriteError::Refused {
                    path,
                    message: "is a symbolic link; synapse does not write results through links"
                        .to_string(),
                });
            }
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(WriteError::io(&path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(WriteError::io(&path)(e)),
            }
            if still_named(&file, &path) {
                return Ok(Some(RunLock {
                    file,
                    path,
                    waited: false,
                }));
            }
            // The holder we waited for deleted the file we locked; the
            // lock that counts is on whatever the path names now.
        }
    }

    /// Whether another process held the lock when it was asked for: the
    /// directory may have been completed meanwhile.
    pub fn waited(&self) -> bool {
        self.waited
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Deleted while still held (see the module's note); where open files
        // cannot be deleted, it stays, empty and harmless.
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

/// Whether `path` still names the open `file` (not deleted, not replaced).
#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Elsewhere the lock file is never deleted, so it is always the one named.
#[cfg(not(unix))]
fn still_named(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_cannot_be_taken_through_another_handle() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = RunLock::try_acquire(dir.path())
            .expect("lockable")
            .expect("free");
        // flock belongs to the open file, not the process: a second handle
        // in this same process is refused, as another process would be.
        assert!(
            RunLock::try_acquire(dir.path())
                .expect("lockable")
                .is_none()
        );
        drop(first);
        let again = RunLock::try_acquire(dir.path())
            .expect("lockable")
            .expect("free once released");
        assert!(!again.waited());
    }

    #[test]
    fn a_waiter_takes_the_lock_once_the_holder_lets_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let holder = RunLock::try_acquire(dir.path())
            .expect("lockable")
            .expect("free");
        let path = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let mut noted = 0;
            let lock =
                RunLock::acquire(&path, || noted += 1, || false).expect("taken after the wait");
            (lock.waited(), noted)
        });
        std::thread::sleep(Duration::from_millis(150));
        drop(holder);
        assert_eq!(waiter.join().expect("waiter"), (true, 1));
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_file_is_gone_once_released_and_a_leftover_one_is_no_lock() {
        let dir = tempfile::tempdir().expect("temp dir");
        let lock = RunLock::try_acquire(dir.path())
            .expect("lockable")
            .expect("free");
        assert!(dir.path().join(FILE).is_file());
        drop(lock);
        assert!(!dir.path().join(FILE).exists());
        // A file left by a killed holder holds no lock.
        fs::write(dir.path().join(FILE), "12345").expect("leftover");
        assert!(
            RunLock::try_acquire(dir.path())
                .expect("lockable")
                .is_some()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outside = dir.path().join("outside");
        std::os::unix::fs::symlink(&outside, dir.path().join(FILE)).expect("link");
        let error = RunLock::try_acquire(dir.path()).expect_err("a link");
        assert_eq!(crate::error::Error::from(error).code(), 2);
        assert!(!outside.exists(), "created through the link");
    }
}
