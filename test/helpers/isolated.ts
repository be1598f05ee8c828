/**
 * A small world for IsolatedLendingMarket tests: WETH (18 decimals), USDC (6) and WBTC (8) with a
 * Chainlink-style feed each (WETH $2,000, USDC $1, WBTC $60,000), one IsolatedLendingMarket owned by
 * `owner` with three markets, and an IsolatedMarketLens:
 *   id 0  WETH collateral / USDC loan, LLTV 86%   price 2,000e8 x 10^(36+6-18) / 1e8  = 2e27
 *   id 1  WBTC collateral / USDC loan, LLTV 77%   price 60,000e8 x 10^(36+6-8) / 1e8 = 6e38
 *   id 2  USDC collateral / WETH loan, LLTV 86%   price 1e8 x 10^(36+18-6) / 2,000e8  = 5e44
 * Every market: prices older than an hour block borrows and collateral withdrawals, liquidations accept
 * stale prices, and interest rates are zero unless overridden, so that liquidation figures do not drift
 * by a second of interest per mined block.
 */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { IsolatedLendingMarketMath as M, type Rng } from "../../simulator/math";
import type { IsolatedLendingMarket, IsolatedMarketLens, MockERC20, MockPriceFeed } from "../../typechain-types";
import type {
  MarketParamsStructOutput,
  MarketStateStructOutput,
  PositionStructOutput,
} from "../../typechain-types/contracts/lending/IsolatedLendingMarket";
import { MAX_UINT256, deployFeed, deployToken, randomRateCurve, usd, wad } from "./pool";
import { multicall, viewCall } from "./multicall";
import { at, latestTimestamp } from "./poolTest";

export type MarketParams = M.MarketParams;
export type MarketState = M.MarketState;
export type Position = M.Position;
export type MarketOracle = M.MarketOracle;

export const WETH_USDC = 0n;
export const WBTC_USDC = 1n;
export const USDC_WETH = 2n;

export const ONE_WETH = 10n ** 18n;
export const ONE_USDC = 10n ** 6n;
export const ONE_WBTC = 10n ** 8n;

/** Borrow and supply shares per asset unit of an empty market (SharesMathLib's 1e6 virtual shares / 1 virtual asset). */
export const VIRTUAL_SHARES = 10n ** 6n;

export const ZERO_RATES = { baseRateWad: 0n, slope1Wad: 0n, slope2Wad: 0n, optimalUtilizationWad: wad("0.8") };

/**
 * Base 0%, +4% linearly up to the 80% kink, +75% linearly from 80% to 100% utilization: 4% a year at
 * exactly 80% utilization, 79% at 100%.
 */
export const KINKED_CURVE = {
  baseRateWad: 0n,
  slope1Wad: wad("0.04"),
  slope2Wad: wad("0.75"),
  optimalUtilizationWad: wad("0.8"),
};

export interface IsolatedWorld {
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
  market: IsolatedLendingMarket;
  marketAddress: string;
  lens: IsolatedMarketLens;
  /** The params each market was created with, by id. */
  params: MarketParams[];
  loanToken(id: bigint): MockERC20;
  collateralToken(id: bigint): MockERC20;
  /** Mints `amount` of `token` to `who` and approves the market for all of it. */
  fund(token: MockERC20, who: HardhatEthersSigner, amount: bigint): Promise<void>;
  /** Funds `who` and supplies `amount` of market `id`'s loan token for them. */
  supply(id: bigint, who: HardhatEthersSigner, amount: bigint): Promise<void>;
  /** Funds `who` and supplies `amount` of market `id`'s collateral token as their collateral. */
  supplyCollateral(id: bigint, who: HardhatEthersSigner, amount: bigint): Promise<void>;
}

