/**
 * Lesson frozen-oracle (scenarios/frozen-oracle.json, docs/lessons/frozen-oracle.md): WETH slides 35%
 * over blocks 10..24 while its push feed is frozen at $2,000. Measured on the in-process chain with
 * `--check` on, against a control run of the same world with a working feed (the freeze removed):
 *  - during the freeze no position is liquidatable at the oracle price while up to 25 are under water
 *    at the market price;
 *  - when the feed resumes (block 25) the oracle jumps by the whole slide at once, every one of those
 *    positions is liquidated in that block, and the pool writes off bad debt;
 *  - the control liquidates the same positions step by step along the slide and writes off nothing.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import type { BlockRecord } from "../../simulator";
import { runBuiltInScenario, type ScenarioRun } from "../helpers/scenarioRun";

const E8 = 10n ** 8n;
const FREEZE = { fromBlock: 10, toBlock: 24 };

function blockAt(blocks: BlockRecord[], n: number): BlockRecord {
  const b = blocks[n - 1];
  if (!b || b.block !== n) throw new Error(`no record of block ${n}`);
  return b;
}

describe("lesson: frozen-oracle", function () {
  this.timeout(120_000);

  let frozen: ScenarioRun<null>;
  let control: ScenarioRun<null>;

  before(async () => {
    frozen = await runBuiltInScenario("frozen-oracle");
    // The control: the same world and slide, the feed never frozen.
    control = await runBuiltInScenario("frozen-oracle", { edit: (s) => ({ ...s, events: [] }) });
  });

  it("while the feed is frozen at $2,000 no position is liquidatable at the oracle price, yet 25 of 30 are under water at market prices", () => {
    const { blocks } = frozen.out;
    for (let n = FREEZE.fromBlock; n <= FREEZE.toBlock; n++) {
      const b = blockAt(blocks, n);
      // The oracle holds its last answer while the market falls below it.
      expect(b.oraclePriceE8.WETH, `block ${n}`).to.equal(2_000n * E8);
      expect(b.marketPriceE8.WETH ?? 0n, `block ${n}`).to.be.lessThan(2_000n * E8);
      expect(b.protocols.aave?.liquidatable, `block ${n}`).to.equal(0);
      expect(b.protocols.aave?.latentBadDebtOracleUsd.isZero(), `block ${n}`).to.equal(true);
    }
    // Hidden losses at market prices: first positions under water at block 15 (WETH $1,720), 25 by block 24 ($1,300).
    expect(blockAt(blocks, 14).protocols.aave?.underwaterAtMarket).to.equal(0);
    expect(blockAt(blocks, 15).protocols.aave?.underwaterAtMarket).to.equal(4);
    const last = blockAt(blocks, FREEZE.toBlock);
    expect(last.marketPriceE8.WETH).to.equal(1_300n * E8);
    expect(last.protocols.aave?.positions).to.equal(30);
    expect(last.protocols.aave?.underwaterAtMarket).to.equal(25);
    // Debt beyond the collateral's market value, invisible to the pool: $22,895.76.
    expect(last.protocols.aave?.latentBadDebtMarketUsd.toFixed(8)).to.equal("22895.75808633");
    expect(frozen.out.liquidations.filter((l) => l.block <= FREEZE.toBlock)).to.deep.equal([]);
  });

  it("when the feed resumes the oracle jumps 35% in one update: all 25 positions are liquidated in block 25 and $39,320.56 is written off", () => {
    const s = frozen.result.summary;
    const thaw = blockAt(frozen.out.blocks, FREEZE.toBlock + 1);
    expect(thaw.oraclePriceE8.WETH).to.equal(1_300n * E8);
    expect(s.priceGaps.maxOracleVsMarketBps).to.equal("5384.62"); // ($2,000 - $1,300) / $1,300
    expect(s.liquidations.count).to.equal(25);
    expect(new Set(frozen.out.liquidations.map((l) => l.borrower)).size).to.equal(25);
    expect(frozen.out.liquidations.every((l) => l.block === FREEZE.toBlock + 1 && l.delayBlocks === 0)).to.equal(true);
    expect(s.liquidations.debtRepaidUsd).to.equal("704715.386748");
    expect(s.badDebt.recordedUsd).to.equal("39320.564284");
    expect(frozen.out.badDebt.length).to.equal(10);
    expect(frozen.out.badDebt.every((b) => b.block === FREEZE.toBlock + 1)).to.equal(true);
    expect(s.badDebt.absorbedUsd.suppliers).to.equal("39320.554222");
    // The write-off exceeds the latent shortfall the frozen feed hid, by the 5% bonus the liquidators took on top.
    expect(new Decimal(s.badDebt.recordedUsd).gt(blockAt(frozen.out.blocks, FREEZE.toBlock).protocols.aave?.latentBadDebtMarketUsd ?? 0)).to.equal(true);
    expect(s.badDebt.latentMarketUsd).to.equal("0");
  });

  it("the control with a working feed liquidates the same 25 positions along the slide (47 liquidations, blocks 15-24) and leaves no bad debt", () => {
    const s = control.result.summary;
    expect(s.priceGaps.maxOracleVsMarketBps).to.equal("0");
    expect(s.liquidations.count).to.equal(47);
    const borrowers = (run: ScenarioRun<null>) => [...new Set(run.out.liquidations.map((l) => l.borrower))].sort();
    expect(borrowers(control)).to.deep.equal(borrowers(frozen));
    const blocks = control.out.liquidations.map((l) => l.block);
    expect(Math.min(...blocks)).to.equal(15);
    expect(Math.max(...blocks)).to.equal(24);
    expect(s.delayBlocks.max).to.equal(0);
    expect(s.badDebt.recordedUsd).to.equal("0");
    expect(s.badDebt.totalUsd).to.equal("0");
    // The lesson: the same slide costs the pool's suppliers nothing with a live feed, $39,320.56 with a frozen one.
    expect(new Decimal(frozen.result.summary.badDebt.totalUsd).gt(s.badDebt.totalUsd)).to.equal(true);
  });
});
