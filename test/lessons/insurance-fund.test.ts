/**
 * Lesson insurance-fund: in a pooled protocol, bad debt is paid from the debt reserve's reserves (its
 * insurance fund) first and only the rest is socialized to its suppliers. Measured on the pool itself:
 * the fund is emptied to the wei, and the lender's USDC balance falls by exactly the socialized part.
 * A control run with a larger fund (the same positions and the same gap) shows suppliers losing nothing.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import type { RunOutput } from "../../simulator";
import type { Scenario } from "../../simulator/scenario";
import { runBuiltInScenario } from "../helpers/scenarioRun";

const USDC_UNIT = 10n ** 6n;
const SUPPLY = 1_000_000n * USDC_UNIT; // the passive lender's USDC, `initialSupply`
const FUND = 25_000n * USDC_UNIT; // the USDC reserve's insurance fund, `initialReserves`

interface UsdcReserveAtEnd {
  totalSupplyAssets: bigint;
  reservesAssets: bigint;
  recorded: bigint;
  coveredByReserves: bigint;
  socializedToSuppliers: bigint;
  /** The passive lender's (the deployer's) USDC balance in the pool, rounded down as the pool does. */
  lenderBalance: bigint;
}

/** The pool's USDC reserve and the lender's balance at the end of the run, read on chain. */
async function usdcReserveAtEnd(out: RunOutput): Promise<UsdcReserveAtEnd> {
  const { world } = out;
  const p = world.protocols.get("aave");
  const usdc = world.assets.get("USDC");
  if (p?.kind !== "pooled" || !usdc) throw new Error("scenario has no aave/USDC");
  const state = await p.pool.read(world.chain, "getReserveState", [usdc.token.address]);
  const bad = await p.pool.read(world.chain, "getReserveBadDebt", [
    usdc.token.address,
  ]);
  const [, , lenderBalance] = await p.pool.read(world.chain, "getUserReserve", [usdc.token.address, world.deployer]);
  return {
    totalSupplyAssets: state.totalSupplyAssets,
    reservesAssets: state.reservesAssets,
    recorded: bad.recorded,
    coveredByReserves: bad.coveredByReserves,
    socializedToSuppliers: bad.socializedToSuppliers,
    lenderBalance,
  };
}

/** The scenario with the USDC reserve's insurance fund set to `fund` (native units). */
function withFund(fund: bigint): (s: Scenario) => Scenario {
  return (s) => ({
    ...s,
    protocols: s.protocols.map((p) =>
      p.type === "pooled" ? { ...p, reserves: p.reserves.map((r) => (r.asset === "USDC" ? { ...r, initialReserves: fund } : r)) } : p,
    ),
  });
}

describe("lesson: insurance-fund", function () {
  this.timeout(120_000);

  it("a 40% gap leaves $108,414.63 of bad debt: the $25,000 fund pays first, all of it; suppliers are haircut the other $83,414.63 (8.34% of their supply)", async () => {
    const { out, result, extra } = await runBuiltInScenario("insurance-fund", { inspect: usdcReserveAtEnd });
    const bd = result.summary.badDebt;
    expect(bd.recordedUsd).to.equal("108414.631201");
    expect(bd.absorbedUsd.reserves).to.equal("25000");
    expect(bd.absorbedUsd.suppliers).to.equal("83414.631201");
    expect(bd.latentMarketUsd).to.equal("0");
    // All ten positions were gapped past the point where collateral covers debt + bonus: each was
    // liquidated in the gap block and left debt behind.
    expect(result.summary.liquidations.count).to.equal(10);
    expect(out.liquidations.every((l) => l.block === 10 && l.delayBlocks === 0)).to.equal(true);
    expect(out.badDebt.length).to.equal(10);

    // The bad debt is larger than the fund; the fund took exactly all it had, suppliers the rest.
    expect(extra.recorded).to.equal(108_414_631_201n);
    expect(extra.recorded > FUND).to.equal(true);
    expect(extra.coveredByReserves).to.equal(FUND);
    expect(extra.reservesAssets).to.equal(0n);
    expect(extra.socializedToSuppliers).to.equal(extra.recorded - FUND);
    // Write-offs in order: the fund pays each one until it is empty; nothing is socialized before that.
    let covered = 0n;
    for (const b of out.badDebt) {
      if (b.absorbedBy.suppliers.amount > 0n) expect(covered + b.absorbedBy.reserves.amount, `write-off of ${b.borrower}`).to.equal(FUND);
      covered += b.absorbedBy.reserves.amount;
    }
    expect(out.badDebt.map((b) => b.absorbedBy.reserves.amount > 0n)).to.deep.equal([true, true, false, false, false, false, false, false, false, false]);

    // The haircut, on chain: the USDC supply (and the one lender's balance in it) fell by exactly the
    // socialized amount (the balance is rounded down by the pool: at most a wei less).
    expect(extra.totalSupplyAssets).to.equal(SUPPLY - extra.socializedToSuppliers);
    expect(SUPPLY - extra.lenderBalance - extra.socializedToSuppliers).to.be.within(0n, 1n);
    expect(extra.lenderBalance).to.equal(916_585_368_799n);
    const haircutPct = new Decimal(extra.socializedToSuppliers.toString()).div(SUPPLY.toString()).times(100);
    expect(haircutPct.toString()).to.equal("8.3414631201");
  });

  it("control: the same gap with a $150,000 fund: the fund absorbs all $108,414.63 and suppliers lose nothing", async () => {
    const { result, extra } = await runBuiltInScenario("insurance-fund", { edit: withFund(150_000n * USDC_UNIT), inspect: usdcReserveAtEnd });
    const bd = result.summary.badDebt;
    // The fund does not change the liquidations, so the bad debt is the same...
    expect(bd.recordedUsd).to.equal("108414.631201");
    // ...but now all of it is absorbed and none reaches the suppliers.
    expect(bd.absorbedUsd.reserves).to.equal(bd.recordedUsd);
    expect(bd.absorbedUsd.suppliers).to.equal("0");
    expect(extra.socializedToSuppliers).to.equal(0n);
    expect(extra.reservesAssets).to.equal(150_000n * USDC_UNIT - extra.recorded);
    expect(extra.totalSupplyAssets).to.equal(SUPPLY);
    expect(extra.lenderBalance).to.equal(SUPPLY);
  });
});
