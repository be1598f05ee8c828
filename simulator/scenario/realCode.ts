/**
 * What a scenario cannot do on the real protocols' code: loopers' vaults (`LeverageLooper`) call liqsim's
 * pool and market interfaces, not Aave's or Morpho's, so a looper's leg must be on a mock.
 */
import { ScenarioError, type ScenarioIssue } from "./errors";
import type { Scenario } from "./types";

/** Throws a `ScenarioError` naming each looper leg on a protocol that runs on real code. */
export function checkRealCode(scenario: Scenario): Scenario {
  const issues: ScenarioIssue[] = [];
  scenario.loopers.forEach((group, i) =>
    group.legs.forEach((leg, j) => {
      // A mock's venue id is its kind.
      const protocol = scenario.protocols.find((p) => p.name === leg);
      if (protocol !== undefined && protocol.venue !== protocol.type) {
        issues.push({ path: `loopers[${i}].legs[${j}]`, message: `${leg} runs on ${protocol.venue}: loopers' vaults call liqsim's mocks only` });
      }
    }),
  );
  if (issues.length > 0) throw new ScenarioError(issues);
  return scenario;
}
