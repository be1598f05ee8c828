/**
 * `npm run sweep`: `--vary` paths and values are read, typed and combined as documented (first
 * `--vary` outermost), and every bad one is refused with one line before anything runs; a real sweep
 * of late-keepers deploys its world once per distinct deployment and each run's result.json is
 * byte-for-byte that of a fresh run of the same variant; the command writes sweep.csv, sweep.json and
 * sweep.html, whose charts chromium draws. On lesson 5's sweep of the insurance fund's size, sweep.csv
 * and the table show who paid the bad debt and each group's loss; sweep.html names parameters with
 * their units, keeps an integer parameter's ticks on integers, and its runs table fits 1,400 px (a
 * narrower window scrolls the table's box, not the page). On perp-adl the table and the who-paid chart add
 * the absorbers beyond the lending two that took a part (the insurance fund, auto-deleveraging).
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runCommand } from "../helpers/cli";
import {
  MAX_SWEEP_RUNS,
  SweepInputError,
  buildSweepResult,
  formatRunResultJson,
  formatSweepHtml,
  parameterLabel,
  parseVary,
  planSweep,
  resultOf,
  runScenario,
  runSweep,
  sweep,
  type SweepOutput,
  type SweepResultJson,
} from "../../simulator";
import { SWEEP_USAGE } from "../../simulator/cli/sweep";
import { dumpDom } from "../helpers/browser";
import { scenarioFile, onSnapshot } from "../helpers/scenarioRun";

const LATE_KEEPERS = scenarioFile("late-keepers");
const ROOT = path.join(__dirname, "..", "..");

const run = (argv: string[]) => runCommand(sweep, argv, ROOT);


function planError(vary: string[], extra: { seed?: bigint; blocks?: number } = {}): string {
  try {
    planSweep({ scenarioFile: LATE_KEEPERS, vary, ...extra });
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(SweepInputError);
    return (e as Error).message;
  }
  throw new Error(`planSweep accepted ${vary.join(" ")}`);
}

describe("sweep", function () {
  this.timeout(300_000);
  // The two-parameter sweep's output, which the later tests read too.
  let output: SweepOutput;
  let result: SweepResultJson;

  describe("--vary: paths, value types, order (no chain)", () => {
    it("reads a path as section[index].field and splits the values at commas", () => {
      expect(parseVary("market[0].segments[1].toPriceUsd= 1000, 900.5 ")).to.deep.equal({
        path: "market[0].segments[1].toPriceUsd",
        keys: ["market", 0, "segments", 1, "toPriceUsd"],
        texts: ["1000", "900.5"],
      });
      expect(parseVary("seed=1,2").keys).to.deep.equal(["seed"]);
    });

    it("writes each value with the type of the field it replaces: number, string (decimals exact), boolean", () => {
      const plan = planSweep({
        scenarioFile: LATE_KEEPERS,
        vary: ["liquidators[0].delayBlocks=0,5", "market[0].segments[1].toPriceUsd=1000,987.65432101", "protocols[0].liquidation.liquidationsAcceptStalePrice=true,false"],
      });
      expect(plan.parameters.map((p) => p.values)).to.deep.equal([[0, 5], ["1000", "987.65432101"], [true, false]]);
      const last = plan.variants[7]?.scenario;
      expect(last?.liquidators[0]?.delayBlocks).to.equal(5);
      const segment = last?.market[0]?.segments[1];
      // A string field keeps every digit: $987.65432101 is 98,765,432,101 in 8 decimals.
      expect(segment?.type === "ramp" ? segment.toPriceE8 : null).to.equal(98_765_432_101n);
      expect(last?.protocols[0]?.type === "pooled" ? last.protocols[0].liquidation.liquidationsAcceptStalePrice : null).to.equal(false);
    });

    it("combines values as a Cartesian product, the first --vary outermost", () => {
      const plan = planSweep({ scenarioFile: LATE_KEEPERS, vary: ["liquidators[0].delayBlocks=0,5", "feeds[0].deviationBps=10,50,100"] });
      expect(plan.variants.map((v) => v.values)).to.deep.equal([[0, 10], [0, 50], [0, 100], [5, 10], [5, 50], [5, 100]]);
      expect(plan.variants.map((v) => [v.scenario.liquidators[0]?.delayBlocks, v.scenario.feeds[0]?.deviationBps])).to.deep.equal([
        [0, 10], [0, 50], [0, 100], [5, 10], [5, 50], [5, 100],
      ]);
      expect(plan.variants.map((v) => v.index)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    });

    it("applies --seed and --blocks to every variant, cutting windows as simulate does", () => {
      const plan = planSweep({ scenarioFile: LATE_KEEPERS, vary: ["liquidators[0].delayBlocks=0,5"], seed: 7n, blocks: 30 });
      expect(plan.variants.map((v) => [v.scenario.seed, v.scenario.blocks])).to.deep.equal([[7n, 30], [7n, 30]]);
      expect([plan.base.seed, plan.base.blocks]).to.deep.equal([7n, 30]);
    });

    // Each bad --vary: the exact one-line message.
    const cases: [string, string[], string][] = [
      ["no --vary", [], "--vary: at least one is needed, e.g. --vary liquidators[0].delayBlocks=0,5,10"],
      ["a --vary without =", ["liquidators[0].delayBlocks"], "--vary liquidators[0].delayBlocks: expected <path>=<value>,<value>,… (e.g. liquidators[0].delayBlocks=0,5,10)"],
      ["an empty path", ["=1,2"], `--vary =1,2: the path before "=" is empty`],
      ["a path with a dotted index", ["liquidators.0.delayBlocks=1"], `--vary liquidators.0.delayBlocks=1: "liquidators.0.delayBlocks" is not a field path (fields joined by ".", list entries as [i], e.g. liquidators[0].delayBlocks)`],
      ["no values", ["liquidators[0].delayBlocks="], `--vary liquidators[0].delayBlocks=: no values after "="`],
      ["an empty value", ["liquidators[0].delayBlocks=0,,5"], "--vary liquidators[0].delayBlocks=0,,5: value 2 is empty (values are separated by single commas)"],
      ["a duplicate path", ["liquidators[0].delayBlocks=0", "liquidators[0].delayBlocks=5"], "--vary liquidators[0].delayBlocks: the path is given twice (give all its values in one --vary)"],
      ["a value given twice", ["liquidators[0].delayBlocks=0,5,0.0"], "--vary liquidators[0].delayBlocks: the value 0 is given twice"],
      [
        "too many combinations",
        [`feeds[0].deviationBps=${Array.from({ length: 30 }, (_, i) => i + 1).join(",")}`, `liquidators[0].delayBlocks=${Array.from({ length: 20 }, (_, i) => i).join(",")}`],
        `--vary: 30 x 20 values make more than ${MAX_SWEEP_RUNS} combinations, the most a sweep runs`,
      ],
      ["an index past the list", ["liquidators[1].delayBlocks=1"], "--vary liquidators[1].delayBlocks: liquidators has 1 entry in the scenario file, so no [1]"],
      [
        "a field not in the file",
        ["liquidators[0].delayBlock=1"],
        `--vary liquidators[0].delayBlock: liquidators[0] has no field "delayBlock" in the scenario file (a field left to its default must be written into the file to be varied)`,
      ],
      ["a list field", ["liquidators[0].capital=1"], "--vary liquidators[0].capital: the field is a list in the scenario file; only a number, string or boolean field can be varied (vary one of its entries)"],
      ["a null field", ["liquidators[0].sellOnAmm=weth-usdc"], "--vary liquidators[0].sellOnAmm: the field is null in the scenario file; only a number, string or boolean field can be varied"],
      ["a word for a number field", ["liquidators[0].delayBlocks=abc"], "--vary liquidators[0].delayBlocks=abc: must be a number, as the field is in the scenario file"],
      ["a word for a boolean field", ["protocols[0].liquidation.liquidationsAcceptStalePrice=yes"], "--vary protocols[0].liquidation.liquidationsAcceptStalePrice=yes: must be true or false, as the field is in the scenario file"],
      // The parser's own message, prefixed with the --vary value that caused it.
      ["a value the parser refuses", ["liquidators[0].delayBlocks=0,-1"], "--vary liquidators[0].delayBlocks=-1: liquidators[0].delayBlocks: must be >= 0"],
      [
        "a string value the parser refuses",
        ["market[0].segments[0].toPriceUsd=1400,abc"],
        `--vary market[0].segments[0].toPriceUsd=abc: market[0].segments[0].toPriceUsd: "abc" is not a decimal number (digits with an optional "." and sign, no exponent)`,
      ],
      // LTV 81% and threshold 80.5% are each valid against the file's other value, not together.
      [
        "a combination the parser refuses although each value is valid alone",
        ["protocols[0].reserves[0].ltvPct=80,81", "protocols[0].reserves[0].liquidationThresholdPct=82.5,80.5"],
        "--vary protocols[0].reserves[0].ltvPct=81 --vary protocols[0].reserves[0].liquidationThresholdPct=80.5: protocols[0].reserves[0].ltvPct: must be <= liquidationThresholdPct (80.5)",
      ],
    ];
    for (const [what, vary, message] of cases) {
      it(`refuses ${what}`, () => {
        expect(planError(vary)).to.equal(message);
      });
    }

    it("refuses --seed or --blocks with a --vary of the same field", () => {
      expect(planError(["seed=1,2"], { seed: 3n })).to.equal("--seed: cannot be combined with --vary seed (it would replace every value)");
      expect(planError(["blocks=30,40"], { blocks: 20 })).to.equal("--blocks: cannot be combined with --vary blocks (it would replace every value)");
    });

    it("the command prints one line (and the usage for a bad flag), exits 2 and writes nothing", async () => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), "liqsim-sweep-bad-"));
      try {
        const bad: [string[], string][] = [
          [["--vary", "liquidators[0].delayBlocks=-1"], "error: --vary liquidators[0].delayBlocks=-1: liquidators[0].delayBlocks: must be >= 0\n"],
          [["--vary", "liquidators[0].delayBlocks=1", "--speed", "9"], `error: Unknown option '--speed'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--speed"\n${SWEEP_USAGE}\n`],
        ];
        for (const [args, stderr] of bad) {
          const out = path.join(tmp, "out");
          const r = await run([LATE_KEEPERS, ...args, "--out", out]);
          expect(r.code, r.stderr).to.equal(2);
          expect(r.stderr).to.equal(stderr);
          expect(existsSync(out)).to.equal(false);
        }
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    });
  });

  describe("late-keepers: keeper delay 0 and 20 blocks x 40 and 10 borrowers", () => {
    const vary = ["liquidators[0].delayBlocks=0,20", "borrowers[0].count=40,10"];

    it("deploys twice (once per borrower count), and every run is byte-for-byte a fresh run of its variant", async () => {
      const plan = planSweep({ scenarioFile: LATE_KEEPERS, vary });
      output = await onSnapshot(() => runSweep({ plan, check: true }));
      // The variants alternate between the two deployments, yet each is deployed once.
      expect(output.deployments).to.equal(2);
      expect(output.runs.map((r) => [r.index, r.deployment])).to.deep.equal([[0, 0], [1, 1], [2, 0], [3, 1]]);
      expect(output.runs.map((r) => r.error)).to.deep.equal([null, null, null, null]);
      for (const variant of plan.variants) {
        const fresh = await onSnapshot(async () => formatRunResultJson(resultOf(await runScenario(variant.scenario, { check: true }))));
        const swept = output.runs[variant.index];
        if (swept === undefined) throw new Error(`no run ${variant.index}`);
        expect(formatRunResultJson(swept.result), `variant ${variant.index}`).to.equal(fresh);
      }
      result = buildSweepResult(output);
      const figures = result.results.map((r) => [r.summary.liquidations.count, r.summary.delayBlocks.max, r.summary.badDebt.recordedUsd, r.summary.badDebt.totalUsd]);
      expect(figures).to.deep.equal([
        [114, 0, "0", "0"],
        [24, 0, "0", "0"],
        [40, 20, "209132.863171", "209132.863171"],
        [10, 20, "45788.851656", "45788.851656"],
      ]);
      // The lesson: with either book, a 20-block delay turns a falling market into bad debt.
      expect(Number(figures[2]?.[2])).to.be.greaterThan(Number(figures[0]?.[2]));
      expect(Number(figures[3]?.[2])).to.be.greaterThan(Number(figures[1]?.[2]));
    });

    it("sweep.html draws a heatmap per figure, the largest value in the strongest color", () => {
      const html = formatSweepHtml(result);
      expect(html.match(/<table class="heatmap"/g)).to.have.length(4);
      // Axes and headings by name and unit; the tooltips keep the paths.
      expect(html).to.include("<h2>Heatmaps: liquidator 1 delay (blocks) (rows) by borrower group 1 count (accounts) (columns)</h2>");
      expect(html).to.include(`<th class="corner">liquidator 1 delay (blocks) \\ borrower group 1 count (accounts)</th>`);
      expect(html).to.include(`<td style="background: rgb(198, 40, 40); color: #fff" title="liquidators[0].delayBlocks = 20, borrowers[0].count = 40: $209,132.86">$209,132.86</td>`);
      expect(html).to.include(`<td style="background: rgb(255, 255, 255); color: #222" title="liquidators[0].delayBlocks = 0, borrowers[0].count = 10: $0.00">$0.00</td>`);
      expect(html.match(/<canvas /g)).to.equal(null);
    });
  });

  describe("the command: one parameter, files, chart", () => {
    it("writes sweep.csv, sweep.html and sweep.json from one deployment; chromium draws the five charts", async () => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), "liqsim-sweep-"));
      try {
        const out = path.join(tmp, "out");
        const r = await onSnapshot(() => run([LATE_KEEPERS, "--vary", "liquidators[0].delayBlocks=20,0", "--html", "--out", out]));
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.include("runs      2 (1 deployment)");
        expect((await readdir(out)).sort()).to.deep.equal(["sweep.csv", "sweep.html", "sweep.json"]);
        expect(await readFile(path.join(out, "sweep.csv"), "utf8")).to.equal(
          [
            "liquidators[0].delayBlocks,recorded_bad_debt_usd,absorbed_reserves_usd,absorbed_insurance_fund_usd,absorbed_suppliers_usd,absorbed_deficit_usd,absorbed_auto_deleveraged_usd,absorbed_socialized_usd,absorbed_owed_by_trader_usd,unabsorbed_usd,latent_bad_debt_market_usd,total_bad_debt_usd,liquidations,debt_repaid_usd,delay_p50_blocks,delay_p95_blocks,delay_max_blocks,episodes_never_liquidated,cascade_depth,failed_attempts,eth-longs_loss_usd,eth-longs_loss_pct,complete",
            // The reserves had earned only 0.025071 of interest by the write-offs: the suppliers pay the rest.
            "20,209132.863171,0.025071,0,209132.8381,0,0,0,0,0,0,209132.863171,40,999205.83633,20,20,20,0,1,80,960438.75454482,127.83591418,true",
            "0,0,0,0,0,0,0,0,0,0,0,0,114,1130854.759642,0,0,0,0,1,228,708411.35414593,94.29066939,true",
            "",
          ].join("\n"),
        );
        const json = JSON.parse(await readFile(path.join(out, "sweep.json"), "utf8")) as SweepResultJson;
        expect(json.deployments).to.equal(1);
        expect(json.parameters).to.deep.equal([{ path: "liquidators[0].delayBlocks", values: [20, 0] }]);
        // The same summaries as the two-parameter sweep's runs with 40 borrowers.
        expect(json.results.map((x) => x.summary)).to.deep.equal([result.results[2]?.summary, result.results[0]?.summary]);

        const dom = dumpDom(path.join(out, "sweep.html"), tmp);
        expect(/<body[^>]* data-charts="([^"]*)"/.exec(dom)?.[1]).to.equal("5 rendered");
        const canvases = [...dom.matchAll(/<canvas [^>]*>/g)].map((m) => m[0]);
        expect(canvases).to.have.length(5);
        // Bad debt: 3 lines of 2 points; who paid: 2 lines; the one group's loss, liquidations and depth: 1 line.
        const points: Record<string, number> = { "chart-0": 6, "chart-1": 4 };
        for (const canvas of canvases) {
          const id = /id="([^"]+)"/.exec(canvas)?.[1] ?? "";
          expect(canvas, `${id}: no error`).to.not.include("data-error");
          expect(Number(/data-points="(\d+)"/.exec(canvas)?.[1] ?? 0), `${id}: points`).to.equal(points[id] ?? 2);
          // Delays 0 and 20 blocks: integer ticks.
          expect(/data-x-ticks="([^"]*)"/.exec(canvas)?.[1], `${id}: ticks`).to.match(/^\d+( \d+)*$/);
          expect(Number(/data-drawn-pixels="(\d+)"/.exec(canvas)?.[1] ?? 0), `${id}: drawn pixels`).to.be.greaterThan(1000);
        }
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    });
  });
  describe("scenario warnings", () => {
    it("the stale-price fixture's two warnings go to stderr once, before the runs, as simulate prints them", async () => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), "liqsim-sweep-warn-"));
      try {
        const fixture = path.join(__dirname, "..", "fixtures", "stale-price.json");
        const r = await onSnapshot(() => run([fixture, "--vary", "liquidators[0].priorityFeeGwei=2", "--blocks", "2", "--quiet", "--out", path.join(tmp, "out")]));
        expect(r.code, r.stderr).to.equal(0);
        const lines = r.stderr.split("\n").filter((line) => line.startsWith("warning: "));
        expect(lines.map((line) => /^warning: protocols\[0\]\.markets\[0\]\.maxPriceAgeSeconds: 120 s, but (feeds\[\d\])\.heartbeatSeconds is 3600 s/.exec(line)?.[1])).to.deep.equal(["feeds[0]", "feeds[1]"]);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    });
  });

  describe("parameter names (no chain)", () => {
    it("names a path by its sections' nouns, entry numbers from 1, the field's words and its unit", () => {
      const cases: [string, string][] = [
        ["liquidators[0].delayBlocks", "liquidator 1 delay (blocks)"],
        ["market[0].segments[1].toPriceUsd", "market path 1 segment 2 to price (USD)"],
        ["protocols[0].reserves[1].initialReserves", "protocol 1 reserve 2 initial reserves (tokens)"],
        ["protocols[0].reserves[0].ltvPct", "protocol 1 reserve 1 LTV (%)"],
        ["feeds[0].deviationBps", "feed 1 deviation (bps)"],
        ["feeds[1].heartbeatSeconds", "feed 2 heartbeat (seconds)"],
        ["liquidators[0].priorityFeeGwei", "liquidator 1 priority fee (gwei)"],
        ["borrowers[0].count", "borrower group 1 count (accounts)"],
        ["borrowers[0].collateralUsd.min", "borrower group 1 collateral min (USD)"],
        ["borrowers[0].healthFactor.max", "borrower group 1 health factor max"],
        ["liquidators[0].capital[0].amount", "liquidator 1 capital 1 amount (tokens)"],
        ["liquidators[0].sellOnAmm", "liquidator 1 sell on AMM"],
        ["protocols[0].liquidation.closeFactorPct", "protocol 1 liquidation close factor (%)"],
        ["blocks", "run length (blocks)"],
        ["seed", "seed"],
      ];
      expect(cases.map(([p]) => [p, parameterLabel(p)])).to.deep.equal(cases);
    });
  });

  describe("insurance-fund (lesson 5): the fund's size, 25,000 and 150,000 USDC, 12 blocks", () => {
    const INSURANCE_FUND = scenarioFile("insurance-fund");
    let tmp: string;
    before(async () => {
      tmp = await mkdtemp(path.join(os.tmpdir(), "liqsim-sweep-fund-"));
    });
    after(async () => {
      await rm(tmp, { recursive: true, force: true });
    });

    it("the same bad debt, paid by the fund or the suppliers: sweep.csv and the table show who paid and the group's loss", async () => {
      const out = path.join(tmp, "fund");
      const r = await onSnapshot(() => run([INSURANCE_FUND, "--vary", "protocols[0].reserves[1].initialReserves=25000,150000", "--blocks", "12", "--html", "--out", out]));
      expect(r.code, r.stderr).to.equal(0);
      // The lesson's figures: $108,414.63 written off either way; a 25,000 fund pays 25,000 and the suppliers
      // the other 83,414.63; a 150,000 fund pays all. The borrowers lose their 215,598.74 and the lenders the
      // bad debt: 324,013.37, 150.29% of what the group put in, whatever the fund.
      expect(await readFile(path.join(out, "sweep.csv"), "utf8")).to.equal(
        [
          "protocols[0].reserves[1].initialReserves,recorded_bad_debt_usd,absorbed_reserves_usd,absorbed_insurance_fund_usd,absorbed_suppliers_usd,absorbed_deficit_usd,absorbed_auto_deleveraged_usd,absorbed_socialized_usd,absorbed_owed_by_trader_usd,unabsorbed_usd,latent_bad_debt_market_usd,total_bad_debt_usd,liquidations,debt_repaid_usd,delay_p50_blocks,delay_p95_blocks,delay_max_blocks,episodes_never_liquidated,cascade_depth,failed_attempts,eth-longs_loss_usd,eth-longs_loss_pct,complete",
          "25000,108414.631201,25000,0,83414.631201,0,0,0,0,0,0,108414.631201,10,432017.826761,0,0,0,0,1,0,324013.37005916,150.28537355,true",
          "150000,108414.631201,108414.631201,0,0,0,0,0,0,0,0,108414.631201,10,432017.826761,0,0,0,0,1,0,324013.37005916,150.28537355,true",
          "",
        ].join("\n"),
      );
      const lines = r.stdout.split("\n");
      const heading = lines.find((l) => l.startsWith("protocols[0].reserves[1].initialReserves  ")) ?? "";
      expect(heading.split(/ {2,}/)).to.deep.equal([
        "protocols[0].reserves[1].initialReserves", "liquidations", "debt repaid", "delay p50/p95/max", "never liquidated", "bad debt recorded",
        "absorbed by reserves", "socialized to suppliers", "latent (market)", "recorded + latent", "eth-longs loss", "cascade depth", "failed txs",
      ]);
      const rows = lines.filter((l) => /^ +(25000|150000) /.test(l)).map((l) => l.trim().split(/ {2,}/));
      expect(rows.map((cells) => cells.slice(5, 11))).to.deep.equal([
        ["$108,414.63", "$25,000.00", "$83,414.63", "$0.00", "$108,414.63", "$324,013.37 (150.29%)"],
        ["$108,414.63", "$108,414.63", "$0.00", "$0.00", "$108,414.63", "$324,013.37 (150.29%)"],
      ]);
    });

    it("sweep.html: the axis named with its unit, who paid charted; at 1,400 px the runs table fits, at 700 px it scrolls in its box, never the page", () => {
      const html = path.join(tmp, "fund", "sweep.html");
      const wide = dumpDom(html, tmp, { windowWidth: 1400 });
      expect(/<body[^>]* data-charts="([^"]*)"/.exec(wide)?.[1]).to.equal("5 rendered");
      const data = JSON.parse(/<script type="application\/json" id="liqsim-data">(.*?)<\/script>/s.exec(wide)?.[1] ?? "null") as {
        charts: { title: string; xTitle: string; integerX: boolean; lines: { label: string; values: number[] }[] }[];
      };
      expect(data.charts.map((c) => c.title)).to.deep.equal(["Bad debt (USD)", "Who paid the recorded bad debt (USD)", "Loss per group, borrowers' and lenders' (USD)", "Liquidations", "Cascade depth"]);
      expect(new Set(data.charts.map((c) => c.xTitle))).to.deep.equal(new Set(["protocol 1 reserve 2 initial reserves (tokens)"]));
      expect(data.charts[1]?.lines).to.deep.equal([
        { label: "absorbed by reserves", color: "#2e7d32", dash: [], values: [25000, 108414.631201] },
        { label: "socialized to suppliers", color: "#e65100", dash: [], values: [83414.631201, 0] },
      ]);
      expect(data.charts[2]?.lines.map((l) => [l.label, l.values])).to.deep.equal([["eth-longs", [324013.37005916, 324013.37005916]]]);
      const box = (dom: string): Record<string, number> => {
        const tag = /<div class="table-box" data-table="runs"[^>]*>/.exec(dom)?.[0] ?? "";
        return Object.fromEntries(["box", "table", "page", "viewport"].map((k) => [k, Number(new RegExp(`data-${k}-width="(\\d+)"`).exec(tag)?.[1] ?? NaN)]));
      };
      const at1400 = box(wide);
      expect(at1400.viewport, "the window's width, less a scroll bar").to.be.within(1370, 1400);
      expect(at1400.table, "the table fits its box").to.be.at.most(at1400.box as number);
      expect(at1400.page, "nothing overflows the page").to.be.at.most(at1400.viewport as number);
      const at700 = box(dumpDom(html, tmp, { windowWidth: 700 }));
      expect(at700.table, "the table is wider than its box, which scrolls").to.be.greaterThan(at700.box as number);
      expect(at700.page, "the page itself does not scroll sideways").to.be.at.most(at700.viewport as number);
    });

    it("an integer parameter's axis has integer ticks only (keeper delay 0 and 1 block)", async () => {
      const out = path.join(tmp, "delay");
      const r = await onSnapshot(() => run([INSURANCE_FUND, "--vary", "liquidators[0].delayBlocks=0,1", "--blocks", "12", "--html", "--quiet", "--out", out]));
      expect(r.code, r.stderr).to.equal(0);
      const dom = dumpDom(path.join(out, "sweep.html"), tmp);
      const ticks = [...dom.matchAll(/<canvas [^>]*data-x-ticks="([^"]*)"/g)].map((m) => m[1]);
      // Chart.js's own steps over 0..1 are 0.1; the axis keeps 0 and 1.
      expect(ticks).to.deep.equal(["0 1", "0 1", "0 1", "0 1", "0 1"]);
      expect(dom).to.include("liquidator 1 delay (blocks)");
    });
  });

  describe("perp-adl: who paid beyond the lending absorbers", () => {
    it("the table and sweep.html's who-paid chart show the insurance fund's and auto-deleveraging's parts, reserves and suppliers at $0.00 as always", async () => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), "liqsim-sweep-adl-"));
      try {
        const out = path.join(tmp, "adl");
        const r = await onSnapshot(() => run([scenarioFile("perp-adl"), "--vary", "liquidators[0].delayBlocks=0,3", "--html", "--out", out]));
        expect(r.code, r.stderr).to.equal(0);
        const lines = r.stdout.split("\n");
        const at = lines.findIndex((l) => l.startsWith("liquidators[0].delayBlocks  "));
        // The $4,575.03 written off: $2,000 from the insurance fund, $2,575.03 from auto-deleveraged winners.
        expect([lines[at] ?? "", lines[at + 2] ?? ""].map((l) => l.trim().split(/ {2,}/).slice(5, 12))).to.deep.equal([
          ["bad debt recorded", "absorbed by reserves", "absorbed by insurance fund", "socialized to suppliers", "auto-deleveraged", "latent (market)", "recorded + latent"],
          ["$4,575.03", "$0.00", "$2,000.00", "$0.00", "$2,575.03", "$0.00", "$4,575.03"],
        ]);
        const html = await readFile(path.join(out, "sweep.html"), "utf8");
        const data = JSON.parse(/<script type="application\/json" id="liqsim-data">(.*?)<\/script>/s.exec(html)?.[1] ?? "null") as { charts: { title: string; lines: { label: string; values: number[] }[] }[] };
        const paid = data.charts.find((c) => c.title === "Who paid the recorded bad debt (USD)");
        expect(paid?.lines.map((l) => l.label)).to.deep.equal(["absorbed by reserves", "absorbed by insurance fund", "socialized to suppliers", "auto-deleveraged"]);
        expect(html).to.include("The columns absorbed by reserves, absorbed by insurance fund, socialized to suppliers, auto-deleveraged add up to the recorded bad debt.");
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    });
  });
});
