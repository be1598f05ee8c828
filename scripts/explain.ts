// Thin entry point: `npm run explain -- <scenario.json> [options]`: runs the scenario and tells it in
// words (see simulator/report/explain.ts and simulator/cli/simulate.ts).
import { simulate } from "../simulator/cli/simulate";

const interrupt = new AbortController();
process.once("SIGINT", () => {
  interrupt.abort();
  process.once("SIGINT", () => process.exit(130));
});

simulate(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal }, "explain")
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
