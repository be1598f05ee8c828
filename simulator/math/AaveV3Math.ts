/**
 * A bigint model of the real Aave V3.6's account and liquidation math (`@aave-dao/aave-v3-origin`
 * 3.6.0: GenericLogic.calculateUserAccountData, LiquidationLogic's amounts, ReserveLogic's indexes),
 * written from its formulas with the same names and the same rounding, so that the simulator values an
 * Aave position and sizes a liquidation as the pool will; tests hold it to the deployed pool.
 * No e-mode, isolation mode or price sentinel (liqsim never turns them on).
 *
 * Scales: token amounts in native decimals; prices and base-currency values USD with 8 decimals;
 * indexes and rates RAY (1e27, rates annual); percentages in basis points (10,000 = 100%); health WAD.
 */
import { MAX_UINT256, WAD, min } from "./MathLib";

export const RAY = 10n ** 27n;
export const PERCENTAGE_FACTOR = 10_000n;
export const SECONDS_PER_YEAR = 365n * 24n * 60n * 60n;
/** LiquidationLogic's constants: half of the total debt while HF > 0.95 and both sides are worth >= $2,000; $1,000 leftover. */
export const DEFAULT_LIQUIDATION_CLOSE_FACTOR = 5_000n;
export const CLOSE_FACTOR_HF_THRESHOLD = 95n * 10n ** 16n;
export const MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2_000n * 10n ** 8n;
export const MIN_LEFTOVER_BASE = MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD / 2n;

const HALF_RAY = RAY / 2n;
const ceilDiv = (x: bigint, d: bigint) => x / d + (x % d === 0n ? 0n : 1n);

/** a × b / RAY rounded half up. */
export const rayMul = (a: bigint, b: bigint): bigint => (a * b + HALF_RAY) / RAY;
export const rayMulFloor = (a: bigint, b: bigint): bigint => (a * b) / RAY;
export const rayMulCeil = (a: bigint, b: bigint): bigint => ceilDiv(a * b, RAY);
/** a × WAD / b rounded half up. */
export const wadDiv = (a: bigint, b: bigint): bigint => (a * WAD + b / 2n) / b;
/** value × percentage / 10,000 rounded half up. */
export const percentMul = (value: bigint, percentage: bigint): bigint => (value * percentage + PERCENTAGE_FACTOR / 2n) / PERCENTAGE_FACTOR;
export const percentMulFloor = (value: bigint, percentage: bigint): bigint => (value * percentage) / PERCENTAGE_FACTOR;
/** value × 10,000 / percentage rounded half up. */
export const percentDiv = (value: bigint, percentage: bigint): bigint => (value * PERCENTAGE_FACTOR + percentage / 2n) / percentage;
export const percentDivCeil = (value: bigint, percentage: bigint): bigint => ceilDiv(value * PERCENTAGE_FACTOR, percentage);
export const mulDivCeil = (a: bigint, b: bigint, c: bigint): bigint => ceilDiv(a * b, c);

/** A reserve's configuration in Aave's units (the configurator's inputs). */
export interface AaveReserveConfig {
  ltvBps: bigint;
  liquidationThresholdBps: bigint;
  /** 10,000 + the bonus (10,500: 5%). */
  liquidationBonusBps: bigint;
  liquidationProtocolFeeBps: bigint;
  /** 10 ** decimals. */
  unit: bigint;
}

/** What `getReserveData` stores of a reserve's indexes and rates (RAY), and when it last updated them. */
export interface AaveReserveState {
  liquidityIndex: bigint;
  variableBorrowIndex: bigint;
  currentLiquidityRate: bigint;
  currentVariableBorrowRate: bigint;
  lastUpdateTimestamp: bigint;
}

export interface AaveReserveModel {
  config: AaveReserveConfig;
  state: AaveReserveState;
  /** AaveOracle's price, USD E8. */
  priceE8: bigint;
}

