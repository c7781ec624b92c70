//! A run's network.svg in its details: the initial and the trained network
//! side by side, as the run drew it (the initial weights are not in any
//! other result file, so the report shows the drawing rather than redraw
//! it). As an image, like roc.svg: an image's SVG runs no script whatever a
//! copied results directory holds, and a data: URL keeps the page one file.

use super::classification::svg_data_url;
use super::html::escape;
use crate::results::read::RunFiles;

const NETWORK_SVG: &str = "network.svg";
/// Far more than a diagram synapse draws takes (under 1 MB for layers of
/// 32 units); a larger file is not one, and would swell the page.
const MAX_BYTES: u64 = 4_000_000;

/// The `<figure>` of the run's network.svg; nothing for a run without one
/// (runs before this version), a note for one that cannot be shown.
pub fn network_image(run: &RunFiles, label: &str) -> String {
    let path = run.dir.join(NETWORK_SVG);
    let svg = match std::fs::metadata(&path) {
        Err(_) => return String::new(),
        Ok(metadata) if metadata.len() > MAX_BYTES => Err(format!(
            "it is {} bytes, more than a diagram synapse draws",
            metadata.len()
        )),
        Ok(_) => crate::regular_file::read_to_string(&path).map_err(|e| e.to_string()),
    };
    match svg {
        Ok(svg) if svg.trim_start().starts_with("<svg") => format!(
            "<figure class=\"network\">\n<img src=\"{}\" alt=\"The initial and the trained network of {}\">\n\
             <figcaption>The network before and after training (network.svg of the run directory): each weight a line, blue positive, orange-red negative, as thick as its size; each unit filled by its bias.</figcaption>\n</figure>\n",
            svg_data_url(&without_titles(&svg)),
            escape(label)
        ),
        Ok(_) => note("it is not an SVG image"),
        Err(reason) => note(&reason),
    }
}

fn note(reason: &str) -> String {
    format!(
        "<p class=\"note\">The network diagram ({NETWORK_SVG}) is not shown: {}</p>\n",
        escape(reason)
    )
}

/// The SVG without its `<title>`s: an image shows no tooltips, and they
/// are a third of the file.
fn without_titles(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some((before, after)) = rest.split_once("<title>") {
        out.push_str(before);
        rest = after.split_once("</title>").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}
