/**
 * sweep.html: one self-contained page per sweep (the page scaffold of report.html: Chart.js inlined,
 * one JSON block, a Content-Security-Policy that forbids every fetch, the same escaping). A header with
 * the scenario and the varied parameters, then the figures against the parameters, then every run.
 *
 * - One varied parameter: line charts of bad debt (recorded, latent at market prices, their total),
 *   who paid the recorded bad debt (reserves, suppliers), each group's loss, liquidations and cascade
 *   depth against it. The x axis is linear when every value is a number (a number field, or a string
 *   field whose values are decimals such as "0.85"), the points in ascending order, with ticks at
 *   integers only when every value is an integer; otherwise it lists the values in --vary order.
 *   Axes and headings name a parameter by `parameterLabel` (sweepLabel.ts), with its unit.
 * - Two or more: heatmaps of total bad debt, the part socialized to suppliers, liquidations and
 *   cascade depth, drawn as a grid of
 *   colored cells in plain HTML (Chart.js has no matrix chart built in): the first parameter down the
 *   rows, the second across the columns, both in --vary order; with more than two, one set of
 *   heatmaps per combination of the others (in run order). A cell's color is its value's share of the
 *   largest value in that heatmap.
 * - Always: the table of runs (the terminal table's cells), in a box that scrolls sideways when the
 *   window is narrower than the table (its headings wrap first).
 *
 * Numbers handed to the page are for drawing only (JS numbers from the exact decimal strings).
 */
import { valueText, type SweepValue } from "./sweepValue";
import { formatUsdForDisplay } from "./format";
import { escapeHtml, htmlPage, loadChartLibrary } from "./html";
import { sweepFigures, sweepLossColumns, sweepTableCells, type SweepLossColumn, type SweepResultJson, type SweepRunJson } from "./sweep";
import { sweepGroup, sweepGroups } from "./sweepGroups";
import { parameterLabel } from "./sweepLabel";

interface LineChartData {
  title: string;
  xTitle: string;
  yTitle: string;
  usd: boolean;
  /** x positions (a linear axis) or null (a category axis of `labels`). */
  xs: number[] | null;
  /** Every x is an integer: ticks at integers only. */
  integerX: boolean;
  labels: string[];
  lines: { label: string; color: string; dash: number[]; values: number[] }[];
}

/** What a heatmap shows of a run. */
interface HeatmapMetric {
  title: string;
  /** Its value, for the color. */
  value: (run: SweepRunJson) => number;
  /** Its text in the cell. */
  text: (run: SweepRunJson) => string;
  /** The color of the largest value (the smallest is white). */
  rgb: [number, number, number];
}

const HEATMAP_METRICS: readonly HeatmapMetric[] = [
  {
    title: "Bad debt, recorded + latent at market prices (USD)",
    value: (r) => Number(r.summary.badDebt.totalUsd),
    text: (r) => formatUsdForDisplay(r.summary.badDebt.totalUsd),
    rgb: [198, 40, 40],
  },
  {
    title: "Socialized to suppliers (USD)",
    value: (r) => Number(r.summary.badDebt.absorbedUsd.suppliers),
    text: (r) => formatUsdForDisplay(r.summary.badDebt.absorbedUsd.suppliers),
    rgb: [230, 81, 0],
  },
  { title: "Liquidations", value: (r) => r.summary.liquidations.count, text: (r) => String(r.summary.liquidations.count), rgb: [31, 119, 180] },
  { title: "Cascade depth", value: (r) => r.summary.cascade.depth, text: (r) => String(r.summary.cascade.depth), rgb: [106, 27, 154] },
];

/** A decimal number as a string field may hold one ("0.85", "-12"). */
const DECIMAL = /^-?\d+(\.\d+)?$/;

function numericValues(values: readonly SweepValue[]): number[] | null {
  const numbers = values.map((v) => (typeof v === "number" ? v : typeof v === "string" && DECIMAL.test(v) ? Number(v) : null));
  return numbers.every((n): n is number => n !== null) ? numbers : null;
}

