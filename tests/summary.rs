//! The last test target `cargo test` runs before the doc-tests, so its line
//! is among the last of the output: how many browser tests were skipped and
//! why.
//!
//! Where Chromium is missing, build.rs leaves `cfg(chromium)` unset and the
//! browser tests of tests/integration/report.rs are ignored. libtest prints
//! each reason beside its test, hundreds of lines up, and closes its target
//! with a bare "N ignored": a local green run could hide that they never
//! ran. CI sets `CI`, so there they run, and fail without the browser.

/// The tests this summary is about, read at build time so that the count
/// follows the file.
const BROWSER_TESTS: &str = include_str!("integration/report.rs");

/// What marks a browser test's ignore attribute in that file.
const MARK: &str = "ignore = \"needs Chromium";

fn main() {
    let count = BROWSER_TESTS.matches(MARK).count();
    if cfg!(chromium) {
        println!("browser tests: all {count} ran (Chromium was found at build time)");
    } else {
        println!(
            "SKIPPED: {count} browser tests of tests/integration/report.rs did not run: \
             Chromium is not installed (apt-get install chromium; .ci/run installs it, \
             and CI fails them without it)"
        );
    }
}
