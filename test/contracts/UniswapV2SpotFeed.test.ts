/**
 * UniswapV2SpotFeed on real Uniswap V2 pairs (v2-core's published artifacts): the answer is the base token's
 * price at the pair's current reserves, rounded down once,
 *
 *   priceE8 = reserveQuote · 10^baseDecimals · quoteUsdE8 / (reserveBase · 10^quoteDecimals)
 *
 * with quoteUsdE8 = 1e8 without a quote feed. Swaps go through SwapHelper, whose output is Uniswap's
 * out = in·997·reserveOut / (reserveIn·1000 + in·997), rounded down.
 *
 * WETH (18) / USDC (6), 300 WETH / 1,000,000 USDC:
 *   no quote feed     1e12·1e18·1e8 / (300e18·1e6)  = 333_333_333_333.3… → 333_333_333_333   ($3,333.33333333)
 *   USDC at $0.99     1e12·1e18·99e6 / (300e18·1e6) = 330_000_000_000 exactly; rounding the $1 price first
 *                     and then multiplying would lose a unit: 333_333_333_333 · 0.99 = 329_999_999_999.67
 *   30 WETH in        out = 30e18·997·1e12 / (300e18·1000 + 30e18·997) = 90_661_089_388 (USDC units)
 *                     reserves 330e18 / 909_338_910_612 → 275_557_245_640 (at $0.99: 272_801_673_183)
 *   100,000 USDC in   out = 27_198_326_816_404_473_947 wei
 *                     reserves 272_801_673_183_595_526_053 / 1_100_000e6 → 403_223_333_333 (at $0.99: 399_191_099_999)
 * WBTC (8) / USDC (6), 3 WBTC / 100,000 USDC:
 *   no quote feed     1e11·1e8·1e8 / (3e8·1e6)      = 3_333_333_333_333.3… → 3_333_333_333_333
 *   USDC at $0.99     1e11·1e8·99e6 / (3e8·1e6)     = 3_300_000_000_000 exactly
 *   0.3 WBTC in       out = 9_066_108_938; reserves 330_000_000 / 90_933_891_062 → 2_755_572_456_424 (2_728_016_731_860)
 *   10,000 USDC in    out = 27_198_326;    reserves 272_801_674 / 110_000e6 → 4_032_233_321_266 (3_991_910_988_053)
 * Every figure holds with the base token as the pair's token0 and as its token1.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { MockERC20__factory, MockPriceFeed__factory, UniswapV2SpotFeed__factory } from "../../typechain-types";
import type { UniswapV2SpotFeed } from "../../typechain-types";
import { ZeroAddress } from "ethers";
import { baseQuoteReserves, deployFeedPairWorld, deployTokensInOrder, swapExactIn } from "../helpers/ammFeeds";
import type { FeedPairWorld } from "../helpers/ammFeeds";
import { createPairWithLiquidity, deployUniswapV2Factory } from "../helpers/uniswap";
import { deployPoolWorld, usd, wethConfig } from "../helpers/pool";

const ONE_USDC = 10n ** 6n;
const ONE_WETH = 10n ** 18n;
const ONE_WBTC = 10n ** 8n;
const USDC_AT_99_CENTS = 99_000_000n;

interface SwapCase {
  label: string;
  amount: bigint;
  out: bigint;
  /** [no quote feed, USDC at $0.99] after the swap. */
  after: [bigint, bigint];
}

interface SpotCase {
  label: string;
  base: { symbol: string; decimals: number };
  reserveBase: bigint;
  reserveQuote: bigint;
  /** [no quote feed, USDC at $0.99] for each state of the pair. */
  initial: [bigint, bigint];
  baseIn: SwapCase;
  quoteIn: SwapCase;
}

const CASES: SpotCase[] = [
  {
    label: "WETH (18) / USDC (6)",
    base: { symbol: "WETH", decimals: 18 },
    reserveBase: 300n * ONE_WETH,
    reserveQuote: 1_000_000n * ONE_USDC,
    initial: [333_333_333_333n, 330_000_000_000n],
    baseIn: {
      label: "30 WETH in",
      amount: 30n * ONE_WETH,
      out: 90_661_089_388n,
      after: [275_557_245_640n, 272_801_673_183n],
    },
    quoteIn: {
      label: "100,000 USDC in",
      amount: 100_000n * ONE_USDC,
      out: 27_198_326_816_404_473_947n,
      after: [403_223_333_333n, 399_191_099_999n],
    },
  },
  {
    label: "WBTC (8) / USDC (6)",
    base: { symbol: "WBTC", decimals: 8 },
    reserveBase: 3n * ONE_WBTC,
    reserveQuote: 100_000n * ONE_USDC,
    initial: [3_333_333_333_333n, 3_300_000_000_000n],
    baseIn: {
      label: "0.3 WBTC in",
      amount: 3n * 10n ** 7n,
      out: 9_066_108_938n,
      after: [2_755_572_456_424n, 2_728_016_731_860n],
    },
    quoteIn: {
      label: "10,000 USDC in",
      amount: 10_000n * ONE_USDC,
      out: 27_198_326n,
      after: [4_032_233_321_266n, 3_991_910_988_053n],
    },
  },
];

