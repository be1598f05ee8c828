/**
 * The views (price, healthFactor, position, states) and IsolatedMarketLens, which must equal them read
 * in the same block.
 *   price = floor(collateralPriceE8 x 10^(36 + loanDecimals - collateralDecimals) / loanPriceE8):
 *     market 0 (WETH/USDC) 2,000e8 x 1e24 / 1e8 = 2e27;  market 1 (WBTC/USDC) 60,000e8 x 1e34 / 1e8 = 6e38;
 *     market 2 (USDC/WETH) 1e8 x 1e48 / 2,000e8 = 5e44.
 * The views never check a price's age; an answer <= 0 reverts (the collateral feed is read first). The
 * health factor of a position without debt is type(uint256).max without reading any price.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, SECONDS_PER_YEAR, usd, wad } from "../helpers/pool";
import { latestTimestamp, mineAt } from "../helpers/poolTest";
import { ONE_USDC, ONE_WETH, USDC_WETH, WBTC_USDC, WETH_USDC, borrowedAtKink, deployIsolatedWorld, marketStateOf } from "../helpers/isolated";

/**
 * Zero interest, market 0. Bob supplies 100,000 USDC; Alice posts 10 WETH and borrows 10,000 USDC
 * (HF = 17,200 / 10,000 = 1.72); Carol posts 1 WETH and borrows nothing; Dave has nothing.
 */
async function lensWorld() {
  const w = await deployIsolatedWorld();
  const [dave] = w.others;
  if (!dave) throw new Error("need 6 signers");
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supplyCollateral(WETH_USDC, w.alice, 10n * ONE_WETH);
  await w.market.connect(w.alice).borrow(WETH_USDC, 10_000n * ONE_USDC, w.alice.address);
  await w.supplyCollateral(WETH_USDC, w.carol, ONE_WETH);
  return { ...w, dave, users: [w.alice.address, w.bob.address, w.carol.address, dave.address] };
}

