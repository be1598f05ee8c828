/**
 * report.html is one self-contained page: no external reference, Chart.js inlined, every run text
 * escaped and the data JSON unable to end its <script>; its data are the run's figures, converted
 * exactly; and Debian's chromium, headless, draws every chart of a real run's report.
 */
import { expect } from "chai";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { loadScenarioFile, resultOf, runScenario } from "../../simulator";
import {
  ReportInputError,
  buildRunResult,
  formatHtmlReport,
  loadChartLibrary,
  scriptJson,
  writeRunOutputs,
  type HtmlReportScenario,
} from "../../simulator/report";
import type { BlockRecord, WatchedPositionHealth } from "../../simulator/observe/types";
import { dumpDom } from "../helpers/browser";
import { scenarioFile } from "../helpers/scenarioRun";
import { ALICE, block, liquidation, smallRun, stats } from "./fixtures";

const SCENARIO_FILE = path.join(__dirname, "..", "..", "scenarios", "amm-oracle-cascade.json");
const NO_ORACLES: HtmlReportScenario["oracles"] = [];

/** The parsed JSON block the page script draws from. */
function pageData(html: string): {
  blocks: number[];
  healthFactorBuckets: string[];
  prices: { asset: string; lines: { label: string; kind: string; values: (number | null)[] }[] }[];
  protocols: {
    name: string;
    liquidations: number[];
    healthFactorHistogram: number[][];
    recordedBadDebtUsd: number[];
    latentBadDebtOracleUsd: number[];
    latentBadDebtMarketUsd: number[];
    liquidatableBeforeLiquidations: number[];
    absorbedUsd: Record<string, number[]>;
    unabsorbedUsd: number[];
  }[];
  liquidationsByGeneration: number[][];
  cascadeGenerations: number[];
  lossShares: { label: string; holdersPct: number; lendersPct: number }[];
  watched: { label: string; healthFactor: (number | null)[]; marketHealthFactor: (number | null)[]; beforeLiquidations: (number | null)[] } | null;
} {
  const match = /<script type="application\/json" id="liqsim-data">([^<]*)<\/script>/.exec(html);
  if (match === null) throw new Error("no data block in the page");
  return JSON.parse(match[1] ?? "") as ReturnType<typeof pageData>;
}

