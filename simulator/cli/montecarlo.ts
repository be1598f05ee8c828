/**
 * `npm run montecarlo -- <scenario.json> --paths <n> [--workers <k> | --queue redis://host:port] [--seed <n>] [--blocks <n>] [--implementation mock|real] [--chain in-process|anvil] [--out <dir>] [--quiet] [--allow-large]`
 *
 * Runs n market paths of a scenario (batch/monteCarlo.ts) and writes montecarlo.json and
 * montecarlo.html atomically (default folder: a new runs/<name>-mc-seed<seed>). With `--queue` the
 * paths are jobs on that Redis for `npm run queue-worker` processes on any machines
 * (batch/queue/runMonteCarloOnQueue.ts); the files are byte-identical to a run without it.
 *
 * Exit codes: 0 done; 2 bad input (arguments or scenario file, or a scenario the workers' deployment
 * refuses, such as a perp position its tier does not open: one line, nothing written); 3 a
 * worker's chain failed (nothing written), or some path stopped early (written, those paths marked
 * `complete: false`); 1 a worker failed otherwise or its process died (nothing written; a dead
 * worker's last stderr lines are printed), or a path's job failed on a queue worker (nothing written);
 * 130 interrupted by Ctrl-C (nothing written). With `--queue`: 2 for a URL that is not redis://…, 3 for
 * a server that does not answer.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import type { ChainChoice } from "../chain";
import { QueuePathError, QueueUnreachableError } from "../batch/queue/errors";
import { runMonteCarloOnQueue } from "../batch/queue/runMonteCarloOnQueue";
import { MAX_PATHS, MonteCarloWorkerError, NoRandomPathError, requireRandomMarket, runMonteCarlo } from "../batch/monteCarlo";
import type { MonteCarloPathJson } from "../report/monteCarlo";
import {
  MONTE_CARLO_FILE,
  MONTE_CARLO_HTML_FILE,
  ProgressBar,
  buildMonteCarloResult,
  formatMonteCarloHtml,
  formatMonteCarloJson,
  formatMonteCarloTable,
  loadChartLibrary,
  pathFiguresFromJson,
  writeFilesAtomically,
  type MonteCarloResultJson,
} from "../report";
import { ScenarioError, applyOverrides, loadScenarioFile, type Implementation, type Scenario } from "../scenario";
import { blocksArg, chainArg, checkOutDirArg, implementationArg, inputErrorText, newRunDir, outArg, positiveIntegerArg, readArgs, scenarioFileArg, scenarioWarningsText, seedArg } from "./args";
import { largeRunWarning } from "./largeRun";
import { queueArg } from "./queueArg";
import { UsageError } from "./errors";

export interface MonteCarloArgs {
  scenarioFile: string;
  paths: number;
  /** Worker processes; default min(paths, available cores). */
  workers: number | undefined;
  /** Base seed of the market paths; default the scenario's seed. */
  seed: bigint | undefined;
  blocks: number | undefined;
  /** Every protocol on the mocks or on the real protocols (default: each protocol's `implementation`). */
  implementation: Implementation | undefined;
  /** Each worker's chain: its own in-process one (default), or an anvil started for it. */
  chain: ChainChoice;
  /** The Redis URL of a distributed run's queue (`npm run queue-worker` runs the paths); local workers when absent. */
  queue: string | undefined;
  outDir: string | undefined;
  quiet: boolean;
  /** Run even a world above the refused size (cli/largeRun.ts). */
  allowLarge: boolean;
}

export const MONTECARLO_USAGE =
  "usage: npm run montecarlo -- <scenario.json> --paths <n> [--workers <k> | --queue redis://host:port] [--seed <n>] [--blocks <n>] [--implementation mock|real] [--chain in-process|anvil] [--out <dir>] [--quiet] [--allow-large]";

