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
 * Runs inside Hardhat's runtime (tests, or the CLI after `import("hardhat")`).
 */
import { ethers, network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import type { MockERC20, MockPriceFeed } from "../../typechain-types";
import { MAX_UINT256, PoolMathError, PoolModel, Rng, min, mulDivDown, zeroFloorSub, type PoolModelReserve } from "../math";
import { DEFAULT_SHRINK_STEPS, shrinkActions } from "./shrink";
import { configOf, deployPoolWorld, randomRateCurve, wad, type PoolWorld } from "./poolWorld";

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
const STATE_FIELDS = ["totalSupplyAssets", "totalSupplyShares", "totalBorrowAssets", "totalBorrowShares", "reservesAssets", "lastUpdate"] as const;

interface Asset {
  token: MockERC20;
  feed: MockPriceFeed;
  address: string;
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

type Log = { topics: readonly string[]; data: string };


/** A deployed world, its post-deployment snapshot and the model of that moment. */
class Harness {
  private snapshotId = "";
  private model!: PoolModel;
  private initialModel!: PoolModel;
  private initialTimestamp = 0n;
  private now = 0n;
  private readonly poolAddress: string;

  private constructor(
    readonly w: PoolWorld,
    readonly actors: HardhatEthersSigner[],
    readonly assets: Asset[],
    readonly modelHook: ModelHook | undefined,
  ) {
    this.poolAddress = w.pool.target as string;
  }

  static async deploy(seed: bigint, modelHook: ModelHook | undefined): Promise<Harness> {
    const rng = new Rng(seed).fork("world");
    const curve = () => randomRateCurve(rng, wad("0.2"));
    const w = await deployPoolWorld({ weth: curve(), usdc: curve(), wbtc: curve() });
    const actors = w.others.slice(0, ACTORS);
    if (actors.length < ACTORS) throw new Error(`the network needs ${ACTORS + 5} accounts`);
    const assets: Asset[] = [
      { token: w.weth, feed: w.wethFeed, address: await w.weth.getAddress(), unit: 10n ** 18n, size: 20n * 10n ** 18n },
      { token: w.usdc, feed: w.usdcFeed, address: await w.usdc.getAddress(), unit: 10n ** 6n, size: 40_000n * 10n ** 6n },
      { token: w.wbtc, feed: w.wbtcFeed, address: await w.wbtc.getAddress(), unit: 10n ** 8n, size: 10n ** 8n },
    ];
    for (const who of [...actors, w.liquidator, w.owner]) {
      for (const a of assets) await w.fund(a.token, who, 10n ** 36n);
    }
    // Deployment times follow the wall clock; the run starts at a fixed time with fresh feeds, so that a
    // reproduction replays identically in another process.
    const latest = await ethers.provider.getBlock("latest");
    if (!latest) throw new Error("no latest block");
    const start = (BigInt(latest.timestamp) / START_GRID_SECONDS + 1n) * START_GRID_SECONDS;
    for (const a of assets) {
      await network.provider.send("evm_setNextBlockTimestamp", [Number(start)]);
      await (await a.feed.connect(w.owner).updateAnswer((await a.feed.latestRoundData()).answer)).wait();
    }
    const h = new Harness(w, actors, assets, modelHook);
    await h.captureInitial();
    return h;
  }

  private async captureInitial(): Promise<void> {
    const pool = this.w.pool;
    const [snapshots, lc, block] = await Promise.all([
      this.w.lens.getReservesSnapshot(this.poolAddress),
      pool.getLiquidationConfig(),
      ethers.provider.getBlock("latest"),
    ]);
    if (!block) throw new Error("no latest block");
    const reserves: PoolModelReserve[] = [];
    for (const [i, s] of snapshots.entries()) {
      const config = configOf(await pool.getReserveConfig(s.asset));
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
    this.initialTimestamp = BigInt(block.timestamp);
    this.snapshotId = (await network.provider.send("evm_snapshot", [])) as string;
    this.model = this.initialModel.clone();
    this.now = this.initialTimestamp;
  }

  /** Back to the post-deployment chain and model (a snapshot is consumed by a revert: take a new one). */
  async reset(): Promise<void> {
    const ok = (await network.provider.send("evm_revert", [this.snapshotId])) as boolean;
    if (!ok) throw new Error(`evm_revert ${this.snapshotId} failed`);
    this.snapshotId = (await network.provider.send("evm_snapshot", [])) as string;
    this.model = this.initialModel.clone();
    this.now = this.initialTimestamp;
  }

  /** A random action drawn from `rng`, with amounts chosen from the model's current balances. */
  generate(rng: Rng): FuzzAction {
    const roll = rng.nextInt(0, 99);
    const user = rng.nextInt(0, this.actors.length - 1);
    const address = (this.actors[user] as HardhatEthersSigner).address;
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
      const hf = this.model.userAccountData(actor.address, this.now)?.healthFactor ?? MAX_UINT256;
      if (hf < weakest && rng.chance(4, 5)) {
        weakest = hf;
        target = i;
      }
    });
    const address = (this.actors[target] as HardhatEthersSigner).address;
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
      await network.provider.send("evm_mine", [Number(this.now)]);
      this.modelHook?.({ model: this.model, action, reverted: false });
      return this.compareState(step);
    }
    if (action.kind === "price") {
      const a = this.asset(action.asset);
      const price = BigInt(action.priceE8);
      const chain = await this.send(() => a.feed.connect(this.w.owner).updateAnswer(price));
      if ("error" in chain) throw new Error(`price update reverted: ${chain.error}`);
      this.model.setPrice(action.asset, price, this.now);
      this.modelHook?.({ model: this.model, action, reverted: false });
      return this.compareState(step);
    }

    const amount = BigInt(action.amount);
    const actor = this.actor(action.user);
    const pool = this.w.pool.connect(actor);
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
        chain = await this.send(() => pool.supply(asset, amount, actor.address));
        model = run(() => this.model.supply(action.asset, amount, actor.address, this.now));
        break;
      }
      case "withdraw": {
        const asset = this.asset(action.asset).address;
        chain = await this.send(() => pool.withdraw(asset, amount, actor.address));
        model = run(() => this.model.withdraw(action.asset, amount, actor.address, this.now));
        break;
      }
      case "borrow": {
        const asset = this.asset(action.asset).address;
        chain = await this.send(() => pool.borrow(asset, amount, actor.address));
        model = run(() => this.model.borrow(action.asset, amount, actor.address, this.now));
        break;
      }
      case "repay": {
        const asset = this.asset(action.asset).address;
        chain = await this.send(() => pool.repay(asset, amount, actor.address));
        model = run(() => this.model.repay(action.asset, amount, actor.address, this.now));
        break;
      }
      case "depositReserves": {
        const asset = this.asset(action.asset).address;
        chain = await this.send(() => pool.depositReserves(asset, amount));
        model = run(() => this.model.depositReserves(action.asset, amount, this.now));
        break;
      }
      case "liquidate": {
        const collateral = this.asset(action.collateral).address;
        const debt = this.asset(action.debt).address;
        chain = await this.send(() => this.w.pool.connect(this.w.liquidator).liquidationCall(collateral, debt, actor.address, amount));
        model = run(() => this.model.liquidate(action.collateral, action.debt, actor.address, amount, this.now));
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
      const parsed = this.w.pool.interface.parseLog({ topics: [...log.topics], data: log.data });
      if (parsed?.name === "LiquidationCall") events.push([4, 5, 6, 7].map((k) => String(parsed.args[k])).join(","));
      if (parsed?.name === "BadDebtRecorded") {
        const index = this.assets.findIndex((a) => a.address === parsed.args[0]);
        writeOffs.push(`${index}:${String(parsed.args[2])}:${String(parsed.args[3])}`);
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
    const users = this.actors.map((a) => a.address);
    const [reserves, shares, accounts, stored] = await Promise.all([
      this.w.lens.getReservesSnapshot(this.poolAddress),
      this.w.lens.getUsersShares(this.poolAddress, users),
      this.w.lens.getAccountsData(this.poolAddress, users),
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
    const base = BigInt(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [this.asset(index).address, 3n])));
    return Promise.all(
      STATE_FIELDS.map(async (_, k) =>
        BigInt((await network.provider.send("eth_getStorageAt", [this.poolAddress, ethers.toQuantity(base + 12n + BigInt(k)), "latest"])) as string),
      ),
    );
  }

  /** Sends one transaction in a block at `now`; a revert is returned as the pool's custom error name. */
  private async send(tx: () => Promise<ContractTransactionResponse>): Promise<{ logs: readonly Log[] } | { error: string }> {
    await network.provider.send("evm_setNextBlockTimestamp", [Number(this.now)]);
    try {
      const receipt = await (await tx()).wait();
      if (!receipt) throw new Error("no receipt");
      return { logs: receipt.logs };
    } catch (e) {
      const data = (e as { data?: string }).data;
      const parsed = typeof data === "string" && data !== "0x" ? this.w.pool.interface.parseError(data) : null;
      if (parsed) return { error: parsed.name };
      // A panic (arithmetic, division by zero) is a difference to shrink, not a crash of the fuzzer.
      if (typeof data === "string" && data.startsWith(PANIC_SELECTOR)) return { error: `Panic(0x${BigInt(`0x${data.slice(10)}`).toString(16)})` };
      throw new Error(`unexpected revert (neither a named pool error nor a panic): ${(e as Error).message}`);
    }
  }

  private asset(index: number): Asset {
    const a = this.assets[index];
    if (!a) throw new RangeError(`asset ${index} does not exist`);
    return a;
  }

  private actor(index: number): HardhatEthersSigner {
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
