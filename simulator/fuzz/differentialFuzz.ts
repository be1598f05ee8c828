/**
 * Lockstep differential fuzzing of `PooledLendingPool` against the stateful TypeScript `PoolModel`.
 *
 * Each step applies one seeded random action (supply, withdraw, borrow, repay, reserve deposit, price
 * move, time jump, liquidation) to the chain, as one transaction at an explicitly set timestamp, and to
 * the model at the same timestamp; then compares every reserve's state (the six stored words, read from
 * storage, and the view accrued to the block), every reserve's bad-debt totals and feed, every user's
 * shares and `getUserAccountData` (six values), the liquidation's `LiquidationCall` and
 * `BadDebtRecorded` events with the model's result, and whether the step reverted, with which custom
 * error (a panic is a difference too). On the first difference the failing prefix is shrunk by delta
 * debugging: subsequences are replayed from a fresh deployment (`evm_revert` to the snapshot taken
 * after deployment) while the same field still differs, within a budget of actions replayed (shrink
 * steps, not seconds: the reproduction does not depend on the machine's speed; fuzz/shrink.ts).
 *
 * Feeds are not kept fresh: a time jump can make prices stale, and the model decides `StalePrice` from
 * the feed's `updatedAt` and the reserve's `maxPriceAgeSeconds`. Liquidations use Aave's rules, which
 * accept stale prices.
 *
 * Runs inside Hardhat's runtime (tests, or the CLI after `import("hardhat")`), on its dev network through
 * viem and the library's typed contract handles (fuzz/devChain.ts).
 */
import { network } from "hardhat";
import { decodeErrorResult, encodeAbiParameters, keccak256, toHex, type Address, type Hex, type Log } from "viem";
import { MAX_UINT256, PoolMathError, PoolModel, Rng, min, mulDivDown, zeroFloorSub, type PoolModelReserve } from "../math";
import { decodeLog, type ProjectHandle } from "../world/contracts";
import { DevChain, WouldRevert } from "./devChain";
import { DEFAULT_SHRINK_STEPS, shrinkActions } from "./shrink";
import { deployFuzzPool, randomRateCurve, wad, type FuzzPool } from "./poolWorld";

/** One step, as data: amounts and prices are decimal strings of on-chain integers. */
export type FuzzAction =
  | { kind: "supply" | "withdraw" | "borrow" | "repay" | "depositReserves"; user: number; asset: number; amount: string }
  | { kind: "price"; asset: number; priceE8: string }
  | { kind: "time"; seconds: string }
  | { kind: "liquidate"; user: number; collateral: number; debt: number; amount: string };

/** The first field in which the chain and the model disagree, after step `step` (0-based). */
export interface FuzzDifference {
  step: number;
  field: string;
  chain: string;
  model: string;
}

/** A (shrunk) action list that reproduces a difference from a fresh deployment with `seed`. */
export interface FuzzReproduction {
  seed: string;
  actions: FuzzAction[];
  difference: FuzzDifference;
  /** Length of the failing prefix before shrinking. */
  originalLength: number;
  /** Actions the shrinking replayed (at most the shrink-step budget). */
  shrinkSteps: number;
}

/** Called after the model applies each action, before the comparison: tests inject model bugs here. */
export type ModelHook = (event: { model: PoolModel; action: FuzzAction; reverted: boolean }) => void;

export interface DifferentialFuzzOptions {
  steps: number;
  seed: bigint;
  /** Shrink steps: at most this many actions replayed while shrinking (default `DEFAULT_SHRINK_STEPS`). */
  shrinkSteps?: number;
  /** Called every `progressEvery` steps (default 100) with the number of steps done. */
  onProgress?: (stepsDone: number) => void;
  progressEvery?: number;
  modelHook?: ModelHook;
}

