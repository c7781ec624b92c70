//! Matrix products on column-major slices, without allocation.
//!
//! nalgebra's own products take a slow path for transposed operands and for
//! any dimension of 5 or less (the 1-unit output layer, 3-input heart data),
//! and its small-shape path misreads strided views (dimforge/nalgebra#1616).
//! So the network calls this instead, on nalgebra's storage: small products
//! run plain loops, larger ones the `gemm` crate's kernel (see `Float`).
//!
//! Threads never change a result. A large product is always cut into the
//! same blocks of output columns, whatever the thread count; each output
//! element is one sum, computed whole inside one block, so using one thread
//! or several only changes who computes a block, never how.

use std::cell::Cell;

use rayon::prelude::*;

use super::float::Float;

/// A matrix view: `rows × cols`, element (i, j) at `data[i * rs + j * cs]`.
#[derive(Clone, Copy)]
pub struct Operand<'a, T> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    rs: usize,
    cs: usize,
}

impl<'a, T> Operand<'a, T> {
    /// A column-major matrix stored in `data`.
    pub fn new(data: &'a [T], rows: usize, cols: usize) -> Self {
        assert!(
            data.len() >= rows * cols,
            "{} values cannot hold a {rows}×{cols} matrix",
            data.len()
        );
        Operand {
            data,
            rows,
            cols,
            rs: 1,
            cs: rows,
        }
    }

    /// The transpose, without copying.
    pub fn t(self) -> Self {
        Operand {
            rows: self.cols,
            cols: self.rows,
            rs: self.cs,
            cs: self.rs,
            ..self
        }
    }

    /// Columns `from..from + count`, without copying.
    fn columns(self, from: usize, count: usize) -> Self {
        let offset = (from * self.cs).min(self.data.len());
        Operand {
            data: &self.data[offset..],
            cols: count,
            ..self
        }
    }

    fn at(&self, i: usize, j: usize) -> T
    where
        T: Copy,
    {
        self.data[i * self.rs + j * self.cs]
    }

    /// Whether the view's last element lies inside `data`.
    fn fits(&self) -> bool {
        self.rows == 0
            || self.cols == 0
            || (self.rows - 1) * self.rs + (self.cols - 1) * self.cs < self.data.len()
    }
}

/// Below this many multiply-adds the kernel's packing costs more than it saves.
const SMALL_PRODUCT: usize = 4096;
/// From this many multiply-adds a product is cut into column blocks.
const BLOCKED_PRODUCT: usize = 1 << 18;
/// Output columns per block: wide enough for the kernel to run at speed.
const BLOCK_COLUMNS: usize = 128;

