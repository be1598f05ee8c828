// Thin entry point: `npm run bench -- [options]` (see simulator/bench/bench.ts).
import { bench } from "../simulator/bench";

// Ctrl-C stops the current run and writes what was measured; a second one quits at once.
const interrupt = new AbortController();
process.once("SIGINT", () => {
  interrupt.abort();
  process.once("SIGINT", () => process.exit(130));
});

bench(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
