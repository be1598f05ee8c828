// Thin entry point: `npm run sweep -- <scenario.json> --vary <path>=<values> [options]` (see simulator/cli/sweep.ts).
import { sweep } from "../simulator/cli/sweep";

// The first Ctrl-C stops the sweep after the current block (nothing is written); a second one quits at once.
const interrupt = new AbortController();
process.once("SIGINT", () => {
  interrupt.abort();
  process.once("SIGINT", () => process.exit(130));
});

sweep(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
