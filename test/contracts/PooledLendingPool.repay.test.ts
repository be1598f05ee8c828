/**
 * repay and depositReserves.
 *
 * repay takes min(assets, debt) from the caller, where debt = ceil(shares x (totalBorrow + 1) /
 * (totalShares + 1e6)); it burns all of the borrower's shares when that is the whole debt, otherwise
 *   shares = floor(assets x (totalShares + 1e6) / (totalBorrow + 1))   (toSharesDown: the pool keeps the dust)
 * depositReserves adds to the reserve's reserves (its insurance fund), not to any supplier's balance.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, SECONDS_PER_YEAR, deployPoolWorld, wad } from "../helpers/pool";
import { ONE_USDC, ONE_WETH, VIRTUAL_SHARES, at, borrowedAtKink, mineAt, stateOf } from "../helpers/poolTest";

/** Zero interest. Bob supplies 100,000 USDC; Alice supplies 10 WETH and borrows 16,000 USDC. */
async function aliceBorrowed16000() {
  const w = await deployPoolWorld();
  const usdcAddress = await w.usdc.getAddress();
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.alice, 10n * ONE_WETH);
  await w.pool.connect(w.alice).borrow(usdcAddress, 16_000n * ONE_USDC, w.alice.address);
  await w.fund(w.usdc, w.alice, 0n); // approves the pool for Alice's borrowed USDC
  return { ...w, usdcAddress };
}

