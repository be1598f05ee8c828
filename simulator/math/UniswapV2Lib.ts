/**
 * Uniswap V2's constant-product swap math with its 0.3% fee, mirroring
 * `contracts/libraries/UniswapV2Lib.sol` and `AaveAtomicLiquidator.getAmountInReturning`: same names, same
 * rounding. Amounts are in the tokens' native decimals. Like the library, these functions do not check their inputs beyond what Solidity's checked
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

/** What a pair needs paid in of the other token when it paid out `amountOut` and gets `amountReturned` of
 * the same token back (a flash swap that used less than it borrowed), as `AaveAtomicLiquidator`'s
 * `getAmountInReturning` computes it: with adjustedOut = (reserveOut − amountOut)·1000 + amountReturned·997
 * (the returned part pays the 0.3% fee too), reserveIn·1000·(reserveOut·1000 − adjustedOut) /
 * (adjustedOut·997) rounded down, plus 1; equal to `getAmountIn(amountOut, …)` when nothing comes back.
 * Throws where the contract reverts: amountOut above reserveOut, amountReturned·997 above amountOut·1000
 * (underflow), adjustedOut zero (division by zero), overflow. */
export function getAmountInReturning(amountOut: bigint, amountReturned: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  assertUint(amountOut, amountReturned, reserveIn, reserveOut);
  if (amountOut > reserveOut) throw new RangeError("uint256 underflow");
  const adjustedOut = checked(checked((reserveOut - amountOut) * 1000n) + checked(amountReturned * 997n));
  const reserveOutScaled = checked(reserveOut * 1000n);
  if (adjustedOut > reserveOutScaled) throw new RangeError("uint256 underflow");
  const numerator = checked(checked(reserveIn * 1000n) * (reserveOutScaled - adjustedOut));
  const denominator = checked(adjustedOut * 997n);
  if (denominator === 0n) throw new RangeError("division by zero");
  return numerator / denominator + 1n;
}
