//! Ctrl-C and SIGTERM end a run after its current batch, not mid-write.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Catches Ctrl-C and SIGTERM from now on. A second signal while the first is
/// being honoured is absorbed; the run ends at its next batch boundary.
pub fn install() {
    // Failing to install (another handler exists) leaves the default
    // behaviour, which still never corrupts a file: writes are atomic.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
}

pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}
