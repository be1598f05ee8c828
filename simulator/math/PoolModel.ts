/**
 * A stateful TypeScript shadow of `PooledLendingPool`: reserves (config, stored state, unit, price),
 * users' supply and borrow shares, bad-debt totals and the liquidation rules. Each entry point mirrors
 * the contract's function of the same name check for check, in the same order, raising `PoolMathError`
 * with the contract's custom error name, and is built on the pure functions of `PooledLendingPoolMath`.
 * A call that throws leaves the model unchanged, as a reverted transaction leaves the chain.
 *
 * Not modeled: borrow delegation (`msg.sender` is always `onBehalfOf`), token balances and allowances
 * (callers are assumed funded), zero addresses, and stale prices in liquidations when
 * `liquidationsAcceptStalePrice` is false (the model throws a plain `Error` rather than guess).
 *
 * Scales: token amounts in native decimals; prices USD with 8 decimals; ratios WAD; timestamps in seconds.
 */
import { MAX_UINT256, WAD, min, zeroFloorSub } from "./MathLib";
import { toAssetsDown, toAssetsUp, toSharesDown, toSharesUp } from "./SharesMathLib";
import {
  PoolMathError,
  account,
  accruedState,
  burnCollateral,
  burnDebt,
  previewLiquidation,
  userAccountDataIfPriced,
  writeOff,
  type AccountVars,
  type BadDebtModel,
  type LiquidationConfig,
  type LiquidationPreview,
  type ReserveModel,
  type UserAccountData,
  type UserShares,
} from "./PooledLendingPoolMath";

/** A reserve as the stateful model holds it: `ReserveModel` plus what the entry points check. */
export interface PoolModelReserve extends ReserveModel {
  /** The feed's `updatedAt` (seconds) for the price in `priceE8`. */
  priceUpdatedAt: bigint;
  maxPriceAgeSeconds: bigint;
  borrowingEnabled: boolean;
}

/** The contract's `BadDebtTotals`, native units of the reserve's asset. */
export interface BadDebtTotals {
  recorded: bigint;
  coveredByReserves: bigint;
  socializedToSuppliers: bigint;
}

/** `PooledLendingPoolDeficit`'s `ReserveDeficit`: written-off debt still outstanding, and covered so far. */
export interface ReserveDeficit {
  outstanding: bigint;
  covered: bigint;
}

/** One reserve's part of a bad-debt write-off, as `BadDebtRecorded` reports it. */
export interface WriteOffResult {
  reserveIndex: number;
  assets: bigint;
  shares: bigint;
  covered: bigint;
  socialized: bigint;
  /** Booked as the reserve's deficit (`DeficitCreated`; `deficit` model only). */
  deficit: bigint;
}

/** What `liquidationCall` did: the `LiquidationCall` event's amounts and any write-offs. */
export interface LiquidationResult extends LiquidationPreview {
  writeOffs: WriteOffResult[];
}

export interface PoolModelParameters {
  reserves: readonly PoolModelReserve[];
  liquidationConfig: LiquidationConfig;
  /** `haircut` (`PooledLendingPool`, the default) or `deficit` (`PooledLendingPoolDeficit`). */
  badDebtModel?: BadDebtModel;
}

/** How `_price` treats the feed's age (the contract's `PriceMode`). */
type PriceMode = "latest" | "fresh" | "liquidation";

export class PoolModel {
  reserves: PoolModelReserve[];
  liquidationConfig: LiquidationConfig;
  badDebt: BadDebtTotals[];
  readonly badDebtModel: BadDebtModel;
  /** Per reserve; stays zero under the `haircut` model. */
  deficits: ReserveDeficit[];
  /** Users' shares by address (lower case), in reserve order. */
  private users = new Map<string, { supplyShares: bigint[]; borrowShares: bigint[] }>();

  constructor(parameters: PoolModelParameters) {
    this.reserves = structuredClone([...parameters.reserves]);
    this.liquidationConfig = { ...parameters.liquidationConfig };
    this.badDebt = this.reserves.map(() => ({ recorded: 0n, coveredByReserves: 0n, socializedToSuppliers: 0n }));
    this.badDebtModel = parameters.badDebtModel ?? "haircut";
    this.deficits = this.reserves.map(() => ({ outstanding: 0n, covered: 0n }));
  }

  /** An independent copy. */
  clone(): PoolModel {
    const copy = new PoolModel({ reserves: this.reserves, liquidationConfig: this.liquidationConfig, badDebtModel: this.badDebtModel });
    copy.badDebt = structuredClone(this.badDebt);
    copy.deficits = structuredClone(this.deficits);
    copy.users = structuredClone(this.users);
    return copy;
  }

