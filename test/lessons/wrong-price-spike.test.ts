/**
 * Lesson wrong-price-spike (scenarios/wrong-price-spike.json, docs/lessons/wrong-price-spike.md): the
 * market never moves, but the feed of the borrowed stablecoin (DAI) reports $1.30 for blocks 10 and 11,
 * the shape of Compound's DAI oracle in November 2020. Measured on the in-process chain with `--check`
 * on, against a control run without the wrong price:
 *  - every liquidation hits a position that was healthy at market prices (false liquidations);
 *  - the borrowers hand over collateral worth 36.5% more than the debt they are relieved of
 *    (1.30 × the 5% bonus), exact figures from the liquidation records;
 *  - without the wrong price the same world sees no liquidation at all.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { runBuiltInScenario, type ScenarioRun } from "../helpers/scenarioRun";

const E8 = 10n ** 8n;
const WAD = 10n ** 18n;
/** Enough digits for exact sums of 18-decimal amounts (decimal.js defaults to 20 significant digits). */
const D = Decimal.clone({ precision: 60 });
const DAI_UNIT = new D(10).pow(18);
const WRONG = { fromBlock: 10, toBlock: 11, priceE8: 130_000_000n };

describe("lesson: wrong-price-spike", function () {
  this.timeout(120_000);

  let spike: ScenarioRun<null>;
  let control: ScenarioRun<null>;

  before(async () => {
    spike = await runBuiltInScenario("wrong-price-spike");
    // The control: the same world, the DAI feed always right.
    control = await runBuiltInScenario("wrong-price-spike", { edit: (s) => ({ ...s, events: [] }) });
  });

  it("with the market flat and DAI's feed at $1.30 for blocks 10-11, 7 positions are liquidated in block 10, none of them under water at market prices", () => {
    const { blocks, liquidations } = spike.out;
    for (const b of blocks) {
      // The market does not move at all; only the DAI feed is wrong, and only in its window.
      expect(b.marketPriceE8.WETH, `block ${b.block}`).to.equal(2_000n * E8);
      expect(b.marketPriceE8.DAI, `block ${b.block}`).to.equal(E8);
      expect(b.oraclePriceE8.WETH, `block ${b.block}`).to.equal(2_000n * E8);
      const wrong = b.block >= WRONG.fromBlock && b.block <= WRONG.toBlock;
      expect(b.oraclePriceE8.DAI, `block ${b.block}`).to.equal(wrong ? WRONG.priceE8 : E8);
      // No position is ever under water at market prices, before, during or after the liquidations.
      expect(b.protocols.aave?.underwaterAtMarket, `block ${b.block}`).to.equal(0);
    }
    expect(liquidations.length).to.equal(7);
    expect(new Set(liquidations.map((l) => l.borrower)).size).to.equal(7);
    // The keepers backrun the wrong price in the block it lands; nothing is left for block 11.
    expect(liquidations.every((l) => l.block === WRONG.fromBlock && l.delayBlocks === 0)).to.equal(true);
    for (const l of liquidations) {
      // Below 1 at the oracle's $1.30, above 1 at DAI's market price of $1: a false liquidation.
      expect(l.healthFactorWad < WAD, `liquidation ${l.id}`).to.equal(true);
      expect(l.marketHealthFactorWad !== null && l.marketHealthFactorWad > WAD, `liquidation ${l.id}`).to.equal(true);
    }
    // The weakest victim: 0.8936 at the oracle, 1.1616 at market prices.
    const weakest = liquidations.reduce((a, b) => (a.healthFactorWad < b.healthFactorWad ? a : b));
    expect(weakest.healthFactorWad).to.equal(893_556_449_651_279_205n);
    expect(weakest.marketHealthFactorWad).to.equal(1_161_623_389_466_511_340n);
  });

  it("the borrowers hand over $261,068.31 of WETH for $191,258.84 of debt: a $69,809.48 loss, 36.5% of the repaid debt instead of the 5% bonus", () => {
    const { liquidations } = spike.out;
    const seized = liquidations.reduce((sum, l) => sum + l.collateralSeized, 0n);
    const repaid = liquidations.reduce((sum, l) => sum + l.debtRepaid, 0n);
    // At market prices (WETH $2,000, DAI $1), exactly: collateral leaving the borrowers (the protocol's fee included) less debt repaid.
    const seizedUsd = new D((seized * 2_000n).toString()).div(DAI_UNIT);
    const repaidUsd = new D(repaid.toString()).div(DAI_UNIT);
    const lossUsd = seizedUsd.minus(repaidUsd);
    expect(seizedUsd.toString()).to.equal("261068.313929630808784");
    expect(repaidUsd.toString()).to.equal("191258.838043685574216837");
    expect(lossUsd.toString()).to.equal("69809.475885945234567163");
    // 1.30 × 1.05 − 1: the bonus is paid on a debt valued 30% too high.
    expect(lossUsd.div(repaidUsd).toDecimalPlaces(6).toString()).to.equal("0.365");
    // The liquidators keep all of it but the protocol's 10% share of the bonus, less gas.
    const s = spike.result.summary;
    expect(s.liquidations.liquidatorProfitUsd).to.equal("68557.17028866");
    expect(new Decimal(s.liquidations.liquidatorProfitUsd).gt(0)).to.equal(true);
    // The borrower group's loss over the run: the liquidations plus 20 blocks of interest.
    expect(s.groups[0]?.borrowerLossUsd).to.equal("69809.53685018");
    expect(s.groups[0]?.holdersLiquidated).to.equal(7);
    // Nobody was insolvent: the pool loses nothing, the loss is all the borrowers'.
    expect(s.badDebt.totalUsd).to.equal("0");
  });

  it("without the wrong price the same positions are never liquidatable and nobody is liquidated", () => {
    const s = control.result.summary;
    expect(s.liquidations.count).to.equal(0);
    expect(s.episodes.total).to.equal(0);
    expect(control.out.blocks.every((b) => b.protocols.aave?.liquidatable === 0)).to.equal(true);
    expect(s.groups[0]?.holdersLiquidated).to.equal(0);
    expect(spike.result.summary.liquidations.count).to.be.greaterThan(s.liquidations.count);
  });
});
