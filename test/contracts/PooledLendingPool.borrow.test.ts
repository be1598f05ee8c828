/**
 * borrow: the LTV limit to the unit, collateral, borrowing switch, liquidity, fresh and valid prices of
 * every reserve the borrower holds, credit delegation, and debt shares minted with toSharesUp:
 *   shares = ceil(assets x (totalBorrowShares + 1e6) / (totalBorrowAssets + 1))
 *
 * World: WETH $2,000 (LTV 80%), WBTC $60,000 (LTV 70%), USDC $1; max price age 3,600 s for WETH and
 * WBTC, 86,400 s for USDC; zero interest unless stated. USD values have 8 decimals, so 1 USDC unit
 * (1e-6) is worth 100 USD units: debtUsd = ceil(usdc x 1e8 / 1e6).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, SECONDS_PER_YEAR, deployPoolWorld, usd } from "../helpers/pool";
import {
  KINKED_CURVE,
  ONE_USDC,
  ONE_WBTC,
  ONE_WETH,
  VIRTUAL_SHARES,
  at,
  configOf,
  latestTimestamp,
} from "../helpers/poolTest";

/** Bob supplies 100,000 USDC and 10 WBTC; Alice supplies 10 WETH ($20,000: LTV limit $16,000). */
async function aliceHas10Weth() {
  const w = await deployPoolWorld();
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.wbtc, w.bob, 10n * ONE_WBTC);
  await w.supply(w.weth, w.alice, 10n * ONE_WETH);
  return {
    ...w,
    usdcAddress: await w.usdc.getAddress(),
    wethAddress: await w.weth.getAddress(),
    wbtcAddress: await w.wbtc.getAddress(),
  };
}

/** As above, plus 0.1 WBTC of Alice's ($6,000, LTV limit $4,200): she holds WETH and WBTC. */
async function aliceHasWethAndWbtc() {
  const w = await aliceHas10Weth();
  await w.supply(w.wbtc, w.alice, ONE_WBTC / 10n);
  return w;
}

