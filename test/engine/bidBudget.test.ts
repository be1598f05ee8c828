/**
 * A liquidator bids at most what one block holds: the gas its liquidations are expected to use
 * (LIQUIDATION_GAS_ESTIMATE each, plus SALE_GAS_ESTIMATE when it sells on a pair) within the block gas
 * limit, largest debts first. price-gap (WETH −45% in one block, 40 borrowers, three keepers without a
 * sale) with 2,000,000 gas per block: each keeper bids 5 liquidations in a block (5 × 350,000 ≤ 2,000,000
 * < 6 × 350,000), where with 30,000,000 gas it bids every liquidatable position at once.
 */
import { expect } from "chai";
import type { RunOutput } from "../../simulator";
import { LIQUIDATION_GAS_ESTIMATE } from "../../simulator/venues";
import { runBuiltInScenario } from "../helpers/scenarioRun";

/** Liquidations each keeper sent per block: those mined (successful or not) and those left out. */
function bidsPerKeeperAndBlock(out: RunOutput): Map<string, number> {
  const bids = new Map<string, number>();
  const add = (block: number, agent: string) => bids.set(`${block}/${agent}`, (bids.get(`${block}/${agent}`) ?? 0) + 1);
  for (const l of out.liquidations) add(l.block, l.liquidator);
  for (const f of out.failedAttempts) if (f.action.startsWith("liquidate")) add(f.block, f.agent);
  return bids;
}

describe("liquidators bid what one block holds", function () {
  this.timeout(180_000);

  it("with 2,000,000 gas per block each keeper bids at most 5 liquidations a block, and the cap binds; with 30,000,000 it bids more", async () => {
    expect(LIQUIDATION_GAS_ESTIMATE).to.equal(350_000n);
    const small = await runBuiltInScenario("price-gap", { edit: (s) => ({ ...s, blockGasLimit: 2_000_000n }) });
    const smallBids = [...bidsPerKeeperAndBlock(small.out).values()];
    expect(Math.max(...smallBids)).to.equal(5);
    const full = await runBuiltInScenario("price-gap");
    expect(Math.max(...bidsPerKeeperAndBlock(full.out).values())).to.be.greaterThan(5);
    // Fewer liquidations fit per block, so the gap takes longer to clear.
    const lastLiquidation = (out: RunOutput) => Math.max(...out.liquidations.map((l) => l.block));
    expect(lastLiquidation(small.out)).to.be.greaterThan(lastLiquidation(full.out));
  });
});
