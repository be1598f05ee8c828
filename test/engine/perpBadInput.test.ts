/**
 * Bad perp input through the `simulate` command (perp-adl's exchange, one field changed): one line
 * naming the field from the scenario's root, exit code 2, no stack trace, nothing written to --out.
 * Most are caught when the file is read; a position too leveraged for its tier only at deployment,
 * where the notional at the block-0 mark, and so its tier, is known: 1000x on 1,000 USDC is a notional
 * of 1,000,000 USDC at $2,000, whose tier allows 125x (an initial margin of 8,000 USDC), and the margin
 * less the 500.25 USDC fee and the 500 USDC spread leaves -0.25 USDC; 100 WETH (25x) on 8,000 USDC is
 * 200,000 USDC, past a first tier capped at 150,000 USDC, in a second that allows 10x. The sweep and
 * Monte Carlo (whose worker processes deploy) report the refused position the same way.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { simulate } from "../../simulator";
import { montecarlo } from "../../simulator/cli/montecarlo";
import { sweep } from "../../simulator/cli/sweep";
import { runCommand } from "../helpers/cli";
import { onSnapshot } from "../helpers/scenarioRun";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures mutate arbitrary JSON

const ROOT = path.join(__dirname, "..", "..");
const BASE = JSON.parse(readFileSync(path.join(ROOT, "scenarios", "perp-adl.json"), "utf8")) as Json;

/** perp-adl's market with a tier table instead of its one tier. */
function withTiers(s: Json, tiers: Json[]): void {
  const m = s.protocols[0].markets[0];
  delete m.maxLeverage;
  delete m.maintenanceMarginPct;
  m.tiers = tiers;
}

const CASES: [string, (s: Json) => void, string][] = [
  [
    "a 1000x position (its tier allows 125x), refused at deployment",
    (s) => (s.protocols[0].positions[0].leverage = 1000),
    "protocols[0].positions[0].leverage: 1000x does not open: a notional of 1000000 USDC at the block-0 mark allows at most 125x (its tier), an initial margin of 8000 USDC, and the margin of 1000 USDC leaves -0.25 USDC after the fee and spread",
  ],
  [
    "25x in the second tier (10x), refused at deployment",
    (s) => {
      withTiers(s, [{ maxNotional: "150000", maxLeverage: 125, maintenanceMarginPct: 0.4 }, { maxLeverage: 10, maintenanceMarginPct: 5 }]);
      delete s.protocols[0].positions[3].leverage;
      s.protocols[0].positions[3].size = "100";
    },
    "protocols[0].positions[3].size: size 100 does not open: a notional of 200000 USDC at the block-0 mark allows at most 10x (its tier), an initial margin of 20000 USDC, and the margin of 8000 USDC leaves 7800.05 USDC after the fee and spread",
  ],
  ["a negative size", (s) => ((s.protocols[0].positions[0].size = "-5"), delete s.protocols[0].positions[0].leverage), "protocols[0].positions[0].size: must be > 0"],
  ["a position in an unknown market", (s) => (s.protocols[0].positions[1].market = "BTC"), 'protocols[0].positions[1].market: unknown market "BTC" (markets: WETH)'],
  ["two positions of one trader in one market", (s) => (s.protocols[0].positions[1].account = "long-100x"), 'protocols[0].positions[1].account: "long-100x" already has a WETH position (positions[0]): one position per trader and market'],
  [
    "tiers out of order",
    (s) => withTiers(s, [{ maxNotional: "500000", maxLeverage: 50, maintenanceMarginPct: 1 }, { maxNotional: "100000", maxLeverage: 100, maintenanceMarginPct: 0.5 }, { maxLeverage: 20, maintenanceMarginPct: 2 }]),
    "protocols[0].markets[0].tiers[1].maxNotional: must be greater than the tier before",
  ],
  ["a maintenance margin above the initial margin", (s) => (s.protocols[0].markets[0].maintenanceMarginPct = 2), "protocols[0].markets[0].maintenanceMarginPct: must be < 100 / maxLeverage (the initial margin must exceed the maintenance margin)"],
  ["a negative stop loss", (s) => (s.protocols[0].positions[1].exit = { stopLossPct: -5 }), "protocols[0].positions[1].exit.stopLossPct: must be > 0 and < 100"],
  ["a close after the last block", (s) => (s.protocols[0].positions[1].exit = { atBlock: 50 }), "protocols[0].positions[1].exit.atBlock: must be <= blocks (20)"],
];

describe("bad perp input through the simulate command", function () {
  this.timeout(120_000);
  const tmp = mkdtempSync(path.join(tmpdir(), "liqsim-bad-perp-"));
  CASES.forEach(([what, mutate, message], i) => {
    it(`rejects ${what}: "${message.split(":")[0]}"`, async () => {
      const scenario = structuredClone(BASE);
      mutate(scenario);
      const file = path.join(tmp, `case-${i}.json`);
      writeFileSync(file, JSON.stringify(scenario));
      const out = path.join(tmp, `out-${i}`);
      const r = await onSnapshot(() => runCommand(simulate, [file, "--out", out, "--quiet"], ROOT));
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.equal(`error: ${message}\n`);
      expect(r.stdout).to.equal("");
      expect(existsSync(out)).to.equal(false);
    });
  });

  it("sweep: a variant the deployment refuses (1000x) is bad input too: exit 2, its one line, nothing written", async () => {
    const out = path.join(tmp, "sweep-out");
    const r = await onSnapshot(() => runCommand(sweep, [path.join(ROOT, "scenarios", "perp-adl.json"), "--vary", "protocols[0].positions[0].leverage=50,1000", "--out", out, "--quiet"], ROOT));
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.equal(`error: ${CASES[0]?.[2] ?? ""}; nothing was written\n`);
    expect(existsSync(out)).to.equal(false);
  });

  it("montecarlo: a position a worker's deployment refuses (1000x) is bad input too: exit 2, its one line, nothing written", async () => {
    // perp-adl with a random path (Monte Carlo needs one) and the 1000x long: the worker deploys, the
    // tier check refuses it there, and the worker hands the ScenarioError's field back to the parent.
    const scenario = structuredClone(BASE);
    scenario.market = [{ asset: "WETH", segments: [{ type: "gbm", fromBlock: 1, toBlock: 20, annualVolatilityPct: 80 }] }];
    CASES[0]?.[1](scenario);
    const file = path.join(tmp, "montecarlo.json");
    writeFileSync(file, JSON.stringify(scenario));
    const out = path.join(tmp, "montecarlo-out");
    const r = await runCommand(montecarlo, [file, "--paths", "2", "--workers", "1", "--out", out, "--quiet"], ROOT);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.equal(`error: ${CASES[0]?.[2] ?? ""}; nothing was written\n`);
    expect(existsSync(out)).to.equal(false);
  });
});
