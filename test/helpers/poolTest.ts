/**
 * Shared pieces of the PooledLendingPool entry-point tests: token units, the kinked interest curve the
 * interest tests use, and sending a transaction (or mining an empty block) at an exact timestamp.
 *
 * Hardhat evaluates `eth_call` at the latest block's timestamp, so a view "now" means "at the last mined
 * block": `mineAt(t)` followed by a view reads the pool as of `t` without any pool transaction.
 */
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployPoolWorld, wad } from "./pool";
import type { PoolWorld, ReserveConfig } from "./pool";
import type {
  LiquidationConfigStruct,
  ReserveStateStructOutput,
} from "../../typechain-types/contracts/lending/PooledLendingPool";

export const ONE_WETH = 10n ** 18n;
export const ONE_USDC = 10n ** 6n;
export const ONE_WBTC = 10n ** 8n;

/** Shares per asset unit of an empty reserve (SharesMathLib's virtual shares over virtual assets). */
export const VIRTUAL_SHARES = 10n ** 6n;

/**
 * Base 0%, +4% linearly up to the 80% kink, +75% linearly from 80% to 100% utilization; 10% of the
 * interest to the reserves. At exactly 80% utilization the rate is 4% a year.
 */
export const KINKED_CURVE: Partial<ReserveConfig> = {
  baseRateWad: 0n,
  slope1Wad: wad("0.04"),
  slope2Wad: wad("0.75"),
  optimalUtilizationWad: wad("0.8"),
  reserveFactorWad: wad("0.1"),
};

/** Sends `send()` in a block mined at exactly `timestamp` (seconds; may equal the latest block's). */
export async function at<T>(timestamp: bigint, send: () => Promise<T>): Promise<T> {
  await time.setNextBlockTimestamp(timestamp);
  return send();
}

/** Mines an empty block at exactly `timestamp`, so that views read the chain as of that second. */
export async function mineAt(timestamp: bigint): Promise<void> {
  await time.setNextBlockTimestamp(timestamp);
  await mine();
}

/** The latest block's timestamp, seconds. */
export async function latestTimestamp(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** A `ReserveConfig` as the positional tuple an event or `getReserveConfig` returns it in. */
export function configTuple(c: ReserveConfig): unknown[] {
  return [
    c.ltvWad,
    c.liquidationThresholdWad,
    c.liquidationBonusWad,
    c.liquidationProtocolFeeWad,
    c.reserveFactorWad,
    c.baseRateWad,
    c.slope1Wad,
    c.slope2Wad,
    c.optimalUtilizationWad,
    c.priceFeed,
    c.maxPriceAgeSeconds,
    c.borrowingEnabled,
  ];
}

/** A `LiquidationConfig` as the positional tuple an event or `getLiquidationConfig` returns it in. */
export function liquidationConfigTuple(c: LiquidationConfigStruct): unknown[] {
  return [
    c.closeFactorWad,
    c.closeFactorHfThresholdWad,
    c.closeFactorDustUsd,
    c.minLeftoverUsd,
    c.liquidationsAcceptStalePrice,
  ];
}

/** The contract's `ReserveState` as a plain object (typechain types struct outputs as tuples). */
export interface ReserveStateValues {
  totalSupplyAssets: bigint;
  totalSupplyShares: bigint;
  totalBorrowAssets: bigint;
  totalBorrowShares: bigint;
  reservesAssets: bigint;
  lastUpdate: bigint;
}

export function stateOf(s: ReserveStateStructOutput): ReserveStateValues {
  return {
    totalSupplyAssets: s.totalSupplyAssets,
    totalSupplyShares: s.totalSupplyShares,
    totalBorrowAssets: s.totalBorrowAssets,
    totalBorrowShares: s.totalBorrowShares,
    reservesAssets: s.reservesAssets,
    lastUpdate: s.lastUpdate,
  };
}

export { configOf } from "./pool";

/**
 * Bob supplies 100,000 USDC and Alice 100 WETH; at `t0` Alice borrows 80,000 USDC: 80% utilization on
 * `KINKED_CURVE`, 4% a year. A year later (no other transaction) 3,200 USDC of interest has accrued:
 * 320 to the reserves, 2,880 to the suppliers.
 */
export async function borrowedAtKink(): Promise<PoolWorld & { usdcAddress: string; t0: bigint }> {
  const w = await deployPoolWorld({ usdc: KINKED_CURVE });
  const usdcAddress = await w.usdc.getAddress();
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.weth, w.alice, 100n * ONE_WETH);
  const t0 = (await latestTimestamp()) + 10n;
  await at(t0, () => w.pool.connect(w.alice).borrow(usdcAddress, 80_000n * ONE_USDC, w.alice.address));
  return { ...w, usdcAddress, t0 };
}
