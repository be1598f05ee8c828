/**
 * A bigint mirror of `IsolatedLendingMarket`'s math: oracle price, interest accrual, position health,
 * liquidation amounts with bad-debt realization, and the state change of every entry point. Each
 * function repeats the contract's operations in the same order with the same rounding, so the two
 * agree to the wei; tests hold them to it. Every function is pure: inputs are never modified.
 *
 * Scales: loan amounts (supply, borrow, repaid and bad-debt assets) in the loan token's native decimals;
 * collateral amounts in the collateral token's native decimals; shares are SharesMathLib shares (1e6 per
 * asset unit in an empty market); feed answers are USD with 8 decimals (`...E8`); `price` is loan-token
 * units per collateral-token unit scaled by 1e36 (`ORACLE_PRICE_SCALE`); ratios and rates are WAD
 * (1e18 = 100%, rates annual); times in seconds.
 *
 * The entry-point functions (`supplyOutcome`, ...) take the market state already accrued to the
 * transaction's timestamp (`accruedMarketState`), as the contract accrues before anything else; they
 * throw `IsolatedMarketMathError` where the contract reverts, in the contract's order of checks.
 */
import { MAX_UINT256, WAD, min, mulDivDown, mulDivUp, wDivDown, wDivUp, wMulDown, zeroFloorSub } from "./MathLib";
import { toAssetsDown, toAssetsUp, toSharesDown, toSharesUp } from "./SharesMathLib";
import { SECONDS_PER_YEAR } from "./PooledLendingPoolMath";
import { kinkedRate, utilization } from "./RateLib";

/** Scale of `price` (Morpho Blue's ORACLE_PRICE_SCALE). */
export const ORACLE_PRICE_SCALE = 10n ** 36n;
/** Cap of the liquidation incentive factor, WAD (1.15). */
export const MAX_LIQUIDATION_INCENTIVE_FACTOR = 115n * 10n ** 16n;
/** Share of (1 - LLTV) that the liquidation incentive factor rewards, WAD (0.3). */
export const LIQUIDATION_CURSOR = 3n * 10n ** 17n;

/** The contract's `MarketParams`: WAD ratios, annual WAD rates, seconds. */
export interface MarketParams {
  loanToken: string;
  collateralToken: string;
  loanFeed: string;
  collateralFeed: string;
  lltvWad: bigint;
  baseRateWad: bigint;
  slope1Wad: bigint;
  slope2Wad: bigint;
  optimalUtilizationWad: bigint;
  maxPriceAgeSeconds: bigint;
  liquidationsAcceptStalePrice: boolean;
}

/** The interest-rate curve of a market. */
export type MarketRateParams = Pick<MarketParams, "baseRateWad" | "slope1Wad" | "slope2Wad" | "optimalUtilizationWad">;

/** What a price read needs to know about staleness. */
export type MarketPricePolicy = Pick<MarketParams, "maxPriceAgeSeconds" | "liquidationsAcceptStalePrice">;

/** The contract's `MarketState`: loan-token totals (native decimals) and shares, `lastUpdate` in seconds. */
export interface MarketState {
  totalSupplyAssets: bigint;
  totalSupplyShares: bigint;
  totalBorrowAssets: bigint;
  totalBorrowShares: bigint;
  lastUpdate: bigint;
  /** Cumulative bad debt realized (socialized to the suppliers), loan token. */
  badDebtAssets: bigint;
}

/** The contract's `Position`: shares, and collateral in the collateral token's native decimals. */
export interface Position {
  supplyShares: bigint;
  borrowShares: bigint;
  collateral: bigint;
}

/** A feed's latest round: the answer (USD, 8 decimals) and its `updatedAt` (seconds). */
export interface FeedRound {
  answer: bigint;
  updatedAt: bigint;
}

/** Everything a market's price read looks at: both feeds' latest rounds and both tokens' decimals. */
export interface MarketOracle {
  collateralFeed: FeedRound;
  loanFeed: FeedRound;
  collateralDecimals: bigint;
  loanDecimals: bigint;
}

