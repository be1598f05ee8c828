/**
 * The Morpho Blue venue against the isolated mock on the same world: isolated-vs-pooled deployed with its
 * isolated protocol on liqsim's market and on the real Morpho Blue 1.0 reads the same block-0 view
 * (totals, oracle price, incentive factor, every position) through `IsolatedMarketLens` and our
 * `MorphoBlueLens`, values the positions identically, and names Morpho's markets by their bytes32 ids
 * (keccak256 of their MarketParams) in addresses.json.
 */
import { expect } from "chai";
import path from "node:path";
import { network } from "hardhat";
import { Chain, deployWorld, loadScenarioFile } from "../../simulator";
import { worldAddresses } from "../../simulator/cli/deploy";
import { Observer } from "../../simulator/observe/observer";
import { withImplementation, type Scenario } from "../../simulator/scenario";
import { UsdScale, type IsolatedProtocolView, type ObservedState } from "../../simulator/state";
import { venueOf } from "../../simulator/venues";
import { morphoMarketId } from "../../simulator/world";

const SCENARIO = path.join(__dirname, "..", "..", "scenarios", "isolated-vs-pooled.json");

async function observe(scenario: Scenario) {
  const snapshot = (await network.provider.send("evm_snapshot")) as string;
  try {
    const world = await deployWorld(await Chain.connect(), scenario);
    const state: ObservedState = await new Observer(world).read(0);
    const view = state.protocols.get("morpho");
    if (view?.kind !== "isolated") throw new Error("no morpho view");
    return { world, state, view, addresses: (worldAddresses(world, 0n).protocols as Record<string, unknown>).morpho };
  } finally {
    await network.provider.send("evm_revert", [snapshot]);
  }
}

describe("venues: Morpho Blue 1.0", function () {
  this.timeout(300_000);

  it("reads the same block-0 markets and positions as the mock, through its own lens", async () => {
    const mock = loadScenarioFile(SCENARIO);
    const real: Scenario = { ...mock, protocols: mock.protocols.map((p) => (p.type === "isolated" ? withImplementation(p, "real") : p)) };
    const a = await observe(mock);
    const b = await observe(real);
    expect(b.view.venue).to.equal("morpho-blue-1.0");
    const strip = (v: IsolatedProtocolView) => v.markets.map((m) => ({ ...m, state: { ...m.state, lastUpdate: 0n } }));
    expect(strip(b.view)).to.deep.equal(strip(a.view));
    // 15 positions in each market, with the deployer's supply (no collateral, no debt) left out.
    expect(b.view.markets.map((m) => m.positions.size)).to.deep.equal([15, 15]);
    expect(b.view.markets[0]?.lifWad).to.equal(a.view.markets[0]?.lifWad);

    const p = b.world.protocols.get("morpho");
    if (p?.kind !== "morpho-blue-1.0" || p.markets.some((m) => m.morpho === null)) throw new Error("no Morpho markets");
    expect(b.addresses).to.deep.equal({
      type: "isolated",
      implementation: "morpho-blue-1.0",
      morpho: p.market.address,
      markets: p.markets.map((m) => ({ id: m.morpho && morphoMarketId(m.morpho.params), market: m.key })),
    });

    // Valued at the feeds' answers as market prices: each position's health, debt and collateral value.
    const context = (s: ObservedState) => ({ name: "morpho", usd: new UsdScale([18, 6]), feeds: s.feeds, timestamp: s.timestamp, market: (symbol: string) => s.feeds.get(symbol)?.answer ?? 0n });
    const health = (values: { key: string; healthFactorWad: bigint; liquidatable: boolean; debtScaled: bigint; collateralScaled: bigint }[]) =>
      values.map((v) => [v.key, v.healthFactorWad, v.liquidatable, v.debtScaled, v.collateralScaled]);
    const values = health(venueOf("morpho-blue-1.0").valuePositions(context(b.state), b.view));
    expect(values).to.have.length(30);
    expect(values).to.deep.equal(health(venueOf("isolated").valuePositions(context(a.state), a.view)));
  });
});
