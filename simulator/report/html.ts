/**
 * report.html: one self-contained page per run. A header with the scenario, its seed, its blocks and
 * the summary table (the terminal table's cells), then charts: prices per asset (market, push feed,
 * AMMs, AMM-read feeds), health-factor buckets per protocol (with the positions liquidatable before
 * each block's liquidations), the watched position's health, liquidations per block (by protocol and
 * by cascade generation), liquidations per generation, recorded and latent bad debt per protocol, who
 * absorbed it, and each group's loss as a share of what it put in. Block 0, the state the set-up left,
 * is drawn first when given (`setUp`).
 *
 * Self-contained: Chart.js's UMD build is read from node_modules and inlined, the data is one JSON
 * block, and a Content-Security-Policy forbids every fetch, so the page works offline and from any
 * folder. Every text taken from the run is HTML-escaped (a scenario's description is user input), and
 * the JSON is escaped so that nothing in it can end its <script> element.
 *
 * The numbers are for drawing only: prices and USD figures are JS numbers converted from the exact
 * decimal strings of result.json and series.csv. The same run and the same Chart.js give the same bytes.
 */
import type Decimal from "decimal.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { formatUnits } from "viem";
import type { BlockRecord, ProtocolBlockStats } from "../observe/types";
import { lossShares, watchedSeries, type LossShare, type WatchedSeries } from "./lossCharts";
import { HEALTH_FACTOR_BUCKET_EDGES_WAD } from "../observe/types";
import type { Scenario } from "../scenario/types";
import { byAbsorber, type LossAbsorber } from "../state";
import { ChartLibraryError, ReportInputError } from "./errors";
import { formatDecimal, formatE8, formatPctForDisplay } from "./format";
import { entry, sameKeys } from "./series";
import { summaryFooterLines, summaryTableCells } from "./table";
import type { RunResultJson } from "./types";

/** What the page needs of the scenario: which asset each AMM and AMM-read feed prices. */
export type HtmlReportScenario = Pick<Scenario, "amms" | "oracles">;

/** The inlined charting library: its version and the text of its browser build. */
export interface ChartLibrary {
  version: string;
  source: string;
}

type PriceLineKind = "market" | "oracle" | "amm" | "ammOracle";

/** The JSON block the page script draws from; arrays over blocks follow `blocks`. */
interface ReportData {
  blocks: number[];
  /** Legend labels of the health-factor buckets, lowest first. */
  healthFactorBuckets: string[];
  prices: { asset: string; lines: { label: string; kind: PriceLineKind; values: (number | null)[] }[] }[];
  protocols: {
    name: string;
    liquidations: number[];
    /** [bucket][block]: positions with debt in each health-factor bucket. */
    healthFactorHistogram: number[][];
    recordedBadDebtUsd: number[];
    latentBadDebtOracleUsd: number[];
    latentBadDebtMarketUsd: number[];
    /** ProtocolBlockStats.liquidatableBeforeLiquidations. */
    liquidatableBeforeLiquidations: number[];
    /** Cumulative per loss absorber (state/loss.ts), every absorber. */
    absorbedUsd: Record<LossAbsorber, number[]>;
    unabsorbedUsd: number[];
  }[];
  /** [generation][block]: liquidations of each cascade generation in each block. */
  liquidationsByGeneration: number[][];
  /** summary.cascade.generations. */
  cascadeGenerations: number[];
  /** Spot per moving asset, then each group (./lossCharts.ts). */
  lossShares: LossShare[];
  /** Per protocol with a loss waterfall (result.json `summary.protocols.<name>.waterfall`): its steps and the accounts the last resort took from. */
  waterfalls: { name: string; steps: { label: string; usd: number }[]; winners: { label: string; usd: number }[] }[];
  watched: WatchedSeries | null;
}

type ChartKind = "price" | "health" | "watched" | "liquidations" | "generationsPerBlock" | "generations" | "badDebt" | "absorbed" | "lossShares" | "waterfall" | "waterfallWinners";

let chartLibrary: ChartLibrary | undefined;

