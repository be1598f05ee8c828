/**
 * Uniswap V2's constant-product swap math with its 0.3% fee, mirroring
 * `contracts/libraries/UniswapV2Lib.sol`: same names, same rounding. Amounts are in the tokens' native
 * decimals. Like the library, these functions do not check their inputs beyond what Solidity's checked
 * arithmetic would revert on.
 */
import { assertUint, checked } from "./uint";


/** The most a pair with reserves `reserveIn`/`reserveOut` pays out for `amountIn`, rounded down:
 * amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997). */
export function getAmountOutDown(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  assertUint(amountIn, reserveIn, reserveOut);
  const amountInWithFee = checked(amountIn * 997n);
  const denominator = checked(checked(reserveIn * 1000n) + amountInWithFee);
  if (denominator === 0n) throw new RangeError("division by zero");
  return checked(amountInWithFee * reserveOut) / denominator;
}

/** What the pair needs paid in to pay out exactly `amountOut`, as v2-periphery computes it:
 * reserveIn·amountOut·1000 / ((reserveOut − amountOut)·997) rounded down, plus 1. Requires
 * `amountOut < reserveOut` (Solidity underflows or divides by zero otherwise, so this throws). */
export function getAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  assertUint(amountOut, reserveIn, reserveOut);
  if (amountOut > reserveOut) throw new RangeError("uint256 underflow");
  if (amountOut === reserveOut) throw new RangeError("division by zero");
  const numerator = checked(checked(reserveIn * amountOut) * 1000n);
  return numerator / checked((reserveOut - amountOut) * 997n) + 1n;
}
