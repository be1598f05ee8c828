/**
 * The field kinds of the scenario file format, shared by its sections and by each protocol kind's
 * member of the protocols union (`kinds/<kind>/schema.ts`): exact decimals, unit conversions that need
 * nothing but the field itself (USD → E8, percent → WAD, gwei → wei), integers, names and references.
 */
import { z } from "zod";
import {
  DECIMAL_STRING,
  type DecimalRange,
  notADecimal,
  rangeProblem,
  readDecimal,
  scaleExact,
  shiftDecimal,
} from "./decimals";

const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const DIGITS = /^\d+$/;

/** A JSON number or a decimal string, read exactly, within `range`. */
export function decimal(range: DecimalRange = {}) {
  return z
    .union([z.number(), z.string().regex(DECIMAL_STRING, { error: (issue) => notADecimal(String(issue.input)) })], {
      error: (issue) => {
        if (issue.input === undefined) return "is required";
        if (typeof issue.input === "string") return notADecimal(issue.input);
        if (typeof issue.input === "number") return "must be a finite number";
        return "must be a number or a decimal string";
      },
    })
    .transform((input, ctx) => {
      const read = readDecimal(input);
      if (!read.ok) {
        ctx.addIssue({ code: "custom", message: read.problem, input });
        return z.NEVER;
      }
      const problem = rangeProblem(read.value, range);
      if (problem !== undefined) {
        ctx.addIssue({ code: "custom", message: problem, input });
        return z.NEVER;
      }
      return read.value;
    });
}

/** A decimal scaled to an integer with `decimals` places, exactly (more places are an error). */
export function scaled(range: DecimalRange, decimals: number) {
  return decimal(range).transform((value, ctx) => {
    const result = scaleExact(value, decimals);
    if (result === undefined) {
      ctx.addIssue({ code: "custom", message: `at most ${decimals} decimal places`, input: value.toFixed() });
      return z.NEVER;
    }
    return result;
  });
}

/** USD (a decimal) → USD with 8 decimals, as Chainlink USD feeds report prices. */
export const usdE8 = (range: DecimalRange) => scaled(range, 8);
/** Percent (a decimal: 82.5) → WAD (0.825e18). */
export const percentWad = (range: DecimalRange) => scaled(range, 16);
/** A plain ratio (a decimal: 1.05) → WAD (1.05e18). */
export const ratioWad = (range: DecimalRange) => scaled(range, 18);
/** Gwei (a decimal) → wei. */
export const gweiWei = (range: DecimalRange) => scaled(range, 9);
/** Percent (a decimal: 80) → a decimal fraction (0.8), for statistical parameters. */
export const percentFraction = (range: DecimalRange) => decimal(range).transform((value) => shiftDecimal(value, -2));
/** Token units (a decimal: "1000.5" WETH); scaled by the asset's decimals in `normalizeScenario`. */
export const tokenAmount = (range: DecimalRange) => decimal(range);

/** A JSON integer (counts, blocks, seconds, basis points). */
export function integer(bounds: { min: number; max?: number }) {
  const base = z.int({
    error: (issue) =>
      issue.code === "invalid_type" ? (issue.input === undefined ? "is required" : "must be an integer") : undefined,
  });
  const atLeast = base.min(bounds.min);
  return bounds.max === undefined ? atLeast : atLeast.max(bounds.max);
}

/** A whole number that may exceed JS's safe integers: a JSON integer or a string of digits → bigint. */
export function wholeNumber(min: bigint) {
  const message = "must be a whole number (a JSON integer or a string of digits)";
  return z
    .union([z.int().min(Number(min)), z.string().regex(DIGITS, { error: message })], {
      error: (issue) => (issue.input === undefined ? "is required" : message),
    })
    .transform((input, ctx) => {
      const value = BigInt(input);
      if (value < min) {
        ctx.addIssue({ code: "custom", message: `must be >= ${min}`, input });
        return z.NEVER;
      }
      return value;
    });
}

export const block = () => integer({ min: 1 });

export const entityName = z.string().regex(ENTITY_NAME, {
  error: (issue) =>
    issue.input === "" ? "must not be empty" : 'must be letters, digits, "-" and "_", starting with a letter or digit',
});

/** The name of another entry (an asset symbol, a protocol, an AMM, a liquidator group). */
export const reference = z.string().min(1);

export const windowShape = {
  fromBlock: block().describe("First block of the window (inclusive), 1..blocks."),
  toBlock: block().describe("Last block of the window (inclusive), fromBlock..blocks."),
};

/** The kinked interest-rate curve of a reserve or an isolated market; `kinkPct` is the default kink. */
export function rateCurveFields(kinkPct: number) {
  return {
    baseRatePct: percentWad({ gte: 0 }).prefault(0).describe("Borrow rate at 0% utilization, percent a year."),
    slope1Pct: percentWad({ gte: 0 }).prefault(4).describe("Rate added from 0 to optimal utilization, percent a year."),
    slope2Pct: percentWad({ gte: 0 })
      .prefault(75)
      .describe("Rate added from optimal to full utilization, percent a year."),
    optimalUtilizationPct: percentWad({ gt: 0, lt: 100 })
      .prefault(kinkPct)
      .describe("Kink of the rate curve, percent (0 < x < 100)."),
  };
}

/** "must be one of ...": the message of a discriminated union whose `type` is missing or unknown. */
export function oneOf(types: readonly string[], input: unknown): string {
  const list = types.map((type) => JSON.stringify(type)).join(", ");
  const allowed = types.length === 1 ? list : `one of ${list}`;
  const given = typeof input === "object" && input !== null && "type" in input ? input.type : undefined;
  return given === undefined ? `is required: ${allowed}` : `must be ${allowed}`;
}
