/**
 * What liqsim's `IsolatedLendingMarket` logs say of its positions. Every entry point that moves a
 * position emits the exact amounts: `Supply`, `Withdraw`, `Borrow` and `Repay` carry the shares,
 * `SupplyCollateral` and `WithdrawCollateral` the collateral, `Liquidate` the repaid shares, the bad-debt
 * shares it wrote off and the seized collateral. So the position index follows a block's logs without
 * reading the chain (`--check` compares it with the chain after every block).
 */
import type { Address, Hex } from "viem";
import { decodeLog, type DecodedLog, type ProjectAbi, type WorldMarketsProtocol } from "../../world";

/** A change of one position in market `id`: each field signed, added to the position's (native units and shares). */
export interface PositionChange {
  id: bigint;
  account: Address;
  supplyShares: bigint;
  borrowShares: bigint;
  collateral: bigint;
}

/**
 * A log of the market contract as position changes: `changes` (none for a log that moves no position)
 * and `named`, every account the log names (lowercase; the observer re-reads those it cannot derive).
 * Null: not a log of the market's ABI.
 */
export interface PositionLog {
  changes: PositionChange[];
  named: string[];
}

type MarketEvent = DecodedLog<ProjectAbi<"IsolatedLendingMarket">>;

const change = (id: bigint, account: Address, delta: Partial<Omit<PositionChange, "id" | "account">>): PositionChange => ({
  id,
  account,
  supplyShares: delta.supplyShares ?? 0n,
  borrowShares: delta.borrowShares ?? 0n,
  collateral: delta.collateral ?? 0n,
});

/** The position changes of one event (the market's own semantics: Withdraw, WithdrawCollateral and Borrow act on the caller). */
function changesOf(event: MarketEvent): PositionChange[] {
  switch (event.eventName) {
    case "Supply":
      return [change(event.args.id, event.args.onBehalfOf, { supplyShares: event.args.shares })];
    case "Withdraw":
      return [change(event.args.id, event.args.user, { supplyShares: -event.args.shares })];
    case "SupplyCollateral":
      return [change(event.args.id, event.args.onBehalfOf, { collateral: event.args.assets })];
    case "WithdrawCollateral":
      return [change(event.args.id, event.args.user, { collateral: -event.args.assets })];
    case "Borrow":
      return [change(event.args.id, event.args.user, { borrowShares: event.args.shares })];
    case "Repay":
      return [change(event.args.id, event.args.onBehalfOf, { borrowShares: -event.args.shares })];
    case "Liquidate": {
      // borrowShares -= repaidShares, then the rest (badDebtShares) when no collateral is left.
      const a = event.args;
      return [change(a.id, a.borrower, { borrowShares: -(a.repaidShares + a.badDebtShares), collateral: -a.seizedAssets })];
    }
    default:
      return [];
  }
}

/** A log of liqsim's market as position changes; null for a log of another ABI (or another kind of protocol). */
export function mockPositionLog(p: WorldMarketsProtocol, log: { topics: readonly Hex[]; data: Hex }): PositionLog | null {
  if (p.kind !== "isolated") return null;
  let event: MarketEvent;
  try {
    event = decodeLog(p.market.abi, log);
  } catch {
    return null;
  }
  const named = Object.values(event.args as Record<string, unknown>)
    .filter((v): v is string => typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v))
    .map((v) => v.toLowerCase());
  return { changes: changesOf(event), named };
}
