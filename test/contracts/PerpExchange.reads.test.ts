/**
 * PerpExchange's reads: a market on an AMM-read feed (a real Uniswap V2 pair through
 * UniswapV2SpotFeed) marks at the pair's price, swap by swap; PerpLens batches accounts and markets
 * and flags a position whose feed cannot be read.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { UniswapV2SpotFeed__factory } from "../../typechain-types";
import type { PerpExchange } from "../../typechain-types";
import { PerpMath } from "../../simulator/math";
import { MAX_UINT256, usd } from "../helpers/pool";
import { deployFeedPairWorld, swapExactIn } from "../helpers/ammFeeds";
import { ETH_USD, ONE, SINGLE_TIER, USDC, deployPerpWorld, marketParams } from "../helpers/perp";

/** 100 WETH / 200,000 USDC ($2,000), a spot feed on it, and a USDC exchange with one market reading it. */
async function ammWorld() {
  const w = await deployFeedPairWorld({
    base: { symbol: "WETH", decimals: 18 },
    quote: { symbol: "USDC", decimals: 6 },
    baseIsToken0: true,
    reserveBase: 100n * ONE,
    reserveQuote: 200_000n * USDC,
    quoteUsdE8: usd("1"),
    traderBase: 100n * ONE,
    traderQuote: 200_000n * USDC,
  });
  const feed = await new UniswapV2SpotFeed__factory(w.owner).deploy(w.pool.address, w.baseAddress, ethers.ZeroAddress, "WETH / USD (spot)");
  const [owner, , , alice] = await ethers.getSigners();
  const exchange = (await ethers.deployContract("PerpExchange", [owner!.address, w.quoteAddress, 0, true, 0n])) as unknown as PerpExchange;
  await exchange.createMarket(marketParams(await feed.getAddress(), PerpMath.MarketKind.Linear), SINGLE_TIER);
  await w.quote.mint(alice!.address, 1_000n * USDC);
  await w.quote.connect(alice!).approve(await exchange.getAddress(), MAX_UINT256);
  await exchange.connect(alice!).deposit(1_000n * USDC);
  return { ...w, feed, exchange, alice: alice! };
}

describe("PerpExchange reads", () => {
  it("marks an AMM-read market at the pair's spot price, and a swap moves the long's PnL with it", async () => {
    const w = await loadFixture(ammWorld);
    expect(await w.exchange.markPriceE8(ETH_USD)).to.equal(usd("2000"));
    await w.exchange.connect(w.alice).trade(ETH_USD, ONE);
    // Selling 10 WETH into the pair lowers the spot price; the mark is the feed's new answer.
    await swapExactIn(w, "base", 10n * ONE);
    const [, answer] = await w.feed.latestRoundData();
    expect(answer).to.be.lessThan(usd("1700"));
    expect(await w.exchange.markPriceE8(ETH_USD)).to.equal(answer);
    // Basis 2,001 USDC (bought at 2,000 x 1.0005); PnL = notionalDown(1 ETH, answer) - 2,001.
    const expected = PerpMath.pnl(PerpMath.MarketKind.Linear, true, ONE, 2_001n * USDC, answer, USDC);
    expect(await w.exchange.unrealizedPnl(w.alice.address, ETH_USD)).to.equal(expected);
  });

  it("PerpLens: balances, positions with their group's health, markets with the vault's PnL; a stale feed gives priced = false", async () => {
    const w = await loadFixture(deployPerpWorld);
    const [alice, bob] = w.traders;
    await w.deposit(alice!, 100n * USDC);
    await w.exchange.connect(alice!).trade(ETH_USD, ONE);
    await w.ethFeed.updateAnswer(usd("2100"));
    const address = await w.exchange.getAddress();
    const [balances, rows] = await w.lens.getAccounts(address, [alice!.address, bob!.address], [ETH_USD]);
    expect(balances).to.deep.equal([100n * USDC - 1_000_500n, 0n]);
    const [aliceRow, bobRow] = rows;
    // PnL 2,100 - 2,001 = 99; equity 98.9995 + 99; maintenance ceil(2,100 x 0.5%) = 10.5; IM 21.
    expect([aliceRow!.priced, aliceRow!.unrealizedPnl, aliceRow!.health.equity, aliceRow!.health.initialMargin, aliceRow!.health.maintenanceMargin]).to.deep.equal([
      true,
      99n * USDC,
      197_999_500n,
      21n * USDC,
      10_500_000n,
    ]);
    expect([bobRow!.priced, bobRow!.position.size]).to.deep.equal([false, 0n]);
    const [market] = await w.lens.getMarkets(address, [ETH_USD]);
    expect([market!.state.longSize, market!.state.vaultNetSize, market!.markPriceE8, market!.vaultUnrealizedPnl]).to.deep.equal([ONE, -ONE, usd("2100"), -99n * USDC]);

    await w.ethFeed.setLatestUpdatedAt(1n);
    const [, [staleRow]] = await w.lens.getAccounts(address, [alice!.address], [ETH_USD]);
    expect([staleRow!.priced, staleRow!.position.size, staleRow!.health.equity]).to.deep.equal([false, ONE, 0n]);
    const [staleMarket] = await w.lens.getMarkets(address, [ETH_USD]);
    expect(staleMarket!.markPriceE8).to.equal(0n);
  });
});
