/**
 * liqsim's contracts that let the real protocols read liqsim's feeds and curve: `AaveLatestAnswerFeed`,
 * `MorphoUsdFeedsOracle` and `MorphoKinkedRateIrm`, against the mocks' own numbers.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { kinkedRate, utilization } from "../../../simulator/math";
import { deployFeed, deployToken, usd, wad } from "../../helpers/pool";
import { KINKED_CURVE, WETH_USDC, deployIsolatedWorld } from "../../helpers/isolated";

const SECONDS_PER_YEAR = 31_536_000n;
const market = (totalSupplyAssets: bigint, totalBorrowAssets: bigint) => ({
  totalSupplyAssets,
  totalSupplyShares: 0n,
  totalBorrowAssets,
  totalBorrowShares: 0n,
  lastUpdate: 0n,
  fee: 0n,
});
const NO_PARAMS = { loanToken: ethers.ZeroAddress, collateralToken: ethers.ZeroAddress, oracle: ethers.ZeroAddress, irm: ethers.ZeroAddress, lltv: 0n };

describe("real-protocol adapters", () => {
  it("AaveLatestAnswerFeed passes the feed's latest answer and decimals through, whatever the answer", async () => {
    const [owner] = await ethers.getSigners();
    if (!owner) throw new Error("no signer");
    const feed = await deployFeed("WETH / USD", usd("2000"), owner);
    const adapter = await ethers.deployContract("AaveLatestAnswerFeed", [await feed.getAddress()]);
    expect(await adapter.latestAnswer()).to.equal(usd("2000"));
    expect(await adapter.decimals()).to.equal(8n);
    await feed.updateAnswer(-1n);
    expect(await adapter.latestAnswer()).to.equal(-1n);
    await expect(ethers.deployContract("AaveLatestAnswerFeed", [owner.address])).to.be.revertedWithCustomError(adapter, "InvalidFeed").withArgs(owner.address);
  });

  it("MorphoUsdFeedsOracle gives IsolatedLendingMarket's price to the wei ($2,000 -> 2e27; WETH $1,234.56789012 over USDC $0.99999999, rounded down) and refuses a price <= 0", async () => {
    const w = await deployIsolatedWorld();
    const oracle = await ethers.deployContract("MorphoUsdFeedsOracle", [await w.wethFeed.getAddress(), await w.usdcFeed.getAddress(), await w.weth.getAddress(), await w.usdc.getAddress()]);
    expect(await oracle.price()).to.equal(2n * 10n ** 27n);
    expect(await oracle.price()).to.equal(await w.market.price(WETH_USDC));
    await w.wethFeed.updateAnswer(123_456_789_012n);
    await w.usdcFeed.updateAnswer(99_999_999n);
    // floor(123,456,789,012 x 1e24 / 99,999,999): a ratio that does not divide, rounded down on both
    expect(await oracle.price()).to.equal((123_456_789_012n * 10n ** 24n) / 99_999_999n);
    expect(await oracle.price()).to.equal(await w.market.price(WETH_USDC));
    await w.usdcFeed.updateAnswer(0n);
    await expect(oracle.price()).to.be.revertedWithCustomError(oracle, "InvalidPrice").withArgs(await w.usdcFeed.getAddress(), 0n);
  });

  it("MorphoUsdFeedsOracle refuses a feed without code", async () => {
    const [owner] = await ethers.getSigners();
    if (!owner) throw new Error("no signer");
    const token = await deployToken("USD Coin", "USDC", 6, owner);
    const factory = await ethers.getContractFactory("MorphoUsdFeedsOracle");
    await expect(factory.deploy(owner.address, owner.address, await token.getAddress(), await token.getAddress())).to.be.revertedWithCustomError(factory, "InvalidFeed").withArgs(owner.address);
  });

  it("MorphoKinkedRateIrm is RateLib's kinked curve per second: 2%, 4% and 79% a year at 40%, 80% and 100% utilization", async () => {
    const irm = await ethers.deployContract("MorphoKinkedRateIrm", [KINKED_CURVE.baseRateWad, KINKED_CURVE.slope1Wad, KINKED_CURVE.slope2Wad, KINKED_CURVE.optimalUtilizationWad]);
    for (const [borrowed, annualWad] of [[40n, wad("0.02")], [80n, wad("0.04")], [100n, wad("0.79")], [0n, 0n]] as const) {
      const expected = kinkedRate(utilization(borrowed, 100n), KINKED_CURVE);
      expect(expected).to.equal(annualWad);
      expect(await irm.borrowRateView(NO_PARAMS, market(100n, borrowed))).to.equal(annualWad / SECONDS_PER_YEAR);
    }
    // An empty market (no supply) has utilization 0: the base rate.
    expect(await irm.borrowRateView(NO_PARAMS, market(0n, 0n))).to.equal(0n);
    for (const kink of [0n, wad("1")]) {
      await expect(ethers.deployContract("MorphoKinkedRateIrm", [0n, 0n, 0n, kink])).to.be.revertedWithCustomError(irm, "InvalidOptimalUtilization").withArgs(kink);
    }
  });
});
