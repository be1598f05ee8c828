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
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AtomicLiquidator__factory } from "../../typechain-types";
import { deployPoolWorld, usd } from "../helpers/pool";
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
