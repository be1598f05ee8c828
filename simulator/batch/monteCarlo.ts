/**
 * Monte Carlo: N market paths of one scenario, each run on a world deployed once per worker.
 *
 * Each worker is a child process (`monteCarloWorker.ts`, forked through monteCarloWorkerEntry.js) with
 * its own Hardhat runtime and so its own in-process chain: it deploys the scenario's world once, takes
 * a snapshot, and for every path it is given runs the scenario with that path's market seed on the
 * world (`runScenario(scenario, { world, marketSeed })`), then reverts to the snapshot. Paths are handed
 * out one at a time, the next to whichever worker sends a path's row first (a path with a crash costs
 * several calm ones, so a fixed share would leave one worker idle at the end); results are gathered by
 * path index, so the figures do not depend on K or on which worker ran a path.
 *
 * With `chain: "anvil"` each worker runs on an anvil of its own, which this process starts before the
 * worker and stops after it (so a killed worker leaves no node behind); the worker connects to its URL.
 *
 * Processes, not worker threads: Hardhat's engine (EDR) can abort the whole process when a worker
 * thread that ran it exits ("failed to delete napi ref"). A child process is never torn down: it
 * leaves with `process.exit` once the parent disconnects, and a child that dies anyway is reported as
 * that worker's failure, not the parent's.
 *
 * Path i's market seed is `seed × 2^32 + i` (`pathMarketSeed`): only the random (`gbm`) segments
 * draw from it, and distinct i below 2^32 give distinct generator states (the Rng folds a seed's
 * 32-bit words one at a time with a bijective step). The world comes from the scenario's own seed.
 */
import Decimal from "decimal.js";
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ChainError, startChainNode, type ChainChoice, type RunningNode } from "../chain";
import { summarizeRun } from "../report/summarize";
import { pathJson, type MonteCarloPathFigures, type MonteCarloPathJson } from "../report/monteCarlo";
import type { Scenario } from "../scenario/types";
import { ScenarioError, type ScenarioIssue } from "../scenario/errors";
import type { RunOutput } from "../engine/runScenario";
import type { SweepRunRow } from "./sweep";

/** Thrown for a scenario whose paths could not differ. */
export class NoRandomPathError extends Error {
  override readonly name = "NoRandomPathError";
  constructor() {
    super("scenario has no random price path (a gbm segment): every path would be the same");
  }
}

/** How a worker process ended: its exit code or the signal that killed it, and its last stderr lines. */
export interface MonteCarloWorkerExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string[];
}

/**
 * Thrown when a worker fails; `chain` tells a chain failure (exit 3) from an internal error. `exit`
 * is set when the worker's process died before delivering its paths.
 */
export class MonteCarloWorkerError extends Error {
  override readonly name = "MonteCarloWorkerError";
  constructor(
    readonly worker: number,
    readonly chain: boolean,
    readonly details: string,
    readonly exit?: MonteCarloWorkerExit,
  ) {
    super(`worker ${worker}: ${details}`);
  }
}

const PATH_BITS = 32n;
/** Paths per run: path indices must fit the low 32 bits of a market seed. */
export const MAX_PATHS = 1_000_000;

/** The market seed of path `index`: seed × 2^32 + index. */
export function pathMarketSeed(seed: bigint, index: number): bigint {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_PATHS) throw new RangeError(`path index must be an integer in 0..${MAX_PATHS - 1}, got ${index}`);
  return (seed << PATH_BITS) + BigInt(index);
}

/**
 * Throws `NoRandomPathError` unless a `gbm` segment starts within the run and moves the price
 * (volatility above 0, or jumps that have a size).
 */
export function requireRandomMarket(scenario: Scenario): void {
  const random = scenario.market.some((m) =>
    m.segments.some(
      (s) =>
        s.type === "gbm" &&
        s.fromBlock <= scenario.blocks &&
        (s.annualVolatility.gt(0) || (s.jumpsPerYear.gt(0) && (!s.jumpMean.isZero() || s.jumpStd.gt(0)))),
    ),
  );
  if (!random) throw new NoRandomPathError();
}

/** A path's figures from its run: the run summary's bad debt, liquidation volume, count and cascade depth. */
export function pathFigures(index: number, marketSeed: bigint, run: RunOutput): MonteCarloPathFigures {
  const { overall } = summarizeRun({
    protocols: run.scenario.protocols.map((p) => p.name),
    amms: run.scenario.amms,
    blocks: run.blocks,
    liquidations: run.liquidations,
    badDebt: run.badDebt,
    episodes: run.episodes,
    failedAttempts: run.failedAttempts,
  });
  return {
    path: index,
    marketSeed,
    complete: run.complete,
    recordedBadDebtUsd: overall.badDebt.recordedUsd,
    latentBadDebtMarketUsd: overall.badDebt.latentMarketUsd,
    totalBadDebtUsd: overall.badDebt.totalUsd,
    liquidationVolumeUsd: overall.liquidations.debtRepaidUsd,
    liquidations: overall.liquidations.count,
    cascadeDepth: overall.cascade.depth,
  };
}