export interface DifferentialFuzzResult {
  seed: bigint;
  steps: number;
  liquidations: number;
  writeOffs: number;
  revertsMatched: number;
  /** Matched reverts by custom error name. */
  revertsByError: Record<string, number>;
  difference?: FuzzReproduction;
}

const ACTORS = 5;
/** `Panic(uint256)`'s selector. */
const PANIC_SELECTOR = "0x4e487b71";
/** Runs start at the first multiple of this after deployment (1,700,000,000 on a fresh Hardhat chain). */
const START_GRID_SECONDS = 1_000_000n;
/** WETH, USDC, WBTC (the world's reserve order): unit and a typical position size, native units. */
const RESERVE_SIZES = [
  { unit: 10n ** 18n, size: 20n * 10n ** 18n },
  { unit: 10n ** 6n, size: 40_000n * 10n ** 6n },
  { unit: 10n ** 8n, size: 10n ** 8n },
];
const STATE_FIELDS = ["totalSupplyAssets", "totalSupplyShares", "totalBorrowAssets", "totalBorrowShares", "reservesAssets", "lastUpdate"] as const;

interface Asset {
  token: ProjectHandle<"MockERC20">;
  feed: ProjectHandle<"MockPriceFeed">;
  address: Address;
  unit: bigint;
  /** A typical position size in native units. */
  size: bigint;
}

interface Stats {
  liquidations: number;
  writeOffs: number;
  revertsMatched: number;
  revertsByError: Record<string, number>;
}

function newStats(): Stats {
  return { liquidations: 0, writeOffs: 0, revertsMatched: 0, revertsByError: {} };
}

/** A deployed world, its post-deployment snapshot and the model of that moment. */
class Harness {
  private snapshotId = "";
  private model!: PoolModel;
  private initialModel!: PoolModel;
  private initialTimestamp = 0n;
  private now = 0n;
  private readonly poolAddress: Address;

  private constructor(
    readonly chain: DevChain,
    readonly w: FuzzPool,
    readonly actors: Address[],
    readonly assets: Asset[],
    readonly modelHook: ModelHook | undefined,
  ) {
    this.poolAddress = w.pool.address;
  }

  static async deploy(seed: bigint, modelHook: ModelHook | undefined): Promise<Harness> {
    const rng = new Rng(seed).fork("world");
    const curve = () => randomRateCurve(rng, wad("0.2"));
    const chain = new DevChain(network.provider);
    const w = await deployFuzzPool(chain, { weth: curve(), usdc: curve(), wbtc: curve() });
    const actors = w.others.slice(0, ACTORS);
    if (actors.length < ACTORS) throw new Error(`the network needs ${ACTORS + 5} accounts`);
    const assets: Asset[] = RESERVE_SIZES.map((sizes, i) => {
      const token = w.tokens[i];
      const feed = w.feeds[i];
      if (!token || !feed) throw new Error(`internal: the world has no reserve ${i}`);
      return { token, feed, address: token.address, ...sizes };
    });
    for (const who of [...actors, w.liquidator, w.owner]) {
      for (const i of assets.keys()) await w.fund(i, who, 10n ** 36n);
    }
    // Deployment times follow the wall clock; the run starts at a fixed time with fresh feeds, so that a
    // reproduction replays identically in another process.
    const start = ((await chain.latestTimestamp()) / START_GRID_SECONDS + 1n) * START_GRID_SECONDS;
    for (const a of assets) {
      await chain.rpc("evm_setNextBlockTimestamp", [Number(start)]);
      const [, answer] = await a.feed.read(chain, "latestRoundData");
      await chain.mustSend(w.owner, a.feed.address, a.feed.encode("updateAnswer", [answer]));
    }
    const h = new Harness(chain, w, actors, assets, modelHook);
    await h.captureInitial();
    return h;
  }

