/**
 * One benchmark run in a fresh child process (./benchWorker.ts), so that the in-process chain starts
 * empty, the peak memory is the run's own, and a run that runs out of memory or time cannot take the
 * harness with it. The child reports its figures after every block; when it is stopped or dies, the
 * last report says how far it got.
 */
import { fork } from "node:child_process";
import { emptyBenchRun } from "./runBenchmark";
import type { BenchRun, BenchRunSpec } from "./types";

const STDERR_TAIL_CHARS = 4_000;

/** What the parent passes to ./benchWorker.ts (argv[2], JSON). */
export interface WorkerInput {
  spec: BenchRunSpec;
  rpcUrl?: string;
}

/** What ./benchWorker.ts sends back: the figures so far, then the final ones. */
export interface WorkerMessage {
  kind: "progress" | "done";
  run: BenchRun;
}

export interface RunIsolatedOptions {
  /** The project folder (the child's working directory: Hardhat finds its config there). */
  root: string;
  rpcUrl?: string;
  onProgress?: (run: BenchRun) => void;
  /** Kill the run after this long; it is reported incomplete. Null: no limit. */
  timeoutMs?: number | null;
  /** Aborting kills the run; it is reported incomplete ("interrupted"). */
  signal?: AbortSignal;
}

function lastLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.find((l) => /heap out of memory|FATAL ERROR/i.test(l)) ?? lines[lines.length - 1] ?? "";
}

function cpuProfileArgs(): string[] {
  const dir = process.env.LIQSIM_CPU_PROF_DIR;
  return dir === undefined || dir === "" ? [] : ["--cpu-prof", "--cpu-prof-dir", dir];
}

export function runIsolated(spec: BenchRunSpec, options: RunIsolatedOptions): Promise<BenchRun> {
  return new Promise((resolve) => {
    const input: WorkerInput = { spec, ...(options.rpcUrl === undefined ? {} : { rpcUrl: options.rpcUrl }) };
    const child = fork(require.resolve("./benchWorker"), [JSON.stringify(input)], {
      cwd: options.root,
      // LIQSIM_CPU_PROF_DIR=<dir>: the run's process writes a V8 CPU profile there (open it in Chrome's DevTools).
      execArgv: ["--require", "ts-node/register/transpile-only", ...cpuProfileArgs()],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let last: BenchRun | null = null;
    let done: BenchRun | null = null;
    let stopped: string | null = null;
    let stderr = "";
    child.stdout?.resume();
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
    });
    child.on("message", (message: WorkerMessage) => {
      if (message.kind === "done") done = message.run;
      else {
        last = message.run;
        options.onProgress?.(message.run);
      }
    });
    const stop = (reason: string) => {
      stopped = reason;
      child.kill("SIGKILL");
    };
    const timeoutMs = options.timeoutMs ?? null;
    const timer = timeoutMs === null ? undefined : setTimeout(() => stop(`stopped at the time limit (${timeoutMs / 60_000} min)`), timeoutMs);
    const onAbort = () => stop("interrupted");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const finish = (exit: string) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (done !== null) return resolve(done);
      const progress: BenchRun = last ?? emptyBenchRun(spec, "");
      const where = progress.setupSeconds === null ? "during world set-up" : `after block ${progress.blocks} of ${progress.blocksPlanned}`;
      const why = stopped ?? `the run's process ${exit}${stderr.trim() === "" ? "" : `: ${lastLine(stderr)}`}`;
      resolve({ ...progress, complete: false, error: `${why} ${where}` });
    };
    child.once("exit", (code, signal) => finish(`exited with ${signal ?? `code ${code}`}`));
    child.once("error", (e) => {
      stopped ??= `could not start the run's process: ${e.message}`;
      finish("failed");
    });
  });
}
