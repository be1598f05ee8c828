/**
 * `npm run differential`: the comparison itself on hand-made records (equal, within rounding, differs,
 * only on one side, the bad debt on the position's last liquidation of the block), bad input (exit 2,
 * one line), and isolated-vs-pooled run on the mocks and with its isolated protocol on the real Morpho
 * Blue 1.0: the 15 Morpho liquidations of block 10 equal the mock's to the wei (exit 0), with the
 * figures pinned here; the pooled scenarios with the pool on the real Aave V3.6 (price-gap, late-keepers,
 * insurance-fund; isolated-vs-pooled with both halves real): equal or within Aave's 1-wei rounding, none
 * differ; amm-oracle-cascade with both protocols real, the atomic keepers liquidating Aave through
 * `AaveAtomicLiquidator` and Morpho through `MorphoAtomicLiquidator`: the same cascade.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Address } from "viem";
import { Chain } from "../../simulator/chain";
import { differential } from "../../simulator/cli/differential";
import type { LiquidationRecord } from "../../simulator/observe/types";
import { compareRuns, runsAgree, withinRounding } from "../../simulator/report/differential";
import { Sink } from "../helpers/cli";

const ROOT = path.join(__dirname, "..", "..");
const SCENARIO = path.join(ROOT, "scenarios", "isolated-vs-pooled.json");

function liquidation(borrower: string, block: number, debtRepaid: bigint, collateralSeized: bigint): LiquidationRecord {
  return {
    id: 0,
    block,
    protocol: "morpho",
    market: "WETH/USDC",
    liquidator: "k#0",
    borrower: borrower as Address,
    collateral: "WETH",
    debt: "USDC",
    debtRepaid,
    collateralSeized,
    protocolFee: 0n,
    gasCostUsd: new Decimal("0.5"),
  } as LiquidationRecord;
}

const bad = (borrower: string, block: number, amount: bigint) => ({ block, protocol: "morpho", market: "WETH/USDC", borrower: borrower as Address, amount });

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const chain = await Chain.connect();
  const code = await differential(argv, { cwd: ROOT, stdout, stderr, chain });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("npm run differential", function () {
  this.timeout(600_000);

  describe("the comparison", () => {
    it("rounding: 2 wei, or one millionth of the larger amount", () => {
      expect(withinRounding(1_000n, 1_002n)).to.equal(true);
      expect(withinRounding(1_000n, 1_003n)).to.equal(false);
      // 1,000 of 1,000,001,000 is within a millionth; 1,002 of 1,000,001,002 is not.
      expect(withinRounding(1_000_000_000n, 1_000_001_000n)).to.equal(true);
      expect(withinRounding(1_000_000_000n, 1_000_001_002n)).to.equal(false);
    });

    it("pairs by position and order; bad debt goes to the position's last liquidation of its block", () => {
      const mock = {
        liquidations: [liquidation("0xa", 5, 100n, 50n), liquidation("0xa", 5, 40n, 20n), liquidation("0xb", 6, 1_000_000_000n, 7n), liquidation("0xc", 7, 1n, 1n)],
        badDebt: [bad("0xa", 5, 9n)],
      };
      const real = {
        liquidations: [liquidation("0xa", 5, 100n, 50n), liquidation("0xa", 5, 40n, 20n), liquidation("0xb", 6, 1_000_000_900n, 7n), liquidation("0xd", 8, 1n, 1n)],
        badDebt: [bad("0xa", 5, 9n)],
      };
      const rows = compareRuns(mock, real);
      expect(rows.map((r) => [r.borrower, r.status, r.mock?.badDebt ?? null])).to.deep.equal([
        ["0xa", "equal", 0n],
        ["0xa", "equal", 9n],
        ["0xb", "withinRounding", 0n],
        ["0xc", "onlyMock", 0n],
        ["0xd", "onlyReal", null],
      ]);
      expect(runsAgree(rows)).to.equal(false);
      expect(runsAgree(rows.slice(0, 3))).to.equal(true);
      const late = compareRuns({ liquidations: [liquidation("0xa", 5, 1n, 1n)], badDebt: [] }, { liquidations: [liquidation("0xa", 6, 1n, 1n)], badDebt: [] });
      expect(late.map((r) => r.status)).to.deep.equal(["differs"]);
    });
  });

  describe("bad input", () => {
    it("an unknown --protocols name: exit 2, one line naming it", async () => {
      const r = await run([SCENARIO, "--protocols", "compound"]);
      expect(r.code).to.equal(2);
      expect(r.stderr.split("\n")[0]).to.equal('error: --protocols: no protocol "compound" in the scenario (it has aave, morpho)');
    });
  });

  describe("isolated-vs-pooled, morpho on Morpho Blue 1.0", () => {
    it("every liquidation equal to the wei on both sides: exit 0", async () => {
      const r = await run([SCENARIO, "--protocols", "morpho", "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as {
        agree: boolean;
        protocols: { name: string; mock: string; real: string }[];
        counts: Record<string, number>;
        liquidations: { protocol: string; borrower: string; status: string; mock: Record<string, string | number>; real: Record<string, string | number> }[];
      };
      expect(out.agree).to.equal(true);
      expect(out.protocols).to.deep.equal([
        { name: "aave", mock: "pooled", real: "pooled" },
        { name: "morpho", mock: "isolated", real: "morpho-blue-1.0" },
      ]);
      expect(out.counts).to.deep.equal({ equal: 30, withinRounding: 0, differs: 0, onlyMock: 0, onlyReal: 0 });
      const morpho = out.liquidations.filter((l) => l.protocol === "morpho");
      expect(morpho).to.have.length(15);
      const first = morpho[0];
      // MEME/USDC, block 10: 14,925.380281 USDC repaid for 56,057.76630521 MEME, 12,311.146227 USDC of bad debt taken from the suppliers.
      expect(first?.borrower).to.equal("0x35fcad44f1af75c1f584356da3c0b99778e3b4a8");
      const figures = (s: Record<string, string | number> | undefined) => s && { block: s.block, repaid: s.repaid, seized: s.seized, protocolFee: s.protocolFee, badDebt: s.badDebt };
      expect(figures(first?.mock)).to.deep.equal({ block: 10, repaid: "14925380281", seized: "56057766305210000000000", protocolFee: "0", badDebt: "12311146227" });
      expect(figures(first?.real)).to.deep.equal(figures(first?.mock));
      const totals = (side: "mock" | "real", field: string) => morpho.reduce((sum, l) => sum + BigInt(l[side][field] as string), 0n);
      for (const field of ["repaid", "seized", "badDebt"]) expect(totals("real", field), field).to.equal(totals("mock", field));
      // Morpho Blue is cheaper in gas than liqsim's market (via IR, docs/real-protocols.md): the only difference.
      expect(Number(first?.real.gasCostUsd)).to.be.lessThan(Number(first?.mock.gasCostUsd));
    });
  });

  describe("the pooled scenarios on Aave V3.6 (with Morpho Blue 1.0 where isolated)", () => {
    it("price-gap, aave on Aave V3.6: 40 liquidations, 6 equal to the wei, 34 within Aave's 1-wei rounding, none differ: exit 0", async () => {
      const r = await run([path.join(ROOT, "scenarios", "price-gap.json"), "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as { protocols: { name: string; mock: string; real: string }[]; counts: Record<string, number> };
      expect(out.protocols).to.deep.equal([{ name: "aave", mock: "pooled", real: "aave-v3.6" }]);
      expect(out.counts).to.deep.equal({ equal: 6, withinRounding: 34, differs: 0, onlyMock: 0, onlyReal: 0 });
    });

    it("isolated-vs-pooled, both halves real (aave on Aave V3.6, morpho on Morpho Blue 1.0): aave 3 equal and 12 within rounding, morpho 15 equal: exit 0", async () => {
      const r = await run([SCENARIO, "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as { protocols: { name: string; mock: string; real: string }[]; counts: Record<string, number>; liquidations: { protocol: string; status: string }[] };
      expect(out.protocols).to.deep.equal([
        { name: "aave", mock: "pooled", real: "aave-v3.6" },
        { name: "morpho", mock: "isolated", real: "morpho-blue-1.0" },
      ]);
      expect(out.counts).to.deep.equal({ equal: 18, withinRounding: 12, differs: 0, onlyMock: 0, onlyReal: 0 });
      const count = (protocol: string, status: string) => out.liquidations.filter((l) => l.protocol === protocol && l.status === status).length;
      expect([count("aave", "equal"), count("aave", "withinRounding"), count("morpho", "equal")]).to.deep.equal([3, 12, 15]);
    });
  });

  describe("late-keepers and insurance-fund, aave on Aave V3.6", () => {
    it("late-keepers: 40 liquidations, 5 equal to the wei, 35 within Aave's 1-wei rounding, none differ: exit 0", async () => {
      const r = await run([path.join(ROOT, "scenarios", "late-keepers.json"), "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as { protocols: { name: string; mock: string; real: string }[]; counts: Record<string, number> };
      expect(out.protocols).to.deep.equal([{ name: "aave", mock: "pooled", real: "aave-v3.6" }]);
      expect(out.counts).to.deep.equal({ equal: 5, withinRounding: 35, differs: 0, onlyMock: 0, onlyReal: 0 });
    });

    it("insurance-fund: 10 liquidations, 1 equal to the wei, 9 within Aave's 1-wei rounding, none differ: exit 0", async () => {
      const r = await run([path.join(ROOT, "scenarios", "insurance-fund.json"), "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as { protocols: { name: string; mock: string; real: string }[]; counts: Record<string, number> };
      expect(out.protocols).to.deep.equal([{ name: "aave", mock: "pooled", real: "aave-v3.6" }]);
      expect(out.counts).to.deep.equal({ equal: 1, withinRounding: 9, differs: 0, onlyMock: 0, onlyReal: 0 });
    });
  });

  describe("amm-oracle-cascade, morpho on Morpho Blue 1.0: atomic liquidations through MorphoAtomicLiquidator", () => {
    it("the 35 liquidations (the keepers flash-liquidate through the AMM) equal to the wei: exit 0", async () => {
      const r = await run([path.join(ROOT, "scenarios", "amm-oracle-cascade.json"), "--protocols", "morpho", "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as { counts: Record<string, number>; liquidations: { protocol: string }[] };
      expect(out.counts).to.deep.equal({ equal: 35, withinRounding: 0, differs: 0, onlyMock: 0, onlyReal: 0 });
      expect(out.liquidations.filter((l) => l.protocol === "morpho").length).to.be.greaterThan(0);
    });
  });

  describe("amm-oracle-cascade, both real: atomic liquidations through AaveAtomicLiquidator and MorphoAtomicLiquidator", () => {
    it("the 5 Aave liquidations (1 equal, 4 within Aave's 1-wei rounding) and the 30 Morpho ones after them equal to the wei: exit 0", async () => {
      const r = await run([path.join(ROOT, "scenarios", "amm-oracle-cascade.json"), "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as {
        protocols: { name: string; mock: string; real: string }[];
        counts: Record<string, number>;
        liquidations: { protocol: string; status: string; mock: Record<string, string | number>; real: Record<string, string | number> }[];
      };
      expect(out.protocols).to.deep.equal([
        { name: "aave", mock: "pooled", real: "aave-v3.6" },
        { name: "morpho", mock: "isolated", real: "morpho-blue-1.0" },
      ]);
      expect(out.counts).to.deep.equal({ equal: 31, withinRounding: 4, differs: 0, onlyMock: 0, onlyReal: 0 });
      const count = (protocol: string, status: string) => out.liquidations.filter((l) => l.protocol === protocol && l.status === status).length;
      expect([count("aave", "equal"), count("aave", "withinRounding"), count("morpho", "equal")]).to.deep.equal([1, 4, 30]);
      // Block 10's first: 43,923.311626 USDC repaid for 25.064933264836956521 WETH on both; Aave's half-up
      // fee share keeps one wei more for the treasury. The pair is paid the same, so the AMM oracle the
      // Morpho market reads moves the same and the cascade after it is the same to the wei.
      const figures = (s: Record<string, string | number> | undefined) => s && [s.block, s.repaid, s.seized, s.protocolFee];
      const first = out.liquidations.find((l) => l.protocol === "aave");
      expect(figures(first?.mock)).to.deep.equal([10, "43923311626", "25064933264836956521", "119356825070652173"]);
      expect(figures(first?.real)).to.deep.equal([10, "43923311626", "25064933264836956521", "119356825070652174"]);
    });
  });

  describe("interest-only on Morpho Blue 1.0: compounded interest, a documented difference", () => {
    it("the same ten positions liquidated, the debts 18 ppm apart after 26 hours at 203% a year, one an hour earlier: exit 1", async () => {
      const r = await run([path.join(ROOT, "scenarios", "interest-only.json"), "--json"]);
      expect(r.code, r.stderr).to.equal(1);
      const out = JSON.parse(r.stdout) as { counts: Record<string, number>; liquidations: { status: string; mock: Record<string, string | number>; real: Record<string, string | number> }[] };
      expect(out.counts).to.deep.equal({ equal: 0, withinRounding: 0, differs: 10, onlyMock: 0, onlyReal: 0 });
      const first = out.liquidations[0];
      // Morpho accrues e^(rt) - 1 (Taylor, third order) where the mock accrues rt: (rt)^2 / 2 = 1.8e-5 for rt = 26 h x 203% / 8,760 h.
      expect([first?.mock.block, first?.mock.repaid, first?.mock.seized]).to.deep.equal([26, "17207403920", "8980899748500000000"]);
      expect([first?.real.block, first?.real.repaid, first?.real.seized]).to.deep.equal([26, "17207715854", "8981062553500000000"]);
      // The faster-growing debt crosses the line one block sooner for the eighth position.
      expect(out.liquidations.map((l) => [l.mock.block, l.real.block])).to.deep.equal([[26, 26], [44, 44], [54, 54], [56, 56], [62, 62], [76, 76], [85, 85], [92, 91], [94, 94], [97, 97]]);
    });
  });

  describe("defensive borrowers on Morpho Blue 1.0: repay (WETH market) and top-up (MEME market)", () => {
    it("isolated-vs-pooled with every morpho borrower defending: the liquidations the defenses leave equal to the wei", async () => {
      const doc = JSON.parse(readFileSync(SCENARIO, "utf8")) as { borrowers: { name: string; defensive?: unknown }[] };
      for (const b of doc.borrowers) {
        if (b.name === "morpho-weth") b.defensive = { sharePct: 100, belowHealthFactor: 1.15, action: "repay", targetHealthFactor: 1.4 };
        if (b.name === "morpho-meme") b.defensive = { sharePct: 100, belowHealthFactor: 1.1, action: "topUp", targetHealthFactor: 1.3 };
      }
      const dir = mkdtempSync(path.join(tmpdir(), "liqsim-differential-"));
      try {
        const file = path.join(dir, "defense.json");
        writeFileSync(file, JSON.stringify(doc));
        const r = await run([file, "--protocols", "morpho", "--json"]);
        expect(r.code, r.stderr).to.equal(0);
        const out = JSON.parse(r.stdout) as { counts: Record<string, number>; liquidations: { protocol: string; borrower: string; mock: Record<string, string> }[] };
        expect(out.counts).to.deep.equal({ equal: 30, withinRounding: 0, differs: 0, onlyMock: 0, onlyReal: 0 });
        // The top-ups shrank this MEME position's liquidation: undefended it repaid 12,339.010694 USDC and left 8,114.342477 of bad debt.
        const meme = out.liquidations.find((l) => l.borrower === "0xb17f0bae3517ce0a978353ba0b2786073e21c6bf");
        expect([meme?.mock.repaid, meme?.mock.badDebt]).to.deep.equal(["5334818380", "4266696937"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
