/**
 * A sweep of perp-negative-balance (two exchanges whose traders are both named "trader", one with
 * negative balance protection and one without), varying the second exchange's protection: each trader
 * keeps its own sweep.csv columns, `<exchange>_<trader>_…`, filled from its own exchange. Run 0 is the
 * lesson: both 100x longs lose their 1,000 USDC margin (lost 1000000000 in USDC's 6 decimals); the
 * protected one owes 0 (the insurance fund pays its 4,575.025 USDC shortfall), the unprotected one owes
 * 4,575.025 USDC (4575025000). Run 1 protects both: nobody owes, the fund pays 9,150.05.
 */
import { expect } from "chai";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sweep } from "../../simulator";
import { runCommand } from "../helpers/cli";
import { scenarioFile } from "../helpers/scenarioRun";

const ROOT = path.join(__dirname, "..", "..");

describe("sweep: perp traders of two exchanges sharing a name", function () {
  this.timeout(300_000);
  let out: string;
  before(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), "liqsim-sweep-traders-"));
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("sweep.csv and the table have one set of columns per exchange and trader, each with its own figures", async () => {
    const r = await runCommand(sweep, [scenarioFile("perp-negative-balance"), "--vary", "protocols[1].negativeBalanceProtection=false,true", "--out", out], ROOT);
    expect(r.code, r.stderr).to.equal(0);
    const csv = await readFile(path.join(out, "sweep.csv"), "utf8");
    expect(csv).to.equal(
      [
        "protocols[1].negativeBalanceProtection,recorded_bad_debt_usd,absorbed_reserves_usd,absorbed_insurance_fund_usd,absorbed_suppliers_usd,absorbed_deficit_usd,absorbed_auto_deleveraged_usd,absorbed_socialized_usd,absorbed_owed_by_trader_usd,unabsorbed_usd,latent_bad_debt_market_usd,total_bad_debt_usd,liquidations,debt_repaid_usd,delay_p50_blocks,delay_p95_blocks,delay_max_blocks,episodes_never_liquidated,cascade_depth,failed_attempts," +
          "protected_trader_loss_usd,protected_trader_loss_pct,protected_trader_lost,protected_trader_owed,unprotected_trader_loss_usd,unprotected_trader_loss_pct,unprotected_trader_lost,unprotected_trader_owed,complete",
        "false,9150.05,0,4575.025,0,0,0,0,4575.025,0,0,9150.05,2,189050,0,0,0,0,1,0,5575.025,557.5025,1000000000,0,5575.025,557.5025,1000000000,4575025000,true",
        "true,9150.05,0,9150.05,0,0,0,0,0,0,0,9150.05,2,189050,0,0,0,0,1,0,5575.025,557.5025,1000000000,0,5575.025,557.5025,1000000000,0,true",
        "",
      ].join("\n"),
    );
    // The columns match the runs' summary.groups entry by exchange, not just by name.
    const json = JSON.parse(await readFile(path.join(out, "sweep.json"), "utf8")) as { results: { summary: { groups: { name: string; protocols: string[]; owed?: string }[] } }[] };
    expect(json.results[0]?.summary.groups.map((g) => [g.name, g.protocols, g.owed])).to.deep.equal([
      ["trader", ["protected"], "0"],
      ["trader", ["unprotected"], "4575025000"],
    ]);
    const heading = r.stdout.split("\n").find((l) => l.includes("liquidations  debt repaid")) ?? "";
    expect(heading.trim().split(/ {2,}/).slice(-4)).to.deep.equal(["protected_trader loss", "unprotected_trader loss", "cascade depth", "failed txs"]);
  });
});
