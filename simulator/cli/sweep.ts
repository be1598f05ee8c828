/**
 * `npm run sweep -- <scenario.json> --vary <path>=<v1>,<v2>,… [--vary …] [--out <dir>] [--seed <n>] [--blocks <n>] [--implementation mock|real] [--chain in-process|anvil | --queue redis://host:port] [--check] [--html] [--quiet] [--allow-large]`
 *
 * Runs every combination of the varied values (batch/sweepPlan.ts, batch/sweep.ts) on the
 * in-process chain (or an anvil started for the sweep), deploying a world once per distinct deployment, and writes sweep.csv, sweep.json
 * and, with --html, sweep.html atomically (default folder: a new runs/<name>-sweep-seed<seed>). With
 * `--queue` each variant is a job on that Redis for `npm run queue-worker` processes on any machines
 * (batch/queue/runSweepOnQueue.ts); the files are byte-identical to a sweep without it.
 *
 * Exit codes: 0 done; 2 bad input (arguments, scenario file or a variant: one line per problem,
 * nothing written, nothing run); 3 the chain failed (before a run: nothing written; in a run: written,
 * that run marked `complete: false`); 4 `--check` found a violated invariant in a run (written
 * likewise, the run's `error` names the block and the invariant); 130 interrupted by Ctrl-C (nothing
 * written). With `--queue`: 2 for a URL that is not redis://…, 3 for a server that does not answer
 * (nothing written), 1 for a variant's job that failed on a queue worker (nothing written).
 */
import path from "node:path";
import { ChainError, openChain, type Chain, type ChainChoice } from "../chain";
import { QueuePathError, QueueUnreachableError } from "../batch/queue/errors";
import { runSweepOnQueue, type QueuedSweepRun } from "../batch/queue/runSweepOnQueue";
import { runSweep } from "../batch/sweep";
import { SweepInputError, planSweep, type SweepPlan } from "../batch/sweepPlan";
import { ScenarioError } from "../scenario";
import {
  ProgressBar,
  SWEEP_CSV_FILE,
  SWEEP_FILE,
  SWEEP_HTML_FILE,
  buildSweepResult,
  formatSweepCsv,
  formatSweepHtml,
  formatSweepJson,
  formatSweepTable,
  loadChartLibrary,
  writeFilesAtomically,
  type OutputFile,
} from "../report";
import { blocksArg, chainArg, checkOutDirArg, implementationArg, inputErrorText, newRunDir, outArg, readArgs, scenarioFileArg, scenarioWarningsText, seedArg } from "./args";
import { largeRunWarning, largestScenario } from "./largeRun";
import { queueArg } from "./queueArg";
import { UsageError } from "./errors";
import type { Implementation } from "../scenario";

export interface SweepArgs {
  scenarioFile: string;
  /** The --vary arguments, in order. */
  vary: string[];
  outDir: string | undefined;
  seed: bigint | undefined;
  blocks: number | undefined;
  /** Every protocol of every variant on the mocks or on the real protocols (default: each protocol's `implementation`). */
  implementation: Implementation | undefined;
  /** The chain the runs share (default in-process; anvil: one started for the sweep). */
  chain: ChainChoice;
  /** The Redis URL of a distributed sweep's queue (`npm run queue-worker` runs the variants); this process when absent. */
  queue: string | undefined;
  quiet: boolean;
  /** Check the invariants after every block of every run. */
  check: boolean;
  /** Also write sweep.html. */
  html: boolean;
  /** Run even a variant above the refused size (cli/largeRun.ts). */
  allowLarge: boolean;
}

export const SWEEP_USAGE =
  "usage: npm run sweep -- <scenario.json> --vary <path>=<v1>,<v2>,... [--vary ...] [--out <dir>] [--seed <n>] [--blocks <n>] [--implementation mock|real] [--chain in-process|anvil | --queue redis://host:port] [--check] [--html] [--quiet] [--allow-large]";

/** The command line's arguments; throws `UsageError` (one line naming the argument) on bad input. */
export function parseSweepArgs(argv: string[]): SweepArgs {
  const { values, positionals } = readArgs(argv, {
    vary: { type: "string", multiple: true },
    out: { type: "string" },
    seed: { type: "string" },
    blocks: { type: "string" },
    implementation: { type: "string" },
    chain: { type: "string" },
    queue: { type: "string" },
    quiet: { type: "boolean", default: false },
    check: { type: "boolean", default: false },
    html: { type: "boolean", default: false },
    "allow-large": { type: "boolean", default: false },
  });
  const scenarioFile = scenarioFileArg(positionals);
  const seed = seedArg(values.seed);
  const blocks = blocksArg(values.blocks);
  const implementation = implementationArg(values.implementation);
  const chain = chainArg(values.chain);
  const outDir = outArg(values.out);
  const queue = queueArg(values.queue);
  if (queue !== undefined && values.chain !== undefined) throw new UsageError("--chain: not with --queue (each queue worker runs its variants on in-process chains)");
  return {
    scenarioFile,
    vary: values.vary ?? [],
    outDir,
    seed,
    blocks,
    implementation,
    chain,
    queue,
    quiet: values.quiet ?? false,
    check: values.check ?? false,
    html: values.html ?? false,
    allowLarge: values["allow-large"] ?? false,
  };
}

export interface SweepIo {
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** An already connected chain; the in-process Hardhat network when absent. */
  chain?: Chain;
  /** Aborted on Ctrl-C: the current run stops before its next block and nothing is written. */
  signal?: AbortSignal;
}

/** The runs of a sweep, local or queued (of each result.json what sweep.json takes). */
interface SweepRuns {
  runs: QueuedSweepRun[];
  deployments: number;
  interrupted: boolean;
}

