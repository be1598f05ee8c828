/**
 * Runs a built-in scenario (`scenarios/<name>.json`) on a snapshot of the in-process Hardhat chain with
 * `--check` on (every invariant and the engine's model against the contracts, after every block), and
 * restores the chain afterwards. `inspect` may read the chain before it is restored.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import path from "node:path";
import { network } from "hardhat";
import { loadScenarioFile, resultOf, runScenario, type RunOutput, type RunResultJson, type Scenario } from "../../simulator";

export const SCENARIOS_DIR = path.join(__dirname, "..", "..", "scenarios");

export function scenarioFile(name: string): string {
  return path.join(SCENARIOS_DIR, `${name}.json`);
}

/**
 * Every position belongs to a borrower or looper group, so the groups' lenders' losses add up to the
 * run's bad debt, recorded plus latent (each figure is rounded to 8 places, hence the tolerance).
 */
export function expectGroupsAccountForBadDebt(result: RunResultJson): void {
  const lenders = result.summary.groups.reduce((sum, g) => sum.plus(g.lendersLossUsd), new Decimal(0));
  const tolerance = new Decimal("0.00000001").mul(result.summary.groups.length + 1);
  expect(lenders.minus(result.summary.badDebt.totalUsd).abs().lte(tolerance), `groups' lenders' loss ${lenders} vs bad debt ${result.summary.badDebt.totalUsd}`).to.equal(true);
  for (const g of result.summary.groups) {
    expect(new Decimal(g.borrowerLossUsd).plus(g.lendersLossUsd).minus(g.lossUsd).abs().lte("0.00000002"), `${g.name}: loss = borrower + lenders`).to.equal(true);
  }
}

export interface ScenarioRun<T> {
  out: RunOutput;
  result: RunResultJson;
  extra: T;
}

/** Runs `body` on a snapshot of the in-process chain and restores the chain (and automine) afterwards. */
export async function onSnapshot<T>(body: () => Promise<T>): Promise<T> {
  const snapshot = (await network.provider.send("evm_snapshot")) as string;
  try {
    return await body();
  } finally {
    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("evm_setAutomine", [true]);
  }
}

/**
 * Resets the in-process chain to its configured genesis, as a user's `npm run simulate` finds it. Exact
 * figures depend on it: contract addresses follow the deployer's nonce, and an address's zero bytes
 * change calldata gas, hence liquidators' profit after gas. Earlier test files may leave state behind
 * (a fixture's deployments), so a lesson test does not run on whatever they left.
 */
export async function freshChain(): Promise<void> {
  await network.provider.send("hardhat_reset", []);
}

/** Runs `name` (optionally edited by `edit`, e.g. a parameter changed for a control run). */
export async function runBuiltInScenario<T = null>(
  name: string,
  options: { edit?: (s: Scenario) => Scenario; inspect?: (out: RunOutput) => Promise<T> } = {},
): Promise<ScenarioRun<T>> {
  await freshChain();
  return onSnapshot(async () => {
    const loaded = loadScenarioFile(scenarioFile(name));
    const scenario = options.edit ? options.edit(loaded) : loaded;
    const out = await runScenario(scenario, { check: true });
    expect(out.complete, out.error).to.equal(true);
    const extra = options.inspect ? await options.inspect(out) : (null as T);
    const result = resultOf(out);
    expectGroupsAccountForBadDebt(result);
    return { out, result, extra };
  });
}
