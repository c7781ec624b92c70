//! Sweeps handed to the engines the README names, for real: a Slurm job
//! array on a one-node cluster (tests/engines/slurm-up.sh starts one) and
//! GNU parallel. Each must leave the same bytes as a local `--jobs 2`
//! sweep: every run's files, and the sweep's summary once `synapse sweep`
//! has written it.
//!
//! Without Slurm or GNU parallel, build.rs marks these tests ignored, with
//! the reason; in CI (.ci/run installs both and starts the cluster) they
//! always run.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::common::{Sandbox, sweep_dir};

/// The README's job-array script, the one the Slurm test submits.
const ARRAY_SCRIPT: &str = "examples/slurm/sweep-array.sh";

/// The showcase sweep: 27 runs of the heart example.
const SHOWCASE: &str = "experiments/heart-sweep.toml";

/// Runs of about 3 s each here (0.6 s for 600 epochs), so that one can be
/// killed half-way even on a machine several times faster.
const LONG_RUNS: &str = r#"
experiment = "experiments/heart.toml"
[grid]
"training.learning_rate" = [0.1, 0.5]
"experiment.seed" = [1, 2]
"training.epochs" = [3000]
"data.rows" = [5000]
"#;

/// The files of a run that must be the same bytes however it was run.
const RUN_FILES: [&str; 3] = ["metrics.csv", "model.json", "predictions.csv"];

fn project_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The README shows the script that the Slurm test submits, verbatim.
#[test]
fn the_readme_shows_the_tested_job_array_script() {
    let readme = fs::read_to_string(project_file("README.md")).expect("README.md");
    let script = fs::read_to_string(project_file(ARRAY_SCRIPT)).expect("the array script");
    let after = readme
        .split_once("With a Slurm job array")
        .expect("README: the Slurm paragraph")
        .1;
    let block = after
        .split_once("```bash\n")
        .and_then(|(_, rest)| rest.split_once("```\n"))
        .expect("README: a ```bash block after the Slurm paragraph")
        .0;
    assert_eq!(
        block, script,
        "README.md's job-array script differs from {ARRAY_SCRIPT}; paste the file into the README"
    );
    assert!(after.contains(ARRAY_SCRIPT), "the README names the file");
}

/// A sweep run here with `--jobs 2`: the bytes the engines must give.
fn local_sweep(file: &str, contents: Option<&str>) -> Sandbox {
    let sandbox = Sandbox::new();
    if let Some(contents) = contents {
        sandbox.write(file, contents);
    }
    sandbox
        .run(&["sweep", file, "--jobs", "2", "--quiet"])
        .expect_code(0);
    sandbox
}

/// Every run directory of `experiment` (sweep directories aside), by name.
/// Whether some run of the sandbox has written a few epochs of metrics.csv.
fn in_training(sandbox: &Sandbox) -> bool {
    let experiment = sandbox.path().join("results").join("heart");
    experiment.is_dir()
        && run_dirs(sandbox, "heart").iter().any(|dir| {
            fs::read_to_string(dir.join("metrics.csv")).is_ok_and(|text| text.lines().count() > 3)
        })
}

fn run_dirs(sandbox: &Sandbox, experiment: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(sandbox.path().join("results").join(experiment))
        .expect("results")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("sweep-"))
        })
        .collect();
    dirs.sort();
    dirs
}

