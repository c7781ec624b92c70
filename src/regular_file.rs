//! Every file synapse reads is opened here, and only a regular file is read.
//!
//! Opening a FIFO for reading blocks until a writer comes, forever if none
//! does; a device such as /dev/zero never ends; a folder or a socket is no
//! file at all. So the file is opened without blocking (`O_NONBLOCK`, which
//! changes nothing for a regular file), the open handle is examined (fstat,
//! so nothing can be swapped in between a check and the open), and anything
//! but a regular file is refused with an error saying what it is. Symbolic
//! links are followed, as the operating system follows them.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// A path that is not a regular file, as the error's inner value: what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotRegular(pub &'static str);

impl fmt::Display for NotRegular {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "is {}, not a regular file; synapse reads only regular files",
            self.0
        )
    }
}

impl std::error::Error for NotRegular {}

/// `InvalidInput`, a path the user can fix (see `Error::code`).
fn refuse(what: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, NotRegular(what))
}

/// What a file type is, in words; `None` for a regular file.
pub fn kind_of(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// Opens `path` for reading if it is a regular file, without ever blocking.
pub fn open(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        // A socket cannot be opened at all (ENXIO); say what it is.
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            return match std::fs::metadata(path)
                .ok()
                .and_then(|m| kind_of(m.file_type()))
            {
                Some(what) => Err(refuse(what)),
                None => Err(error),
            };
        }
        Err(error) => return Err(error),
    };
    match kind_of(file.metadata()?.file_type()) {
        Some(what) => Err(refuse(what)),
        None => Ok(file),
    }
}

/// The whole of the regular file at `path`.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The whole of the regular file at `path`, as UTF-8 text.
pub fn read_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read(path)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .expect("mkfifo");
        assert!(status.success());
    }

    #[test]
    fn a_regular_file_and_a_link_to_one_are_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "text").expect("write");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&path, &link).expect("link");
        assert_eq!(read_to_string(&path).expect("read"), "text");
        assert_eq!(read(&link).expect("read through link"), b"text");
    }

    #[test]
    fn what_is_not_a_regular_file_is_refused_at_once_saying_what_it_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        let socket = dir.path().join("socket");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
        let link = dir.path().join("link-to-fifo");
        std::os::unix::fs::symlink(&fifo, &link).expect("link");
        let cases: [(&Path, &str); 5] = [
            (&fifo, "is a FIFO (named pipe)"),
            (&link, "is a FIFO (named pipe)"),
            (&socket, "is a socket"),
            (Path::new("/dev/zero"), "is a device"),
            (dir.path(), "is a folder"),
        ];
        let started = Instant::now();
        for (path, expected) in cases {
            let error = read(path).expect_err("refused");
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{path:?}");
            assert!(error.to_string().contains(expected), "{path:?}: {error}");
        }
        assert!(started.elapsed() < Duration::from_secs(2));
        let missing = read(&dir.path().join("missing")).expect_err("missing");
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }
}