/** A user's scaled aToken and variable-debt balances per reserve (reserve order) and the reserves it uses as collateral. */
export interface AaveUserPosition {
  scaledSupply: readonly bigint[];
  scaledDebt: readonly bigint[];
  collateralEnabled: readonly boolean[];
}

/** `getUserAccountData`'s six values; `thresholdWeightedBase`: Σ collateral_i × LT_i (base × bps) before the division. */
export interface AaveAccountData {
  totalCollateralBase: bigint;
  totalDebtBase: bigint;
  availableBorrowsBase: bigint;
  currentLiquidationThreshold: bigint;
  ltv: bigint;
  healthFactor: bigint;
}

/** ReserveLogic.getNormalizedIncome: the liquidity index grown linearly to `timestamp`. */
export function normalizedIncome(s: AaveReserveState, timestamp: bigint): bigint {
  if (timestamp === s.lastUpdateTimestamp) return s.liquidityIndex;
  return rayMul(RAY + (s.currentLiquidityRate * (timestamp - s.lastUpdateTimestamp)) / SECONDS_PER_YEAR, s.liquidityIndex);
}

/** ReserveLogic.getNormalizedDebt: the borrow index compounded (three-term binomial) to `timestamp`. */
export function normalizedDebt(s: AaveReserveState, timestamp: bigint): bigint {
  if (timestamp === s.lastUpdateTimestamp) return s.variableBorrowIndex;
  const x = (s.currentVariableBorrowRate * (timestamp - s.lastUpdateTimestamp)) / SECONDS_PER_YEAR;
  return rayMul(RAY + x + rayMul(x, x / 2n + rayMul(x, x / 6n)), s.variableBorrowIndex);
}

/** TokenMath.getATokenBalance: scaled × index, rounded down. */
export const aTokenBalance = (scaled: bigint, index: bigint): bigint => rayMulFloor(scaled, index);
/** TokenMath.getVTokenBalance: scaled × index, rounded up. */
export const vTokenBalance = (scaled: bigint, index: bigint): bigint => rayMulCeil(scaled, index);

/** The account's sums: collateral (down) and debt (up) in base currency, and the LTV- and threshold-weighted sums (base × bps). */
export interface AaveAccountSums {
  totalCollateralBase: bigint;
  totalDebtBase: bigint;
  ltvWeighted: bigint;
  thresholdWeighted: bigint;
  healthFactor: bigint;
}

/**
 * GenericLogic.calculateUserAccountData at `timestamp`:
 *   HF = Σ(collateralBase_i × LT_i) × WAD / totalDebtBase (half up) / 10,000; max uint256 without debt.
 * A reserve whose price is <= 0 makes the result undefined (AaveOracle reverts on it).
 */
export function accountSums(reserves: readonly AaveReserveModel[], user: AaveUserPosition, timestamp: bigint): AaveAccountSums | undefined {
  const a: AaveAccountSums = { totalCollateralBase: 0n, totalDebtBase: 0n, ltvWeighted: 0n, thresholdWeighted: 0n, healthFactor: MAX_UINT256 };
  for (const [i, r] of reserves.entries()) {
    const collateral = (user.collateralEnabled[i] ?? false) && (user.scaledSupply[i] ?? 0n) > 0n;
    const debt = user.scaledDebt[i] ?? 0n;
    if (!collateral && debt === 0n) continue;
    if (r.priceE8 <= 0n) return undefined;
    if (collateral) {
      const base = (aTokenBalance(user.scaledSupply[i] ?? 0n, normalizedIncome(r.state, timestamp)) * r.priceE8) / r.config.unit;
      a.totalCollateralBase += base;
      a.ltvWeighted += base * r.config.ltvBps;
      a.thresholdWeighted += base * r.config.liquidationThresholdBps;
    }
    if (debt > 0n) a.totalDebtBase += mulDivCeil(vTokenBalance(debt, normalizedDebt(r.state, timestamp)), r.priceE8, r.config.unit);
  }
  if (a.totalDebtBase > 0n) a.healthFactor = wadDiv(a.thresholdWeighted, a.totalDebtBase) / PERCENTAGE_FACTOR;
  return a;
}

