/**
 * simulator/scenario/kinds: each protocol kind's scenario-layer module, as the rest of the code asks it
 * (`scenarioKind(type)`) instead of comparing kinds. On cross-vs-isolated-margin (a pool "aave" with
 * WETH, MEME and USDC reserves; an isolated "morpho" with WETH/USDC and MEME/USDC markets; every group
 * 60% WETH and 40% MEME): the table has a module per schema kind that answers only for its own kind, the
 * places that read feeds with a maximum price age, the positions a borrower opens, and the words.
 */
import { expect } from "chai";
import path from "node:path";
import { loadScenarioFile, scenarioKind, type Scenario } from "../../simulator/scenario";
import { protocolKinds } from "../../simulator/scenario/kinds";

const SCENARIO = path.join(__dirname, "..", "..", "scenarios", "cross-vs-isolated-margin.json");

function protocol(s: Scenario, name: string) {
  const p = s.protocols.find((x) => x.name === name);
  if (p === undefined) throw new Error(`no protocol ${name}`);
  return p;
}

describe("scenario: protocol kinds", () => {
  const s = loadScenarioFile(SCENARIO);

  it("the table has one module per kind of the schema's discriminant, each answering only for its own kind", () => {
    expect(protocolKinds()).to.deep.equal(["pooled", "isolated", "perp"]);
    expect(s.protocols.map((p) => p.type)).to.deep.equal(["pooled", "isolated"]);
    expect(scenarioKind("pooled").feedReaders(protocol(s, "morpho"), 1)).to.deep.equal([]);
    expect(scenarioKind("isolated").feedReaders(protocol(s, "aave"), 0)).to.deep.equal([]);
    expect(scenarioKind("perp").feedReaders(protocol(s, "aave"), 0)).to.deep.equal([]);
  });

  it("feed readers: every reserve of the pool (one position across them), every market with its own key and switch", () => {
    const pooled = scenarioKind("pooled").feedReaders(protocol(s, "aave"), 0);
    expect(pooled.map((r) => [r.market, r.label, r.maxPriceAgeSeconds, r.refusesStale, r.feeds])).to.deep.equal([
      [null, "aave that use its WETH reserve", 3600, false, ["WETH"]],
      [null, "aave that use its MEME reserve", 3600, false, ["MEME"]],
      [null, "aave that use its USDC reserve", 3600, false, ["USDC"]],
    ]);
    expect(pooled[1]?.switchPath).to.deep.equal(["protocols", 0, "liquidation", "liquidationsAcceptStalePrice"]);
    const isolated = scenarioKind("isolated").feedReaders(protocol(s, "morpho"), 1);
    expect(isolated.map((r) => [r.market, r.label, r.feeds])).to.deep.equal([
      ["WETH/USDC", "morpho WETH/USDC", ["WETH", "USDC"]],
      ["MEME/USDC", "morpho MEME/USDC", ["MEME", "USDC"]],
    ]);
    expect(isolated[1]?.switchPath).to.deep.equal(["protocols", 1, "markets", 1, "liquidationsAcceptStalePrice"]);
  });

  it("positions per borrower: one cross-margin account in the pool, one per collateral market in the isolated protocol", () => {
    const [crossThin, , isolatedThin] = s.borrowers;
    if (crossThin === undefined || isolatedThin === undefined) throw new Error("groups missing");
    expect(scenarioKind("pooled").positionsPerBorrower(protocol(s, "aave"), crossThin)).to.equal(1);
    expect(scenarioKind("isolated").positionsPerBorrower(protocol(s, "morpho"), isolatedThin)).to.equal(2);
  });

  it("words: the protocol noun, where a loss is (with the market where the kind has markets), who absorbed it", () => {
    const pooled = scenarioKind("pooled").words;
    const isolated = scenarioKind("isolated").words;
    expect([pooled.protocol, isolated.protocol]).to.deep.equal(["pool", "market"]);
    expect(pooled.place("aave", null)).to.equal("aave");
    expect(isolated.place("morpho", "MEME/USDC")).to.equal("morpho MEME/USDC");
    expect([pooled.position, pooled.liability, pooled.loss.reserves, pooled.loss.suppliers]).to.deep.equal(["position", "debt", "the protocol's reserves", "its suppliers"]);
  });
});