describe("PooledLendingPool.borrow", () => {
  describe("LTV limit", () => {
    it("borrows exactly the LTV limit (10 WETH x $2,000 x 0.8 = 16,000 USDC) and reverts LtvExceeded one unit above", async () => {
      const w = await loadFixture(aliceHas10Weth);
      // debtUsd = ceil(16,000.000001e6 x 1e8 / 1e6) = 1,600,000,000,100; capacity floor(2,000,000,000,000 x 0.8) = 1,600,000,000,000
      await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, 16_000n * ONE_USDC + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "LtvExceeded")
        .withArgs(1_600_000_000_100n, usd("16000"));
      expect(
        await w.pool.connect(w.alice).borrow.staticCall(w.usdcAddress, 16_000n * ONE_USDC, w.alice.address)
      ).to.equal(16_000n * ONE_USDC * VIRTUAL_SHARES);
      await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, 16_000n * ONE_USDC, w.alice.address))
        .to.emit(w.pool, "Borrow")
        .withArgs(
          w.usdcAddress,
          w.alice.address,
          w.alice.address,
          16_000n * ONE_USDC,
          16_000n * ONE_USDC * VIRTUAL_SHARES
        );
      expect(await w.usdc.balanceOf(w.alice.address)).to.equal(16_000n * ONE_USDC);
      expect(await w.pool.getUserReserve(w.usdcAddress, w.alice.address)).to.deep.equal([
        0n,
        16_000n * ONE_USDC * VIRTUAL_SHARES,
        0n,
        16_000n * ONE_USDC,
      ]);
      const data = await w.pool.getUserAccountData(w.alice.address);
      expect(data.availableBorrowsUsd).to.equal(0n);
      expect(data.healthFactor).to.equal(1_031_250_000_000_000_000n); // 16,500 / 16,000
    });

    it("counts earlier debt: after 10,000 USDC, 6,000 more passes, 6,000.000001 and then 1 unit more revert", async () => {
      const w = await loadFixture(aliceHas10Weth);
      const borrow = (assets: bigint) => w.pool.connect(w.alice).borrow(w.usdcAddress, assets, w.alice.address);
      await borrow(10_000n * ONE_USDC);
      await expect(borrow(6_000n * ONE_USDC + 1n))
        .to.be.revertedWithCustomError(w.pool, "LtvExceeded")
        .withArgs(1_600_000_000_100n, usd("16000"));
      await expect(borrow(6_000n * ONE_USDC)).to.emit(w.pool, "Borrow");
      await expect(borrow(1n))
        .to.be.revertedWithCustomError(w.pool, "LtvExceeded")
        .withArgs(1_600_000_000_100n, usd("16000"));
    });

    it("adds the debt of every reserve: 0.1 WBTC ($6,000) borrowed leaves exactly 10,000 USDC of capacity", async () => {
      const w = await loadFixture(aliceHas10Weth);
      await w.pool.connect(w.alice).borrow(w.wbtcAddress, ONE_WBTC / 10n, w.alice.address);
      // debtUsd = 6,000e8 (WBTC) + ceil(10,000.000001e6 x 100) = 1,600,000,000,100
      await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, 10_000n * ONE_USDC + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "LtvExceeded")
        .withArgs(1_600_000_000_100n, usd("16000"));
      await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, 10_000n * ONE_USDC, w.alice.address)).to.emit(
        w.pool,
        "Borrow"
      );
    });

    it("reverts LtvExceeded(100, 0) without collateral, and with collateral whose LTV is 0", async () => {
      const w = await loadFixture(aliceHas10Weth);
      await expect(w.pool.connect(w.carol).borrow(w.usdcAddress, 1n, w.carol.address))
        .to.be.revertedWithCustomError(w.pool, "LtvExceeded")
        .withArgs(100n, 0n);
      // WETH keeps its 82.5% threshold (it still counts for the health factor) but lends nothing.
      await w.pool.setReserveConfig(w.wethAddress, {
        ...configOf(await w.pool.getReserveConfig(w.wethAddress)),
        ltvWad: 0n,
      });
      await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "LtvExceeded")
        .withArgs(100n, 0n);
    });
  });

  it("reverts BorrowingDisabled for a reserve with borrowing switched off", async () => {
    const w = await deployPoolWorld({ wbtc: { borrowingEnabled: false } });
    await w.supply(w.wbtc, w.bob, ONE_WBTC);
    await w.supply(w.weth, w.alice, 10n * ONE_WETH);
    const wbtc = await w.wbtc.getAddress();
    await expect(w.pool.connect(w.alice).borrow(wbtc, 1n, w.alice.address))
      .to.be.revertedWithCustomError(w.pool, "BorrowingDisabled")
      .withArgs(wbtc);
  });

  it("borrows the reserve's whole liquidity (100,000 USDC) and reverts InsufficientLiquidity one unit above", async () => {
    const w = await loadFixture(aliceHas10Weth);
    await w.supply(w.weth, w.alice, 90n * ONE_WETH); // 100 WETH: capacity $160,000
    await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, 100_000n * ONE_USDC + 1n, w.alice.address))
      .to.be.revertedWithCustomError(w.pool, "InsufficientLiquidity")
      .withArgs(w.usdcAddress, 100_000n * ONE_USDC + 1n, 100_000n * ONE_USDC);
    await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, 100_000n * ONE_USDC, w.alice.address)).to.emit(
      w.pool,
      "Borrow"
    );
    await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, 1n, w.alice.address))
      .to.be.revertedWithCustomError(w.pool, "InsufficientLiquidity")
      .withArgs(w.usdcAddress, 1n, 0n);
  });

  it("rejects 0 (ZeroAmount), onBehalfOf == 0 (ZeroAddress) and an unlisted asset (ReserveNotListed)", async () => {
    const w = await loadFixture(aliceHas10Weth);
    const asAlice = w.pool.connect(w.alice);
    await expect(asAlice.borrow(w.usdcAddress, 0n, w.alice.address)).to.be.revertedWithCustomError(
      w.pool,
      "ZeroAmount"
    );
    await expect(asAlice.borrow(w.usdcAddress, ONE_USDC, ethers.ZeroAddress)).to.be.revertedWithCustomError(
      w.pool,
      "ZeroAddress"
    );
    await expect(asAlice.borrow(w.bob.address, ONE_USDC, w.alice.address))
      .to.be.revertedWithCustomError(w.pool, "ReserveNotListed")
      .withArgs(w.bob.address);
  });

  describe("prices of every reserve the borrower holds", () => {
    it("accepts collateral prices exactly 3,600 s old and reverts StalePrice at 3,601 s, for WETH and then for WBTC", async () => {
      const w = await loadFixture(aliceHasWethAndWbtc);
      const updatedAt = (await latestTimestamp()) + 10n;
      await at(updatedAt, () => w.wbtcFeed.updateAnswer(usd("60000")));
      await at(updatedAt, () => w.wethFeed.updateAnswer(usd("2000")));
      await expect(
        at(updatedAt + 3_600n, () => w.pool.connect(w.alice).borrow(w.usdcAddress, ONE_USDC, w.alice.address))
      ).to.emit(w.pool, "Borrow");
      await expect(
        at(updatedAt + 3_601n, () => w.pool.connect(w.alice).borrow(w.usdcAddress, ONE_USDC, w.alice.address))
      )
        .to.be.revertedWithCustomError(w.pool, "StalePrice")
        .withArgs(w.wethAddress, updatedAt, 3_600n); // WETH is listed first, so its age is checked first
      await at(updatedAt + 3_601n, () => w.wethFeed.updateAnswer(usd("2000")));
      await expect(
        at(updatedAt + 3_601n, () => w.pool.connect(w.alice).borrow(w.usdcAddress, ONE_USDC, w.alice.address))
      )
        .to.be.revertedWithCustomError(w.pool, "StalePrice")
        .withArgs(w.wbtcAddress, updatedAt, 3_600n);
    });

    it("checks the borrowed asset's own price: USDC at 0 reverts InvalidPrice(usdc, 0)", async () => {
      const w = await loadFixture(aliceHasWethAndWbtc);
      await w.usdcFeed.updateAnswer(0n);
      await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, ONE_USDC, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "InvalidPrice")
        .withArgs(w.usdcAddress, 0n);
    });

    it("reverts InvalidPrice for a negative collateral price and lets a reverting collateral feed's error through", async () => {
      const w = await loadFixture(aliceHasWethAndWbtc);
      await w.wbtcFeed.updateAnswer(-1n);
      await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, ONE_USDC, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "InvalidPrice")
        .withArgs(w.wbtcAddress, -1n);
      await w.wbtcFeed.updateAnswer(usd("60000"));
      await w.wbtcFeed.setRevertOnRead(true);
      await expect(
        w.pool.connect(w.alice).borrow(w.usdcAddress, ONE_USDC, w.alice.address)
      ).to.be.revertedWithCustomError(w.wbtcFeed, "FeedUnavailable");
    });

    it("ignores the feeds of reserves the borrower does not hold (WBTC reverting, then a year old)", async () => {
      const w = await loadFixture(aliceHas10Weth);
      await w.wbtcFeed.setRevertOnRead(true);
      await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, ONE_USDC, w.alice.address)).to.emit(w.pool, "Borrow");
      await w.wbtcFeed.setRevertOnRead(false);
      await w.wbtcFeed.setLatestUpdatedAt((await latestTimestamp()) - SECONDS_PER_YEAR);
      await expect(w.pool.connect(w.alice).borrow(w.usdcAddress, ONE_USDC, w.alice.address)).to.emit(w.pool, "Borrow");
    });
  });

  describe("credit delegation", () => {
    it("lets Bob borrow as Alice's debt up to the allowance: spends it exactly, reverts 1 unit beyond, 0 left at the end", async () => {
      const w = await loadFixture(aliceHas10Weth);
      await expect(w.pool.connect(w.alice).approveDelegation(w.bob.address, w.usdcAddress, 1_000n * ONE_USDC))
        .to.emit(w.pool, "BorrowAllowanceDelegated")
        .withArgs(w.alice.address, w.bob.address, w.usdcAddress, 1_000n * ONE_USDC);
      const bobUsdcBefore = await w.usdc.balanceOf(w.bob.address);

      await expect(w.pool.connect(w.bob).borrow(w.usdcAddress, 400n * ONE_USDC, w.alice.address))
        .to.emit(w.pool, "Borrow")
        .withArgs(w.usdcAddress, w.alice.address, w.bob.address, 400n * ONE_USDC, 400n * ONE_USDC * VIRTUAL_SHARES);
      expect(await w.pool.borrowAllowance(w.alice.address, w.bob.address, w.usdcAddress)).to.equal(600n * ONE_USDC);
      expect((await w.usdc.balanceOf(w.bob.address)) - bobUsdcBefore).to.equal(400n * ONE_USDC);
      expect(await w.pool.getUserReserve(w.usdcAddress, w.alice.address)).to.deep.equal([
        0n,
        400n * ONE_USDC * VIRTUAL_SHARES,
        0n,
        400n * ONE_USDC,
      ]);
      const [, bobDebtShares] = await w.pool.getUserReserve(w.usdcAddress, w.bob.address);
      expect(bobDebtShares).to.equal(0n);

      await expect(w.pool.connect(w.bob).borrow(w.usdcAddress, 600n * ONE_USDC + 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "InsufficientBorrowAllowance")
        .withArgs(600n * ONE_USDC + 1n, 600n * ONE_USDC);
      await w.pool.connect(w.bob).borrow(w.usdcAddress, 600n * ONE_USDC, w.alice.address);
      expect(await w.pool.borrowAllowance(w.alice.address, w.bob.address, w.usdcAddress)).to.equal(0n);
      await expect(w.pool.connect(w.bob).borrow(w.usdcAddress, 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "InsufficientBorrowAllowance")
        .withArgs(1n, 0n);
    });

    it("scopes an allowance to one delegatee and one asset", async () => {
      const w = await loadFixture(aliceHas10Weth);
      await w.pool.connect(w.alice).approveDelegation(w.bob.address, w.usdcAddress, 1_000n * ONE_USDC);
      await expect(w.pool.connect(w.carol).borrow(w.usdcAddress, 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "InsufficientBorrowAllowance")
        .withArgs(1n, 0n);
      await expect(w.pool.connect(w.bob).borrow(w.wbtcAddress, 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "InsufficientBorrowAllowance")
        .withArgs(1n, 0n);
    });

    it("does not decrement a type(uint256).max allowance, and the delegator's LTV still binds", async () => {
      const w = await loadFixture(aliceHas10Weth);
      await w.pool.connect(w.alice).approveDelegation(w.bob.address, w.usdcAddress, MAX_UINT256);
      await w.pool.connect(w.bob).borrow(w.usdcAddress, 16_000n * ONE_USDC, w.alice.address);
      expect(await w.pool.borrowAllowance(w.alice.address, w.bob.address, w.usdcAddress)).to.equal(MAX_UINT256);
      await expect(w.pool.connect(w.bob).borrow(w.usdcAddress, 1n, w.alice.address))
        .to.be.revertedWithCustomError(w.pool, "LtvExceeded")
        .withArgs(1_600_000_000_100n, usd("16000"));
    });

    it("replaces, not adds to, an allowance on a new approval", async () => {
      const w = await loadFixture(aliceHas10Weth);
      await w.pool.connect(w.alice).approveDelegation(w.bob.address, w.usdcAddress, 1_000n * ONE_USDC);
      await w.pool.connect(w.alice).approveDelegation(w.bob.address, w.usdcAddress, 5n * ONE_USDC);
      expect(await w.pool.borrowAllowance(w.alice.address, w.bob.address, w.usdcAddress)).to.equal(5n * ONE_USDC);
    });
  });

  it("after a year of interest mints toSharesUp: 1,000 USDC -> 961,538,461,538,924 shares (down would be ...923), a debt of 1,000.000001", async () => {
    const w = await deployPoolWorld({ usdc: KINKED_CURVE });
    const usdc = await w.usdc.getAddress();
    await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
    await w.supply(w.weth, w.alice, 100n * ONE_WETH);
    await w.supply(w.weth, w.carol, 10n * ONE_WETH);
    const t0 = (await latestTimestamp()) + 10n;
    await at(t0, () => w.pool.connect(w.alice).borrow(usdc, 80_000n * ONE_USDC, w.alice.address));
    // After a year at 4%: totalBorrowAssets 83,200e6, totalBorrowShares 8e16.
    // shares = ceil(1,000e6 x (8e16 + 1e6) / (83,200e6 + 1)) = ceil(961,538,461,538,923.07)
    const shares = 961_538_461_538_924n;
    // Borrowing needs fresh prices of WETH (Carol's collateral) and USDC.
    await at(t0 + SECONDS_PER_YEAR, () => w.wethFeed.updateAnswer(usd("2000")));
    await at(t0 + SECONDS_PER_YEAR, () => w.usdcFeed.updateAnswer(usd("1")));
    await expect(
      at(t0 + SECONDS_PER_YEAR, () => w.pool.connect(w.carol).borrow(usdc, 1_000n * ONE_USDC, w.carol.address))
    )
      .to.emit(w.pool, "Borrow")
      .withArgs(usdc, w.carol.address, w.carol.address, 1_000n * ONE_USDC, shares);
    // Carol's debt: ceil(shares x (84,200e6 + 1) / (8e16 + shares + 1e6)) = 1,000.000001 USDC.
    const [, carolShares, , carolDebt] = await w.pool.getUserReserve(usdc, w.carol.address);
    expect(carolShares).to.equal(shares);
    expect(carolDebt).to.equal(1_000n * ONE_USDC + 1n);
    const s = await w.pool.getReserveState(usdc);
    expect([s.totalBorrowAssets, s.totalBorrowShares]).to.deep.equal([84_200n * ONE_USDC, 8n * 10n ** 16n + shares]);
  });
});
