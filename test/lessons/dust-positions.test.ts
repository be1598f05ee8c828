/**
 * Lesson dust-positions (scenarios/dust-positions.json, docs/lessons/dust-positions.md): positions too
 * small to be worth liquidating after gas. Thirty borrowers with $20-$80 of WETH and five with
 * $50,000-$200,000 share a pool; the base fee is 30 gwei all run; WETH falls 40% over blocks 5..14.
 * Measured on the in-process chain with `--check` on:
 *  - per size: every large position is liquidated as the price falls and none is left under water;
 *    no small position is ever liquidated, or even attempted, since its whole debt pays less than gas;
 *  - the small positions end under water, and their shortfall is the pool's whole latent bad debt;
 *  - a control at a 1 gwei base fee liquidates half of the small positions and leaves a third of that
 *    latent bad debt.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import type { Address } from "viem";
import type { RunOutput } from "../../simulator";
import { runBuiltInScenario, type ScenarioRun } from "../helpers/scenarioRun";

const E8 = 10n ** 8n;
const WAD = 10n ** 18n;

interface Position {
  borrower: Address;
  group: string;
  collateralUsdE8: bigint;
  debtUsdE8: bigint;
  healthFactorWad: bigint;
}

/** Every borrower's position at the end of the run, as the pool reports it (oracle = market prices then). */
async function finalPositions(out: RunOutput): Promise<Position[]> {
  const pool = out.world.protocols.get("aave");
  if (pool?.kind !== "pooled") throw new Error("no pool aave");
  const positions: Position[] = [];
  for (const b of out.world.borrowers) {
    const data = (await out.world.chain.client.readContract({
      address: pool.pool.address,
      abi: pool.pool.abi,
      functionName: "getUserAccountData",
      args: [b.address],
    })) as readonly bigint[];
    positions.push({ borrower: b.address.toLowerCase() as Address, group: b.group.name, collateralUsdE8: data[0] ?? 0n, debtUsdE8: data[1] ?? 0n, healthFactorWad: data[5] ?? 0n });
  }
  return positions;
}

/** Gas cost in USD E8 of a liquidation the keepers expect (350,000 gas) at `baseFeeGwei` + their 2 gwei, WETH at `wethUsd`. */
const gasCostUsdE8 = (baseFeeGwei: bigint, wethUsd: bigint) => (350_000n * (baseFeeGwei + 2n) * 10n ** 9n * wethUsd * E8) / WAD;