interface SpotWorld extends FeedPairWorld {
  /** Quote token counted as $1. */
  feed: UniswapV2SpotFeed;
  /** Quote token priced by `quoteUsdFeed` (USDC at $0.99). */
  feedWithQuote: UniswapV2SpotFeed;
}

async function deploySpotWorld(c: SpotCase, baseIsToken0: boolean): Promise<SpotWorld> {
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
  const deployFeed = (quoteFeed: string, name: string): Promise<UniswapV2SpotFeed> =>
    new UniswapV2SpotFeed__factory(w.owner).deploy(w.pool.address, w.baseAddress, quoteFeed, name);
  const feed = await deployFeed(ZeroAddress, `${c.base.symbol} / USD (Uniswap V2 spot)`);
  const feedWithQuote = await deployFeed(await w.quoteUsdFeed.getAddress(), `${c.base.symbol} / USD (spot x USDC/USD)`);
  return { ...w, feed, feedWithQuote };
}

// loadFixture needs one function per world: base as token0 and as token1 for each case.
const FIXTURES = CASES.map((c) => ({
  c,
  fixtures: [true, false].map((baseIsToken0) => ({
    baseIsToken0,
    fixture: async function spotWorld(): Promise<SpotWorld> {
      return deploySpotWorld(c, baseIsToken0);
    },
  })),
}));

async function answers(w: SpotWorld): Promise<[bigint, bigint]> {
  const [[, plain], [, withQuote]] = await Promise.all([w.feed.latestRoundData(), w.feedWithQuote.latestRoundData()]);
  return [plain, withQuote];
}

