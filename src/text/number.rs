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
    render(x, digits, Zeros::Trim)
}

/// Whether trailing zeros of a fraction are shown: dropped for a number on
/// its own (`0.5`), kept where they say where the rounding happened
/// (`0.860 ± 0.025`).
#[derive(Clone, Copy, PartialEq)]
enum Zeros {
    Trim,
    Keep,
}

fn render(x: f64, digits: usize, zeros: Zeros) -> String {
    if let Some(text) = special(x) {
        return text;
    }
    let digits = digits.max(1);
    // Rounded first, so that 99999.7 counts as the 1e5 it is shown as.
    let scientific = format!("{:.*e}", digits - 1, x);
    let (mantissa, exponent) = split_exponent(&scientific);
    let largest = LARGEST_FIXED_EXPONENT.max(digits as i32 - 1);
    let trim = |text: &str| match zeros {
        Zeros::Trim => trim_zeros(text).to_string(),
        Zeros::Keep => text.to_string(),
    };
    if (SMALLEST_FIXED_EXPONENT..=largest).contains(&exponent) {
        let decimals = digits as i32 - 1 - exponent;
        if decimals < 0 && zeros == Zeros::Keep {
            // A mean beside a deviation of hundreds ends where the
            // deviation does: 1234.5 ± 560 is 1230 ± 560. (On its own a
            // whole number keeps its digits: 12346, not 12350.)
            let rounded: f64 = scientific.parse().unwrap_or(x);
            return format!("{rounded:.0}");
        }
        trim(&format!("{x:.*}", decimals.max(0) as usize))
    } else {
        format!("{}e{exponent}", trim(mantissa))
    }
}

/// The words for what is not an ordinary number, and `0` for zero: −0 too,
/// as a sign on nothing only puzzles.
fn special(x: f64) -> Option<String> {
    if x.is_nan() {
        Some("NaN".to_string())
    } else if x.is_infinite() {
        Some(if x > 0.0 { "inf" } else { "-inf" }.to_string())
    } else if x == 0.0 {
        Some("0".to_string())
    } else {
        None
    }
}

/// `1.235e8` as ("1.235", 8), from Rust's `{:e}`, which always writes one.
fn split_exponent(scientific: &str) -> (&str, i32) {
    scientific
        .split_once('e')
        .map_or((scientific, 0), |(m, e)| (m, e.parse().unwrap_or(0)))
}

/// The power of ten of `x`'s first digit, before any rounding.
fn exponent(x: f64) -> i32 {
    split_exponent(&format!("{x:e}")).1
}

/// Whole numbers below this are written out in full by `integer`: every
/// one of them is exact in an f64.
const LARGEST_WRITTEN_INTEGER: f64 = 1e15;

/// A value known to be a whole number (an epoch, a count of units, a batch
/// size) in full: `25`, `120000`, `-3`. Anything else, or a whole number
/// too large to be exact, as `number` shows it.
pub fn integer(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < LARGEST_WRITTEN_INTEGER {
        if x == 0.0 {
            return "0".to_string();
        }
        format!("{x:.0}")
    } else {
        number(x)
    }
}

/// `x` exactly as an f64 holds it, in the fewest digits that read back as
/// the same number, with `number`'s notation: `0.99999`, `1e300`, `-2.5e-7`.
/// For messages that quote a value someone wrote, where rounding could turn
/// the 0.99999 that a rule refuses into the 1 that it allows.
pub fn exact(x: f64) -> String {
    match special(x) {
        Some(text) => text,
        // Rust's `{:e}` and `{}` both write the shortest digits that read back.
        None => shortest(&format!("{x:e}"), &format!("{x}")),
    }
}

/// `exact` for an f32 (a run in f32 precision): the fewest digits that read
/// back as the same f32, `0.1` rather than the f64 `0.10000000149011612`.
pub fn exact_f32(x: f32) -> String {
    match special(f64::from(x)) {
        Some(text) => text,
        None => shortest(&format!("{x:e}"), &format!("{x}")),
    }
}

