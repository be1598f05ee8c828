/**
 * Distributed Monte Carlo through the BullMQ queue, on a redis-server of the test's own (127.0.0.1, a
 * free port, nothing on disk): 4 paths x 30 blocks of montecarlo-gbm run by two `queue-worker`
 * processes give montecarlo.json byte-identical to the plain command's; a worker killed while it holds
 * a path's job does not lose the path (BullMQ's stalled-job check gives it to the other worker; the file
 * is still identical); a path whose job fails fails the run with one line naming the path; an aborted
 * run (Ctrl-C) leaves no job of its own in the queue; a bad `--queue` URL is one line naming `--queue`
 * and exit 2, an unreachable server one line and exit 3, for both commands, with nothing written.
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { runCommand, Sink } from "../helpers/cli";
import { freePort, startRedis, type TestRedis } from "../helpers/redis";
import { pathRunnerScript, startWorker, type WorkerProcess } from "../helpers/queueWorker";
import { montecarlo, parseMonteCarloArgs } from "../../simulator/cli/montecarlo";
import { UsageError } from "../../simulator/cli/errors";
import { scenarioFromJson, scenarioToJson } from "../../simulator/batch/queue/scenarioStore";
import { queueWorker } from "../../simulator/cli/queueWorker";
import { loadScenarioFile } from "../../simulator";
import { runMonteCarloOnQueue } from "../../simulator/batch/queue/runMonteCarloOnQueue";
import { PATH_QUEUE, bullConnection, openPathQueue } from "../../simulator/batch/queue/pathJobs";

const ROOT = path.join(__dirname, "..", "..");
const SCENARIO = path.join(ROOT, "scenarios", "montecarlo-gbm.json");
const run = (argv: string[]) => runCommand(montecarlo, argv, ROOT);
const argv = (out: string, ...more: string[]) => [SCENARIO, "--paths", "4", "--blocks", "30", "--seed", "7", "--out", out, "--quiet", ...more];

/** Rows per path a worker printed: "run <id> path <i>: <n> liquidations". */
const finishedPaths = (lines: string[]): Map<number, number> =>
  new Map(lines.flatMap((l) => [...l.matchAll(/ path (\d+): (\d+) liquidations$/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number])));

