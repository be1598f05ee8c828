/**
 * supply and withdraw of the loan token (market 0: USDC lent against WETH).
 *   supply:   shares = floor(assets x (totalShares + 1e6) / (totalAssets + 1))
 *   withdraw: shares = ceil(assets x (totalShares + 1e6) / (totalAssets + 1)), or every share for the whole
 *             balance floor(shares x (totalAssets + 1) / (totalShares + 1e6));
 *             type(uint256).max: the whole balance, or as much of it as supply - borrow allows.
 * Without interest the ratio stays 1e6 shares per unit, so figures are exact; the rounding cases use
 * `borrowedAtKink` a year on: 103,200 USDC of supply on 1e17 shares (Bob's balance 103,199.999999 USDC).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, SECONDS_PER_YEAR, WAD } from "../helpers/pool";
import { at, latestTimestamp } from "../helpers/poolTest";
import {
  ONE_USDC,
  ONE_WETH,
  VIRTUAL_SHARES,
  WETH_USDC,
  borrowedAtKink,
  deployIsolatedWorld,
  marketStateOf,
  positionOf,
} from "../helpers/isolated";

async function bobSupplied() {
  const w = await deployIsolatedWorld();
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  return w;
}

/** Bob supplies 100,000 USDC; Alice borrows 60,000 of it against 100 WETH: 40,000 USDC left to withdraw. */
async function sixtyPercentBorrowed() {
  const w = await bobSupplied();
  await w.supplyCollateral(WETH_USDC, w.alice, 100n * ONE_WETH);
  await w.market.connect(w.alice).borrow(WETH_USDC, 60_000n * ONE_USDC, w.alice.address);
  return w;
}

/**
 * A deliberately absurd rate (base 2e6 x 100% a second) on a 1-unit market: a second after Alice borrows
 * Bob's single unit, 2,000,000 units of interest make one supply share worth 2 units.
 * rate = 2e6 x 31,536,000 x 1e18; interest = floor(1 x rate x 1 / (1e18 x 31,536,000)) = 2,000,000.
 */
async function sharePriceAboveOneUnit() {
  const w = await deployIsolatedWorld({ wethUsdc: { baseRateWad: 2_000_000n * SECONDS_PER_YEAR * WAD } });
  await w.supply(WETH_USDC, w.bob, 1n);
  await w.supplyCollateral(WETH_USDC, w.alice, ONE_WETH);
  const t = (await latestTimestamp()) + 10n;
  await at(t, () => w.market.connect(w.alice).borrow(WETH_USDC, 1n, w.alice.address));
  await w.fund(w.usdc, w.carol, 10n);
  return { ...w, t };
}

