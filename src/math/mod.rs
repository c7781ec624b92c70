//! The transcendental functions synapse computes with: ln, ln(1 + x), eˣ,
//! sine, cosine, tanh, powers, hypot and log₁₀, all from the `libm` crate.
//!
//! The standard library's `f64::tanh`, `f64::ln`, `f64::powf` and the rest
//! (and nalgebra's methods of the same names) call the platform's C math
//! library, whose last bits differ between systems and their versions, so a
//! run's metrics.csv, model.json and predictions.csv could differ from
//! machine to machine. `libm` is a port of musl's math library to Rust,
//! compiled with the rest of the program: the same code, so the same bits,
//! on every platform and processor. clippy.toml forbids the standard
//! library's versions everywhere in the crate, so that none creeps back.
//!
//! What stays with the standard library is what IEEE 754 requires to be
//! correctly rounded, and so is the same everywhere already: square root
//! (RMSE, Box-Muller's radius, Adam's step) and fused multiply-add
//! (`mul_add`). eˣ inside the network is the project's own
//! (`exponential`, beside this file), which can be inlined into the activation
//! loops. Nothing here depends on the rest of synapse: the random streams
//! (`rng`), the network (`nn`) and the plots all take their functions from
//! this one leaf.

pub mod exponential;

/// The natural logarithm.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), accurate for x near 0.
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// log₁₀ x.
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// eˣ, where it need not be inlined (generators, sweeps, tests); the
/// network's own is `Float::exponential`.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// The sine of x radians.
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// The cosine of x radians.
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

/// The hyperbolic tangent.
#[inline]
pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}

/// xʸ, for any real y (whole y included: the standard library's `powi` is
/// documented to vary between platforms and even between calls).
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// √(x² + y²) without overflow on the way.
#[inline]
pub fn hypot(x: f64, y: f64) -> f64 {
    libm::hypot(x, y)
}

/// The f32 versions, for networks trained in single precision.
pub mod single {
    /// The natural logarithm.
    #[inline]
    pub fn ln(x: f32) -> f32 {
        libm::logf(x)
    }

    /// ln(1 + x), accurate for x near 0.
    #[inline]
    pub fn ln_1p(x: f32) -> f32 {
        libm::log1pf(x)
    }

    /// eˣ, as a reference for the network's own (`super::super::exponential`).
    #[inline]
    pub fn exp(x: f32) -> f32 {
        libm::expf(x)
    }

    /// The hyperbolic tangent.
    #[inline]
    pub fn tanh(x: f32) -> f32 {
        libm::tanhf(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values are musl's, bit for bit: if a `libm` update changed any of
    /// them, every result file would change with it, and the version must
    /// then be bumped (tests/golden/README.md).
    #[test]
    fn first_values_are_pinned() {
        let cases: [(&str, f64, u64); 9] = [
            ("ln", ln(0.3), 0xbff3_4378_fcbd_a721),
            ("ln_1p", ln_1p(1e-3), 0x3f50_6035_4f8c_3ebf),
            ("log10", log10(7.0), 0x3feb_0b0b_0b78_cc3f),
            ("exp", exp(-1.7), 0x3fc7_622c_78a9_8a07),
            ("sin", sin(2.5), 0x3fe3_26af_0dcf_cab0),
            ("cos", cos(2.5), 0xbfe9_a2f7_ef85_8b7d),
            ("tanh", tanh(0.37), 0x3fd6_a7cc_db09_3671),
            ("pow", pow(0.999, 1234.0), 0x3fd2_9edc_3254_efc2),
            ("hypot", hypot(3.0, 4.5), 0x4015_a220_7349_0377),
        ];
        for (name, value, bits) in cases {
            assert_eq!(value.to_bits(), bits, "{name}: {value:e}");
        }
        assert_eq!(single::tanh(0.37f32).to_bits(), 0x3eb5_3e67);
        assert_eq!(single::ln(0.3f32).to_bits(), 0xbf9a_1bc8);
        assert_eq!(single::ln_1p(1e-3f32).to_bits(), 0x3a83_01ab);
    }
}
