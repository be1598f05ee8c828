/**
 * `npm run simulate -- <scenario.json> [--out <dir>] [--seed <n>] [--blocks <n>] [--rpc <url>] [--check] [--html] [--quiet]`
 *
 * Exit codes: 0 done; 2 bad input (arguments or scenario file: one line per problem, nothing
 * written); 3 the chain failed (the blocks recorded so far are saved, marked incomplete; nothing when
 * it failed before the first block); 4 `--check` found a violated invariant (saved likewise, the
 * message names the block, the invariant and the values); 130 interrupted by Ctrl-C (saved likewise).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ChainError, type Chain } from "../chain";
import { runScenario, type RunOutput } from "../engine/runScenario";
import {
  ChartLibraryError,
  ProgressBar,
  buildRunResult,
  formatSummaryTable,
  loadChartLibrary,
  writeRunOutputs,
  type RunResultJson,
} from "../report";
import { explainRun } from "../report/explain";
import { ScenarioError, loadScenarioFile, MAX_BLOCKS, type Scenario } from "../scenario";
import { UsageError } from "./errors";

export interface SimulateArgs {
  scenarioFile: string;
  outDir: string | undefined;
  seed: bigint | undefined;
  blocks: number | undefined;
  rpcUrl: string | undefined;
  quiet: boolean;
  /** Check the invariants after every block. */
  check: boolean;
  /** Also write report.html. */
  html: boolean;
}

export const SIMULATE_USAGE =
  "usage: npm run simulate -- <scenario.json> [--out <dir>] [--seed <n>] [--blocks <n>] [--rpc <url>] [--check] [--html] [--quiet]";

export function parseSimulateArgs(argv: string[]): SimulateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: "string" },
        seed: { type: "string" },
        blocks: { type: "string" },
        rpc: { type: "string" },
        quiet: { type: "boolean", default: false },
        check: { type: "boolean", default: false },
        html: { type: "boolean", default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0] ?? "invalid arguments");
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "missing <scenario.json>" : `one scenario file expected, got ${positionals.length}`);
  const scenarioFile = positionals[0] as string;
  let seed: bigint | undefined;
  if (values.seed !== undefined) {
    if (!/^\d+$/.test(values.seed)) throw new UsageError(`--seed: must be a non-negative integer, got "${values.seed}"`);
    seed = BigInt(values.seed);
  }
  let blocks: number | undefined;
  if (values.blocks !== undefined) {
    if (!/^\d+$/.test(values.blocks) || Number(values.blocks) < 1 || Number(values.blocks) > MAX_BLOCKS) {
      throw new UsageError(`--blocks: must be an integer from 1 to ${MAX_BLOCKS}, got "${values.blocks}"`);
    }
    blocks = Number(values.blocks);
  }
  if (values.rpc !== undefined && !/^https?:\/\/\S+$/.test(values.rpc)) {
    throw new UsageError(`--rpc: must be an http(s) URL, got "${values.rpc}"`);
  }
  if (values.out !== undefined && values.out.trim() === "") throw new UsageError("--out: must not be empty");
  return { scenarioFile, outDir: values.out, seed, blocks, rpcUrl: values.rpc, quiet: values.quiet ?? false, check: values.check ?? false, html: values.html ?? false };
}

/** The scenario with the command line's `--seed` and `--blocks` (see `clipToBlocks` for the windows). */
export function applyOverrides(scenario: Scenario, args: Pick<SimulateArgs, "seed" | "blocks">): Scenario {
  const out: Scenario = { ...scenario };
  if (args.seed !== undefined) out.seed = args.seed;
  if (args.blocks !== undefined) out.blocks = args.blocks;
  return out;
}

/** A new folder under `runs/` for this run: runs/<name>-seed<seed>[-n]. */
export function defaultOutDir(cwd: string, scenario: Scenario): string {
  return newRunDir(cwd, `${scenario.name}-seed${scenario.seed}`);
}