describe("Monte Carlo through the queue (BullMQ on a redis-server of the test's own)", function () {
  this.timeout(300_000);
  let tmp: string;
  let redis: TestRedis;
  let plain: string;
  const workers: WorkerProcess[] = [];
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "liqsim-queue-"));
    redis = await startRedis();
    const r = await run(argv(path.join(tmp, "plain"), "--workers", "2"));
    expect(r.code, r.stderr).to.equal(0);
    plain = await readFile(path.join(tmp, "plain", "montecarlo.json"), "utf8");
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  after(async () => {
    await redis.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  /** The queue's job counts by state (all 0 once a run has cleaned up after itself). */
  async function jobCounts(): Promise<Record<string, number>> {
    const queue = openPathQueue(redis.url);
    try {
      return await queue.getJobCounts("wait", "active", "delayed", "completed", "failed", "prioritized");
    } finally {
      await queue.close();
    }
  }
  const noJobs = { wait: 0, active: 0, delayed: 0, completed: 0, failed: 0, prioritized: 0 };

  it("two queue-worker processes: montecarlo.json byte-identical to the plain command's; each path run once; no job left", async () => {
    workers.push(startWorker(redis.url), startWorker(redis.url));
    await Promise.all(workers.map((w) => w.waitFor(/^serving redis:\/\/127\.0\.0\.1:\d+\/? with 1 path runner$/)));
    const r = await run(argv(path.join(tmp, "queue"), "--queue", redis.url));
    expect(r.code, r.stderr).to.equal(0);
    expect(await readFile(path.join(tmp, "queue", "montecarlo.json"), "utf8")).to.equal(plain);
    const ran = workers.flatMap((w) => [...finishedPaths(w.lines())]).sort((a, b) => a[0] - b[0]);
    expect(ran, "each path once, with the plain run's liquidation counts").to.deep.equal([
      [0, 3],
      [1, 22],
      [2, 0],
      [3, 0],
    ]);
    expect(await jobCounts()).to.deep.equal(noJobs);
    expect(await Promise.all(workers.splice(0).map((w) => w.stop())), "SIGTERM: the workers finish and exit 0").to.deep.equal([0, 0]);
  });

  it("a worker killed (SIGKILL) while it holds path 0's job: the stalled job is run by the other worker; montecarlo.json is still identical", async () => {
    // Worker A's path runner never answers, so A holds path 0 until it is killed.
    const hang = await pathRunnerScript(tmp, "hang", `if (message.type === "path") return true;`);
    const a = startWorker(redis.url, hang);
    workers.push(a);
    await a.waitFor(/^serving /);
    const running = run(argv(path.join(tmp, "retry"), "--queue", redis.url));
    await a.waitFor(/ path 0: started$/);
    a.child.kill("SIGKILL");
    await a.stop();
    const b = startWorker(redis.url);
    workers.push(b);
    const r = await running;
    expect(r.code, r.stderr).to.equal(0);
    expect(await readFile(path.join(tmp, "retry", "montecarlo.json"), "utf8")).to.equal(plain);
    expect(finishedPaths(a.lines()).size, "A finished nothing").to.equal(0);
    expect([...finishedPaths(b.lines())].sort((x, y) => x[0] - y[0])).to.deep.equal([
      [0, 3],
      [1, 22],
      [2, 0],
      [3, 0],
    ]);
    expect(await jobCounts()).to.deep.equal(noJobs);
  });

  it("a path whose job fails fails the run: one line naming the path, exit 1, nothing written, no job left", async () => {
    const fail = await pathRunnerScript(
      tmp,
      "fail-path-2",
      `if (message.type === "path" && message.row.path === 2) message = { type: "failed", chain: false, message: "simulated failure\\n    at stack" };`,
    );
    const w = startWorker(redis.url, fail);
    workers.push(w);
    await w.waitFor(/^serving /);
    const out = path.join(tmp, "failed");
    const r = await run(argv(out, "--queue", redis.url));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal("error: path 2 failed on a queue worker: simulated failure; nothing was written\n");
    expect(existsSync(out)).to.equal(false);
    // Path 3 may be running when the run fails: the worker stops it (the run is cancelled) and its job goes.
    expect(await w.stop()).to.equal(0);
    expect(await jobCounts()).to.deep.equal(noJobs);
    expect(w.lines().filter((l) => / path 3: /.test(l) && !/ path 3: (started|cancelled)$/.test(l)), "path 3 was not finished").to.deep.equal([]);
  });

  it("an aborted run (Ctrl-C) rejects with the signal's reason, removes its jobs and marks itself cancelled", async () => {
    const events = new QueueEvents(PATH_QUEUE, { connection: bullConnection(redis.url) });
    await events.waitUntilReady();
    const abort = new AbortController();
    let waiting = 0;
    // No worker: the 4 jobs wait; the abort comes once all four are in the queue.
    events.on("waiting", () => {
      if (++waiting === 4) abort.abort(new Error("interrupted"));
    });
    const scenario = { ...loadScenarioFile(SCENARIO), blocks: 30 };
    const client = new Redis(redis.url);
    const marked = await client.keys("liqsim:run:*:cancelled");
    let error: unknown;
    try {
      await runMonteCarloOnQueue({ url: redis.url, scenario, seed: 7n, paths: 4, signal: abort.signal });
    } catch (e) {
      error = e;
    }
    await events.close();
    expect((error as Error).message).to.equal("interrupted");
    expect(await jobCounts()).to.deep.equal(noJobs);
    expect((await client.keys("liqsim:run:*:cancelled")).filter((k) => !marked.includes(k))).to.have.length(1);
    client.disconnect();
  });

  it("a scenario survives the store's JSON exactly (bigints, decimal.js values, every field)", () => {
    const scenario = { ...loadScenarioFile(SCENARIO), blocks: 30 };
    const text = scenarioToJson(scenario);
    expect(text).to.include('"$bigint"').and.include('"$decimal"');
    expect(scenarioFromJson(text)).to.deep.equal(scenario);
  });

  it("--workers and --chain are refused with --queue (the queue workers choose their processes and chains)", () => {
    for (const [extra, message] of [
      [["--workers", "2"], "--workers: not with --queue (the queue workers run the paths)"],
      [["--chain", "anvil"], "--chain: not with --queue (each queue worker runs its paths on in-process chains)"],
    ] as const) {
      expect(() => parseMonteCarloArgs([SCENARIO, "--paths", "4", "--queue", "redis://127.0.0.1:6379", ...extra]))
        .to.throw(UsageError)
        .with.property("message", message);
    }
  });

  describe("bad --queue: one line naming --queue; exit 2 for a URL that is not redis://, 3 for a server that does not answer; nothing written", () => {
    const worker = async (args: string[]) => {
      const stdout = new Sink();
      const stderr = new Sink();
      const code = await queueWorker(args, { stdout, stderr, signal: new AbortController().signal });
      return { code, stderr: stderr.text };
    };
    for (const [url, line] of [
      ["http://127.0.0.1:6379", 'error: --queue: must be a redis:// or rediss:// URL, got http:// in "http://127.0.0.1:6379"'],
      ["127.0.0.1:6379", 'error: --queue: not a URL: "127.0.0.1:6379" (expected redis://host:port)'],
      ["redis://127.0.0.1:0", 'error: --queue: port must be 1..65535 in "redis://127.0.0.1:0"'],
      ["redis://", 'error: --queue: no host in "redis://" (expected redis://host:port)'],
      ["redis://127.0.0.1:6379/x", 'error: --queue: the path must be a database number, got "/x"'],
      ["not a url", 'error: --queue: not a URL: "not a url" (expected redis://host:port)'],
    ]) {
      it(`${JSON.stringify(url)}: exit 2 from montecarlo and queue-worker`, async () => {
        const out = path.join(tmp, "bad-url");
        const r = await run(argv(out, "--queue", url as string));
        expect(r.code).to.equal(2);
        expect(r.stderr.split("\n")[0]).to.equal(line);
        expect(existsSync(out)).to.equal(false);
        const w = await worker(["--queue", url as string]);
        expect(w.code).to.equal(2);
        expect(w.stderr.split("\n")[0]).to.equal(line);
      });
    }

    it("a port no server listens on: exit 3 from montecarlo and queue-worker, one line", async () => {
      const port = await freePort();
      const out = path.join(tmp, "unreachable");
      const r = await run(argv(out, "--queue", `redis://127.0.0.1:${port}`));
      expect(r.code).to.equal(3);
      expect(r.stderr).to.equal(`error: --queue: cannot reach redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
      expect(existsSync(out)).to.equal(false);
      const w = await worker(["--queue", `redis://127.0.0.1:${port}`]);
      expect(w.code).to.equal(3);
      expect(w.stderr).to.equal(`error: --queue: cannot reach redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    });
  });
});
