//! A small builder that runs the real `synapse` executable in a fresh
//! temporary directory holding copies of the project's experiments and data.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Sandbox {
    dir: tempfile::TempDir,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Panics with the whole output unless the exit code is `code`.
    pub fn expect_code(self, code: i32) -> Output {
        assert_eq!(
            self.code, code,
            "expected exit code {code}, got {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

/// A CSV file's header, and its rows as (column, cell) pairs in header
/// order. A file that does not parse, or a row of another length than the
/// header, fails the test.
pub fn labelled_csv<T: FromIterator<(String, String)>>(path: &Path) -> (Vec<String>, Vec<T>) {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("{}: no header: {e}", path.display()))
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(record.len(), header.len(), "{}: {record:?}", path.display());
            header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` and everything in it to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

impl Sandbox {
    /// A temporary directory with `experiments/` and `data/` copied in.
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &project_root().join("experiments"),
            &dir.path().join("experiments"),
        );
        copy_dir(&project_root().join("data"), &dir.path().join("data"));
        Sandbox { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file relative to the sandbox.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent");
        }
        fs::write(&path, contents).expect("write file");
        path
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path().join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_synapse"))
            .args(args)
            .current_dir(self.path())
            .output()
            .expect("run synapse");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Every file under `results/`, relative to the sandbox.
    pub fn result_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, root, out);
                } else if let Ok(relative) = path.strip_prefix(root) {
                    out.push(relative.to_path_buf());
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.path().join("results"), self.path(), &mut files);
        files.sort();
        files
    }

    /// The one run directory of `experiment`.
    pub fn run_dir(&self, experiment: &str) -> PathBuf {
        let dir = self.path().join("results").join(experiment);
        let runs: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        assert_eq!(runs.len(), 1, "expected one run of {experiment}: {runs:?}");
        runs.into_iter().next().expect("one run")
    }
}

/// The one sweep directory (`sweep-<id>`) in the experiment directory
/// `experiment`; more or fewer fails the test.
pub fn sweep_dir(experiment: &Path) -> PathBuf {
    let sweeps: Vec<PathBuf> = fs::read_dir(experiment)
        .unwrap_or_else(|e| panic!("{}: {e}", experiment.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("sweep-"))
        })
        .collect();
    assert_eq!(sweeps.len(), 1, "expected one sweep: {sweeps:?}");
    sweeps.into_iter().next().expect("one sweep")
}

/// The text of every `<text>` element of an SVG, in order, entities undone.
pub fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|rest| {
            let body = rest.split_once('>').expect("a text element").1;
            let body = body.split_once("</text>").expect("closed").0;
            body.trim()
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Runs `experiment` quietly with each of `sets` as a `--set`, expects
/// success, and returns the run directory its closing line names, relative
/// to the sandbox.
pub fn run_quiet(sandbox: &Sandbox, experiment: &str, sets: &[&str]) -> String {
    let mut args = vec!["run", experiment, "--quiet"];
    for set in sets {
        args.extend(["--set", set]);
    }
    let output = sandbox.run(&args).expect_code(0);
    output
        .stdout
        .trim_end()
        .rsplit(" -> ")
        .next()
        .expect("the closing line names the run directory")
        .to_string()
}

/// The run directory `dir`'s summary.json, as JSON.
pub fn summary_json(dir: &Path) -> serde_json::Value {
    let text = fs::read_to_string(dir.join("summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("summary.json is JSON")
}