/** The command line's arguments; throws `UsageError` (one line naming the argument) on bad input. */
export function parseMonteCarloArgs(argv: string[]): MonteCarloArgs {
  const { values, positionals } = readArgs(argv, {
    paths: { type: "string" },
    workers: { type: "string" },
    seed: { type: "string" },
    blocks: { type: "string" },
    implementation: { type: "string" },
    chain: { type: "string" },
    queue: { type: "string" },
    out: { type: "string" },
    quiet: { type: "boolean", default: false },
    "allow-large": { type: "boolean", default: false },
  });
  const scenarioFile = scenarioFileArg(positionals);
  if (values.paths === undefined) throw new UsageError("--paths: missing (the number of price paths)");
  const paths = positiveIntegerArg(values.paths, "--paths", MAX_PATHS);
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = positiveIntegerArg(values.workers, "--workers", Number.MAX_SAFE_INTEGER);
    if (workers > paths) throw new UsageError(`--workers: must be at most --paths (${paths}), got ${workers}`);
  }
  const seed = seedArg(values.seed);
  const blocks = blocksArg(values.blocks);
  const implementation = implementationArg(values.implementation);
  const chain = chainArg(values.chain);
  const outDir = outArg(values.out);
  const queue = queueArg(values.queue);
  if (queue !== undefined && workers !== undefined) throw new UsageError("--workers: not with --queue (the queue workers run the paths)");
  if (queue !== undefined && values.chain !== undefined) throw new UsageError("--chain: not with --queue (each queue worker runs its paths on in-process chains)");
  return { scenarioFile, paths, workers, seed, blocks, implementation, chain, queue, outDir, quiet: values.quiet ?? false, allowLarge: values["allow-large"] ?? false };
}

export interface MonteCarloIo {
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Aborted on Ctrl-C: the workers are stopped and nothing is written. */
  signal?: AbortSignal;
}

/** The checked input of a run: its arguments, the scenario and the size warning to print. */
interface MonteCarloInput {
  args: MonteCarloArgs;
  scenario: Scenario;
  sizeWarning: string | undefined;
}

/** How a run failed: its exit code and the text for stderr. */
interface MonteCarloFailure {
  exit: number;
  message: string;
}

