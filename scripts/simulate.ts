// Thin entry point: `npm run simulate -- <scenario.json> [options]` (see simulator/cli/simulate.ts).
import { simulate } from "../simulator/cli/simulate";

// The first Ctrl-C stops the run after the current block and saves it; a second one quits at once.
const interrupt = new AbortController();
process.once("SIGINT", () => {
  interrupt.abort();
  process.once("SIGINT", () => process.exit(130));
});

simulate(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
