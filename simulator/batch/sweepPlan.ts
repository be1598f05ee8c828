/**
 * A sweep's plan: the `--vary` parameters and every combination of their values, each a scenario
 * parsed and checked before anything runs.
 *
 * `--vary <path>=<v1>,<v2>,…` names a field of the scenario *file's* JSON (before parsing), as
 * `section[index].field` with dots and `[i]` (`liquidators[0].delayBlocks`,
 * `market[0].segments[0].priceUsd`, `seed`). A value is written into the file's JSON with the type of
 * the field it replaces: a JSON number for a number, a string for a string (so a decimal such as
 * "0.85" stays exact), true or false for a boolean. Each combination is then parsed by
 * `parseScenario`, so a bad value gets the parser's message, prefixed by the `--vary` that gave it.
 *
 * Combinations are the Cartesian product in `--vary` order, the first `--vary` outermost: with
 * `--vary a=1,2 --vary b=x,y` the runs are (1,x), (1,y), (2,x), (2,y).
 */
import { dirname, resolve } from "node:path";
import { ScenarioError, applyOverrides, loadScenarioFile, parseScenario, type Scenario, type ScenarioOverrides } from "../scenario";
import { formatPath } from "../scenario/path";
import { readTextFile } from "../scenario/textFile";
import { valueText, type SweepValue } from "../report/sweepValue";

/** Combinations a sweep runs at most. */
export const MAX_SWEEP_RUNS = 500;

/** One `--vary`: a path into the scenario file's JSON and its values, in the order given. */
export interface SweepParameter {
  /** The path, written as `formatPath` writes it: `liquidators[0].delayBlocks`. */
  path: string;
  /** Its keys: `["liquidators", 0, "delayBlocks"]`. */
  keys: (string | number)[];
  values: SweepValue[];
}

/** One combination: a value per parameter (in parameter order) and the scenario it makes. */
export interface SweepVariant {
  /** Its place in the Cartesian product, first `--vary` outermost, from 0. */
  index: number;
  values: SweepValue[];
  scenario: Scenario;
}

export interface SweepPlan {
  /** The scenario file as given. */
  scenarioFile: string;
  /** The file's scenario with the overrides, before any `--vary`. */
  base: Scenario;
  parameters: SweepParameter[];
  /** Every combination, in index order. */
  variants: SweepVariant[];
}

/** A bad `--vary`, or a variant the scenario parser rejects; the message is one line per problem. */
export class SweepInputError extends Error {
  override readonly name = "SweepInputError";
}

const IDENTIFIER = "[A-Za-z_$][A-Za-z0-9_$]*";
const PATH = new RegExp(`^${IDENTIFIER}(?:\\.${IDENTIFIER}|\\[(?:0|[1-9]\\d*)\\])*$`);
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A `--vary` as written: its path's keys and the value texts, not yet typed. */
export interface VarySpec {
  path: string;
  keys: (string | number)[];
  texts: string[];
}

/** Reads one `--vary` argument (`path=v1,v2,…`); throws `SweepInputError` naming it. */
export function parseVary(arg: string): VarySpec {
  const at = arg.indexOf("=");
  if (at < 0) throw new SweepInputError(`--vary ${arg}: expected <path>=<value>,<value>,… (e.g. liquidators[0].delayBlocks=0,5,10)`);
  const written = arg.slice(0, at).trim();
  const list = arg.slice(at + 1);
  if (written === "") throw new SweepInputError(`--vary ${arg}: the path before "=" is empty`);
  if (!PATH.test(written)) {
    throw new SweepInputError(`--vary ${arg}: "${written}" is not a field path (fields joined by ".", list entries as [i], e.g. liquidators[0].delayBlocks)`);
  }
  const keys = [...written.matchAll(new RegExp(`(${IDENTIFIER})|\\[(\\d+)\\]`, "g"))].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  if (list.trim() === "") throw new SweepInputError(`--vary ${arg}: no values after "="`);
  const texts = list.split(",").map((t) => t.trim());
  const empty = texts.findIndex((t) => t === "");
  if (empty >= 0) throw new SweepInputError(`--vary ${arg}: value ${empty + 1} is empty (values are separated by single commas)`);
  return { path: formatPath(keys), keys, texts };
}

