// Thin entry point: `npm run queue-worker -- --queue redis://host:port [options]` (see simulator/cli/queueWorker.ts).
import { queueWorker } from "../simulator/cli/queueWorker";

// Ctrl-C or SIGTERM: take no more paths, finish the running ones, exit; a second Ctrl-C quits at once.
const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());
process.once("SIGINT", () => {
  stop.abort();
  process.once("SIGINT", () => process.exit(130));
});

queueWorker(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: stop.signal })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
