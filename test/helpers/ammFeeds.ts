import { ethers } from "hardhat";
import type { Signer } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { MockERC20__factory, MockPriceFeed__factory, SwapHelper__factory } from "../../typechain-types";
import type { IUniswapV2Factory, MockERC20, MockPriceFeed, SwapHelper } from "../../typechain-types";
import { createPairWithLiquidity, deployUniswapV2Factory } from "./uniswap";
import type { UniswapV2PairHandle } from "./uniswap";

/** A token to deploy: symbol and decimals. */
export interface TokenSpec {
  symbol: string;
  decimals: number;
}

/**
 * Deploys `base` and then `quote` tokens (MockERC20 owned by `owner`) so that the base token is the pair's
 * token0 (`baseIsToken0`) or token1. Pair order follows the addresses, which follow the deployer's nonce, so
 * this deploys further pairs of tokens until they land in the wanted order; on a given chain state the
 * result is always the same. (Redeploying the quote token alone would not do: a base address near either
 * end of the range leaves almost no room on one side.)
 */
export async function deployTokensInOrder(
  owner: Signer,
  base: TokenSpec,
  quote: TokenSpec,
  baseIsToken0: boolean
): Promise<{ base: MockERC20; quote: MockERC20 }> {
  const ownerAddress = await owner.getAddress();
  const deploy = (spec: TokenSpec): Promise<MockERC20> =>
    new MockERC20__factory(owner).deploy(spec.symbol, spec.symbol, spec.decimals, ownerAddress);
  // Two fresh addresses are in either order with probability 1/2: 32 misses in a row do not happen.
  for (let attempt = 0; attempt < 32; attempt++) {
    const baseToken = await deploy(base);
    const quoteToken = await deploy(quote);
    if (BigInt(await baseToken.getAddress()) < BigInt(await quoteToken.getAddress()) === baseIsToken0)
      return { base: baseToken, quote: quoteToken };
  }
  throw new Error(`no ${quote.symbol} address on the wanted side of ${base.symbol} in 32 deployments`);
}

/** A Uniswap V2 pair of a base and a quote token with liquidity, and what the feed tests do with it. */
export interface FeedPairWorld {
  owner: Signer;
  /** Holds both tokens and has approved `swapHelper`. */
  trader: Signer;
  base: MockERC20;
  quote: MockERC20;
  baseAddress: string;
  quoteAddress: string;
  factory: IUniswapV2Factory;
  pool: UniswapV2PairHandle;
  swapHelper: SwapHelper;
  baseIsToken0: boolean;
  /** A USD feed (8 decimals) of the quote token, answering `quoteUsdE8` (deployed even if a test ignores it). */
  quoteUsdFeed: MockPriceFeed;
}

export interface FeedPairWorldParameters {
  base: TokenSpec;
  quote: TokenSpec;
  baseIsToken0: boolean;
  reserveBase: bigint;
  reserveQuote: bigint;
  /** Initial answer of `quoteUsdFeed`. */
  quoteUsdE8: bigint;
  /** How much of each token the trader gets. */
  traderBase: bigint;
  traderQuote: bigint;
}

/** Deploys the tokens in the wanted order, the Uniswap V2 factory and pair with liquidity, a SwapHelper and a quote feed. */
export async function deployFeedPairWorld(p: FeedPairWorldParameters): Promise<FeedPairWorld> {
  const [owner, trader] = await ethers.getSigners();
  if (owner === undefined || trader === undefined) throw new Error("need 2 signers");
  const { base, quote } = await deployTokensInOrder(owner, p.base, p.quote, p.baseIsToken0);
  const [baseAddress, quoteAddress] = await Promise.all([base.getAddress(), quote.getAddress()]);
  await base.mint(owner.address, p.reserveBase);
  await quote.mint(owner.address, p.reserveQuote);
  const factory = await deployUniswapV2Factory(owner);
  const pool = await createPairWithLiquidity(factory, base, quote, p.reserveBase, p.reserveQuote, owner);
  const swapHelper = await new SwapHelper__factory(owner).deploy();
  await base.mint(trader.address, p.traderBase);
  await quote.mint(trader.address, p.traderQuote);
  const helperAddress = await swapHelper.getAddress();
  await base.connect(trader).approve(helperAddress, ethers.MaxUint256);
  await quote.connect(trader).approve(helperAddress, ethers.MaxUint256);
  const quoteUsdFeed = await new MockPriceFeed__factory(owner).deploy(
    8,
    `${p.quote.symbol} / USD`,
    p.quoteUsdE8,
    owner.address
  );
  return {
    owner,
    trader,
    base,
    quote,
    baseAddress,
    quoteAddress,
    factory,
    pool,
    swapHelper,
    baseIsToken0: pool.token0 === baseAddress,
    quoteUsdFeed,
  };
}

/** The pair's reserves in (base, quote) order. */
export async function baseQuoteReserves(w: FeedPairWorld): Promise<[bigint, bigint]> {
  const [reserve0, reserve1] = await w.pool.pair.getReserves();
  return w.baseIsToken0 ? [reserve0, reserve1] : [reserve1, reserve0];
}

/** The timestamp of the pair's last reserve update (its first mint, right after `deployFeedPairWorld`). */
export async function pairTimestampLast(w: FeedPairWorld): Promise<bigint> {
  const [, , blockTimestampLast] = await w.pool.pair.getReserves();
  return blockTimestampLast;
}

/** The trader swaps exactly `amountIn` of the base or quote token through the pair, in a block at `timestamp` if given. */
export async function swapExactIn(
  w: FeedPairWorld,
  tokenIn: "base" | "quote",
  amountIn: bigint,
  timestamp?: bigint
): Promise<void> {
  if (timestamp !== undefined) await time.setNextBlockTimestamp(timestamp);
  const tokenAddress = tokenIn === "base" ? w.baseAddress : w.quoteAddress;
  const traderAddress = await w.trader.getAddress();
  await (
    await w.swapHelper.connect(w.trader).swapExactIn(w.pool.address, tokenAddress, amountIn, 0n, traderAddress)
  ).wait();
}
