/**
 * BulkSupplier (world set-up only): one transaction puts up many accounts' collateral through the
 * protocols' own entry points. What the world relies on: every account ends with exactly what one
 * supply per account, in the same order and at the same second, would have given it; the caller pays
 * the batch's total; the contract keeps no tokens and no allowance; a bad batch changes nothing.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { BulkSupplier__factory, type BulkSupplier } from "../../typechain-types";
import { MAX_UINT256 } from "../helpers/pool";
import { ONE_WETH, borrowedAtKink } from "../helpers/poolTest";
import { WETH_USDC, deployIsolatedWorld } from "../helpers/isolated";

const YEAR = 31_536_000n;

/** USDC lent at the kink for a year, so that a supply's shares are a non-trivial rounding of its assets. */
async function pooledWorld() {
  const w = await borrowedAtKink();
  const bulk = await new BulkSupplier__factory(w.owner).deploy();
  const bulkAddress = await bulk.getAddress();
  const poolAddress = await w.pool.getAddress();
  const accounts = w.others.slice(0, 3).map((o) => o.address);
  // 333.333333 USDC, 1 unit (the smallest amount) and 12,345.678901 USDC.
  const amounts = [333_333_333n, 1n, 12_345_678_901n];
  const total = amounts.reduce((a, b) => a + b, 0n);
  await w.usdc.mint(w.owner.address, total);
  await w.usdc.approve(bulkAddress, MAX_UINT256);
  await w.usdc.approve(poolAddress, MAX_UINT256);
  return { ...w, bulk, bulkAddress, poolAddress, accounts, amounts, total, at: w.t0 + YEAR };
}

/**
 * The three accounts' shares, measured: after a year at the kink a USDC unit buys 972,006.x shares
 * instead of an empty reserve's 1e6 (1 unit: 972,006; 333.333333 USDC: 324,002,073,289,359).
 */
const SHARES_AFTER_A_YEAR = [324_002_073_289_359n, 972_006n, 12_000_076_692_266_189n];

async function sharesOf(w: Awaited<ReturnType<typeof pooledWorld>>): Promise<bigint[]> {
  return Promise.all(w.accounts.map(async (a) => (await w.pool.getUserReserve(w.usdcAddress, a))[0]));
}

