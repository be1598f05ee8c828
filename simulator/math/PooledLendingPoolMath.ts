/**
 * A bigint model of `PooledLendingPool`'s math: interest accrual, account valuation, health factor,
 * liquidation amounts and bad-debt write-off. Every function mirrors the contract's internal function
 * of the same name, operation for operation, so the two agree to the wei; tests hold them to it.
 *
 * Scales: token amounts in native decimals; prices and USD values with 8 decimals; ratios and rates
 * WAD (1e18 = 100%, rates annual); timestamps in seconds.
 */
import { MAX_UINT256, WAD, min, mulDivDown, mulDivUp, wDivDown, wDivUp, wMulDown, zeroFloorSub } from "./MathLib";
import { toAssetsDown, toAssetsUp, toSharesDown, toSharesUp } from "./SharesMathLib";
import { kinkedRate, utilization } from "./RateLib";

export const SECONDS_PER_YEAR = 365n * 24n * 60n * 60n;

/** The numeric part of the contract's `ReserveConfig` (WAD ratios, annual WAD rates). */
export interface ReserveRiskConfig {
  ltvWad: bigint;
  liquidationThresholdWad: bigint;
  liquidationBonusWad: bigint;
  liquidationProtocolFeeWad: bigint;
  reserveFactorWad: bigint;
  baseRateWad: bigint;
  slope1Wad: bigint;
  slope2Wad: bigint;
  optimalUtilizationWad: bigint;
}

/** The contract's `ReserveState`: totals in native decimals and shares, `lastUpdate` in seconds. */
export interface ReserveState {
  totalSupplyAssets: bigint;
  totalSupplyShares: bigint;
  totalBorrowAssets: bigint;
  totalBorrowShares: bigint;
  reservesAssets: bigint;
  lastUpdate: bigint;
}

/** The contract's `LiquidationConfig`; USD thresholds with 8 decimals. */
export interface LiquidationConfig {
  closeFactorWad: bigint;
  closeFactorHfThresholdWad: bigint;
  closeFactorDustUsd: bigint;
  minLeftoverUsd: bigint;
  liquidationsAcceptStalePrice: boolean;
}

/** One reserve as the model sees it: stored (not yet accrued) state and the price to value it at. */
export interface ReserveModel {
  config: ReserveRiskConfig;
  state: ReserveState;
  /** 10 ** decimals of the asset. */
  unit: bigint;
  /** The feed's answer, USD with 8 decimals (may be <= 0: valuing with it throws `InvalidPrice`). */
  priceE8: bigint;
}

/** A user's shares in each reserve, in the pool's reserve order. */
export interface UserShares {
  supplyShares: readonly bigint[];
  borrowShares: readonly bigint[];
}

/** The contract's internal `AccountVars`: USD with 8 decimals, HF WAD. */
export interface AccountVars {
  totalCollateralUsd: bigint;
  totalDebtUsd: bigint;
  thresholdWeightedCollateralUsd: bigint;
  ltvWeightedCollateralUsd: bigint;
  healthFactorWad: bigint;
}

/** `getUserAccountData`'s six values, in Aave's order. */
export interface UserAccountData {
  totalCollateralUsd: bigint;
  totalDebtUsd: bigint;
  availableBorrowsUsd: bigint;
  currentLiquidationThreshold: bigint;
  ltv: bigint;
  healthFactor: bigint;
}

/** The contract's `LiquidationPreview`. */
export interface LiquidationPreview {
  debtRepaid: bigint;
  collateralSeized: bigint;
  protocolFee: bigint;
  healthFactorWad: bigint;
  writesOffBadDebt: boolean;
}

/** The custom errors of `IPooledLendingPool` that the model can raise. */
export type PoolErrorName =
  | "ZeroAmount"
  | "ZeroShares"
  | "ReserveNotListed"
  | "BorrowingDisabled"
  | "InsufficientBalance"
  | "LtvExceeded"
  | "HealthFactorBelowOne"
  | "StalePrice"
  | "CollateralNotEnabled"
  | "InvalidPrice"
  | "HealthFactorNotBelowOne"
  | "NoCollateralToSeize"
  | "NoDebtToRepay"
  | "NothingToSeize"
  | "MustNotLeaveDust"
  | "InsufficientLiquidity"
  | "DeficitExceeded";

/** Raised where the contract would revert; `errorName` and `args` are the custom error's. */
export class PoolMathError extends Error {
  override readonly name = "PoolMathError";
  constructor(
    readonly errorName: PoolErrorName,
    readonly args: readonly bigint[] = [],
  ) {
    super(`${errorName}(${args.join(", ")})`);
  }
}

function at<T>(items: readonly T[], index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`${what}[${index}] does not exist`);
  return item;
}

