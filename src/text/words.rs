//! Small pieces of wording: counts with their noun, long text cut to fit,
//! zeros trimmed, TOML quotes taken off a value shown to a person.

/// `3 runs`, `1 run`: the count with the noun that fits it.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// `text` cut to at most `max_chars` characters (not bytes: `é` and `Δ` are
/// one each), its end replaced by `…` when it is cut.
pub fn cut(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `0.5000` as `0.5` and `2.000` as `2`: trailing zeros of a fraction, and
/// then a bare point, dropped. Text without a point is left whole (`100`).
pub fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// A TOML value as a person reads it: a basic string without its quotes
/// (`sgd`, not `"sgd"`); any other value (a number, an array) as written.
pub fn unquoted(value: &str) -> &str {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) if !inner.contains(['"', '\\']) => inner,
        _ => value,
    }
}

/// A metric name in words: `final_validation_loss` as "final validation loss".
pub fn words(name: &str) -> String {
    name.replace('_', " ")
}