  private async captureInitial(): Promise<void> {
    const pool = this.w.pool;
    const [snapshots, lc, timestamp] = await Promise.all([
      this.w.lens.read(this.chain, "getReservesSnapshot", [this.poolAddress]),
      pool.read(this.chain, "getLiquidationConfig"),
      this.chain.latestTimestamp(),
    ]);
    const reserves: PoolModelReserve[] = [];
    for (const [i, s] of snapshots.entries()) {
      const config = await pool.read(this.chain, "getReserveConfig", [s.asset]);
      const [totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, reservesAssets, lastUpdate] =
        await this.storedState(i);
      if (lastUpdate === undefined) throw new Error(`no stored state for reserve ${i}`);
      // The stored state (lastUpdate is the listing time), not the view's, which is accrued to the latest block.
      reserves.push({
        config,
        state: {
          totalSupplyAssets: totalSupplyAssets ?? 0n,
          totalSupplyShares: totalSupplyShares ?? 0n,
          totalBorrowAssets: totalBorrowAssets ?? 0n,
          totalBorrowShares: totalBorrowShares ?? 0n,
          reservesAssets: reservesAssets ?? 0n,
          lastUpdate,
        },
        unit: (this.assets[i] as Asset).unit,
        priceE8: s.answer,
        priceUpdatedAt: s.updatedAt,
        maxPriceAgeSeconds: config.maxPriceAgeSeconds,
        borrowingEnabled: config.borrowingEnabled,
      });
    }
    this.initialModel = new PoolModel({
      reserves,
      liquidationConfig: {
        closeFactorWad: lc.closeFactorWad,
        closeFactorHfThresholdWad: lc.closeFactorHfThresholdWad,
        closeFactorDustUsd: lc.closeFactorDustUsd,
        minLeftoverUsd: lc.minLeftoverUsd,
        liquidationsAcceptStalePrice: lc.liquidationsAcceptStalePrice,
      },
    });
    this.initialTimestamp = timestamp;
    this.snapshotId = String(await this.chain.rpc("evm_snapshot", []));
    this.model = this.initialModel.clone();
    this.now = this.initialTimestamp;
  }

  /** Back to the post-deployment chain and model (a snapshot is consumed by a revert: take a new one). */
  async reset(): Promise<void> {
    const ok = await this.chain.rpc("evm_revert", [this.snapshotId]);
    if (ok !== true) throw new Error(`evm_revert ${this.snapshotId} failed`);
    this.snapshotId = String(await this.chain.rpc("evm_snapshot", []));
    this.model = this.initialModel.clone();
    this.now = this.initialTimestamp;
  }