/** Reads the arguments and the scenario; bad input is printed (one line) and returned as exit code 2. */
function readMonteCarloInput(argv: string[], io: MonteCarloIo): MonteCarloInput | number {
  try {
    const args = parseMonteCarloArgs(argv);
    checkOutDirArg(io.cwd, args.outDir);
    // --seed is the market paths' base seed, not the world's: only --blocks and --implementation change the
    // scenario, which every worker (and every queue worker, through the stored scenario) deploys as it is.
    const scenario = applyOverrides(loadScenarioFile(path.resolve(io.cwd, args.scenarioFile)), { blocks: args.blocks, implementation: args.implementation });
    requireRandomMarket(scenario);
    // Every worker holds the whole world (one path at a time).
    const sizeWarning = largeRunWarning(scenario, args.allowLarge);
    // Before the run, so a missing library does not cost a finished run its report.
    loadChartLibrary();
    return { args, scenario, sizeWarning };
  } catch (e) {
    if (e instanceof NoRandomPathError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    const text = inputErrorText(e, MONTECARLO_USAGE, "montecarlo.html");
    if (text === undefined) throw e;
    io.stderr.write(text);
    return 2;
  }
}

/** Runs the paths on local workers or through `--queue`; a failure the command reports is returned, not thrown. */
async function runPaths(
  { args, scenario }: MonteCarloInput,
  run: { seed: bigint; workers: number; onPath: (row: MonteCarloPathJson, done: number) => void },
  io: MonteCarloIo,
): Promise<MonteCarloPathJson[] | MonteCarloFailure> {
  try {
    const common = { scenario, seed: run.seed, paths: args.paths, ...(io.signal ? { signal: io.signal } : {}), onPath: run.onPath };
    return args.queue !== undefined ? await runMonteCarloOnQueue({ ...common, url: args.queue }) : await runMonteCarlo({ ...common, workers: run.workers, chain: args.chain });
  } catch (e) {
    if (io.signal?.aborted) return { exit: 130, message: "interrupted: nothing was written\n" };
    // A scenario a worker's deployment refuses (a perp position its tier does not open) is bad input.
    if (e instanceof ScenarioError) return { exit: 2, message: `error: ${e.message}; nothing was written\n` };
    if (e instanceof MonteCarloWorkerError) {
      let message = `error: ${e.chain ? "the chain failed in " : ""}${e.message.split("\n")[0] ?? ""}; nothing was written\n`;
      if (e.exit !== undefined && e.exit.stderr.length > 0) {
        message += `worker ${e.worker}'s last lines on stderr:\n${e.exit.stderr.map((line) => `  ${line}\n`).join("")}`;
      }
      return { exit: e.chain ? 3 : 1, message };
    }
    if (e instanceof QueueUnreachableError || e instanceof QueuePathError) {
      return { exit: e instanceof QueueUnreachableError ? 3 : 1, message: `error: ${e.message}${e instanceof QueuePathError ? "; nothing was written" : ""}\n` };
    }
    throw e;
  }
}

/** Writes montecarlo.html, then montecarlo.json; unless quiet, prints the table, `timing` and where the files are. */
async function writeMonteCarlo(result: MonteCarloResultJson, outDir: string, quiet: boolean, timing: string, io: MonteCarloIo): Promise<void> {
  const jsonPath = path.join(outDir, MONTE_CARLO_FILE);
  const htmlPath = path.join(outDir, MONTE_CARLO_HTML_FILE);
  // montecarlo.json last: it appears only once the page beside it is whole.
  await writeFilesAtomically(outDir, [
    { finalPath: htmlPath, text: formatMonteCarloHtml(result) },
    { finalPath: jsonPath, text: formatMonteCarloJson(result) },
  ]);
  if (!quiet) {
    io.stdout.write(formatMonteCarloTable(result));
    io.stdout.write(timing);
    io.stdout.write(`wrote ${path.relative(io.cwd, htmlPath)} and ${path.relative(io.cwd, jsonPath)}\n`);
  }
}

/** Runs the command; returns the exit code. */
export async function montecarlo(argv: string[], io: MonteCarloIo): Promise<number> {
  const input = readMonteCarloInput(argv, io);
  if (typeof input === "number") return input;
  const { args, scenario, sizeWarning } = input;
  io.stderr.write(scenarioWarningsText(scenario));
  if (sizeWarning !== undefined) io.stderr.write(sizeWarning);
  const seed = args.seed ?? scenario.seed;
  const workers = args.workers ?? Math.min(args.paths, availableParallelism());
  const outDir = args.outDir !== undefined ? path.resolve(io.cwd, args.outDir) : newRunDir(io.cwd, `${scenario.name}-mc-seed${seed}`);
  const progress = new ProgressBar({
    stream: io.stderr,
    totalBlocks: args.paths,
    unit: "paths",
    quiet: args.quiet,
    force: process.env.LIQSIM_PROGRESS === "1",
  });
  let liquidations = 0;
  const started = performance.now();
  const onPath = (row: MonteCarloPathJson, done: number): void => {
    liquidations += row.liquidations;
    progress.update(done, liquidations);
  };
  let rows: MonteCarloPathJson[] | MonteCarloFailure;
  try {
    rows = await runPaths(input, { seed, workers, onPath }, io);
  } finally {
    progress.finish();
  }
  if (!Array.isArray(rows)) {
    io.stderr.write(rows.message);
    return rows.exit;
  }
  const seconds = (performance.now() - started) / 1000;
  const result = buildMonteCarloResult({ scenario, seed, figures: rows.map(pathFiguresFromJson) });
  const timing = `\n${args.paths} paths x ${scenario.blocks} blocks in ${seconds.toFixed(1)} s (${(args.paths / Math.max(seconds, 1e-9)).toFixed(2)} paths/s) ${args.queue !== undefined ? "through the queue" : `on ${workers} worker${workers === 1 ? "" : "s"}`}\n`;
  await writeMonteCarlo(result, outDir, args.quiet, timing, io);
  const incomplete = result.paths - result.pathsComplete;
  if (incomplete > 0) {
    io.stderr.write(`error: ${incomplete} of ${result.paths} paths stopped early (their chain failed); they are marked complete: false\n`);
    return 3;
  }
  return 0;
}
