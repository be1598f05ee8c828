/**
 * A parameter sweep: every variant of a plan (`planSweep`), each one scenario run, on as few
 * deployments as the variants allow.
 *
 * As Monte Carlo does (monteCarloWorker.ts), a world is deployed once and snapshotted, and each
 * variant runs on it (`runScenario(variant, { world })`) and reverts to the snapshot (a snapshot id
 * works once: a new one is taken after each revert). A variant that changes the deployment (another
 * borrower count, asset list, seed, …: `rebindWorld` throws `WorldMismatchError`) cannot reuse that
 * world, so the variants are run in groups: the chain goes back to its state before the sweep, the
 * first variant not yet run is deployed, and every remaining variant that fits this world runs on it
 * (`deploymentGroups`).
 * A sweep therefore deploys once per distinct deployment among its variants, whatever their order.
 * Results are kept in variant order; each is the result.json of a fresh run of its variant.
 *
 * The chain is left as it was before the sweep (reverted to a snapshot taken at the start).
 */
import { Chain } from "../chain";
import type { BlockRecord, LiquidationRecord } from "../observe/types";
import { buildRunResult } from "../report/result";
import type { RunResultJson } from "../report/types";
import { deployWorld } from "../deploy";
import { sameDeployment } from "../world";
import { runScenario, type RunOutput } from "../engine/runScenario";
import type { SweepValue } from "../report/sweepValue";
import type { SweepPlan, SweepVariant } from "./sweepPlan";

/** One variant's run. */
export interface SweepRun {
  /** The variant's index in the plan. */
  index: number;
  /** Its value per parameter, in parameter order. */
  values: SweepValue[];
  /** Which of the sweep's deployments it ran on, from 0 in the order they were made. */
  deployment: number;
  /** The run's result.json content (`buildRunResult` of its output, as `resultOf`). */
  result: RunResultJson;
  /** Why the run stopped before its last block, when it did: the chain failed, or (with `check`) an invariant. */
  error: { kind: "chain" | "invariant"; message: string } | null;
}

export interface SweepOutput {
  plan: SweepPlan;
  /** One per variant run, in variant order (all of them unless `interrupted`). */
  runs: SweepRun[];
  /** Worlds deployed. */
  deployments: number;
  /** True when `signal` stopped the sweep. */
  interrupted: boolean;
}

export interface RunSweepParameters {
  plan: SweepPlan;
  /** The chain to run on; the in-process Hardhat network when absent. */
  chain?: Chain;
  /** Check the invariants after every block of every run (`RunOptions.check`). */
  check?: boolean;
  /** Aborting stops the sweep: the current run stops before its next block, and no further run starts. */
  signal?: AbortSignal;
  /** Called after each block of each run. */
  onBlock?: (variant: SweepVariant, record: BlockRecord, liquidations: LiquidationRecord[]) => void;
  /** Called after each run, with its full output; `done` counts the runs finished so far. */
  onRun?: (run: SweepRun, output: RunOutput, done: number) => void;
}

/**
 * The variants by deployment, in the order the sweep deploys them: the first variant not yet placed,
 * then every later one with the same deployment (`sameDeployment`), in variant order. A queued sweep
 * numbers its deployments the same way (batch/queue/runSweepOnQueue.ts).
 */
export function deploymentGroups(variants: readonly SweepVariant[]): SweepVariant[][] {
  const groups: SweepVariant[][] = [];
  for (const variant of variants) {
    const group = groups.find((g) => sameDeployment((g[0] as SweepVariant).scenario, variant.scenario));
    if (group) group.push(variant);
    else groups.push([variant]);
  }
  return groups;
}

/** The run of `variant` on deployment `deployment` from its output (`output.interrupted` is not a run). */
export function sweepRunOf(variant: Pick<SweepVariant, "index" | "values">, deployment: number, output: RunOutput): SweepRun {
  return { index: variant.index, values: variant.values, deployment, result: buildRunResult(output), error: runError(output) };
}

/** Why a run stopped before its last block, or null when it did not. */
function runError(output: RunOutput): SweepRun["error"] {
  if (output.complete) return null;
  return output.violation
    ? { kind: "invariant", message: `invariant violated at ${output.violation.message}` }
    : { kind: "chain", message: output.error ?? "the run stopped early" };
}

/**
 * What a queue worker sends for a variant it ran: of its result.json only what sweep.json takes
 * (`buildSweepResult`); the parent knows the variant's values and deployment.
 */
export interface SweepRunRow {
  index: number;
  result: Pick<RunResultJson, "complete" | "summary">;
  error: SweepRun["error"];
}

/** The row of variant `index` from its output (as `sweepRunOf` would give the run). */
export function sweepRunRow(index: number, output: RunOutput): SweepRunRow {
  const { complete, summary } = buildRunResult(output);
  return { index, result: { complete, summary }, error: runError(output) };
}

/** Runs every variant of `plan`; see the module comment for the order and the deployments. */
export async function runSweep(parameters: RunSweepParameters): Promise<SweepOutput> {
  const { plan } = parameters;
  const chain = parameters.chain ?? (await Chain.connect({}));
  const byIndex = new Map<number, SweepRun>();
  let deployments = 0;
  let interrupted = false;
  let before = await chain.snapshot();
  try {
    for (const [deployment, group] of deploymentGroups(plan.variants).entries()) {
      if (interrupted) break;
      if (deployments > 0) {
        await chain.revert(before);
        before = await chain.snapshot();
      }
      const world = await deployWorld(chain, (group[0] as SweepVariant).scenario);
      deployments++;
      let deployed = await chain.snapshot();
      for (const variant of group) {
        if (parameters.signal?.aborted) {
          interrupted = true;
          break;
        }
        const output = await runScenario(variant.scenario, {
          world,
          ...(parameters.check === undefined ? {} : { check: parameters.check }),
          ...(parameters.signal ? { signal: parameters.signal } : {}),
          ...(parameters.onBlock ? { onBlock: (record: BlockRecord, l: LiquidationRecord[]) => parameters.onBlock?.(variant, record, l) } : {}),
        });
        if (output.interrupted) {
          interrupted = true;
          break;
        }
        const run = sweepRunOf(variant, deployment, output);
        byIndex.set(variant.index, run);
        parameters.onRun?.(run, output, byIndex.size);
        await chain.revert(deployed);
        deployed = await chain.snapshot();
      }
    }
  } catch (e) {
    // The error that stopped the sweep is the one to report, not a failed clean-up after it.
    await chain.revert(before).catch(() => undefined);
    throw e;
  }
  await chain.revert(before);
  const runs = [...byIndex.values()].sort((a, b) => a.index - b.index);
  return { plan, runs, deployments, interrupted };
}