thread_local! {
    /// Threads a product may use, for the run on this thread (`--threads`).
    static THREADS: Cell<usize> = const { Cell::new(1) };
    /// Whether this thread is inside the `gemm` kernel, which allocates its
    /// packing buffers on each call (see `inside_kernel`).
    static IN_KERNEL: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is inside the matrix kernel. The kernel of the
/// `gemm` crate allocates scratch space for packing on every call; the
/// allocation test uses this to tell those from allocations of synapse's own.
pub fn inside_kernel() -> bool {
    IN_KERNEL.with(Cell::get)
}

/// Lets the products made on this thread use `threads` threads of the
/// current rayon pool.
pub fn set_threads(threads: usize) {
    THREADS.with(|t| t.set(threads.max(1)));
}

/// C (m×n, column-major in `c`) ← α·A·B + β·C.
pub fn gemm<T: Float>(
    alpha: T,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    beta: T,
    c: &mut [T],
    m: usize,
    n: usize,
) {
    let k = a.cols;
    assert!(
        a.rows == m && b.rows == k && b.cols == n && c.len() >= m * n && a.fits() && b.fits(),
        "matrix shapes do not match: ({}×{})·({}×{}) into {m}×{n}",
        a.rows,
        a.cols,
        b.rows,
        b.cols
    );
    if m == 0 || n == 0 {
        return;
    }
    let c = &mut c[..m * n];
    if m * n * k < SMALL_PRODUCT {
        small_gemm(alpha, a, b, beta, c, m, n);
    } else if m * n * k < BLOCKED_PRODUCT || n <= BLOCK_COLUMNS {
        kernel_gemm(alpha, a, b, beta, c, m, n);
    } else {
        let block = |(index, c_block): (usize, &mut [T])| {
            let from = index * BLOCK_COLUMNS;
            let count = c_block.len() / m;
            kernel_gemm(alpha, a, b.columns(from, count), beta, c_block, m, count);
        };
        if THREADS.with(Cell::get) > 1 {
            c.par_chunks_mut(m * BLOCK_COLUMNS)
                .enumerate()
                .for_each(block);
        } else {
            c.chunks_mut(m * BLOCK_COLUMNS).enumerate().for_each(block);
        }
    }
}

fn kernel_gemm<T: Float>(
    alpha: T,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    beta: T,
    c: &mut [T],
    m: usize,
    n: usize,
) {
    IN_KERNEL.with(|k| k.set(true));
    // SAFETY: `gemm` checked that both views lie inside their slices and
    // that `c` holds m×n values; `c` is a distinct mutable slice, so it
    // overlaps neither operand.
    unsafe {
        T::gemm_kernel(
            m,
            a.cols,
            n,
            alpha,
            a.data.as_ptr(),
            a.rs as isize,
            a.cs as isize,
            b.data.as_ptr(),
            b.rs as isize,
            b.cs as isize,
            beta,
            c.as_mut_ptr(),
            1,
            m as isize,
        )
    }
    IN_KERNEL.with(|k| k.set(false));
}

/// Plain loops for products too small for a kernel, laid out so that the
/// inner loop runs over contiguous memory: columns of A where they are
/// contiguous (A·B), rows of A where those are (Aᵀ·B). Each sum runs in
/// index order.
fn small_gemm<T: Float>(
    alpha: T,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    beta: T,
    c: &mut [T],
    m: usize,
    n: usize,
) {
    let zero = T::zero();
    let k = a.cols;
    for (j, column) in c.chunks_exact_mut(m).take(n).enumerate() {
        if a.rs != 1 && a.cs == 1 {
            // C[i, j] = α Σ_p A[i, p] B[p, j], with A's row i contiguous.
            for (i, out) in column.iter_mut().enumerate() {
                let row = &a.data[i * a.rs..i * a.rs + k];
                let dot = if b.rs == 1 {
                    let b_column = &b.data[j * b.cs..j * b.cs + k];
                    row.iter().zip(b_column).fold(zero, |s, (&x, &y)| s + x * y)
                } else {
                    row.iter()
                        .enumerate()
                        .fold(zero, |s, (p, &x)| s + x * b.at(p, j))
                };
                *out = if beta == zero {
                    alpha * dot
                } else {
                    beta * *out + alpha * dot
                };
            }
        } else {
            // C[:, j] = β C[:, j] + Σ_p (α B[p, j]) A[:, p], one column of A at a time.
            let mut first = 0;
            if beta == zero && k > 0 && a.rs == 1 {
                // The first column is written rather than added to zeros.
                let factor = alpha * b.at(0, j);
                for (x, &y) in column.iter_mut().zip(&a.data[..m]) {
                    *x = y * factor;
                }
                first = 1;
            } else if beta == zero {
                column.fill(zero);
            } else if beta != T::one() {
                column.iter_mut().for_each(|x| *x *= beta);
            }
            for p in first..k {
                let factor = alpha * b.at(p, j);
                if a.rs == 1 {
                    for (x, &y) in column.iter_mut().zip(&a.data[p * a.cs..p * a.cs + m]) {
                        *x += y * factor;
                    }
                } else {
                    for (i, x) in column.iter_mut().enumerate() {
                        *x += a.at(i, p) * factor;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;

    use super::*;

    fn check(m: usize, k: usize, n: usize, ta: bool, tb: bool, threads: usize) {
        let (a_rows, a_cols) = if ta { (k, m) } else { (m, k) };
        let (b_rows, b_cols) = if tb { (n, k) } else { (k, n) };
        let a = DMatrix::<f64>::from_fn(a_rows, a_cols, |i, j| (i * 7 + j * 3) as f64 * 0.1 - 1.0);
        let b =
            DMatrix::<f64>::from_fn(b_rows, b_cols, |i, j| (i * 5 + j * 11) as f64 * 0.05 - 0.5);
        let c0 = DMatrix::<f64>::from_fn(m, n, |i, j| (i + j) as f64);
        let a_used = if ta { a.transpose() } else { a.clone() };
        let b_used = if tb { b.transpose() } else { b.clone() };
        let expected = &a_used * &b_used * 2.0 + &c0 * 0.5;
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
        gemm(2.0, oa, ob, 0.5, c.as_mut_slice(), m, n);
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
        ] {
            for ta in [false, true] {
                for tb in [false, true] {
                    check(m, k, n, ta, tb, 1);
                    check(m, k, n, ta, tb, 2);
                }
            }
        }
    }

    #[test]
    fn the_thread_count_never_changes_a_bit() {
        let (m, k, n) = (130, 200, 300);
        let a: Vec<f32> = (0..m * k)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 17.0)
            .collect();
        let b: Vec<f32> = (0..k * n)
            .map(|i| ((i * 53 % 97) as f32 - 48.0) / 13.0)
            .collect();
        let run = |threads: usize| {
            let mut c = vec![0.0f32; m * n];
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a pool");
            pool.install(|| {
                set_threads(threads);
                gemm(
                    1.0,
                    Operand::new(&a, m, k),
                    Operand::new(&b, k, n),
                    0.0,
                    &mut c,
                    m,
                    n,
                );
                set_threads(1);
            });
            c
        };
        let one = run(1);
        let two = run(2);
        assert!(
            one.iter()
                .zip(&two)
                .all(|(x, y)| x.to_bits() == y.to_bits())
        );
    }
}
