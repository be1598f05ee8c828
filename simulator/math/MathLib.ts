/**
 * Fixed-point helpers mirroring `contracts/libraries/MathLib.sol`: same names, same rounding.
 * All values are unsigned integers as bigint; a negative input is a caller bug and throws.
 */

import { MAX_UINT256, WAD } from "./constants";
import { assertUint, checked } from "./uint";

export { MAX_UINT256, WAD } from "./constants";


/**
 * Throws unless x, y and d are uint256 and d is not 0 (`assertUint` without its argument array: the
 * mirrors value every position every block through these two).
 */
function checkMulDiv(x: bigint, y: bigint, d: bigint): void {
  if (x < 0n || x > MAX_UINT256) assertUint(x);
  if (y < 0n || y > MAX_UINT256) assertUint(y);
  if (d < 0n || d > MAX_UINT256) assertUint(d);
  if (d === 0n) throw new RangeError("division by zero");
}

/** (x * y) / d rounded down. */
export function mulDivDown(x: bigint, y: bigint, d: bigint): bigint {
  checkMulDiv(x, y, d);
  return checked(x * y) / d;
}

/** (x * y) / d rounded up. */
export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  checkMulDiv(x, y, d);
  return checked(checked(x * y) + (d - 1n)) / d;
}

/** (x * y) / WAD rounded down. */
export function wMulDown(x: bigint, y: bigint): bigint {
  return mulDivDown(x, y, WAD);
}

/** (x * WAD) / y rounded down. */
export function wDivDown(x: bigint, y: bigint): bigint {
  return mulDivDown(x, WAD, y);
}

/** (x * WAD) / y rounded up. */
export function wDivUp(x: bigint, y: bigint): bigint {
  return mulDivUp(x, WAD, y);
}

/** max(0, x - y). */
export function zeroFloorSub(x: bigint, y: bigint): bigint {
  return x > y ? x - y : 0n;
}

/** The smaller of x and y. */
export function min(x: bigint, y: bigint): bigint {
  return x < y ? x : y;
}
