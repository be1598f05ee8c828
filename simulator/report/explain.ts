/**
 * `npm run explain`: a run told in plain words. A timeline of what happened block by block (market
 * moves, oracle gaps, positions falling below health factor 1, liquidations and who made them, failed
 * transactions, bad debt written off or left latent), the outcome per group of position holders, and
 * what to notice. Every sentence is computed from the run's records; nothing is canned but the
 * wording. Pure: the same run gives the same text.
 */
import Decimal from "decimal.js";
import { byAbsorber } from "../state";
import type { LossRecord, BlockRecord, FailedAttempt, LiquidatableEpisode, LiquidationRecord } from "../observe/types";
import { scenarioKind, type VenueWords } from "../scenario/kinds";
import type { Scenario } from "../scenario/types";
import { lendingSplit, splitText } from "./lossWords";
import { missedEpisodesSentence } from "./missedEpisodes";
import { priceGapDetail, type PriceGap } from "./priceGaps";
import type { GroupOutcomeJson, RunResultJson } from "./types";
import { formatPctForDisplay } from "./format";
import { haircutOf } from "./waterfall";
import { waterfallSentence } from "./waterfallLines";

export interface ExplainInput {
  scenario: Scenario;
  blocks: readonly BlockRecord[];
  liquidations: readonly LiquidationRecord[];
  badDebt: readonly LossRecord[];
  episodes: readonly LiquidatableEpisode[];
  failedAttempts: readonly FailedAttempt[];
  /** The run's result.json content (summary and groups). */
  result: RunResultJson;
  /** An account's name in the scenario, for the loss waterfall's sentences (default: its address). */
  nameOf?: (account: string) => string;
}

/** A single-block move at least this large (fraction) is called a gap. */
const GAP = 0.05;
/** A single-block fall at least this large (fraction) gets its own note. */
const BIG_GAP = 0.1;
/** A run of same-direction moves is told when it adds up to at least this (fraction). */
const SLIDE = 0.03;
/** A feed this far (fraction) from the market is told as lagging. */
const FEED_GAP = 0.02;
/** At most this many timeline lines; the rest are counted. */
const MAX_TIMELINE_LINES = 60;
const WIDTH = 100;
const WAD = 10n ** 18n;

/** A paragraph of the narration: `lead` starts its first line, `indent` the lines it wraps onto. */
interface Para {
  lead: string;
  indent: string;
  text: string;
}

/** Follows the first paragraph that names the health factor: what it is, in plain words. */
const HEALTH_FACTOR_DEFINED =
  "(health factor: the collateral's value times the liquidation threshold, or the LLTV in an isolated market, divided by the debt; below 1, anyone may liquidate the position)";

interface Line {
  block: number;
  /** Lines of one block keep this order: market, oracle, events, positions, liquidations, failures, bad debt. */
  order: number;
  text: string;
}

// ---------------------------------------------------------------- number wording

function num(value: Decimal | number | string): Decimal {
  return new Decimal(typeof value === "number" ? value : value.toString());
}

/** "$1,234,567" from $1,000 up, "$12.34" below, "-$5.00" for negatives. */
export function usd(value: Decimal | number | string): string {
  const v = num(value);
  const abs = v.abs();
  const digits = abs.gte(1000) ? 0 : 2;
  const [whole = "0", frac] = abs.toFixed(digits, Decimal.ROUND_HALF_UP).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = `$${grouped}${frac === undefined ? "" : `.${frac}`}`;
  return v.isNegative() && !abs.toFixed(digits, Decimal.ROUND_HALF_UP).match(/^0(\.0+)?$/) ? `-${text}` : text;
}

/** A USD price from E8: "$2,000", "$1,400.50", "$0.9990". */
function price(priceE8: bigint): string {
  const v = num(priceE8.toString()).div(1e8);
  if (v.gte(1000)) return usd(v.toDecimalPlaces(v.isInteger() ? 0 : 2));
  if (v.gte(1)) return `$${v.toFixed(2)}`;
  const small = v.toSignificantDigits(4);
  return `$${small.toFixed(Math.max(2, small.decimalPlaces()))}`;
}

/**
 * A signed percent change: whole percents from 10% up, one decimal from 1%, two below: "−30%",
 * "+4.2%", "−0.41%". The precision is chosen after rounding, so 9.96% is "10%", never "10.0%".
 */
function pct(fraction: number): string {
  const p = fraction * 100;
  const abs = Math.abs(p);
  const one = abs.toFixed(1);
  const two = abs.toFixed(2);
  const text = Number(one) >= 10 ? abs.toFixed(0) : Number(two) >= 1 ? one : two;
  return `${p < 0 ? "−" : "+"}${text}%`;
}

/** An unsigned percent: "30%", "4.2%". */
function share(fraction: number): string {
  return pct(fraction).slice(1);
}

/** A token amount in whole units with thousands separators: "2,000,000", "12.5". */
function amount(native: bigint, decimals: number): string {
  const [whole = "0", frac] = num(native.toString()).div(num(10).pow(decimals)).toString().split(".");
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac === undefined ? "" : `.${frac}`}`;
}

/** "12 s", "5 min", "1 h", "1 day". */
function duration(seconds: number): string {
  if (seconds % 86_400 === 0) return plural(seconds / 86_400, "day");
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function blocksText(from: number, to: number): string {
  return from === to ? `block ${from}` : `blocks ${from}–${to}`;
}

/** A health factor to 2 places, rounded down (0.999 is "0.99": below 1 stays below 1). */
function hf(wad: bigint): string {
  return num(wad.toString()).div(1e18).toFixed(2, Decimal.ROUND_DOWN);
}

/** A leverage or ratio without trailing zeros: "4", "1.5". */
function times(wad: bigint): string {
  return num(wad.toString()).div(1e18).toString();
}

/** "a (3), b (2)" from counts, largest first, then in `order` (else by name). */
function counted(counts: Map<string, number>, order: readonly string[] = []): string {
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  return [...counts]
    .sort((a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${k} (${n})`)
    .join(", ");
}

