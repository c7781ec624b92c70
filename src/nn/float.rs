//! The float types the numeric core runs in (`precision = "f32" | "f64"`).

use std::fmt::{Debug, Display};

use nalgebra::RealField;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// f32 or f64, with the matrix product each one uses.
pub trait Float:
    RealField + Copy + Default + Debug + Display + Serialize + DeserializeOwned + Send + Sync + 'static
{
    fn of(value: f64) -> Self;
    fn as_f64(self) -> f64;
    /// eˣ, inlinable and the same on every platform (see `exponential`).
    fn exponential(self) -> Self;
    /// tanh, the same on every platform (see `math`).
    fn hyperbolic_tangent(self) -> Self;
    /// The natural logarithm, the same on every platform (see `math`).
    fn natural_log(self) -> Self;
    /// ln(1 + x), the same on every platform (see `math`).
    fn natural_log_1p(self) -> Self;

    /// C ← A·B on strided storage, by the `gemm` crate's kernel; or, with
    /// `add_scaled` = Some(f), C ← C + f·A·B, each element rounded once.
    ///
    /// # Safety
    /// The pointers and strides must describe valid m×k, k×n and m×n
    /// matrices, and C must not overlap A or B.
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemm_kernel(
        m: usize,
        k: usize,
        n: usize,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        c: *mut Self,
        rsc: isize,
        csc: isize,
        add_scaled: Option<Self>,
    );
}

impl Float for f64 {
    fn of(value: f64) -> Self {
        value
    }

    fn as_f64(self) -> f64 {
        self
    }

    #[inline]
    fn exponential(self) -> f64 {
        super::exponential::exp_f64(self)
    }

    #[inline]
    fn hyperbolic_tangent(self) -> f64 {
        super::math::tanh(self)
    }

    #[inline]
    fn natural_log(self) -> f64 {
        super::math::ln(self)
    }

    #[inline]
    fn natural_log_1p(self) -> f64 {
        super::math::ln_1p(self)
    }

    unsafe fn gemm_kernel(
        m: usize,
        k: usize,
        n: usize,
        a: *const f64,
        rsa: isize,
        csa: isize,
        b: *const f64,
        rsb: isize,
        csb: isize,
        c: *mut f64,
        rsc: isize,
        csc: isize,
        add_scaled: Option<Self>,
    ) {
        // SAFETY: forwarded from the caller's contract.
        unsafe { kernel(m, k, n, a, rsa, csa, b, rsb, csb, c, rsc, csc, add_scaled) }
    }
}

impl Float for f32 {
    fn of(value: f64) -> Self {
        value as f32
    }

    fn as_f64(self) -> f64 {
        self as f64
    }

    #[inline]
    fn exponential(self) -> f32 {
        super::exponential::exp_f32(self)
    }

    #[inline]
    fn hyperbolic_tangent(self) -> f32 {
        super::math::single::tanh(self)
    }

    #[inline]
    fn natural_log(self) -> f32 {
        super::math::single::ln(self)
    }

    #[inline]
    fn natural_log_1p(self) -> f32 {
        super::math::single::ln_1p(self)
    }

    unsafe fn gemm_kernel(
        m: usize,
        k: usize,
        n: usize,
        a: *const f32,
        rsa: isize,
        csa: isize,
        b: *const f32,
        rsb: isize,
        csb: isize,
        c: *mut f32,
        rsc: isize,
        csc: isize,
        add_scaled: Option<Self>,
    ) {
        // SAFETY: forwarded from the caller's contract.
        unsafe { kernel(m, k, n, a, rsa, csa, b, rsb, csb, c, rsc, csc, add_scaled) }
    }
}

/// The `gemm` crate's product, single-threaded: its kernels use AVX-512 or
/// AVX2 where the processor has them and pack small matrices cheaply, which
/// the `matrixmultiply` kernel behind nalgebra does not.
///
/// # Safety
/// As `Float::gemm_kernel`.
#[allow(clippy::too_many_arguments)]
unsafe fn kernel<T: Float>(
    m: usize,
    k: usize,
    n: usize,
    a: *const T,
    rsa: isize,
    csa: isize,
    b: *const T,
    rsb: isize,
    csb: isize,
    c: *mut T,
    rsc: isize,
    csc: isize,
    add_scaled: Option<T>,
) {
    // gemm computes dst ← α·dst + β·lhs·rhs. Not reading the destination
    // gives dst ← 1·lhs·rhs; reading it with α = 1 gives dst + β·lhs·rhs,
    // which its kernels round once, as a fused multiply-add.
    let (read_dst, beta) = match add_scaled {
        None => (false, T::one()),
        Some(factor) => (true, factor),
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c,
            csc,
            rsc,
            read_dst,
            a,
            csa,
            rsa,
            b,
            csb,
            rsb,
            T::one(),
            beta,
            false,
            false,
            false,
            gemm::Parallelism::None,
        )
    }
}
