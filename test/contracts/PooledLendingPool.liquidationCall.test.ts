/**
 * liquidationCall against hand-computed figures (Aave V3.3 rules).
 *
 * World: WETH $2,000 (LT 82.5%, bonus 5%, 10% of the bonus to the protocol), USDC $1, zero interest.
 * Alice supplies 10 WETH and borrows USDC from Bob's 100,000 USDC. Every expected amount below is
 * written out in wei with the arithmetic that produces it:
 *   seized = floor(floor(repaid * debtPrice * 1e18 / (collateralPrice * 1e6)) * bonus / 1e18)
 *   fee    = floor((seized - ceil(seized * 1e18 / bonus)) * 0.1)
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { AAVE_LIQUIDATION_CONFIG, E8, MAX_UINT256, WAD, deployPoolWorld, readReserveConfig, usd, wad } from "../helpers/pool";

const ONE_WETH = 10n ** 18n;
const ONE_USDC = 10n ** 6n;

async function aliceBorrowed16000() {
  const w = await deployPoolWorld();
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.alice, 10n * ONE_WETH);
  // 16,000 USDC is exactly the LTV limit: 10 WETH * $2,000 * 0.80.
  await w.pool.connect(w.alice).borrow(await w.usdc.getAddress(), 16_000n * ONE_USDC, w.alice.address);
  await w.fund(w.usdc, w.liquidator, 1_000_000n * ONE_USDC);
  return w;
}

async function aliceBorrowed16500() {
  const w = await deployPoolWorld();
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.alice, 10n * ONE_WETH);
  await w.wethFeed.updateAnswer(usd("2100")); // capacity 16,800 USDC
  await w.pool.connect(w.alice).borrow(await w.usdc.getAddress(), 16_500n * ONE_USDC, w.alice.address);
  await w.fund(w.usdc, w.liquidator, 1_000_000n * ONE_USDC);
  return w;
}

async function smallPosition() {
  const w = await deployPoolWorld();
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.alice, ONE_WETH);
  await w.pool.connect(w.alice).borrow(await w.usdc.getAddress(), 1_500n * ONE_USDC, w.alice.address);
  await w.fund(w.usdc, w.liquidator, 1_000_000n * ONE_USDC);
  return w;
}

describe("PooledLendingPool.liquidationCall", () => {
  describe("health factor gate", () => {
    it("reverts at HF exactly 1 (10 WETH at $1,900 x 0.825 == 15,675 USDC debt) and liquidates one price tick lower", async () => {
      const w = await deployPoolWorld();
      await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
      await w.supply(w.weth, w.alice, 10n * ONE_WETH);
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      await w.pool.connect(w.alice).borrow(usdc, 15_675n * ONE_USDC, w.alice.address);
      await w.fund(w.usdc, w.liquidator, 1_000_000n * ONE_USDC);

      await w.wethFeed.updateAnswer(usd("1900"));
      expect((await w.pool.getUserAccountData(w.alice.address))[5]).to.equal(WAD);
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, ONE_USDC))
        .to.be.revertedWithCustomError(w.pool, "HealthFactorNotBelowOne")
        .withArgs(WAD);

      // $1,899.99999999: collateral 1,899,999,999,990 (1e-8 USD), x0.825 -> 1,567,499,999,991; / 1,567,500,000,000.
      await w.wethFeed.updateAnswer(189_999_999_999n);
      expect((await w.pool.getUserAccountData(w.alice.address))[5]).to.equal(999_999_999_994_258_373n);
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, ONE_USDC)).to.emit(
        w.pool,
        "LiquidationCall",
      );
    });

    it("reverts for a healthy position, zero debtToCover, a non-collateral reserve, no collateral and no debt", async () => {
      const w = await aliceBorrowed16000();
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      const wbtc = await w.wbtc.getAddress();
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, ONE_USDC))
        .to.be.revertedWithCustomError(w.pool, "HealthFactorNotBelowOne")
        .withArgs(1_031_250_000_000_000_000n); // 20,000 x 0.825 / 16,000
      await w.wethFeed.updateAnswer(usd("1900"));
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, 0n)).to.be.revertedWithCustomError(
        w.pool,
        "ZeroAmount",
      );
      await expect(w.pool.connect(w.liquidator).liquidationCall(wbtc, usdc, w.alice.address, ONE_USDC)).to.be.revertedWithCustomError(
        w.pool,
        "NoCollateralToSeize",
      );
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, wbtc, w.alice.address, ONE_USDC)).to.be.revertedWithCustomError(
        w.pool,
        "NoDebtToRepay",
      );
      await expect(w.pool.connect(w.liquidator).liquidationCall(w.liquidator.address, usdc, w.alice.address, ONE_USDC))
        .to.be.revertedWithCustomError(w.pool, "ReserveNotListed")
        .withArgs(w.liquidator.address);

      const disabled = { ...(await readReserveConfig(w.pool, wbtc)), liquidationThresholdWad: 0n, ltvWad: 0n };
      await w.pool.setReserveConfig(wbtc, disabled);
      await expect(w.pool.connect(w.liquidator).liquidationCall(wbtc, usdc, w.alice.address, ONE_USDC))
        .to.be.revertedWithCustomError(w.pool, "CollateralNotEnabled")
        .withArgs(wbtc);
    });
  });

  describe("close factor", () => {
    it("caps a large position above HF 0.95 at 50% of its debt: repays 8,000 USDC, seizes 4.421052631578947368 WETH, fee 0.021052631578947368", async () => {
      const w = await aliceBorrowed16000();
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      await w.wethFeed.updateAnswer(usd("1900")); // HF = 19,000 x 0.825 / 16,000 = 0.9796875

      const preview = await w.pool.previewLiquidation(weth, usdc, w.alice.address, MAX_UINT256);
      expect(preview.healthFactorWad).to.equal(979_687_500_000_000_000n);
      expect(preview.debtRepaid).to.equal(8_000n * ONE_USDC);
      // floor(8,000 / 1,900 WETH) = 4.210526315789473684; x1.05 -> 4.421052631578947368
      expect(preview.collateralSeized).to.equal(4_421_052_631_578_947_368n);
      // bonus part 4.421052631578947368 - ceil(/1.05) = 0.210526315789473684; x0.1
      expect(preview.protocolFee).to.equal(21_052_631_578_947_368n);
      expect(preview.writesOffBadDebt).to.equal(false);

      const liquidatorUsdcBefore = await w.usdc.balanceOf(w.liquidator.address);
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256))
        .to.emit(w.pool, "LiquidationCall")
        .withArgs(
          weth,
          usdc,
          w.alice.address,
          w.liquidator.address,
          8_000n * ONE_USDC,
          4_421_052_631_578_947_368n,
          21_052_631_578_947_368n,
          979_687_500_000_000_000n,
        );
      expect(await w.weth.balanceOf(w.liquidator.address)).to.equal(4_400_000_000_000_000_000n);
      expect(liquidatorUsdcBefore - (await w.usdc.balanceOf(w.liquidator.address))).to.equal(8_000n * ONE_USDC);

      const [, , supplyAssets] = await w.pool.getUserReserve(weth, w.alice.address);
      expect(supplyAssets).to.equal(5_578_947_368_421_052_632n);
      const [, , , debt] = await w.pool.getUserReserve(usdc, w.alice.address);
      expect(debt).to.equal(8_000n * ONE_USDC);
      expect((await w.pool.getReserveState(weth)).reservesAssets).to.equal(21_052_631_578_947_368n);
      expect((await w.pool.getUserAccountData(w.alice.address))[5]).to.equal(1_093_125_000_000_000_000n);
    });

    it("clips debtToCover above the close factor to the close factor (8,000.000001 USDC -> 8,000 USDC)", async () => {
      const w = await aliceBorrowed16000();
      await w.wethFeed.updateAnswer(usd("1900"));
      const p = await w.pool.previewLiquidation(await w.weth.getAddress(), await w.usdc.getAddress(), w.alice.address, 8_000n * ONE_USDC + 1n);
      expect(p.debtRepaid).to.equal(8_000n * ONE_USDC);
      const below = await w.pool.previewLiquidation(await w.weth.getAddress(), await w.usdc.getAddress(), w.alice.address, 8_000n * ONE_USDC - 1n);
      expect(below.debtRepaid).to.equal(8_000n * ONE_USDC - 1n);
    });

    it("allows the whole debt at HF exactly 0.95 and only half one price tick above it", async () => {
      const w = await aliceBorrowed16500();
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      await w.wethFeed.updateAnswer(usd("1900")); // 15,675 / 16,500 = 0.95 exactly
      const atThreshold = await w.pool.previewLiquidation(weth, usdc, w.alice.address, MAX_UINT256);
      expect(atThreshold.healthFactorWad).to.equal(wad("0.95"));
      expect(atThreshold.debtRepaid).to.equal(16_500n * ONE_USDC);
      expect(atThreshold.collateralSeized).to.equal(9_118_421_052_631_578_946n);
      expect(atThreshold.protocolFee).to.equal(43_421_052_631_578_947n);

      await w.wethFeed.updateAnswer(190_000_000_001n); // $1,900.00000001
      const above = await w.pool.previewLiquidation(weth, usdc, w.alice.address, MAX_UINT256);
      expect(above.healthFactorWad).to.equal(950_000_000_004_848_484n);
      expect(above.debtRepaid).to.equal(8_250n * ONE_USDC);
      expect(above.collateralSeized).to.equal(4_559_210_526_291_793_628n);
      expect(above.protocolFee).to.equal(21_710_526_315_675_207n);
    });

    it("allows the whole debt when the position is under the $2,000 dust threshold (1 WETH at $1,800, HF 0.99)", async () => {
      const w = await smallPosition();
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      await w.wethFeed.updateAnswer(usd("1800")); // 1,800 x 0.825 / 1,500 = 0.99
      const p = await w.pool.previewLiquidation(weth, usdc, w.alice.address, MAX_UINT256);
      expect(p.healthFactorWad).to.equal(wad("0.99"));
      expect(p.debtRepaid).to.equal(1_500n * ONE_USDC);
      expect(p.collateralSeized).to.equal(874_999_999_999_999_999n);
      expect(p.protocolFee).to.equal(4_166_666_666_666_666n);

      // Lowering the dust threshold to $1,500 (the debt's value) makes the same position "large": 50% applies.
      await w.pool.setLiquidationConfig({ ...AAVE_LIQUIDATION_CONFIG, closeFactorDustUsd: usd("1500"), minLeftoverUsd: 0n });
      const capped = await w.pool.previewLiquidation(weth, usdc, w.alice.address, MAX_UINT256);
      expect(capped.debtRepaid).to.equal(750n * ONE_USDC);
    });
  });

  describe("leftover dust (minLeftoverUsd)", () => {
    it("rejects a partial liquidation leaving $500 of debt, allows it with the rule off, and always allows repaying all", async () => {
      const w = await smallPosition();
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      await w.wethFeed.updateAnswer(usd("1800"));
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, 1_000n * ONE_USDC))
        .to.be.revertedWithCustomError(w.pool, "MustNotLeaveDust")
        .withArgs(usd("500"), usd("750"));
      // 0.583333333333333332 WETH seized leaves 0.416666666666666668 WETH = $750
      await w.pool.setLiquidationConfig({ ...AAVE_LIQUIDATION_CONFIG, minLeftoverUsd: usd("500") });
      const p = await w.pool.previewLiquidation(weth, usdc, w.alice.address, 1_000n * ONE_USDC);
      expect(p.collateralSeized).to.equal(583_333_333_333_333_332n);
      await w.pool.setLiquidationConfig({ ...AAVE_LIQUIDATION_CONFIG, minLeftoverUsd: usd("500") + 1n });
      await expect(w.pool.previewLiquidation(weth, usdc, w.alice.address, 1_000n * ONE_USDC)).to.be.revertedWithCustomError(
        w.pool,
        "MustNotLeaveDust",
      );
      await w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256);
      const [, , , debt] = await w.pool.getUserReserve(usdc, w.alice.address);
      expect(debt).to.equal(0n);
    });
  });

  describe("seizure capped by collateral, then bad debt", () => {
    it("at $1,000 seizes all 10 WETH for 9,523.809524 USDC and writes off 6,476.190476 USDC: reserves first, then suppliers", async () => {
      const w = await aliceBorrowed16000();
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      await w.fund(w.usdc, w.carol, 1_000n * ONE_USDC);
      await w.pool.connect(w.carol).depositReserves(usdc, 1_000n * ONE_USDC);
      await w.wethFeed.updateAnswer(usd("1000")); // HF = 10,000 x 0.825 / 16,000 = 0.515625

      const p = await w.pool.previewLiquidation(weth, usdc, w.alice.address, MAX_UINT256);
      expect(p.healthFactorWad).to.equal(515_625_000_000_000_000n);
      expect(p.collateralSeized).to.equal(10n * ONE_WETH);
      // ceil(10 / 1.05 WETH) = 9.523809523809523810; x $1,000, rounded up to 1e-6 USDC
      expect(p.debtRepaid).to.equal(9_523_809_524n);
      expect(p.protocolFee).to.equal(47_619_047_619_047_619n);
      expect(p.writesOffBadDebt).to.equal(true);

      const badDebt = 16_000n * ONE_USDC - 9_523_809_524n; // 6,476.190476 USDC
      const tx = w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256);
      await expect(tx).to.emit(w.pool, "BadDebtRecorded").withArgs(usdc, w.alice.address, badDebt, 16_000n * ONE_USDC * 10n ** 6n - 9_523_809_524n * 10n ** 6n);
      await expect(tx).to.emit(w.pool, "BadDebtCoveredByReserves").withArgs(usdc, 1_000n * ONE_USDC);
      await expect(tx).to.emit(w.pool, "BadDebtSocialized").withArgs(usdc, badDebt - 1_000n * ONE_USDC);

      expect(await w.weth.balanceOf(w.liquidator.address)).to.equal(9_952_380_952_380_952_381n);
      const [supplyShares, borrowShares, supplyAssets, debt] = await w.pool.getUserReserve(usdc, w.alice.address);
      expect([supplyShares, borrowShares, supplyAssets, debt]).to.deep.equal([0n, 0n, 0n, 0n]);
      const [, , wethLeft] = await w.pool.getUserReserve(weth, w.alice.address);
      expect(wethLeft).to.equal(0n);

      const bd = await w.pool.getReserveBadDebt(usdc);
      expect(bd.recorded).to.equal(badDebt);
      expect(bd.coveredByReserves).to.equal(1_000n * ONE_USDC);
      expect(bd.socializedToSuppliers).to.equal(5_476_190_476n);

      const s = await w.pool.getReserveState(usdc);
      expect(s.reservesAssets).to.equal(0n);
      expect(s.totalBorrowAssets).to.equal(0n);
      expect(s.totalSupplyAssets).to.equal(100_000n * ONE_USDC - 5_476_190_476n); // 94,523.809524
      // Bob was the only supplier: his 1e17 shares are worth floor(1e17 x (94,523,809,524 + 1) / (1e17 + 1e6)).
      const [, , bobAssets] = await w.pool.getUserReserve(usdc, w.bob.address);
      expect(bobAssets).to.equal(94_523_809_524n);
      // The WETH protocol fee stays in the WETH reserve's reserves.
      expect((await w.pool.getReserveState(weth)).reservesAssets).to.equal(47_619_047_619_047_619n);
    });

    it("socializes the whole loss when the reserves are empty, and the reserves cover all of it when large enough", async () => {
      for (const reserves of [0n, 10_000n * ONE_USDC]) {
        const w = await aliceBorrowed16000();
        const usdc = await w.usdc.getAddress();
        const weth = await w.weth.getAddress();
        if (reserves > 0n) {
          await w.fund(w.usdc, w.carol, reserves);
          await w.pool.connect(w.carol).depositReserves(usdc, reserves);
        }
        await w.wethFeed.updateAnswer(usd("1000"));
        await w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256);
        const bd = await w.pool.getReserveBadDebt(usdc);
        expect(bd.recorded).to.equal(6_476_190_476n);
        expect(bd.coveredByReserves).to.equal(reserves === 0n ? 0n : 6_476_190_476n);
        expect(bd.socializedToSuppliers).to.equal(reserves === 0n ? 6_476_190_476n : 0n);
        expect((await w.pool.getReserveState(usdc)).reservesAssets).to.equal(reserves === 0n ? 0n : reserves - 6_476_190_476n);
      }
    });

    it("writes off debt in every reserve once the last collateral is gone, not while other collateral remains", async () => {
      const w = await deployPoolWorld();
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      const wbtc = await w.wbtc.getAddress();
      await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
      await w.supply(w.wbtc, w.bob, 10n * E8);
      await w.supply(w.weth, w.alice, 10n * ONE_WETH);
      await w.supply(w.wbtc, w.alice, E8 / 10n); // 0.1 WBTC = $6,000
      await w.pool.connect(w.alice).borrow(usdc, 15_000n * ONE_USDC, w.alice.address);
      await w.pool.connect(w.alice).borrow(wbtc, E8 / 20n, w.alice.address); // 0.05 WBTC = $3,000
      await w.fund(w.usdc, w.liquidator, 1_000_000n * ONE_USDC);
      await w.fund(w.wbtc, w.liquidator, 10n * E8);
      await w.wethFeed.updateAnswer(usd("500"));
      await w.wbtcFeed.updateAnswer(usd("30000"));

      // First take the WETH: WBTC collateral remains, so nothing is written off.
      await w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256);
      expect((await w.pool.getReserveBadDebt(usdc)).recorded).to.equal(0n);
      // Then the WBTC collateral: now the remaining USDC and WBTC debts are both written off.
      const tx = w.pool.connect(w.liquidator).liquidationCall(wbtc, usdc, w.alice.address, MAX_UINT256);
      await expect(tx).to.emit(w.pool, "BadDebtRecorded").withArgs(wbtc, w.alice.address, E8 / 20n, (E8 / 20n) * 10n ** 6n);
      await expect(tx).to.emit(w.pool, "BadDebtRecorded");
      const data = await w.pool.getUserAccountData(w.alice.address);
      expect(data[0]).to.equal(0n);
      expect(data[1]).to.equal(0n);
      expect((await w.pool.getReserveBadDebt(wbtc)).recorded).to.equal(E8 / 20n);
      const usdcBad = (await w.pool.getReserveBadDebt(usdc)).recorded;
      expect(usdcBad).to.be.greaterThan(0n);
      const [, , , usdcDebt] = await w.pool.getUserReserve(usdc, w.alice.address);
      expect(usdcDebt).to.equal(0n);
    });
  });

  describe("liquidity crunch", () => {
    it("reverts InsufficientLiquidity while the collateral reserve is borrowed out, in preview and call alike, and goes through once liquidity returns", async () => {
      const w = await aliceBorrowed16000();
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      // Carol borrows every WETH in the pool (Alice's 10) against 100,000 USDC.
      await w.supply(w.usdc, w.carol, 100_000n * ONE_USDC);
      await w.pool.connect(w.carol).borrow(weth, 10n * ONE_WETH, w.carol.address);
      await w.wethFeed.updateAnswer(usd("1900"));
      // The liquidator would receive 4.4 WETH (4.421052631578947368 seized less the 0.021052631578947368 fee).
      await expect(w.pool.previewLiquidation(weth, usdc, w.alice.address, MAX_UINT256))
        .to.be.revertedWithCustomError(w.pool, "InsufficientLiquidity")
        .withArgs(weth, 4_400_000_000_000_000_000n, 0n);
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256))
        .to.be.revertedWithCustomError(w.pool, "InsufficientLiquidity")
        .withArgs(weth, 4_400_000_000_000_000_000n, 0n);
      // 4.4 WETH minus one wei of new supply is still one wei short; exactly 4.4 WETH is enough.
      await w.supply(w.weth, w.bob, 4_400_000_000_000_000_000n - 1n);
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256))
        .to.be.revertedWithCustomError(w.pool, "InsufficientLiquidity")
        .withArgs(weth, 4_400_000_000_000_000_000n, 4_400_000_000_000_000_000n - 1n);
      await w.supply(w.weth, w.bob, 1n);
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256)).to.emit(
        w.pool,
        "LiquidationCall",
      );
      expect(await w.weth.balanceOf(w.liquidator.address)).to.equal(4_400_000_000_000_000_000n);
    });
  });

  describe("stale prices", () => {
    it("liquidates on a stale price by default (Aave's oracle has no age check) and reverts when the pool requires fresh prices", async () => {
      const w = await aliceBorrowed16000();
      const usdc = await w.usdc.getAddress();
      const weth = await w.weth.getAddress();
      await w.wethFeed.updateAnswer(usd("1900"));
      const latest = await ethers.provider.getBlock("latest");
      if (!latest) throw new Error("no block");
      await w.wethFeed.setLatestUpdatedAt(BigInt(latest.timestamp) - 3601n); // older than WETH's 3,600 s
      await w.pool.setLiquidationConfig({ ...AAVE_LIQUIDATION_CONFIG, liquidationsAcceptStalePrice: false });
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, ONE_USDC * 2_000n))
        .to.be.revertedWithCustomError(w.pool, "StalePrice");
      await w.pool.setLiquidationConfig(AAVE_LIQUIDATION_CONFIG);
      await expect(w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, ONE_USDC * 2_000n)).to.emit(
        w.pool,
        "LiquidationCall",
      );
    });

    it("reverts on a price of zero or below whatever the staleness setting", async () => {
      const w = await aliceBorrowed16000();
      await w.wethFeed.updateAnswer(0n);
      await expect(
        w.pool.connect(w.liquidator).liquidationCall(await w.weth.getAddress(), await w.usdc.getAddress(), w.alice.address, ONE_USDC),
      )
        .to.be.revertedWithCustomError(w.pool, "InvalidPrice")
        .withArgs(await w.weth.getAddress(), 0n);
    });
  });

  it("liquidates collateral and debt in the same asset (USDC supplied and borrowed)", async () => {
    const w = await deployPoolWorld();
    const usdc = await w.usdc.getAddress();
    await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
    await w.supply(w.usdc, w.alice, 10_000n * ONE_USDC);
    await w.pool.connect(w.alice).borrow(usdc, 7_500n * ONE_USDC, w.alice.address);
    await w.fund(w.usdc, w.liquidator, 100_000n * ONE_USDC);
    // USDC depegs upward for the debt only as far as both sides move together: HF = 0.78 / 0.75 at any price,
    // so make the position unhealthy by lowering the threshold instead.
    const cfg = await readReserveConfig(w.pool, usdc);
    await w.pool.setReserveConfig(usdc, { ...cfg, ltvWad: wad("0.7"), liquidationThresholdWad: wad("0.7") });
    const before = await w.usdc.balanceOf(w.liquidator.address);
    await w.pool.connect(w.liquidator).liquidationCall(usdc, usdc, w.alice.address, MAX_UINT256);
    // HF = 7,000 / 7,500 = 0.9333 <= 0.95: all 7,500 USDC repaid, 7,837.5 USDC seized, fee 10% of 337.5
    expect((await w.usdc.balanceOf(w.liquidator.address)) - before).to.equal(7_837_500_000n - 33_750_000n - 7_500n * ONE_USDC);
    const [, , collateral, debt] = await w.pool.getUserReserve(usdc, w.alice.address);
    expect(collateral).to.equal(10_000n * ONE_USDC - 7_837_500_000n);
    expect(debt).to.equal(0n);
  });
});
