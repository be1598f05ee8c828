/**
 * Bad debt as the records keep it: each write-off with its USD values at the block's market prices,
 * and each protocol's running totals of what was recorded, absorbed by reserves and socialized.
 */
import type Decimal from "decimal.js";
import { Dec, type LossAbsorber, type LossAbsorption } from "../state";
import type { VenueEvent } from "../venues";
import type { World } from "../world";
import type { BadDebtRecord } from "./types";

/** A write-off as the records keep it: its amounts and their USD values at the block's market prices. */
export function badDebtRecord(block: number, loss: Extract<VenueEvent, { type: "loss" }>["loss"], usd: (amount: bigint) => Decimal): BadDebtRecord {
  const amountUsd = usd(loss.amount);
  const part = (amount: bigint) => (amount === 0n ? new Dec(0) : amount === loss.amount ? amountUsd : usd(amount));
  const { protocol, market, asset, borrower, amount } = loss;
  const coveredByReserves = byReserves(loss.absorbed);
  const socializedToSuppliers = loss.absorbed.suppliers ?? 0n;
  return {
    block,
    protocol,
    market,
    asset,
    borrower,
    amount,
    coveredByReserves,
    socializedToSuppliers,
    amountUsd,
    coveredByReservesUsd: part(coveredByReserves),
    socializedToSuppliersUsd: part(socializedToSuppliers),
  };
}

/** Schema 1's "covered by reserves": the reserves' or an insurance fund's part. */
function byReserves(absorbed: LossAbsorption): bigint {
  return (absorbed.reserves ?? 0n) + (absorbed.insuranceFund ?? 0n);
}

/** Part of a write-off absorbed after it was recorded (a later event of the same receipt). */
export function absorb(record: BadDebtRecord, by: LossAbsorber, amount: bigint, amountUsd: Decimal): void {
  if (by === "reserves" || by === "insuranceFund") {
    record.coveredByReserves = amount;
    record.coveredByReservesUsd = amountUsd;
  } else if (by === "suppliers") {
    record.socializedToSuppliers = amount;
    record.socializedToSuppliersUsd = amountUsd;
  }
}

/** A protocol's bad debt so far, USD at each write-off's block. */
export interface BadDebtTotal {
  recorded: Decimal;
  absorbed: Decimal;
  socialized: Decimal;
}

/** Each protocol's running totals of its write-offs. */
export class BadDebtTotals {
  private readonly totals = new Map<string, BadDebtTotal>();

  constructor(world: World) {
    for (const name of world.protocols.keys()) this.totals.set(name, { recorded: new Dec(0), absorbed: new Dec(0), socialized: new Dec(0) });
  }

  add(records: readonly BadDebtRecord[]): void {
    for (const b of records) {
      const c = this.totals.get(b.protocol);
      if (!c) continue;
      c.recorded = c.recorded.plus(b.amountUsd);
      c.absorbed = c.absorbed.plus(b.coveredByReservesUsd);
      c.socialized = c.socialized.plus(b.socializedToSuppliersUsd);
    }
  }

  of(protocol: string): BadDebtTotal | undefined {
    return this.totals.get(protocol);
  }
}