/** Market params with `lltvWad`, zero rates, a one-hour maximum price age and stale-accepting liquidations. */
export function isolatedParams(
  tokens: { loanToken: string; collateralToken: string; loanFeed: string; collateralFeed: string },
  lltvWad: bigint,
  overrides: Partial<MarketParams> = {},
): MarketParams {
  return {
    ...tokens,
    lltvWad,
    ...ZERO_RATES,
    maxPriceAgeSeconds: 3600n,
    liquidationsAcceptStalePrice: true,
    ...overrides,
  };
}

/** Deploys the world; each market's params can be overridden. */
export async function deployIsolatedWorld(
  options: { wethUsdc?: Partial<MarketParams>; wbtcUsdc?: Partial<MarketParams>; usdcWeth?: Partial<MarketParams> } = {},
): Promise<IsolatedWorld> {
  const [owner, alice, bob, carol, liquidator, ...others] = await ethers.getSigners();
  if (!owner || !alice || !bob || !carol || !liquidator) throw new Error("hardhat network needs at least 5 accounts");
  const weth = await deployToken("Wrapped Ether", "WETH", 18, owner);
  const usdc = await deployToken("USD Coin", "USDC", 6, owner);
  const wbtc = await deployToken("Wrapped Bitcoin", "WBTC", 8, owner);
  const wethFeed = await deployFeed("WETH / USD", usd("2000"), owner);
  const usdcFeed = await deployFeed("USDC / USD", usd("1"), owner);
  const wbtcFeed = await deployFeed("WBTC / USD", usd("60000"), owner);
  const market = (await ethers.deployContract("IsolatedLendingMarket", [owner.address])) as unknown as IsolatedLendingMarket;
  const lens = (await ethers.deployContract("IsolatedMarketLens")) as unknown as IsolatedMarketLens;
  const marketAddress = await market.getAddress();

  const a = {
    weth: await weth.getAddress(),
    usdc: await usdc.getAddress(),
    wbtc: await wbtc.getAddress(),
    wethFeed: await wethFeed.getAddress(),
    usdcFeed: await usdcFeed.getAddress(),
    wbtcFeed: await wbtcFeed.getAddress(),
  };
  const params = [
    isolatedParams({ loanToken: a.usdc, collateralToken: a.weth, loanFeed: a.usdcFeed, collateralFeed: a.wethFeed }, wad("0.86"), options.wethUsdc),
    isolatedParams({ loanToken: a.usdc, collateralToken: a.wbtc, loanFeed: a.usdcFeed, collateralFeed: a.wbtcFeed }, wad("0.77"), options.wbtcUsdc),
    isolatedParams({ loanToken: a.weth, collateralToken: a.usdc, loanFeed: a.wethFeed, collateralFeed: a.usdcFeed }, wad("0.86"), options.usdcWeth),
  ];
  for (const p of params) await market.createMarket(p);

  const tokenAt = (address: string): MockERC20 => {
    const token = [weth, usdc, wbtc][[a.weth, a.usdc, a.wbtc].indexOf(address)];
    if (!token) throw new Error(`unknown token ${address}`);
    return token;
  };
  const paramsOf = (id: bigint): MarketParams => {
    const p = params[Number(id)];
    if (!p) throw new Error(`no market ${id}`);
    return p;
  };
  const loanToken = (id: bigint): MockERC20 => tokenAt(paramsOf(id).loanToken);
  const collateralToken = (id: bigint): MockERC20 => tokenAt(paramsOf(id).collateralToken);
  const fund = async (token: MockERC20, who: HardhatEthersSigner, amount: bigint): Promise<void> => {
    await token.connect(owner).mint(who.address, amount);
    await token.connect(who).approve(marketAddress, MAX_UINT256);
  };
  const supply = async (id: bigint, who: HardhatEthersSigner, amount: bigint): Promise<void> => {
    await fund(loanToken(id), who, amount);
    await market.connect(who).supply(id, amount, who.address);
  };
  const supplyCollateral = async (id: bigint, who: HardhatEthersSigner, amount: bigint): Promise<void> => {
    await fund(collateralToken(id), who, amount);
    await market.connect(who).supplyCollateral(id, amount, who.address);
  };
  return {
    owner,
    alice,
    bob,
    carol,
    liquidator,
    others,
    weth,
    usdc,
    wbtc,
    wethFeed,
    usdcFeed,
    wbtcFeed,
    market,
    marketAddress,
    lens,
    params,
    loanToken,
    collateralToken,
    fund,
    supply,
    supplyCollateral,
  };
}