describe("IsolatedLendingMarket views and IsolatedMarketLens", () => {
  describe("price", () => {
    it("is 2e27, 6e38 and 5e44 in the three markets", async () => {
      const w = await loadFixture(deployIsolatedWorld);
      expect(await w.market.price(WETH_USDC)).to.equal(2n * 10n ** 27n);
      expect(await w.market.price(WBTC_USDC)).to.equal(6n * 10n ** 38n);
      expect(await w.market.price(USDC_WETH)).to.equal(5n * 10n ** 44n);
    });

    it("rounds down: USDC at $0.99999999 gives 2,000,000,020,000,000,200,000,002,000 and 4.99999995e44", async () => {
      const w = await loadFixture(deployIsolatedWorld);
      await w.usdcFeed.updateAnswer(99_999_999n);
      // floor(2,000e8 x 1e24 / 99,999,999) and floor(99,999,999 x 1e48 / 2,000e8)
      expect(await w.market.price(WETH_USDC)).to.equal(2_000_000_020_000_000_200_000_002_000n);
      expect(await w.market.price(USDC_WETH)).to.equal(499_999_995n * 10n ** 36n);
      // WETH at $1,234.56789012: floor(123,456,789,012 x 1e24 / 99,999,999)
      await w.wethFeed.updateAnswer(123_456_789_012n);
      expect(await w.market.price(WETH_USDC)).to.equal(1_234_567_902_465_679_024_656_790_246n);
    });

    it("ignores staleness and reverts InvalidPrice for an answer <= 0, the collateral feed first", async () => {
      const w = await loadFixture(deployIsolatedWorld);
      await w.wethFeed.setLatestUpdatedAt((await latestTimestamp()) - 10n * 86_400n);
      expect(await w.market.price(WETH_USDC)).to.equal(2n * 10n ** 27n);
      await w.usdcFeed.updateAnswer(-5n);
      await expect(w.market.price(WETH_USDC))
        .to.be.revertedWithCustomError(w.market, "InvalidPrice")
        .withArgs(await w.usdcFeed.getAddress(), -5n);
      await w.wethFeed.updateAnswer(0n);
      await expect(w.market.price(WETH_USDC))
        .to.be.revertedWithCustomError(w.market, "InvalidPrice")
        .withArgs(await w.wethFeed.getAddress(), 0n);
    });
  });

  describe("healthFactor", () => {
    it("is 1.72 for Alice, max uint for the others, and follows the price without an age check", async () => {
      const w = await loadFixture(lensWorld);
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(wad("1.72"));
      for (const user of [w.bob.address, w.carol.address, w.dave.address]) {
        expect(await w.market.healthFactor(WETH_USDC, user)).to.equal(MAX_UINT256);
      }
      await w.wethFeed.updateAnswer(usd("1000"));
      await w.wethFeed.setLatestUpdatedAt((await latestTimestamp()) - 10n * 86_400n);
      // 10 x 1,000 x 0.86 / 10,000
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(wad("0.86"));
    });

    it("reverts InvalidPrice for a debtor when a feed answers 0, still max uint for a position without debt", async () => {
      const w = await loadFixture(lensWorld);
      await w.wethFeed.updateAnswer(0n);
      await expect(w.market.healthFactor(WETH_USDC, w.alice.address))
        .to.be.revertedWithCustomError(w.market, "InvalidPrice")
        .withArgs(await w.wethFeed.getAddress(), 0n);
      expect(await w.market.healthFactor(WETH_USDC, w.carol.address)).to.equal(MAX_UINT256);
    });
  });

  describe("IsolatedMarketLens.getPositions", () => {
    it("returns shares, collateral, assets and the market's health factor for every user, in order", async () => {
      const w = await loadFixture(lensWorld);
      const snapshots = await w.lens.getPositions(w.marketAddress, WETH_USDC, w.users);
      expect(snapshots.map((s) => [...s])).to.deep.equal([
        [0n, 10_000n * 10n ** 12n, 10n * ONE_WETH, 0n, 10_000n * ONE_USDC, wad("1.72")],
        [10n ** 17n, 0n, 0n, 100_000n * ONE_USDC, 0n, MAX_UINT256],
        [0n, 0n, ONE_WETH, 0n, 0n, MAX_UINT256],
        [0n, 0n, 0n, 0n, 0n, MAX_UINT256],
      ]);
      for (const [i, user] of w.users.entries()) {
        const p = await w.market.position(WETH_USDC, user);
        const s = snapshots[i];
        if (!s) throw new Error("missing snapshot");
        expect([s.supplyShares, s.borrowShares, s.collateral], user).to.deep.equal([...p]);
        expect(s.healthFactorWad, user).to.equal(await w.market.healthFactor(WETH_USDC, user));
      }
    });

    it("values with interest accrued to the block: Alice owes 83,200 USDC and Bob holds 103,199.999999 a year on", async () => {
      const w = await loadFixture(borrowedAtKink);
      await mineAt(w.t0 + SECONDS_PER_YEAR);
      const [alice, bob] = await w.lens.getPositions(w.marketAddress, WETH_USDC, [w.alice.address, w.bob.address]);
      expect(alice?.borrowAssets).to.equal(83_200n * ONE_USDC);
      expect(bob?.supplyAssets).to.equal(103_199_999_999n);
      // 100 WETH x 2,000 x 0.86 / 83,200 = 2.067307692307692307
      expect(alice?.healthFactorWad).to.equal(2_067_307_692_307_692_307n);
      expect(alice?.healthFactorWad).to.equal(await w.market.healthFactor(WETH_USDC, w.alice.address));
    });

    it("gives a debtor health factor 0 while a feed answers 0 or reverts; positions without debt keep max uint", async () => {
      const w = await loadFixture(lensWorld);
      await w.usdcFeed.updateAnswer(0n);
      let snapshots = await w.lens.getPositions(w.marketAddress, WETH_USDC, w.users);
      expect(snapshots.map((s) => s.healthFactorWad)).to.deep.equal([0n, MAX_UINT256, MAX_UINT256, MAX_UINT256]);
      expect(snapshots[0]?.borrowAssets).to.equal(10_000n * ONE_USDC);
      await w.usdcFeed.updateAnswer(usd("1"));
      await w.wethFeed.setRevertOnRead(true);
      snapshots = await w.lens.getPositions(w.marketAddress, WETH_USDC, w.users);
      expect(snapshots.map((s) => s.healthFactorWad)).to.deep.equal([0n, MAX_UINT256, MAX_UINT256, MAX_UINT256]);
    });
  });

  describe("IsolatedMarketLens.getMarketSnapshot", () => {
    it("equals the market's expected state, price, LIF and borrow rate, with both feeds' latest rounds", async () => {
      const w = await loadFixture(borrowedAtKink);
      const t = w.t0 + SECONDS_PER_YEAR;
      await mineAt(t);
      const snap = await w.lens.getMarketSnapshot(w.marketAddress, WETH_USDC);
      expect(marketStateOf(snap.state)).to.deep.equal(marketStateOf(await w.market.expectedMarketState(WETH_USDC)));
      expect(snap.state.totalBorrowAssets).to.equal(83_200n * ONE_USDC);
      expect(snap.price).to.equal(2n * 10n ** 27n);
      expect(snap.liquidationIncentiveFactorWad).to.equal(1_043_841_336_116_910_229n);
      // U = 83,200 / 103,200 = 0.806201550387596899: 0.04 + floor(0.75 x 0.006201550387596899 / 0.2)
      expect(snap.borrowRateWad).to.equal(await w.market.borrowRate(WETH_USDC));
      expect(snap.borrowRateWad).to.equal(63_255_813_953_488_371n);
      const weth = await w.wethFeed.latestRoundData();
      const usdc = await w.usdcFeed.latestRoundData();
      expect([...snap.collateralFeed]).to.deep.equal([true, weth.answer, weth.updatedAt]);
      expect([...snap.loanFeed]).to.deep.equal([true, usdc.answer, usdc.updatedAt]);
    });

    it("reports price 0 when the market cannot price: a feed answering 0 (feed ok) or reverting (feed not ok)", async () => {
      const w = await loadFixture(lensWorld);
      await w.wethFeed.updateAnswer(0n);
      let snap = await w.lens.getMarketSnapshot(w.marketAddress, WETH_USDC);
      expect(snap.price).to.equal(0n);
      expect([snap.collateralFeed.ok, snap.collateralFeed.answer]).to.deep.equal([true, 0n]);
      await w.wethFeed.setRevertOnRead(true);
      snap = await w.lens.getMarketSnapshot(w.marketAddress, WETH_USDC);
      expect(snap.price).to.equal(0n);
      expect([...snap.collateralFeed]).to.deep.equal([false, 0n, 0n]);
      expect(snap.loanFeed.ok).to.equal(true);
      expect(snap.state.totalBorrowAssets).to.equal(10_000n * ONE_USDC);
    });
  });

  it("marketState is the stored state, expectedMarketState the same accrued to the block", async () => {
    const w = await loadFixture(borrowedAtKink);
    await mineAt(w.t0 + SECONDS_PER_YEAR / 4n);
    const stored = marketStateOf(await w.market.marketState(WETH_USDC));
    const expected = marketStateOf(await w.market.expectedMarketState(WETH_USDC));
    expect(stored.lastUpdate).to.equal(w.t0);
    expect(stored.totalBorrowAssets).to.equal(80_000n * ONE_USDC);
    // A quarter year at 4%: 800 USDC.
    expect(expected).to.deep.equal({
      ...stored,
      lastUpdate: w.t0 + SECONDS_PER_YEAR / 4n,
      totalBorrowAssets: 80_800n * ONE_USDC,
      totalSupplyAssets: 100_800n * ONE_USDC,
    });
  });
});
