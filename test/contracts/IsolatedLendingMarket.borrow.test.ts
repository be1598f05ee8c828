/**
 * borrow: liquidity, the LLTV limit, fresh prices and share rounding, in each of the three markets.
 *   shares    = ceil(assets x (totalBorrowShares + 1e6) / (totalBorrowAssets + 1))
 *   maxBorrow = floor(floor(collateral x price / 1e36) x LLTV); the borrow must leave borrowed <= maxBorrow.
 *   market 0: 10 WETH x 2e27 / 1e36 = 20,000e6 USDC units x 0.86 = 17,200 USDC
 *   market 1: 1 WBTC x 6e38 / 1e36 = 60,000e6 USDC units x 0.77 = 46,200 USDC
 *   market 2: 10,000 USDC x 5e44 / 1e36 = 5e18 WETH wei x 0.86 = 4.3 WETH
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SECONDS_PER_YEAR, WAD } from "../helpers/pool";
import { at, latestTimestamp } from "../helpers/poolTest";
import {
  ONE_USDC,
  ONE_WBTC,
  ONE_WETH,
  USDC_WETH,
  VIRTUAL_SHARES,
  WBTC_USDC,
  WETH_USDC,
  borrowedAtKink,
  deployIsolatedWorld,
  marketStateOf,
  positionOf,
  refreshFeeds,
} from "../helpers/isolated";

/** Bob supplies 100,000 USDC to markets 0 and 1 and 100 WETH to market 2; Alice posts 10 WETH, 1 WBTC and 10,000 USDC. */
async function collateralPosted() {
  const w = await deployIsolatedWorld();
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supply(WBTC_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supply(USDC_WETH, w.bob, 100n * ONE_WETH);
  await w.supplyCollateral(WETH_USDC, w.alice, 10n * ONE_WETH);
  await w.supplyCollateral(WBTC_USDC, w.alice, ONE_WBTC);
  await w.supplyCollateral(USDC_WETH, w.alice, 10_000n * ONE_USDC);
  return w;
}

describe("IsolatedLendingMarket.borrow", () => {
  describe("the LLTV limit, to the wei", () => {
    it("market 0: 17,200 USDC against 10 WETH is allowed (HF exactly 1), 17,200.000001 is not", async () => {
      const w = await loadFixture(collateralPosted);
      await expect(w.market.connect(w.alice).borrow(WETH_USDC, 17_200n * ONE_USDC + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(17_200n * ONE_USDC + 1n, 17_200n * ONE_USDC);
      expect(await w.market.connect(w.alice).borrow.staticCall(WETH_USDC, 17_200n * ONE_USDC, w.alice.address)).to.equal(
        17_200n * ONE_USDC * VIRTUAL_SHARES,
      );
      await expect(w.market.connect(w.alice).borrow(WETH_USDC, 17_200n * ONE_USDC, w.alice.address))
        .to.emit(w.market, "Borrow")
        .withArgs(WETH_USDC, w.alice.address, w.alice.address, 17_200n * ONE_USDC, 17_200n * ONE_USDC * VIRTUAL_SHARES);
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(WAD);
      expect(await w.usdc.balanceOf(w.alice.address)).to.equal(17_200n * ONE_USDC);
      const s = marketStateOf(await w.market.marketState(WETH_USDC));
      expect([s.totalBorrowAssets, s.totalBorrowShares]).to.deep.equal([17_200n * ONE_USDC, 17_200n * ONE_USDC * VIRTUAL_SHARES]);
    });

    it("market 1: 46,200 USDC against 1 WBTC at LLTV 77% is allowed, 46,200.000001 is not", async () => {
      const w = await loadFixture(collateralPosted);
      await expect(w.market.connect(w.alice).borrow(WBTC_USDC, 46_200n * ONE_USDC + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(46_200n * ONE_USDC + 1n, 46_200n * ONE_USDC);
      await w.market.connect(w.alice).borrow(WBTC_USDC, 46_200n * ONE_USDC, w.alice.address);
      expect(await w.market.healthFactor(WBTC_USDC, w.alice.address)).to.equal(WAD);
    });

    it("market 2: 4.3 WETH against 10,000 USDC is allowed, 4.3 WETH + 1 wei is not", async () => {
      const w = await loadFixture(collateralPosted);
      const limit = 4_300_000_000_000_000_000n;
      await expect(w.market.connect(w.alice).borrow(USDC_WETH, limit + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(limit + 1n, limit);
      await expect(w.market.connect(w.alice).borrow(USDC_WETH, limit, w.alice.address))
        .to.emit(w.market, "Borrow")
        .withArgs(USDC_WETH, w.alice.address, w.alice.address, limit, limit * VIRTUAL_SHARES);
      expect(await w.weth.balanceOf(w.alice.address)).to.equal(limit);
    });

    it("without collateral even 1 unit reverts InsufficientCollateral(1, 0)", async () => {
      const w = await loadFixture(collateralPosted);
      await expect(w.market.connect(w.carol).borrow(WETH_USDC, 1n, w.carol.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(1n, 0n);
    });
  });

  it("sends the loan to `to` and books the debt on the caller", async () => {
    const w = await loadFixture(collateralPosted);
    await expect(w.market.connect(w.alice).borrow(WETH_USDC, 1_000n * ONE_USDC, w.carol.address))
      .to.emit(w.market, "Borrow")
      .withArgs(WETH_USDC, w.alice.address, w.carol.address, 1_000n * ONE_USDC, 1_000n * ONE_USDC * VIRTUAL_SHARES);
    expect(await w.usdc.balanceOf(w.carol.address)).to.equal(1_000n * ONE_USDC);
    expect(positionOf(await w.market.position(WETH_USDC, w.alice.address)).borrowShares).to.equal(1_000n * ONE_USDC * VIRTUAL_SHARES);
    expect(positionOf(await w.market.position(WETH_USDC, w.carol.address)).borrowShares).to.equal(0n);
  });

  it("needs liquidity: with 10,000 USDC supplied, 10,000.000001 reverts InsufficientLiquidity and 10,000 is lent", async () => {
    const w = await deployIsolatedWorld();
    await w.supply(WETH_USDC, w.bob, 10_000n * ONE_USDC);
    await w.supplyCollateral(WETH_USDC, w.alice, 10n * ONE_WETH);
    await expect(w.market.connect(w.alice).borrow(WETH_USDC, 10_000n * ONE_USDC + 1n, w.alice.address))
      .to.be.revertedWithCustomError(w.market, "InsufficientLiquidity")
      .withArgs(10_000n * ONE_USDC + 1n, 10_000n * ONE_USDC);
    await w.market.connect(w.alice).borrow(WETH_USDC, 10_000n * ONE_USDC, w.alice.address);
    expect(await w.usdc.balanceOf(w.marketAddress)).to.equal(0n);
  });

  it("rounds shares up once interest has raised their price: 1 unit mints 961,539 shares, 1,000 USDC 961,538,461,538,924", async () => {
    const w = await loadFixture(borrowedAtKink);
    const t = w.t0 + SECONDS_PER_YEAR;
    await refreshFeeds(w, t);
    // 83,200e6 borrowed on 8e16 shares: ceil(1 x (8e16 + 1e6) / (83,200e6 + 1)) = ceil(961,538.46)
    await expect(at(t, () => w.market.connect(w.alice).borrow(WETH_USDC, 1n, w.alice.address)))
      .to.emit(w.market, "Borrow")
      .withArgs(WETH_USDC, w.alice.address, w.alice.address, 1n, 961_539n);
    // now 83,200,000,001 on 80,000,000,000,961,539 shares: ceil(1,000e6 x (8e16 + 961,539 + 1e6) / 83,200,000,002)
    await expect(at(t, () => w.market.connect(w.alice).borrow(WETH_USDC, 1_000n * ONE_USDC, w.alice.address)))
      .to.emit(w.market, "Borrow")
      .withArgs(WETH_USDC, w.alice.address, w.alice.address, 1_000n * ONE_USDC, 961_538_461_538_924n);
  });

  describe("prices", () => {
    it("reverts StalePrice 3,601 s after the collateral or the loan feed's update, works at exactly 3,600 s", async () => {
      const w = await loadFixture(collateralPosted);
      const t = (await latestTimestamp()) + 10n;
      await w.wethFeed.setLatestUpdatedAt(t);
      await w.usdcFeed.setLatestUpdatedAt(t + 1n);
      const borrow = () => w.market.connect(w.alice).borrow(WETH_USDC, ONE_USDC, w.alice.address);
      await expect(at(t + 3_600n, borrow)).to.emit(w.market, "Borrow");
      await expect(at(t + 3_601n, borrow))
        .to.be.revertedWithCustomError(w.market, "StalePrice")
        .withArgs(await w.wethFeed.getAddress(), t, 3_600n);
      await w.wethFeed.setLatestUpdatedAt(t + 3_000n);
      await expect(at(t + 3_602n, borrow))
        .to.be.revertedWithCustomError(w.market, "StalePrice")
        .withArgs(await w.usdcFeed.getAddress(), t + 1n, 3_600n);
    });

    it("counts an updatedAt in the future as fresh", async () => {
      const w = await loadFixture(collateralPosted);
      await w.wethFeed.setLatestUpdatedAt((await latestTimestamp()) + 100_000n);
      await expect(w.market.connect(w.alice).borrow(WETH_USDC, ONE_USDC, w.alice.address)).to.emit(w.market, "Borrow");
    });

    it("reverts InvalidPrice on an answer <= 0 and checks the limit at the new price", async () => {
      const w = await loadFixture(collateralPosted);
      await w.usdcFeed.updateAnswer(-1n);
      await expect(w.market.connect(w.alice).borrow(WETH_USDC, ONE_USDC, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InvalidPrice")
        .withArgs(await w.usdcFeed.getAddress(), -1n);
      // USDC at $1.25: price = 2,000e8 x 1e24 / 1.25e8 = 1.6e27; 10 WETH -> 16,000e6 x 0.86 = 13,760 USDC.
      await w.usdcFeed.updateAnswer(125_000_000n);
      await expect(w.market.connect(w.alice).borrow(WETH_USDC, 13_760n * ONE_USDC + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(13_760n * ONE_USDC + 1n, 13_760n * ONE_USDC);
      await w.market.connect(w.alice).borrow(WETH_USDC, 13_760n * ONE_USDC, w.alice.address);
    });
  });

  it("reverts ZeroAmount and ZeroAddress", async () => {
    const w = await loadFixture(collateralPosted);
    await expect(w.market.connect(w.alice).borrow(WETH_USDC, 0n, w.alice.address)).to.be.revertedWithCustomError(w.market, "ZeroAmount");
    await expect(w.market.connect(w.alice).borrow(WETH_USDC, 1n, ethers.ZeroAddress)).to.be.revertedWithCustomError(w.market, "ZeroAddress");
  });
});
