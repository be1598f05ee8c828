/**
 * `npm run simulate -- <scenario.json> [--out <dir>] [--seed <n>] [--blocks <n>] [--implementation mock|real] [--rpc <url> | --chain in-process|anvil] [--check] [--html] [--quiet] [--allow-large]`
 *
 * Exit codes: 0 done; 2 bad input (arguments or scenario file: one line per problem, nothing
 * written); 3 the chain failed (the blocks recorded so far are saved, marked incomplete; nothing when
 * it failed before the first block); 4 `--check` found a violated invariant (saved likewise, the
 * message names the block, the invariant and the values); 130 interrupted by Ctrl-C (saved likewise).
 */
import path from "node:path";
import { ChainError, openChain, type Chain, type ChainChoice } from "../chain";
import { runScenario, type RunOutput } from "../engine/runScenario";
import {
  ProgressBar,
  buildRunResult,
  formatSummaryTable,
  loadChartLibrary,
  writeRunOutputs,
  type RunOutputPaths,
  type RunResultJson,
} from "../report";
import { explainRun } from "../report/explain";
import { priceGapDetail } from "../report/priceGaps";
import { ScenarioError, applyOverrides, loadScenarioFile, type Implementation, type Scenario } from "../scenario";
import { largeRunWarning } from "./largeRun";
import { blocksArg, chainArg, checkOutDirArg, defaultOutDir, implementationArg, inputErrorText, outArg, readArgs, rpcArg, scenarioFileArg, scenarioWarningsText, seedArg } from "./args";

// Shared with the other commands; still exported here, where they were first.
export { defaultOutDir, newRunDir } from "./args";
export { applyOverrides, clipToBlocks } from "../scenario";

export interface SimulateArgs {
  scenarioFile: string;
  outDir: string | undefined;
  seed: bigint | undefined;
  blocks: number | undefined;
  /** Every protocol on the mocks or on the real protocols (default: each protocol's `implementation`). */
  implementation: Implementation | undefined;
  rpcUrl: string | undefined;
  /** The chain to run on when no `--rpc` (default in-process; anvil: one started for the run). */
  chain: ChainChoice;
  quiet: boolean;
  /** Check the invariants after every block. */
  check: boolean;
  /** Also write report.html. */
  html: boolean;
  /** Run a scenario above `REFUSE_POSITIONS` positions (cli/largeRun.ts). */
  allowLarge: boolean;
}

export const SIMULATE_USAGE =
  "usage: npm run simulate -- <scenario.json> [--out <dir>] [--seed <n>] [--blocks <n>] [--implementation mock|real] [--rpc <url> | --chain in-process|anvil] [--check] [--html] [--quiet] [--allow-large]";

export function parseSimulateArgs(argv: string[]): SimulateArgs {
  const { values, positionals } = readArgs(argv, {
    out: { type: "string" },
    seed: { type: "string" },
    blocks: { type: "string" },
    implementation: { type: "string" },
    rpc: { type: "string" },
    chain: { type: "string" },
    quiet: { type: "boolean", default: false },
    check: { type: "boolean", default: false },
    html: { type: "boolean", default: false },
    "allow-large": { type: "boolean", default: false },
  });
  const scenarioFile = scenarioFileArg(positionals);
  const seed = seedArg(values.seed);
  const blocks = blocksArg(values.blocks);
  const implementation = implementationArg(values.implementation);
  const rpcUrl = rpcArg(values.rpc);
  const chain = chainArg(values.chain, rpcUrl);
  const outDir = outArg(values.out);
  return { scenarioFile, outDir, seed, blocks, implementation, rpcUrl, chain, quiet: values.quiet ?? false, check: values.check ?? false, html: values.html ?? false, allowLarge: values["allow-large"] ?? false };
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
    lossShares: run.lossShares,
    waterfallProtocols: run.waterfallProtocols,
  });
}

