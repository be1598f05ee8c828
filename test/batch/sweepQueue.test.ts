/**
 * Sweeps through the BullMQ queue, on a redis-server of the test's own (127.0.0.1, a free port, nothing
 * on disk): late-keepers' keeper delay 0 and 20 x 40 and 10 borrowers over 40 blocks, with `--check`,
 * run by two `queue-worker` processes, gives sweep.json and sweep.csv byte-identical to the plain
 * command's (both deployments numbered as the local sweep numbers them, each variant run once); a
 * variant whose job fails fails the sweep with one line naming it; an aborted sweep (Ctrl-C) leaves no
 * job; a bad `--queue` URL is one line and exit 2, an unreachable server one line and exit 3, `--chain`
 * with `--queue` is refused, nothing written. The deployments are grouped (and numbered) as the local
 * sweep groups them.
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runCommand } from "../helpers/cli";
import { freePort, startRedis, type TestRedis } from "../helpers/redis";
import { pathRunnerScript, startWorker, type WorkerProcess } from "../helpers/queueWorker";
import { parseSweepArgs, sweep } from "../../simulator/cli/sweep";
import { UsageError } from "../../simulator/cli/errors";
import { PATH_QUEUE, bullConnection, openPathQueue } from "../../simulator/batch/queue/pathJobs";
import { runSweepOnQueue } from "../../simulator/batch/queue/runSweepOnQueue";
import { deploymentGroups } from "../../simulator/batch/sweep";
import { planSweep, type SweepResultJson } from "../../simulator";
import { QueueEvents } from "bullmq";

const ROOT = path.join(__dirname, "..", "..");
const SCENARIO = path.join(ROOT, "scenarios", "late-keepers.json");
const run = (argv: string[]) => runCommand(sweep, argv, ROOT);
const argv = (out: string, ...more: string[]) => [
  SCENARIO,
  "--vary",
  "liquidators[0].delayBlocks=0,20",
  "--vary",
  "borrowers[0].count=40,10",
  "--blocks",
  "40",
  "--check",
  "--out",
  out,
  "--quiet",
  ...more,
];

/** Variants a worker finished, with their liquidations: "run <id> variant <i>: <n> liquidations". */
const finishedVariants = (lines: string[]): [number, number][] =>
  lines.flatMap((l) => [...l.matchAll(/ variant (\d+): (\d+) liquidations$/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]));

