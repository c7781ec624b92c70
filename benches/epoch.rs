//! One training epoch of each reference workload (../shared/bench), in f32
//! and f64. `BENCH_DATA` may name the folder of the reference CSVs; without
//! it, data of the same shapes is synthesized.
//!
//!     cargo bench --bench epoch              # all
//!     cargo bench --bench epoch -- wide      # one workload
//!
//! Throughput is shown in items per second, one item being one
//! floating-point operation of the epoch's matrix products. Before its
//! table, the benchmark measures and prints the machine's single-thread peak
//! (benches/peak/), so that the throughput column reads against the limit.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;
use divan::counter::ItemsCount;
use synapse::config::Config;
use synapse::data::PreparedData;
use synapse::nn::Float;
use synapse::train::{EpochEnd, Trainer};
use workloads::Workload;

/// The workloads, shared with examples/bench_epochs.rs (benches/workloads/).
mod workloads;

/// The single-thread peak, shared with the kernel benchmark and bench_epochs.
mod peak;

/// mimalloc, the allocator of synapse's programs (see src/main.rs for why),
/// so that the benchmarks time what the CLI runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Divan's own rule: it benchmarks under `cargo bench` (which passes
    // `--bench`), and only lists or tests (each benchmark once) otherwise.
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    if has("--bench") && !has("--list") && !has("--test") {
        print_peak();
    }
    divan::main();
}

/// One line before divan's table: the peak its throughput column (items/s,
/// one item a FLOP) is read against.
fn print_peak() {
    let f32_peak = peak::measure::<f32>();
    let f64_peak = peak::measure::<f64>();
    println!(
        "single-thread peak: f32 {f32_peak:.1} GFLOP/s, f64 {f64_peak:.1} GFLOP/s ({}); \
         the throughput below counts one item per FLOP of the epoch's products: \
         read its Gitem/s against these GFLOP/s",
        peak::method()
    );
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join("synapse-bench");
    std::fs::create_dir_all(&dir).expect("a scratch folder for the benchmark data");
    dir
}

/// A workload's config and data, loaded once and kept for the whole run.
type Loaded = &'static (Config, PreparedData);

/// Each workload's config and data, loaded once per precision.
fn loaded(name: &str, precision: &str) -> Loaded {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(String, Loaded)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = format!("{name}-{precision}");
    let mut entries = cache.lock().expect("the cache lock");
    if let Some((_, entry)) = entries.iter().find(|(k, _)| *k == key) {
        return entry;
    }
    let workload: Workload = workloads::by_name(name).expect("a known workload");
    let entry: Loaded = Box::leak(Box::new(
        workload
            .load(&scratch(), precision)
            .expect("the workload loads"),
    ));
    entries.push((key, entry));
    entry
}

fn epoch<T: Float>(bencher: Bencher, name: &str, precision: &str) {
    epoch_with::<T>(bencher, name, precision, false);
}

/// An epoch with `training.diagnostics` as given: on, the rows of the
/// epoch are taken too, as `train` takes them.
fn epoch_with<T: Float>(bencher: Bencher, name: &str, precision: &str, diagnostics: bool) {
    let (config, data) = loaded(name, precision);
    let mut config = config.clone();
    config.training.diagnostics = diagnostics;
    let config = &config;
    let mut trainer = Trainer::<T>::new(config, data);
    let rate = config.training.learning_rate;
    let flops = workloads::by_name(name).map_or(0.0, |w| w.flops_per_epoch());
    let mut epoch = 0;
    bencher
        .counter(ItemsCount::new(flops as u64))
        .bench_local(|| {
            epoch += 1;
            let end = trainer.train_epoch(epoch, rate, &|| false);
            assert!(matches!(end, EpochEnd::Completed(_)), "{end:?}");
            divan::black_box(trainer.diagnostics(epoch));
        });
}

#[divan::bench(types = [f32, f64], sample_count = 30)]
fn heart_mse<T: Float>(bencher: Bencher) {
    epoch::<T>(bencher, "heart_mse", precision::<T>());
}

#[divan::bench(types = [f32, f64], sample_count = 30)]
fn digits<T: Float>(bencher: Bencher) {
    epoch::<T>(bencher, "digits", precision::<T>());
}

/// W1 and W2 with `training.diagnostics`: their overhead over the above.
#[divan::bench(types = [f32, f64], sample_count = 30)]
fn heart_mse_diagnostics<T: Float>(bencher: Bencher) {
    epoch_with::<T>(bencher, "heart_mse", precision::<T>(), true);
}

#[divan::bench(types = [f32, f64], sample_count = 30)]
fn digits_diagnostics<T: Float>(bencher: Bencher) {
    epoch_with::<T>(bencher, "digits", precision::<T>(), true);
}

#[divan::bench(types = [f32, f64], sample_count = 5, sample_size = 1)]
fn wide<T: Float>(bencher: Bencher) {
    epoch::<T>(bencher, "wide", precision::<T>());
}

fn precision<T: Float>() -> &'static str {
    if std::mem::size_of::<T>() == 4 {
        "f32"
    } else {
        "f64"
    }
}