/** The contract's `MarketState` as a plain object (typechain types struct outputs as tuples). */
export function marketStateOf(s: MarketStateStructOutput): MarketState {
  return {
    totalSupplyAssets: s.totalSupplyAssets,
    totalSupplyShares: s.totalSupplyShares,
    totalBorrowAssets: s.totalBorrowAssets,
    totalBorrowShares: s.totalBorrowShares,
    lastUpdate: s.lastUpdate,
    badDebtAssets: s.badDebtAssets,
  };
}

/** The contract's `Position` as a plain object. */
export function positionOf(p: PositionStructOutput): Position {
  return { supplyShares: p.supplyShares, borrowShares: p.borrowShares, collateral: p.collateral };
}

/** The contract's `MarketParams` as a plain object. */
export function marketParamsOf(p: MarketParamsStructOutput): MarketParams {
  return {
    loanToken: p.loanToken,
    collateralToken: p.collateralToken,
    loanFeed: p.loanFeed,
    collateralFeed: p.collateralFeed,
    lltvWad: p.lltvWad,
    baseRateWad: p.baseRateWad,
    slope1Wad: p.slope1Wad,
    slope2Wad: p.slope2Wad,
    optimalUtilizationWad: p.optimalUtilizationWad,
    maxPriceAgeSeconds: p.maxPriceAgeSeconds,
    liquidationsAcceptStalePrice: p.liquidationsAcceptStalePrice,
  };
}

/** `MarketParams` as the positional tuple an event or `marketParams` returns it in. */
export function paramsTuple(p: MarketParams): unknown[] {
  return [
    p.loanToken,
    p.collateralToken,
    p.loanFeed,
    p.collateralFeed,
    p.lltvWad,
    p.baseRateWad,
    p.slope1Wad,
    p.slope2Wad,
    p.optimalUtilizationWad,
    p.maxPriceAgeSeconds,
    p.liquidationsAcceptStalePrice,
  ];
}

/**
 * Market 0 on `KINKED_CURVE`: Bob supplies 100,000 USDC, Alice posts 100 WETH and at `t0` borrows 80,000
 * USDC: 80% utilization, 4% a year. A year later (no other transaction) 3,200 USDC of interest has
 * accrued, all of it to Bob: supply 103,200 USDC on 1e17 shares, borrow 83,200 USDC on 8e16 shares.
 */
export async function borrowedAtKink(): Promise<IsolatedWorld & { t0: bigint }> {
  const w = await deployIsolatedWorld({ wethUsdc: KINKED_CURVE });
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supplyCollateral(WETH_USDC, w.alice, 100n * ONE_WETH);
  const t0 = (await latestTimestamp()) + 10n;
  await at(t0, () => w.market.connect(w.alice).borrow(WETH_USDC, 80_000n * ONE_USDC, w.alice.address));
  return { ...w, t0 };
}

/** Pushes every feed's current answer again in blocks at `timestamp`, so that prices are fresh then. */
export async function refreshFeeds(w: IsolatedWorld, timestamp: bigint): Promise<void> {
  for (const feed of [w.wethFeed, w.usdcFeed, w.wbtcFeed]) {
    const { answer } = await feed.latestRoundData();
    await at(timestamp, () => feed.updateAnswer(answer));
  }
}