/** How a sweep failed: its exit code and the line for stderr. */
interface SweepFailure {
  exit: number;
  message: string;
}

/** Runs the variants here or through `--queue`. */
async function runVariants(args: SweepArgs, plan: SweepPlan, io: SweepIo, onRun: (run: QueuedSweepRun, done: number) => void): Promise<SweepRuns | SweepFailure> {
  if (args.queue !== undefined) {
    try {
      const queued = await runSweepOnQueue({ url: args.queue, plan, check: args.check, onRun, ...(io.signal ? { signal: io.signal } : {}) });
      return { ...queued, interrupted: false };
    } catch (e) {
      if (io.signal?.aborted) return { exit: 130, message: "interrupted: nothing was written\n" };
      if (e instanceof QueueUnreachableError) return { exit: 3, message: `error: ${e.message}\n` };
      if (e instanceof QueuePathError) return { exit: 1, message: `error: ${e.message}; nothing was written\n` };
      throw e;
    }
  }
  let opened: Chain | undefined;
  try {
    // A chain this command opens (an anvil it starts) is closed when the sweep ends.
    opened = io.chain === undefined && args.chain === "anvil" ? await openChain({ chain: "anvil" }) : undefined;
    const chain = io.chain ?? opened;
    return await runSweep({
      plan,
      ...(chain ? { chain } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      check: args.check,
      onRun: (run, _, done) => onRun(run, done),
    });
  } catch (e) {
    // A variant the deployment refuses (a perp position its tier does not open) is bad input.
    if (e instanceof ScenarioError) return { exit: 2, message: `error: ${e.message}; nothing was written\n` };
    if (!(e instanceof ChainError)) throw e;
    return { exit: 3, message: `error: ${e.message}; nothing was written\n` };
  } finally {
    await opened?.close();
  }
}

/** Runs the command; returns the exit code. */
export async function sweep(argv: string[], io: SweepIo): Promise<number> {
  let args: SweepArgs;
  let plan: SweepPlan;
  let sizeWarning: string | undefined;
  try {
    args = parseSweepArgs(argv);
    checkOutDirArg(io.cwd, args.outDir);
    plan = planSweep({ scenarioFile: path.resolve(io.cwd, args.scenarioFile), vary: args.vary, seed: args.seed, blocks: args.blocks, implementation: args.implementation });
    // The runs are one after another: the largest one is what the machine must hold.
    sizeWarning = largeRunWarning(largestScenario(plan.variants.map((v) => v.scenario)), args.allowLarge);
    // Before the runs, so a missing library does not cost a finished sweep its report.
    if (args.html) loadChartLibrary();
  } catch (e) {
    if (e instanceof SweepInputError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    const text = inputErrorText(e, SWEEP_USAGE, "--html");
    if (text === undefined) throw e;
    io.stderr.write(text);
    return 2;
  }
  io.stderr.write(scenarioWarningsText(plan.base));
  if (sizeWarning !== undefined) io.stderr.write(sizeWarning);
  const outDir = args.outDir !== undefined ? path.resolve(io.cwd, args.outDir) : newRunDir(io.cwd, `${plan.base.name}-sweep-seed${plan.base.seed}`);
  const progress = new ProgressBar({
    stream: io.stderr,
    totalBlocks: plan.variants.length,
    unit: "runs",
    quiet: args.quiet,
    force: process.env.LIQSIM_PROGRESS === "1",
  });
  let liquidations = 0;
  const started = performance.now();
  const onRun = (run: QueuedSweepRun, done: number): void => {
    liquidations += run.result.summary.liquidations.count;
    progress.update(done, liquidations);
  };
  let output: SweepRuns | SweepFailure;
  try {
    output = await runVariants(args, plan, io, onRun);
  } finally {
    progress.finish();
  }
  if ("exit" in output) {
    io.stderr.write(output.message);
    return output.exit;
  }
  if (output.interrupted) {
    io.stderr.write(`interrupted after ${output.runs.length} of ${plan.variants.length} runs: nothing was written\n`);
    return 130;
  }
  const seconds = (performance.now() - started) / 1000;
  const result = buildSweepResult({ plan, runs: output.runs, deployments: output.deployments });
  const files: OutputFile[] = [
    { finalPath: path.join(outDir, SWEEP_CSV_FILE), text: formatSweepCsv(result) },
    ...(args.html ? [{ finalPath: path.join(outDir, SWEEP_HTML_FILE), text: formatSweepHtml(result) }] : []),
    // sweep.json last: it appears only once the files beside it are whole.
    { finalPath: path.join(outDir, SWEEP_FILE), text: formatSweepJson(result) },
  ];
  await writeFilesAtomically(outDir, files);
  if (!args.quiet) {
    io.stdout.write(formatSweepTable(result));
    io.stdout.write(
      `\n${result.runs} runs in ${seconds.toFixed(1)} s on ${result.deployments} ${result.deployments === 1 ? "deployment" : "deployments"} of the world\n`,
    );
    const written = files.map((f) => path.relative(io.cwd, f.finalPath));
    io.stdout.write(`wrote ${written.slice(0, -1).join(", ")} and ${written[written.length - 1] ?? ""}\n`);
  }
  const stopped = output.runs.filter((r) => r.error !== null);
  for (const run of stopped) io.stderr.write(`error: run ${run.index} stopped early: ${run.error?.message ?? ""} (saved, complete: false)\n`);
  if (stopped.some((r) => r.error?.kind === "chain")) return 3;
  if (stopped.length > 0) return 4;
  return 0;
}
