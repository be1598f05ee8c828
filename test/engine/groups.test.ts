/**
 * summary.groups: what each borrower group put in and lost, measured on the in-process chain against
 * positions whose figures are exact by construction (no interest, round prices): one borrower with
 * 5 WETH at $2,000 and 7,500 USDC of debt (health factor 1.1 at an 82.5% threshold), so its deposit is
 * exactly $2,500.
 */
import { expect } from "chai";
import { network } from "hardhat";
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

async function run(json: unknown): Promise<RunResultJson> {
  const snapshot = (await network.provider.send("evm_snapshot")) as string;
  try {
    const out = await runScenario(parseScenario(json, { baseDir: __dirname }), { check: true });
    expect(out.complete, out.error).to.equal(true);
    return resultOf(out);
  } finally {
    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("evm_setAutomine", [true]);
  }
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
});
