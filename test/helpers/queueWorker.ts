/**
 * `npm run queue-worker` processes for the queue tests (test/batch/queue.test.ts, sweepQueue.test.ts),
 * and scripts preloaded into their path runner processes to make a job hang or fail.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

/** A `queue-worker` process; `lines` is its stdout so far. */
export interface WorkerProcess {
  child: ChildProcess;
  lines: () => string[];
  /** Resolves with the first stdout line matching `pattern` (rejects if the process exits first). */
  waitFor: (pattern: RegExp) => Promise<string>;
  stop: () => Promise<number | null>;
}

export function startWorker(url: string, preload?: string): WorkerProcess {
  const env = { ...process.env };
  if (preload !== undefined) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --require=${preload}`.trim();
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/queue-worker.ts", "--queue", url, "--lock-seconds", "2"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let text = "";
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  const lines = (): string[] => text.split("\n").filter((line) => line !== "");
  const check = (): void => {
    for (const w of [...waiters]) {
      const line = lines().find((l) => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    text += chunk;
    check();
  });
  child.once("exit", (code, signal) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`queue-worker exited (${code ?? signal}) before printing ${w.pattern}`));
  });
  const waitFor = (pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      waiters.push({ pattern, resolve, reject });
      check();
    });
  const stop = (): Promise<number | null> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once("exit", (code) => resolve(code));
      child.kill("SIGTERM");
    });
  return { child, lines, waitFor, stop };
}

/** A script preloaded into a queue worker's path runner processes that replaces the row of `path` by `behaviour`. */
export async function pathRunnerScript(dir: string, name: string, body: string): Promise<string> {
  const file = path.join(dir, `${name}.js`);
  await writeFile(
    file,
    `"use strict";
if (process.send && process.argv[1] && process.argv[1].endsWith("monteCarloWorkerEntry.js")) {
  const send = process.send.bind(process);
  process.send = (message, ...rest) => {
    ${body}
    return send(message, ...rest);
  };
}
`,
  );
  return file;
}

