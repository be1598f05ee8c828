/**
 * liquidate against hand-computed figures (Morpho Blue's math).
 *
 * World: market 0 lends USDC against WETH at LLTV 86%, zero interest. Bob supplies 100,000 USDC; Alice
 * posts 10 WETH and borrows 17,200 USDC, exactly her limit at $2,000 (10 x 2,000 x 0.86), so HF is 1.
 * An empty market mints 1e6 shares per asset unit and keeps that ratio without interest, so Alice holds
 * 17,200e12 borrow shares and toAssets/toShares are exact multiplications by 1e6 until bad debt.
 *   LIF   = min(1.15, 1 / (1 - 0.3 x (1 - 0.86))) = floor(1e36 / 0.958e18) = 1.043841336116910229
 *   price = priceE8(WETH) x 10^(36 + 6 - 18) / priceE8(USDC): $1,900 -> 1.9e27, $1,500 -> 1.5e27
 *   maxBorrow = floor(floor(collateral x price / 1e36) x 0.86);  borrowed = toAssetsUp(borrowShares)
 * Seize-given:  repaidShares = toSharesUp(ceil(ceil(seized x price / 1e36) x 1e18 / LIF))
 * Repay-given:  seized = floor(floor(toAssetsDown(shares) x LIF / 1e18) x 1e36 / price)
 *   repaidAssets = toAssetsUp(repaidShares)
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, WAD, usd } from "../helpers/pool";
import { at, latestTimestamp } from "../helpers/poolTest";
import { ONE_USDC, ONE_WETH, VIRTUAL_SHARES, WBTC_USDC, WETH_USDC, deployIsolatedWorld, marketStateOf, positionOf } from "../helpers/isolated";

const ALICE_SHARES = 17_200n * ONE_USDC * VIRTUAL_SHARES;

async function aliceAtLimitIn(world: Awaited<ReturnType<typeof deployIsolatedWorld>>) {
  const w = world;
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supplyCollateral(WETH_USDC, w.alice, 10n * ONE_WETH);
  await w.market.connect(w.alice).borrow(WETH_USDC, 17_200n * ONE_USDC, w.alice.address);
  await w.fund(w.usdc, w.liquidator, 1_000_000n * ONE_USDC);
  return w;
}

async function aliceAtLimit() {
  return aliceAtLimitIn(await deployIsolatedWorld());
}

async function aliceAtLimitStaleRejected() {
  return aliceAtLimitIn(await deployIsolatedWorld({ wethUsdc: { liquidationsAcceptStalePrice: false } }));
}

describe("IsolatedLendingMarket.liquidate", () => {
  describe("health gate", () => {
    it("reverts at HF exactly 1 ($2,000: maxBorrow 17,200 USDC == debt) and liquidates one price tick lower", async () => {
      const w = await loadFixture(aliceAtLimit);
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(WAD);
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n))
        .to.be.revertedWithCustomError(w.market, "HealthyPosition")
        .withArgs(WAD);
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 0n, VIRTUAL_SHARES))
        .to.be.revertedWithCustomError(w.market, "HealthyPosition")
        .withArgs(WAD);

      // $1,999.99999999: price 1.99999999999e27; floor(10e18 x price / 1e36) = 19,999,999,999;
      // x0.86 -> 17,199,999,999 < 17,200,000,000; HF = floor(17,199,999,999e18 / 17,200,000,000).
      await w.wethFeed.updateAnswer(199_999_999_999n);
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(999_999_999_941_860_465n);
      // 1e6 shares = 1 unit of USDC -> floor(1 x LIF) = 1 -> floor(1e36 / 1.99999999999e27) = 500,000,000 wei.
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 0n, VIRTUAL_SHARES))
        .to.emit(w.market, "Liquidate")
        .withArgs(WETH_USDC, w.liquidator.address, w.alice.address, 1n, VIRTUAL_SHARES, 500_000_000n, 0n, 0n);
    });

    it("reverts HealthyPosition(max uint) for a position without debt", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1000"));
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.bob.address, ONE_WETH, 0n))
        .to.be.revertedWithCustomError(w.market, "HealthyPosition")
        .withArgs(MAX_UINT256);
    });

    it("reverts InconsistentInput unless exactly one of seizedAssets and repaidShares is zero", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1900"));
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 0n, 0n)).to.be.revertedWithCustomError(
        w.market,
        "InconsistentInput",
      );
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 1n, 1n)).to.be.revertedWithCustomError(
        w.market,
        "InconsistentInput",
      );
      await expect(w.market.connect(w.liquidator).liquidate(3n, w.alice.address, 1n, 0n))
        .to.be.revertedWithCustomError(w.market, "MarketNotCreated")
        .withArgs(3n);
    });
  });

  describe("seize-given and repay-given at $1,900 (HF = 16,340 / 17,200 = 0.95)", () => {
    it("seizing 1 WETH repays ceil(1,900 USDC / LIF) = 1,820.200001 USDC and burns 1,820,200,001e6 shares", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1900"));
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(950_000_000_000_000_000n);
      const usdcBefore = await w.usdc.balanceOf(w.liquidator.address);

      // ceil(1e18 x 1.9e27 / 1e36) = 1,900e6; ceil(1,900e6 x 1e18 / LIF) = 1,820,200,001 (1,900 x 0.958 = 1,820.2, and the
      // rounded-down LIF pushes the quotient a hair above it).
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n))
        .to.emit(w.market, "Liquidate")
        .withArgs(WETH_USDC, w.liquidator.address, w.alice.address, 1_820_200_001n, 1_820_200_001n * VIRTUAL_SHARES, ONE_WETH, 0n, 0n);

      expect(await w.weth.balanceOf(w.liquidator.address)).to.equal(ONE_WETH);
      expect(usdcBefore - (await w.usdc.balanceOf(w.liquidator.address))).to.equal(1_820_200_001n);
      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address))).to.deep.equal({
        supplyShares: 0n,
        borrowShares: ALICE_SHARES - 1_820_200_001n * VIRTUAL_SHARES,
        collateral: 9n * ONE_WETH,
      });
      const s = marketStateOf(await w.market.marketState(WETH_USDC));
      expect([s.totalBorrowAssets, s.totalBorrowShares, s.totalSupplyAssets]).to.deep.equal([
        15_379_799_999n,
        15_379_799_999n * VIRTUAL_SHARES,
        100_000n * ONE_USDC,
      ]);
      // 9 WETH x 1,900 x 0.86 = 14,706 USDC against 15,379.799999: HF 0.956189287309080045, still liquidatable.
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(956_189_287_309_080_045n);
    });

    it("repaying 1,000e12 shares (1,000 USDC) seizes floor(1,043.841336 USDC / $1,900) = 0.549390176842105263 WETH", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1900"));
      // toAssetsDown(1,000e12) = 1,000e6; floor(1,000e6 x LIF / 1e18) = 1,043,841,336; floor(x 1e36 / 1.9e27).
      const seized = 549_390_176_842_105_263n;
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 0n, 1_000n * ONE_USDC * VIRTUAL_SHARES))
        .to.emit(w.market, "Liquidate")
        .withArgs(WETH_USDC, w.liquidator.address, w.alice.address, 1_000n * ONE_USDC, 1_000n * ONE_USDC * VIRTUAL_SHARES, seized, 0n, 0n);
      expect(await w.weth.balanceOf(w.liquidator.address)).to.equal(seized);
      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address)).collateral).to.equal(9_450_609_823_157_894_737n);
      // floor(floor(9.450609823157894737e18 x 1.9e27 / 1e36) x 0.86) = 15,442,296,451 against 16,200e6.
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(953_228_175_987_654_320n);
    });

    it("the static call returns (seizedAssets, repaidAssets) for both kinds of input", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1900"));
      const liquidator = w.market.connect(w.liquidator);
      expect(await liquidator.liquidate.staticCall(WETH_USDC, w.alice.address, ONE_WETH, 0n)).to.deep.equal([ONE_WETH, 1_820_200_001n]);
      expect(await liquidator.liquidate.staticCall(WETH_USDC, w.alice.address, 0n, 1_000n * ONE_USDC * VIRTUAL_SHARES)).to.deep.equal([
        549_390_176_842_105_263n,
        1_000n * ONE_USDC,
      ]);
    });

    it("sends the collateral before pulling the repayment (Morpho Blue's order)", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1900"));
      const tx = await w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n);
      const receipt = await tx.wait();
      const transfers = (receipt?.logs ?? [])
        .filter((log) => log.topics[0] === w.weth.interface.getEvent("Transfer").topicHash)
        .map((log) => log.address);
      expect(transfers).to.deep.equal([await w.weth.getAddress(), await w.usdc.getAddress()]);
    });
  });

  describe("LiquidationExceedsPosition", () => {
    it("seizing 10 WETH + 1 wei of Alice's 10 WETH at $1,500 reverts; exactly 10 WETH does not", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1500"));
      // ceil((10e18 + 1) x 1.5e27 / 1e36) = 15,000,000,001; ceil(x 1e18 / LIF) = 14,370,000,001 -> x1e6 shares.
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 10n * ONE_WETH + 1n, 0n))
        .to.be.revertedWithCustomError(w.market, "LiquidationExceedsPosition")
        .withArgs(10n * ONE_WETH + 1n, 10n * ONE_WETH, 14_370_000_001n * VIRTUAL_SHARES, ALICE_SHARES);
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 10n * ONE_WETH, 0n)).to.emit(
        w.market,
        "Liquidate",
      );
    });

    it("seizing all 10 WETH at $1,900 would burn 18,202e12 shares of Alice's 17,200e12: reverts", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1900"));
      // ceil(10e18 x 1.9e27 / 1e36) = 19,000e6; ceil(x 1e18 / LIF) = 18,202,000,001 -> x1e6 shares.
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 10n * ONE_WETH, 0n))
        .to.be.revertedWithCustomError(w.market, "LiquidationExceedsPosition")
        .withArgs(10n * ONE_WETH, 10n * ONE_WETH, 18_202_000_001n * VIRTUAL_SHARES, ALICE_SHARES);
    });

    it("repaying one share more than Alice has reverts; exactly all of them repays 17,200 USDC for 9.449511042631578947 WETH", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1900"));
      // toAssetsDown(17,200e12 + 1) is still 17,200e6: floor(17,200e6 x LIF) = 17,954,070,981; floor(x 1e36 / 1.9e27).
      const seized = 9_449_511_042_631_578_947n;
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 0n, ALICE_SHARES + 1n))
        .to.be.revertedWithCustomError(w.market, "LiquidationExceedsPosition")
        .withArgs(seized, 10n * ONE_WETH, ALICE_SHARES + 1n, ALICE_SHARES);
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 0n, ALICE_SHARES))
        .to.emit(w.market, "Liquidate")
        .withArgs(WETH_USDC, w.liquidator.address, w.alice.address, 17_200n * ONE_USDC, ALICE_SHARES, seized, 0n, 0n);
      // All debt repaid with collateral to spare: no bad debt, Alice keeps 0.550488957368421053 WETH.
      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address))).to.deep.equal({
        supplyShares: 0n,
        borrowShares: 0n,
        collateral: 550_488_957_368_421_053n,
      });
      const s = marketStateOf(await w.market.marketState(WETH_USDC));
      expect([s.totalBorrowAssets, s.totalBorrowShares, s.badDebtAssets]).to.deep.equal([0n, 0n, 0n]);
    });

    it("repaying all shares at $1,500 would seize 11.969380654 WETH of 10: reverts", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1500"));
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 0n, ALICE_SHARES))
        .to.be.revertedWithCustomError(w.market, "LiquidationExceedsPosition")
        .withArgs(11_969_380_654_000_000_000n, 10n * ONE_WETH, ALICE_SHARES, ALICE_SHARES);
    });
  });

  describe("bad debt", () => {
    it("seizing all 10 WETH at $1,500 repays 14,370.000001 USDC and socializes the remaining 2,829.999999 USDC to the suppliers", async () => {
      const w = await loadFixture(aliceAtLimit);
      // Carol supplies to the WBTC market, which lends the same USDC: isolation means she loses nothing.
      await w.supply(WBTC_USDC, w.carol, 50_000n * ONE_USDC);
      await w.wethFeed.updateAnswer(usd("1500"));
      const bobShares = 100_000n * ONE_USDC * VIRTUAL_SHARES;
      const lensBefore = await w.lens.getPositions(w.marketAddress, WETH_USDC, [w.bob.address]);
      expect(lensBefore[0]?.supplyAssets).to.equal(100_000n * ONE_USDC);

      // ceil(10e18 x 1.5e27 / 1e36) = 15,000e6; ceil(15,000e6 x 1e18 / LIF) = 14,370,000,001 (x1e6 shares).
      // Left: 17,200e12 - 14,370,000,001e6 = 2,829,999,999e6 shares on 17,200e6 - 14,370,000,001 = 2,829,999,999 assets;
      // bad debt = min(2,829,999,999, toAssetsUp(2,829,999,999e6)) = 2,829,999,999.
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 10n * ONE_WETH, 0n))
        .to.emit(w.market, "Liquidate")
        .withArgs(
          WETH_USDC,
          w.liquidator.address,
          w.alice.address,
          14_370_000_001n,
          14_370_000_001n * VIRTUAL_SHARES,
          10n * ONE_WETH,
          2_829_999_999n,
          2_829_999_999n * VIRTUAL_SHARES,
        );

      expect(positionOf(await w.market.position(WETH_USDC, w.alice.address))).to.deep.equal({
        supplyShares: 0n,
        borrowShares: 0n,
        collateral: 0n,
      });
      expect(marketStateOf(await w.market.marketState(WETH_USDC))).to.deep.equal({
        totalSupplyAssets: 100_000n * ONE_USDC - 2_829_999_999n,
        totalSupplyShares: bobShares,
        totalBorrowAssets: 0n,
        totalBorrowShares: 0n,
        lastUpdate: await latestTimestamp(),
        badDebtAssets: 2_829_999_999n,
      });
      // Bob's 1e17 shares: floor(1e17 x 97,170,000,002 / (1e17 + 1e6)) = 97,170,000,001, exactly 2,829,999,999 less.
      const lensAfter = await w.lens.getPositions(w.marketAddress, WETH_USDC, [w.bob.address]);
      expect(lensAfter[0]?.supplyAssets).to.equal(97_170_000_001n);
      await expect(w.market.connect(w.bob).withdraw(WETH_USDC, MAX_UINT256, w.bob.address))
        .to.emit(w.market, "Withdraw")
        .withArgs(WETH_USDC, w.bob.address, w.bob.address, 97_170_000_001n, bobShares);
      const carol = await w.lens.getPositions(w.marketAddress, WBTC_USDC, [w.carol.address]);
      expect(carol[0]?.supplyAssets).to.equal(50_000n * ONE_USDC);
      // The market holds Carol's 50,000 USDC and nothing of market 0 but its rounding wei.
      expect(await w.usdc.balanceOf(w.marketAddress)).to.equal(50_000n * ONE_USDC);
    });

    it("at a price of 0 a repay-given liquidation is unbounded (reverts) and seizing all collateral repays nothing: all debt is bad", async () => {
      const w = await loadFixture(aliceAtLimit);
      // $0.00000001 per WETH against $1e17 per USDC: floor(1 x 1e24 / 1e25) = 0.
      await w.wethFeed.updateAnswer(1n);
      await w.usdcFeed.updateAnswer(10n ** 25n);
      expect(await w.market.price(WETH_USDC)).to.equal(0n);
      expect(await w.market.healthFactor(WETH_USDC, w.alice.address)).to.equal(0n);
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 0n, 1n))
        .to.be.revertedWithCustomError(w.market, "LiquidationExceedsPosition")
        .withArgs(MAX_UINT256, 10n * ONE_WETH, 1n, ALICE_SHARES);
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, 10n * ONE_WETH, 0n))
        .to.emit(w.market, "Liquidate")
        .withArgs(WETH_USDC, w.liquidator.address, w.alice.address, 0n, 0n, 10n * ONE_WETH, 17_200n * ONE_USDC, ALICE_SHARES);
      expect((await w.market.marketState(WETH_USDC)).totalSupplyAssets).to.equal(82_800n * ONE_USDC);
    });
  });

  describe("price checks", () => {
    it("accepts a stale price when the market says so (the default here)", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(usd("1900"));
      await w.wethFeed.setLatestUpdatedAt((await latestTimestamp()) - 100_000n);
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n)).to.emit(
        w.market,
        "Liquidate",
      );
    });

    it("otherwise reverts StalePrice one second past the maximum age (3,600 s) and liquidates at exactly 3,600 s", async () => {
      const w = await loadFixture(aliceAtLimitStaleRejected);
      await w.wethFeed.updateAnswer(usd("1900"));
      const t = (await latestTimestamp()) + 10n;
      await w.wethFeed.setLatestUpdatedAt(t);
      await w.usdcFeed.setLatestUpdatedAt(t);
      const liquidate = () => w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n);
      await expect(at(t + 3_600n, liquidate)).to.emit(w.market, "Liquidate");
      await expect(at(t + 3_601n, liquidate))
        .to.be.revertedWithCustomError(w.market, "StalePrice")
        .withArgs(await w.wethFeed.getAddress(), t, 3_600n);

      // The loan feed's age counts too (the collateral feed is read first).
      await w.wethFeed.setLatestUpdatedAt(t + 1_000n);
      await expect(at(t + 3_602n, liquidate))
        .to.be.revertedWithCustomError(w.market, "StalePrice")
        .withArgs(await w.usdcFeed.getAddress(), t, 3_600n);
    });

    it("reverts InvalidPrice on an answer <= 0 of either feed", async () => {
      const w = await loadFixture(aliceAtLimit);
      await w.wethFeed.updateAnswer(0n);
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n))
        .to.be.revertedWithCustomError(w.market, "InvalidPrice")
        .withArgs(await w.wethFeed.getAddress(), 0n);
      await w.wethFeed.updateAnswer(usd("1900"));
      await w.usdcFeed.updateAnswer(-1n);
      await expect(w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, ONE_WETH, 0n))
        .to.be.revertedWithCustomError(w.market, "InvalidPrice")
        .withArgs(await w.usdcFeed.getAddress(), -1n);
    });
  });
});