  /** `user`'s shares in every reserve (zeros for an unknown user). */
  shares(user: string): UserShares {
    const u = this.users.get(user.toLowerCase());
    return u
      ? { supplyShares: [...u.supplyShares], borrowShares: [...u.borrowShares] }
      : { supplyShares: this.reserves.map(() => 0n), borrowShares: this.reserves.map(() => 0n) };
  }

  /** A reserve's state with interest accrued to `timestamp` (what `getReserveState` returns). */
  reserveState(index: number, timestamp: bigint) {
    const r = this.reserve(index);
    return accruedState(r.config, r.state, timestamp).state;
  }

  /** `getUserAccountData(user)` at `timestamp`, or undefined where the view reverts on a price <= 0. */
  userAccountData(user: string, timestamp: bigint): UserAccountData | undefined {
    return userAccountDataIfPriced(this.reserves, this.shares(user), timestamp);
  }

  /** A supply balance (rounded down) at `timestamp`. */
  supplyBalance(index: number, user: string, timestamp: bigint): bigint {
    const s = this.reserveState(index, timestamp);
    return toAssetsDown(this.shares(user).supplyShares[index] ?? 0n, s.totalSupplyAssets, s.totalSupplyShares);
  }

  /** A debt balance (rounded up) at `timestamp`. */
  debtBalance(index: number, user: string, timestamp: bigint): bigint {
    const s = this.reserveState(index, timestamp);
    return toAssetsUp(this.shares(user).borrowShares[index] ?? 0n, s.totalBorrowAssets, s.totalBorrowShares);
  }

  /** Sets the feed answer of a reserve, as a feed update at `updatedAt` does. */
  setPrice(index: number, priceE8: bigint, updatedAt: bigint): void {
    const r = this.reserve(index);
    r.priceE8 = priceE8;
    r.priceUpdatedAt = updatedAt;
  }

  /** `_accrue`: brings the reserve's stored state to `timestamp`. */
  accrue(index: number, timestamp: bigint): void {
    const r = this.reserve(index);
    if (r.state.lastUpdate === timestamp) return;
    r.state = accruedState(r.config, r.state, timestamp).state;
  }

  /** `supply(asset, assets, onBehalfOf)`; returns the shares minted. */
  supply(index: number, assets: bigint, onBehalfOf: string, timestamp: bigint): bigint {
    return this.atomically(() => {
      if (assets === 0n) throw new PoolMathError("ZeroAmount");
      const r = this.listed(index);
      this.accrue(index, timestamp);
      const shares = toSharesDown(assets, r.state.totalSupplyAssets, r.state.totalSupplyShares);
      if (shares === 0n) throw new PoolMathError("ZeroShares");
      this.user(onBehalfOf).supplyShares[index] = (this.user(onBehalfOf).supplyShares[index] ?? 0n) + shares;
      r.state = { ...r.state, totalSupplyShares: r.state.totalSupplyShares + shares, totalSupplyAssets: r.state.totalSupplyAssets + assets };
      return shares;
    });
  }

  /** `withdraw(asset, assets, to)` by `caller`; MAX_UINT256 withdraws the whole balance. Returns the assets. */
  withdraw(index: number, assets: bigint, caller: string, timestamp: bigint): bigint {
    return this.atomically(() => {
      if (assets === 0n) throw new PoolMathError("ZeroAmount");
      const r = this.listed(index);
      this.accrue(index, timestamp);
      const u = this.user(caller);
      const balance = toAssetsDown(u.supplyShares[index] ?? 0n, r.state.totalSupplyAssets, r.state.totalSupplyShares);
      let amount = assets;
      if (amount === MAX_UINT256) amount = balance;
      else if (amount > balance) throw new PoolMathError("InsufficientBalance", [amount, balance]);
      if (amount === 0n) throw new PoolMathError("ZeroAmount");
      this.requireLiquidity(r, amount);
      const burned = burnCollateral(r.state, u.supplyShares[index] ?? 0n, amount);
      r.state = burned.state;
      u.supplyShares[index] = (u.supplyShares[index] ?? 0n) - burned.shares;
      if (u.borrowShares.some((s) => s !== 0n)) {
        const a = this.accountOf(caller, "fresh", timestamp);
        if (a.healthFactorWad < WAD) throw new PoolMathError("HealthFactorBelowOne", [a.healthFactorWad]);
      }
      return amount;
    });
  }

