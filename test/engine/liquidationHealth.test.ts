/**
 * What the observer records around a liquidation, on the real pool: the positions liquidatable at a
 * block's prices before its liquidations (those liquidated in the block count, though none is left
 * liquidatable at its end), the health factor after each liquidation (the pool's own figure, read back),
 * and the watched position's health before and after, which match the pool's `LiquidationCall`.
 */
import { expect } from "chai";
import type { Address } from "viem";
import type { RunOutput } from "../../simulator";
import { runBuiltInScenario } from "../helpers/scenarioRun";

/** Each borrower group's health factor at the end of the run, from the pool's `getUserAccountData`. */
async function healthAtEnd(out: RunOutput): Promise<Map<string, bigint>> {
  const p = out.world.protocols.get("aave");
  if (p?.kind !== "pooled") throw new Error("no pooled aave");
  const byGroup = new Map<string, bigint>();
  for (const b of out.world.borrowers) {
    const data = await p.pool.read(out.world.chain, "getUserAccountData", [b.address]);
    byGroup.set(b.group.name, data[5] ?? -1n);
  }
  return byGroup;
}

describe("observe: health around liquidations (liquidation-mechanics)", function () {
  this.timeout(180_000);

  it("counts positions liquidated in the block of the price move as liquidatable before it, gives each liquidation's health factor after, and follows the riskiest position", async () => {
    const { out, result, extra } = await runBuiltInScenario("liquidation-mechanics", { inspect: healthAtEnd });
    const address = new Map<string, Address>(out.world.borrowers.map((b) => [b.group.name, b.address.toLowerCase() as Address]));
    const nameOf = (a: string) => [...address].find(([, x]) => x === a.toLowerCase())?.[0];

    // Every liquidation lands in the block of the price step: none is liquidatable at a block's end.
    expect(result.summary.maxLiquidatablePositions).to.equal(0);
    expect(result.summary.episodes.total).to.equal(4);
    // Before the liquidations: maxed at block 10; maxed, tight and moderate at block 20.
    expect(result.summary.maxLiquidatablePositionsBeforeLiquidations).to.equal(3);
    expect(result.summary.protocols.aave?.maxLiquidatablePositionsBeforeLiquidations).to.equal(3);
    const before = out.blocks.map((b) => b.protocols.aave?.liquidatableBeforeLiquidations);
    expect(before.flatMap((n, i) => (n === 0 ? [] : [`${i + 1}:${n}`]))).to.deep.equal(["10:1", "20:3"]);
    expect(out.setUp?.protocols.aave?.liquidatableBeforeLiquidations).to.equal(0);

    const l = result.liquidations.map((x) => ({ block: x.block, who: nameOf(x.account), before: x.healthBeforeWad, after: x.healthAfterWad }));
    expect(l).to.deep.equal([
      // Half of maxed's debt at $1,900: 27.894736842105263158 WETH left against 40,000 USDC (the lesson's 1.093125).
      { block: 10, who: "maxed", before: "979687500000000000", after: "1093125000000000000" },
      // Below 0.95: repaid in full, no debt left.
      { block: 20, who: "tight", before: "880000000000000000", after: null },
      // Above 0.95: half repaid; the pool's health factor at the end (no interest, no move after block 20).
      { block: 20, who: "moderate", before: "976000000009700848", after: extra.get("moderate")?.toString() },
      { block: 20, who: "maxed", before: "920526315789250000", after: null },
    ]);
    expect(l[2]?.after).to.equal("1085750000016044848");

    // The watched position: maxed, the lowest health factor at set-up (1.03125).
    expect(out.setUp?.watched).to.deep.include({ protocol: "aave", market: null, borrower: address.get("maxed"), healthFactorWad: 1_031_250_000_000_000_000n });
    const w10 = out.blocks[9]?.watched;
    expect(w10?.healthFactorBeforeLiquidationsWad, "before: the pool's own figure in the LiquidationCall").to.equal(979_687_500_000_000_000n);
    expect(w10?.healthFactorWad).to.equal(1_093_125_000_000_000_000n);
    const w20 = out.blocks[19]?.watched;
    expect(w20?.healthFactorBeforeLiquidationsWad?.toString()).to.equal(result.liquidations.find((x) => x.block === 20 && nameOf(x.account) === "maxed")?.healthBeforeWad);
    expect(w20?.healthFactorWad).to.equal(null);
  });
});
