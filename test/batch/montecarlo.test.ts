/**
 * Monte Carlo: the same seed gives byte-identical montecarlo.json with one worker or two (paths are
 * handed to whichever worker is free and gathered by index, each worker process's chain is its own and
 * this process's is not touched; a slow worker leaves the remaining paths to the other), a path's figures are those of a fresh run with its market seed, the distribution's
 * percentiles, VaR and LaR are exact nearest-rank values, a sample too small for a percentile
 * (N < 10 / (1 - p/100)) is flagged in montecarlo.json, the table and the page, the page counts this
 * run's paths, each histogram's first bar holds the paths at exactly $0, and bad input is one line, exit code 2 and
 * nothing written. A worker process that dies mid-run (killed, or aborting as Hardhat's engine can)
 * fails the run within seconds with the worker's number, how it ended and its last stderr lines,
 * writes nothing and leaves no worker process behind; so does an abort (Ctrl-C).
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { network } from "hardhat";
import { runCommand } from "../helpers/cli";
import { loadScenarioFile, runScenario } from "../../simulator";
import { MONTECARLO_USAGE, montecarlo, parseMonteCarloArgs } from "../../simulator/cli/montecarlo";
import { UsageError } from "../../simulator/cli/errors";
import {
  MonteCarloWorkerError,
  NoRandomPathError,
  decodeScenario,
  encodeScenario,
  pathMarketSeed,
  pathRow,
  requireRandomMarket,
  runMonteCarlo,
  workerEnv,
  workerExecArgv,
} from "../../simulator/batch/monteCarlo";
import {
  REPORTED_PERCENTILES,
  buildMonteCarloResult,
  formatMonteCarloJson,
  formatMonteCarloTable,
  histogram,
  minPathsFor,
  smallSample,
  smallSampleWarning,
  summarizeMonteCarlo,
  type MonteCarloPathFigures,
  type MonteCarloResultJson,
} from "../../simulator/report";

const ROOT = path.join(__dirname, "..", "..");
const SCENARIO = path.join(ROOT, "scenarios", "montecarlo-gbm.json");

const run = (argv: string[]) => runCommand(montecarlo, argv, ROOT);

async function blockNumber(): Promise<bigint> {
  return BigInt((await network.provider.send("eth_blockNumber")) as string);
}

/** The Monte Carlo worker processes this process has now. */
function workerProcesses(): string[] {
  const r = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" });
  return r.stdout.split("\n").filter((line) => line.includes("monteCarloWorkerEntry.js"));
}

/**
 * A script that NODE_OPTIONS loads into every worker process: every worker appends "<worker> <path>" to
 * `log` per row it sends; in worker 1 only, once the first path's row has been handed to the parent,
 * it writes "worker 1 dies" to stderr and dies, by `exit134` (the lines a Hardhat engine (EDR) panic
 * leaves, then exit code 134, as the engine's abort did to worker threads) or by SIGKILL.
 */
async function dyingWorkerScript(dir: string, how: "exit134" | "SIGKILL", log: string): Promise<string> {
  const file = path.join(dir, `worker-1-${how}.js`);
  await writeFile(
    file,
    `"use strict";
const { appendFileSync } = require("node:fs");
if (process.send && process.argv[1] && process.argv[1].endsWith("monteCarloWorkerEntry.js")) {
  const send = process.send.bind(process);
  const worker = process.argv[2];
  let paths = 0;
  process.send = (message) => {
    if (message.type === "path") appendFileSync(${JSON.stringify(log)}, worker + " " + message.row.path + "\\n");
    return send(message, undefined, {}, () => {
      if (worker !== "1" || message.type !== "path" || ++paths !== 1) return;
      ${how === "exit134" ? `process.stderr.write("thread '<unnamed>' panicked at edr_napi/src/provider.rs: failed to delete napi ref (simulated)\\n");
      ` : ""}process.stderr.write("worker 1 dies\\n");
      ${how === "exit134" ? "process.exit(134);" : 'process.kill(process.pid, "SIGKILL");'}
    });
  };
}
`,
  );
  return file;
}

/** Paths worker `worker` sent rows for, from a log the preloaded scripts write. */
async function pathsSentBy(log: string, worker: string): Promise<number> {
  const lines = (await readFile(log, "utf8")).trim().split("\n");
  return lines.filter((line) => line.split(" ")[0] === worker).length;
}

