/**
 * `--check`: after a block, the invariants of ARCHITECTURE.md against the chain, and the engine's
 * off-chain view (its bigint model of every position) against the contracts' own views, exactly. Each
 * venue checks its protocols' state and its liquidations (`Venue.checkState`, `Venue.checkLiquidation`:
 * simulator/venues/<kind>/invariants.ts); here, in addition, per agent balance in the engine's view (kept
 * between the Transfers that name the agent): == `balanceOf`.
 */
import type { Address } from "viem";
import type { ObservedState } from "../state";
import { venueOf, type InvariantContext } from "../venues";
import { BatchRead, type BatchSlot, type World } from "../world";
import type { LiquidationRecord } from "./types";

/** An invariant that did not hold; the run stops with it. */
export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation";
  constructor(
    readonly block: number,
    readonly invariant: string,
    readonly values: Record<string, string>,
  ) {
    super(`block ${block}: ${invariant} (${Object.entries(values).map(([k, v]) => `${k} ${v}`).join(", ")})`);
  }
}

/**
 * Checks block `block`; `badDebtEvents` is the cumulative sum of the venues' bad-debt events per
 * `${protocol}/${asset symbol or market key}` seen so far. Throws `InvariantViolation` on the first failure.
 */
export async function checkInvariants(
  world: World,
  block: number,
  state: ObservedState,
  liquidations: readonly LiquidationRecord[],
  badDebtEvents: ReadonlyMap<string, bigint>,
): Promise<void> {
  const fail = (invariant: string, values: Record<string, bigint | string | number | boolean>): never => {
    throw new InvariantViolation(block, invariant, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
  };
  const context: InvariantContext = { world, state, badDebtEvents, fail };
  for (const [name, p] of world.protocols) {
    const view = state.protocols.get(name);
    if (!view) fail("protocol observed", { protocol: name });
    else await venueOf(p.spec.venue).checkState(context, name, p, view);
  }
  for (const l of liquidations) {
    const p = world.protocols.get(l.protocol);
    if (p) venueOf(p.spec.venue).checkLiquidation(context, p, l);
  }
  await checkBalances(world, state, fail);
}

/** The agents' balances the engine keeps between Transfers (Observer.read) == the tokens', read in one call. */
async function checkBalances(world: World, state: ObservedState, fail: InvariantContext["fail"]): Promise<void> {
  const batch = new BatchRead(world.chain, world.multicall);
  const balances: { holder: Address; symbol: string; kept: bigint; slot: BatchSlot<bigint> }[] = [];
  for (const [key, kept] of state.balances) {
    const cut = key.indexOf("/");
    const holder = key.slice(0, cut) as Address;
    const symbol = key.slice(cut + 1);
    const token = world.assets.get(symbol)?.token;
    if (token) balances.push({ holder, symbol, kept, slot: batch.add(token, "balanceOf", [holder]) });
  }
  await batch.run();
  for (const { holder, symbol, kept, slot } of balances) {
    const onChain = slot.value();
    if (onChain !== kept) fail("an agent's balance in the engine's view == the token's", { holder, token: symbol, engine: kept, chain: onChain ?? "unreadable" });
  }
}
