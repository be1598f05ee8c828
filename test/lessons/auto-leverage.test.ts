/**
 * Lesson auto-leverage: an auto-leverage bot (a `LeverageLooper` vault that levers up one step per
 * block to a target leverage, at market prices) against a static position at the same starting 4x and
 * the same $50,000 of equity, on one price path: WETH +30% over blocks 15-45, then -20% over blocks
 * 50-60 (ending above where it began).
 *  - on the way up the bots' equity grows, their leverage falls below 4x and they borrow more to buy
 *    more WETH at higher prices: their exposure compounds; the static borrowers' leverage just falls;
 *  - on the way down the bots, at 4x of their largest exposure, are liquidated; the static borrowers
 *    never are, and end with more than they started with.
 * Control: the same bots with a lower target (2.5x) re-lever the same way but are never liquidated.
 * Measured with --check on (every invariant and the engine's model against the pool after every block).
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { parseAbiItem } from "viem";
import type { RunOutput, RunResultJson } from "../../simulator";
import type { Scenario } from "../../simulator/scenario";
import { runBuiltInScenario } from "../helpers/scenarioRun";

const E18 = 10n ** 18n;
const leveredUp = parseAbiItem(
  "event LeveredUp((uint8 kind, address protocol, uint256 marketId) borrowLeg, (uint8 kind, address protocol, uint256 marketId) supplyLeg, uint256 debtBorrowed, uint256 collateralBought)",
);

type GroupOutcomeJson = RunResultJson["summary"]["groups"][number];

/** The bots' lever-up steps, by phase: building up (blocks 1-14), the rise and the top (15-49), the fall and after (50-70). */
interface Steps {
  /** Per phase: USDC borrowed and WETH bought by the four bots together, native units. */
  phases: Record<"build" | "rise" | "fall", { borrowed: bigint; bought: bigint; steps: number }>;
  /** WETH each vault holds in the pool at the end, native units. */
  wethAtEnd: bigint[];
}

async function steps(out: RunOutput): Promise<Steps> {
  const { world } = out;
  // Scenario block b is chain block (last - blocks + b): the run mined blocks 1..blocks last.
  const last = await world.chain.client.getBlockNumber();
  const blockOf = (chainBlock: bigint) => Number(chainBlock - last) + out.scenario.blocks;
  const logs = await world.chain.client.getLogs({ event: leveredUp, address: world.loopers.map((l) => l.vault.address), fromBlock: 0n });
  const phases: Steps["phases"] = { build: { borrowed: 0n, bought: 0n, steps: 0 }, rise: { borrowed: 0n, bought: 0n, steps: 0 }, fall: { borrowed: 0n, bought: 0n, steps: 0 } };
  for (const log of logs) {
    const block = blockOf(log.blockNumber ?? 0n);
    const phase = phases[block < 15 ? "build" : block < 50 ? "rise" : "fall"];
    phase.borrowed += log.args.debtBorrowed ?? 0n;
    phase.bought += log.args.collateralBought ?? 0n;
    phase.steps += 1;
  }
  const aave = world.protocols.get("aave");
  const weth = world.assets.get("WETH");
  if (aave?.kind !== "pooled" || !weth) throw new Error("unexpected world");
  const wethAtEnd: bigint[] = [];
  for (const l of world.loopers) {
    const [, , supplied] = await aave.pool.read(world.chain, "getUserReserve", [weth.token.address, l.vault.address]);
    wethAtEnd.push(supplied);
  }
  return { phases, wethAtEnd };
}

function group(result: RunResultJson, name: string): GroupOutcomeJson {
  const g = result.summary.groups.find((x) => x.name === name);
  if (!g) throw new Error(`no group ${name}`);
  return g;
}

/** The scenario with the bots' target leverage set to `wad` (the control: a lower target). */
function withTarget(wad: bigint): (s: Scenario) => Scenario {
  return (s) => ({ ...s, loopers: s.loopers.map((l) => ({ ...l, targetLeverageWad: wad })) });
}

