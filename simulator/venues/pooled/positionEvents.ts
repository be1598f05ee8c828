/**
 * What liqsim's `PooledLendingPool` logs say of its positions. `Supply`, `Withdraw`, `Borrow` and `Repay`
 * carry the shares they mint or burn, `BadDebtRecorded` the debt shares it writes off; `LiquidationCall`
 * carries only assets (repaid, seized, fee), so the shares it burned are computed as the pool does
 * (`_burnDebt`, `_burnCollateral`) on the reserves' totals at that moment: the totals at the start of
 * the block, replayed through the block's logs in order. Interest accrues once per reserve and block, at
 * the reserve's first action (its `InterestAccrued` log carries the interest and the reserves' cut; an
 * accrual that earns nothing leaves the totals as they were and logs nothing); every other change of
 * the totals is a log that names its asset. So the position index follows a block's logs without
 * reading the chain; where a figure is missing (a reserve whose totals are not known yet, an account
 * not in the index) the account is read (`--check` compares the index with the chain after every block).
 */
import type { Hex } from "viem";
import { burnCollateral, burnDebt, zeroFloorSub, type ReserveState, type UserShares } from "../../math";
import { decodeLog, projectArtifact, type DecodedLog, type ProjectAbi } from "../../world";

type PoolEvent = DecodedLog<ProjectAbi<"PooledLendingPoolDeficit">>;

/** A user's shares under change: arrays of this block's own (the last view keeps the old ones). */
interface Shares {
  supplyShares: bigint[];
  borrowShares: bigint[];
}

/** What the pool's logs of a block say. */
export interface BlockReplay {
  /** Every account the logs name whose position they account for (lowercase): unchanged, or in `derived`. */
  accounted: Set<string>;
  /** Each account the logs changed and account for (lowercase), with its shares after the block. */
  derived: Map<string, UserShares>;
  /** Reserves (pool order) whose totals the block's logs changed or accrued. */
  touched: Set<number>;
  /** Each reserve's totals after the block by the replay; null where not known. */
  totals: (ReserveState | null)[];
  /** Per reserve, the accounts whose liquidation shares were computed on its replayed totals. */
  dependents: Map<number, Set<string>>;
}

export interface ReplayInput {
  /** Reserve index by the asset's lowercase address. */
  reserveIndex: ReadonlyMap<string, number>;
  /** Each reserve's totals at the start of the block (null: not known). */
  totals: readonly (ReserveState | null)[];
  /** An account's shares in the index (lowercase address), undefined when it holds none there yet. */
  position(account: string): UserShares | undefined;
}

const poolAbi = () => projectArtifact("PooledLendingPoolDeficit").abi;

/** Replays the pool's logs of one block, in log order. */
export function replayPoolLogs(input: ReplayInput, logs: readonly { topics: readonly Hex[]; data: Hex }[]): BlockReplay {
  const replay = new Replay(input);
  for (const log of logs) {
    let event: PoolEvent;
    try {
      event = decodeLog(poolAbi(), log);
    } catch {
      continue;
    }
    replay.name(event);
    replay.apply(event);
  }
  return replay.result();
}

class Replay {
  private readonly totals: (ReserveState | null)[];
  private readonly shares = new Map<string, Shares>();
  private readonly unknown = new Set<string>();
  private readonly named = new Set<string>();
  private readonly touched = new Set<number>();
  private readonly dependents = new Map<number, Set<string>>();

  constructor(private readonly input: ReplayInput) {
    this.totals = input.totals.map((t) => (t ? { ...t } : null));
  }

  /** One log: its change of the reserves' totals (each after the contract's own update), then of the positions it names. */
  apply(event: PoolEvent): void {
    switch (event.eventName) {
      case "InterestAccrued": {
        const { interest, reservesCut } = event.args;
        return void this.update(event.args.asset, (t) => {
          t.totalBorrowAssets += interest;
          t.totalSupplyAssets += interest - reservesCut;
          t.reservesAssets += reservesCut;
        });
      }
      case "Supply":
      case "Withdraw": {
        const a = event.args;
        const sign = event.eventName === "Supply" ? 1n : -1n;
        this.update(a.asset, (t) => {
          t.totalSupplyShares += sign * a.shares;
          t.totalSupplyAssets += sign * a.assets;
        });
        return this.change("onBehalfOf" in a ? a.onBehalfOf : a.user, a.asset, "supplyShares", sign * a.shares);
      }
      case "Borrow":
        this.update(event.args.asset, (t) => {
          t.totalBorrowShares += event.args.shares;
          t.totalBorrowAssets += event.args.assets;
        });
        return this.change(event.args.onBehalfOf, event.args.asset, "borrowShares", event.args.shares);
      case "Repay":
        this.update(event.args.asset, (t) => {
          t.totalBorrowShares -= event.args.shares;
          t.totalBorrowAssets = zeroFloorSub(t.totalBorrowAssets, event.args.assets);
        });
        return this.change(event.args.onBehalfOf, event.args.asset, "borrowShares", -event.args.shares);
      case "LiquidationCall":
        return this.liquidation(event.args);
      case "BadDebtRecorded":
        // The whole remaining debt of the asset: shares and (rounded-up, at most the total) assets.
        this.update(event.args.asset, (t) => {
          t.totalBorrowShares -= event.args.shares;
          t.totalBorrowAssets -= event.args.assets;
        });
        return this.change(event.args.user, event.args.asset, "borrowShares", -event.args.shares);
      case "BadDebtCoveredByReserves":
        return void this.update(event.args.asset, (t) => void (t.reservesAssets -= event.args.assets));
      case "BadDebtSocialized":
        return void this.update(event.args.asset, (t) => void (t.totalSupplyAssets -= event.args.assets));
      case "ReservesDeposited":
        return void this.update(event.args.asset, (t) => void (t.reservesAssets += event.args.assets));
      // Totals and positions as they were: a configuration (its accrual logs its own InterestAccrued),
      // a delegation, the deficit's bookkeeping (outside the reserve's totals).
      case "ReserveConfigured":
      case "BorrowAllowanceDelegated":
      case "DeficitCreated":
      case "DeficitCovered":
        return void this.update(event.args.asset, () => undefined);
      default:
        return this.unexpected(event);
    }
  }

