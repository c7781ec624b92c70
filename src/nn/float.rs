//! The float types the numeric core runs in (`precision = "f32" | "f64"`).

use std::fmt::{Debug, Display};

use nalgebra::RealField;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// f32 or f64.
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
        crate::math::exponential::exp_f64(self)
    }

    #[inline]
    fn hyperbolic_tangent(self) -> f64 {
        crate::math::tanh(self)
    }

    #[inline]
    fn natural_log(self) -> f64 {
        crate::math::ln(self)
    }

    #[inline]
    fn natural_log_1p(self) -> f64 {
        crate::math::ln_1p(self)
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
        crate::math::exponential::exp_f32(self)
    }

    #[inline]
    fn hyperbolic_tangent(self) -> f32 {
        crate::math::single::tanh(self)
    }

    #[inline]
    fn natural_log(self) -> f32 {
        crate::math::single::ln(self)
    }

    #[inline]
    fn natural_log_1p(self) -> f32 {
        crate::math::single::ln_1p(self)
    }
}