/** `Pool.getUserAccountData` (averages rounded down; available borrows = collateral × avg LTV, floored, less debt). */
export function userAccountData(reserves: readonly AaveReserveModel[], user: AaveUserPosition, timestamp: bigint): AaveAccountData | undefined {
  const a = accountSums(reserves, user, timestamp);
  if (!a) return undefined;
  const ltv = a.totalCollateralBase === 0n ? 0n : a.ltvWeighted / a.totalCollateralBase;
  const available = percentMulFloor(a.totalCollateralBase, ltv);
  return {
    totalCollateralBase: a.totalCollateralBase,
    totalDebtBase: a.totalDebtBase,
    availableBorrowsBase: available > a.totalDebtBase ? available - a.totalDebtBase : 0n,
    currentLiquidationThreshold: a.totalCollateralBase === 0n ? 0n : a.thresholdWeighted / a.totalCollateralBase,
    ltv,
    healthFactor: a.healthFactor,
  };
}

/** What `liquidationCall` would do; `collateralToLiquidator` + `protocolFee` leave the borrower. */
export interface AaveLiquidationPreview {
  debtRepaid: bigint;
  collateralToLiquidator: bigint;
  protocolFee: bigint;
  healthFactor: bigint;
  /** The borrower is left without collateral: every remaining debt becomes the reserves' deficit. */
  createsDeficit: boolean;
}

/** Why a liquidation would revert (Aave's error names), for the keeper to skip it. */
export type AaveLiquidationRefusal = "HealthFactorNotBelowThreshold" | "CollateralCannotBeLiquidated" | "NoDebt" | "MustNotLeaveDust" | "InvalidBurnAmount" | "PriceUnavailable";

/**
 * LiquidationLogic.executeLiquidationCall's amounts at `timestamp` for `debtToCover` of reserve
 * `debtIndex` against the collateral of reserve `collateralIndex` (receiveAToken false).
 */
export function previewLiquidation(
  reserves: readonly AaveReserveModel[],
  user: AaveUserPosition,
  collateralIndex: number,
  debtIndex: number,
  debtToCover: bigint,
  timestamp: bigint,
): AaveLiquidationPreview | AaveLiquidationRefusal {
  const cr = reserves[collateralIndex];
  const dr = reserves[debtIndex];
  const a = accountSums(reserves, user, timestamp);
  if (!cr || !dr || !a) return "PriceUnavailable";
  if (a.healthFactor >= WAD) return "HealthFactorNotBelowThreshold";
  const collateralBalance = aTokenBalance(user.scaledSupply[collateralIndex] ?? 0n, normalizedIncome(cr.state, timestamp));
  const debt = vTokenBalance(user.scaledDebt[debtIndex] ?? 0n, normalizedDebt(dr.state, timestamp));
  if (debt === 0n) return "NoDebt";
  if (!(user.collateralEnabled[collateralIndex] ?? false) || cr.config.liquidationThresholdBps === 0n || collateralBalance === 0n) return "CollateralCannotBeLiquidated";
  const debtBase = mulDivCeil(debt, dr.priceE8, dr.config.unit);
  const collateralBase = (collateralBalance * cr.priceE8) / cr.config.unit;
  let maxDebt = debt;
  if (collateralBase >= MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD && debtBase >= MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD && a.healthFactor > CLOSE_FACTOR_HF_THRESHOLD) {
    const closeFactorBase = percentMul(a.totalDebtBase, DEFAULT_LIQUIDATION_CLOSE_FACTOR);
    if (debtBase > closeFactorBase) maxDebt = (closeFactorBase * dr.config.unit) / dr.priceE8;
  }
  const amounts = collateralToLiquidate(cr, dr, min(debtToCover, maxDebt), collateralBalance);
  const seized = amounts.collateral + amounts.fee;
  if (amounts.debt < debt && seized < collateralBalance) {
    const leftoverDebtBase = mulDivCeil(debt - amounts.debt, dr.priceE8, dr.config.unit);
    const leftoverCollateralBase = ((collateralBalance - seized) * cr.priceE8) / cr.config.unit;
    if (leftoverDebtBase < MIN_LEFTOVER_BASE || leftoverCollateralBase < MIN_LEFTOVER_BASE) return "MustNotLeaveDust";
  }
  // The aToken burn of the liquidator's part reverts on a scaled amount of zero.
  if (amounts.collateral === 0n) return "InvalidBurnAmount";
  return {
    debtRepaid: amounts.debt,
    collateralToLiquidator: amounts.collateral,
    protocolFee: amounts.fee,
    healthFactor: a.healthFactor,
    createsDeficit: a.totalCollateralBase === (seized * cr.priceE8) / cr.config.unit,
  };
}

