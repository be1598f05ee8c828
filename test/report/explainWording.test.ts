/**
 * The narration's wording on hand-built runs (no chain), each sentence asserted whole: percents formatted
 * by one rule (9.96% is "10%", beside "15%"), the spot holder compared only with the groups that hold
 * the asset, write-offs told in the block or span they really fall in, one liquidator in the singular,
 * the delay of each episode's first liquidation told apart from every liquidation's, the health factor
 * defined once at its first mention, and liquidatable episodes that saw no liquidation explained from
 * the failed transactions' reasons or, when no keeper tried, from the keepers' setup.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import path from "node:path";
import { parseUnits } from "viem";
import type { Address, LossRecord, FailedAttempt, GroupOutcome, LiquidatableEpisode, LiquidationRecord } from "../../simulator/observe/types";
import { buildRunResult } from "../../simulator/report";
import { explainRun } from "../../simulator/report/explain";
import { missedEpisodesSentence } from "../../simulator/report/missedEpisodes";
import { loadScenarioFile, type Scenario } from "../../simulator/scenario";
import { ALICE, BOB, badDebt, block, episode, liquidation, stats } from "./fixtures";

/** One isolated market, morpho WETH/USDC; one borrower group eth-longs; one liquidator (keepers). */
const BASE = loadScenarioFile(path.join(__dirname, "..", "fixtures", "stale-price.json"));
const CAROL: Address = "0x00000000000000000000000000000000000ca401";

interface Story {
  scenario?: Scenario;
  /** WETH's market (and oracle) price in blocks 1.. (USD). */
  weth: string[];
  usdc?: string[];
  /** The WETH feed's answer in blocks 1.. when it is not the market price. */
  wethFeed?: string[];
  liquidations?: LiquidationRecord[];
  badDebt?: LossRecord[];
  episodes?: LiquidatableEpisode[];
  failedAttempts?: FailedAttempt[];
  groups?: GroupOutcome[];
}

/** The narration of the story without line wrapping, so a sentence can be searched for whole. */
function told(story: Story): string {
  const scenario = { ...(story.scenario ?? BASE), blocks: story.weth.length };
  const blocks = story.weth.map((w, i) => {
    const prices = { WETH: parseUnits(w, 8), USDC: parseUnits(story.usdc?.[i] ?? "1", 8) };
    const feeds = { ...prices, WETH: parseUnits(story.wethFeed?.[i] ?? w, 8) };
    return block(i + 1, { marketPriceE8: prices, oraclePriceE8: feeds, ammPriceE8: {}, protocols: { morpho: stats() } });
  });
  const records = {
    liquidations: story.liquidations ?? [],
    badDebt: story.badDebt ?? [],
    episodes: story.episodes ?? [],
    failedAttempts: story.failedAttempts ?? [],
  };
  const result = buildRunResult({ scenario, chain: { kind: "in-process", chainId: 31337 }, complete: true, blocks, ...records, groups: story.groups ?? [] });
  return explainRun({ scenario, blocks, ...records, result }).replace(/\n +/g, " ");
}

function group(name: string, depositUsd: string, lossUsd: string): GroupOutcome {
  const d = (v: string) => new Decimal(v);
  return { name, kind: "borrowers", protocols: ["morpho"], holders: 1, depositUsd: d(depositUsd), addedUsd: d("0"), endEquityUsd: d(depositUsd).minus(lossUsd), lossUsd: d(lossUsd), borrowerLossUsd: d(lossUsd), lendersLossUsd: d("0"), holdersLiquidated: 0, liquidations: 0, firstLiquidationBlock: null };
}

const inMorpho = { protocol: "morpho", market: "WETH/USDC" } as const;

function attempt(blockNumber: number, borrower: Address, reason: string): FailedAttempt {
  return { block: blockNumber, agent: "keepers#0", action: `liquidate ${borrower} in morpho WETH/USDC: repay 1000000 USDC for WETH`, reason };
}