/// The same runs with the same files, byte for byte, and the same sweep
/// directory with the same files (summary.csv, points.csv, the figure).
fn assert_same_results(engine: &str, got: &Sandbox, want: &Sandbox, experiment: &str) {
    let names = |s: &Sandbox| -> Vec<String> {
        run_dirs(s, experiment)
            .iter()
            .map(|d| d.file_name().expect("name").to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names(got), names(want), "{engine}: not the same runs");
    for dir in run_dirs(want, experiment) {
        let name = dir.file_name().expect("name");
        let other = got.path().join("results").join(experiment).join(name);
        for file in RUN_FILES {
            assert!(
                fs::read(dir.join(file)).expect("local file")
                    == fs::read(other.join(file)).expect("engine's file"),
                "{engine}: {}/{file} differs from the local sweep's",
                name.to_string_lossy()
            );
        }
    }
    let want_sweep = sweep_dir(&want.path().join("results").join(experiment));
    let got_sweep = sweep_dir(&got.path().join("results").join(experiment));
    assert_eq!(want_sweep.file_name(), got_sweep.file_name());
    let mut files: Vec<_> = fs::read_dir(&want_sweep)
        .expect("sweep dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    files.sort();
    for file in ["summary.csv", "points.csv"] {
        assert!(files.iter().any(|f| f == file), "no {file}: {files:?}");
    }
    for file in &files {
        assert!(
            fs::read(want_sweep.join(file)).expect("local sweep file")
                == fs::read(got_sweep.join(file)).expect("engine's sweep file"),
            "{engine}: the sweep's {} differs from the local sweep's",
            file.to_string_lossy()
        );
    }
    let listed = |dir: &Path| fs::read_dir(dir).expect("sweep dir").count();
    assert_eq!(
        listed(&got_sweep),
        listed(&want_sweep),
        "{engine}: sweep files"
    );
    println!(
        "{engine}: {} runs × {} files and the sweep's {} files, the same bytes as a local --jobs 2 sweep",
        names(want).len(),
        RUN_FILES.len(),
        files.len()
    );
}

/// A command's output, or the test fails with all of it.
fn succeed(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{command:?}: {}\nstdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The PATH with the synapse under test first, for the `synapse run` lines
/// of `--list`.
fn path_with_synapse() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_synapse"))
        .parent()
        .expect("the binary's folder")
        .to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).expect("PATH")
}

/// The README's GNU parallel line, run in the sandbox.
fn list_into_parallel(sandbox: &Sandbox, file: &str) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("synapse sweep {file} --list | parallel -j 2"))
        .current_dir(sandbox.path())
        .env("PATH", path_with_synapse());
    command
}

#[test]
#[cfg_attr(
    not(slurm),
    ignore = "needs a Slurm cluster: sudo tests/engines/slurm-up.sh (.ci/run starts one)"
)]
fn a_slurm_job_array_runs_the_showcase_sweep_as_a_local_sweep_would() {
    let state = Command::new("sinfo")
        .args(["--noheader", "--format=%t"])
        .output();
    let answered = state.as_ref().is_ok_and(|o| o.status.success());
    assert!(
        answered,
        "no Slurm cluster answers ({state:?}); start the local one: sudo tests/engines/slurm-up.sh"
    );

    let sandbox = Sandbox::new();
    let mut sbatch = Command::new("sbatch");
    sbatch
        .args(["--wait", "--array=1-3"])
        .arg(project_file(ARRAY_SCRIPT))
        .arg(SHOWCASE)
        .env("SYNAPSE", env!("CARGO_BIN_EXE_synapse"))
        .current_dir(sandbox.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = sbatch.spawn().expect("sbatch");
    // A drained node would leave the array pending for ever.
    while child.try_wait().expect("sbatch").is_none() {
        if started.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            let queue = Command::new("squeue").output();
            panic!("the job array did not finish within 10 minutes; squeue: {queue:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let output = child.wait_with_output().expect("sbatch");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "sbatch: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let job = stdout
        .trim()
        .strip_prefix("Submitted batch job ")
        .unwrap_or_else(|| panic!("sbatch printed no job id: {stdout}"))
        .to_string();
    println!(
        "slurm: sbatch --wait --array=1-3 {ARRAY_SCRIPT}: job {job}, {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Each task ran one shard: its log closes with the sweep line, and its
    // share is the runs that `--list --shard K/3` names.
    let mut total = 0;
    for task in 1..=3 {
        let log = sandbox.read(&format!("slurm-{job}_{task}.out"));
        let last = log.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("sweep: 27 runs -> results/heart/sweep-"),
            "task {task}'s log: {log}"
        );
        let shard = format!("{task}/3");
        let runs = sandbox
            .run(&["sweep", SHOWCASE, "--list", "--shard", &shard])
            .expect_code(0)
            .stdout
            .lines()
            .count();
        println!("slurm: task {task} ran shard {shard}: {runs} runs");
        total += runs;
    }
    assert_eq!(total, 27);

    let summary = sandbox.run(&["sweep", SHOWCASE, "--quiet"]).expect_code(0);
    assert!(summary.stdout.contains("sweep: 27 runs -> "));
    assert!(!summary.stdout.contains("pending"), "{}", summary.stdout);
    assert_same_results("slurm", &sandbox, &local_sweep(SHOWCASE, None), "heart");
}

#[test]
#[cfg_attr(
    not(gnu_parallel),
    ignore = "needs GNU parallel: apt-get install parallel (.ci/run installs it)"
)]
fn gnu_parallel_runs_the_showcase_sweep_as_a_local_sweep_would() {
    let sandbox = Sandbox::new();
    succeed(&mut list_into_parallel(&sandbox, SHOWCASE));
    assert_eq!(run_dirs(&sandbox, "heart").len(), 27);
    sandbox.run(&["sweep", SHOWCASE, "--quiet"]).expect_code(0);
    assert_same_results("parallel", &sandbox, &local_sweep(SHOWCASE, None), "heart");
}

/// Each file of the finished runs (those with summary.json, written last):
/// its inode and modification time, which a run again would change.
fn finished_files(sandbox: &Sandbox) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut files = BTreeMap::new();
    for dir in run_dirs(sandbox, "heart") {
        if !dir.join("summary.json").is_file() {
            continue;
        }
        for entry in fs::read_dir(&dir).expect("run dir").flatten() {
            let meta = entry.metadata().expect("metadata");
            files.insert(entry.path(), (meta.ino(), meta.modified().expect("mtime")));
        }
    }
    files
}

