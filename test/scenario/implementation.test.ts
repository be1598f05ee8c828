/**
 * The implementation switch: each protocol's `implementation` in the scenario file (mock by default)
 * becomes its normalized `venue`, the id the venue registry is keyed by; `--implementation real` puts
 * every protocol of a run on the real protocol of its type, `mock` every one on liqsim's mocks; a bad
 * value is one line naming the field or the argument.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { implementationArg } from "../../simulator/cli/args";
import { UsageError } from "../../simulator/cli/errors";
import { parseSimulateArgs } from "../../simulator/cli/simulate";
import { ScenarioError, applyOverrides, loadScenarioFile, parseScenario } from "../../simulator/scenario";
import { venueOf } from "../../simulator/venues";

const SCENARIO = path.join(__dirname, "..", "..", "scenarios", "isolated-vs-pooled.json");
const FILE = JSON.parse(readFileSync(SCENARIO, "utf8")) as { protocols: Record<string, unknown>[] };

function withImplementations(pooled: unknown, isolated: unknown): unknown {
  const doc = structuredClone(FILE);
  for (const p of doc.protocols) {
    const value = p.type === "pooled" ? pooled : isolated;
    if (value !== undefined) p.implementation = value;
  }
  return doc;
}

describe("scenario: the implementation switch", () => {
  it("defaults to the mocks: each protocol's venue is its type", () => {
    const s = loadScenarioFile(SCENARIO);
    expect(s.protocols.map((p) => [p.name, p.type, p.venue])).to.deep.equal([
      ["aave", "pooled", "pooled"],
      ["morpho", "isolated", "isolated"],
    ]);
  });

  it("a protocol's implementation names its venue; the rest of the spec is unchanged but Aave's bad-debt model (deficit)", () => {
    const mock = loadScenarioFile(SCENARIO);
    const real = parseScenario(withImplementations("aave-v3.6", "morpho-blue-1.0"), { baseDir: path.dirname(SCENARIO) });
    expect(real.protocols.map((p) => p.venue)).to.deep.equal(["aave-v3.6", "morpho-blue-1.0"]);
    // The rest is the mock's, but for who absorbs bad debt: Aave V3.6 books a deficit.
    expect(real.protocols.map((p) => (p.type === "pooled" ? p.badDebt : undefined))).to.deep.equal(["deficit", undefined]);
    expect(real.protocols.map((p) => ({ ...p, venue: p.type, ...(p.type === "pooled" ? { badDebt: "haircut" } : {}) }))).to.deep.equal(mock.protocols);
    const explicitMock = parseScenario(withImplementations("mock", "mock"), { baseDir: path.dirname(SCENARIO) });
    expect(explicitMock).to.deep.equal(mock);
  });

  it("aave-v3.6 with badDebt \"haircut\" is refused, naming the field (Aave books a deficit); \"deficit\" is accepted", () => {
    const doc = withImplementations("aave-v3.6", undefined) as { protocols: Record<string, unknown>[] };
    const pooled = doc.protocols.find((p) => p.type === "pooled");
    if (!pooled) throw new Error("no pooled protocol");
    pooled.badDebt = "haircut";
    expect(() => parseScenario(doc, { baseDir: path.dirname(SCENARIO) })).to.throw(ScenarioError, 'protocols[0].badDebt: aave-v3.6 books bad debt as the reserve\'s deficit: "haircut" is liqsim\'s pool\'s (implementation "mock")');
    pooled.badDebt = "deficit";
    expect(parseScenario(doc, { baseDir: path.dirname(SCENARIO) }).protocols[0]).to.include({ venue: "aave-v3.6", badDebt: "deficit" });
  });

  it("rejects an implementation of another type, naming the field", () => {
    const bad = () => parseScenario(withImplementations("morpho-blue-1.0", "aave-v3.6"), { baseDir: path.dirname(SCENARIO) });
    expect(bad).to.throw(ScenarioError);
    try {
      bad();
    } catch (e) {
      const lines = (e as ScenarioError).message.split("\n");
      expect(lines.some((l) => l.includes("protocols[0].implementation"))).to.equal(true);
      expect(lines.some((l) => l.includes("protocols[1].implementation"))).to.equal(true);
    }
  });

  it("--implementation real puts every protocol on the real code of its type; mock puts them back", () => {
    const mock = loadScenarioFile(SCENARIO);
    const real = applyOverrides(mock, { implementation: "real" });
    expect(real.protocols.map((p) => p.venue)).to.deep.equal(["aave-v3.6", "morpho-blue-1.0"]);
    expect(applyOverrides(real, { implementation: "mock" })).to.deep.equal(mock);
    expect(applyOverrides(mock, {})).to.deep.equal(mock);
  });

  it("the command line reads --implementation mock|real and rejects anything else in one line", () => {
    expect(parseSimulateArgs(["s.json", "--implementation", "real"]).implementation).to.equal("real");
    expect(parseSimulateArgs(["s.json"]).implementation).to.equal(undefined);
    expect(() => implementationArg("aave")).to.throw(UsageError, '--implementation: must be one of mock, real, got "aave"');
  });

  it("the registry is keyed by venue id: the mocks by their type", () => {
    expect(venueOf("pooled").kind).to.equal("pooled");
    expect(venueOf("isolated").kind).to.equal("isolated");
  });

  it("a looper's leg on real code is one line naming it, from the file or from --implementation real", () => {
    const unwind = loadScenarioFile(path.join(__dirname, "..", "..", "scenarios", "leveraged-loop-unwind.json"));
    expect(() => applyOverrides(unwind, { implementation: "real" })).to.throw(
      ScenarioError,
      "loopers[0].legs[0]: aave runs on aave-v3.6: loopers' vaults call liqsim's mocks only\nloopers[0].legs[1]: morpho runs on morpho-blue-1.0: loopers' vaults call liqsim's mocks only",
    );
  });
});