/**
 * How a price read treats the feeds' age: `latest` ignores it (views), `fresh` requires it (borrow,
 * withdrawCollateral), `liquidation` requires it unless the market's `liquidationsAcceptStalePrice`.
 */
export type PriceMode = "latest" | "fresh" | "liquidation";

/** A position valued at one price: loan-token amounts (native decimals), HF WAD. */
export interface PositionHealth {
  /** toAssetsUp(borrowShares). */
  borrowed: bigint;
  /** collateral * price / 1e36 * LLTV, rounded down. */
  maxBorrow: bigint;
  /** maxBorrow / borrowed rounded down; MAX_UINT256 without borrow shares. */
  healthFactorWad: bigint;
  /** borrowed <= maxBorrow. */
  healthy: boolean;
}

/** The one nonzero input of `liquidate`: collateral to seize (native decimals) or borrow shares to burn. */
export type LiquidationInput = { seizedAssets: bigint; repaidShares?: never } | { repaidShares: bigint; seizedAssets?: never };

/** A state change of one entry point. */
export interface MarketOutcome {
  newState: MarketState;
  newPosition: Position;
}

/** What a liquidation moves: its `Liquidate` event's figures and the resulting state and position. */
export interface LiquidationAmounts extends MarketOutcome {
  /** Collateral sent to the liquidator, collateral token native decimals. */
  seizedAssets: bigint;
  /** Borrow shares burnt for the repayment. */
  repaidShares: bigint;
  /** Loan token pulled from the liquidator: toAssetsUp(repaidShares). */
  repaidAssets: bigint;
  /** Debt realized as bad debt (nonzero only when no collateral is left), loan token. */
  badDebtAssets: bigint;
  badDebtShares: bigint;
}

/** The custom errors of `IIsolatedLendingMarket` that the mirror can raise. */
export type IsolatedMarketErrorName =
  | "ZeroAmount"
  | "ZeroShares"
  | "InsufficientLiquidity"
  | "InsufficientBalance"
  | "InsufficientCollateral"
  | "InvalidPrice"
  | "StalePrice"
  | "HealthyPosition"
  | "InconsistentInput"
  | "LiquidationExceedsPosition";

/**
 * Raised where the contract would revert: `errorName` is the custom error's name and `args` its numeric
 * arguments in order (the feed address of `InvalidPrice` and `StalePrice` is left out).
 */
export class IsolatedMarketMathError extends Error {
  override readonly name = "IsolatedMarketMathError";
  constructor(
    readonly errorName: IsolatedMarketErrorName,
    readonly args: readonly bigint[] = [],
  ) {
    super(`${errorName}(${args.join(", ")})`);
  }
}

/** LIF = min(1.15, 1 / (1 - 0.3 * (1 - LLTV))), WAD, rounded down. */
export function liquidationIncentiveFactor(lltvWad: bigint): bigint {
  return min(MAX_LIQUIDATION_INCENTIVE_FACTOR, wDivDown(WAD, WAD - wMulDown(LIQUIDATION_CURSOR, WAD - lltvWad)));
}

/** 10^(36 + loanDecimals - collateralDecimals): USD-price ratio -> native loan units per native collateral unit x 1e36. */
export function priceScale(collateralDecimals: bigint, loanDecimals: bigint): bigint {
  return 10n ** (36n + loanDecimals - collateralDecimals);
}

function checkedAnswer(answerE8: bigint): bigint {
  if (answerE8 <= 0n) throw new IsolatedMarketMathError("InvalidPrice", [answerE8]);
  return answerE8;
}

/**
 * price = collateralPriceE8 * 10^(36 + loanDecimals - collateralDecimals) / loanPriceE8, rounded down:
 * loan-token units per collateral-token unit, scaled by 1e36. Throws `InvalidPrice` for an answer <= 0
 * (the collateral feed's first).
 */
