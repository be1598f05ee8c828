// Thin entry point: `npm run montecarlo -- <scenario.json> --paths <n> [options]` (see simulator/cli/montecarlo.ts).
import { montecarlo } from "../simulator/cli/montecarlo";

// The first Ctrl-C stops the workers (nothing is written); a second one quits at once.
const interrupt = new AbortController();
process.once("SIGINT", () => {
  interrupt.abort();
  process.once("SIGINT", () => process.exit(130));
});

montecarlo(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
