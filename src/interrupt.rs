//! Ctrl-C and SIGTERM end every command promptly, with exit code 130, and
//! leave no file half-written.
//!
//! Two cases, by what the process is doing when the signal comes:
//!
//! - A training loop is running (it asks `requested()` after every batch):
//!   the signal only raises the flag. The loop ends at its batch boundary
//!   and the run writes its completed epochs, so `--resume` can continue it.
//! - Anything else (reading and encoding data, expanding a sweep, reading
//!   results, drawing, writing a report): there is nothing to save, so the
//!   process ends at once. Files are only ever written to a temporary name
//!   and renamed into place (`results::atomic`), so ending anywhere leaves
//!   each file whole, old or new; the temporaries themselves are removed
//!   first.
//!
//! This needs no check in every loop of the program: a loop that does not
//! poll the flag is ended from outside.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::results::atomic;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// How many loops are polling the flag right now (several in a sweep).
static POLLING: AtomicUsize = AtomicUsize::new(0);

/// Catches Ctrl-C and SIGTERM from now on. A second signal while a loop is
/// winding down is absorbed; the run still ends at its next batch boundary.
pub fn install() {
    // Failing to install (another handler exists) leaves the default
    // behaviour, which still never corrupts a file: writes are atomic.
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        if POLLING.load(Ordering::SeqCst) == 0 {
            end_now();
        }
    });
}

/// Whether Ctrl-C or SIGTERM came.
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Declares a loop that polls `requested()` often (at least every few
/// hundred milliseconds) and winds down by itself, for as long as the guard
/// lives.
pub fn polling() -> Polling {
    POLLING.fetch_add(1, Ordering::SeqCst);
    Polling(())
}

/// See `polling`.
#[must_use = "the loop counts as polling only while the guard lives"]
pub struct Polling(());

impl Drop for Polling {
    fn drop(&mut self) {
        POLLING.fetch_sub(1, Ordering::SeqCst);
    }
}

fn end_now() -> ! {
    atomic::abandon_all();
    // stderr may be closed; the exit code says it all the same.
    let _ = writeln!(std::io::stderr(), "error: interrupted");
    std::process::exit(i32::from(crate::error::INTERRUPTED));
}
