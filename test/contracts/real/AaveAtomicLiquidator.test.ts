/**
 * AaveAtomicLiquidator on the real Aave V3.6: flash-borrow the debt asset from a Uniswap V2 pair,
 * `liquidationCall(collateral, debt, user, debtToCover, false)`, pay the pair back, send the bot the
 * collateral left, in one transaction and without capital, against hand-computed figures.
 *
 * World (test/helpers/realAave.ts): WETH LT 82.5%, bonus 5%, 10% of the bonus to the protocol, USDC $1,
 * zero interest. Bob supplies 100,000 USDC; Alice supplies 10 WETH and borrows 16,000 USDC at $2,000.
 * WETH falls to $1,900: HF = 19,000 × 0.825 / 16,000 = 0.9796875 > 0.95 and both sides above $2,000, so
 * Aave's close factor caps the repayment at half the debt, 8,000 USDC (the figures of
 * test/contracts/AtomicLiquidator.test.ts, where liqsim's pool gives the same):
 *   seized   = 8_000e6 · 1e8 · 1e18 / (1_900e8 · 1e6) · 1.05 (half up) = 4_421_052_631_578_947_368
 *   fee      = (seized − seized / 1.05) · 0.1 (half up)              =    21_052_631_578_947_368
 *   received = seized − fee                                          = 4_400_000_000_000_000_000
 * Pair 1,000 WETH / 1,900,000 USDC. Offered exactly 8,000 USDC, Aave takes it all and the pair is owed
 * Uniswap's getAmountIn (floor + 1):
 *   owed   = floor(1_000e18 · 8_000e6 · 1000 / ((1_900_000e6 − 8_000e6) · 997)) + 1 = 4_241_052_968_631_051_718
 *   profit = 4.4e18 − owed = 158_947_031_368_948_282
 * Offered 10,000 USDC, Aave still takes 8,000 and the 2,000 left go back to the pair, which counts them
 * as an input (its 0.3% fee on them too): with adjusted = (1_900_000e6 − 10_000e6) · 1000 + 2_000e6 · 997
 *   owed   = floor(1_000e18 · 1000 · (1_900_000e6 · 1000 − adjusted) / (adjusted · 997)) + 1
 *          = floor(8.006e39 / 1_886_318_018e12) + 1 = 4_244_247_217_915_298_523
 *            (the least input the pair's K check accepts: one wei less fails it)
 *   profit = 4.4e18 − owed = 155_752_782_084_701_477
 * A thin pair of 20 WETH / 38,000 USDC wants 5_349_381_477_766_633_234 WETH for 8,000 USDC: more than 4.4.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { decodeEventLog, type Hex } from "viem";
import { AaveAtomicLiquidator__factory, type MockERC20 } from "../../../typechain-types";
import { usd } from "../../helpers/pool";
import { deployRealAaveWorld } from "../../helpers/realAave";
import { createPairWithLiquidity, deployUniswapV2Factory } from "../../helpers/uniswap";

const ONE_WETH = 10n ** 18n;
const ONE_USDC = 10n ** 6n;
const DEBT_REPAID = 8_000n * ONE_USDC;
const SEIZED = 4_421_052_631_578_947_368n;
const FEE = 21_052_631_578_947_368n;
const RECEIVED = 4_400_000_000_000_000_000n;
const OWED = 4_241_052_968_631_051_718n;
const PROFIT = 158_947_031_368_948_282n;
const OFFERED = 10_000n * ONE_USDC;
const OWED_RETURNING = 4_244_247_217_915_298_523n;
const PROFIT_RETURNING = 155_752_782_084_701_477n;
const THIN_OWED = 5_349_381_477_766_633_234n;
const PAIR_WETH = 1_000n * ONE_WETH;
const PAIR_USDC = 1_900_000n * ONE_USDC;

async function world() {
  const w = await deployRealAaveWorld();
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.alice, 10n * ONE_WETH);
  await w.borrow(w.usdc, w.alice, 16_000n * ONE_USDC);
  /** A fresh factory's pair of `a` and `b` with these reserves (a factory holds one pair per token pair). */
  const pairOf = async (a: MockERC20, amountA: bigint, b: MockERC20, amountB: bigint) => {
    await a.mint(w.owner.address, amountA);
    await b.mint(w.owner.address, amountB);
    return createPairWithLiquidity(await deployUniswapV2Factory(w.owner), a, b, amountA, amountB, w.owner);
  };
  const pair = await pairOf(w.weth, PAIR_WETH, w.usdc, PAIR_USDC);
  await w.wethFeed.updateAnswer(usd("1900"));
  const atomic = await new AaveAtomicLiquidator__factory(w.liquidator).deploy(w.liquidator.address);
  const [wethAddress, usdcAddress, atomicAddress] = await Promise.all([w.weth.getAddress(), w.usdc.getAddress(), atomic.getAddress()]);
  /** `[wethValue, usdcValue]` in the pair's token0/token1 order. */
  const inPairOrder = <T>(wethValue: T, usdcValue: T): [T, T] => (pair.token0 === wethAddress ? [wethValue, usdcValue] : [usdcValue, wethValue]);
  const args = (debtToCover: bigint, pairAddress = pair.address, minProfit = 0n) =>
    [w.aave.pool.address, wethAddress, usdcAddress, w.alice.address, debtToCover, pairAddress, minProfit] as const;
  return { ...w, pair, pairOf, atomic, wethAddress, usdcAddress, atomicAddress, inPairOrder, args };
}

