/**
 * `PooledLendingPoolDeficit`: the pool with Aave 3.3+'s bad-debt rule. On the price-gap story of
 * test/contracts/real/AaveV3.gapLiquidation.test.ts (Alice: 10 WETH, 14,000 USDC borrowed, WETH $2,000
 * -> $1,300, liquidate all) it repays the same 12,380.952381 USDC for the same 10 WETH and leaves the same
 * 1,619.047619 USDC that Aave V3.6 books as `DeficitCreated`, as a deficit too: the reserve's reserves
 * (5,000 USDC deposited) and Bob's 100,000 USDC supply stay untouched, and the pool's USDC balance is short
 * by exactly the deficit until someone covers it. The TypeScript model (`PoolModel`, `badDebtModel:
 * "deficit"`) gives the same figures; the default pool on the same story takes the loss from its reserves.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { PoolMathError, PoolModel, type PoolModelReserve } from "../../simulator/math";
import type { PooledLendingPoolDeficit } from "../../typechain-types";
import { readPoolModel } from "../helpers/model";
import { MAX_UINT256, deployPoolWorld, usd, type PoolWorld } from "../helpers/pool";

const ONE_WETH = 10n ** 18n;
const ONE_USDC = 10n ** 6n;
const REPAID = 12_380_952_381n;
const FEE = 47_619_047_619_047_619n;
const LEFT = 14_000n * ONE_USDC - REPAID; // 1,619.047619 USDC
const HF = 766_071_428_571_428_571n;
const RESERVES = 5_000n * ONE_USDC;
const SUPPLIED = 100_000n * ONE_USDC;

/** Bob supplies 100,000 USDC, 5,000 USDC go to the reserves, Alice borrows 14,000 USDC on 10 WETH; WETH falls to $1,300. */
async function gapStory(badDebt: "haircut" | "deficit"): Promise<PoolWorld> {
  const w = await deployPoolWorld({ badDebt });
  const usdc = await w.usdc.getAddress();
  await w.supply(w.usdc, w.bob, SUPPLIED);
  await w.fund(w.usdc, w.owner, RESERVES);
  await w.pool.connect(w.owner).depositReserves(usdc, RESERVES);
  await w.supply(w.weth, w.alice, 10n * ONE_WETH);
  await w.pool.connect(w.alice).borrow(usdc, 14_000n * ONE_USDC, w.alice.address);
  await w.wethFeed.updateAnswer(usd("1300"));
  await w.fund(w.usdc, w.liquidator, 100_000n * ONE_USDC);
  return w;
}

const asDeficitPool = (w: PoolWorld) => w.pool as unknown as PooledLendingPoolDeficit;

