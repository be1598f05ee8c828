/**
 * Reuses a deployed world for another run: a sweep or a Monte Carlo path varies what happens to a
 * world (prices, keepers, events, agents' policies), not the world itself. The caller reverts the chain
 * to a snapshot taken right after `deployWorld`, then runs the new scenario on the same accounts and
 * contracts.
 */
import type { Scenario } from "../scenario/types";
import type { World } from "./types";

/** Thrown when a scenario would need a different deployment than the world has. */
export class WorldMismatchError extends Error {
  override readonly name = "WorldMismatchError";
  constructor(readonly field: string) {
    super(`the deployed world cannot run this scenario: its ${field} are not the world's (deploy a new world for it)`);
  }
}

/**
 * What `deployWorld` builds from a scenario: tokens and prices at block 0, protocols, pairs, feeds,
 * the seed that draws the positions, and every account with its tokens. Keeper policies, market paths,
 * events, block counts and agents' policies are not in it.
 */
function deployment(s: Scenario): Record<string, unknown> {
  return {
    seed: s.seed,
    startTimestamp: s.startTimestamp,
    assets: s.assets,
    protocols: s.protocols,
    amms: s.amms,
    oracles: s.oracles,
    borrowers: s.borrowers,
    liquidators: s.liquidators.map((l) => ({ name: l.name, count: l.count, capital: l.capital, atomicVia: l.atomicVia })),
    arbitrageurs: s.arbitrageurs.map((a) => ({ name: a.name, amm: a.amm, capitalUsdE8: a.capitalUsdE8 })),
    loopers: s.loopers.map((l) => ({ name: l.name, count: l.count, collateral: l.collateral, debt: l.debt, amm: l.amm, legs: l.legs, depositUsdE8: l.depositUsdE8 })),
  };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

/** Whether `a` and `b` need the same deployment: a world deployed from one can run the other (`rebindWorld`). */
export function sameDeployment(a: Scenario, b: Scenario): boolean {
  return canonical(deployment(a)) === canonical(deployment(b));
}

/**
 * `world` with `scenario` in place of the scenario it was deployed from, and every agent's policy taken
 * from `scenario` (matched by group name). Throws `WorldMismatchError` naming the first section whose
 * deployment differs.
 */
export function rebindWorld(world: World, scenario: Scenario): World {
  const deployed = deployment(world.scenario);
  const wanted = deployment(scenario);
  for (const field of Object.keys(wanted)) {
    if (canonical(deployed[field]) !== canonical(wanted[field])) throw new WorldMismatchError(field);
  }
  const byName = <T extends { name: string }>(list: readonly T[], name: string): T => {
    const found = list.find((x) => x.name === name);
    if (!found) throw new WorldMismatchError(`groups (no group ${name})`);
    return found;
  };
  return {
    ...world,
    scenario,
    liquidators: world.liquidators.map((l) => ({ ...l, spec: byName(scenario.liquidators, l.spec.name) })),
    arbitrageurs: world.arbitrageurs.map((a) => ({ ...a, minGapBps: byName(scenario.arbitrageurs, a.name).minGapBps })),
    loopers: world.loopers.map((l) => ({ ...l, spec: byName(scenario.loopers, l.spec.name) })),
  };
}
