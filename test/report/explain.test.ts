/**
 * `npm run explain`: the narration is computed from the run. On real runs of the built-in scenarios and of the stale-price fixture
 * (in-process chain) its sentences carry the run's own figures, it tells the lesson each scenario is
 * about (a gap, late keepers, a false liquidation), and the command writes nothing unless asked to.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { loadScenarioFile, resultOf, runScenario, type RunResultJson, type Scenario } from "../../simulator";
import { simulate } from "../../simulator/cli/simulate";
import { explainRun, usd } from "../../simulator/report/explain";
import { scenarioFile } from "../helpers/scenarioRun";

async function explained(scenario: Scenario): Promise<{ text: string; again: string; result: ReturnType<typeof resultOf> }> {
  const snapshot = (await network.provider.send("evm_snapshot")) as string;
  try {
    const out = await runScenario(scenario);
    expect(out.complete, out.error).to.equal(true);
    const result = resultOf(out);
    return { text: explainRun({ ...out, result }), again: explainRun({ ...out, result: resultOf(out) }), result };
  } finally {
    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("evm_setAutomine", [true]);
  }
}

/** The narration without line wrapping, so a sentence can be searched for whole. */
function flat(text: string): string {
  return text.replace(/\n +/g, " ");
}

describe("explain: a run told in words", function () {
  this.timeout(120_000);

  it("usd(): dollars with separators, cents below $1,000, a sign for losses", () => {
    expect(usd("1234567.891")).to.equal("$1,234,568");
    expect(usd("12.345")).to.equal("$12.35");
    expect(usd("-5")).to.equal("-$5.00");
    expect(usd("-0.001")).to.equal("$0.00");
    expect(usd("999.999")).to.equal("$1,000.00");
  });

  it("price-gap: tells the one-block gap, the liquidations and write-offs with the run's figures, and contrasts spot", async () => {
    const { text, again, result } = await explained(loadScenarioFile(scenarioFile("price-gap")));
    const t = flat(text);
    expect(text).to.equal(again);
    expect(t).to.include("block 10: WETH gaps down from $2,000 to $1,100 (−45%) in one block");
    expect(t).to.include("block 10: 40 positions fall below health factor 1 at oracle prices");
    const s = result.summary;
    expect(t).to.include(`block 10: 40 liquidations by keepers (40) repay ${usd(s.liquidations.debtRepaidUsd)} of debt, in the block the positions became liquidatable`);
    expect(t).to.include(`${usd(s.badDebt.recordedUsd)} of USDC debt of 36 positions in aave is written off`);
    const g = s.groups[0];
    expect(g).to.not.equal(undefined);
    expect(t).to.include(`eth-longs (40 borrowers, aave) put in ${usd(g?.depositUsd ?? "0")} and lost ${usd(g?.lossUsd ?? "0")}`);
    expect(t).to.include(`${usd(g?.lendersLossUsd ?? "0")} their lenders'`);
    expect(t).to.include("Holding WETH outright (spot, no debt) lost 45% over the run; spot can never lose more than 100%");
    expect(t).to.include("WETH fell 45% in one block (block 10): a price that gaps skips the liquidation point");
    // Every write-off is in block 10, the block of the gap.
    expect(result.losses.every((d) => d.block === 10)).to.equal(true);
    expect(t).to.include("In block 10, 36 positions had debt written off that their collateral could not cover.");
    expect(t).to.include("keepers: 3 liquidators with 2,000,000 USDC each; they act at once, bid 2 gwei");
    expect(t).to.include("Every liquidation came in the block its position became liquidatable");
    // Three keepers race for forty positions: two of every three attempts find them already liquidated.
    expect(t).to.include("80 liquidation attempts found the position no longer liquidatable");
  });

  it("late-keepers: tells the 20-block delay and how far the price fell meanwhile", async () => {
    const { text, result } = await explained(loadScenarioFile(scenarioFile("late-keepers")));
    const t = flat(text);
    expect(result.summary.delayBlocks.max).to.equal(20);
    expect(t).to.include("they wait 20 blocks");
    expect(t).to.include("blocks 10–40: WETH falls from $2,000 to $1,000 (−50%) at market");
    expect(t).to.include(
      "The first liquidation of each position came a median 20 blocks and at most 20 blocks after it became liquidatable; while the slowest keeper waited, WETH fell another 36%.",
    );
    expect(t).to.not.include("in one block (block");
  });

  it("a wrong USDC price with no market move: the false liquidations are named as such", async () => {
    const base = loadScenarioFile(scenarioFile("prompt-keepers"));
    const scenario: Scenario = {
      ...base,
      market: [],
      events: [{ type: "feedWrongPrice", asset: "USDC", fromBlock: 5, toBlock: 5, priceE8: 130_000_000n }],
    };
    const { text, result } = await explained(scenario);
    const t = flat(text);
    expect(result.summary.liquidations.count).to.be.greaterThan(0);
    expect(t).to.include("block 5: the USDC feed reports a wrong price, $1.30");
    expect(t).to.include(`${result.summary.liquidations.count} liquidations hit positions that were healthy at market prices: the oracle, not the market, called them`);
    expect(t).to.not.include("Holding WETH outright");
  });

  it("stale prices (test/fixtures/stale-price.json): the command warns on stderr, and the narration names StalePrice as the cause", async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), "liqsim-stale-"));
    let stdout = "";
    let stderr = "";
    const io = { cwd, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    try {
      expect(await simulate([path.join(__dirname, "..", "fixtures", "stale-price.json"), "--quiet", "--out", "out"], io, "explain")).to.equal(0);
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
    const market = "protocols[0].markets[0]";
    const warning = (feed: string, asset: string) =>
      `warning: ${market}.maxPriceAgeSeconds: 120 s, but feeds[${feed}].heartbeatSeconds is 3600 s and ${market}.liquidationsAcceptStalePrice is false: while ${asset}'s price holds still its feed goes stale after 120 s and liquidations in morpho WETH/USDC revert with StalePrice\n`;
    expect(stderr).to.equal(warning("0", "WETH") + warning("1", "USDC"));
    // USDC, last pushed at block 0, is older than 120 s from block 11 on; WETH falls 30% at block 15, and
    // every attempt on the four positions (blocks 15 to 20) reverts with StalePrice.
    const result = JSON.parse(readFileSync(path.join(cwd, "out", "result.json"), "utf8")) as RunResultJson;
    expect(result.summary.episodes).to.deep.equal({ total: 4, liquidated: 0, neverLiquidated: 4 });
    expect(result.failedAttempts.map((f) => f.reason)).to.deep.equal(Array<string>(24).fill("reverted: StalePrice"));
    const t = flat(stdout);
    expect(t).to.include(
      "4 of 4 liquidatable episodes saw no liquidation. Keepers tried every one of them, and all 24 attempts failed with StalePrice: morpho WETH/USDC refuses prices older than 120 s, and the USDC feed, pushed only on a 0.5% move or every 3,600 s, had not been pushed for longer than that.",
    );
    expect(t).to.include("keepers: 1 liquidator with 1,000,000 USDC; it acts at once, bids 2 gwei");
    expect(t).to.not.include("too small to pay for the gas");
  });

  it("a calm run says nothing happened", async () => {
    const base = loadScenarioFile(scenarioFile("prompt-keepers"));
    const { text } = await explained({ ...base, market: [], blocks: 5 });
    const t = flat(text);
    expect(t).to.include("nothing happened: no price moved enough to tell, no position fell below health factor 1");
    expect(t).to.include("No liquidations.");
    expect(t).to.include("No bad debt");
    expect(t).to.include("Nothing to warn about");
  });

  it("the command prints the narration and writes no files unless --out is given; a bad file is one line and exit 2", async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), "liqsim-explain-"));
    let stdout = "";
    let stderr = "";
    const io = { cwd, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
    // A Hardhat snapshot is used up by reverting to it: take it again after each revert.
    let snapshot = (await network.provider.send("evm_snapshot")) as string;
    const restore = async () => {
      await network.provider.send("evm_revert", [snapshot]);
      snapshot = (await network.provider.send("evm_snapshot")) as string;
    };
    try {
      expect(await simulate([scenarioFile("price-gap"), "--quiet"], io, "explain")).to.equal(0);
      expect(stdout).to.include("What happened");
      expect(readdirSync(cwd)).to.deep.equal([]);
      await restore();
      stdout = "";
      expect(await simulate([scenarioFile("price-gap"), "--quiet", "--out", "out"], io, "explain")).to.equal(0);
      expect(existsSync(path.join(cwd, "out", "result.json"))).to.equal(true);
      expect(stdout).to.include("wrote out/result.json and out/series.csv");
      // simulate --html puts the same narration into report.html, escaped, under "The run in words".
      await restore();
      expect(await simulate([scenarioFile("price-gap"), "--quiet", "--html", "--out", "html"], io)).to.equal(0);
      const page = readFileSync(path.join(cwd, "html", "report.html"), "utf8");
      expect(page).to.include("<h2>The run in words</h2>");
      expect(page).to.include("block 10: WETH gaps down from $2,000 to $1,100 (−45%) in one block");
      expect(page).to.include("What to notice");
      // The command hands the set-up record to the report: its charts start at block 0 (issue 15 item 2).
      const data = /<script type="application\/json" id="liqsim-data">([^<]*)<\/script>/.exec(page);
      expect((JSON.parse(data?.[1] ?? "{}") as { blocks: number[] }).blocks.slice(0, 2)).to.deep.equal([0, 1]);
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
    stderr = "";
    expect(await simulate(["nope.json"], io, "explain")).to.equal(2);
    expect(stderr.trim().split("\n")).to.have.length(1);
    expect(stderr).to.match(/^error: .*nope\.json/);
    stderr = "";
    expect(await simulate([], io, "explain")).to.equal(2);
    expect(stderr).to.equal("error: missing <scenario.json>\nusage: npm run explain -- <scenario.json> [--out <dir>] [--seed <n>] [--blocks <n>] [--implementation mock|real] [--rpc <url> | --chain in-process|anvil] [--check] [--html] [--quiet] [--allow-large]\n");
  });
});
