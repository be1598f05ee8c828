/**
 * simulator/math's ammFeedMath equals the AMM feeds to the wei:
 *  - hand-checked figures and edge cases (wrapping accumulators, the reverts);
 *  - thousands of seeded random vectors through `AmmFeedMathHarness`, including what a real pair takes
 *    decades to reach (a cumulative price wrapping at 2^256, uint32 timestamps wrapping);
 *  - seeded random worlds on real Uniswap V2 pairs (random decimals, token order, reserves, quote feed, window),
 *    driven by random swaps, updates and time steps, one of them across the pair's uint32 timestamp wrap:
 *    after every step the spot feed, the TWAP feed's cumulative price, observations and answer equal the
 *    mirror's prediction, and every swap's resulting spot price was predicted before it was sent.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import type { SnapshotRestorer } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress } from "ethers";
import {
  AmmFeedMathHarness__factory,
  UniswapV2SpotFeed__factory,
  UniswapV2TwapFeed__factory,
} from "../../typechain-types";
import type { AmmFeedMathHarness, UniswapV2SpotFeed, UniswapV2TwapFeed } from "../../typechain-types";
import {
  MAX_UINT256,
  ONE_USD_E8,
  Q112,
  Rng,
  TWAP_OBSERVATION_CAPACITY,
  consultTwapFeed,
  currentCumulativePrice,
  priceAfterSwapE8,
  reservesAfterSwap,
  spotPriceE8,
  twapPriceE8,
  updateTwapObservations,
} from "../../simulator/math";
import type { TwapObservation } from "../../simulator/math";
import { deployFeedPairWorld, swapExactIn } from "../helpers/ammFeeds";
import type { FeedPairWorld } from "../helpers/ammFeeds";

const UINT32 = 2n ** 32n;
const UINT256 = 2n ** 256n;
const MAX_RESERVE = 2n ** 112n - 1n;

/** A value of random magnitude: up to `maxBits` bits, so small and large numbers are both common. */
function magnitude(rng: Rng, maxBits: number): bigint {
  return rng.nextBigInt(1n << BigInt(rng.nextInt(0, maxBits)));
}

/** The mirror's result, or the Solidity panic code its error stands for. */
function outcome(compute: () => bigint): bigint | { panic: number } {
  try {
    return compute();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { panic: e.message.includes("division by zero") ? 0x12 : 0x11 };
  }
}

async function deployHarness(): Promise<AmmFeedMathHarness> {
  const [owner] = await ethers.getSigners();
  if (owner === undefined) throw new Error("no signer");
  return new AmmFeedMathHarness__factory(owner).deploy();
}

