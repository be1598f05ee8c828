/**
 * supplyCollateral and withdrawCollateral (market 0: WETH collateral, USDC loan, LLTV 86%, zero interest).
 * Alice posts 10 WETH and borrows 8,600 USDC, so her limit after a withdrawal is
 *   maxBorrow = floor(floor(collateral x 2e27 / 1e36) x 0.86) >= 8,600e6, i.e. collateral >= 5 WETH exactly.
 * A position with debt needs fresh prices (at most 3,600 s old) to withdraw; one without debt reads no
 * price at all, so a broken or stale feed cannot lock its collateral.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, usd } from "../helpers/pool";
import { at, latestTimestamp } from "../helpers/poolTest";
import { ONE_USDC, ONE_WETH, WETH_USDC, deployIsolatedWorld, positionOf } from "../helpers/isolated";

async function aliceBorrowedHalf() {
  const w = await deployIsolatedWorld();
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supplyCollateral(WETH_USDC, w.alice, 10n * ONE_WETH);
  await w.market.connect(w.alice).borrow(WETH_USDC, 8_600n * ONE_USDC, w.alice.address);
  return w;
}

describe("IsolatedLendingMarket collateral", () => {
  describe("supplyCollateral", () => {
    it("credits onBehalfOf, pulls from the caller and mints no shares", async () => {
      const w = await loadFixture(deployIsolatedWorld);
      await w.fund(w.weth, w.carol, 3n * ONE_WETH);
      await expect(w.market.connect(w.carol).supplyCollateral(WETH_USDC, 3n * ONE_WETH, w.alice.address))
        .to.emit(w.market, "SupplyCollateral")
        .withArgs(WETH_USDC, w.carol.address, w.alice.address, 3n * ONE_WETH);
      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address))).to.deep.equal({
        supplyShares: 0n,
        borrowShares: 0n,
        collateral: 3n * ONE_WETH,
      });
      expect(await w.weth.balanceOf(w.marketAddress)).to.equal(3n * ONE_WETH);
      expect(await w.weth.balanceOf(w.carol.address)).to.equal(0n);
      const s = await w.market.marketState(WETH_USDC);
      expect([s.totalSupplyAssets, s.totalSupplyShares]).to.deep.equal([0n, 0n]);
    });

    it("reverts ZeroAmount and ZeroAddress", async () => {
      const w = await loadFixture(deployIsolatedWorld);
      await w.fund(w.weth, w.alice, ONE_WETH);
      await expect(w.market.connect(w.alice).supplyCollateral(WETH_USDC, 0n, w.alice.address)).to.be.revertedWithCustomError(
        w.market,
        "ZeroAmount",
      );
      await expect(w.market.connect(w.alice).supplyCollateral(WETH_USDC, ONE_WETH, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        w.market,
        "ZeroAddress",
      );
    });
  });

  describe("withdrawCollateral", () => {
    it("with 8,600 USDC of debt: 5 WETH may go (maxBorrow 8,600e6), 5 WETH + 1 wei may not (maxBorrow 8,599,999,999)", async () => {
      const w = await loadFixture(aliceBorrowedHalf);
      // 5e18 - 1 wei left: floor((5e18 - 1) x 2e27 / 1e36) = 9,999,999,999; x0.86 -> 8,599,999,999.
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 5n * ONE_WETH + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(8_600n * ONE_USDC, 8_599_999_999n);
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 5n * ONE_WETH, w.carol.address))
        .to.emit(w.market, "WithdrawCollateral")
        .withArgs(WETH_USDC, w.alice.address, w.carol.address, 5n * ONE_WETH);
      expect(await w.weth.balanceOf(w.carol.address)).to.equal(5n * ONE_WETH);
      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address)).collateral).to.equal(5n * ONE_WETH);
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(10n ** 18n);
    });

    it("type(uint256).max takes all the collateral: allowed without debt, InsufficientCollateral(8,600e6, 0) with it", async () => {
      const w = await loadFixture(aliceBorrowedHalf);
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, MAX_UINT256, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(8_600n * ONE_USDC, 0n);
      await w.supplyCollateral(WETH_USDC, w.carol, 2n * ONE_WETH);
      expect(await w.market.connect(w.carol).withdrawCollateral.staticCall(WETH_USDC, MAX_UINT256, w.carol.address)).to.equal(
        2n * ONE_WETH,
      );
      await expect(w.market.connect(w.carol).withdrawCollateral(WETH_USDC, MAX_UINT256, w.carol.address))
        .to.emit(w.market, "WithdrawCollateral")
        .withArgs(WETH_USDC, w.carol.address, w.carol.address, 2n * ONE_WETH);
      await expect(w.market.connect(w.carol).withdrawCollateral(WETH_USDC, MAX_UINT256, w.carol.address)).to.be.revertedWithCustomError(
        w.market,
        "ZeroAmount",
      );
    });

    it("reverts InsufficientBalance above the collateral, ZeroAmount and ZeroAddress", async () => {
      const w = await loadFixture(aliceBorrowedHalf);
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 10n * ONE_WETH + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientBalance")
        .withArgs(10n * ONE_WETH + 1n, 10n * ONE_WETH);
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 0n, w.alice.address)).to.be.revertedWithCustomError(
        w.market,
        "ZeroAmount",
      );
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 1n, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        w.market,
        "ZeroAddress",
      );
    });

    it("with debt, reverts StalePrice 3,601 s after either feed's update and works at exactly 3,600 s", async () => {
      const w = await loadFixture(aliceBorrowedHalf);
      const t = (await latestTimestamp()) + 10n;
      await w.wethFeed.setLatestUpdatedAt(t);
      await w.usdcFeed.setLatestUpdatedAt(t + 1n);
      const withdraw = () => w.market.connect(w.alice).withdrawCollateral(WETH_USDC, ONE_WETH, w.alice.address);
      await expect(at(t + 3_600n, withdraw)).to.emit(w.market, "WithdrawCollateral");
      await expect(at(t + 3_601n, withdraw))
        .to.be.revertedWithCustomError(w.market, "StalePrice")
        .withArgs(await w.wethFeed.getAddress(), t, 3_600n);
      await w.wethFeed.setLatestUpdatedAt(t + 3_000n);
      await expect(at(t + 3_602n, withdraw))
        .to.be.revertedWithCustomError(w.market, "StalePrice")
        .withArgs(await w.usdcFeed.getAddress(), t + 1n, 3_600n);
    });

    it("with debt, reverts InvalidPrice when a feed answers 0", async () => {
      const w = await loadFixture(aliceBorrowedHalf);
      await w.wethFeed.updateAnswer(0n);
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InvalidPrice")
        .withArgs(await w.wethFeed.getAddress(), 0n);
    });

    it("without debt, reads no price: works with a stale feed, an answer of 0 and a feed that reverts", async () => {
      const w = await loadFixture(aliceBorrowedHalf);
      await w.supplyCollateral(WETH_USDC, w.carol, 3n * ONE_WETH);
      await w.wethFeed.setLatestUpdatedAt((await latestTimestamp()) - 100_000n);
      await w.market.connect(w.carol).withdrawCollateral(WETH_USDC, ONE_WETH, w.carol.address);
      await w.wethFeed.updateAnswer(0n);
      await w.market.connect(w.carol).withdrawCollateral(WETH_USDC, ONE_WETH, w.carol.address);
      await w.wethFeed.setRevertOnRead(true);
      await w.market.connect(w.carol).withdrawCollateral(WETH_USDC, ONE_WETH, w.carol.address);
      expect(await w.weth.balanceOf(w.carol.address)).to.equal(3n * ONE_WETH);
      // Alice's debt makes the same feed block her.
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 1n, w.alice.address)).to.be.revertedWithCustomError(
        w.wethFeed,
        "FeedUnavailable",
      );
    });

    it("a price drop shrinks what may be withdrawn: at $1,720, 4.186046511627906976 WETH may go, one wei more may not", async () => {
      const w = await loadFixture(aliceBorrowedHalf);
      await w.wethFeed.updateAnswer(usd("1720"));
      // 5 WETH at $1,720 x 0.86 = 7,396 < 8,600: the 5 WETH withdrawal that passes at $2,000 fails now.
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 5n * ONE_WETH, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(8_600n * ONE_USDC, 7_396n * ONE_USDC);
      // 8,600 / (1,720 x 0.86) = 5.8139534883720930232... WETH must stay: 5.813953488372093024 (rounded up) gives
      // floor(floor(c x 1.72e27 / 1e36) x 0.86) = 8,600,000,000; one wei less gives 8,599,999,999.
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 4_186_046_511_627_906_977n, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientCollateral")
        .withArgs(8_600n * ONE_USDC, 8_599_999_999n);
      await expect(w.market.connect(w.alice).withdrawCollateral(WETH_USDC, 4_186_046_511_627_906_976n, w.alice.address)).to.emit(
        w.market,
        "WithdrawCollateral",
      );
      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address)).collateral).to.equal(5_813_953_488_372_093_024n);
    });
  });
});
