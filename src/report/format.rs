//! Numbers as people read them, on the report's page and in `compare`'s
//! table: short enough to scan, with full precision left to the result files.

use crate::results::metrics_csv;

/// Four decimals reads well for losses and accuracies; values too small or
/// too large for that go to scientific notation.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return metrics_csv::format_number(x);
    }
    if x != 0.0 && (x.abs() < 1e-3 || x.abs() >= 1e5) {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}")
    }
}

/// A learning rate or other hyperparameter: as written, shortest form.
pub fn exact(x: f64) -> String {
    metrics_csv::format_number(x)
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

/// A metric name in words: `final_validation_loss` as "final validation loss".
pub fn words(name: &str) -> String {
    name.replace('_', " ")
}

fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_four_decimals_or_an_exponent() {
        assert_eq!(number(0.111_574), "0.1116");
        assert_eq!(number(54.654), "54.6540");
        assert_eq!(number(0.000_12), "1.200e-4");
        assert_eq!(number(0.0), "0.0000");
        assert_eq!(number(f64::NAN), "NaN");
    }

    #[test]
    fn durations_read_in_the_unit_that_suits_them() {
        assert_eq!(seconds(0.040_758), "0.041 s");
        assert_eq!(seconds(2.0), "2 s");
        assert_eq!(seconds(12.34), "12.3 s");
        assert_eq!(seconds(125.0), "2 min 05 s");
        assert_eq!(seconds(3720.0), "1 h 02 min");
        assert_eq!(seconds(f64::NAN), "—");
    }

    #[test]
    fn sizes_use_powers_of_a_thousand() {
        assert_eq!(bytes(845), "845 bytes");
        assert_eq!(bytes(612_400), "612.4 KB");
        assert_eq!(bytes(2_310_000), "2.31 MB");
    }
}
