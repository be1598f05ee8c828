/**
 * The library as README's "Library use" shows it: a scenario built in code as a typed
 * `ScenarioFileInput` (no file, no base folder), parsed, run in-process and checked on exact figures.
 * The README's example is this file's marked block, word for word (checked below), so the README's
 * code compiles and passes whenever this test does. Also: a `csv` segment with a relative path and no
 * base folder is one issue naming the segment's `file`.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
// README example: start
import { parseScenario, resultOf, runScenario, type ScenarioFileInput } from "../../simulator";

const gap: ScenarioFileInput = {
  schemaVersion: 1,
  name: "gap-in-code",
  description: "Two WETH-backed USDC loans at health factor 1.2; WETH gaps from $2,000 to $1,000 at block 5.",
  seed: 1,
  blocks: 10,
  assets: [
    { symbol: "WETH", decimals: 18, priceUsd: "2000" },
    { symbol: "USDC", decimals: 6, priceUsd: "1" },
  ],
  market: [{ asset: "WETH", segments: [{ type: "step", atBlock: 5, priceUsd: "1000" }] }],
  protocols: [
    {
      type: "pooled",
      name: "pool",
      reserves: [
        { asset: "WETH", ltvPct: 80, liquidationThresholdPct: 82.5, liquidationBonusPct: 5 },
        { asset: "USDC", ltvPct: 75, liquidationThresholdPct: 78, liquidationBonusPct: 4.5, slope1Pct: 0, initialSupply: "100000" },
      ],
    },
  ],
  borrowers: [
    {
      name: "longs",
      protocol: "pool",
      count: 2,
      collateral: "WETH",
      debt: "USDC",
      collateralUsd: { min: 10000, max: 10000 },
      healthFactor: { min: 1.2, max: 1.2 },
    },
  ],
  liquidators: [{ name: "keeper", capital: [{ asset: "USDC", amount: "100000" }] }],
};

it("a 50% gap leaves bad debt even with an instant keeper", async () => {
  const run = await runScenario(parseScenario(gap)); // the test's in-process chain
  const result = resultOf(run);
  expect(result.summary.liquidations.count).to.equal(2);
  // Each loan: 5 WETH, 6,875 USDC owed (10,000 x 82.5% / 1.2), no interest (slope1Pct 0). At $1,000 the
  // keeper repays 5,000 / 1.05 and seizes all 5 WETH; the pool writes off the rest, 2,113.095238 each.
  expect(result.summary.badDebt.recordedUsd).to.equal("4226.190476");
});
// README example: end

describe("library use (README)", () => {
  it("README's example is this file's marked block", () => {
    const readme = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Library use"));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const source = readFileSync(__filename, "utf8");
    const marked = source.slice(source.indexOf("// README example: start\n") + 25, source.indexOf("// README example: end"));
    // README's snippet sits in test/, one folder up from this file.
    expect(block).to.equal(marked.replace('from "../../simulator"', 'from "../simulator"'));
  });

  it("refuses a relative csv file without a base folder, naming the segment's file", () => {
    const csv: ScenarioFileInput = { ...gap, market: [{ asset: "WETH", segments: [{ type: "csv", file: "weth.csv" }] }] };
    expect(() => parseScenario(csv)).to.throw(
      'market[0].segments[0].file: "weth.csv" is relative, and no base folder was given (parseScenario\'s baseDir option) to resolve it against',
    );
  });

  it("reads an absolute csv file without a base folder, and a relative one against baseDir", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "liqsim-library-"));
    writeFileSync(path.join(dir, "weth.csv"), "block,priceUsd\n1,2000\n6,1000\n");
    const absolute: ScenarioFileInput = { ...gap, market: [{ asset: "WETH", segments: [{ type: "csv", file: path.join(dir, "weth.csv") }] }] };
    expect(parseScenario(absolute).market[0]?.segments[0]).to.deep.equal({ type: "csv", file: path.join(dir, "weth.csv") });
    const relative: ScenarioFileInput = { ...gap, market: [{ asset: "WETH", segments: [{ type: "csv", file: "weth.csv" }] }] };
    expect(parseScenario(relative, { baseDir: dir }).market[0]?.segments[0]).to.deep.equal({ type: "csv", file: path.join(dir, "weth.csv") });
  });
});
