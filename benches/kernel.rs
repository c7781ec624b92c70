//! The matrix kernel on its own: square products large enough to run at the
//! kernel's full speed, on one thread. This is the single-thread peak that
//! the wide workload's GFLOP/s are compared with (README, "Speed").
//!
//!     cargo bench --bench kernel
//!
//! Throughput is shown in items per second, one item being one
//! floating-point operation (a multiply-add is two).

use divan::Bencher;
use divan::counter::ItemsCount;
use synapse::nn::Float;
use synapse::nn::fast::matmul::{Operand, gemm};

/// mimalloc, the allocator of synapse's programs (see src/main.rs for why),
/// so that the benchmarks time what the CLI runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

#[divan::bench(types = [f32, f64], args = [256, 512, 1024], sample_count = 10)]
fn square_product<T: Float>(bencher: Bencher, size: usize) {
    let a: Vec<T> = (0..size * size)
        .map(|i| T::of(((i * 37 % 101) as f64 - 50.0) / 50.0))
        .collect();
    let b: Vec<T> = (0..size * size)
        .map(|i| T::of(((i * 53 % 97) as f64 - 48.0) / 48.0))
        .collect();
    let mut c = vec![T::zero(); size * size];
    bencher
        .counter(ItemsCount::new(2 * size * size * size))
        .bench_local(|| {
            gemm(
                Operand::new(&a, size, size),
                Operand::new(&b, size, size),
                &mut c,
                size,
                size,
            );
        });
}
