//! Axis ranges, tick positions and tick labels, linear and logarithmic.
//! Chosen here rather than by plotters: its own float ticks can assert on
//! odd ranges, and log axes need labels it does not make.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// Smallest axis span, so that tick steps never underflow.
const MIN_SPAN: f64 = 1e-200;

#[derive(Clone, Copy)]
pub(super) struct Extent {
    pub(super) min: f64,
    pub(super) max: f64,
}

impl Default for Extent {
    fn default() -> Self {
        Extent {
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Extent {
    pub(super) fn add(&mut self, v: f64) {
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.min > self.max
    }
}

/// Widens `[min, max]` by `margin` of its span on each side. A flat range is
/// centred instead: `flat_half` either side when given (non-zero), else 10 %
/// of the value, else 1.
pub(super) fn padded(min: f64, max: f64, margin: f64, flat_half: f64) -> (f64, f64) {
    let span = max - min;
    let center = min / 2.0 + max / 2.0;
    if span > center.abs() * 1e-9 && span > MIN_SPAN {
        let pad = span * margin;
        return (min - pad, max + pad);
    }
    let half = if flat_half > 0.0 {
        flat_half
    } else if center != 0.0 {
        (center.abs() * 0.1).max(MIN_SPAN)
    } else {
        1.0
    };
    (center - half, center + half)
}

/// Tick positions (on the axis scale), their labels, and grid-only positions.
#[derive(Debug, Default)]
pub(super) struct Ticks {
    pub(super) values: Vec<f64>,
    pub(super) labels: Vec<String>,
    pub(super) minor: Vec<f64>,
}

impl Ticks {
    pub(super) fn label(&self, value: f64) -> String {
        self.values
            .iter()
            .zip(&self.labels)
            .min_by(|a, b| (a.0 - value).abs().total_cmp(&(b.0 - value).abs()))
            .map(|(_, label)| label.clone())
            .unwrap_or_default()
    }
}

/// The step for about `max_ticks` ticks over `span`: 1, 2 or 5 times a power
/// of ten.
pub(super) fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let raw = span / max_ticks.max(1) as f64;
    let magnitude = crate::math::pow(10.0, crate::math::log10(raw).floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&step| step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

pub(super) fn linear_ticks(lo: f64, hi: f64, max_ticks: usize, integral: bool) -> Ticks {
    let mut step = nice_step(hi - lo, max_ticks);
    if integral && step < 1.0 {
        step = 1.0;
    }
    if !(step.is_finite() && step > 0.0) {
        return Ticks::default();
    }
    // The slack keeps ticks that sit on an end despite rounding.
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    if !(first.is_finite() && last.is_finite()) || last < first {
        return Ticks::default();
    }
    // The step guarantees about max_ticks ticks; the cap guards against
    // rounding surprises.
    let count = ((last - first) as usize + 1).min(4 * max_ticks.max(1));
    let values: Vec<f64> = (0..count)
        .map(|i| (first + i as f64) * step)
        // Normalises -0 so that it prints as "0".
        .map(|v| if v == 0.0 { 0.0 } else { v })
        .collect();
    let labels = linear_labels(&values, step);
    Ticks {
        values,
        labels,
        minor: Vec::new(),
    }
}

/// Labels evenly spaced ticks through `text::number_with`, the one number
/// format people read, with just enough significant digits to tell them
/// apart (a step is 1, 2 or 5 times a power of ten, so one digit of it).
pub(super) fn linear_labels(values: &[f64], step: f64) -> Vec<String> {
    let step_exp = crate::math::log10(step).floor() as i32;
    let max_abs = values.iter().fold(0f64, |m, v| m.max(v.abs()));
    let max_exp = if max_abs > 0.0 {
        crate::math::log10(max_abs).floor() as i32
    } else {
        step_exp
    };
    let digits = (max_exp - step_exp + 1).clamp(1, 15) as usize;
    values
        .iter()
        .map(|&v| crate::text::number_with(v, digits))
        .collect()
}

/// `mantissa × 10^exp` (mantissa 1 to 9) as `text::number` writes it.
pub(super) fn decade_label(mantissa: u32, exp: i32) -> String {
    crate::text::number(f64::from(mantissa) * crate::math::pow(10.0, f64::from(exp)))
}

/// Ticks for a log axis whose range is given in log10 units: powers of ten
/// when they are enough, else 1-2-5 steps, else plain evenly spaced values
/// (for a range within one decade).
pub(super) fn log_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    let in_range = |v: f64| v >= lo - 1e-12 && v <= hi + 1e-12;
    let first = lo.ceil() as i32;
    let last = hi.floor() as i32;
    let decades = (last - first + 1).max(0) as usize;
    let first_decade = lo.floor() as i32;

    let minor_lines = |skip: &[u32]| -> Vec<f64> {
        let mut minor = Vec::new();
        // A grid line per multiple only while they stay visibly apart.
        if hi - lo <= 12.0 {
            for exp in first_decade..=last {
                for m in 1..=9u32 {
                    let v = f64::from(exp) + crate::math::log10(f64::from(m));
                    if !skip.contains(&m) && in_range(v) {
                        minor.push(v);
                    }
                }
            }
        }
        minor
    };

    if decades >= 3 {
        let needed = decades.div_ceil(max_ticks.max(1));
        // f64 spans about 630 decades, so the list always has a fit.
        let stride = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|&s: &i32| s as usize >= needed)
            .unwrap_or(1000);
        let exps: Vec<i32> = (first..=last)
            .filter(|e| e.rem_euclid(stride) == 0)
            .collect();
        let minor = if stride == 1 {
            minor_lines(&[1])
        } else if stride > 5 {
            // Unlabelled decades would be only pixels apart.
            Vec::new()
        } else {
            (first..=last)
                .filter(|e| e.rem_euclid(stride) != 0)
                .map(f64::from)
                .collect()
        };
        return Ticks {
            values: exps.iter().map(|&e| f64::from(e)).collect(),
            labels: exps.iter().map(|&e| decade_label(1, e)).collect(),
            minor,
        };
    }

    let mut values = Vec::new();
    let mut labels = Vec::new();
    for exp in first_decade..=last {
        for m in [1u32, 2, 5] {
            let v = f64::from(exp) + crate::math::log10(f64::from(m));
            if in_range(v) {
                values.push(v);
                labels.push(decade_label(m, exp));
            }
        }
    }
    if values.len() >= 3 {
        return Ticks {
            values,
            labels,
            minor: minor_lines(&[1, 2, 5]),
        };
    }

    let (low, high) = (crate::math::pow(10.0, lo), crate::math::pow(10.0, hi));
    let linear = linear_ticks(low, high, max_ticks.min(5), false);
    let (values, labels) = linear
        .values
        .iter()
        .zip(linear.labels)
        .filter(|(v, _)| **v > 0.0)
        .map(|(v, label)| (crate::math::log10(*v), label))
        .unzip();
    Ticks {
        values,
        labels,
        minor: Vec::new(),
    }
}

/// A linear axis with ticks chosen here: plotters' own float ticks can
/// assert on odd ranges, and log axes need labels plotters does not make.
pub(super) struct Axis {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) ticks: Vec<f64>,
    pub(super) minor: Vec<f64>,
}

impl Axis {
    pub(super) fn new((lo, hi): (f64, f64), ticks: &Ticks) -> Self {
        Axis {
            lo,
            hi,
            ticks: ticks.values.clone(),
            minor: ticks.minor.clone(),
        }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = (value - self.lo) / (self.hi - self.lo);
        let t = if t.is_finite() { t } else { 0.5 };
        // `as` saturates, so far-off values still land off the canvas.
        (f64::from(limit.0) + f64::from(limit.1 - limit.0) * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.minor.clone()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::super::draw::{X_TICKS, Y_TICKS};
    use super::*;

    #[test]
    fn tick_labels_read_well() {
        let small = linear_ticks(0.0112, 0.0131, Y_TICKS, false);
        assert_eq!(small.labels, ["0.0115", "0.012", "0.0125", "0.013"]);
        let big = linear_ticks(0.0, 250_000.0, Y_TICKS, false);
        // As text::number writes them, whose notation changes at 1e5: each
        // label reads back as its tick.
        assert_eq!(big.labels.len(), 6);
        for (label, value) in big.labels.iter().zip(&big.values) {
            assert_eq!(label.parse::<f64>().ok(), Some(*value), "{label}");
        }
        let tiny = linear_ticks(1.0e-4, 3.0e-4, 4, false);
        assert_eq!(tiny.labels, ["1e-4", "1.5e-4", "2e-4", "2.5e-4", "3e-4"]);
        let around_zero = linear_ticks(-0.5, 0.5, 4, false);
        assert_eq!(around_zero.labels, ["-0.5", "0", "0.5"]);
        // Close values keep the digits that tell them apart.
        let close = linear_ticks(502.0, 502.09, 5, false);
        assert_eq!(
            close.labels,
            ["502", "502.02", "502.04", "502.06", "502.08"]
        );
        let epochs = linear_ticks(0.96, 3.04, X_TICKS, true);
        assert_eq!(epochs.labels, ["1", "2", "3"]);
        let epochs = linear_ticks(-1.0, 101.0, X_TICKS, true);
        assert_eq!(epochs.labels, ["0", "20", "40", "60", "80", "100"]);
    }

    #[test]
    fn log_ticks_cover_any_range() {
        let decades = log_ticks(-3.2, 1.1, Y_TICKS);
        assert_eq!(decades.labels, ["0.001", "0.01", "0.1", "1", "10"]);
        let wide = log_ticks(-40.5, 40.5, Y_TICKS);
        assert_eq!(wide.labels, ["1e-40", "1e-20", "1", "1e20", "1e40"]);
        let several = log_ticks(-9.5, 0.5, Y_TICKS);
        assert_eq!(several.labels, ["1e-8", "1e-6", "1e-4", "0.01", "1"]);
        let one_decade = log_ticks(crate::math::log10(0.5), crate::math::log10(30.0), Y_TICKS);
        assert_eq!(one_decade.labels, ["0.5", "1", "2", "5", "10", "20"]);
        let narrow = log_ticks(crate::math::log10(0.3), crate::math::log10(0.8), Y_TICKS);
        assert!(narrow.labels.len() >= 2, "{:?}", narrow.labels);
        assert!(narrow.labels.iter().all(|l| l.starts_with("0.")));
    }

    #[test]
    fn padding_handles_flat_and_empty_ranges() {
        assert_eq!(padded(5.0, 5.0, 0.05, 1.0), (4.0, 6.0));
        assert_eq!(padded(0.0, 0.0, 0.05, 0.0), (-1.0, 1.0));
        let (lo, hi) = padded(2.0, 2.0, 0.05, 0.0);
        assert!(lo < 2.0 && hi > 2.0);
        let (lo, hi) = padded(0.0, 10.0, 0.05, 0.0);
        assert!((lo + 0.5).abs() < 1e-12 && (hi - 10.5).abs() < 1e-12);
    }
}
