/**
 * A small world for contract tests and the differential fuzzer: three tokens (WETH 18 decimals, USDC 6, WBTC 8), a Chainlink-style
 * feed for each, a `PooledLendingPool` listing all three, and a `PoolLens`.
 *
 * Interest rates are zero by default so that liquidation figures do not drift by a second of interest
 * per mined block; interest tests pass their own rate curve.
 */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ReserveRiskConfig, Rng } from "../math";
import type { MockERC20, MockPriceFeed, PooledLendingPool, PoolLens } from "../../typechain-types";
import type {
  LiquidationConfigStruct,
  ReserveConfigStruct,
  ReserveConfigStructOutput,
} from "../../typechain-types/contracts/lending/PooledLendingPool";

export const WAD = 10n ** 18n;
export const E8 = 10n ** 8n;
export const MAX_UINT256 = 2n ** 256n - 1n;
export const SECONDS_PER_YEAR = 31_536_000n;

/** A decimal string as a WAD integer: wad("0.825") == 825e15. */
export function wad(value: string): bigint {
  return ethers.parseUnits(value, 18);
}

/** A USD amount as the pool's 8-decimal USD unit: usd("2000") == 2000e8. */
export function usd(value: string): bigint {
  return ethers.parseUnits(value, 8);
}

/** Aave V3.3's liquidation rules. */
export const AAVE_LIQUIDATION_CONFIG: LiquidationConfigStruct = {
  closeFactorWad: wad("0.5"),
  closeFactorHfThresholdWad: wad("0.95"),
  closeFactorDustUsd: usd("2000"),
  minLeftoverUsd: usd("1000"),
  liquidationsAcceptStalePrice: true,
};

export const ZERO_RATES = {
  reserveFactorWad: 0n,
  baseRateWad: 0n,
  slope1Wad: 0n,
  slope2Wad: 0n,
  optimalUtilizationWad: wad("0.8"),
};

/** The contract's `ReserveConfig`: the model's risk and rate fields plus the feed settings. */
export type ReserveConfig = ReserveRiskConfig & {
  priceFeed: string;
  maxPriceAgeSeconds: bigint;
  borrowingEnabled: boolean;
};

/**
 * A random kinked interest curve for randomized tests: base 0-5%, slope1 1%-`maxSlope1Wad`, slope2
 * 20-300%, kink 45-92%, reserve factor 0-30% (annual WAD rates).
 */
export function randomRateCurve(rng: Rng, maxSlope1Wad: bigint = wad("0.1")): Partial<ReserveConfig> {
  return {
    baseRateWad: rng.bigIntBetween(0n, wad("0.05")),
    slope1Wad: rng.bigIntBetween(wad("0.01"), maxSlope1Wad),
    slope2Wad: rng.bigIntBetween(wad("0.2"), wad("3")),
    optimalUtilizationWad: rng.bigIntBetween(wad("0.45"), wad("0.92")),
    reserveFactorWad: rng.bigIntBetween(0n, wad("0.3")),
  };
}

/** WETH: LTV 80%, threshold 82.5%, bonus 5%, 10% of the bonus to the protocol. */
export function wethConfig(priceFeed: string, overrides: Partial<ReserveConfig> = {}): ReserveConfig {
  return {
    ltvWad: wad("0.8"),
    liquidationThresholdWad: wad("0.825"),
    liquidationBonusWad: wad("1.05"),
    liquidationProtocolFeeWad: wad("0.1"),
    ...ZERO_RATES,
    priceFeed,
    maxPriceAgeSeconds: 3600n,
    borrowingEnabled: true,
    ...overrides,
  };
}

/** USDC: LTV 75%, threshold 78%, bonus 4.5%, 10% of the bonus to the protocol. */
export function usdcConfig(priceFeed: string, overrides: Partial<ReserveConfig> = {}): ReserveConfig {
  return {
    ltvWad: wad("0.75"),
    liquidationThresholdWad: wad("0.78"),
    liquidationBonusWad: wad("1.045"),
    liquidationProtocolFeeWad: wad("0.1"),
    ...ZERO_RATES,
    optimalUtilizationWad: wad("0.9"),
    priceFeed,
    maxPriceAgeSeconds: 86_400n,
    borrowingEnabled: true,
    ...overrides,
  };
}

/** WBTC: LTV 70%, threshold 75%, bonus 10%, no protocol fee. */
export function wbtcConfig(priceFeed: string, overrides: Partial<ReserveConfig> = {}): ReserveConfig {
  return {
    ltvWad: wad("0.7"),
    liquidationThresholdWad: wad("0.75"),
    liquidationBonusWad: wad("1.1"),
    liquidationProtocolFeeWad: 0n,
    ...ZERO_RATES,
    priceFeed,
    maxPriceAgeSeconds: 3600n,
    borrowingEnabled: true,
    ...overrides,
  };
}

