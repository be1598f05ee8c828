/**
 * Perp traders' orders (`Venue.traderOrders` of the perp venue): each position the scenario opens with
 * an `exit` closes in full, once, when the first of its orders triggers at the mark of the end of the
 * previous block: a stop loss (the mark `stopLoss` past the entry price against the position), a take
 * profit (`takeProfit` past it in the position's favor) or the block `atBlock`. The close is a market
 * order: it fills at the mark of the block it is mined in, so a gap fills a stop past its trigger. A
 * close that would leave the margin below 0 reverts (the exchange leaves such a loss to a liquidation)
 * and is not sent again. Long and short alike gain when the price rises (long) or falls (short), in
 * linear and inverse markets. The entry price is the position's cost basis over its size.
 */
import type { Address } from "viem";
import { PerpMath, WAD, mulDivDown } from "../../math";
import type { PerpExitSpec, PerpPositionSpec } from "../../scenario/types";
import type { PerpMarketView, PerpPositionState, TxIntent } from "../../state";
import { GAS, type WorldPerpProtocol } from "../../world";
import { perpView } from "./model";
import type { TradingContext } from "../types";

/** Priority fee of a trader's order, wei per gas (a trader does not bid against keepers). */
export const TRADER_PRIORITY_FEE_WEI = 1_000_000_000n;

/** Why an order closes the position now, or null. */
export function exitTrigger(exit: PerpExitSpec, block: number, isLong: boolean, entryE8: bigint, markE8: bigint): string | null {
  if (exit.atBlock !== null && block >= exit.atBlock) return `close at block ${exit.atBlock}`;
  // Price levels: entry × (1 ∓ pct), rounded down.
  const below = (pct: bigint) => mulDivDown(entryE8, WAD - pct, WAD);
  const above = (pct: bigint) => mulDivDown(entryE8, WAD + pct, WAD);
  const sl = exit.stopLossWad;
  if (sl !== null && (isLong ? markE8 <= below(sl) : markE8 >= above(sl))) return `stop loss at mark ${markE8} (entry ${entryE8})`;
  const tp = exit.takeProfitWad;
  if (tp !== null && (isLong ? markE8 >= above(tp) : tp < WAD && markE8 <= below(tp))) return `take profit at mark ${markE8} (entry ${entryE8})`;
  return null;
}

/** The entry price of a position, USD E8: the price at which its size is worth its cost basis. */
export function entryPriceE8(m: Pick<PerpMarketView, "kind">, p: PerpPositionState, unit: bigint): bigint {
  return PerpMath.priceAtNotionalE8(m.kind, p.size, p.openNotional, unit, false);
}

export function perpTraderOrders(context: TradingContext): TxIntent[] {
  const protocol = perpView(context.protocol);
  const { deployed, view } = context;
  if (!protocol || deployed.kind !== "perp") return [];
  const out: TxIntent[] = [];
  for (const x of deployed.spec.positions) {
    if (x.exit === null) continue;
    const trader = deployed.traders.find((t) => t.name === x.account);
    const market = protocol.markets.find((m) => m.base === x.market);
    const p = trader && market?.positions.get(trader.address);
    if (!trader || !market || !p || p.size === 0n || p.isLong !== (x.side === "long") || market.markPriceE8 === 0n) continue;
    const why = exitTrigger(x.exit, view.block, p.isLong, entryPriceE8(market, p, protocol.collateralUnit), market.markPriceE8);
    if (why === null || !context.once(`${protocol.name}/${x.account}/${market.key}`)) continue;
    out.push(closeIntent(deployed, x, trader.address, market, p, why));
  }
  return out;
}

function closeIntent(deployed: WorldPerpProtocol, x: PerpPositionSpec, from: Address, market: PerpMarketView, p: PerpPositionState, why: string): TxIntent {
  return {
    agent: `trader ${x.account}`,
    action: `close ${x.side} ${p.size} in ${deployed.spec.name} ${market.key}: ${why}`,
    from,
    to: deployed.exchange.address,
    data: deployed.exchange.encode("trade", [market.id, p.isLong ? -p.size : p.size]),
    gas: GAS.perpAction,
    priorityFeeWei: TRADER_PRIORITY_FEE_WEI,
  };
}
