/**
 * What `simulate`, `montecarlo` and `sweep` read from their command lines in the same way: the flags
 * (node:util's parseArgs, strict), the one scenario file, `--seed`, `--blocks`, `--out`, `--rpc`, `--chain`; a
 * run's default output folder; and the one-line message of a bad input. (What `--seed` and `--blocks`
 * change in a scenario is `applyOverrides` in scenario/overrides.ts.) Every problem is a `UsageError` whose message is one line naming the argument.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CHAIN_CHOICES, type ChainChoice } from "../chain";
import { ChartLibraryError } from "../report/errors";
import { MAX_BLOCKS, ScenarioError, type Scenario } from "../scenario";
import { UsageError } from "./errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * The flags and positionals of `argv` under `options` (unknown flags rejected); node's message,
 * first line only, becomes a `UsageError`.
 */
export function readArgs<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0] ?? "invalid arguments");
  }
}

/** The one `<scenario.json>` positional. */
export function scenarioFileArg(positionals: readonly string[]): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "missing <scenario.json>" : `one scenario file expected, got ${positionals.length}`);
  return positionals[0] as string;
}

/** An integer from 1 to `max` written in decimal digits. */
export function positiveIntegerArg(value: string, name: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new UsageError(`${name}: must be an integer from 1 to ${max.toLocaleString("en-US")}, got "${value}"`);
  }
  return Number(value);
}

/** `--seed`: a non-negative integer of any size. */
export function seedArg(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--seed: must be a non-negative integer, got "${value}"`);
  return BigInt(value);
}

/** `--blocks`: 1 to MAX_BLOCKS. */
export function blocksArg(value: string | undefined): number | undefined {
  return value === undefined ? undefined : positiveIntegerArg(value, "--blocks", MAX_BLOCKS);
}

/** `--out`: a folder, not empty. */
export function outArg(value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === "") throw new UsageError("--out: must not be empty");
  return value;
}

/** `--rpc`: an http(s) URL. */
export function rpcArg(value: string | undefined): string | undefined {
  if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) throw new UsageError(`--rpc: must be an http(s) URL, got "${value}"`);
  return value;
}

/** `--chain`: in-process (default) or anvil (started for the run); not with `--rpc`, which names a running node. */
export function chainArg(value: string | undefined, rpcUrl?: string): ChainChoice {
  if (value === undefined) return "in-process";
  if (!(CHAIN_CHOICES as readonly string[]).includes(value)) throw new UsageError(`--chain: must be one of ${CHAIN_CHOICES.join(", ")}, got "${value}"`);
  if (rpcUrl !== undefined) throw new UsageError("--chain: not with --rpc (--rpc runs on a node already running)");
  return value as ChainChoice;
}

/** A new folder under `runs/` for this run: runs/<name>-seed<seed>[-n]. */
export function defaultOutDir(cwd: string, scenario: Scenario): string {
  return newRunDir(cwd, `${scenario.name}-seed${scenario.seed}`);
}

/** runs/<folderName>, or runs/<folderName>-2, -3, … when it exists: never an earlier run's folder. */
export function newRunDir(cwd: string, folderName: string): string {
  const base = path.join(cwd, "runs", folderName);
  let dir = base;
  for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`;
  return dir;
}

/**
 * What a command prints for a bad input before anything ran (exit code 2), or undefined when `e` is
 * not one: a `UsageError` with the usage line under it; a `ScenarioError` (one line per issue); a
 * missing chart library, prefixed with what needed it (`--html`, `montecarlo.html`).
 */
export function inputErrorText(e: unknown, usage: string, chartLibraryUser: string): string | undefined {
  if (e instanceof UsageError) return `error: ${e.message}\n${usage}\n`;
  if (e instanceof ScenarioError) return `error: ${e.message}\n`;
  if (e instanceof ChartLibraryError) return `error: ${chartLibraryUser}: ${e.message}\n`;
  return undefined;
}