export function oraclePrice(collateralPriceE8: bigint, loanPriceE8: bigint, collateralDecimals: bigint, loanDecimals: bigint): bigint {
  const collateral = checkedAnswer(collateralPriceE8);
  const loan = checkedAnswer(loanPriceE8);
  return mulDivDown(collateral, priceScale(collateralDecimals, loanDecimals), loan);
}

/**
 * The contract's `_price` at `nowSeconds`: `oraclePrice` of the two feeds, reading the collateral feed
 * first. Each feed throws `InvalidPrice` for an answer <= 0, then, when `mode` checks age, `StalePrice`
 * if now > updatedAt and now - updatedAt > maxPriceAgeSeconds.
 */
export function marketPrice(policy: MarketPricePolicy, oracle: MarketOracle, nowSeconds: bigint, mode: PriceMode): bigint {
  const checkAge = mode === "fresh" || (mode === "liquidation" && !policy.liquidationsAcceptStalePrice);
  const read = (feed: FeedRound): bigint => {
    const answer = checkedAnswer(feed.answer);
    if (checkAge && nowSeconds > feed.updatedAt && nowSeconds - feed.updatedAt > policy.maxPriceAgeSeconds) {
      throw new IsolatedMarketMathError("StalePrice", [feed.updatedAt, policy.maxPriceAgeSeconds]);
    }
    return answer;
  };
  const collateral = read(oracle.collateralFeed);
  const loan = read(oracle.loanFeed);
  return mulDivDown(collateral, priceScale(oracle.collateralDecimals, oracle.loanDecimals), loan);
}

/** Annual borrow rate (WAD) on the kinked curve (RateLib), U = borrow / supply. */
export function borrowRate(params: MarketRateParams, state: MarketState): bigint {
  return kinkedRate(utilization(state.totalBorrowAssets, state.totalSupplyAssets), params);
}

/**
 * The market's totals with interest accrued to `nowSeconds`, all of it to the suppliers:
 * interest = totalBorrow * rate * elapsed / (1e18 * year), rounded down, at the rate of the given state.
 * `borrowRateWad` is the rate used (0 when nothing accrued: no time or no borrow), as `InterestAccrued` reports it.
 */
export function accruedMarketState(
  params: MarketRateParams,
  state: MarketState,
  nowSeconds: bigint,
): { state: MarketState; interest: bigint; borrowRateWad: bigint } {
  const elapsed = nowSeconds - state.lastUpdate;
  if (elapsed < 0n) throw new RangeError(`nowSeconds ${nowSeconds} is before lastUpdate ${state.lastUpdate}`);
  const s: MarketState = { ...state, lastUpdate: nowSeconds };
  let interest = 0n;
  let rate = 0n;
  if (elapsed !== 0n && state.totalBorrowAssets !== 0n) {
    rate = borrowRate(params, state);
    interest = mulDivDown(state.totalBorrowAssets, rate * elapsed, WAD * SECONDS_PER_YEAR);
    s.totalBorrowAssets += interest;
    s.totalSupplyAssets += interest;
  }
  return { state: s, interest, borrowRateWad: rate };
}

/**
 * The position valued at `price` (1e36 scale) on `state` (accrued by the caller):
 * borrowed = toAssetsUp(borrowShares), maxBorrow = wMulDown(mulDivDown(collateral, price, 1e36), LLTV),
 * HF = wDivDown(maxBorrow, borrowed) (MAX_UINT256 without borrow shares), healthy iff borrowed <= maxBorrow.
 */
export function positionHealth(
  params: Pick<MarketParams, "lltvWad">,
  state: MarketState,
  position: Position,
  price: bigint,
): PositionHealth {
  const borrowed = toAssetsUp(position.borrowShares, state.totalBorrowAssets, state.totalBorrowShares);
  const maxBorrow = wMulDown(mulDivDown(position.collateral, price, ORACLE_PRICE_SCALE), params.lltvWad);
  return {
    borrowed,
    maxBorrow,
    healthFactorWad: position.borrowShares === 0n ? MAX_UINT256 : wDivDown(maxBorrow, borrowed),
    healthy: borrowed <= maxBorrow,
  };
}

