/**
 * `npm run bench`: the reference scenario (./referenceScenario.ts) at each size on each chain kind,
 * every run on a fresh chain (a new node, and a new process for the engine), the results written
 * after every run and a table printed at the end. A benchmark, not a test: nothing is asserted, and
 * the timings depend on the machine and on whatever else runs on it (`loadAverage` records that).
 *
 * Exit codes: 0 every run completed; 2 bad arguments (one line, nothing run); 3 a run did not
 * complete (its row says how far it got, the line under the table why); 130 interrupted (the runs
 * finished so far, and the interrupted one, are written).
 */
import path from "node:path";
import { UsageError } from "../cli/errors";
import { BENCH_USAGE, parseBenchArgs, type BenchArgs } from "./args";
import { NodeStartError, startNode, type RunningNode } from "../chain";
import { benchResultsJson, formatBenchTable, machineInfo, writeBenchResults } from "./results";
import { emptyBenchRun, runBenchmark } from "./runBenchmark";
import { runIsolated } from "./runIsolated";
import type { BenchRun, BenchRunSpec } from "./types";

/** A progress line at most this often while a run goes on. */
const HEARTBEAT_MS = 60_000;

export interface BenchIo {
  cwd: string;
  stdout: { write(text: string): unknown };
  /** Progress: a line when each run starts, when its world is set up, every minute, and when it ends. */
  stderr: { write(text: string): unknown };
  /** The project folder (nodes and run processes start there); default the folder above simulator/. */
  root?: string;
  /** Aborting stops the current run and writes what was measured (Ctrl-C). */
  signal?: AbortSignal;
  /** Run each measurement in a fresh child process (default); false runs them in this process (tests). */
  isolate?: boolean;
}

/** "12.3 s", "5m07s". */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
}

function finishedLine(run: BenchRun): string {
  if (!run.complete) return `INCOMPLETE: ${run.error ?? "unknown"}`;
  const rate = run.blocksPerSecond === null ? "" : ` at ${run.blocksPerSecond} blocks/s`;
  return `complete: set-up ${run.setupSeconds ?? "-"} s, ${run.blocks} blocks${rate}, ${run.rpcCalls} RPC calls, peak RSS ${run.peakRssMiB} MiB`;
}

async function measure(spec: BenchRunSpec, args: BenchArgs, io: BenchIo, root: string, label: string): Promise<BenchRun> {
  let node: RunningNode | null = null;
  if (spec.chain !== "in-process") {
    try {
      node = await startNode(spec.chain, root);
    } catch (e) {
      if (e instanceof NodeStartError) return emptyBenchRun(spec, e.message);
      throw e;
    }
  }
  const started = performance.now();
  let lastLineAt = started;
  let setUp = false;
  const onProgress = (run: BenchRun) => {
    const now = performance.now();
    if (!setUp && run.setupSeconds !== null) {
      setUp = true;
      lastLineAt = now;
      io.stderr.write(`${label}: world set up in ${run.setupSeconds} s (${run.phases.setup.rpcCalls} RPC calls)\n`);
    } else if (now - lastLineAt >= HEARTBEAT_MS) {
      lastLineAt = now;
      const where = run.setupSeconds === null ? `setting up the world, ${run.rpcCalls} RPC calls` : `block ${run.blocks}/${run.blocksPlanned}`;
      io.stderr.write(`${label}: ${where}, ${formatDuration(now - started)}\n`);
    }
  };
  try {
    const rpc = node === null ? {} : { rpcUrl: node.url };
    const run =
      io.isolate === false
        ? await runBenchmark(spec, { ...rpc, onProgress })
        : await runIsolated(spec, {
            ...rpc,
            root,
            onProgress,
            timeoutMs: args.timeoutMinutes === null ? null : args.timeoutMinutes * 60_000,
            ...(io.signal ? { signal: io.signal } : {}),
          });
    if (node === null) return run;
    // A node that died mid-run shows in the engine only as a failed request: say how it ended.
    const nodeExit = node.exitStatus();
    const error = run.complete || nodeExit === null ? run.error : `${run.error ?? "stopped"}; the ${spec.chain} ${nodeExit}`;
    return { ...run, error, nodePeakRssMiB: node.peakRssMiB() };
  } finally {
    await node?.stop();
  }
}

/** Runs the command; returns the exit code. */
export async function bench(argv: string[], io: BenchIo): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const root = io.root ?? path.resolve(__dirname, "..", "..");
  const out = path.resolve(io.cwd, args.out);
  const machine = machineInfo();
  // Round after round (not each size's repeats in a row): a slower spell of the machine then falls on
  // every size and chain alike.
  const round: BenchRunSpec[] = args.sizes.flatMap((size) => args.chains.map((chain) => ({ size, chain, blocks: args.blocks })));
  const specs = Array.from({ length: args.repeat }, () => round).flat();
  const runs: BenchRun[] = [];
  const results = () => benchResultsJson({ machine, sizes: args.sizes, chains: args.chains, blocks: args.blocks, repeat: args.repeat, runs });
  for (const [i, spec] of specs.entries()) {
    if (io.signal?.aborted) break;
    const label = `[${i + 1}/${specs.length}] ${spec.size} borrowers on ${spec.chain}`;
    io.stderr.write(`${label}: started (${spec.blocks} blocks)\n`);
    const started = performance.now();
    const run = await measure(spec, args, io, root, label);
    runs.push(run);
    await writeBenchResults(out, results());
    io.stderr.write(`${label}: ${finishedLine(run)} (${formatDuration(performance.now() - started)})\n`);
  }
  io.stdout.write(formatBenchTable(results()));
  io.stdout.write(`wrote ${path.relative(io.cwd, out) || out}\n`);
  if (io.signal?.aborted) return 130;
  return runs.every((r) => r.complete) ? 0 : 3;
}
