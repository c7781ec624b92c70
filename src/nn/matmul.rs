//! Matrix products on column-major slices, without allocation.
//!
//! nalgebra's own products take a slow path for transposed operands and for
//! any dimension of 5 or less (the 1-unit output layer, 3-input heart data),
//! and its small-shape path misreads strided views (dimforge/nalgebra#1616).
//! So the network calls this instead: small products run a plain loop,
//! larger ones the `matrixmultiply` kernel, both on nalgebra's storage.

use super::float::Float;

/// A column-major matrix in a slice, optionally read transposed.
#[derive(Clone, Copy)]
pub struct Operand<'a, T> {
    pub data: &'a [T],
    /// Rows and columns of the stored matrix.
    pub rows: usize,
    pub cols: usize,
    pub transposed: bool,
}

impl<'a, T> Operand<'a, T> {
    pub fn new(data: &'a [T], rows: usize, cols: usize) -> Self {
        debug_assert!(data.len() >= rows * cols);
        Operand {
            data,
            rows,
            cols,
            transposed: false,
        }
    }

    pub fn t(self) -> Self {
        Operand {
            transposed: !self.transposed,
            ..self
        }
    }

    /// Rows and columns as used in the product.
    fn shape(&self) -> (usize, usize) {
        if self.transposed {
            (self.cols, self.rows)
        } else {
            (self.rows, self.cols)
        }
    }

    /// Row and column strides as used in the product.
    fn strides(&self) -> (usize, usize) {
        if self.transposed {
            (self.rows, 1)
        } else {
            (1, self.rows)
        }
    }
}

/// Below this many multiply-adds the kernel's packing costs more than it saves.
const SMALL_PRODUCT: usize = 4096;

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
    let (am, k) = a.shape();
    let (bk, bn) = b.shape();
    assert!(
        am == m && bk == k && bn == n,
        "matrix shapes do not match: ({am}×{k})·({bk}×{bn}) into {m}×{n}"
    );
    assert!(c.len() >= m * n && a.data.len() >= a.rows * a.cols && b.data.len() >= b.rows * b.cols);
    if m == 0 || n == 0 {
        return;
    }
    if m * n * k < SMALL_PRODUCT {
        small_gemm(alpha, a, b, beta, c, m, n, k);
    } else {
        let (rsa, csa) = a.strides();
        let (rsb, csb) = b.strides();
        // SAFETY: the asserts above check that every operand holds its
        // matrix; `c` is a distinct mutable slice, so it overlaps neither.
        unsafe {
            T::gemm_kernel(
                m,
                k,
                n,
                alpha,
                a.data.as_ptr(),
                rsa as isize,
                csa as isize,
                b.data.as_ptr(),
                rsb as isize,
                csb as isize,
                beta,
                c.as_mut_ptr(),
                1,
                m as isize,
            )
        }
    }
}

/// Plain loops for products too small for a kernel, laid out so that the
/// inner loop runs over contiguous memory: columns of A for A·B, rows of Aᵀ
/// (stored columns) for Aᵀ·B. Each sum runs in index order.
#[allow(clippy::too_many_arguments)]
fn small_gemm<T: Float>(alpha: T, a: Operand<'_, T>, b: Operand<'_, T>, beta: T, c: &mut [T], m: usize, n: usize, k: usize) {
    let zero = T::zero();
    let (rsb, csb) = b.strides();
    let b_at = |p: usize, j: usize| b.data[p * rsb + j * csb];
    for (j, column) in c.chunks_exact_mut(m).take(n).enumerate() {
        if a.transposed {
            // C[i, j] = α Σ_p Aᵀ[i, p] B[p, j], with Aᵀ's row i stored contiguously.
            for (i, out) in column.iter_mut().enumerate() {
                let row = &a.data[i * k..(i + 1) * k];
                let dot = if b.transposed {
                    row.iter().enumerate().fold(zero, |s, (p, &x)| s + x * b_at(p, j))
                } else {
                    let b_column = &b.data[j * k..(j + 1) * k];
                    row.iter().zip(b_column).fold(zero, |s, (&x, &y)| s + x * y)
                };
                *out = if beta == zero { alpha * dot } else { beta * *out + alpha * dot };
            }
        } else {
            // C[:, j] = β C[:, j] + Σ_p (α B[p, j]) A[:, p], one column of A at a time.
            let mut first = 0;
            if beta == zero {
                match k {
                    0 => column.fill(zero),
                    _ => {
                        let factor = alpha * b_at(0, j);
                        for (x, &y) in column.iter_mut().zip(&a.data[..m]) {
                            *x = y * factor;
                        }
                        first = 1;
                    }
                }
            } else if beta != T::one() {
                column.iter_mut().for_each(|x| *x *= beta);
            }
            for p in first..k {
                let factor = alpha * b_at(p, j);
                for (x, &y) in column.iter_mut().zip(&a.data[p * m..(p + 1) * m]) {
                    *x += y * factor;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;

    use super::*;

    fn check(m: usize, k: usize, n: usize, ta: bool, tb: bool) {
        let a_rows = if ta { k } else { m };
        let a_cols = if ta { m } else { k };
        let b_rows = if tb { n } else { k };
        let b_cols = if tb { k } else { n };
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
        gemm(2.0, oa, ob, 0.5, c.as_mut_slice(), m, n);
        assert!(
            (c - expected).abs().max() < 1e-9,
            "m={m} k={k} n={n} ta={ta} tb={tb}"
        );
    }

    #[test]
    fn products_match_nalgebra_for_small_and_large_shapes_and_transposes() {
        for (m, k, n) in [
            (1, 1, 1),
            (8, 3, 1),
            (1, 8, 1),
            (3, 8, 5),
            (64, 48, 32),
            (100, 256, 17),
        ] {
            for ta in [false, true] {
                for tb in [false, true] {
                    check(m, k, n, ta, tb);
                }
            }
        }
    }
}
