/**
 * A sweep through the queue: one job per variant, each the variant's run on a world of its deployment
 * (a queue worker deploys the deployment's first variant once and runs each of its variants on it, as
 * `runSweep` does). The parent numbers the deployments as `runSweep` does (`deploymentGroups`) and
 * gathers the rows by variant index, so sweep.json is byte-identical to the local sweep's whichever
 * worker ran a variant.
 */
import type { RunResultJson } from "../../report/types";
import { deploymentGroups, type SweepRun, type SweepRunRow } from "../sweep";
import type { SweepPlan, SweepVariant } from "../sweepPlan";
import { runJobsOnQueue } from "./runJobsOnQueue";
import { storeScenario } from "./scenarioStore";

/** A variant's run as a queued sweep has it: of its result.json what sweep.json takes. */
export type QueuedSweepRun = Omit<SweepRun, "result"> & { result: Pick<RunResultJson, "complete" | "summary"> };

export interface QueuedSweepOutput {
  plan: SweepPlan;
  /** One per variant, in variant order. */
  runs: QueuedSweepRun[];
  /** Distinct deployments among the variants (the worlds a local sweep deploys). */
  deployments: number;
}

export interface RunSweepOnQueueParameters {
  /** The queue's Redis URL (`parseQueueUrl`). */
  url: string;
  plan: SweepPlan;
  /** Check the invariants after every block of every run (`RunOptions.check`). */
  check?: boolean;
  /** Called as each run arrives (in arrival order), with the number arrived so far. */
  onRun?: (run: QueuedSweepRun, done: number) => void;
  /** Aborting removes the sweep's jobs; the sweep rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs every variant through the queue. Rejects with `QueueUnreachableError` when the server does not
 * answer, `QueuePathError` when a variant's job fails.
 */
export async function runSweepOnQueue(parameters: RunSweepOnQueueParameters): Promise<QueuedSweepOutput> {
  const { plan } = parameters;
  const groups = deploymentGroups(plan.variants);
  const deploymentOf = new Map(groups.flatMap((group, deployment) => group.map((v) => [v.index, deployment] as const)));
  const variantAt = (index: number): SweepVariant => {
    const variant = plan.variants[index];
    if (variant?.index !== index) throw new Error(`internal: variant ${index} is not at its index in the plan`);
    return variant;
  };
  const runOf = (row: SweepRunRow): QueuedSweepRun => {
    const variant = variantAt(row.index);
    return { index: row.index, values: variant.values, deployment: deploymentOf.get(row.index) ?? 0, result: row.result, error: row.error };
  };
  const rows = await runJobsOnQueue<SweepRunRow>({
    url: parameters.url,
    count: plan.variants.length,
    letter: "v",
    noun: "variant",
    prepare: async (redis, runId) => {
      const hashes: string[] = [];
      for (const variant of plan.variants) hashes.push(await storeScenario(redis, variant.scenario));
      const deploymentHashes = groups.map((group) => hashes[(group[0] as SweepVariant).index] as string);
      return (index) => ({
        kind: "sweep",
        runId,
        deploymentHash: deploymentHashes[deploymentOf.get(index) ?? 0] as string,
        scenarioHash: hashes[index] as string,
        index,
        check: parameters.check ?? false,
      });
    },
    onRow: (row, done) => parameters.onRun?.(runOf(row), done),
    ...(parameters.signal ? { signal: parameters.signal } : {}),
  });
  return { plan, runs: rows.map(runOf), deployments: groups.length };
}