describe("AaveAtomicLiquidator on the real Aave V3.6", () => {
  it("offered exactly the 8,000 USDC Aave allows: repays them, pays the pair 4.241… WETH and sends the bot 0.158947031368948282 WETH", async () => {
    const w = await loadFixture(world);
    expect(await w.atomic.liquidate.staticCall(...w.args(DEBT_REPAID))).to.deep.equal([DEBT_REPAID, RECEIVED, PROFIT]);
    const tx = w.atomic.liquidate(...w.args(DEBT_REPAID));
    await expect(tx).to.emit(w.atomic, "AtomicLiquidation").withArgs(w.aave.pool.address, w.alice.address, w.wethAddress, w.usdcAddress, DEBT_REPAID, RECEIVED, OWED, 0n, PROFIT);
    await expect(tx).to.changeTokenBalances(w.weth, [w.liquidator.address, w.atomicAddress, w.pair.address], [PROFIT, 0n, OWED]);
    await expect(tx).to.changeTokenBalances(w.usdc, [w.liquidator.address, w.atomicAddress, w.pair.address], [0n, 0n, -DEBT_REPAID]);
    // Aave's own event: the liquidator is the contract, the collateral it names is net of the fee.
    const receipt = await (await tx).wait();
    const call = receipt?.logs
      .filter((l) => l.address.toLowerCase() === w.aave.pool.address.toLowerCase())
      .map((l) => decodeEventLog({ abi: w.aave.poolAbi, data: l.data as Hex, topics: l.topics as [Hex, ...Hex[]] }))
      .find((e) => e.eventName === "LiquidationCall");
    const args = call?.args as Record<string, unknown> | undefined;
    expect([args?.["liquidator"], args?.["debtToCover"], args?.["liquidatedCollateralAmount"]]).to.deep.equal([w.atomicAddress, DEBT_REPAID, RECEIVED]);
    expect(await w.pair.pair.getReserves().then((r) => [r[0], r[1]])).to.deep.equal(w.inPairOrder(PAIR_WETH + OWED, PAIR_USDC - DEBT_REPAID));
    expect(await w.aTokenBalance(w.weth, w.alice.address)).to.equal(10n * ONE_WETH - SEIZED);
    expect(await w.aTokenBalance(w.weth, w.aave.treasury)).to.equal(FEE);
    expect(await w.debtBalance(w.usdc, w.alice.address)).to.equal(16_000n * ONE_USDC - DEBT_REPAID);
    // Nothing stays behind: no token, no allowance.
    expect(await w.usdc.allowance(w.atomicAddress, w.aave.pool.address)).to.equal(0n);
  });

  it("offered 10,000 USDC: Aave takes 8,000, the 2,000 go back to the pair with 4.244247217915298523 WETH, the bot keeps 0.155752782084701477 WETH", async () => {
    const w = await loadFixture(world);
    const tx = w.atomic.liquidate(...w.args(OFFERED));
    await expect(tx).to.emit(w.atomic, "AtomicLiquidation").withArgs(w.aave.pool.address, w.alice.address, w.wethAddress, w.usdcAddress, DEBT_REPAID, RECEIVED, OWED_RETURNING, OFFERED - DEBT_REPAID, PROFIT_RETURNING);
    await expect(tx).to.changeTokenBalances(w.weth, [w.liquidator.address, w.atomicAddress, w.pair.address], [PROFIT_RETURNING, 0n, OWED_RETURNING]);
    await expect(tx).to.changeTokenBalances(w.usdc, [w.atomicAddress, w.pair.address], [0n, -DEBT_REPAID]);
    const [amount0In, amount1In] = w.inPairOrder(OWED_RETURNING, OFFERED - DEBT_REPAID);
    const [amount0Out, amount1Out] = w.inPairOrder(0n, OFFERED);
    await expect(tx).to.emit(w.pair.pair, "Swap").withArgs(w.atomicAddress, amount0In, amount1In, amount0Out, amount1Out, w.atomicAddress);
    expect(await w.debtBalance(w.usdc, w.alice.address)).to.equal(16_000n * ONE_USDC - DEBT_REPAID);
    expect(await w.usdc.allowance(w.atomicAddress, w.aave.pool.address)).to.equal(0n);
  });

  it("getAmountInReturning: Uniswap's getAmountIn when nothing comes back (4.241052968631051718 WETH), 4.244247217915298523 WETH when 2,000 of 10,000 USDC do", async () => {
    const w = await loadFixture(world);
    expect(await w.atomic.getAmountInReturning(DEBT_REPAID, 0n, PAIR_WETH, PAIR_USDC)).to.equal(OWED);
    expect(await w.atomic.getAmountInReturning(OFFERED, OFFERED - DEBT_REPAID, PAIR_WETH, PAIR_USDC)).to.equal(OWED_RETURNING);
  });

  it("refuses a thin pair (owed 5.349… WETH for 4.4 received), a profit below the minimum, and a healthy position, with nothing moved", async () => {
    const w = await loadFixture(world);
    const thin = await w.pairOf(w.weth, 20n * ONE_WETH, w.usdc, 38_000n * ONE_USDC);
    await expect(w.atomic.liquidate(...w.args(DEBT_REPAID, thin.address))).to.be.revertedWithCustomError(w.atomic, "UnprofitableAfterSlippage").withArgs(RECEIVED, THIN_OWED);
    await expect(w.atomic.liquidate(...w.args(DEBT_REPAID, w.pair.address, PROFIT + 1n))).to.be.revertedWithCustomError(w.atomic, "ProfitBelowMinimum").withArgs(PROFIT, PROFIT + 1n);
    await w.wethFeed.updateAnswer(usd("2000"));
    // Aave's own refusal (HealthFactorNotBelowThreshold) comes back through the flash swap.
    await expect(w.atomic.liquidate(...w.args(DEBT_REPAID))).to.be.reverted;
    expect(await w.debtBalance(w.usdc, w.alice.address)).to.equal(16_000n * ONE_USDC);
  });

  it("guards: owner only, its own flash swap's pair only, the pair of exactly the two assets, a loan below the pair's reserve, a nonzero offer", async () => {
    const w = await loadFixture(world);
    await expect(w.atomic.connect(w.bob).liquidate(...w.args(DEBT_REPAID))).to.be.revertedWithCustomError(w.atomic, "OwnableUnauthorizedAccount").withArgs(w.bob.address);
    await expect(w.atomic.connect(w.bob).uniswapV2Call(w.atomicAddress, 0n, 0n, "0x")).to.be.revertedWithCustomError(w.atomic, "UnexpectedCallback").withArgs(w.bob.address);
    const wbtcPair = await w.pairOf(w.wbtc, 10n * 10n ** 8n, w.usdc, 600_000n * ONE_USDC);
    await expect(w.atomic.liquidate(...w.args(DEBT_REPAID, wbtcPair.address))).to.be.revertedWithCustomError(w.atomic, "PairTokensMismatch").withArgs(wbtcPair.address, w.wethAddress, w.usdcAddress);
    await expect(w.atomic.liquidate(...w.args(PAIR_USDC))).to.be.revertedWithCustomError(w.atomic, "InsufficientPairLiquidity").withArgs(PAIR_USDC, PAIR_USDC);
    await expect(w.atomic.liquidate(...w.args(0n))).to.be.revertedWithCustomError(w.atomic, "ZeroDebtToCover");
  });
});
