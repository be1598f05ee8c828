/**
 * Every bad input of ARCHITECTURE.md's list, through the `simulate` command: one line naming the
 * field, exit code 2, no stack trace, no output folder. (cli.test.ts runs a few of these as separate
 * processes, so the exit code is proven end to end too.)
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { simulate } from "../../simulator";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures mutate arbitrary JSON

const ROOT = path.join(__dirname, "..", "..");
const BASE = JSON.parse(readFileSync(path.join(ROOT, "scenarios", "price-gap.json"), "utf8")) as Json;

const CASES: [string, (s: Json) => void, string][] = [
  ["a price of 0", (s) => (s.assets[0].priceUsd = "0"), "assets[0].priceUsd: must be > 0"],
  ["a NaN price", (s) => (s.assets[0].priceUsd = "NaN"), 'assets[0].priceUsd: "NaN" is not a decimal number'],
  ["an infinite price", (s) => (s.assets[0].priceUsd = "Infinity"), 'assets[0].priceUsd: "Infinity" is not a decimal number'],
  ["a negative step price", (s) => (s.market[0].segments[0].priceUsd = "-5"), "market[0].segments[0].priceUsd: must be > 0"],
  ["a crash of more than 100%", (s) => (s.market[0].segments = [{ type: "flashCrash", atBlock: 10, dropPct: 120, recoverBlocks: 5 }]), "market[0].segments[0].dropPct: must be > 0 and < 100"],
  ["LTV above the liquidation threshold", (s) => (s.protocols[0].reserves[0].ltvPct = 90), "protocols[0].reserves[0].ltvPct: must be <= liquidationThresholdPct (82.5)"],
  ["a liquidation bonus below 100%", (s) => (s.protocols[0].reserves[0].liquidationBonusPct = -1), "protocols[0].reserves[0].liquidationBonusPct: must be >= 0"],
  ["threshold x bonus above 100%", (s) => (s.protocols[0].reserves[0].liquidationBonusPct = 25), "protocols[0].reserves[0].liquidationBonusPct: liquidation threshold × (1 + bonus) must be <= 100%"],
  ["an unknown asset", (s) => (s.borrowers[0].debt = "DAI"), 'borrowers[0].debt: "DAI" is not a reserve of aave'],
  ["an unknown protocol", (s) => (s.borrowers[0].protocol = "compound"), 'borrowers[0].protocol: unknown protocol "compound"'],
  ["an unknown feed asset", (s) => (s.feeds[0].asset = "BTC"), 'feeds[0].asset: unknown asset "BTC"'],
  ["a duplicate name", (s) => s.assets.push({ ...s.assets[0] }), 'assets[2].symbol: duplicate asset "WETH" (also assets[0])'],
  ["an AMM with zero reserves", (s) => (s.amms[0].reserveA = "0"), "amms[0].reserveA: must be > 0"],
  ["a negative delay", (s) => (s.liquidators[0].delayBlocks = -1), "liquidators[0].delayBlocks: must be >= 0"],
  ["negative capital", (s) => (s.liquidators[0].capital[0].amount = "-5"), "liquidators[0].capital[0].amount: must be > 0"],
  ["a negative gas bid", (s) => (s.liquidators[0].priorityFeeGwei = -2), "liquidators[0].priorityFeeGwei: must be >= 0"],
  ["a window that ends before it starts", (s) => (s.events = [{ type: "keeperOutage", liquidator: s.liquidators[0].name, fromBlock: 20, toBlock: 10 }]), "events[0].toBlock: must be >= fromBlock (20)"],
  ["an unknown field (typo)", (s) => (s.blockTimeSecond = 12), 'blockTimeSecond: unknown field (did you mean "blockTimeSeconds"?)'],
];

describe("bad scenario input through the simulate command", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "liqsim-bad-"));
  CASES.forEach(([what, mutate, message], i) => {
    it(`rejects ${what}: "${message}"`, async () => {
      const scenario = structuredClone(BASE);
      mutate(scenario);
      const file = path.join(tmp, `case-${i}.json`);
      writeFileSync(file, JSON.stringify(scenario));
      const out = path.join(tmp, `out-${i}`);
      let stderr = "";
      let stdout = "";
      const code = await simulate([file, "--out", out], {
        cwd: ROOT,
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
      });
      expect(code).to.equal(2);
      const first = stderr.split("\n")[0] ?? "";
      expect(first.startsWith(`error: ${message}`), first).to.equal(true);
      expect(stderr).to.not.match(/\n\s+at /);
      expect(stdout).to.equal("");
      expect(existsSync(out)).to.equal(false);
    });
  });
});