describe("BulkSupplier", () => {
  it("pooled: every account gets exactly the shares of one supply each, in order, in one block at the same second", async () => {
    // The control: the same supplies sent one by one by the owner, mined in one block at the same second.
    const c = await loadFixture(pooledWorld);
    await ethers.provider.send("evm_setAutomine", [false]);
    try {
      for (const [i, account] of c.accounts.entries()) await c.pool.supply(c.usdcAddress, c.amounts[i] ?? 0n, account);
      await time.setNextBlockTimestamp(c.at);
      await mine();
    } finally {
      await ethers.provider.send("evm_setAutomine", [true]);
    }
    const control = await sharesOf(c);
    const controlState = await c.pool.getReserveState(c.usdcAddress);

    const w = await loadFixture(pooledWorld);
    await time.setNextBlockTimestamp(w.at);
    await expect(w.bulk.supplyPooled(w.poolAddress, w.usdcAddress, w.accounts, w.amounts))
      .to.emit(w.pool, "Supply")
      .withArgs(w.usdcAddress, w.accounts[0], w.bulkAddress, w.amounts[0], control[0]);
    expect(await sharesOf(w)).to.deep.equal(control);
    const state = await w.pool.getReserveState(w.usdcAddress);
    expect([state.totalSupplyAssets, state.totalSupplyShares]).to.deep.equal([controlState.totalSupplyAssets, controlState.totalSupplyShares]);
    // A year of interest makes a supply's shares a rounding of assets x totalShares / totalAssets (not the
    // empty reserve's assets x 1e6), so the order of the supplies shows in the last digits.
    expect(control).to.deep.equal(SHARES_AFTER_A_YEAR);
  });

  it("pooled: pulls exactly the batch's total from the caller and keeps no tokens and no allowance", async () => {
    const w = await loadFixture(pooledWorld);
    const ownerBefore = await w.usdc.balanceOf(w.owner.address);
    const poolBefore = await w.usdc.balanceOf(w.poolAddress);
    await w.bulk.supplyPooled(w.poolAddress, w.usdcAddress, w.accounts, w.amounts);
    expect(ownerBefore - (await w.usdc.balanceOf(w.owner.address))).to.equal(12_679_012_235n); // 333.333333 + 0.000001 + 12,345.678901 USDC
    expect((await w.usdc.balanceOf(w.poolAddress)) - poolBefore).to.equal(12_679_012_235n);
    expect(await w.usdc.balanceOf(w.bulkAddress)).to.equal(0n);
    expect(await w.usdc.allowance(w.bulkAddress, w.poolAddress)).to.equal(0n);
  });

  it("isolated: adds each account's collateral, names the contract as caller, and keeps nothing", async () => {
    const w = await loadFixture(isolatedWorld);
    const accounts = [w.alice.address, w.bob.address];
    const amounts = [3n * ONE_WETH, 1n];
    await expect(w.bulk.supplyCollateralIsolated(w.marketAddress, WETH_USDC, accounts, amounts))
      .to.emit(w.market, "SupplyCollateral")
      .withArgs(WETH_USDC, w.bulkAddress, w.alice.address, 3n * ONE_WETH)
      .and.to.emit(w.market, "SupplyCollateral")
      .withArgs(WETH_USDC, w.bulkAddress, w.bob.address, 1n);
    expect((await w.market.position(WETH_USDC, w.alice.address)).collateral).to.equal(3n * ONE_WETH);
    expect((await w.market.position(WETH_USDC, w.bob.address)).collateral).to.equal(1n);
    expect(await w.weth.balanceOf(w.marketAddress)).to.equal(3n * ONE_WETH + 1n);
    expect(await w.weth.balanceOf(w.owner.address)).to.equal(7n * ONE_WETH - 1n); // 10 WETH minted
    expect(await w.weth.balanceOf(w.bulkAddress)).to.equal(0n);
    expect(await w.weth.allowance(w.bulkAddress, w.marketAddress)).to.equal(0n);
  });

  it("reverts the whole batch, changing nothing, on mismatched lengths, a zero amount or a missing approval", async () => {
    const w = await loadFixture(isolatedWorld);
    const accounts = [w.alice.address, w.bob.address];
    await expect(w.bulk.supplyCollateralIsolated(w.marketAddress, WETH_USDC, accounts, [ONE_WETH]))
      .to.be.revertedWithCustomError(w.bulk, "LengthMismatch")
      .withArgs(2, 1);
    // The second supply reverts in the market, so the first one is undone with it.
    await expect(w.bulk.supplyCollateralIsolated(w.marketAddress, WETH_USDC, accounts, [ONE_WETH, 0n])).to.be.revertedWithCustomError(
      w.market,
      "ZeroAmount",
    );
    await expect(w.bulk.connect(w.carol).supplyCollateralIsolated(w.marketAddress, WETH_USDC, accounts, [ONE_WETH, ONE_WETH]))
      .to.be.revertedWithCustomError(w.weth, "ERC20InsufficientAllowance")
      .withArgs(w.bulkAddress, 0n, 2n * ONE_WETH);
    expect((await w.market.position(WETH_USDC, w.alice.address)).collateral).to.equal(0n);
    expect(await w.weth.balanceOf(w.owner.address)).to.equal(10n * ONE_WETH);
  });
});

async function isolatedWorld() {
  const w = await deployIsolatedWorld();
  const bulk: BulkSupplier = await new BulkSupplier__factory(w.owner).deploy();
  const bulkAddress = await bulk.getAddress();
  await w.weth.mint(w.owner.address, 10n * ONE_WETH);
  await w.weth.approve(bulkAddress, MAX_UINT256);
  return { ...w, bulk, bulkAddress };
}
