/**
 * UniswapV2TwapFeed on real Uniswap V2 pairs (v2-core's published artifacts), window 600 s.
 *
 * The pair accumulates, for the base token, p = floor(reserveQuote · 2^112 / reserveBase) × seconds
 * (price0CumulativeLast when the base is token0, price1CumulativeLast when it is token1), using the reserves
 * from before each update. The feed answers
 *   priceAverageX112 = floor((cumulativeNow − cumulativeStart) / elapsed)
 *   priceE8          = floor(priceAverageX112 · 10^baseDecimals · quoteUsdE8 / (2^112 · 10^quoteDecimals))
 * averaging from the newest observation at least 600 s old, or from the oldest one while none is.
 *
 * Timeline, Tm = the pair's first mint (its cumulative prices are 0 then):
 *   Tm+100  feed deployed: observation 0 = (Tm+100, pA·100); same block → spot price, window 0
 *   Tm+160  swap 1, base in: the pair's cumulative becomes pA·160
 *   Tm+200  update(): observation 1 = (Tm+200, pA·160 + pB·40); read → (pA·60 + pB·40) / 100, warm-up window 100 s
 *   Tm+400  swap 2, quote in: the pair's cumulative becomes pA·160 + pB·240
 *   Tm+700  update(): observation 2 = (Tm+700, pA·160 + pB·240 + pC·300); read → from observation 0, 600 s
 *   Tm+799  read → still from observation 0 (Tm+100 is the newest ≤ Tm+199), 699 s
 *   Tm+800  read → from observation 1 (Tm+200 ≤ Tm+200), 600 s: (pB·200 + pC·400) / 600
 *
 * WETH (18) / USDC (6), 100 WETH / 200,000 USDC; swap 1 = 10 WETH, swap 2 = 50,000 USDC:
 *   pA = 200_000e6 · 2^112 / 100e18                  = 10_384_593_717_069_655_257_060_992
 *   swap 1 out 18_132_217_877 → 110e18 / 181_867_782_123: pB = 8_584_650_125_326_812_583_208_591
 *   swap 2 out 23_664_562_770_108_246_501 → 86_335_437_229_891_753_499 / 231_867_782_123:
 *                                                      pC = 13_944_753_108_817_958_740_194_687
 *   observations: 1_038_459_371_706_965_525_706_099_200; 2_004_920_999_744_217_344_458_102_360;
 *                 7_905_276_957_454_967_483_158_226_660
 *   answers: Tm+100 200_000_000_000 (spot) · Tm+200 186_133_738_953 · Tm+700 220_416_826_850 ·
 *            Tm+799 227_236_262_537 · Tm+800 234_155_566_323, with USDC at $0.99 231_814_010_660
 * WBTC (8) / USDC (6), 10 WBTC / 300,000 USDC; swap 1 = 1 WBTC, swap 2 = 100,000 USDC:
 *   pA = 300 · 2^112 exactly                           = 1_557_689_057_560_448_288_559_148_898_766_028_800
 *   swap 1 out 27_198_326_816 → 1_100_000_000 / 272_801_673_184:
 *                                                      pB = 1_287_697_518_796_661_752_545_591_103_437_465_725
 *   swap 2 out 294_414_784 → 805_585_216 / 372_801_673_184:
 *                                                      pC = 2_402_845_680_487_029_556_725_628_697_117_527_413
 *   observations: 155_768_905_756_044_828_855_914_889_876_602_880_000;
 *                 300_738_149_961_538_196_271_287_467_940_063_237_000;
 *                 1_279_131_357_866_979_413_798_094_297_762_814_605_900
 *   answers: Tm+100 3_000_000_000_000 (spot) · Tm+200 2_792_006_084_305 · Tm+700 3_605_862_308_201 ·
 *            Tm+799 3_750_587_864_452 · Tm+800 3_911_813_368_782, with USDC at $0.99 3_872_695_235_094
 * Every figure holds with the base token as the pair's token0 and as its token1.
 *
 * A constant price loses a unit to the accumulator's truncation: WETH at $2,000 has pA = 2^112 · 2e-9 − 0.66,
 * so any average of it reads floor(pA · 1e20 / 2^112) = 199_999_999_999, where the spot feed reads 200_000_000_000.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress } from "ethers";
import { MockERC20__factory, UniswapV2TwapFeed__factory } from "../../typechain-types";
import type { UniswapV2TwapFeed } from "../../typechain-types";
import { deployFeedPairWorld, deployTokensInOrder, pairTimestampLast, swapExactIn } from "../helpers/ammFeeds";
import type { FeedPairWorld } from "../helpers/ammFeeds";
import { createPairWithLiquidity, deployUniswapV2Factory } from "../helpers/uniswap";
import { deployPoolWorld, wethConfig } from "../helpers/pool";

const ONE_USDC = 10n ** 6n;
const ONE_WETH = 10n ** 18n;
const ONE_WBTC = 10n ** 8n;
const USDC_AT_99_CENTS = 99_000_000n;
const WINDOW_SECONDS = 600n;
const DEPLOYED_AFTER_MINT = 100n;

interface TwapCase {
  label: string;
  base: { symbol: string; decimals: number };
  reserveBase: bigint;
  reserveQuote: bigint;
  swap1BaseIn: bigint;
  swap2QuoteIn: bigint;
  pA: bigint;
  pB: bigint;
  pC: bigint;
  observations: [bigint, bigint, bigint];
  spotAt100: bigint;
  at200: bigint;
  at700: bigint;
  at799: bigint;
  at800: bigint;
  at800UsdcAt99: bigint;
}

const CASES: TwapCase[] = [
  {
    label: "WETH (18) / USDC (6)",
    base: { symbol: "WETH", decimals: 18 },
    reserveBase: 100n * ONE_WETH,
    reserveQuote: 200_000n * ONE_USDC,
    swap1BaseIn: 10n * ONE_WETH,
    swap2QuoteIn: 50_000n * ONE_USDC,
    pA: 10_384_593_717_069_655_257_060_992n,
    pB: 8_584_650_125_326_812_583_208_591n,
    pC: 13_944_753_108_817_958_740_194_687n,
    observations: [
      1_038_459_371_706_965_525_706_099_200n,
      2_004_920_999_744_217_344_458_102_360n,
      7_905_276_957_454_967_483_158_226_660n,
    ],
    spotAt100: 200_000_000_000n,
    at200: 186_133_738_953n,
    at700: 220_416_826_850n,
    at799: 227_236_262_537n,
    at800: 234_155_566_323n,
    at800UsdcAt99: 231_814_010_660n,
  },
  {
    label: "WBTC (8) / USDC (6)",
    base: { symbol: "WBTC", decimals: 8 },
    reserveBase: 10n * ONE_WBTC,
    reserveQuote: 300_000n * ONE_USDC,
    swap1BaseIn: ONE_WBTC,
    swap2QuoteIn: 100_000n * ONE_USDC,
    pA: 1_557_689_057_560_448_288_559_148_898_766_028_800n,
    pB: 1_287_697_518_796_661_752_545_591_103_437_465_725n,
    pC: 2_402_845_680_487_029_556_725_628_697_117_527_413n,
    observations: [
      155_768_905_756_044_828_855_914_889_876_602_880_000n,
      300_738_149_961_538_196_271_287_467_940_063_237_000n,
      1_279_131_357_866_979_413_798_094_297_762_814_605_900n,
    ],
    spotAt100: 3_000_000_000_000n,
    at200: 2_792_006_084_305n,
    at700: 3_605_862_308_201n,
    at799: 3_750_587_864_452n,
    at800: 3_911_813_368_782n,
    at800UsdcAt99: 3_872_695_235_094n,
  },
];

interface TwapWorld extends FeedPairWorld {
  /** Quote token counted as $1. */
  feed: UniswapV2TwapFeed;
  /** Quote token priced by `quoteUsdFeed` (USDC at $0.99), deployed in another block of the same second. */
  feedWithQuote: UniswapV2TwapFeed;
  /** The pair's first mint. */
  tm: bigint;
}

