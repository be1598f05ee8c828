/**
 * `npm run fuzz -- --steps N --seed S [--shrink-seconds T]`: long local differential-fuzzing runs.
 * Exit codes: 0 no difference, 1 a difference (the reproduction is printed), 2 bad arguments.
 */
export interface FuzzCliArgs {
  steps: number;
  seed: bigint;
  shrinkSeconds: number;
}

export interface FuzzCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const FUZZ_USAGE = "usage: npm run fuzz -- --steps <N> --seed <S> [--shrink-seconds <T>]";

/** Thrown for a bad command line; the message is the one line to print. */
export class FuzzArgsError extends Error {
  override readonly name = "FuzzArgsError";
}

function positiveInteger(flag: string, value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new FuzzArgsError(`${flag} must be a positive integer, got "${value}"`);
  }
  return Number(value);
}

/** Parses the arguments after `--`; defaults: 1000 steps, seed 1, 120 s of shrinking. */
export function parseFuzzArgs(argv: readonly string[]): FuzzCliArgs {
  const args: FuzzCliArgs = { steps: 1000, seed: 1n, shrinkSeconds: 120 };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    if (!["--steps", "--seed", "--shrink-seconds"].includes(flag)) throw new FuzzArgsError(`unknown argument "${flag}" (${FUZZ_USAGE})`);
    if (seen.has(flag)) throw new FuzzArgsError(`${flag} given twice`);
    seen.add(flag);
    if (value === undefined || value.startsWith("--")) throw new FuzzArgsError(`${flag} needs a value`);
    if (flag === "--steps") args.steps = positiveInteger(flag, value);
    else if (flag === "--shrink-seconds") args.shrinkSeconds = positiveInteger(flag, value);
    else {
      if (!/^[0-9]+$/.test(value)) throw new FuzzArgsError(`--seed must be a non-negative integer, got "${value}"`);
      args.seed = BigInt(value);
    }
  }
  return args;
}

/** Runs the CLI; returns the exit code. Loads Hardhat (and the fuzzer) only after the arguments parse. */
export async function runFuzzCli(argv: readonly string[], io: FuzzCliIo): Promise<number> {
  let args: FuzzCliArgs;
  try {
    args = parseFuzzArgs(argv);
  } catch (e) {
    if (e instanceof FuzzArgsError) {
      io.stderr.write(`fuzz: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const { differentialFuzz, formatReproduction } = await import("./differentialFuzz");
  const started = performance.now();
  const result = await differentialFuzz({
    steps: args.steps,
    seed: args.seed,
    shrinkTimeMs: args.shrinkSeconds * 1000,
    progressEvery: Math.max(1, Math.min(500, Math.ceil(args.steps / 20))),
    onProgress: (done) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      io.stderr.write(`fuzz: seed ${args.seed}: ${done}/${args.steps} steps (${seconds} s)\n`);
    },
  });
  if (result.difference) {
    io.stdout.write(`${formatReproduction(result.difference)}\n`);
    return 1;
  }
  io.stdout.write(
    `${result.steps} steps, ${result.liquidations} liquidations, ${result.writeOffs} write-offs, ${result.revertsMatched} reverts matched (seed ${result.seed})\n`,
  );
  return 0;
}