/** The number of combinations of `counts` values, or Infinity past MAX_SWEEP_RUNS. */
function combinationCount(counts: readonly number[]): number {
  let total = 1;
  for (const n of counts) {
    total *= n;
    if (total > MAX_SWEEP_RUNS) return Infinity;
  }
  return total;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function kindOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The value at `keys` in the file's JSON; throws `SweepInputError` naming the first key that is not there. */
function fieldAt(json: Json, spec: VarySpec): Json {
  let here: Json = json;
  for (let i = 0; i < spec.keys.length; i++) {
    const key = spec.keys[i] as string | number;
    const parent = i === 0 ? "the scenario" : formatPath(spec.keys.slice(0, i));
    if (typeof key === "number") {
      if (!Array.isArray(here)) throw new SweepInputError(`--vary ${spec.path}: ${parent} is ${kindOf(here)} in the scenario file, not a list`);
      const next: Json | undefined = here[key];
      if (next === undefined) {
        throw new SweepInputError(`--vary ${spec.path}: ${parent} has ${here.length} ${here.length === 1 ? "entry" : "entries"} in the scenario file, so no [${key}]`);
      }
      here = next;
    } else {
      if (here === null || typeof here !== "object" || Array.isArray(here)) {
        throw new SweepInputError(`--vary ${spec.path}: ${parent} is ${kindOf(here)} in the scenario file, not an object with fields`);
      }
      if (!Object.hasOwn(here, key)) {
        throw new SweepInputError(
          `--vary ${spec.path}: ${parent} has no field "${key}" in the scenario file (a field left to its default must be written into the file to be varied)`,
        );
      }
      here = here[key] as Json;
    }
  }
  return here;
}

/** The values of `spec` typed as the field they replace; throws `SweepInputError` for a value that cannot be. */
function typedValues(json: Json, spec: VarySpec): SweepValue[] {
  const field = fieldAt(json, spec);
  const values = spec.texts.map((text): SweepValue => {
    if (typeof field === "number") {
      if (!JSON_NUMBER.test(text) || !Number.isFinite(Number(text))) {
        throw new SweepInputError(`--vary ${spec.path}=${text}: must be a number, as the field is in the scenario file`);
      }
      return Number(text);
    }
    if (typeof field === "boolean") {
      if (text !== "true" && text !== "false") throw new SweepInputError(`--vary ${spec.path}=${text}: must be true or false, as the field is in the scenario file`);
      return text === "true";
    }
    if (typeof field === "string") return text;
    throw new SweepInputError(
      `--vary ${spec.path}: the field is ${kindOf(field)} in the scenario file; only a number, string or boolean field can be varied${
        field !== null && typeof field === "object" ? ` (vary one of its ${Array.isArray(field) ? "entries" : "fields"})` : ""
      }`,
    );
  });
  const seen = new Set<string>();
  values.forEach((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) throw new SweepInputError(`--vary ${spec.path}: the value ${valueText(v)} is given twice`);
    seen.add(key);
  });
  return values;
}

