/**
 * Interest on the kinked curve of market 0 (base 0%, slope1 4%, slope2 75%, kink 80%):
 *   U    = min(1, floor(totalBorrow x 1e18 / totalSupply)), 0 without supply
 *   rate = U <= 0.8 ? floor(0.04 x U / 0.8) : 0.04 + floor(0.75 x (U - 0.8) / 0.2)       (annual, WAD)
 *   interest = floor(totalBorrow x rate x elapsed / (1e18 x 31,536,000)), simple within one accrual and
 *   compounding across accruals; all of it is added to both totalBorrow and totalSupply (no fee).
 * Every state-changing entry point accrues first, once per timestamp; InterestAccrued is emitted only
 * for nonzero interest. `mineAt(t)` makes views read the market as of `t` without a market transaction.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SECONDS_PER_YEAR, WAD, usd, wad } from "../helpers/pool";
import { at, latestTimestamp, mineAt } from "../helpers/poolTest";
import {
  KINKED_CURVE,
  ONE_USDC,
  ONE_WETH,
  WBTC_USDC,
  WETH_USDC,
  borrowedAtKink,
  deployIsolatedWorld,
  marketStateOf,
  refreshFeeds,
} from "../helpers/isolated";

/** Bob supplies 100,000 USDC to market 0, Alice posts 200 WETH (room to borrow all of it). */
async function rateWorld() {
  const w = await deployIsolatedWorld({ wethUsdc: KINKED_CURVE, wbtcUsdc: { baseRateWad: wad("0.01") } });
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supplyCollateral(WETH_USDC, w.alice, 200n * ONE_WETH);
  return w;
}

