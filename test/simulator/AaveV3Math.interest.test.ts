/**
 * Interest, Aave V3.6 against liqsim's pool: over one accrual gap of t seconds at a borrow rate r a year,
 * Aave compounds the variable debt (`getNormalizedDebt`: 1 + x + x²/2 + x³/6, x = r·t / year, the mirror
 * `AaveV3Math.normalizedDebt`, held to the deployed pool after 30 days in test/contracts/real/AaveV3.model.test.ts),
 * `PooledLendingPool` accrues it linearly (borrows · r · t / year, the mirror `accruedState`, held to the
 * pool in its interest tests). The same debt, rate and gap: Aave's debt is larger by x²/2 + x³/6 of it,
 * the bound docs/real-protocols.md gives. Both sides compound across accruals (every interaction accrues).
 */
import { expect } from "chai";
import { AaveV3Math, accruedState, WAD, type ReserveRiskConfig } from "../../simulator/math";

const RAY = 10n ** 27n;
/** 17,000 USDC borrowed (6 decimals), the size of interest-only's near-edge debts. */
const DEBT = 17_000n * 10n ** 6n;

/** Aave's debt of `DEBT` (scaled at index 1) after `seconds` at `rateWad` a year: the vToken balance, rounded up. */
function aaveDebt(rateWad: bigint, seconds: bigint): bigint {
  const state = { liquidityIndex: RAY, variableBorrowIndex: RAY, currentLiquidityRate: 0n, currentVariableBorrowRate: rateWad * 10n ** 9n, lastUpdateTimestamp: 0n };
  return AaveV3Math.vTokenBalance(DEBT, AaveV3Math.normalizedDebt(state, seconds));
}

/** The pool's borrow total of `DEBT` after `seconds` at a flat `rateWad` a year. */
function poolDebt(rateWad: bigint, seconds: bigint): bigint {
  const config: ReserveRiskConfig = {
    ltvWad: 0n,
    liquidationThresholdWad: 0n,
    liquidationBonusWad: WAD,
    liquidationProtocolFeeWad: 0n,
    reserveFactorWad: 0n,
    baseRateWad: rateWad,
    slope1Wad: 0n,
    slope2Wad: 0n,
    optimalUtilizationWad: WAD / 2n,
  };
  const state = { totalSupplyAssets: 2n * DEBT, totalSupplyShares: 2n * DEBT, totalBorrowAssets: DEBT, totalBorrowShares: DEBT, reservesAssets: 0n, lastUpdate: 0n };
  return accruedState(config, state, seconds).state.totalBorrowAssets;
}

describe("interest: Aave V3.6 compounds the variable debt, liqsim's pool accrues it linearly", () => {
  it("26 hours at 203% a year (interest-only's gap): Aave 17,102.736128 USDC, the pool 17,102.426940: 0.309188 more, 18.08 ppm", () => {
    const rate = (203n * WAD) / 100n;
    const seconds = 26n * 3600n;
    // x = 2.03 · 93,600 / 31,536,000 = 0.0060251…; x²/2 + x³/6 = 1.81875e-5 of 17,000 USDC = 0.3091867, 0.309188 with Aave rounding up (18.08 ppm of the pool's 17,102.426940).
    expect([aaveDebt(rate, seconds), poolDebt(rate, seconds)]).to.deep.equal([17_102_736_128n, 17_102_426_940n]);
  });

  it("a 12-second block at 100% a year: 1 unit apart, the rounding (x²/2 = 7e-14 of the debt is nothing)", () => {
    // Aave rounds the debt balance up (rayMulCeil), the pool its interest down: 6,468.797… accrued.
    expect([aaveDebt(WAD, 12n), poolDebt(WAD, 12n)]).to.deep.equal([17_000_006_469n, 17_000_006_468n]);
  });

  it("30 days at 10% a year without an interaction: 0.575791 USDC more on Aave, 33.59 ppm", () => {
    expect([aaveDebt(WAD / 10n, 30n * 86_400n), poolDebt(WAD / 10n, 30n * 86_400n)]).to.deep.equal([17_140_301_818n, 17_139_726_027n]);
  });
});