/** Chart.js's minified UMD build (it defines `window.Chart`), read once from node_modules. */
export function loadChartLibrary(): ChartLibrary {
  if (chartLibrary !== undefined) return chartLibrary;
  let file = "chart.js";
  let version: string;
  let source: string;
  try {
    // The package's exports map hides dist/, so it is found from the CommonJS entry, dist/chart.cjs.
    const dist = path.dirname(require.resolve("chart.js"));
    file = path.join(dist, "chart.umd.min.js");
    ({ version } = JSON.parse(readFileSync(path.join(dist, "..", "package.json"), "utf8")) as { version: string });
    // The source map is not shipped in the page; its comment would only make devtools look for it.
    source = readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
  } catch (error) {
    throw new ChartLibraryError(file, `cannot read Chart.js's browser build (npm ci installs it): ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const unsafe = /<\/script|<!--/i.exec(source);
  if (unsafe !== null) throw new ChartLibraryError(file, `contains "${unsafe[0]}", which would end or hide its <script> element`);
  chartLibrary = { version, source };
  return chartLibrary;
}

/** What report.html may show besides the run's result and blocks. */
export interface HtmlReportOptions {
  /** What `npm run explain` prints for the run, shown under the header. */
  narration?: string;
  /** Block 0's record (`RunOutput.setUp`): drawn as the first point of every chart over blocks. */
  setUp?: BlockRecord;
  /** An account's name in the scenario, for the waterfall's accounts (default: its address). */
  nameOf?: (account: string) => string;
}

/**
 * report.html's text for a run: `result` and its recorded `blocks` (after `options.setUp`, block 0,
 * when given), grouped by asset as in `scenario`.
 */
export function formatHtmlReport(
  result: RunResultJson,
  blocks: readonly BlockRecord[],
  scenario: HtmlReportScenario,
  options: HtmlReportOptions = {},
): string {
  const library = loadChartLibrary();
  const data = reportData(result, options.setUp === undefined ? blocks : [options.setUp, ...blocks], scenario, options.nameOf ?? ((a) => a));
  let charts = 0;
  const figure = (kind: ChartKind, index: number, title: string, note: string): string => {
    const id = `chart-${charts++}`;
    return [
      `<figure>`,
      `<figcaption>${escapeHtml(title)}</figcaption>`,
      `<div class="chart"><canvas id="${id}" data-chart="${kind}" data-index="${index}"></canvas></div>`,
      `<p class="note">${escapeHtml(note)}</p>`,
      `</figure>`,
    ].join("\n");
  };
  const noLiquidations = result.liquidations.length === 0 ? " No liquidations in this run." : "";

  const sections = [
    section(
      "Prices",
      data.prices.map((p, i) =>
        figure("price", i, `${p.asset}: market, oracle and AMM prices (USD)`, "At the end of each block. AMM: the USD price of the pair's first token implied by its reserves; a gap in a feed's line is a block where reading it reverted."),
      ),
    ),
    section("Health factors", [
      ...data.protocols.map((p, i) =>
        figure("health", i, `${p.name}: positions by health factor`, "Positions with debt per health-factor bucket at the end of each block, at oracle prices; below 1 they can be liquidated. The marks count the positions liquidatable before the block's liquidations: those liquidated in the block, which leave the bars, and those still below 1 after."),
      ),
      ...(data.watched === null
        ? []
        : [figure("watched", 0, `Health factor of ${data.watched.label}`, "The position with the lowest health factor at block 0: the first to become liquidatable when every price moves together. At oracle prices (what the protocol acts on) and at market prices at the end of each block, and at the block's oracle prices before its liquidations; below 1 it can be liquidated. A gap: no debt.")]),
    ]),
    section("Liquidations", [
      figure("liquidations", 0, "Liquidations per block, by protocol", `Liquidation transactions mined in each block.${noLiquidations}`),
      figure("generationsPerBlock", 0, "Liquidations per block, by cascade generation", `Generation 0: made liquidatable by a market or oracle move; generation n + 1: by the price impact of generation-n liquidation sales.${noLiquidations}`),
      figure("generations", 0, "Liquidations per cascade generation", `summary.cascade.generations: depth ${result.summary.cascade.depth}.${noLiquidations}`),
    ]),
    section(
      "Bad debt",
      data.protocols.map((p, i) =>
        figure("badDebt", i, `${p.name}: bad debt (USD)`, "Recorded: debt written off so far, valued at each write-off's block. Latent: open positions' debt not covered by their collateral, at oracle and at market prices."),
      ),
    ),
    section("Who lost", [
      // Only protocols with bad debt, recorded or latent: the others would be empty charts.
      ...data.protocols.flatMap((p, i) =>
        ![...Object.values(p.absorbedUsd).flat(), ...p.unabsorbedUsd, ...p.latentBadDebtMarketUsd].some((v) => v !== 0) ? [] : figure("absorbed", i, `${p.name}: who absorbed the bad debt (USD)`, "At the end of each block, cumulative: written off and covered by the protocol's reserves (its insurance fund), written off and socialized to the suppliers of the debt asset (and, in other venues, any other absorber that took a part), and not yet written off (latent, at market prices), which the lenders carry."),
      ),
      ...data.waterfalls.flatMap((w, i) => [
        figure("waterfall", i, `${w.name}: the loss waterfall (USD)`, "The shortfalls beyond the liquidated accounts' margins over the run, and each step that paid them, in order: the insurance fund, the last resort's winners (auto-deleveraged or socialized), what the vault kept as bad debt, what traders owe (no negative balance protection)."),
        ...(w.winners.length === 0 ? [] : [figure("waterfallWinners", i, `${w.name}: what each winner gave up (USD)`, "The PnL the last resort took from each account on the other side, summed over the run, in the order first taken from.")]),
      ]),
      ...(data.lossShares.length === 0
        ? []
        : [figure("lossShares", 0, "Loss as a share of what was put in (%)", "Spot: holding the asset outright from block 0 to the end loses the price fall, at most 100%. A group: what its holders lost of their own money (at most 100%: their deposit) and, beyond it, what their lenders lost (bad debt), both over what the holders put in.")]),
    ]),
  ];

  const words =
    options.narration === undefined
      ? []
      : [`<section>`, `<h2>The run in words</h2>`, `<pre class="narration">${escapeHtml(options.narration.trimEnd())}</pre>`, `</section>`];
  return htmlPage({
    title: `liqsim: ${result.scenario.name}`,
    style: options.narration === undefined ? "" : NARRATION_STYLE,
    body: [header(result), ...words, ...sections],
    footer: `liqsim report, schema ${result.schemaVersion}`,
    data,
    library,
    pageScript: PAGE_SCRIPT,
  });
}

/**
 * A self-contained report page: the shared style (and the page's own `style` after it), a
 * Content-Security-Policy that forbids every fetch, `body`, the data as JSON, and the chart library and
 * page script inlined.
 */
export function htmlPage(page: {
  title: string;
  style?: string;
  body: readonly string[];
  footer: string;
  data: unknown;
  library: { version: string; source: string };
  pageScript: string;
}): string {
  return [
    "<!DOCTYPE html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${REPORT_STYLE}${page.style ?? ""}</style>`,
    "</head>",
    `<body data-charts="0 rendered">`,
    ...page.body,
    `<footer>${escapeHtml(page.footer)}. Charts drawn by Chart.js ${escapeHtml(page.library.version)} (MIT), included in this file.</footer>`,
    `<script type="application/json" id="liqsim-data">${scriptJson(page.data)}</script>`,
    `<script>${page.library.source}</script>`,
    `<script>${DRAW_CHARTS}${page.pageScript}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** Text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * JSON for the inside of a <script> element: "<", ">" and "&" written as \u escapes cannot open or
 * close a tag, and U+2028/U+2029 are escaped for parsers older than ES2019. It parses to the same value.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function reportData(result: RunResultJson, blocks: readonly BlockRecord[], scenario: HtmlReportScenario, nameOf: (account: string) => string): ReportData {
  const prices = priceCharts(blocks, scenario);
  const protocols = protocolSeries(result, blocks);
  return {
    blocks: blocks.map((b) => b.block),
    healthFactorBuckets: healthFactorBucketLabels(),
    prices,
    protocols,
    liquidationsByGeneration: liquidationsByGeneration(result, blocks),
    cascadeGenerations: [...result.summary.cascade.generations],
    lossShares: lossShares(result.summary.groups, blocks),
    waterfalls: waterfallData(result, nameOf),
    watched: watchedSeries(blocks),
  };
}

/** One value per block: `field(b)[key]`, an error naming `blocks[i].<fieldName>` when a block lacks it. */
function blockSeries<T>(blocks: readonly BlockRecord[], field: (b: BlockRecord) => Readonly<Record<string, T>>, fieldName: string, key: string): T[] {
  return blocks.map((b, i) => entry(field(b), key, `blocks[${i}].${fieldName}`));
}

/** Each asset's price lines: market, push feed, the AMMs that price it and the AMM-read feeds of it. */
function priceCharts(blocks: readonly BlockRecord[], scenario: HtmlReportScenario): ReportData["prices"] {
  const first = blocks[0];
  const assets = first === undefined ? [] : Object.keys(first.marketPriceE8);
  const amms = first === undefined ? [] : Object.keys(first.ammPriceE8);
  const ammOracles = first === undefined ? [] : Object.keys(first.ammOraclePriceE8);
  blocks.forEach((b, i) => {
    sameKeys(b.marketPriceE8, assets, `blocks[${i}].marketPriceE8`);
    sameKeys(b.oraclePriceE8, assets, `blocks[${i}].oraclePriceE8`);
    sameKeys(b.ammPriceE8, amms, `blocks[${i}].ammPriceE8`);
    sameKeys(b.ammOraclePriceE8, ammOracles, `blocks[${i}].ammOraclePriceE8`);
  });
  const ammSpecs = amms.map((name) => {
    const spec = scenario.amms.find((a) => a.name === name);
    if (spec === undefined) throw new ReportInputError("scenario.amms", `no AMM "${name}", which the blocks price`);
    return spec;
  });
  const oracleSpecs = ammOracles.map((name) => {
    const spec = scenario.oracles.find((o) => o.name === name);
    if (spec === undefined) throw new ReportInputError("scenario.oracles", `no AMM-read feed "${name}", which the blocks price`);
    return spec;
  });
  const series = <T>(field: (b: BlockRecord) => Readonly<Record<string, T>>, fieldName: string, key: string): T[] => blockSeries(blocks, field, fieldName, key);
  return assets.map((asset) => ({
    asset,
    lines: [
      { label: "market", kind: "market" as const, values: series((b) => b.marketPriceE8, "marketPriceE8", asset).map(priceNumber) },
      { label: "push feed", kind: "oracle" as const, values: series((b) => b.oraclePriceE8, "oraclePriceE8", asset).map(priceNumber) },
      ...ammSpecs
        .filter((a) => a.tokenA === asset)
        .map((a) => ({ label: `AMM ${a.name}`, kind: "amm" as const, values: series((b) => b.ammPriceE8, "ammPriceE8", a.name).map(priceNumber) })),
      ...oracleSpecs
        .filter((o) => o.asset === asset)
        .map((o) => ({
          label: `${o.name} (AMM ${o.type === "ammTwap" ? "TWAP" : "spot"} feed)`,
          kind: "ammOracle" as const,
          values: series((b) => b.ammOraclePriceE8, "ammOraclePriceE8", o.name).map(priceNumber),
        })),
    ],
  }));
}

/** Each protocol's series over the blocks: liquidations, health-factor buckets, bad debt and who absorbed it. */
function protocolSeries(result: RunResultJson, blocks: readonly BlockRecord[]): ReportData["protocols"] {
  const bucketCount = HEALTH_FACTOR_BUCKET_EDGES_WAD.length + 1;
  return Object.keys(result.summary.protocols).map((name) => {
    const stats = blockSeries(blocks, (b) => b.protocols, "protocols", name);
    const usd = (pick: (s: ProtocolBlockStats) => Decimal, field: string): number[] =>
      stats.map((s, i) => Number(formatDecimal(pick(s), `blocks[${i}].protocols.${name}.${field}`)));
    stats.forEach((s, i) => {
      if (s.healthFactorHistogram.length !== bucketCount) {
        throw new ReportInputError(`blocks[${i}].protocols.${name}.healthFactorHistogram`, `${s.healthFactorHistogram.length} buckets, expected ${bucketCount}`);
      }
    });
    return {
      name,
      liquidations: stats.map((s) => s.liquidations),
      healthFactorHistogram: Array.from({ length: bucketCount }, (_, bucket) => stats.map((s) => s.healthFactorHistogram[bucket] ?? 0)),
      recordedBadDebtUsd: usd((s) => s.recordedBadDebtUsd, "recordedBadDebtUsd"),
      latentBadDebtOracleUsd: usd((s) => s.latentBadDebtOracleUsd, "latentBadDebtOracleUsd"),
      latentBadDebtMarketUsd: usd((s) => s.latentBadDebtMarketUsd, "latentBadDebtMarketUsd"),
      liquidatableBeforeLiquidations: stats.map((s) => s.liquidatableBeforeLiquidations),
      absorbedUsd: byAbsorber((by) => usd((s) => s.absorbedUsd[by], `absorbedUsd.${by}`)),
      unabsorbedUsd: usd((s) => s.unabsorbedUsd, "unabsorbedUsd"),
    };
  });
}

/** [generation][block]: the liquidations of each cascade generation in each recorded block. */
function liquidationsByGeneration(result: RunResultJson, blocks: readonly BlockRecord[]): number[][] {
  const { cascade } = result.summary;
  const blockIndex = new Map(blocks.map((b, i) => [b.block, i]));
  const byGeneration = cascade.generations.map(() => blocks.map(() => 0));
  result.liquidations.forEach((l, i) => {
    const at = blockIndex.get(l.block);
    if (at === undefined) throw new ReportInputError(`liquidations[${i}].block`, `${l.block} is not a recorded block`);
    const row = byGeneration[l.generation];
    if (row === undefined) throw new ReportInputError(`liquidations[${i}].generation`, `${l.generation}, but summary.cascade.depth is ${cascade.depth}`);
    row[at] = (row[at] ?? 0) + 1;
  });
  return byGeneration;
}

/** The waterfall charts' data: each step's USD and each winner's (named by `nameOf`). */
function waterfallData(result: RunResultJson, nameOf: (account: string) => string): ReportData["waterfalls"] {
  return Object.entries(result.summary.protocols).flatMap(([name, p]) => {
    const w = p.waterfall;
    if (!w) return [];
    const steps: [string, string][] = [
      ["shortfall", w.shortfallUsd],
      ["insurance fund", w.insuranceFundUsd],
      ["auto-deleveraged", w.autoDeleveragedUsd],
      [w.socializedHaircut ? `socialized (${formatPctForDisplay(w.socializedHaircut.pct)} of the winners' profit)` : "socialized", w.socializedUsd],
      ["vault deficit", w.deficitUsd],
      ["owed by traders", w.owedByTraderUsd],
      ["unabsorbed", w.unabsorbedUsd],
    ];
    return [
      {
        name,
        steps: steps.map(([label, usd]) => ({ label, usd: Number(usd) })),
        winners: w.winners.map((x) => ({ label: nameOf(x.account), usd: Number(x.amountUsd) })),
      },
    ];
  });
}

