//! Tests of `matmul`: products against nalgebra, the one-example paths
//! against `gemm` bit for bit, and the cuts that threads share.

use nalgebra::DMatrix;

use super::*;

fn check(m: usize, k: usize, n: usize, ta: bool, tb: bool, threads: usize) {
    let (a_rows, a_cols) = if ta { (k, m) } else { (m, k) };
    let (b_rows, b_cols) = if tb { (n, k) } else { (k, n) };
    let a = DMatrix::<f64>::from_fn(a_rows, a_cols, |i, j| (i * 7 + j * 3) as f64 * 0.1 - 1.0);
    let b = DMatrix::<f64>::from_fn(b_rows, b_cols, |i, j| (i * 5 + j * 11) as f64 * 0.05 - 0.5);
    let c0 = DMatrix::<f64>::from_fn(m, n, |i, j| (i + j) as f64);
    let a_used = if ta { a.transpose() } else { a.clone() };
    let b_used = if tb { b.transpose() } else { b.clone() };
    let expected = &a_used * &b_used;
    let mut c = c0.clone();
    let mut oa = Operand::new(a.as_slice(), a_rows, a_cols);
    if ta {
        oa = oa.t();
    }
    let mut ob = Operand::new(b.as_slice(), b_rows, b_cols);
    if tb {
        ob = ob.t();
    }
    set_threads(threads);
    gemm(oa, ob, c.as_mut_slice(), m, n);
    set_threads(1);
    let scale = expected.abs().max().max(1.0);
    assert!(
        (c - expected).abs().max() < 1e-9 * scale,
        "m={m} k={k} n={n} ta={ta} tb={tb}"
    );
}

#[test]
fn products_match_nalgebra_for_small_blocked_and_transposed_shapes() {
    for (m, k, n) in [
        (1, 1, 1),
        (8, 3, 1),
        (1, 8, 1),
        (3, 8, 5),
        (64, 48, 32),
        (100, 256, 17),
        (40, 70, 150),
        (256, 100, 256),
        (20, 1100, 30),
    ] {
        for ta in [false, true] {
            for tb in [false, true] {
                check(m, k, n, ta, tb, 1);
                check(m, k, n, ta, tb, 2);
            }
        }
    }
}

/// The products of one example give the very bits that `gemm` gives
/// for the same shapes when those are small enough for its plain loops
/// (larger ones go to its kernel, which sums in its own order), zeros
/// and signs of zero included.
#[test]
fn one_example_products_match_gemm_bit_for_bit() {
    // Every ninth value zero, so that products of ±0 occur.
    let values = |count: usize, seed: usize| -> Vec<f32> {
        (0..count)
            .map(|i| match (i + seed) % 9 {
                0 => 0.0,
                _ => (((i * 37 + seed * 11) % 101) as f32 - 50.0) / 23.0,
            })
            .collect()
    };
    let same = |x: &[f32], y: &[f32]| {
        x.len() == y.len() && x.iter().zip(y).all(|(a, b)| a.to_bits() == b.to_bits())
    };
    let narrow = (1..=9).flat_map(|units| (1..=9).map(move |inputs| (units, inputs)));
    let wide = [(13, 5), (3, 17), (24, 9), (16, 16), (17, 33)];
    for (units, inputs) in narrow.chain(wide) {
        let w = values(units * inputs, 1);
        let x = values(inputs, 2);
        let d = values(units, 3);

        let (mut fast, mut general) = (vec![0.0; units], vec![0.0; units]);
        matvec(&w, &x, &mut fast);
        gemm(
            Operand::new(&w, units, inputs),
            Operand::new(&x, inputs, 1),
            &mut general,
            units,
            1,
        );
        assert!(same(&fast, &general), "W·x, {units}×{inputs}");

        let (mut fast, mut general) = (vec![0.0; inputs], vec![0.0; inputs]);
        matvec_transposed(&w, &d, &mut fast);
        gemm(
            Operand::new(&w, units, inputs).t(),
            Operand::new(&d, units, 1),
            &mut general,
            inputs,
            1,
        );
        assert!(same(&fast, &general), "Wᵀ·d, {units}×{inputs}");

        let (mut fast, mut general) = (vec![0.0; units * inputs], vec![0.0; units * inputs]);
        outer(&d, &x, &mut fast, Store::Set);
        gemm(
            Operand::new(&d, units, 1),
            Operand::new(&x, inputs, 1).t(),
            &mut general,
            units,
            inputs,
        );
        assert!(same(&fast, &general), "d·xᵀ, {units}×{inputs}");
    }
}

/// A product deeper than `KERNEL_WHOLE_DEPTH` is its pieces of that
/// depth, each added in order: the cut is ours, not the caches'.
#[test]
fn a_deep_product_is_its_pieces_added_in_order() {
    // Wider than 64 both ways: the kernel would pick its own cut.
    let (m, k, n) = (100, 1100, 70);
    let a: Vec<f32> = (0..m * k)
        .map(|i| ((i * 37) % 101) as f32 / 50.0 - 1.0)
        .collect();
    let b: Vec<f32> = (0..k * n)
        .map(|i| ((i * 53) % 97) as f32 / 48.0 - 1.0)
        .collect();
    let (oa, ob) = (Operand::new(&a, m, k), Operand::new(&b, k, n));
    let mut whole = vec![0.0; m * n];
    gemm(oa, ob, &mut whole, m, n);
    let mut pieces = vec![0.0; m * n];
    for from in (0..k).step_by(KERNEL_WHOLE_DEPTH) {
        let depth = KERNEL_WHOLE_DEPTH.min(k - from);
        let (pa, pb) = (oa.columns(from, depth), ob.rows(from, depth));
        if from == 0 {
            gemm(pa, pb, &mut pieces, m, n);
        } else {
            gemm_store(pa, pb, &mut pieces, m, n, Store::AddScaled(1.0));
        }
    }
    let differ = whole
        .iter()
        .zip(&pieces)
        .position(|(x, y)| x.to_bits() != y.to_bits());
    assert_eq!(differ, None);
}