describe("report: formatHtmlReport", () => {
  const run = smallRun();
  const scenario: HtmlReportScenario = { amms: run.scenario.amms, oracles: NO_ORACLES };

  it("references nothing outside the file and forbids fetching anything", () => {
    const html = formatHtmlReport(buildRunResult(run), run.blocks, scenario);
    // The library's code is what it is (its banner names its site); the page around it loads nothing.
    const page = html.replace(loadChartLibrary().source, "");
    expect(page.length).to.be.lessThan(html.length);
    expect(page).to.not.match(/\s(src|href|srcset|action|poster)\s*=/i);
    expect(page).to.not.match(/<link\b|<iframe\b|<img\b|<object\b|<embed\b|@import|url\(|https?:\/\//i);
    expect(html).to.include(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">`);
  });

  it("embeds Chart.js's browser build, without its source-map comment", () => {
    const library = loadChartLibrary();
    const html = formatHtmlReport(buildRunResult(run), run.blocks, scenario);
    expect(library.version).to.equal("4.6.1");
    expect(library.source).to.match(/^\/\*!\n \* Chart\.js v4\.6\.1\n/);
    expect(library.source).to.not.include("sourceMappingURL");
    expect(html).to.include(`<script>${library.source}</script>`);
    expect(html).to.include("Charts drawn by Chart.js 4.6.1 (MIT)");
  });

  it("escapes the scenario's text, so a description cannot open or close an element", () => {
    const hostile = smallRun();
    hostile.scenario = { ...hostile.scenario, name: `a"b'<i>`, description: `Drop </script><b>bold</b> & "quote"` };
    const html = formatHtmlReport(buildRunResult(hostile), hostile.blocks, scenario);
    expect(html).to.include(`<p class="description">Drop &lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quote&quot;</p>`);
    expect(html).to.include(`<title>liqsim: a&quot;b&#39;&lt;i&gt;</title>`);
    expect(html).to.not.include("<b>");
    expect(html).to.not.include("<i>");
    // Three scripts: the data, the library, the page script; nothing else closes one.
    expect(html.match(/<\/script/gi)).to.have.length(3);
  });

  it("writes JSON that no text in it can end, and that parses back to the same value", () => {
    const value = { name: "</script><!-- & >", lines: "a\u2028b\u2029c" };
    const json = scriptJson(value);
    expect(json).to.equal(String.raw`{"name":"\u003c/script\u003e\u003c!-- \u0026 \u003e","lines":"a\u2028b\u2029c"}`);
    expect(JSON.parse(json)).to.deep.equal(value);
  });

  it("puts in the run's figures: prices per asset, buckets, liquidations by generation, bad debt", () => {
    const withCascade = smallRun();
    withCascade.liquidations = [liquidation(), liquidation({ id: 1, block: 4, generation: 1, causedBy: 0 })];
    const data = pageData(formatHtmlReport(buildRunResult(withCascade), withCascade.blocks, scenario));
    expect(data.blocks).to.deep.equal([1, 2, 3, 4]);
    expect(data.healthFactorBuckets).to.deep.equal(["< 1", "1–1.05", "1.05–1.1", "1.1–1.25", "1.25–1.5", "1.5–2", "≥ 2"]);
    expect(data.prices.map((p) => p.asset)).to.deep.equal(["WETH", "USDC"]);
    expect(data.prices[0]?.lines).to.deep.equal([
      { label: "market", kind: "market", values: [2000, 2000, 1900, 1900] },
      { label: "push feed", kind: "oracle", values: [2000, 2000, 2000, null] },
      { label: "AMM weth-usdc", kind: "amm", values: [2000, 2000, 1950, 1900] },
    ]);
    expect(data.prices[1]?.lines.map((l) => l.label)).to.deep.equal(["market", "push feed"]);
    const pool = data.protocols[0];
    expect(data.protocols.map((p) => p.name)).to.deep.equal(["pool"]);
    expect(pool?.liquidations).to.deep.equal([0, 0, 1, 0]);
    expect(pool?.healthFactorHistogram).to.deep.equal([[0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [3, 3, 3, 3], [1, 1, 1, 1]]);
    expect(pool?.recordedBadDebtUsd).to.deep.equal([0, 0, 0, 300]);
    expect(pool?.latentBadDebtOracleUsd).to.deep.equal([0, 0, 0, 12.5]);
    // result.json's 8 places, then a JS number: for drawing only.
    expect(pool?.latentBadDebtMarketUsd).to.deep.equal([0, 0, 0, 80.12345679]);
    expect(data.liquidationsByGeneration).to.deep.equal([[0, 0, 1, 0], [0, 0, 0, 1]]);
    expect(data.cascadeGenerations).to.deep.equal([1, 1]);
    expect(pool?.liquidatableBeforeLiquidations).to.deep.equal([0, 1, 1, 0]);
    expect(pool?.absorbedUsd.reserves).to.deep.equal([0, 0, 0, 100]);
    expect(pool?.absorbedUsd.suppliers).to.deep.equal([0, 0, 0, 200]);
    expect(pool?.absorbedUsd.insuranceFund).to.deep.equal([0, 0, 0, 0]);
    expect(pool?.unabsorbedUsd).to.deep.equal([0, 0, 0, 0]);
    expect(data.watched).to.equal(null);
  });

  it("draws block 0 first when given the set-up record, and the watched position's health factors over the blocks", () => {
    const watched = (after: bigint | null, market: bigint | null, before: bigint | null): WatchedPositionHealth => ({
      protocol: "pool",
      market: null,
      borrower: ALICE,
      healthFactorWad: after,
      marketHealthFactorWad: market,
      healthFactorBeforeLiquidationsWad: before,
    });
    const run = smallRun();
    const hf = (n: number): bigint => BigInt(n) * 10n ** 15n; // thousandths
    const [b1, b2, b3, b4] = run.blocks as [BlockRecord, BlockRecord, BlockRecord, BlockRecord];
    run.blocks = [
      { ...b1, watched: watched(hf(1050), hf(1050), hf(1050)) },
      { ...b2, watched: watched(hf(990), hf(940), hf(1050)) },
      // Liquidated in full in block 3: no debt after it; below 1 before it.
      { ...b3, watched: watched(null, null, hf(985)) },
      { ...b4, watched: watched(null, null, null) },
    ];
    const setUp = block(0, { gasUsed: 0n, transactions: 0, protocols: { pool: stats({ liquidatableBeforeLiquidations: 0 }) }, watched: watched(hf(1100), hf(1100), hf(1100)) });
    const data = pageData(formatHtmlReport(buildRunResult(run), run.blocks, scenario, { setUp }));
    expect(data.blocks).to.deep.equal([0, 1, 2, 3, 4]);
    expect(data.prices[0]?.lines[0]).to.deep.equal({ label: "market", kind: "market", values: [2000, 2000, 2000, 1900, 1900] });
    const pool = data.protocols[0];
    expect(pool?.healthFactorHistogram[0]).to.deep.equal([0, 0, 0, 0, 0]);
    expect(pool?.liquidatableBeforeLiquidations).to.deep.equal([0, 0, 1, 1, 0]);
    expect(pool?.liquidations).to.deep.equal([0, 0, 0, 1, 0]);
    expect(data.liquidationsByGeneration).to.deep.equal([[0, 0, 0, 1, 0]]);
    expect(data.watched).to.deep.equal({
      label: `pool ${ALICE}`,
      healthFactor: [1.1, 1.05, 0.99, null, null],
      marketHealthFactor: [1.1, 1.05, 0.94, null, null],
      beforeLiquidations: [1.1, 1.05, 1.05, 0.985, null],
    });
  });

  it("puts in each group's loss as a share of what it put in, after holding each moving asset outright", () => {
    const run = smallRun();
    const data = pageData(formatHtmlReport(buildRunResult(run), run.blocks, scenario, { setUp: block(0) }));
    expect(data.lossShares).to.deep.equal([
      // WETH from $2,000 at block 0 to $1,900 at the end: −5%; USDC did not move.
      { label: "spot WETH", holdersPct: 5, lendersPct: 0 },
      // $3,000 put in; the holders lost all of it, their lenders $380.123456789 more (12.67%).
      { label: "longs", holdersPct: 100, lendersPct: 12.67 },
    ]);
  });

  it("draws an AMM-read feed on its asset's chart, labelled with its kind", () => {
    const withFeed = smallRun();
    withFeed.blocks = withFeed.blocks.map((b) => ({ ...b, ammOraclePriceE8: { "weth-twap": 199_000_000_000n } }));
    const feeds: HtmlReportScenario = {
      amms: run.scenario.amms,
      oracles: [{ name: "weth-twap", type: "ammTwap", amm: "weth-usdc", asset: "WETH", quote: "USDC", windowSeconds: 600 }],
    };
    const data = pageData(formatHtmlReport(buildRunResult(withFeed), withFeed.blocks, feeds));
    expect(data.prices[0]?.lines[3]).to.deep.equal({ label: "weth-twap (AMM TWAP feed)", kind: "ammOracle", values: [1990, 1990, 1990, 1990] });
  });

  it("shows the summary table's cells and lines, one canvas per chart", () => {
    const html = formatHtmlReport(buildRunResult(run), run.blocks, scenario);
    expect(html).to.include(`<tr><th scope="row" class="sub">debt repaid</th><td>$1,000.00</td><td>$1,000.00</td></tr>`);
    expect(html).to.include(`<p class="figure-line">cascade: depth 1; liquidations per generation 1; contagion none</p>`);
    expect(html).to.include("<dt>seed</dt><dd>42</dd>");
    expect(html).to.include("<dt>blocks</dt><dd>4 of 4</dd>");
    // 2 assets, 1 protocol: 2 price charts, 1 histogram, 3 liquidation charts, 1 bad-debt chart, 1 chart of
    // who absorbed it, 1 of the loss shares (no watched position in this run).
    expect(html.match(/<canvas /g)).to.have.length(9);
  });

  it("is the same text for the same run", () => {
    expect(formatHtmlReport(buildRunResult(run), run.blocks, scenario)).to.equal(formatHtmlReport(buildRunResult(smallRun()), smallRun().blocks, scenario));
  });

  it("rejects records it cannot place: an AMM the scenario lacks, a liquidation in no recorded block", () => {
    expect(() => formatHtmlReport(buildRunResult(run), run.blocks, { amms: [], oracles: NO_ORACLES }))
      .to.throw(ReportInputError, `scenario.amms: no AMM "weth-usdc", which the blocks price`);
    const stray = smallRun();
    stray.liquidations = [liquidation({ block: 9 })];
    stray.episodes = [];
    expect(() => formatHtmlReport(buildRunResult(stray), stray.blocks, scenario))
      .to.throw(ReportInputError, "liquidations[0].block: 9 is not a recorded block");
  });

  it("is written by writeRunOutputs when asked, next to result.json and series.csv", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "liqsim-html-"));
    try {
      const result = buildRunResult(run);
      const paths = await writeRunOutputs(root, result, run.blocks, { html: { scenario } });
      expect(paths.htmlPath).to.equal(path.join(root, "report.html"));
      expect((await readdir(root)).sort()).to.deep.equal(["report.html", "result.json", "series.csv"]);
      expect(await readFile(path.join(root, "report.html"), "utf8")).to.equal(formatHtmlReport(result, run.blocks, scenario));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("report.html in a browser", () => {
  it("chromium draws block 0 and the block in which price-gap's positions were liquidatable before its liquidations (12 blocks)", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "liqsim-html-gap-"));
    try {
      const scenario = { ...loadScenarioFile(scenarioFile("price-gap")), blocks: 12 };
      const snapshot = (await network.provider.send("evm_snapshot")) as string;
      let out;
      try {
        out = await runScenario(scenario);
      } finally {
        await network.provider.send("evm_revert", [snapshot]);
        await network.provider.send("evm_setAutomine", [true]);
      }
      expect(out.complete, out.error).to.equal(true);
      const setUp = out.setUp;
      if (setUp === null) throw new Error("no set-up record");
      const result = resultOf(out);
      // WETH gaps from $2,000 to $1,100 at block 10 and all 40 positions are liquidated in that block.
      expect(result.summary.maxLiquidatablePositions).to.equal(0);
      expect(result.summary.maxLiquidatablePositionsBeforeLiquidations).to.equal(40);
      expect(result.summary.episodes.total).to.equal(40);
      const { htmlPath } = await writeRunOutputs(root, result, out.blocks, { html: { scenario, setUp } });
      if (htmlPath === undefined) throw new Error("report.html was not written");
      const html = await readFile(htmlPath, "utf8");
      const data = pageData(html);
      expect(data.blocks).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(data.prices[0]?.lines[0]?.values).to.deep.equal([2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 1100, 1100, 1100]);
      const aave = data.protocols[0];
      // The bars never show a position below 1 at a block's end; the marks show the 40 at block 10.
      expect(aave?.healthFactorHistogram[0]).to.deep.equal(data.blocks.map(() => 0));
      expect(aave?.liquidatableBeforeLiquidations).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 0, 0]);
      // The watched position: below 1 before block 10's liquidations, exactly the pool's figure in its LiquidationCall.
      const watched = out.blocks[9]?.watched;
      const itsLiquidation = result.liquidations.find((l) => l.account === watched?.borrower.toLowerCase());
      expect(watched?.healthFactorBeforeLiquidationsWad?.toString()).to.equal(itsLiquidation?.healthBeforeWad);
      expect(watched?.healthFactorBeforeLiquidationsWad ?? 10n ** 18n).to.be.lessThan(10n ** 18n);
      expect(data.watched?.beforeLiquidations.map((v) => v !== null && v < 1)).to.deep.equal(data.blocks.map((b) => b === 10));
      expect(data.watched?.healthFactor.slice(10)).to.deep.equal([null, null, null]);

      const dom = dumpDom(htmlPath, root);
      const charts = (html.match(/<canvas /g) ?? []).length;
      expect(/<body[^>]* data-charts="([^"]*)"/.exec(dom)?.[1]).to.equal(`${charts} rendered`);
      const canvas = (kind: string): string => {
        const found = [...dom.matchAll(/<canvas [^>]*>/g)].map((m) => m[0]).find((c) => c.includes(`data-chart="${kind}"`));
        if (found === undefined) throw new Error(`no ${kind} chart`);
        expect(found, `${kind}: no error`).to.not.include("data-error");
        return found;
      };
      const attribute = (c: string, name: string): string | undefined => new RegExp(`${name}="([^"]*)"`).exec(c)?.[1];
      // Block 0 is the first point drawn: the price chart's market line has all 13 blocks.
      expect(attribute(canvas("price"), "data-first-label")).to.equal("0");
      expect(attribute(canvas("price"), "data-dataset-points")?.split(",")[0]).to.equal("13");
      // Health: 7 buckets (40 positions in one bucket per block, 10 blocks with debt: 0..9), then one mark (block 10).
      expect(attribute(canvas("health"), "data-first-label")).to.equal("0");
      expect(attribute(canvas("health"), "data-dataset-points")?.split(",").slice(-1)).to.deep.equal(["1"]);
      // Watched: at oracle prices for blocks 0..9; before the liquidations for blocks 0..10 (below 1 at 10).
      expect(attribute(canvas("watched"), "data-dataset-points")?.split(",").slice(0, 3)).to.deep.equal(["10", "10", "11"]);
      for (const kind of ["absorbed", "lossShares"]) expect(Number(attribute(canvas(kind), "data-points")), kind).to.be.greaterThan(0);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("chromium draws every chart of a real run's report (amm-oracle-cascade, 15 blocks)", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "liqsim-html-browser-"));
    try {
      const scenario = { ...loadScenarioFile(SCENARIO_FILE), blocks: 15 };
      const snapshot = (await network.provider.send("evm_snapshot")) as string;
      let out;
      try {
        out = await runScenario(scenario);
      } finally {
        await network.provider.send("evm_revert", [snapshot]);
        await network.provider.send("evm_setAutomine", [true]);
      }
      expect(out.complete, out.error).to.equal(true);
      const result = resultOf(out);
      expect(result.liquidations.length, "the run liquidates").to.be.greaterThan(0);
      const { htmlPath } = await writeRunOutputs(root, result, out.blocks, { html: { scenario, ...(out.setUp === null ? {} : { setUp: out.setUp }) } });
      if (htmlPath === undefined) throw new Error("report.html was not written");
      const html = await readFile(htmlPath, "utf8");
      const charts = (html.match(/<canvas /g) ?? []).length;
      // 2 assets, 2 protocols: 2 price charts, 2 histograms, the watched position, 3 liquidation charts,
      // 2 bad-debt charts and the loss shares; no bad debt in 15 blocks, so no chart of who absorbed it.
      expect([...html.matchAll(/data-chart="(\w+)"/g)].map((m) => m[1])).to.deep.equal([
        "price", "price", "health", "health", "watched", "liquidations", "generationsPerBlock", "generations", "badDebt", "badDebt", "lossShares",
      ]);

      const dom = dumpDom(htmlPath, root);
      expect(/<body[^>]* data-charts="([^"]*)"/.exec(dom)?.[1]).to.equal(`${charts} rendered`);
      const canvases = [...dom.matchAll(/<canvas [^>]*>/g)].map((m) => m[0]);
      expect(canvases).to.have.length(charts);
      for (const canvas of canvases) {
        const id = /id="([^"]+)"/.exec(canvas)?.[1];
        expect(canvas, `${id}: no error`).to.not.include("data-error");
        expect(Number(/data-points="(\d+)"/.exec(canvas)?.[1] ?? 0), `${id}: chart elements`).to.be.greaterThan(0);
        expect(Number(/data-drawn-pixels="(\d+)"/.exec(canvas)?.[1] ?? 0), `${id}: drawn pixels`).to.be.greaterThan(1000);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