/**
 * A sweep variant for a worker process whose world is the variant's deployment (a queued sweep's
 * queue worker: batch/queue/): run on that world as `runSweep` runs it, and answered with its row.
 */
export interface SweepVariantInput {
  index: number;
  /** The variant's scenario, `encodeScenario`'s form. */
  scenario: unknown;
  check: boolean;
}

/** A worker's first message, structured-clone safe (decimal.js values encoded): the world to deploy and its first paths. */
export interface MonteCarloWorkerInput {
  scenario: unknown;
  seed: bigint;
  /** The worker's node (an anvil started for it); its own in-process chain when absent. */
  rpcUrl?: string;
  /** Path indices to run, in order. */
  paths: number[];
  /** A sweep variant to run on the world after the paths (a queue worker's sweep job). */
  variant?: SweepVariantInput;
}

/** Every later message to a worker: more paths, or a sweep variant, to run on the same world. */
export type MonteCarloWorkerMore = { paths: number[] } | { variant: SweepVariantInput };

/**
 * What a worker sends: one message per path or variant, or one failure: `chain` for a chain failure,
 * `issues` (each field's path and message) when the deployment refused the scenario (a `ScenarioError`:
 * a perp position its tier does not open), which the parent throws again as the same `ScenarioError`.
 */
export type MonteCarloWorkerMessage =
  | { type: "path"; row: MonteCarloPathJson }
  | { type: "variant"; row: SweepRunRow }
  | { type: "failed"; chain: boolean; message: string; issues?: readonly ScenarioIssue[] };

/**
 * A scenario as structured-clone data: decimal.js values become `{ $decimal: "<exact string>" }`
 * (bigints survive a structured clone as they are). `decodeScenario` restores it.
 */
export function encodeScenario(scenario: Scenario): unknown {
  const encode = (value: unknown): unknown => {
    if (Decimal.isDecimal(value)) return { $decimal: value.toString() };
    if (Array.isArray(value)) return value.map(encode);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
    return value;
  };
  return encode(scenario);
}

export function decodeScenario(data: unknown): Scenario {
  const decode = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(decode);
    if (value !== null && typeof value === "object") {
      const entries = Object.entries(value);
      if (entries.length === 1 && entries[0]?.[0] === "$decimal" && typeof entries[0][1] === "string") return new Decimal(entries[0][1]);
      return Object.fromEntries(entries.map(([k, v]) => [k, decode(v)]));
    }
    return value;
  };
  return decode(data) as Scenario;
}

/**
 * The parent's Node options a worker process is started with: `--flag` and `--flag=value` options Node
 * accepts in NODE_OPTIONS (`--max-old-space-size=8192`, `--stack-trace-limit=50`), except debugger
 * options (a second process cannot take the parent's inspector port) and module loaders (the worker
 * registers ts-node itself). A flag followed by a separate value is left out, value and all: it cannot
 * be told from a flag followed by a script (ts-node's CLI puts its own script in `execArgv`). NODE_OPTIONS
 * itself reaches the workers through the environment.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if (!arg.startsWith("--")) continue;
    const name = arg.split("=")[0] as string;
    const next = execArgv[i + 1];
    if (!arg.includes("=") && next !== undefined && !next.startsWith("-")) continue;
    if (!process.allowedNodeEnvironmentFlags.has(name)) continue;
    if (/^--(inspect|debug)|^--(require|import|loader|experimental-loader)$/.test(name)) continue;
    kept.push(arg);
  }
  return kept;
}

/** The environment of a worker process (`MALLOC_ARENA_MAX` and `MIMALLOC_PURGE_DELAY`: see `runMonteCarlo`). */
export function workerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    HARDHAT_NETWORK: "hardhat",
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? "2",
    MIMALLOC_PURGE_DELAY: env.MIMALLOC_PURGE_DELAY ?? "1000",
  };
}

/** Lines of a worker's stderr kept for its error report. */
const STDERR_LINES = 20;
/** How long after a worker's exit it is reported even if its stdio has not closed. */
const EXIT_REPORT_MS = 1_000;
/** How long a worker that was told to stop may take before it is killed. */
const STOP_GRACE_MS = 5_000;

