/**
 * Reads a `PooledLendingPool` into the inputs of `simulator/math`'s model, so tests can compare the
 * contract's answers with the model's on the same state.
 */
import { ethers } from "hardhat";
import type { PoolLens, PooledLendingPool } from "../../typechain-types";
import type { LiquidationConfig, ReserveModel, ReserveState, UserShares } from "../../simulator/math";
import type { ReserveConfig } from "../../simulator/fuzz/poolWorld";
import { PoolMathError } from "../../simulator/math";
import { configOf } from "./pool";

export interface PoolModelSnapshot {
  assets: string[];
  reserves: ReserveModel[];
  liquidationConfig: LiquidationConfig;
  users: UserShares[];
  /** Timestamp of the latest block, which is what views (and so this snapshot's states) accrue to. */
  timestamp: bigint;
}

function toState(s: {
  totalSupplyAssets: bigint;
  totalSupplyShares: bigint;
  totalBorrowAssets: bigint;
  totalBorrowShares: bigint;
  reservesAssets: bigint;
  lastUpdate: bigint;
}): ReserveState {
  return {
    totalSupplyAssets: s.totalSupplyAssets,
    totalSupplyShares: s.totalSupplyShares,
    totalBorrowAssets: s.totalBorrowAssets,
    totalBorrowShares: s.totalBorrowShares,
    reservesAssets: s.reservesAssets,
    lastUpdate: s.lastUpdate,
  };
}

/** What a run of transactions leaves unchanged: each reserve's config and unit, and the liquidation rules. */
export interface PoolStatics {
  configs: Map<string, { config: ReserveConfig; unit: bigint }>;
  liquidationConfig: LiquidationConfig;
}

/** Reads the pool's reserve configs, token units and liquidation rules (one read per reserve). */
export async function readPoolStatics(pool: PooledLendingPool): Promise<PoolStatics> {
  const configs = new Map<string, { config: ReserveConfig; unit: bigint }>();
  for (const asset of await pool.getReservesList()) {
    const token = await ethers.getContractAt("MockERC20", asset);
    configs.set(asset, { config: configOf(await pool.getReserveConfig(asset)), unit: 10n ** (await token.decimals()) });
  }
  const lc = await pool.getLiquidationConfig();
  return {
    configs,
    liquidationConfig: {
      closeFactorWad: lc.closeFactorWad,
      closeFactorHfThresholdWad: lc.closeFactorHfThresholdWad,
      closeFactorDustUsd: lc.closeFactorDustUsd,
      minLeftoverUsd: lc.minLeftoverUsd,
      liquidationsAcceptStalePrice: lc.liquidationsAcceptStalePrice,
    },
  };
}

/** The model of the pool from the lens's reserve snapshots and users' shares, with `statics` read beforehand. */
export function poolModelFrom(
  statics: PoolStatics,
  snapshots: readonly { asset: string; state: Parameters<typeof toState>[0]; answer: bigint }[],
  shares: readonly { supplyShares: readonly bigint[]; borrowShares: readonly bigint[] }[],
  timestamp: bigint,
): PoolModelSnapshot {
  const reserves = snapshots.map((s): ReserveModel => {
    const c = statics.configs.get(s.asset);
    if (!c) throw new Error(`reserve ${s.asset} not in the statics read beforehand`);
    return { config: c.config, state: toState(s.state), unit: c.unit, priceE8: s.answer };
  });
  return {
    assets: snapshots.map((s) => s.asset),
    reserves,
    liquidationConfig: { ...statics.liquidationConfig },
    users: shares.map((u) => ({ supplyShares: [...u.supplyShares], borrowShares: [...u.borrowShares] })),
    timestamp,
  };
}

/**
 * The pool's reserves (states accrued to the latest block), liquidation rules and `users`' shares;
 * `statics` read beforehand stand for the configs when the caller has changed none since.
 */
export async function readPoolModel(pool: PooledLendingPool, lens: PoolLens, users: string[], statics?: PoolStatics): Promise<PoolModelSnapshot> {
  const poolAddress = await pool.getAddress();
  const [configs, snapshots, shares, block] = await Promise.all([
    statics ?? readPoolStatics(pool),
    lens.getReservesSnapshot(poolAddress),
    lens.getUsersShares(poolAddress, users),
    ethers.provider.getBlock("latest"),
  ]);
  if (!block) throw new Error("no latest block");
  return poolModelFrom(configs, snapshots, shares, BigInt(block.timestamp));
}

/** The pool's custom error that revert `data` (from a batched call) encodes; throws when it encodes none. */
export function poolError(pool: PooledLendingPool, data: string): { error: string } {
  const parsed = data !== "0x" ? pool.interface.parseError(data) : null;
  if (!parsed) throw new Error(`revert data ${data} is not one of the pool's errors`);
  return { error: parsed.name };
}

/** Runs a model function; returns its value, or the name of the error the contract would revert with. */
export function modelResultOrError<T>(call: () => T): T | { error: string } {
  try {
    return call();
  } catch (e) {
    if (e instanceof PoolMathError) return { error: e.errorName };
    throw e;
  }
}