/**
 * LiquidationLogic._calculateAvailableCollateralToLiquidate: collateral = debt × debtPrice / collateralPrice
 * × bonus (half up), capped at the balance (then debt = collateral value / bonus, rounded up); the protocol
 * fee is its share of the bonus part, taken out of what the liquidator receives.
 */
export function collateralToLiquidate(cr: AaveReserveModel, dr: AaveReserveModel, debtToCover: bigint, collateralBalance: bigint): { collateral: bigint; debt: bigint; fee: bigint } {
  const bonus = cr.config.liquidationBonusBps;
  const baseCollateral = (dr.priceE8 * debtToCover * cr.config.unit) / (cr.priceE8 * dr.config.unit);
  let collateral = percentMul(baseCollateral, bonus);
  let debt = debtToCover;
  if (collateral > collateralBalance) {
    collateral = collateralBalance;
    debt = percentDivCeil((cr.priceE8 * collateral * dr.config.unit) / (dr.priceE8 * cr.config.unit), bonus);
  }
  const fee = protocolFeeOf(collateral, cr.config);
  return { collateral: collateral - fee, debt, fee };
}

/** What the protocol fee of a liquidation depends on. */
export type LiquidationFeeConfig = Pick<AaveReserveConfig, "liquidationBonusBps" | "liquidationProtocolFeeBps">;

/** The protocol's share of the bonus part of `seized` collateral: (seized - seized / bonus) × fee share, both half up. */
export function protocolFeeOf(seized: bigint, config: LiquidationFeeConfig): bigint {
  if (config.liquidationProtocolFeeBps === 0n) return 0n;
  return percentMul(seized - percentDiv(seized, config.liquidationBonusBps), config.liquidationProtocolFeeBps);
}

/**
 * The protocol fee of a liquidation whose `LiquidationCall` says the liquidator received `received`:
 * the fee f with received + f - protocolFeeOf(received + f) == 0, searched around the exact ratio
 * (the event does not carry the fee; the seizure minus the fee is monotone to within a wei).
 */
export function protocolFeeFromReceived(received: bigint, config: LiquidationFeeConfig): bigint {
  const b = config.liquidationBonusBps;
  const f = config.liquidationProtocolFeeBps;
  if (f === 0n || received === 0n) return 0n;
  // seized × (1 - (b - 10,000) / b × f / 10,000) = received.
  const estimate = (received * b * PERCENTAGE_FACTOR) / (b * PERCENTAGE_FACTOR - (b - PERCENTAGE_FACTOR) * f);
  for (let delta = 0n; delta <= 4n; delta++) {
    for (const seized of delta === 0n ? [estimate] : [estimate + delta, estimate - delta]) {
      if (seized >= received && seized - protocolFeeOf(seized, config) === received) return seized - received;
    }
  }
  throw new RangeError(`no seizure leaves ${received} to the liquidator at bonus ${b} and fee ${f} (basis points)`);
}
