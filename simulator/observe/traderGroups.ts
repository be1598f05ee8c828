/**
 * Each trader of a venue's own (a perp exchange's) as a group of summary.groups (kind "traders", one
 * holder), in the words of ./groups.ts, the collateral valued at the market price of block 0 (the
 * deposit) and of the last recorded block (the rest):
 *
 *   deposit      the margin it deposited
 *   endEquity    balance + isolated margins + unrealized PnL at the end (negative: what it owes)
 *   borrower     deposit − max(0, endEquity): what it lost of its own (its `lost`, native units)
 *   lenders      its shortfalls (the loss records of its account: the losses beyond its margin, whoever
 *                absorbed them, valued at their blocks) + what an open position's negative equity adds
 *                beyond what it already owes, at the end (latent)
 *   loss         borrower + lenders
 */
import Decimal from "decimal.js";
import type { TraderFigures } from "../venues/types";
import type { World } from "../world";
import type { HolderSnapshot } from "./groups";
import type { GroupOutcome, LiquidationRecord, LossRecord } from "./types";

const Usd = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });

/** A protocol's traders' figures (`Venue.traderFigures`), read at the run's end. */
export interface ProtocolTraders {
  protocol: string;
  traders: readonly TraderFigures[];
}

export function traderOutcomes(
  world: World,
  protocols: readonly ProtocolTraders[],
  start: HolderSnapshot,
  end: HolderSnapshot,
  liquidations: readonly LiquidationRecord[],
  badDebt: readonly LossRecord[],
): GroupOutcome[] {
  return protocols.flatMap(({ protocol, traders }) =>
    traders.map((t) => {
      const unit = world.assets.get(t.asset)?.unit ?? 1n;
      const usd = (amount: bigint, snapshot: HolderSnapshot) => new Usd(amount.toString()).mul((snapshot.marketPriceE8.get(t.asset) ?? 0n).toString()).div(1e8).div(unit.toString());
      const mine = (x: { protocol: string; borrower: string }) => x.protocol === protocol && x.borrower.toLowerCase() === t.account.toLowerCase();
      const covered = t.endEquity > 0n ? t.endEquity : 0n;
      const latent = -(t.endEquity + t.owed) > 0n ? -(t.endEquity + t.owed) : 0n;
      const shortfalls = badDebt.filter(mine).reduce((sum, b) => sum.plus(b.amountUsd), new Usd(0));
      const depositUsd = usd(t.deposited, start);
      const borrowerLossUsd = depositUsd.minus(usd(covered, end));
      const lendersLossUsd = shortfalls.plus(usd(latent, end));
      const own = liquidations.filter(mine);
      return {
        name: t.name,
        kind: "traders" as const,
        protocols: [protocol],
        holders: 1,
        depositUsd,
        addedUsd: new Usd(0),
        endEquityUsd: usd(t.endEquity, end),
        lossUsd: borrowerLossUsd.plus(lendersLossUsd),
        borrowerLossUsd,
        lendersLossUsd,
        holdersLiquidated: own.length > 0 ? 1 : 0,
        liquidations: own.length,
        firstLiquidationBlock: own.length > 0 ? Math.min(...own.map((l) => l.block)) : null,
        trader: { asset: t.asset, deposited: t.deposited, realizedPnl: t.realizedPnl, fees: t.fees, lost: t.deposited - covered, owed: t.owed },
      };
    }),
  );
}