function givenAmount(input: LiquidationInput): bigint {
  const given = input.seizedAssets ?? input.repaidShares;
  if (given === undefined || given === 0n) throw new IsolatedMarketMathError("InconsistentInput");
  return given;
}

/**
 * Both sides of a liquidation from the one given, on an accrued state, at `price` (1e36 scale) with
 * liquidation incentive factor `lif` (WAD), and the resulting state and position (Morpho Blue's math):
 *  - given seizedAssets: repaidShares = toSharesUp(wDivUp(mulDivUp(seized, price, 1e36), LIF));
 *  - given repaidShares: seizedAssets = mulDivDown(wMulDown(toAssetsDown(shares), LIF), 1e36, price)
 *    (MAX_UINT256 at price 0: unbounded);
 *  - repaidAssets = toAssetsUp(repaidShares); totalBorrow = zeroFloorSub(totalBorrow, repaidAssets);
 *  - with no collateral left, the remaining borrow shares are bad debt worth
 *    min(totalBorrow, toAssetsUp(shares)), taken from total borrow and total supply.
 * Throws `InconsistentInput` for a zero input and `LiquidationExceedsPosition` when the position lacks
 * the shares or collateral. The health gate (`HealthyPosition`) is `positionHealth`'s `healthy`; see
 * `liquidateOutcome` for both together.
 */
export function liquidationAmounts(
  state: MarketState,
  position: Position,
  price: bigint,
  lif: bigint,
  input: LiquidationInput,
): LiquidationAmounts {
  givenAmount(input);
  let seizedAssets: bigint;
  let repaidShares: bigint;
  if (input.seizedAssets !== undefined) {
    seizedAssets = input.seizedAssets;
    repaidShares = toSharesUp(
      wDivUp(mulDivUp(seizedAssets, price, ORACLE_PRICE_SCALE), lif),
      state.totalBorrowAssets,
      state.totalBorrowShares,
    );
  } else {
    repaidShares = input.repaidShares;
    seizedAssets =
      price === 0n
        ? MAX_UINT256
        : mulDivDown(
            wMulDown(toAssetsDown(repaidShares, state.totalBorrowAssets, state.totalBorrowShares), lif),
            ORACLE_PRICE_SCALE,
            price,
          );
  }
  if (repaidShares > position.borrowShares || seizedAssets > position.collateral) {
    throw new IsolatedMarketMathError("LiquidationExceedsPosition", [
      seizedAssets,
      position.collateral,
      repaidShares,
      position.borrowShares,
    ]);
  }

  const repaidAssets = toAssetsUp(repaidShares, state.totalBorrowAssets, state.totalBorrowShares);
  const s: MarketState = {
    ...state,
    totalBorrowShares: state.totalBorrowShares - repaidShares,
    totalBorrowAssets: zeroFloorSub(state.totalBorrowAssets, repaidAssets),
  };
  const p: Position = {
    ...position,
    borrowShares: position.borrowShares - repaidShares,
    collateral: position.collateral - seizedAssets,
  };
  let badDebtShares = 0n;
  let badDebtAssets = 0n;
  if (p.collateral === 0n && p.borrowShares !== 0n) {
    badDebtShares = p.borrowShares;
    badDebtAssets = min(toAssetsUp(badDebtShares, s.totalBorrowAssets, s.totalBorrowShares), s.totalBorrowAssets);
    s.totalBorrowAssets -= badDebtAssets;
    s.totalSupplyAssets -= badDebtAssets;
    s.totalBorrowShares -= badDebtShares;
    s.badDebtAssets += badDebtAssets;
    p.borrowShares = 0n;
  }
  return { seizedAssets, repaidShares, repaidAssets, badDebtAssets, badDebtShares, newState: s, newPosition: p };
}

/**
 * The input that liquidates as much of the position as possible at `price` with `lif`: all its borrow
 * shares if the seizure they imply fits in its collateral, else all its collateral. Undefined for a
 * position without borrow shares (nothing to liquidate). Neither choice exceeds the position.
 */
