/**
 * The Aave V3.6 venue end to end: price-gap run on liqsim's pool and, on the same chain reverted, with its
 * pooled protocol on the real Aave V3.6 (`npm run differential`, both runs under --check: the venue's
 * invariants, the model's six account values against `getUserAccountData` included, hold after every
 * block). The same 40 positions are liquidated in block 10 on both; 6 liquidations agree to the wei and
 * 34 differ by Aave's half-up rounding only (docs/real-protocols.md: 1 wei of repaid, seized or fee, 1 or
 * 2 wei of the bad debt). The pool writes the bad debt off (haircut); Aave leaves it as the reserve's
 * deficit, and a run's records say so. isolated-vs-pooled (cross-margin accounts over WETH and MEME, a USDC
 * reserve that is not collateral) agrees the same way.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Chain } from "../../simulator/chain";
import { differential } from "../../simulator/cli/differential";
import { Sink } from "../helpers/cli";
import { runBuiltInScenario } from "../helpers/scenarioRun";

const ROOT = path.join(__dirname, "..", "..");
const PRICE_GAP = path.join(ROOT, "scenarios", "price-gap.json");

interface Side {
  block: number;
  repaid: string;
  seized: string;
  protocolFee: string;
  badDebt: string;
}

interface DifferentialJson {
  agree: boolean;
  protocols: { name: string; mock: string; real: string }[];
  counts: Record<string, number>;
  liquidations: { protocol: string; borrower: string; status: string; mock: Side & { gasCostUsd: string }; real: Side & { gasCostUsd: string } }[];
}

async function runDifferential(file: string): Promise<{ code: number; out: DifferentialJson; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await differential([file, "--json"], { cwd: ROOT, stdout, stderr, chain: await Chain.connect() });
  return { code, out: JSON.parse(stdout.text) as DifferentialJson, stderr: stderr.text };
}

const figures = (s: Side | undefined) => s && { block: s.block, repaid: s.repaid, seized: s.seized, protocolFee: s.protocolFee, badDebt: s.badDebt };

describe("Aave V3.6 venue: price-gap on the pool and on Aave", function () {
  this.timeout(600_000);

  it("the same 40 liquidations in block 10: 6 equal to the wei, 34 within Aave's 1-wei rounding, none differ (exit 0)", async () => {
    const { code, out, stderr } = await runDifferential(PRICE_GAP);
    expect(code, stderr).to.equal(0);
    expect(out.protocols).to.deep.equal([{ name: "aave", mock: "pooled", real: "aave-v3.6" }]);
    expect(out.counts).to.deep.equal({ equal: 6, withinRounding: 34, differs: 0, onlyMock: 0, onlyReal: 0 });
    expect(new Set(out.liquidations.map((l) => l.mock.block))).to.deep.equal(new Set([10]));
    // All collateral seized below HF 0.95, as in the single-borrower gap story: the same figures on both.
    const first = out.liquidations[0];
    expect(first?.borrower).to.equal("0x44328da57bf7361a3e3445cecbd8b61acbdcf7a7");
    expect(figures(first?.mock)).to.deep.equal({ block: 10, repaid: "46027294715", seized: "43935144954925000000", protocolFee: "209214975975833333", badDebt: "16979967591" });
    expect(figures(first?.real)).to.deep.equal(figures(first?.mock));
    // A rounding difference: the pool rounds the repayment up, Aave's percentDivCeil of a value rounded
    // down comes out 1 wei less; Aave's half-up fee is 1 wei more; the deficit is 1 wei more than the write-off.
    const third = out.liquidations[2];
    expect(third?.borrower).to.equal("0x8391ca76c6a02ff6004f796d0976ab72f45250d2");
    expect(figures(third?.mock)).to.deep.equal({ block: 10, repaid: "48584480304", seized: "46376094835175000000", protocolFee: "220838546834166666", badDebt: "8357240903" });
    expect(figures(third?.real)).to.deep.equal({ block: 10, repaid: "48584480303", seized: "46376094835175000000", protocolFee: "220838546834166667", badDebt: "8357240904" });
    // Aave's liquidations cost more gas (docs/real-protocols.md: 8% more on the single-borrower story).
    expect(Number(first?.real.gasCostUsd)).to.be.greaterThan(Number(first?.mock.gasCostUsd));
  });

  it("on Aave, each write-off is the reserve's deficit: nothing covered by reserves or taken from suppliers (schema 2 losses: all absorbed by deficit), 36 of them (the 4 other positions' collateral covered their debt)", async () => {
    const { result } = await runBuiltInScenario("price-gap", {
      edit: (s) => ({ ...s, protocols: s.protocols.map((p) => (p.type === "pooled" ? { ...p, venue: "aave-v3.6", badDebt: "deficit" } : p)) }),
    });
    expect(result.losses.length).to.equal(36);
    for (const b of result.losses) {
      expect([b.absorbedBy.reserves.amount, b.absorbedBy.suppliers.amount]).to.deep.equal(["0", "0"]);
      expect(b.absorbedBy.deficit.amount).to.equal(b.amount);
    }
    expect(result.summary.badDebt.absorbedUsd.reserves).to.equal("0");
    expect(result.summary.badDebt.absorbedUsd.suppliers).to.equal("0");
    expect(Number(result.summary.badDebt.recordedUsd)).to.be.greaterThan(0);
  });

  it("isolated-vs-pooled with aave on Aave (cross margin: WETH and MEME collateral, USDC not collateral): its 15 liquidations 3 equal, 12 within rounding; morpho's 15 untouched", async () => {
    const stdout = new Sink();
    const stderr = new Sink();
    const file = path.join(ROOT, "scenarios", "isolated-vs-pooled.json");
    const code = await differential([file, "--protocols", "aave", "--json"], { cwd: ROOT, stdout, stderr, chain: await Chain.connect() });
    expect(code, stderr.text).to.equal(0);
    const out = JSON.parse(stdout.text) as DifferentialJson;
    expect(out.protocols).to.deep.equal([
      { name: "aave", mock: "pooled", real: "aave-v3.6" },
      { name: "morpho", mock: "isolated", real: "isolated" },
    ]);
    const count = (protocol: string, status: string) => out.liquidations.filter((l) => l.protocol === protocol && l.status === status).length;
    expect([count("aave", "equal"), count("aave", "withinRounding"), count("morpho", "equal")]).to.deep.equal([3, 12, 15]);
  });

  it("with the pool on the deficit model too, the same comparison holds (the amounts do not depend on who absorbs the loss)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "liqsim-aave-"));
    try {
      const scenario = JSON.parse(readFileSync(PRICE_GAP, "utf8")) as { protocols: Record<string, unknown>[] };
      for (const p of scenario.protocols) p.badDebt = "deficit";
      const file = path.join(dir, "price-gap-deficit.json");
      writeFileSync(file, JSON.stringify(scenario));
      const { code, out, stderr } = await runDifferential(file);
      expect(code, stderr).to.equal(0);
      expect(out.counts).to.deep.equal({ equal: 6, withinRounding: 34, differs: 0, onlyMock: 0, onlyReal: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
