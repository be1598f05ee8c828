/**
 * repay: up to the whole debt, from the caller, for `onBehalfOf`.
 *   debt   = ceil(borrowShares x (totalBorrowAssets + 1) / (totalBorrowShares + 1e6))
 *   assets >= debt: repays exactly the debt and burns every share (type(uint256).max is the usual way);
 *   assets <  debt: burns floor(assets x (totalBorrowShares + 1e6) / (totalBorrowAssets + 1)) shares.
 * Rounding cases use `borrowedAtKink` a year on: Alice owes 83,200 USDC on 8e16 shares.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, SECONDS_PER_YEAR, WAD } from "../helpers/pool";
import { at, latestTimestamp } from "../helpers/poolTest";
import { ONE_USDC, ONE_WETH, VIRTUAL_SHARES, WETH_USDC, borrowedAtKink, deployIsolatedWorld, marketStateOf, positionOf } from "../helpers/isolated";

/** Zero interest: Bob supplies 100,000 USDC, Alice borrows 10,000 against 10 WETH; Carol holds 20,000 USDC. */
async function aliceBorrowed() {
  const w = await deployIsolatedWorld();
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supplyCollateral(WETH_USDC, w.alice, 10n * ONE_WETH);
  await w.market.connect(w.alice).borrow(WETH_USDC, 10_000n * ONE_USDC, w.alice.address);
  await w.fund(w.usdc, w.carol, 20_000n * ONE_USDC);
  return w;
}

/** As in the supply tests' twin: 2,000,000 units of interest a second after a 1-unit borrow make a borrow share worth 2 units. */
async function sharePriceAboveOneUnit() {
  const w = await deployIsolatedWorld({ wethUsdc: { baseRateWad: 2_000_000n * SECONDS_PER_YEAR * WAD } });
  await w.supply(WETH_USDC, w.bob, 1n);
  await w.supplyCollateral(WETH_USDC, w.alice, ONE_WETH);
  const t = (await latestTimestamp()) + 10n;
  await at(t, () => w.market.connect(w.alice).borrow(WETH_USDC, 1n, w.alice.address));
  await w.fund(w.usdc, w.alice, 10n);
  return { ...w, t };
}

