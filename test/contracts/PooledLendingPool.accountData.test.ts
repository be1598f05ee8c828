/**
 * getUserAccountData against hand-computed values (USD with 8 decimals, ratios WAD):
 *   collateralUsd_i = floor(supply_i x price_i / unit_i)           (rounded down)
 *   debtUsd_j       = ceil(debt_j x price_j / unit_j)              (rounded up)
 *   ltvWeighted     = sum floor(collateralUsd_i x LTV_i / 1e18),  thresholdWeighted likewise with LT_i
 *   availableBorrowsUsd = max(0, ltvWeighted - totalDebtUsd)
 *   currentLiquidationThreshold = floor(thresholdWeighted x 1e18 / totalCollateralUsd), ltv likewise
 *   healthFactor = floor(thresholdWeighted x 1e18 / totalDebtUsd), type(uint256).max without debt
 *
 * Alice: 3 WETH at $2,000 (LTV 80%, LT 82.5%) and 0.07 WBTC at $61,234.56789012 (LTV 70%, LT 75%);
 * debt: 5,000 USDC at $1 and 0.333333333333333333 WETH. Zero interest.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, deployPoolWorld, usd, wad } from "../helpers/pool";
import { ONE_USDC, ONE_WBTC, ONE_WETH, configOf } from "../helpers/poolTest";

const WBTC_PRICE = 6_123_456_789_012n; // $61,234.56789012
const WETH_DEBT = 333_333_333_333_333_333n; // 0.333333333333333333 WETH

/** Alice's two collaterals, no debt yet. Bob provides the USDC and WETH she will borrow. */
async function aliceCollateral() {
  const w = await deployPoolWorld();
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.bob, 10n * ONE_WETH);
  await w.wbtcFeed.updateAnswer(WBTC_PRICE);
  await w.supply(w.weth, w.alice, 3n * ONE_WETH);
  await w.supply(w.wbtc, w.alice, (7n * ONE_WBTC) / 100n);
  return w;
}

async function aliceCollateralAndDebt() {
  const w = await aliceCollateral();
  await w.pool.connect(w.alice).borrow(await w.usdc.getAddress(), 5_000n * ONE_USDC, w.alice.address);
  await w.pool.connect(w.alice).borrow(await w.weth.getAddress(), WETH_DEBT, w.alice.address);
  return w;
}

// WETH: floor(3e18 x 2,000e8 / 1e18) = 600,000,000,000
// WBTC: floor(7,000,000 x 6,123,456,789,012 / 1e8) = floor(428,641,975,230.84) = 428,641,975,230
const TOTAL_COLLATERAL_USD = 600_000_000_000n + 428_641_975_230n; // 1,028,641,975,230
// 600,000,000,000 x 0.8 + floor(428,641,975,230 x 0.7 = 300,049,382,661.0...) = 480,000,000,000 + 300,049,382,661
const LTV_WEIGHTED_USD = 780_049_382_661n;
// 600,000,000,000 x 0.825 + floor(428,641,975,230 x 0.75 = 321,481,481,422.5) = 495,000,000,000 + 321,481,481,422
// floor(816,481,481,422 x 1e18 / 1,028,641,975,230) = 0.793746999522781665...
const LIQUIDATION_THRESHOLD_WAD = 793_746_999_522_781_665n;
// floor(780,049,382,661 x 1e18 / 1,028,641,975,230) = 0.758329332697690324...
const LTV_WAD = 758_329_332_697_690_324n;

