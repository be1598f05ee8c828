/**
 * `npm run fuzz -- --steps N --seed S [--shrink-steps K] [--replay FILE]`: long local differential-fuzzing
 * runs, or the replay of a printed reproduction (a JSON action list) on a fresh world with that seed.
 * Exit codes: 0 no difference, 1 a difference (the reproduction is printed), 2 bad arguments.
 */
import { readFileSync } from "node:fs";
import type { FuzzAction } from "./differentialFuzz";
import { DEFAULT_SHRINK_STEPS } from "./shrink";

export interface FuzzCliArgs {
  steps: number;
  seed: bigint;
  /** At most this many actions replayed while shrinking a difference. */
  shrinkSteps: number;
  replay?: string;
}

export interface FuzzCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const FUZZ_USAGE = "usage: npm run fuzz -- --steps <N> --seed <S> [--shrink-steps <K>] [--replay <actions.json>]";

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

/** Parses the arguments after `--`; defaults: 1000 steps, seed 1, `DEFAULT_SHRINK_STEPS` shrink steps. */
export function parseFuzzArgs(argv: readonly string[]): FuzzCliArgs {
  const args: FuzzCliArgs = { steps: 1000, seed: 1n, shrinkSteps: DEFAULT_SHRINK_STEPS };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    if (flag === "--shrink-seconds") throw new FuzzArgsError("--shrink-seconds: replaced by --shrink-steps <K> (at most K actions replayed, whatever the machine's speed)");
    if (!["--steps", "--seed", "--shrink-steps", "--replay"].includes(flag)) throw new FuzzArgsError(`unknown argument "${flag}" (${FUZZ_USAGE})`);
    if (seen.has(flag)) throw new FuzzArgsError(`${flag} given twice`);
    seen.add(flag);
    if (value === undefined || value.startsWith("--")) throw new FuzzArgsError(`${flag} needs a value`);
    if (flag === "--steps") args.steps = positiveInteger(flag, value);
    else if (flag === "--shrink-steps") args.shrinkSteps = positiveInteger(flag, value);
    else if (flag === "--replay") args.replay = value;
    else {
      if (!/^[0-9]+$/.test(value)) throw new FuzzArgsError(`--seed must be a non-negative integer, got "${value}"`);
      args.seed = BigInt(value);
    }
  }
  return args;
}

const KINDS = ["supply", "withdraw", "borrow", "repay", "depositReserves", "price", "time", "liquidate"];
const FIELDS: Record<string, { indexes: string[]; integers: string[] }> = {
  price: { indexes: ["asset"], integers: ["priceE8"] },
  time: { indexes: [], integers: ["seconds"] },
  liquidate: { indexes: ["user", "collateral", "debt"], integers: ["amount"] },
};

/** Checks a reproduction's action list (as printed by the fuzzer); throws `FuzzArgsError` naming the bad field. */
export function parseFuzzActions(json: unknown, source: string): FuzzAction[] {
  if (!Array.isArray(json)) throw new FuzzArgsError(`${source}: expected a JSON array of actions`);
  json.forEach((a: unknown, i) => {
    const where = `${source}: [${i}]`;
    if (typeof a !== "object" || a === null) throw new FuzzArgsError(`${where} is not an object`);
    const action = a as Record<string, unknown>;
    const kind = action.kind;
    if (typeof kind !== "string" || !KINDS.includes(kind)) throw new FuzzArgsError(`${where}.kind must be one of ${KINDS.join(", ")}`);
    const fields = FIELDS[kind] ?? { indexes: ["user", "asset"], integers: ["amount"] };
    for (const f of fields.indexes) {
      if (!Number.isInteger(action[f]) || (action[f] as number) < 0) throw new FuzzArgsError(`${where}.${f} must be a non-negative integer`);
    }
    for (const f of fields.integers) {
      if (typeof action[f] !== "string" || !/^[0-9]+$/.test(action[f] as string)) throw new FuzzArgsError(`${where}.${f} must be a decimal integer string`);
    }
  });
  return json as FuzzAction[];
}

function readActions(file: string): FuzzAction[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new FuzzArgsError(`--replay: cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return parseFuzzActions(JSON.parse(text) as unknown, file);
  } catch (e) {
    if (e instanceof FuzzArgsError) throw e;
    throw new FuzzArgsError(`--replay: ${file} is not JSON: ${(e as Error).message}`);
  }
}

/** Runs the CLI; returns the exit code. Loads Hardhat (and the fuzzer) only after the arguments parse. */
export async function runFuzzCli(argv: readonly string[], io: FuzzCliIo): Promise<number> {
  let args: FuzzCliArgs;
  let actions: FuzzAction[] | undefined;
  try {
    args = parseFuzzArgs(argv);
    if (args.replay !== undefined) actions = readActions(args.replay);
  } catch (e) {
    if (e instanceof FuzzArgsError) {
      io.stderr.write(`fuzz: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const { differentialFuzz, formatReproduction, replayActions } = await import("./differentialFuzz");
  if (actions) {
    const d = await replayActions(args.seed, actions);
    if (d) {
      io.stdout.write(`difference at step ${d.step} (seed ${args.seed}): ${d.field}: chain ${d.chain}, model ${d.model}\n`);
      return 1;
    }
    io.stdout.write(`${actions.length} actions replayed (seed ${args.seed}): no difference\n`);
    return 0;
  }
  const started = performance.now();
  const result = await differentialFuzz({
    steps: args.steps,
    seed: args.seed,
    shrinkSteps: args.shrinkSteps,
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
