/**
 * Cascade attribution: which liquidations were caused by the price impact of earlier ones.
 *
 * Every swap moves a pair's price p = reserve1 / reserve0 by a log-change ln(p_after / p_before),
 * read from the pair's `Sync` events in log order. A liquidator's sale of seized collateral (a swap
 * in the same transaction as a liquidation, or a sale the liquidator tagged with the position it
 * liquidated) opens a ledger entry holding its log-change: the displacement that sale left in the
 * price. Any other swap moving the price the opposite way (arbitrage buying the dip) repairs the
 * oldest displacement first, never past zero. So the ledger holds, at every moment, how far past
 * liquidation sales still push each pair's price.
 *
 * When a position becomes liquidatable, its health is recomputed with every AMM-read feed at its
 * counterfactual value: the spot price without the outstanding displacement (exp(-D) for the
 * pair's token0 priced in token1; exp(+D) for token1), or, for a TWAP, the average of that over the
 * window's blocks. If the position is still liquidatable there, it is generation 0 (a market or
 * oracle move, interest). Otherwise the sales caused it, and its parent is the sale that tipped it
 * over: putting the outstanding sales back in the order they happened, the first one after which the
 * position is liquidatable. Its generation is the parent's plus one. A liquidation inherits the
 * generation of its episode.
 *
 * Log-changes are exact for each swap; adding them treats displacements as independent, which holds
 * to first order for a constant-product pool. The attribution is a measured but-for test, not a proof.
 */
import Decimal from "decimal.js";
import type { AmmOracleSpec } from "../scenario/types";

/** decimal.js for logs and exponentials of price ratios. */
const Ln = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

/** Displacements smaller than this (a 1e-12 relative price change) are dropped. */
const NEGLIGIBLE = new Ln("1e-12");

/** The liquidation a sale came from. */
export interface SaleSource {
  /** Index of the liquidation in the run's list. */
  liquidation: number;
  generation: number;
  protocol: string;
}

interface Entry extends SaleSource {
  /** Outstanding log-change of the pair's price (token1 per token0) this sale still causes. */
  remaining: Decimal;
  /** exp(remaining), kept with it: attribution multiplies these instead of taking exponentials. */
  expRemaining: Decimal;
}

interface Snapshot {
  timestamp: bigint;
  entries: Entry[];
}

/** One outstanding sale as seen by one oracle: `weight` in log units, `factor` = exp(weight). */
export interface CounterfactualEntry {
  source: SaleSource;
  weight: Decimal;
  factor: Decimal;
}

export interface Attribution {
  generation: number;
  /** The liquidation whose sale caused it; null for generation 0. */
  parent: SaleSource | null;
}

export class CascadeLedger {
  private readonly ledgers = new Map<string, Entry[]>();
  /** Ledger copies at the end of each block, per AMM, for TWAP feeds. */
  private readonly history = new Map<string, Snapshot[]>();

  /**
   * `twapWindows`: the longest TWAP window (seconds) read from each AMM; only those AMMs keep a history,
   * and only as far back as that window. Without it every AMM keeps all of its history.
   */
  constructor(private readonly twapWindows?: ReadonlyMap<string, number>) {}

  /**
   * A move of `amm`'s price from (r0, r1) to (r0', r1'), in log order within the block; `sale` when it is
   * a liquidator selling collateral it just seized.
   */
  move(amm: string, before: { reserve0: bigint; reserve1: bigint }, after: { reserve0: bigint; reserve1: bigint }, sale: SaleSource | null): void {
    if (before.reserve0 === 0n || before.reserve1 === 0n || after.reserve0 === 0n || after.reserve1 === 0n) return;
    // ln(p'/p) = ln(r1' r0 / (r0' r1))
    const change = new Ln((after.reserve1 * before.reserve0).toString()).div((after.reserve0 * before.reserve1).toString()).ln();
    if (change.abs().lt(NEGLIGIBLE)) return;
    const ledger = this.ledgers.get(amm) ?? [];
    this.ledgers.set(amm, ledger);
    if (sale) {
      ledger.push({ ...sale, remaining: change, expRemaining: change.exp() });
      return;
    }
    let left = change.abs();
    for (const entry of ledger) {
      if (left.isZero()) break;
      if (entry.remaining.isZero() || entry.remaining.isPositive() === change.isPositive()) continue;
      const take = Decimal.min(left, entry.remaining.abs());
      entry.remaining = entry.remaining.isPositive() ? entry.remaining.minus(take) : entry.remaining.plus(take);
      entry.expRemaining = entry.remaining.exp();
      left = left.minus(take);
    }
    this.ledgers.set(
      amm,
      ledger.filter((e) => e.remaining.abs().gte(NEGLIGIBLE)),
    );
  }