export function maxLiquidation(state: MarketState, position: Position, price: bigint, lif: bigint): LiquidationInput | undefined {
  if (position.borrowShares === 0n) return undefined;
  const seizedForAll =
    price === 0n
      ? MAX_UINT256
      : mulDivDown(
          wMulDown(toAssetsDown(position.borrowShares, state.totalBorrowAssets, state.totalBorrowShares), lif),
          ORACLE_PRICE_SCALE,
          price,
        );
  return seizedForAll <= position.collateral ? { repaidShares: position.borrowShares } : { seizedAssets: position.collateral };
}

/** `supply(assets)` crediting `position`: shares = toSharesDown(assets). */
export function supplyOutcome(state: MarketState, position: Position, assets: bigint): MarketOutcome & { shares: bigint } {
  if (assets === 0n) throw new IsolatedMarketMathError("ZeroAmount");
  const shares = toSharesDown(assets, state.totalSupplyAssets, state.totalSupplyShares);
  if (shares === 0n) throw new IsolatedMarketMathError("ZeroShares");
  return {
    shares,
    newState: { ...state, totalSupplyShares: state.totalSupplyShares + shares, totalSupplyAssets: state.totalSupplyAssets + assets },
    newPosition: { ...position, supplyShares: position.supplyShares + shares },
  };
}

/**
 * `withdraw(assets)` by `position`'s owner. MAX_UINT256 withdraws the whole balance
 * (toAssetsDown(supplyShares)) or as much of it as the market's liquidity (supply - borrow) allows.
 * The whole balance burns every share; a part burns toSharesUp(assets).
 */
export function withdrawOutcome(state: MarketState, position: Position, assets: bigint): MarketOutcome & { assets: bigint; shares: bigint } {
  if (assets === 0n) throw new IsolatedMarketMathError("ZeroAmount");
  const balance = toAssetsDown(position.supplyShares, state.totalSupplyAssets, state.totalSupplyShares);
  const available = state.totalSupplyAssets - state.totalBorrowAssets;
  const requested = assets === MAX_UINT256 ? balance : assets;
  if (requested > balance) throw new IsolatedMarketMathError("InsufficientBalance", [requested, balance]);
  if (requested === 0n) throw new IsolatedMarketMathError("ZeroAmount");
  const withdrawn = assets === MAX_UINT256 ? min(requested, available) : requested;
  if (withdrawn === 0n || withdrawn > available) throw new IsolatedMarketMathError("InsufficientLiquidity", [requested, available]);
  const shares =
    withdrawn === balance ? position.supplyShares : toSharesUp(withdrawn, state.totalSupplyAssets, state.totalSupplyShares);
  return {
    assets: withdrawn,
    shares,
    newState: { ...state, totalSupplyShares: state.totalSupplyShares - shares, totalSupplyAssets: state.totalSupplyAssets - withdrawn },
    newPosition: { ...position, supplyShares: position.supplyShares - shares },
  };
}

/** `supplyCollateral(assets)` crediting `position`. */
export function supplyCollateralOutcome(state: MarketState, position: Position, assets: bigint): MarketOutcome {
  if (assets === 0n) throw new IsolatedMarketMathError("ZeroAmount");
  return { newState: { ...state }, newPosition: { ...position, collateral: position.collateral + assets } };
}

/**
 * `withdrawCollateral(assets)` by `position`'s owner (MAX_UINT256: all). With borrow shares left, the
 * position must stay healthy at `readPrice()` (called only then, as the contract reads the feeds only
 * then; pass `marketPrice(..., "fresh")` to mirror its staleness check).
 */
