//! Numbers as people read them: short enough to scan, the same everywhere.
//! Full precision is the business of the result files, not of this module.

use super::words::trim_zeros;

/// Significant digits of `number`: enough to tell runs apart (0.8553 from
/// 0.8547), few enough that a table or a plot label stays readable.
const DIGITS: usize = 4;

/// Below this power of ten a number is written in scientific notation:
/// `0.001` still reads at a glance, `0.0000123` does not.
const SMALLEST_FIXED_EXPONENT: i32 = -3;

/// Above this power of ten (for `DIGITS` significant digits) a number is
/// written in scientific notation: `12346` is still read at a glance,
/// `123456789` is better as `1.235e8`.
const LARGEST_FIXED_EXPONENT: i32 = 4;

/// `x` to about four significant digits: `63.84`, `0.855`, `25`, `1.2e-4`,
/// `1.235e8`, `NaN`, `inf`, `-inf`. Trailing zeros are dropped, so a whole
/// number (an epoch, a count of units) reads as an integer.
pub fn number(x: f64) -> String {
    number_with(x, DIGITS)
}

/// `x` to `digits` significant digits, in scientific notation below 1e-3
/// and from 10^max(5, digits) on, so that no digit before the point is lost
/// to rounding (`trace` shows ten, so that a learner can redo its sums).
pub fn number_with(x: f64, digits: usize) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if x == 0.0 {
        // −0 too: a sign on nothing only puzzles.
        return "0".to_string();
    }
    let digits = digits.max(1);
    // Rounded first, so that 99999.7 counts as the 1e5 it is shown as.
    let scientific = format!("{:.*e}", digits - 1, x);
    let (mantissa, exponent) = scientific
        .split_once('e')
        .map_or((scientific.as_str(), 0), |(m, e)| {
            (m, e.parse().unwrap_or(0))
        });
    let largest = LARGEST_FIXED_EXPONENT.max(digits as i32 - 1);
    if (SMALLEST_FIXED_EXPONENT..=largest).contains(&exponent) {
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        trim_zeros(&format!("{x:.decimals$}")).to_string()
    } else {
        format!("{}e{exponent}", trim_zeros(mantissa))
    }
}

/// A difference, always signed, with a true minus sign as in print:
/// `+0.0129`, `−0.02`, `0`.
pub fn signed(d: f64) -> String {
    if d == 0.0 || d.is_nan() {
        return number(d);
    }
    let sign = if d > 0.0 { '+' } else { '−' };
    format!("{sign}{}", number(d.abs()))
}

/// A mean over `n` values with their standard deviation: `0.8553 ± 0.012`;
/// over one value there is no spread to show (`std` is None), so
/// `0.8553 (n = 1)`.
pub fn mean_std(mean: f64, std: Option<f64>, n: usize) -> String {
    match std {
        Some(std) if n > 1 => format!("{} ± {}", number(mean), number(std)),
        _ => format!("{} (n = {n})", number(mean)),
    }
}

/// "0.041 s", "12.3 s", "2 min 05 s", "1 h 02 min".
pub fn seconds(s: f64) -> String {
    if !s.is_finite() || s < 0.0 {
        return "—".to_string();
    }
    if s < 10.0 {
        let text = format!("{s:.3}");
        return format!("{} s", trim_zeros(&text));
    }
    if s < 60.0 {
        return format!("{s:.1} s");
    }
    let whole = s.round() as u64;
    if whole < 3600 {
        format!("{} min {:02} s", whole / 60, whole % 60)
    } else {
        format!("{} h {:02} min", whole / 3600, (whole % 3600) / 60)
    }
}

/// "845 bytes", "612.4 KB", "2.31 MB" (powers of 1000, as file managers show).
pub fn bytes(n: u64) -> String {
    if n < 1000 {
        format!("{n} bytes")
    } else if n < 1_000_000 {
        format!("{:.1} KB", n as f64 / 1e3)
    } else {
        format!("{:.2} MB", n as f64 / 1e6)
    }
}
