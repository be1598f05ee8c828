/**
 * createMarket: sequential ids, what it stores, owner-only access, each validation rule with the value
 * that passes next to the one that reverts, and the liquidation incentive factor
 *   LIF = min(1.15, 1e36 / (1e18 - floor(0.3e18 x (1e18 - LLTV) / 1e18))), rounded down:
 *   LLTV 0.98   -> 1 / 0.994   = 1.006036217303822937
 *   LLTV 0.945  -> 1 / 0.9835  = 1.016776817488561260
 *   LLTV 0.86   -> 1 / 0.958   = 1.043841336116910229
 *   LLTV 0.77   -> 1 / 0.931   = 1.074113856068743286
 *   LLTV 0.5653 -> 1 / 0.86959 = 1.149967225934060879 (just under the cap)
 *   LLTV 0.5652 -> 1 / 0.86956 = 1.1500069... -> capped at 1.15
 *   LLTV 0.5    -> 1 / 0.85    = 1.176...    -> capped at 1.15
 *   LLTV 1e-18  -> capped at 1.15;  LLTV 1 - 1e-18 -> floor(0.3e18 x 1 / 1e18) = 0 -> exactly 1
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { WAD, deployFeed, deployToken, usd, wad } from "../helpers/pool";
import { latestTimestamp } from "../helpers/poolTest";
import {
  USDC_WETH,
  WBTC_USDC,
  WETH_USDC,
  deployIsolatedWorld,
  isolatedParams,
  marketParamsOf,
  marketStateOf,
  paramsTuple,
} from "../helpers/isolated";

async function world() {
  const w = await deployIsolatedWorld();
  const base = isolatedParams(
    {
      loanToken: await w.weth.getAddress(),
      collateralToken: await w.wbtc.getAddress(),
      loanFeed: await w.wethFeed.getAddress(),
      collateralFeed: await w.wbtcFeed.getAddress(),
    },
    wad("0.86"),
  );
  return { ...w, base };
}

describe("IsolatedLendingMarket.createMarket", () => {
  it("numbers markets 0, 1, 2, ... and stores their params with zero totals and lastUpdate = creation time", async () => {
    const w = await loadFixture(world);
    expect(await w.market.marketCount()).to.equal(3n);
    for (const id of [WETH_USDC, WBTC_USDC, USDC_WETH]) {
      expect(marketParamsOf(await w.market.marketParams(id))).to.deep.equal(w.params[Number(id)]);
    }
    expect(await w.market.createMarket.staticCall(w.base)).to.equal(3n);
    await expect(w.market.createMarket(w.base))
      .to.emit(w.market, "MarketCreated")
      .withArgs(3n, paramsTuple(w.base));
    expect(await w.market.marketCount()).to.equal(4n);
    expect(marketStateOf(await w.market.marketState(3n))).to.deep.equal({
      totalSupplyAssets: 0n,
      totalSupplyShares: 0n,
      totalBorrowAssets: 0n,
      totalBorrowShares: 0n,
      lastUpdate: await latestTimestamp(),
      badDebtAssets: 0n,
    });
    // The same params again make another, independent market.
    await w.market.createMarket(w.base);
    expect(await w.market.marketCount()).to.equal(5n);
  });

  it("is owner only", async () => {
    const w = await loadFixture(world);
    await expect(w.market.connect(w.alice).createMarket(w.base))
      .to.be.revertedWithCustomError(w.market, "OwnableUnauthorizedAccount")
      .withArgs(w.alice.address);
  });

  describe("validation", () => {
    it("InvalidTokens: a zero loan or collateral token, or the same token twice", async () => {
      const w = await loadFixture(world);
      for (const bad of [
        { loanToken: ethers.ZeroAddress },
        { collateralToken: ethers.ZeroAddress },
        { collateralToken: w.base.loanToken },
      ]) {
        await expect(w.market.createMarket({ ...w.base, ...bad })).to.be.revertedWithCustomError(w.market, "InvalidTokens");
      }
    });

    it("UnsupportedDecimals: 37 decimals on either side reverts, 36 is accepted", async () => {
      const w = await loadFixture(world);
      const t37 = await deployToken("Thirty-seven", "T37", 37, w.owner);
      const t36 = await deployToken("Thirty-six", "T36", 36, w.owner);
      await expect(w.market.createMarket({ ...w.base, loanToken: await t37.getAddress() }))
        .to.be.revertedWithCustomError(w.market, "UnsupportedDecimals")
        .withArgs(37);
      await expect(w.market.createMarket({ ...w.base, collateralToken: await t37.getAddress() }))
        .to.be.revertedWithCustomError(w.market, "UnsupportedDecimals")
        .withArgs(37);
      // 36-decimal loan against 8-decimal WBTC: price = 60,000e8 x 10^(36 + 36 - 8) / 2,000e8 = 30 x 1e64.
      await w.market.createMarket({ ...w.base, loanToken: await t36.getAddress() });
      expect(await w.market.price(3n)).to.equal(30n * 10n ** 64n);
      // 36-decimal collateral against 18-decimal WETH: 2,000e8 x 10^(36 + 18 - 36) / 2,000e8 = 1e18.
      await w.market.createMarket({ ...w.base, collateralToken: await t36.getAddress(), collateralFeed: w.base.loanFeed });
      expect(await w.market.price(4n)).to.equal(10n ** 18n);
    });

    it("InvalidLltv: 0 and 100% revert, 1 wei and 100% - 1 wei are accepted", async () => {
      const w = await loadFixture(world);
      for (const lltvWad of [0n, WAD]) {
        await expect(w.market.createMarket({ ...w.base, lltvWad }))
          .to.be.revertedWithCustomError(w.market, "InvalidLltv")
          .withArgs(lltvWad);
      }
      await w.market.createMarket({ ...w.base, lltvWad: 1n });
      await w.market.createMarket({ ...w.base, lltvWad: WAD - 1n });
      expect(await w.market.marketCount()).to.equal(5n);
    });

    it("InvalidOptimalUtilization: 0 and 100% revert, 1 wei and 100% - 1 wei are accepted", async () => {
      const w = await loadFixture(world);
      for (const optimalUtilizationWad of [0n, WAD]) {
        await expect(w.market.createMarket({ ...w.base, optimalUtilizationWad }))
          .to.be.revertedWithCustomError(w.market, "InvalidOptimalUtilization")
          .withArgs(optimalUtilizationWad);
      }
      await w.market.createMarket({ ...w.base, optimalUtilizationWad: 1n });
      await w.market.createMarket({ ...w.base, optimalUtilizationWad: WAD - 1n });
      expect(await w.market.marketCount()).to.equal(5n);
    });

    it("InvalidPriceFeed: a zero feed or one with 18 decimals, on either side", async () => {
      const w = await loadFixture(world);
      const feed18 = await ethers.deployContract("MockPriceFeed", [18, "X / USD", 10n ** 18n, w.owner.address]);
      const feed18Address = await feed18.getAddress();
      for (const field of ["loanFeed", "collateralFeed"] as const) {
        for (const feed of [ethers.ZeroAddress, feed18Address]) {
          await expect(w.market.createMarket({ ...w.base, [field]: feed }))
            .to.be.revertedWithCustomError(w.market, "InvalidPriceFeed")
            .withArgs(feed);
        }
      }
      const feed8 = await deployFeed("X / USD", usd("1"), w.owner);
      await w.market.createMarket({ ...w.base, collateralFeed: await feed8.getAddress() });
      expect(await w.market.marketCount()).to.equal(4n);
    });

    it("InvalidMaxPriceAge: 0 reverts, 1 second is accepted", async () => {
      const w = await loadFixture(world);
      await expect(w.market.createMarket({ ...w.base, maxPriceAgeSeconds: 0n })).to.be.revertedWithCustomError(
        w.market,
        "InvalidMaxPriceAge",
      );
      await w.market.createMarket({ ...w.base, maxPriceAgeSeconds: 1n });
      expect((await w.market.marketParams(3n)).maxPriceAgeSeconds).to.equal(1n);
    });
  });

  describe("liquidation incentive factor", () => {
    const ROWS: { lltvWad: bigint; lifWad: bigint }[] = [
      { lltvWad: wad("0.98"), lifWad: 1_006_036_217_303_822_937n },
      { lltvWad: wad("0.945"), lifWad: 1_016_776_817_488_561_260n },
      { lltvWad: wad("0.86"), lifWad: 1_043_841_336_116_910_229n },
      { lltvWad: wad("0.77"), lifWad: 1_074_113_856_068_743_286n },
      { lltvWad: wad("0.5653"), lifWad: 1_149_967_225_934_060_879n },
      { lltvWad: wad("0.5652"), lifWad: wad("1.15") },
      { lltvWad: wad("0.5"), lifWad: wad("1.15") },
      { lltvWad: 1n, lifWad: wad("1.15") },
      { lltvWad: WAD - 1n, lifWad: WAD },
    ];
    for (const row of ROWS) {
      it(`is ${ethers.formatUnits(row.lifWad, 18)} at LLTV ${ethers.formatUnits(row.lltvWad, 18)}`, async () => {
        const w = await loadFixture(world);
        await w.market.createMarket({ ...w.base, lltvWad: row.lltvWad });
        expect(await w.market.liquidationIncentiveFactor(3n)).to.equal(row.lifWad);
      });
    }

    it("belongs to each market: 86% and 77% in the default world", async () => {
      const w = await loadFixture(world);
      expect(await w.market.liquidationIncentiveFactor(WETH_USDC)).to.equal(1_043_841_336_116_910_229n);
      expect(await w.market.liquidationIncentiveFactor(WBTC_USDC)).to.equal(1_074_113_856_068_743_286n);
    });
  });

  it("every function taking an id reverts MarketNotCreated(id) for an id not created yet", async () => {
    const w = await loadFixture(world);
    const m = w.market;
    const a = w.alice.address;
    const calls: [string, () => Promise<unknown>][] = [
      ["supply", () => m.supply(3n, 1n, a)],
      ["withdraw", () => m.withdraw(3n, 1n, a)],
      ["supplyCollateral", () => m.supplyCollateral(3n, 1n, a)],
      ["withdrawCollateral", () => m.withdrawCollateral(3n, 1n, a)],
      ["borrow", () => m.borrow(3n, 1n, a)],
      ["repay", () => m.repay(3n, 1n, a)],
      ["liquidate", () => m.liquidate(3n, a, 1n, 0n)],
      ["accrueInterest", () => m.accrueInterest(3n)],
      ["marketParams", () => m.marketParams(3n)],
      ["marketState", () => m.marketState(3n)],
      ["expectedMarketState", () => m.expectedMarketState(3n)],
      ["position", () => m.position(3n, a)],
      ["price", () => m.price(3n)],
      ["liquidationIncentiveFactor", () => m.liquidationIncentiveFactor(3n)],
      ["borrowRate", () => m.borrowRate(3n)],
      ["healthFactor", () => m.healthFactor(3n, a)],
    ];
    for (const [name, call] of calls) {
      await expect(call(), name).to.be.revertedWithCustomError(m, "MarketNotCreated").withArgs(3n);
    }
    await m.createMarket(w.base);
    expect(await m.healthFactor(3n, a)).to.equal(2n ** 256n - 1n);
  });
});
