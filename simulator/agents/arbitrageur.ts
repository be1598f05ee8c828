/**
 * An arbitrageur trades a Uniswap V2 pair toward the market price each block, within its inventory.
 *
 * With reserves (r0, r1) and the market price of token0 in token1 units P* = p0 x u1 / (p1 x u0), the
 * pool sits at P* when r0' = sqrt(k / P*) and r1' = sqrt(k x P*), k = r0 x r1; the trade puts in the
 * missing side grossed up for the 0.3% fee (x 1000 / 997), capped by what the arbitrageur holds.
 */
import type { ArbitrageurAccount, World } from "../world";
import { GAS } from "../world";
import { balanceKey, type MarketView, type TxIntent } from "./types";

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

export function arbitrageurIntents(world: World, arb: ArbitrageurAccount, view: MarketView): TxIntent[] {
  const amm = world.amms.get(arb.amm);
  const reserves = view.amms.get(arb.amm);
  if (!amm || !reserves || reserves.reserve0 === 0n || reserves.reserve1 === 0n) return [];
  const a0 = world.assets.get(amm.token0);
  const a1 = world.assets.get(amm.token1);
  const p0 = view.marketPriceE8.get(amm.token0);
  const p1 = view.marketPriceE8.get(amm.token1);
  if (!a0 || !a1 || !p0 || !p1) return [];
  const { reserve0: r0, reserve1: r1 } = reserves;
  // Pool price vs market, both as token1 per token0 scaled by p1 x u0: r1 x p1 x u0 vs r0 x p0 x u1.
  const poolSide = r1 * p1 * a0.unit;
  const marketSide = r0 * p0 * a1.unit;
  const gapBps = ((poolSide > marketSide ? poolSide - marketSide : marketSide - poolSide) * 10_000n) / marketSide;
  if (gapBps < BigInt(arb.minGapBps)) return [];
  const k = r0 * r1;
  let tokenIn: string;
  let amountIn: bigint;
  if (poolSide < marketSide) {
    // token0 is cheap in the pool: sell token1 for it until r1' = sqrt(k x P*).
    const target = isqrt((k * p0 * a1.unit) / (p1 * a0.unit));
    tokenIn = amm.token1;
    amountIn = target > r1 ? ((target - r1) * 1000n) / 997n : 0n;
  } else {
    const target = isqrt((k * p1 * a0.unit) / (p0 * a1.unit));
    tokenIn = amm.token0;
    amountIn = target > r0 ? ((target - r0) * 1000n) / 997n : 0n;
  }
  const held = view.balances.get(balanceKey(arb.address, tokenIn)) ?? 0n;
  if (amountIn > held) amountIn = held;
  if (amountIn === 0n) return [];
  const token = world.assets.get(tokenIn);
  if (!token) return [];
  return [
    {
      agent: arb.name,
      action: `arbitrage ${amountIn} ${tokenIn} into ${arb.amm}`,
      from: arb.address,
      to: world.swapHelper.address,
      data: world.swapHelper.encode("swapExactIn", [amm.pair.address, token.token.address, amountIn, 0n, arb.address]),
      gas: GAS.swap,
      priorityFeeWei: ARBITRAGE_PRIORITY_FEE_WEI,
    },
  ];
}
