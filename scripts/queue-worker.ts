// Thin entry point: `npm run queue-worker -- --queue redis://host:port [options]` (see simulator/cli/queueWorker.ts).
import { queueWorker } from "../simulator/cli/queueWorker";

// Ctrl-C or SIGTERM: take no more paths, finish the running ones, exit. A second one quits at once
// (the first waits on Redis, which may be gone).
const stop = new AbortController();
const onStop = (): void => {
  if (stop.signal.aborted) return;
  stop.abort();
  process.once("SIGINT", () => process.exit(130));
  process.once("SIGTERM", () => process.exit(143));
};
process.once("SIGINT", onStop);
process.once("SIGTERM", onStop);

queueWorker(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: stop.signal })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
