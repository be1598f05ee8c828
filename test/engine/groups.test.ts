/**
 * summary.groups: what each borrower group put in and lost, measured on the in-process chain against
 * positions whose figures are exact by construction (no interest, round prices): one borrower with
 * 5 WETH at $2,000 and 7,500 USDC of debt (health factor 1.1 at an 82.5% threshold), so its deposit is
 * exactly $2,500.
 */
import { expect } from "chai";
import { onSnapshot } from "../helpers/scenarioRun";
import { parseScenario, resultOf, runScenario, type RunResultJson } from "../../simulator";

function scenarioJson(stepPriceUsd: string, extra: Record<string, unknown> = {}): unknown {
  return {
    schemaVersion: 1,
    name: "groups",
    description: "One borrower, no interest, one price step.",
    seed: 1,
    blocks: 3,
    assets: [
      { symbol: "WETH", decimals: 18, priceUsd: "2000" },
      { symbol: "USDC", decimals: 6, priceUsd: "1" },
    ],
    feeds: [{ asset: "WETH", deviationBps: 1 }],
    market: [{ asset: "WETH", segments: [{ type: "step", atBlock: 2, priceUsd: stepPriceUsd }] }],
    protocols: [
      {
        type: "pooled",
        name: "aave",
        reserves: [
          { asset: "WETH", ltvPct: 80, liquidationThresholdPct: 82.5, liquidationBonusPct: 5, slope1Pct: 0, slope2Pct: 0 },
          { asset: "USDC", ltvPct: 0, liquidationThresholdPct: 0, liquidationBonusPct: 0, slope1Pct: 0, slope2Pct: 0, initialSupply: "1000000" },
        ],
      },
    ],
    borrowers: [
      { name: "longs", protocol: "aave", count: 1, collateral: "WETH", debt: "USDC", collateralUsd: { min: 10000, max: 10000 }, healthFactor: { min: 1.1, max: 1.1 } },
    ],
    ...extra,
  };
}

function run(json: unknown): Promise<RunResultJson> {
  return onSnapshot(async () => {
    const out = await runScenario(parseScenario(json, { baseDir: __dirname }), { check: true });
    expect(out.complete, out.error).to.equal(true);
    return resultOf(out);
  });
}

describe("summary.groups: who put in what and who lost it", function () {
  this.timeout(60_000);

  it("a 5% fall costs a 4x-levered borrower 20% of its $2,500 deposit, and its lenders nothing", async () => {
    const r = await run(scenarioJson("1900"));
    expect(r.summary.groups).to.deep.equal([
      {
        name: "longs",
        kind: "borrowers",
        protocols: ["aave"],
        holders: 1,
        depositUsd: "2500",
        addedUsd: "0",
        endEquityUsd: "2000",
        lossUsd: "500",
        lossPct: "20",
        borrowerLossUsd: "500",
        lendersLossUsd: "0",
        holdersLiquidated: 0,
        liquidations: 0,
        firstLiquidationBlock: null,
      },
    ]);
  });

  it("a 50% gap with no keepers loses 200% of the deposit: 100% the borrower's, 100% its lenders' (latent bad debt)", async () => {
    const r = await run(scenarioJson("1000"));
    const g = r.summary.groups[0];
    // Collateral 5 WETH x $1,000 = $5,000 against $7,500 of debt: equity -$2,500.
    expect(g?.endEquityUsd).to.equal("-2500");
    expect(g?.borrowerLossUsd).to.equal("2500");
    expect(g?.lendersLossUsd).to.equal("2500");
    expect(g?.lossUsd).to.equal("5000");
    expect(g?.lossPct).to.equal("200");
    // The lenders' share is exactly the run's latent bad debt at market prices.
    expect(r.summary.badDebt.latentMarketUsd).to.equal("2500");
  });

  it("with a prompt keeper the same gap is liquidated: lenders' loss equals the recorded plus latent bad debt, and the loss adds up", async () => {
    const r = await run(
      scenarioJson("1000", {
        liquidators: [{ name: "keeper", capital: [{ asset: "USDC", amount: "100000" }] }],
      }),
    );
    const g = r.summary.groups[0];
    expect(g?.holdersLiquidated).to.equal(1);
    expect(g?.firstLiquidationBlock).to.equal(2);
    // At block 2's market price the position was deep underwater: 5 x $1,000 x 0.825 / $7,500 = 0.55.
    expect(r.liquidations[0]?.marketHealthBeforeWad).to.equal("550000000000000000");
    expect(g?.liquidations).to.equal(r.summary.liquidations.count);
    expect(g?.lendersLossUsd).to.equal(r.summary.badDebt.totalUsd);
    // The keeper takes all the collateral (with its 5% bonus) and the rest of the debt is written off:
    // the borrower is left with nothing, its lenders with the write-off, larger than without the keeper's bonus.
    expect(g?.endEquityUsd).to.equal("0");
    expect(g?.borrowerLossUsd).to.equal("2500");
    expect(g?.lendersLossUsd).to.equal(r.summary.badDebt.recordedUsd);
    expect(Number(r.summary.badDebt.recordedUsd)).to.be.greaterThan(2500);
    expect(Number(g?.lossUsd)).to.equal(2500 + Number(r.summary.badDebt.recordedUsd));
  });

  it("a wrong USDC price ($1.30) liquidates a position that was healthy at market prices: marketHealthFactorWad stays 1.1", async () => {
    const r = await run(
      scenarioJson("2000", {
        liquidators: [{ name: "keeper", capital: [{ asset: "USDC", amount: "100000" }] }],
        events: [{ type: "feedWrongPrice", asset: "USDC", fromBlock: 2, toBlock: 2, priceUsd: "1.3" }],
      }),
    );
    expect(r.liquidations.length).to.be.at.least(1);
    const first = r.liquidations[0];
    expect(first?.block).to.equal(2);
    // The oracle saw 10,000 x 0.825 / (7,500 x 1.3) = 0.846; the market, 10,000 x 0.825 / 7,500 = 1.1.
    expect(first?.marketHealthBeforeWad).to.equal("1100000000000000000");
    expect(BigInt(first?.healthBeforeWad ?? "0") < 10n ** 18n).to.equal(true);
    // Below health factor 0.95 the whole debt may be repaid, valued at $1.30 a dollar: the keeper's
    // claim (debt x 1.3 x 1.05 bonus) exceeds the 5 WETH, so it takes all of it, the pool writes off the
    // rest, and the wrong price costs the borrower its whole position and the lenders the write-off.
    const g = r.summary.groups[0];
    expect(g?.borrowerLossUsd).to.equal("2500");
    expect(Number(g?.lendersLossUsd)).to.be.greaterThan(0);
    expect(g?.lendersLossUsd).to.equal(r.summary.badDebt.recordedUsd);
  });
});
