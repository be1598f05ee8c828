/**
 * A keeper in a perp exchange: every position whose margin group has equity < maintenance margin at the
 * bot's mark (pending pushes applied), once its episode is `ready`, largest notional first, sends
 * `liquidate(account, marketId, candidates)`: the exchange sizes the close (partial or full) and runs
 * the loss waterfall itself. `candidates` is the list the exchange verifies when a shortfall reaches
 * its last resort (adl or socialize): every open position on the other side of the market, in
 * decreasing ADL rank (PerpMath.adlRankWad at mark with the group's equity), equal ranks by increasing
 * address; [] for an exchange without a last resort. A cross account is liquidated through its largest
 * position (the exchange closes every cross position of it). No inventory is needed (nothing is repaid)
 * and the fee goes to the keeper's balance in the exchange, so there is no profit test; within the
 * block budget.
 */
import type { Address } from "viem";
import { PerpMath } from "../../math";
import { positionKey, type PerpMarketView, type PerpProtocolView, type TxIntent } from "../../state";
import { GAS, type WorldPerpProtocol } from "../../world";
import { byLargestDebt } from "../keeper";
import type { KeeperContext } from "../types";
import { groupHealth, isLiquidatable } from "./health";

interface Target {
  borrower: Address;
  market: PerpMarketView;
  /** The position's notional at mark (the order: largest first). */
  debt: bigint;
}

/** Positions to liquidate at the view's marks, largest notional first; one per cross account. */
function targets(view: PerpProtocolView): Target[] {
  const out: Target[] = [];
  for (const m of view.markets) {
    if (m.markPriceE8 === 0n) continue;
    for (const [account, p] of m.positions) {
      const h = groupHealth(view, account, m);
      if (!h || !isLiquidatable(h)) continue;
      out.push({ borrower: account, market: m, debt: PerpMath.notionalUp(m.kind, p.size, m.markPriceE8, view.collateralUnit) });
    }
  }
  out.sort(byLargestDebt);
  const crossSeen = new Set<string>();
  return out.filter((t) => {
    if (t.market.positions.get(t.borrower)?.isolated) return true;
    if (crossSeen.has(t.borrower)) return false;
    crossSeen.add(t.borrower);
    return true;
  });
}

/** The positions on the other side of `m` from `isLong`, as `_verifyCandidates` wants them ordered. */
export function adlCandidates(view: PerpProtocolView, m: PerpMarketView, isLong: boolean): Address[] {
  const ranked: { account: Address; rank: bigint }[] = [];
  for (const [account, p] of m.positions) {
    if (p.isLong === isLong) continue;
    const pnl = PerpMath.pnl(m.kind, p.isLong, p.size, p.openNotional, m.markPriceE8, view.collateralUnit);
    const notional = PerpMath.notionalDown(m.kind, p.size, m.markPriceE8, view.collateralUnit);
    const equity = groupHealth(view, account, m)?.equity ?? 0n;
    ranked.push({ account, rank: PerpMath.adlRankWad(pnl, p.openNotional, notional, equity) });
  }
  ranked.sort((a, b) => (a.rank !== b.rank ? (b.rank > a.rank ? 1 : -1) : a.account.toLowerCase() < b.account.toLowerCase() ? -1 : 1));
  return ranked.map((r) => r.account);
}

export function perpLiquidations(context: KeeperContext): TxIntent[] {
  const { protocol, deployed, ready, liquidator } = context;
  if (protocol.kind !== "perp" || deployed.kind !== "perp") return [];
  const out: TxIntent[] = [];
  for (const t of targets(protocol)) {
    if (!ready(positionKey(protocol.name, t.borrower, t.market.key))) continue;
    const position = t.market.positions.get(t.borrower);
    if (!position) continue;
    const candidates = protocol.lastResort === "none" ? [] : adlCandidates(protocol, t.market, position.isLong);
    const gas = GAS.perpLiquidation + GAS.perpLiquidationPerCandidate * BigInt(candidates.length);
    if (!context.budget.take(gas)) return out;
    out.push(liquidationIntent(deployed, t, candidates, gas, liquidator.name, liquidator.address, liquidator.spec.priorityFeeWei));
  }
  return out;
}

function liquidationIntent(p: WorldPerpProtocol, t: Target, candidates: Address[], gas: bigint, agent: string, from: Address, priorityFeeWei: bigint): TxIntent {
  return {
    agent,
    action: `liquidate ${t.borrower} in ${p.spec.name} ${t.market.key}`,
    from,
    to: p.exchange.address,
    data: p.exchange.encode("liquidate", [t.borrower, t.market.id, candidates]),
    gas,
    priorityFeeWei,
  };
}
