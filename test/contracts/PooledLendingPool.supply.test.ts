/**
 * supply: shares minted (SharesMathLib.toSharesDown with 1e6 virtual shares and 1 virtual asset),
 * crediting onBehalfOf, the Supply event, input errors, and that supplying never reads a price.
 *
 *   shares = floor(assets x (totalShares + 1e6) / (totalAssets + 1))
 * An empty reserve therefore mints exactly assets x 1e6 shares, and so does every supply while
 * totalShares == totalAssets x 1e6 (no interest yet).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { MockERC20 } from "../../typechain-types";
import { SECONDS_PER_YEAR, deployPoolWorld, usd, wad } from "../helpers/pool";
import type { PoolWorld } from "../helpers/pool";
import { ONE_USDC, ONE_WBTC, ONE_WETH, VIRTUAL_SHARES, at, borrowedAtKink, latestTimestamp } from "../helpers/poolTest";

async function world() {
  return deployPoolWorld();
}

describe("PooledLendingPool.supply", () => {
  const FIRST_SUPPLIES: { name: string; token: (w: PoolWorld) => MockERC20; assets: bigint }[] = [
    { name: "1,000 USDC (6 decimals)", token: (w) => w.usdc, assets: 1_000n * ONE_USDC },
    { name: "2.5 WETH (18 decimals)", token: (w) => w.weth, assets: (5n * ONE_WETH) / 2n },
    { name: "0.01 WBTC (8 decimals)", token: (w) => w.wbtc, assets: ONE_WBTC / 100n },
    { name: "1 wei of WETH", token: (w) => w.weth, assets: 1n },
  ];
  for (const c of FIRST_SUPPLIES) {
    it(`mints assets x 1e6 shares to the first supplier of ${c.name}, takes the tokens and emits Supply`, async () => {
      const w = await loadFixture(world);
      const token = c.token(w);
      const asset = await token.getAddress();
      const shares = c.assets * VIRTUAL_SHARES; // floor(assets x (0 + 1e6) / (0 + 1))
      await w.fund(token, w.bob, c.assets);

      expect(await w.pool.connect(w.bob).supply.staticCall(asset, c.assets, w.bob.address)).to.equal(shares);
      await expect(w.pool.connect(w.bob).supply(asset, c.assets, w.bob.address))
        .to.emit(w.pool, "Supply")
        .withArgs(asset, w.bob.address, w.bob.address, c.assets, shares);

      expect(await token.balanceOf(w.bob.address)).to.equal(0n);
      expect(await token.balanceOf(await w.pool.getAddress())).to.equal(c.assets);
      expect(await w.pool.getUserReserve(asset, w.bob.address)).to.deep.equal([shares, 0n, c.assets, 0n]);
      const s = await w.pool.getReserveState(asset);
      expect([s.totalSupplyAssets, s.totalSupplyShares, s.totalBorrowAssets, s.totalBorrowShares]).to.deep.equal([
        c.assets,
        shares,
        0n,
        0n,
      ]);
    });
  }

  it("mints the same 1e6 shares per unit to a second supplier while no interest has accrued", async () => {
    const w = await loadFixture(world);
    const usdc = await w.usdc.getAddress();
    await w.supply(w.usdc, w.bob, 1_000n * ONE_USDC);
    await w.fund(w.usdc, w.carol, 333n * ONE_USDC + 3n);
    // floor(333.000003e6 x (1e15 + 1e6) / (1e9 + 1)) == 333.000003e6 x 1e6 exactly
    await expect(w.pool.connect(w.carol).supply(usdc, 333n * ONE_USDC + 3n, w.carol.address))
      .to.emit(w.pool, "Supply")
      .withArgs(usdc, w.carol.address, w.carol.address, 333n * ONE_USDC + 3n, 333_000_003n * VIRTUAL_SHARES);
    expect((await w.pool.getReserveState(usdc)).totalSupplyShares).to.equal(1_333_000_003n * VIRTUAL_SHARES);
  });

  it("credits onBehalfOf: Carol pays, Alice receives the shares, the event names both", async () => {
    const w = await loadFixture(world);
    const usdc = await w.usdc.getAddress();
    await w.fund(w.usdc, w.carol, 500n * ONE_USDC);
    await expect(w.pool.connect(w.carol).supply(usdc, 500n * ONE_USDC, w.alice.address))
      .to.emit(w.pool, "Supply")
      .withArgs(usdc, w.alice.address, w.carol.address, 500n * ONE_USDC, 500n * ONE_USDC * VIRTUAL_SHARES);
    expect(await w.pool.getUserReserve(usdc, w.alice.address)).to.deep.equal([
      500n * ONE_USDC * VIRTUAL_SHARES,
      0n,
      500n * ONE_USDC,
      0n,
    ]);
    expect(await w.pool.getUserReserve(usdc, w.carol.address)).to.deep.equal([0n, 0n, 0n, 0n]);
    expect(await w.usdc.balanceOf(w.carol.address)).to.equal(0n);
  });

  it("after a year of interest mints toSharesDown at the new share price: 1,000 USDC -> 972,006,220,840,085 shares, worth 999.999999", async () => {
    const w = await loadFixture(borrowedAtKink);
    // A year at 4% on 80,000: +3,200 borrowed, +2,880 to suppliers (10% to reserves).
    // Supply totals: 102,880e6 assets, 1e17 shares.
    // shares = floor(1,000e6 x (1e17 + 1e6) / (102,880e6 + 1)) = floor(972,006,220,840,085.4)
    const shares = 972_006_220_840_085n;
    await w.fund(w.usdc, w.carol, 1_000n * ONE_USDC);
    const tx = at(w.t0 + SECONDS_PER_YEAR, () =>
      w.pool.connect(w.carol).supply(w.usdcAddress, 1_000n * ONE_USDC, w.carol.address)
    );
    await expect(tx)
      .to.emit(w.pool, "InterestAccrued")
      .withArgs(w.usdcAddress, wad("0.04"), 3_200n * ONE_USDC, 320n * ONE_USDC);
    await expect(tx)
      .to.emit(w.pool, "Supply")
      .withArgs(w.usdcAddress, w.carol.address, w.carol.address, 1_000n * ONE_USDC, shares);
    // Carol's balance: floor(shares x (103,880e6 + 1) / (1e17 + shares + 1e6)) = 999.999999: rounding keeps 1 unit.
    const [carolShares, , carolAssets] = await w.pool.getUserReserve(w.usdcAddress, w.carol.address);
    expect(carolShares).to.equal(shares);
    expect(carolAssets).to.equal(1_000n * ONE_USDC - 1n);
    const s = await w.pool.getReserveState(w.usdcAddress);
    expect(s.totalSupplyAssets).to.equal(103_880n * ONE_USDC);
    expect(s.totalSupplyShares).to.equal(10n ** 17n + shares);
  });

  it("needs no price: supplies while the feed reverts, reports 0 or is a year old", async () => {
    const w = await loadFixture(world);
    const weth = await w.weth.getAddress();
    await w.fund(w.weth, w.alice, 3n * ONE_WETH);
    await w.wethFeed.setRevertOnRead(true);
    await expect(w.pool.connect(w.alice).supply(weth, ONE_WETH, w.alice.address)).to.emit(w.pool, "Supply");
    await w.wethFeed.setRevertOnRead(false);
    await w.wethFeed.updateAnswer(0n);
    await expect(w.pool.connect(w.alice).supply(weth, ONE_WETH, w.alice.address)).to.emit(w.pool, "Supply");
    await w.wethFeed.updateAnswer(usd("2000"));
    await w.wethFeed.setLatestUpdatedAt((await latestTimestamp()) - SECONDS_PER_YEAR);
    await expect(w.pool.connect(w.alice).supply(weth, ONE_WETH, w.alice.address)).to.emit(w.pool, "Supply");
    const [, , supplied] = await w.pool.getUserReserve(weth, w.alice.address);
    expect(supplied).to.equal(3n * ONE_WETH);
  });

  it("rejects a zero amount (ZeroAmount), a zero onBehalfOf (ZeroAddress) and an unlisted asset (ReserveNotListed)", async () => {
    const w = await loadFixture(world);
    const usdc = await w.usdc.getAddress();
    await w.fund(w.usdc, w.bob, ONE_USDC);
    const asBob = w.pool.connect(w.bob);
    await expect(asBob.supply(usdc, 0n, w.bob.address)).to.be.revertedWithCustomError(w.pool, "ZeroAmount");
    await expect(asBob.supply(usdc, ONE_USDC, ethers.ZeroAddress)).to.be.revertedWithCustomError(w.pool, "ZeroAddress");
    await expect(asBob.supply(w.bob.address, ONE_USDC, w.bob.address))
      .to.be.revertedWithCustomError(w.pool, "ReserveNotListed")
      .withArgs(w.bob.address);
    // The boundary: 1 unit is accepted.
    await expect(asBob.supply(usdc, 1n, w.bob.address))
      .to.emit(w.pool, "Supply")
      .withArgs(usdc, w.bob.address, w.bob.address, 1n, VIRTUAL_SHARES);
  });
});
