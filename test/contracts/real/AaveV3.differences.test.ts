/**
 * Where liqsim's `PooledLendingPool` and the real Aave V3.6 part ways, each case run on both from the
 * same story and asserted with its exact figures (both sides), so that a change on either side shows.
 * Risk settings are `deployPoolWorld`'s on both (WETH LT 82.5% bonus 5% fee 10%, USDC LT 78% bonus
 * 4.5% fee 10%, WBTC LT 75% bonus 10% no fee), zero interest; Alice borrows, a price moves, the
 * liquidator calls `liquidationCall` (Aave: receiveAToken = false). Aave's percentage math rounds half
 * up (percentMul, percentDiv); the pool rounds in its own direction (wMulDown, mulDivUp). The bounds of
 * each difference, and the tiny liquidation that used to differ, are in `mockVsReal.settled.test.ts`.
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { MAX_UINT256 } from "../../helpers/pool";
import { UNIT, onAave, onPool, type Story } from "../../helpers/poolVsAave";
import { executionGas, nextBlockOneSecondLater } from "../../helpers/executionGas";

describe("real Aave V3.6 vs PooledLendingPool: the known differences", () => {
  it("close factor: half of a debt worth 10,000.00000005 USD (8 decimals) is 5,000.00000002 on the pool (down), 5,000.00000003 on Aave (half up)", async () => {
    // 1 WBTC, 5 WETH borrowed; WETH $2,000.00000001, WBTC $13,000: HF 0.974999999995125 in (0.95, 1), debt and
    // collateral over $2,000: at most half the debt. Debt value 5 x 2,000.00000001 = 10,000.00000005 USD.
    const story: Story = { collateral: "wbtc", debt: "weth", collateralAmount: UNIT.wbtc, borrowed: 5n * UNIT.weth, prices: { weth: "2000.00000001", wbtc: "13000" } };
    const pool = await onPool(story);
    // floor(500,000,000,002 x 1e18 / 200,000,000,001) = 2.4999999999975 WETH; x 13,000 -> 0.42307691 WBTC with the bonus
    await expect(pool.liquidate(MAX_UINT256)).to.emit(pool.w.pool, "LiquidationCall").withArgs(...pool.event(2_499_999_999_997_500_000n, 42_307_691n, 0n, 974_999_999_995_125_000n));
    expect(await pool.collateralLeft()).to.equal(57_692_309n);

    const aave = await onAave(story);
    // floor(500,000,000,003 x 1e18 / 200,000,000,001) = 2.500000000002499999 WETH: 4,999,999 wei more; 1 satoshi more seized
    const r = await aave.liquidate(MAX_UINT256);
    expect([r.repaid, r.toLiquidator, r.fee, r.deficit]).to.deep.equal([2_500_000_000_002_499_999n, 42_307_692n, 0n, 0n]);
    expect(await aave.collateralLeft()).to.equal(57_692_308n);
    expect(await aave.debtLeft()).to.equal(2_499_999_999_997_500_001n);
  });

  it("seizure and fee: 1,000 USDC at WETH $1,800 seizes 0.583333333333333332 WETH (fee ...777) on the pool, ...333 (fee ...778) on Aave", async () => {
    // 10 WETH, 15,000 USDC, WETH $1,800: HF 0.99. Before the bonus floor(1,000 / 1,800 WETH) = 0.555555555555555555;
    // x 1.05 = 0.58333333333333333275: the pool rounds down, Aave's percentMul half up. The fee is 10% of the bonus part.
    const story: Story = { collateral: "weth", debt: "usdc", collateralAmount: 10n * UNIT.weth, borrowed: 15_000n * UNIT.usdc, prices: { weth: "1800" } };
    const pool = await onPool(story);
    await expect(pool.liquidate(1_000n * UNIT.usdc)).to.emit(pool.w.pool, "LiquidationCall").withArgs(...pool.event(1_000n * UNIT.usdc, 583_333_333_333_333_332n, 2_777_777_777_777_777n, 990_000_000_000_000_000n));
    expect(await pool.collateralLeft()).to.equal(9_416_666_666_666_666_668n);

    const aave = await onAave(story);
    const r = await aave.liquidate(1_000n * UNIT.usdc);
    expect([r.repaid, r.toLiquidator, r.fee, r.deficit]).to.deep.equal([1_000n * UNIT.usdc, 580_555_555_555_555_555n, 2_777_777_777_777_778n, 0n]);
    expect(r.toLiquidator + r.fee).to.equal(583_333_333_333_333_333n);
    expect(await aave.collateralLeft()).to.equal(9_416_666_666_666_666_667n);
  });

  it("all collateral seized, collateral with fewer decimals than the debt (WBTC 8, WETH 18): the pool repays 18.1818182 WETH, Aave 18.181818181818181819", async () => {
    // 1 WBTC, 20 WETH borrowed, WBTC $40,000: HF 0.75; 1 WBTC x 40,000 / 1.1 = 36,363.63... USD buys 18.18... WETH.
    // The pool goes through 8-decimal USD (ceil to 1e-8 USD = 5e9 wei of WETH at $2,000); Aave divides in token units.
    const story: Story = { collateral: "wbtc", debt: "weth", collateralAmount: UNIT.wbtc, borrowed: 20n * UNIT.weth, prices: { wbtc: "40000" } };
    const pool = await onPool(story);
    const tx = pool.liquidate(MAX_UINT256);
    await expect(tx).to.emit(pool.w.pool, "LiquidationCall").withArgs(...pool.event(18_181_818_200_000_000_000n, UNIT.wbtc, 0n, 750_000_000_000_000_000n));
    await expect(tx).to.emit(pool.w.pool, "BadDebtRecorded").withArgs(await pool.w.weth.getAddress(), pool.w.alice.address, 1_818_181_800_000_000_000n, 1_818_181_800_000_000_000n * 10n ** 6n);

    const aave = await onAave(story);
    const r = await aave.liquidate(MAX_UINT256);
    expect([r.repaid, r.toLiquidator, r.fee, r.deficit]).to.deep.equal([18_181_818_181_818_181_819n, UNIT.wbtc, 0n, 1_818_181_818_181_818_181n]);
    expect(await aave.collateralLeft()).to.equal(0n);
    expect(await aave.debtLeft()).to.equal(0n);
  });

  it("execution gas of the price-gap liquidation (10 WETH, 14,000 USDC, WETH $1,300, all collateral, bad debt): 288,836 on the pool, 311,340 on Aave (8% more)", async () => {
    const story: Story = { collateral: "weth", debt: "usdc", collateralAmount: 10n * UNIT.weth, borrowed: 14_000n * UNIT.usdc, prices: { weth: "1300" } };
    const pool = await onPool(story);
    await nextBlockOneSecondLater();
    const tx = await pool.liquidate(MAX_UINT256);
    const poolGas = executionGas((await tx.wait())?.gasUsed ?? 0n, tx.data as Hex);
    const aave = await onAave(story);
    const data = await aave.w.liquidationData(aave.w.weth, aave.w.usdc, aave.w.alice, MAX_UINT256);
    await nextBlockOneSecondLater();
    const aaveGas = executionGas((await aave.liquidate(MAX_UINT256)).gasUsed, data);
    expect([poolGas, aaveGas]).to.deep.equal([288_836n, 311_340n]);
  });
});