/** sweep.html's text for `result`. */
export function formatSweepHtml(result: SweepResultJson): string {
  const library = loadChartLibrary();
  const charts = result.parameters.length === 1 ? lineCharts(result) : [];
  const figures = charts.map((c, i) =>
    [
      `<figure>`,
      `<figcaption>${escapeHtml(c.title)}</figcaption>`,
      `<div class="chart"><canvas id="chart-${i}" data-chart="line" data-index="${i}"></canvas></div>`,
      `</figure>`,
    ].join("\n"),
  );
  const body = [
    header(result),
    ...(figures.length > 0 ? [`<section>`, `<h2>Figures against ${escapeHtml(parameterLabel(result.parameters[0]?.path ?? ""))}</h2>`, `<div class="grid">`, ...figures, `</div>`, `</section>`] : []),
    ...(result.parameters.length >= 2 ? heatmapSections(result) : []),
    runsTable(result),
  ];
  return htmlPage({
    title: `liqsim sweep: ${result.scenario.name}`,
    style: SWEEP_STYLE,
    body,
    footer: `liqsim sweep report, schema ${result.schemaVersion}`,
    data: { charts },
    library,
    pageScript: PAGE_SCRIPT,
  });
}

function lineCharts(result: SweepResultJson): LineChartData[] {
  const parameter = result.parameters[0];
  if (parameter === undefined) return [];
  const numeric = numericValues(parameter.values);
  // Runs in --vary order; on a linear axis, by ascending value, so the line does not double back.
  const order = result.results.map((_, i) => i);
  if (numeric !== null) order.sort((a, b) => (numeric[a] ?? 0) - (numeric[b] ?? 0));
  const runs = order.map((i) => result.results[i] as SweepRunJson);
  const xs = numeric === null ? null : order.map((i) => numeric[i] as number);
  const labels = runs.map((r) => valueText(r.parameters[parameter.path] as SweepValue));
  const series = (pick: (r: SweepRunJson) => number | string): number[] => runs.map((r) => Number(pick(r)));
  const base: Axis = { xTitle: parameterLabel(parameter.path), xs, integerX: xs !== null && xs.every(Number.isInteger), labels };
  return [...usdCharts(base, series, sweepGroups(result.results), sweepLossColumns(result)), ...countCharts(base, series)];
}

/** A figure of each run, in the charts' run order, as numbers for drawing (NaN: none). */
type Series = (pick: (r: SweepRunJson) => number | string) => number[];
type Axis = Pick<LineChartData, "xTitle" | "xs" | "integerX" | "labels">;

/** The "who paid" lines' colors, report.html's for the same absorbers (reserves' and suppliers' as this chart always had). */
const LOSS_COLORS: Readonly<Record<SweepLossColumn["part"], string>> = {
  reserves: "#2e7d32",
  insuranceFund: "#00838f",
  suppliers: "#e65100",
  deficit: "#8d6e63",
  autoDeleveraged: "#ad1457",
  socialized: "#f9a825",
  owedByTrader: "#455a64",
  unabsorbed: "#b71c1c",
};

/** Bad debt, who paid it (the runs table's loss columns), and each group's loss. */
function usdCharts(base: Axis, series: Series, groups: readonly string[], losses: readonly SweepLossColumn[]): LineChartData[] {
  return [
    {
      ...base,
      title: "Bad debt (USD)",
      yTitle: "USD",
      usd: true,
      lines: [
        // The total first: Chart.js draws the first dataset on top, dashed over the part it equals.
        { label: "recorded + latent", color: "#222222", dash: [7, 4], values: series((r) => r.summary.badDebt.totalUsd) },
        { label: "recorded", color: "#c62828", dash: [], values: series((r) => r.summary.badDebt.recordedUsd) },
        { label: "latent at market prices", color: "#6a1b9a", dash: [2, 3], values: series((r) => r.summary.badDebt.latentMarketUsd) },
      ],
    },
    {
      ...base,
      title: "Who paid the recorded bad debt (USD)",
      yTitle: "USD",
      usd: true,
      lines: losses.map((c) => ({ label: c.label, color: LOSS_COLORS[c.part], dash: [], values: series((r) => c.figure(sweepFigures(r.summary))) })),
    },
    ...(groups.length === 0
      ? []
      : [
          {
            ...base,
            title: "Loss per group, borrowers' and lenders' (USD)",
            yTitle: "USD",
            usd: true,
            lines: groups.map((name, i) => ({
              label: name,
              color: GROUP_COLORS[i % GROUP_COLORS.length] ?? "#222222",
              dash: [],
              values: series((r) => sweepGroup(r, name)?.lossUsd ?? Number.NaN),
            })),
          },
        ]),
  ];
}

function countCharts(base: Axis, series: Series): LineChartData[] {
  return [
    {
      ...base,
      title: "Liquidations",
      yTitle: "liquidations",
      usd: false,
      lines: [{ label: "liquidations", color: "#1f77b4", dash: [], values: series((r) => r.summary.liquidations.count) }],
    },
    {
      ...base,
      title: "Cascade depth",
      yTitle: "generations",
      usd: false,
      lines: [{ label: "cascade depth", color: "#6a1b9a", dash: [], values: series((r) => r.summary.cascade.depth) }],
    },
  ];
}