/** runs/<folderName>, or runs/<folderName>-2, -3, … when it exists: never an earlier run's folder. */
export function newRunDir(cwd: string, folderName: string): string {
  const base = path.join(cwd, "runs", folderName);
  let dir = base;
  for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`;
  return dir;
}

export function resultOf(run: RunOutput): RunResultJson {
  return buildRunResult({
    scenario: run.scenario,
    chain: run.chain,
    complete: run.complete,
    blocks: run.blocks,
    liquidations: run.liquidations,
    badDebt: run.badDebt,
    episodes: run.episodes,
    failedAttempts: run.failedAttempts,
    groups: run.groups,
  });
}

export interface SimulateIo {
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** An already connected chain (the Hardhat task passes its network's). */
  chain?: Chain;
  /** Aborted on Ctrl-C: the run stops before its next block and saves what it recorded. */
  signal?: AbortSignal;
}

export const EXPLAIN_USAGE =
  "usage: npm run explain -- <scenario.json> [--out <dir>] [--seed <n>] [--blocks <n>] [--rpc <url>] [--check] [--html] [--quiet]";

/**
 * Runs the command; returns the exit code. `explain` runs the same way but prints the run told in
 * words (`explainRun`) instead of the summary table, and writes the result files only when asked to
 * (`--out` or `--html`).
 */
export async function simulate(argv: string[], io: SimulateIo, mode: "simulate" | "explain" = "simulate"): Promise<number> {
  const usage = mode === "explain" ? EXPLAIN_USAGE : SIMULATE_USAGE;
  let args: SimulateArgs;
  let scenario: Scenario;
  try {
    args = parseSimulateArgs(argv);
    scenario = applyOverrides(loadScenarioFile(path.resolve(io.cwd, args.scenarioFile)), args);
    if (args.blocks !== undefined) scenario = clipToBlocks(scenario, args.blocks);
    // Before the run, so a missing library does not cost a finished run its report.
    if (args.html) loadChartLibrary();
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n${usage}\n`);
      return 2;
    }
    if (e instanceof ScenarioError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ChartLibraryError) {
      io.stderr.write(`error: --html: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const outDir = args.outDir !== undefined ? path.resolve(io.cwd, args.outDir) : defaultOutDir(io.cwd, scenario);
  const progress = new ProgressBar({
    stream: io.stderr,
    totalBlocks: scenario.blocks,
    quiet: args.quiet,
    force: process.env.LIQSIM_PROGRESS === "1",
  });
  let liquidations = 0;
  const started = performance.now();
  let run: RunOutput;
  try {
    run = await runScenario(scenario, {
      ...(args.rpcUrl !== undefined ? { rpcUrl: args.rpcUrl } : {}),
      ...(io.chain ? { chain: io.chain } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      check: args.check,
      onBlock: (record, l) => {
        liquidations += l.length;
        progress.update(record.block, liquidations);
      },
    });
  } catch (e) {
    // The chain failed before the first block: there is nothing to save.
    if (!(e instanceof ChainError)) throw e;
    progress.finish();
    io.stderr.write(`error: ${e.message}\n`);
    return 3;
  }
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  const result = resultOf(run);
  const write = mode === "simulate" || args.outDir !== undefined || args.html;
  const paths = write ? await writeRunOutputs(outDir, result, run.blocks, args.html ? { html: { scenario: run.scenario } } : {}) : null;
  if (mode === "explain") {
    io.stdout.write(explainRun({ ...run, result }));
    if (paths) {
      const written = [paths.resultPath, paths.seriesPath, ...(paths.htmlPath === undefined ? [] : [paths.htmlPath])].map((p) => path.relative(io.cwd, p));
      io.stdout.write(`wrote ${written.slice(0, -1).join(", ")} and ${written[written.length - 1] ?? ""}\n`);
    }
  } else if (!args.quiet && paths) {
    io.stdout.write(formatSummaryTable(result));
    io.stdout.write(
      `\n${run.blocks.length} blocks in ${seconds.toFixed(1)} s (${(run.blocks.length / Math.max(seconds, 1e-9)).toFixed(1)} blocks/s) on the ${run.chain.kind} chain\n`,
    );
    const written = [paths.resultPath, paths.seriesPath, ...(paths.htmlPath === undefined ? [] : [paths.htmlPath])].map((p) => path.relative(io.cwd, p));
    io.stdout.write(`wrote ${written.slice(0, -1).join(", ")} and ${written[written.length - 1] ?? ""}\n`);
  }
  if (run.interrupted) {
    io.stderr.write(`interrupted: the ${run.blocks.length} blocks recorded were saved (complete: false)\n`);
    return 130;
  }
  if (run.violation) {
    io.stderr.write(`error: invariant violated at ${run.violation.message}; the ${run.blocks.length} blocks recorded were saved (complete: false)\n`);
    return 4;
  }
  if (!run.complete) {
    io.stderr.write(`error: the chain failed at block ${run.blocks.length + 1}: ${run.error ?? "unknown"}; the ${run.blocks.length} blocks recorded were saved (complete: false)\n`);
    return 3;
  }
  return 0;
}

/**
 * Cuts outage and event windows to a shorter run: a window reaching past the last block ends there,
 * one starting after it is dropped. (Market paths need no cut: they are computed up to the last block.)
 */
export function clipToBlocks(scenario: Scenario, blocks: number): Scenario {
  const clip = <T extends { fromBlock: number; toBlock: number }>(w: T): T | null =>
    w.fromBlock > blocks ? null : { ...w, toBlock: Math.min(w.toBlock, blocks) };
  return {
    ...scenario,
    feeds: scenario.feeds.map((f) => ({ ...f, outages: f.outages.map(clip).filter((w): w is NonNullable<typeof w> => w !== null) })),
    events: scenario.events.map(clip).filter((e): e is NonNullable<typeof e> => e !== null),
  };
}