/// A product shared between threads, cut by columns or by rows, has the
/// bits of the whole product on one thread, in both precisions, both
/// stores and all four ways of storing the operands; and the work done
/// after it (`then`) sees every column exactly once.
fn cut_products_have_the_bits_of_whole_ones<T: Float>() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let shapes = [
        (256, 100, 256), // the wide workload's products: columns
        (256, 256, 100),
        (128, 64, 32), // the digits workload's: rows
        (64, 128, 32),
        (130, 200, 300),
        (100, 300, 17),
        (17, 512, 100),
        (40, 70, 150),
        (48, 100, 33),
        (1, 256, 256), // a 1-unit output layer's products: the kernel's thin paths
        (256, 1, 256),
        (256, 2, 256),
        (1, 512, 100),
    ];
    for (m, k, n) in shapes {
        for threads in [2, 3] {
            assert_ne!(
                Cut::of(m, n, k, threads, false),
                Cut::Whole,
                "{m}×{k}×{n} is not cut"
            );
        }
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a: Vec<T> = (0..m * k)
                .map(|i| T::of(((i * 37 % 101) as f64 - 50.0) / 17.0))
                .collect();
            let b: Vec<T> = (0..k * n)
                .map(|i| T::of(((i * 53 % 97) as f64 - 48.0) / 13.0))
                .collect();
            let oa = if ta {
                Operand::new(&a, k, m).t()
            } else {
                Operand::new(&a, m, k)
            };
            let ob = if tb {
                Operand::new(&b, n, k).t()
            } else {
                Operand::new(&b, k, n)
            };
            for store in [Store::Set, Store::AddScaled(T::of(-0.3))] {
                let run = |threads: usize| {
                    let mut c: Vec<T> = (0..m * n).map(|i| T::of(i as f64 / 7.0)).collect();
                    let seen: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
                    let then = |from: usize, columns: &mut [T]| {
                        for (j, column) in columns.chunks_mut(m).enumerate() {
                            seen[from + j].fetch_add(1, Ordering::Relaxed);
                            column[0] += T::one();
                        }
                    };
                    set_threads(threads);
                    // With work after it the product is cut by columns
                    // first, without by rows first: both cuts, every shape.
                    let mut plain = c.clone();
                    gemm_then(oa, ob, &mut c, m, n, store, Some(&then));
                    gemm_store(oa, ob, &mut plain, m, n, store);
                    set_threads(1);
                    assert!(
                        seen.iter().all(|s| s.load(Ordering::Relaxed) == 1),
                        "{m}×{k}×{n}, {threads} threads: a column was not seen once"
                    );
                    c.iter()
                        .chain(&plain)
                        .map(|v| v.as_f64().to_bits())
                        .collect::<Vec<u64>>()
                };
                let whole = run(1);
                for threads in [2, 3] {
                    let differ = whole.iter().zip(run(threads)).position(|(x, y)| *x != y);
                    assert_eq!(
                        differ,
                        None,
                        "{m}×{k}×{n} ta={ta} tb={tb} {store:?}, {threads} threads, cut {:?}",
                        Cut::of(m, n, k, threads, false)
                    );
                }
            }
        }
    }
}

#[test]
fn cut_products_have_the_bits_of_whole_ones_f32() {
    cut_products_have_the_bits_of_whole_ones::<f32>();
}

#[test]
fn cut_products_have_the_bits_of_whole_ones_f64() {
    cut_products_have_the_bits_of_whole_ones::<f64>();
}

#[test]
fn cuts_give_every_thread_a_block_of_at_least_min_block() {
    for threads in 2..=4 {
        for length in 2 * MIN_BLOCK..600 {
            for cut in [
                Cut::of(8, length, 512, threads, false),
                Cut::of(length, 8, 512, threads, true),
            ] {
                let (size, blocks) = match cut {
                    Cut::Columns { width, blocks } => (width, blocks),
                    Cut::Rows { height, blocks } => (height, blocks),
                    Cut::Whole => panic!("{length} with {threads} threads: whole"),
                };
                assert_eq!(blocks, threads.min(length / MIN_BLOCK));
                let sizes: Vec<usize> = (0..blocks)
                    .map(|i| team::range(i, size, blocks, length).len())
                    .collect();
                assert_eq!(sizes.iter().sum::<usize>(), length);
                assert!(
                    sizes[..blocks - 1]
                        .iter()
                        .all(|&s| s == size && s % MIN_BLOCK == 0)
                );
                assert!(sizes.iter().all(|&s| s >= MIN_BLOCK), "{length}: {sizes:?}");
            }
        }
    }
}
