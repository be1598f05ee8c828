// Thin entry point: `npm run simulate -- <scenario.json> [options]` (see simulator/cli/simulate.ts).
import { simulate } from "../simulator/cli/simulate";

simulate(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
