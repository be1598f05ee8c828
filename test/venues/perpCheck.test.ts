/**
 * The perp venue's `--check` can fail: after perp-adl's run (every block passed, the 5x short partly
 * deleveraged), a view that disagrees with the exchange in one place is caught, naming the invariant:
 * a position's cost basis and an account's balance in the index, and bad debt beyond the shortfalls.
 */
import { expect } from "chai";
import path from "node:path";
import { network } from "hardhat";
import { loadScenarioFile, runScenario } from "../../simulator";
import { InvariantViolation, checkInvariants } from "../../simulator/observe/checkInvariants";
import { Observer } from "../../simulator/observe/observer";

const SCENARIO = path.join(__dirname, "..", "..", "scenarios", "perp-adl.json");

describe("perp venue: --check", function () {
  this.timeout(180_000);

  it("passes at the end of a real run, and catches an index or a balance that disagrees with the exchange", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    try {
      const out = await runScenario(loadScenarioFile(SCENARIO), { check: true });
      expect(out.complete, out.error).to.equal(true);
      const last = out.blocks.length;
      const events = new Map([["perp/WETH-USD", out.badDebt.reduce((s, b) => s + b.amount, 0n)]]);
      const fresh = async () => new Observer(out.world).read(last);
      await checkInvariants(out.world, last, await fresh(), [], events);

      // The 5x short's cost basis one unit off in the index.
      const state = await fresh();
      const view = state.protocols.get("perp");
      const p = out.world.protocols.get("perp");
      const short = p?.kind === "perp" ? p.traders.find((t) => t.name === "short-5x")?.address : undefined;
      const market = view?.kind === "perp" ? view.markets[0] : undefined;
      const position = short ? market?.positions.get(short) : undefined;
      if (!short || !market || !position) throw new Error("perp-adl changed");
      market.positions.set(short, { ...position, openNotional: position.openNotional + 1n });
      const err1 = await checkInvariants(out.world, last, state, [], events).then(() => null, (e: unknown) => e);
      expect(err1).to.be.instanceOf(InvariantViolation);
      expect((err1 as InvariantViolation).invariant).to.equal("perp WETH-USD: the index's position == the exchange's");

      // The 5x short's balance in the exchange (its realized ADL profit went there) off in the index.
      const state2 = await fresh();
      const view2 = state2.protocols.get("perp");
      if (view2?.kind !== "perp") throw new Error("no perp view");
      view2.balances.set(short, (view2.balances.get(short) ?? 0n) + 5n);
      const err2 = await checkInvariants(out.world, last, state2, [], events).then(() => null, (e: unknown) => e);
      expect((err2 as InvariantViolation).invariant).to.equal("perp: the index's balance == the exchange's");

      // Bad debt above what the Waterfall events reported.
      const none = new Map([["perp/WETH-USD", 0n]]);
      const state3 = await fresh();
      const view3 = state3.protocols.get("perp");
      if (view3?.kind !== "perp") throw new Error("no perp view");
      view3.badDebt = 1n;
      const err3 = await checkInvariants(out.world, last, state3, [], none).then(() => null, (e: unknown) => e);
      expect((err3 as InvariantViolation).invariant).to.equal("perp: bad debt <= sum of the Waterfall shortfalls");
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
  });
});
