/**
 * The mock-vs-real differences of `PooledLendingPool` against Aave V3.6, settled (docs/real-protocols.md,
 * *The differences, settled*): the one the pool fixed (a liquidation that seizes nothing), and for each
 * rounding the pool keeps, its bound, shown on several stories where each side's figure is asserted to
 * the wei by its own formula (the pool's WAD math rounding down where it pays out; Aave's percentage math,
 * percentMul and percentDiv half up, percentDivCeil up, PERCENTAGE_FACTOR 1e4).
 */
import { expect } from "chai";
import { MAX_UINT256, usd } from "../../helpers/pool";
import { UNIT, onAave, onPool, type Story } from "../../helpers/poolVsAave";

const WAD = 10n ** 18n;
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
/** Aave's PercentageMath, percentages in basis points. */
const percentMul = (v: bigint, bps: bigint) => (v * bps + 5_000n) / 10_000n;
const percentDiv = (v: bigint, bps: bigint) => (v * 10_000n + bps / 2n) / bps;
const percentDivCeil = (v: bigint, bps: bigint) => ceilDiv(v * 10_000n, bps);

// 1 WBTC, 42,000 USDC borrowed, WBTC $50,000: HF = 50,000 x 0.75 / 42,000 = 0.892857142857142857.
// Seizure before the bonus: floor(debtToCover x 1e8 x 1e8 / (50,000e8 x 1e6)): zero below 500 wei.
const TINY: Story = { collateral: "wbtc", debt: "usdc", collateralAmount: UNIT.wbtc, borrowed: 42_000n * UNIT.usdc, prices: { wbtc: "50000" } };