const GROUP_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

/** One section per combination of the parameters after the first two, each with a heatmap per metric. */
function heatmapSections(result: SweepResultJson): string[] {
  const [rows, columns, ...others] = result.parameters;
  if (rows === undefined || columns === undefined) return [];
  const groups = new Map<string, SweepRunJson[]>();
  for (const run of result.results) {
    const key = others.map((p) => `${parameterLabel(p.path)} = ${valueText(run.parameters[p.path] as SweepValue)}`).join(", ");
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups].map(([key, runs]) => {
    const cell = (row: SweepValue, column: SweepValue): SweepRunJson | undefined =>
      runs.find((r) => r.parameters[rows.path] === row && r.parameters[columns.path] === column);
    const maps = HEATMAP_METRICS.map((metric) => {
      const max = Math.max(0, ...runs.map(metric.value));
      const th = (text: string, scope: string): string => `<th scope="${scope}">${escapeHtml(text)}</th>`;
      const lines = rows.values.map((row) => {
        const cells = columns.values.map((column) => {
          const run = cell(row, column);
          if (run === undefined) return `<td class="missing">-</td>`;
          const share = max > 0 ? metric.value(run) / max : 0;
          const [r, g, b] = metric.rgb.map((c) => Math.round(255 - (255 - c) * share)) as [number, number, number];
          const ink = share > 0.55 ? "#fff" : "#222";
          const title = `${rows.path} = ${valueText(row)}, ${columns.path} = ${valueText(column)}: ${metric.text(run)}${run.complete ? "" : " (incomplete)"}`;
          return `<td style="background: rgb(${r}, ${g}, ${b}); color: ${ink}" title="${escapeHtml(title)}">${escapeHtml(metric.text(run))}${run.complete ? "" : " *"}</td>`;
        });
        return `<tr>${th(valueText(row), "row")}${cells.join("")}</tr>`;
      });
      return [
        `<figure>`,
        `<figcaption>${escapeHtml(metric.title)}</figcaption>`,
        `<table class="heatmap" data-heatmap="${escapeHtml(metric.title)}">`,
        `<thead><tr><th class="corner">${escapeHtml(parameterLabel(rows.path))} \\ ${escapeHtml(parameterLabel(columns.path))}</th>${columns.values.map((c) => th(valueText(c), "col")).join("")}</tr></thead>`,
        `<tbody>${lines.join("\n")}</tbody>`,
        `</table>`,
        `</figure>`,
      ].join("\n");
    });
    const heading = key === "" ? `Heatmaps: ${parameterLabel(rows.path)} (rows) by ${parameterLabel(columns.path)} (columns)` : `Heatmaps at ${key}`;
    return [`<section>`, `<h2>${escapeHtml(heading)}</h2>`, `<div class="grid">`, ...maps, `</div>`, `</section>`].join("\n");
  });
}

