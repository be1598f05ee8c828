/**
 * A small world for contract tests and the differential fuzzer: three tokens (WETH 18 decimals, USDC 6, WBTC 8), a Chainlink-style
 * feed for each, a `PooledLendingPool` listing all three, and a `PoolLens`. The reserve settings are
 * shared with the contract tests (test/helpers/pool.ts deploys the same world with the toolbox's ethers
 * bindings); `deployFuzzPool` deploys it with the library's typed handles on a dev chain.
 *
 * Interest rates are zero by default so that liquidation figures do not drift by a second of interest
 * per mined block; interest tests pass their own rate curve.
 */
import { parseUnits, type Address, type ContractConstructorArgs } from "viem";
import type { ReserveRiskConfig, Rng } from "../math";
import { ContractHandle, deployData, projectArtifact, type ProjectAbi, type ProjectHandle } from "../world/contracts";
import type { DevChain } from "./devChain";

export const WAD = 10n ** 18n;
export const E8 = 10n ** 8n;
export const MAX_UINT256 = 2n ** 256n - 1n;
export const SECONDS_PER_YEAR = 31_536_000n;

/** A decimal string as a WAD integer: wad("0.825") == 825e15. */
export function wad(value: string): bigint {
  return parseUnits(value, 18);
}

/** A USD amount as the pool's 8-decimal USD unit: usd("2000") == 2000e8. */
export function usd(value: string): bigint {
  return parseUnits(value, 8);
}

/** The pool's `LiquidationConfig` (its constructor's second argument, as its ABI types it). */
export type LiquidationConfig = ContractConstructorArgs<ProjectAbi<"PooledLendingPool">>[1];

/** Aave V3.3's liquidation rules. */
export const AAVE_LIQUIDATION_CONFIG: LiquidationConfig = {
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

/**
 * The contract's `ReserveConfig`: the model's risk and rate fields plus the feed settings (`Feed`: the
 * feed's address as viem types it, or as a plain string for the contract tests' ethers bindings).
 */
export type ReserveConfig<Feed extends string = string> = ReserveRiskConfig & {
  priceFeed: Feed;
  maxPriceAgeSeconds: bigint;
  borrowingEnabled: boolean;
};

/**
 * A random kinked interest curve for randomized tests: base 0-5%, slope1 1%-`maxSlope1Wad`, slope2
 * 20-300%, kink 45-92%, reserve factor 0-30% (annual WAD rates).
 */
export function randomRateCurve(rng: Rng, maxSlope1Wad: bigint = wad("0.1")): Partial<ReserveRiskConfig> {
  return {
    baseRateWad: rng.bigIntBetween(0n, wad("0.05")),
    slope1Wad: rng.bigIntBetween(wad("0.01"), maxSlope1Wad),
    slope2Wad: rng.bigIntBetween(wad("0.2"), wad("3")),
    optimalUtilizationWad: rng.bigIntBetween(wad("0.45"), wad("0.92")),
    reserveFactorWad: rng.bigIntBetween(0n, wad("0.3")),
  };
}

/** WETH: LTV 80%, threshold 82.5%, bonus 5%, 10% of the bonus to the protocol. */
export function wethConfig<Feed extends string>(priceFeed: Feed, overrides: Partial<ReserveConfig<Feed>> = {}): ReserveConfig<Feed> {
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
export function usdcConfig<Feed extends string>(priceFeed: Feed, overrides: Partial<ReserveConfig<Feed>> = {}): ReserveConfig<Feed> {
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
export function wbtcConfig<Feed extends string>(priceFeed: Feed, overrides: Partial<ReserveConfig<Feed>> = {}): ReserveConfig<Feed> {
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

/** The world as the fuzzer drives it: the dev chain's first five accounts by role, the rest as `others`. */
export interface FuzzPool {
  owner: Address;
  liquidator: Address;
  others: Address[];
  /** WETH, USDC, WBTC, in the pool's reserve order. */
  tokens: ProjectHandle<"MockERC20">[];
  feeds: ProjectHandle<"MockPriceFeed">[];
  pool: ProjectHandle<"PooledLendingPool">;
  lens: ProjectHandle<"PoolLens">;
  /** Mints `amount` of token `index` to `who` and approves the pool for it. */
  fund(index: number, who: Address, amount: bigint): Promise<void>;
}

/**
 * Deploys the world on `chain` (the same transactions in the same order as the contract tests' world,
 * so the same addresses) with WETH at $2,000, USDC at $1 and WBTC at $60,000, Aave's liquidation rules,
 * and zero interest rates unless a reserve's overrides set them.
 */
export async function deployFuzzPool(
  chain: DevChain,
  options: { weth?: Partial<ReserveConfig<Address>>; usdc?: Partial<ReserveConfig<Address>>; wbtc?: Partial<ReserveConfig<Address>> } = {},
): Promise<FuzzPool> {
  const [owner, , , , liquidator, ...others] = await chain.accounts();
  if (!owner || !liquidator) throw new Error("the dev chain needs at least 5 accounts");
  const erc20 = projectArtifact("MockERC20");
  const feedArtifact = projectArtifact("MockPriceFeed");
  const token = async (name: string, symbol: string, decimals: number) =>
    new ContractHandle(await chain.deploy(owner, deployData(erc20, [name, symbol, decimals, owner])), erc20.abi);
  const feed = async (description: string, answer: bigint) =>
    new ContractHandle(await chain.deploy(owner, deployData(feedArtifact, [8, description, answer, owner])), feedArtifact.abi);
  const tokens = [await token("Wrapped Ether", "WETH", 18), await token("USD Coin", "USDC", 6), await token("Wrapped Bitcoin", "WBTC", 8)];
  const feeds = [await feed("WETH / USD", usd("2000")), await feed("USDC / USD", usd("1")), await feed("WBTC / USD", usd("60000"))];
  const poolArtifact = projectArtifact("PooledLendingPool");
  const pool = new ContractHandle(await chain.deploy(owner, deployData(poolArtifact, [owner, AAVE_LIQUIDATION_CONFIG])), poolArtifact.abi);
  const lensArtifact = projectArtifact("PoolLens");
  const lens = new ContractHandle(await chain.deploy(owner, deployData(lensArtifact)), lensArtifact.abi);
  const configs = [wethConfig, usdcConfig, wbtcConfig].map((config, i) => config(at(feeds, i).address, [options.weth, options.usdc, options.wbtc][i]));
  for (const [i, config] of configs.entries()) await chain.mustSend(owner, pool.address, pool.encode("listReserve", [at(tokens, i).address, config]));
  const fund = async (index: number, who: Address, amount: bigint): Promise<void> => {
    const t = at(tokens, index);
    await chain.mustSend(owner, t.address, t.encode("mint", [who, amount]));
    await chain.mustSend(who, t.address, t.encode("approve", [pool.address, MAX_UINT256]));
  };
  return { owner, liquidator, others, tokens, feeds, pool, lens, fund };
}

function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new RangeError(`no item ${index}`);
  return item;
}
