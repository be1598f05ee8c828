/**
 * The winners' shares of one loss for result.json (`losses[].shares`, for the protocols whose venue reports
 * a loss waterfall): who absorbed what of it, in the order taken. An auto-deleveraged share names the size
 * closed and the price it closed at; a socialized one the winners' total positive PnL it was taken from pro
 * rata (so `amount / winnersProfit` is the haircut's share of each winner's profit).
 */
import type { LossShareAbsorber } from "../state";
import type { LossShareRecord } from "../observe/types";
import { formatDecimal, formatE8 } from "./format";

export interface LossShareJson {
  account: string;
  absorber: LossShareAbsorber;
  /** Given up, the loss's asset in native units (a decimal string). */
  amount: string;
  amountUsd: string;
  /** autoDeleveraged only: the size closed (the venue's size unit, a perp market's 18 decimals, as a string). */
  size?: string;
  /** autoDeleveraged only: the price it closed at (USD, exact; a perp's bankruptcy price). */
  priceUsd?: string;
  /** socialized only: Σ of the winners' positive PnL the loss's haircuts are taken from, native units. */
  winnersProfit?: string;
}

export function lossSharesJson(shares: readonly LossShareRecord[], path: string): LossShareJson[] {
  return shares.map((s, i) => ({
    account: s.account,
    absorber: s.by,
    amount: s.amount.toString(),
    amountUsd: formatDecimal(s.amountUsd, `${path}[${i}].amountUsd`),
    ...(s.closed ? { size: s.closed.size.toString(), priceUsd: formatE8(s.closed.priceE8) } : {}),
    ...(s.winnersProfit !== undefined ? { winnersProfit: s.winnersProfit.toString() } : {}),
  }));
}
