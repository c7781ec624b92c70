//! A run's learned function (function.png of its directory) in its report
//! section, as an image inside the page (a base64 data: URL keeps the page
//! one file). The PNG, not the SVG: a plane of shaded cells is several
//! times smaller as pixels, and a page may hold many runs.

use std::path::Path;

use super::html::escape;

const FUNCTION_PNG: &str = "function.png";
/// Far more than the function figure synapse draws (a few hundred KB); a
/// larger file is not one, and would swell the page.
const MAX_BYTES: usize = 3_000_000;
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The figure, or nothing where the run has none (runs before 0.5, data
/// without a numeric input) or where the file is not a PNG synapse could
/// have drawn: the picture illustrates the run, the numbers stand without it.
pub fn function_image(dir: &Path, label: &str) -> String {
    let Ok(bytes) = crate::regular_file::read(&dir.join(FUNCTION_PNG)) else {
        return String::new();
    };
    if bytes.len() > MAX_BYTES || !bytes.starts_with(PNG_SIGNATURE) {
        return String::new();
    }
    format!(
        "<figure class=\"function\">\n<img src=\"data:image/png;base64,{}\" alt=\"The function {} learned\">\n\
         <figcaption>What the network learned (function.png of the run directory), over its inputs' own units; \
         function-snapshots.png beside it draws the same at a few epochs.</figcaption>\n</figure>\n",
        base64(&bytes),
        escape(label)
    )
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        // RFC 4648, section 10.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn a_run_without_a_png_gets_no_figure() {
        let dir =
            std::env::temp_dir().join(format!("synapse-function-image-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(function_image(&dir, "x"), "");
        std::fs::write(dir.join(FUNCTION_PNG), "<svg/>").unwrap();
        assert_eq!(function_image(&dir, "x"), "");
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend([0, 1, 2]);
        std::fs::write(dir.join(FUNCTION_PNG), &png).unwrap();
        let figure = function_image(&dir, "heart <a>");
        assert!(
            figure.contains("data:image/png;base64,iVBORw0KGgoAAQI="),
            "{figure}"
        );
        assert!(figure.contains("heart &lt;a&gt;"), "{figure}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