describe("IsolatedLendingMarket.repay", () => {
  it("repays part of the debt from the caller for onBehalfOf: 4,000 USDC burns 4,000e12 shares", async () => {
    const w = await loadFixture(aliceBorrowed);
    await expect(w.market.connect(w.carol).repay(WETH_USDC, 4_000n * ONE_USDC, w.alice.address))
      .to.emit(w.market, "Repay")
      .withArgs(WETH_USDC, w.carol.address, w.alice.address, 4_000n * ONE_USDC, 4_000n * ONE_USDC * VIRTUAL_SHARES);
    expect(await w.usdc.balanceOf(w.carol.address)).to.equal(16_000n * ONE_USDC);
    expect(positionOf(await w.market.position(WETH_USDC, w.alice.address)).borrowShares).to.equal(6_000n * ONE_USDC * VIRTUAL_SHARES);
    const s = marketStateOf(await w.market.marketState(WETH_USDC));
    expect([s.totalBorrowAssets, s.totalBorrowShares]).to.deep.equal([6_000n * ONE_USDC, 6_000n * ONE_USDC * VIRTUAL_SHARES]);
  });

  it("clips to the debt: 10,000 USDC, 10,000.000001 and type(uint256).max each repay exactly 10,000 and burn every share", async () => {
    for (const assets of [10_000n * ONE_USDC, 10_000n * ONE_USDC + 1n, MAX_UINT256]) {
      const w = await loadFixture(aliceBorrowed);
      expect(await w.market.connect(w.carol).repay.staticCall(WETH_USDC, assets, w.alice.address)).to.equal(10_000n * ONE_USDC);
      await expect(w.market.connect(w.carol).repay(WETH_USDC, assets, w.alice.address))
        .to.emit(w.market, "Repay")
        .withArgs(WETH_USDC, w.carol.address, w.alice.address, 10_000n * ONE_USDC, 10_000n * ONE_USDC * VIRTUAL_SHARES);
      expect(await w.usdc.balanceOf(w.carol.address)).to.equal(10_000n * ONE_USDC);
      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address)).borrowShares).to.equal(0n);
    }
  });

  it("with interest: 1 unit burns 961,538 shares (rounded down), 1,000 USDC 961,538,461,538,923, max the remaining 82,199.999999 (no price needed)", async () => {
    const w = await loadFixture(borrowedAtKink);
    await w.fund(w.usdc, w.alice, 3_200n * ONE_USDC);
    const t = w.t0 + SECONDS_PER_YEAR;
    // floor(1 x (8e16 + 1e6) / (83,200e6 + 1)) = floor(961,538.46)
    await expect(at(t, () => w.market.connect(w.alice).repay(WETH_USDC, 1n, w.alice.address)))
      .to.emit(w.market, "Repay")
      .withArgs(WETH_USDC, w.alice.address, w.alice.address, 1n, 961_538n);
    // 83,199,999,999 on 79,999,999,999,038,462 shares: floor(1,000e6 x (79,999,999,999,038,462 + 1e6) / 83,200,000,000)
    await expect(at(t, () => w.market.connect(w.alice).repay(WETH_USDC, 1_000n * ONE_USDC, w.alice.address)))
      .to.emit(w.market, "Repay")
      .withArgs(WETH_USDC, w.alice.address, w.alice.address, 1_000n * ONE_USDC, 961_538_461_538_923n);
    // 82,199,999,999 left on 79,038,461,537,499,539 shares, all Alice's: her debt rounds up to exactly that.
    const left = 8n * 10n ** 16n - 961_538n - 961_538_461_538_923n;
    await expect(at(t, () => w.market.connect(w.alice).repay(WETH_USDC, MAX_UINT256, w.alice.address)))
      .to.emit(w.market, "Repay")
      .withArgs(WETH_USDC, w.alice.address, w.alice.address, 82_199_999_999n, left);
    expect(marketStateOf(await w.market.marketState(WETH_USDC))).to.include({ totalBorrowAssets: 0n, totalBorrowShares: 0n });
  });

  it("reverts ZeroShares for 1 unit when a borrow share is worth 2 units, and burns 1 share for 2 units", async () => {
    const w = await loadFixture(sharePriceAboveOneUnit);
    // 2,000,001 units on 1e6 shares: floor(1 x 2e6 / 2,000,002) = 0; floor(2 x 2e6 / 2,000,002) = 1.
    await expect(at(w.t + 1n, () => w.market.connect(w.alice).repay(WETH_USDC, 1n, w.alice.address))).to.be.revertedWithCustomError(
      w.market,
      "ZeroShares",
    );
    await expect(at(w.t + 1n, () => w.market.connect(w.alice).repay(WETH_USDC, 2n, w.alice.address)))
      .to.emit(w.market, "Repay")
      .withArgs(WETH_USDC, w.alice.address, w.alice.address, 2n, 1n);
  });

  it("reverts ZeroShares without debt, ZeroAmount and ZeroAddress", async () => {
    const w = await loadFixture(aliceBorrowed);
    await expect(w.market.connect(w.carol).repay(WETH_USDC, ONE_USDC, w.bob.address)).to.be.revertedWithCustomError(w.market, "ZeroShares");
    await expect(w.market.connect(w.carol).repay(WETH_USDC, 0n, w.alice.address)).to.be.revertedWithCustomError(w.market, "ZeroAmount");
    await expect(w.market.connect(w.carol).repay(WETH_USDC, ONE_USDC, ethers.ZeroAddress)).to.be.revertedWithCustomError(
      w.market,
      "ZeroAddress",
    );
  });

  it("frees the collateral: after a full repayment all 10 WETH can be withdrawn", async () => {
    const w = await loadFixture(aliceBorrowed);
    await w.market.connect(w.carol).repay(WETH_USDC, MAX_UINT256, w.alice.address);
    await w.market.connect(w.alice).withdrawCollateral(WETH_USDC, MAX_UINT256, w.alice.address);
    expect(await w.weth.balanceOf(w.alice.address)).to.equal(10n * ONE_WETH);
  });
});