function group(agent: string): string {
  return agent.replace(/#\d+$/, "");
}

function wrap(text: string, indent: string, width = WIDTH): string {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line.length > 0 && line.length + 1 + w.length > width - indent.length) {
      lines.push(line);
      line = w;
    } else line = line.length > 0 ? `${line} ${w}` : w;
  }
  if (line.length > 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`)).join("\n");
}

// ---------------------------------------------------------------- the story

/** Blocks in which the market price of `symbol` is recorded, with block 0 at its initial price. */
function marketSeries(input: ExplainInput, symbol: string): bigint[] {
  const initial = input.scenario.assets.find((a) => a.symbol === symbol)?.initialPriceE8 ?? 0n;
  return [initial, ...input.blocks.map((b) => b.marketPriceE8[symbol] ?? initial)];
}

function ratio(a: bigint, b: bigint): number {
  return b === 0n ? 0 : Number(a) / Number(b) - 1;
}

function marketLines(input: ExplainInput): Line[] {
  const out: Line[] = [];
  for (const a of input.scenario.assets) {
    const series = marketSeries(input, a.symbol);
    // Runs of blocks that move the same way; a one-block run is told only when it is a gap.
    let runStart = -1;
    let dir = 0;
    let biggest = 0;
    const closeRun = (end: number) => {
      if (runStart < 0) return;
      const from = series[runStart] ?? 0n;
      const to = series[end] ?? 0n;
      const move = ratio(to, from);
      if (end - runStart === 1 && Math.abs(move) >= GAP) {
        out.push({ block: end, order: 0, text: `block ${end}: ${a.symbol} ${move < 0 ? "gaps down" : "jumps up"} from ${price(from)} to ${price(to)} (${pct(move)}) in one block` });
      } else if (end - runStart >= 2 && Math.abs(move) >= SLIDE) {
        const step = Math.abs(biggest) >= GAP ? `, up to ${pct(biggest)} in a single block` : "";
        out.push({ block: runStart + 1, order: 0, text: `${blocksText(runStart + 1, end)}: ${a.symbol} ${move < 0 ? "falls" : "climbs"} from ${price(from)} to ${price(to)} (${pct(move)}) at market${step}` });
      }
      runStart = -1;
      dir = 0;
      biggest = 0;
    };
    for (let b = 1; b < series.length; b++) {
      const move = ratio(series[b] ?? 0n, series[b - 1] ?? 0n);
      const d = Math.sign(move);
      if (d === 0 || d !== dir) {
        closeRun(b - 1);
        if (d !== 0) {
          runStart = b - 1;
          dir = d;
        }
      }
      if (Math.abs(move) > Math.abs(biggest)) biggest = move;
    }
    closeRun(series.length - 1);
  }
  return out;
}

/** Stretches where a feed was off the market by at least FEED_GAP, or could not be read. */
function oracleLines(input: ExplainInput): Line[] {
  const out: Line[] = [];
  const feeds: { label: string; asset: string; at: (b: BlockRecord) => bigint | null | undefined }[] = [
    ...input.scenario.assets.map((a) => ({ label: `the ${a.symbol} feed`, asset: a.symbol, at: (b: BlockRecord) => b.oraclePriceE8[a.symbol] })),
    ...input.scenario.oracles.map((o) => ({
      label: `${o.name} (${o.type === "ammSpot" ? "the spot price" : `a ${o.windowSeconds}-second TWAP`} of ${o.amm})`,
      asset: o.asset,
      at: (b: BlockRecord) => b.ammOraclePriceE8[o.name],
    })),
  ];
  for (const f of feeds) {
    let start = -1;
    let worst = 0;
    let worstOracle = 0n;
    let worstMarket = 0n;
    let reverting = -1;
    const flush = (end: number) => {
      if (start >= 0) {
        const above = worst > 0;
        out.push({
          block: start,
          order: 1,
          text: `${blocksText(start, end)}: ${f.label} reads up to ${share(Math.abs(worst))} ${above ? "above" : "below"} the market (${price(worstOracle)} while ${f.asset} trades at ${price(worstMarket)})`,
        });
      }
      start = -1;
      worst = 0;
    };
    for (const b of input.blocks) {
      const o = f.at(b);
      const m = b.marketPriceE8[f.asset] ?? 0n;
      if (o === null || o === undefined) {
        flush(b.block - 1);
        if (reverting < 0) reverting = b.block;
        continue;
      }
      if (reverting >= 0) {
        out.push({ block: reverting, order: 1, text: `${blocksText(reverting, b.block - 1)}: reading ${f.label} reverts: the protocols cannot price ${f.asset}` });
        reverting = -1;
      }
      const gap = ratio(o, m);
      if (Math.abs(gap) >= FEED_GAP) {
        if (start < 0) start = b.block;
        if (Math.abs(gap) > Math.abs(worst)) {
          worst = gap;
          worstOracle = o;
          worstMarket = m;
        }
      } else flush(b.block - 1);
    }
    const last = input.blocks[input.blocks.length - 1]?.block ?? 0;
    flush(last);
    if (reverting >= 0) out.push({ block: reverting, order: 1, text: `${blocksText(reverting, last)}: reading ${f.label} reverts: the protocols cannot price ${f.asset}` });
  }
  return out;
}

function eventLines(input: ExplainInput): Line[] {
  const out: Line[] = [];
  const gwei = (wei: bigint) => `${num(wei.toString()).div(1e9).toString()} gwei`;
  for (const e of input.scenario.events) {
    const when = blocksText(e.fromBlock, e.toBlock);
    switch (e.type) {
      case "gasSpike":
        out.push({ block: e.fromBlock, order: 2, text: `${when}: the base fee is ${gwei(e.baseFeeWei)} (a gas spike)` });
        break;
      case "congestion":
        out.push({ block: e.fromBlock, order: 2, text: `${when}: other traffic fills ${e.gas.toLocaleString("en-US")} of each block's ${input.scenario.blockGasLimit.toLocaleString("en-US")} gas, bidding ${gwei(e.priorityFeeWei)} priority` });
        break;
      case "keeperOutage":
        out.push({ block: e.fromBlock, order: 2, text: `${when}: liquidator group ${e.liquidator} is offline` });
        break;
      case "feedFreeze":
        out.push({ block: e.fromBlock, order: 2, text: `${when}: the ${e.asset} feed is frozen: it ignores updates and keeps its last answer` });
        break;
      case "feedRevert":
        out.push({ block: e.fromBlock, order: 2, text: `${when}: reads of the ${e.asset} feed revert` });
        break;
      case "feedWrongPrice":
        out.push({ block: e.fromBlock, order: 2, text: `${when}: the ${e.asset} feed reports a wrong price, ${price(e.priceE8)}` });
        break;
    }
  }
  for (const f of input.scenario.feeds) {
    for (const w of f.outages) out.push({ block: w.fromBlock, order: 2, text: `${blocksText(w.fromBlock, w.toBlock)}: the ${f.asset} feed's keeper pushes nothing (an outage)` });
  }
  return out;
}

