/**
 * Market price paths: each segment kind gives the exact prices its definition says, GBM paths are
 * seeded (same seed, same path; another seed, another path) and stay positive.
 */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Decimal from "decimal.js";
import { buildMarketPaths } from "../../simulator/engine/marketPath";
import type { PathSegment, Scenario } from "../../simulator/scenario/types";

const E8 = 10n ** 8n;
const WAD = 10n ** 18n;

function scenarioWith(segments: PathSegment[], blocks = 10, seed = 1n): Scenario {
  return {
    schemaVersion: 1,
    name: "paths",
    description: "paths",
    seed,
    blocks,
    blockTimeSeconds: 12,
    blockGasLimit: 30_000_000n,
    startTimestamp: 1_700_000_000n,
    assets: [{ symbol: "ETH", decimals: 18, initialPriceE8: 2000n * E8 }],
    feeds: [],
    market: [{ asset: "ETH", segments }],
    protocols: [],
    amms: [],
    oracles: [],
    loopers: [],
    arbitrageurs: [],
    borrowers: [],
    liquidators: [],
    events: [],
    warnings: [],
  };
}

function path0(segments: PathSegment[], blocks = 10, seed = 1n): bigint[] {
  const p = buildMarketPaths(scenarioWith(segments, blocks, seed)).get("ETH");
  if (!p) throw new Error("no path");
  return p;
}

const usd = (n: number) => BigInt(n) * E8;

describe("market price paths", () => {
  it("step: the new price from its block on", () => {
    expect(path0([{ type: "step", atBlock: 4, priceE8: usd(1500) }], 6)).to.deep.equal(
      [2000, 2000, 2000, 2000, 1500, 1500, 1500].map(usd),
    );
  });

  it("ramp: linear from the price before it to the target, then holds", () => {
    expect(path0([{ type: "ramp", fromBlock: 2, toBlock: 5, toPriceE8: usd(1600) }], 7)).to.deep.equal(
      [2000, 2000, 1900, 1800, 1700, 1600, 1600, 1600].map(usd),
    );
  });

  it("flashCrash: drops at its block and heals linearly over recoverBlocks", () => {
    // -40% at block 3, healing over 4 blocks: -40%, -30%, -20%, -10%, 0%.
    expect(path0([{ type: "flashCrash", atBlock: 3, dropWad: (4n * WAD) / 10n, recoverBlocks: 4 }], 9)).to.deep.equal(
      [2000, 2000, 2000, 1200, 1400, 1600, 1800, 2000, 2000, 2000].map(usd),
    );
  });

  it("later segments apply to what earlier ones left", () => {
    expect(
      path0(
        [
          { type: "step", atBlock: 2, priceE8: usd(1000) },
          { type: "ramp", fromBlock: 4, toBlock: 5, toPriceE8: usd(2000) },
        ],
        6,
      ),
    ).to.deep.equal([2000, 2000, 1000, 1000, 1500, 2000, 2000].map(usd));
  });

  it("csv: listed prices, each holding until the next listed block", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "liqsim-csv-"));
    const file = path.join(dir, "eth.csv");
    writeFileSync(file, "block,priceUsd\n2,1900.5\n5,1700\n");
    expect(path0([{ type: "csv", file }], 6)).to.deep.equal([usd(2000), usd(2000), 190_050_000_000n, 190_050_000_000n, 190_050_000_000n, usd(1700), usd(1700)]);
  });

  it("gbm: seeded (same seed, same path; another seed, another), positive, and flat outside its window", () => {
    const gbm: PathSegment = {
      type: "gbm",
      fromBlock: 3,
      toBlock: 200,
      annualDrift: new Decimal(0),
      annualVolatility: new Decimal("1.5"),
      jumpsPerYear: new Decimal(20_000),
      jumpMean: new Decimal("-0.05"),
      jumpStd: new Decimal("0.02"),
    };
    const a = path0([gbm], 220, 7n);
    const b = path0([gbm], 220, 7n);
    const c = path0([gbm], 220, 8n);
    expect(a).to.deep.equal(b);
    expect(a).to.not.deep.equal(c);
    expect(a.slice(0, 3)).to.deep.equal([usd(2000), usd(2000), usd(2000)]);
    expect(a.every((p) => p > 0n)).to.equal(true);
    expect(new Set(a.slice(3, 201)).size).to.be.greaterThan(150);
    expect(a.slice(200)).to.deep.equal(new Array<bigint>(21).fill(a[200] as bigint));
  });
});
