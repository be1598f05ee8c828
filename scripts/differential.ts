// Thin entry point: `npm run differential -- <scenario.json> [options]` (see simulator/cli/differential.ts).
import { differential } from "../simulator/cli/differential";

differential(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
