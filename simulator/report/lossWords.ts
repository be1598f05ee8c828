/**
 * The narration's words for who absorbed a loss (state/loss.ts `LossAbsorber`). A loss that only the
 * lending absorbers took (reserves, then suppliers) keeps the lending sentences schema 1 had; any
 * other split is told part by part.
 */
import Decimal from "decimal.js";
import { LOSS_ABSORBERS, type LossAbsorber } from "../state";

/** "<amount> <words>": what each absorber's part is called. */
const TAKEN: Record<LossAbsorber, string> = {
  reserves: "from the protocol's reserves",
  insuranceFund: "from the insurance fund",
  suppliers: "from its suppliers",
  deficit: "booked as an outstanding deficit",
  autoDeleveraged: "from auto-deleveraged opposite positions",
  socialized: "socialized over traders' profits",
  owedByTrader: "left owed by the traders",
};

/** A table's heading for each absorber's part (the run summary's rows, the sweep's columns). */
export const ABSORBED_LABELS: Readonly<Record<LossAbsorber, string>> = {
  reserves: "absorbed by reserves",
  insuranceFund: "absorbed by insurance fund",
  suppliers: "socialized to suppliers",
  deficit: "booked as deficit",
  autoDeleveraged: "auto-deleveraged",
  socialized: "socialized to traders",
  owedByTrader: "owed by traders",
};

/** A table's heading for the part of a write-off nobody took. */
export const UNABSORBED_LABEL = "not absorbed";

/** USD per absorber and the part nobody took, as decimals or their JSON strings. */
export interface LossSplit {
  absorbed: Record<LossAbsorber, Decimal | string>;
  unabsorbed: Decimal | string;
}

/** Reserves' and suppliers' parts when nobody else took anything (the lending split), else null. */
export function lendingSplit(split: LossSplit): { reserves: Decimal; suppliers: Decimal } | null {
  const others = LOSS_ABSORBERS.filter((by) => by !== "reserves" && by !== "suppliers").map((by) => split.absorbed[by]);
  if (![...others, split.unabsorbed].every((v) => new Decimal(v.toString()).isZero())) return null;
  return { reserves: new Decimal(split.absorbed.reserves.toString()), suppliers: new Decimal(split.absorbed.suppliers.toString()) };
}

/** "$25,000 from the insurance fund, $1,200 left owed by the traders": nonzero parts in LOSS_ABSORBERS order, then the unabsorbed rest. */
export function splitText(split: LossSplit, usd: (value: Decimal) => string): string {
  const parts = LOSS_ABSORBERS.map((by): [Decimal, string] => [new Decimal(split.absorbed[by].toString()), TAKEN[by]]);
  parts.push([new Decimal(split.unabsorbed.toString()), "not absorbed by anyone yet"]);
  return parts
    .filter(([value]) => !value.isZero())
    .map(([value, words]) => `${usd(value)} ${words}`)
    .join(", ");
}
