// synapse report: sorting, filtering and the comparison view. Everything
// else on the page works without this script. It reads only the page itself
// and builds text with textContent, never markup, so no value from the
// results can become code.
"use strict";
(function () {
  document.documentElement.classList.remove("no-js");
  const SVG = "http://www.w3.org/2000/svg";
  // The palette of the plots synapse draws (Okabe-Ito, then Paul Tol).
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
    "#444444", "#882255", "#999933", "#332288", "#44AA99", "#AA4499"];
  const IGNORED_KEYS = ["experiment.description"];
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const runs = data.runs;

  // Sorting: each sortable heading is a button; empty cells sort last.
  function sortKey(row, index) {
    const cell = row.cells[index];
    const key = cell.getAttribute("data-sort");
    return key === null ? cell.textContent.trim() : key;
  }
  function compareKeys(a, b, numeric) {
    if (a === "" || b === "") return (a === "") - (b === "");
    const x = Number(a), y = Number(b);
    if (numeric && isFinite(x) && isFinite(y)) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    const headings = Array.from(table.tHead.rows[0].cells);
    headings.forEach(function (th, index) {
      const button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        const numeric = th.classList.contains("num");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        rows.sort(function (r, s) {
          const a = sortKey(r, index), b = sortKey(s, index);
          if (a === "" || b === "") return compareKeys(a, b, numeric);
          const order = compareKeys(a, b, numeric);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headings.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  });

  // Filtering the index by experiment.
  const filter = document.getElementById("filter-experiment");
  const indexRows = Array.from(document.querySelectorAll("#runs-table tbody tr"));
  if (filter) {
    filter.addEventListener("change", function () {
      let shown = 0;
      indexRows.forEach(function (row) {
        row.hidden = filter.value !== "" && row.getAttribute("data-experiment") !== filter.value;
        if (!row.hidden) shown += 1;
      });
      document.getElementById("runs-shown").textContent = shown + (shown === 1 ? " run" : " runs") + " shown";
    });
  }

  // A link to a run opens its details.
  function openTarget() {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Comparing: the ticked runs, in the order they were ticked.
  const selected = [];
  const boxes = Array.from(document.querySelectorAll("#runs-table input.pick"));
  const metricSelect = document.getElementById("compare-metric");
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      const run = Number(box.value);
      const at = selected.indexOf(run);
      if (box.checked && at < 0) selected.push(run);
      if (!box.checked && at >= 0) selected.splice(at, 1);
      drawComparison();
    });
  });
  metricSelect.addEventListener("change", drawComparison);
  document.getElementById("compare-clear").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = false; });
    selected.length = 0;
    drawComparison();
  });

  function element(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function words(name) { return name.replace(/_/g, " "); }
  function unquoted(value) { return /^".*"$/.test(value) ? value.slice(1, -1) : value; }
  function shortName(key, keys) {
    const short = function (k) {
      const last = k.split(".").pop();
      return last === "learning_rate" ? "lr" : last;
    };
    const name = short(key);
    return keys.filter(function (k) { return short(k) === name; }).length > 1 ? key : name;
  }

  // The config keys whose values are not the same in every chosen run.
  function configDiff(chosen) {
    const keys = [];
    chosen.forEach(function (run) {
      Object.keys(run.config).forEach(function (key) { if (keys.indexOf(key) < 0) keys.push(key); });
    });
    keys.sort();
    return keys.filter(function (key) {
      if (IGNORED_KEYS.indexOf(key) >= 0) return false;
      const values = chosen.map(function (run) { return key in run.config ? run.config[key] : "—"; });
      return values.some(function (value) { return value !== values[0]; });
    });
  }

  // As `synapse compare` labels runs: by up to three keys that tell them apart.
  function labels(chosen, diff) {
    const telling = diff.filter(function (key) { return key !== "experiment.name"; });
    const named = chosen.map(function (run) {
      if (telling.length < 1 || telling.length > 3) return run.experiment + " " + run.run;
      return run.experiment + " " + telling.map(function (key) {
        const value = key in run.config ? unquoted(run.config[key]) : "—";
        return shortName(key, telling) + "=" + value;
      }).join(" ");
    });
    return named.map(function (label, i) {
      return named.indexOf(label) !== named.lastIndexOf(label) ? label + " #" + (i + 1) : label;
    });
  }

  function niceTicks(low, high, count) {
    const span = high - low || Math.abs(high) || 1;
    const raw = span / count;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(function (m) { return m * power; })
      .find(function (s) { return s >= raw; });
    const ticks = [];
    for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(t);
    return { ticks: ticks, step: step };
  }
  // Steps are 1, 2 or 5 times a power of ten, so the power gives the decimals.
  function tickText(value, step) {
    if (Math.abs(value) < step * 1e-6) return "0";
    const abs = Math.abs(value);
    if (abs >= 1e5 || abs < 1e-3) return value.toExponential(1);
    const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
    return value.toFixed(digits);
  }
  // As the tables show numbers: four decimals, or an exponent when too small or large.
  function number(x) {
    const abs = Math.abs(x);
    return x !== 0 && (abs < 1e-3 || abs >= 1e5) ? x.toExponential(3) : x.toFixed(4);
  }

  function drawPlot(chosen, names, metric) {
    const svg = document.getElementById("compare-plot");
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const width = 800, height = 400, left = 72, right = 16, top = 16, bottom = 48;
    let xs = [], ys = [];
    chosen.forEach(function (run) {
      (run.series[metric] || []).forEach(function (y, i) {
        if (y !== null && run.epochs[i] !== null) { xs.push(run.epochs[i]); ys.push(y); }
      });
    });
    if (!ys.length) {
      svg.appendChild(element("text", { x: width / 2, y: height / 2, "text-anchor": "middle" }, "no data"));
      return;
    }
    let x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    let y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    const pad = (y1 - y0) * 0.05 || Math.abs(y0) * 0.05 || 1;
    y0 -= pad; y1 += pad;
    const px = function (x) { return left + (x - x0) / (x1 - x0) * (width - left - right); };
    const py = function (y) { return top + (y1 - y) / (y1 - y0) * (height - top - bottom); };

    const yt = niceTicks(y0, y1, 6), xt = niceTicks(x0, x1, 8);
    yt.ticks.forEach(function (t) {
      svg.appendChild(element("line", { class: "grid", x1: left, x2: width - right, y1: py(t), y2: py(t) }));
      svg.appendChild(element("text", { x: left - 6, y: py(t) + 4, "text-anchor": "end" }, tickText(t, yt.step)));
    });
    xt.ticks.forEach(function (t) {
      svg.appendChild(element("line", { class: "grid", x1: px(t), x2: px(t), y1: top, y2: height - bottom }));
      svg.appendChild(element("text", { x: px(t), y: height - bottom + 18, "text-anchor": "middle" }, tickText(t, xt.step)));
    });
    svg.appendChild(element("path", { class: "axis", fill: "none",
      d: "M" + left + " " + top + "V" + (height - bottom) + "H" + (width - right) }));
    svg.appendChild(element("text", { x: (left + width - right) / 2, y: height - 8, "text-anchor": "middle" }, "epoch"));
    svg.appendChild(element("text", { x: 16, y: (top + height - bottom) / 2, "text-anchor": "middle",
      transform: "rotate(-90 16 " + (top + height - bottom) / 2 + ")" }, words(metric)));

    chosen.forEach(function (run, k) {
      let d = "", pen = "M";
      (run.series[metric] || []).forEach(function (y, i) {
        const x = run.epochs[i];
        if (y === null || x === null) { pen = "M"; return; }
        d += pen + px(x).toFixed(1) + " " + py(y).toFixed(1);
        pen = "L";
      });
      if (!d) return;
      const path = element("path", { class: "curve", d: d, stroke: PALETTE[k % PALETTE.length] });
      path.appendChild(element("title", {}, names[k]));
      svg.appendChild(path);
    });
    svg.setAttribute("aria-label", words(metric) + " per epoch of " + chosen.length + " runs: " + names.join(", "));
  }

  function drawLegend(chosen, names, metric) {
    const legend = document.getElementById("compare-legend");
    legend.textContent = "";
    chosen.forEach(function (run, k) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.background = PALETTE[k % PALETTE.length];
      item.appendChild(swatch);
      const values = (run.series[metric] || []).filter(function (y) { return y !== null; });
      const last = values.length ? " (last " + number(values[values.length - 1]) + ")" : " (no " + words(metric) + ")";
      item.appendChild(document.createTextNode(names[k] + last));
      legend.appendChild(item);
    });
  }

  function drawDiff(chosen, names, diff) {
    const table = document.getElementById("compare-diff");
    const head = table.tHead, body = table.tBodies[0];
    head.textContent = "";
    body.textContent = "";
    table.caption.textContent = diff.length ? "Config keys that differ" : "No config keys differ";
    if (!diff.length) return;
    const header = head.insertRow();
    const corner = document.createElement("th");
    corner.scope = "col";
    corner.textContent = "key";
    header.appendChild(corner);
    names.forEach(function (name) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      header.appendChild(th);
    });
    diff.forEach(function (key) {
      const row = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = key;
      row.appendChild(th);
      chosen.forEach(function (run) {
        const cell = row.insertCell();
        const code = document.createElement("code");
        code.textContent = key in run.config ? run.config[key] : "—";
        cell.appendChild(code);
      });
    });
  }

  function drawComparison() {
    const any = selected.length > 0;
    document.getElementById("compare").classList.toggle("active", any);
    document.getElementById("compare-view").hidden = !any;
    document.getElementById("compare-empty").hidden = any;
    if (!any) return;
    const chosen = selected.map(function (i) { return runs[i]; });
    const metrics = [];
    chosen.forEach(function (run) {
      Object.keys(run.series).forEach(function (m) { if (metrics.indexOf(m) < 0) metrics.push(m); });
    });
    metrics.sort();
    const previous = metricSelect.value;
    const everyone = function (m) { return chosen.every(function (run) { return m in run.series; }); };
    const metric = metrics.indexOf(previous) >= 0 ? previous
      : everyone("validation_loss") ? "validation_loss" : "train_loss";
    metricSelect.textContent = "";
    metrics.forEach(function (m) {
      const option = document.createElement("option");
      option.value = m;
      option.textContent = words(m);
      option.selected = m === metric;
      metricSelect.appendChild(option);
    });
    const diff = configDiff(chosen);
    const names = labels(chosen, diff);
    drawPlot(chosen, names, metric);
    drawLegend(chosen, names, metric);
    drawDiff(chosen, names, diff);
    document.getElementById("compare-caption").textContent = words(metric) + " per epoch of " +
      chosen.length + (chosen.length === 1 ? " run" : " runs") +
      (chosen.length === 1 ? "; tick another to see what differs." : ", in the order they were ticked.");
  }
})();
