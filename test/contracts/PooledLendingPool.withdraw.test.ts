/**
 * withdraw: shares burned (toSharesUp, or all of them for the whole balance), type(uint256).max as
 * "everything", the balance and liquidity limits, and the health-factor and price checks that apply
 * only while the caller has debt.
 *
 * World: WETH $2,000 (LTV 80%, LT 82.5%, max price age 3,600 s), USDC $1, zero interest unless stated.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { E8, MAX_UINT256, SECONDS_PER_YEAR, WAD, deployPoolWorld, usd, wad } from "../helpers/pool";
import { mulDivDown, mulDivUp, wDivDown, wMulDown } from "../../simulator/math";
import {
  KINKED_CURVE,
  ONE_USDC,
  ONE_WETH,
  VIRTUAL_SHARES,
  at,
  borrowedAtKink,
  latestTimestamp,
} from "../helpers/poolTest";

/** Bob supplies 1,000 USDC: 1e15 shares, 1:1e6 share price. */
async function bobSupplied1000() {
  const w = await deployPoolWorld();
  await w.supply(w.usdc, w.bob, 1_000n * ONE_USDC);
  return { ...w, usdcAddress: await w.usdc.getAddress() };
}

/** Bob supplies 100,000 USDC; Alice supplies 10 WETH ($20,000) and borrows 16,000 USDC (her LTV limit; HF 1.03125). */
async function aliceBorrowed16000() {
  const w = await deployPoolWorld();
  const usdcAddress = await w.usdc.getAddress();
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.alice, 10n * ONE_WETH);
  await w.pool.connect(w.alice).borrow(usdcAddress, 16_000n * ONE_USDC, w.alice.address);
  return { ...w, usdcAddress, wethAddress: await w.weth.getAddress() };
}