describe("lesson: dust-positions", function () {
  this.timeout(120_000);

  let dust: ScenarioRun<Position[]>;
  let cheapGas: ScenarioRun<Position[]>;

  before(async () => {
    dust = await runBuiltInScenario("dust-positions", { inspect: finalPositions });
    // The control: the same world and fall at the default 1 gwei base fee (no gasSpike).
    cheapGas = await runBuiltInScenario("dust-positions", { edit: (s) => ({ ...s, events: [] }), inspect: finalPositions });
  });

  const liquidated = (run: ScenarioRun<Position[]>) => new Set(run.out.liquidations.map((l) => l.borrower));
  const ofGroup = (run: ScenarioRun<Position[]>, group: string) => run.extra.filter((p) => p.group === group);

  it("per size: all 5 large positions are liquidated as WETH falls (15 liquidations, none late) and none ends under water; none of the 30 small ones is", () => {
    const large = ofGroup(dust, "large");
    const small = ofGroup(dust, "dust");
    expect([large.length, small.length]).to.deep.equal([5, 30]);
    expect(large.every((p) => liquidated(dust).has(p.borrower))).to.equal(true);
    expect(small.some((p) => liquidated(dust).has(p.borrower))).to.equal(false);
    const s = dust.result.summary;
    expect(s.liquidations.count).to.equal(15);
    expect(s.delayBlocks.max).to.equal(0);
    expect(s.liquidations.debtRepaidUsd).to.equal("359579.123851");
    expect(s.badDebt.recordedUsd).to.equal("0");
    // What the large positions keep is healthy: the keepers brought each back above health factor 1.
    expect(large.every((p) => p.healthFactorWad > WAD && p.collateralUsdE8 > p.debtUsdE8)).to.equal(true);
  });

  it("no small position is even attempted: its whole debt pays at most 4.5%, under a liquidation's gas at 32 gwei ($13.44 with WETH at $1,200)", () => {
    const small = new Set(ofGroup(dust, "dust").map((p) => p.borrower));
    expect(dust.out.failedAttempts.some((f) => [...small].some((b) => f.action.includes(b)))).to.equal(false);
    const gasAtLowestPrice = gasCostUsdE8(30n, 1_200n);
    expect(gasAtLowestPrice).to.equal(1_344_000_000n);
    const largestSmallDebt = ofGroup(dust, "dust").reduce((m, p) => (p.debtUsdE8 > m ? p.debtUsdE8 : m), 0n);
    expect(new Decimal(largestSmallDebt.toString()).div(1e8).toFixed(2)).to.equal("56.42");
    // Collateral received is at most 104.5% of the debt repaid (5% bonus less the protocol's tenth of it).
    expect((largestSmallDebt * 45n) / 1000n < gasAtLowestPrice).to.equal(true);
    // Break-even: a repayment of gas / 4.5% = $298.67; every small debt is far below, and every
    // liquidation the keepers made repaid far more ($4,675 the least).
    expect((gasAtLowestPrice * 1000n) / 45n).to.equal(29_866_666_666n);
    expect(dust.out.liquidations.every((l) => l.debtRepaidUsd.gt(4_000))).to.equal(true);
  });

  it("all 30 small positions end liquidatable and under water; their shortfall, $144.52, is the pool's whole latent bad debt", () => {
    const small = ofGroup(dust, "dust");
    expect(small.every((p) => p.healthFactorWad < WAD && p.debtUsdE8 > p.collateralUsdE8)).to.equal(true);
    const shortfallE8 = small.reduce((sum, p) => sum + (p.debtUsdE8 - p.collateralUsdE8), 0n);
    const s = dust.result.summary;
    expect(s.badDebt.latentMarketUsd).to.equal("144.51761103");
    expect(new Decimal(shortfallE8.toString()).div(1e8).minus(s.badDebt.latentMarketUsd).abs().lte("0.0000003")).to.equal(true);
    expect(s.episodes).to.deep.equal({ total: 45, liquidated: 15, neverLiquidated: 30 });
    const last = dust.out.blocks[dust.out.blocks.length - 1];
    expect(last?.protocols.aave?.liquidatable).to.equal(30);
    expect(last?.protocols.aave?.underwaterAtMarket).to.equal(30);
  });

  it("at a 1 gwei base fee the keepers do liquidate 15 of the small positions, and the latent bad debt is $47.82 instead of $144.52", () => {
    const small = ofGroup(cheapGas, "dust");
    const smallLiquidated = small.filter((p) => liquidated(cheapGas).has(p.borrower));
    expect(smallLiquidated.length).to.equal(15);
    const s = cheapGas.result.summary;
    expect(s.badDebt.latentMarketUsd).to.equal("47.82435628");
    expect(new Decimal(s.badDebt.latentMarketUsd).lt(dust.result.summary.badDebt.latentMarketUsd)).to.equal(true);
    // The ones left are the smallest: each owes less than any small position the keepers liquidated did
    // (those were closed in full, so what they owed is what the keepers repaid plus what was written off).
    const owed = (borrower: Address) =>
      cheapGas.out.liquidations.filter((l) => l.borrower === borrower).reduce((sum, l) => sum.plus(l.debtRepaidUsd), new Decimal(0))
        .plus(cheapGas.out.badDebt.filter((b) => b.borrower === borrower).reduce((sum, b) => sum.plus(b.amountUsd), new Decimal(0)));
    const left = small.filter((p) => !liquidated(cheapGas).has(p.borrower));
    expect(left.length).to.equal(15);
    expect(smallLiquidated.every((p) => p.debtUsdE8 === 0n)).to.equal(true);
    const largestLeft = left.reduce((m, p) => Decimal.max(m, new Decimal(p.debtUsdE8.toString()).div(1e8)), new Decimal(0));
    const smallestTaken = smallLiquidated.reduce((m, p) => Decimal.min(m, owed(p.borrower)), new Decimal(Infinity));
    expect(largestLeft.lt(smallestTaken), `left up to ${largestLeft}, liquidated from ${smallestTaken}`).to.equal(true);
  });
});