/// A `synapse run` of this sandbox, started by parallel: its process id.
fn running_synapse(sandbox: &Sandbox) -> Option<String> {
    let home = fs::canonicalize(sandbox.path()).expect("sandbox");
    fs::read_dir("/proc").ok()?.flatten().find_map(|entry| {
        let pid = entry.file_name().to_string_lossy().into_owned();
        let ours = pid.chars().all(|c| c.is_ascii_digit())
            && fs::read_to_string(entry.path().join("comm")).is_ok_and(|c| c.trim() == "synapse")
            && fs::read_link(entry.path().join("cwd")).is_ok_and(|cwd| cwd == home)
            // Not the `synapse sweep --list` that feeds parallel.
            && fs::read(entry.path().join("cmdline"))
                .is_ok_and(|line| line.split(|&b| b == 0).nth(1) == Some(b"run"));
        ours.then_some(pid)
    })
}

#[test]
#[cfg_attr(
    not(gnu_parallel),
    ignore = "needs GNU parallel: apt-get install parallel (.ci/run installs it)"
)]
fn gnu_parallel_after_a_killed_run_completes_without_rerunning_finished_runs() {
    let sandbox = Sandbox::new();
    sandbox.write("long.toml", LONG_RUNS);
    let first = list_into_parallel(&sandbox, "long.toml")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the --list | parallel line");
    let deadline = Instant::now() + Duration::from_secs(60);
    let pid = loop {
        if let Some(pid) = running_synapse(&sandbox) {
            break pid;
        }
        assert!(Instant::now() < deadline, "parallel started no synapse");
        std::thread::sleep(Duration::from_millis(20));
    };
    // Killed as soon as training has written its first epochs: the first two
    // runs start together, so the one killed is a few epochs into its 3,000
    // (a fixed delay would miss on a machine fast enough to finish first).
    while !in_training(&sandbox) {
        assert!(Instant::now() < deadline, "no run reached its first epochs");
        std::thread::sleep(Duration::from_millis(10));
    }
    succeed(Command::new("kill").args(["-KILL", &pid]));
    let output = first.wait_with_output().expect("parallel");
    // GNU parallel's exit code is the number of jobs that failed.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dirs = run_dirs(&sandbox, "heart");
    let unfinished: Vec<_> = dirs
        .iter()
        .filter(|d| !d.join("summary.json").is_file())
        .collect();
    assert_eq!(dirs.len(), 4, "{dirs:?}");
    assert_eq!(unfinished.len(), 1, "killed half-way: {unfinished:?}");
    assert!(unfinished[0].join("metrics.csv").is_file());
    let before = finished_files(&sandbox);
    assert!(!before.is_empty());

    let again = succeed(&mut list_into_parallel(&sandbox, "long.toml"));
    assert_eq!(again.matches("already ran").count(), 3, "{again}");
    assert_eq!(again.matches("completed after").count(), 1, "{again}");
    let after = finished_files(&sandbox);
    for (file, was) in &before {
        assert_eq!(
            after.get(file),
            Some(was),
            "{} was written again",
            file.display()
        );
    }
    println!(
        "parallel: run {pid} killed; the line again ran 1 run and left the 3 finished ({} files) untouched",
        before.len()
    );
    sandbox
        .run(&["sweep", "long.toml", "--quiet"])
        .expect_code(0);
    assert_same_results(
        "parallel after a kill",
        &sandbox,
        &local_sweep("long.toml", Some(LONG_RUNS)),
        "heart",
    );
}
