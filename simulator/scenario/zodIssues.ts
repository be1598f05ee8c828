/**
 * Turns zod's issues into scenario issues: one plain-English line per problem, with the path of the
 * field (an unknown field's own path, not its object's).
 */
import { z } from "zod";
import type { ScenarioIssue } from "./errors";
import { formatPath } from "./path";

/**
 * A strict object of the file format: a field it does not declare is an error naming that field,
 * with the nearest declared name when one is close (`delayBlock` → did you mean "delayBlocks"?).
 */
export function fileObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    // One line per unknown key, in `keys` order: `scenarioIssuesFromZod` splits them again.
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => unknownFieldMessage(key, known)).join("\n")
        : undefined,
  });
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  const guess = nearest(key, known);
  return guess === undefined ? "unknown field" : `unknown field (did you mean "${guess}"?)`;
}

/** Unit suffixes of field names, which are easy to leave out (`liquidationThreshold`). */
const UNIT_SUFFIX = /(Pct|Bps|Usd|Gwei|Seconds|Blocks)$/;

/**
 * The declared name closest to `key` within a small edit distance, ignoring case and comparing with
 * each name both with and without its unit suffix.
 */
function nearest(key: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of known) {
    const bare = name.replace(UNIT_SUFFIX, "");
    const distance = Math.min(editDistance(lower, name.toLowerCase()), editDistance(lower, bare.toLowerCase()));
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The messages of issues whose schema sets none: passed to zod per parse, so the file format's own
 * messages (set on its schemas) take precedence and zod's global configuration is left alone.
 */
export const defaultIssueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${typeName(issue.expected, issue.input)}`;
    case "too_small": {
      const minimum = String(issue.minimum);
      if (issue.origin === "array")
        return minimum === "1" ? "must not be empty" : `must have at least ${minimum} entries`;
      if (issue.origin === "string") return "must not be empty";
      return `must be ${issue.inclusive === false ? ">" : ">="} ${minimum}`;
    }
    case "too_big": {
      const maximum = String(issue.maximum);
      if (issue.origin === "array") return `must have at most ${maximum} entries`;
      if (issue.origin === "string") return `must be at most ${maximum} characters`;
      return `must be ${issue.inclusive === false ? "<" : "<="} ${maximum}`;
    }
    case "invalid_value":
      return `must be ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}`;
    case "invalid_format":
      return "has an invalid format";
    case "invalid_union":
      return "does not match any allowed form";
    default:
      return undefined;
  }
};

function typeName(expected: string, input: unknown): string {
  switch (expected) {
    case "int":
      return "an integer";
    case "number":
      return typeof input === "number" ? "a finite number" : "a number";
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "array":
      return "an array";
    case "object":
      return "an object";
    case "null":
      return "null";
    default:
      return expected;
  }
}

/**
 * Scenario issues, in zod's order (the schema's field order), one per unknown field. A union whose
 * input has the type of exactly one of its forms (an array where a symbol or a list is allowed) reports
 * that form's issues at their own paths, not "does not match any allowed form".
 */
export function scenarioIssuesFromZod(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): ScenarioIssue[] {
  const result: ScenarioIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      const messages = issue.message.split("\n");
      issue.keys.forEach((key, i) => {
        result.push({ path: formatPath([...path, key]), message: messages[i] ?? "unknown field" });
      });
    } else if (issue.code === "invalid_union" && typeMatchingForm(issue.errors) !== undefined) {
      result.push(...scenarioIssuesFromZod(typeMatchingForm(issue.errors) ?? [], path));
    } else {
      result.push({ path: formatPath(path), message: issue.message });
    }
  }
  return result;
}

/** The issues of the one form of a union whose type the input has (its issues are not a type mismatch at its root). */
function typeMatchingForm(forms: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  const matching = forms.filter((issues) => !issues.some((issue) => issue.code === "invalid_type" && issue.path.length === 0));
  return matching.length === 1 ? matching[0] : undefined;
}