function header(result: SweepResultJson): string {
  const incomplete = result.runs - result.runsComplete;
  return [
    "<header>",
    `<h1>${escapeHtml(result.scenario.name)}: a sweep of ${result.runs} runs</h1>`,
    `<p class="description">${escapeHtml(result.scenario.description)}</p>`,
    incomplete === 0 ? "" : `<p class="warning">Incomplete: ${incomplete} of ${result.runs} runs stopped early (marked *).</p>`,
    `<dl>`,
    `<dt>seed</dt><dd>${escapeHtml(result.seed)}</dd>`,
    `<dt>blocks</dt><dd>${result.blocks}</dd>`,
    `<dt>runs</dt><dd>${result.runs}</dd>`,
    `<dt>deployments</dt><dd>${result.deployments}</dd>`,
    `</dl>`,
    `<ul class="varied">`,
    ...result.parameters.map((p) => `<li>${escapeHtml(parameterLabel(p.path))}, <code>${escapeHtml(p.path)}</code>: ${escapeHtml(p.values.map(valueText).join(", "))}</li>`),
    `</ul>`,
    "</header>",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

/** The runs table: a parameter's column headed by its readable name (its path in the tooltip). */
function runsTable(result: SweepResultJson): string {
  const { heading, body } = sweepTableCells(result);
  const losses = sweepLossColumns(result);
  // The lending sentence as the page always had it; any other split names its columns.
  const split =
    losses.length === 2
      ? "Absorbed by reserves plus socialized to suppliers is the recorded bad debt."
      : `The columns ${losses.map((c) => c.label).join(", ")} add up to the recorded bad debt.`;
  const th = (h: string, c: number): string => {
    const path = result.parameters[c]?.path;
    return path === undefined ? `<th scope="col">${escapeHtml(h)}</th>` : `<th scope="col" title="${escapeHtml(path)}">${escapeHtml(parameterLabel(path))}</th>`;
  };
  return [
    `<section>`,
    `<h2>Runs</h2>`,
    `<div class="table-box" data-table="runs">`,
    `<table class="summary runs">`,
    `<thead><tr>${heading.map(th).join("")}</tr></thead>`,
    `<tbody>${body.map((cells) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n")}</tbody>`,
    `</table>`,
    `</div>`,
    `<p class="note">Each row is one run's result.json summary (all protocols); sweep.csv and sweep.json hold the exact figures. ${escapeHtml(split)} Latent bad debt: at market prices, in the last block. A group's loss: its borrowers' and its lenders' (percent of what the group put in).</p>`,
    `</section>`,
  ].join("\n");
}

// Added after the shared report style, for the heatmaps and the varied-parameter list.
const SWEEP_STYLE = `
ul.varied { margin: 0 0 8px; padding-left: 20px; }
table.heatmap { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.heatmap th, table.heatmap td { padding: 6px 10px; text-align: right; border: 1px solid #fff; }
table.heatmap th.corner { color: #666; font-weight: normal; font-size: 12px; }
table.heatmap td.missing { color: #999; }
div.table-box { overflow-x: auto; max-width: 100%; }
table.runs { font-size: 13px; }
table.runs th, table.runs td { padding: 2px 6px; }
table.runs th { vertical-align: bottom; min-width: 5em; }
table.runs td { white-space: nowrap; }
`;

/**
 * Draws each line chart. The same checks as report.html for tests: data-points and
 * data-drawn-pixels on each canvas, "<n> rendered" on <body data-charts>; and data-x-ticks (the x
 * axis's tick values) on each canvas, and on the runs table's box its width, the table's, the page's
 * and the window's (data-box-width, data-table-width, data-page-width, data-viewport-width, px).
 */
const PAGE_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("liqsim-data").textContent);
  var usdCompact = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact", maximumFractionDigits: 2 });
  var usdCents = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;

  function build(c) {
    var datasets = c.lines.map(function (l) {
      var points = c.xs === null ? l.values : l.values.map(function (v, i) { return { x: c.xs[i], y: v }; });
      return { label: l.label, data: points, borderColor: l.color, backgroundColor: l.color, borderDash: l.dash, borderWidth: 2, pointRadius: 3, tension: 0 };
    });
    var x = c.xs === null
      ? { type: "category", title: { display: true, text: c.xTitle } }
      : { type: "linear", title: { display: true, text: c.xTitle }, ticks: { callback: function (v) { return String(v); } } };
    // An integer parameter (blocks, counts): steps of at least 1, so no tick falls between two integers.
    if (c.integerX) x.ticks = { precision: 0, callback: function (v) { return Number.isInteger(v) ? String(v) : ""; } };
    var y = { beginAtZero: true, title: { display: true, text: c.yTitle } };
    if (c.usd) y.ticks = { callback: function (v) { return usdCompact.format(v); } };
    else y.ticks = { precision: 0 };
    var format = c.usd ? function (v) { return usdCents.format(v); } : function (v) { return String(v); };
    return {
      type: "line",
      data: c.xs === null ? { labels: c.labels, datasets: datasets } : { datasets: datasets },
      options: {
        scales: { x: x, y: y },
        interaction: { mode: "nearest", axis: "x", intersect: false },
        plugins: {
          legend: { display: c.lines.length > 1, position: "top", labels: { usePointStyle: true, pointStyle: "line", pointStyleWidth: 28 } },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + format(item.parsed.y); } } }
        }
      }
    };
  }

  drawCharts(function (canvas) { return build(data.charts[Number(canvas.dataset.index)]); });

  // For tests: each chart's x tick values, and the runs table's width against its box and the page's.
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = Chart.getChart(canvas);
    if (chart) canvas.dataset.xTicks = chart.scales.x.ticks.map(function (t) { return String(t.value); }).join(" ");
  });
  var box = document.querySelector("[data-table=runs]");
  box.dataset.boxWidth = String(box.clientWidth);
  box.dataset.tableWidth = String(box.scrollWidth);
  box.dataset.pageWidth = String(document.documentElement.scrollWidth);
  box.dataset.viewportWidth = String(document.documentElement.clientWidth);
})();
`;
