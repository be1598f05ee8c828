/**
 * Worlds for PerpExchange tests. Tokens: USDC (6 decimals), WETH (18); feeds ETH $2,000 and BTC
 * $50,000. A USDC exchange (linear markets) or a WETH exchange (an inverse ETH market), owned by
 * `owner`, its vault funded by `lp`, its insurance fund by `owner`.
 *
 * USDC exchange markets (unless overridden):
 *   0  ETH-USD linear, one tier: 100x, maintenance 0.5%; spread 0.05%, liquidation spread 1%,
 *      trading fee 0.05%, liquidation fee 0.5%
 *   1  BTC-USD linear, tiers: notional <= 50,000 USDC 20x / 2%, above 10x / 4%; spread 0.05%,
 *      liquidation spread 0.5%, trading fee 0.05%, liquidation fee 0.5%
 * Keeper share of the liquidation fee: 20%.
 */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockERC20, MockPriceFeed, PerpExchange, PerpLens } from "../../typechain-types";
import type { PerpMarketParamsStruct, TierStruct } from "../../typechain-types/contracts/perps/PerpExchange";
import { PerpMath } from "../../simulator/math";
import { MAX_UINT256, deployFeed, deployToken, usd, wad } from "./pool";

export const ONE = 10n ** 18n;
export const USDC = 10n ** 6n;
export const ETH_USD = 0n;
export const BTC_USD = 1n;

/** The contract's `LastResort`. */
export enum LastResort {
  None = 0,
  Adl = 1,
  Socialize = 2,
}

export interface PerpWorldOptions {
  /** Collateral: USDC with linear markets (default) or WETH with one inverse ETH market. */
  collateral?: "usdc" | "weth";
  lastResort?: LastResort;
  protection?: boolean;
  keeperShareWad?: bigint;
  /** Overrides of every market's params. */
  params?: Partial<PerpMarketParamsStruct>;
  /** Vault deposit by `lp`, collateral units (default 1,000,000 USDC or 500 WETH). */
  vaultAssets?: bigint;
  /** Insurance fund deposit by `owner`, collateral units (default 0). */
  insurance?: bigint;
}

export interface PerpWorld {
  owner: HardhatEthersSigner;
  lp: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  traders: HardhatEthersSigner[];
  collateral: MockERC20;
  ethFeed: MockPriceFeed;
  btcFeed: MockPriceFeed;
  exchange: PerpExchange;
  lens: PerpLens;
  /** Mints `amount` of collateral to `who` and approves the exchange for all of it. */
  fund(who: HardhatEthersSigner, amount: bigint): Promise<void>;
  /** Funds `who` and deposits `amount` to its balance. */
  deposit(who: HardhatEthersSigner, amount: bigint): Promise<void>;
}

export const SINGLE_TIER: TierStruct[] = [{ maxNotional: MAX_UINT256, maxLeverageWad: wad("100"), mmrWad: wad("0.005") }];
export const BTC_TIERS: TierStruct[] = [
  { maxNotional: 50_000n * USDC, maxLeverageWad: wad("20"), mmrWad: wad("0.02") },
  { maxNotional: MAX_UINT256, maxLeverageWad: wad("10"), mmrWad: wad("0.04") },
];

export function marketParams(feed: string, kind: PerpMath.MarketKind, overrides: Partial<PerpMarketParamsStruct> = {}): PerpMarketParamsStruct {
  return {
    kind,
    feed,
    maxPriceAgeSeconds: 3600n,
    spreadWad: wad("0.0005"),
    liquidationSpreadWad: wad("0.01"),
    tradingFeeWad: wad("0.0005"),
    liquidationFeeWad: wad("0.005"),
    ...overrides,
  };
}

export async function deployPerpWorld(options: PerpWorldOptions = {}): Promise<PerpWorld> {
  const [owner, lp, keeper, ...traders] = await ethers.getSigners();
  if (!owner || !lp || !keeper || traders.length < 6) throw new Error("hardhat network needs at least 9 accounts");
  const inverse = options.collateral === "weth";
  const collateral = inverse ? await deployToken("Wrapped Ether", "WETH", 18, owner) : await deployToken("USD Coin", "USDC", 6, owner);
  const ethFeed = await deployFeed("ETH / USD", usd("2000"), owner);
  const btcFeed = await deployFeed("BTC / USD", usd("50000"), owner);
  const exchange = (await ethers.deployContract("PerpExchange", [
    owner.address,
    await collateral.getAddress(),
    options.lastResort ?? LastResort.None,
    options.protection ?? true,
    options.keeperShareWad ?? wad("0.2"),
  ])) as unknown as PerpExchange;
  const lens = (await ethers.deployContract("PerpLens")) as unknown as PerpLens;
  const ethAddress = await ethFeed.getAddress();
  if (inverse) {
    await exchange.createMarket(marketParams(ethAddress, PerpMath.MarketKind.Inverse, options.params), SINGLE_TIER);
  } else {
    await exchange.createMarket(marketParams(ethAddress, PerpMath.MarketKind.Linear, options.params), SINGLE_TIER);
    const btcParams = marketParams(await btcFeed.getAddress(), PerpMath.MarketKind.Linear, {
      liquidationSpreadWad: wad("0.005"),
      ...options.params,
    });
    await exchange.createMarket(btcParams, BTC_TIERS);
  }
  const exchangeAddress = await exchange.getAddress();
  const fund = async (who: HardhatEthersSigner, amount: bigint): Promise<void> => {
    await collateral.connect(owner).mint(who.address, amount);
    await collateral.connect(who).approve(exchangeAddress, MAX_UINT256);
  };
  const deposit = async (who: HardhatEthersSigner, amount: bigint): Promise<void> => {
    await fund(who, amount);
    await exchange.connect(who).deposit(amount);
  };
  const vaultAssets = options.vaultAssets ?? (inverse ? 500n * ONE : 1_000_000n * USDC);
  await fund(lp, vaultAssets);
  await exchange.connect(lp).depositVault(vaultAssets);
  if (options.insurance) {
    await fund(owner, options.insurance);
    await exchange.connect(owner).depositInsurance(options.insurance);
  }
  return { owner, lp, keeper, traders, collateral, ethFeed, btcFeed, exchange, lens, fund, deposit };
}