function positionLines(input: ExplainInput): Line[] {
  const out: Line[] = [];
  const atStart = input.episodes.filter((e) => e.startBlock === 0);
  if (atStart.length > 0) out.push({ block: 0, order: 3, text: `at the start: ${plural(atStart.length, "position is", "positions are")} already below health factor 1` });
  for (const [from, to] of runsOf(input.episodes.filter((e) => e.startBlock > 0).map((e) => e.startBlock))) {
    const episodes = input.episodes.filter((e) => e.startBlock >= from && e.startBlock <= to);
    const perProtocol = new Map<string, number>();
    for (const e of episodes) perProtocol.set(e.protocol, (perProtocol.get(e.protocol) ?? 0) + 1);
    const caused = episodes.filter((e) => e.generation > 0).length;
    const where = input.scenario.protocols.length > 1 ? `, in ${counted(perProtocol, input.scenario.protocols.map((p) => p.name))}` : "";
    const why = caused > 0 ? `; ${caused} of them tipped over by earlier liquidations' sales` : "";
    const verb = from === to ? (episodes.length === 1 ? "falls" : "fall") : "fall";
    out.push({ block: from, order: 3, text: `${blocksText(from, to)}: ${plural(episodes.length, "position")} ${verb} below health factor 1 at oracle prices${where}${why}` });
  }
  // Underwater at market prices but not liquidatable: what a lagging or frozen oracle hides.
  let start = -1;
  let most = 0;
  const flush = (end: number) => {
    if (start >= 0) out.push({ block: start, order: 3, text: `${blocksText(start, end)}: up to ${plural(most, "position is", "positions are")} underwater at market prices while the oracle still calls ${most === 1 ? "it" : "them"} healthy` });
    start = -1;
    most = 0;
  };
  for (const b of input.blocks) {
    let hidden = 0;
    for (const p of Object.values(b.protocols)) hidden += Math.max(0, p.underwaterAtMarket - p.liquidatable);
    if (hidden > 0) {
      if (start < 0) start = b.block;
      most = Math.max(most, hidden);
    } else flush(b.block - 1);
  }
  flush(input.blocks[input.blocks.length - 1]?.block ?? 0);
  return out;
}

/** Consecutive blocks with at least one record, as [from, to] runs. */
function runsOf(blocks: readonly number[]): [number, number][] {
  const sorted = [...new Set(blocks)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const b of sorted) {
    const last = runs[runs.length - 1];
    if (last && b === last[1] + 1) last[1] = b;
    else runs.push([b, b]);
  }
  return runs;
}

function liquidationLines(input: ExplainInput): Line[] {
  const out: Line[] = [];
  for (const [from, to] of runsOf(input.liquidations.map((l) => l.block))) {
    const ls = input.liquidations.filter((l) => l.block >= from && l.block <= to);
    const byGroup = new Map<string, number>();
    for (const l of ls) byGroup.set(group(l.liquidator), (byGroup.get(group(l.liquidator)) ?? 0) + 1);
    const repaid = ls.reduce((s, l) => s.plus(l.debtRepaidUsd), new Decimal(0));
    const profit = ls.reduce((s, l) => s.plus(l.profitUsd), new Decimal(0));
    const delays = ls.map((l) => l.delayBlocks);
    const minDelay = Math.min(...delays);
    const maxDelay = Math.max(...delays);
    const one = ls.length === 1;
    const became = `after ${one ? "the position" : "the positions"} became liquidatable`;
    const when =
      maxDelay === 0
        ? `in the block ${one ? "the position" : "the positions"} became liquidatable`
        : minDelay === maxDelay
          ? `${plural(maxDelay, "block")} ${became}`
          : `${minDelay}–${maxDelay} blocks ${became}`;
    const parts = [
      `${blocksText(from, to)}: ${plural(ls.length, "liquidation")} by ${counted(byGroup)} ${one ? "repays" : "repay"} ${usd(repaid)} of debt, ${when}; ${one ? "the liquidator" : "the liquidators"} ${profit.gte(0) ? `${one ? "keeps" : "keep"} ${usd(profit)} after gas` : `${one ? "loses" : "lose"} ${usd(profit.neg())} after gas`}`,
    ];
    const perProtocol = new Map<string, number>();
    for (const l of ls) perProtocol.set(l.protocol, (perProtocol.get(l.protocol) ?? 0) + 1);
    if (input.scenario.protocols.length > 1) parts.push(`in ${counted(perProtocol, input.scenario.protocols.map((p) => p.name))}`);
    const caused = ls.filter((l) => l.generation > 0);
    if (caused.length > 0) {
      const deepest = Math.max(...caused.map((l) => l.generation));
      parts.push(`${caused.length} of them caused by earlier liquidations' sales (down to generation ${deepest})`);
    }
    const falseOnes = ls.filter((l) => l.marketHealthFactorWad !== null && l.marketHealthFactorWad >= WAD);
    if (falseOnes.length > 0) parts.push(`${falseOnes.length} of them of positions healthy at market prices`);
    const deep = ls.filter((l) => l.marketHealthFactorWad !== null && l.marketHealthFactorWad < WAD);
    if (deep.length > 0) {
      const lowest = deep.reduce((m, l) => (l.marketHealthFactorWad !== null && l.marketHealthFactorWad < m ? l.marketHealthFactorWad : m), WAD);
      parts.push(`the weakest at health factor ${hf(lowest)} at market prices`);
    }
    out.push({ block: from, order: 4, text: parts.join("; ") });
  }
  return out;
}