async function deployTwapWorld(c: TwapCase, baseIsToken0: boolean): Promise<TwapWorld> {
  const w = await deployFeedPairWorld({
    base: c.base,
    quote: { symbol: "USDC", decimals: 6 },
    baseIsToken0,
    reserveBase: c.reserveBase,
    reserveQuote: c.reserveQuote,
    quoteUsdE8: USDC_AT_99_CENTS,
    traderBase: c.reserveBase,
    traderQuote: c.reserveQuote,
  });
  const tm = await pairTimestampLast(w);
  const deployFeed = async (quoteFeed: string, name: string): Promise<UniswapV2TwapFeed> => {
    await time.setNextBlockTimestamp(tm + DEPLOYED_AFTER_MINT);
    return new UniswapV2TwapFeed__factory(w.owner).deploy(
      w.pool.address,
      w.baseAddress,
      quoteFeed,
      WINDOW_SECONDS,
      name
    );
  };
  const feed = await deployFeed(ZeroAddress, `${c.base.symbol} / USD (Uniswap V2 10-min TWAP)`);
  const feedWithQuote = await deployFeed(await w.quoteUsdFeed.getAddress(), `${c.base.symbol} / USD (TWAP x USDC/USD)`);
  return { ...w, feed, feedWithQuote, tm };
}

