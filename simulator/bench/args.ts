/**
 * `npm run bench -- [--sizes 100,1000,10000] [--chains in-process,hardhat-node,anvil] [--blocks 300]
 * [--repeat <n>] [--out bench/results.json] [--timeout-minutes <n>] [--quick]`
 */
import { parseArgs } from "node:util";
import { joinNegativeValues } from "../cli/args";
import { UsageError } from "../cli/errors";
import { MAX_BLOCKS } from "../scenario";
import { REFERENCE_BLOCKS } from "./referenceScenario";
import { BENCH_CHAIN_KINDS, type BenchChainKind } from "./types";

export const BENCH_USAGE =
  "usage: npm run bench -- [--sizes 100,1000,10000] [--chains in-process,hardhat-node,anvil] [--blocks 300] [--repeat 1] [--out bench/results.json] [--timeout-minutes <n>] [--quick]";

export const DEFAULT_SIZES = [100, 1_000, 10_000];
export const QUICK_SIZES = [100];
export const QUICK_BLOCKS = 30;
export const DEFAULT_OUT = "bench/results.json";
/** The reference scenario needs a borrower in each protocol; more than this is beyond any chain here. */
export const MAX_SIZE = 1_000_000;
/** Rounds at most (`--repeat`). */
export const MAX_REPEAT = 100;

export interface BenchArgs {
  sizes: number[];
  chains: BenchChainKind[];
  blocks: number;
  /** Rounds: every size on every chain is measured this many times, round after round. */
  repeat: number;
  out: string;
  /** Stop a run that takes longer (it is reported incomplete, with how far it got); null: no limit. */
  timeoutMinutes: number | null;
  help: boolean;
}

function list(option: string, text: string): string[] {
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new UsageError(`--${option}: a comma-separated list without empty items expected, got "${text}"`);
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item)) throw new UsageError(`--${option}: "${item}" is listed twice`);
    seen.add(item);
  }
  return items;
}

function sizesOf(text: string): number[] {
  return list("sizes", text).map((item) => {
    const n = Number(item);
    if (!/^\d+$/.test(item) || n < 2 || n > MAX_SIZE) throw new UsageError(`--sizes: each size must be an integer from 2 to ${MAX_SIZE}, got "${item}"`);
    return n;
  });
}

function chainsOf(text: string): BenchChainKind[] {
  return list("chains", text).map((item) => {
    const kind = BENCH_CHAIN_KINDS.find((k) => k === item);
    if (kind === undefined) throw new UsageError(`--chains: unknown chain "${item}" (${BENCH_CHAIN_KINDS.join(", ")})`);
    return kind;
  });
}

const BENCH_OPTIONS = {
  sizes: { type: "string" },
  chains: { type: "string" },
  blocks: { type: "string" },
  repeat: { type: "string" },
  out: { type: "string" },
  "timeout-minutes": { type: "string" },
  quick: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

/** Parses the command line; throws `UsageError` naming the first bad argument. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, BENCH_OPTIONS),
      allowPositionals: false,
      strict: true,
      options: BENCH_OPTIONS,
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0] ?? "invalid arguments");
  }
  const { values } = parsed;
  if (values.quick && (values.sizes !== undefined || values.blocks !== undefined)) {
    throw new UsageError(`--quick: sets --sizes ${QUICK_SIZES.join(",")} and --blocks ${QUICK_BLOCKS}; give either --quick or those`);
  }
  let blocks = values.quick ? QUICK_BLOCKS : REFERENCE_BLOCKS;
  if (values.blocks !== undefined) {
    if (!/^\d+$/.test(values.blocks) || Number(values.blocks) < 1 || Number(values.blocks) > MAX_BLOCKS) {
      throw new UsageError(`--blocks: must be an integer from 1 to ${MAX_BLOCKS}, got "${values.blocks}"`);
    }
    blocks = Number(values.blocks);
  }
  let repeat = 1;
  if (values.repeat !== undefined) {
    if (!/^\d+$/.test(values.repeat) || Number(values.repeat) < 1 || Number(values.repeat) > MAX_REPEAT) {
      throw new UsageError(`--repeat: must be an integer from 1 to ${MAX_REPEAT}, got "${values.repeat}"`);
    }
    repeat = Number(values.repeat);
  }
  let timeoutMinutes: number | null = null;
  const timeout = values["timeout-minutes"];
  if (timeout !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(timeout) || Number(timeout) <= 0) throw new UsageError(`--timeout-minutes: must be a number > 0, got "${timeout}"`);
    timeoutMinutes = Number(timeout);
  }
  if (values.out !== undefined && values.out.trim() === "") throw new UsageError("--out: must not be empty");
  return {
    sizes: values.quick ? [...QUICK_SIZES] : values.sizes === undefined ? [...DEFAULT_SIZES] : sizesOf(values.sizes),
    chains: values.chains === undefined ? ["in-process"] : chainsOf(values.chains),
    blocks,
    repeat,
    out: values.out ?? DEFAULT_OUT,
    timeoutMinutes,
    help: values.help ?? false,
  };
}