function failureLines(input: ExplainInput): Line[] {
  const out: Line[] = [];
  const relevant = input.failedAttempts;
  for (const [from, to] of runsOf(relevant.map((f) => f.block))) {
    const fs = relevant.filter((f) => f.block >= from && f.block <= to);
    const reasons = new Map<string, number>();
    for (const f of fs) {
      const key = `${group(f.agent)} ${f.action.split(" ")[0]}: ${f.reason}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    out.push({ block: from, order: 5, text: `${blocksText(from, to)}: ${plural(fs.length, "transaction")} failed: ${counted(reasons)}` });
  }
  return out;
}

/** The words of a protocol's kind (docs/venues.md, Words): where its losses are, what absorbed them. */
function wordsOf(scenario: Scenario, protocol: string): VenueWords {
  const spec = scenario.protocols.find((p) => p.name === protocol);
  if (spec === undefined) throw new Error(`internal: the records name protocol ${protocol}, which the scenario does not have`);
  return scenarioKind(spec.type).words;
}

/** " (a haircut of 65.03% of the winners' profit at mark)" when the losses were socialized, else "". */
function haircutText(records: readonly LossRecord[]): string {
  const h = haircutOf(records);
  return h ? ` (a haircut of ${formatPctForDisplay(h.pct)} of the winners' profit at mark)` : "";
}

function badDebtLines(input: ExplainInput): Line[] {
  const out: Line[] = [];
  for (const [from, to] of runsOf(input.badDebt.map((d) => d.block))) {
    const ds = input.badDebt.filter((d) => d.block >= from && d.block <= to);
    const perPlace = new Map<string, LossRecord[]>();
    for (const d of ds) {
      const key = wordsOf(input.scenario, d.protocol).place(d.protocol, d.market);
      perPlace.set(key, [...(perPlace.get(key) ?? []), d]);
    }
    for (const [place, records] of perPlace) {
      const total = records.reduce((s, d) => s.plus(d.amountUsd), new Decimal(0));
      const split = {
        absorbed: byAbsorber((by) => records.reduce((s, d) => s.plus(d.absorbedBy[by].usd), new Decimal(0))),
        unabsorbed: records.reduce((s, d) => s.plus(d.unabsorbed.usd), new Decimal(0)),
      };
      const lending = lendingSplit(split);
      const asset = records[0]?.asset ?? "";
      const words = wordsOf(input.scenario, records[0]?.protocol ?? "");
      out.push({
        block: from,
        order: 6,
        text: `${blocksText(from, to)}: ${usd(total)} of ${asset} ${words.liability} of ${plural(new Set(records.map((r) => r.borrower)).size, words.position)} in ${place} is written off, no collateral left behind it: ${
          lending === null
            ? splitText(split, usd)
            : lending.reserves.gte(0.005)
              ? `${usd(lending.reserves)} from ${words.loss.reserves}, ${usd(lending.suppliers)} from ${words.loss.suppliers}`
              : `all of it from ${words.loss.suppliers}`
        }${haircutText(records)}`,
      });
    }
  }
  // Latent bad debt: first appearance and peak.
  let first = -1;
  let peak = new Decimal(0);
  let peakBlock = -1;
  for (const b of input.blocks) {
    const latent = Object.values(b.protocols).reduce((s, p) => s.plus(p.latentBadDebtMarketUsd), new Decimal(0));
    if (latent.gt(0) && first < 0) {
      first = b.block;
      out.push({ block: b.block, order: 6, text: `block ${b.block}: open positions now owe more than their collateral is worth: ${usd(latent)} of latent bad debt at market prices` });
    }
    if (latent.gt(peak)) {
      peak = latent;
      peakBlock = b.block;
    }
  }
  if (peakBlock > first && first >= 0) out.push({ block: peakBlock, order: 6, text: `block ${peakBlock}: latent bad debt peaks at ${usd(peak)}` });
  return out;
}

function timeline(input: ExplainInput): Para[] {
  const lines = [
    ...marketLines(input),
    ...oracleLines(input),
    ...eventLines(input),
    ...positionLines(input),
    ...liquidationLines(input),
    ...failureLines(input),
    ...badDebtLines(input),
  ].sort((a, b) => a.block - b.block || a.order - b.order);
  const para = (text: string): Para => ({ lead: "  ", indent: "      ", text });
  const shown = lines.slice(0, MAX_TIMELINE_LINES).map((l) => para(l.text));
  if (lines.length > MAX_TIMELINE_LINES) shown.push(para(`… and ${plural(lines.length - MAX_TIMELINE_LINES, "more line")} (result.json and series.csv have every block)`));
  if (shown.length === 0) shown.push(para("nothing happened: no price moved enough to tell, no position fell below health factor 1"));
  return shown;
}

// ---------------------------------------------------------------- setup, outcome, notice

function setup(input: ExplainInput): Para[] {
  const s = input.scenario;
  const out: string[] = [];
  for (const g of s.borrowers) {
    const hfs = g.healthFactorWad.min === g.healthFactorWad.max ? `health factor ${hf(g.healthFactorWad.min)}` : `health factors ${hf(g.healthFactorWad.min)}–${hf(g.healthFactorWad.max)}`;
    const size =
      g.collateralUsdE8.min === g.collateralUsdE8.max ? usd(num(g.collateralUsdE8.min.toString()).div(1e8)) : `${usd(num(g.collateralUsdE8.min.toString()).div(1e8))}–${usd(num(g.collateralUsdE8.max.toString()).div(1e8))}`;
    const defend = g.defensive ? `, ${share(Number(g.defensive.shareWad) / 1e18)} of them defend below health factor ${hf(g.defensive.belowHealthFactorWad)}` : "";
    // "WETH", or "60% WETH and 40% MEME" (cross margin in a pool, one position per market in an isolated protocol).
    const mix = g.collateral.length === 1 ? (g.collateral[0]?.asset ?? "") : g.collateral.map((c) => `${share(Number(c.shareWad) / 1e18)} ${c.asset}`).join(" and ");
    out.push(`${g.name}: ${plural(g.count, "borrower")} in ${g.protocol}, ${size} of ${mix} collateral each against ${g.debt} debt, ${hfs}${defend}`);
  }
  for (const l of s.loopers) {
    out.push(`${l.name}: ${plural(l.count, "looper")} levering ${l.collateral} against ${l.debt} to ${times(l.targetLeverageWad)}x across ${l.legs.join(" and ")} through ${l.amm}`);
  }
  for (const l of s.liquidators) {
    const one = l.count === 1;
    const how = l.atomicVia
      ? `flash-borrowing from ${l.atomicVia}`
      : l.capital.length === 0
        ? "without capital"
        : `with ${l.capital.map((c) => `${amount(c.amount, s.assets.find((a) => a.symbol === c.asset)?.decimals ?? 0)} ${c.asset}`).join(" and ")}${one ? "" : " each"}`;
    const delay = l.delayBlocks === 0 ? (one ? "acts at once" : "act at once") : `${one ? "waits" : "wait"} ${plural(l.delayBlocks, "block")}`;
    const min = l.backstop ? ", whatever the profit (the venue's own liquidation engine)" : l.minProfitUsdE8 > 0n ? `, only for ${usd(num(l.minProfitUsdE8.toString()).div(1e8))} of profit or more` : "";
    out.push(`${l.name}: ${plural(l.count, "liquidator")} ${how}; ${one ? "it" : "they"} ${delay}, ${one ? "bids" : "bid"} ${num(l.priorityFeeWei.toString()).div(1e9).toString()} gwei${min}`);
  }
  for (const f of s.feeds) {
    const parts = [`pushed on a ${(f.deviationBps / 100).toString()}% move${f.heartbeatSeconds > 0 ? ` or every ${duration(f.heartbeatSeconds)}` : ""}`];
    if (f.delayBlocks > 0) parts.push(`its keeper sees prices ${plural(f.delayBlocks, "block")} late`);
    out.push(`the ${f.asset} feed: ${parts.join("; ")}`);
  }
  return out.map((text) => ({ lead: "  ", indent: "    ", text }));
}

const HOLDER_WORD: Record<GroupOutcomeJson["kind"], string> = { borrowers: "borrower", loopers: "looper", traders: "trader" };

function groupSentence(g: GroupOutcomeJson): string {
  const who = `${g.name} (${plural(g.holders, HOLDER_WORD[g.kind])}, ${g.protocols.join(" + ")})`;
  const putIn = num(g.depositUsd).plus(g.addedUsd);
  const added = num(g.addedUsd).gt(0) ? ` and ${usd(g.addedUsd)} added while defending` : "";
  const loss = num(g.lossUsd);
  const liquidated = g.holdersLiquidated > 0 ? `; ${g.holdersLiquidated} of ${g.holders} liquidated, first at block ${g.firstLiquidationBlock ?? "?"}` : "; none liquidated";
  if (loss.lte(0)) return `${who} put in ${usd(g.depositUsd)}${added} and ${loss.lt(0) ? `gained ${usd(loss.neg())}` : "lost nothing"}${liquidated}`;
  const lenders = num(g.lendersLossUsd);
  const beyond = g.kind === "traders" ? "beyond the margin (the exchange's waterfall took it, or the trader owes it)" : "their lenders' (debt no collateral covers)";
  const split = lenders.gt(0) ? `: ${usd(g.borrowerLossUsd)} of it their own, ${usd(lenders)} ${beyond}` : "";
  return `${who} put in ${usd(putIn)}${added} and lost ${usd(loss)} (${share(loss.div(putIn.gt(0) ? putIn : 1).toNumber())} of it)${split}${liquidated}`;
}

function outcome(input: ExplainInput): Para[] {
  const s = input.result.summary;
  const lines: string[] = [];
  const liq = s.liquidations;
  lines.push(
    liq.count === 0
      ? "No liquidations."
      : `${plural(liq.count, "liquidation")} repaid ${usd(liq.debtRepaidUsd)} of debt and gave liquidators ${usd(liq.collateralSeizedUsd)} of collateral; they made ${usd(liq.liquidatorProfitUsd)} after ${usd(liq.gasCostUsd)} of gas.`,
  );
  const bd = s.badDebt;
  if (num(bd.totalUsd).isZero()) lines.push("No bad debt: every debt stayed covered by collateral.");
  else {
    const parts: string[] = [];
    if (num(bd.recordedUsd).gt(0)) {
      const split = { absorbed: bd.absorbedUsd, unabsorbed: bd.unabsorbedUsd };
      const lending = lendingSplit(split);
      parts.push(
        lending === null
          ? `${usd(bd.recordedUsd)} written off (${splitText(split, usd)})`
          : lending.reserves.gte(0.005)
            ? `${usd(bd.recordedUsd)} written off (${usd(lending.reserves)} from reserves, ${usd(lending.suppliers)} from suppliers)`
            : `${usd(bd.recordedUsd)} written off, all from suppliers`,
      );
    }
    if (num(bd.latentMarketUsd).gt(0)) parts.push(`${usd(bd.latentMarketUsd)} still latent at the end (open positions owing more than their collateral is worth at market prices)`);
    lines.push(`Bad debt: ${usd(bd.totalUsd)} in all: ${parts.join("; ")}.`);
  }
  for (const [name, p] of Object.entries(s.protocols)) if (p.waterfall) lines.push(waterfallSentence(name, p.waterfall, input.nameOf ?? ((a) => a)));
  for (const g of s.groups) lines.push(`${groupSentence(g)}.`);
  return lines.map((text) => ({ lead: "  ", indent: "  ", text }));
}

/** The collateral assets of the borrower and looper groups, in scenario order. */
function collateralAssets(scenario: Scenario): string[] {
  return [...new Set([...scenario.borrowers.flatMap((g) => g.collateral.map((c) => c.asset)), ...scenario.loopers.map((l) => l.collateral)])];
}

/**
 * How late the keepers were. `summary.delayBlocks` counts each liquidatable episode once, at its first
 * liquidation; the timeline's "N–M blocks after" counts every liquidation, follow-ups on a position
 * already liquidated once included: both are told, each named for what it counts.
 */
function lateKeepers(input: ExplainInput): string | null {
  const d = input.result.summary.delayBlocks;
  if (d.count === 0 || d.max === null) return null;
  const all = Math.max(...input.liquidations.map((l) => l.delayBlocks));
  const later = all > d.max ? `; counting every liquidation, follow-ups on positions already liquidated once included, up to ${plural(all, "block")}` : "";
  if (d.max === 0) {
    return all === 0
      ? "Every liquidation came in the block its position became liquidatable: the keepers were as fast as the chain allows."
      : `Every position was first liquidated in the block it became liquidatable: the keepers were as fast as the chain allows${later}.`;
  }
  // The episode whose first liquidation waited longest, and how far its collateral fell meanwhile.
  const slowest = input.episodes.reduce<LiquidatableEpisode | null>((m, e) => (e.firstLiquidationBlock !== null && (m === null || e.firstLiquidationBlock - e.startBlock > (m.firstLiquidationBlock ?? 0) - m.startBlock) ? e : m), null);
  const first = slowest && input.liquidations.find((l) => l.block === slowest.firstLiquidationBlock && l.borrower === slowest.borrower && l.protocol === slowest.protocol && l.market === slowest.market);
  let fell = "";
  if (slowest && first) {
    const before = input.blocks[slowest.startBlock - 1]?.marketPriceE8[first.collateral];
    const at = input.blocks[first.block - 1]?.marketPriceE8[first.collateral];
    if (before && at && at < before) fell = `; while the slowest keeper waited, ${first.collateral} fell another ${share(-ratio(at, before))}`;
  }
  return `The first liquidation of each position came a median ${plural(d.p50 ?? 0, "block")} and at most ${plural(d.max, "block")} after it became liquidatable${later}${fell}. Every block of delay is a block in which the collateral can fall below the debt.`;
}

/**
 * The widest gap of the push feeds and of the AMM-read feeds against the market, each with its sign,
 * source and block (`priceGapDetail`; result.json's `maxOracleVsMarketBps` covers push feeds only).
 */
function oracleNote(input: ExplainInput): string | null {
  const gaps = priceGapDetail(input);
  const told = [
    { gap: gaps.pushFeeds, label: (g: PriceGap) => `the ${g.source} feed` },
    { gap: gaps.ammReadFeeds, label: (g: PriceGap) => `the AMM-read feed ${g.source}` },
  ].flatMap(({ gap, label }) =>
    gap !== null && gap.signedBps.abs().gte(FEED_GAP * 10_000)
      ? [`${label(gap)} read up to ${share(gap.signedBps.abs().div(10_000).toNumber())} ${gap.signedBps.isNegative() ? "below" : "above"} the market (block ${gap.block})`]
      : [],
  );
  if (told.length === 0) return null;
  const sentence = told.join("; ");
  const hidden = Math.max(0, ...input.blocks.map((b) => Object.values(b.protocols).reduce((n, p) => n + Math.max(0, p.underwaterAtMarket - p.liquidatable), 0)));
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.${hidden > 0 ? ` While the oracles were off, up to ${plural(hidden, "position")} were underwater at market prices but not liquidatable: protocols act on the oracle's price, not the market's.` : ""}`;
}

/** Whether the borrower or looper group `name` holds `symbol` as collateral. */
function holds(scenario: Scenario, name: string, symbol: string): boolean {
  const borrowers = scenario.borrowers.find((g) => g.name === name);
  if (borrowers) return borrowers.collateral.some((c) => c.asset === symbol);
  return scenario.loopers.some((l) => l.name === name && l.collateral === symbol);
}

/** All the collateral a liquidation took from the borrower (the protocol's fee included), at the block's market price. */
function seizedUsd(input: ExplainInput, l: LiquidationRecord): Decimal {
  const priceE8 = input.blocks[l.block - 1]?.marketPriceE8[l.collateral] ?? 0n;
  const decimals = input.scenario.assets.find((a) => a.symbol === l.collateral)?.decimals ?? 0;
  return num(l.collateralSeized.toString()).mul(priceE8.toString()).div(1e8).div(num(10).pow(decimals));
}

/** Each collateral asset that moved, held outright over the run, against the borrowed groups that lost more. */
function spotHoldingSentences(input: ExplainInput): string[] {
  const groups = input.result.summary.groups;
  const out: string[] = [];
  for (const symbol of collateralAssets(input.scenario)) {
    const series = marketSeries(input, symbol);
    const first = series[0] ?? 0n;
    const last = series[series.length - 1] ?? 0n;
    const low = series.reduce((m, p) => (p < m ? p : m), first);
    if (first === last && low === first) continue;
    const change = ratio(last, first);
    const worst = ratio(low, first);
    const levered = groups.filter((g) => holds(input.scenario, g.name, symbol) && g.lossPct !== null && num(g.lossPct).gt(Math.abs(change) * 100 + 0.5));
    const contrast =
      levered.length > 0
        ? ` The borrowed positions lost more: ${levered.map((g) => `${g.name} ${share(num(g.lossPct ?? "0").div(100).toNumber())}`).join(", ")} of what they put in${levered.some((g) => num(g.lossPct ?? "0").gt(100)) ? "; past 100%, the rest is their lenders' loss" : ""}.`
        : "";
    out.push(`Holding ${symbol} outright (spot, no debt) ${change < 0 ? `lost ${share(-change)}` : `gained ${share(change)}`} over the run${worst < 0 && worst < change ? ` (${share(-worst)} at the lowest)` : ""}; spot can never lose more than 100%, and cannot be liquidated.${contrast}`);
  }
  return out;
}

/** The largest one-block fall of at least `BIG_GAP` (the first asset's on a tie), with the write-offs and liquidations right after it. */
function biggestGapSentence(input: ExplainInput): string | null {
  let gap: { symbol: string; block: number; move: number } | null = null;
  for (const a of input.scenario.assets) {
    const series = marketSeries(input, a.symbol);
    for (let b = 1; b < series.length; b++) {
      const move = ratio(series[b] ?? 0n, series[b - 1] ?? 0n);
      if (move <= -BIG_GAP && (gap === null || move < gap.move)) gap = { symbol: a.symbol, block: b, move };
    }
  }
  if (!gap) return null;
  const at = gap;
  const hit = input.liquidations.filter((l) => l.block === at.block || l.block === at.block + 1);
  const underwater = hit.filter((l) => l.marketHealthFactorWad !== null && l.marketHealthFactorWad < WAD);
  const written = input.badDebt.filter((d) => d.block >= at.block && d.block <= at.block + 2);
  const writtenBlocks = written.map((d) => d.block);
  const writtenWhen = blocksText(Math.min(...writtenBlocks), Math.max(...writtenBlocks));
  return `${at.symbol} fell ${share(-at.move)} in one block (block ${at.block}): a price that gaps skips the liquidation point, so no keeper can liquidate in between.${
    written.length > 0 ? ` In ${writtenWhen}, ${plural(new Set(written.map((d) => d.borrower)).size, "position")} had debt written off that their collateral could not cover.` : ""
  }${underwater.length > 0 ? ` The positions liquidated right after it were already at health factor ${hf(underwater.reduce((m, l) => (l.marketHealthFactorWad !== null && l.marketHealthFactorWad < m ? l.marketHealthFactorWad : m), WAD))} at market prices.` : ""}`;
}

/** Who absorbed the recorded write-offs: reserves then suppliers on a lending venue, each absorber otherwise; null without any. */
function lossAbsorbedSentence(bd: RunResultJson["summary"]["badDebt"]): string | null {
  const split = { absorbed: bd.absorbedUsd, unabsorbed: bd.unabsorbedUsd };
  const lending = lendingSplit(split);
  if (num(bd.recordedUsd).gt(0) && lending === null) return `The write-offs were absorbed: ${splitText(split, usd)}.`;
  if (num(bd.recordedUsd).gt(0) && lending !== null) {
    const { reserves, suppliers } = lending;
    return reserves.gte(0.005) && suppliers.gt(0)
      ? `Reserves (the insurance fund) absorbed the first ${usd(reserves)} of the write-offs; the remaining ${usd(suppliers)} was socialized: every supplier of the debt asset lost a share of their deposit.`
      : reserves.gte(0.005)
        ? `The protocol's reserves absorbed all ${usd(reserves)} of the write-offs; suppliers lost nothing.`
        : `No reserves stood in front: all ${usd(suppliers)} of the write-offs came out of the suppliers' deposits.`;
  }
  return null;
}

/** The group that lost the largest share of what it put in against the one that lost the smallest; null unless they differ. */
function groupsComparedSentence(groups: readonly GroupOutcomeJson[]): string | null {
  const ranked = groups.filter((g) => g.lossPct !== null).sort((a, b) => num(b.lossPct ?? "0").cmp(num(a.lossPct ?? "0")));
  if (ranked.length < 2) return null;
  const top = ranked[0];
  const bottom = ranked[ranked.length - 1];
  if (!top || !bottom || top.lossPct === bottom.lossPct) return null;
  const part = (g: GroupOutcomeJson) => share(num(g.lossPct ?? "0").abs().div(100).toNumber());
  const first = num(top.lossPct ?? "0").gt(0) ? `${top.name} lost the largest share of what it put in (${part(top)})` : `${top.name} did worst (it gained ${part(top)})`;
  const last = num(bottom.lossPct ?? "0").lt(0) ? `${bottom.name} gained ${part(bottom)}` : `${bottom.name} lost the smallest share (${part(bottom)})`;
  return `Of the groups, ${first}; ${last}.`;
}

function notice(input: ExplainInput): Para[] {
  const s = input.result.summary;
  const out: string[] = [];
  const groups = s.groups;

  // Spot holding, for contrast with the groups' losses.
  out.push(...spotHoldingSentences(input));

  // The biggest one-block move, and what it did.
  const gap = biggestGapSentence(input);
  if (gap !== null) out.push(gap);

  // Late keepers.
  const late = lateKeepers(input);
  if (late !== null) out.push(late);
  const missed = missedEpisodesSentence(input);
  if (missed !== null) out.push(missed);

  const oracle = oracleNote(input);
  if (oracle !== null) out.push(oracle);
  const falseLiquidations = input.liquidations.filter((l) => l.marketHealthFactorWad !== null && l.marketHealthFactorWad >= WAD);
  if (falseLiquidations.length > 0) {
    // What the borrowers gave up: all the collateral seized (the protocol's fee included) less the debt repaid.
    const bonus = falseLiquidations.reduce((sum, l) => sum.plus(seizedUsd(input, l)).minus(l.debtRepaidUsd), new Decimal(0));
    out.push(
      `${plural(falseLiquidations.length, "liquidation")} hit positions that were healthy at market prices: the oracle, not the market, called them. Their borrowers gave up ${usd(bonus)} more collateral than the debt repaid was worth.`,
    );
  }

  // Gas and failed transactions.
  const notMined = input.failedAttempts.filter((f) => f.reason.startsWith("not mined"));
  if (notMined.length > 0) {
    const who = new Map<string, number>();
    for (const f of notMined) who.set(group(f.agent), (who.get(group(f.agent)) ?? 0) + 1);
    out.push(`${plural(notMined.length, "transaction")} never made it into a block (${counted(who)}): their fee was below the base fee, or full blocks had no room for them. Keepers priced out by gas are keepers that are not there.`);
  }

  // Keepers racing for the same positions.
  const lostRace = input.failedAttempts.filter((f) => /HealthFactorNotBelowOne|HealthyPosition/.test(f.reason));
  if (lostRace.length > 0) {
    out.push(`${plural(lostRace.length, "liquidation attempt")} found the position no longer liquidatable: another liquidator had got there first in the same block (or its oracle had moved back). Keepers race; only the first transaction in a block wins.`);
  }

  // Cascades.
  const c = s.cascade;
  if (c.depth > 1) {
    const contagion = Object.entries(c.contagion).flatMap(([from, row]) => Object.entries(row).map(([to, n]) => `${from} → ${to} ${n}`));
    out.push(`Liquidations caused liquidations: the sales of seized collateral moved a price that other positions were valued at, ${c.depth} generations deep (${c.generations.join(" / ")} per generation)${contagion.length > 0 ? `; across protocols: ${contagion.join(", ")}` : ""}.`);
  }

  // Who absorbed the loss.
  const absorbed = lossAbsorbedSentence(s.badDebt);
  if (absorbed !== null) out.push(absorbed);

  // No price moved at all: interest did it.
  const moved = input.scenario.assets.some((a) => marketSeries(input, a.symbol).some((p) => p !== a.initialPriceE8));
  const feedsOff = oracleLines(input).length > 0 || input.scenario.events.some((e) => e.type === "feedWrongPrice" || e.type === "feedFreeze" || e.type === "feedRevert");
  if (!moved && !feedsOff && input.liquidations.length > 0) {
    out.push(`No market price moved during the run, yet ${plural(input.liquidations.length, "liquidation")} happened: interest made the debts grow until they crossed the liquidation threshold.`);
  }

  // Groups compared.
  const compared = groupsComparedSentence(groups);
  if (compared !== null) out.push(compared);
  if (out.length === 0) out.push("Nothing to warn about: no gap, no late or missing keeper, no oracle gap, no bad debt.");
  return out.map((text) => ({ lead: "  - ", indent: "    ", text }));
}

/**
 * Defines the health factor at its first mention in the narration's own words (the scenario's
 * description is the author's): the first paragraph that names it ends with the definition.
 */
function defineHealthFactor(sections: Para[][]): Para[][] {
  let defined = false;
  return sections.map((paras) =>
    paras.map((p) => {
      if (defined) return p;
      if (!/\bhealth factors?\b/.test(p.text)) return p;
      defined = true;
      // A sentence in the notes ends with its period; the definition goes before it.
      return { ...p, text: p.text.endsWith(".") ? `${p.text.slice(0, -1)} ${HEALTH_FACTOR_DEFINED}.` : `${p.text} ${HEALTH_FACTOR_DEFINED}` };
    }),
  );
}

/** The whole narration: title, setup, timeline, outcome and what to notice. */
export function explainRun(input: ExplainInput): string {
  const s = input.scenario;
  const r = input.result;
  const head = [
    `${s.name} (seed ${s.seed}, ${r.blocksRecorded} of ${s.blocks} blocks of ${duration(s.blockTimeSeconds)}${r.complete ? "" : ", incomplete"})`,
    "",
    wrap(s.description, ""),
  ];
  const titles = ["Who is in it", "What happened", "Outcome", "What to notice"];
  const sections = defineHealthFactor([setup(input), timeline(input), outcome(input), notice(input)]);
  const body = sections.flatMap((paras, i) => ["", titles[i] ?? "", ...paras.map((p) => `${p.lead}${wrap(p.text, p.indent)}`)]);
  return [...head, ...body, ""].join("\n");
}
