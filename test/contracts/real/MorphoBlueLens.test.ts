/**
 * `MorphoBlueLens` reads the real Morpho Blue 1.0 as Morpho itself will account: after a day without an
 * interaction at 99% utilization on a kinked curve (base 0, +4% to the 90% kink, +200% above), the lens'
 * `expectedMarketState` equals, to the wei, the totals Morpho stores when `accrueInterest` runs at the
 * same timestamp; `getPositions` values a borrower on those totals with Morpho's health terms; and the
 * snapshot's incentive factor is Morpho's min(1.15, 1 / (1 - 0.3 (1 - LLTV))).
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { zeroAddress, type Address } from "viem";
import { ContractHandle, projectArtifact } from "../../../simulator/world/contracts";
import { readView } from "../../../simulator/venues/realTransactor";
import { wad } from "../../helpers/pool";
import { deployRealMorphoWorld } from "../../helpers/realMorpho";

const ONE_USDC = 10n ** 6n;
const ONE_WETH = 10n ** 18n;

describe("MorphoBlueLens on the real Morpho Blue 1.0", () => {
  it("accrued totals equal Morpho's own after a day; positions on them; Morpho's incentive factor", async () => {
    const w = await deployRealMorphoWorld({ baseRateWad: 0n, slope1Wad: wad("0.04"), slope2Wad: wad("2"), optimalUtilizationWad: wad("0.9") });
    const tx = w.as(w.owner);
    const morpho = w.blue.morpho;
    const params = w.market.params;
    const lensArtifact = projectArtifact("MorphoBlueLens");
    const lens = new ContractHandle((await tx.send({ data: lensArtifact.bytecode, gas: 5_000_000n })).contractAddress ?? zeroAddress, lensArtifact.abi);
    await w.supply(w.bob, 100_000n * ONE_USDC);
    await w.supplyCollateral(w.alice, 100n * ONE_WETH);
    await w.borrow(w.alice, 99_000n * ONE_USDC);

    await network.provider.send("evm_increaseTime", [86_400]);
    await network.provider.send("evm_mine");
    const latest = (await ethers.provider.getBlock("latest"))?.timestamp ?? 0;
    const expected = await readView(tx, lens, "expectedMarketState", [morpho.address, params]);
    const [position] = await readView(tx, lens, "getPositions", [morpho.address, params, [w.alice.address as Address]]);
    const snapshot = await readView(tx, lens, "getMarketSnapshot", [morpho.address, params]);

    // Morpho accrues at the same timestamp (the chain allows blocks with the same timestamp).
    await network.provider.send("evm_setNextBlockTimestamp", [latest]);
    await tx.send({ to: morpho.address, data: morpho.encode("accrueInterest", [params]), gas: 1_000_000n });
    const [totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, lastUpdate] = (await readView(tx, morpho, "market", [w.market.id])) as readonly bigint[];
    expect(expected.lastUpdate).to.equal(BigInt(latest));
    expect({ ...expected }).to.deep.equal({ totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, lastUpdate, badDebtAssets: 0n });
    // A day at 99% utilization: 99,000 USDC x (e^(rt) - 1), r = (4% + 200% x 9/10) / 31,536,000 per second (184% a year).
    // rt = floor(1.84e18 / 31,536,000) x 86,400 = 0.005041095890... ; x + x^2/2 + x^3/6 = 0.005053823...: 500.328532 USDC of interest
    expect(totalBorrowAssets).to.equal(99_500_328_532n);
    expect(position?.borrowAssets).to.equal(totalBorrowAssets);
    // HF = floor(floor(100 WETH x price / 1e36) x 0.86) / debt, WAD: 172,000 USDC / 99,500.328532 USDC
    expect(position?.healthFactorWad).to.equal(1_728_637_508_414_694_326n);
    expect(snapshot.liquidationIncentiveFactorWad).to.equal(1_043_841_336_116_910_229n);
  });
});