  /** Records the end of a block (for TWAP feeds). */
  endBlock(timestamp: bigint): void {
    for (const [amm, ledger] of this.ledgers) {
      const window = this.twapWindows === undefined ? undefined : this.twapWindows.get(amm);
      if (this.twapWindows !== undefined && window === undefined) continue;
      const snapshots = this.history.get(amm) ?? [];
      snapshots.push({ timestamp, entries: ledger.map((e) => ({ ...e })) });
      // The window only reaches back to the last snapshot at or before its start.
      if (window !== undefined) while ((snapshots[1]?.timestamp ?? timestamp) <= timestamp - BigInt(window)) snapshots.shift();
      this.history.set(amm, snapshots);
    }
  }

  /**
   * The factor that takes `oracle`'s current answer to its counterfactual value without outstanding
   * liquidation sales, and the entries that make it up: `weight` is the log of the factor that undoes
   * that one sale (positive when the sale pushed the oracle's price down; for a TWAP, times its share
   * of the window), so undoing a set of sales multiplies the answer by exp(sum of their weights).
   * `baseIsToken0`: whether the oracle prices the pair's token0. Each entry's `factor` is exp(weight).
   */
  counterfactual(oracle: AmmOracleSpec, baseIsToken0: boolean, now: bigint): { factor: Decimal; entries: CounterfactualEntry[] } {
    const sign = baseIsToken0 ? -1 : 1;
    if (oracle.type === "ammSpot") {
      const ledger = this.ledgers.get(oracle.amm) ?? [];
      const total = ledger.reduce((sum, e) => sum.plus(e.remaining), new Ln(0));
      return {
        factor: total.times(sign).exp(),
        entries: ledger.map((e) => ({
          source: sourceOf(e),
          weight: e.remaining.times(sign),
          factor: sign > 0 ? e.expRemaining : new Ln(1).div(e.expRemaining),
        })),
      };
    }
    // TWAP: the time-weighted displacement over the window, block by block (each block's end state
    // holds until the next block).
    const from = now - BigInt(oracle.windowSeconds);
    const all = this.history.get(oracle.amm) ?? [];
    // The last snapshot at or before the window's start holds until the next one.
    let first = 0;
    all.forEach((s, i) => {
      if (s.timestamp <= from) first = i;
    });
    const snapshots = all.slice(first);
    let weighted = new Ln(0);
    const perEntry = new Map<number, { source: SaleSource; weight: Decimal }>();
    for (let i = 0; i < snapshots.length; i++) {
      const s = snapshots[i];
      if (!s) continue;
      const start = s.timestamp > from ? s.timestamp : from;
      const end = snapshots[i + 1]?.timestamp ?? now;
      if (end <= start) continue;
      const share = new Ln((end - start).toString()).div(oracle.windowSeconds);
      for (const e of s.entries) {
        weighted = weighted.plus(e.remaining.times(share));
        const w = perEntry.get(e.liquidation) ?? { source: sourceOf(e), weight: new Ln(0) };
        w.weight = w.weight.plus(e.remaining.times(share).times(sign));
        perEntry.set(e.liquidation, w);
      }
    }
    return { factor: weighted.times(sign).exp(), entries: [...perEntry.values()].map((e) => ({ ...e, factor: e.weight.exp() })) };
  }
}

function sourceOf(e: Entry): SaleSource {
  return { liquidation: e.liquidation, generation: e.generation, protocol: e.protocol };
}

/** Applies a factor to an E8 price, rounding down. */
export function scalePriceE8(priceE8: bigint, factor: Decimal): bigint {
  return BigInt(new Ln(priceE8.toString()).times(factor).floor().toFixed(0));
}
