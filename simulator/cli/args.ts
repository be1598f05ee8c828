/**
 * What `simulate`, `montecarlo` and `sweep` read from their command lines in the same way: the flags
 * (node:util's parseArgs, strict), the one scenario file, `--seed`, `--blocks`, `--out`, `--rpc`, `--chain`; a
 * run's default output folder; the one-line message of a bad input, and the scenario's warnings for stderr. (What `--seed` and `--blocks`
 * change in a scenario is `applyOverrides` in scenario/overrides.ts.) Every problem is a `UsageError` whose message is one line naming the argument.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CHAIN_CHOICES, type ChainChoice } from "../chain";
import { ChartLibraryError } from "../report/errors";
import { IMPLEMENTATIONS, MAX_BLOCKS, ScenarioError, type Implementation, type Scenario } from "../scenario";
import { UsageError } from "./errors";
import { RunSizeError } from "./largeRun";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * The flags and positionals of `argv` under `options` (unknown flags rejected); node's message,
 * first line only, becomes a `UsageError`.
 */
export function readArgs<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0] ?? "invalid arguments");
  }
}

/**
 * `--name -1` as `--name=-1` for a string option: node's parseArgs refuses a value starting with a dash
 * as "ambiguous" (a forgotten value?); a negative number there is the option's value, so the option's
 * own check rejects it with a line naming it. Tokens after `--` are left alone.
 */
export function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    const next = argv[i + 1];
    if (token === "--") return [...out, ...argv.slice(i)];
    const option = token.startsWith("--") ? options[token.slice(2)] : undefined;
    if (option?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
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

/** `--implementation`: mock (every protocol on liqsim's mocks) or real (every one on the real protocol of its type). */
export function implementationArg(value: string | undefined): Implementation | undefined {
  if (value === undefined) return undefined;
  const found = IMPLEMENTATIONS.find((i) => i === value);
  if (found === undefined) throw new UsageError(`--implementation: must be one of ${IMPLEMENTATIONS.join(", ")}, got "${value}"`);
  return found;
}

/** `--out`: a folder, not empty. */
export function outArg(value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === "") throw new UsageError("--out: must not be empty");
  return value;
}

/**
 * `--out` (a folder, relative to `cwd`) refused before anything runs when it, or the nearest part of it
 * that exists, is a file: the results could not be written there.
 */
export function checkOutDirArg(cwd: string, out: string | undefined): void {
  if (out === undefined) return;
  const dir = path.resolve(cwd, out);
  let p = dir;
  while (!existsSync(p)) p = path.dirname(p); // ends at the root at the latest
  if (statSync(p).isDirectory()) return;
  const file = p === dir ? `"${out}"` : `"${path.isAbsolute(out) ? p : path.relative(cwd, p)}" (in "${out}")`;
  throw new UsageError(`--out: ${file} is a file, not a folder`);
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
 * `RunSizeError` (one line); a missing chart library, prefixed with what needed it (`--html`,
 * `montecarlo.html`).
 */
export function inputErrorText(e: unknown, usage: string, chartLibraryUser: string): string | undefined {
  if (e instanceof UsageError) return `error: ${e.message}\n${usage}\n`;
  if (e instanceof ScenarioError) return `error: ${e.message}\n`;
  if (e instanceof RunSizeError) return `error: ${e.message}\n`;
  if (e instanceof ChartLibraryError) return `error: ${chartLibraryUser}: ${e.message}\n`;
  return undefined;
}

/** The scenario's warnings for stderr, one `warning: <path>: <message>` line each ("" when there are none). */
export function scenarioWarningsText(scenario: Pick<Scenario, "warnings">): string {
  return scenario.warnings.map((w) => `warning: ${w.path}: ${w.message}\n`).join("");
}
