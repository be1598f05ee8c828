/**
 * `MorphoBlueLens` reads the real Morpho Blue 1.0 as Morpho itself will account: after a day without an
 * interaction at 99% utilization on a kinked curve (base 0, +4% to the 90% kink, +200% above), the lens'
 * `expectedMarketState` equals, to the wei, the totals Morpho stores when `accrueInterest` runs at the
 * same timestamp; `getPositions` values a borrower on those totals with Morpho's health terms; and the
 * snapshot's incentive factor is Morpho's min(1.15, 1 / (1 - 0.3 (1 - LLTV))).
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import type { Address, EIP1193Provider } from "viem";
import { ContractHandle, projectArtifact } from "../../../simulator/world/contracts";
import { deployMorphoBlue } from "../../../simulator/venues/morpho-blue/deploy";
import { automineTransactor, readView } from "../../../simulator/venues/realTransactor";
import { MAX_UINT256, deployFeed, deployToken, usd, wad } from "../../helpers/pool";

const ONE_USDC = 10n ** 6n;
const ONE_WETH = 10n ** 18n;
const GAS = 1_000_000n;

describe("MorphoBlueLens on the real Morpho Blue 1.0", () => {
  it("accrued totals equal Morpho's own after a day; positions on them; Morpho's incentive factor", async () => {
    const [owner, alice] = await ethers.getSigners();
    if (!owner || !alice) throw new Error("hardhat network needs 2 accounts");
    const weth = await deployToken("Wrapped Ether", "WETH", 18, owner);
    const usdc = await deployToken("USD Coin", "USDC", 6, owner);
    const wethFeed = await deployFeed("WETH / USD", usd("2000"), owner);
    const usdcFeed = await deployFeed("USDC / USD", usd("1"), owner);
    const provider = network.provider as unknown as EIP1193Provider;
    const tx = automineTransactor(provider, owner.address as Address);
    const blue = await deployMorphoBlue(tx, [
      {
        loanToken: (await usdc.getAddress()) as Address,
        collateralToken: (await weth.getAddress()) as Address,
        loanFeed: (await usdcFeed.getAddress()) as Address,
        collateralFeed: (await wethFeed.getAddress()) as Address,
        lltvWad: wad("0.86"),
        baseRateWad: 0n,
        slope1Wad: wad("0.04"),
        slope2Wad: wad("2"),
        optimalUtilizationWad: wad("0.9"),
      },
    ]);
    const morpho = blue.morpho;
    const params = blue.markets[0]?.params;
    const id = blue.markets[0]?.id;
    if (!params || !id) throw new Error("no market");
    const lensArtifact = projectArtifact("MorphoBlueLens");
    const lens = new ContractHandle((await tx.send({ data: lensArtifact.bytecode, gas: 5_000_000n })).contractAddress as Address, lensArtifact.abi);

    for (const [token, who, amount] of [[usdc, owner, 100_000n * ONE_USDC], [weth, alice, 100n * ONE_WETH]] as const) {
      await token.connect(owner).mint(who.address, amount);
      await token.connect(who).approve(morpho.address, MAX_UINT256);
    }
    const send = (who: Address, fn: string, args: readonly unknown[]) => automineTransactor(provider, who).send({ to: morpho.address, data: morpho.encode(fn, args), gas: GAS });
    await send(owner.address as Address, "supply", [params, 100_000n * ONE_USDC, 0n, owner.address, "0x"]);
    await send(alice.address as Address, "supplyCollateral", [params, 100n * ONE_WETH, alice.address, "0x"]);
    await send(alice.address as Address, "borrow", [params, 99_000n * ONE_USDC, 0n, alice.address, alice.address]);

    await network.provider.send("evm_increaseTime", [86_400]);
    await network.provider.send("evm_mine");
    const latest = (await ethers.provider.getBlock("latest"))?.timestamp ?? 0;
    type State = { totalSupplyAssets: bigint; totalSupplyShares: bigint; totalBorrowAssets: bigint; totalBorrowShares: bigint; lastUpdate: bigint; badDebtAssets: bigint };
    const expected = await readView<State>(tx, lens, "expectedMarketState", [morpho.address, params]);
    const [position] = await readView<{ borrowAssets: bigint; healthFactorWad: bigint }[]>(tx, lens, "getPositions", [morpho.address, params, [alice.address]]);
    const snapshot = await readView<{ liquidationIncentiveFactorWad: bigint; borrowRateWad: bigint; price: bigint }>(tx, lens, "getMarketSnapshot", [morpho.address, params]);

    // Morpho accrues at the same timestamp (the chain allows blocks with the same timestamp).
    await network.provider.send("evm_setNextBlockTimestamp", [latest]);
    await send(owner.address as Address, "accrueInterest", [params]);
    const [totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, lastUpdate] = await readView<bigint[]>(tx, morpho, "market", [id]);
    expect(expected.lastUpdate).to.equal(BigInt(latest));
    expect({ ...expected }).to.deep.equal({ totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, lastUpdate, badDebtAssets: 0n });
    // A day at 99% utilization: 99,000 USDC x (e^(rt) - 1), r = (4% + 200% x 9/10) / 31,536,000 per second (184% a year).
    // rt = floor(1.84e18 / 31,536,000) x 86,400 = 0.005041095890... ; x + x^2/2 + x^3/6 = 0.005053823...: 500.328532 USDC of interest
    expect(totalBorrowAssets).to.equal(99_500_328_532n);
    expect(position?.borrowAssets).to.equal(totalBorrowAssets);
    // HF = 100 WETH x $2,000 x 0.86 / debt, in USDC units
    // HF = floor(floor(100 WETH x price / 1e36) x 0.86) / debt, WAD: 172,000 USDC / 99,500.328532 USDC
    expect(position?.healthFactorWad).to.equal(1_728_637_508_414_694_326n);
    expect(snapshot.liquidationIncentiveFactorWad).to.equal(1_043_841_336_116_910_229n);
  });
});