export function withdrawCollateralOutcome(
  params: Pick<MarketParams, "lltvWad">,
  state: MarketState,
  position: Position,
  assets: bigint,
  readPrice: () => bigint,
): MarketOutcome & { assets: bigint } {
  if (assets === 0n) throw new IsolatedMarketMathError("ZeroAmount");
  let withdrawn = assets;
  if (assets === MAX_UINT256) withdrawn = position.collateral;
  else if (assets > position.collateral) throw new IsolatedMarketMathError("InsufficientBalance", [assets, position.collateral]);
  if (withdrawn === 0n) throw new IsolatedMarketMathError("ZeroAmount");
  const p: Position = { ...position, collateral: position.collateral - withdrawn };
  if (p.borrowShares !== 0n) requireHealthy(params, state, p, readPrice());
  return { assets: withdrawn, newState: { ...state }, newPosition: p };
}

/**
 * `borrow(assets)` by `position`'s owner: needs liquidity (supply - borrow), mints toSharesUp(assets),
 * and the position must then be healthy at `readPrice()` (pass `marketPrice(..., "fresh")`).
 */
export function borrowOutcome(
  params: Pick<MarketParams, "lltvWad">,
  state: MarketState,
  position: Position,
  assets: bigint,
  readPrice: () => bigint,
): MarketOutcome & { shares: bigint } {
  if (assets === 0n) throw new IsolatedMarketMathError("ZeroAmount");
  const available = state.totalSupplyAssets - state.totalBorrowAssets;
  if (assets > available) throw new IsolatedMarketMathError("InsufficientLiquidity", [assets, available]);
  const shares = toSharesUp(assets, state.totalBorrowAssets, state.totalBorrowShares);
  const s: MarketState = {
    ...state,
    totalBorrowShares: state.totalBorrowShares + shares,
    totalBorrowAssets: state.totalBorrowAssets + assets,
  };
  const p: Position = { ...position, borrowShares: position.borrowShares + shares };
  requireHealthy(params, s, p, readPrice());
  return { shares, newState: s, newPosition: p };
}

/**
 * `repay(assets)` of `position`'s debt: at least the whole debt (toAssetsUp(borrowShares)) repays it all
 * and burns every share; less burns toSharesDown(assets). The total borrow floors at zero.
 */
export function repayOutcome(state: MarketState, position: Position, assets: bigint): MarketOutcome & { assets: bigint; shares: bigint } {
  if (assets === 0n) throw new IsolatedMarketMathError("ZeroAmount");
  const debt = toAssetsUp(position.borrowShares, state.totalBorrowAssets, state.totalBorrowShares);
  const repaid = assets >= debt ? debt : assets;
  const shares = assets >= debt ? position.borrowShares : toSharesDown(assets, state.totalBorrowAssets, state.totalBorrowShares);
  if (shares === 0n) throw new IsolatedMarketMathError("ZeroShares");
  return {
    assets: repaid,
    shares,
    newState: {
      ...state,
      totalBorrowShares: state.totalBorrowShares - shares,
      totalBorrowAssets: zeroFloorSub(state.totalBorrowAssets, repaid),
    },
    newPosition: { ...position, borrowShares: position.borrowShares - shares },
  };
}

/**
 * `liquidate(borrower, input)`: `InconsistentInput` for a zero input, then the price (`readPrice()`;
 * pass `marketPrice(..., "liquidation")`), `HealthyPosition(HF)` unless the position is unhealthy, then
 * `liquidationAmounts`. `health` is the position before the liquidation.
 */
export function liquidateOutcome(
  params: Pick<MarketParams, "lltvWad">,
  state: MarketState,
  position: Position,
  lif: bigint,
  input: LiquidationInput,
  readPrice: () => bigint,
): LiquidationAmounts & { health: PositionHealth } {
  givenAmount(input);
  const price = readPrice();
  const health = positionHealth(params, state, position, price);
  if (health.healthy) throw new IsolatedMarketMathError("HealthyPosition", [health.healthFactorWad]);
  return { ...liquidationAmounts(state, position, price, lif, input), health };
}

function requireHealthy(params: Pick<MarketParams, "lltvWad">, state: MarketState, position: Position, price: bigint): void {
  const h = positionHealth(params, state, position, price);
  if (!h.healthy) throw new IsolatedMarketMathError("InsufficientCollateral", [h.borrowed, h.maxBorrow]);
}