/** The file's JSON with `values` written at the parameters' paths (a copy; the paths exist). */
function withValues(json: Json, parameters: readonly SweepParameter[], values: readonly SweepValue[]): Json {
  const copy = structuredClone(json);
  parameters.forEach((p, i) => {
    let parent = copy as Record<string | number, Json>;
    for (const key of p.keys.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
    parent[p.keys[p.keys.length - 1] as string | number] = values[i] as SweepValue;
  });
  return copy;
}

export interface PlanSweepParameters extends ScenarioOverrides {
  scenarioFile: string;
  /** The `--vary` arguments, in order. */
  vary: readonly string[];
}

/**
 * Reads the scenario file, types every `--vary` value, and parses every combination with the
 * overrides applied. Throws `ScenarioError` when the file itself is bad, `SweepInputError` for a bad
 * `--vary` or a combination the parser rejects (its issues, each prefixed with the `--vary` values
 * that caused it: the one value when it is bad on its own, else the whole combination).
 */
export function planSweep(parameters: PlanSweepParameters): SweepPlan {
  const specs = parameters.vary.map(parseVary);
  if (specs.length === 0) throw new SweepInputError("--vary: at least one is needed, e.g. --vary liquidators[0].delayBlocks=0,5,10");
  const paths = new Set<string>();
  for (const spec of specs) {
    if (paths.has(spec.path)) throw new SweepInputError(`--vary ${spec.path}: the path is given twice (give all its values in one --vary)`);
    paths.add(spec.path);
  }
  const count = combinationCount(specs.map((s) => s.texts.length));
  if (count > MAX_SWEEP_RUNS) {
    throw new SweepInputError(
      `--vary: ${specs.map((s) => s.texts.length).join(" x ")} values make more than ${MAX_SWEEP_RUNS} combinations, the most a sweep runs`,
    );
  }
  for (const [flag, field, value] of [["--seed", "seed", parameters.seed], ["--blocks", "blocks", parameters.blocks]] as const) {
    if (value !== undefined && paths.has(field)) throw new SweepInputError(`${flag}: cannot be combined with --vary ${field} (it would replace every value)`);
  }
  const implementation = specs.find((s) => s.keys.length === 3 && s.keys[0] === "protocols" && s.keys[2] === "implementation");
  if (parameters.implementation !== undefined && implementation !== undefined) {
    throw new SweepInputError(`--implementation: cannot be combined with --vary ${implementation.path} (it would replace every value)`);
  }

  const overrides: ScenarioOverrides = { seed: parameters.seed, blocks: parameters.blocks, implementation: parameters.implementation };
  // The file on its own first: an unreadable or invalid file is reported as `simulate` reports it.
  const base = applyOverrides(loadScenarioFile(parameters.scenarioFile), overrides);
  const read = readTextFile(parameters.scenarioFile);
  if (!read.ok) throw new ScenarioError([{ path: parameters.scenarioFile, message: `cannot read: ${read.problem}` }]);
  const json = JSON.parse(read.text) as Json;
  const baseDir = dirname(resolve(parameters.scenarioFile));
  const sweepParameters: SweepParameter[] = specs.map((spec) => ({ path: spec.path, keys: spec.keys, values: typedValues(json, spec) }));

  const parse = (names: readonly SweepParameter[], values: readonly SweepValue[]): Scenario =>
    applyOverrides(parseScenario(withValues(json, names, values), { baseDir }), overrides);
  const label = (names: readonly SweepParameter[], values: readonly SweepValue[]): string =>
    names.map((p, i) => `--vary ${p.path}=${valueText(values[i] as SweepValue)}`).join(" ");
  const rejected = (prefix: string, e: ScenarioError): SweepInputError =>
    new SweepInputError(e.issues.map((issue) => `${prefix}: ${issue.path}: ${issue.message}`).join("\n"));

  const variants: SweepVariant[] = [];
  for (let index = 0; index < count; index++) {
    // Mixed radix, the last parameter fastest.
    let rest = index;
    const values: SweepValue[] = new Array<SweepValue>(sweepParameters.length);
    for (let i = sweepParameters.length - 1; i >= 0; i--) {
      const options = (sweepParameters[i] as SweepParameter).values;
      values[i] = options[rest % options.length] as SweepValue;
      rest = Math.floor(rest / options.length);
    }
    try {
      variants.push({ index, values, scenario: parse(sweepParameters, values) });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      sweepParameters.forEach((p, i) => {
        try {
          parse([p], [values[i] as SweepValue]);
        } catch (alone) {
          if (alone instanceof ScenarioError) throw rejected(label([p], [values[i] as SweepValue]), alone);
          throw alone;
        }
      });
      throw rejected(label(sweepParameters, values), e);
    }
  }
  return { scenarioFile: parameters.scenarioFile, base, parameters: sweepParameters, variants };
}
