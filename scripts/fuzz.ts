// `npm run fuzz -- --steps N --seed S`: lockstep differential fuzzing of PooledLendingPool against PoolModel.
import { runFuzzCli } from "../simulator/fuzz/fuzzCli";

runFuzzCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 3;
  },
);
