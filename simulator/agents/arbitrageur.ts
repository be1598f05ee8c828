/**
 * An arbitrageur trades a Uniswap V2 pair toward the market price each block, within its inventory.
 *
 * With reserves (r0, r1) and the market price of token0 in token1 units P* = p0 x u1 / (p1 x u0), the
 * pool sits at P* when r0' = sqrt(k / P*) and r1' = sqrt(k x P*), k = r0 x r1; the trade puts in the
 * missing side grossed up for the 0.3% fee (x 1000 / 997), capped by what the arbitrageur holds.
 * The trade is sized on chain (`SwapHelper.swapTowardPrice`) from the reserves it meets.
 */
import { getAmountOutDown, min } from "../math";
import type { ArbitrageurAccount, World } from "../world";
import { GAS } from "../world";
import { balanceKey, type MarketView, type TxIntent } from "../state";

export const ARBITRAGE_PRIORITY_FEE_WEI = 2_000_000_000n;

/** Integer square root (floor), by Newton's method on bigints. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError("square root of a negative number");
  if (n < 2n) return n;
  // Start above the root (2^ceil(bits/2)); Newton's iterates then fall monotonically to it.
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * What `SwapHelper.swapTowardPrice` trades at reserves (r0, r1) for the target price num / den (token0
 * in token1 native units): nothing inside `minGapBps`; else the cheap token is bought until the input
 * reserve reaches sqrt(k x den / num) (token0 in) or sqrt(k x num / den) (token1 in), grossed up by
 * 1000 / 997, capped by `maxIn0` / `maxIn1`. The same integer steps as the contract.
 */
export function arbitrageTrade(
  r0: bigint,
  r1: bigint,
  num: bigint,
  den: bigint,
  minGapBps: bigint,
  maxIn0: bigint,
  maxIn1: bigint,
): { zeroForOne: boolean; amountIn: bigint; amountOut: bigint } {
  const poolSide = r1 * den;
  const marketSide = r0 * num;
  const gap = poolSide > marketSide ? poolSide - marketSide : marketSide - poolSide;
  if (gap * 10_000n < minGapBps * marketSide) return { zeroForOne: false, amountIn: 0n, amountOut: 0n };
  const zeroForOne = poolSide >= marketSide;
  const k = r0 * r1;
  const [reserveIn, reserveOut] = zeroForOne ? [r0, r1] : [r1, r0];
  // OpenZeppelin's Math.mulDiv keeps k x num in 512 bits; a bigint product is exact, where mulDivDown's
  // uint256 check would throw (18/18-decimal pools at E8-scaled prices pass 2^256).
  const target = zeroForOne ? isqrt((k * den) / num) : isqrt((k * num) / den);
  const uncapped = target > reserveIn ? ((target - reserveIn) * 1000n) / 997n : 0n;
  const amountIn = min(uncapped, zeroForOne ? maxIn0 : maxIn1);
  const amountOut = amountIn === 0n ? 0n : getAmountOutDown(amountIn, reserveIn, reserveOut);
  return { zeroForOne, amountIn: amountOut === 0n ? 0n : amountIn, amountOut };
}

/**
 * The arbitrageur acts when last block's pool is off the market by at least its gap: it sends
 * `swapTowardPrice`, which sizes the trade at the reserves it meets, so swaps earlier in the block (a
 * liquidator's sale) are taken into account.
 */
export function arbitrageurIntents(world: World, arb: ArbitrageurAccount, view: MarketView): TxIntent[] {
  const amm = world.amms.get(arb.amm);
  const reserves = view.amms.get(arb.amm);
  if (!amm || !reserves || reserves.reserve0 === 0n || reserves.reserve1 === 0n) return [];
  const a0 = world.assets.get(amm.token0);
  const a1 = world.assets.get(amm.token1);
  const p0 = view.marketPriceE8.get(amm.token0);
  const p1 = view.marketPriceE8.get(amm.token1);
  if (!a0 || !a1 || !p0 || !p1) return [];
  // The market price of token0 in token1 native units: p0 x u1 / (p1 x u0).
  const num = p0 * a1.unit;
  const den = p1 * a0.unit;
  const max0 = view.balances.get(balanceKey(arb.address, amm.token0)) ?? 0n;
  const max1 = view.balances.get(balanceKey(arb.address, amm.token1)) ?? 0n;
  const trade = arbitrageTrade(reserves.reserve0, reserves.reserve1, num, den, BigInt(arb.minGapBps), max0, max1);
  if (trade.amountIn === 0n) return [];
  const tokenIn = trade.zeroForOne ? amm.token0 : amm.token1;
  return [
    {
      agent: arb.name,
      action: `arbitrage ${arb.amm} toward the market (${trade.amountIn} ${tokenIn} at last block's reserves)`,
      from: arb.address,
      to: world.swapHelper.address,
      data: world.swapHelper.encode("swapTowardPrice", [amm.pair.address, num, den, BigInt(arb.minGapBps), max0, max1, arb.address]),
      gas: GAS.swap,
      priorityFeeWei: ARBITRAGE_PRIORITY_FEE_WEI,
    },
  ];
}
