/**
 * LeverageLooper: a looper's vault levering up and down across two lending positions, against
 * hand-computed figures.
 *
 * World: WETH $2,000 and USDC $1 with zero interest; pool A is test/helpers/pool.ts's pool (WETH LTV 80%,
 * LT 82.5%), pool B a second PooledLendingPool (WETH LTV 75%, LT 80%); Bob supplies 100,000 USDC to each.
 * The Uniswap V2 pair starts at 1,000 WETH / 2,000,000 USDC. Carol owns the vault and deposits 10 WETH
 * into pool A. With zero interest and every amount a whole number of shares (1e6 per unit), positions
 * read back exactly. Swaps: out = floor(in·997·reserveOut / (reserveIn·1000 + in·997)).
 *   leverUp(A → B, 10,000 USDC): 9.97e33 / (2e15 + 9.97e12)
 *     o1 = 4_960_273_038_901_078_125 WETH to pool B; pair 995_039_726_961_098_921_875 / 2_010_000e6
 *   leverUp(B → A, 7,000 USDC): 6_979e6·995_039_726_961_098_921_875 / (2_010_000e6·1000 + 6_979e6)
 *     o2 = 3_442_962_100_478_740_421 WETH to pool A; pair 991_596_764_860_620_181_454 / 2_017_000e6
 *   Pool A: 13.442962100478740421 WETH vs 10,000 USDC: collateral $26,885.92420095 (8 decimals, down),
 *     HF = floor(2_688_592_420_095 · 0.825) / 1_000_000_000_000 = 2.218088746578
 *   Pool B: o1 WETH vs 7,000 USDC: collateral 992_054_607_780 ($9,920.54607780), LTV capacity
 *     floor(· 0.75) = 744_040_955_835 ($7,440.40955835), HF = floor(· 0.8) / 700_000_000_000 = 1.133776694605714285
 *     7,500 USDC of debt ($7,500) would exceed the capacity: LtvExceeded(750_000_000_000, 744_040_955_835).
 *   leverDown(A, 3 WETH → A): 3 WETH buys b3 = 6_065_675_864 (6,065.675864 USDC), all repaid to A:
 *     A's debt 3_934_324_136, HF = floor(floor(10.442962100478740421 · 2,000e8) · 0.825) / 393_432_413_600
 *     = 4.379630876905460948; pair 994_596_764_860_620_181_454 / 2_010_934_324_136
 *   leverDown(A, 4 WETH → B): b4 = 8_030_971_798 buys more than B's 7,000 USDC debt: B repaid in full,
 *     1_030_971_798 kept; pair 998_596_764_860_620_181_454 / 2_002_903_352_338
 *   leverDown(B, max → A): B has no debt now, so all o1 WETH comes out and buys b5 = 9_870_180_924;
 *     with the 1_030_971_798 kept that is 10_901_152_722 for A's 3_934_324_136 debt: repaid in full,
 *     6_966_828_586 kept for `sweep`. Pool A keeps 10 + o2 − 7 = 6_442_962_100_478_740_421 WETH.
 *
 * With an isolated leg I (IsolatedLendingMarket market 0: WETH collateral, USDC loan, LLTV 86%, Bob's
 * 100,000 USDC) in place of pool B, the same steps buy the same o1 and o2 (same pair, same amounts):
 *   I after leverUp(I → A, 7,000 USDC): maxBorrow = floor(floor(o1 · 2e27 / 1e36) · 0.86)
 *     = floor(9_920_546_077 · 0.86) = 8_531_669_626; HF = floor(8_531_669_626e18 / 7_000e6) = 1.218809946571428571
 *     8,600 USDC of debt would exceed it: InsufficientCollateral(8_600e6, 8_531_669_626).
 *   leverDown(A, 4 WETH → I): 4 WETH into 991_596_764_860_620_181_454 / 2_017_000e6 buys 8_079_468_754,
 *     I's 7,000 USDC repaid in full (all its shares), 1_079_468_754 kept; pair 995_596_764_860_620_181_454 / 2_008_920_531_246
 *   leverDown(I, max → A): all o1 WETH buys 9_929_516_607; with the 1_079_468_754 kept, 11_008_985_361 repay
 *     A's 10,000 USDC in full and 1_008_985_361 stay; pair 1_000_557_037_899_521_259_579 / 1_998_991_014_639
 *   With interest in I (4% at the 80% kink): 7,000 of 100,000 USDC lent is 7% utilization, 0.04 · 0.07 / 0.8
 *     = 0.35% a year; a year later I's totals are 7_024_500_000 / 7_000e12 shares and "all" of the vault's
 *     debt is toAssetsUp(7_000e12) = ceil(7_000e12 · 7_024_500_001 / 7_000_000_001e6) = ceil(7_024_499_999.9965)
 *     = 7_024_500_000; the same 4 WETH buys 8_079_468_754, leaving 1_054_968_754.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { LeverageLooper__factory } from "../../typechain-types";
import type { MockERC20, PooledLendingPool } from "../../typechain-types";
import { AAVE_LIQUIDATION_CONFIG, MAX_UINT256, deployPoolWorld, usd, usdcConfig, wad, wethConfig } from "../helpers/pool";
import { createPairWithLiquidity, deployUniswapV2Factory } from "../helpers/uniswap";
import { KINKED_CURVE, VIRTUAL_SHARES, isolatedParams, positionOf } from "../helpers/isolated";
import type { MarketParams } from "../helpers/isolated";
import { at, latestTimestamp } from "../helpers/poolTest";
import type { IsolatedLendingMarket } from "../../typechain-types";

const ONE_WETH = 10n ** 18n;
const ONE_USDC = 10n ** 6n;
const POOLED = 0;
const ISOLATED = 1;

const PAIR_WETH = 1_000n * ONE_WETH;
const PAIR_USDC = 2_000_000n * ONE_USDC;

const BORROW_1 = 10_000n * ONE_USDC;
const O1 = 4_960_273_038_901_078_125n;
const BORROW_2 = 7_000n * ONE_USDC;
const O2 = 3_442_962_100_478_740_421n;
const B3 = 6_065_675_864n;
const B4 = 8_030_971_798n;
const B5 = 9_870_180_924n;

async function loopWorld(options: { isolated?: Partial<MarketParams> } = {}) {
  const w = await deployPoolWorld();
  const [wethAddress, usdcAddress, wethFeed, usdcFeed] = await Promise.all([
    w.weth.getAddress(),
    w.usdc.getAddress(),
    w.wethFeed.getAddress(),
    w.usdcFeed.getAddress(),
  ]);
  const poolA = w.pool;
  const poolB = (await ethers.deployContract("PooledLendingPool", [
    w.owner.address,
    AAVE_LIQUIDATION_CONFIG,
  ])) as unknown as PooledLendingPool;
  await poolB.listReserve(wethAddress, wethConfig(wethFeed, { ltvWad: wad("0.75"), liquidationThresholdWad: wad("0.8") }));
  await poolB.listReserve(usdcAddress, usdcConfig(usdcFeed));
  const [poolAAddress, poolBAddress] = await Promise.all([poolA.getAddress(), poolB.getAddress()]);
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.usdc.mint(w.bob.address, 100_000n * ONE_USDC);
  await w.usdc.connect(w.bob).approve(poolBAddress, MAX_UINT256);
  await poolB.connect(w.bob).supply(usdcAddress, 100_000n * ONE_USDC, w.bob.address);

  // Isolated market 0 takes WETH for USDC, as the vault does; market 1 the other way round.
  const market = (await ethers.deployContract("IsolatedLendingMarket", [w.owner.address])) as unknown as IsolatedLendingMarket;
  const marketAddress = await market.getAddress();
  await market.createMarket(
    isolatedParams(
      { loanToken: usdcAddress, collateralToken: wethAddress, loanFeed: usdcFeed, collateralFeed: wethFeed },
      wad("0.86"),
      options.isolated
    )
  );
  await market.createMarket(
    isolatedParams({ loanToken: wethAddress, collateralToken: usdcAddress, loanFeed: wethFeed, collateralFeed: usdcFeed }, wad("0.86"))
  );
  await w.usdc.mint(w.bob.address, 100_000n * ONE_USDC);
  await w.usdc.connect(w.bob).approve(marketAddress, MAX_UINT256);
  await market.connect(w.bob).supply(0n, 100_000n * ONE_USDC, w.bob.address);

  await w.weth.mint(w.owner.address, PAIR_WETH);
  await w.usdc.mint(w.owner.address, PAIR_USDC);
  const factory = await deployUniswapV2Factory(w.owner);
  const pair = await createPairWithLiquidity(factory, w.weth, w.usdc, PAIR_WETH, PAIR_USDC, w.owner);

  const looperOwner = w.carol;
  const looper = await new LeverageLooper__factory(looperOwner).deploy(
    looperOwner.address,
    wethAddress,
    usdcAddress,
    pair.address
  );
  const looperAddress = await looper.getAddress();
  await w.weth.mint(looperOwner.address, 10n * ONE_WETH);
  await w.weth.connect(looperOwner).approve(looperAddress, MAX_UINT256);

  const legA = { kind: POOLED, protocol: poolAAddress, marketId: 0n };
  const legB = { kind: POOLED, protocol: poolBAddress, marketId: 0n };
  const legI = { kind: ISOLATED, protocol: marketAddress, marketId: 0n };
  /** `[wethValue, usdcValue]` in the pair's token0/token1 order. */
  const inPairOrder = <T>(wethValue: T, usdcValue: T): [T, T] =>
    pair.token0 === wethAddress ? [wethValue, usdcValue] : [usdcValue, wethValue];
  return {
    ...w,
    wethAddress,
    usdcAddress,
    poolA,
    poolB,
    poolAAddress,
    poolBAddress,
    market,
    marketAddress,
    factory,
    pair,
    looperOwner,
    looper,
    looperAddress,
    legA,
    legB,
    legI,
    inPairOrder,
  };
}