describe("UniswapV2SpotFeed", () => {
  for (const { c, fixtures } of FIXTURES) {
    for (const { baseIsToken0, fixture } of fixtures) {
      const order = baseIsToken0 ? "base is token0" : "base is token1";

      describe(`${c.label}, ${order}`, () => {
        it(`the pair orders the tokens as intended and the feed reads it so (baseIsToken0 = ${baseIsToken0})`, async () => {
          const w = await loadFixture(fixture);
          expect(w.baseIsToken0).to.equal(baseIsToken0);
          expect(await w.feed.baseIsToken0()).to.equal(baseIsToken0);
          expect(await w.feed.baseToken()).to.equal(w.baseAddress);
          expect(await w.feed.quoteToken()).to.equal(w.quoteAddress);
          expect(await w.feed.pair()).to.equal(w.pool.address);
          expect(await w.feed.baseDecimals()).to.equal(BigInt(c.base.decimals));
          expect(await w.feed.quoteDecimals()).to.equal(6n);
          expect(await w.feed.quoteFeed()).to.equal(ZeroAddress);
          expect(await w.feedWithQuote.quoteFeed()).to.equal(await w.quoteUsdFeed.getAddress());
        });

        it(`answers ${c.initial[0]} with USDC at $1 and ${c.initial[1]} with USDC at $0.99 (rounded down once)`, async () => {
          const w = await loadFixture(fixture);
          expect(await answers(w)).to.deep.equal(c.initial);
        });

        it(`${c.baseIn.label} (out ${c.baseIn.out}) drops it to ${c.baseIn.after[0]} / ${c.baseIn.after[1]}`, async () => {
          const w = await loadFixture(fixture);
          await swapExactIn(w, "base", c.baseIn.amount);
          expect(await baseQuoteReserves(w)).to.deep.equal([
            c.reserveBase + c.baseIn.amount,
            c.reserveQuote - c.baseIn.out,
          ]);
          expect(await answers(w)).to.deep.equal(c.baseIn.after);
        });

        it(`${c.quoteIn.label} (out ${c.quoteIn.out}) lifts it to ${c.quoteIn.after[0]} / ${c.quoteIn.after[1]}`, async () => {
          const w = await loadFixture(fixture);
          await swapExactIn(w, "quote", c.quoteIn.amount);
          expect(await baseQuoteReserves(w)).to.deep.equal([
            c.reserveBase - c.quoteIn.out,
            c.reserveQuote + c.quoteIn.amount,
          ]);
          expect(await answers(w)).to.deep.equal(c.quoteIn.after);
        });
      });
    }
  }

  const [wethCase] = FIXTURES;
  if (wethCase === undefined) throw new Error("no WETH case");
  const [wethFirst] = wethCase.fixtures;
  if (wethFirst === undefined) throw new Error("no WETH fixture");
  const wethWorld = wethFirst.fixture;

  describe("rounds", () => {
    it("every read is a round of the current block: roundId = answeredInRound = block.number, startedAt = updatedAt = block.timestamp", async () => {
      const w = await loadFixture(wethWorld);
      const latest = await ethers.provider.getBlock("latest");
      if (latest === null) throw new Error("no latest block");
      const round = await w.feed.latestRoundData();
      expect(round.roundId).to.equal(BigInt(latest.number));
      expect(round.answer).to.equal(333_333_333_333n);
      expect(round.startedAt).to.equal(BigInt(latest.timestamp));
      expect(round.updatedAt).to.equal(BigInt(latest.timestamp));
      expect(round.answeredInRound).to.equal(BigInt(latest.number));
    });

    it("is always fresh: two days without a trade, updatedAt is still the latest block's timestamp (no staleness guard can fire)", async () => {
      const w = await loadFixture(wethWorld);
      const twoDaysLater = BigInt(await time.latest()) + 2n * 86_400n;
      await time.setNextBlockTimestamp(twoDaysLater);
      await mine();
      const round = await w.feed.latestRoundData();
      expect(round.updatedAt).to.equal(twoDaysLater);
      expect(round.startedAt).to.equal(twoDaysLater);
      expect(round.roundId).to.equal(BigInt(await ethers.provider.getBlockNumber()));
      expect(round.answer).to.equal(333_333_333_333n);
    });

    it("getRoundData(block.number) equals latestRoundData; block.number − 1 and + 1 revert RoundNotAvailable", async () => {
      const w = await loadFixture(wethWorld);
      const blockNumber = BigInt(await ethers.provider.getBlockNumber());
      expect(await w.feed.getRoundData(blockNumber)).to.deep.equal(await w.feed.latestRoundData());
      for (const roundId of [blockNumber - 1n, blockNumber + 1n]) {
        await expect(w.feed.getRoundData(roundId))
          .to.be.revertedWithCustomError(w.feed, "RoundNotAvailable")
          .withArgs(roundId);
      }
    });

    it("decimals 8, version 1, and the description it was given", async () => {
      const w = await loadFixture(wethWorld);
      expect(await w.feed.decimals()).to.equal(8n);
      expect(await w.feed.version()).to.equal(1n);
      expect(await w.feed.description()).to.equal("WETH / USD (Uniswap V2 spot)");
    });
  });

  describe("a swap moves it within the block", () => {
    it("30 WETH sold in the pending block: the pending block's round answers 275_557_245_640 while the latest still says 333_333_333_333", async () => {
      const w = await loadFixture(wethWorld);
      const latestBlock = BigInt(await ethers.provider.getBlockNumber());
      await network.provider.send("evm_setAutomine", [false]);
      try {
        await w.swapHelper
          .connect(w.trader)
          .swapExactIn(w.pool.address, w.baseAddress, 30n * ONE_WETH, 0n, await w.trader.getAddress());
        const pending = await w.feed.latestRoundData({ blockTag: "pending" });
        expect(pending.roundId).to.equal(latestBlock + 1n);
        expect(pending.answer).to.equal(275_557_245_640n);
        expect((await w.feed.latestRoundData()).answer).to.equal(333_333_333_333n);
        await mine();
      } finally {
        await network.provider.send("evm_setAutomine", [true]);
      }
      const mined = await w.feed.latestRoundData();
      expect(mined.roundId).to.equal(latestBlock + 1n);
      expect(mined.answer).to.equal(275_557_245_640n);
    });
  });

  describe("quote feed", () => {
    it("the smallest valid quote answer, 1 ($0.00000001), still prices: 3_333", async () => {
      const w = await loadFixture(wethWorld);
      await w.quoteUsdFeed.updateAnswer(1n);
      // 1e12·1e18·1 / (300e18·1e6) = 3_333.3…
      expect((await w.feedWithQuote.latestRoundData()).answer).to.equal(3_333n);
    });

    for (const answer of [0n, -1n]) {
      it(`an answer of ${answer} reverts InvalidQuotePrice(${answer})`, async () => {
        const w = await loadFixture(wethWorld);
        await w.quoteUsdFeed.updateAnswer(answer);
        await expect(w.feedWithQuote.latestRoundData())
          .to.be.revertedWithCustomError(w.feedWithQuote, "InvalidQuotePrice")
          .withArgs(answer);
      });
    }

    it("a quote feed that reverts makes the AMM feed revert with its error; the feed without a quote feed is unaffected", async () => {
      const w = await loadFixture(wethWorld);
      await w.quoteUsdFeed.setRevertOnRead(true);
      await expect(w.feedWithQuote.latestRoundData()).to.be.revertedWithCustomError(w.quoteUsdFeed, "FeedUnavailable");
      expect((await w.feed.latestRoundData()).answer).to.equal(333_333_333_333n);
    });
  });

  describe("constructor", () => {
    it("reverts ZeroAddress for pair 0", async () => {
      const w = await loadFixture(wethWorld);
      const factory = new UniswapV2SpotFeed__factory(w.owner);
      await expect(factory.deploy(ZeroAddress, w.baseAddress, ZeroAddress, "x")).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress"
      );
    });

    it("reverts TokenNotInPair(pair, token) for a token outside the pair", async () => {
      const w = await loadFixture(wethWorld);
      const dai = await new MockERC20__factory(w.owner).deploy("DAI", "DAI", 18, await w.owner.getAddress());
      const daiAddress = await dai.getAddress();
      const factory = new UniswapV2SpotFeed__factory(w.owner);
      await expect(factory.deploy(w.pool.address, daiAddress, ZeroAddress, "x"))
        .to.be.revertedWithCustomError(factory, "TokenNotInPair")
        .withArgs(w.pool.address, daiAddress);
    });

    it("reverts InvalidQuoteFeedDecimals(feed, 18) for an 18-decimal quote feed", async () => {
      const w = await loadFixture(wethWorld);
      const ownerAddress = await w.owner.getAddress();
      const feed18 = await new MockPriceFeed__factory(w.owner).deploy(18, "USDC / USD", 10n ** 18n, ownerAddress);
      const factory = new UniswapV2SpotFeed__factory(w.owner);
      await expect(factory.deploy(w.pool.address, w.baseAddress, await feed18.getAddress(), "x"))
        .to.be.revertedWithCustomError(factory, "InvalidQuoteFeedDecimals")
        .withArgs(await feed18.getAddress(), 18);
    });

    it("accepts tokens of 36 decimals and reverts UnsupportedDecimals(token, 37) for 37, as base or as quote", async () => {
      const w = await loadFixture(wethWorld);
      const factory = new UniswapV2SpotFeed__factory(w.owner);
      for (const decimals of [36, 37]) {
        const odd = await new MockERC20__factory(w.owner).deploy("ODD", "ODD", decimals, await w.owner.getAddress());
        const oddAddress = await odd.getAddress();
        await (await w.factory.createPair(oddAddress, w.quoteAddress)).wait();
        const pairAddress = await w.factory.getPair(oddAddress, w.quoteAddress);
        for (const [base, token] of [
          [oddAddress, oddAddress],
          [w.quoteAddress, oddAddress],
        ] as const) {
          const deployment = factory.deploy(pairAddress, base, ZeroAddress, "x");
          if (decimals === 36) await expect(deployment).not.to.be.reverted;
          else
            await expect(deployment).to.be.revertedWithCustomError(factory, "UnsupportedDecimals").withArgs(token, 37);
        }
      }
    });
  });

  describe("empty pair", () => {
    it("deploys on a pair created but not funded; reads revert EmptyReserves(0, 0) until it is", async () => {
      const [owner] = await ethers.getSigners();
      if (owner === undefined) throw new Error("no signer");
      const { base, quote } = await deployTokensInOrder(
        owner,
        { symbol: "WETH", decimals: 18 },
        { symbol: "USDC", decimals: 6 },
        true
      );
      const factory = await deployUniswapV2Factory(owner);
      await (await factory.createPair(base, quote)).wait();
      const pairAddress = await factory.getPair(base, quote);
      const feed = await new UniswapV2SpotFeed__factory(owner).deploy(pairAddress, base, ZeroAddress, "x");
      await expect(feed.latestRoundData()).to.be.revertedWithCustomError(feed, "EmptyReserves").withArgs(0n, 0n);

      await base.mint(owner.address, 300n * ONE_WETH);
      await quote.mint(owner.address, 1_000_000n * ONE_USDC);
      // createPair again would revert: fund the existing pair the way createPairWithLiquidity does.
      await base.transfer(pairAddress, 300n * ONE_WETH);
      await quote.transfer(pairAddress, 1_000_000n * ONE_USDC);
      const pair = (await ethers.getContractAt("IUniswapV2Pair", pairAddress)).connect(owner);
      await pair.mint(owner.address);
      expect((await feed.latestRoundData()).answer).to.equal(333_333_333_333n);
    });
  });

  describe("as a PooledLendingPool price feed in place of the push feed", () => {
    // The pool world's WETH reserve (threshold 82.5%) gets a spot feed on a 100 WETH / 200,000 USDC pair:
    // $2,000. Alice posts 10 WETH and borrows 15,000 USDC: HF = 10 · 2,000 · 0.825 / 15,000 = 1.1.
    // Selling 10 WETH into the pair (out 18_132_217_877 USDC units, reserves 110e18 / 181_867_782_123)
    // drops the feed to 181_867_782_123·1e18·1e8 / (110e18·1e6) = 165_334_347_384 ($1,653.34347384):
    // collateral 10e18 · 165_334_347_384 / 1e18 = 1_653_343_473_840, debt 1_500_000_000_000 (USD, 8 decimals):
    // HF = 1_653_343_473_840 · 0.825 / 1_500_000_000_000 = 0.909338910612, liquidatable in the very next block.
    async function poolWithSpotFeed() {
      const pw = await deployPoolWorld();
      const [wethAddress, usdcAddress] = await Promise.all([pw.weth.getAddress(), pw.usdc.getAddress()]);
      await pw.weth.mint(pw.owner.address, 100n * ONE_WETH);
      await pw.usdc.mint(pw.owner.address, 200_000n * ONE_USDC);
      const uniswap = await deployUniswapV2Factory(pw.owner);
      const pairHandle = await createPairWithLiquidity(
        uniswap,
        pw.weth,
        pw.usdc,
        100n * ONE_WETH,
        200_000n * ONE_USDC,
        pw.owner
      );
      const spotFeed = await new UniswapV2SpotFeed__factory(pw.owner).deploy(
        pairHandle.address,
        wethAddress,
        ZeroAddress,
        "WETH / USD (spot)"
      );
      await pw.pool.setReserveConfig(wethAddress, wethConfig(await spotFeed.getAddress()));

      await pw.supply(pw.usdc, pw.bob, 100_000n * ONE_USDC);
      await pw.supply(pw.weth, pw.alice, 10n * ONE_WETH);
      await pw.pool.connect(pw.alice).borrow(usdcAddress, 15_000n * ONE_USDC, pw.alice.address);
      await pw.fund(pw.usdc, pw.liquidator, 15_000n * ONE_USDC);

      const swapHelper = await ethers.deployContract("SwapHelper");
      await pw.weth.mint(pw.carol.address, 10n * ONE_WETH);
      await pw.weth.connect(pw.carol).approve(await swapHelper.getAddress(), ethers.MaxUint256);
      return { ...pw, wethAddress, usdcAddress, pairHandle, spotFeed, swapHelper };
    }

    it("the pool prices WETH at the pair's 2,000e8; one 10 WETH sale makes it 165_334_347_384, Alice's HF 0.909338910612 and her liquidatable", async () => {
      const pw = await loadFixture(poolWithSpotFeed);
      expect(await pw.pool.getAssetPrice(pw.wethAddress)).to.equal(usd("2000"));
      await expect(
        pw.pool
          .connect(pw.liquidator)
          .liquidationCall(pw.wethAddress, pw.usdcAddress, pw.alice.address, 1000n * ONE_USDC)
      ).to.be.revertedWithCustomError(pw.pool, "HealthFactorNotBelowOne");

      await pw.swapHelper
        .connect(pw.carol)
        .swapExactIn(pw.pairHandle.address, pw.wethAddress, 10n * ONE_WETH, 0n, pw.carol.address);
      expect(await pw.pool.getAssetPrice(pw.wethAddress)).to.equal(165_334_347_384n);
      const [, , , , , healthFactor] = await pw.pool.getUserAccountData(pw.alice.address);
      expect(healthFactor).to.equal(909_338_910_612_000_000n);
      await expect(
        pw.pool
          .connect(pw.liquidator)
          .liquidationCall(pw.wethAddress, pw.usdcAddress, pw.alice.address, 1000n * ONE_USDC)
      ).to.emit(pw.pool, "LiquidationCall");
    });
  });
});
