import { dirname, resolve } from "node:path";
import { ScenarioError } from "./errors";
import { findJsonSyntaxError } from "./jsonSyntaxError";
import { normalizeScenario } from "./normalizeScenario";
import { scenarioFileSchema } from "./schema";
import { readTextFile } from "./textFile";
import type { Scenario } from "./types";
import { defaultIssueMessage, scenarioIssuesFromZod } from "./zodIssues";

export interface ParseScenarioOptions {
  /** Folder that relative paths in the scenario (CSV price files) are resolved against. */
  baseDir: string;
}

/**
 * Validates a scenario (a parsed JSON value) and normalizes it: defaults filled, names resolved,
 * on-chain quantities as bigints. Throws `ScenarioError` listing every issue of the schema pass, or,
 * when that pass is clean, every issue of the cross-field pass.
 */
export function parseScenario(json: unknown, options: ParseScenarioOptions): Scenario {
  const parsed = scenarioFileSchema.safeParse(json, { error: defaultIssueMessage });
  if (!parsed.success) throw new ScenarioError(scenarioIssuesFromZod(parsed.error.issues));
  return normalizeScenario(parsed.data, { baseDir: options.baseDir });
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
