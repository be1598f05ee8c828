/**
 * The one number format of result.json and series.csv, and the display format of the terminal table.
 *
 * Machine format (`formatDecimal`, `formatE8`, `formatWeiAsGwei`): a plain decimal string, no
 * exponent, no "+", at most 8 fractional digits, trailing fractional zeros and a trailing point
 * removed, "-0" written "0": "2000", "0.5", "-12.34567891". Values scaled by 10^8 or less (prices
 * E8) are exact; decimal.js values with more digits are rounded half-to-even at the 8th place; wei
 * in gwei keeps all 9 places, exactly.
 */
import Decimal from "decimal.js";
import { formatGwei, formatUnits } from "viem";
import { ReportInputError } from "./errors";

export const DECIMAL_PLACES = 8;

/** A finite decimal.js value as a machine-format string (see the module comment). */
export function formatDecimal(value: Decimal, path: string): string {
  if (!value.isFinite()) throw new ReportInputError(path, `must be a finite number, got ${value.toString()}`);
  const rounded = value.toDecimalPlaces(DECIMAL_PLACES, Decimal.ROUND_HALF_EVEN);
  return rounded.isZero() ? "0" : rounded.toFixed();
}

/** A USD price with 8 decimals, exactly: 200000000000n -> "2000". */
export function formatE8(priceE8: bigint): string {
  return formatUnits(priceE8, 8);
}

/** Wei as gwei, exactly: 1n -> "0.000000001". */
export function formatWeiAsGwei(wei: bigint): string {
  return formatGwei(wei);
}

/** For people: 2 decimals (half away from zero), thousands separated by ",", a "$" sign: "-$1,234.50". */
export function formatUsdForDisplay(value: string): string {
  const fixed = new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).abs().toFixed(2);
  const [whole = "0", fraction = "00"] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const negative = fixed !== "0.00" && new Decimal(value).isNegative();
  return `${negative ? "-" : ""}$${grouped}.${fraction}`;
}

/** A percent (machine format) for people: 2 decimals (half away from zero) and "%": "65.02588384" -> "65.03%". */
export function formatPctForDisplay(pct: Decimal.Value): string {
  return `${new Decimal(pct).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)}%`;
}
