/**
 * `--check` of an isolated-markets protocol after a block. Per market: Σ holders' supply and borrow
 * shares == the totals; borrowed <= supplied; bad debt == Σ the Liquidate events' bad debt; no borrow
 * shares without collateral; the model's health factor == the market's, for every holder; the engine's
 * position index (read or derived from the block's logs) == the market's positions. Per token the
 * singleton holds: balance >= the markets' liquidity + collateral in it. Per liquidation priced by push
 * feeds: seized × price <= repaid × LIF (both in loan units).
 */
import type { Address } from "viem";
import { IsolatedLendingMarketMath as IM, WAD } from "../../math";
import type { IsolatedMarketView, ProtocolView } from "../../state";
import { positionHolders, type ProjectResult, type WorldIsolatedMarket, type WorldProtocol } from "../../world";
import type { InvariantContext, LiquidationFacts } from "../types";
import { marketsProtocol, type IsolatedImplementation } from "./implementation";

/** IsolatedMarketLens's row for one holder (shares, collateral, debt, health factor). */
type LensPosition = ProjectResult<"IsolatedMarketLens", "getPositions">[number];

/** `--check` of an isolated protocol run by `implementation`. */
export function checkIsolatedState(implementation: IsolatedImplementation) {
  return (context: InvariantContext, name: string, protocol: WorldProtocol, view: ProtocolView) => checkState(implementation, context, name, protocol, view);
}

async function checkState(implementation: IsolatedImplementation, context: InvariantContext, name: string, deployed: WorldProtocol, view: ProtocolView): Promise<void> {
  const protocol = marketsProtocol(deployed);
  if (!protocol || view.kind !== "isolated") return;
  const { world, fail } = context;
  const owed = new Map<string, bigint>();
  const add = (symbol: string, amount: bigint) => owed.set(symbol, (owed.get(symbol) ?? 0n) + amount);
  for (const m of protocol.markets) {
    const mv = view.markets.find((x) => x.id === m.id);
    if (!mv) fail("market observed", { protocol: name, market: m.key });
    const who = [...positionHolders(world, name, m.spec), world.deployer];
    const rows = await implementation.readPositions(world, protocol, m, who);
    if (!mv) continue;
    checkMarket(context, { name, countsBadDebt: implementation.countsBadDebt }, m, mv, who, rows);
    add(m.spec.loan, mv.state.totalSupplyAssets - mv.state.totalBorrowAssets);
    for (const r of rows) add(m.spec.collateral, r.collateral);
  }
  for (const [symbol, amount] of owed) {
    const token = world.assets.get(symbol)?.token;
    if (!token) continue;
    const balance = await token.read(world.chain, "balanceOf", [protocol.market.address]);
    if (balance < amount) fail(`${name}: ${symbol} balance >= liquidity + collateral of its markets`, { balance, owed: amount });
  }
}

function checkMarket(
  { badDebtEvents, fail }: InvariantContext,
  { name, countsBadDebt }: { name: string; countsBadDebt: boolean },
  m: WorldIsolatedMarket,
  mv: IsolatedMarketView,
  who: readonly Address[],
  rows: readonly LensPosition[],
): void {
  const where = `${name} ${m.key}`;
  const s = mv.state;
  const supplyShares = rows.reduce((sum, r) => sum + r.supplyShares, 0n);
  const borrowShares = rows.reduce((sum, r) => sum + r.borrowShares, 0n);
  if (supplyShares !== s.totalSupplyShares) fail(`${where}: sum of supply shares == total`, { sum: supplyShares, total: s.totalSupplyShares });
  if (borrowShares !== s.totalBorrowShares) fail(`${where}: sum of borrow shares == total`, { sum: borrowShares, total: s.totalBorrowShares });
  if (s.totalBorrowAssets > s.totalSupplyAssets) fail(`${where}: borrowed <= supplied`, { borrowed: s.totalBorrowAssets, supplied: s.totalSupplyAssets });
  const events = badDebtEvents.get(`${name}/${m.key}`) ?? 0n;
  if (countsBadDebt && s.badDebtAssets !== events) fail(`${where}: bad debt == sum of Liquidate bad debt`, { badDebt: s.badDebtAssets, events });
  rows.forEach((r, i) => {
    const user = who[i] ?? "?";
    if (r.borrowShares > 0n && r.collateral === 0n) fail(`${where}: no debt without collateral`, { user });
    // Every holder but the deployer (last: the passive lender, not in the index).
    const holder = who[i];
    if (holder !== undefined && i < who.length - 1) checkIndexed(fail, where, holder, mv.positions.get(holder), r);
    if (r.borrowShares === 0n || mv.priceE36 === 0n) return;
    const model = IM.positionHealth(mv, s, { supplyShares: r.supplyShares, borrowShares: r.borrowShares, collateral: r.collateral }, mv.priceE36);
    if (model.healthFactorWad !== r.healthFactorWad) fail(`${where}: the model's health factor == the market's`, { user, market: r.healthFactorWad, model: model.healthFactorWad });
  });
}

/** A holder's position in the engine's index (the view holds the nonzero ones) == the market's. */
function checkIndexed(fail: InvariantContext["fail"], where: string, user: string, indexed: IM.Position | undefined, r: LensPosition): void {
  const fields = ["supplyShares", "borrowShares", "collateral"] as const;
  for (const f of fields) {
    const engine = indexed?.[f] ?? 0n;
    if (engine !== r[f]) fail(`${where}: the position index's ${f} == the market's`, { user, market: r[f], engine });
  }
}

export function checkIsolatedLiquidation({ world, state, fail }: InvariantContext, deployed: WorldProtocol, l: LiquidationFacts): void {
  const protocol = marketsProtocol(deployed);
  if (!protocol) return;
  const m = protocol.markets.find((x) => x.key === l.market);
  const c = world.assets.get(l.collateral);
  const d = world.assets.get(l.debt);
  // Only push feeds hold one price for the whole block; an AMM-read feed moves with the block's swaps.
  if (!m || !c || !d || m.spec.collateralFeed !== l.collateral || m.spec.loanFeed !== l.debt) return;
  const pc = state.feeds.get(l.collateral)?.answer ?? 0n;
  const pd = state.feeds.get(l.debt)?.answer ?? 0n;
  const view = state.protocols.get(l.protocol);
  const lif = view?.kind === "isolated" ? view.markets.find((x) => x.key === l.market)?.lifWad : undefined;
  if (pc <= 0n || pd <= 0n || lif === undefined) return;
  // seized × pc / cUnit <= repaid × LIF × pd / dUnit
  if (l.collateralSeized * pc * d.unit * WAD > l.debtRepaid * lif * pd * c.unit) {
    fail("seized <= repaid x LIF x debtPrice / collateralPrice", { borrower: l.borrower, seized: l.collateralSeized, repaid: l.debtRepaid });
  }
}