describe("IsolatedLendingMarket supply and withdraw", () => {
  describe("supply", () => {
    it("mints 1e6 shares per unit in an empty market, credits onBehalfOf and pulls the tokens from the caller", async () => {
      const w = await loadFixture(deployIsolatedWorld);
      await w.fund(w.usdc, w.carol, 100_000n * ONE_USDC);
      expect(await w.market.connect(w.carol).supply.staticCall(WETH_USDC, 100_000n * ONE_USDC, w.bob.address)).to.equal(10n ** 17n);
      await expect(w.market.connect(w.carol).supply(WETH_USDC, 100_000n * ONE_USDC, w.bob.address))
        .to.emit(w.market, "Supply")
        .withArgs(WETH_USDC, w.carol.address, w.bob.address, 100_000n * ONE_USDC, 10n ** 17n);
      expect(positionOf(await w.market.position(WETH_USDC, w.bob.address))).to.deep.equal({
        supplyShares: 10n ** 17n,
        borrowShares: 0n,
        collateral: 0n,
      });
      expect(positionOf(await w.market.position(WETH_USDC, w.carol.address)).supplyShares).to.equal(0n);
      expect(await w.usdc.balanceOf(w.carol.address)).to.equal(0n);
      expect(await w.usdc.balanceOf(w.marketAddress)).to.equal(100_000n * ONE_USDC);
      const s = marketStateOf(await w.market.marketState(WETH_USDC));
      expect([s.totalSupplyAssets, s.totalSupplyShares]).to.deep.equal([100_000n * ONE_USDC, 10n ** 17n]);
    });

    it("rounds shares down once interest has raised their price: 1,000 USDC buys 968,992,248,062,315 shares", async () => {
      const w = await loadFixture(borrowedAtKink);
      await w.fund(w.usdc, w.carol, 1_000n * ONE_USDC);
      // floor(1,000e6 x (1e17 + 1e6) / (103,200e6 + 1)) = floor(968,992,248,062,315.9)
      await expect(at(w.t0 + SECONDS_PER_YEAR, () => w.market.connect(w.carol).supply(WETH_USDC, 1_000n * ONE_USDC, w.carol.address)))
        .to.emit(w.market, "Supply")
        .withArgs(WETH_USDC, w.carol.address, w.carol.address, 1_000n * ONE_USDC, 968_992_248_062_315n);
    });

    it("reverts ZeroShares for 1 unit when a share is worth 2 units, and mints 1 share for 2 units", async () => {
      const w = await loadFixture(sharePriceAboveOneUnit);
      // supply 2,000,001 units on 1e6 shares: floor(1 x 2e6 / 2,000,002) = 0; floor(2 x 2e6 / 2,000,002) = 1.
      await expect(at(w.t + 1n, () => w.market.connect(w.carol).supply(WETH_USDC, 1n, w.carol.address))).to.be.revertedWithCustomError(
        w.market,
        "ZeroShares",
      );
      await expect(at(w.t + 1n, () => w.market.connect(w.carol).supply(WETH_USDC, 2n, w.carol.address)))
        .to.emit(w.market, "Supply")
        .withArgs(WETH_USDC, w.carol.address, w.carol.address, 2n, 1n);
    });

    it("reverts ZeroAmount and ZeroAddress", async () => {
      const w = await loadFixture(deployIsolatedWorld);
      await w.fund(w.usdc, w.bob, ONE_USDC);
      await expect(w.market.connect(w.bob).supply(WETH_USDC, 0n, w.bob.address)).to.be.revertedWithCustomError(w.market, "ZeroAmount");
      await expect(w.market.connect(w.bob).supply(WETH_USDC, ONE_USDC, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        w.market,
        "ZeroAddress",
      );
    });
  });

  describe("withdraw", () => {
    it("burns 1e6 shares per unit, sends to `to` and burns every share for the exact balance", async () => {
      const w = await loadFixture(bobSupplied);
      await expect(w.market.connect(w.bob).withdraw(WETH_USDC, 30_000n * ONE_USDC, w.carol.address))
        .to.emit(w.market, "Withdraw")
        .withArgs(WETH_USDC, w.bob.address, w.carol.address, 30_000n * ONE_USDC, 30_000n * ONE_USDC * VIRTUAL_SHARES);
      expect(await w.usdc.balanceOf(w.carol.address)).to.equal(30_000n * ONE_USDC);
      await expect(w.market.connect(w.bob).withdraw(WETH_USDC, 70_000n * ONE_USDC + 1n, w.bob.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientBalance")
        .withArgs(70_000n * ONE_USDC + 1n, 70_000n * ONE_USDC);
      await w.market.connect(w.bob).withdraw(WETH_USDC, 70_000n * ONE_USDC, w.bob.address);
      expect(marketStateOf(await w.market.marketState(WETH_USDC))).to.include({ totalSupplyAssets: 0n, totalSupplyShares: 0n });
      expect(positionOf(await w.market.position(WETH_USDC, w.bob.address)).supplyShares).to.equal(0n);
    });

    it("rounds shares up once interest has raised their price: 1 unit burns 968,993 shares", async () => {
      const w = await loadFixture(borrowedAtKink);
      // ceil(1 x (1e17 + 1e6) / (103,200e6 + 1)) = ceil(968,992.2)
      await expect(at(w.t0 + SECONDS_PER_YEAR, () => w.market.connect(w.bob).withdraw(WETH_USDC, 1n, w.bob.address)))
        .to.emit(w.market, "Withdraw")
        .withArgs(WETH_USDC, w.bob.address, w.bob.address, 1n, 968_993n);
    });

    it("type(uint256).max withdraws the whole balance (rounded down) and every share", async () => {
      const w = await loadFixture(borrowedAtKink);
      // Repay first so that all of Bob's balance is available: Alice owes exactly 83,200 USDC.
      await w.fund(w.usdc, w.alice, 3_200n * ONE_USDC);
      const t = w.t0 + SECONDS_PER_YEAR;
      await at(t, () => w.market.connect(w.alice).repay(WETH_USDC, MAX_UINT256, w.alice.address));
      // floor(1e17 x (103,200e6 + 1) / (1e17 + 1e6)) = 103,199,999,999: one unit stays behind in the market.
      await expect(at(t, () => w.market.connect(w.bob).withdraw(WETH_USDC, MAX_UINT256, w.bob.address)))
        .to.emit(w.market, "Withdraw")
        .withArgs(WETH_USDC, w.bob.address, w.bob.address, 103_199_999_999n, 10n ** 17n);
      expect(marketStateOf(await w.market.marketState(WETH_USDC))).to.include({ totalSupplyAssets: 1n, totalSupplyShares: 0n });
    });

    it("needs liquidity: 40,000 USDC of 100,000 are free, 40,000.000001 reverts InsufficientLiquidity", async () => {
      const w = await loadFixture(sixtyPercentBorrowed);
      await expect(w.market.connect(w.bob).withdraw(WETH_USDC, 40_000n * ONE_USDC + 1n, w.bob.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientLiquidity")
        .withArgs(40_000n * ONE_USDC + 1n, 40_000n * ONE_USDC);
      await expect(w.market.connect(w.bob).withdraw(WETH_USDC, 40_000n * ONE_USDC, w.bob.address)).to.emit(w.market, "Withdraw");
    });

    it("type(uint256).max withdraws only what is free (40,000 of 100,000) and keeps the rest of the shares", async () => {
      const w = await loadFixture(sixtyPercentBorrowed);
      expect(await w.market.connect(w.bob).withdraw.staticCall(WETH_USDC, MAX_UINT256, w.bob.address)).to.equal(40_000n * ONE_USDC);
      await expect(w.market.connect(w.bob).withdraw(WETH_USDC, MAX_UINT256, w.bob.address))
        .to.emit(w.market, "Withdraw")
        .withArgs(WETH_USDC, w.bob.address, w.bob.address, 40_000n * ONE_USDC, 40_000n * ONE_USDC * VIRTUAL_SHARES);
      expect(positionOf(await w.market.position(WETH_USDC, w.bob.address)).supplyShares).to.equal(60_000n * ONE_USDC * VIRTUAL_SHARES);
      // Nothing free now: max reverts with the balance it wanted.
      await expect(w.market.connect(w.bob).withdraw(WETH_USDC, MAX_UINT256, w.bob.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientLiquidity")
        .withArgs(60_000n * ONE_USDC, 0n);
    });

    it("reverts ZeroAmount for 0 and for type(uint256).max without a balance, ZeroAddress for `to`", async () => {
      const w = await loadFixture(bobSupplied);
      await expect(w.market.connect(w.bob).withdraw(WETH_USDC, 0n, w.bob.address)).to.be.revertedWithCustomError(w.market, "ZeroAmount");
      await expect(w.market.connect(w.carol).withdraw(WETH_USDC, MAX_UINT256, w.carol.address)).to.be.revertedWithCustomError(
        w.market,
        "ZeroAmount",
      );
      await expect(w.market.connect(w.carol).withdraw(WETH_USDC, 1n, w.carol.address))
        .to.be.revertedWithCustomError(w.market, "InsufficientBalance")
        .withArgs(1n, 0n);
      await expect(w.market.connect(w.bob).withdraw(WETH_USDC, 1n, ethers.ZeroAddress)).to.be.revertedWithCustomError(w.market, "ZeroAddress");
    });
  });
});
