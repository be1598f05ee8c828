/**
 * Losses as the records keep them: each write-off with what every absorber took (state/loss.ts), in
 * native units and in USD at the block's market prices, and each protocol's running totals.
 */
import type Decimal from "decimal.js";
import { byAbsorber, Dec, LOSS_ABSORBERS, type LossAbsorber } from "../state";
import type { VenueEvent } from "../venues";
import type { World } from "../world";
import type { LossPart, LossRecord } from "./types";

/** A loss's asset amount in USD at its block's market prices. */
export type LossUsd = (amount: bigint) => Decimal;

/** A write-off as the records keep it: every absorber's part (zero when it took nothing) and the rest, unabsorbed. */
export function lossRecord(block: number, loss: Extract<VenueEvent, { type: "loss" }>["loss"], usd: LossUsd): LossRecord {
  const { protocol, market, asset, borrower, amount } = loss;
  const amountUsd = usd(amount);
  const record: LossRecord = {
    block,
    protocol,
    market,
    asset,
    borrower,
    amount,
    amountUsd,
    absorbedBy: byAbsorber(() => ({ amount: 0n, usd: new Dec(0) })),
    unabsorbed: { amount, usd: amountUsd },
  };
  for (const by of LOSS_ABSORBERS) {
    const part = loss.absorbed[by];
    if (part !== undefined) record.absorbedBy[by] = lossPart(record, part, usd);
  }
  record.unabsorbed = unabsorbed(record, usd);
  return record;
}

/** Part of a write-off absorbed after it was recorded (a later event of the same receipt): `by` took `amount`. */
export function absorb(record: LossRecord, by: LossAbsorber, amount: bigint, usd: LossUsd): void {
  record.absorbedBy[by] = lossPart(record, amount, usd);
  record.unabsorbed = unabsorbed(record, usd);
}

/** A part of the loss; the loss's own USD value when it is all of it, so the parts of a whole add up exactly. */
function lossPart(record: LossRecord, amount: bigint, usd: LossUsd): LossPart {
  return { amount, usd: amount === 0n ? new Dec(0) : amount === record.amount ? record.amountUsd : usd(amount) };
}

/** amount − Σ absorbed parts. */
function unabsorbed(record: LossRecord, usd: LossUsd): LossPart {
  const absorbed = LOSS_ABSORBERS.reduce((sum, by) => sum + record.absorbedBy[by].amount, 0n);
  return lossPart(record, record.amount - absorbed, usd);
}

/** A protocol's losses so far, USD at each write-off's block. */
export interface LossTotal {
  recorded: Decimal;
  absorbedBy: Record<LossAbsorber, Decimal>;
  unabsorbed: Decimal;
}

/** Each protocol's running totals of its write-offs. */
export class LossTotals {
  private readonly totals = new Map<string, LossTotal>();

  constructor(world: World) {
    for (const name of world.protocols.keys()) {
      this.totals.set(name, { recorded: new Dec(0), absorbedBy: byAbsorber(() => new Dec(0)), unabsorbed: new Dec(0) });
    }
  }

  add(records: readonly LossRecord[]): void {
    for (const b of records) {
      const c = this.totals.get(b.protocol);
      if (!c) continue;
      c.recorded = c.recorded.plus(b.amountUsd);
      for (const by of LOSS_ABSORBERS) c.absorbedBy[by] = c.absorbedBy[by].plus(b.absorbedBy[by].usd);
      c.unabsorbed = c.unabsorbed.plus(b.unabsorbed.usd);
    }
  }

  of(protocol: string): LossTotal | undefined {
    return this.totals.get(protocol);
  }
}