  /** A random action drawn from `rng`, with amounts chosen from the model's current balances. */
  generate(rng: Rng): FuzzAction {
    const roll = rng.nextInt(0, 99);
    const user = rng.nextInt(0, this.actors.length - 1);
    const address = this.actor(user);
    // Withdrawals and repayments mostly touch a reserve the user is in, so that few of them revert.
    const isWithdraw = roll >= 22 && roll < 34;
    const isRepay = roll >= 54 && roll < 66;
    const shares = this.model.shares(address);
    const held = (isWithdraw ? shares.supplyShares : shares.borrowShares).flatMap((s, i) => (s > 0n ? [i] : []));
    const asset =
      (isWithdraw || isRepay) && held.length > 0 && rng.chance(17, 20) ? rng.pick(held) : rng.nextInt(0, this.assets.length - 1);
    const a = this.assets[asset] as Asset;
    const edge = (exact: bigint, fallback: bigint): bigint => {
      const pick = rng.nextInt(0, 19);
      if (pick === 0) return 0n;
      if (pick <= 2) return 1n;
      if (pick <= 5) return MAX_UINT256;
      if (pick <= 9 && exact > 0n) return exact;
      return rng.bigIntBetween(1n, fallback > 0n ? fallback : 1n);
    };
    if (roll < 22) {
      const amount = rng.chance(1, 20) ? 1n : rng.chance(1, 40) ? 0n : rng.bigIntBetween(1n, a.size);
      return { kind: "supply", user, asset, amount: amount.toString() };
    }
    if (roll < 34) {
      const balance = this.model.supplyBalance(asset, address, this.now);
      return { kind: "withdraw", user, asset, amount: edge(balance, balance > 0n ? (balance * 11n) / 10n : a.size).toString() };
    }
    if (roll < 54) {
      const data = this.model.userAccountData(address, this.now);
      const price = this.model.reserves[asset]?.priceE8 ?? 1n;
      const state = this.model.reserveState(asset, this.now);
      const liquidity = zeroFloorSub(state.totalSupplyAssets + state.reservesAssets, state.totalBorrowAssets);
      // Mostly within both the user's capacity and the reserve's liquidity, sometimes beyond either.
      const capacity = min(
        data && price > 0n ? mulDivDown(data.availableBorrowsUsd, a.unit, price) : 0n,
        rng.chance(4, 5) ? liquidity : MAX_UINT256,
      );
      const amount =
        rng.chance(3, 4) && capacity > 0n
          ? rng.chance(1, 8)
            ? capacity + rng.bigIntBetween(0n, 1n)
            : rng.bigIntBetween((capacity * 3n) / 4n + 1n, capacity)
          : rng.chance(1, 5)
            ? 1n
            : rng.bigIntBetween(1n, a.size);
      return { kind: "borrow", user, asset, amount: amount.toString() };
    }
    if (roll < 66) {
      const debt = this.model.debtBalance(asset, address, this.now);
      return { kind: "repay", user, asset, amount: edge(debt, debt > 0n ? debt : a.size).toString() };
    }
    if (roll < 68) {
      return { kind: "depositReserves", user, asset, amount: rng.bigIntBetween(rng.chance(1, 10) ? 0n : 1n, a.size / 10n + 1n).toString() };
    }
    if (roll < 82) {
      // Moves of -15%..+25% (sometimes 0%: a refresh), and a crash of 30-80% one time in three; never to
      // zero. Below a fifth of its starting price an asset recovers by 50-200%, so that positions sized in
      // native units keep a meaningful USD value in long runs.
      const price = this.model.reserves[asset]?.priceE8 ?? 1n;
      const startPrice = this.initialModel.reserves[asset]?.priceE8 ?? price;
      const pct =
        price * 5n < startPrice
          ? rng.bigIntBetween(150n, 300n)
          : rng.chance(1, 3)
            ? rng.bigIntBetween(20n, 70n)
            : rng.chance(1, 4)
              ? 100n
              : rng.bigIntBetween(85n, 125n);
      const next = (price * pct) / 100n > 0n ? (price * pct) / 100n : 1n;
      return { kind: "price", asset, priceE8: next.toString() };
    }
    if (roll < 86) {
      const seconds = rng.chance(1, 5) ? rng.bigIntBetween(86_400n, 180n * 86_400n) : rng.bigIntBetween(1n, 3_600n);
      return { kind: "time", seconds: seconds.toString() };
    }
    return this.generateLiquidation(rng);
  }

  /** Mostly the weakest account, on one of its collateral and debt reserves. */
  private generateLiquidation(rng: Rng): FuzzAction {
    let target = rng.nextInt(0, this.actors.length - 1);
    let weakest = MAX_UINT256;
    this.actors.forEach((actor, i) => {
      const hf = this.model.userAccountData(actor, this.now)?.healthFactor ?? MAX_UINT256;
      if (hf < weakest && rng.chance(4, 5)) {
        weakest = hf;
        target = i;
      }
    });
    const address = this.actor(target);
    const shares = this.model.shares(address);
    const collaterals = shares.supplyShares.flatMap((s, i) => (s > 0n ? [i] : []));
    const debts = shares.borrowShares.flatMap((s, i) => (s > 0n ? [i] : []));
    const collateral = collaterals.length > 0 && rng.chance(9, 10) ? rng.pick(collaterals) : rng.nextInt(0, this.assets.length - 1);
    const debt = debts.length > 0 && rng.chance(9, 10) ? rng.pick(debts) : rng.nextInt(0, this.assets.length - 1);
    const owed = this.model.debtBalance(debt, address, this.now);
    const pick = rng.nextInt(0, 9);
    const amount =
      pick < 4 ? MAX_UINT256 : pick < 6 && owed > 0n ? owed : pick < 7 ? 1n : rng.bigIntBetween(1n, owed > 0n ? owed : (this.assets[debt] as Asset).size);
    return { kind: "liquidate", user: target, collateral, debt, amount: amount.toString() };
  }