const FIXTURES = CASES.map((c) => ({
  c,
  fixtures: [true, false].map((baseIsToken0) => ({
    baseIsToken0,
    fixture: async function twapWorld(): Promise<TwapWorld> {
      return deployTwapWorld(c, baseIsToken0);
    },
  })),
}));

/** Mines an empty block at `timestamp`, so views read the chain as of that second. */
async function mineAt(timestamp: bigint): Promise<void> {
  await time.setNextBlockTimestamp(timestamp);
  await mine();
}

/** `update()` in a block at `timestamp`. */
async function updateAt(feed: UniswapV2TwapFeed, timestamp: bigint): Promise<void> {
  await time.setNextBlockTimestamp(timestamp);
  await (await feed.update()).wait();
}

async function pairCumulative(w: FeedPairWorld): Promise<bigint> {
  return w.baseIsToken0 ? w.pool.pair.price0CumulativeLast() : w.pool.pair.price1CumulativeLast();
}

async function observations(feed: UniswapV2TwapFeed): Promise<[bigint, bigint][]> {
  const count = await feed.observationCount();
  const out: [bigint, bigint][] = [];
  for (let i = 0n; i < count; i++) {
    const o = await feed.observation(i);
    out.push([o.timestamp, o.priceCumulative]);
  }
  return out;
}

