/**
 * What each group of position holders (a borrower group, a looper group) put in and what it lost, at
 * market prices: the run's answer to "who lost what". A holder's *equity* is the value of its
 * collateral less its debt, over all its positions (every protocol, every market). Positions are
 * non-recourse, each on its own (a pooled account is one position, each isolated market another): the
 * holder walks away from a position whose debt exceeds its collateral, and the shortfall is that
 * position's lenders' loss, whatever the holder's other positions are worth.
 *
 *   deposit      equity at block 0 (after set-up), at block-0 market prices
 *   added        what defensive borrowers moved in from their wallets (top-ups and repayments): the fall
 *                in their wallet balances from block 0 to the end, at the last block's market prices
 *   endEquity    equity at the last recorded block (negative when the debt exceeds the collateral)
 *   lenders      debt written off on the holder's positions (at each write-off's block) + Σ over its
 *                positions of max(0, debt − collateral) at the end
 *   borrower     deposit + added − Σ over its positions of max(0, collateral − debt) at the end: what
 *                the holder lost (never more than it put in)
 *   loss         borrower + lenders = deposit + added − endEquity + written off
 */
import Decimal from "decimal.js";
import { balanceKey } from "../state";
import type { World } from "../world";
import type { Address, LossRecord, GroupOutcome, LiquidationRecord } from "./types";

const Usd = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });

/** One position of a holder, valued at market prices. */
export interface HolderPositionValue {
  borrower: Address;
  collateralUsd: Decimal;
  debtUsd: Decimal;
}

/** What the observer saw at one block: every position, the agents' wallet balances, market prices. */
export interface HolderSnapshot {
  positions: readonly HolderPositionValue[];
  /** `${address}/${symbol}` → amount (defensive borrowers' wallets among them). */
  balances: ReadonlyMap<string, bigint>;
  marketPriceE8: ReadonlyMap<string, bigint>;
}

/** Per holder: Σ equity of its positions, and Σ of their positive and their negative parts. */
function equityByHolder(snapshot: HolderSnapshot): Map<string, { equity: Decimal; covered: Decimal; shortfall: Decimal }> {
  const out = new Map<string, { equity: Decimal; covered: Decimal; shortfall: Decimal }>();
  for (const p of snapshot.positions) {
    const key = p.borrower.toLowerCase();
    const e = p.collateralUsd.minus(p.debtUsd);
    const h = out.get(key) ?? { equity: new Usd(0), covered: new Usd(0), shortfall: new Usd(0) };
    out.set(key, { equity: h.equity.plus(e), covered: h.covered.plus(Decimal.max(e, 0)), shortfall: h.shortfall.plus(Decimal.max(e.neg(), 0)) });
  }
  return out;
}

/** Value at `end`'s prices of what left `address`'s wallet between `start` and `end`. */
function walletOutflowUsd(world: World, address: Address, start: HolderSnapshot, end: HolderSnapshot): Decimal {
  let total = new Usd(0);
  for (const [symbol, a] of world.assets) {
    const key = balanceKey(address, symbol);
    const before = start.balances.get(key);
    const after = end.balances.get(key);
    if (before === undefined || after === undefined) continue;
    const price = end.marketPriceE8.get(symbol) ?? 0n;
    total = total.plus(new Usd((before - after).toString()).mul(price.toString()).div(1e8).div(a.unit.toString()));
  }
  return total;
}

/** A group of holders: a borrower group's borrowers (with their wallets when defensive) or a looper group's vaults. */
interface Group {
  name: string;
  kind: GroupOutcome["kind"];
  protocols: string[];
  holders: { address: Address; wallet: Address | null }[];
}

/** The scenario's borrower groups, then its looper groups, in scenario order. */
function groupsOf(world: World): Group[] {
  const groups: Group[] = [];
  for (const spec of world.scenario.borrowers) {
    const holders = world.borrowers.filter((b) => b.group.name === spec.name).map((b) => ({ address: b.address, wallet: b.defensive ? b.address : null }));
    groups.push({ name: spec.name, kind: "borrowers", protocols: [spec.protocol], holders });
  }
  for (const spec of world.scenario.loopers) {
    const holders = world.loopers.filter((l) => l.spec.name === spec.name).map((l) => ({ address: l.vault.address, wallet: null }));
    groups.push({ name: spec.name, kind: "loopers", protocols: [...spec.legs], holders });
  }
  return groups;
}