describe("PooledLendingPool.withdraw", () => {
  it("withdraws part of a balance to another address, burning assets x 1e6 shares, and emits Withdraw", async () => {
    const w = await loadFixture(bobSupplied1000);
    expect(await w.pool.connect(w.bob).withdraw.staticCall(w.usdcAddress, 400n * ONE_USDC, w.carol.address)).to.equal(
      400n * ONE_USDC
    );
    // shares = ceil(400e6 x (1e15 + 1e6) / (1e9 + 1)) = 4e14 exactly
    await expect(w.pool.connect(w.bob).withdraw(w.usdcAddress, 400n * ONE_USDC, w.carol.address))
      .to.emit(w.pool, "Withdraw")
      .withArgs(w.usdcAddress, w.bob.address, w.carol.address, 400n * ONE_USDC, 400n * ONE_USDC * VIRTUAL_SHARES);
    expect(await w.usdc.balanceOf(w.carol.address)).to.equal(400n * ONE_USDC);
    expect(await w.usdc.balanceOf(w.bob.address)).to.equal(0n);
    expect(await w.pool.getUserReserve(w.usdcAddress, w.bob.address)).to.deep.equal([
      600n * ONE_USDC * VIRTUAL_SHARES,
      0n,
      600n * ONE_USDC,
      0n,
    ]);
  });

  it("withdraws the whole balance with type(uint256).max and burns every share", async () => {
    const w = await loadFixture(bobSupplied1000);
    expect(await w.pool.connect(w.bob).withdraw.staticCall(w.usdcAddress, MAX_UINT256, w.bob.address)).to.equal(
      1_000n * ONE_USDC
    );
    await expect(w.pool.connect(w.bob).withdraw(w.usdcAddress, MAX_UINT256, w.bob.address))
      .to.emit(w.pool, "Withdraw")
      .withArgs(w.usdcAddress, w.bob.address, w.bob.address, 1_000n * ONE_USDC, 1_000n * ONE_USDC * VIRTUAL_SHARES);
    expect(await w.usdc.balanceOf(w.bob.address)).to.equal(1_000n * ONE_USDC);
    const s = await w.pool.getReserveState(w.usdcAddress);
    expect([s.totalSupplyAssets, s.totalSupplyShares]).to.deep.equal([0n, 0n]);
  });

  it("after a year of interest, max withdraws the balance rounded down (102,879.999999 of 102,880 USDC) and burns all shares", async () => {
    const w = await deployPoolWorld({ usdc: KINKED_CURVE });
    const usdc = await w.usdc.getAddress();
    await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
    await w.supply(w.weth, w.alice, 100n * ONE_WETH);
    await w.fund(w.usdc, w.alice, 3_200n * ONE_USDC); // for the interest
    const t0 = (await latestTimestamp()) + 10n;
    await at(t0, () => w.pool.connect(w.alice).borrow(usdc, 80_000n * ONE_USDC, w.alice.address));
    // A year at 4%: 3,200 interest, 320 to the reserves, supply 102,880e6 assets for 1e17 shares.
    await at(t0 + SECONDS_PER_YEAR, () => w.pool.connect(w.alice).repay(usdc, MAX_UINT256, w.alice.address));

    // balance = floor(1e17 x (102,880e6 + 1) / (1e17 + 1e6)) = 102,879.999999 USDC
    const balance = 102_879_999_999n;
    await expect(w.pool.connect(w.bob).withdraw(usdc, MAX_UINT256, w.bob.address))
      .to.emit(w.pool, "Withdraw")
      .withArgs(usdc, w.bob.address, w.bob.address, balance, 10n ** 17n);
    expect(await w.usdc.balanceOf(w.bob.address)).to.equal(balance);
    const s = await w.pool.getReserveState(usdc);
    // The unit lost to rounding stays with the (now share-less) supply; the reserves keep their 320.
    expect([s.totalSupplyAssets, s.totalSupplyShares, s.reservesAssets]).to.deep.equal([1n, 0n, 320n * ONE_USDC]);
  });

  it("after a year of interest burns toSharesUp for a partial withdrawal: 1,000 USDC burns 972,006,220,840,086 shares (down would be ...085)", async () => {
    const w = await loadFixture(borrowedAtKink);
    // Supply totals at t0 + 1 year: 102,880e6 assets, 1e17 shares (Bob's).
    // shares = ceil(1,000e6 x (1e17 + 1e6) / (102,880e6 + 1)) = ceil(972,006,220,840,085.4)
    const burned = 972_006_220_840_086n;
    await expect(
      at(w.t0 + SECONDS_PER_YEAR, () => w.pool.connect(w.bob).withdraw(w.usdcAddress, 1_000n * ONE_USDC, w.bob.address))
    )
      .to.emit(w.pool, "Withdraw")
      .withArgs(w.usdcAddress, w.bob.address, w.bob.address, 1_000n * ONE_USDC, burned);
    // Left: floor((1e17 - burned) x (101,880e6 + 1) / (1e17 - burned + 1e6)) = 101,879.999999
    const [shares, , balance] = await w.pool.getUserReserve(w.usdcAddress, w.bob.address);
    expect([shares, balance]).to.deep.equal([10n ** 17n - burned, 101_879_999_999n]);
  });

  it("reverts InsufficientBalance(balance + 1, balance) one unit above the balance and withdraws exactly the balance", async () => {
    const w = await loadFixture(bobSupplied1000);
    await expect(w.pool.connect(w.bob).withdraw(w.usdcAddress, 1_000n * ONE_USDC + 1n, w.bob.address))
      .to.be.revertedWithCustomError(w.pool, "InsufficientBalance")
      .withArgs(1_000n * ONE_USDC + 1n, 1_000n * ONE_USDC);
    await expect(w.pool.connect(w.bob).withdraw(w.usdcAddress, 1_000n * ONE_USDC, w.bob.address))
      .to.emit(w.pool, "Withdraw")
      .withArgs(w.usdcAddress, w.bob.address, w.bob.address, 1_000n * ONE_USDC, 1_000n * ONE_USDC * VIRTUAL_SHARES);
  });

  it("reverts InsufficientLiquidity with the exact available amount while 16,000 of 100,000 USDC is borrowed", async () => {
    const w = await loadFixture(aliceBorrowed16000);
    const asBob = w.pool.connect(w.bob);
    // available = supply + reserves - borrows = 100,000 + 0 - 16,000
    await expect(asBob.withdraw(w.usdcAddress, MAX_UINT256, w.bob.address))
      .to.be.revertedWithCustomError(w.pool, "InsufficientLiquidity")
      .withArgs(w.usdcAddress, 100_000n * ONE_USDC, 84_000n * ONE_USDC);
    await expect(asBob.withdraw(w.usdcAddress, 84_000n * ONE_USDC + 1n, w.bob.address))
      .to.be.revertedWithCustomError(w.pool, "InsufficientLiquidity")
      .withArgs(w.usdcAddress, 84_000n * ONE_USDC + 1n, 84_000n * ONE_USDC);
    await expect(asBob.withdraw(w.usdcAddress, 84_000n * ONE_USDC, w.bob.address)).to.emit(w.pool, "Withdraw");
    await expect(asBob.withdraw(w.usdcAddress, 1n, w.bob.address))
      .to.be.revertedWithCustomError(w.pool, "InsufficientLiquidity")
      .withArgs(w.usdcAddress, 1n, 0n);
  });

  it("counts the reserve's reserves as liquidity: after a 500 USDC deposit, 84,500 passes and 84,500.000001 reverts", async () => {
    const w = await loadFixture(aliceBorrowed16000);
    await w.fund(w.usdc, w.carol, 500n * ONE_USDC);
    await w.pool.connect(w.carol).depositReserves(w.usdcAddress, 500n * ONE_USDC);
    await expect(w.pool.connect(w.bob).withdraw(w.usdcAddress, 84_500n * ONE_USDC + 1n, w.bob.address))
      .to.be.revertedWithCustomError(w.pool, "InsufficientLiquidity")
      .withArgs(w.usdcAddress, 84_500n * ONE_USDC + 1n, 84_500n * ONE_USDC);
    await expect(w.pool.connect(w.bob).withdraw(w.usdcAddress, 84_500n * ONE_USDC, w.bob.address)).to.emit(
      w.pool,
      "Withdraw"
    );
  });

  it("rejects 0 (ZeroAmount), max with no balance (ZeroAmount), to == 0 (ZeroAddress) and an unlisted asset", async () => {
    const w = await loadFixture(bobSupplied1000);
    await expect(w.pool.connect(w.bob).withdraw(w.usdcAddress, 0n, w.bob.address)).to.be.revertedWithCustomError(
      w.pool,
      "ZeroAmount"
    );
    await expect(
      w.pool.connect(w.carol).withdraw(w.usdcAddress, MAX_UINT256, w.carol.address)
    ).to.be.revertedWithCustomError(w.pool, "ZeroAmount");
    await expect(w.pool.connect(w.carol).withdraw(w.usdcAddress, 1n, w.carol.address))
      .to.be.revertedWithCustomError(w.pool, "InsufficientBalance")
      .withArgs(1n, 0n);
    await expect(
      w.pool.connect(w.bob).withdraw(w.usdcAddress, ONE_USDC, ethers.ZeroAddress)
    ).to.be.revertedWithCustomError(w.pool, "ZeroAddress");
    await expect(w.pool.connect(w.bob).withdraw(w.carol.address, ONE_USDC, w.bob.address))
      .to.be.revertedWithCustomError(w.pool, "ReserveNotListed")
      .withArgs(w.carol.address);
  });

  describe("with debt: health factor", () => {
    it("withdraws down to HF exactly 1 and reverts HealthFactorBelowOne one wei of WETH further", async () => {
      const w = await loadFixture(aliceBorrowed16000);
      const debtUsd = 16_000n * E8;
      const lt = wad("0.825");
      const price = usd("2000");
      // HF = floor(floor(collateralUsd x LT / 1e18) x 1e18 / debtUsd) >= 1e18 <=> floor(collateralUsd x LT / 1e18) >= debtUsd
      // <=> collateralUsd >= ceil(debtUsd x 1e18 / LT) = 1,939,393,939,394 ($19,393.93939394).
      const minCollateralUsd = mulDivUp(debtUsd, WAD, lt);
      expect(minCollateralUsd).to.equal(1_939_393_939_394n);
      // collateralUsd = floor(weth x price / 1e18) >= minCollateralUsd <=> weth >= ceil(minCollateralUsd x 1e18 / price).
      const minWeth = mulDivUp(minCollateralUsd, ONE_WETH, price);
      const maxWithdrawal = 10n * ONE_WETH - minWeth;
      expect(maxWithdrawal).to.equal(303_030_303_030_000_000n);
      // One wei more leaves collateralUsd 1,939,393,939,393 -> weighted 1,599,999,999,999 -> HF 0.999999999999375.
      const hfOneWeiMore = wDivDown(wMulDown(mulDivDown(minWeth - 1n, price, ONE_WETH), lt), debtUsd);
      expect(hfOneWeiMore).to.equal(999_999_999_999_375_000n);

      await expect(w.pool.connect(w.alice).withdraw(w.wethAddress, maxWithdrawal + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "HealthFactorBelowOne")
        .withArgs(hfOneWeiMore);
      await expect(w.pool.connect(w.alice).withdraw(w.wethAddress, maxWithdrawal, w.alice.address))
        .to.emit(w.pool, "Withdraw")
        .withArgs(w.wethAddress, w.alice.address, w.alice.address, maxWithdrawal, maxWithdrawal * VIRTUAL_SHARES);
      const data = await w.pool.getUserAccountData(w.alice.address);
      expect(data.totalCollateralUsd).to.equal(minCollateralUsd);
      expect(data.healthFactor).to.equal(WAD);
      await expect(w.pool.connect(w.alice).withdraw(w.wethAddress, 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "HealthFactorBelowOne")
        .withArgs(hfOneWeiMore);
    });

    it("checks the health factor, not the LTV: a withdrawal may leave debt above the LTV limit", async () => {
      const w = await loadFixture(aliceBorrowed16000);
      // 0.1 WETH out: collateral $19,800, LTV limit $15,840 < debt $16,000, HF = 16,335 / 16,000 = 1.0209375.
      await expect(w.pool.connect(w.alice).withdraw(w.wethAddress, ONE_WETH / 10n, w.alice.address)).to.emit(
        w.pool,
        "Withdraw"
      );
      const data = await w.pool.getUserAccountData(w.alice.address);
      expect(data.availableBorrowsUsd).to.equal(0n);
      expect(data.healthFactor).to.equal(1_020_937_500_000_000_000n);
    });
  });

  describe("prices", () => {
    it("without debt, withdraws whatever the feed says: reverting, 0, negative or a year old", async () => {
      const w = await deployPoolWorld();
      const weth = await w.weth.getAddress();
      await w.supply(w.weth, w.alice, 10n * ONE_WETH);
      const asAlice = w.pool.connect(w.alice);

      await w.wethFeed.setRevertOnRead(true);
      await expect(asAlice.withdraw(weth, ONE_WETH, w.alice.address)).to.emit(w.pool, "Withdraw");
      await w.wethFeed.setRevertOnRead(false);
      await w.wethFeed.updateAnswer(0n);
      await expect(asAlice.withdraw(weth, ONE_WETH, w.alice.address)).to.emit(w.pool, "Withdraw");
      await w.wethFeed.updateAnswer(-1n);
      await expect(asAlice.withdraw(weth, ONE_WETH, w.alice.address)).to.emit(w.pool, "Withdraw");
      await w.wethFeed.updateAnswer(usd("2000"));
      await w.wethFeed.setLatestUpdatedAt((await latestTimestamp()) - SECONDS_PER_YEAR);
      await expect(asAlice.withdraw(weth, MAX_UINT256, w.alice.address))
        .to.emit(w.pool, "Withdraw")
        .withArgs(weth, w.alice.address, w.alice.address, 7n * ONE_WETH, 7n * ONE_WETH * VIRTUAL_SHARES);
    });

    it("with debt, accepts a WETH price exactly 3,600 s old and reverts StalePrice at 3,601 s", async () => {
      const w = await loadFixture(aliceBorrowed16000);
      const updatedAt = (await latestTimestamp()) + 10n;
      await at(updatedAt, () => w.wethFeed.updateAnswer(usd("2000")));
      // 0.1 WETH each: HF stays above 1 (first 1.0209375, then 19,600 x 0.825 / 16,000 = 1.010625).
      await expect(
        at(updatedAt + 3_600n, () => w.pool.connect(w.alice).withdraw(w.wethAddress, ONE_WETH / 10n, w.alice.address))
      ).to.emit(w.pool, "Withdraw");
      await expect(
        at(updatedAt + 3_601n, () => w.pool.connect(w.alice).withdraw(w.wethAddress, ONE_WETH / 10n, w.alice.address))
      )
        .to.be.revertedWithCustomError(w.pool, "StalePrice")
        .withArgs(w.wethAddress, updatedAt, 3_600n);
    });

    it("with debt, checks the debt asset's feed too: a stale USDC price (86,400 s limit) blocks a WETH withdrawal", async () => {
      const w = await loadFixture(aliceBorrowed16000);
      await w.wethFeed.updateAnswer(usd("2000"));
      const now = await latestTimestamp();
      await w.usdcFeed.setLatestUpdatedAt(now - 86_400n + 10n);
      await expect(
        at(now + 10n, () => w.pool.connect(w.alice).withdraw(w.wethAddress, ONE_WETH / 10n, w.alice.address))
      ).to.emit(w.pool, "Withdraw");
      await expect(
        at(now + 11n, () => w.pool.connect(w.alice).withdraw(w.wethAddress, ONE_WETH / 10n, w.alice.address))
      )
        .to.be.revertedWithCustomError(w.pool, "StalePrice")
        .withArgs(w.usdcAddress, now - 86_400n + 10n, 86_400n);
    });

    it("with debt, reverts InvalidPrice for a price of 0 or below, on the collateral or the debt asset", async () => {
      const w = await loadFixture(aliceBorrowed16000);
      const withdraw = () => w.pool.connect(w.alice).withdraw(w.wethAddress, ONE_WETH / 10n, w.alice.address);
      await w.wethFeed.updateAnswer(0n);
      await expect(withdraw()).to.be.revertedWithCustomError(w.pool, "InvalidPrice").withArgs(w.wethAddress, 0n);
      await w.wethFeed.updateAnswer(-1n);
      await expect(withdraw()).to.be.revertedWithCustomError(w.pool, "InvalidPrice").withArgs(w.wethAddress, -1n);
      await w.wethFeed.updateAnswer(usd("2000"));
      await w.usdcFeed.updateAnswer(0n);
      await expect(withdraw()).to.be.revertedWithCustomError(w.pool, "InvalidPrice").withArgs(w.usdcAddress, 0n);
      await w.usdcFeed.updateAnswer(1n); // $0.00000001: positive, so accepted
      await expect(withdraw()).to.emit(w.pool, "Withdraw");
    });

    it("with debt, lets a reverting feed's error through (FeedUnavailable)", async () => {
      const w = await loadFixture(aliceBorrowed16000);
      await w.usdcFeed.setRevertOnRead(true);
      await expect(
        w.pool.connect(w.alice).withdraw(w.wethAddress, ONE_WETH / 10n, w.alice.address)
      ).to.be.revertedWithCustomError(w.usdcFeed, "FeedUnavailable");
    });
  });
});
