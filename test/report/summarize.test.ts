/**
 * summarizeRun adds up hand-built records exactly: liquidation and bad-debt sums in decimal.js
 * (no float, no 20-digit rounding), nearest-rank delay percentiles, per-protocol splits, latent bad
 * debt from the last block, price gaps, and one-line errors naming the bad field.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { SummaryInputError, nearestRank, summarizeRun, type RunInput } from "../../simulator/report";
import { ALICE, BOB, badDebt, block, episode, failedAttempt, liquidation, stats } from "./fixtures";

function input(overrides: Partial<RunInput> = {}): RunInput {
  return {
    protocols: ["pool"],
    amms: [{ name: "weth-usdc", tokenA: "WETH" }],
    blocks: [block(1)],
    liquidations: [],
    badDebt: [],
    episodes: [],
    failedAttempts: [],
    ...overrides,
  };
}

const fixed = (d: Decimal | null): string | null => (d === null ? null : d.toFixed());

describe("report: summarizeRun", () => {
  it("takes nearest-rank delay percentiles: [0,1,1,2,5,9,20] -> p50 2, p95 20, max 20", () => {
    const delays = [5, 0, 20, 1, 9, 2, 1]; // unsorted on purpose
    const episodes = delays.map((delay, i) => episode({ startBlock: 10 + i, firstLiquidationBlock: 10 + i + delay }));
    episodes.push(episode({ startBlock: 3, firstLiquidationBlock: null, endBlock: null }));

    const summary = summarizeRun(input({ episodes }));

    expect(summary.overall.delayBlocks).to.deep.equal({ count: 7, p50: 2, p95: 20, max: 20 });
    expect(summary.overall.episodes).to.deep.equal({ total: 8, liquidated: 7, neverLiquidated: 1 });
    expect(summary.protocols.pool?.delayBlocks).to.deep.equal({ count: 7, p50: 2, p95: 20, max: 20 });
  });

  it("nearest rank is ceil(p/100 x n): exact at whole ranks, an element of the list, null when empty", () => {
    const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(nearestRank(oneToTwenty, 95)).to.equal(19); // rank 19 exactly, not 20
    expect(nearestRank(oneToTwenty, 50)).to.equal(10);
    expect(nearestRank(oneToTwenty, 100)).to.equal(20);
    expect(nearestRank(oneToTwenty, 1)).to.equal(1);
    expect(nearestRank([7], 50)).to.equal(7);
    expect(nearestRank([3, 8], 50)).to.equal(3);
    expect(nearestRank([], 50)).to.equal(null);
    expect(() => nearestRank([1], 0)).to.throw(RangeError);
    expect(() => nearestRank([1], 99.5)).to.throw(RangeError);
  });

  it("sums USD exactly: 0.1 + 0.2 is 0.3, and digits beyond decimal.js's default 20 are kept", () => {
    const summary = summarizeRun(
      input({
        liquidations: [
          liquidation({ debtRepaidUsd: "0.1", collateralToLiquidatorUsd: "123456789012345678901234.123456789" }),
          liquidation({ debtRepaidUsd: "0.2", collateralToLiquidatorUsd: "0.000000001" }),
        ],
      }),
    );
    const l = summary.overall.liquidations;
    expect(l.count).to.equal(2);
    expect(l.debtRepaidUsd.toFixed()).to.equal("0.3");
    expect(l.collateralSeizedUsd.toFixed()).to.equal("123456789012345678901234.12345679");
    expect(l.gasCostUsd.toFixed()).to.equal("5");
    expect(l.liquidatorProfitUsd.toFixed()).to.equal("85");
  });

  it("splits by protocol in scenario order, and overall is the sum", () => {
    const twoProtocols = { pool: stats(), isolated: stats() };
    const summary = summarizeRun(
      input({
        protocols: ["pool", "isolated"],
        blocks: [block(1, { protocols: twoProtocols })],
        liquidations: [
          liquidation({ protocol: "isolated", debtRepaidUsd: "10.5" }),
          liquidation({ protocol: "pool", debtRepaidUsd: "1.25" }),
          liquidation({ protocol: "isolated", debtRepaidUsd: "4" }),
        ],
        badDebt: [
          badDebt({ protocol: "isolated", amountUsd: "7", absorbedBy: { reserves: { amount: 300_000_000n, usd: "7" } } }),
        ],
        episodes: [
          episode({ protocol: "pool", startBlock: 1, firstLiquidationBlock: 4 }),
          episode({ protocol: "isolated", borrower: BOB, startBlock: 2, firstLiquidationBlock: 2 }),
          episode({ protocol: "isolated", borrower: ALICE, startBlock: 5, firstLiquidationBlock: null }),
        ],
      }),
    );

    expect(Object.keys(summary.protocols)).to.deep.equal(["pool", "isolated"]);
    const pool = summary.protocols.pool;
    const isolated = summary.protocols.isolated;
    expect(pool?.liquidations.count).to.equal(1);
    expect(fixed(pool?.liquidations.debtRepaidUsd ?? null)).to.equal("1.25");
    expect(isolated?.liquidations.count).to.equal(2);
    expect(fixed(isolated?.liquidations.debtRepaidUsd ?? null)).to.equal("14.5");
    expect(fixed(summary.overall.liquidations.debtRepaidUsd)).to.equal("15.75");
    expect(fixed(pool?.badDebt.recordedUsd ?? null)).to.equal("0");
    expect(fixed(isolated?.badDebt.absorbedUsd.reserves ?? null)).to.equal("7");
    expect(fixed(isolated?.badDebt.unabsorbedUsd ?? null)).to.equal("0");
    expect(fixed(summary.overall.badDebt.recordedUsd)).to.equal("7");
    expect(pool?.delayBlocks).to.deep.equal({ count: 1, p50: 3, p95: 3, max: 3 });
    expect(isolated?.delayBlocks).to.deep.equal({ count: 1, p50: 0, p95: 0, max: 0 });
    expect(isolated?.episodes).to.deep.equal({ total: 2, liquidated: 1, neverLiquidated: 1 });
    expect(summary.overall.delayBlocks).to.deep.equal({ count: 2, p50: 0, p95: 3, max: 3 });
  });

  it("takes latent bad debt from the last block only; total = recorded + latent at market", () => {
    const summary = summarizeRun(
      input({
        protocols: ["pool", "isolated"],
        blocks: [
          block(1, {
            protocols: {
              pool: stats({ latentBadDebtOracleUsd: "999", latentBadDebtMarketUsd: "999" }),
              isolated: stats({ latentBadDebtOracleUsd: "999", latentBadDebtMarketUsd: "999" }),
            },
          }),
          block(2, {
            protocols: {
              pool: stats({ latentBadDebtOracleUsd: "10", latentBadDebtMarketUsd: "30.5" }),
              isolated: stats({ latentBadDebtOracleUsd: "0", latentBadDebtMarketUsd: "0.25" }),
            },
          }),
        ],
        badDebt: [badDebt({ amountUsd: "300" })],
      }),
    );

    const pool = summary.protocols.pool?.badDebt;
    expect(fixed(pool?.latentOracleUsd ?? null)).to.equal("10");
    expect(fixed(pool?.latentMarketUsd ?? null)).to.equal("30.5");
    expect(fixed(pool?.totalUsd ?? null)).to.equal("330.5");
    const overall = summary.overall.badDebt;
    expect(fixed(overall.latentOracleUsd)).to.equal("10");
    expect(fixed(overall.latentMarketUsd)).to.equal("30.75");
    expect(fixed(overall.recordedUsd)).to.equal("300");
    expect(fixed(overall.absorbedUsd.reserves)).to.equal("100");
    expect(fixed(overall.absorbedUsd.suppliers)).to.equal("200");
    expect(Object.keys(overall.absorbedUsd)).to.deep.equal(["reserves", "insuranceFund", "suppliers", "deficit", "autoDeleveraged", "socialized", "owedByTrader"]);
    expect(fixed(overall.absorbedUsd.insuranceFund)).to.equal("0");
    expect(fixed(overall.totalUsd)).to.equal("330.75");
  });

  it("adds up each absorber's part and the unabsorbed rest per protocol and overall (zeros kept for the others)", () => {
    const summary = summarizeRun(
      input({
        badDebt: [
          badDebt({ amountUsd: "300", absorbedBy: { insuranceFund: { amount: 100_000_000n, usd: "100" }, socialized: { amount: 150_000_000n, usd: "150" } } }),
          badDebt({ amountUsd: "300", absorbedBy: { insuranceFund: { amount: 200_000_000n, usd: "200.5" }, owedByTrader: { amount: 100_000_000n, usd: "99.5" } } }),
        ],
      }),
    );
    const b = summary.overall.badDebt;
    const absorbed = Object.fromEntries(Object.entries(b.absorbedUsd).map(([by, usd]) => [by, fixed(usd)]));
    expect(absorbed).to.deep.equal({ reserves: "0", insuranceFund: "300.5", suppliers: "0", deficit: "0", autoDeleveraged: "0", socialized: "150", owedByTrader: "99.5" });
    // The first loss left $50 (amount - parts); the second none.
    expect(fixed(b.unabsorbedUsd)).to.equal("50");
    expect(fixed(b.recordedUsd)).to.equal("600");
    expect(fixed(summary.protocols.pool?.badDebt.absorbedUsd.insuranceFund ?? null)).to.equal("300.5");
  });

  it("counts liquidatable positions per block: overall adds the protocols within a block", () => {
    const both = (pool: number, isolated: number) => ({
      protocols: { pool: stats({ liquidatable: pool }), isolated: stats({ liquidatable: isolated }) },
    });
    const summary = summarizeRun(
      input({
        protocols: ["pool", "isolated"],
        blocks: [block(1, both(0, 0)), block(2, both(3, 0)), block(3, both(2, 2)), block(4, both(0, 1))],
      }),
    );
    expect(summary.protocols.pool?.maxLiquidatablePositions).to.equal(3);
    expect(summary.protocols.pool?.blocksWithLiquidatable).to.equal(2);
    expect(summary.protocols.isolated?.maxLiquidatablePositions).to.equal(2);
    expect(summary.protocols.isolated?.blocksWithLiquidatable).to.equal(2);
    expect(summary.overall.maxLiquidatablePositions).to.equal(4);
    expect(summary.overall.blocksWithLiquidatable).to.equal(3);
  });

  it("measures the largest oracle and AMM gaps in bps of market, rounded to 2 places, skipping reverted feeds", () => {
    const summary = summarizeRun(
      input({
        blocks: [
          // Oracle and AMM at $2,000 vs market $1,900: 100 / 1900 x 10,000 = 526.315... bps.
          block(1, { marketPriceE8: { WETH: 190_000_000_000n, USDC: 100_000_000n } }),
          // A reverted WETH feed is no gap (its last answer, $2,000, would be 10,000 bps off $1,000).
          block(2, {
            marketPriceE8: { WETH: 100_000_000_000n, USDC: 100_000_000n },
            oraclePriceE8: { WETH: null, USDC: 100_010_000n },
            ammPriceE8: { "weth-usdc": 100_003_000_000n },
          }),
        ],
        failedAttempts: [failedAttempt(), failedAttempt({ block: 4 })],
      }),
    );
    expect(fixed(summary.overall.priceGaps.maxOracleVsMarketBps)).to.equal("526.32");
    expect(fixed(summary.overall.priceGaps.maxAmmVsMarketBps)).to.equal("526.32");
    expect(summary.overall.failedAttempts).to.deep.equal({ count: 2 });

    const onlyBlock2 = summarizeRun(
      input({
        blocks: [
          block(2, {
            oraclePriceE8: { WETH: null, USDC: 300_010_000n },
            marketPriceE8: { WETH: 100_000_000_000n, USDC: 300_000_000n },
            ammPriceE8: { "weth-usdc": 100_003_000_000n },
          }),
        ],
      }),
    );
    // Oracle: 10,000 / 300,000,000 x 10,000 = 0.333... bps; AMM $1,000.03 vs $1,000: 0.3 bps.
    expect(fixed(onlyBlock2.overall.priceGaps.maxOracleVsMarketBps)).to.equal("0.33");
    expect(fixed(onlyBlock2.overall.priceGaps.maxAmmVsMarketBps)).to.equal("0.3");
  });

  it("summarizes an empty run as zeros and nulls", () => {
    const summary = summarizeRun(input({ blocks: [], amms: [] }));
    const o = summary.overall;
    expect(o.liquidations.count).to.equal(0);
    expect(fixed(o.liquidations.debtRepaidUsd)).to.equal("0");
    expect(fixed(o.badDebt.totalUsd)).to.equal("0");
    expect(o.delayBlocks).to.deep.equal({ count: 0, p50: null, p95: null, max: null });
    expect(o.episodes).to.deep.equal({ total: 0, liquidated: 0, neverLiquidated: 0 });
    expect(o.maxLiquidatablePositions).to.equal(0);
    expect(o.blocksWithLiquidatable).to.equal(0);
    expect(o.priceGaps).to.deep.equal({ maxOracleVsMarketBps: null, maxAmmVsMarketBps: null });
  });

  it("rejects inconsistent records with an error naming the field", () => {
    const cases: [Partial<RunInput>, string][] = [
      [
        { liquidations: [liquidation(), liquidation({ protocol: "nope" })] },
        'liquidations[1].protocol: unknown protocol "nope" (known: pool)',
      ],
      [{ badDebt: [badDebt({ protocol: "nope" })] }, 'badDebt[0].protocol: unknown protocol "nope" (known: pool)'],
      [
        { episodes: [episode({ startBlock: 5, firstLiquidationBlock: 4 })] },
        "episodes[0].firstLiquidationBlock: 4 is before startBlock 5",
      ],
      [{ protocols: ["pool", "pool"] }, 'protocols[1]: duplicate protocol "pool"'],
      [{ protocols: ["pool", "other"] }, "blocks[0].protocols.other: missing"],
      [{ blocks: [block(2), block(2)] }, "blocks[1].block: 2 does not follow block 2"],
      [
        { blocks: [block(1, { marketPriceE8: { WETH: 0n, USDC: 1n } })] },
        "blocks[0].marketPriceE8.WETH: must be > 0, got 0",
      ],
      [{ amms: [{ name: "steth-weth", tokenA: "STETH" }] }, "blocks[0].ammPriceE8.steth-weth: missing"],
    ];
    for (const [overrides, message] of cases) {
      expect(() => summarizeRun(input(overrides)), message).to.throw(SummaryInputError, message);
    }
  });
});