/** The last `STDERR_LINES` lines of a stream, kept as it is read (the pipe never fills). */
export function stderrTail(stream: NodeJS.ReadableStream | null): () => string[] {
  let text = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    text = (text + chunk).split("\n").slice(-STDERR_LINES - 1).join("\n");
  });
  return () => text.split("\n").filter((line) => line.trim() !== "").slice(-STDERR_LINES);
}

/** Resolves once `child` has exited (at once if it has); with `kill`, after SIGKILL. */
export function stopWorker(child: ChildProcess, kill: boolean): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), kill ? 0 : STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    if (!kill && child.connected) child.disconnect();
  });
}

export interface RunMonteCarloParameters {
  scenario: Scenario;
  /** The base seed of the market paths. */
  seed: bigint;
  /** Number of paths, 1..MAX_PATHS. */
  paths: number;
  /** Worker processes, 1..paths. */
  workers: number;
  /** Each worker's chain: its own in-process one (default), or an anvil started for it. */
  chain?: ChainChoice;
  /** Called as each path finishes (in completion order), with the number finished so far. */
  onPath?: (row: MonteCarloPathJson, done: number) => void;
  /** Aborting kills the workers; the run rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs every path on `workers` worker processes and returns the paths' rows in path order. Rejects
 * with `NoRandomPathError` before starting any worker, with the worker's `ScenarioError` when its
 * deployment refuses the scenario (a perp position its tier does not open: the mark is read on chain),
 * and with `MonteCarloWorkerError` when a worker fails otherwise or its process dies before the parent
 * has told it that no path is left. A path whose run
 * stopped early is a row with `complete: false`. Whatever the outcome, every worker process has exited when the returned
 * promise settles: a worker that has sent its last path is disconnected (it exits), and on a failure
 * or an abort the others are killed (SIGKILL).
 *
 * A worker is `node monteCarloWorkerEntry.js <worker>` (the number shows in `ps`) with the parent's
 * environment plus `HARDHAT_NETWORK=hardhat` (its chain is in-process whatever network the parent
 * uses) and `MALLOC_ARENA_MAX=2` unless set (glibc would give each of EDR's threads its own malloc
 * arena, which grows a 1,000-borrower worker several GB), `MIMALLOC_PURGE_DELAY=1000` unless set (EDR's
 * allocator, mimalloc, hands memory it freed back to the system after 10 ms by default, so every block's
 * execution traces are faulted in afresh: a 40-path run of the 1,000-borrower reference world spent 62 s
 * of system time, 37 s with a second's delay, and took 143 s instead of 122-125 s; a worker's peak grows
 * a little at 1,000 borrowers, but doubles at 10,000, hence not for every run), and the Node options of
 * `workerExecArgv`.
 * It does not read the parent's stdin; its stdout is dropped and its stderr is kept for error reports.
 * It ignores SIGINT, which a terminal's Ctrl-C sends to every process of the group: the parent decides
 * (through `signal`). It exits when the parent disconnects or dies.
 */
export async function runMonteCarlo(parameters: RunMonteCarloParameters): Promise<MonteCarloPathJson[]> {
  const { scenario, paths, workers } = parameters;
  if (!Number.isInteger(paths) || paths < 1 || paths > MAX_PATHS) throw new RangeError(`paths must be an integer in 1..${MAX_PATHS}, got ${paths}`);
  if (!Number.isInteger(workers) || workers < 1 || workers > paths) throw new RangeError(`workers must be an integer in 1..${paths}, got ${workers}`);
  requireRandomMarket(scenario);
  parameters.signal?.throwIfAborted();

  const run: MonteCarloRun = { parameters, encoded: encodeScenario(scenario), rows: [], children: [], nodes: [], failed: false };
  // Should this process exit while workers run (a second Ctrl-C's process.exit), they go with it.
  const killAll = (): void => {
    for (const child of run.children) child.kill("SIGKILL");
    for (const node of run.nodes) node.kill();
  };
  process.once("exit", killAll);
  try {
    await startWorkerNodes(run);
    await runWorkers(run);
  } finally {
    await Promise.all(run.children.map((child) => stopWorker(child, run.failed)));
    await Promise.all(run.nodes.map((node) => node.stop()));
    process.removeListener("exit", killAll);
  }
  return run.rows.sort((a, b) => a.path - b.path);
}

/** One Monte Carlo run's state, shared by its workers' handlers. */
interface MonteCarloRun {
  parameters: RunMonteCarloParameters;
  /** The scenario as `encodeScenario` sends it to every worker. */
  encoded: unknown;
  /** The paths' rows in completion order. */
  rows: MonteCarloPathJson[];
  children: ChildProcess[];
  /** Worker w's node is `nodes[w]` (none for in-process chains). */
  nodes: RunningNode[];
  /** A worker failed or the run was aborted: the workers are killed, not disconnected. */
  failed: boolean;
}

/** How the workers' handlers reach the run's promise and the paths not yet given out. */
interface PathHandout {
  /** The next path not yet given out. */
  nextPath: number;
  fail: (error: unknown) => void;
  /** A worker has sent its last path. */
  workerDone: () => void;
}

/** Starts each worker's chain node (none for in-process chains); a node that fails to start is that worker's chain failure. */
async function startWorkerNodes(run: MonteCarloRun): Promise<void> {
  for (let w = 0; w < run.parameters.workers; w++) {
    try {
      const node = await startChainNode(run.parameters.chain ?? "in-process");
      if (node !== null) run.nodes.push(node);
    } catch (e) {
      if (e instanceof ChainError) throw new MonteCarloWorkerError(w, true, e.message);
      throw e;
    }
  }
}

/** Forks the workers; resolves once each has sent its last path, rejects at the first failure or abort. */
function runWorkers(run: MonteCarloRun): Promise<void> {
  const { parameters } = run;
  return new Promise<void>((resolve, reject) => {
    let finished = 0;
    const fail = (error: unknown): void => {
      run.failed = true;
      parameters.signal?.removeEventListener("abort", onAbort);
      reject(error);
    };
    const onAbort = (): void => fail(parameters.signal?.reason);
    parameters.signal?.addEventListener("abort", onAbort, { once: true });
    // Worker w starts with path w; each row a worker sends earns it the next path not yet given out,
    // and a worker that sends a row when none is left is disconnected (it exits).
    const handout: PathHandout = {
      nextPath: parameters.workers,
      fail,
      workerDone: () => {
        if (++finished === parameters.workers) {
          parameters.signal?.removeEventListener("abort", onAbort);
          resolve();
        }
      },
    };
    for (let w = 0; w < parameters.workers && !run.failed; w++) forkWorker(run, w, handout);
  });
}

/** Forks worker `w` and sends it path w; each row it sends is answered with the next path, or a disconnect. */
function forkWorker(run: MonteCarloRun, w: number, handout: PathHandout): void {
  const { parameters } = run;
  let done = false;
  const child = fork(path.join(__dirname, "monteCarloWorkerEntry.js"), [String(w)], {
    env: workerEnv(process.env),
    execArgv: workerExecArgv(process.execArgv),
    serialization: "advanced",
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  run.children.push(child);
  const stderr = stderrTail(child.stderr);
  let received = 0;
  child.on("message", (message: MonteCarloWorkerMessage) => {
    // Rows still in flight when the run failed or was aborted are not reported.
    if (run.failed) return;
    if (message.type !== "path") {
      handout.fail(workerFailure(w, message));
      return;
    }
    received += 1;
    run.rows.push(message.row);
    parameters.onPath?.(message.row, run.rows.length);
    if (handout.nextPath < parameters.paths) {
      const more: MonteCarloWorkerMore = { paths: [handout.nextPath++] };
      child.send(more);
      return;
    }
    done = true;
    if (child.connected) child.disconnect();
    handout.workerDone();
  });
  child.on("error", (error) => handout.fail(new MonteCarloWorkerError(w, false, error.message)));
  const died = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
    if (done) return;
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const sent = `${received} ${received === 1 ? "path" : "paths"}`;
    handout.fail(new MonteCarloWorkerError(w, false, `its process ${how} after ${sent}`, { exitCode, signal, stderr: stderr() }));
  };
  // "close" comes after the exit, the last message and the last of stderr; "exit" alone can come
  // before them, so it reports only if "close" does not follow.
  child.on("close", died);
  child.on("exit", (exitCode, signal) => {
    if (!run.failed && !done) setTimeout(() => died(exitCode, signal), EXIT_REPORT_MS);
  });
  const url = run.nodes[w]?.url;
  const input: MonteCarloWorkerInput = { scenario: run.encoded, seed: parameters.seed, paths: [w], ...(url === undefined ? {} : { rpcUrl: url }) };
  child.send(input);
}

/** What worker `w`'s message other than a path's row fails the run with: its `ScenarioError` again, or a `MonteCarloWorkerError`. */
function workerFailure(w: number, message: Exclude<MonteCarloWorkerMessage, { type: "path" }>): Error {
  if (message.type === "variant") return new MonteCarloWorkerError(w, false, "internal: a variant row from a path worker");
  if (message.issues !== undefined && message.issues.length > 0) return new ScenarioError(message.issues);
  return new MonteCarloWorkerError(w, message.chain, message.message);
}

/** The row a worker posts for path `index` (USD rounded to 8 places, as montecarlo.json writes it). */
export function pathRow(index: number, marketSeed: bigint, run: RunOutput): MonteCarloPathJson {
  return pathJson(pathFigures(index, marketSeed, run));
}
