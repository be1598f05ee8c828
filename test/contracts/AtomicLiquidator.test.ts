/**
 * AtomicLiquidator: flash-borrow the debt from a Uniswap V2 pair, liquidate, pay the pair in collateral,
 * send the rest to the bot, all in one transaction and without capital, against hand-computed figures.
 *
 * Pooled world (test/helpers/pool.ts): WETH (LT 82.5%, bonus 5%, 10% of the bonus to the protocol),
 * USDC $1, zero interest. Bob supplies 100,000 USDC; Alice supplies 10 WETH and borrows 16,000 USDC at
 * $2,000 (the LTV limit). WETH falls to $1,900: HF = 19,000 × 0.825 / 16,000 = 0.9796875 > 0.95, so the
 * close factor caps the repayment at half the debt, 8,000 USDC:
 *   seized   = floor(floor(8_000e6 · 1e8 · 1e18 / (1_900e8 · 1e6)) · 1.05)
 *            = floor(4_210_526_315_789_473_684 · 1.05) = 4_421_052_631_578_947_368
 *   fee      = floor((seized − ceil(seized / 1.05)) · 0.1) = floor((seized − 4_210_526_315_789_473_684) · 0.1)
 *            = floor(210_526_315_789_473_684 · 0.1) = 21_052_631_578_947_368
 *   received = seized − fee = 4_400_000_000_000_000_000 (4.4 WETH)
 * The pair holds 1,000 WETH / 1,900,000 USDC (the oracle's price). Uniswap's input for 8,000 USDC out
 * (v2-periphery's getAmountIn, floor + 1):
 *   owed   = floor(1_000e18 · 8_000e6 · 1000 / ((1_900_000e6 − 8_000e6) · 997)) + 1
 *          = floor(8e33 / 1_886_324e9) + 1 = 4_241_052_968_631_051_717 + 1 = 4_241_052_968_631_051_718
 *   profit = 4.4e18 − owed = 158_947_031_368_948_282 (0.158947… WETH)
 * A thin pair of 20 WETH / 38,000 USDC wants floor(1.6e32 / 2.991e13) + 1 = 5_349_381_477_766_633_234
 * WETH for the same 8,000 USDC: more than the 4.4 WETH the liquidation yields.
 *
 * Isolated world (test/helpers/isolated.ts): market 0 lends USDC against WETH at LLTV 86%, zero interest,
 * LIF = floor(1e36 / 0.958e18) = 1.043841336116910229. Bob supplies 100,000 USDC; Alice posts 10 WETH and
 * borrows 17,200 USDC (her limit at $2,000). Without interest every share is 1e-6 of a unit of USDC.
 * Oracle price = priceE8(WETH) · 10^(36 + 6 − 18) / priceE8(USDC).
 *   Full, WETH at $1,500 (price 1.5e27), seizing all 10 WETH, pair 1,000 WETH / 1,500,000 USDC:
 *     repaidShares = toSharesUp(ceil(ceil(10e18 · 1.5e27 / 1e36) · 1e18 / LIF)) = toSharesUp(ceil(15_000e6 / LIF))
 *                  = toSharesUp(14_370_000_001) = 14_370_000_001e6 (LIF is rounded down, so the quotient
 *                    14,370,000,000.000000000… rounds up to …001); repaidAssets = 14_370_000_001
 *     the 2_829_999_999e6 shares left without collateral are bad debt: 2_829_999_999 USDC units
 *     owed   = floor(1_000e18 · 14_370_000_001 · 1000 / ((1_500_000e6 − 14_370_000_001) · 997)) + 1
 *            = floor(1.4370000001e34 / 1_481_173_109_999_003) + 1 = 9_701_769_431_264_973_927
 *     profit = 10e18 − owed = 298_230_568_735_026_073
 *   Partial, WETH at $1,900 (price 1.9e27), repaying half the shares (8,600e12), pair 1,000 WETH / 1,900,000 USDC:
 *     seized = floor(floor(8_600e6 · LIF / 1e18) · 1e36 / 1.9e27) = floor(8_977_035_490e36 / 1.9e27)
 *            = 4_724_755_521_052_631_578; repaidAssets = toAssetsUp(8_600e12) = 8_600e6
 *     owed   = floor(8.6e33 / 1_885_725_800_000_000) + 1 = 4_560_578_213_439_090_668
 *     profit = 164_177_307_613_540_910
 *   Interest, WETH still at $2,000, market 0 on the kinked curve (4% at the 80% kink): 17,200 of 100,000 USDC
 *   lent is 17.2% utilization, 0.04 · 0.172 / 0.8 = 0.86% a year; a year after the borrow, interest
 *   17_200e6 · 0.0086 = 147_920_000 lifts the borrow total to 17_347_920_000 (shares 17_200e12), above
 *   the 17,200 USDC limit. Repaying half the shares at that block, pair 1,000 WETH / 2,000,000 USDC:
 *     toAssetsDown(8_600e12) = floor(8_600e12 · 17_347_920_001 / 17_200_000_001e6) = 8_673_959_999
 *     seized = floor(floor(8_673_959_999 · LIF / 1e18) · 1e36 / 2e27) = floor(9_054_237_994e9 / 2)
 *            = 4_527_118_997_000_000_000; repaidAssets = toAssetsUp(8_600e12) = 8_673_960_000
 *     owed   = floor(8.67396e33 / 1_985_352_061_880_000) + 1 = 4_368_978_261_611_857_833
 *     profit = 158_140_735_388_142_167
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AtomicLiquidator__factory, FlashCallbackProbe__factory } from "../../typechain-types";
import { deployPoolWorld, usd } from "../helpers/pool";
import { KINKED_CURVE, VIRTUAL_SHARES, WETH_USDC, deployIsolatedWorld, marketStateOf, positionOf } from "../helpers/isolated";
import type { MarketParams } from "../helpers/isolated";
import { at, latestTimestamp } from "../helpers/poolTest";
import { createPairWithLiquidity, deployUniswapV2Factory } from "../helpers/uniswap";
import type { UniswapV2PairHandle } from "../helpers/uniswap";
import type { MockERC20 } from "../../typechain-types";

const ONE_WETH = 10n ** 18n;
const ONE_USDC = 10n ** 6n;
const MAX_UINT256 = ethers.MaxUint256;

const PROTOCOL_POOLED = 0n;

const DEBT_REPAID = 8_000n * ONE_USDC;
const SEIZED = 4_421_052_631_578_947_368n;
const PROTOCOL_FEE = 21_052_631_578_947_368n;
const RECEIVED = 4_400_000_000_000_000_000n;
const OWED = 4_241_052_968_631_051_718n;
const PROFIT = 158_947_031_368_948_282n;
const HF_AT_1900 = 979_687_500_000_000_000n;
const THIN_OWED = 5_349_381_477_766_633_234n;

const PAIR_WETH = 1_000n * ONE_WETH;
const PAIR_USDC = 1_900_000n * ONE_USDC;

const PROTOCOL_ISOLATED = 1n;
const ALICE_BORROW = 17_200n * ONE_USDC;
const FULL_REPAID = 14_370_000_001n;
const FULL_BAD_DEBT = 2_829_999_999n;
const FULL_OWED = 9_701_769_431_264_973_927n;
const FULL_PROFIT = 298_230_568_735_026_073n;
const HALF_SHARES = 8_600n * ONE_USDC * VIRTUAL_SHARES;
const PARTIAL_SEIZED = 4_724_755_521_052_631_578n;
const PARTIAL_OWED = 4_560_578_213_439_090_668n;
const PARTIAL_PROFIT = 164_177_307_613_540_910n;

async function pooledWorld() {
  const w = await deployPoolWorld();
  const [wethAddress, usdcAddress, wbtcAddress, poolAddress] = await Promise.all([
    w.weth.getAddress(),
    w.usdc.getAddress(),
    w.wbtc.getAddress(),
    w.pool.getAddress(),
  ]);
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.alice, 10n * ONE_WETH);
  await w.pool.connect(w.alice).borrow(usdcAddress, 16_000n * ONE_USDC, w.alice.address);

  /** A fresh factory and its WETH/USDC pair with these reserves (a factory holds one pair per token pair). */
  const wethUsdcPair = async (wethAmount: bigint, usdcAmount: bigint): Promise<UniswapV2PairHandle> => {
    await w.weth.mint(w.owner.address, wethAmount);
    await w.usdc.mint(w.owner.address, usdcAmount);
    const factory = await deployUniswapV2Factory(w.owner);
    return createPairWithLiquidity(factory, w.weth, w.usdc, wethAmount, usdcAmount, w.owner);
  };
  const pair = await wethUsdcPair(PAIR_WETH, PAIR_USDC);
  await w.wethFeed.updateAnswer(usd("1900"));

  const bot = w.liquidator;
  const liquidator = await new AtomicLiquidator__factory(bot).deploy(bot.address);
  const liquidatorAddress = await liquidator.getAddress();
  /** `[wethValue, usdcValue]` in the pair's token0/token1 order. */
  const inPairOrder = <T>(wethValue: T, usdcValue: T): [T, T] =>
    pair.token0 === wethAddress ? [wethValue, usdcValue] : [usdcValue, wethValue];
  return {
    ...w,
    wethAddress,
    usdcAddress,
    wbtcAddress,
    poolAddress,
    pair,
    wethUsdcPair,
    bot,
    liquidator,
    liquidatorAddress,
    inPairOrder,
  };
}