describe("explain: wording", () => {
  it("percents: the precision is chosen after rounding, so a 9.96% fall is −10% like −15%, and 9.94% is −9.9%", () => {
    const t = told({ weth: ["1800.8", "1800.8", "1530.68"] });
    expect(t).to.include("block 1: WETH gaps down from $2,000 to $1,801 (−10%) in one block");
    expect(t).to.include("block 3: WETH gaps down from $1,801 to $1,531 (−15%) in one block");
    expect(t).to.not.include("10.0%");
    expect(told({ weth: ["1801.2"] })).to.include("block 1: WETH gaps down from $2,000 to $1,801 (−9.9%) in one block");
  });

  it("the spot holder of each asset is compared only with the groups that hold it", () => {
    const shorts = { ...BASE.borrowers[0]!, name: "usdc-shorts", collateral: [{ asset: "USDC", shareWad: 10n ** 18n }], debt: "WETH" };
    const t = told({
      scenario: { ...BASE, borrowers: [...BASE.borrowers, shorts] },
      weth: ["1400"],
      usdc: ["0.95"],
      groups: [group("eth-longs", "10000", "6000"), group("usdc-shorts", "10000", "5000")],
    });
    expect(t).to.include(
      "Holding WETH outright (spot, no debt) lost 30% over the run; spot can never lose more than 100%, and cannot be liquidated. The borrowed positions lost more: eth-longs 60% of what they put in.",
    );
    expect(t).to.include(
      "Holding USDC outright (spot, no debt) lost 5.0% over the run; spot can never lose more than 100%, and cannot be liquidated. The borrowed positions lost more: usdc-shorts 50% of what they put in.",
    );
  });

  it("write-offs after a gap are told in their block, or over the span they really cover", () => {
    const gap = ["2000", "1000", "1000"];
    const oneBlock = told({ weth: gap, badDebt: [badDebt({ ...inMorpho, block: 2, borrower: ALICE }), badDebt({ ...inMorpho, block: 2, borrower: BOB })] });
    expect(oneBlock).to.include("WETH fell 50% in one block (block 2): a price that gaps skips the liquidation point, so no keeper can liquidate in between. In block 2, 2 positions had debt written off that their collateral could not cover.");
    expect(oneBlock).to.not.include("Within two blocks");
    const twoBlocks = told({ weth: gap, badDebt: [badDebt({ ...inMorpho, block: 2, borrower: ALICE }), badDebt({ ...inMorpho, block: 3, borrower: BOB })] });
    expect(twoBlocks).to.include("In blocks 2–3, 2 positions had debt written off that their collateral could not cover.");
  });

  it("who absorbed a loss: the lending split in its words, any other absorber part by part", () => {
    const gap = ["2000", "1000", "1000"];
    const lending = told({ weth: gap, badDebt: [badDebt({ ...inMorpho, block: 2, borrower: ALICE })] });
    expect(lending).to.include("$300.00 of USDC debt of 1 position in morpho WETH/USDC is written off, no collateral left behind it: $100.00 from the protocol's reserves, $200.00 from its suppliers");
    expect(lending).to.include("Reserves (the insurance fund) absorbed the first $100.00 of the write-offs; the remaining $200.00 was socialized");
    // A perp-like split: an insurance fund, auto-deleveraged winners, and $25 still unabsorbed.
    const absorbedBy = { insuranceFund: { amount: 100_000_000n, usd: "100" }, autoDeleveraged: { amount: 175_000_000n, usd: "175" } };
    const other = told({ weth: gap, badDebt: [badDebt({ ...inMorpho, block: 2, borrower: ALICE, absorbedBy })] });
    const parts = "$100.00 from the insurance fund, $175.00 from auto-deleveraged opposite positions, $25.00 not absorbed by anyone yet";
    expect(other).to.include(`is written off, no collateral left behind it: ${parts}`);
    expect(other).to.include(`$300.00 written off (${parts})`);
    expect(other).to.include(`The write-offs were absorbed: ${parts}.`);
    expect(other).to.not.include("suppliers");
  });

  it("one liquidator is told in the singular, several in the plural", () => {
    expect(told({ weth: ["2000"] })).to.include("keepers: 1 liquidator with 1,000,000 USDC; it acts at once, bids 2 gwei");
    const three = { ...BASE, liquidators: BASE.liquidators.map((l) => ({ ...l, count: 3, delayBlocks: 20 })) };
    expect(told({ scenario: three, weth: ["2000"] })).to.include("keepers: 3 liquidators with 1,000,000 USDC each; they wait 20 blocks, bid 2 gwei");
  });

  it("delays: the first liquidation of each episode (summary.delayBlocks) is told apart from every liquidation, follow-ups included", () => {
    const weth = ["1900", "1800", "1700", "1600", "1500"];
    const episodes = [episode({ ...inMorpho, borrower: ALICE, startBlock: 1, firstLiquidationBlock: 1, endBlock: 5 }), episode({ ...inMorpho, borrower: BOB, startBlock: 2, firstLiquidationBlock: 3, endBlock: 3 })];
    const liquidations = [
      liquidation({ ...inMorpho, id: 0, borrower: ALICE, block: 1, episodeStartBlock: 1, delayBlocks: 0 }),
      liquidation({ ...inMorpho, id: 1, borrower: BOB, block: 3, episodeStartBlock: 2, delayBlocks: 1 }),
      liquidation({ ...inMorpho, id: 2, borrower: ALICE, block: 4, episodeStartBlock: 1, delayBlocks: 3 }),
    ];
    const t = told({ weth, episodes, liquidations });
    // Episodes' first delays are 0 and 1 (median by nearest rank: 0); ALICE's follow-up came 3 blocks after.
    // BOB waited from block 2 ($1,800) to block 3 ($1,700): −5.6%.
    expect(t).to.include(
      "The first liquidation of each position came a median 0 blocks and at most 1 block after it became liquidatable; counting every liquidation, follow-ups on positions already liquidated once included, up to 3 blocks; while the slowest keeper waited, WETH fell another 5.6%.",
    );
    // The timeline counts each liquidation: BOB's after 1 block and ALICE's follow-up after 3.
    expect(t).to.include("blocks 3–4: 2 liquidations by fast (2) repay $2,000 of debt, 1–3 blocks after the positions became liquidatable");
    const prompt = told({ weth, episodes: [episodes[0]!], liquidations: [liquidations[0]!, liquidations[2]!] });
    expect(prompt).to.include(
      "Every position was first liquidated in the block it became liquidatable: the keepers were as fast as the chain allows; counting every liquidation, follow-ups on positions already liquidated once included, up to 3 blocks.",
    );
    expect(told({ weth, episodes: [episodes[0]!], liquidations: [liquidations[0]!] })).to.include(
      "Every liquidation came in the block its position became liquidatable: the keepers were as fast as the chain allows.",
    );
  });

  it("the oracle note gives the feed, the sign and the block of its widest gap", () => {
    // Block 2: the feed still reads $2,000 against a $1,800 market: +11.1%.
    const t = told({ weth: ["1900", "1800"], wethFeed: ["2000", "2000"] });
    expect(t).to.include("The WETH feed read up to 11% above the market (block 2).");
  });

  it("the health factor is defined in plain words once, at its first mention", () => {
    const t = told({ weth: ["2000"] });
    const definition =
      "(health factor: the collateral's value times the liquidation threshold, or the LLTV in an isolated market, divided by the debt; below 1, anyone may liquidate the position)";
    expect(t).to.include(`eth-longs: 4 borrowers in morpho, $20,000–$40,000 of WETH collateral each against USDC debt, health factors 1.10–1.30 ${definition}`);
    expect(t.split("(health factor:").length - 1).to.equal(1);
  });

  it("episodes never liquidated: the failed transactions' reasons, counted, and the untried ones' cause", () => {
    const t = told({
      weth: ["2000", "1900", "1900", "1900"],
      episodes: [
        episode({ ...inMorpho, borrower: ALICE, startBlock: 2, firstLiquidationBlock: null, endBlock: null }),
        episode({ ...inMorpho, borrower: BOB, startBlock: 2, firstLiquidationBlock: null, endBlock: 3 }),
      ],
      failedAttempts: [
        attempt(2, ALICE, "reverted: HealthyPosition"),
        attempt(3, ALICE, "reverted: HealthyPosition"),
        attempt(4, ALICE, "not mined: fee below the base fee or no room in the block"),
        // Another position's failure is not counted against these episodes.
        attempt(2, CAROL, "reverted: StalePrice"),
      ],
    });
    expect(t).to.include(
      "2 of 2 liquidatable episodes saw no liquidation. Keepers tried 1 of them, and all 3 attempts failed: HealthyPosition (2): lost races, another liquidator got there first in the same block (or the oracle moved back); not mined (1): the fee was below the base fee or the blocks were full (keepers priced out by gas). No keeper tried the other one: the price came back before any keeper found it worth a transaction.",
    );
    expect(t).to.not.include("too small to pay for the gas");
  });

  it("a perp keeper's failed calls count against the episode of the account in that market (its key `<base>-USD`)", () => {
    const t = missedEpisodesSentence({
      scenario: BASE,
      blocks: [],
      episodes: [episode({ protocol: "perpdex", market: "WETH-USD", borrower: ALICE, startBlock: 2, firstLiquidationBlock: null, endBlock: 3 })],
      failedAttempts: [
        { block: 3, agent: "perp-keeper#0", action: `liquidate ${ALICE} in perpdex WETH-USD: full, size 1, keeper fee 0 USDC, adl over 0 positions`, reason: "reverted: HealthyAccount" },
      ],
    });
    expect(t).to.equal(
      "1 of 1 liquidatable episode saw no liquidation. Keepers tried it, and the attempt failed with HealthyAccount: lost races, another liquidator got there first in the same block (or the oracle moved back).",
    );
  });

  it("episodes no keeper tried: offline, still waiting out a delay, or not worth the gas", () => {
    const lone = (endBlock: number | null) => [episode({ ...inMorpho, borrower: ALICE, startBlock: 2, firstLiquidationBlock: null, endBlock })];
    const weth = ["2000", "1900", "1900", "1900"];
    const outage = { ...BASE, events: [{ type: "keeperOutage" as const, liquidator: "keepers", fromBlock: 1, toBlock: 4 }] };
    expect(told({ scenario: outage, weth, episodes: lone(3) })).to.include("1 of 1 liquidatable episode saw no liquidation. No keeper tried it: the keepers were offline.");
    const slow = { ...BASE, liquidators: BASE.liquidators.map((l) => ({ ...l, delayBlocks: 5 })) };
    expect(told({ scenario: slow, weth, episodes: lone(3) })).to.include("No keeper tried it: the price came back while the keepers waited out their delay.");
    expect(told({ scenario: slow, weth, episodes: lone(null) })).to.include("No keeper tried it: the run ended while the keepers waited out their delay.");
    expect(told({ weth, episodes: lone(null) })).to.include("No keeper tried it: no keeper found it worth its gas, or had the capital for it.");
  });
});
