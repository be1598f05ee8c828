/**
 * Data of report.html's loss charts: each group's loss as a share of what it put in, beside holding
 * each moving asset outright (spot), and the watched position's health factors over the blocks. For
 * drawing only: percentages and health factors become JS numbers.
 */
import Decimal from "decimal.js";
import { formatUnits } from "viem";
import type { BlockRecord } from "../observe/types";
import { formatDecimal } from "./format";
import type { GroupOutcomeJson } from "./types";

/** One bar of the loss-share chart: percent of what was put in, split by who lost it. */
export interface LossShare {
  label: string;
  /** What the holders lost of their own money (at most 100; spot: the price fall). */
  holdersPct: number;
  /** Their lenders' loss (bad debt), in percent of what the holders put in. */
  lendersPct: number;
}

/**
 * Spot first, one bar per asset whose market price moved from the first drawn block to the last
 * (holding it outright loses the fall, never more than 100%), then one bar per group with something
 * put in: borrowerLossUsd and lendersLossUsd over depositUsd + addedUsd, × 100.
 */
export function lossShares(groups: readonly GroupOutcomeJson[], drawn: readonly BlockRecord[]): LossShare[] {
  const first = drawn[0];
  const last = drawn[drawn.length - 1];
  const spot: LossShare[] = [];
  if (first !== undefined && last !== undefined) {
    for (const [asset, startE8] of Object.entries(first.marketPriceE8)) {
      const endE8 = last.marketPriceE8[asset];
      if (endE8 === undefined || endE8 === startE8 || startE8 <= 0n) continue;
      // (start − end) / start × 100: a fall is a positive loss.
      const pct = new Decimal((startE8 - endE8).toString()).div(startE8.toString()).mul(100);
      spot.push({ label: `spot ${asset}`, holdersPct: percentNumber(pct, `spot ${asset}`), lendersPct: 0 });
    }
  }
  const shares = groups.flatMap((g, i): LossShare[] => {
    const putIn = new Decimal(g.depositUsd).plus(g.addedUsd);
    if (putIn.lte(0)) return [];
    const pct = (usd: string, field: string) => percentNumber(new Decimal(usd).div(putIn).mul(100), `summary.groups[${i}].${field}`);
    return [{ label: g.name, holdersPct: pct(g.borrowerLossUsd, "borrowerLossUsd"), lendersPct: pct(g.lendersLossUsd, "lendersLossUsd") }];
  });
  return [...spot, ...shares];
}

/** The watched position's label and health factors per drawn block (null: no value that block). */
export interface WatchedSeries {
  label: string;
  healthFactor: (number | null)[];
  marketHealthFactor: (number | null)[];
  beforeLiquidations: (number | null)[];
}

/** From the drawn blocks' `watched`; null when no block watches a position. */
export function watchedSeries(drawn: readonly BlockRecord[]): WatchedSeries | null {
  const id = drawn.find((b) => b.watched !== null)?.watched;
  if (id === undefined || id === null) return null;
  const series = (pick: (w: NonNullable<BlockRecord["watched"]>) => bigint | null) =>
    drawn.map((b) => {
      const wad = b.watched === null ? null : pick(b.watched);
      return wad === null ? null : Number(formatUnits(wad, 18));
    });
  return {
    label: `${id.protocol}${id.market === null ? "" : ` ${id.market}`} ${id.borrower}`,
    healthFactor: series((w) => w.healthFactorWad),
    marketHealthFactor: series((w) => w.marketHealthFactorWad),
    beforeLiquidations: series((w) => w.healthFactorBeforeLiquidationsWad),
  };
}

function percentNumber(value: Decimal, path: string): number {
  return Number(formatDecimal(value.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN), path));
}
