/**
 * montecarlo.html: one self-contained page per Monte Carlo run. A header with the scenario, its seeds
 * and the distribution table (the terminal table's cells), then two histograms over the paths: total
 * bad debt (recorded + latent at market prices) with VaR marked, and liquidation volume with LaR
 * marked. Self-contained as report.html is (Chart.js inlined, one JSON block, a Content-Security-Policy
 * that forbids every fetch), with the same escaping.
 *
 * Bins are computed here with decimal.js (200 significant digits): a bar of the paths at exactly 0,
 * then equal bins above 0 up to the largest value (`histogram`); the numbers handed to the page are for
 * drawing only. Under the table, a warning when the paths are too few for the percentiles
 * (monteCarloSample.ts).
 */
import Decimal from "decimal.js";
import { ReportInputError } from "./errors";
import { formatUsdForDisplay } from "./format";
import { escapeHtml, htmlPage, loadChartLibrary } from "./html";
import { monteCarloFooterLines, monteCarloTableCells, monteCarloWarningLines, type MonteCarloResultJson } from "./monteCarlo";

const Exact = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });

export interface HistogramBin {
  /** Lower edge, USD: inclusive, but for the bins above the zero bar, which start above 0. */
  from: Decimal;
  /** Upper edge, USD (exclusive, but for the last bin); the zero bar is [0, 0]. */
  to: Decimal;
  count: number;
}

export interface Histogram {
  /** The zero bar (values exactly 0), then the equal-width bins above 0 (none when every value is 0). */
  bins: HistogramBin[];
  /** Where `marker` falls, in bars from the zero bar's left edge: 0.5 for 0, else 1 + marker / width. */
  markerPosition: Decimal;
  /** The bar `marker` would be counted in. */
  markerBin: number;
}

/** Bins for n values: ceil(√n), at least 5 and at most 40. */
export function histogramBinCount(n: number): number {
  return Math.min(40, Math.max(5, Math.ceil(Math.sqrt(n))));
}

/**
 * A zero bar and equal-width bins above it; all values must be ≥ 0. The zero bar [0, 0] holds the
 * values exactly 0 (a path without a loss is not a small loss). The P values above 0 fall in
 * `histogramBinCount(P)` bins of width max / bins: v in bin min(floor(v / width), bins - 1), the
 * first bin (0, width), the last [.., max] closed.
 */
export function histogram(values: readonly Decimal[], marker: Decimal, field: string): Histogram {
  values.forEach((v, i) => {
    if (!v.isFinite() || v.isNegative()) throw new ReportInputError(`pathResults[${i}].${field}`, `must be a finite number >= 0, got ${v.toString()}`);
  });
  const zero: HistogramBin = { from: new Decimal(0), to: new Decimal(0), count: values.filter((v) => v.isZero()).length };
  const positive = values.filter((v) => !v.isZero());
  const max = positive.reduce((m, v) => (v.gt(m) ? new Exact(v) : m), new Exact(0));
  if (max.isZero()) return { bins: [zero], markerPosition: new Decimal(0.5), markerBin: 0 };
  const count = histogramBinCount(positive.length);
  const width = max.div(count);
  const bins: HistogramBin[] = Array.from({ length: count }, (_, i) => ({
    from: width.times(i),
    to: i === count - 1 ? max : width.times(i + 1),
    count: 0,
  }));
  const binOf = (v: Decimal): number => Math.max(0, Math.min(new Exact(v).div(width).floor().toNumber(), count - 1));
  for (const v of positive) {
    const bin = bins[binOf(v)];
    if (bin) bin.count += 1;
  }
  if (marker.isZero()) return { bins: [zero, ...bins], markerPosition: new Decimal(0.5), markerBin: 0 };
  return { bins: [zero, ...bins], markerPosition: new Exact(marker).div(width).plus(1), markerBin: 1 + binOf(marker) };
}

interface ChartData {
  title: string;
  bins: { from: number; to: number; count: number }[];
  marker: { label: string; position: number; bin: number };
}