type PooledWorld = Awaited<ReturnType<typeof pooledWorld>>;

/** liquidatePooled's arguments for Alice's WETH/USDC position through `pair`. */
function pooledArgs(w: PooledWorld, pair: string, debtToCover: bigint, minProfit: bigint) {
  return [w.poolAddress, w.wethAddress, w.usdcAddress, w.alice.address, debtToCover, pair, minProfit] as const;
}

async function balances(token: MockERC20, ...who: string[]): Promise<bigint[]> {
  return Promise.all(who.map((a) => token.balanceOf(a)));
}

/**
 * Alice at her limit in isolated market 0, WETH repriced to `wethUsd`, and a WETH/USDC pair of
 * 1,000 WETH at that price.
 */
async function isolatedWorldAt(wethUsd: bigint, wethUsdc: Partial<MarketParams> = {}) {
  const w = await deployIsolatedWorld({ wethUsdc });
  const [wethAddress, usdcAddress] = await Promise.all([w.weth.getAddress(), w.usdc.getAddress()]);
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supplyCollateral(WETH_USDC, w.alice, 10n * ONE_WETH);
  const borrowedAt = (await latestTimestamp()) + 1n;
  await at(borrowedAt, () => w.market.connect(w.alice).borrow(WETH_USDC, ALICE_BORROW, w.alice.address));

  const pairUsdc = 1_000n * wethUsd * ONE_USDC;
  await w.weth.mint(w.owner.address, PAIR_WETH);
  await w.usdc.mint(w.owner.address, pairUsdc);
  const factory = await deployUniswapV2Factory(w.owner);
  const pair = await createPairWithLiquidity(factory, w.weth, w.usdc, PAIR_WETH, pairUsdc, w.owner);
  await w.wethFeed.updateAnswer(usd(wethUsd.toString()));

  const bot = w.liquidator;
  const liquidator = await new AtomicLiquidator__factory(bot).deploy(bot.address);
  const liquidatorAddress = await liquidator.getAddress();
  const inPairOrder = <T>(wethValue: T, usdcValue: T): [T, T] =>
    pair.token0 === wethAddress ? [wethValue, usdcValue] : [usdcValue, wethValue];
  return { ...w, wethAddress, usdcAddress, borrowedAt, pair, pairUsdc, bot, liquidator, liquidatorAddress, inPairOrder };
}

