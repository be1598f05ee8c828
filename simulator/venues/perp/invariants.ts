/**
 * `--check` of a perp exchange after a block (docs/perps.md, Invariants), over its holders read afresh:
 * the collateral it holds == Σ balances and isolated margins + vault + insurance fund + fees
 * (`collateralCheck`); Σ balances + isolated margins == `totalMargin`; per market, long OI − short OI +
 * the vault's net size == 0 and each side's size, cost basis and count == the sums over the positions;
 * with negative balance protection, no balance or isolated margin below 0; the observer's position
 * index == the chain; the mirror's health (`math/PerpHealth.ts`) == the exchange's `accountHealth`, exactly, for
 * every position; bad debt <= Σ of the Waterfall events' shortfalls. Per liquidation: its fee within the rate.
 */
import type { Address } from "viem";
import { PerpMath } from "../../math";
import type { PerpMarketView, PerpProtocolView, ProtocolView } from "../../state";
import type { ProjectResult, WorldPerpProtocol, WorldProtocol } from "../../world";
import type { Fail, InvariantContext, LiquidationFacts } from "../types";
import { perpGroupHealth } from "./model";
import { perpHolders } from "./reader";

/** One (account, market) row of `PerpLens.getAccounts`, as its ABI types it. */
type RowAbi = ProjectResult<"PerpLens", "getAccounts">[1][number];

export async function checkPerpState(context: InvariantContext, name: string, protocol: WorldProtocol, view: ProtocolView): Promise<void> {
  if (protocol.kind !== "perp" || view.kind !== "perp") return;
  const { world, fail } = context;
  const { exchange, lens } = protocol;
  const [held, accounted] = await exchange.read(world.chain, "collateralCheck");
  if (held !== accounted) fail(`${name}: collateral held == margins + vault + insurance fund + fees`, { held, accounted });
  const holders = perpHolders(world, name, protocol);
  const ids = protocol.markets.map((m) => m.id);
  const [balances, rows] = await lens.read(world.chain, "getAccounts", [exchange.address, holders, ids]);
  let margins = balances.reduce((sum, b) => sum + b, 0n);
  holders.forEach((account, i) => {
    const balance = balances[i] ?? 0n;
    if (view.negativeBalanceProtection && balance < 0n) fail(`${name}: no balance below 0 with negative balance protection`, { account, balance });
    if ((view.balances.get(account) ?? 0n) !== balance) fail(`${name}: the index's balance == the exchange's`, { account, index: view.balances.get(account) ?? 0n, chain: balance });
  });
  protocol.markets.forEach((m, j) => {
    const mv = view.markets[j];
    if (!mv) fail("market observed", { protocol: name, market: m.key });
    else margins += checkMarket(fail, name, view, mv, holders, holders.map((_, i) => rows[i * ids.length + j]));
  });
  const totalMargin = await exchange.read(world.chain, "totalMargin");
  if (margins !== totalMargin) fail(`${name}: sum of balances and isolated margins == totalMargin`, { sum: margins, totalMargin });
  checkBadDebt(context, name, protocol, view);
}

/** One market's totals, index and health against the rows read; returns Σ isolated margins. */
function checkMarket(fail: Fail, name: string, view: PerpProtocolView, m: PerpMarketView, holders: readonly Address[], rows: readonly (RowAbi | undefined)[]): bigint {
  const where = `${name} ${m.key}`;
  if (m.longSize - m.shortSize + m.vaultNetSize !== 0n) fail(`${where}: long OI - short OI + vault net size == 0`, { long: m.longSize, short: m.shortSize, vault: m.vaultNetSize });
  const sums = { longSize: 0n, shortSize: 0n, longOpenNotional: 0n, shortOpenNotional: 0n, longCount: 0n, shortCount: 0n };
  let isolated = 0n;
  holders.forEach((account, i) => {
    const r = rows[i];
    if (!r) return fail(`${where}: position read`, { account });
    const p = r.position;
    isolated += p.isolatedMargin;
    if (view.negativeBalanceProtection && p.isolatedMargin < 0n) fail(`${where}: no isolated margin below 0 with negative balance protection`, { account, margin: p.isolatedMargin });
    const indexed = m.positions.get(account);
    if ((indexed?.size ?? 0n) !== p.size || (p.size > 0n && (indexed?.openNotional !== p.openNotional || indexed.isolatedMargin !== p.isolatedMargin))) {
      fail(`${where}: the index's position == the exchange's`, { account, indexSize: indexed?.size ?? 0n, chainSize: p.size });
    }
    if (p.size === 0n) return;
    const side = p.isLong ? "long" : "short";
    sums[`${side}Size`] += p.size;
    sums[`${side}OpenNotional`] += p.openNotional;
    sums[`${side}Count`] += 1n;
    const model = perpGroupHealth(view, account, m);
    if (r.priced && model && (model.equity !== r.health.equity || model.maintenanceMargin !== r.health.maintenanceMargin || model.initialMargin !== r.health.initialMargin)) {
      fail(`${where}: the mirror's health == the exchange's`, { account, equity: r.health.equity, modelEquity: model.equity, maintenance: r.health.maintenanceMargin, modelMaintenance: model.maintenanceMargin });
    }
  });
  for (const [field, sum] of Object.entries(sums) as [keyof typeof sums, bigint][]) {
    if (sum !== m[field]) fail(`${where}: ${field} == the sum over the positions`, { sum, total: m[field] });
  }
  return isolated;
}

/** The vault's bad debt is what the waterfall left of the shortfalls: at most their sum. */
function checkBadDebt({ badDebtEvents, fail }: InvariantContext, name: string, protocol: WorldPerpProtocol, view: PerpProtocolView): void {
  const shortfalls = protocol.markets.reduce((sum, m) => sum + (badDebtEvents.get(`${name}/${m.key}`) ?? 0n), 0n);
  if (view.badDebt > shortfalls) fail(`${name}: bad debt <= sum of the Waterfall shortfalls`, { badDebt: view.badDebt, shortfalls });
}

/**
 * A liquidation's fee within the market's rate: the insurance fund's cut <= the whole fee <=
 * ceil(notional closed x liquidation fee) (it is capped further at the margin left). Its health before
 * is the exchange's own check (`HealthyAccount` reverts otherwise), at the mark of its block.
 */
export function checkPerpLiquidation({ fail }: InvariantContext, protocol: WorldProtocol, l: LiquidationFacts & { protocolFee?: bigint }): void {
  if (protocol.kind !== "perp") return;
  const m = protocol.markets.find((x) => x.key === l.market);
  if (!m) return fail(`${l.protocol}: a liquidation in a market of the exchange`, { market: l.market ?? "none" });
  const cap = PerpMath.feeUp(l.debtRepaid, m.spec.liquidationFeeWad);
  if ((l.protocolFee ?? 0n) > cap) fail(`${l.protocol} ${m.key}: insurance fee <= notional closed x liquidation fee`, { borrower: l.borrower, fee: l.protocolFee ?? 0n, cap });
}