/** Runs `body` with `script` preloaded into every process started meanwhile (the workers). */
async function preloading<T>(script: string, body: () => Promise<T>): Promise<T> {
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${before ?? ""} --require=${script}`.trim();
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  }
}

describe("Monte Carlo", function () {
  this.timeout(120_000);
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "liqsim-mc-"));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  describe("4 paths x 30 blocks of montecarlo-gbm (seed 7)", () => {
    const argv = (out: string, workers: number) => [SCENARIO, "--paths", "4", "--blocks", "30", "--seed", "7", "--workers", String(workers), "--out", out];
    let one: string;
    let result: MonteCarloResultJson;

    it("one worker and two write byte-identical montecarlo.json; the main thread's chain is not touched", async () => {
      const before = await blockNumber();
      const a = await run(argv(path.join(tmp, "k1"), 1));
      expect(a.code, a.stderr).to.equal(0);
      const b = await run(argv(path.join(tmp, "k2"), 2));
      expect(b.code, b.stderr).to.equal(0);
      expect(await blockNumber(), "each worker mines on its own chain").to.equal(before);

      one = await readFile(path.join(tmp, "k1", "montecarlo.json"), "utf8");
      expect(await readFile(path.join(tmp, "k2", "montecarlo.json"), "utf8")).to.equal(one);
      expect((await readdir(path.join(tmp, "k2"))).sort()).to.deep.equal(["montecarlo.html", "montecarlo.json"]);
      result = JSON.parse(one) as MonteCarloResultJson;
      expect(result.pathResults.map((r) => r.path)).to.deep.equal([0, 1, 2, 3]);
      expect(result.pathResults.map((r) => r.marketSeed)).to.deep.equal([0, 1, 2, 3].map((i) => ((7n << 32n) + BigInt(i)).toString()));
      // The paths really differ: quiet ones, liquidated ones, and one that leaves recorded and latent bad debt.
      expect(result.pathResults.map((r) => r.liquidations)).to.deep.equal([3, 22, 0, 0]);
      expect(result.pathResults[1]?.recordedBadDebtUsd).to.not.equal("0");
      expect(result.pathResults[1]?.latentBadDebtMarketUsd).to.not.equal("0");
      expect(result.pathsComplete).to.equal(4);
      // The worker count is printed, not recorded; the tables are the same.
      expect(one).to.not.include("worker");
      expect(b.stdout).to.match(/^4 paths x 30 blocks in [\d.]+ s \([\d.]+ paths\/s\) on 2 workers$/m);
      const table = (stdout: string): string => stdout.slice(0, stdout.indexOf("\n4 paths x"));
      expect(table(b.stdout)).to.equal(table(a.stdout));
      expect(a.stdout).to.include("VaR 95% (bad debt, recorded + latent): $");
      // 4 paths: p50 is rank 2 (2 above), p95 and p99 rank 4, the maximum: flagged in the file, the table and the page.
      expect(result.smallSample).to.deep.equal([
        { percentile: 50, minPaths: 20, pathsAbove: 2 },
        { percentile: 95, minPaths: 200, pathsAbove: 0 },
        { percentile: 99, minPaths: 1000, pathsAbove: 0 },
      ]);
      const warning =
        "WARNING: 4 paths are too few for p50, p95 and p99 (so VaR and LaR): the rule asks for 10 paths beyond a percentile, N >= 10 / (1 - p/100) (20 for p50, 200 for p95, 1000 for p99); here p95 and p99 are the maximum";
      expect(a.stdout).to.include(`max cascade depth ${result.maxCascadeDepth}\n${warning}\n`);
      const html = await readFile(path.join(tmp, "k1", "montecarlo.html"), "utf8");
      expect(html).to.include(`<p class="warning" data-small-sample>${warning.replace(">", "&gt;")}</p>`);
      // Every count on the page is this run's: 4 paths, nowhere 20 (the scenario's description said "Over 20 paths").
      expect(html).to.include("<h1>montecarlo-gbm: 4 Monte Carlo paths</h1>");
      expect(html).to.include("<h2>Distributions over 4 paths</h2>");
      expect(html).to.include("<dt>paths</dt><dd>4</dd>");
      expect(html).to.not.match(/\b20 paths/);
    });

    it("a path's figures are those of a fresh deployment run with the path's market seed", async () => {
      const scenario = { ...loadScenarioFile(SCENARIO), blocks: 30 };
      const snapshot = (await network.provider.send("evm_snapshot")) as string;
      try {
        const marketSeed = pathMarketSeed(7n, 1);
        const fresh = await runScenario(scenario, { marketSeed });
        expect(pathRow(1, marketSeed, fresh)).to.deep.equal(result.pathResults[1]);
      } finally {
        await network.provider.send("evm_revert", [snapshot]);
        await network.provider.send("evm_setAutomine", [true]);
      }
    });

    it("chromium draws both histograms of montecarlo.html", () => {
      const r = spawnSync(
        "chromium",
        ["--headless=new", "--disable-gpu", "--no-sandbox", `--user-data-dir=${path.join(tmp, "chromium-profile")}`, "--dump-dom", pathToFileURL(path.join(tmp, "k1", "montecarlo.html")).href],
        { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      );
      if (r.error !== undefined) throw new Error(`cannot run chromium (apt-get install chromium): ${r.error.message}`);
      expect(/<body[^>]* data-charts="([^"]*)"/.exec(r.stdout)?.[1]).to.equal("2 rendered");
      for (const canvas of [...r.stdout.matchAll(/<canvas [^>]*>/g)].map((m) => m[0])) {
        expect(canvas).to.not.include("data-error");
        expect(Number(/data-drawn-pixels="(\d+)"/.exec(canvas)?.[1] ?? 0)).to.be.greaterThan(1000);
      }
      // The first bar of each histogram is the paths at exactly $0: paths 2 and 3 had no liquidation.
      const data = JSON.parse(/<script type="application\/json" id="liqsim-data">(.*?)<\/script>/s.exec(r.stdout)?.[1] ?? "null") as {
        charts: { bins: { from: number; to: number; count: number }[] }[];
      };
      const zeros = (field: "totalBadDebtUsd" | "liquidationVolumeUsd"): number => result.pathResults.filter((p) => p[field] === "0").length;
      expect(data.charts.map((c) => c.bins[0])).to.deep.equal([
        { from: 0, to: 0, count: zeros("totalBadDebtUsd") },
        { from: 0, to: 0, count: 2 },
      ]);
      expect(zeros("liquidationVolumeUsd")).to.equal(2);
      // Liquidation volume: the zero bar and ceil(√2) -> 5 bins for the 2 liquidated paths.
      expect(data.charts[1]?.bins.map((b) => b.count)).to.deep.equal([2, 1, 0, 0, 0, 1]);
    });
  });

  describe("worker processes: a dead worker or an abort ends the run at once, with nothing left behind", () => {
    const scenario = (): ReturnType<typeof loadScenarioFile> => ({ ...loadScenarioFile(SCENARIO), blocks: 30 });

    it("worker 1 killed (SIGKILL) after its first path: MonteCarloWorkerError names it at once (worker 0 does not run the paths left); no worker process is left", async () => {
      // 12 paths on 2 workers: worker 1 starts with path 1 and dies after sending its row, while paths
      // are left for it. "At once" is counted in paths, not seconds (a busy machine must not fail it):
      // had the run waited for worker 0, it would have sent rows for the 11 other paths.
      const log = path.join(tmp, "sigkill-rows.log");
      const script = await dyingWorkerScript(tmp, "SIGKILL", log);
      const error: unknown = await preloading(script, () => runMonteCarlo({ scenario: scenario(), seed: 7n, paths: 12, workers: 2 })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(MonteCarloWorkerError);
      const e = error as MonteCarloWorkerError;
      expect(e.message).to.equal("worker 1: its process was killed by SIGKILL after 1 path");
      expect([e.worker, e.chain, e.exit?.exitCode, e.exit?.signal]).to.deep.equal([1, false, null, "SIGKILL"]);
      expect(e.exit?.stderr.at(-1)).to.equal("worker 1 dies");
      expect(await pathsSentBy(log, "1")).to.equal(1);
      expect(await pathsSentBy(log, "0")).to.be.below(11);
      expect(workerProcesses()).to.deep.equal([]);
    });

    it("worker 1 exits with code 134 as an engine panic would: the command exits 1, prints its stderr lines, writes nothing, leaves no process", async () => {
      const out = path.join(tmp, "worker-died");
      const log = path.join(tmp, "exit134-rows.log");
      const script = await dyingWorkerScript(tmp, "exit134", log);
      const r = await preloading(script, () => run([SCENARIO, "--paths", "12", "--blocks", "30", "--seed", "7", "--workers", "2", "--out", out]));
      expect(r.code).to.equal(1);
      const lines = r.stderr.split("\n");
      expect(lines.slice(0, 3)).to.deep.equal([
        "error: worker 1: its process exited with code 134 after 1 path; nothing was written",
        "worker 1's last lines on stderr:",
        "  thread '<unnamed>' panicked at edr_napi/src/provider.rs: failed to delete napi ref (simulated)",
      ]);
      expect(lines[3]).to.equal("  worker 1 dies");
      expect(lines.slice(4)).to.deep.equal([""]);
      // The command returned without worker 0 running the 11 other paths.
      expect(await pathsSentBy(log, "0")).to.be.below(11);
      expect(existsSync(out)).to.equal(false);
      expect(workerProcesses()).to.deep.equal([]);
    });

    it("paths go to whichever worker is free: worker 1 holding its first row until worker 0 has sent paths 2 and 3 (a fixed split would hang here); the rows are the one-worker run's", async () => {
      // In every worker: log "<worker> <path>" per row sent; worker 1 holds its first row until the log
      // shows rows of paths 2 and 3 from worker 0: a condition, not a duration, so a slow machine waits
      // longer but gets the same answer. Were path 3 kept for worker 1, nothing would release it and the
      // test would fail on mocha's timeout.
      const log = path.join(tmp, "rows-by-worker.log");
      const script = path.join(tmp, "slow-worker-1.js");
      await writeFile(
        script,
        `"use strict";
const { appendFileSync, readFileSync } = require("node:fs");
if (process.send && process.argv[1] && process.argv[1].endsWith("monteCarloWorkerEntry.js")) {
  const send = process.send.bind(process);
  const worker = process.argv[2];
  let rows = 0;
  process.send = (message, ...rest) => {
    if (message.type !== "path") return send(message, ...rest);
    appendFileSync(${JSON.stringify(log)}, worker + " " + message.row.path + "\\n");
    if (worker === "1" && ++rows === 1) {
      const ready = () => { const seen = readFileSync(${JSON.stringify(log)}, "utf8").split("\\n"); return seen.includes("0 2") && seen.includes("0 3"); };
      const poll = setInterval(() => { if (ready()) { clearInterval(poll); send(message, ...rest); } }, 20);
      return true;
    }
    return send(message, ...rest);
  };
}
`,
      );
      const paths = await preloading(script, () => runMonteCarlo({ scenario: scenario(), seed: 7n, paths: 4, workers: 2 }));
      const ran = (await readFile(log, "utf8")).trim().split("\n").sort();
      expect(ran).to.deep.equal(["0 0", "0 2", "0 3", "1 1"]);
      const alone = await runMonteCarlo({ scenario: scenario(), seed: 7n, paths: 4, workers: 1 });
      expect(paths).to.deep.equal(alone);
      expect(workerProcesses()).to.deep.equal([]);
    }).timeout(120_000);

    it("an abort after the first path (Ctrl-C) rejects with its reason at once: no row is reported after it; both workers are gone", async () => {
      const interrupt = new AbortController();
      let reported = 0;
      const reason = new Error("interrupted");
      const error: unknown = await runMonteCarlo({
        scenario: scenario(),
        seed: 7n,
        paths: 4,
        workers: 2,
        signal: interrupt.signal,
        onPath: (_row, done) => {
          reported = done;
          if (done !== 1) return;
          // Both workers were started and one has sent a path: they are running.
          expect(workerProcesses()).to.have.length(2);
          interrupt.abort(reason);
        },
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.equal(reason);
      expect(reported).to.equal(1);
      expect(workerProcesses()).to.deep.equal([]);
    });

    it("a worker gets the parent's Node options but not its debugger, loaders or ts-node's script; its chain is in-process; malloc arenas and mimalloc's purge delay are set unless the user set them", () => {
      // What `npm run montecarlo` (ts-node's CLI) has in process.execArgv: ts-node's script and option.
      expect(workerExecArgv(["/repo/node_modules/ts-node/dist/bin.js", "--transpile-only"])).to.deep.equal([]);
      expect(
        workerExecArgv(["--max-old-space-size=8192", "--inspect=9229", "--expose-gc", "--require", "ts-node/register", "--stack-trace-limit=50", "--title", "mc", "--transpile-only"]),
      ).to.deep.equal(["--max-old-space-size=8192", "--expose-gc", "--stack-trace-limit=50"]);
      expect(workerEnv({ PATH: "/bin", HARDHAT_NETWORK: "localhost" })).to.deep.equal({
        PATH: "/bin",
        HARDHAT_NETWORK: "hardhat",
        MALLOC_ARENA_MAX: "2",
        MIMALLOC_PURGE_DELAY: "1000",
      });
      expect(workerEnv({ MALLOC_ARENA_MAX: "4" }).MALLOC_ARENA_MAX).to.equal("4");
      expect(workerEnv({ MIMALLOC_PURGE_DELAY: "10" }).MIMALLOC_PURGE_DELAY).to.equal("10");
    });
  });

  describe("distribution (pure)", () => {
    const figures = (values: [string, string, string][]): MonteCarloPathFigures[] =>
      values.map(([recorded, latent, volume], path) => ({
        path,
        marketSeed: BigInt(path),
        complete: true,
        recordedBadDebtUsd: new Decimal(recorded),
        latentBadDebtMarketUsd: new Decimal(latent),
        totalBadDebtUsd: new Decimal(recorded).plus(latent),
        liquidationVolumeUsd: new Decimal(volume),
        liquidations: new Decimal(volume).isZero() ? 0 : 1,
        cascadeDepth: new Decimal(volume).isZero() ? 0 : 1,
      }));

    it("20 paths: p50, p95, p99 are ranks 10, 19, 20 of the ascending list; the mean is exact", () => {
      // Total bad debt of path i is i (0..19) dollars and 1 cent, given in reverse order of size.
      const rows = Array.from({ length: 20 }, (_, i): [string, string, string] => [`${19 - i}`, "0.01", `${1000 * (19 - i)}`]);
      const s = summarizeMonteCarlo(figures(rows));
      expect(s.distribution.totalBadDebtUsd.p50.toString()).to.equal("9.01");
      expect(s.distribution.totalBadDebtUsd.p95.toString()).to.equal("18.01");
      expect(s.distribution.totalBadDebtUsd.p99.toString()).to.equal("19.01");
      expect(s.distribution.totalBadDebtUsd.max.toString()).to.equal("19.01");
      expect(s.distribution.totalBadDebtUsd.mean.toString()).to.equal("9.51");
      expect(s.valueAtRiskUsd.toString()).to.equal("18.01");
      expect(s.liquidationsAtRiskUsd.toString()).to.equal("18000");
      expect(s.distribution.liquidationVolumeUsd.p50.toString()).to.equal("9000");
      expect(s.pathsWithBadDebt).to.equal(20);
      expect(s.pathsWithLiquidations).to.equal(19);
    });

    it("7 paths (the delay example of docs/result-format.md): p50 rank 4, p95 and p99 rank 7; the mean is rounded once to 8 places", () => {
      const volumes = ["0", "1", "1", "2", "5", "9", "20"];
      const result = buildMonteCarloResult({
        scenario: { name: "hand-made", description: "", seed: 5n, blocks: 10, protocols: [] },
        seed: 9n,
        // Written by path whatever the order they arrive in.
        figures: figures(volumes.map((v): [string, string, string] => ["0", "0", v])).reverse(),
      });
      expect(result.distribution.liquidationVolumeUsd).to.deep.equal({ mean: "5.42857143", p50: "2", p95: "20", p99: "20", max: "20" });
      expect(result.liquidationsAtRisk).to.deep.equal({ percentile: 95, liquidationVolumeUsd: "20" });
      expect(result.valueAtRisk).to.deep.equal({ percentile: 95, totalBadDebtUsd: "0" });
      expect(result.pathResults.map((r) => r.path)).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
      expect([result.seed, result.worldSeed, result.paths, result.pathsWithBadDebt, result.pathsWithLiquidations]).to.deep.equal(["9", "5", 7, 0, 6]);
      expect(formatMonteCarloJson(result).endsWith("}\n")).to.equal(true);
    });

    it("one path: every percentile is that path", () => {
      const s = summarizeMonteCarlo(figures([["3.5", "1.25", "77"]]));
      for (const key of ["mean", "p50", "p95", "p99", "max"] as const) expect(s.distribution.totalBadDebtUsd[key].toString()).to.equal("4.75");
    });

    it("histogram: a bar of the zero values, then equal bins above 0 up to the largest value, the maximum in the last bin, the marker's bar", () => {
      // Five values above 0: ceil(√5) = 3, at least 5 bins of 100 / 5 = 20; 49.99 and 50 share bin [40, 60).
      const values = ["0", "0", "0", "10", "25", "49.99", "50", "100"].map((v) => new Decimal(v));
      const h = histogram(values, new Decimal(50), "totalBadDebtUsd");
      expect(h.bins.map((b) => [b.from.toString(), b.to.toString(), b.count])).to.deep.equal([
        ["0", "0", 3],
        ["0", "20", 1],
        ["20", "40", 1],
        ["40", "60", 2],
        ["60", "80", 0],
        ["80", "100", 1],
      ]);
      // 50 is 2.5 bin widths above 0, after the zero bar: 3.5 bars from the left, in bar 3 ([40, 60)).
      expect([h.markerPosition.toString(), h.markerBin]).to.deep.equal(["3.5", 3]);
      // A small loss is not counted with no loss: 0.00000001 goes to the first bin above 0, not the zero bar.
      const tiny = histogram(["0", "0.00000001", "5"].map((v) => new Decimal(v)), new Decimal(0), "totalBadDebtUsd");
      expect(tiny.bins.map((b) => b.count)).to.deep.equal([1, 1, 0, 0, 0, 1]);
      expect([tiny.markerPosition.toString(), tiny.markerBin]).to.deep.equal(["0.5", 0]);
      // No zero value: the zero bar is there, empty.
      expect(histogram([new Decimal(3)], new Decimal(3), "x").bins.map((b) => b.count)).to.deep.equal([0, 0, 0, 0, 0, 1]);
      const zero = histogram([new Decimal(0), new Decimal(0)], new Decimal(0), "totalBadDebtUsd");
      expect(zero.bins.map((b) => [b.from.toString(), b.to.toString(), b.count])).to.deep.equal([["0", "0", 2]]);
    });

    it("small sample: a percentile is flagged below 10 / (1 - p/100) paths (p50: 20, p95: 200, p99: 1000), with the paths ranked above it", () => {
      expect(REPORTED_PERCENTILES).to.deep.equal([50, 95, 99]);
      expect([50, 95, 99].map(minPathsFor)).to.deep.equal([20, 200, 1000]);
      // 10 paths: p50 is rank 5 (5 above), p95 and p99 rank 10, the maximum.
      expect(smallSample(10)).to.deep.equal([
        { percentile: 50, minPaths: 20, pathsAbove: 5 },
        { percentile: 95, minPaths: 200, pathsAbove: 0 },
        { percentile: 99, minPaths: 1000, pathsAbove: 0 },
      ]);
      expect(smallSample(20).map((f) => f.percentile)).to.deep.equal([95, 99]);
      expect(smallSample(199).map((f) => [f.percentile, f.pathsAbove])).to.deep.equal([[95, 9], [99, 1]]);
      expect(smallSample(200).map((f) => [f.percentile, f.pathsAbove])).to.deep.equal([[99, 2]]);
      expect(smallSample(1000)).to.deep.equal([]);
      expect(smallSampleWarning(10, smallSample(10))).to.equal(
        "WARNING: 10 paths are too few for p50, p95 and p99 (so VaR and LaR): the rule asks for 10 paths beyond a percentile, N >= 10 / (1 - p/100) (20 for p50, 200 for p95, 1000 for p99); here p95 and p99 are the maximum",
      );
      expect(smallSampleWarning(200, smallSample(200))).to.equal(
        "WARNING: 200 paths are too few for p99: the rule asks for 10 paths beyond a percentile, N >= 10 / (1 - p/100) (1000 for p99)",
      );
      expect(smallSampleWarning(1000, smallSample(1000))).to.equal(null);
      // In the table and the file.
      const rows = Array.from({ length: 20 }, (_, i): [string, string, string] => [`${i}`, "0", "0"]);
      const result = buildMonteCarloResult({ scenario: { name: "hand-made", description: "", seed: 5n, blocks: 10, protocols: [] }, seed: 9n, figures: figures(rows) });
      expect(result.smallSample.map((f) => [f.percentile, f.minPaths, f.pathsAbove])).to.deep.equal([[95, 200, 1], [99, 1000, 0]]);
      expect(formatMonteCarloTable(result).trimEnd().split("\n").at(-1)).to.equal(
        "WARNING: 20 paths are too few for p95 and p99 (so VaR and LaR): the rule asks for 10 paths beyond a percentile, N >= 10 / (1 - p/100) (200 for p95, 1000 for p99); here p99 is the maximum",
      );
    });

    it("a scenario passes to a worker and back unchanged (bigints, decimal.js values)", () => {
      const scenario = loadScenarioFile(SCENARIO);
      const copy = decodeScenario(structuredClone(encodeScenario(scenario)));
      expect(JSON.stringify(copy, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))).to.equal(
        JSON.stringify(scenario, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)),
      );
      const gbm = copy.market[0]?.segments[0];
      expect(gbm?.type === "gbm" && Decimal.isDecimal(gbm.annualVolatility) && gbm.annualVolatility.eq(15)).to.equal(true);
    });
  });

  describe("bad input: one line naming the argument, exit code 2, nothing written", () => {
    const cases: [string, string[], string][] = [
      ["an unknown option", [SCENARIO, "--paths", "4", "--speed", "9"], "Unknown option '--speed'"],
      ["no --paths", [SCENARIO], "--paths: missing (the number of price paths)"],
      ["--paths 0", [SCENARIO, "--paths", "0"], `--paths: must be an integer from 1 to 1,000,000, got "0"`],
      ["--paths 2.5", [SCENARIO, "--paths", "2.5"], `--paths: must be an integer from 1 to 1,000,000, got "2.5"`],
      ["--workers 0", [SCENARIO, "--paths", "4", "--workers", "0"], `--workers: must be an integer from 1 to 9,007,199,254,740,991, got "0"`],
      ["--workers above --paths", [SCENARIO, "--paths", "4", "--workers", "5"], "--workers: must be at most --paths (4), got 5"],
      ["--seed -1", [SCENARIO, "--paths", "4", "--seed=-1"], `--seed: must be a non-negative integer, got "-1"`],
      ["--blocks 0", [SCENARIO, "--paths", "4", "--blocks", "0"], `--blocks: must be an integer from 1 to 100,000, got "0"`],
      ["no scenario file", ["--paths", "4"], "missing <scenario.json>"],
      ["two scenario files", [SCENARIO, SCENARIO, "--paths", "4"], "one scenario file expected, got 2"],
    ];
    for (const [what, argv, message] of cases) {
      it(`the parser rejects ${what}`, () => {
        let error: unknown;
        try {
          parseMonteCarloArgs(argv);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(UsageError);
        const text = (error as Error).message;
        expect(text.startsWith(message), text).to.equal(true);
        expect(text).to.not.include("\n");
      });
    }

    it("the command prints the parser's line and the usage, and writes nothing", async () => {
      const out = path.join(tmp, "bad-workers");
      const r = await run([SCENARIO, "--paths", "4", "--workers", "5", "--out", out]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(`error: --workers: must be at most --paths (4), got 5\n${MONTECARLO_USAGE}\n`);
      expect(existsSync(out)).to.equal(false);
    });

    it("a missing scenario file", async () => {
      const out = path.join(tmp, "missing");
      const r = await run([path.join(tmp, "nope.json"), "--paths", "4", "--out", out]);
      expect(r.code).to.equal(2);
      expect(r.stderr.trim().split("\n")).to.have.length(1);
      expect(r.stderr).to.match(/^error: .*nope\.json.*cannot read/);
      expect(existsSync(out)).to.equal(false);
    });

    it("a scenario without a random path (price-gap: a step)", async () => {
      const out = path.join(tmp, "no-gbm");
      const r = await run([path.join(ROOT, "scenarios", "price-gap.json"), "--paths", "4", "--out", out]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal("error: scenario has no random price path (a gbm segment): every path would be the same\n");
      expect(existsSync(out)).to.equal(false);
      // A gbm segment that starts after the last block does not count either.
      expect(() => requireRandomMarket({ ...loadScenarioFile(SCENARIO), blocks: 0 })).to.throw(NoRandomPathError);
    });
  });
});
