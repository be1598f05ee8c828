/**
 * A Monte Carlo run through the queue: the scenario stored once, one job per path (runJobsOnQueue.ts),
 * the rows by path index, so they are those `runMonteCarlo` returns for the same scenario and seed
 * whichever worker ran a path.
 */
import { MAX_PATHS, requireRandomMarket } from "../monteCarlo";
import type { MonteCarloPathJson } from "../../report/monteCarlo";
import type { Scenario } from "../../scenario/types";
import { runJobsOnQueue } from "./runJobsOnQueue";
import { storeScenario } from "./scenarioStore";

export interface RunMonteCarloOnQueueParameters {
  /** The queue's Redis URL (`parseQueueUrl`). */
  url: string;
  scenario: Scenario;
  seed: bigint;
  paths: number;
  /** Called as each path's row arrives (in arrival order), with the number arrived so far. */
  onPath?: (row: MonteCarloPathJson, done: number) => void;
  /** Aborting removes the run's jobs; the run rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs every path through the queue and returns the rows in path order. Rejects with
 * `QueueUnreachableError` when the server does not answer, `QueuePathError` when a path's job fails.
 */
export async function runMonteCarloOnQueue(parameters: RunMonteCarloOnQueueParameters): Promise<MonteCarloPathJson[]> {
  const { url, scenario, seed, paths } = parameters;
  if (!Number.isInteger(paths) || paths < 1 || paths > MAX_PATHS) throw new RangeError(`paths must be an integer in 1..${MAX_PATHS}, got ${paths}`);
  requireRandomMarket(scenario);
  return runJobsOnQueue<MonteCarloPathJson>({
    url,
    count: paths,
    letter: "p",
    noun: "path",
    prepare: async (redis, runId) => {
      const scenarioHash = await storeScenario(redis, scenario);
      return (path) => ({ runId, scenarioHash, seed: seed.toString(), path });
    },
    ...(parameters.onPath ? { onRow: parameters.onPath } : {}),
    ...(parameters.signal ? { signal: parameters.signal } : {}),
  });
}
