//! Writing a command's output to standard output.

use std::io::{self, Write};

use crate::error::Error;

/// Writes `text` and a newline to standard output, as `write` does.
pub fn line(text: &str) -> Result<(), Error> {
    write(format!("{text}\n").as_bytes())
}

/// Writes `bytes` to standard output. A closed pipe (`synapse … | head`) is
/// the reader's choice, not a failure.
pub fn write(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(Error::Io {
            path: "standard output".into(),
            source: error,
        }),
        _ => Ok(()),
    }
}