/** `randomRateCurve`'s draws (base 0-5%, slope1 1-10%, slope2 20-300%, kink 45-92%) as a market's curve. */
export function randomMarketCurve(rng: Rng): Pick<MarketParams, "baseRateWad" | "slope1Wad" | "slope2Wad" | "optimalUtilizationWad"> {
  const c = randomRateCurve(rng);
  return {
    baseRateWad: c.baseRateWad ?? 0n,
    slope1Wad: c.slope1Wad ?? 0n,
    slope2Wad: c.slope2Wad ?? 0n,
    optimalUtilizationWad: c.optimalUtilizationWad ?? 0n,
  };
}

/** One market as the mirror needs it, read from the chain at the latest block. */
export interface MarketSnapshot {
  params: MarketParams;
  /** `marketState`: accrued to its own `lastUpdate`, not to `timestamp`. */
  stored: MarketState;
  /** `expectedMarketState`: accrued by the contract to `timestamp`. */
  expected: MarketState;
  liquidationIncentiveFactorWad: bigint;
  oracle: MarketOracle;
  /** The positions of the users asked for, in order. */
  positions: Position[];
  /** Their health factors as the lens reports them (0 for a debtor when the market cannot price). */
  healthFactorsWad: bigint[];
  /** The latest block's timestamp, which views (and `expected`) accrue to. */
  timestamp: bigint;
}

const DECIMALS: Record<string, bigint> = {};

/** Reads market `id` and `users`' positions in it in one block (one eth_call). */
export async function readMarket(w: IsolatedWorld, id: bigint, users: readonly string[]): Promise<MarketSnapshot> {
  const params = w.params[Number(id)];
  if (!params) throw new Error(`no market ${id}`);
  for (const token of [params.loanToken, params.collateralToken]) {
    DECIMALS[token] ??= await (await ethers.getContractAt("MockERC20", token)).decimals();
  }
  // The three views in one eth_call (Multicall), beside the block they are read at.
  const [[stored, snapshot, positions], block] = await Promise.all([
    multicall([
      await viewCall(w.market, w.market.marketState, id),
      await viewCall(w.lens, w.lens.getMarketSnapshot, w.marketAddress, id),
      await viewCall(w.lens, w.lens.getPositions, w.marketAddress, id, [...users]),
    ] as const),
    ethers.provider.getBlock("latest"),
  ]);
  if (!block) throw new Error("no latest block");
  return {
    params,
    stored: marketStateOf(stored),
    expected: marketStateOf(snapshot.state),
    liquidationIncentiveFactorWad: snapshot.liquidationIncentiveFactorWad,
    oracle: {
      collateralFeed: { answer: snapshot.collateralFeed.answer, updatedAt: snapshot.collateralFeed.updatedAt },
      loanFeed: { answer: snapshot.loanFeed.answer, updatedAt: snapshot.loanFeed.updatedAt },
      collateralDecimals: DECIMALS[params.collateralToken] ?? 0n,
      loanDecimals: DECIMALS[params.loanToken] ?? 0n,
    },
    positions: positions.map((p) => ({ supplyShares: p.supplyShares, borrowShares: p.borrowShares, collateral: p.collateral })),
    healthFactorsWad: positions.map((p) => p.healthFactorWad),
    timestamp: BigInt(block.timestamp),
  };
}

/** Runs `call`; returns its value, or the name of the market's custom error it reverted with. */
export async function marketResultOrError<T>(market: IsolatedLendingMarket, call: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await call();
  } catch (e) {
    const data = (e as { data?: string }).data;
    const parsed = typeof data === "string" && data !== "0x" ? market.interface.parseError(data) : null;
    if (!parsed) throw e;
    return { error: parsed.name };
  }
}

/** Runs a mirror function; returns its value, or the name of the error the contract would revert with. */
export function mirrorResultOrError<T>(call: () => T): T | { error: string } {
  try {
    return call();
  } catch (e) {
    if (e instanceof M.IsolatedMarketMathError) return { error: e.errorName };
    throw e;
  }
}