type LoopWorld = Awaited<ReturnType<typeof loopWorld>>;

/** Carol's 10 WETH in pool A, then leverUp A → B with 10,000 USDC and B → A with 7,000 USDC. */
async function leveredTwice(): Promise<LoopWorld> {
  const w = await loopWorld();
  const looper = w.looper.connect(w.looperOwner);
  await looper.deposit(w.legA, 10n * ONE_WETH);
  await looper.leverUp(w.legA, BORROW_1, w.legB, O1);
  await looper.leverUp(w.legB, BORROW_2, w.legA, O2);
  return w;
}

/** Carol's 10 WETH in pool A, then leverUp A → I with 10,000 USDC and I → A with 7,000 USDC. */
async function leveredTwiceWithIsolated(): Promise<LoopWorld> {
  const w = await loopWorld();
  const looper = w.looper.connect(w.looperOwner);
  await looper.deposit(w.legA, 10n * ONE_WETH);
  await looper.leverUp(w.legA, BORROW_1, w.legI, O1);
  await looper.leverUp(w.legI, BORROW_2, w.legA, O2);
  return w;
}

/** As `leveredTwiceWithIsolated`, with isolated market 0 on `KINKED_CURVE`; returns the time of the last step. */
async function leveredTwiceWithIsolatedInterest(): Promise<LoopWorld & { t0: bigint }> {
  const w = await loopWorld({ isolated: KINKED_CURVE });
  const looper = w.looper.connect(w.looperOwner);
  await looper.deposit(w.legA, 10n * ONE_WETH);
  await looper.leverUp(w.legA, BORROW_1, w.legI, O1);
  const t0 = (await latestTimestamp()) + 1n;
  await at(t0, () => looper.leverUp(w.legI, BORROW_2, w.legA, O2));
  return { ...w, t0 };
}

