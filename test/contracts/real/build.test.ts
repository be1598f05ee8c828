/**
 * The build of the real protocols from their npm packages: kept by input hash (a second compile does
 * nothing), libraries linked by name, and nothing compiled from outside node_modules.
 */
import { expect } from "chai";
import path from "node:path";
import { compileRealProtocols, linkBytecode, linkedLibraries, realArtifacts, realContract, AAVE_V3_6, MORPHO_BLUE_1_0 } from "../../../simulator/build";
import { collectSources } from "../../../simulator/build/collectSources";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("real protocols build", () => {
  it("compiles nothing when the packages, compilers and settings are unchanged (hardhat compile already built them)", () => {
    const lines: string[] = [];
    expect(compileRealProtocols(ROOT, (line) => lines.push(line))).to.deep.equal([]);
    expect(lines).to.deep.equal([]);
  });

  it("keeps Aave V3.6 compiled with solc 0.8.28 and Morpho Blue 1.0.0 with solc 0.8.19, from the npm sources only", () => {
    expect(realArtifacts("aave-v3.6").compilerVersion).to.match(/^0\.8\.28\+commit\.7893614a/);
    expect(realArtifacts("morpho-blue-1.0").compilerVersion).to.match(/^0\.8\.19\+commit\.7dd6d404/);
    const aave = Object.keys(collectSources(AAVE_V3_6, ROOT));
    expect(aave.every((unit) => unit.startsWith("@aave-dao/aave-v3-origin/src/") || unit.startsWith("@openzeppelin/contracts/"))).to.equal(true);
    expect(aave.some((unit) => unit.startsWith("@openzeppelin/contracts/"))).to.equal(true);
    expect(Object.keys(collectSources(MORPHO_BLUE_1_0, ROOT)).every((unit) => unit.startsWith("@morpho-org/morpho-blue/src/"))).to.equal(true);
  });

  it("links the pool's five logic libraries at each placeholder, and refuses a missing one", () => {
    const pool = realContract("aave-v3.6", "PoolInstance");
    const names = linkedLibraries(pool);
    expect(names).to.deep.equal(["BorrowLogic", "FlashLoanLogic", "LiquidationLogic", "PoolLogic", "SupplyLogic"]);
    const addresses = Object.fromEntries(names.map((name, i) => [name, `0x${String(i + 1).repeat(40)}` as const]));
    const linked = linkBytecode(pool, addresses);
    expect(linked).to.not.include("__$");
    expect(linked.length).to.equal(pool.bytecode.length + 2);
    const spans = Object.values(pool.linkReferences).flatMap((byLibrary) => Object.entries(byLibrary).flatMap(([name, s]) => s.map((span) => ({ name, ...span }))));
    for (const { name, start } of spans) expect(linked.slice(2 + start * 2, 2 + start * 2 + 40)).to.equal(addresses[name]?.slice(2));
    expect(() => linkBytecode(pool, {})).to.throw("library BorrowLogic has no address to link");
  });
});
