/**
 * Lesson liquidation-mechanics: maintenance margin, the close factor, the liquidation bonus and the
 * protocol's share of it, measured on the pool. The first liquidation is recomputed here by hand from
 * the scenario's parameters and the oracle price, in the pool's own rounding (PooledLendingPool.sol
 * `_account` and `_previewLiquidation`), and must match the pool to the wei.
 */
import { expect } from "chai";
import type { Address } from "viem";
import type { RunOutput } from "../../simulator";
import type { PooledProtocolSpec, PooledReserveSpec } from "../../simulator/scenario";
import { WAD, min, mulDivDown, mulDivUp, wDivDown, wDivUp, wMulDown } from "../../simulator/math";
import { runBuiltInScenario } from "../helpers/scenarioRun";

const USD = 10n ** 8n; // prices and USD values carry 8 decimals
const WETH_UNIT = 10n ** 18n;
const USDC_UNIT = 10n ** 6n;

interface Holdings {
  wethSupplied: bigint;
  usdcDebt: bigint;
}

/** Each named borrower's WETH collateral and USDC debt at the end of the run, read from the pool. */
async function holdingsAtEnd(out: RunOutput): Promise<{ byGroup: Map<string, Holdings>; wethReserves: bigint }> {
  const { world } = out;
  const p = world.protocols.get("aave");
  const weth = world.assets.get("WETH");
  const usdc = world.assets.get("USDC");
  if (p?.kind !== "pooled" || !weth || !usdc) throw new Error("scenario has no aave/WETH/USDC");
  const byGroup = new Map<string, Holdings>();
  for (const b of world.borrowers) {
    const [, , wethSupplied] = await p.pool.read(world.chain, "getUserReserve", [weth.token.address, b.address]);
    const [, , , usdcDebt] = await p.pool.read(world.chain, "getUserReserve", [usdc.token.address, b.address]);
    byGroup.set(b.group.name, { wethSupplied, usdcDebt });
  }
  const state = await p.pool.read(world.chain, "getReserveState", [weth.token.address]);
  return { byGroup, wethReserves: state.reservesAssets };
}

function reserve(p: PooledProtocolSpec, asset: string): PooledReserveSpec {
  const r = p.reserves.find((x) => x.asset === asset);
  if (!r) throw new Error(`no ${asset} reserve`);
  return r;
}

