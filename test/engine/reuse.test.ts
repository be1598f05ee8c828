/**
 * One deployed world, many runs: after `deployWorld` and a snapshot, each run reverts to the snapshot
 * and reuses the world (`runScenario(..., { world })`). prompt-keepers, late-keepers and price-gap
 * share one deployment (same seed, positions, protocol, agents' accounts) and differ in prices and in
 * the keepers' delay, so each reused run must give exactly the result.json of its own fresh run.
 */
import { expect } from "chai";
import path from "node:path";
import { onSnapshot } from "../helpers/scenarioRun";
import { Chain, WorldMismatchError, deployWorld, formatRunResultJson, loadScenarioFile, resultOf, runScenario, type Scenario } from "../../simulator";

const SCENARIOS = path.join(__dirname, "..", "..", "scenarios");
const load = (name: string): Scenario => loadScenarioFile(path.join(SCENARIOS, `${name}.json`));


describe("reusing a deployed world (snapshot/revert)", function () {
  this.timeout(300_000);
  const names = ["prompt-keepers", "late-keepers", "price-gap"];

  it("three scenarios on one deployment give byte-for-byte the results of three fresh deployments", async () => {
    const fresh = new Map<string, string>();
    for (const name of names) {
      fresh.set(name, await onSnapshot(async () => formatRunResultJson(resultOf(await runScenario(load(name), { check: true })))));
    }
    const reused = await onSnapshot(async () => {
      const chain = await Chain.connect({});
      const world = await deployWorld(chain, load("prompt-keepers"));
      const out = new Map<string, string>();
      for (const name of names) {
        const deployed = await chain.snapshot();
        out.set(name, formatRunResultJson(resultOf(await runScenario(load(name), { world, check: true }))));
        await chain.revert(deployed);
      }
      return out;
    });
    for (const name of names) expect(reused.get(name), name).to.equal(fresh.get(name));
    // The three really differ: the comparison is not of three copies of one run.
    expect(new Set(fresh.values()).size).to.equal(3);
  });

  it("refuses a scenario that needs another deployment, naming what differs", async () => {
    await onSnapshot(async () => {
      const chain = await Chain.connect({});
      const world = await deployWorld(chain, load("prompt-keepers"));
      const other = load("amm-oracle-cascade");
      const err = await runScenario(other, { world }).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(WorldMismatchError);
      expect((err as Error).message).to.equal("the deployed world cannot run this scenario: its protocols are not the world's (deploy a new world for it)");
    });
  });
});