  /** Applies `action` to the chain and the model, compares them; returns the first difference. */
  async apply(action: FuzzAction, step: number, stats: Stats): Promise<FuzzDifference | undefined> {
    if (action.kind === "time") {
      this.now += BigInt(action.seconds);
      await this.chain.rpc("evm_mine", [Number(this.now)]);
      this.modelHook?.({ model: this.model, action, reverted: false });
      return this.compareState(step);
    }
    if (action.kind === "price") {
      const a = this.asset(action.asset);
      const price = BigInt(action.priceE8);
      const chain = await this.send(this.w.owner, a.feed.address, a.feed.encode("updateAnswer", [price]));
      if ("error" in chain) throw new Error(`price update reverted: ${chain.error}`);
      this.model.setPrice(action.asset, price, this.now);
      this.modelHook?.({ model: this.model, action, reverted: false });
      return this.compareState(step);
    }

    const amount = BigInt(action.amount);
    const actor = this.actor(action.user);
    const pool = this.w.pool;
    const send = (data: Hex) => this.send(actor, pool.address, data);
    let chain: { logs: readonly Log[] } | { error: string };
    let model: { error: string } | { liquidation?: ReturnType<PoolModel["liquidate"]> };
    const run = (f: () => unknown): typeof model => {
      try {
        const value = f();
        return action.kind === "liquidate" ? { liquidation: value as ReturnType<PoolModel["liquidate"]> } : {};
      } catch (e) {
        if (e instanceof PoolMathError) return { error: e.errorName };
        // The model's own guards (a burn beyond a balance): where the contract would panic on underflow.
        if (e instanceof RangeError) return { error: `model RangeError: ${e.message}` };
        throw e;
      }
    };
    switch (action.kind) {
      case "supply": {
        const asset = this.asset(action.asset).address;
        chain = await send(pool.encode("supply", [asset, amount, actor]));
        model = run(() => this.model.supply(action.asset, amount, actor, this.now));
        break;
      }
      case "withdraw": {
        const asset = this.asset(action.asset).address;
        chain = await send(pool.encode("withdraw", [asset, amount, actor]));
        model = run(() => this.model.withdraw(action.asset, amount, actor, this.now));
        break;
      }
      case "borrow": {
        const asset = this.asset(action.asset).address;
        chain = await send(pool.encode("borrow", [asset, amount, actor]));
        model = run(() => this.model.borrow(action.asset, amount, actor, this.now));
        break;
      }
      case "repay": {
        const asset = this.asset(action.asset).address;
        chain = await send(pool.encode("repay", [asset, amount, actor]));
        model = run(() => this.model.repay(action.asset, amount, actor, this.now));
        break;
      }
      case "depositReserves": {
        const asset = this.asset(action.asset).address;
        chain = await send(pool.encode("depositReserves", [asset, amount]));
        model = run(() => this.model.depositReserves(action.asset, amount, this.now));
        break;
      }
      case "liquidate": {
        const collateral = this.asset(action.collateral).address;
        const debt = this.asset(action.debt).address;
        chain = await this.send(this.w.liquidator, pool.address, pool.encode("liquidationCall", [collateral, debt, actor, amount]));
        model = run(() => this.model.liquidate(action.collateral, action.debt, actor, amount, this.now));
        break;
      }
    }
    const chainOutcome = "error" in chain ? `revert ${chain.error}` : "success";
    const modelOutcome = "error" in model ? `revert ${model.error}` : "success";
    this.modelHook?.({ model: this.model, action, reverted: "error" in model });
    if (chainOutcome !== modelOutcome) return { step, field: "outcome", chain: chainOutcome, model: modelOutcome };
    if ("error" in chain) {
      stats.revertsMatched++;
      stats.revertsByError[chain.error] = (stats.revertsByError[chain.error] ?? 0) + 1;
    }
    if ("logs" in chain && "liquidation" in model && model.liquidation) {
      const difference = this.compareLiquidation(step, chain.logs, model.liquidation, stats);
      if (difference) return difference;
    }
    return this.compareState(step);
  }

