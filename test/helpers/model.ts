/**
 * Reads a `PooledLendingPool` into the inputs of `simulator/math`'s model, so tests can compare the
 * contract's answers with the model's on the same state.
 */
import { ethers } from "hardhat";
import type { PoolLens, PooledLendingPool } from "../../typechain-types";
import type { LiquidationConfig, ReserveModel, ReserveState, UserShares } from "../../simulator/math";
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

/** The pool's reserves (states accrued to the latest block), liquidation rules and `users`' shares. */
export async function readPoolModel(pool: PooledLendingPool, lens: PoolLens, users: string[]): Promise<PoolModelSnapshot> {
  const poolAddress = await pool.getAddress();
  const [snapshots, shares, lc, block] = await Promise.all([
    lens.getReservesSnapshot(poolAddress),
    lens.getUsersShares(poolAddress, users),
    pool.getLiquidationConfig(),
    ethers.provider.getBlock("latest"),
  ]);
  if (!block) throw new Error("no latest block");
  const reserves: ReserveModel[] = [];
  for (const s of snapshots) {
    const c = await pool.getReserveConfig(s.asset);
    const token = await ethers.getContractAt("MockERC20", s.asset);
    reserves.push({
      config: configOf(c),
      state: toState(s.state),
      unit: 10n ** (await token.decimals()),
      priceE8: s.answer,
    });
  }
  return {
    assets: snapshots.map((s) => s.asset),
    reserves,
    liquidationConfig: {
      closeFactorWad: lc.closeFactorWad,
      closeFactorHfThresholdWad: lc.closeFactorHfThresholdWad,
      closeFactorDustUsd: lc.closeFactorDustUsd,
      minLeftoverUsd: lc.minLeftoverUsd,
      liquidationsAcceptStalePrice: lc.liquidationsAcceptStalePrice,
    },
    users: shares.map((u) => ({ supplyShares: [...u.supplyShares], borrowShares: [...u.borrowShares] })),
    timestamp: BigInt(block.timestamp),
  };
}

/** Runs `call`; returns its value, or the name of the pool's custom error it reverted with. */
export async function resultOrError<T>(pool: PooledLendingPool, call: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await call();
  } catch (e) {
    const data = (e as { data?: string }).data;
    const parsed = typeof data === "string" ? pool.interface.parseError(data) : null;
    if (!parsed) throw e;
    return { error: parsed.name };
  }
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