  /** `borrow(asset, assets, onBehalfOf)` with `msg.sender == onBehalfOf`; returns the shares minted. */
  borrow(index: number, assets: bigint, onBehalfOf: string, timestamp: bigint): bigint {
    return this.atomically(() => {
      if (assets === 0n) throw new PoolMathError("ZeroAmount");
      const r = this.listed(index);
      if (!r.borrowingEnabled) throw new PoolMathError("BorrowingDisabled");
      this.accrue(index, timestamp);
      this.requireLiquidity(r, assets);
      const shares = toSharesUp(assets, r.state.totalBorrowAssets, r.state.totalBorrowShares);
      const u = this.user(onBehalfOf);
      u.borrowShares[index] = (u.borrowShares[index] ?? 0n) + shares;
      r.state = { ...r.state, totalBorrowShares: r.state.totalBorrowShares + shares, totalBorrowAssets: r.state.totalBorrowAssets + assets };
      const a = this.accountOf(onBehalfOf, "fresh", timestamp);
      if (a.totalDebtUsd > a.ltvWeightedCollateralUsd) {
        throw new PoolMathError("LtvExceeded", [a.totalDebtUsd, a.ltvWeightedCollateralUsd]);
      }
      if (a.healthFactorWad < WAD) throw new PoolMathError("HealthFactorBelowOne", [a.healthFactorWad]);
      return shares;
    });
  }

  /** `repay(asset, assets, onBehalfOf)`; repays at most the debt. Returns the assets repaid. */
  repay(index: number, assets: bigint, onBehalfOf: string, timestamp: bigint): bigint {
    return this.atomically(() => {
      if (assets === 0n) throw new PoolMathError("ZeroAmount");
      const r = this.listed(index);
      this.accrue(index, timestamp);
      const u = this.user(onBehalfOf);
      const debt = toAssetsUp(u.borrowShares[index] ?? 0n, r.state.totalBorrowAssets, r.state.totalBorrowShares);
      if (debt === 0n) throw new PoolMathError("NoDebtToRepay");
      const amount = min(assets, debt);
      const burned = burnDebt(r.state, u.borrowShares[index] ?? 0n, amount);
      if (burned.shares === 0n) throw new PoolMathError("ZeroShares");
      r.state = burned.state;
      u.borrowShares[index] = (u.borrowShares[index] ?? 0n) - burned.shares;
      return amount;
    });
  }

  /** `coverDeficit(asset, assets)` (`deficit` model): pays part of the reserve's outstanding deficit; no accrual. */
  coverDeficit(index: number, assets: bigint): void {
    this.atomically(() => {
      if (assets === 0n) throw new PoolMathError("ZeroAmount");
      this.listed(index);
      const d = this.deficits[index] as ReserveDeficit;
      if (assets > d.outstanding) throw new PoolMathError("DeficitExceeded", [assets, d.outstanding]);
      d.outstanding -= assets;
      d.covered += assets;
    });
  }

  /** `depositReserves(asset, assets)`. */
  depositReserves(index: number, assets: bigint, timestamp: bigint): void {
    this.atomically(() => {
      if (assets === 0n) throw new PoolMathError("ZeroAmount");
      const r = this.listed(index);
      this.accrue(index, timestamp);
      r.state = { ...r.state, reservesAssets: r.state.reservesAssets + assets };
    });
  }

  /** `liquidationCall(collateral, debt, user, debtToCover)`: the event's amounts and the write-offs. */
  liquidate(collateralIndex: number, debtIndex: number, user: string, debtToCover: bigint, timestamp: bigint): LiquidationResult {
    return this.atomically(() => {
      const cr = this.listed(collateralIndex);
      const dr = this.listed(debtIndex);
      this.accrue(collateralIndex, timestamp);
      this.accrue(debtIndex, timestamp);
      if (!this.liquidationConfig.liquidationsAcceptStalePrice) this.assertNoStalePriceInLiquidation(collateralIndex, debtIndex, user, timestamp);
      const u = this.user(user);
      const p = previewLiquidation(this.reserves, this.liquidationConfig, this.shares(user), collateralIndex, debtIndex, debtToCover, timestamp);

      const debtBurn = burnDebt(dr.state, u.borrowShares[debtIndex] ?? 0n, p.debtRepaid);
      dr.state = debtBurn.state;
      u.borrowShares[debtIndex] = (u.borrowShares[debtIndex] ?? 0n) - debtBurn.shares;
      const collateralBurn = burnCollateral(cr.state, u.supplyShares[collateralIndex] ?? 0n, p.collateralSeized);
      cr.state = { ...collateralBurn.state, reservesAssets: collateralBurn.state.reservesAssets + p.protocolFee };
      u.supplyShares[collateralIndex] = (u.supplyShares[collateralIndex] ?? 0n) - collateralBurn.shares;

      const writeOffs = p.writesOffBadDebt ? this.writeOffAllDebt(user, timestamp) : [];
      return { ...p, writeOffs };
    });
  }