  private compareLiquidation(step: number, logs: readonly Log[], m: ReturnType<PoolModel["liquidate"]>, stats: Stats): FuzzDifference | undefined {
    const events: string[] = [];
    const writeOffs: string[] = [];
    for (const log of logs) {
      const event = this.poolEvent(log);
      if (event?.eventName === "LiquidationCall") {
        const a = event.args;
        events.push([a.debtRepaid, a.collateralSeized, a.protocolFee, a.healthFactorWad].join(","));
      }
      if (event?.eventName === "BadDebtRecorded") {
        const a = event.args;
        const index = this.assets.findIndex((x) => x.address.toLowerCase() === a.asset.toLowerCase());
        writeOffs.push(`${index}:${a.assets}:${a.shares}`);
      }
    }
    const expected = [m.debtRepaid, m.collateralSeized, m.protocolFee, m.healthFactorWad].join(",");
    const got = events.join(";");
    if (got !== expected) return { step, field: "liquidation (debtRepaid,collateralSeized,protocolFee,healthFactorWad)", chain: got, model: expected };
    const expectedWriteOffs = m.writeOffs.map((w) => `${w.reserveIndex}:${w.assets}:${w.shares}`).join(";");
    if (writeOffs.join(";") !== expectedWriteOffs) return { step, field: "writeOffs (reserve:assets:shares)", chain: writeOffs.join(";"), model: expectedWriteOffs };
    stats.liquidations++;
    stats.writeOffs += m.writeOffs.length;
    return undefined;
  }

