/**
 * Congestion fills blocks the way many users' transactions would: a keeper bidding less than the
 * spam never gets a liquidation in, even when a keeper bidding more takes some of the room (the
 * spammer's transactions are small, so the room its displaced last ones leave is under a liquidation's
 * gas limit). prompt-keepers (WETH $2,000 -> $1,400 over blocks 8-12) with the blocks of 8-14 filled.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { network } from "hardhat";
import { parseScenario, resultOf, runScenario, type RunOutput, type RunResultJson } from "../../simulator";

const SCENARIOS = path.join(__dirname, "..", "..", "scenarios");
type Json = Record<string, unknown>;

async function run(change: (s: Json) => void): Promise<{ out: RunOutput; result: RunResultJson }> {
  const json = JSON.parse(readFileSync(path.join(SCENARIOS, "prompt-keepers.json"), "utf8")) as Json;
  change(json);
  const snapshot = (await network.provider.send("evm_snapshot")) as string;
  try {
    const out = await runScenario(parseScenario(json, { baseDir: SCENARIOS }), { check: true });
    expect(out.complete, out.error).to.equal(true);
    return { out, result: resultOf(out) };
  } finally {
    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("evm_setAutomine", [true]);
  }
}

describe("congestion", function () {
  this.timeout(120_000);

  it("a keeper bidding under the spam gets no liquidation in while a higher bidder does; blocks stay full, and it liquidates once the window ends", async () => {
    const { out } = await run((s) => {
      s.blocks = 20;
      s.events = [{ type: "congestion", fromBlock: 8, toBlock: 14, gas: 29_500_000, priorityFeeGwei: 50 }];
      const liquidators = s.liquidators as Json[];
      s.liquidators = [
        liquidators[0],
        { name: "bidder", count: 1, priorityFeeGwei: 100, capital: [{ asset: "USDC", amount: "150000" }], minProfitUsd: 0 },
      ];
    });
    const inWindow = (b: number) => b >= 8 && b <= 14;
    const byGroup = (group: string) => out.liquidations.filter((l) => l.liquidator.startsWith(`${group}#`));
    // The higher bidder displaced some spam in the window...
    expect(byGroup("bidder").filter((l) => inWindow(l.block)).length).to.be.greaterThan(0);
    // ...yet the keepers bidding 2 gwei got nothing in: every attempt there was left out of the block.
    expect(byGroup("keepers").filter((l) => inWindow(l.block)).length).to.equal(0);
    const keeperAttempts = out.failedAttempts.filter((f) => f.agent.startsWith("keepers#") && inWindow(f.block));
    expect(keeperAttempts.length).to.be.greaterThan(0);
    expect(keeperAttempts.every((f) => f.reason.startsWith("not mined"))).to.equal(true);
    // The spam fills each block of the window to within a liquidation's gas limit (600,000).
    for (const b of out.blocks.filter((r) => inWindow(r.block))) expect(30_000_000n - b.gasUsed < 600_000n, `block ${b.block}: ${b.gasUsed}`).to.equal(true);
    // The window over, the keepers liquidate in its first free block.
    expect(byGroup("keepers").some((l) => l.block === 15)).to.equal(true);
  });
});