function priceNumber(priceE8: bigint | null): number | null {
  return priceE8 === null ? null : Number(formatE8(priceE8));
}

/** "< 1", "1–1.05", …, "≥ 2" from HEALTH_FACTOR_BUCKET_EDGES_WAD. */
function healthFactorBucketLabels(): string[] {
  const edges = HEALTH_FACTOR_BUCKET_EDGES_WAD.map((edge) => formatUnits(edge, 18));
  return [
    `< ${edges[0] ?? ""}`,
    ...edges.slice(1).map((upper, i) => `${edges[i] ?? ""}–${upper}`),
    `≥ ${edges[edges.length - 1] ?? ""}`,
  ];
}

function header(result: RunResultJson): string {
  const { heading, body } = summaryTableCells(result);
  const chain =
    result.chain.kind === "rpc" ? `RPC ${result.chain.url ?? ""} (chain id ${result.chain.chainId})` : `${result.chain.kind} (chain id ${result.chain.chainId})`;
  const rows = body.map((cells) => {
    if (cells === null) return `<tr class="gap"><td colspan="${heading.length}"></td></tr>`;
    const [label = "", ...values] = cells;
    const indented = label.startsWith(" ");
    return `<tr><th scope="row"${indented ? ` class="sub"` : ""}>${escapeHtml(label.trim())}</th>${values.map((v) => `<td>${escapeHtml(v)}</td>`).join("")}</tr>`;
  });
  return [
    "<header>",
    `<h1>${escapeHtml(result.scenario.name)}</h1>`,
    `<p class="description">${escapeHtml(result.scenario.description)}</p>`,
    result.complete ? "" : `<p class="warning">Incomplete: the run stopped after ${result.blocksRecorded} of ${result.blocks} blocks.</p>`,
    `<dl>`,
    `<dt>seed</dt><dd>${escapeHtml(result.seed)}</dd>`,
    `<dt>blocks</dt><dd>${result.blocksRecorded} of ${result.blocks}</dd>`,
    `<dt>chain</dt><dd>${escapeHtml(chain)}</dd>`,
    `</dl>`,
    `<table class="summary">`,
    `<thead><tr>${heading.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>${rows.join("\n")}</tbody>`,
    `</table>`,
    ...summaryFooterLines(result.summary).map((line) => `<p class="figure-line">${escapeHtml(line)}</p>`),
    "</header>",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

function section(title: string, figures: string[]): string {
  return [`<section>`, `<h2>${escapeHtml(title)}</h2>`, `<div class="grid">`, ...figures, `</div>`, `</section>`].join("\n");
}

/** The page style of report.html, shared by montecarlo.html. */
/**
 * The pages' chart loop, in the browser: draws every `canvas[data-chart]` with the Chart.js config
 * `configOf(canvas)` gives, records on each canvas the chart's finite points and the pixels it drew (the
 * tests read them from a headless Chromium), and on <body> how many charts rendered or failed.
 */
const DRAW_CHARTS = `
function drawCharts(configOf) {
  var rendered = 0;
  var failed = 0;
  var canvases = document.querySelectorAll("canvas[data-chart]");
  for (var n = 0; n < canvases.length; n++) {
    var canvas = canvases[n];
    try {
      var chart = new Chart(canvas, configOf(canvas));
      var points = 0;
      var perDataset = chart.data.datasets.map(function (_, d) {
        var finite = 0;
        // A line's missing value (null) is placed at a finite y but skipped: not a point drawn.
        chart.getDatasetMeta(d).data.forEach(function (el) { if (isFinite(el.x) && isFinite(el.y) && !el.skip) finite++; });
        points += finite;
        return finite;
      });
      var pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      var drawn = 0;
      for (var a = 3; a < pixels.length; a += 4) if (pixels[a] !== 0) drawn++;
      canvas.dataset.points = String(points);
      canvas.dataset.datasetPoints = perDataset.join(",");
      canvas.dataset.firstLabel = String(chart.data.labels[0]);
      canvas.dataset.drawnPixels = String(drawn);
      rendered++;
    } catch (e) {
      canvas.dataset.error = String(e && e.message ? e.message : e);
      failed++;
    }
    document.body.dataset.charts = rendered + " rendered" + (failed > 0 ? ", " + failed + " failed" : "");
  }
}
`;

const NARRATION_STYLE = `
pre.narration { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; background: #f7f7f7; border: 1px solid #e2e2e2; padding: 10px 14px; max-width: 110ch; }
`;

export const REPORT_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; padding: 16px 24px; max-width: 1400px; }
h1 { font-size: 22px; margin: 4px 0 8px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.description { white-space: pre-line; max-width: 70em; margin: 0 0 10px; }
.warning { color: #a40000; font-weight: 600; }
dl { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0 0 12px; }
dt { color: #666; } dt::after { content: ":"; } dd { margin: 0 0 0 -14px; font-variant-numeric: tabular-nums; }
table.summary { border-collapse: collapse; font-variant-numeric: tabular-nums; margin-bottom: 8px; }
table.summary th, table.summary td { padding: 2px 10px; text-align: right; }
table.summary thead th { border-bottom: 1px solid #999; }
table.summary th[scope=row] { text-align: left; font-weight: normal; }
table.summary th.sub { padding-left: 26px; color: #555; }
table.summary tr.gap td { height: 6px; padding: 0; }
.figure-line { margin: 2px 0; color: #333; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px 24px; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.chart { position: relative; height: 300px; }
.note { color: #666; font-size: 12px; margin: 4px 0 0; }
footer { margin-top: 32px; color: #888; font-size: 12px; }
`;

/**
 * Draws every <canvas data-chart> from the JSON block, without animation so each chart is drawn when
 * it is created. Each canvas gets data-points (chart elements at finite coordinates; per dataset in
 * data-dataset-points), data-first-label (the first x label) and data-drawn-pixels (pixels not transparent), and <body data-charts> counts the charts drawn ("7
 * rendered", or "6 rendered, 1 failed" with the error on the canvas's data-error): checks for tests.
 */
const PAGE_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("liqsim-data").textContent);
  var BUCKET_COLORS = ["#c62828", "#ef6c00", "#f9a825", "#c0ca33", "#7cb342", "#2e7d32", "#00695c"];
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];
  // The market is a wide pale band under the other lines, so a feed that follows it stays visible on it.
  var PRICE_STYLE = {
    market: { colors: ["rgba(0, 0, 0, 0.28)"], dash: [], width: 6, order: 3 },
    oracle: { colors: ["#1f77b4", "#17becf"], dash: [8, 4], width: 2, order: 1 },
    amm: { colors: ["#ff7f0e", "#8c564b", "#e377c2"], dash: [], width: 2, order: 2 },
    ammOracle: { colors: ["#7b1fa2", "#2e7d32", "#bcbd22"], dash: [2, 4], width: 3, order: 0 }
  };
  var usdExact = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 8 });
  var usdCents = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var usdCompact = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact", maximumFractionDigits: 2 });

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;
  Chart.defaults.plugins.legend.labels.boxWidth = 14;

  function color(list, i) { return list[i % list.length]; }
  function blockAxis(stacked) {
    return { stacked: stacked, title: { display: true, text: "block" }, ticks: { maxRotation: 0, autoSkipPadding: 16 }, grid: { display: false } };
  }
  function countAxis(title) {
    return { stacked: true, beginAtZero: true, title: { display: true, text: title }, ticks: { precision: 0 } };
  }
  function usdAxis(format, beginAtZero) {
    return { beginAtZero: beginAtZero, title: { display: true, text: "USD" }, ticks: { callback: function (value) { return format(value); } } };
  }
  function tooltip(format) {
    return { mode: "index", intersect: false, callbacks: { label: function (item) { return item.dataset.label + ": " + format(item.parsed.y); } } };
  }
  // width 1: one block's bars touch the next's, as an area over blocks; less: separate bars per block.
  // A zero is left out (null): Chart.js would draw it as a hairline, and the tooltip lists only what is there.
  function bars(label, values, background, width) {
    var shown = values.map(function (v) { return v === 0 ? null : v; });
    return { label: label, data: shown, backgroundColor: background, borderWidth: 0, barPercentage: width, categoryPercentage: 1 };
  }
  function line(label, values, style) {
    return { label: label, data: values, borderColor: style.color, backgroundColor: style.color, borderDash: style.dash, borderWidth: style.width, order: style.order || 0, pointRadius: 0, pointHitRadius: 4, tension: 0, spanGaps: false };
  }
  function config(type, datasets, scales, format, labels) {
    // A legend entry of a line chart is a short stroke of the line.
    var legendLabels = type === "line" ? { usePointStyle: true, pointStyle: "line", pointStyleWidth: 28 } : {};
    // In the order of the datasets, not of their drawing order.
    legendLabels.sort = function (a, b) { return a.datasetIndex - b.datasetIndex; };
    return {
      type: type,
      data: { labels: labels || data.blocks, datasets: datasets },
      options: { normalized: true, interaction: { mode: "index", intersect: false }, scales: scales, plugins: { tooltip: tooltip(format), legend: { position: "top", labels: legendLabels } } }
    };
  }
  function count(v) { return String(v); }

  var builders = {
    price: function (i) {
      var asset = data.prices[i];
      var used = { market: 0, oracle: 0, amm: 0, ammOracle: 0 };
      var datasets = asset.lines.map(function (l) {
        var style = PRICE_STYLE[l.kind];
        var c = color(style.colors, used[l.kind]++);
        return line(l.label, l.values, { color: c, dash: style.dash, width: style.width, order: style.order });
      });
      return config("line", datasets, { x: blockAxis(false), y: usdAxis(function (v) { return usdExact.format(v); }, false) }, function (v) { return usdExact.format(v); });
    },
    health: function (i) {
      var p = data.protocols[i];
      var datasets = p.healthFactorHistogram.map(function (values, b) { return bars(data.healthFactorBuckets[b], values, BUCKET_COLORS[b], 1); });
      // Marks over the bars: positions liquidatable before the block's liquidations. On an unstacked axis of
      // the same range (a stacked one would draw each missing mark at 0).
      var before = p.liquidatableBeforeLiquidations.map(function (v) { return v === 0 ? null : v; });
      datasets.push({ type: "line", label: "liquidatable before liquidations", data: before, yAxisID: "marks", clip: false, showLine: false, pointStyle: "crossRot", pointRadius: 6, pointBorderWidth: 2, borderColor: "#000", backgroundColor: "#000", order: -1 });
      var top = 1;
      data.blocks.forEach(function (_, b) {
        var total = p.healthFactorHistogram.reduce(function (sum, bucket) { return sum + bucket[b]; }, 0);
        top = Math.max(top, total, p.liquidatableBeforeLiquidations[b]);
      });
      var y = countAxis("positions");
      y.max = top;
      var marks = { display: false, beginAtZero: true, max: top };
      var c = config("bar", datasets, { x: blockAxis(true), y: y, marks: marks }, count);
      c.options.plugins.legend.title = { display: true, text: "health factor" };
      return c;
    },
    watched: function () {
      var w = data.watched;
      var one = data.blocks.map(function () { return 1; });
      var datasets = [
        line("at oracle prices", w.healthFactor, { color: "#1f77b4", dash: [], width: 2.5, order: 1 }),
        line("at market prices", w.marketHealthFactor, { color: "rgba(0, 0, 0, 0.28)", dash: [], width: 6, order: 3 }),
        { label: "before the block's liquidations (oracle)", data: w.beforeLiquidations, showLine: false, pointStyle: "circle", pointRadius: 3.5, borderColor: "#c62828", backgroundColor: "#c62828", order: 0 },
        line("1: liquidatable below", one, { color: "#c62828", dash: [4, 4], width: 1, order: 2 })
      ];
      var hf = function (v) { return String(Math.round(v * 10000) / 10000); };
      return config("line", datasets, { x: blockAxis(false), y: { beginAtZero: true, title: { display: true, text: "health factor" } } }, hf);
    },
    absorbed: function (i) {
      var p = data.protocols[i];
      var nonzero = function (values) { return values.some(function (v) { return v !== 0; }); };
      // The lending absorbers always (as before), the others only when they took a part.
      var datasets = [
        bars("reserves (insurance fund)", p.absorbedUsd.reserves, "#2e7d32", 1),
        nonzero(p.absorbedUsd.insuranceFund) ? bars("insurance fund", p.absorbedUsd.insuranceFund, "#00838f", 1) : null,
        bars("suppliers (socialized)", p.absorbedUsd.suppliers, "#ef6c00", 1),
        nonzero(p.absorbedUsd.deficit) ? bars("outstanding deficit", p.absorbedUsd.deficit, "#8d6e63", 1) : null,
        nonzero(p.absorbedUsd.autoDeleveraged) ? bars("auto-deleveraged positions", p.absorbedUsd.autoDeleveraged, "#ad1457", 1) : null,
        nonzero(p.absorbedUsd.socialized) ? bars("traders' profits (socialized)", p.absorbedUsd.socialized, "#f9a825", 1) : null,
        nonzero(p.absorbedUsd.owedByTrader) ? bars("owed by traders", p.absorbedUsd.owedByTrader, "#455a64", 1) : null,
        nonzero(p.unabsorbedUsd) ? bars("written off, not absorbed", p.unabsorbedUsd, "#b71c1c", 1) : null,
        bars("not yet written off (latent, market prices)", p.latentBadDebtMarketUsd, "#6a1b9a", 1)
      ].filter(function (d) { return d !== null; });
      var y = usdAxis(function (v) { return usdCompact.format(v); }, true);
      y.stacked = true;
      return config("bar", datasets, { x: blockAxis(true), y: y }, function (v) { return usdCents.format(v); });
    },
    lossShares: function () {
      var labels = data.lossShares.map(function (s) { return s.label; });
      var datasets = [
        { label: "the holders' own money", data: data.lossShares.map(function (s) { return s.holdersPct; }), backgroundColor: "#1f77b4", borderWidth: 0 },
        { label: "their lenders' (bad debt)", data: data.lossShares.map(function (s) { return s.lendersPct; }), backgroundColor: "#c62828", borderWidth: 0 }
      ];
      var scales = { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "% of what was put in" } } };
      return config("bar", datasets, scales, function (v) { return v + "%"; }, labels);
    },
    // The shortfall's full bar, then each step as a floating bar from what was left before it.
    waterfall: function (i) {
      var w = data.waterfalls[i];
      var left = w.steps[0].usd;
      var spans = w.steps.map(function (s, k) {
        if (k === 0) return [0, s.usd];
        var span = [left - s.usd, left];
        left -= s.usd;
        return span;
      });
      var colors = ["#b71c1c", "#1565c0", "#ef6c00", "#f9a825", "#6a1b9a", "#455a64", "#9e9e9e"];
      var datasets = [{ label: "USD", data: spans, backgroundColor: colors, borderWidth: 0 }];
      var c = config("bar", datasets, { x: { grid: { display: false } }, y: usdAxis(function (v) { return usdCompact.format(v); }, true) }, function (v) { return usdCents.format(v); }, w.steps.map(function (s) { return s.label; }));
      c.options.plugins.legend.display = false;
      c.options.plugins.tooltip = { callbacks: { label: function (ctx) { return usdCents.format(w.steps[ctx.dataIndex].usd); } } };
      return c;
    },
    waterfallWinners: function (i) {
      var w = data.waterfalls[i];
      var datasets = [{ label: "gave up", data: w.winners.map(function (x) { return x.usd; }), backgroundColor: "#ef6c00", borderWidth: 0 }];
      var c = config("bar", datasets, { x: { grid: { display: false } }, y: usdAxis(function (v) { return usdCompact.format(v); }, true) }, function (v) { return usdCents.format(v); }, w.winners.map(function (x) { return x.label; }));
      c.options.plugins.legend.display = false;
      return c;
    },
    liquidations: function () {
      var datasets = data.protocols.map(function (p, i) { return bars(p.name, p.liquidations, color(PALETTE, i), 0.8); });
      return config("bar", datasets, { x: blockAxis(true), y: countAxis("liquidations") }, count);
    },
    generationsPerBlock: function () {
      var datasets = data.liquidationsByGeneration.map(function (values, g) { return bars("generation " + g, values, color(PALETTE, g), 0.8); });
      return config("bar", datasets, { x: blockAxis(true), y: countAxis("liquidations") }, count);
    },
    generations: function () {
      var labels = data.cascadeGenerations.map(function (_, g) { return String(g); });
      var background = data.cascadeGenerations.map(function (_, g) { return color(PALETTE, g); });
      var datasets = [{ label: "liquidations", data: data.cascadeGenerations, backgroundColor: background, borderWidth: 0 }];
      var c = config("bar", datasets, { x: { title: { display: true, text: "generation" }, grid: { display: false } }, y: countAxis("liquidations") }, count, labels);
      c.options.plugins.legend.display = false;
      return c;
    },
    badDebt: function (i) {
      var p = data.protocols[i];
      var datasets = [
        line("recorded", p.recordedBadDebtUsd, { color: "#c62828", dash: [], width: 2.5 }),
        line("latent at oracle prices", p.latentBadDebtOracleUsd, { color: "#ef6c00", dash: [7, 4], width: 2 }),
        line("latent at market prices", p.latentBadDebtMarketUsd, { color: "#6a1b9a", dash: [2, 3], width: 2.5 })
      ];
      return config("line", datasets, { x: blockAxis(false), y: usdAxis(function (v) { return usdCompact.format(v); }, true) }, function (v) { return usdCents.format(v); });
    }
  };

  drawCharts(function (canvas) { return builders[canvas.dataset.chart](Number(canvas.dataset.index)); });
})();
`;