/**
 * What each holder (lowercase address) had and what the run's records say of it: its equity at block 0
 * and at the end, its debt written off, and its liquidations (count, first block).
 */
interface HolderRecords {
  equity0: ReturnType<typeof equityByHolder>;
  equityEnd: ReturnType<typeof equityByHolder>;
  writtenOff: Map<string, Decimal>;
  liquidated: Map<string, { count: number; first: number }>;
}

function holderRecords(start: HolderSnapshot, end: HolderSnapshot, liquidations: readonly LiquidationRecord[], badDebt: readonly LossRecord[]): HolderRecords {
  const writtenOff = new Map<string, Decimal>();
  for (const b of badDebt) {
    const key = b.borrower.toLowerCase();
    writtenOff.set(key, (writtenOff.get(key) ?? new Usd(0)).plus(b.amountUsd));
  }
  const liquidated = new Map<string, { count: number; first: number }>();
  for (const l of liquidations) {
    const key = l.borrower.toLowerCase();
    const seen = liquidated.get(key);
    liquidated.set(key, { count: (seen?.count ?? 0) + 1, first: Math.min(seen?.first ?? l.block, l.block) });
  }
  return { equity0: equityByHolder(start), equityEnd: equityByHolder(end), writtenOff, liquidated };
}

/** One group's outcome: its holders' equity at `start` and `end`, their wallets' outflow, their records. */
function groupOutcome(world: World, g: Group, start: HolderSnapshot, end: HolderSnapshot, records: HolderRecords): GroupOutcome {
  const zero = new Usd(0);
  let deposit = zero;
  let added = zero;
  let endEquity = zero;
  let borrowerLoss = zero;
  let lendersLoss = zero;
  let positionsLiquidated = 0;
  let count = 0;
  let first: number | null = null;
  for (const h of g.holders) {
    const key = h.address.toLowerCase();
    const e0 = records.equity0.get(key)?.equity ?? zero;
    const e1 = records.equityEnd.get(key) ?? { equity: zero, covered: zero, shortfall: zero };
    const put = h.wallet ? walletOutflowUsd(world, h.wallet, start, end) : zero;
    deposit = deposit.plus(e0);
    added = added.plus(put);
    endEquity = endEquity.plus(e1.equity);
    borrowerLoss = borrowerLoss.plus(e0).plus(put).minus(e1.covered);
    lendersLoss = lendersLoss.plus(records.writtenOff.get(key) ?? zero).plus(e1.shortfall);
    const l = records.liquidated.get(key);
    if (l) {
      positionsLiquidated++;
      count += l.count;
      first = first === null ? l.first : Math.min(first, l.first);
    }
  }
  return {
    name: g.name,
    kind: g.kind,
    protocols: g.protocols,
    holders: g.holders.length,
    depositUsd: deposit,
    addedUsd: added,
    endEquityUsd: endEquity,
    lossUsd: borrowerLoss.plus(lendersLoss),
    borrowerLossUsd: borrowerLoss,
    lendersLossUsd: lendersLoss,
    holdersLiquidated: positionsLiquidated,
    liquidations: count,
    firstLiquidationBlock: first,
  };
}

/**
 * Outcomes of the scenario's borrower groups, then its looper groups, in scenario order. `start` is
 * the block-0 snapshot, `end` the last recorded block's.
 */
export function groupOutcomes(
  world: World,
  start: HolderSnapshot,
  end: HolderSnapshot,
  liquidations: readonly LiquidationRecord[],
  badDebt: readonly LossRecord[],
): GroupOutcome[] {
  const records = holderRecords(start, end, liquidations, badDebt);
  return groupsOf(world).map((g) => groupOutcome(world, g, start, end, records));
}
