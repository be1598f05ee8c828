import { dirname, resolve } from "node:path";
import { ScenarioError } from "./errors";
import { findJsonSyntaxError } from "./jsonSyntaxError";
import { normalizeScenario } from "./normalizeScenario";
import { checkRealCode } from "./realCode";
import { scenarioFileSchema, type ScenarioFileInput } from "./schema";
import { readTextFile } from "./textFile";
import type { Scenario } from "./types";
import { defaultIssueMessage, scenarioIssuesFromZod } from "./zodIssues";

export interface ParseScenarioOptions {
  /**
   * Folder that relative paths in the scenario (CSV price files) are resolved against. Needed only
   * when a `csv` market segment names a relative file; otherwise that segment's `file` is an issue.
   */
  baseDir?: string;
}

/**
 * Validates a scenario and normalizes it: defaults filled, names resolved, on-chain quantities as
 * bigints. Throws `ScenarioError` listing every issue of the schema pass, or, when that pass is clean,
 * every issue of the cross-field pass. Built in code, the scenario is a `ScenarioFileInput` (the
 * scenario file's shape, checked by the compiler; still validated here, as a file is).
 */
export function parseScenario(input: ScenarioFileInput, options?: ParseScenarioOptions): Scenario;
/** A parsed JSON value of unknown shape (a scenario file's content), validated the same way. */
export function parseScenario(json: unknown, options?: ParseScenarioOptions): Scenario;
export function parseScenario(json: unknown, options: ParseScenarioOptions = {}): Scenario {
  const parsed = scenarioFileSchema.safeParse(json, { error: defaultIssueMessage });
  if (!parsed.success) throw new ScenarioError(scenarioIssuesFromZod(parsed.error.issues));
  return checkRealCode(normalizeScenario(parsed.data, options.baseDir === undefined ? {} : { baseDir: options.baseDir }));
}

/**
 * Reads a scenario file and parses it; relative paths inside it are resolved against its folder.
 * Throws `ScenarioError`: an unreadable file or invalid JSON is one issue whose path is `path`
 * (`scenario.json: invalid JSON at line 3 column 5: ...`).
 */
export function loadScenarioFile(path: string): Scenario {
  const read = readTextFile(path);
  if (!read.ok) throw new ScenarioError([{ path, message: `cannot read: ${read.problem}` }]);
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (error) {
    const where = findJsonSyntaxError(read.text);
    const message =
      where === undefined
        ? `invalid JSON: ${error instanceof Error ? error.message : String(error)}`
        : `invalid JSON at line ${where.line} column ${where.column}: ${where.reason}`;
    throw new ScenarioError([{ path, message }]);
  }
  return parseScenario(json, { baseDir: dirname(resolve(path)) });
}