describe("lesson: liquidation-mechanics", function () {
  this.timeout(120_000);

  it("a liquidation below HF 1 repays 50% of the debt (close factor) for that value plus the 5% bonus, which restores health; below HF 0.95 it repays 100%", async () => {
    const { out, result, extra } = await runBuiltInScenario("liquidation-mechanics", { inspect: holdingsAtEnd });
    const aave = out.scenario.protocols.find((p): p is PooledProtocolSpec => p.type === "pooled" && p.name === "aave");
    if (!aave) throw new Error("no aave");
    const wethReserve = reserve(aave, "WETH");
    const rules = aave.liquidation;
    const address = new Map<string, Address>(out.world.borrowers.map((b) => [b.group.name, b.address.toLowerCase() as Address]));
    const nameOf = (a: Address) => out.world.borrowers.find((b) => b.address.toLowerCase() === a)?.group.name;

    // Every borrower opened $100,000 of WETH at $2,000 (50 WETH); debt = collateral x threshold / HF,
    // capped at collateral x LTV ('maxed' sits exactly at the cap: 80%).
    const collateral0 = mulDivDown(100_000n * USD, WETH_UNIT, 2_000n * USD);
    expect(collateral0).to.equal(50n * WETH_UNIT);
    const openingDebt = (group: string): bigint => {
      const g = out.scenario.borrowers.find((x) => x.name === group);
      if (!g) throw new Error(group);
      const valueUsd = mulDivDown(collateral0, 2_000n * USD, WETH_UNIT);
      const debtUsd = min(wDivDown(wMulDown(valueUsd, wethReserve.liquidationThresholdWad), g.healthFactorWad.min), wMulDown(valueUsd, wethReserve.ltvWad));
      return mulDivDown(debtUsd, USDC_UNIT, USD);
    };
    expect(openingDebt("maxed")).to.equal(80_000n * USDC_UNIT);
    expect(openingDebt("tight")).to.equal(75_000n * USDC_UNIT);

    // Who was liquidated when: 'maxed' at the 5% step, then 'tight', 'moderate' and 'maxed' again at
    // the step to $1,600 (largest debt first); 'safe' never.
    expect(out.liquidations.map((l) => [l.block, nameOf(l.borrower)])).to.deep.equal([
      [10, "maxed"],
      [20, "tight"],
      [20, "moderate"],
      [20, "maxed"],
    ]);

    // The first liquidation, by hand (interest rates are zero, so the debt is still the opening debt).
    const first = out.liquidations[0];
    if (!first) throw new Error("no liquidation");
    expect(first.borrower).to.equal(address.get("maxed"));
    const p1 = out.blocks[9]?.oraclePriceE8.WETH;
    expect(p1).to.equal(1_900n * USD);
    const price1 = 1_900n * USD;
    const debt = openingDebt("maxed");
    // Health factor = collateral value x liquidation threshold / debt value (collateral rounded down, debt up).
    const collateralUsd = mulDivDown(collateral0, price1, WETH_UNIT);
    const debtUsd = mulDivUp(debt, USD, USDC_UNIT);
    const hf = wDivDown(wMulDown(collateralUsd, wethReserve.liquidationThresholdWad), debtUsd);
    expect(hf).to.equal(979_687_500_000_000_000n); // 0.9796875: below 1, above the 0.95 close-factor line
    expect(hf > rules.closeFactorHfThresholdWad && hf < WAD).to.equal(true);
    // Close factor: at most 50% of the debt value may be repaid.
    const repaid = mulDivDown(wMulDown(debtUsd, rules.closeFactorWad), USDC_UNIT, USD);
    // seized = repaid x debtPrice / collateralPrice x bonus; the protocol keeps 10% of the bonus part.
    const seized = wMulDown(mulDivDown(repaid, USD * WETH_UNIT, price1 * USDC_UNIT), wethReserve.liquidationBonusWad);
    const fee = wMulDown(seized - wDivUp(seized, wethReserve.liquidationBonusWad), wethReserve.liquidationProtocolFeeWad);
    expect([first.healthFactorWad, first.debtRepaid, first.collateralSeized, first.protocolFee]).to.deep.equal([hf, repaid, seized, fee]);
    expect(repaid).to.equal(40_000n * USDC_UNIT); // exactly half of 80,000 USDC
    expect(seized).to.equal(22_105_263_157_894_736_842n); // 40,000 / 1,900 x 1.05 WETH
    expect(fee).to.equal(105_263_157_894_736_842n); // 10% of the 5% bonus part
    // At market prices: $40,000 repaid for $41,800 of WETH to the keeper ($2,000 bonus less the $200 fee).
    expect(first.debtRepaidUsd.toString()).to.equal("40000");
    expect(first.collateralToLiquidatorUsd.toString()).to.equal("41800");
    expect(result.liquidations[0]?.profitUsd).to.equal("1798.425888");

    // Health restored: what is left is 50 - 22.105... WETH against 40,000 USDC, HF 1.093125.
    const hfAfter = wDivDown(wMulDown(mulDivDown(collateral0 - seized, price1, WETH_UNIT), wethReserve.liquidationThresholdWad), mulDivUp(debt - repaid, USD, USDC_UNIT));
    expect(hfAfter).to.equal(1_093_125_000_000_000_000n);
    expect(hfAfter > WAD).to.equal(true);
    // ...and the pool agrees: the episode ended in its own block and nothing was liquidatable until the next step.
    const maxedEpisodes = out.episodes.filter((e) => e.borrower === address.get("maxed"));
    expect(maxedEpisodes.map((e) => [e.startBlock, e.firstLiquidationBlock, e.endBlock])).to.deep.equal([
      [10, 10, 10],
      [20, 20, 20],
    ]);
    for (const b of out.blocks.slice(10, 19)) expect(b.protocols.aave?.liquidatable, `block ${b.block}`).to.equal(0);

    // At $1,600 'maxed' (HF 0.92) and 'tight' (HF 0.88) are at or below 0.95: 100% of the debt is repaid,
    // and each keeps the collateral left over; 'moderate' (HF 0.976) is above it: 50%.
    const [tight, moderate, maxedFull] = out.liquidations.slice(1);
    if (!tight || !moderate || !maxedFull) throw new Error("missing liquidations");
    expect(maxedFull.healthFactorWad).to.equal(920_526_315_789_250_000n);
    expect(tight.healthFactorWad).to.equal(880_000_000_000_000_000n);
    expect(moderate.healthFactorWad).to.equal(976_000_000_009_700_848n);
    for (const l of [maxedFull, tight]) expect(l.healthFactorWad <= rules.closeFactorHfThresholdWad).to.equal(true);
    expect(moderate.healthFactorWad > rules.closeFactorHfThresholdWad).to.equal(true);
    expect(maxedFull.debtRepaid).to.equal(debt - repaid); // the whole remaining 40,000 USDC
    expect(tight.debtRepaid).to.equal(openingDebt("tight")); // the whole 75,000 USDC
    expect(moderate.debtRepaid).to.equal(openingDebt("moderate") / 2n); // half of 67,622.950819 USDC
    expect(maxedFull.collateralSeized).to.equal(26_250_000_000_000_000_000n); // 40,000 / 1,600 x 1.05
    expect(tight.collateralSeized).to.equal(49_218_750_000_000_000_000n); // 75,000 / 1,600 x 1.05

    // On chain at the end: the fully liquidated owe nothing and keep the rest of their WETH; 'moderate'
    // still owes half; 'safe' is untouched; the WETH reserve holds the protocol's four fees.
    const h = (g: string): Holdings => {
      const x = extra.byGroup.get(g);
      if (!x) throw new Error(g);
      return x;
    };
    expect(h("maxed")).to.deep.equal({ wethSupplied: collateral0 - seized - maxedFull.collateralSeized, usdcDebt: 0n });
    expect(h("maxed").wethSupplied).to.equal(1_644_736_842_105_263_158n);
    expect(h("tight")).to.deep.equal({ wethSupplied: 781_250_000_000_000_000n, usdcDebt: 0n });
    expect(h("moderate")).to.deep.equal({ wethSupplied: collateral0 - moderate.collateralSeized, usdcDebt: openingDebt("moderate") - moderate.debtRepaid });
    expect(h("safe")).to.deep.equal({ wethSupplied: collateral0, usdcDebt: openingDebt("safe") });
    expect(extra.wethReserves).to.equal(out.liquidations.reduce((s, l) => s + l.protocolFee, 0n));
    expect(result.summary.liquidations.count).to.equal(4);
    expect(result.summary.liquidations.debtRepaidUsd).to.equal("188811.475409");
    expect(result.summary.badDebt.recordedUsd).to.equal("0");
  });
});
