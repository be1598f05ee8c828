/**
 * The child process of one isolated benchmark run (forked by ./runIsolated.ts): runs the spec in
 * argv[2] (a `WorkerInput` as JSON) and reports to the parent over IPC, then exits.
 */
import { runBenchmark } from "./runBenchmark";
import type { WorkerInput, WorkerMessage } from "./runIsolated";

function send(message: WorkerMessage, then?: () => void): void {
  process.send?.(message, undefined, {}, () => then?.());
}

const input = JSON.parse(process.argv[2] ?? "null") as WorkerInput;
runBenchmark(input.spec, {
  ...(input.rpcUrl === undefined ? {} : { rpcUrl: input.rpcUrl }),
  onProgress: (run) => send({ kind: "progress", run }),
  processPeak: true,
})
  .then((run) => send({ kind: "done", run }, () => process.exit(0)))
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