  /**
   * `_writeOffAllDebt`: `haircut`, the reserves absorb each remaining debt first, then the suppliers;
   * `deficit`, each becomes the reserve's outstanding deficit (supply and reserves unchanged).
   */
  private writeOffAllDebt(user: string, timestamp: bigint): WriteOffResult[] {
    const u = this.user(user);
    const results: WriteOffResult[] = [];
    this.reserves.forEach((r, i) => {
      const shares = u.borrowShares[i] ?? 0n;
      if (shares === 0n) return;
      this.accrue(i, timestamp);
      const w = writeOff(r.state, shares, this.badDebtModel);
      u.borrowShares[i] = 0n;
      r.state = {
        ...r.state,
        totalBorrowShares: r.state.totalBorrowShares - shares,
        totalBorrowAssets: r.state.totalBorrowAssets - w.assets,
        reservesAssets: r.state.reservesAssets - w.covered,
        totalSupplyAssets: r.state.totalSupplyAssets - w.socialized,
      };
      const b = this.badDebt[i] as BadDebtTotals;
      b.recorded += w.assets;
      b.coveredByReserves += w.covered;
      b.socializedToSuppliers += w.socialized;
      (this.deficits[i] as ReserveDeficit).outstanding += w.deficit;
      results.push({ reserveIndex: i, shares, ...w });
    });
    return results;
  }

  /**
   * `_account(user, mode)`: the contract reads each involved reserve's price in order (InvalidPrice,
   * then StalePrice where the mode checks age) before valuing; `account` does the valuing.
   */
  private accountOf(user: string, mode: PriceMode, timestamp: bigint): AccountVars {
    const shares = this.shares(user);
    this.reserves.forEach((r, i) => {
      const isCollateral = (shares.supplyShares[i] ?? 0n) !== 0n && r.config.liquidationThresholdWad !== 0n;
      if (isCollateral || (shares.borrowShares[i] ?? 0n) !== 0n) this.requirePrice(r, mode, timestamp);
    });
    return account(this.reserves, shares, timestamp);
  }

  private requirePrice(r: PoolModelReserve, mode: PriceMode, timestamp: bigint): void {
    if (r.priceE8 <= 0n) throw new PoolMathError("InvalidPrice", [r.priceE8]);
    const checkAge = mode === "fresh" || (mode === "liquidation" && !this.liquidationConfig.liquidationsAcceptStalePrice);
    if (checkAge && timestamp > r.priceUpdatedAt && timestamp - r.priceUpdatedAt > r.maxPriceAgeSeconds) {
      throw new PoolMathError("StalePrice", [r.priceUpdatedAt, r.maxPriceAgeSeconds]);
    }
  }

  private assertNoStalePriceInLiquidation(collateralIndex: number, debtIndex: number, user: string, timestamp: bigint): void {
    const shares = this.shares(user);
    this.reserves.forEach((r, i) => {
      const involved = i === collateralIndex || i === debtIndex || (shares.supplyShares[i] ?? 0n) !== 0n || (shares.borrowShares[i] ?? 0n) !== 0n;
      const stale = timestamp > r.priceUpdatedAt && timestamp - r.priceUpdatedAt > r.maxPriceAgeSeconds;
      if (involved && stale) throw new Error("the model does not decide stale prices in liquidations that reject them");
    });
  }

  /** `_requireLiquidity`: supply + reserves - borrows, by the reserve's own accounting. */
  private requireLiquidity(r: PoolModelReserve, assets: bigint): void {
    const available = zeroFloorSub(r.state.totalSupplyAssets + r.state.reservesAssets, r.state.totalBorrowAssets);
    if (assets > available) throw new PoolMathError("InsufficientLiquidity", [assets, available]);
  }

  private reserve(index: number): PoolModelReserve {
    const r = this.reserves[index];
    if (!r) throw new RangeError(`reserve ${index} does not exist`);
    return r;
  }

  private listed(index: number): PoolModelReserve {
    const r = this.reserves[index];
    if (!r) throw new PoolMathError("ReserveNotListed");
    return r;
  }

  private user(address: string): { supplyShares: bigint[]; borrowShares: bigint[] } {
    const key = address.toLowerCase();
    let u = this.users.get(key);
    if (!u) {
      u = { supplyShares: this.reserves.map(() => 0n), borrowShares: this.reserves.map(() => 0n) };
      this.users.set(key, u);
    }
    return u;
  }

  /** Runs `body`; if it throws, restores the state it started from (a reverted transaction). */
  private atomically<T>(body: () => T): T {
    const saved = { reserves: structuredClone(this.reserves), badDebt: structuredClone(this.badDebt), deficits: structuredClone(this.deficits), users: structuredClone(this.users) };
    try {
      return body();
    } catch (e) {
      this.reserves = saved.reserves;
      this.badDebt = saved.badDebt;
      this.deficits = saved.deficits;
      this.users = saved.users;
      throw e;
    }
  }
}