/** An account's name in the scenario (a perp trader's), else its address; for the waterfall's words. */
function accountNames(run: RunOutput): (account: string) => string {
  const names = new Map<string, string>();
  for (const p of run.world.protocols.values()) for (const t of "traders" in p ? p.traders : []) names.set(t.address.toLowerCase(), t.name);
  return (account) => names.get(account.toLowerCase()) ?? account;
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
  "usage: npm run explain -- <scenario.json> [--out <dir>] [--seed <n>] [--blocks <n>] [--implementation mock|real] [--rpc <url> | --chain in-process|anvil] [--check] [--html] [--quiet] [--allow-large]";

/** The checked input of a run: its arguments, the scenario and the size warning to print. */
interface SimulateInput {
  args: SimulateArgs;
  scenario: Scenario;
  sizeWarning: string | undefined;
}

/** Reads the arguments and the scenario; bad input is printed (with `usage`) and returned as exit code 2. */
function readSimulateInput(argv: string[], io: SimulateIo, usage: string): SimulateInput | number {
  try {
    const args = parseSimulateArgs(argv);
    checkOutDirArg(io.cwd, args.outDir);
    const scenario = applyOverrides(loadScenarioFile(path.resolve(io.cwd, args.scenarioFile)), args);
    const sizeWarning = largeRunWarning(scenario, args.allowLarge);
    // Before the run, so a missing library does not cost a finished run its report.
    if (args.html) loadChartLibrary();
    return { args, scenario, sizeWarning };
  } catch (e) {
    const text = inputErrorText(e, usage, "--html");
    if (text === undefined) throw e;
    io.stderr.write(text);
    return 2;
  }
}

/** Runs the scenario with the progress bar; a chain that fails before the first block is printed and returned as exit code 3. */
async function runWithProgress({ args, scenario }: SimulateInput, progress: ProgressBar, io: SimulateIo): Promise<RunOutput | number> {
  let liquidations = 0;
  let opened: Chain | undefined;
  try {
    // A chain this command opens (an anvil it starts) is closed when the run ends.
    opened = io.chain === undefined && args.chain === "anvil" ? await openChain({ chain: "anvil" }) : undefined;
    const chain = io.chain ?? opened;
    return await runScenario(scenario, {
      ...(args.rpcUrl !== undefined ? { rpcUrl: args.rpcUrl } : {}),
      ...(chain ? { chain } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      check: args.check,
      onBlock: (record, l) => {
        liquidations += l.length;
        progress.update(record.block, liquidations);
      },
    });
  } catch (e) {
    // The chain failed before the first block, or the deployment refused the scenario (a perp position
    // its tier does not open): there is nothing to save.
    if (!(e instanceof ChainError) && !(e instanceof ScenarioError)) throw e;
    progress.finish();
    io.stderr.write(`error: ${e.message}\n`);
    return e instanceof ScenarioError ? 2 : 3;
  } finally {
    await opened?.close();
  }
}

/** "wrote a, b and c": the files written, relative to the working directory. */
function wroteLine(paths: RunOutputPaths, cwd: string): string {
  const written = [paths.resultPath, paths.seriesPath, ...(paths.htmlPath === undefined ? [] : [paths.htmlPath])].map((p) => path.relative(cwd, p));
  return `wrote ${written.slice(0, -1).join(", ")} and ${written[written.length - 1] ?? ""}\n`;
}

/** Writes the result files (explain: only when asked) and prints the summary table, or the narration for explain. */
async function reportRun(run: RunOutput, args: SimulateArgs, outDir: string, seconds: number, mode: "simulate" | "explain", io: SimulateIo): Promise<void> {
  const result = resultOf(run);
  const write = mode === "simulate" || args.outDir !== undefined || args.html;
  const nameOf = accountNames(run);
  const narration = mode === "explain" || args.html ? explainRun({ ...run, result, nameOf }) : "";
  const paths = write ? await writeRunOutputs(outDir, result, run.blocks, args.html ? { html: { scenario: run.scenario, narration, nameOf, ...(run.setUp !== null ? { setUp: run.setUp } : {}) } } : {}) : null;
  if (mode === "explain") {
    io.stdout.write(narration);
    if (paths) io.stdout.write(wroteLine(paths, io.cwd));
  } else if (!args.quiet && paths) {
    io.stdout.write(formatSummaryTable(result, priceGapDetail(run), nameOf));
    io.stdout.write(
      `\n${run.blocks.length} blocks in ${seconds.toFixed(1)} s (${(run.blocks.length / Math.max(seconds, 1e-9)).toFixed(1)} blocks/s) on the ${run.chain.kind} chain\n`,
    );
    io.stdout.write(wroteLine(paths, io.cwd));
  }
}

/** The exit code of a run that recorded blocks, with the line that says why it stopped early. */
function runExitCode(run: RunOutput, io: SimulateIo): number {
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
 * Runs the command; returns the exit code. `explain` runs the same way but prints the run told in
 * words (`explainRun`) instead of the summary table, and writes the result files only when asked to
 * (`--out` or `--html`).
 */
export async function simulate(argv: string[], io: SimulateIo, mode: "simulate" | "explain" = "simulate"): Promise<number> {
  const input = readSimulateInput(argv, io, mode === "explain" ? EXPLAIN_USAGE : SIMULATE_USAGE);
  if (typeof input === "number") return input;
  const { args, scenario, sizeWarning } = input;
  io.stderr.write(scenarioWarningsText(scenario));
  if (sizeWarning !== undefined) io.stderr.write(sizeWarning);
  const outDir = args.outDir !== undefined ? path.resolve(io.cwd, args.outDir) : defaultOutDir(io.cwd, scenario);
  const progress = new ProgressBar({
    stream: io.stderr,
    totalBlocks: scenario.blocks,
    quiet: args.quiet,
    force: process.env.LIQSIM_PROGRESS === "1",
  });
  const started = performance.now();
  const run = await runWithProgress(input, progress, io);
  if (typeof run === "number") return run;
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  await reportRun(run, args, outDir, seconds, mode, io);
  return runExitCode(run, io);
}