describe("UniswapV2TwapFeed", () => {
  for (const { c, fixtures } of FIXTURES) {
    for (const { baseIsToken0, fixture } of fixtures) {
      const order = baseIsToken0 ? "base is token0 (price0CumulativeLast)" : "base is token1 (price1CumulativeLast)";

      describe(`${c.label}, ${order}`, () => {
        it(`deployment at Tm+100 records observation 0 = (Tm+100, pA·100) and answers the spot price ${c.spotAt100} over 0 s`, async () => {
          const w = await loadFixture(fixture);
          expect(w.baseIsToken0).to.equal(baseIsToken0);
          expect(await w.feed.baseIsToken0()).to.equal(baseIsToken0);
          expect(c.pA * DEPLOYED_AFTER_MINT).to.equal(c.observations[0]);
          expect(await observations(w.feed)).to.deep.equal([[w.tm + 100n, c.observations[0]]]);
          await expect(w.feed.deploymentTransaction())
            .to.emit(w.feed, "ObservationRecorded")
            .withArgs(w.tm + 100n, c.observations[0]);
          expect(await w.feed.consult()).to.deep.equal([c.spotAt100, 0n]);
          expect((await w.feed.latestRoundData()).answer).to.equal(c.spotAt100);
        });

        it(`over the timeline answers ${c.at200} (warm-up, 100 s), ${c.at700} (600 s), ${c.at799} (699 s), ${c.at800} (600 s from observation 1)`, async () => {
          const w = await loadFixture(fixture);
          const { tm } = w;

          await swapExactIn(w, "base", c.swap1BaseIn, tm + 160n);
          expect(await pairCumulative(w)).to.equal(c.pA * 160n);

          await updateAt(w.feed, tm + 200n);
          expect(c.pA * 160n + c.pB * 40n).to.equal(c.observations[1]);
          expect(await w.feed.currentPriceCumulative()).to.equal(c.observations[1]);
          expect(await w.feed.consult()).to.deep.equal([c.at200, 100n]);

          await swapExactIn(w, "quote", c.swap2QuoteIn, tm + 400n);
          expect(await pairCumulative(w)).to.equal(c.pA * 160n + c.pB * 240n);

          await updateAt(w.feed, tm + 700n);
          expect(c.pA * 160n + c.pB * 240n + c.pC * 300n).to.equal(c.observations[2]);
          expect(await observations(w.feed)).to.deep.equal([
            [tm + 100n, c.observations[0]],
            [tm + 200n, c.observations[1]],
            [tm + 700n, c.observations[2]],
          ]);
          expect(await w.feed.consult()).to.deep.equal([c.at700, 600n]);

          await mineAt(tm + 799n);
          expect(await w.feed.consult()).to.deep.equal([c.at799, 699n]);

          await mineAt(tm + 800n);
          expect(await w.feed.consult()).to.deep.equal([c.at800, 600n]);
          const round = await w.feed.latestRoundData();
          expect(round.answer).to.equal(c.at800);
          expect(round.updatedAt).to.equal(tm + 800n);
        });

        it(`with USDC at $0.99 the Tm+800 answer is ${c.at800UsdcAt99} (the average × 0.99, rounded down once)`, async () => {
          const w = await loadFixture(fixture);
          const { tm } = w;
          await swapExactIn(w, "base", c.swap1BaseIn, tm + 160n);
          await updateAt(w.feedWithQuote, tm + 200n);
          await swapExactIn(w, "quote", c.swap2QuoteIn, tm + 400n);
          await mineAt(tm + 800n);
          expect(await w.feedWithQuote.consult()).to.deep.equal([c.at800UsdcAt99, 600n]);
          // The feed without a quote feed was never updated: it averages from its only observation, over 700 s.
          expect((await w.feed.consult())[1]).to.equal(700n);
        });
      });
    }
  }

  const [wethCase] = FIXTURES;
  const wethFirst = wethCase?.fixtures[0];
  if (wethFirst === undefined) throw new Error("no WETH fixture");
  const wethWorld = wethFirst.fixture;
  const WETH_CONSTANT_TWAP = 199_999_999_999n;
  const WETH_PA = 10_384_593_717_069_655_257_060_992n;

  describe("warm-up and the window", () => {
    it("a constant $2,000 reads 199_999_999_999 over any window: the pair's UQ112x112 truncation, not the feed's", async () => {
      const w = await loadFixture(wethWorld);
      for (const [at, windowUsed] of [
        [w.tm + 101n, 1n],
        [w.tm + 700n, 600n],
        [w.tm + 5000n, 4900n],
      ] as const) {
        await mineAt(at);
        expect(await w.feed.consult()).to.deep.equal([WETH_CONSTANT_TWAP, windowUsed]);
      }
    });

    it("without updates the window grows: it always reaches back to the newest observation at least 600 s old", async () => {
      const w = await loadFixture(wethWorld);
      await updateAt(w.feed, w.tm + 500n);
      // Observations at Tm+100 and Tm+500: at Tm+1099 the newest ≤ Tm+499 is Tm+100 (999 s), at Tm+1100 it is Tm+500.
      await mineAt(w.tm + 1099n);
      expect((await w.feed.consult())[1]).to.equal(999n);
      await mineAt(w.tm + 1100n);
      expect((await w.feed.consult())[1]).to.equal(600n);
    });

    it("a swap in a later block of the second being read leaves the average unchanged; one second later it counts for 1/201", async () => {
      const w = await loadFixture(wethWorld);
      await mineAt(w.tm + 300n);
      expect(await w.feed.consult()).to.deep.equal([WETH_CONSTANT_TWAP, 200n]);
      // The pair adds the old price × 0 s and stores the new reserves: nothing of the new price yet.
      await swapExactIn(w, "base", 10n * ONE_WETH, w.tm + 300n);
      expect(await w.feed.consult()).to.deep.equal([WETH_CONSTANT_TWAP, 200n]);
      // (pA·200 + pB·1) / 201 = 10_375_638_773_827_153_552_215_955 → 199_827_534_066
      await mineAt(w.tm + 301n);
      expect(await w.feed.consult()).to.deep.equal([199_827_534_066n, 201n]);
    });
  });

  describe("update()", () => {
    it("records at most one observation per second: a second call at the same timestamp returns false, emits nothing and stores nothing", async () => {
      const w = await loadFixture(wethWorld);
      // Static calls on the pending block, whose timestamp setNextBlockTimestamp has fixed.
      await time.setNextBlockTimestamp(w.tm + 200n);
      expect(await w.feed.update.staticCall({ blockTag: "pending" })).to.equal(true);
      await expect(w.feed.update())
        .to.emit(w.feed, "ObservationRecorded")
        .withArgs(w.tm + 200n, WETH_PA * 200n);

      await time.setNextBlockTimestamp(w.tm + 200n);
      expect(await w.feed.update.staticCall({ blockTag: "pending" })).to.equal(false);
      await expect(w.feed.update()).not.to.emit(w.feed, "ObservationRecorded");
      expect(await w.feed.observationCount()).to.equal(2n);
    });

    it("in the deployment's second it records nothing (the constructor's observation is of that second)", async () => {
      const w = await loadFixture(wethWorld);
      await time.setNextBlockTimestamp(w.tm + 100n);
      await expect(w.feed.update()).not.to.emit(w.feed, "ObservationRecorded");
      expect(await w.feed.observationCount()).to.equal(1n);
    });

    it("is permissionless: any account records", async () => {
      const w = await loadFixture(wethWorld);
      await time.setNextBlockTimestamp(w.tm + 150n);
      await expect(w.feed.connect(w.trader).update()).to.emit(w.feed, "ObservationRecorded");
    });
  });

  describe("ring of 512 observations", () => {
    // Deployed at Tm+100, then one update per second: at Tm+611 the ring is full (512 observations, none
    // overwritten); updates at Tm+612 … Tm+614 overwrite the three oldest. Constant price, so the observation
    // at Tm+t holds pA·t.
    async function ringFullWorld(): Promise<TwapWorld> {
      const w = await loadFixture(wethWorld);
      for (let t = 101n; t <= 611n; t++) await updateAt(w.feed, w.tm + t);
      return w;
    }

    async function wrappedWorld(): Promise<TwapWorld> {
      const w = await loadFixture(ringFullWorld);
      for (let t = 612n; t <= 614n; t++) await updateAt(w.feed, w.tm + t);
      return w;
    }

    it("OBSERVATION_CAPACITY is 512", async () => {
      const w = await loadFixture(wethWorld);
      expect(await w.feed.OBSERVATION_CAPACITY()).to.equal(512n);
    });

    it("full at 512 (Tm+100 … Tm+611); the 513th overwrites the deployment's observation; observation(512) reverts ObservationNotFound(512, 512)", async () => {
      const w = await loadFixture(ringFullWorld);
      expect(await w.feed.observationCount()).to.equal(512n);
      expect(await w.feed.observation(0n)).to.deep.equal([w.tm + 100n, WETH_PA * 100n]);
      expect(await w.feed.observation(511n)).to.deep.equal([w.tm + 611n, WETH_PA * 611n]);
      await expect(w.feed.observation(512n))
        .to.be.revertedWithCustomError(w.feed, "ObservationNotFound")
        .withArgs(512n, 512n);

      await updateAt(w.feed, w.tm + 612n);
      expect(await w.feed.observationCount()).to.equal(512n);
      expect(await w.feed.observation(0n)).to.deep.equal([w.tm + 101n, WETH_PA * 101n]);
      expect(await w.feed.observation(511n)).to.deep.equal([w.tm + 612n, WETH_PA * 612n]);
    });

    it("after 515 observations it holds Tm+103 … Tm+614 in time order", async () => {
      const w = await loadFixture(wrappedWorld);
      expect(await w.feed.observationCount()).to.equal(512n);
      expect(await w.feed.observation(0n)).to.deep.equal([w.tm + 103n, WETH_PA * 103n]);
      expect(await w.feed.observation(1n)).to.deep.equal([w.tm + 104n, WETH_PA * 104n]);
      expect(await w.feed.observation(508n)).to.deep.equal([w.tm + 611n, WETH_PA * 611n]);
      expect(await w.feed.observation(509n)).to.deep.equal([w.tm + 612n, WETH_PA * 612n]);
      expect(await w.feed.observation(511n)).to.deep.equal([w.tm + 614n, WETH_PA * 614n]);
      await expect(w.feed.observation(512n))
        .to.be.revertedWithCustomError(w.feed, "ObservationNotFound")
        .withArgs(512n, 512n);
    });

    it("after the wrap the search still finds the newest observation ≥ 600 s old; with fewer than 600 s held it uses the oldest", async () => {
      const w = await loadFixture(wrappedWorld);
      // At Tm+614 the oldest held is Tm+103: only 511 s of history for a 600 s window.
      expect(await w.feed.consult()).to.deep.equal([WETH_CONSTANT_TWAP, 511n]);
      for (const [at, windowUsed] of [
        [702n, 599n], // nothing held is 600 s old yet: the oldest, Tm+103
        [703n, 600n], // Tm+103, the oldest held, exactly 600 s old
        [1000n, 600n], // Tm+400, in the middle of the ring
        [1212n, 600n], // Tm+612, in the slot the deployment's observation had
        [1213n, 600n], // Tm+613, the second newest
        [1214n, 600n], // Tm+614, the newest
        [1300n, 686n], // nothing newer than Tm+614
      ] as const) {
        await mineAt(w.tm + at);
        expect(await w.feed.consult()).to.deep.equal([WETH_CONSTANT_TWAP, windowUsed]);
      }
    });
  });

  describe("rounds, quote feed and configuration", () => {
    it("every read is a round of the current block; getRoundData answers block.number only", async () => {
      const w = await loadFixture(wethWorld);
      await mineAt(w.tm + 700n);
      const blockNumber = BigInt(await ethers.provider.getBlockNumber());
      const round = await w.feed.latestRoundData();
      expect(round).to.deep.equal([blockNumber, WETH_CONSTANT_TWAP, w.tm + 700n, w.tm + 700n, blockNumber]);
      expect(await w.feed.getRoundData(blockNumber)).to.deep.equal(round);
      for (const roundId of [blockNumber - 1n, blockNumber + 1n]) {
        await expect(w.feed.getRoundData(roundId))
          .to.be.revertedWithCustomError(w.feed, "RoundNotAvailable")
          .withArgs(roundId);
      }
    });

    it("decimals 8, version 1, windowSeconds 600, and the description it was given", async () => {
      const w = await loadFixture(wethWorld);
      expect(await w.feed.decimals()).to.equal(8n);
      expect(await w.feed.version()).to.equal(1n);
      expect(await w.feed.windowSeconds()).to.equal(600n);
      expect(await w.feed.description()).to.equal("WETH / USD (Uniswap V2 10-min TWAP)");
    });

    for (const answer of [0n, -1n]) {
      it(`a quote answer of ${answer} reverts InvalidQuotePrice(${answer}), for the spot answer (0 s) and the average`, async () => {
        const w = await loadFixture(wethWorld);
        await time.setNextBlockTimestamp(w.tm + 100n);
        await w.quoteUsdFeed.updateAnswer(answer);
        await expect(w.feedWithQuote.consult())
          .to.be.revertedWithCustomError(w.feedWithQuote, "InvalidQuotePrice")
          .withArgs(answer);
        await mineAt(w.tm + 200n);
        await expect(w.feedWithQuote.consult())
          .to.be.revertedWithCustomError(w.feedWithQuote, "InvalidQuotePrice")
          .withArgs(answer);
      });
    }

    it("reverts ZeroWindow for a 0 s window; 1 s is accepted", async () => {
      const w = await loadFixture(wethWorld);
      const factory = new UniswapV2TwapFeed__factory(w.owner);
      await expect(factory.deploy(w.pool.address, w.baseAddress, ZeroAddress, 0n, "x")).to.be.revertedWithCustomError(
        factory,
        "ZeroWindow"
      );
      await expect(factory.deploy(w.pool.address, w.baseAddress, ZeroAddress, 1n, "x")).not.to.be.reverted;
    });

    it("shares the spot feed's checks: TokenNotInPair(pair, token)", async () => {
      const w = await loadFixture(wethWorld);
      const dai = await new MockERC20__factory(w.owner).deploy("DAI", "DAI", 18, await w.owner.getAddress());
      const factory = new UniswapV2TwapFeed__factory(w.owner);
      await expect(factory.deploy(w.pool.address, await dai.getAddress(), ZeroAddress, WINDOW_SECONDS, "x"))
        .to.be.revertedWithCustomError(factory, "TokenNotInPair")
        .withArgs(w.pool.address, await dai.getAddress());
    });

    it("refuses a pair without liquidity: EmptyReserves(0, 0) at deployment (an average over an empty pair would be too low)", async () => {
      const [owner] = await ethers.getSigners();
      if (owner === undefined) throw new Error("no signer");
      const { base, quote } = await deployTokensInOrder(
        owner,
        { symbol: "WETH", decimals: 18 },
        { symbol: "USDC", decimals: 6 },
        true
      );
      const uniswap = await deployUniswapV2Factory(owner);
      await (await uniswap.createPair(base, quote)).wait();
      const pairAddress = await uniswap.getPair(base, quote);
      const factory = new UniswapV2TwapFeed__factory(owner);
      await expect(factory.deploy(pairAddress, base, ZeroAddress, WINDOW_SECONDS, "x"))
        .to.be.revertedWithCustomError(factory, "EmptyReserves")
        .withArgs(0n, 0n);
    });
  });

  describe("as a PooledLendingPool price feed", () => {
    it("the pool accepts it (8 decimals) and prices WETH at its answer; a dump in the second being read does not move the pool's price", async () => {
      const pw = await deployPoolWorld();
      const wethAddress = await pw.weth.getAddress();
      await pw.weth.mint(pw.owner.address, 110n * ONE_WETH);
      await pw.usdc.mint(pw.owner.address, 200_000n * ONE_USDC);
      const uniswap = await deployUniswapV2Factory(pw.owner);
      const pair = await createPairWithLiquidity(
        uniswap,
        pw.weth,
        pw.usdc,
        100n * ONE_WETH,
        200_000n * ONE_USDC,
        pw.owner
      );
      const [, , tm] = await pair.pair.getReserves();
      await time.setNextBlockTimestamp(tm + 100n);
      const feed = await new UniswapV2TwapFeed__factory(pw.owner).deploy(
        pair.address,
        wethAddress,
        ZeroAddress,
        WINDOW_SECONDS,
        "x"
      );
      await time.setNextBlockTimestamp(tm + 700n);
      await pw.pool.setReserveConfig(wethAddress, wethConfig(await feed.getAddress()));
      expect(await pw.pool.getAssetPrice(wethAddress)).to.equal(WETH_CONSTANT_TWAP);

      // 10 WETH straight into the pair and out 18_132_217_877 USDC units (the spot price falls to $1,653.34).
      await time.setNextBlockTimestamp(tm + 700n);
      await pw.weth.transfer(pair.address, 10n * ONE_WETH);
      const [out0, out1] = BigInt(pair.token0) === BigInt(wethAddress) ? [0n, 18_132_217_877n] : [18_132_217_877n, 0n];
      await time.setNextBlockTimestamp(tm + 700n);
      await pair.pair.swap(out0, out1, pw.owner.address, "0x");
      expect(await pw.pool.getAssetPrice(wethAddress)).to.equal(WETH_CONSTANT_TWAP);
    });
  });
});
