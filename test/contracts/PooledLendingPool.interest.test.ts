/**
 * Interest on the kinked curve (USDC: base 0%, slope1 4%, slope2 75%, kink 80%, reserve factor 10%):
 *   U    = floor(borrows x 1e18 / (supply + reserves))
 *   rate = U <= 0.8 ? floor(0.04 x U / 0.8) : 0.04 + floor(0.75 x (U - 0.8) / 0.2)      (annual, WAD)
 *   interest = floor(borrows x rate x elapsed / (1e18 x 31,536,000)), simple within one accrual;
 *   floor(interest x 10%) goes to the reserves, the rest to the suppliers.
 * Views (getReserveState, getUserReserve, getUserAccountData, previewLiquidation) include the interest
 * pending since the last accrual; `mineAt(t)` makes them read at `t` without a pool transaction.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SECONDS_PER_YEAR, WAD, deployPoolWorld, usd, wad } from "../helpers/pool";
import { mulDivUp } from "../../simulator/math";
import {
  KINKED_CURVE,
  ONE_USDC,
  ONE_WETH,
  at,
  borrowedAtKink,
  configOf,
  latestTimestamp,
  mineAt,
  stateOf,
} from "../helpers/poolTest";

/** Bob supplies 100,000 USDC, Alice 200 WETH ($400,000: room to borrow all of it). */
async function rateWorld() {
  const w = await deployPoolWorld({ usdc: KINKED_CURVE });
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.alice, 200n * ONE_WETH);
  return { ...w, usdcAddress: await w.usdc.getAddress() };
}

