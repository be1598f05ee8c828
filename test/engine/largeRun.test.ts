/**
 * Large scenarios are estimated before anything is deployed (engine/estimateRun.ts, cli/largeRun.ts):
 * the estimate's arithmetic on README's Speed constants; the positions a scenario opens; a run above
 * 10,000 positions warns on stderr with its estimate; one above 100,000 is refused (exit code 2, one
 * line naming the size and --allow-large) without deploying anything, unless --allow-large is given.
 * No timing here: the runs that get past the check go to a dead --rpc node and stop at once.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { REFUSE_POSITIONS, WARN_POSITIONS, estimateRun, scenarioPositions } from "../../simulator/engine/estimateRun";
import { formatDuration, formatMemory, largeRunWarning, RunSizeError } from "../../simulator/cli/largeRun";
import { montecarlo } from "../../simulator/cli/montecarlo";
import { simulate } from "../../simulator/cli/simulate";
import { sweep } from "../../simulator/cli/sweep";
import { loadScenarioFile } from "../../simulator/scenario";
import { runCommand, type CliCommand } from "../helpers/cli";

const ROOT = path.join(__dirname, "..", "..");
const scenarioFile = (name: string) => path.join(ROOT, "scenarios", `${name}.json`);
const explain: CliCommand = (argv, io) => simulate(argv, io, "explain");

describe("large scenarios: estimated, warned about, refused", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "liqsim-large-"));
  /** price-gap (60 blocks) with `count` borrowers instead of 40, and USDC enough to lend them (100 billion). */
  function priceGapWith(count: number): string {
    type Json = { borrowers: Record<string, unknown>[]; protocols: { reserves: Record<string, unknown>[] }[] };
    const json = JSON.parse(readFileSync(scenarioFile("price-gap"), "utf8")) as Json;
    const usdc = json.protocols[0]?.reserves[1];
    if (usdc) usdc.initialSupply = "100000000000";
    const file = path.join(tmp, `price-gap-${count}.json`);
    writeFileSync(file, JSON.stringify({ ...json, borrowers: [{ ...json.borrowers[0], count }] }));
    return file;
  }

  it("estimates from README's 10,000-borrower figures: 3 ms per position to set up, 52 µs per position and block, 1,800 MiB + 130 MiB per 1,000", () => {
    // 29.6 s set-up, 157.2 s for 300 blocks, 3,094 MiB peak measured at 10,000.
    expect(estimateRun(10_000, 300)).to.deep.equal({ positions: 10_000, blocks: 300, setUpMs: 30_000, blocksMs: 156_000, totalMs: 186_000, peakMiB: 3_100 });
    // 1,000: 3 s + 15.6 s, 1,930 MiB (measured 18.1-19.8 s end to end, 1.6-2.3 GiB).
    expect(estimateRun(1_000, 300)).to.deep.equal({ positions: 1_000, blocks: 300, setUpMs: 3_000, blocksMs: 15_600, totalMs: 18_600, peakMiB: 1_930 });
    expect(estimateRun(1_000_000, 60)).to.deep.equal({ positions: 1_000_000, blocks: 60, setUpMs: 3_000_000, blocksMs: 3_120_000, totalMs: 6_120_000, peakMiB: 131_800 });
    expect(estimateRun(3, 7).blocksMs).to.equal(1); // 3 × 7 × 52 µs = 1.092 ms, rounded
    expect([formatDuration(45_400), formatDuration(186_000), formatDuration(6_120_000), formatDuration(18_600_000)]).to.deep.equal(["45 s", "3 min", "102 min", "5.2 h"]);
    expect([formatMemory(900), formatMemory(3_100), formatMemory(131_800)]).to.deep.equal(["900 MiB", "3.0 GiB", "128.7 GiB"]);
  });

  it("counts positions: a pooled borrower one, an isolated borrower one per collateral market, a looper's vault one", () => {
    expect(scenarioPositions(loadScenarioFile(scenarioFile("price-gap")))).to.equal(40);
    // 5 + 5 pooled borrowers with two collaterals each; 5 + 5 isolated ones in two markets each.
    expect(scenarioPositions(loadScenarioFile(scenarioFile("cross-vs-isolated-margin")))).to.equal(30);
    // 20 isolated borrowers with one collateral, 4 + 4 loopers.
    expect(scenarioPositions(loadScenarioFile(scenarioFile("leveraged-loop-unwind")))).to.equal(28);
  });

  it("warns only above 10,000 positions, refuses only above 100,000 unless allowed", () => {
    expect([WARN_POSITIONS, REFUSE_POSITIONS]).to.deep.equal([10_000, 100_000]);
    expect(largeRunWarning(loadScenarioFile(priceGapWith(10_000)), false)).to.equal(undefined);
    expect(largeRunWarning(loadScenarioFile(priceGapWith(10_001)), false)).to.equal(
      "warning: 10,001 positions, more than the 10,000 measured: estimated 61 s (set-up 30 s, 60 blocks 31 s) and 3.0 GiB of memory on README's 2-core machine (Speed)\n",
    );
    expect(largeRunWarning(loadScenarioFile(priceGapWith(100_000)), false)).to.match(/^warning: 100,000 positions/);
    expect(() => largeRunWarning(loadScenarioFile(priceGapWith(100_001)), false)).to.throw(RunSizeError, /^100,001 positions is more than 100,000/);
    expect(largeRunWarning(loadScenarioFile(priceGapWith(100_001)), true)).to.match(/^warning: 100,001 positions/);
  });

  for (const [name, command] of [["simulate", simulate], ["explain", explain]] as const) {
    it(`${name}: 1,000,000 borrowers are refused before anything is deployed: exit 2, one line naming the size and --allow-large`, async () => {
      const out = path.join(tmp, `refused-${name}`);
      const blockBefore = (await network.provider.send("eth_blockNumber")) as string;
      const r = await runCommand(command, [priceGapWith(1_000_000), "--out", out], tmp);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.equal(
        "error: 1,000,000 positions is more than 100,000 (estimated 102 min (set-up 50 min, 60 blocks 52 min) and 128.7 GiB of memory): pass --allow-large to run it anyway\n",
      );
      expect(r.stdout).to.equal("");
      expect(await network.provider.send("eth_blockNumber"), "nothing deployed").to.equal(blockBefore);
      expect(existsSync(out)).to.equal(false);
    });
  }

  it("sweep: the largest variant decides; 40 and 1,000,000 borrowers are refused before anything is deployed (exit 2, one line)", async () => {
    const out = path.join(tmp, "refused-sweep");
    const blockBefore = (await network.provider.send("eth_blockNumber")) as string;
    const r = await runCommand(sweep, [priceGapWith(40), "--vary", "borrowers[0].count=40,1000000", "--out", out], tmp);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.equal(
      "error: 1,000,000 positions is more than 100,000 (estimated 102 min (set-up 50 min, 60 blocks 52 min) and 128.7 GiB of memory): pass --allow-large to run it anyway\n",
    );
    expect(await network.provider.send("eth_blockNumber"), "nothing deployed").to.equal(blockBefore);
    expect(existsSync(out)).to.equal(false);
  });

  it("montecarlo: a 1,000,000-borrower world is refused before any worker starts (exit 2, one line)", async () => {
    type Json = { borrowers: Record<string, unknown>[]; protocols: { reserves: Record<string, unknown>[] }[] };
    const json = JSON.parse(readFileSync(scenarioFile("montecarlo-gbm"), "utf8")) as Json;
    const usdc = json.protocols[0]?.reserves[1];
    if (usdc) usdc.initialSupply = "100000000000";
    const file = path.join(tmp, "montecarlo-gbm-1000000.json");
    writeFileSync(file, JSON.stringify({ ...json, borrowers: [{ ...json.borrowers[0], count: 1_000_000 }] }));
    const out = path.join(tmp, "refused-mc");
    const r = await runCommand(montecarlo, [file, "--paths", "2", "--out", out], tmp);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/^error: 1,000,000 positions is more than 100,000 \(estimated [^\n]+\): pass --allow-large to run it anyway\n$/);
    expect(existsSync(out)).to.equal(false);
  });

  it("simulate --allow-large: warns with the estimate and goes on to the chain (here a dead node: exit 3)", async () => {
    const r = await runCommand(simulate, [priceGapWith(1_000_000), "--allow-large", "--rpc", "http://127.0.0.1:9", "--out", path.join(tmp, "allowed")], tmp);
    expect(r.code, r.stderr).to.equal(3);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).to.equal(
      "warning: 1,000,000 positions, more than the 10,000 measured: estimated 102 min (set-up 50 min, 60 blocks 52 min) and 128.7 GiB of memory on README's 2-core machine (Speed)",
    );
    expect(lines[1]).to.match(/^error: cannot reach the chain at http:\/\/127\.0\.0\.1:9/);
  });

  it("simulate: 20,000 borrowers warn on stderr and run (here against a dead node: exit 3)", async () => {
    const r = await runCommand(simulate, [priceGapWith(20_000), "--rpc", "http://127.0.0.1:9", "--out", path.join(tmp, "warned")], tmp);
    expect(r.code, r.stderr).to.equal(3);
    expect(r.stderr.split("\n")[0]).to.equal(
      "warning: 20,000 positions, more than the 10,000 measured: estimated 2 min (set-up 60 s, 60 blocks 62 s) and 4.3 GiB of memory on README's 2-core machine (Speed)",
    );
  });
});