describe("PooledLendingPool vs Aave V3.6: the differences settled", () => {
  describe("a liquidation that seizes nothing (fixed: the pool refuses it, as Aave does)", () => {
    for (const debtToCover of [1n, 499n]) {
      it(`${debtToCover} wei of USDC against WBTC at $50,000: the pool reverts NothingToSeize(${debtToCover}) and so does its model, Aave InvalidBurnAmount; nothing moves`, async () => {
        const pool = await onPool(TINY);
        await expect(pool.liquidate(debtToCover)).to.be.revertedWithCustomError(pool.w.pool, "NothingToSeize").withArgs(debtToCover);
        expect(await pool.model(debtToCover)).to.deep.equal({ error: "NothingToSeize" });
        expect([await pool.collateralLeft(), await pool.debtLeft()]).to.deep.equal([UNIT.wbtc, 42_000n * UNIT.usdc]);

        const aave = await onAave(TINY);
        expect(await aave.revert(debtToCover)).to.equal("InvalidBurnAmount");
        expect([await aave.collateralLeft(), await aave.debtLeft()]).to.deep.equal([UNIT.wbtc, 42_000n * UNIT.usdc]);
      });
    }

    it("500 wei (one satoshi before the bonus, 1.1 after it, floored) seizes 1 satoshi on both, and the pool's model agrees", async () => {
      const pool = await onPool(TINY);
      expect(await pool.model(500n)).to.deep.equal({ debtRepaid: 500n, collateralSeized: 1n, protocolFee: 0n, healthFactorWad: 892_857_142_857_142_857n, writesOffBadDebt: false });
      await expect(pool.liquidate(500n)).to.emit(pool.w.pool, "LiquidationCall").withArgs(...pool.event(500n, 1n, 0n, 892_857_142_857_142_857n));
      const aave = await onAave(TINY);
      const r = await aave.liquidate(500n);
      expect([r.repaid, r.toLiquidator, r.fee, r.deficit]).to.deep.equal([500n, 1n, 0n, 0n]);
    });
  });

  describe("the close factor's half of the debt (kept: the pool rounds down, Aave half up)", () => {
    // 1 WBTC ($13,000), 5 WETH borrowed at price P: debt value D = 5P (8-decimal USD, exact), HF = 1,950 / P in (0.95, 1),
    // both sides over $2,000: at most half. Pool floor(floor(D / 2) x 1e18 / P); Aave floor(percentMul(D, 5,000) x 1e18 / P).
    // Bound: Aave repays 0 to ceil(1e18 / P) wei more (1e-8 USD of debt); its seizure 0 to 2 satoshis more.
    for (const [price, gap] of [["2000.00000001", 4_999_999n], ["2000.00000002", 0n], ["2012.34567891", 4_969_325n]] as const) {
      it(`WETH $${price}: Aave repays ${gap} wei more, within ceil(1e18 / P)`, async () => {
        const p = usd(price);
        const story: Story = { collateral: "wbtc", debt: "weth", collateralAmount: UNIT.wbtc, borrowed: 5n * UNIT.weth, prices: { weth: price, wbtc: "13000" } };
        const poolRepaid = ((5n * p) / 2n) * WAD / p;
        const aaveRepaid = percentMul(5n * p, 5_000n) * WAD / p;
        const base = (r: bigint) => (r * p) / (13_000n * WAD); // WETH wei to satoshis: x P x 1e8 / (13,000e8 x 1e18)
        const poolSeized = (base(poolRepaid) * 11n) / 10n;
        const aaveSeized = percentMul(base(aaveRepaid), 11_000n);

        const pool = await onPool(story);
        const hf = (1_950n * 10n ** 8n * WAD) / p;
        await expect(pool.liquidate(MAX_UINT256)).to.emit(pool.w.pool, "LiquidationCall").withArgs(...pool.event(poolRepaid, poolSeized, 0n, hf));
        const aave = await onAave(story);
        const r = await aave.liquidate(MAX_UINT256);
        expect([r.repaid, r.toLiquidator, r.fee, r.deficit]).to.deep.equal([aaveRepaid, aaveSeized, 0n, 0n]);

        expect(aaveRepaid - poolRepaid).to.equal(gap);
        expect(gap <= ceilDiv(WAD, p)).to.equal(true);
        expect(aaveSeized - poolSeized >= 0n && aaveSeized - poolSeized <= 2n).to.equal(true);
      });
    }
  });

  describe("seized collateral and protocol fee (kept: the pool rounds down, Aave's percentMul half up)", () => {
    // 10 WETH, 15,000 USDC, WETH $1,800 (HF 0.99): the same base floor(r x 1e8 x 1e18 / (1,800e8 x 1e6)) on both;
    // bonus 5%: pool wMulDown(base, 1.05), Aave percentMul(base, 10,500). Fee 10% of the bonus part: pool
    // floor((s - ceil(s / 1.05)) / 10), Aave percentMul(s - percentDiv(s, 10,500), 1,000). Bound: 1 wei each.
    for (const [repaid, seizedGap, feeGap] of [[1_000_000_000n, 1n, 1n], [1_234_567_891n, 1n, 1n], [999_999_999n, 0n, 0n]] as const) {
      it(`repay ${repaid} USDC wei: Aave seizes ${seizedGap} wei more, fee ${feeGap} wei more`, async () => {
        const story: Story = { collateral: "weth", debt: "usdc", collateralAmount: 10n * UNIT.weth, borrowed: 15_000n * UNIT.usdc, prices: { weth: "1800" } };
        const base = (repaid * 10n ** 20n) / (1_800n * 10n ** 8n);
        const poolSeized = (base * 105n) / 100n;
        const poolFee = (poolSeized - ceilDiv(poolSeized * 100n, 105n)) / 10n;
        const aaveSeized = percentMul(base, 10_500n);
        const aaveFee = percentMul(aaveSeized - percentDiv(aaveSeized, 10_500n), 1_000n);

        const pool = await onPool(story);
        await expect(pool.liquidate(repaid)).to.emit(pool.w.pool, "LiquidationCall").withArgs(...pool.event(repaid, poolSeized, poolFee, 990_000_000_000_000_000n));
        const aave = await onAave(story);
        const r = await aave.liquidate(repaid);
        expect([r.repaid, r.toLiquidator + r.fee, r.fee]).to.deep.equal([repaid, aaveSeized, aaveFee]);
        expect([aaveSeized - poolSeized, aaveFee - poolFee]).to.deep.equal([seizedGap, feeGap]);
      });
    }
  });

  describe("all collateral seized, WBTC (8 decimals) against WETH (18) (kept: the pool charges up to one satoshi's value more)", () => {
    // Alice's C satoshis at WBTC price Pc, 20 WETH of debt at $2,000: the seizure is capped at C. One satoshi is worth
    // u = Pc x 1e18 / (2,000e8 x 1e8) wei. Pool: ceil(ceil(C / 1.1) x u), the satoshis before the bonus rounded up
    // first; Aave: percentDivCeil(floor(C x u), 11,000). Bound: the pool repays -1 to ceil(u) + 1 wei more, and
    // writes off that much less bad debt.
    const cases = [
      ["40000", UNIT.wbtc, 18_181_818_181n],
      ["41234.56789012", UNIT.wbtc, 18_742_985_405n],
      ["40000", UNIT.wbtc + 9n, 181_818_181_818n],
    ] as const;
    for (const [price, collateral, gap] of cases) {
      it(`${collateral} satoshis at $${price}: the pool repays ${gap} wei more`, async () => {
        const pc = usd(price);
        const story: Story = { collateral: "wbtc", debt: "weth", collateralAmount: collateral, borrowed: 20n * UNIT.weth, prices: { wbtc: price } };
        const scale = 2_000n * 10n ** 8n * UNIT.wbtc;
        const poolRepaid = ceilDiv(ceilDiv(collateral * 10n, 11n) * pc * WAD, scale);
        const aaveRepaid = percentDivCeil((collateral * pc * WAD) / scale, 11_000n);

        const pool = await onPool(story);
        const tx = pool.liquidate(MAX_UINT256);
        await expect(tx).to.emit(pool.w.pool, "BadDebtRecorded").withArgs(await pool.w.weth.getAddress(), pool.w.alice.address, 20n * UNIT.weth - poolRepaid, (20n * UNIT.weth - poolRepaid) * 10n ** 6n);
        const seized = (await pool.w.pool.queryFilter(pool.w.pool.filters.LiquidationCall()))[0]?.args;
        expect([seized?.debtRepaid, seized?.collateralSeized]).to.deep.equal([poolRepaid, collateral]);
        const aave = await onAave(story);
        const r = await aave.liquidate(MAX_UINT256);
        expect([r.repaid, r.toLiquidator, r.fee, r.deficit]).to.deep.equal([aaveRepaid, collateral, 0n, 20n * UNIT.weth - aaveRepaid]);

        expect(poolRepaid - aaveRepaid).to.equal(gap);
        expect(gap <= ceilDiv(pc * WAD, scale) + 1n).to.equal(true);
      });
    }
  });
});