describe("PooledLendingPool.repay", () => {
  it("repays part of the debt, burning assets x 1e6 shares, and emits Repay", async () => {
    const w = await loadFixture(aliceBorrowed16000);
    expect(await w.pool.connect(w.alice).repay.staticCall(w.usdcAddress, 6_000n * ONE_USDC, w.alice.address)).to.equal(
      6_000n * ONE_USDC
    );
    // floor(6,000e6 x (1.6e16 + 1e6) / (16,000e6 + 1)) = 6e15 exactly
    await expect(w.pool.connect(w.alice).repay(w.usdcAddress, 6_000n * ONE_USDC, w.alice.address))
      .to.emit(w.pool, "Repay")
      .withArgs(w.usdcAddress, w.alice.address, w.alice.address, 6_000n * ONE_USDC, 6_000n * ONE_USDC * VIRTUAL_SHARES);
    expect(await w.usdc.balanceOf(w.alice.address)).to.equal(10_000n * ONE_USDC);
    expect(await w.pool.getUserReserve(w.usdcAddress, w.alice.address)).to.deep.equal([
      0n,
      10_000n * ONE_USDC * VIRTUAL_SHARES,
      0n,
      10_000n * ONE_USDC,
    ]);
  });

  it("after a year of interest burns toSharesDown: 1,000 USDC burns 961,538,461,538,923 shares (up would be ...924)", async () => {
    const w = await loadFixture(borrowedAtKink);
    // At t0 + 1 year: totalBorrowAssets 83,200e6, totalBorrowShares 8e16.
    // floor(1,000e6 x (8e16 + 1e6) / (83,200e6 + 1)) = floor(961,538,461,538,923.07)
    const burned = 961_538_461_538_923n;
    await w.fund(w.usdc, w.alice, 0n); // approves the pool for the borrowed USDC
    const tx = at(w.t0 + SECONDS_PER_YEAR, () =>
      w.pool.connect(w.alice).repay(w.usdcAddress, 1_000n * ONE_USDC, w.alice.address)
    );
    await expect(tx)
      .to.emit(w.pool, "InterestAccrued")
      .withArgs(w.usdcAddress, wad("0.04"), 3_200n * ONE_USDC, 320n * ONE_USDC);
    await expect(tx)
      .to.emit(w.pool, "Repay")
      .withArgs(w.usdcAddress, w.alice.address, w.alice.address, 1_000n * ONE_USDC, burned);
    const [, shares, , debt] = await w.pool.getUserReserve(w.usdcAddress, w.alice.address);
    expect(shares).to.equal(8n * 10n ** 16n - burned);
    // ceil((8e16 - burned) x (82,200e6 + 1) / (8e16 - burned + 1e6)) = 82,200 USDC
    expect(debt).to.equal(82_200n * ONE_USDC);
    expect((await w.pool.getReserveState(w.usdcAddress)).totalBorrowAssets).to.equal(82_200n * ONE_USDC);
  });

  it("repays the whole debt with type(uint256).max: exactly 83,200 USDC after a year, every share burned", async () => {
    const w = await loadFixture(borrowedAtKink);
    await w.fund(w.usdc, w.alice, 3_200n * ONE_USDC); // she holds the 80,000 borrowed plus this
    await mineAt(w.t0 + SECONDS_PER_YEAR);
    expect(await w.pool.connect(w.alice).repay.staticCall(w.usdcAddress, MAX_UINT256, w.alice.address)).to.equal(
      83_200n * ONE_USDC
    );
    await expect(
      at(w.t0 + SECONDS_PER_YEAR, () => w.pool.connect(w.alice).repay(w.usdcAddress, MAX_UINT256, w.alice.address))
    )
      .to.emit(w.pool, "Repay")
      .withArgs(w.usdcAddress, w.alice.address, w.alice.address, 83_200n * ONE_USDC, 8n * 10n ** 16n);
    expect(await w.usdc.balanceOf(w.alice.address)).to.equal(0n);
    expect(await w.pool.getUserReserve(w.usdcAddress, w.alice.address)).to.deep.equal([0n, 0n, 0n, 0n]);
    expect(stateOf(await w.pool.getReserveState(w.usdcAddress))).to.deep.equal({
      totalSupplyAssets: 102_880n * ONE_USDC,
      totalSupplyShares: 10n ** 17n,
      totalBorrowAssets: 0n,
      totalBorrowShares: 0n,
      reservesAssets: 320n * ONE_USDC,
      lastUpdate: w.t0 + SECONDS_PER_YEAR,
    });
  });

  it("takes only the debt when asked for more: 20,000 offered, 16,000 taken", async () => {
    const w = await loadFixture(aliceBorrowed16000);
    await w.fund(w.usdc, w.alice, 4_000n * ONE_USDC);
    expect(await w.pool.connect(w.alice).repay.staticCall(w.usdcAddress, 20_000n * ONE_USDC, w.alice.address)).to.equal(
      16_000n * ONE_USDC
    );
    await expect(w.pool.connect(w.alice).repay(w.usdcAddress, 20_000n * ONE_USDC, w.alice.address))
      .to.emit(w.pool, "Repay")
      .withArgs(
        w.usdcAddress,
        w.alice.address,
        w.alice.address,
        16_000n * ONE_USDC,
        16_000n * ONE_USDC * VIRTUAL_SHARES
      );
    expect(await w.usdc.balanceOf(w.alice.address)).to.equal(4_000n * ONE_USDC);
    expect(await w.pool.getUserReserve(w.usdcAddress, w.alice.address)).to.deep.equal([0n, 0n, 0n, 0n]);
  });

  it("repays on behalf of another: Carol pays Alice's whole debt, Alice keeps her USDC", async () => {
    const w = await loadFixture(aliceBorrowed16000);
    await w.fund(w.usdc, w.carol, 16_000n * ONE_USDC);
    await expect(w.pool.connect(w.carol).repay(w.usdcAddress, MAX_UINT256, w.alice.address))
      .to.emit(w.pool, "Repay")
      .withArgs(
        w.usdcAddress,
        w.alice.address,
        w.carol.address,
        16_000n * ONE_USDC,
        16_000n * ONE_USDC * VIRTUAL_SHARES
      );
    expect(await w.usdc.balanceOf(w.carol.address)).to.equal(0n);
    expect(await w.usdc.balanceOf(w.alice.address)).to.equal(16_000n * ONE_USDC);
    const [, aliceShares, , aliceDebt] = await w.pool.getUserReserve(w.usdcAddress, w.alice.address);
    expect([aliceShares, aliceDebt]).to.deep.equal([0n, 0n]);
  });

  it("needs no price: repays while every feed reverts", async () => {
    const w = await loadFixture(aliceBorrowed16000);
    await w.wethFeed.setRevertOnRead(true);
    await w.usdcFeed.setRevertOnRead(true);
    await expect(w.pool.connect(w.alice).repay(w.usdcAddress, ONE_USDC, w.alice.address)).to.emit(w.pool, "Repay");
  });

  it("reverts NoDebtToRepay for a user without debt (also after a full repayment), ZeroAmount and ReserveNotListed", async () => {
    const w = await loadFixture(aliceBorrowed16000);
    const asAlice = w.pool.connect(w.alice);
    await expect(asAlice.repay(w.usdcAddress, ONE_USDC, w.bob.address)).to.be.revertedWithCustomError(
      w.pool,
      "NoDebtToRepay"
    );
    await expect(asAlice.repay(await w.weth.getAddress(), 1n, w.alice.address)).to.be.revertedWithCustomError(
      w.pool,
      "NoDebtToRepay"
    );
    await expect(asAlice.repay(w.usdcAddress, 0n, w.alice.address)).to.be.revertedWithCustomError(w.pool, "ZeroAmount");
    await expect(asAlice.repay(w.bob.address, ONE_USDC, w.alice.address))
      .to.be.revertedWithCustomError(w.pool, "ReserveNotListed")
      .withArgs(w.bob.address);
    await asAlice.repay(w.usdcAddress, MAX_UINT256, w.alice.address);
    await expect(asAlice.repay(w.usdcAddress, 1n, w.alice.address)).to.be.revertedWithCustomError(
      w.pool,
      "NoDebtToRepay"
    );
  });
});

