/**
 * What code ran each protocol, for sweep.json and montecarlo.json (`implementations`): the scenario
 * file's `implementation` value after `--implementation` (docs/real-protocols.md).
 */
import type { ProtocolSpec } from "../scenario/types";

/** Protocol name → `"mock"` (liqsim's contract of its type) or the real protocol (`"aave-v3.6"`, `"morpho-blue-1.0"`), in scenario order. */
export type ImplementationsJson = Record<string, string>;

/** A mock's venue id is its type; a real protocol's is the file's `implementation` value. */
export function implementationsJson(protocols: readonly Pick<ProtocolSpec, "name" | "type" | "venue">[]): ImplementationsJson {
  return Object.fromEntries(protocols.map((p) => [p.name, p.venue === p.type ? "mock" : p.venue]));
}

/** The tables' line naming each protocol's code (`code      aave: aave-v3.6`), only when one runs on real code: a run on the mocks prints none. */
export function implementationsLines(implementations: ImplementationsJson): string[] {
  const entries = Object.entries(implementations);
  if (entries.every(([, code]) => code === "mock")) return [];
  return [`code      ${entries.map(([name, code]) => `${name}: ${code}`).join(", ")}`];
}