/** montecarlo.html's text for `result`. */
export function formatMonteCarloHtml(result: MonteCarloResultJson): string {
  const library = loadChartLibrary();
  const rows = result.pathResults;
  const chart = (title: string, field: "totalBadDebtUsd" | "liquidationVolumeUsd", label: string, markerUsd: string): ChartData => {
    const h = histogram(rows.map((r) => new Decimal(r[field])), new Decimal(markerUsd), field);
    return {
      title,
      bins: h.bins.map((b) => ({ from: b.from.toNumber(), to: b.to.toNumber(), count: b.count })),
      marker: { label: `${label}: ${formatUsdForDisplay(markerUsd)}`, position: h.markerPosition.toNumber(), bin: h.markerBin },
    };
  };
  const charts = [
    chart("Bad debt per path, recorded + latent (USD)", "totalBadDebtUsd", `VaR ${result.valueAtRisk.percentile}%`, result.valueAtRisk.totalBadDebtUsd),
    chart("Liquidation volume per path (USD)", "liquidationVolumeUsd", `LaR ${result.liquidationsAtRisk.percentile}%`, result.liquidationsAtRisk.liquidationVolumeUsd),
  ];
  const notes = [
    "Paths per bin; the first bar ($0) holds the paths without bad debt. Bad debt: debt written off during the path plus what open positions' collateral does not cover at the last block, at market prices. The line marks VaR, the 95th percentile (nearest rank); darker bars hold it and the paths above.",
    "Paths per bin; the first bar ($0) holds the paths without a liquidation. Liquidation volume: debt repaid by liquidations, at market prices of each liquidation's block. The line marks LaR, the 95th percentile (nearest rank); darker bars hold it and the paths above.",
  ];
  const figures = charts.map((c, i) =>
    [
      `<figure>`,
      `<figcaption>${escapeHtml(c.title)}</figcaption>`,
      `<div class="chart"><canvas id="chart-${i}" data-chart="histogram" data-index="${i}"></canvas></div>`,
      `<p class="note">${escapeHtml(notes[i] ?? "")}</p>`,
      `</figure>`,
    ].join("\n"),
  );
  return htmlPage({
    title: `liqsim Monte Carlo: ${result.scenario.name}`,
    body: [
      header(result),
      `<section>`,
      `<h2>Distributions over ${result.paths} paths</h2>`,
      `<div class="grid">`,
      ...figures,
      `</div>`,
      `</section>`,
    ],
    footer: `liqsim Monte Carlo report, schema ${result.schemaVersion}`,
    data: { charts },
    library,
    pageScript: PAGE_SCRIPT,
  });
}

function header(result: MonteCarloResultJson): string {
  const { heading, body } = monteCarloTableCells(result);
  return [
    "<header>",
    `<h1>${escapeHtml(result.scenario.name)}: ${result.paths} Monte Carlo paths</h1>`,
    `<p class="description">${escapeHtml(result.scenario.description)}</p>`,
    `<dl>`,
    `<dt>seed of the market paths</dt><dd>${escapeHtml(result.seed)}</dd>`,
    `<dt>world seed</dt><dd>${escapeHtml(result.worldSeed)}</dd>`,
    `<dt>blocks per path</dt><dd>${result.blocks}</dd>`,
    `<dt>paths</dt><dd>${result.paths}</dd>`,
    `</dl>`,
    `<table class="summary">`,
    `<thead><tr>${heading.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>${body.map(([label = "", ...values]) => `<tr><th scope="row">${escapeHtml(label)}</th>${values.map((v) => `<td>${escapeHtml(v)}</td>`).join("")}</tr>`).join("\n")}</tbody>`,
    `</table>`,
    ...monteCarloFooterLines(result).map((line) => `<p class="figure-line">${escapeHtml(line)}</p>`),
    ...monteCarloWarningLines(result).map((line) => `<p class="warning" data-small-sample>${escapeHtml(line)}</p>`),
    "</header>",
  ].join("\n");
}

/**
 * Draws each histogram with its marker: a dashed vertical line at the marker's position (in bin
 * widths from the first bin's lower edge) with its label. The same checks as report.html for tests:
 * data-points and data-drawn-pixels on each canvas, "<n> rendered" on <body data-charts>.
 */
const PAGE_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("liqsim-data").textContent);
  var usdCompact = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact", maximumFractionDigits: 2 });

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;

  function markerPlugin(marker) {
    return {
      id: "liqsimMarker",
      afterDatasetsDraw: function (chart) {
        var x = chart.scales.x;
        var n = chart.data.labels.length;
        var left = x.getPixelForValue(0) - (n > 1 ? (x.getPixelForValue(1) - x.getPixelForValue(0)) / 2 : (x.right - x.left) / 2);
        var binWidth = n > 1 ? x.getPixelForValue(1) - x.getPixelForValue(0) : x.right - x.left;
        var px = Math.min(Math.max(left + marker.position * binWidth, x.left), x.right);
        var ctx = chart.ctx;
        var area = chart.chartArea;
        ctx.save();
        ctx.strokeStyle = "#111";
        ctx.lineWidth = 2;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#111";
        ctx.font = "600 12px system-ui, sans-serif";
        ctx.textAlign = px > (area.left + area.right) / 2 ? "right" : "left";
        ctx.fillText(marker.label, px + (ctx.textAlign === "right" ? -6 : 6), area.top + 14);
        ctx.restore();
      }
    };
  }

  function build(c) {
    var labels = c.bins.map(function (b) { return b.from === b.to ? usdCompact.format(b.from) : usdCompact.format(b.from) + "–" + usdCompact.format(b.to); });
    var colors = c.bins.map(function (_, i) { return i >= c.marker.bin ? "#c62828" : "#ef9a9a"; });
    return {
      type: "bar",
      data: { labels: labels, datasets: [{ label: "paths", data: c.bins.map(function (b) { return b.count; }), backgroundColor: colors, borderWidth: 0, barPercentage: 1, categoryPercentage: 0.96 }] },
      options: {
        scales: {
          x: { title: { display: true, text: "USD" }, grid: { display: false }, ticks: { maxRotation: 45, autoSkip: true } },
          y: { beginAtZero: true, title: { display: true, text: "paths" }, ticks: { precision: 0 } }
        },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (item) { return item.parsed.y + " paths"; } } } }
      },
      plugins: [markerPlugin(c.marker)]
    };
  }

  drawCharts(function (canvas) { return build(data.charts[Number(canvas.dataset.index)]); });
})();
`;
