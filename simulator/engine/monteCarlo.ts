/**
 * Monte Carlo: N market paths of one scenario, each run on a world deployed once per worker.
 *
 * Each worker thread (`monteCarloWorker.ts`) loads its own Hardhat runtime and so its own in-process
 * chain, deploys the scenario's world once, takes a snapshot, and for every path it owns runs the
 * scenario with that path's market seed on the world (`runScenario(scenario, { world, marketSeed })`),
 * then reverts to the snapshot. Path i belongs to worker i mod K; results are gathered by path index,
 * so the figures do not depend on K.
 *
 * Path i's market seed is `seed × 2^32 + i` (`pathMarketSeed`): only the random (`gbm`) segments
 * draw from it, and distinct i below 2^32 give distinct generator states (the Rng folds a seed's
 * 32-bit words one at a time with a bijective step). The world comes from the scenario's own seed.
 */
import Decimal from "decimal.js";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { summarizeRun } from "../observe/summarize";
import { pathJson, type MonteCarloPathFigures, type MonteCarloPathJson } from "../report/monteCarlo";
import type { Scenario } from "../scenario/types";
import type { RunOutput } from "./runScenario";

/** Thrown for a scenario whose paths could not differ. */
export class NoRandomPathError extends Error {
  override readonly name = "NoRandomPathError";
  constructor() {
    super("scenario has no random price path (a gbm segment): every path would be the same");
  }
}

/** Thrown when a worker fails; `chain` tells a chain failure (exit 3) from an internal error. */
export class MonteCarloWorkerError extends Error {
  override readonly name = "MonteCarloWorkerError";
  constructor(
    readonly worker: number,
    readonly chain: boolean,
    readonly details: string,
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

/** What a worker is given (`workerData`): structured-clone safe (decimal.js values encoded). */
export interface MonteCarloWorkerInput {
  scenario: unknown;
  seed: bigint;
  /** The path indices this worker runs, ascending. */
  paths: number[];
}

/** What a worker posts: one message per path, or one failure. */
export type MonteCarloWorkerMessage =
  | { type: "path"; row: MonteCarloPathJson }
  | { type: "failed"; chain: boolean; message: string };

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

export interface RunMonteCarloParameters {
  scenario: Scenario;
  /** The base seed of the market paths. */
  seed: bigint;
  /** Number of paths, 1..MAX_PATHS. */
  paths: number;
  /** Worker threads, 1..paths. */
  workers: number;
  /** Called as each path finishes (in completion order), with the number finished so far. */
  onPath?: (row: MonteCarloPathJson, done: number) => void;
  /** Aborting terminates the workers; the run rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs every path on `workers` worker threads and returns the paths' rows in path order. Rejects with
 * `NoRandomPathError` before starting any worker, and with `MonteCarloWorkerError` when a worker fails
 * (the others are terminated). A path whose run stopped early is a row with `complete: false`.
 */
export async function runMonteCarlo(parameters: RunMonteCarloParameters): Promise<MonteCarloPathJson[]> {
  const { scenario, seed, paths, workers } = parameters;
  if (!Number.isInteger(paths) || paths < 1 || paths > MAX_PATHS) throw new RangeError(`paths must be an integer in 1..${MAX_PATHS}, got ${paths}`);
  if (!Number.isInteger(workers) || workers < 1 || workers > paths) throw new RangeError(`workers must be an integer in 1..${paths}, got ${workers}`);
  requireRandomMarket(scenario);
  parameters.signal?.throwIfAborted();

  const encoded = encodeScenario(scenario);
  const rows: MonteCarloPathJson[] = [];
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const fail = (error: unknown): void => {
        parameters.signal?.removeEventListener("abort", onAbort);
        reject(error);
      };
      const onAbort = (): void => fail(parameters.signal?.reason);
      parameters.signal?.addEventListener("abort", onAbort, { once: true });
      for (let w = 0; w < workers; w++) {
        const owned = Array.from({ length: paths }, (_, i) => i).filter((i) => i % workers === w);
        const input: MonteCarloWorkerInput = { scenario: encoded, seed, paths: owned };
        const thread = new Worker(path.join(__dirname, "monteCarloWorkerEntry.js"), { workerData: input });
        threads.push(thread);
        let received = 0;
        thread.on("message", (message: MonteCarloWorkerMessage) => {
          if (message.type === "failed") {
            fail(new MonteCarloWorkerError(w, message.chain, message.message));
            return;
          }
          received += 1;
          rows.push(message.row);
          parameters.onPath?.(message.row, rows.length);
          // Done with its paths: the worker is terminated below (a Hardhat runtime may keep its thread alive).
          if (received === owned.length && ++finished === workers) {
            parameters.signal?.removeEventListener("abort", onAbort);
            resolve();
          }
        });
        thread.on("error", (error) => fail(new MonteCarloWorkerError(w, false, error.stack ?? error.message)));
        thread.on("exit", (code) => {
          if (received !== owned.length) fail(new MonteCarloWorkerError(w, false, `exited with code ${code} after ${received} of its ${owned.length} paths`));
        });
      }
    });
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return rows.sort((a, b) => a.path - b.path);
}

/** The row a worker posts for path `index` (USD rounded to 8 places, as montecarlo.json writes it). */
export function pathRow(index: number, marketSeed: bigint, run: RunOutput): MonteCarloPathJson {
  return pathJson(pathFigures(index, marketSeed, run));
}