describe("PooledLendingPoolDeficit: bad debt booked as the reserve's deficit (Aave 3.3+)", () => {
  it("the price gap: repays 12,380.952381 USDC for 10 WETH, fee 0.047619047619047619 WETH, and books 1,619.047619 USDC as deficit; reserves and suppliers untouched", async () => {
    const w = await gapStory("deficit");
    const pool = asDeficitPool(w);
    const weth = await w.weth.getAddress();
    const usdc = await w.usdc.getAddress();
    const tx = pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256);
    await expect(tx).to.emit(pool, "LiquidationCall").withArgs(weth, usdc, w.alice.address, w.liquidator.address, REPAID, 10n * ONE_WETH, FEE, HF);
    await expect(tx).to.emit(pool, "BadDebtRecorded").withArgs(usdc, w.alice.address, LEFT, LEFT * 10n ** 6n);
    await expect(tx).to.emit(pool, "DeficitCreated").withArgs(usdc, LEFT);
    await expect(tx).not.to.emit(pool, "BadDebtCoveredByReserves");
    await expect(tx).not.to.emit(pool, "BadDebtSocialized");

    const state = await pool.getReserveState(usdc);
    expect(state.totalBorrowAssets).to.equal(0n);
    expect(state.reservesAssets).to.equal(RESERVES);
    expect(state.totalSupplyAssets).to.equal(SUPPLIED);
    expect((await pool.getUserReserve(usdc, w.bob.address)).supplyAssets).to.equal(SUPPLIED);
    const totals = await pool.getReserveBadDebt(usdc);
    expect([totals.recorded, totals.coveredByReserves, totals.socializedToSuppliers]).to.deep.equal([LEFT, 0n, 0n]);
    const deficit = await pool.getReserveDeficit(usdc);
    expect([deficit.outstanding, deficit.covered]).to.deep.equal([LEFT, 0n]);
    // 100,000 + 5,000 - 14,000 + 12,380.952381 = 103,380.952381 USDC held against 105,000 owed to suppliers and reserves.
    const balance = await w.usdc.balanceOf(await pool.getAddress());
    expect(balance).to.equal(103_380_952_381n);
    expect(SUPPLIED + RESERVES - balance).to.equal(LEFT);
  });

  it("the default pool on the same story takes the 1,619.047619 USDC from its 5,000 USDC reserves instead", async () => {
    const w = await gapStory("haircut");
    const weth = await w.weth.getAddress();
    const usdc = await w.usdc.getAddress();
    const tx = w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256);
    await expect(tx).to.emit(w.pool, "BadDebtCoveredByReserves").withArgs(usdc, LEFT);
    expect((await w.pool.getReserveState(usdc)).reservesAssets).to.equal(RESERVES - LEFT);
  });

  it("the model with badDebtModel \"deficit\" gives the same liquidation, deficit and reserve state, and covers as the pool does", async () => {
    const w = await gapStory("deficit");
    const weth = await w.weth.getAddress();
    const usdc = await w.usdc.getAddress();
    const users = [w.alice.address, w.bob.address];
    const before = await readPoolModel(w.pool, w.lens, users);
    // The model runs the same story from empty reserves (zero interest: timestamps do not matter).
    const t = before.timestamp;
    const empty = { totalSupplyAssets: 0n, totalSupplyShares: 0n, totalBorrowAssets: 0n, totalBorrowShares: 0n, reservesAssets: 0n, lastUpdate: t };
    const reserves: PoolModelReserve[] = before.reserves.map((r) => ({ ...r, state: empty, priceUpdatedAt: t, maxPriceAgeSeconds: 86_400n, borrowingEnabled: true }));
    const model = new PoolModel({ reserves, liquidationConfig: before.liquidationConfig, badDebtModel: "deficit" });
    model.setPrice(0, usd("2000"), t);
    model.supply(1, SUPPLIED, w.bob.address, t);
    model.depositReserves(1, RESERVES, t);
    model.supply(0, 10n * ONE_WETH, w.alice.address, t);
    model.borrow(1, 14_000n * ONE_USDC, w.alice.address, t);
    model.setPrice(0, usd("1300"), t);
    expect(model.shares(w.alice.address)).to.deep.equal(before.users[0]);
    expect(model.reserveState(1, t)).to.deep.equal(before.reserves[1]?.state);

    await w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256);
    const after = await readPoolModel(w.pool, w.lens, users);
    const result = model.liquidate(0, 1, w.alice.address, MAX_UINT256, after.timestamp);
    expect([result.debtRepaid, result.collateralSeized, result.protocolFee]).to.deep.equal([REPAID, 10n * ONE_WETH, FEE]);
    expect(result.writeOffs).to.deep.equal([{ reserveIndex: 1, shares: LEFT * 10n ** 6n, assets: LEFT, covered: 0n, socialized: 0n, deficit: LEFT }]);
    expect(model.deficits[1]).to.deep.equal({ outstanding: LEFT, covered: 0n });
    expect(model.reserveState(1, after.timestamp)).to.deep.equal(after.reserves[1]?.state);
    expect(model.shares(w.alice.address)).to.deep.equal(after.users[0]);
    expect(() => model.coverDeficit(1, LEFT + 1n)).to.throw(PoolMathError, `DeficitExceeded(${LEFT + 1n}, ${LEFT})`);
    model.coverDeficit(1, LEFT - 1_000n * ONE_USDC);
    expect(model.deficits[1]).to.deep.equal({ outstanding: 1_000n * ONE_USDC, covered: LEFT - 1_000n * ONE_USDC });
  });

  it("coverDeficit: 619.047619 USDC from Carol leaves 1,000 USDC outstanding and adds the tokens; more than outstanding reverts DeficitExceeded, 0 ZeroAmount", async () => {
    const w = await gapStory("deficit");
    const pool = asDeficitPool(w);
    const usdc = await w.usdc.getAddress();
    await pool.connect(w.liquidator).liquidationCall(await w.weth.getAddress(), usdc, w.alice.address, MAX_UINT256);
    await w.fund(w.usdc, w.carol, LEFT);
    const part = LEFT - 1_000n * ONE_USDC;
    await expect(pool.connect(w.carol).coverDeficit(usdc, part)).to.emit(pool, "DeficitCovered").withArgs(usdc, w.carol.address, part);
    const deficit = await pool.getReserveDeficit(usdc);
    expect([deficit.outstanding, deficit.covered]).to.deep.equal([1_000n * ONE_USDC, part]);
    expect(await w.usdc.balanceOf(await pool.getAddress())).to.equal(103_380_952_381n + part);
    await expect(pool.connect(w.carol).coverDeficit(usdc, 1_000n * ONE_USDC + 1n))
      .to.be.revertedWithCustomError(pool, "DeficitExceeded")
      .withArgs(1_000n * ONE_USDC + 1n, 1_000n * ONE_USDC);
    await expect(pool.connect(w.carol).coverDeficit(usdc, 0n)).to.be.revertedWithCustomError(pool, "ZeroAmount");
  });

  it("stays under the 24,576-byte code size limit", async () => {
    const code = await ethers.provider.getCode(await (await deployPoolWorld({ badDebt: "deficit" })).pool.getAddress());
    expect((code.length - 2) / 2).to.be.below(24_576);
  });
});