  /** Reserves (state, bad debt, feed), users' shares and account data, at the latest block. */
  private async compareState(step: number): Promise<FuzzDifference | undefined> {
    const users = this.actors;
    const lens = this.w.lens;
    const [reserves, shares, accounts, stored] = await Promise.all([
      lens.read(this.chain, "getReservesSnapshot", [this.poolAddress]),
      lens.read(this.chain, "getUsersShares", [this.poolAddress, users]),
      lens.read(this.chain, "getAccountsData", [this.poolAddress, users]),
      Promise.all(this.assets.map((_, i) => this.storedState(i))),
    ]);
    const diff = (field: string, chain: bigint | boolean, model: bigint | boolean): FuzzDifference | undefined =>
      chain === model ? undefined : { step, field, chain: String(chain), model: String(model) };
    for (const [i, raw] of stored.entries()) {
      const m = this.model.reserves[i];
      if (!m) throw new Error(`model has no reserve ${i}`);
      for (const [k, field] of STATE_FIELDS.entries()) {
        const d = diff(`reserve[${i}].stored.${field}`, raw[k] ?? -1n, m.state[field]);
        if (d) return d;
      }
    }
    for (const [i, r] of reserves.entries()) {
      const s = this.model.reserveState(i, this.now);
      const b = this.model.badDebt[i];
      const m = this.model.reserves[i];
      if (!b || !m) throw new Error(`model has no reserve ${i}`);
      const d =
        diff(`reserve[${i}].totalSupplyAssets`, r.state.totalSupplyAssets, s.totalSupplyAssets) ??
        diff(`reserve[${i}].totalSupplyShares`, r.state.totalSupplyShares, s.totalSupplyShares) ??
        diff(`reserve[${i}].totalBorrowAssets`, r.state.totalBorrowAssets, s.totalBorrowAssets) ??
        diff(`reserve[${i}].totalBorrowShares`, r.state.totalBorrowShares, s.totalBorrowShares) ??
        diff(`reserve[${i}].reservesAssets`, r.state.reservesAssets, s.reservesAssets) ??
        diff(`reserve[${i}].lastUpdate`, r.state.lastUpdate, s.lastUpdate) ??
        diff(`badDebt[${i}].recorded`, r.badDebt.recorded, b.recorded) ??
        diff(`badDebt[${i}].coveredByReserves`, r.badDebt.coveredByReserves, b.coveredByReserves) ??
        diff(`badDebt[${i}].socializedToSuppliers`, r.badDebt.socializedToSuppliers, b.socializedToSuppliers) ??
        diff(`feed[${i}].answer`, r.answer, m.priceE8) ??
        diff(`feed[${i}].updatedAt`, r.updatedAt, m.priceUpdatedAt);
      if (d) return d;
    }
    for (const [u, address] of users.entries()) {
      const ms = this.model.shares(address);
      const cs = shares[u];
      const ca = accounts[u];
      if (!cs || !ca) throw new Error(`lens returned no user ${u}`);
      for (let i = 0; i < reserves.length; i++) {
        const d =
          diff(`user[${u}].supplyShares[${i}]`, cs.supplyShares[i] ?? -1n, ms.supplyShares[i] ?? -1n) ??
          diff(`user[${u}].borrowShares[${i}]`, cs.borrowShares[i] ?? -1n, ms.borrowShares[i] ?? -1n);
        if (d) return d;
      }
      const ma = this.model.userAccountData(address, this.now);
      const d =
        diff(`account[${u}].ok`, ca.ok, ma !== undefined) ??
        (ma
          ? (diff(`account[${u}].totalCollateralUsd`, ca.totalCollateralUsd, ma.totalCollateralUsd) ??
            diff(`account[${u}].totalDebtUsd`, ca.totalDebtUsd, ma.totalDebtUsd) ??
            diff(`account[${u}].availableBorrowsUsd`, ca.availableBorrowsUsd, ma.availableBorrowsUsd) ??
            diff(`account[${u}].currentLiquidationThreshold`, ca.currentLiquidationThreshold, ma.currentLiquidationThreshold) ??
            diff(`account[${u}].ltv`, ca.ltv, ma.ltv) ??
            diff(`account[${u}].healthFactor`, ca.healthFactor, ma.healthFactor))
          : undefined);
      if (d) return d;
    }
    return undefined;
  }

