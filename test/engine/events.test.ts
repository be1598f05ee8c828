/**
 * Scenario events and agent options change a run the way their definitions say. Each case is
 * prompt-keepers (WETH ramps $2,000 -> $1,400 over blocks 8-12; 40 borrowers; 3 instant liquidators)
 * with one change, compared with the unchanged run.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { network } from "hardhat";
import Decimal from "decimal.js";
import { parseScenario, resultOf, runScenario, type RunOutput, type RunResultJson } from "../../simulator";

const SCENARIOS = path.join(__dirname, "..", "..", "scenarios");
type Json = Record<string, unknown>;
const BASE = JSON.parse(readFileSync(path.join(SCENARIOS, "prompt-keepers.json"), "utf8")) as Json;

async function run(change: (s: Json) => void): Promise<{ out: RunOutput; result: RunResultJson }> {
  const json = structuredClone(BASE);
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

const liquidators = (s: Json) => s.liquidators as Json[];
const block = (out: RunOutput, b: number) => {
  const r = out.blocks[b - 1];
  if (!r) throw new Error(`no block ${b}`);
  return r;
};

describe("scenario events and agent options", () => {
  let base: { out: RunOutput; result: RunResultJson };
  before(async () => {
    base = await run(() => undefined);
  });

  it("feedFreeze: the oracle holds $2,000 through the crash, nothing is liquidated until it thaws, then all at once", async () => {
    const { out, result } = await run((s) => {
      s.events = [{ type: "feedFreeze", asset: "WETH", fromBlock: 6, toBlock: 20 }];
    });
    expect(block(out, 15).oraclePriceE8.WETH).to.equal(2000n * 10n ** 8n);
    expect(block(out, 15).marketPriceE8.WETH).to.equal(1400n * 10n ** 8n);
    // At market prices positions are under water while the frozen oracle says they are fine.
    expect(block(out, 15).protocols.aave?.liquidatable).to.equal(0);
    expect(block(out, 15).protocols.aave?.underwaterAtMarket).to.be.greaterThan(0);
    expect(out.liquidations.length).to.be.greaterThan(0);
    expect(Math.min(...out.liquidations.map((l) => l.block))).to.equal(21);
    // |oracle - market| / market: (2,000 - 1,400) / 1,400 = 4,285.71 bps
    expect(result.summary.priceGaps.maxOracleVsMarketBps).to.equal("4285.71");
  });

  it("keeperOutage: the liquidators do nothing in the window, so liquidations wait for its end", async () => {
    const { out, result } = await run((s) => {
      s.events = [{ type: "keeperOutage", liquidator: "keepers", fromBlock: 1, toBlock: 20 }];
    });
    expect(Math.min(...out.liquidations.map((l) => l.block))).to.equal(21);
    expect(result.summary.delayBlocks.max).to.be.greaterThan(0);
    expect(base.result.summary.delayBlocks.max).to.equal(0);
  });

  it("gasSpike: blocks carry the forced base fee, and liquidations worth less than the gas are skipped", async () => {
    const { out, result } = await run((s) => {
      s.events = [{ type: "gasSpike", fromBlock: 8, toBlock: 40, baseFeeGwei: 5000 }];
      liquidators(s)[0] = { ...liquidators(s)[0], minProfitUsd: 0 };
    });
    expect(block(out, 10).baseFeeWei).to.equal(5000n * 10n ** 9n);
    expect(block(out, 41).baseFeeWei).to.equal(10n ** 9n);
    // 350,000 gas at 5,000 gwei is 1.75 ETH (about $2,500): small positions wait for the spike to end.
    const during = out.liquidations.filter((l) => l.block <= 40);
    expect(during.length).to.be.lessThan(base.out.liquidations.filter((l) => l.block <= 40).length);
    expect(out.liquidations.some((l) => l.block > 40)).to.equal(true);
    expect(new Decimal(result.summary.liquidations.gasCostUsd).gt(base.result.summary.liquidations.gasCostUsd)).to.equal(true);
  });

  it("defensive borrowers repay from their wallets when their health factor sags, so fewer positions are liquidated", async () => {
    const { out } = await run((s) => {
      const groups = s.borrowers as Json[];
      groups[0] = { ...groups[0], defensive: { sharePct: 100, belowHealthFactor: 1.15, delayBlocks: 0, action: "repay", targetHealthFactor: 1.6 } };
    });
    expect(out.liquidations.length).to.be.lessThan(base.out.liquidations.length);
  });

  it("sellOnAmm: liquidators dump seized WETH on the pair, pushing its price below the market", async () => {
    const { result } = await run((s) => {
      liquidators(s)[0] = { ...liquidators(s)[0], sellOnAmm: "weth-usdc" };
    });
    const gap = (r: RunResultJson) => new Decimal(r.summary.priceGaps.maxAmmVsMarketBps ?? "0");
    expect(gap(result).gt(gap(base.result))).to.equal(true);
  });
});
