/**
 * The widest gap between a price the protocols or traders see and the market price, with its sign
 * and the feed or pool it was in, for three kinds of price: push feeds (one per asset, Chainlink-style),
 * AMM-read feeds (`oracles`: a pair's spot or TWAP price, which markets may read instead of a push
 * feed) and the AMM pools themselves (tokenA's price in the pair). `summary.priceGaps` in result.json
 * keeps the unsigned push-feed and pool figures; this adds the sign, the name, and the AMM-read feeds,
 * for the terminal summary and the narration. Read from the recorded blocks; nothing is written.
 */
import Decimal from "decimal.js";
import type { BlockRecord } from "../observe/types";
import type { Scenario } from "../scenario/types";

const Bps = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });
/** As `summary.priceGaps`: bps rounded half to even to 2 places. */
const GAP_DECIMAL_PLACES = 2;

/** One widest gap: (price − market) / market × 10,000, negative when the price was below the market. */
export interface PriceGap {
  signedBps: Decimal;
  /** The push feed's asset, the AMM-read feed's name or the pool's name. */
  source: string;
  block: number;
}

export interface PriceGapDetail {
  pushFeeds: PriceGap | null;
  ammReadFeeds: PriceGap | null;
  ammPools: PriceGap | null;
}

export interface PriceGapDetailInput {
  scenario: Pick<Scenario, "oracles" | "amms">;
  blocks: readonly BlockRecord[];
}

/** The widest gap of each kind; null for a kind the run does not have (or never read). Reverting reads are skipped. */
export function priceGapDetail(input: PriceGapDetailInput): PriceGapDetail {
  let pushFeeds: PriceGap | null = null;
  let ammReadFeeds: PriceGap | null = null;
  let ammPools: PriceGap | null = null;
  for (const b of input.blocks) {
    for (const [asset, marketE8] of Object.entries(b.marketPriceE8)) {
      pushFeeds = wider(pushFeeds, b.oraclePriceE8[asset], marketE8, asset, b.block);
    }
    for (const o of input.scenario.oracles) {
      ammReadFeeds = wider(ammReadFeeds, b.ammOraclePriceE8[o.name], b.marketPriceE8[o.asset], o.name, b.block);
    }
    for (const a of input.scenario.amms) {
      ammPools = wider(ammPools, b.ammPriceE8[a.name], b.marketPriceE8[a.tokenA], a.name, b.block);
    }
  }
  return { pushFeeds, ammReadFeeds, ammPools };
}

/** `current`, or the gap of `priceE8` against `marketE8` when it is strictly wider (the first widest is kept). */
function wider(current: PriceGap | null, priceE8: bigint | null | undefined, marketE8: bigint | undefined, source: string, block: number): PriceGap | null {
  if (priceE8 === null || priceE8 === undefined || marketE8 === undefined || marketE8 === 0n) return current;
  const signedBps = new Bps((priceE8 - marketE8).toString()).times(10_000).dividedBy(marketE8.toString()).toDecimalPlaces(GAP_DECIMAL_PLACES, Decimal.ROUND_HALF_EVEN);
  return current === null || signedBps.abs().greaterThan(current.signedBps.abs()) ? { signedBps, source, block } : current;
}

/** "7656.57 bps below (weth-usdc)", "0 bps", "-" for none. */
export function priceGapText(gap: PriceGap | null): string {
  if (gap === null) return "-";
  if (gap.signedBps.isZero()) return "0 bps";
  return `${gap.signedBps.abs().toString()} bps ${gap.signedBps.isNegative() ? "below" : "above"} (${gap.source}, block ${gap.block})`;
}