/** Annual borrow rate (WAD) on the kinked curve (RateLib), U = borrows / (supply + reserves). */
export function borrowRate(config: ReserveRiskConfig, state: ReserveState): bigint {
  return kinkedRate(utilization(state.totalBorrowAssets, state.totalSupplyAssets + state.reservesAssets), config);
}

/** The last accrual of each reserve state object (`accruedState`): a block values every account on the same states. */
const lastAccrual = new WeakMap<ReserveState, { config: ReserveRiskConfig; timestamp: bigint; accrued: Readonly<AccruedReserve> }>();

/** A reserve's state with interest accrued, what accrued and the reserves' cut of it. */
export interface AccruedReserve {
  state: Readonly<ReserveState>;
  interest: bigint;
  reservesCut: bigint;
}

/**
 * The reserve's totals with interest accrued to `timestamp`: interest = borrows * rate * elapsed / year;
 * the reserve factor's share goes to the reserves, the rest to suppliers. The result is frozen and
 * shared: valuing many accounts on one state at one timestamp accrues it once.
 */
export function accruedState(config: ReserveRiskConfig, state: ReserveState, timestamp: bigint): Readonly<AccruedReserve> {
  const last = lastAccrual.get(state);
  if (last !== undefined && last.timestamp === timestamp && last.config === config) return last.accrued;
  const elapsed = timestamp - state.lastUpdate;
  if (elapsed < 0n) throw new RangeError(`timestamp ${timestamp} is before lastUpdate ${state.lastUpdate}`);
  const s: ReserveState = { ...state, lastUpdate: timestamp };
  let interest = 0n;
  let reservesCut = 0n;
  if (elapsed !== 0n && state.totalBorrowAssets !== 0n) {
    const rate = borrowRate(config, state);
    interest = mulDivDown(state.totalBorrowAssets, rate * elapsed, WAD * SECONDS_PER_YEAR);
    reservesCut = wMulDown(interest, config.reserveFactorWad);
    s.totalBorrowAssets += interest;
    s.totalSupplyAssets += interest - reservesCut;
    s.reservesAssets += reservesCut;
  }
  const accrued = Object.freeze({ state: Object.freeze(s), interest, reservesCut });
  lastAccrual.set(state, { config, timestamp, accrued });
  return accrued;
}

function checkedPrice(reserve: ReserveModel): bigint {
  if (reserve.priceE8 <= 0n) throw new PoolMathError("InvalidPrice", [reserve.priceE8]);
  return reserve.priceE8;
}

/** A supply balance in native units, rounded down, with interest accrued to `timestamp`. */
export function supplyBalance(reserve: ReserveModel, shares: bigint, timestamp: bigint): bigint {
  const s = accruedState(reserve.config, reserve.state, timestamp).state;
  return toAssetsDown(shares, s.totalSupplyAssets, s.totalSupplyShares);
}

/** A debt balance in native units, rounded up, with interest accrued to `timestamp`. */
export function debtBalance(reserve: ReserveModel, shares: bigint, timestamp: bigint): bigint {
  const s = accruedState(reserve.config, reserve.state, timestamp).state;
  return toAssetsUp(shares, s.totalBorrowAssets, s.totalBorrowShares);
}

/**
 * Values the account at `timestamp`: collateral (supply in reserves with a liquidation threshold)
 * rounded down, debt rounded up; HF = sum(collateralUsd_i * LT_i) / totalDebtUsd, max uint256 without debt.
 */
export function account(reserves: readonly ReserveModel[], user: UserShares, timestamp: bigint): AccountVars {
  const a: AccountVars = {
    totalCollateralUsd: 0n,
    totalDebtUsd: 0n,
    thresholdWeightedCollateralUsd: 0n,
    ltvWeightedCollateralUsd: 0n,
    healthFactorWad: 0n,
  };
  for (let i = 0; i < reserves.length; i++) {
    const r = reserves[i] as ReserveModel;
    const supplyShares = at(user.supplyShares, i, "supplyShares");
    const borrowShares = at(user.borrowShares, i, "borrowShares");
    const isCollateral = supplyShares !== 0n && r.config.liquidationThresholdWad !== 0n;
    if (!isCollateral && borrowShares === 0n) continue;
    const price = checkedPrice(r);
    const s = accruedState(r.config, r.state, timestamp).state;
    if (isCollateral) {
      const collateralUsd = mulDivDown(toAssetsDown(supplyShares, s.totalSupplyAssets, s.totalSupplyShares), price, r.unit);
      a.totalCollateralUsd += collateralUsd;
      a.thresholdWeightedCollateralUsd += wMulDown(collateralUsd, r.config.liquidationThresholdWad);
      a.ltvWeightedCollateralUsd += wMulDown(collateralUsd, r.config.ltvWad);
    }
    if (borrowShares !== 0n) {
      a.totalDebtUsd += mulDivUp(toAssetsUp(borrowShares, s.totalBorrowAssets, s.totalBorrowShares), price, r.unit);
    }
  }
  a.healthFactorWad =
    a.totalDebtUsd === 0n ? MAX_UINT256 : wDivDown(a.thresholdWeightedCollateralUsd, a.totalDebtUsd);
  return a;
}

