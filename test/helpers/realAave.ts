/**
 * The real Aave V3.6 beside liqsim's tokens and feeds, for contract tests: WETH (18 decimals), USDC (6)
 * and WBTC (8) at $2,000, $1 and $60,000, listed with the same risk settings as `deployPoolWorld`'s
 * `PooledLendingPool` (wethConfig, usdcConfig, wbtcConfig) and zero interest, so that the two can be
 * driven through the same story and compared to the wei.
 */
import { ethers, network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { decodeErrorResult, type Address, type EIP1193Provider, type Hex } from "viem";
import type { MockERC20, MockPriceFeed } from "../../typechain-types";
import { decodeLog, ContractHandle } from "../../simulator/world/contracts";
import { deployAaveV3, type AaveReserveInput, type AaveV3Deployment } from "../../simulator/venues/aave-v3/deploy";
import { automineTransactor, readView, type RealReceipt, type RealTransactor } from "../../simulator/venues/realTransactor";
import { MAX_UINT256, deployFeed, deployToken, usd, usdcConfig, wbtcConfig, wethConfig, type ReserveConfig } from "./pool";

export interface RealAaveWorld {
  owner: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  liquidator: HardhatEthersSigner;
  weth: MockERC20;
  usdc: MockERC20;
  wbtc: MockERC20;
  wethFeed: MockPriceFeed;
  usdcFeed: MockPriceFeed;
  wbtcFeed: MockPriceFeed;
  aave: AaveV3Deployment;
  /** A transactor sending from `who`. */
  as(who: HardhatEthersSigner): RealTransactor;
  /** Mints `amount` of `token` to `who`, approves the pool and supplies it for them. */
  supply(token: MockERC20, who: HardhatEthersSigner, amount: bigint): Promise<void>;
  /** Borrows `amount` of `token` at the variable rate for `who`. */
  borrow(token: MockERC20, who: HardhatEthersSigner, amount: bigint): Promise<void>;
  /** Mints and approves `amount` of `token` for the liquidator. */
  fundLiquidator(token: MockERC20, amount: bigint): Promise<void>;
  /** The calldata of `liquidationCall(collateral, debt, user, debtToCover, receiveAToken=false)`. */
  liquidationData(collateral: MockERC20, debt: MockERC20, user: HardhatEthersSigner, debtToCover: bigint): Promise<Hex>;
  /** `liquidationCall(collateral, debt, user, debtToCover, receiveAToken=false)` from the liquidator. */
  liquidate(collateral: MockERC20, debt: MockERC20, user: HardhatEthersSigner, debtToCover: bigint): Promise<RealReceipt>;
  /** The `liquidationCall` as an `eth_call`: the custom error it reverts with, or "" when it would not revert. */
  liquidationRevert(collateral: MockERC20, debt: MockERC20, user: HardhatEthersSigner, debtToCover: bigint): Promise<string>;
  /** A pool call `data` from `who` as an `eth_call`: the custom error it reverts with, or "" when it would not revert. */
  poolCallRevert(who: HardhatEthersSigner, data: Hex): Promise<string>;
  /** The pool's events in `receipt`, decoded. */
  poolEvents(receipt: RealReceipt): { eventName: string; args: Record<string, unknown> }[];
  aTokenBalance(token: MockERC20, who: string): Promise<bigint>;
  debtBalance(token: MockERC20, who: string): Promise<bigint>;
}

const GAS = 3_000_000n;

/** A reserve's overrides: liqsim's settings, and Aave's caps (whole tokens). */
export type RealAaveReserveOverrides = Partial<ReserveConfig> & Pick<AaveReserveInput, "supplyCapTokens" | "borrowCapTokens">;

export async function deployRealAaveWorld(overrides: { weth?: RealAaveReserveOverrides; usdc?: RealAaveReserveOverrides; wbtc?: RealAaveReserveOverrides } = {}): Promise<RealAaveWorld> {
  const [owner, alice, bob, , liquidator] = await ethers.getSigners();
  if (!owner || !alice || !bob || !liquidator) throw new Error("hardhat network needs at least 5 accounts");
  const weth = await deployToken("Wrapped Ether", "WETH", 18, owner);
  const usdc = await deployToken("USD Coin", "USDC", 6, owner);
  const wbtc = await deployToken("Wrapped Bitcoin", "WBTC", 8, owner);
  const wethFeed = await deployFeed("WETH / USD", usd("2000"), owner);
  const usdcFeed = await deployFeed("USDC / USD", usd("1"), owner);
  const wbtcFeed = await deployFeed("WBTC / USD", usd("60000"), owner);
  const provider = network.provider as unknown as EIP1193Provider;
  const as = (who: HardhatEthersSigner) => automineTransactor(provider, who.address as Address);
  const input = async (token: MockERC20, symbol: string, config: ReserveConfig, caps: RealAaveReserveOverrides = {}): Promise<AaveReserveInput> => ({
    ...config,
    token: (await token.getAddress()) as Address,
    symbol,
    feed: config.priceFeed as Address,
    ...(caps.supplyCapTokens !== undefined ? { supplyCapTokens: caps.supplyCapTokens } : {}),
    ...(caps.borrowCapTokens !== undefined ? { borrowCapTokens: caps.borrowCapTokens } : {}),
  });
  const aave = await deployAaveV3(as(owner), [
    await input(weth, "WETH", wethConfig(await wethFeed.getAddress(), overrides.weth), overrides.weth),
    await input(usdc, "USDC", usdcConfig(await usdcFeed.getAddress(), overrides.usdc), overrides.usdc),
    await input(wbtc, "WBTC", wbtcConfig(await wbtcFeed.getAddress(), overrides.wbtc), overrides.wbtc),
  ]);
  const pool = aave.pool;
  const reserveOf = (token: Address) => {
    const r = aave.reserves.find((x) => x.token === token);
    if (!r) throw new Error(`${token} is not listed`);
    return r;
  };
  // Aave's ABIs (cache/real-protocols) are not typed.
  const balance = async (tokenAddress: Address, who: string) =>
    (await readView(as(owner), new ContractHandle(tokenAddress, aave.aTokenAbi), "balanceOf", [who])) as bigint;
  const fund = async (token: MockERC20, who: HardhatEthersSigner, amount: bigint) => {
    await token.connect(owner).mint(who.address, amount);
    await token.connect(who).approve(pool.address, MAX_UINT256);
  };
  // The pool's calls are typed (world/realAbis.ts): ethers gives addresses as plain strings.
  const tokenAddress = async (token: MockERC20) => (await token.getAddress()) as Address;
  const address = (who: HardhatEthersSigner) => who.address as Address;
  const liquidationData = async (collateral: MockERC20, debt: MockERC20, user: HardhatEthersSigner, debtToCover: bigint): Promise<Hex> =>
    pool.encode("liquidationCall", [await tokenAddress(collateral), await tokenAddress(debt), address(user), debtToCover, false]);
  return {
    owner, alice, bob, liquidator, weth, usdc, wbtc, wethFeed, usdcFeed, wbtcFeed, aave, as,
    async supply(token, who, amount) {
      await fund(token, who, amount);
      await as(who).send({ to: pool.address, data: pool.encode("supply", [await tokenAddress(token), amount, address(who), 0]), gas: GAS });
    },
    async borrow(token, who, amount) {
      await as(who).send({ to: pool.address, data: pool.encode("borrow", [await tokenAddress(token), amount, 2n, 0, address(who)]), gas: GAS });
    },
    fundLiquidator: (token, amount) => fund(token, liquidator, amount),
    liquidationData,
    async liquidate(collateral, debt, user, debtToCover) {
      return as(liquidator).send({ to: pool.address, data: await liquidationData(collateral, debt, user, debtToCover), gas: GAS });
    },
    async liquidationRevert(collateral, debt, user, debtToCover) {
      return revertName(provider, liquidator.address as Address, pool.address, await liquidationData(collateral, debt, user, debtToCover), aave);
    },
    poolCallRevert: (who, data) => revertName(provider, who.address as Address, pool.address, data, aave),
    poolEvents: (receipt) => receipt.logs.filter((l) => l.address.toLowerCase() === pool.address.toLowerCase()).map((l) => decodeLog(aave.poolAbi, l)),
    aTokenBalance: async (token, who) => balance(reserveOf((await token.getAddress()) as Address).aToken, who),
    debtBalance: async (token, who) => balance(reserveOf((await token.getAddress()) as Address).variableDebtToken, who),
  };
}

/** The name of the custom error an `eth_call` of `data` reverts with ("" if it succeeds). */
async function revertName(provider: EIP1193Provider, from: Address, to: Address, data: Hex, aave: AaveV3Deployment): Promise<string> {
  try {
    await provider.request({ method: "eth_call", params: [{ from, to, data }, "latest"] });
    return "";
  } catch (e) {
    const revertData = (e as { data?: unknown }).data;
    const hex = typeof revertData === "string" ? revertData : (revertData as { data?: string } | undefined)?.data;
    if (typeof hex !== "string" || !hex.startsWith("0x")) throw e;
    return decodeErrorResult({ abi: [...aave.poolAbi, ...aave.aTokenAbi, ...aave.variableDebtTokenAbi], data: hex as Hex }).errorName;
  }
}
