//! Text made safe for the page: HTML escaping, JSON that cannot end its
//! `<script>` element early, and element ids.
//!
//! Everything that comes from a result file (names, descriptions, config
//! values, error messages) passes through here, because result directories
//! may be copied from anywhere and a description is free text.

/// `text` as HTML text or as a double- or single-quoted attribute value.
///
/// Control characters other than tab and line breaks are replaced: HTML
/// parsers reject or rewrite them anyway, and a NUL would differ between
/// browsers.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// JSON for a `<script type="application/json">` element.
///
/// A string holding `</script>` would end the element and let the rest run
/// as markup; `<`, `>` and `&` only occur inside JSON strings, where their
/// `\u` escapes mean the same, so escaping them keeps the JSON equal.
/// U+2028 and U+2029 are escaped for older JavaScript parsers.
pub fn script_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// An id fragment of ASCII letters, digits, `-` and `_`, so that an id and
/// the `#fragment` linking to it never need escaping.
pub fn slug(text: &str) -> String {
    let slug: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if slug.is_empty() {
        "_".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped_into_plain_characters() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }

    #[test]
    fn escaping_keeps_ordinary_text_and_line_breaks() {
        assert_eq!(
            escape("heart: lr=0.1 ± 0.01\nnext"),
            "heart: lr=0.1 ± 0.01\nnext"
        );
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(escape("a\u{0}b\u{1b}c"), "a\u{FFFD}b\u{FFFD}c");
    }

    #[test]
    fn json_in_a_script_cannot_close_the_script_and_still_parses_back() {
        let value =
            serde_json::json!({ "description": "</script><script>alert(1)</script> & \u{2028}" });
        let text = script_json(&value);
        assert!(!text.contains('<'), "{text}");
        assert!(!text.contains('>'), "{text}");
        assert!(!text.contains('&'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn slugs_keep_only_id_safe_characters() {
        assert_eq!(slug("heart-2_x"), "heart-2_x");
        assert_eq!(slug("a b/<c>"), "a_b__c_");
        assert_eq!(slug(""), "_");
    }
}
