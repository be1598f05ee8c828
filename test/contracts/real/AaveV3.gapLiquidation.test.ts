/**
 * The real Aave V3.6 against liqsim's `PooledLendingPool` on the single-borrower price gap: Alice
 * supplies 10 WETH at $2,000 and borrows 14,000 USDC; WETH gaps to $1,300, where her 10 WETH are worth
 * $13,000 < her debt. Both liquidate all her collateral (HF 0.766 < 0.95: no close factor) and both
 * leave the same debt behind: the figures below are exact on both.
 *   repaid = 10 WETH x $1,300 / 1.05 = 12,380.952380952… -> 12,380.952381 USDC (both round it up)
 *   fee    = (10 - 10 / 1.05) x 10% = 0.047619047619047619 WETH
 *   left   = 14,000 - 12,380.952381 = 1,619.047619 USDC (Aave: deficit; the pool: bad debt)
 */
import { expect } from "chai";
import { deployPoolWorld, MAX_UINT256, usd } from "../../helpers/pool";
import { deployRealAaveWorld } from "../../helpers/realAave";

const ONE_WETH = 10n ** 18n;
const ONE_USDC = 10n ** 6n;
const REPAID = 12_380_952_381n;
const FEE = 47_619_047_619_047_619n;
const LEFT = 14_000n * ONE_USDC - REPAID;

describe("real Aave V3.6 vs PooledLendingPool: the price-gap liquidation", () => {
  it("Aave repays 12,380.952381 USDC for all 10 WETH (fee 0.047619 WETH to the treasury) and records a deficit of 1,619.047619 USDC", async () => {
    const w = await deployRealAaveWorld();
    await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
    await w.supply(w.weth, w.alice, 10n * ONE_WETH);
    await w.borrow(w.usdc, w.alice, 14_000n * ONE_USDC);
    await w.wethFeed.updateAnswer(usd("1300"));
    await w.fundLiquidator(w.usdc, 100_000n * ONE_USDC);

    const receipt = await w.liquidate(w.weth, w.usdc, w.alice, MAX_UINT256);
    const events = w.poolEvents(receipt);
    const liquidation = events.find((e) => e.eventName === "LiquidationCall");
    expect(liquidation?.args.debtToCover).to.equal(REPAID);
    // Aave's event names the collateral the liquidator receives: the seizure net of the protocol fee.
    expect(liquidation?.args.liquidatedCollateralAmount).to.equal(10n * ONE_WETH - FEE);
    expect(events.find((e) => e.eventName === "DeficitCreated")?.args.amountCreated).to.equal(LEFT);
    expect(await w.weth.balanceOf(w.liquidator.address)).to.equal(10n * ONE_WETH - FEE);
    expect(await w.aTokenBalance(w.weth, w.aave.treasury)).to.equal(FEE);
    expect(await w.aTokenBalance(w.weth, w.alice.address)).to.equal(0n);
    expect(await w.debtBalance(w.usdc, w.alice.address)).to.equal(0n);
    expect(100_000n * ONE_USDC - (await w.usdc.balanceOf(w.liquidator.address))).to.equal(REPAID);
  });

  it("PooledLendingPool repays the same 12,380.952381 USDC for the same 10 WETH, fee 0.047619 WETH, and writes off the same 1,619.047619 USDC", async () => {
    const w = await deployPoolWorld();
    const weth = await w.weth.getAddress();
    const usdc = await w.usdc.getAddress();
    await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
    await w.supply(w.weth, w.alice, 10n * ONE_WETH);
    await w.pool.connect(w.alice).borrow(usdc, 14_000n * ONE_USDC, w.alice.address);
    await w.wethFeed.updateAnswer(usd("1300"));
    await w.fund(w.usdc, w.liquidator, 100_000n * ONE_USDC);

    const tx = w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256);
    await expect(tx).to.emit(w.pool, "LiquidationCall").withArgs(weth, usdc, w.alice.address, w.liquidator.address, REPAID, 10n * ONE_WETH, FEE, 766_071_428_571_428_571n);
    await expect(tx).to.emit(w.pool, "BadDebtRecorded").withArgs(usdc, w.alice.address, LEFT, LEFT * 10n ** 6n);
    expect(await w.weth.balanceOf(w.liquidator.address)).to.equal(10n * ONE_WETH - FEE);
  });
});