  /**
   * The reserve's stored (not accrued) `ReserveState`, read from the pool's storage: `_reserves` is
   * slot 3 (after Ownable's `_owner` and ReentrancyGuard's `_status`, then `_reservesList`); in a
   * `Reserve`, the 12-slot `ReserveConfig` comes first, then the six state words.
   */
  private async storedState(index: number): Promise<bigint[]> {
    const base = BigInt(keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [this.asset(index).address, 3n])));
    return Promise.all(
      STATE_FIELDS.map(async (_, k) => BigInt(String(await this.chain.rpc("eth_getStorageAt", [this.poolAddress, toHex(base + 12n + BigInt(k)), "latest"])))),
    );
  }

  /** A log of the pool's, decoded; undefined for another contract's event (a token's `Transfer`). */
  private poolEvent(log: Log) {
    try {
      return decodeLog(this.w.pool.abi, log);
    } catch {
      return undefined;
    }
  }

  /** Sends one transaction in a block at `now`; a revert is returned as the pool's custom error name. */
  private async send(from: Address, to: Address, data: Hex): Promise<{ logs: readonly Log[] } | { error: string }> {
    await this.chain.rpc("evm_setNextBlockTimestamp", [Number(this.now)]);
    try {
      return { logs: await this.chain.mustSend(from, to, data) };
    } catch (e) {
      if (!(e instanceof WouldRevert)) throw e;
      const name = e.data !== "0x" ? this.errorName(e.data) : undefined;
      if (name !== undefined) return { error: name };
      // A panic (arithmetic, division by zero) is a difference to shrink, not a crash of the fuzzer.
      if (e.data.startsWith(PANIC_SELECTOR)) return { error: `Panic(0x${BigInt(`0x${e.data.slice(10)}`).toString(16)})` };
      throw new Error(`unexpected revert (neither a named pool error nor a panic): ${e.message}`);
    }
  }

  /** The pool's custom error (or Solidity's `Error`/`Panic`) that `data` encodes; undefined when none matches. */
  private errorName(data: Hex): string | undefined {
    try {
      return decodeErrorResult({ abi: this.w.pool.abi, data }).errorName;
    } catch {
      return undefined;
    }
  }

  private asset(index: number): Asset {
    const a = this.assets[index];
    if (!a) throw new RangeError(`asset ${index} does not exist`);
    return a;
  }

  private actor(index: number): Address {
    const a = this.actors[index];
    if (!a) throw new RangeError(`user ${index} does not exist`);
    return a;
  }
}

/** Replays `actions` from a fresh deployment; the first difference, if any. */
async function replay(h: Harness, actions: readonly FuzzAction[]): Promise<FuzzDifference | undefined> {
  await h.reset();
  const stats = newStats();
  for (const [i, action] of actions.entries()) {
    const d = await h.apply(action, i, stats);
    if (d) return d;
  }
  return undefined;
}

/** Runs `steps` seeded random steps in lockstep on a fresh world; shrinks and returns the first difference. */
export async function differentialFuzz(options: DifferentialFuzzOptions): Promise<DifferentialFuzzResult> {
  const h = await Harness.deploy(options.seed, options.modelHook);
  const rng = new Rng(options.seed).fork("actions");
  const stats = newStats();
  const actions: FuzzAction[] = [];
  const every = options.progressEvery ?? 100;
  for (let i = 0; i < options.steps; i++) {
    const action = h.generate(rng);
    actions.push(action);
    const d = await h.apply(action, i, stats);
    if (d) {
      const shrunk = await shrinkActions({
        failing: actions,
        first: d,
        replay: (candidate) => replay(h, candidate),
        maxSteps: options.shrinkSteps ?? DEFAULT_SHRINK_STEPS,
      });
      return {
        seed: options.seed,
        steps: i + 1,
        ...stats,
        difference: {
          seed: options.seed.toString(),
          actions: shrunk.actions,
          difference: shrunk.failure,
          originalLength: actions.length,
          shrinkSteps: shrunk.steps,
        },
      };
    }
    if (options.onProgress && (i + 1) % every === 0) options.onProgress(i + 1);
  }
  return { seed: options.seed, steps: options.steps, ...stats };
}

/** Replays `actions` (e.g. a printed reproduction) on a fresh world deployed with `seed`; the first difference. */
export async function replayActions(seed: bigint, actions: readonly FuzzAction[], modelHook?: ModelHook): Promise<FuzzDifference | undefined> {
  return replay(await Harness.deploy(seed, modelHook), actions);
}

/** The reproduction as text: the seed, the differing field with both values, and the actions as JSON. */
export function formatReproduction(r: FuzzReproduction): string {
  const d = r.difference;
  return [
    `difference at step ${d.step} (seed ${r.seed}; shrunk from ${r.originalLength} to ${r.actions.length} actions in ${r.shrinkSteps} shrink steps): ${d.field}: chain ${d.chain}, model ${d.model}`,
    "actions (replay from a fresh deployment with this seed):",
    JSON.stringify(r.actions, null, 2),
  ].join("\n");
}