  /**
   * `liquidationCall`: both reserves accrued (their InterestAccrued logs came first), then the debt
   * shares worth `debtRepaid` burned (`_burnDebt`), then the supply shares worth `collateralSeized`
   * (`_burnCollateral`, after the debt burn when both are one reserve), and the fee to the reserves.
   */
  private liquidation(a: Extract<PoolEvent, { eventName: "LiquidationCall" }>["args"]): void {
    const user = a.user.toLowerCase();
    const d = this.index(a.debtAsset);
    const c = this.index(a.collateralAsset);
    const shares = this.sharesOf(user);
    const debtTotals = d === undefined ? null : this.totals[d];
    if (d === undefined || c === undefined || !shares || !debtTotals) return this.lose(user, [d, c]);
    let burnt: { debt: bigint; collateral: bigint };
    try {
      const debt = burnDebt(debtTotals, shares.borrowShares[d] ?? 0n, a.debtRepaid);
      this.totals[d] = debt.state;
      const collateralTotals = this.totals[c];
      if (!collateralTotals) return this.lose(user, [d, c]);
      const collateral = burnCollateral(collateralTotals, shares.supplyShares[c] ?? 0n, a.collateralSeized);
      this.totals[c] = { ...collateral.state, reservesAssets: collateral.state.reservesAssets + a.protocolFee };
      burnt = { debt: debt.shares, collateral: collateral.shares };
    } catch (e) {
      // More burnt than the index holds: the index or the totals disagree with the pool; read the account.
      if (e instanceof RangeError) return this.lose(user, [d, c]);
      throw e;
    }
    this.touched.add(d).add(c);
    this.change(a.user, a.debtAsset, "borrowShares", -burnt.debt);
    this.change(a.user, a.collateralAsset, "supplyShares", -burnt.collateral);
    for (const i of [d, c]) {
      const set = this.dependents.get(i) ?? new Set<string>();
      this.dependents.set(i, set.add(user));
    }
  }

  /** Notes the accounts (and assets) a log names. */
  name(event: { args: unknown }): void {
    for (const account of addressesOf(event)) this.named.add(account);
  }

  /** A log this replay does not know: its accounts are read and every reserve's totals are no longer known. */
  private unexpected(event: { args: unknown }): void {
    for (const account of addressesOf(event)) this.unknown.add(account);
    this.totals.fill(null);
    this.input.reserveIndex.forEach((i) => this.touched.add(i));
  }

  /** `user`'s position cannot be derived this block, nor the totals of `reserves` after this point. */
  private lose(user: string, reserves: readonly (number | undefined)[]): void {
    this.unknown.add(user);
    for (const i of reserves) {
      if (i === undefined) continue;
      this.totals[i] = null;
      this.touched.add(i);
    }
  }

  /** Marks the reserve of `asset` touched and applies `f` to its totals where known. */
  private update(asset: string, f: (t: ReserveState) => void): void {
    const i = this.index(asset);
    if (i === undefined) return;
    this.touched.add(i);
    const t = this.totals[i];
    if (t) f(t);
  }

  /** Adds `delta` to `account`'s shares of one kind in the reserve of `asset`; an account the index does not hold is read. */
  private change(account: string, asset: string, kind: keyof Shares, delta: bigint): void {
    const user = account.toLowerCase();
    const i = this.index(asset);
    const shares = this.sharesOf(user);
    if (i === undefined || !shares) return void this.unknown.add(user);
    const after = (shares[kind][i] ?? 0n) + delta;
    if (after < 0n) return void this.unknown.add(user);
    shares[kind][i] = after;
  }

  /** This block's copy of `user`'s shares (from the index); undefined when the index does not hold the account. */
  private sharesOf(user: string): Shares | undefined {
    let shares = this.shares.get(user);
    if (!shares) {
      const indexed = this.input.position(user);
      if (!indexed) return undefined;
      shares = { supplyShares: [...indexed.supplyShares], borrowShares: [...indexed.borrowShares] };
      this.shares.set(user, shares);
    }
    return shares;
  }

  private index(asset: string): number | undefined {
    return this.input.reserveIndex.get(asset.toLowerCase());
  }

  result(): BlockReplay {
    const derived = new Map<string, UserShares>();
    for (const [user, shares] of this.shares) if (!this.unknown.has(user)) derived.set(user, shares);
    const accounted = new Set<string>();
    for (const account of this.named) if (!this.unknown.has(account)) accounted.add(account);
    return { accounted, derived, touched: this.touched, totals: this.totals, dependents: this.dependents };
  }
}

/** The addresses among a log's arguments, lowercase. */
function addressesOf(event: { args: unknown }): string[] {
  return Object.values(event.args as Record<string, unknown>)
    .filter((v): v is string => typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v))
    .map((v) => v.toLowerCase());
}