/// The shortest digits of a number, given in both notations, in `number`'s
/// notation for its size.
fn shortest(scientific: &str, fixed: &str) -> String {
    let (mantissa, exponent) = split_exponent(scientific);
    let digits = mantissa.chars().filter(char::is_ascii_digit).count() as i32;
    if (SMALLEST_FIXED_EXPONENT..=LARGEST_FIXED_EXPONENT.max(digits - 1)).contains(&exponent) {
        fixed.to_string()
    } else {
        scientific.to_string()
    }
}

/// Labels for the values of one setting (the learning rates a random
/// search drew): each value with as few significant digits as tell the
/// different values apart, never fewer than 3, the same count for all. So
/// `0.001, 0.0012, 0.0013` read as written, `0.12345, 0.12346` need five
/// digits, and the `0.0012282423551856284` a draw gives reads `0.00123`.
pub fn labels(values: &[f64]) -> Vec<String> {
    let distinct = |labels: &[String]| {
        values.iter().zip(labels).all(|(a, label_a)| {
            values
                .iter()
                .zip(labels)
                .all(|(b, label_b)| label_a != label_b || a.total_cmp(b).is_eq() || a == b)
        })
    };
    for digits in LABEL_DIGITS..MAX_DIGITS {
        let labels: Vec<String> = values.iter().map(|&v| number_with(v, digits)).collect();
        if distinct(&labels) {
            return labels;
        }
    }
    values.iter().map(|&v| exact(v)).collect()
}

/// The fewest significant digits of a label: two values that agree in
/// three digits are nearly the same setting, but two digits hide too much.
const LABEL_DIGITS: usize = 3;

/// Seventeen significant digits tell any two f64 apart.
const MAX_DIGITS: usize = 17;

/// A difference, always signed, with a true minus sign as in print:
/// `+0.0129`, `−0.02`, `0`.
pub fn signed(d: f64) -> String {
    if d == 0.0 || d.is_nan() {
        return number(d);
    }
    let sign = if d > 0.0 { '+' } else { '−' };
    format!("{sign}{}", number(d.abs()))
}

/// A mean over `n` values with their standard deviation. The deviation
/// is rounded to two significant digits and the mean to the same decimal
/// place (at most four significant digits, at least one), zeros kept so
/// that both visibly end at the same place: `0.0957 ± 0.0021`,
/// `0.860 ± 0.025`, `1230 ± 560`. Over one value there is no spread to show
/// (`std` is None): `0.8553 (n = 1)`. Equal values (no spread beyond the
/// rounding noise of their mean) show no `± 0`: `25` for whole numbers,
/// `0.8553 ± 0` otherwise.
pub fn mean_std(mean: f64, std: Option<f64>, n: usize) -> String {
    let std = match std {
        Some(std) if n > 1 => std,
        _ => return format!("{} (n = {n})", number(mean)),
    };
    if !mean.is_finite() || !std.is_finite() {
        return format!("{} ± {}", number(mean), number(std));
    }
    if std <= mean.abs() * ROUNDING_NOISE {
        return if mean.fract() == 0.0 {
            integer(mean)
        } else {
            format!("{} ± 0", number(mean))
        };
    }
    let spread = render(std, 2, Zeros::Keep);
    // The power of ten of the deviation's second (last) digit, after rounding.
    let place = split_exponent(&format!("{std:.1e}")).1 - 1;
    let digits = (exponent(mean) - place + 1).clamp(1, DIGITS as i32) as usize;
    let rounded = format!("{:.*e}", digits - 1, mean);
    let shown = if split_exponent(&rounded).1 > exponent(mean) {
        // 0.09996 to the place of 0.0021 is 0.1000: rounding up to the next
        // power of ten adds a digit at the front, and the place stays.
        render(rounded.parse().unwrap_or(mean), digits + 1, Zeros::Keep)
    } else {
        render(mean, digits, Zeros::Keep)
    };
    format!("{shown} ± {spread}")
}

/// A deviation this small against its mean is the rounding of the mean's
/// sum (three runs of 0.1 average to 0.10000000000000002), not a spread.
const ROUNDING_NOISE: f64 = 1e-12;

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
