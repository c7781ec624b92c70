//! eˣ written out, so that it can be inlined and vectorized in the
//! activation loops, and gives the same bits on every platform (a system's
//! libm may differ between versions; reproducibility may not).
//!
//! Both follow Cephes (S. L. Moshier): x = n·ln 2 + r with |r| ≤ ln2/2, eʳ by
//! a polynomial (f32) or a rational function (f64), then the exponent n put
//! straight into the bits. Within two units in the last place (the tests
//! hold them to that); results too small for a normal number become 0, too
//! large +∞.
//!
//! The f32 polynomial is evaluated for the shortest chain of dependent
//! steps, by Estrin's scheme in fused multiply-adds: with one example at a
//! time, each layer's sigmoid waits for this chain, and the next layer for
//! the sigmoid. A fused multiply-add is rounded once, as IEEE 754 defines
//! it, so the bits are the same on every processor; one without the
//! instruction (a build for a generic x86-64) computes it in software,
//! slower but identical.

/// x rounded to the nearest whole number, for |x| < 2²², as a float and
/// as an integer (beyond that, some float and some integer, without
/// overflow). Adding 1.5·2²³ leaves the whole number in the low bits of
/// the sum, so neither needs a conversion instruction: plain SSE2 has no
/// rounding instruction, a call to the library's `roundf` would stop the
/// loop around it from vectorizing, and `as i32` (which saturates) is done
/// one value at a time.
#[inline]
fn round_f32(x: f32) -> (f32, i32) {
    const MAGIC: f32 = 12_582_912.0;
    let shifted = x + MAGIC;
    (
        shifted - MAGIC,
        shifted.to_bits().wrapping_sub(MAGIC.to_bits()) as i32,
    )
}

/// As `round_f32`, with 1.5·2⁵², for |x| < 2⁵¹.
#[inline]
fn round_f64(x: f64) -> (f64, i64) {
    const MAGIC: f64 = 6_755_399_441_055_744.0;
    let shifted = x + MAGIC;
    (
        shifted - MAGIC,
        shifted.to_bits().wrapping_sub(MAGIC.to_bits()) as i64,
    )
}

/// y, or 0 below `low` and +∞ above `high`, as two selects. A NaN needs
/// no case of its own: it makes every step above NaN, so y is NaN.
#[inline(always)]
fn saturate<T: PartialOrd>(x: T, y: T, low: T, high: T, zero: T, infinity: T) -> T {
    let y = if x > high { infinity } else { y };
    if x < low { zero } else { y }
}

/// eˣ in f32.
#[inline]
pub fn exp_f32(x: f32) -> f32 {
    const LOG2_E: f32 = std::f32::consts::LOG2_E;
    // ln 2 split in two, so that n·ln2 is subtracted exactly.
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // Beyond these the result leaves the normal range (n outside −126..=127).
    const LOW: f32 = -87.33;
    const HIGH: f32 = 88.02;
    // No clamping on the way: outside [LOW, HIGH] the steps below give
    // some value, which the selection at the end replaces.
    let (n, whole) = round_f32(x * LOG2_E);
    let r = (-n).mul_add(LN2_LO, (-n).mul_add(LN2_HI, x));
    // eʳ ≈ Σ cᵢ·rⁱ for i = 0..=7 (Cephes' coefficients, with c₀ = c₁ = 1):
    // four independent pairs cᵢ + cᵢ₊₁·r, joined by r² and then r⁴, so that
    // the chain is three multiply-adds long where Horner's is seven. Against
    // Cephes' own 1 + r + r²·q(r): 0.0015% of results 2 units in the last
    // place off, none before (an exhaustive run over every f32 in [LOW,
    // HIGH]), for a heart epoch 3% shorter (measured).
    let r2 = r * r;
    let r4 = r2 * r2;
    let p01 = r + 1.0;
    let p23 = 1.666_666_5e-1f32.mul_add(r, 5e-1);
    let p45 = 8.333_452e-3f32.mul_add(r, 4.166_579_6e-2);
    let p67 = 1.987_569_2e-4f32.mul_add(r, 1.398_199_9e-3);
    let er = r4.mul_add(r2.mul_add(p67, p45), r2.mul_add(p23, p01));
    let scale = f32::from_bits((whole.wrapping_add(127) as u32) << 23);
    let y = er * scale;
    saturate(x, y, LOW, HIGH, 0.0, f32::INFINITY)
}