/** The vault's collateral (WETH) and borrow shares in isolated market 0. */
async function isolatedPosition(w: LoopWorld): Promise<[bigint, bigint]> {
  const p = positionOf(await w.market.position(0n, w.looperAddress));
  return [p.collateral, p.borrowShares];
}

/** The vault's collateral (WETH) and debt (USDC) in `pool`, accrued to now. */
async function positionIn(w: LoopWorld, pool: PooledLendingPool): Promise<[bigint, bigint]> {
  const [, , collateral] = await pool.getUserReserve(w.wethAddress, w.looperAddress);
  const [, , , debt] = await pool.getUserReserve(w.usdcAddress, w.looperAddress);
  return [collateral, debt];
}

async function healthFactor(w: LoopWorld, pool: PooledLendingPool): Promise<bigint> {
  return (await pool.getUserAccountData(w.looperAddress))[5];
}

async function reserves(w: LoopWorld): Promise<[bigint, bigint]> {
  const [reserve0, reserve1] = await w.pair.pair.getReserves();
  return [reserve0, reserve1];
}

async function held(token: MockERC20, w: LoopWorld): Promise<bigint> {
  return token.balanceOf(w.looperAddress);
}

describe("LeverageLooper", () => {
  it("the constructor rejects a pair of other tokens: PairTokensMismatch(pair, WETH, WBTC)", async () => {
    const w = await loadFixture(loopWorld);
    const wbtcAddress = await w.wbtc.getAddress();
    await expect(
      new LeverageLooper__factory(w.carol).deploy(w.carol.address, w.wethAddress, wbtcAddress, w.pair.address)
    )
      .to.be.revertedWithCustomError(w.looper, "PairTokensMismatch")
      .withArgs(w.pair.address, w.wethAddress, wbtcAddress);
  });

  describe("deposit", () => {
    it("pulls 10 WETH from the owner and supplies it to pool A as the vault's collateral", async () => {
      const w = await loadFixture(loopWorld);
      const tx = w.looper.connect(w.looperOwner).deposit(w.legA, 10n * ONE_WETH);
      await expect(tx)
        .to.emit(w.looper, "Deposited")
        .withArgs([POOLED, w.poolAAddress, 0n], 10n * ONE_WETH);
      await expect(tx).to.changeTokenBalances(
        w.weth,
        [w.looperOwner.address, w.looperAddress, w.poolAAddress],
        [-10n * ONE_WETH, 0n, 10n * ONE_WETH]
      );
      expect(await positionIn(w, w.poolA)).to.deep.equal([10n * ONE_WETH, 0n]);
    });

    it("into an isolated leg: 10 WETH become the vault's collateral in market 0", async () => {
      const w = await loadFixture(loopWorld);
      const tx = w.looper.connect(w.looperOwner).deposit(w.legI, 10n * ONE_WETH);
      await expect(tx)
        .to.emit(w.looper, "Deposited")
        .withArgs([ISOLATED, w.marketAddress, 0n], 10n * ONE_WETH);
      await expect(tx).to.emit(w.market, "SupplyCollateral").withArgs(0n, w.looperAddress, w.looperAddress, 10n * ONE_WETH);
      expect(await isolatedPosition(w)).to.deep.equal([10n * ONE_WETH, 0n]);
    });
  });

  describe("leverUp", () => {
    it("A → B then B → A: each borrow is swapped at Uniswap's formula and supplied to the other pool", async () => {
      const w = await loadFixture(loopWorld);
      const looper = w.looper.connect(w.looperOwner);
      await looper.deposit(w.legA, 10n * ONE_WETH);

      expect(await looper.leverUp.staticCall(w.legA, BORROW_1, w.legB, 0n)).to.equal(O1);
      const first = looper.leverUp(w.legA, BORROW_1, w.legB, 0n);
      await expect(first)
        .to.emit(w.looper, "LeveredUp")
        .withArgs([POOLED, w.poolAAddress, 0n], [POOLED, w.poolBAddress, 0n], BORROW_1, O1);
      await expect(first)
        .to.emit(w.pair.pair, "Swap")
        .withArgs(w.looperAddress, ...w.inPairOrder(0n, BORROW_1), ...w.inPairOrder(O1, 0n), w.looperAddress);
      expect(await reserves(w)).to.deep.equal(
        w.inPairOrder(995_039_726_961_098_921_875n, 2_010_000n * ONE_USDC)
      );
      expect(await positionIn(w, w.poolA)).to.deep.equal([10n * ONE_WETH, BORROW_1]);
      expect(await positionIn(w, w.poolB)).to.deep.equal([O1, 0n]);

      const second = looper.leverUp(w.legB, BORROW_2, w.legA, 0n);
      await expect(second)
        .to.emit(w.looper, "LeveredUp")
        .withArgs([POOLED, w.poolBAddress, 0n], [POOLED, w.poolAAddress, 0n], BORROW_2, O2);
      expect(await reserves(w)).to.deep.equal(
        w.inPairOrder(991_596_764_860_620_181_454n, 2_017_000n * ONE_USDC)
      );
      expect(await positionIn(w, w.poolA)).to.deep.equal([10n * ONE_WETH + O2, BORROW_1]);
      expect(await positionIn(w, w.poolB)).to.deep.equal([O1, BORROW_2]);
      expect(await healthFactor(w, w.poolA)).to.equal(2_218_088_746_578_000_000n);
      expect(await healthFactor(w, w.poolB)).to.equal(1_133_776_694_605_714_285n);
      // Every token the vault touched went on: it holds none.
      expect([await held(w.weth, w), await held(w.usdc, w)]).to.deep.equal([0n, 0n]);
    });

    it("a single-protocol loop: borrow 10,000 USDC in pool A and supply the 4.96… WETH back to pool A", async () => {
      const w = await loadFixture(loopWorld);
      const looper = w.looper.connect(w.looperOwner);
      await looper.deposit(w.legA, 10n * ONE_WETH);
      await expect(looper.leverUp(w.legA, BORROW_1, w.legA, O1))
        .to.emit(w.looper, "LeveredUp")
        .withArgs([POOLED, w.poolAAddress, 0n], [POOLED, w.poolAAddress, 0n], BORROW_1, O1);
      expect(await positionIn(w, w.poolA)).to.deep.equal([10n * ONE_WETH + O1, BORROW_1]);
    });

    it("minCollateralOut = output + 1 reverts InsufficientOutput(output, output + 1) and borrows nothing", async () => {
      const w = await loadFixture(loopWorld);
      const looper = w.looper.connect(w.looperOwner);
      await looper.deposit(w.legA, 10n * ONE_WETH);
      await expect(looper.leverUp(w.legA, BORROW_1, w.legB, O1 + 1n))
        .to.be.revertedWithCustomError(w.looper, "InsufficientOutput")
        .withArgs(O1, O1 + 1n);
      expect(await positionIn(w, w.poolA)).to.deep.equal([10n * ONE_WETH, 0n]);
    });

    it("the protocol's LTV applies: 500 USDC more in pool B reverts LtvExceeded($7,500, $7,440.40955835)", async () => {
      const w = await loadFixture(leveredTwice);
      await expect(w.looper.connect(w.looperOwner).leverUp(w.legB, 500n * ONE_USDC, w.legA, 0n))
        .to.be.revertedWithCustomError(w.poolB, "LtvExceeded")
        .withArgs(750_000_000_000n, 744_040_955_835n);
    });

    it("a leg kind other than 0 (pooled) or 1 (isolated) reverts InvalidLegKind", async () => {
      const w = await loadFixture(loopWorld);
      const badLeg = { ...w.legA, kind: 2 };
      await expect(w.looper.connect(w.looperOwner).deposit(badLeg, ONE_WETH))
        .to.be.revertedWithCustomError(w.looper, "InvalidLegKind")
        .withArgs(2);
    });
  });

  describe("leverDown", () => {
    it("3 WETH out of pool A buys 6,065.675864 USDC, all repaid to pool A: debt 3,934.324136, HF 2.218… → 4.379…", async () => {
      const w = await loadFixture(leveredTwice);
      const looper = w.looper.connect(w.looperOwner);
      expect(await looper.leverDown.staticCall(w.legA, 3n * ONE_WETH, w.legA, B3)).to.equal(B3);
      const tx = looper.leverDown(w.legA, 3n * ONE_WETH, w.legA, B3);
      await expect(tx)
        .to.emit(w.looper, "LeveredDown")
        .withArgs([POOLED, w.poolAAddress, 0n], [POOLED, w.poolAAddress, 0n], 3n * ONE_WETH, B3, B3);
      await expect(tx).to.emit(w.poolA, "Repay").withArgs(w.usdcAddress, w.looperAddress, w.looperAddress, B3, B3 * 10n ** 6n);
      expect(await reserves(w)).to.deep.equal(w.inPairOrder(994_596_764_860_620_181_454n, 2_010_934_324_136n));
      expect(await positionIn(w, w.poolA)).to.deep.equal([7n * ONE_WETH + O2, BORROW_1 - B3]);
      expect(await healthFactor(w, w.poolA)).to.equal(4_379_630_876_905_460_948n);
      expect([await held(w.weth, w), await held(w.usdc, w)]).to.deep.equal([0n, 0n]);
    });

    it("repays at most the debt: the surplus is kept, used by the next repayment and swept to the owner", async () => {
      const w = await loadFixture(leveredTwice);
      const looper = w.looper.connect(w.looperOwner);
      await looper.leverDown(w.legA, 3n * ONE_WETH, w.legA, 0n);

      // 4 WETH from A buys 8,030.971798 USDC for B's 7,000 USDC debt: B repaid in full, the rest kept.
      await expect(looper.leverDown(w.legA, 4n * ONE_WETH, w.legB, 0n))
        .to.emit(w.looper, "LeveredDown")
        .withArgs([POOLED, w.poolAAddress, 0n], [POOLED, w.poolBAddress, 0n], 4n * ONE_WETH, B4, BORROW_2);
      expect(await reserves(w)).to.deep.equal(w.inPairOrder(998_596_764_860_620_181_454n, 2_002_903_352_338n));
      expect(await positionIn(w, w.poolB)).to.deep.equal([O1, 0n]);
      expect(await held(w.usdc, w)).to.equal(B4 - BORROW_2);

      // B has no debt left, so max withdraws all of its WETH; it and the surplus repay A in full.
      await expect(looper.leverDown(w.legB, MAX_UINT256, w.legA, 0n))
        .to.emit(w.looper, "LeveredDown")
        .withArgs([POOLED, w.poolBAddress, 0n], [POOLED, w.poolAAddress, 0n], O1, B5, BORROW_1 - B3);
      expect(await positionIn(w, w.poolA)).to.deep.equal([6_442_962_100_478_740_421n, 0n]);
      expect(await positionIn(w, w.poolB)).to.deep.equal([0n, 0n]);
      expect(await healthFactor(w, w.poolA)).to.equal(MAX_UINT256);
      expect(await held(w.usdc, w)).to.equal(6_966_828_586n);
      expect(await w.usdc.allowance(w.looperAddress, w.poolAAddress)).to.equal(0n);

      const sweep = looper.sweep(w.usdcAddress, w.looperOwner.address);
      await expect(sweep).to.emit(w.looper, "Swept").withArgs(w.usdcAddress, w.looperOwner.address, 6_966_828_586n);
      await expect(sweep).to.changeTokenBalances(w.usdc, [w.looperAddress, w.looperOwner], [-6_966_828_586n, 6_966_828_586n]);
    });

    it("a repay leg without debt repays nothing and keeps what the swap bought", async () => {
      const w = await loadFixture(loopWorld);
      const looper = w.looper.connect(w.looperOwner);
      await looper.deposit(w.legA, 10n * ONE_WETH);
      // Pool B has never lent to the vault. 1 WETH into 1,000 WETH / 2,000,000 USDC:
      // floor(997e18 · 2_000_000e6 / (1_000e18·1000 + 997e18)) = 1_992_013_962 USDC units.
      await expect(looper.leverDown(w.legA, ONE_WETH, w.legB, 0n))
        .to.emit(w.looper, "LeveredDown")
        .withArgs([POOLED, w.poolAAddress, 0n], [POOLED, w.poolBAddress, 0n], ONE_WETH, 1_992_013_962n, 0n);
      expect(await held(w.usdc, w)).to.equal(1_992_013_962n);
    });

    it("the withdrawal must keep its own leg healthy: all of pool B's WETH while it lends 7,000 USDC reverts HealthFactorBelowOne(0)", async () => {
      const w = await loadFixture(leveredTwice);
      await expect(w.looper.connect(w.looperOwner).leverDown(w.legB, MAX_UINT256, w.legB, 0n))
        .to.be.revertedWithCustomError(w.poolB, "HealthFactorBelowOne")
        .withArgs(0n);
    });

    it("minDebtOut = output + 1 reverts InsufficientOutput(output, output + 1)", async () => {
      const w = await loadFixture(leveredTwice);
      await expect(w.looper.connect(w.looperOwner).leverDown(w.legA, 3n * ONE_WETH, w.legA, B3 + 1n))
        .to.be.revertedWithCustomError(w.looper, "InsufficientOutput")
        .withArgs(B3, B3 + 1n);
    });
  });

  describe("with an isolated leg", () => {
    it("deposit into pool A, leverUp A → I and I → A: the same swaps as with two pools, the market's position exact", async () => {
      const w = await loadFixture(loopWorld);
      const looper = w.looper.connect(w.looperOwner);
      await looper.deposit(w.legA, 10n * ONE_WETH);

      const first = looper.leverUp(w.legA, BORROW_1, w.legI, 0n);
      await expect(first)
        .to.emit(w.looper, "LeveredUp")
        .withArgs([POOLED, w.poolAAddress, 0n], [ISOLATED, w.marketAddress, 0n], BORROW_1, O1);
      await expect(first).to.emit(w.market, "SupplyCollateral").withArgs(0n, w.looperAddress, w.looperAddress, O1);
      expect(await reserves(w)).to.deep.equal(w.inPairOrder(995_039_726_961_098_921_875n, 2_010_000n * ONE_USDC));
      expect(await isolatedPosition(w)).to.deep.equal([O1, 0n]);

      const second = looper.leverUp(w.legI, BORROW_2, w.legA, 0n);
      await expect(second)
        .to.emit(w.looper, "LeveredUp")
        .withArgs([ISOLATED, w.marketAddress, 0n], [POOLED, w.poolAAddress, 0n], BORROW_2, O2);
      await expect(second)
        .to.emit(w.market, "Borrow")
        .withArgs(0n, w.looperAddress, w.looperAddress, BORROW_2, BORROW_2 * VIRTUAL_SHARES);
      expect(await reserves(w)).to.deep.equal(w.inPairOrder(991_596_764_860_620_181_454n, 2_017_000n * ONE_USDC));
      expect(await isolatedPosition(w)).to.deep.equal([O1, BORROW_2 * VIRTUAL_SHARES]);
      expect(await positionIn(w, w.poolA)).to.deep.equal([10n * ONE_WETH + O2, BORROW_1]);
      expect(await w.market.healthFactor(0n, w.looperAddress)).to.equal(1_218_809_946_571_428_571n);
      expect(await healthFactor(w, w.poolA)).to.equal(2_218_088_746_578_000_000n);
      expect([await held(w.weth, w), await held(w.usdc, w)]).to.deep.equal([0n, 0n]);
    });

    it("the market's health check applies: 1,600 USDC more in I reverts InsufficientCollateral(8,600 USDC, 8,531.669626 USDC)", async () => {
      const w = await loadFixture(leveredTwiceWithIsolated);
      await expect(w.looper.connect(w.looperOwner).leverUp(w.legI, 1_600n * ONE_USDC, w.legA, 0n))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(8_600n * ONE_USDC, 8_531_669_626n);
    });

    it("leverDown A → I repays I in full (every share), then I → A withdraws all of I's WETH and repays A in full", async () => {
      const w = await loadFixture(leveredTwiceWithIsolated);
      const looper = w.looper.connect(w.looperOwner);
      const first = looper.leverDown(w.legA, 4n * ONE_WETH, w.legI, 0n);
      await expect(first)
        .to.emit(w.looper, "LeveredDown")
        .withArgs([POOLED, w.poolAAddress, 0n], [ISOLATED, w.marketAddress, 0n], 4n * ONE_WETH, 8_079_468_754n, BORROW_2);
      await expect(first)
        .to.emit(w.market, "Repay")
        .withArgs(0n, w.looperAddress, w.looperAddress, BORROW_2, BORROW_2 * VIRTUAL_SHARES);
      expect(await reserves(w)).to.deep.equal(w.inPairOrder(995_596_764_860_620_181_454n, 2_008_920_531_246n));
      expect(await isolatedPosition(w)).to.deep.equal([O1, 0n]);
      expect(await held(w.usdc, w)).to.equal(1_079_468_754n);

      const second = looper.leverDown(w.legI, MAX_UINT256, w.legA, 0n);
      await expect(second)
        .to.emit(w.looper, "LeveredDown")
        .withArgs([ISOLATED, w.marketAddress, 0n], [POOLED, w.poolAAddress, 0n], O1, 9_929_516_607n, BORROW_1);
      expect(await reserves(w)).to.deep.equal(
        w.inPairOrder(1_000_557_037_899_521_259_579n, 1_998_991_014_639n)
      );
      expect(await isolatedPosition(w)).to.deep.equal([0n, 0n]);
      expect(await positionIn(w, w.poolA)).to.deep.equal([6n * ONE_WETH + O2, 0n]);
      expect(await held(w.usdc, w)).to.equal(1_008_985_361n);
      expect(await w.usdc.allowance(w.looperAddress, w.marketAddress)).to.equal(0n);
    });

    it("with a year of 0.35% interest in I, repaying in full repays the debt accrued to that block (7,024.5 USDC), every share", async () => {
      const w = await loadFixture(leveredTwiceWithIsolatedInterest);
      const t1 = w.t0 + 31_536_000n;
      // Fresh prices for pool A's withdrawal, a second before (no market transaction in between).
      await at(t1 - 1n, () => w.wethFeed.updateAnswer(usd("2000")));
      await at(t1 - 1n, () => w.usdcFeed.updateAnswer(usd("1")));
      const tx = at(t1, () => w.looper.connect(w.looperOwner).leverDown(w.legA, 4n * ONE_WETH, w.legI, 0n));
      await expect(tx).to.emit(w.market, "InterestAccrued").withArgs(0n, wad("0.0035"), 24_500_000n);
      await expect(tx)
        .to.emit(w.market, "Repay")
        .withArgs(0n, w.looperAddress, w.looperAddress, 7_024_500_000n, BORROW_2 * VIRTUAL_SHARES);
      await expect(tx)
        .to.emit(w.looper, "LeveredDown")
        .withArgs([POOLED, w.poolAAddress, 0n], [ISOLATED, w.marketAddress, 0n], 4n * ONE_WETH, 8_079_468_754n, 7_024_500_000n);
      expect(await isolatedPosition(w)).to.deep.equal([O1, 0n]);
      expect(await held(w.usdc, w)).to.equal(1_054_968_754n);
      expect(await w.usdc.allowance(w.looperAddress, w.marketAddress)).to.equal(0n);
    });

    it("an isolated market of other tokens (market 1: USDC collateral, WETH loan) reverts LegTokensMismatch(market, 1)", async () => {
      const w = await loadFixture(loopWorld);
      await expect(w.looper.connect(w.looperOwner).deposit({ ...w.legI, marketId: 1n }, ONE_WETH))
        .to.be.revertedWithCustomError(w.looper, "LegTokensMismatch")
        .withArgs(w.marketAddress, 1n);
    });
  });

  describe("access control", () => {
    it("deposit, leverUp, leverDown and sweep are the owner's only: anyone else gets OwnableUnauthorizedAccount", async () => {
      const w = await loadFixture(leveredTwice);
      expect(await w.looper.owner()).to.equal(w.looperOwner.address);
      const stranger = w.looper.connect(w.alice);
      const calls = [
        () => stranger.deposit(w.legA, ONE_WETH),
        () => stranger.leverUp(w.legA, ONE_USDC, w.legA, 0n),
        () => stranger.leverDown(w.legA, ONE_WETH, w.legA, 0n),
        () => stranger.sweep(w.usdcAddress, w.alice.address),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(w.looper, "OwnableUnauthorizedAccount").withArgs(w.alice.address);
      }
    });

    it("sweep to the zero address reverts ZeroAddress", async () => {
      const w = await loadFixture(loopWorld);
      await expect(w.looper.connect(w.looperOwner).sweep(w.usdcAddress, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        w.looper,
        "ZeroAddress"
      );
    });
  });
});