export interface PoolWorld {
  owner: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  liquidator: HardhatEthersSigner;
  others: HardhatEthersSigner[];
  weth: MockERC20;
  usdc: MockERC20;
  wbtc: MockERC20;
  wethFeed: MockPriceFeed;
  usdcFeed: MockPriceFeed;
  wbtcFeed: MockPriceFeed;
  pool: PooledLendingPool;
  lens: PoolLens;
  /** Mints `amount` of `token` to `who` and approves the pool for it. */
  fund(token: MockERC20, who: HardhatEthersSigner, amount: bigint): Promise<void>;
  /** Funds `who` and supplies `amount` of `token` for them. */
  supply(token: MockERC20, who: HardhatEthersSigner, amount: bigint): Promise<void>;
}

export async function deployToken(name: string, symbol: string, decimals: number, owner: HardhatEthersSigner): Promise<MockERC20> {
  const token = await ethers.deployContract("MockERC20", [name, symbol, decimals, owner.address]);
  return token as unknown as MockERC20;
}

export async function deployFeed(description: string, answer: bigint, owner: HardhatEthersSigner): Promise<MockPriceFeed> {
  const feed = await ethers.deployContract("MockPriceFeed", [8, description, answer, owner.address]);
  return feed as unknown as MockPriceFeed;
}

/**
 * Deploys the world with WETH at $2,000, USDC at $1 and WBTC at $60,000, Aave's liquidation rules
 * unless `liquidationConfig` is given, and zero interest rates unless a reserve's overrides set them.
 */
export async function deployPoolWorld(
  options: {
    liquidationConfig?: LiquidationConfigStruct;
    /** `deficit`: deploys `PooledLendingPoolDeficit` (Aave 3.3+'s bad-debt rule) instead. */
    badDebt?: "haircut" | "deficit";
    weth?: Partial<ReserveConfig>;
    usdc?: Partial<ReserveConfig>;
    wbtc?: Partial<ReserveConfig>;
  } = {},
): Promise<PoolWorld> {
  const [owner, alice, bob, carol, liquidator, ...others] = await ethers.getSigners();
  if (!owner || !alice || !bob || !carol || !liquidator) throw new Error("hardhat network needs at least 5 accounts");
  const weth = await deployToken("Wrapped Ether", "WETH", 18, owner);
  const usdc = await deployToken("USD Coin", "USDC", 6, owner);
  const wbtc = await deployToken("Wrapped Bitcoin", "WBTC", 8, owner);
  const wethFeed = await deployFeed("WETH / USD", usd("2000"), owner);
  const usdcFeed = await deployFeed("USDC / USD", usd("1"), owner);
  const wbtcFeed = await deployFeed("WBTC / USD", usd("60000"), owner);
  const pool = (await ethers.deployContract(options.badDebt === "deficit" ? "PooledLendingPoolDeficit" : "PooledLendingPool", [
    owner.address,
    options.liquidationConfig ?? AAVE_LIQUIDATION_CONFIG,
  ])) as unknown as PooledLendingPool;
  const lens = (await ethers.deployContract("PoolLens")) as unknown as PoolLens;

  await pool.listReserve(await weth.getAddress(), wethConfig(await wethFeed.getAddress(), options.weth));
  await pool.listReserve(await usdc.getAddress(), usdcConfig(await usdcFeed.getAddress(), options.usdc));
  await pool.listReserve(await wbtc.getAddress(), wbtcConfig(await wbtcFeed.getAddress(), options.wbtc));

  const poolAddress = await pool.getAddress();
  const fund = async (token: MockERC20, who: HardhatEthersSigner, amount: bigint): Promise<void> => {
    await token.connect(owner).mint(who.address, amount);
    await token.connect(who).approve(poolAddress, MAX_UINT256);
  };
  const supply = async (token: MockERC20, who: HardhatEthersSigner, amount: bigint): Promise<void> => {
    await fund(token, who, amount);
    await pool.connect(who).supply(await token.getAddress(), amount, who.address);
  };
  return { owner, alice, bob, carol, liquidator, others, weth, usdc, wbtc, wethFeed, usdcFeed, wbtcFeed, pool, lens, fund, supply };
}

/** A reserve config as the struct type typechain expects. */
export function asStruct(config: ReserveConfig): ReserveConfigStruct {
  return config;
}

/** A reserve's config as returned by `getReserveConfig`, as a plain `ReserveConfig` to spread overrides into. */
export function configOf(c: ReserveConfigStructOutput): ReserveConfig {
  return {
    ltvWad: c.ltvWad,
    liquidationThresholdWad: c.liquidationThresholdWad,
    liquidationBonusWad: c.liquidationBonusWad,
    liquidationProtocolFeeWad: c.liquidationProtocolFeeWad,
    reserveFactorWad: c.reserveFactorWad,
    baseRateWad: c.baseRateWad,
    slope1Wad: c.slope1Wad,
    slope2Wad: c.slope2Wad,
    optimalUtilizationWad: c.optimalUtilizationWad,
    priceFeed: c.priceFeed,
    maxPriceAgeSeconds: c.maxPriceAgeSeconds,
    borrowingEnabled: c.borrowingEnabled,
  };
}

/** The reserve's configuration as a plain object, ready to modify and pass back to `setReserveConfig`. */
export async function readReserveConfig(pool: PooledLendingPool, asset: string): Promise<ReserveConfig> {
  return configOf(await pool.getReserveConfig(asset));
}
