/** A block record's prices: market, oracle (per asset and per AMM-read oracle) and each AMM's implied price. */
import type { ObservedState } from "../state";
import type { World } from "../world";
import type { BlockRecord } from "./types";

type BlockPrices = Pick<BlockRecord, "marketPriceE8" | "oraclePriceE8" | "ammOraclePriceE8" | "ammPriceE8">;

/** tokenA's USD price implied by each AMM: (reserveB / reserveA) in whole tokens x tokenB's market price; none for an empty pool. */
function ammPrices(world: World, state: ObservedState, market: (symbol: string) => bigint): Record<string, bigint> {
  const ammPriceE8: Record<string, bigint> = {};
  for (const [name, amm] of world.amms) {
    const r = state.amms.get(name);
    const a = world.assets.get(amm.spec.tokenA);
    const b = world.assets.get(amm.spec.tokenB);
    if (!r || !a || !b || r.reserve0 === 0n || r.reserve1 === 0n) continue;
    const aIs0 = amm.token0 === amm.spec.tokenA;
    const reserveA = aIs0 ? r.reserve0 : r.reserve1;
    const reserveB = aIs0 ? r.reserve1 : r.reserve0;
    ammPriceE8[name] = (reserveB * a.unit * market(amm.spec.tokenB)) / (reserveA * b.unit);
  }
  return ammPriceE8;
}

export function blockPrices(world: World, state: ObservedState, market: (symbol: string) => bigint): BlockPrices {
  const oraclePriceE8: Record<string, bigint | null> = {};
  const marketPriceE8: Record<string, bigint> = {};
  const ammOraclePriceE8: Record<string, bigint | null> = {};
  for (const symbol of world.assets.keys()) {
    const f = state.feeds.get(symbol);
    oraclePriceE8[symbol] = f?.ok ? f.answer : null;
    marketPriceE8[symbol] = market(symbol);
  }
  for (const name of world.oracles.keys()) {
    const f = state.feeds.get(name);
    ammOraclePriceE8[name] = f?.ok ? f.answer : null;
  }
  return { marketPriceE8, oraclePriceE8, ammOraclePriceE8, ammPriceE8: ammPrices(world, state, market) };
}
