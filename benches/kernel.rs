//! The matrix kernel on its own: square products large enough to run at the
//! kernel's full speed, on one thread. This is the single-thread peak that
//! the workloads' GFLOP/s are read against (README, "Speed"); the epoch
//! benchmark and `examples/bench_epochs.rs` measure it again at one size
//! with the same product (benches/peak/).
//!
//!     cargo bench --bench kernel
//!
//! Throughput is shown in items per second, one item being one
//! floating-point operation (a multiply-add is two).

use divan::Bencher;
use divan::counter::ItemsCount;
use synapse::nn::Float;

/// The square product, shared with the benchmarks that print the peak.
mod peak;

/// mimalloc, the allocator of synapse's programs (see src/main.rs for why),
/// so that the benchmarks time what the CLI runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

#[divan::bench(types = [f32, f64], args = [256, 512, 1024], sample_count = 10)]
fn square_product<T: Float>(bencher: Bencher, size: usize) {
    let mut square = peak::Square::<T>::new(size);
    bencher
        .counter(ItemsCount::new(square.flops()))
        .bench_local(|| square.multiply());
}
