//! Trains one reference workload and prints one JSON line in the format of
//! `../shared/bench/torch_ref.py`, for side-by-side speed comparisons:
//!
//!     cargo run --release --example bench_epochs -- wide --dtype f32 [--epochs 5] [--threads 2]
//!
//! Only the epoch loop is timed; the data is in memory before it starts.
//! With `peak` for the workload it measures the machine's single-thread peak
//! instead (benches/peak/), so that benches/compare.py can print each
//! GFLOP/s beside it without another tool:
//!
//!     cargo run --release --example bench_epochs -- peak --dtype f32

use std::process::ExitCode;
use std::time::Instant;

use synapse::nn::Float;
use synapse::train::{EpochEnd, Trainer};

/// The workloads, shared with the epoch benchmark.
#[path = "../benches/workloads/mod.rs"]
mod workloads;

/// The single-thread peak, shared with the kernel and epoch benchmarks.
#[path = "../benches/peak/mod.rs"]
mod peak;

/// mimalloc, the allocator of synapse's programs (see src/main.rs for why),
/// so that the benchmarks time what the CLI runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let dtype = value("--dtype").unwrap_or_else(|| "f32".to_string());
    if args.first().is_some_and(|a| a == "peak") {
        return print(peak_line(&dtype));
    }
    let Some(workload) = args.first().and_then(|name| workloads::by_name(name)) else {
        let names: Vec<&str> = workloads::WORKLOADS.iter().map(|w| w.name).collect();
        eprintln!(
            "usage: bench_epochs WORKLOAD [--dtype f32|f64] [--epochs N] [--threads N], \
             or bench_epochs peak [--dtype f32|f64]; workloads: {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    let epochs = value("--epochs")
        .and_then(|e| e.parse().ok())
        .unwrap_or(workload.epochs);
    let threads: usize = value("--threads").and_then(|t| t.parse().ok()).unwrap_or(1);
    let scratch = std::env::temp_dir().join("synapse-bench");
    if let Err(e) = std::fs::create_dir_all(&scratch) {
        eprintln!("error: {}: {e}", scratch.display());
        return ExitCode::from(1);
    }
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("error: cannot start {threads} threads: {e}");
            return ExitCode::from(1);
        }
    };
    let result = pool.install(|| {
        synapse::nn::fast::matmul::set_threads(threads);
        match dtype.as_str() {
            "f32" => run::<f32>(workload, &scratch, "f32", epochs, threads),
            "f64" => run::<f64>(workload, &scratch, "f64", epochs, threads),
            other => Err(format!("--dtype {other}: use f32 or f64")),
        }
    });
    print(result)
}

/// The JSON line on standard output, or the error on standard error.
fn print(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// The single-thread peak of `dtype` as one JSON line.
fn peak_line(dtype: &str) -> Result<String, String> {
    let gflops = match dtype {
        "f32" => peak::measure::<f32>(),
        "f64" => peak::measure::<f64>(),
        other => return Err(format!("--dtype {other}: use f32 or f64")),
    };
    let json = serde_json::json!({
        "system": "synapse",
        "measure": "peak",
        "dtype": dtype,
        "threads": 1,
        "size": peak::SIZE,
        "samples": peak::SAMPLES,
        "gflops": gflops,
        "method": peak::method(),
    });
    Ok(json.to_string())
}

fn run<T: Float>(
    workload: workloads::Workload,
    scratch: &std::path::Path,
    dtype: &str,
    epochs: usize,
    threads: usize,
) -> Result<String, String> {
    let (config, data) = workload.load(scratch, dtype).map_err(|e| e.to_string())?;
    let mut trainer = Trainer::<T>::new(&config, &data);
    let mut times = Vec::with_capacity(epochs);
    let mut costs = Vec::with_capacity(epochs);
    let mut accuracy = 0.0;
    for epoch in 1..=epochs {
        let started = Instant::now();
        let end = trainer.train_epoch(epoch, config.training.learning_rate, &|| false);
        times.push(started.elapsed().as_secs_f64());
        match end {
            EpochEnd::Completed(summary) => {
                costs.push(summary.loss);
                if let synapse::train::metrics::TaskMetrics::Accuracy(a) = summary.task {
                    accuracy = a;
                }
            }
            other => return Err(format!("epoch {epoch} did not complete: {other:?}")),
        }
    }
    let json = serde_json::json!({
        "system": "synapse",
        "workload": workload.name,
        "dtype": dtype,
        "threads": threads,
        "epoch_times": times,
        "epoch_costs": costs,
        "final_cost": costs.last(),
        "accuracy": accuracy,
        "gflop_per_epoch": workload.flops_per_epoch() / 1e9,
    });
    Ok(json.to_string())
}
