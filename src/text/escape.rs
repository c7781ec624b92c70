//! Quoting what came from a file or the command line, so that it can
//! neither break a message's lines nor hide in it.

/// `text` as a message quotes it: control characters escaped (`\n`, `\0`),
/// so that none can break a line of the message, fake one, or hide.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_debug().to_string(),
            false => c.to_string(),
        })
        .collect()
}