describe("PooledLendingPool interest", () => {
  describe("getBorrowRate on the kinked curve (100,000 USDC supplied)", () => {
    const ROWS: { utilization: string; borrow: bigint; reserves: bigint; rateWad: bigint }[] = [
      { utilization: "0%", borrow: 0n, reserves: 0n, rateWad: 0n },
      { utilization: "40%: half of slope1", borrow: 40_000n * ONE_USDC, reserves: 0n, rateWad: wad("0.02") },
      { utilization: "80%: the kink, all of slope1", borrow: 80_000n * ONE_USDC, reserves: 0n, rateWad: wad("0.04") },
      // U = 0.80000000001: 0.04 + floor(0.75e18 x 1e7 / 0.2e18) = 0.04 + 37,500e-18
      {
        utilization: "80% + 1e-11: slope2 starts",
        borrow: 80_000n * ONE_USDC + 1n,
        reserves: 0n,
        rateWad: wad("0.04") + 37_500_000n,
      },
      { utilization: "85%: a quarter of slope2", borrow: 85_000n * ONE_USDC, reserves: 0n, rateWad: wad("0.2275") },
      { utilization: "90%: half of slope2", borrow: 90_000n * ONE_USDC, reserves: 0n, rateWad: wad("0.415") },
      { utilization: "100%: all of both slopes", borrow: 100_000n * ONE_USDC, reserves: 0n, rateWad: wad("0.79") },
      // The reserves count as funds: 80,000 / (100,000 + 25,000) = 64% -> 0.04 x 0.64 / 0.8
      {
        utilization: "64% with 25,000 of reserves",
        borrow: 80_000n * ONE_USDC,
        reserves: 25_000n * ONE_USDC,
        rateWad: wad("0.032"),
      },
      // U = floor(1e18 / 3) = 0.333333333333333333; floor(0.04e18 x U / 0.8e18) = floor(0.01666666666666666665e18)
      {
        utilization: "1/3 (50,000 / 150,000), rounded down twice",
        borrow: 50_000n * ONE_USDC,
        reserves: 50_000n * ONE_USDC,
        rateWad: 16_666_666_666_666_666n,
      },
    ];
    for (const row of ROWS) {
      it(`is ${ethers.formatUnits(row.rateWad, 16)}% a year at U = ${row.utilization}`, async () => {
        const w = await loadFixture(rateWorld);
        if (row.reserves > 0n) {
          await w.fund(w.usdc, w.carol, row.reserves);
          await w.pool.connect(w.carol).depositReserves(w.usdcAddress, row.reserves);
        }
        if (row.borrow > 0n) await w.pool.connect(w.alice).borrow(w.usdcAddress, row.borrow, w.alice.address);
        // Read in the block of the last transaction: no time has passed, so no interest moves U.
        expect(await w.pool.getBorrowRate(w.usdcAddress)).to.equal(row.rateWad);
      });
    }
  });

  describe("accrual", () => {
    it("after exactly one year at 80% utilization, 80,000 USDC of debt owes 3,200 more: 320 to the reserves, 2,880 to suppliers", async () => {
      const w = await loadFixture(borrowedAtKink);
      // interest = floor(80,000e6 x 0.04e18 x 31,536,000 / (1e18 x 31,536,000)) = 3,200e6; cut = floor(3,200e6 x 0.1) = 320e6
      await mineAt(w.t0 + SECONDS_PER_YEAR);
      expect(stateOf(await w.pool.getReserveState(w.usdcAddress))).to.deep.equal({
        totalSupplyAssets: 102_880n * ONE_USDC,
        totalSupplyShares: 100_000n * ONE_USDC * 10n ** 6n,
        totalBorrowAssets: 83_200n * ONE_USDC,
        totalBorrowShares: 80_000n * ONE_USDC * 10n ** 6n,
        reservesAssets: 320n * ONE_USDC,
        lastUpdate: w.t0 + SECONDS_PER_YEAR,
      });

      // A transaction in the same second stores exactly what the view showed and emits InterestAccrued.
      await w.fund(w.usdc, w.carol, 1n);
      await expect(at(w.t0 + SECONDS_PER_YEAR, () => w.pool.connect(w.carol).depositReserves(w.usdcAddress, 1n)))
        .to.emit(w.pool, "InterestAccrued")
        .withArgs(w.usdcAddress, wad("0.04"), 3_200n * ONE_USDC, 320n * ONE_USDC);
      const s = await w.pool.getReserveState(w.usdcAddress);
      expect([s.totalBorrowAssets, s.totalSupplyAssets, s.reservesAssets]).to.deep.equal([
        83_200n * ONE_USDC,
        102_880n * ONE_USDC,
        320n * ONE_USDC + 1n,
      ]);
    });

    it("shows pending interest in getUserReserve and getUserAccountData without any transaction: 1 s, half a year, a year", async () => {
      const w = await loadFixture(borrowedAtKink);
      const points: { elapsed: bigint; interest: bigint; bobBalance: bigint }[] = [
        // floor(80,000e6 x 0.04 / 31,536,000) = floor(101.47) = 101 units; Bob's share: 101 - floor(10.1) = 91
        // Bob: floor(1e17 x (100,000e6 + 91 + 1) / (1e17 + 1e6)) = 100,000.000090
        { elapsed: 1n, interest: 101n, bobBalance: 100_000n * ONE_USDC + 90n },
        // Simple interest within one accrual: half a year is exactly half of 3,200.
        { elapsed: SECONDS_PER_YEAR / 2n, interest: 1_600n * ONE_USDC, bobBalance: 101_440n * ONE_USDC - 1n },
        { elapsed: SECONDS_PER_YEAR, interest: 3_200n * ONE_USDC, bobBalance: 102_880n * ONE_USDC - 1n },
      ];
      for (const p of points) {
        await mineAt(w.t0 + p.elapsed);
        const [, aliceShares, , aliceDebt] = await w.pool.getUserReserve(w.usdcAddress, w.alice.address);
        expect(aliceShares).to.equal(8n * 10n ** 16n);
        expect(aliceDebt, `debt after ${p.elapsed} s`).to.equal(80_000n * ONE_USDC + p.interest);
        const [, , bobBalance] = await w.pool.getUserReserve(w.usdcAddress, w.bob.address);
        expect(bobBalance, `Bob after ${p.elapsed} s`).to.equal(p.bobBalance);
        const data = await w.pool.getUserAccountData(w.alice.address);
        expect(data.totalDebtUsd).to.equal((80_000n * ONE_USDC + p.interest) * 100n); // 1e-6 USDC x $1 = 100 USD units
      }
      // The views stored nothing: the first accruing transaction still accrues the whole year at once.
      await w.fund(w.usdc, w.carol, 1n);
      await expect(at(w.t0 + SECONDS_PER_YEAR, () => w.pool.connect(w.carol).depositReserves(w.usdcAddress, 1n)))
        .to.emit(w.pool, "InterestAccrued")
        .withArgs(w.usdcAddress, wad("0.04"), 3_200n * ONE_USDC, 320n * ONE_USDC);
    });

    it("compounds across accruals: accruing at half a year moves U above the kink, and the year ends at 83,713.889763, not 83,200", async () => {
      const w = await loadFixture(borrowedAtKink);
      const config = configOf(await w.pool.getReserveConfig(w.usdcAddress));
      await expect(at(w.t0 + SECONDS_PER_YEAR / 2n, () => w.pool.setReserveConfig(w.usdcAddress, config)))
        .to.emit(w.pool, "InterestAccrued")
        .withArgs(w.usdcAddress, wad("0.04"), 1_600n * ONE_USDC, 160n * ONE_USDC);
      // U = floor(81,600 / (101,440 + 160) x 1e18) = 0.803149606299212598
      // rate = 0.04 + floor(0.75 x 0.003149606299212598 / 0.2) = 0.051811023622047242
      expect(await w.pool.getBorrowRate(w.usdcAddress)).to.equal(51_811_023_622_047_242n);
      // Second half: floor(81,600e6 x 0.051811023622047242 x 15,768,000 / (1e18 x 31,536,000)) = 2,113.889763, cut 211.388976
      await mineAt(w.t0 + SECONDS_PER_YEAR);
      const s = await w.pool.getReserveState(w.usdcAddress);
      expect(s.totalBorrowAssets).to.equal(83_713_889_763n);
      expect(s.reservesAssets).to.equal(160n * ONE_USDC + 211_388_976n);
      expect(s.totalSupplyAssets).to.equal(101_440n * ONE_USDC + 2_113_889_763n - 211_388_976n);
    });

    it("accrues nothing without borrows: no InterestAccrued, only lastUpdate moves", async () => {
      const w = await loadFixture(rateWorld);
      const t = (await latestTimestamp()) + SECONDS_PER_YEAR;
      await w.fund(w.usdc, w.carol, ONE_USDC);
      await expect(at(t, () => w.pool.connect(w.carol).supply(w.usdcAddress, ONE_USDC, w.carol.address))).not.to.emit(
        w.pool,
        "InterestAccrued"
      );
      const s = await w.pool.getReserveState(w.usdcAddress);
      expect([s.totalSupplyAssets, s.reservesAssets, s.lastUpdate]).to.deep.equal([100_001n * ONE_USDC, 0n, t]);
    });
  });

  describe("interest alone makes a position liquidatable", () => {
    /** Bob supplies 20,000 USDC; Alice supplies 10 WETH ($20,000) and borrows 16,000 at t0: U = 80%, 4% a year, HF 1.03125. */
    async function aliceAtLtvLimit() {
      const w = await deployPoolWorld({ usdc: KINKED_CURVE });
      const usdcAddress = await w.usdc.getAddress();
      await w.supply(w.usdc, w.bob, 20_000n * ONE_USDC);
      await w.supply(w.weth, w.alice, 10n * ONE_WETH);
      await w.fund(w.usdc, w.liquidator, 100_000n * ONE_USDC);
      const t0 = (await latestTimestamp()) + 10n;
      await at(t0, () => w.pool.connect(w.alice).borrow(usdcAddress, 16_000n * ONE_USDC, w.alice.address));
      return { ...w, usdcAddress, wethAddress: await w.weth.getAddress(), t0 };
    }

    it("HF is exactly 1 after 24,637,500 s (not liquidatable) and below 1 one second later, at an unchanged $2,000", async () => {
      const w = await loadFixture(aliceAtLtvLimit);
      expect((await w.pool.getUserAccountData(w.alice.address)).healthFactor).to.equal(1_031_250_000_000_000_000n);
      // interest(t) = floor(16,000e6 x 0.04e18 x t / (1e18 x 31,536,000)) = floor(640e6 x t / 31,536,000).
      // HF < 1 <=> debtUsd > 10 x 2,000e8 x 0.825 = 16,500e8 <=> interest >= 500,000,001 (units of 1e-6 USDC)
      // <=> t >= ceil(500,000,001 x 31,536,000 / 640e6).
      const tCross = mulDivUp(500_000_001n, SECONDS_PER_YEAR, 640_000_000n);
      expect(tCross).to.equal(24_637_501n);

      // One second earlier: interest exactly 500e6, debt 16,500 USDC, HF = 16,500e8 x 1e18 / 16,500e8 = 1.
      await mineAt(w.t0 + tCross - 1n);
      expect((await w.pool.getUserAccountData(w.alice.address)).healthFactor).to.equal(WAD);
      await expect(w.pool.previewLiquidation(w.wethAddress, w.usdcAddress, w.alice.address, 2n ** 256n - 1n))
        .to.be.revertedWithCustomError(w.pool, "HealthFactorNotBelowOne")
        .withArgs(WAD);

      // interest = floor(640e6 x 24,637,501 / 31,536,000) = 500,000,020: debtUsd 1,650,000,002,000.
      // HF = floor(1,650,000,000,000 x 1e18 / 1,650,000,002,000) = 0.999999998787878789
      await mineAt(w.t0 + tCross);
      expect(await w.pool.getAssetPrice(w.wethAddress)).to.equal(usd("2000"));
      const hf = 999_999_998_787_878_789n;
      expect((await w.pool.getUserAccountData(w.alice.address)).healthFactor).to.equal(hf);
      // HF > 0.95 and both sides >= $2,000: close factor 50% of debtUsd = 825,000,001,000 -> 8,250.000010 USDC.
      // seized = floor(8,250,000,010 x 1e8 x 1e18 / (2,000e8 x 1e6)) x 1.05 = 4.125000005 x 1.05 = 4.33125000525 WETH
      // fee = (seized - ceil(seized / 1.05)) x 0.1 = 0.20625000025 x 0.1
      const preview = await w.pool.previewLiquidation(w.wethAddress, w.usdcAddress, w.alice.address, 2n ** 256n - 1n);
      expect([...preview]).to.deep.equal([
        8_250_000_010n,
        4_331_250_005_250_000_000n,
        20_625_000_025_000_000n,
        hf,
        false,
      ]);

      await expect(
        at(w.t0 + tCross, () =>
          w.pool.connect(w.liquidator).liquidationCall(w.wethAddress, w.usdcAddress, w.alice.address, 2n ** 256n - 1n)
        )
      )
        .to.emit(w.pool, "LiquidationCall")
        .withArgs(
          w.wethAddress,
          w.usdcAddress,
          w.alice.address,
          w.liquidator.address,
          8_250_000_010n,
          4_331_250_005_250_000_000n,
          20_625_000_025_000_000n,
          hf
        );
    });
  });
});
