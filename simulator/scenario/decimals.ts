/**
 * Decimal inputs of scenario files: a JSON number or a decimal string, read exactly with decimal.js
 * and scaled to on-chain bigints only when the result is exact.
 */
import Decimal from "decimal.js";
import { formatUnits } from "viem";

/** A decimal written as a string: optional "-", digits, optionally "." and digits. No exponent, no "+". */
export const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;

/**
 * Significant digits a JSON number keeps exactly: every decimal with at most 15 significant digits
 * survives the trip through an IEEE double, so `String(n)` gives back what the file said.
 */
export const EXACT_NUMBER_DIGITS = 15;

export type DecimalInput = number | string;

export type DecimalReadResult = { ok: true; value: Decimal } | { ok: false; problem: string };

/** Reads a number (through `String(n)`) or a decimal string; rejects what would not be exact. */
export function readDecimal(input: DecimalInput): DecimalReadResult {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return { ok: false, problem: "must be a finite number" };
    const value = new Decimal(String(input));
    if (value.precision() > EXACT_NUMBER_DIGITS) {
      return {
        ok: false,
        problem: `${String(
          input
        )} has more than ${EXACT_NUMBER_DIGITS} significant digits, more than a JSON number keeps exactly: write it as a string`,
      };
    }
    return { ok: true, value };
  }
  if (!DECIMAL_STRING.test(input)) return { ok: false, problem: notADecimal(input) };
  return { ok: true, value: new Decimal(input) };
}

export function notADecimal(text: string): string {
  return `${JSON.stringify(text)} is not a decimal number (digits with an optional "." and sign, no exponent)`;
}

/** Bounds of an allowed range; `gt`/`lt` exclusive, `gte`/`lte` inclusive. */
export interface DecimalRange {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** "must be > 0 and < 100" when `value` is outside `range`, else undefined. */
export function rangeProblem(value: Decimal, range: DecimalRange): string | undefined {
  const inside =
    (range.gt === undefined || value.gt(range.gt)) &&
    (range.gte === undefined || value.gte(range.gte)) &&
    (range.lt === undefined || value.lt(range.lt)) &&
    (range.lte === undefined || value.lte(range.lte));
  return inside ? undefined : `must be ${describeRange(range)}`;
}

/** "> 0 and <= 100". */
export function describeRange(range: DecimalRange): string {
  const parts: string[] = [];
  if (range.gt !== undefined) parts.push(`> ${range.gt}`);
  if (range.gte !== undefined) parts.push(`>= ${range.gte}`);
  if (range.lt !== undefined) parts.push(`< ${range.lt}`);
  if (range.lte !== undefined) parts.push(`<= ${range.lte}`);
  return parts.join(" and ");
}

/** value × 10^decimals as a bigint, or undefined when `value` has more than `decimals` decimal places. */
export function scaleExact(value: Decimal, decimals: number): bigint | undefined {
  if (value.decimalPlaces() > decimals) return undefined;
  const text = value.toFixed(decimals); // exact: no more places than `decimals`, so nothing is rounded
  return BigInt(text.replace(".", ""));
}

/** value × 10^exponent, exactly (decimal.js arithmetic would round to its precision). */
export function shiftDecimal(value: Decimal, exponent: number): Decimal {
  return new Decimal(`${value.toFixed()}e${exponent}`);
}

/** A WAD ratio as a percent, for messages: 0.825e18 → "82.5". */
export function percentText(wad: bigint): string {
  return formatUnits(wad, 16);
}
