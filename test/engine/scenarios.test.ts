/**
 * The built-in scenarios make their point from measured results, on the in-process chain, and the
 * engine's bad-debt figures agree with the pool's own on-chain accounting.
 */
import { expect } from "chai";
import path from "node:path";
import { network } from "hardhat";
import Decimal from "decimal.js";
import { formatRunResultJson, loadScenarioFile, resultOf, runScenario, type RunOutput, type RunResultJson } from "../../simulator";

const SCENARIOS = path.join(__dirname, "..", "..", "scenarios");

/**
 * Runs `name` on a snapshot of the in-process chain and restores it afterwards; `onChainBadDebtUsd`
 * is the pool's own recorded bad debt at the end of the run.
 */
async function run(name: string): Promise<{ run: RunOutput; result: RunResultJson; onChainBadDebtUsd: Decimal }> {
  const snapshot = (await network.provider.send("evm_snapshot")) as string;
  try {
    const out = await runScenario(loadScenarioFile(path.join(SCENARIOS, `${name}.json`)), { check: true });
    expect(out.complete, out.error).to.equal(true);
    return { run: out, result: resultOf(out), onChainBadDebtUsd: await onChainRecordedUsd(out) };
  } finally {
    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("evm_setAutomine", [true]);
  }
}

/** The USDC reserve's recorded bad debt, read from the pool at the end of the run, in USD at $1. */
async function onChainRecordedUsd(out: RunOutput): Promise<Decimal> {
  const pool = out.world.protocols.get("aave");
  const usdc = out.world.assets.get("USDC");
  if (pool?.kind !== "pooled" || !usdc) throw new Error("scenario has no aave/USDC");
  const bad = await pool.pool.read(out.world.chain, "getReserveBadDebt", [usdc.token.address]);
  return new Decimal(bad.recorded.toString()).div(1e6);
}

describe("built-in scenarios", () => {
  it("prompt-keepers: a 30% slide with instant keepers is liquidated in the block it happens and leaves no bad debt", async () => {
    const { result, onChainBadDebtUsd } = await run("prompt-keepers");
    const s = result.summary;
    expect(s.liquidations.count).to.be.greaterThan(20);
    expect(s.delayBlocks.max).to.equal(0);
    expect(s.episodes.neverLiquidated).to.equal(0);
    expect(s.badDebt.recordedUsd).to.equal("0");
    expect(s.badDebt.latentMarketUsd).to.equal("0");
    expect(onChainBadDebtUsd.toString()).to.equal("0");
  });

  it("late-keepers: the same positions with keepers 20 blocks late while the price keeps falling leave bad debt", async () => {
    const { result, onChainBadDebtUsd } = await run("late-keepers");
    const s = result.summary;
    expect(s.delayBlocks.p50).to.equal(20);
    expect(s.delayBlocks.max).to.equal(20);
    expect(new Decimal(s.badDebt.recordedUsd).gt(100_000)).to.equal(true);
    // USDC stays at $1: the engine's USD figure is exactly the pool's recorded amount.
    expect(new Decimal(s.badDebt.recordedUsd).eq(onChainBadDebtUsd)).to.equal(true);
    // Who absorbed it: the insurance fund first, suppliers the rest.
    const absorbed = new Decimal(s.badDebt.absorbedUsd.reserves).plus(s.badDebt.absorbedUsd.suppliers);
    expect(absorbed.eq(s.badDebt.recordedUsd)).to.equal(true);
  });

  it("price-gap: a one-block 45% gap leaves bad debt although keepers act in the same block", async () => {
    const { run: out, result, onChainBadDebtUsd } = await run("price-gap");
    const s = result.summary;
    expect(s.liquidations.count).to.be.greaterThan(20);
    expect(s.delayBlocks.max).to.equal(0);
    expect(new Decimal(s.badDebt.recordedUsd).gt(50_000)).to.equal(true);
    expect(new Decimal(s.badDebt.recordedUsd).eq(onChainBadDebtUsd)).to.equal(true);
    // Every liquidation happened below HF 1 and at the gap block or later.
    for (const l of out.liquidations) {
      expect(l.healthFactorWad < 10n ** 18n).to.equal(true);
      expect(l.block).to.be.at.least(10);
    }
  });

  it("is deterministic: the same scenario and seed give a byte-identical result.json", async () => {
    const a = formatRunResultJson((await run("late-keepers")).result);
    const b = formatRunResultJson((await run("late-keepers")).result);
    expect(a).to.equal(b);
  });
});
