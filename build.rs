//! Whether the tests that need software from outside the project can run:
//! `cfg(chromium)` where Debian's Chromium (or a `chromium` on the PATH) is
//! installed, `cfg(slurm)` where a Slurm cluster is configured (Slurm's
//! commands and /etc/slurm/slurm.conf, as tests/engines/slurm-up.sh leaves
//! them), `cfg(gnu_parallel)` where GNU parallel is installed; and all of
//! them always in CI, where .ci/run installs them and a missing one must
//! fail the tests.
//!
//! Without them those tests are marked ignored, with the reason, so that
//! `cargo test` closes with "N ignored" and a local green run cannot hide
//! that they did not run. Installing a package changes /usr/bin, and
//! starting or stopping the local cluster changes /etc/slurm, which makes
//! cargo run this script again.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    println!("cargo::rustc-check-cfg=cfg(slurm)");
    println!("cargo::rustc-check-cfg=cfg(gnu_parallel)");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-changed=/usr/bin");
    let ci = std::env::var_os("CI").is_some();
    if installed("chromium") || ci {
        println!("cargo::rustc-cfg=chromium");
    }
    // Watched only where it exists: a missing path would make cargo run
    // this script at every build; installing Slurm creates it.
    if Path::new("/etc/slurm").is_dir() {
        println!("cargo::rerun-if-changed=/etc/slurm");
    }
    if (installed("sbatch") && Path::new("/etc/slurm/slurm.conf").is_file()) || ci {
        println!("cargo::rustc-cfg=slurm");
    }
    // moreutils installs another program called `parallel`, with other
    // options: only GNU's says so in its version.
    let gnu_parallel = installed("parallel")
        && Command::new("parallel")
            .arg("--version")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).starts_with("GNU parallel"));
    if gnu_parallel || ci {
        println!("cargo::rustc-cfg=gnu_parallel");
    }
    onnxruntime(ci);
}

/// Whether `program` is in /usr/bin or in a folder of the PATH.
fn installed(program: &str) -> bool {
    let on_path = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()));
    Path::new("/usr/bin").join(program).is_file() || on_path
}

/// Whether the ONNX export test can run: `cfg(onnxruntime)` where the
/// Python it uses (`SYNAPSE_ONNX_PYTHON`, else the virtual environment that
/// .ci/run makes) imports onnxruntime and numpy, and always in CI, where a
/// missing one must fail the test rather than skip it.
fn onnxruntime(ci: bool) {
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
    if imports || ci {
        println!("cargo::rustc-cfg=onnxruntime");
    }
}