describe("PooledLendingPool.getUserAccountData", () => {
  it("values two collaterals and two debts exactly, collateral rounded down and debt rounded up", async () => {
    const w = await loadFixture(aliceCollateralAndDebt);
    // USDC: 5,000e6 x 1e8 / 1e6 = 500,000,000,000
    // WETH: ceil(333,333,333,333,333,333 x 2,000e8 / 1e18) = ceil(66,666,666,666.67) = 66,666,666,667
    const totalDebtUsd = 500_000_000_000n + 66_666_666_667n;
    const data = await w.pool.getUserAccountData(w.alice.address);
    expect([...data]).to.deep.equal([
      TOTAL_COLLATERAL_USD,
      totalDebtUsd,
      LTV_WEIGHTED_USD - totalDebtUsd, // 213,382,715,994
      LIQUIDATION_THRESHOLD_WAD,
      LTV_WAD,
      1_440_849_673_096_799_500n, // floor(816,481,481,422 x 1e18 / 566,666,666,667)
    ]);
  });

  it("returns a health factor of type(uint256).max and the whole LTV-weighted value as available without debt", async () => {
    const w = await loadFixture(aliceCollateral);
    expect([...(await w.pool.getUserAccountData(w.alice.address))]).to.deep.equal([
      TOTAL_COLLATERAL_USD,
      0n,
      LTV_WEIGHTED_USD,
      LIQUIDATION_THRESHOLD_WAD,
      LTV_WAD,
      MAX_UINT256,
    ]);
  });

  it("returns zeros and a health factor of type(uint256).max for an empty account", async () => {
    const w = await loadFixture(aliceCollateral);
    expect([...(await w.pool.getUserAccountData(w.carol.address))]).to.deep.equal([0n, 0n, 0n, 0n, 0n, MAX_UINT256]);
  });

  it("subtracts debt from the LTV-weighted value and floors availableBorrowsUsd at 0 once debt exceeds it (WETH at $1,000, then $600)", async () => {
    const w = await loadFixture(aliceCollateralAndDebt);
    await w.wethFeed.updateAnswer(usd("1000"));
    // collateral 300,000,000,000 + 428,641,975,230; LTV-weighted 240,000,000,000 + 300,049,382,661 = 540,049,382,661
    // debt 500,000,000,000 + ceil(0.333... x 1,000e8) = 533,333,333,334 < 540,049,382,661: still 6,716,049,327 available
    const data = await w.pool.getUserAccountData(w.alice.address);
    expect(data.totalDebtUsd).to.equal(533_333_333_334n);
    expect(data.availableBorrowsUsd).to.equal(6_716_049_327n);
    await w.wethFeed.updateAnswer(usd("600"));
    // LTV-weighted 144,000,000,000 + 300,049,382,661 = 444,049,382,661 < debt 500,000,000,000 + 20,000,000,000
    // threshold-weighted 148,500,000,000 + 321,481,481,422 = 469,981,481,422; HF = floor(469,981,481,422e18 / 520,000,000,000)
    const low = await w.pool.getUserAccountData(w.alice.address);
    expect(low.availableBorrowsUsd).to.equal(0n);
    expect(low.healthFactor).to.equal(903_810_541_196_153_846n);
  });

  it("leaves out a reserve whose liquidation threshold is 0, without reading its feed", async () => {
    const w = await loadFixture(aliceCollateral);
    const wbtc = await w.wbtc.getAddress();
    const cfg = configOf(await w.pool.getReserveConfig(wbtc));
    await w.pool.setReserveConfig(wbtc, { ...cfg, ltvWad: 0n, liquidationThresholdWad: 0n });
    await w.wbtcFeed.setRevertOnRead(true);
    expect([...(await w.pool.getUserAccountData(w.alice.address))]).to.deep.equal([
      600_000_000_000n,
      0n,
      480_000_000_000n,
      wad("0.825"),
      wad("0.8"),
      MAX_UINT256,
    ]);
  });

  it("uses the latest prices whatever their age (the view has no staleness check)", async () => {
    const w = await loadFixture(aliceCollateralAndDebt);
    const before = [...(await w.pool.getUserAccountData(w.alice.address))];
    await w.wethFeed.setLatestUpdatedAt(1n);
    await w.wbtcFeed.setLatestUpdatedAt(1n);
    await w.usdcFeed.setLatestUpdatedAt(1n);
    expect([...(await w.pool.getUserAccountData(w.alice.address))]).to.deep.equal(before);
    await expect(
      w.pool.connect(w.alice).borrow(await w.usdc.getAddress(), 1n, w.alice.address)
    ).to.be.revertedWithCustomError(w.pool, "StalePrice");
  });

  it("reverts InvalidPrice when a held asset's price is 0, and with the feed's error when it reverts", async () => {
    const w = await loadFixture(aliceCollateralAndDebt);
    const wbtc = await w.wbtc.getAddress();
    await w.wbtcFeed.updateAnswer(0n);
    await expect(w.pool.getUserAccountData(w.alice.address))
      .to.be.revertedWithCustomError(w.pool, "InvalidPrice")
      .withArgs(wbtc, 0n);
    await w.wbtcFeed.updateAnswer(WBTC_PRICE);
    await w.wbtcFeed.setRevertOnRead(true);
    await expect(w.pool.getUserAccountData(w.alice.address)).to.be.revertedWithCustomError(
      w.wbtcFeed,
      "FeedUnavailable"
    );
    // Bob holds no WBTC, so his account still reads.
    expect((await w.pool.getUserAccountData(w.bob.address)).healthFactor).to.equal(MAX_UINT256);
  });
});
