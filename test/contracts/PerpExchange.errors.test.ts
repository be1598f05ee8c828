/**
 * Every custom error of PerpErrorsLib, each from the smallest input that triggers it, with the
 * boundary that passes where there is one (the list-verification errors are in the waterfall tests,
 * InsufficientMargin's boundary and HealthyAccount in the trading tests). The last test holds this
 * file to the library: an error added there without a case here fails it.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, deployToken, usd, wad } from "../helpers/pool";
import { ETH_USD, LastResort, ONE, SINGLE_TIER, USDC, deployPerpWorld, marketParams } from "../helpers/perp";
import { PerpMath } from "../../simulator/math";

const world = () => deployPerpWorld();
const tinyVault = () => deployPerpWorld({ vaultAssets: USDC });

const COVERED = new Set<string>();
function covers(...names: string[]): void {
  for (const n of names) COVERED.add(n);
}

describe("PerpExchange errors", () => {
  it("constructor: ZeroAddress, UnsupportedDecimals(37), InvalidKeeperShare(1e18 + 1); 36 decimals and a 100% share pass", async () => {
    const w = await loadFixture(world);
    const factory = await ethers.getContractFactory("PerpExchange");
    const owner = w.owner.address;
    const usdc = await w.collateral.getAddress();
    await expect(factory.deploy(owner, ethers.ZeroAddress, LastResort.None, true, 0n)).to.be.revertedWithCustomError(w.exchange, "ZeroAddress");
    const token37 = await deployToken("T", "T", 37, w.owner);
    await expect(factory.deploy(owner, await token37.getAddress(), LastResort.None, true, 0n))
      .to.be.revertedWithCustomError(w.exchange, "UnsupportedDecimals")
      .withArgs(37);
    await factory.deploy(owner, await (await deployToken("T", "T", 36, w.owner)).getAddress(), LastResort.None, true, wad("1"));
    await expect(factory.deploy(owner, usdc, LastResort.None, true, wad("1") + 1n))
      .to.be.revertedWithCustomError(w.exchange, "InvalidKeeperShare")
      .withArgs(wad("1") + 1n);
    covers("ZeroAddress", "UnsupportedDecimals", "InvalidKeeperShare");
  });

  it("createMarket: InvalidPriceFeed, InvalidMaxPriceAge, InvalidRate(1e18), InvalidTier, TooManyMarkets, owner only", async () => {
    const w = await loadFixture(world);
    const feed = await w.ethFeed.getAddress();
    const p = (o: Parameters<typeof marketParams>[2]) => marketParams(feed, PerpMath.MarketKind.Linear, o);
    const create = (params = p({}), tiers = SINGLE_TIER) => w.exchange.createMarket(params, tiers);
    await expect(create(p({ feed: ethers.ZeroAddress }))).to.be.revertedWithCustomError(w.exchange, "InvalidPriceFeed").withArgs(ethers.ZeroAddress);
    // A 6-decimal "feed" (the USDC token answers decimals()).
    const usdc = await w.collateral.getAddress();
    await expect(create(p({ feed: usdc }))).to.be.revertedWithCustomError(w.exchange, "InvalidPriceFeed").withArgs(usdc);
    await expect(create(p({ maxPriceAgeSeconds: 0n }))).to.be.revertedWithCustomError(w.exchange, "InvalidMaxPriceAge");
    await expect(create(p({ liquidationFeeWad: wad("1") }))).to.be.revertedWithCustomError(w.exchange, "InvalidRate").withArgs(wad("1"));
    await expect(create(p({ spreadWad: wad("1") }))).to.be.revertedWithCustomError(w.exchange, "InvalidRate").withArgs(wad("1"));

    const tier = (maxNotional: bigint, maxLeverageWad: bigint, mmrWad: bigint) => ({ maxNotional, maxLeverageWad, mmrWad });
    await expect(create(p({}), [])).to.be.revertedWithCustomError(w.exchange, "InvalidTier").withArgs(0n);
    await expect(create(p({}), [tier(1_000n, wad("10"), wad("0.05"))])).to.be.revertedWithCustomError(w.exchange, "InvalidTier").withArgs(1n);
    await expect(create(p({}), [tier(1_000n, wad("10"), wad("0.05")), tier(1_000n, wad("5"), wad("0.1"))]))
      .to.be.revertedWithCustomError(w.exchange, "InvalidTier")
      .withArgs(1n);
    await expect(create(p({}), [tier(MAX_UINT256, wad("1") - 1n, wad("0.05"))])).to.be.revertedWithCustomError(w.exchange, "InvalidTier").withArgs(0n);
    await expect(create(p({}), [tier(MAX_UINT256, wad("10"), 0n)])).to.be.revertedWithCustomError(w.exchange, "InvalidTier").withArgs(0n);
    // Maintenance must stay below the initial rate: 1% at 100x is equal and reverts, one wei less passes.
    await expect(create(p({}), [tier(MAX_UINT256, wad("100"), wad("0.01"))])).to.be.revertedWithCustomError(w.exchange, "InvalidTier").withArgs(0n);
    await create(p({}), [tier(MAX_UINT256, wad("100"), wad("0.01") - 1n)]);

    await expect(w.exchange.connect(w.traders[0]!).createMarket(p({}), SINGLE_TIER)).to.be.revertedWithCustomError(w.exchange, "OwnableUnauthorizedAccount");
    while ((await w.exchange.marketCount()) < (await w.exchange.MAX_MARKETS())) await create();
    await expect(create()).to.be.revertedWithCustomError(w.exchange, "TooManyMarkets");
    covers("InvalidPriceFeed", "InvalidMaxPriceAge", "InvalidRate", "InvalidTier", "TooManyMarkets");
  });

  it("traders: ZeroAmount, ZeroAddress, MarketNotCreated, InsufficientBalance, PositionFlip, MarginModeLocked, NotIsolated", async () => {
    const w = await loadFixture(world);
    const alice = w.traders[0]!;
    const ex = w.exchange.connect(alice);
    await expect(ex.deposit(0n)).to.be.revertedWithCustomError(ex, "ZeroAmount");
    await expect(ex.trade(ETH_USD, 0n)).to.be.revertedWithCustomError(ex, "ZeroAmount");
    await expect(ex.trade(2n, ONE)).to.be.revertedWithCustomError(ex, "MarketNotCreated").withArgs(2n);
    await w.deposit(alice, 100n * USDC);
    await expect(ex.withdraw(1n, ethers.ZeroAddress)).to.be.revertedWithCustomError(ex, "ZeroAddress");
    await expect(ex.withdraw(100n * USDC + 1n, alice.address))
      .to.be.revertedWithCustomError(ex, "InsufficientBalance")
      .withArgs(100n * USDC + 1n, 100n * USDC);
    await expect(ex.transferMargin(ETH_USD, 1n)).to.be.revertedWithCustomError(ex, "NotIsolated").withArgs(ETH_USD);
    await ex.trade(ETH_USD, ONE);
    await expect(ex.trade(ETH_USD, -2n * ONE)).to.be.revertedWithCustomError(ex, "PositionFlip").withArgs(ONE, 2n * ONE);
    await expect(ex.setMarginMode(ETH_USD, true)).to.be.revertedWithCustomError(ex, "MarginModeLocked").withArgs(ETH_USD);
    // Cross: withdrawing down to below the initial margin reverts. Equity 98.9995 - 1 = 97.9995, IM 20.
    await expect(ex.withdraw(78_000_000n, alice.address))
      .to.be.revertedWithCustomError(ex, "InsufficientMargin")
      .withArgs(19_999_500n, 20n * USDC);
    await ex.withdraw(77_999_500n, alice.address);
    covers("ZeroAmount", "MarketNotCreated", "InsufficientBalance", "NotIsolated", "PositionFlip", "MarginModeLocked", "InsufficientMargin");
  });

  it("prices: InvalidPrice(feed, 0) and StalePrice one second past the maximum age (exactly the age passes)", async () => {
    const w = await loadFixture(world);
    const alice = w.traders[0]!;
    const feed = await w.ethFeed.getAddress();
    await w.deposit(alice, 100n * USDC);
    const updatedAt = BigInt(await time.latest());
    await w.ethFeed.setLatestUpdatedAt(updatedAt);
    await time.setNextBlockTimestamp(updatedAt + 3600n);
    await w.exchange.connect(alice).trade(ETH_USD, ONE);
    await time.setNextBlockTimestamp(updatedAt + 3601n);
    await expect(w.exchange.connect(alice).trade(ETH_USD, ONE))
      .to.be.revertedWithCustomError(w.exchange, "StalePrice")
      .withArgs(feed, updatedAt, 3600n);
    await w.ethFeed.updateAnswer(0n);
    await expect(w.exchange.markPriceE8(ETH_USD)).to.be.revertedWithCustomError(w.exchange, "InvalidPrice").withArgs(feed, 0n);
    covers("InvalidPrice", "StalePrice");
  });

  it("keepers: NoPosition; the list errors and HealthyAccount are asserted in the waterfall and trading tests", async () => {
    const w = await loadFixture(world);
    const bob = w.traders[1]!.address;
    await expect(w.exchange.liquidate(bob, ETH_USD, [])).to.be.revertedWithCustomError(w.exchange, "NoPosition").withArgs(bob, ETH_USD);
    covers("NoPosition", "HealthyAccount", "CandidateListIncomplete", "NotOppositeSide", "CandidatesNotSorted");
  });

  it("vault: InvalidShares(0 or more than held), VaultInsolvent once a trader's profit exceeds the vault", async () => {
    const w = await loadFixture(tinyVault);
    const alice = w.traders[0]!;
    const held = await w.exchange.vaultShares(w.lp.address);
    await expect(w.exchange.connect(w.lp).withdrawVault(0n, w.lp.address)).to.be.revertedWithCustomError(w.exchange, "InvalidShares").withArgs(0n);
    await expect(w.exchange.connect(w.lp).withdrawVault(held + 1n, w.lp.address))
      .to.be.revertedWithCustomError(w.exchange, "InvalidShares")
      .withArgs(held + 1n);
    await w.deposit(alice, 100n * USDC);
    await w.exchange.connect(alice).trade(ETH_USD, ONE);
    await w.ethFeed.updateAnswer(usd("2100"));
    await w.exchange.connect(alice).trade(ETH_USD, -ONE);
    // The vault had 1 USDC and paid 97.95.
    expect(await w.exchange.vaultBalance()).to.equal(USDC - 97_950_000n);
    await w.fund(w.lp, USDC);
    await expect(w.exchange.connect(w.lp).depositVault(USDC)).to.be.revertedWithCustomError(w.exchange, "VaultInsolvent").withArgs(USDC - 97_950_000n);
    await expect(w.exchange.connect(w.lp).withdrawVault(held, w.lp.address))
      .to.be.revertedWithCustomError(w.exchange, "VaultInsolvent")
      .withArgs(USDC - 97_950_000n);
    covers("InvalidShares", "VaultInsolvent");
  });

  it("covers every error PerpErrorsLib declares", async () => {
    const lib = await ethers.getContractFactory("PerpExchange");
    const ours = lib.interface.fragments
      .filter((f) => f.type === "error")
      .map((f) => (f as unknown as { name: string }).name)
      .filter((n) => !n.startsWith("Ownable") && !n.startsWith("ReentrancyGuard") && !n.startsWith("SafeERC20"));
    expect([...COVERED].sort()).to.deep.equal(ours.sort());
  });
});
