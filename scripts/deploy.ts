// Thin entry point: `npm run deploy -- <scenario.json> --rpc <url> [--out <file>]` (see simulator/cli/deploy.ts).
import { deploy } from "../simulator/cli/deploy";

deploy(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
