//! Whether the browser tests can run: `cfg(chromium)` where Debian's
//! Chromium (or a `chromium` on the PATH) is installed, and always in CI,
//! where .ci/run installs it and a missing browser must fail the tests.
//!
//! Without the browser those tests are marked ignored, with the reason, so
//! that `cargo test` closes with "N ignored" and a local green run cannot
//! hide that they did not run. Installing the browser changes /usr/bin,
//! which makes cargo run this script again.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-changed=/usr/bin");
    let on_path = std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| dir.join("chromium").is_file())
    });
    let installed = Path::new("/usr/bin/chromium").is_file() || on_path;
    if installed || std::env::var_os("CI").is_some() {
        println!("cargo::rustc-cfg=chromium");
    }
    onnxruntime();
}

/// Whether the ONNX export test can run: `cfg(onnxruntime)` where the
/// Python it uses (`SYNAPSE_ONNX_PYTHON`, else the virtual environment that
/// .ci/run makes) imports onnxruntime and numpy, and always in CI, where a
/// missing one must fail the test rather than skip it.
fn onnxruntime() {
    println!("cargo::rustc-check-cfg=cfg(onnxruntime)");
    println!("cargo::rerun-if-env-changed=SYNAPSE_ONNX_PYTHON");
    // Making the virtual environment changes /opt.
    println!("cargo::rerun-if-changed=/opt");
    let python = std::env::var_os("SYNAPSE_ONNX_PYTHON")
        .unwrap_or_else(|| "/opt/synapse-onnx-venv/bin/python".into());
    let imports = Command::new(python)
        .args(["-c", "import onnxruntime, numpy"])
        .output()
        .is_ok_and(|output| output.status.success());
    if imports || std::env::var_os("CI").is_some() {
        println!("cargo::rustc-cfg=onnxruntime");
    }
}
