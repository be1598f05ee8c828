/**
 * `npm run montecarlo -- <scenario.json> --paths <n> [--workers <k> | --queue redis://host:port] [--seed <n>] [--blocks <n>] [--chain in-process|anvil] [--out <dir>] [--quiet]`
 *
 * Runs n market paths of a scenario (batch/monteCarlo.ts) and writes montecarlo.json and
 * montecarlo.html atomically (default folder: a new runs/<name>-mc-seed<seed>). With `--queue` the
 * paths are jobs on that Redis for `npm run queue-worker` processes on any machines
 * (batch/queue/runMonteCarloOnQueue.ts); the files are byte-identical to a run without it.
 *
 * Exit codes: 0 done; 2 bad input (arguments or scenario file: one line, nothing written); 3 a
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
} from "../report";
import { applyOverrides, loadScenarioFile, type Scenario } from "../scenario";
import { blocksArg, chainArg, checkOutDirArg, inputErrorText, newRunDir, outArg, positiveIntegerArg, readArgs, scenarioFileArg, scenarioWarningsText, seedArg } from "./args";
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
  "usage: npm run montecarlo -- <scenario.json> --paths <n> [--workers <k> | --queue redis://host:port] [--seed <n>] [--blocks <n>] [--chain in-process|anvil] [--out <dir>] [--quiet] [--allow-large]";

/** The command line's arguments; throws `UsageError` (one line naming the argument) on bad input. */
export function parseMonteCarloArgs(argv: string[]): MonteCarloArgs {
  const { values, positionals } = readArgs(argv, {
    paths: { type: "string" },
    workers: { type: "string" },
    seed: { type: "string" },
    blocks: { type: "string" },
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
  const chain = chainArg(values.chain);
  const outDir = outArg(values.out);
  const queue = queueArg(values.queue);
  if (queue !== undefined && workers !== undefined) throw new UsageError("--workers: not with --queue (the queue workers run the paths)");
  if (queue !== undefined && values.chain !== undefined) throw new UsageError("--chain: not with --queue (each queue worker runs its paths on in-process chains)");
  return { scenarioFile, paths, workers, seed, blocks, chain, queue, outDir, quiet: values.quiet ?? false, allowLarge: values["allow-large"] ?? false };
}

export interface MonteCarloIo {
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Aborted on Ctrl-C: the workers are stopped and nothing is written. */
  signal?: AbortSignal;
}

/** Runs the command; returns the exit code. */
export async function montecarlo(argv: string[], io: MonteCarloIo): Promise<number> {
  let args: MonteCarloArgs;
  let scenario: Scenario;
  let sizeWarning: string | undefined;
  try {
    args = parseMonteCarloArgs(argv);
    checkOutDirArg(io.cwd, args.outDir);
    // --seed is the market paths' base seed, not the world's: only --blocks changes the scenario.
    scenario = applyOverrides(loadScenarioFile(path.resolve(io.cwd, args.scenarioFile)), { blocks: args.blocks });
    requireRandomMarket(scenario);
    // Every worker holds the whole world (one path at a time).
    sizeWarning = largeRunWarning(scenario, args.allowLarge);
    // Before the run, so a missing library does not cost a finished run its report.
    loadChartLibrary();
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
  let rows;
  try {
    const common = {
      scenario,
      seed,
      paths: args.paths,
      ...(io.signal ? { signal: io.signal } : {}),
      onPath: (row: MonteCarloPathJson, done: number) => {
        liquidations += row.liquidations;
        progress.update(done, liquidations);
      },
    };
    rows = args.queue !== undefined ? await runMonteCarloOnQueue({ ...common, url: args.queue }) : await runMonteCarlo({ ...common, workers, chain: args.chain });
  } catch (e) {
    progress.finish();
    if (io.signal?.aborted) {
      io.stderr.write("interrupted: nothing was written\n");
      return 130;
    }
    if (e instanceof MonteCarloWorkerError) {
      io.stderr.write(`error: ${e.chain ? "the chain failed in " : ""}${e.message.split("\n")[0] ?? ""}; nothing was written\n`);
      if (e.exit !== undefined && e.exit.stderr.length > 0) {
        io.stderr.write(`worker ${e.worker}'s last lines on stderr:\n${e.exit.stderr.map((line) => `  ${line}\n`).join("")}`);
      }
      return e.chain ? 3 : 1;
    }
    if (e instanceof QueueUnreachableError || e instanceof QueuePathError) {
      io.stderr.write(`error: ${e.message}${e instanceof QueuePathError ? "; nothing was written" : ""}\n`);
      return e instanceof QueueUnreachableError ? 3 : 1;
    }
    throw e;
  }
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  const result = buildMonteCarloResult({ scenario, seed, figures: rows.map(pathFiguresFromJson) });
  const jsonPath = path.join(outDir, MONTE_CARLO_FILE);
  const htmlPath = path.join(outDir, MONTE_CARLO_HTML_FILE);
  // montecarlo.json last: it appears only once the page beside it is whole.
  await writeFilesAtomically(outDir, [
    { finalPath: htmlPath, text: formatMonteCarloHtml(result) },
    { finalPath: jsonPath, text: formatMonteCarloJson(result) },
  ]);
  if (!args.quiet) {
    io.stdout.write(formatMonteCarloTable(result));
    io.stdout.write(
      `\n${args.paths} paths x ${scenario.blocks} blocks in ${seconds.toFixed(1)} s (${(args.paths / Math.max(seconds, 1e-9)).toFixed(2)} paths/s) ${args.queue !== undefined ? "through the queue" : `on ${workers} worker${workers === 1 ? "" : "s"}`}\n`,
    );
    io.stdout.write(`wrote ${path.relative(io.cwd, htmlPath)} and ${path.relative(io.cwd, jsonPath)}\n`);
  }
  const incomplete = result.paths - result.pathsComplete;
  if (incomplete > 0) {
    io.stderr.write(`error: ${incomplete} of ${result.paths} paths stopped early (their chain failed); they are marked complete: false\n`);
    return 3;
  }
  return 0;
}