/// eˣ in f64.
#[inline]
pub fn exp_f64(x: f64) -> f64 {
    const LOG2_E: f64 = std::f64::consts::LOG2_E;
    const C1: f64 = 6.931_457_519_531_25e-1;
    const C2: f64 = 1.428_606_820_309_417_3e-6;
    const LOW: f64 = -708.39;
    const HIGH: f64 = 709.08;
    const P: [f64; 3] = [1.261_771_930_748_105_8e-4, 3.029_944_077_074_419_5e-2, 1.0];
    const Q: [f64; 4] = [
        3.001_985_051_386_644_6e-6,
        2.524_483_403_496_841e-3,
        2.272_655_482_081_550_3e-1,
        2.000_000_000_000_000_000_1,
    ];
    // Clamped, unlike f32's: f64 runs are not the ones raced against the
    // clock, and the clamp keeps every step below in range.
    let clamped = x.clamp(LOW, HIGH);
    let (n, whole) = round_f64(clamped * LOG2_E);
    let r = clamped - n * C1 - n * C2;
    let rr = r * r;
    let px = r * ((P[0] * rr + P[1]) * rr + P[2]);
    let qx = ((Q[0] * rr + Q[1]) * rr + Q[2]) * rr + Q[3];
    let er = 1.0 + 2.0 * (px / (qx - px));
    let scale = f64::from_bits(((whole + 1023) as u64) << 52);
    let y = er * scale;
    saturate(x, y, LOW, HIGH, 0.0, f64::INFINITY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math;

    fn ulps_f32(a: f32, b: f32) -> u32 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs() as u32
    }

    fn ulps_f64(a: f64, b: f64) -> u64 {
        (a.to_bits() as i128 - b.to_bits() as i128).unsigned_abs() as u64
    }

    #[test]
    fn f32_agrees_with_musl_within_two_units_in_the_last_place() {
        let mut worst = 0;
        for i in -870_000..=880_000 {
            let x = i as f32 * 1e-4;
            worst = worst.max(ulps_f32(exp_f32(x), math::single::exp(x)));
        }
        assert!(worst <= 2, "{worst} ulps");
    }

    #[test]
    fn f64_agrees_with_musl_within_two_units_in_the_last_place() {
        let mut worst = 0;
        for i in -700_000..=700_000 {
            let x = i as f64 * 1.0003e-3;
            worst = worst.max(ulps_f64(exp_f64(x), math::exp(x)));
        }
        assert!(worst <= 2, "{worst} ulps");
    }

    /// Far outside the range the steps give garbage, which the selection at
    /// the end must replace (and no integer step may overflow on the way).
    #[test]
    fn arguments_of_any_size_give_zero_or_infinity() {
        for x in [
            f32::MIN,
            -1e30,
            -3e9,
            -1e6,
            -88.5,
            -87.34,
            f32::NEG_INFINITY,
        ] {
            assert_eq!(exp_f32(x), 0.0, "{x}");
        }
        for x in [88.03, 89.0, 1e6, 3e9, 1e30, f32::MAX, f32::INFINITY] {
            assert_eq!(exp_f32(x), f32::INFINITY, "{x}");
        }
        for x in [f64::MIN, -1e300, -1e20, -708.4, f64::NEG_INFINITY] {
            assert_eq!(exp_f64(x), 0.0, "{x}");
        }
        for x in [709.1, 1e20, 1e300, f64::MAX, f64::INFINITY] {
            assert_eq!(exp_f64(x), f64::INFINITY, "{x}");
        }
    }

    #[test]
    fn extremes_go_to_zero_infinity_and_nan() {
        assert_eq!(exp_f32(-1000.0), 0.0);
        assert_eq!(exp_f32(1000.0), f32::INFINITY);
        assert!(exp_f32(f32::NAN).is_nan());
        assert_eq!(exp_f64(-1e6), 0.0);
        assert_eq!(exp_f64(f64::INFINITY), f64::INFINITY);
        assert!(exp_f64(f64::NAN).is_nan());
        assert_eq!(exp_f32(0.0), 1.0);
        assert_eq!(exp_f64(0.0), 1.0);
    }
}
