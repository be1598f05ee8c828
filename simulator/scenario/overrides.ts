/**
 * What a command line may change in a parsed scenario for one run: its seed, its length and the code its
 * protocols run on. Shared by `simulate`, `montecarlo` and `sweep` (and so by every variant of a sweep).
 */
import { scenarioKind } from "./kinds";
import { checkRealCode } from "./realCode";
import type { Implementation, ProtocolSpec, Scenario } from "./types";

/** The run overrides: `--seed`, `--blocks` and `--implementation`. */
export interface ScenarioOverrides {
  seed?: bigint | undefined;
  blocks?: number | undefined;
  implementation?: Implementation | undefined;
}

/** The scenario with `seed`, `blocks` and every protocol's venue replaced; a shorter run's windows are cut to it (`clipToBlocks`). */
export function applyOverrides(scenario: Scenario, overrides: ScenarioOverrides): Scenario {
  const out: Scenario = { ...scenario };
  if (overrides.seed !== undefined) out.seed = overrides.seed;
  const implementation = overrides.implementation;
  if (implementation !== undefined) {
    out.protocols = scenario.protocols.map((p) => withImplementation(p, implementation));
    checkRealCode(out);
  }
  if (overrides.blocks !== undefined) return clipToBlocks({ ...out, blocks: overrides.blocks }, overrides.blocks);
  return out;
}

/**
 * Cuts outage and event windows to a shorter run: a window reaching past the last block ends there,
 * one starting after it is dropped. (Market paths need no cut: they are computed up to the last block.)
 */
export function clipToBlocks(scenario: Scenario, blocks: number): Scenario {
  const clip = <T extends { fromBlock: number; toBlock: number }>(w: T): T | null =>
    w.fromBlock > blocks ? null : { ...w, toBlock: Math.min(w.toBlock, blocks) };
  return {
    ...scenario,
    feeds: scenario.feeds.map((f) => ({ ...f, outages: f.outages.map(clip).filter((w): w is NonNullable<typeof w> => w !== null) })),
    events: scenario.events.map(clip).filter((e): e is NonNullable<typeof e> => e !== null),
  };
}

/** The protocol run on liqsim's mock of its type (`mock`), or on the real protocol of its type (`real`): Aave V3.6 for pooled, Morpho Blue 1.0 for isolated. */
export function withImplementation(protocol: ProtocolSpec, implementation: Implementation): ProtocolSpec {
  return scenarioKind(protocol.type).withImplementation(protocol, implementation);
}
