//! A run's learned function (function.png of its directory) in its report
//! section, as an image inside the page (a base64 data: URL keeps the page
//! one file). The PNG, not the SVG: a plane of shaded cells is several
//! times smaller as pixels, and a page may hold many runs.

use std::io::Read;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

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
    let Ok(file) = crate::regular_file::open(&dir.join(FUNCTION_PNG)) else {
        return String::new();
    };
    // One byte past the cap at most: a file over it is refused unread.
    let mut bytes = Vec::new();
    let read = file.take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes);
    if read.is_err() || bytes.len() > MAX_BYTES || !bytes.starts_with(PNG_SIGNATURE) {
        return String::new();
    }
    format!(
        "<figure class=\"function\">\n<img src=\"data:image/png;base64,{}\" alt=\"The function {} learned\">\n\
         <figcaption>What the network learned (function.png of the run directory), over its inputs' own units; \
         function-snapshots.png beside it draws the same at a few epochs.</figcaption>\n</figure>\n",
        STANDARD.encode(&bytes),
        escape(label)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
