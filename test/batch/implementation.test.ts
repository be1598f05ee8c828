/**
 * `--implementation mock|real` on `sweep` and `montecarlo`: every protocol of every variant and path runs on
 * the code named, in the local workers and in `queue-worker` processes alike (the job's stored scenario
 * carries each protocol's venue), and sweep.json / montecarlo.json record it (`implementations`).
 * The real code shows in its figures: on Aave V3.6 price-gap's bad debt is the reserve's deficit (liqsim's
 * pool takes about the same amount from its suppliers), and a Monte Carlo path's bad debt carries Aave's
 * rounding (montecarlo-gbm path 1 of seed 7: $23,516.213643 on Aave, $23,516.213637 on the mock).
 * The queued runs equal the local ones although the queue workers take no flag and read no scenario file: the
 * job's stored scenario is their only source. Measured on the 2-core VM, the queue workers' start included:
 * 54 s in all (sweeps 32 s, Monte Carlo 21 s); about 2 minutes while other helpers' jobs ran.
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runCommand } from "../helpers/cli";
import { startRedis, type TestRedis } from "../helpers/redis";
import { startWorker, type WorkerProcess } from "../helpers/queueWorker";
import { MONTECARLO_USAGE, montecarlo } from "../../simulator/cli/montecarlo";
import { SWEEP_USAGE, sweep } from "../../simulator/cli/sweep";
import { SweepInputError, planSweep } from "../../simulator/batch/sweepPlan";
import { formatMonteCarloTable, formatSweepTable, type MonteCarloResultJson, type SweepResultJson } from "../../simulator/report";

const ROOT = path.join(__dirname, "..", "..");
const PRICE_GAP = path.join(ROOT, "scenarios", "price-gap.json");
const MONTE_CARLO = path.join(ROOT, "scenarios", "montecarlo-gbm.json");
/** price-gap's keepers at once and 3 blocks late, over the gap (block 10) and 4 blocks after it. */
const sweepArgv = (out: string, ...more: string[]) => [PRICE_GAP, "--vary", "liquidators[0].delayBlocks=0,3", "--blocks", "14", "--out", out, "--quiet", ...more];
const monteCarloArgv = (out: string, ...more: string[]) => [MONTE_CARLO, "--paths", "2", "--blocks", "30", "--seed", "7", "--out", out, "--quiet", ...more];

/** Who absorbed each run's recorded bad debt (USD): [suppliers, deficit]. */
const absorbers = (result: SweepResultJson) => result.results.map((r) => [r.summary.badDebt.absorbedUsd.suppliers, r.summary.badDebt.absorbedUsd.deficit]);