describe("lesson: auto-leverage", function () {
  this.timeout(120_000);

  it("the bots buy more WETH on the way up than they did to reach 4x (421.60 vs 293.78, at $2,370.36 on average), are liquidated twice on the way down and lose 28.85%; static 4x borrowers gain 16%", async () => {
    const { out, result, extra } = await runBuiltInScenario("auto-leverage", { inspect: steps });
    const auto = group(result, "auto");
    const fixed = group(result, "static");
    // The same $50,000 of equity each, at 4x: the bots' 25 WETH deposit looped; the static borrowers' 100 WETH against $150,000.
    expect([auto.depositUsd, fixed.depositUsd]).to.deep.equal(["200000", "200000"]);
    const deposits = out.world.loopers.reduce((sum, l) => sum + l.deposit, 0n);
    expect(deposits).to.equal(100n * E18);

    // Building up to 4x (blocks 1-10): borrow, buy, supply, one step per block.
    const { build, rise, fall } = extra.phases;
    expect([build.steps, build.borrowed, build.bought]).to.deep.equal([40, 590_696_858_526n, 293_780_346_900_996_650_919n]);
    // The rise (blocks 15-49): equity grows, leverage falls under 4x, so every block they borrow and buy again.
    expect([rise.steps, rise.borrowed, rise.bought]).to.deep.equal([132, 999_348_239_388n, 421_601_772_971_238_054_081n]);
    expect(rise.bought > build.bought).to.equal(true);
    const averagePrice = new Decimal(rise.borrowed.toString()).div(1e6).div(new Decimal(rise.bought.toString()).div(1e18));
    expect(averagePrice.toFixed(2)).to.equal("2370.36");
    // Their WETH at the top: 815.38, 2.07 times the 393.78 they held at 4x before the rise; the static borrowers still hold 400.
    const atTop = deposits + build.bought + rise.bought;
    expect(atTop).to.equal(815_382_119_872_234_705_000n);
    expect(new Decimal(atTop.toString()).div((deposits + build.bought).toString()).toFixed(2)).to.equal("2.07");

    // The fall: every bot is liquidated at block 54 (WETH $2,363.64, 9.1% under its $2,600 top) and again at block 60;
    // after each liquidation its leverage is under 4x again, so it re-levers (12 more steps, 20.16 WETH bought on the way down).
    expect(out.blocks[53]?.marketPriceE8.WETH).to.equal(236_363_636_364n);
    expect(out.liquidations.map((l) => l.block)).to.deep.equal([54, 54, 54, 54, 60, 60, 60, 60]);
    expect([auto.holdersLiquidated, auto.liquidations, auto.firstLiquidationBlock]).to.deep.equal([4, 8, 54]);
    expect([fall.steps, fall.bought]).to.deep.equal([12, 20_161_340_730_047_540_879n]);
    expect(result.summary.liquidations.debtRepaidUsd).to.equal("1208453.496524");
    const seized = out.liquidations.reduce((sum, l) => sum + BigInt(l.collateralSeized), 0n);
    expect(seized).to.equal(561_876_596_018_609_540_737n);
    // They end with 273.67 WETH, less than the static borrowers' 400; the static borrowers are never liquidated.
    expect(extra.wethAtEnd.reduce((a, b) => a + b, 0n)).to.equal(273_666_864_583_672_705_142n);
    expect(fixed.liquidations).to.equal(0);
    // Nobody's lenders lose: the bots were liquidated in time.
    expect(result.summary.badDebt.totalUsd).to.equal("0");

    // WETH ends at $2,080, 4% above where it began: the static borrowers gain 4 x 4% = 16%; the bots lose 28.85%.
    expect(out.blocks[out.blocks.length - 1]?.marketPriceE8.WETH).to.equal(2_080n * 10n ** 8n);
    expect([fixed.lossUsd, fixed.lossPct]).to.deep.equal(["-31999.883984", "-15.99994199"]);
    expect([auto.lossUsd, auto.lossPct]).to.deep.equal(["57699.59315997", "28.84979658"]);
    expect(new Decimal(auto.lossUsd).gt(0) && new Decimal(fixed.lossUsd).lt(0)).to.equal(true);
  });

  it("control: the same bots with a 2.5x target also buy on the way up (116.77 WETH) but are never liquidated; they still end 5.22% down while static 4x gains 16%", async () => {
    const { out, result, extra } = await runBuiltInScenario("auto-leverage", { edit: withTarget(2_500_000_000_000_000_000n), inspect: steps });
    const auto = group(result, "auto");
    const fixed = group(result, "static");
    // At 2.5x the health factor is 82.5% x 2.5 / 1.5 = 1.375: a 20% fall leaves it at 1.1.
    expect(out.liquidations).to.deep.equal([]);
    expect([auto.holdersLiquidated, auto.liquidations]).to.deep.equal([0, 0]);
    // They still re-lever all the way up, buying WETH at rising prices...
    expect([extra.phases.rise.steps, extra.phases.rise.bought]).to.deep.equal([124, 116_768_208_898_710_208_056n]);
    expect(extra.phases.fall.steps).to.equal(0);
    // ...and the round trip (+30%, -20%) still costs them: a constant-leverage bot buys high and is left holding it.
    expect([auto.lossUsd, auto.lossPct]).to.deep.equal(["10444.2320771", "5.22211604"]);
    expect(fixed.lossPct).to.equal("-15.99995838");
    expect(new Decimal(auto.lossUsd).gt(0)).to.equal(true);
  });
});
