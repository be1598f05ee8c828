/**
 * The contract tests' pool world, with the toolbox's ethers bindings (typechain): the reserve settings
 * are the library's (simulator/fuzz/poolWorld.ts, the differential fuzzer's world on viem); the
 * library never imports test/.
 */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockERC20, MockPriceFeed, PooledLendingPool, PoolLens } from "../../typechain-types";
import type { LiquidationConfigStruct, ReserveConfigStructOutput } from "../../typechain-types/contracts/lending/PooledLendingPool";
import { AAVE_LIQUIDATION_CONFIG, MAX_UINT256, usd, usdcConfig, wbtcConfig, wethConfig, type ReserveConfig } from "../../simulator/fuzz/poolWorld";

export * from "../../simulator/fuzz/poolWorld";

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