describe("sweep through the queue (BullMQ on a redis-server of the test's own)", function () {
  this.timeout(600_000);
  let tmp: string;
  let redis: TestRedis;
  let plainJson: string;
  let plainCsv: string;
  const workers: WorkerProcess[] = [];
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "liqsim-sweep-queue-"));
    redis = await startRedis();
    const r = await run(argv(path.join(tmp, "plain")));
    expect(r.code, r.stderr).to.equal(0);
    plainJson = await readFile(path.join(tmp, "plain", "sweep.json"), "utf8");
    plainCsv = await readFile(path.join(tmp, "plain", "sweep.csv"), "utf8");
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  after(async () => {
    await redis.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  async function jobCounts(): Promise<Record<string, number>> {
    const queue = openPathQueue(redis.url);
    try {
      return await queue.getJobCounts("wait", "active", "delayed", "completed", "failed", "prioritized");
    } finally {
      await queue.close();
    }
  }
  const noJobs = { wait: 0, active: 0, delayed: 0, completed: 0, failed: 0, prioritized: 0 };

  it("two queue-worker processes: sweep.json and sweep.csv byte-identical to the plain command's; each variant run once; no job left", async () => {
    const plain = JSON.parse(plainJson) as SweepResultJson;
    // The sweep worth comparing: two deployments alternating, liquidations in every run.
    expect(plain.deployments).to.equal(2);
    expect(plain.results.map((r) => [r.run, r.deployment, r.complete])).to.deep.equal([
      [0, 0, true],
      [1, 1, true],
      [2, 0, true],
      [3, 1, true],
    ]);
    workers.push(startWorker(redis.url), startWorker(redis.url));
    await Promise.all(workers.map((w) => w.waitFor(/^serving redis:\/\/127\.0\.0\.1:\d+\/? with 1 path runner$/)));
    const r = await run(argv(path.join(tmp, "queue"), "--queue", redis.url));
    expect(r.code, r.stderr).to.equal(0);
    expect(await readFile(path.join(tmp, "queue", "sweep.json"), "utf8")).to.equal(plainJson);
    expect(await readFile(path.join(tmp, "queue", "sweep.csv"), "utf8")).to.equal(plainCsv);
    const ran = workers.flatMap((w) => finishedVariants(w.lines())).sort((a, b) => a[0] - b[0]);
    expect(ran, "each variant once, with the plain sweep's liquidation counts").to.deep.equal(plain.results.map((x) => [x.run, x.summary.liquidations.count]));
    expect(await jobCounts()).to.deep.equal(noJobs);
    expect(await Promise.all(workers.splice(0).map((w) => w.stop())), "SIGTERM: the workers finish and exit 0").to.deep.equal([0, 0]);
  });

  it("a variant whose job fails fails the sweep: one line naming the variant, exit 1, nothing written, no job left", async () => {
    const fail = await pathRunnerScript(
      tmp,
      "fail-variant-2",
      `if (message.type === "variant" && message.row.index === 2) message = { type: "failed", chain: false, message: "simulated failure\\n    at stack" };`,
    );
    const w = startWorker(redis.url, fail);
    workers.push(w);
    await w.waitFor(/^serving /);
    const out = path.join(tmp, "failed");
    const r = await run(argv(out, "--queue", redis.url));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal("error: variant 2 failed on a queue worker: simulated failure; nothing was written\n");
    expect(existsSync(out)).to.equal(false);
    expect(await w.stop()).to.equal(0);
    expect(await jobCounts()).to.deep.equal(noJobs);
  });

  it("an aborted sweep (Ctrl-C) rejects with the signal's reason and removes its jobs", async () => {
    const events = new QueueEvents(PATH_QUEUE, { connection: bullConnection(redis.url) });
    await events.waitUntilReady();
    const abort = new AbortController();
    let waiting = 0;
    // No worker: the 4 jobs wait; the abort comes once all four are in the queue.
    events.on("waiting", () => {
      if (++waiting === 4) abort.abort(new Error("interrupted"));
    });
    const plan = planSweep({ scenarioFile: SCENARIO, vary: ["liquidators[0].delayBlocks=0,20", "borrowers[0].count=40,10"], blocks: 40 });
    let error: unknown;
    try {
      await runSweepOnQueue({ url: redis.url, plan, signal: abort.signal });
    } catch (e) {
      error = e;
    }
    await events.close();
    expect((error as Error).message).to.equal("interrupted");
    expect(await jobCounts()).to.deep.equal(noJobs);
  });

  it("deployments grouped as the local sweep groups them: first variant not yet placed, then every later one of its deployment", () => {
    const groups = (vary: string[]) => deploymentGroups(planSweep({ scenarioFile: SCENARIO, vary }).variants).map((g) => g.map((v) => v.index));
    expect(groups(["liquidators[0].delayBlocks=0,20", "borrowers[0].count=40,10"])).to.deep.equal([
      [0, 2],
      [1, 3],
    ]);
    expect(groups(["borrowers[0].count=40,10", "liquidators[0].delayBlocks=0,5,20"])).to.deep.equal([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(groups(["liquidators[0].delayBlocks=0,5,20"]), "a keeper's delay is not the world's: one deployment").to.deep.equal([[0, 1, 2]]);
  });

  it("--chain is refused with --queue (the queue workers run their variants on in-process chains)", () => {
    expect(() => parseSweepArgs([SCENARIO, "--vary", "liquidators[0].delayBlocks=0,20", "--queue", "redis://127.0.0.1:6379", "--chain", "anvil"]))
      .to.throw(UsageError)
      .with.property("message", "--chain: not with --queue (each queue worker runs its variants on in-process chains)");
  });

  it("a URL that is not redis://: one line naming --queue, exit 2, nothing written", async () => {
    const out = path.join(tmp, "bad-url");
    const r = await run(argv(out, "--queue", "http://127.0.0.1:6379"));
    expect(r.code).to.equal(2);
    expect(r.stderr.split("\n")[0]).to.equal('error: --queue: must be a redis:// or rediss:// URL, got http:// in "http://127.0.0.1:6379"');
    expect(existsSync(out)).to.equal(false);
  });

  it("a port no server listens on: one line, exit 3, nothing written", async () => {
    const port = await freePort();
    const out = path.join(tmp, "unreachable");
    const r = await run(argv(out, "--queue", `redis://127.0.0.1:${port}`));
    expect(r.code).to.equal(3);
    expect(r.stderr).to.equal(`error: --queue: cannot reach redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    expect(existsSync(out)).to.equal(false);
  });
});
