//! `synapse report`: one self-contained HTML page of every run and sweep,
//! checked as text and in headless Chromium (Debian's `chromium` package,
//! which .ci/run installs; without it build.rs marks these tests ignored, with the reason).
//!
//! With SYNAPSE_REPORT_SCREENSHOT=FILE.png the browser tests use the
//! README's showcase (the heart sweep and the example runs) and save a
//! screenshot of the page with two runs compared to FILE.png, and one at a
//! phone's width to FILE-phone.png.

mod chromium;

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::common::Sandbox;
use chromium::Chromium;

/// A quick sweep of the heart example: 2 learning rates × 2 seeds, 4 epochs.
const QUICK_SWEEP: &str = r##"
experiment = "experiments/heart.toml"
[grid]
"training.learning_rate" = [0.1, 0.5]
"experiment.seed" = [1, 2]
"training.epochs" = [4]
"##;

/// A description that would run as script if it reached the page as markup.
const HOSTILE_DESCRIPTION: &str = "<script>window.pwned = 1</script><b>bold</b> & more";

const SCREENSHOT_VARIABLE: &str = "SYNAPSE_REPORT_SCREENSHOT";

/// A few short runs of every task, one with a hostile description, and a
/// quick sweep.
fn quick_results() -> Sandbox {
    let sandbox = Sandbox::new();
    let epochs = ["--set", "training.epochs=5"];
    for experiment in ["heart", "iris", "sine"] {
        let file = format!("experiments/{experiment}.toml");
        let mut args = vec!["run", file.as_str(), "--quiet"];
        args.extend(epochs);
        sandbox.run(&args).expect_code(0);
    }
    let description = format!("experiment.description=\"{HOSTILE_DESCRIPTION}\"");
    sandbox
        .run(&[
            "run",
            "experiments/heart.toml",
            "--quiet",
            "--set",
            "training.epochs=3",
            "--set",
            &description,
        ])
        .expect_code(0);
    sandbox.write("quick-sweep.toml", QUICK_SWEEP);
    sandbox
        .run(&["sweep", "quick-sweep.toml", "--quiet"])
        .expect_code(0);
    sandbox
}

/// The README's showcase: the heart sweep (27 runs) and every example run.
fn showcase_results() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox
        .run(&["sweep", "experiments/heart-sweep.toml", "--quiet"])
        .expect_code(0);
    for experiment in ["heart", "heart-disease", "iris", "sine", "spiral"] {
        let file = format!("experiments/{experiment}.toml");
        sandbox.run(&["run", &file, "--quiet"]).expect_code(0);
    }
    sandbox
}

/// Where the screenshot goes, if one is wanted; then the showcase is used.
fn screenshot_path() -> Option<PathBuf> {
    std::env::var_os(SCREENSHOT_VARIABLE).map(PathBuf::from)
}

fn results_for_browser() -> Sandbox {
    if screenshot_path().is_some() {
        showcase_results()
    } else {
        quick_results()
    }
}

/// Runs `synapse report` and returns the page.
fn report(sandbox: &Sandbox) -> String {
    let output = sandbox.run(&["report"]).expect_code(0);
    assert!(
        output.stdout.starts_with("wrote results/report.html ("),
        "{}",
        output.stdout
    );
    sandbox.read("results/report.html")
}

fn page_url(sandbox: &Sandbox) -> String {
    format!(
        "file://{}",
        sandbox.path().join("results/report.html").display()
    )
}

/// `experiment/run-id` of every run directory on disk, sorted.
fn runs_on_disk(sandbox: &Sandbox) -> Vec<String> {
    let mut runs = BTreeSet::new();
    let results = sandbox.path().join("results");
    for experiment in fs::read_dir(&results).expect("results").flatten() {
        let Ok(entries) = fs::read_dir(experiment.path()) else {
            continue;
        };
        for run in entries.flatten() {
            if run.path().join("summary.json").is_file() {
                runs.insert(format!(
                    "{}/{}",
                    experiment.file_name().to_string_lossy(),
                    run.file_name().to_string_lossy()
                ));
            }
        }
    }
    runs.into_iter().collect()
}

fn learning_rate(sandbox: &Sandbox, run: &str) -> String {
    let text = sandbox.read(&format!("results/{run}/config.toml"));
    let config: toml::Table = toml::from_str(&text).expect("config.toml");
    config["training"]["learning_rate"].to_string()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .collect()
}

