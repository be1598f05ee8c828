// Thin entry point: `npm run playground [-- <scenario.json>] [--port <n>]` (see simulator/cli/playground.ts).
import path from "node:path";
import { playground } from "../simulator/cli/playground";

const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
process.once("SIGTERM", () => stop.abort());

playground(process.argv.slice(2), { cwd: process.cwd(), root: path.join(__dirname, ".."), stdout: process.stdout, stderr: process.stderr, signal: stop.signal })
  .then((code) => {
    process.exit(code);
  })
  .catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