describe("simulator/math ammFeedMath mirror", () => {
  // The random worlds below move the chain's clock past 2106 (the uint32 wrap); put it back for later files.
  let chainBefore: SnapshotRestorer;
  before(async () => {
    chainBefore = await takeSnapshot();
  });
  after(async () => {
    await chainBefore.restore();
  });

  describe("hand-checked figures", () => {
    it("spotPriceE8: 300 WETH / 1,000,000 USDC is 333_333_333_333, at USDC $0.99 330_000_000_000 (one rounding)", () => {
      expect(spotPriceE8(300n * 10n ** 18n, 1_000_000n * 10n ** 6n, 18, 6, ONE_USD_E8)).to.equal(333_333_333_333n);
      expect(spotPriceE8(300n * 10n ** 18n, 1_000_000n * 10n ** 6n, 18, 6, 99_000_000n)).to.equal(330_000_000_000n);
      expect(spotPriceE8(3n * 10n ** 8n, 100_000n * 10n ** 6n, 8, 6, ONE_USD_E8)).to.equal(3_333_333_333_333n);
    });

    it("priceAfterSwapE8: 30 WETH sold into 300 WETH / 1,000,000 USDC gives 275_557_245_640 (out 90_661_089_388)", () => {
      const swap = {
        reserveBase: 300n * 10n ** 18n,
        reserveQuote: 1_000_000n * 10n ** 6n,
        amountIn: 30n * 10n ** 18n,
      } as const;
      expect(reservesAfterSwap({ ...swap, tokenIn: "base" })).to.deep.equal({
        reserveBase: 330n * 10n ** 18n,
        reserveQuote: 909_338_910_612n,
        amountOut: 90_661_089_388n,
      });
      expect(
        priceAfterSwapE8({ ...swap, tokenIn: "base", baseDecimals: 18, quoteDecimals: 6, quoteUsdE8: ONE_USD_E8 })
      ).to.equal(275_557_245_640n);
    });

    it("reservesAfterSwap throws where the swap reverts: no input, an empty reserve, an input that buys nothing", () => {
      expect(() => reservesAfterSwap({ reserveBase: 10n, reserveQuote: 10n, amountIn: 0n, tokenIn: "base" })).to.throw(
        RangeError,
        "ZeroAmount"
      );
      expect(() => reservesAfterSwap({ reserveBase: 0n, reserveQuote: 10n, amountIn: 1n, tokenIn: "base" })).to.throw(
        RangeError,
        "InsufficientLiquidity"
      );
      // 1 wei of WETH into 100 WETH / 200,000 USDC: 997 · 200_000e6 / (100e18 · 1000 + 997) < 1
      expect(() =>
        reservesAfterSwap({
          reserveBase: 100n * 10n ** 18n,
          reserveQuote: 200_000n * 10n ** 6n,
          amountIn: 1n,
          tokenIn: "base",
        })
      ).to.throw(RangeError, "InsufficientOutput");
    });

    it("currentCumulativePrice adds floor(reserveQuote · 2^112 / reserveBase) × elapsed, across the uint32 and uint256 wraps", () => {
      const priceX112 = (200_000n * 10n ** 6n * Q112) / (100n * 10n ** 18n);
      expect(priceX112).to.equal(10_384_593_717_069_655_257_060_992n);
      expect(currentCumulativePrice(7n, 100n * 10n ** 18n, 200_000n * 10n ** 6n, 1000n, 1060n)).to.equal(
        7n + priceX112 * 60n
      );
      // Stored at 2^32 − 10, read at 5 after the wrap: 15 s.
      expect(currentCumulativePrice(0n, 100n * 10n ** 18n, 200_000n * 10n ** 6n, UINT32 - 10n, 5n)).to.equal(
        priceX112 * 15n
      );
      // 1 below 2^256 plus priceX112 × 2 wraps to priceX112 × 2 − 1.
      expect(currentCumulativePrice(MAX_UINT256, 100n * 10n ** 18n, 200_000n * 10n ** 6n, 0n, 2n)).to.equal(
        priceX112 * 2n - 1n
      );
      // No time or an empty reserve: nothing accumulates, as in the pair.
      expect(currentCumulativePrice(7n, 1n, 1n, 5n, 5n)).to.equal(7n);
      expect(currentCumulativePrice(7n, 0n, 1n, 5n, 6n)).to.equal(7n);
      expect(currentCumulativePrice(7n, 1n, 0n, 5n, 6n)).to.equal(7n);
    });

    it("twapPriceE8 averages across the 2^256 wrap and throws for 0 s, as the contract reverts", () => {
      const priceX112 = 10_384_593_717_069_655_257_060_992n; // $2,000 for 18/6 decimals, truncated
      const start = UINT256 - priceX112 * 3n;
      const end = priceX112 * 597n; // start + priceX112 · 600, mod 2^256
      expect(twapPriceE8(start, end, 600n, 18, 6, ONE_USD_E8)).to.equal(199_999_999_999n);
      expect(() => twapPriceE8(start, end, 0n, 18, 6, ONE_USD_E8)).to.throw(RangeError, "division by zero");
      expect(() => spotPriceE8(0n, 1n, 18, 6, ONE_USD_E8)).to.throw(RangeError, "division by zero");
    });

    it("updateTwapObservations appends the carried-forward cumulative price, once per second, keeping the newest 512", () => {
      const pair = {
        reserveBase: 100n * 10n ** 18n,
        reserveQuote: 200_000n * 10n ** 6n,
        blockTimestampLast: 1000n,
        priceCumulativeLast: 0n,
      };
      const priceX112 = 10_384_593_717_069_655_257_060_992n;
      const one = updateTwapObservations([], 1100n, pair);
      expect(one).to.deep.equal([{ timestamp: 1100n, priceCumulative: priceX112 * 100n }]);
      expect(updateTwapObservations(one, 1100n, pair)).to.deep.equal(one);
      let full: TwapObservation[] = [];
      for (let t = 1001n; t <= 1000n + BigInt(TWAP_OBSERVATION_CAPACITY); t++)
        full = updateTwapObservations(full, t, pair);
      expect(full.length).to.equal(512);
      const wrapped = updateTwapObservations(full, 1513n, pair);
      expect(wrapped.length).to.equal(512);
      expect(wrapped[0]).to.deep.equal({ timestamp: 1002n, priceCumulative: priceX112 * 2n });
      expect(wrapped[511]).to.deep.equal({ timestamp: 1513n, priceCumulative: priceX112 * 513n });
    });

    it("consultTwapFeed picks the newest observation at least the window old, else the oldest, else the spot price", () => {
      const pair = {
        reserveBase: 100n * 10n ** 18n,
        reserveQuote: 200_000n * 10n ** 6n,
        blockTimestampLast: 1000n,
        priceCumulativeLast: 0n,
      };
      const observations = [1100n, 1200n, 1700n].map((t) => ({
        timestamp: t,
        priceCumulative: 10_384_593_717_069_655_257_060_992n * (t - 1000n),
      }));
      const consultAt = (blockTimestamp: bigint) =>
        consultTwapFeed({
          observations,
          windowSeconds: 600n,
          blockTimestamp,
          pair,
          baseDecimals: 18,
          quoteDecimals: 6,
          quoteUsdE8: ONE_USD_E8,
        });
      expect(consultAt(1100n)).to.deep.equal({ priceE8: 200_000_000_000n, windowUsedSeconds: 0n });
      expect(consultAt(1699n)).to.deep.equal({ priceE8: 199_999_999_999n, windowUsedSeconds: 599n });
      expect(consultAt(1799n)).to.deep.equal({ priceE8: 199_999_999_999n, windowUsedSeconds: 699n });
      expect(consultAt(1800n)).to.deep.equal({ priceE8: 199_999_999_999n, windowUsedSeconds: 600n });
      expect(() =>
        consultTwapFeed({
          observations,
          windowSeconds: 600n,
          blockTimestamp: 1800n,
          pair,
          baseDecimals: 18,
          quoteDecimals: 6,
          quoteUsdE8: 0n,
        })
      ).to.throw(RangeError, "InvalidQuotePrice(0)");
    });
  });

  describe("against AmmFeedMathHarness on seeded random vectors", () => {
    const VECTORS = 600;

    it(`spotPriceE8: ${VECTORS} vectors (decimals 0–36, reserves up to 2^112, quote prices up to 2^96) to the wei, and the same reverts`, async () => {
      const harness = await loadFixture(deployHarness);
      const rng = new Rng(20_240_601n);
      const inputs = Array.from({ length: VECTORS }, () => ({
        reserveBase: magnitude(rng, 112),
        reserveQuote: magnitude(rng, 112),
        baseDecimals: rng.nextInt(0, 36),
        quoteDecimals: rng.nextInt(0, 36),
        quoteUsdE8: rng.chance(1, 3) ? ONE_USD_E8 : magnitude(rng, 96),
      }));
      const expected = inputs.map((s) =>
        outcome(() => spotPriceE8(s.reserveBase, s.reserveQuote, s.baseDecimals, s.quoteDecimals, s.quoteUsdE8))
      );
      const valid = inputs.filter((_, i) => typeof expected[i] === "bigint");
      expect(await harness.spotPriceE8(valid)).to.deep.equal(expected.filter((e) => typeof e === "bigint"));
      const failing = inputs.map((s, i) => [s, expected[i]] as const).filter(([, e]) => typeof e !== "bigint");
      expect(failing.length).to.be.greaterThan(0);
      for (const [input, e] of failing.slice(0, 10)) {
        if (typeof e === "bigint" || e === undefined) throw new Error("unreachable");
        await expect(harness.spotPriceE8([input])).to.be.revertedWithPanic(e.panic);
      }
    });

    it(`currentCumulativePrice: ${VECTORS} vectors, a third near the 2^256 wrap and a third across the uint32 wrap`, async () => {
      const harness = await loadFixture(deployHarness);
      const rng = new Rng(20_240_602n);
      const inputs = Array.from({ length: VECTORS }, (_, i) => {
        const blockTimestampLast = rng.nextBigInt(UINT32);
        return {
          priceCumulativeLast: i % 3 === 0 ? MAX_UINT256 - magnitude(rng, 240) : rng.nextBigInt(UINT256),
          reserveBase: rng.chance(1, 20) ? 0n : magnitude(rng, 112),
          reserveQuote: rng.chance(1, 20) ? 0n : magnitude(rng, 112),
          blockTimestampLast,
          blockTimestamp:
            i % 3 === 1 ? rng.nextBigInt(blockTimestampLast + 1n) : (blockTimestampLast + magnitude(rng, 32)) % UINT32,
        };
      });
      const expected = inputs.map((c) =>
        currentCumulativePrice(
          c.priceCumulativeLast,
          c.reserveBase,
          c.reserveQuote,
          c.blockTimestampLast,
          c.blockTimestamp
        )
      );
      expect(await harness.currentCumulativePrice(inputs)).to.deep.equal(expected);
    });

    it(`twapPriceE8: ${VECTORS} vectors from real-looking accumulations (some across the 2^256 wrap) to the wei, and the same reverts`, async () => {
      const harness = await loadFixture(deployHarness);
      const rng = new Rng(20_240_603n);
      const inputs = Array.from({ length: VECTORS }, () => {
        const reserveBase = magnitude(rng, 112) + 1n;
        const reserveQuote = magnitude(rng, 112) + 1n;
        const priceCumulativeStart = rng.chance(1, 3) ? MAX_UINT256 - magnitude(rng, 200) : rng.nextBigInt(UINT256);
        const elapsedSeconds = rng.chance(1, 50) ? 0n : magnitude(rng, 32);
        const priceCumulativeEnd = currentCumulativePrice(
          priceCumulativeStart,
          reserveBase,
          reserveQuote,
          0n,
          elapsedSeconds % UINT32
        );
        return {
          priceCumulativeStart,
          priceCumulativeEnd,
          elapsedSeconds,
          baseDecimals: rng.nextInt(0, 36),
          quoteDecimals: rng.nextInt(0, 36),
          quoteUsdE8: rng.chance(1, 3) ? ONE_USD_E8 : magnitude(rng, 96),
        };
      });
      const expected = inputs.map((t) =>
        outcome(() =>
          twapPriceE8(
            t.priceCumulativeStart,
            t.priceCumulativeEnd,
            t.elapsedSeconds,
            t.baseDecimals,
            t.quoteDecimals,
            t.quoteUsdE8
          )
        )
      );
      const valid = inputs.filter((_, i) => typeof expected[i] === "bigint");
      expect(await harness.twapPriceE8(valid)).to.deep.equal(expected.filter((e) => typeof e === "bigint"));
      const failing = inputs.map((t, i) => [t, expected[i]] as const).filter(([, e]) => typeof e !== "bigint");
      expect(failing.some(([, e]) => typeof e !== "bigint" && e?.panic === 0x12)).to.equal(true);
      for (const [input, e] of failing.slice(0, 10)) {
        if (typeof e === "bigint" || e === undefined) throw new Error("unreachable");
        await expect(harness.twapPriceE8([input])).to.be.revertedWithPanic(e.panic);
      }
    });
  });

  describe("against the feeds on real pairs, seeded random worlds", () => {
    const DECIMALS = [0, 6, 8, 18, 24];
    const WORLDS = 8;
    const STEPS = 30;
    /** What the worlds exercised, checked at the end so that a change of draws cannot silently skip a case. */
    const seen = {
      spotAnswers: 0,
      warmUpAnswers: 0,
      fullWindowAnswers: 0,
      sameSecondUpdates: 0,
      baseIsToken0: new Set<boolean>(),
      withQuoteFeed: new Set<boolean>(),
    };

    interface RandomWorld extends FeedPairWorld {
      spot: UniswapV2SpotFeed;
      twap: UniswapV2TwapFeed;
      windowSeconds: bigint;
      baseDecimals: number;
      quoteDecimals: number;
      /** Whether the feeds have a quote feed (`quoteUsdFeed`), else the quote token counts as $1. */
      withQuoteFeed: boolean;
    }

    /** A reserve of 10^max(decimals, 4) to 10^(decimals + 6) units: 1 to a million whole tokens, below 2^100. */
    function randomReserve(rng: Rng, decimals: number): bigint {
      return rng.bigIntBetween(10n ** BigInt(Math.max(decimals, 4)), 10n ** BigInt(decimals + 6));
    }

    async function deployRandomWorld(rng: Rng, startTimestamp: bigint | undefined): Promise<RandomWorld> {
      if (startTimestamp !== undefined) await time.setNextBlockTimestamp(startTimestamp);
      const baseDecimals = rng.pick(DECIMALS);
      const quoteDecimals = rng.pick(DECIMALS);
      const reserveBase = randomReserve(rng, baseDecimals);
      const reserveQuote = randomReserve(rng, quoteDecimals);
      const withQuoteFeed = rng.chance(1, 2);
      const w = await deployFeedPairWorld({
        base: { symbol: "BASE", decimals: baseDecimals },
        quote: { symbol: "QUOTE", decimals: quoteDecimals },
        baseIsToken0: rng.chance(1, 2),
        reserveBase,
        reserveQuote,
        quoteUsdE8: rng.bigIntBetween(1n, 10n ** 12n),
        // Whatever the trader pays in stays in the pair, whose reserves stay below 2^112.
        traderBase: MAX_RESERVE,
        traderQuote: MAX_RESERVE,
      });
      const quoteFeed = withQuoteFeed ? await w.quoteUsdFeed.getAddress() : ZeroAddress;
      const windowSeconds = BigInt(rng.pick([1, 12, 60, 600, 1800]));
      const spot = await new UniswapV2SpotFeed__factory(w.owner).deploy(
        w.pool.address,
        w.baseAddress,
        quoteFeed,
        "spot"
      );
      const twap = await new UniswapV2TwapFeed__factory(w.owner).deploy(
        w.pool.address,
        w.baseAddress,
        quoteFeed,
        windowSeconds,
        "twap"
      );
      return { ...w, spot, twap, windowSeconds, baseDecimals, quoteDecimals, withQuoteFeed };
    }

    async function quoteUsdE8(w: RandomWorld): Promise<bigint> {
      return w.withQuoteFeed ? (await w.quoteUsdFeed.latestRoundData()).answer : ONE_USD_E8;
    }

    /** The pair as the feeds read it, in (base, quote) order. */
    async function pairState(w: RandomWorld) {
      const [reserve0, reserve1, blockTimestampLast] = await w.pool.pair.getReserves();
      const priceCumulativeLast = w.baseIsToken0
        ? await w.pool.pair.price0CumulativeLast()
        : await w.pool.pair.price1CumulativeLast();
      const [reserveBase, reserveQuote] = w.baseIsToken0 ? [reserve0, reserve1] : [reserve1, reserve0];
      return { reserveBase, reserveQuote, blockTimestampLast, priceCumulativeLast };
    }

    async function chainObservations(feed: UniswapV2TwapFeed): Promise<TwapObservation[]> {
      const count = await feed.observationCount();
      const out: TwapObservation[] = [];
      for (let i = 0n; i < count; i++) {
        const o = await feed.observation(i);
        out.push({ timestamp: o.timestamp, priceCumulative: o.priceCumulative });
      }
      return out;
    }

    /** Every feed read at the latest block equals the mirror's, and so do the observations kept by `model`. */
    async function expectFeedsMatch(w: RandomWorld, model: TwapObservation[], context: string): Promise<void> {
      const now = BigInt(await time.latest());
      const pair = await pairState(w);
      const quote = await quoteUsdE8(w);
      expect(await w.spot.latestRoundData().then((r) => r.answer), `${context}: spot`).to.equal(
        spotPriceE8(pair.reserveBase, pair.reserveQuote, w.baseDecimals, w.quoteDecimals, quote)
      );
      expect(await w.twap.currentPriceCumulative(), `${context}: cumulative`).to.equal(
        currentCumulativePrice(
          pair.priceCumulativeLast,
          pair.reserveBase,
          pair.reserveQuote,
          pair.blockTimestampLast,
          now % UINT32
        )
      );
      expect(await chainObservations(w.twap), `${context}: observations`).to.deep.equal(model);
      const predicted = consultTwapFeed({
        observations: model,
        windowSeconds: w.windowSeconds,
        blockTimestamp: now,
        pair,
        baseDecimals: w.baseDecimals,
        quoteDecimals: w.quoteDecimals,
        quoteUsdE8: quote,
      });
      expect(await w.twap.consult(), `${context}: consult`).to.deep.equal([
        predicted.priceE8,
        predicted.windowUsedSeconds,
      ]);
      if (predicted.windowUsedSeconds === 0n) seen.spotAnswers++;
      else if (predicted.windowUsedSeconds < w.windowSeconds) seen.warmUpAnswers++;
      else seen.fullWindowAnswers++;
    }

    for (let seed = 1; seed <= WORLDS; seed++) {
      // World 1 starts 40 minutes before the uint32 wrap (2106-02-07 06:28:16 UTC), so its pair's stored
      // timestamps wrap to small numbers mid-run while the feed's own observations keep full timestamps.
      const startTimestamp = seed === 1 ? UINT32 - 2400n : undefined;
      it(`world ${seed}: ${STEPS} random swaps, updates and time steps${
        seed === 1 ? " across the uint32 timestamp wrap" : ""
      }`, async () => {
        const rng = new Rng(BigInt(seed)).fork("ammFeedMath worlds");
        const w = await deployRandomWorld(rng, startTimestamp);
        seen.baseIsToken0.add(w.baseIsToken0);
        seen.withQuoteFeed.add(w.withQuoteFeed);
        // The constructor's observation is the mirror's cumulative price at the deployment block, the latest.
        let now = BigInt(await time.latest());
        let model = updateTwapObservations([], now, await pairState(w));
        await expectFeedsMatch(w, model, `world ${seed} deployed`);
        let swaps = 0;
        let updates = 0;

        for (let step = 0; step < STEPS; step++) {
          const context = `world ${seed} step ${step}`;
          // 0 s (another block in the same second) is as likely as any gap; some gaps exceed the window.
          now += rng.pick([0n, 1n, BigInt(rng.nextInt(2, 120)), w.windowSeconds, BigInt(rng.nextInt(1, 4000))]);
          const action = rng.pick(["swap", "swap", "update", "quote", "mine"] as const);
          await time.setNextBlockTimestamp(now);
          if (action === "swap") {
            const pair = await pairState(w);
            // Paying in the larger side only when it is below 2^104 keeps the reserves far from the pair's
            // 'UniswapV2: OVERFLOW' at 2^112 (the product of the two stays near its initial 2^200 at most).
            const picked = rng.pick(["base", "quote"] as const);
            const pickedReserve = picked === "base" ? pair.reserveBase : pair.reserveQuote;
            const tokenIn = pickedReserve < 2n ** 104n ? picked : picked === "base" ? "quote" : "base";
            const reserveIn = tokenIn === "base" ? pair.reserveBase : pair.reserveQuote;
            const amountIn = (reserveIn * BigInt(rng.nextInt(1, 60))) / 100n + rng.nextBigInt(1000n) + 1n;
            const quote = await quoteUsdE8(w);
            const predicted = priceAfterSwapE8({
              ...pair,
              amountIn,
              tokenIn,
              baseDecimals: w.baseDecimals,
              quoteDecimals: w.quoteDecimals,
              quoteUsdE8: quote,
            });
            await swapExactIn(w, tokenIn, amountIn);
            expect((await w.spot.latestRoundData()).answer, `${context}: predicted spot after the swap`).to.equal(
              predicted
            );
            swaps++;
          } else if (action === "update") {
            const before = model.length;
            model = updateTwapObservations(model, now, await pairState(w));
            if (model.length === before) seen.sameSecondUpdates++;
            else updates++;
            await (await w.twap.update()).wait();
          } else if (action === "quote") {
            await (await w.quoteUsdFeed.updateAnswer(rng.bigIntBetween(1n, 10n ** 12n))).wait();
          } else {
            await ethers.provider.send("evm_mine", []);
          }
          expect(BigInt(await time.latest())).to.equal(now);
          await expectFeedsMatch(w, model, context);
        }
        expect(swaps, "swaps").to.be.greaterThan(0);
        expect(updates, "updates").to.be.greaterThan(0);
        if (seed === 1) expect(now > UINT32, "world 1 ends after the uint32 wrap").to.equal(true);
      });
    }

    it("the worlds covered both token orders, quote feed on and off, spot, warm-up and full-window answers, same-second updates", () => {
      expect([...seen.baseIsToken0].sort()).to.deep.equal([false, true]);
      expect([...seen.withQuoteFeed].sort()).to.deep.equal([false, true]);
      expect(seen.spotAnswers, "spot answers").to.be.greaterThan(0);
      expect(seen.warmUpAnswers, "warm-up answers").to.be.greaterThan(0);
      expect(seen.fullWindowAnswers, "full-window answers").to.be.greaterThan(0);
      expect(seen.sameSecondUpdates, "same-second updates").to.be.greaterThan(0);
    });
  });
});
