/**
 * Who absorbs a loss that no collateral covers, in one vocabulary for every venue (docs/venues.md):
 * - `reserves`: the lending protocol's reserves (the pooled venue's protocol share);
 * - `insuranceFund`: a venue's insurance fund (a perp exchange's);
 * - `suppliers`: a haircut realized on the lenders' balances (the pooled venue after its reserves, an isolated market);
 * - `deficit`: booked as an outstanding deficit, nobody's loss yet (Aave 3.3+'s reserve deficit);
 * - `autoDeleveraged`: taken from opposite positions closed at the bankruptcy price;
 * - `socialized`: a pro-rata haircut on traders' positive PnL;
 * - `owedByTrader`: left as the trader's negative balance (no negative balance protection).
 */
export const LOSS_ABSORBERS = ["reserves", "insuranceFund", "suppliers", "deficit", "autoDeleveraged", "socialized", "owedByTrader"] as const;

export type LossAbsorber = (typeof LOSS_ABSORBERS)[number];

/** Parts of one loss by who absorbed them, native units of the loss's asset; an absent absorber took nothing. */
export type LossAbsorption = Partial<Record<LossAbsorber, bigint>>;

/** `make(absorber)` for every absorber, keyed in LOSS_ABSORBERS order (records keep every absorber, zeros too). */
export function byAbsorber<T>(make: (by: LossAbsorber) => T): Record<LossAbsorber, T> {
  return Object.fromEntries(LOSS_ABSORBERS.map((by) => [by, make(by)])) as Record<LossAbsorber, T>;
}
