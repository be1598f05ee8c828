/**
 * Defensive borrowers: once a position's health factor (at oracle prices) has been below
 * `belowHealthFactorWad` for `delayBlocks` blocks, the borrower repays debt or supplies more
 * collateral, from its wallet, up to `targetHealthFactorWad`. What to send is its venue's
 * (`Venue.defend`: simulator/venues/<kind>/defense.ts); the agent keeps the trigger counters and the
 * wallet its block's transactions draw on.
 */
import { min } from "../math";
import { balanceKey, type MarketView, type TxIntent } from "../state";
import { venueOf } from "../venues";
import type { BorrowerAccount, World } from "../world";

export const BORROWER_PRIORITY_FEE_WEI = 1_500_000_000n;

/** Consecutive blocks each defensive borrower has seen its HF below its trigger, per position. */
export type DefenseCounters = Map<string, number>;

export function defensiveBorrowerIntents(
  world: World,
  borrower: BorrowerAccount,
  view: MarketView,
  counters: DefenseCounters,
): TxIntent[] {
  const defense = borrower.group.defensive;
  if (!borrower.defensive || !defense) return [];
  const protocol = view.protocols.get(borrower.group.protocol);
  const deployed = world.protocols.get(borrower.group.protocol);
  if (!protocol || !deployed) return [];
  // The wallet this block's transactions draw on: one market's defense leaves less for the next.
  const wallet = new Map<string, bigint>();
  const take = (symbol: string, wanted: bigint): bigint => {
    const left = wallet.get(symbol) ?? view.balances.get(balanceKey(borrower.address, symbol)) ?? 0n;
    const amount = min(wanted, left);
    wallet.set(symbol, left - amount);
    return amount;
  };
  return venueOf(protocol.venue).defend({
    world,
    borrower,
    defense,
    view,
    protocol,
    deployed,
    triggered: (key, below) => triggered(counters, key, below, defense.delayBlocks),
    take,
    agent: `borrower:${borrower.address}`,
    priorityFeeWei: BORROWER_PRIORITY_FEE_WEI,
  });
}

/** Consecutive blocks below the trigger; true once the borrower acts (and the count restarts). */
function triggered(counters: DefenseCounters, key: string, below: boolean, delayBlocks: number): boolean {
  if (!below) {
    counters.set(key, 0);
    return false;
  }
  const seen = (counters.get(key) ?? 0) + 1;
  counters.set(key, seen);
  if (seen <= delayBlocks) return false;
  counters.set(key, 0);
  return true;
}