/// A browser with the page loaded, network and runtime events on.
fn browser_on(sandbox: &Sandbox) -> Chromium {
    let mut chromium = Chromium::start();
    for domain in ["Network.enable", "Page.enable", "Runtime.enable"] {
        chromium.call(domain, json!({}));
    }
    chromium.open(&page_url(sandbox));
    chromium
}

/// The `data-sort` keys of one column of the index, in row order, shown rows only.
fn column_keys(chromium: &mut Chromium, key: &str) -> Vec<String> {
    strings(&chromium.evaluate(&format!(
        r##"(() => {{
            const table = document.getElementById("runs-table");
            const index = Array.from(table.tHead.rows[0].cells)
                .findIndex(th => th.dataset.key === "{key}");
            return Array.from(table.tBodies[0].rows).filter(r => !r.hidden)
                .map(r => r.cells[index].dataset.sort ?? r.cells[index].textContent.trim());
        }})()"##
    )))
}

fn click_sort(chromium: &mut Chromium, key: &str) -> String {
    let sort = chromium.evaluate(&format!(
        r##"(() => {{
            const th = document.querySelector('#runs-table th[data-key="{key}"]');
            th.querySelector("button").click();
            return th.getAttribute("aria-sort");
        }})()"##
    ));
    sort.as_str().unwrap_or_default().to_string()
}

fn numbers(keys: &[String]) -> Vec<f64> {
    keys.iter()
        .filter(|k| !k.is_empty())
        .map(|k| k.parse().unwrap_or_else(|_| panic!("not a number: {k}")))
        .collect()
}

