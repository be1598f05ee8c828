/**
 * Lesson leverage-ladder: the same 30% fall (3% of the starting price per block) against a spot holder
 * and positions at 2x, 5x, 10x, 50x and 100x, one isolated market each. Measured from the run's
 * per-group outcome (`summary.groups`) and, for the spot holder, from the market price path: the loss
 * as a share of the deposit grows with leverage; 2x loses exactly twice the drop; 5x and 10x are
 * liquidated after two or three steps; 50x and 100x are liquidated in the first block with their
 * collateral already worth less than their debt, so they lose more than 100% (their lenders the rest).
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { runBuiltInScenario } from "../helpers/scenarioRun";

describe("lesson: leverage-ladder", function () {
  this.timeout(120_000);

  it("under a 30% fall spot loses 30%, 2x 60%, 5x 71.18%, 10x 81.46%, 50x 164.84% and 100x 314.70% of the deposit; 50x and 100x leave bad debt", async () => {
    const { out, result } = await runBuiltInScenario("leverage-ladder");
    const groups = result.summary.groups;
    expect(groups.map((g) => g.name)).to.deep.equal(["x2", "x5", "x10", "x50", "x100"]);

    // Every position holds $100,000 of WETH and starts at exactly its leverage: collateral / equity.
    const leverage = [2, 5, 10, 50, 100];
    expect(groups.map((g) => g.depositUsd)).to.deep.equal(["50000", "20000", "10000", "2000", "1000"]);
    groups.forEach((g, i) => expect(new Decimal(100_000).div(g.depositUsd).toNumber(), g.name).to.equal(leverage[i]));

    // The spot holder is no position: its loss is the price's own fall, from the market path.
    const p0 = out.scenario.assets.find((a) => a.symbol === "WETH")?.initialPriceE8 ?? 0n;
    const pEnd = out.blocks[out.blocks.length - 1]?.marketPriceE8.WETH ?? 0n;
    expect([p0, pEnd]).to.deep.equal([2_000n * 10n ** 8n, 1_400n * 10n ** 8n]);
    const spotLossPct = new Decimal((p0 - pEnd).toString()).div(p0.toString()).times(100);
    expect(spotLossPct.toString()).to.equal("30");
    // The fall is steady: 3% of the starting price ($60) per block over blocks 1..10.
    expect(out.blocks.slice(0, 10).map((b) => b.marketPriceE8.WETH)).to.deep.equal(
      Array.from({ length: 10 }, (_, i) => (2_000n - 60n * BigInt(i + 1)) * 10n ** 8n),
    );

    // Loss as a share of the deposit, per rung, measured.
    expect(groups.map((g) => g.lossPct)).to.deep.equal(["60", "71.18194957", "81.4568032", "164.84099995", "314.6954999"]);
    // It grows with leverage, from spot up: more leverage, a larger share lost.
    const ladder = [spotLossPct, ...groups.map((g) => new Decimal(g.lossPct ?? "0"))];
    for (let i = 1; i < ladder.length; i++) expect(ladder[i]?.gt(ladder[i - 1] ?? 0), `rung ${i}`).to.equal(true);
    // 2x is never liquidated at -30% (its LLTV of 80% would need -37.5%) and loses exactly twice the drop.
    const [x2, x5, x10, x50, x100] = groups;
    if (!x2 || !x5 || !x10 || !x50 || !x100) throw new Error("missing group");
    expect(x2.liquidations).to.equal(0);
    expect(new Decimal(x2.lossPct ?? "0").eq(spotLossPct.times(2))).to.equal(true);

    // Blocks until liquidation: the higher the leverage, the sooner.
    expect(groups.map((g) => g.firstLiquidationBlock)).to.deep.equal([null, 3, 2, 1, 1]);
    expect(out.liquidations.map((l) => [l.block, l.protocol, l.delayBlocks])).to.deep.equal([
      [1, "x50", 0],
      [1, "x100", 0],
      [2, "x10", 0],
      [3, "x5", 0],
    ]);

    // 5x and 10x: liquidated while the collateral still covered the debt and the bonus; they keep what
    // is left (then unlevered), and their lenders lose nothing.
    for (const g of [x5, x10]) {
      expect(g.lendersLossUsd, g.name).to.equal("0");
      expect(new Decimal(g.endEquityUsd).gt(0), g.name).to.equal(true);
      expect(new Decimal(g.lossPct ?? "0").lt(100), g.name).to.equal(true);
    }
    expect([x5.endEquityUsd, x10.endEquityUsd]).to.deep.equal(["5763.61008538", "1854.31967968"]);

    // 50x and 100x: one 3% step took their collateral ($97,000) below their debt ($98,000 and $99,000).
    // The keeper took all of it; the borrower lost the whole deposit, and the debt left over was written
    // off: the position lost more than 100% of what was put in, the excess borne by its lenders.
    for (const g of [x50, x100]) {
      expect(g.endEquityUsd, g.name).to.equal("0");
      expect(g.borrowerLossUsd, g.name).to.equal(g.depositUsd);
      expect(new Decimal(g.lendersLossUsd).gt(0), g.name).to.equal(true);
      expect(new Decimal(g.lossPct ?? "0").gt(100), g.name).to.equal(true);
    }
    expect([x50.lendersLossUsd, x100.lendersLossUsd]).to.deep.equal(["1296.819999", "2146.954999"]);
    expect(out.liquidations.filter((l) => l.block === 1).every((l) => l.collateralSeized === 50n * 10n ** 18n)).to.equal(true);
    expect(out.badDebt.map((b) => [b.block, b.protocol, b.amount])).to.deep.equal([
      [1, "x50", 1_296_819_999n],
      [1, "x100", 2_146_954_999n],
    ]);
    expect(result.summary.badDebt.recordedUsd).to.equal("3443.774998");
    expect(result.summary.badDebt.absorbedUsd.suppliers).to.equal("3443.774998");
  });
});
