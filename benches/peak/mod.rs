//! The machine's single-thread peak for a matrix product: what synapse's
//! kernel reaches on a square product large enough to run at full speed.
//! One definition of that product, shared by `cargo bench --bench kernel`
//! (which times it at several sizes), the epoch benchmark and
//! `examples/bench_epochs.rs` (which print the peak beside their
//! throughput, so that every GFLOP/s figure is read against the limit of
//! the machine it was measured on). Each includer uses only some of it,
//! hence `dead_code`.

#![allow(dead_code)]

use std::time::Instant;

use synapse::nn::Float;
use synapse::nn::fast::matmul::{self, Operand, gemm};

/// The size of the square product the peak is measured on: large enough
/// that packing and the edges are a small part of it, small enough that its
/// operands (256 KB each in f32) stay in cache. On a quiet machine 256 and
/// 512 run at the same speed and 1024 a little slower; while other programs
/// run, 512 in f64 lost half its speed to them and 256 nothing (`cargo bench
/// --bench kernel`, both times).
pub const SIZE: usize = 256;
/// Products timed for the peak, one sample each (0.3 ms in f32, 0.6 ms in
/// f64); their median is the peak.
pub const SAMPLES: usize = 31;
/// Untimed products first: the output's pages and the kernel's packing
/// space are touched once before the samples.
const WARM_UP: usize = 3;

/// C ← A·B, all three size×size, with fixed values of the order of 1.
pub struct Square<T> {
    a: Vec<T>,
    b: Vec<T>,
    c: Vec<T>,
    size: usize,
}

impl<T: Float> Square<T> {
    pub fn new(size: usize) -> Self {
        let a = (0..size * size)
            .map(|i| T::of(((i * 37 % 101) as f64 - 50.0) / 50.0))
            .collect();
        let b = (0..size * size)
            .map(|i| T::of(((i * 53 % 97) as f64 - 48.0) / 48.0))
            .collect();
        Square {
            a,
            b,
            c: vec![T::zero(); size * size],
            size,
        }
    }

    /// Floating-point operations of one product (a multiply-add is two).
    pub fn flops(&self) -> u64 {
        2 * (self.size as u64).pow(3)
    }

    /// One product, through the kernel the training loop uses.
    pub fn multiply(&mut self) {
        let n = self.size;
        gemm(
            Operand::new(&self.a, n, n),
            Operand::new(&self.b, n, n),
            &mut self.c,
            n,
            n,
        );
    }
}

/// The single-thread peak in GFLOP/s: the median of `SAMPLES` products of
/// `SIZE`, on the calling thread alone.
pub fn measure<T: Float>() -> f64 {
    matmul::set_threads(1);
    let mut square = Square::<T>::new(SIZE);
    for _ in 0..WARM_UP {
        square.multiply();
    }
    let mut rates: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            square.multiply();
            square.flops() as f64 / started.elapsed().as_secs_f64() / 1e9
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

/// How the peak was measured, for the line that prints it.
pub fn method() -> String {
    format!("the kernel's {SIZE}×{SIZE} square product on one thread, median of {SAMPLES}")
}
