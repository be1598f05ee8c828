/**
 * A protocol's loss waterfall for result.json (`summary.protocols.<name>.waterfall`), for the venues that
 * report one (`Venue.lossWaterfall`: a perp exchange): the shortfalls beyond the accounts' margins, what
 * each step paid (insurance fund, the last resort's winners, the vault's deficit, the traders' debts), and
 * each account the last resort took PnL from, with what it gave up. USD at each event's block. A
 * socialized loss also states its haircut: Σ haircuts / Σ the winners' positive PnL they were taken from.
 */
import type Decimal from "decimal.js";
import { Dec, type LossShareAbsorber } from "../state";
import type { Address, LossRecord, LossShareRecord } from "../observe/types";
import { formatDecimal } from "./format";

export interface WaterfallWinnerJson {
  account: Address;
  by: LossShareAbsorber;
  /** Σ given up, the protocol's collateral in native units. */
  amount: string;
  amountUsd: string;
  /** How many closes or haircuts took it. */
  times: number;
}

/**
 * Over the protocol's socialized losses: `amount` = Σ haircuts and `winnersProfit` = Σ, per loss, the
 * winners' total positive PnL at mark it was taken from (both the collateral token, native units, exact);
 * `pct` = amount / winnersProfit × 100 (percent, 8 decimals): what each winner gave up of its profit,
 * the same share for all of one loss up to the contract's rounding down (1 native unit each).
 */
export interface SocializedHaircutJson {
  amount: string;
  winnersProfit: string;
  pct: string;
}

export interface WaterfallJson {
  /** Losses beyond the margins (`losses[]` of this protocol). */
  shortfalls: number;
  shortfallUsd: string;
  insuranceFundUsd: string;
  autoDeleveragedUsd: string;
  socializedUsd: string;
  /** The socialized haircut as a share of the winners' profit; null when nothing was socialized. */
  socializedHaircut: SocializedHaircutJson | null;
  /** Left to the venue (a perp vault's bad debt). */
  deficitUsd: string;
  /** Left as the traders' negative balances (no negative balance protection). */
  owedByTraderUsd: string;
  unabsorbedUsd: string;
  /** The accounts the last resort took from, in the order first taken from. */
  winners: WaterfallWinnerJson[];
}

interface Winner {
  account: Address;
  by: LossShareAbsorber;
  amount: bigint;
  usd: Decimal;
  times: number;
}

export function waterfallJson(protocol: string, losses: readonly LossRecord[], shares: readonly LossShareRecord[], path: string): WaterfallJson {
  const own = losses.filter((l) => l.protocol === protocol);
  const sum = (f: (l: LossRecord) => Decimal) => own.reduce((total, l) => total.plus(f(l)), new Dec(0));
  const usd = (value: Decimal, field: string) => formatDecimal(value, `${path}.${field}`);
  const winners = new Map<string, Winner>();
  for (const s of shares.filter((x) => x.protocol === protocol)) {
    const key = `${s.by}/${s.account}`;
    const w = winners.get(key) ?? { account: s.account, by: s.by, amount: 0n, usd: new Dec(0), times: 0 };
    winners.set(key, { ...w, amount: w.amount + s.amount, usd: w.usd.plus(s.amountUsd), times: w.times + 1 });
  }
  return {
    shortfalls: own.length,
    shortfallUsd: usd(sum((l) => l.amountUsd), "shortfallUsd"),
    insuranceFundUsd: usd(sum((l) => l.absorbedBy.insuranceFund.usd), "insuranceFundUsd"),
    autoDeleveragedUsd: usd(sum((l) => l.absorbedBy.autoDeleveraged.usd), "autoDeleveragedUsd"),
    socializedUsd: usd(sum((l) => l.absorbedBy.socialized.usd), "socializedUsd"),
    socializedHaircut: socializedHaircut(own, `${path}.socializedHaircut`),
    deficitUsd: usd(sum((l) => l.absorbedBy.deficit.usd), "deficitUsd"),
    owedByTraderUsd: usd(sum((l) => l.absorbedBy.owedByTrader.usd), "owedByTraderUsd"),
    unabsorbedUsd: usd(sum((l) => l.unabsorbed.usd), "unabsorbedUsd"),
    winners: [...winners.values()].map((w, i) => ({
      account: w.account,
      by: w.by,
      amount: w.amount.toString(),
      amountUsd: usd(w.usd, `winners[${i}].amountUsd`),
      times: w.times,
    })),
  };
}

/**
 * Σ socialized haircuts and Σ the winners' profit they were taken from (each loss's `winnersProfit` once),
 * native units, and the percent (amount / winnersProfit × 100); null when nothing was socialized.
 */
export function haircutOf(losses: readonly LossRecord[]): { amount: bigint; winnersProfit: bigint; pct: Decimal } | null {
  let amount = 0n;
  let winnersProfit = 0n;
  for (const l of losses) {
    const shares = (l.shares ?? []).filter((x) => x.by === "socialized");
    amount += shares.reduce((total, x) => total + x.amount, 0n);
    winnersProfit += shares[0]?.winnersProfit ?? 0n;
  }
  if (winnersProfit === 0n) return null;
  return { amount, winnersProfit, pct: new Dec(amount.toString()).times(100).div(winnersProfit.toString()) };
}

/** See SocializedHaircutJson. */
function socializedHaircut(losses: readonly LossRecord[], path: string): SocializedHaircutJson | null {
  const h = haircutOf(losses);
  return h && { amount: h.amount.toString(), winnersProfit: h.winnersProfit.toString(), pct: formatDecimal(h.pct, `${path}.pct`) };
}