describe("PooledLendingPool.depositReserves", () => {
  it("adds exactly the deposit to reservesAssets, emits ReservesDeposited and leaves suppliers' balances alone", async () => {
    const w = await loadFixture(aliceBorrowed16000);
    await w.fund(w.usdc, w.carol, 500n * ONE_USDC);
    const poolBalanceBefore = await w.usdc.balanceOf(await w.pool.getAddress());
    await expect(w.pool.connect(w.carol).depositReserves(w.usdcAddress, 500n * ONE_USDC))
      .to.emit(w.pool, "ReservesDeposited")
      .withArgs(w.usdcAddress, w.carol.address, 500n * ONE_USDC);
    expect((await w.usdc.balanceOf(await w.pool.getAddress())) - poolBalanceBefore).to.equal(500n * ONE_USDC);
    expect(await w.usdc.balanceOf(w.carol.address)).to.equal(0n);
    const s = await w.pool.getReserveState(w.usdcAddress);
    expect([s.reservesAssets, s.totalSupplyAssets, s.totalSupplyShares]).to.deep.equal([
      500n * ONE_USDC,
      100_000n * ONE_USDC,
      100_000n * ONE_USDC * VIRTUAL_SHARES,
    ]);
    expect(await w.pool.getUserReserve(w.usdcAddress, w.carol.address)).to.deep.equal([0n, 0n, 0n, 0n]);
  });

  it("accrues first: after a year, 1,000 deposited on top of the 320 interest cut makes 1,320, and the rate falls below the kink", async () => {
    const w = await loadFixture(borrowedAtKink);
    await w.fund(w.usdc, w.carol, 1_000n * ONE_USDC);
    const tx = at(w.t0 + SECONDS_PER_YEAR, () =>
      w.pool.connect(w.carol).depositReserves(w.usdcAddress, 1_000n * ONE_USDC)
    );
    await expect(tx)
      .to.emit(w.pool, "InterestAccrued")
      .withArgs(w.usdcAddress, wad("0.04"), 3_200n * ONE_USDC, 320n * ONE_USDC);
    await expect(tx)
      .to.emit(w.pool, "ReservesDeposited")
      .withArgs(w.usdcAddress, w.carol.address, 1_000n * ONE_USDC);
    expect((await w.pool.getReserveState(w.usdcAddress)).reservesAssets).to.equal(1_320n * ONE_USDC);
    // U = floor(83,200 / (102,880 + 1,320) x 1e18) = 0.798464491362763915; rate = floor(0.04 x U / 0.8)
    expect(await w.pool.getBorrowRate(w.usdcAddress)).to.equal(39_923_224_568_138_195n);
  });

  it("rejects a zero amount and an unlisted asset", async () => {
    const w = await loadFixture(aliceBorrowed16000);
    await expect(w.pool.connect(w.alice).depositReserves(w.usdcAddress, 0n)).to.be.revertedWithCustomError(
      w.pool,
      "ZeroAmount"
    );
    await expect(w.pool.connect(w.alice).depositReserves(w.alice.address, 1n))
      .to.be.revertedWithCustomError(w.pool, "ReserveNotListed")
      .withArgs(w.alice.address);
  });
});