#[test]
fn report_writes_one_page_and_regenerating_it_gives_the_same_bytes() {
    let sandbox = quick_results();
    let first = report(&sandbox);
    let output = sandbox.run(&["report"]).expect_code(0);
    // The size in a unit a person reads (each run's function.png and
    // network diagram are inside the page, so eight runs pass 1 MB).
    assert!(
        output.stdout.contains(" KB;") || output.stdout.contains(" MB;"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("8 runs, 1 sweep"),
        "{}",
        output.stdout
    );
    let second = sandbox.read("results/report.html");
    assert!(first == second, "the page changed without new runs");
    assert!(
        !first.contains(&sandbox.path().display().to_string()),
        "the page holds the results' absolute path"
    );
}

#[test]
fn the_page_references_no_other_file_and_no_network_address() {
    let sandbox = quick_results();
    let html = report(&sandbox);
    for forbidden in ["<link", "url(", "@import", "<iframe"] {
        assert!(!html.contains(forbidden), "the page holds {forbidden:?}");
    }
    // Images (a classifier's ROC curve, a run's function.png) are embedded as data: URLs, which
    // fetch nothing; any other source would.
    for (at, _) in html.match_indices("src=") {
        assert!(
            html[at..].starts_with("src=\"data:image/svg+xml,")
                || html[at..].starts_with("src=\"data:image/png;base64,"),
            "the page loads {:?}",
            &html[at..(at + 60).min(html.len())]
        );
    }
    assert_eq!(
        html.matches("<img").count(),
        html.matches("src=").count(),
        "every image is one of the embedded ones"
    );
    for (at, _) in html.match_indices("href=\"") {
        let target = &html[at + 6..];
        assert!(
            target.starts_with('#'),
            "a link out of the page: {}",
            &target[..target.len().min(80)]
        );
    }
}

#[test]
fn a_description_with_markup_is_shown_as_text() {
    let sandbox = quick_results();
    let html = report(&sandbox);
    assert!(!html.contains("<script>window.pwned"), "unescaped markup");
    assert!(!html.contains("<b>bold</b>"), "unescaped markup");
    assert!(
        html.contains(
            "&lt;script&gt;window.pwned = 1&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; more"
        ),
        "the description is not on the page as text"
    );
    // Two scripts: the data and the page's own.
    assert_eq!(html.matches("<script").count(), 2);
}

#[test]
fn out_writes_the_page_where_asked_and_names_it() {
    let sandbox = quick_results();
    let output = sandbox
        .run(&["report", "results", "--out", "pages/all.html"])
        .expect_code(0);
    assert!(
        output.stdout.starts_with("wrote pages/all.html ("),
        "{}",
        output.stdout
    );
    assert!(
        sandbox
            .read("pages/all.html")
            .starts_with("<!DOCTYPE html>")
    );
    assert!(!sandbox.path().join("results/report.html").exists());
}

#[test]
fn a_missing_results_directory_is_an_error_with_exit_code_2() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["report"]).expect_code(2);
    assert!(
        output.stderr.contains("results: not found"),
        "{}",
        output.stderr
    );
    let output = sandbox.run(&["report", "elsewhere"]).expect_code(2);
    assert!(
        output.stderr.contains("elsewhere: not found"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_corrupt_run_is_skipped_with_a_note_and_the_others_are_reported() {
    let sandbox = quick_results();
    let runs = runs_on_disk(&sandbox);
    let broken = &runs[0];
    sandbox.write(
        &format!("results/{broken}/metrics.csv"),
        "epoch,train_loss\n1,oops\n",
    );
    let output = sandbox.run(&["report"]).expect_code(0);
    assert!(
        output.stderr.contains(&format!(
            "note: skipped results/{broken}/metrics.csv, line 2"
        )),
        "{}",
        output.stderr
    );
    let html = sandbox.read("results/report.html");
    assert!(html.contains("id=\"skipped\""));
    for run in &runs[1..] {
        assert!(
            html.contains(&format!("data-run=\"{run}\"")),
            "{run} missing"
        );
    }
    assert!(!html.contains(&format!("data-run=\"{broken}\"")));
}

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium: apt-get install chromium (.ci/run installs it)"
)]
fn in_chromium_the_page_loads_nothing_else_and_lists_every_run() {
    let sandbox = quick_results();
    // A binary classifier's run has a roc.svg, which the page embeds as a
    // data: image; any SVG synapse draws stands for one where the run did
    // not write it.
    for run in runs_on_disk(&sandbox) {
        let dir = sandbox.path().join("results").join(&run);
        if run.starts_with("heart/") && !dir.join("roc.svg").exists() {
            fs::copy(dir.join("cost.svg"), dir.join("roc.svg")).expect("a stand-in roc.svg");
        }
    }
    report(&sandbox);
    let mut chromium = browser_on(&sandbox);
    // Anything the page would fetch late (a timer, an image) has had time.
    chromium.evaluate("new Promise(done => setTimeout(done, 500))");

    let url = page_url(&sandbox);
    // data: URLs are the page's own bytes, not a fetch.
    let requests: Vec<String> = chromium
        .events
        .iter()
        .filter(|e| e["method"] == "Network.requestWillBeSent")
        .map(|e| {
            e["params"]["request"]["url"]
                .as_str()
                .unwrap_or("?")
                .to_string()
        })
        .filter(|request| !request.starts_with("data:"))
        .collect();
    assert_eq!(requests, [url], "requests other than the page itself");
    let roc_images = chromium.evaluate(
        "Array.from(document.querySelectorAll('figure.roc img')).map(i => i.complete && i.naturalWidth > 0)",
    );
    let roc_images = roc_images.as_array().expect("an array");
    assert!(!roc_images.is_empty(), "no ROC curve embedded");
    assert!(
        roc_images.iter().all(|loaded| loaded == &json!(true)),
        "{roc_images:?}"
    );
    let resources = chromium.evaluate("performance.getEntriesByType('resource').length");
    assert_eq!(resources, json!(0));
    let exceptions: Vec<&Value> = chromium
        .events
        .iter()
        .filter(|e| e["method"] == "Runtime.exceptionThrown")
        .collect();
    assert!(exceptions.is_empty(), "script errors: {exceptions:?}");

    let listed = strings(&chromium.evaluate(
        "Array.from(document.querySelectorAll('#runs-table tbody tr')).map(r => r.dataset.run)",
    ));
    assert_eq!(listed, runs_on_disk(&sandbox));

    assert_eq!(chromium.evaluate("typeof window.pwned"), json!("undefined"));
    let shown = chromium.evaluate(&format!(
        "document.body.textContent.includes({})",
        json!(HOSTILE_DESCRIPTION)
    ));
    assert_eq!(
        shown,
        json!(true),
        "the hostile description is not shown as text"
    );
}

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium: apt-get install chromium (.ci/run installs it)"
)]
fn in_chromium_sorting_orders_the_rows_and_the_filter_keeps_one_experiment() {
    let sandbox = quick_results();
    report(&sandbox);
    let mut chromium = browser_on(&sandbox);

    assert_eq!(
        click_sort(&mut chromium, "final_validation_loss"),
        "ascending"
    );
    let keys = column_keys(&mut chromium, "final_validation_loss");
    let values = numbers(&keys);
    assert!(values.len() >= 2, "{keys:?}");
    assert!(
        values.windows(2).all(|w| w[0] <= w[1]),
        "not ascending: {values:?}"
    );
    assert!(
        keys.iter()
            .skip_while(|k| !k.is_empty())
            .all(String::is_empty),
        "empty cells must sort last: {keys:?}"
    );

    assert_eq!(
        click_sort(&mut chromium, "final_validation_loss"),
        "descending"
    );
    let values = numbers(&column_keys(&mut chromium, "final_validation_loss"));
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "not descending: {values:?}"
    );

    assert_eq!(click_sort(&mut chromium, "run"), "ascending");
    let ids = column_keys(&mut chromium, "run");
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    let others = chromium
        .evaluate("Array.from(document.querySelectorAll('#runs-table th[aria-sort]')).length");
    assert_eq!(others, json!(1), "only the sorted column carries aria-sort");

    let filtered = chromium.evaluate(
        r##"(() => {
            const filter = document.getElementById("filter-experiment");
            filter.value = "iris";
            filter.dispatchEvent(new Event("change"));
            return {
                shown: Array.from(document.querySelectorAll("#runs-table tbody tr"))
                    .filter(r => !r.hidden).map(r => r.dataset.experiment),
                count: document.getElementById("runs-shown").textContent,
            };
        })()"##,
    );
    assert_eq!(filtered["shown"], json!(["iris"]));
    assert_eq!(filtered["count"], json!("1 run shown"));
}

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium: apt-get install chromium (.ci/run installs it)"
)]
fn in_chromium_ticking_two_runs_overlays_two_curves_and_lists_the_differing_key() {
    let sandbox = results_for_browser();
    report(&sandbox);
    let heart: Vec<String> = runs_on_disk(&sandbox)
        .into_iter()
        .filter(|r| r.starts_with("heart/"))
        .collect();
    let first = heart[0].clone();
    let rate = learning_rate(&sandbox, &first);
    let second = heart
        .iter()
        .find(|r| learning_rate(&sandbox, r) != rate)
        .expect("two heart runs with different learning rates")
        .clone();

    let mut chromium = Chromium::start();
    chromium.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    );
    chromium.call("Page.enable", json!({}));
    chromium.open(&page_url(&sandbox));
    assert_eq!(
        chromium.evaluate("document.getElementById('compare-view').hidden"),
        json!(true)
    );

    click_sort(&mut chromium, "final_validation_loss");
    for run in [&first, &second] {
        chromium.evaluate(&format!(
            "document.querySelector('#runs-table tr[data-run=\"{run}\"] input.pick').click()"
        ));
    }
    let view = chromium.evaluate(
        r##"(() => ({
            hidden: document.getElementById("compare-view").hidden,
            curves: document.querySelectorAll("#compare-plot path.curve").length,
            legend: document.querySelectorAll("#compare-legend li").length,
            metric: document.getElementById("compare-metric").value,
            diff: Array.from(document.querySelectorAll("#compare-diff tbody tr"))
                .map(r => Array.from(r.cells).map(c => c.textContent)),
        }))()"##,
    );
    assert_eq!(view["hidden"], json!(false));
    assert_eq!(view["curves"], json!(2), "{view}");
    assert_eq!(view["legend"], json!(2), "{view}");
    assert_eq!(view["metric"], json!("validation_loss"));
    let rows: Vec<Vec<String>> = view["diff"]
        .as_array()
        .expect("diff rows")
        .iter()
        .map(strings)
        .collect();
    let expected = vec![
        "training.learning_rate".to_string(),
        rate.clone(),
        learning_rate(&sandbox, &second),
    ];
    assert!(rows.contains(&expected), "{rows:?} lacks {expected:?}");

    // At 1400 px the comparison is beside the table, not below it.
    let layout = chromium.evaluate(
        r##"(() => {
            const index = document.getElementById("index").getBoundingClientRect();
            const compare = document.getElementById("compare").getBoundingClientRect();
            return { indexRight: index.right, compareLeft: compare.left,
                     indexTop: index.top, compareTop: compare.top };
        })()"##,
    );
    let number = |key: &str| layout[key].as_f64().expect("a number");
    assert!(
        number("compareLeft") >= number("indexRight"),
        "the comparison is not beside the table: {layout}"
    );
    assert!(
        (number("compareTop") - number("indexTop")).abs() < 50.0,
        "{layout}"
    );

    if let Some(path) = screenshot_path() {
        let png = chromium.screenshot(1400, 1800);
        fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    let other = chromium.evaluate(
        r##"(() => {
            const select = document.getElementById("compare-metric");
            select.value = "train_cost";
            select.dispatchEvent(new Event("change"));
            return document.querySelectorAll("#compare-plot path.curve").length;
        })()"##,
    );
    assert_eq!(other, json!(2));
    let cleared = chromium.evaluate(
        r##"(() => {
            document.getElementById("compare-clear").click();
            return document.getElementById("compare-view").hidden
                && document.querySelectorAll("#runs-table input.pick:checked").length === 0;
        })()"##,
    );
    assert_eq!(cleared, json!(true));
}