/** `getUserAccountData` as the contract computes it from `account`. */
export function userAccountData(reserves: readonly ReserveModel[], user: UserShares, timestamp: bigint): UserAccountData {
  const a = account(reserves, user, timestamp);
  const hasCollateral = a.totalCollateralUsd !== 0n;
  return {
    totalCollateralUsd: a.totalCollateralUsd,
    totalDebtUsd: a.totalDebtUsd,
    availableBorrowsUsd: zeroFloorSub(a.ltvWeightedCollateralUsd, a.totalDebtUsd),
    currentLiquidationThreshold: hasCollateral ? wDivDown(a.thresholdWeightedCollateralUsd, a.totalCollateralUsd) : 0n,
    ltv: hasCollateral ? wDivDown(a.ltvWeightedCollateralUsd, a.totalCollateralUsd) : 0n,
    healthFactor: a.healthFactorWad,
  };
}

/**
 * What `liquidationCall(collateral, debt, user, debtToCover)` does at `timestamp` (Aave V3.3 rules),
 * or the `PoolMathError` the contract would revert with. Reserves are indexed in the pool's order.
 */
export function previewLiquidation(
  reserves: readonly ReserveModel[],
  liquidationConfig: LiquidationConfig,
  user: UserShares,
  collateralIndex: number,
  debtIndex: number,
  debtToCover: bigint,
  timestamp: bigint,
): LiquidationPreview {
  if (debtToCover === 0n) throw new PoolMathError("ZeroAmount");
  const cr = at(reserves, collateralIndex, "reserves");
  const dr = at(reserves, debtIndex, "reserves");
  if (cr.config.liquidationThresholdWad === 0n) throw new PoolMathError("CollateralNotEnabled");

  const a = account(reserves, user, timestamp);
  if (a.healthFactorWad >= WAD) throw new PoolMathError("HealthFactorNotBelowOne", [a.healthFactorWad]);

  const collateralPrice = checkedPrice(cr);
  const debtPrice = checkedPrice(dr);
  const bonusWad = cr.config.liquidationBonusWad;
  const userCollateral = supplyBalance(cr, at(user.supplyShares, collateralIndex, "supplyShares"), timestamp);
  const userDebt = debtBalance(dr, at(user.borrowShares, debtIndex, "borrowShares"), timestamp);
  if (userCollateral === 0n) throw new PoolMathError("NoCollateralToSeize");
  if (userDebt === 0n) throw new PoolMathError("NoDebtToRepay");
  const collateralUsd = mulDivDown(userCollateral, collateralPrice, cr.unit);
  const debtUsd = mulDivUp(userDebt, debtPrice, dr.unit);

  const lc = liquidationConfig;
  let maxDebtToRepay = userDebt;
  if (
    collateralUsd >= lc.closeFactorDustUsd &&
    debtUsd >= lc.closeFactorDustUsd &&
    a.healthFactorWad > lc.closeFactorHfThresholdWad
  ) {
    const closeFactorDebtUsd = wMulDown(a.totalDebtUsd, lc.closeFactorWad);
    if (debtUsd > closeFactorDebtUsd) maxDebtToRepay = mulDivDown(closeFactorDebtUsd, dr.unit, debtPrice);
  }
  let debtRepaid = min(debtToCover, maxDebtToRepay);

  // seized = repaid * debtPrice / collateralPrice * bonus (native units of each asset).
  let collateralSeized = wMulDown(mulDivDown(debtRepaid, debtPrice * cr.unit, collateralPrice * dr.unit), bonusWad);
  if (collateralSeized > userCollateral) {
    collateralSeized = userCollateral;
    debtRepaid = mulDivUp(wDivUp(userCollateral, bonusWad), collateralPrice * dr.unit, debtPrice * cr.unit);
  }

  if (lc.minLeftoverUsd !== 0n && debtRepaid < userDebt && collateralSeized < userCollateral) {
    const leftoverDebtUsd = mulDivDown(userDebt - debtRepaid, debtPrice, dr.unit);
    const leftoverCollateralUsd = mulDivDown(userCollateral - collateralSeized, collateralPrice, cr.unit);
    if (leftoverDebtUsd < lc.minLeftoverUsd || leftoverCollateralUsd < lc.minLeftoverUsd) {
      throw new PoolMathError("MustNotLeaveDust", [leftoverDebtUsd, leftoverCollateralUsd]);
    }
  }
  if (collateralSeized === 0n) throw new PoolMathError("NothingToSeize", [debtRepaid]);

  // protocolFee = (seized - seized / bonus) * protocolFeeShare: a share of the bonus part only.
  const protocolFee = wMulDown(collateralSeized - wDivUp(collateralSeized, bonusWad), cr.config.liquidationProtocolFeeWad);
  // The liquidator receives the underlying: the collateral reserve must hold it after the repayment.
  const cs = accruedState(cr.config, cr.state, timestamp).state;
  const borrowed = collateralIndex === debtIndex ? zeroFloorSub(cs.totalBorrowAssets, debtRepaid) : cs.totalBorrowAssets;
  const available = zeroFloorSub(cs.totalSupplyAssets + cs.reservesAssets, borrowed);
  if (collateralSeized - protocolFee > available) {
    throw new PoolMathError("InsufficientLiquidity", [collateralSeized - protocolFee, available]);
  }
  return {
    debtRepaid,
    collateralSeized,
    protocolFee,
    healthFactorWad: a.healthFactorWad,
    writesOffBadDebt: collateralSeized === userCollateral && a.totalCollateralUsd === collateralUsd,
  };
}