describe("--implementation on sweep and Monte Carlo (the real Aave V3.6, locally and through the queue)", function () {
  this.timeout(600_000);
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "liqsim-implementation-"));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  describe("bad input: one line naming the argument (and the usage), exit 2, nothing written", () => {
    it("--implementation fake, on both commands", async () => {
      const line = 'error: --implementation: must be one of mock, real, got "fake"';
      const out = path.join(tmp, "bad");
      const s = await runCommand(sweep, sweepArgv(out, "--implementation", "fake"), ROOT);
      expect([s.code, s.stderr]).to.deep.equal([2, `${line}\n${SWEEP_USAGE}\n`]);
      const m = await runCommand(montecarlo, monteCarloArgv(out, "--implementation", "fake"), ROOT);
      expect([m.code, m.stderr]).to.deep.equal([2, `${line}\n${MONTECARLO_USAGE}\n`]);
      expect(existsSync(out)).to.equal(false);
    });

    it("--implementation with a --vary of a protocol's implementation (it would replace every value)", async () => {
      const file = path.join(tmp, "price-gap-implementation.json");
      const doc = JSON.parse(await readFile(PRICE_GAP, "utf8")) as { protocols: Record<string, unknown>[] };
      doc.protocols[0] = { ...doc.protocols[0], implementation: "mock" };
      await writeFile(file, JSON.stringify(doc));
      const plan = (implementation?: "real") => () => planSweep({ scenarioFile: file, vary: ["protocols[0].implementation=mock,aave-v3.6"], implementation });
      expect(plan("real")).to.throw(SweepInputError, "--implementation: cannot be combined with --vary protocols[0].implementation (it would replace every value)");
      expect(plan()().variants.map((v) => v.scenario.protocols[0]?.venue)).to.deep.equal(["pooled", "aave-v3.6"]);
    });
  });

  describe("runs (one redis-server and two queue workers shared by the queued runs)", () => {
    let redis: TestRedis;
    const workers: WorkerProcess[] = [];
    before(async () => {
      redis = await startRedis();
    });
    after(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await redis.stop();
    });
    const startWorkers = async (): Promise<void> => {
      if (workers.length > 0) return;
      workers.push(startWorker(redis.url), startWorker(redis.url));
      await Promise.all(workers.map((w) => w.waitFor(/^serving /)));
    };

    it("sweep (price-gap, keepers 0 and 3 blocks late, 14 blocks): recorded aave-v3.6, the bad debt Aave's deficit; through the queue byte-identical", async () => {
      const mock = await runCommand(sweep, sweepArgv(path.join(tmp, "sweep-mock")), ROOT);
      const real = await runCommand(sweep, sweepArgv(path.join(tmp, "sweep-real"), "--implementation", "real"), ROOT);
      expect([mock.code, real.code], mock.stderr + real.stderr).to.deep.equal([0, 0]);
      const read = (dir: string) => readFile(path.join(tmp, dir, "sweep.json"), "utf8");
      const [mockJson, realJson] = [JSON.parse(await read("sweep-mock")) as SweepResultJson, await read("sweep-real")];
      const result = JSON.parse(realJson) as SweepResultJson;
      expect(mockJson.implementations).to.deep.equal({ aave: "mock" });
      expect(result.implementations).to.deep.equal({ aave: "aave-v3.6" });
      // The gap leaves about the same bad debt (each protocol's own interest and rounding in the last digits, more
      // 3 blocks of interest later): liqsim's pool takes it from its suppliers, Aave books it as the reserve's deficit.
      expect(absorbers(mockJson)).to.deep.equal([["182686.130239", "0"], ["182686.148697", "0"]]);
      expect(absorbers(result)).to.deep.equal([["0", "182686.137683"], ["0", "182686.158363"]]);
      expect(result.results.map((r) => r.summary.liquidations.count)).to.deep.equal([40, 40]);
      // The table names the code under the scenario's blocks when a protocol runs on real code, and only then.
      expect(formatSweepTable(result).split("\n").slice(2, 4)).to.deep.equal(["blocks    14", "code      aave: aave-v3.6"]);
      expect(formatSweepTable(mockJson).split("\n").filter((line) => line.startsWith("code "))).to.deep.equal([]);
      // Who paid: the lending columns always, Aave's deficit as a column of its own (it is not zero in some run);
      // the mock's table keeps the two lending columns only, as every lending sweep had them.
      const table = (json: SweepResultJson) => {
        const lines = formatSweepTable(json).split("\n");
        const at = lines.findIndex((line) => line.startsWith("liquidators[0].delayBlocks  "));
        return [lines[at] ?? "", ...lines.slice(at + 2, at + 4)].map((line) => line.trim().split(/ {2,}/).slice(5, 11));
      };
      expect(table(result)).to.deep.equal([
        ["bad debt recorded", "absorbed by reserves", "socialized to suppliers", "booked as deficit", "latent (market)", "recorded + latent"],
        ["$182,686.14", "$0.00", "$0.00", "$182,686.14", "$0.00", "$182,686.14"],
        ["$182,686.16", "$0.00", "$0.00", "$182,686.16", "$0.00", "$182,686.16"],
      ]);
      expect(table(mockJson)).to.deep.equal([
        ["bad debt recorded", "absorbed by reserves", "socialized to suppliers", "latent (market)", "recorded + latent", "eth-longs loss"],
        ["$182,686.14", "$0.01", "$182,686.13", "$0.00", "$182,686.14", "$933,122.65 (124.20%)"],
        ["$182,686.16", "$0.01", "$182,686.15", "$0.00", "$182,686.16", "$933,122.67 (124.20%)"],
      ]);

      await startWorkers();
      const queued = await runCommand(sweep, sweepArgv(path.join(tmp, "sweep-queue"), "--implementation", "real", "--queue", redis.url), ROOT);
      expect(queued.code, queued.stderr).to.equal(0);
      expect(await read("sweep-queue")).to.equal(realJson);
    });

    it("Monte Carlo (montecarlo-gbm, 2 paths x 30 blocks, seed 7): recorded aave-v3.6, Aave's figures; through the queue byte-identical", async () => {
      const local = await runCommand(montecarlo, monteCarloArgv(path.join(tmp, "mc-real"), "--implementation", "real", "--workers", "1"), ROOT);
      expect(local.code, local.stderr).to.equal(0);
      const text = await readFile(path.join(tmp, "mc-real", "montecarlo.json"), "utf8");
      const result = JSON.parse(text) as MonteCarloResultJson;
      expect(result.implementations).to.deep.equal({ aave: "aave-v3.6" });
      expect(formatMonteCarloTable(result).split("\n")[3]).to.equal("code      aave: aave-v3.6");
      expect(result.pathResults.map((p) => [p.liquidations, p.recordedBadDebtUsd, p.latentBadDebtMarketUsd, p.liquidationVolumeUsd])).to.deep.equal([
        [3, "0", "0", "54141.814272"],
        // The mock pool records $23,516.213637 here: Aave's half-up percentage math moves the last digits.
        [22, "23516.213643", "3055.5269518", "600000"],
      ]);

      await startWorkers();
      const queued = await runCommand(montecarlo, monteCarloArgv(path.join(tmp, "mc-queue"), "--implementation", "real", "--queue", redis.url), ROOT);
      expect(queued.code, queued.stderr).to.equal(0);
      expect(await readFile(path.join(tmp, "mc-queue", "montecarlo.json"), "utf8")).to.equal(text);
    });
  });
});
