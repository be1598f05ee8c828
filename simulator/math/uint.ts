/**
 * Solidity's uint256 semantics for the mirrors: a value outside uint256 is a caller bug, and a result
 * above it is what checked arithmetic would revert on. Internal to simulator/math.
 */
import { MAX_UINT256 } from "./constants";

/** Throws unless every value is a uint256. */
export function assertUint(...values: bigint[]): void {
  for (const v of values) {
    if (v < 0n || v > MAX_UINT256) throw new RangeError(`not a uint256: ${v}`);
  }
}

/** Solidity's checked arithmetic: a result above uint256 reverts there, so it throws here. */
export function checked(value: bigint): bigint {
  if (value > MAX_UINT256) throw new RangeError("uint256 overflow");
  return value;
}
