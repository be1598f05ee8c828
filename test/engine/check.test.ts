/**
 * `--check` can fail: after a real run whose every block passed, a view of the state that disagrees
 * with the chain in one place is caught, naming the block, the invariant and the values.
 */
import { expect } from "chai";
import path from "node:path";
import { network } from "hardhat";
import { loadScenarioFile, runScenario } from "../../simulator";
import { InvariantViolation, checkInvariants } from "../../simulator/observe/checkInvariants";
import { Observer } from "../../simulator/observe/observer";

const SCENARIO = path.join(__dirname, "..", "..", "scenarios", "price-gap.json");

describe("--check", () => {
  it("passes every block of a real run, and catches a model or an event count that disagrees with the chain", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    try {
      const out = await runScenario(loadScenarioFile(SCENARIO), { check: true });
      expect(out.complete, out.error).to.equal(true);
      const last = out.blocks.length;
      const state = await new Observer(out.world).read(last);
      const usdcBadDebt = out.badDebt.filter((b) => b.asset === "USDC").reduce((s, b) => s + b.amount, 0n);
      const events = new Map([["aave/USDC", usdcBadDebt]]);
      await checkInvariants(out.world, last, state, [], events);

      // One bad-debt event missing from the engine's count.
      const missing = new Map([["aave/USDC", usdcBadDebt - 1n]]);
      const err1 = await checkInvariants(out.world, last, state, [], missing).then(() => null, (e: unknown) => e);
      expect(err1).to.be.instanceOf(InvariantViolation);
      expect((err1 as InvariantViolation).message).to.equal(
        `block ${last}: aave USDC: recorded bad debt == sum of BadDebtRecorded events (recorded ${usdcBadDebt}, events ${usdcBadDebt - 1n})`,
      );

      // The engine's model of the USDC reserve one USDC off: the liquidity provider's collateral disagrees.
      const view = state.protocols.get("aave");
      const usdc = view?.kind === "pooled" ? view.reserves[1] : undefined;
      if (view?.kind !== "pooled" || !usdc) throw new Error("no aave/USDC");
      view.reserves[1] = { ...usdc, state: { ...usdc.state, totalSupplyAssets: usdc.state.totalSupplyAssets + 1_000_000n } };
      const err2 = await checkInvariants(out.world, last, state, [], events).then(() => null, (e: unknown) => e);
      expect((err2 as InvariantViolation).invariant).to.match(/^aave: the model's totalCollateralUsd == the pool's$/);
      expect((err2 as InvariantViolation).block).to.equal(last);
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
  });
});