const isolatedAt1500 = () => isolatedWorldAt(1_500n);
const isolatedAt1900 = () => isolatedWorldAt(1_900n);
const isolatedWithInterestAt2000 = () => isolatedWorldAt(2_000n, KINKED_CURVE);

describe("AtomicLiquidator", () => {
  describe("liquidatePooled", () => {
    it("flash-borrows the close-factor-capped 8,000 USDC, liquidates, pays the pair 4.241… WETH and sends the bot 0.158947031368948282 WETH", async () => {
      const w = await loadFixture(pooledWorld);
      // debtToCover = max: the preview caps it at the close factor, and exactly that is borrowed.
      const args = pooledArgs(w, w.pair.address, MAX_UINT256, 0n);
      expect(await w.liquidator.connect(w.bot).liquidatePooled.staticCall(...args)).to.deep.equal([
        DEBT_REPAID,
        RECEIVED,
        PROFIT,
      ]);
      expect(await balances(w.usdc, w.bot.address, w.liquidatorAddress)).to.deep.equal([0n, 0n]);

      const tx = w.liquidator.connect(w.bot).liquidatePooled(...args);
      await expect(tx)
        .to.emit(w.liquidator, "AtomicLiquidation")
        .withArgs(
          PROTOCOL_POOLED,
          w.poolAddress,
          0n,
          w.alice.address,
          w.wethAddress,
          w.usdcAddress,
          DEBT_REPAID,
          RECEIVED,
          OWED,
          PROFIT
        );
      await expect(tx)
        .to.emit(w.pool, "LiquidationCall")
        .withArgs(
          w.wethAddress,
          w.usdcAddress,
          w.alice.address,
          w.liquidatorAddress,
          DEBT_REPAID,
          SEIZED,
          PROTOCOL_FEE,
          HF_AT_1900
        );
      const [amount0In, amount1In] = w.inPairOrder(OWED, 0n);
      const [amount0Out, amount1Out] = w.inPairOrder(0n, DEBT_REPAID);
      await expect(tx)
        .to.emit(w.pair.pair, "Swap")
        .withArgs(w.liquidatorAddress, amount0In, amount1In, amount0Out, amount1Out, w.liquidatorAddress);
      await expect(tx).to.changeTokenBalances(
        w.weth,
        [w.bot.address, w.liquidatorAddress, w.pair.address, w.poolAddress],
        [PROFIT, 0n, OWED, -RECEIVED]
      );
      await expect(tx).to.changeTokenBalances(
        w.usdc,
        [w.bot.address, w.liquidatorAddress, w.pair.address, w.poolAddress],
        [0n, 0n, -DEBT_REPAID, DEBT_REPAID]
      );

      const [reserve0, reserve1] = await w.pair.pair.getReserves();
      expect([reserve0, reserve1]).to.deep.equal(w.inPairOrder(PAIR_WETH + OWED, PAIR_USDC - DEBT_REPAID));
      // The bot never held the debt asset, and the contract keeps nothing, not even an allowance.
      expect(await balances(w.usdc, w.bot.address, w.liquidatorAddress)).to.deep.equal([0n, 0n]);
      expect(await balances(w.weth, w.liquidatorAddress)).to.deep.equal([0n]);
      expect(await w.usdc.allowance(w.liquidatorAddress, w.poolAddress)).to.equal(0n);
      const [, , aliceWeth] = await w.pool.getUserReserve(w.wethAddress, w.alice.address);
      const [, , , aliceDebt] = await w.pool.getUserReserve(w.usdcAddress, w.alice.address);
      expect([aliceWeth, aliceDebt]).to.deep.equal([10n * ONE_WETH - SEIZED, 16_000n * ONE_USDC - DEBT_REPAID]);
    });

    it("a thin pair (20 WETH / 38,000 USDC) wants 5.349… WETH for 8,000 USDC: UnprofitableAfterSlippage(4.4 WETH, 5.349… WETH), nothing moves", async () => {
      const w = await loadFixture(pooledWorld);
      const thin = await w.wethUsdcPair(20n * ONE_WETH, 38_000n * ONE_USDC);
      await expect(w.liquidator.connect(w.bot).liquidatePooled(...pooledArgs(w, thin.address, MAX_UINT256, 0n)))
        .to.be.revertedWithCustomError(w.liquidator, "UnprofitableAfterSlippage")
        .withArgs(RECEIVED, THIN_OWED);
      const [, , , aliceDebt] = await w.pool.getUserReserve(w.usdcAddress, w.alice.address);
      expect(aliceDebt).to.equal(16_000n * ONE_USDC);
    });

    it("minProfitCollateral = profit + 1 reverts ProfitBelowMinimum(profit, profit + 1); = profit goes through", async () => {
      const w = await loadFixture(pooledWorld);
      await expect(
        w.liquidator.connect(w.bot).liquidatePooled(...pooledArgs(w, w.pair.address, MAX_UINT256, PROFIT + 1n))
      )
        .to.be.revertedWithCustomError(w.liquidator, "ProfitBelowMinimum")
        .withArgs(PROFIT, PROFIT + 1n);
      await expect(
        w.liquidator.connect(w.bot).liquidatePooled(...pooledArgs(w, w.pair.address, MAX_UINT256, PROFIT))
      ).to.changeTokenBalance(w.weth, w.bot, PROFIT);
    });

    it("a pair that holds no more USDC than the liquidation needs reverts InsufficientPairLiquidity(8,000 USDC, 8,000 USDC)", async () => {
      const w = await loadFixture(pooledWorld);
      const dry = await w.wethUsdcPair(100n * ONE_WETH, DEBT_REPAID);
      await expect(w.liquidator.connect(w.bot).liquidatePooled(...pooledArgs(w, dry.address, MAX_UINT256, 0n)))
        .to.be.revertedWithCustomError(w.liquidator, "InsufficientPairLiquidity")
        .withArgs(DEBT_REPAID, DEBT_REPAID);
    });

    it("a pair of other tokens (WBTC/USDC) reverts PairTokensMismatch(pair, WETH, USDC)", async () => {
      const w = await loadFixture(pooledWorld);
      await w.wbtc.mint(w.owner.address, 10n ** 8n);
      await w.usdc.mint(w.owner.address, 60_000n * ONE_USDC);
      const factory = await deployUniswapV2Factory(w.owner);
      const wbtcPair = await createPairWithLiquidity(factory, w.wbtc, w.usdc, 10n ** 8n, 60_000n * ONE_USDC, w.owner);
      await expect(w.liquidator.connect(w.bot).liquidatePooled(...pooledArgs(w, wbtcPair.address, MAX_UINT256, 0n)))
        .to.be.revertedWithCustomError(w.liquidator, "PairTokensMismatch")
        .withArgs(wbtcPair.address, w.wethAddress, w.usdcAddress);
    });

    it("the pool's own checks apply: a healthy position reverts HealthFactorNotBelowOne before anything is borrowed", async () => {
      const w = await loadFixture(pooledWorld);
      await w.wethFeed.updateAnswer(usd("2000"));
      // HF = 20,000 × 0.825 / 16,000 = 1.03125
      await expect(w.liquidator.connect(w.bot).liquidatePooled(...pooledArgs(w, w.pair.address, MAX_UINT256, 0n)))
        .to.be.revertedWithCustomError(w.pool, "HealthFactorNotBelowOne")
        .withArgs(1_031_250_000_000_000_000n);
    });
  });

  describe("liquidateIsolated", () => {
    it("WETH at $1,500: seizes all 10 WETH for 14,370.000001 USDC, leaves 2,829.999999 USDC of bad debt, profit 0.298… WETH", async () => {
      const w = await loadFixture(isolatedAt1500);
      const args = [w.marketAddress, WETH_USDC, w.alice.address, 10n * ONE_WETH, 0n, w.pair.address, 0n] as const;
      expect(await w.liquidator.connect(w.bot).liquidateIsolated.staticCall(...args)).to.deep.equal([
        FULL_REPAID,
        10n * ONE_WETH,
        FULL_PROFIT,
      ]);
      const supplyBefore = marketStateOf(await w.market.marketState(WETH_USDC)).totalSupplyAssets;

      const tx = w.liquidator.connect(w.bot).liquidateIsolated(...args);
      await expect(tx)
        .to.emit(w.liquidator, "AtomicLiquidation")
        .withArgs(
          PROTOCOL_ISOLATED,
          w.marketAddress,
          WETH_USDC,
          w.alice.address,
          w.wethAddress,
          w.usdcAddress,
          FULL_REPAID,
          10n * ONE_WETH,
          FULL_OWED,
          FULL_PROFIT
        );
      await expect(tx)
        .to.emit(w.market, "Liquidate")
        .withArgs(
          WETH_USDC,
          w.liquidatorAddress,
          w.alice.address,
          FULL_REPAID,
          FULL_REPAID * VIRTUAL_SHARES,
          10n * ONE_WETH,
          FULL_BAD_DEBT,
          FULL_BAD_DEBT * VIRTUAL_SHARES
        );
      await expect(tx).to.changeTokenBalances(
        w.weth,
        [w.bot.address, w.liquidatorAddress, w.pair.address, w.marketAddress],
        [FULL_PROFIT, 0n, FULL_OWED, -10n * ONE_WETH]
      );
      await expect(tx).to.changeTokenBalances(
        w.usdc,
        [w.bot.address, w.liquidatorAddress, w.pair.address, w.marketAddress],
        [0n, 0n, -FULL_REPAID, FULL_REPAID]
      );

      const [reserve0, reserve1] = await w.pair.pair.getReserves();
      expect([reserve0, reserve1]).to.deep.equal(w.inPairOrder(PAIR_WETH + FULL_OWED, w.pairUsdc - FULL_REPAID));
      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address))).to.deep.equal({
        supplyShares: 0n,
        borrowShares: 0n,
        collateral: 0n,
      });
      const state = marketStateOf(await w.market.marketState(WETH_USDC));
      expect([state.totalBorrowAssets, state.totalBorrowShares, state.badDebtAssets]).to.deep.equal([0n, 0n, FULL_BAD_DEBT]);
      expect(state.totalSupplyAssets).to.equal(supplyBefore - FULL_BAD_DEBT);
      expect([await w.usdc.balanceOf(w.bot.address), await w.usdc.balanceOf(w.liquidatorAddress)]).to.deep.equal([0n, 0n]);
      expect(await w.usdc.allowance(w.liquidatorAddress, w.marketAddress)).to.equal(0n);
    });

    it("WETH at $1,900: repaying half the shares (8,600 USDC) seizes 4.724… WETH, profit 0.164… WETH, Alice healthy again", async () => {
      const w = await loadFixture(isolatedAt1900);
      const args = [w.marketAddress, WETH_USDC, w.alice.address, 0n, HALF_SHARES, w.pair.address, 0n] as const;
      const tx = w.liquidator.connect(w.bot).liquidateIsolated(...args);
      await expect(tx)
        .to.emit(w.liquidator, "AtomicLiquidation")
        .withArgs(
          PROTOCOL_ISOLATED,
          w.marketAddress,
          WETH_USDC,
          w.alice.address,
          w.wethAddress,
          w.usdcAddress,
          8_600n * ONE_USDC,
          PARTIAL_SEIZED,
          PARTIAL_OWED,
          PARTIAL_PROFIT
        );
      await expect(tx)
        .to.emit(w.market, "Liquidate")
        .withArgs(WETH_USDC, w.liquidatorAddress, w.alice.address, 8_600n * ONE_USDC, HALF_SHARES, PARTIAL_SEIZED, 0n, 0n);
      await expect(tx).to.changeTokenBalances(
        w.weth,
        [w.bot.address, w.liquidatorAddress, w.pair.address],
        [PARTIAL_PROFIT, 0n, PARTIAL_OWED]
      );
      const [reserve0, reserve1] = await w.pair.pair.getReserves();
      expect([reserve0, reserve1]).to.deep.equal(w.inPairOrder(PAIR_WETH + PARTIAL_OWED, w.pairUsdc - 8_600n * ONE_USDC));
      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address))).to.deep.equal({
        supplyShares: 0n,
        borrowShares: HALF_SHARES,
        collateral: 10n * ONE_WETH - PARTIAL_SEIZED,
      });
      // maxBorrow = floor(floor(5.275244478947368422 WETH · 1.9e27 / 1e36) · 0.86) = 8_619_749_478 vs 8,600 USDC
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(1_002_296_450_930_232_558n);
      expect(await w.usdc.balanceOf(w.liquidatorAddress)).to.equal(0n);
    });

    it("a year of 0.86% interest makes Alice liquidatable at $2,000: the quote uses the totals accrued to that block", async () => {
      const w = await loadFixture(isolatedWithInterestAt2000);
      const args = [w.marketAddress, WETH_USDC, w.alice.address, 0n, HALF_SHARES, w.pair.address, 0n] as const;
      const tx = at(w.borrowedAt + 31_536_000n, () => w.liquidator.connect(w.bot).liquidateIsolated(...args));
      await expect(tx).to.emit(w.market, "InterestAccrued").withArgs(WETH_USDC, 8_600_000_000_000_000n, 147_920_000n);
      await expect(tx)
        .to.emit(w.market, "Liquidate")
        .withArgs(WETH_USDC, w.liquidatorAddress, w.alice.address, 8_673_960_000n, HALF_SHARES, 4_527_118_997_000_000_000n, 0n, 0n);
      await expect(tx)
        .to.emit(w.liquidator, "AtomicLiquidation")
        .withArgs(
          PROTOCOL_ISOLATED,
          w.marketAddress,
          WETH_USDC,
          w.alice.address,
          w.wethAddress,
          w.usdcAddress,
          8_673_960_000n,
          4_527_118_997_000_000_000n,
          4_368_978_261_611_857_833n,
          158_140_735_388_142_167n
        );
      expect([await w.usdc.balanceOf(w.bot.address), await w.usdc.balanceOf(w.liquidatorAddress)]).to.deep.equal([0n, 0n]);
    });

    it("a thin pair cannot be paid from the seized collateral: UnprofitableAfterSlippage; minProfit one above reverts ProfitBelowMinimum", async () => {
      const w = await loadFixture(isolatedAt1900);
      // 20 WETH / 38,000 USDC: floor(20e18 · 8_600e6 · 1000 / (29_400e6 · 997)) + 1 = 5_867_943_967_958_296_659
      await w.weth.mint(w.owner.address, 20n * ONE_WETH);
      await w.usdc.mint(w.owner.address, 38_000n * ONE_USDC);
      const thin = await createPairWithLiquidity(
        await deployUniswapV2Factory(w.owner),
        w.weth,
        w.usdc,
        20n * ONE_WETH,
        38_000n * ONE_USDC,
        w.owner
      );
      await expect(
        w.liquidator.connect(w.bot).liquidateIsolated(w.marketAddress, WETH_USDC, w.alice.address, 0n, HALF_SHARES, thin.address, 0n)
      )
        .to.be.revertedWithCustomError(w.liquidator, "UnprofitableAfterSlippage")
        .withArgs(PARTIAL_SEIZED, 5_867_943_967_958_296_659n);
      await expect(
        w.liquidator
          .connect(w.bot)
          .liquidateIsolated(w.marketAddress, WETH_USDC, w.alice.address, 0n, HALF_SHARES, w.pair.address, PARTIAL_PROFIT + 1n)
      )
        .to.be.revertedWithCustomError(w.liquidator, "ProfitBelowMinimum")
        .withArgs(PARTIAL_PROFIT, PARTIAL_PROFIT + 1n);
    });

    it("reverts InconsistentInput unless exactly one of seizedAssets and repaidShares is nonzero", async () => {
      const w = await loadFixture(isolatedAt1900);
      for (const [seized, shares] of [
        [0n, 0n],
        [ONE_WETH, HALF_SHARES],
      ] as const) {
        await expect(
          w.liquidator.connect(w.bot).liquidateIsolated(w.marketAddress, WETH_USDC, w.alice.address, seized, shares, w.pair.address, 0n)
        ).to.be.revertedWithCustomError(w.liquidator, "InconsistentInput");
      }
    });

    it("the market's own checks apply: Bob, who has no debt, reverts HealthyPosition(max) from inside the flash swap", async () => {
      const w = await loadFixture(isolatedAt1900);
      await expect(
        w.liquidator.connect(w.bot).liquidateIsolated(w.marketAddress, WETH_USDC, w.bob.address, 0n, HALF_SHARES, w.pair.address, 0n)
      )
        .to.be.revertedWithCustomError(w.market, "HealthyPosition")
        .withArgs(MAX_UINT256);
    });
  });

  describe("access control", () => {
    it("only the owner may liquidate: anyone else gets OwnableUnauthorizedAccount", async () => {
      const w = await loadFixture(pooledWorld);
      expect(await w.liquidator.owner()).to.equal(w.bot.address);
      await expect(w.liquidator.connect(w.carol).liquidatePooled(...pooledArgs(w, w.pair.address, MAX_UINT256, 0n)))
        .to.be.revertedWithCustomError(w.liquidator, "OwnableUnauthorizedAccount")
        .withArgs(w.carol.address);
      await expect(w.liquidator.connect(w.carol).liquidateIsolated(w.poolAddress, 0n, w.alice.address, 1n, 0n, w.pair.address, 0n))
        .to.be.revertedWithCustomError(w.liquidator, "OwnableUnauthorizedAccount")
        .withArgs(w.carol.address);
    });

    it("uniswapV2Call called directly, even by the owner, reverts UnexpectedCallback(caller)", async () => {
      const w = await loadFixture(pooledWorld);
      await expect(w.liquidator.connect(w.bot).uniswapV2Call(w.liquidatorAddress, 0n, DEBT_REPAID, "0x00"))
        .to.be.revertedWithCustomError(w.liquidator, "UnexpectedCallback")
        .withArgs(w.bot.address);
    });

    /** A probe pair for WETH/USDC holding 8,000 USDC to flash-lend, calling back as configured. */
    async function probePair(w: PooledWorld, reportedSender: string, callbacks: bigint): Promise<string> {
      const probe = await new FlashCallbackProbe__factory(w.owner).deploy(w.wethAddress, w.usdcAddress, reportedSender, callbacks);
      const probeAddress = await probe.getAddress();
      await w.usdc.mint(probeAddress, DEBT_REPAID);
      return probeAddress;
    }

    it("a pair whose callback names another initiator than the liquidator reverts UnexpectedInitiator(that account)", async () => {
      const w = await loadFixture(pooledWorld);
      const probe = await probePair(w, w.carol.address, 1n);
      await expect(w.liquidator.connect(w.bot).liquidatePooled(...pooledArgs(w, probe, MAX_UINT256, 0n)))
        .to.be.revertedWithCustomError(w.liquidator, "UnexpectedInitiator")
        .withArgs(w.carol.address);
    });

    it("a pair that calls back twice: the first callback liquidates, the second reverts UnexpectedCallback(pair)", async () => {
      const w = await loadFixture(pooledWorld);
      const twice = await probePair(w, ethers.ZeroAddress, 2n);
      await expect(w.liquidator.connect(w.bot).liquidatePooled(...pooledArgs(w, twice, MAX_UINT256, 0n)))
        .to.be.revertedWithCustomError(w.liquidator, "UnexpectedCallback")
        .withArgs(twice);
      // The same probe calling back once, naming the liquidator, goes through: the checks above are what failed.
      const once = await probePair(w, ethers.ZeroAddress, 1n);
      await expect(w.liquidator.connect(w.bot).liquidatePooled(...pooledArgs(w, once, MAX_UINT256, 0n))).to.emit(
        w.pool,
        "LiquidationCall"
      );
    });

    it("a flash swap someone else starts on the real pair with the liquidator as receiver reverts UnexpectedCallback(pair)", async () => {
      const w = await loadFixture(pooledWorld);
      const [out0, out1] = w.inPairOrder(0n, DEBT_REPAID);
      await expect(w.pair.pair.connect(w.carol).swap(out0, out1, w.liquidatorAddress, "0x00"))
        .to.be.revertedWithCustomError(w.liquidator, "UnexpectedCallback")
        .withArgs(w.pair.address);
      expect(await balances(w.usdc, w.liquidatorAddress)).to.deep.equal([0n]);
    });
  });
});