/**
 * Who absorbs a pool's bad debt: `haircut` (`PooledLendingPool`): its reserves, then its suppliers;
 * `deficit` (`PooledLendingPoolDeficit`, Aave 3.3+): nobody yet, the reserve books an outstanding deficit.
 */
export type BadDebtModel = "haircut" | "deficit";

/**
 * How writing off `shares` of debt splits, on an accrued reserve state: the debt (rounded up, at most
 * the total), then under `haircut` the part the reserves cover and the part socialized to suppliers,
 * under `deficit` all of it booked as the reserve's deficit.
 */
export function writeOff(
  state: ReserveState,
  shares: bigint,
  model: BadDebtModel = "haircut",
): { assets: bigint; covered: bigint; socialized: bigint; deficit: bigint } {
  const assets = min(toAssetsUp(shares, state.totalBorrowAssets, state.totalBorrowShares), state.totalBorrowAssets);
  if (model === "deficit") return { assets, covered: 0n, socialized: 0n, deficit: assets };
  const covered = min(assets, state.reservesAssets);
  return { assets, covered, socialized: assets - covered, deficit: 0n };
}

/**
 * The contract's `_burnDebt`: burns the debt shares worth `assets` (all of the user's shares when
 * `assets` is their whole debt); the total floors at zero because the last debt rounds up.
 */
export function burnDebt(
  state: ReserveState,
  userShares: bigint,
  assets: bigint,
): { state: ReserveState; shares: bigint } {
  const shares =
    assets === toAssetsUp(userShares, state.totalBorrowAssets, state.totalBorrowShares)
      ? userShares
      : toSharesDown(assets, state.totalBorrowAssets, state.totalBorrowShares);
  if (shares > userShares) throw new RangeError(`burning ${shares} debt shares of ${userShares}`);
  return {
    state: {
      ...state,
      totalBorrowShares: state.totalBorrowShares - shares,
      totalBorrowAssets: zeroFloorSub(state.totalBorrowAssets, assets),
    },
    shares,
  };
}

/**
 * The contract's `_burnCollateral`: burns the supply shares worth `assets` (all of the user's shares
 * when `assets` is their whole balance), rounding the shares up.
 */
export function burnCollateral(
  state: ReserveState,
  userShares: bigint,
  assets: bigint,
): { state: ReserveState; shares: bigint } {
  const shares =
    assets === toAssetsDown(userShares, state.totalSupplyAssets, state.totalSupplyShares)
      ? userShares
      : min(toSharesUp(assets, state.totalSupplyAssets, state.totalSupplyShares), userShares);
  if (assets > state.totalSupplyAssets) throw new RangeError(`burning ${assets} of ${state.totalSupplyAssets} supply`);
  return {
    state: {
      ...state,
      totalSupplyShares: state.totalSupplyShares - shares,
      totalSupplyAssets: state.totalSupplyAssets - assets,
    },
    shares,
  };
}

/** `userAccountData`, or undefined where the contract's view would revert on a price <= 0. */
export function userAccountDataIfPriced(
  reserves: readonly ReserveModel[],
  user: UserShares,
  timestamp: bigint,
): UserAccountData | undefined {
  try {
    return userAccountData(reserves, user, timestamp);
  } catch (e) {
    if (e instanceof PoolMathError && e.errorName === "InvalidPrice") return undefined;
    throw e;
  }
}
