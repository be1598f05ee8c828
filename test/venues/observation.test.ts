/**
 * The observer's venue-specific half through `Venue`: each venue's reader keeps its protocol's position
 * index (a read naming no account gives the same views as a full read), refuses another kind's
 * protocol, and each venue's valuation agrees with itself: with market prices equal to the feeds'
 * answers, a position's health at market equals its health at oracle prices, and its revaluation
 * (`PositionRevaluation`) at the same prices gives back the same figures.
 */
import { expect } from "chai";
import path from "node:path";
import { network } from "hardhat";
import { Chain, deployWorld, loadScenarioFile } from "../../simulator";
import { Observer } from "../../simulator/observe/observer";
import { UsdScale, type ObservedState } from "../../simulator/state";
import { venueOf } from "../../simulator/venues";
import type { World } from "../../simulator/world";

const SCENARIO = path.join(__dirname, "..", "..", "scenarios", "isolated-vs-pooled.json");

function valuesAtOracle(world: World, state: ObservedState, name: string) {
  const deployed = world.protocols.get(name);
  const view = state.protocols.get(name);
  if (!deployed || !view) throw new Error(`isolated-vs-pooled has no ${name}`);
  const answer = (feed: string) => state.feeds.get(feed)?.answer ?? 0n;
  const usd = new UsdScale([...world.assets.values()].map((a) => a.spec.decimals));
  const context = { name, usd, feeds: state.feeds, timestamp: state.timestamp, market: answer };
  return { values: venueOf(deployed.spec.venue).valuePositions(context, view), view, answer, context, deployed };
}

describe("venues: the observer's read and valuation", () => {
  it("reader and valuation of isolated-vs-pooled at block 0", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    try {
      const world = await deployWorld(await Chain.connect(), loadScenarioFile(SCENARIO));
      const observer = new Observer(world);
      const full = await observer.read(0);
      // No receipts: no account is named, every position and balance comes from the index and the cache.
      const again = await observer.read(0, []);
      expect(again.protocols).to.deep.equal(full.protocols);
      expect(again.balances).to.deep.equal(full.balances);

      const aave = valuesAtOracle(world, full, "aave");
      const morpho = valuesAtOracle(world, full, "morpho");
      if (aave.view.kind !== "pooled" || morpho.view.kind !== "isolated") throw new Error("isolated-vs-pooled changed");
      expect(aave.values.map((v) => v.borrower)).to.deep.equal([...aave.view.users.keys()]);
      expect(morpho.values.length).to.equal(morpho.view.markets.reduce((n, m) => n + m.positions.size, 0));
      const withDebt = [...aave.values, ...morpho.values].filter((v) => v.hasDebt);
      expect(withDebt.length).to.be.greaterThan(0);
      for (const v of withDebt) {
        const answer = v.protocol === "aave" ? aave.answer : morpho.answer;
        expect(v.marketHealthFactorWad, v.key).to.equal(v.healthFactorWad);
        expect(v.revaluation.healthAtMarket(answer), v.key).to.equal(v.healthFactorWad);
        expect(v.revaluation.healthWith((_feed, a) => a, full.timestamp), v.key).to.equal(v.healthFactorWad);
        expect(v.revaluation.liquidatableWith((_feed, a) => a), v.key).to.equal(v.liquidatable);
        // Half the answer of a feed that hurts the position by falling (its collateral's): health falls.
        const collateralFeed = v.feeds.find((f) => f.adverse === 1)?.feed;
        const halved = v.revaluation.healthWith((feed, a) => (feed === collateralFeed ? a / 2n : a), full.timestamp);
        expect(halved !== null && halved < v.healthFactorWad, v.key).to.equal(true);
      }
      expect(aave.values.find((v) => v.hasDebt)?.healthFactorWad).to.equal(aave.view.accounts.get(aave.values.find((v) => v.hasDebt)?.borrower ?? "0x")?.healthFactor);

      // Another kind's view: nothing to value; another kind's protocol: no reader.
      expect(venueOf("isolated").valuePositions(aave.context, aave.view)).to.deep.equal([]);
      expect(() => venueOf("pooled").reader({ world, name: "morpho", deployed: morpho.deployed })).to.throw("internal: morpho is not a pooled protocol");
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
    }
  });
});
