/**
 * The deployment helpers through the engine's `Chain` (automine off, one block per transaction at the
 * timestamps given), as the world will call them: Morpho Blue deployed, a market created and read back.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { getAddress, type Address } from "viem";
import { Chain } from "../../../simulator/chain";
import { deployMorphoBlue } from "../../../simulator/venues/morpho-blue/deploy";
import { chainTransactor, readView } from "../../../simulator/venues/realTransactor";
import { deployFeed, deployToken, usd, wad } from "../../helpers/pool";
import { ZERO_RATES } from "../../helpers/isolated";

describe("chainTransactor", () => {
  let snapshot: string;
  beforeEach(async () => {
    snapshot = (await network.provider.send("evm_snapshot")) as string;
  });
  afterEach(async () => {
    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("evm_setAutomine", [true]);
  });

  it("deploys Morpho Blue and creates a market, one mined block per transaction at the given timestamps", async () => {
    const [owner] = await ethers.getSigners();
    if (!owner) throw new Error("no signer");
    const weth = await deployToken("Wrapped Ether", "WETH", 18, owner);
    const usdc = await deployToken("USD Coin", "USDC", 6, owner);
    const wethFeed = await deployFeed("WETH / USD", usd("2000"), owner);
    const usdcFeed = await deployFeed("USDC / USD", usd("1"), owner);
    const chain = await Chain.connect();
    await chain.setAutomine(false);
    const deployer = getAddress("0x00000000000000000000000000000000000d3910");
    await chain.fundAccount(deployer, 10n ** 20n);
    const start = (await chain.latestBlock()).timestamp;
    let mined = 0n;
    const blue = await deployMorphoBlue(chainTransactor(chain, deployer, () => start + ++mined), [
      { loanToken: (await usdc.getAddress()) as Address, collateralToken: (await weth.getAddress()) as Address, loanFeed: (await usdcFeed.getAddress()) as Address, collateralFeed: (await wethFeed.getAddress()) as Address, lltvWad: wad("0.86"), ...ZERO_RATES },
    ]);
    // Morpho, the oracle, the IRM, enableIrm, enableLltv, createMarket: six blocks, one second apart.
    expect(mined).to.equal(6n);
    expect((await chain.latestBlock()).timestamp).to.equal(start + 6n);
    const market = blue.markets[0];
    if (!market) throw new Error("no market");
    const reader = chainTransactor(chain, deployer, () => start);
    const params = await readView(reader, blue.morpho, "idToMarketParams", [market.id]);
    expect(params).to.deep.equal([market.params.loanToken, market.params.collateralToken, market.params.oracle, market.params.irm, wad("0.86")]);
    expect(await readView(reader, blue.morpho, "owner")).to.equal(deployer);
  });
});