/// The page in a browser window `width` CSS pixels wide.
fn browser_at(sandbox: &Sandbox, width: u32, mobile: bool) -> Chromium {
    let mut chromium = Chromium::start();
    chromium.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile }),
    );
    chromium.call("Page.enable", json!({}));
    chromium.open(&page_url(sandbox));
    chromium
}

/// The right edge of every run's validation loss cell, in the index and
/// in the leaderboards, with the row it belongs to.
const METRIC_EDGES: &str = r##"(() => {
    const cells = Array.from(document.querySelectorAll(
        "#runs-table tbody tr, table.leaderboard tbody tr"))
        .map(row => {
            const cell = row.querySelector('td[data-label="Val. loss"]');
            const rect = cell ? cell.getBoundingClientRect() : null;
            return {
                row: row.dataset.run || row.querySelector("th").textContent,
                shown: !!rect && rect.width > 0 && getComputedStyle(cell).display !== "none",
                right: rect ? rect.right : 1e9,
                text: cell ? cell.textContent : "",
            };
        });
    return { width: window.innerWidth, page: document.documentElement.scrollWidth, cells };
})()"##;

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium: apt-get install chromium (.ci/run installs it)"
)]
fn in_chromium_at_1400_px_every_runs_validation_loss_is_in_view() {
    let sandbox = results_for_browser();
    report(&sandbox);
    let runs = runs_on_disk(&sandbox);
    let mut chromium = browser_at(&sandbox, 1400, false);
    let edges = chromium.evaluate(METRIC_EDGES);
    assert_eq!(edges["width"], json!(1400), "{edges}");
    assert!(edges["page"].as_u64() <= Some(1400), "{edges}");
    let cells = edges["cells"].as_array().expect("cells");
    // Every run in the index, and at least one leaderboard row per experiment.
    assert!(cells.len() > runs.len(), "{edges}");
    for cell in cells {
        assert_eq!(cell["shown"], json!(true), "{cell}");
        assert!(
            cell["right"].as_f64().expect("an edge") <= 1400.0,
            "off the window's right edge: {cell}"
        );
    }
}

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium: apt-get install chromium (.ci/run installs it)"
)]
fn in_chromium_the_page_fits_a_phone_screen() {
    let sandbox = results_for_browser();
    report(&sandbox);
    let mut chromium = browser_at(&sandbox, 390, true);
    let edges = chromium.evaluate(METRIC_EDGES);
    assert_eq!(edges["width"], json!(390), "{edges}");
    assert!(
        edges["page"].as_u64() <= Some(390),
        "the page is wider than the phone: {edges}"
    );
    // Each run a card with its metric on screen.
    for cell in edges["cells"].as_array().expect("cells") {
        assert_eq!(cell["shown"], json!(true), "{cell}");
        assert!(cell["right"].as_f64().expect("an edge") <= 390.0, "{cell}");
    }
    let layout = chromium.evaluate(
        r##"(() => {
            const right = e => e.getBoundingClientRect().right;
            const rows = Array.from(document.querySelectorAll("#runs-table tbody tr"));
            const plots = Array.from(document.querySelectorAll("svg.plot"))
                .filter(svg => svg.getBoundingClientRect().width > 0);
            return {
                links: Array.from(document.querySelectorAll("nav a")).map(right),
                cards: rows.map(r => getComputedStyle(r).display),
                plots: plots.map(svg => {
                    const box = svg.getBoundingClientRect();
                    const siblings = Array.from(svg.parentElement.children)
                        .filter(s => s !== svg && s.getBoundingClientRect().width > 0);
                    return { right: box.right, width: box.width,
                             besideAnother: siblings.some(s => Math.abs(s.getBoundingClientRect().top - box.top) < 1) };
                }),
            };
        })()"##,
    );
    for link in layout["links"].as_array().expect("links") {
        assert!(link.as_f64() <= Some(390.0), "a cut link: {layout}");
    }
    let cards = strings(&layout["cards"]);
    assert!(
        !cards.is_empty() && cards.iter().all(|d| d == "flex"),
        "{cards:?}"
    );
    let plots = layout["plots"].as_array().expect("plots");
    assert!(!plots.is_empty());
    for plot in plots {
        // One panel per row, as wide as the page's column (390 less the margins).
        assert_eq!(plot["besideAnother"], json!(false), "{plot}");
        assert!(plot["right"].as_f64() <= Some(390.0), "{plot}");
        assert!(plot["width"].as_f64() >= Some(300.0), "{plot}");
    }
    if let Some(path) = screenshot_path() {
        let phone = path.with_file_name(format!(
            "{}-phone.png",
            path.file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default()
        ));
        let png = chromium.screenshot(390, 2400);
        fs::write(&phone, png).unwrap_or_else(|e| panic!("{}: {e}", phone.display()));
    }
}

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium: apt-get install chromium (.ci/run installs it)"
)]
fn in_chromium_without_javascript_the_tables_and_plots_are_all_there() {
    let sandbox = quick_results();
    report(&sandbox);
    let runs = runs_on_disk(&sandbox);
    let mut chromium = Chromium::start();
    chromium.call("Page.enable", json!({}));
    chromium.call(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    );
    chromium.open(&page_url(&sandbox));
    let page = chromium.evaluate(
        r##"(() => ({
            noJs: document.documentElement.classList.contains("no-js"),
            rows: document.querySelectorAll("#runs-table tbody tr").length,
            curves: document.querySelectorAll("figure.curves").length,
            dots: document.querySelectorAll("figure.dots").length,
            untitled: Array.from(document.querySelectorAll("figure.curves svg.plot, figure.dots svg.plot"))
                .filter(svg => svg.querySelectorAll("g.hover circle > title").length === 0).length,
            compare: getComputedStyle(document.getElementById("compare")).display,
            filter: getComputedStyle(document.querySelector("#index .controls")).display,
        }))()"##,
    );
    assert_eq!(page["noJs"], json!(true), "{page}");
    assert_eq!(page["rows"], json!(runs.len()), "{page}");
    // Curves per run and per sweep, and each sweep's effects.
    assert_eq!(page["curves"], json!(runs.len() + 1), "{page}");
    assert_eq!(page["dots"], json!(1), "{page}");
    // Exact values on hover in every plot, without the script.
    assert_eq!(page["untitled"], json!(0), "{page}");
    assert_eq!(page["compare"], json!("none"), "{page}");
    assert_eq!(page["filter"], json!("none"), "{page}");

    // The log-y checkbox swaps the drawings by the stylesheet alone.
    let shown = |chromium: &mut Chromium| {
        chromium.evaluate(
            r##"(() => {
                const figure = document.querySelector("figure.curves:has(input.log-y)");
                const display = s => getComputedStyle(figure.querySelector(s)).display;
                return [display("div.linear-y"), display("div.log-y")];
            })()"##,
        )
    };
    assert_eq!(shown(&mut chromium), json!(["grid", "none"]));
    chromium.evaluate("document.querySelector('figure.curves input.log-y').checked = true");
    assert_eq!(shown(&mut chromium), json!(["none", "grid"]));
}

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium: apt-get install chromium (.ci/run installs it)"
)]
fn in_chromium_printing_hides_the_controls() {
    let sandbox = quick_results();
    report(&sandbox);
    let mut chromium = browser_on(&sandbox);
    chromium.call("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    let hidden = chromium.evaluate(
        r##"(() => ["#index .controls", "#runs-table td.pick", "#compare"]
            .map(s => getComputedStyle(document.querySelector(s)).display))()"##,
    );
    assert_eq!(hidden, json!(["none", "none", "none"]));
}