describe("IsolatedLendingMarket interest", () => {
  describe("borrowRate on the kinked curve (100,000 USDC supplied)", () => {
    const ROWS: { utilization: string; borrow: bigint; extraSupply: bigint; rateWad: bigint }[] = [
      { utilization: "0%", borrow: 0n, extraSupply: 0n, rateWad: 0n },
      { utilization: "40%: half of slope1", borrow: 40_000n * ONE_USDC, extraSupply: 0n, rateWad: wad("0.02") },
      { utilization: "80%: the kink, all of slope1", borrow: 80_000n * ONE_USDC, extraSupply: 0n, rateWad: wad("0.04") },
      // U = 0.80000000001: 0.04 + floor(0.75e18 x 1e7 / 0.2e18) = 0.04 + 37,500,000e-18
      { utilization: "80% + 1e-11: slope2 starts", borrow: 80_000n * ONE_USDC + 1n, extraSupply: 0n, rateWad: wad("0.04") + 37_500_000n },
      { utilization: "85%: a quarter of slope2", borrow: 85_000n * ONE_USDC, extraSupply: 0n, rateWad: wad("0.2275") },
      { utilization: "90%: half of slope2", borrow: 90_000n * ONE_USDC, extraSupply: 0n, rateWad: wad("0.415") },
      { utilization: "100%: all of both slopes", borrow: 100_000n * ONE_USDC, extraSupply: 0n, rateWad: wad("0.79") },
      // U = floor(1e18 / 3) = 0.333333333333333333; floor(0.04e18 x U / 0.8e18) = floor(0.01666666666666666665e18)
      {
        utilization: "1/3 (50,000 / 150,000), rounded down twice",
        borrow: 50_000n * ONE_USDC,
        extraSupply: 50_000n * ONE_USDC,
        rateWad: 16_666_666_666_666_666n,
      },
    ];
    for (const row of ROWS) {
      it(`is ${ethers.formatUnits(row.rateWad, 16)}% a year at U = ${row.utilization}`, async () => {
        const w = await loadFixture(rateWorld);
        if (row.extraSupply > 0n) await w.supply(WETH_USDC, w.carol, row.extraSupply);
        if (row.borrow > 0n) await w.market.connect(w.alice).borrow(WETH_USDC, row.borrow, w.alice.address);
        expect(await w.market.borrowRate(WETH_USDC)).to.equal(row.rateWad);
      });
    }

    it("is the base rate (1%) in a market without supply (U = 0)", async () => {
      const w = await loadFixture(rateWorld);
      expect((await w.market.marketState(WBTC_USDC)).totalSupplyAssets).to.equal(0n);
      expect(await w.market.borrowRate(WBTC_USDC)).to.equal(wad("0.01"));
    });
  });

  describe("accrual", () => {
    it("a year at the kink adds 80,000 x 4% = 3,200 USDC to both totals, all of it to the suppliers", async () => {
      const w = await loadFixture(borrowedAtKink);
      const t = w.t0 + SECONDS_PER_YEAR;
      await mineAt(t);
      const expected = {
        totalSupplyAssets: 103_200n * ONE_USDC,
        totalSupplyShares: 10n ** 17n,
        totalBorrowAssets: 83_200n * ONE_USDC,
        totalBorrowShares: 8n * 10n ** 16n,
        lastUpdate: t,
        badDebtAssets: 0n,
      };
      expect(marketStateOf(await w.market.expectedMarketState(WETH_USDC))).to.deep.equal(expected);
      expect((await w.market.marketState(WETH_USDC)).lastUpdate).to.equal(w.t0);
      // Bob's 1e17 shares: floor(1e17 x (103,200e6 + 1) / (1e17 + 1e6)) = 103,199,999,999.
      expect((await w.lens.getPositions(w.marketAddress, WETH_USDC, [w.bob.address]))[0]?.supplyAssets).to.equal(103_199_999_999n);

      await expect(at(t, () => w.market.accrueInterest(WETH_USDC)))
        .to.emit(w.market, "InterestAccrued")
        .withArgs(WETH_USDC, wad("0.04"), 3_200n * ONE_USDC);
      expect(marketStateOf(await w.market.marketState(WETH_USDC))).to.deep.equal(expected);
    });

    it("two half-year accruals compound: 1,600 USDC at 4%, then 2,113.889763 USDC at U = 81,600 / 101,600", async () => {
      const w = await loadFixture(borrowedAtKink);
      const half = SECONDS_PER_YEAR / 2n;
      await expect(at(w.t0 + half, () => w.market.accrueInterest(WETH_USDC)))
        .to.emit(w.market, "InterestAccrued")
        .withArgs(WETH_USDC, wad("0.04"), 1_600n * ONE_USDC);
      // U = floor(81,600e6 x 1e18 / 101,600e6) = 0.803149606299212598;
      // rate = 0.04 + floor(0.75 x 0.003149606299212598 / 0.2) = 0.051811023622047242;
      // interest = floor(81,600e6 x 0.051811023622047242e18 x 15,768,000 / (1e18 x 31,536,000)) = 2,113,889,763.
      await expect(at(w.t0 + 2n * half, () => w.market.accrueInterest(WETH_USDC)))
        .to.emit(w.market, "InterestAccrued")
        .withArgs(WETH_USDC, 51_811_023_622_047_242n, 2_113_889_763n);
      const s = marketStateOf(await w.market.marketState(WETH_USDC));
      expect([s.totalBorrowAssets, s.totalSupplyAssets]).to.deep.equal([83_713_889_763n, 103_713_889_763n]);
    });

    it("accrues once per timestamp and emits nothing for zero interest (no borrow), but still moves lastUpdate", async () => {
      const w = await loadFixture(borrowedAtKink);
      const t = w.t0 + 1_000n;
      // floor(80,000e6 x 0.04e18 x 1,000 / (1e18 x 31,536,000)) = 101,471
      await expect(at(t, () => w.market.accrueInterest(WETH_USDC)))
        .to.emit(w.market, "InterestAccrued")
        .withArgs(WETH_USDC, wad("0.04"), 101_471n);
      await expect(at(t, () => w.market.accrueInterest(WETH_USDC))).not.to.emit(w.market, "InterestAccrued");
      expect((await w.market.marketState(WETH_USDC)).totalBorrowAssets).to.equal(80_000_101_471n);

      await expect(at(t, () => w.market.accrueInterest(WBTC_USDC))).not.to.emit(w.market, "InterestAccrued");
      expect((await w.market.marketState(WBTC_USDC)).lastUpdate).to.equal(t);
    });

    it("every state-changing entry point accrues the year's 3,200 USDC before acting", async () => {
      const t = (await loadFixture(borrowedAtKink)).t0 + SECONDS_PER_YEAR;
      const entries: [string, (w: Awaited<ReturnType<typeof borrowedAtKink>>) => Promise<unknown>][] = [
        ["supply", (w) => w.market.connect(w.bob).supply(WETH_USDC, ONE_USDC, w.bob.address)],
        ["withdraw", (w) => w.market.connect(w.bob).withdraw(WETH_USDC, ONE_USDC, w.bob.address)],
        ["supplyCollateral", (w) => w.market.connect(w.alice).supplyCollateral(WETH_USDC, ONE_WETH, w.alice.address)],
        ["withdrawCollateral", (w) => w.market.connect(w.alice).withdrawCollateral(WETH_USDC, ONE_WETH, w.alice.address)],
        ["borrow", (w) => w.market.connect(w.alice).borrow(WETH_USDC, ONE_USDC, w.alice.address)],
        ["repay", (w) => w.market.connect(w.alice).repay(WETH_USDC, ONE_USDC, w.alice.address)],
        ["liquidate", (w) => w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n)],
      ];
      for (const [name, send] of entries) {
        const w = await loadFixture(borrowedAtKink);
        await w.fund(w.usdc, w.bob, ONE_USDC);
        await w.fund(w.weth, w.alice, ONE_WETH);
        await w.fund(w.usdc, w.alice, ONE_USDC);
        await w.fund(w.usdc, w.liquidator, 10_000n * ONE_USDC);
        await refreshFeeds(w, t);
        // 100 WETH x $960 x 0.86 = 82,560 < 83,200: liquidatable once the year's interest is in.
        if (name === "liquidate") await at(t, () => w.wethFeed.updateAnswer(usd("960")));
        const tx = at(t, () => send(w));
        await expect(tx, name).to.emit(w.market, "InterestAccrued").withArgs(WETH_USDC, wad("0.04"), 3_200n * ONE_USDC);
      }
    });
  });

  describe("interest alone turns a position liquidatable", () => {
    it("Alice at HF exactly 1 (17,200 of 20,000 USDC borrowed, 26.5% a year) is liquidatable one second later", async () => {
      const w = await deployIsolatedWorld({ wethUsdc: KINKED_CURVE });
      await w.supply(WETH_USDC, w.bob, 20_000n * ONE_USDC);
      await w.supplyCollateral(WETH_USDC, w.alice, 10n * ONE_WETH);
      await w.fund(w.usdc, w.liquidator, 10_000n * ONE_USDC);
      const t = (await latestTimestamp()) + 10n;
      await at(t, () => w.market.connect(w.alice).borrow(WETH_USDC, 17_200n * ONE_USDC, w.alice.address));
      // U = 86%: rate = 0.04 + 0.75 x 0.06 / 0.2 = 0.265.
      expect(await w.market.borrowRate(WETH_USDC)).to.equal(wad("0.265"));
      await expect(at(t, () => w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n)))
        .to.be.revertedWithCustomError(w.market, "HealthyPosition")
        .withArgs(WAD);

      // One second: floor(17,200e6 x 0.265 / 31,536,000) = 144 units; borrowed = toAssetsUp(17,200e12) on
      // 17,200,000,144 = 17,200,000,144; HF = floor(17,200e6 x 1e18 / 17,200,000,144).
      await mineAt(t + 1n);
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(999_999_991_627_907_046n);
      await expect(at(t + 1n, () => w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n))).to.emit(
        w.market,
        "Liquidate",
      );
    });
  });
});
