/**
 * Uniswap V2's constant-product swap math with its 0.3% fee, mirroring
 * `contracts/libraries/UniswapV2Lib.sol`: same names, same rounding. Amounts are in the tokens' native
 * decimals. Like the library, these functions do not check their inputs beyond what Solidity's checked
 * arithmetic would revert on.
 */
import { MAX_UINT256 } from "./MathLib";

function assertUint(...values: bigint[]): void {
  for (const v of values) {
    if (v < 0n || v > MAX_UINT256) throw new RangeError(`not a uint256: ${v}`);
  }
}

/** Solidity's checked arithmetic: a result above uint256 reverts there, so it throws here. */
function checked(value: bigint): bigint {
  if (value > MAX_UINT256) throw new RangeError("uint256 overflow");
  return value;
}

/** The most a pair with reserves `reserveIn`/`reserveOut` pays out for `amountIn`, rounded down:
 * amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997). */
export function getAmountOutDown(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  assertUint(amountIn, reserveIn, reserveOut);
  const amountInWithFee = checked(amountIn * 997n);
  const denominator = checked(checked(reserveIn * 1000n) + amountInWithFee);
  if (denominator === 0n) throw new RangeError("division by zero");
  return checked(amountInWithFee * reserveOut) / denominator;
}
